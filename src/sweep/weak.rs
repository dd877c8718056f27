//! Weak scaling: the problem grows with the workers (W workers get W times
//! the tasks), so perfect scaling keeps the parallel time flat, and the
//! finding is where it stops being flat.
//!
//! Every figure comes from the rows: T(1) is the measured parallel run on
//! one worker (or, when the sweep has no such row, the serial run of one
//! worker's share), T(W) the measured parallel run of W shares, and the
//! scaled (Gustafson) speedup is each row's own serial run of the scaled
//! problem over its parallel run.

use super::SweepRow;
use crate::units::{counted, format_duration, format_percent};
use serde::Serialize;
use std::time::Duration;

/// How the problem relates to the worker count in a sweep.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scaling {
    /// The same problem at every worker count: Amdahl's view.
    #[default]
    Strong,
    /// The problem grows with the workers (`--tasks` per worker):
    /// Gustafson's view.
    Weak,
}

impl Scaling {
    /// The name used on the command line and in output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Strong => "strong",
            Self::Weak => "weak",
        }
    }

    /// Tasks of the row on `workers` when the plan says `tasks`.
    pub fn tasks_at(self, tasks: usize, workers: usize) -> usize {
        match self {
            Self::Strong => tasks,
            Self::Weak => tasks.saturating_mul(workers),
        }
    }
}

/// Growth of the parallel time over T(1) that still counts as flat: 10 %.
/// A row counts as grown only when its fastest repeat grew too, so one
/// disturbed repeat on a busy machine is never called a loss.
pub const FLAT_TOLERANCE: f64 = 0.10;

/// T(1) of a weak sweep whose first row is `first`: its parallel time when
/// it ran on one worker (the same code path as every other row, pool and
/// schedule included), else the serial run of one worker's share.
pub fn base_time(first: &SweepRow, baseline: Duration) -> Duration {
    if first.workers == 1 {
        first.parallel.median
    } else {
        baseline
    }
}

/// Where the time of a weak sweep stopped being flat.
#[derive(Clone, Debug, PartialEq)]
pub struct WeakFit {
    /// T(1), from [`base_time`].
    pub base: Duration,
    /// Most workers up to which every row stayed flat (1 if none above).
    pub flat_until: usize,
    /// The first row that was not flat: its workers and T(W) / T(1).
    pub rise: Option<(usize, f64)>,
    /// CPUs that can compute at once.
    pub lanes: usize,
    /// Whether the tasks compute (so the CPUs bound them) or wait.
    pub computes: bool,
}

impl WeakFit {
    /// Reads the rows of a weak sweep against `base`, T(1).
    pub fn of(rows: &[SweepRow], base: Duration, lanes: usize, computes: bool) -> Self {
        let mut flat_until = 1;
        let mut rise = None;
        for row in rows {
            let ratio_of = |t: Duration| t.as_secs_f64() / base.as_secs_f64().max(1e-12);
            let ratio = ratio_of(row.parallel.median);
            let grown = |r: f64| r > 1.0 + FLAT_TOLERANCE;
            if !grown(ratio) || !grown(ratio_of(row.parallel.min)) {
                if rise.is_none() {
                    flat_until = flat_until.max(row.workers);
                }
            } else if rise.is_none() {
                rise = Some((row.workers, ratio));
            }
        }
        Self {
            base,
            flat_until,
            rise,
            lanes,
            computes,
        }
    }

    /// One sentence on what the rows show, with the figures.
    pub fn explanation(&self) -> String {
        let base = format_duration(self.base);
        let cpus = counted(self.lanes, "usable CPU");
        let flat = format!(
            "the time stayed within {} of T(1) = {base} up to {}",
            format_percent(FLAT_TOLERANCE),
            counted(self.flat_until, "worker")
        );
        match self.rise {
            None => format!("{flat}: each worker brought its own share and finished it as fast"),
            Some((workers, ratio)) if self.computes && workers > self.lanes => format!(
                "{flat}; at {} it grew to {ratio:.2}× T(1): past the {cpus} the workers take turns",
                counted(workers, "worker")
            ),
            Some((workers, ratio)) => format!(
                "{flat}; at {} it grew to {ratio:.2}× T(1) within the {cpus}: something shared (memory, the pool's hand-out, other programs) slowed it",
                counted(workers, "worker")
            ),
        }
    }
}

/// Weak-scaling efficiency T(1) / T(W): 1.0 when the time stayed flat.
pub fn weak_efficiency(base: Duration, parallel: Duration) -> f64 {
    base.as_secs_f64() / parallel.as_secs_f64().max(1e-12)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Summary;
    use crate::sweep::test_support::side;

    fn rows(times_ms: &[(usize, u64)]) -> Vec<SweepRow> {
        times_ms
            .iter()
            .map(|&(workers, ms)| {
                let serial = side(ms * workers as u64, 1);
                let parallel = crate::measure::SideResult {
                    wall: Summary::of(&[Duration::from_millis(ms)]),
                    ..side(ms, 1)
                };
                SweepRow::new(workers, &serial, &parallel, Some(2))
            })
            .collect()
    }

    #[test]
    fn flat_time_up_to_the_cpus_then_turns() {
        let fit = WeakFit::of(
            &rows(&[(1, 160), (2, 168), (4, 330)]),
            Duration::from_millis(160),
            2,
            true,
        );
        assert_eq!((fit.flat_until, fit.rise.map(|r| r.0)), (2, Some(4)));
        let text = fit.explanation();
        assert!(text.contains("up to 2 workers"), "{text}");
        assert!(
            text.contains("at 4 workers it grew to 2.06× T(1): past the 2 usable CPUs"),
            "{text}"
        );
    }

    #[test]
    fn a_rise_within_the_cpus_is_not_blamed_on_them() {
        let fit = WeakFit::of(
            &rows(&[(1, 100), (2, 150)]),
            Duration::from_millis(100),
            2,
            true,
        );
        assert_eq!(fit.flat_until, 1);
        assert!(fit.explanation().contains("within the 2 usable CPUs"));
        let flat = WeakFit::of(
            &rows(&[(1, 100), (2, 109)]),
            Duration::from_millis(100),
            2,
            true,
        );
        assert_eq!((flat.flat_until, flat.rise), (2, None));
    }

    #[test]
    fn weak_problems_grow_with_the_workers() {
        assert_eq!(Scaling::Weak.tasks_at(8, 4), 32);
        assert_eq!(Scaling::Strong.tasks_at(8, 4), 8);
        let e = weak_efficiency(Duration::from_millis(100), Duration::from_millis(125));
        assert!((e - 0.8).abs() < 1e-9);
    }
}
