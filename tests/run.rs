//! End-to-end checks of `parlab run` and `parlab info`: the real binary,
//! small fast inputs, output parsed back.

use serde_json::Value;
mod common;

use common::{parlab, stdout};

fn run_json(args: &[&str]) -> Value {
    let mut all = vec!["run", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&stdout(&parlab(&all))).expect("valid JSON")
}

#[test]
fn json_has_every_documented_field() {
    let v = run_json(&[
        "--tasks",
        "6",
        "--workers",
        "3",
        "--task-ms",
        "5",
        "--repeat",
        "2",
    ]);
    for key in [
        "workload",
        "tasks",
        "workers",
        "task_ms",
        "pool",
        "schedule",
        "chunk",
        "payload_kb",
        "serial_fraction",
    ] {
        assert!(v["work"].get(key).is_some(), "missing work.{key}");
    }
    for key in [
        "repeat",
        "warmup",
        "serial_s",
        "parallel_s",
        "ideal_parallel_s",
        "speedup",
        "efficiency",
        "results_match",
        "pool_build_s",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    for side in ["serial", "parallel"] {
        for key in ["runs_s", "min_s", "median_s", "max_s", "cpu_s"] {
            assert!(v[side].get(key).is_some(), "missing {side}.{key}");
        }
        assert_eq!(v[side]["runs_s"].as_array().map(Vec::len), Some(2));
    }
    for key in ["physical_cores", "logical_cpus", "cpu_brand"] {
        assert!(v["machine"].get(key).is_some(), "missing machine.{key}");
    }
    assert_eq!(v["work"]["workload"], "sleep");
    assert_eq!(v["results_match"], true);
    assert_eq!(
        (v["kind"].as_str(), v["schema"].as_u64()),
        (Some("parlab-run"), Some(2))
    );
}

#[test]
fn sleeping_tasks_follow_the_waves_model() {
    // 12 tasks of 20 ms on 4 workers: 240 ms serial, three waves of 20 ms.
    // Three repeats average each task's time, so one late wake-up on a busy
    // machine does not skew the model's input.
    let v = run_json(&[
        "--tasks",
        "12",
        "--workers",
        "4",
        "--task-ms",
        "20",
        "--repeat",
        "3",
    ]);
    let serial = v["serial_s"].as_f64().unwrap();
    let ideal = v["ideal_parallel_s"].as_f64().unwrap();
    let parallel = v["parallel_s"].as_f64().unwrap();
    let waves = ideal * 4.0 / serial;
    // Never below an even share of the work (exact); three waves of nearly
    // equal tasks stay within a few percent of it.
    assert!(
        waves > 1.0 - 1e-6,
        "ideal {ideal} below serial/4 = {}",
        serial / 4.0
    );
    assert!(waves < 1.05, "ideal {ideal} vs serial {serial}");
    assert!(
        parallel >= ideal * 0.98,
        "parallel {parallel} beat the ideal {ideal}"
    );
    // Sleeping needs no cores, so even a loaded 2-core machine gets most of 4x.
    assert!(v["speedup"].as_f64().unwrap() > 2.5);
    assert_eq!(v["ideal_model"], "waves");
}

#[test]
fn cpu_work_checks_its_results_and_names_the_core_bound() {
    let v = run_json(&[
        "--workload",
        "cpu",
        "--tasks",
        "8",
        "--workers",
        "64",
        "--task-ms",
        "2",
        // The median of three, after a warm-up: one preempted 16 ms serial
        // run must not read as a gain the CPUs cannot give.
        "--repeat",
        "3",
        "--warmup",
        "1",
    ]);
    assert_eq!(v["results_match"], true);
    let cpus = v["machine"]["usable_cpus"].as_u64().unwrap();
    if cpus < 64 {
        assert_eq!(v["ideal_model"], "cores");
    }
    // No fake gains: CPU-bound speedup cannot beat the CPUs (10 % for noise).
    assert!(v["speedup"].as_f64().unwrap() <= cpus as f64 * 1.1);
}

#[test]
fn every_workload_runs_and_matches() {
    for kind in ["sleep", "cpu", "memory", "uneven", "tiny"] {
        let v = run_json(&[
            "--workload",
            kind,
            "--tasks",
            "4",
            "--workers",
            "2",
            "--task-ms",
            "1",
        ]);
        assert_eq!(v["work"]["workload"], kind);
        assert_eq!(v["results_match"], true, "{kind}");
    }
}

/// The lost-update demonstration reports its shared total against the
/// expected one; the checksums still match (both sides did the same
/// additions), and the finding follows the count. `fetch_add` loses none.
#[test]
fn a_shared_total_is_reported_against_the_expected_one() {
    for kind in ["lost-update", "atomic-update"] {
        let v = run_json(&[
            "--workload",
            kind,
            "--tasks",
            "4",
            "--workers",
            "2",
            "--task-ms",
            "1",
        ]);
        assert_eq!(v["results_match"], true, "{kind}");
        let expected = v["shared_total"]["expected"].as_u64().unwrap();
        let measured = v["shared_total"]["measured"].as_u64().unwrap();
        assert!(expected > 0 && measured <= expected, "{kind}: {v}");
        let ids: Vec<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        let named = if measured < expected {
            "lost_updates"
        } else {
            "no_update_lost"
        };
        assert!(ids.contains(&named), "{kind}: {ids:?}");
        assert!(!ids.contains(&"results_differ"), "{kind}: {ids:?}");
        if kind == "atomic-update" {
            assert_eq!(measured, expected, "fetch_add lost an update");
        }
    }
    let cpu = run_json(&["--workload", "cpu", "--tasks", "2", "--task-ms", "1"]);
    assert!(cpu.get("shared_total").is_none(), "{cpu}");
}

#[test]
fn csv_has_a_header_and_one_row_per_side() {
    let text = stdout(&parlab(&[
        "run",
        "--format",
        "csv",
        "--tasks",
        "4",
        "--task-ms",
        "1",
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("side,workload,tasks,workers,task_ms"));
    assert!(lines[1].starts_with("serial,sleep,4,8,1,"));
    assert!(lines[2].starts_with("parallel,sleep,4,8,1,"));
    let columns = lines[0].split(',').count();
    assert!(lines.iter().all(|l| l.split(',').count() == columns));
}

#[test]
fn markdown_is_a_table_a_forge_renders() {
    let text = stdout(&parlab(&[
        "run",
        "--format",
        "markdown",
        "--tasks",
        "4",
        // Long enough that a late wake-up on a busy machine does not make
        // one sleep half again as long as the others (the longest-task bound).
        "--task-ms",
        "20",
    ]));
    assert!(text.contains("| side | median | min | max | CPU time |"));
    assert!(text.contains("|:---|---:|---:|---:|---:|"));
    assert!(
        text.contains("| serial |")
            && text.contains("| parallel |")
            && text.contains("| ideal (waves) |")
    );
}

#[test]
fn the_table_names_each_figure() {
    let text = stdout(&parlab(&["run", "--tasks", "4", "--task-ms", "1"]));
    for needle in [
        "serial",
        "parallel",
        "ideal",
        "speedup",
        "efficiency",
        "results match",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
    assert!(!text.contains('\x1b'), "colour with NO_COLOR set");
}

#[test]
fn bad_input_gets_one_line_and_a_failure() {
    let cases: &[(&[&str], &str)] = &[
        (&["run", "--tasks", "0"], "1 to 10000000"),
        (&["run", "--workers", "0"], "1 to 1024"),
        (&["run", "--workload", "bogus"], "sleep"),
        (&["run", "--task-ms", "-5"], "0.0001 to 60000"),
        (&["run", "--task-ms", "1e9"], "0.0001 to 60000"),
        (
            &["run", "--tasks", "99999999999999999999999999"],
            "1 to 10000000",
        ),
        (&["run", "--format", "xml"], "table"),
        (&["run", "--tasks", "1000000", "--task-ms", "10"], "1 hour"),
        (&["bogus"], "bogus"),
        // The whole plan counts: repeats, warm-ups, both sides, every row.
        (
            &[
                "run", "--repeat", "1000", "--warmup", "100", "--tasks", "48",
            ],
            "the whole plan would take about 1 h",
        ),
        (
            &[
                "sweep",
                "--workers",
                "1..64",
                "--repeat",
                "20",
                "--task-ms",
                "2000",
            ],
            "the whole plan would take about 1 h 49 min",
        ),
        // Negative numbers get the range error, not "unexpected argument".
        (&["run", "--tasks", "-1"], "1 to 10000000"),
        (&["run", "--workers", "-1"], "1 to 1024"),
        (&["run", "--task-ms", "-inf"], "0.0001 to 60000"),
        (&["run", "--task-ms", "-0"], "0.0001 to 60000"),
        (&["run", "--repeat", "-1"], "1..=1000"),
        (&["run", "--warmup", "-2"], "0..=100"),
        (&["run", "--serial-fraction", "-1e-9"], "from 0 up to"),
        (&["sweep", "--workers", "-1"], "not a worker count"),
        (&["sweep", "--workers", "-4..-1"], "worker"),
        // Options that do nothing for their command are refused.
        (
            &["run", "--lessons", "/tmp"],
            "--lessons does nothing for `parlab run`",
        ),
        (&["sweep", "--lessons", "/tmp"], "--lessons does nothing"),
        (&["info", "--lessons", "/tmp"], "--lessons does nothing"),
        (&["--lessons", "/tmp", "info"], "--lessons does nothing"),
        (
            &["--theme", "mono", "run"],
            "--theme does nothing for `parlab run`",
        ),
        (
            &["run", "--workload", "cpu", "--serial-fraction", "0.5"],
            "only applies",
        ),
    ];
    for (args, needle) in cases {
        let out = parlab(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: misuse exits 2: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?} printed partial output");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn info_reports_the_machine() {
    let v: Value = serde_json::from_str(&stdout(&parlab(&["info", "--format", "json"]))).unwrap();
    let logical = v["logical_cpus"].as_u64().unwrap();
    assert!(v["physical_cores"].as_u64().unwrap() <= logical);
    assert!(v["rayon_default_threads"].as_u64().unwrap() >= 1);
    let text = stdout(&parlab(&["info"]));
    assert!(text.contains("physical cores") && text.contains("logical CPUs"));
}

#[test]
fn help_shows_examples() {
    let text = stdout(&parlab(&["run", "--help"]));
    assert!(text.contains("--workload") && text.contains("Examples:"));
}

#[test]
fn the_schedule_is_recorded_in_every_format() {
    let base = [
        "run",
        "--workload",
        "cpu",
        "--tasks",
        "40",
        "--workers",
        "2",
        "--task-ms",
        "0.05",
        "--schedule",
        "dynamic",
        "--chunk",
        "8",
    ];
    let json: Value = serde_json::from_str(&stdout(&parlab(
        &[&base[..], &["--format", "json"]].concat(),
    )))
    .expect("valid JSON");
    assert_eq!(
        (
            json["work"]["schedule"].as_str(),
            json["work"]["chunk"].as_u64()
        ),
        (Some("dynamic"), Some(8))
    );
    assert_eq!(json["results_match"], true);
    let csv = stdout(&parlab(&[&base[..], &["--format", "csv"]].concat()));
    let header = csv.lines().next().unwrap_or_default();
    assert!(header.ends_with(",schedule,chunk"), "{header}");
    assert!(
        csv.lines()
            .nth(1)
            .unwrap_or_default()
            .ends_with(",dynamic,8"),
        "{csv}"
    );
    for format in ["table", "markdown"] {
        let text = stdout(&parlab(&[&base[..], &["--format", format]].concat()));
        assert!(
            text.contains("2 workers · dynamic, chunk 8"),
            "{format}: {text}"
        );
    }
    let static_run = run_json(&["--tasks", "4", "--task-ms", "1", "--schedule", "static"]);
    assert_eq!(static_run["work"]["schedule"], "static");
    assert!(static_run["work"]["chunk"].is_null());
}

#[test]
fn a_chunk_without_the_dynamic_schedule_is_refused() {
    let out = common::parlab(&["run", "--schedule", "static", "--chunk", "4"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--chunk only applies to --schedule dynamic"),
        "{err}"
    );
}

#[test]
fn exports_go_to_files_while_the_table_prints() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("run.json");
    let csv = dir.path().join("run.csv");
    let markdown = dir.path().join("run.md");
    let output = parlab(&[
        "run",
        "--tasks",
        "4",
        "--task-ms",
        "1",
        "--workers",
        "2",
        "--export-json",
        json.to_str().unwrap(),
        "--export-csv",
        csv.to_str().unwrap(),
        "--export-markdown",
        markdown.to_str().unwrap(),
    ]);
    let table = stdout(&output);
    assert!(table.starts_with("parlab run · sleep"), "{table}");
    let notes = String::from_utf8_lossy(&output.stderr);
    assert!(notes.contains("JSON export written to"), "{notes}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(
        (v["kind"].as_str(), v["work"]["tasks"].as_u64()),
        (Some("parlab-run"), Some(4))
    );
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.starts_with("side,workload,"), "{csv}");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    let markdown = std::fs::read_to_string(&markdown).unwrap();
    assert!(markdown.contains("| side | median |"), "{markdown}");
    let compared = stdout(&parlab(&["compare", json.to_str().unwrap()]));
    assert_eq!(compared.lines().count(), 2, "{compared}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_export_path_is_checked_before_measuring_and_never_shared() {
    let dir = tempfile::tempdir().unwrap();
    let same = dir.path().join("same");
    let refused = parlab(&[
        "run",
        "--export-json",
        same.to_str().unwrap(),
        "--export-csv",
        same.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("given for two outputs"), "{why}");
    let folder = parlab(&["run", "--export-csv", dir.path().to_str().unwrap()]);
    assert_eq!(folder.status.code(), Some(2));
    assert!(folder.stdout.is_empty(), "nothing measured");
}
