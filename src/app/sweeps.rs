//! The sweeps of the live lab: the one on screen (the worker counts being
//! measured for the current settings, the rows as they arrive, the run in
//! progress and how it ended) and the finished sweeps of the session.
//!
//! Like the rest of [`crate::app`], nothing here draws, reads a clock or
//! touches a file: the event loop starts the sweep thread for
//! [`super::Effect::StartSweep`] with the plan it carries, feeds its
//! [`SweepMsg`]s in, writes the files for [`super::Effect::SaveSweep`] and
//! answers with [`super::Msg::SweepSaved`].

use super::keys::Key;
use crate::board::TaskBoard;
use crate::config::{Work, check_plan};
use crate::machine::MachineInfo;
use crate::measure::Rounds;
use crate::output::sweep_files::SweepFiles;
use crate::runner::RunEvent;
use crate::stats::Summary;
use crate::sweep::{
    Scaling, SweepEvent, SweepFit, SweepPlan, SweepResult, SweepRow, SweepStage, WeakFit,
    WorkerCounts, analyse, base_time, default_worker_counts, parse_worker_list,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the sweep thread sends to the UI thread.
#[derive(Clone)]
pub enum SweepMsg {
    /// Progress: a run started or ended, the baseline or a row is measured.
    Event(SweepEvent),
    /// The sweep is over: its report, `None` when cancelled, or why it
    /// failed.
    Done(Result<Option<Box<SweepResult>>, String>),
}

/// A sweep measured in full this session, and where it was saved.
#[derive(Clone, Debug, PartialEq)]
pub struct FinishedSweep {
    /// Every row, the fit and the machine.
    pub report: SweepResult,
    /// The chart and table files, once `e` wrote them.
    pub files: Option<SweepFiles>,
}

/// The run the sweep thread is measuring now (or measured last).
#[derive(Clone)]
pub struct LiveMeasurement {
    /// The baseline or which worker count.
    pub stage: SweepStage,
    /// Repetition number, warm-ups included (0-based).
    pub round: usize,
    /// Whether this round's time is discarded.
    pub warmup: bool,
    /// Where its tasks record themselves, read when a frame is drawn.
    pub board: Arc<TaskBoard>,
    /// The instant its times count from.
    pub origin: Instant,
    /// Its wall time, once it has ended.
    pub wall: Option<Duration>,
}

impl LiveMeasurement {
    /// Time since the run started, frozen once it ended.
    pub fn elapsed(&self, now: Instant) -> Duration {
        self.wall
            .unwrap_or_else(|| now.saturating_duration_since(self.origin))
    }

    /// Tasks that have ended so far.
    pub fn finished_tasks(&self) -> usize {
        self.board.spans().filter(|s| s.end.is_some()).count()
    }
}

/// How far the sweep on screen has come.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepStatus {
    /// Its thread is measuring.
    Running,
    /// Every row is measured; the report is `Sweeps::finished[index]`.
    Done {
        /// Where the report is kept.
        index: usize,
    },
    /// Stopped with Esc; the rows measured before stay.
    Cancelled,
    /// The sweep could not be measured (for example, no thread started).
    Failed(String),
}

/// A key while worker counts are typed in the sweep view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkerTyping {
    /// The text changed, or was dropped.
    Editing,
    /// Enter: the counts parsed and are chosen; the sweep starts again.
    Chosen,
    /// Enter: the counts do not parse; the note says why.
    Refused(String),
}

/// What the lab's sweep measures besides the settings: strong or weak
/// scaling, and the worker counts (the default list when `None`). Chosen
/// in the sweep view (`w`, digits) and kept for the next `s`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepChoice {
    /// Strong (fixed problem) or weak (tasks per worker).
    pub scaling: Scaling,
    /// The worker counts typed in the sweep view.
    pub workers: Option<WorkerCounts>,
}

/// The sweep on screen.
#[derive(Clone)]
pub struct LiveSweep {
    /// What is measured: the settings at `s` over the default worker counts.
    pub plan: SweepPlan,
    /// How far it has come.
    pub status: SweepStatus,
    /// Whether Esc asked it to stop and the thread has not answered yet.
    pub cancelling: bool,
    /// The serial baseline, once measured.
    pub baseline: Option<Summary>,
    /// The measured rows, in sweep order.
    pub rows: Vec<SweepRow>,
    /// The Amdahl fit, knee and model over the rows, once a row has more
    /// than one worker.
    pub fit: Option<SweepFit>,
    /// The run in progress, for the progress line.
    pub live: Option<LiveMeasurement>,
    /// A worker list being typed (digits, `,` and `..`) until Enter
    /// measures it or Esc drops it.
    pub typing: Option<String>,
    /// CPUs that can compute at once: what the fit bounds the ideal by.
    lanes: usize,
}

