//! The teaching layer of the live lab: the lessons of the session, the
//! predict-first guesses and their score, and the runs the session report
//! covers.
//!
//! The state lives here; how lessons step is in [`lessons`] and how a
//! guess is typed and judged in [`guess`]. Nothing here draws or writes:
//! `e` only asks the event loop for [`super::Effect::WriteReport`] with a
//! copy of what the report covers.

pub mod guess;
pub mod lessons;

use crate::lesson::LessonSet;
use crate::measure::RunResult;
use crate::predict::{self, Prediction, Score};
use guess::Pending;
use lessons::LessonProgress;

/// What the teaching layer knows during a session.
#[derive(Debug, Default)]
pub struct Teaching {
    /// The lessons of this session and the files that could not be used.
    pub lessons: LessonSet,
    /// The lesson being followed, if any.
    pub lesson: Option<LessonProgress>,
    /// Whether every run, not only a lesson's, asks for a guess first (`g`).
    pub predict_all: bool,
    /// The guess made for the run that is going.
    pub pending: Option<Pending>,
    /// The newest judged guess outside a lesson, shown until the next run.
    pub judged: Option<predict::JudgedGuess>,
    /// Every guess of the session, oldest first, for the report.
    pub predictions: Vec<Prediction>,
    /// The session's tally of guesses.
    pub score: Score,
    /// Every run measured in full, oldest first: the report covers them all,
    /// even after `c` clears the timing table.
    pub runs: Vec<RunResult>,
    /// What the last written report covered, so quitting can tell what
    /// would be lost.
    pub exported: Exported,
}

/// How many runs and guesses the last written report covered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Exported {
    /// Runs measured in full.
    pub runs: usize,
    /// Guesses.
    pub guesses: usize,
}

/// Counts of the session's results, for "what is not exported yet".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unexported {
    /// Runs measured in full.
    pub runs: usize,
    /// Guesses made.
    pub guesses: usize,
    /// Finished sweeps whose files were not written.
    pub sweeps: usize,
}

impl Unexported {
    /// Whether nothing would be lost.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// "3 runs, 1 guess": the non-zero counts.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.runs, "run"),
            (self.guesses, "guess"),
            (self.sweeps, "sweep"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| match (n, what) {
            (1, what) => format!("1 {what}"),
            (n, "guess") => format!("{n} guesses"),
            (n, what) => format!("{n} {what}s"),
        })
        .collect();
        parts.join(", ")
    }
}

impl Teaching {
    /// The teaching layer with these lessons and nothing measured yet.
    pub fn new(lessons: LessonSet) -> Self {
        Self {
            lessons,
            ..Self::default()
        }
    }

    /// The report just written covers everything measured so far.
    pub fn mark_exported(&mut self) {
        self.exported = Exported {
            runs: self.runs.len(),
            guesses: self.predictions.len(),
        };
    }
}

#[cfg(test)]
pub mod fixtures;

#[cfg(test)]
mod tests;
