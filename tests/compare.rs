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
        "workload",
        "tasks × time",
        "workers",
        "serial",
        "parallel",
        "speedup",
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
    assert!(csv.starts_with("file,cpu_brand,physical_cores,logical_cpus,pool,workload,"));
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
