//! Everything parlab writes for people and scripts: the result of a run
//! or a sweep as a table, JSON, CSV or Markdown, the sweep's SVG chart and
//! its saved files, the session's Markdown report, a measurement's Chrome
//! trace, the comparison of several exports, the schema stamp that JSON
//! exports carry, and the units and time stamps they share.
//!
//! Like hyperfine's `export/`, the renderers live together and the data
//! they render stays with the code that produces it ([`crate::measure`],
//! [`crate::sweep`]). Every renderer returns a `String` and prints
//! nothing, so output is tested as text and written in one piece.

pub mod compare;
pub mod lesson;
pub mod machine;
pub mod pools;
pub mod run;
pub mod schema;
pub mod session;
pub mod svg;
pub mod sweep;
pub mod sweep_files;
pub mod sweep_svg;
pub mod time_stamp;
pub mod trace;
pub mod units;

/// Whether to colour table output: only on a terminal, never with `NO_COLOR`.
pub fn use_color(is_terminal: bool) -> bool {
    is_terminal && !crate::theme::ThemeName::no_color_requested()
}
