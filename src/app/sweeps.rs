//! The sweeps of the live lab: the one on screen (the worker counts being
//! measured for the current settings, the rows as they arrive, the run in
//! progress and how it ended) and the finished sweeps of the session.
//!
//! Like the rest of [`crate::app`], nothing here draws, reads a clock or
//! touches a file: the event loop starts the sweep thread for
//! [`super::Effect::StartSweep`] with the plan it carries, feeds its
//! [`SweepMsg`]s in, writes the files for [`super::Effect::SaveSweep`] and
//! answers with [`super::Msg::SweepSaved`].

use super::Note;
use crate::board::TaskBoard;
use crate::config::RunSpec;
use crate::machine::MachineInfo;
use crate::measure::Rounds;
use crate::output::sweep_files::SweepFiles;
use crate::runner::RunEvent;
use crate::stats::Summary;
use crate::sweep::{
    Scaling, SweepEvent, SweepFit, SweepPlan, SweepResult, SweepRow, SweepStage, WeakFit,
    WorkerCounts, analyse, base_time, default_worker_counts,
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
            let computes = self.plan.workload.uses_cores();
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
                self.rows.push(row);
                self.fit = self
                    .rows
                    .iter()
                    .any(|r| r.workers > 1)
                    .then(|| analyse(self.plan.workload, &self.rows, self.lanes));
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
    pub fn open(&mut self, spec: &RunSpec, machine: &MachineInfo) -> Result<SweepPlan, String> {
        let plan = SweepPlan {
            workload: spec.workload,
            tasks: spec.tasks,
            task_ms: spec.task_ms,
            serial_fraction: spec.serial_fraction,
            scaling: self.choice.scaling,
            workers: self
                .choice
                .workers
                .clone()
                .unwrap_or_else(|| default_worker_counts(machine)),
            rounds: Rounds::ONCE,
            schedule: spec.schedule,
        };
        plan.validate().map_err(|why| format!("refused: {why}"))?;
        self.current = Some(LiveSweep::new(plan.clone(), machine.compute_lanes()));
        Ok(plan)
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

#[cfg(test)]
pub mod test_support;

#[cfg(test)]
mod tests;
