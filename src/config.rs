//! The settings of one experiment and the limits that keep them sane.
//!
//! The CLI, the lab, lessons and presets all build a [`Work`] and call
//! [`Work::validate`],
//! so a bad value gets the same one-line explanation everywhere.

use crate::pool::{Pool, StartMethod};
use crate::schedule::{Schedule, ScheduleError};
use crate::workload::{DEFAULT_SERIAL_FRACTION, MAX_PAYLOAD_KB, Workload, WorkloadKind};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use thiserror::Error;

/// Most tasks a plan may have: the task board takes 16 bytes per task.
pub const MAX_TASKS: usize = 10_000_000;
/// Most workers a pool may have.
pub const MAX_WORKERS: usize = 1024;
/// Shortest task, in milliseconds (0.1 µs): short enough that handing a
/// task to a worker costs more than the task.
pub const MIN_TASK_MS: f64 = 0.0001;
/// Longest task, in milliseconds (one minute).
pub const MAX_TASK_MS: f64 = 60_000.0;
/// Longest serial run a plan may ask for.
pub const MAX_SERIAL: Duration = Duration::from_secs(3600);
/// Longest whole plan (every warm-up, repeat, side and sweep row) a command
/// may start; anything longer is almost surely a typo.
pub const MAX_PLAN: Duration = Duration::from_secs(3600);

/// Refuses a plan estimated to take longer than [`MAX_PLAN`], with the
/// estimate in the message.
pub fn check_plan(estimate: Duration) -> Result<(), SpecError> {
    if estimate > MAX_PLAN {
        return Err(SpecError::PlanTooLong(crate::units::format_span(estimate)));
    }
    Ok(())
}

/// The one set of work settings: what runs, how much of it, on what.
///
/// The command line builds it (`WorkArgs`), lessons and presets load it,
/// the lab edits it, and every export writes it as one `work` object that
/// reads back into it. Two experiments are the same exactly when their
/// `Work`s are equal. How often a side is measured ([`Rounds`]) is not part
/// of it: repeating a run changes the noise, not the experiment.
///
/// The serial fraction belongs to the `serial-fraction` workload and is 0
/// for every other one (their work has no serial part), so equal settings
/// compare equal whatever was set before the workload changed.
///
/// [`Rounds`]: crate::measure::Rounds
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Work {
    /// The kind of work each task does.
    pub workload: WorkloadKind,
    /// Tasks of one run (of a weak sweep: per worker).
    pub tasks: usize,
    /// Nominal duration of one task, in milliseconds.
    pub task_ms: f64,
    /// Workers of the parallel side (a sweep's largest count). Presets and
    /// lessons give it apart, relative to the machine.
    #[serde(default = "one")]
    pub workers: usize,
    /// What runs the tasks on the parallel side (and, for the Python
    /// pools, on the serial side too).
    #[serde(default)]
    pub pool: Pool,
    /// How the parallel side hands tasks to its workers: written as
    /// `schedule` and `chunk`.
    #[serde(flatten)]
    pub schedule: Schedule,
    /// Kilobytes of input each task is given and of result it returns.
    #[serde(default)]
    pub payload_kb: usize,
    /// Part of the total work the `serial-fraction` workload runs on one
    /// thread before the tasks (0 <= F < 1); 0 for the other workloads.
    #[serde(default)]
    pub serial_fraction: f64,
    /// How a CPython process pool starts its workers; `None`: Python's
    /// default on this platform. Other pools have no start method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_method: Option<StartMethod>,
}

fn one() -> usize {
    1
}

impl Work {
    /// The classic demo: 24 tasks that each sleep 0.1 s, on 8 workers.
    pub const SEED_DEMO: Self = Self {
        workload: WorkloadKind::Sleep,
        tasks: 24,
        workers: 8,
        task_ms: 100.0,
        serial_fraction: 0.0,
        schedule: Schedule::Steal,
        pool: Pool::Threads,
        payload_kb: 0,
        start_method: None,
    };

