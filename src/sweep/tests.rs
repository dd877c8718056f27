use super::fixtures::{cpu_report, side};
use super::*;
use crate::stats::{Bound, amdahl_speedup};
use std::sync::atomic::Ordering;

fn ms(value: u64) -> Duration {
    Duration::from_millis(value)
}

fn plan(workload: WorkloadKind, workers: &[usize]) -> SweepPlan {
    SweepPlan {
        workload,
        tasks: 8,
        task_ms: 0.2,
        serial_fraction: 0.0,
        scaling: super::Scaling::Strong,
        workers: WorkerCounts(workers.to_vec()),
        rounds: Rounds {
            repeat: 2,
            warmup: 1,
        },
        schedule: crate::schedule::Schedule::Steal,
    }
}

/// Rows whose measured speedups are `speedups` at `workers`, for a
/// baseline of 16 tasks × 20 ms and an ideal bounded by `cpus`.
fn rows(workers: &[usize], speedups: &[f64], cpus: Option<usize>) -> Vec<SweepRow> {
    let baseline = side(320, 1);
    workers
        .iter()
        .zip(speedups)
        .map(|(&w, &s)| {
            let parallel = SideResult {
                wall: Summary::of(&[Duration::from_secs_f64(0.320 / s)]),
                ..side(320, 1)
            };
            SweepRow::new(w, &baseline, &parallel, cpus)
        })
        .collect()
}

#[test]
fn plans_are_checked_like_runs() {
    assert_eq!(plan(WorkloadKind::Cpu, &[1, 2]).validate(), Ok(()));
    assert_eq!(
        plan(WorkloadKind::Cpu, &[]).validate(),
        Err(PlanError::Workers(WorkerListError::Empty))
    );
    let too_many: Vec<usize> = (1..=65).collect();
    assert!(plan(WorkloadKind::Cpu, &too_many).validate().is_err());
    let bad = plan(WorkloadKind::Cpu, &[0, 2]).validate().unwrap_err();
    assert!(bad.to_string().contains("from 1 to 1024"), "{bad}");
    let long = SweepPlan {
        tasks: 100_000,
        task_ms: 1000.0,
        ..plan(WorkloadKind::Sleep, &[1])
    };
    assert!(long.validate().unwrap_err().to_string().contains("1 hour"));
}

#[test]
fn a_row_holds_the_ratios_of_its_measurement() {
    let baseline = SideResult {
        task_times: vec![ms(100); 8],
        ..side(800, 9)
    };
    let row = SweepRow::new(2, &baseline, &side(420, 9), Some(2));
    assert_eq!(row.ideal.time, ms(400));
    assert_eq!(row.ideal_speedup, 2.0);
    assert!((row.speedup - 800.0 / 420.0).abs() < 1e-12);
    assert!((row.efficiency - 400.0 / 420.0).abs() < 1e-12);
    assert!((row.karp_flatt.unwrap() - 0.05).abs() < 1e-9);
    assert!(row.results_match);
    let one = SweepRow::new(1, &baseline, &side(810, 8), Some(2));
    assert_eq!((one.karp_flatt, one.results_match), (None, false));
    let past = SweepRow::new(4, &baseline, &side(420, 9), Some(2));
    assert_eq!((past.ideal.bound, past.ideal.time), (Bound::Cores, ms(400)));
    assert_eq!(past.efficiency, row.efficiency / 2.0);
}

#[test]
fn the_knee_is_where_later_rows_stop_gaining_five_percent() {
    assert_eq!(knee_workers(&[(1, 1.0), (2, 1.9), (4, 1.95)]), Some(2));
    assert_eq!(knee_workers(&[(1, 1.0), (2, 1.9), (4, 2.2)]), None);
    assert_eq!(
        knee_workers(&[(1, 1.0), (2, 1.9), (4, 1.92), (8, 2.5)]),
        None
    );
    assert_eq!(knee_workers(&[(1, 1.0), (2, 1.02), (4, 0.9)]), Some(1));
    assert_eq!(knee_workers(&[(1, 1.0)]), None);
    assert_eq!(knee_workers(&[]), None);
}

#[test]
fn the_fit_recovers_known_serial_fractions() {
    let workers = [1, 2, 4, 8, 16];
    for f in [0.1, 0.3] {
        let speedups: Vec<f64> = workers
            .iter()
            .map(|&w| amdahl_speedup(f, w as f64))
            .collect();
        let fit = analyse(WorkloadKind::Sleep, &rows(&workers, &speedups, None), 2);
        assert!((fit.serial_fraction.unwrap() - f).abs() < 0.01, "f = {f}");
        assert!((fit.predicted_speedup(4.0).unwrap() - speedups[2]).abs() < 0.05);
    }
}

