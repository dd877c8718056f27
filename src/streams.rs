//! Standard output and standard error, written without ever panicking.
//!
//! `println!` and `eprintln!` panic when their stream fails: a closed pipe
//! on stderr turned a "chart written to" note into exit 101. Everything
//! parlab prints goes through here instead (a lint forbids the macros):
//! results on stdout fail loudly, naming what was lost; notes on stderr are
//! best effort, since there is nowhere left to report their failure.

use std::io::{ErrorKind, Write};

/// Output that could not be written to stdout.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {what} to standard output")]
pub struct LostOutput {
    /// What was being written ("the run table", "the help").
    pub what: String,
    /// Why the write failed.
    pub source: std::io::Error,
}

/// Writes `text` (described as `what`) to stdout at once and flushes it. A
/// reader that went away (`| head`) is not an error; a full disk or any
/// other failure is.
pub fn print(what: &str, text: &str) -> Result<(), LostOutput> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(LostOutput {
            what: what.to_string(),
            source,
        }),
        Ok(()) => Ok(()),
    }
}

/// Refuses a closed standard output (`>&-`) before any work. Rust's
/// start-up opens `/dev/null` read-write in place of a closed standard
/// descriptor, so every write would vanish without an error; a shell's
/// `>/dev/null` opens it write-only, which is how the two are told apart.
pub fn check_stdout() -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let closed = "standard output is closed (>&-), so nothing could be printed";
        let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
            return Err(closed.to_string());
        };
        let read_write = rustix::fs::fcntl_getfl(&fd)
            .is_ok_and(|flags| flags & rustix::fs::OFlags::RWMODE == rustix::fs::OFlags::RDWR);
        let rdev = std::fs::File::from(fd).metadata().map(|m| m.rdev());
        let null = std::fs::metadata("/dev/null").map(|m| m.rdev());
        if read_write && matches!((rdev, null), (Ok(a), Ok(b)) if a == b) {
            return Err(closed.to_string());
        }
    }
    Ok(())
}

/// A line on stderr (a warning, a note, an error); a stderr that cannot
/// be written is ignored.
pub fn note(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}").and_then(|()| err.flush());
}

/// A progress line on stderr, drawn over the previous one (through
/// crossterm, so a Windows console clears it too); failures are ignored as
/// for [`note`].
pub fn note_progress(line: &str) {
    use crossterm::{cursor, style, terminal};
    let mut err = std::io::stderr().lock();
    let _ = crossterm::queue!(
        err,
        cursor::MoveToColumn(0),
        terminal::Clear(terminal::ClearType::CurrentLine),
        style::Print(line)
    )
    .and_then(|()| err.flush());
}

/// Erases the progress line, leaving the cursor at its start.
pub fn clear_progress() {
    note_progress("");
}

/// Whether the terminal takes the escape sequences of colour: a Windows
/// console once crossterm has switched them on.
#[cfg(windows)]
pub fn ansi_ready() -> bool {
    crossterm::ansi_support::supports_ansi()
}

/// Whether the terminal takes the escape sequences of colour: every Unix
/// terminal does.
#[cfg(not(windows))]
pub fn ansi_ready() -> bool {
    true
}
