//! Lessons, guesses and the presenter view on screen, from fixed states,
//! at the smallest supported window and larger ones.

use crate::app::keys::Key;
use crate::app::selection::Selection;
use crate::app::teaching::fixtures::{finish, in_lesson, type_keys};
use crate::app::test_support::{app, parallel_running, seed_finished, serial_running};
use crate::app::{App, Mode, Screen};
use crate::lesson::{LessonSet, parse_lesson};
use crate::ui::big_text;
use crate::ui::tests::screen;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

fn all(lines: &[String]) -> String {
    lines.join("\n")
}

fn assert_has(lines: &[String], needles: &[&str]) {
    let text = all(lines);
    for needle in needles {
        assert!(text.contains(needle), "missing {needle:?}:\n{text}");
    }
}

/// The rows of `text` in block letters, trailing blanks cut.
fn big(text: &str) -> Vec<String> {
    let (w, h) = (big_text::width(text, 1), big_text::height(1));
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    big_text::draw(text, (0, 0), 1, (w, h), &mut buf, Style::default());
    (0..h)
        .map(|y| {
            let row: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
            row.trim_end().to_string()
        })
        .collect()
}

/// Whether `text` in block letters stands on rows 1 to 5 of the screen.
fn shows_big(lines: &[String], text: &str) -> bool {
    big(text)
        .iter()
        .enumerate()
        .all(|(row, glyphs)| lines[1 + row].contains(glyphs.as_str()))
}

#[test]
fn the_list_shows_every_lesson_and_each_problem_with_file_and_line() {
    let mut set = LessonSet::shipped();
    let broken = parse_lesson("my-lessons/bad.toml", "title = \"x\"\nsumary = \"y\"\n");
    set.problems.push(broken.unwrap_err());
    let mut app = app().with_lessons(set);
    app.on_key(Key::Char('L'));
    app.on_key(Key::Down);
    let (lines, _) = screen(&app, 80, 24);
    assert_has(
        &lines,
        &[
            "Lessons · ↑↓ Enter starts",
            " 1  The classic demo",
            " 2  Waiting needs workers, not cores",
            " 8  Amdahl's law",
            "10  Threads and processes",
            "Could not be used:",
            "⚠ my-lessons/bad.toml, line 2:",
            "Enter start",
        ],
    );
    let summary = &app.teaching.lessons.lessons[1].summary;
    assert!(
        all(&lines).contains(&summary[..30]),
        "the highlighted summary"
    );
}

#[test]
fn a_lesson_step_shows_its_text_question_and_keys_at_80x24() {
    let mut app = in_lesson(0);
    app.on_key(Key::Char('n'));
    let (lines, _) = screen(&app, 80, 24);
    assert_has(
        &lines,
        &[
            "─ Lesson 1 · The classic demo · step 2/3 · Eight workers",
            "Now 8 workers share the 24 tasks.",
            "? 24 tasks, 8 workers, 100 ms each: how long will the parallel run take?",
            "r: type your guess, then Enter runs it",
            "workers    8",
            "Worker lanes",
            "w6-7",
        ],
    );
    let bar = lines.last().unwrap();
    for entry in ["r run", "n next", "N back", "Esc leave", "? help", "q quit"] {
        assert!(bar.contains(entry), "{entry} in {bar}");
    }
}

#[test]
fn the_guess_is_typed_in_the_lesson_then_shown_beside_the_measurement() {
    let mut app = in_lesson(0);
    app.on_key(Key::Char('n'));
    app.on_key(Key::Char('r'));
    type_keys(&mut app, "300 ms");
    let (lines, _) = screen(&app, 80, 24);
    assert_has(
        &lines,
        &["› Your guess for the parallel time (e.g. 0.3 s or 300 ms): 300 ms▏"],
    );
    assert!(lines.last().unwrap().contains("Enter run"));
    app.on_key(Key::Enter);
    let (running, _) = screen(&app, 80, 24);
    assert_has(&running, &["your guess: 300 ms · Esc cancels"]);
    finish(&mut app, 2400, 301);
    let (lines, _) = screen(&app, 80, 24);
    assert_has(
        &lines,
        &[
            "◆ Close: you guessed 300 ms, it took 301 ms.",
            "score 1/1 close",
            "against 2.40 s serially: 7.97× faster",
            "n: next step",
        ],
    );
}

#[test]
fn a_refused_guess_says_why_on_the_lesson_panel() {
    let mut app = in_lesson(0);
    app.on_key(Key::Char('r'));
    type_keys(&mut app, "soon");
    app.on_key(Key::Enter);
    let (lines, _) = screen(&app, 80, 24);
    assert_has(&lines, &["▸ “soon” is not a guess", "soon▏"]);
}

