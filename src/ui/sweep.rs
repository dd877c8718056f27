//! The sweep view (`s`): the speedup chart of the worker counts measured so
//! far with the sweep table, a progress line while it runs, the Amdahl fit
//! and the model in words below, and the key bar.
//!
//! At 80x24 the chart sits above the table; in a window wide enough that
//! the chart beside the table stays about as wide as it is tall (counting
//! a cell as twice as tall as wide), they stand side by side. Both grow
//! with the window.

mod chart;
mod table;

use super::{help, keybar, panel, settings};
use crate::app::App;
use crate::app::keys::{self, SWEEP_KEYS};
use crate::app::sweeps::{LiveSweep, SweepStatus};
use crate::output::units::{counted, format_duration, format_ms, format_percent};
use crate::sweep::{KNEE_GAIN, Scaling, SweepStage};
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::time::Instant;

/// Fewest rows the chart keeps (legend included) when the table is long.
const MIN_CHART_ROWS: u16 = 8;
/// Fewest columns a chart beside the table may have.
const MIN_CHART_WIDTH: u16 = 60;

/// What each part of the view shows, for its help overlay.
const PANELS: [(&str, &str); 5] = [
    (
        "Chart",
        "● measured, · ideal model, ⠒ Amdahl fit, ┊ core counts",
    ),
    (
        "Table",
        "per worker count: median time, ideal, speedup, efficiency",
    ),
    (
        "K–F",
        "Karp–Flatt serial fraction of each row; rising = overhead",
    ),
    (
        "Fit",
        "Amdahl's serial fraction for the rows, the knee, the model",
    ),
    ("Key bar", "the keys that work right now"),
];

/// Draws the view over `area` (at least 80x24), with its help on top when
/// `help` is set.
pub fn render(app: &App, help: bool, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let Some(sweep) = app.sweeps.current.as_ref() else {
        return;
    };
    let areas = Areas::of(sweep, area);
    settings::render_header(app, areas.header, buf, theme);
    panel(areas.title, buf, "Sweep", &plan_note(sweep), theme);
    let (status, style) = status_line(app, sweep, theme);
    buf.set_stringn(
        areas.status.x + 1,
        areas.status.y,
        status,
        usize::from(areas.status.width.saturating_sub(1)),
        style,
    );
    chart::render(sweep, &app.machine, areas.chart, buf, theme);
    table::render(sweep, app.now, areas.table, buf, theme);
    notes(app, sweep, areas.notes, buf, theme);
    keybar::render(app, areas.keybar, buf, theme);
    if help {
        help::render_for(&keys::help_of(&SWEEP_KEYS), &PANELS, area, buf, theme);
    }
}

/// Where each part goes.
struct Areas {
    header: Rect,
    title: Rect,
    status: Rect,
    chart: Rect,
    table: Rect,
    notes: Rect,
    keybar: Rect,
}

impl Areas {
    /// Header, title and progress on top, notes and key bar at the bottom;
    /// between them the chart and the table, which gets the rows it needs
    /// (below the chart) or its fixed width (beside it).
    fn of(sweep: &LiveSweep, area: Rect) -> Self {
        let notes_height = if area.height >= 34 { 5 } else { 4 };
        let row = |y: u16, height: u16| Rect::new(area.x, y, area.width, height);
        let body_y = area.y + 3;
        let body_height = area.height.saturating_sub(4 + notes_height);
        let beside = area.width.saturating_sub(table::WIDTH + 2);
        let (chart, table) = if beside >= MIN_CHART_WIDTH && beside >= 2 * body_height {
            let chart_width = beside;
            (
                Rect::new(area.x, body_y, chart_width, body_height),
                Rect::new(area.x + chart_width + 2, body_y, table::WIDTH, body_height),
            )
        } else {
            let table_height = table::rows_wanted(sweep)
                .min(body_height.saturating_sub(MIN_CHART_ROWS))
                .max(3.min(body_height));
            let chart_height = body_height - table_height;
            (
                row(body_y, chart_height),
                row(body_y + chart_height, table_height),
            )
        };
        let notes_y = body_y + body_height;
        Self {
            header: row(area.y, 1),
            title: row(area.y + 1, 1),
            status: row(area.y + 2, 1),
            chart,
            table,
            notes: row(notes_y, notes_height),
            keybar: row(notes_y + notes_height, 1),
        }
    }
}

/// `cpu · 16 tasks × 20.0 ms · workers 1, 2, 4`.
fn plan_note(sweep: &LiveSweep) -> String {
    let plan = &sweep.plan;
    let workers: Vec<String> = plan.workers.0.iter().map(usize::to_string).collect();
    let size = match plan.scaling {
        Scaling::Strong => format!("strong · {}", counted(plan.tasks, "task")),
        Scaling::Weak => format!("weak · {} per worker", counted(plan.tasks, "task")),
    };
    let workers = match &sweep.typing {
        Some(text) => format!("workers {text}▏ Enter measures, Esc drops"),
        None => format!("workers {}", workers.join(", ")),
    };
    format!(
        "{} · {size} × {} · {workers}",
        plan.workload.name(),
        format_ms(plan.task_ms),
    )
}

