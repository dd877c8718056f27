//! CPython as a measured subject: the interpreter as users have it on PATH
//! (`python3`, `python`, or the `py -3` launcher of Windows; `--python`
//! overrides) runs the embedded driver script, which sizes the work
//! in that interpreter and runs `map` serially and on
//! `multiprocessing.Pool` or `multiprocessing.pool.ThreadPool`.
//!
//! Task events stream back one line each while the tasks run and land on
//! the same task board as parlab's own tasks, so the lanes fill live. Wall
//! and CPU times are taken inside the interpreter around `map` itself,
//! exactly where a learner's `%timeit` would take them.

use crate::accounting::LaneClock;
use crate::board::TaskBoard;
use crate::exit::Misuse;
use crate::pool::Pool;
use crate::runner::RunTiming;
use crate::workload::{Workload, WorkloadKind};
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The driver script, shipped inside the binary.
const DRIVER: &str = include_str!("driver.py");

/// How often a wait on the driver looks at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(20);

/// Longest wait for the interpreter to start, size the work or create a
/// pool: far beyond what any of them takes, short enough not to hang.
const SETUP_LIMIT: Duration = Duration::from_secs(60);

/// The interpreter `--python` named, set once at start.
static INTERPRETER: OnceLock<PathBuf> = OnceLock::new();

/// Uses `path` instead of looking for Python on PATH, for every Python pool.
pub fn set_interpreter(path: PathBuf) {
    let _ = INTERPRETER.set(path);
}

/// The interpreter `--python` named, if it was given.
pub fn chosen_interpreter() -> Option<&'static std::path::Path> {
    INTERPRETER.get().map(PathBuf::as_path)
}

/// A wait on the interpreter that the user cancelled: the measurement
/// ends as cancelled, not as failed.
#[derive(Debug, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

/// How long a stopped driver gets to end its workers and exit before its
/// whole process group is killed: a cancel must not wait for an
/// interpreter that does not read its stdin.
const STOP_GRACE: Duration = Duration::from_millis(200);

/// One way to start Python: a program and the arguments before the script.
#[derive(Clone, Debug, PartialEq)]
pub struct Interpreter {
    program: PathBuf,
    args: &'static [&'static str],
}

impl Interpreter {
    fn new(program: impl Into<PathBuf>, args: &'static [&'static str]) -> Self {
        Self {
            program: program.into(),
            args,
        }
    }

    /// A command that starts this interpreter; the caller adds the rest.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(self.args);
        command
    }

    /// How a user would type it: `python3`, `py -3`.
    pub fn describe(&self) -> String {
        std::iter::once(self.program.display().to_string())
            .chain(self.args.iter().map(|a| (*a).to_string()))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The interpreters to try, in order: the one `--python` named, or else
/// the names Python has where users install it (`python3` on Linux and
/// macOS; `python` and the `py -3` launcher on Windows, where `python3` is
/// often missing or a stub that opens the app store).
pub fn interpreters() -> Vec<Interpreter> {
    match INTERPRETER.get() {
        Some(path) => vec![Interpreter::new(path.clone(), &[])],
        None => vec![
            Interpreter::new("python3", &[]),
            Interpreter::new("python", &[]),
            Interpreter::new("py", &["-3"]),
        ],
    }
}

/// The workers CPython's `Pool()` starts without a size here:
/// `os.process_cpu_count()` (3.13 and later: the affinity mask) or else
/// `os.cpu_count()` (every CPU); never the cgroup quota. `None` without a
/// Python that answers.
pub fn default_pool_workers() -> Option<usize> {
    const ASK: &str =
        "import os; print((getattr(os, 'process_cpu_count', None) or os.cpu_count)())";
    interpreters().iter().find_map(|python| {
        let out = python
            .command()
            .args(["-c", ASK])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        String::from_utf8(out.stdout).ok()?.trim().parse().ok()
    })
}

/// How `multiprocessing` starts a process pool's workers. Without one,
/// Python's default for the platform: fork on Linux before 3.14,
/// forkserver from 3.14, spawn on macOS and Windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum StartMethod {
    /// A copy of the driver: fastest to start, Unix only.
    Fork,
    /// A fresh interpreter that imports the work: the default on macOS
    /// and Windows.
    Spawn,
    /// Forks from a clean server process started once.
    Forkserver,
}

