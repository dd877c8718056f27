//! Lessons on screen: the list (`L`) with every file that could not be
//! used, and while a lesson is followed, the lesson panel under the
//! settings: the step's text and question and the guess prompt before the
//! run, the guess against the measurement and the "what happened"
//! paragraph after it.
//!
//! In a lesson the panel takes the place of the explanation line (notes
//! show in it) and the timing table gives way when the window is short.

use super::{Areas, guess, lanes, panel, settings, split_columns};
use crate::app::App;
use crate::app::teaching::lessons::StepResult;
use crate::app::{keys, teaching::lessons::LessonProgress};
use crate::lesson::{Settings, Step};
use crate::theme::Theme;
use crate::units::{counted, counted_list};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// The key bar of the list.
pub const LIST_BAR: [(&str, &str); 4] = [
    ("↑↓", "choose"),
    ("Enter", "start"),
    ("Esc", "close"),
    ("q", "quit"),
];

/// The key bar in a lesson: run (or cancel), stepping, Esc that leaves
/// the lesson, help and quit; then the lab's keys.
pub fn step_bar(running: bool) -> Vec<(&'static str, &'static str)> {
    let mut bar = keys::bar(running);
    if !running {
        bar.insert(0, ("Esc", "leave"));
    }
    let (mut first, rest): (Vec<_>, Vec<_>) = bar
        .into_iter()
        .partition(|(_, name)| matches!(*name, "run" | "cancel" | "leave" | "help" | "quit"));
    if !running {
        first.splice(1..1, [("n", "next"), ("N", "back")]);
    }
    first.extend(rest);
    first
}

/// The lesson panel's content: notes on top, the text that may page
/// (the step's text, or after the run what happened), and the lines kept
/// at the bottom whatever the text's length (the question, the guess
/// prompt, what the keys do).
struct StepLines {
    top: Vec<Line<'static>>,
    text: Vec<String>,
    bottom: Vec<Line<'static>>,
}

/// The lesson panel's content for the current step.
fn step_lines(app: &App, theme: &Theme) -> StepLines {
    let mut lines = StepLines {
        top: Vec::new(),
        text: Vec::new(),
        bottom: Vec::new(),
    };
    let Some((_, step, run)) = app.teaching.lesson_step() else {
        return lines;
    };
    if let Some(message) = &app.message {
        lines
            .top
            .push(Line::styled(format!("▸ {message}"), theme.warn));
    }
    let result = run.results.get(run.step).and_then(Option::as_ref);
    if app.is_running() {
        lines.bottom.push(question(step, theme));
        lines.bottom.push(while_running(app, run, theme));
    } else if let (Some(result), None) = (result, app.guess()) {
        let (outcome, text, bottom) = after_run(result, theme);
        lines.top.push(outcome);
        lines.text = text;
        lines.bottom = bottom;
    } else {
        lines.text = vec![app.step_text(step).trim_end().to_string()];
        lines.bottom.push(question(step, theme));
        lines.bottom.extend(before_run(app, &step.settings, theme));
    }
    lines
}

fn question(step: &Step, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled("? ", theme.key),
        Span::styled(step.question.clone(), theme.title),
    ])
}

/// The prompt while a guess is typed, else what `r` will do.
fn before_run(app: &App, settings: &Settings, theme: &Theme) -> Vec<Line<'static>> {
    if let Some(entry) = app.guess() {
        return vec![
            guess::prompt(entry, theme),
            guess::prompt_hint(entry, theme),
        ];
    }
    let mut lines = Vec::new();
    if let Some(counts) = settings
        .sweep_plan(&app.lab.spec)
        .map(|plan| plan.workers.0)
    {
        lines.push(Line::styled(
            format!(
                "A sweep: one run on each of {}, one after another.",
                counted_list(&counts, "worker")
            ),
            theme.dim,
        ));
    }
    lines.push(Line::styled(
        "r: type your guess, then Enter runs it · n next step · Esc leaves",
        theme.dim,
    ));
    lines
}

