//! parlab: a parallelism lab in the terminal.
//!
//! Map of the crate, in the order data flows:
//! - [`workload`]: what each task does (sleep, cpu, memory, uneven, tiny);
//! - [`board`]: where tasks record start, end and worker without locks;
//! - [`runner`]: runs tasks serially or on a rayon pool of N workers;
//! - [`pool`]: who runs the tasks: rayon threads, parlab worker processes,
//!   or CPython's `multiprocessing` pools;
//! - [`schedule`]: how the pool hands tasks out (steal, static, dynamic);
//! - [`measure`]: repeats both sides and builds a [`measure::RunResult`];
//! - [`accounting`]: where the parallel run's time went, part by part;
//! - [`stats`]: medians, speedup, efficiency, the ideal and Amdahl models;
//! - [`finding`]: what a finding is (id, evidence, sentence) and the noise
//!   margin that decides it;
//! - [`findings`]: what a measurement shows, judged against its noise;
//! - [`template`]: the one template engine every measured sentence uses;
//! - [`sentences`]: findings in words and sweep verdicts, from the assets;
//! - [`sweep`]: the same work at several worker counts, fitted and named;
//! - [`machine`]: cores, logical CPUs and cache of this machine;
//! - [`busy`]: whether other programs already load the CPUs;
//! - [`check`]: the quick core-scaling check, built of sweeps and runs;
//! - [`experiment`]: the one way every caller measures a run or a sweep,
//!   with its busy check, so the lab, the commands and lessons agree;
//! - [`config`]: the settings of a run and their limits;
//! - [`exit`]: which exit status each kind of ending gets;
//! - [`cli`], [`headless`]: the command line;
//! - [`output`]: everything written for people and scripts (run, sweep,
//!   machine and session renderers, SVG, Chrome traces, the comparison of
//!   exports and their schema stamp, time stamps);
//! - [`units`]: durations, ratios and percentages as every layer writes
//!   them (the ground floor: it imports nothing of parlab);
//! - [`streams`]: stdout and stderr, written without ever panicking;
//! - [`user_file`]: files a user named, read with guards and printed
//!   without control characters;
//! - [`lesson`], [`predict`]: the teaching layer (guided lessons,
//!   predict-first guesses);
//! - the live lab, a state machine: [`app`] holds one [`app::Mode`] and
//!   three sub-states ([`app::lab`], [`app::teaching`], [`app::sweeps`]),
//!   and [`app::App::update`] turns each message into an effect, with no
//!   terminal and no I/O; [`tui`] carries effects out (run threads, files,
//!   key conversion, the event loop) and sends what came of them back as
//!   messages; [`ui`] draws the state, one file per panel; [`theme`]
//!   (colours, also chosen by the command line); [`sampler`] (per-CPU
//!   usage, which the busy check reads too).
//!
//! Unit tests sit at the end of the file they test; shared test states
//! are in `test_support.rs` files, whole screens in `src/snapshots/`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod accounting;
pub mod app;
pub mod board;
pub mod busy;
pub mod check;
pub mod cli;
pub mod config;
pub mod cycle;
pub mod exit;
pub mod experiment;
pub mod finding;
pub mod findings;
pub mod headless;
pub mod lesson;
pub mod machine;
pub mod measure;
pub mod output;
pub mod pool;
pub mod predict;
pub mod runner;
pub mod sampler;
pub mod schedule;
pub mod sentences;
pub mod stats;
pub mod streams;
pub mod sweep;
pub mod template;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod units;
pub mod user_file;
pub mod workload;

use cli::{Cli, Command};

/// Runs the command the user asked for; without one, the live lab.
pub fn app_main(cli: Cli) -> anyhow::Result<()> {
    if let Some(python) = cli.python {
        pool::python::set_interpreter(python);
    }
    match cli.command {
        Some(Command::PoolWorker) => pool::process::serve_worker(),
        Some(Command::Run(args)) => headless::run(&args),
        Some(Command::Sweep(args)) => headless::sweep(&args),
        Some(Command::Info(args)) => headless::info(&args),
        Some(Command::Check(args)) => headless::check(&args),
        Some(Command::Lessons) => headless::lessons(cli.lessons.as_deref()),
        Some(Command::Lesson(args)) => headless::lesson(&args, cli.lessons.as_deref()),
        Some(Command::Compare(args)) => headless::compare(&args),
        Some(Command::Completions { shell }) => headless::completions(shell),
        Some(Command::Man { command }) => headless::man(command.as_deref()),
        None => tui::open_lab(cli.theme, cli.lessons.as_deref()),
    }
}

/// The exit status for `err`, and whether its message should be printed.
pub fn exit_status(err: &anyhow::Error) -> (u8, bool) {
    if let Some(exit::Signalled(signal)) = err.downcast_ref::<exit::Signalled>() {
        let status = 128 + signal.clamp(&1, &127);
        return (u8::try_from(status).unwrap_or(u8::MAX), false);
    }
    if is_refusal(err) {
        return (exit::MISUSE, true);
    }
    (1, true)
}

/// Whether `err` refuses what was asked before any work: a bad setting, a
/// plan over a limit, a combination that cannot run. Every such refusal
/// exits 2, wherever it is found.
fn is_refusal(err: &anyhow::Error) -> bool {
    err.downcast_ref::<exit::Misuse>().is_some()
        || err.downcast_ref::<config::SpecError>().is_some()
        || err.downcast_ref::<sweep::PlanError>().is_some()
        || err.downcast_ref::<sweep::WorkerListError>().is_some()
        || err.downcast_ref::<schedule::ScheduleError>().is_some()
        || err.downcast_ref::<pool::PoolError>().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::SpecError;
    use exit::{Misuse, Signalled};

    #[test]
    fn each_kind_of_end_has_its_status() {
        assert_eq!(exit_status(&Signalled(2).into()), (130, false));
        assert_eq!(exit_status(&Signalled(15).into()), (143, false));
        assert_eq!(exit_status(&Signalled(1).into()), (129, false));
        assert_eq!(exit_status(&Misuse("no".into()).into()), (2, true));
        assert_eq!(exit_status(&SpecError::Tasks("0".into()).into()), (2, true));
        assert_eq!(exit_status(&anyhow::anyhow!("disk full")), (1, true));
        let plan = sweep::PlanError::Spec(SpecError::Tasks("0".into()));
        assert_eq!(
            exit_status(&plan.into()),
            (2, true),
            "a sweep plan over a limit"
        );
        let wrapped = anyhow::Error::from(Misuse("bad".into())).context("while checking");
        assert_eq!(exit_status(&wrapped).0, 2, "context keeps the kind");
    }
}
