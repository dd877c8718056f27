//! A measured sweep as text: an aligned table, JSON, CSV and Markdown.
//! Its SVG chart is in [`super::sweep_svg`]; [`super::sweep_files`] saves
//! the chart and the Markdown side by side for the live lab.

use crate::config::Work;
use crate::machine::MachineInfo;
use crate::stats::Summary;
use crate::sweep::{Scaling, SweepResult, SweepRow, WeakFit};
use crate::units::{counted, format_duration, format_ms, format_percent, format_ratio, secs};
use crossterm::style::Stylize;
use serde::Serialize;
use std::fmt::Write;
use std::time::Duration;

/// What was swept: workload, size, number of worker counts, schedule; a
/// weak sweep says so and counts its tasks per worker.
pub fn sweep_title(r: &SweepResult) -> String {
    let size = match r.scaling {
        Scaling::Strong => counted(r.work.tasks, "task"),
        Scaling::Weak => format!("weak scaling, {} per worker", counted(r.work.tasks, "task")),
    };
    let how = match r.work.pool {
        crate::pool::Pool::Threads => r.work.schedule.label(),
        pool => pool.name().to_string(),
    };
    format!(
        "{} · {size} × {} · {} · {how}",
        r.work.workload.name(),
        format_ms(r.work.task_ms),
        counted(r.rows.len(), "worker count"),
    )
}

/// Karp–Flatt as text; a dash where it is undefined (one worker). Values
/// that round to zero print as `0.000`, never `-0.000`.
pub fn karp_flatt_text(value: Option<f64>) -> String {
    value.map_or("–".to_string(), |e| {
        let e = if e.abs() < 0.0005 { 0.0 } else { e };
        format!("{e:.3}")
    })
}

/// The lines under the table: fit, knee, model (or, for a weak sweep,
/// where the time stopped being flat), check, warnings.
fn summary_lines(r: &SweepResult) -> Vec<(&'static str, String)> {
    if let Some(weak) = &r.weak {
        return weak_lines(r, weak);
    }
    let knee = match r.fit.knee_workers {
        Some(w) => format!(
            "{}: no later worker count gains {} or more",
            counted(w, "worker"),
            format_percent(crate::sweep::KNEE_GAIN)
        ),
        None => "none yet: the speedup still rises at the last row".to_string(),
    };
    let check = if r.results_match {
        "results match (same checksum at every worker count)".to_string()
    } else {
        "RESULTS DIFFER".to_string()
    };
    let mut lines = vec![
        (
            "Amdahl fit",
            match r.fit.serial_fraction {
                Some(_) => format!(
                    "{} (least squares over the speedups on the CPUs each row could use)",
                    r.fit.fraction_text()
                ),
                None => r.fit.fraction_text(),
            },
        ),
        ("knee", knee),
        (
            "model",
            format!(
                "{}: {}",
                model_name(r),
                crate::sentences::verdict_on(&r.fit, r.busy)
            ),
        ),
        ("check", check),
    ];
    lines.extend(r.findings.iter().map(|f| ("finding", f.text.clone())));
    lines.extend(r.warnings.iter().map(|w| ("warning", w.clone())));
    lines
}

fn check_line(r: &SweepResult) -> String {
    if r.results_match {
        "results match (same checksum as each row's serial run)".to_string()
    } else {
        "RESULTS DIFFER".to_string()
    }
}

fn weak_lines(r: &SweepResult, weak: &WeakFit) -> Vec<(&'static str, String)> {
    let mut lines = vec![
        (
            "scaling",
            format!(
                "weak: W workers run W × {} tasks; T(1) = {} is the {}; each row's scaled speedup is over its own serial run",
                r.work.tasks,
                format_duration(weak.base),
                if r.rows.first().is_some_and(|row| row.workers == 1) {
                    "parallel run on 1 worker"
                } else {
                    "serial run of one worker's share"
                }
            ),
        ),
        ("flat", weak.explanation()),
        ("check", check_line(r)),
    ];
    lines.extend(r.warnings.iter().map(|w| ("warning", w.clone())));
    lines
}

/// The model's name, except that on a busy machine rows short of the
/// model name no cause: other programs explain a shortfall as well.
pub fn model_name(r: &SweepResult) -> &'static str {
    use crate::sweep::ScalingModel::{Bandwidth, Overhead};
    match r.fit.model {
        Overhead | Bandwidth if r.busy => "short of the model",
        model => model.name(),
    }
}

