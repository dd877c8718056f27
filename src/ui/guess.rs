//! Predict-first lines: the prompt while a guess is typed, and after the
//! run the guess beside the measured value with its verdict. The lesson
//! panel, the explanation area and the presenter view all use them.

use crate::app::App;
use crate::app::teaching::guess::{GuessEntry, example};
use crate::predict::{JudgedGuess, Score, Verdict};
use crate::theme::Theme;
use ratatui::text::{Line, Span};

/// The key bar while a guess is typed.
pub const BAR: [(&str, &str); 4] = [
    ("0-9 ms x", "type"),
    ("Enter", "run"),
    ("⌫", "erase"),
    ("Esc", "drop"),
];

/// The prompt and what has been typed, with a cursor.
pub fn prompt(entry: &GuessEntry, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled("› ", theme.key),
        Span::styled(entry.prompt(), theme.text),
        Span::raw(" "),
        Span::styled(format!("{}▏", entry.text), theme.editing),
    ])
}

/// What Enter and Esc do, and what else may be typed.
pub fn prompt_hint(entry: &GuessEntry, theme: &Theme) -> Line<'static> {
    let switch = if entry.switchable {
        " · Tab: guess the other figure"
    } else {
        ""
    };
    Line::styled(
        format!(
            "  e.g. {} · Enter runs (empty: no guess) · Esc drops{switch}",
            example(entry.quantity)
        ),
        theme.dim,
    )
}

/// The judged guess: the verdict, then the guess beside the measurement.
pub fn outcome(outcome: &JudgedGuess, theme: &Theme) -> Line<'static> {
    let comment = outcome.comment();
    let (verdict, rest) = comment.split_once(": ").unwrap_or(("", &comment));
    let style = match outcome.verdict {
        Verdict::Close => theme.good,
        Verdict::TooOptimistic | Verdict::TooPessimistic => theme.warn,
    };
    Line::from(vec![
        Span::styled("◆ ", style),
        Span::styled(format!("{verdict}: "), style),
        Span::styled(rest.to_string(), theme.text),
    ])
}

/// The session's score, short: "score 2/3 close".
pub fn score(score: &Score) -> String {
    format!("score {}/{} close", score.close, score.guesses())
}

/// The lines the explanation area shows outside a lesson: the prompt while
/// a guess is typed, else the newest judged guess with the score.
pub fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    if let Some(entry) = app.guess() {
        return vec![prompt(entry, theme), prompt_hint(entry, theme)];
    }
    match &app.teaching.judged {
        Some(judged) => {
            let mut line = outcome(judged, theme);
            line.push_span(Span::styled(
                format!(" ({})", score(&app.teaching.score)),
                theme.dim,
            ));
            vec![line]
        }
        None => Vec::new(),
    }
}
