//! A measured run as text: an aligned table for people, JSON for scripts,
//! CSV for spreadsheets and Markdown for reports.
//!
//! Every function returns a `String` and prints nothing, so the output is
//! tested as text and written by the caller in one piece (no partial output
//! on error).

use crate::accounting::{Loss, TimeAccounting};
use crate::measure::RunResult;
use crate::output::schema::{ExportKind, stamped_json};
use crate::units::{
    counted, format_duration, format_ms, format_percent, format_ratio, secs, speed_words,
};
use crossterm::style::Stylize;
use std::fmt::Write;

/// The headline of a run: what ran, how big, on how many workers, handed
/// out how (rayon's schedule, a Python pool's chunksize, or the pool that
/// hands tasks out its own way).
pub fn run_title(r: &RunResult) -> String {
    let fraction = r.serial_part.map_or(String::new(), |part| {
        format!(" {}", format_percent(part.serial_fraction))
    });
    let how = match (r.work.pool, r.work.schedule.chunk()) {
        (crate::pool::Pool::Threads, _) => r.work.schedule.label(),
        (pool, Some(chunk)) if pool.is_python() => {
            format!("{}, Pool.map chunksize {chunk}", pool.name())
        }
        (pool, _) => pool.name().to_string(),
    };
    format!(
        "{}{fraction} · {} × {} · {} · {how}",
        r.work.workload.name(),
        counted(r.work.tasks, "task"),
        format_ms(r.work.task_ms),
        counted(r.work.workers, "worker"),
    )
}

/// How the ideal was computed, in words.
pub fn ideal_explained(r: &RunResult) -> String {
    match r.ideal_model {
        crate::stats::Bound::Waves => format!(
            "waves: {} in waves of {} (measured serial task times)",
            counted(r.work.tasks, "task"),
            r.ideal_lanes
        ),
        crate::stats::Bound::Cores => format!(
            "cores: the work of {} shared by {} (measured serial task times)",
            counted(r.work.tasks, "task"),
            counted(r.ideal_lanes, "CPU")
        ),
        crate::stats::Bound::LongestTask => {
            "longest task: nothing finishes before the longest task (measured serial task times)"
                .to_string()
        }
        crate::stats::Bound::Amdahl => format!(
            "amdahl: serial part {} + {} on {} (measured serial times)",
            format_duration(r.serial_part.map(|p| p.time).unwrap_or_default()),
            counted(r.work.tasks, "task"),
            counted(r.ideal_lanes, "lane")
        ),
    }
}

/// The speedup in words, as the findings judged it: "about as fast as
/// serial" when the difference is within the noise of the repeats.
fn speed_in_words(r: &RunResult) -> String {
    if crate::finding::holds(&r.findings, crate::finding::FindingId::WallSame) {
        "about as fast as serial".to_string()
    } else {
        speed_words(r.speedup)
    }
}

/// The aligned, human-readable result of `parlab run`.
pub fn run_table(r: &RunResult, color: bool) -> String {
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
    let words = speed_in_words(r);
    let speedup = match (color, r.speedup >= 1.0) {
        (false, _) => words,
        _ if words.starts_with("about") => words.bold().to_string(),
        (true, true) => words.green().bold().to_string(),
        (true, false) => words.red().bold().to_string(),
    };
    let _ = writeln!(
        out,
        "\nspeedup     {speedup} ({} · ideal {}) · efficiency {} of {}",
        format_ratio(r.speedup),
        format_ratio(r.ideal_speedup),
        format_percent(r.efficiency),
        counted(r.work.workers, "worker")
    );
    let _ = writeln!(out, "overhead    {}", overhead_text(r));
    let _ = writeln!(out, "time went   {}", time_went(&r.time_accounting));
    let _ = writeln!(out, "pool        {}", pool_text(r));
    if let Some(python) = &r.python {
        let _ = writeln!(out, "python      {}", python.describe());
    }
    let check = if r.results_match {
        "results match (same checksum on both sides)"
    } else {
        "RESULTS DIFFER"
    };
    let _ = writeln!(out, "check       {check}");
    for finding in &r.findings {
        let _ = writeln!(out, "finding     {}", finding.text);
    }
    for warning in &r.warnings {
        let _ = writeln!(out, "warning     {warning}");
    }
    out
}

