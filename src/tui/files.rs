//! The effects that write files, carried out with the payload the app
//! gave: a sweep's chart and table, and the session report with the files
//! of every sweep not saved yet beside it. What came of each comes back to
//! the app as a message.

use crate::app::{Msg, ReportRequest};
use crate::output::session::{self, Session};
use crate::output::sweep_files::{SweepFiles, save_sweep};
use crate::sweep::SweepResult;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Writes the chart and table of sweep `index` into the current folder:
/// where they went, or why they could not be written.
pub(super) fn save(index: usize, report: &SweepResult) -> Msg {
    let saved = match std::env::current_dir() {
        Ok(dir) => save_in(report, &dir),
        Err(e) => Err(format!(
            "cannot save the sweep: the current folder cannot be found ({e})"
        )),
    };
    Msg::SweepSaved { index, saved }
}

fn save_in(report: &SweepResult, dir: &Path) -> Result<SweepFiles, String> {
    save_sweep(dir, report, SystemTime::now()).map_err(|e| e.to_string())
}

/// Writes the session report into the current folder, saving every sweep
/// not saved yet beside it so the report can show each chart: one message
/// per sweep saved, then the report's.
pub(super) fn write_report(mut request: ReportRequest) -> Vec<Msg> {
    let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut answers = Vec::new();
    for (index, sweep) in request.sweeps.iter_mut().enumerate() {
        if sweep.files.is_none() {
            let saved = save_in(&sweep.report, &dir);
            sweep.files = saved.as_ref().ok().cloned();
            answers.push(Msg::SweepSaved { index, saved });
        }
    }
    let sections = request.sweep_sections();
    let session = Session {
        machine: &request.machine,
        runs: &request.runs,
        sweeps: &sections,
        predictions: &request.predictions,
    };
    let written = session::write(&dir, &session, SystemTime::now()).map_err(|e| e.to_string());
    answers.push(Msg::ReportWritten(written));
    answers
}
