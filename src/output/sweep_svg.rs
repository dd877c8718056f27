//! The sweep as an SVG chart for a slide: measured speedup (points and
//! line), the ideal, the fitted Amdahl curve and markers at the core
//! counts, with labelled axes, a legend and a title naming the workload and
//! the machine.
//!
//! The series come from [`SweepChart`], the same data the TUI draws.

use crate::output::svg::{Anchor, Svg};
use crate::output::units::{counted, format_duration, format_ms, format_ratio};
use crate::sweep::{ChartQuantity, SweepChart, SweepResult};

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 640.0;
/// The plot area inside the margins: left, top, right, bottom. The legend
/// sits above it, so it never hides a point whatever the curve's shape.
const PLOT: [f64; 4] = [90.0, 140.0, WIDTH - 40.0, HEIGHT - 80.0];

const MEASURED: &str = "#0072B2";
const MEASURED_LINE: &str = r##"stroke="#0072B2" stroke-width="3""##;
const IDEAL_LINE: &str = r##"stroke="#009E73" stroke-width="2.5" stroke-dasharray="9 6""##;
const AMDAHL_LINE: &str = r##"stroke="#D55E00" stroke-width="2.5" stroke-dasharray="2 4""##;
const MARKER_LINE: &str = r##"stroke="#777777" stroke-width="1.5" stroke-dasharray="3 5""##;

/// Maps chart values to pixels inside [`PLOT`].
struct Frame {
    x_max: f64,
    y_max: f64,
}

impl Frame {
    fn at(&self, (workers, speedup): (f64, f64)) -> (f64, f64) {
        let [left, top, right, bottom] = PLOT;
        (
            left + workers / self.x_max * (right - left),
            bottom - speedup.clamp(0.0, self.y_max) / self.y_max * (bottom - top),
        )
    }
}

/// The chart of `report` as a standalone SVG document.
pub fn sweep_svg(report: &SweepResult) -> String {
    let chart = report.chart();
    let frame = Frame {
        x_max: chart.x_bounds[1],
        y_max: chart.y_bounds[1],
    };
    let mut svg = Svg::new(WIDTH, HEIGHT);
    draw_titles(&mut svg, report);
    draw_axes(&mut svg, &chart, &frame);
    draw_markers(&mut svg, &chart, &frame);
    draw_series(&mut svg, &chart, &frame);
    draw_legend(&mut svg, report, &chart);
    svg.finish()
}

fn draw_titles(svg: &mut Svg, r: &SweepResult) {
    svg.text(
        (WIDTH / 2.0, 34.0),
        Anchor::Middle,
        22.0,
        0.0,
        &match r.weak {
            None => format!(
                "Speedup over workers: {} × {} ({})",
                counted(r.work.tasks, "task"),
                format_ms(r.work.task_ms),
                r.work.workload.name()
            ),
            Some(_) => format!(
                "Weak scaling: {} × {} per worker ({})",
                counted(r.work.tasks, "task"),
                format_ms(r.work.task_ms),
                r.work.workload.name()
            ),
        },
    );
    svg.text(
        (WIDTH / 2.0, 60.0),
        Anchor::Middle,
        14.0,
        0.0,
        &format!(
            "{} · serial {} · {} per point",
            r.machine.summary(),
            format_duration(r.serial.median),
            match r.rounds.repeat {
                1 => "1 run".to_string(),
                n => format!("median of {n} runs"),
            }
        ),
    );
    let knee = match &r.weak {
        Some(weak) => format!("flat up to {}", counted(weak.flat_until, "worker")),
        None => r.fit.knee_workers.map_or("no knee yet".to_string(), |w| {
            format!("knee at {}", counted(w, "worker"))
        }),
    };
    svg.text(
        (WIDTH - 40.0, HEIGHT - 16.0),
        Anchor::End,
        13.0,
        0.0,
        &match r.weak {
            None => format!(
                "model: {} · {knee} · measured by parlab",
                r.fit.model.name()
            ),
            Some(_) => format!("weak scaling · {knee} · measured by parlab"),
        },
    );
}

