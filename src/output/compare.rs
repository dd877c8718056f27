//! `parlab compare`: the JSON exports of `run` and `sweep` from several
//! machines or settings, side by side in one table, so a class can put
//! thirty laptops next to each other.
//!
//! Every file is checked against the export [`schema`](crate::output::schema)
//! first; a file that is not a parlab export, or whose layout this parlab
//! does not read, is refused with its name rather than half-read. A run
//! export gives one row, a sweep one row per worker count.

use crate::config::Work;
use crate::machine::{self, MachineInfo};
use crate::measure::{Rounds, RunResult};
use crate::output::schema::{self, ExportKind};
use crate::output::sweep::SweepExport;
use crate::stats::Summary;
use crate::units::{format_duration, format_percent, format_ratio, secs};
use crate::workload::WorkloadKind;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

/// One measurement of one export: a run, or one worker count of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRow {
    /// The file it came from, as named on the command line.
    pub file: String,
    /// The machine it ran on, usable CPUs included.
    pub machine: MachineInfo,
    /// What ran, on this row's workers.
    pub work: Work,
    /// Timed runs per side (and warm-ups before them).
    pub rounds: Rounds,
    /// Median serial time.
    pub serial: Duration,
    /// The parallel runs: median, fastest and slowest.
    pub parallel: Summary,
    /// Serial over parallel.
    pub speedup: f64,
    /// Speedup per worker.
    pub efficiency: f64,
    /// A row of a weak sweep: its problem grew with its workers, and its
    /// speedup is the scaled one, over its own serial run.
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

/// Largest export compare reads: a sweep of 64 rows is a few hundred KiB;
/// anything far larger is not an export (a device, a stray file).
const MAX_EXPORT_BYTES: u64 = 16 * 1024 * 1024;

/// The reports of `parlab run --pool all`: one run per pool.
#[derive(serde::Deserialize)]
struct PoolsExport {
    reports: Vec<crate::measure::RunResult>,
}

/// Reads the export at `path` into its rows, with the lesson loader's
/// guards: only a regular file (a FIFO would hang, a device never end),
/// opened without blocking, and at most [`MAX_EXPORT_BYTES`].
pub fn load(path: &Path) -> Result<Vec<CompareRow>, Refused> {
    let file = crate::user_file::printable(&path.display().to_string());
    let text = crate::user_file::read_user_file(path, MAX_EXPORT_BYTES).map_err(|why| Refused {
        file: file.clone(),
        why: match why {
            crate::user_file::FileRefusal::NotRegular(kind) => format!("{kind}, not an export"),
            crate::user_file::FileRefusal::TooLarge(_) => format!(
                "larger than {} MiB, too large for an export",
                MAX_EXPORT_BYTES >> 20
            ),
            other => format!("cannot read it: {other}"),
        },
    })?;
    rows_of(&file, &text)
}

/// The machine of an export, its name fit to print: whatever the file
/// holds must not reach the terminal as escape sequences or break a
/// Markdown row.
/// The row of one measured run, alone or as one pool of `--pool all`.
fn run_row(file: &str, r: RunResult) -> CompareRow {
    CompareRow {
        file: file.to_string(),
        machine: printable_machine(r.machine),
        work: r.work,
        rounds: r.rounds,
        serial: r.serial_time,
        parallel: r.parallel.wall,
        speedup: r.speedup,
        efficiency: r.efficiency,
        weak: false,
    }
}

fn printable_machine(mut machine: MachineInfo) -> MachineInfo {
    machine.cpu_brand = crate::user_file::printable(&machine.cpu_brand);
    machine
}

/// The rows of the export `text`, read from `file` into the very types
/// `run` and `sweep` write ([`RunResult`], [`SweepExport`]).
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
    match kind {
        ExportKind::Run => {
            let run: RunResult = serde_json::from_value(value).map_err(broken)?;
            Ok(vec![run_row(file, run)])
        }
        ExportKind::Pools => {
            let pools: PoolsExport = serde_json::from_value(value).map_err(broken)?;
            Ok(pools
                .reports
                .into_iter()
                .map(|r| run_row(file, r))
                .collect())
        }
        ExportKind::Sweep => {
            let sweep: SweepExport = serde_json::from_value(value).map_err(broken)?;
            Ok(sweep_rows(file, &sweep))
        }
        ExportKind::Check => {
            let check: CheckSweeps = serde_json::from_value(value).map_err(broken)?;
            let mut rows = sweep_rows(file, &check.compute);
            rows.extend(sweep_rows(file, &check.memory));
            Ok(rows)
        }
        ExportKind::Info => Err(refuse(
            "a parlab info export has no timings; compare reads the exports of run, run --pool all, sweep and check".into(),
        )),
        ExportKind::Lesson => Err(refuse(
            "a parlab lesson export holds a whole lesson; compare reads the exports of run, run --pool all, sweep and check"
                .into(),
        )),
    }
}

