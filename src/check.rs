//! `parlab check`: the quick core-scaling check, one command within a time
//! budget, as 7-Zip's benchmark, sysbench or STREAM give one: compute
//! speedup at 1, 2, 4, … up to every usable CPU and twice that, memory
//! bandwidth per worker count, the cost of one task, each CPU's speed
//! measured pinned to it, and what a second hardware thread adds.
//!
//! Nothing here measures in a way of its own: the compute and memory rows
//! are sweeps through [`experiment::sweep`], the per-task cost is a run of
//! the `tiny` workload through [`experiment::run`], and the per-CPU speed
//! runs the `cpu` workload's task on a thread pinned to each CPU. The
//! budget only sizes the tasks; every figure is measured.

use crate::busy::Busy;
use crate::config::Work;
use crate::finding::Finding;
use crate::machine::MachineInfo;
use crate::measure::{Rounds, RunResult};
use crate::sweep::{Scaling, SweepPlan, SweepResult, WorkerCounts};
use crate::workload::{Workload, WorkloadKind};
use crate::{experiment, machine};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// The budget when none is given: a minute, the time people give a quick
/// benchmark.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(60);

/// The shortest budget: below it the tasks would be too short to time
/// against the pool's own start-up.
pub const MIN_BUDGET: Duration = Duration::from_secs(5);

/// The longest budget: an hour.
pub const MAX_BUDGET: Duration = Duration::from_secs(3600);

/// Shares of the budget each part is planned to fill; the rest is left for
/// what the plan cannot size (calibration, the memory buffer, pool start).
const COMPUTE_SHARE: f64 = 0.35;
const MEMORY_SHARE: f64 = 0.2;
const OVERHEAD_SHARE: f64 = 0.08;
const SPEED_SHARE: f64 = 0.07;

/// Timed runs of every measurement; the median is reported.
const ROUNDS: Rounds = Rounds {
    repeat: 3,
    warmup: 0,
};

/// Nominal time of one `tiny` task in the overhead run: 1 µs, short enough
/// that the pool's per-task cost shows beside it.
const TINY_TASK_MS: f64 = 0.001;

/// What one check measures: its worker counts and task sizes, from the
/// machine and the budget.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckPlan {
    /// The time the whole check should stay within.
    pub budget: Duration,
    /// The compute sweep: `cpu` tasks at 1, 2, 4, … usable CPUs and twice
    /// that.
    pub compute: SweepPlan,
    /// The memory sweep: `memory` tasks at 1, 2, 4, … usable CPUs.
    pub memory: SweepPlan,
    /// The per-task cost run: `tiny` tasks on every usable CPU.
    pub overhead: Work,
    /// The CPUs to time one by one.
    pub cpus: Vec<usize>,
    /// Milliseconds of `cpu` work per timing on one CPU.
    pub speed_ms: f64,
}

impl CheckPlan {
    /// The plan for `machine` within `budget`.
    pub fn new(machine: &MachineInfo, budget: Duration) -> Self {
        let usable = machine.compute_lanes();
        let cpus = machine::usable_cpu_list(machine.logical_cpus);
        let budget_s = budget.as_secs_f64();
        let compute_workers = worker_counts(usable, true);
        let memory_workers = worker_counts(usable, false);
        let top = 2 * usable;
        let compute = sized_sweep(
            WorkloadKind::Cpu,
            4 * top,
            compute_workers,
            budget_s * COMPUTE_SHARE,
            machine,
            (2.0, 500.0),
        );
        let memory = sized_sweep(
            WorkloadKind::Memory,
            4 * usable,
            memory_workers,
            budget_s * MEMORY_SHARE,
            machine,
            (1.0, 500.0),
        );
        // Serial and parallel, each ROUNDS times: about 1.5 serial runs'
        // worth of tiny tasks per round on one CPU.
        let tiny_s = budget_s * OVERHEAD_SHARE / (1.5 * ROUNDS.total() as f64);
        let tiny_tasks = ((tiny_s * 1e3 / TINY_TASK_MS) as usize).clamp(10_000, 2_000_000);
        let overhead = Work {
            workload: WorkloadKind::Tiny,
            tasks: tiny_tasks,
            task_ms: TINY_TASK_MS,
            workers: usable,
            ..Work::SEED_DEMO
        };
        // Each CPU is timed SPEED_TIMINGS times, and SMT pairs twice that.
        let timings = (cpus.len() + 4) * SPEED_TIMINGS;
        let speed_ms = (budget_s * SPEED_SHARE * 1e3 / timings as f64).clamp(2.0, 50.0);
        Self {
            budget,
            compute,
            memory,
            overhead,
            cpus,
            speed_ms,
        }
    }

