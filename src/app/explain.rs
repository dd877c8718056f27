//! The explanation line: one or two sentences on what the screen shows,
//! quoting the measured numbers. The texts live in
//! `assets/explanations.toml` with `{placeholders}`; this module picks one
//! and fills it.

use super::lab::Lab;
use super::live_run::{LiveRun, RunStatus, Stage};
use crate::config::RunSpec;
use crate::measure::RunResult;
use crate::output::units::{format_duration, format_ms, format_percent, format_ratio};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// The shipped texts, embedded so a bare binary has them.
pub const EXPLANATIONS_TOML: &str = include_str!("../../assets/explanations.toml");

/// Every text of the explanation line.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanations {
    intro: String,
    preparing: String,
    running_serial: String,
    running_parallel: String,
    cancelled: String,
    after: BTreeMap<String, String>,
}

/// What the lab is doing, for picking the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    /// Nothing has run yet.
    Intro,
    /// A run is sizing its work.
    Preparing,
    /// The serial side is running.
    Serial,
    /// The parallel side is running.
    Parallel,
    /// The last run was cancelled.
    Cancelled,
}

impl Explanations {
    /// Reads the texts; the error carries the TOML line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parsed: Self = toml::from_str(text).map_err(|e| e.to_string())?;
        if !parsed.after.contains_key("generic") {
            return Err("[after] needs a `generic` text".to_string());
        }
        Ok(parsed)
    }

    /// The text for a moment without results, filled from the settings.
    pub fn during(&self, moment: Moment, spec: &RunSpec, mean_task: Option<&str>) -> String {
        let template = match moment {
            Moment::Intro => &self.intro,
            Moment::Preparing => &self.preparing,
            Moment::Serial => &self.running_serial,
            Moment::Parallel => &self.running_parallel,
            Moment::Cancelled => &self.cancelled,
        };
        let mut values = spec_values(spec);
        values.push(("mean_task", mean_task.unwrap_or("?").to_string()));
        fill(template, &values)
    }

    /// The text after a finished run, quoting its numbers.
    pub fn after(&self, report: &RunResult) -> String {
        let key = after_key(report, &self.after);
        let template = self
            .after
            .get(&key)
            .or_else(|| self.after.get("generic"))
            .map_or("", String::as_str);
        fill(template, &report_values(report))
    }
}

impl Lab {
    /// The explanation line: what is going on, or what the last run showed.
    pub fn explanation(&self) -> String {
        let during = |moment| {
            let spec = self.run.as_ref().map_or(&self.spec, |r| &r.spec);
            let waves = self.run.as_ref().and_then(LiveRun::waves);
            let mean = waves.map(|w| format_duration(w.mean));
            self.explanations.during(moment, spec, mean.as_deref())
        };
        if let Some(run) = self.run.as_ref().filter(|r| !r.finished) {
            return during(match run.stage() {
                Stage::Preparing => Moment::Preparing,
                Stage::Serial => Moment::Serial,
                _ => Moment::Parallel,
            });
        }
        match self.rows.last().map(|r| &r.status) {
            Some(RunStatus::Done(report)) => self.explanations.after(report),
            Some(RunStatus::Cancelled { .. }) => during(Moment::Cancelled),
            Some(RunStatus::Failed(why)) => format!("The run failed: {why}"),
            Some(RunStatus::Running) | None => during(Moment::Intro),
        }
    }
}

/// Which `[after]` text fits the run: special cases first, then the
/// workload's own name, with `_short` when the speedup fell well below the
/// ideal (and such a text exists), so no text claims what was not measured.
fn after_key(report: &RunResult, texts: &BTreeMap<String, String>) -> String {
    let name = report.workload.name();
    if !report.results_match {
        "mismatch".to_string()
    } else if report.workers == 1 {
        "one_worker".to_string()
    } else if name == "cpu" && report.workers > report.ideal_lanes {
        "cpu_oversubscribed".to_string()
    } else {
        let short = format!("{name}_short");
        let fell_short = report.speedup < SHORT_OF_IDEAL * report.ideal_speedup;
        if fell_short && texts.contains_key(&short) {
            short
        } else {
            name.to_string()
        }
    }
}

/// Below this share of the ideal speedup a run "fell short".
const SHORT_OF_IDEAL: f64 = 0.9;

fn spec_values(spec: &RunSpec) -> Vec<(&'static str, String)> {
    vec![
        ("tasks", spec.tasks.to_string()),
        ("workload", spec.workload.name().to_string()),
        ("task", format_ms(spec.task_ms)),
        ("workers", spec.workers.to_string()),
    ]
}

