//! A measurement as a Chrome trace (the trace-event JSON that Perfetto and
//! `chrome://tracing` open), so a learner can look at every task of a run
//! in a timeline viewer they already know.
//!
//! [`TraceRecorder`] listens to the same [`RunEvent`]s as the progress line
//! and keeps each run's task board; nothing is read from a board until the
//! measurement is over, so recording costs a run one push into a vector
//! reserved beforehand (the start of a run is announced on its clock). The
//! tracks come from the worker identity each task wrote on its board, so
//! any pool that records its workers there gets one track per worker.
//!
//! Layout: one trace process per group (the whole `run`; the serial
//! baseline and each worker count of a `sweep`), and in it a track for the
//! serial side, one for the parallel side (pool start-up, then each
//! parallel run) and one per worker. Every task is a complete event named
//! by its task index; times are microseconds from the first event.
//!
//! Where the time went is in the args: each parallel run's worker gets a
//! `worker N` event spanning the run, with that worker's measured share of
//! it (tasks, time in them, before the first and after the last, between
//! them, CPU time and run-queue wait), and the run the report's time
//! accounting describes (the timed run nearest the median) carries that
//! accounting, so the trace and the table show the same parts.

use crate::accounting::{RoundRecord, TimeAccounting};
use crate::board::TaskBoard;
use crate::exit::Misuse;
use crate::machine::MachineInfo;
use crate::runner::{RunEvent, Side};
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The most task events one trace may hold: beyond this a viewer in a
/// browser struggles (a trace event is about 150 bytes of JSON).
pub const MAX_TRACE_TASKS: u64 = 1_000_000;

/// Refuses a trace that would hold more than [`MAX_TRACE_TASKS`] task
/// events, before anything is measured.
pub fn check_size(task_events: u64) -> Result<(), Misuse> {
    if task_events > MAX_TRACE_TASKS {
        return Err(Misuse(format!(
            "a trace of {task_events} task events is more than a trace viewer can open \
             (at most {MAX_TRACE_TASKS}): use fewer --tasks or --repeat"
        )));
    }
    Ok(())
}

/// One run of one side as it was announced, with its board.
struct RecordedRun {
    group: usize,
    side: Side,
    round: usize,
    warmup: bool,
    board: Arc<TaskBoard>,
    origin: Instant,
    wall: Option<Duration>,
}

/// One pool built for the parallel runs of a group.
struct RecordedPool {
    group: usize,
    workers: usize,
    began: Instant,
    took: Duration,
}

/// Collects the runs of a measurement for [`TraceRecorder::to_json`].
pub struct TraceRecorder {
    runs: Vec<RecordedRun>,
    pools: Vec<RecordedPool>,
}

/// What the trace says about itself: the command, its settings and the
/// machine, shown in the viewer's metadata and on the measurement track.
pub struct TraceContext<'a> {
    /// `run` or `sweep`.
    pub command: &'static str,
    /// The settings of the measurement, as the JSON export names them.
    pub settings: Value,
    /// The machine it ran on.
    pub machine: &'a MachineInfo,
    /// The name of each group, by the number it was recorded under: a
    /// process in the viewer.
    pub groups: Vec<String>,
    /// Each group's time accounting, by the same numbers (`None` for a
    /// group without parallel runs: a sweep's serial baseline).
    pub accounting: Vec<Option<TimeAccounting>>,
}

/// Thread ids inside each trace process; 0 is avoided because some
/// viewers treat it as the idle thread.
const MEASUREMENT_TID: u64 = 1;
const SERIAL_TID: u64 = 2;
const PARALLEL_TID: u64 = 3;
const FIRST_WORKER_TID: u64 = 10;

fn worker_tid(worker: usize) -> u64 {
    FIRST_WORKER_TID + worker as u64
}

/// One trace event as the format spells it; times in microseconds.
#[derive(Serialize)]
struct Event {
    name: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    cat: &'static str,
    ph: &'static str,
    ts: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    dur: Option<f64>,
    pid: u64,
    tid: u64,
    args: Value,
}

impl Event {
    fn complete(name: String, cat: &'static str, ts: f64, dur: f64, at: (u64, u64)) -> Self {
        Self {
            name,
            cat,
            ph: "X",
            ts,
            dur: Some(dur),
            pid: at.0,
            tid: at.1,
            args: Value::Null,
        }
    }

    fn metadata(name: &str, pid: u64, tid: u64, args: Value) -> Self {
        Self {
            name: name.to_string(),
            cat: "",
            ph: "M",
            ts: 0.0,
            dur: None,
            pid,
            tid,
            args,
        }
    }

