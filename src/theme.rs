//! Colour themes: `dark` and `light` for the two kinds of terminal (and the
//! projector in a classroom), `mono` for no colour at all. The command line
//! picks one (`--theme`), the lab cycles them (`t`) and the drawing reads
//! their styles, so they live beside all three.
//!
//! Panels never name a colour: they ask the [`Theme`] for a role (title,
//! selected, running task…), so a theme is complete when every role is set,
//! and `mono` can carry meaning with bold, reverse and glyphs alone.

use ratatui::style::{Color, Modifier, Style};

/// The themes a user can pick with `--theme` or cycle with `t`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, strum::VariantArray, strum::IntoStaticStr,
)]
#[strum(serialize_all = "lowercase")]
pub enum ThemeName {
    /// Bright colours on a dark background.
    Dark,
    /// Deep colours on a light background.
    Light,
    /// No colour: bold, reverse video and glyphs only (what `NO_COLOR` picks).
    Mono,
}

impl ThemeName {
    /// The theme to start with: the one asked for, else `mono` when the
    /// `NO_COLOR` convention asks for no colour, else `dark`.
    pub fn choose(asked: Option<Self>, no_color: bool) -> Self {
        match (asked, no_color) {
            (Some(name), _) => name,
            (None, true) => Self::Mono,
            (None, false) => Self::Dark,
        }
    }

    /// Whether the environment asks for no colour (`NO_COLOR` set and not
    /// empty, as no-color.org defines it).
    pub fn no_color_requested() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    /// The name shown on screen and accepted by `--theme`.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The styles of this theme.
    pub fn theme(self) -> Theme {
        match self {
            Self::Dark => coloured(&DARK),
            Self::Light => coloured(&LIGHT),
            Self::Mono => mono(),
        }
    }
}

/// Every style role the panels use.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Ordinary text.
    pub text: Style,
    /// Secondary text: units, hints, axis lines.
    pub dim: Style,
    /// Panel titles and the app name.
    pub title: Style,
    /// Table column headers.
    pub header: Style,
    /// The selected setting, the chosen preset.
    pub selected: Style,
    /// A value being typed.
    pub editing: Style,
    /// Key names in the key bar and the help.
    pub key: Style,
    /// Refusals and warnings.
    pub warn: Style,
    /// The newest row of the timing table.
    pub newest: Style,
    /// Good news: a speedup, a match.
    pub good: Style,
    /// Finished task blocks, alternating so neighbours stay apart.
    pub task: [Style; 2],
    /// Fill glyph of the two alternating task styles.
    pub task_fill: [char; 2],
    /// A task that is still running.
    pub running: Style,
    /// Fill glyph of a running task.
    pub running_fill: char,
    /// Occupancy shading: how busy a row of workers was.
    pub busy: Style,
    /// The moving "now" cursor.
    pub cursor: Style,
    /// The ideal wave marks on the time axis.
    pub wave: Style,
    /// Core usage below 30 %.
    pub usage_low: Style,
    /// Core usage from 30 % to 70 %.
    pub usage_mid: Style,
    /// Core usage above 70 %.
    pub usage_high: Style,
}

impl Theme {
    /// The style of a core bar at `percent` usage.
    pub fn usage(&self, percent: f32) -> Style {
        if percent >= 70.0 {
            self.usage_high
        } else if percent >= 30.0 {
            self.usage_mid
        } else {
            self.usage_low
        }
    }
}

/// The colours that differ between the dark and the light theme.
struct Palette {
    accent: Color,
    strong: Color,
    dim: Color,
    warn: Color,
    good: Color,
    task: [Color; 2],
    task_text: Color,
    running: Color,
    low: Color,
    mid: Color,
    high: Color,
}

/// Bright, saturated colours that keep their contrast on a dark screen and
/// on a washed-out projector.
const DARK: Palette = Palette {
    accent: Color::LightCyan,
    strong: Color::White,
    dim: Color::Gray,
    warn: Color::LightYellow,
    good: Color::LightGreen,
    task: [Color::Blue, Color::Cyan],
    task_text: Color::Black,
    running: Color::LightYellow,
    low: Color::LightGreen,
    mid: Color::LightYellow,
    high: Color::LightRed,
};

