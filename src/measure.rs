//! One experiment: warm-ups and repeats of the serial side, then of the
//! parallel side, summarised into a [`RunResult`].
//!
//! The serial per-task times measured here feed the ideal model; nothing
//! from the parallel side does, so the ideal can honestly be compared with
//! the parallel measurement.

mod run_result;

pub use run_result::{MeasuredSerialPart, RunResult, SideSummary};

use crate::accounting::{Reference, RoundRecord};
use crate::board::TaskBoard;
use crate::config::Work;
use crate::machine::MachineInfo;
use crate::pool::{Engine, RunsSide};
use crate::runner::{RunEvent, RunTiming, Side, board_for};
use crate::stats::{Ideal, Summary, amdahl_ideal, ideal_parallel};
use crate::workload::Workload;
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// How many times to run each side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

    /// Runs of each side, warm-ups included.
    pub fn total(self) -> usize {
        self.repeat.saturating_add(self.warmup)
    }
}

/// How long one parallel run of `spec` on `workers` should take from the
/// task estimate: the serial part, if any, then waves of tasks on the
/// lanes that can make progress (the workers, or the CPUs if fewer and the
/// tasks compute), each task slowed by the contention of its kind where
/// workers write one cache line, and never less than handing every task
/// over one at a time costs the pool. A model for planning, never shown as
/// a measurement.
pub fn parallel_estimate(spec: &Work, workers: usize, cpus: usize) -> Duration {
    let lanes = if spec.workload.uses_cores() {
        workers.min(cpus)
    } else {
        workers
    }
    .max(1);
    let serial = spec.serial_estimate().as_secs_f64();
    let fraction = if spec.workload.has_serial_part() {
        spec.serial_fraction
    } else {
        0.0
    };
    let waves = spec.tasks.div_ceil(lanes) as f64 / spec.tasks.max(1) as f64;
    // Workers that write one cache line slow each other down: by the
    // slowdown calibrated with two threads, where two can run at once.
    let contended = if lanes > 1 {
        spec.workload.contention_slowdown()
    } else {
        1.0
    };
    let handed_out = spec.tasks as f64 * spec.pool.task_cost().parallel.as_secs_f64();
    let tasks = serial * (1.0 - fraction) * waves * contended;
    seconds(serial * fraction + tasks.max(handed_out))
}

/// How long measuring `spec` for `rounds` should take on a machine with
/// `cpus` logical CPUs: every warm-up and timed run of both sides, from the
/// nominal task time. What the one-hour limit and the progress line use.
pub fn run_estimate(spec: &Work, rounds: Rounds, cpus: usize) -> Duration {
    let once = spec.serial_estimate() + parallel_estimate(spec, spec.workers, cpus);
    seconds(once.as_secs_f64() * rounds.total() as f64)
}

/// Seconds as a duration, saturating far beyond any limit instead of
/// panicking on overflow.
pub(crate) fn seconds(secs: f64) -> Duration {
    Duration::from_secs_f64(secs.clamp(0.0, 1e12))
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
    /// Median cost of handing a task over and its result back, apart from
    /// the work, where the pool measures it.
    pub transfer: Option<Duration>,
    /// The longest a worker sat idle at the end of the median timed run
    /// while another still worked; `None` for one lane.
    pub end_idle: Option<EndIdle>,
    /// What the time accounting needs of this side.
    pub record: SideRecord,
}

/// One side as the time accounting reads it: the timed run nearest the
/// median, and each task's own time (not scaled to the wall time).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SideRecord {
    /// The lanes of the run nearest the median.
    pub round: RoundRecord,
    /// Each task's span, mean of the timed runs.
    pub task_work: Vec<Duration>,
    /// The serial part's span, mean of the timed runs.
    pub part_work: Duration,
    /// The total every worker added to in that run, for the kinds that
    /// have one.
    pub shared_total: Option<SharedTotal>,
}

/// The one total every worker of a `lost-update` or `atomic-update` run
/// added to, read after the round, against what it should be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SharedTotal {
    /// Every task's increments added up: what no lost update comes to.
    pub expected: u64,
    /// What the total came to.
    pub measured: u64,
}

