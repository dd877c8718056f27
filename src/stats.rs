//! Medians, speedup, efficiency and the models that say what a perfect run
//! would take: the ideal schedule, Amdahl's law and the Karp–Flatt metric.
//!
//! Everything here is pure arithmetic on measured durations, so it is tested
//! with exact values.

use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

/// Median, min and max of repeated runs of one side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Every timed run, in the order they ran.
    #[serde(with = "crate::units::secs_vec_field", rename = "runs_s")]
    pub runs: Vec<Duration>,
    /// Fastest run.
    #[serde(with = "crate::units::secs_field", rename = "min_s")]
    pub min: Duration,
    /// The headline figure: robust to one slow outlier.
    #[serde(with = "crate::units::secs_field", rename = "median_s")]
    pub median: Duration,
    /// Slowest run.
    #[serde(with = "crate::units::secs_field", rename = "max_s")]
    pub max: Duration,
}

impl Summary {
    /// Summarises `runs`; an empty slice gives zeros.
    pub fn of(runs: &[Duration]) -> Self {
        let mut sorted = runs.to_vec();
        sorted.sort();
        Self {
            runs: runs.to_vec(),
            min: sorted.first().copied().unwrap_or_default(),
            median: median(&sorted),
            max: sorted.last().copied().unwrap_or_default(),
        }
    }

    /// Whether the slowest run is more than `NOISY_SPREAD` over the fastest:
    /// then the machine was busy or the timer coarse, and the user is told.
    pub fn is_noisy(&self) -> bool {
        self.runs.len() > 1
            && self.max.as_secs_f64() > self.min.as_secs_f64() * (1.0 + NOISY_SPREAD)
    }

    /// The warning for `name`'s runs (`serial`, `4-worker`) when they are
    /// noisy, with their range.
    pub fn noise_warning(&self, name: &str) -> Option<String> {
        self.is_noisy().then(|| {
            format!(
                "{name} runs varied by more than {:.0} % (min {}, max {}): the machine may be busy; try more --repeat",
                NOISY_SPREAD * 100.0,
                crate::units::format_duration(self.min),
                crate::units::format_duration(self.max),
            )
        })
    }
}

/// Spread between slowest and fastest repeat above which results are noisy.
pub const NOISY_SPREAD: f64 = 0.10;

/// Median of an already sorted slice (mean of the middle two for even counts).
fn median(sorted: &[Duration]) -> Duration {
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// Serial time over parallel time.
pub fn speedup(serial: Duration, parallel: Duration) -> f64 {
    if parallel.is_zero() {
        return 0.0;
    }
    serial.as_secs_f64() / parallel.as_secs_f64()
}

/// Speedup per worker: 1.0 means every worker was fully useful.
pub fn efficiency(speedup: f64, workers: usize) -> f64 {
    speedup / workers.max(1) as f64
}

/// Karp–Flatt's experimentally determined serial fraction
/// e = (1/S − 1/W) / (1 − 1/W); undefined for one worker. A value that grows
/// with W points at overhead or imbalance rather than at serial code.
pub fn karp_flatt(speedup: f64, workers: usize) -> Option<f64> {
    if workers < 2 || speedup <= 0.0 {
        return None;
    }
    let w = workers as f64;
    Some((1.0 / speedup - 1.0 / w) / (1.0 - 1.0 / w))
}

/// Amdahl's law: the speedup on `workers` when a fraction `serial_fraction`
/// of the work cannot be parallelised.
pub fn amdahl_speedup(serial_fraction: f64, workers: f64) -> f64 {
    1.0 / (serial_fraction + (1.0 - serial_fraction) / workers.max(1.0))
}

/// The serial fraction whose Amdahl curve best fits measured
/// `(workers, speedup)` points, by least squares on the speedups. A grid
/// Gustafson's scaled speedup on `workers` when a share `serial` of the
/// parallel run's time is serial: W − s(W − 1). Unlike Amdahl's law it
/// reads the problem as grown with the workers, so its serial share is
/// measured on the parallel run, not on the serial one.
pub fn gustafson_speedup(serial: f64, workers: f64) -> f64 {
    workers - serial * (workers - 1.0)
}

/// pass finds the basin, a golden-section search polishes it.
pub fn fit_amdahl(points: &[(usize, f64)]) -> f64 {
    let error = |f: f64| -> f64 {
        points
            .iter()
            .map(|&(w, s)| (amdahl_speedup(f, w as f64) - s).powi(2))
            .sum()
    };
    let best_grid = (0..=1000)
        .map(|i| i as f64 / 1000.0)
        .min_by(|a, b| error(*a).total_cmp(&error(*b)))
        .unwrap_or(0.0);
    let (mut lo, mut hi) = ((best_grid - 0.001).max(0.0), (best_grid + 0.001).min(1.0));
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..60 {
        let a = hi - ratio * (hi - lo);
        let b = lo + ratio * (hi - lo);
        if error(a) <= error(b) {
            hi = b;
        } else {
            lo = a;
        }
    }
    (lo + hi) / 2.0
}

/// What limits the ideal parallel time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    /// Tasks go in waves of `workers` at a time.
    Waves,
    /// Only as many tasks compute at once as there are CPUs.
    Cores,
    /// One task is longer than everything else put together per lane.
    LongestTask,
    /// Amdahl's law: a serial part no worker can share, then the rest on
    /// the lanes.
    Amdahl,
}

