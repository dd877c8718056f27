//! Saving a sweep from the live lab: its SVG chart and its Markdown table
//! side by side in one folder, named after the workload and the time, so
//! a teacher can drop both into a slide or a report.
//!
//! Files are never overwritten: a second save in the same second gets
//! `-2`, `-3`, … and a folder that cannot take them yields one error that
//! names the folder.

use super::sweep::{sweep_markdown, sweep_title};
use super::sweep_svg::sweep_svg;
use super::time_stamp::file_stamp;
use crate::sweep::SweepResult;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where a saved sweep went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepFiles {
    /// The chart.
    pub svg: PathBuf,
    /// The table, which shows the chart beside it.
    pub markdown: PathBuf,
}

/// Why a sweep could not be saved.
#[derive(Debug, thiserror::Error)]
#[error("cannot save the sweep in {}: {source}", dir.display())]
pub struct SaveError {
    /// The folder the files were meant for.
    pub dir: PathBuf,
    /// What the system said.
    pub source: std::io::Error,
}

/// The name both files share before their extension:
/// `parlab-sweep-cpu-2026-03-01_14-05-09`.
pub fn file_stem(report: &SweepResult, at: SystemTime) -> String {
    format!(
        "parlab-sweep-{}-{}",
        report.work.workload.name(),
        file_stamp(at)
    )
}

/// The Markdown file: a heading, the chart saved beside it, then the
/// table and the fit as `parlab sweep --format markdown` prints them.
pub fn markdown_file(report: &SweepResult, svg_name: &str) -> String {
    format!(
        "# parlab sweep: {}\n\n![speedup over workers]({svg_name})\n\n{}",
        sweep_title(report),
        sweep_markdown(report)
    )
}

/// Writes `report` as `<stem>.svg` and `<stem>.md` into `dir`, saved at
/// `at`, and returns both paths.
pub fn save_sweep(
    dir: &Path,
    report: &SweepResult,
    at: SystemTime,
) -> Result<SweepFiles, SaveError> {
    let fail = |source| SaveError {
        dir: dir.to_path_buf(),
        source,
    };
    let svg = sweep_svg(report);
    let stem = file_stem(report, at);
    for attempt in 1..=99 {
        let name = match attempt {
            1 => stem.clone(),
            n => format!("{stem}-{n}"),
        };
        let files = SweepFiles {
            svg: dir.join(format!("{name}.svg")),
            markdown: dir.join(format!("{name}.md")),
        };
        match write_new(&files.svg, &svg) {
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(fail(e)),
            Ok(()) => {}
        }
        let markdown = markdown_file(report, &format!("{name}.svg"));
        match write_new(&files.markdown, &markdown) {
            Ok(()) => return Ok(files),
            Err(e) => {
                let _ = std::fs::remove_file(&files.svg);
                if e.kind() != ErrorKind::AlreadyExists {
                    return Err(fail(e));
                }
            }
        }
    }
    Err(fail(std::io::Error::new(
        ErrorKind::AlreadyExists,
        "99 sweeps already carry this second's name",
    )))
}

/// Creates `path` (never replacing a file) with `text`, whole or not at
/// all.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    crate::output::write_new_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::test_support::cpu_report;
    use std::time::Duration;

    /// 2026-11-25 06:23:25 UTC.
    fn fixed_time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_587_805)
    }

    #[test]
    fn both_files_are_written_and_never_overwritten() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().to_path_buf();
        let report = cpu_report();
        let first = save_sweep(&dir, &report, fixed_time()).unwrap();
        let second = save_sweep(&dir, &report, fixed_time()).unwrap();
        let stem = "parlab-sweep-cpu-2026-11-25_06-23-25";
        assert_eq!(first.svg, dir.join(format!("{stem}.svg")));
        assert_eq!(first.markdown, dir.join(format!("{stem}.md")));
        assert_eq!(second.svg, dir.join(format!("{stem}-2.svg")));
        assert_eq!(second.markdown, dir.join(format!("{stem}-2.md")));
        let svg = std::fs::read_to_string(&first.svg).unwrap();
        let markdown = std::fs::read_to_string(&second.markdown).unwrap();
        let files = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(files, 4);
        assert_eq!(svg, sweep_svg(&report));
        assert!(roxmltree::Document::parse(&svg).is_ok());
        assert!(markdown.starts_with("# parlab sweep: cpu · 16 tasks × 20.0 ms"));
        assert!(markdown.contains(&format!("![speedup over workers]({stem}-2.svg)")));
        assert!(markdown.ends_with(&sweep_markdown(&report)));
    }

    #[test]
    fn an_unwritable_folder_is_one_line_naming_it() {
        // A path under a regular file cannot be a folder, even for root.
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().to_path_buf();
        let file = dir.join("plain-file");
        std::fs::write(&file, "not a folder").unwrap();
        let err = save_sweep(&file.join("sub"), &cpu_report(), fixed_time()).unwrap_err();
        let left = std::fs::read_dir(&dir).unwrap().count();
        let message = err.to_string();
        assert!(
            message.starts_with("cannot save the sweep in "),
            "{message}"
        );
        assert!(message.contains("plain-file"), "{message}");
        assert_eq!(message.lines().count(), 1);
        assert_eq!(left, 1, "nothing but the plain file");
    }
}
