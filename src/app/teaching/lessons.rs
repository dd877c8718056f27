//! Lessons in the live lab: the list (`L`), starting one, stepping through
//! it (`n`, `N`), each step's settings loaded into the lab, and after the
//! step's run the "what happened" paragraph filled from the measurement.
//!
//! A sweep step runs on the engine of `parlab sweep` and the lab's sweep
//! view: one serial baseline, a fresh pool for each worker count (1, 2,
//! 4, … up to the step's workers), the same fit. Its findings and figures
//! fill the step's text, so the lab, the lesson and the command line agree.

use super::Teaching;
use crate::app::live_run::LiveRun;
use crate::config::Work;
use crate::lesson::{Lesson, Settings, Step};
use crate::machine::MachineInfo;
use crate::measure::Rounds;
use crate::predict;
use crate::sweep::SweepPlan;

/// The lesson being followed and what its steps gave so far.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonProgress {
    /// Index of the lesson in the session's lesson set.
    pub index: usize,
    /// The step on screen, 0-based.
    pub step: usize,
    /// What each step's latest run gave, once it ran in full.
    pub results: Vec<Option<StepResult>>,
    /// A sweep step's sweep while it goes: its worker counts.
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
    /// The run's lanes, shown again whenever the learner comes back to the
    /// step, so a step's text never sits above another step's lanes.
    pub run: Option<KeptRun>,
}

/// A finished run kept with its step.
#[derive(Clone)]
pub struct KeptRun(pub LiveRun);

impl std::fmt::Debug for KeptRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeptRun({:?})", self.0.spec)
    }
}

