//! Where the parallel run's time went: its lane time (the workers that
//! could get a task × the parallel wall time) split into measured parts
//! that add up to it, the way HPC tools split a run (POP's load balance and
//! computation scalability, VTune's wait and overhead time, Perfetto's
//! runnable against running).
//!
//! The parts come from three sources, none of them inside a task's timed
//! work: the task spans on the [`TaskBoard`] (start-up, hand-out gaps, idle
//! at the end, the serial part), each worker's clocks read once at the
//! start and once at the end of a round ([`ClockReading`]: CPU time and, on
//! Linux, the run-queue delay from `schedstat`), and, for tasks long enough
//! that two clock reads cost nothing measurable, each task's own CPU time.
//! The serial run of the same tasks is the reference: `work` is what the
//! tasks took there less the serial run's own wait for a CPU (on a machine
//! other programs keep busy, the serial run waits too; that wait is not
//! the tasks' work), and every other part inside the tasks is what the
//! parallel run needed beyond it. So every wait for a CPU the parallel
//! workers suffered shows as one, whether or not the serial run suffered
//! the same.
//!
//! Lanes beyond the usable CPUs (more computing workers than CPUs) have no
//! CPU of their own: what no CPU could serve of their time counts as a
//! wait for a CPU even where the scheduler let one worker finish early and
//! sit idle while another waited, so that oversubscription is never read
//! as work shared out unevenly.
//!
//! A cause is named only from these parts ([`TimeAccounting::largest_loss`]),
//! never because nothing else fits.

use crate::board::TaskBoard;
use crate::units::{deserialize_secs, serialize_secs};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One worker's clocks over one round: read at its start and its end,
/// outside the timed work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LaneClock {
    /// CPU time the worker used.
    pub cpu: Duration,
    /// Time it was runnable but waited for a CPU; `None` where the OS does
    /// not report it (then the accounting estimates it, and says so).
    pub run_delay: Option<Duration>,
    /// Time inside its task spans that went to handing the task over and
    /// its result back rather than to the task (a worker process's pipe
    /// hop); zero where the span is the task itself.
    pub hand_off: Duration,
}

/// A thread's or process's clocks at one instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClockReading {
    cpu: Duration,
    run_delay: Option<Duration>,
}

impl ClockReading {
    /// The calling thread's clocks: its `schedstat` on Linux (CPU time and
    /// run-queue delay), its CPU clock elsewhere.
    pub fn this_thread() -> Self {
        schedstat("/proc/thread-self/schedstat").unwrap_or_else(|| Self {
            cpu: crate::runner::thread_cpu(),
            run_delay: None,
        })
    }

    /// The clocks of process `pid`'s main thread, where the OS shows them
    /// (Linux); `fallback_cpu` is its CPU time as the process reported it.
    pub fn process(pid: u32, fallback_cpu: Duration) -> Self {
        schedstat(&format!("/proc/{pid}/schedstat")).unwrap_or(Self {
            cpu: fallback_cpu,
            run_delay: None,
        })
    }

    /// What the clocks advanced by from `earlier` to this reading.
    pub fn since(self, earlier: Self) -> LaneClock {
        LaneClock {
            cpu: self.cpu.saturating_sub(earlier.cpu),
            run_delay: self
                .run_delay
                .zip(earlier.run_delay)
                .map(|(now, was)| now.saturating_sub(was)),
            hand_off: Duration::ZERO,
        }
    }
}

/// `/proc/.../schedstat`: nanoseconds on the CPU, nanoseconds waiting on a
/// run queue, time slices. `None` where the file is missing (not Linux, or
/// a kernel without scheduler statistics).
fn schedstat(path: &str) -> Option<ClockReading> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
    let cpu = fields.next()??;
    let delay = fields.next()??;
    Some(ClockReading {
        cpu: Duration::from_nanos(cpu),
        run_delay: Some(Duration::from_nanos(delay)),
    })
}

/// One lane's share of a round, read from the board after it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaneRecord {
    /// The tasks it ran.
    pub tasks: Vec<usize>,
    /// Whether it ran the serial part too.
    pub serial_part: bool,
    /// Its task spans (and the serial part's) added up.
    pub busy: Duration,
    /// When its first span started; `None` if it ran nothing.
    pub first_start: Option<Duration>,
    /// When its last span ended.
    pub last_end: Duration,
    /// The CPU time its spans used, when every one of them was timed.
    pub task_cpu: Option<Duration>,
    /// Its clocks over the round, where the pool read them.
    pub clock: Option<LaneClock>,
}