#[test]
fn the_fit_counts_the_cpus_a_row_could_use_not_its_workers() {
    // Perfect CPU-bound work on 2 CPUs: 1, 2, 2, 2 processors.
    let cpu = rows(&[1, 2, 4, 8], &[1.0, 2.0, 1.99, 1.98], Some(2));
    let fit = analyse(WorkloadKind::Cpu, &cpu, 2);
    let fraction = fit.serial_fraction.unwrap();
    assert!(fraction.abs() < 0.01, "{fraction}");
    assert_eq!(cpu[3].ideal.lanes, 2);
    assert!(
        cpu[3].karp_flatt.unwrap().abs() < 0.02,
        "{:?}",
        cpu[3].karp_flatt
    );
    assert!((fit.predicted_speedup(8.0).unwrap() - 2.0).abs() < 0.02);
}

#[test]
fn a_fit_needs_two_rows_on_different_cpu_counts() {
    let one = analyse(WorkloadKind::Cpu, &rows(&[4], &[1.9], Some(2)), 2);
    assert_eq!(one.serial_fraction, None);
    assert!(one.no_fit_reason.as_deref().unwrap().contains("one row"));
    assert_eq!(one.predicted_speedup(4.0), None);
    assert!(one.fraction_text().starts_with("no fit"));
    let same = analyse(
        WorkloadKind::Cpu,
        &rows(&[2, 4, 8], &[1.9, 1.9, 1.9], Some(2)),
        2,
    );
    assert_eq!(same.serial_fraction, None);
    assert!(
        same.no_fit_reason
            .as_deref()
            .unwrap()
            .contains("every row could use 2 CPUs")
    );
    let none = analyse(WorkloadKind::Cpu, &[], 2);
    assert_eq!(none.serial_fraction, None);
}

#[test]
fn a_serial_fraction_sweep_is_named_amdahl_and_fits_its_fraction() {
    let baseline = SideResult {
        task_times: vec![ms(15); 16],
        serial_part: ms(80),
        ..side(320, 1)
    };
    let rows: Vec<SweepRow> = [1, 2, 4]
        .iter()
        .map(|&w| {
            let s = amdahl_speedup(0.25, (w as f64).min(2.0)) * 0.98;
            let parallel = SideResult {
                wall: Summary::of(&[Duration::from_secs_f64(0.320 / s)]),
                ..side(320, 1)
            };
            SweepRow::new(w, &baseline, &parallel, Some(2))
        })
        .collect();
    let fit = analyse(WorkloadKind::SerialFraction, &rows, 2);
    assert_eq!(fit.model, ScalingModel::Amdahl);
    let fraction = fit.serial_fraction.unwrap();
    assert!((fraction - 0.25).abs() < 0.03, "{fraction}");
    assert!(fit.explanation().contains("serial part"));
}

#[test]
fn the_model_is_named_from_the_measurements() {
    let name = |workload, workers: &[usize], speedups: &[f64], cpus| {
        analyse(workload, &rows(workers, speedups, cpus), 2).model
    };
    let sleep = name(
        WorkloadKind::Sleep,
        &[1, 2, 4, 8],
        &[1.0, 2.0, 3.9, 7.6],
        None,
    );
    assert_eq!(sleep, ScalingModel::Waves);
    let cpu = name(WorkloadKind::Cpu, &[1, 2, 4], &[0.98, 1.93, 1.9], Some(2));
    assert_eq!(cpu, ScalingModel::Cores);
    let flat = [0.98, 1.3, 1.32];
    assert_eq!(
        name(WorkloadKind::Memory, &[1, 2, 4], &flat, Some(2)),
        ScalingModel::Bandwidth
    );
    assert_eq!(
        name(
            WorkloadKind::Memory,
            &[1, 2, 4],
            &[0.99, 1.9, 1.88],
            Some(2)
        ),
        ScalingModel::Cores
    );
    assert_eq!(
        name(WorkloadKind::Cpu, &[1, 2, 4], &flat, Some(2)),
        ScalingModel::Overhead
    );
    let tiny = name(WorkloadKind::Tiny, &[1, 2, 4], &[0.9, 0.7, 0.6], Some(2));
    assert_eq!(tiny, ScalingModel::Overhead);
    assert_eq!(
        name(WorkloadKind::Cpu, &[1], &[1.0], Some(2)),
        ScalingModel::Unknown
    );
}

#[test]
fn one_long_task_is_named_as_the_limit() {
    let mut task_times = vec![ms(10); 7];
    task_times.push(ms(50));
    let baseline = SideResult {
        task_times,
        ..side(120, 3)
    };
    let row = |w, median| SweepRow::new(w, &baseline, &side(median, 3), Some(16));
    let fit = analyse(WorkloadKind::Uneven, &[row(1, 121), row(8, 52)], 16);
    assert_eq!(fit.model, ScalingModel::LongestTask);
    assert!(fit.explanation().contains("longest task"));
}

