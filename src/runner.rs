//! Runs a workload serially or on a rayon pool of N workers, recording every
//! task on a [`TaskBoard`] and reporting phases as [`RunEvent`]s.
//!
//! The parallel side always gets a fresh pool with exactly the requested
//! number of threads, built before its clock starts; rayon's global pool is
//! never used, so the worker count on screen is the one that ran.
//!
//! A workload's serial part, if any, runs first on both sides on a single
//! thread (on the parallel side, one pool worker while the others wait), and
//! is recorded in the board's serial-part slot.

use crate::accounting::ClockReading;
use crate::board::TaskBoard;
use crate::schedule::{Schedule, static_block};
use crate::workload::Workload;
use rayon::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Which side of the comparison a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// All tasks one after another on one thread.
    Serial,
    /// Tasks spread over the worker pool.
    Parallel,
}

impl Side {
    /// Lower-case name for output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Serial => "serial",
            Self::Parallel => "parallel",
        }
    }
}

/// What one timed run of one side measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunTiming {
    /// Wall-clock time from the first task's start to the last task's end.
    pub wall: Duration,
    /// CPU time (user + system) of the threads that ran the tasks.
    pub cpu: Duration,
    /// Sum of all task checksums; `None` when the run was cancelled.
    pub checksum: Option<u64>,
    /// What handing one task to a worker and its result back cost, on
    /// average, apart from the task's work: measured where the pool can
    /// tell the two apart (parlab's processes), `None` elsewhere.
    pub transfer: Option<Duration>,
}

/// Progress of a measurement, for a UI or a progress line.
#[derive(Clone)]
pub enum RunEvent {
    /// A run of `side` begins; its tasks will appear on `board`, with times
    /// counted from `origin`.
    Started {
        /// Which side runs.
        side: Side,
        /// Repetition number, warm-ups included (0-based).
        round: usize,
        /// Whether this round is a warm-up whose time is discarded.
        warmup: bool,
        /// Where the tasks record themselves.
        board: Arc<TaskBoard>,
        /// The instant task times are measured from.
        origin: Instant,
    },
    /// That run ended.
    Finished {
        /// Which side ran.
        side: Side,
        /// What it measured.
        timing: RunTiming,
    },
    /// A worker pool was built for the parallel runs that follow, outside
    /// every clock: a trace shows its start-up apart from the work.
    PoolBuilt {
        /// Workers in the pool.
        workers: usize,
        /// When building it began.
        began: Instant,
        /// How long building it took.
        took: Duration,
    },
}

/// A worker pool of exactly `workers` threads and how long building it took.
pub fn build_pool(
    workers: usize,
) -> Result<(rayon::ThreadPool, Duration), rayon::ThreadPoolBuildError> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .thread_name(|i| format!("parlab-worker-{i}"))
        .build()?;
    Ok((pool, started.elapsed()))
}

/// A fresh board for one run of `work`, with a serial-part slot when the
/// workload has a serial part.
pub fn board_for(work: &Workload) -> TaskBoard {
    if work.has_serial_part() {
        TaskBoard::with_serial_part(work.tasks())
    } else {
        TaskBoard::new(work.tasks())
    }
}

/// Runs the serial part, then every task, on the calling thread, in order.
/// `on_start` is told the instant the clock starts, before the first task.
pub fn run_serial(
    work: &Workload,
    board: &TaskBoard,
    cancel: &AtomicBool,
    on_start: impl FnOnce(Instant),
) -> RunTiming {
    timed(None, board, cancel, on_start, |origin| {
        let head = run_serial_part(work, board, origin, cancel, 0);
        (0..work.tasks())
            .map(|task| run_recorded(work, board, origin, cancel, task, 0))
            .fold(head, u64::wrapping_add)
    })
}