/// The sweeps of a `parlab check` export: its compute and memory rows
/// compare like any sweep's.
#[derive(serde::Deserialize)]
struct CheckSweeps {
    compute: SweepExport,
    memory: SweepExport,
}

/// One row per worker count of `sweep`.
fn sweep_rows(file: &str, sweep: &SweepExport) -> Vec<CompareRow> {
    let rounds = Rounds {
        repeat: sweep.repeat,
        warmup: sweep.warmup,
    };
    let weak = sweep.scaling == crate::sweep::Scaling::Weak;
    let machine = printable_machine(sweep.machine.clone());
    sweep
        .rows
        .iter()
        .map(|r| CompareRow {
            file: file.to_string(),
            machine: machine.clone(),
            work: Work {
                workers: r.workers,
                tasks: r.tasks,
                ..sweep.work
            },
            rounds,
            serial: r.serial_s,
            parallel: Summary {
                runs: r.runs_s.clone(),
                min: r.min_s,
                median: r.parallel_s,
                max: r.max_s,
            },
            speedup: r.speedup,
            efficiency: r.efficiency,
            weak,
        })
        .collect()
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
/// has one, marked when the row belongs to a weak sweep (its speedup is
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

/// A column of the comparison: its header, its unit in Markdown and
/// CSV (times take the one unit that suits the column), whether it holds
/// numbers (aligned right), and its cell in each format.
struct Column {
    header: &'static str,
    csv: &'static str,
    kind: Cell,
}

/// What a column shows, and so how each format writes it.
enum Cell {
    /// Text, the same in every format.
    Text(fn(&CompareRow) -> String),
    /// A count.
    Count(fn(&CompareRow) -> usize),
    /// A time.
    Time(fn(&CompareRow) -> Duration),
    /// The fastest and the slowest parallel run.
    Spread,
    /// A ratio, shown with `×`.
    Ratio(fn(&CompareRow, &Context) -> f64),
    /// A fraction, shown as a percentage.
    Percent(fn(&CompareRow) -> f64),
}

/// What a cell needs beyond its row: the fastest parallel median, which
/// the relative column divides by.
struct Context {
    fastest: Duration,
}

/// The one column model every format of `compare` renders.
const COLUMNS: [Column; 15] = [
    Column {
        header: "file",
        csv: "file",
        kind: Cell::Text(|r| r.file.clone()),
    },
    Column {
        header: "machine",
        csv: "cpu_brand",
        kind: Cell::Text(|r| {
            machine::summary(
                &r.machine.cpu_brand,
                r.machine.physical_cores,
                r.machine.logical_cpus,
            )
        }),
    },
    Column {
        header: "usable",
        csv: "usable_cpus",
        kind: Cell::Count(|r| r.machine.usable_cpus),
    },
    Column {
        header: "pool",
        csv: "pool",
        kind: Cell::Text(|r| r.work.pool.name().to_string()),
    },
    Column {
        header: "workload",
        csv: "workload",
        kind: Cell::Text(workload_label),
    },
    Column {
        header: "schedule",
        csv: "schedule",
        kind: Cell::Text(|r| r.work.schedule.label()),
    },
    Column {
        header: "tasks",
        csv: "tasks",
        kind: Cell::Count(|r| r.work.tasks),
    },
    Column {
        header: "task",
        csv: "task",
        kind: Cell::Time(|r| Duration::from_secs_f64(r.work.task_ms / 1e3)),
    },
    Column {
        header: "workers",
        csv: "workers",
        kind: Cell::Count(|r| r.work.workers),
    },
    Column {
        header: "repeat",
        csv: "repeat",
        kind: Cell::Count(|r| r.rounds.repeat),
    },
    Column {
        header: "serial",
        csv: "serial",
        kind: Cell::Time(|r| r.serial),
    },
    Column {
        header: "parallel",
        csv: "parallel",
        kind: Cell::Time(|r| r.parallel.median),
    },
    Column {
        header: "min–max",
        csv: "parallel",
        kind: Cell::Spread,
    },
    Column {
        header: "speedup",
        csv: "speedup",
        kind: Cell::Ratio(|r, _| r.speedup),
    },
    Column {
        header: "relative",
        csv: "relative",
        kind: Cell::Ratio(|r, c| crate::stats::speedup(r.parallel.median, c.fastest)),
    },
];

/// The efficiency column comes last.
const EFFICIENCY: Column = Column {
    header: "efficiency",
    csv: "efficiency",
    kind: Cell::Percent(|r| r.efficiency),
};

fn columns() -> impl Iterator<Item = &'static Column> {
    COLUMNS.iter().chain(std::iter::once(&EFFICIENCY))
}

