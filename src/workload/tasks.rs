//! The work a task does, one function per kind of resource it uses.
//!
//! Each body is sized in fixed units (milliseconds of sleep, iterations,
//! words) and returns a checksum that depends only on its index and size, so
//! the serial and the parallel side can prove they did the same work. Each
//! also checks the cancel flag every short slice, so a cancel stays prompt.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Longest uninterrupted stretch of any task, so cancel stays prompt.
const CANCEL_SLICE: Duration = Duration::from_millis(20);

/// Mixes an integer into a well-spread 64-bit value (splitmix64's finaliser).
pub fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Sleeps `ms` milliseconds toward a fixed deadline, in slices so a cancel
/// is seen quickly; aiming at the deadline keeps the total overshoot to one
/// timer wake-up however many slices it takes.
pub(super) fn sleep_task(index: usize, ms: f64, cancel: &AtomicBool) -> u64 {
    let deadline = Instant::now() + Duration::from_secs_f64(ms / 1000.0);
    loop {
        let now = Instant::now();
        if now >= deadline || cancel.load(Ordering::Relaxed) {
            break;
        }
        std::thread::sleep((deadline - now).min(CANCEL_SLICE));
    }
    mix(index as u64)
}

/// Iterations per cancel check: about 0.1 ms of work.
const CPU_CHUNK: u64 = 1 << 16;

/// A dependent xorshift chain: scalar integer work that the compiler can
/// neither vectorise nor fold away.
pub(super) fn cpu_task(index: usize, iterations: u64, cancel: &AtomicBool) -> u64 {
    let mut state = mix(index as u64) | 1;
    let mut sum = 0u64;
    let mut left = iterations;
    while left > 0 {
        let chunk = left.min(CPU_CHUNK);
        for _ in 0..chunk {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            sum = sum.wrapping_add(state);
        }
        left -= chunk;
        if cancel.load(Ordering::Relaxed) {
            break;
        }
    }
    std::hint::black_box(sum)
}

/// Words per memory-task cancel check: 1 MiB.
const MEMORY_CHUNK: usize = 1 << 17;

/// A buffer several times the last-level cache, filled once, that memory
/// tasks stream through.
pub(super) fn memory_buffer() -> &'static [u64] {
    static BUFFER: OnceLock<Vec<u64>> = OnceLock::new();
    BUFFER.get_or_init(|| {
        let cache = crate::machine::MachineInfo::detect()
            .last_level_cache_bytes
            .unwrap_or(32 << 20);
        let bytes = (cache * 8).clamp(64 << 20, 512 << 20);
        (0..bytes / 8).map(mix).collect()
    })
}

/// Sums `words` words starting at a task-specific offset, wrapping around
/// the buffer: each task streams its own stretch, far beyond the caches.
pub(super) fn memory_task(index: usize, words: u64, cancel: &AtomicBool) -> u64 {
    let buffer = memory_buffer();
    let mut at = (mix(index as u64) as usize) % buffer.len();
    let mut left = words as usize;
    let mut sum = index as u64;
    while left > 0 {
        let take = left.min(MEMORY_CHUNK).min(buffer.len() - at);
        sum = buffer[at..at + take]
            .iter()
            .fold(sum, |acc, word| acc.wrapping_add(*word));
        left -= take;
        at = (at + take) % buffer.len();
        if cancel.load(Ordering::Relaxed) {
            break;
        }
    }
    std::hint::black_box(sum)
}
