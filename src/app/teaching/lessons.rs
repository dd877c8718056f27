//! Lessons in the live lab: the list (`L`), starting one, stepping through
//! it (`n`, `N`), each step's settings loaded into the lab, and after the
//! step's run the "what happened" paragraph filled from the measurement.
//!
//! A sweep step runs as a series of ordinary live runs, one per worker
//! count (1, 2, 4, … up to the step's workers): each is drawn in the lanes
//! and gets its row in the timing table, and their measured speedups fill
//! the sweep placeholders. This keeps one run machinery in the lab.

use super::Teaching;
use crate::config::RunSpec;
use crate::lesson::{Lesson, Settings, Step, WorkerCount};
use crate::machine::MachineInfo;
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

impl Teaching {
    /// The lesson followed and its step on screen.
    pub fn lesson_step(&self) -> Option<(&Lesson, &Step, &LessonProgress)> {
        let run = self.lesson.as_ref()?;
        let lesson = self.lessons.lessons.get(run.index)?;
        Some((lesson, lesson.steps.get(run.step)?, run))
    }

    /// The lesson the list opens on: the one followed, else the first.
    pub fn current_lesson(&self) -> usize {
        self.lesson.as_ref().map_or(0, |l| l.index)
    }

    /// Starts lesson `index` at its first step; the note when there is no
    /// such lesson.
    pub fn start_lesson(&mut self, index: usize) -> Result<(), String> {
        let Some(lesson) = self.lessons.lessons.get(index) else {
            return Err("no lessons loaded: see the problems listed".to_string());
        };
        self.lesson = Some(LessonProgress {
            index,
            step: 0,
            results: vec![None; lesson.steps.len()],
            sweep: None,
            as_written: true,
        });
        Ok(())
    }

    /// Shows step `step`: the settings it loads on `machine`, checked, or
    /// why they are refused; `None` outside a lesson.
    pub fn enter_step(
        &mut self,
        step: usize,
        machine: &MachineInfo,
    ) -> Option<Result<RunSpec, String>> {
        self.lesson.as_mut()?.step = step;
        let (_, step, _) = self.lesson_step()?;
        let spec = step.settings.spec(machine);
        Some(
            spec.validate()
                .map(|()| spec)
                .map_err(|why| format!("this step's settings are refused: {why}")),
        )
    }

    /// `n` (`forward`) or `N`: the step to enter next, or why there is
    /// none.
    pub fn step_lesson(&self, forward: bool) -> Result<usize, String> {
        let Some((lesson, _, run)) = self.lesson_step() else {
            return Err("n and N step through a lesson: L opens the lessons".to_string());
        };
        let (at, last) = (run.step, lesson.steps.len() - 1);
        match (forward, at) {
            (true, at) if at == last => {
                Err("that was the last step: Esc leaves the lesson, L picks another".to_string())
            }
            (false, 0) => Err("this is the first step".to_string()),
            (true, at) => Ok(at + 1),
            (false, at) => Ok(at - 1),
        }
    }

    /// Esc in a lesson: back to the lab, which keeps the step's settings.
    pub fn leave_lesson(&mut self) -> String {
        self.lesson = None;
        "left the lesson; the lab keeps its settings (L lists the lessons)".into()
    }

    /// Before a run in a lesson: note whether `spec` is the step's own and,
    /// for a sweep step, start at the first worker count.
    pub fn prepare_lesson_run(&mut self, spec: &mut RunSpec, machine: &MachineInfo) {
        let Some((_, step, _)) = self.lesson_step() else {
            return;
        };
        let settings = step.settings;
        let as_written = settings_match(&settings, spec, machine);
        let sweep = Settings {
            workers: WorkerCount::Fixed(spec.workers),
            ..settings
        }
        .sweep_workers(machine);
        if let Some(first) = sweep.as_ref().and_then(|c| c.first()) {
            spec.workers = *first;
        }
        if let Some(run) = self.lesson.as_mut() {
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
        let sweep = self.lesson.as_mut()?.sweep.as_mut()?;
        sweep.points.push((report.workers, report.speedup));
        sweep.runs.push(report.clone());
        sweep.next_count()
    }

    /// The step's run is over: fill its paragraph from the measurement.
    pub(super) fn record_step(
        &mut self,
        report: &RunResult,
        guess: Option<predict::JudgedGuess>,
        machine: &MachineInfo,
    ) {
        let points = self.sweep_points();
        let Some((_, step, run)) = self.lesson_step() else {
            return;
        };
        let runs = self.lesson.as_ref().and_then(|l| l.sweep.as_ref());
        let sweep = runs.and_then(|s| SweepResult::from_runs(&s.runs, machine));
        let facts = crate::lesson::happened_facts(report, sweep.as_ref());
        let result = StepResult {
            happened: step.happened.render(&facts),
            guess,
            own_settings: !run.as_written,
            points,
        };
        if let Some(run) = self.lesson.as_mut() {
            run.sweep = None;
            if let Some(slot) = run.results.get_mut(run.step) {
                *slot = Some(result);
            }
        }
    }

    /// The measured points of the sweep step that just ran (empty for a
    /// single run).
    pub(super) fn sweep_points(&self) -> Vec<(usize, f64)> {
        let sweep = self.lesson.as_ref().and_then(|l| l.sweep.as_ref());
        sweep.map_or_else(Vec::new, |s| s.points.clone())
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
fn settings_match(settings: &Settings, spec: &RunSpec, machine: &MachineInfo) -> bool {
    let written = settings.spec(machine);
    let fraction_matters = spec.workload == crate::workload::WorkloadKind::SerialFraction;
    spec.workload == written.workload
        && spec.tasks == written.tasks
        && spec.task_ms == written.task_ms
        && (settings.sweep || spec.workers == written.workers)
        && (!fraction_matters || spec.serial_fraction == written.serial_fraction)
}
