//! The headless commands: `run`, `info` and `lessons`. Each builds its
//! whole output first and prints it in one write, so an error never leaves
//! half a table.

use crate::cli::{Format, InfoArgs, InfoFormat, RunArgs};
use crate::machine::MachineInfo;
use crate::measure::{Rounds, measure_run};
use crate::report;
use crate::runner::RunEvent;
use std::fmt::Write as _;
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

/// `parlab lessons`: list the lessons a session would offer and report
/// every file that could not be used, failing if there is one, so a teacher
/// can check a folder before class.
pub fn lessons(dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    let set = crate::lesson::LessonSet::load(dir);
    let mut text = String::new();
    for (number, lesson) in set.lessons.iter().enumerate() {
        let _ = writeln!(
            text,
            "{:>2}. {} ({} steps, {})\n    {}",
            number + 1,
            lesson.title,
            lesson.steps.len(),
            lesson.file,
            lesson.summary
        );
    }
    for problem in &set.problems {
        let _ = writeln!(text, "problem: {problem}");
    }
    print_all(&text)?;
    match set.problems.len() {
        0 => Ok(()),
        1 => anyhow::bail!("1 lesson file has a problem (listed above)"),
        n => anyhow::bail!("{n} lesson files have problems (listed above)"),
    }
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
