//! The scaling sweep: one workload measured serially once, then on a fresh
//! pool at each worker count, so speedup can be read as a curve over the
//! workers and compared with the ideal and with Amdahl's law (strong
//! scaling). A weak sweep grows the problem with the workers instead: each
//! row measures its own serial run of the scaled problem, and the finding
//! is where the parallel time stops being flat ([`WeakFit`]).
//!
//! [`measure_sweep`] is what both the headless `parlab sweep` and the TUI's
//! sweep view call: it reports every run and every finished row through a
//! callback, so a UI can draw rows as they arrive, and it stops when the
//! cancel flag is set. Everything after the measurement ([`SweepRow::new`],
//! [`analyse`], [`SweepChart::new`]) is pure and can be fed fixed rows.

mod analysis;
mod chart;
mod weak;
mod workers;

pub use analysis::{KNEE_GAIN, ScalingModel, SweepFit, analyse, knee_workers};
pub use chart::{ChartQuantity, CoreMarker, SweepChart};
pub use weak::{FLAT_TOLERANCE, Scaling, WeakFit, base_time, weak_efficiency};
pub use workers::{
    MAX_SWEEP_POINTS, WorkerCounts, WorkerListError, default_worker_counts, parse_worker_list,
};

use crate::accounting::{TimeAccounting, account};
use crate::busy::Busy;
use crate::config::{SpecError, Work};
use crate::finding::{Finding, noise_margin};
use crate::machine::MachineInfo;
use crate::measure::{Rounds, SideResult, measure_side, parallel_estimate};
use crate::pool::Engine;
use crate::runner::{RunEvent, Side};
use crate::stats::{Ideal, Summary, efficiency, karp_flatt, speedup};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use thiserror::Error;

/// What to sweep: one workload at several worker counts.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPlan {
    /// The work of every row; its worker count is the largest of the
    /// sweep, and its tasks those of every run (strong) or per worker (weak).
    pub work: Work,
    /// Whether the problem stays fixed or grows with the workers.
    pub scaling: Scaling,
    /// The worker counts to visit, in order.
    pub workers: WorkerCounts,
    /// Warm-ups and timed runs, for the serial baseline and for every row.
    pub rounds: Rounds,
}

/// A sweep plan that cannot run, with the setting to fix.
#[derive(Debug, Error, PartialEq)]
pub enum PlanError {
    /// Tasks, task duration or a worker count out of range.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The worker list is empty or too long.
    #[error(transparent)]
    Workers(#[from] WorkerListError),
    /// A weak sweep whose largest row would hold more tasks than a run
    /// may: the message names what the user typed and what it grew to.
    #[error(
        "weak scaling gives {workers} workers {workers} × {tasks} = {total} tasks, over the limit of {max}: use fewer --tasks or smaller worker counts",
        max = crate::config::MAX_TASKS
    )]
    WeakTooManyTasks {
        /// Tasks per worker, as given.
        tasks: usize,
        /// The worker count of the largest row.
        workers: usize,
        /// The tasks that row would run.
        total: usize,
    },
}

impl SweepPlan {
    /// The plan that runs `work` at each of `workers`; the work's own
    /// worker count becomes the largest of them.
    pub fn new(work: Work, workers: WorkerCounts, scaling: Scaling, rounds: Rounds) -> Self {
        let largest = workers.0.iter().copied().max().unwrap_or(work.workers);
        Self {
            work: Work {
                workers: largest,
                ..work
            },
            scaling,
            workers,
            rounds,
        }
    }

    /// The single run at `workers`: the same work as every other row
    /// (strong), or `workers` times the tasks (weak).
    pub fn spec(&self, workers: usize) -> Work {
        Work {
            tasks: self.scaling.tasks_at(self.work.tasks, workers),
            workers,
            ..self.work
        }
    }

    /// How many sides the sweep measures: the serial baseline, each row's
    /// parallel side and, in a weak sweep, each scaled row's own serial run.
    pub fn measurements(&self) -> usize {
        1 + self.workers.0.len() + self.scaled_rows().count()
    }

