//! Durations on screen and in files: `2.40 s`, `301 ms`, `4.2 µs`, and
//! seconds as plain numbers for JSON and CSV.
//!
//! Time stays a `Duration` everywhere else; only output converts it.

use serde::Serializer;
use std::time::Duration;

/// A duration with three significant digits and a unit a reader expects:
/// `2.40 s`, `301 ms`, `12.5 ms`, `4.20 µs`, `85 ns`.
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    let (value, unit) = if secs >= 1.0 {
        (secs, "s")
    } else if secs >= 1e-3 {
        (secs * 1e3, "ms")
    } else if secs >= 1e-6 {
        (secs * 1e6, "µs")
    } else {
        (secs * 1e9, "ns")
    };
    format!("{} {unit}", three_digits(value))
}

/// A span of wall-clock time as people plan with it: `45 s`, `3 min 20 s`,
/// `2 h 5 min`, `3 d 4 h`; whole seconds, for estimates and time left.
pub fn format_span(d: Duration) -> String {
    let secs = d.as_secs_f64().round() as u64;
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min {s} s"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// A task duration given in milliseconds, in the same style.
pub fn format_ms(ms: f64) -> String {
    format_duration(Duration::from_secs_f64(ms.max(0.0) / 1000.0))
}

/// `value` with three significant digits (no exponent): 2.40, 30.1, 301.
pub fn three_digits(value: f64) -> String {
    if value >= 99.95 {
        format!("{value:.0}")
    } else if value >= 9.995 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// A ratio such as a speedup: `7.98×`.
pub fn format_ratio(value: f64) -> String {
    format!("{value:.2}×")
}

/// A speedup in words: `7.98× faster`, or for a slowdown the inverse,
/// `5.26× slower`, so a loss never reads like a gain.
pub fn speed_words(speedup: f64) -> String {
    if speedup >= 1.0 || speedup <= 0.0 {
        format!("{} faster", format_ratio(speedup))
    } else {
        format!("{} slower", format_ratio(1.0 / speedup))
    }
}

/// A fraction as a percentage: `99.8 %`. A value that rounds to zero
/// reads `0.0 %`, never `-0.0 %`.
pub fn format_percent(fraction: f64) -> String {
    let percent = fraction * 100.0;
    if percent.abs() < 0.05 {
        return "0.0 %".to_string();
    }
    format!("{percent:.1} %")
}

/// Plural nouns a count can stand before in a sentence, with their
/// singular.
const PLURALS: [(&str, &str); 16] = [
    ("workers", "worker"),
    ("tasks", "task"),
    ("cores", "core"),
    ("CPUs", "CPU"),
    ("lanes", "lane"),
    ("threads", "thread"),
    ("processes", "process"),
    ("waves", "wave"),
    ("steps", "step"),
    ("runs", "run"),
    ("rows", "row"),
    ("files", "file"),
    ("lessons", "lesson"),
    ("repeats", "repeat"),
    ("chunks", "chunk"),
    ("guesses", "guess"),
];

/// Words that may sit between a count and its noun: `2 usable CPUs`.
const COUNT_ADJECTIVES: [&str; 4] = ["usable", "logical", "physical", "hardware"];

/// `text` with every plural noun after a lone count of one made singular:
/// "1 workers" reads "1 worker", "the 1 usable CPUs" reads "the 1 usable
/// CPU". A count is a `1` standing alone (not `11`, `0.1` or `1.5`).
/// Templates write `{workers} workers` whatever the number; this is where
/// the sentence comes out right for one.
pub fn singular_after_one(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('1') {
        let (before, from_one) = rest.split_at(at);
        out.push_str(before);
        let lone = !out
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '-' | '/'));
        let after = &from_one[1..];
        out.push('1');
        rest = after;
        if !lone {
            continue;
        }
        let Some(words) = after.strip_prefix(' ') else {
            continue;
        };
        let (adjective, noun_at) = match COUNT_ADJECTIVES
            .iter()
            .find(|adj| words.starts_with(*adj) && words[adj.len()..].starts_with(' '))
        {
            Some(adj) => (&words[..adj.len() + 1], &words[adj.len() + 1..]),
            None => ("", words),
        };
        let Some((plural, singular)) = PLURALS.iter().find(|(plural, _)| {
            noun_at.starts_with(plural)
                && !noun_at[plural.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
        }) else {
            continue;
        };
        out.push(' ');
        out.push_str(adjective);
        out.push_str(singular);
        rest = &noun_at[plural.len()..];
    }
    out.push_str(rest);
    out
}

/// A size in bytes as people read it: `512 KiB`, `16.0 MiB`, `6.25 GiB`,
/// in the powers of 1024 that `--payload-kb` counts in (16384 reads
/// 16.0 MiB) and `free -h` shows.
pub fn format_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    const KIB: f64 = 1024.0;
    if b >= KIB * KIB * KIB {
        format!("{} GiB", three_digits(b / (KIB * KIB * KIB)))
    } else if b >= KIB * KIB {
        format!("{} MiB", three_digits(b / (KIB * KIB)))
    } else if b >= KIB {
        format!("{} KiB", three_digits(b / KIB))
    } else {
        format!("{bytes} bytes")
    }
}

