//! Is the machine already busy? A quick look at per-CPU usage before a
//! measurement, so that a user is told when other programs will make the
//! timings noisy instead of trusting them.
//!
//! Sampling is split from deciding: [`busy_warning`] is a pure function of
//! a [`UsageSample`], tested with made-up samples.

use crate::units::format_percent;
use std::time::Duration;
use sysinfo::{CpuRefreshKind, RefreshKind, System};

/// How long to watch: long enough for the OS counters to move (sysinfo
/// needs 200 ms on Linux), short enough not to delay a run noticeably.
pub const SAMPLE_WINDOW: Duration = Duration::from_millis(250);

/// Average usage over all CPUs above which results are called noisy: a
/// quarter of the machine is already taken by someone else.
pub const BUSY_LIMIT: f64 = 0.25;

/// Per-CPU usage over a short window.
#[derive(Clone, Debug, PartialEq)]
pub struct UsageSample {
    /// Usage of each logical CPU, from 0.0 (idle) to 1.0 (fully busy).
    pub per_cpu: Vec<f64>,
    /// How long the sample covered.
    pub window: Duration,
}

impl UsageSample {
    /// Mean usage over all CPUs (0.0 without CPUs).
    pub fn mean(&self) -> f64 {
        if self.per_cpu.is_empty() {
            return 0.0;
        }
        self.per_cpu.iter().sum::<f64>() / self.per_cpu.len() as f64
    }
}

/// Watches every CPU for `window` (this thread sleeps meanwhile, so the
/// sample sees other programs, not parlab). `None` where the OS gives no
/// usage figures.
pub fn sample_usage(window: Duration) -> Option<UsageSample> {
    let refresh = RefreshKind::nothing().with_cpu(CpuRefreshKind::nothing().with_usage());
    let mut system = System::new_with_specifics(refresh).ok()?;
    std::thread::sleep(window.max(sysinfo::MINIMUM_CPU_UPDATE_INTERVAL));
    system.refresh_cpu_usage();
    let per_cpu: Vec<f64> = system
        .cpus()
        .iter()
        .map(|cpu| (f64::from(cpu.usage()) / 100.0).clamp(0.0, 1.0))
        .collect();
    (!per_cpu.is_empty()).then_some(UsageSample { per_cpu, window })
}

/// A one-line warning when `sample` shows the machine above [`BUSY_LIMIT`].
/// `how_to_repeat` names the way to repeat runs where the warning shows
/// (`--repeat` on the command line, a key in the lab).
pub fn busy_warning(sample: &UsageSample, how_to_repeat: &str) -> Option<String> {
    let mean = sample.mean();
    if mean <= BUSY_LIMIT {
        return None;
    }
    let busiest = sample.per_cpu.iter().copied().fold(0.0, f64::max);
    Some(format!(
        "the machine was already {} busy before the run (busiest CPU {}, over {} ms): timings will be noisy; close other programs, or repeat the run ({how_to_repeat})",
        format_percent(mean),
        format_percent(busiest),
        sample.window.as_millis()
    ))
}

/// Samples the machine for [`SAMPLE_WINDOW`] and returns the warning, if
/// any, naming `how_to_repeat` as [`busy_warning`] does. Call it before the
/// workload is prepared, whose calibration would otherwise count as load.
pub fn check_machine(how_to_repeat: &str) -> Option<String> {
    sample_usage(SAMPLE_WINDOW)
        .as_ref()
        .and_then(|sample| busy_warning(sample, how_to_repeat))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(per_cpu: &[f64]) -> UsageSample {
        UsageSample {
            per_cpu: per_cpu.to_vec(),
            window: SAMPLE_WINDOW,
        }
    }

    #[test]
    fn a_quiet_machine_gets_no_warning() {
        assert_eq!(
            busy_warning(&sample(&[0.05, 0.10, 0.0, 0.2]), "--repeat"),
            None
        );
        assert_eq!(busy_warning(&sample(&[0.25, 0.25]), "--repeat"), None);
        assert_eq!(busy_warning(&sample(&[]), "--repeat"), None);
    }

    #[test]
    fn a_busy_machine_is_named_with_its_figures() {
        let warning = busy_warning(&sample(&[0.9, 0.1]), "--repeat").unwrap();
        assert!(warning.contains("50.0 % busy"), "{warning}");
        assert!(warning.contains("busiest CPU 90.0 %"), "{warning}");
        assert!(!warning.contains('\n'));
        assert!(warning.ends_with("repeat the run (--repeat)"), "{warning}");
        assert!(busy_warning(&sample(&[1.0, 0.0, 0.0, 0.1]), "--repeat").is_some());
    }

    #[test]
    fn sampling_takes_about_the_window_and_reads_every_cpu() {
        let started = std::time::Instant::now();
        let sample = sample_usage(SAMPLE_WINDOW).unwrap();
        assert!(started.elapsed() >= SAMPLE_WINDOW);
        assert!(!sample.per_cpu.is_empty());
        assert!(sample.per_cpu.iter().all(|u| (0.0..=1.0).contains(u)));
    }
}
