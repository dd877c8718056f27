//! The "where the time went" bar: the lane time of the run on screen
//! (workers that got a task × the parallel time) as one stacked bar, the
//! work first and then each measured loss, labelled with its share. Drawn
//! under the timing table and in the presenter view.

use crate::accounting::{Loss, TimeAccounting};
use crate::theme::Theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// What the bar starts with.
const TITLE: &str = "time went ";

/// Columns of the bar in a window `width` columns wide: about a quarter,
/// so the legend keeps the rest.
fn bar_width(width: u16) -> usize {
    usize::from(width / 4).clamp(8, 40)
}

/// A share for the legend: whole percents, one decimal under 1 %.
fn percent(share: f64) -> String {
    if share >= 0.01 {
        format!("{:.0} %", share * 100.0)
    } else {
        format!("{:.1} %", share * 100.0)
    }
}

/// The glyph and style of the work and of each loss.
fn look(part: Option<Loss>, theme: &Theme) -> (char, Style) {
    match part {
        None => ('█', theme.good),
        Some(Loss::WaitedForCpu) => ('▓', theme.warn),
        Some(Loss::WaitedForLock) => ('▒', theme.warn),
        Some(Loss::ComputedSlower) => ('░', theme.warn),
        Some(Loss::HandingOut) => ('≡', theme.text),
        Some(Loss::StartUp) => ('╌', theme.dim),
        Some(Loss::IdleAtEnd) => ('·', theme.dim),
        Some(Loss::SerialPart) => ('─', theme.dim),
    }
}

/// Every part with its share of the lane time, the work first, then the
/// losses from the largest; parts that round to nothing are left out.
fn parts(a: &TimeAccounting) -> Vec<(Option<Loss>, f64)> {
    let lane = a.lane.as_secs_f64().max(1e-12);
    let mut losses: Vec<(Option<Loss>, f64)> = Loss::ALL
        .into_iter()
        .map(|l| (Some(l), a.share(l)))
        .filter(|(_, share)| *share >= 0.0005)
        .collect();
    losses.sort_by(|x, y| y.1.total_cmp(&x.1));
    std::iter::once((None, a.work.as_secs_f64() / lane))
        .chain(losses)
        .collect()
}

/// Column counts for `shares` over `width` columns, adding up to it
/// (largest remainders get the odd columns).
fn columns(shares: &[f64], width: usize) -> Vec<usize> {
    let total: f64 = shares.iter().sum::<f64>().max(1e-12);
    let exact: Vec<f64> = shares.iter().map(|s| s / total * width as f64).collect();
    let mut cols: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    let left = width.saturating_sub(cols.iter().sum());
    for &i in order.iter().take(left) {
        cols[i] += 1;
    }
    cols
}

/// The bar and its legend in one line at most `width` columns wide.
pub fn line(a: &TimeAccounting, width: u16, theme: &Theme) -> Line<'static> {
    let parts = parts(a);
    let bar = bar_width(width);
    let shares: Vec<f64> = parts.iter().map(|(_, s)| *s).collect();
    let mut spans = vec![Span::styled(TITLE, theme.dim), Span::styled("▕", theme.dim)];
    for ((part, _), cols) in parts.iter().zip(columns(&shares, bar)) {
        let (glyph, style) = look(*part, theme);
        spans.push(Span::styled(glyph.to_string().repeat(cols), style));
    }
    spans.push(Span::styled("▏", theme.dim));
    let mut used = TITLE.chars().count() + bar + 2;
    for (part, share) in &parts {
        let (glyph, style) = look(*part, theme);
        let name = part.map_or("work", Loss::label);
        let item = format!(" {glyph} {name} {}", percent(*share));
        let len = item.chars().count();
        if used + len > usize::from(width) {
            break;
        }
        used += len;
        spans.push(Span::styled(format!(" {glyph}"), style));
        spans.push(Span::styled(
            format!(" {name} {}", percent(*share)),
            theme.text,
        ));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_columns_add_up_to_the_bar_and_follow_the_shares() {
        assert_eq!(columns(&[0.5, 0.25, 0.25], 8), [4, 2, 2]);
        assert_eq!(columns(&[0.7, 0.2, 0.1], 9).iter().sum::<usize>(), 9);
        assert_eq!(columns(&[1.0], 5), [5]);
    }

    #[test]
    fn the_line_fits_its_width_and_names_the_largest_parts_first() {
        let a = TimeAccounting {
            lane: Duration::from_millis(100),
            work: Duration::from_millis(60),
            waited_for_cpu: Duration::from_millis(30),
            idle_at_end: Duration::from_millis(10),
            ..TimeAccounting::default()
        };
        let theme = crate::theme::ThemeName::Dark.theme();
        let text: String = line(&a, 80, &theme)
            .spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert!(text.chars().count() <= 80, "{text}");
        assert!(
            text.starts_with("time went ▕████████████▓▓▓▓▓▓··▏"),
            "{text}"
        );
        let work = text.find("work 60 %").unwrap();
        let wait = text.find("CPU wait 30 %").unwrap();
        assert!(work < wait && text.contains("idle end 10 %"), "{text}");
        let narrow: String = line(&a, 40, &theme)
            .spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert!(narrow.chars().count() <= 40, "{narrow}");
    }
}
