//! What the machine offers: CPU brand, physical cores, logical CPUs, which
//! logical CPUs share a physical core, and the last-level cache size.
//!
//! Read once at start-up. The per-core bars need the sibling groups, the
//! ideal model needs the usable CPU count, and every report carries these
//! facts so that results from different machines can be compared.

use serde::{Deserialize, Serialize};
use std::fs;
use std::path::Path;
use sysinfo::{CpuRefreshKind, RefreshKind, System};

/// The CPU facts a result depends on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MachineInfo {
    /// Marketing name of the processor, as the OS reports it.
    pub cpu_brand: String,
    /// Physical cores; hyperthreads share one of these.
    pub physical_cores: usize,
    /// Logical CPUs the OS schedules on (hyperthreads included).
    pub logical_cpus: usize,
    /// CPUs this process may actually use: the fewer of its affinity CPUs
    /// and its cgroup quota rounded up (what rayon sizes itself by).
    pub usable_cpus: usize,
    /// CPUs this process may be scheduled on (its affinity mask: `taskset`,
    /// a container's cpuset).
    #[serde(default)]
    pub affinity_cpus: usize,
    /// The cgroup CPU quota in CPUs (`docker --cpus=2`: 2.0), `None`
    /// without one.
    #[serde(default)]
    pub quota_cpus: Option<f64>,
    /// Reported clock of the first CPU, in MHz (0 when unknown).
    pub frequency_mhz: u64,
    /// Operating system name and version.
    pub os: String,
    /// Size of the last-level cache in bytes, when the OS tells.
    pub last_level_cache_bytes: Option<u64>,
    /// Logical CPU indices grouped by physical core, in core order, so
    /// that hyperthread siblings can be drawn side by side.
    #[serde(skip)]
    pub core_groups: Vec<Vec<usize>>,
}

impl MachineInfo {
    /// Reads the facts from sysinfo and, on Linux, from `/sys`.
    pub fn detect() -> Self {
        let system = System::new_with_specifics(
            RefreshKind::nothing().with_cpu(CpuRefreshKind::nothing().with_frequency()),
        )
        .ok();
        let cpus = system.as_ref().map(|s| s.cpus()).unwrap_or_default();
        let usable_cpus = std::thread::available_parallelism().map_or(1, usize::from);
        let logical_cpus = cpus.len().max(usable_cpus).max(1);
        let affinity_cpus = fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| affinity_from_status(&status))
            .unwrap_or(logical_cpus);
        let quota_cpus = cgroup_quota(Path::new("/proc/self/cgroup"), Path::new(CGROUP_FS));
        let physical_cores = System::physical_core_count().unwrap_or(logical_cpus);
        let cpu_brand = cpus
            .first()
            .map(|c| c.brand().trim().to_string())
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| "unknown CPU".to_string());
        Self {
            cpu_brand,
            physical_cores: physical_cores.clamp(1, logical_cpus),
            logical_cpus,
            usable_cpus: usable_cpus.min(logical_cpus),
            affinity_cpus: affinity_cpus.min(logical_cpus),
            quota_cpus,
            frequency_mhz: cpus.first().map_or(0, |c| c.frequency()),
            os: System::long_os_version().unwrap_or_else(|_| std::env::consts::OS.to_string()),
            last_level_cache_bytes: last_level_cache_bytes(Path::new(CPU_SYSFS)),
            core_groups: sibling_groups(Path::new(CPU_SYSFS), logical_cpus),
        }
    }

    /// A fixed machine for tests and render fixtures: `logical` CPUs, two
    /// per physical core when `logical` is even and above `physical`.
    pub fn synthetic(physical: usize, logical: usize) -> Self {
        let per_core = (logical / physical.max(1)).max(1);
        let core_groups = (0..logical)
            .collect::<Vec<_>>()
            .chunks(per_core)
            .map(<[usize]>::to_vec)
            .collect();
        Self {
            cpu_brand: "Test CPU".to_string(),
            physical_cores: physical,
            logical_cpus: logical,
            usable_cpus: logical,
            affinity_cpus: logical,
            quota_cpus: None,
            frequency_mhz: 3000,
            os: "TestOS".to_string(),
            last_level_cache_bytes: Some(32 << 20),
            core_groups,
        }
    }

    /// CPUs that can compute at the same time: the bound for CPU-bound work.
    pub fn compute_lanes(&self) -> usize {
        self.usable_cpus.max(1)
    }

    /// `cpu0 … cpuN` grouped by physical core, flattened: the drawing order.
    pub fn cpu_order(&self) -> Vec<usize> {
        self.core_groups.iter().flatten().copied().collect()
    }

    /// One short line for a header: brand, cores and CPUs.
    pub fn summary(&self) -> String {
        summary(&self.cpu_brand, self.physical_cores, self.logical_cpus)
    }
}