    /// The same settings with another workload: the serial fraction follows
    /// it (the default for `serial-fraction`, 0 for the others).
    pub fn with_workload(self, workload: WorkloadKind) -> Self {
        let serial_fraction = match (workload, self.workload) {
            (WorkloadKind::SerialFraction, WorkloadKind::SerialFraction) => self.serial_fraction,
            (WorkloadKind::SerialFraction, _) => DEFAULT_SERIAL_FRACTION,
            _ => 0.0,
        };
        Self {
            workload,
            serial_fraction,
            ..self
        }
    }

    /// The workload this spec describes, serial fraction included, ready
    /// to run (see [`Workload::prepare`]).
    pub fn prepare_workload(&self) -> Workload {
        Workload::prepare(self.workload, self.tasks, self.task_ms)
            .with_serial_fraction(self.serial_fraction)
            .with_payload_kb(self.payload_kb)
    }

    /// How long one task should take on either side before its pool's
    /// own cost: the nominal time, but a sleep never shorter than this
    /// machine's timer floor (a sleep of 0.1 µs lasts about 80 µs).
    pub fn task_estimate(&self) -> Duration {
        let nominal = Duration::from_secs_f64((self.task_ms / 1000.0).clamp(0.0, 1e9));
        match self.workload {
            WorkloadKind::Sleep => nominal + crate::workload::timer_floor(),
            _ => nominal,
        }
    }

    /// How long the serial side should take: every task's estimate plus
    /// what the engine adds per task (CPython's `map`).
    pub fn serial_estimate(&self) -> Duration {
        let task = self.task_estimate() + self.pool.task_cost().serial;
        Duration::from_secs_f64((self.tasks as f64 * task.as_secs_f64()).min(1e9))
    }

    /// Checks every limit; the error names the setting and its range.
    pub fn validate(&self) -> Result<(), SpecError> {
        if !(1..=MAX_TASKS).contains(&self.tasks) {
            return Err(SpecError::Tasks(self.tasks.to_string()));
        }
        if !(1..=MAX_WORKERS).contains(&self.workers) {
            return Err(SpecError::Workers(self.workers.to_string()));
        }
        if !(MIN_TASK_MS..=MAX_TASK_MS).contains(&self.task_ms) {
            return Err(SpecError::TaskMs(self.task_ms.to_string()));
        }
        if !(0.0..1.0).contains(&self.serial_fraction) {
            return Err(SpecError::SerialFraction(self.serial_fraction.to_string()));
        }
        if !self.workload.has_serial_part() && self.serial_fraction != 0.0 {
            return Err(SpecError::SerialFractionUnused(self.workload.name()));
        }
        self.schedule.validate()?;
        if self.payload_kb > MAX_PAYLOAD_KB {
            return Err(SpecError::PayloadKb(self.payload_kb.to_string()));
        }
        self.pool.check(self.workload, self.schedule)?;
        if self.start_method.is_some() && self.pool != Pool::PythonProcesses {
            return Err(SpecError::StartMethodUnused(self.pool.name()));
        }
        if self.serial_estimate() > MAX_SERIAL {
            return Err(SpecError::TooLong(crate::units::format_span(
                self.serial_estimate(),
            )));
        }
        Ok(())
    }
}

/// Resident memory of one CPython worker process forked from the driver
/// (copy-on-write: what it writes itself); measured as about 1.9 GB for
/// 1024 workers.
const PYTHON_WORKER_BYTES: u64 = 2 << 20;
/// Resident memory of the CPython driver itself.
const PYTHON_DRIVER_BYTES: u64 = 20 << 20;
/// Resident memory of one parlab worker process.
const PARLAB_WORKER_BYTES: u64 = 4 << 20;

/// How much memory a run of some work holds at its peak, and what holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryNeed {
    /// Bytes at the peak.
    pub bytes: u64,
    /// What holds them, in words: "400 tasks × 16.0 MB of results kept by
    /// python-threads".
    pub what: String,
}

