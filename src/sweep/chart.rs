//! The speedup-over-workers chart as data: the measured points, the ideal,
//! the fitted Amdahl curve and the core-count markers, with axis bounds.
//! A weak sweep draws its parallel time over the workers instead, against
//! the flat ideal T(1).
//!
//! The SVG export and the TUI's ratatui `Chart` both draw from a
//! [`SweepChart`], so the picture on a slide and the one on screen match.

use super::{SweepFit, SweepRow};
use crate::machine::MachineInfo;
use crate::units::counted;

/// Points on the Amdahl curve: enough for a smooth line at slide size.
const CURVE_POINTS: usize = 96;

/// A vertical marker at a core count.
#[derive(Clone, Debug, PartialEq)]
pub struct CoreMarker {
    /// Where it stands on the workers axis.
    pub workers: usize,
    /// What it marks, e.g. `4 cores` or `8 CPUs`.
    pub label: String,
}

/// What the chart's vertical axis shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartQuantity {
    /// Serial over parallel time, for a strong sweep.
    Speedup,
    /// Parallel time in milliseconds, for a weak sweep.
    TimeMs,
}

impl ChartQuantity {
    /// The axis title.
    pub fn axis_title(self) -> &'static str {
        match self {
            Self::Speedup => "speedup (serial time ÷ parallel time)",
            Self::TimeMs => "parallel time (ms), problem growing with the workers",
        }
    }

    /// The short axis title for a terminal.
    pub fn short_title(self) -> &'static str {
        match self {
            Self::Speedup => "speedup",
            Self::TimeMs => "time (ms)",
        }
    }

    /// The unit after an axis label: `×` or nothing.
    pub fn unit(self) -> &'static str {
        match self {
            Self::Speedup => "×",
            Self::TimeMs => "",
        }
    }

    /// What the measured line is, for a legend.
    pub fn measured_label(self) -> &'static str {
        match self {
            Self::Speedup => "measured speedup",
            Self::TimeMs => "measured parallel time",
        }
    }

    /// What the ideal line is, for a legend.
    pub fn ideal_label(self) -> &'static str {
        match self {
            Self::Speedup => "ideal: model from the serial task times",
            Self::TimeMs => "ideal: flat at T(1), one worker's share run serially",
        }
    }
}

/// Every series of the chart as `(workers, value)` points: speedups, or
/// milliseconds for a weak sweep ([`Self::quantity`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepChart {
    /// What the values are.
    pub quantity: ChartQuantity,
    /// Measured speedups, one point per row (drawn as points and a line).
    pub measured: Vec<(f64, f64)>,
    /// The ideal model's speedup at each row's worker count.
    pub ideal: Vec<(f64, f64)>,
    /// The fitted Amdahl curve from 1 to the largest worker count.
    pub amdahl: Vec<(f64, f64)>,
    /// Physical cores and logical CPUs, where they fall inside the x range.
    pub markers: Vec<CoreMarker>,
    /// Workers axis from 0 to a bit past the largest worker count.
    pub x_bounds: [f64; 2],
    /// Speedup axis from 0 to a rounded value above every series.
    pub y_bounds: [f64; 2],
}

impl SweepChart {
    /// The chart of `rows` so far; the Amdahl curve only once `fit` exists.
    pub fn new(rows: &[SweepRow], fit: Option<&SweepFit>, machine: &MachineInfo) -> Self {
        let x_max = rows.iter().map(|r| r.workers).max().unwrap_or(1).max(2) as f64;
        let measured = rows.iter().map(|r| (r.workers as f64, r.speedup)).collect();
        let ideal = rows
            .iter()
            .map(|r| (r.workers as f64, r.ideal_speedup))
            .collect();
        let amdahl = match fit {
            Some(fit) if !rows.is_empty() => (0..=CURVE_POINTS)
                .map(|i| 1.0 + (x_max - 1.0) * i as f64 / CURVE_POINTS as f64)
                .filter_map(|w| Some((w, fit.predicted_speedup(w)?)))
                .collect(),
            _ => Vec::new(),
        };
        let mut chart = Self {
            quantity: ChartQuantity::Speedup,
            measured,
            ideal,
            amdahl,
            markers: core_markers(machine, x_max),
            x_bounds: [0.0, x_max],
            y_bounds: [0.0, 1.0],
        };
        chart.y_bounds[1] = nice_ceiling(chart.highest_speedup() * 1.05);
        chart
    }

    /// The chart of a weak sweep's `rows` so far: each row's parallel time,
    /// and the flat ideal at `base`, T(1).
    pub fn weak(rows: &[SweepRow], base: std::time::Duration, machine: &MachineInfo) -> Self {
        let x_max = rows.iter().map(|r| r.workers).max().unwrap_or(1).max(2) as f64;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let measured = rows
            .iter()
            .map(|r| (r.workers as f64, ms(r.parallel.median)))
            .collect();
        let ideal = vec![(1.0, ms(base)), (x_max, ms(base))];
        let mut chart = Self {
            quantity: ChartQuantity::TimeMs,
            measured,
            ideal,
            amdahl: Vec::new(),
            markers: core_markers(machine, x_max),
            x_bounds: [0.0, x_max],
            y_bounds: [0.0, 1.0],
        };
        chart.y_bounds[1] = nice_ceiling(chart.highest_speedup() * 1.15);
        chart
    }

    /// The same chart with the workers axis reaching at least `workers`
    /// (and the core markers on it): for a sweep still on its way there,
    /// so the axis stays put as rows arrive. The series are unchanged.
    pub fn reaching(mut self, workers: usize, machine: &MachineInfo) -> Self {
        let x_max = self.x_bounds[1].max(workers as f64);
        self.x_bounds[1] = x_max;
        if self.quantity == ChartQuantity::TimeMs
            && let Some(last) = self.ideal.last_mut()
        {
            last.0 = x_max;
        }
        self.markers = core_markers(machine, x_max);
        self
    }