/// A machine in one short line, `AMD EPYC · 2 cores / 2 CPUs`: headers
/// of this machine's reports and rows of other machines' exports alike.
pub fn summary(brand: &str, physical_cores: usize, logical_cpus: usize) -> String {
    format!(
        "{brand} · {} / {}",
        crate::units::counted(physical_cores, "core"),
        crate::units::counted(logical_cpus, "CPU")
    )
}

/// The memory available to a new program now (free plus what the system
/// can reclaim at once), in bytes; `None` where it cannot be read.
pub fn available_memory() -> Option<u64> {
    let mut system = System::new().ok()?;
    system.refresh_memory();
    Some(system.available_memory()).filter(|&bytes| bytes > 0)
}

const CPU_SYSFS: &str = "/sys/devices/system/cpu";
const CGROUP_FS: &str = "/sys/fs/cgroup";

/// The number of CPUs in `Cpus_allowed_list` of `/proc/self/status`
/// (`0-3,6`: 5): the affinity mask, read without a system call.
fn affinity_from_status(status: &str) -> Option<usize> {
    affinity_list_from_status(status).map(|cpus| cpus.len())
}

/// The CPUs of `Cpus_allowed_list` (`0-3,6`: 0, 1, 2, 3, 6), in order.
fn affinity_list_from_status(status: &str) -> Option<Vec<usize>> {
    let list = status
        .lines()
        .find_map(|line| line.strip_prefix("Cpus_allowed_list:"))?
        .trim();
    parse_cpu_list(list)
}

/// A kernel CPU list (`0-3,6`, as in `Cpus_allowed_list` and
/// `/sys/devices/cpu_core/cpus`) as the CPUs it names, in order; `None`
/// when empty or malformed.
fn parse_cpu_list(list: &str) -> Option<Vec<usize>> {
    let mut cpus = Vec::new();
    for part in list.trim().split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((first, last)) => {
                let (first, last): (usize, usize) = (first.parse().ok()?, last.parse().ok()?);
                if last < first || last - first > MAX_CPU_INDEX {
                    return None;
                }
                cpus.extend(first..=last);
            }
            None => cpus.push(part.parse().ok()?),
        }
    }
    cpus.sort_unstable();
    cpus.dedup();
    (!cpus.is_empty()).then_some(cpus)
}

/// Largest span a CPU list may name: far beyond any machine, small enough
/// that a damaged list cannot make parlab allocate without end.
const MAX_CPU_INDEX: usize = 1 << 16;

/// The CPUs this process may run on (its affinity mask), in order: read
/// from `/proc/self/status` on Linux; elsewhere every logical CPU.
pub fn usable_cpu_list(logical_cpus: usize) -> Vec<usize> {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| affinity_list_from_status(&status))
        .unwrap_or_else(|| (0..logical_cpus.max(1)).collect())
}

/// Whether this OS lets parlab pin a thread to one CPU: Linux does
/// (`sched_setaffinity`); macOS only takes hints, so nothing measured
/// there can be called one CPU's speed.
pub const CAN_PIN: bool = cfg!(target_os = "linux");

/// Pins the calling thread to `cpu`; false where the OS refuses or cannot
/// pin (see [`CAN_PIN`]). Meant for a thread of its own that ends after
/// its measurement: the pin stays for the thread's life.
pub fn pin_this_thread(cpu: usize) -> bool {
    #[cfg(target_os = "linux")]
    {
        let mut set = rustix::thread::CpuSet::new();
        if cpu >= rustix::thread::CpuSet::MAX_CPU {
            return false;
        }
        set.set(cpu);
        rustix::thread::sched_setaffinity(None, &set).is_ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = cpu;
        false
    }
}

