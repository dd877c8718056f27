//! Each finding at its threshold: just inside and just outside the noise
//! margin, on quiet and busy machines, with synthetic reports.

use super::*;
use crate::config::RunSpec;
use crate::measure::{Rounds, RunResult, SideResult};
use crate::stats::Summary;
use std::time::Duration;

fn ms(value: f64) -> Duration {
    Duration::from_secs_f64(value / 1000.0)
}

/// A side measured at `runs` (ms), its 8 tasks equal.
fn side(runs: &[f64]) -> SideResult {
    let wall = Summary::of(&runs.iter().map(|&r| ms(r)).collect::<Vec<_>>());
    SideResult {
        task_times: vec![wall.median / 8; 8],
        wall,
        cpu: ms(1.0),
        checksum: 1,
        serial_part: Duration::ZERO,
    }
}

/// A run of 8 tasks of `workload` on `workers` on `machine`, serial
/// `serial` ms and parallel `parallel` ms (each a list of repeats).
fn run(
    workload: WorkloadKind,
    workers: usize,
    machine: &MachineInfo,
    serial: &[f64],
    parallel: &[f64],
) -> RunResult {
    let spec = RunSpec {
        workload,
        tasks: 8,
        workers,
        task_ms: 10.0,
        ..RunSpec::SEED_DEMO
    };
    RunResult::new(
        &spec,
        Rounds::ONCE,
        machine,
        &side(serial),
        &side(parallel),
        Duration::ZERO,
    )
}