impl LiveSweep {
    /// A sweep of `plan` about to start on a machine with `lanes` usable
    /// CPUs.
    pub fn new(plan: SweepPlan, lanes: usize) -> Self {
        Self {
            plan,
            status: SweepStatus::Running,
            cancelling: false,
            baseline: None,
            rows: Vec::new(),
            fit: None,
            live: None,
            typing: None,
            lanes,
        }
    }

    /// For a weak sweep, where its time stopped being flat so far.
    pub fn weak_fit(&self) -> Option<WeakFit> {
        let first = self.rows.first()?;
        let base = base_time(first, self.baseline.as_ref()?.median);
        (self.plan.scaling == Scaling::Weak).then(|| {
            let computes = self.plan.work.workload.uses_cores();
            WeakFit::of(&self.rows, base, self.lanes, computes)
        })
    }

    /// Whether its thread is still measuring.
    pub fn is_running(&self) -> bool {
        self.status == SweepStatus::Running
    }

    /// Takes one step of progress into account.
    pub fn on_event(&mut self, event: SweepEvent) {
        match event {
            SweepEvent::Run {
                stage,
                event:
                    RunEvent::Started {
                        round,
                        warmup,
                        board,
                        origin,
                        ..
                    },
            } => {
                self.live = Some(LiveMeasurement {
                    stage,
                    round,
                    warmup,
                    board,
                    origin,
                    wall: None,
                });
            }
            SweepEvent::Run {
                event: RunEvent::Finished { timing, .. },
                ..
            } => {
                if let Some(live) = self.live.as_mut() {
                    live.wall = Some(timing.wall);
                }
            }
            SweepEvent::Run {
                event: RunEvent::PoolBuilt { .. },
                ..
            } => {}
            SweepEvent::Baseline(summary) => self.baseline = Some(summary),
            SweepEvent::Row(row) => {
                self.rows.push(*row);
                self.fit = self
                    .rows
                    .iter()
                    .any(|r| r.workers > 1)
                    .then(|| analyse(self.plan.work.workload, &self.rows, self.lanes));
            }
        }
    }
}

/// The sweep on screen and the finished sweeps of the session.
#[derive(Clone, Default)]
pub struct Sweeps {
    /// The sweep view's state while it is open.
    pub current: Option<LiveSweep>,
    /// The sweeps measured in full this session, oldest first: for the
    /// session report.
    pub finished: Vec<FinishedSweep>,
    /// Strong or weak, and the worker counts, for the next sweep.
    pub choice: SweepChoice,
}

impl Sweeps {
    /// Whether a sweep is being measured.
    pub fn is_running(&self) -> bool {
        self.current.as_ref().is_some_and(LiveSweep::is_running)
    }

    /// Opens a sweep of `spec` the way [`Self::choice`] says (the default
    /// worker counts of `machine` unless others were typed), if it passes the same checks as `parlab sweep`: the plan
    /// to measure, or the refusal.
    pub fn open(&mut self, spec: &Work, machine: &MachineInfo) -> Result<SweepPlan, String> {
        let workers = self
            .choice
            .workers
            .clone()
            .unwrap_or_else(|| default_worker_counts(machine));
        let plan = SweepPlan::new(*spec, workers, self.choice.scaling, Rounds::ONCE);
        self.open_plan(plan, machine)
    }

    /// Opens the sweep of `plan` (a lesson's sweep step), if it passes
    /// the same checks as `parlab sweep`.
    pub fn open_plan(
        &mut self,
        plan: SweepPlan,
        machine: &MachineInfo,
    ) -> Result<SweepPlan, String> {
        plan.validate()
            .map_err(|e| e.to_string())
            .and_then(|()| {
                check_plan(plan.estimate(machine.logical_cpus)).map_err(|e| e.to_string())
            })
            .map_err(|why| format!("refused: {why}"))?;
        self.current = Some(LiveSweep::new(plan.clone(), machine.compute_lanes()));
        Ok(plan)
    }

