//! The speedup chart: the same series and markers as the SVG chart, from
//! the same [`SweepChart`], on a ratatui `Chart` under a legend line.
//!
//! Each series has its own glyph as well as its own colour, so the chart
//! still reads in the `mono` theme: `●` measured points on a line, `·` the
//! ideal, a fine braille line the Amdahl fit, `┊` the core counts.

use crate::app::sweeps::LiveSweep;
use crate::machine::MachineInfo;
use crate::sweep::{ChartQuantity, SweepChart};
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Widget, Wrap};

/// Glyph of the measured points.
const POINT: char = '●';
/// Glyph of the ideal line.
const IDEAL: char = '·';
/// Glyph of the core-count markers.
const MARKER: char = '┊';
/// How the legend shows the braille Amdahl line.
const AMDAHL: &str = "⠒";
/// Points of the Amdahl curve per dash (and per gap) on the chart.
const AMDAHL_DASH: usize = 4;

/// The styles of the four series, from the theme's roles.
struct Styles {
    measured: Style,
    ideal: Style,
    amdahl: Style,
    marker: Style,
}

impl Styles {
    fn of(theme: &Theme) -> Self {
        Self {
            measured: theme.title,
            ideal: theme.good,
            amdahl: theme.warn,
            marker: theme.dim,
        }
    }
}

/// Draws the legend on the first row (two when narrow) and the chart below,
/// its workers axis spanning the whole plan from the first frame.
pub fn render(
    sweep: &LiveSweep,
    machine: &MachineInfo,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    if area.height < 4 || area.width < 20 {
        return;
    }
    let planned = sweep.plan.workers.0.iter().copied().max().unwrap_or(1);
    let chart = match sweep.weak_fit() {
        Some(weak) => SweepChart::weak(&sweep.rows, weak.base, machine),
        None => SweepChart::new(&sweep.rows, sweep.fit.as_ref(), machine),
    }
    .reaching(planned, machine);
    let styles = Styles::of(theme);
    let legend = legend(&chart, sweep, &styles, theme);
    let legend_rows = if legend.width() > usize::from(area.width) {
        2
    } else {
        1
    };
    Paragraph::new(legend)
        .wrap(Wrap { trim: true })
        .render(Rect::new(area.x, area.y, area.width, legend_rows), buf);
    let plot = Rect::new(
        area.x,
        area.y + legend_rows,
        area.width,
        area.height - legend_rows,
    );
    draw_chart(&chart, &styles, theme, plot, buf);
}

/// `● measured  · ideal model  ⠒ Amdahl fit, f = 0.083  ┊ 2 cores · 4 CPUs`.
fn legend(chart: &SweepChart, sweep: &LiveSweep, styles: &Styles, theme: &Theme) -> Line<'static> {
    let markers: Vec<&str> = chart.markers.iter().map(|m| m.label.as_str()).collect();
    let mut entries = vec![
        (POINT.to_string(), "measured".to_string(), styles.measured),
        (
            IDEAL.to_string(),
            ideal_name(chart).to_string(),
            styles.ideal,
        ),
    ];
    if chart.quantity == ChartQuantity::Speedup {
        let amdahl = match sweep.fit.as_ref().map(|fit| fit.serial_fraction) {
            Some(Some(f)) => format!("Amdahl fit, f = {f:.3}"),
            Some(None) => "Amdahl: no fit".to_string(),
            None => "Amdahl fit".to_string(),
        };
        entries.push((AMDAHL.to_string(), amdahl, styles.amdahl));
    }
    if !markers.is_empty() {
        entries.push((MARKER.to_string(), markers.join(" · "), styles.marker));
    }
    let mut spans = Vec::new();
    for (glyph, name, style) in entries {
        spans.push(Span::styled(format!(" {glyph} "), style));
        spans.push(Span::styled(format!("{name} "), theme.text));
    }
    Line::from(spans)
}

/// The ideal's legend entry: the model, or flat T(1) for a weak sweep.
fn ideal_name(chart: &SweepChart) -> &'static str {
    match chart.quantity {
        ChartQuantity::Speedup => "ideal model",
        ChartQuantity::TimeMs => "ideal: flat at T(1)",
    }
}

/// The ratatui chart: markers first, so every series is drawn over them;
/// the Amdahl fit in dashes over the measured line; the measured points
/// last, on top of everything.
fn draw_chart(chart: &SweepChart, styles: &Styles, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let top = chart.y_bounds[1];
    let markers: Vec<[(f64, f64); 2]> = chart
        .markers
        .iter()
        .map(|m| [(m.workers as f64, 0.0), (m.workers as f64, top)])
        .collect();
    let line = |data, marker, style| {
        Dataset::default()
            .data(data)
            .marker(marker)
            .graph_type(GraphType::Line)
            .style(style)
    };
    let mut datasets: Vec<Dataset> = markers
        .iter()
        .map(|m| line(&m[..], Marker::Custom(MARKER), styles.marker))
        .collect();
    datasets.push(line(&chart.ideal, Marker::Custom(IDEAL), styles.ideal));
    datasets.push(line(&chart.measured, Marker::Braille, styles.measured));
    // The Amdahl fit goes over the measured line in dashes: where the two
    // agree, both still show (drawn whole, one would hide the other).
    let dashes = chart.amdahl.chunks(AMDAHL_DASH).step_by(2);
    datasets.extend(dashes.map(|dash| line(dash, Marker::Braille, styles.amdahl)));
    datasets.push(
        Dataset::default()
            .data(&chart.measured)
            .marker(Marker::Custom(POINT))
            .graph_type(GraphType::Scatter)
            .style(styles.measured),
    );
    Chart::new(datasets)
        .x_axis(
            Axis::default()
                .title(Span::styled("workers", theme.dim))
                .bounds(chart.x_bounds)
                .labels(labels(chart.x_bounds[1], ""))
                .style(theme.dim),
        )
        .y_axis(
            Axis::default()
                .title(Span::styled(chart.quantity.short_title(), theme.dim))
                .bounds(chart.y_bounds)
                .labels(labels(chart.y_bounds[1], chart.quantity.unit()))
                .style(theme.dim),
        )
        .render(area, buf);
}

/// Labels at 0, half the axis and its end: ratatui spreads labels evenly,
/// and three are placed exactly wherever the axis ends.
fn labels(end: f64, unit: &str) -> Vec<String> {
    [0.0, end / 2.0, end]
        .iter()
        .map(|v| format!("{}{unit}", trimmed(*v)))
        .collect()
}

/// A value with at most two decimals and no trailing zeros: `2`, `1.25`.
fn trimmed(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_labels_are_short_and_exact() {
        assert_eq!(labels(4.0, ""), ["0", "2", "4"]);
        assert_eq!(labels(2.5, "×"), ["0×", "1.25×", "2.5×"]);
        assert_eq!(labels(3.0, ""), ["0", "1.5", "3"]);
        assert_eq!(trimmed(10.0), "10");
    }
}
