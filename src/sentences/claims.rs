//! The texts-versus-findings rule as a property: every shipped text,
//! rendered over synthetic measurements covering every combination of
//! findings, claims no gain, bound or cause that its findings deny.
//!
//! A claim is recognised by its canonical phrase (listed in
//! `assets/lessons/README.md`); the texts use these phrases only where a
//! finding supports them, and this test keeps it so.

use super::FindingTexts;
use crate::finding::FindingId;
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
    ("ran out", FindingId::ComputedSlower, true),
    ("saturated", FindingId::ComputedSlower, true),
    ("no single cause", FindingId::NoSingleCause, true),
    ("waited for a cpu", FindingId::WaitedForCpu, true),
    ("at most", FindingId::AboveIdealWithinNoise, false),
    ("hardware-thread gap", FindingId::Smt, true),
    ("no gain", FindingId::WallFell, false),
    ("did not pay", FindingId::WallFell, false),
];

/// Phrases that hold a claim's word without making the claim: "slower
/// cores" names a kind of core (`slower_cores`), not a slowdown.
const NOT_CLAIMS: &[&str] = &["slower cores"];

/// Checks one rendered text against the findings it was chosen for.
fn check(origin: &str, text: &str, facts: &Facts) -> Result<(), String> {
    let lower = NOT_CLAIMS
        .iter()
        .fold(text.to_lowercase(), |lower, phrase| {
            lower.replace(phrase, "")
        });
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

/// The findings in no group: each may hold beside any other.
fn flags() -> Vec<FindingId> {
    FindingId::VARIANTS
        .iter()
        .copied()
        .filter(|f| f.group().is_empty())
        .collect()
}

/// One finding (or none, for a pick past its end) from each of
/// [`FindingId::GROUPS`], plus the flags that are on: every combination a
/// measurement can produce.
fn combination(picks: &[usize], on: &[bool]) -> Vec<FindingId> {
    let mut out: Vec<FindingId> = FindingId::GROUPS
        .iter()
        .zip(picks)
        .filter_map(|(group, &pick)| group.get(pick).copied())
        .collect();
    out.extend(
        flags()
            .into_iter()
            .zip(on)
            .filter(|(_, on)| **on)
            .map(|(id, _)| id),
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
    let finding_texts = FindingTexts::shipped();
    for (id, variants) in finding_texts.all() {
        if facts.has(id) {
            check(
                &format!("finding {}", id.id()),
                &variants.render(&facts),
                &facts,
            )?;
        }
    }
    Ok(())
}

/// Every combination of the groups that decide gains, bounds and causes,
/// for every workload, quiet and busy: exhaustive, so no variant escapes.
/// The other groups and flags are left to the property test below, which
/// keeps this one within a few seconds.
#[test]
fn no_shipped_text_claims_what_its_findings_deny() {
    // Each group run through, with how many of its choices: past the
    // group's end is "none of it".
    let through = [
        (FindingId::WallFell, 3),
        (FindingId::MetIdeal, 4),
        (FindingId::BoundWaves, 5),
        (FindingId::WaitedForCpu, 8),
        (FindingId::Smt, 2),
    ]
    .map(|(member, choices)| {
        let group = FindingId::GROUPS.iter().position(|g| g.contains(&member));
        (group.expect("a grouped finding"), choices)
    });
    let busy_flag = flags().iter().position(|f| *f == FindingId::Busy);
    let texts = shipped_texts();
    let mut counter = [0usize; 5];
    loop {
        let mut picks: Vec<usize> = FindingId::GROUPS.iter().map(|g| g.len()).collect();
        for ((group, _), &pick) in through.iter().zip(&counter) {
            picks[*group] = pick;
        }
        for &workload in WorkloadKind::VARIANTS {
            for busy in [false, true] {
                let mut on = vec![false; flags().len()];
                if let Some(at) = busy_flag {
                    on[at] = busy;
                }
                let found = combination(&picks, &on);
                if let Err(why) = check_all(&texts, &found, workload) {
                    panic!("{why}");
                }
            }
        }
        // The next combination, like an odometer.
        let Some(digit) = (0..counter.len()).find(|&d| counter[d] + 1 < through[d].1) else {
            break;
        };
        counter[digit] += 1;
        counter[..digit].fill(0);
    }
}

proptest! {
    /// Any mix of every group and flag, for any workload.
    #[test]
    fn no_text_claims_what_any_combination_denies(
        picks in proptest::collection::vec(0usize..8, FindingId::GROUPS.len()),
        on in proptest::collection::vec(any::<bool>(), flags().len()),
        workload in 0usize..WorkloadKind::VARIANTS.len(),
    ) {
        let texts = shipped_texts();
        let found = combination(&picks, &on);
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
    assert!(check("x", "on slower cores", &facts).is_ok());
    assert!(check("x", "slower cores made it slower", &facts).is_err());
}
