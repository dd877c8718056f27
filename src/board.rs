//! The task board: where each task writes when it started and ended, and on
//! which worker, without a lock or a message on the hot path.
//!
//! Every task owns one slot and writes it with two atomic stores, so
//! recording costs a few nanoseconds and workers never contend. Readers (the
//! TUI, once per frame, and the report after a run) load the slots while the
//! run goes on and see each task as not started, running or done.
//!
//! A workload with a serial part (`serial-fraction`) gets one extra slot for
//! it, read through [`TaskBoard::serial_part`], so a timeline can draw the
//! part no worker could share apart from the tasks.

use crate::accounting::LaneClock;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

/// One task's record. `start` holds `(offset_ns + 1) | worker << 48`, `end`
/// holds `offset_ns + 1`; zero means "not yet". 48 bits of nanoseconds is
/// 78 hours, far past the one-hour plan limit.
#[derive(Default)]
struct Slot {
    start: AtomicU64,
    end: AtomicU64,
    /// The task's own CPU time + 1 ns, where the pool timed it; 0 if not.
    cpu: AtomicU64,
}

const TIME_BITS: u32 = 48;
const TIME_MASK: u64 = (1 << TIME_BITS) - 1;

/// What a reader sees of one task (or of the serial part).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskSpan {
    /// The task's index in the plan; the serial part has index
    /// [`TaskBoard::len`], one past the last task.
    pub task: usize,
    /// The worker that ran it (0 for the serial run).
    pub worker: usize,
    /// When it started, from the start of its run.
    pub start: Duration,
    /// When it ended; `None` while it is still running.
    pub end: Option<Duration>,
}

/// The slots of one run (one side: serial or parallel).
pub struct TaskBoard {
    slots: Box<[Slot]>,
    tasks: usize,
    /// The OS id (process or thread id) behind each lane, for pools whose
    /// workers have one worth naming; 0 means not known yet.
    lane_ids: Box<[AtomicU32]>,
    /// Each lane's clocks over the round, written once at its end.
    lane_clocks: Box<[OnceLock<LaneClock>]>,
}

impl TaskBoard {
    /// A board for `tasks` tasks, none started.
    pub fn new(tasks: usize) -> Self {
        Self::with_slots(tasks, tasks)
    }

    /// A board for `tasks` tasks plus the serial part that runs before them.
    pub fn with_serial_part(tasks: usize) -> Self {
        Self::with_slots(tasks, tasks + 1)
    }

    fn with_slots(tasks: usize, slots: usize) -> Self {
        Self {
            slots: (0..slots).map(|_| Slot::default()).collect(),
            tasks,
            lane_ids: Box::default(),
            lane_clocks: Box::default(),
        }
    }

    /// The same board with room to name `lanes` lanes by OS id.
    pub fn with_lane_ids(mut self, lanes: usize) -> Self {
        self.lane_ids = (0..lanes).map(|_| AtomicU32::new(0)).collect();
        self.lane_clocks = (0..lanes).map(|_| OnceLock::new()).collect();
        self
    }

    /// Keeps `lane`'s clocks over the round (the first report counts; a
    /// lane the board has no room for is ignored).
    pub fn set_lane_clock(&self, lane: usize, clock: LaneClock) {
        if let Some(slot) = self.lane_clocks.get(lane) {
            let _ = slot.set(clock);
        }
    }

    /// `lane`'s clocks over the round, once its pool reported them.
    pub fn lane_clock(&self, lane: usize) -> Option<LaneClock> {
        self.lane_clocks.get(lane)?.get().copied()
    }

    /// Names `lane` by the OS id of the worker behind it (ignored for a
    /// lane the board has no room for).
    pub fn set_lane_id(&self, lane: usize, id: u32) {
        if let Some(slot) = self.lane_ids.get(lane) {
            slot.store(id, Ordering::Relaxed);
        }
    }

    /// The OS id behind `lane`, once known.
    pub fn lane_id(&self, lane: usize) -> Option<u32> {
        let id = self.lane_ids.get(lane)?.load(Ordering::Relaxed);
        (id != 0).then_some(id)
    }

    /// Number of task slots (the serial part not counted).
    pub fn len(&self) -> usize {
        self.tasks
    }

    /// True for a board of no tasks.
    pub fn is_empty(&self) -> bool {
        self.tasks == 0
    }

    /// Whether this board has a slot for a serial part.
    pub fn has_serial_part(&self) -> bool {
        self.slots.len() > self.tasks
    }

    /// Marks `task` as started on `worker` at `at` from the run's start.
    pub fn record_start(&self, task: usize, worker: usize, at: Duration) {
        let word = encode_time(at) | ((worker as u64) << TIME_BITS);
        self.slots[task].start.store(word, Ordering::Release);
    }

    /// Marks `task` as ended at `at` from the run's start.
    pub fn record_end(&self, task: usize, at: Duration) {
        self.slots[task]
            .end
            .store(encode_time(at), Ordering::Release);
    }

