//! Painting one side's tasks onto its rows: blocks when every task can
//! get a cell or two, occupancy shading when there are too many (from the
//! board while the side runs, from its binned busy time once it ended).

use crate::app::live_run::{SideView, Waves};
use crate::app::occupancy::{Occupancy, add_coverage};
use crate::board::TaskSpan;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::style::Style;
use std::ops::Range;
use std::time::{Duration, Instant};

/// Maps a time since the side's start to a column of the track.
pub struct Scale {
    /// Screen column of the track's first cell.
    pub x: u16,
    /// Cells in the track.
    pub width: u16,
    span_secs: f64,
}

impl Scale {
    /// A track of `width` cells at column `x` showing `span` of time.
    pub fn new(x: u16, width: u16, span: Duration) -> Self {
        Self {
            x,
            width,
            span_secs: span.as_secs_f64().max(1e-9),
        }
    }

    /// Fractional position of `t`, in cells from the track's start.
    fn pos(&self, t: Duration) -> f64 {
        (t.as_secs_f64() / self.span_secs * f64::from(self.width)).clamp(0.0, f64::from(self.width))
    }

    /// The time at the left edge of cell `x`.
    fn time(&self, x: usize) -> Duration {
        Duration::from_secs_f64(self.span_secs * x as f64 / f64::from(self.width.max(1)))
    }

    /// The cell boundary nearest to `t` (`width` for the very end).
    pub fn col(&self, t: Duration) -> u16 {
        self.pos(t).round() as u16
    }
}

/// The rows of one side: each row's screen line and the workers it holds.
pub struct SideRows {
    rows: Vec<(u16, Range<usize>)>,
    per_row: usize,
}

impl SideRows {
    /// Rows as `(y, workers)`, `per_row` workers to a row.
    pub fn new(rows: Vec<(u16, Range<usize>)>, per_row: usize) -> Self {
        Self {
            rows,
            per_row: per_row.max(1),
        }
    }

    fn row_of(&self, worker: usize) -> usize {
        (worker / self.per_row).min(self.rows.len().saturating_sub(1))
    }
}

/// What painting found out, for the panel's note.
pub struct Drawn {
    /// Tasks that have ended.
    pub finished: usize,
    /// Whether occupancy shading was used instead of blocks.
    pub occupancy: bool,
}

/// Paints one side at `now`: its tasks, then its cursor while it runs.
pub fn side(
    view: &SideView,
    rows: &SideRows,
    scale: &Scale,
    now: Instant,
    tasks: usize,
    buf: &mut Buffer,
    theme: &Theme,
) -> Drawn {
    if rows.rows.is_empty() {
        return Drawn {
            finished: 0,
            occupancy: false,
        };
    }
    let elapsed = view.elapsed(now);
    let fits = rows.per_row == 1 && tasks.div_ceil(rows.rows.len()) * 2 <= scale.width as usize;
    let spans = view.board.spans().chain(view.board.serial_part());
    let finished = match (fits, &view.occupancy) {
        (true, _) => blocks(spans, rows, scale, (elapsed, tasks), buf, theme),
        (false, Some(binned)) => resampled(binned, rows, scale, buf, theme),
        (false, None) => occupancy(spans, rows, scale, (elapsed, tasks), buf, theme),
    };
    if view.is_running() {
        cursor(rows, scale, scale.col(elapsed), buf, theme);
    }
    Drawn {
        finished,
        occupancy: !fits,
    }
}

fn put(buf: &mut Buffer, x: u16, y: u16, glyph: char, style: Style) {
    if let Some(cell) = buf.cell_mut((x, y)) {
        cell.set_char(glyph).set_style(style);
    }
}

/// Each task as a block from start to end (to now while running), task
/// number inside when it fits with a cell to spare (so two numbers never
/// touch), neighbours in alternating styles.
fn blocks(
    spans: impl Iterator<Item = TaskSpan>,
    rows: &SideRows,
    scale: &Scale,
    (elapsed, tasks): (Duration, usize),
    buf: &mut Buffer,
    theme: &Theme,
) -> usize {
    let mut lanes: Vec<Vec<TaskSpan>> = vec![Vec::new(); rows.rows.len()];
    for span in spans {
        lanes[rows.row_of(span.worker)].push(span);
    }
    let mut finished = 0;
    for (lane, spans) in lanes.iter_mut().enumerate() {
        spans.sort_by_key(|s| s.start);
        let y = rows.rows[lane].0;
        for (k, span) in spans.iter().enumerate() {
            let x0 = scale.col(span.start).min(scale.width.saturating_sub(1));
            let x1 = scale.col(span.end.unwrap_or(elapsed)).max(x0 + 1);
            let (style, fill) = match span.end {
                Some(_) => (theme.task[k % 2], theme.task_fill[k % 2]),
                None => (theme.running, theme.running_fill),
            };
            finished += usize::from(span.task < tasks && span.end.is_some());
            for x in x0..x1 {
                put(buf, scale.x + x, y, fill, style);
            }
            let label = label(*span, tasks, usize::from(x1 - x0));
            if label.len() < usize::from(x1 - x0) {
                buf.set_string(scale.x + x0, y, label, style);
            }
        }
    }
    finished
}

