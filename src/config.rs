//! The settings of one experiment and the limits that keep them sane.
//!
//! The CLI, the lab, lessons and presets all build a [`Work`] and call
//! [`Work::validate`],
//! so a bad value gets the same one-line explanation everywhere.

use crate::pool::Pool;
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
        return Err(SpecError::PlanTooLong(crate::output::units::format_span(
            estimate,
        )));
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

    /// How long the serial side should take, from the nominal task time.
    pub fn serial_estimate(&self) -> Duration {
        Duration::from_secs_f64((self.tasks as f64 * self.task_ms / 1000.0).min(1e9))
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
        if self.serial_estimate() > MAX_SERIAL {
            return Err(SpecError::TooLong(crate::output::units::format_span(
                self.serial_estimate(),
            )));
        }
        Ok(())
    }
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
    fn a_chunk_may_be_as_large_as_the_task_limit() {
        assert_eq!(crate::schedule::MAX_CHUNK, MAX_TASKS);
    }

    #[test]
    fn the_seed_demo_is_valid() {
        assert_eq!(Work::SEED_DEMO.validate(), Ok(()));
        assert_eq!(
            Work::SEED_DEMO.serial_estimate(),
            Duration::from_millis(2400)
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
