//! The explanation line: what the screen shows, in a sentence or two that
//! quote the measured numbers; a note (a refusal, a confirmation) takes
//! the first line until the next key.

use crate::app::App;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Draws the note (if any) and the explanation, wrapped to the area.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut lines = Vec::new();
    if let Some(message) = &app.message {
        lines.push(Line::from(vec![
            Span::styled("▸ ", theme.warn),
            Span::styled(message.clone(), theme.warn),
        ]));
    }
    lines.extend(super::guess::lines(app, theme));
    lines.push(Line::from(vec![
        Span::styled("ⓘ ", theme.title),
        Span::styled(app.explanation(), theme.text),
    ]));
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}
