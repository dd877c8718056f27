//! The one key table: which key does what, when it is allowed, and how the
//! key bar and the help overlay name it.
//!
//! Handling, the key bar and the help are all read from [`KEYS`], so a key
//! cannot work without being documented, nor be documented without working.

mod table;

pub use table::{CHECK_KEYS, KEYS, SWEEP_KEYS};

/// A key press as the app understands it, free of terminal details.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A printable character (shift already applied).
    Char(char),
    /// A character typed with Ctrl held, such as Ctrl-C.
    Ctrl(char),
    /// Enter or Return.
    Enter,
    /// Escape.
    Esc,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Tab.
    Tab,
    /// Shift-Tab.
    BackTab,
    /// Backspace.
    Backspace,
    /// Page Up.
    PageUp,
    /// Page Down.
    PageDown,
}

/// What a key asks the app to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Run serial, then parallel.
    Run,
    /// Stop the running run.
    Cancel,
    /// Leave parlab (cancelling a run first; asking first when the session
    /// holds results never exported).
    Quit,
    /// Leave the presenter view, then the lesson; never quits.
    Back,
    /// Select the setting below.
    SelectNext,
    /// Select the setting above.
    SelectPrev,
    /// Step the selected setting up.
    Increase,
    /// Step the selected setting down.
    Decrease,
    /// Start typing a value for the selected setting.
    Type,
    /// Switch to the next workload.
    NextWorkload,
    /// Switch to the next schedule (steal, static, dynamic).
    NextSchedule,
    /// Cycle the pool: threads, processes, Python's two pools.
    NextPool,
    /// Open the presets.
    Presets,
    /// Show or hide the help.
    Help,
    /// Empty the timing table.
    Clear,
    /// Switch to the next colour theme.
    Theme,
    /// Open the list of lessons.
    Lessons,
    /// Go to the lesson's next step.
    NextStep,
    /// Go back to the lesson's previous step.
    PrevStep,
    /// Ask for a guess before every run, or stop asking.
    Predict,
    /// Show or hide the presenter view.
    Presenter,
    /// Draw the lanes on one time scale, or each side on its own.
    LaneScale,
    /// Show the next page of a lesson text too long for its panel.
    MoreText,
    /// Measure each side 1, 3, 5 or 9 times; the median is shown.
    Repeat,
    /// Write the session report.
    Export,
    /// Open the sweep view and measure every worker count.
    Sweep,
    /// Write the finished sweep's chart and table to the current folder.
    SaveSweep,
    /// Leave the sweep view for the lab.
    CloseSweep,
    /// Switch the sweep between strong and weak scaling and measure it.
    SweepScaling,
    /// Open the check view and measure the quick core-scaling check.
    Check,
    /// Leave the check view for the lab.
    CloseCheck,
}

/// When a key may be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Any time.
    Always,
    /// Only while no run is going: it would change or hide what is measured.
    Idle,
    /// Only while a run is going.
    Running,
}

impl When {
    /// Whether the key is allowed in the current state.
    pub fn allows(self, running: bool) -> bool {
        match self {
            Self::Always => true,
            Self::Idle => !running,
            Self::Running => running,
        }
    }
}

/// One row of the key table.
#[derive(Debug, PartialEq, Eq)]
pub struct Binding {
    /// The keys that trigger it.
    pub keys: &'static [Key],
    /// How the help names the keys: `r, Enter`.
    pub keys_label: &'static str,
    /// How the key bar names the keys: `r`.
    pub short: &'static str,
    /// One word for the key bar: `run`.
    pub name: &'static str,
    /// One line for the help overlay.
    pub about: &'static str,
    /// What it does.
    pub command: Command,
    /// When it is allowed.
    pub when: When,
    /// Place in the key bar (lower shows first and goes last when the
    /// window is narrow); `None` keeps it to the help overlay.
    pub bar: Option<u8>,
}

/// What a key means now: the command, or why it is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The key is allowed: do this.
    Do(Command),
    /// The key exists but not in this state.
    Refused(&'static Binding),
    /// No row has this key.
    Unknown,
}

/// Finds what `key` does when a run is (or is not) going.
pub fn lookup(key: Key, running: bool) -> Lookup {
    lookup_in(&KEYS, key, running)
}

/// Finds what `key` does in the view whose key table is `table`, while its
/// measurement is (or is not) going.
pub fn lookup_in(table: &'static [Binding], key: Key, running: bool) -> Lookup {
    let mut matching = table.iter().filter(|b| b.keys.contains(&key)).peekable();
    let Some(first) = matching.peek().copied() else {
        return Lookup::Unknown;
    };
    match matching.find(|b| b.when.allows(running)) {
        Some(binding) => Lookup::Do(direction(binding.command, key)),
        None => Lookup::Refused(first),
    }
}