/// The aligned, human-readable result of `parlab sweep`.
pub fn sweep_table(r: &SweepResult, color: bool) -> String {
    let bold = |s: String| if color { s.bold().to_string() } else { s };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        bold(format!("parlab sweep · {}", sweep_title(r)))
    );
    let _ = writeln!(out, "machine     {}", r.machine.summary());
    let _ = writeln!(out, "serial      {}\n", summary_text(&r.serial));
    let (headers, rows) = columns(r);
    // Columns of width 0 are left to the Markdown, so the table fits 80
    // columns.
    let shown: Vec<bool> = headers.iter().map(|(_, w, _)| *w > 0).collect();
    let widths: Vec<usize> = headers.iter().map(|(_, w, _)| *w).collect();
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .zip(&widths)
            .zip(&shown)
            .filter(|(_, shown)| **shown)
            .map(|((cell, width), _)| format!("{cell:>width$}"))
            .collect::<Vec<_>>()
            .join("  ")
    };
    let names = headers.iter().map(|(name, ..)| name.to_string()).collect();
    let _ = writeln!(out, "{}", bold(line(names)));
    for cells in rows {
        let _ = writeln!(out, "{}", line(cells));
    }
    out.push('\n');
    for (name, text) in summary_lines(r) {
        let _ = writeln!(out, "{name:<11} {text}");
    }
    out
}

/// A column: its table header, its table width (0: in the Markdown only)
/// and its Markdown header.
type Column = (&'static str, usize, &'static str);

/// The columns of a strong sweep: workers, parallel median, min, max,
/// ideal, speedup, efficiency, Karp–Flatt, the Amdahl fit's speedup and
/// the largest loss of the row's time accounting.
const STRONG_COLUMNS: [Column; 10] = [
    ("workers", 7, "workers"),
    ("parallel", 8, "parallel"),
    ("min", 0, "min"),
    ("max", 0, "max"),
    ("ideal", 8, "ideal"),
    ("speedup", 7, "speedup"),
    ("effic.", 7, "efficiency"),
    ("K–F", 6, "Karp–Flatt"),
    ("Amdahl", 7, "Amdahl fit"),
    ("largest loss", LOSS_WIDTH, "largest loss"),
];

/// The columns of a weak sweep: workers, tasks of the row's problem, its
/// serial run, parallel median, min, max, ideal, scaled speedup, weak
/// efficiency T(1)/T(W) and the largest loss.
const WEAK_COLUMNS: [Column; 10] = [
    ("workers", 7, "workers"),
    ("tasks", 6, "tasks"),
    ("serial", 8, "serial"),
    ("parallel", 8, "parallel"),
    ("min", 0, "min"),
    ("max", 0, "max"),
    ("ideal", 8, "ideal"),
    ("scaled", 6, "scaled speedup"),
    ("T1/TW", 7, "weak efficiency T(1)/T(W)"),
    ("largest loss", LOSS_WIDTH, "largest loss"),
];

/// The widest [`largest_loss_text`]: `serial part 42 %`.
const LOSS_WIDTH: usize = 16;

/// The largest part of a row's lane time besides the work and its share,
/// `CPU wait 84 %`, or `within noise` when no part is above it.
pub fn largest_loss_text(a: &crate::accounting::TimeAccounting) -> String {
    a.largest_loss.map_or("within noise".to_string(), |loss| {
        format!("{} {:.0} %", loss.label(), a.share(loss) * 100.0)
    })
}

/// Every row's cells under their columns, formatted once for the table
/// and the Markdown.
fn columns(r: &SweepResult) -> (&'static [Column], Vec<Vec<String>>) {
    let weak = r.scaling == Scaling::Weak;
    let rows = r
        .rows
        .iter()
        .map(|row| {
            let times = [
                row.parallel.median,
                row.parallel.min,
                row.parallel.max,
                row.ideal.time,
            ]
            .map(format_duration);
            let mut cells = vec![row.workers.to_string()];
            if weak {
                cells.push(row.tasks.to_string());
                cells.push(format_duration(row.serial));
                cells.extend(times);
                cells.push(format_ratio(row.speedup));
                cells.push(row.weak_efficiency.map_or("–".to_string(), format_percent));
                cells.push(largest_loss_text(&row.time_accounting));
            } else {
                cells.extend(times);
                cells.push(format_ratio(row.speedup));
                cells.push(format_percent(row.efficiency));
                cells.push(karp_flatt_text(row.karp_flatt));
                cells.push(
                    r.fit
                        .predicted_speedup(row.workers as f64)
                        .map_or("–".to_string(), format_ratio),
                );
                cells.push(largest_loss_text(&row.time_accounting));
            }
            cells
        })
        .collect();
    (if weak { &WEAK_COLUMNS } else { &STRONG_COLUMNS }, rows)
}