    /// The worker counts whose problem differs from the baseline's (a weak
    /// sweep's rows above one worker): each gets its own serial run.
    fn scaled_rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.workers
            .0
            .iter()
            .copied()
            .filter(|&w| self.scaling.tasks_at(self.work.tasks, w) != self.work.tasks)
    }

    /// How long the whole sweep should take on a machine with `cpus`
    /// logical CPUs: the serial baseline and every row (with its own serial
    /// run when weak), each with all its warm-ups and timed runs, from the
    /// nominal task time.
    pub fn estimate(&self, cpus: usize) -> Duration {
        let spec = self.spec(1);
        let rows: f64 = self
            .workers
            .0
            .iter()
            .map(|&w| parallel_estimate(&self.spec(w), w, cpus).as_secs_f64())
            .sum();
        let scaled: f64 = self
            .scaled_rows()
            .map(|w| self.spec(w).serial_estimate().as_secs_f64())
            .sum();
        let once = spec.serial_estimate().as_secs_f64() + rows + scaled;
        crate::measure::seconds(once * self.rounds.total() as f64)
    }

    /// Checks every limit a run has, plus the worker list's own (the TUI
    /// builds plans without the parser, so the list is checked again here).
    pub fn validate(&self) -> Result<(), PlanError> {
        let counts = &self.workers.0;
        if counts.is_empty() {
            return Err(WorkerListError::Empty.into());
        }
        if counts.len() > MAX_SWEEP_POINTS {
            return Err(WorkerListError::TooMany(counts.len()).into());
        }
        if let Some(&workers) = counts.iter().max() {
            let total = self.work.tasks.saturating_mul(workers);
            if self.scaling == Scaling::Weak && total > crate::config::MAX_TASKS {
                return Err(PlanError::WeakTooManyTasks {
                    tasks: self.work.tasks,
                    workers,
                    total,
                });
            }
        }
        for &workers in counts {
            self.spec(workers).validate()?;
        }
        Ok(())
    }
}

/// Which measurement of the sweep is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepStage {
    /// The serial baseline, measured once for all rows (in a weak sweep:
    /// one worker's share).
    Serial,
    /// A weak sweep's serial run of the problem scaled for row `row`.
    ScaledSerial {
        /// The worker count the problem is scaled for.
        workers: usize,
        /// Index of this row.
        row: usize,
        /// Number of rows in the sweep.
        rows: usize,
    },
    /// The parallel runs of row `row` (0-based) of `rows`, on `workers`.
    Parallel {
        /// Worker threads in this row's pool.
        workers: usize,
        /// Index of this row.
        row: usize,
        /// Number of rows in the sweep.
        rows: usize,
    },
}

/// Progress of a sweep, in the order it happens.
#[derive(Clone)]
pub enum SweepEvent {
    /// A run started or finished; `Started` carries the task board, so a
    /// UI can draw the worker lanes of the run in progress.
    Run {
        /// Which measurement the run belongs to.
        stage: SweepStage,
        /// The run's own event.
        event: RunEvent,
    },
    /// The serial baseline is measured; rows follow.
    Baseline(Summary),
    /// One worker count is measured: a finished row.
    Row(Box<SweepRow>),
}

/// One worker count's measurement next to the serial baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    /// Worker threads in the pool.
    pub workers: usize,
    /// Tasks of this row's problem (grows with the workers when weak).
    pub tasks: usize,
    /// Median of the serial run this row is compared with: the baseline
    /// (strong) or the row's own run of the scaled problem (weak).
    pub serial: Duration,
    /// Wall times of the parallel runs (median, min, max).
    pub parallel: Summary,
    /// Median CPU time of the parallel runs.
    pub cpu: Duration,
    /// The model's parallel time from the serial per-task times.
    pub ideal: Ideal,
    /// Serial median over the ideal: the best speedup the model allows.
    pub ideal_speedup: f64,
    /// Serial median over parallel median; in a weak sweep the scaled
    /// (Gustafson) speedup of the row's own problem.
    pub speedup: f64,
    /// Speedup per worker.
    pub efficiency: f64,
    /// Karp–Flatt serial fraction over the processors the row could use
    /// (the ideal's lanes: `min(workers, usable CPUs)` for computing work);
    /// `None` below two, where it is undefined.
    pub karp_flatt: Option<f64>,
    /// Weak sweeps only: T(1) / T(W), the one-worker time (see
    /// [`weak::base_time`]) over this row's parallel time.
    pub weak_efficiency: Option<f64>,
    /// Whether this row computed the serial baseline's checksum.
    pub results_match: bool,
    /// Where this row's lane time went.
    pub time_accounting: TimeAccounting,
}

