//! `parlab compare`: the JSON exports of `run` and `sweep` from several
//! machines or settings, side by side in one table, so a class can put
//! thirty laptops next to each other.
//!
//! Every file is checked against the export [`schema`](crate::output::schema)
//! first; a file that is not a parlab export, or whose layout this parlab
//! does not read, is refused with its name rather than half-read. A run
//! export gives one row, a sweep one row per worker count.

use crate::config::Work;
use crate::machine;
use crate::output::schema::{self, ExportKind};
use crate::units::{format_duration, format_ms, format_percent, format_ratio};
use crate::workload::WorkloadKind;
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

/// One measurement of one export: a run, or one worker count of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRow {
    /// The file it came from, as named on the command line.
    pub file: String,
    /// Processor name.
    pub cpu_brand: String,
    /// Physical cores.
    pub physical_cores: usize,
    /// Logical CPUs.
    pub logical_cpus: usize,
    /// What ran, on this row's workers.
    pub work: Work,
    /// Median serial time.
    pub serial: Duration,
    /// Median parallel time.
    pub parallel: Duration,
    /// Serial over parallel.
    pub speedup: f64,
    /// Speedup per worker.
    pub efficiency: f64,
    /// A row of a weak sweep: its problem grew with its workers, and its
    /// speedup is over its own serial run of that problem.
    pub weak: bool,
}

/// A file `compare` could not use, with the reason; shown as one line.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{file}: {why}")]
pub struct Refused {
    /// The file, as named on the command line.
    pub file: String,
    /// What is wrong with it.
    pub why: String,
}

#[derive(Deserialize)]
struct MachineFields {
    cpu_brand: String,
    physical_cores: usize,
    logical_cpus: usize,
}

#[derive(Deserialize)]
struct RunFields {
    machine: MachineFields,
    work: Work,
    serial_s: f64,
    parallel_s: f64,
    speedup: f64,
    efficiency: f64,
}

#[derive(Deserialize)]
struct SweepFields {
    machine: MachineFields,
    work: Work,
    serial_s: f64,
    #[serde(default)]
    scaling: Option<crate::sweep::Scaling>,
    rows: Vec<SweepRowFields>,
}

/// A sweep row; a weak sweep's rows carry their own problem size and
/// serial time (older exports' strong rows may lack them).
#[derive(Deserialize)]
struct SweepRowFields {
    workers: usize,
    #[serde(default)]
    tasks: Option<usize>,
    #[serde(default)]
    serial_s: Option<f64>,
    parallel_s: f64,
    speedup: f64,
    efficiency: f64,
}

/// The reports of `parlab run --pool all`: one run export per pool.
#[derive(Deserialize)]
struct PoolsFields {
    reports: Vec<RunFields>,
}

/// Largest export compare reads: a sweep of 64 rows is a few hundred KiB;
/// anything far larger is not an export (a device, a stray file).
const MAX_EXPORT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads the export at `path` into its rows, with the lesson loader's
/// guards: only a regular file (a FIFO would hang, a device never end),
/// opened without blocking, and at most [`MAX_EXPORT_BYTES`].
pub fn load(path: &Path) -> Result<Vec<CompareRow>, Refused> {
    let file = crate::output::printable(&path.display().to_string());
    let text = crate::output::read_user_file(path, MAX_EXPORT_BYTES).map_err(|why| Refused {
        file: file.clone(),
        why: match why {
            crate::output::FileRefusal::NotRegular(kind) => format!("{kind}, not an export"),
            crate::output::FileRefusal::TooLarge(_) => format!(
                "larger than {} MiB, too large for an export",
                MAX_EXPORT_BYTES >> 20
            ),
            other => format!("cannot read it: {other}"),
        },
    })?;
    rows_of(&file, &text)
}

