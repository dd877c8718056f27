//! The facts `parlab info` prints about this machine, as aligned text or
//! JSON.

use crate::machine::MachineInfo;
use crate::output::schema::{ExportKind, stamped_json};

/// The facts `parlab info` prints, as aligned text.
pub fn info_table(m: &MachineInfo, rayon_threads: usize, python_workers: Option<usize>) -> String {
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
        ("affinity CPUs", m.affinity_cpus.to_string()),
        (
            "CPU quota",
            m.quota_cpus
                .map_or("none".to_string(), |q| format!("{q:.2} CPUs (cgroup)")),
        ),
        ("usable CPUs", m.usable_cpus.to_string()),
        ("frequency", format!("{} MHz", m.frequency_mhz)),
        ("last-level cache", cache),
        ("OS", m.os.clone()),
        ("rayon default", format!("{rayon_threads} threads")),
        (
            "Python Pool()",
            python_workers.map_or("no Python found".to_string(), |w| format!("{w} workers")),
        ),
        ("cores (CPUs)", groups.join("  ")),
    ];
    rows.iter().map(|(k, v)| format!("{k:<17} {v}\n")).collect()
}

/// Why CPython's `Pool()` would start more (or fewer) workers than this
/// process can run at once: it counts every CPU (before 3.13) or the
/// affinity mask, never a container's quota, where rayon follows both.
pub fn python_pool_warning(m: &MachineInfo, python_workers: Option<usize>) -> Option<String> {
    let workers = python_workers?;
    (workers != m.usable_cpus).then(|| {
        format!(
            "CPython's Pool() starts {workers} workers here, but this process can use {} CPU{} (affinity {}, quota {}): give Pool(processes=N) or --workers",
            m.usable_cpus,
            if m.usable_cpus == 1 { "" } else { "s" },
            m.affinity_cpus,
            m.quota_cpus.map_or("none".to_string(), |q| format!("{q:.2}")),
        )
    })
}

/// The facts `parlab info` prints, as JSON.
pub fn info_json(
    m: &MachineInfo,
    rayon_threads: usize,
    python_workers: Option<usize>,
) -> anyhow::Result<String> {
    let mut value = serde_json::to_value(m)?;
    value["rayon_default_threads"] = rayon_threads.into();
    value["python_default_workers"] = python_workers.into();
    value["core_groups"] = serde_json::to_value(&m.core_groups)?;
    Ok(stamped_json(ExportKind::Info, &value)?)
}
