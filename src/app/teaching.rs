//! The teaching layer of the live lab: the lessons of the session, the
//! predict-first guesses and their score, and the runs the session report
//! covers.
//!
//! The state, how lessons step, when a guess is asked and kept, and the
//! end of each run (scored, or dropped unscored) live here; what a
//! lesson's progress holds is in [`lessons`], how a guess is typed (the
//! guessing mode's keys) in [`guess`]. Nothing here draws or writes:
//! `e` only asks the event loop for [`super::Effect::WriteReport`] with a
//! copy of what the report covers.

pub mod guess;
pub mod lessons;

use crate::app::keys::Key;
use crate::app::live_run::LiveRun;
use crate::app::selection::{ListKey, Popup, Selection};
use crate::config::Work;
use crate::lesson::LessonSet;
use crate::lesson::{Lesson, Step};
use crate::machine::MachineInfo;
use crate::measure::Rounds;
use crate::measure::RunResult;
use crate::predict::BareUnit;
use crate::predict::{self, Prediction, Quantity, Score};
use crate::sweep::SweepPlan;
use crate::units::format_ms;
use guess::{GuessEntry, Pending};
use lessons::{KeptRun, LessonProgress, StepResult, SweepRuns, settings_match};

/// What the teaching layer knows during a session.
#[derive(Debug, Default)]
pub struct Teaching {
    /// The lessons of this session and the files that could not be used.
    pub lessons: LessonSet,
    /// The class paths through them (50 and 90 minutes).
    pub paths: Vec<crate::lesson::path::ClassPath>,
    /// The lesson being followed, if any.
    pub lesson: Option<LessonProgress>,
    /// Lessons left in this session, by index, with their runs, guesses
    /// and step, to be taken up where the learner was.
    pub left: std::collections::BTreeMap<usize, LessonProgress>,
    /// The lesson followed last: where the list opens.
    pub last_lesson: usize,
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
    /// The first file problem the lessons list shows (PgDn, PgUp), so
    /// every problem of a large folder can be read.
    pub problems_from: usize,
    /// Which page of the lesson panel's text is shown (Space); the panel
    /// wraps it around its number of pages. Back to the first on every
    /// new step and every run's end.
    pub text_page: usize,
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
            paths: crate::lesson::path::class_paths(&lessons).0,
            lessons,
            ..Self::default()
        }
    }

    /// A run was measured in full: keep it for the report, judge the guess
    /// and fill the lesson step from the run's judged `facts`.
    pub fn on_measured(
        &mut self,
        report: &RunResult,
        facts: &crate::template::Facts,
        lanes: Option<LiveRun>,
    ) {
        self.runs.push(report.clone());
        let noise =
            crate::finding::noise_margin([&report.serial.wall, &report.parallel.wall], report.busy);
        let outcome = self.judge_pending(|quantity| quantity.measured(report), noise);
        if self.lesson.is_some() {
            self.record_step(facts, outcome, Vec::new(), lanes);
        } else {
            self.judged = outcome;
        }
    }

    /// A lesson's sweep step was measured in full: judge the guess against
    /// its best row with more than one worker and fill the step from the
    /// sweep's findings.
    pub fn on_swept(&mut self, sweep: &crate::sweep::SweepResult) {
        if !self.awaits_sweep() {
            return;
        }
        let best = sweep
            .rows
            .iter()
            .filter(|r| r.workers > 1)
            .max_by(|a, b| a.speedup.total_cmp(&b.speedup))
            .or(sweep.rows.first());
        let noise = best.map_or(0.0, |row| {
            crate::finding::noise_margin([&sweep.serial, &row.parallel], sweep.busy)
        });
        let outcome = self.judge_pending(
            |quantity| match (quantity, best) {
                (Quantity::Speedup, Some(row)) => row.speedup,
                (Quantity::ParallelTime, Some(row)) => row.parallel.median.as_secs_f64(),
                _ => 0.0,
            },
            noise,
        );
        let points = sweep.rows.iter().map(|r| (r.workers, r.speedup)).collect();
        let facts = crate::lesson::sweep_facts(sweep);
        self.record_step(&facts, outcome, points, None);
    }

    /// Judges the guess made for the measurement that just ended, if any,
    /// with `measured` giving the figure the guess was about.
    /// A guess within `noise`, the measurement's own margin, counts as
    /// close; a lesson step's new guess replaces the step's earlier one.
    fn judge_pending(
        &mut self,
        measured: impl Fn(Quantity) -> f64,
        noise: f64,
    ) -> Option<predict::JudgedGuess> {
        self.pending.take().map(|pending| {
            let outcome = predict::judge(
                pending.quantity,
                pending.guess,
                measured(pending.quantity),
                noise,
            );
            if pending.for_step {
                self.predictions.retain(|p| p.label != pending.label);
            }
            self.predictions.push(Prediction {
                label: pending.label,
                outcome,
            });
            self.score = Score::default();
            for prediction in &self.predictions {
                self.score.record(&prediction.outcome);
            }
            outcome
        })
    }

    /// A run or a lesson's sweep ended without a measurement (cancelled or
    /// failed): its guess is not scored and a sweep step stops. `true` when
    /// a guess was dropped.
    pub fn on_unmeasured(&mut self) -> bool {
        let dropped = self.pending.take().is_some();
        if let Some(lesson) = self.lesson.as_mut() {
            lesson.sweep = None;
        }
        dropped
    }

    /// The report just written covers everything measured so far.
    pub fn mark_exported(&mut self) {
        self.exported = Exported {
            runs: self.runs.len(),
            guesses: self.predictions.len(),
        };
    }
}

