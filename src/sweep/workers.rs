//! Which worker counts a sweep visits: the `--workers` list parser and the
//! default list for this machine.
//!
//! Lists are sorted and deduplicated, because a sweep is read as a curve
//! over the worker count: `8,1,4,2,4` and `1,2,4,8` draw the same chart.

use crate::config::MAX_WORKERS;
use crate::machine::MachineInfo;
use thiserror::Error;

/// Most worker counts one sweep may visit: each one is a full measurement,
/// and a chart with more points than this is no easier to read.
pub const MAX_SWEEP_POINTS: usize = 64;

/// The worker counts of a sweep, sorted, distinct and each in range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerCounts(pub Vec<usize>);

/// A `--workers` list that cannot be used; each message fits on one line
/// and shows what would be accepted.
#[derive(Debug, Error, PartialEq)]
pub enum WorkerListError {
    /// Nothing between the commas.
    #[error("the worker list is empty: give counts like 1,2,4,8 or a range like 1..16")]
    Empty,
    /// An item that is neither a number nor a range.
    #[error("'{0}' is not a worker count: use whole numbers like 1,2,4,8 or a range like 1..16")]
    NotANumber(String),
    /// A count outside 1 to [`MAX_WORKERS`].
    #[error("worker count {0} is out of range: each must be from 1 to {MAX_WORKERS}")]
    OutOfRange(String),
    /// A range whose end is below its start.
    #[error("the range {0}..{1} runs backwards: write {1}..{0}")]
    Backwards(usize, usize),
    /// More distinct counts than [`MAX_SWEEP_POINTS`].
    #[error("the list has {0} worker counts; a sweep takes at most {MAX_SWEEP_POINTS}")]
    TooMany(usize),
}

/// Parses `1,2,4,8`, `1..16` (inclusive; `1..=16` also works) or a mix such
/// as `1..4,8,16`, for clap's `--workers`.
pub fn parse_worker_list(text: &str) -> Result<WorkerCounts, WorkerListError> {
    let mut counts = Vec::new();
    for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        match item.split_once("..") {
            Some((from, to)) => {
                let to = to.strip_prefix('=').unwrap_or(to);
                if from.trim().is_empty() || to.trim().is_empty() {
                    return Err(WorkerListError::NotANumber(item.to_string()));
                }
                let (from, to) = (parse_count(from)?, parse_count(to)?);
                if to < from {
                    return Err(WorkerListError::Backwards(from, to));
                }
                counts.extend(from..=to);
            }
            None => counts.push(parse_count(item)?),
        }
    }
    counts.sort_unstable();
    counts.dedup();
    match counts.len() {
        0 => Err(WorkerListError::Empty),
        n if n > MAX_SWEEP_POINTS => Err(WorkerListError::TooMany(n)),
        _ => Ok(WorkerCounts(counts)),
    }
}

/// One count: digits only, from 1 to [`MAX_WORKERS`].
fn parse_count(text: &str) -> Result<usize, WorkerListError> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WorkerListError::NotANumber(text.to_string()));
    }
    text.parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_WORKERS).contains(n))
        .ok_or_else(|| WorkerListError::OutOfRange(text.to_string()))
}

/// The default sweep: 1, 2, 4, … up to twice the logical CPUs, plus the
/// physical core count, the logical CPU count and twice the logical CPUs,
/// so that the chart shows both core limits and what oversubscription does.
pub fn default_worker_counts(machine: &MachineInfo) -> WorkerCounts {
    let top = (machine.logical_cpus * 2).clamp(1, MAX_WORKERS);
    let mut counts: Vec<usize> = std::iter::successors(Some(1usize), |n| n.checked_mul(2))
        .take_while(|n| *n <= top)
        .collect();
    counts.extend([machine.physical_cores, machine.logical_cpus, top]);
    counts.retain(|n| (1..=MAX_WORKERS).contains(n));
    counts.sort_unstable();
    counts.dedup();
    counts.truncate(MAX_SWEEP_POINTS);
    WorkerCounts(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Vec<usize> {
        parse_worker_list(text).unwrap().0
    }

    #[test]
    fn lists_and_ranges_parse_sorted_and_distinct() {
        assert_eq!(parsed("1,2,4,8"), vec![1, 2, 4, 8]);
        assert_eq!(parsed("1..4"), vec![1, 2, 3, 4]);
        assert_eq!(parsed("1..=3"), vec![1, 2, 3]);
        assert_eq!(parsed(" 8, 1..2 ,4,2,"), vec![1, 2, 4, 8]);
        assert_eq!(parsed("1024"), vec![1024]);
        assert_eq!(parsed("5..5"), vec![5]);
    }

    #[test]
    fn bad_lists_are_refused_with_one_line_reasons() {
        use WorkerListError::*;
        for (text, error) in [
            ("0,2", OutOfRange("0".into())),
            ("1,1025", OutOfRange("1025".into())),
            (
                "99999999999999999999999",
                OutOfRange("99999999999999999999999".into()),
            ),
            ("1,two", NotANumber("two".into())),
            ("-1", NotANumber("-1".into())),
            ("1..", NotANumber("1..".into())),
            ("1...4", NotANumber(".4".into())),
            ("8..2", Backwards(8, 2)),
            ("", Empty),
            (" , ,", Empty),
            ("1..65", TooMany(65)),
        ] {
            let got = parse_worker_list(text).unwrap_err();
            assert_eq!(got, error, "{text:?}");
            assert!(!got.to_string().contains('\n'));
        }
        assert_eq!(parsed("1..64").len(), 64);
    }

    #[test]
    fn the_default_covers_powers_of_two_and_both_core_counts() {
        let counts = |p, l| default_worker_counts(&MachineInfo::synthetic(p, l)).0;
        assert_eq!(counts(2, 2), vec![1, 2, 4]);
        assert_eq!(counts(4, 8), vec![1, 2, 4, 8, 16]);
        assert_eq!(counts(6, 12), vec![1, 2, 4, 6, 8, 12, 16, 24]);
        assert_eq!(counts(1, 1), vec![1, 2]);
        let huge = counts(512, 1024);
        assert_eq!((huge[0], huge.last().copied()), (1, Some(1024)));
    }
}
