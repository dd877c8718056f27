//! One experiment: warm-ups and repeats of the serial side, then of the
//! parallel side, summarised into a [`RunReport`].
//!
//! The serial per-task times measured here feed the ideal model; nothing
//! from the parallel side does, so the ideal can honestly be compared with
//! the parallel measurement.

use crate::board::TaskBoard;
use crate::config::RunSpec;
use crate::machine::MachineInfo;
use crate::runner::{RunEvent, RunTiming, Side, board_for, build_pool, run_parallel, run_serial};
use crate::stats::{Bound, Ideal, Summary, amdahl_ideal, efficiency, ideal_parallel, speedup};
use crate::units::serialize_secs;
use crate::workload::{Workload, WorkloadKind};
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// How many times to run each side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rounds {
    /// Timed runs per side; the median is the headline.
    pub repeat: usize,
    /// Untimed runs per side first (caches, page faults, thread start-up).
    pub warmup: usize,
}

impl Rounds {
    /// One timed run and no warm-up: what the TUI does.
    pub const ONCE: Self = Self {
        repeat: 1,
        warmup: 0,
    };
}

/// Everything measured about one side.
#[derive(Clone, Debug, PartialEq)]
pub struct SideResult {
    /// Wall times of the timed runs.
    pub wall: Summary,
    /// Median CPU time (user + system) of the timed runs.
    pub cpu: Duration,
    /// The checksum of the work; equal on both sides when the work matched.
    pub checksum: u64,
    /// Each task's time, averaged over the timed runs.
    pub task_times: Vec<Duration>,
    /// The serial part's time, averaged over the timed runs (zero for
    /// workloads without one).
    pub serial_part: Duration,
}

impl SideResult {
    /// The ideal parallel time on `workers` for the work this serial
    /// measurement timed: Amdahl's model when the work had a serial part,
    /// the schedule of the task times otherwise. `run` and `sweep` share it.
    pub fn ideal(&self, workers: usize, cpus: Option<usize>) -> Ideal {
        if self.serial_part.is_zero() {
            ideal_parallel(&self.task_times, workers, cpus)
        } else {
            amdahl_ideal(self.serial_part, &self.task_times, workers, cpus)
        }
    }
}

/// Runs `rounds` of one side, reporting each round through `on_event`.
/// Returns `None` if `cancel` was set before the last round ended.
pub fn measure_side(
    work: &Workload,
    side: Side,
    pool: Option<&rayon::ThreadPool>,
    rounds: Rounds,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(RunEvent),
) -> Option<SideResult> {
    let mut walls = Vec::with_capacity(rounds.repeat);
    let mut cpus = Vec::with_capacity(rounds.repeat);
    let mut sums = vec![Duration::ZERO; work.tasks() + usize::from(work.has_serial_part())];
    let mut checksum = 0;
    for round in 0..rounds.warmup + rounds.repeat {
        let warmup = round < rounds.warmup;
        let board = Arc::new(board_for(work));
        let started = |origin| {
            on_event(RunEvent::Started {
                side,
                round,
                warmup,
                board: Arc::clone(&board),
                origin,
            })
        };
        let timing = match pool {
            Some(pool) => run_parallel(work, pool, &board, cancel, started),
            None => run_serial(work, &board, cancel, started),
        };
        on_event(RunEvent::Finished { side, timing });
        let RunTiming {
            wall,
            cpu,
            checksum: Some(sum),
        } = timing
        else {
            return None;
        };
        if !warmup {
            walls.push(wall);
            cpus.push(cpu);
            checksum = sum;
            for (total, time) in sums.iter_mut().zip(recorded_times(&board)) {
                *total += time;
            }
        }
    }
    let wall = Summary::of(&walls);
    let mut task_times = scale_to_total(&sums, wall.median);
    let serial_part = task_times.split_off(work.tasks()).pop().unwrap_or_default();
    Some(SideResult {
        task_times,
        serial_part,
        wall,
        cpu: Summary::of(&cpus).median,
        checksum,
    })
}

/// Each task's time on `board`, then the serial part's if it has one.
fn recorded_times(board: &TaskBoard) -> impl Iterator<Item = Duration> {
    let serial_part = board
        .has_serial_part()
        .then(|| board.serial_part_duration());
    board.durations().into_iter().chain(serial_part)
}

/// Scales summed per-task times (and the serial part's, if any) so they add
/// up to `total`: each then carries its share of the loop's own cost between
/// tasks, and the ideal for one worker equals the measured serial time
/// instead of undercutting it.
fn scale_to_total(task_sums: &[Duration], total: Duration) -> Vec<Duration> {
    let sum: Duration = task_sums.iter().sum();
    if sum.is_zero() {
        return vec![total / task_sums.len().max(1) as u32; task_sums.len()];
    }
    let factor = total.as_secs_f64() / sum.as_secs_f64();
    task_sums.iter().map(|t| t.mul_f64(factor)).collect()
}

