//! The key tables themselves: one row per key of the main view, of the
//! sweep view and of the check view, in help order.
//!
//! Kept apart from the lookup so the rows read as one table, each on one
//! line, and so adding a key touches only data.

use super::{Binding, Command, Key, When};
use Command as C;
use When as W;

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

/// The key table of the main view, in help order. When a key appears twice
/// (Esc), the first row allowed in the current state wins.
#[rustfmt::skip]
pub const KEYS: [Binding; 25] = [
    bind(&[Key::Char('r'), Key::Enter], "r Enter R", "r", "run", "run serial, then parallel, live; R: repeat each 1-9×, median", C::Run, W::Idle, Some(0)),
    bind(&[Key::Char('R')], "", "R", "repeat", "", C::Repeat, W::Idle, None),
    bind(&[Key::Esc], "Esc", "Esc", "cancel", "cancel the running run (its row says cancelled)", C::Cancel, W::Running, Some(1)),
    bind(&[Key::Esc], "Esc", "Esc", "back", "leave the presenter view or the lesson (q quits)", C::Back, W::Idle, None),
    bind(&[Key::Char('s')], "s, k", "s", "sweep", "s sweep these settings at 1, 2, 4 … workers · k quick check", C::Sweep, W::Idle, Some(8)),
    bind(&[Key::Char('k')], "", "k", "check", "", C::Check, W::Idle, Some(13)),
    bind(&[Key::Up, Key::Down, Key::Tab, Key::BackTab], "↑ ↓ Tab", "↑↓", "select", "select a setting", C::SelectNext, W::Always, Some(3)),
    bind(&[Key::Right, Key::Char('+'), Key::Char('=')], "← → + -", "←→", "change", "lower or raise the selected setting one step", C::Increase, W::Idle, Some(2)),
    bind(&[Key::Left, Key::Char('-')], "", "← -", "change", "", C::Decrease, W::Idle, None),
    bind(&DIGITS, "0-9", "0-9", "type", "type a value (Enter keeps it, Esc drops it)", C::Type, W::Idle, Some(8)),
    bind(&[Key::Char('w')], "w", "w", "workload", "next workload (sleep → cpu → … → serial-fraction)", C::NextWorkload, W::Idle, Some(4)),
    bind(&[Key::Char('h')], "h, o", "h", "schedule", "h schedule: steal, static, dynamic · o pool: threads … python", C::NextSchedule, W::Idle, None),
    bind(&[Key::Char('o')], "", "o", "pool", "who runs the tasks: threads → processes → python-processes → python-threads", C::NextPool, W::Idle, None),
    bind(&[Key::Char('p')], "p", "p", "presets", "presets: the seed demo and five experiments", C::Presets, W::Idle, Some(5)),
    bind(&[Key::Char('L')], "L, n N ␣", "L", "lessons", "lessons; n N (PgDn PgUp): step; ␣ (Space): more text", C::Lessons, W::Idle, Some(7)),
    bind(&[Key::Char('n'), Key::PageDown, Key::Char('N'), Key::PageUp], "", "n", "next", "", C::NextStep, W::Idle, None),
    bind(&[Key::Char(' ')], "", "␣", "more", "", C::MoreText, W::Always, None),
    bind(&[Key::Char('g')], "g", "g", "guess", "predict first: guess before every run, then compare", C::Predict, W::Always, Some(11)),
    bind(&[Key::Char('b')], "b", "b", "big", "presenter view: big figures and the lanes, for a class", C::Presenter, W::Always, Some(8)),
    bind(&[Key::Char('z')], "z", "z", "zoom", "lanes: one time scale for both sides, or each side on its own", C::LaneScale, W::Always, None),
    bind(&[Key::Char('e')], "e", "e", "export", "write parlab-report-<date-time>.md here: runs, guesses", C::Export, W::Idle, Some(12)),
    bind(&[Key::Char('c')], "c", "c", "clear", "clear the timing table", C::Clear, W::Idle, Some(9)),
    bind(&[Key::Char('t')], "t", "t", "theme", "next colour theme: dark, light, mono", C::Theme, W::Always, Some(10)),
    bind(&[Key::Char('?')], "?", "?", "help", "show or hide this help", C::Help, W::Always, Some(6)),
    bind(&[Key::Char('q'), Key::Ctrl('c')], "q, Ctrl-C", "q", "quit", "quit; asks first if results were never exported", C::Quit, W::Always, Some(7)),
];

/// The key table of the sweep view, in help order; "running" there means a
/// sweep is being measured. Keys that would change or hide the sweep wait
/// until it ends.
#[rustfmt::skip]
pub const SWEEP_KEYS: [Binding; 9] = [
    bind(&[Key::Esc], "Esc", "Esc", "cancel", "cancel the sweep (the rows measured so far stay)", C::Cancel, W::Running, Some(0)),
    bind(&[Key::Esc], "Esc", "Esc", "back", "back to the lab when no sweep is going", C::CloseSweep, W::Idle, Some(0)),
    bind(&[Key::Char('e')], "e", "e", "export", "write chart (SVG) and table (Markdown) to the current folder", C::SaveSweep, W::Idle, Some(1)),
    bind(&[Key::Char('s')], "s", "s", "again", "measure the sweep again", C::Sweep, W::Idle, Some(2)),
    bind(&[Key::Char('w')], "w", "w", "weak", "switch strong ↔ weak scaling (tasks per worker) and measure", C::SweepScaling, W::Idle, Some(6)),
    bind(&DIGITS, "0-9", "0-9", "workers", "type the worker counts (1,2,4 or 1..8), Enter measures them", C::Type, W::Idle, Some(7)),
    bind(&[Key::Char('t')], "t", "t", "theme", "next colour theme: dark, light, mono", C::Theme, W::Always, Some(4)),
    bind(&[Key::Char('?')], "?", "?", "help", "show or hide this help", C::Help, W::Always, Some(3)),
    bind(&[Key::Char('q'), Key::Ctrl('c')], "q, Ctrl-C", "q", "quit", "quit; asks first if results were never exported", C::Quit, W::Always, Some(5)),
];

/// The key table of the check view; "running" there means a check is
/// being measured.
#[rustfmt::skip]
pub const CHECK_KEYS: [Binding; 5] = [
    bind(&[Key::Esc], "Esc", "Esc", "cancel", "cancel the check", C::Cancel, W::Running, Some(0)),
    bind(&[Key::Esc], "Esc", "Esc", "back", "back to the lab when no check is going", C::CloseCheck, W::Idle, Some(0)),
    bind(&[Key::Char('k')], "k", "k", "again", "measure the check again", C::Check, W::Idle, Some(1)),
    bind(&[Key::Char('t')], "t", "t", "theme", "next colour theme: dark, light, mono", C::Theme, W::Always, Some(2)),
    bind(&[Key::Char('q'), Key::Ctrl('c')], "q, Ctrl-C", "q", "quit", "quit; asks first if results were never exported", C::Quit, W::Always, Some(3)),
];
