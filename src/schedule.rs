//! How the parallel side hands tasks to its workers: work stealing (one
//! rayon job per task), static blocks cut up front, or a shared counter
//! that every worker takes the next chunk from.
//!
//! The schedule changes only who runs which task and when; the work, its
//! checksum and the ideal model stay the same, so a slower schedule shows
//! up as time beyond the same ideal.

use crate::cycle::Cycle;
use serde::de::Error as _;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use thiserror::Error;

/// Largest chunk a dynamic schedule may take at once: the task limit
/// ([`crate::config::MAX_TASKS`], which a test in `config` holds equal), set
/// here so that settings depend on schedules and not back.
pub const MAX_CHUNK: usize = 10_000_000;

/// The schedule's name on the command line: `--schedule`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum ScheduleKind {
    /// One rayon job per task; idle workers steal from busy ones.
    Steal,
    /// W contiguous blocks cut up front, one per worker.
    Static,
    /// Every worker takes the next `--chunk` tasks from a shared counter.
    Dynamic,
}

/// How tasks reach workers on the parallel side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Schedule {
    /// One rayon job per task, balanced by work stealing: rayon's way.
    #[default]
    Steal,
    /// The tasks cut into one contiguous block per worker before the start,
    /// like OpenMP's `schedule(static)`: no hand-out cost, no balancing.
    Static,
    /// A shared atomic counter: each worker takes the next `chunk` tasks
    /// when it is free, like OpenMP's `schedule(dynamic, chunk)` or the
    /// `chunksize` of Python's `Pool.map`.
    Dynamic {
        /// Tasks taken per visit to the counter (at least 1).
        chunk: usize,
    },
}

/// A schedule setting that cannot be used.
#[derive(Debug, Error, PartialEq)]
pub enum ScheduleError {
    /// Chunk out of range or not a number.
    #[error("chunk must be a whole number from 1 to {MAX_CHUNK}, got {0}")]
    Chunk(String),
    /// A chunk given for a schedule that takes no chunks.
    #[error("--chunk only applies to --schedule dynamic, not to {0}")]
    ChunkUnused(&'static str),
}

impl Schedule {
    /// The schedule the command line describes: `--chunk` only with
    /// `dynamic` (default 1), where it means something.
    pub fn from_args(kind: ScheduleKind, chunk: Option<usize>) -> Result<Self, ScheduleError> {
        match (kind, chunk) {
            (ScheduleKind::Dynamic, chunk) => Ok(Self::Dynamic {
                chunk: chunk.unwrap_or(1),
            }),
            (other, Some(_)) => Err(ScheduleError::ChunkUnused(Self::of_kind(other, 1).name())),
            (other, None) => Ok(Self::of_kind(other, 1)),
        }
    }

    /// The schedule of `kind`, with `chunk` if it is dynamic.
    pub fn of_kind(kind: ScheduleKind, chunk: usize) -> Self {
        match kind {
            ScheduleKind::Steal => Self::Steal,
            ScheduleKind::Static => Self::Static,
            ScheduleKind::Dynamic => Self::Dynamic { chunk },
        }
    }

    /// Which kind this is.
    pub fn kind(self) -> ScheduleKind {
        match self {
            Self::Steal => ScheduleKind::Steal,
            Self::Static => ScheduleKind::Static,
            Self::Dynamic { .. } => ScheduleKind::Dynamic,
        }
    }

    /// The next kind, wrapping (the lab's `h` key); a dynamic schedule
    /// comes back with chunk 1.
    pub fn next_kind(self) -> Self {
        Self::of_kind(self.kind().next(), 1)
    }

    /// The name used on the command line, in JSON and on screen.
    pub fn name(self) -> &'static str {
        self.kind().into()
    }

    /// The chunk of a dynamic schedule; `None` for the others.
    pub fn chunk(self) -> Option<usize> {
        match self {
            Self::Dynamic { chunk } => Some(chunk),
            _ => None,
        }
    }

    /// Short text for titles and the settings panel: `steal`, `static`,
    /// `dynamic, chunk 1000`.
    pub fn label(self) -> String {
        match self {
            Self::Dynamic { chunk } => format!("dynamic, chunk {chunk}"),
            other => other.name().to_string(),
        }
    }

    /// A few characters for a narrow table cell after the worker count:
    /// nothing for the default, `stat` or `dyn`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Steal => "",
            Self::Static => "stat",
            Self::Dynamic { .. } => "dyn",
        }
    }

    /// Checks the chunk's range.
    pub fn validate(self) -> Result<(), ScheduleError> {
        match self {
            Self::Dynamic { chunk } if !(1..=MAX_CHUNK).contains(&chunk) => {
                Err(ScheduleError::Chunk(chunk.to_string()))
            }
            _ => Ok(()),
        }
    }
}

