//! The presets popup (`p`): the experiments from `assets/presets.toml`,
//! numbered, the highlighted one loaded with Enter. Two lines each, cut at
//! the popup's edge, so six presets fit at 80x24.

use crate::app::App;
use crate::app::settings::Setting;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the popup centred on `area`, `selected` highlighted.
pub fn render(app: &App, selected: usize, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut lines = Vec::new();
    for (i, preset) in app.lab.presets.iter().enumerate() {
        let chosen = i == selected;
        let name_style = if chosen { theme.selected } else { theme.key };
        let spec = &preset.spec;
        let settings = format!(
            "  {} × {} {}, {}",
            spec.tasks,
            Setting::TaskMs.value(spec),
            spec.workload.name(),
            crate::units::counted(spec.workers, "worker")
        );
        lines.push(Line::from(vec![
            Span::styled(format!(" {} {} ", i + 1, preset.name), name_style),
            Span::styled(settings, theme.dim),
        ]));
        lines.push(Line::styled(format!("     {}", preset.about), theme.text));
    }
    let width = area.width.saturating_sub(2).min(100);
    super::popup(
        area,
        buf,
        (width, lines.len() as u16 + 2),
        "Presets · ↑↓ Enter, or a number · Esc closes",
        Paragraph::new(lines),
        theme,
    );
}