/// The rows of the export `text`, read from `file`.
pub fn rows_of(file: &str, text: &str) -> Result<Vec<CompareRow>, Refused> {
    let refuse = |why: String| Refused {
        file: file.to_string(),
        why,
    };
    let value: Value = serde_json::from_str(text)
        .map_err(|e| refuse(format!("not a parlab export (not JSON: {e})")))?;
    let kind = schema::check(&value).map_err(|e| refuse(e.to_string()))?;
    let value = with_work_object(value);
    let broken = |e: serde_json::Error| refuse(format!("a damaged {} export: {e}", kind.command()));
    let seconds = |s: f64, what: &str| {
        Duration::try_from_secs_f64(s).map_err(|_| refuse(format!("{what} is not a time: {s}")))
    };
    let row = |m: &MachineFields, work: Work| CompareRow {
        file: file.to_string(),
        // From a file: whatever it holds must not reach the terminal as
        // escape sequences or break a Markdown row.
        cpu_brand: crate::output::printable(&m.cpu_brand),
        physical_cores: m.physical_cores,
        logical_cpus: m.logical_cpus,
        work,
        serial: Duration::ZERO,
        parallel: Duration::ZERO,
        speedup: 0.0,
        efficiency: 0.0,
        weak: false,
    };
    match kind {
        ExportKind::Run => {
            let run: RunFields = serde_json::from_value(value).map_err(broken)?;
            Ok(vec![CompareRow {
                serial: seconds(run.serial_s, "serial_s")?,
                parallel: seconds(run.parallel_s, "parallel_s")?,
                speedup: run.speedup,
                efficiency: run.efficiency,
                ..row(&run.machine, run.work)
            }])
        }
        ExportKind::Sweep => {
            let sweep: SweepFields = serde_json::from_value(value).map_err(broken)?;
            let baseline = seconds(sweep.serial_s, "serial_s")?;
            let weak = sweep.scaling == Some(crate::sweep::Scaling::Weak);
            sweep
                .rows
                .iter()
                .map(|r| {
                    // Each row is read with its own problem and serial
                    // time: a weak row's grew with its workers.
                    let serial = match r.serial_s {
                        Some(s) => seconds(s, "serial_s")?,
                        None => baseline,
                    };
                    Ok(CompareRow {
                        serial,
                        parallel: seconds(r.parallel_s, "parallel_s")?,
                        speedup: r.speedup,
                        efficiency: r.efficiency,
                        weak,
                        ..row(
                            &sweep.machine,
                            Work {
                                workers: r.workers,
                                tasks: r.tasks.unwrap_or(sweep.work.tasks),
                                ..sweep.work
                            },
                        )
                    })
                })
                .collect()
        }
        ExportKind::Pools => {
            let pools: PoolsFields = serde_json::from_value(value).map_err(broken)?;
            pools
                .reports
                .into_iter()
                .map(|run| {
                    Ok(CompareRow {
                        serial: seconds(run.serial_s, "serial_s")?,
                        parallel: seconds(run.parallel_s, "parallel_s")?,
                        speedup: run.speedup,
                        efficiency: run.efficiency,
                        ..row(&run.machine, run.work)
                    })
                })
                .collect()
        }
        ExportKind::Info => Err(refuse(
            "a parlab info export has no timings; compare reads the exports of run, run --pool all and sweep".into(),
        )),
        ExportKind::Lesson => Err(refuse(
            "a parlab lesson export holds a whole lesson; compare reads the exports of run, run --pool all and sweep"
                .into(),
        )),
    }
}

/// The export with its settings as one `work` object, as schema 2 writes
/// them: schema 1 kept them at the top level, and some of its exports
/// named the pool by an object's `kind` or `name` (those without one ran
/// on threads).
fn with_work_object(mut value: Value) -> Value {
    if value.get("work").is_some() {
        return value;
    }
    let mut work = value.clone();
    if let Some(Value::Object(fields)) = work.get("pool") {
        let named = ["kind", "name"]
            .iter()
            .find_map(|key| fields.get(*key).and_then(Value::as_str))
            .unwrap_or("threads");
        work["pool"] = named.into();
    }
    value["work"] = work;
    value
}

/// The workload as the table names it, with its serial fraction when it
/// has one, and marked when the row belongs to a weak sweep (its speedup is
/// the scaled one, over its own serial run).
fn workload_label(row: &CompareRow) -> String {
    let label = workload_name(&row.work);
    if row.weak {
        format!("{label}, weak")
    } else {
        label
    }
}

fn workload_name(work: &Work) -> String {
    match work.workload {
        WorkloadKind::SerialFraction => format!(
            "{} {}",
            work.workload.name(),
            format_percent(work.serial_fraction)
        ),
        other => other.name().to_string(),
    }
}

const HEADER: [&str; 10] = [
    "file",
    "machine",
    "pool",
    "workload",
    "tasks × time",
    "workers",
    "serial",
    "parallel",
    "speedup",
    "efficiency",
];

/// Columns from `workers` on hold numbers and align right.
const FIRST_NUMBER: usize = 5;

