//! The README's pictures, drawn by the real drawing code from fixed
//! states into a `TestBackend`-sized buffer and written as SVG under
//! `docs/`, colours and all, and its animation of the live demo, the same
//! drawing of one app at successive moments of a recorded run. A test
//! fails when a picture no longer matches what the UI draws; the command
//! that redraws them all is [`REFRESH`].
//!
//! The SVG places every character on the cell grid itself (one `x` per
//! glyph), so it lines up in any monospace font a forge's browser has, and
//! draws block elements, box lines and Braille dots as shapes, which do
//! not depend on a font at all. No external font or stylesheet is needed.

use crate::app::App;
use crate::app::keys::Key;
use crate::app::sweeps::test_support::sweep_done;
use crate::app::teaching::test_support::{in_lesson, type_keys};
use crate::app::test_support::{SeedPlayback, app, feed_seed_run, seed_finished};
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

/// The size of a drawing of `buf` in SVG pixels, margin included.
fn svg_size(buf: &Buffer) -> (f64, f64) {
    let Rect { width, height, .. } = buf.area;
    (
        f64::from(width) * CELL_W + 2.0 * PAD,
        f64::from(height) * CELL_H + 2.0 * PAD,
    )
}

/// The opening of an SVG document of `w` × `h` pixels: its title, `style`
/// (may be empty) and the terminal's background.
fn svg_open(w: f64, h: f64, title: &str, style: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">\n\
         <title>{}</title>\n{style}\
         <rect width=\"{w}\" height=\"{h}\" rx=\"6\" fill=\"{DEFAULT_BG}\"/>\n",
        escape(title),
        escape(title)
    )
}

/// The screen in `buf` as a standalone SVG document.
pub fn screen_svg(buf: &Buffer, title: &str) -> String {
    let (w, h) = svg_size(buf);
    let mut out = svg_open(w, h, title, "");
    out.push_str(&format!(
        "<g transform=\"translate({PAD} {PAD})\" shape-rendering=\"crispEdges\">\n"
    ));
    let (shapes, text) = cells_svg(buf, &|_, _| true, false);
    let _ = write!(
        out,
        "{shapes}<g font-family=\"{FONTS}\" font-size=\"{FONT_SIZE}\" style=\"white-space:pre\">\n{text}</g>\n</g>\n</svg>\n"
    );
    out
}

