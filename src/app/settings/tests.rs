//! Unit tests of the settings: their ladders, typed values and rows.

use super::*;

const SEED: RunSpec = RunSpec::SEED_DEMO;

#[test]
fn workers_double_and_halve() {
    let up = step(&SEED, Setting::Workers, true).unwrap();
    assert_eq!(up.workers, 16);
    assert_eq!(step(&SEED, Setting::Workers, false).unwrap().workers, 4);
    let odd = RunSpec {
        workers: 24,
        ..SEED
    };
    assert_eq!(step(&odd, Setting::Workers, true).unwrap().workers, 32);
    assert_eq!(step(&odd, Setting::Workers, false).unwrap().workers, 16);
    let one = RunSpec { workers: 1, ..SEED };
    assert_eq!(step(&one, Setting::Workers, false), None);
}

#[test]
fn task_time_walks_a_ladder_from_microseconds_to_a_minute() {
    assert_eq!(step(&SEED, Setting::TaskMs, true).unwrap().task_ms, 200.0);
    assert_eq!(step(&SEED, Setting::TaskMs, false).unwrap().task_ms, 50.0);
    let tiny = RunSpec {
        task_ms: 0.001,
        ..SEED
    };
    assert_eq!(step(&tiny, Setting::TaskMs, false), None);
    assert_eq!(step(&tiny, Setting::TaskMs, true).unwrap().task_ms, 0.002);
    let odd = RunSpec {
        task_ms: 0.3,
        ..SEED
    };
    assert_eq!(step(&odd, Setting::TaskMs, true).unwrap().task_ms, 0.5);
}

#[test]
fn tasks_step_through_sensible_counts() {
    assert_eq!(step(&SEED, Setting::Tasks, true).unwrap().tasks, 32);
    assert_eq!(step(&SEED, Setting::Tasks, false).unwrap().tasks, 16);
    let max = RunSpec {
        tasks: 10_000_000,
        ..SEED
    };
    assert_eq!(step(&max, Setting::Tasks, true), None);
}

#[test]
fn the_default_task_time_follows_the_workload() {
    let tiny = with_workload(&SEED, WorkloadKind::Tiny);
    assert_eq!(tiny.task_ms, 0.005);
    assert_eq!(with_workload(&tiny, WorkloadKind::Sleep).task_ms, 100.0);
    let custom = RunSpec {
        task_ms: 40.0,
        ..SEED
    };
    assert_eq!(with_workload(&custom, WorkloadKind::Tiny).task_ms, 40.0);
    let back = step(&SEED, Setting::Workload, false).unwrap();
    assert_eq!(Some(&back.workload), WorkloadKind::ALL.last());
}

#[test]
fn typed_values_are_parsed_with_their_range() {
    assert_eq!(
        parse_typed(&SEED, Setting::Workers, "24").unwrap().workers,
        24
    );
    assert_eq!(
        parse_typed(&SEED, Setting::TaskMs, "0.5").unwrap().task_ms,
        0.5
    );
    let err = parse_typed(&SEED, Setting::Workers, "5000").unwrap_err();
    assert!(err.contains("1 to 1024"), "{err}");
    assert!(parse_typed(&SEED, Setting::Workload, "1").is_err());
}

#[test]
fn entries_accept_only_what_a_value_can_hold() {
    let mut tasks = Entry {
        setting: Setting::Tasks,
        text: String::new(),
    };
    assert!(tasks.push('4'));
    assert!(!tasks.push('.'));
    let mut ms = Entry {
        setting: Setting::TaskMs,
        text: String::new(),
    };
    for c in "0.5.".chars() {
        ms.push(c);
    }
    assert_eq!(ms.text, "0.5");
}

