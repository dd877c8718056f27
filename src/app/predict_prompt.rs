//! Predict first in the live lab: before a lesson's run (and before every
//! run while `g` is on) `r` asks for a guess of the parallel time or the
//! speedup; Enter records it and starts the run, and when the run has been
//! measured the guess is judged and counted in the session's score.
//!
//! What may be typed and how it is judged is [`crate::predict`]'s; here
//! are only the keystrokes and when a guess is asked, kept and scored.

use super::{App, Effect, Key};
use crate::measure::RunResult;
use crate::output::session::Prediction;
use crate::output::units::format_ms;
use crate::predict::{self, Quantity};

/// A guess being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuessEntry {
    /// What is guessed.
    pub quantity: Quantity,
    /// What has been typed so far.
    pub text: String,
    /// Whether Tab may switch between time and speedup (outside a lesson,
    /// whose step says what to guess).
    pub switchable: bool,
}

impl GuessEntry {
    /// Most characters a guess keeps: "300 milliseconds" fits.
    const MAX_LEN: usize = 20;
}

/// A guess waiting for its run to be measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// What was guessed.
    pub quantity: Quantity,
    /// The guess: seconds or a ratio.
    pub guess: f64,
    /// Where it was asked, for the report.
    pub label: String,
}

impl App {
    /// `r`: asks for a guess first in a lesson or with `g` on, else runs.
    pub(super) fn run_or_ask(&mut self) -> Effect {
        let in_lesson = self.teach.lesson.is_some();
        if !(in_lesson || self.teach.predict_all) {
            return self.begin_run();
        }
        if let Err(why) = self.spec.validate() {
            self.message = Some(why.to_string());
            return Effect::None;
        }
        let quantity = self
            .lesson_step()
            .map_or(Quantity::ParallelTime, |(_, step, _)| step.predict);
        self.teach.guess = Some(GuessEntry {
            quantity,
            text: String::new(),
            switchable: !in_lesson,
        });
        Effect::None
    }

    /// Starts the run of the current settings (a sweep step's first run);
    /// a refused run drops the guess made for it.
    pub(super) fn begin_run(&mut self) -> Effect {
        self.teach.judged = None;
        self.prepare_lesson_run();
        let effect = self.start_run();
        if effect == Effect::None {
            self.teach.pending = None;
        }
        effect
    }

    /// A key while a guess is typed: Enter keeps it and runs (an empty
    /// guess runs without one), Esc drops it, Tab switches what is guessed
    /// outside a lesson; a guess that cannot be read stays, with the reason.
    pub(super) fn on_guess_key(&mut self, mut entry: GuessEntry, key: Key) -> Effect {
        match key {
            Key::Esc => {
                self.message = Some("no guess, no run: r asks again".to_string());
                return Effect::None;
            }
            Key::Enter if entry.text.trim().is_empty() => {
                self.message = Some("running without a guess".to_string());
                return self.begin_run();
            }
            Key::Enter => match predict::parse_guess(&entry.text, entry.quantity) {
                Ok(guess) => {
                    self.teach.pending = Some(Pending {
                        quantity: entry.quantity,
                        guess,
                        label: self.guess_label(),
                    });
                    return self.begin_run();
                }
                Err(why) => self.message = Some(why.to_string()),
            },
            Key::Backspace => {
                entry.text.pop();
            }
            Key::Tab | Key::BackTab if entry.switchable => {
                entry.quantity = match entry.quantity {
                    Quantity::ParallelTime => Quantity::Speedup,
                    Quantity::Speedup => Quantity::ParallelTime,
                };
            }
            Key::Char(c) if can_type(c) => {
                if entry.text.chars().count() < GuessEntry::MAX_LEN {
                    entry.text.push(c);
                }
            }
            _ => {
                self.message = Some(format!(
                    "type a number and a unit, such as {}: Enter runs, Esc drops",
                    example(entry.quantity)
                ))
            }
        }
        self.teach.guess = Some(entry);
        Effect::None
    }

    /// `g`: predict first for every run, on or off.
    pub(super) fn toggle_predict(&mut self) {
        self.teach.predict_all = !self.teach.predict_all;
        self.message = Some(if self.teach.predict_all {
            "predict first is on: r asks for your guess before each run".to_string()
        } else {
            "predict first is off (lessons still ask)".to_string()
        });
    }

    /// A run was measured in full: keep it for the report, go on with a
    /// sweep step, else judge the guess and fill the lesson step.
    pub(super) fn on_measured(&mut self, report: &RunResult) -> Option<usize> {
        self.teach.reports.push(report.clone());
        if let Some(next) = self.next_sweep_run(report) {
            return Some(next);
        }
        let points = self.sweep_points();
        let outcome = self.teach.pending.take().map(|pending| {
            let measured = match pending.quantity {
                Quantity::Speedup if !points.is_empty() => {
                    points.iter().map(|p| p.1).fold(0.0, f64::max)
                }
                quantity => quantity.measured(report),
            };
            let outcome = predict::judge(pending.quantity, pending.guess, measured);
            self.teach.score.record(&outcome);
            self.teach.predictions.push(Prediction {
                label: pending.label,
                outcome,
            });
            outcome
        });
        if self.teach.lesson.is_some() {
            self.record_step(report, outcome);
        } else {
            self.teach.judged = outcome;
        }
        None
    }

    /// A run ended without a measurement (cancelled or failed): its guess
    /// is not scored and a sweep step stops, its worker count back at the
    /// top so that `r` sweeps again.
    pub(super) fn on_unmeasured(&mut self) {
        if self.teach.pending.take().is_some() && self.message.is_none() {
            self.message = Some("cancelled: the guess is not scored".to_string());
        }
        let sweep = self.teach.lesson.as_mut().and_then(|l| l.sweep.take());
        if let Some(top) = sweep.and_then(|s| s.counts.last().copied()) {
            self.spec.workers = top;
        }
    }

    /// Where a guess is asked: the lesson step, else the settings.
    fn guess_label(&self) -> String {
        self.lesson_label().unwrap_or_else(|| {
            format!(
                "{} · {} × {} · {} workers",
                self.spec.workload.name(),
                self.spec.tasks,
                format_ms(self.spec.task_ms),
                self.spec.workers
            )
        })
    }
}

/// Characters a guess can hold: digits, a decimal point or comma, spaces
/// and the letters of units (`s`, `ms`, `µs`, `x`, `×`, `times`…).
fn can_type(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | ' ' | '×' | 'µ' | 'μ')
}

/// What a guess of `quantity` looks like.
pub fn example(quantity: Quantity) -> &'static str {
    match quantity {
        Quantity::ParallelTime => "0.3 s or 300 ms",
        Quantity::Speedup => "8 or 8x",
    }
}
