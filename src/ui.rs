//! Drawing: pure functions from the [`App`] state to a frame, one file per
//! panel. Nothing here reads a clock, a channel or the system; the time
//! a frame shows is `app.now`.
//!
//! The screen, top to bottom: a header with the machine line, settings
//! beside per-core bars, the worker lanes (the largest panel), the timing
//! table, the explanation line and the key bar. The sweep view ([`sweep`])
//! takes the whole screen instead. Below 80x24 a short message asks for a
//! larger window.

pub mod big_text;
pub mod check;
pub mod cores;
pub mod explain;
pub mod guess;
pub mod help;
pub mod keybar;
pub mod lanes;
pub mod lessons;
pub mod presenter;
pub mod presets;
pub mod settings;
pub mod sweep;
pub mod time_went;
pub mod timings;

use crate::app::mouse::Target;
use crate::app::{App, Mode, Screen};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

/// Smallest window the panels fit in.
pub const MIN_WIDTH: u16 = crate::app::MIN_WINDOW.0;
/// Smallest window height the panels fit in.
pub const MIN_HEIGHT: u16 = crate::app::MIN_WINDOW.1;

/// Draws the whole screen into a frame.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    draw(app, area, frame.buffer_mut());
}

/// Draws the whole screen into `buf` over `area`.
pub fn draw(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme.theme();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, area, buf, &theme);
        return;
    }
    match app.mode.screen() {
        Screen::Sweep => {
            let help = matches!(app.mode, Mode::Help { .. });
            return sweep::render(app, help, area, buf, &theme);
        }
        Screen::Check => return check::render(app, area, buf, &theme),
        Screen::Presenter => {
            presenter::render(app, area, buf, &theme);
            return overlay(app, area, buf, &theme);
        }
        Screen::Main => {}
    }
    let layout = match app.teaching.lesson {
        Some(_) => Areas::for_lesson(app, area),
        None => Areas::of(app, area),
    };
    settings::render_header(app, layout.header, buf, &theme);
    settings::render(app, layout.settings, buf, &theme);
    cores::render(app, layout.cores, buf, &theme);
    lanes::render(app, layout.lanes, buf, &theme);
    timings::render(app, layout.timings, buf, &theme);
    explain::render(app, layout.explain, buf, &theme);
    keybar::render(app, layout.keybar, buf, &theme);
    if let Some(lesson) = layout.lesson {
        lessons::render_step(app, lesson, buf, &theme);
    }
    overlay(app, area, buf, &theme);
}

/// What a click at (`column`, `row`) lands on in the frame drawn over
/// `area` for `app`: a lesson of the list, a setting, a key of the key bar;
/// `None` elsewhere, and in a window too small for the panels.
pub fn target_at(app: &App, area: Rect, column: u16, row: u16) -> Option<Target> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let at = ratatui::layout::Position::new(column, row);
    if let Mode::Lessons { list, .. } = &app.mode {
        return lessons::list_targets(app, list.index, area)
            .into_iter()
            .find(|(rect, _)| rect.contains(at))
            .map(|(_, index)| Target::Lesson(index));
    }
    if app.mode.screen() != Screen::Main
        || matches!(app.mode, Mode::Help { .. } | Mode::Presets { .. })
    {
        return None;
    }
    let layout = match app.teaching.lesson {
        Some(_) => Areas::for_lesson(app, area),
        None => Areas::of(app, area),
    };
    if let Some((_, key)) = keybar::targets(app, layout.keybar)
        .into_iter()
        .find(|(rect, _)| rect.contains(at))
    {
        return Some(Target::Key(key));
    }
    let rows = layout.settings.y + 1..layout.settings.y + layout.settings.height;
    if layout.settings.contains(at) && rows.contains(&row) {
        let shown = crate::app::settings::Setting::shown(&app.lab.spec);
        return shown
            .get(usize::from(row - layout.settings.y - 1))
            .map(|setting| Target::Setting(*setting));
    }
    None
}

/// Draws what is on top of the panels: the help, the presets, the lessons.
fn overlay(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    match &app.mode {
        Mode::Help { .. } => help::render(area, buf, theme),
        Mode::Presets { list, .. } => presets::render(app, list.index, area, buf, theme),
        Mode::Lessons { list, .. } => lessons::render_list(app, list.index, area, buf, theme),
        _ => {}
    }
}

