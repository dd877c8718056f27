//! `parlab check` end to end: a short budget, every output, and `compare`
//! reading its export.

mod common;

use common::{parlab, stdout};

#[test]
fn a_short_check_measures_every_part_and_compare_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("check.json");
    let markdown = dir.path().join("check.md");
    let csv = dir.path().join("check.csv");
    let svg = dir.path().join("check.svg");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let out = stdout(&parlab(&[
        "check",
        "--budget",
        "6",
        "--export-json",
        &path(&json),
        "--export-markdown",
        &path(&markdown),
        "--export-csv",
        &path(&csv),
        "--svg",
        &path(&svg),
    ]));
    assert!(out.starts_with("parlab check · "), "{out}");
    assert!(out.contains("mp_ratio "), "{out}");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(value["kind"], "parlab-check");
    let usable = value["usable_cpus"].as_u64().unwrap();
    let workers: Vec<u64> = value["compute"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["workers"].as_u64().unwrap())
        .collect();
    assert_eq!(workers.first(), Some(&1));
    assert!(workers.contains(&usable) && workers.last() == Some(&(2 * usable)));
    assert!(value["mp_ratio"].as_f64().unwrap() > 0.0);
    let bandwidth = value["bandwidth"].as_array().unwrap();
    assert_eq!(bandwidth.len() >= 2, usable >= 2, "{bandwidth:?}");
    assert!(
        bandwidth
            .iter()
            .all(|b| b["gb_per_s"].as_f64().unwrap() > 0.0)
    );
    assert!(
        value["overhead"]["per_task_ns"]
            .as_f64()
            .unwrap()
            .is_finite()
    );
    let elapsed = value["elapsed_s"].as_f64().unwrap();
    assert!(elapsed < 40.0, "a 6 s check took {elapsed} s");
    if cfg!(target_os = "linux") {
        let speeds = value["per_cpu"].as_array().unwrap();
        assert_eq!(speeds.len() as u64, usable);
        let relative: Vec<f64> = speeds
            .iter()
            .map(|s| s["relative"].as_f64().unwrap())
            .collect();
        assert!(
            relative.iter().all(|r| *r > 0.0 && *r <= 1.0),
            "{relative:?}"
        );
        assert!(relative.contains(&1.0), "the fastest CPU is the unit");
    }
    let machine = &value["machine"];
    if machine["logical_cpus"] == machine["physical_cores"] {
        assert!(value["smt_yield"].is_null());
    }
    assert!(
        std::fs::read_to_string(&markdown)
            .unwrap()
            .contains("| workers | GB/s |")
    );
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .starts_with("measure,workers,cpu,value,unit\n")
    );
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    let compared = stdout(&parlab(&["compare", &path(&json)]));
    let rows = compared
        .lines()
        .filter(|l| l.contains("check.json"))
        .count();
    assert_eq!(rows, workers.len() + bandwidth.len(), "{compared}");
}

#[test]
fn a_budget_out_of_range_is_refused() {
    for budget in ["1", "abc", "-5", "100000"] {
        let out = parlab(&["check", "--budget", budget]);
        assert_eq!(out.status.code(), Some(2), "{budget}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("from 5 to 3600"), "{budget}: {err}");
    }
}
