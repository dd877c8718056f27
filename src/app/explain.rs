//! The explanation line: one or two sentences on what the screen shows,
//! quoting the measured numbers. The texts live in
//! `assets/explanations.toml`; after a run, the run's findings choose
//! among the variants and the one template engine ([`crate::template`])
//! fills them.

use crate::config::Work;
use crate::machine::MachineInfo;
use crate::template::{
    Facts, RawCase, SourceError, Template, Variants, parse_cases, parse_spanned,
};
use serde::Deserialize;
use toml::Spanned;

/// The shipped texts, embedded so a bare binary has them.
pub const EXPLANATIONS_TOML: &str = include_str!("../../assets/explanations.toml");

/// Every text of the explanation line, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanations {
    intro: Template,
    preparing: Template,
    running_serial: Template,
    running_parallel: Template,
    cancelled: Template,
    after: Variants,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExplanations {
    intro: Spanned<String>,
    preparing: Spanned<String>,
    running_serial: Spanned<String>,
    running_parallel: Spanned<String>,
    cancelled: Spanned<String>,
    after: Vec<RawCase>,
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
    /// Reads the texts; an unknown placeholder or finding, or a list
    /// without a final text for every case, is refused with its line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file = "assets/explanations.toml";
        let fail = |e: SourceError| e.describe(file, text);
        let raw: RawExplanations = toml::from_str(text).map_err(|e| {
            fail(SourceError {
                offset: e.span().map(|s| s.start),
                message: e.message().trim().to_string(),
            })
        })?;
        let one = |t: &Spanned<String>| parse_spanned(text, t).map_err(fail);
        Ok(Self {
            intro: one(&raw.intro)?,
            preparing: one(&raw.preparing)?,
            running_serial: one(&raw.running_serial)?,
            running_parallel: one(&raw.running_parallel)?,
            cancelled: one(&raw.cancelled)?,
            after: parse_cases(text, &raw.after, 0).map_err(fail)?,
        })
    }

    /// The text for a moment without results, filled from the settings.
    pub fn during(
        &self,
        moment: Moment,
        spec: &Work,
        machine: &MachineInfo,
        mean_task: Option<&str>,
    ) -> String {
        let template = match moment {
            Moment::Intro => &self.intro,
            Moment::Preparing => &self.preparing,
            Moment::Serial => &self.running_serial,
            Moment::Parallel => &self.running_parallel,
            Moment::Cancelled => &self.cancelled,
        };
        let mut facts = Facts::from_spec(spec, machine);
        facts.set(
            crate::template::Placeholder::MeanTask,
            mean_task.unwrap_or("?").to_string(),
        );
        template.render(&facts)
    }

    /// The text after a finished run, chosen by its judged findings.
    pub fn after(&self, facts: &Facts) -> String {
        self.after.render(facts)
    }

    /// The variants after a run, for checks.
    pub fn after_variants(&self) -> &Variants {
        &self.after
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::test_support::{report, seed_report};
    use std::time::Duration;

    fn shipped() -> Explanations {
        Explanations::parse(EXPLANATIONS_TOML).unwrap()
    }

    #[test]
    fn every_text_during_a_run_is_filled() {
        let texts = shipped();
        for moment in [
            Moment::Intro,
            Moment::Preparing,
            Moment::Serial,
            Moment::Parallel,
            Moment::Cancelled,
        ] {
            let machine = MachineInfo::synthetic(2, 2);
            let text = texts.during(moment, &Work::SEED_DEMO, &machine, Some("100 ms"));
            assert!(!text.contains('{') && !text.contains("n/a"), "{text}");
        }
    }

    #[test]
    fn the_seed_demo_text_quotes_the_measured_numbers() {
        let text = shipped().after(&crate::lesson::happened_facts(&seed_report(2400, 301)));
        assert!(text.starts_with("8 workers, 2 CPUs, 7.97×"), "{text}");
        assert!(text.contains("3 waves of 100 ms tasks"), "{text}");
    }

    #[test]
    fn special_cases_come_before_the_workload() {
        let texts = shipped();
        let mut report = seed_report(2400, 2400);
        report.work.workers = 1;
        let report = crate::experiment::judge_run(report);
        assert!(
            texts
                .after(&crate::lesson::happened_facts(&report))
                .starts_with("One worker")
        );
        let mut report = report;
        report.results_match = false;
        let report = crate::experiment::judge_run(report);
        assert!(
            texts
                .after(&crate::lesson::happened_facts(&report))
                .starts_with("Warning: the serial")
        );
    }

    #[test]
    fn a_run_short_of_the_ideal_gets_its_own_text() {
        let spec = Work {
            workload: crate::workload::WorkloadKind::Tiny,
            workers: 2,
            ..Work::SEED_DEMO
        };
        let good = report(
            &spec,
            Duration::from_millis(500),
            Duration::from_millis(260),
        );
        assert!(
            shipped()
                .after(&crate::lesson::happened_facts(&good))
                .contains("still costs little")
        );
        let mut poor = report(
            &spec,
            Duration::from_millis(500),
            Duration::from_millis(400),
        );
        // Measured: the lanes spent the time beyond the work handing out.
        poor.time_accounting = crate::accounting::TimeAccounting {
            lane: Duration::from_millis(800),
            work: Duration::from_millis(500),
            handing_out: Duration::from_millis(300),
            tasks: 24,
            ..Default::default()
        }
        .with_noise(0.05);
        let poor = crate::experiment::judge_run(poor);
        let text = shipped().after(&crate::lesson::happened_facts(&poor));
        assert!(text.contains("1.25×") && text.contains("2.00×"), "{text}");
        assert!(text.contains("Handing out each task"), "{text}");
    }

    #[test]
    fn on_a_busy_machine_the_line_names_the_wait_for_a_cpu_and_the_other_programs() {
        let spec = Work {
            workload: crate::workload::WorkloadKind::Cpu,
            workers: 2,
            ..Work::SEED_DEMO
        };
        // The same time on 2 workers as serially, the workers runnable but
        // without a CPU for most of it.
        let mut busy = report(
            &spec,
            Duration::from_millis(500),
            Duration::from_millis(490),
        );
        busy.time_accounting = crate::accounting::TimeAccounting {
            lane: Duration::from_millis(980),
            work: Duration::from_millis(180),
            waited_for_cpu: Duration::from_millis(800),
            tasks: 24,
            ..Default::default()
        };
        busy.set_busy(Some(crate::busy::Busy {
            usage: 1.0,
            warning: String::new(),
        }));
        let busy = crate::experiment::judge_run(busy);
        let text = shipped().after(&crate::lesson::happened_facts(&busy));
        assert!(
            text.contains("waited for a CPU for 81.6 %")
                && text.contains("other programs kept the CPUs 100.0 % busy"),
            "{text}"
        );
    }

    #[test]
    fn a_slowdown_never_reads_as_a_gain() {
        let text = shipped().after(&crate::lesson::happened_facts(&seed_report(2400, 12_000)));
        assert!(text.contains("5.00× slower"), "{text}");
        assert!(!text.contains("faster"), "{text}");
    }

    #[test]
    fn unknown_placeholders_and_findings_are_refused_with_their_line() {
        let typo = EXPLANATIONS_TOML.replace(
            "{speed} on {workers} workers (",
            "{sped} on {workers} workers (",
        );
        let err = Explanations::parse(&typo).unwrap_err();
        assert!(
            err.contains("explanations.toml, line") && err.contains("{sped}"),
            "{err}"
        );
        let bad = EXPLANATIONS_TOML.replace("when = [\"one_worker\"]", "when = [\"one_workr\"]");
        let err = Explanations::parse(&bad).unwrap_err();
        assert!(err.contains("unknown finding 'one_workr'"), "{err}");
        let line = EXPLANATIONS_TOML
            .lines()
            .position(|l| l.contains("\"one_worker\""))
            .unwrap()
            + 1;
        assert!(err.contains(&format!("line {line}")), "{err}");
        assert!(
            Explanations::parse("intro = ")
                .unwrap_err()
                .contains("line")
        );
    }
}
