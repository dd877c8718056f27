//! How much work fits in a millisecond on this machine, measured once.
//!
//! Tasks are sized in units, not time, so that a busy moment cannot change
//! how much work a task does; these rates turn the nominal task duration
//! into units once per process.

use super::tasks::{Counters, counter_task, cpu_task, memory_buffer, memory_task};
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

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

/// Times `work(n)` with growing `n` until one call takes 5 ms, three times,
/// and returns the best units-per-millisecond seen.
fn best_rate(mut work: impl FnMut(u64)) -> f64 {
    let mut best: f64 = 0.0;
    let mut units = 1u64 << 14;
    for _ in 0..3 {
        loop {
            let started = Instant::now();
            work(units);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
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
