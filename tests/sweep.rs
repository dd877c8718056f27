//! `parlab sweep` end to end: the built binary with small, fast inputs.

use std::process::Output;

mod common;

use common::{parlab, stdout};

const SMALL_CPU: [&str; 7] = [
    "sweep",
    "--workload",
    "cpu",
    "--tasks",
    "8",
    "--task-ms",
    "5",
];

fn small_cpu(extra: &[&str]) -> Output {
    parlab(&[&SMALL_CPU[..], extra].concat())
}

#[test]
fn json_output_parses_and_has_the_fields() {
    let out = stdout(&small_cpu(&["--workers", "1,2", "--format", "json"]));
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(value["serial_s"].as_f64().unwrap() > 0.0);
    assert!(value["amdahl_serial_fraction"].is_f64());
    assert!(value.get("knee_workers").is_some());
    assert!(value["model"].is_string());
    assert_eq!(value["results_match"], true);
    assert!(value["machine"]["logical_cpus"].as_u64().unwrap() >= 1);
    let rows = value["rows"].as_array().unwrap();
    let workers: Vec<u64> = rows
        .iter()
        .map(|r| r["workers"].as_u64().unwrap())
        .collect();
    assert_eq!(workers, [1, 2]);
    for row in rows {
        for field in [
            "parallel_s",
            "min_s",
            "max_s",
            "ideal_parallel_s",
            "speedup",
            "efficiency",
            "amdahl_speedup",
        ] {
            assert!(row[field].as_f64().unwrap() > 0.0, "{field}");
        }
    }
    assert!(rows[0]["karp_flatt"].is_null());
    assert!(rows[1]["karp_flatt"].is_f64());
}

