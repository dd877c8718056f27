//! The presenter view (`b`) for the back row of a classroom: the serial
//! time, the parallel time and the speedup of the run on screen in block
//! letters, one line of context, and the worker lanes below. Nothing else.
//!
//! While a run goes, each time counts up live (a dot before its label);
//! the speedup appears once both sides have been measured. Doubled letters are used when the window
//! is large enough for them and for the lanes.

use super::big_text;
use super::guess;
use super::lanes;
use crate::app::App;
use crate::app::live_run::{RunStatus, SideView};
use crate::finding::FindingId;
use crate::measure::RunResult;
use crate::template::Facts;
use crate::theme::Theme;
use crate::units::{counted, format_duration, format_ms, format_ratio};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// Rows the lanes keep at least, below the figures.
const LANE_ROWS: u16 = 12;

/// One big figure: its label and its value (`None` until measured).
struct Figure {
    label: String,
    value: Option<String>,
    style: Style,
}

/// Draws the view over the whole `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let figures = figures(app, theme);
    let scale = scale_for(&figures, area);
    let tall = big_text::height(scale);
    let column = area.width / 3;
    for (i, figure) in figures.iter().enumerate() {
        let x = area.x + column * i as u16;
        draw_figure(
            figure,
            Rect::new(x, area.y, column, tall + 1),
            scale,
            buf,
            theme,
        );
    }
    let caption_y = area.y + 1 + tall;
    let caption = caption(app, area.width, theme);
    let rows = caption.len() as u16;
    let caption_area = Rect::new(area.x, caption_y, area.width, rows);
    Paragraph::new(caption).render(caption_area, buf);
    let lanes_y = (caption_y + rows).min(area.bottom());
    let lanes_area = Rect::new(area.x, lanes_y, area.width, area.bottom() - lanes_y);
    lanes::render(app, lanes_area, buf, theme);
}

/// The report of the run on screen, once it is done, with the facts it
/// was judged to: its medians are the figures the table shows.
fn done_run(app: &App) -> Option<(&RunResult, &Facts)> {
    match &app.lab.rows.last()?.status {
        RunStatus::Done(report, facts) if !app.is_running() => Some((report, facts)),
        _ => None,
    }
}

/// The report of the run on screen, once it is done.
fn done_report(app: &App) -> Option<&RunResult> {
    done_run(app).map(|(report, _)| report)
}

/// The three figures of the run on screen: live times while it goes, the
/// table's medians once it is done.
fn figures(app: &App, theme: &Theme) -> [Figure; 3] {
    let run = app.lab.run.as_ref();
    let done = done_report(app);
    let side_time = |side: Option<&SideView>| side.map(|s| format_duration(s.elapsed(app.now)));
    let serial = run.and_then(|r| r.serial.as_ref());
    let parallel = run.and_then(|r| r.parallel.as_ref());
    let speedup = done.map(|r| r.speedup).or_else(|| {
        serial
            .and_then(|s| s.wall)
            .zip(parallel.and_then(|p| p.wall))
            .filter(|(_, p)| !p.is_zero())
            .map(|(s, p)| s.as_secs_f64() / p.as_secs_f64())
    });
    let same = done_run(app).is_some_and(|(_, facts)| facts.has(FindingId::WallSame));
    // The figure is the table's; a loss is labelled as one in the warning
    // colour, so big green letters never read a slowdown as a gain, and a
    // difference within the noise is not shown as either.
    let (speed_label, speed_style) = match speedup {
        _ if same => ("speedup · same within noise", theme.title),
        Some(ratio) if ratio < 1.0 => ("speedup · slower", theme.warn),
        _ => ("speedup", theme.good),
    };
    let speed_value = speedup.map(format_ratio);
    let (serial_value, parallel_value) = match done {
        Some(r) => (
            Some(format_duration(r.serial_time)),
            Some(format_duration(r.parallel_time)),
        ),
        None => (side_time(serial), side_time(parallel)),
    };
    let live = |side: Option<&SideView>| side.is_some_and(SideView::is_running);
    let workers = run.map_or(app.lab.spec.workers, |r| r.spec.workers);
    [
        Figure {
            label: label("serial", live(serial)),
            value: serial_value,
            style: theme.title,
        },
        Figure {
            label: label(
                &format!("parallel · {}", counted(workers, "worker")),
                live(parallel),
            ),
            value: parallel_value,
            style: theme.title,
        },
        Figure {
            label: speed_label.to_string(),
            value: speed_value,
            style: speed_style,
        },
    ]
}

