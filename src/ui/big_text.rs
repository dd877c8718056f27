//! Figures in block letters, five rows tall, for the presenter view: the
//! digits, a decimal point, the units parlab prints (`s`, `ms`, `µs`,
//! `ns`), `×` and a dash for "no value yet".
//!
//! A font of our own, 3 columns per digit, keeps three figures side by side
//! at 80 columns; the dependency-free alternative to an 8×8 font crate that
//! would need 8 columns per letter. Each glyph cell is a full or half block,
//! so doubling a glyph's size stays exact.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

/// Rows of every glyph.
pub const HEIGHT: u16 = 5;

/// The rows of the glyph for `c`, or `None` for a character the font
/// lacks. A space is a narrow gap.
fn glyph(c: char) -> Option<[&'static str; 5]> {
    Some(match c {
        '0' => ["███", "█ █", "█ █", "█ █", "███"],
        '1' => ["▄█ ", " █ ", " █ ", " █ ", "▄█▄"],
        '2' => ["███", "  █", "███", "█  ", "███"],
        '3' => ["███", "  █", " ██", "  █", "███"],
        '4' => ["█ █", "█ █", "███", "  █", "  █"],
        '5' => ["███", "█  ", "███", "  █", "███"],
        '6' => ["███", "█  ", "███", "█ █", "███"],
        '7' => ["███", "  █", "  █", " █ ", " █ "],
        '8' => ["███", "█ █", "███", "█ █", "███"],
        '9' => ["███", "█ █", "███", "  █", "███"],
        '.' => [" ", " ", " ", " ", "█"],
        ' ' => [" ", " ", " ", " ", " "],
        '-' | '—' => ["   ", "   ", "███", "   ", "   "],
        's' => ["   ", "   ", "█▀▀", "▀▀█", "▀▀▀"],
        'm' => ["     ", "     ", "█▀█▀█", "█ █ █", "█ █ █"],
        'n' => ["   ", "   ", "█▀█", "█ █", "█ █"],
        'µ' | 'μ' | 'u' => ["   ", "   ", "█ █", "█▄█", "█  "],
        '×' | 'x' => ["   ", "   ", "█ █", " █ ", "█ █"],
        _ => return None,
    })
}

/// Columns `text` takes at `scale` (1 or more): glyphs one column apart;
/// characters the font lacks are left out.
pub fn width(text: &str, scale: u16) -> u16 {
    let glyphs: Vec<u16> = text
        .chars()
        .filter_map(glyph)
        .map(|g| g[0].chars().count() as u16 * scale)
        .collect();
    glyphs.iter().sum::<u16>() + glyphs.len().saturating_sub(1) as u16 * scale
}

/// Rows `text` takes at `scale`.
pub fn height(scale: u16) -> u16 {
    HEIGHT * scale
}

/// Draws `text` with its top-left corner at `(x, y)`, each glyph cell
/// `scale` columns wide and `scale` rows tall, cut at `max_x`/`max_y`.
pub fn draw(
    text: &str,
    (x, y): (u16, u16),
    scale: u16,
    limit: (u16, u16),
    buf: &mut Buffer,
    style: Style,
) {
    let scale = scale.max(1);
    let mut left = x;
    for g in text.chars().filter_map(glyph) {
        for (row, line) in g.iter().enumerate() {
            for (col, cell) in line.chars().enumerate() {
                let cx = left + col as u16 * scale;
                let cy = y + row as u16 * scale;
                for (dy, dx) in (0..scale).flat_map(|dy| (0..scale).map(move |dx| (dy, dx))) {
                    let symbol = scaled(cell, dy, scale);
                    put(buf, (cx + dx, cy + dy), limit, symbol, style);
                }
            }
        }
        left += (g[0].chars().count() as u16 + 1) * scale;
    }
}

/// Row `dy` of `cell` blown up `scale` times: a half block becomes full
/// rows in its half and blank rows in the other.
fn scaled(cell: char, dy: u16, scale: u16) -> char {
    let upper = dy < scale / 2;
    match cell {
        '▀' if scale > 1 => {
            if upper {
                '█'
            } else {
                ' '
            }
        }
        '▄' if scale > 1 => {
            if upper {
                ' '
            } else {
                '█'
            }
        }
        other => other,
    }
}

fn put(
    buf: &mut Buffer,
    (x, y): (u16, u16),
    (max_x, max_y): (u16, u16),
    symbol: char,
    style: Style,
) {
    if x < max_x
        && y < max_y
        && symbol != ' '
        && let Some(cell) = buf.cell_mut((x, y))
    {
        cell.set_char(symbol).set_style(style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    fn rendered(text: &str, scale: u16) -> Vec<String> {
        let w = width(text, scale);
        let h = height(scale);
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        draw(text, (0, 0), scale, (w, h), &mut buf, Style::default());
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect())
            .collect()
    }

    #[test]
    fn every_character_of_a_figure_has_a_glyph() {
        for text in [
            "0123456789",
            "2.40 s",
            "301 ms",
            "4.20 µs",
            "85 ns",
            "7.97×",
            "—",
        ] {
            assert!(text.chars().all(|c| glyph(c).is_some()), "{text}");
        }
        for g in ('0'..='9').chain(".sm×".chars()).filter_map(glyph) {
            let wide = g[0].chars().count();
            assert!(g.iter().all(|row| row.chars().count() == wide));
        }
    }

    #[test]
    fn a_figure_reads_as_blocks() {
        assert_eq!(
            rendered("2.4", 1),
            [
                "███   █ █",
                "  █   █ █",
                "███   ███",
                "█       █",
                "███ █   █"
            ]
        );
        assert_eq!(width("2.40 s", 1), 19);
    }

    #[test]
    fn doubling_keeps_half_blocks_in_their_half() {
        let big = rendered("s", 2);
        assert_eq!(big.len(), 10);
        assert_eq!(big[4], "██████");
        assert_eq!(big[5], "██    ");
        assert_eq!(big[9], "      ");
        assert_eq!(width("2.40 s", 2), 38);
    }
}
