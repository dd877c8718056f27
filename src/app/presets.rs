//! Presets: named settings for the experiments a lesson starts from, kept
//! in `assets/presets.toml`, as data apart from the code that uses them.
//!
//! A preset may size its worker pool by the machine ("cpus", "cores",
//! "4 x cpus"), so "CPU-bound on all cores" means all cores on every machine.

use crate::config::Work;
use crate::lesson::WorkerCount;
use crate::machine::MachineInfo;
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
    pub spec: Work,
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
    workers: WorkerCount,
    work: Work,
}

/// Reads presets from TOML text, resolving machine-relative worker counts.
/// The error names the preset (or the TOML line) and what is wrong.
pub fn parse(text: &str, machine: &MachineInfo) -> Result<Vec<Preset>, String> {
    let file: PresetFile = toml::from_str(text).map_err(|e| e.to_string())?;
    file.preset
        .into_iter()
        .map(|raw| {
            let spec = Work {
                workers: raw.workers.resolve(machine),
                ..raw.work
            };
            spec.validate()
                .map_err(|why| format!("preset \"{}\": {why}", raw.name))?;
            Ok(Preset {
                name: raw.name,
                about: raw.about,
                spec,
            })
        })
        .collect()
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
        assert_eq!(presets[0].spec, Work::SEED_DEMO);
        assert_eq!(presets[1].spec.workers, 8);
        assert_eq!(presets[2].spec.workers, 32);
        assert_eq!(
            presets[4].spec.workload,
            crate::workload::WorkloadKind::Tiny
        );
        assert!(presets.iter().all(|p| p.about.chars().count() < 70));
    }

    #[test]
    fn relative_workers_follow_the_machine() {
        let preset = |workers: &str| {
            let text = format!(
                "[[preset]]\nname = \"x\"\nabout = \"\"\nworkers = {workers}\n\
                 work = {{ workload = \"cpu\", tasks = 4, task_ms = 1 }}\n"
            );
            parse(&text, &MachineInfo::synthetic(2, 4)).map(|p| p[0].spec.workers)
        };
        assert_eq!(preset("\"cores\""), Ok(2));
        assert_eq!(preset("\"2*cpus\""), Ok(8));
        assert_eq!(preset("3"), Ok(3));
        assert!(preset("\"lots\"").unwrap_err().contains("lots"));
    }

    #[test]
    fn bad_presets_are_named_in_the_error() {
        let machine = MachineInfo::synthetic(1, 1);
        let bad_value = "[[preset]]\nname = \"Huge\"\nabout = \"\"\nworkers = 1\n\
                         work = { workload = \"sleep\", tasks = 0, task_ms = 1 }\n";
        let err = parse(bad_value, &machine).unwrap_err();
        assert!(err.contains("\"Huge\"") && err.contains("tasks"), "{err}");
        let bad_kind = bad_value.replace("sleep", "nap").replace("= 0", "= 1");
        assert!(parse(&bad_kind, &machine).unwrap_err().contains("nap"));
        let broken = parse("[[preset]]\nname = ", &machine).unwrap_err();
        assert!(broken.contains("line"), "{broken}");
    }
}
