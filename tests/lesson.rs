//! `parlab lesson`: a lesson previewed without a terminal, its steps
//! measured, judged and explained as the lab would.

mod common;

use common::{parlab, stdout};

/// A teacher's folder with one small lesson whose texts follow the
/// machine and the run.
fn teacher_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let lesson = r#"
title = "Tiny preview"
summary = "Two quick steps."

[[step]]
title = "Sleep"
text = "Generic text of {tasks} tasks."
workload = "sleep"
tasks = 4
workers = 4
task_ms = 20
question = "How long?"
predict = "parallel-time"
happened = "Took {parallel} against {serial}: {speed}. Ideal {ideal}, CPU {serial_cpu} and {parallel_cpu}, the pool started in {pool_build}, transfer {transfer}, the largest loss {loss} of {lane_time}."

[[step.case]]
when = ["no_smt"]
text = "No hardware threads on {cores} cores."

[[step.case]]
when = ["smt"]
text = "Hardware threads: {cores} cores, {cpus} CPUs."

[[step]]
title = "Sweep"
text = "A sweep of {tasks} tasks."
workload = "cpu"
tasks = 4
workers = 2
task_ms = 2
sweep = true
question = "Best speedup?"
predict = "speedup"
happened = "Best {best_speedup} at {best_workers}; fit: {fitted_fraction}. Ideal {ideal}, CPU {parallel_cpu}, the largest loss {loss} of {lane_time}."
"#;
    std::fs::write(dir.path().join("99-preview.toml"), lesson).unwrap();
    dir
}

#[test]
fn a_lesson_in_json_has_its_steps_figures_findings_and_texts() {
    let dir = teacher_folder();
    let folder = dir.path().to_str().unwrap();
    let out = parlab(&[
        "lesson",
        "99-preview",
        "--format",
        "json",
        "--lessons",
        folder,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["kind"], "parlab-lesson");
    assert_eq!(v["title"], "Tiny preview");
    assert!(v["id"].as_u64().unwrap() >= 11, "{}", v["id"]);
    assert!(v["machine"]["logical_cpus"].as_u64().unwrap() >= 1);
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    for step in steps {
        for field in ["serial_s", "parallel_s", "speedup"] {
            assert!(step[field].as_f64().unwrap() > 0.0, "{field}: {step}");
        }
        let ids: Vec<&str> = step["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap())
            .collect();
        assert!(
            ids.iter().any(|id| *id == "smt" || *id == "no_smt"),
            "{ids:?}"
        );
        let happened = step["happened"].as_str().unwrap();
        assert!(!happened.contains("n/a"), "{step}");
        // Every number the texts quote is in the step's JSON: as quoted,
        // and the ideal, CPU times and time accounting as numbers.
        let quoted = step["quoted"].as_object().unwrap();
        for name in ["ideal", "parallel_cpu", "loss", "lane_time"] {
            let value = quoted[name].as_str().unwrap();
            assert!(happened.contains(value), "{name} = {value}: {happened}");
        }
        for field in ["ideal_s", "serial_cpu_s", "parallel_cpu_s"] {
            assert!(step[field].as_f64().unwrap() > 0.0, "{field}: {step}");
        }
        let accounting = &step["time_accounting"];
        assert!(accounting["lane_s"].as_f64().unwrap() > 0.0, "{step}");
        assert!(accounting["work_s"].as_f64().is_some(), "{step}");
    }
    let single = &steps[0];
    assert!(single["pool_build_s"].as_f64().unwrap() > 0.0, "{single}");
    assert_eq!(single["quoted"]["transfer"], "shared", "{single}");
    assert!(single["quoted"]["pool_build"].is_string(), "{single}");
    assert!(single["quoted"]["cores"].is_string(), "{single}");
    assert_eq!(steps[1]["quoted"]["tasks"], "4", "{}", steps[1]);
    let smt = v["machine"]["logical_cpus"] != v["machine"]["physical_cores"];
    let text = steps[0]["text"].as_str().unwrap();
    assert_eq!(text.starts_with("Hardware threads"), smt, "{text}");
    assert_eq!(text.starts_with("No hardware threads"), !smt, "{text}");
    let sweep = &steps[1];
    assert_eq!(
        sweep["settings"]["sweep_workers"],
        serde_json::json!([1, 2])
    );
    assert!(
        sweep["happened"].as_str().unwrap().starts_with("Best "),
        "{sweep}"
    );
    let speed = steps[0]["happened"].as_str().unwrap();
    let speedup = steps[0]["speedup"].as_f64().unwrap();
    assert!(
        (speed.contains("faster") && speedup >= 1.0)
            || (speed.contains("slower") && speedup < 1.0)
            || speed.contains("about as fast"),
        "{speed}"
    );
}

#[test]
fn markdown_shows_every_step_and_an_unknown_lesson_is_refused() {
    let dir = teacher_folder();
    let folder = dir.path().to_str().unwrap();
    let text = stdout(&parlab(&["lesson", "99-preview", "--lessons", folder]));
    assert!(text.starts_with("# Lesson "), "{text}");
    assert!(text.contains("## Step 1: Sleep") && text.contains("## Step 2: Sweep"));
    assert!(text.contains("*Measured:* serial") && text.contains("Findings:"));
    let fails = |args: &[&str]| {
        let out = parlab(args);
        assert!(!out.status.success(), "{args:?} succeeded");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = fails(&["lesson", "nope"]);
    assert!(err.contains("no lesson 'nope'"), "{err}");
    assert!(fails(&["lesson"]).contains("<ID>"));
    let err = fails(&["lesson", "--path", "45"]);
    assert!(
        err.contains("no class path '45': give one of 50, 90"),
        "{err}"
    );
    assert!(fails(&["lesson", "3", "--path", "50"]).contains("cannot be used with"));
}

#[test]
fn control_characters_in_a_lesson_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let lesson = r#"
title = "Bell\u0007 and \u001b[2Jclear"
summary = "Sum\u001b]0;x\u0007mary"

[[step]]
title = "Step\u0007"
text = "Text \u001b[31mred\u001b[0m."
workload = "sleep"
tasks = 1
workers = 1
task_ms = 1
question = "How long\u0007?"
predict = "parallel-time"
happened = "Took {parallel} on {workers} workers\u0007."
"#;
    std::fs::write(dir.path().join("99-bell.toml"), lesson).unwrap();
    let folder = dir.path().to_str().unwrap();
    let list = stdout(&parlab(&["lessons", "--lessons", folder]));
    let shown = stdout(&parlab(&["lesson", "99-bell", "--lessons", folder]));
    for out in [&list, &shown] {
        assert!(!out.contains('\u{7}') && !out.contains('\u{1b}'), "{out:?}");
    }
    assert!(list.contains("Bell and [2Jclear"), "{list}");
    assert!(list.contains("(1 step, "), "{list}");
    assert!(
        shown.contains("on 1 worker."),
        "one worker is singular: {shown}"
    );
}
