//! The pools end to end: parlab's own worker processes and CPython's pools
//! run the same work with the same checksums, report their start-up and
//! interpreter, and never leave a worker process behind, whether the run
//! finishes, is interrupted or its parent is killed.
//!
//! Worker processes are found through /proc (every descendant of the
//! parlab under test, collected while it runs), so these tests need Linux.
//! The Python tests need `python3` (`.ci/run` installs it).

mod common;

use common::{parlab, stdout};
use serde_json::Value;
use std::collections::BTreeSet;

fn run_json(args: &[&str]) -> Value {
    let mut all = vec!["run", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&stdout(&parlab(&all))).expect("JSON output")
}

/// The one error line of a failed run (a busy-machine warning may come
/// before it on a loaded machine).
fn error_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let errors: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("warning:"))
        .collect();
    assert_eq!(errors.len(), 1, "{text}");
    errors[0].to_string()
}

#[test]
fn parlab_processes_do_the_same_work_and_report_start_up_and_transfer() {
    let v = run_json(&[
        "--pool",
        "processes",
        "--workload",
        "cpu",
        "--tasks",
        "12",
        "--workers",
        "3",
        "--task-ms",
        "2",
        "--payload-kb",
        "64",
    ]);
    assert_eq!(v["work"]["pool"], "processes");
    assert_eq!(v["results_match"], true);
    assert_eq!(v["work"]["payload_kb"], 64);
    assert!(v["pool_build_s"].as_f64().unwrap() > 0.0);
    assert!(v["transfer_per_task_s"].as_f64().unwrap() > 0.0);
    assert!(v.get("python").is_none());
}

#[test]
fn threads_share_the_payload_and_the_checksum_follows_it() {
    let sum = |kb: &str| {
        let v = run_json(&["--tasks", "4", "--task-ms", "1", "--payload-kb", kb]);
        assert_eq!(v["results_match"], true);
        assert_eq!(v["transfer_per_task_s"], Value::Null);
        v["work"]["pool"].as_str().unwrap().to_string()
    };
    assert_eq!(sum("0"), "threads");
    assert_eq!(sum("8"), "threads");
    let err = parlab(&["run", "--payload-kb", "99999"]);
    assert!(!err.status.success());
    assert!(String::from_utf8_lossy(&err.stderr).contains("0 to 16384"));
}

#[test]
fn memory_work_is_refused_on_process_pools_with_one_line() {
    let out = parlab(&["run", "--pool", "processes", "--workload", "memory"]);
    assert!(!out.status.success());
    let err = error_line(&out.stderr);
    assert!(err.contains("--pool threads"), "{err}");
}

#[test]
fn the_python_pools_run_the_work_in_cpython_and_say_which() {
    for pool in ["python-processes", "python-threads"] {
        let v = run_json(&[
            "--pool",
            pool,
            "--workload",
            "cpu",
            "--tasks",
            "4",
            "--workers",
            "2",
            "--task-ms",
            "3",
            "--payload-kb",
            "4",
        ]);
        assert_eq!(v["work"]["pool"], pool);
        assert_eq!(v["results_match"], true, "{pool}");
        assert!(v["python"]["version"].as_str().unwrap().starts_with('3'));
        assert!(v["python"]["gil"].is_boolean());
        assert!(v["pool_build_s"].as_f64().unwrap() > 0.0);
        assert!(v["parallel"]["cpu_s"].as_f64().unwrap() > 0.0, "{pool}");
        let transfer = v["transfer_per_task_s"].as_f64();
        if pool == "python-processes" {
            // Pickling each task and its result, measured after the run.
            let each = transfer.unwrap();
            let all = v["transfer_total_s"].as_f64().unwrap();
            assert!(each > 0.0 && (all - 4.0 * each).abs() < 1e-6, "{v}");
        } else {
            assert_eq!(transfer, None, "threads share memory: {v}");
        }
    }
}

