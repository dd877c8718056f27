//! The work a task does, one function per kind of resource it uses.
//!
//! Each body is sized in fixed units (milliseconds of sleep, iterations,
//! words) and returns a checksum that depends only on its index and size, so
//! the serial and the parallel side can prove they did the same work. Each
//! also checks the cancel flag every short slice, so a cancel stays prompt.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
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
    chained_steps(index, iterations, cancel, |step| step())
}

/// The one lock every `locked` task takes for each of its steps.
static SHARED_LOCK: Mutex<()> = Mutex::new(());

/// The arithmetic of [`cpu_task`], each step of [`CPU_CHUNK`] iterations
/// (about 0.1 ms) under [`SHARED_LOCK`]: workers take turns on the lock, so
/// the work is serial however many there are. Same checksum as `cpu_task`.
pub(super) fn locked_task(index: usize, iterations: u64, cancel: &AtomicBool) -> u64 {
    chained_steps(index, iterations, cancel, |step| {
        let _held = SHARED_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        step();
    })
}

/// Runs the xorshift chain in steps of at most [`CPU_CHUNK`] iterations,
/// each through `around` (which may take a lock), checking `cancel` between.
fn chained_steps(
    index: usize,
    iterations: u64,
    cancel: &AtomicBool,
    mut around: impl FnMut(&mut dyn FnMut()),
) -> u64 {
    let mut state = mix(index as u64) | 1;
    let mut sum = 0u64;
    let mut left = iterations;
    while left > 0 {
        let chunk = left.min(CPU_CHUNK);
        around(&mut || {
            for _ in 0..chunk {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                sum = sum.wrapping_add(state);
            }
        });
        left -= chunk;
        if cancel.load(Ordering::Relaxed) {
            break;
        }
    }
    std::hint::black_box(sum)
}

/// Counters a thread may own: more than the workers of a small machine, so
/// two workers running at once get counters of their own.
const COUNTERS: usize = 8;

/// Eight 8-byte counters in one 64-byte cache line (aligned to 128 bytes so
/// that no neighbouring data or prefetched line pair joins in).
#[repr(align(128))]
struct OneLine([AtomicU64; COUNTERS]);

/// One counter alone in 128 bytes: its own cache line, and its own pair of
/// lines for the processors that fetch lines in pairs.
#[repr(align(128))]
struct OwnLine(AtomicU64);

static ONE_LINE: OneLine = OneLine([const { AtomicU64::new(0) }; COUNTERS]);
static OWN_LINES: [OwnLine; COUNTERS] = [const { OwnLine(AtomicU64::new(0)) }; COUNTERS];
static NEXT_COUNTER: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The counter this thread increments: the next free one when the
    /// thread first counts, so the workers of a pool own different ones.
    static OWN_COUNTER: usize = NEXT_COUNTER.fetch_add(1, Ordering::Relaxed) % COUNTERS;
}

/// Where the counters of the `false-sharing` and `padded` workloads lie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Counters {
    /// All in one cache line (`false-sharing`).
    OneLine,
    /// One cache line per counter (`padded`).
    LinePerCounter,
}

/// Increments the calling thread's own counter `increments` times. Each
/// increment is a load and a store: no other thread writes this counter, so
/// nothing needs a lock, yet with [`Counters::OneLine`] every store takes
/// the whole line away from the other cores. The checksum depends only on
/// the index and the increments done, never on the counters' values.
pub(super) fn counter_task(
    counters: Counters,
    index: usize,
    increments: u64,
    cancel: &AtomicBool,
) -> u64 {
    let own = OWN_COUNTER.with(|own| *own);
    let counter = match counters {
        Counters::OneLine => &ONE_LINE.0[own],
        Counters::LinePerCounter => &OWN_LINES[own].0,
    };
    let mut done = 0u64;
    while done < increments {
        let chunk = (increments - done).min(CPU_CHUNK);
        for _ in 0..chunk {
            counter.store(
                counter.load(Ordering::Relaxed).wrapping_add(1),
                Ordering::Relaxed,
            );
        }
        done += chunk;
        if cancel.load(Ordering::Relaxed) {
            break;
        }
    }
    mix(index as u64 ^ done.rotate_left(32))
}

/// How the `lost-update` and `atomic-update` tasks add one to the shared
/// total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Update {
    /// A load, then a separate store of the value plus one: unsynchronised
    /// `total += 1`. Another worker's store that lands between the two is
    /// overwritten, and its update is lost.
    LoadThenStore,
    /// One indivisible `fetch_add`: no update is ever lost.
    FetchAdd,
}

/// The one total every worker of a `lost-update` or `atomic-update` run
/// adds to, alone on its cache line. Set to zero before each round and
/// read after it, outside the timed region ([`reset_shared_total`],
/// [`shared_total`]).
#[repr(align(128))]
struct SharedTotal(AtomicU64);

static SHARED_TOTAL: SharedTotal = SharedTotal(AtomicU64::new(0));

/// Sets the shared total to zero, before a round.
pub fn reset_shared_total() {
    SHARED_TOTAL.0.store(0, Ordering::SeqCst);
}

