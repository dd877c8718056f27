//! What the rows of a sweep say together: the Amdahl serial fraction that
//! fits them, the knee where more workers stop paying, and which model
//! explains the curve, in words.
//!
//! All pure: the TUI calls [`analyse`] again after every row.

use super::SweepRow;
use crate::stats::{Bound, amdahl_speedup, fit_amdahl};
use crate::units::counted;
use crate::workload::WorkloadKind;
use serde::Serialize;

/// Gain below which one more worker count "no longer pays": 5 %.
pub const KNEE_GAIN: f64 = 0.05;

/// Mean measured-over-ideal speedup from which the ideal model is said to
/// fit. Below it the runs fall short of the model and something else (a
/// shared resource, overhead) limits them. 0.8 leaves room for the noise
/// of a busy machine without calling a clear shortfall a fit.
const FIT_RATIO: f64 = 0.8;

/// Best speedup under which parallel runs are said not to pay at all.
const PAYS_OFF: f64 = 1.1;

/// The model that explains a sweep's speedup curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScalingModel {
    /// Tasks wait rather than compute: each worker adds a lane, past the
    /// cores, and tasks finish in waves.
    Waves,
    /// Tasks compute: the speedup stops at the CPUs.
    Cores,
    /// No run ends before its longest task.
    LongestTask,
    /// Memory tasks level off below the cores: the memory bus is shared.
    Bandwidth,
    /// A serial part no worker can share caps the speedup (Amdahl's law).
    Amdahl,
    /// Parallel runs fall well short of the model, or never beat serial:
    /// scheduling and hand-over cost as much as the work.
    Overhead,
    /// No row above one worker yet: nothing to compare.
    Unknown,
}

impl ScalingModel {
    /// Whether the model names a shortfall below the ideal (hand-out cost,
    /// the memory bus) rather than a bound the ideal already holds: on a
    /// busy machine such a shortfall names no cause.
    pub fn is_shortfall(self) -> bool {
        matches!(self, Self::Overhead | Self::Bandwidth)
    }

    /// Short name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Waves => "waves",
            Self::Cores => "cores",
            Self::LongestTask => "longest task",
            Self::Bandwidth => "bandwidth",
            Self::Amdahl => "amdahl",
            Self::Overhead => "overhead",
            Self::Unknown => "unknown",
        }
    }
}

/// What the rows say together.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepFit {
    /// Amdahl serial fraction that best fits the measured speedups over the
    /// CPUs each row could use; `None` when fewer than two rows could use
    /// different numbers of them ([`SweepFit::no_fit_reason`] says why).
    pub serial_fraction: Option<f64>,
    /// Why there is no fit, when there is none.
    pub no_fit_reason: Option<String>,
    /// Whether the tasks compute, so a row can use at most [`Self::lanes`]
    /// CPUs however many workers it has.
    pub computes: bool,
    /// Worker count after which no later row gains [`KNEE_GAIN`] or more;
    /// `None` while the speedup is still rising at the last row.
    pub knee_workers: Option<usize>,
    /// The model that explains the curve.
    pub model: ScalingModel,
    /// Highest measured speedup and its worker count (`(1, 0.0)` without rows).
    pub best: (usize, f64),
    /// CPUs that can compute at once, as the ideal used them.
    pub lanes: usize,
    /// Most workers in the sweep.
    pub max_workers: usize,
}

impl SweepFit {
    /// The processors a row of `workers` could use: the workers, or the
    /// usable CPUs if fewer and the tasks compute. Karp–Flatt and the fit
    /// count these, so the core limit is not mistaken for serial code.
    pub fn processors(&self, workers: f64) -> f64 {
        if self.computes {
            workers.min(self.lanes.max(1) as f64)
        } else {
            workers
        }
    }

    /// The fitted Amdahl curve's speedup at `workers`, if there is a fit.
    pub fn predicted_speedup(&self, workers: f64) -> Option<f64> {
        let fraction = self.serial_fraction?;
        Some(amdahl_speedup(fraction, self.processors(workers)))
    }

    /// The fit in a few words: `serial fraction 0.012`, or why there is none.
    pub fn fraction_text(&self) -> String {
        match (self.serial_fraction, &self.no_fit_reason) {
            (Some(f), _) => format!(
                "serial fraction {:.3}",
                if f.abs() < 0.0005 { 0.0 } else { f }
            ),
            (None, Some(reason)) => format!("no fit ({reason})"),
            (None, None) => "no fit".to_string(),
        }
    }
}