impl SweepRow {
    /// The row for `parallel` measured on `workers`, against `baseline`.
    /// `cpus` is the CPU count that bounds the ideal for tasks that compute
    /// (`None` for tasks that wait).
    pub fn new(
        workers: usize,
        baseline: &SideResult,
        parallel: &SideResult,
        cpus: Option<usize>,
    ) -> Self {
        let ideal = baseline.ideal(workers, cpus);
        let speedup = speedup(baseline.wall.median, parallel.wall.median);
        let time_accounting = account(
            &baseline.record.reference(),
            &parallel.record.round,
            workers,
            baseline.task_times.len(),
            cpus,
        )
        .with_noise(noise_margin([&baseline.wall, &parallel.wall], false));
        Self {
            workers,
            tasks: baseline.task_times.len(),
            serial: baseline.wall.median,
            parallel: parallel.wall.clone(),
            cpu: parallel.cpu,
            ideal,
            ideal_speedup: crate::stats::speedup(baseline.wall.median, ideal.time),
            speedup,
            efficiency: efficiency(speedup, workers),
            karp_flatt: karp_flatt(speedup, ideal.lanes),
            weak_efficiency: None,
            results_match: parallel.checksum == baseline.checksum,
            time_accounting,
        }
    }

    /// The row with its ideal on lanes worth `worth` fastest CPUs (see
    /// [`Ideal::on_lanes_worth`]).
    pub fn on_lanes_worth(mut self, worth: f64) -> Self {
        self.ideal = self.ideal.on_lanes_worth(worth);
        self.ideal_speedup = crate::stats::speedup(self.serial, self.ideal.time);
        self
    }

    /// The row as part of a weak sweep whose T(1) is `base`: its weak
    /// efficiency, and no Karp–Flatt (it reads a fixed problem's speedup).
    pub fn weak(mut self, base: Duration) -> Self {
        self.weak_efficiency = Some(weak_efficiency(base, self.parallel.median));
        self.karp_flatt = None;
        self
    }
}

/// A finished sweep: the baseline, every row, the fit and the machine.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepResult {
    /// What ran (the worker count: the sweep's largest).
    pub work: Work,
    /// Whether the problem stayed fixed or grew with the workers.
    pub scaling: Scaling,
    /// For a weak sweep, where the time stopped being flat.
    pub weak: Option<WeakFit>,
    /// Warm-ups and timed runs per measurement.
    pub rounds: Rounds,
    /// The serial baseline's wall times.
    pub serial: Summary,
    /// The serial baseline's median CPU time.
    pub serial_cpu: Duration,
    /// One row per worker count, in sweep order.
    pub rows: Vec<SweepRow>,
    /// Amdahl fit, knee and the model that explains the rows.
    pub fit: SweepFit,
    /// Whether every row computed the baseline's checksum.
    pub results_match: bool,
    /// The machine it ran on.
    pub machine: MachineInfo,
    /// Things the reader should know: noisy repeats, a busy machine.
    pub warnings: Vec<String>,
    /// Whether other programs kept the CPUs busy before the sweep.
    pub busy: bool,
    /// How busy they kept them, from 0 to 1, when busy.
    pub busy_usage: Option<f64>,
    /// The serial part of a `serial-fraction` sweep, as set and as the
    /// baseline measured it; `None` for the other workloads.
    pub serial_part: Option<crate::measure::MeasuredSerialPart>,
    /// What the sweep shows: judged once, when [`crate::experiment`]
    /// measured it, and only read after that.
    pub findings: Vec<Finding>,
}

impl SweepResult {
    /// Records how busy other programs kept the machine before the sweep
    /// (`None`: quiet), with its warning first, and judges every row's time
    /// accounting against the margin that follows.
    pub fn set_busy(&mut self, busy: Option<Busy>) {
        self.busy_usage = busy.as_ref().map(|b| b.usage);
        self.warnings.splice(0..0, busy.map(|b| b.warning));
        let busy = self.busy_usage.is_some();
        self.busy = busy;
        for row in &mut self.rows {
            let margin = noise_margin([&self.serial, &row.parallel], busy);
            row.time_accounting = row.time_accounting.with_noise(margin);
        }
        let widest = self
            .rows
            .iter()
            .filter(|r| r.workers > 1)
            .max_by_key(|r| r.workers);
        self.fit.loss = widest.and_then(|r| r.time_accounting.largest_loss);
    }