fn summary_text(s: &Summary) -> String {
    format!(
        "{} median (min {}, max {})",
        format_duration(s.median),
        format_duration(s.min),
        format_duration(s.max)
    )
}

/// One row of the sweep's JSON export: the measurement plus the fitted
/// curve at its workers. `parlab compare` reads it back as it is.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct SweepExportRow {
    pub(crate) workers: usize,
    pub(crate) tasks: usize,
    #[serde(with = "crate::units::secs_field")]
    pub(crate) serial_s: Duration,
    #[serde(with = "crate::units::secs_field")]
    pub(crate) parallel_s: Duration,
    #[serde(with = "crate::units::secs_field")]
    pub(crate) min_s: Duration,
    #[serde(with = "crate::units::secs_field")]
    pub(crate) max_s: Duration,
    #[serde(with = "crate::units::secs_vec_field")]
    pub(crate) runs_s: Vec<Duration>,
    #[serde(with = "crate::units::secs_field")]
    pub(crate) cpu_s: Duration,
    #[serde(with = "crate::units::secs_field")]
    pub(crate) ideal_parallel_s: Duration,
    pub(crate) ideal_model: crate::stats::Bound,
    pub(crate) ideal_speedup: f64,
    pub(crate) speedup: f64,
    pub(crate) efficiency: f64,
    pub(crate) karp_flatt: Option<f64>,
    pub(crate) amdahl_speedup: Option<f64>,
    pub(crate) scaled_speedup: Option<f64>,
    pub(crate) weak_efficiency: Option<f64>,
    pub(crate) results_match: bool,
    /// Where the row's lane time went; absent in exports made before it
    /// was measured.
    #[serde(default)]
    pub(crate) time_accounting: Option<crate::accounting::TimeAccounting>,
}

impl SweepExportRow {
    fn new(row: &SweepRow, amdahl_speedup: Option<f64>) -> Self {
        Self {
            workers: row.workers,
            tasks: row.tasks,
            serial_s: row.serial,
            parallel_s: row.parallel.median,
            min_s: row.parallel.min,
            max_s: row.parallel.max,
            runs_s: row.parallel.runs.clone(),
            cpu_s: row.cpu,
            ideal_parallel_s: row.ideal.time,
            ideal_model: row.ideal.bound,
            ideal_speedup: row.ideal_speedup,
            speedup: row.speedup,
            efficiency: row.efficiency,
            karp_flatt: row.karp_flatt,
            amdahl_speedup,
            scaled_speedup: row.weak_efficiency.map(|_| row.speedup),
            weak_efficiency: row.weak_efficiency,
            results_match: row.results_match,
            time_accounting: Some(row.time_accounting),
        }
    }
}

/// The whole sweep's JSON export, for scripts and for `parlab compare`,
/// which reads it back as it is.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct SweepExport {
    pub(crate) work: Work,
    pub(crate) scaling: Scaling,
    pub(crate) repeat: usize,
    pub(crate) warmup: usize,
    pub(crate) serial_s: f64,
    pub(crate) serial: Summary,
    #[serde(with = "crate::units::secs_field")]
    pub(crate) serial_cpu_s: Duration,
    pub(crate) rows: Vec<SweepExportRow>,
    pub(crate) amdahl_serial_fraction: Option<f64>,
    pub(crate) amdahl_no_fit_reason: Option<String>,
    pub(crate) knee_workers: Option<usize>,
    pub(crate) model: crate::sweep::ScalingModel,
    pub(crate) model_explained: String,
    pub(crate) weak_flat_until: Option<usize>,
    pub(crate) weak_explained: Option<String>,
    pub(crate) results_match: bool,
    pub(crate) machine: MachineInfo,
    pub(crate) machine_busy: bool,
    pub(crate) findings: Vec<crate::finding::Finding>,
    pub(crate) warnings: Vec<String>,
}

