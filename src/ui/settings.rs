//! The settings panel (tasks, workers, workload, task time, the selected
//! one highlighted) and the header with the machine line: CPU brand,
//! physical cores, logical CPUs.

use super::panel;
use crate::app::App;
use crate::app::settings::Setting;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Rows the settings panel wants: its title and one per shown setting.
pub fn rows_wanted(app: &App) -> u16 {
    1 + Setting::shown(&app.lab.spec).len() as u16
}

/// The top line: the app's name on the left, the machine on the right.
pub fn render_header(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let name = " parlab · parallelism lab";
    buf.set_stringn(area.x, area.y, name, area.width as usize, theme.title);
    let m = &app.machine;
    let counts = format!(
        "{} physical {} · {} ",
        m.physical_cores,
        if m.physical_cores == 1 {
            "core"
        } else {
            "cores"
        },
        crate::units::counted(m.logical_cpus, "logical CPU")
    );
    let room = (area.width as usize).saturating_sub(name.chars().count() + 3 + counts.len());
    let brand = shorten(&m.cpu_brand, room.saturating_sub(3));
    let machine = format!("{brand} · {counts}");
    let width = machine.chars().count() as u16;
    let x = area.x + area.width.saturating_sub(width);
    buf.set_stringn(x, area.y, &machine, width as usize, theme.text);
}

/// The settings, one per line (the serial part only for its workload),
/// the selected one highlighted and the value being typed shown in place.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let state = if app.is_running() {
        "locked"
    } else {
        "↑↓ ←→"
    };
    let note = match app.lab.repeat {
        1 => state.to_string(),
        n => format!("{state} · ×{n}"),
    };
    let inner = panel(area, buf, "Settings", &note, theme);
    for (row, setting) in Setting::shown(&app.lab.spec).iter().enumerate() {
        if row as u16 >= inner.height {
            break;
        }
        let line = setting_line(app, *setting, theme);
        buf.set_line(inner.x, inner.y + row as u16, &line, inner.width);
    }
}

fn setting_line(app: &App, setting: Setting, theme: &Theme) -> Line<'static> {
    let selected = app.lab.selected == setting;
    let typing = app.typing().filter(|e| e.setting == setting);
    let marker = if selected { "▶ " } else { "  " };
    let label = format!("{marker}{:<10}", setting.label());
    let value = match typing {
        Some(entry) => Span::styled(format!("{}▏", entry.text), theme.editing),
        None if selected => Span::styled(
            format!(" {} ", setting.value(&app.lab.spec)),
            theme.selected,
        ),
        None => Span::styled(format!(" {} ", setting.value(&app.lab.spec)), theme.text),
    };
    let hint = match (typing, setting) {
        (Some(_), Setting::TaskMs) => " ms · Enter",
        (Some(_), Setting::SerialPart) => " % · Enter",
        (Some(_), Setting::Schedule) => " chunk · Enter",
        (Some(_), _) => " · Enter",
        _ => "",
    };
    Line::from(vec![
        Span::styled(label, if selected { theme.key } else { theme.text }),
        value,
        Span::styled(hint, theme.dim),
    ])
}

/// `text` cut to `max` characters with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_brands_are_shortened_with_an_ellipsis() {
        assert_eq!(shorten("AMD EPYC", 20), "AMD EPYC");
        assert_eq!(shorten("Intel Xeon Platinum", 8), "Intel X…");
    }
}
