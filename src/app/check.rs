//! The check view's state: `k` runs `parlab check` on a thread of the
//! event loop (through [`super::Effect::StartCheck`]) and this sub-state
//! keeps what comes back, stage by stage, until its table is shown.

use crate::check::{CheckResult, CheckStage};
use std::time::Duration;

/// The lab's check: shorter than the command's minute, since a class
/// watches it.
pub const LAB_BUDGET: Duration = Duration::from_secs(30);

/// What the check thread sends.
#[derive(Clone, Debug)]
pub enum CheckMsg {
    /// A part of the check began.
    Stage(CheckStage),
    /// The check ended: its result, `None` when cancelled, or why it failed.
    Done(Result<Option<Box<CheckResult>>, String>),
}

/// The check view.
#[derive(Clone, Debug, Default)]
pub enum Check {
    /// Nothing asked for yet.
    #[default]
    Idle,
    /// Measuring; the part now running once the thread said.
    Running(Option<CheckStage>),
    /// The last check's result.
    Done(Box<CheckResult>),
    /// The last check did not finish: cancelled, or why it failed.
    Ended(String),
}

impl Check {
    /// Whether a check is being measured.
    pub fn is_running(&self) -> bool {
        matches!(self, Self::Running(_))
    }

    /// Takes a message from the check thread in.
    pub fn update(&mut self, msg: CheckMsg) {
        *self = match msg {
            CheckMsg::Stage(stage) => Self::Running(Some(stage)),
            CheckMsg::Done(Ok(Some(result))) => Self::Done(result),
            CheckMsg::Done(Ok(None)) => Self::Ended("the check was cancelled".to_string()),
            CheckMsg::Done(Err(why)) => Self::Ended(format!("the check failed: {why}")),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_follows_the_thread_s_messages() {
        let mut check = Check::Running(None);
        check.update(CheckMsg::Stage(CheckStage::Memory));
        assert!(matches!(check, Check::Running(Some(CheckStage::Memory))));
        check.update(CheckMsg::Done(Ok(None)));
        assert!(!check.is_running());
        assert!(matches!(&check, Check::Ended(why) if why == "the check was cancelled"));
        check.update(CheckMsg::Done(Err("no thread".into())));
        assert!(matches!(&check, Check::Ended(why) if why == "the check failed: no thread"));
    }
}
