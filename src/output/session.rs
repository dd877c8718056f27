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
use crate::predict::{Prediction, Quantity, Score, Verdict};
use crate::sweep::SweepResult;
use crate::units::{format_duration, format_ms, format_percent, format_ratio};
use std::fmt::Write as _;
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
                r.work.workload.name(),
                format_percent(part.serial_fraction)
            ),
            None => r.work.workload.name().to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {workload} | {} × {} | {} | {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} |",
            i + 1,
            r.work.tasks,
            format_ms(r.work.task_ms),
            r.work.workers,
            r.work.schedule.label(),
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
        // Whole or not at all: a full disk leaves no empty report behind.
        match crate::output::write_new_atomic(&path, text.as_bytes()) {
            Ok(()) => return Ok(path),
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
mod tests {
    use super::*;
    use crate::config::Work;
    use crate::measure::{Rounds, SideResult};
    use crate::predict::judge;
    use crate::stats::Summary;
    use crate::workload::WorkloadKind;
    use std::time::Duration;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    fn side(
        wall: Duration,
        cpu: Duration,
        tasks: &[Duration],
        serial_part: Duration,
    ) -> SideResult {
        SideResult {
            wall: Summary::of(&[wall]),
            cpu,
            checksum: 42,
            task_times: tasks.to_vec(),
            serial_part,
            transfer: None,
            end_idle: None,
            record: Default::default(),
        }
    }

    /// A fixed session: the classic demo, a CPU run and a serial-fraction run.
    fn fixture_runs(machine: &MachineInfo) -> Vec<RunResult> {
        let demo = RunResult::new(
            &Work::SEED_DEMO,
            Rounds::ONCE,
            machine,
            &side(ms(2400), ms(4), &[ms(100); 24], Duration::ZERO),
            &side(ms(301), ms(3), &[], Duration::ZERO),
            Duration::from_micros(500),
        );
        let cpu_spec = Work {
            workload: WorkloadKind::Cpu,
            task_ms: 40.0,
            ..Work::SEED_DEMO
        };
        let cpu = RunResult::new(
            &cpu_spec,
            Rounds::ONCE,
            machine,
            &side(ms(960), ms(960), &[ms(40); 24], Duration::ZERO),
            &side(ms(245), ms(970), &[], Duration::ZERO),
            Duration::from_micros(500),
        );
        let amdahl_spec = Work {
            workload: WorkloadKind::SerialFraction,
            tasks: 16,
            workers: 4,
            task_ms: 20.0,
            serial_fraction: 0.25,
            ..Work::SEED_DEMO
        };
        let amdahl = RunResult::new(
            &amdahl_spec,
            Rounds::ONCE,
            machine,
            &side(ms(320), ms(320), &[ms(15); 16], ms(80)),
            &side(ms(143), ms(322), &[], Duration::ZERO),
            Duration::from_micros(500),
        );
        vec![demo, cpu, amdahl]
    }

    fn fixture_predictions() -> Vec<Prediction> {
        vec![
            Prediction {
                label: "1. The classic demo › One worker".into(),
                outcome: judge(Quantity::ParallelTime, 2.4, 2.401, 0.0),
            },
            Prediction {
                label: "1. The classic demo › Eight workers".into(),
                outcome: judge(Quantity::ParallelTime, 0.15, 0.301, 0.0),
            },
            Prediction {
                label: "8. Amdahl | serial part".into(),
                outcome: judge(Quantity::Speedup, 4.0, 2.24, 0.0),
            },
        ]
    }

    /// 2026-11-25 06:23:25 UTC.
    fn fixed_time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_587_805)
    }

    #[test]
    fn the_report_of_a_fixed_session() {
        let machine = MachineInfo::synthetic(4, 8);
        let runs = fixture_runs(&machine);
        let sweeps = [SweepSection {
            title: "cpu · 24 tasks × 40 ms".into(),
            table: "| workers | speedup |\n|---:|---:|\n| 1 | 1.00× |\n| 2 | 1.98× |\n".into(),
            chart: Some("parlab-sweep-1.svg".into()),
        }];
        let predictions = fixture_predictions();
        let session = Session {
            machine: &machine,
            runs: &runs,
            sweeps: &sweeps,
            predictions: &predictions,
        };
        insta::assert_snapshot!(markdown(&session, fixed_time()));
    }

    #[test]
    fn an_empty_session_says_so() {
        let machine = MachineInfo::synthetic(1, 1);
        let session = Session {
            machine: &machine,
            runs: &[],
            sweeps: &[],
            predictions: &[],
        };
        let text = markdown(&session, fixed_time());
        assert!(text.contains("No runs in this session."));
        assert!(text.contains("No guesses in this session."));
        assert!(!text.contains("## Sweep"));
    }

    #[test]
    fn dates_come_out_right_in_utc() {
        let at = |secs| UtcDateTime::from(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0).to_string(), "1970-01-01 00:00:00 UTC");
        assert_eq!(at(951_782_400).to_string(), "2000-02-29 00:00:00 UTC");
        assert_eq!(at(1_700_000_000).to_string(), "2023-11-14 22:13:20 UTC");
        assert_eq!(at(4_107_542_399).to_string(), "2100-02-28 23:59:59 UTC");
        assert_eq!(
            file_name(fixed_time()),
            "parlab-report-2026-11-25_06-23-25.md"
        );
        let before_1970 = SystemTime::UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(UtcDateTime::from(before_1970), at(0));
    }

    #[test]
    fn writing_never_overwrites_an_earlier_report() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().to_path_buf();
        let machine = MachineInfo::synthetic(2, 2);
        let session = Session {
            machine: &machine,
            runs: &[],
            sweeps: &[],
            predictions: &[],
        };
        let first = write(&dir, &session, fixed_time()).unwrap();
        let second = write(&dir, &session, fixed_time()).unwrap();
        assert_eq!(first, dir.join("parlab-report-2026-11-25_06-23-25.md"));
        assert_eq!(second, dir.join("parlab-report-2026-11-25_06-23-25-2.md"));
        let text = std::fs::read_to_string(&first).unwrap();
        assert_eq!(text, markdown(&session, fixed_time()));
    }

    #[test]
    fn an_unwritable_folder_is_a_clean_error() {
        // A path under a regular file cannot be a folder, even for root.
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().to_path_buf();
        let file = dir.join("plain-file");
        std::fs::write(&file, "not a folder").unwrap();
        let machine = MachineInfo::synthetic(2, 2);
        let session = Session {
            machine: &machine,
            runs: &[],
            sweeps: &[],
            predictions: &[],
        };
        let err = write(&file.join("sub"), &session, fixed_time()).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("cannot write the report in "),
            "{message}"
        );
        assert!(message.contains("plain-file"), "{message}");
        assert_eq!(message.lines().count(), 1);
    }
}
