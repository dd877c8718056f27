//! The sentences parlab says about a measurement: each finding in words
//! (`assets/findings.toml`) and a sweep's verdict (`assets/verdicts.toml`),
//! both through the one template engine ([`crate::template`]) and both
//! checked when they are read.
//!
//! Kept apart from [`crate::findings`], which judges, and from
//! [`crate::template`], which fills texts, so that neither depends on the
//! other's files.

use crate::finding::{Finding, FindingId, Judged, MachineFacts};
use crate::findings::{judge_run, judge_sweep};
use crate::measure::RunResult;
use crate::sweep::{SweepFit, SweepResult};
use crate::template::{Facts, RawCase, SourceError, Variants, parse_cases};
use strum::VariantArray;

/// The shipped sentences of the findings.
pub const FINDINGS_TOML: &str = include_str!("../assets/findings.toml");

/// The sentence of every finding, checked at load: one text, or several
/// chosen by the other findings (the first whose `when` holds; the last of
/// each finding has no `when`).
#[derive(Clone, Debug, PartialEq)]
pub struct FindingTexts {
    texts: Vec<(FindingId, Variants)>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTexts {
    finding: Vec<RawText>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    id: toml::Spanned<String>,
    #[serde(default)]
    when: Vec<toml::Spanned<String>>,
    text: toml::Spanned<String>,
}

impl FindingTexts {
    /// Reads `source` (from `file`): every id known, every finding with
    /// texts given together and ending in one without `when`, every
    /// placeholder and condition known. Errors name the file and line.
    pub fn parse(file: &str, source: &str) -> Result<Self, String> {
        let fail = |e: SourceError| e.describe(file, source);
        let raw: RawTexts = toml::from_str(source).map_err(|e| {
            fail(SourceError {
                offset: e.span().map(|s| s.start),
                message: e.message().trim().to_string(),
            })
        })?;
        let mut grouped: Vec<(FindingId, usize, Vec<RawCase>)> = Vec::new();
        for entry in raw.finding {
            let at = entry.id.span().start;
            let id = FindingId::parse(entry.id.get_ref()).ok_or_else(|| {
                fail(SourceError::at(
                    at,
                    format!("unknown finding '{}'", entry.id.get_ref()),
                ))
            })?;
            let case = RawCase {
                when: entry.when,
                text: entry.text,
            };
            let follows = grouped.last().is_some_and(|(last, _, _)| *last == id);
            if follows {
                if let Some((_, _, cases)) = grouped.last_mut() {
                    cases.push(case);
                }
            } else if grouped.iter().any(|(known, _, _)| *known == id) {
                return Err(fail(SourceError::at(
                    at,
                    format!("'{}' has texts in two places", id.id()),
                )));
            } else {
                grouped.push((id, at, vec![case]));
            }
        }
        let mut texts = Vec::new();
        for (id, at, cases) in grouped {
            texts.push((id, parse_cases(source, &cases, at).map_err(fail)?));
        }
        if let Some(missing) = FindingId::VARIANTS
            .iter()
            .find(|f| !texts.iter().any(|(k, _)| k == *f))
        {
            return Err(format!("{file}: no text for finding '{}'", missing.id()));
        }
        Ok(Self { texts })
    }

    /// The shipped texts; they are checked by a test, so this never fails
    /// in a released build, and a broken file would still give the ids.
    pub fn shipped() -> &'static Self {
        static SHIPPED: std::sync::LazyLock<FindingTexts> = std::sync::LazyLock::new(|| {
            FindingTexts::parse("assets/findings.toml", FINDINGS_TOML)
                .unwrap_or(FindingTexts { texts: Vec::new() })
        });
        &SHIPPED
    }

    /// The texts of `id`.
    pub fn variants(&self, id: FindingId) -> Option<&Variants> {
        self.texts.iter().find(|(k, _)| *k == id).map(|(_, t)| t)
    }

    /// Every finding's texts, for checks.
    pub fn all(&self) -> impl Iterator<Item = (FindingId, &Variants)> {
        self.texts.iter().map(|(id, t)| (*id, t))
    }
}