/// What one round of one side left for the accounting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoundRecord {
    /// Wall time of the round.
    pub wall: Duration,
    /// Every lane, in lane order.
    pub lanes: Vec<LaneRecord>,
    /// When the serial part started and ended, if the work had one.
    pub serial_part: Option<(Duration, Duration)>,
    /// What the workers wait for between tasks.
    pub between: Between,
}

impl RoundRecord {
    /// Reads `board` after a round of `lanes` lanes that took `wall`.
    pub fn of(board: &TaskBoard, lanes: usize, wall: Duration) -> Self {
        let mut out: Vec<LaneRecord> = vec![LaneRecord::default(); lanes.max(1)];
        let mut timed = vec![true; out.len()];
        let part = board.serial_part();
        let spans = board.spans().chain(part);
        for span in spans {
            let Some(end) = span.end else { continue };
            let lane = span.worker.min(out.len() - 1);
            let record = &mut out[lane];
            if span.task < board.len() {
                record.tasks.push(span.task);
            } else {
                record.serial_part = true;
            }
            record.busy += end.saturating_sub(span.start);
            record.first_start = Some(record.first_start.map_or(span.start, |s| s.min(span.start)));
            record.last_end = record.last_end.max(end);
            match board.task_cpu(span.task) {
                Some(cpu) if timed[lane] => {
                    record.task_cpu = Some(record.task_cpu.unwrap_or_default() + cpu);
                }
                _ => timed[lane] = false,
            }
        }
        for (lane, record) in out.iter_mut().enumerate() {
            if !timed[lane] {
                record.task_cpu = None;
            }
            record.clock = board.lane_clock(lane);
        }
        Self {
            wall,
            lanes: out,
            serial_part: part.and_then(|p| Some((p.start, p.end?))),
            between: Between::HandOut,
        }
    }
}

/// The serial run as the reference for the parallel one: what each task
/// took there, and how that time split between running, waiting for a CPU
/// and being off the CPU otherwise.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reference {
    /// Each task's time on the serial side (mean of the timed runs).
    pub task_work: Vec<Duration>,
    /// The serial part's time there.
    pub part_work: Duration,
    /// Share of the serial tasks' time on the CPU.
    pub cpu_share: f64,
    /// Share of it spent waiting for a CPU.
    pub delay_share: f64,
}

impl Reference {
    /// The reference from the serial side's mean task times and the round
    /// whose clocks describe it.
    pub fn new(task_work: Vec<Duration>, part_work: Duration, round: &RoundRecord) -> Self {
        let (mut cpu_share, mut delay_share) = (1.0, 0.0);
        if let Some(lane) = round.lanes.first() {
            let busy = lane.busy.as_secs_f64();
            let inside = busy / round.wall.as_secs_f64().max(1e-12);
            if busy > 0.0 {
                let cpu = match (lane.task_cpu, lane.clock) {
                    (Some(cpu), _) => cpu.as_secs_f64(),
                    (None, Some(clock)) => clock.cpu.as_secs_f64() * inside.min(1.0),
                    (None, None) => busy,
                };
                cpu_share = (cpu / busy).clamp(0.0, 1.0);
                let delay = lane
                    .clock
                    .and_then(|c| c.run_delay)
                    .map_or(0.0, |d| d.as_secs_f64() * inside.min(1.0));
                delay_share = (delay / busy).clamp(0.0, 1.0 - cpu_share);
            }
        }
        Self {
            task_work,
            part_work,
            cpu_share,
            delay_share,
        }
    }

    /// The serial time of `lane`'s tasks (and its serial part), its wait
    /// for a CPU included.
    fn work_of(&self, lane: &LaneRecord) -> Duration {
        let tasks: Duration = lane
            .tasks
            .iter()
            .filter_map(|&t| self.task_work.get(t))
            .sum();
        tasks
            + if lane.serial_part {
                self.part_work
            } else {
                Duration::ZERO
            }
    }
}

/// A part of the lane time other than the work itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Runnable, but no CPU was free.
    WaitedForCpu,
    /// Off the CPU inside tasks beyond what the same tasks were serially:
    /// a lock, or the GIL.
    WaitedForLock,
    /// More CPU time than the same tasks needed serially.
    ComputedSlower,
    /// Gaps between tasks on a worker, and the hand-over of each task.
    HandingOut,
    /// Before a worker's first task.
    StartUp,
    /// After a worker's last task, while another still worked.
    IdleAtEnd,
    /// Lanes idle while the serial part ran on one of them.
    SerialPart,
}

impl Loss {
    /// Every loss, in the order the bar stacks them.
    pub const ALL: [Self; 7] = [
        Self::WaitedForCpu,
        Self::WaitedForLock,
        Self::ComputedSlower,
        Self::HandingOut,
        Self::StartUp,
        Self::IdleAtEnd,
        Self::SerialPart,
    ];