impl Teaching {
    /// Whether `r` asks for a guess first: in a lesson, or with `g` on.
    pub fn asks_first(&self) -> bool {
        self.lesson.is_some() || self.predict_all
    }

    /// An empty guess of what the lesson step asks (the parallel time
    /// outside a lesson, where Tab may switch it); a bare number of a time
    /// is read in the unit of `expected`, the model's time for the run.
    pub fn new_guess(&self, expected: std::time::Duration) -> GuessEntry {
        let quantity = self
            .lesson_step()
            .map_or(Quantity::ParallelTime, |(_, step, _)| step.predict);
        GuessEntry {
            quantity,
            text: String::new(),
            switchable: self.lesson.is_none(),
            bare: BareUnit::of(expected),
        }
    }

    /// Keeps `guess` of `quantity` for the run about to start with `spec`.
    pub fn keep_guess(&mut self, quantity: Quantity, guess: f64, spec: &Work) {
        self.pending = Some(Pending {
            quantity,
            guess,
            label: self.guess_label(spec),
            for_step: self.lesson.is_some(),
        });
    }

    /// `g`: predict first for every run, on or off; the note says which.
    pub fn toggle_predict(&mut self) -> String {
        self.predict_all = !self.predict_all;
        if self.predict_all {
            "predict first is on: r asks for your guess before each run".to_string()
        } else {
            "predict first is off (lessons still ask)".to_string()
        }
    }

    /// Where a guess is asked: the lesson step, else the settings.
    fn guess_label(&self, spec: &Work) -> String {
        self.lesson_label().unwrap_or_else(|| {
            format!(
                "{} · {} × {} · {}",
                spec.workload.name(),
                spec.tasks,
                format_ms(spec.task_ms),
                crate::units::counted(spec.workers, "worker")
            )
        })
    }

