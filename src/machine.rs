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
    /// Whether the OS said which CPUs share a core (Linux's topology), or
    /// there is nothing to say (one CPU per core). Elsewhere
    /// `core_groups` holds one CPU per group only so that bars can be
    /// drawn, and `info` says the pairing is unknown.
    #[serde(skip)]
    pub core_groups_known: bool,
    /// Each logical CPU's kind, by index, on a hybrid processor (Linux's
    /// `cpu_core` and `cpu_atom` lists, or unequal `cpu_capacity`); empty
    /// where all CPUs are alike or the OS does not say which is which.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub core_kinds: Vec<CoreKind>,
    /// Performance and efficiency CPUs where the OS counts them without
    /// saying which is which (macOS's `hw.perflevelN.logicalcpu`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind_counts: Option<KindCounts>,
    /// Each logical CPU's capacity over the fastest one's (1 for the
    /// fastest), by index: the kernel's `cpu_capacity`, or the speeds
    /// `parlab check` measured pinned on a hybrid processor. Empty when
    /// unknown or all equal. The ideal for computing work counts each
    /// lane by it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpu_capacity: Vec<f64>,
}

/// A CPU's kind on a hybrid processor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoreKind {
    /// A performance core (Intel's Core, Apple's P, ARM's big).
    Performance,
    /// An efficiency core (Intel's Atom, Apple's E, ARM's LITTLE).
    Efficiency,
}

impl CoreKind {
    /// One letter for a CPU bar: P or E.
    pub fn letter(self) -> char {
        match self {
            Self::Performance => 'P',
            Self::Efficiency => 'E',
        }
    }
}

