//! The README's pictures, drawn by the real drawing code from fixed
//! states into a `TestBackend`-sized buffer and written as SVG under
//! `docs/`, colours and all. A test fails when a picture no longer matches
//! what the UI draws; the command that redraws them all is [`REFRESH`].
//!
//! The SVG places every character on the cell grid itself (one `x` per
//! glyph), so it lines up in any monospace font a forge's browser has, and
//! draws block elements, box lines and Braille dots as shapes, which do
//! not depend on a font at all. No external font or stylesheet is needed.

use crate::app::App;
use crate::app::keys::Key;
use crate::app::sweeps::test_support::sweep_done;
use crate::app::teaching::test_support::{in_lesson, type_keys};
use crate::app::test_support::{feed_seed_run, seed_finished};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The one command that redraws every picture under `docs/`.
pub const REFRESH: &str = "cargo test --lib ui::pictures -- --ignored";

/// Width of a cell in SVG pixels.
const CELL_W: f64 = 9.0;
/// Height of a cell (a text line) in SVG pixels.
const CELL_H: f64 = 18.0;
/// The font size that fills a 9 × 18 cell in common monospace fonts.
const FONT_SIZE: f64 = 15.0;
/// Where the text baseline sits in a cell, from its top.
const BASELINE: f64 = 13.5;
/// The margin around the screen.
const PAD: f64 = 8.0;

/// Monospace fonts found on the systems a forge page is read on; the
/// generic family last.
const FONTS: &str = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

/// The terminal's own colours for `Color::Reset`: a dark terminal.
const DEFAULT_FG: &str = "#d0d0d0";
const DEFAULT_BG: &str = "#1c1c1c";

/// The 16 ANSI colours as a common dark terminal shows them.
fn ansi(color: Color) -> Option<&'static str> {
    Some(match color {
        Color::Black => "#1c1c1c",
        Color::Red => "#cd3131",
        Color::Green => "#0dbc79",
        Color::Yellow => "#e5e510",
        Color::Blue => "#2472c8",
        Color::Magenta => "#bc3fbc",
        Color::Cyan => "#11a8cd",
        Color::Gray => "#a8a8a8",
        Color::DarkGray => "#666666",
        Color::LightRed => "#f14c4c",
        Color::LightGreen => "#23d18b",
        Color::LightYellow => "#f5f543",
        Color::LightBlue => "#3b8eea",
        Color::LightMagenta => "#d670d6",
        Color::LightCyan => "#29b8db",
        Color::White => "#f2f2f2",
        _ => return None,
    })
}

/// A colour as SVG writes it; `None` for the terminal's default.
fn hex(color: Color) -> Option<String> {
    match color {
        Color::Reset => None,
        Color::Rgb(r, g, b) => Some(format!("#{r:02x}{g:02x}{b:02x}")),
        Color::Indexed(i) => Some(indexed(i)),
        named => ansi(named).map(str::to_string),
    }
}

/// The xterm 256-colour palette.
fn indexed(i: u8) -> String {
    const BASIC: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match i {
        0..=15 => ansi(BASIC[usize::from(i)])
            .unwrap_or(DEFAULT_FG)
            .to_string(),
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let v = i - 16;
            format!(
                "#{:02x}{:02x}{:02x}",
                level(v / 36),
                level(v / 6 % 6),
                level(v % 6)
            )
        }
        _ => {
            let grey = 8 + 10 * (i - 232);
            format!("#{grey:02x}{grey:02x}{grey:02x}")
        }
    }
}

