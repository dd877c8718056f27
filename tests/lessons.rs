//! End-to-end checks of `parlab lessons`: the shipped lessons are listed,
//! a teacher's broken file is reported with its file and line.

use std::process::{Command, Output};

fn parlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parlab"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the parlab binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn lessons_lists_the_shipped_lessons() {
    let out = parlab(&["lessons"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listing = text(&out.stdout);
    assert!(listing.contains(" 1. The classic demo"), "{listing}");
    assert!(listing.contains("13. Threads and processes"), "{listing}");
    assert!(!listing.contains("problem:"), "{listing}");
    assert!(listing.contains("parlab lesson --path NAME"), "{listing}");
    assert!(
        listing.contains("  50  A 50-minute class: 17 steps"),
        "{listing}"
    );
    assert!(listing.contains("  90  A 90-minute class"), "{listing}");
}

#[test]
fn lessons_reports_a_broken_teacher_file_and_fails() {
    let dir = std::env::temp_dir().join(format!("parlab-teach-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("11-mine.toml"), "title = \"Mine\"\nsummary = \n").unwrap();
    let out = parlab(&["lessons", "--lessons", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(!out.status.success());
    let listing = text(&out.stdout);
    assert!(listing.contains("11-mine.toml, line 2: "), "{listing}");
    assert!(listing.contains(" 1. The classic demo"), "{listing}");
    let err = text(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("1 lesson file has a problem"), "{err}");
}

/// FIFOs are a Unix thing.
#[cfg(unix)]
#[test]
fn an_empty_folder_or_a_fifo_gets_a_note_and_a_failure_without_hanging() {
    let scratch = tempfile::tempdir().unwrap();
    let out = parlab(&["lessons", "--lessons", scratch.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("no lesson files (*.toml) in this folder"),
        "{}",
        text(&out.stdout)
    );
    let fifo = scratch.path().join("11-fifo.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let started = std::time::Instant::now();
    let out = parlab(&["lessons", "--lessons", scratch.path().to_str().unwrap()]);
    assert!(started.elapsed().as_secs() < 5, "a FIFO does not hang");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("11-fifo.toml: not a regular file"));
}

#[test]
fn a_lesson_step_that_needs_more_memory_than_the_machine_has_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let lesson = r#"
title = "Greedy"
summary = "Too much memory."

[[step]]
title = "Huge"
text = "Text."
workload = "sleep"
pool = "python-processes"
tasks = 10000
workers = 4
task_ms = 1
payload_kb = 16384
question = "How long?"
predict = "parallel-time"
happened = "Took {parallel}."
"#;
    std::fs::write(dir.path().join("98-greedy.toml"), lesson).unwrap();
    let out = parlab(&["lessons", "--lessons", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let listing = text(&out.stdout);
    assert!(
        listing.contains("98-greedy.toml, line ") && listing.contains("of memory"),
        "{listing}"
    );
}