impl PartialEq for KeptRun {
    /// The same run: the same settings and the same parallel board.
    fn eq(&self, other: &Self) -> bool {
        let board = |run: &LiveRun| run.parallel.as_ref().map(|side| side.board.clone());
        self.0.spec == other.0.spec
            && match (board(&self.0), board(&other.0)) {
                (Some(a), Some(b)) => std::sync::Arc::ptr_eq(&a, &b),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

/// A sweep step's sweep while it is measured.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRuns {
    /// Worker counts measured, in order.
    pub counts: Vec<usize>,
}

impl Teaching {
    /// The lesson followed and its step on screen.
    pub fn lesson_step(&self) -> Option<(&Lesson, &Step, &LessonProgress)> {
        let run = self.lesson.as_ref()?;
        let lesson = self.lessons.lessons.get(run.index)?;
        Some((lesson, lesson.steps.get(run.step)?, run))
    }

    /// The lesson the list opens on: the one followed, else the one left
    /// last, else the first.
    pub fn current_lesson(&self) -> usize {
        self.lesson.as_ref().map_or(self.last_lesson, |l| l.index)
    }

    /// Starts lesson `index`, or takes it up where the learner left it
    /// (runs, guesses and step); the lesson followed so far is kept the
    /// same way. Returns the step to show, or the note when there is no
    /// such lesson.
    pub fn start_lesson(&mut self, index: usize) -> Result<usize, String> {
        let Some(lesson) = self.lessons.lessons.get(index) else {
            return Err("no lessons loaded: see the problems listed".to_string());
        };
        let steps = lesson.steps.len();
        self.keep_lesson();
        let progress = self
            .left
            .remove(&index)
            .filter(|kept| kept.results.len() == steps)
            .unwrap_or(LessonProgress {
                index,
                step: 0,
                results: vec![None; steps],
                sweep: None,
                as_written: true,
            });
        let step = progress.step;
        self.lesson = Some(progress);
        Ok(step)
    }

    /// Puts the lesson followed aside, to be taken up where it was.
    fn keep_lesson(&mut self) {
        if let Some(mut progress) = self.lesson.take() {
            progress.sweep = None;
            self.last_lesson = progress.index;
            self.left.insert(progress.index, progress);
        }
    }

    /// The run kept with the step on screen, if it ran.
    pub fn step_run(&self) -> Option<&LiveRun> {
        let (_, _, run) = self.lesson_step()?;
        let result = run.results.get(run.step)?.as_ref()?;
        result.run.as_ref().map(|kept| &kept.0)
    }

    /// Shows step `step`: the settings it loads on `machine`, checked, or
    /// why they are refused; `None` outside a lesson.
    pub fn enter_step(
        &mut self,
        step: usize,
        machine: &MachineInfo,
    ) -> Option<Result<Work, String>> {
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
        self.keep_lesson();
        "left the lesson, which keeps its place; the lab keeps its settings (L lists the lessons)"
            .into()
    }

    /// Before a run in a lesson: note whether `spec` is the step's own;
    /// for a sweep step, the plan of its sweep over 1, 2, 4, … up to the
    /// workers of `spec`, with the step's repeats.
    pub fn prepare_lesson_run(&mut self, spec: &Work, machine: &MachineInfo) -> Option<SweepPlan> {
        let (_, step, _) = self.lesson_step()?;
        let settings = step.settings;
        let as_written = settings_match(&settings, spec, machine);
        let plan = settings.sweep_plan(spec);
        if let Some(run) = self.lesson.as_mut() {
            run.as_written = as_written;
            run.sweep = plan.as_ref().map(|plan| SweepRuns {
                counts: plan.workers.0.clone(),
            });
        }
        plan
    }

    /// The rounds of a run of `spec`: the step's repeats when it is the
    /// step's own run, else one timed run as the lab always makes.
    pub fn step_rounds(&self, spec: &Work, machine: &MachineInfo) -> Rounds {
        match self.lesson_step() {
            Some((_, step, _)) if settings_match(&step.settings, spec, machine) => {
                step.settings.rounds()
            }
            _ => Rounds::ONCE,
        }
    }

    /// Whether a sweep step waits for its sweep.
    pub fn awaits_sweep(&self) -> bool {
        self.lesson.as_ref().is_some_and(|l| l.sweep.is_some())
    }

    /// The step's run is over: fill its paragraph from the measurement
    /// (a sweep step's from its sweep).
    pub(super) fn record_step(
        &mut self,
        facts: &crate::template::Facts,
        guess: Option<predict::JudgedGuess>,
        points: Vec<(usize, f64)>,
        lanes: Option<LiveRun>,
    ) {
        let Some((_, step, run)) = self.lesson_step() else {
            return;
        };
        let result = StepResult {
            happened: step.happened.render(facts),
            guess,
            own_settings: !run.as_written,
            points,
            run: lanes.map(KeptRun),
        };
        if let Some(run) = self.lesson.as_mut() {
            run.sweep = None;
            if let Some(slot) = run.results.get_mut(run.step) {
                *slot = Some(result);
            }
        }
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

/// Whether `spec` is what `settings` load on `machine`: every work
/// setting, a sweep step's worker count aside (the sweep visits several).
fn settings_match(settings: &Settings, spec: &Work, machine: &MachineInfo) -> bool {
    let written = match settings.sweep {
        true => settings.spec_on(spec.workers),
        false => settings.spec(machine),
    };
    *spec == written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::Pool;
    use crate::schedule::Schedule;
    use crate::workload::WorkloadKind;

    #[test]
    fn every_work_setting_decides_whether_a_run_is_the_step_s_own() {
        let machine = MachineInfo::synthetic(2, 4);
        let step = Settings {
            work: Work {
                workload: WorkloadKind::Cpu,
                tasks: 8,
                task_ms: 10.0,
                ..Work::SEED_DEMO
            },
            workers: crate::lesson::WorkerCount::PerCpu(1),
            sweep: false,
            repeat: 3,
        };
        let written = step.spec(&machine);
        assert_eq!(written.workers, 4);
        assert!(settings_match(&step, &written, &machine));
        for changed in [
            Work {
                pool: Pool::Processes,
                ..written
            },
            Work {
                schedule: Schedule::Static,
                ..written
            },
            Work {
                payload_kb: 64,
                ..written
            },
            Work {
                workers: 2,
                ..written
            },
        ] {
            assert!(!settings_match(&step, &changed, &machine), "{changed:?}");
        }
        let sweep = Settings {
            sweep: true,
            ..step
        };
        let fewer = Work {
            workers: 2,
            ..written
        };
        assert!(settings_match(&sweep, &fewer, &machine), "a sweep's top");
        let other_pool = Work {
            pool: Pool::Processes,
            ..fewer
        };
        assert!(!settings_match(&sweep, &other_pool, &machine));
    }
}