fn cells(row: &CompareRow) -> [String; 10] {
    [
        row.file.clone(),
        machine::summary(&row.cpu_brand, row.physical_cores, row.logical_cpus),
        row.work.pool.name().to_string(),
        workload_label(row),
        format!("{} × {}", row.work.tasks, format_ms(row.work.task_ms)),
        row.work.workers.to_string(),
        format_duration(row.serial),
        format_duration(row.parallel),
        format_ratio(row.speedup),
        format_percent(row.efficiency),
    ]
}

/// The rows as aligned text for people.
pub fn table(rows: &[CompareRow]) -> String {
    let body: Vec<[String; 10]> = rows.iter().map(cells).collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for line in &body {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header = HEADER.map(str::to_string);
    let mut out = String::new();
    for line in std::iter::once(&header).chain(&body) {
        let mut text = String::new();
        for (column, (cell, width)) in line.iter().zip(widths).enumerate() {
            let pad = " ".repeat(width - cell.chars().count());
            let gap = if column == 0 { "" } else { "  " };
            if column >= FIRST_NUMBER {
                let _ = write!(text, "{gap}{pad}{cell}");
            } else {
                let _ = write!(text, "{gap}{cell}{pad}");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

/// The rows as a Markdown table for a report or a forge.
pub fn markdown(rows: &[CompareRow]) -> String {
    let align: Vec<&str> = (0..HEADER.len())
        .map(|c| if c >= FIRST_NUMBER { "---:" } else { ":---" })
        .collect();
    let mut out = format!("| {} |\n|{}|\n", HEADER.join(" | "), align.join("|"));
    for row in rows {
        let line = cells(row).map(|cell| cell.replace('|', "\\|"));
        let _ = writeln!(out, "| {} |", line.join(" | "));
    }
    out
}

/// The rows as CSV with plain numbers (seconds, ratios), for a spreadsheet.
pub fn csv(rows: &[CompareRow]) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "file",
        "cpu_brand",
        "physical_cores",
        "logical_cpus",
        "pool",
        "workload",
        "tasks",
        "task_ms",
        "workers",
        "serial_s",
        "parallel_s",
        "speedup",
        "efficiency",
    ])?;
    for row in rows {
        writer.write_record([
            row.file.clone(),
            row.cpu_brand.clone(),
            row.physical_cores.to_string(),
            row.logical_cpus.to_string(),
            row.work.pool.name().to_string(),
            workload_label(row),
            row.work.tasks.to_string(),
            row.work.task_ms.to_string(),
            row.work.workers.to_string(),
            crate::units::secs(row.serial).to_string(),
            crate::units::secs(row.parallel).to_string(),
            format!("{:.4}", row.speedup),
            format!("{:.4}", row.efficiency),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Work;
    use crate::machine::MachineInfo;
    use crate::measure::{Rounds, RunResult, SideResult};
    use crate::stats::Summary;

    fn run_export(parallel_ms: u64) -> String {
        let side = |ms: u64| SideResult {
            wall: Summary::of(&[Duration::from_millis(ms)]),
            cpu: Duration::from_millis(1),
            checksum: 7,
            task_times: vec![Duration::from_millis(100); 24],
            serial_part: Duration::ZERO,
            transfer: None,
            end_idle: None,
        };
        let report = RunResult::new(
            &Work::SEED_DEMO,
            Rounds::ONCE,
            &MachineInfo::synthetic(4, 8),
            &side(2400),
            &side(parallel_ms),
            Duration::from_micros(500),
        );
        crate::output::run::run_json(&report).unwrap()
    }

    fn sweep_export() -> String {
        crate::output::sweep::sweep_json(&crate::sweep::test_support::cpu_report()).unwrap()
    }

    #[test]
    fn a_run_is_one_row_and_a_sweep_one_per_worker_count() {
        let run = rows_of("a.json", &run_export(309)).unwrap();
        assert_eq!(run.len(), 1);
        let row = &run[0];
        assert_eq!(
            (row.file.as_str(), row.work.pool, row.work.workload),
            ("a.json", crate::pool::Pool::Threads, WorkloadKind::Sleep)
        );
        assert_eq!((row.work.tasks, row.work.workers), (24, 8));
        assert_eq!(
            (row.serial, row.parallel),
            (Duration::from_millis(2400), Duration::from_millis(309))
        );
        let sweep = rows_of("b.json", &sweep_export()).unwrap();
        let workers: Vec<_> = sweep.iter().map(|r| r.work.workers).collect();
        assert_eq!(workers, [1, 2, 4, 8]);
        assert!(sweep.iter().all(|r| r.serial == Duration::from_millis(320)));
    }

    #[test]
    fn the_table_lines_up_every_row() {
        let mut rows = rows_of("a.json", &run_export(309)).unwrap();
        rows.extend(rows_of("sweeps/b.json", &sweep_export()).unwrap());
        insta::assert_snapshot!(table(&rows), @r"
        file           machine                      pool     workload  tasks × time  workers  serial  parallel  speedup  efficiency
        a.json         Test CPU · 4 cores / 8 CPUs  threads  sleep     24 × 100 ms         8  2.40 s    309 ms    7.77×      97.1 %
        sweeps/b.json  Test CPU · 2 cores / 4 CPUs  threads  cpu       16 × 20.0 ms        1  320 ms    322 ms    0.99×      99.4 %
        sweeps/b.json  Test CPU · 2 cores / 4 CPUs  threads  cpu       16 × 20.0 ms        2  320 ms    165 ms    1.94×      97.0 %
        sweeps/b.json  Test CPU · 2 cores / 4 CPUs  threads  cpu       16 × 20.0 ms        4  320 ms    100 ms    3.20×      80.0 %
        sweeps/b.json  Test CPU · 2 cores / 4 CPUs  threads  cpu       16 × 20.0 ms        8  320 ms    102 ms    3.14×      39.2 %
        ");
        let markdown = markdown(&rows);
        assert!(
            markdown.starts_with("| file | machine | pool |"),
            "{markdown}"
        );
        assert_eq!(markdown.lines().count(), 2 + rows.len());
        let csv = csv(&rows).unwrap();
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("a.json,Test CPU,4,8,threads,sleep,24,100,8,2.4,0.309,"),
            "{csv}"
        );
    }

    #[test]
    fn a_schema_1_export_with_its_settings_at_the_top_is_read_too() {
        let mut value: Value = serde_json::from_str(&run_export(309)).unwrap();
        let work = value["work"].take();
        let fields = value.as_object_mut().unwrap();
        fields.remove("work");
        for (key, setting) in work.as_object().unwrap() {
            fields.insert(key.clone(), setting.clone());
        }
        value["schema"] = 1.into();
        let rows = rows_of("old.json", &value.to_string()).unwrap();
        assert_eq!(rows, rows_of("old.json", &run_export(309)).unwrap());
        value["pool"] = "python-processes".into();
        let rows = rows_of("p.json", &value.to_string()).unwrap();
        assert_eq!(rows[0].work.pool, crate::pool::Pool::PythonProcesses);
        value["pool"] = serde_json::json!({ "kind": "processes", "workers": 8 });
        let rows = rows_of("p.json", &value.to_string()).unwrap();
        assert_eq!(rows[0].work.pool, crate::pool::Pool::Processes);
        fields_without(&mut value, &["pool", "payload_kb", "schedule", "chunk"]);
        let rows = rows_of("p.json", &value.to_string()).unwrap();
        assert_eq!(rows[0].work, Work::SEED_DEMO);
    }

    fn fields_without(value: &mut Value, keys: &[&str]) {
        for key in keys {
            value.as_object_mut().unwrap().remove(*key);
        }
    }

    #[test]
    fn foreign_damaged_and_newer_files_are_refused_by_name() {
        let why = |text: &str| rows_of("x.json", text).unwrap_err().to_string();
        assert!(why("hello").starts_with("x.json: not a parlab export (not JSON"));
        assert_eq!(
            why(r#"{"name": "pkg"}"#),
            "x.json: not a parlab export (no \"kind\" field)"
        );
        let mut newer: Value = serde_json::from_str(&run_export(309)).unwrap();
        newer["schema"] = 3.into();
        assert_eq!(
            why(&newer.to_string()),
            "x.json: written with export schema 3; this parlab reads schemas 1 to 2"
        );
        let mut damaged = newer;
        damaged["schema"] = 2.into();
        damaged["serial_s"] = "soon".into();
        assert!(why(&damaged.to_string()).starts_with("x.json: a damaged parlab run export"));
        damaged["serial_s"] = (-1.0).into();
        assert_eq!(
            why(&damaged.to_string()),
            "x.json: serial_s is not a time: -1"
        );
        let info = crate::output::machine::info_json(&MachineInfo::synthetic(2, 2), 2).unwrap();
        assert!(why(&info).contains("compare reads the exports of run, run --pool all and sweep"));
        for message in [why("hello"), why(&info)] {
            assert_eq!(message.lines().count(), 1, "{message}");
        }
    }
}