/// The tightest CPU quota on this process's cgroup path, in CPUs: cgroup
/// v2's `cpu.max` (`200000 100000`: 2.0) on the process's cgroup and each
/// parent, or v1's `cpu.cfs_quota_us` / `cpu.cfs_period_us`. `None` when
/// no level sets one.
fn cgroup_quota(proc_cgroup: &Path, root: &Path) -> Option<f64> {
    let membership = fs::read_to_string(proc_cgroup).ok()?;
    let mut tightest: Option<f64> = None;
    let mut keep = |quota: Option<f64>| {
        if let Some(q) = quota {
            tightest = Some(tightest.map_or(q, |t| t.min(q)));
        }
    };
    for line in membership.lines() {
        let mut fields = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let path = path.trim_start_matches('/');
        if controllers.is_empty() {
            // v2: one hierarchy; a limit anywhere above applies.
            for dir in ancestors(&root.join(path), root) {
                keep(
                    fs::read_to_string(dir.join("cpu.max"))
                        .ok()
                        .and_then(|t| quota_v2(&t)),
                );
            }
        } else if controllers.split(',').any(|c| c == "cpu") {
            for mount in ["cpu,cpuacct", "cpu"] {
                let base = root.join(mount);
                for dir in ancestors(&base.join(path), &base) {
                    let quota = read_number_signed(&dir.join("cpu.cfs_quota_us"));
                    let period = read_number_signed(&dir.join("cpu.cfs_period_us"));
                    keep(quota_v1(quota, period));
                }
            }
        }
    }
    tightest
}

/// `dir` and each parent up to and including `root`.
fn ancestors<'a>(dir: &'a Path, root: &'a Path) -> impl Iterator<Item = &'a Path> {
    dir.ancestors().take_while(move |d| d.starts_with(root))
}

/// cgroup v2 `cpu.max`: `max 100000` (none) or `QUOTA PERIOD`.
fn quota_v2(text: &str) -> Option<f64> {
    let mut fields = text.split_whitespace();
    let quota: f64 = fields.next()?.parse().ok()?;
    let period: f64 = fields.next()?.parse().ok()?;
    (quota > 0.0 && period > 0.0).then(|| quota / period)
}

/// cgroup v1: a quota of -1 means none.
fn quota_v1(quota: Option<i64>, period: Option<i64>) -> Option<f64> {
    match (quota?, period?) {
        (q, p) if q > 0 && p > 0 => Some(q as f64 / p as f64),
        _ => None,
    }
}

fn read_number_signed(path: &Path) -> Option<i64> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Groups logical CPUs by (package, core) from sysfs topology; without
/// topology every CPU is its own group.
fn sibling_groups(root: &Path, logical: usize) -> Vec<Vec<usize>> {
    let mut keyed: Vec<((u64, u64), usize)> = Vec::with_capacity(logical);
    for cpu in 0..logical {
        let topo = root.join(format!("cpu{cpu}/topology"));
        let package = read_number(&topo.join("physical_package_id"));
        let core = read_number(&topo.join("core_id"));
        match (package, core) {
            (Some(p), Some(c)) => keyed.push(((p, c), cpu)),
            _ => return (0..logical).map(|c| vec![c]).collect(),
        }
    }
    keyed.sort();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut last_key = None;
    for (key, cpu) in keyed {
        match groups.last_mut() {
            Some(group) if last_key == Some(key) => group.push(cpu),
            _ => groups.push(vec![cpu]),
        }
        last_key = Some(key);
    }
    groups
}

/// The largest cache of cpu0, which on every common CPU is the last level.
fn last_level_cache_bytes(root: &Path) -> Option<u64> {
    let dir = fs::read_dir(root.join("cpu0/cache")).ok()?;
    dir.filter_map(Result::ok)
        .filter_map(|entry| parse_size(&fs::read_to_string(entry.path().join("size")).ok()?))
        .max()
}