fn context(rows: &[CompareRow]) -> Context {
    Context {
        fastest: rows
            .iter()
            .map(|r| r.parallel.median)
            .min()
            .unwrap_or_default(),
    }
}

impl Column {
    fn numeric(&self) -> bool {
        !matches!(self.kind, Cell::Text(_))
    }

    /// The cell for people: units in the cell.
    fn table_cell(&self, row: &CompareRow, c: &Context) -> String {
        match self.kind {
            Cell::Text(text) => text(row),
            Cell::Count(count) => count(row).to_string(),
            Cell::Time(time) => format_duration(time(row)),
            Cell::Spread => format!(
                "{}–{}",
                format_duration(row.parallel.min),
                format_duration(row.parallel.max)
            ),
            Cell::Ratio(ratio) => format_ratio(ratio(row, c)),
            Cell::Percent(percent) => format_percent(percent(row)),
        }
    }

    /// The Markdown header, with the column's unit as hyperfine writes it
    /// (`parallel [ms]`).
    fn markdown_header(&self, unit: TimeUnit) -> String {
        match self.kind {
            Cell::Time(_) | Cell::Spread => format!("{} [{}]", self.header, unit.name),
            Cell::Percent(_) => format!("{} [%]", self.header),
            _ => self.header.to_string(),
        }
    }

    /// The Markdown cell: a number in the header's unit.
    fn markdown_cell(&self, row: &CompareRow, c: &Context, unit: TimeUnit) -> String {
        match self.kind {
            Cell::Time(time) => unit.show(time(row)),
            Cell::Spread => format!(
                "{}–{}",
                unit.show(row.parallel.min),
                unit.show(row.parallel.max)
            ),
            Cell::Ratio(ratio) => format!("{:.2}", ratio(row, c)),
            Cell::Percent(percent) => format!("{:.1}", percent(row) * 100.0),
            _ => self.table_cell(row, c).replace('|', "\\|"),
        }
    }

    /// The CSV headers: times in seconds, the spread as two columns.
    fn csv_headers(&self) -> Vec<String> {
        match self.kind {
            Cell::Time(_) => vec![format!("{}_s", self.csv)],
            Cell::Spread => vec![format!("{}_min_s", self.csv), format!("{}_max_s", self.csv)],
            _ => vec![self.csv.to_string()],
        }
    }

    /// The CSV cells: plain numbers.
    fn csv_cells(&self, row: &CompareRow, c: &Context) -> Vec<String> {
        match self.kind {
            Cell::Text(_) if self.csv == "cpu_brand" => vec![row.machine.cpu_brand.clone()],
            Cell::Text(text) => vec![text(row)],
            Cell::Count(count) => vec![count(row).to_string()],
            Cell::Time(time) => vec![secs(time(row)).to_string()],
            Cell::Spread => vec![
                secs(row.parallel.min).to_string(),
                secs(row.parallel.max).to_string(),
            ],
            Cell::Ratio(ratio) => vec![format!("{:.4}", ratio(row, c))],
            Cell::Percent(percent) => vec![format!("{:.4}", percent(row))],
        }
    }
}

/// One unit for every time of a Markdown table, chosen so the shortest
/// time still reads well.
#[derive(Clone, Copy)]
struct TimeUnit {
    name: &'static str,
    per_second: f64,
}

impl TimeUnit {
    fn for_rows(rows: &[CompareRow]) -> Self {
        let shortest = rows
            .iter()
            .flat_map(|r| [r.serial, r.parallel.min])
            .min()
            .unwrap_or_default();
        match shortest.as_secs_f64() {
            s if s >= 1.0 => Self {
                name: "s",
                per_second: 1.0,
            },
            s if s >= 1e-3 => Self {
                name: "ms",
                per_second: 1e3,
            },
            _ => Self {
                name: "µs",
                per_second: 1e6,
            },
        }
    }

    fn show(self, d: Duration) -> String {
        format!("{:.1}", d.as_secs_f64() * self.per_second)
    }
}