fn while_running(app: &App, run: &LessonProgress, theme: &Theme) -> Line<'static> {
    let guessed = match &app.teaching.pending {
        Some(p) => format!("your guess: {}", p.quantity.format(p.guess)),
        None => "no guess this time".to_string(),
    };
    let sweep = run.sweep.as_ref().map_or(String::new(), |s| {
        format!(" · sweep over {}", counted(s.counts.len(), "worker count"))
    });
    Line::styled(format!("{guessed}{sweep} · Esc cancels"), theme.dim)
}

/// After the run: the judged guess, what happened (which may page), and
/// what the keys do next.
fn after_run(
    result: &StepResult,
    theme: &Theme,
) -> (Line<'static>, Vec<String>, Vec<Line<'static>>) {
    let outcome = match &result.guess {
        Some(outcome) => guess::outcome(outcome, theme),
        None => Line::styled("No guess for this run.", theme.dim),
    };
    let mut text = vec![result.happened.trim_end().to_string()];
    if result.own_settings {
        text.push(
            "This run used settings of your own; the text was written for the step's.".into(),
        );
    }
    let bottom = vec![Line::styled(
        "n: next step · N: back · r: run it again · Esc leaves the lesson",
        theme.dim,
    )];
    (outcome, text, bottom)
}

/// Rows `lines` take wrapped at `width`.
fn wrapped_rows(lines: &[Line], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(width) as u16)
        .sum()
}

/// Draws the lesson panel: lesson and step in the title, the score on
/// the right of it, the step's lines below.
pub fn render_step(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let Some((lesson, step, run)) = app.teaching.lesson_step() else {
        return;
    };
    let title = format!("Lesson {} · {}", run.index + 1, lesson.title);
    let note = format!(
        "step {}/{} · {}",
        run.step + 1,
        lesson.steps.len(),
        step.title
    );
    // The score takes the right end of the rule; the title and the note
    // are fitted, between words, into what it leaves.
    let score = (app.teaching.score.guesses() > 0)
        .then(|| format!(" {} ─", guess::score(&app.teaching.score)));
    let score_width = score.as_ref().map_or(0, |s| s.chars().count() as u16);
    let titled = Rect {
        width: area.width.saturating_sub(score_width),
        ..area
    };
    let inner = Rect {
        width: area.width,
        ..panel(titled, buf, &title, &note, theme)
    };
    if let Some(score) = score {
        let x = area.right().saturating_sub(score_width);
        buf.set_stringn(x, area.y, &score, score_width as usize, theme.good);
    }
    let lines = step_lines(app, theme);
    Paragraph::new(fit_panel(app, lines, inner, theme))
        .wrap(Wrap { trim: true })
        .render(inner, buf);
}

