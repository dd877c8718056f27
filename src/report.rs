//! Turns results into text: an aligned table for people, JSON for scripts,
//! CSV for spreadsheets and Markdown for reports.
//!
//! Every function returns a `String` and prints nothing, so the output is
//! tested as text and written by the caller in one piece (no partial output
//! on error).

use crate::machine::MachineInfo;
use crate::measure::RunReport;
use crate::units::{format_duration, format_ms, format_percent, format_ratio, secs};
use crossterm::style::Stylize;
use std::fmt::Write;

/// Whether to colour table output: only on a terminal, never with `NO_COLOR`.
pub fn use_color(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The headline of a run: what ran, how big, on how many workers.
pub fn run_title(r: &RunReport) -> String {
    let fraction = r.serial_part.map_or(String::new(), |part| {
        format!(" {}", format_percent(part.serial_fraction))
    });
    format!(
        "{}{fraction} · {} tasks × {} · {} workers",
        r.workload.name(),
        r.tasks,
        format_ms(r.task_ms),
        r.workers
    )
}

/// How the ideal was computed, in words.
pub fn ideal_explained(r: &RunReport) -> String {
    match r.ideal_model {
        crate::stats::Bound::Waves => format!(
            "waves: {} tasks in waves of {} (measured serial task times)",
            r.tasks, r.ideal_lanes
        ),
        crate::stats::Bound::Cores => format!(
            "cores: the work of {} tasks shared by {} CPUs (measured serial task times)",
            r.tasks, r.ideal_lanes
        ),
        crate::stats::Bound::LongestTask => {
            "longest task: nothing finishes before the longest task (measured serial task times)"
                .to_string()
        }
        crate::stats::Bound::Amdahl => format!(
            "amdahl: serial part {} + {} tasks on {} lanes (measured serial times)",
            format_duration(r.serial_part.map(|p| p.time).unwrap_or_default()),
            r.tasks,
            r.ideal_lanes
        ),
    }
}

/// The aligned, human-readable result of `parlab run`.
pub fn run_table(r: &RunReport, color: bool) -> String {
    let bold = |s: String| if color { s.bold().to_string() } else { s };
    let mut out = String::new();
    let _ = writeln!(out, "{}", bold(format!("parlab run · {}", run_title(r))));
    let _ = writeln!(out, "machine     {}\n", r.machine.summary());
    let _ = writeln!(
        out,
        "{}",
        bold(format!(
            "{:<10}  {:>9}  {:>9}  {:>9}  {:>9}",
            "", "median", "min", "max", "CPU time"
        ))
    );
    for (name, [median, min, max, cpu]) in side_rows(r) {
        let _ = writeln!(out, "{name:<10}  {median:>9}  {min:>9}  {max:>9}  {cpu:>9}");
    }
    let _ = writeln!(
        out,
        "{:<10}  {:>9}  {}",
        "ideal",
        format_duration(r.ideal_time),
        ideal_explained(r)
    );
    let speedup = format!("{} faster", format_ratio(r.speedup));
    let speedup = if color {
        speedup.green().bold().to_string()
    } else {
        speedup
    };
    let _ = writeln!(
        out,
        "\nspeedup     {speedup} (ideal {}) · efficiency {} of {} workers",
        format_ratio(r.ideal_speedup),
        format_percent(r.efficiency),
        r.workers
    );
    let _ = writeln!(
        out,
        "overhead    {} · pool built in {} (not timed)",
        overhead_text(r),
        format_duration(r.pool_build)
    );
    let check = if r.results_match {
        "results match (same checksum on both sides)"
    } else {
        "RESULTS DIFFER"
    };
    let _ = writeln!(out, "check       {check}");
    for warning in &r.warnings {
        let _ = writeln!(out, "warning     {warning}");
    }
    out
}

/// The parallel time beyond the ideal, in total and per task and worker;
/// a run that met the model has none to show.
fn overhead_text(r: &RunReport) -> String {
    let excess = r.parallel_time.saturating_sub(r.ideal_time);
    if excess.is_zero() {
        return "none: the parallel run met the ideal".to_string();
    }
    format!(
        "{} over the ideal, {} per task and worker",
        format_duration(excess),
        format_duration(r.overhead_per_task)
    )
}

/// Each side's name with its median, min, max and CPU time, formatted: the
/// rows the table and the Markdown share.
fn side_rows(r: &RunReport) -> [(&'static str, [String; 4]); 2] {
    [("serial", &r.serial), ("parallel", &r.parallel)].map(|(name, side)| {
        let cells = [side.wall.median, side.wall.min, side.wall.max, side.cpu].map(format_duration);
        (name, cells)
    })
}

/// One JSON object with every figure of the run.
pub fn run_json(r: &RunReport) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(r)? + "\n")
}

