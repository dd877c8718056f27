//! When the live lab draws its next frame.
//!
//! Drawing must not disturb the measurement, so frames are paced: a key or
//! a run event is answered within one frame gap, while the animation of a
//! run and fresh core samples are drawn only as often as keeps drawing a
//! small share of the UI thread's time. An idle lab draws nothing at all.

use super::Msg;
use std::time::{Duration, Instant};

/// Shortest time between two frames: 25 frames a second.
const FRAME: Duration = Duration::from_millis(40);
/// Drawing may take at most 1/DRAW_SHARE of the UI thread's time, so a huge
/// board (millions of tasks) slows the frame rate instead of the run.
const DRAW_SHARE: u32 = 80;

/// When the next frame may be drawn.
#[derive(Default)]
pub(super) struct Pacer {
    /// A key, a resize or a run event arrived since the last frame.
    urgent: bool,
    /// A core sample arrived since the last frame.
    stale: bool,
    last: Option<Instant>,
    cost: Duration,
}

impl Pacer {
    /// Notes what a message asks of the screen.
    pub(super) fn arrived(&mut self, msg: &Msg) {
        match msg {
            Msg::Lab(crate::app::Msg::Sample(_)) => self.stale = true,
            _ => self.urgent = true,
        }
    }

    /// The next frame's time: one frame gap after the last for a key or a
    /// run event (answered at once, even on a costly screen); for the
    /// animation of a run and for core samples, no sooner than keeps drawing
    /// a small share of the time; `None` (sleep until a message) when the
    /// screen is up to date and nothing moves.
    pub(super) fn next_frame(&self, now: Instant, animating: bool) -> Option<Instant> {
        let Some(last) = self.last else {
            return Some(now);
        };
        if self.urgent {
            Some(last + FRAME)
        } else if animating || self.stale {
            Some(last + FRAME.max(self.cost * DRAW_SHARE))
        } else {
            None
        }
    }

    /// Records a frame drawn at `at` that took `cost` of CPU time (not wall
    /// time: a frame preempted by the run's threads cost nothing extra). A
    /// costlier frame counts at once, a cheaper one brings the estimate
    /// down gradually.
    pub(super) fn drawn(&mut self, at: Instant, cost: Duration) {
        self.last = Some(at);
        self.cost = cost.max((self.cost * 3 + cost) / 4);
        self.urgent = false;
        self.stale = false;
    }
}