    /// The chart of this sweep: speedups, or time for a weak sweep.
    pub fn chart(&self) -> SweepChart {
        match &self.weak {
            Some(weak) => SweepChart::weak(&self.rows, weak.base, &self.machine),
            None => SweepChart::new(&self.rows, Some(&self.fit), &self.machine),
        }
    }

    /// Combines the baseline and the rows with the fit over them.
    pub fn new(
        plan: &SweepPlan,
        machine: &MachineInfo,
        baseline: &SideResult,
        rows: Vec<SweepRow>,
    ) -> Self {
        let work = plan.work;
        let fit = analyse(work.workload, &rows, machine.compute_lanes());
        let weak = match (plan.scaling, rows.first()) {
            (Scaling::Weak, Some(first)) => Some(WeakFit::of(
                &rows,
                weak::base_time(first, baseline.wall.median),
                machine.compute_lanes(),
                work.workload.uses_cores(),
            )),
            _ => None,
        };
        Self {
            work,
            scaling: plan.scaling,
            weak,
            rounds: plan.rounds,
            serial: baseline.wall.clone(),
            serial_cpu: baseline.cpu,
            results_match: rows.iter().all(|r| r.results_match),
            warnings: warnings(&baseline.wall, &rows),
            fit,
            rows,
            machine: machine.clone(),
            busy: false,
            busy_usage: None,
            serial_part: work.workload.has_serial_part().then_some(
                crate::measure::MeasuredSerialPart {
                    serial_fraction: work.serial_fraction,
                    time: baseline.serial_part,
                },
            ),
            findings: Vec::new(),
        }
    }
}

fn warnings(serial: &Summary, rows: &[SweepRow]) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(serial.noise_warning("serial"));
    for row in rows {
        out.extend(
            row.parallel
                .noise_warning(&format!("{}-worker", row.workers)),
        );
    }
    let differ: Vec<String> = rows
        .iter()
        .filter(|r| !r.results_match)
        .map(|r| r.workers.to_string())
        .collect();
    if !differ.is_empty() {
        out.push(format!(
            "checksums differ from the serial run for {} ({}): the runs did not do the same work",
            crate::units::counted(differ.len(), "worker count"),
            differ.join(", ")
        ));
    }
    out
}

