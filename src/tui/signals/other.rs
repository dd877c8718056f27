//! Signals elsewhere: no job control, and termination ends the process as
//! the system always does.

use crate::tui::Msg;
use std::sync::mpsc::Sender;

/// Other systems end the process on such signals as they always do.
pub(super) fn spawn_signal_watch(_tx: Sender<Msg>) -> std::io::Result<()> {
    Ok(())
}

/// Other systems have no job control to give the terminal back to.
pub(super) fn stop_self() -> std::io::Result<()> {
    Ok(())
}