/// The cells of `buf` for which `drawn(x, y)` holds, as SVG: the shapes
/// (backgrounds, blocks, lines, dots) and the text, apart so that the text
/// can share its font attributes. With `opaque`, a cell on the terminal's
/// background gets it painted too, so that it covers what was drawn there
/// before.
fn cells_svg(buf: &Buffer, drawn: &dyn Fn(u16, u16) -> bool, opaque: bool) -> (String, String) {
    let Rect { width, height, .. } = buf.area;
    let mut out = String::new();
    let cell = |x: u16, y: u16| &buf[(buf.area.x + x, buf.area.y + y)];
    let background = |x: u16, y: u16| {
        let (_, bg) = colours(cell(x, y));
        bg.or_else(|| opaque.then(|| DEFAULT_BG.to_string()))
    };
    // Backgrounds, merged along each row.
    for y in 0..height {
        let mut x = 0;
        while x < width {
            if !drawn(x, y) {
                x += 1;
                continue;
            }
            let bg = background(x, y);
            let start = x;
            while x < width && drawn(x, y) && background(x, y) == bg {
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
            if !drawn(x, y) {
                flush(&mut run, &mut text);
                continue;
            }
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
    (out, text)
}

/// A screen of an animation and how long it stays, in milliseconds.
struct Frame {
    screen: Buffer,
    shown_ms: u32,
}

/// `frames` one after another as a standalone SVG document that loops,
/// animated with CSS keyframes, which browsers run in an `<img>` too. The
/// first frame is drawn whole and always shown; each later one draws only
/// the cells that differ from the one before, over it, and appears at its
/// moment until the loop starts again, so the file stays small. A reader
/// who asks for reduced motion sees the last frame; a renderer without
/// CSS animations, the first.
fn animated_svg(frames: &[Frame], title: &str) -> String {
    let Some(first) = frames.first() else {
        return String::new();
    };
    let (w, h) = svg_size(&first.screen);
    let total: u32 = frames.iter().map(|f| f.shown_ms).sum::<u32>().max(1);
    let mut style = format!(
        "<style>\n.f{{opacity:0;animation:{total}ms step-end infinite}}\n\
         @media (prefers-reduced-motion:reduce){{.f{{animation:none;opacity:1}}}}\n"
    );
    let mut groups = String::new();
    let mut at = 0;
    for (index, pair) in std::iter::once(None)
        .chain(frames.windows(2).map(Some))
        .enumerate()
    {
        let (shapes, text) = match pair {
            None => cells_svg(&first.screen, &|_, _| true, false),
            Some([before, frame]) => {
                at += before.shown_ms;
                let area = frame.screen.area;
                let changed = |x: u16, y: u16| {
                    let at = (area.x + x, area.y + y);
                    before.screen.cell(at) != frame.screen.cell(at)
                };
                let _ = writeln!(
                    style,
                    "@keyframes f{index}{{0%{{opacity:0}}{:.3}%,to{{opacity:1}}}}",
                    f64::from(at) * 100.0 / f64::from(total)
                );
                cells_svg(&frame.screen, &changed, true)
            }
            Some(_) => continue,
        };
        let class = if index == 0 {
            String::new()
        } else {
            format!(" class=\"f\" style=\"animation-name:f{index}\"")
        };
        let _ = write!(groups, "<g{class}>\n{shapes}{text}</g>\n");
    }
    style.push_str("</style>\n");
    let mut out = svg_open(w, h, title, &style);
    let _ = write!(
        out,
        "<g transform=\"translate({PAD} {PAD})\" shape-rendering=\"crispEdges\" font-family=\"{FONTS}\" font-size=\"{FONT_SIZE}\" style=\"white-space:pre\">\n{groups}</g>\n</svg>\n"
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
    screen_svg(&screen(&picture.app, width, height), picture.title)
}

fn screen(app: &App, width: u16, height: u16) -> Buffer {
    crate::ui::tests::screen(app, width, height).1
}

/// The animation of the live demo at the top of the README.
const DEMO: &str = "demo.svg";

/// The seed demo as the lab shows it at 80 × 24, from the press of `r` to
/// the finished table: one app played through one recorded run (2.40 s
/// serial, 301 ms on 8 workers), drawn as the lab draws it at successive
/// moments and shown at the pace they happened, a sample of the CPUs
/// every quarter second as the sampler takes them. Before it the lab
/// waits a moment; after it the result stays a while before the loop.
fn demo_frames() -> Vec<Frame> {
    let (width, height) = (80, 24);
    let mut app = app();
    app.on_sample(IDLE_CPUS.to_vec());
    let mut frames = vec![Frame {
        screen: screen(&app, width, height),
        shown_ms: 1500,
    }];
    app.on_key(Key::Char('r'));
    let mut playback = SeedPlayback::new(&app, 301);
    // Each serial task half done, then every 50 ms of the parallel side.
    let serial = (0..24).map(|task| 100 * task + 50);
    let parallel = (0..6).map(|step| 2401 + 25 + 50 * step);
    let moments: Vec<u64> = serial.chain(parallel).chain([playback.end_ms()]).collect();
    for (index, at) in moments.iter().enumerate() {
        playback.play_to(&mut app, *at);
        let sample = usize::try_from(at / 250).unwrap_or(0);
        app.on_sample(SLEEPING_RUN_CPUS[sample % SLEEPING_RUN_CPUS.len()].to_vec());
        let shown_ms = moments.get(index + 1).map_or(6000, |next| next - at);
        frames.push(Frame {
            screen: screen(&app, width, height),
            shown_ms: u32::try_from(shown_ms).unwrap_or(u32::MAX),
        });
    }
    frames
}

/// What the sampler reads on the two CPUs of the test machine while the
/// seed demo's tasks sleep: little, and never the same twice in a row.
const SLEEPING_RUN_CPUS: [[f32; 2]; 6] = [
    [9.0, 4.0],
    [5.0, 11.0],
    [14.0, 6.0],
    [7.0, 3.0],
    [4.0, 12.0],
    [10.0, 5.0],
];

/// Every drawing under `docs/`: its file, what the UI draws for it now,
/// and the most bytes it may take.
fn drawings() -> Vec<(&'static str, String, usize)> {
    let demo = animated_svg(
        &demo_frames(),
        "parlab running the classic demo live: 24 tasks of 100 ms one after another for 2.40 s, then on 8 workers in 301 ms, and the result",
    );
    pictures()
        .iter()
        .map(|p| (p.file, drawn(p), 120_000))
        .chain([(DEMO, demo, 400_000)])
        .collect()
}

#[test]
#[ignore = "writes docs/*.svg; run it with the command in REFRESH"]
fn write_the_pictures() {
    std::fs::create_dir_all(docs()).unwrap();
    for (file, svg, _) in drawings() {
        std::fs::write(docs().join(file), svg).unwrap();
    }
}

#[test]
fn the_pictures_in_docs_show_what_the_ui_draws() {
    let stale: Vec<&str> = drawings()
        .into_iter()
        .filter(|(file, svg, _)| {
            std::fs::read_to_string(docs().join(file)).ok().as_ref() != Some(svg)
        })
        .map(|(file, _, _)| file)
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
    for ((file, svg, most), (_, again, _)) in drawings().into_iter().zip(drawings()) {
        assert_eq!(svg, again, "{file}");
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(svg.len() < most, "{file} is {} bytes", svg.len());
        assert!(
            !svg.contains("@import") && !svg.contains("url("),
            "no external fonts"
        );
    }
}

#[test]
fn the_readme_shows_every_picture_and_the_command_that_redraws_them() {
    let readme = std::fs::read_to_string(docs().with_file_name("README.md")).unwrap();
    for (file, _, _) in drawings() {
        let link = format!("](docs/{file})");
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

#[test]
fn an_animation_draws_the_first_frame_whole_and_then_only_what_changed() {
    let mut before = Buffer::empty(Rect::new(0, 0, 3, 1));
    before[(0, 0)].set_symbol("a");
    before[(2, 0)].set_symbol("c");
    let mut after = before.clone();
    after[(1, 0)].set_symbol("b").set_fg(Color::Red);
    let frames = [
        Frame {
            screen: before,
            shown_ms: 1000,
        },
        Frame {
            screen: after.clone(),
            shown_ms: 3000,
        },
        Frame {
            screen: after,
            shown_ms: 0,
        },
    ];
    let svg = animated_svg(&frames, "t");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(svg.contains("animation:4000ms step-end infinite"), "{svg}");
    assert!(
        svg.contains("@keyframes f1{0%{opacity:0}25.000%,to{opacity:1}}"),
        "{svg}"
    );
    let groups: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.parent().is_some_and(|p| p.has_tag_name("g")))
        .collect();
    assert_eq!(groups.len(), 3, "{svg}");
    let texts = |g: &roxmltree::Node| -> Vec<String> {
        g.descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(str::to_string))
            .collect()
    };
    assert_eq!(texts(&groups[0]), ["a c"]);
    assert_eq!(groups[0].attribute("class"), None);
    // The second frame covers the one cell that changed, its background
    // painted so that the frame under it does not show through.
    assert_eq!(texts(&groups[1]), ["b"]);
    assert_eq!(groups[1].attribute("style"), Some("animation-name:f1"));
    assert!(
        svg.contains(&format!(
            "<rect x=\"9\" y=\"0\" width=\"9\" height=\"18\" fill=\"{DEFAULT_BG}\"/>"
        )),
        "{svg}"
    );
    // A frame the same as the one before draws nothing.
    assert!(texts(&groups[2]).is_empty(), "{svg}");
}

#[test]
fn the_demo_goes_from_the_waiting_lab_through_both_sides_to_the_result() {
    let frames = demo_frames();
    let text = |frame: &Frame| {
        let area = frame.screen.area;
        (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| frame.screen[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let screens: Vec<String> = frames.iter().map(text).collect();
    let first_with = |needle: &str| {
        screens
            .iter()
            .position(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("no frame shows {needle}"))
    };
    let waiting = first_with("Press r");
    let serial = first_with("serial: 12/24 tasks");
    let parallel = first_with("parallel on 8 workers");
    let result = first_with("7.97×");
    assert!(waiting < serial && serial < parallel && parallel < result);
    assert!(screens[result].contains("time went"), "{}", screens[result]);
    assert_eq!(result, frames.len() - 1, "the result closes the loop");
    for (index, pair) in screens.windows(2).enumerate() {
        assert_ne!(
            pair[0],
            pair[1],
            "frame {} repeats the one before",
            index + 1
        );
    }
    // At the pace the run went: 2.40 s serial and 301 ms parallel between
    // the press of r and the result.
    let run: u32 = frames[1..result].iter().map(|f| f.shown_ms).sum();
    assert_eq!(run, 2702 - 50, "{run}");
    assert!(frames[result].shown_ms >= 3000);
}