/// CPython's process pool pickles every task's input and result: a
/// megabyte each way costs more to pickle than a bare task number.
#[test]
fn python_processes_report_pickling_that_grows_with_the_payload() {
    let pickling = |kb: &str| {
        let v = run_json(&[
            "--pool",
            "python-processes",
            "--tasks",
            "4",
            "--workers",
            "2",
            "--task-ms",
            "1",
            "--payload-kb",
            kb,
        ]);
        assert_eq!(v["results_match"], true, "{v}");
        v["transfer_per_task_s"].as_f64().unwrap()
    };
    let (bare, megabyte) = (pickling("0"), pickling("1024"));
    assert!(
        megabyte > 3.0 * bare,
        "{bare} s bare, {megabyte} s with 1 MB"
    );
}

#[test]
fn python_sleeps_overlap_on_both_python_pools() {
    for pool in ["python-processes", "python-threads"] {
        let v = run_json(&[
            "--pool",
            pool,
            "--tasks",
            "8",
            "--workers",
            "4",
            "--task-ms",
            "40",
            "--repeat",
            "2",
        ]);
        let serial = v["serial_s"].as_f64().unwrap();
        assert!((0.30..0.6).contains(&serial), "{pool} serial {serial}");
        // Sleeps overlap even under the GIL: well above 2× of the ideal 4×.
        assert!(v["speedup"].as_f64().unwrap() > 2.0, "{pool}: {v}");
    }
}