/// Runs the serial part on one pool worker, then every task on `pool`,
/// handed out as `schedule` says. Whatever the schedule needs (the shared
/// counter) is made before the clock starts, and no schedule takes a lock.
pub fn run_parallel(
    work: &Workload,
    pool: &rayon::ThreadPool,
    schedule: Schedule,
    board: &TaskBoard,
    cancel: &AtomicBool,
    on_start: impl FnOnce(Instant),
) -> RunTiming {
    let next = AtomicUsize::new(0);
    timed(Some(pool), board, cancel, on_start, |origin| {
        pool.install(|| {
            let here = rayon::current_thread_index().unwrap_or(0);
            let head = run_serial_part(work, board, origin, cancel, here);
            let run = |task, worker| run_recorded(work, board, origin, cancel, task, worker);
            let tasks = match schedule {
                Schedule::Steal => run_stealing(work.tasks(), run),
                Schedule::Static => run_blocks(work.tasks(), run),
                Schedule::Dynamic { chunk } => run_chunks(work.tasks(), chunk, &next, run),
            };
            head.wrapping_add(tasks)
        })
    })
}

/// One rayon job per task, so idle workers steal single tasks and each
/// lane shows real scheduling.
fn run_stealing(tasks: usize, run: impl Fn(usize, usize) -> u64 + Sync) -> u64 {
    (0..tasks)
        .into_par_iter()
        .with_max_len(1)
        .map(|task| run(task, rayon::current_thread_index().unwrap_or(0)))
        .reduce(|| 0, u64::wrapping_add)
}

/// Every worker of the current pool runs its own contiguous block, cut
/// before any task starts; a worker that ends early stays idle.
fn run_blocks(tasks: usize, run: impl Fn(usize, usize) -> u64 + Sync) -> u64 {
    rayon::broadcast(|ctx| {
        static_block(tasks, ctx.num_threads(), ctx.index())
            .map(|task| run(task, ctx.index()))
            .fold(0, u64::wrapping_add)
    })
    .into_iter()
    .fold(0, u64::wrapping_add)
}

/// Every worker of the current pool takes the next `chunk` tasks from the
/// shared counter `next` until none are left: one atomic add per chunk.
fn run_chunks(
    tasks: usize,
    chunk: usize,
    next: &AtomicUsize,
    run: impl Fn(usize, usize) -> u64 + Sync,
) -> u64 {
    let chunk = chunk.max(1);
    rayon::broadcast(|ctx| {
        let mut sum = 0u64;
        loop {
            let first = next.fetch_add(chunk, Ordering::Relaxed);
            if first >= tasks {
                break sum;
            }
            for task in first..first.saturating_add(chunk).min(tasks) {
                sum = sum.wrapping_add(run(task, ctx.index()));
            }
        }
    })
    .into_iter()
    .fold(0, u64::wrapping_add)
}

/// Runs the workload's serial part, if it has one, on the calling thread,
/// recording it in the board's serial-part slot when the board has one.
pub(crate) fn run_serial_part(
    work: &Workload,
    board: &TaskBoard,
    origin: Instant,
    cancel: &AtomicBool,
    worker: usize,
) -> u64 {
    if !work.has_serial_part() || cancel.load(Ordering::Relaxed) {
        return 0;
    }
    let slot = board.has_serial_part().then_some(board.len());
    if let Some(slot) = slot {
        board.record_start(slot, worker, origin.elapsed());
    }
    let cpu = thread_cpu();
    let checksum = work.run_serial_part(cancel);
    if let Some(slot) = slot {
        board.record_cpu(slot, thread_cpu().saturating_sub(cpu));
        board.record_end(slot, origin.elapsed());
    }
    checksum
}

/// Measures wall and CPU time around `body`, and each lane's clocks for
/// the time accounting. The wall clock starts at the origin handed to
/// `on_start` and `body`; every other clock is read outside it, so reading
/// them costs the measurement nothing.
fn timed(
    pool: Option<&rayon::ThreadPool>,
    board: &TaskBoard,
    cancel: &AtomicBool,
    on_start: impl FnOnce(Instant),
    body: impl FnOnce(Instant) -> u64,
) -> RunTiming {
    let own_before = pool.map(|_| thread_cpu());
    let before = lane_clocks(pool);
    let origin = Instant::now();
    on_start(origin);
    let checksum = body(origin);
    let wall = origin.elapsed();
    let after = lane_clocks(pool);
    let mut cpu = own_before.map_or(Duration::ZERO, |was| thread_cpu().saturating_sub(was));
    for (lane, (now, was)) in after.into_iter().zip(before).enumerate() {
        let clock = now.since(was);
        cpu += clock.cpu;
        board.set_lane_clock(lane, clock);
    }
    RunTiming {
        wall,
        cpu,
        checksum: (!cancel.load(Ordering::Relaxed)).then_some(checksum),
        transfer: None,
    }
}