/// The panel's lines within `area`: the bottom lines always, the notes
/// on top if there is room, and the text wrapped between words in the rows
/// left, one page at a time (Space shows the next) with a line saying so.
fn fit_panel(app: &App, lines: StepLines, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let width = area.width;
    let bottom_rows = wrapped_rows(&lines.bottom, width);
    let top_rows = wrapped_rows(&lines.top, width);
    let room = area.height.saturating_sub(bottom_rows);
    let top: Vec<Line> = if top_rows <= room {
        lines.top
    } else {
        Vec::new()
    };
    let room = usize::from(room.saturating_sub(wrapped_rows(&top, width)));
    let text: Vec<String> = lines
        .text
        .iter()
        .flat_map(|t| super::wrap_words(t, usize::from(width)))
        .collect();
    let shown: Vec<Line> = if text.len() <= room {
        text.into_iter()
            .map(|r| Line::styled(r, theme.text))
            .collect()
    } else if room >= 2 {
        let per_page = room - 1;
        let pages = text.len().div_ceil(per_page);
        let page = app.teaching.text_page % pages;
        let mut rows: Vec<Line> = text
            .into_iter()
            .skip(page * per_page)
            .take(per_page)
            .map(|r| Line::styled(r, theme.text))
            .collect();
        rows.push(Line::styled(
            format!("… Space: more (page {}/{pages})", page + 1),
            theme.key,
        ));
        rows
    } else {
        Vec::new()
    };
    top.into_iter().chain(shown).chain(lines.bottom).collect()
}
impl Areas {
    /// The screen in a lesson: header, settings and cores, the lesson
    /// panel (as tall as its text, 8 rows at least), the lanes, the timing
    /// table with the rows the lanes do not need (none if they need them
    /// all), and the key bar.
    pub(super) fn for_lesson(app: &App, area: Rect) -> Self {
        let settings_width = (area.width * 2 / 5).clamp(30, 40);
        let top = settings::rows_wanted(app).max(5);
        let rest = area.height.saturating_sub(2 + top);
        let lines = step_lines(app, &app.theme.theme());
        let text_rows: usize = lines
            .text
            .iter()
            .map(|t| super::wrap_words(t, usize::from(area.width)).len())
            .sum();
        let lesson_want = 1
            + wrapped_rows(&lines.top, area.width)
            + text_rows.min(usize::from(u16::MAX)) as u16
            + wrapped_rows(&lines.bottom, area.width);
        // The lanes keep 4 rows and the timing table 3 (its header and the
        // newest rows), so a long text pages instead of pushing them off.
        let (lanes_min, timings_min) = (4, 3);
        let lesson = lesson_want
            .clamp(8, rest.saturating_sub(lanes_min + timings_min).max(8))
            .min(rest);
        let left = rest - lesson;
        let lanes_want = (1 + lanes::rows_wanted(app)).min(12);
        let lanes = lanes_want
            .min(left.saturating_sub(timings_min))
            .max(left.min(lanes_min));
        let mut y = area.y;
        let mut take = |height: u16| {
            let rect = Rect::new(area.x, y, area.width, height);
            y += height;
            rect
        };
        let header = take(1);
        let (settings, cores) = split_columns(take(top), settings_width);
        Self {
            header,
            settings,
            cores,
            lesson: Some(take(lesson)),
            lanes: take(lanes),
            timings: take(left - lanes),
            explain: take(0),
            keybar: take(1),
        }
    }
}

/// Draws the list of lessons over `area`, `selected` highlighted, with the
/// highlighted lesson's summary and every problem below.
pub fn render_list(app: &App, selected: usize, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let list = ListLayout::of(app, selected, area, theme);
    super::popup(
        area,
        buf,
        list.size,
        "Lessons · ↑↓ Enter starts · Esc closes",
        Paragraph::new(list.lines).wrap(Wrap { trim: false }),
        theme,
    );
}

/// Where each lesson of the list popup is drawn: one row per lesson shown,
/// with its index, for a click to start it.
pub fn list_targets(app: &App, selected: usize, area: Rect) -> Vec<(Rect, usize)> {
    let list = ListLayout::of(app, selected, area, &app.theme.theme());
    let (width, height) = (list.size.0.min(area.width), list.size.1.min(area.height));
    let (x, y) = (
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
    );
    (0..list.shown)
        .map(|row| {
            let index = list.first + row;
            let top = y + 1 + row as u16;
            (Rect::new(x + 1, top, width.saturating_sub(2), 1), index)
        })
        .filter(|(rect, _)| rect.y + 1 < y + height)
        .collect()
}

/// The lessons popup laid out: its lines, its size, and which lessons
/// its list rows show.
struct ListLayout {
    lines: Vec<Line<'static>>,
    size: (u16, u16),
    first: usize,
    shown: usize,
}

