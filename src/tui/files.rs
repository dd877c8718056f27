//! The effects that write files, carried out on threads of their own with
//! the payload the app gave: a sweep's chart and table, and the session
//! report with the files of every sweep not saved yet beside it. What came
//! of each comes back to the app as a message.

use crate::app::{Msg, ReportRequest};
use crate::output::session::{self, Session};
use crate::output::sweep_files::{SweepFiles, save_sweep};
use crate::sweep::SweepResult;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::SystemTime;

/// Why a file was not written when no thread could be started for it.
pub(super) const NO_THREAD: &str = "cannot start a thread to write the file";

/// File writes in flight.
#[derive(Default)]
pub(super) struct FileWrites {
    threads: Vec<JoinHandle<()>>,
}

impl FileWrites {
    /// Runs `write` on a thread of its own and sends what it answers to the
    /// UI thread; `failed` is the answer at once if no thread can start.
    pub(super) fn spawn(
        &mut self,
        tx: &Sender<super::Msg>,
        write: impl FnOnce() -> Vec<Msg> + Send + 'static,
        failed: Msg,
    ) -> Vec<Msg> {
        self.threads.retain(|thread| !thread.is_finished());
        let tx = tx.clone();
        let spawned = std::thread::Builder::new()
            .name("parlab-files".to_string())
            .spawn(move || {
                for answer in write() {
                    let _ = tx.send(super::Msg::Lab(answer));
                }
            });
        match spawned {
            Ok(thread) => {
                self.threads.push(thread);
                Vec::new()
            }
            Err(_) => vec![failed],
        }
    }

    /// Waits for every write in flight.
    pub(super) fn join(&mut self) {
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Writes the chart and table of sweep `index` into the current folder:
/// where they went, or why they could not be written.
pub(super) fn save(index: usize, report: &SweepResult) -> Msg {
    let saved = match std::env::current_dir() {
        Ok(dir) => save_in(report, &dir),
        Err(e) => Err(format!(
            "cannot save the sweep: the current folder cannot be found ({e})"
        )),
    };
    Msg::SweepSaved { index, saved }
}

fn save_in(report: &SweepResult, dir: &Path) -> Result<SweepFiles, String> {
    save_sweep(dir, report, SystemTime::now()).map_err(|e| e.to_string())
}

/// Writes the session report into the current folder, saving every sweep
/// not saved yet beside it so the report can show each chart: one message
/// per sweep saved, then the report's.
pub(super) fn write_report(mut request: ReportRequest) -> Vec<Msg> {
    let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut answers = Vec::new();
    for (index, sweep) in request.sweeps.iter_mut().enumerate() {
        if sweep.files.is_none() {
            let saved = save_in(&sweep.report, &dir);
            sweep.files = saved.as_ref().ok().cloned();
            answers.push(Msg::SweepSaved { index, saved });
        }
    }
    let sections = request.sweep_sections();
    let session = Session {
        machine: &request.machine,
        runs: &request.runs,
        sweeps: &sections,
        predictions: &request.predictions,
    };
    let written = session::write(&dir, &session, SystemTime::now()).map_err(|e| e.to_string());
    answers.push(Msg::ReportWritten(written));
    answers
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    /// A write answers over the channel, not in place, while the caller
    /// goes on at once; joining waits for it.
    #[test]
    fn a_write_answers_from_its_own_thread() {
        let (tx, rx) = mpsc::channel();
        let mut writes = FileWrites::default();
        let started = Instant::now();
        let at_once = writes.spawn(
            &tx,
            || {
                std::thread::sleep(Duration::from_millis(300));
                vec![Msg::ReportWritten(Ok("report.md".into()))]
            },
            Msg::ReportWritten(Err(NO_THREAD.into())),
        );
        assert!(at_once.is_empty());
        assert!(started.elapsed() < Duration::from_millis(250));
        writes.join();
        match rx.try_recv() {
            Ok(super::super::Msg::Lab(Msg::ReportWritten(Ok(path)))) => {
                assert_eq!(path, PathBuf::from("report.md"));
            }
            _ => panic!("no answer after join"),
        }
    }
}
