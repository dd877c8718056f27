//! Every refusal exits 2 with one line on stderr, whatever refuses it (the
//! parser, a plan check, a command); a stdout that cannot be written is a
//! failure with a message, never a silent success.

mod common;

use common::parlab;
use std::process::{Command, Stdio};

/// The status and the stderr lines of `parlab args` (busy-machine
/// warnings left out: they depend on the load of the machine).
fn refused(args: &[&str]) -> (Option<i32>, Vec<String>) {
    let out = parlab(args);
    let lines = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| !l.starts_with("warning:"))
        .map(str::to_string)
        .collect();
    (out.status.code(), lines)
}

#[test]
fn every_refusal_exits_2_with_one_line() {
    for (args, needle) in [
        (
            &[
                "sweep",
                "--scaling",
                "weak",
                "--tasks",
                "10000000",
                "--workers",
                "1,2",
                "--task-ms",
                "0.0001",
            ][..],
            "2 workers 2 × 10000000 = 20000000 tasks",
        ),
        (
            &[
                "sweep",
                "--scaling",
                "weak",
                "--tasks",
                "5000000",
                "--workers",
                "1,2",
            ][..],
            "over the 1 hour limit",
        ),
        (
            &["run", "--pool", "all", "--trace", "x.json"][..],
            "--trace records one pool",
        ),
        (&["sweep", "--pool", "all"][..], "one pool at a time"),
        (&["lesson", "99"][..], "no lesson '99'"),
        (
            &["run", "--pool", "threads", "--python", "python3"][..],
            "does nothing for --pool threads",
        ),
        (
            &["--python", "a", "run", "--python", "b"][..],
            "--python was given 2 times (a, b)",
        ),
        (&["man", "bogus"][..], "invalid value 'bogus'"),
        (&["man", "pool-worker"][..], "invalid value 'pool-worker'"),
        (
            &["run", "--tasks", "70000", "--task-ms", "1000"][..],
            "about 19 h 26 min, over",
        ),
    ] {
        let (status, lines) = refused(args);
        assert_eq!(status, Some(2), "{args:?}: {lines:?}");
        assert_eq!(lines.len(), 1, "{args:?}: {lines:?}");
        assert!(lines[0].contains(needle), "{args:?}: {lines:?}");
        assert!(
            !lines[0].contains("pool-worker,"),
            "the hidden command stays hidden: {lines:?}"
        );
    }
}

#[test]
fn the_lab_refuses_a_dumb_terminal() {
    let out = Command::new(env!("CARGO_BIN_EXE_parlab"))
        .env("TERM", "dumb")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("TERM=dumb"));
}

#[test]
fn two_outputs_to_one_file_are_refused_before_the_work() {
    let scratch = tempfile::tempdir().unwrap();
    let same = scratch.path().join("same.out");
    let also = scratch.path().join(".").join("same.out");
    let (status, lines) = refused(&[
        "sweep",
        "--tasks",
        "2",
        "--task-ms",
        "1",
        "--workers",
        "1,2",
        "--trace",
        same.to_str().unwrap(),
        "--svg",
        also.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(2), "{lines:?}");
    assert!(lines[0].contains("is given for two outputs"), "{lines:?}");
    assert!(!same.exists(), "nothing was written");
}

/// `>&-`: the command runs with no stdout at all.
fn with_stdout_closed(args: &[&str]) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(r#"exec "$0" "$@" >&-"#)
        .arg(env!("CARGO_BIN_EXE_parlab"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_closed_stdout_fails_with_a_message() {
    for args in [
        &["run", "--tasks", "2", "--task-ms", "1"][..],
        &["info"][..],
        &["man"][..],
        &["completions", "bash"][..],
        &["compare", "nothing.json"][..],
        &["--version"][..],
    ] {
        let out = with_stdout_closed(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("standard output is closed"), "{args:?}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn a_python_that_is_not_python_3_is_named_with_the_version_it_gives() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = tempfile::tempdir().unwrap();
    let fake = scratch.path().join("python2");
    std::fs::write(&fake, "#!/bin/sh\necho 'Python 2.7.18' >&2\nexit 1\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (status, lines) = refused(&[
        "--python",
        fake.to_str().unwrap(),
        "run",
        "--pool",
        "python-threads",
        "--tasks",
        "2",
        "--task-ms",
        "1",
    ]);
    assert_ne!(status, Some(0), "{lines:?}");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("no Python 3.8 or newer") && lines[0].contains("\"Python 2.7.18\""),
        "{lines:?}"
    );
}
