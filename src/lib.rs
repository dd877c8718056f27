//! parlab: a parallelism lab in the terminal.
//!
//! Map of the crate, in the order data flows:
//! - [`workload`]: what each task does (sleep, cpu, memory, uneven, tiny);
//! - [`board`]: where tasks record start, end and worker without locks;
//! - [`runner`]: runs tasks serially or on a rayon pool of N workers;
//! - [`pool`]: who runs the tasks: rayon threads, parlab worker processes,
//!   or CPython's `multiprocessing` pools;
//! - [`measure`]: repeats both sides and builds a [`measure::RunReport`];
//! - [`stats`]: medians, speedup, efficiency, the ideal and Amdahl models;
//! - [`sweep`]: the same work at several worker counts, fitted and named;
//! - [`machine`]: cores, logical CPUs and cache of this machine;
//! - [`busy`]: whether other programs already load the CPUs;
//! - [`config`]: the settings of a run and their limits;
//! - [`cli`], [`headless`], [`report`], [`sweep_report`], [`svg`],
//!   [`units`]: the command line and its output formats;
//! - [`lesson`], [`predict`], [`session_report`]: the teaching layer (guided
//!   lessons, predict-first guesses, the Markdown report of a session);
//! - the live lab: [`app`] (state and keys), [`ui`] (drawing, one file per
//!   panel), [`sampler`] (per-core usage) and [`tui`] (terminal and loop).

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod board;
pub mod busy;
pub mod cli;
pub mod config;
pub mod headless;
pub mod lesson;
pub mod machine;
pub mod measure;
pub mod pool;
pub mod pools_report;
pub mod predict;
pub mod report;
pub mod runner;
pub mod sampler;
pub mod session_report;
pub mod stats;
pub mod svg;
pub mod sweep;
pub mod sweep_report;
pub mod tui;
pub mod ui;
pub mod units;
pub mod workload;

use cli::{Cli, Command};

/// Runs the command the user asked for; without one, the live lab.
pub fn app_main(cli: Cli) -> anyhow::Result<()> {
    if cli.theme.is_some() && cli.command.is_some() {
        anyhow::bail!(
            "--theme belongs to the live lab: use it without a command (parlab --theme …)"
        );
    }
    if let Some(python) = cli.python {
        pool::python::set_interpreter(python);
    }
    match cli.command {
        Some(Command::PoolWorker) => pool::process::serve_worker(),
        Some(Command::Run(args)) => headless::run(&args),
        Some(Command::Sweep(args)) => headless::sweep(&args),
        Some(Command::Info(args)) => headless::info(&args),
        Some(Command::Lessons) => headless::lessons(cli.lessons.as_deref()),
        None => tui::run(cli.theme, cli.lessons.as_deref()),
    }
}
