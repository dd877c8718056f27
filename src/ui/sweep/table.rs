//! The sweep table: one row per planned worker count, filled in as the
//! rows are measured, the one being measured counting up live, and the
//! fitted Amdahl speedup beside the measured one.

use super::super::panel;
use crate::app::sweeps::{LiveSweep, SweepStatus};
use crate::output::sweep::karp_flatt_text;
use crate::sweep::{Scaling, SweepFit, SweepRow, SweepStage};
use crate::theme::Theme;
use crate::units::{format_duration, format_percent, format_ratio};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::time::Instant;

/// Column headers and widths, all right-aligned.
const COLUMNS: [(&str, usize); 7] = [
    ("workers", 7),
    ("parallel", 9),
    ("ideal", 9),
    ("speedup", 8),
    ("effic.", 7),
    ("K–F", 6),
    ("Amdahl", 7),
];

/// The headers of a weak sweep, in columns of the same widths: the row's
/// problem grows, so its own serial time, the scaled speedup over it and
/// the weak efficiency T(1)/T(W) stand where a strong sweep's fit does.
const WEAK_HEADERS: [&str; 7] = [
    "workers", "parallel", "serial", "scaled", "T1/TW", "tasks", "ideal",
];

/// Columns the table takes: a marker column, then each column and a gap.
pub const WIDTH: u16 = 1 + 7 + 9 + 9 + 8 + 7 + 6 + 7 + 6;

/// Screen rows the table would use: its title, its header and every
/// planned worker count.
pub fn rows_wanted(sweep: &LiveSweep) -> u16 {
    2 + sweep.plan.workers.0.len().min(usize::from(u16::MAX - 2)) as u16
}

/// Draws the title (with the serial baseline), the header and as many
/// rows as fit, keeping the row in progress (or the newest) in view.
pub fn render(sweep: &LiveSweep, now: Instant, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let inner = panel(area, buf, "Table", &baseline_note(sweep), theme);
    if inner.height == 0 {
        return;
    }
    let weak = sweep.plan.scaling == Scaling::Weak;
    let header: Vec<String> = if weak {
        WEAK_HEADERS.iter().map(|h| h.to_string()).collect()
    } else {
        COLUMNS.iter().map(|(h, _)| h.to_string()).collect()
    };
    put_row(buf, inner, inner.y, &header, theme.header, " ");
    let counts = &sweep.plan.workers.0;
    let visible = usize::from(inner.height - 1);
    let focus = sweep.rows.len().min(counts.len().saturating_sub(1));
    let first = (focus + 1).saturating_sub(visible);
    for (i, &workers) in counts.iter().enumerate().skip(first).take(visible) {
        let y = inner.y + 1 + (i - first) as u16;
        let newest = i + 1 == sweep.rows.len();
        let (cells, style) = match sweep.rows.get(i) {
            Some(row) if weak => (
                measured_weak(row),
                if newest { theme.newest } else { theme.text },
            ),
            Some(row) => (
                measured(row, sweep.fit.as_ref()),
                if newest { theme.newest } else { theme.text },
            ),
            None => unmeasured(sweep, i, workers, now, theme),
        };
        put_row(buf, inner, y, &cells, style, if newest { "▶" } else { " " });
    }
}

/// `serial baseline 320 ms`, or what happens to it.
fn baseline_note(sweep: &LiveSweep) -> String {
    match (&sweep.baseline, &sweep.status) {
        (Some(serial), _) => format!("serial baseline {}", format_duration(serial.median)),
        (None, SweepStatus::Running) => "serial baseline: measuring".to_string(),
        (None, SweepStatus::Cancelled) => "serial baseline cancelled".to_string(),
        (None, _) => "no serial baseline".to_string(),
    }
}

/// The cells of a measured row.
fn measured(row: &SweepRow, fit: Option<&SweepFit>) -> Vec<String> {
    vec![
        row.workers.to_string(),
        format_duration(row.parallel.median),
        format_duration(row.ideal.time),
        format_ratio(row.speedup),
        format_percent(row.efficiency),
        karp_flatt_text(row.karp_flatt),
        fit.map_or("–".to_string(), |f| {
            f.predicted_speedup(row.workers as f64)
                .map_or("–".to_string(), format_ratio)
        }),
    ]
}

/// The cells of a measured row of a weak sweep.
fn measured_weak(row: &SweepRow) -> Vec<String> {
    vec![
        row.workers.to_string(),
        format_duration(row.parallel.median),
        format_duration(row.serial),
        format_ratio(row.speedup),
        row.weak_efficiency.map_or("–".to_string(), format_percent),
        row.tasks.to_string(),
        format_duration(row.ideal.time),
    ]
}

/// A row not measured (yet): live time and tasks while it is measured,
/// `cancelled` or `failed` where the sweep stopped, a dot while it waits.
fn unmeasured(
    sweep: &LiveSweep,
    index: usize,
    workers: usize,
    now: Instant,
    theme: &Theme,
) -> (Vec<String>, Style) {
    let live = sweep.live.as_ref().filter(|l| match l.stage {
        SweepStage::Parallel { row, .. } | SweepStage::ScaledSerial { row, .. } => row == index,
        SweepStage::Serial => false,
    });
    let cells = |text: String, note: &str| vec![workers.to_string(), text, note.to_string()];
    match (&sweep.status, live) {
        (SweepStatus::Running, Some(live)) => (
            cells(
                format!("{}…", format_duration(live.elapsed(now))),
                &format!("  {}/{} tasks", live.finished_tasks(), live.board.len()),
            ),
            theme.newest,
        ),
        (SweepStatus::Cancelled, Some(_)) => (cells("cancelled".into(), ""), theme.warn),
        (SweepStatus::Failed(_), _) if sweep.rows.len() == index && sweep.baseline.is_some() => {
            (cells("failed".into(), ""), theme.warn)
        }
        _ => (cells("·".into(), ""), theme.dim),
    }
}

/// Writes one row: a marker column, then each cell right-aligned in its
/// column; a cell wider than its column (a note) runs on to the edge.
fn put_row(buf: &mut Buffer, area: Rect, y: u16, cells: &[String], style: Style, marker: &str) {
    buf.set_stringn(area.x, y, marker, 1, style);
    let end = usize::from(area.x + area.width);
    let mut x = usize::from(area.x) + 1;
    for (cell, (_, width)) in cells.iter().zip(COLUMNS) {
        let text = format!("{cell:>width$}");
        buf.set_stringn(x as u16, y, &text, end.saturating_sub(x), style);
        x += width + 1;
    }
}
