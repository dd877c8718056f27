//! What the lab knows about the current (or last) run and the runs of this
//! session: the task boards the lanes are drawn from, and the table rows.
//!
//! Events from the run thread only swap boards in and out and stamp the
//! end of each side; the tasks themselves are read off the lock-free boards
//! when a frame is drawn.

use super::occupancy::Occupancy;
use crate::board::TaskBoard;
use crate::config::RunSpec;
use crate::measure::RunReport;
use crate::runner::{RunEvent, Side};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the run thread sends to the UI thread.
#[derive(Clone)]
pub enum RunMsg {
    /// Other programs kept the CPUs busy just before the run: the timings
    /// will be noisy, and the user is told so.
    Busy(String),
    /// A side started or finished.
    Event(RunEvent),
    /// The run is over: a report, `None` when cancelled, or why it failed.
    Done(Result<Option<Box<RunReport>>, String>),
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
    pub spec: RunSpec,
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
}

impl LiveRun {
    /// A run about to start on a machine with `cpus` usable CPUs.
    pub fn new(spec: RunSpec, cpus: usize) -> Self {
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
            }
            RunEvent::PoolBuilt { .. } => {}
        }
    }

    /// The ideal waves, measured from the serial side once it has ended:
    /// its serial part (if the workload has one), then ⌈tasks / lanes⌉
    /// waves of its mean task time.
    pub fn waves(&self) -> Option<Waves> {
        let serial = self.serial.as_ref()?;
        let wall = serial.wall?;
        let start = serial.board.serial_part_duration();
        Some(Waves {
            start,
            mean: wall.saturating_sub(start) / self.spec.tasks.max(1) as u32,
            count: self.spec.tasks.div_ceil(self.ideal_lanes),
        })
    }
}

/// The ideal schedule drawn on the time axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waves {
    /// When the tasks can start: after the serial part, if any.
    pub start: Duration,
    /// The measured serial time of one task, on average.
    pub mean: Duration,
    /// How many waves the tasks need.
    pub count: usize,
}

impl Waves {
    /// Where each wave ends (and, with a serial part, where it ends).
    pub fn boundaries(&self) -> impl Iterator<Item = Duration> + '_ {
        let first = usize::from(self.start.is_zero());
        (first..=self.count).map(|k| self.start + self.mean * k as u32)
    }

    /// When the last wave ends: the ideal parallel time of this model.
    pub fn end(&self) -> Duration {
        self.start + self.mean * self.count as u32
    }
}

/// How a run of the session ended (or that it has not yet).
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Still going.
    Running,
    /// Measured in full.
    Done(Box<RunReport>),
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
    pub spec: RunSpec,
    /// What came of it.
    pub outcome: Outcome,
}
