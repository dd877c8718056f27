//! Lessons in the live lab: the list (`L`), starting one, stepping through
//! it (`n`, `N`), each step's settings loaded into the lab, and after the
//! step's run the "what happened" paragraph filled from the measurement.
//!
//! A sweep step runs on the engine of `parlab sweep` and the lab's sweep
//! view: one serial baseline, a fresh pool for each worker count (1, 2,
//! 4, … up to the step's workers), the same fit. Its findings and figures
//! fill the step's text, so the lab, the lesson and the command line agree.

use crate::app::live_run::LiveRun;
use crate::config::Work;
use crate::lesson::Settings;
use crate::machine::MachineInfo;
use crate::predict;

/// The lesson being followed and what its steps gave so far.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonProgress {
    /// Index of the lesson in the session's lesson set.
    pub index: usize,
    /// The step on screen, 0-based.
    pub step: usize,
    /// What each step's latest run gave, once it ran in full.
    pub results: Vec<Option<StepResult>>,
    /// A sweep step's sweep while it goes: its worker counts.
    pub sweep: Option<SweepRuns>,
    /// Whether the run going uses the step's own settings.
    pub(super) as_written: bool,
}

/// What a step's run gave.
#[derive(Clone, Debug, PartialEq)]
pub struct StepResult {
    /// The "what happened" paragraph, filled from the measured run.
    pub happened: String,
    /// The guess made before the run, judged; `None` if none was typed.
    pub guess: Option<predict::JudgedGuess>,
    /// Whether the run used settings of the learner's own instead of the
    /// step's: the paragraph was written for the step's settings.
    pub own_settings: bool,
    /// For a sweep step: the measured `(workers, speedup)` points.
    pub points: Vec<(usize, f64)>,
    /// The run's lanes, shown again whenever the learner comes back to the
    /// step, so a step's text never sits above another step's lanes.
    pub run: Option<KeptRun>,
}

/// A finished run kept with its step.
#[derive(Clone)]
pub struct KeptRun(pub LiveRun);

impl std::fmt::Debug for KeptRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeptRun({:?})", self.0.spec)
    }
}

impl PartialEq for KeptRun {
    /// The same run: the same settings and the same parallel board.
    fn eq(&self, other: &Self) -> bool {
        let board = |run: &LiveRun| run.parallel.as_ref().map(|side| side.board.clone());
        self.0.spec == other.0.spec
            && match (board(&self.0), board(&other.0)) {
                (Some(a), Some(b)) => std::sync::Arc::ptr_eq(&a, &b),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

/// A sweep step's sweep while it is measured.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRuns {
    /// Worker counts measured, in order.
    pub counts: Vec<usize>,
}

/// Whether `spec` is what `settings` load on `machine`: every work
/// setting, a sweep step's worker count aside (the sweep visits several).
pub(super) fn settings_match(settings: &Settings, spec: &Work, machine: &MachineInfo) -> bool {
    let written = match settings.sweep {
        true => settings.spec_on(spec.workers),
        false => settings.spec(machine),
    };
    *spec == written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::Pool;
    use crate::schedule::Schedule;
    use crate::workload::WorkloadKind;

    #[test]
    fn every_work_setting_decides_whether_a_run_is_the_step_s_own() {
        let machine = MachineInfo::synthetic(2, 4);
        let step = Settings {
            work: Work {
                workload: WorkloadKind::Cpu,
                tasks: 8,
                task_ms: 10.0,
                ..Work::SEED_DEMO
            },
            workers: crate::lesson::WorkerCount::PerCpu(1),
            sweep: false,
            repeat: 3,
        };
        let written = step.spec(&machine);
        assert_eq!(written.workers, 4);
        assert!(settings_match(&step, &written, &machine));
        for changed in [
            Work {
                pool: Pool::Processes,
                ..written
            },
            Work {
                schedule: Schedule::Static,
                ..written
            },
            Work {
                payload_kb: 64,
                ..written
            },
            Work {
                workers: 2,
                ..written
            },
        ] {
            assert!(!settings_match(&step, &changed, &machine), "{changed:?}");
        }
        let sweep = Settings {
            sweep: true,
            ..step
        };
        let fewer = Work {
            workers: 2,
            ..written
        };
        assert!(settings_match(&sweep, &fewer, &machine), "a sweep's top");
        let other_pool = Work {
            pool: Pool::Processes,
            ..fewer
        };
        assert!(!settings_match(&sweep, &other_pool, &machine));
    }
}
