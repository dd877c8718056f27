//! A finished `parlab check` as text: an aligned table, JSON (which
//! `parlab compare` reads), CSV and Markdown. Its SVG is the compute
//! sweep's chart ([`super::sweep_svg`]).

use crate::check::{Bandwidth, CheckResult, CpuSpeed, Overhead};
use crate::finding::Finding;
use crate::machine::MachineInfo;
use crate::output::Export;
use crate::output::schema::{ExportKind, stamped_json};
use crate::output::sweep::SweepExport;
use crate::units::{counted, format_bytes, format_duration, format_ms, format_ratio, format_span};
use crossterm::style::Stylize;
use serde::Serialize;
use std::fmt::Write as _;

/// The check's JSON export: every figure, and both sweeps whole.
#[derive(Serialize)]
struct CheckExport<'a> {
    budget_s: f64,
    elapsed_s: f64,
    machine: &'a MachineInfo,
    mp_ratio: f64,
    usable_cpus: usize,
    bandwidth: &'a [Bandwidth],
    memory_buffer_bytes: u64,
    overhead: &'a Overhead,
    per_cpu: Option<&'a [CpuSpeed]>,
    smt_yield: Option<f64>,
    notes: &'a [String],
    findings: &'a [Finding],
    warnings: &'a [String],
    compute: SweepExport,
    memory: SweepExport,
}

/// The compute rows: workers, parallel median, speedup, ideal speedup.
fn compute_rows(r: &CheckResult) -> Vec<[String; 4]> {
    r.compute
        .rows
        .iter()
        .map(|row| {
            [
                row.workers.to_string(),
                format_duration(row.parallel.median),
                format_ratio(row.speedup),
                format_ratio(row.ideal_speedup),
            ]
        })
        .collect()
}

/// The memory rows: workers, GB/s, speedup over one worker.
fn memory_rows(r: &CheckResult) -> Vec<[String; 3]> {
    let first = r.bandwidth.first().map_or(0.0, |b| b.gb_per_s);
    r.bandwidth
        .iter()
        .map(|b| {
            [
                b.workers.to_string(),
                format!("{:.1}", b.gb_per_s),
                if first > 0.0 {
                    format_ratio(b.gb_per_s / first)
                } else {
                    "–".to_string()
                },
            ]
        })
        .collect()
}

/// What the compute sweep ran, in a few words.
fn compute_title(r: &CheckResult) -> String {
    format!(
        "compute: {} cpu tasks of {}, median of {}",
        r.compute.work.tasks,
        format_ms(r.compute.work.task_ms),
        counted(r.compute.rounds.repeat, "run")
    )
}

/// What the memory sweep read, and against which cache.
fn memory_title(r: &CheckResult) -> String {
    let cache = r
        .machine
        .last_level_cache_bytes
        .map_or("an unknown last-level cache".to_string(), |c| {
            format!("the {} last-level cache", format_bytes(c))
        });
    format!(
        "memory: read bandwidth, {} tasks streaming a {} buffer ({:.1}× {cache})",
        r.memory.work.tasks,
        format_bytes(r.buffer_bytes),
        r.machine
            .last_level_cache_bytes
            .map_or(0.0, |c| r.buffer_bytes as f64 / c.max(1) as f64),
    )
}

/// The per-task cost in words, with what it was measured on.
fn overhead_text(o: &Overhead) -> String {
    format!(
        "{:.0} ns per task ({} tiny tasks on {}: serial {}, parallel {}; lane time beyond the work, per task)",
        o.per_task_ns,
        o.tasks,
        counted(o.workers, "worker"),
        format_duration(o.serial),
        format_duration(o.parallel)
    )
}

/// Each CPU's relative speed, or why there is none.
fn per_cpu_text(r: &CheckResult) -> String {
    match &r.speeds.per_cpu {
        Some(speeds) => speeds
            .iter()
            .map(|s| format!("cpu{} {:.2}", s.cpu, s.relative))
            .collect::<Vec<_>>()
            .join(" · "),
        None => "not measured (see the notes)".to_string(),
    }
}

/// The SMT yield, or why there is none.
fn smt_text(r: &CheckResult) -> String {
    match r.speeds.smt_yield {
        Some(y) => format!(
            "{} (two hardware threads of one core over one alone)",
            format_ratio(y)
        ),
        None if r.machine.logical_cpus <= r.machine.physical_cores => {
            "none: one hardware thread per core, so no SMT to measure".to_string()
        }
        None => "not measured (see the notes)".to_string(),
    }
}

/// The header line: the machine and the time taken against the budget.
fn header(r: &CheckResult) -> String {
    format!(
        "parlab check · {} · {} usable · {} of a {} budget",
        r.machine.summary(),
        r.machine.usable_cpus,
        format_span(r.elapsed),
        format_span(r.budget)
    )
}