    /// `w` in the sweep view: strong scaling becomes weak and back, for
    /// work of `tasks` per worker; the note says what the sweep now keeps
    /// fixed.
    pub fn toggle_scaling(&mut self, tasks: usize) -> String {
        self.choice.scaling = match self.choice.scaling {
            Scaling::Strong => Scaling::Weak,
            Scaling::Weak => Scaling::Strong,
        };
        match self.choice.scaling {
            Scaling::Weak => {
                format!("weak scaling: {tasks} tasks per worker, so the ideal time stays flat")
            }
            Scaling::Strong => "strong scaling: the same tasks at every worker count".into(),
        }
    }

    /// A key while a worker list is typed in the sweep view: digits, `,`
    /// and `.` add to it, Backspace takes back, Enter chooses it (if it
    /// parses as on the command line), Esc drops it. `None` when nothing
    /// is being typed.
    pub fn on_worker_typing(&mut self, key: Key) -> Option<WorkerTyping> {
        let text = self.current.as_mut()?.typing.as_mut()?;
        match key {
            Key::Char(c) if (c.is_ascii_digit() || c == ',' || c == '.') && text.len() < 40 => {
                text.push(c);
            }
            Key::Backspace => {
                text.pop();
            }
            Key::Esc => self.current.as_mut()?.typing = None,
            Key::Enter => {
                let typed = self.current.as_mut()?.typing.take()?;
                return Some(match parse_worker_list(&typed) {
                    Ok(counts) => {
                        self.choice.workers = Some(counts);
                        WorkerTyping::Chosen
                    }
                    Err(why) => WorkerTyping::Refused(format!("refused: {why}")),
                });
            }
            _ => {}
        }
        Some(WorkerTyping::Editing)
    }

    /// Leaves the sweep view.
    pub fn close(&mut self) {
        self.current = None;
    }

    /// Asks the running sweep to stop; `false` when none is going.
    pub fn cancel(&mut self) -> bool {
        match self.current.as_mut() {
            Some(sweep) if sweep.is_running() => {
                sweep.cancelling = true;
                true
            }
            _ => false,
        }
    }

    /// A message from the sweep thread, and what it does to the message
    /// line.
    pub fn update(&mut self, msg: SweepMsg) -> Note {
        let Some(view) = self.current.as_mut() else {
            return Note::Keep;
        };
        let done = match msg {
            SweepMsg::Event(event) => {
                view.on_event(event);
                return Note::Keep;
            }
            SweepMsg::Done(done) => done,
        };
        let mut note = Note::Keep;
        if view.cancelling {
            note = Note::CancelDone;
            view.cancelling = false;
        }
        view.status = match done {
            Ok(Some(report)) => {
                view.rows.clone_from(&report.rows);
                view.fit = Some(report.fit.clone());
                view.live = None;
                self.finished.push(FinishedSweep {
                    report: *report,
                    files: None,
                });
                SweepStatus::Done {
                    index: self.finished.len() - 1,
                }
            }
            Ok(None) => SweepStatus::Cancelled,
            Err(why) => {
                note = Note::Show(format!("the sweep failed: {why}"));
                SweepStatus::Failed(why)
            }
        };
        note
    }

    /// The finished sweep on screen, to be saved: its index and report.
    pub fn on_screen(&self) -> Option<(usize, &SweepResult)> {
        match self.current.as_ref().map(|s| &s.status) {
            Some(SweepStatus::Done { index }) => {
                self.finished.get(*index).map(|f| (*index, &f.report))
            }
            _ => None,
        }
    }

    /// What came of writing sweep `index`'s files: the note that says where
    /// they went, or the one-line reason they could not be written.
    pub fn saved(&mut self, index: usize, saved: Result<SweepFiles, String>) -> String {
        match saved {
            Ok(files) => {
                let note = saved_note(&files);
                if let Some(sweep) = self.finished.get_mut(index) {
                    sweep.files = Some(files);
                }
                note
            }
            Err(why) => why,
        }
    }
}

/// `saved parlab-sweep-cpu-….svg and .md in /home/me`: the two files
/// share their name up to the extension.
fn saved_note(files: &SweepFiles) -> String {
    let name = files.svg.file_name().map_or_else(
        || files.svg.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    let folder = files
        .svg
        .parent()
        .map_or_else(String::new, |dir| format!(" in {}", dir.display()));
    format!("saved {name} and .md{folder}")
}

/// What a sweep's message asks of the message line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// Leave it as it is.
    Keep,
    /// The cancel asked for has arrived: the "cancelling…" note goes,
    /// and only it.
    CancelDone,
    /// Show this.
    Show(String),
}

#[cfg(test)]
pub mod test_support;

