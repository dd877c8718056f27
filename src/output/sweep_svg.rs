//! The sweep as an SVG chart for a slide: measured speedup (points and
//! line), the ideal, the fitted Amdahl curve and markers at the core
//! counts, with labelled axes, a legend and a title naming the workload and
//! the machine.
//!
//! The series come from [`SweepChart`], the same data the TUI draws; each
//! point carries an error bar from its fastest to its slowest run, and
//! every label is placed where it crosses no line, bar or other label.

use crate::output::svg::{Anchor, Svg};
use crate::sweep::{ChartQuantity, SweepChart, SweepResult};
use crate::units::{counted, format_duration, format_ms, format_ratio};

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
const ERROR_BAR: &str = r##"stroke="#0072B2" stroke-width="1.5""##;
/// Size of a point label's text, and the width of one of its characters.
const LABEL_SIZE: f64 = 12.0;
const LABEL_CHAR_W: f64 = 7.0;

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
    let bars = error_bars(report, chart.quantity);
    let frame = Frame {
        x_max: chart.x_bounds[1],
        y_max: chart.y_bounds[1],
    };
    let mut svg = Svg::new(WIDTH, HEIGHT);
    draw_titles(&mut svg, report);
    draw_axes(&mut svg, &chart, &frame);
    draw_markers(&mut svg, &chart, &frame);
    draw_series(&mut svg, &chart, &bars, &frame);
    draw_legend(&mut svg, report, &chart);
    svg.finish()
}