    /// A key in the lessons list over `list`: arrows move, Enter or →
    /// chooses a lesson, PgDn and PgUp page the file problems, Esc or `L`
    /// closes.
    pub fn on_lessons_key(&mut self, list: &mut Selection, key: Key) -> Popup {
        let problems = self.lessons.problems.len();
        match key {
            Key::Right => Popup::Chosen(list.index),
            Key::Char('L') => Popup::Closed(None),
            Key::PageDown | Key::PageUp if problems == 0 => {
                Popup::Open(Some("no file problems to page through".to_string()))
            }
            Key::PageDown => {
                self.problems_from = (self.problems_from + 1).min(problems - 1);
                Popup::Open(None)
            }
            Key::PageUp => {
                self.problems_from = self.problems_from.saturating_sub(1);
                Popup::Open(None)
            }
            _ => match list.on_key(key, self.lessons.lessons.len()) {
                ListKey::Moved => Popup::Open(None),
                ListKey::Chosen(index) => Popup::Chosen(index),
                ListKey::Closed => Popup::Closed(None),
                ListKey::Other => {
                    Popup::Open(Some("↑↓ choose, Enter starts, Esc closes".to_string()))
                }
            },
        }
    }

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
    fn record_step(
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
    fn lesson_label(&self) -> Option<String> {
        let (lesson, step, run) = self.lesson_step()?;
        Some(format!(
            "{}. {} › {}",
            run.index + 1,
            lesson.title,
            step.title
        ))
    }
}

#[cfg(test)]
pub mod test_support;

#[cfg(test)]
mod tests {
    //! Lessons, predict-first guesses, the presenter switch and the report's
    //! session, driven by made-up keys and measured reports.

    use super::test_support::{finish, in_lesson, type_keys};
    use crate::app::live_run::RunMsg;
    use crate::app::selection::Selection;
    use crate::app::test_support::{app, seed_finished};
    use crate::app::{App, Effect, Key, Mode, Msg, Screen};
    use crate::output::session;
    use crate::predict::{Quantity, Verdict};
    use crate::workload::WorkloadKind;
    use std::time::{Duration, SystemTime};

    fn message(app: &App) -> String {
        app.message.clone().unwrap_or_default()
    }

    #[test]
    fn l_lists_the_shipped_lessons_and_enter_starts_one() {
        let mut app = app();
        assert!(app.teaching.lessons.lessons.len() >= 10);
        assert_eq!(app.on_key(Key::Char('L')), Effect::None);
        assert_eq!(
            app.mode,
            Mode::Lessons {
                list: Selection::at(0),
                under: Screen::Main
            }
        );
        app.on_key(Key::Up);
        let last = app.teaching.lessons.lessons.len() - 1;
        assert_eq!(
            app.mode,
            Mode::Lessons {
                list: Selection::at(last),
                under: Screen::Main
            },
            "wraps to the last"
        );
        app.on_key(Key::Down);
        app.on_key(Key::Enter);
        assert_eq!(app.mode, Mode::Main);
        let (lesson, step, run) = app.teaching.lesson_step().unwrap();
        assert_eq!((lesson.title.as_str(), run.step), ("The classic demo", 0));
        assert_eq!(step.title, "One worker");
        assert_eq!((app.lab.spec.tasks, app.lab.spec.workers), (24, 1));
        app.on_key(Key::Char('L'));
        app.on_key(Key::Esc);
        assert_eq!(
            app.mode,
            Mode::Main,
            "Esc closes the list, the lesson stays"
        );
        assert!(app.teaching.lesson.is_some());
    }

    #[test]
    fn n_and_shift_n_step_through_and_esc_leaves_but_never_quits() {
        let mut app = in_lesson(0);
        app.on_key(Key::Char('n'));
        assert_eq!(app.teaching.lesson_step().unwrap().2.step, 1);
        assert_eq!(app.lab.spec.workers, 8, "the step's settings are loaded");
        app.on_key(Key::PageDown);
        assert_eq!(
            (
                app.teaching.lesson_step().unwrap().2.step,
                app.lab.spec.workers
            ),
            (2, 8)
        );
        assert_eq!(
            app.lab.spec.pool,
            crate::pool::Pool::PythonProcesses,
            "the Python recipe itself follows the 8 rayon workers"
        );
        app.on_key(Key::Char('n'));
        assert_eq!(app.lab.spec.workers, 2, "the last step asks about Pool(2)");
        app.on_key(Key::Char('n'));
        assert!(message(&app).contains("last step"), "{}", message(&app));
        app.on_key(Key::Char('N'));
        app.on_key(Key::Char('N'));
        app.on_key(Key::PageUp);
        app.on_key(Key::Char('N'));
        assert!(message(&app).contains("first step"));
        assert_eq!(app.teaching.lesson_step().unwrap().2.step, 0);
        assert_eq!(app.on_key(Key::Esc), Effect::None);
        assert!(app.teaching.lesson.is_none());
        assert!(message(&app).contains("left the lesson"));
        assert_eq!(app.on_key(Key::Esc), Effect::None, "Esc never quits");
        assert!(message(&app).contains("q quits"), "{}", message(&app));
    }

