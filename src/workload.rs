//! The workload kinds and the deterministic work each task does.
//!
//! Every task returns a checksum that depends only on its index and its
//! size, so the serial and the parallel run must add up to the same total:
//! that is how parlab proves both sides did the same work. Work is sized in
//! fixed units (iterations, bytes) calibrated once per process, never in
//! time, so a task does the same amount of work whoever runs it and however
//! busy the machine is. The `serial-fraction` kind also has a serial part
//! that both sides run once, on one thread, before the tasks.

mod calibrate;
mod payload;
mod tasks;

pub use calibrate::{
    atomic_increments_per_ms, counter_increments_per_ms, cpu_iterations_per_ms,
    memory_words_per_ms, timer_floor,
};
pub use payload::{MAX_PAYLOAD_KB, payload_input, payload_result};
pub use tasks::{
    CACHE_MULTIPLE, memory_buffer_bytes, memory_buffer_len, memory_buffer_short, mix,
    reset_shared_total, shared_total,
};

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use tasks::{
    Counters, Update, counter_task, cpu_task, locked_task, memory_task, shared_total_task,
    sleep_task, the_shared_total,
};

/// What each task does; each kind teaches a different limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum WorkloadKind {
    /// Sleeps: stands for waiting on disk or network. Scales with workers.
    Sleep,
    /// Integer arithmetic on one core. Scales with cores.
    Cpu,
    /// Streams through a buffer larger than the caches. Scales with bandwidth.
    Memory,
    /// CPU tasks of unequal size: the first is five times longer.
    Uneven,
    /// CPU tasks of a few microseconds: scheduling overhead shows.
    Tiny,
    /// CPU work of which a fixed fraction runs on one thread before the
    /// rest is spread over the tasks: Amdahl's law.
    SerialFraction,
    /// `serial-fraction` as waiting work: the serial part and the tasks
    /// sleep, so the laws can be drawn past the CPUs a machine has.
    SerialFractionWaiting,
    /// Each worker increments its own counter, and all counters share one
    /// cache line: the line moves between the cores on every write.
    FalseSharing,
    /// The same increments with one cache line per counter.
    Padded,
    /// CPU work done in steps, each step under one lock every worker shares.
    Locked,
    /// A demonstration: every worker adds to one shared total by a load and
    /// a separate store (unsynchronised `total += 1`), so updates are lost
    /// when workers run at once; the run reports the total against the
    /// expected one.
    LostUpdate,
    /// The same shared total, each update one `fetch_add`: none is lost.
    AtomicUpdate,
}

/// The serial fraction used when none is given: a quarter of the work, so
/// the speedup can never pass 4× however many cores there are.
pub const DEFAULT_SERIAL_FRACTION: f64 = 0.25;

impl WorkloadKind {
    /// The name used on the command line, in JSON and on screen.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Whether a serial part runs on one thread before the tasks.
    pub fn has_serial_part(self) -> bool {
        matches!(self, Self::SerialFraction | Self::SerialFractionWaiting)
    }

    /// Whether the tasks write memory that every worker shares, which only
    /// threads of one process can do.
    pub fn shares_memory(self) -> bool {
        matches!(
            self,
            Self::FalseSharing
                | Self::Padded
                | Self::Locked
                | Self::LostUpdate
                | Self::AtomicUpdate
        )
    }

    /// Whether the tasks add to one total every worker shares, which the
    /// run reports against the expected total.
    pub fn has_shared_total(self) -> bool {
        matches!(self, Self::LostUpdate | Self::AtomicUpdate)
    }

    /// Task duration used when none is given: tiny tasks are tiny.
    pub fn default_task_ms(self) -> f64 {
        match self {
            Self::Tiny => 0.005,
            _ => 100.0,
        }
    }

    /// How many times longer a task takes while another core writes the
    /// same cache line (`false-sharing`, `lost-update`, `atomic-update`),
    /// calibrated once per kind and process; 1 for the other kinds. An
    /// estimate's input only: the run measures what really happens.
    pub fn contention_slowdown(self) -> f64 {
        match self {
            Self::FalseSharing | Self::LostUpdate | Self::AtomicUpdate => {
                calibrate::contention_slowdown(self)
            }
            _ => 1.0,
        }
    }

