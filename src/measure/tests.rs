//! Unit tests of the measuring loop and the run report it builds.

use super::*;
use crate::stats::Bound;
use crate::workload::WorkloadKind;

#[test]
fn a_small_cpu_run_matches_and_reports_every_round() {
    let spec = RunSpec {
        workload: WorkloadKind::Cpu,
        tasks: 8,
        workers: 2,
        task_ms: 0.2,
        serial_fraction: 0.5,
        ..RunSpec::SEED_DEMO
    };
    let rounds = Rounds {
        repeat: 3,
        warmup: 1,
    };
    let mut started = 0;
    let report = measure_run(
        &spec,
        rounds,
        &MachineInfo::synthetic(2, 2),
        &AtomicBool::new(false),
        &mut |e| {
            if matches!(e, RunEvent::Started { .. }) {
                started += 1;
            }
        },
    )
    .unwrap()
    .unwrap();
    assert_eq!(started, 8);
    assert!(report.results_match);
    assert_eq!(report.serial.wall.runs.len(), 3);
    assert!(report.ideal_time > Duration::ZERO);
    assert_eq!(report.ideal_model, Bound::Waves);
}

#[test]
fn a_serial_fraction_run_measures_its_serial_part_and_uses_amdahl() {
    let spec = RunSpec {
        workload: WorkloadKind::SerialFraction,
        tasks: 6,
        workers: 3,
        task_ms: 1.0,
        serial_fraction: 0.5,
        ..RunSpec::SEED_DEMO
    };
    let machine = MachineInfo::synthetic(2, 2);
    let report = measure_run(
        &spec,
        Rounds::ONCE,
        &machine,
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap()
    .unwrap();
    assert!(report.results_match);
    assert_eq!((report.ideal_model, report.ideal_lanes), (Bound::Amdahl, 2));
    let part = report.serial_part.unwrap();
    assert_eq!(part.serial_fraction, 0.5);
    assert!(part.time > Duration::ZERO && part.time < report.ideal_time);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["ideal_model"], "amdahl");
    assert_eq!(json["serial_fraction"], 0.5);
    assert!(json["serial_part_s"].as_f64().unwrap() > 0.0);
}

#[test]
fn task_times_are_scaled_to_the_measured_total() {
    let scaled = scale_to_total(
        &[Duration::from_millis(1), Duration::from_millis(3)],
        Duration::from_millis(8),
    );
    assert_eq!(
        scaled,
        vec![Duration::from_millis(2), Duration::from_millis(6)]
    );
    assert_eq!(
        scale_to_total(&[Duration::ZERO; 2], Duration::from_millis(8))[1],
        Duration::from_millis(4)
    );
}

#[test]
fn a_cancelled_experiment_reports_nothing() {
    let spec = RunSpec {
        tasks: 4,
        task_ms: 1.0,
        ..RunSpec::SEED_DEMO
    };
    let outcome = measure_run(
        &spec,
        Rounds::ONCE,
        &MachineInfo::synthetic(1, 1),
        &AtomicBool::new(true),
        &mut |_| {},
    )
    .unwrap();
    assert!(outcome.is_none());
}

#[test]
fn the_estimate_covers_every_round_of_both_sides() {
    let seed = RunSpec::SEED_DEMO;
    let once = crate::measure::run_estimate(&seed, Rounds::ONCE, 2);
    // 2.4 s serial, then 3 waves of 100 ms on 8 sleeping workers.
    assert_eq!(once, Duration::from_millis(2700));
    let many = Rounds {
        repeat: 5,
        warmup: 2,
    };
    assert_eq!(crate::measure::run_estimate(&seed, many, 2), once * 7);
    let cpu = RunSpec {
        workload: WorkloadKind::Cpu,
        ..seed
    };
    // Computing tasks get only the 2 CPUs: 12 waves.
    assert_eq!(
        crate::measure::parallel_estimate(&cpu, 8, 2),
        Duration::from_millis(1200)
    );
    let huge = RunSpec {
        tasks: 10_000_000,
        task_ms: 60_000.0,
        ..seed
    };
    let far = crate::measure::run_estimate(
        &huge,
        Rounds {
            repeat: 1000,
            warmup: 100,
        },
        1,
    );
    assert!(
        crate::config::check_plan(far).is_err(),
        "no overflow, refused"
    );
}
