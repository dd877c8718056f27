//! Predict first in the live lab: before a lesson's run (and before every
//! run while `g` is on) `r` asks for a guess of the parallel time or the
//! speedup; Enter records it and starts the run, and when the run has been
//! measured the guess is judged and counted in the session's score.
//!
//! What may be typed and how it is judged is [`crate::predict`]'s; here
//! are only the keystrokes and when a guess is asked and kept; the run's
//! end scores it ([`Teaching::on_measured`]).

use crate::app::keys::Key;
use crate::predict::{self, BareUnit, Quantity};

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
    /// The unit a bare number of a time guess is read in.
    pub bare: BareUnit,
}

impl GuessEntry {
    /// Most characters a guess keeps: "300 milliseconds" fits.
    const MAX_LEN: usize = 20;

    /// The prompt, naming the unit a bare number is read in.
    pub fn prompt(&self) -> String {
        match self.quantity {
            Quantity::ParallelTime => format!(
                "Your guess for the parallel time (a bare number is {}):",
                self.bare.name()
            ),
            Quantity::Speedup => self.quantity.prompt().to_string(),
        }
    }
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
    /// Whether it was asked for a lesson step, whose earlier guess it
    /// replaces in the score: a step counts once, with its latest run.
    pub for_step: bool,
}

/// What a key did to a guess being typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Guessed {
    /// Still typing; the note says why a key was refused, if one was.
    Editing(Option<String>),
    /// Esc: no guess and no run.
    Dropped,
    /// Enter on an empty guess: run without one.
    RunWithout,
    /// Enter on a guess that reads: this value, then run.
    Run(f64),
}

impl GuessEntry {
    /// A key while the guess is typed: Enter keeps it and runs (an empty
    /// guess runs without one), Esc drops it, Tab switches what is guessed
    /// outside a lesson; a guess that cannot be read stays, with the reason.
    pub fn on_key(&mut self, key: Key) -> Guessed {
        match key {
            Key::Esc => Guessed::Dropped,
            Key::Enter if self.text.trim().is_empty() => Guessed::RunWithout,
            Key::Enter => match predict::parse_guess(&self.text, self.quantity, self.bare) {
                Ok(guess) => Guessed::Run(guess),
                Err(why) => Guessed::Editing(Some(why.to_string())),
            },
            Key::Backspace => {
                self.text.pop();
                Guessed::Editing(None)
            }
            Key::Tab | Key::BackTab if self.switchable => {
                self.quantity = match self.quantity {
                    Quantity::ParallelTime => Quantity::Speedup,
                    Quantity::Speedup => Quantity::ParallelTime,
                };
                Guessed::Editing(None)
            }
            Key::Char(c) if can_type(c) => {
                if self.text.chars().count() < Self::MAX_LEN {
                    self.text.push(c);
                }
                Guessed::Editing(None)
            }
            _ => Guessed::Editing(Some(format!(
                "type a number and a unit, such as {}: Enter runs, Esc drops",
                example(self.quantity)
            ))),
        }
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
