//! The shipped sentences: every finding has one, every file is checked
//! with its line, and they reach the JSON.

use super::*;
use crate::config::RunSpec;
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
    };
    let spec = RunSpec {
        workload: WorkloadKind::Sleep,
        tasks: 8,
        workers: 2,
        task_ms: 10.0,
        ..RunSpec::SEED_DEMO
    };
    RunResult::new(
        &spec,
        Rounds::ONCE,
        &MachineInfo::synthetic(2, 2),
        &side(serial_ms),
        &side(parallel_ms),
        Duration::ZERO,
    )
}

#[test]
fn every_finding_has_one_shipped_text_and_a_stable_id() {
    let texts = FindingTexts::parse("findings.toml", FINDINGS_TOML).unwrap();
    for id in FindingId::ALL {
        assert!(texts.template(*id).is_some(), "{id:?}");
        assert_eq!(FindingId::parse(id.id()), Some(*id));
        assert!(
            id.id()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        );
    }
    let doc = include_str!("../../assets/lessons/README.md");
    for id in FindingId::ALL {
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
    let report = crate::sweep::fixtures::cpu_report();
    let text = verdict(&report.fit);
    assert!(
        text.contains("4 CPUs") && text.contains("3.20× at 4 workers"),
        "{text}"
    );
    let typo = VERDICTS_TOML.replace("\"bound_cpus\"", "\"bound_cpu\"");
    let err = parse_verdicts("verdicts.toml", &typo).unwrap_err();
    assert!(
        err.contains("verdicts.toml, line") && err.contains("bound_cpu"),
        "{err}"
    );
}
