//! The one key table: which key does what, when it is allowed, and how the
//! key bar and the help overlay name it.
//!
//! Handling, the key bar and the help are all read from [`KEYS`], so a key
//! cannot work without being documented, nor be documented without working.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

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

impl Key {
    /// The app's view of a terminal key event; `None` for releases and keys
    /// the app never uses.
    pub fn from_event(event: &KeyEvent) -> Option<Self> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        Some(match event.code {
            KeyCode::Char(c) if ctrl => Self::Ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(c) => Self::Char(c),
            KeyCode::Enter => Self::Enter,
            KeyCode::Esc => Self::Esc,
            KeyCode::Up => Self::Up,
            KeyCode::Down => Self::Down,
            KeyCode::Left => Self::Left,
            KeyCode::Right => Self::Right,
            KeyCode::Tab => Self::Tab,
            KeyCode::BackTab => Self::BackTab,
            KeyCode::Backspace => Self::Backspace,
            KeyCode::PageUp => Self::PageUp,
            KeyCode::PageDown => Self::PageDown,
            _ => return None,
        })
    }
}

/// What a key asks the app to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Run serial, then parallel.
    Run,
    /// Stop the running run.
    Cancel,
    /// Leave parlab (cancelling a run first).
    Quit,
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
    /// Write the session report.
    Export,
    /// Open the sweep view and measure every worker count.
    Sweep,
    /// Write the finished sweep's chart and table to the current folder.
    SaveSweep,
    /// Leave the sweep view for the lab.
    CloseSweep,
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

const DIGITS: [Key; 10] = [
    Key::Char('0'),
    Key::Char('1'),
    Key::Char('2'),
    Key::Char('3'),
    Key::Char('4'),
    Key::Char('5'),
    Key::Char('6'),
    Key::Char('7'),
    Key::Char('8'),
    Key::Char('9'),
];

/// Builds a [`Binding`] row; keeps [`KEYS`] one line per key.
#[allow(clippy::too_many_arguments)]
const fn bind(
    keys: &'static [Key],
    keys_label: &'static str,
    short: &'static str,
    name: &'static str,
    about: &'static str,
    command: Command,
    when: When,
    bar: Option<u8>,
) -> Binding {
    Binding {
        keys,
        keys_label,
        short,
        name,
        about,
        command,
        when,
        bar,
    }
}

use Command as C;
use When as W;

/// The key table of the main view, in help order. When a key appears twice
/// (Esc), the first row allowed in the current state wins.
#[rustfmt::skip]
pub const KEYS: [Binding; 19] = [
    bind(&[Key::Char('r'), Key::Enter], "r, Enter", "r", "run", "run serial, then parallel, live", C::Run, W::Idle, Some(0)),
    bind(&[Key::Esc], "Esc", "Esc", "cancel", "cancel the running run (its row says cancelled)", C::Cancel, W::Running, Some(1)),
    bind(&[Key::Esc], "Esc", "Esc", "quit", "quit when idle; in a lesson or the presenter view, leave it", C::Quit, W::Idle, Some(1)),
    bind(&[Key::Char('s')], "s", "s", "sweep", "measure these settings at 1, 2, 4 … workers: chart and table", C::Sweep, W::Idle, Some(8)),
    bind(&[Key::Up, Key::Down, Key::Tab, Key::BackTab], "↑ ↓ Tab", "↑↓", "select", "select a setting", C::SelectNext, W::Always, Some(3)),
    bind(&[Key::Right, Key::Char('+'), Key::Char('=')], "→ +", "←→", "change", "raise the selected setting one step", C::Increase, W::Idle, Some(2)),
    bind(&[Key::Left, Key::Char('-')], "← -", "", "", "lower the selected setting one step", C::Decrease, W::Idle, None),
    bind(&DIGITS, "0-9", "0-9", "type", "type a value (Enter keeps it, Esc drops it)", C::Type, W::Idle, Some(8)),
    bind(&[Key::Char('w')], "w", "w", "workload", "next workload (sleep → cpu → … → serial-fraction)", C::NextWorkload, W::Idle, Some(4)),
    bind(&[Key::Char('p')], "p", "p", "presets", "presets: the seed demo and five experiments", C::Presets, W::Idle, Some(5)),
    bind(&[Key::Char('L')], "L", "L", "lessons", "lessons: guided steps from the classic demo to Amdahl's law", C::Lessons, W::Idle, Some(7)),
    bind(&[Key::Char('n'), Key::PageDown, Key::Char('N'), Key::PageUp], "n N", "n", "next", "next / previous step of a lesson (PgDn, PgUp too)", C::NextStep, W::Idle, None),
    bind(&[Key::Char('g')], "g", "g", "guess", "predict first: guess before every run, then compare", C::Predict, W::Always, Some(11)),
    bind(&[Key::Char('b')], "b", "b", "big", "presenter view: big figures and the lanes, for a class", C::Presenter, W::Always, Some(8)),
    bind(&[Key::Char('e')], "e", "e", "export", "write parlab-report-<date-time>.md here: runs, guesses", C::Export, W::Idle, Some(12)),
    bind(&[Key::Char('c')], "c", "c", "clear", "clear the timing table", C::Clear, W::Idle, Some(9)),
    bind(&[Key::Char('t')], "t", "t", "theme", "next colour theme: dark, light, mono", C::Theme, W::Always, Some(10)),
    bind(&[Key::Char('?')], "?", "?", "help", "show or hide this help", C::Help, W::Always, Some(6)),
    bind(&[Key::Char('q'), Key::Ctrl('c')], "q, Ctrl-C", "q", "quit", "quit (a running run is cancelled first)", C::Quit, W::Always, Some(7)),
];

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