#[cfg(test)]
mod tests {
    //! The sweep view's state, driven by made-up keys and sweep events: no
    //! terminal, no thread, no clock.

    use super::test_support::{parallel, sweep_at, sweep_done, sweep_opened};
    use super::*;
    use crate::app::keys::{self, Binding, Key, Lookup, SWEEP_KEYS};
    use crate::app::test_support::{app, serial_running};
    use crate::app::{App, Effect, Mode, Msg, Screen};
    use crate::sweep::ScalingModel;
    use crate::sweep::test_support::cpu_report;
    use crate::workload::WorkloadKind;
    use std::path::PathBuf;

    fn message(app: &App) -> String {
        app.message.clone().unwrap_or_default()
    }

    #[test]
    fn s_opens_the_view_for_the_current_settings_over_the_default_counts() {
        let app = sweep_opened();
        assert_eq!(app.mode, Mode::Sweep);
        assert!(app.is_sweeping());
        assert!(!app.is_running(), "the lab's own run is not involved");
        let plan = &app.sweeps.current.as_ref().unwrap().plan;
        assert_eq!(plan.work.workload, WorkloadKind::Cpu);
        assert_eq!((plan.work.tasks, plan.work.task_ms), (16, 20.0));
        assert_eq!(plan.workers.0, [1, 2, 4, 8]);
        assert_eq!(plan.rounds, Rounds::ONCE);
        assert!(app.sweeps.finished.is_empty());
    }

    #[test]
    fn settings_a_sweep_cannot_take_are_refused_in_place() {
        let mut app = app();
        app.lab.spec.task_ms = 0.0;
        assert_eq!(app.on_key(Key::Char('s')), Effect::None);
        assert_eq!(app.mode, Mode::Main);
        assert!(app.sweeps.current.is_none());
        assert!(message(&app).starts_with("refused: "), "{}", message(&app));
    }

    #[test]
    fn s_waits_while_the_lab_runs() {
        let mut app = serial_running(3);
        assert_eq!(app.on_key(Key::Char('s')), Effect::None);
        assert_eq!(app.mode, Mode::Main);
        assert!(message(&app).contains("s (sweep) waits until the run ends"));
    }

    #[test]
    fn rows_arrive_one_by_one_and_the_fit_follows_them() {
        let app = sweep_at(1, true);
        let view = app.sweeps.current.as_ref().unwrap();
        assert_eq!(
            view.baseline.as_ref().unwrap().median,
            cpu_report().serial.median
        );
        assert_eq!(view.rows.len(), 1);
        assert!(
            view.fit.is_none(),
            "one worker alone says nothing about scaling"
        );
        let live = view.live.as_ref().unwrap();
        assert_eq!(live.stage, parallel(1));
        assert_eq!(live.finished_tasks(), 7);
        assert_eq!(live.elapsed(app.now), Duration::from_millis(120));
        let app = sweep_at(3, false);
        let view = app.sweeps.current.as_ref().unwrap();
        assert_eq!(view.rows.len(), 3);
        let fit = view.fit.as_ref().unwrap();
        assert_eq!(
            fit.model,
            ScalingModel::Waves,
            "within the CPUs, waves and cores agree"
        );
        assert_eq!(fit.max_workers, 4);
        assert_eq!(
            view.live.as_ref().unwrap().wall,
            Some(Duration::from_millis(100))
        );
        assert!(app.is_sweeping());
    }

    #[test]
    fn a_finished_sweep_is_kept_for_the_session() {
        let app = sweep_done();
        let view = app.sweeps.current.as_ref().unwrap();
        assert_eq!(view.status, SweepStatus::Done { index: 0 });
        assert!(!app.is_sweeping());
        assert!(!app.sweeps.is_running(), "nothing left to measure");
        assert_eq!(view.fit.as_ref(), Some(&cpu_report().fit));
        assert_eq!(cpu_report().fit.model, ScalingModel::Cores, "past the CPUs");
        assert_eq!(app.sweeps.finished.len(), 1);
        assert_eq!(app.sweeps.finished[0].report, cpu_report());
        assert!(app.sweeps.finished[0].files.is_none());
    }

