//! The output of `parlab run --pool all`: the same work on every pool, one
//! row each (start-up, serial, parallel, speedup, CPU time, per-task
//! transfer), as a table, JSON, CSV or Markdown.

use crate::measure::RunResult;
use crate::pool::Pool;
use crate::units::{counted, format_duration, format_ms, format_ratio, secs};
use serde::Serialize;
use std::fmt::Write;

/// A pool that did not run, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    /// The pool.
    pub pool: Pool,
    /// The one-line reason.
    pub reason: String,
}

impl Skipped {
    /// `pool` skipped for `reason`.
    pub fn new(pool: Pool, reason: String) -> Self {
        Self { pool, reason }
    }
}

/// Every pool's report of the same work, and the pools that could not run.
#[derive(Clone, Debug, Serialize)]
pub struct PoolComparison {
    /// One report per pool that ran, in the order of [`Pool`]'s variants.
    pub reports: Vec<RunResult>,
    /// The pools that could not run here.
    pub skipped: Vec<Skipped>,
}

/// What every pool ran: the workload, its size and the worker count.
fn title(r: &RunResult) -> String {
    format!(
        "{} · {} × {} · {}",
        r.work.workload.name(),
        counted(r.work.tasks, "task"),
        format_ms(r.work.task_ms),
        counted(r.work.workers, "worker")
    )
}

const HEADER: [&str; 8] = [
    "pool",
    "start-up",
    "serial",
    "parallel",
    "speedup",
    "CPU (par)",
    "transfer/task",
    "check",
];

fn cells(r: &RunResult) -> [String; 8] {
    [
        r.work.pool.name().to_string(),
        format_duration(r.pool_build),
        format_duration(r.serial_time),
        format_duration(r.parallel_time),
        format_ratio(r.speedup),
        format_duration(r.parallel.cpu),
        r.transfer_text(),
        if r.results_match { "match" } else { "DIFFER" }.to_string(),
    ]
}

/// The aligned table with one line per pool, then what a reader needs to
/// read it: the interpreter, the skipped pools, the warnings.
pub fn table(c: &PoolComparison) -> String {
    let mut out = String::new();
    if let Some(first) = c.reports.first() {
        let payload = match first.work.payload_kb {
            0 => String::new(),
            kb => format!(" · payload {kb} KB per task"),
        };
        let _ = writeln!(out, "parlab run · {}{payload}", title(first));
        let _ = writeln!(out, "machine     {}\n", first.machine.summary());
    }
    let widths = [16, 9, 9, 9, 8, 9, 13, 6];
    let row = |cells: &[String]| {
        let mut line = format!("{:<w$}", cells[0], w = widths[0]);
        for (cell, w) in cells.iter().zip(widths).skip(1) {
            let _ = write!(line, "  {cell:>w$}");
        }
        line.trim_end().to_string()
    };
    let header: Vec<String> = HEADER.iter().map(|h| h.to_string()).collect();
    let _ = writeln!(out, "{}", row(&header));
    for r in &c.reports {
        let _ = writeln!(out, "{}", row(&cells(r)));
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "start-up is outside both clocks; transfer/task is a round trip minus the task's work (processes), or pickling a task and its result there and back, measured after the run (python-processes)"
    );
    if let Some(python) = c.reports.iter().find_map(|r| r.python.as_ref()) {
        let _ = writeln!(out, "python      {}", python.describe());
    }
    for skipped in &c.skipped {
        let _ = writeln!(
            out,
            "skipped     {}: {}",
            skipped.pool.name(),
            skipped.reason
        );
    }
    // A warning every pool shares (a busy machine) is said once; one of a
    // single pool's runs names the pool.
    let mut said: Vec<&String> = Vec::new();
    for r in &c.reports {
        for warning in &r.warnings {
            if said.contains(&warning) {
                continue;
            }
            said.push(warning);
            if c.reports
                .iter()
                .all(|other| other.warnings.contains(warning))
            {
                let _ = writeln!(out, "warning     {warning}");
            } else {
                let _ = writeln!(out, "warning     {}: {warning}", r.work.pool.name());
            }
        }
    }
    out
}

/// One JSON object: every pool's full report and the skipped pools.
pub fn json(c: &PoolComparison) -> anyhow::Result<String> {
    Ok(crate::output::schema::stamped_json(
        crate::output::schema::ExportKind::Pools,
        c,
    )?)
}

/// A header row and one row per pool, times in seconds.
pub fn csv(c: &PoolComparison) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "pool",
        "startup_s",
        "serial_s",
        "parallel_s",
        "speedup",
        "parallel_cpu_s",
        "transfer_per_task_s",
        "results_match",
    ])?;
    for r in &c.reports {
        writer.write_record([
            r.work.pool.name().to_string(),
            secs(r.pool_build).to_string(),
            secs(r.serial_time).to_string(),
            secs(r.parallel_time).to_string(),
            format!("{:.4}", r.speedup),
            secs(r.parallel.cpu).to_string(),
            r.transfer_per_task
                .map_or(String::new(), |t| secs(t).to_string()),
            r.results_match.to_string(),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// The same table in Markdown.
pub fn markdown(c: &PoolComparison) -> String {
    let mut out = String::new();
    if let Some(first) = c.reports.first() {
        let _ = writeln!(out, "**{}**\n", title(first));
    }
    let _ = writeln!(out, "| {} |", HEADER.join(" | "));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(HEADER.len() - 1));
    for r in &c.reports {
        let _ = writeln!(out, "| {} |", cells(r).join(" | "));
    }
    for skipped in &c.skipped {
        let _ = writeln!(out, "\n{} skipped: {}", skipped.pool.name(), skipped.reason);
    }
    out
}

impl crate::output::Export for PoolComparison {
    fn table(&self, _color: bool) -> String {
        table(self)
    }
    fn json(&self) -> anyhow::Result<String> {
        json(self)
    }
    fn csv(&self) -> anyhow::Result<String> {
        csv(self)
    }
    fn markdown(&self) -> String {
        markdown(self)
    }
}