/// A schedule as its two settings: `schedule` (the kind's name) and
/// `chunk` (`null` unless dynamic). [`crate::config::Work`] flattens it, so
/// exports, lessons and presets spell it as the command line does.
#[derive(Serialize, Deserialize)]
struct ScheduleFields {
    #[serde(default = "steal")]
    schedule: ScheduleKind,
    #[serde(default)]
    chunk: Option<usize>,
}

fn steal() -> ScheduleKind {
    ScheduleKind::Steal
}

impl Serialize for Schedule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ScheduleFields {
            schedule: self.kind(),
            chunk: self.chunk(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Schedule {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = ScheduleFields::deserialize(deserializer)?;
        let schedule = Self::from_args(fields.schedule, fields.chunk).map_err(D::Error::custom)?;
        schedule.validate().map_err(D::Error::custom)?;
        Ok(schedule)
    }
}

/// Parses a chunk for clap, with the range in the message.
pub fn parse_chunk(text: &str) -> Result<usize, ScheduleError> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_CHUNK).contains(n))
        .ok_or_else(|| ScheduleError::Chunk(text.to_string()))
}

/// The tasks worker `worker` of `workers` runs under a static schedule:
/// contiguous blocks whose sizes differ by at most one task.
pub fn static_block(tasks: usize, workers: usize, worker: usize) -> Range<usize> {
    let workers = workers.max(1);
    let bound = |w: usize| w.min(workers) * tasks / workers;
    bound(worker)..bound(worker + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_blocks_cover_every_task_once_in_order() {
        for (tasks, workers) in [(24, 2), (10, 3), (3, 8), (1, 1), (7, 7)] {
            let blocks: Vec<_> = (0..workers)
                .map(|w| static_block(tasks, workers, w))
                .collect();
            assert_eq!(blocks[0].start, 0);
            assert_eq!(blocks[workers - 1].end, tasks);
            assert!(blocks.windows(2).all(|b| b[0].end == b[1].start));
            let sizes: Vec<usize> = blocks.iter().map(|b| b.len()).collect();
            let (min, max) = (sizes.iter().min(), sizes.iter().max());
            assert!(
                max.unwrap() - min.unwrap() <= 1,
                "{tasks}/{workers}: {sizes:?}"
            );
        }
        assert_eq!(static_block(24, 2, 1), 12..24);
    }

    #[test]
    fn a_chunk_is_refused_where_it_would_do_nothing() {
        use ScheduleKind as K;
        assert_eq!(Schedule::from_args(K::Steal, None), Ok(Schedule::Steal));
        assert_eq!(
            Schedule::from_args(K::Dynamic, None),
            Ok(Schedule::Dynamic { chunk: 1 })
        );
        assert_eq!(
            Schedule::from_args(K::Dynamic, Some(1000)),
            Ok(Schedule::Dynamic { chunk: 1000 })
        );
        let err = Schedule::from_args(K::Static, Some(4)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--chunk only applies to --schedule dynamic, not to static"
        );
    }

    #[test]
    fn chunks_are_parsed_within_their_range() {
        assert_eq!(parse_chunk("1000"), Ok(1000));
        assert!(parse_chunk("0").is_err());
        assert!(parse_chunk("-3").is_err());
        assert!(parse_chunk("x").is_err());
        assert!(Schedule::Dynamic { chunk: 0 }.validate().is_err());
        assert_eq!(Schedule::Static.validate(), Ok(()));
    }

    #[test]
    fn the_kinds_cycle_and_read_as_on_the_command_line() {
        let mut schedule = Schedule::Steal;
        let mut seen = Vec::new();
        for _ in 0..3 {
            seen.push(schedule.label());
            schedule = schedule.next_kind();
        }
        assert_eq!(seen, ["steal", "static", "dynamic, chunk 1"]);
        assert_eq!(schedule, Schedule::Steal);
        let written = serde_json::to_string(&Schedule::Dynamic { chunk: 8 }).unwrap();
        assert_eq!(written, r#"{"schedule":"dynamic","chunk":8}"#);
        let read = |text: &str| serde_json::from_str::<Schedule>(text).map_err(|e| e.to_string());
        assert_eq!(read(&written), Ok(Schedule::Dynamic { chunk: 8 }));
        assert_eq!(read("{}"), Ok(Schedule::Steal));
        assert_eq!(
            read(r#"{"schedule":"dynamic"}"#),
            Ok(Schedule::Dynamic { chunk: 1 })
        );
        assert!(
            read(r#"{"schedule":"static","chunk":4}"#)
                .unwrap_err()
                .contains("only applies")
        );
        assert!(
            read(r#"{"schedule":"dynamic","chunk":0}"#)
                .unwrap_err()
                .contains("from 1")
        );
    }
}