/// The shared total after a round: what the updates that were not lost
/// added up to.
pub fn shared_total() -> u64 {
    SHARED_TOTAL.0.load(Ordering::SeqCst)
}

/// The total that `lost-update` and `atomic-update` tasks add to.
pub(super) fn the_shared_total() -> &'static AtomicU64 {
    &SHARED_TOTAL.0
}

/// Adds one to `total` `increments` times, by `update`. The checksum
/// depends only on the index and the increments done, never on the total,
/// so serial and parallel runs check the same work even when the parallel
/// total comes out short.
pub(super) fn shared_total_task(
    update: Update,
    total: &AtomicU64,
    index: usize,
    increments: u64,
    cancel: &AtomicBool,
) -> u64 {
    let mut done = 0u64;
    while done < increments {
        let chunk = (increments - done).min(CPU_CHUNK);
        match update {
            Update::LoadThenStore => {
                for _ in 0..chunk {
                    total.store(
                        total.load(Ordering::Relaxed).wrapping_add(1),
                        Ordering::Relaxed,
                    );
                }
            }
            Update::FetchAdd => {
                for _ in 0..chunk {
                    total.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        done += chunk;
        if cancel.load(Ordering::Relaxed) {
            break;
        }
    }
    mix(index as u64 ^ done.rotate_left(32))
}

/// Words per memory-task cancel check: 1 MiB.
const MEMORY_CHUNK: usize = 1 << 17;

/// A buffer at least [`CACHE_MULTIPLE`] times the last-level cache, filled
/// once, that memory tasks stream through.
pub(super) fn memory_buffer() -> &'static [u64] {
    static BUFFER: OnceLock<Vec<u64>> = OnceLock::new();
    BUFFER.get_or_init(|| {
        let cache = crate::machine::MachineInfo::detect().last_level_cache_bytes;
        let refresh = sysinfo::RefreshKind::nothing()
            .with_memory(sysinfo::MemoryRefreshKind::nothing().with_ram());
        let available = sysinfo::System::new_with_specifics(refresh)
            .map_or(0, |system| system.available_memory());
        let bytes = memory_buffer_bytes(cache, available);
        (0..bytes / 8).map(mix).collect()
    })
}

/// How many times the last-level cache the memory buffer spans, so that
/// a task's stretch is never still in the cache from an earlier pass.
pub const CACHE_MULTIPLE: u64 = 4;

/// Cache assumed where the machine does not say: a desktop's 32 MiB.
const CACHE_UNKNOWN: u64 = 32 << 20;

/// Smallest buffer: below it, start-up noise outweighs the streaming.
const BUFFER_FLOOR: u64 = 64 << 20;

/// Bytes of the memory buffer: [`CACHE_MULTIPLE`] times the last-level
/// cache (at least [`BUFFER_FLOOR`]), but never more than a quarter of the
/// memory `available` (bytes; 0 when unknown), so parlab cannot push the
/// machine into swapping. See [`memory_buffer_short`] for the warning.
pub fn memory_buffer_bytes(cache: Option<u64>, available: u64) -> u64 {
    let wanted = (cache.unwrap_or(CACHE_UNKNOWN) * CACHE_MULTIPLE).max(BUFFER_FLOOR);
    if available == 0 {
        return wanted;
    }
    wanted.min((available / 4).max(BUFFER_FLOOR.min(available / 2)))
}

/// Whether a buffer of `bytes` falls short of [`CACHE_MULTIPLE`] times the
/// last-level cache `cache`: then the memory lesson's claim does not hold
/// and the run must say so.
pub fn memory_buffer_short(bytes: u64, cache: Option<u64>) -> bool {
    cache.is_some_and(|cache| bytes < cache * CACHE_MULTIPLE)
}

/// Bytes of the buffer memory tasks stream (built on first use).
pub fn memory_buffer_len() -> u64 {
    memory_buffer().len() as u64 * 8
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

#[cfg(test)]
mod tests {
    //! The memory buffer's size against the cache and free memory.

    use super::*;

    const MIB: u64 = 1 << 20;

    #[test]
    fn the_buffer_spans_four_last_level_caches_where_memory_allows() {
        assert_eq!(memory_buffer_bytes(Some(32 * MIB), 16 << 30), 128 * MIB);
        let big = memory_buffer_bytes(Some(480 * MIB), 64 << 30);
        assert_eq!(big, 1920 * MIB, "a 480 MiB cache gets 1.9 GiB, not 512 MiB");
        assert!(!memory_buffer_short(big, Some(480 * MIB)));
        assert_eq!(memory_buffer_bytes(Some(MIB), 16 << 30), 64 * MIB);
        assert_eq!(memory_buffer_bytes(None, 0), 128 * MIB);
    }

    #[test]
    fn a_short_memory_shrinks_the_buffer_and_says_so() {
        let bytes = memory_buffer_bytes(Some(480 * MIB), 4 << 30);
        assert_eq!(bytes, 1024 * MIB);
        assert!(memory_buffer_short(bytes, Some(480 * MIB)));
        assert!(!memory_buffer_short(bytes, None));
    }
}
