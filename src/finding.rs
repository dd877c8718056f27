//! What a finding is: its stable id, the evidence it was judged on, its
//! sentence, and the noise margin that decides it. Kept below the
//! measurements, so that a run's result can carry its findings; the
//! judging itself, which reads the measurements, is [`crate::findings`].

use crate::machine::MachineInfo;
use crate::stats::Summary;
use serde::Serialize;
use strum::VariantArray;

/// The smallest noise margin: even a quiet machine's repeats differ by a
/// few percent, and one run shows no spread at all.
pub const NOISE_FLOOR: f64 = 0.05;

/// The margin on a machine that was busy before the run: other programs
/// take the CPUs in turns with ours, so differences of this size mean
/// nothing.
pub const BUSY_FLOOR: f64 = 0.15;

/// Spread of the repeats above which the result is called noisy.
pub const NOISY_SPREAD: f64 = crate::stats::NOISY_SPREAD;

/// Every kind of finding. The ids are stable: scripts read them from
/// `--format json`, and lesson and explanation files name them.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingId {
    /// The two sides computed different checksums: not the same work.
    ResultsDiffer,
    /// The parallel side had a single worker.
    OneWorker,
    /// More workers than usable CPUs for work that computes.
    Oversubscribed,
    /// The parallel run took less wall time than the serial one, beyond noise.
    WallFell,
    /// Parallel and serial wall times are the same within noise.
    WallSame,
    /// The parallel run took more wall time than the serial one, beyond noise.
    SlowerThanSerial,
    /// The speedup met the ideal within noise.
    MetIdeal,
    /// The speedup fell short of the ideal by more than the noise.
    ShortOfIdeal,
    /// The speedup is above the ideal by more than the noise.
    AboveIdeal,
    /// The speedup met the ideal, but from above: more than the model
    /// allows, within the noise. A text must not then say "at most".
    AboveIdealWithinNoise,
    /// Efficiency above 100 % that only timing noise can explain: within
    /// the noise, or for work that does not stream data.
    #[strum(serialize = "efficiency_over_100_noise")]
    EfficiencyOver100Noise,
    /// Efficiency above 100 % beyond noise for memory work: the likely
    /// cause is caches.
    #[strum(serialize = "efficiency_over_100_caches")]
    EfficiencyOver100Caches,
    /// The ideal that was met is bounded by waves of tasks on the workers.
    BoundWaves,
    /// The ideal that was met is bounded by the usable CPUs.
    BoundCpus,
    /// Some of the run's CPUs are slower cores of a hybrid processor: the
    /// ideal counts them by their capacity, below one fastest CPU each.
    SlowerCores,
    /// The ideal that was met is bounded by the longest task.
    BoundLongestTask,
    /// The ideal that was met is bounded by a serial part (Amdahl).
    BoundSerialPart,
    /// The largest loss of the time accounting, above the noise: workers
    /// were runnable but waited for a CPU.
    WaitedForCpu,
    /// The largest loss: off the CPU inside tasks beyond the serial run (a
    /// lock, or the GIL).
    WaitedForLock,
    /// The largest loss: the tasks needed more CPU time than serially.
    ComputedSlower,
    /// The largest loss: gaps between tasks and each task's hand-over.
    HandingOut,
    /// The largest loss: time before the workers' first tasks.
    StartUp,
    /// The largest loss: workers idle after their last task while another
    /// still worked; the work was not shared out evenly.
    IdleAtEnd,
    /// No part of the time accounting besides the work is above the noise.
    NoSingleCause,
    /// A weak sweep's parallel time stayed flat (within 10 %) at every
    /// worker count.
    WeakFlat,
    /// A weak sweep's parallel time grew past 10 % at some worker count.
    WeakRose,
    /// A sweep's Amdahl fit exists.
    Fitted,
    /// A sweep has no Amdahl fit (too few rows on distinct CPU counts).
    NoFit,
    /// A sweep's worker counts all stay within the usable CPUs.
    SweepWithinCpus,
    /// The repeats varied by more than [`NOISY_SPREAD`].
    Noisy,
    /// The machine was busy before the measurement.
    Busy,
    /// The machine has no hardware threads (one logical CPU per core).
    NoSmt,
    /// The machine has hardware threads (more logical CPUs than cores).
    Smt,
    /// Only one CPU can be used.
    OneCpu,
    /// Fewer CPUs can be used than the machine has (affinity, cgroup).
    CpusRestricted,
    /// A demonstration's shared total came out short of the expected one:
    /// unsynchronised updates were lost.
    LostUpdates,
    /// A shared total came out exactly as expected: no update was lost.
    NoUpdateLost,
    /// The run was in CPython with the GIL on: one thread computes at a time.
    GilOn,
    /// The run was in a CPython without the GIL (free-threaded): threads
    /// can compute in parallel.
    GilOff,
}

/// Which measurement a finding can come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Known before anything runs: the machine.
    Machine,
    /// Needs a measurement (a run or a sweep).
    Measured,
    /// Needs a sweep.
    Sweep,
}