/// One JSON object with every figure of the sweep.
pub fn sweep_json(r: &SweepResult) -> anyhow::Result<String> {
    Ok(crate::output::schema::stamped_json(
        crate::output::schema::ExportKind::Sweep,
        &SweepExport::of(r),
    )?)
}

impl SweepExport {
    /// Every figure of `r`, as its export writes it (and `parlab check`
    /// embeds its sweeps).
    pub fn of(r: &SweepResult) -> Self {
        // Amdahl's law and the knee read a fixed problem's speedups; a weak
        // sweep has none, so they stay empty there.
        let strong = r.weak.is_none();
        SweepExport {
            work: r.work,
            scaling: r.scaling,
            repeat: r.rounds.repeat,
            warmup: r.rounds.warmup,
            serial_s: secs(r.serial.median),
            serial: r.serial.clone(),
            serial_cpu_s: r.serial_cpu,
            rows: r
                .rows
                .iter()
                .map(|row| {
                    let amdahl = r.fit.predicted_speedup(row.workers as f64);
                    SweepExportRow::new(row, amdahl.filter(|_| strong))
                })
                .collect(),
            amdahl_serial_fraction: r.fit.serial_fraction.filter(|_| strong),
            amdahl_no_fit_reason: match &r.weak {
                None => r.fit.no_fit_reason.clone(),
                Some(_) => {
                    Some("a weak sweep grows the problem, Amdahl's law fixes it".to_string())
                }
            },
            knee_workers: r.fit.knee_workers.filter(|_| strong),
            model: r.fit.model,
            model_explained: crate::sentences::verdict_on(&r.fit, r.busy),
            weak_flat_until: r.weak.as_ref().map(|w| w.flat_until),
            weak_explained: r.weak.as_ref().map(WeakFit::explanation),
            results_match: r.results_match,
            machine: r.machine.clone(),
            machine_busy: r.busy,
            findings: r.findings.clone(),
            warnings: r.warnings.clone(),
        }
    }
}

