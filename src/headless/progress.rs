//! The progress line of headless work on a terminal: what runs now, how
//! far the whole plan is and the time left, redrawn on stderr a few times a
//! second, like hyperfine's bar.
//!
//! The plan's length comes from the nominal task times; the time left is
//! that estimate scaled by the pace measured so far, so a machine slower
//! than the model gets an honest countdown. The line is drawn by a thread
//! of its own that only reads a clock and a small shared state: it never
//! touches the task boards, and the measuring thread only updates the state
//! between runs, outside every timed region.

use crate::streams;
use crate::units::format_span;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(250);

/// A run over its estimate by less than this still counts down: a short run
/// a little late is noise, not news.
const OVERRUN_SHOWN: Duration = Duration::from_secs(2);

/// Where the plan stands, shared with the drawing thread.
struct State {
    began: Instant,
    /// The whole plan's estimate, in seconds.
    total: f64,
    /// Estimated seconds of the runs already ended.
    done: f64,
    /// The run going: what it is, when it began, its estimate.
    current: Option<(String, Instant, f64)>,
}

impl State {
    fn line(&self, now: Instant) -> String {
        let Some((what, since, estimate)) = &self.current else {
            return String::new();
        };
        let running = now.saturating_duration_since(*since);
        let in_run = running.as_secs_f64().min(*estimate * 0.99);
        let done = (self.done + in_run).min(self.total);
        let elapsed = now.saturating_duration_since(self.began).as_secs_f64();
        let left = if done > 0.0 {
            elapsed / done * (self.total - done)
        } else {
            self.total - elapsed
        };
        let percent = if self.total > 0.0 {
            (done / self.total * 100.0).floor()
        } else {
            0.0
        };
        // A run past its estimate leaves no honest count-down: say so, and
        // how long it has run, instead of "about 0 s left".
        if running.as_secs_f64() > *estimate && running >= OVERRUN_SHOWN {
            return format!(
                "{what} · {percent:.0} % · longer than estimated, {} into this run",
                format_span(running)
            );
        }
        format!(
            "{what} · {percent:.0} % · about {} left",
            format_span(Duration::from_secs_f64(left.clamp(0.0, 1e9)))
        )
    }
}

/// The progress line of one plan; a no-op unless stderr is a terminal.
pub struct PlanProgress {
    state: Option<Arc<Mutex<State>>>,
    stop: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
}

impl PlanProgress {
    /// Starts the line for a plan estimated at `total`.
    pub fn start(total: Duration) -> Self {
        let mut progress = Self {
            state: None,
            stop: Arc::new(AtomicBool::new(false)),
            ticker: None,
        };
        if !std::io::stderr().is_terminal() {
            return progress;
        }
        let state = Arc::new(Mutex::new(State {
            began: Instant::now(),
            total: total.as_secs_f64(),
            done: 0.0,
            current: None,
        }));
        let (shared, stop) = (Arc::clone(&state), Arc::clone(&progress.stop));
        let ticker = std::thread::Builder::new()
            .name("parlab-progress".to_string())
            .spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let line = lock(&shared).line(Instant::now());
                    if !line.is_empty() {
                        streams::note_progress(&line);
                    }
                    std::thread::sleep(TICK);
                }
            });
        // Without its thread the plan still runs, only without the line.
        if let Ok(ticker) = ticker {
            progress.state = Some(state);
            progress.ticker = Some(ticker);
        }
        progress
    }

    /// A run described by `what`, estimated at `estimate`, begins.
    pub fn run_started(&self, what: String, estimate: Duration) {
        if let Some(state) = &self.state {
            let mut state = lock(state);
            if let Some((_, _, previous)) = state.current.take() {
                state.done += previous;
            }
            state.current = Some((what, Instant::now(), estimate.as_secs_f64()));
        }
    }

    /// Stops the line and erases it.
    pub fn finish(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
            streams::clear_progress();
        }
    }
}

impl Drop for PlanProgress {
    fn drop(&mut self) {
        self.finish();
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_left_follows_the_pace_measured() {
        let began = Instant::now();
        let state = |done: f64, run_began: Duration, now: Duration| {
            State {
                began,
                total: 100.0,
                done,
                current: Some(("serial run 2/4".into(), began + run_began, 25.0)),
            }
            .line(began + now)
        };
        // On pace: 25 s of 100 done after 25 s, 10 s into the next run.
        let line = state(25.0, Duration::from_secs(25), Duration::from_secs(35));
        assert_eq!(line, "serial run 2/4 · 35 % · about 1 min 5 s left");
        // A run far past its estimate says so instead of "0 s left".
        let line = state(25.0, Duration::from_secs(25), Duration::from_secs(90));
        assert_eq!(
            line,
            "serial run 2/4 · 49 % · longer than estimated, 1 min 5 s into this run"
        );
        // Twice slower than the model: twice the time left.
        let line = state(25.0, Duration::from_secs(50), Duration::from_secs(50));
        assert!(
            line.contains("25 %") && line.contains("2 min 30 s left"),
            "{line}"
        );
    }
}