/// A header row and one row per side.
pub fn run_csv(r: &RunReport) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "side",
        "workload",
        "tasks",
        "workers",
        "task_ms",
        "repeat",
        "median_s",
        "min_s",
        "max_s",
        "cpu_s",
        "ideal_parallel_s",
        "speedup",
        "efficiency",
        "results_match",
        "serial_fraction",
    ])?;
    for (name, side) in [("serial", &r.serial), ("parallel", &r.parallel)] {
        writer.write_record([
            name.to_string(),
            r.workload.name().to_string(),
            r.tasks.to_string(),
            r.workers.to_string(),
            r.task_ms.to_string(),
            r.repeat.to_string(),
            secs(side.wall.median).to_string(),
            secs(side.wall.min).to_string(),
            secs(side.wall.max).to_string(),
            secs(side.cpu).to_string(),
            secs(r.ideal_time).to_string(),
            format!("{:.4}", r.speedup),
            format!("{:.4}", r.efficiency),
            r.results_match.to_string(),
            r.serial_part
                .map_or(String::new(), |p| p.serial_fraction.to_string()),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// A Markdown summary line and table.
pub fn run_markdown(r: &RunReport) -> String {
    let mut out = format!(
        "**{}** on {}: speedup **{}** (ideal {}), efficiency {}, results {}.\n\n",
        run_title(r),
        r.machine.summary(),
        format_ratio(r.speedup),
        format_ratio(r.ideal_speedup),
        format_percent(r.efficiency),
        if r.results_match { "match" } else { "DIFFER" }
    );
    out.push_str("| side | median | min | max | CPU time |\n|:---|---:|---:|---:|---:|\n");
    for (name, cells) in side_rows(r) {
        let _ = writeln!(out, "| {name} | {} |", cells.join(" | "));
    }
    let _ = writeln!(
        out,
        "| ideal ({}) | {} | | | |",
        r.ideal_model.name(),
        format_duration(r.ideal_time)
    );
    out
}

/// The facts `parlab info` prints, as aligned text.
pub fn info_table(m: &MachineInfo, rayon_threads: usize) -> String {
    let cache = m
        .last_level_cache_bytes
        .map_or("unknown".to_string(), |b| format!("{} MiB", b >> 20));
    let groups: Vec<String> = m
        .core_groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|c| format!("cpu{c}"))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    let rows = [
        ("CPU", m.cpu_brand.clone()),
        ("physical cores", m.physical_cores.to_string()),
        ("logical CPUs", m.logical_cpus.to_string()),
        ("usable CPUs", m.usable_cpus.to_string()),
        ("frequency", format!("{} MHz", m.frequency_mhz)),
        ("last-level cache", cache),
        ("OS", m.os.clone()),
        ("rayon default", format!("{rayon_threads} threads")),
        ("cores (CPUs)", groups.join("  ")),
    ];
    rows.iter().map(|(k, v)| format!("{k:<17} {v}\n")).collect()
}

/// The facts `parlab info` prints, as JSON.
pub fn info_json(m: &MachineInfo, rayon_threads: usize) -> anyhow::Result<String> {
    let mut value = serde_json::to_value(m)?;
    value["rayon_default_threads"] = rayon_threads.into();
    value["core_groups"] = serde_json::to_value(&m.core_groups)?;
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RunSpec;
    use crate::measure::{Rounds, SideResult};
    use crate::stats::Summary;
    use std::time::Duration;

    /// The seed demo with a serial side of 24 × 100 ms and the given
    /// parallel time.
    fn seed_report(parallel_ms: u64) -> RunReport {
        let side = |ms: u64| SideResult {
            wall: Summary::of(&[Duration::from_millis(ms)]),
            cpu: Duration::from_millis(1),
            checksum: 7,
            task_times: vec![Duration::from_millis(100); 24],
            serial_part: Duration::ZERO,
            transfer: None,
        };
        RunReport::new(
            &RunSpec::SEED_DEMO,
            Rounds::ONCE,
            &MachineInfo::synthetic(2, 2),
            &side(2400),
            &side(parallel_ms),
            Duration::from_micros(500),
        )
    }

    #[test]
    fn the_table_reports_overhead_beyond_the_ideal() {
        let slow = run_table(&seed_report(324), false);
        assert!(
            slow.contains("overhead    24.0 ms over the ideal, 8.00 ms per task and worker"),
            "{slow}"
        );
        let met = run_table(&seed_report(300), false);
        assert!(
            met.contains("overhead    none: the parallel run met the ideal"),
            "{met}"
        );
        assert!(
            met.contains("speedup     8.00× faster (ideal 8.00×)"),
            "{met}"
        );
    }
}