    /// Whether the tasks keep a core busy, so that cores bound the speedup.
    pub fn uses_cores(self) -> bool {
        !matches!(self, Self::Sleep | Self::SerialFractionWaiting)
    }
}

/// A workload ready to run: kind, task count and the calibrated size of
/// every task. Building one may calibrate (tens of milliseconds, once per
/// process) and allocate the memory buffer, so do it before any clock starts.
///
/// It travels to worker processes as JSON: the calibrated `unit` goes with
/// it, so a worker does exactly the work the parent sized, and the payload
/// itself stays behind (a process pool sends it with every task).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Workload {
    kind: WorkloadKind,
    tasks: usize,
    task_ms: f64,
    unit: f64,
    serial_fraction: f64,
    /// Tasks the serial part is sized against: the task count, or a weak
    /// sweep's one-worker count, so the serial part stays fixed in time
    /// while the parallel part grows with the workers (Gustafson's view).
    serial_tasks: usize,
    payload_kb: usize,
    #[serde(skip)]
    payload: Arc<[u8]>,
}

impl Workload {
    /// Prepares `tasks` tasks of `kind`, each meant to take about `task_ms`;
    /// `serial-fraction` gets [`DEFAULT_SERIAL_FRACTION`].
    pub fn prepare(kind: WorkloadKind, tasks: usize, task_ms: f64) -> Self {
        let units_per_ms = match kind {
            WorkloadKind::Sleep | WorkloadKind::SerialFractionWaiting => 1.0,
            WorkloadKind::Memory => memory_words_per_ms(),
            WorkloadKind::FalseSharing | WorkloadKind::Padded | WorkloadKind::LostUpdate => {
                counter_increments_per_ms()
            }
            WorkloadKind::AtomicUpdate => atomic_increments_per_ms(),
            _ => cpu_iterations_per_ms(),
        };
        Self {
            kind,
            tasks,
            task_ms,
            unit: units_per_ms * task_ms,
            serial_fraction: if kind.has_serial_part() {
                DEFAULT_SERIAL_FRACTION
            } else {
                0.0
            },
            serial_tasks: tasks,
            payload_kb: 0,
            payload: Arc::default(),
        }
    }

    /// Gives every task `kb` kilobytes of input to derive its result from
    /// (0: none). The input is built here, before any clock starts.
    pub fn with_payload_kb(mut self, kb: usize) -> Self {
        self.payload_kb = kb;
        self.payload = payload_input(kb);
        self
    }

    /// The calibrated size of a nominal task, in the kind's own unit
    /// (milliseconds of sleep, iterations, words).
    pub fn unit(&self) -> f64 {
        self.unit
    }

    /// Kilobytes of input each task gets (0: none).
    pub fn payload_kb(&self) -> usize {
        self.payload_kb
    }

    /// The shared input every task reads; empty without a payload.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// Sets the part of the total work done serially before the tasks
    /// (clamped to 0..1); only `serial-fraction` has such a part, so other
    /// kinds ignore it.
    pub fn with_serial_fraction(mut self, fraction: f64) -> Self {
        if self.kind.has_serial_part() {
            self.serial_fraction = if fraction.is_finite() {
                fraction.clamp(0.0, 1.0)
            } else {
                0.0
            };
        }
        self
    }

    /// Sizes the serial part against `tasks` tasks instead of the task
    /// count: a weak sweep keeps the one-worker serial part at every row.
    pub fn with_serial_part_of(mut self, tasks: usize) -> Self {
        self.serial_tasks = tasks;
        self
    }

    /// The part of the total work done serially before the tasks (0 for
    /// kinds without a serial part).
    pub fn serial_fraction(&self) -> f64 {
        self.serial_fraction
    }

    /// Whether a serial part runs before the tasks on both sides.
    pub fn has_serial_part(&self) -> bool {
        self.serial_fraction > 0.0
    }

