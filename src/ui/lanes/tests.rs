//! The lanes with many workers and many tasks: folded rows and occupancy.

use super::*;
use crate::app::live_run::LiveRun;
use crate::app::occupancy::Occupancy;
use crate::app::test_support::{app, ms};
use crate::board::TaskBoard;
use crate::config::RunSpec;
use crate::runner::{RunEvent, RunTiming, Side};
use crate::theme::ThemeName;
use std::sync::Arc;

/// A finished run of `tasks` equal 1 ms tasks on `workers` workers, in
/// waves, with the serial side alongside.
fn finished_run(workers: usize, tasks: usize) -> App {
    let mut app = app();
    let spec = RunSpec {
        tasks,
        workers,
        task_ms: 1.0,
        ..RunSpec::SEED_DEMO
    };
    let serial = TaskBoard::new(tasks);
    let parallel = TaskBoard::new(tasks);
    for task in 0..tasks {
        let at = ms(task as u64);
        serial.record_start(task, 0, at);
        serial.record_end(task, at + ms(1));
        let wave = ms((task / workers) as u64);
        parallel.record_start(task, task % workers, wave);
        parallel.record_end(task, wave + ms(1));
    }
    let mut run = LiveRun::new(spec, 2);
    let view = |board: TaskBoard, wall, workers| {
        let occupancy = Some(Occupancy::of(&board, wall, workers));
        SideView {
            board: Arc::new(board),
            origin: app.now,
            wall: Some(wall),
            occupancy,
        }
    };
    run.serial = Some(view(serial, ms(tasks as u64), 1));
    run.on_event(RunEvent::Finished {
        side: Side::Serial,
        timing: RunTiming {
            wall: ms(tasks as u64),
            cpu: ms(tasks as u64),
            checksum: Some(0),
        },
    });
    run.parallel = Some(view(parallel, ms(tasks.div_ceil(workers) as u64), workers));
    run.finished = true;
    app.lab.run = Some(run);
    app
}

fn draw_lanes(app: &App, width: u16, height: u16) -> Vec<String> {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    render(app, area, &mut buf, &ThemeName::Mono.theme());
    (0..height)
        .map(|y| (0..width).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

#[test]
fn many_workers_fold_into_rows_of_several() {
    let mut app = finished_run(64, 640);
    app.lab.lane_scale = LaneScale::PerSide;
    let lines = draw_lanes(&app, 80, 11);
    let all = lines.join("\n");
    assert!(all.contains("w0-7") && all.contains("w56-63"), "{all}");
    assert!(all.contains("shade = share of time busy"), "{all}");
    let busy_row = lines.iter().find(|l| l.contains("w0-7")).unwrap();
    assert!(busy_row.matches('█').count() > 40, "{busy_row}");
}

#[test]
fn thousands_of_tasks_draw_occupancy_not_blocks() {
    let lines = draw_lanes(&finished_run(4, 5000), 80, 11);
    let serial = lines.iter().find(|l| l.starts_with("serial")).unwrap();
    assert!(serial.matches('█').count() > 60, "{serial}");
    assert!(!serial.contains("4999"));
    let all = lines.join("\n");
    assert!(all.contains("w3"), "{all}");
}

#[test]
fn few_tasks_draw_numbered_blocks_in_each_lane() {
    let lines = draw_lanes(&finished_run(4, 8), 80, 11);
    let w1 = lines
        .iter()
        .find(|l| l.trim_start().starts_with("w1"))
        .unwrap();
    assert!(w1.contains(" 1") && w1.contains('5'), "{w1}");
    let axis = lines.iter().find(|l| l.contains('└')).unwrap();
    assert_eq!(axis.matches('┴').count(), 2, "{axis}");
}

#[test]
fn before_any_run_the_lanes_of_the_settings_are_shown() {
    let mut app = app();
    app.lab.spec.workers = 3;
    let lines = draw_lanes(&app, 80, 11);
    let all = lines.join("\n");
    assert!(all.contains("w2") && !all.contains("w3"), "{all}");
    assert!(all.contains("r runs"));
}

#[test]
fn a_tiny_area_draws_only_the_title() {
    let lines = draw_lanes(&finished_run(4, 8), 20, 2);
    assert!(lines[0].contains("Worker"));
}

/// The whole screen of the finished seed demo, lines joined.
fn seed_screen(scale: LaneScale, width: u16, height: u16) -> String {
    let mut app = crate::app::test_support::seed_finished();
    app.lab.lane_scale = scale;
    crate::ui::tests::screen(&app, width, height).0.join("\n")
}

#[test]
fn one_time_scale_shows_the_speedup_at_80x24() {
    let text = seed_screen(LaneScale::Shared, 80, 24);
    insta::assert_snapshot!(text);
    let lines: Vec<&str> = text.lines().collect();
    let serial = lines.iter().find(|l| l.starts_with("serial ")).unwrap();
    let w0 = lines
        .iter()
        .find(|l| l.trim_start().starts_with("w0 "))
        .unwrap();
    let busy = |line: &str| line.chars().filter(|c| !c.is_whitespace()).count();
    // 2.40 s against 301 ms: the serial lane is about 8× the worker lane.
    assert!(busy(serial) > 5 * busy(w0), "{serial}\n{w0}");
}

#[test]
fn one_time_scale_at_120x40() {
    insta::assert_snapshot!(seed_screen(LaneScale::Shared, 120, 40));
}

#[test]
fn each_side_on_its_own_scale_fills_the_width() {
    let text = seed_screen(LaneScale::PerSide, 80, 24);
    let w0 = text
        .lines()
        .find(|l| l.trim_start().starts_with("w0 "))
        .unwrap();
    // The third wave's task 16 starts two thirds along the width.
    assert!(w0.find("16").unwrap() > 45, "{w0}");
    assert!(text.contains("each side on its own scale"), "{text}");
}

#[test]
fn a_parallel_run_too_short_to_read_is_named_and_zoom_is_offered() {
    let mut app = finished_run(64, 640);
    app.lab.lane_scale = LaneScale::Shared;
    let lines = draw_lanes(&app, 80, 11);
    assert!(
        lines[0].contains("parallel too thin to read here (1 column): z zooms"),
        "{}",
        lines[0]
    );
    let seed = seed_screen(LaneScale::Shared, 80, 24);
    assert!(!seed.contains("too thin"), "{seed}");
}
