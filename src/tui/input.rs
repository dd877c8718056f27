//! The threads that turn the outside world into messages: key presses and
//! resizes from the terminal, and termination signals.
//!
//! Both block on their source on their own thread, so the UI thread never
//! polls and a signal reaches the event loop like any key, which lets the
//! loop restore the terminal and stop the run before leaving.

use super::Msg;
use crate::app::keys::Key;
use crossterm::event::Event;
use std::sync::mpsc::Sender;

/// Reads the terminal's events on its own thread: `read` blocks, so the UI
/// thread never polls.
pub(super) fn spawn_input(tx: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("parlab-input".to_string())
        .spawn(move || {
            loop {
                let msg = match crossterm::event::read() {
                    Ok(Event::Key(event)) => match Key::from_event(&event) {
                        Some(key) => Msg::Key(key),
                        None => continue,
                    },
                    Ok(Event::Resize(..)) => Msg::Resized,
                    Ok(_) => continue,
                    Err(e) => Msg::InputFailed(e.to_string()),
                };
                let failed = matches!(msg, Msg::InputFailed(_));
                if tx.send(msg).is_err() || failed {
                    return;
                }
            }
        })?;
    Ok(())
}

/// Turns a termination signal (`kill`, a closed terminal, Ctrl-C sent
/// from outside) into a quit message, so the terminal is restored and the
/// run thread stopped instead of the process dying in raw mode.
#[cfg(unix)]
pub(super) fn spawn_signal_watch(tx: Sender<Msg>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::Builder::new()
        .name("parlab-signals".to_string())
        .spawn(move || {
            if signals.forever().next().is_some() {
                let _ = tx.send(Msg::Terminate);
            }
        })?;
    Ok(())
}

/// Other systems end the process on such signals as they always do.
#[cfg(not(unix))]
pub(super) fn spawn_signal_watch(_tx: Sender<Msg>) -> std::io::Result<()> {
    Ok(())
}