impl ListLayout {
    fn of(app: &App, selected: usize, area: Rect, theme: &Theme) -> Self {
        let set = &app.teaching.lessons;
        let width = area.width.saturating_sub(2).min(100);
        let inner_width = width.saturating_sub(2);
        let tail = list_tail(app, selected, theme);
        let room = area.height.saturating_sub(2);
        let tail_rows = wrapped_rows(&tail, inner_width).min(room / 2);
        let list_rows = usize::from(room - tail_rows).max(1);
        let first = selected.saturating_sub(list_rows - 1);
        let mut lines: Vec<Line> = set
            .lessons
            .iter()
            .enumerate()
            .skip(first)
            .take(list_rows)
            .map(|(i, lesson)| {
                let style = if i == selected {
                    theme.selected
                } else {
                    theme.key
                };
                let entry = format!(" {:>2}  {}", i + 1, lesson.title);
                Line::styled(cut(&entry, usize::from(inner_width)), style)
            })
            .collect();
        let shown = lines.len();
        if set.lessons.is_empty() {
            lines.push(Line::styled(" No lesson could be loaded.", theme.warn));
        }
        lines.extend(tail);
        let size = (width, wrapped_rows(&lines, inner_width) + 2);
        Self {
            lines,
            size,
            first,
            shown,
        }
    }
}

/// Below the list: the highlighted lesson's summary, steps and file, then
/// every file that could not be used, with its line.
fn list_tail(app: &App, selected: usize, theme: &Theme) -> Vec<Line<'static>> {
    let set = &app.teaching.lessons;
    let mut tail = Vec::new();
    if let Some(lesson) = set.lessons.get(selected) {
        tail.push(Line::raw(""));
        tail.push(Line::styled(format!(" {}", lesson.summary), theme.text));
        tail.push(Line::styled(
            format!(" {} · {}", counted(lesson.steps.len(), "step"), lesson.file),
            theme.dim,
        ));
        let on_paths: Vec<String> = app
            .teaching
            .paths
            .iter()
            .filter_map(|path| {
                let steps = path.steps_of(selected);
                let numbers: Vec<String> = steps.iter().map(|s| (s + 1).to_string()).collect();
                (!steps.is_empty())
                    .then(|| format!("{} min: step {}", path.minutes, numbers.join(", ")))
            })
            .collect();
        if !on_paths.is_empty() {
            tail.push(Line::styled(
                format!(" Class paths · {}", on_paths.join(" · ")),
                theme.dim,
            ));
        }
    }
    let problems = set.problems.len();
    let from = app.teaching.problems_from.min(problems.saturating_sub(1));
    match problems {
        0 => {}
        1 => tail.push(Line::styled(" Could not be used:", theme.warn)),
        n => tail.push(Line::styled(
            format!(
                " Could not be used ({n} files; from {} · PgDn, PgUp page through them):",
                from + 1
            ),
            theme.warn,
        )),
    }
    for problem in set.problems.iter().skip(from) {
        tail.push(Line::styled(format!(" ⚠ {problem}"), theme.warn));
    }
    tail
}

