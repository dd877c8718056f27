//! The sweep view (`s`): the speedup chart of the worker counts measured so
//! far with the sweep table, a progress line while it runs, the Amdahl fit
//! and the model in words below, and the key bar.
//!
//! At 80x24 the chart sits above the table; in a window wide enough that
//! the chart beside the table stays about as wide as it is tall (counting
//! a cell as twice as tall as wide), they stand side by side. Both grow
//! with the window.

mod chart;
mod table;

use super::{help, keybar, panel, settings};
use crate::app::App;
use crate::app::keys::{self, SWEEP_KEYS};
use crate::app::sweeps::{LiveSweep, SweepStatus};
use crate::sweep::{KNEE_GAIN, Scaling, SweepStage};
use crate::theme::Theme;
use crate::units::{counted, format_duration, format_ms, format_percent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::time::Instant;

/// Fewest rows the chart keeps (legend included) when the table is long.
const MIN_CHART_ROWS: u16 = 8;
/// Fewest columns a chart beside the table may have.
const MIN_CHART_WIDTH: u16 = 60;

/// What each part of the view shows, for its help overlay.
const PANELS: [(&str, &str); 5] = [
    (
        "Chart",
        "● measured, · ideal model, ⠒ Amdahl fit, ┊ core counts",
    ),
    (
        "Table",
        "per worker count: median time, ideal, speedup, efficiency",
    ),
    (
        "K–F",
        "Karp–Flatt serial fraction of each row; rising = overhead",
    ),
    (
        "Fit",
        "Amdahl's serial fraction for the rows, the knee, the model",
    ),
    ("Key bar", "the keys that work right now"),
];

/// Draws the view over `area` (at least 80x24), with its help on top when
/// `help` is set.
pub fn render(app: &App, help: bool, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let Some(sweep) = app.sweeps.current.as_ref() else {
        return;
    };
    let areas = Areas::of(sweep, area);
    settings::render_header(app, areas.header, buf, theme);
    panel(areas.title, buf, "Sweep", &plan_note(sweep), theme);
    let (status, style) = status_line(app, sweep, theme);
    buf.set_stringn(
        areas.status.x + 1,
        areas.status.y,
        status,
        usize::from(areas.status.width.saturating_sub(1)),
        style,
    );
    chart::render(sweep, &app.machine, areas.chart, buf, theme);
    table::render(sweep, app.now, areas.table, buf, theme);
    notes(app, sweep, areas.notes, buf, theme);
    keybar::render(app, areas.keybar, buf, theme);
    if help {
        help::render_for(&keys::help_of(&SWEEP_KEYS), &PANELS, area, buf, theme);
    }
}

/// Where each part goes.
struct Areas {
    header: Rect,
    title: Rect,
    status: Rect,
    chart: Rect,
    table: Rect,
    notes: Rect,
    keybar: Rect,
}

impl Areas {
    /// Header, title and progress on top, notes and key bar at the bottom;
    /// between them the chart and the table, which gets the rows it needs
    /// (below the chart) or its fixed width (beside it).
    fn of(sweep: &LiveSweep, area: Rect) -> Self {
        let notes_height = if area.height >= 34 { 5 } else { 4 };
        let row = |y: u16, height: u16| Rect::new(area.x, y, area.width, height);
        let body_y = area.y + 3;
        let body_height = area.height.saturating_sub(4 + notes_height);
        let beside = area.width.saturating_sub(table::WIDTH + 2);
        let (chart, table) = if beside >= MIN_CHART_WIDTH && beside >= 2 * body_height {
            let chart_width = beside;
            (
                Rect::new(area.x, body_y, chart_width, body_height),
                Rect::new(area.x + chart_width + 2, body_y, table::WIDTH, body_height),
            )
        } else {
            let table_height = table::rows_wanted(sweep)
                .min(body_height.saturating_sub(MIN_CHART_ROWS))
                .max(3.min(body_height));
            let chart_height = body_height - table_height;
            (
                row(body_y, chart_height),
                row(body_y + chart_height, table_height),
            )
        };
        let notes_y = body_y + body_height;
        Self {
            header: row(area.y, 1),
            title: row(area.y + 1, 1),
            status: row(area.y + 2, 1),
            chart,
            table,
            notes: row(notes_y, notes_height),
            keybar: row(notes_y + notes_height, 1),
        }
    }
}

/// `cpu · strong · 16 tasks × 20.0 ms · workers 1, 2, 4`.
fn plan_note(sweep: &LiveSweep) -> String {
    let plan = &sweep.plan;
    let workers: Vec<String> = plan.workers.0.iter().map(usize::to_string).collect();
    let size = match plan.scaling {
        Scaling::Strong => format!("strong · {}", counted(plan.work.tasks, "task")),
        Scaling::Weak => format!("weak · {} per worker", counted(plan.work.tasks, "task")),
    };
    let workers = match &sweep.typing {
        Some(text) => format!("workers {text}▏ Enter measures, Esc drops"),
        None => format!("workers {}", workers.join(", ")),
    };
    format!(
        "{} · {size} × {} · {workers}",
        plan.work.workload.name(),
        format_ms(plan.work.task_ms),
    )
}

/// The progress line: what is measured now, or how the sweep ended.
fn status_line(app: &App, sweep: &LiveSweep, theme: &Theme) -> (String, Style) {
    let count = sweep.plan.workers.0.len();
    let measured = sweep.rows.len();
    match &sweep.status {
        SweepStatus::Running if sweep.cancelling => ("cancelling…".to_string(), theme.warn),
        SweepStatus::Running => (progress(sweep, app.now), theme.newest),
        SweepStatus::Done { index } => {
            let saved = app
                .sweeps
                .finished
                .get(*index)
                .is_some_and(|s| s.files.is_some());
            let next = if saved {
                "chart and table exported"
            } else {
                "e exports the chart (SVG) and the table (Markdown)"
            };
            (
                format!("done: {} · {next}", counted(count, "worker count")),
                theme.good,
            )
        }
        SweepStatus::Cancelled => {
            let when = match sweep.baseline {
                Some(_) => format!("after {measured} of {}", counted(count, "worker count")),
                None => "during the serial baseline".to_string(),
            };
            (
                format!("cancelled {when} · s measures again, Esc goes back"),
                theme.warn,
            )
        }
        SweepStatus::Failed(why) => (format!("failed: {why}"), theme.warn),
    }
}

/// `measuring 4 workers (3/3): 7/16 tasks · 120 ms`, with the round when a
/// measurement has several.
fn progress(sweep: &LiveSweep, now: Instant) -> String {
    let Some(live) = &sweep.live else {
        return "preparing the work…".to_string();
    };
    let what = match live.stage {
        SweepStage::Serial => "the serial baseline".to_string(),
        SweepStage::ScaledSerial { workers, row, rows } => format!(
            "serial, scaled for {} ({}/{rows})",
            counted(workers, "worker"),
            row + 1
        ),
        SweepStage::Parallel { workers, row, rows } => {
            format!("{} ({}/{rows})", counted(workers, "worker"), row + 1)
        }
    };
    let rounds = sweep.plan.rounds;
    let total = rounds.warmup + rounds.repeat;
    let round = match (total, live.warmup) {
        (1, _) => String::new(),
        (_, true) => format!(", warm-up {}/{}", live.round + 1, rounds.warmup),
        (_, false) => format!(", run {}/{}", live.round + 1 - rounds.warmup, rounds.repeat),
    };
    format!(
        "measuring {what}{round}: {}/{} tasks · {}",
        live.finished_tasks(),
        live.board.len(),
        format_duration(live.elapsed(now))
    )
}

/// The note of the last key (if any), a warning when the checksums
/// differ, then the fit and the model in words, wrapped.
fn notes(app: &App, sweep: &LiveSweep, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut lines = Vec::new();
    if let Some(message) = &app.message {
        lines.push(Line::styled(format!("▸ {message}"), theme.warn));
    }
    let differ: Vec<String> = sweep
        .rows
        .iter()
        .filter(|r| !r.results_match)
        .map(|r| r.workers.to_string())
        .collect();
    if !differ.is_empty() {
        lines.push(Line::styled(
            format!(
                "RESULTS DIFFER from the serial run at {}: the runs did not do the same work",
                crate::units::counted_list(&differ, "worker")
            ),
            theme.warn,
        ));
    }
    lines.extend(fit_lines(sweep, theme));
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

/// `Amdahl serial fraction 0.083 · knee at 4 workers: …`, then the model;
/// for a weak sweep, where its time stopped being flat.
fn fit_lines(sweep: &LiveSweep, theme: &Theme) -> Vec<Line<'static>> {
    if sweep.plan.scaling == Scaling::Weak {
        return match sweep.weak_fit() {
            Some(weak) => vec![Line::from(vec![
                Span::styled("weak scaling: ", theme.header),
                Span::styled(weak.explanation(), theme.text),
            ])],
            None => vec![Line::styled(
                "weak scaling: each row runs its workers' share of a growing problem; flat time is perfect",
                theme.dim,
            )],
        };
    }
    let Some(fit) = &sweep.fit else {
        let why = if sweep.is_running() {
            "the Amdahl fit and the model appear once a row with 2+ workers is measured"
        } else {
            "no row with 2 or more workers was measured: nothing to fit"
        };
        return vec![Line::styled(why, theme.dim)];
    };
    let knee = match (fit.knee_workers, sweep.is_running()) {
        (Some(w), _) => format!(
            "knee at {}: later rows gain under {}",
            counted(w, "worker"),
            format_percent(KNEE_GAIN)
        ),
        (None, true) => "no knee yet".to_string(),
        (None, false) => "no knee: the speedup still rises at the last row".to_string(),
    };
    vec![
        Line::from(vec![
            Span::styled("Amdahl ", theme.header),
            Span::styled(format!("{} · {knee}", fit.fraction_text()), theme.text),
        ]),
        Line::from(vec![
            Span::styled(format!("{}: ", fit.model.name()), theme.header),
            Span::styled(crate::sentences::verdict(fit), theme.text),
        ]),
    ]
}

#[cfg(test)]
mod tests {
    //! The sweep view on ratatui's `TestBackend`, from fixed sweeps (the
    //! CPU-bound fixture: 16 × 20 ms on 2 cores / 4 CPUs at 1, 2, 4, 8
    //! workers), at 80x24 and larger.

    use crate::app::keys::{self, Key, SWEEP_KEYS};
    use crate::app::sweeps::SweepMsg;
    use crate::app::sweeps::test_support::{start_stage, sweep_at, sweep_done, sweep_opened};
    use crate::app::{App, Mode, Msg, Screen};
    use crate::output::sweep_files::SweepFiles;
    use crate::sweep::SweepStage;
    use crate::ui::tests::{assert_colourless, screen};
    use std::path::PathBuf;

    fn row_with<'a>(lines: &'a [String], needle: &str) -> &'a str {
        lines
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?}:\n{}", lines.join("\n")))
    }

    fn index_of(lines: &[String], needle: &str) -> usize {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?}:\n{}", lines.join("\n")))
    }

    /// The chart's rows: from the legend to the x-axis line.
    fn chart_rows(lines: &[String]) -> &[String] {
        let top = index_of(lines, "● measured");
        let axis = index_of(lines, "└──");
        &lines[top + 1..axis]
    }

    #[test]
    fn a_finished_sweep_shows_the_chart_the_table_and_the_fit() {
        for (w, h) in [(80, 24), (120, 40)] {
            let (lines, _) = screen(&sweep_done(), w, h);
            let all = lines.join("\n");
            let legend = row_with(&lines, "● measured");
            for entry in [
                "· ideal model",
                "⠒ Amdahl fit, f = 0.086",
                "┊ 2 cores · 4 CPUs",
            ] {
                assert!(legend.contains(entry), "{entry} in {legend}");
            }
            let chart = chart_rows(&lines).join("\n");
            assert_eq!(chart.matches('●').count(), 4, "a point per row:\n{chart}");
            assert!(chart.contains('┊') && chart.contains('·') && chart.contains('⠒'));
            assert!(chart.contains("speedup") && chart.contains("workers"));
            assert!(row_with(&lines, "5×").contains('│'), "y axis up to 5×");
            let x_labels = &lines[index_of(&lines, "└──") + 1];
            assert!(x_labels.trim_start().starts_with('0') && x_labels.trim_end().ends_with('8'));
            assert!(all.contains("workers  parallel     ideal  speedup  effic.    K–F  Amdahl"));
            let four = row_with(&lines, "   4    100 ms");
            for cell in ["80.0 ms", "3.20×", "80.0 %", "0.083", "3.18×"] {
                assert!(four.contains(cell), "{cell} in {four}");
            }
            assert!(row_with(&lines, "   1    322 ms").contains("  –  "));
            assert!(row_with(&lines, "─ Table").contains("serial baseline 320 ms"));
            assert!(
                row_with(&lines, "─ Sweep")
                    .contains("cpu · strong · 16 tasks × 20.0 ms · workers 1, 2, 4, 8")
            );
            assert!(row_with(&lines, "done: 4 worker counts").contains("e exports"));
            assert!(
                row_with(&lines, "Amdahl serial fraction 0.086").contains("knee at 4 workers"),
                "{all}"
            );
            assert!(all.contains("cores: tasks compute, so the speedup stops at the 4 CPUs"));
            assert!(
                lines
                    .last()
                    .unwrap()
                    .starts_with(" Esc back  e export  s again")
            );
        }
    }

    #[test]
    fn the_table_goes_beside_the_chart_only_where_the_chart_stays_wide() {
        for (w, h, beside) in [(80, 24, false), (120, 40, false), (200, 50, true)] {
            let (lines, _) = screen(&sweep_done(), w, h);
            let header = row_with(&lines, "workers  parallel");
            assert_eq!(header.contains('│'), beside, "{w}x{h}: {header}");
            let table = index_of(&lines, "workers  parallel");
            assert_eq!(table < index_of(&lines, "└──"), beside, "{w}x{h}");
        }
    }

    #[test]
    fn a_sweep_under_way_counts_its_row_up_live() {
        let (lines, _) = screen(&sweep_at(2, true), 80, 24);
        assert!(row_with(&lines, "measuring 4 workers (3/4)").contains("7/16 tasks · 120 ms"));
        assert!(row_with(&lines, "   4   120 ms…").contains("7/16 tasks"));
        assert!(
            row_with(&lines, "       8         ·")
                .trim_end()
                .ends_with('·')
        );
        assert!(row_with(&lines, "▶      2").contains("1.94×"));
        assert!(row_with(&lines, "Amdahl serial fraction 0.031").contains("no knee yet"));
        let x_labels = &lines[index_of(&lines, "└──") + 1];
        assert!(
            x_labels.trim_end().ends_with('8'),
            "the axis spans the plan"
        );
        let bar = lines.last().unwrap();
        assert!(bar.starts_with(" Esc cancel"), "{bar}");
        assert!(!bar.contains("export"));
    }

    #[test]
    fn the_serial_baseline_shows_before_any_row() {
        let mut app = sweep_opened();
        start_stage(&mut app, SweepStage::Serial, 5, 60);
        let (lines, _) = screen(&app, 80, 24);
        assert!(row_with(&lines, "measuring the serial baseline").contains("5/16 tasks · 60.0 ms"));
        assert!(row_with(&lines, "─ Table").contains("serial baseline: measuring"));
        assert!(
            lines
                .join(" ")
                .contains("appear once a row with 2+ workers")
        );
        assert!(chart_rows(&lines).join("").matches('●').count() == 0);
    }

    #[test]
    fn a_cancelled_sweep_says_where_it_stopped() {
        let mut app = sweep_at(2, true);
        app.on_key(Key::Esc);
        let (lines, _) = screen(&app, 80, 24);
        assert!(row_with(&lines, "cancelling…").starts_with(' '));
        app.on_sweep(SweepMsg::Done(Ok(None)));
        let (lines, _) = screen(&app, 80, 24);
        assert!(row_with(&lines, "cancelled after 2 of 4 worker counts").contains("Esc goes back"));
        assert!(row_with(&lines, "       4 cancelled").len() > 10);
        assert!(lines.last().unwrap().starts_with(" Esc back"));
    }

    #[test]
    fn an_export_says_where_the_files_went() {
        let mut app = sweep_done();
        let files = SweepFiles {
            svg: PathBuf::from("/home/t/parlab-sweep-cpu-2026-11-25_06-23-25.svg"),
            markdown: PathBuf::from("/home/t/parlab-sweep-cpu-2026-11-25_06-23-25.md"),
        };
        app.update(Msg::SweepSaved {
            index: 0,
            saved: Ok(files),
        });
        let (lines, _) = screen(&app, 80, 24);
        assert!(
            row_with(&lines, "▸ saved parlab-sweep-cpu-2026-11-25_06-23-25.svg")
                .contains(".md in /home/t")
        );
        assert!(row_with(&lines, "done: 4 worker counts").contains("chart and table exported"));
        app.update(Msg::SweepSaved {
            index: 0,
            saved: Err("cannot save the sweep in /ro: denied".into()),
        });
        let (lines, _) = screen(&app, 80, 24);
        let note = row_with(&lines, "▸ cannot save").trim_end();
        assert!(
            note.ends_with("cannot save the sweep in /ro: denied"),
            "{note}"
        );
    }

    #[test]
    fn the_sweep_help_lists_its_own_keys_and_fits_80x24() {
        let mut app = sweep_done();
        app.on_key(Key::Char('?'));
        let (lines, _) = screen(&app, 80, 24);
        let all = lines.join("\n");
        for (keys, about) in keys::help_of(&SWEEP_KEYS) {
            assert!(
                all.contains(keys) && all.contains(about),
                "{keys}: {about}\n{all}"
            );
        }
        assert!(all.contains("Karp–Flatt"));
        assert!(lines.iter().any(|l| l.contains('└') && l.contains('┘')));
        assert!(lines.last().unwrap().contains("any key close"));
    }

    #[test]
    fn mono_draws_the_sweep_without_any_colour() {
        let mut app = sweep_done();
        app.theme = crate::theme::ThemeName::Mono;
        assert_colourless(&screen(&app, 80, 24).1);
    }

    #[test]
    fn every_window_size_shows_the_sweep_or_asks_for_a_larger_one() {
        let mut help = sweep_at(1, true);
        help.mode = Mode::Help {
            under: Screen::Sweep,
        };
        let mut cancelled = sweep_at(3, true);
        cancelled.on_sweep(SweepMsg::Done(Ok(None)));
        let mut failed = sweep_opened();
        failed.on_sweep(SweepMsg::Done(Err("no thread".into())));
        let states: [App; 6] = [
            sweep_opened(),
            sweep_at(2, true),
            sweep_done(),
            help,
            cancelled,
            failed,
        ];
        for state in &states {
            crate::ui::tests::assert_every_size(state);
        }
    }

    #[test]
    fn a_weak_sweep_shows_time_against_the_flat_ideal_and_where_it_rose() {
        use crate::sweep::test_support::side;
        use crate::sweep::{Scaling, SweepEvent, SweepRow};
        let mut app = sweep_opened();
        let sweep = app.sweeps.current.as_mut().unwrap();
        sweep.plan.scaling = Scaling::Weak;
        sweep.plan.workers.0 = vec![1, 2, 4];
        sweep.on_event(SweepEvent::Baseline(side(160, 1).wall));
        for (workers, ms) in [(1, 165), (2, 170), (4, 340)] {
            let row = SweepRow::new(
                workers,
                &side(160 * workers as u64, 1),
                &side(ms, 1),
                Some(4),
            );
            sweep.on_event(SweepEvent::Row(Box::new(
                row.weak(std::time::Duration::from_millis(165)),
            )));
        }
        for (width, height) in [(80, 24), (120, 40)] {
            let (lines, _) = screen(&app, width, height);
            let all = lines.join("\n");
            assert!(
                row_with(&lines, "─ Sweep").contains("weak · 16 tasks per worker"),
                "{all}"
            );
            assert!(
                all.contains("ideal: flat at T(1)") && !all.contains("Amdahl fit"),
                "{all}"
            );
            assert!(all.contains("time (ms)"), "{all}");
            assert!(
                row_with(&lines, "workers  parallel").contains("scaled   T1/TW"),
                "{all}"
            );
            let four = row_with(&lines, "   4    340 ms");
            assert!(four.contains("640 ms") && four.contains("48.5 %"), "{four}");
            assert!(all.contains("up to 2 workers; at"), "{all}");
            assert!(all.contains("grew to 2.06× T(1)"), "{all}");
        }
    }
}
