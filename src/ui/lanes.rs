//! The worker lanes: a live timeline with the serial run on top and one
//! lane per worker below, each task a block from its start to its end,
//! running tasks growing, a moving "now" cursor and the ideal waves marked
//! on the time axis.
//!
//! By default both sides share one time scale, so the speedup is seen as
//! the parallel lanes ending where the serial lane is still going; when the
//! parallel run is then too short to read, the panel says so and `z` gives
//! each side its own scale, filling the width. With more workers than rows,
//! several workers share a row; with more tasks than cells, blocks give way
//! to occupancy (how busy a row was in each cell).

mod paint;

use super::panel;
use crate::app::App;
use crate::app::lab::LaneScale;
use crate::app::live_run::{LiveRun, SideView, Stage, Waves};
use crate::theme::Theme;
use crate::units::format_duration;
use paint::{Drawn, Scale, SideRows};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::time::Duration;

/// Columns on the right for a time label such as `2.40 s`.
const MARGIN: u16 = 9;

/// Fewest columns the parallel run may span on the shared scale before the
/// panel calls it too thin to read and offers each side its own scale.
const THIN_COLUMNS: u16 = 6;

/// Content rows the lanes would use: the serial lane, a spacer, one row per
/// worker (up to 64) and the axis.
pub fn rows_wanted(app: &App) -> u16 {
    let workers = app
        .lab
        .run
        .as_ref()
        .map_or(app.lab.spec.workers, |r| r.spec.workers);
    workers.min(64) as u16 + 3
}

/// Where the rows of both sides go.
struct Geometry {
    label: u16,
    serial_y: u16,
    lane_y: u16,
    lane_rows: u16,
    per_row: usize,
    /// Whether the time axis has a row of its own; without it, the
    /// parallel time label sits beside the last lane.
    axis: bool,
    axis_y: u16,
    track_x: u16,
    track_width: u16,
}

impl Geometry {
    fn new(workers: usize, inner: Rect) -> Option<Self> {
        if inner.height < 3 || inner.width < MARGIN + 20 {
            return None;
        }
        // The axis row gives way before two lanes would share a row: a
        // lesson at 80x24 must still show each worker's end.
        let axis = workers != usize::from(inner.height - 1);
        let available = inner.height - 1 - u16::from(axis);
        let spacer = available as usize > workers;
        let lane_space = (available - u16::from(spacer)).max(1) as usize;
        let per_row = workers.div_ceil(lane_space).max(1);
        let lane_rows = workers.div_ceil(per_row) as u16;
        let lane_y = inner.y + 1 + u16::from(spacer);
        let widest = (0..lane_rows)
            .map(|row| row_label(row, per_row, workers).len())
            .max()
            .unwrap_or(0);
        let label = widest.max("serial".len()) as u16 + 1;
        Some(Self {
            label,
            serial_y: inner.y,
            lane_y,
            lane_rows,
            per_row,
            axis,
            axis_y: lane_y + lane_rows - u16::from(!axis),
            track_x: inner.x + label,
            track_width: inner.width - label - MARGIN,
        })
    }

    fn parallel_rows(&self, workers: usize) -> SideRows {
        let rows = (0..self.lane_rows)
            .map(|r| {
                let first = r as usize * self.per_row;
                (self.lane_y + r, first..(first + self.per_row).min(workers))
            })
            .collect();
        SideRows::new(rows, self.per_row)
    }
}

/// The OS ids behind the lanes of the run on screen (process ids of a
/// process pool, thread ids of Python's thread pool), once known.
type LaneIds<'a> = dyn Fn(usize) -> Option<u32> + 'a;

/// `w3` for one worker per row, `w0-3` for several, for every pool: the
/// OS ids (process or thread ids) go to the legend ([`id_legend`]), so the
/// lanes read the same whatever runs them.
fn row_label(row: u16, per_row: usize, workers: usize) -> String {
    let first = row as usize * per_row;
    let last = (first + per_row).min(workers).saturating_sub(1);
    if per_row == 1 || first == last {
        format!("w{first}")
    } else {
        format!("w{first}-{last}")
    }
}

/// Draws the panel.
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let run = app.lab.run.as_ref();
    let spec = run.map_or(&app.lab.spec, |r| &r.spec);
    let inner = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(1),
    );
    let board = run
        .and_then(|r| r.parallel.as_ref())
        .map(|side| &side.board);
    let ids = |lane: usize| board.and_then(|b| b.lane_id(lane));
    let Some(geo) = Geometry::new(spec.workers, inner) else {
        panel(area, buf, "Worker lanes", "", theme);
        return;
    };
    draw_labels(&geo, spec.workers, buf, theme);
    let note = match run {
        None => {
            let hint = "r runs: the serial run fills the top lane, then each worker its own";
            buf.set_stringn(
                geo.track_x,
                geo.serial_y,
                hint,
                geo.track_width as usize,
                theme.dim,
            );
            draw_axis(&geo, buf, theme, None, None, None);
            "serial on top, one lane per worker".to_string()
        }
        Some(run) => {
            let notes = draw_run(app, run, &geo, buf, theme);
            match id_legend(run, &ids) {
                Some(legend) => format!("{legend} · {notes}"),
                None => notes,
            }
        }
    };
    panel(area, buf, "Worker lanes", &note, theme);
}