/// Where each panel goes.
struct Areas {
    header: Rect,
    settings: Rect,
    cores: Rect,
    lanes: Rect,
    timings: Rect,
    explain: Rect,
    keybar: Rect,
    /// The lesson panel, while a lesson is followed.
    lesson: Option<Rect>,
}

impl Areas {
    /// Splits the screen: at 80x24 every panel gets its minimum (the lanes
    /// less when there are few workers); extra rows go first to the lanes
    /// (up to what they can use), then the explanation, the core bars and
    /// the table, and what is left to the lanes again.
    fn of(app: &App, area: Rect) -> Self {
        let settings_width = (area.width * 2 / 5).clamp(30, 40);
        let top_want = 1 + cores::rows_wanted(app, area.width - settings_width);
        let lanes_want = 1 + lanes::rows_wanted(app);
        // The "where the time went" bar under the table counts as a table
        // row: at 80x24 it takes a row the table or the explanation had,
        // never one the lanes need.
        let bar = u16::from(timings::newest_accounting(app).is_some());
        let table_want = 1 + app.lab.rows.len() as u16 + bar;
        let top_base = settings::rows_wanted(app).max(5);
        let lanes_base = lanes_want.clamp(5, 16 - top_base);
        let mut spare = area.height - MIN_HEIGHT + (16 - top_base - lanes_base);
        let mut grow = |base: u16, want: u16| {
            let extra = want.saturating_sub(base).min(spare);
            spare -= extra;
            base + extra
        };
        // Table rows no run fills yet go to the explanation, so a note and
        // the sentence about the first run both fit at 80x24; the table
        // takes them back as runs arrive.
        let table_base = table_want.clamp(2, 4);
        let explain_base = 2 + (4 - table_base);
        let lanes = grow(lanes_base, lanes_want);
        let explain = grow(explain_base, explain_base.max(3));
        let top = grow(top_base, top_want);
        let table = grow(table_base, table_want.max(6));
        let lanes = lanes + spare;
        let mut y = area.y;
        let mut take = |height: u16| {
            let rect = Rect::new(area.x, y, area.width, height);
            y += height;
            rect
        };
        let header = take(1);
        let top = take(top);
        let (settings, cores) = split_columns(top, settings_width);
        Self {
            header,
            settings,
            cores,
            lanes: take(lanes),
            timings: take(table),
            explain: take(explain),
            keybar: take(1),
            lesson: None,
        }
    }
}

/// Splits `area` into a left part `left` columns wide and the rest, with
/// one blank column between.
fn split_columns(area: Rect, left: u16) -> (Rect, Rect) {
    let left = left.min(area.width);
    let right_x = area.x + left + 1;
    let right_width = area.width.saturating_sub(left + 1);
    (
        Rect::new(area.x, area.y, left, area.height),
        Rect::new(right_x, area.y, right_width, area.height),
    )
}

/// Draws `body` in a bordered box of `size` (width, height; cut to fit)
/// centred on `area` and titled `title`, over what is drawn below: the
/// help, presets and lessons popups all look the same this way.
pub fn popup(
    area: Rect,
    buf: &mut Buffer,
    size: (u16, u16),
    title: &str,
    body: Paragraph<'_>,
    theme: &Theme,
) {
    let (width, height) = (size.0.min(area.width), size.1.min(area.height));
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Span::styled(format!(" {title} "), theme.title))
        .border_style(theme.title);
    body.block(block).render(rect, buf);
}

/// Draws a panel's title line (`─ Title ─ note ──────`) on the first row of
/// `area` and returns the rows below it.
pub fn panel(area: Rect, buf: &mut Buffer, title: &str, note: &str, theme: &Theme) -> Rect {
    if area.height == 0 {
        return area;
    }
    // A title and note too long for the rule are cut between words, the
    // note first, never mid-word.
    let room = usize::from(area.width).saturating_sub(3);
    let title = fit_words(title, room);
    let note = fit_words(note, room.saturating_sub(title.chars().count() + 3));
    let line = Line::from(vec![
        Span::styled("─ ", theme.dim),
        Span::styled(title, theme.title),
        Span::styled(if note.is_empty() { " " } else { " · " }, theme.dim),
        Span::styled(note, theme.dim),
        Span::styled(" ", theme.dim),
    ]);
    let rule = "─".repeat(area.width as usize);
    buf.set_stringn(area.x, area.y, &rule, area.width as usize, theme.dim);
    buf.set_line(area.x, area.y, &line, area.width);
    Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(1),
    )
}

