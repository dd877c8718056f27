//! The task board: where each task writes when it started and ended, and on
//! which worker, without a lock or a message on the hot path.
//!
//! Every task owns one slot and writes it with two atomic stores, so
//! recording costs a few nanoseconds and workers never contend. Readers (the
//! TUI, once per frame, and the report after a run) load the slots while the
//! run goes on and see each task as not started, running or done.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// One task's record. `start` holds `(offset_ns + 1) | worker << 48`, `end`
/// holds `offset_ns + 1`; zero means "not yet". 48 bits of nanoseconds is
/// 78 hours, far past the one-hour plan limit.
#[derive(Default)]
struct Slot {
    start: AtomicU64,
    end: AtomicU64,
}

const TIME_BITS: u32 = 48;
const TIME_MASK: u64 = (1 << TIME_BITS) - 1;

/// What a reader sees of one task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskSpan {
    /// The task's index in the plan.
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
}

impl TaskBoard {
    /// A board for `tasks` tasks, none started.
    pub fn new(tasks: usize) -> Self {
        Self {
            slots: (0..tasks).map(|_| Slot::default()).collect(),
        }
    }

    /// Number of task slots.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True for a board of no tasks.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
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

    /// The task's span, or `None` if it has not started.
    pub fn span(&self, task: usize) -> Option<TaskSpan> {
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

    /// Every task that has started, in task order.
    pub fn spans(&self) -> impl Iterator<Item = TaskSpan> + '_ {
        (0..self.slots.len()).filter_map(|task| self.span(task))
    }

    /// How long each task took; tasks that did not finish count as zero.
    pub fn durations(&self) -> Vec<Duration> {
        (0..self.slots.len())
            .map(|task| match self.span(task) {
                Some(TaskSpan {
                    start,
                    end: Some(end),
                    ..
                }) => end.saturating_sub(start),
                _ => Duration::ZERO,
            })
            .collect()
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
    fn large_worker_indices_and_times_survive_packing() {
        let board = TaskBoard::new(1);
        board.record_start(0, 1023, Duration::from_secs(3600));
        let span = board.span(0).unwrap();
        assert_eq!(span.worker, 1023);
        assert_eq!(span.start, Duration::from_secs(3600));
        assert_eq!(board.span(5), None);
    }
}