    /// How long the measurements should take, from the nominal task times.
    pub fn estimate(&self, cpus: usize) -> Duration {
        let overhead = crate::measure::run_estimate(&self.overhead, ROUNDS, cpus);
        let speeds = Duration::from_secs_f64(
            self.speed_ms * 1e-3 * ((self.cpus.len() + 4) * SPEED_TIMINGS) as f64,
        );
        self.compute.estimate(cpus) + self.memory.estimate(cpus) + overhead + speeds
    }
}

/// 1, 2, 4, … below `usable`, then `usable`, and with `oversubscribed`
/// twice it too.
fn worker_counts(usable: usize, oversubscribed: bool) -> WorkerCounts {
    let mut counts: Vec<usize> = std::iter::successors(Some(1usize), |n| n.checked_mul(2))
        .take_while(|&n| n < usable)
        .collect();
    counts.push(usable);
    if oversubscribed {
        counts.push(2 * usable);
    }
    counts.dedup();
    counts.truncate(crate::sweep::MAX_SWEEP_POINTS);
    WorkerCounts(counts)
}

/// A strong sweep of `tasks` tasks of `workload` at `workers`, its task
/// time chosen so the sweep fills `seconds`, within `(min, max)` ms.
fn sized_sweep(
    workload: WorkloadKind,
    tasks: usize,
    workers: WorkerCounts,
    seconds: f64,
    machine: &MachineInfo,
    (min_ms, max_ms): (f64, f64),
) -> SweepPlan {
    let work = |task_ms: f64| Work {
        workload,
        tasks,
        task_ms,
        workers: 1,
        ..Work::SEED_DEMO
    };
    let probe = SweepPlan::new(work(1.0), workers.clone(), Scaling::Strong, ROUNDS);
    let per_ms = probe.estimate(machine.logical_cpus).as_secs_f64();
    let task_ms = if per_ms > 0.0 {
        (seconds / per_ms).clamp(min_ms, max_ms)
    } else {
        min_ms
    };
    SweepPlan::new(work(task_ms), workers, Scaling::Strong, ROUNDS)
}

/// Timings of each CPU (and of each SMT pair); the best is kept.
const SPEED_TIMINGS: usize = 3;

/// Memory bandwidth at one worker count.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bandwidth {
    /// Workers streaming at once.
    pub workers: usize,
    /// Bytes read per second over the parallel median, in GB/s (10⁹).
    pub gb_per_s: f64,
}

/// The per-task cost: lane time beyond the serial work, per task.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Overhead {
    /// Tasks of the run.
    pub tasks: usize,
    /// Workers of the parallel side.
    pub workers: usize,
    /// Median serial time.
    #[serde(with = "crate::units::secs_field", rename = "serial_s")]
    pub serial: Duration,
    /// Median parallel time.
    #[serde(with = "crate::units::secs_field", rename = "parallel_s")]
    pub parallel: Duration,
    /// (workers × parallel − serial) / tasks, in nanoseconds: what each
    /// task cost the pool beyond its work. Negative only within noise.
    pub per_task_ns: f64,
}

impl Overhead {
    /// The cost per task of `run`, a run of `tiny` tasks.
    pub fn of(run: &RunResult) -> Self {
        let tasks = run.work.tasks.max(1);
        let lanes = run.lanes_used.max(1) as f64;
        let extra = lanes * run.parallel_time.as_secs_f64() - run.serial_time.as_secs_f64();
        Self {
            tasks,
            workers: run.work.workers,
            serial: run.serial_time,
            parallel: run.parallel_time,
            per_task_ns: extra * 1e9 / tasks as f64,
        }
    }
}

/// One CPU's speed, timed on a thread pinned to it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CpuSpeed {
    /// The CPU's index, as the OS numbers it.
    pub cpu: usize,
    /// Its best rate over the fastest CPU's: 1 for the fastest.
    pub relative: f64,
}

