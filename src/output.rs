//! Everything parlab writes for people and scripts: the result of a run
//! or a sweep as a table, JSON, CSV or Markdown, the sweep's SVG chart and
//! its saved files, the session's Markdown report, a measurement's Chrome
//! trace, the comparison of several exports, the schema stamp that JSON
//! exports carry, and the time stamps they share.
//!
//! Like hyperfine's `export/`, the renderers live together and the data
//! they render stays with the code that produces it ([`crate::measure`],
//! [`crate::sweep`]). Every renderer returns a `String` and prints
//! nothing, so output is tested as text and written in one piece.

pub mod check;
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

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The formats a measured result renders in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// One JSON object, for scripts.
    Json,
    /// A header row and one row per measurement.
    Csv,
    /// A table that renders on a forge or in a report.
    Markdown,
}

/// A result with one exporter per format, as hyperfine's `export/` has:
/// the command prints one of them and writes any others to files, so
/// adding a format is one method here and one per result.
pub trait Export {
    /// Aligned text for people, coloured when `color`.
    fn table(&self, color: bool) -> String;
    /// The stamped JSON export that `parlab compare` reads back.
    fn json(&self) -> anyhow::Result<String>;
    /// Plain numbers for a spreadsheet.
    fn csv(&self) -> anyhow::Result<String>;
    /// A report or a forge's Markdown.
    fn markdown(&self) -> String;

    /// The result in `format`.
    fn render(&self, format: Format, color: bool) -> anyhow::Result<String> {
        match format {
            Format::Table => Ok(self.table(color)),
            Format::Json => self.json(),
            Format::Csv => self.csv(),
            Format::Markdown => Ok(self.markdown()),
        }
    }
}

/// The files a result is written to besides what is printed
/// (`--export-json FILE` and the like), in the order given here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportFiles(pub Vec<(Format, PathBuf)>);

impl ExportFiles {
    /// Renders `result` once per file and writes each one whole; stops at
    /// the first file that cannot be written.
    pub fn write(&self, result: &dyn Export) -> anyhow::Result<()> {
        for (format, path) in &self.0 {
            let text = result.render(*format, false)?;
            write_file(path, &text, &format!("{} export", format_name(*format)))?;
        }
        Ok(())
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Table => "table",
        Format::Json => "JSON",
        Format::Csv => "CSV",
        Format::Markdown => "Markdown",
    }
}

/// Writes the `what` (a chart, a trace, an export) asked for by name and
/// says where it went. The file appears whole or not at all: the text goes
/// to a new file beside it that then replaces it, so a reader, or a
/// `compare` running while a sweep ends, never sees half a file. A
/// symbolic link is written through, to the file it names.
pub fn write_file(path: &Path, text: &str, what: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    write_atomic(path, text.as_bytes())
        .with_context(|| format!("cannot write the {what} to {}", path.display()))?;
    crate::streams::note(&format!("{what} written to {}", path.display()));
    Ok(())
}

/// `bytes` into `path` by way of a new file in the same folder, renamed
/// over it once complete and flushed to disk. The new file is made as a
/// plain write would make it (the umask applies), and takes an existing
/// file's permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = match std::fs::read_link(path) {
        Ok(link) => path.parent().unwrap_or(Path::new("")).join(link),
        Err(_) => path.to_path_buf(),
    };
    let name = target
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let scratch = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&scratch)?;
        file.write_all(bytes)?;
        if let Ok(old) = std::fs::metadata(&target) {
            file.set_permissions(old.permissions())?;
        }
        file.sync_all()?;
        std::fs::rename(&scratch, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&scratch);
    }
    written
}

/// `bytes` into a new file `path`, never replacing one: written in full
/// to a temporary file in the same folder first, then linked into place,
/// so a full disk or a kill leaves no half file under the name. An
/// existing `path` fails with [`std::io::ErrorKind::AlreadyExists`].
pub fn write_new_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".parlab-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether to colour table output: only on a terminal, never with `NO_COLOR`.
pub fn use_color(is_terminal: bool) -> bool {
    is_terminal && !crate::theme::ThemeName::no_color_requested() && crate::streams::ansi_ready()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_whole_keeps_permissions_and_follows_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.json");
        write_atomic(&file, b"first").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink("a.json", &link).unwrap();
            write_atomic(&link, b"second").unwrap();
            assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        #[cfg(not(unix))]
        write_atomic(&file, b"second").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")));
        let missing = dir.path().join("no/such/folder/x.json");
        assert!(write_atomic(&missing, b"x").is_err());
    }
}
