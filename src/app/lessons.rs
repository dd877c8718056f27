//! Lessons in the live lab: the list (`L`), starting one, stepping through
//! it (`n`, `N`), each step's settings loaded into the lab, and after the
//! step's run the "what happened" paragraph filled from the measurement.
//!
//! A sweep step runs as a series of ordinary live runs, one per worker
//! count (1, 2, 4, … up to the step's workers): each is drawn in the lanes
//! and gets its row in the timing table, and their measured speedups fill
//! the sweep placeholders. This keeps one run machinery in the lab.

use super::{App, Effect, Key, View};
use crate::lesson::{Lesson, Settings, Step, WorkerCount};
use crate::measure::RunResult;
use crate::predict;
use crate::sweep::SweepResult;

/// The lesson being followed and what its steps gave so far.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonProgress {
    /// Index of the lesson in the session's lesson set.
    pub index: usize,
    /// The step on screen, 0-based.
    pub step: usize,
    /// What each step's latest run gave, once it ran in full.
    pub results: Vec<Option<StepResult>>,
    /// A sweep step's runs while they go.
    pub sweep: Option<SweepRuns>,
    /// Whether the run going uses the step's own settings.
    as_written: bool,
}

/// What a step's run gave.
#[derive(Clone, Debug, PartialEq)]
pub struct StepResult {
    /// The "what happened" paragraph, filled from the measured run.
    pub happened: String,
    /// The guess made before the run, judged; `None` if none was typed.
    pub guess: Option<predict::JudgedGuess>,
    /// Whether the run used settings of the learner's own instead of the
    /// step's: the paragraph was written for the step's settings.
    pub own_settings: bool,
    /// For a sweep step: the measured `(workers, speedup)` points.
    pub points: Vec<(usize, f64)>,
}

/// The runs of a sweep step: the worker counts and the points so far.
#[derive(Clone, Debug)]
pub struct SweepRuns {
    /// Worker counts to measure, in order.
    pub counts: Vec<usize>,
    /// Measured `(workers, speedup)` of the runs done.
    pub points: Vec<(usize, f64)>,
    /// The runs done, for the sweep's fit and findings.
    pub runs: Vec<RunResult>,
}

impl PartialEq for SweepRuns {
    fn eq(&self, other: &Self) -> bool {
        self.counts == other.counts && self.points == other.points
    }
}

impl SweepRuns {
    /// The worker count of the next run, if any is left.
    fn next_count(&self) -> Option<usize> {
        self.counts.get(self.points.len()).copied()
    }
}

impl App {
    /// The lesson followed and its step on screen.
    pub fn lesson_step(&self) -> Option<(&Lesson, &Step, &LessonProgress)> {
        let run = self.teach.lesson.as_ref()?;
        let lesson = self.teach.lessons.lessons.get(run.index)?;
        Some((lesson, lesson.steps.get(run.step)?, run))
    }

    /// `L`: the list of lessons, on the one followed if any.
    pub(super) fn open_lessons(&mut self) {
        let selected = self.teach.lesson.as_ref().map_or(0, |l| l.index);
        self.view = View::Lessons { selected };
    }

    /// Arrows move through the list, Enter starts the lesson, Esc closes.
    pub(super) fn on_lessons_key(&mut self, selected: usize, key: Key) -> Effect {
        let count = self.teach.lessons.lessons.len().max(1);
        match key {
            Key::Up | Key::BackTab => {
                self.view = View::Lessons {
                    selected: (selected + count - 1) % count,
                }
            }
            Key::Down | Key::Tab => {
                self.view = View::Lessons {
                    selected: (selected + 1) % count,
                }
            }
            Key::Enter | Key::Right => self.start_lesson(selected),
            Key::Esc | Key::Char('L') => self.view = View::Main,
            _ => self.message = Some("↑↓ choose, Enter starts, Esc closes".to_string()),
        }
        Effect::None
    }

    fn start_lesson(&mut self, index: usize) {
        let Some(lesson) = self.teach.lessons.lessons.get(index) else {
            self.message = Some("no lessons loaded: see the problems listed".to_string());
            return;
        };
        self.teach.lesson = Some(LessonProgress {
            index,
            step: 0,
            results: vec![None; lesson.steps.len()],
            sweep: None,
            as_written: true,
        });
        self.view = View::Main;
        self.enter_step(0);
    }

    /// Shows step `step` and loads its settings into the lab.
    fn enter_step(&mut self, step: usize) {
        self.teach.guess = None;
        let Some(run) = self.teach.lesson.as_mut() else {
            return;
        };
        run.step = step;
        let Some((_, step, _)) = self.lesson_step() else {
            return;
        };
        let spec = step.settings.spec(&self.machine);
        match spec.validate() {
            Ok(()) => {
                self.spec = spec;
                self.selected = self.selected.keep_shown(&spec);
            }
            Err(why) => self.message = Some(format!("this step's settings are refused: {why}")),
        }
    }