/// What the pinned timings found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CpuSpeeds {
    /// Each usable CPU's relative speed; `None` where threads cannot be
    /// pinned, with the reason in `why_not`.
    pub per_cpu: Option<Vec<CpuSpeed>>,
    /// Throughput of a core's two hardware threads together over one
    /// alone (1.30: the second adds 30 %); `None` without SMT.
    pub smt_yield: Option<f64>,
    /// Why a figure is missing, for the reader.
    pub notes: Vec<String>,
}

/// A finished check.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckResult {
    /// The machine it ran on.
    pub machine: MachineInfo,
    /// The budget it was planned for.
    pub budget: Duration,
    /// How long it took, measurement and preparation together.
    pub elapsed: Duration,
    /// The compute sweep.
    pub compute: SweepResult,
    /// Speedup on every usable CPU: the multi-core ratio.
    pub mp_ratio: f64,
    /// The memory sweep.
    pub memory: SweepResult,
    /// GB/s at each of its worker counts.
    pub bandwidth: Vec<Bandwidth>,
    /// Bytes of the buffer the memory tasks streamed.
    pub buffer_bytes: u64,
    /// The per-task cost.
    pub overhead: Overhead,
    /// Per-CPU speeds and SMT yield.
    pub speeds: CpuSpeeds,
    /// What the compute sweep shows, judged when measured.
    pub findings: Vec<Finding>,
    /// Things the reader should know: noise, a busy machine.
    pub warnings: Vec<String>,
}

/// Which part of the check is running, for progress lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckStage {
    /// Each CPU timed pinned, then an SMT pair.
    CpuSpeeds,
    /// The compute sweep.
    Compute,
    /// The memory sweep.
    Memory,
    /// The tiny-task run.
    Overhead,
}

impl CheckStage {
    /// What the stage measures, for a progress line.
    pub fn label(self) -> &'static str {
        match self {
            Self::CpuSpeeds => "each CPU's speed, pinned",
            Self::Compute => "compute speedup per worker count",
            Self::Memory => "memory bandwidth per worker count",
            Self::Overhead => "the cost of one task",
        }
    }
}

/// Runs `plan` on `machine`; `busy` is the check the caller made before.
/// `None` when `cancel` was set.
pub fn run_check(
    plan: &CheckPlan,
    machine: &MachineInfo,
    busy: Option<Busy>,
    cancel: &AtomicBool,
    on_stage: &mut dyn FnMut(CheckStage),
) -> anyhow::Result<Option<CheckResult>> {
    let started = Instant::now();
    on_stage(CheckStage::CpuSpeeds);
    let speeds = measure_speeds(plan, machine);
    // On a hybrid processor the measured speeds are the capacities the
    // compute sweep's ideal counts each CPU by.
    let mut measured = machine.clone();
    if let Some(per_cpu) = &speeds.per_cpu {
        let pairs: Vec<(usize, f64)> = per_cpu.iter().map(|s| (s.cpu, s.relative)).collect();
        measured.adopt_measured_capacity(&pairs);
    }
    let machine = &measured;
    on_stage(CheckStage::Compute);
    let Some(compute) =
        experiment::sweep(&plan.compute, machine, busy.clone(), cancel, &mut |_| {})?
    else {
        return Ok(None);
    };
    on_stage(CheckStage::Memory);
    let Some(memory) = experiment::sweep(&plan.memory, machine, busy.clone(), cancel, &mut |_| {})?
    else {
        return Ok(None);
    };
    on_stage(CheckStage::Overhead);
    let Some(tiny) = experiment::run(&plan.overhead, ROUNDS, machine, busy, cancel, &mut |_| {})?
    else {
        return Ok(None);
    };
    let usable = machine.compute_lanes();
    let mp_ratio = compute
        .rows
        .iter()
        .find(|row| row.workers == usable)
        .map_or(0.0, |row| row.speedup);
    let buffer_bytes = crate::workload::memory_buffer_len();
    let task_bytes = memory_task_bytes(plan.memory.work.task_ms);
    let bandwidth = memory
        .rows
        .iter()
        .map(|row| Bandwidth {
            workers: row.workers,
            gb_per_s: gb_per_s(task_bytes * row.tasks as f64, row.parallel.median),
        })
        .collect();
    // The compute sweep's findings are the check's; the memory sweep's
    // stay with it (its export carries them), where they cannot be read
    // as claims about the compute rows.
    let findings = compute.findings.clone();
    let mut warnings = compute.warnings.clone();
    for warning in memory.warnings.iter().chain(&tiny.warnings) {
        if !warnings.contains(warning) {
            warnings.push(warning.clone());
        }
    }
    Ok(Some(CheckResult {
        machine: machine.clone(),
        budget: plan.budget,
        elapsed: started.elapsed(),
        mp_ratio,
        bandwidth,
        buffer_bytes,
        overhead: Overhead::of(&tiny),
        speeds,
        findings,
        warnings,
        compute,
        memory,
    }))
}