    /// Round tick values for the workers axis, from 0 to the bound.
    pub fn x_ticks(&self) -> Vec<f64> {
        ticks(self.x_bounds[1], 8.0, 1.0)
    }

    /// Round tick values for the speedup axis, from 0 to the bound.
    pub fn y_ticks(&self) -> Vec<f64> {
        ticks(self.y_bounds[1], 5.0, 0.1)
    }

    /// The highest value of every series (at least 1).
    fn highest_speedup(&self) -> f64 {
        [&self.measured, &self.ideal, &self.amdahl]
            .into_iter()
            .flatten()
            .map(|&(_, s)| s)
            .filter(|s| s.is_finite())
            .fold(1.0, f64::max)
    }
}

/// Markers at the physical core and logical CPU counts that fall on the
/// axis; one shared marker when the two are equal.
fn core_markers(machine: &MachineInfo, x_max: f64) -> Vec<CoreMarker> {
    let (cores, cpus) = (machine.physical_cores, machine.logical_cpus);
    let candidates = if cores == cpus {
        vec![CoreMarker {
            workers: cores,
            label: format!("{} = {}", counted(cores, "core"), counted(cpus, "CPU")),
        }]
    } else {
        vec![
            CoreMarker {
                workers: cores,
                label: counted(cores, "core"),
            },
            CoreMarker {
                workers: cpus,
                label: counted(cpus, "CPU"),
            },
        ]
    };
    candidates
        .into_iter()
        .filter(|m| m.workers as f64 <= x_max)
        .collect()
}

/// Multiples of a round step (1, 2 or 5 × 10^k, at least `min_step`) from
/// 0 to `max`, about `target` of them.
fn ticks(max: f64, target: f64, min_step: f64) -> Vec<f64> {
    let rough = (max / target).max(min_step);
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= rough - 1e-9)
        .unwrap_or(10.0 * magnitude);
    let count = (max / step + 1e-9).floor() as usize;
    (0..=count)
        .map(|i| (i as f64 * step * 1e6).round() / 1e6)
        .collect()
}

/// The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is at
/// least `value`: axis ends that read well without wasting the height.
fn nice_ceiling(value: f64) -> f64 {
    if !value.is_finite() || value <= 1.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|step| step * magnitude)
        .find(|ceiling| *ceiling >= value - 1e-9)
        .unwrap_or(10.0 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_are_round() {
        assert_eq!(nice_ceiling(0.3), 1.0);
        assert_eq!(nice_ceiling(1.9), 2.0);
        assert_eq!(nice_ceiling(2.1), 2.5);
        assert_eq!(nice_ceiling(4.2), 5.0);
        assert_eq!(nice_ceiling(7.0), 8.0);
        assert_eq!(nice_ceiling(9.0), 10.0);
        assert_eq!(nice_ceiling(25.1), 30.0);
        assert_eq!(nice_ceiling(f64::NAN), 1.0);
    }

    #[test]
    fn ticks_are_round_steps_up_to_the_bound() {
        assert_eq!(ticks(4.0, 8.0, 1.0), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(ticks(2.5, 5.0, 0.1), vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5]);
        assert_eq!(ticks(16.0, 8.0, 1.0).len(), 9);
        assert_eq!(ticks(64.0, 8.0, 1.0).last(), Some(&60.0));
        assert_eq!(ticks(1.0, 5.0, 0.1), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }

    #[test]
    fn a_sweep_under_way_keeps_its_whole_axis() {
        let machine = MachineInfo::synthetic(2, 4);
        let empty = SweepChart::new(&[], None, &machine).reaching(8, &machine);
        assert_eq!(empty.x_bounds, [0.0, 8.0]);
        assert_eq!(empty.markers.len(), 2);
        assert!(empty.measured.is_empty() && empty.amdahl.is_empty());
        let wide = SweepChart::new(&[], None, &machine).reaching(1, &machine);
        assert_eq!(
            wide.x_bounds,
            [0.0, 2.0],
            "never narrower than the rows need"
        );
    }

    #[test]
    fn a_weak_chart_draws_time_against_a_flat_ideal() {
        use crate::sweep::test_support::side;
        let machine = MachineInfo::synthetic(2, 2);
        let rows: Vec<SweepRow> = [(1, 160), (2, 170), (4, 330)]
            .into_iter()
            .map(|(w, ms)| SweepRow::new(w, &side(160 * w as u64, 1), &side(ms, 1), Some(2)))
            .collect();
        let chart = SweepChart::weak(&rows, std::time::Duration::from_millis(160), &machine)
            .reaching(8, &machine);
        assert_eq!(chart.quantity, ChartQuantity::TimeMs);
        assert_eq!(chart.measured[2], (4.0, 330.0));
        assert_eq!(chart.ideal, vec![(1.0, 160.0), (8.0, 160.0)]);
        assert!(chart.amdahl.is_empty());
        assert!(chart.y_bounds[1] >= 330.0 && chart.y_bounds[1] <= 500.0);
    }

    #[test]
    fn markers_pair_cores_and_cpus_inside_the_axis() {
        let marks = |p, l, x| core_markers(&MachineInfo::synthetic(p, l), x);
        assert_eq!(marks(2, 2, 4.0)[0].label, "2 cores = 2 CPUs");
        let both = marks(4, 8, 16.0);
        assert_eq!(
            both.iter().map(|m| m.workers).collect::<Vec<_>>(),
            vec![4, 8]
        );
        assert_eq!(marks(4, 8, 6.0).len(), 1);
    }
}