/// Puts judged findings into words with `facts`, in [`FindingId`]
/// order.
pub fn describe(judged: &[Judged], facts: &Facts) -> Vec<Finding> {
    let texts = FindingTexts::shipped();
    let mut out: Vec<Finding> = judged
        .iter()
        .map(|&(id, evidence)| Finding {
            id,
            text: texts
                .variants(id)
                .map_or_else(|| id.id().to_string(), |t| t.render(facts)),
            evidence,
        })
        .collect();
    out.sort_by_key(|f| f.id);
    out
}

/// The findings of a run report, in words, judged on the machine it ran
/// on (busy or not, as the report says).
pub fn of_run(r: &RunResult) -> Vec<Finding> {
    let judged = judge_run(r, &MachineFacts::of(&r.machine, r.busy));
    describe(&judged, &Facts::from_report(r, &judged))
}

/// The findings of a sweep, in words, judged on the machine it ran on.
pub fn of_sweep(r: &SweepResult) -> Vec<Finding> {
    let judged = judge_sweep(r, &MachineFacts::of(&r.machine, r.busy));
    describe(&judged, &Facts::from_sweep(r, &judged))
}

/// The shipped sweep verdicts.
pub const VERDICTS_TOML: &str = include_str!("../assets/verdicts.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVerdicts {
    verdict: Vec<RawCase>,
}

/// Reads the verdicts in `source` (from `file`); errors name the line.
pub fn parse_verdicts(file: &str, source: &str) -> Result<Variants, String> {
    let fail = |e: SourceError| e.describe(file, source);
    let raw: RawVerdicts = toml::from_str(source).map_err(|e| {
        fail(SourceError {
            offset: e.span().map(|s| s.start),
            message: e.message().trim().to_string(),
        })
    })?;
    parse_cases(source, &raw.verdict, 0).map_err(fail)
}

/// What a sweep's fit shows, as the verdict's findings: the model's bound
/// when the rows met it, else the cause the widest row's time accounting
/// names (never one by elimination), `busy` when the machine was, and
/// whether the sweep stayed within the usable CPUs.
fn fit_findings(fit: &SweepFit, busy: bool) -> Vec<FindingId> {
    let bound = crate::findings::bound_of(fit.model).or_else(|| {
        fit.model
            .is_shortfall()
            .then_some(fit.loss.map(crate::findings::loss_finding))
            .flatten()
    });
    let busy = busy.then_some(FindingId::Busy);
    let within = (fit.max_workers <= fit.lanes).then_some(FindingId::SweepWithinCpus);
    bound.into_iter().chain(busy).chain(within).collect()
}

/// The verdict of a sweep's fit on a quiet machine: see [`verdict_on`].
pub fn verdict(fit: &SweepFit) -> String {
    verdict_on(fit, false)
}

/// The verdict of a sweep's fit: why the curve looks as it does, chosen by
/// the model it names and filled with its figures; `busy` when other
/// programs loaded the machine before the sweep. The live sweep view calls
/// it after every row, so it needs only the fit.
pub fn verdict_on(fit: &SweepFit, busy: bool) -> String {
    static SHIPPED: std::sync::LazyLock<Option<Variants>> =
        std::sync::LazyLock::new(|| parse_verdicts("assets/verdicts.toml", VERDICTS_TOML).ok());
    let (workers, speedup) = fit.best;
    let mut facts = Facts::synthetic(&[], &fit_findings(fit, busy), None);
    facts.set(
        crate::template::Placeholder::BestSpeedup,
        crate::units::format_ratio(speedup),
    );
    facts.set(
        crate::template::Placeholder::BestWorkers,
        workers.to_string(),
    );
    let fitted = match fit.serial_fraction {
        Some(f) => crate::units::format_percent(f),
        None => fit.fraction_text(),
    };
    facts.set(crate::template::Placeholder::FittedFraction, fitted);
    facts.set(
        crate::template::Placeholder::SweepCpus,
        crate::units::counted(fit.lanes, "CPU"),
    );
    facts.set(
        crate::template::Placeholder::SweepWorkers,
        crate::units::counted(fit.max_workers, "worker"),
    );
    SHIPPED
        .as_ref()
        .map_or_else(|| fit.model.name().to_string(), |v| v.render(&facts))
}

