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
fn any_window_size_and_sweep_state_renders_without_panic() {
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
        for w in [1, 10, 40, 79, 80, 81, 100, 133, 200] {
            for h in [1, 5, 23, 24, 25, 30, 41, 60] {
                screen(state, w, h);
            }
        }
    }
}

#[test]
fn a_weak_sweep_shows_time_against_the_flat_ideal_and_where_it_rose() {
    use crate::sweep::fixtures::side;
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
        sweep.on_event(SweepEvent::Row(
            row.weak(std::time::Duration::from_millis(165)),
        ));
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