/// A block's label: the task number, or, for the serial part of a
/// `serial-fraction` run (on the board after the `tasks` tasks), its name
/// (short when the block is narrow).
fn label(span: TaskSpan, tasks: usize, width: usize) -> String {
    match (span.task >= tasks, width > "serial part".len()) {
        (true, true) => "serial part".to_string(),
        (true, false) => "S".to_string(),
        (false, _) => span.task.to_string(),
    }
}

/// Shading glyphs for a share of time busy: a quarter, a half, most, all.
fn shade(share: f64) -> Option<char> {
    match share {
        s if s <= 0.005 => None,
        s if s < 0.25 => Some('░'),
        s if s < 0.5 => Some('▒'),
        s if s < 0.85 => Some('▓'),
        _ => Some('█'),
    }
}

/// A finished side's shading, from its binned busy time: no board scan.
fn resampled(
    binned: &Occupancy,
    rows: &SideRows,
    scale: &Scale,
    buf: &mut Buffer,
    theme: &Theme,
) -> usize {
    for (y, workers) in &rows.rows {
        for x in 0..usize::from(scale.width) {
            let share = binned.share(workers.clone(), scale.time(x), scale.time(x + 1));
            if let Some(glyph) = shade(share) {
                put(buf, scale.x + x as u16, *y, glyph, theme.busy);
            }
        }
    }
    binned.finished
}

/// Each cell shaded by the share of its time its row's workers were busy,
/// scanning the board: for a side still running.
fn occupancy(
    spans: impl Iterator<Item = TaskSpan>,
    rows: &SideRows,
    scale: &Scale,
    (elapsed, tasks): (Duration, usize),
    buf: &mut Buffer,
    theme: &Theme,
) -> usize {
    let width = usize::from(scale.width);
    let mut busy = vec![vec![0.0f64; width]; rows.rows.len()];
    let mut finished = 0;
    for span in spans {
        finished += usize::from(span.task < tasks && span.end.is_some());
        let start = scale.pos(span.start);
        let end = scale.pos(span.end.unwrap_or(elapsed));
        add_coverage(&mut busy[rows.row_of(span.worker)], start, end);
    }
    for ((y, workers), cells) in rows.rows.iter().zip(&busy) {
        let lanes = workers.len().max(1) as f64;
        for (x, time) in cells.iter().enumerate() {
            if let Some(glyph) = shade(time / lanes) {
                put(buf, scale.x + x as u16, *y, glyph, theme.busy);
            }
        }
    }
    finished
}

/// The "now" cursor: a line through the empty cells of the running side.
fn cursor(rows: &SideRows, scale: &Scale, col: u16, buf: &mut Buffer, theme: &Theme) {
    if col >= scale.width {
        return;
    }
    for (y, _) in &rows.rows {
        if let Some(cell) = buf
            .cell_mut((scale.x + col, *y))
            .filter(|cell| matches!(cell.symbol(), " " | "┆"))
        {
            cell.set_char('│').set_style(theme.cursor);
        }
    }
}

/// Whether the wave boundaries are at least three cells apart on average,
/// so that marking them helps rather than fills the axis.
pub fn few_enough(waves: &Waves, width: u16) -> bool {
    (waves.count + 1) * 3 <= usize::from(width)
}

/// Faint vertical guides at the ideal wave boundaries, when there are few
/// enough waves to tell apart.
pub fn wave_guides(
    rows: &SideRows,
    scale: &Scale,
    waves: Option<Waves>,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let Some(waves) = waves.filter(|w| few_enough(w, scale.width)) else {
        return;
    };
    for at in waves.boundaries() {
        let col = scale.col(at);
        if col >= scale.width {
            continue;
        }
        for (y, _) in &rows.rows {
            put(buf, scale.x + col, *y, '┆', theme.dim);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shades_grow_with_the_busy_share() {
        assert_eq!(shade(0.0), None);
        assert_eq!(shade(0.1), Some('░'));
        assert_eq!(shade(0.4), Some('▒'));
        assert_eq!(shade(0.7), Some('▓'));
        assert_eq!(shade(1.0), Some('█'));
    }

    #[test]
    fn the_scale_maps_time_to_cells() {
        let scale = Scale::new(10, 60, Duration::from_millis(300));
        assert_eq!(scale.col(Duration::from_millis(100)), 20);
        assert_eq!(scale.col(Duration::from_millis(300)), 60);
        assert_eq!(scale.col(Duration::from_secs(9)), 60);
    }

    #[test]
    fn folded_rows_hold_several_workers() {
        let rows = SideRows::new(vec![(0, 0..4), (1, 4..8)], 4);
        assert_eq!(rows.row_of(3), 0);
        assert_eq!(rows.row_of(5), 1);
        assert_eq!(rows.row_of(99), 1);
    }
}