/// A figure's label; a dot marks a time still counting.
fn label(name: &str, running: bool) -> String {
    if running {
        format!("● {name}")
    } else {
        name.to_string()
    }
}

/// Doubled letters when all three fit their columns and the lanes keep
/// their rows; else single size.
fn scale_for(figures: &[Figure], area: Rect) -> u16 {
    let fits = |scale: u16| {
        let widest = figures
            .iter()
            .map(|f| big_text::width(f.value.as_deref().unwrap_or("—"), scale))
            .max()
            .unwrap_or(0);
        widest + 2 <= area.width / 3 && big_text::height(scale) + 2 + LANE_ROWS <= area.height
    };
    if fits(2) { 2 } else { 1 }
}

/// A label line, then the value in block letters, centred in `area`; a
/// value too wide for its column is written in plain text instead.
fn draw_figure(figure: &Figure, area: Rect, scale: u16, buf: &mut Buffer, theme: &Theme) {
    let centred = |width: u16| area.x + area.width.saturating_sub(width) / 2;
    let label_width = figure.label.chars().count() as u16;
    buf.set_stringn(
        centred(label_width),
        area.y,
        &figure.label,
        area.width as usize,
        theme.header,
    );
    let (text, style) = match &figure.value {
        Some(value) => (value.as_str(), figure.style),
        None => ("—", theme.dim),
    };
    let width = big_text::width(text, scale);
    let y = area.y + 1;
    if width > area.width {
        let plain = text.chars().count() as u16;
        buf.set_stringn(centred(plain), y + 2, text, area.width as usize, style);
        return;
    }
    let limit = (area.right(), area.bottom());
    big_text::draw(text, (centred(width), y), scale, limit, buf, style);
}

/// The context under the figures: a guess being typed (with the note on
/// what was refused, on a second line), a note, the judged guess, or the
/// settings of the run on screen.
fn caption(app: &App, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let note = app
        .message
        .as_ref()
        .map(|message| Line::styled(format!("▸ {message}"), theme.warn));
    if let Some(entry) = app.guess() {
        return std::iter::once(guess::prompt(entry, theme))
            .chain(note)
            .collect();
    }
    // A finished run keeps its busy warning and its time bar under any
    // note or judged guess.
    let done = done_report(app);
    let busy = done.filter(|r| r.busy).map(|_| {
        Line::styled(
            "▸ other programs kept the CPUs busy before this run: its timings are noisy",
            theme.warn,
        )
        .centered()
    });
    let went = done.map(|r| super::time_went::line(&r.time_accounting, width, theme).centered());
    let judged = app
        .teaching
        .lesson_step()
        .and_then(|(_, _, run)| run.results.get(run.step)?.as_ref()?.guess)
        .or(app.teaching.judged)
        .filter(|_| !app.is_running());
    let head = match (note, judged) {
        (Some(note), _) => note,
        (None, Some(judged)) => guess::outcome(&judged, theme).centered(),
        (None, None) => {
            let spec = app.lab.run.as_ref().map_or(&app.lab.spec, |r| &r.spec);
            Line::styled(
                format!(
                    "{} {} tasks × {} on {} · b returns",
                    spec.tasks,
                    spec.workload.name(),
                    format_ms(spec.task_ms),
                    crate::units::counted(spec.workers, "worker")
                ),
                theme.dim,
            )
            .centered()
        }
    };
    std::iter::once(head).chain(busy).chain(went).collect()
}
