//! The headless commands: `run` and `info`. Each builds its whole output
//! first and prints it in one write, so an error never leaves half a table.

use crate::cli::{Format, InfoArgs, InfoFormat, RunArgs};
use crate::machine::MachineInfo;
use crate::measure::{Rounds, measure_run};
use crate::report;
use crate::runner::RunEvent;
use std::io::{IsTerminal, Write};
use std::sync::atomic::AtomicBool;

/// `parlab run`: measure and print in the chosen format.
pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let spec = args.work.spec(args.workers)?;
    let rounds = Rounds {
        repeat: args.work.repeat.into(),
        warmup: args.work.warmup.into(),
    };
    let machine = MachineInfo::detect();
    let mut progress = Progress::new(rounds);
    let report = measure_run(&spec, rounds, &machine, &AtomicBool::new(false), &mut |e| {
        progress.on_event(&e)
    })?
    .ok_or_else(|| anyhow::anyhow!("the run was cancelled"))?;
    progress.clear();
    let text = match args.format {
        Format::Table => {
            report::run_table(&report, report::use_color(std::io::stdout().is_terminal()))
        }
        Format::Json => report::run_json(&report)?,
        Format::Csv => report::run_csv(&report)?,
        Format::Markdown => report::run_markdown(&report),
    };
    print_all(&text)
}

/// `parlab info`: the machine facts.
pub fn info(args: &InfoArgs) -> anyhow::Result<()> {
    let machine = MachineInfo::detect();
    let rayon_threads = rayon::current_num_threads();
    let text = match args.format {
        InfoFormat::Table => report::info_table(&machine, rayon_threads),
        InfoFormat::Json => report::info_json(&machine, rayon_threads)?,
    };
    print_all(&text)
}

/// Writes `text` to stdout at once; a closed pipe is not an error.
pub fn print_all(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A one-line progress note on stderr, only when stderr is a terminal.
pub struct Progress {
    enabled: bool,
    rounds: Rounds,
}

impl Progress {
    /// Progress for an experiment of `rounds` per side.
    pub fn new(rounds: Rounds) -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            rounds,
        }
    }

    /// Shows which side and round is running.
    pub fn on_event(&mut self, event: &RunEvent) {
        if let (
            true,
            RunEvent::Started {
                side,
                round,
                warmup,
                ..
            },
        ) = (self.enabled, event)
        {
            let total = self.rounds.warmup + self.rounds.repeat;
            let kind = if *warmup { "warm-up" } else { "run" };
            eprint!("\r\x1b[2K{} {kind} {}/{total}…", side.name(), round + 1);
        }
    }

    /// Erases the progress line.
    pub fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[2K");
        }
    }
}
