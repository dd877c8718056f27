//! Files a user named (a lesson folder, an export to compare): read with
//! guards, so a FIFO, a device or a huge file is refused rather than
//! hanging, and their text made fit to print. The ground floor: every
//! layer that reads such a file uses it, and it imports nothing of parlab.

use std::path::Path;

/// Why a file a user named cannot be read as text.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FileRefusal {
    /// A folder, FIFO, device or socket: reading would fail, hang or never
    /// end.
    #[error("{0}")]
    NotRegular(&'static str),
    /// Longer than the reader's cap.
    #[error("larger than {} KiB", .0 / 1024)]
    TooLarge(u64),
    /// Bytes that are not UTF-8.
    #[error("not UTF-8 text")]
    NotUtf8,
    /// The system's own error.
    #[error("{0}")]
    Io(String),
}

/// Reads a text file a user named (a lesson, an export), guarded: only a
/// regular file (a link is followed to one) is read, it is opened without
/// blocking (a FIFO must not hang), and at most `max_bytes` are read,
/// whatever size the file claims (a link to a device claims none and never
/// ends).
pub fn read_user_file(path: &Path, max_bytes: u64) -> Result<String, FileRefusal> {
    use std::io::Read;
    let io = |e: std::io::Error| FileRefusal::Io(e.to_string());
    let regular = |meta: &std::fs::Metadata| {
        if meta.is_file() {
            Ok(())
        } else if meta.is_dir() {
            Err(FileRefusal::NotRegular("a folder"))
        } else {
            Err(FileRefusal::NotRegular(
                "not a regular file (a FIFO, a device or a socket)",
            ))
        }
    };
    regular(&std::fs::metadata(path).map_err(io)?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(io)?;
    // Checked again on the file opened: it may have been swapped meanwhile.
    regular(&file.metadata().map_err(io)?)?;
    let mut bytes = Vec::new();
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(FileRefusal::TooLarge(max_bytes));
    }
    String::from_utf8(bytes).map_err(|_| FileRefusal::NotUtf8)
}

/// `text` from a file, fit to print on one line: control characters (escape
/// sequences, BEL, a clear-screen, newlines) are dropped, so nothing a file
/// holds reaches the terminal as a command or breaks a table row.
pub fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// Text from a file over several lines: as [`printable`], but keeping its
/// line breaks.
pub fn printable_lines(text: &str) -> String {
    text.chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}