/// The outcome of `parlab run`: both sides, the ideal and the ratios.
#[derive(Clone, Debug, Serialize)]
pub struct RunReport {
    /// The kind of work.
    pub workload: WorkloadKind,
    /// Number of tasks.
    pub tasks: usize,
    /// Workers on the parallel side.
    pub workers: usize,
    /// Nominal task duration in milliseconds.
    pub task_ms: f64,
    /// Timed runs per side.
    pub repeat: usize,
    /// Untimed warm-up runs per side.
    pub warmup: usize,
    /// Median serial wall time.
    #[serde(serialize_with = "serialize_secs", rename = "serial_s")]
    pub serial_time: Duration,
    /// Median parallel wall time.
    #[serde(serialize_with = "serialize_secs", rename = "parallel_s")]
    pub parallel_time: Duration,
    /// The model's parallel time from the serial per-task times.
    #[serde(serialize_with = "serialize_secs", rename = "ideal_parallel_s")]
    pub ideal_time: Duration,
    /// What bounds the ideal: waves, cores, the longest task or Amdahl.
    pub ideal_model: Bound,
    /// Tasks that can progress at once in the model.
    pub ideal_lanes: usize,
    /// Serial over ideal: the best speedup the model allows.
    pub ideal_speedup: f64,
    /// Serial over parallel, medians.
    pub speedup: f64,
    /// Speedup per worker.
    pub efficiency: f64,
    /// Whether both sides computed the same checksum.
    pub results_match: bool,
    /// Time to build the worker pool, outside both clocks.
    #[serde(serialize_with = "serialize_secs", rename = "pool_build_s")]
    pub pool_build: Duration,
    /// Parallel time beyond the ideal, per task and lane: what scheduling
    /// and contention cost each task.
    #[serde(serialize_with = "serialize_secs", rename = "overhead_per_task_s")]
    pub overhead_per_task: Duration,
    /// Serial side details.
    pub serial: SideReport,
    /// Parallel side details.
    pub parallel: SideReport,
    /// The serial part of a `serial-fraction` run; absent for the others.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub serial_part: Option<SerialPartReport>,
    /// The machine it ran on.
    pub machine: MachineInfo,
    /// Things the reader should know, such as noisy repeats.
    pub warnings: Vec<String>,
}

/// One side as reported: wall-time summary plus CPU time.
#[derive(Clone, Debug, Serialize)]
pub struct SideReport {
    /// Wall-time runs, min, median and max.
    #[serde(flatten)]
    pub wall: Summary,
    /// Median CPU time of the threads that ran the tasks.
    #[serde(serialize_with = "serialize_secs", rename = "cpu_s")]
    pub cpu: Duration,
}

/// The part of the work no worker can share, as set and as measured.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SerialPartReport {
    /// The fraction of the total work that runs serially.
    pub serial_fraction: f64,
    /// Its measured time on the serial side (median run's share).
    #[serde(serialize_with = "serialize_secs", rename = "serial_part_s")]
    pub time: Duration,
}

/// Runs the whole experiment for `spec`. `None` means it was cancelled.
pub fn measure_run(
    spec: &RunSpec,
    rounds: Rounds,
    machine: &MachineInfo,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(RunEvent),
) -> anyhow::Result<Option<RunReport>> {
    let work = Workload::for_spec(spec);
    let Some(serial) = measure_side(&work, Side::Serial, None, rounds, cancel, on_event) else {
        return Ok(None);
    };
    let (pool, pool_build) = build_pool(spec.workers)?;
    let Some(parallel) = measure_side(&work, Side::Parallel, Some(&pool), rounds, cancel, on_event)
    else {
        return Ok(None);
    };
    Ok(Some(RunReport::new(
        spec, rounds, machine, &serial, &parallel, pool_build,
    )))
}