/// How many CPUs of each kind a hybrid processor has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts {
    /// Performance CPUs.
    pub performance: usize,
    /// Efficiency CPUs.
    pub efficiency: usize,
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
        let mac = mac_facts();
        let physical_cores = System::physical_core_count()
            .ok()
            .or(mac.physical_cores)
            .unwrap_or(logical_cpus);
        let cpu_sysfs = Path::new(CPU_SYSFS);
        let cpu_capacity = capacities(cpu_sysfs, logical_cpus);
        let physical_cores = physical_cores.clamp(1, logical_cpus);
        let (core_groups, core_groups_known) = match sibling_groups(cpu_sysfs, logical_cpus) {
            Some(groups) => (groups, true),
            None => (
                (0..logical_cpus).map(|cpu| vec![cpu]).collect(),
                physical_cores == logical_cpus,
            ),
        };
        let cpu_brand = cpus
            .first()
            .map(|c| c.brand().trim().to_string())
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| "unknown CPU".to_string());
        Self {
            cpu_brand,
            physical_cores,
            logical_cpus,
            usable_cpus: usable_cpus.min(logical_cpus),
            affinity_cpus: affinity_cpus.min(logical_cpus),
            quota_cpus,
            frequency_mhz: cpus.first().map_or(0, |c| c.frequency()),
            os: System::long_os_version().unwrap_or_else(|_| std::env::consts::OS.to_string()),
            last_level_cache_bytes: last_level_cache_bytes(cpu_sysfs).or(mac.last_level_cache),
            core_groups,
            core_groups_known,
            core_kinds: core_kinds(Path::new(DEVICES_SYSFS), &cpu_capacity, logical_cpus),
            kind_counts: mac.kind_counts,
            cpu_capacity,
        }
    }

    /// A hybrid test machine: `performance` CPUs of capacity 1, then
    /// `efficiency` CPUs of capacity `slow`, one per core.
    pub fn synthetic_hybrid(performance: usize, efficiency: usize, slow: f64) -> Self {
        let logical = performance + efficiency;
        let kinds = |cpu: usize| {
            if cpu < performance {
                CoreKind::Performance
            } else {
                CoreKind::Efficiency
            }
        };
        Self {
            core_kinds: (0..logical).map(kinds).collect(),
            cpu_capacity: (0..logical)
                .map(|cpu| if cpu < performance { 1.0 } else { slow })
                .collect(),
            ..Self::synthetic(logical, logical)
        }
    }

    /// Whether the OS says the CPUs are of more than one kind.
    pub fn is_hybrid(&self) -> bool {
        !self.core_kinds.is_empty() || self.kind_counts.is_some()
    }

    /// The kind of CPU `cpu`, where the OS says.
    pub fn kind_of(&self, cpu: usize) -> Option<CoreKind> {
        self.core_kinds.get(cpu).copied()
    }

    /// What `lanes` computing lanes are worth in fastest CPUs: the sum of
    /// the `lanes` largest capacities over the largest (the model for
    /// hybrid processors); `lanes` itself where the capacities are unknown
    /// or equal. All CPUs count, since the affinity mask is read as a count:
    /// under `taskset` to slow CPUs only, the model stays optimistic.
    pub fn lane_capacity(&self, lanes: usize) -> f64 {
        let mut known: Vec<f64> = self
            .cpu_capacity
            .iter()
            .copied()
            .filter(|c| c.is_finite() && *c > 0.0)
            .collect();
        if known.len() != self.cpu_capacity.len() || known.len() < lanes {
            return lanes as f64;
        }
        known.sort_by(|a, b| b.total_cmp(a));
        let fastest = known[0];
        known.iter().take(lanes).map(|c| c / fastest).sum()
    }

    /// Takes the speeds `parlab check` measured pinned to each CPU as the
    /// capacities, on a processor the OS calls hybrid (elsewhere a spread
    /// is noise, a busy CPU or a clock, not a kind of core).
    pub fn adopt_measured_capacity(&mut self, speeds: &[(usize, f64)]) {
        if !self.is_hybrid() {
            return;
        }
        let mut capacity = vec![0.0; self.logical_cpus];
        for &(cpu, relative) in speeds {
            if let Some(slot) = capacity.get_mut(cpu) {
                *slot = relative;
            }
        }
        if capacity.iter().all(|c| *c > 0.0) {
            self.cpu_capacity = capacity;
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
            core_groups_known: true,
            core_kinds: Vec::new(),
            kind_counts: None,
            cpu_capacity: Vec::new(),
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
/// Where Linux lists the CPUs of each kind of a hybrid processor
/// (`cpu_core/cpus`, `cpu_atom/cpus`).
const DEVICES_SYSFS: &str = "/sys/devices";
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

/// Groups logical CPUs by (package, core) from sysfs topology; `None`
/// without it (not Linux, or a kernel that hides it).
fn sibling_groups(root: &Path, logical: usize) -> Option<Vec<Vec<usize>>> {
    let mut keyed: Vec<((u64, u64), usize)> = Vec::with_capacity(logical);
    for cpu in 0..logical {
        let topo = root.join(format!("cpu{cpu}/topology"));
        let package = read_number(&topo.join("physical_package_id"));
        let core = read_number(&topo.join("core_id"));
        match (package, core) {
            (Some(p), Some(c)) => keyed.push(((p, c), cpu)),
            _ => return None,
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
    Some(groups)
}

/// Each CPU's `cpu_capacity` (the kernel's relative compute capacity,
/// 1024 for the fastest) over the largest; empty unless every CPU has one
/// and they differ.
fn capacities(root: &Path, logical: usize) -> Vec<f64> {
    let read: Option<Vec<u64>> = (0..logical)
        .map(|cpu| read_number(&root.join(format!("cpu{cpu}/cpu_capacity"))))
        .collect();
    let Some(read) = read.filter(|r| !r.is_empty()) else {
        return Vec::new();
    };
    let largest = read.iter().copied().max().unwrap_or(0);
    if largest == 0 || read.iter().all(|&c| c == largest) {
        return Vec::new();
    }
    read.iter().map(|&c| c as f64 / largest as f64).collect()
}

/// Each CPU's kind: from Linux's `cpu_core/cpus` and `cpu_atom/cpus`
/// under `devices` (Intel hybrid), else from unequal `capacity` (the
/// largest is a performance CPU, the rest efficiency; ARM big.LITTLE).
/// Empty when neither tells.
fn core_kinds(devices: &Path, capacity: &[f64], logical: usize) -> Vec<CoreKind> {
    let list = |name: &str| {
        fs::read_to_string(devices.join(name).join("cpus"))
            .ok()
            .and_then(|text| parse_cpu_list(&text))
    };
    if let (Some(core), Some(atom)) = (list("cpu_core"), list("cpu_atom")) {
        let kinds: Option<Vec<CoreKind>> = (0..logical)
            .map(|cpu| {
                if core.contains(&cpu) {
                    Some(CoreKind::Performance)
                } else if atom.contains(&cpu) {
                    Some(CoreKind::Efficiency)
                } else {
                    None
                }
            })
            .collect();
        return kinds.unwrap_or_default();
    }
    if capacity.len() == logical {
        return capacity
            .iter()
            .map(|&c| {
                if c >= 1.0 {
                    CoreKind::Performance
                } else {
                    CoreKind::Efficiency
                }
            })
            .collect();
    }
    Vec::new()
}

/// What macOS's `sysctl` tells that sysinfo and /sys do not.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct MacFacts {
    kind_counts: Option<KindCounts>,
    last_level_cache: Option<u64>,
    physical_cores: Option<usize>,
}

/// The names [`parse_sysctl`] reads, in the order `sysctl` is asked.
const SYSCTL_NAMES: [&str; 7] = [
    "hw.nperflevels",
    "hw.perflevel0.logicalcpu",
    "hw.perflevel1.logicalcpu",
    "hw.l3cachesize",
    "hw.perflevel0.l2cachesize",
    "hw.l2cachesize",
    "hw.physicalcpu",
];

/// Runs macOS's `sysctl` for [`SYSCTL_NAMES`]; nothing elsewhere.
fn mac_facts() -> MacFacts {
    if !cfg!(target_os = "macos") {
        return MacFacts::default();
    }
    // `sysctl NAME…` prints `name: value` for each name it knows and
    // an error line (on stderr) for each it does not.
    std::process::Command::new("sysctl")
        .args(SYSCTL_NAMES)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .map(|out| parse_sysctl(&String::from_utf8_lossy(&out.stdout)))
        .unwrap_or_default()
}

/// Reads `name: value` lines of `sysctl`: the performance levels (two or
/// more make a hybrid processor: level 0 is the performance CPUs, level 1
/// the efficiency ones), the last-level cache (L3 where there is one,
/// else the performance cores' L2, as on Apple silicon) and the physical
/// cores.
fn parse_sysctl(text: &str) -> MacFacts {
    let value = |name: &str| -> Option<u64> {
        text.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == name)
                .then(|| value.trim().parse().ok())
                .flatten()
        })
    };
    let levels = value("hw.nperflevels").unwrap_or(1);
    let kind_counts = match (
        levels >= 2,
        value("hw.perflevel0.logicalcpu"),
        value("hw.perflevel1.logicalcpu"),
    ) {
        (true, Some(p), Some(e)) if p > 0 && e > 0 => Some(KindCounts {
            performance: p as usize,
            efficiency: e as usize,
        }),
        _ => None,
    };
    let last_level_cache = value("hw.l3cachesize")
        .filter(|&b| b > 0)
        .or_else(|| value("hw.perflevel0.l2cachesize").filter(|&b| b > 0))
        .or_else(|| value("hw.l2cachesize").filter(|&b| b > 0));
    MacFacts {
        kind_counts,
        last_level_cache,
        physical_cores: value("hw.physicalcpu")
            .map(|n| n as usize)
            .filter(|&n| n > 0),
    }
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
        let groups = sibling_groups(&root, 4).unwrap();
        assert_eq!(sibling_groups(&root.join("none"), 4), None);
        fs::remove_dir_all(&root).unwrap();
        assert_eq!(groups, vec![vec![0, 2], vec![1, 3]]);
    }

    #[test]
    fn hybrid_kinds_read_from_a_fake_sysfs() {
        let scratch = tempfile::tempdir().unwrap();
        let (devices, cpus) = (scratch.path().join("devices"), scratch.path().join("cpu"));
        // No lists and no capacities: nothing is known.
        assert!(core_kinds(&devices, &capacities(&cpus, 4), 4).is_empty());
        // Intel hybrid: cpu0-1 performance, cpu2-3 efficiency.
        for (name, list) in [("cpu_core", "0-1\n"), ("cpu_atom", "2-3\n")] {
            fs::create_dir_all(devices.join(name)).unwrap();
            fs::write(devices.join(name).join("cpus"), list).unwrap();
        }
        use CoreKind::{Efficiency as E, Performance as P};
        assert_eq!(core_kinds(&devices, &[], 4), [P, P, E, E]);
        // ARM big.LITTLE: capacities only, two fast and two at 40 %.
        fs::remove_dir_all(&devices).unwrap();
        for (cpu, capacity) in [(0, 1024), (1, 1024), (2, 410), (3, 410)] {
            fs::create_dir_all(cpus.join(format!("cpu{cpu}"))).unwrap();
            fs::write(
                cpus.join(format!("cpu{cpu}/cpu_capacity")),
                format!("{capacity}\n"),
            )
            .unwrap();
        }
        let capacity = capacities(&cpus, 4);
        assert_eq!(capacity.len(), 4);
        assert!((capacity[2] - 410.0 / 1024.0).abs() < 1e-12);
        assert_eq!(core_kinds(&devices, &capacity, 4), [P, P, E, E]);
        // Equal capacities make no hybrid.
        fs::write(cpus.join("cpu2/cpu_capacity"), "1024\n").unwrap();
        fs::write(cpus.join("cpu3/cpu_capacity"), "1024\n").unwrap();
        assert!(capacities(&cpus, 4).is_empty());
    }

    #[test]
    fn the_lanes_of_a_hybrid_machine_are_worth_their_capacity() {
        let hybrid = MachineInfo::synthetic_hybrid(2, 2, 0.5);
        assert!(hybrid.is_hybrid());
        assert_eq!(hybrid.kind_of(3), Some(CoreKind::Efficiency));
        assert_eq!(hybrid.lane_capacity(1), 1.0);
        assert_eq!(hybrid.lane_capacity(2), 2.0, "the two fastest are P cores");
        assert_eq!(hybrid.lane_capacity(3), 2.5);
        assert_eq!(hybrid.lane_capacity(4), 3.0);
        let plain = MachineInfo::synthetic(2, 2);
        assert_eq!(plain.lane_capacity(2), 2.0);
        // Measured speeds are taken only where the OS says hybrid.
        let mut plain = plain;
        plain.adopt_measured_capacity(&[(0, 1.0), (1, 0.8)]);
        assert!(plain.cpu_capacity.is_empty());
        let mut hybrid = MachineInfo::synthetic_hybrid(1, 1, 0.5);
        hybrid.adopt_measured_capacity(&[(0, 1.0), (1, 0.6)]);
        assert_eq!(hybrid.cpu_capacity, [1.0, 0.6]);
        assert!((hybrid.lane_capacity(2) - 1.6).abs() < 1e-12);
    }

    #[test]
    fn macos_sysctl_gives_kinds_cache_and_cores() {
        let m1 = "hw.nperflevels: 2\nhw.perflevel0.logicalcpu: 4\nhw.perflevel1.logicalcpu: 4\nhw.perflevel0.l2cachesize: 12582912\nhw.l2cachesize: 4194304\nhw.physicalcpu: 8\n";
        let facts = parse_sysctl(m1);
        assert_eq!(
            facts.kind_counts,
            Some(KindCounts {
                performance: 4,
                efficiency: 4
            })
        );
        assert_eq!(
            facts.last_level_cache,
            Some(12 << 20),
            "no L3: the P cores' L2"
        );
        assert_eq!(facts.physical_cores, Some(8));
        let intel = "hw.l3cachesize: 8388608\nhw.l2cachesize: 262144\nhw.physicalcpu: 4\n";
        let facts = parse_sysctl(intel);
        assert_eq!(facts.kind_counts, None, "one performance level");
        assert_eq!(facts.last_level_cache, Some(8 << 20));
        assert_eq!(parse_sysctl(""), MacFacts::default());
    }

    #[test]
    fn detect_reports_a_consistent_machine() {
        let m = MachineInfo::detect();
        assert!(m.logical_cpus >= 1);
        assert!(m.physical_cores <= m.logical_cpus);
        assert_eq!(m.cpu_order().len(), m.logical_cpus);
    }
}
