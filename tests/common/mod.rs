//! What the binary tests share: running the built `parlab`, one run at a
//! time within a test file, and finding the worker processes it started.

#![allow(dead_code, reason = "each test file uses its own part of these")]

use std::collections::{BTreeSet, HashMap};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

/// The runs of one test file go one at a time: a CPU-heavy run beside a
/// sleeping one would delay its wake-ups and blur the timings under test.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs the built binary with `args`, colour off, and returns what it did.
pub fn parlab(args: &[&str]) -> Output {
    let _turn = one_at_a_time();
    Command::new(env!("CARGO_BIN_EXE_parlab"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the parlab binary runs")
}

/// The standard output of a run that must have succeeded.
pub fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

/// Every live process's parent, from /proc (Linux); zombies count as gone.
#[allow(
    dead_code,
    reason = "only the pool and lab tests watch worker processes"
)]
fn parents() -> HashMap<u32, u32> {
    let mut map = HashMap::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid …; comm may hold spaces, so split after ')'.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.first() == Some(&"Z") {
            continue;
        }
        if let Some(ppid) = fields.get(1).and_then(|p| p.parse().ok()) {
            map.insert(pid, ppid);
        }
    }
    map
}

#[allow(
    dead_code,
    reason = "only the pool and lab tests watch worker processes"
)]
pub fn descendants(root: u32) -> BTreeSet<u32> {
    let map = parents();
    let mut found = BTreeSet::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for (&pid, &ppid) in &map {
            if ppid == parent && found.insert(pid) {
                frontier.push(pid);
            }
        }
    }
    found
}

#[allow(
    dead_code,
    reason = "only the pool and lab tests watch worker processes"
)]
pub fn alive(pids: &BTreeSet<u32>) -> BTreeSet<u32> {
    let map = parents();
    pids.iter()
        .copied()
        .filter(|p| map.contains_key(p))
        .collect()
}