/// A header and one line per worker count; the serial baseline and the
/// settings repeat on every line so each line stands on its own.
pub fn sweep_csv(r: &SweepResult) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "workload",
        "tasks",
        "task_ms",
        "repeat",
        "serial_s",
        "workers",
        "parallel_s",
        "min_s",
        "max_s",
        "ideal_parallel_s",
        "speedup",
        "efficiency",
        "karp_flatt",
        "amdahl_speedup",
        "results_match",
        "schedule",
        "chunk",
        "scaling",
        "row_tasks",
        "row_serial_s",
        "weak_efficiency",
    ])?;
    for row in &r.rows {
        writer.write_record([
            r.work.workload.name().to_string(),
            r.work.tasks.to_string(),
            r.work.task_ms.to_string(),
            r.rounds.repeat.to_string(),
            secs(r.serial.median).to_string(),
            row.workers.to_string(),
            secs(row.parallel.median).to_string(),
            secs(row.parallel.min).to_string(),
            secs(row.parallel.max).to_string(),
            secs(row.ideal.time).to_string(),
            format!("{:.4}", row.speedup),
            format!("{:.4}", row.efficiency),
            row.karp_flatt.map_or(String::new(), |e| format!("{e:.4}")),
            r.fit
                .predicted_speedup(row.workers as f64)
                .filter(|_| r.weak.is_none())
                .map_or(String::new(), |s| format!("{s:.4}")),
            row.results_match.to_string(),
            r.work.schedule.name().to_string(),
            r.work
                .schedule
                .chunk()
                .map_or(String::new(), |c| c.to_string()),
            r.scaling.name().to_string(),
            row.tasks.to_string(),
            secs(row.serial).to_string(),
            row.weak_efficiency
                .map_or(String::new(), |e| format!("{e:.4}")),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// A Markdown summary line, table and the fit, for a report or a forge.
pub fn sweep_markdown(r: &SweepResult) -> String {
    let (best_workers, best) = r.fit.best;
    let what = if r.weak.is_some() {
        "best scaled speedup"
    } else {
        "best speedup"
    };
    let mut out = format!(
        "**{}** on {}: serial {}, {what} **{}** at {}.\n\n",
        sweep_title(r),
        r.machine.summary(),
        format_duration(r.serial.median),
        format_ratio(best),
        counted(best_workers, "worker"),
    );
    let (headers, rows) = columns(r);
    let names: Vec<&str> = headers.iter().map(|(.., name)| *name).collect();
    let _ = writeln!(out, "| {} |", names.join(" | "));
    let _ = writeln!(out, "|{}", "---:|".repeat(names.len()));
    for cells in rows {
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
    for (name, text) in summary_lines(r) {
        let _ = writeln!(out, "- {name}: {text}");
    }
    out
}

impl crate::output::Export for SweepResult {
    fn table(&self, color: bool) -> String {
        sweep_table(self, color)
    }
    fn json(&self) -> anyhow::Result<String> {
        sweep_json(self)
    }
    fn csv(&self) -> anyhow::Result<String> {
        sweep_csv(self)
    }
    fn markdown(&self) -> String {
        sweep_markdown(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::sweep_svg::sweep_svg;
    use crate::sweep::test_support::cpu_report;

    #[test]
    fn the_table_has_a_row_per_worker_count_and_the_fit() {
        let text = sweep_table(&cpu_report(), false);
        assert!(
            text.starts_with("parlab sweep · cpu · 16 tasks × 20.0 ms · 4 worker counts · steal\n")
        );
        assert!(text.contains("machine     Test CPU · 2 cores / 4 CPUs"));
        assert!(text.contains("serial      320 ms median (min 319 ms, max 322 ms)"));
        let row = text
            .lines()
            .find(|l| l.trim_start().starts_with("4 "))
            .unwrap();
        assert_eq!(
            row,
            "      4    100 ms   80.0 ms    3.20×   80.0 %   0.083    3.18×      within noise"
        );
        assert!(text.contains("Amdahl      largest loss\n"), "{text}");
        assert!(text.contains("      1    322 ms"));
        assert!(text.contains("       –"), "W = 1 has no Karp–Flatt");
        assert!(text.contains("knee        4 workers"));
        assert!(text.contains("model       cores: "));
        assert!(text.contains("check       results match"));
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn each_row_names_its_largest_loss_and_the_table_fits_80_columns() {
        use crate::accounting::{Loss, TimeAccounting};
        let mut r = cpu_report();
        let ms = Duration::from_millis;
        for (row, (loss, size)) in r.rows.iter_mut().zip([
            (Loss::SerialPart, 420),
            (Loss::WaitedForCpu, 836),
            (Loss::IdleAtEnd, 50),
            (Loss::HandingOut, 0),
        ]) {
            let mut a = TimeAccounting {
                lane: ms(1000),
                work: ms(1000 - size),
                ..TimeAccounting::default()
            };
            a.serial_part = if loss == Loss::SerialPart {
                ms(size)
            } else {
                a.serial_part
            };
            a.waited_for_cpu = if loss == Loss::WaitedForCpu {
                ms(size)
            } else {
                a.waited_for_cpu
            };
            a.idle_at_end = if loss == Loss::IdleAtEnd {
                ms(size)
            } else {
                a.idle_at_end
            };
            row.time_accounting = a.with_noise(0.05);
        }
        let text = sweep_table(&r, false);
        let cells: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
            .map(|l| l.rsplit("  ").next().unwrap_or("").trim())
            .collect();
        assert_eq!(
            cells,
            [
                "serial part 42 %",
                "CPU wait 84 %",
                "within noise",
                "within noise"
            ],
            "5 % idle is within the noise of 5 %"
        );
        let table = text.split("\n\n").nth(1).unwrap();
        for line in table.lines() {
            assert!(
                line.chars().count() <= 80,
                "{} columns: {line}",
                line.chars().count()
            );
        }
        assert!(sweep_markdown(&r).contains("| CPU wait 84 % |"));
    }

    #[test]
    fn karp_flatt_prints_a_dash_or_three_decimals_without_negative_zero() {
        assert_eq!(karp_flatt_text(None), "–");
        assert_eq!(karp_flatt_text(Some(-0.0001)), "0.000");
        assert_eq!(karp_flatt_text(Some(-0.02)), "-0.020");
        assert_eq!(karp_flatt_text(Some(0.3456)), "0.346");
    }

    #[test]
    fn json_has_every_documented_field() {
        let value: serde_json::Value =
            serde_json::from_str(&sweep_json(&cpu_report()).unwrap()).unwrap();
        assert_eq!(value["serial_s"], 0.32);
        assert_eq!(value["knee_workers"], 4);
        assert_eq!(value["model"], "cores");
        assert_eq!(value["results_match"], true);
        assert_eq!(value["machine"]["logical_cpus"], 4);
        assert!(value["amdahl_serial_fraction"].as_f64().unwrap() > 0.0);
        let rows = value["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 4);
        for field in [
            "workers",
            "parallel_s",
            "min_s",
            "max_s",
            "ideal_parallel_s",
            "speedup",
            "efficiency",
            "karp_flatt",
            "amdahl_speedup",
        ] {
            assert!(rows.iter().all(|r| r.get(field).is_some()), "{field}");
        }
        assert!(rows[0]["karp_flatt"].is_null());
        assert_eq!(rows[2]["parallel_s"], 0.1);
        assert_eq!(rows[3]["ideal_model"], "cores");
    }

    #[test]
    fn csv_has_a_header_and_one_line_per_worker_count() {
        let text = sweep_csv(&cpu_report()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "workload,tasks,task_ms,repeat,serial_s,workers,parallel_s,min_s,max_s,ideal_parallel_s,speedup,efficiency,karp_flatt,amdahl_speedup,results_match,schedule,chunk,scaling,row_tasks,row_serial_s,weak_efficiency"
            )
        );
        assert_eq!(
            lines.next(),
            Some(
                "cpu,16,20,3,0.32,1,0.322,0.321,0.324,0.32,0.9938,0.9938,,1.0000,true,steal,,strong,16,0.32,"
            )
        );
        assert_eq!(lines.count(), 3);
    }

    #[test]
    fn markdown_is_a_table_with_the_fit_below() {
        let text = sweep_markdown(&cpu_report());
        assert!(
            text.starts_with("**cpu · 16 tasks × 20.0 ms · 4 worker counts · steal** on Test CPU")
        );
        assert!(text.contains("best speedup **3.20×** at 4 workers"));
        let table: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
        assert_eq!(table.len(), 2 + 4);
        assert!(table.iter().all(|l| l.matches('|').count() == 11));
        assert!(table[0].contains("| min | max |") && table[0].ends_with("| largest loss |"));
        assert!(text.contains("\n- knee: 4 workers"));
    }

    fn group<'a>(doc: &'a roxmltree::Document, id: &str) -> roxmltree::Node<'a, 'a> {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no group {id}"))
    }

    fn count(node: roxmltree::Node, tag: &str) -> usize {
        node.descendants().filter(|n| n.has_tag_name(tag)).count()
    }

    #[test]
    fn the_svg_is_well_formed_and_has_the_four_series_and_the_markers() {
        let text = sweep_svg(&cpu_report());
        let doc = roxmltree::Document::parse(&text).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert_eq!(count(group(&doc, "measured-points"), "circle"), 4);
        for series in ["measured-line", "ideal", "amdahl"] {
            assert_eq!(count(group(&doc, series), "polyline"), 1, "{series}");
        }
        let points = group(&doc, "amdahl")
            .descendants()
            .find_map(|n| n.attribute("points"))
            .unwrap();
        assert_eq!(points.split(' ').count(), 97);
        let markers = group(&doc, "core-markers");
        assert_eq!(count(markers, "line"), 2);
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        for needle in [
            "2 cores",
            "4 CPUs",
            "workers (threads in the pool)",
            "3.20×",
        ] {
            assert!(texts.iter().any(|t| t.contains(needle)), "{needle}");
        }
        assert!(
            texts
                .iter()
                .any(|t| t.contains("Test CPU · 2 cores / 4 CPUs"))
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("Speedup over workers") && t.contains("(cpu)"))
        );
        assert!(count(group(&doc, "legend"), "text") == 4);
    }

    #[test]
    fn svg_text_from_the_machine_is_escaped() {
        let mut report = cpu_report();
        report.machine.cpu_brand = "R&D <CPU> \"x\"".to_string();
        let text = sweep_svg(&report);
        assert!(text.contains("R&amp;D &lt;CPU&gt; &quot;x&quot;"));
        let doc = roxmltree::Document::parse(&text).unwrap();
        assert!(
            doc.descendants()
                .any(|n| n.text().is_some_and(|t| t.contains("R&D <CPU>")))
        );
    }
}