impl StartMethod {
    /// The name `multiprocessing.get_context` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Fork => "fork",
            Self::Spawn => "spawn",
            Self::Forkserver => "forkserver",
        }
    }
}

/// What the interpreter said about itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PythonInfo {
    /// `CPython`, or another implementation's name.
    pub implementation: String,
    /// Its version, such as `3.12.4`.
    pub version: String,
    /// Whether the GIL is on: `sys._is_gil_enabled()` where it exists,
    /// otherwise on. With it off (a free-threaded build), threads compute
    /// in parallel.
    pub gil: bool,
    /// How `multiprocessing` starts workers here: fork, spawn or forkserver.
    pub start_method: String,
    /// The interpreter's own path.
    pub executable: String,
}

impl PythonInfo {
    /// One line for a report: `CPython 3.12.4, GIL on (fork)`.
    pub fn describe(&self) -> String {
        let gil = if self.gil {
            "GIL on"
        } else {
            "GIL off: free-threaded, threads compute in parallel"
        };
        format!(
            "{} {}, {gil}, workers start by {}",
            self.implementation, self.version, self.start_method
        )
    }
}

/// A running driver: one interpreter serving one measurement.
pub struct Driver {
    child: Mutex<Child>,
    input: Mutex<Option<ChildStdin>>,
    lines: Mutex<Receiver<String>>,
    info: PythonInfo,
    workers: AtomicUsize,
    /// Whether the pool started last is made of processes.
    processes: AtomicBool,
    broken: AtomicBool,
    /// The private folder holding the script, removed with the driver.
    _script_dir: tempfile::TempDir,
}

/// One parsed event line.
#[derive(Debug, PartialEq)]
enum Event<'a> {
    Hello(&'a str),
    Ready,
    PoolBuilt(u64),
    Begin(u64),
    Start {
        task: Option<usize>,
        id: u64,
        at: u64,
    },
    End {
        task: Option<usize>,
        at: u64,
        cpu: u64,
    },
    Done {
        wall: u64,
        cpu: u64,
        checksum: u64,
    },
    Clock {
        id: u64,
        cpu: u64,
        delay: u64,
    },
    /// Pickling the round's tasks and results, measured after it.
    Pickled(u64),
    Failed(&'a str),
    Other,
}

fn parse(line: &str) -> Event<'_> {
    let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
    let mut fields = rest.split(' ');
    let mut number = || fields.next().and_then(|f| f.parse::<u64>().ok());
    let task = |field: Option<&str>| field.and_then(|f| f.parse::<usize>().ok());
    match tag {
        "H" => Event::Hello(rest),
        "R" => Event::Ready,
        "X" => Event::Failed(rest),
        "P" => number().map_or(Event::Other, Event::PoolBuilt),
        "B" => number().map_or(Event::Other, Event::Begin),
        "K" => number().map_or(Event::Other, Event::Pickled),
        "W" => {
            let mut next = || number();
            match (next(), next(), next()) {
                (Some(id), Some(cpu), Some(delay)) => Event::Clock { id, cpu, delay },
                _ => Event::Other,
            }
        }
        "S" | "E" | "D" => {
            let mut all = rest.split(' ');
            let first = all.next();
            let numbers: Vec<u64> = all.filter_map(|f| f.parse().ok()).collect();
            match (tag, numbers.as_slice()) {
                ("S", &[id, at]) => Event::Start {
                    task: task(first),
                    id,
                    at,
                },
                ("E", &[at, cpu]) => Event::End {
                    task: task(first),
                    at,
                    cpu,
                },
                ("D", &[cpu, checksum]) => match first.and_then(|f| f.parse().ok()) {
                    Some(wall) => Event::Done {
                        wall,
                        cpu,
                        checksum,
                    },
                    None => Event::Other,
                },
                _ => Event::Other,
            }
        }
        _ => Event::Other,
    }
}

/// The setup command: the work as the interpreter needs it.
#[derive(Serialize)]
struct Setup {
    cmd: &'static str,
    kind: &'static str,
    tasks: usize,
    task_ms: f64,
    first_weight: f64,
    weight: f64,
    serial_ms: f64,
    payload_kb: usize,
    start_method: Option<&'static str>,
}

