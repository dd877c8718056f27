//! What the lab knows about the current (or last) run and the runs of this
//! session: the task boards the lanes are drawn from, and the table rows.
//!
//! Events from the run thread only swap boards in and out and stamp the
//! end of each side; the tasks themselves are read off the lock-free boards
//! when a frame is drawn.

use super::occupancy::Occupancy;
use crate::board::TaskBoard;
use crate::config::Work;
use crate::measure::RunResult;
use crate::runner::{RunEvent, Side};
use crate::template::Facts;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the run thread sends to the UI thread.
#[derive(Clone)]
pub enum RunMsg {
    /// A side started or finished.
    Event(RunEvent),
    /// The run is over: a report, `None` when cancelled, or why it failed.
    Done(Result<Option<Box<RunResult>>, String>),
}

/// One side of a run as the lanes see it.
#[derive(Clone)]
pub struct SideView {
    /// Where its tasks record themselves.
    pub board: Arc<TaskBoard>,
    /// The instant the board's times count from.
    pub origin: Instant,
    /// Its measured wall time, once it has ended.
    pub wall: Option<Duration>,
    /// Its tasks binned over time, once it has ended.
    pub occupancy: Option<Occupancy>,
}

impl SideView {
    /// Time since the side started, frozen at its wall time once it ended.
    pub fn elapsed(&self, now: Instant) -> Duration {
        self.wall
            .unwrap_or_else(|| now.saturating_duration_since(self.origin))
    }

    /// Whether the side is still running.
    pub fn is_running(&self) -> bool {
        self.wall.is_none()
    }

    /// Tasks that have ended so far.
    pub fn finished_tasks(&self) -> usize {
        self.board.spans().filter(|s| s.end.is_some()).count()
    }
}

/// Which part of a run is going.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Sizing the work, before any clock starts.
    Preparing,
    /// The serial side runs.
    Serial,
    /// The parallel side runs (or its pool is being built).
    Parallel,
    /// Over: finished, cancelled or failed.
    Finished,
}

/// The run whose lanes are on screen.
#[derive(Clone)]
pub struct LiveRun {
    /// Its settings.
    pub spec: Work,
    /// The serial side, once started.
    pub serial: Option<SideView>,
    /// The parallel side, once started.
    pub parallel: Option<SideView>,
    /// Whether the run thread has reported the end.
    pub finished: bool,
    /// Whether the user asked to cancel it.
    pub cancelling: bool,
    /// Tasks that can progress at once in the ideal model: the workers, or
    /// the CPUs if fewer and the tasks compute.
    pub ideal_lanes: usize,
    /// CPUs that bound the ideal for tasks that compute (`None` for tasks
    /// that wait), as the report counts them.
    cpus: Option<usize>,
    /// The ideal waves, worked out once when the serial side ends.
    waves: Option<Waves>,
}

impl LiveRun {
    /// A run about to start on a machine with `cpus` usable CPUs.
    pub fn new(spec: Work, cpus: usize) -> Self {
        let ideal_lanes = if spec.workload.uses_cores() {
            spec.workers.min(cpus.max(1))
        } else {
            spec.workers
        };
        Self {
            spec,
            serial: None,
            parallel: None,
            finished: false,
            cancelling: false,
            ideal_lanes: ideal_lanes.max(1),
            cpus: spec.workload.uses_cores().then_some(cpus.max(1)),
            waves: None,
        }
    }

    /// Where the run is.
    pub fn stage(&self) -> Stage {
        match (&self.serial, &self.parallel) {
            _ if self.finished => Stage::Finished,
            (None, _) => Stage::Preparing,
            (Some(serial), None) if serial.is_running() => Stage::Serial,
            _ => Stage::Parallel,
        }
    }

    /// Takes a start or end of one side into account; a side that ends has
    /// its tasks binned once, so later frames need not scan its board.
    pub fn on_event(&mut self, event: RunEvent) {
        match event {
            RunEvent::Started {
                side,
                board,
                origin,
                ..
            } => {
                let view = Some(SideView {
                    board,
                    origin,
                    wall: None,
                    occupancy: None,
                });
                match side {
                    Side::Serial => self.serial = view,
                    Side::Parallel => self.parallel = view,
                }
            }
            RunEvent::Finished { side, timing } => {
                let (view, workers) = match side {
                    Side::Serial => (self.serial.as_mut(), 1),
                    Side::Parallel => (self.parallel.as_mut(), self.spec.workers),
                };
                if let Some(view) = view {
                    view.wall = Some(timing.wall);
                    view.occupancy = Some(Occupancy::of(&view.board, timing.wall, workers));
                }
                if side == Side::Serial {
                    self.waves = self
                        .serial
                        .as_ref()
                        .map(|serial| Waves::of(&serial.board, timing.wall, &self.spec, self.cpus));
                }
            }
            RunEvent::PoolBuilt { .. } => {}
        }
    }

    /// The ideal waves, measured from the serial side once it has ended:
    /// its serial part (if the workload has one), then ⌈tasks / lanes⌉
    /// waves that end at the table's ideal.
    pub fn waves(&self) -> Option<Waves> {
        self.waves
    }
}

/// The ideal schedule drawn on the time axis. It ends at the ideal the
/// timing table prints (the longest-first schedule of the measured serial
/// task times), so lanes and table never give two answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waves {
    /// When the tasks can start: after the serial part, if any.
    pub start: Duration,
    /// The length of one wave: the ideal's task span over the waves (the
    /// mean serial task time when the tasks are equal).
    pub mean: Duration,
    /// How many waves the tasks need.
    pub count: usize,
    /// The ideal parallel time: when the last wave ends.
    end: Duration,
}

impl Waves {
    /// The waves of the work a finished serial `board` timed in `wall`,
    /// from the same model the report uses.
    pub fn of(board: &TaskBoard, wall: Duration, spec: &Work, cpus: Option<usize>) -> Self {
        let (ideal, start) = crate::measure::board_ideal(board, wall, spec.workers, cpus);
        let count = spec.tasks.div_ceil(ideal.lanes.max(1)).max(1);
        let end = ideal.time.max(start);
        Self {
            start,
            mean: (end - start) / count as u32,
            count,
            end,
        }
    }

    /// Where each wave ends (and, with a serial part, where it ends); the
    /// last mark is the ideal itself.
    pub fn boundaries(&self) -> impl Iterator<Item = Duration> + '_ {
        let first = usize::from(self.start.is_zero());
        let span = self.end - self.start;
        (first..=self.count).map(move |k| self.start + span.mul_f64(k as f64 / self.count as f64))
    }

    /// When the last wave ends: the ideal parallel time of this model.
    pub fn end(&self) -> Duration {
        self.end
    }
}

/// How a run of the session ended (or that it has not yet).
#[derive(Clone, Debug)]
pub enum RunStatus {
    /// Still going.
    Running,
    /// Measured in full: the report and the facts its sentences are
    /// chosen by and filled from, judged once when it ended (the frames
    /// that show it only read them).
    Done(Box<RunResult>, Facts),
    /// Stopped by the user; the serial time if that side had finished.
    Cancelled {
        /// The serial wall time, when the serial side completed.
        serial: Option<Duration>,
    },
    /// The run could not be done (for example, no thread could start).
    Failed(String),
}

/// One row of the timing table.
#[derive(Clone, Debug)]
pub struct Row {
    /// The settings it ran with.
    pub spec: Work,
    /// What came of it.
    pub status: RunStatus,
}
