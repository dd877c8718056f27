//! The one background thread that measures a run or a sweep, and its
//! cancel flag.
//!
//! Runs and sweeps share this slot, so Esc and quit stop either the same
//! way and no measuring thread ever outlives the lab. A run and a sweep
//! each send their progress and their end over the lab's channel.

use super::Msg;
use crate::app::sweeps::SweepMsg;
use crate::app::{self, live_run::RunMsg};
use crate::config::Work;
use crate::experiment;
use crate::machine::MachineInfo;
use crate::measure::Rounds;
use crate::sweep::SweepPlan;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

/// The thread of the current run and its cancel flag, for the machine the
/// lab was opened on.
pub(super) struct RunThread {
    machine: MachineInfo,
    current: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl RunThread {
    /// No thread yet; runs and sweeps will measure on `machine`.
    pub(super) fn new(machine: MachineInfo) -> Self {
        Self {
            machine,
            current: None,
        }
    }

    /// Starts measuring `spec` at once; events and the report go to `tx`.
    /// Whether the machine was busy before is the app's to say, from the
    /// sampler's readings (`busy` is its warning), so nothing here delays
    /// the run.
    pub(super) fn start(
        &mut self,
        spec: Work,
        rounds: Rounds,
        busy: Option<crate::busy::Busy>,
        tx: Sender<Msg>,
    ) -> std::io::Result<()> {
        let machine = self.machine.clone();
        self.launch("parlab-run", move |flag| {
            let result = experiment::run(&spec, rounds, &machine, busy, flag, &mut |event| {
                let _ = tx.send(Msg::Lab(app::Msg::Run(RunMsg::Event(event))));
            });
            let done = result
                .map(|r| r.map(Box::new))
                .map_err(|e| format!("{e:#}"));
            let _ = tx.send(Msg::Lab(app::Msg::Run(RunMsg::Done(done))));
        })
    }

    /// Starts measuring `plan`; progress and the report go to `tx`.
    pub(super) fn start_sweep(
        &mut self,
        plan: SweepPlan,
        busy: Option<crate::busy::Busy>,
        tx: Sender<Msg>,
    ) -> std::io::Result<()> {
        let machine = self.machine.clone();
        self.launch("parlab-sweep", move |flag| {
            let result = experiment::sweep(&plan, &machine, busy, flag, &mut |event| {
                let _ = tx.send(Msg::Lab(app::Msg::Sweep(SweepMsg::Event(event))));
            });
            let done = result
                .map(|r| r.map(Box::new))
                .map_err(|e| format!("{e:#}"));
            let _ = tx.send(Msg::Lab(app::Msg::Sweep(SweepMsg::Done(done))));
        })
    }

    /// Starts the quick check within `budget`; its stages and result go
    /// to `tx`.
    pub(super) fn start_check(
        &mut self,
        budget: std::time::Duration,
        busy: Option<crate::busy::Busy>,
        tx: Sender<Msg>,
    ) -> std::io::Result<()> {
        use crate::app::check::CheckMsg;
        let machine = self.machine.clone();
        self.launch("parlab-check", move |flag| {
            let plan = crate::check::CheckPlan::new(&machine, budget);
            let send = |msg| {
                let _ = tx.send(Msg::Lab(app::Msg::Check(msg)));
            };
            let result = crate::check::run_check(&plan, &machine, busy, flag, &mut |stage| {
                send(CheckMsg::Stage(stage));
            });
            send(CheckMsg::Done(
                result
                    .map(|r| r.map(Box::new))
                    .map_err(|e| format!("{e:#}")),
            ));
        })
    }

    /// Starts `work` on a thread called `name` with a fresh cancel flag,
    /// which [`RunThread::cancel`] then sets.
    fn launch(
        &mut self,
        name: &str,
        work: impl FnOnce(&AtomicBool) + Send + 'static,
    ) -> std::io::Result<()> {
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancel);
        let handle = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || work(&flag))?;
        self.current = Some((cancel, handle));
        Ok(())
    }

    /// Asks the run to stop; its tasks see the flag within one slice.
    pub(super) fn cancel(&self) {
        if let Some((cancel, _)) = &self.current {
            cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Waits for the run thread to end (it has sent its last message).
    pub(super) fn join(&mut self) {
        if let Some((_, handle)) = self.current.take() {
            let _ = handle.join();
        }
    }

    /// Cancels and waits: on quit, no run thread outlives the lab.
    pub(super) fn stop(&mut self) {
        self.cancel();
        self.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::busy::SAMPLE_WINDOW;
    use crate::workload::WorkloadKind;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    /// The first `r` measures at once: the serial side starts well within
    /// the quarter second a busy check of its own would have slept first.
    #[test]
    fn a_run_starts_measuring_without_a_wait() {
        let spec = Work {
            workload: WorkloadKind::Sleep,
            tasks: 2,
            task_ms: 1.0,
            workers: 2,
            ..Work::SEED_DEMO
        };
        let (tx, rx) = mpsc::channel();
        let mut runs = RunThread::new(MachineInfo::synthetic(2, 2));
        let asked = Instant::now();
        runs.start(spec, Rounds::ONCE, None, tx).unwrap();
        let first = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        let waited = asked.elapsed();
        assert!(
            matches!(first, Msg::Lab(app::Msg::Run(RunMsg::Event(_)))),
            "the first message is the run's own progress"
        );
        assert!(waited < SAMPLE_WINDOW, "{waited:?} before the first task");
        runs.stop();
    }

    /// The lab's busy check reaches the report as `parlab run`'s does: a
    /// run started under the sampler's busy warning is judged busy, with
    /// the warning first and no cause named "since the machine was quiet".
    #[test]
    fn a_run_started_on_a_busy_machine_is_judged_busy() {
        let spec = Work {
            workload: WorkloadKind::Cpu,
            tasks: 4,
            task_ms: 2.0,
            workers: 2,
            ..Work::SEED_DEMO
        };
        let warning = "the machine was already 95.0 % busy before the run".to_string();
        let busy = crate::busy::Busy {
            usage: 0.95,
            warning: warning.clone(),
        };
        let (tx, rx) = mpsc::channel();
        let mut runs = RunThread::new(MachineInfo::synthetic(2, 2));
        runs.start(spec, Rounds::ONCE, Some(busy), tx).unwrap();
        let report = loop {
            match rx.recv_timeout(Duration::from_secs(30)).unwrap() {
                Msg::Lab(app::Msg::Run(RunMsg::Done(done))) => break done.unwrap().unwrap(),
                _ => continue,
            }
        };
        runs.stop();
        assert!(report.busy);
        assert_eq!(report.warnings.first(), Some(&warning));
        let findings = &report.findings;
        let ids: Vec<_> = findings.iter().map(|f| f.id).collect();
        assert!(ids.contains(&crate::finding::FindingId::Busy), "{ids:?}");
        assert!(
            findings.iter().all(|f| !f.text.contains("quiet")),
            "{findings:?}"
        );
    }
}
