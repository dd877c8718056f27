use super::*;
use crate::config::RunSpec;
use crate::measure::{Rounds, SideResult};
use crate::predict::judge;
use crate::stats::Summary;
use crate::workload::WorkloadKind;
use std::time::Duration;

fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

fn side(wall: Duration, cpu: Duration, tasks: &[Duration], serial_part: Duration) -> SideResult {
    SideResult {
        wall: Summary::of(&[wall]),
        cpu,
        checksum: 42,
        task_times: tasks.to_vec(),
        serial_part,
        transfer: None,
    }
}

/// A fixed session: the classic demo, a CPU run and a serial-fraction run.
fn fixture_runs(machine: &MachineInfo) -> Vec<RunResult> {
    let demo = RunResult::new(
        &RunSpec::SEED_DEMO,
        Rounds::ONCE,
        machine,
        &side(ms(2400), ms(4), &[ms(100); 24], Duration::ZERO),
        &side(ms(301), ms(3), &[], Duration::ZERO),
        Duration::from_micros(500),
    );
    let cpu_spec = RunSpec {
        workload: WorkloadKind::Cpu,
        task_ms: 40.0,
        ..RunSpec::SEED_DEMO
    };
    let cpu = RunResult::new(
        &cpu_spec,
        Rounds::ONCE,
        machine,
        &side(ms(960), ms(960), &[ms(40); 24], Duration::ZERO),
        &side(ms(245), ms(970), &[], Duration::ZERO),
        Duration::from_micros(500),
    );
    let amdahl_spec = RunSpec {
        workload: WorkloadKind::SerialFraction,
        tasks: 16,
        workers: 4,
        task_ms: 20.0,
        serial_fraction: 0.25,
        ..RunSpec::SEED_DEMO
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
            outcome: judge(Quantity::ParallelTime, 2.4, 2.401),
        },
        Prediction {
            label: "1. The classic demo › Eight workers".into(),
            outcome: judge(Quantity::ParallelTime, 0.15, 0.301),
        },
        Prediction {
            label: "8. Amdahl | serial part".into(),
            outcome: judge(Quantity::Speedup, 4.0, 2.24),
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
