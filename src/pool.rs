//! Who runs the tasks: rayon threads, worker processes of parlab itself, or
//! CPython's own `multiprocessing` pools, the recipe of the text parlab grew
//! from.
//!
//! [`Pool`] is the choice; [`Engine`] and [`Workers`] are the one place that
//! dispatches on it. An engine is what runs the serial side (parlab itself,
//! or the Python interpreter for the Python pools, so both sides of a
//! comparison run in the same language); [`Engine::build`] starts the
//! parallel workers and times their start-up outside every clock. Every
//! pool records its tasks on the same [`TaskBoard`], so lanes and core bars
//! fill the same way whoever runs them, and every run ends in the same
//! [`RunTiming`] with a checksum.

pub mod process;
pub mod python;

use crate::accounting::Between;
use crate::board::TaskBoard;
use crate::runner::{self, RunTiming};
use crate::schedule::Schedule;
use crate::workload::{Workload, WorkloadKind};
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use thiserror::Error;

pub use python::{PythonInfo, StartMethod};

/// What runs the parallel side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(clap::ValueEnum, strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Pool {
    /// A fresh rayon pool: threads sharing one address space.
    #[default]
    Threads,
    /// Worker processes of parlab itself, fed one task at a time over pipes.
    Processes,
    /// CPython's `multiprocessing.Pool(W).map`.
    PythonProcesses,
    /// CPython's `multiprocessing.pool.ThreadPool(W).map`.
    PythonThreads,
}

impl Pool {
    /// The name used on the command line, in JSON and on screen.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// A few characters for a narrow table cell after the worker count:
    /// nothing for rayon threads.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Threads => "",
            Self::Processes => "proc",
            Self::PythonProcesses => "py-p",
            Self::PythonThreads => "py-t",
        }
    }

    /// Whether the tasks run in CPython.
    pub fn is_python(self) -> bool {
        matches!(self, Self::PythonProcesses | Self::PythonThreads)
    }

    /// Whether the workers share the parent's memory, so a payload is read
    /// in place instead of being copied to them and back.
    pub fn shares_memory(self) -> bool {
        matches!(self, Self::Threads | Self::PythonThreads)
    }

    /// What a lane's OS id is for this pool: a process id or a thread id;
    /// `None` for rayon threads, whose lanes are numbered.
    pub fn lane_id_name(self) -> Option<&'static str> {
        match self {
            Self::Threads => None,
            Self::Processes | Self::PythonProcesses => Some("pid"),
            Self::PythonThreads => Some("tid"),
        }
    }

    /// Refuses a workload this pool cannot run with the same meaning, and
    /// a schedule it would ignore: rayon threads take every schedule; the
    /// Python pools take `dynamic`, whose chunk becomes `Pool.map`'s
    /// chunksize (its workers take the next chunk from one queue when
    /// free); parlab's process pool hands out one task at a time.
    pub fn check(self, workload: WorkloadKind, schedule: Schedule) -> Result<(), PoolError> {
        let honoured = match self {
            Self::Threads => true,
            Self::PythonProcesses | Self::PythonThreads => {
                matches!(schedule, Schedule::Steal | Schedule::Dynamic { .. })
            }
            Self::Processes => schedule == Schedule::Steal,
        };
        if !honoured {
            return Err(PoolError::ScheduleUnused(self.name()));
        }
        match (self, workload) {
            (Self::Processes | Self::PythonProcesses, WorkloadKind::Memory) => {
                Err(PoolError::MemoryPerProcess(self.name()))
            }
            (Self::PythonThreads, WorkloadKind::Memory) => Err(PoolError::MemoryInPython),
            (Self::Threads, _) => Ok(()),
            (_, kind) if kind.shares_memory() => Err(PoolError::SharedMemory(kind.name())),
            _ => Ok(()),
        }
    }
}

/// What a pool adds to every task beyond the task itself, for planning:
/// how long a plan will take, the notice, the progress line and the limit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskCost {
    /// Per task on the serial side (CPython's `map` calls through the
    /// interpreter and writes two event lines per task).
    pub serial: Duration,
    /// Per task on the parallel side, one worker at a time: handing the
    /// task over, however many workers wait. The GIL (python-threads), the
    /// parent's result handling (python-processes) or the pipe hop of each
    /// task (processes) serialise it.
    pub parallel: Duration,
}