impl RunReport {
    /// Combines both sides' measurements with the ideal model.
    pub fn new(
        spec: &RunSpec,
        rounds: Rounds,
        machine: &MachineInfo,
        serial: &SideResult,
        parallel: &SideResult,
        pool_build: Duration,
    ) -> Self {
        let cpus = spec.workload.uses_cores().then(|| machine.compute_lanes());
        let serial_part =
            (spec.workload == WorkloadKind::SerialFraction).then_some(SerialPartReport {
                serial_fraction: spec.serial_fraction,
                time: serial.serial_part,
            });
        let ideal = serial.ideal(spec.workers, cpus);
        let speedup = speedup(serial.wall.median, parallel.wall.median);
        let excess = parallel.wall.median.saturating_sub(ideal.time);
        Self {
            workload: spec.workload,
            tasks: spec.tasks,
            workers: spec.workers,
            task_ms: spec.task_ms,
            repeat: rounds.repeat,
            warmup: rounds.warmup,
            serial_time: serial.wall.median,
            parallel_time: parallel.wall.median,
            ideal_time: ideal.time,
            ideal_model: ideal.bound,
            ideal_lanes: ideal.lanes,
            ideal_speedup: crate::stats::speedup(serial.wall.median, ideal.time),
            speedup,
            efficiency: efficiency(speedup, spec.workers),
            results_match: serial.checksum == parallel.checksum,
            pool_build,
            overhead_per_task: excess * ideal.lanes as u32 / spec.tasks.max(1) as u32,
            serial: SideReport {
                wall: serial.wall.clone(),
                cpu: serial.cpu,
            },
            parallel: SideReport {
                wall: parallel.wall.clone(),
                cpu: parallel.cpu,
            },
            serial_part,
            machine: machine.clone(),
            warnings: warnings(serial, parallel),
        }
    }
}

fn warnings(serial: &SideResult, parallel: &SideResult) -> Vec<String> {
    let mut out = Vec::new();
    for (name, side) in [("serial", serial), ("parallel", parallel)] {
        if side.wall.is_noisy() {
            out.push(format!(
                "{name} runs varied by more than {:.0} % (min {}, max {}): the machine may be busy; try more --repeat",
                crate::stats::NOISY_SPREAD * 100.0,
                crate::units::format_duration(side.wall.min),
                crate::units::format_duration(side.wall.max),
            ));
        }
    }
    if serial.checksum != parallel.checksum {
        out.push(
            "serial and parallel checksums differ: the two sides did not do the same work".into(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_cpu_run_matches_and_reports_every_round() {
        let spec = RunSpec {
            workload: WorkloadKind::Cpu,
            tasks: 8,
            workers: 2,
            task_ms: 0.2,
            ..RunSpec::SEED_DEMO
        };
        let rounds = Rounds {
            repeat: 3,
            warmup: 1,
        };
        let mut started = 0;
        let report = measure_run(
            &spec,
            rounds,
            &MachineInfo::synthetic(2, 2),
            &AtomicBool::new(false),
            &mut |e| {
                if matches!(e, RunEvent::Started { .. }) {
                    started += 1;
                }
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(started, 8);
        assert!(report.results_match);
        assert_eq!(report.serial.wall.runs.len(), 3);
        assert!(report.ideal_time > Duration::ZERO);
        assert_eq!(report.ideal_model, Bound::Waves);
    }

    #[test]
    fn a_serial_fraction_run_measures_its_serial_part_and_uses_amdahl() {
        let spec = RunSpec {
            workload: WorkloadKind::SerialFraction,
            tasks: 6,
            workers: 3,
            task_ms: 1.0,
            serial_fraction: 0.5,
        };
        let machine = MachineInfo::synthetic(2, 2);
        let report = measure_run(
            &spec,
            Rounds::ONCE,
            &machine,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap()
        .unwrap();
        assert!(report.results_match);
        assert_eq!((report.ideal_model, report.ideal_lanes), (Bound::Amdahl, 2));
        let part = report.serial_part.unwrap();
        assert_eq!(part.serial_fraction, 0.5);
        assert!(part.time > Duration::ZERO && part.time < report.ideal_time);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["ideal_model"], "amdahl");
        assert_eq!(json["serial_fraction"], 0.5);
        assert!(json["serial_part_s"].as_f64().unwrap() > 0.0);
    }

    #[test]
    fn task_times_are_scaled_to_the_measured_total() {
        let scaled = scale_to_total(
            &[Duration::from_millis(1), Duration::from_millis(3)],
            Duration::from_millis(8),
        );
        assert_eq!(
            scaled,
            vec![Duration::from_millis(2), Duration::from_millis(6)]
        );
        assert_eq!(
            scale_to_total(&[Duration::ZERO; 2], Duration::from_millis(8))[1],
            Duration::from_millis(4)
        );
    }

    #[test]
    fn a_cancelled_experiment_reports_nothing() {
        let spec = RunSpec {
            tasks: 4,
            task_ms: 1.0,
            ..RunSpec::SEED_DEMO
        };
        let outcome = measure_run(
            &spec,
            Rounds::ONCE,
            &MachineInfo::synthetic(1, 1),
            &AtomicBool::new(true),
            &mut |_| {},
        )
        .unwrap();
        assert!(outcome.is_none());
    }
}
