//! parlab: a parallelism lab in the terminal.
//!
//! Map of the crate, in the order data flows:
//! - [`workload`]: what each task does (sleep, cpu, memory, uneven, tiny);
//! - [`board`]: where tasks record start, end and worker without locks;
//! - [`runner`]: runs tasks serially or on a rayon pool of N workers;
//! - [`measure`]: repeats both sides and builds a [`measure::RunReport`];
//! - [`stats`]: medians, speedup, efficiency, the ideal and Amdahl models;
//! - [`sweep`]: the same work at several worker counts, fitted and named;
//! - [`machine`]: cores, logical CPUs and cache of this machine;
//! - [`busy`]: whether other programs already load the CPUs;
//! - [`config`]: the settings of a run and their limits;
//! - [`cli`], [`headless`], [`report`], [`sweep_report`], [`svg`],
//!   [`units`]: the command line and its output formats;
//! - [`lesson`], [`predict`], [`session_report`]: the teaching layer (guided
//!   lessons, predict-first guesses, the Markdown report of a session).

#![forbid(unsafe_code)]

pub mod board;
pub mod busy;
pub mod cli;
pub mod config;
pub mod headless;
pub mod lesson;
pub mod machine;
pub mod measure;
pub mod predict;
pub mod report;
pub mod runner;
pub mod session_report;
pub mod stats;
pub mod svg;
pub mod sweep;
pub mod sweep_report;
pub mod units;
pub mod workload;

use cli::{Cli, Command, RunArgs, WorkArgs};

/// Runs the command the user asked for; without one, the seed demo.
pub fn app_main(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Run(args)) => headless::run(&args),
        Some(Command::Sweep(args)) => headless::sweep(&args),
        Some(Command::Info(args)) => headless::info(&args),
        Some(Command::Lessons) => headless::lessons(cli.lessons.as_deref()),
        None => headless::run(&seed_demo_args()),
    }
}

fn seed_demo_args() -> RunArgs {
    let seed = config::RunSpec::SEED_DEMO;
    RunArgs {
        work: WorkArgs {
            workload: seed.workload,
            tasks: seed.tasks,
            task_ms: Some(seed.task_ms),
            repeat: 1,
            warmup: 0,
            serial_fraction: None,
        },
        workers: seed.workers,
        format: cli::Format::Table,
    }
}
