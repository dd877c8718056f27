//! The lab's protocol with the event loop: every [`Msg`] that reaches the
//! lab, every [`Effect`] it asks for (each carrying its payload, so the
//! loop never reads the app back).

use super::keys::Key;
use super::live_run::RunMsg;
use super::sweeps::{FinishedSweep, SweepMsg};
use crate::config::Work;
use crate::machine::MachineInfo;
use crate::measure::{Rounds, RunResult};
use crate::output::session::SweepSection;
use crate::output::sweep_files::SweepFiles;
use crate::predict::Prediction;
use crate::sweep::{SweepPlan, SweepResult};
use std::path::PathBuf;

/// Everything that reaches the lab: input, measurements, and what came of
/// an effect.
#[derive(Clone)]
pub enum Msg {
    /// A key press.
    Key(Key),
    /// A click or a turn of the wheel, placed on the screen.
    Mouse(super::mouse::Mouse),
    /// Per-CPU usage from the sampler, in percent.
    Sample(Vec<f32>),
    /// Progress or the end of a run.
    Run(RunMsg),
    /// Progress or the end of a sweep.
    Sweep(SweepMsg),
    /// Progress or the end of the quick check.
    Check(super::check::CheckMsg),
    /// The lab is about to stop (Ctrl-Z).
    Suspend,
    /// The window is now this many columns and rows.
    Resized {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// [`Effect::SaveSweep`] was carried out: where the files went, or why
    /// they could not be written.
    SweepSaved {
        /// The sweep, as [`Effect::SaveSweep`] named it.
        index: usize,
        /// The files, or the one-line reason.
        saved: Result<SweepFiles, String>,
    },
    /// [`Effect::WriteReport`] was carried out: the report's path, or why
    /// it could not be written.
    ReportWritten(Result<PathBuf, String>),
}

/// What the event loop must do after a message; each effect carries what
/// it needs, so the loop never reads the app back.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Nothing beyond redrawing.
    None,
    /// Start a run with these settings and rounds on a new thread: the
    /// lab's repeat setting (`R`), or more if a lesson step asks for it.
    /// The warning is the busy check's, from the sampler's latest quiet
    /// reading: the run is judged as on a busy machine when there is one.
    StartRun(Work, Rounds, Option<crate::busy::Busy>),
    /// Start measuring this sweep on a new thread, with the busy check's
    /// warning as for a run.
    StartSweep(SweepPlan, Option<crate::busy::Busy>),
    /// Start the quick check within this budget on a new thread, with the
    /// busy check's warning as for a run.
    StartCheck(std::time::Duration, Option<crate::busy::Busy>),
    /// Set the running run's (or sweep's) cancel flag.
    Cancel,
    /// Leave: cancel any run, wait for its thread, restore the terminal.
    Quit,
    /// Write this sweep's chart and table to the current folder and answer
    /// with [`Msg::SweepSaved`].
    SaveSweep {
        /// Which finished sweep it is, for the answer.
        index: usize,
        /// What to write.
        report: Box<SweepResult>,
    },
    /// Write the session report (and the files of every sweep not saved
    /// yet) into the current folder and answer with [`Msg::ReportWritten`].
    WriteReport(Box<ReportRequest>),
}

/// A copy of everything the session report covers.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRequest {
    /// The machine every run used.
    pub machine: MachineInfo,
    /// Every run measured in full, oldest first.
    pub runs: Vec<RunResult>,
    /// Every guess, oldest first.
    pub predictions: Vec<Prediction>,
    /// Every finished sweep, oldest first (its position is its index for
    /// [`Msg::SweepSaved`]), with its files if already saved.
    pub sweeps: Vec<FinishedSweep>,
}

impl ReportRequest {
    /// The sweeps as sections of the report: title, table and, once saved,
    /// the chart's file name (it lies beside the report, in the same
    /// folder).
    pub fn sweep_sections(&self) -> Vec<SweepSection> {
        self.sweeps
            .iter()
            .map(|done| {
                let chart = done.files.as_ref().and_then(|f| f.svg.file_name());
                let chart = chart.map(|name| name.to_string_lossy().into_owned());
                SweepSection::of(&done.report, chart)
            })
            .collect()
    }
}