/// Up and Shift-Tab share the selection row with Down and Tab but go the
/// other way.
fn direction(command: Command, key: Key) -> Command {
    match (command, key) {
        (Command::SelectNext, Key::Up | Key::BackTab) => Command::SelectPrev,
        (Command::NextStep, Key::Char('N') | Key::PageUp) => Command::PrevStep,
        (command, _) => command,
    }
}

/// The key bar for the current state: `(keys, word)` pairs, most important
/// first.
pub fn bar(running: bool) -> Vec<(&'static str, &'static str)> {
    bar_of(&KEYS, running)
}

/// The key bar of the view whose key table is `table`.
pub fn bar_of(table: &'static [Binding], running: bool) -> Vec<(&'static str, &'static str)> {
    let mut rows: Vec<&Binding> = table
        .iter()
        .filter(|b| b.bar.is_some() && b.when.allows(running))
        .collect();
    rows.sort_by_key(|b| b.bar);
    rows.iter().map(|b| (b.short, b.name)).collect()
}

/// The help lines for every key: `(keys, what it does)`, in table order.
pub fn help() -> Vec<(&'static str, &'static str)> {
    help_of(&KEYS)
}

/// The help lines of the view whose key table is `table`; a row without a
/// label (Left, the lesson steps) is described on the line of the row
/// before it, which names its keys too.
pub fn help_of(table: &'static [Binding]) -> Vec<(&'static str, &'static str)> {
    table
        .iter()
        .filter(|b| !b.keys_label.is_empty())
        .map(|b| (b.keys_label, b.about))
        .collect()
}

#[cfg(test)]
mod tests {
    //! Unit tests of the key tables, the lookup and the key bar.

    use super::*;

    #[test]
    fn run_and_cancel_depend_on_the_state() {
        assert_eq!(lookup(Key::Char('r'), false), Lookup::Do(Command::Run));
        assert!(matches!(lookup(Key::Char('r'), true), Lookup::Refused(_)));
        assert_eq!(lookup(Key::Esc, true), Lookup::Do(Command::Cancel));
        assert_eq!(lookup(Key::Esc, false), Lookup::Do(Command::Back));
        assert_eq!(lookup(Key::Ctrl('c'), true), Lookup::Do(Command::Quit));
        assert_eq!(lookup(Key::Char('c'), false), Lookup::Do(Command::Clear));
        assert_eq!(lookup(Key::Char('x'), false), Lookup::Unknown);
    }

    #[test]
    fn up_selects_the_other_way() {
        assert_eq!(lookup(Key::Up, false), Lookup::Do(Command::SelectPrev));
        assert_eq!(lookup(Key::Tab, true), Lookup::Do(Command::SelectNext));
    }

    #[test]
    fn the_bar_follows_the_state() {
        let idle = bar(false);
        assert_eq!(idle[0], ("r", "run"));
        assert!(idle.contains(&("q", "quit")));
        assert!(
            !idle.iter().any(|(key, _)| *key == "Esc"),
            "Esc never quits"
        );
        let running = bar(true);
        assert!(running.contains(&("Esc", "cancel")));
        assert!(!running.iter().any(|(_, name)| *name == "run"));
    }

    #[test]
    fn every_command_is_documented_and_reachable() {
        let help = help();
        let labelled = KEYS.iter().filter(|b| !b.keys_label.is_empty()).count();
        for (at, binding) in KEYS.iter().enumerate() {
            // A row without a label of its own is described by the line of
            // the nearest labelled row above it, whose label names its keys.
            if binding.keys_label.is_empty() {
                let before = KEYS[..at]
                    .iter()
                    .rev()
                    .find(|b| !b.keys_label.is_empty())
                    .expect("a labelled row above");
                assert!(
                    before.keys_label.contains(binding.short) || before.keys_label.contains('←'),
                    "{} / {}",
                    before.keys_label,
                    binding.name
                );
            } else {
                assert!(!binding.about.is_empty());
            }
            for key in binding.keys {
                assert!(
                    matches!(lookup(*key, false), Lookup::Do(_))
                        || matches!(lookup(*key, true), Lookup::Do(_)),
                    "{key:?}"
                );
            }
        }
        assert_eq!(help.len(), labelled);
        assert_eq!(
            labelled + 6,
            KEYS.len(),
            "Left, repeat, the lesson steps, Space, the pool and the check share a line"
        );
    }
}