    #[test]
    fn keys_that_would_disturb_the_sweep_are_refused_while_it_runs() {
        let mut app = sweep_at(2, true);
        let spec = app.lab.spec;
        for (key, says) in [
            (
                Key::Char('e'),
                "e (export) waits until the sweep ends: Esc cancels it",
            ),
            (Key::Char('s'), "s (again) waits until the sweep ends"),
            (
                Key::Char('r'),
                "'r' does nothing here: Esc cancels the sweep",
            ),
            (Key::Right, "Right does nothing here"),
            (Key::Char('5'), "0-9 (workers) waits until the sweep ends"),
            (Key::Char('w'), "w (weak) waits until the sweep ends"),
        ] {
            assert_eq!(app.on_key(key), Effect::None, "{key:?}");
            assert!(
                message(&app).starts_with(says),
                "{key:?}: {}",
                message(&app)
            );
        }
        assert_eq!(app.lab.spec, spec);
        assert!(app.is_sweeping());
        assert_eq!(app.on_key(Key::Char('t')), Effect::None);
        assert_eq!(app.theme, crate::theme::ThemeName::Light);
        assert_eq!(app.on_key(Key::Char('q')), Effect::Quit);
        assert_eq!(app.on_key(Key::Ctrl('c')), Effect::Quit);
    }

    #[test]
    fn esc_cancels_a_running_sweep_then_leaves_the_view() {
        let mut app = sweep_at(2, true);
        assert_eq!(app.on_key(Key::Esc), Effect::Cancel);
        assert!(app.sweeps.current.as_ref().unwrap().cancelling);
        assert_eq!(message(&app), "cancelling…");
        app.on_sweep(SweepMsg::Done(Ok(None)));
        let view = app.sweeps.current.as_ref().unwrap();
        assert_eq!(view.status, SweepStatus::Cancelled);
        assert!(!view.cancelling);
        assert_eq!(view.rows.len(), 2, "the measured rows stay");
        assert!(app.message.is_none());
        assert!(!app.is_sweeping());
        assert!(
            app.sweeps.finished.is_empty(),
            "a cancelled sweep is no result"
        );
        assert_eq!(app.on_key(Key::Char('e')), Effect::None);
        assert!(message(&app).starts_with("nothing to export"));
        assert_eq!(app.on_key(Key::Esc), Effect::None);
        assert_eq!(app.mode, Mode::Main);
        assert!(app.sweeps.current.is_none());
    }

    #[test]
    fn esc_on_a_finished_sweep_goes_back_and_s_measures_again() {
        let mut app = sweep_done();
        assert!(matches!(app.on_key(Key::Char('s')), Effect::StartSweep(..)));
        assert!(app.is_sweeping());
        assert!(app.sweeps.current.as_ref().unwrap().rows.is_empty());
        assert_eq!(
            app.sweeps.finished.len(),
            1,
            "the first sweep stays in the session"
        );
        let mut app = sweep_done();
        assert_eq!(app.on_key(Key::Esc), Effect::None);
        assert_eq!(app.mode, Mode::Main);
        assert_eq!(app.sweeps.finished.len(), 1);
    }

    #[test]
    fn e_asks_for_the_files_and_the_answer_says_where_they_went() {
        let mut app = sweep_done();
        assert_eq!(
            app.on_key(Key::Char('e')),
            Effect::SaveSweep {
                index: 0,
                report: Box::new(cpu_report())
            }
        );
        let files = SweepFiles {
            svg: PathBuf::from("/home/t/parlab-sweep-cpu-2026-11-25_06-23-25.svg"),
            markdown: PathBuf::from("/home/t/parlab-sweep-cpu-2026-11-25_06-23-25.md"),
        };
        app.update(Msg::SweepSaved {
            index: 0,
            saved: Ok(files.clone()),
        });
        assert_eq!(
            message(&app),
            "saved parlab-sweep-cpu-2026-11-25_06-23-25.svg and .md in /home/t"
        );
        assert_eq!(app.sweeps.finished[0].files.as_ref(), Some(&files));
        app.on_key(Key::Esc);
        let Effect::WriteReport(request) = app.on_key(Key::Char('e')) else {
            panic!("e in the lab asks for the report");
        };
        let sections = request.sweep_sections();
        assert_eq!(sections.len(), 1);
        assert!(sections[0].title.contains("cpu"), "{}", sections[0].title);
        assert!(sections[0].table.contains("| workers |"));
        assert_eq!(
            sections[0].chart.as_deref(),
            Some("parlab-sweep-cpu-2026-11-25_06-23-25.svg"),
            "the report links the chart beside it"
        );
        app.update(Msg::SweepSaved {
            index: 0,
            saved: Err("cannot save the sweep in /ro: denied".to_string()),
        });
        assert_eq!(message(&app), "cannot save the sweep in /ro: denied");
        assert_eq!(app.sweeps.finished[0].files.as_ref(), Some(&files));
    }

