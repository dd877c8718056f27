//! Predict first: the learner types a guess before a run, parlab compares
//! it with the measurement and keeps a score for the session.
//!
//! Guessing first is what makes a surprise teach something. Everything here
//! is pure (text in, verdict out), so the TUI only collects the keystrokes
//! and shows [`JudgedGuess::comment`].

use crate::measure::RunResult;
use crate::units::{format_duration, format_ratio};
use serde::Deserialize;
use std::fmt::Write;
use std::time::Duration;

/// What a guess is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quantity {
    /// The parallel run's wall time.
    ParallelTime,
    /// Serial time over parallel time.
    Speedup,
}

impl Quantity {
    /// The prompt, with examples of what may be typed.
    pub fn prompt(self) -> &'static str {
        match self {
            Self::ParallelTime => "Your guess for the parallel time (e.g. 0.3 s or 300 ms):",
            Self::Speedup => "Your guess for the speedup (e.g. 8 or 8x):",
        }
    }

    /// The measured value a guess is compared with: seconds or a ratio.
    pub fn measured(self, report: &RunResult) -> f64 {
        match self {
            Self::ParallelTime => report.parallel_time.as_secs_f64(),
            Self::Speedup => report.speedup,
        }
    }

    /// A value of this quantity as parlab writes it: `301 ms` or `7.98×`.
    pub fn format(self, value: f64) -> String {
        match self {
            Self::ParallelTime => format_duration(Duration::from_secs_f64(value.clamp(0.0, 1e9))),
            Self::Speedup => format_ratio(value),
        }
    }
}

/// A typed guess parlab could not read; the message says what to type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GuessError {
    /// Not a positive number with an optional unit.
    #[error("“{0}” is not a guess: type a positive number such as {1}")]
    NotANumber(String, &'static str),
    /// A speedup was typed where a time is asked, or the other way round.
    #[error("this step asks for {0}: type something like {1}")]
    WrongKind(&'static str, &'static str),
}

fn example(quantity: Quantity) -> &'static str {
    match quantity {
        Quantity::ParallelTime => "0.3 s or 300 ms",
        Quantity::Speedup => "8 or 8x",
    }
}

/// The unit a bare number in a time guess is read in: the unit the figure
/// asked about is written in, so `250` means 250 ms where the run should
/// take a few hundred milliseconds and 2.5 s is written `2.5`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BareUnit {
    /// Seconds: the figure is a second or more.
    #[default]
    Seconds,
    /// Milliseconds: the figure is under a second.
    Milliseconds,
}

impl BareUnit {
    /// The unit parlab writes `expected` in: milliseconds under a second.
    pub fn of(expected: Duration) -> Self {
        if expected < Duration::from_secs(1) {
            Self::Milliseconds
        } else {
            Self::Seconds
        }
    }

    /// Seconds per bare unit.
    fn scale(self) -> f64 {
        match self {
            Self::Seconds => 1.0,
            Self::Milliseconds => 1e-3,
        }
    }

    /// The unit as written after a number.
    pub fn name(self) -> &'static str {
        match self {
            Self::Seconds => "s",
            Self::Milliseconds => "ms",
        }
    }
}

/// Reads a guess: a time (`0.3 s`, `300ms`, `300 µs`; a bare number is in
/// `bare`, the unit of the figure asked about) or a speedup (`8`, `8x`,
/// `8×`). A decimal comma is accepted. Returns seconds or the ratio.
pub fn parse_guess(text: &str, quantity: Quantity, bare: BareUnit) -> Result<f64, GuessError> {
    let cleaned = text.trim().to_lowercase().replace(',', ".");
    let split = cleaned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(cleaned.len());
    let (number, unit) = cleaned.split_at(split);
    let not_a_number = || GuessError::NotANumber(text.trim().to_string(), example(quantity));
    let value: f64 = number.parse().map_err(|_| not_a_number())?;
    let scale = match (quantity, unit.trim()) {
        (Quantity::ParallelTime, "") => bare.scale(),
        (Quantity::ParallelTime, "s" | "sec" | "secs" | "second" | "seconds") => 1.0,
        (Quantity::ParallelTime, "ms" | "msec" | "millisecond" | "milliseconds") => 1e-3,
        (Quantity::ParallelTime, "us" | "µs" | "μs" | "microseconds") => 1e-6,
        (Quantity::Speedup, "" | "x" | "×" | "times") => 1.0,
        (Quantity::ParallelTime, "x" | "×" | "times") => {
            return Err(GuessError::WrongKind("a time", example(quantity)));
        }
        (Quantity::Speedup, "s" | "ms" | "us" | "µs" | "μs") => {
            return Err(GuessError::WrongKind("a speedup", example(quantity)));
        }
        _ => return Err(not_a_number()),
    };
    let value = value * scale;
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(not_a_number())
    }
}