/// Deep colours that stay dark enough to read on white.
const LIGHT: Palette = Palette {
    accent: Color::Blue,
    strong: Color::Black,
    dim: Color::DarkGray,
    warn: Color::Red,
    good: Color::Green,
    task: [Color::Blue, Color::Magenta],
    task_text: Color::White,
    running: Color::Red,
    low: Color::Green,
    mid: Color::Blue,
    high: Color::Red,
};

fn coloured(p: &Palette) -> Theme {
    let bold = Modifier::BOLD;
    let block = |bg: Color| Style::new().bg(bg).fg(p.task_text);
    Theme {
        text: Style::new(),
        dim: Style::new().fg(p.dim),
        title: Style::new().fg(p.accent).add_modifier(bold),
        header: Style::new().fg(p.strong).add_modifier(bold),
        selected: Style::new().bg(p.accent).fg(p.task_text).add_modifier(bold),
        editing: Style::new()
            .fg(p.warn)
            .add_modifier(bold | Modifier::UNDERLINED),
        key: Style::new().fg(p.accent).add_modifier(bold),
        warn: Style::new().fg(p.warn).add_modifier(bold),
        newest: Style::new().fg(p.strong).add_modifier(bold),
        good: Style::new().fg(p.good).add_modifier(bold),
        task: [block(p.task[0]), block(p.task[1])],
        task_fill: [' ', ' '],
        running: block(p.running).add_modifier(bold),
        running_fill: ' ',
        busy: Style::new().fg(p.task[1]),
        cursor: Style::new().fg(p.running).add_modifier(bold),
        wave: Style::new().fg(p.accent).add_modifier(bold),
        usage_low: Style::new().fg(p.low),
        usage_mid: Style::new().fg(p.mid),
        usage_high: Style::new().fg(p.high).add_modifier(bold),
    }
}

fn mono() -> Theme {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let reversed = Style::new().add_modifier(Modifier::REVERSED);
    Theme {
        text: Style::new(),
        dim: Style::new(),
        title: bold,
        header: bold.add_modifier(Modifier::UNDERLINED),
        selected: reversed.add_modifier(Modifier::BOLD),
        editing: bold.add_modifier(Modifier::UNDERLINED),
        key: bold,
        warn: bold,
        newest: bold,
        good: bold,
        task: [reversed, Style::new()],
        task_fill: [' ', '▒'],
        running: bold,
        running_fill: '▓',
        busy: Style::new(),
        cursor: bold,
        wave: bold,
        usage_low: Style::new(),
        usage_mid: Style::new(),
        usage_high: bold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::Cycle;

    #[test]
    fn an_explicit_theme_wins_over_no_color() {
        assert_eq!(
            ThemeName::choose(Some(ThemeName::Light), true),
            ThemeName::Light
        );
        assert_eq!(ThemeName::choose(None, true), ThemeName::Mono);
        assert_eq!(ThemeName::choose(None, false), ThemeName::Dark);
    }

    #[test]
    fn cycling_visits_every_theme() {
        let mut name = ThemeName::Dark;
        let mut seen = vec![name];
        for _ in 0..2 {
            name = name.next();
            seen.push(name);
        }
        assert_eq!(seen, [ThemeName::Dark, ThemeName::Light, ThemeName::Mono]);
        assert_eq!(name.next(), ThemeName::Dark);
    }

    #[test]
    fn mono_uses_no_colour_at_all() {
        let t = ThemeName::Mono.theme();
        let styles = [
            t.text,
            t.dim,
            t.title,
            t.header,
            t.selected,
            t.editing,
            t.key,
            t.warn,
            t.newest,
            t.good,
            t.task[0],
            t.task[1],
            t.running,
            t.busy,
            t.cursor,
            t.wave,
            t.usage_low,
            t.usage_mid,
            t.usage_high,
        ];
        assert!(styles.iter().all(|s| s.fg.is_none() && s.bg.is_none()));
        assert_ne!(t.task_fill[0], t.task_fill[1]);
    }

    #[test]
    fn coloured_task_blocks_alternate() {
        for name in [ThemeName::Dark, ThemeName::Light] {
            let t = name.theme();
            assert_ne!(t.task[0].bg, t.task[1].bg, "{}", name.name());
            assert_ne!(t.running.bg, t.task[0].bg);
        }
    }
}