    #[test]
    fn a_sweep_that_cannot_run_says_why() {
        let mut app = sweep_opened();
        app.on_sweep(SweepMsg::Done(Err(
            "cannot start the sweep thread: no".into()
        )));
        let view = app.sweeps.current.as_ref().unwrap();
        assert!(matches!(view.status, SweepStatus::Failed(_)));
        assert!(!app.is_sweeping());
        assert_eq!(
            message(&app),
            "the sweep failed: cannot start the sweep thread: no"
        );
    }

    #[test]
    fn the_help_opens_on_question_mark_and_any_key_closes_it() {
        let mut app = sweep_at(1, true);
        assert_eq!(app.on_key(Key::Char('?')), Effect::None);
        assert_eq!(
            app.mode,
            Mode::Help {
                under: Screen::Sweep
            }
        );
        assert_eq!(
            app.on_key(Key::Esc),
            Effect::None,
            "Esc only closes the help"
        );
        assert_eq!(app.mode, Mode::Sweep);
        assert!(app.is_sweeping());
        app.on_key(Key::Char('?'));
        assert_eq!(app.on_key(Key::Char('q')), Effect::Quit);
    }

    #[test]
    fn every_sweep_key_is_documented_and_does_something() {
        let bar = |running| keys::bar_of(&SWEEP_KEYS, running);
        assert!(bar(true).contains(&("Esc", "cancel")));
        assert!(!bar(true).iter().any(|(key, _)| *key == "e"));
        assert_eq!(bar(false)[..2], [("Esc", "back"), ("e", "export")]);
        for binding in &SWEEP_KEYS {
            let binding: &Binding = binding;
            assert!(!binding.about.is_empty());
            for key in binding.keys {
                assert!(
                    [true, false]
                        .iter()
                        .any(|r| matches!(keys::lookup_in(&SWEEP_KEYS, *key, *r), Lookup::Do(_))),
                    "{key:?}"
                );
            }
        }
        assert_eq!(keys::help_of(&SWEEP_KEYS).len(), SWEEP_KEYS.len());
    }

    #[test]
    fn messages_for_a_sweep_that_was_left_are_ignored() {
        let mut app = sweep_done();
        app.on_key(Key::Esc);
        app.on_sweep(SweepMsg::Done(Ok(None)));
        assert!(app.sweeps.current.is_none());
        assert_eq!(app.mode, Mode::Main);
    }

    #[test]
    fn w_switches_to_weak_scaling_and_typed_counts_are_measured_and_kept() {
        let started = |effect: Effect| match effect {
            Effect::StartSweep(plan, _) => plan,
            other => panic!("{other:?}"),
        };
        let mut app = sweep_done();
        let plan = started(app.on_key(Key::Char('w')));
        assert_eq!(plan.scaling, crate::sweep::Scaling::Weak);
        assert_eq!(plan.spec(4).tasks, 4 * plan.work.tasks, "tasks per worker");
        assert!(
            message(&app).contains("tasks per worker"),
            "{}",
            message(&app)
        );
        let mut app = sweep_done();
        for key in [
            Key::Char('1'),
            Key::Char(','),
            Key::Char('3'),
            Key::Backspace,
        ] {
            assert_eq!(app.on_key(key), Effect::None);
        }
        let typing = |app: &App| app.sweeps.current.as_ref().unwrap().typing.clone();
        assert_eq!(typing(&app).as_deref(), Some("1,"));
        for key in [
            Key::Char('2'),
            Key::Char('.'),
            Key::Char('.'),
            Key::Char('3'),
        ] {
            app.on_key(key);
        }
        let plan = started(app.on_key(Key::Enter));
        assert_eq!(plan.workers.0, [1, 2, 3]);
        assert_eq!(
            app.sweeps.choice.workers,
            Some(crate::sweep::WorkerCounts(vec![1, 2, 3]))
        );
        let mut refused = sweep_done();
        for key in [Key::Char('0'), Key::Enter] {
            refused.on_key(key);
        }
        assert!(
            message(&refused).starts_with("refused: "),
            "{}",
            message(&refused)
        );
        assert!(!refused.is_sweeping());
        let mut dropped = sweep_done();
        dropped.on_key(Key::Char('4'));
        dropped.on_key(Key::Esc);
        assert!(typing(&dropped).is_none());
        assert_eq!(dropped.mode, Mode::Sweep, "Esc drops the typing only");
    }
}
