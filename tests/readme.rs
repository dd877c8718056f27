//! The README's samples are what the program prints. Every ```text block
//! that opens with a single `$ parlab …` line is that command's output:
//! `cargo test --test readme -- --ignored` runs each command and writes
//! its output into the block, and the check below runs them again and
//! compares line by line with every number and unit masked, since times
//! differ from run to run and machine to machine. Lines whose words follow
//! from the numbers (findings, warnings, the verdicts) and the machine's
//! name are left out of the comparison; the rest (titles, table headers,
//! rows, the ideal, the pool, the check) must match.

mod common;

use common::{parlab, stdout};
use std::path::PathBuf;

/// The command that rewrites the samples.
const REFRESH: &str = "cargo test --test readme -- --ignored";

/// Lines whose words are chosen by the measured numbers or name the
/// machine; the comparison skips them.
const VARYING: [&str; 10] = [
    "finding", "warning", "machine", "overhead", "speedup", "knee", "model", "Amdahl", "flat",
    "time",
];

fn readme() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

/// Each sample: the byte range of its output in `text` and its command's
/// arguments (without `parlab`).
fn samples(text: &str) -> Vec<(std::ops::Range<usize>, Vec<String>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("```text\n$ parlab") {
        let start = from + open + "```text\n".len();
        let Some(close) = text[start..].find("```") else {
            break;
        };
        let end = start + close;
        let block = &text[start..end];
        let (command, _) = block.split_once('\n').unwrap_or((block, ""));
        let second_command = block.lines().skip(1).any(|line| line.starts_with("$ "));
        if !second_command {
            let args = command
                .trim_start_matches("$ parlab")
                .split_whitespace()
                .map(str::to_string)
                .collect();
            found.push((start + command.len() + 1..end, args));
        }
        from = end;
    }
    found
}

/// The output of `parlab ARGS`, colour off.
fn output_of(args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    stdout(&parlab(&args))
}

/// A line with every word holding a digit, and every unit after one,
/// replaced by `#`; `None` for the lines [`VARYING`] names. A sweep row's
/// last cell, the largest loss it measured, is left out too.
fn masked(line: &str) -> Option<Vec<String>> {
    let first = line.split_whitespace().next().unwrap_or("");
    if VARYING.contains(&first) {
        return None;
    }
    let losses = parlab::accounting::Loss::ALL.map(parlab::accounting::Loss::label);
    let row = first.chars().all(|c| c.is_ascii_digit());
    let cut = losses
        .iter()
        .chain(&["within noise"])
        .filter_map(|loss| line.find(&format!("  {loss}")))
        .min();
    let line = match cut {
        Some(at) if row => &line[..at],
        _ => line,
    };
    let mut words: Vec<String> = Vec::new();
    for word in line.split_whitespace() {
        let unit = ["s", "ms", "µs", "ns", "%", "×"].contains(&word);
        let after_number = words.last().is_some_and(|w| w == "#");
        if word.chars().any(|c| c.is_ascii_digit()) || (unit && after_number) {
            if !after_number || !unit {
                words.push("#".to_string());
            }
        } else {
            words.push(word.to_string());
        }
    }
    Some(words)
}

fn masked_lines(text: &str) -> Vec<Vec<String>> {
    text.lines().filter_map(masked).collect()
}

#[test]
fn the_readme_samples_are_what_the_program_prints() {
    let text = std::fs::read_to_string(readme()).unwrap();
    let samples = samples(&text);
    assert!(samples.len() >= 2, "the README shows run and sweep output");
    for (range, args) in samples {
        let shown = masked_lines(&text[range]);
        let printed = masked_lines(&output_of(&args));
        assert_eq!(
            shown,
            printed,
            "the README sample of parlab {} no longer matches what it prints; rewrite the samples with `{REFRESH}`",
            args.join(" ")
        );
    }
}

#[test]
#[ignore = "rewrites the README samples; run it with the command in REFRESH"]
fn write_the_readme_samples() {
    let mut text = std::fs::read_to_string(readme()).unwrap();
    // From the last sample back, so earlier ranges stay valid.
    for (range, args) in samples(&text).into_iter().rev() {
        text.replace_range(range, &output_of(&args));
    }
    std::fs::write(readme(), text).unwrap();
}

#[test]
fn masking_keeps_words_and_hides_numbers_and_their_units() {
    assert_eq!(
        masked("serial         2.40 s     2.40 s"),
        Some(vec!["serial".into(), "#".into(), "#".into()])
    );
    assert_eq!(
        masked("check       results match (same checksum on both sides)").map(|w| w.len()),
        Some(8)
    );
    assert_eq!(masked("finding     The wall time fell"), None);
    assert_ne!(masked("ideal 300 ms waves"), masked("ideal 300 ms cores"));
    assert_eq!(
        masked("      2    1.2 s    0.97×      CPU wait 84 %"),
        masked("      2    1.3 s    0.96×      within noise")
    );
}
