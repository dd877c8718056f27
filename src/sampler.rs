//! The core sampler: one thread that keeps a single sysinfo `System` alive
//! and sends the usage of every logical CPU four times a second.
//!
//! sysinfo computes usage from the difference between two refreshes and
//! ignores refreshes closer than 200 ms, so the thread refreshes every
//! 250 ms and drops the first reading (it has nothing to compare with). It
//! reads `/proc/stat` and nothing else: light enough not to disturb a run.

use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::Duration;
use sysinfo::{CpuRefreshKind, RefreshKind, System};

/// Time between two samples.
pub const INTERVAL: Duration = Duration::from_millis(250);

/// Starts the sampler; each sample (percent per logical CPU, in CPU order)
/// goes through `wrap` into `tx`. The thread ends when the receiver is
/// gone, or at once if the system's CPU data cannot be read.
pub fn spawn<M, F>(tx: Sender<M>, wrap: F) -> std::io::Result<JoinHandle<()>>
where
    M: Send + 'static,
    F: Fn(Vec<f32>) -> M + Send + 'static,
{
    std::thread::Builder::new()
        .name("parlab-sampler".to_string())
        .spawn(move || {
            let kind = RefreshKind::nothing().with_cpu(CpuRefreshKind::nothing().with_usage());
            let Ok(mut system) = System::new_with_specifics(kind) else {
                return;
            };
            loop {
                std::thread::sleep(INTERVAL);
                system.refresh_cpu_usage();
                let usage = system.cpus().iter().map(sysinfo::Cpu::usage).collect();
                if tx.send(wrap(usage)).is_err() {
                    return;
                }
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn samples_cover_every_cpu_and_stop_with_the_receiver() {
        let (tx, rx) = mpsc::channel();
        let handle = spawn(tx, |usage| usage).unwrap();
        let first = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(
            first.len(),
            crate::machine::MachineInfo::detect().logical_cpus
        );
        assert!(first.iter().all(|u| (0.0..=100.0).contains(u)));
        drop(rx);
        handle.join().unwrap();
    }
}