    /// Does the serial part: `serial_fraction` of all tasks' work, on the
    /// calling thread, and returns its checksum (0 when there is none). Both
    /// sides call it exactly once, so it adds the same to both checksums.
    pub fn run_serial_part(&self, cancel: &AtomicBool) -> u64 {
        if !self.has_serial_part() {
            return 0;
        }
        let amount = self.unit * self.serial_tasks as f64 * self.serial_fraction;
        match self.kind {
            WorkloadKind::SerialFractionWaiting => sleep_task(self.tasks, amount, cancel),
            _ => cpu_task(self.tasks, (amount as u64).max(1), cancel),
        }
    }

    /// Nominal duration of the serial part (zero without one).
    pub fn serial_part_ms(&self) -> f64 {
        self.task_ms * self.serial_tasks as f64 * self.serial_fraction
    }

    /// The workload kind.
    pub fn kind(&self) -> WorkloadKind {
        self.kind
    }

    /// Number of tasks in the plan.
    pub fn tasks(&self) -> usize {
        self.tasks
    }

    /// The nominal task duration the work was sized for.
    pub fn task_ms(&self) -> f64 {
        self.task_ms
    }

    /// Relative size of task `index` (1.0 = a nominal task). `uneven`'s first
    /// task is several times longer and the others shrink so that the total
    /// equals an even plan's. It comes first so that the schedules differ:
    /// static's first block holds it while steal and dynamic spread the short
    /// tasks around it; last, every in-order hand-out would start it last
    /// and all three would end together; `serial-fraction` tasks carry only the share of
    /// the work its serial part leaves them.
    pub fn weight(&self, index: usize) -> f64 {
        if self.kind.has_serial_part() {
            return 1.0 - self.serial_fraction;
        }
        if self.kind != WorkloadKind::Uneven || self.tasks < 2 {
            return 1.0;
        }
        let tasks = self.tasks as f64;
        let long = (tasks / 2.0).clamp(1.0, UNEVEN_LONG_FACTOR);
        if index == 0 {
            long
        } else {
            (tasks - long) / (tasks - 1.0)
        }
    }

    /// Does task `index` and returns its checksum. Stops early (with a
    /// partial checksum) once `cancel` is set, so a cancel never waits for
    /// a long task to finish. With a payload, the task also derives its
    /// result from the shared input.
    pub fn run_task(&self, index: usize, cancel: &AtomicBool) -> u64 {
        let work = self.run_work(index, cancel);
        if self.payload.is_empty() {
            return work;
        }
        let mut result = Vec::new();
        work.wrapping_add(payload_result(index, &self.payload, &mut result))
    }

    /// Does task `index` on an input that was sent to it (a worker
    /// process's copy), writing the result into `result`; the checksum is
    /// the one [`Workload::run_task`] gives for the same input.
    pub fn run_task_on(
        &self,
        index: usize,
        input: &[u8],
        result: &mut Vec<u8>,
        cancel: &AtomicBool,
    ) -> u64 {
        let work = self.run_work(index, cancel);
        if input.is_empty() {
            result.clear();
            return work;
        }
        work.wrapping_add(payload_result(index, input, result))
    }

    /// What the shared total should come to after one round, every update
    /// counted: the increments of all tasks. `None` for kinds without a
    /// shared total.
    pub fn expected_total(&self) -> Option<u64> {
        self.kind.has_shared_total().then(|| {
            (0..self.tasks)
                .map(|index| ((self.unit * self.weight(index)) as u64).max(1))
                .fold(0u64, u64::wrapping_add)
        })
    }

    /// The task's own work, without the payload.
    fn run_work(&self, index: usize, cancel: &AtomicBool) -> u64 {
        let amount = self.unit * self.weight(index);
        match self.kind {
            WorkloadKind::Sleep | WorkloadKind::SerialFractionWaiting => {
                sleep_task(index, amount, cancel)
            }
            WorkloadKind::Memory => memory_task(index, amount as u64, cancel),
            WorkloadKind::FalseSharing => {
                counter_task(Counters::OneLine, index, (amount as u64).max(1), cancel)
            }
            WorkloadKind::Padded => counter_task(
                Counters::LinePerCounter,
                index,
                (amount as u64).max(1),
                cancel,
            ),
            WorkloadKind::Locked => locked_task(index, (amount as u64).max(1), cancel),
            WorkloadKind::LostUpdate => shared_total_task(
                Update::LoadThenStore,
                the_shared_total(),
                index,
                (amount as u64).max(1),
                cancel,
            ),
            WorkloadKind::AtomicUpdate => shared_total_task(
                Update::FetchAdd,
                the_shared_total(),
                index,
                (amount as u64).max(1),
                cancel,
            ),
            _ => cpu_task(index, (amount as u64).max(1), cancel),
        }
    }
}

