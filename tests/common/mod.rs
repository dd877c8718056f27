//! What the binary tests share: running the built `parlab`, one run at a
//! time within a test file.

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
#[allow(dead_code, reason = "not every test file reads standard output")]
pub fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}