/// A cell's colours after reverse video: (foreground, background).
fn colours(cell: &Cell) -> (String, Option<String>) {
    let fg = hex(cell.fg);
    let bg = hex(cell.bg);
    if cell.modifier.contains(Modifier::REVERSED) {
        (
            bg.unwrap_or_else(|| DEFAULT_BG.into()),
            Some(fg.unwrap_or_else(|| DEFAULT_FG.into())),
        )
    } else {
        (fg.unwrap_or_else(|| DEFAULT_FG.into()), bg)
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A part of a cell in cell units (x, y, width, height) and its opacity.
type Piece = (f64, f64, f64, f64, f64);

/// A text run being gathered: its attributes, each glyph's x, the glyphs.
type Run = (String, Vec<f64>, String);

/// The pieces of a block element, relative to its cell, drawn in the
/// cell's foreground.
fn block_rects(c: char) -> Option<Vec<Piece>> {
    let full = |opacity| vec![(0.0, 0.0, 1.0, 1.0, opacity)];
    Some(match c {
        '█' => full(1.0),
        '░' => full(0.25),
        '▒' => full(0.5),
        '▓' => full(0.75),
        '▀' => vec![(0.0, 0.0, 1.0, 0.5, 1.0)],
        '▐' => vec![(0.5, 0.0, 0.5, 1.0, 1.0)],
        '▔' => vec![(0.0, 0.0, 1.0, 0.125, 1.0)],
        '▕' => vec![(0.875, 0.0, 0.125, 1.0, 1.0)],
        '▁'..='▇' => {
            let h = f64::from(c as u32 - '▁' as u32 + 1) / 8.0;
            vec![(0.0, 1.0 - h, 1.0, h, 1.0)]
        }
        '▉'..='▏' => {
            let w = f64::from('▏' as u32 - c as u32 + 1) / 8.0;
            vec![(0.0, 0.0, w, 1.0, 1.0)]
        }
        '▖'..='▟' => {
            // Quadrants: bits for upper-left, upper-right, lower-left,
            // lower-right, in the order Unicode lists them.
            let bits = [
                0b0010, 0b0001, 0b1000, 0b1011, 0b1001, 0b1110, 0b1101, 0b0100, 0b0110, 0b0111,
            ][c as usize - '▖' as usize];
            [(8, 0.0, 0.0), (4, 0.5, 0.0), (2, 0.0, 0.5), (1, 0.5, 0.5)]
                .into_iter()
                .filter(|(bit, _, _)| bits & bit != 0)
                .map(|(_, x, y)| (x, y, 0.5, 0.5, 1.0))
                .collect()
        }
        _ => return None,
    })
}

/// The arms of a box-drawing character (left, right, up, down) and its
/// dash pattern: lines that must meet their neighbours exactly.
fn box_arms(c: char) -> Option<([bool; 4], Option<&'static str>)> {
    let arms = match c {
        '─' | '╌' | '┄' | '┈' => [true, true, false, false],
        '│' | '╎' | '┆' | '┊' => [false, false, true, true],
        '┌' | '╭' => [false, true, false, true],
        '┐' | '╮' => [true, false, false, true],
        '└' | '╰' => [false, true, true, false],
        '┘' | '╯' => [true, false, true, false],
        '├' => [false, true, true, true],
        '┤' => [true, false, true, true],
        '┬' => [true, true, false, true],
        '┴' => [true, true, true, false],
        '┼' => [true, true, true, true],
        _ => return None,
    };
    let dash = match c {
        '╌' | '╎' => Some("4 2"),
        '┄' | '┆' => Some("3 3"),
        '┈' | '┊' => Some("2 2.5"),
        _ => None,
    };
    Some((arms, dash))
}

/// The screen in `buf` as a standalone SVG document.
pub fn screen_svg(buf: &Buffer, title: &str) -> String {
    let Rect { width, height, .. } = buf.area;
    let (w, h) = (
        f64::from(width) * CELL_W + 2.0 * PAD,
        f64::from(height) * CELL_H + 2.0 * PAD,
    );
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">\n\
         <title>{}</title>\n\
         <rect width=\"{w}\" height=\"{h}\" rx=\"6\" fill=\"{DEFAULT_BG}\"/>\n\
         <g transform=\"translate({PAD} {PAD})\" shape-rendering=\"crispEdges\">\n",
        escape(title),
        escape(title)
    );
    let cell = |x: u16, y: u16| &buf[(buf.area.x + x, buf.area.y + y)];
    // Backgrounds, merged along each row.
    for y in 0..height {
        let mut x = 0;
        while x < width {
            let (_, bg) = colours(cell(x, y));
            let start = x;
            while x < width && colours(cell(x, y)).1 == bg {
                x += 1;
            }
            if let Some(bg) = bg {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{bg}\"/>",
                    f64::from(start) * CELL_W,
                    f64::from(y) * CELL_H,
                    f64::from(x - start) * CELL_W,
                );
            }
        }
    }
    let mut text = String::new();
    for y in 0..height {
        let top = f64::from(y) * CELL_H;
        let mut run: Option<Run> = None;
        let flush = |run: &mut Option<Run>, text: &mut String| {
            if let Some((attrs, mut xs, mut chars)) = run.take() {
                // Spaces inside a run keep it whole; trailing ones go.
                while chars.ends_with(' ') {
                    chars.pop();
                    xs.pop();
                }
                let xs: Vec<String> = xs.iter().map(|x| format!("{x}")).collect();
                let _ = writeln!(
                    text,
                    "<text x=\"{}\" y=\"{}\" xml:space=\"preserve\"{attrs}>{}</text>",
                    xs.join(" "),
                    top + BASELINE,
                    escape(&chars)
                );
            }
        };
        for x in 0..width {
            let c = cell(x, y);
            let symbol = c.symbol();
            let left = f64::from(x) * CELL_W;
            let (fg, _) = colours(c);
            let mut glyphs = symbol.chars();
            let only = match (glyphs.next(), glyphs.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            };
            if let Some(rects) = only.and_then(block_rects) {
                flush(&mut run, &mut text);
                for (rx, ry, rw, rh, opacity) in rects {
                    let fill = if opacity < 1.0 {
                        format!(" fill-opacity=\"{opacity}\"")
                    } else {
                        String::new()
                    };
                    let _ = writeln!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fg}\"{fill}/>",
                        left + rx * CELL_W,
                        top + ry * CELL_H,
                        rw * CELL_W,
                        rh * CELL_H,
                    );
                }
                continue;
            }
            if let Some((arms, dash)) = only.and_then(box_arms) {
                flush(&mut run, &mut text);
                let (cx, cy) = (left + CELL_W / 2.0, top + CELL_H / 2.0);
                let ends = [
                    (left, cy),
                    (left + CELL_W, cy),
                    (cx, top),
                    (cx, top + CELL_H),
                ];
                let mut path = String::new();
                for (arm, (ex, ey)) in arms.iter().zip(ends) {
                    if *arm {
                        let _ = write!(path, "M{cx} {cy}L{ex} {ey}");
                    }
                }
                let dash = dash.map_or(String::new(), |d| format!(" stroke-dasharray=\"{d}\""));
                let _ = writeln!(
                    out,
                    "<path d=\"{path}\" stroke=\"{fg}\" stroke-width=\"1.2\" fill=\"none\"{dash}/>"
                );
                continue;
            }
            if let Some(dots) = only.and_then(|c| braille(c, left, top)) {
                flush(&mut run, &mut text);
                for (dx, dy) in dots {
                    let _ = writeln!(
                        out,
                        "<circle cx=\"{dx}\" cy=\"{dy}\" r=\"1.3\" fill=\"{fg}\"/>"
                    );
                }
                continue;
            }
            if only == Some('ⓘ') {
                // Common fonts lack the circled i (a browser would draw a
                // missing-glyph box): a ring and an i, as shapes.
                flush(&mut run, &mut text);
                let (cx, cy) = (left + CELL_W / 2.0, top + CELL_H / 2.0);
                let _ = writeln!(
                    out,
                    "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"4.2\" fill=\"none\" stroke=\"{fg}\" stroke-width=\"1\"/>\n\
                     <circle cx=\"{cx}\" cy=\"{}\" r=\"0.7\" fill=\"{fg}\"/>\n\
                     <path d=\"M{cx} {}L{cx} {}\" stroke=\"{fg}\" stroke-width=\"1.1\"/>",
                    cy - 2.0,
                    cy - 0.6,
                    cy + 2.6,
                );
                continue;
            }
            if symbol.trim().is_empty() {
                // A plain space joins the open run: only its position and
                // its background (drawn already) matter.
                match run.as_mut() {
                    Some((_, xs, chars))
                        if symbol == " " && !c.modifier.contains(Modifier::UNDERLINED) =>
                    {
                        xs.push(left);
                        chars.push(' ');
                    }
                    _ => flush(&mut run, &mut text),
                }
                continue;
            }
            let attrs = text_attrs(c, &fg);
            match run.as_mut() {
                Some((a, xs, chars)) if *a == attrs => {
                    xs.push(left);
                    chars.push_str(symbol);
                }
                _ => {
                    flush(&mut run, &mut text);
                    run = Some((attrs, vec![left], symbol.to_string()));
                }
            }
            // A wide symbol's neighbour cells hold nothing to draw.
        }
        flush(&mut run, &mut text);
    }
    let _ = write!(
        out,
        "<g font-family=\"{FONTS}\" font-size=\"{FONT_SIZE}\" style=\"white-space:pre\">\n{text}</g>\n</g>\n</svg>\n"
    );
    out
}