/// The rows as aligned text for people.
pub fn table(rows: &[CompareRow]) -> String {
    let c = context(rows);
    let header: Vec<String> = columns().map(|col| col.header.to_string()).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|row| columns().map(|col| col.table_cell(row, &c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for line in &body {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for line in std::iter::once(&header).chain(&body) {
        let mut text = String::new();
        for (i, ((cell, width), col)) in line.iter().zip(&widths).zip(columns()).enumerate() {
            let pad = " ".repeat(width - cell.chars().count());
            let gap = if i == 0 { "" } else { "  " };
            if col.numeric() {
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

/// The rows as a Markdown table for a report or a forge: numbers in the
/// cells, their units in the headers, as hyperfine writes them.
pub fn markdown(rows: &[CompareRow]) -> String {
    let c = context(rows);
    let unit = TimeUnit::for_rows(rows);
    let headers: Vec<String> = columns().map(|col| col.markdown_header(unit)).collect();
    let align: Vec<&str> = columns()
        .map(|col| if col.numeric() { "---:" } else { ":---" })
        .collect();
    let mut out = format!("| {} |\n|{}|\n", headers.join(" | "), align.join("|"));
    for row in rows {
        let line: Vec<String> = columns()
            .map(|col| col.markdown_cell(row, &c, unit))
            .collect();
        let _ = writeln!(out, "| {} |", line.join(" | "));
    }
    out
}

/// The rows as CSV with plain numbers (seconds, ratios), for a spreadsheet.
pub fn csv(rows: &[CompareRow]) -> anyhow::Result<String> {
    let c = context(rows);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut headers: Vec<String> = columns().flat_map(Column::csv_headers).collect();
    headers.insert(2, "physical_cores".into());
    headers.insert(3, "logical_cpus".into());
    writer.write_record(&headers)?;
    for row in rows {
        let mut cells: Vec<String> = columns().flat_map(|col| col.csv_cells(row, &c)).collect();
        cells.insert(2, row.machine.physical_cores.to_string());
        cells.insert(3, row.machine.logical_cpus.to_string());
        writer.write_record(&cells)?;
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
            record: Default::default(),
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
            (row.serial, row.parallel.median),
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
        file           machine                      usable  pool     workload  schedule  tasks     task  workers  repeat  serial  parallel         min–max  speedup  relative  efficiency
        a.json         Test CPU · 4 cores / 8 CPUs       8  threads  sleep     steal        24   100 ms        8       1  2.40 s    309 ms   309 ms–309 ms    7.77×     3.09×      97.1 %
        sweeps/b.json  Test CPU · 2 cores / 4 CPUs       4  threads  cpu       steal        16  20.0 ms        1       3  320 ms    322 ms   321 ms–324 ms    0.99×     3.22×      99.4 %
        sweeps/b.json  Test CPU · 2 cores / 4 CPUs       4  threads  cpu       steal        16  20.0 ms        2       3  320 ms    165 ms   164 ms–167 ms    1.94×     1.65×      97.0 %
        sweeps/b.json  Test CPU · 2 cores / 4 CPUs       4  threads  cpu       steal        16  20.0 ms        4       3  320 ms    100 ms  99.0 ms–102 ms    3.20×     1.00×      80.0 %
        sweeps/b.json  Test CPU · 2 cores / 4 CPUs       4  threads  cpu       steal        16  20.0 ms        8       3  320 ms    102 ms   101 ms–104 ms    3.14×     1.02×      39.2 %
        ");
        // Markdown: numbers in the cells, the units in the headers.
        let markdown = markdown(&rows);
        let mut lines = markdown.lines();
        assert_eq!(
            lines.next(),
            Some(
                "| file | machine | usable | pool | workload | schedule | tasks | task [ms] | workers | repeat | serial [ms] | parallel [ms] | min–max [ms] | speedup | relative | efficiency [%] |"
            )
        );
        assert_eq!(
            lines.nth(1),
            Some(
                "| a.json | Test CPU · 4 cores / 8 CPUs | 8 | threads | sleep | steal | 24 | 100.0 | 8 | 1 | 2400.0 | 309.0 | 309.0–309.0 | 7.77 | 3.09 | 97.1 |"
            )
        );
        assert_eq!(markdown.lines().count(), 2 + rows.len());
        let csv = csv(&rows).unwrap();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some(
                "file,cpu_brand,physical_cores,logical_cpus,usable_cpus,pool,workload,schedule,tasks,task_s,workers,repeat,serial_s,parallel_s,parallel_min_s,parallel_max_s,speedup,relative,efficiency"
            )
        );
        assert_eq!(
            lines.next(),
            Some(
                "a.json,Test CPU,4,8,8,threads,sleep,steal,24,0.1,8,1,2.4,0.309,0.309,0.309,7.7670,3.0900,0.9709"
            )
        );
    }

    #[test]
    fn a_run_on_one_usable_cpu_says_so() {
        let mut value: Value = serde_json::from_str(&run_export(309)).unwrap();
        value["machine"]["usable_cpus"] = 1.into();
        let rows = rows_of("pinned.json", &value.to_string()).unwrap();
        let table = table(&rows);
        let line = table.lines().nth(1).unwrap();
        assert!(
            line.contains("4 cores / 8 CPUs       1  threads"),
            "{table}"
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
            "x.json: a damaged parlab run export: -1 is not a time in seconds"
        );
        let info =
            crate::output::machine::info_json(&MachineInfo::synthetic(2, 2), 2, None).unwrap();
        assert!(
            why(&info)
                .contains("compare reads the exports of run, run --pool all, sweep and check")
        );
        for message in [why("hello"), why(&info)] {
            assert_eq!(message.lines().count(), 1, "{message}");
        }
    }
}
