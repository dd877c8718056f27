//! The sweep's side of the event loop: starting it on the run thread (so
//! Esc and quit stop it the same way as a run) and the writing of its
//! files when `e` asks.

use super::{Msg, RunThread};
use crate::app::App;
use crate::app::sweep_view::SweepMsg;
use crate::output::sweep_files::save_sweep;
use std::path::Path;
use std::sync::mpsc::Sender;
use std::time::SystemTime;

/// Starts the sweep the app has just opened; a thread that cannot start
/// ends the sweep as failed, with the reason on screen.
pub(super) fn start(app: &mut App, tx: &Sender<Msg>, runs: &mut RunThread) {
    let Some(plan) = app.sweep_plan().cloned() else {
        return;
    };
    if let Err(why) = runs.start_sweep(plan, app.machine.clone(), tx.clone()) {
        app.on_sweep(SweepMsg::Done(Err(format!(
            "cannot start the sweep thread: {why}"
        ))));
    }
}

/// Writes the chart and table of sweep `index` into the current folder
/// and tells the app where they went, or why they could not be written.
pub(super) fn save(app: &mut App, index: usize) {
    match std::env::current_dir() {
        Ok(dir) => save_in(app, index, &dir),
        Err(e) => app.on_sweep_saved(
            index,
            Err(format!(
                "cannot save the sweep: the current folder cannot be found ({e})"
            )),
        ),
    }
}

/// Saves every sweep not saved yet into `dir`, beside the session report
/// about to be written there, so the report can show each chart.
pub(super) fn save_unsaved(app: &mut App, dir: &Path) {
    let unsaved: Vec<usize> = (0..app.sweeps().len())
        .filter(|&index| app.sweeps()[index].files.is_none())
        .collect();
    for index in unsaved {
        save_in(app, index, dir);
    }
}

fn save_in(app: &mut App, index: usize, dir: &Path) {
    let Some(sweep) = app.sweeps().get(index) else {
        return;
    };
    let saved = save_sweep(dir, &sweep.report, SystemTime::now()).map_err(|e| e.to_string());
    app.on_sweep_saved(index, saved);
}