/// The attributes of a text run: colour, weight, slant, underline, dim.
fn text_attrs(cell: &Cell, fg: &str) -> String {
    let mut attrs = format!(" fill=\"{fg}\"");
    let m = cell.modifier;
    if m.contains(Modifier::BOLD) {
        attrs.push_str(" font-weight=\"bold\"");
    }
    if m.contains(Modifier::ITALIC) {
        attrs.push_str(" font-style=\"italic\"");
    }
    if m.contains(Modifier::UNDERLINED) {
        attrs.push_str(" text-decoration=\"underline\"");
    }
    if m.contains(Modifier::DIM) {
        attrs.push_str(" fill-opacity=\"0.6\"");
    }
    attrs
}

/// The dots of a Braille cell, as centres in SVG pixels.
fn braille(c: char, left: f64, top: f64) -> Option<Vec<(f64, f64)>> {
    let bits = (c as u32).checked_sub(0x2800).filter(|b| *b <= 0xff)?;
    // Unicode's dot numbering: bits 0-2 and 6 are the left column top to
    // bottom, bits 3-5 and 7 the right column.
    let place = [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
        (0, 3),
        (1, 3),
    ];
    Some(
        place
            .iter()
            .enumerate()
            .filter(|(bit, _)| bits & (1 << bit) != 0)
            .map(|(_, (col, row))| {
                (
                    left + CELL_W * (0.3 + 0.4 * f64::from(*col)),
                    top + CELL_H * (0.125 + 0.25 * f64::from(*row)),
                )
            })
            .collect(),
    )
}

