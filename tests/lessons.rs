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
    assert!(listing.contains("10. "), "{listing}");
    assert!(!listing.contains("problem"), "{listing}");
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