impl SharedTotal {
    /// Updates that were lost: the expected total less the measured one.
    pub fn lost(self) -> u64 {
        self.expected.saturating_sub(self.measured)
    }

    /// The lost updates as a share of the expected total.
    pub fn lost_share(self) -> f64 {
        self.lost() as f64 / self.expected.max(1) as f64
    }
}

impl SideRecord {
    /// This side as the reference the parallel side is accounted against.
    pub fn reference(&self) -> Reference {
        Reference::new(self.task_work.clone(), self.part_work, &self.round)
    }
}

/// A worker that ran out of tasks before the run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct EndIdle {
    /// The worker (lane) that waited longest.
    pub worker: usize,
    /// From its last task's end to the run's end.
    #[serde(
        serialize_with = "crate::units::serialize_secs",
        deserialize_with = "crate::units::deserialize_secs",
        rename = "idle_s"
    )]
    pub time: Duration,
}

/// The worker of `lanes` that waited longest at the end of the run on
/// `board`: from the end of its last task (or the start, if it got none) to
/// the end of the run's last task. With fewer tasks than lanes, a lane that
/// got no task was never going to get one: that is too few tasks, not work
/// shared out unevenly, so only the lanes that ran a task count. Read from
/// the board after the run, so it costs the measurement nothing.
pub fn end_idle(board: &TaskBoard, lanes: usize) -> Option<EndIdle> {
    if lanes < 2 {
        return None;
    }
    let mut last: Vec<Option<Duration>> = vec![None; lanes];
    let mut end = Duration::ZERO;
    let mut tasks = 0;
    for span in board.spans() {
        let Some(done) = span.end else { continue };
        tasks += 1;
        if let Some(slot) = last.get_mut(span.worker) {
            *slot = Some(slot.map_or(done, |was| was.max(done)));
        }
        end = end.max(done);
    }
    let every_lane_had_work = tasks >= lanes;
    last.iter()
        .enumerate()
        .filter_map(|(worker, done)| match done {
            Some(done) => Some((worker, *done)),
            None if every_lane_had_work => Some((worker, Duration::ZERO)),
            None => None,
        })
        .map(|(worker, done)| EndIdle {
            worker,
            time: end.saturating_sub(done),
        })
        .max_by_key(|idle| idle.time)
}

impl SideResult {
    /// The ideal parallel time on `workers` for the work this serial
    /// measurement timed: Amdahl's model when the work had a serial part,
    /// the schedule of the task times otherwise. `run` and `sweep` share it.
    pub fn ideal(&self, workers: usize, cpus: Option<usize>) -> Ideal {
        ideal_of(&self.task_times, self.serial_part, workers, cpus)
    }
}

fn ideal_of(
    task_times: &[Duration],
    serial_part: Duration,
    workers: usize,
    cpus: Option<usize>,
) -> Ideal {
    if serial_part.is_zero() {
        ideal_parallel(task_times, workers, cpus)
    } else {
        amdahl_ideal(serial_part, task_times, workers, cpus)
    }
}

/// The ideal for the work a finished serial `board` timed in `wall`: the
/// very model [`RunResult`] puts in the table, so the live lanes can draw
/// the same ideal the table prints. Also returns the serial part's time.
pub fn board_ideal(
    board: &TaskBoard,
    wall: Duration,
    workers: usize,
    cpus: Option<usize>,
) -> (Ideal, Duration) {
    let sums: Vec<Duration> = recorded_times(board).collect();
    let mut task_times = scale_to_total(&sums, wall);
    let serial_part = if board.has_serial_part() {
        task_times.pop().unwrap_or_default()
    } else {
        Duration::ZERO
    };
    (
        ideal_of(&task_times, serial_part, workers, cpus),
        serial_part,
    )
}

