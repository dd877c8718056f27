//! Fixed states for tests: a machine, reports with chosen timings, and apps
//! caught at known moments of the seed demo, boards filled by hand.

use super::live_run::{RunMsg, SideView};
use super::{App, Effect, Key};
use crate::board::TaskBoard;
use crate::config::Work;
use crate::machine::MachineInfo;
use crate::measure::{Rounds, RunResult, SideResult};
use crate::runner::{RunEvent, RunTiming, Side};
use crate::stats::Summary;
use crate::theme::ThemeName;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Milliseconds as a duration.
pub fn ms(value: u64) -> Duration {
    Duration::from_millis(value)
}

/// A report for the seed demo with the given serial and parallel times.
pub fn seed_report(serial_ms: u64, parallel_ms: u64) -> RunResult {
    report(&Work::SEED_DEMO, ms(serial_ms), ms(parallel_ms))
}

/// A report for `spec` on a 2-CPU test machine, every task equal.
pub fn report(spec: &Work, serial: Duration, parallel: Duration) -> RunResult {
    let side = |wall: Duration, cpu: Duration| SideResult {
        wall: Summary::of(&[wall]),
        cpu,
        checksum: 42,
        task_times: vec![wall / spec.tasks as u32; spec.tasks],
        serial_part: Duration::ZERO,
        transfer: None,
        end_idle: None,
        record: Default::default(),
    };
    let mut report = RunResult::new(
        spec,
        Rounds::ONCE,
        &MachineInfo::synthetic(2, 2),
        &side(serial, ms(4)),
        &side(parallel, ms(2)),
        Duration::from_micros(800),
    );
    // The lanes' time: the serial work, and the rest idle at the end.
    let lane = parallel * spec.workers.min(spec.tasks) as u32;
    report.time_accounting = crate::accounting::TimeAccounting {
        lane,
        work: serial.min(lane),
        idle_at_end: lane.saturating_sub(serial),
        tasks: spec.tasks,
        waits_measured: true,
        ..Default::default()
    }
    .with_noise(0.05);
    crate::experiment::judge_run(report)
}

/// A fresh app on a 2-CPU test machine in the dark theme.
pub fn app() -> App {
    app_on(MachineInfo::synthetic(2, 2))
}

/// A fresh app on the given machine.
pub fn app_on(machine: MachineInfo) -> App {
    App::new(machine, ThemeName::Dark, Instant::now()).unwrap()
}

/// When the seed demo's serial task `task` starts and ends: one after
/// another, 100 ms each.
fn serial_task(task: u64) -> (Duration, Duration) {
    (ms(100 * task), ms(100 * task + 100))
}

/// When the seed demo's parallel task `task` starts and ends, from the
/// parallel side's origin: three waves of eight, a few hundred
/// microseconds of scheduling between waves.
fn parallel_task(task: u64) -> (Duration, Duration) {
    let start = Duration::from_micros(100_300 * (task / 8) + 20 * (task % 8));
    (start, start + ms(100))
}

/// The serial side's wall time and when the parallel side starts, from
/// the press of `r`.
const SERIAL_MS: u64 = 2400;
const PARALLEL_FROM_MS: u64 = 2401;

/// The seed demo's run as the run thread reports it to an app that has
/// just started one, played up to a moment at a time: the boards hold
/// what had started and ended by then, the sides start and finish when
/// they did, and the report comes once the parallel side is done. This
/// is one recorded run (2.40 s serial, `parallel_ms` on 8 workers), so
/// an app played through it moment by moment shows what the lab showed.
pub struct SeedPlayback {
    origin: Instant,
    parallel_ms: u64,
    serial: Arc<TaskBoard>,
    parallel: Arc<TaskBoard>,
    /// The last moment played, in ms from the press of `r`.
    played: Option<u64>,
}

impl SeedPlayback {
    /// A playback into `app`, whose seed run starts now.
    pub fn new(app: &App, parallel_ms: u64) -> Self {
        Self {
            origin: app.now,
            parallel_ms,
            serial: Arc::new(TaskBoard::new(24)),
            parallel: Arc::new(TaskBoard::new(24)),
            played: None,
        }
    }

    /// The moment the report arrives, in ms from the press of `r`.
    pub fn end_ms(&self) -> u64 {
        PARALLEL_FROM_MS + self.parallel_ms
    }