    fn with_args(mut self, args: Value) -> Self {
        self.args = args;
        self
    }
}

/// Microseconds with nanosecond digits, the unit of `ts` and `dur`.
fn micros(d: Duration) -> f64 {
    d.as_nanos() as f64 / 1000.0
}

/// One worker's measured share of a parallel run of `wall`: its tasks, the
/// time inside them, before the first and after the last, between them,
/// and its clocks (CPU time, run-queue wait) where the pool read them.
/// `None` for a worker that ran nothing.
fn worker_args(
    lane: &crate::accounting::LaneRecord,
    wall: Duration,
    common: &Value,
) -> Option<Value> {
    let first = lane.first_start?.min(wall);
    let last = lane.last_end.clamp(first, wall);
    let busy = lane.busy.min(last - first);
    let mut args = common.clone();
    args["tasks"] = lane.tasks.len().into();
    args["in_tasks_s"] = crate::units::secs(busy).into();
    args["before_first_s"] = crate::units::secs(first).into();
    args["between_tasks_s"] = crate::units::secs(last - first - busy).into();
    args["after_last_s"] = crate::units::secs(wall - last).into();
    if let Some(clock) = lane.clock {
        args["cpu_s"] = crate::units::secs(clock.cpu).into();
        if let Some(delay) = clock.run_delay {
            args["waited_for_cpu_s"] = crate::units::secs(delay).into();
        }
    }
    Some(args)
}

impl TraceRecorder {
    /// An empty recorder with room for `runs` runs, so that recording the
    /// start of one never allocates on its clock.
    pub fn new(runs: usize) -> Self {
        Self {
            runs: Vec::with_capacity(runs),
            pools: Vec::new(),
        }
    }

    /// Takes one event of the measurement into account; `group` numbers the
    /// part of the measurement it belongs to (0 for a whole run; the serial
    /// baseline and then each row of a sweep), named in the context.
    pub fn record(&mut self, group: usize, event: &RunEvent) {
        match event {
            RunEvent::Started {
                side,
                round,
                warmup,
                board,
                origin,
            } => self.runs.push(RecordedRun {
                group,
                side: *side,
                round: *round,
                warmup: *warmup,
                board: Arc::clone(board),
                origin: *origin,
                wall: None,
            }),
            RunEvent::Finished { timing, .. } => {
                if let Some(run) = self.runs.last_mut() {
                    run.wall = Some(timing.wall);
                }
            }
            RunEvent::PoolBuilt {
                workers,
                began,
                took,
            } => self.pools.push(RecordedPool {
                group,
                workers: *workers,
                began: *began,
                took: *took,
            }),
        }
    }

    /// The instant every timestamp counts from: the earliest recorded.
    fn zero(&self) -> Option<Instant> {
        let runs = self.runs.iter().map(|r| r.origin);
        let pools = self.pools.iter().map(|p| p.began);
        runs.chain(pools).min()
    }

    /// The whole trace as one JSON object (`traceEvents` plus the settings
    /// and machine in `otherData`).
    pub fn to_json(&self, context: &TraceContext) -> anyhow::Result<String> {
        let zero = self.zero().unwrap_or_else(Instant::now);
        let at = |instant: Instant, offset: Duration| {
            micros(instant.saturating_duration_since(zero) + offset)
        };
        let about = json!({
            "generator": format!("parlab {}", env!("CARGO_PKG_VERSION")),
            "command": context.command,
            "settings": context.settings,
            "machine": context.machine,
        });
        let mut events = self.track_names(&context.groups);
        let end = self
            .runs
            .iter()
            .map(|r| at(r.origin, r.wall.unwrap_or_default()))
            .chain(self.pools.iter().map(|p| at(p.began, p.took)))
            .fold(0.0, f64::max);
        events.push(
            Event::complete(
                format!("parlab {}", context.command),
                "measurement",
                0.0,
                end,
                (1, MEASUREMENT_TID),
            )
            .with_args(about.clone()),
        );
        for pool in &self.pools {
            events.push(
                Event::complete(
                    "pool start-up".to_string(),
                    "pool",
                    at(pool.began, Duration::ZERO),
                    micros(pool.took),
                    (pool.group as u64 + 1, PARALLEL_TID),
                )
                .with_args(json!({ "workers": pool.workers })),
            );
        }
        for (index, run) in self.runs.iter().enumerate() {
            let accounted = context
                .accounting
                .get(run.group)
                .copied()
                .flatten()
                .filter(|_| self.accounted_run(run.group) == Some(index));
            self.push_run(run, accounted, &at, &mut events);
        }
        let trace = json!({
            "traceEvents": events,
            "displayTimeUnit": "ms",
            "otherData": about,
        });
        Ok(serde_json::to_string(&trace)? + "\n")
    }

