//! When a file was written, in UTC: `2026-03-01 14:05:09 UTC` inside a
//! report and `2026-03-01_14-05-09` in a file name.
//!
//! The calendar comes from the `time` crate, which ratatui already brings
//! in, so parlab keeps no date arithmetic of its own.

use std::time::SystemTime;
use time::OffsetDateTime;

/// A UTC date and time, to the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtcDateTime(OffsetDateTime);

impl From<SystemTime> for UtcDateTime {
    /// Times before 1970 or past year 9999 (a broken clock) read as
    /// 1970-01-01.
    fn from(at: SystemTime) -> Self {
        let secs = at
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let utc = i64::try_from(secs)
            .ok()
            .and_then(|secs| OffsetDateTime::from_unix_timestamp(secs).ok())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        Self(utc)
    }
}

impl UtcDateTime {
    /// Year, month, day, hour, minute and second, in that order.
    fn fields(&self) -> (i32, u8, u8, u8, u8, u8) {
        let t = self.0;
        (
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
        )
    }
}

impl std::fmt::Display for UtcDateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (year, month, day, hour, minute, second) = self.fields();
        write!(
            f,
            "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02} UTC"
        )
    }
}

/// The UTC date and time `at` as it goes into a file name:
/// `2026-03-01_14-05-09`. Reports and sweep exports share it, so their
/// files sort together by time.
pub fn file_stamp(at: SystemTime) -> String {
    let (year, month, day, hour, minute, second) = UtcDateTime::from(at).fields();
    format!("{year:04}-{month:02}-{day:02}_{hour:02}-{minute:02}-{second:02}")
}