    #[test]
    fn stepping_waits_for_the_run_and_outside_a_lesson_points_at_l() {
        let mut app = app();
        app.on_key(Key::Char('n'));
        assert!(message(&app).contains("L opens the lessons"));
        let mut app = in_lesson(0);
        app.on_key(Key::Char('r'));
        app.on_key(Key::Enter);
        assert!(app.is_running());
        app.on_key(Key::Char('n'));
        assert!(message(&app).contains("waits until the run ends"));
        assert_eq!(app.on_key(Key::Esc), Effect::Cancel, "Esc cancels first");
        assert!(app.teaching.lesson.is_some());
    }

    #[test]
    fn a_lesson_run_asks_for_a_guess_then_judges_it_and_fills_the_step() {
        let mut app = in_lesson(0);
        app.on_key(Key::Char('n'));
        assert_eq!(app.on_key(Key::Char('r')), Effect::None);
        let entry = app.guess().cloned().unwrap();
        assert_eq!(
            (entry.quantity, entry.switchable),
            (Quantity::ParallelTime, false)
        );
        type_keys(&mut app, "fast");
        assert_eq!(app.on_key(Key::Enter), Effect::None);
        assert!(
            message(&app).contains("is not a guess"),
            "{}",
            message(&app)
        );
        assert_eq!(app.guess().unwrap().text, "fast", "kept to fix");
        for _ in 0..4 {
            app.on_key(Key::Backspace);
        }
        type_keys(&mut app, "300 ms");
        let spec = app.lab.spec;
        assert_eq!(
            app.on_key(Key::Enter),
            Effect::StartRun(spec, crate::measure::Rounds::ONCE, None)
        );
        assert_eq!(app.teaching.pending.as_ref().unwrap().guess, 0.3);
        assert_eq!(finish(&mut app, 2400, 301), Effect::None);
        let result = app.teaching.lesson_step().unwrap().2.results[1]
            .clone()
            .unwrap();
        let guess = result.guess.unwrap();
        assert_eq!((guess.verdict, guess.measured), (Verdict::Close, 0.301));
        assert!(
            result.happened.contains("took 301 ms"),
            "{}",
            result.happened
        );
        assert!(
            result
                .happened
                .contains("against 2.40 s serially: 7.97× faster")
        );
        assert!(!result.own_settings);
        assert_eq!(
            (app.teaching.score.close, app.teaching.score.guesses()),
            (1, 1)
        );
        let label = &app.teaching.predictions[0].label;
        assert_eq!(label, "1. The classic demo › Eight workers");
    }

    /// Guesses `guess` on the step on screen, runs it and ends the run.
    fn guess_and_run(app: &mut App, guess: &str, serial_ms: u64, parallel_ms: u64) {
        app.on_key(Key::Char('r'));
        type_keys(app, guess);
        app.on_key(Key::Enter);
        finish(app, serial_ms, parallel_ms);
    }

    #[test]
    fn a_lesson_left_and_taken_up_again_keeps_its_runs_guesses_and_step() {
        let mut app = in_lesson(2);
        app.on_key(Key::Char('n'));
        guess_and_run(&mut app, "2", 2400, 1250);
        let before = app.teaching.lesson.clone().unwrap();
        assert!(before.results[1].is_some() && before.step == 1);
        app.on_key(Key::Esc);
        assert!(app.teaching.lesson.is_none());
        app.on_key(Key::Char('L'));
        assert!(
            matches!(app.mode, Mode::Lessons { list, .. } if list.index == 2),
            "the list reopens where the learner was: {:?}",
            app.mode
        );
        app.on_key(Key::Enter);
        let after = app.teaching.lesson.clone().unwrap();
        assert_eq!(after, before, "runs, guesses and step kept");
        assert_eq!(app.lab.spec.workload, WorkloadKind::Cpu);
        assert!(app.lab.run.is_some(), "the step's own lanes are back");
        assert_eq!(app.teaching.score.guesses(), 1);
    }