    /// The name in JSON and on screen.
    pub fn name(self) -> &'static str {
        match self {
            Self::WaitedForCpu => "waited_for_cpu",
            Self::WaitedForLock => "waited_for_lock",
            Self::ComputedSlower => "computed_slower",
            Self::HandingOut => "handing_out",
            Self::StartUp => "start_up",
            Self::IdleAtEnd => "idle_at_end",
            Self::SerialPart => "serial_part",
        }
    }

    /// A short label for a bar's legend and a table line.
    pub fn label(self) -> &'static str {
        match self {
            Self::WaitedForCpu => "CPU wait",
            Self::WaitedForLock => "lock wait",
            Self::ComputedSlower => "slower",
            Self::HandingOut => "hand-out",
            Self::StartUp => "start-up",
            Self::IdleAtEnd => "idle end",
            Self::SerialPart => "serial part",
        }
    }
}

/// The lane time of a parallel run, split into measured parts that add up
/// to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimeAccounting {
    /// Workers that could get a task × the parallel wall time.
    #[serde(
        serialize_with = "serialize_secs",
        deserialize_with = "deserialize_secs",
        rename = "lane_s"
    )]
    pub lane: Duration,
    /// The tasks' time at serial speed.
    #[serde(
        serialize_with = "serialize_secs",
        deserialize_with = "deserialize_secs",
        rename = "work_s"
    )]
    pub work: Duration,
    /// Runnable but not running, beyond the serial run's share.
    #[serde(
        serialize_with = "serialize_secs",
        deserialize_with = "deserialize_secs",
        rename = "waited_for_cpu_s"
    )]
    pub waited_for_cpu: Duration,
    /// Off the CPU inside tasks (not waiting for one) beyond the serial
    /// run's share: a lock, or the GIL.
    #[serde(
        serialize_with = "serialize_secs",
        deserialize_with = "deserialize_secs",
        rename = "waited_for_lock_s"
    )]
    pub waited_for_lock: Duration,
    /// CPU time beyond what the tasks needed serially.
    #[serde(
        serialize_with = "serialize_secs",
        deserialize_with = "deserialize_secs",
        rename = "computed_slower_s"
    )]
    pub computed_slower: Duration,
    /// Gaps between tasks on a worker, and each task's hand-over.
    #[serde(
        serialize_with = "serialize_secs",
        deserialize_with = "deserialize_secs",
        rename = "handing_out_s"
    )]
    pub handing_out: Duration,
    /// Before each worker's first task.
    #[serde(
        serialize_with = "serialize_secs",
        deserialize_with = "deserialize_secs",
        rename = "start_up_s"
    )]
    pub start_up: Duration,
    /// After each worker's last task.
    #[serde(
        serialize_with = "serialize_secs",
        deserialize_with = "deserialize_secs",
        rename = "idle_at_end_s"
    )]
    pub idle_at_end: Duration,
    /// Lanes idle while the serial part ran.
    #[serde(
        serialize_with = "serialize_secs",
        deserialize_with = "deserialize_secs",
        rename = "serial_part_s"
    )]
    pub serial_part: Duration,
    /// The largest part other than the work, when it is above the noise.
    pub largest_loss: Option<Loss>,
    /// Whether the run-queue delay was read from the OS (`true`) or
    /// estimated from the time off the CPU (`false`: not Linux).
    pub waits_measured: bool,
    /// The worker that sat idle longest after its last task.
    #[serde(skip)]
    pub idle_worker: Option<usize>,
    /// Tasks handed out, for the hand-out cost per task.
    #[serde(skip)]
    pub tasks: usize,
    /// The relative margin below which a part counts as noise.
    #[serde(skip)]
    pub noise: f64,
}

impl TimeAccounting {
    /// The size of `loss`.
    pub fn part(&self, loss: Loss) -> Duration {
        match loss {
            Loss::WaitedForCpu => self.waited_for_cpu,
            Loss::WaitedForLock => self.waited_for_lock,
            Loss::ComputedSlower => self.computed_slower,
            Loss::HandingOut => self.handing_out,
            Loss::StartUp => self.start_up,
            Loss::IdleAtEnd => self.idle_at_end,
            Loss::SerialPart => self.serial_part,
        }
    }

    fn part_mut(&mut self, loss: Loss) -> &mut Duration {
        match loss {
            Loss::WaitedForCpu => &mut self.waited_for_cpu,
            Loss::WaitedForLock => &mut self.waited_for_lock,
            Loss::ComputedSlower => &mut self.computed_slower,
            Loss::HandingOut => &mut self.handing_out,
            Loss::StartUp => &mut self.start_up,
            Loss::IdleAtEnd => &mut self.idle_at_end,
            Loss::SerialPart => &mut self.serial_part,
        }
    }