#[test]
fn explanations_carry_the_figures() {
    let fit = cpu_report().fit;
    assert_eq!(fit.model, ScalingModel::Cores);
    assert_eq!(fit.knee_workers, Some(4));
    assert_eq!(fit.best.0, 4);
    let text = fit.explanation();
    assert!(
        text.contains("4 CPUs") && text.contains("3.20× at 4 workers"),
        "{text}"
    );
    let within = analyse(WorkloadKind::Sleep, &rows(&[1, 2], &[1.0, 1.98], None), 2);
    assert!(within.explanation().contains("sweep past 2 workers"));
}

#[test]
fn a_small_sweep_reports_every_run_and_row_in_order() {
    let mut log = Vec::new();
    let report = measure_sweep(
        &plan(WorkloadKind::Cpu, &[1, 2, 3]),
        &MachineInfo::synthetic(2, 2),
        &AtomicBool::new(false),
        &mut |event| match event {
            SweepEvent::Run {
                stage,
                event: RunEvent::Started { .. },
            } => log.push(format!("{stage:?}")),
            SweepEvent::Run { .. } => {}
            SweepEvent::Baseline(serial) => log.push(format!("baseline {}", serial.runs.len())),
            SweepEvent::Row(row) => log.push(format!("row {}", row.workers)),
        },
    )
    .unwrap()
    .unwrap();
    assert_eq!(log.iter().filter(|l| l.starts_with("Serial")).count(), 3);
    assert_eq!(log[3], "baseline 2");
    let rows: Vec<&String> = log.iter().filter(|l| l.starts_with("row")).collect();
    assert_eq!(rows, ["row 1", "row 2", "row 3"]);
    assert_eq!(log[4], "Parallel { workers: 1, row: 0, rows: 3 }");
    assert_eq!(log.len(), 4 + 3 * 4);
    assert!(report.results_match);
    assert_eq!(report.rows.len(), 3);
    assert_eq!(report.rows[2].parallel.runs.len(), 2);
}

#[test]
fn a_cancel_during_the_sweep_stops_it_after_the_current_run() {
    let cancel = AtomicBool::new(false);
    let mut rows_seen = 0;
    let outcome = measure_sweep(
        &plan(WorkloadKind::Cpu, &[1, 2, 4]),
        &MachineInfo::synthetic(2, 2),
        &cancel,
        &mut |event| {
            if let SweepEvent::Row(_) = event {
                rows_seen += 1;
                cancel.store(true, Ordering::Relaxed);
            }
        },
    )
    .unwrap();
    assert!(outcome.is_none());
    assert_eq!(rows_seen, 1);
}

#[test]
fn the_chart_holds_every_series_and_the_markers() {
    let report = cpu_report();
    let chart = SweepChart::new(&report.rows, Some(&report.fit), &report.machine);
    assert_eq!(chart.measured.len(), 4);
    assert_eq!(chart.ideal[3], (8.0, 4.0));
    assert_eq!(chart.amdahl.first().map(|p| p.0), Some(1.0));
    assert_eq!(chart.amdahl.last().map(|p| p.0), Some(8.0));
    let flat_past_the_cpus = chart.amdahl.last().map(|p| p.1);
    assert_eq!(flat_past_the_cpus, report.fit.predicted_speedup(4.0));
    let labels: Vec<&str> = chart.markers.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(labels, ["2 cores", "4 CPUs"]);
    assert_eq!((chart.x_bounds, chart.y_bounds), ([0.0, 8.0], [0.0, 5.0]));
    let empty = SweepChart::new(&[], None, &report.machine);
    assert!(empty.measured.is_empty() && empty.amdahl.is_empty());
}

#[test]
fn warnings_name_noisy_rows_and_differing_checksums() {
    let baseline = side(320, 1);
    let noisy = SideResult {
        wall: Summary::of(&[ms(160), ms(200)]),
        ..side(170, 1)
    };
    let rows = vec![
        SweepRow::new(1, &baseline, &side(321, 2), Some(2)),
        SweepRow::new(2, &baseline, &noisy, Some(2)),
    ];
    let plan = plan(WorkloadKind::Cpu, &[1, 2]);
    let report = SweepResult::new(&plan, &MachineInfo::synthetic(2, 2), &baseline, rows);
    assert!(!report.results_match);
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
    assert!(report.warnings[0].starts_with("2-worker runs varied by more than 10 %"));
    assert!(report.warnings[1].contains("for 1 worker count (1)"));
}
