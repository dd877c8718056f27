//! Closed pipes and full disks: parlab never panics on a write, says what
//! it could not write, and still writes the files it was asked for.

use std::process::{Command, Stdio};

/// A quick sweep: two worker counts of two 1 ms sleeps.
const QUICK_SWEEP: [&str; 7] = [
    "sweep",
    "--tasks",
    "2",
    "--task-ms",
    "1",
    "--workers",
    "1,2",
];

fn parlab() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_parlab"));
    command.env("NO_COLOR", "1");
    command
}

/// Linux's always-full device; other systems have none.
#[cfg(target_os = "linux")]
fn full_disk() -> Stdio {
    std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens")
        .into()
}

#[test]
fn a_closed_stderr_never_makes_parlab_panic() {
    let scratch = tempfile::tempdir().unwrap();
    let chart = scratch.path().join("chart.svg");
    let mut sweep: Vec<&str> = QUICK_SWEEP.to_vec();
    sweep.extend(["--svg", chart.to_str().unwrap()]);
    let run = ["run", "--tasks", "2", "--task-ms", "1"];
    let bad = ["run", "--tasks", "0"];
    for args in [&sweep[..], &run[..], &bad[..]] {
        let mut child = parlab()
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert_ne!(status.code(), Some(101), "{args:?} panicked");
        let expected = if args == bad { 2 } else { 0 };
        assert_eq!(status.code(), Some(expected), "{args:?}");
    }
    assert!(chart.exists(), "the chart is written all the same");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_fails_naming_what_was_lost_and_the_chart_is_still_written() {
    let scratch = tempfile::tempdir().unwrap();
    let chart = scratch.path().join("chart.svg");
    let mut sweep: Vec<&str> = QUICK_SWEEP.to_vec();
    sweep.extend(["--svg", chart.to_str().unwrap()]);
    let cases: [(&[&str], &str); 5] = [
        (&sweep, "the sweep report"),
        (&["run", "--tasks", "2", "--task-ms", "1"], "the run report"),
        (&["info"], "the output"),
        (&["--help"], "the help"),
        (&["--version"], "the version"),
    ];
    for (args, what) in cases {
        let out = parlab().args(args).stdout(full_disk()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let line = err.lines().find(|l| l.starts_with("error:")).unwrap_or("");
        assert!(
            line.contains(&format!("cannot write {what} to standard output: No space")),
            "{args:?}: {err}"
        );
    }
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains("<svg"), "{svg}");
}

#[test]
fn a_reader_that_leaves_early_is_not_an_error() {
    let mut child = parlab()
        .args(["info"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