fn ids(r: &RunResult, busy: bool) -> Vec<FindingId> {
    judge_run(r, &MachineFacts::of(&r.machine, busy))
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

fn two() -> MachineInfo {
    MachineInfo::synthetic(2, 2)
}

#[test]
fn the_wall_time_fell_rose_or_stayed_within_the_noise_floor() {
    // One run each: the 5 % floor decides.
    let sleep = |parallel| {
        ids(
            &run(WorkloadKind::Sleep, 2, &two(), &[100.0], &[parallel]),
            false,
        )
    };
    assert!(sleep(94.0).contains(&FindingId::WallFell));
    assert!(sleep(96.0).contains(&FindingId::WallSame));
    assert!(sleep(104.0).contains(&FindingId::WallSame));
    assert!(sleep(106.0).contains(&FindingId::SlowerThanSerial));
}

#[test]
fn the_margin_widens_with_the_spread_of_the_repeats_and_on_a_busy_machine() {
    // Serial repeats 100–120 ms: a 20 % spread, so 15 % faster is noise.
    let spread = run(
        WorkloadKind::Sleep,
        2,
        &two(),
        &[100.0, 110.0, 120.0],
        &[95.0],
    );
    assert!(ids(&spread, false).contains(&FindingId::WallSame));
    assert!(ids(&spread, false).contains(&FindingId::Noisy));
    let quiet = run(WorkloadKind::Sleep, 2, &two(), &[110.0], &[100.0]);
    assert!(ids(&quiet, false).contains(&FindingId::WallFell));
    assert!(
        ids(&quiet, true).contains(&FindingId::WallSame),
        "busy: 15 %"
    );
    assert!(ids(&quiet, true).contains(&FindingId::Busy));
    assert!(!ids(&quiet, false).contains(&FindingId::Noisy));
    assert_eq!(
        noise_margin([&Summary::of(&[ms(10.0)])], false),
        NOISE_FLOOR
    );
    assert_eq!(noise_margin([&Summary::of(&[ms(10.0)])], true), BUSY_FLOOR);
}

#[test]
fn the_speedup_met_fell_short_of_or_beat_the_ideal() {
    // 8 equal sleeping tasks on 2 workers: ideal 50 ms for 100 ms serial.
    let at = |parallel| {
        ids(
            &run(WorkloadKind::Sleep, 2, &two(), &[100.0], &[parallel]),
            false,
        )
    };
    assert!(at(51.0).contains(&FindingId::MetIdeal));
    assert!(at(51.0).contains(&FindingId::BoundWaves));
    assert!(at(49.0).contains(&FindingId::MetIdeal));
    assert!(at(60.0).contains(&FindingId::ShortOfIdeal));
    assert!(at(44.0).contains(&FindingId::AboveIdeal));
    assert!(
        !at(60.0).contains(&FindingId::BoundWaves),
        "no bound when short"
    );
}

#[test]
fn a_shortfall_is_blamed_only_on_a_quiet_machine_and_by_the_work() {
    let short = |kind, busy| ids(&run(kind, 2, &two(), &[100.0], &[70.0]), busy);
    assert!(short(WorkloadKind::Memory, false).contains(&FindingId::BoundMemoryBandwidth));
    assert!(short(WorkloadKind::Cpu, false).contains(&FindingId::BoundOverhead));
    for kind in [WorkloadKind::Memory, WorkloadKind::Cpu] {
        let busy = short(kind, true);
        assert!(
            !busy
                .iter()
                .any(|id| id.group().contains(&FindingId::BoundOverhead)),
            "{busy:?}"
        );
    }
    // Memory work that gained nothing is not called bandwidth-bound.
    let flat = ids(
        &run(WorkloadKind::Memory, 2, &two(), &[100.0], &[99.0]),
        false,
    );
    assert!(flat.contains(&FindingId::BoundOverhead), "{flat:?}");
}

#[test]
fn cpu_work_past_the_cpus_is_bound_by_them_and_oversubscribed() {
    let r = run(WorkloadKind::Cpu, 8, &two(), &[100.0], &[51.0]);
    let found = ids(&r, false);
    for id in [
        FindingId::Oversubscribed,
        FindingId::MetIdeal,
        FindingId::BoundCpus,
    ] {
        assert!(found.contains(&id), "{id:?} in {found:?}");
    }
    let sleep = ids(
        &run(WorkloadKind::Sleep, 8, &two(), &[100.0], &[13.0]),
        false,
    );
    assert!(!sleep.contains(&FindingId::Oversubscribed));
}

#[test]
fn efficiency_above_100_names_its_likely_cause() {
    // 2 workers, speedup 2.2: 110 % efficiency.
    let memory = ids(
        &run(WorkloadKind::Memory, 2, &two(), &[110.0], &[50.0]),
        false,
    );
    assert!(memory.contains(&FindingId::EfficiencyOver100Caches));
    let within = ids(
        &run(WorkloadKind::Memory, 2, &two(), &[102.0], &[50.0]),
        false,
    );
    assert!(within.contains(&FindingId::EfficiencyOver100Noise));
    let sleep = ids(
        &run(WorkloadKind::Sleep, 2, &two(), &[110.0], &[50.0]),
        false,
    );
    assert!(sleep.contains(&FindingId::EfficiencyOver100Noise));
    let plain = ids(
        &run(WorkloadKind::Sleep, 2, &two(), &[100.0], &[51.0]),
        false,
    );
    assert!(
        !plain
            .iter()
            .any(|id| id.group().contains(&FindingId::EfficiencyOver100Noise))
    );
}

#[test]
fn the_machine_findings_follow_its_cpus() {
    let machine = |physical, logical, usable, busy| {
        let mut m = MachineInfo::synthetic(physical, logical);
        m.usable_cpus = usable;
        judge_machine(&MachineFacts::of(&m, busy))
            .into_iter()
            .map(|(id, _)| id)
            .collect::<Vec<_>>()
    };
    assert_eq!(machine(2, 2, 2, false), [FindingId::NoSmt]);
    assert_eq!(machine(4, 8, 8, false), [FindingId::Smt]);
    assert_eq!(
        machine(2, 2, 1, true),
        [
            FindingId::NoSmt,
            FindingId::OneCpu,
            FindingId::CpusRestricted,
            FindingId::Busy
        ]
    );
}

#[test]
fn one_worker_and_differing_checksums_are_findings() {
    let mut r = run(WorkloadKind::Sleep, 1, &two(), &[100.0], &[100.0]);
    assert!(ids(&r, false).contains(&FindingId::OneWorker));
    assert!(
        !ids(&r, false).contains(&FindingId::MetIdeal),
        "no ideal for one worker"
    );
    r.results_match = false;
    assert!(ids(&r, false).contains(&FindingId::ResultsDiffer));
}

#[test]
fn a_sweep_is_judged_on_its_rows_and_fit() {
    let report = crate::sweep::fixtures::cpu_report();
    let found: Vec<_> = judge_sweep(&report, &MachineFacts::of(&report.machine, false))
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for id in [
        FindingId::WallFell,
        FindingId::BoundCpus,
        FindingId::Fitted,
        FindingId::Smt,
    ] {
        assert!(found.contains(&id), "{id:?} in {found:?}");
    }
    let mut one = report.clone();
    one.rows.truncate(1);
    one.fit = crate::sweep::analyse(one.workload, &one.rows, 4);
    let found: Vec<_> = judge_sweep(&one, &MachineFacts::of(&one.machine, false))
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(found.contains(&FindingId::NoFit), "{found:?}");
    let text = of_sweep(&one);
    let no_fit = text.iter().find(|f| f.id == FindingId::NoFit).unwrap();
    assert!(no_fit.text.contains("one row"), "{}", no_fit.text);
}

#[test]
fn every_finding_has_one_shipped_text_and_a_stable_id() {
    let texts = FindingTexts::parse("findings.toml", FINDINGS_TOML).unwrap();
    for id in FindingId::ALL {
        assert!(texts.template(*id).is_some(), "{id:?}");
        assert_eq!(FindingId::parse(id.id()), Some(*id));
        assert!(
            id.id()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        );
    }
    let doc = include_str!("../../assets/lessons/README.md");
    for id in FindingId::ALL {
        assert!(
            doc.contains(&format!("| `{}` |", id.id())),
            "{} undocumented",
            id.id()
        );
    }
}

#[test]
fn a_broken_findings_file_names_its_line() {
    let typo = FINDINGS_TOML.replace("id = \"wall_same\"", "id = \"wall_sam\"");
    let err = FindingTexts::parse("findings.toml", &typo).unwrap_err();
    assert!(
        err.contains("findings.toml, line") && err.contains("wall_sam"),
        "{err}"
    );
    let placeholder = FINDINGS_TOML.replace("{serial} to {parallel}", "{serail} to {parallel}");
    let err = FindingTexts::parse("findings.toml", &placeholder).unwrap_err();
    assert!(err.contains("{serail}"), "{err}");
    let missing = FINDINGS_TOML.replace("id = \"busy\"", "id = \"noisy\"");
    assert!(FindingTexts::parse("findings.toml", &missing).is_err());
}

#[test]
fn findings_reach_the_json_as_id_and_text() {
    let r = run(WorkloadKind::Sleep, 2, &two(), &[100.0], &[300.0]);
    let json: serde_json::Value =
        serde_json::from_str(&crate::output::run::run_json(&r).unwrap()).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let slower = findings
        .iter()
        .find(|f| f["id"] == "slower_than_serial")
        .unwrap();
    assert!(
        slower["text"].as_str().unwrap().contains("3.00× slower"),
        "{slower}"
    );
    assert!(findings.iter().all(|f| f.as_object().unwrap().len() == 2));
}