    #[test]
    fn each_step_shows_its_own_run_and_a_rerun_replaces_its_score() {
        let mut app = in_lesson(0);
        app.on_key(Key::Char('n'));
        guess_and_run(&mut app, "3", 2400, 301);
        assert_eq!(app.teaching.score.guesses(), 1);
        assert_eq!(
            app.teaching.score.optimistic + app.teaching.score.pessimistic,
            1
        );
        let first = app.lab.run.as_ref().map(|r| r.spec);
        app.on_key(Key::Char('n'));
        assert!(
            app.lab.run.is_none(),
            "no other step's lanes under this step's text"
        );
        app.on_key(Key::Char('N'));
        assert_eq!(app.lab.run.as_ref().map(|r| r.spec), first);
        guess_and_run(&mut app, "300", 2400, 301);
        assert_eq!(
            (app.teaching.score.close, app.teaching.score.guesses()),
            (1, 1),
            "the step's new guess replaced its first; 300 read as ms"
        );
        assert_eq!(app.teaching.predictions.len(), 1);
    }

    #[test]
    fn a_run_with_changed_settings_is_marked_as_the_learners_own() {
        let mut app = in_lesson(0);
        app.on_key(Key::Down);
        app.on_key(Key::Right);
        assert_eq!(app.lab.spec.workers, 2);
        app.on_key(Key::Char('r'));
        app.on_key(Key::Enter);
        assert!(message(&app).contains("without a guess"));
        finish(&mut app, 2400, 1200);
        let result = app.teaching.lesson_step().unwrap().2.results[0]
            .clone()
            .unwrap();
        assert!(result.own_settings && result.guess.is_none());
        assert_eq!(app.teaching.score.guesses(), 0);
    }

    #[test]
    fn a_guess_of_the_wrong_kind_is_refused_in_place() {
        let mut app = in_lesson(2);
        let asked = app.teaching.lesson_step().unwrap().1.predict;
        app.on_key(Key::Char('r'));
        let wrong = match asked {
            Quantity::Speedup => "300 ms",
            Quantity::ParallelTime => "8x",
        };
        type_keys(&mut app, wrong);
        assert_eq!(app.on_key(Key::Enter), Effect::None);
        assert!(
            message(&app).starts_with("this step asks for"),
            "{}",
            message(&app)
        );
        assert!(app.guess().is_some() && !app.is_running());
        app.on_key(Key::Char('?'));
        assert!(message(&app).contains("Enter runs, Esc drops"));
        app.on_key(Key::Esc);
        assert!(app.guess().is_none() && !app.is_running());
        assert!(
            app.teaching.lesson.is_some(),
            "Esc drops the guess, not the lesson"
        );
    }

    #[test]
    fn g_asks_before_every_run_and_tab_switches_the_figure() {
        let mut app = app();
        app.on_key(Key::Char('g'));
        assert!(app.teaching.predict_all);
        app.on_key(Key::Char('r'));
        assert_eq!(app.guess().unwrap().quantity, Quantity::ParallelTime);
        app.on_key(Key::Tab);
        assert_eq!(app.guess().unwrap().quantity, Quantity::Speedup);
        type_keys(&mut app, "8x");
        assert!(matches!(app.on_key(Key::Enter), Effect::StartRun(..)));
        finish(&mut app, 2400, 301);
        let judged = app.teaching.judged.unwrap();
        assert_eq!(judged.verdict, Verdict::Close);
        assert!((judged.measured - 2400.0 / 301.0).abs() < 1e-9);
        assert_eq!(
            app.teaching.predictions[0].label,
            "sleep · 24 × 100 ms · 8 workers"
        );
        app.on_key(Key::Char('g'));
        assert_eq!(
            app.on_key(Key::Char('r')),
            Effect::StartRun(app.lab.spec, crate::measure::Rounds::ONCE, None)
        );
        assert!(
            app.teaching.judged.is_none(),
            "a new run clears the old verdict"
        );
    }

