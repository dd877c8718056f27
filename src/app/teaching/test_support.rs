//! Fixed moments of lessons and guesses for tests: keys typed, a lesson
//! opened, a run ended with chosen times.

use crate::app::live_run::RunMsg;
use crate::app::test_support::{app, ms, report};
use crate::app::{App, Effect, Key};

/// Types `text` one key at a time; the effect of the last key.
pub fn type_keys(app: &mut App, text: &str) -> Effect {
    let mut last = Effect::None;
    for c in text.chars() {
        last = app.on_key(Key::Char(c));
    }
    last
}

/// Ends the run going with a report of these times for its settings.
pub fn finish(app: &mut App, serial_ms: u64, parallel_ms: u64) -> Effect {
    let spec = app.lab.run.as_ref().expect("a run is going").spec;
    let done = report(&spec, ms(serial_ms), ms(parallel_ms));
    app.on_run(RunMsg::Done(Ok(Some(Box::new(done)))))
}

/// An app in lesson `index` (0-based), at its first step.
pub fn in_lesson(index: usize) -> App {
    let mut app = app();
    app.on_key(Key::Char('L'));
    for _ in 0..index {
        app.on_key(Key::Down);
    }
    app.on_key(Key::Enter);
    app
}
