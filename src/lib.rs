//! parlab: a parallelism lab in the terminal.
//!
//! Map of the crate, in the order data flows:
//! - [`workload`]: what each task does (sleep, cpu, memory, uneven, tiny);
//! - [`board`]: where tasks record start, end and worker without locks;
//! - [`runner`]: runs tasks serially or on a rayon pool of N workers;
//! - [`measure`]: repeats both sides and builds a [`measure::RunReport`];
//! - [`stats`]: medians, speedup, efficiency, the ideal and Amdahl models;
//! - [`machine`]: cores, logical CPUs and cache of this machine;
//! - [`config`]: the settings of a run and their limits;
//! - [`cli`], [`headless`], [`report`], [`units`]: the command line and
//!   its output formats;
//! - the live lab: [`app`] (state and keys), [`ui`] (drawing, one file per
//!   panel), [`sampler`] (per-core usage) and [`tui`] (terminal and loop).

#![forbid(unsafe_code)]

pub mod app;
pub mod board;
pub mod cli;
pub mod config;
pub mod headless;
pub mod machine;
pub mod measure;
pub mod report;
pub mod runner;
pub mod sampler;
pub mod stats;
pub mod tui;
pub mod ui;
pub mod units;
pub mod workload;

use cli::{Cli, Command};

/// Runs the command the user asked for; without one, the live lab.
pub fn app_main(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Run(args)) => headless::run(&args),
        Some(Command::Info(args)) => headless::info(&args),
        None => tui::run(cli.theme),
    }
}
