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

/// The seed demo's serial board: task `i` from `i`×100 ms for 100 ms, the
/// tasks before `done` finished, task `done` running.
fn serial_board(done: usize) -> Arc<TaskBoard> {
    let board = TaskBoard::new(24);
    for task in 0..=done.min(23) {
        board.record_start(task, 0, ms(100 * task as u64));
        if task < done {
            board.record_end(task, ms(100 * task as u64 + 100));
        }
    }
    Arc::new(board)
}

/// The seed demo's parallel board up to `at_ms`: three waves of eight, a
/// few hundred microseconds of scheduling between waves.
fn parallel_board(at_ms: u64) -> Arc<TaskBoard> {
    let board = TaskBoard::new(24);
    for task in 0..24u64 {
        let start = Duration::from_micros(100_300 * (task / 8) + 20 * (task % 8));
        let end = start + ms(100);
        if start <= ms(at_ms) {
            board.record_start(task as usize, (task % 8) as usize, start);
            if end <= ms(at_ms) {
                board.record_end(task as usize, end);
            }
        }
    }
    Arc::new(board)
}

/// An app whose seed run is in its parallel side, `at_ms` into it.
pub fn parallel_running(at_ms: u64) -> App {
    let mut app = app();
    assert_eq!(
        app.on_key(Key::Char('r')),
        Effect::StartRun(Work::SEED_DEMO, crate::measure::Rounds::ONCE, None)
    );
    let origin = app.now;
    let serial = SideView {
        board: serial_board(24),
        origin,
        wall: Some(ms(2400)),
        occupancy: None,
    };
    start(&mut app, Side::Serial, &serial);
    finish(&mut app, Side::Serial, ms(2400));
    let parallel = SideView {
        board: parallel_board(at_ms),
        origin: origin + ms(2401),
        wall: None,
        occupancy: None,
    };
    start(&mut app, Side::Parallel, &parallel);
    app.advance(parallel.origin + ms(at_ms));
    app
}

/// An app whose seed run is in its serial side, `tasks_done` tasks in.
pub fn serial_running(tasks_done: usize) -> App {
    let mut app = app();
    app.on_key(Key::Char('r'));
    let view = SideView {
        board: serial_board(tasks_done),
        origin: app.now,
        wall: None,
        occupancy: None,
    };
    start(&mut app, Side::Serial, &view);
    app.advance(view.origin + ms(100 * tasks_done as u64 + 50));
    app
}

/// An app after a complete seed run: 2.40 s serial, 301 ms parallel.
pub fn seed_finished() -> App {
    let mut app = parallel_running(301);
    finish(&mut app, Side::Parallel, ms(301));
    app.on_run(RunMsg::Done(Ok(Some(Box::new(seed_report(2400, 301))))));
    app
}

/// Plays the seed demo's run into an app that has just started one (from
/// a lesson step, say): the serial side's 24 tasks over 2.40 s, the
/// parallel side's three waves of eight over `parallel_ms`, then the report.
pub fn feed_seed_run(app: &mut App, parallel_ms: u64) {
    let origin = app.now;
    let serial = SideView {
        board: serial_board(24),
        origin,
        wall: Some(ms(2400)),
        occupancy: None,
    };
    start(app, Side::Serial, &serial);
    finish(app, Side::Serial, ms(2400));
    let parallel = SideView {
        board: parallel_board(parallel_ms),
        origin: origin + ms(2401),
        wall: None,
        occupancy: None,
    };
    start(app, Side::Parallel, &parallel);
    app.advance(parallel.origin + ms(parallel_ms));
    finish(app, Side::Parallel, ms(parallel_ms));
    let spec = app.lab.run.as_ref().map_or(Work::SEED_DEMO, |run| run.spec);
    let done = report(&spec, ms(2400), ms(parallel_ms));
    app.on_run(RunMsg::Done(Ok(Some(Box::new(done)))));
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