impl Bound {
    /// Short name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Waves => "waves",
            Self::Cores => "cores",
            Self::LongestTask => "longest task",
            Self::Amdahl => "amdahl",
        }
    }
}

/// The ideal parallel time and what bounds it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ideal {
    /// Time a perfect scheduler with zero overhead would need.
    pub time: Duration,
    /// Which limit gives that time.
    pub bound: Bound,
    /// Tasks that can make progress at once: workers, or CPUs if fewer and
    /// the tasks compute.
    pub lanes: usize,
}

/// The ideal parallel time for tasks that took `task_times` when run
/// serially: the longest-first schedule of those times on `lanes` lanes,
/// where lanes are the workers, or `min(workers, cpus)` for tasks that need
/// a CPU (`cpus = None` for tasks that only wait). For equal tasks this is
/// exactly ⌈tasks/lanes⌉ × t; it is never below total/lanes nor below the
/// longest task. It uses no parallel measurement.
pub fn ideal_parallel(task_times: &[Duration], workers: usize, cpus: Option<usize>) -> Ideal {
    let workers = workers.max(1);
    let lanes = cpus.map_or(workers, |c| workers.min(c.max(1)));
    let mut sorted: Vec<u64> = task_times.iter().map(|d| d.as_nanos() as u64).collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let mut free_at: BinaryHeap<Reverse<u64>> = (0..lanes.min(sorted.len().max(1)))
        .map(|_| Reverse(0))
        .collect();
    let mut makespan = 0u64;
    for time in &sorted {
        let Reverse(start) = free_at.pop().unwrap_or(Reverse(0));
        let end = start + time;
        makespan = makespan.max(end);
        free_at.push(Reverse(end));
    }
    let longest = sorted.first().copied().unwrap_or(0);
    let mean = sorted.iter().sum::<u64>() as f64 / sorted.len().max(1) as f64;
    let bound = if lanes < workers {
        Bound::Cores
    } else if longest == makespan && longest as f64 > 1.5 * mean {
        Bound::LongestTask
    } else {
        Bound::Waves
    };
    Ideal {
        time: Duration::from_nanos(makespan),
        bound,
        lanes,
    }
}

impl Ideal {
    /// The ideal on lanes worth `worth` fastest CPUs, where a hybrid
    /// processor's slower cores count by their capacity
    /// ([`crate::machine::MachineInfo::lane_capacity`]): the time spread
    /// over the lanes stretches by lanes / worth. Amdahl's ideal is kept
    /// as it is: its serial part runs on one CPU, whose speed the model
    /// does not know.
    pub fn on_lanes_worth(self, worth: f64) -> Self {
        let lanes = self.lanes as f64;
        if self.bound == Bound::Amdahl || !(worth > 0.0 && worth < lanes) {
            return self;
        }
        Self {
            time: self.time.mul_f64(lanes / worth),
            ..self
        }
    }
}