/// Each row's spread as (workers, low, high) in the chart's quantity:
/// the speedups of its slowest and fastest run, or those times.
fn error_bars(report: &SweepResult, quantity: ChartQuantity) -> Vec<(f64, f64, f64)> {
    report
        .rows
        .iter()
        .map(|row| {
            let (fast, slow) = (row.parallel.min, row.parallel.max);
            let w = row.workers as f64;
            match quantity {
                ChartQuantity::Speedup => (
                    w,
                    crate::stats::speedup(row.serial, slow),
                    crate::stats::speedup(row.serial, fast),
                ),
                ChartQuantity::TimeMs => (w, fast.as_secs_f64() * 1e3, slow.as_secs_f64() * 1e3),
            }
        })
        .collect()
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
    // A busy machine is said as plainly as in the text output, and then
    // no model names a cause for a shortfall.
    let busy = if r.busy {
        " · machine busy: other programs used the CPUs"
    } else {
        ""
    };
    svg.text(
        (WIDTH - 40.0, HEIGHT - 16.0),
        Anchor::End,
        13.0,
        0.0,
        &match r.weak {
            None => format!(
                "model: {} · {knee}{busy} · measured by parlab",
                crate::output::sweep::model_name(r)
            ),
            Some(_) => format!("weak scaling · {knee}{busy} · measured by parlab"),
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

fn draw_series(svg: &mut Svg, chart: &SweepChart, bars: &[(f64, f64, f64)], frame: &Frame) {
    let pixels = |points: &[(f64, f64)]| points.iter().map(|p| frame.at(*p)).collect::<Vec<_>>();
    let bar_segments: Vec<Segment> = bars
        .iter()
        .map(|&(w, low, high)| (frame.at((w, low)), frame.at((w, high))))
        .collect();
    svg.group("error-bars", |svg| {
        for &(low, high) in &bar_segments {
            if (low.1 - high.1).abs() < 1.0 {
                continue;
            }
            svg.line(low, high, ERROR_BAR);
            for end in [low, high] {
                svg.line((end.0 - 5.0, end.1), (end.0 + 5.0, end.1), ERROR_BAR);
            }
        }
    });
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
    let [_, top, _, bottom] = PLOT;
    let mut obstacles: Vec<Segment> = bar_segments;
    for line in [&chart.measured, &chart.ideal, &chart.amdahl] {
        let points = pixels(line);
        obstacles.extend(points.windows(2).map(|pair| (pair[0], pair[1])));
    }
    for marker in &chart.markers {
        let (px, _) = frame.at((marker.workers as f64, 0.0));
        obstacles.push(((px, top), (px, bottom)));
    }
    let points = pixels(&chart.measured);
    svg.group("measured-points", |svg| {
        for &at in &points {
            svg.circle(at, 5.0, &format!(r#"fill="{MEASURED}""#));
        }
        if points.len() > 12 {
            return;
        }
        let labels: Vec<String> = chart
            .measured
            .iter()
            .map(|point| match chart.quantity {
                ChartQuantity::Speedup => format_ratio(point.1),
                ChartQuantity::TimeMs => format_ms(point.1),
            })
            .collect();
        for (label, (x, y, anchor)) in labels
            .iter()
            .zip(place_labels(&points, &labels, &obstacles))
        {
            svg.text((x, y), anchor, LABEL_SIZE, 0.0, label);
        }
    });
}

/// A line from one pixel to another.
type Segment = ((f64, f64), (f64, f64));
/// A box: left, top, right, bottom.
type Box = [f64; 4];

/// Where each point's label goes: the first of eight places around its
/// point whose box stays in the plot and crosses no obstacle, no point
/// and no label placed before it; failing that, the place with the fewest
/// crossings. Returns the text's anchor point and alignment.
fn place_labels(
    points: &[(f64, f64)],
    labels: &[String],
    obstacles: &[Segment],
) -> Vec<(f64, f64, Anchor)> {
    let [left, top, right, bottom] = PLOT;
    let mut taken: Vec<Box> = points
        .iter()
        .map(|&(x, y)| [x - 6.0, y - 6.0, x + 6.0, y + 6.0])
        .collect();
    let mut placed = Vec::with_capacity(points.len());
    for (&(x, y), label) in points.iter().zip(labels) {
        let width = label.chars().count() as f64 * LABEL_CHAR_W;
        // (dx, dy) from the point to the text's baseline start or end.
        let places = [
            (10.0, -10.0, Anchor::Start),
            (10.0, 20.0, Anchor::Start),
            (-10.0, -10.0, Anchor::End),
            (-10.0, 20.0, Anchor::End),
            (10.0, 5.0, Anchor::Start),
            (-10.0, 5.0, Anchor::End),
            (0.0, -14.0, Anchor::Middle),
            (0.0, 26.0, Anchor::Middle),
        ];
        let boxed = |&(dx, dy, anchor): &(f64, f64, Anchor)| -> Box {
            let start = match anchor {
                Anchor::Start => x + dx,
                Anchor::Middle => x + dx - width / 2.0,
                Anchor::End => x + dx - width,
            };
            [start, y + dy - LABEL_SIZE, start + width, y + dy + 3.0]
        };
        let crossings = |b: &Box| {
            let outside = b[0] < left || b[2] > right || b[1] < top || b[3] > bottom;
            usize::from(outside) * 100
                + obstacles.iter().filter(|s| crosses(s, b)).count()
                + taken.iter().filter(|t| overlaps(t, b)).count()
        };
        let best = places
            .iter()
            .min_by_key(|place| crossings(&boxed(place)))
            .copied()
            .unwrap_or(places[0]);
        taken.push(boxed(&best));
        placed.push((x + best.0, y + best.1, best.2));
    }
    placed
}

fn overlaps(a: &Box, b: &Box) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Whether segment `s` passes through box `b` (Liang–Barsky clipping).
fn crosses(&((x0, y0), (x1, y1)): &Segment, b: &Box) -> bool {
    let (dx, dy) = (x1 - x0, y1 - y0);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, x0 - b[0]),
        (dx, b[2] - x0),
        (-dy, y0 - b[1]),
        (dy, b[3] - y0),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 <= t1
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::test_support::cpu_report;
    use std::time::Duration;

    /// Every segment of the lines, polylines and error bars in `svg`.
    fn segments(doc: &roxmltree::Document) -> Vec<Segment> {
        let number = |n: &roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
        let mut out = Vec::new();
        for id in [
            "measured-line",
            "ideal",
            "amdahl",
            "error-bars",
            "core-markers",
        ] {
            let group = doc
                .descendants()
                .find(|n| n.attribute("id") == Some(id))
                .unwrap();
            for n in group.descendants() {
                if n.has_tag_name("line") {
                    let a = (number(&n, "x1"), number(&n, "y1"));
                    out.push((a, (number(&n, "x2"), number(&n, "y2"))));
                }
                if let Some(points) = n.attribute("points") {
                    let points: Vec<(f64, f64)> = points
                        .split(' ')
                        .map(|p| {
                            let (x, y) = p.split_once(',').unwrap();
                            (x.parse().unwrap(), y.parse().unwrap())
                        })
                        .collect();
                    out.extend(points.windows(2).map(|w| (w[0], w[1])));
                }
            }
        }
        out
    }

    /// The boxes of the point labels, from their position, anchor and text.
    fn label_boxes(doc: &roxmltree::Document) -> Vec<Box> {
        let group = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("measured-points"))
            .unwrap();
        group
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                let x: f64 = n.attribute("x").unwrap().parse().unwrap();
                let y: f64 = n.attribute("y").unwrap().parse().unwrap();
                let width = n.text().unwrap().chars().count() as f64 * LABEL_CHAR_W;
                let start = match n.attribute("text-anchor") {
                    Some("end") => x - width,
                    Some("middle") => x - width / 2.0,
                    _ => x,
                };
                [start, y - LABEL_SIZE, start + width, y + 3.0]
            })
            .collect()
    }

    /// A sweep whose runs spread widely, on a busy machine, with a point
    /// at the right edge below the one before it.
    fn spread_busy_report() -> SweepResult {
        let mut report = cpu_report();
        for (row, (fast, slow)) in
            report
                .rows
                .iter_mut()
                .zip([(300, 360), (150, 200), (90, 140), (95, 180)])
        {
            row.parallel.min = Duration::from_millis(fast);
            row.parallel.max = Duration::from_millis(slow);
        }
        report.busy = true;
        report
    }

    #[test]
    fn every_point_has_its_spread_and_no_label_crosses_a_line_or_a_label() {
        for report in [cpu_report(), spread_busy_report()] {
            let text = sweep_svg(&report);
            let doc = roxmltree::Document::parse(&text).unwrap();
            let boxes = label_boxes(&doc);
            assert_eq!(boxes.len(), report.rows.len());
            let lines = segments(&doc);
            for (i, b) in boxes.iter().enumerate() {
                let crossed: Vec<_> = lines.iter().filter(|s| crosses(s, b)).collect();
                assert!(crossed.is_empty(), "label {i} {b:?} crosses {crossed:?}");
                for other in &boxes[i + 1..] {
                    assert!(!overlaps(b, other), "{b:?} overlaps {other:?}");
                }
            }
        }
        let doc_text = sweep_svg(&spread_busy_report());
        let doc = roxmltree::Document::parse(&doc_text).unwrap();
        let bars = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("error-bars"))
            .unwrap();
        // A bar and its two caps per row.
        assert_eq!(
            bars.descendants()
                .filter(|n| n.has_tag_name("line"))
                .count(),
            12
        );
    }

    #[test]
    fn a_busy_machine_is_said_in_the_footer() {
        let quiet = sweep_svg(&cpu_report());
        assert!(!quiet.contains("machine busy"), "{quiet}");
        let busy = sweep_svg(&spread_busy_report());
        assert!(
            busy.contains("machine busy: other programs used the CPUs"),
            "{busy}"
        );
    }

    #[test]
    fn a_segment_crosses_a_box_only_where_it_passes_through() {
        let b = [0.0, 0.0, 10.0, 10.0];
        assert!(crosses(&((-5.0, 5.0), (15.0, 5.0)), &b));
        assert!(crosses(&((2.0, 2.0), (3.0, 3.0)), &b));
        assert!(!crosses(&((-5.0, -5.0), (-1.0, 20.0)), &b));
        assert!(!crosses(&((11.0, 0.0), (20.0, 10.0)), &b));
        assert!(crosses(&((5.0, -5.0), (5.0, 15.0)), &b));
    }
}