/// The clocks of the threads that run tasks, lane by lane: every worker of
/// `pool`, or the calling thread for the serial side. Only these count, so
/// a UI or sampler thread in the same process never inflates a run's CPU
/// time.
fn lane_clocks(pool: Option<&rayon::ThreadPool>) -> Vec<ClockReading> {
    pool.map_or_else(
        || vec![ClockReading::this_thread()],
        |pool| pool.broadcast(|_| ClockReading::this_thread()),
    )
}

/// CPU time of the calling thread (zero where the OS cannot tell).
pub(crate) fn thread_cpu() -> Duration {
    cpu_time::ThreadTime::try_now().map_or(Duration::ZERO, |t| t.as_duration())
}

/// Runs one task unless cancelled, writing its span on the board.
fn run_recorded(
    work: &Workload,
    board: &TaskBoard,
    origin: Instant,
    cancel: &AtomicBool,
    task: usize,
    worker: usize,
) -> u64 {
    if cancel.load(Ordering::Relaxed) {
        return 0;
    }
    board.record_start(task, worker, origin.elapsed());
    let checksum = if work.task_ms() >= TIMED_TASK_MS {
        let cpu = thread_cpu();
        let checksum = work.run_task(task, cancel);
        board.record_cpu(task, thread_cpu().saturating_sub(cpu));
        checksum
    } else {
        work.run_task(task, cancel)
    };
    board.record_end(task, origin.elapsed());
    checksum
}

