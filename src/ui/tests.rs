//! Whole-screen rendering from fixed states, on ratatui's `TestBackend`,
//! at the smallest supported size and a larger one.

use super::*;
use crate::app::keys::{self, Key};
use crate::app::live_run::RunMsg;
use crate::app::selection::Selection;
use crate::app::test_support::{app, app_on, parallel_running, seed_finished, serial_running};
use crate::app::{Mode, Screen};
use crate::machine::MachineInfo;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

/// The screen as text lines, and the buffer for style checks.
pub fn screen(app: &App, width: u16, height: u16) -> (Vec<String>, Buffer) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render(app, frame)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let lines = (0..height)
        .map(|y| (0..width).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect();
    (lines, buf)
}

fn row_with<'a>(lines: &'a [String], needle: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}:\n{}", lines.join("\n")))
}

fn assert_panels(lines: &[String]) {
    let all = lines.join("\n");
    for needle in [
        "parlab",
        "Test CPU · 2 physical cores · 2 logical CPUs",
        "Settings",
        "▶ tasks",
        "workers",
        "workload",
        "task time",
        "CPU usage",
        "cpu0",
        "cpu1",
        "Worker lanes",
        "serial",
        "w7",
        "speedup",
        "ⓘ",
    ] {
        assert!(all.contains(needle), "missing {needle:?}:\n{all}");
    }
    let bar = lines.last().unwrap();
    assert!(bar.contains("? help") && bar.contains("q quit"), "{bar}");
}

#[test]
fn the_opening_screen_shows_every_panel_at_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (lines, _) = screen(&app(), w, h);
        assert_panels(&lines);
        assert!(row_with(&lines, "▶ tasks").contains("24"));
        assert!(row_with(&lines, "workload ").contains("sleep"));
        assert!(row_with(&lines, "task time").contains("100 ms"));
        assert!(lines.last().unwrap().starts_with(" r run  ←→ change"));
    }
}

#[test]
fn a_finished_seed_run_fills_the_table_lanes_and_explanation() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (lines, _) = screen(&seed_finished(), w, h);
        assert_panels(&lines);
        let row = row_with(&lines, "▶sleep");
        for cell in [
            "24", "8", "2.40 s", "301 ms", "300 ms", "7.97×", "99.7 %", "2.00 ms",
        ] {
            assert!(row.contains(cell), "{cell} in {row}");
        }
        let axis = row_with(&lines, "└");
        assert_eq!(axis.matches('┴').count(), 3, "{axis}");
        assert!(axis.contains("301 ms"));
        assert!(row_with(&lines, "serial ").contains("2.40 s"));
        assert!(row_with(&lines, "w0 ").contains('0'));
        assert!(lines.join(" ").contains("8 workers, 2 CPUs, 7.97×"));
    }
}

#[test]
fn a_running_parallel_side_shows_progress_and_the_moving_cursor() {
    let mut app = parallel_running(150);
    app.lab.lane_scale = crate::app::lab::LaneScale::PerSide;
    let (lines, buf) = screen(&app, 120, 40);
    assert!(row_with(&lines, "Worker lanes").contains("parallel on 8 workers: 8/24 tasks"));
    assert!(row_with(&lines, "▶sleep").contains("parallel 8/24 tasks"));
    assert!(row_with(&lines, "└").contains('▲'));
    assert!(row_with(&lines, "w3 ").contains('│'));
    assert!(lines.last().unwrap().contains("Esc cancel"));
    let running = crate::theme::ThemeName::Dark.theme().running;
    let w0 = lines.iter().position(|l| l.contains("w0 ")).unwrap() as u16;
    let running_cells = (0..120)
        .filter(|x| buf[(*x, w0)].bg == running.bg.unwrap())
        .count();
    assert!(running_cells > 5, "the second wave grows live");
}

#[test]
fn a_running_serial_side_fills_the_top_lane() {
    let (lines, _) = screen(&serial_running(6), 80, 24);
    assert!(row_with(&lines, "Worker lanes").contains("serial: 6/24 tasks"));
    assert!(row_with(&lines, "▶sleep").contains("serial 6/24 tasks"));
    assert!(row_with(&lines, "serial ").contains("650 ms"));
}

#[test]
fn a_cancelled_run_says_so_in_its_row() {
    let mut app = parallel_running(50);
    app.on_key(Key::Esc);
    app.on_run(RunMsg::Done(Ok(None)));
    let (lines, _) = screen(&app, 80, 24);
    let row = row_with(&lines, "▶sleep");
    assert!(row.contains("cancelled") && row.contains("2.40 s"), "{row}");
}