impl Work {
    /// The memory a run of this work holds at its peak, by how each pool
    /// keeps the payload: rayon threads share one input and build one
    /// result per worker at a time; parlab's processes copy input and
    /// result through two buffers at each end of every worker's pipe;
    /// CPython's `map` keeps every task's result until the round ends (the
    /// process pool also queues every task's pickled input), and each
    /// CPython worker process is an interpreter of its own. A model for
    /// the plan check, from the payload size and counts given.
    pub fn memory_need(&self) -> MemoryNeed {
        let payload = self.payload_kb as u64 * 1024;
        let (tasks, workers) = (self.tasks as u64, self.workers as u64);
        let mb = |bytes: u64| crate::units::format_bytes(bytes);
        let each = mb(payload);
        let (bytes, what) = match self.pool {
            Pool::Threads => (
                payload.saturating_mul(workers + 1),
                format!(
                    "{} and one result per worker, {each} each",
                    counted_of(workers, "worker")
                ),
            ),
            Pool::Processes => (
                workers.saturating_mul(payload.saturating_mul(4) + PARLAB_WORKER_BYTES),
                format!(
                    "{} × (4 × {each} of pipe buffers + {} of process)",
                    counted_of(workers, "worker process"),
                    mb(PARLAB_WORKER_BYTES)
                ),
            ),
            Pool::PythonThreads => (
                tasks
                    .saturating_mul(payload)
                    .saturating_add(workers.saturating_mul(payload.saturating_mul(3)))
                    .saturating_add(PYTHON_DRIVER_BYTES),
                format!(
                    "{} × {each} of results kept by python-threads",
                    counted_of(tasks, "task")
                ),
            ),
            Pool::PythonProcesses => (
                tasks
                    .saturating_mul(payload.saturating_mul(2))
                    .saturating_add(
                        workers.saturating_mul(payload.saturating_mul(3) + PYTHON_WORKER_BYTES),
                    )
                    .saturating_add(PYTHON_DRIVER_BYTES),
                format!(
                    "{} × {each} of queued inputs and kept results, and {} of {} each",
                    counted_of(tasks, "task"),
                    counted_of(workers, "CPython worker"),
                    mb(PYTHON_WORKER_BYTES)
                ),
            ),
        };
        MemoryNeed { bytes, what }
    }

    /// Refuses this work when its [`Work::memory_need`] exceeds the
    /// memory `available` (`None`: unknown, nothing refused).
    pub fn check_memory(&self, available: Option<u64>) -> Result<(), SpecError> {
        let need = self.memory_need();
        match available {
            Some(available) if need.bytes > available => Err(SpecError::Memory {
                need: crate::units::format_bytes(need.bytes),
                what: need.what,
                available: crate::units::format_bytes(available),
            }),
            _ => Ok(()),
        }
    }
}

fn counted_of(n: u64, noun: &str) -> String {
    crate::units::counted(usize::try_from(n).unwrap_or(usize::MAX), noun)
}

/// A setting outside its range. Each message fits on one line and says what
/// would be accepted.
#[derive(Debug, Error, PartialEq)]
pub enum SpecError {
    /// Task count out of range or not a number.
    #[error("tasks must be a whole number from 1 to {MAX_TASKS}, got {0}")]
    Tasks(String),
    /// Worker count out of range or not a number.
    #[error("workers must be a whole number from 1 to {MAX_WORKERS}, got {0}")]
    Workers(String),
    /// Task duration out of range or not a number.
    #[error("task duration must be from {MIN_TASK_MS} to {MAX_TASK_MS} ms, got {0}")]
    TaskMs(String),
    /// Serial fraction outside 0 <= F < 1 or not a number.
    #[error("serial fraction must be from 0 up to but not including 1, got {0}")]
    SerialFraction(String),
    /// A serial fraction given for a workload that has no serial part.
    #[error("a serial fraction only applies to the serial-fraction workload, not to {0}")]
    SerialFractionUnused(&'static str),
    /// A chunk out of range, or given where it does nothing.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    /// Payload size out of range or not a number.
    #[error("payload must be a whole number of KB from 0 to {MAX_PAYLOAD_KB}, got {0}")]
    PayloadKb(String),
    /// A workload the chosen pool cannot run with the same meaning.
    #[error(transparent)]
    Pool(#[from] crate::pool::PoolError),
    /// A start method given to a pool that starts no Python processes.
    #[error("a start method only applies to --pool python-processes (or all), not to {0}")]
    StartMethodUnused(&'static str),
    /// The serial side alone would take too long.
    #[error(
        "the serial run would take about {0}, over the 1 hour limit: use fewer tasks or shorter ones"
    )]
    TooLong(String),
    /// The whole plan, warm-ups, repeats and sweep rows included, would
    /// take too long.
    #[error(
        "the whole plan would take about {0} (every warm-up, repeat, side and row, estimated from the task time), over the 1 hour limit: use fewer repeats, tasks or worker counts"
    )]
    PlanTooLong(String),
    /// The run would hold more memory than the machine has available.
    #[error(
        "the run would hold about {need} of memory ({what}), more than the {available} available: use fewer tasks or workers, or a smaller --payload-kb"
    )]
    Memory {
        /// The estimate.
        need: String,
        /// What holds it.
        what: String,
        /// Memory available now.
        available: String,
    },
}

