//! Drawing: pure functions from the [`App`] state to a frame, one file per
//! panel. Nothing here reads a clock, a channel or the system; the time
//! a frame shows is `app.now`.
//!
//! The screen, top to bottom: a header with the machine line, settings
//! beside per-core bars, the worker lanes (the largest panel), the timing
//! table, the explanation line and the key bar. The sweep view ([`sweep`])
//! takes the whole screen instead. Below 80x24 a short message asks for a
//! larger window.

pub mod big_text;
pub mod cores;
pub mod explain;
pub mod guess;
pub mod help;
pub mod keybar;
pub mod lanes;
pub mod lessons;
pub mod presenter;
pub mod presets;
pub mod settings;
pub mod sweep;
pub mod timings;

use crate::app::{App, Mode, Screen};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

/// Smallest window the panels fit in.
pub const MIN_WIDTH: u16 = 80;
/// Smallest window height the panels fit in.
pub const MIN_HEIGHT: u16 = 24;

/// Draws the whole screen into a frame.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    draw(app, area, frame.buffer_mut());
}

/// Draws the whole screen into `buf` over `area`.
pub fn draw(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme.theme();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(area, buf, &theme);
        return;
    }
    match app.mode.screen() {
        Screen::Sweep => {
            let help = matches!(app.mode, Mode::Help { .. });
            return sweep::render(app, help, area, buf, &theme);
        }
        Screen::Presenter => {
            presenter::render(app, area, buf, &theme);
            return overlay(app, area, buf, &theme);
        }
        Screen::Main => {}
    }
    let layout = match app.teaching.lesson {
        Some(_) => Areas::for_lesson(app, area),
        None => Areas::of(app, area),
    };
    settings::render_header(app, layout.header, buf, &theme);
    settings::render(app, layout.settings, buf, &theme);
    cores::render(app, layout.cores, buf, &theme);
    lanes::render(app, layout.lanes, buf, &theme);
    timings::render(app, layout.timings, buf, &theme);
    explain::render(app, layout.explain, buf, &theme);
    keybar::render(app, layout.keybar, buf, &theme);
    if let Some(lesson) = layout.lesson {
        lessons::render_step(app, lesson, buf, &theme);
    }
    overlay(app, area, buf, &theme);
}

/// Draws what is on top of the panels: the help, the presets, the lessons.
fn overlay(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    match &app.mode {
        Mode::Help { .. } => help::render(area, buf, theme),
        Mode::Presets { list, .. } => presets::render(app, list.index, area, buf, theme),
        Mode::Lessons { list, .. } => lessons::render_list(app, list.index, area, buf, theme),
        _ => {}
    }
}

/// Where each panel goes.
struct Areas {
    header: Rect,
    settings: Rect,
    cores: Rect,
    lanes: Rect,
    timings: Rect,
    explain: Rect,
    keybar: Rect,
    /// The lesson panel, while a lesson is followed.
    lesson: Option<Rect>,
}

impl Areas {
    /// Splits the screen: at 80x24 every panel gets its minimum (the lanes
    /// less when there are few workers); extra rows go first to the lanes
    /// (up to what they can use), then the explanation, the core bars and
    /// the table, and what is left to the lanes again.
    fn of(app: &App, area: Rect) -> Self {
        let settings_width = (area.width * 2 / 5).clamp(30, 40);
        let top_want = 1 + cores::rows_wanted(app, area.width - settings_width);
        let lanes_want = 1 + lanes::rows_wanted(app);
        let table_want = 1 + app.lab.rows.len() as u16;
        let top_base = settings::rows_wanted(app).max(5);
        let lanes_base = lanes_want.clamp(5, 16 - top_base);
        let mut spare = area.height - MIN_HEIGHT + (16 - top_base - lanes_base);
        let mut grow = |base: u16, want: u16| {
            let extra = want.saturating_sub(base).min(spare);
            spare -= extra;
            base + extra
        };
        let lanes = grow(lanes_base, lanes_want);
        let explain = grow(2, 3);
        let top = grow(top_base, top_want);
        let table = grow(4, table_want.max(6));
        let lanes = lanes + spare;
        let mut y = area.y;
        let mut take = |height: u16| {
            let rect = Rect::new(area.x, y, area.width, height);
            y += height;
            rect
        };
        let header = take(1);
        let top = take(top);
        let (settings, cores) = split_columns(top, settings_width);
        Self {
            header,
            settings,
            cores,
            lanes: take(lanes),
            timings: take(table),
            explain: take(explain),
            keybar: take(1),
            lesson: None,
        }
    }
}

/// Splits `area` into a left part `left` columns wide and the rest, with
/// one blank column between.
fn split_columns(area: Rect, left: u16) -> (Rect, Rect) {
    let left = left.min(area.width);
    let right_x = area.x + left + 1;
    let right_width = area.width.saturating_sub(left + 1);
    (
        Rect::new(area.x, area.y, left, area.height),
        Rect::new(right_x, area.y, right_width, area.height),
    )
}

/// Draws `body` in a bordered box of `size` (width, height; cut to fit)
/// centred on `area` and titled `title`, over what is drawn below: the
/// help, presets and lessons popups all look the same this way.
pub fn popup(
    area: Rect,
    buf: &mut Buffer,
    size: (u16, u16),
    title: &str,
    body: Paragraph<'_>,
    theme: &Theme,
) {
    let (width, height) = (size.0.min(area.width), size.1.min(area.height));
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Span::styled(format!(" {title} "), theme.title))
        .border_style(theme.title);
    body.block(block).render(rect, buf);
}

/// Draws a panel's title line (`─ Title ─ note ──────`) on the first row of
/// `area` and returns the rows below it.
pub fn panel(area: Rect, buf: &mut Buffer, title: &str, note: &str, theme: &Theme) -> Rect {
    if area.height == 0 {
        return area;
    }
    let line = Line::from(vec![
        Span::styled("─ ", theme.dim),
        Span::styled(title.to_string(), theme.title),
        Span::styled(if note.is_empty() { " " } else { " · " }, theme.dim),
        Span::styled(note.to_string(), theme.dim),
        Span::styled(" ", theme.dim),
    ]);
    let rule = "─".repeat(area.width as usize);
    buf.set_stringn(area.x, area.y, &rule, area.width as usize, theme.dim);
    buf.set_line(area.x, area.y, &line, area.width);
    Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(1),
    )
}

/// The message shown instead of the panels in a window below 80x24.
fn too_small(area: Rect, buf: &mut Buffer, theme: &Theme) {
    let text = vec![
        Line::styled("parlab needs a larger window", theme.title),
        Line::raw(format!(
            "Enlarge it to {MIN_WIDTH}x{MIN_HEIGHT} (now {}x{}).",
            area.width, area.height
        )),
        Line::styled("q quits · Esc cancels a run", theme.dim),
    ];
    let top = area.height.saturating_sub(3) / 2;
    let inner = Rect::new(area.x, area.y + top, area.width, area.height - top);
    Paragraph::new(text)
        .centered()
        .wrap(Wrap { trim: true })
        .render(inner, buf);
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod pictures;