#[test]
fn sleeping_tasks_gain_from_workers_beyond_the_cores() {
    // Sleep needs no CPU, so even a busy two-core machine keeps 8 workers
    // far ahead of one: the ideal is 8×, half of it is an honest floor.
    let out = parlab(&[
        "sweep",
        "--workload",
        "sleep",
        "--tasks",
        "8",
        "--task-ms",
        "40",
        "--workers",
        "1,8",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let speedup = |i: usize| value["rows"][i]["speedup"].as_f64().unwrap();
    assert!(speedup(1) > 4.0 * speedup(0), "{value}");
}

#[test]
fn csv_starts_with_its_header() {
    let out = stdout(&small_cpu(&["--workers", "1..3", "--format", "csv"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("workload,tasks,task_ms,repeat,serial_s,workers,parallel_s,"));
    assert_eq!(lines.len(), 4);
    assert!(lines[3].starts_with("cpu,8,5,1,"));
}

#[test]
fn markdown_is_a_table() {
    let out = stdout(&small_cpu(&["--workers", "1,2", "--format", "markdown"]));
    assert!(out.contains("| workers | parallel | min | max | ideal | speedup |"));
    assert_eq!(out.lines().filter(|l| l.starts_with("| ")).count(), 3);
}

#[test]
fn bad_worker_lists_fail_with_one_line() {
    for (list, needle) in [
        ("0,2", "from 1 to 1024"),
        ("8..2", "runs backwards"),
        ("two", "not a worker count"),
        ("1..100", "at most 64"),
    ] {
        let out = small_cpu(&["--workers", list]);
        assert!(!out.status.success(), "{list}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{list}: {err}");
        assert!(err.contains(needle), "{list}: {err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn svg_writes_a_chart_file() {
    let scratch = tempfile::tempdir().unwrap();
    let path = scratch.path().join("chart.svg");
    let out = small_cpu(&["--workers", "1,2", "--svg", path.to_str().unwrap()]);
    assert!(stdout(&out).contains("parlab sweep · cpu"));
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    for id in ["measured-line", "measured-points", "ideal", "amdahl"] {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "{id}"
        );
    }
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

/// Symbolic links, FIFOs and /dev/full: Linux.
#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_chart_path_is_refused_before_measuring() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().to_path_buf();
    let missing = dir.join("no-such-folder").join("chart.svg");
    let dangling = dir.join("dangling.svg");
    std::os::unix::fs::symlink(dir.join("nowhere.svg"), &dangling).unwrap();
    let fifo = dir.join("fifo.svg");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let special = [
        (missing, "does not exist"),
        (dir.clone(), "a folder"),
        (dangling.clone(), "symbolic link to nothing"),
        (fifo, "not a regular file"),
        ("/dev/full".into(), "not a regular file"),
    ];
    for (path, why) in special {
        let started = std::time::Instant::now();
        let out = parlab(&["sweep", "--svg", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{path:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("error: cannot write the chart to"), "{err}");
        assert!(err.contains(why), "{err}");
        // The default sweep sleeps for seconds; a refusal takes none.
        assert!(started.elapsed().as_secs_f64() < 2.0);
    }
    assert!(!dir.join("nowhere.svg").exists(), "no stray file");
    assert!(
        std::fs::symlink_metadata(&dangling).unwrap().is_symlink(),
        "the link is left as it was"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_chart_through_a_symbolic_link_is_written_into_its_file() {
    let scratch = tempfile::tempdir().unwrap();
    let target = scratch.path().join("chart.svg");
    std::fs::write(&target, "old").unwrap();
    let link = scratch.path().join("link.svg");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let quick = ["--tasks", "2", "--task-ms", "1", "--workers", "1,2"];
    let args = ["sweep", "--svg", link.to_str().unwrap()];
    let out = parlab(&[&args[..], &quick[..]].concat());
    stdout(&out);
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(std::fs::read_to_string(&target).unwrap().contains("<svg"));
}

#[test]
fn help_shows_examples() {
    let out = stdout(&parlab(&["sweep", "--help"]));
    assert!(out.contains("--workers <LIST>"));
    assert!(out.contains("Examples:"));
    assert!(out.contains("--svg <FILE>"));
}

#[test]
fn a_weak_sweep_grows_the_problem_and_reports_its_scaled_figures() {
    let out = stdout(&small_cpu(&[
        "--scaling",
        "weak",
        "--workers",
        "1,2,3",
        "--format",
        "json",
    ]));
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["scaling"], "weak");
    assert_eq!(value["results_match"], true);
    assert!(value["amdahl_serial_fraction"].is_null());
    assert!(value["weak_flat_until"].as_u64().unwrap() >= 1);
    assert!(value["weak_explained"].as_str().unwrap().contains("T(1)"));
    let rows = value["rows"].as_array().unwrap();
    let tasks: Vec<u64> = rows.iter().map(|r| r["tasks"].as_u64().unwrap()).collect();
    assert_eq!(tasks, [8, 16, 24], "W workers run W × 8 tasks");
    for row in rows {
        let serial = row["serial_s"].as_f64().unwrap();
        let parallel = row["parallel_s"].as_f64().unwrap();
        let scaled = row["scaled_speedup"].as_f64().unwrap();
        assert!((scaled - serial / parallel).abs() < 1e-6, "{row}");
        assert!(row["weak_efficiency"].as_f64().unwrap() > 0.0);
    }
    // Each row's own serial run grows with its problem (3 × the work, with
    // room for a busy machine).
    let serial = |i: usize| rows[i]["serial_s"].as_f64().unwrap();
    assert!(
        serial(2) > 1.5 * serial(0),
        "{} vs {}",
        serial(2),
        serial(0)
    );
    assert_eq!(rows[0]["weak_efficiency"], 1.0, "T(1) is the 1-worker row");
    let table = stdout(&small_cpu(&["--scaling", "weak", "--workers", "1,2"]));
    assert!(
        table.contains("weak scaling, 8 tasks per worker"),
        "{table}"
    );
    assert!(table.contains("scaled    T1/TW"), "{table}");
    assert!(table.contains("\nflat "), "{table}");
}

#[test]
fn a_weak_sweep_beyond_the_task_limit_is_refused_before_measuring() {
    let out = parlab(&[
        "sweep",
        "--scaling",
        "weak",
        "--tasks",
        "5000000",
        "--task-ms",
        "0.0001",
        "--workers",
        "1,4",
    ]);
    assert_eq!(out.status.code(), Some(2), "a refusal");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("4 workers 4 × 5000000 = 20000000 tasks, over the limit of 10000000"),
        "{err}"
    );
}

#[test]
fn a_sweep_exports_json_and_csv_to_files_beside_its_table() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("sweep.json");
    let csv = dir.path().join("sweep.csv");
    let table = stdout(&small_cpu(&[
        "--workers",
        "1,2",
        "--export-json",
        json.to_str().unwrap(),
        "--export-csv",
        csv.to_str().unwrap(),
    ]));
    assert!(table.starts_with("parlab sweep"), "{table}");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(value["rows"].as_array().map(Vec::len), Some(2));
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 3);
}