/// Bytes one memory task of `task_ms` reads: the words the calibration
/// sized it to, eight bytes each.
fn memory_task_bytes(task_ms: f64) -> f64 {
    (crate::workload::memory_words_per_ms() * task_ms).floor() * 8.0
}

/// `bytes` over `time`, in GB/s (10⁹ bytes); 0 for no time.
pub fn gb_per_s(bytes: f64, time: Duration) -> f64 {
    let seconds = time.as_secs_f64();
    if seconds > 0.0 {
        bytes / seconds / 1e9
    } else {
        0.0
    }
}

/// Times the `cpu` task on a thread pinned to each usable CPU, then on two
/// hardware threads of one core at once.
fn measure_speeds(plan: &CheckPlan, machine: &MachineInfo) -> CpuSpeeds {
    let mut speeds = CpuSpeeds::default();
    if !machine::CAN_PIN {
        speeds.notes.push(format!(
            "per-CPU speeds: {} does not let a program pin a thread to one CPU",
            std::env::consts::OS
        ));
        return speeds;
    }
    let work = Workload::prepare(WorkloadKind::Cpu, 1, plan.speed_ms);
    let mut rates = Vec::with_capacity(plan.cpus.len());
    for &cpu in &plan.cpus {
        match pinned_best(&work, &[cpu]) {
            Some(seconds) => rates.push((cpu, 1.0 / seconds)),
            None => {
                speeds.notes.push(format!(
                    "per-CPU speeds: the OS refused to pin a thread to CPU {cpu}"
                ));
                return speeds;
            }
        }
    }
    speeds.per_cpu = relative_speeds(&rates);
    speeds.smt_yield = smt_pair(machine, &plan.cpus).and_then(|(a, b)| {
        let alone = pinned_best(&work, &[a])?;
        let pair = pinned_best(&work, &[a, b])?;
        Some(smt_yield(alone, pair))
    });
    if machine.logical_cpus > machine.physical_cores && speeds.smt_yield.is_none() {
        speeds
            .notes
            .push("SMT yield: no two hardware threads of one core are usable here".to_string());
    }
    speeds
}

/// Each rate over the fastest.
fn relative_speeds(rates: &[(usize, f64)]) -> Option<Vec<CpuSpeed>> {
    let fastest = rates.iter().map(|(_, r)| *r).fold(0.0_f64, f64::max);
    (fastest > 0.0).then(|| {
        rates
            .iter()
            .map(|&(cpu, rate)| CpuSpeed {
                cpu,
                relative: rate / fastest,
            })
            .collect()
    })
}

/// Two usable hardware threads of one core, if the machine has SMT.
fn smt_pair(machine: &MachineInfo, usable: &[usize]) -> Option<(usize, usize)> {
    machine.core_groups.iter().find_map(|group| {
        let mut here = group.iter().filter(|cpu| usable.contains(cpu));
        Some((*here.next()?, *here.next()?))
    })
}

/// Two threads' throughput over one's: each of the pair did the work one
/// thread did alone in `alone` seconds, together in `pair` seconds.
fn smt_yield(alone: f64, pair: f64) -> f64 {
    if pair > 0.0 { 2.0 * alone / pair } else { 0.0 }
}

