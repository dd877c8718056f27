//! The timing table: one row per run of the session, newest last and
//! highlighted, with live progress while a run goes and "cancelled" for a
//! run stopped with Esc.

use crate::app::App;
use crate::app::live_run::{LiveRun, Row, RunStatus, Stage};
use crate::measure::RunResult;
use crate::theme::Theme;
use crate::units::{format_duration, format_percent, format_ratio};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::time::Duration;

/// Column headers and widths; the first is left-aligned.
const NARROW: [(&str, usize); 9] = [
    ("workload", 8),
    ("tasks", 7),
    ("workers", 10),
    ("serial", 8),
    ("parallel", 8),
    ("ideal", 7),
    ("speedup", 7),
    ("effic.", 7),
    ("CPU par", 8),
];

/// Windows this wide also show the serial side's CPU time.
const WIDE_FROM: u16 = 100;

/// Draws the table; the header row first, then as many of the newest rows
/// as fit.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let wide = area.width >= WIDE_FROM;
    let mut header: Vec<String> = NARROW.iter().map(|(h, _)| h.to_string()).collect();
    if wide {
        header.insert(8, "CPU (ser)".to_string());
    }
    put_row(buf, area, area.y, &header, wide, theme.header, " ");
    let visible = usize::from(area.height - 1);
    if app.lab.rows.is_empty() {
        let hint = "no runs yet: r runs the settings above, serial then parallel";
        buf.set_stringn(
            area.x + 1,
            area.y + 1,
            hint,
            usize::from(area.width),
            theme.dim,
        );
        return;
    }
    let first = app.lab.rows.len().saturating_sub(visible);
    for (i, row) in app.lab.rows[first..].iter().enumerate() {
        let newest = first + i + 1 == app.lab.rows.len();
        let style = if newest { theme.newest } else { theme.text };
        let cells = cells(row, app.lab.run.as_ref().filter(|_| newest), app, wide);
        let y = area.y + 1 + i as u16;
        put_row(
            buf,
            area,
            y,
            &cells,
            wide,
            style,
            if newest { "▶" } else { " " },
        );
        if let RunStatus::Cancelled { .. } | RunStatus::Failed(_) = row.status {
            let x = area.x + 1 + columns_before(5, wide) as u16;
            let word = if matches!(row.status, RunStatus::Failed(_)) {
                "failed"
            } else {
                "cancelled"
            };
            buf.set_string(x, y, word, theme.warn);
        }
    }
}

fn widths(wide: bool) -> Vec<usize> {
    let mut widths: Vec<usize> = NARROW.iter().map(|(_, w)| *w).collect();
    if wide {
        widths.insert(8, 9);
    }
    widths
}

/// Screen columns taken by the first `n` columns and their gaps.
fn columns_before(n: usize, wide: bool) -> usize {
    widths(wide).iter().take(n).map(|w| w + 1).sum()
}

/// Writes one row: a marker column, then each cell padded to its column;
/// a cell past the last column (progress text) runs on to the edge.
fn put_row(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    cells: &[String],
    wide: bool,
    style: Style,
    marker: &str,
) {
    buf.set_stringn(area.x, y, marker, 1, style);
    let mut x = usize::from(area.x) + 1;
    let end = usize::from(area.x + area.width);
    for (i, (cell, width)) in cells.iter().zip(widths(wide)).enumerate() {
        let text = if i == 0 {
            format!("{:<width$}", shorten(cell, width))
        } else if cell.chars().count() > width {
            cell.clone()
        } else {
            format!("{cell:>width$}")
        };
        buf.set_stringn(x as u16, y, &text, end.saturating_sub(x), style);
        x += width + 1;
    }
}

fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// The cells of one row; `live` is the run behind the newest row.
fn cells(row: &Row, live: Option<&LiveRun>, app: &App, wide: bool) -> Vec<String> {
    let spec = &row.spec;
    let mut cells = vec![
        spec.workload.name().to_string(),
        spec.tasks.to_string(),
        workers_cell(spec),
    ];
    match &row.status {
        RunStatus::Done(report, _) => cells.extend(done_cells(report, wide)),
        RunStatus::Running => {
            cells.extend(live.map(|run| running_cells(run, app)).unwrap_or_default())
        }
        RunStatus::Cancelled { serial } => {
            cells.push(serial.map_or("—".to_string(), format_duration));
            cells.push("—".to_string());
        }
        RunStatus::Failed(_) => cells.extend(["—".to_string(), "—".to_string()]),
    }
    cells
}

/// The worker count, tagged with what hands the tasks out when it is not
/// the default: the pool (`8 proc`, `8 py-p`, `8 py-t`), else the schedule
/// (`2 stat`, `2 dyn/1000`), and the chunk wherever one is taken (a Python
/// pool's chunksize too: `8 py-p/4`), so rows that differ only in that
/// differ.
fn workers_cell(spec: &crate::config::Work) -> String {
    let tag = match spec.pool.tag() {
        "" => spec.schedule.tag(),
        pool => pool,
    };
    let chunk = match spec.schedule {
        crate::schedule::Schedule::Dynamic { chunk } => format!("/{chunk}"),
        _ => String::new(),
    };
    match tag {
        "" => spec.workers.to_string(),
        tag => format!("{} {tag}{chunk}", spec.workers),
    }
}

fn done_cells(r: &RunResult, wide: bool) -> Vec<String> {
    let mut cells = vec![
        format_duration(r.serial_time),
        format_duration(r.parallel_time),
        format_duration(r.ideal_time),
        format_ratio(r.speedup) + if r.results_match { "" } else { "!" },
        format_percent(r.efficiency),
    ];
    if wide {
        cells.push(format_duration(r.serial.cpu));
    }
    cells.push(format_duration(r.parallel.cpu));
    cells
}

/// Live cells: each side's elapsed time so far, then the progress.
fn running_cells(run: &LiveRun, app: &App) -> Vec<String> {
    let elapsed = |d: Duration| format!("{}…", format_duration(d));
    let serial = run.serial.as_ref().map(|s| match s.wall {
        Some(wall) => format_duration(wall),
        None => elapsed(s.elapsed(app.now)),
    });
    let parallel = run.parallel.as_ref().map(|p| elapsed(p.elapsed(app.now)));
    let tasks = run.spec.tasks;
    let progress = match (run.stage(), &run.serial, &run.parallel) {
        _ if run.cancelling => "  cancelling…".to_string(),
        (Stage::Serial, Some(side), _) => {
            format!("  serial {}/{tasks} tasks", side.finished_tasks())
        }
        (Stage::Parallel, _, Some(side)) => {
            format!("  parallel {}/{tasks} tasks", side.finished_tasks())
        }
        _ => "  preparing…".to_string(),
    };
    vec![
        serial.unwrap_or_default(),
        parallel.unwrap_or_default(),
        progress,
    ]
}

#[cfg(test)]
mod tests {
    //! The worker cell tells rows apart by what hands the tasks out.

    use super::workers_cell;
    use crate::config::Work;
    use crate::pool::Pool;
    use crate::schedule::Schedule;

    #[test]
    fn the_workers_cell_shows_the_schedule_and_its_chunk() {
        let with = |pool, schedule| {
            workers_cell(&Work {
                workers: 2,
                pool,
                schedule,
                ..Work::SEED_DEMO
            })
        };
        assert_eq!(with(Pool::Threads, Schedule::Steal), "2");
        assert_eq!(with(Pool::Threads, Schedule::Static), "2 stat");
        assert_eq!(
            with(Pool::Threads, Schedule::Dynamic { chunk: 1 }),
            "2 dyn/1"
        );
        assert_eq!(
            with(Pool::Threads, Schedule::Dynamic { chunk: 1000 }),
            "2 dyn/1000"
        );
        assert_eq!(
            with(Pool::PythonProcesses, Schedule::Dynamic { chunk: 4 }),
            "2 py-p/4"
        );
        assert!(with(Pool::Threads, Schedule::Dynamic { chunk: 1000 }).len() <= 10);
    }
}