    /// The parts, work first, then every loss in [`Loss::ALL`] order.
    pub fn total(&self) -> Duration {
        self.work + Loss::ALL.iter().map(|l| self.part(*l)).sum::<Duration>()
    }

    /// `loss` as a share of the lane time.
    pub fn share(&self, loss: Loss) -> f64 {
        self.part(loss).as_secs_f64() / self.lane.as_secs_f64().max(1e-12)
    }

    /// The largest loss whose share of the lane time is above `noise`.
    pub fn largest_above(&self, noise: f64) -> Option<Loss> {
        Loss::ALL
            .iter()
            .copied()
            .max_by(|a, b| self.part(*a).cmp(&self.part(*b)))
            .filter(|loss| self.share(*loss) > noise)
    }

    /// The same accounting judged against the margin `noise`.
    pub fn with_noise(mut self, noise: f64) -> Self {
        self.noise = noise;
        self.largest_loss = self.largest_above(noise);
        self
    }

    /// What handing out cost per task.
    pub fn hand_out_per_task(&self) -> Duration {
        self.handing_out / self.tasks.max(1) as u32
    }
}

/// How to estimate the wait for a CPU where the OS does not report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WaitGuess {
    /// More computing workers than usable CPUs: time off the CPU beyond
    /// the serial run's was a wait for one.
    Oversubscribed,
    /// Otherwise: no wait for a CPU beyond the serial run's.
    Enough,
}

/// What a worker waits for between two tasks, besides a CPU.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Between {
    /// Only the hand-out itself (a queue, a counter, a pipe).
    #[default]
    HandOut,
    /// A lock every task must hold to run: the GIL of Python threads,
    /// which a worker takes back before its next task can start.
    Lock,
}

/// Splits the lane time of the parallel round `run` into its parts, with
/// the serial run `reference` as the measure of the work. `workers` is the
/// pool's size and `tasks` the number of tasks: lanes that could never get
/// a task (more workers than tasks) are not counted. `cpus` is the number
/// of usable CPUs for tasks that compute (`None` for tasks that wait):
/// lanes beyond it had no CPU of their own.
pub fn account(
    reference: &Reference,
    run: &RoundRecord,
    workers: usize,
    tasks: usize,
    cpus: Option<usize>,
) -> TimeAccounting {
    let guess = match cpus {
        Some(cpus) if workers > cpus => WaitGuess::Oversubscribed,
        _ => WaitGuess::Enough,
    };
    let wall = run.wall;
    let lanes = workers.min(tasks).max(1);
    let mut out = TimeAccounting {
        lane: wall * lanes as u32,
        tasks,
        waits_measured: true,
        ..TimeAccounting::default()
    };
    let part_end = run.serial_part.map(|(_, end)| end);
    let mut ran: Vec<&LaneRecord> = run
        .lanes
        .iter()
        .filter(|l| l.first_start.is_some())
        .collect();
    ran.truncate(lanes);
    out.start_up += wall * (lanes - ran.len()) as u32;
    let mut idlest = (Duration::ZERO, None);
    for (index, lane) in run.lanes.iter().enumerate() {
        let Some(first) = lane.first_start else {
            continue;
        };
        if !ran.iter().any(|r| std::ptr::eq(*r, lane)) {
            continue;
        }
        let first = first.min(wall);
        let last = lane.last_end.clamp(first, wall);
        let busy = lane.busy.min(last - first);
        let gaps = (last - first) - busy;
        let clock = lane.clock;
        let hand = clock.map_or(Duration::ZERO, |c| c.hand_off).min(busy);
        let inside = busy - hand;
        let between_tasks = gaps + hand;
        match (run.between, lane.task_cpu, clock) {
            (Between::Lock, Some(task_cpu), Some(clock)) => {
                // CPU time outside the tasks went to handing them out; the
                // rest of a gap was spent off the CPU: waiting for one, or
                // for the lock.
                let outside_cpu = clock.cpu.saturating_sub(task_cpu);
                let handing = between_tasks.min(outside_cpu);
                let off = between_tasks - handing;
                let runnable =
                    (busy + start_up_of(lane, first, part_end)).max(Duration::from_nanos(1));
                let delay = clock
                    .run_delay
                    .map_or(Duration::ZERO, |d| {
                        d.mul_f64(between_tasks.as_secs_f64() / runnable.as_secs_f64())
                    })
                    .min(off);
                out.handing_out += handing;
                out.waited_for_cpu += delay;
                out.waited_for_lock += off - delay;
            }
            _ => out.handing_out += between_tasks,
        }
        let start_up = start_up_of(lane, first, part_end);
        out.serial_part += first - start_up;
        out.start_up += start_up;
        let idle = wall - last;
        out.idle_at_end += idle;
        if idle > idlest.0 {
            idlest = (idle, Some(index));
        }
        let work = reference.work_of(lane);
        let runnable = inside + gaps + hand + start_up;
        let split = split_inside(reference, lane, work, inside, runnable, guess);
        if clock.and_then(|c| c.run_delay).is_none() {
            out.waits_measured = false;
        }
        let mut work = work.mul_f64(1.0 - reference.delay_share);
        for (loss, signed) in [
            (Loss::WaitedForCpu, split[0]),
            (Loss::WaitedForLock, split[1]),
            (Loss::ComputedSlower, split[2]),
        ] {
            if signed >= 0.0 {
                *out.part_mut(loss) += Duration::from_secs_f64(signed);
            } else {
                // The serial run spent more of this kind than the parallel
                // one: its time at serial speed overstated the work.
                work = work.saturating_sub(Duration::from_secs_f64(-signed));
            }
        }
        out.work += work;
    }
    out.idle_worker = idlest.1;
    if let Some(cpus) = cpus {
        without_a_cpu(&mut out, wall * lanes.saturating_sub(cpus) as u32);
    }
    out
}

