//! `--trace FILE` end to end: the real binary writes a Chrome trace, read
//! back the way a trace viewer reads one (an array of events or an object
//! with `traceEvents`, tracks named by `M` events, pid/tid pairs).

use serde_json::Value;
use std::collections::HashMap;
mod common;

use common::{parlab, stdout};

/// A trace as a viewer sees it: its events and the name of every track.
struct Trace {
    events: Vec<Value>,
    processes: HashMap<u64, String>,
    threads: HashMap<(u64, u64), String>,
}

impl Trace {
    fn read(path: &std::path::Path) -> Self {
        let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let events = match value {
            Value::Array(events) => events,
            Value::Object(mut object) => match object.remove("traceEvents") {
                Some(Value::Array(events)) => events,
                other => panic!("traceEvents is not an array: {other:?}"),
            },
            other => panic!("not a trace: {other}"),
        };
        let mut processes = HashMap::new();
        let mut threads = HashMap::new();
        for event in events.iter().filter(|e| e["ph"] == "M") {
            let pid = event["pid"].as_u64().expect("numeric pid");
            let name = event["args"]["name"].as_str().map(str::to_string);
            match (event["name"].as_str(), name) {
                (Some("process_name"), Some(name)) => {
                    processes.insert(pid, name);
                }
                (Some("thread_name"), Some(name)) => {
                    threads.insert((pid, event["tid"].as_u64().expect("numeric tid")), name);
                }
                _ => {}
            }
        }
        Self {
            events,
            processes,
            threads,
        }
    }

    /// Complete events of category `cat`, with the name of their track.
    fn complete(&self, cat: &str) -> Vec<(&Value, &str)> {
        self.events
            .iter()
            .filter(|e| e["ph"] == "X" && e["cat"] == cat)
            .map(|e| {
                let key = (e["pid"].as_u64().unwrap(), e["tid"].as_u64().unwrap());
                let track = self.threads.get(&key).map_or("(unnamed)", String::as_str);
                (e, track)
            })
            .collect()
    }
}

fn span(event: &Value) -> (f64, f64) {
    let ts = event["ts"].as_f64().expect("ts in µs");
    let dur = event["dur"].as_f64().expect("dur in µs");
    assert!(ts >= 0.0 && dur >= 0.0, "{event}");
    (ts, ts + dur)
}

#[test]
fn a_run_trace_holds_every_task_on_its_workers_track() {
    let scratch = tempfile::tempdir().unwrap();
    let path = scratch.path().join("t.json");
    let out = parlab(&[
        "run",
        "--tasks",
        "8",
        "--task-ms",
        "2",
        "--workers",
        "4",
        "--format",
        "json",
        "--trace",
        path.to_str().unwrap(),
    ]);
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let trace = Trace::read(&path);
    assert_eq!(
        trace.processes.get(&1).map(String::as_str),
        Some("parlab run")
    );

    let tasks = trace.complete("task");
    assert_eq!(tasks.len(), 16, "8 serial and 8 parallel tasks");
    let serial: Vec<_> = tasks
        .iter()
        .filter(|(e, _)| e["args"]["side"] == "serial")
        .collect();
    let parallel: Vec<_> = tasks
        .iter()
        .filter(|(e, _)| e["args"]["side"] == "parallel")
        .collect();
    assert_eq!((serial.len(), parallel.len()), (8, 8));
    assert!(serial.iter().all(|(_, track)| *track == "serial side"));
    for (event, track) in &parallel {
        let worker = event["args"]["worker"].as_u64().unwrap();
        assert!(worker < 4, "{event}");
        assert_eq!(*track, format!("worker {worker}"));
    }
    let mut names: Vec<_> = parallel
        .iter()
        .map(|(e, _)| e["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        (0..8).map(|i| format!("task {i}")).collect::<Vec<_>>()
    );

    // On every track, tasks follow one another, and each lies inside the
    // span of the run it belongs to.
    let mut by_track: HashMap<&str, Vec<(f64, f64)>> = HashMap::new();
    for (event, track) in &tasks {
        by_track.entry(track).or_default().push(span(event));
    }
    for spans in by_track.values_mut() {
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(
            spans.windows(2).all(|w| w[0].1 <= w[1].0 + 1e-3),
            "{spans:?}"
        );
    }
    let runs = trace.complete("run");
    assert_eq!(runs.len(), 2);
    for (run, track) in &runs {
        let side = run["args"]["side"].as_str().unwrap();
        assert_eq!(*track, format!("{side} side"));
        let (start, end) = span(run);
        let inside = tasks
            .iter()
            .filter(|(e, _)| e["args"]["side"] == side)
            .all(|(e, _)| span(e).0 >= start && span(e).1 <= end + 1e-3);
        assert!(inside, "{side} tasks outside their run");
        // The run's span is the wall time the report prints, in µs.
        let wall = report[format!("{side}_s")].as_f64().unwrap() * 1e6;
        assert!((run["dur"].as_f64().unwrap() - wall).abs() < 1.0, "{run}");
    }

    let pool = trace.complete("pool");
    assert_eq!(pool.len(), 1);
    assert_eq!(pool[0].1, "parallel side");
    assert_eq!(pool[0].0["args"]["workers"], 4);
    let pool_s = report["pool_build_s"].as_f64().unwrap();
    assert!((pool[0].0["dur"].as_f64().unwrap() - pool_s * 1e6).abs() < 1.0);

    let measurement = &trace.complete("measurement")[0].0["args"];
    assert_eq!(measurement["settings"]["work"]["tasks"], 8);
    assert_eq!(measurement["settings"]["work"]["workers"], 4);
    assert_eq!(
        measurement["machine"]["logical_cpus"],
        report["machine"]["logical_cpus"]
    );
}

#[test]
fn a_sweep_trace_has_a_process_per_worker_count_and_a_serial_part() {
    let scratch = tempfile::tempdir().unwrap();
    let path = scratch.path().join("sweep.json");
    let out = parlab(&[
        "sweep",
        "--workload",
        "serial-fraction",
        "--tasks",
        "4",
        "--task-ms",
        "1",
        "--workers",
        "1,2",
        "--trace",
        path.to_str().unwrap(),
    ]);
    stdout(&out);
    let trace = Trace::read(&path);
    let mut processes: Vec<_> = trace.processes.values().cloned().collect();
    processes.sort();
    assert_eq!(processes, ["1 worker", "2 workers", "serial baseline"]);
    assert_eq!(trace.complete("task").len(), 12);
    assert_eq!(trace.complete("pool").len(), 2);
    let parts = trace.complete("serial");
    assert_eq!(parts.len(), 3, "the serial part of every run");
    assert!(parts.iter().all(|(e, _)| e["name"] == "serial part"));
}

#[test]
fn an_unwritable_trace_path_is_refused_before_measuring() {
    let scratch = tempfile::tempdir().unwrap();
    let missing = scratch.path().join("no-such-folder").join("t.json");
    for command in ["run", "sweep"] {
        let started = std::time::Instant::now();
        let out = parlab(&[command, "--trace", missing.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("error: cannot write the trace to"), "{err}");
        // The default run sleeps for seconds; a refusal takes none.
        assert!(started.elapsed().as_secs_f64() < 2.0);
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_trace_too_large_to_open_is_refused_before_measuring() {
    let out = parlab(&[
        "run",
        "--workload",
        "tiny",
        "--tasks",
        "600000",
        "--trace",
        "x.json",
    ]);
    assert_eq!(out.status.code(), Some(2), "refused as misuse");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("more than a trace viewer can open"), "{err}");
    assert!(!std::path::Path::new("x.json").exists());
}
