//! The key bar: the keys that work right now, read from the key table, as
//! many as fit, most important first. While a value is typed or a popup is
//! open it shows that mode's keys instead.

use super::{guess, lessons};
use crate::app::keys::Key;
use crate::app::{App, Mode, keys};
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The keys of the typing mode and of the popups, which take over all keys.
const TYPING: [(&str, &str); 4] = [
    ("0-9", "digits"),
    ("⌫", "erase"),
    ("Enter", "keep"),
    ("Esc", "drop"),
];
const PRESETS: [(&str, &str); 4] = [
    ("↑↓", "choose"),
    ("Enter", "load"),
    ("1-9", "pick"),
    ("Esc", "close"),
];
const HELP: [(&str, &str); 2] = [("any key", "close"), ("q", "quit")];

/// Draws the bar on the first row of `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let line = fit(&entries(app), usize::from(area.width), theme);
    buf.set_line(area.x, area.y, &line, area.width);
}

/// Where each key of the bar on the first row of `area` is drawn, with the
/// key a click there presses: a pair of arrows is split between its two
/// keys; a label that stands for several keys (`0-9`) presses none.
pub fn targets(app: &App, area: Rect) -> Vec<(Rect, Key)> {
    let mut out = Vec::new();
    let mut x = area.x + 1;
    for (label, word) in placed(&entries(app), usize::from(area.width)) {
        let width = (label.chars().count() + 1 + word.chars().count()) as u16;
        let keys = keys_of(label);
        let share = width / keys.len().max(1) as u16;
        for (i, key) in keys.iter().enumerate() {
            let left = x + share * i as u16;
            let wide = if i + 1 == keys.len() {
                width - share * i as u16
            } else {
                share
            };
            out.push((Rect::new(left, area.y, wide, 1), *key));
        }
        x += width + 2;
    }
    out
}

/// The keys a key bar label stands for.
fn keys_of(label: &str) -> Vec<Key> {
    let mut chars = label.chars();
    match (chars.next(), chars.next(), label) {
        (_, _, "Esc") => vec![Key::Esc],
        (_, _, "Enter") => vec![Key::Enter],
        (_, _, "Space") => vec![Key::Char(' ')],
        (_, _, "⌫") => vec![Key::Backspace],
        (_, _, "←→") => vec![Key::Left, Key::Right],
        (_, _, "↑↓") => vec![Key::Up, Key::Down],
        (Some(c), None, _) => vec![Key::Char(c)],
        _ => Vec::new(),
    }
}

/// The bar's entries for the current mode.
fn entries(app: &App) -> Vec<(&'static str, &'static str)> {
    match app.mode {
        Mode::Typing { .. } => TYPING.to_vec(),
        Mode::Guessing { .. } => guess::BAR.to_vec(),
        Mode::Presets { .. } => PRESETS.to_vec(),
        Mode::Lessons { .. } => lessons::LIST_BAR.to_vec(),
        Mode::Help { .. } => HELP.to_vec(),
        Mode::Main | Mode::Presenter if app.teaching.lesson.is_some() => {
            lessons::step_bar(app.is_running())
        }
        Mode::Main | Mode::Presenter => keys::bar(app.is_running()),
        Mode::Sweep => keys::bar_of(&keys::SWEEP_KEYS, app.is_sweeping()),
        Mode::Check => keys::bar_of(&keys::CHECK_KEYS, app.check.is_running()),
    }
}

/// As many `key word` pairs as fit in `width`, in order, two spaces apart,
/// after one space.
fn placed<'a>(entries: &[(&'a str, &'a str)], width: usize) -> Vec<(&'a str, &'a str)> {
    let mut used = 1;
    let mut shown = Vec::new();
    for &(key, word) in entries {
        let len = key.chars().count() + 1 + word.chars().count() + 2;
        if used + len > width {
            continue;
        }
        used += len;
        shown.push((key, word));
    }
    shown
}

/// The entries that fit in `width`, as a styled line.
fn fit(entries: &[(&str, &str)], width: usize, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (key, word) in placed(entries, width) {
        spans.push(Span::styled(key.to_string(), theme.key));
        spans.push(Span::styled(format!(" {word}  "), theme.text));
    }
    Line::from(spans)
}