fn draw_labels(geo: &Geometry, workers: usize, buf: &mut Buffer, theme: &Theme) {
    let x = geo.track_x - geo.label;
    buf.set_string(x, geo.serial_y, "serial", theme.header);
    for row in 0..geo.lane_rows {
        let label = row_label(row, geo.per_row, workers);
        let pad = (geo.label as usize - 1).saturating_sub(label.len()) as u16;
        buf.set_string(x + pad, geo.lane_y + row, label, theme.header);
    }
}

/// The OS ids behind the lanes of a process pool or Python's thread
/// pool, once known: `pid w0 48213 · w1 48214`, or the first and the last
/// lane's when there are more than three.
fn id_legend(run: &LiveRun, ids: &LaneIds) -> Option<String> {
    let name = run.spec.pool.lane_id_name()?;
    let known: Vec<String> = (0..run.spec.workers)
        .filter_map(|lane| ids(lane).map(|id| format!("w{lane} {id}")))
        .collect();
    match known.as_slice() {
        [] => None,
        few @ ([_] | [_, _] | [_, _, _]) => Some(format!("{name} {}", few.join(" · "))),
        [first, .., last] => Some(format!("{name} {first} … {last}")),
    }
}

/// Draws both sides of a run and returns the panel's note.
fn draw_run(app: &App, run: &LiveRun, geo: &Geometry, buf: &mut Buffer, theme: &Theme) -> String {
    let tasks = run.spec.tasks;
    let serial_span = run
        .serial
        .as_ref()
        .map(|side| side.elapsed(app.now).max(serial_scale(run, side)));
    let waves = run.waves();
    let parallel_span = run.parallel.as_ref().map(|side| {
        let ideal = waves.map_or(Duration::ZERO, |w| w.end());
        side.elapsed(app.now).max(ideal)
    });
    let shared = app.lab.lane_scale == LaneScale::Shared;
    let common = serial_span.max(parallel_span).unwrap_or_default();
    let span_of = |own: Option<Duration>| {
        if shared {
            common
        } else {
            own.unwrap_or_default()
        }
    };
    let serial = run
        .serial
        .as_ref()
        .map(|side| draw_serial(app, run, side, span_of(serial_span), geo, buf, theme));
    let parallel = match &run.parallel {
        Some(side) => Some(draw_parallel(
            app,
            run,
            side,
            span_of(parallel_span),
            geo,
            buf,
            theme,
        )),
        None => {
            draw_axis(geo, buf, theme, None, None, None);
            None
        }
    };
    let mut notes = Vec::new();
    match (run.stage(), &serial, &parallel) {
        (Stage::Preparing, ..) => notes.push("preparing the work".to_string()),
        (Stage::Serial, Some(drawn), _) => {
            notes.push(format!("serial: {}/{tasks} tasks", drawn.finished))
        }
        (Stage::Parallel, _, Some(drawn)) => notes.push(format!(
            "parallel on {}: {}/{tasks} tasks",
            crate::units::counted(run.spec.workers, "worker"),
            drawn.finished
        )),
        _ => {}
    }
    if let Some(columns) = parallel_span
        .filter(|_| shared)
        .map(|span| Scale::new(geo.track_x, geo.track_width, common).col(span))
        .filter(|columns| *columns < THIN_COLUMNS)
    {
        notes.insert(
            0,
            format!(
                "parallel too thin to read here ({}): z zooms each side",
                crate::units::counted(usize::from(columns), "column")
            ),
        );
    }
    if run.spec.schedule != crate::schedule::Schedule::Steal {
        notes.push(run.spec.schedule.label());
    }
    if serial.iter().chain(&parallel).any(|d| d.occupancy) {
        notes.push("shade = share of time busy".to_string());
    }
    if let Some(waves) = waves {
        let part = if waves.start.is_zero() {
            ""
        } else {
            "serial part, then "
        };
        notes.push(format!(
            "┴ ideal: {part}waves of {}",
            format_duration(waves.mean)
        ));
    }
    if run.stage() == Stage::Finished {
        notes.push(
            if shared {
                "one time scale (z: each its own)"
            } else {
                "each side on its own scale (z: one scale)"
            }
            .to_string(),
        );
    }
    notes.join(" · ")
}

/// The serial lane drawn over `span` of time, with its time on the right.
fn draw_serial(
    app: &App,
    run: &LiveRun,
    side: &SideView,
    span: Duration,
    geo: &Geometry,
    buf: &mut Buffer,
    theme: &Theme,
) -> Drawn {
    let elapsed = side.elapsed(app.now);
    let scale = Scale::new(geo.track_x, geo.track_width, span);
    let rows = SideRows::new(vec![(geo.serial_y, 0..1)], 1);
    let drawn = paint::side(side, &rows, &scale, app.now, run.spec.tasks, buf, theme);
    time_label(geo, geo.serial_y, elapsed, buf, theme);
    drawn
}