/// Lanes beyond the usable CPUs could not all run at once: `beyond` (their
/// lanes × the wall time) is time no CPU could serve. The run queue shows
/// part of it as a wait for a CPU; the rest shows as workers that started
/// late or never (another ran their tasks), or that finished early because
/// they got a CPU ahead of another and then sat idle. That rest is counted
/// as a wait for a CPU too: it is more threads than CPUs, not start-up or
/// work shared out unevenly.
fn without_a_cpu(out: &mut TimeAccounting, beyond: Duration) {
    let mut missing = beyond.saturating_sub(out.waited_for_cpu);
    for loss in [Loss::StartUp, Loss::IdleAtEnd] {
        let part = out.part_mut(loss);
        let moved = missing.min(*part);
        *part -= moved;
        out.waited_for_cpu += moved;
        missing -= moved;
    }
}

/// The time before `lane`'s first task at `first` that was start-up: all
/// of it, less any wait for the serial part ending at `part_end` (which
/// another lane ran).
fn start_up_of(lane: &LaneRecord, first: Duration, part_end: Option<Duration>) -> Duration {
    let waited_for_part = if lane.serial_part {
        Duration::ZERO
    } else {
        part_end.map_or(Duration::ZERO, |end| end.min(first))
    };
    first - waited_for_part
}