#[cfg(test)]
mod claims;
#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Work;
    use crate::machine::MachineInfo;
    use crate::measure::{Rounds, SideResult};
    use crate::stats::Summary;
    use crate::workload::WorkloadKind;
    use std::time::Duration;

    fn run(serial_ms: u64, parallel_ms: u64) -> RunResult {
        let side = |ms: u64| SideResult {
            wall: Summary::of(&[Duration::from_millis(ms)]),
            task_times: vec![Duration::from_millis(ms) / 8; 8],
            cpu: Duration::from_millis(1),
            checksum: 1,
            serial_part: Duration::ZERO,
            transfer: None,
            end_idle: None,
            record: Default::default(),
        };
        let spec = Work {
            workload: WorkloadKind::Sleep,
            tasks: 8,
            workers: 2,
            task_ms: 10.0,
            ..Work::SEED_DEMO
        };
        crate::experiment::judge_run(RunResult::new(
            &spec,
            Rounds::ONCE,
            &MachineInfo::synthetic(2, 2),
            &side(serial_ms),
            &side(parallel_ms),
            Duration::ZERO,
        ))
    }

    #[test]
    fn every_finding_has_one_shipped_text_and_a_stable_id() {
        let texts = FindingTexts::parse("findings.toml", FINDINGS_TOML).unwrap();
        for id in FindingId::VARIANTS {
            assert!(texts.variants(*id).is_some(), "{id:?}");
            assert_eq!(FindingId::parse(id.id()), Some(*id));
            assert!(
                id.id()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            );
        }
        let doc = include_str!("../assets/lessons/README.md");
        for id in FindingId::VARIANTS {
            assert!(
                doc.contains(&format!("| `{}` |", id.id())),
                "{} undocumented",
                id.id()
            );
        }
    }

    #[test]
    fn a_broken_findings_file_names_its_line() {
        let typo = FINDINGS_TOML.replace("id = \"wall_same\"", "id = \"wall_sam\"");
        let err = FindingTexts::parse("findings.toml", &typo).unwrap_err();
        assert!(
            err.contains("findings.toml, line") && err.contains("wall_sam"),
            "{err}"
        );
        let placeholder = FINDINGS_TOML.replace("{serial} to {parallel}", "{serail} to {parallel}");
        let err = FindingTexts::parse("findings.toml", &placeholder).unwrap_err();
        assert!(err.contains("{serail}"), "{err}");
        let missing = FINDINGS_TOML.replace("id = \"busy\"", "id = \"noisy\"");
        assert!(FindingTexts::parse("findings.toml", &missing).is_err());
    }

    #[test]
    fn findings_reach_the_json_as_id_and_text() {
        let r = run(100, 300);
        let json: serde_json::Value =
            serde_json::from_str(&crate::output::run::run_json(&r).unwrap()).unwrap();
        let findings = json["findings"].as_array().unwrap();
        let slower = findings
            .iter()
            .find(|f| f["id"] == "slower_than_serial")
            .unwrap();
        assert!(
            slower["text"].as_str().unwrap().contains("3.00× slower"),
            "{slower}"
        );
        assert!(findings.iter().all(|f| f.as_object().unwrap().len() == 2));
    }

    #[test]
    fn verdicts_follow_the_model_and_a_broken_file_names_its_line() {
        let report = crate::sweep::test_support::cpu_report();
        let text = verdict(&report.fit);
        assert!(
            text.contains("4 CPUs") && text.contains("3.20× at 4 workers"),
            "{text}"
        );
        let mut short = report.fit.clone();
        short.model = crate::sweep::ScalingModel::Overhead;
        // A shortfall names the measured loss, never one by elimination.
        short.loss = Some(crate::accounting::Loss::HandingOut);
        assert!(verdict_on(&short, false).contains("handing out"));
        short.loss = None;
        let busy = verdict_on(&short, true);
        assert!(
            busy.contains("other programs") && busy.contains("no single cause"),
            "{busy}"
        );
        assert!(!verdict_on(&short, false).contains("handing out"));
        short.loss = Some(crate::accounting::Loss::WaitedForCpu);
        let waited = verdict_on(&short, true);
        assert!(
            waited.contains("waited for a CPU while other programs"),
            "{waited}"
        );
        let typo = VERDICTS_TOML.replace("\"bound_cpus\"", "\"bound_cpu\"");
        let err = parse_verdicts("verdicts.toml", &typo).unwrap_err();
        assert!(
            err.contains("verdicts.toml, line") && err.contains("bound_cpu"),
            "{err}"
        );
    }
}