/// How many times longer than a nominal task the long `uneven` task is.
const UNEVEN_LONG_FACTOR: f64 = 5.0;

#[cfg(test)]
mod tests {
    //! Unit tests of the workload kinds, their weights and their checksums.

    use super::tasks::cpu_task;
    use super::*;
    use crate::cycle::Cycle;
    use std::time::{Duration, Instant};
    use strum::VariantArray;

    fn total(work: &Workload) -> u64 {
        let never = AtomicBool::new(false);
        (0..work.tasks()).fold(0u64, |acc, i| acc.wrapping_add(work.run_task(i, &never)))
    }

    #[test]
    fn cpu_checksums_are_stable_across_calls() {
        let never = AtomicBool::new(false);
        assert_eq!(cpu_task(3, 1000, &never), cpu_task(3, 1000, &never));
        assert_ne!(cpu_task(3, 1000, &never), cpu_task(4, 1000, &never));
        assert_ne!(cpu_task(3, 1000, &never), cpu_task(3, 1001, &never));
    }

    #[test]
    fn every_kind_gives_the_same_total_twice() {
        for &kind in WorkloadKind::VARIANTS {
            let work = Workload::prepare(kind, 6, 0.05);
            assert_eq!(total(&work), total(&work), "{}", kind.name());
        }
    }

    #[test]
    fn uneven_weights_keep_the_total_and_make_one_long_task() {
        let work = Workload::prepare(WorkloadKind::Uneven, 24, 1.0);
        let sum: f64 = (0..24).map(|i| work.weight(i)).sum();
        assert!((sum - 24.0).abs() < 1e-9);
        assert_eq!(work.weight(0), 5.0);
        assert!((1..24).all(|i| (work.weight(i) - 19.0 / 23.0).abs() < 1e-12));
    }

    #[test]
    fn even_kinds_have_unit_weights() {
        let work = Workload::prepare(WorkloadKind::Cpu, 4, 1.0);
        assert!((0..4).all(|i| work.weight(i) == 1.0));
        let two = Workload::prepare(WorkloadKind::Uneven, 2, 1.0);
        assert_eq!(two.weight(0) + two.weight(1), 2.0);
    }

    #[test]
    fn serial_fraction_moves_work_out_of_the_tasks_only_for_its_kind() {
        let work = Workload::prepare(WorkloadKind::SerialFraction, 16, 1.0);
        assert_eq!(work.serial_fraction(), DEFAULT_SERIAL_FRACTION);
        let work = work.with_serial_fraction(0.4);
        let tasks: f64 = (0..16).map(|i| work.weight(i)).sum();
        assert!((tasks + 16.0 * 0.4 - 16.0).abs() < 1e-9);
        let never = AtomicBool::new(false);
        assert_eq!(work.run_serial_part(&never), work.run_serial_part(&never));
        let cpu = Workload::prepare(WorkloadKind::Cpu, 4, 1.0).with_serial_fraction(0.4);
        assert!(!cpu.has_serial_part());
        assert_eq!(cpu.run_serial_part(&never), 0);
        let none =
            Workload::prepare(WorkloadKind::SerialFraction, 4, 1.0).with_serial_fraction(0.0);
        assert!(!none.has_serial_part() && none.weight(0) == 1.0);
    }

    #[test]
    fn shared_counters_give_the_same_total_on_any_threads() {
        for kind in [
            WorkloadKind::FalseSharing,
            WorkloadKind::Padded,
            WorkloadKind::Locked,
            WorkloadKind::LostUpdate,
            WorkloadKind::AtomicUpdate,
        ] {
            let work = Workload::prepare(kind, 8, 0.05);
            let alone = total(&work);
            let never = AtomicBool::new(false);
            let split = std::thread::scope(|scope| {
                let halves: Vec<_> = [0..4, 4..8]
                    .into_iter()
                    .map(|part| {
                        let (work, never) = (&work, &never);
                        scope.spawn(move || {
                            part.fold(0u64, |acc, i| acc.wrapping_add(work.run_task(i, never)))
                        })
                    })
                    .collect();
                halves
                    .into_iter()
                    .map(|half| half.join().unwrap_or_default())
                    .fold(0u64, u64::wrapping_add)
            });
            assert_eq!(alone, split, "{}", kind.name());
            assert!(kind.shares_memory() && kind.uses_cores() && !kind.has_serial_part());
        }
    }

