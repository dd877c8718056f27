//! The help overlay (`?`): every key, read from the key table, and what
//! each panel shows.

use crate::app::keys;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// What each panel shows, in screen order.
const PANELS: [(&str, &str); 8] = [
    (
        "Settings",
        "what the next run uses; the machine's cores and CPUs on top",
    ),
    (
        "CPU usage",
        "load of each logical CPU; siblings of one core together",
    ),
    (
        "Lanes",
        "serial on top, a lane per worker; ┴ marks the ideal waves",
    ),
    (
        "Timings",
        "a row per run: measured times, ideal model, speedup, CPU time",
    ),
    ("ⓘ line", "what the last run shows, quoting its numbers"),
    ("Key bar", "the keys that work right now"),
    (
        "Lesson",
        "in a lesson: the step, its question, then what happened",
    ),
    (
        "Presenter",
        "b: big serial, parallel and speedup figures over the lanes",
    ),
];

/// Column of the descriptions.
const LABEL: usize = 11;

/// Draws the overlay centred on `area`.
pub fn render(area: Rect, buf: &mut Buffer, theme: &Theme) {
    render_for(&keys::help(), &PANELS, area, buf, theme);
}

/// Draws the help of one view: its keys (from its key table) and what
/// each of its panels shows.
pub fn render_for(
    keys: &[(&str, &str)],
    panels: &[(&str, &str)],
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let mut lines = vec![Line::styled("Keys", theme.title)];
    for (keys, about) in keys {
        lines.push(entry(keys, about, theme));
    }
    if lines.len() + 1 + panels.len() + 2 <= usize::from(area.height) {
        lines.push(Line::styled("Panels", theme.title));
        for (panel, about) in panels {
            lines.push(entry(panel, about, theme));
        }
    } else {
        let names: Vec<&str> = panels.iter().map(|(name, _)| *name).collect();
        lines.push(Line::styled(
            "Panels (a taller window explains each)",
            theme.title,
        ));
        lines.push(Line::styled(format!(" {}", names.join(", ")), theme.text));
    }
    let width = area.width.saturating_sub(4).min(78);
    super::popup(
        area,
        buf,
        (width, lines.len() as u16 + 2),
        "Help · any key closes",
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        theme,
    );
}

fn entry(name: &str, about: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {name:<LABEL$}"), theme.key),
        Span::styled(about.to_string(), theme.text),
    ])
}