/// Lines under the tables, the same in text and Markdown: the task cost,
/// the per-CPU speeds and SMT yield, then findings, notes and warnings.
fn closing_lines(r: &CheckResult) -> Vec<(&'static str, String)> {
    let mut lines: Vec<(&'static str, String)> = vec![
        ("per task", overhead_text(&r.overhead)),
        ("per CPU", per_cpu_text(r)),
        ("SMT yield", smt_text(r)),
        (
            "memory",
            crate::sentences::verdict_on(&r.memory.fit, r.memory.busy),
        ),
    ];
    lines.extend(r.findings.iter().map(|f| ("finding", f.text.clone())));
    lines.extend(r.speeds.notes.iter().map(|n| ("note", n.clone())));
    lines.extend(r.warnings.iter().map(|w| ("warning", w.clone())));
    lines
}

impl Export for CheckResult {
    fn table(&self, color: bool) -> String {
        let bold = |s: String| if color { s.bold().to_string() } else { s };
        let mut out = String::new();
        let _ = writeln!(out, "{}\n", bold(header(self)));
        let _ = writeln!(out, "{}", compute_title(self));
        let _ = writeln!(
            out,
            "{}",
            bold(format!(
                "{:>7}  {:>9}  {:>8}  {:>8}",
                "workers", "parallel", "speedup", "ideal"
            ))
        );
        for [w, t, s, i] in compute_rows(self) {
            let _ = writeln!(out, "{w:>7}  {t:>9}  {s:>8}  {i:>8}");
        }
        let _ = writeln!(
            out,
            "mp_ratio {} on {}\n",
            format_ratio(self.mp_ratio),
            counted(self.machine.usable_cpus, "usable CPU")
        );
        let _ = writeln!(out, "{}", memory_title(self));
        let _ = writeln!(
            out,
            "{}",
            bold(format!("{:>7}  {:>9}  {:>8}", "workers", "GB/s", "vs one"))
        );
        for [w, g, s] in memory_rows(self) {
            let _ = writeln!(out, "{w:>7}  {g:>9}  {s:>8}");
        }
        out.push('\n');
        for (name, text) in closing_lines(self) {
            let _ = writeln!(out, "{name:<10} {text}");
        }
        out
    }

    fn json(&self) -> anyhow::Result<String> {
        let export = CheckExport {
            budget_s: self.budget.as_secs_f64(),
            elapsed_s: self.elapsed.as_secs_f64(),
            machine: &self.machine,
            mp_ratio: self.mp_ratio,
            usable_cpus: self.machine.usable_cpus,
            bandwidth: &self.bandwidth,
            memory_buffer_bytes: self.buffer_bytes,
            overhead: &self.overhead,
            per_cpu: self.speeds.per_cpu.as_deref(),
            smt_yield: self.speeds.smt_yield,
            notes: &self.speeds.notes,
            findings: &self.findings,
            warnings: &self.warnings,
            compute: SweepExport::of(&self.compute),
            memory: SweepExport::of(&self.memory),
        };
        Ok(stamped_json(ExportKind::Check, &export)?)
    }

    /// One measured figure per line: what, at how many workers or on which
    /// CPU, its value and unit.
    fn csv(&self) -> anyhow::Result<String> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["measure", "workers", "cpu", "value", "unit"])?;
        let mut record =
            |measure: &str, workers: Option<usize>, cpu: Option<usize>, value: f64, unit: &str| {
                let text = |n: Option<usize>| n.map_or(String::new(), |n| n.to_string());
                writer.write_record([
                    measure.to_string(),
                    text(workers),
                    text(cpu),
                    format!("{value:.4}"),
                    unit.to_string(),
                ])
            };
        for row in &self.compute.rows {
            record("speedup", Some(row.workers), None, row.speedup, "x")?;
        }
        record(
            "mp_ratio",
            Some(self.machine.usable_cpus),
            None,
            self.mp_ratio,
            "x",
        )?;
        for b in &self.bandwidth {
            record("bandwidth", Some(b.workers), None, b.gb_per_s, "GB/s")?;
        }
        record(
            "overhead",
            Some(self.overhead.workers),
            None,
            self.overhead.per_task_ns,
            "ns",
        )?;
        for s in self.speeds.per_cpu.iter().flatten() {
            record("per_cpu", None, Some(s.cpu), s.relative, "relative")?;
        }
        if let Some(y) = self.speeds.smt_yield {
            record("smt_yield", None, None, y, "x")?;
        }
        Ok(String::from_utf8(writer.into_inner()?)?)
    }

    fn markdown(&self) -> String {
        let mut out = format!("## {}\n\n", header(self));
        let _ = writeln!(out, "{}\n", compute_title(self));
        out.push_str("| workers | parallel | speedup | ideal |\n|---:|---:|---:|---:|\n");
        for [w, t, s, i] in compute_rows(self) {
            let _ = writeln!(out, "| {w} | {t} | {s} | {i} |");
        }
        let _ = writeln!(
            out,
            "\n**mp_ratio {}** on {}\n",
            format_ratio(self.mp_ratio),
            counted(self.machine.usable_cpus, "usable CPU")
        );
        let _ = writeln!(out, "{}\n", memory_title(self));
        out.push_str("| workers | GB/s | vs one |\n|---:|---:|---:|\n");
        for [w, g, s] in memory_rows(self) {
            let _ = writeln!(out, "| {w} | {g} | {s} |");
        }
        out.push('\n');
        for (name, text) in closing_lines(self) {
            let _ = writeln!(out, "- **{name}**: {}", text.replace('|', "\\|"));
        }
        out
    }
}