impl Pool {
    /// The cost per task of this pool, from runs of 100,000 to 10 million
    /// tiny tasks on a 2-CPU machine (10 million took 90 s on
    /// python-processes and 110 s on python-threads; parlab's processes
    /// pass a task in 8 to 15 µs; rayon's hand-out is well under a
    /// microsecond). The low end of what was seen, so an estimate errs
    /// short rather than refusing a plan that fits.
    pub fn task_cost(self) -> TaskCost {
        let us = Duration::from_nanos;
        match self {
            Self::Threads => TaskCost {
                serial: Duration::ZERO,
                parallel: us(300),
            },
            Self::Processes => TaskCost {
                serial: Duration::ZERO,
                parallel: us(8_000),
            },
            Self::PythonProcesses => TaskCost {
                serial: us(4_500),
                parallel: us(4_500),
            },
            Self::PythonThreads => TaskCost {
                serial: us(5_000),
                parallel: us(6_000),
            },
        }
    }
}

/// A workload a pool refuses, with what to do instead.
#[derive(Debug, Error, PartialEq)]
pub enum PoolError {
    /// Memory tasks stream one shared buffer; processes would each need a
    /// copy of it.
    #[error(
        "the memory workload streams one buffer shared by all workers; {0} would need a copy of it per worker: use --pool threads"
    )]
    MemoryPerProcess(&'static str),
    /// A pure-Python loop cannot stream memory at the bandwidth the memory
    /// workload measures.
    #[error(
        "the memory workload measures memory bandwidth, which a pure-Python loop cannot reach: use --pool threads for it"
    )]
    MemoryInPython,
    /// Counters and locks shared by all workers live in one process's
    /// memory; other pools have no such memory to share.
    #[error(
        "the {0} workload writes memory that every worker shares, which only parlab's own threads do: use --pool threads"
    )]
    SharedMemory(&'static str),
    /// A schedule given to a pool that hands out tasks its own way.
    #[error(
        "{0} cannot follow this --schedule: --pool threads takes steal, static and dynamic; the Python pools take dynamic (--chunk becomes Pool.map's chunksize); processes hands out one task at a time"
    )]
    ScheduleUnused(&'static str),
}

/// What runs the serial side, and builds the parallel workers, for one
/// measurement.
pub enum Engine {
    /// parlab's own code on the calling thread.
    Native,
    /// A CPython interpreter driving `map` and the `multiprocessing` pools.
    Python(Box<python::Driver>),
}

impl Engine {
    /// Starts what `pool` needs before any clock: nothing for parlab's own
    /// pools; for the Python pools, the interpreter, with `work` sized in it,
    /// whose process pools start their workers by `start_method` (`None`:
    /// Python's default here). A set `cancel` ends the start-up at once:
    /// `Ok(None)`.
    pub fn start(
        pool: Pool,
        work: &Workload,
        start_method: Option<StartMethod>,
        cancel: &AtomicBool,
    ) -> anyhow::Result<Option<Self>> {
        if pool.is_python() {
            let driver = python::Driver::start(work, start_method, cancel);
            Ok(none_if_cancelled(driver)?.map(|d| Self::Python(Box::new(d))))
        } else {
            Ok(Some(Self::Native))
        }
    }

    /// The interpreter's version and GIL state, for the Python pools.
    pub fn python(&self) -> Option<&PythonInfo> {
        match self {
            Self::Native => None,
            Self::Python(driver) => Some(driver.info()),
        }
    }

    /// Starts `workers` workers of `pool` for `work`, handing tasks out by
    /// `schedule` where the pool has a choice, and measures how long that
    /// took (spawn until every worker can take a task). It takes the
    /// settings one by one, so pools depend on no run spec. `Ok(None)`: the
    /// start-up was cancelled.
    pub fn build(
        &self,
        pool: Pool,
        workers: usize,
        schedule: Schedule,
        work: &Workload,
        cancel: &AtomicBool,
    ) -> anyhow::Result<Option<(Workers<'_>, Duration)>> {
        match (pool, self) {
            (Pool::Threads, _) => {
                let (threads, took) = runner::build_pool(workers)?;
                Ok(Some((Workers::Threads(threads, schedule), took)))
            }
            (Pool::Processes, _) => {
                let (processes, took) = process::ProcessPool::start(workers, work)?;
                Ok(Some((Workers::Processes(processes), took)))
            }
            (Pool::PythonProcesses | Pool::PythonThreads, Self::Python(driver)) => {
                let took = driver.start_pool(pool, workers, schedule.chunk(), cancel);
                Ok(none_if_cancelled(took)?.map(|took| (Workers::Python(driver), took)))
            }
            (_, Self::Native) => anyhow::bail!("{} needs the Python engine", pool.name()),
        }
    }
}

