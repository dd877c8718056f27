//! Unit tests of the workload kinds, their weights and their checksums.

use super::tasks::cpu_task;
use super::*;
use std::time::{Duration, Instant};

fn total(work: &Workload) -> u64 {
    let never = AtomicBool::new(false);
    (0..work.tasks()).fold(0u64, |acc, i| acc.wrapping_add(work.run_task(i, &never)))
}

#[test]
fn cpu_checksums_are_stable_across_calls() {
    let never = AtomicBool::new(false);
    assert_eq!(cpu_task(3, 1000, &never), cpu_task(3, 1000, &never));
    assert_ne!(cpu_task(3, 1000, &never), cpu_task(4, 1000, &never));
    assert_ne!(cpu_task(3, 1000, &never), cpu_task(3, 1001, &never));
}

#[test]
fn every_kind_gives_the_same_total_twice() {
    for kind in WorkloadKind::ALL {
        let work = Workload::prepare(kind, 6, 0.05);
        assert_eq!(total(&work), total(&work), "{}", kind.name());
    }
}

#[test]
fn uneven_weights_keep_the_total_and_make_one_long_task() {
    let work = Workload::prepare(WorkloadKind::Uneven, 24, 1.0);
    let sum: f64 = (0..24).map(|i| work.weight(i)).sum();
    assert!((sum - 24.0).abs() < 1e-9);
    assert_eq!(work.weight(23), 5.0);
    assert!((work.weight(0) - 19.0 / 23.0).abs() < 1e-12);
}

#[test]
fn even_kinds_have_unit_weights() {
    let work = Workload::prepare(WorkloadKind::Cpu, 4, 1.0);
    assert!((0..4).all(|i| work.weight(i) == 1.0));
    let two = Workload::prepare(WorkloadKind::Uneven, 2, 1.0);
    assert_eq!(two.weight(0) + two.weight(1), 2.0);
}

#[test]
fn serial_fraction_moves_work_out_of_the_tasks_only_for_its_kind() {
    let work = Workload::prepare(WorkloadKind::SerialFraction, 16, 1.0);
    assert_eq!(work.serial_fraction(), DEFAULT_SERIAL_FRACTION);
    let work = work.with_serial_fraction(0.4);
    let tasks: f64 = (0..16).map(|i| work.weight(i)).sum();
    assert!((tasks + 16.0 * 0.4 - 16.0).abs() < 1e-9);
    let never = AtomicBool::new(false);
    assert_eq!(work.run_serial_part(&never), work.run_serial_part(&never));
    let cpu = Workload::prepare(WorkloadKind::Cpu, 4, 1.0).with_serial_fraction(0.4);
    assert!(!cpu.has_serial_part());
    assert_eq!(cpu.run_serial_part(&never), 0);
    let none = Workload::prepare(WorkloadKind::SerialFraction, 4, 1.0).with_serial_fraction(0.0);
    assert!(!none.has_serial_part() && none.weight(0) == 1.0);
}

#[test]
fn cancel_stops_a_long_sleep_quickly() {
    let work = Workload::prepare(WorkloadKind::Sleep, 1, 5_000.0);
    let cancel = AtomicBool::new(true);
    let started = Instant::now();
    work.run_task(0, &cancel);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn cycling_kinds_visits_all_and_wraps() {
    let mut kind = WorkloadKind::Sleep;
    for _ in 0..WorkloadKind::ALL.len() {
        kind = kind.next();
    }
    assert_eq!(kind, WorkloadKind::Sleep);
    assert_eq!(WorkloadKind::Tiny.default_task_ms(), 0.005);
}