/// Why one interpreter could not serve.
enum Refusal {
    /// It is not there: the next one may be.
    Missing,
    /// It is there but not a Python 3.8 or newer that runs the driver (an
    /// old Python, an app-store stub): the next one may be.
    Unfit(anyhow::Error),
    /// It ran the driver and failed.
    Failed(anyhow::Error),
}

impl Driver {
    /// Starts the first interpreter that runs the driver, checks it, and
    /// sizes `work` in it; a process pool will start its workers by
    /// `start_method` (`None`: Python's default here).
    pub fn start(
        work: &Workload,
        start_method: Option<StartMethod>,
        cancel: &AtomicBool,
    ) -> anyhow::Result<Self> {
        if let Some(path) = chosen_interpreter().filter(|path| path.is_dir()) {
            return Err(Misuse(format!(
                "--python {} is a folder, not a Python interpreter",
                path.display()
            ))
            .into());
        }
        let tried = interpreters();
        let mut unfit = None;
        for python in &tried {
            match Self::start_one(python, work, start_method, cancel) {
                Ok(driver) => return Ok(driver),
                Err(Refusal::Failed(why)) => return Err(why),
                Err(Refusal::Unfit(why)) => {
                    unfit.get_or_insert(why);
                }
                Err(Refusal::Missing) => {}
            }
        }
        let names: Vec<String> = tried.iter().map(Interpreter::describe).collect();
        let missing = match names.as_slice() {
            [one] => format!("{one} was not found"),
            all => format!("none of {} was found", all.join(", ")),
        };
        Err(unfit.unwrap_or_else(|| {
            let why = format!(
                "the Python pools need CPython: {missing} (install Python, or give one with --python PATH)"
            );
            // A path the user named that is not there is a bad option, not a
            // failed measurement.
            match chosen_interpreter() {
                Some(_) => Misuse(why).into(),
                None => anyhow::anyhow!(why),
            }
        }))
    }

    fn start_one(
        python: &Interpreter,
        work: &Workload,
        start_method: Option<StartMethod>,
        cancel: &AtomicBool,
    ) -> Result<Self, Refusal> {
        let mut driver = Self::launch(python)?;
        let hello = driver
            .wait_for(cancel, |e| match e {
                Event::Hello(json) => Some(json.to_string()),
                _ => None,
            })
            .map_err(|why| {
                if why.is::<Cancelled>() {
                    return Refusal::Failed(why);
                }
                let says = match version_of(python) {
                    Some(version) => format!("its --version says \"{version}\""),
                    None => "it gives no version".to_string(),
                };
                Refusal::Unfit(why.context(format!(
                    "{} is no Python 3.8 or newer that runs parlab's driver ({says})",
                    python.describe()
                )))
            })?;
        driver.info = serde_json::from_str(&hello)
            .context("the Python driver's greeting")
            .map_err(Refusal::Unfit)?;
        if let Some(method) = start_method {
            driver.info.start_method = method.name().to_string();
        }
        driver
            .send(&Setup {
                cmd: "setup",
                kind: match work.kind() {
                    WorkloadKind::Sleep | WorkloadKind::SerialFractionWaiting => "sleep",
                    _ => "cpu",
                },
                tasks: work.tasks(),
                task_ms: work.task_ms(),
                first_weight: work.weight(0),
                weight: work.weight(1),
                serial_ms: work.serial_part_ms(),
                payload_kb: work.payload_kb(),
                start_method: start_method.map(StartMethod::name),
            })
            .map_err(Refusal::Failed)?;
        driver
            .wait_for(cancel, |e| matches!(e, Event::Ready).then_some(()))
            .map_err(Refusal::Failed)?;
        Ok(driver)
    }