/// The excess of a lane's time inside its tasks over their serial time
/// less the serial run's wait for a CPU, split into [wait for a CPU, wait
/// for a lock, computed slower] (seconds, signed: a part the serial run had
/// more of is negative). The wait for a CPU is the lane's whole wait: the
/// serial run's own wait is not part of the work it is measured against.
fn split_inside(
    reference: &Reference,
    lane: &LaneRecord,
    work: Duration,
    inside: Duration,
    runnable: Duration,
    guess: WaitGuess,
) -> [f64; 3] {
    let inside_s = inside.as_secs_f64();
    let work_s = work.as_secs_f64();
    let clock = lane.clock;
    let cpu = match (lane.task_cpu, clock) {
        (Some(cpu), _) => cpu.as_secs_f64(),
        (None, Some(c)) => {
            c.cpu.as_secs_f64() * inside_s / runnable.as_secs_f64().max(inside_s).max(1e-12)
        }
        (None, None) => inside_s * reference.cpu_share,
    }
    .min(inside_s);
    let off = inside_s - cpu;
    let serial_cpu = work_s * reference.cpu_share;
    let serial_delay = work_s * reference.delay_share;
    let serial_off = work_s - serial_cpu - serial_delay;
    let delay = match clock.and_then(|c| c.run_delay) {
        Some(d) => {
            let share = inside_s / runnable.as_secs_f64().max(1e-12);
            (d.as_secs_f64() * share.min(1.0)).min(off)
        }
        None => match guess {
            WaitGuess::Oversubscribed => (off - serial_off).max(0.0),
            WaitGuess::Enough => serial_delay.min(off),
        },
    };
    let blocked = off - delay;
    [delay, blocked - serial_off, cpu - serial_cpu]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    fn lane(
        tasks: Vec<usize>,
        first: u64,
        last: u64,
        busy: u64,
        cpu: u64,
        delay: u64,
    ) -> LaneRecord {
        LaneRecord {
            tasks,
            serial_part: false,
            busy: ms(busy),
            first_start: Some(ms(first)),
            last_end: ms(last),
            task_cpu: Some(ms(cpu)),
            clock: Some(LaneClock {
                cpu: ms(cpu),
                run_delay: Some(ms(delay)),
                hand_off: Duration::ZERO,
            }),
        }
    }

    fn reference(tasks: usize, each: u64) -> Reference {
        Reference {
            task_work: vec![ms(each); tasks],
            part_work: Duration::ZERO,
            cpu_share: 1.0,
            delay_share: 0.0,
        }
    }

    #[test]
    fn waiting_for_a_cpu_inside_tasks_is_counted_as_such_and_the_parts_add_up() {
        // 4 tasks of 10 ms on 2 workers that each got half a CPU.
        let run = RoundRecord {
            wall: ms(40),
            lanes: vec![
                lane(vec![0, 1], 0, 40, 40, 20, 20),
                lane(vec![2, 3], 0, 40, 40, 20, 20),
            ],
            serial_part: None,
            between: Between::HandOut,
        };
        let a = account(&reference(4, 10), &run, 2, 4, None).with_noise(0.05);
        assert_eq!(a.lane, ms(80));
        assert_eq!(a.total(), a.lane);
        assert_eq!(a.work, ms(40));
        assert_eq!(a.waited_for_cpu, ms(40));
        assert_eq!(a.largest_loss, Some(Loss::WaitedForCpu));
        assert!(a.waits_measured);
    }

    #[test]
    fn idle_after_the_last_task_and_gaps_between_tasks_come_from_the_spans() {
        let run = RoundRecord {
            wall: ms(100),
            lanes: vec![
                lane(vec![0, 1], 0, 100, 90, 90, 0),
                lane(vec![2], 5, 35, 30, 30, 0),
            ],
            serial_part: None,
            between: Between::HandOut,
        };
        let r = Reference {
            task_work: vec![ms(45), ms(45), ms(30)],
            ..reference(0, 0)
        };
        let a = account(&r, &run, 2, 3, None).with_noise(0.05);
        assert_eq!(a.total(), a.lane);
        assert_eq!(
            (a.handing_out, a.start_up, a.idle_at_end),
            (ms(10), ms(5), ms(65))
        );
        assert_eq!(a.largest_loss, Some(Loss::IdleAtEnd));
        assert_eq!(a.idle_worker, Some(1));
    }

    #[test]
    fn time_off_the_cpu_beyond_the_serial_run_is_a_lock_and_a_gain_shrinks_the_work() {
        // Two workers each 50 % on the CPU inside tasks that were all CPU
        // serially, no run-queue delay: the rest was a lock (the GIL).
        let run = RoundRecord {
            wall: ms(20),
            lanes: vec![
                lane(vec![0], 0, 20, 20, 10, 0),
                lane(vec![1], 0, 20, 20, 10, 0),
            ],
            serial_part: None,
            between: Between::HandOut,
        };
        let a = account(&reference(2, 10), &run, 2, 2, None).with_noise(0.05);
        assert_eq!((a.waited_for_lock, a.work), (ms(20), ms(20)));
        assert_eq!(a.largest_loss, Some(Loss::WaitedForLock));
        // Tasks that ran faster than serially: no negative part, less work.
        let fast = RoundRecord {
            wall: ms(8),
            lanes: vec![lane(vec![0], 0, 8, 8, 8, 0)],
            serial_part: None,
            between: Between::HandOut,
        };
        let a = account(&reference(1, 10), &fast, 1, 1, None).with_noise(0.05);
        assert_eq!(
            (a.work, a.computed_slower, a.total()),
            (ms(8), ms(0), ms(8))
        );
        assert_eq!(a.largest_loss, None);
    }

    #[test]
    fn lanes_wait_for_the_serial_part_and_lanes_without_tasks_count_only_when_tasks_could_reach_them()
     {
        let mut with_part = lane(vec![0], 0, 30, 30, 30, 0);
        with_part.serial_part = true;
        let run = RoundRecord {
            wall: ms(30),
            lanes: vec![
                with_part,
                lane(vec![1], 20, 30, 10, 10, 0),
                LaneRecord::default(),
            ],
            serial_part: Some((ms(0), ms(20))),
            between: Between::HandOut,
        };
        let r = Reference {
            task_work: vec![ms(10), ms(10)],
            part_work: ms(20),
            ..reference(0, 0)
        };
        let a = account(&r, &run, 3, 2, None).with_noise(0.05);
        assert_eq!(a.lane, ms(60), "two tasks reach two of three workers");
        assert_eq!(a.serial_part, ms(20));
        assert_eq!(a.total(), a.lane);
        let a = account(&r, &run, 3, 3, None);
        assert_eq!((a.lane, a.start_up), (ms(90), ms(30)));
    }

    #[test]
    fn without_run_queue_figures_the_wait_is_estimated_and_flagged() {
        let mut l = lane(vec![0], 0, 20, 20, 10, 0);
        l.clock = Some(LaneClock {
            cpu: ms(10),
            run_delay: None,
            hand_off: Duration::ZERO,
        });
        let run = RoundRecord {
            wall: ms(20),
            lanes: vec![l],
            serial_part: None,
            between: Between::HandOut,
        };
        let over = account(&reference(1, 10), &run, 2, 1, Some(1));
        assert_eq!((over.waited_for_cpu, over.waits_measured), (ms(10), false));
        let enough = account(&reference(1, 10), &run, 1, 1, None);
        assert_eq!(enough.waited_for_lock, ms(10));
    }

    #[test]
    fn python_threads_waiting_between_tasks_off_the_cpu_wait_for_the_gil() {
        // One thread's two 10 ms tasks 20 ms apart, on the CPU for 2 ms of
        // that gap: 2 ms handed out, 18 ms waiting for the lock.
        let run = RoundRecord {
            wall: ms(40),
            lanes: vec![lane(vec![0, 1], 0, 40, 20, 20, 0)],
            serial_part: None,
            between: Between::HandOut,
        };
        let mut run = run;
        if let Some(clock) = run.lanes[0].clock.as_mut() {
            clock.cpu = ms(22);
        }
        run.between = Between::Lock;
        let a = account(&reference(2, 10), &run, 1, 2, None);
        assert_eq!((a.handing_out, a.waited_for_lock), (ms(2), ms(18)));
        run.between = Between::HandOut;
        assert_eq!(a.total(), a.lane);
        let plain = account(&reference(2, 10), &run, 1, 2, None);
        assert_eq!((plain.handing_out, plain.waited_for_lock), (ms(20), ms(0)));
    }

    #[test]
    fn on_a_busy_machine_the_workers_wait_for_a_cpu_even_when_the_serial_run_waited_as_much() {
        // Other programs keep every CPU busy. Serially, two 10 ms tasks
        // took 15 ms each, 5 ms of it in the run queue; in parallel each
        // worker got half a CPU: 10 ms on it and 10 ms waiting per task.
        let serial = RoundRecord {
            wall: ms(30),
            lanes: vec![lane(vec![0, 1], 0, 30, 30, 20, 10)],
            serial_part: None,
            between: Between::HandOut,
        };
        let r = Reference::new(vec![ms(15), ms(15)], Duration::ZERO, &serial);
        let run = RoundRecord {
            wall: ms(20),
            lanes: vec![
                lane(vec![0], 0, 20, 20, 10, 10),
                lane(vec![1], 0, 20, 20, 10, 10),
            ],
            serial_part: None,
            between: Between::HandOut,
        };
        let a = account(&r, &run, 2, 2, Some(2)).with_noise(0.15);
        assert_eq!(a.total(), a.lane);
        assert_eq!((a.work, a.waited_for_cpu), (ms(20), ms(20)));
        assert_eq!(a.largest_loss, Some(Loss::WaitedForCpu));
        // On a quiet machine nothing changes: no serial wait to take out.
        let quiet = Reference::new(
            vec![ms(10), ms(10)],
            Duration::ZERO,
            &RoundRecord {
                wall: ms(20),
                lanes: vec![lane(vec![0, 1], 0, 20, 20, 20, 0)],
                ..serial
            },
        );
        let a = account(&quiet, &run, 2, 2, Some(2));
        assert_eq!((a.work, a.waited_for_cpu), (ms(20), ms(20)));
    }

    #[test]
    fn lanes_beyond_the_cpus_that_finish_early_are_more_threads_than_cpus_not_imbalance() {
        // Three 10 ms tasks on three workers and two CPUs: two ran at once,
        // the third waited 10 ms in the run queue and ran after them, while
        // the first two sat idle.
        let run = RoundRecord {
            wall: ms(20),
            lanes: vec![
                lane(vec![0], 0, 10, 10, 10, 0),
                lane(vec![1], 0, 10, 10, 10, 0),
                lane(vec![2], 0, 20, 20, 10, 10),
            ],
            serial_part: None,
            between: Between::HandOut,
        };
        let a = account(&reference(3, 10), &run, 3, 3, Some(2)).with_noise(0.05);
        assert_eq!(a.total(), a.lane);
        // The lane beyond the CPUs (20 ms) had no CPU: 10 ms showed in the
        // run queue, 10 ms as another worker's idle end.
        assert_eq!((a.waited_for_cpu, a.idle_at_end), (ms(20), ms(10)));
        assert_eq!(a.largest_loss, Some(Loss::WaitedForCpu));
        // Tasks that wait (no CPU bound), or enough CPUs: the idle stays.
        for cpus in [None, Some(3)] {
            let a = account(&reference(3, 10), &run, 3, 3, cpus).with_noise(0.05);
            assert_eq!((a.waited_for_cpu, a.idle_at_end), (ms(10), ms(20)));
            assert_eq!(a.largest_loss, Some(Loss::IdleAtEnd));
        }
        // More workers than tasks: the workers that could get no task are
        // not counted at all, so they cannot be read as idle.
        let a = account(&reference(3, 10), &run, 64, 3, Some(2));
        assert_eq!((a.lane, a.waited_for_cpu), (ms(60), ms(20)));
    }

    proptest::proptest! {
        /// Over synthetic rounds with workers above and below the usable
        /// CPUs and the tasks: the parts add up to the lane time, a round
        /// within the CPUs is accounted as if no CPU bound it, and time no
        /// CPU could serve is never left as start-up or idle at the end.
        #[test]
        fn the_parts_add_up_and_lanes_beyond_the_cpus_are_a_wait_for_one(
            workers in 1usize..12,
            tasks in 1usize..24,
            cpus in 1usize..8,
            spans in proptest::collection::vec((0u64..30, 1u64..40, 0u64..30), 24),
        ) {
            let lanes_ran = workers.min(tasks);
            let mut lanes = vec![LaneRecord::default(); workers];
            let mut clock = vec![0u64; workers];
            for (task, &(gap, run, delay)) in spans.iter().take(tasks).enumerate() {
                let l = task % lanes_ran;
                let start = clock[l] + gap;
                let end = start + run + delay;
                let record = &mut lanes[l];
                record.tasks.push(task);
                record.busy += ms(run + delay);
                record.first_start.get_or_insert(ms(start));
                record.last_end = ms(end);
                record.task_cpu = Some(record.task_cpu.unwrap_or_default() + ms(run));
                let c = record.clock.get_or_insert(LaneClock::default());
                c.cpu += ms(run);
                c.run_delay = Some(c.run_delay.unwrap_or_default() + ms(delay));
                clock[l] = end;
            }
            let wall = ms(clock.iter().copied().max().unwrap_or(0) + 1);
            let round = RoundRecord { wall, lanes, serial_part: None, between: Between::HandOut };
            let r = Reference {
                task_work: spans.iter().map(|s| ms(s.1)).collect(),
                ..reference(0, 0)
            };
            let free = account(&r, &round, workers, tasks, None);
            let bound = account(&r, &round, workers, tasks, Some(cpus));
            for a in [free, bound] {
                let (total, lane) = (a.total().as_secs_f64(), a.lane.as_secs_f64());
                proptest::prop_assert!((total - lane).abs() <= 0.02 * lane, "{total} of {lane}");
            }
            let lanes = workers.min(tasks);
            if lanes <= cpus {
                proptest::prop_assert_eq!(free, bound);
            } else {
                let beyond = wall * (lanes - cpus) as u32;
                let could = free.waited_for_cpu + free.idle_at_end + free.start_up;
                proptest::prop_assert!(bound.waited_for_cpu >= beyond.min(could));
                proptest::prop_assert_eq!(bound.work, free.work);
            }
        }
    }

    #[test]
    fn a_board_becomes_lane_records() {
        let board = TaskBoard::new(3).with_lane_ids(2);
        for (task, worker, start, end) in [(0, 0, 0, 10), (1, 1, 2, 12), (2, 0, 11, 20)] {
            board.record_start(task, worker, ms(start));
            board.record_cpu(task, ms(end - start));
            board.record_end(task, ms(end));
        }
        board.set_lane_clock(1, LaneClock::default());
        let record = RoundRecord::of(&board, 2, ms(20));
        assert_eq!(record.lanes[0].tasks, [0, 2]);
        assert_eq!(record.lanes[0].busy, ms(19));
        assert_eq!(record.lanes[0].task_cpu, Some(ms(19)));
        assert_eq!(
            (record.lanes[1].first_start, record.lanes[1].last_end),
            (Some(ms(2)), ms(12))
        );
        assert_eq!(record.lanes[1].clock, Some(LaneClock::default()));
        assert_eq!(record.lanes[0].clock, None);
    }
}