/// Parses a task count for clap, with the range in the message.
pub fn parse_tasks(text: &str) -> Result<usize, SpecError> {
    parse_in(text, 1..=MAX_TASKS).ok_or_else(|| SpecError::Tasks(text.to_string()))
}

/// Parses a worker count for clap, with the range in the message.
pub fn parse_workers(text: &str) -> Result<usize, SpecError> {
    parse_in(text, 1..=MAX_WORKERS).ok_or_else(|| SpecError::Workers(text.to_string()))
}

/// Parses a task duration in milliseconds (fractions allowed).
pub fn parse_task_ms(text: &str) -> Result<f64, SpecError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|ms| (MIN_TASK_MS..=MAX_TASK_MS).contains(ms))
        .ok_or_else(|| SpecError::TaskMs(text.to_string()))
}

/// Parses a payload size in KB for clap, with the range in the message.
pub fn parse_payload_kb(text: &str) -> Result<usize, SpecError> {
    parse_in(text, 0..=MAX_PAYLOAD_KB).ok_or_else(|| SpecError::PayloadKb(text.to_string()))
}

/// Parses a serial fraction for clap: 0 <= F < 1.
pub fn parse_serial_fraction(text: &str) -> Result<f64, SpecError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|f| (0.0..1.0).contains(f))
        .ok_or_else(|| SpecError::SerialFraction(text.to_string()))
}

/// The serial fraction a run of `workload` uses when the user gave `given`:
/// the default for `serial-fraction`, 0 for the others, and a refusal
/// where a value given would silently do nothing.
pub fn serial_fraction_for(workload: WorkloadKind, given: Option<f64>) -> Result<f64, SpecError> {
    match (workload, given) {
        (kind, given) if kind.has_serial_part() => Ok(given.unwrap_or(DEFAULT_SERIAL_FRACTION)),
        (_, None) => Ok(0.0),
        (other, Some(_)) => Err(SpecError::SerialFractionUnused(other.name())),
    }
}

