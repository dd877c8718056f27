//! How much work fits in a millisecond on this machine, measured once.
//!
//! Tasks are sized in units, not time, so that a busy moment cannot change
//! how much work a task does; these rates turn the nominal task duration
//! into units once per process.

use super::WorkloadKind;
use super::tasks::{
    Counters, Update, counter_task, cpu_task, memory_buffer, memory_task, shared_total_task,
};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Iterations of `cpu_task` one core does per millisecond on this machine.
/// Calibrated once: the best of a few short timings, so a busy moment does
/// not make every later task too small.
pub fn cpu_iterations_per_ms() -> f64 {
    static RATE: OnceLock<f64> = OnceLock::new();
    *RATE.get_or_init(|| {
        let never = AtomicBool::new(false);
        best_rate(|iterations| {
            cpu_task(0, iterations, &never);
        })
    })
}

/// Counter increments one core does per millisecond when no other core
/// shares the counter's cache line: `false-sharing` and `padded` tasks are
/// both sized with it, so they do the same work and only the line differs.
pub fn counter_increments_per_ms() -> f64 {
    static RATE: OnceLock<f64> = OnceLock::new();
    *RATE.get_or_init(|| {
        let never = AtomicBool::new(false);
        best_rate(|increments| {
            counter_task(Counters::LinePerCounter, 0, increments, &never);
        })
    })
}

/// Uncontended `fetch_add`s one core does per millisecond: the size of an
/// `atomic-update` task. Counted on a total of its own, so calibrating
/// never touches the one a run reports.
pub fn atomic_increments_per_ms() -> f64 {
    static RATE: OnceLock<f64> = OnceLock::new();
    *RATE.get_or_init(|| {
        let never = AtomicBool::new(false);
        let total = AtomicU64::new(0);
        best_rate(|increments| {
            shared_total_task(Update::FetchAdd, &total, 0, increments, &never);
        })
    })
}

/// How many times longer the contended kinds' work takes while a second
/// thread does the same work on the same cache line, once per kind: the
/// uncontended rate over the contended one, at least 1. On one usable CPU
/// the two threads take turns and the slowdown comes out near 1, as it
/// would in the run.
pub(super) fn contention_slowdown(kind: WorkloadKind) -> f64 {
    static SLOWDOWNS: OnceLock<Mutex<Vec<(WorkloadKind, f64)>>> = OnceLock::new();
    let known = SLOWDOWNS.get_or_init(Mutex::default);
    let mut known = known
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(&(_, slowdown)) = known.iter().find(|(k, _)| *k == kind) {
        return slowdown;
    }
    let never = AtomicBool::new(false);
    let total = AtomicU64::new(0);
    let work = |increments: u64| match kind {
        WorkloadKind::LostUpdate => {
            shared_total_task(Update::LoadThenStore, &total, 0, increments, &never);
        }
        WorkloadKind::AtomicUpdate => {
            shared_total_task(Update::FetchAdd, &total, 0, increments, &never);
        }
        _ => {
            counter_task(Counters::OneLine, 0, increments, &never);
        }
    };
    let alone = best_rate(work);
    let stop = AtomicBool::new(false);
    let contended = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                work(1 << 12);
            }
        });
        let rate = best_rate(work);
        stop.store(true, Ordering::Relaxed);
        rate
    });
    let slowdown = (alone / contended.max(f64::MIN_POSITIVE)).max(1.0);
    known.push((kind, slowdown));
    slowdown
}

/// How much longer than asked the shortest sleep lasts here: the timer
/// floor (timer slack and the wake-up), measured once per process as the
/// least overshoot of nine sleeps of one microsecond (under a millisecond
/// in all): the least, since a busy machine only adds to it. A sleeping task never ends sooner than this, so
/// estimates of sleeps of a few microseconds use it, not their nominal time.
pub fn timer_floor() -> std::time::Duration {
    static FLOOR: OnceLock<std::time::Duration> = OnceLock::new();
    *FLOOR.get_or_init(|| {
        let asked = std::time::Duration::from_micros(1);
        let overshoots: Vec<std::time::Duration> = (0..9)
            .map(|_| {
                let started = std::time::Instant::now();
                std::thread::sleep(asked);
                started.elapsed().saturating_sub(asked)
            })
            .collect();
        overshoots.into_iter().min().unwrap_or_default()
    })
}

/// Times `work(n)` with growing `n` until one call takes 5 ms of this
/// thread's CPU time, three times, and returns the best units per
/// millisecond seen. CPU time, not wall time: a start on a loaded machine
/// waits for a CPU between the clock reads, which wall time would count
/// as work and so size every later task too small.
fn best_rate(work: impl FnMut(u64)) -> f64 {
    best_rate_by(work, cpu_ms_since)
}

/// The calling thread's CPU time since `started` (its CPU clock then), in
/// milliseconds; wall time where the OS has no thread CPU clock.
fn cpu_ms_since(started: (Instant, Option<Duration>)) -> f64 {
    let (wall, cpu) = started;
    match (cpu, cpu_time::ThreadTime::try_now().ok()) {
        (Some(was), Some(now)) => now.as_duration().saturating_sub(was).as_secs_f64() * 1000.0,
        _ => wall.elapsed().as_secs_f64() * 1000.0,
    }
}

fn best_rate_by(
    mut work: impl FnMut(u64),
    elapsed_ms: impl Fn((Instant, Option<Duration>)) -> f64,
) -> f64 {
    let mut best: f64 = 0.0;
    let mut units = 1u64 << 14;
    for _ in 0..3 {
        loop {
            let started = (
                Instant::now(),
                cpu_time::ThreadTime::try_now()
                    .ok()
                    .map(|t| t.as_duration()),
            );
            work(units);
            let ms = elapsed_ms(started);
            if ms >= 5.0 {
                best = best.max(units as f64 / ms);
                break;
            }
            units = units.saturating_mul(2);
        }
    }
    best.max(1.0)
}

/// Words one core streams per millisecond; the first pass faults the pages
/// in and is not timed.
pub fn memory_words_per_ms() -> f64 {
    static RATE: OnceLock<f64> = OnceLock::new();
    *RATE.get_or_init(|| {
        let never = AtomicBool::new(false);
        let len = memory_buffer().len() as u64;
        memory_task(0, len, &never);
        best_rate(|words| {
            memory_task(0, words, &never);
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Work that waits off the CPU as long again as it computes, as a
    /// start on a loaded machine does: timed by wall clock it would look
    /// half as fast, timed by CPU clock it does not.
    #[test]
    fn waiting_for_a_cpu_during_calibration_does_not_shrink_the_tasks() {
        let never = AtomicBool::new(false);
        let spin = |n: u64| {
            cpu_task(0, n, &never);
        };
        let quiet = best_rate(spin);
        let loaded = best_rate(|n| {
            let started = Instant::now();
            cpu_task(0, n, &never);
            std::thread::sleep(started.elapsed());
        });
        let by_wall = best_rate_by(
            |n| {
                let started = Instant::now();
                cpu_task(0, n, &never);
                std::thread::sleep(started.elapsed());
            },
            |(wall, _)| wall.elapsed().as_secs_f64() * 1000.0,
        );
        assert!(loaded > quiet * 0.7, "{loaded} against {quiet}");
        assert!(
            by_wall < loaded * 0.75,
            "the wall clock would shrink them: {by_wall} against {loaded}"
        );
    }
}
