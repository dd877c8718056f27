//! One experiment, the same wherever it starts: the lab (through its run
//! thread), `parlab run` and `parlab sweep`, and a lesson's preview all
//! measure through [`run`] or [`sweep`], which put the busy check the
//! caller made into the result before anything judges it. So the lab,
//! `run` and a lesson name the same findings for the same settings on the
//! same machine.
//!
//! The busy check itself comes from the caller, because only the caller
//! knows how to look without disturbing the run: the command line and the
//! preview sample the CPUs for a quarter second first ([`check_machine`]),
//! the lab reads the sampler it already runs and never waits.

use crate::busy;
use crate::config::Work;
use crate::machine::MachineInfo;
use crate::measure::{Rounds, RunResult, measure_run};
use crate::runner::RunEvent;
use crate::sweep::{SweepEvent, SweepPlan, SweepResult, measure_sweep};
use std::sync::atomic::AtomicBool;

/// Samples the machine for a quarter second, before the workload is
/// prepared: the warning when other programs keep the CPUs busy, naming
/// `how_to_repeat` (the way this caller repeats runs).
pub fn check_machine(how_to_repeat: &str) -> Option<String> {
    busy::check_machine(how_to_repeat)
}

/// Measures `work` serially and on its pool, `rounds` times each, and
/// reports it as run on a machine that was busy when `busy_warning` is
/// given. `None` when `cancel` was set.
pub fn run(
    work: &Work,
    rounds: Rounds,
    machine: &MachineInfo,
    busy_warning: Option<String>,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(RunEvent),
) -> anyhow::Result<Option<RunResult>> {
    let measured = measure_run(work, rounds, machine, cancel, on_event)?;
    Ok(measured.map(|mut result| {
        result.busy = busy_warning.is_some();
        result.warnings.splice(0..0, busy_warning);
        result
    }))
}

/// Measures every worker count of `plan`, as [`run`] measures one.
pub fn sweep(
    plan: &SweepPlan,
    machine: &MachineInfo,
    busy_warning: Option<String>,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(SweepEvent),
) -> anyhow::Result<Option<SweepResult>> {
    let measured = measure_sweep(plan, machine, cancel, on_event)?;
    Ok(measured.map(|mut result| {
        result.busy = busy_warning.is_some();
        result.warnings.splice(0..0, busy_warning);
        result
    }))
}