/// Where the lane time went, in one line: every part with its share, the
/// work first, then the losses from the largest, and the lane time they
/// add up to. Parts under 0.05 % are left out.
pub fn time_went(a: &TimeAccounting) -> String {
    let mut losses: Vec<Loss> = Loss::ALL
        .into_iter()
        .filter(|l| a.share(*l) >= 0.0005)
        .collect();
    losses.sort_by_key(|l| std::cmp::Reverse(a.part(*l)));
    let work = a.work.as_secs_f64() / a.lane.as_secs_f64().max(1e-12);
    let mut parts = vec![format!(
        "work {} ({})",
        format_duration(a.work),
        format_percent(work)
    )];
    parts.extend(losses.iter().map(|l| {
        format!(
            "{} {} ({})",
            l.label(),
            format_duration(a.part(*l)),
            format_percent(a.share(*l))
        )
    }));
    let estimate = if a.waits_measured {
        ""
    } else {
        ", CPU wait estimated"
    };
    format!(
        "{} of {} lane time{estimate}",
        parts.join(" · "),
        format_duration(a.lane)
    )
}

/// The pool, its start-up and, where it applies, what moving a task and
/// its payload cost.
fn pool_text(r: &RunResult) -> String {
    let mut text = format!(
        "{} · started in {} (not timed)",
        r.work.pool.name(),
        format_duration(r.pool_build)
    );
    if let Some(transfer) = r.transfer_per_task {
        let how = if r.work.pool == crate::pool::Pool::PythonProcesses {
            "to pickle it and its result there and back, measured after the run"
        } else {
            "to hand it over and back"
        };
        let _ = write!(
            text,
            " · {} per task {how} ({} in all)",
            format_duration(transfer),
            format_duration(r.transfer_total.unwrap_or_default())
        );
    }
    if r.work.payload_kb > 0 {
        let how = if r.work.pool.shares_memory() {
            "shared, not copied"
        } else {
            "copied there and back"
        };
        let _ = write!(text, " · payload {} KB per task, {how}", r.work.payload_kb);
    }
    text
}

/// The parallel time beyond the ideal, in total and per task and worker;
/// a run that met the model has none to show.
fn overhead_text(r: &RunResult) -> String {
    let excess = r.parallel_time.saturating_sub(r.ideal_time);
    if excess.is_zero() {
        return "none: the parallel run met the ideal".to_string();
    }
    format!(
        "{} over the ideal, {} per task ({} spread over the {} used)",
        format_duration(excess),
        format_duration(r.overhead_per_task),
        counted(r.work.tasks, "task"),
        counted(r.lanes_used, "lane"),
    )
}