/// One picture: its file under `docs/`, what it shows, the window size
/// and the state drawn.
struct Picture {
    file: &'static str,
    title: &'static str,
    size: (u16, u16),
    app: App,
}

/// The seed demo's lesson at its eight-worker step, a guess of 300 ms
/// typed before the run and the run measured: the guess beside the
/// measurement.
fn lesson_with_guess() -> App {
    let mut app = in_lesson(0);
    app.on_key(Key::Char('n'));
    app.on_key(Key::Char('r'));
    type_keys(&mut app, "300 ms");
    app.on_key(Key::Enter);
    feed_seed_run(&mut app, 301);
    app
}

/// `app` after the sampler reported `usage`.
fn sampled(mut app: App, usage: &[f32]) -> App {
    app.on_sample(usage.to_vec());
    app
}

fn presenter() -> App {
    let mut app = seed_finished();
    app.on_key(Key::Char('b'));
    app
}

fn pictures() -> Vec<Picture> {
    vec![
        Picture {
            file: "lab.svg",
            title: "parlab after the classic demo: 24 tasks of 100 ms, 2.40 s serial, 301 ms on 8 workers",
            size: (100, 30),
            app: sampled(seed_finished(), &IDLE_CPUS),
        },
        Picture {
            file: "lesson.svg",
            title: "A lesson step: the learner guessed 300 ms before the run, it took 301 ms",
            size: (100, 30),
            app: sampled(lesson_with_guess(), &IDLE_CPUS),
        },
        Picture {
            file: "sweep.svg",
            title: "The sweep view: speedup over 1, 2, 4 and 8 workers with the ideal and Amdahl's curve",
            size: (100, 30),
            app: sweep_done(),
        },
        Picture {
            file: "presenter.svg",
            title: "The presenter view: serial, parallel and speedup in block letters over the lanes",
            size: (100, 30),
            app: sampled(presenter(), &IDLE_CPUS),
        },
    ]
}