    /// `n` (`forward`) or `N`: the next or the previous step.
    pub(super) fn step_lesson(&mut self, forward: bool) {
        let Some((lesson, _, run)) = self.lesson_step() else {
            self.message = Some("n and N step through a lesson: L opens the lessons".to_string());
            return;
        };
        let (at, last) = (run.step, lesson.steps.len() - 1);
        match (forward, at) {
            (true, at) if at == last => {
                self.message = Some(
                    "that was the last step: Esc leaves the lesson, L picks another".to_string(),
                )
            }
            (false, 0) => self.message = Some("this is the first step".to_string()),
            (true, at) => self.enter_step(at + 1),
            (false, at) => self.enter_step(at - 1),
        }
    }

    /// Esc in a lesson: back to the lab, which keeps the step's settings.
    pub(super) fn leave_lesson(&mut self) {
        self.teach.lesson = None;
        self.teach.guess = None;
        self.message =
            Some("left the lesson; the lab keeps its settings (L lists the lessons)".into());
    }

    /// Before a run in a lesson: note whether it uses the step's settings
    /// and, for a sweep step, start at the first worker count.
    pub(super) fn prepare_lesson_run(&mut self) {
        let Some((_, step, _)) = self.lesson_step() else {
            return;
        };
        let settings = step.settings;
        let as_written = settings_match(&settings, &self.spec, &self.machine);
        let sweep = Settings {
            workers: WorkerCount::Fixed(self.spec.workers),
            ..settings
        }
        .sweep_workers(&self.machine);
        if let Some(first) = sweep.as_ref().and_then(|c| c.first()) {
            self.spec.workers = *first;
        }
        if let Some(run) = self.teach.lesson.as_mut() {
            run.as_written = as_written;
            run.sweep = sweep.map(|counts| SweepRuns {
                counts,
                points: Vec::new(),
                runs: Vec::new(),
            });
        }
    }

    /// A run of a sweep step ended: notes its point and returns the worker
    /// count of the next run, if the sweep goes on.
    pub(super) fn next_sweep_run(&mut self, report: &RunResult) -> Option<usize> {
        let sweep = self.teach.lesson.as_mut()?.sweep.as_mut()?;
        sweep.points.push((report.workers, report.speedup));
        sweep.runs.push(report.clone());
        sweep.next_count()
    }

    /// The step's run is over: fill its paragraph from the measurement.
    pub(super) fn record_step(&mut self, report: &RunResult, guess: Option<predict::JudgedGuess>) {
        let points = self.sweep_points();
        let Some((_, step, run)) = self.lesson_step() else {
            return;
        };
        let runs = self.teach.lesson.as_ref().and_then(|l| l.sweep.as_ref());
        let sweep = runs.and_then(|s| SweepResult::from_runs(&s.runs, &self.machine));
        let facts = crate::lesson::happened_facts(report, sweep.as_ref());
        let result = StepResult {
            happened: step.happened.render(&facts),
            guess,
            own_settings: !run.as_written,
            points,
        };
        if let Some(run) = self.teach.lesson.as_mut() {
            run.sweep = None;
            if let Some(slot) = run.results.get_mut(run.step) {
                *slot = Some(result);
            }
        }
    }

    /// The measured points of the sweep step that just ran (empty for a
    /// single run).
    pub(super) fn sweep_points(&self) -> Vec<(usize, f64)> {
        let sweep = self.teach.lesson.as_ref().and_then(|l| l.sweep.as_ref());
        sweep.map_or_else(Vec::new, |s| s.points.clone())
    }

    /// The text of `step` before its run, chosen by what this machine
    /// shows.
    pub fn step_text(&self, step: &Step) -> String {
        let spec = step.settings.spec(&self.machine);
        step.text
            .render(&crate::lesson::before_facts(&spec, &self.machine, false))
    }

    /// Where a guess was asked, for the report: "1. The classic demo ›
    /// Eight workers".
    pub(super) fn lesson_label(&self) -> Option<String> {
        let (lesson, step, run) = self.lesson_step()?;
        Some(format!(
            "{}. {} › {}",
            run.index + 1,
            lesson.title,
            step.title
        ))
    }
}

/// Whether `spec` is what `settings` load on `machine` (a sweep step's
/// worker count aside, which changes from run to run).
fn settings_match(
    settings: &Settings,
    spec: &crate::config::RunSpec,
    machine: &crate::machine::MachineInfo,
) -> bool {
    let written = settings.spec(machine);
    let fraction_matters = spec.workload == crate::workload::WorkloadKind::SerialFraction;
    spec.workload == written.workload
        && spec.tasks == written.tasks
        && spec.task_ms == written.task_ms
        && (settings.sweep || spec.workers == written.workers)
        && (!fraction_matters || spec.serial_fraction == written.serial_fraction)
}
