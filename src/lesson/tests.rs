use super::*;
use crate::config::MAX_SERIAL;
use crate::template::{Facts, PLACEHOLDERS};
use std::path::PathBuf;
use std::time::Duration;

fn machines() -> [MachineInfo; 4] {
    [
        MachineInfo::synthetic(1, 1),
        MachineInfo::synthetic(2, 2),
        MachineInfo::synthetic(4, 8),
        MachineInfo::synthetic(64, 128),
    ]
}

const GOOD_STEP: &str = r#"
[[step]]
title = "Eight workers"
text = "Some words."
workload = "sleep"
tasks = 24
workers = 8
question = "How long?"
predict = "parallel-time"
happened = "It took {parallel}."
"#;

fn lesson_with(step_body: &str) -> String {
    format!("title = \"T\"\nsummary = \"S\"\n{step_body}")
}

/// The error for a lesson whose only step is GOOD_STEP with `from`
/// replaced by `to`.
fn broken(from: &str, to: &str) -> LessonError {
    assert!(GOOD_STEP.contains(from), "{from}");
    let source = lesson_with(&GOOD_STEP.replace(from, to));
    parse_lesson("x.toml", &source).unwrap_err()
}

#[test]
fn every_shipped_lesson_parses() {
    let set = LessonSet::shipped();
    assert_eq!(set.problems, vec![]);
    assert_eq!(set.lessons.len(), SHIPPED.len());
    assert!(set.lessons.len() >= 10);
    for lesson in &set.lessons {
        assert!(!lesson.summary.trim().is_empty(), "{}", lesson.file);
        assert!(lesson.steps.len() >= 2, "{}", lesson.file);
    }
}

#[test]
fn every_shipped_step_is_a_valid_short_run_on_any_machine() {
    for lesson in LessonSet::shipped().lessons {
        for (i, step) in lesson.steps.iter().enumerate() {
            let at = format!("{} step {}", lesson.file, i + 1);
            for machine in machines() {
                let spec = step.settings.spec(&machine);
                assert_eq!(spec.validate(), Ok(()), "{at}");
                assert_eq!(
                    step.settings.sweep,
                    step.settings.sweep_workers(&machine).is_some()
                );
            }
            // A class waits for both sides: keep each serial run short.
            assert!(
                step.settings.spec(&machines()[0]).serial_estimate() <= Duration::from_secs(4),
                "{at}"
            );
            assert!(MAX_SERIAL > Duration::from_secs(4));
        }
    }
}

#[test]
fn every_lesson_file_in_the_folder_is_shipped() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/lessons");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let shipped: Vec<&str> = SHIPPED.iter().map(|(name, _)| *name).collect();
    assert_eq!(on_disk, shipped);
}

#[test]
fn the_format_document_lists_every_placeholder() {
    let doc = include_str!("../../assets/lessons/README.md");
    for p in PLACEHOLDERS {
        assert!(doc.contains(&format!("| `{{{}}}` |", p.name)), "{}", p.name);
    }
}

#[test]
fn the_classic_demo_is_lesson_one() {
    let set = LessonSet::shipped();
    let demo = &set.lessons[0];
    assert_eq!(demo.file, "01-classic-demo.toml");
    let eight = &demo.steps[1];
    let spec = eight.settings.spec(&MachineInfo::synthetic(2, 2));
    assert_eq!(spec, RunSpec::SEED_DEMO);
    assert_eq!(eight.predict, Quantity::ParallelTime);
}

#[test]
fn a_good_lesson_reads_back_exactly() {
    let lesson = parse_lesson("x.toml", &lesson_with(GOOD_STEP)).unwrap();
    let step = &lesson.steps[0];
    assert_eq!(
        (lesson.title.as_str(), step.title.as_str()),
        ("T", "Eight workers")
    );
    let spec = step.settings.spec(&MachineInfo::synthetic(2, 2));
    assert_eq!(spec, RunSpec::SEED_DEMO);
    let mut report_facts = Facts::default();
    assert_eq!(step.happened.render(&report_facts), "It took n/a.");
    report_facts = happened_facts(&fixture_report(), None);
    assert_eq!(step.happened.render(&report_facts), "It took 301 ms.");
}

