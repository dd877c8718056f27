//! The key bar: the keys that work right now, read from the key table, as
//! many as fit, most important first. While a value is typed or a popup is
//! open it shows that mode's keys instead.

use super::{guess, lessons};
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
    let entries: Vec<(&str, &str)> = match app.mode {
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
    };
    let line = fit(&entries, usize::from(area.width), theme);
    buf.set_line(area.x, area.y, &line, area.width);
}

/// As many `key word` pairs as fit in `width`, in order, two spaces apart.
fn fit(entries: &[(&str, &str)], width: usize, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, word) in entries {
        let len = key.chars().count() + 1 + word.chars().count() + 2;
        if used + len > width {
            continue;
        }
        used += len;
        spans.push(Span::styled(key.to_string(), theme.key));
        spans.push(Span::styled(format!(" {word}  "), theme.text));
    }
    Line::from(spans)
}