/// Measures the serial baseline once, then every worker count of `plan` on
/// its own fresh pool; a weak sweep also measures each row's scaled problem
/// serially first. Returns `Ok(None)` when `cancel` was set before the end;
/// an error for a plan out of range or a pool that cannot be built.
pub fn measure_sweep(
    plan: &SweepPlan,
    machine: &MachineInfo,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(SweepEvent),
) -> anyhow::Result<Option<SweepResult>> {
    plan.validate()?;
    let work = plan.work.prepare_workload();
    let Some(engine) = Engine::start(plan.work.pool, &work, plan.work.start_method, cancel)? else {
        return Ok(None);
    };
    let Some(baseline) = measure_side(
        &work,
        Side::Serial,
        &engine,
        plan.rounds,
        cancel,
        &mut |e| {
            on_event(SweepEvent::Run {
                stage: SweepStage::Serial,
                event: e,
            })
        },
    )?
    else {
        return Ok(None);
    };
    on_event(SweepEvent::Baseline(baseline.wall.clone()));
    let cpus = plan
        .work
        .workload
        .uses_cores()
        .then(|| machine.compute_lanes());
    let counts = &plan.workers.0;
    let mut rows = Vec::with_capacity(counts.len());
    let mut weak_base = None;
    for (row, &workers) in counts.iter().enumerate() {
        let rows_total = counts.len();
        let spec = plan.spec(workers);
        let scaled = (spec.tasks != plan.work.tasks)
            .then(|| spec.prepare_workload().with_serial_part_of(plan.work.tasks));
        let row_work = scaled.as_ref().unwrap_or(&work);
        // A scaled problem gets an engine sized for it (the Python pools
        // size their work in the interpreter); parlab's own needs nothing.
        let row_engine = match &scaled {
            Some(scaled) if spec.pool.is_python() => {
                match Engine::start(spec.pool, scaled, spec.start_method, cancel)? {
                    Some(engine) => Some(engine),
                    None => return Ok(None),
                }
            }
            _ => None,
        };
        let row_engine = row_engine.as_ref().unwrap_or(&engine);
        let row_serial = match &scaled {
            None => baseline.clone(),
            Some(scaled) => {
                let stage = SweepStage::ScaledSerial {
                    workers,
                    row,
                    rows: rows_total,
                };
                let forward = &mut |event| on_event(SweepEvent::Run { stage, event });
                match measure_side(
                    scaled,
                    Side::Serial,
                    row_engine,
                    plan.rounds,
                    cancel,
                    forward,
                )? {
                    Some(measured) => measured,
                    None => return Ok(None),
                }
            }
        };
        let stage = SweepStage::Parallel {
            workers,
            row,
            rows: rows_total,
        };
        let began = Instant::now();
        let Some((pool, took)) =
            row_engine.build(spec.pool, workers, spec.schedule, row_work, cancel)?
        else {
            return Ok(None);
        };
        let forward = &mut |event| on_event(SweepEvent::Run { stage, event });
        forward(RunEvent::PoolBuilt {
            workers,
            began,
            took,
        });
        let measured = measure_side(
            row_work,
            Side::Parallel,
            &pool,
            plan.rounds,
            cancel,
            forward,
        )?;
        let Some(parallel) = measured else {
            return Ok(None);
        };
        let mut done = SweepRow::new(workers, &row_serial, &parallel, cpus);
        if cpus.is_some() {
            let worth = machine.lane_capacity(done.ideal.lanes);
            done = done.on_lanes_worth(worth);
        }
        if plan.scaling == Scaling::Weak {
            let base = *weak_base.get_or_insert(weak::base_time(&done, baseline.wall.median));
            done = done.weak(base);
        }
        on_event(SweepEvent::Row(Box::new(done.clone())));
        rows.push(done);
    }
    Ok(Some(SweepResult::new(plan, machine, &baseline, rows)))
}

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests {
    use super::test_support::{cpu_report, side};
    use super::*;
    use crate::stats::{Bound, amdahl_speedup};
    use crate::workload::WorkloadKind;
    use std::sync::atomic::Ordering;

    fn ms(value: u64) -> Duration {
        Duration::from_millis(value)
    }

    fn plan(workload: WorkloadKind, workers: &[usize]) -> SweepPlan {
        SweepPlan {
            work: Work {
                workload,
                tasks: 8,
                task_ms: 0.2,
                ..Work::SEED_DEMO
            },
            scaling: Scaling::Strong,
            workers: WorkerCounts(workers.to_vec()),
            rounds: Rounds {
                repeat: 2,
                warmup: 1,
            },
        }
    }

    /// Rows whose measured speedups are `speedups` at `workers`, for a
    /// baseline of 16 tasks × 20 ms and an ideal bounded by `cpus`.
    fn rows(workers: &[usize], speedups: &[f64], cpus: Option<usize>) -> Vec<SweepRow> {
        let baseline = side(320, 1);
        workers
            .iter()
            .zip(speedups)
            .map(|(&w, &s)| {
                let parallel = SideResult {
                    wall: Summary::of(&[Duration::from_secs_f64(0.320 / s)]),
                    ..side(320, 1)
                };
                SweepRow::new(w, &baseline, &parallel, cpus)
            })
            .collect()
    }

    #[test]
    fn plans_are_checked_like_runs() {
        assert_eq!(plan(WorkloadKind::Cpu, &[1, 2]).validate(), Ok(()));
        assert_eq!(
            plan(WorkloadKind::Cpu, &[]).validate(),
            Err(PlanError::Workers(WorkerListError::Empty))
        );
        let too_many: Vec<usize> = (1..=65).collect();
        assert!(plan(WorkloadKind::Cpu, &too_many).validate().is_err());
        let bad = plan(WorkloadKind::Cpu, &[0, 2]).validate().unwrap_err();
        assert!(bad.to_string().contains("from 1 to 1024"), "{bad}");
        let mut long = plan(WorkloadKind::Sleep, &[1]);
        long.work.tasks = 100_000;
        long.work.task_ms = 1000.0;
        assert!(long.validate().unwrap_err().to_string().contains("1 hour"));
    }

    #[test]
    fn a_row_holds_the_ratios_of_its_measurement() {
        let baseline = SideResult {
            task_times: vec![ms(100); 8],
            ..side(800, 9)
        };
        let row = SweepRow::new(2, &baseline, &side(420, 9), Some(2));
        assert_eq!(row.ideal.time, ms(400));
        assert_eq!(row.ideal_speedup, 2.0);
        assert!((row.speedup - 800.0 / 420.0).abs() < 1e-12);
        assert!((row.efficiency - 400.0 / 420.0).abs() < 1e-12);
        assert!((row.karp_flatt.unwrap() - 0.05).abs() < 1e-9);
        assert!(row.results_match);
        let one = SweepRow::new(1, &baseline, &side(810, 8), Some(2));
        assert_eq!((one.karp_flatt, one.results_match), (None, false));
        let past = SweepRow::new(4, &baseline, &side(420, 9), Some(2));
        assert_eq!((past.ideal.bound, past.ideal.time), (Bound::Cores, ms(400)));
        assert_eq!(past.efficiency, row.efficiency / 2.0);
    }

    #[test]
    fn the_knee_is_where_later_rows_stop_gaining_five_percent() {
        assert_eq!(knee_workers(&[(1, 1.0), (2, 1.9), (4, 1.95)]), Some(2));
        assert_eq!(knee_workers(&[(1, 1.0), (2, 1.9), (4, 2.2)]), None);
        assert_eq!(
            knee_workers(&[(1, 1.0), (2, 1.9), (4, 1.92), (8, 2.5)]),
            None
        );
        assert_eq!(knee_workers(&[(1, 1.0), (2, 1.02), (4, 0.9)]), Some(1));
        assert_eq!(knee_workers(&[(1, 1.0)]), None);
        assert_eq!(knee_workers(&[]), None);
    }

    #[test]
    fn the_fit_recovers_known_serial_fractions() {
        let workers = [1, 2, 4, 8, 16];
        for f in [0.1, 0.3] {
            let speedups: Vec<f64> = workers
                .iter()
                .map(|&w| amdahl_speedup(f, w as f64))
                .collect();
            let fit = analyse(WorkloadKind::Sleep, &rows(&workers, &speedups, None), 2);
            assert!((fit.serial_fraction.unwrap() - f).abs() < 0.01, "f = {f}");
            assert!((fit.predicted_speedup(4.0).unwrap() - speedups[2]).abs() < 0.05);
        }
    }

    #[test]
    fn the_fit_counts_the_cpus_a_row_could_use_not_its_workers() {
        // Perfect CPU-bound work on 2 CPUs: 1, 2, 2, 2 processors.
        let cpu = rows(&[1, 2, 4, 8], &[1.0, 2.0, 1.99, 1.98], Some(2));
        let fit = analyse(WorkloadKind::Cpu, &cpu, 2);
        let fraction = fit.serial_fraction.unwrap();
        assert!(fraction.abs() < 0.01, "{fraction}");
        assert_eq!(cpu[3].ideal.lanes, 2);
        assert!(
            cpu[3].karp_flatt.unwrap().abs() < 0.02,
            "{:?}",
            cpu[3].karp_flatt
        );
        assert!((fit.predicted_speedup(8.0).unwrap() - 2.0).abs() < 0.02);
    }

    #[test]
    fn rows_that_meet_a_one_cpu_ideal_are_bound_by_the_cpus_not_overhead() {
        // taskset -c 0: every row's ideal is the serial time.
        let one_cpu = rows(&[1, 2, 4, 8], &[1.0, 0.99, 0.98, 0.99], Some(1));
        let fit = analyse(WorkloadKind::Cpu, &one_cpu, 1);
        assert_eq!(fit.model, ScalingModel::Cores);
        let verdict = crate::sentences::verdict(&fit);
        assert!(verdict.contains("1 CPU"), "{verdict}");
        assert_eq!(fit.serial_fraction, None, "every row could use 1 CPU");
        let two = rows(&[1, 2, 4], &[1.0, 0.9, 0.95], Some(2));
        assert_eq!(
            analyse(WorkloadKind::Cpu, &two, 2).model,
            ScalingModel::Overhead
        );
    }

    #[test]
    fn a_fit_needs_two_rows_on_different_cpu_counts() {
        let one = analyse(WorkloadKind::Cpu, &rows(&[4], &[1.9], Some(2)), 2);
        assert_eq!(one.serial_fraction, None);
        assert!(one.no_fit_reason.as_deref().unwrap().contains("one row"));
        assert_eq!(one.predicted_speedup(4.0), None);
        assert!(one.fraction_text().starts_with("no fit"));
        let same = analyse(
            WorkloadKind::Cpu,
            &rows(&[2, 4, 8], &[1.9, 1.9, 1.9], Some(2)),
            2,
        );
        assert_eq!(same.serial_fraction, None);
        assert!(
            same.no_fit_reason
                .as_deref()
                .unwrap()
                .contains("every row could use 2 CPUs")
        );
        let none = analyse(WorkloadKind::Cpu, &[], 2);
        assert_eq!(none.serial_fraction, None);
    }

    #[test]
    fn a_serial_fraction_sweep_is_named_amdahl_and_fits_its_fraction() {
        let baseline = SideResult {
            task_times: vec![ms(15); 16],
            serial_part: ms(80),
            ..side(320, 1)
        };
        let rows: Vec<SweepRow> = [1, 2, 4]
            .iter()
            .map(|&w| {
                let s = amdahl_speedup(0.25, (w as f64).min(2.0)) * 0.98;
                let parallel = SideResult {
                    wall: Summary::of(&[Duration::from_secs_f64(0.320 / s)]),
                    ..side(320, 1)
                };
                SweepRow::new(w, &baseline, &parallel, Some(2))
            })
            .collect();
        let fit = analyse(WorkloadKind::SerialFraction, &rows, 2);
        assert_eq!(fit.model, ScalingModel::Amdahl);
        let fraction = fit.serial_fraction.unwrap();
        assert!((fraction - 0.25).abs() < 0.03, "{fraction}");
        assert!(crate::sentences::verdict(&fit).contains("serial part"));
    }

    #[test]
    fn the_model_is_named_from_the_measurements() {
        let name = |workload, workers: &[usize], speedups: &[f64], cpus| {
            analyse(workload, &rows(workers, speedups, cpus), 2).model
        };
        let sleep = name(
            WorkloadKind::Sleep,
            &[1, 2, 4, 8],
            &[1.0, 2.0, 3.9, 7.6],
            None,
        );
        assert_eq!(sleep, ScalingModel::Waves);
        let cpu = name(WorkloadKind::Cpu, &[1, 2, 4], &[0.98, 1.93, 1.9], Some(2));
        assert_eq!(cpu, ScalingModel::Cores);
        let flat = [0.98, 1.3, 1.32];
        assert_eq!(
            name(WorkloadKind::Memory, &[1, 2, 4], &flat, Some(2)),
            ScalingModel::Bandwidth
        );
        assert_eq!(
            name(
                WorkloadKind::Memory,
                &[1, 2, 4],
                &[0.99, 1.9, 1.88],
                Some(2)
            ),
            ScalingModel::Cores
        );
        assert_eq!(
            name(WorkloadKind::Cpu, &[1, 2, 4], &flat, Some(2)),
            ScalingModel::Overhead
        );
        let tiny = name(WorkloadKind::Tiny, &[1, 2, 4], &[0.9, 0.7, 0.6], Some(2));
        assert_eq!(tiny, ScalingModel::Overhead);
        assert_eq!(
            name(WorkloadKind::Cpu, &[1], &[1.0], Some(2)),
            ScalingModel::Unknown
        );
    }

    #[test]
    fn one_long_task_is_named_as_the_limit() {
        let mut task_times = vec![ms(10); 7];
        task_times.push(ms(50));
        let baseline = SideResult {
            task_times,
            ..side(120, 3)
        };
        let row = |w, median| SweepRow::new(w, &baseline, &side(median, 3), Some(16));
        let fit = analyse(WorkloadKind::Uneven, &[row(1, 121), row(8, 52)], 16);
        assert_eq!(fit.model, ScalingModel::LongestTask);
        assert!(crate::sentences::verdict(&fit).contains("longest task"));
    }

    #[test]
    fn explanations_carry_the_figures() {
        let fit = cpu_report().fit;
        assert_eq!(fit.model, ScalingModel::Cores);
        assert_eq!(fit.knee_workers, Some(4));
        assert_eq!(fit.best.0, 4);
        let text = crate::sentences::verdict(&fit);
        assert!(
            text.contains("4 CPUs") && text.contains("3.20× at 4 workers"),
            "{text}"
        );
        let within = analyse(WorkloadKind::Sleep, &rows(&[1, 2], &[1.0, 1.98], None), 2);
        assert!(
            crate::sentences::verdict(&within)
                .contains("within the 2 CPUs waves and cores predict the same")
        );
    }

    #[test]
    fn a_small_sweep_reports_every_run_and_row_in_order() {
        let mut log = Vec::new();
        let report = measure_sweep(
            &plan(WorkloadKind::Cpu, &[1, 2, 3]),
            &MachineInfo::synthetic(2, 2),
            &AtomicBool::new(false),
            &mut |event| match event {
                SweepEvent::Run {
                    stage,
                    event: RunEvent::Started { .. },
                } => log.push(format!("{stage:?}")),
                SweepEvent::Run { .. } => {}
                SweepEvent::Baseline(serial) => log.push(format!("baseline {}", serial.runs.len())),
                SweepEvent::Row(row) => log.push(format!("row {}", row.workers)),
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(log.iter().filter(|l| l.starts_with("Serial")).count(), 3);
        assert_eq!(log[3], "baseline 2");
        let rows: Vec<&String> = log.iter().filter(|l| l.starts_with("row")).collect();
        assert_eq!(rows, ["row 1", "row 2", "row 3"]);
        assert_eq!(log[4], "Parallel { workers: 1, row: 0, rows: 3 }");
        assert_eq!(log.len(), 4 + 3 * 4);
        assert!(report.results_match);
        assert_eq!(report.rows.len(), 3);
        assert_eq!(report.rows[2].parallel.runs.len(), 2);
    }

    #[test]
    fn a_cancel_during_the_sweep_stops_it_after_the_current_run() {
        let cancel = AtomicBool::new(false);
        let mut rows_seen = 0;
        let outcome = measure_sweep(
            &plan(WorkloadKind::Cpu, &[1, 2, 4]),
            &MachineInfo::synthetic(2, 2),
            &cancel,
            &mut |event| {
                if let SweepEvent::Row(_) = event {
                    rows_seen += 1;
                    cancel.store(true, Ordering::Relaxed);
                }
            },
        )
        .unwrap();
        assert!(outcome.is_none());
        assert_eq!(rows_seen, 1);
    }

    #[test]
    fn the_chart_holds_every_series_and_the_markers() {
        let report = cpu_report();
        let chart = SweepChart::new(&report.rows, Some(&report.fit), &report.machine);
        assert_eq!(chart.measured.len(), 4);
        assert_eq!(chart.ideal[3], (8.0, 4.0));
        assert_eq!(chart.amdahl.first().map(|p| p.0), Some(1.0));
        assert_eq!(chart.amdahl.last().map(|p| p.0), Some(8.0));
        let flat_past_the_cpus = chart.amdahl.last().map(|p| p.1);
        assert_eq!(flat_past_the_cpus, report.fit.predicted_speedup(4.0));
        let labels: Vec<&str> = chart.markers.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, ["2 cores", "4 CPUs"]);
        assert_eq!((chart.x_bounds, chart.y_bounds), ([0.0, 8.0], [0.0, 5.0]));
        let empty = SweepChart::new(&[], None, &report.machine);
        assert!(empty.measured.is_empty() && empty.amdahl.is_empty());
    }

    #[test]
    fn warnings_name_noisy_rows_and_differing_checksums() {
        let baseline = side(320, 1);
        let noisy = SideResult {
            wall: Summary::of(&[ms(160), ms(200)]),
            ..side(170, 1)
        };
        let rows = vec![
            SweepRow::new(1, &baseline, &side(321, 2), Some(2)),
            SweepRow::new(2, &baseline, &noisy, Some(2)),
        ];
        let plan = plan(WorkloadKind::Cpu, &[1, 2]);
        let report = SweepResult::new(&plan, &MachineInfo::synthetic(2, 2), &baseline, rows);
        assert!(!report.results_match);
        assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
        assert!(report.warnings[0].starts_with("2-worker runs varied by more than 10 %"));
        assert!(report.warnings[1].contains("for 1 worker count (1)"));
    }
}
