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
}

impl Teaching {
    /// The teaching layer with these lessons and nothing measured yet.
    pub fn new(lessons: LessonSet) -> Self {
        Self {
            lessons,
            ..Self::default()
        }
    }
}

#[cfg(test)]
pub mod fixtures;

#[cfg(test)]
mod tests;