/// `text` cut to `max` characters.
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    //! Lessons, guesses and the presenter view on screen, from fixed states,
    //! at the smallest supported window and larger ones.

    use crate::app::keys::Key;
    use crate::app::selection::Selection;
    use crate::app::teaching::test_support::{finish, in_lesson, type_keys};
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
    fn a_long_lesson_text_pages_and_never_hides_the_prompt_or_the_table() {
        let long = "Every sentence here is long enough to wrap more than once. ".repeat(40);
        let source = format!(
            "title = \"Long\"\nsummary = \"s\"\n[[step]]\ntitle = \"A step title far too long for any panel title on a small screen\"\ntext = \"{long}\"\nworkload = \"sleep\"\ntasks = 8\nworkers = 8\ntask_ms = 10\nquestion = \"How long?\"\npredict = \"parallel-time\"\nhappened = \"{long}\"\n"
        );
        let mut set = LessonSet::shipped();
        set.lessons
            .push(parse_lesson("99-long.toml", &source).unwrap());
        let mut app = app().with_lessons(set);
        app.on_key(Key::Char('L'));
        app.on_key(Key::Up);
        app.on_key(Key::Enter);
        let mut pages = std::collections::BTreeSet::new();
        for _ in 0..12 {
            let (lines, _) = screen(&app, 80, 24);
            let text = all(&lines);
            assert_has(
                &lines,
                &[
                    "? How long?",
                    "r: type your guess",
                    "workload   tasks    workers",
                ],
            );
            assert!(
                !text.contains("far too long for any panel title on a"),
                "{text}"
            );
            let indicator = lines.iter().find(|l| l.contains("Space: more")).unwrap();
            pages.insert(indicator.clone());
            app.on_key(Key::Char(' '));
        }
        assert!(pages.len() > 3, "the pages differ: {pages:?}");
        app.on_key(Key::Char('r'));
        let (lines, _) = screen(&app, 80, 24);
        assert_has(
            &lines,
            &["› Your guess for the parallel time", "? How long?"],
        );
    }

    #[test]
    fn titles_are_cut_between_words_and_text_wraps_between_words() {
        assert_eq!(crate::ui::fit_words("one two three", 20), "one two three");
        assert_eq!(crate::ui::fit_words("one two three", 10), "one two…");
        assert_eq!(crate::ui::fit_words("unbreakable", 5), "");
        let rows = crate::ui::wrap_words("aa bb cc dd\nee", 5);
        assert_eq!(rows, ["aa bb", "cc dd", "ee"]);
        assert_eq!(crate::ui::wrap_words("abcdefgh", 3), ["abc", "def", "gh"]);
    }

    #[test]
    fn the_score_never_cuts_the_step_title_mid_word() {
        let mut app = in_lesson(0);
        app.on_key(Key::Char('n'));
        app.on_key(Key::Char('r'));
        type_keys(&mut app, "300 ms");
        app.on_key(Key::Enter);
        finish(&mut app, 2400, 301);
        app.on_key(Key::Char('n'));
        let (lines, _) = screen(&app, 80, 24);
        let rule = lines
            .iter()
            .find(|l| l.contains("─ Lesson 1"))
            .expect("the lesson panel");
        assert!(rule.contains("score 1/1 close"), "{rule}");
        let title = "The recipe itself, in Python";
        let shown = rule
            .split("step 3/4 · ")
            .nth(1)
            .and_then(|rest| rest.split(" ─").next())
            .unwrap_or_default();
        let whole_words = shown == title
            || shown
                .strip_suffix('…')
                .is_some_and(|kept| title.starts_with(&format!("{kept} ")));
        assert!(whole_words, "{rule}");
    }

    #[test]
    fn every_problem_of_a_large_folder_can_be_paged_to_at_80x24() {
        let mut set = LessonSet::shipped();
        for n in 0..15 {
            let file = format!("class/{n:02}-broken.toml");
            set.problems
                .push(parse_lesson(&file, "title = 3\n").unwrap_err());
        }
        let mut app = app().with_lessons(set);
        app.on_key(Key::Char('L'));
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..20 {
            let (lines, _) = screen(&app, 80, 24);
            let text = all(&lines);
            assert!(text.contains("15 files"), "{text}");
            for n in 0..15 {
                if text.contains(&format!("class/{n:02}-broken.toml")) {
                    seen.insert(n);
                }
            }
            app.on_key(Key::PageDown);
        }
        assert_eq!(seen.len(), 15, "reached: {seen:?}");
        app.on_key(Key::PageUp);
        assert!(
            matches!(app.mode, Mode::Lessons { .. }),
            "paging keeps the list open"
        );
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
                " 9  Amdahl's law",
                "13  Threads and processes",
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
        assert_has(
            &lines,
            &["Class paths · 50 min: step 1 · 90 min: step 1, 3"],
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
                "─ Lesson 1 · The classic demo · step 2/4 · Eight workers",
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
            &["› Your guess for the parallel time (a bare number is ms): 300 ms▏"],
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
    fn two_workers_are_never_grouped_in_a_lesson_at_80x24() {
        let app = in_lesson(7);
        assert_eq!(app.lab.spec.workers, 2);
        let (lines, _) = screen(&app, 80, 24);
        let text = all(&lines);
        assert!(!text.contains("w0-1"), "{text}");
        for lane in ["w0", "w1"] {
            assert!(
                lines.iter().any(|l| l.trim_start().starts_with(lane)),
                "{lane}:\n{text}"
            );
        }
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
    fn a_refused_guess_says_why_in_the_presenter_view_too() {
        let mut app = in_lesson(0);
        app.on_key(Key::Char('b'));
        app.on_key(Key::Char('r'));
        type_keys(&mut app, "soon");
        app.on_key(Key::Enter);
        for (w, h) in [(80, 24), (120, 40)] {
            let (lines, _) = screen(&app, w, h);
            assert_has(
                &lines,
                &["▸ “soon” is not a guess", "soon▏", "Worker lanes"],
            );
        }
    }

    #[test]
    fn outside_a_lesson_the_guess_shows_on_the_explanation_lines() {
        let mut app = app();
        app.on_key(Key::Char('g'));
        app.on_key(Key::Char('r'));
        type_keys(&mut app, "2 s");
        let (lines, _) = screen(&app, 80, 24);
        assert_has(&lines, &["› Your guess for the parallel time", "2 s▏"]);
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
    fn the_presenter_shows_a_slowdown_as_slower_with_the_table_s_figure() {
        let mut app = crate::app::test_support::app();
        app.on_key(Key::Char('r'));
        crate::app::test_support::feed_seed_run(&mut app, 4800);
        app.on_key(Key::Char('b'));
        let (lines, _) = screen(&app, 80, 24);
        // The table says 0.50×: the presenter shows that figure, labelled
        // as a slowdown, never its inverse as if it were another number.
        assert!(lines[0].contains("speedup · slower"), "{}", all(&lines));
        assert!(shows_big(&lines, "0.50×"), "{}", all(&lines));
        assert!(!shows_big(&lines, "2.00×"), "{}", all(&lines));
    }

    #[test]
    fn the_presenter_keeps_a_busy_run_s_warning_and_shows_where_the_time_went() {
        let mut app = crate::app::test_support::seed_finished();
        if let Some(crate::app::live_run::RunStatus::Done(report, _)) =
            app.lab.rows.last_mut().map(|row| &mut row.status)
        {
            report.busy = true;
        }
        app.on_key(Key::Char('b'));
        let (lines, _) = screen(&app, 80, 24);
        let text = all(&lines);
        assert!(text.contains("other programs kept the CPUs busy"), "{text}");
        assert!(
            text.contains("time went ▕") && text.contains("work 100 %"),
            "{text}"
        );
        assert!(text.contains("w7"), "the lanes still fit: {text}");
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
        let app = in_lesson(8);
        let (lines, _) = screen(&app, 80, 24);
        assert_has(
            &lines,
            &[
                "serial     25.0 % of the work",
                "workload   serial-fraction",
                "Lesson 9 · Amdahl's law",
            ],
        );
        assert_has(&lines, &["Worker lanes", "└"]);
    }

    #[test]
    fn every_lesson_and_presenter_state_shows_at_any_size_or_asks_for_more() {
        let mut list = app();
        list.on_key(Key::Char('L'));
        let step = in_lesson(8);
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
            crate::ui::tests::assert_every_size(state);
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
                "L, n N ␣   lessons; n N (PgDn PgUp): step",
                "in a lesson: the step, its question, then what happened",
                "b: big serial, parallel and speedup figures over the lanes",
            ],
        );
    }
}