fn docs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs")
}

/// Per-CPU usage as the sampler reports it, so the CPU panel shows
/// something: after a sleeping run the two CPUs of the test machine are
/// nearly idle, during the CPU-bound sweep they were busy.
const IDLE_CPUS: [f32; 2] = [7.0, 3.0];

fn drawn(picture: &Picture) -> String {
    let (width, height) = picture.size;
    let (_, buf) = crate::ui::tests::screen(&picture.app, width, height);
    screen_svg(&buf, picture.title)
}

#[test]
#[ignore = "writes docs/*.svg; run it with the command in REFRESH"]
fn write_the_pictures() {
    std::fs::create_dir_all(docs()).unwrap();
    for picture in pictures() {
        std::fs::write(docs().join(picture.file), drawn(&picture)).unwrap();
    }
}

#[test]
fn the_pictures_in_docs_show_what_the_ui_draws() {
    let stale: Vec<&str> = pictures()
        .iter()
        .filter(|p| std::fs::read_to_string(docs().join(p.file)).ok() != Some(drawn(p)))
        .map(|p| p.file)
        .collect();
    let verb = if stale.len() == 1 { "matches" } else { "match" };
    assert!(
        stale.is_empty(),
        "docs/{} no longer {verb} what the UI draws; redraw the pictures with `{REFRESH}` and commit docs/",
        stale.join(", docs/")
    );
}

#[test]
fn the_pictures_are_well_formed_small_and_drawn_the_same_every_time() {
    for picture in pictures() {
        let svg = drawn(&picture);
        assert_eq!(svg, drawn(&picture), "{}", picture.file);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(
            svg.len() < 120_000,
            "{} is {} bytes",
            picture.file,
            svg.len()
        );
        assert!(
            !svg.contains("@import") && !svg.contains("url("),
            "no external fonts"
        );
    }
}

#[test]
fn the_readme_shows_every_picture_and_the_command_that_redraws_them() {
    let readme = std::fs::read_to_string(docs().with_file_name("README.md")).unwrap();
    for picture in pictures() {
        let link = format!("](docs/{})", picture.file);
        assert!(readme.contains(&link), "README lacks {link}");
    }
    assert!(
        readme.contains(&format!("`{REFRESH}`")),
        "README lacks the command"
    );
    let first = readme.find("](docs/").unwrap();
    assert!(
        readme[..first].lines().count() < 15,
        "the README opens with the lab"
    );
}

#[test]
fn cells_become_shapes_and_positioned_text() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
    buf[(0, 0)].set_symbol("█").set_fg(Color::Blue);
    buf[(1, 0)].set_symbol("▄").set_fg(Color::Red);
    buf[(2, 0)].set_symbol("─");
    buf[(3, 0)].set_symbol("⠉");
    buf[(4, 0)].set_symbol("a").set_bg(Color::Rgb(1, 2, 3));
    buf[(5, 0)].set_symbol("<").modifier = Modifier::BOLD;
    let svg = screen_svg(&buf, "t & u");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(
        svg.contains("<rect x=\"0\" y=\"0\" width=\"9\" height=\"18\" fill=\"#2472c8\"/>"),
        "{svg}"
    );
    assert!(
        svg.contains("<rect x=\"9\" y=\"9\" width=\"9\" height=\"9\" fill=\"#cd3131\"/>"),
        "{svg}"
    );
    assert!(
        svg.contains("<path d=\"M22.5 9L18 9M22.5 9L27 9\""),
        "{svg}"
    );
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("circle"))
            .count(),
        2
    );
    assert!(
        svg.contains("<rect x=\"36\" y=\"0\" width=\"9\" height=\"18\" fill=\"#010203\"/>"),
        "{svg}"
    );
    assert!(
        svg.contains("<text x=\"36\" y=\"13.5\" xml:space=\"preserve\" fill=\"#d0d0d0\">a</text>"),
        "{svg}"
    );
    assert!(svg.contains("font-weight=\"bold\">&lt;</text>"), "{svg}");
    assert!(svg.contains("<title>t &amp; u</title>"));
}