/// `text` within `max` characters: whole, or its first words and `…`, or
/// nothing when not even one word fits.
pub fn fit_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut fitted = String::new();
    for word in text.split_whitespace() {
        let wanted =
            fitted.chars().count() + usize::from(!fitted.is_empty()) + word.chars().count();
        if wanted + 1 > max {
            break;
        }
        if !fitted.is_empty() {
            fitted.push(' ');
        }
        fitted.push_str(word);
    }
    if fitted.is_empty() {
        return String::new();
    }
    fitted.push('…');
    fitted
}

/// `text` wrapped at `width` columns between words; a word longer than a
/// row is cut. Each source line starts a new row.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    for line in text.lines() {
        let mut row = String::new();
        for word in line.split_whitespace() {
            let mut word: Vec<char> = word.chars().collect();
            while word.len() > width {
                if !row.is_empty() {
                    rows.push(std::mem::take(&mut row));
                }
                rows.push(word.drain(..width).collect());
            }
            let word: String = word.into_iter().collect();
            if row.is_empty() {
                row = word;
            } else if row.chars().count() + 1 + word.chars().count() <= width {
                row.push(' ');
                row.push_str(&word);
            } else {
                rows.push(std::mem::replace(&mut row, word));
            }
        }
        rows.push(row);
    }
    rows
}

/// The message shown instead of the panels in a window below 80x24; only
/// the keys it names act there (see `App::too_small`), and the note a key
/// left (the quit question) shows below them.
fn too_small(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut text = vec![
        Line::styled("parlab needs a larger window", theme.title),
        Line::raw(format!(
            "Enlarge it to {MIN_WIDTH}x{MIN_HEIGHT} (now {}x{}).",
            area.width, area.height
        )),
        Line::styled("only q (quit) and Esc (cancel a run) act here", theme.dim),
    ];
    if let Some(message) = &app.message {
        text.push(Line::styled(message.clone(), theme.warn));
    }
    let top = area.height.saturating_sub(3) / 2;
    let inner = Rect::new(area.x, area.y + top, area.width, area.height - top);
    Paragraph::new(text)
        .centered()
        .wrap(Wrap { trim: true })
        .render(inner, buf);
}

#[cfg(test)]
pub(crate) mod tests {
    //! Whole-screen rendering from fixed states, on ratatui's `TestBackend`,
    //! at the smallest supported size and a larger one.

    use super::*;

    /// Where `needle` is first drawn on the screen of `app` at 80x24 (the
    /// last time when `from_bottom`): its first character's column and row.
    fn drawn_at(app: &App, needle: &str, from_bottom: bool) -> (u16, u16) {
        let (lines, _) = screen(app, 80, 24);
        let mut rows: Vec<(usize, &String)> = lines.iter().enumerate().collect();
        if from_bottom {
            rows.reverse();
        }
        rows.into_iter()
            .find_map(|(row, line)| {
                let byte = line.find(needle)?;
                Some((line[..byte].chars().count() as u16, row as u16))
            })
            .unwrap_or_else(|| panic!("{needle} not drawn:\n{}", lines.join("\n")))
    }

    #[test]
    fn a_click_lands_on_the_setting_lesson_or_key_drawn_under_it() {
        use crate::app::keys::Key;
        use crate::app::settings::Setting;
        let area = Rect::new(0, 0, 80, 24);
        let mut app = crate::app::test_support::app();
        app.update(crate::app::Msg::Resized {
            width: 80,
            height: 24,
        });
        let (x, y) = drawn_at(&app, "workload ", false);
        assert_eq!(
            target_at(&app, area, x + 3, y),
            Some(Target::Setting(Setting::Workload))
        );
        let (x, y) = drawn_at(&app, "r run", true);
        assert_eq!(
            target_at(&app, area, x, y),
            Some(Target::Key(Key::Char('r')))
        );
        let (x, y) = drawn_at(&app, "←→ change", true);
        assert_eq!(target_at(&app, area, x, y), Some(Target::Key(Key::Left)));
        assert_eq!(
            target_at(&app, area, x + 8, y),
            Some(Target::Key(Key::Right))
        );
        assert_eq!(
            target_at(&app, area, 79, 12),
            None,
            "the lanes take no click"
        );
        app.on_key(Key::Char('L'));
        let (x, y) = drawn_at(&app, " 3  ", false);
        assert_eq!(target_at(&app, area, x + 6, y), Some(Target::Lesson(2)));
        assert_eq!(target_at(&app, area, 79, 23), None);
    }
    use crate::app::keys::{self, Key};
    use crate::app::live_run::RunMsg;
    use crate::app::selection::Selection;
    use crate::app::sweeps::test_support::sweep_done;
    use crate::app::teaching::test_support::{in_lesson, type_keys};
    use crate::app::test_support::{
        app, app_on, feed_seed_run, parallel_running, seed_finished, serial_running,
    };
    use crate::app::{Mode, Screen};
    use crate::machine::MachineInfo;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;

