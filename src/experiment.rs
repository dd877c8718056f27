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
use crate::sentences;
use crate::sweep::{SweepEvent, SweepPlan, SweepResult, measure_sweep};
use std::sync::atomic::AtomicBool;

/// Samples the machine for a quarter second, before the workload is
/// prepared: the warning when other programs keep the CPUs busy, naming
/// `how_to_repeat` (the way this caller repeats runs).
pub fn check_machine(how_to_repeat: &str) -> Option<busy::Busy> {
    busy::check_machine(how_to_repeat)
}

/// Measures `work` serially and on its pool, `rounds` times each, and
/// judges it as run on a machine that was busy when `busy` is given.
/// `None` when `cancel` was set.
pub fn run(
    work: &Work,
    rounds: Rounds,
    machine: &MachineInfo,
    busy: Option<busy::Busy>,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(RunEvent),
) -> anyhow::Result<Option<RunResult>> {
    let measured = measure_run(work, rounds, machine, cancel, on_event)?;
    Ok(measured.map(|mut result| {
        result.set_busy(busy);
        judge_run(result)
    }))
}

/// Measures every worker count of `plan`, as [`run`] measures one.
pub fn sweep(
    plan: &SweepPlan,
    machine: &MachineInfo,
    busy: Option<busy::Busy>,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(SweepEvent),
) -> anyhow::Result<Option<SweepResult>> {
    let measured = measure_sweep(plan, machine, cancel, on_event)?;
    Ok(measured.map(|mut result| {
        result.set_busy(busy);
        judge_sweep(result)
    }))
}

/// Judges a measured run on the machine it ran on (busy or not, as it
/// says) and keeps its findings, in words, in it: every reader after this
/// (the renderers, the lab, a lesson's texts) reads them, none judges.
pub fn judge_run(mut result: RunResult) -> RunResult {
    result.findings = sentences::of_run(&result);
    result
}

/// Judges a measured sweep, as [`judge_run`] judges a run.
pub fn judge_sweep(mut result: SweepResult) -> SweepResult {
    result.findings = sentences::of_sweep(&result);
    result
}