fn read_number(path: &Path) -> Option<u64> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Parses sysfs cache sizes such as `32768K` or `8M`.
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    let value: u64 = digits.parse().ok()?;
    let scale = match unit {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return None,
    };
    value.checked_mul(scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_sizes_parse_with_units() {
        assert_eq!(parse_size("32768K\n"), Some(32 << 20));
        assert_eq!(parse_size("8M"), Some(8 << 20));
        assert_eq!(parse_size("512"), Some(512));
        assert_eq!(parse_size("12Q"), None);
    }

    #[test]
    fn affinity_counts_the_allowed_list() {
        let status = "Name:\tparlab\nCpus_allowed:\t3\nCpus_allowed_list:\t0-3,6,8-9\n";
        assert_eq!(affinity_from_status(status), Some(7));
        assert_eq!(affinity_from_status("Cpus_allowed_list:\t0\n"), Some(1));
        assert_eq!(affinity_from_status("Cpus_allowed_list:\t3-1\n"), None);
        assert_eq!(affinity_from_status("Name: x\n"), None);
    }

    #[test]
    fn cgroup_quotas_read_from_fake_trees() {
        let scratch = tempfile::tempdir().unwrap();
        let root = scratch.path().join("cgroup");
        let proc_v2 = scratch.path().join("cgroup-v2");
        // v2: the container's own level is unlimited, its parent allows 1.5.
        fs::create_dir_all(root.join("box/app")).unwrap();
        fs::write(&proc_v2, "0::/box/app\n").unwrap();
        fs::write(root.join("box/app/cpu.max"), "max 100000\n").unwrap();
        fs::write(root.join("box/cpu.max"), "150000 100000\n").unwrap();
        assert_eq!(cgroup_quota(&proc_v2, &root), Some(1.5));
        fs::write(root.join("box/cpu.max"), "max 100000\n").unwrap();
        assert_eq!(cgroup_quota(&proc_v2, &root), None, "no limit anywhere");
        // v1: cpu,cpuacct with a quota of 2 CPUs; -1 means none.
        let proc_v1 = scratch.path().join("cgroup-v1");
        fs::write(&proc_v1, "4:memory:/d\n3:cpu,cpuacct:/d\n").unwrap();
        let v1 = root.join("cpu,cpuacct/d");
        fs::create_dir_all(&v1).unwrap();
        fs::write(v1.join("cpu.cfs_quota_us"), "200000\n").unwrap();
        fs::write(v1.join("cpu.cfs_period_us"), "100000\n").unwrap();
        assert_eq!(cgroup_quota(&proc_v1, &root), Some(2.0));
        fs::write(v1.join("cpu.cfs_quota_us"), "-1\n").unwrap();
        assert_eq!(cgroup_quota(&proc_v1, &root), None);
        assert_eq!(cgroup_quota(&scratch.path().join("none"), &root), None);
    }

    #[test]
    fn synthetic_machine_pairs_siblings() {
        let m = MachineInfo::synthetic(4, 8);
        assert_eq!(
            m.core_groups,
            vec![vec![0, 1], vec![2, 3], vec![4, 5], vec![6, 7]]
        );
        assert_eq!(m.cpu_order(), (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn sibling_groups_read_from_a_fake_sysfs() {
        let root = std::env::temp_dir().join(format!("parlab-sysfs-{}", std::process::id()));
        // cpu0 and cpu2 share core 0, cpu1 and cpu3 share core 1.
        for (cpu, core) in [(0, 0), (1, 1), (2, 0), (3, 1)] {
            let topo = root.join(format!("cpu{cpu}/topology"));
            fs::create_dir_all(&topo).unwrap();
            fs::write(topo.join("physical_package_id"), "0\n").unwrap();
            fs::write(topo.join("core_id"), format!("{core}\n")).unwrap();
        }
        let groups = sibling_groups(&root, 4);
        fs::remove_dir_all(&root).unwrap();
        assert_eq!(groups, vec![vec![0, 2], vec![1, 3]]);
    }

    #[test]
    fn detect_reports_a_consistent_machine() {
        let m = MachineInfo::detect();
        assert!(m.logical_cpus >= 1);
        assert!(m.physical_cores <= m.logical_cpus);
        assert_eq!(m.cpu_order().len(), m.logical_cpus);
    }
}