/// A start-up the user cancelled as `None`, any other failure as itself.
fn none_if_cancelled<T>(result: anyhow::Result<T>) -> anyhow::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.is::<python::Cancelled>() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Runs one round of one side of an experiment on its board.
pub trait RunsSide {
    /// How many lanes (workers) the side runs on.
    fn lanes(&self) -> usize;
    /// What the workers wait for between tasks, for the time accounting.
    fn between_tasks(&self) -> Between {
        Between::HandOut
    }
    /// Runs every task once, recording each on `board`; `on_start` is told
    /// the instant the clock starts.
    fn run_round(
        &self,
        work: &Workload,
        board: &TaskBoard,
        cancel: &AtomicBool,
        on_start: &mut dyn FnMut(Instant),
    ) -> anyhow::Result<RunTiming>;
}

impl RunsSide for Engine {
    fn lanes(&self) -> usize {
        1
    }

    fn run_round(
        &self,
        work: &Workload,
        board: &TaskBoard,
        cancel: &AtomicBool,
        on_start: &mut dyn FnMut(Instant),
    ) -> anyhow::Result<RunTiming> {
        match self {
            Self::Native => Ok(runner::run_serial(work, board, cancel, on_start)),
            Self::Python(driver) => driver.run_round(None, board, cancel, on_start),
        }
    }
}

/// Started parallel workers of one pool.
pub enum Workers<'a> {
    /// A rayon pool and how it hands out tasks.
    Threads(rayon::ThreadPool, Schedule),
    /// parlab worker processes.
    Processes(process::ProcessPool),
    /// The pool inside the Python driver.
    Python(&'a python::Driver),
}

impl RunsSide for Workers<'_> {
    fn lanes(&self) -> usize {
        match self {
            Self::Threads(pool, _) => pool.current_num_threads(),
            Self::Processes(pool) => pool.workers(),
            Self::Python(driver) => driver.pool_workers(),
        }
    }

    /// Python threads take the GIL back before each task's first line;
    /// without the GIL, or in processes, only the hand-out is between.
    fn between_tasks(&self) -> Between {
        match self {
            Self::Python(driver) if !driver.runs_processes() && driver.info().gil => Between::Lock,
            _ => Between::HandOut,
        }
    }

    fn run_round(
        &self,
        work: &Workload,
        board: &TaskBoard,
        cancel: &AtomicBool,
        on_start: &mut dyn FnMut(Instant),
    ) -> anyhow::Result<RunTiming> {
        match self {
            Self::Threads(pool, schedule) => Ok(runner::run_parallel(
                work, pool, *schedule, board, cancel, on_start,
            )),
            Self::Processes(pool) => pool.run_round(work, board, cancel, on_start),
            Self::Python(driver) => {
                driver.run_round(Some(driver.pool_workers()), board, cancel, on_start)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Cycle;
    use strum::VariantArray;

    #[test]
    fn cycling_pools_visits_all_and_wraps() {
        let mut pool = Pool::Threads;
        for _ in 0..Pool::VARIANTS.len() {
            pool = pool.next();
        }
        assert_eq!(pool, Pool::Threads);
        assert_eq!(Pool::PythonThreads.name(), "python-threads");
        assert!(Pool::PythonThreads.is_python() && Pool::PythonThreads.shares_memory());
        assert!(!Pool::Processes.shares_memory() && !Pool::Processes.is_python());
    }

    #[test]
    fn memory_work_is_refused_where_it_would_mean_something_else() {
        for pool in [Pool::Processes, Pool::PythonProcesses, Pool::PythonThreads] {
            let steal = Schedule::Steal;
            let err = pool.check(WorkloadKind::Memory, steal).unwrap_err();
            assert!(err.to_string().contains("memory"), "{err}");
            assert_eq!(pool.check(WorkloadKind::Sleep, steal), Ok(()));
            assert_eq!(
                pool.check(WorkloadKind::FalseSharing, steal),
                Err(PoolError::SharedMemory("false-sharing"))
            );
            assert_eq!(pool.check(WorkloadKind::Cpu, steal), Ok(()));
            let err = pool.check(WorkloadKind::Cpu, Schedule::Static).unwrap_err();
            assert!(err.to_string().contains("--pool threads"), "{err}");
        }
        let threads = Pool::Threads;
        assert_eq!(
            threads.check(WorkloadKind::Memory, Schedule::Static),
            Ok(())
        );
    }
}
