//! End-to-end checks of the teaching layer's command-line side: the
//! `serial-fraction` workload in `parlab run`.

use serde_json::Value;
mod common;

use common::parlab;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn amdahl(fraction: f64, lanes: f64) -> f64 {
    1.0 / (fraction + (1.0 - fraction) / lanes)
}

#[test]
fn serial_fraction_runs_follow_amdahl() {
    let out = parlab(&[
        "run",
        "--workload",
        "serial-fraction",
        "--serial-fraction",
        "0.25",
        "--tasks",
        "8",
        "--workers",
        "4",
        "--task-ms",
        "10",
        "--repeat",
        "3",
        "--warmup",
        "1",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(v["results_match"], true);
    assert_eq!(v["ideal_model"], "amdahl");
    assert_eq!(v["serial_fraction"], 0.25);
    let lanes = v["ideal_lanes"].as_f64().unwrap();
    let cpus = v["machine"]["usable_cpus"].as_f64().unwrap();
    assert_eq!(lanes, cpus.min(4.0));
    let serial = v["serial_s"].as_f64().unwrap();
    let part = v["serial_part_s"].as_f64().unwrap();
    let ideal = v["ideal_parallel_s"].as_f64().unwrap();
    // A quarter of the work is serial; timer and scheduler noise on a busy
    // machine can move the measured share, but not halve or double it.
    assert!(
        (0.125..0.5).contains(&(part / serial)),
        "part {part} of {serial}"
    );
    // The model is Amdahl's law on the measured serial fraction: only the
    // spread of the task times may push it off (8 equal tasks on the lanes).
    let expected = amdahl(part / serial, lanes);
    assert!(
        (serial / ideal / expected - 1.0).abs() < 0.05,
        "ideal speedup {} vs Amdahl {expected}",
        serial / ideal
    );
}

#[test]
fn serial_fraction_is_refused_out_of_range_or_off_its_workload() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "run",
                "--workload",
                "serial-fraction",
                "--serial-fraction",
                "1",
            ],
            "from 0 up to but not including 1",
        ),
        (
            &[
                "run",
                "--workload",
                "serial-fraction",
                "--serial-fraction",
                "-0.1",
            ],
            "from 0 up to but not including 1",
        ),
        (
            &["run", "--workload", "cpu", "--serial-fraction", "0.5"],
            "only applies to the serial-fraction workload",
        ),
    ];
    for (args, needle) in cases {
        let out = parlab(args);
        let err = text(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}