    /// Keeps the CPU time `task` used, measured by whoever ran it.
    pub fn record_cpu(&self, task: usize, cpu: Duration) {
        self.slots[task]
            .cpu
            .store(encode_time(cpu), Ordering::Relaxed);
    }

    /// The CPU time `task` (or the serial part, at [`TaskBoard::len`])
    /// used, if its pool timed it.
    pub fn task_cpu(&self, task: usize) -> Option<Duration> {
        let word = self.slots.get(task)?.cpu.load(Ordering::Relaxed);
        (word != 0).then(|| decode_time(word))
    }

    /// The task's span, or `None` if it has not started.
    pub fn span(&self, task: usize) -> Option<TaskSpan> {
        (task < self.tasks).then(|| self.read(task)).flatten()
    }

    /// The serial part's span: `None` before it starts or on a board
    /// without one. Recorded with the same `record_start`/`record_end` as a
    /// task, at index [`TaskBoard::len`].
    pub fn serial_part(&self) -> Option<TaskSpan> {
        self.read(self.tasks)
    }

    /// How long the serial part took; zero if absent or unfinished.
    pub fn serial_part_duration(&self) -> Duration {
        finished_duration(self.serial_part())
    }

    fn read(&self, task: usize) -> Option<TaskSpan> {
        let slot = self.slots.get(task)?;
        let start = slot.start.load(Ordering::Acquire);
        if start == 0 {
            return None;
        }
        let end = slot.end.load(Ordering::Acquire);
        Some(TaskSpan {
            task,
            worker: (start >> TIME_BITS) as usize,
            start: decode_time(start & TIME_MASK),
            end: (end != 0).then(|| decode_time(end)),
        })
    }

    /// Every task that has started, in task order (the serial part apart).
    pub fn spans(&self) -> impl Iterator<Item = TaskSpan> + '_ {
        (0..self.tasks).filter_map(|task| self.span(task))
    }

    /// How long each task took; tasks that did not finish count as zero.
    pub fn durations(&self) -> Vec<Duration> {
        (0..self.tasks)
            .map(|task| finished_duration(self.span(task)))
            .collect()
    }
}

fn finished_duration(span: Option<TaskSpan>) -> Duration {
    match span {
        Some(TaskSpan {
            start,
            end: Some(end),
            ..
        }) => end.saturating_sub(start),
        _ => Duration::ZERO,
    }
}

fn encode_time(at: Duration) -> u64 {
    (at.as_nanos() as u64).min(TIME_MASK - 1) + 1
}

fn decode_time(word: u64) -> Duration {
    Duration::from_nanos(word - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_goes_from_empty_to_running_to_done() {
        let board = TaskBoard::new(3);
        assert_eq!(board.span(1), None);
        board.record_start(1, 7, Duration::from_nanos(0));
        let running = board.span(1).unwrap();
        assert_eq!(
            (running.worker, running.start, running.end),
            (7, Duration::ZERO, None)
        );
        board.record_end(1, Duration::from_micros(5));
        assert_eq!(board.span(1).unwrap().end, Some(Duration::from_micros(5)));
        assert_eq!(board.spans().count(), 1);
        assert_eq!(
            board.durations(),
            vec![Duration::ZERO, Duration::from_micros(5), Duration::ZERO]
        );
    }

    #[test]
    fn the_serial_part_has_its_own_slot_outside_the_tasks() {
        let board = TaskBoard::with_serial_part(2);
        assert!(board.has_serial_part() && !TaskBoard::new(2).has_serial_part());
        assert_eq!((board.len(), board.serial_part()), (2, None));
        board.record_start(2, 1, Duration::from_millis(1));
        board.record_end(2, Duration::from_millis(4));
        let part = board.serial_part().unwrap();
        assert_eq!((part.task, part.worker), (2, 1));
        assert_eq!(board.serial_part_duration(), Duration::from_millis(3));
        assert_eq!(board.span(2), None);
        assert_eq!(board.spans().count(), 0);
        assert_eq!(board.durations(), vec![Duration::ZERO; 2]);
        assert_eq!(TaskBoard::new(2).serial_part(), None);
    }

    #[test]
    fn lanes_can_be_named_by_os_id() {
        let board = TaskBoard::new(2).with_lane_ids(2);
        assert_eq!(board.lane_id(1), None);
        board.set_lane_id(1, 4321);
        board.set_lane_id(7, 1);
        assert_eq!((board.lane_id(0), board.lane_id(1)), (None, Some(4321)));
        assert_eq!(TaskBoard::new(1).lane_id(0), None);
    }

    #[test]
    fn large_worker_indices_and_times_survive_packing() {
        let board = TaskBoard::new(1);
        board.record_start(0, 1023, Duration::from_secs(3600));
        let span = board.span(0).unwrap();
        assert_eq!(span.worker, 1023);
        assert_eq!(span.start, Duration::from_secs(3600));
        assert_eq!(board.span(5), None);
    }
}
