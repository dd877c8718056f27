//! The headless commands: `run`, `sweep`, `info` and `lessons`. Each
//! builds its whole output first and prints it in one write, so an error
//! never leaves half a table.

use crate::cli::{Format, InfoArgs, InfoFormat, PoolChoice, RunArgs, SweepArgs, WorkArgs};
use crate::config::serial_fraction_for;
use crate::machine::MachineInfo;
use crate::measure::{Rounds, measure_run};
use crate::pool::Pool;
use crate::runner::RunEvent;
use crate::sweep::{SweepEvent, SweepPlan, SweepStage, default_worker_counts, measure_sweep};
use crate::units::counted;
use crate::{busy, pools_report, report, sweep_report};
use anyhow::Context;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// `parlab run`: measure and print in the chosen format.
pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    if args.work.pool == PoolChoice::All {
        return run_all_pools(args);
    }
    let spec = args.work.spec(args.workers)?;
    let rounds = rounds_of(&args.work);
    let machine = MachineInfo::detect();
    let busy = warn_if_busy();
    let mut progress = Progress::new(rounds);
    let mut report = measure_run(&spec, rounds, &machine, &AtomicBool::new(false), &mut |e| {
        progress.on_event(&e)
    })?
    .ok_or_else(|| anyhow::anyhow!("the run was cancelled"))?;
    progress.clear();
    report.warnings.splice(0..0, busy);
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

/// `parlab run --pool all`: the same work on every pool that can run it
/// here, one table. A pool that cannot (no Python, a refused workload) gets
/// one line saying why, and the others still run.
fn run_all_pools(args: &RunArgs) -> anyhow::Result<()> {
    let base = args.work.spec(args.workers)?;
    let rounds = rounds_of(&args.work);
    let machine = MachineInfo::detect();
    let busy = warn_if_busy();
    let mut reports = Vec::new();
    let mut skipped = Vec::new();
    for pool in Pool::ALL {
        let spec = crate::config::RunSpec { pool, ..base };
        if let Err(why) = spec.validate() {
            skipped.push(pools_report::Skipped::new(pool, why.to_string()));
            continue;
        }
        let mut progress = Progress::new(rounds).for_pool(pool);
        let measured = measure_run(&spec, rounds, &machine, &AtomicBool::new(false), &mut |e| {
            progress.on_event(&e)
        });
        progress.clear();
        match measured {
            Ok(Some(mut report)) => {
                report.warnings.splice(0..0, busy.clone());
                reports.push(report);
            }
            Ok(None) => anyhow::bail!("the run was cancelled"),
            Err(why) if pool.is_python() => {
                skipped.push(pools_report::Skipped::new(pool, format!("{why:#}")));
            }
            Err(why) => return Err(why.context(format!("the {} pool failed", pool.name()))),
        }
    }
    let comparison = pools_report::PoolComparison { reports, skipped };
    let text = match args.format {
        Format::Table => pools_report::table(&comparison),
        Format::Json => pools_report::json(&comparison)?,
        Format::Csv => pools_report::csv(&comparison)?,
        Format::Markdown => pools_report::markdown(&comparison),
    };
    print_all(&text)
}

fn rounds_of(work: &WorkArgs) -> Rounds {
    Rounds {
        repeat: work.repeat.into(),
        warmup: work.warmup.into(),
    }
}

/// Samples the machine before a measurement and, when it is busy, says so
/// on stderr at once; the warning is also returned for the report.
fn warn_if_busy() -> Option<String> {
    let warning = busy::check_machine()?;
    eprintln!("warning: {warning}");
    Some(warning)
}

/// `parlab sweep`: measure every worker count, print in the chosen format,
/// then write the chart if asked.
pub fn sweep(args: &SweepArgs) -> anyhow::Result<()> {
    let machine = MachineInfo::detect();
    let plan = SweepPlan {
        workload: args.work.workload,
        tasks: args.work.tasks,
        task_ms: args.work.task_ms(),
        serial_fraction: serial_fraction_for(args.work.workload, args.work.serial_fraction)?,
        workers: args
            .workers
            .clone()
            .unwrap_or_else(|| default_worker_counts(&machine)),
        rounds: rounds_of(&args.work),
        pool: args.work.pool.single("sweep")?,
        payload_kb: args.work.payload_kb,
    };
    plan.validate()?;
    if let Some(path) = &args.svg {
        check_writable(path)?;
    }
    let busy = warn_if_busy();
    let mut progress = SweepProgress::new(plan.rounds);
    let mut report = measure_sweep(&plan, &machine, &AtomicBool::new(false), &mut |e| {
        progress.on_event(&e)
    })?
    .ok_or_else(|| anyhow::anyhow!("the sweep was cancelled"))?;
    progress.clear();
    report.warnings.splice(0..0, busy);
    let text = match args.format {
        Format::Table => {
            sweep_report::sweep_table(&report, report::use_color(std::io::stdout().is_terminal()))
        }
        Format::Json => sweep_report::sweep_json(&report)?,
        Format::Csv => sweep_report::sweep_csv(&report)?,
        Format::Markdown => sweep_report::sweep_markdown(&report),
    };
    print_all(&text)?;
    if let Some(path) = &args.svg {
        std::fs::write(path, sweep_report::sweep_svg(&report))
            .with_context(|| format!("cannot write the chart to {}", path.display()))?;
        eprintln!("chart written to {}", path.display());
    }
    Ok(())
}

/// Refuses a chart path that cannot be written before measuring for
/// minutes. Opening for append leaves an existing file as it is; a file
/// made only for the probe is removed again.
fn check_writable(path: &Path) -> anyhow::Result<()> {
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .with_context(|| format!("cannot write the chart to {}", path.display()))?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
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
    pool: Option<Pool>,
}

impl Progress {
    /// Progress for an experiment of `rounds` per side.
    pub fn new(rounds: Rounds) -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            rounds,
            pool: None,
        }
    }

    /// The same, naming the pool (when several run one after another).
    pub fn for_pool(mut self, pool: Pool) -> Self {
        self.pool = Some(pool);
        self
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
            let pool = self
                .pool
                .map_or(String::new(), |p| format!("{}: ", p.name()));
            eprint!(
                "\r\x1b[2K{pool}{} {kind} {}/{total}…",
                side.name(),
                round + 1
            );
        }
    }

    /// Erases the progress line.
    pub fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The sweep's progress line on stderr, only when stderr is a terminal:
/// which worker count, which run.
pub struct SweepProgress {
    enabled: bool,
    rounds: Rounds,
}

impl SweepProgress {
    /// Progress for a sweep of `rounds` per measurement.
    pub fn new(rounds: Rounds) -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            rounds,
        }
    }

    /// Shows the stage and round that just started.
    pub fn on_event(&mut self, event: &SweepEvent) {
        let SweepEvent::Run {
            stage,
            event: RunEvent::Started { round, warmup, .. },
        } = event
        else {
            return;
        };
        if !self.enabled {
            return;
        }
        let total = self.rounds.warmup + self.rounds.repeat;
        let kind = if *warmup { "warm-up" } else { "run" };
        let what = match stage {
            SweepStage::Serial => "serial baseline".to_string(),
            SweepStage::Parallel { workers, row, rows } => {
                format!("{} ({} of {rows})", counted(*workers, "worker"), row + 1)
            }
        };
        eprint!("\r\x1b[2Ksweep: {what}, {kind} {}/{total}…", round + 1);
    }

    /// Erases the progress line.
    pub fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[2K");
        }
    }
}
