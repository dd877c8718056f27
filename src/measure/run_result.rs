//! The report of one experiment: what `parlab run` prints and the TUI shows.
//!
//! It combines both sides' measurements with the ideal model and the ratios
//! derived from them, and carries the warnings a reader should see, such as
//! noisy repeats or checksums that differ. Kept apart from the measuring so
//! that the loop that times the work stays short and easy to check.

use super::{Rounds, SideResult};
use crate::accounting::{TimeAccounting, account};
use crate::busy::Busy;
use crate::config::Work;
use crate::finding::{Finding, noise_margin};
use crate::machine::MachineInfo;
use crate::pool::PythonInfo;
use crate::stats::{Bound, Summary, efficiency, speedup};
use crate::workload::WorkloadKind;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The outcome of `parlab run`: both sides, the ideal and the ratios.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// What ran: every work setting, as one `work` object.
    pub work: Work,
    /// Timed and warm-up runs per side (`repeat`, `warmup`).
    #[serde(flatten)]
    pub rounds: Rounds,
    /// The interpreter, for the Python pools: version and GIL state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub python: Option<PythonInfo>,
    /// Median serial wall time.
    #[serde(with = "crate::units::secs_field", rename = "serial_s")]
    pub serial_time: Duration,
    /// Median parallel wall time.
    #[serde(with = "crate::units::secs_field", rename = "parallel_s")]
    pub parallel_time: Duration,
    /// The model's parallel time from the serial per-task times.
    #[serde(with = "crate::units::secs_field", rename = "ideal_parallel_s")]
    pub ideal_time: Duration,
    /// What bounds the ideal: waves, cores, the longest task or Amdahl.
    pub ideal_model: Bound,
    /// Tasks that can progress at once in the model.
    pub ideal_lanes: usize,
    /// Lanes the tasks could actually fill: `min(ideal_lanes, tasks)`.
    pub lanes_used: usize,
    /// Serial over ideal: the best speedup the model allows.
    pub ideal_speedup: f64,
    /// Serial over parallel, medians.
    pub speedup: f64,
    /// Speedup per worker.
    pub efficiency: f64,
    /// Whether both sides computed the same checksum.
    pub results_match: bool,
    /// Time to start the worker pool (threads built, processes spawned and
    /// ready, or Python's pool created), outside both clocks.
    #[serde(with = "crate::units::secs_field", rename = "pool_build_s")]
    pub pool_build: Duration,
    /// What handing one task to a worker and its result back cost, apart
    /// from its work: the round trip less the task's work in parlab's
    /// process pool; in CPython's, pickling the task and its result there
    /// and back, as `map` cut them into chunks, measured after the run
    /// outside its clocks; `None` where the pool shares memory.
    #[serde(
        with = "crate::units::opt_secs_field",
        default,
        rename = "transfer_per_task_s"
    )]
    pub transfer_per_task: Option<Duration>,
    /// That transfer for all the run's tasks together.
    #[serde(
        with = "crate::units::opt_secs_field",
        default,
        rename = "transfer_total_s"
    )]
    pub transfer_total: Option<Duration>,
    /// The worker that sat idle longest at the end of the parallel run,
    /// and for how long; `null` with one worker.
    pub end_idle: Option<super::EndIdle>,
    /// Parallel time beyond the ideal, spread over the tasks of one lane
    /// actually used (`min(lanes, tasks)` of them): what scheduling and
    /// contention cost each task. Never more than the whole excess.
    #[serde(with = "crate::units::secs_field", rename = "overhead_per_task_s")]
    pub overhead_per_task: Duration,
    /// Serial side details.
    pub serial: SideSummary,
    /// Parallel side details.
    pub parallel: SideSummary,
    /// The serial part of a `serial-fraction` run; absent for the others.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub serial_part: Option<MeasuredSerialPart>,
    /// The machine it ran on.
    pub machine: MachineInfo,
    /// Things the reader should know, such as noisy repeats.
    pub warnings: Vec<String>,
    /// Whether other programs kept the CPUs busy before the run: the
    /// findings then widen their noise margin. Set it with
    /// [`RunResult::set_busy`], which judges the accounting again.
    #[serde(rename = "machine_busy")]
    pub busy: bool,
    /// How busy the machine was before the run, from 0 to 1, when busy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub busy_usage: Option<f64>,
    /// Where the parallel run's lane time went, part by part (zero in
    /// exports made before it was measured).
    #[serde(default)]
    pub time_accounting: TimeAccounting,
    /// The total the parallel run's workers all added to, against the
    /// expected one: the `lost-update` demonstration and its `fetch_add`
    /// counterpart; absent for the other kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_total: Option<super::SharedTotal>,
    /// What the measurement shows, as `{id, text}`: judged once, when
    /// [`crate::experiment`] measured it, and only read after that.
    #[serde(default)]
    pub findings: Vec<Finding>,
}

/// One side as reported: wall-time summary plus CPU time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SideSummary {
    /// Wall-time runs, min, median and max.
    #[serde(flatten)]
    pub wall: Summary,
    /// Median CPU time of the threads that ran the tasks.
    #[serde(with = "crate::units::secs_field", rename = "cpu_s")]
    pub cpu: Duration,
}

/// The part of the work no worker can share, as set and as measured.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasuredSerialPart {
    /// The fraction of the total work that runs serially.
    pub serial_fraction: f64,
    /// Its measured time on the serial side (median run's share).
    #[serde(with = "crate::units::secs_field", rename = "serial_part_s")]
    pub time: Duration,
}

