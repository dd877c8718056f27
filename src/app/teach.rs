//! The teaching layer of the live lab: the lessons of the session, the
//! predict-first guesses and their score, the presenter view switch, and
//! the runs the session report covers.
//!
//! The state lives here; how keys change it is in [`super::lessons`] and
//! [`super::predict_prompt`]. Like the rest of [`App`], nothing here draws
//! or writes: `e` only asks the event loop for [`Effect::WriteReport`].

use super::App;
use super::lessons::LessonProgress;
use super::predict_prompt::{GuessEntry, Pending};
use crate::lesson::LessonSet;
use crate::measure::RunResult;
use crate::output::session::{Prediction, Session, SweepSection};
use crate::predict::{self, Score};
use std::path::Path;

/// What the teaching layer knows during a session.
#[derive(Debug, Default)]
pub struct Teach {
    /// The lessons of this session and the files that could not be used.
    pub lessons: LessonSet,
    /// The lesson being followed, if any.
    pub lesson: Option<LessonProgress>,
    /// Whether every run, not only a lesson's, asks for a guess first (`g`).
    pub predict_all: bool,
    /// A guess being typed before a run.
    pub guess: Option<GuessEntry>,
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
    pub reports: Vec<RunResult>,
    /// Whether the presenter view (big figures and the lanes) is on (`b`).
    pub presenter: bool,
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

impl App {
    /// The lab with another set of lessons (the shipped ones plus a
    /// teacher's folder); the problems of that set show in the lesson list.
    pub fn with_lessons(mut self, lessons: LessonSet) -> Self {
        self.teach.lessons = lessons;
        self
    }

    /// What the session report covers: the machine, every measured run,
    /// every guess, and the given sweeps.
    pub fn session<'a>(&'a self, sweeps: &'a [SweepSection]) -> Session<'a> {
        Session {
            machine: &self.machine,
            runs: &self.teach.reports,
            sweeps,
            predictions: &self.teach.predictions,
        }
    }

    /// The event loop wrote the report (or could not): say where it went.
    pub fn on_report_written(&mut self, result: Result<&Path, String>) {
        self.message = Some(match result {
            Ok(path) => {
                self.teach.exported = Exported {
                    runs: self.teach.reports.len(),
                    guesses: self.teach.predictions.len(),
                };
                let guesses = match self.teach.predictions.len() {
                    1 => "1 guess".to_string(),
                    n => format!("{n} guesses"),
                };
                format!(
                    "report written: {} ({}, {guesses})",
                    path.display(),
                    crate::output::units::counted(self.teach.reports.len(), "run"),
                )
            }
            Err(why) => format!("no report: {why}"),
        });
    }

    /// `b`: the presenter view on or off.
    pub(super) fn toggle_presenter(&mut self) {
        self.teach.presenter = !self.teach.presenter;
        self.message = Some(if self.teach.presenter {
            "presenter view: b (or Esc) returns to the lab".to_string()
        } else {
            "back to the lab".to_string()
        });
    }

    /// Esc in the idle main view: leaves the presenter view, then the
    /// lesson. It never quits: one Esc too many after leaving a lesson
    /// must not end a session that holds runs.
    pub(super) fn back(&mut self) {
        if self.teach.presenter {
            self.toggle_presenter();
        } else if self.teach.lesson.is_some() {
            self.leave_lesson();
        } else {
            self.message = Some("nothing to leave here: q quits".to_string());
        }
    }

    /// What the session holds that no report has covered yet: runs
    /// measured in full, guesses and finished sweeps.
    pub fn unexported(&self) -> Unexported {
        let seen = self.teach.exported;
        Unexported {
            runs: self.teach.reports.len().saturating_sub(seen.runs),
            guesses: self.teach.predictions.len().saturating_sub(seen.guesses),
            sweeps: self.sweeps().iter().filter(|s| s.files.is_none()).count(),
        }
    }
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

#[cfg(test)]
pub mod fixtures;

#[cfg(test)]
mod tests;