fn draw_axes(svg: &mut Svg, chart: &SweepChart, frame: &Frame) {
    let [left, top, right, bottom] = PLOT;
    svg.group("axes", |svg| {
        for y in chart.y_ticks() {
            let (_, py) = frame.at((0.0, y));
            svg.line((left, py), (right, py), r##"stroke="#e4e4e4""##);
            svg.text((left - 8.0, py + 5.0), Anchor::End, 13.0, 0.0, &tick(y));
        }
        for x in chart.x_ticks() {
            let (px, _) = frame.at((x, 0.0));
            svg.line((px, bottom), (px, bottom + 6.0), r##"stroke="#222""##);
            svg.text((px, bottom + 22.0), Anchor::Middle, 13.0, 0.0, &tick(x));
        }
        svg.line((left, bottom), (right, bottom), r##"stroke="#222""##);
        svg.line((left, top), (left, bottom), r##"stroke="#222""##);
        svg.text(
            ((left + right) / 2.0, bottom + 48.0),
            Anchor::Middle,
            15.0,
            0.0,
            "workers (threads in the pool)",
        );
        svg.text(
            (28.0, (top + bottom) / 2.0),
            Anchor::Middle,
            15.0,
            -90.0,
            chart.quantity.axis_title(),
        );
    });
}

/// A tick value without needless decimals: `4`, `2.5`.
fn tick(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").unwrap_or(&text).to_string()
}

fn draw_markers(svg: &mut Svg, chart: &SweepChart, frame: &Frame) {
    let [_, top, _, bottom] = PLOT;
    svg.group("core-markers", |svg| {
        for marker in &chart.markers {
            let (px, _) = frame.at((marker.workers as f64, 0.0));
            svg.line((px, top), (px, bottom), MARKER_LINE);
            svg.text(
                (px + 5.0, top + 14.0),
                Anchor::Start,
                13.0,
                0.0,
                &marker.label,
            );
        }
    });
}

fn draw_series(svg: &mut Svg, chart: &SweepChart, frame: &Frame) {
    let pixels = |points: &[(f64, f64)]| points.iter().map(|p| frame.at(*p)).collect::<Vec<_>>();
    svg.group("measured-line", |svg| {
        svg.polyline(&pixels(&chart.measured), MEASURED_LINE);
    });
    // The models go over the measured line: where they agree, the dashes
    // still show on top of it.
    svg.group("ideal", |svg| {
        svg.polyline(&pixels(&chart.ideal), IDEAL_LINE)
    });
    svg.group("amdahl", |svg| {
        svg.polyline(&pixels(&chart.amdahl), AMDAHL_LINE)
    });
    svg.group("measured-points", |svg| {
        let labelled = chart.measured.len() <= 12;
        for &point in &chart.measured {
            let at = frame.at(point);
            svg.circle(at, 5.0, &format!(r#"fill="{MEASURED}""#));
            if labelled {
                let label = match chart.quantity {
                    ChartQuantity::Speedup => format_ratio(point.1),
                    ChartQuantity::TimeMs => format_ms(point.1),
                };
                // Labels near the right edge go to the left of their point.
                let (dx, anchor) = if at.0 > PLOT[2] - 60.0 {
                    (-8.0, Anchor::End)
                } else {
                    (8.0, Anchor::Start)
                };
                svg.text((at.0 + dx, at.1 + 18.0), anchor, 12.0, 0.0, &label);
            }
        }
    });
}

/// Two rows of two entries between the subtitle and the plot.
fn draw_legend(svg: &mut Svg, r: &SweepResult, chart: &SweepChart) {
    let entries = [
        (MEASURED_LINE, chart.quantity.measured_label().to_string()),
        (IDEAL_LINE, chart.quantity.ideal_label().to_string()),
        (
            AMDAHL_LINE,
            match (&r.weak, r.fit.serial_fraction) {
                (Some(_), _) => "Amdahl: none, the problem grows".to_string(),
                (None, Some(_)) => format!("Amdahl fit, {}", r.fit.fraction_text()),
                (None, None) => "Amdahl: no fit".to_string(),
            },
        ),
        (MARKER_LINE, "physical cores / logical CPUs".to_string()),
    ];
    svg.group("legend", |svg| {
        for (i, (style, label)) in entries.iter().enumerate() {
            let x = PLOT[0] + 20.0 + 420.0 * (i % 2) as f64;
            let y = 94.0 + 24.0 * (i / 2) as f64;
            svg.line((x, y - 5.0), (x + 36.0, y - 5.0), style);
            svg.text((x + 46.0, y), Anchor::Start, 14.0, 0.0, label);
        }
        svg.circle(
            (PLOT[0] + 38.0, 89.0),
            5.0,
            &format!(r#"fill="{MEASURED}""#),
        );
    });
}
