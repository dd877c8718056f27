//! How parlab ends: the exit status each kind of failure gets, so scripts
//! and `timeout` can tell a misuse from a failed measurement from a signal.
//!
//! - 0: done (including `q` and Ctrl-C typed in the lab);
//! - 1: the work failed (a file could not be written, a run failed);
//! - 2: misuse: a bad option, value or combination, refused before any work;
//! - 128+N: the lab was ended by signal N from outside (130 INT, 143 TERM,
//!   129 HUP, 131 QUIT), after restoring the terminal.

use crate::config::SpecError;

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

/// The exit status for `err`, and whether its message should be printed.
pub fn status_of(err: &anyhow::Error) -> (u8, bool) {
    if let Some(Signalled(signal)) = err.downcast_ref::<Signalled>() {
        let status = 128 + signal.clamp(&1, &127);
        return (u8::try_from(status).unwrap_or(u8::MAX), false);
    }
    if is_refusal(err) {
        return (MISUSE, true);
    }
    (1, true)
}

/// Whether `err` refuses what was asked before any work: a bad setting, a
/// plan over a limit, a combination that cannot run. Every such refusal
/// exits 2, wherever it is found.
fn is_refusal(err: &anyhow::Error) -> bool {
    err.downcast_ref::<Misuse>().is_some()
        || err.downcast_ref::<SpecError>().is_some()
        || err.downcast_ref::<crate::sweep::PlanError>().is_some()
        || err
            .downcast_ref::<crate::sweep::WorkerListError>()
            .is_some()
        || err
            .downcast_ref::<crate::schedule::ScheduleError>()
            .is_some()
        || err.downcast_ref::<crate::pool::PoolError>().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_end_has_its_status() {
        assert_eq!(status_of(&Signalled(2).into()), (130, false));
        assert_eq!(status_of(&Signalled(15).into()), (143, false));
        assert_eq!(status_of(&Signalled(1).into()), (129, false));
        assert_eq!(status_of(&Misuse("no".into()).into()), (2, true));
        assert_eq!(status_of(&SpecError::Tasks("0".into()).into()), (2, true));
        assert_eq!(status_of(&anyhow::anyhow!("disk full")), (1, true));
        let plan = crate::sweep::PlanError::Spec(SpecError::Tasks("0".into()));
        assert_eq!(
            status_of(&plan.into()),
            (2, true),
            "a sweep plan over a limit"
        );
        let wrapped = anyhow::Error::from(Misuse("bad".into())).context("while checking");
        assert_eq!(status_of(&wrapped).0, 2, "context keeps the kind");
    }
}