/// Fits Amdahl's law to `rows`, finds the knee and names the model.
/// `lanes` is the CPU count the ideal was bounded by.
pub fn analyse(workload: WorkloadKind, rows: &[SweepRow], lanes: usize) -> SweepFit {
    let points: Vec<(usize, f64)> = rows.iter().map(|r| (r.workers, r.speedup)).collect();
    let best = points
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((1, 0.0));
    let (serial_fraction, no_fit_reason) = match fit_over_processors(rows) {
        Ok(fraction) => (Some(fraction), None),
        Err(reason) => (None, Some(reason)),
    };
    SweepFit {
        serial_fraction,
        no_fit_reason,
        computes: workload.uses_cores(),
        knee_workers: knee_workers(&points),
        model: classify(workload, rows),
        best,
        lanes,
        max_workers: rows.iter().map(|r| r.workers).max().unwrap_or(1),
    }
}

/// The Amdahl fit over `(processors, speedup)`, where a row's processors
/// are the lanes its ideal used (`min(workers, usable CPUs)` for computing
/// work). It needs two rows that could use different numbers of
/// processors: otherwise any fraction fits and the number would mean
/// nothing, so the reason is returned instead.
fn fit_over_processors(rows: &[SweepRow]) -> Result<f64, String> {
    let points: Vec<(usize, f64)> = rows.iter().map(|r| (r.ideal.lanes, r.speedup)).collect();
    let mut distinct: Vec<usize> = points.iter().map(|p| p.0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    match (rows.len(), distinct.as_slice()) {
        (0, _) => Err("no rows measured yet".to_string()),
        (1, _) => Err("one row: a fit needs at least two worker counts".to_string()),
        (_, [only]) => Err(format!(
            "every row could use {}: a fit needs rows on different numbers of CPUs",
            counted(*only, "CPU")
        )),
        _ => Ok(fit_amdahl(&points)),
    }
}

/// The first worker count after which no later row gains [`KNEE_GAIN`] or
/// more over it; `None` when that is the last row (still rising) or with
/// fewer than two rows. `points` are `(workers, speedup)` in sweep order.
pub fn knee_workers(points: &[(usize, f64)]) -> Option<usize> {
    let knee = (0..points.len()).find(|&i| {
        points[i + 1..]
            .iter()
            .all(|&(_, later)| later < points[i].1 * (1.0 + KNEE_GAIN))
    })?;
    (knee + 1 < points.len()).then(|| points[knee].0)
}

/// Names the model from the measurements: the ideal's own bound when the
/// runs come close to it; otherwise why they fall short, which depends on
/// what the tasks do (memory tasks share the bus; others pay overhead).
fn classify(workload: WorkloadKind, rows: &[SweepRow]) -> ScalingModel {
    let parallel: Vec<&SweepRow> = rows.iter().filter(|r| r.workers > 1).collect();
    if parallel.is_empty() {
        return ScalingModel::Unknown;
    }
    let best = parallel.iter().map(|r| r.speedup).fold(0.0, f64::max);
    let mean_ratio = parallel
        .iter()
        .map(|r| r.speedup / r.ideal_speedup.max(f64::EPSILON))
        .sum::<f64>()
        / parallel.len() as f64;
    // Rows that meet an ideal of no gain (one usable CPU) are bound by the
    // CPUs, not by overhead; only a shortfall below the model is overhead.
    let ideal_gains = parallel.iter().any(|r| r.ideal_speedup >= PAYS_OFF);
    if best < PAYS_OFF && (ideal_gains || mean_ratio < FIT_RATIO) {
        return ScalingModel::Overhead;
    }
    if mean_ratio >= FIT_RATIO {
        let bound_of = |b: Bound| parallel.iter().any(|r| r.ideal.bound == b);
        let last = parallel.last().map(|r| r.ideal.bound);
        if bound_of(Bound::Amdahl) {
            ScalingModel::Amdahl
        } else if last == Some(Bound::LongestTask) {
            ScalingModel::LongestTask
        } else if bound_of(Bound::Cores) {
            ScalingModel::Cores
        } else {
            ScalingModel::Waves
        }
    } else if workload == WorkloadKind::Memory {
        ScalingModel::Bandwidth
    } else {
        ScalingModel::Overhead
    }
}