/// The best of [`SPEED_TIMINGS`] wall times, in seconds, of one `work`
/// task on each of `cpus` at once, each on a thread pinned to its CPU;
/// `None` when a pin is refused.
fn pinned_best(work: &Workload, cpus: &[usize]) -> Option<f64> {
    let never = AtomicBool::new(false);
    let mut best = f64::INFINITY;
    for _ in 0..SPEED_TIMINGS {
        let times: Vec<Option<f64>> = std::thread::scope(|scope| {
            let handles: Vec<_> = cpus
                .iter()
                .map(|&cpu| {
                    let never = &never;
                    scope.spawn(move || {
                        if !machine::pin_this_thread(cpu) {
                            return None;
                        }
                        let started = Instant::now();
                        std::hint::black_box(work.run_task(0, never));
                        Some(started.elapsed().as_secs_f64())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        });
        let slowest = times
            .into_iter()
            .try_fold(0.0_f64, |worst, t| Some(worst.max(t?)))?;
        best = best.min(slowest);
    }
    best.is_finite().then_some(best)
}

/// A finished check with fixed figures, for render tests: the fixed CPU
/// sweep as both sweeps, on its 2-core / 4-CPU machine.
#[cfg(test)]
pub(crate) fn fixed_result() -> CheckResult {
    let compute = crate::sweep::test_support::cpu_report();
    CheckResult {
        machine: compute.machine.clone(),
        budget: Duration::from_secs(30),
        elapsed: Duration::from_secs(21),
        mp_ratio: 3.2,
        memory: compute.clone(),
        bandwidth: vec![
            Bandwidth {
                workers: 1,
                gb_per_s: 11.5,
            },
            Bandwidth {
                workers: 2,
                gb_per_s: 19.0,
            },
        ],
        buffer_bytes: 128 << 20,
        overhead: Overhead {
            tasks: 100_000,
            workers: 4,
            serial: Duration::from_millis(110),
            parallel: Duration::from_millis(40),
            per_task_ns: 500.0,
        },
        speeds: CpuSpeeds {
            per_cpu: Some(
                (0..4)
                    .map(|cpu| CpuSpeed {
                        cpu,
                        relative: if cpu < 2 { 1.0 } else { 0.98 },
                    })
                    .collect(),
            ),
            smt_yield: Some(1.25),
            notes: Vec::new(),
        },
        findings: crate::sentences::of_sweep(&compute),
        warnings: Vec::new(),
        compute,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_counts_double_up_to_the_cpus_and_twice_them() {
        assert_eq!(worker_counts(2, true).0, vec![1, 2, 4]);
        assert_eq!(worker_counts(1, true).0, vec![1, 2]);
        assert_eq!(worker_counts(6, true).0, vec![1, 2, 4, 6, 12]);
        assert_eq!(worker_counts(8, false).0, vec![1, 2, 4, 8]);
    }

    #[test]
    fn the_plan_fits_the_budget_on_two_cpus() {
        let machine = MachineInfo::synthetic(2, 2);
        let plan = CheckPlan::new(&machine, DEFAULT_BUDGET);
        let estimate = plan.estimate(2).as_secs_f64();
        assert!(estimate <= 0.8 * 60.0, "{estimate}");
        assert!(
            estimate >= 0.4 * 60.0,
            "{estimate}: the budget buys precision"
        );
        assert_eq!(plan.compute.workers.0, vec![1, 2, 4]);
        assert_eq!(plan.compute.work.tasks % 4, 0, "every row gets whole waves");
        let threads = |w: &Work| w.pool == crate::pool::Pool::Threads;
        assert!(threads(&plan.compute.work) && threads(&plan.overhead));
        let short = CheckPlan::new(&machine, MIN_BUDGET);
        assert!(short.estimate(2) < plan.estimate(2));
    }

    #[test]
    fn per_task_overhead_is_the_lane_time_beyond_the_work() {
        assert!((gb_per_s(4e9, Duration::from_secs(2)) - 2.0).abs() < 1e-12);
        assert_eq!(gb_per_s(1.0, Duration::ZERO), 0.0);
        assert!((smt_yield(1.0, 1.6) - 1.25).abs() < 1e-12);
        let speeds = relative_speeds(&[(0, 100.0), (1, 50.0)]).unwrap();
        assert_eq!(speeds[0].relative, 1.0);
        assert_eq!(speeds[1].relative, 0.5);
    }

    #[test]
    fn smt_pairs_come_from_one_core_s_usable_threads() {
        let smt = MachineInfo::synthetic(2, 4);
        assert_eq!(smt_pair(&smt, &[0, 1, 2, 3]), Some((0, 1)));
        assert_eq!(smt_pair(&smt, &[0, 2]), None, "one thread of each core");
        assert_eq!(smt_pair(&MachineInfo::synthetic(2, 2), &[0, 1]), None);
    }
}
