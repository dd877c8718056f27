//! `parlab compare` end to end: exports written by the real binary, read
//! back into one table; a foreign file is refused by name.

mod common;

use common::{parlab, stdout};
use std::path::Path;

/// Writes the JSON export of `parlab <args> --format json` to `path`.
fn export(path: &Path, args: &[&str]) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    std::fs::write(path, stdout(&parlab(&all))).unwrap();
}

fn compare(args: &[&str]) -> std::process::Output {
    parlab(&[&["compare"], args].concat())
}

#[test]
fn two_exports_give_one_table_and_a_foreign_file_is_refused() {
    let scratch = tempfile::tempdir().unwrap();
    let run = scratch.path().join("run.json");
    let sweep = scratch.path().join("sweep.json");
    let foreign = scratch.path().join("package.json");
    export(
        &run,
        &["run", "--tasks", "4", "--task-ms", "2", "--workers", "2"],
    );
    export(
        &sweep,
        &[
            "sweep",
            "--workload",
            "cpu",
            "--tasks",
            "4",
            "--task-ms",
            "2",
            "--workers",
            "1,2",
        ],
    );
    std::fs::write(&foreign, r#"{"name": "left-pad", "version": "1.3.0"}"#).unwrap();
    let (run, sweep, foreign) = (
        run.to_str().unwrap(),
        sweep.to_str().unwrap(),
        foreign.to_str().unwrap(),
    );

    let table = stdout(&compare(&[run, sweep]));
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "a header, the run and two sweep rows:\n{table}"
    );
    for column in [
        "machine",
        "pool",
        "usable",
        "workload",
        "schedule",
        "tasks",
        "task",
        "workers",
        "repeat",
        "serial",
        "parallel",
        "min–max",
        "speedup",
        "relative",
        "efficiency",
    ] {
        assert!(lines[0].contains(column), "{column}: {table}");
    }
    assert!(
        lines[1].starts_with(run) && lines[1].contains("sleep"),
        "{table}"
    );
    assert!(
        lines[2].starts_with(sweep) && lines[3].contains("cpu"),
        "{table}"
    );
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains("threads") && l.contains(" cores / "))
    );

    let csv = stdout(&compare(&[run, sweep, "--format", "csv"]));
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.starts_with(
        "file,cpu_brand,physical_cores,logical_cpus,usable_cpus,pool,workload,schedule,"
    ));
    let markdown = stdout(&compare(&["--format", "markdown", run]));
    assert_eq!(markdown.lines().count(), 3);
    assert!(markdown.lines().nth(1).unwrap().starts_with("|:---|"));

    let out = compare(&[run, foreign, sweep]);
    assert_eq!(out.status.code(), Some(2), "refused as misuse");
    assert!(out.stdout.is_empty(), "no table when a file is refused");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        format!("error: {foreign}: not a parlab export (no \"kind\" field)\n")
    );
}

#[test]
fn every_refused_file_gets_its_own_line() {
    let scratch = tempfile::tempdir().unwrap();
    let newer = scratch.path().join("newer.json");
    std::fs::write(&newer, r#"{"kind": "parlab-run", "schema": 99}"#).unwrap();
    let missing = scratch.path().join("missing.json");
    let out = compare(&[newer.to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].contains(
            "newer.json: written with export schema 99; this parlab reads schemas 1 to 2"
        )
    );
    assert!(lines[1].contains("missing.json: cannot read it"), "{err}");
    let none = compare(&[]);
    assert_eq!(none.status.code(), Some(2), "a file is required");
}

#[test]
fn a_fifo_a_device_or_a_huge_file_is_refused_at_once() {
    let scratch = tempfile::tempdir().unwrap();
    let fifo = scratch.path().join("fifo.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let huge = scratch.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(64 << 20)
        .unwrap();
    let started = std::time::Instant::now();
    let out = compare(&[fifo.to_str().unwrap(), "/dev/zero", huge.to_str().unwrap()]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].contains("fifo.json: not a regular file"), "{err}");
    assert!(lines[1].contains("/dev/zero: not a regular file"), "{err}");
    assert!(lines[2].contains("huge.json: larger than 16 MiB"), "{err}");
}

#[test]
fn a_weak_sweep_is_read_row_by_row_and_marked() {
    let scratch = tempfile::tempdir().unwrap();
    let weak = scratch.path().join("weak.json");
    export(
        &weak,
        &[
            "sweep",
            "--scaling",
            "weak",
            "--tasks",
            "2",
            "--task-ms",
            "2",
            "--workers",
            "1,2",
        ],
    );
    let text = std::fs::read_to_string(&weak).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rows = json["rows"].as_array().unwrap();
    let csv = stdout(&compare(&[weak.to_str().unwrap(), "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(lines.len(), 2, "{csv}");
    for (line, row) in lines.iter().zip(rows) {
        // The row's own problem and serial run, marked weak.
        assert!(line[column("workload")].ends_with(", weak"), "{csv}");
        assert_eq!(line[column("tasks")], row["tasks"].to_string(), "{csv}");
        let serial: f64 = line[column("serial_s")].parse().unwrap();
        assert_eq!(serial, row["serial_s"].as_f64().unwrap(), "{csv}");
    }
    assert_eq!(&lines[1][column("tasks")], "4", "2 workers × 2 tasks");
}

#[test]
fn a_pool_all_export_is_read_a_row_per_pool() {
    let scratch = tempfile::tempdir().unwrap();
    let all = scratch.path().join("all.json");
    export(
        &all,
        &[
            "run",
            "--pool",
            "all",
            "--tasks",
            "2",
            "--task-ms",
            "1",
            "--workers",
            "2",
        ],
    );
    let table = stdout(&compare(&[all.to_str().unwrap()]));
    assert!(table.lines().count() >= 3, "{table}");
    assert!(
        table.contains("threads") && table.contains("processes"),
        "{table}"
    );
}

#[test]
fn control_characters_from_an_export_never_reach_the_terminal() {
    let scratch = tempfile::tempdir().unwrap();
    let run = scratch.path().join("run.json");
    export(
        &run,
        &["run", "--tasks", "2", "--task-ms", "1", "--workers", "2"],
    );
    let text = std::fs::read_to_string(&run).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["machine"]["cpu_brand"] = "\u{1b}[2J\u{1b}]0;pwned\u{7}Evil|CPU\n".into();
    std::fs::write(&run, json.to_string()).unwrap();
    for format in ["table", "markdown", "csv"] {
        let out = stdout(&compare(&[run.to_str().unwrap(), "--format", format]));
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format}: {out:?}"
        );
        let rows = out.lines().count();
        assert_eq!(
            rows,
            if format == "markdown" { 3 } else { 2 },
            "{format}: {out:?}"
        );
    }
}