/// The worker lanes drawn over `span` of time (on their own scale at least
/// the ideal waves long), the wave guides, the axis and the time so far.
fn draw_parallel(
    app: &App,
    run: &LiveRun,
    side: &SideView,
    span: Duration,
    geo: &Geometry,
    buf: &mut Buffer,
    theme: &Theme,
) -> Drawn {
    let elapsed = side.elapsed(app.now);
    let waves = run.waves();
    let scale = Scale::new(geo.track_x, geo.track_width, span);
    let rows = geo.parallel_rows(run.spec.workers);
    paint::wave_guides(&rows, &scale, waves, buf, theme);
    let drawn = paint::side(side, &rows, &scale, app.now, run.spec.tasks, buf, theme);
    let cursor = side.is_running().then(|| scale.col(elapsed));
    draw_axis(geo, buf, theme, Some(&scale), waves, cursor);
    time_label(geo, geo.axis_y, elapsed, buf, theme);
    drawn
}

/// The serial side's scale while it runs: the planned total (a drawing
/// scale only, never printed), so the lane fills at the right pace.
fn serial_scale(run: &LiveRun, serial: &SideView) -> Duration {
    match serial.wall {
        Some(wall) => wall,
        None => run.spec.serial_estimate(),
    }
}

fn time_label(geo: &Geometry, y: u16, time: Duration, buf: &mut Buffer, theme: &Theme) {
    let x = geo.track_x + geo.track_width + 2;
    buf.set_stringn(
        x,
        y,
        format_duration(time),
        MARGIN as usize - 2,
        theme.header,
    );
}

/// The time axis under the parallel lanes: a rule, a `┴` at each ideal
/// wave boundary and a `▲` under the "now" cursor.
fn draw_axis(
    geo: &Geometry,
    buf: &mut Buffer,
    theme: &Theme,
    scale: Option<&Scale>,
    waves: Option<Waves>,
    cursor: Option<u16>,
) {
    if !geo.axis {
        return;
    }
    let y = geo.axis_y;
    buf.set_string(geo.track_x - 1, y, "└", theme.dim);
    buf.set_string(
        geo.track_x,
        y,
        "─".repeat(geo.track_width as usize),
        theme.dim,
    );
    if let Some((scale, waves)) = scale.zip(waves.filter(|w| paint::few_enough(w, geo.track_width)))
    {
        for at in waves.boundaries() {
            let col = scale.col(at).min(geo.track_width);
            buf.set_string(geo.track_x + col, y, "┴", theme.wave);
        }
    }
    if let Some(col) = cursor.filter(|c| *c < geo.track_width) {
        buf.set_string(geo.track_x + col, y, "▲", theme.cursor);
    }
}

#[cfg(test)]
mod tests {
    //! The lanes with many workers and many tasks: folded rows and occupancy.

    use super::*;
    use crate::app::live_run::LiveRun;
    use crate::app::occupancy::Occupancy;
    use crate::app::test_support::{app, ms};
    use crate::board::TaskBoard;
    use crate::config::Work;
    use crate::runner::{RunEvent, RunTiming, Side};
    use crate::theme::ThemeName;
    use std::sync::Arc;

    /// A finished run of `tasks` equal 1 ms tasks on `workers` workers, in
    /// waves, with the serial side alongside.
    fn finished_run(workers: usize, tasks: usize) -> App {
        let mut app = app();
        let spec = Work {
            tasks,
            workers,
            task_ms: 1.0,
            ..Work::SEED_DEMO
        };
        let serial = TaskBoard::new(tasks);
        let parallel = TaskBoard::new(tasks).with_lane_ids(workers);
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
                transfer: None,
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
    fn two_workers_keep_a_row_each_where_the_axis_would_not_fit() {
        let app = finished_run(2, 8);
        let lines = draw_lanes(&app, 80, 4);
        let all = lines.join("\n");
        assert!(!all.contains("w0-1"), "{all}");
        let labels: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(labels[1..], ["serial", "w0", "w1"], "{all}");
        let tall = draw_lanes(&app, 80, 11).join("\n");
        assert!(tall.contains('└'), "the axis returns where it fits: {tall}");
    }

    #[test]
    fn process_ids_go_to_the_legend_and_the_lanes_keep_their_w_names() {
        let mut app = finished_run(2, 8);
        let run = app.lab.run.as_mut().unwrap();
        run.spec.pool = crate::pool::Pool::PythonProcesses;
        let board = &run.parallel.as_ref().unwrap().board;
        board.set_lane_id(0, 48213);
        board.set_lane_id(1, 48214);
        let lines = draw_lanes(&app, 80, 11);
        let all = lines.join("\n");
        assert!(all.contains("pid w0 48213 · w1 48214"), "{all}");
        assert!(
            lines.iter().any(|l| l.trim_start().starts_with("w1 ")),
            "{all}"
        );
        assert!(
            !lines[1..]
                .iter()
                .any(|l| l.trim_start().starts_with("48213")),
            "{all}"
        );
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
}