/// Tasks of at least this many milliseconds read their thread's CPU clock
/// before and after, for the time accounting: two reads of about a
/// microsecond are then under a thousandth of the task. Shorter tasks are
/// accounted from each worker's clocks over the whole round.
pub const TIMED_TASK_MS: f64 = 1.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::WorkloadKind;

    fn fresh(tasks: usize) -> (Workload, TaskBoard, AtomicBool) {
        let work = Workload::prepare(WorkloadKind::Cpu, tasks, 0.05);
        (work, TaskBoard::new(tasks), AtomicBool::new(false))
    }

    #[test]
    fn serial_and_parallel_checksums_match() {
        let (work, board, cancel) = fresh(40);
        let serial = run_serial(&work, &board, &cancel, |_| {});
        let (pool, _) = build_pool(3).unwrap();
        let parallel = run_parallel(
            &work,
            &pool,
            Schedule::Steal,
            &TaskBoard::new(40),
            &cancel,
            |_| {},
        );
        assert!(serial.checksum.is_some());
        assert_eq!(serial.checksum, parallel.checksum);
    }

    #[test]
    fn every_task_runs_once_on_a_valid_worker() {
        let (work, board, cancel) = fresh(64);
        let (pool, _) = build_pool(4).unwrap();
        run_parallel(&work, &pool, Schedule::Steal, &board, &cancel, |_| {});
        let spans: Vec<_> = board.spans().collect();
        assert_eq!(spans.len(), 64);
        for span in spans {
            assert!(span.worker < 4);
            assert!(span.end.unwrap() >= span.start);
        }
    }

    #[test]
    fn every_schedule_runs_each_task_once_with_the_serial_checksum() {
        let (work, board, cancel) = fresh(50);
        let serial = run_serial(&work, &board, &cancel, |_| {});
        let (pool, _) = build_pool(3).unwrap();
        for schedule in [
            Schedule::Steal,
            Schedule::Static,
            Schedule::Dynamic { chunk: 1 },
            Schedule::Dynamic { chunk: 7 },
            Schedule::Dynamic { chunk: 1000 },
        ] {
            let board = TaskBoard::new(50);
            let parallel = run_parallel(&work, &pool, schedule, &board, &cancel, |_| {});
            assert_eq!(parallel.checksum, serial.checksum, "{schedule:?}");
            let spans: Vec<_> = board.spans().collect();
            assert_eq!(spans.len(), 50, "{schedule:?}");
            assert!(spans.iter().all(|s| s.worker < 3 && s.end.is_some()));
        }
    }

    #[test]
    fn static_gives_each_worker_one_contiguous_block() {
        let (work, board, cancel) = fresh(10);
        let (pool, _) = build_pool(3).unwrap();
        run_parallel(&work, &pool, Schedule::Static, &board, &cancel, |_| {});
        let workers: Vec<usize> = board.spans().map(|s| s.worker).collect();
        let owner = |range: std::ops::Range<usize>| {
            let first = workers[range.start];
            assert!(workers[range].iter().all(|w| *w == first), "{workers:?}");
            first
        };
        let mut owners = [owner(0..3), owner(3..6), owner(6..10)];
        owners.sort_unstable();
        assert_eq!(owners, [0, 1, 2], "one block per worker: {workers:?}");
    }

    #[test]
    fn dynamic_chunks_keep_runs_of_tasks_on_one_worker() {
        let (work, board, cancel) = fresh(40);
        let (pool, _) = build_pool(2).unwrap();
        let schedule = Schedule::Dynamic { chunk: 10 };
        run_parallel(&work, &pool, schedule, &board, &cancel, |_| {});
        let workers: Vec<usize> = board.spans().map(|s| s.worker).collect();
        for chunk in workers.chunks(10) {
            assert!(chunk.iter().all(|w| *w == chunk[0]), "{workers:?}");
        }
    }

    #[test]
    fn serial_tasks_run_in_order_on_worker_zero() {
        let (work, board, cancel) = fresh(10);
        run_serial(&work, &board, &cancel, |_| {});
        let spans: Vec<_> = board.spans().collect();
        assert!(spans.iter().all(|s| s.worker == 0));
        assert!(spans.windows(2).all(|w| w[0].end.unwrap() <= w[1].start));
    }

    #[test]
    fn the_serial_part_runs_first_and_both_sides_match() {
        let work =
            Workload::prepare(WorkloadKind::SerialFraction, 6, 0.2).with_serial_fraction(0.5);
        let cancel = AtomicBool::new(false);
        let serial_board = board_for(&work);
        let serial = run_serial(&work, &serial_board, &cancel, |_| {});
        let (pool, _) = build_pool(3).unwrap();
        let board = board_for(&work);
        let parallel = run_parallel(&work, &pool, Schedule::Steal, &board, &cancel, |_| {});
        assert!(serial.checksum.is_some());
        assert_eq!(serial.checksum, parallel.checksum);
        for board in [&serial_board, &board] {
            let part_end = board.serial_part().unwrap().end.unwrap();
            assert!(board.spans().all(|task| task.start >= part_end));
            assert_eq!(board.spans().count(), 6);
        }
    }

    #[test]
    fn a_cancelled_run_has_no_checksum_and_skips_tasks() {
        let (work, board, cancel) = fresh(10);
        cancel.store(true, Ordering::Relaxed);
        let timing = run_serial(&work, &board, &cancel, |_| {});
        assert_eq!(timing.checksum, None);
        assert_eq!(board.spans().count(), 0);
    }

    #[test]
    fn cpu_time_counts_only_the_threads_that_run_tasks() {
        let work = Workload::prepare(WorkloadKind::Sleep, 4, 20.0);
        let board = TaskBoard::new(4);
        let cancel = AtomicBool::new(false);
        let busy = AtomicBool::new(true);
        let timing = std::thread::scope(|scope| {
            scope.spawn(|| {
                while busy.load(Ordering::Relaxed) {
                    std::hint::spin_loop();
                }
            });
            let (pool, _) = build_pool(2).unwrap();
            let timing = run_parallel(&work, &pool, Schedule::Steal, &board, &cancel, |_| {});
            busy.store(false, Ordering::Relaxed);
            timing
        });
        // A spinning bystander thread burns a core meanwhile; sleeping tasks
        // themselves use next to nothing.
        assert!(timing.cpu < timing.wall / 4, "{timing:?}");
    }
}