fn parse_in(text: &str, range: std::ops::RangeInclusive<usize>) -> Option<usize> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| range.contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleeps_below_the_timer_floor_and_python_tasks_are_estimated_honestly() {
        let tiny_sleeps = Work {
            tasks: 10_000_000,
            task_ms: MIN_TASK_MS,
            ..Work::SEED_DEMO
        };
        // 0.1 µs each by the nominal time, 1 s in all; a sleep lasts at
        // least the timer floor, tens of microseconds.
        let floor = crate::workload::timer_floor();
        assert!(floor > Duration::from_micros(1), "{floor:?}");
        assert!(tiny_sleeps.serial_estimate() >= floor * 10_000_000);
        let tiny_python = Work {
            workload: WorkloadKind::Tiny,
            tasks: 10_000_000,
            task_ms: 0.0001,
            pool: Pool::PythonThreads,
            ..Work::SEED_DEMO
        };
        assert!(tiny_python.serial_estimate() >= Duration::from_secs(40));
        let parallel = crate::measure::parallel_estimate(&tiny_python, 8, 2);
        assert!(
            parallel >= Duration::from_secs(40),
            "the GIL serialises the hand-out"
        );
    }

    #[test]
    fn a_plan_s_memory_is_checked_against_what_is_available() {
        let gb = 1_000_000_000;
        let threads_python = Work {
            pool: Pool::PythonThreads,
            payload_kb: 16384,
            tasks: 400,
            ..Work::SEED_DEMO
        };
        let need = threads_python.memory_need();
        assert!(need.bytes > 6 * gb && need.bytes < 8 * gb, "{need:?}");
        let err = threads_python.check_memory(Some(4 * gb)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("about 6.")
                && text.contains("400 tasks × 16.0 MiB of results kept by python-threads")
                && text.contains("the 3.73 GiB available"),
            "{text}"
        );
        assert_eq!(threads_python.check_memory(Some(64 * gb)), Ok(()));
        assert_eq!(threads_python.check_memory(None), Ok(()));
        let processes = Work {
            pool: Pool::Processes,
            workers: 96,
            payload_kb: 16384,
            ..Work::SEED_DEMO
        };
        assert!(
            processes.memory_need().bytes > 5 * gb,
            "{:?}",
            processes.memory_need()
        );
        let interpreters = Work {
            pool: Pool::PythonProcesses,
            workers: 1024,
            ..Work::SEED_DEMO
        };
        let need = interpreters.memory_need().bytes;
        assert!(need > 2 * gb && need < 3 * gb, "{need}");
        assert!(Work::SEED_DEMO.memory_need().bytes < 1 << 20);
    }

    #[test]
    fn a_chunk_may_be_as_large_as_the_task_limit() {
        assert_eq!(crate::schedule::MAX_CHUNK, MAX_TASKS);
    }

    #[test]
    fn the_seed_demo_is_valid() {
        assert_eq!(Work::SEED_DEMO.validate(), Ok(()));
        // 24 sleeps of 100 ms, each also the timer floor longer.
        let floor = crate::workload::timer_floor();
        assert_eq!(
            Work::SEED_DEMO.serial_estimate(),
            Duration::from_millis(2400) + floor * 24
        );
    }

    #[test]
    fn each_limit_is_enforced_with_its_range() {
        let bad = |f: fn(&mut Work)| {
            let mut spec = Work::SEED_DEMO;
            f(&mut spec);
            spec.validate().unwrap_err().to_string()
        };
        assert!(bad(|s| s.tasks = 0).contains("from 1 to 10000000"));
        assert!(bad(|s| s.workers = 0).contains("from 1 to 1024"));
        assert!(bad(|s| s.task_ms = -5.0).contains("0.0001 to 60000 ms"));
        assert!(bad(|s| s.task_ms = f64::NAN).contains("task duration"));
        assert!(bad(|s| s.serial_fraction = 1.0).contains("from 0 up to but not including 1"));
        assert!(bad(|s| s.serial_fraction = -0.1).contains("serial fraction"));
        assert!(
            bad(|s| {
                s.tasks = 100_000;
                s.task_ms = 1000.0;
            })
            .contains("1 hour limit")
        );
    }

    #[test]
    fn parsers_refuse_out_of_range_and_garbage() {
        assert_eq!(parse_tasks("24"), Ok(24));
        assert!(parse_tasks("0").is_err());
        assert!(parse_tasks("99999999999999999999999").is_err());
        assert!(parse_workers("1025").is_err());
        assert_eq!(parse_task_ms("0.0002"), Ok(0.0002));
        assert!(parse_task_ms("0.00001").is_err());
        assert!(parse_task_ms("1e9").is_err());
        assert!(parse_task_ms("-5").is_err());
        assert!(parse_task_ms("abc").is_err());
        assert_eq!(parse_serial_fraction("0"), Ok(0.0));
        assert_eq!(parse_serial_fraction("0.25"), Ok(0.25));
        assert!(parse_serial_fraction("1").is_err());
        assert!(parse_serial_fraction("NaN").is_err());
    }

    #[test]
    fn a_serial_fraction_is_refused_where_it_would_do_nothing() {
        let sf = WorkloadKind::SerialFraction;
        assert_eq!(serial_fraction_for(sf, None), Ok(DEFAULT_SERIAL_FRACTION));
        assert_eq!(serial_fraction_for(sf, Some(0.5)), Ok(0.5));
        assert_eq!(serial_fraction_for(WorkloadKind::Cpu, None), Ok(0.0));
        let err = serial_fraction_for(WorkloadKind::Cpu, Some(0.5)).unwrap_err();
        assert!(err.to_string().contains("not to cpu"), "{err}");
    }
}