    #[test]
    fn a_cancelled_run_leaves_its_guess_unscored() {
        let mut app = in_lesson(0);
        app.on_key(Key::Char('r'));
        type_keys(&mut app, "2.4");
        app.on_key(Key::Enter);
        assert_eq!(app.on_key(Key::Esc), Effect::Cancel);
        app.on_run(RunMsg::Done(Ok(None)));
        assert!(app.teaching.pending.is_none());
        assert_eq!(app.teaching.score.guesses(), 0);
        assert!(message(&app).contains("not scored"));
        assert!(app.teaching.lesson_step().unwrap().2.results[0].is_none());
    }

    /// The lesson sweep step's sweep, measured: 1.00× at 1 worker and
    /// 1.60× at 2 against one serial baseline of 400 ms.
    fn amdahl_sweep(plan: &crate::sweep::SweepPlan) -> crate::sweep::SweepResult {
        use crate::sweep::test_support::side;
        use crate::sweep::{SweepResult, SweepRow};
        let machine = crate::machine::MachineInfo::synthetic(2, 2);
        let baseline = side(400, 7);
        let rows = [(1, 400), (2, 250)]
            .map(|(w, m)| SweepRow::new(w, &baseline, &side(m, 7), Some(2)))
            .to_vec();
        SweepResult::new(plan, &machine, &baseline, rows)
    }

    #[test]
    fn a_sweep_step_runs_on_the_sweep_engine_and_quotes_the_sweep() {
        let mut app = in_lesson(8);
        app.on_key(Key::Char('n'));
        app.on_key(Key::Char('n'));
        let (_, step, _) = app.teaching.lesson_step().unwrap();
        assert!(step.settings.sweep);
        assert_eq!(app.lab.spec.workload, WorkloadKind::SerialFraction);
        assert_eq!(app.lab.spec.workers, 2, "one per CPU of the test machine");
        app.on_key(Key::Char('r'));
        type_keys(&mut app, "1.5");
        let Effect::StartSweep(plan, _) = app.on_key(Key::Enter) else {
            panic!("a sweep step starts a sweep")
        };
        assert_eq!(plan.workers.0, [1, 2]);
        assert_eq!(plan.work.workload, WorkloadKind::SerialFraction);
        assert_eq!(app.mode, Mode::Sweep, "the sweep view shows it live");
        assert!(app.teaching.lesson_step().unwrap().2.results[2].is_none());
        let sweep = amdahl_sweep(&plan);
        app.on_sweep(crate::app::sweeps::SweepMsg::Done(Ok(Some(Box::new(
            sweep,
        )))));
        let result = app.teaching.lesson_step().unwrap().2.results[2]
            .clone()
            .unwrap();
        assert_eq!(result.points.len(), 2);
        assert_eq!(result.points[1].0, 2);
        assert!((result.points[1].1 - 1.6).abs() < 1e-9);
        assert!(
            result
                .happened
                .contains("The best speedup was 1.60×, with 2 workers"),
            "{}",
            result.happened
        );
        assert!(!result.happened.contains("n/a"), "{}", result.happened);
        let guess = result.guess.unwrap();
        assert_eq!(guess.verdict, Verdict::Close);
        assert!((guess.measured - 1.6).abs() < 1e-9);
        assert!(app.lab.rows.is_empty(), "no chained runs: one sweep");
        assert!(!app.teaching.awaits_sweep());
    }

    #[test]
    fn a_step_that_repeats_its_runs_starts_them_with_its_rounds() {
        let mut app = in_lesson(10);
        assert_eq!(app.lab.spec.workload, WorkloadKind::Memory);
        app.on_key(Key::Char('r'));
        let effect = app.on_key(Key::Enter);
        assert!(
            matches!(effect, Effect::StartRun(_, rounds, _) if rounds.repeat == 3),
            "{effect:?}"
        );
    }

