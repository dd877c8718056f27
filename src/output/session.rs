//! The session report: one Markdown file, `parlab-report-<date-time>.md`,
//! with the machine, every run, the sweeps and the lesson predictions of a
//! session, so a class can keep and compare what it measured.
//!
//! Building the text is a pure function of a [`Session`] and a time, tested
//! against a snapshot; writing it is a separate step that refuses cleanly
//! when the folder cannot take the file.

use super::sweep::{sweep_markdown, sweep_title};
use super::time_stamp::{UtcDateTime, file_stamp};
use crate::machine::MachineInfo;
use crate::measure::RunResult;
use crate::output::units::{format_duration, format_ms, format_percent, format_ratio};
use crate::predict::{Prediction, Quantity, Score, Verdict};
use crate::sweep::SweepResult;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A sweep's part of the report, already rendered by whoever ran it.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSection {
    /// A heading, e.g. "cpu · 24 tasks × 40 ms · 1 to 8 workers".
    pub title: String,
    /// The sweep's Markdown table.
    pub table: String,
    /// File name of its SVG chart, next to the report, if one was written.
    pub chart: Option<String>,
}

impl SweepSection {
    /// The section of `report`, with its chart's file name if one was
    /// saved.
    pub fn of(report: &SweepResult, chart: Option<String>) -> Self {
        Self {
            title: sweep_title(report),
            table: sweep_markdown(report),
            chart,
        }
    }
}

/// Everything a report covers.
#[derive(Clone, Copy, Debug)]
pub struct Session<'a> {
    /// The machine every run used.
    pub machine: &'a MachineInfo,
    /// Every completed run, oldest first.
    pub runs: &'a [RunResult],
    /// Every sweep, oldest first.
    pub sweeps: &'a [SweepSection],
    /// Every guess, oldest first.
    pub predictions: &'a [Prediction],
}

/// The report's Markdown, written at `at`.
pub fn markdown(session: &Session, at: SystemTime) -> String {
    let mut out = format!(
        "# parlab session report\n\nWritten {} by parlab {}.\n",
        UtcDateTime::from(at),
        env!("CARGO_PKG_VERSION")
    );
    machine_section(&mut out, session.machine);
    runs_section(&mut out, session.runs);
    for sweep in session.sweeps {
        let _ = write!(
            out,
            "\n## Sweep: {}\n\n{}\n",
            sweep.title,
            sweep.table.trim_end()
        );
        if let Some(chart) = &sweep.chart {
            let _ = writeln!(out, "\n![{}]({chart})", cell(&sweep.title));
        }
    }
    predictions_section(&mut out, session.predictions);
    out
}

fn machine_section(out: &mut String, m: &MachineInfo) {
    let cache = m
        .last_level_cache_bytes
        .map_or("unknown".to_string(), |b| format!("{} MiB", b >> 20));
    let _ = write!(out, "\n## Machine\n\n| | |\n|:---|:---|\n");
    for (name, value) in [
        ("CPU", cell(&m.cpu_brand)),
        ("physical cores", m.physical_cores.to_string()),
        ("logical CPUs", m.logical_cpus.to_string()),
        ("usable CPUs", m.usable_cpus.to_string()),
        ("frequency", format!("{} MHz", m.frequency_mhz)),
        ("last-level cache", cache),
        ("OS", cell(&m.os)),
    ] {
        let _ = writeln!(out, "| {name} | {value} |");
    }
}

fn runs_section(out: &mut String, runs: &[RunResult]) {
    out.push_str("\n## Runs\n\n");
    if runs.is_empty() {
        out.push_str("No runs in this session.\n");
        return;
    }
    out.push_str(
        "Times are medians of the timed runs. The ideal is a model computed from the \
         measured serial task times, not a measurement.\n\n\
         | # | workload | tasks | workers | schedule | serial | parallel | ideal (model) | speedup | \
         efficiency | CPU serial | CPU parallel | results |\n\
         |---:|:---|---:|---:|:---|---:|---:|---:|---:|---:|---:|---:|:---|\n",
    );
    for (i, r) in runs.iter().enumerate() {
        let workload = match r.serial_part {
            Some(part) => format!(
                "{} {}",
                r.workload.name(),
                format_percent(part.serial_fraction)
            ),
            None => r.workload.name().to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {workload} | {} × {} | {} | {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} |",
            i + 1,
            r.tasks,
            format_ms(r.task_ms),
            r.workers,
            r.schedule.label(),
            format_duration(r.serial_time),
            format_duration(r.parallel_time),
            format_duration(r.ideal_time),
            r.ideal_model.name(),
            format_ratio(r.speedup),
            format_percent(r.efficiency),
            format_duration(r.serial.cpu),
            format_duration(r.parallel.cpu),
            if r.results_match { "match" } else { "DIFFER" },
        );
    }
}

fn predictions_section(out: &mut String, predictions: &[Prediction]) {
    out.push_str("\n## Predictions\n\n");
    if predictions.is_empty() {
        out.push_str("No guesses in this session.\n");
        return;
    }
    let mut score = Score::default();
    predictions.iter().for_each(|p| score.record(&p.outcome));
    let _ = write!(
        out,
        "{}.\n\n| # | step | asked | guess | measured | verdict |\n|---:|:---|:---|---:|---:|:---|\n",
        score.summary()
    );
    for (i, p) in predictions.iter().enumerate() {
        let o = &p.outcome;
        let asked = match o.quantity {
            Quantity::ParallelTime => "parallel time",
            Quantity::Speedup => "speedup",
        };
        let verdict = match o.verdict {
            Verdict::Close => "close".to_string(),
            Verdict::TooOptimistic => format!("too optimistic ({:.1}× off)", o.factor()),
            Verdict::TooPessimistic => format!("too pessimistic ({:.1}× off)", o.factor()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {asked} | {} | {} | {verdict} |",
            i + 1,
            cell(&p.label),
            o.quantity.format(o.guess),
            o.quantity.format(o.measured),
        );
    }
}

/// Text made safe for one Markdown table cell: no pipes, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The report's file name for a session written at `at`, in UTC, with no
/// characters that any common file system refuses.
pub fn file_name(at: SystemTime) -> String {
    format!("parlab-report-{}.md", file_stamp(at))
}

/// Why the report could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the report in {}: {source}", dir.display())]
pub struct ReportError {
    /// The folder it was meant for.
    pub dir: PathBuf,
    /// What the system said.
    pub source: std::io::Error,
}

/// Writes the report for `session` into `dir` and returns its path. Never
/// overwrites: a second report in the same second gets `-2`, `-3`, ….
pub fn write(dir: &Path, session: &Session, at: SystemTime) -> Result<PathBuf, ReportError> {
    let text = markdown(session, at);
    let name = file_name(at);
    let stem = name.trim_end_matches(".md");
    let fail = |source| ReportError {
        dir: dir.to_path_buf(),
        source,
    };
    for attempt in 1..=99 {
        let path = match attempt {
            1 => dir.join(&name),
            n => dir.join(format!("{stem}-{n}.md")),
        };
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match file {
            Ok(mut file) => return file.write_all(text.as_bytes()).map(|()| path).map_err(fail),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(fail(e)),
        }
    }
    Err(fail(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "99 reports already carry this second's name",
    )))
}

#[cfg(test)]
mod tests;
