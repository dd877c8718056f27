//! The steps Left and Right take through each setting.
//!
//! Each numeric setting walks a fixed ladder of round values chosen for
//! teaching (powers of two for workers, 1-2-5 steps for task times, fine
//! steps where a small serial part already costs much), and a value typed
//! off the ladder steps to the nearest rung. The workload and the pool
//! cycle instead ([`super::step`]).

use crate::schedule::Schedule;

/// Task counts offered by Left/Right.
pub(super) const TASK_LADDER: [f64; 25] = [
    1.0, 2.0, 4.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0, 96.0, 128.0, 256.0, 512.0, 1e3, 2e3,
    5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7,
];

/// Worker counts offered by Left/Right: powers of two up to the limit.
pub(super) const WORKER_LADDER: [f64; 11] = [
    1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0,
];

/// Serial parts offered by Left/Right, in percent: fine steps where a
/// small serial part already costs much, up to 95 %.
pub(super) const SERIAL_PERCENT_LADDER: [f64; 16] = [
    0.0, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0,
];

/// Task durations in milliseconds offered by Left/Right, 0.1 µs to a minute.
pub(super) const TASK_MS_LADDER: [f64; 27] = [
    0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0,
    10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1e3, 2e3, 5e3, 1e4, 2e4, 6e4,
];

/// Chunks offered by Left/Right under the dynamic schedule: from one task
/// per visit to the counter, where handing out costs most, to chunks so
/// large that balancing suffers.
const CHUNK_LADDER: [f64; 13] = [
    1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1e3, 1e4, 1e5, 1e6,
];

/// The next rung above (`up`) or below `value`, or `None` at the end.
pub(super) fn rung(ladder: &[f64], value: f64, up: bool) -> Option<f64> {
    let tolerance = value.abs() * 1e-9;
    if up {
        ladder.iter().copied().find(|r| *r > value + tolerance)
    } else {
        ladder
            .iter()
            .rev()
            .copied()
            .find(|r| *r < value - tolerance)
    }
}

/// The schedule ladder: steal, static, then dynamic with growing chunks.
pub(super) fn schedule_step(schedule: Schedule, up: bool) -> Option<Schedule> {
    Some(match (schedule, up) {
        (Schedule::Steal, true) => Schedule::Static,
        (Schedule::Steal, false) => return None,
        (Schedule::Static, true) => Schedule::Dynamic { chunk: 1 },
        (Schedule::Static, false) => Schedule::Steal,
        (Schedule::Dynamic { chunk: 1 }, false) => Schedule::Static,
        (Schedule::Dynamic { chunk }, up) => Schedule::Dynamic {
            chunk: rung(&CHUNK_LADDER, chunk as f64, up)? as usize,
        },
    })
}