fn fixture_report() -> crate::measure::RunResult {
    use crate::measure::{Rounds, RunResult, SideResult};
    let side = |ms: u64, tasks: usize| SideResult {
        wall: crate::stats::Summary::of(&[Duration::from_millis(ms)]),
        cpu: Duration::from_millis(3),
        checksum: 1,
        task_times: vec![Duration::from_millis(100); tasks],
        serial_part: Duration::ZERO,
    };
    RunResult::new(
        &RunSpec::SEED_DEMO,
        Rounds::ONCE,
        &MachineInfo::synthetic(2, 2),
        &side(2400, 24),
        &side(301, 0),
        Duration::ZERO,
    )
}

#[test]
fn broken_files_name_the_file_and_the_line() {
    // Lines: 1 title, 2 summary, 3 blank, 4 [[step]], 5 title, 6 text,
    // 7 workload, 8 tasks, 9 workers, 10 question, 11 predict, 12 happened.
    for (from, to, line, needle) in [
        ("tasks = 24", "tasks = 0", 8, "from 1 to 10000000"),
        ("tasks = 24", "tasks = -3", 8, "-3"),
        ("workers = 8", "workers = 0", 9, "from 1 to 1024"),
        ("workers = 8", "workers = \"lots\"", 9, "\"cpus\""),
        ("workload = \"sleep\"", "workload = \"nap\"", 7, "nap"),
        ("tasks = 24", "tasks = 24\ntask-ms = 5", 9, "task-ms"),
        (
            "{parallel}",
            "{paralel}",
            12,
            "unknown placeholder {paralel}",
        ),
        ("{parallel}", "{best_speedup}", 12, "only a sweep step"),
        ("{parallel}", "{amdahl}", 12, "only a serial-fraction step"),
        (
            "predict = \"parallel-time\"",
            "predict = \"time\"",
            11,
            "time",
        ),
        (
            "tasks = 24",
            "tasks = 24\nserial_fraction = 0.5",
            9,
            "not to sleep",
        ),
        ("workers = 8", "workers = 8\nworkers = 9", 10, "duplicate"),
    ] {
        let err = broken(from, to);
        assert_eq!(err.file, "x.toml");
        let shown = err.to_string();
        assert!(
            shown.starts_with(&format!("x.toml, line {line}: ")),
            "{to}: {shown}"
        );
        assert!(shown.contains(needle), "{to}: {shown}");
        assert_eq!(shown.lines().count(), 1, "{shown}");
    }
}

#[test]
fn a_placeholder_typo_deep_in_a_long_text_points_at_its_own_line() {
    let long = GOOD_STEP.replace(
        "happened = \"It took {parallel}.\"",
        "happened = \"\"\"\nfirst line {serial}\nsecond {spedup}\n\"\"\"",
    );
    let err = parse_lesson("x.toml", &lesson_with(&long)).unwrap_err();
    assert_eq!(err.line, Some(14));
}

#[test]
fn a_lesson_needs_steps_and_a_title() {
    let err = parse_lesson("x.toml", "title = \"T\"\nsummary = \"S\"\n").unwrap_err();
    assert!(err.to_string().contains("no [[step]]"), "{err}");
    let err =
        parse_lesson("x.toml", &lesson_with(GOOD_STEP).replace("\"T\"", "\" \"")).unwrap_err();
    assert!(err.to_string().contains("needs a title"), "{err}");
    let err = parse_lesson("x.toml", "garbage ===").unwrap_err();
    assert_eq!(err.line, Some(1));
}

#[test]
fn a_teacher_folder_adds_replaces_and_reports() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().to_path_buf();
    let replaced = lesson_with(GOOD_STEP).replace("title = \"T\"", "title = \"Our demo\"");
    std::fs::write(dir.join("01-classic-demo.toml"), replaced).unwrap();
    std::fs::write(dir.join("11-extra.toml"), lesson_with(GOOD_STEP)).unwrap();
    std::fs::write(dir.join("12-broken.toml"), "title = \"B\"\nsummary = 3\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "not a lesson").unwrap();
    let set = LessonSet::load(Some(&dir));
    assert_eq!(set.lessons.len(), SHIPPED.len() + 1);
    assert_eq!(set.lessons[0].title, "Our demo");
    assert_eq!(set.lessons.last().unwrap().file, "11-extra.toml");
    assert_eq!(set.problems.len(), 1);
    assert!(set.problems[0].file.ends_with("12-broken.toml"));
    assert_eq!(set.problems[0].line, Some(2));
}