    /// The timed parallel run of `group` whose wall time is nearest their
    /// median: the run the report's time accounting describes, picked as
    /// the measurement picks it.
    fn accounted_run(&self, group: usize) -> Option<usize> {
        let timed: Vec<(usize, Duration)> = self
            .runs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.group == group && r.side == Side::Parallel && !r.warmup)
            .filter_map(|(i, r)| Some((i, r.wall?)))
            .collect();
        let walls: Vec<Duration> = timed.iter().map(|(_, wall)| *wall).collect();
        let median = crate::stats::Summary::of(&walls).median;
        timed
            .into_iter()
            .min_by_key(|(_, wall)| wall.abs_diff(median))
            .map(|(i, _)| i)
    }

    /// The workers of a group's pool, or as many as its runs' tasks name.
    fn lanes_of(&self, group: usize, board: &TaskBoard) -> usize {
        let pool = self.pools.iter().filter(|p| p.group == group);
        let used = board
            .spans()
            .chain(board.serial_part())
            .map(|s| s.worker + 1);
        pool.map(|p| p.workers).chain(used).max().unwrap_or(1)
    }

    /// The run's own span on its side's track (with the time accounting
    /// when it is the run `accounted` describes), a span per worker of a
    /// parallel run with its measured share, then its serial part and
    /// every finished task on the track of the worker that ran it.
    fn push_run(
        &self,
        run: &RecordedRun,
        accounted: Option<TimeAccounting>,
        at: &impl Fn(Instant, Duration) -> f64,
        events: &mut Vec<Event>,
    ) {
        let pid = run.group as u64 + 1;
        let round = run.round + 1;
        let (side_tid, task_tid): (u64, fn(usize) -> u64) = match run.side {
            Side::Serial => (SERIAL_TID, |_| SERIAL_TID),
            Side::Parallel => (PARALLEL_TID, worker_tid),
        };
        let kind = if run.warmup { "warm-up" } else { "run" };
        let common = json!({ "side": run.side.name(), "round": round, "warmup": run.warmup });
        if let Some(wall) = run.wall {
            let mut args = common.clone();
            if let Some(accounting) = accounted {
                args["time_accounting"] = json!(accounting);
            }
            events.push(
                Event::complete(
                    format!("{} {kind} {round}", run.side.name()),
                    "run",
                    at(run.origin, Duration::ZERO),
                    micros(wall),
                    (pid, side_tid),
                )
                .with_args(args),
            );
            if run.side == Side::Parallel {
                let lanes = self.lanes_of(run.group, &run.board);
                let record = RoundRecord::of(&run.board, lanes, wall);
                for (worker, lane) in record.lanes.iter().enumerate() {
                    let Some(args) = worker_args(lane, wall, &common) else {
                        continue;
                    };
                    events.push(
                        Event::complete(
                            format!("worker {worker}"),
                            "worker",
                            at(run.origin, Duration::ZERO),
                            micros(wall),
                            (pid, worker_tid(worker)),
                        )
                        .with_args(args),
                    );
                }
            }
        }
        let part = run.board.serial_part().map(|span| ("serial part", span));
        let tasks = run.board.spans().map(|span| ("task", span));
        for (cat, span) in part.into_iter().chain(tasks) {
            let Some(end) = span.end else { continue };
            let name = match cat {
                "task" => format!("task {}", span.task),
                _ => cat.to_string(),
            };
            let mut args = common.clone();
            args["worker"] = span.worker.into();
            if cat == "task" {
                args["task"] = span.task.into();
            }
            events.push(
                Event::complete(
                    name,
                    if cat == "task" { "task" } else { "serial" },
                    at(run.origin, span.start),
                    micros(end.saturating_sub(span.start)),
                    (pid, task_tid(span.worker)),
                )
                .with_args(args),
            );
        }
    }

    /// `M` events naming and ordering every process and track: the group
    /// names, the sides, and each worker that a pool had or a task used.
    fn track_names(&self, names: &[String]) -> Vec<Event> {
        let mut events = Vec::new();
        let thread = |events: &mut Vec<Event>, pid, tid, name: String| {
            events.push(Event::metadata(
                "thread_name",
                pid,
                tid,
                json!({ "name": name }),
            ));
            events.push(Event::metadata(
                "thread_sort_index",
                pid,
                tid,
                json!({ "sort_index": tid }),
            ));
        };
        let mut groups: Vec<usize> = self.runs.iter().map(|r| r.group).collect();
        groups.extend(self.pools.iter().map(|p| p.group));
        groups.sort_unstable();
        groups.dedup();
        for index in groups {
            let pid = index as u64 + 1;
            let name = names
                .get(index)
                .cloned()
                .unwrap_or_else(|| format!("part {pid}"));
            events.push(Event::metadata(
                "process_name",
                pid,
                0,
                json!({ "name": name }),
            ));
            events.push(Event::metadata(
                "process_sort_index",
                pid,
                0,
                json!({ "sort_index": pid }),
            ));
            if index == 0 {
                thread(&mut events, pid, MEASUREMENT_TID, "measurement".into());
            }
            let runs = || self.runs.iter().filter(|r| r.group == index);
            if runs().any(|r| r.side == Side::Serial) {
                thread(&mut events, pid, SERIAL_TID, "serial side".into());
            }
            let pool = self.pools.iter().filter(|p| p.group == index);
            let pool_workers = pool.map(|p| p.workers).max();
            let parallel = || runs().filter(|r| r.side == Side::Parallel);
            if pool_workers.is_some() || parallel().next().is_some() {
                thread(&mut events, pid, PARALLEL_TID, "parallel side".into());
            }
            let used = parallel()
                .flat_map(|r| {
                    let part = r.board.serial_part();
                    r.board.spans().chain(part).map(|s| s.worker + 1)
                })
                .max();
            for worker in 0..pool_workers.max(used).unwrap_or(0) {
                thread(
                    &mut events,
                    pid,
                    worker_tid(worker),
                    format!("worker {worker}"),
                );
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::RunTiming;

    fn ms(value: u64) -> Duration {
        Duration::from_millis(value)
    }

    /// A run of 4 tasks of 2 ms on 2 workers, 10 ms after a serial run of
    /// the same tasks, with the pool built in between.
    fn recorded() -> TraceRecorder {
        let zero = Instant::now();
        let mut recorder = TraceRecorder::new(2);
        let serial = Arc::new(TaskBoard::new(4));
        for task in 0..4 {
            serial.record_start(task, 0, ms(2 * task as u64));
            serial.record_end(task, ms(2 * task as u64 + 2));
        }
        let parallel = Arc::new(TaskBoard::new(4));
        for task in 0..4 {
            let wave = task as u64 / 2;
            parallel.record_start(task, task % 2, ms(2 * wave));
            parallel.record_end(task, ms(2 * wave + 2));
        }
        let finished = |wall| RunEvent::Finished {
            side: Side::Serial,
            timing: RunTiming {
                wall,
                cpu: Duration::ZERO,
                checksum: Some(1),
                transfer: None,
            },
        };
        let group = 0;
        let started = |side, board: &Arc<TaskBoard>, origin| RunEvent::Started {
            side,
            round: 0,
            warmup: false,
            board: Arc::clone(board),
            origin,
        };
        recorder.record(group, &started(Side::Serial, &serial, zero));
        recorder.record(group, &finished(ms(8)));
        recorder.record(
            group,
            &RunEvent::PoolBuilt {
                workers: 2,
                began: zero + ms(8),
                took: ms(1),
            },
        );
        recorder.record(group, &started(Side::Parallel, &parallel, zero + ms(10)));
        recorder.record(group, &finished(ms(4)));
        recorder
    }

    fn parsed(recorder: &TraceRecorder) -> Value {
        let context = TraceContext {
            command: "run",
            settings: json!({ "tasks": 4, "workers": 2 }),
            machine: &MachineInfo::synthetic(2, 2),
            groups: vec!["parlab run".into(), "4 workers".into()],
            accounting: vec![Some(TimeAccounting {
                lane: ms(8),
                work: ms(8),
                ..TimeAccounting::default()
            })],
        };
        serde_json::from_str(&recorder.to_json(&context).unwrap()).unwrap()
    }

    fn events<'a>(trace: &'a Value, cat: &str) -> Vec<&'a Value> {
        trace["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["cat"] == cat)
            .collect()
    }

    #[test]
    fn tasks_land_on_the_track_of_their_worker_in_microseconds() {
        let trace = parsed(&recorded());
        let tasks = events(&trace, "task");
        assert_eq!(tasks.len(), 8);
        let on = |tid: u64| tasks.iter().filter(|e| e["tid"] == tid).count();
        assert_eq!(
            (on(SERIAL_TID), on(worker_tid(0)), on(worker_tid(1))),
            (4, 2, 2)
        );
        let last = tasks.last().unwrap();
        assert_eq!(last["name"], "task 3");
        assert_eq!(
            (last["ts"].as_f64(), last["dur"].as_f64()),
            (Some(12_000.0), Some(2_000.0))
        );
        assert_eq!(last["args"]["worker"], 1);
        assert!(tasks.iter().all(|e| e["ph"] == "X" && e["pid"] == 1));
    }

    #[test]
    fn the_pool_and_every_run_get_their_own_span() {
        let trace = parsed(&recorded());
        let pool = events(&trace, "pool");
        assert_eq!(pool.len(), 1);
        assert_eq!(
            (pool[0]["ts"].as_f64(), pool[0]["dur"].as_f64()),
            (Some(8_000.0), Some(1_000.0))
        );
        assert_eq!(pool[0]["tid"], PARALLEL_TID);
        let runs: Vec<_> = events(&trace, "run")
            .iter()
            .map(|e| e["name"].clone())
            .collect();
        assert_eq!(runs, [json!("serial run 1"), json!("parallel run 1")]);
        let measurement = &events(&trace, "measurement")[0];
        assert_eq!(measurement["dur"].as_f64(), Some(14_000.0));
        assert_eq!(measurement["args"]["settings"]["workers"], 2);
        assert_eq!(trace["otherData"]["machine"]["logical_cpus"], 2);
    }

    #[test]
    fn the_accounted_run_carries_the_time_accounting_and_each_worker_its_share() {
        let trace = parsed(&recorded());
        let runs = events(&trace, "run");
        assert!(runs[0]["args"].get("time_accounting").is_none(), "serial");
        let accounting = &runs[1]["args"]["time_accounting"];
        assert_eq!(
            (accounting["lane_s"].as_f64(), accounting["work_s"].as_f64()),
            (Some(0.008), Some(0.008))
        );
        assert!(accounting.get("waited_for_cpu_s").is_some());
        let workers = events(&trace, "worker");
        assert_eq!(workers.len(), 2);
        let first = &workers[0]["args"];
        assert_eq!(workers[0]["tid"], worker_tid(0));
        assert_eq!(workers[0]["dur"].as_f64(), Some(4_000.0));
        assert_eq!(first["tasks"], 2);
        assert_eq!(
            (
                first["in_tasks_s"].as_f64(),
                first["before_first_s"].as_f64(),
                first["after_last_s"].as_f64()
            ),
            (Some(0.004), Some(0.0), Some(0.0))
        );
    }

    #[test]
    fn metadata_names_every_track_a_task_uses() {
        let trace = parsed(&recorded());
        let names: Vec<(u64, String)> = trace["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
            .map(|e| {
                (
                    e["tid"].as_u64().unwrap(),
                    e["args"]["name"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let expected = [
            (MEASUREMENT_TID, "measurement"),
            (SERIAL_TID, "serial side"),
            (PARALLEL_TID, "parallel side"),
            (worker_tid(0), "worker 0"),
            (worker_tid(1), "worker 1"),
        ]
        .map(|(tid, name)| (tid, name.to_string()));
        assert_eq!(names, expected);
    }

    #[test]
    fn a_second_group_is_a_second_process() {
        let mut recorder = recorded();
        let board = Arc::new(TaskBoard::new(1));
        board.record_start(0, 0, Duration::ZERO);
        board.record_end(0, ms(1));
        recorder.record(
            1,
            &RunEvent::Started {
                side: Side::Parallel,
                round: 0,
                warmup: true,
                board,
                origin: Instant::now(),
            },
        );
        let trace = parsed(&recorder);
        let tasks = events(&trace, "task");
        let last = tasks.last().unwrap();
        assert_eq!(
            (last["pid"].as_u64(), last["args"]["warmup"].as_bool()),
            (Some(2), Some(true))
        );
    }

    #[test]
    fn oversized_traces_are_refused_before_measuring() {
        assert!(check_size(MAX_TRACE_TASKS).is_ok());
        let err = check_size(MAX_TRACE_TASKS + 1).unwrap_err().to_string();
        assert!(err.contains("use fewer --tasks or --repeat"), "{err}");
    }
}
