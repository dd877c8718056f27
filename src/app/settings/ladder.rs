//! The steps Left and Right take through each setting.
//!
//! Each numeric setting walks a fixed ladder of round values chosen for
//! teaching (powers of two for workers, 1-2-5 steps for task times, fine
//! steps where a small serial part already costs much), and a value typed
//! off the ladder steps to the nearest rung. The workload cycles instead.

use super::{Setting, with_workload};
use crate::config::Work;
use crate::cycle::Cycle;
use crate::schedule::Schedule;

/// Task counts offered by Left/Right.
const TASK_LADDER: [f64; 25] = [
    1.0, 2.0, 4.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0, 96.0, 128.0, 256.0, 512.0, 1e3, 2e3,
    5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7,
];

/// Worker counts offered by Left/Right: powers of two up to the limit.
const WORKER_LADDER: [f64; 11] = [
    1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0,
];

/// Serial parts offered by Left/Right, in percent: fine steps where a
/// small serial part already costs much, up to 95 %.
const SERIAL_PERCENT_LADDER: [f64; 16] = [
    0.0, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0,
];

/// Task durations in milliseconds offered by Left/Right, 0.1 µs to a minute.
const TASK_MS_LADDER: [f64; 27] = [
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
fn rung(ladder: &[f64], value: f64, up: bool) -> Option<f64> {
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

/// The spec with `setting` one step up or down, or `None` when the ladder
/// ends there. The result is not validated yet.
pub fn step(spec: &Work, setting: Setting, up: bool) -> Option<Work> {
    let mut next = *spec;
    match setting {
        Setting::Tasks => next.tasks = rung(&TASK_LADDER, spec.tasks as f64, up)? as usize,
        Setting::Workers => next.workers = rung(&WORKER_LADDER, spec.workers as f64, up)? as usize,
        Setting::TaskMs => next.task_ms = rung(&TASK_MS_LADDER, spec.task_ms, up)?,
        Setting::SerialPart => {
            let percent = rung(&SERIAL_PERCENT_LADDER, spec.serial_fraction * 100.0, up)?;
            next.serial_fraction = percent / 100.0;
        }
        Setting::Schedule => next.schedule = schedule_step(spec.schedule, up)?,
        Setting::Pool => {
            let all = <crate::pool::Pool as strum::VariantArray>::VARIANTS;
            let at = all.iter().position(|p| *p == spec.pool).unwrap_or(0);
            let to = if up {
                at.checked_add(1)
            } else {
                at.checked_sub(1)
            };
            return Some(super::with_pool(spec, *all.get(to?)?));
        }
        Setting::Workload => {
            let kind = if up {
                spec.workload.next()
            } else {
                spec.workload.previous()
            };
            return Some(with_workload(spec, kind));
        }
    }
    Some(next)
}

/// The schedule ladder: steal, static, then dynamic with growing chunks.
fn schedule_step(schedule: Schedule, up: bool) -> Option<Schedule> {
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