#[test]
fn outside_a_lesson_the_guess_shows_on_the_explanation_lines() {
    let mut app = app();
    app.on_key(Key::Char('g'));
    app.on_key(Key::Char('r'));
    type_keys(&mut app, "2");
    let (lines, _) = screen(&app, 80, 24);
    assert_has(&lines, &["› Your guess for the parallel time", "2▏"]);
    app.on_key(Key::Enter);
    finish(&mut app, 2400, 301);
    let (lines, _) = screen(&app, 80, 24);
    assert_has(
        &lines,
        &["◆ Too pessimistic: you guessed 2.00 s, it took 301 ms (6.6× shorter). (score 0/1"],
    );
}

#[test]
fn the_presenter_shows_three_big_figures_and_the_lanes_only() {
    let mut app = seed_finished();
    app.on_key(Key::Char('b'));
    app.on_key(Key::Char('t'));
    for (w, h) in [(80, 24), (100, 30)] {
        let (lines, _) = screen(&app, w, h);
        assert!(lines[0].contains("serial") && lines[0].contains("speedup"));
        assert!(lines[0].contains("parallel · 8 workers"));
        for figure in ["2.40 s", "301 ms", "7.97×"] {
            assert!(
                shows_big(&lines, figure),
                "{figure} at {w}x{h}:\n{}",
                all(&lines)
            );
        }
        assert_has(&lines, &["Worker lanes", "w7", "└"]);
        let text = all(&lines);
        for absent in ["Settings", "CPU usage", "effic.", "ⓘ", "? help"] {
            assert!(!text.contains(absent), "{absent} at {w}x{h}:\n{text}");
        }
    }
}

#[test]
fn a_large_window_doubles_the_figures() {
    let mut app = seed_finished();
    app.on_key(Key::Char('b'));
    let (lines, _) = screen(&app, 160, 50);
    let doubled = lines[1..11].iter().filter(|l| l.contains("██████")).count();
    assert!(doubled >= 4, "{}", all(&lines));
    assert!(!shows_big(&lines, "2.40 s"), "not the single size");
}

#[test]
fn the_presenter_counts_up_live_during_a_run() {
    let mut serial = serial_running(6);
    serial.on_key(Key::Char('b'));
    let (lines, _) = screen(&serial, 80, 24);
    assert!(lines[0].contains("● serial"), "{}", lines[0]);
    assert!(shows_big(&lines, "650 ms"), "{}", all(&lines));
    assert!(shows_big(&lines, "—"));
    let mut parallel = parallel_running(150);
    parallel.on_key(Key::Char('b'));
    let (lines, _) = screen(&parallel, 80, 24);
    assert!(lines[0].contains("● parallel · 8 workers"), "{}", lines[0]);
    assert!(!lines[0].contains("● serial"));
    assert!(shows_big(&lines, "2.40 s") && shows_big(&lines, "150 ms"));
    assert_has(&lines, &["parallel on 8 workers: 8/24 tasks"]);
}

#[test]
fn the_serial_part_row_fits_at_80x24_in_the_amdahl_lesson() {
    let app = in_lesson(7);
    let (lines, _) = screen(&app, 80, 24);
    assert_has(
        &lines,
        &[
            "serial     25.0 % of the work",
            "workload   serial-fraction",
            "Lesson 8 · Amdahl's law",
        ],
    );
    assert_has(&lines, &["Worker lanes", "└"]);
}

#[test]
fn every_lesson_and_presenter_state_renders_at_any_size() {
    let mut list = app();
    list.on_key(Key::Char('L'));
    let step = in_lesson(7);
    let mut typing = in_lesson(0);
    typing.on_key(Key::Char('r'));
    type_keys(&mut typing, "1234567890 seconds");
    let mut after = in_lesson(0);
    after.on_key(Key::Char('r'));
    after.on_key(Key::Enter);
    finish(&mut after, 2400, 2400);
    let mut presenter = parallel_running(10);
    presenter.on_key(Key::Char('b'));
    let mut help = in_lesson(1);
    help.on_key(Key::Char('?'));
    let mut empty = app().with_lessons(LessonSet::default());
    empty.mode = Mode::Lessons {
        list: Selection::at(0),
        under: Screen::Main,
    };
    let states: [App; 7] = [list, step, typing, after, presenter, help, empty];
    for state in &states {
        for w in [1, 10, 40, 79, 80, 81, 100, 133, 200] {
            for h in [1, 5, 23, 24, 25, 30, 41, 60] {
                screen(state, w, h);
            }
        }
    }
}

#[test]
fn a_taller_window_explains_the_lesson_and_presenter_panels_in_the_help() {
    let mut app = app();
    app.on_key(Key::Char('?'));
    let (lines, _) = screen(&app, 100, 40);
    assert_has(
        &lines,
        &[
            "L, n N     lessons (guided steps)",
            "in a lesson: the step, its question, then what happened",
            "b: big serial, parallel and speedup figures over the lanes",
        ],
    );
}