    #[test]
    fn a_cancelled_sweep_step_stops_and_drops_its_guess() {
        let mut app = in_lesson(8);
        app.on_key(Key::Char('n'));
        app.on_key(Key::Char('n'));
        app.on_key(Key::Char('r'));
        type_keys(&mut app, "1.5");
        assert!(matches!(app.on_key(Key::Enter), Effect::StartSweep(..)));
        assert!(app.teaching.awaits_sweep());
        app.on_sweep(crate::app::sweeps::SweepMsg::Done(Ok(None)));
        assert!(!app.teaching.awaits_sweep());
        assert!(app.teaching.pending.is_none());
        assert_eq!(app.teaching.score.guesses(), 0);
        assert!(app.teaching.lesson_step().unwrap().2.results[2].is_none());
        assert_eq!(app.lab.spec.workers, 2, "the step's workers stay");
    }

    #[test]
    fn b_toggles_the_presenter_and_esc_leaves_it_before_quitting() {
        let mut app = seed_finished();
        app.on_key(Key::Char('b'));
        assert!(app.mode == Mode::Presenter);
        app.on_key(Key::Char('b'));
        assert!(app.mode != Mode::Presenter);
        app.on_key(Key::Char('b'));
        assert_eq!(app.on_key(Key::Esc), Effect::None);
        assert!(app.mode != Mode::Presenter);
        let mut running = app;
        running.on_key(Key::Char('r'));
        running.on_key(Key::Char('b'));
        assert!(running.mode == Mode::Presenter, "b works during a run");
        assert_eq!(running.on_key(Key::Esc), Effect::Cancel);
    }

    #[test]
    fn e_asks_for_the_report_and_the_screen_says_where_it_went() {
        let mut app = seed_finished();
        assert!(matches!(app.on_key(Key::Char('e')), Effect::WriteReport(_)));
        app.update(Msg::ReportWritten(Ok("/tmp/parlab-report-x.md".into())));
        assert_eq!(
            message(&app),
            "report written: /tmp/parlab-report-x.md (1 run, 0 guesses)"
        );
        app.update(Msg::ReportWritten(Err(
            "cannot write the report in /ro: denied".into(),
        )));
        assert_eq!(
            message(&app),
            "no report: cannot write the report in /ro: denied"
        );
    }

    #[test]
    fn the_report_covers_every_run_and_guess_even_after_the_table_is_cleared() {
        let mut app = in_lesson(0);
        app.on_key(Key::Char('n'));
        app.on_key(Key::Char('r'));
        type_keys(&mut app, "300");
        app.on_key(Key::Enter);
        finish(&mut app, 2400, 301);
        app.on_key(Key::Esc);
        app.on_key(Key::Char('r'));
        finish(&mut app, 2410, 302);
        app.on_key(Key::Char('c'));
        assert!(app.lab.rows.is_empty());
        let Effect::WriteReport(request) = app.on_key(Key::Char('e')) else {
            panic!("e asks for the report");
        };
        let session = session::Session {
            machine: &request.machine,
            runs: &request.runs,
            sweeps: &[],
            predictions: &request.predictions,
        };
        assert_eq!((session.runs.len(), session.predictions.len()), (2, 1));
        let dir = std::env::temp_dir().join(format!("parlab-teach-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_790_000_000);
        let path = session::write(&dir, &session, at).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            path.ends_with("parlab-report-2026-09-21_14-13-20.md"),
            "{path:?}"
        );
        for needle in [
            "| 1 | sleep | 24 × 100 ms | 8 | steal | 2.40 s | 301 ms |",
            "| 2 | sleep | 24 × 100 ms | 8 | steal | 2.41 s | 302 ms |",
            "| 1 | 1. The classic demo › Eight workers | parallel time | 300 ms | 301 ms | close |",
            "1 of 1 guesses close",
        ] {
            assert!(text.contains(needle), "{needle}\n{text}");
        }
        let missing = dir.join("gone");
        let err = session::write(&missing, &session, at).unwrap_err();
        assert!(err.to_string().starts_with("cannot write the report in"));
    }
}