#[test]
fn only_regular_files_are_read_and_never_past_the_cap() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    std::fs::write(dir.join("11-good.toml"), lesson_with(GOOD_STEP)).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("12-fifo.toml"))
        .status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    std::os::unix::fs::symlink("/dev/zero", dir.join("13-zero.toml")).unwrap();
    std::fs::create_dir(dir.join("14-folder.toml")).unwrap();
    let huge = std::fs::File::create(dir.join("15-huge.toml")).unwrap();
    huge.set_len(1 << 40).unwrap();
    std::fs::write(dir.join("16-binary.toml"), [0xff, 0xfe, 0x00]).unwrap();
    std::os::unix::fs::symlink(dir.join("11-good.toml"), dir.join("17-link.toml")).unwrap();
    std::os::unix::fs::symlink("/nowhere", dir.join(".#11-good.toml")).unwrap();
    let started = std::time::Instant::now();
    let set = LessonSet::load(Some(dir));
    assert!(started.elapsed().as_secs() < 2, "no read blocks or runs on");
    let files: Vec<&str> = set.lessons.iter().map(|l| l.file.as_str()).collect();
    assert!(files.contains(&"11-good.toml") && files.contains(&"17-link.toml"));
    let problems: Vec<String> = set.problems.iter().map(ToString::to_string).collect();
    for (file, why) in [
        ("12-fifo.toml", "not a regular file"),
        ("13-zero.toml", "not a regular file"),
        ("14-folder.toml", "a folder"),
        ("15-huge.toml", "too large"),
        ("16-binary.toml", "not UTF-8"),
    ] {
        assert!(
            problems.iter().any(|p| p.contains(file) && p.contains(why)),
            "{file}: {problems:?}"
        );
    }
    assert_eq!(problems.len(), 5, "hidden files are skipped: {problems:?}");
}

#[test]
fn a_folder_without_lesson_files_is_a_problem() {
    let scratch = tempfile::tempdir().unwrap();
    let set = LessonSet::load(Some(scratch.path()));
    assert_eq!(set.lessons.len(), SHIPPED.len());
    assert_eq!(set.problems.len(), 1);
    assert!(
        set.problems[0]
            .to_string()
            .contains("no lesson files (*.toml)")
    );
    std::fs::write(scratch.path().join("notes.txt"), "x").unwrap();
    let set = LessonSet::load(Some(scratch.path()));
    assert_eq!(set.problems.len(), 1);
}

#[test]
fn a_missing_folder_is_a_problem_not_a_crash() {
    let set = LessonSet::load(Some(Path::new("/no/such/parlab/lessons")));
    assert_eq!(set.lessons.len(), SHIPPED.len());
    assert_eq!(set.problems.len(), 1);
    assert!(
        set.problems[0]
            .to_string()
            .contains("cannot read the lesson folder")
    );
}

#[test]
fn worker_counts_follow_the_machine() {
    let m = MachineInfo::synthetic(4, 8);
    for (text, count) in [
        ("cores", 4),
        ("cpus", 8),
        ("2*cpus", 16),
        (" 3 * cores ", 12),
        ("5", 5),
    ] {
        assert_eq!(
            WorkerCount::parse(text).map(|w| w.resolve(&m)),
            Some(count),
            "{text}"
        );
    }
    for text in ["", "0*cpus", "65*cpus", "2*threads", "many", "-1"] {
        assert_eq!(WorkerCount::parse(text), None, "{text}");
    }
    assert_eq!(
        WorkerCount::PerCpu(64).resolve(&MachineInfo::synthetic(64, 128)),
        MAX_WORKERS
    );
}

#[test]
fn sweeps_double_up_to_the_step_worker_count() {
    let settings = |workers| Settings {
        workload: WorkloadKind::Cpu,
        tasks: 8,
        workers,
        task_ms: 1.0,
        serial_fraction: 0.25,
        sweep: true,
        schedule: crate::schedule::Schedule::Steal,
        repeat: 1,
    };
    let m = MachineInfo::synthetic(2, 2);
    let sweep = |w| settings(w).sweep_workers(&m);
    assert_eq!(sweep(WorkerCount::PerCpu(1)), Some(vec![1, 2]));
    assert_eq!(sweep(WorkerCount::Fixed(8)), Some(vec![1, 2, 4, 8]));
    assert_eq!(sweep(WorkerCount::Fixed(6)), Some(vec![1, 2, 4, 6]));
    let single = Settings {
        sweep: false,
        ..settings(WorkerCount::Fixed(8))
    };
    assert_eq!(single.sweep_workers(&m), None);
}
