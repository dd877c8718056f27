//! Sweeps caught at known moments, driven by made-up sweep events: the
//! fixed CPU-bound sweep of [`crate::sweep::test_support`] (16 × 20 ms on
//! 2 cores / 4 CPUs at 1, 2, 4 and 8 workers), row by row.

use super::SweepMsg;
use crate::app::test_support::{app_on, ms};
use crate::app::{App, Effect, Key};
use crate::board::TaskBoard;
use crate::config::Work;
use crate::machine::MachineInfo;
use crate::runner::{RunEvent, RunTiming, Side};
use crate::sweep::test_support::cpu_report;
use crate::sweep::{SweepEvent, SweepStage};
use crate::workload::WorkloadKind;
use std::sync::Arc;

/// An app on the fixture's machine, set to the fixture's work, with `s`
/// just pressed: the sweep view is open and its thread about to start.
pub fn sweep_opened() -> App {
    let mut app = app_on(MachineInfo::synthetic(2, 4));
    app.lab.spec = Work {
        workload: WorkloadKind::Cpu,
        tasks: 16,
        task_ms: 20.0,
        ..app.lab.spec
    };
    assert!(matches!(app.on_key(Key::Char('s')), Effect::StartSweep(..)));
    app
}

/// Sends the start of the run of `stage`, `tasks_done` of its 16 tasks
/// finished and one running, `at_ms` into it.
pub fn start_stage(app: &mut App, stage: SweepStage, tasks_done: usize, at_ms: u64) {
    let board = TaskBoard::new(16);
    for task in 0..=tasks_done.min(15) {
        board.record_start(task, 0, ms(task as u64));
        if task < tasks_done {
            board.record_end(task, ms(task as u64 + 1));
        }
    }
    let origin = app.now;
    let side = match stage {
        SweepStage::Serial | SweepStage::ScaledSerial { .. } => Side::Serial,
        SweepStage::Parallel { .. } => Side::Parallel,
    };
    app.on_sweep(SweepMsg::Event(SweepEvent::Run {
        stage,
        event: RunEvent::Started {
            side,
            round: 0,
            warmup: false,
            board: Arc::new(board),
            origin,
        },
    }));
    app.advance(origin + ms(at_ms));
}

/// Ends the run in progress after `wall_ms`.
pub fn finish_stage(app: &mut App, stage: SweepStage, wall_ms: u64) {
    let side = match stage {
        SweepStage::Serial | SweepStage::ScaledSerial { .. } => Side::Serial,
        SweepStage::Parallel { .. } => Side::Parallel,
    };
    app.on_sweep(SweepMsg::Event(SweepEvent::Run {
        stage,
        event: RunEvent::Finished {
            side,
            timing: RunTiming {
                wall: ms(wall_ms),
                cpu: ms(wall_ms),
                checksum: Some(7),
                transfer: None,
            },
        },
    }));
}

/// The `row`-th parallel stage of the fixture (0-based).
pub fn parallel(row: usize) -> SweepStage {
    let workers = [1, 2, 4, 8];
    SweepStage::Parallel {
        workers: workers[row],
        row,
        rows: 4,
    }
}

/// The fixture's baseline and its first `rows` rows, each run started and
/// ended; then, if `live` is set, the next row's run 7 tasks in.
pub fn sweep_at(rows: usize, live: bool) -> App {
    let mut app = sweep_opened();
    let report = cpu_report();
    start_stage(&mut app, SweepStage::Serial, 16, 320);
    finish_stage(&mut app, SweepStage::Serial, 320);
    app.on_sweep(SweepMsg::Event(SweepEvent::Baseline(report.serial.clone())));
    for (i, row) in report.rows.iter().take(rows).enumerate() {
        start_stage(&mut app, parallel(i), 16, 100);
        finish_stage(&mut app, parallel(i), 100);
        app.on_sweep(SweepMsg::Event(SweepEvent::Row(row.clone())));
    }
    if live {
        start_stage(&mut app, parallel(rows), 7, 120);
    }
    app
}

/// The whole fixture measured and reported: the sweep is done.
pub fn sweep_done() -> App {
    let mut app = sweep_at(4, false);
    app.on_sweep(SweepMsg::Done(Ok(Some(Box::new(cpu_report())))));
    app
}