fn report_values(r: &RunResult) -> Vec<(&'static str, String)> {
    let mut spec = RunSpec::SEED_DEMO;
    spec.workload = r.workload;
    spec.tasks = r.tasks;
    spec.workers = r.workers;
    spec.task_ms = r.task_ms;
    let lanes = r.ideal_lanes.max(1);
    let mut values = spec_values(&spec);
    values.extend([
        ("cpus", r.machine.logical_cpus.to_string()),
        ("cores", r.machine.physical_cores.to_string()),
        ("serial", format_duration(r.serial_time)),
        ("parallel", format_duration(r.parallel_time)),
        ("ideal", format_duration(r.ideal_time)),
        ("speedup", format_ratio(r.speedup)),
        ("ideal_speedup", format_ratio(r.ideal_speedup)),
        ("efficiency", format_percent(r.efficiency)),
        ("lanes", lanes.to_string()),
        ("waves", r.tasks.div_ceil(lanes).to_string()),
        ("mean_task", mean_task(r)),
        ("bound", r.ideal_model.name().to_string()),
        ("cpu_serial", format_duration(r.serial.cpu)),
        ("cpu_parallel", format_duration(r.parallel.cpu)),
    ]);
    let part = r
        .serial_part
        .map_or((0.0, Duration::ZERO), |p| (p.serial_fraction, p.time));
    values.push(("serial_fraction", format_percent(part.0)));
    values.push(("serial_part", format_duration(part.1)));
    values
}

/// The measured serial time per task: the unit of the ideal waves.
fn mean_task(r: &RunResult) -> String {
    format_duration(r.serial_time / r.tasks.max(1) as u32)
}

/// Replaces each `{name}` in `template` by its value; unknown names stay
/// as written so a typo shows on screen instead of vanishing.
fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let close = after.find('}');
        let known = close.and_then(|end| {
            let name = &after[1..end];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (v, end))
        });
        match known {
            Some((value, end)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::{report, seed_report};

    fn shipped() -> Explanations {
        Explanations::parse(EXPLANATIONS_TOML).unwrap()
    }

    #[test]
    fn every_placeholder_in_the_shipped_texts_is_known() {
        let texts = shipped();
        let report = seed_report(2400, 301);
        let mut all: Vec<String> = texts
            .after
            .values()
            .map(|template| fill(template, &report_values(&report)))
            .collect();
        for moment in [
            Moment::Intro,
            Moment::Preparing,
            Moment::Serial,
            Moment::Parallel,
            Moment::Cancelled,
        ] {
            all.push(texts.during(moment, &RunSpec::SEED_DEMO, Some("100 ms")));
        }
        for text in all {
            assert!(!text.contains('{') && !text.contains('}'), "{text}");
        }
    }

    #[test]
    fn the_seed_demo_text_quotes_the_measured_numbers() {
        let text = shipped().after(&seed_report(2400, 301));
        assert!(text.starts_with("8 workers, 2 CPUs, 7.97×"), "{text}");
        assert!(text.contains("3 waves of 100 ms tasks"), "{text}");
    }

    #[test]
    fn special_cases_come_before_the_workload() {
        let texts = shipped().after;
        let mut report = seed_report(2400, 2400);
        report.workers = 1;
        assert_eq!(after_key(&report, &texts), "one_worker");
        report.results_match = false;
        assert_eq!(after_key(&report, &texts), "mismatch");
    }

    #[test]
    fn a_run_short_of_the_ideal_gets_its_own_text() {
        let texts = shipped().after;
        let spec = RunSpec {
            workload: crate::workload::WorkloadKind::Tiny,
            workers: 2,
            ..RunSpec::SEED_DEMO
        };
        let good = report(
            &spec,
            Duration::from_millis(500),
            Duration::from_millis(260),
        );
        assert_eq!(after_key(&good, &texts), "tiny");
        let poor = report(
            &spec,
            Duration::from_millis(500),
            Duration::from_millis(400),
        );
        assert_eq!(after_key(&poor, &texts), "tiny_short");
        let text = shipped().after(&poor);
        assert!(text.contains("1.25×") && text.contains("2.00×"), "{text}");
        let sleep = seed_report(2400, 600);
        assert_eq!(
            after_key(&sleep, &texts),
            "sleep",
            "no sleep_short: the plain text"
        );
    }

    #[test]
    fn fill_leaves_unknown_names_and_lone_braces() {
        let values = [("a", "1".to_string())];
        assert_eq!(fill("{a} {b} { {a}", &values), "1 {b} { 1");
        assert_eq!(fill("end {", &values), "end {");
    }

    #[test]
    fn a_file_without_a_generic_text_is_refused() {
        let text = EXPLANATIONS_TOML.replace("generic =", "other =");
        assert!(Explanations::parse(&text).unwrap_err().contains("generic"));
        assert!(
            Explanations::parse("intro = ")
                .unwrap_err()
                .contains("line")
        );
    }
}
