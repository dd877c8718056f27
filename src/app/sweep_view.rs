//! The sweep view's state: the worker counts being measured for the
//! current settings, the rows as they arrive, the run in progress and how
//! the sweep ended; plus the finished sweeps of the session.
//!
//! Like the rest of [`crate::app`], nothing here draws, reads a clock or
//! touches a file: the event loop starts the sweep thread when a key asks
//! for [`Effect::StartSweep`], feeds its [`SweepMsg`]s in, and writes the
//! files for [`Effect::SaveSweep`], reporting back through
//! [`App::on_sweep_saved`].

use super::{App, Effect, View};
use crate::board::TaskBoard;
use crate::measure::Rounds;
use crate::output::session::SweepSection;
use crate::output::sweep::{sweep_markdown, sweep_title};
use crate::output::sweep_files::SweepFiles;
use crate::runner::RunEvent;
use crate::stats::Summary;
use crate::sweep::{
    SweepEvent, SweepFit, SweepPlan, SweepResult, SweepRow, SweepStage, analyse,
    default_worker_counts,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod keys;

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
#[derive(Clone, Debug)]
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
    /// Every row is measured; the report is `app.sweeps()[index]`.
    Done {
        /// Where the report is kept.
        index: usize,
    },
    /// Stopped with Esc; the rows measured before stay.
    Cancelled,
    /// The sweep could not be measured (for example, no thread started).
    Failed(String),
}

/// The sweep on screen.
#[derive(Clone)]
pub struct SweepView {
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
    /// CPUs that can compute at once: what the fit bounds the ideal by.
    lanes: usize,
}

impl SweepView {
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
            lanes,
        }
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

impl App {
    /// Whether a sweep is being measured.
    pub fn is_sweeping(&self) -> bool {
        self.sweep.as_ref().is_some_and(SweepView::is_running)
    }

    /// The sweeps measured in full this session, oldest first: for the
    /// session report.
    pub fn sweeps(&self) -> &[FinishedSweep] {
        &self.sweeps
    }

    /// The finished sweeps as sections of the session report: title, table
    /// and, once `e` saved it, the chart's file name (it lies beside the
    /// report, in the current folder).
    pub fn sweep_sections(&self) -> Vec<SweepSection> {
        self.sweeps
            .iter()
            .map(|done| SweepSection {
                title: sweep_title(&done.report),
                table: sweep_markdown(&done.report),
                chart: done
                    .files
                    .as_ref()
                    .and_then(|f| f.svg.file_name())
                    .map(|name| name.to_string_lossy().into_owned()),
            })
            .collect()
    }

    /// The plan of the sweep being measured: what the sweep thread runs
    /// when a key returned [`Effect::StartSweep`].
    pub fn sweep_plan(&self) -> Option<&SweepPlan> {
        self.sweep
            .as_ref()
            .filter(|s| s.is_running())
            .map(|s| &s.plan)
    }

    /// Opens the sweep view for the current settings over the default
    /// worker counts, if they pass the same checks as `parlab sweep`.
    pub(super) fn open_sweep(&mut self) -> Effect {
        let plan = SweepPlan {
            workload: self.spec.workload,
            tasks: self.spec.tasks,
            task_ms: self.spec.task_ms,
            serial_fraction: self.spec.serial_fraction,
            workers: default_worker_counts(&self.machine),
            rounds: Rounds::ONCE,
            schedule: self.spec.schedule,
        };
        let checked = plan.validate().map_err(|e| e.to_string()).and_then(|()| {
            crate::config::check_plan(plan.estimate(self.machine.logical_cpus))
                .map_err(|e| e.to_string())
        });
        if let Err(why) = checked {
            self.message = Some(format!("refused: {why}"));
            return Effect::None;
        }
        self.sweep = Some(SweepView::new(plan, self.machine.compute_lanes()));
        self.view = View::Sweep { help: false };
        Effect::StartSweep
    }

    /// A message from the sweep thread.
    pub fn on_sweep(&mut self, msg: SweepMsg) {
        let Some(view) = self.sweep.as_mut() else {
            return;
        };
        let done = match msg {
            SweepMsg::Event(event) => return view.on_event(event),
            SweepMsg::Done(done) => done,
        };
        if view.cancelling {
            view.cancelling = false;
            if self.message.as_deref() == Some(super::commands::CANCELLING) {
                self.message = None;
            }
        }
        view.status = match done {
            Ok(Some(report)) => {
                view.rows.clone_from(&report.rows);
                view.fit = Some(report.fit.clone());
                view.live = None;
                self.sweeps.push(FinishedSweep {
                    report: *report,
                    files: None,
                });
                SweepStatus::Done {
                    index: self.sweeps.len() - 1,
                }
            }
            Ok(None) => SweepStatus::Cancelled,
            Err(why) => {
                self.message = Some(format!("the sweep failed: {why}"));
                SweepStatus::Failed(why)
            }
        };
    }

    /// What came of writing sweep `index`'s files: where they went, or the
    /// one-line reason they could not be written.
    pub fn on_sweep_saved(&mut self, index: usize, saved: Result<SweepFiles, String>) {
        match saved {
            Ok(files) => {
                self.message = Some(saved_note(&files));
                if let Some(sweep) = self.sweeps.get_mut(index) {
                    sweep.files = Some(files);
                }
            }
            Err(why) => self.message = Some(why),
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