/// A whole number with its thousands grouped by commas, as a reader
/// compares large counts: `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` and a noun, plural unless `n` is 1: `1 worker`, `4 workers`.
pub fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        // "1024 worker processes", not "processs".
        n if noun.ends_with('s') => format!("{n} {noun}es"),
        n => format!("{n} {noun}s"),
    }
}

/// A list of counts and their noun: `1, 2, 4 workers`, or `1 worker` for
/// a list of just one.
pub fn counted_list<T: std::fmt::Display>(counts: &[T], noun: &str) -> String {
    let list: Vec<String> = counts.iter().map(ToString::to_string).collect();
    match list.as_slice() {
        [one] if one == "1" => format!("1 {noun}"),
        _ => format!("{} {noun}s", list.join(", ")),
    }
}

/// Seconds as a JSON number, rounded to nanoseconds.
pub fn serialize_secs<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(secs(*d))
}

/// An optional duration as seconds, or `null`.
pub fn serialize_opt_secs<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_f64(secs(*d)),
        None => s.serialize_none(),
    }
}

/// A list of durations as seconds.
pub fn serialize_secs_vec<S: Serializer>(ds: &[Duration], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ds.iter().map(|d| secs(*d)))
}

/// Seconds as a JSON number back into a duration; a negative, infinite
/// or huge number is refused as not a time.
pub fn deserialize_secs<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let seconds = <f64 as serde::Deserialize>::deserialize(d)?;
    to_duration(seconds)
}

/// An optional duration from seconds or `null`.
pub fn deserialize_opt_secs<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Duration>, D::Error> {
    <Option<f64> as serde::Deserialize>::deserialize(d)?
        .map(to_duration)
        .transpose()
}

/// A list of durations from seconds.
pub fn deserialize_secs_vec<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<Duration>, D::Error> {
    <Vec<f64> as serde::Deserialize>::deserialize(d)?
        .into_iter()
        .map(to_duration)
        .collect()
}

/// `#[serde(with = …)]` for a duration written as seconds and read back.
pub mod secs_field {
    pub use super::{deserialize_secs as deserialize, serialize_secs as serialize};
}

/// `#[serde(with = …)]` for a list of durations written as seconds.
pub mod secs_vec_field {
    pub use super::{deserialize_secs_vec as deserialize, serialize_secs_vec as serialize};
}

fn to_duration<E: serde::de::Error>(seconds: f64) -> Result<Duration, E> {
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| E::custom(format!("{seconds} is not a time in seconds")))
}

/// Seconds as f64, rounded to whole nanoseconds so JSON stays short.
pub fn secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e9).round() / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_their_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(123_456_789), "123,456,789");
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn durations_read_like_a_person_writes_them() {
        assert_eq!(format_duration(Duration::from_millis(2400)), "2.40 s");
        assert_eq!(format_duration(Duration::from_micros(300_600)), "301 ms");
        assert_eq!(format_duration(Duration::from_micros(12_500)), "12.5 ms");
        assert_eq!(format_duration(Duration::from_nanos(4_200)), "4.20 µs");
        assert_eq!(format_duration(Duration::from_nanos(85)), "85.0 ns");
        assert_eq!(format_ms(100.0), "100 ms");
        assert_eq!(format_ms(0.005), "5.00 µs");
    }

    #[test]
    fn ratios_and_percentages() {
        assert_eq!(format_ratio(7.984), "7.98×");
        assert_eq!(speed_words(2.0), "2.00× faster");
        assert_eq!(speed_words(0.19), "5.26× slower");
        assert_eq!(speed_words(1.0), "1.00× faster");
        assert_eq!(format_percent(0.998), "99.8 %");
        assert_eq!(format_percent(-0.0001), "0.0 %");
        assert_eq!(format_percent(-0.0), "0.0 %");
        assert_eq!(format_percent(-0.012), "-1.2 %");
        assert_eq!(secs(Duration::from_millis(300)), 0.3);
        assert_eq!(counted(1, "worker"), "1 worker");
        assert_eq!(counted(4, "CPU"), "4 CPUs");
        assert_eq!(counted(2, "worker process"), "2 worker processes");
        assert_eq!(counted_list(&[1], "worker"), "1 worker");
        assert_eq!(counted_list(&[1, 2], "worker"), "1, 2 workers");
        assert_eq!(counted_list(&["4"], "worker"), "4 workers");
    }

    #[test]
    fn a_count_of_one_takes_a_singular_noun() {
        for (text, expected) in [
            ("1 workers, 1 steps, 1 waves", "1 worker, 1 step, 1 wave"),
            ("the 1 usable CPUs", "the 1 usable CPU"),
            ("1 processes (1 CPUs)", "1 process (1 CPU)"),
            (
                "11 workers, 0.1 tasks, 2.1 cores",
                "11 workers, 0.1 tasks, 2.1 cores",
            ),
            ("1 workersome 1 task 1", "1 workersome 1 task 1"),
            ("1 µs on 2 workers", "1 µs on 2 workers"),
            ("", ""),
        ] {
            assert_eq!(singular_after_one(text), expected, "{text}");
        }
    }
}