    /// Plays into `app` what happened after the last moment played up to
    /// `at_ms` from the press of `r`, and stands the app's clock there.
    pub fn play_to(&mut self, app: &mut App, at_ms: u64) {
        // Whether `moment` of the side that started at `from` ms falls
        // after the last moment played, up to this one.
        let after = |moment: Duration, from: u64| {
            let moment = ms(from) + moment;
            self.played.is_none_or(|played| moment > ms(played)) && moment <= ms(at_ms)
        };
        let crossed =
            |moment: u64| self.played.is_none_or(|played| moment > played) && moment <= at_ms;
        if self.played.is_none() {
            start(app, Side::Serial, &self.view(Side::Serial));
        }
        for task in 0..24 {
            let (begin, end) = serial_task(task);
            if after(begin, 0) {
                self.serial.record_start(task as usize, 0, begin);
            }
            if after(end, 0) {
                self.serial.record_end(task as usize, end);
            }
        }
        if crossed(SERIAL_MS) {
            finish(app, Side::Serial, ms(SERIAL_MS));
        }
        if crossed(PARALLEL_FROM_MS) {
            start(app, Side::Parallel, &self.view(Side::Parallel));
        }
        if at_ms >= PARALLEL_FROM_MS {
            for task in 0..24 {
                let (begin, end) = parallel_task(task);
                if begin <= ms(self.parallel_ms) && after(begin, PARALLEL_FROM_MS) {
                    self.parallel
                        .record_start(task as usize, (task % 8) as usize, begin);
                }
                if end <= ms(self.parallel_ms) && after(end, PARALLEL_FROM_MS) {
                    self.parallel.record_end(task as usize, end);
                }
            }
        }
        app.advance(self.origin + ms(at_ms.min(self.end_ms())));
        if crossed(self.end_ms()) {
            finish(app, Side::Parallel, ms(self.parallel_ms));
            let spec = app.lab.run.as_ref().map_or(Work::SEED_DEMO, |run| run.spec);
            let done = report(&spec, ms(SERIAL_MS), ms(self.parallel_ms));
            app.on_run(RunMsg::Done(Ok(Some(Box::new(done)))));
        }
        self.played = Some(at_ms);
    }

    fn view(&self, side: Side) -> SideView {
        let (board, origin, wall) = match side {
            Side::Serial => (&self.serial, self.origin, Some(ms(SERIAL_MS))),
            Side::Parallel => (&self.parallel, self.origin + ms(PARALLEL_FROM_MS), None),
        };
        SideView {
            board: Arc::clone(board),
            origin,
            wall,
            occupancy: None,
        }
    }
}

/// An app whose seed run is in its parallel side, `at_ms` (under 301)
/// into it.
pub fn parallel_running(at_ms: u64) -> App {
    let mut app = app();
    assert_eq!(
        app.on_key(Key::Char('r')),
        Effect::StartRun(Work::SEED_DEMO, crate::measure::Rounds::ONCE, None)
    );
    SeedPlayback::new(&app, 301).play_to(&mut app, PARALLEL_FROM_MS + at_ms);
    app
}

/// An app whose seed run is in its serial side, `tasks_done` tasks in.
pub fn serial_running(tasks_done: usize) -> App {
    let mut app = app();
    app.on_key(Key::Char('r'));
    SeedPlayback::new(&app, 301).play_to(&mut app, 100 * tasks_done as u64 + 50);
    app
}

/// An app after a complete seed run: 2.40 s serial, 301 ms parallel.
pub fn seed_finished() -> App {
    let mut app = app();
    app.on_key(Key::Char('r'));
    feed_seed_run(&mut app, 301);
    app
}

/// Plays the seed demo's run into an app that has just started one (from
/// a lesson step, say): the serial side's 24 tasks over 2.40 s, the
/// parallel side's three waves of eight over `parallel_ms`, then the report.
pub fn feed_seed_run(app: &mut App, parallel_ms: u64) {
    let mut playback = SeedPlayback::new(app, parallel_ms);
    let end = playback.end_ms();
    playback.play_to(app, end);
}

fn start(app: &mut App, side: Side, view: &SideView) {
    app.on_run(RunMsg::Event(RunEvent::Started {
        side,
        round: 0,
        warmup: false,
        board: Arc::clone(&view.board),
        origin: view.origin,
    }));
}

fn finish(app: &mut App, side: Side, wall: Duration) {
    app.on_run(RunMsg::Event(RunEvent::Finished {
        side,
        timing: RunTiming {
            wall,
            cpu: ms(2),
            checksum: Some(42),
            transfer: None,
        },
    }));
}