impl RunResult {
    /// Combines both sides' measurements with the ideal model.
    pub fn new(
        spec: &Work,
        rounds: Rounds,
        machine: &MachineInfo,
        serial: &SideResult,
        parallel: &SideResult,
        pool_build: Duration,
    ) -> Self {
        let cpus = spec.workload.uses_cores().then(|| machine.compute_lanes());
        let serial_part = spec
            .workload
            .has_serial_part()
            .then_some(MeasuredSerialPart {
                serial_fraction: spec.serial_fraction,
                time: serial.serial_part,
            });
        let mut ideal = serial.ideal(spec.workers, cpus);
        if cpus.is_some() {
            ideal = ideal.on_lanes_worth(machine.lane_capacity(ideal.lanes));
        }
        let speedup = speedup(serial.wall.median, parallel.wall.median);
        let excess = parallel.wall.median.saturating_sub(ideal.time);
        let lanes_used = ideal.lanes.min(spec.tasks).max(1);
        Self {
            work: *spec,
            rounds,
            python: None,
            serial_time: serial.wall.median,
            parallel_time: parallel.wall.median,
            ideal_time: ideal.time,
            ideal_model: ideal.bound,
            ideal_lanes: ideal.lanes,
            lanes_used,
            ideal_speedup: crate::stats::speedup(serial.wall.median, ideal.time),
            speedup,
            efficiency: efficiency(speedup, spec.workers),
            results_match: serial.checksum == parallel.checksum,
            pool_build,
            transfer_per_task: parallel.transfer,
            transfer_total: parallel
                .transfer
                .map(|each| each.saturating_mul(u32::try_from(spec.tasks).unwrap_or(u32::MAX))),
            end_idle: parallel.end_idle,
            overhead_per_task: excess.mul_f64(lanes_used as f64 / spec.tasks.max(1) as f64),
            serial: SideSummary {
                wall: serial.wall.clone(),
                cpu: serial.cpu,
            },
            parallel: SideSummary {
                wall: parallel.wall.clone(),
                cpu: parallel.cpu,
            },
            serial_part,
            machine: machine.clone(),
            warnings: {
                let mut out = warnings(serial, parallel);
                out.extend(memory_buffer_warning(spec.workload, machine));
                out
            },
            busy: false,
            busy_usage: None,
            time_accounting: accounting_of(spec, machine, serial, parallel),
            findings: Vec::new(),
            shared_total: parallel.record.shared_total,
        }
    }

    /// Records how busy other programs kept the machine before the run
    /// (`None`: quiet), with its warning first, and judges the time
    /// accounting against the noise margin that follows from it.
    pub fn set_busy(&mut self, busy: Option<Busy>) {
        self.busy = busy.is_some();
        self.busy_usage = busy.as_ref().map(|b| b.usage);
        self.warnings.splice(0..0, busy.map(|b| b.warning));
        let margin = noise_margin([&self.serial.wall, &self.parallel.wall], self.busy);
        self.time_accounting = self.time_accounting.with_noise(margin);
    }
}

/// The parallel side's time accounting against the serial side, judged
/// against the noise of a quiet machine until [`RunResult::set_busy`] says
/// otherwise.
fn accounting_of(
    spec: &Work,
    machine: &MachineInfo,
    serial: &SideResult,
    parallel: &SideResult,
) -> TimeAccounting {
    let cpus = spec.workload.uses_cores().then(|| machine.compute_lanes());
    let reference = serial.record.reference();
    account(
        &reference,
        &parallel.record.round,
        spec.workers,
        spec.tasks,
        cpus,
    )
    .with_noise(noise_margin([&serial.wall, &parallel.wall], false))
}

/// For memory work whose buffer could not span four last-level caches
/// (too little free memory): what the run streamed and why it may not
/// show main memory alone.
fn memory_buffer_warning(workload: WorkloadKind, machine: &MachineInfo) -> Option<String> {
    use crate::workload::{CACHE_MULTIPLE, memory_buffer_len, memory_buffer_short};
    if workload != WorkloadKind::Memory {
        return None;
    }
    let bytes = memory_buffer_len();
    let cache = machine.last_level_cache_bytes;
    memory_buffer_short(bytes, cache).then(|| {
        format!(
            "the memory buffer is {} MiB, less than {CACHE_MULTIPLE}× the {} MiB last-level cache (free memory did not allow more): part of it may be served from the cache",
            bytes >> 20,
            cache.unwrap_or(0) >> 20
        )
    })
}

impl RunResult {
    /// The same report, naming the interpreter the Python pools ran in.
    pub fn with_python(mut self, python: Option<PythonInfo>) -> Self {
        self.python = python;
        self
    }

    /// The per-task transfer as a reader should see it: measured, shared
    /// memory (nothing to copy), or `in map` where a run did not measure it
    /// (an export made before CPython's pickling was measured).
    pub fn transfer_text(&self) -> String {
        match (self.transfer_per_task, self.work.pool.shares_memory()) {
            (Some(t), _) => crate::units::format_duration(t),
            (None, true) => "shared".to_string(),
            (None, false) => "in map".to_string(),
        }
    }
}

fn warnings(serial: &SideResult, parallel: &SideResult) -> Vec<String> {
    let mut out = Vec::new();
    for (name, side) in [("serial", serial), ("parallel", parallel)] {
        out.extend(side.wall.noise_warning(name));
    }
    if serial.checksum != parallel.checksum {
        out.push(
            "serial and parallel checksums differ: the two sides did not do the same work".into(),
        );
    }
    out
}