impl FindingId {
    /// The stable snake_case id.
    pub fn id(self) -> &'static str {
        self.into()
    }

    /// The finding with the snake_case id `id`.
    pub fn parse(id: &str) -> Option<Self> {
        Self::VARIANTS.iter().copied().find(|f| f.id() == id)
    }

    /// What a finding needs to be known.
    pub fn scope(self) -> Scope {
        match self {
            Self::NoSmt | Self::Smt | Self::OneCpu | Self::CpusRestricted | Self::Busy => {
                Scope::Machine
            }
            Self::Fitted
            | Self::NoFit
            | Self::SweepWithinCpus
            | Self::WeakFlat
            | Self::WeakRose => Scope::Sweep,
            _ => Scope::Measured,
        }
    }

    /// Findings that can never hold together with this one: the same
    /// question answered otherwise (one of [`FindingId::GROUPS`]).
    pub fn group(self) -> &'static [Self] {
        Self::GROUPS
            .iter()
            .find(|g| g.contains(&self))
            .copied()
            .unwrap_or(&[])
    }

    /// The groups of findings that answer one question each, so at most
    /// one of a group holds. The property tests draw combinations from
    /// these.
    pub const GROUPS: &'static [&'static [Self]] = &[
        &[Self::WallFell, Self::WallSame, Self::SlowerThanSerial],
        &[Self::MetIdeal, Self::ShortOfIdeal, Self::AboveIdeal],
        &[Self::NoSmt, Self::Smt],
        &[Self::GilOn, Self::GilOff],
        &[Self::LostUpdates, Self::NoUpdateLost],
        &[Self::Fitted, Self::NoFit],
        &[Self::EfficiencyOver100Noise, Self::EfficiencyOver100Caches],
        &[
            Self::BoundWaves,
            Self::BoundCpus,
            Self::BoundLongestTask,
            Self::BoundSerialPart,
        ],
        &[Self::WeakFlat, Self::WeakRose],
        &[
            Self::WaitedForCpu,
            Self::WaitedForLock,
            Self::ComputedSlower,
            Self::HandingOut,
            Self::StartUp,
            Self::IdleAtEnd,
            Self::NoSingleCause,
        ],
    ];
}

impl Serialize for FindingId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for FindingId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Self::parse(&id).ok_or_else(|| serde::de::Error::custom(format!("no finding {id}")))
    }
}

/// The numbers a finding was judged on: what was measured, what it was
/// compared with, and the noise margin that decided.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Evidence {
    /// The measured value (a speedup, a spread, a CPU count).
    pub measured: f64,
    /// What it was compared with (1 for serial, the ideal speedup, a limit).
    pub reference: f64,
    /// The relative margin within which the two count as equal.
    pub margin: f64,
}

/// One finding: its id, its evidence and its sentence.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Finding {
    /// Which finding.
    pub id: FindingId,
    /// The sentence, filled from the measurement (`assets/findings.toml`,
    /// see [`crate::sentences`]).
    pub text: String,
    /// The numbers behind it.
    #[serde(skip)]
    pub evidence: Evidence,
}

/// What the machine offers, as the findings need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MachineFacts {
    /// CPUs this process may use (affinity mask and cgroup quota).
    pub usable_cpus: usize,
    /// Logical CPUs of the machine.
    pub logical_cpus: usize,
    /// Physical cores of the machine.
    pub physical_cores: usize,
    /// Whether other programs kept the CPUs busy before the measurement.
    pub busy: bool,
}

impl MachineFacts {
    /// The facts of `machine`; `busy` from the check before the run.
    pub fn of(machine: &MachineInfo, busy: bool) -> Self {
        Self {
            usable_cpus: machine.usable_cpus.max(1),
            logical_cpus: machine.logical_cpus.max(1),
            physical_cores: machine.physical_cores.max(1),
            busy,
        }
    }
}

/// A finding judged but not yet put in words.
pub type Judged = (FindingId, Evidence);

/// The relative margin within which two timings of these runs count as
/// equal: the widest spread of any side's repeats, never below
/// [`NOISE_FLOOR`], nor below [`BUSY_FLOOR`] on a busy machine.
pub fn noise_margin<'a>(sides: impl IntoIterator<Item = &'a Summary>, busy: bool) -> f64 {
    let spread = sides.into_iter().map(spread_of).fold(0.0_f64, f64::max);
    let floor = if busy { BUSY_FLOOR } else { NOISE_FLOOR };
    spread.max(floor)
}

/// How far the repeats spread around their median, relative to it: the
/// whole range for two or three runs, the middle half (interquartile
/// range) from four on, so that one outlier on a busy machine does not
/// make every difference "noise". Zero for a single run.
pub fn spread_of(side: &Summary) -> f64 {
    let mut runs: Vec<f64> = side.runs.iter().map(|d| d.as_secs_f64()).collect();
    runs.sort_by(f64::total_cmp);
    let median = side.median.as_secs_f64();
    if runs.len() < 2 || median <= 0.0 {
        return 0.0;
    }
    let n = runs.len();
    let (low, high) = if n < 4 {
        (runs[0], runs[n - 1])
    } else {
        (runs[n / 4], runs[(3 * n).div_ceil(4) - 1])
    };
    (high - low) / median
}

/// The findings as they were judged, for the facts their texts are
/// filled from.
pub fn judged(findings: &[Finding]) -> Vec<Judged> {
    findings.iter().map(|f| (f.id, f.evidence)).collect()
}

/// Whether `findings` hold `id`.
pub fn holds(findings: &[Finding], id: FindingId) -> bool {
    findings.iter().any(|f| f.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The derived table holds every finding once, each under an id of its
    /// own that parses back; the two ids with a number keep their
    /// underscore, as scripts and lesson files spell them.
    #[test]
    fn every_finding_has_one_unique_id_that_parses_back() {
        let ids: std::collections::HashSet<_> =
            FindingId::VARIANTS.iter().map(|f| f.id()).collect();
        assert_eq!(ids.len(), FindingId::VARIANTS.len());
        for &f in FindingId::VARIANTS {
            assert_eq!(FindingId::parse(f.id()), Some(f));
        }
        assert_eq!(
            FindingId::EfficiencyOver100Noise.id(),
            "efficiency_over_100_noise"
        );
        assert_eq!(FindingId::WallFell.id(), "wall_fell");
        let first = FindingId::VARIANTS.first();
        assert_eq!(first, Some(&FindingId::ResultsDiffer), "output order");
    }
}