#[test]
fn below_80x24_a_message_asks_for_more_room() {
    for (w, h) in [(60, 15), (79, 24), (80, 23), (1, 1)] {
        let (lines, _) = screen(&serial_running(2), w, h);
        let all = lines.join("\n");
        if w >= 30 {
            assert!(all.contains("Enlarge it to 80x24"), "{w}x{h}:\n{all}");
        }
        assert!(!all.contains("Worker lanes"));
    }
}

#[test]
fn the_help_lists_every_key_of_the_table_and_fits_80x24() {
    let mut app = app();
    app.on_key(Key::Char('?'));
    let (lines, _) = screen(&app, 80, 24);
    let all = lines.join("\n");
    for (keys, about) in keys::help() {
        assert!(
            all.contains(keys) && all.contains(about),
            "{keys}: {about}\n{all}"
        );
    }
    for panel in ["Settings", "CPU usage", "Lanes", "Timings", "Key bar"] {
        assert!(all.contains(panel));
    }
    assert!(
        all.contains("Lesson, Presenter"),
        "every panel named:\n{all}"
    );
    assert!(lines.iter().any(|l| l.contains('└') && l.contains('┘')));
}

#[test]
fn the_key_bar_comes_from_the_key_table() {
    let (lines, _) = screen(&app(), 160, 40);
    let bar = lines.last().unwrap();
    let mut at = 0;
    for (key, word) in keys::bar(false) {
        let entry = format!("{key} {word}");
        let found = bar[at..]
            .find(&entry)
            .unwrap_or_else(|| panic!("{entry} in {bar}"));
        at += found;
    }
}

#[test]
fn the_presets_popup_lists_the_six_experiments() {
    let mut app = app();
    app.on_key(Key::Char('p'));
    let (lines, _) = screen(&app, 80, 24);
    let all = lines.join("\n");
    for preset in &app.lab.presets {
        assert!(all.contains(&preset.name), "{}", preset.name);
    }
    assert!(all.contains("1 Seed demo"));
}

#[test]
fn a_typed_value_shows_in_place_and_a_refusal_on_the_note_line() {
    let mut app = app();
    app.lab.selected = crate::app::settings::Setting::Workers;
    for c in "5000".chars() {
        app.on_key(Key::Char(c));
    }
    app.on_key(Key::Enter);
    let (lines, _) = screen(&app, 80, 24);
    assert!(row_with(&lines, "▶ workers").contains("5000▏"));
    assert!(row_with(&lines, "▸ refused").contains("1 to 1024"));
    assert!(lines.last().unwrap().contains("Enter keep"));
}

#[test]
fn mono_draws_without_any_colour() {
    let mut app = seed_finished();
    app.theme = crate::theme::ThemeName::Mono;
    assert_colourless(&screen(&app, 80, 24).1);
}

/// Fails unless every cell keeps the terminal's own colours: what `mono`
/// (and so `NO_COLOR`) promises.
pub fn assert_colourless(buf: &Buffer) {
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
}

#[test]
fn many_cpus_fit_a_compact_grid_at_80x24() {
    let mut app = app_on(MachineInfo::synthetic(64, 128));
    app.on_sample(vec![50.0; 128]);
    let (lines, _) = screen(&app, 80, 24);
    let cells: usize = lines[2..6].iter().map(|l| l.matches('▄').count()).sum();
    assert_eq!(cells, 128);
    assert!(lines[2].contains("cpu0"));
    assert_panels_without_cpu_count(&lines);
    let (big, _) = screen(&app, 160, 50);
    let all = big.join("\n");
    assert!(all.contains("cpu127"), "{all}");
}

fn assert_panels_without_cpu_count(lines: &[String]) {
    let all = lines.join("\n");
    for needle in [
        "64 physical cores · 128 logical CPUs",
        "Worker lanes",
        "w7",
        "speedup",
        "ⓘ",
    ] {
        assert!(all.contains(needle), "missing {needle:?}:\n{all}");
    }
}

#[test]
fn any_window_size_and_state_renders_without_panic() {
    let mut many = app_on(MachineInfo::synthetic(64, 128));
    many.lab.spec.workers = 1024;
    many.on_sample(vec![100.0; 200]);
    let mut help = seed_finished();
    help.on_key(Key::Char('?'));
    let mut presets = parallel_running(10);
    presets.mode = Mode::Presets {
        list: Selection::at(5),
        under: Screen::Main,
    };
    let states = [
        app(),
        serial_running(0),
        parallel_running(299),
        seed_finished(),
        many,
        help,
        presets,
    ];
    for state in &states {
        for w in [1, 10, 40, 79, 80, 81, 100, 133, 200] {
            for h in [1, 5, 23, 24, 25, 30, 41, 60] {
                screen(state, w, h);
            }
        }
    }
}