/// Each side's name with its median, min, max and CPU time, formatted: the
/// rows the table and the Markdown share.
fn side_rows(r: &RunResult) -> [(&'static str, [String; 4]); 2] {
    [("serial", &r.serial), ("parallel", &r.parallel)].map(|(name, side)| {
        let cells = [side.wall.median, side.wall.min, side.wall.max, side.cpu].map(format_duration);
        (name, cells)
    })
}

/// One JSON object with every figure of the run and its findings as
/// `findings: [{id, text}]`. `parlab compare` reads it back as it is.
pub fn run_json(r: &RunResult) -> anyhow::Result<String> {
    Ok(stamped_json(ExportKind::Run, r)?)
}

/// A header row and one row per side.
pub fn run_csv(r: &RunResult) -> anyhow::Result<String> {
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
        "schedule",
        "chunk",
    ])?;
    for (name, side) in [("serial", &r.serial), ("parallel", &r.parallel)] {
        writer.write_record([
            name.to_string(),
            r.work.workload.name().to_string(),
            r.work.tasks.to_string(),
            r.work.workers.to_string(),
            r.work.task_ms.to_string(),
            r.rounds.repeat.to_string(),
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
            r.work.schedule.name().to_string(),
            r.work
                .schedule
                .chunk()
                .map_or(String::new(), |c| c.to_string()),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// A Markdown summary line and table.
pub fn run_markdown(r: &RunResult) -> String {
    let mut out = format!(
        "**{}** on {}: **{}** (ideal {}), efficiency {}, results {}.\n\n",
        run_title(r),
        r.machine.summary(),
        speed_in_words(r),
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
    out.push('\n');
    let _ = writeln!(
        out,
        "*Where the time went:* {}\n",
        time_went(&r.time_accounting)
    );
    for finding in &r.findings {
        let _ = writeln!(out, "- {}", finding.text);
    }
    out
}

impl crate::output::Export for RunResult {
    fn table(&self, color: bool) -> String {
        run_table(self, color)
    }
    fn json(&self) -> anyhow::Result<String> {
        run_json(self)
    }
    fn csv(&self) -> anyhow::Result<String> {
        run_csv(self)
    }
    fn markdown(&self) -> String {
        run_markdown(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Work;
    use crate::machine::MachineInfo;
    use crate::measure::{Rounds, SideResult};
    use crate::stats::Summary;
    use std::time::Duration;

    /// The seed demo with a serial side of 24 × 100 ms and the given
    /// parallel time.
    fn seed_report(parallel_ms: u64) -> RunResult {
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
        crate::experiment::judge_run(RunResult::new(
            &Work::SEED_DEMO,
            Rounds::ONCE,
            &MachineInfo::synthetic(2, 2),
            &side(2400),
            &side(parallel_ms),
            Duration::from_micros(500),
        ))
    }

    #[test]
    fn a_difference_within_the_noise_reads_as_fast_not_faster() {
        let table = run_table(&seed_report(2350), false);
        assert!(
            table.contains("speedup     about as fast as serial (1.02×"),
            "{table}"
        );
        assert!(!table.contains("faster"), "{table}");
        assert!(run_markdown(&seed_report(2350)).contains("**about as fast as serial**"));
    }

    #[test]
    fn a_slowdown_reads_slower_and_its_overhead_stays_within_the_whole() {
        let side = |ms: f64, tasks: usize| SideResult {
            wall: Summary::of(&[Duration::from_secs_f64(ms / 1000.0)]),
            cpu: Duration::from_millis(1),
            checksum: 7,
            task_times: vec![Duration::from_secs_f64(ms / 1000.0 / tasks as f64); tasks],
            serial_part: Duration::ZERO,
            transfer: None,
            end_idle: None,
            record: Default::default(),
        };
        let spec = Work {
            tasks: 2,
            workers: 1024,
            task_ms: 1.0,
            ..Work::SEED_DEMO
        };
        let r = RunResult::new(
            &spec,
            Rounds::ONCE,
            &MachineInfo::synthetic(2, 2),
            &side(2.2, 2),
            &side(30.0, 2),
            Duration::from_millis(400),
        );
        assert_eq!(r.lanes_used, 2);
        let excess = r.parallel_time - r.ideal_time;
        assert!(r.overhead_per_task <= excess, "{r:?}");
        let table = run_table(&r, false);
        assert!(
            table.contains("speedup     13.64× slower (0.07×"),
            "{table}"
        );
        assert!(!table.contains("faster"), "{table}");
    }

    #[test]
    fn the_table_reports_overhead_beyond_the_ideal() {
        let slow = run_table(&seed_report(324), false);
        assert!(
            slow.contains(
                "overhead    24.0 ms over the ideal, 8.00 ms per task (24 tasks spread over the 8 lanes used)"
            ),
            "{slow}"
        );
        let met = run_table(&seed_report(300), false);
        assert!(
            met.contains("overhead    none: the parallel run met the ideal"),
            "{met}"
        );
        assert!(
            met.contains("speedup     8.00× faster (8.00× · ideal 8.00×)"),
            "{met}"
        );
    }
}
