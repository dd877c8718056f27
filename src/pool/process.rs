//! A pool of worker processes of parlab itself, the way `multiprocessing`
//! builds one: each worker is this same binary started with a hidden
//! subcommand, gets the work once, then takes one task at a time over its
//! stdin and answers on its stdout (like `Pool.map` with chunksize 1).
//!
//! The parent keeps one dispatcher thread per worker, which takes the next
//! task number from a shared counter, sends it (with the payload, when the
//! work has one) and waits for the answer. The worker times its own work, so
//! the round trip minus the work is what the pipe hop cost: the per-task
//! transfer.
//!
//! A worker never outlives its parent: it exits on EOF of its stdin (the
//! parent is done, or gone), and a watch thread ends it within a tenth of a
//! second once its parent process has died, even in the middle of a task.

use crate::accounting::{ClockReading, LaneClock};
#[cfg_attr(not(unix), path = "process/other.rs")]
#[cfg_attr(unix, path = "process/unix.rs")]
mod os;

use crate::board::TaskBoard;
use crate::runner::{RunTiming, TIMED_TASK_MS, run_serial_part, thread_cpu};
use crate::workload::Workload;
use anyhow::Context;
use std::io::{BufReader, BufWriter, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Barrier, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The hidden subcommand a worker process is started with.
pub const WORKER_COMMAND: &str = "pool-worker";

/// What a worker says once it holds the work and can take tasks.
const READY: u64 = 0x7061_726c_6162_0001;

/// Largest work description a worker accepts (the JSON is a few hundred
/// bytes; this only guards against a stray writer).
const MAX_HEADER: u64 = 1 << 20;

/// How often the parent looks at the cancel flag while tasks run.
const CANCEL_POLL: Duration = Duration::from_millis(20);

/// Started worker processes, each behind its own pipes.
pub struct ProcessPool {
    lanes: Vec<Mutex<Lane>>,
    children: Mutex<Vec<Child>>,
}

/// The parent's end of one worker.
struct Lane {
    pid: u32,
    to_worker: ChildStdin,
    from_worker: BufReader<ChildStdout>,
    /// The worker's own CPU time as of its last answer.
    cpu: Duration,
    message: Vec<u8>,
    result: Vec<u8>,
}

/// One answer from a worker.
struct Answer {
    checksum: u64,
    work: Duration,
    /// The task's own CPU time, where the worker timed it.
    cpu: Option<Duration>,
}

impl ProcessPool {
    /// Starts `workers` worker processes for `work` and waits until every
    /// one has the work and can take a task; returns the time that took.
    pub fn start(workers: usize, work: &Workload) -> anyhow::Result<(Self, Duration)> {
        let exe = std::env::current_exe().context("cannot find parlab's own binary")?;
        let header = serde_json::to_vec(work)?;
        let started = Instant::now();
        let pool = Self {
            lanes: Vec::with_capacity(workers),
            children: Mutex::new(Vec::with_capacity(workers)),
        };
        let mut pool = pool;
        // Every worker is started on a thread of its own, so the process
        // starts (fork, exec, loading the binary) overlap instead of
        // queueing: the pool is ready when its slowest worker is.
        let started_children: Vec<anyhow::Result<Child>> = std::thread::scope(|scope| {
            let starts: Vec<_> = (0..workers)
                .map(|_| scope.spawn(|| start_worker(&exe, &header)))
                .collect();
            starts
                .into_iter()
                .map(|start| {
                    start
                        .join()
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("a worker start failed")))
                })
                .collect()
        });
        let mut first_error = None;
        for child in started_children {
            match child {
                Ok(mut child) => {
                    let (Some(to_worker), Some(from_worker)) =
                        (child.stdin.take(), child.stdout.take())
                    else {
                        pool.lock_children().push(child);
                        anyhow::bail!("a worker process has no pipes");
                    };
                    pool.lanes.push(Mutex::new(Lane {
                        pid: child.id(),
                        to_worker,
                        from_worker: BufReader::new(from_worker),
                        cpu: Duration::ZERO,
                        message: Vec::new(),
                        result: Vec::new(),
                    }));
                    pool.lock_children().push(child);
                }
                Err(why) => {
                    first_error.get_or_insert(why);
                }
            }
        }
        // Dropping the pool ends the workers that did start.
        if let Some(why) = first_error {
            return Err(why);
        }
        for lane in &pool.lanes {
            let mut lane = lock(lane)?;
            let pid = lane.pid;
            lane.await_ready()
                .with_context(|| format!("worker process {pid} did not start"))?;
        }
        Ok((pool, started.elapsed()))
    }

    /// Number of worker processes.
    pub fn workers(&self) -> usize {
        self.lanes.len()
    }

    /// The worker processes' ids, lane by lane.
    pub fn pids(&self) -> Vec<u32> {
        self.lanes
            .iter()
            .filter_map(|lane| lane.lock().ok().map(|lane| lane.pid))
            .collect()
    }

    /// Each worker's clocks now: its main thread's `schedstat` where the
    /// OS shows it, else the CPU time it last reported. Read between
    /// rounds, never while a lane feeds its worker.
    fn lane_clocks(&self) -> Vec<ClockReading> {
        self.lanes
            .iter()
            .map(|lane| match lane.lock() {
                Ok(lane) => ClockReading::process(lane.pid, lane.cpu),
                Err(_) => ClockReading::default(),
            })
            .collect()
    }

    fn lock_children(&self) -> std::sync::MutexGuard<'_, Vec<Child>> {
        self.children
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Ends every worker at once: a cancel must not wait for a long task.
    fn kill_all(&self) {
        for child in self.lock_children().iter_mut() {
            let _ = child.kill();
        }
    }

    /// `why` a lane failed, with how its worker ended when it died: one
    /// line, such as "worker process 123 died in the middle of task 7
    /// (signal: 9 (SIGKILL))".
    fn explain(&self, why: anyhow::Error) -> anyhow::Error {
        let Some(stopped) = why.downcast_ref::<LaneStopped>() else {
            return why;
        };
        let pid = stopped.pid;
        let status = self
            .lock_children()
            .iter_mut()
            .find(|child| child.id() == pid)
            .and_then(|child| child.try_wait().ok().flatten());
        match status {
            Some(status) => anyhow::anyhow!("{why} ({status})"),
            None => why,
        }
    }

    /// Runs the serial part (if any) here, then every task on the workers,
    /// one at a time each, recording every task on `board`.
    pub fn run_round(
        &self,
        work: &Workload,
        board: &TaskBoard,
        cancel: &AtomicBool,
        on_start: &mut dyn FnMut(Instant),
    ) -> anyhow::Result<RunTiming> {
        for (lane, pid) in self.pids().into_iter().enumerate() {
            board.set_lane_id(lane, pid);
        }
        let next = AtomicUsize::new(0);
        let go = Barrier::new(self.lanes.len() + 1);
        let origin_slot = OnceLock::new();
        let (tx, rx) = mpsc::channel();
        let own_cpu = thread_cpu();
        let before = self.lane_clocks();
        std::thread::scope(|scope| {
            for (index, lane) in self.lanes.iter().enumerate() {
                let (tx, go, origin_slot, next) = (tx.clone(), &go, &origin_slot, &next);
                scope.spawn(move || {
                    go.wait();
                    if let Some(&origin) = origin_slot.get() {
                        let dispatch = Dispatch {
                            work,
                            board,
                            origin,
                            next,
                            cancel,
                        };
                        let _ = tx.send(dispatch.feed(index, lane).map(|t| (index, t)));
                    }
                });
            }
            drop(tx);
            let origin = Instant::now();
            on_start(origin);
            let _ = origin_slot.set(origin);
            let head = run_serial_part(work, board, origin, cancel, 0);
            go.wait();
            let mut total = LaneTotals {
                checksum: head,
                ..LaneTotals::default()
            };
            let mut hand_offs = vec![Duration::ZERO; self.lanes.len()];
            let mut failure = None;
            let mut killed = false;
            loop {
                match rx.recv_timeout(CANCEL_POLL) {
                    Ok(Ok((index, lane))) => {
                        total.add(&lane);
                        if let Some(slot) = hand_offs.get_mut(index) {
                            *slot = lane.transfer;
                        }
                    }
                    Ok(Err(why)) => {
                        if failure.is_none() && !cancel.load(Ordering::Relaxed) {
                            failure = Some(why);
                            self.kill_all();
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => {
                        if !killed && cancel.load(Ordering::Relaxed) {
                            killed = true;
                            self.kill_all();
                        }
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
            let wall = origin.elapsed();
            if let Some(why) = failure {
                return Err(self.explain(why));
            }
            let after = self.lane_clocks();
            for (lane, ((now, was), hand_off)) in
                after.into_iter().zip(before).zip(hand_offs).enumerate()
            {
                board.set_lane_clock(
                    lane,
                    LaneClock {
                        hand_off,
                        ..now.since(was)
                    },
                );
            }
            let cancelled = cancel.load(Ordering::Relaxed);
            Ok(RunTiming {
                wall,
                cpu: total.cpu + thread_cpu().saturating_sub(own_cpu),
                checksum: (!cancelled).then_some(total.checksum),
                transfer: (total.tasks > 0).then(|| total.transfer / total.tasks as u32),
            })
        })
    }
}

/// Starts one worker process and sends it the work; the caller waits for
/// it to say it is ready.
fn start_worker(exe: &std::path::Path, header: &[u8]) -> anyhow::Result<Child> {
    let mut child = Command::new(exe)
        .arg(WORKER_COMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot start a worker process")?;
    let sent = child.stdin.as_mut().map(|to_worker| {
        to_worker
            .write_all(&(header.len() as u64).to_le_bytes())
            .and_then(|()| to_worker.write_all(header))
    });
    if let Some(Err(why)) = sent {
        let _ = child.kill();
        let _ = child.wait();
        return Err(why.into());
    }
    Ok(child)
}

impl Drop for ProcessPool {
    fn drop(&mut self) {
        self.lanes.clear();
        for child in self.lock_children().iter_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn lock(lane: &Mutex<Lane>) -> anyhow::Result<std::sync::MutexGuard<'_, Lane>> {
    lane.lock()
        .map_err(|_| anyhow::anyhow!("a worker lane failed earlier"))
}

/// A worker that stopped answering in the middle of a task: it died (was
/// killed, ran out of memory) or closed its pipes.
#[derive(Debug, thiserror::Error)]
#[error("worker process {pid} died in the middle of task {task}")]
struct LaneStopped {
    pid: u32,
    task: usize,
}

/// What one dispatcher thread needs to feed its worker.
struct Dispatch<'a> {
    work: &'a Workload,
    board: &'a TaskBoard,
    origin: Instant,
    next: &'a AtomicUsize,
    cancel: &'a AtomicBool,
}

/// What one lane did in a round.
#[derive(Default)]
struct LaneTotals {
    checksum: u64,
    transfer: Duration,
    tasks: usize,
    cpu: Duration,
}

impl LaneTotals {
    fn add(&mut self, other: &Self) {
        self.checksum = self.checksum.wrapping_add(other.checksum);
        self.transfer += other.transfer;
        self.tasks += other.tasks;
        self.cpu += other.cpu;
    }
}

impl Dispatch<'_> {
    /// Hands tasks to the worker of lane `index` until none are left.
    fn feed(&self, index: usize, lane: &Mutex<Lane>) -> anyhow::Result<LaneTotals> {
        let mut lane = lock(lane)?;
        let (own_cpu, worker_cpu) = (thread_cpu(), lane.cpu);
        let mut totals = LaneTotals::default();
        while !self.cancel.load(Ordering::Relaxed) {
            let task = self.next.fetch_add(1, Ordering::Relaxed);
            if task >= self.work.tasks() {
                break;
            }
            self.board.record_start(task, index, self.origin.elapsed());
            let sent = Instant::now();
            let answer = match lane.round_trip(task, self.work.payload()) {
                Ok(answer) => answer,
                Err(_) if self.cancel.load(Ordering::Relaxed) => break,
                Err(_) => {
                    return Err(LaneStopped {
                        pid: lane.pid,
                        task,
                    }
                    .into());
                }
            };
            let trip = sent.elapsed();
            if let Some(cpu) = answer.cpu {
                self.board.record_cpu(task, cpu);
            }
            self.board.record_end(task, self.origin.elapsed());
            totals.checksum = totals.checksum.wrapping_add(answer.checksum);
            totals.transfer += trip.saturating_sub(answer.work);
            totals.tasks += 1;
        }
        totals.cpu = lane.cpu.saturating_sub(worker_cpu) + thread_cpu().saturating_sub(own_cpu);
        Ok(totals)
    }
}

impl Lane {
    fn await_ready(&mut self) -> anyhow::Result<()> {
        if read_u64(&mut self.from_worker)? != READY {
            anyhow::bail!("it answered something other than ready");
        }
        self.cpu = Duration::from_nanos(read_u64(&mut self.from_worker)?);
        Ok(())
    }

    /// Sends one task (and its input) and reads the answer (and its result,
    /// which is as long as the input).
    fn round_trip(&mut self, task: usize, input: &[u8]) -> anyhow::Result<Answer> {
        self.message.clear();
        self.message.extend_from_slice(&(task as u64).to_le_bytes());
        self.message.extend_from_slice(input);
        self.to_worker.write_all(&self.message)?;
        let checksum = read_u64(&mut self.from_worker)?;
        let work = Duration::from_nanos(read_u64(&mut self.from_worker)?);
        self.cpu = Duration::from_nanos(read_u64(&mut self.from_worker)?);
        let cpu = read_u64(&mut self.from_worker)?;
        self.result.resize(input.len(), 0);
        self.from_worker.read_exact(&mut self.result)?;
        Ok(Answer {
            checksum,
            work,
            cpu: cpu.checked_sub(1).map(Duration::from_nanos),
        })
    }
}

fn read_u64(from: &mut impl Read) -> std::io::Result<u64> {
    let mut word = [0u8; 8];
    from.read_exact(&mut word)?;
    Ok(u64::from_le_bytes(word))
}

/// The worker side: what `parlab pool-worker` does. Serves tasks on stdin
/// and stdout until the parent closes the pipe or dies.
pub fn serve_worker() -> anyhow::Result<()> {
    let input = std::io::stdin().lock();
    let output = BufWriter::new(std::io::stdout().lock());
    // The parent watch starts once the worker has said it is ready, so
    // its thread (and on Windows its look at every process) is not part
    // of the pool's start-up; before then a parent that dies closes the
    // pipe, and the worker ends at the end of its input.
    serve(input, output, os::watch_parent)
}

/// Reads the work, says ready, calls `on_ready`, then answers every task
/// until EOF.
fn serve(
    mut input: impl Read,
    mut output: impl Write,
    on_ready: impl FnOnce(),
) -> anyhow::Result<()> {
    let len = read_u64(&mut input).context("no work was sent")?;
    if len > MAX_HEADER {
        anyhow::bail!("the work description is too long ({len} bytes)");
    }
    let mut header = vec![0; len as usize];
    input.read_exact(&mut header)?;
    let work: Workload = serde_json::from_slice(&header).context("unreadable work")?;
    check_header(&work).map_err(|why| anyhow::anyhow!("refused work: {why}"))?;
    output.write_all(&READY.to_le_bytes())?;
    output.write_all(&own_cpu_ns().to_le_bytes())?;
    output.flush()?;
    on_ready();
    let never = AtomicBool::new(false);
    let mut task_input = vec![0; work.payload_kb() * 1024];
    let mut result = Vec::with_capacity(task_input.len());
    loop {
        let task = match read_u64(&mut input) {
            Ok(task) => task as usize,
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        if task >= work.tasks() {
            anyhow::bail!("task {task} is not in the plan");
        }
        input.read_exact(&mut task_input)?;
        let timed = work.task_ms() >= TIMED_TASK_MS;
        let cpu = timed.then(thread_cpu);
        let started = Instant::now();
        let checksum = work.run_task_on(task, &task_input, &mut result, &never);
        let took = started.elapsed();
        // The task's CPU time + 1 ns, or 0 where it was not timed.
        let task_cpu = cpu.map_or(0, |was| {
            thread_cpu().saturating_sub(was).as_nanos() as u64 + 1
        });
        output.write_all(&checksum.to_le_bytes())?;
        output.write_all(&(took.as_nanos() as u64).to_le_bytes())?;
        output.write_all(&own_cpu_ns().to_le_bytes())?;
        output.write_all(&task_cpu.to_le_bytes())?;
        output.write_all(&result)?;
        output.flush()?;
    }
}

/// Most units of work a nominal CPU task may be sized to: a billion
/// hundred million iterations per millisecond is far above any core, so only a header no
/// parlab wrote reaches it.
const MOST_UNITS_PER_MS: f64 = 1e8;

/// Checks the work a worker was sent as any input is checked: every field
/// within what parlab itself would send, so a stray or hostile writer gets
/// a refusal, not a panic (a negative sleep), an abort (a huge buffer) or a
/// task that never ends.
fn check_header(work: &Workload) -> Result<(), String> {
    use crate::config::{MAX_TASK_MS, MAX_TASKS, MIN_TASK_MS};
    if !(1..=MAX_TASKS).contains(&work.tasks()) {
        return Err(format!("{} tasks", work.tasks()));
    }
    if !(MIN_TASK_MS..=MAX_TASK_MS).contains(&work.task_ms()) {
        return Err(format!("a task of {} ms", work.task_ms()));
    }
    if work.payload_kb() > crate::workload::MAX_PAYLOAD_KB {
        return Err(format!("a payload of {} KB", work.payload_kb()));
    }
    if !(0.0..1.0).contains(&work.serial_fraction()) {
        return Err(format!("a serial fraction of {}", work.serial_fraction()));
    }
    let per_ms = match work.kind() {
        crate::workload::WorkloadKind::Sleep => 1.0,
        crate::workload::WorkloadKind::Memory => {
            return Err("the memory workload, which no process pool runs".into());
        }
        _ => MOST_UNITS_PER_MS,
    };
    let most = per_ms * work.task_ms();
    if !(work.unit().is_finite() && work.unit() >= 0.0 && work.unit() <= most) {
        return Err(format!("a task unit of {}", work.unit()));
    }
    Ok(())
}

/// This process's CPU time so far, in nanoseconds (0 where unknown).
fn own_cpu_ns() -> u64 {
    cpu_time::ProcessTime::try_now().map_or(0, |t| t.as_duration().as_nanos() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::WorkloadKind;

    fn conversation(work: &Workload, tasks: &[usize]) -> Vec<u8> {
        let header = serde_json::to_vec(work).unwrap();
        let mut sent = (header.len() as u64).to_le_bytes().to_vec();
        sent.extend_from_slice(&header);
        for &task in tasks {
            sent.extend_from_slice(&(task as u64).to_le_bytes());
            sent.extend_from_slice(work.payload());
        }
        sent
    }

    #[test]
    fn a_worker_answers_each_task_with_the_checksum_threads_would_get() {
        let work = Workload::prepare(WorkloadKind::Cpu, 3, 0.01).with_payload_kb(1);
        let mut answers = Vec::new();
        serve(&conversation(&work, &[2, 0])[..], &mut answers, || {}).unwrap();
        let mut reader = &answers[..];
        assert_eq!(read_u64(&mut reader).unwrap(), READY);
        read_u64(&mut reader).unwrap();
        let never = AtomicBool::new(false);
        for task in [2, 0] {
            assert_eq!(read_u64(&mut reader).unwrap(), work.run_task(task, &never));
            read_u64(&mut reader).unwrap();
            read_u64(&mut reader).unwrap();
            assert_eq!(
                read_u64(&mut reader).unwrap(),
                0,
                "a 0.01 ms task is not timed"
            );
            let (result, rest) = reader.split_at(1024);
            let mut expected = Vec::new();
            crate::workload::payload_result(task, work.payload(), &mut expected);
            assert_eq!(result, expected);
            reader = rest;
        }
        assert!(reader.is_empty());
    }

    #[test]
    fn a_worker_refuses_a_task_outside_the_plan_and_garbage() {
        let work = Workload::prepare(WorkloadKind::Sleep, 2, 0.01);
        let err = serve(&conversation(&work, &[5])[..], Vec::new(), || {}).unwrap_err();
        assert!(err.to_string().contains("not in the plan"), "{err}");
        assert!(serve(&[1u8, 2, 3][..], Vec::new(), || {}).is_err());
        let huge = u64::MAX.to_le_bytes();
        assert!(serve(&huge[..], Vec::new(), || {}).is_err());
    }

    #[test]
    fn a_worker_refuses_a_header_no_parlab_would_send() {
        let sleep = Workload::prepare(WorkloadKind::Sleep, 2, 1.0);
        let cpu = Workload::prepare(WorkloadKind::Cpu, 2, 0.01);
        let json = |work: &Workload| serde_json::to_value(work).unwrap();
        let mut bad = Vec::new();
        for (field, value) in [("unit", -5.0), ("unit", 1e300), ("task_ms", -1.0)] {
            let mut header = json(&sleep);
            header[field] = serde_json::json!(value);
            bad.push(header);
        }
        let mut header = json(&cpu);
        header["unit"] = serde_json::json!(1e300);
        bad.push(header);
        let mut header = json(&cpu);
        header["payload_kb"] = serde_json::json!(4_000_000_000u64);
        bad.push(header);
        let mut header = json(&cpu);
        header["tasks"] = serde_json::json!(0);
        bad.push(header);
        let mut header = json(&cpu);
        header["kind"] = serde_json::json!("memory");
        bad.push(header);
        for header in bad {
            let text = serde_json::to_vec(&header).unwrap();
            let mut sent = (text.len() as u64).to_le_bytes().to_vec();
            sent.extend_from_slice(&text);
            sent.extend_from_slice(&0u64.to_le_bytes());
            let mut answers = Vec::new();
            let err = serve(&sent[..], &mut answers, || {}).unwrap_err();
            assert!(err.to_string().contains("refused work"), "{header}: {err}");
            assert!(answers.is_empty(), "never ready: {header}");
        }
    }
}
