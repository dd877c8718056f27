//! How parlab ends: the exit status each kind of failure gets, so scripts
//! and `timeout` can tell a misuse from a failed measurement from a signal.
//!
//! - 0: done (including `q` and Ctrl-C typed in the lab);
//! - 1: the work failed (a file could not be written, a run failed);
//! - 2: misuse: a bad option, value or combination, refused before any work;
//! - 128+N: the lab was ended by signal N from outside (130 INT, 143 TERM,
//!   129 HUP, 131 QUIT), after restoring the terminal.
//!
//! Which errors are refusals is decided at the top, by
//! [`crate::exit_status`], which knows every layer's error types; this
//! floor only names the kinds, so any layer can raise them.

/// A command line that cannot be carried out as given: exits with 2, like
/// clap's own refusals.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Misuse(pub String);

/// The lab left because of signal `N` from outside; nothing more to print.
#[derive(Debug, thiserror::Error)]
#[error("ended by signal {0}")]
pub struct Signalled(pub i32);

/// The status for misuse, the same as clap's.
pub const MISUSE: u8 = 2;
