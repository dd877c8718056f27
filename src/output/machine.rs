//! The facts `parlab info` prints about this machine, as aligned text or
//! JSON.

use crate::machine::MachineInfo;
use crate::output::schema::{ExportKind, stamped_json};

/// The facts `parlab info` prints, as aligned text.
pub fn info_table(m: &MachineInfo, rayon_threads: usize) -> String {
    let cache = m
        .last_level_cache_bytes
        .map_or("unknown".to_string(), |b| format!("{} MiB", b >> 20));
    let groups: Vec<String> = m
        .core_groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|c| format!("cpu{c}"))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    let rows = [
        ("CPU", m.cpu_brand.clone()),
        ("physical cores", m.physical_cores.to_string()),
        ("logical CPUs", m.logical_cpus.to_string()),
        ("usable CPUs", m.usable_cpus.to_string()),
        ("frequency", format!("{} MHz", m.frequency_mhz)),
        ("last-level cache", cache),
        ("OS", m.os.clone()),
        ("rayon default", format!("{rayon_threads} threads")),
        ("cores (CPUs)", groups.join("  ")),
    ];
    rows.iter().map(|(k, v)| format!("{k:<17} {v}\n")).collect()
}

/// The facts `parlab info` prints, as JSON.
pub fn info_json(m: &MachineInfo, rayon_threads: usize) -> anyhow::Result<String> {
    let mut value = serde_json::to_value(m)?;
    value["rayon_default_threads"] = rayon_threads.into();
    value["core_groups"] = serde_json::to_value(&m.core_groups)?;
    Ok(stamped_json(ExportKind::Info, &value)?)
}