    /// The main screens, each from a fixed state: the lab after the seed
    /// run, a lesson step after its run and guess, the guess prompt, a
    /// finished sweep, the presenter view and the help.
    fn main_screens() -> Vec<(&'static str, App)> {
        let mut lesson = in_lesson(0);
        lesson.on_key(Key::Char('n'));
        lesson.on_key(Key::Char('r'));
        type_keys(&mut lesson, "300 ms");
        lesson.on_key(Key::Enter);
        feed_seed_run(&mut lesson, 301);
        let mut guess = in_lesson(0);
        guess.on_key(Key::Char('n'));
        guess.on_key(Key::Char('r'));
        type_keys(&mut guess, "0.3 s");
        let mut presenter = seed_finished();
        presenter.on_key(Key::Char('b'));
        let mut help = seed_finished();
        help.on_key(Key::Char('?'));
        let mut states = vec![
            ("main_after_a_run", seed_finished()),
            ("lesson_step", lesson),
            ("guess_prompt", guess),
            ("sweep", sweep_done()),
            ("presenter", presenter),
            ("help", help),
        ];
        for (_, app) in &mut states {
            let cpus = app.machine.logical_cpus;
            app.on_sample((0..cpus).map(|cpu| [12.0, 87.5][cpu % 2]).collect());
        }
        states
    }

    /// Whole screens at the smallest supported size and a larger one, so a
    /// layout change shows as a reviewed snapshot diff, not as a passing
    /// `contains` check.
    #[test]
    fn the_main_screens_at_80x24_and_120x40() {
        for (name, app) in main_screens() {
            for (width, height) in [(80, 24), (120, 40)] {
                let (lines, _) = screen(&app, width, height);
                let trimmed: Vec<&str> = lines.iter().map(|l| l.trim_end()).collect();
                insta::assert_snapshot!(format!("{name}_{width}x{height}"), trimmed.join("\n"));
            }
        }
    }

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
    fn every_window_size_shows_the_screen_or_asks_for_a_larger_one() {
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
            assert_every_size(state);
        }
    }

    /// Draws `app` at sizes from 1x1 to 200x60 and checks what each shows:
    /// below 80x24 the request for a larger window with the size it has
    /// (wherever that text has room) and no panel; from 80x24 up no such
    /// request, and the longest word that the smallest and the largest
    /// window both show (a title, a label), so no size loses the screen.
    pub fn assert_every_size(app: &App) {
        let words = |w, h| {
            let (lines, _) = screen(app, w, h);
            let all = lines.join(" ");
            all.split_whitespace()
                .filter(|w| w.chars().all(char::is_alphabetic))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let largest = words(200, 60);
        let mut common: Vec<String> = words(MIN_WIDTH, MIN_HEIGHT)
            .into_iter()
            .filter(|w| largest.contains(w))
            .collect();
        common.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        let needle = common.first().expect("the two sizes share a word").clone();
        assert!(needle.chars().count() >= 4, "{needle}");
        for w in [1, 10, 40, 79, 80, 81, 100, 133, 200] {
            for h in [1, 5, 23, 24, 25, 30, 41, 60] {
                let (lines, _) = screen(app, w, h);
                let all = lines.join("\n");
                assert_eq!(lines.len(), usize::from(h));
                let small = all.contains("needs a larger window");
                if w < MIN_WIDTH || h < MIN_HEIGHT {
                    if w >= 40 && h >= 5 {
                        assert!(small, "{w}x{h}:\n{all}");
                        assert!(all.contains(&format!("(now {w}x{h})")), "{w}x{h}:\n{all}");
                    }
                    assert!(!all.contains("Worker lanes"), "{w}x{h}:\n{all}");
                } else {
                    assert!(!small, "{w}x{h}:\n{all}");
                    assert!(all.contains(&needle), "{w}x{h}: {needle}\n{all}");
                }
            }
        }
    }
}

#[cfg(test)]
mod pictures;