/// Runs `rounds` of one side on `runs`, reporting each round through
/// `on_event`. Returns `None` if `cancel` was set before the last round
/// ended, an error if the pool failed.
pub fn measure_side(
    work: &Workload,
    side: Side,
    runs: &dyn RunsSide,
    rounds: Rounds,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(RunEvent),
) -> anyhow::Result<Option<SideResult>> {
    let mut walls = Vec::with_capacity(rounds.repeat);
    let mut cpus = Vec::with_capacity(rounds.repeat);
    let mut transfers = Vec::with_capacity(rounds.repeat);
    let mut idles = Vec::with_capacity(rounds.repeat);
    let mut sums = vec![Duration::ZERO; work.tasks() + usize::from(work.has_serial_part())];
    let mut checksum = 0;
    for round in 0..rounds.warmup + rounds.repeat {
        let warmup = round < rounds.warmup;
        let board = Arc::new(board_for(work).with_lane_ids(runs.lanes()));
        let mut started = |origin| {
            on_event(RunEvent::Started {
                side,
                round,
                warmup,
                board: Arc::clone(&board),
                origin,
            })
        };
        let expected_total = work.expected_total();
        if expected_total.is_some() {
            crate::workload::reset_shared_total();
        }
        let timing = runs.run_round(work, &board, cancel, &mut started)?;
        let shared_total = expected_total.map(|expected| SharedTotal {
            expected,
            measured: crate::workload::shared_total(),
        });
        on_event(RunEvent::Finished { side, timing });
        let RunTiming {
            wall,
            cpu,
            checksum: Some(sum),
            transfer,
        } = timing
        else {
            return Ok(None);
        };
        if !warmup {
            walls.push(wall);
            cpus.push(cpu);
            transfers.extend(transfer);
            idles.push((
                wall,
                end_idle(&board, runs.lanes()),
                RoundRecord {
                    between: runs.between_tasks(),
                    ..RoundRecord::of(&board, runs.lanes(), wall)
                },
                shared_total,
            ));
            checksum = sum;
            for (total, time) in sums.iter_mut().zip(recorded_times(&board)) {
                *total += time;
            }
        }
    }
    let wall = Summary::of(&walls);
    // The idle tail of the run whose time is nearest the median, so it
    // belongs to the run the headline figures describe.
    let median_round = idles
        .into_iter()
        .min_by_key(|(time, _, _, _)| time.abs_diff(wall.median));
    let (end_idle, round, shared_total) = median_round.map_or(
        (None, RoundRecord::default(), None),
        |(_, idle, round, total)| (idle, round, total),
    );
    let timed = rounds.repeat.max(1) as u32;
    let mut task_work: Vec<Duration> = sums.iter().map(|sum| *sum / timed).collect();
    let part_work = if work.has_serial_part() {
        task_work.pop().unwrap_or_default()
    } else {
        Duration::ZERO
    };
    let record = SideRecord {
        round,
        task_work,
        part_work,
        shared_total,
    };
    let mut task_times = scale_to_total(&sums, wall.median);
    let serial_part = task_times.split_off(work.tasks()).pop().unwrap_or_default();
    Ok(Some(SideResult {
        task_times,
        serial_part,
        wall,
        cpu: Summary::of(&cpus).median,
        checksum,
        transfer: (!transfers.is_empty()).then(|| Summary::of(&transfers).median),
        end_idle,
        record,
    }))
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

/// Runs the whole experiment for `spec` on its pool: the serial side, then
/// the pool's start-up (timed apart), then the parallel side. `None` means
/// it was cancelled.
pub fn measure_run(
    spec: &Work,
    rounds: Rounds,
    machine: &MachineInfo,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(RunEvent),
) -> anyhow::Result<Option<RunResult>> {
    spec.validate()?;
    let work = spec.prepare_workload();
    let Some(engine) = Engine::start(spec.pool, &work, spec.start_method, cancel)? else {
        return Ok(None);
    };
    let Some(serial) = measure_side(&work, Side::Serial, &engine, rounds, cancel, on_event)? else {
        return Ok(None);
    };
    let began = Instant::now();
    let Some((workers, pool_build)) =
        engine.build(spec.pool, spec.workers, spec.schedule, &work, cancel)?
    else {
        return Ok(None);
    };
    on_event(RunEvent::PoolBuilt {
        workers: spec.workers,
        began,
        took: pool_build,
    });
    let Some(parallel) = measure_side(&work, Side::Parallel, &workers, rounds, cancel, on_event)?
    else {
        return Ok(None);
    };
    let result = RunResult::new(spec, rounds, machine, &serial, &parallel, pool_build);
    Ok(Some(result.with_python(engine.python().cloned())))
}

#[cfg(test)]
mod tests {
    //! Unit tests of the measuring loop and the run report it builds.

    use super::*;
    use crate::stats::Bound;
    use crate::workload::WorkloadKind;

    #[test]
    fn contended_kinds_are_estimated_with_their_calibrated_slowdown() {
        use crate::workload::WorkloadKind;
        let padded = Work {
            workload: WorkloadKind::Padded,
            tasks: 16,
            workers: 2,
            task_ms: 5.0,
            ..Work::SEED_DEMO
        };
        let false_sharing = Work {
            workload: WorkloadKind::FalseSharing,
            ..padded
        };
        let slowdown = WorkloadKind::FalseSharing.contention_slowdown();
        let (alone, contended) = (
            parallel_estimate(&padded, 2, 2).as_secs_f64(),
            parallel_estimate(&false_sharing, 2, 2).as_secs_f64(),
        );
        assert!(
            (contended / alone - slowdown).abs() < 1e-6,
            "{contended} {alone}"
        );
        // One CPU: the workers take turns, and nothing contends.
        assert_eq!(
            parallel_estimate(&false_sharing, 2, 1),
            parallel_estimate(&padded, 2, 1)
        );
    }

    #[test]
    fn a_small_cpu_run_matches_and_reports_every_round() {
        let spec = Work {
            workload: WorkloadKind::Cpu,
            tasks: 8,
            workers: 2,
            task_ms: 0.2,
            ..Work::SEED_DEMO
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
        // Two workers on two CPUs and no serial part: neither the core bound
        // nor Amdahl's. Waves or the longest task depends on the measured task
        // times (a task preempted on a busy machine is legitimately the longest).
        assert!(
            matches!(report.ideal_model, Bound::Waves | Bound::LongestTask),
            "{:?}",
            report.ideal_model
        );
    }

    #[test]
    fn a_serial_fraction_run_measures_its_serial_part_and_uses_amdahl() {
        let spec = Work {
            workload: WorkloadKind::SerialFraction,
            tasks: 6,
            workers: 3,
            task_ms: 1.0,
            serial_fraction: 0.5,
            ..Work::SEED_DEMO
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
        let spec = Work {
            tasks: 4,
            task_ms: 1.0,
            ..Work::SEED_DEMO
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

    #[test]
    fn the_idle_tail_is_the_longest_wait_after_a_worker_s_last_task() {
        let ms = Duration::from_millis;
        let board = TaskBoard::new(4);
        for (task, worker, start, end) in
            [(0, 0, 0, 10), (1, 1, 0, 40), (2, 0, 10, 20), (3, 1, 40, 50)]
        {
            board.record_start(task, worker, ms(start));
            board.record_end(task, ms(end));
        }
        let idle = end_idle(&board, 3).unwrap();
        // w2 ran nothing: idle the whole 50 ms; w0 waited 30 ms.
        assert_eq!((idle.worker, idle.time), (2, ms(50)));
        assert_eq!(
            end_idle(&board, 2).unwrap(),
            EndIdle {
                worker: 0,
                time: ms(30)
            }
        );
        assert_eq!(end_idle(&board, 1), None);
    }

    #[test]
    fn lanes_left_without_a_task_for_want_of_tasks_are_not_idle_at_the_end() {
        let ms = Duration::from_millis;
        let board = TaskBoard::new(2);
        for (task, worker, end) in [(0, 0, 10), (1, 1, 12)] {
            board.record_start(task, worker, ms(0));
            board.record_end(task, ms(end));
        }
        // 2 tasks on 1024 lanes: only w0 and w1 could work; w0 waited 2 ms.
        let idle = end_idle(&board, 1024).unwrap();
        assert_eq!((idle.worker, idle.time), (0, ms(2)));
    }
}