    #[test]
    fn a_shared_total_expects_every_increment_of_every_task() {
        let work = Workload::prepare(WorkloadKind::LostUpdate, 5, 0.01);
        assert_eq!(work.expected_total(), Some(5 * (work.unit() as u64).max(1)));
        let atomic = Workload::prepare(WorkloadKind::AtomicUpdate, 3, 0.01);
        assert_eq!(
            atomic.expected_total(),
            Some(3 * (atomic.unit() as u64).max(1))
        );
        assert_eq!(
            Workload::prepare(WorkloadKind::Padded, 5, 0.01).expected_total(),
            None
        );
        assert!(
            WorkloadKind::LostUpdate.has_shared_total() && WorkloadKind::LostUpdate.shares_memory()
        );
    }

    #[test]
    fn only_the_kinds_that_write_one_line_are_slowed_by_contention() {
        assert_eq!(WorkloadKind::Cpu.contention_slowdown(), 1.0);
        assert_eq!(WorkloadKind::Padded.contention_slowdown(), 1.0);
        let slowdown = WorkloadKind::FalseSharing.contention_slowdown();
        assert!(slowdown >= 1.0 && slowdown.is_finite(), "{slowdown}");
        // Calibrated once: the estimates of one process agree.
        assert_eq!(WorkloadKind::FalseSharing.contention_slowdown(), slowdown);
    }

    #[test]
    fn locked_tasks_do_the_arithmetic_of_cpu_tasks() {
        let never = AtomicBool::new(false);
        assert_eq!(
            super::tasks::locked_task(5, 200_000, &never),
            cpu_task(5, 200_000, &never)
        );
    }

    #[test]
    fn false_sharing_and_padded_do_the_same_increments() {
        let never = AtomicBool::new(false);
        let one = Workload::prepare(WorkloadKind::FalseSharing, 1, 1.0);
        let own = Workload::prepare(WorkloadKind::Padded, 1, 1.0);
        assert_eq!(one.run_task(3, &never), own.run_task(3, &never));
    }

    #[test]
    fn a_waiting_serial_fraction_sleeps_its_serial_part() {
        let work = Workload::prepare(WorkloadKind::SerialFractionWaiting, 4, 20.0)
            .with_serial_fraction(0.5);
        assert!(!WorkloadKind::SerialFractionWaiting.uses_cores());
        assert_eq!(work.serial_part_ms(), 40.0);
        let never = AtomicBool::new(false);
        let started = Instant::now();
        work.run_serial_part(&never);
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(40), "{took:?}");
        assert_eq!(work.weight(0), 0.5);
    }

    #[test]
    fn a_weak_row_keeps_the_serial_part_of_one_worker() {
        let one =
            Workload::prepare(WorkloadKind::SerialFraction, 8, 10.0).with_serial_fraction(0.5);
        let two = Workload::prepare(WorkloadKind::SerialFraction, 16, 10.0)
            .with_serial_fraction(0.5)
            .with_serial_part_of(8);
        assert_eq!(one.serial_part_ms(), two.serial_part_ms());
        assert_eq!(one.weight(0), two.weight(0));
    }

    #[test]
    fn cancel_stops_a_long_sleep_quickly() {
        let work = Workload::prepare(WorkloadKind::Sleep, 1, 5_000.0);
        let cancel = AtomicBool::new(true);
        let started = Instant::now();
        work.run_task(0, &cancel);
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn cycling_kinds_visits_all_and_wraps() {
        let mut kind = WorkloadKind::Sleep;
        for _ in 0..WorkloadKind::VARIANTS.len() {
            kind = kind.next();
        }
        assert_eq!(kind, WorkloadKind::Sleep);
        assert_eq!(WorkloadKind::Tiny.default_task_ms(), 0.005);
    }
}
