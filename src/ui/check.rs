//! The check view (`k`): the machine line, what the check is measuring
//! while it runs, then the table `parlab check` prints, and the key bar.

use super::{keybar, panel, settings};
use crate::app::App;
use crate::app::check::{Check, LAB_BUDGET};
use crate::check::CheckStage;
use crate::output::Export as _;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// Draws the view over `area` (at least 80x24).
pub fn render(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    settings::render_header(app, Rect::new(area.x, area.y, area.width, 1), buf, theme);
    let body = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(2),
    );
    let inner = panel(body, buf, "Check", "the quick core-scaling check", theme);
    let mut lines: Vec<Line> = text(&app.check)
        .into_iter()
        .map(|line| Line::styled(line, theme.text))
        .collect();
    if let Some(message) = &app.message {
        lines.insert(0, Line::styled(format!("▸ {message}"), theme.warn));
    }
    Paragraph::new(lines).render(inner, buf);
    let bar = Rect::new(
        area.x,
        area.y + area.height.saturating_sub(1),
        area.width,
        1,
    );
    keybar::render(app, bar, buf, theme);
}

/// The lines of the view: the table, or what is going on.
pub fn text(check: &Check) -> Vec<String> {
    match check {
        Check::Idle => vec!["k runs the check.".to_string()],
        Check::Running(stage) => vec![format!(
            "checking this machine (about {} s): {}…",
            LAB_BUDGET.as_secs(),
            stage.map_or("starting", CheckStage::label)
        )],
        Check::Done(result) => result.table(false).lines().map(str::to_string).collect(),
        Check::Ended(why) => vec![why.clone()],
    }
}

#[cfg(test)]
mod tests {
    use crate::app::test_support::app;
    use crate::app::{Effect, Mode, Msg, check::CheckMsg, keys::Key};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen(app: &crate::app::App) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| crate::ui::render(app, frame))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect::<String>()
                    + "\n"
            })
            .collect()
    }

    #[test]
    fn k_runs_the_check_and_its_table_replaces_the_panels() {
        let mut app = app();
        let Effect::StartCheck(budget, _) = app.on_key(Key::Char('k')) else {
            panic!("k starts the check")
        };
        assert_eq!(budget, crate::app::check::LAB_BUDGET);
        assert_eq!(app.mode, Mode::Check);
        let running = screen(&app);
        assert!(running.contains("checking this machine"), "{running}");
        assert!(running.contains("Esc cancel"), "{running}");
        assert_eq!(
            app.on_key(Key::Char('k')),
            Effect::None,
            "one check at a time"
        );
        let result = Box::new(crate::check::fixed_result());
        app.update(Msg::Check(CheckMsg::Done(Ok(Some(result)))));
        let done = screen(&app);
        for needle in [
            "parlab check · Test CPU",
            "mp_ratio 3.20×",
            "19.0",
            "Esc back",
            "k again",
        ] {
            assert!(done.contains(needle), "{needle}:\n{done}");
        }
        assert_eq!(app.on_key(Key::Esc), Effect::None);
        assert_eq!(app.mode, Mode::Main);
    }

    #[test]
    fn esc_cancels_a_check_under_way() {
        let mut app = app();
        app.on_key(Key::Char('k'));
        assert_eq!(app.on_key(Key::Esc), Effect::Cancel);
        app.update(Msg::Check(CheckMsg::Done(Ok(None))));
        assert!(screen(&app).contains("the check was cancelled"));
    }
}