/// The help lines of the view whose key table is `table`.
pub fn help_of(table: &'static [Binding]) -> Vec<(&'static str, &'static str)> {
    table.iter().map(|b| (b.keys_label, b.about)).collect()
}

/// The key table of the sweep view, in help order; "running" there means a
/// sweep is being measured. Keys that would change or hide the sweep wait
/// until it ends.
#[rustfmt::skip]
pub const SWEEP_KEYS: [Binding; 7] = [
    bind(&[Key::Esc], "Esc", "Esc", "cancel", "cancel the sweep (the rows measured so far stay)", C::Cancel, W::Running, Some(0)),
    bind(&[Key::Esc], "Esc", "Esc", "back", "back to the lab when no sweep is going", C::CloseSweep, W::Idle, Some(0)),
    bind(&[Key::Char('e')], "e", "e", "export", "write chart (SVG) and table (Markdown) to the current folder", C::SaveSweep, W::Idle, Some(1)),
    bind(&[Key::Char('s')], "s", "s", "again", "measure the sweep again", C::Sweep, W::Idle, Some(2)),
    bind(&[Key::Char('t')], "t", "t", "theme", "next colour theme: dark, light, mono", C::Theme, W::Always, Some(4)),
    bind(&[Key::Char('?')], "?", "?", "help", "show or hide this help", C::Help, W::Always, Some(3)),
    bind(&[Key::Char('q'), Key::Ctrl('c')], "q, Ctrl-C", "q", "quit", "quit (a running sweep is cancelled first)", C::Quit, W::Always, Some(5)),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_and_cancel_depend_on_the_state() {
        assert_eq!(lookup(Key::Char('r'), false), Lookup::Do(Command::Run));
        assert!(matches!(lookup(Key::Char('r'), true), Lookup::Refused(_)));
        assert_eq!(lookup(Key::Esc, true), Lookup::Do(Command::Cancel));
        assert_eq!(lookup(Key::Esc, false), Lookup::Do(Command::Quit));
        assert_eq!(lookup(Key::Ctrl('c'), true), Lookup::Do(Command::Quit));
        assert_eq!(lookup(Key::Char('c'), false), Lookup::Do(Command::Clear));
        assert_eq!(lookup(Key::Char('z'), false), Lookup::Unknown);
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
        assert!(idle.contains(&("Esc", "quit")));
        let running = bar(true);
        assert!(running.contains(&("Esc", "cancel")));
        assert!(!running.iter().any(|(_, name)| *name == "run"));
    }

    #[test]
    fn every_command_is_documented_and_reachable() {
        let help = help();
        for binding in &KEYS {
            assert!(!binding.about.is_empty());
            for key in binding.keys {
                assert!(
                    matches!(lookup(*key, false), Lookup::Do(_))
                        || matches!(lookup(*key, true), Lookup::Do(_)),
                    "{key:?}"
                );
            }
        }
        assert_eq!(help.len(), KEYS.len());
    }

    #[test]
    fn terminal_events_become_keys() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(&ctrl_c), Some(Key::Ctrl('c')));
        let plus = KeyEvent::new(KeyCode::Char('+'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&plus), Some(Key::Char('+')));
        let mut release = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(Key::from_event(&release), None);
    }
}