/// How far a guess may be from the measurement, either way, and still count
/// as close: 15 %, about the run-to-run noise of a busy laptop plus a
/// margin for rounding in one's head.
pub const CLOSE_WITHIN: f64 = 0.15;

/// How a guess compares with the measurement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Within [`CLOSE_WITHIN`] of the measurement.
    Close,
    /// Expected more from parallelism than it gave.
    TooOptimistic,
    /// Expected less from parallelism than it gave.
    TooPessimistic,
}

/// One guess judged against its measurement.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JudgedGuess {
    /// What was guessed.
    pub quantity: Quantity,
    /// The guess: seconds or a ratio.
    pub guess: f64,
    /// The measured value, in the same unit.
    pub measured: f64,
    /// The verdict.
    pub verdict: Verdict,
}

/// One predict-first guess of the session.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// Where it was asked, e.g. "1. The classic demo › Eight workers".
    pub label: String,
    /// The guess judged against the measurement.
    pub outcome: JudgedGuess,
}

/// Compares `guess` with `measured` (both seconds, or both ratios). A guess
/// within [`CLOSE_WITHIN`], or within the measurement's own `noise` (the
/// relative margin its findings used) where that is wider, is close: the
/// run could as well have measured the guess. A time guessed too short,
/// or a speedup guessed too high, is too optimistic.
pub fn judge(quantity: Quantity, guess: f64, measured: f64, noise: f64) -> JudgedGuess {
    let ratio = guess / measured;
    let within = CLOSE_WITHIN.max(if noise.is_finite() { noise } else { 0.0 });
    let verdict = if ratio.max(1.0 / ratio) <= 1.0 + within {
        Verdict::Close
    } else if (quantity == Quantity::ParallelTime) == (guess < measured) {
        Verdict::TooOptimistic
    } else {
        Verdict::TooPessimistic
    };
    JudgedGuess {
        quantity,
        guess,
        measured,
        verdict,
    }
}

impl JudgedGuess {
    /// Larger over smaller of guess and measurement: how far off, as a factor.
    pub fn factor(&self) -> f64 {
        let ratio = self.guess / self.measured;
        ratio.max(1.0 / ratio)
    }

    /// One sentence for the screen and the report, e.g. "Too optimistic:
    /// you guessed 150 ms, it took 301 ms (2.0× longer)."
    pub fn comment(&self) -> String {
        let guess = self.quantity.format(self.guess);
        let measured = self.quantity.format(self.measured);
        let (verb, more, less) = match self.quantity {
            Quantity::ParallelTime => ("it took", "longer", "shorter"),
            Quantity::Speedup => ("it reached", "higher", "lower"),
        };
        let direction = if self.measured > self.guess {
            more
        } else {
            less
        };
        let off = format!("{:.1}× {direction}", self.factor());
        match self.verdict {
            Verdict::Close => format!("Close: you guessed {guess}, {verb} {measured}."),
            Verdict::TooOptimistic => {
                format!("Too optimistic: you guessed {guess}, {verb} {measured} ({off}).")
            }
            Verdict::TooPessimistic => {
                format!("Too pessimistic: you guessed {guess}, {verb} {measured} ({off}).")
            }
        }
    }
}

/// The session's tally of guesses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    /// Guesses within [`CLOSE_WITHIN`].
    pub close: usize,
    /// Guesses that expected too much.
    pub optimistic: usize,
    /// Guesses that expected too little.
    pub pessimistic: usize,
}

impl Score {
    /// Counts one more outcome.
    pub fn record(&mut self, outcome: &JudgedGuess) {
        match outcome.verdict {
            Verdict::Close => self.close += 1,
            Verdict::TooOptimistic => self.optimistic += 1,
            Verdict::TooPessimistic => self.pessimistic += 1,
        }
    }

    /// All guesses so far.
    pub fn guesses(&self) -> usize {
        self.close + self.optimistic + self.pessimistic
    }