    /// Starts `python` on the driver script, its events read on a thread.
    fn launch(python: &Interpreter) -> Result<Self, Refusal> {
        let failed = |why: anyhow::Error| Refusal::Failed(why);
        let dir = tempfile::Builder::new()
            .prefix("parlab-python-")
            .tempdir()
            .context("cannot make a folder for the Python driver")
            .map_err(failed)?;
        let script = dir.path().join("parlab_pool_driver.py");
        std::fs::write(&script, DRIVER)
            .context("cannot write the Python driver")
            .map_err(failed)?;
        let mut command = python.command();
        // A process group of its own, which the driver ends as a whole when
        // parlab goes (see the driver's notes).
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Refusal::Missing,
                _ => failed(anyhow::anyhow!("cannot start {}: {e}", python.describe())),
            })?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            return Err(failed(anyhow::anyhow!("the Python driver has no pipes")));
        };
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("python-events".into())
            .spawn(move || {
                for line in BufReader::new(output).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            })
            .context("cannot start the Python event reader")
            .map_err(failed)?;
        Ok(Self {
            child: Mutex::new(child),
            input: Mutex::new(Some(input)),
            lines: Mutex::new(rx),
            info: PythonInfo {
                implementation: String::new(),
                version: String::new(),
                gil: true,
                start_method: String::new(),
                executable: python.describe(),
            },
            workers: AtomicUsize::new(0),
            processes: AtomicBool::new(false),
            broken: AtomicBool::new(false),
            _script_dir: dir,
        })
    }

    /// The interpreter's version and GIL state.
    pub fn info(&self) -> &PythonInfo {
        &self.info
    }

    /// Whether the pool started last is made of processes.
    pub fn runs_processes(&self) -> bool {
        self.processes.load(Ordering::Relaxed)
    }

    /// Workers of the pool started last.
    pub fn pool_workers(&self) -> usize {
        self.workers.load(Ordering::Relaxed)
    }

    /// Creates `Pool(workers)` or `ThreadPool(workers)` in the interpreter
    /// (closing any earlier one), whose `map` hands out `chunksize` tasks
    /// at a time (`None`: Python's own default), and returns the time
    /// Python took.
    pub fn start_pool(
        &self,
        pool: Pool,
        workers: usize,
        chunksize: Option<usize>,
        cancel: &AtomicBool,
    ) -> anyhow::Result<Duration> {
        let mode = match pool {
            Pool::PythonProcesses => "processes",
            _ => "threads",
        };
        self.send(&serde_json::json!({
            "cmd": "pool",
            "mode": mode,
            "workers": workers,
            "chunksize": chunksize,
        }))?;
        let took = self.wait_for(cancel, |e| match e {
            Event::PoolBuilt(ns) => Some(*ns),
            _ => None,
        })?;
        self.workers.store(workers, Ordering::Relaxed);
        self.processes
            .store(pool == Pool::PythonProcesses, Ordering::Relaxed);
        Ok(Duration::from_nanos(took))
    }

    /// Runs one round: serially in the interpreter's main thread when
    /// `workers` is `None`, else on the pool started last.
    pub fn run_round(
        &self,
        workers: Option<usize>,
        board: &TaskBoard,
        cancel: &AtomicBool,
        on_start: &mut dyn FnMut(Instant),
    ) -> anyhow::Result<RunTiming> {
        self.send(&serde_json::json!({"cmd": "run", "parallel": workers.is_some()}))?;
        let lines = self
            .lines
            .lock()
            .map_err(|_| anyhow::anyhow!("the Python driver failed earlier"))?;
        let mut round: Option<Round> = None;
        loop {
            let line = match lines.recv_timeout(CANCEL_POLL) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => {
                    if cancel.load(Ordering::Relaxed) {
                        self.stop();
                        return Ok(cancelled(round.map(|r| r.origin.elapsed())));
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.gone()),
            };
            match (parse(&line), round.as_mut()) {
                (Event::Begin(t0), None) => {
                    let origin = Instant::now();
                    on_start(origin);
                    round = Some(Round {
                        origin,
                        t0,
                        lanes: HashMap::new(),
                        task_cpu: Duration::ZERO,
                        pickled: None,
                    });
                }
                (Event::Start { task, id, at }, Some(round)) => {
                    let lane = match workers {
                        Some(workers) => round.lane(id, workers),
                        None => 0,
                    };
                    board.set_lane_id(lane, u32::try_from(id).unwrap_or(0));
                    if let Some(slot) = slot(board, task) {
                        board.record_start(slot, lane, round.since(at));
                    }
                }
                (Event::End { task, at, cpu }, Some(round)) => {
                    round.task_cpu += Duration::from_nanos(cpu);
                    if let Some(slot) = slot(board, task) {
                        board.record_cpu(slot, Duration::from_nanos(cpu));
                        board.record_end(slot, round.since(at));
                    }
                }
                (Event::Pickled(ns), Some(round)) => {
                    round.pickled = Some(Duration::from_nanos(ns));
                }
                (Event::Clock { id, cpu, delay }, Some(round)) => {
                    let lane = workers.map_or(0, |workers| round.lane(id, workers));
                    let clock = LaneClock {
                        cpu: Duration::from_nanos(cpu),
                        run_delay: Some(Duration::from_nanos(delay)),
                        hand_off: Duration::ZERO,
                    };
                    board.set_lane_clock(lane, clock);
                }
                (
                    Event::Done {
                        wall,
                        cpu,
                        checksum,
                    },
                    Some(round),
                ) => {
                    // Worker processes' CPU time is not the driver's own:
                    // it comes from the tasks' reports.
                    let elsewhere = workers.is_some() && self.processes.load(Ordering::Relaxed);
                    let cpu = Duration::from_nanos(cpu)
                        + if elsewhere {
                            round.task_cpu
                        } else {
                            Duration::ZERO
                        };
                    // CPython's process pool pickles every task and its
                    // result: its transfer, measured apart from the run.
                    let tasks = u32::try_from(board.len().max(1)).unwrap_or(u32::MAX);
                    return Ok(RunTiming {
                        wall: Duration::from_nanos(wall),
                        cpu,
                        checksum: Some(checksum),
                        transfer: round.pickled.map(|took| took / tasks),
                    });
                }
                (Event::Failed(why), _) => anyhow::bail!("python: {why}"),
                _ => {}
            }
        }
    }

    fn send(&self, command: &impl Serialize) -> anyhow::Result<()> {
        if self.broken.load(Ordering::Relaxed) {
            anyhow::bail!("the Python driver was stopped");
        }
        let mut line = serde_json::to_vec(command)?;
        line.push(b'\n');
        let mut input = self
            .input
            .lock()
            .map_err(|_| anyhow::anyhow!("the Python driver failed earlier"))?;
        let Some(pipe) = input.as_mut() else {
            anyhow::bail!("the Python driver was stopped");
        };
        pipe.write_all(&line)
            .and_then(|()| pipe.flush())
            .map_err(|_| self.gone())
    }

    /// Waits for the event `pick` accepts, failing on an error line, on the
    /// driver's end or after [`SETUP_LIMIT`], and stopping the driver at
    /// once when `cancel` is set (with [`Cancelled`]).
    fn wait_for<T>(
        &self,
        cancel: &AtomicBool,
        mut pick: impl FnMut(&Event<'_>) -> Option<T>,
    ) -> anyhow::Result<T> {
        let lines = self
            .lines
            .lock()
            .map_err(|_| anyhow::anyhow!("the Python driver failed earlier"))?;
        let deadline = Instant::now() + SETUP_LIMIT;
        loop {
            if cancel.load(Ordering::Relaxed) {
                self.stop();
                return Err(Cancelled.into());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match lines.recv_timeout(left.min(CANCEL_POLL)) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) if left > CANCEL_POLL => continue,
                Err(RecvTimeoutError::Timeout) => {
                    self.stop();
                    anyhow::bail!("the Python interpreter did not answer within a minute");
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.gone()),
            };
            let event = parse(&line);
            if let Event::Failed(why) = event {
                anyhow::bail!("python: {why}");
            }
            if let Some(found) = pick(&event) {
                return Ok(found);
            }
        }
    }

    /// Why the driver cannot go on: it exited.
    fn gone(&self) -> anyhow::Error {
        self.broken.store(true, Ordering::Relaxed);
        let status = self
            .child
            .lock()
            .ok()
            .and_then(|mut child| child.try_wait().ok().flatten());
        match status {
            Some(status) => anyhow::anyhow!("the Python driver ended ({status})"),
            None => anyhow::anyhow!("the Python driver stopped answering"),
        }
    }

    /// Closes the driver's stdin, so it kills its workers and exits, and
    /// makes sure it has: a cancel or the end of a measurement. Whatever
    /// is left of its process group after [`STOP_GRACE`] (a hung
    /// interpreter and its own children) is killed with it.
    fn stop(&self) {
        self.broken.store(true, Ordering::Relaxed);
        if let Ok(mut input) = self.input.lock() {
            input.take();
        }
        if let Ok(mut child) = self.child.lock() {
            let deadline = Instant::now() + STOP_GRACE;
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            #[cfg(unix)]
            let _ = rustix::process::kill_process_group(
                rustix::process::Pid::from_child(&child),
                rustix::process::Signal::KILL,
            );
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The board slot of a task (`None` for the serial part, which has its own
/// slot when the board has one).
fn slot(board: &TaskBoard, task: Option<usize>) -> Option<usize> {
    match task {
        Some(task) => (task < board.len()).then_some(task),
        None => board.has_serial_part().then_some(board.len()),
    }
}

fn cancelled(wall: Option<Duration>) -> RunTiming {
    RunTiming {
        wall: wall.unwrap_or_default(),
        cpu: Duration::ZERO,
        checksum: None,
        transfer: None,
    }
}

/// The state of one round while its events arrive.
struct Round {
    origin: Instant,
    t0: u64,
    lanes: HashMap<u64, usize>,
    task_cpu: Duration,
    /// What pickling the round's tasks and results took (process pools).
    pickled: Option<Duration>,
}

impl Round {
    /// The lane of the worker with OS id `id`, numbered as they first appear.
    fn lane(&mut self, id: u64, workers: usize) -> usize {
        let next = self.lanes.len().min(workers.saturating_sub(1));
        *self.lanes.entry(id).or_insert(next)
    }

    fn since(&self, at: u64) -> Duration {
        Duration::from_nanos(at.saturating_sub(self.t0))
    }
}

/// The first line `python --version` prints, if it prints one within two
/// seconds (a program that hangs is killed), without control characters.
fn version_of(python: &Interpreter) -> Option<String> {
    let mut child = python
        .command()
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + Duration::from_secs(2);
    while child.try_wait().ok()?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let output = child.wait_with_output().ok()?;
    let text = [output.stdout, output.stderr].concat();
    let line = String::from_utf8_lossy(&text)
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())?
        .chars()
        .filter(|c| !c.is_control())
        .take(80)
        .collect();
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_lines_parse_and_garbage_is_ignored() {
        assert_eq!(parse("B 12"), Event::Begin(12));
        assert_eq!(
            parse("S 3 777 15"),
            Event::Start {
                task: Some(3),
                id: 777,
                at: 15
            }
        );
        assert_eq!(
            parse("S P 777 15"),
            Event::Start {
                task: None,
                id: 777,
                at: 15
            }
        );
        assert_eq!(
            parse("E 3 20 5"),
            Event::End {
                task: Some(3),
                at: 20,
                cpu: 5
            }
        );
        assert_eq!(
            parse("D 100 50 9"),
            Event::Done {
                wall: 100,
                cpu: 50,
                checksum: 9
            }
        );
        assert_eq!(parse("X boom"), Event::Failed("boom"));
        assert_eq!(
            parse("W 7 30 4"),
            Event::Clock {
                id: 7,
                cpu: 30,
                delay: 4
            }
        );
        assert_eq!(parse("P 42"), Event::PoolBuilt(42));
        assert_eq!(parse("K 900 3"), Event::Pickled(900));
        for junk in [
            "", "S", "S 1", "D x 1 2", "E 1 2", "zzz 1 2", "P x", "W 1 2", "K x",
        ] {
            assert_eq!(parse(junk), Event::Other, "{junk:?}");
        }
    }

    #[test]
    fn lanes_number_workers_as_they_appear_and_stay_in_range() {
        let mut round = Round {
            origin: Instant::now(),
            t0: 100,
            lanes: HashMap::new(),
            task_cpu: Duration::ZERO,
            pickled: None,
        };
        assert_eq!(round.lane(900, 2), 0);
        assert_eq!(round.lane(901, 2), 1);
        assert_eq!(round.lane(900, 2), 0);
        assert_eq!(round.lane(902, 2), 1);
        assert_eq!(round.since(150), Duration::from_nanos(50));
        assert_eq!(round.since(50), Duration::ZERO);
    }

    #[test]
    fn the_greeting_describes_the_gil() {
        let mut info = PythonInfo {
            implementation: "CPython".into(),
            version: "3.13.1".into(),
            gil: true,
            start_method: "fork".into(),
            executable: "python3".into(),
        };
        assert!(info.describe().contains("GIL on"));
        info.gil = false;
        assert!(info.describe().contains("threads compute in parallel"));
    }
}
