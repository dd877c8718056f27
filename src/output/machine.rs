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
        (
            "cores (CPUs)",
            if m.core_groups_known {
                groups.join("  ")
            } else {
                "unknown: the OS does not say which CPUs share a core".to_string()
            },
        ),
    ];
    let kinds = core_kinds_text(m).map(|text| ("core kinds", text));
    rows.iter()
        .cloned()
        .chain(kinds)
        .map(|(k, v)| format!("{k:<17} {v}\n"))
        .collect()
}

/// A hybrid processor's CPUs by kind (`P cpu0 cpu1 · E cpu2 cpu3`), or
/// their counts where the OS gives only those; `None` on one kind.
fn core_kinds_text(m: &MachineInfo) -> Option<String> {
    use crate::machine::CoreKind;
    if !m.core_kinds.is_empty() {
        let of = |kind: CoreKind| {
            let cpus: Vec<String> = (0..m.core_kinds.len())
                .filter(|&cpu| m.kind_of(cpu) == Some(kind))
                .map(|cpu| format!("cpu{cpu}"))
                .collect();
            format!("{} {}", kind.letter(), cpus.join(" "))
        };
        return Some(format!(
            "{} · {}",
            of(CoreKind::Performance),
            of(CoreKind::Efficiency)
        ));
    }
    m.kind_counts.map(|k| {
        format!(
            "{} performance, {} efficiency (the OS does not say which CPU is which)",
            k.performance, k.efficiency
        )
    })
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
    value["core_groups"] = match m.core_groups_known {
        true => serde_json::to_value(&m.core_groups)?,
        false => serde_json::Value::Null,
    };
    Ok(stamped_json(ExportKind::Info, &value)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::KindCounts;

    #[test]
    fn info_names_core_kinds_and_says_when_pairs_are_unknown() {
        let hybrid = MachineInfo::synthetic_hybrid(2, 2, 0.5);
        let table = info_table(&hybrid, 4, None);
        assert!(
            table.contains("core kinds        P cpu0 cpu1 · E cpu2 cpu3"),
            "{table}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&info_json(&hybrid, 4, None).unwrap()).unwrap();
        assert_eq!(json["core_kinds"][2], "efficiency");
        assert_eq!(json["cpu_capacity"][3], 0.5);
        let mut mac = MachineInfo::synthetic(4, 8);
        mac.kind_counts = Some(KindCounts {
            performance: 4,
            efficiency: 4,
        });
        mac.core_groups_known = false;
        let table = info_table(&mac, 8, None);
        assert!(table.contains("4 performance, 4 efficiency"), "{table}");
        assert!(table.contains("unknown: the OS does not say"), "{table}");
        let json: serde_json::Value =
            serde_json::from_str(&info_json(&mac, 8, None).unwrap()).unwrap();
        assert!(json["core_groups"].is_null());
        let plain = info_table(&MachineInfo::synthetic(2, 2), 2, None);
        assert!(!plain.contains("core kinds"), "{plain}");
    }
}