#[test]
fn a_missing_interpreter_is_one_line_and_the_other_pools_still_run() {
    let out = parlab(&[
        "run",
        "--pool",
        "python-threads",
        "--python",
        "/no/such/python3",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a named path that is not there is misuse"
    );
    let err = error_line(&out.stderr);
    assert!(err.contains("/no/such/python3 was not found"), "{err}");
    let folder = std::env::temp_dir();
    let out = parlab(&[
        "run",
        "--pool",
        "python-threads",
        "--python",
        folder.to_str().unwrap_or("/tmp"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = error_line(&out.stderr);
    assert!(
        err.contains("is a folder, not a Python interpreter"),
        "{err}"
    );
    let all = stdout(&parlab(&[
        "run",
        "--pool",
        "all",
        "--python",
        "/no/such/python3",
        "--tasks",
        "4",
        "--task-ms",
        "5",
        "--workers",
        "2",
    ]));
    assert!(
        all.contains("threads") && all.contains("processes"),
        "{all}"
    );
    assert_eq!(all.matches("skipped     python-").count(), 2, "{all}");
    let lessons = parlab(&["lessons", "--python", "/usr/bin/python3"]);
    assert!(!lessons.status.success());
    let err = String::from_utf8_lossy(&lessons.stderr);
    assert!(
        err.contains("--python does nothing for `parlab lessons`"),
        "{err}"
    );
}

#[test]
fn pool_all_puts_every_pool_in_one_table() {
    let table = stdout(&parlab(&[
        "run",
        "--pool",
        "all",
        "--tasks",
        "4",
        "--task-ms",
        "5",
        "--workers",
        "2",
    ]));
    let header = table
        .lines()
        .find(|l| l.starts_with("pool"))
        .expect("a header");
    for column in [
        "start-up",
        "serial",
        "parallel",
        "speedup",
        "CPU (par)",
        "transfer/task",
    ] {
        assert!(header.contains(column), "{header}");
    }
    for pool in ["threads", "processes", "python-processes", "python-threads"] {
        assert!(
            table.lines().any(|l| l.starts_with(&format!("{pool} "))),
            "{pool} missing:\n{table}"
        );
    }
    assert!(table.contains("python      CPython"), "{table}");
    let err = parlab(&["sweep", "--pool", "all"]);
    assert!(String::from_utf8_lossy(&err.stderr).contains("one pool at a time"));
}

#[test]
fn the_python_pools_take_the_dynamic_chunk_as_pool_map_chunksize() {
    let args = [
        "--pool",
        "python-threads",
        "--workload",
        "cpu",
        "--tasks",
        "8",
        "--workers",
        "2",
        "--task-ms",
        "1",
        "--schedule",
        "dynamic",
        "--chunk",
        "4",
    ];
    let v = run_json(&args);
    assert_eq!(
        (v["work"]["schedule"].as_str(), v["work"]["chunk"].as_u64()),
        (Some("dynamic"), Some(4))
    );
    assert_eq!(v["results_match"], true);
    let table = parlab(&[&["run"][..], &args].concat());
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("python-threads, Pool.map chunksize 4"),
        "{text}"
    );
    let refused = parlab(&["run", "--pool", "python-processes", "--schedule", "static"]);
    assert!(!refused.status.success());
    let err = error_line(&refused.stderr);
    assert!(
        err.contains("the Python pools take dynamic (--chunk becomes Pool.map's chunksize)"),
        "{err}"
    );
}

/// No worker outlives parlab. The process tree is read from /proc.
#[cfg(target_os = "linux")]
mod no_orphans {
    use super::common::{alive, descendants};
    use std::collections::BTreeSet;
    use std::process::{Child, Command, Stdio};
    use std::thread::sleep;
    use std::time::{Duration, Instant};

    /// parlab started in the background, its descendants watched.
    struct Watched {
        child: Child,
        seen: BTreeSet<u32>,
    }

    impl Watched {
        fn start(args: &[&str]) -> Self {
            let child = Command::new(env!("CARGO_BIN_EXE_parlab"))
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("parlab starts");
            Self {
                child,
                seen: BTreeSet::new(),
            }
        }

        /// Collects descendants until at least `count` are seen at once.
        fn wait_for_workers(&mut self, count: usize) {
            let started = Instant::now();
            loop {
                let now = descendants(self.child.id());
                self.seen.extend(&now);
                if now.len() >= count {
                    return;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(20),
                    "only {} worker processes appeared",
                    now.len()
                );
                sleep(Duration::from_millis(10));
            }
        }

        fn signal(&self, signal: &str) {
            let status = Command::new("kill")
                .args([signal, &self.child.id().to_string()])
                .status()
                .expect("kill runs");
            assert!(status.success());
        }

        /// Waits for parlab to end, then for every worker it had to be gone.
        fn expect_no_workers_left(mut self, within: Duration) {
            let started = Instant::now();
            while self.child.try_wait().expect("wait").is_none() {
                self.seen.extend(descendants(self.child.id()));
                assert!(started.elapsed() < Duration::from_secs(60), "parlab hung");
                sleep(Duration::from_millis(10));
            }
            assert!(!self.seen.is_empty(), "no worker process was ever seen");
            let ended = Instant::now();
            loop {
                let left = alive(&self.seen);
                if left.is_empty() {
                    return;
                }
                let named: Vec<String> = left
                    .iter()
                    .map(|pid| {
                        let line =
                            std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
                            .unwrap_or_default();
                        let state: Vec<&str> = status
                            .lines()
                            .filter(|l| {
                                l.starts_with("State")
                                    || l.starts_with("PPid")
                                    || l.starts_with("Threads")
                                    || l.starts_with("NSpgid")
                                    || l.starts_with("NSsid")
                            })
                            .collect();
                        format!(
                            "{pid} {} {state:?}",
                            String::from_utf8_lossy(&line).replace('\0', " ")
                        )
                    })
                    .collect();
                assert!(
                    ended.elapsed() < within,
                    "worker processes {named:?} outlived parlab"
                );
                sleep(Duration::from_millis(20));
            }
        }
    }

    #[test]
    fn no_worker_is_left_after_a_finished_run() {
        for pool in ["processes", "python-processes"] {
            let mut run =
                Watched::start(&["run", "--pool", pool, "--tasks", "8", "--task-ms", "150"]);
            run.wait_for_workers(8);
            run.expect_no_workers_left(Duration::from_secs(2));
        }
    }

    #[test]
    fn python_workers_end_when_their_driver_is_killed() {
        for method in ["fork", "spawn"] {
            let mut run = Watched::start(&[
                "run",
                "--pool",
                "python-processes",
                "--start-method",
                method,
                "--workers",
                "2",
                "--tasks",
                "1",
                "--task-ms",
                "2000",
            ]);
            run.wait_for_workers(3);
            sleep(Duration::from_millis(100));
            let parlab = run.child.id().to_string();
            let driver = descendants(run.child.id())
                .into_iter()
                .find(|pid| {
                    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                        stat.rsplit_once(')')
                            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                            == Some(parlab.as_str())
                    })
                })
                .expect("the driver is parlab's child");
            let killed = Command::new("kill")
                .args(["-KILL", &driver.to_string()])
                .status()
                .unwrap();
            assert!(killed.success());
            // The workers noticed their parent had gone, well before the
            // 1.9 s left of the task.
            run.expect_no_workers_left(Duration::from_secs(1));
        }
    }

    #[test]
    fn no_worker_is_left_after_ctrl_c_or_sigkill_of_parlab() {
        // One 2 s task: the serial side takes 2 s, then the workers start and
        // one of them is inside its task when parlab is signalled. The Python
        // pools count the driver too.
        // Spawned workers come with CPython's resource tracker.
        let pools: [(&[&str], usize); 3] = [
            (&["processes"], 2),
            (&["python-processes"], 3),
            (&["python-processes", "--start-method", "spawn"], 4),
        ];
        for (pool, processes) in pools {
            for signal in ["-INT", "-KILL"] {
                let mut args = vec!["run", "--workers", "2", "--tasks", "1"];
                args.extend(["--task-ms", "2000", "--pool"]);
                args.extend(pool);
                let mut run = Watched::start(&args);
                run.wait_for_workers(processes);
                sleep(Duration::from_millis(100));
                run.signal(signal);
                // Well under the 1.9 s left of the task: the workers did not
                // just finish it, they noticed their parent had gone.
                run.expect_no_workers_left(Duration::from_secs(1));
            }
        }
    }
}

/// A worker killed in the middle of the parallel side ends the run at once
/// with one line and status 1, on every pool made of processes.
#[cfg(target_os = "linux")]
mod dead_workers {
    use std::process::{Command, Stdio};
    use std::thread::sleep;
    use std::time::{Duration, Instant};

    /// The children of `pid` (pgrep -P).
    fn children(pid: u32) -> Vec<u32> {
        let out = Command::new("pgrep")
            .args(["-P", &pid.to_string()])
            .output()
            .expect("pgrep runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }

    #[test]
    fn a_killed_worker_ends_the_run_with_one_line_and_status_1() {
        // 4 s of serial side, then 1 s of tasks on 4 workers: the kill
        // lands inside the parallel side. parlab's workers are its
        // children; CPython's are the children of the driver.
        for pool in ["processes", "python-processes"] {
            let mut run = Command::new(env!("CARGO_BIN_EXE_parlab"))
                .args(["run", "--pool", pool, "--tasks", "40", "--task-ms", "100"])
                .args(["--workers", "4"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("parlab starts");
            let started = Instant::now();
            let workers = loop {
                let mut workers = children(run.id());
                if pool.starts_with("python") {
                    // Forked from the driver, they carry its command line
                    // (a pyenv shim's own helpers do not).
                    let forked = |p: &u32| {
                        std::fs::read(format!("/proc/{p}/cmdline")).is_ok_and(|c| {
                            String::from_utf8_lossy(&c).contains("parlab_pool_driver")
                        })
                    };
                    workers = workers
                        .into_iter()
                        .flat_map(children)
                        .filter(forked)
                        .collect();
                }
                if workers.len() >= 4 {
                    break workers;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "{pool}: no workers"
                );
                sleep(Duration::from_millis(10));
            };
            sleep(Duration::from_millis(150));
            let killed = Command::new("kill")
                .args(["-KILL", &workers[0].to_string()])
                .status()
                .expect("kill runs");
            assert!(killed.success());
            let killed_at = Instant::now();
            while run.try_wait().expect("wait").is_none() {
                if killed_at.elapsed() > Duration::from_secs(20) {
                    let _ = run.kill();
                    panic!("{pool}: the run hung after a worker died");
                }
                sleep(Duration::from_millis(20));
            }
            let out = run.wait_with_output().expect("output");
            let err = String::from_utf8_lossy(&out.stderr);
            let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
            assert_eq!(out.status.code(), Some(1), "{pool}: {err}");
            assert_eq!(errors.len(), 1, "{pool}: {err}");
            assert!(
                errors[0].contains(&format!("worker process {}", workers[0]))
                    && errors[0].contains("died in the middle"),
                "{pool}: {err}"
            );
        }
    }
}

/// Without --python, parlab takes the first Python that runs, as users
/// have it: a `python3` that is no Python (like the app-store stub of
/// Windows) is passed over for `python`; with none at all, the error names
/// every name tried.
#[cfg(unix)]
#[test]
fn python_is_found_under_the_names_users_have_it() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;
    let which = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .unwrap();
    let real = String::from_utf8(which.stdout).unwrap().trim().to_string();
    assert!(!real.is_empty(), "python3 is needed");
    let scratch = tempfile::tempdir().unwrap();
    let stub = scratch.path().join("python3");
    std::fs::write(&stub, "#!/bin/sh\nexit 9009\n").unwrap();
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = |path: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_parlab"))
            .args(["run", "--pool", "python-threads", "--tasks", "2"])
            .args(["--task-ms", "1", "--format", "json"])
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let empty = tempfile::tempdir().unwrap();
    let err = error_line(&run(empty.path()).stderr);
    assert!(
        err.contains("none of python3, python, py -3 was found"),
        "{err}"
    );
    std::os::unix::fs::symlink(&real, scratch.path().join("python")).unwrap();
    let v: Value = serde_json::from_str(&stdout(&run(scratch.path()))).unwrap();
    assert_eq!(v["python"]["implementation"], "CPython", "{v}");
}

/// Under spawn and forkserver a worker inherits no stdout: every task
/// still reaches the lanes and the trace, through the pipe those start
/// methods hand over, and the JSON names the start method used.
#[test]
fn spawned_and_forkserver_workers_report_every_task() {
    for method in ["spawn", "forkserver"] {
        let scratch = tempfile::tempdir().unwrap();
        let trace = scratch.path().join("t.json");
        let v = run_json(&[
            "--pool",
            "python-processes",
            "--start-method",
            method,
            "--tasks",
            "8",
            "--task-ms",
            "20",
            "--workers",
            "4",
            "--trace",
            trace.to_str().unwrap(),
        ]);
        assert_eq!(v["python"]["start_method"], method, "{v}");
        assert_eq!(v["work"]["start_method"], method, "{v}");
        let events: Value =
            serde_json::from_str(&std::fs::read_to_string(&trace).unwrap()).unwrap();
        let events = events["traceEvents"]
            .as_array()
            .or(events.as_array())
            .unwrap()
            .clone();
        let parallel: BTreeSet<String> = events
            .iter()
            .filter(|e| e["ph"] == "X" && e["cat"] == "task" && e["args"]["side"] == "parallel")
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(parallel.len(), 8, "{method}: {parallel:?}");
    }
    let refused = parlab(&["run", "--start-method", "spawn"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        error_line(&refused.stderr).contains("only applies to --pool python-processes"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

/// A process pinned to one CPU (`taskset`, a container's cpuset) reports
/// its affinity, quota and usable CPUs apart, and the size CPython's
/// `Pool()` would pick, with a warning where that differs.
#[cfg(target_os = "linux")]
#[test]
fn info_reports_affinity_quota_and_pythons_pool_size_apart() {
    use std::process::Command;
    let out = Command::new("taskset")
        .args([
            "-c",
            "0",
            env!("CARGO_BIN_EXE_parlab"),
            "info",
            "--format",
            "json",
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("taskset runs");
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["affinity_cpus"], 1, "{v}");
    assert_eq!(v["usable_cpus"], 1, "{v}");
    assert!(v.get("quota_cpus").is_some(), "{v}");
    let python = v["python_default_workers"]
        .as_u64()
        .expect("python3 answers");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        python != 1,
        err.contains("CPython's Pool() starts"),
        "{python}: {err}"
    );
}