#[test]
fn the_serial_part_steps_in_percent_up_to_95() {
    let amdahl = with_workload(&SEED, WorkloadKind::SerialFraction);
    assert_eq!(Setting::shown(&amdahl).len(), 5);
    let up = step(&amdahl, Setting::SerialPart, true).unwrap();
    assert!(up.serial_fraction > amdahl.serial_fraction);
    let top = RunSpec {
        serial_fraction: 0.95,
        ..amdahl
    };
    assert_eq!(step(&top, Setting::SerialPart, true), None);
    let down = step(&top, Setting::SerialPart, false).unwrap();
    assert!((down.serial_fraction - 0.90).abs() < 1e-12);
    let zero = RunSpec {
        serial_fraction: 0.0,
        ..amdahl
    };
    assert_eq!(step(&zero, Setting::SerialPart, false), None);
    assert_eq!(Setting::SerialPart.value(&top), "95.0 % of the work");
}

#[test]
fn the_serial_part_is_typed_in_percent() {
    let typed = parse_typed(&SEED, Setting::SerialPart, "12.5").unwrap();
    assert!((typed.serial_fraction - 0.125).abs() < 1e-12);
    let err = parse_typed(&SEED, Setting::SerialPart, "100").unwrap_err();
    assert!(err.contains("up to but not including 100"), "{err}");
    let mut entry = Entry {
        setting: Setting::SerialPart,
        text: String::new(),
    };
    for c in "2.5.".chars() {
        entry.push(c);
    }
    assert_eq!(entry.text, "2.5");
}

#[test]
fn the_serial_part_row_is_shown_only_for_its_workload() {
    assert_eq!(Setting::shown(&SEED).len(), 4);
    assert_eq!(Setting::SerialPart.keep_shown(&SEED), Setting::Workload);
    assert_eq!(Setting::TaskMs.moved(&SEED, true), Setting::Tasks);
    let amdahl = with_workload(&SEED, WorkloadKind::SerialFraction);
    assert_eq!(Setting::TaskMs.moved(&amdahl, true), Setting::SerialPart);
    assert_eq!(Setting::Tasks.moved(&amdahl, false), Setting::SerialPart);
    assert_eq!(Setting::SerialPart.keep_shown(&amdahl), Setting::SerialPart);
}

#[test]
fn selection_wraps_both_ways() {
    assert_eq!(Setting::TaskMs.moved(&SEED, true), Setting::Tasks);
    assert_eq!(Setting::Tasks.moved(&SEED, false), Setting::TaskMs);
    assert_eq!(Setting::Workload.value(&SEED), "sleep");
    assert_eq!(Setting::TaskMs.value(&SEED), "100 ms");
}

#[test]
fn the_schedule_row_appears_off_the_default_and_walks_its_chunks() {
    use crate::schedule::Schedule;
    assert!(!Setting::shown(&SEED).contains(&Setting::Schedule));
    let stat = step(&SEED, Setting::Schedule, true).unwrap();
    assert_eq!(stat.schedule, Schedule::Static);
    assert_eq!(Setting::shown(&stat).last(), Some(&Setting::Schedule));
    let dynamic = step(&stat, Setting::Schedule, true).unwrap();
    assert_eq!(dynamic.schedule, Schedule::Dynamic { chunk: 1 });
    let two = step(&dynamic, Setting::Schedule, true).unwrap();
    assert_eq!(Setting::Schedule.value(&two), "dynamic, chunk 2");
    assert_eq!(step(&dynamic, Setting::Schedule, false), Some(stat));
    assert_eq!(step(&SEED, Setting::Schedule, false), None);
    let top = RunSpec {
        schedule: Schedule::Dynamic { chunk: 1_000_000 },
        ..SEED
    };
    assert_eq!(step(&top, Setting::Schedule, true), None);
    let typed = parse_typed(&SEED, Setting::Schedule, "1000").unwrap();
    assert_eq!(typed.schedule, Schedule::Dynamic { chunk: 1000 });
    assert!(parse_typed(&SEED, Setting::Schedule, "0").is_err());
}