/// The progress line: what is measured now, or how the sweep ended.
fn status_line(app: &App, sweep: &LiveSweep, theme: &Theme) -> (String, Style) {
    let count = sweep.plan.workers.0.len();
    let measured = sweep.rows.len();
    match &sweep.status {
        SweepStatus::Running if sweep.cancelling => ("cancelling…".to_string(), theme.warn),
        SweepStatus::Running => (progress(sweep, app.now), theme.newest),
        SweepStatus::Done { index } => {
            let saved = app
                .sweeps
                .finished
                .get(*index)
                .is_some_and(|s| s.files.is_some());
            let next = if saved {
                "chart and table exported"
            } else {
                "e exports the chart (SVG) and the table (Markdown)"
            };
            (
                format!("done: {} · {next}", counted(count, "worker count")),
                theme.good,
            )
        }
        SweepStatus::Cancelled => {
            let when = match sweep.baseline {
                Some(_) => format!("after {measured} of {}", counted(count, "worker count")),
                None => "during the serial baseline".to_string(),
            };
            (
                format!("cancelled {when} · s measures again, Esc goes back"),
                theme.warn,
            )
        }
        SweepStatus::Failed(why) => (format!("failed: {why}"), theme.warn),
    }
}

/// `measuring 4 workers (3/3): 7/16 tasks · 120 ms`, with the round when a
/// measurement has several.
fn progress(sweep: &LiveSweep, now: Instant) -> String {
    let Some(live) = &sweep.live else {
        return "preparing the work…".to_string();
    };
    let what = match live.stage {
        SweepStage::Serial => "the serial baseline".to_string(),
        SweepStage::ScaledSerial { workers, row, rows } => format!(
            "serial, scaled for {} ({}/{rows})",
            counted(workers, "worker"),
            row + 1
        ),
        SweepStage::Parallel { workers, row, rows } => {
            format!("{} ({}/{rows})", counted(workers, "worker"), row + 1)
        }
    };
    let rounds = sweep.plan.rounds;
    let total = rounds.warmup + rounds.repeat;
    let round = match (total, live.warmup) {
        (1, _) => String::new(),
        (_, true) => format!(", warm-up {}/{}", live.round + 1, rounds.warmup),
        (_, false) => format!(", run {}/{}", live.round + 1 - rounds.warmup, rounds.repeat),
    };
    format!(
        "measuring {what}{round}: {}/{} tasks · {}",
        live.finished_tasks(),
        live.board.len(),
        format_duration(live.elapsed(now))
    )
}

/// The note of the last key (if any), a warning when the checksums
/// differ, then the fit and the model in words, wrapped.
fn notes(app: &App, sweep: &LiveSweep, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut lines = Vec::new();
    if let Some(message) = &app.message {
        lines.push(Line::styled(format!("▸ {message}"), theme.warn));
    }
    let differ: Vec<String> = sweep
        .rows
        .iter()
        .filter(|r| !r.results_match)
        .map(|r| r.workers.to_string())
        .collect();
    if !differ.is_empty() {
        lines.push(Line::styled(
            format!(
                "RESULTS DIFFER from the serial run at {} workers: the runs did not do the same work",
                differ.join(", ")
            ),
            theme.warn,
        ));
    }
    lines.extend(fit_lines(sweep, theme));
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

/// `Amdahl serial fraction 0.083 · knee at 4 workers: …`, then the model;
/// for a weak sweep, where its time stopped being flat.
fn fit_lines(sweep: &LiveSweep, theme: &Theme) -> Vec<Line<'static>> {
    if sweep.plan.scaling == Scaling::Weak {
        return match sweep.weak_fit() {
            Some(weak) => vec![Line::from(vec![
                Span::styled("weak scaling: ", theme.header),
                Span::styled(weak.explanation(), theme.text),
            ])],
            None => vec![Line::styled(
                "weak scaling: each row runs its workers' share of a growing problem; flat time is perfect",
                theme.dim,
            )],
        };
    }
    let Some(fit) = &sweep.fit else {
        let why = if sweep.is_running() {
            "the Amdahl fit and the model appear once a row with 2+ workers is measured"
        } else {
            "no row with 2 or more workers was measured: nothing to fit"
        };
        return vec![Line::styled(why, theme.dim)];
    };
    let knee = match (fit.knee_workers, sweep.is_running()) {
        (Some(w), _) => format!(
            "knee at {}: later rows gain under {}",
            counted(w, "worker"),
            format_percent(KNEE_GAIN)
        ),
        (None, true) => "no knee yet".to_string(),
        (None, false) => "no knee: the speedup still rises at the last row".to_string(),
    };
    vec![
        Line::from(vec![
            Span::styled("Amdahl ", theme.header),
            Span::styled(format!("{} · {knee}", fit.fraction_text()), theme.text),
        ]),
        Line::from(vec![
            Span::styled(format!("{}: ", fit.model.name()), theme.header),
            Span::styled(fit.explanation(), theme.text),
        ]),
    ]
}

#[cfg(test)]
mod tests;
