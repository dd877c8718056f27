//! Per-core activity: a bar per logical CPU, hyperthread siblings of one
//! physical core on one line. When the bars cannot fit (64 CPUs and more
//! in a small window) it switches to a compact grid of one cell per CPU,
//! siblings side by side. On a hybrid processor each bar's label ends in
//! P (performance core) or E (efficiency core).

use super::panel;
use crate::app::App;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Narrowest bar worth drawing, in cells.
const MIN_BAR: usize = 5;
/// Widest bar: longer bars add no precision.
const MAX_BAR: usize = 30;
/// Blank columns between columns of bars.
const COLUMN_GAP: usize = 3;
/// Glyphs for a compact cell, from idle to busy.
const LEVELS: [char; 9] = ['·', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Content rows the panel would use at `width` columns: one line per
/// physical core, in columns if need be.
pub fn rows_wanted(app: &App, width: u16) -> u16 {
    let groups = app.machine.core_groups.len().max(1);
    let columns = (1..=groups)
        .find(|c| bar_width(app, width as usize, *c).is_some())
        .unwrap_or(groups);
    groups.div_ceil(columns).min(32) as u16
}

/// Draws the panel.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let m = &app.machine;
    let siblings = m.core_groups.iter().any(|g| g.len() > 1);
    let rows = area.height.saturating_sub(1).max(1) as usize;
    let columns = m.core_groups.len().max(1).div_ceil(rows);
    let bars = bar_width(app, area.width as usize, columns);
    let note = match (bars.is_some(), siblings) {
        (true, true) => "a line per physical core",
        (true, false) => "a bar per CPU",
        (false, true) => "a cell per CPU, siblings paired",
        (false, false) => "a cell per CPU ▁ idle █ busy",
    };
    let inner = panel(area, buf, "CPU usage", note, theme);
    match bars {
        Some(width) => draw_bars(app, inner, buf, theme, columns, width),
        None => draw_grid(app, inner, buf, theme),
    }
}

/// Characters of the widest label, `cpu127` (`cpu127P` on a hybrid
/// processor).
fn label_width(app: &App) -> usize {
    label(app, app.machine.logical_cpus.saturating_sub(1)).len()
}

/// A bar's label: `cpu3`, with its kind's letter where the OS tells it.
fn label(app: &App, cpu: usize) -> String {
    match app.machine.kind_of(cpu) {
        Some(kind) => format!("cpu{cpu}{}", kind.letter()),
        None => format!("cpu{cpu}"),
    }
}

/// Bar length that fits `columns` columns of core lines in `width`, or
/// `None` when even the narrowest bars do not fit.
fn bar_width(app: &App, width: usize, columns: usize) -> Option<usize> {
    let per_core = app.machine.core_groups.iter().map(Vec::len).max()?;
    let column = (width + COLUMN_GAP)
        .checked_div(columns)?
        .checked_sub(COLUMN_GAP)?;
    let per_cpu = column.saturating_sub(2 * (per_core - 1)) / per_core;
    let bar = per_cpu.checked_sub(label_width(app) + 6)?;
    (bar >= MIN_BAR).then_some(bar.min(MAX_BAR))
}

fn usage(app: &App, cpu: usize) -> Option<f32> {
    app.cores.get(cpu).copied()
}

fn draw_bars(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme, columns: usize, bar: usize) {
    let rows = area.height.max(1) as usize;
    let label = label_width(app);
    let per_core = app
        .machine
        .core_groups
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(1);
    let column_width = per_core * (label + bar + 6) + 2 * (per_core - 1) + COLUMN_GAP;
    for (index, group) in app.machine.core_groups.iter().enumerate() {
        let (column, row) = (index / rows, index % rows);
        if column >= columns || row >= area.height as usize {
            continue;
        }
        let mut x = area.x as usize + column * column_width;
        let y = area.y + row as u16;
        for &cpu in group {
            let text = format!("{:<label$} ", self::label(app, cpu));
            buf.set_string(x as u16, y, &text, theme.text);
            x += text.len();
            draw_bar(buf, x as u16, y, bar, usage(app, cpu), theme);
            x += bar + 7;
        }
    }
}

/// One bar with eighth-block precision and its percentage.
fn draw_bar(buf: &mut Buffer, x: u16, y: u16, width: usize, usage: Option<f32>, theme: &Theme) {
    let Some(percent) = usage else {
        buf.set_string(x, y, "·".repeat(width) + "   …", theme.dim);
        return;
    };
    let style = theme.usage(percent);
    let eighths = ((percent.clamp(0.0, 100.0) / 100.0) * (width * 8) as f32).round() as usize;
    let mut bar = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        bar.push([' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8]);
    }
    let filled = bar.chars().count();
    buf.set_string(x, y, &bar, style);
    buf.set_string(x + filled as u16, y, "·".repeat(width - filled), theme.dim);
    buf.set_string(x + width as u16, y, format!(" {percent:>3.0}%"), style);
}

/// The compact grid: a row label with its first CPU, then one cell per CPU,
/// a space between physical cores when the width allows.
fn draw_grid(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let groups = &app.machine.core_groups;
    let label = label_width(app) + 1;
    let cells = (area.width as usize).saturating_sub(label);
    let per_core = groups.iter().map(Vec::len).max().unwrap_or(1);
    let fits = |gap: usize| {
        let per_row = ((cells + gap) / (per_core + gap)).max(1);
        (groups.len().div_ceil(per_row) <= area.height as usize).then_some((gap, per_row))
    };
    let (gap, per_row) = fits(1)
        .or_else(|| fits(0))
        .unwrap_or((0, (cells / per_core).max(1)));
    for (row, chunk) in groups.chunks(per_row).enumerate() {
        if row >= area.height as usize {
            break;
        }
        let y = area.y + row as u16;
        let first = chunk.first().and_then(|g| g.first()).copied().unwrap_or(0);
        buf.set_string(area.x, y, format!("cpu{first}"), theme.dim);
        let mut x = area.x + label as u16;
        for group in chunk {
            for &cpu in group {
                let (glyph, style) = match usage(app, cpu) {
                    Some(p) => (
                        LEVELS[((p.clamp(0.0, 100.0) / 12.5).ceil()) as usize],
                        theme.usage(p),
                    ),
                    None => ('·', theme.dim),
                };
                if let Some(cell) = buf.cell_mut((x, y)) {
                    cell.set_char(glyph).set_style(style);
                }
                x += 1;
            }
            x += gap as u16;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::app::test_support::app_on;
    use crate::machine::MachineInfo;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn a_hybrid_processor_s_bars_say_p_or_e() {
        let app = app_on(MachineInfo::synthetic_hybrid(2, 2, 0.5));
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| crate::ui::render(&app, frame))
            .unwrap();
        let buffer = terminal.backend().buffer();
        let text: String = (0..buffer.area.height)
            .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
            .map(|(x, y)| buffer[(x, y)].symbol().to_string())
            .collect();
        for label in ["cpu0P", "cpu1P", "cpu2E", "cpu3E"] {
            assert!(text.contains(label), "{label}: {text}");
        }
        let plain = app_on(MachineInfo::synthetic(2, 2));
        terminal
            .draw(|frame| crate::ui::render(&plain, frame))
            .unwrap();
        let buffer = terminal.backend().buffer();
        let text: String = (0..buffer.area.width)
            .flat_map(|x| (0..buffer.area.height).map(move |y| (x, y)))
            .map(|(x, y)| buffer[(x, y)].symbol().to_string())
            .collect();
        assert!(!text.contains("cpu0P"));
    }
}
