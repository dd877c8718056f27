//! The texts-versus-findings rule as a property: every shipped text,
//! rendered over synthetic measurements covering every combination of
//! findings, claims no gain, bound or cause that its findings deny.
//!
//! A claim is recognised by its canonical phrase (listed in
//! `assets/lessons/README.md`); the texts use these phrases only where a
//! finding supports them, and this test keeps it so.

use super::{FINDINGS_TOML, FindingTexts};
use crate::findings::FindingId;
use crate::template::{Facts, Placeholder, Variants};
use crate::workload::WorkloadKind;
use proptest::prelude::*;
use strum::VariantArray;

/// A phrase and the finding it needs, or (`None`) a finding it denies.
const CLAIMS: &[(&str, FindingId, bool)] = &[
    ("faster", FindingId::WallFell, true),
    ("wall time fell", FindingId::WallFell, true),
    ("slower", FindingId::SlowerThanSerial, true),
    ("met the ideal", FindingId::MetIdeal, true),
    ("fell short", FindingId::ShortOfIdeal, true),
    ("ran out", FindingId::BoundMemoryBandwidth, true),
    ("saturated", FindingId::BoundMemoryBandwidth, true),
    ("at most", FindingId::AboveIdealWithinNoise, false),
    ("hardware-thread gap", FindingId::Smt, true),
    ("no gain", FindingId::WallFell, false),
    ("did not pay", FindingId::WallFell, false),
];

/// Checks one rendered text against the findings it was chosen for.
fn check(origin: &str, text: &str, facts: &Facts) -> Result<(), String> {
    let lower = text.to_lowercase();
    for &(phrase, finding, needs) in CLAIMS {
        if lower.contains(phrase) && facts.has(finding) != needs {
            let verb = if needs { "needs" } else { "is denied by" };
            return Err(format!(
                "{origin}: \"{phrase}\" {verb} {} but the findings are {:?}:\n{text}",
                finding.id(),
                facts.findings()
            ));
        }
    }
    if text.contains('{') || text.contains("n/a") {
        return Err(format!("{origin}: unfilled placeholder:\n{text}"));
    }
    Ok(())
}

/// Values for every placeholder, consistent with the wall finding so that
/// `{speed}` says what the findings say.
fn values(findings: &[FindingId]) -> Vec<(Placeholder, String)> {
    let speed = if findings.contains(&FindingId::WallFell) {
        "1.90× faster"
    } else if findings.contains(&FindingId::SlowerThanSerial) {
        "2.50× slower"
    } else {
        "about as fast as serial (1.01×)"
    };
    let mut out: Vec<_> = Placeholder::VARIANTS
        .iter()
        .map(|&p| (p, "7".to_string()))
        .collect();
    out.retain(|(p, _)| *p != Placeholder::Speed);
    out.push((Placeholder::Speed, speed.to_string()));
    out
}

/// Every shipped text with its variants, named by origin.
fn shipped_texts() -> Vec<(String, Variants)> {
    let mut out = Vec::new();
    let explanations =
        crate::app::explain::Explanations::parse(crate::app::explain::EXPLANATIONS_TOML).unwrap();
    out.push((
        "explanations after".to_string(),
        explanations.after_variants().clone(),
    ));
    for lesson in crate::lesson::LessonSet::shipped().lessons {
        for (n, step) in lesson.steps.iter().enumerate() {
            let name = format!("{} step {}", lesson.file, n + 1);
            out.push((format!("{name} text"), step.text.clone()));
            out.push((format!("{name} happened"), step.happened.clone()));
        }
    }
    out
}

/// One finding (or none) from each group that can hold at most one, plus
/// flags: every combination a measurement can produce.
fn combination(picks: &[usize], flags: &[bool]) -> Vec<FindingId> {
    const GROUPS: &[&[FindingId]] = &[
        &[
            FindingId::WallFell,
            FindingId::WallSame,
            FindingId::SlowerThanSerial,
        ],
        &[
            FindingId::MetIdeal,
            FindingId::ShortOfIdeal,
            FindingId::AboveIdeal,
        ],
        &[
            FindingId::BoundWaves,
            FindingId::BoundCpus,
            FindingId::BoundLongestTask,
            FindingId::BoundSerialPart,
            FindingId::BoundMemoryBandwidth,
            FindingId::BoundOverhead,
        ],
        &[FindingId::NoSmt, FindingId::Smt],
        &[
            FindingId::EfficiencyOver100Noise,
            FindingId::EfficiencyOver100Caches,
        ],
        &[FindingId::Fitted, FindingId::NoFit],
    ];
    const FLAGS: &[FindingId] = &[
        FindingId::AboveIdealWithinNoise,
        FindingId::Noisy,
        FindingId::Busy,
        FindingId::OneCpu,
        FindingId::CpusRestricted,
        FindingId::OneWorker,
        FindingId::Oversubscribed,
        FindingId::ResultsDiffer,
    ];
    let mut out: Vec<FindingId> = GROUPS
        .iter()
        .zip(picks)
        .filter_map(|(group, &pick)| group.get(pick).copied())
        .collect();
    out.extend(
        FLAGS
            .iter()
            .zip(flags)
            .filter(|(_, on)| **on)
            .map(|(id, _)| *id),
    );
    out
}

fn check_all(
    texts: &[(String, Variants)],
    findings: &[FindingId],
    workload: WorkloadKind,
) -> Result<(), String> {
    let facts = Facts::synthetic(&values(findings), findings, Some(workload));
    for (origin, variants) in texts {
        check(origin, &variants.render(&facts), &facts)?;
    }
    let finding_texts = FindingTexts::parse("findings.toml", FINDINGS_TOML).unwrap();
    for (id, template) in finding_texts.templates() {
        if facts.has(id) {
            check(
                &format!("finding {}", id.id()),
                &template.render(&facts),
                &facts,
            )?;
        }
    }
    Ok(())
}

/// Every combination of the groups that decide gains, bounds and causes,
/// for every workload, quiet and busy: exhaustive, so no variant escapes.
#[test]
fn no_shipped_text_claims_what_its_findings_deny() {
    let texts = shipped_texts();
    for &workload in WorkloadKind::VARIANTS {
        for wall in 0..3 {
            for ideal in 0..4 {
                for bound in 0..7 {
                    for smt in 0..2 {
                        for busy in [false, true] {
                            let picks = [wall, ideal, bound, smt, 2, 2];
                            for above in [false, true] {
                                let flags = [above, false, busy, false, false, false, false, false];
                                let found = combination(&picks, &flags);
                                if let Err(why) = check_all(&texts, &found, workload) {
                                    panic!("{why}");
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

proptest! {
    /// Any mix of every group and flag, for any workload.
    #[test]
    fn no_text_claims_what_any_combination_denies(
        picks in proptest::collection::vec(0usize..7, 6),
        flags in proptest::collection::vec(any::<bool>(), 8),
        workload in 0usize..WorkloadKind::VARIANTS.len(),
    ) {
        let texts = shipped_texts();
        let found = combination(&picks, &flags);
        let result = check_all(&texts, &found, WorkloadKind::VARIANTS[workload]);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

#[test]
fn the_checker_catches_a_claim_its_findings_deny() {
    let facts = Facts::synthetic(&[], &[FindingId::WallSame], None);
    assert!(check("x", "the run was 2× faster", &facts).is_err());
    assert!(check("x", "no gain here", &facts).is_ok());
    let gained = Facts::synthetic(&[], &[FindingId::WallFell], None);
    assert!(check("x", "no gain here", &gained).is_err());
    assert!(check("x", "left {speed}", &gained).is_err());
}