    /// A short line such as "3 of 5 guesses close · 2 too optimistic".
    pub fn summary(&self) -> String {
        let mut line = format!("{} of {} guesses close", self.close, self.guesses());
        for (count, word) in [
            (self.optimistic, "too optimistic"),
            (self.pessimistic, "too pessimistic"),
        ] {
            if count > 0 {
                let _ = write!(line, " · {count} {word}");
            }
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Quantity::{ParallelTime as Time, Speedup};

    #[test]
    fn times_parse_with_or_without_units() {
        for (text, secs) in [
            ("0.3 s", 0.3),
            ("300ms", 0.3),
            (" 300 MS ", 0.3),
            ("0,3 s", 0.3),
            ("250 µs", 250e-6),
            ("250us", 250e-6),
            ("2.4 seconds", 2.4),
        ] {
            for bare in [BareUnit::Seconds, BareUnit::Milliseconds] {
                let parsed = parse_guess(text, Time, bare).unwrap();
                assert!((parsed - secs).abs() < 1e-12, "{text}: {parsed}");
            }
        }
    }

    #[test]
    fn a_bare_number_is_read_in_the_unit_of_the_figure_asked_about() {
        let ms = BareUnit::of(Duration::from_millis(300));
        assert_eq!(ms, BareUnit::Milliseconds);
        assert!((parse_guess("250", Time, ms).unwrap() - 0.25).abs() < 1e-12);
        let s = BareUnit::of(Duration::from_millis(2400));
        assert_eq!(parse_guess("2.4", Time, s), Ok(2.4));
        assert_eq!(
            parse_guess("8", Speedup, ms),
            Ok(8.0),
            "a ratio has no unit"
        );
    }

    #[test]
    fn speedups_parse_with_or_without_x() {
        for text in ["8", "8x", "8 X", "8×", "8.0 times"] {
            assert_eq!(
                parse_guess(text, Speedup, BareUnit::Seconds),
                Ok(8.0),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_guesses_say_what_to_type() {
        let wrong = parse_guess("8x", Time, BareUnit::Seconds).unwrap_err();
        assert_eq!(wrong, GuessError::WrongKind("a time", "0.3 s or 300 ms"));
        assert!(matches!(
            parse_guess("300ms", Speedup, BareUnit::Seconds),
            Err(GuessError::WrongKind(..))
        ));
        for text in ["", "fast", "0", "-1", "1e400", "3 parsecs", "..", "1.2.3"] {
            let err = parse_guess(text, Time, BareUnit::Seconds).unwrap_err();
            assert!(err.to_string().contains("0.3 s or 300 ms"), "{text}: {err}");
        }
    }

    #[test]
    fn verdicts_follow_the_direction_of_the_quantity() {
        assert_eq!(judge(Time, 0.30, 0.301, 0.0).verdict, Verdict::Close);
        assert_eq!(judge(Time, 0.15, 0.30, 0.0).verdict, Verdict::TooOptimistic);
        assert_eq!(judge(Time, 2.4, 0.30, 0.0).verdict, Verdict::TooPessimistic);
        assert_eq!(
            judge(Speedup, 8.0, 1.6, 0.0).verdict,
            Verdict::TooOptimistic
        );
        assert_eq!(
            judge(Speedup, 1.0, 1.6, 0.0).verdict,
            Verdict::TooPessimistic
        );
        assert_eq!(judge(Speedup, 1.5, 1.6, 0.0).verdict, Verdict::Close);
        assert_eq!(judge(Speedup, 1.83, 1.6, 0.0).verdict, Verdict::Close);
        assert_eq!(
            judge(Speedup, 1.85, 1.6, 0.0).verdict,
            Verdict::TooOptimistic
        );
    }

    #[test]
    fn a_guess_inside_the_noise_is_close() {
        assert_eq!(judge(Time, 1.2, 0.9, 0.0).verdict, Verdict::TooPessimistic);
        assert_eq!(judge(Time, 1.2, 0.9, 0.4).verdict, Verdict::Close);
        assert_eq!(judge(Time, 1.2, 0.9, 0.05).verdict, Verdict::TooPessimistic);
        assert_eq!(judge(Speedup, 1.7, 1.6, f64::NAN).verdict, Verdict::Close);
    }

    #[test]
    fn comments_quote_both_values_and_the_factor() {
        assert_eq!(
            judge(Time, 0.15, 0.301, 0.0).comment(),
            "Too optimistic: you guessed 150 ms, it took 301 ms (2.0× longer)."
        );
        assert_eq!(
            judge(Speedup, 8.0, 1.6, 0.0).comment(),
            "Too optimistic: you guessed 8.00×, it reached 1.60× (5.0× lower)."
        );
        assert_eq!(
            judge(Time, 2.4, 0.3, 0.0).comment(),
            "Too pessimistic: you guessed 2.40 s, it took 300 ms (8.0× shorter)."
        );
        assert_eq!(
            judge(Time, 0.3, 0.301, 0.0).comment(),
            "Close: you guessed 300 ms, it took 301 ms."
        );
    }

    #[test]
    fn the_score_counts_each_verdict() {
        let mut score = Score::default();
        assert_eq!(score.summary(), "0 of 0 guesses close");
        for (guess, measured) in [(0.3, 0.3), (0.1, 0.3), (0.1, 0.3), (0.31, 0.3)] {
            score.record(&judge(Time, guess, measured, 0.0));
        }
        assert_eq!((score.close, score.optimistic, score.guesses()), (2, 2, 4));
        assert_eq!(score.summary(), "2 of 4 guesses close · 2 too optimistic");
    }
}