/// Amdahl's ideal for work with a serial part: the measured serial part,
/// which no worker can share, plus the ideal of the tasks after it on
/// `min(workers, cpus)` lanes. Both come from the serial run, never from the
/// parallel one.
pub fn amdahl_ideal(
    serial_part: Duration,
    task_times: &[Duration],
    workers: usize,
    cpus: Option<usize>,
) -> Ideal {
    let rest = ideal_parallel(task_times, workers, cpus);
    Ideal {
        time: serial_part + rest.time,
        bound: Bound::Amdahl,
        lanes: rest.lanes,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slower_lanes_stretch_the_ideal_by_what_they_are_worth() {
        let ideal = ideal_parallel(&[ms(100); 8], 4, Some(4));
        assert_eq!(ideal.time, ms(200));
        // Two P cores and two E cores at half speed: worth 3 fastest CPUs.
        let hybrid = ideal.on_lanes_worth(3.0);
        assert_eq!(hybrid.time, ms(200).mul_f64(4.0 / 3.0));
        assert_eq!((hybrid.lanes, hybrid.bound), (ideal.lanes, ideal.bound));
        assert_eq!(
            ideal.on_lanes_worth(4.0),
            ideal,
            "equal CPUs change nothing"
        );
        let amdahl = amdahl_ideal(ms(80), &[ms(15); 16], 4, Some(4));
        assert_eq!(amdahl.on_lanes_worth(3.0), amdahl);
    }

    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn summary_takes_the_middle_and_flags_spread() {
        let s = Summary::of(&[ms(30), ms(10), ms(20)]);
        assert_eq!((s.min, s.median, s.max), (ms(10), ms(20), ms(30)));
        assert!(s.is_noisy());
        assert_eq!(Summary::of(&[ms(10), ms(20)]).median, ms(15));
        assert!(!Summary::of(&[ms(100), ms(105)]).is_noisy());
        assert_eq!(Summary::of(&[]).median, Duration::ZERO);
    }

    #[test]
    fn speedup_and_efficiency() {
        assert_eq!(speedup(ms(2400), ms(300)), 8.0);
        assert_eq!(efficiency(8.0, 8), 1.0);
        assert_eq!(efficiency(2.0, 8), 0.25);
        assert_eq!(speedup(ms(1), Duration::ZERO), 0.0);
    }

    #[test]
    fn seed_demo_ideal_is_three_waves() {
        let ideal = ideal_parallel(&[ms(100); 24], 8, None);
        assert_eq!(ideal.time, ms(300));
        assert_eq!(ideal.bound, Bound::Waves);
        assert_eq!(ideal_parallel(&[ms(100); 25], 8, None).time, ms(400));
    }

    #[test]
    fn cpu_work_is_bounded_by_the_cores() {
        let ideal = ideal_parallel(&[ms(40); 24], 8, Some(2));
        assert_eq!(ideal.time, ms(480));
        assert_eq!((ideal.bound, ideal.lanes), (Bound::Cores, 2));
        assert_eq!(ideal_parallel(&[ms(40); 24], 2, Some(4)).time, ms(480));
    }

    #[test]
    fn one_long_task_bounds_the_finish() {
        let mut times = vec![ms(10); 23];
        times.push(ms(500));
        let ideal = ideal_parallel(&times, 8, Some(16));
        assert_eq!(ideal.time, ms(500));
        assert_eq!(ideal.bound, Bound::LongestTask);
    }

    #[test]
    fn amdahl_ideal_adds_the_serial_part_to_the_waves() {
        // 320 ms of work, a quarter serial: 80 ms, then 16 tasks of 15 ms.
        let ideal = amdahl_ideal(ms(80), &[ms(15); 16], 4, Some(2));
        assert_eq!(
            (ideal.time, ideal.bound, ideal.lanes),
            (ms(200), Bound::Amdahl, 2)
        );
        assert!((speedup(ms(320), ideal.time) - amdahl_speedup(0.25, 2.0)).abs() < 1e-12);
        let wide = amdahl_ideal(ms(80), &[ms(15); 16], 4, Some(8));
        assert_eq!(wide.time, ms(140));
        assert!((speedup(ms(320), wide.time) - amdahl_speedup(0.25, 4.0)).abs() < 1e-12);
        assert_eq!(
            amdahl_ideal(Duration::ZERO, &[ms(15); 4], 4, None).time,
            ms(15)
        );
    }

    #[test]
    fn karp_flatt_values() {
        assert_eq!(karp_flatt(2.0, 1), None);
        assert!((karp_flatt(4.0, 4).unwrap()).abs() < 1e-12);
        let e = karp_flatt(amdahl_speedup(0.2, 8.0), 8).unwrap();
        assert!((e - 0.2).abs() < 1e-12);
    }

    #[test]
    fn amdahl_fit_recovers_known_fractions() {
        for f in [0.1, 0.3] {
            let points: Vec<_> = [1, 2, 4, 8, 16]
                .iter()
                .map(|&w| (w, amdahl_speedup(f, w as f64)))
                .collect();
            assert!((fit_amdahl(&points) - f).abs() < 0.01, "f = {f}");
        }
    }

    #[test]
    fn amdahl_fit_tolerates_noise() {
        let points = [(1, 1.0), (2, 1.85), (4, 3.0), (8, 4.6)];
        let f = fit_amdahl(&points);
        assert!(f > 0.05 && f < 0.15, "{f}");
    }
}
