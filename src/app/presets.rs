//! Presets: named settings for the experiments a lesson starts from, kept
//! in `assets/presets.toml`, as data apart from the code that uses them.
//!
//! A preset may size its worker pool by the machine ("cpus", "cores",
//! "4 x cpus"), so "CPU-bound on all cores" means all cores on every machine.

use crate::config::RunSpec;
use crate::machine::MachineInfo;
use crate::workload::WorkloadKind;
use clap::ValueEnum;
use serde::Deserialize;

/// The shipped presets, embedded so a bare binary has them.
pub const PRESETS_TOML: &str = include_str!("../../assets/presets.toml");

/// One preset, resolved for this machine.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    /// Short name for the list.
    pub name: String,
    /// One line on what it shows.
    pub about: String,
    /// The settings it loads.
    pub spec: RunSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetFile {
    preset: Vec<RawPreset>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPreset {
    name: String,
    about: String,
    workload: String,
    tasks: usize,
    workers: Workers,
    task_ms: f64,
}

/// A worker count, or a count relative to this machine.
#[derive(Deserialize)]
#[serde(untagged)]
enum Workers {
    Count(usize),
    Relative(String),
}

impl Workers {
    fn resolve(&self, machine: &MachineInfo) -> Result<usize, String> {
        let text = match self {
            Self::Count(n) => return Ok(*n),
            Self::Relative(text) => text.trim(),
        };
        let (factor, unit) = match text.split_once('x') {
            Some((n, unit)) => (n.trim().parse::<usize>().ok(), unit.trim()),
            None => (Some(1), text),
        };
        let per = match unit {
            "cpus" => Some(machine.logical_cpus),
            "cores" => Some(machine.physical_cores),
            _ => None,
        };
        factor
            .zip(per)
            .map(|(f, p)| (f * p).clamp(1, crate::config::MAX_WORKERS))
            .ok_or_else(|| {
                format!("workers \"{text}\": use a number, \"cpus\", \"cores\" or \"N x cpus\"")
            })
    }
}

/// Reads presets from TOML text, resolving machine-relative worker counts.
/// The error names the preset (or the TOML line) and what is wrong.
pub fn parse(text: &str, machine: &MachineInfo) -> Result<Vec<Preset>, String> {
    let file: PresetFile = toml::from_str(text).map_err(|e| e.to_string())?;
    file.preset
        .into_iter()
        .map(|raw| resolve(&raw, machine).map_err(|why| format!("preset \"{}\": {why}", raw.name)))
        .collect()
}

fn resolve(raw: &RawPreset, machine: &MachineInfo) -> Result<Preset, String> {
    let workload = WorkloadKind::from_str(&raw.workload, true)
        .map_err(|_| format!("unknown workload \"{}\"", raw.workload))?;
    let mut spec = RunSpec::SEED_DEMO;
    spec.workload = workload;
    spec.tasks = raw.tasks;
    spec.workers = raw.workers.resolve(machine)?;
    spec.task_ms = raw.task_ms;
    spec.validate().map_err(|e| e.to_string())?;
    Ok(Preset {
        name: raw.name.clone(),
        about: raw.about.clone(),
        spec,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_presets_cover_the_six_experiments() {
        let machine = MachineInfo::synthetic(4, 8);
        let presets = parse(PRESETS_TOML, &machine).unwrap();
        let names: Vec<_> = presets.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Seed demo",
                "CPU-bound on all cores",
                "Oversubscribed CPU",
                "Uneven tasks",
                "Tiny tasks",
                "Memory-bound"
            ]
        );
        assert_eq!(presets[0].spec, RunSpec::SEED_DEMO);
        assert_eq!(presets[1].spec.workers, 8);
        assert_eq!(presets[2].spec.workers, 32);
        assert_eq!(presets[4].spec.workload, WorkloadKind::Tiny);
        assert!(presets.iter().all(|p| p.about.chars().count() < 70));
    }

    #[test]
    fn relative_workers_follow_the_machine() {
        let machine = MachineInfo::synthetic(2, 4);
        let resolve = |w: Workers| w.resolve(&machine);
        assert_eq!(resolve(Workers::Relative("cores".into())), Ok(2));
        assert_eq!(resolve(Workers::Relative("2 x cpus".into())), Ok(8));
        assert!(resolve(Workers::Relative("lots".into())).is_err());
    }

    #[test]
    fn bad_presets_are_named_in_the_error() {
        let machine = MachineInfo::synthetic(1, 1);
        let bad_value = "[[preset]]\nname = \"Huge\"\nabout = \"\"\nworkload = \"sleep\"\n\
                         tasks = 0\nworkers = 1\ntask_ms = 1\n";
        let err = parse(bad_value, &machine).unwrap_err();
        assert!(err.contains("\"Huge\"") && err.contains("tasks"), "{err}");
        let bad_kind = bad_value.replace("sleep", "nap").replace("= 0", "= 1");
        assert!(parse(&bad_kind, &machine).unwrap_err().contains("nap"));
        let broken = parse("[[preset]]\nname = ", &machine).unwrap_err();
        assert!(broken.contains("line"), "{broken}");
    }
}
