//! Signals on Unix: job control and termination reach the event loop as
//! messages on their own thread, like any key, so the loop restores the
//! terminal and stops the run before leaving.

use crate::tui::Msg;
use std::sync::mpsc::Sender;

/// Turns the signals a terminal program must answer into messages:
/// termination (`kill`, a closed terminal, Ctrl-C or Ctrl-\\ sent from
/// outside) into [`Msg::Terminate`], so the terminal is restored and the run
/// thread stopped instead of the process dying in raw mode; a stop request
/// (Ctrl-Z in the shell, `kill -TSTP`) into [`Msg::Suspend`], so the lab
/// leaves the screen before it stops; and a continue into
/// [`Msg::Continued`], so it redraws everything, whoever stopped it.
pub(super) fn spawn_signal_watch(tx: Sender<Msg>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])?;
    std::thread::Builder::new()
        .name("parlab-signals".to_string())
        .spawn(move || {
            for signal in signals.forever() {
                let msg = match signal {
                    SIGTSTP => Msg::Suspend,
                    SIGCONT => Msg::Continued,
                    other => Msg::Terminate(other),
                };
                let last = matches!(msg, Msg::Terminate(_));
                if tx.send(msg).is_err() || last {
                    return;
                }
            }
        })?;
    Ok(())
}

/// Stops the whole process as the default action of SIGTSTP would, and
/// returns once it is continued. The caller has restored the terminal.
pub(super) fn stop_self() -> std::io::Result<()> {
    signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP)
}
