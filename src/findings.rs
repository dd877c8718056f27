//! Findings: what a measurement shows, as typed facts that carry their
//! evidence. Every sentence parlab prints after a run is chosen by these
//! (see [`crate::template`]), so a sentence can claim only what a finding
//! asserts.
//!
//! Each finding is judged against a noise margin taken from the spread of
//! the repeats themselves ([`noise_margin`]): a 3 % gain on a machine whose
//! repeats vary by 10 % is "the same within noise", not a gain.
//!
//! Adding a finding: add a variant to [`FindingId`] where it should be
//! listed in output (its id is derived from its name), give it a sentence in
//! `assets/findings.toml` (read by [`crate::sentences`]), document it in
//! `assets/lessons/README.md`, and push it from [`judge_run`] or
//! [`judge_sweep`] (or a judge of your own called from there) when its
//! numbers support it. The unit tests at the end of this file show how each
//! finding is tested at its threshold.

use crate::accounting::{Loss, TimeAccounting};
use crate::machine::MachineInfo;
use crate::measure::RunResult;
use crate::stats::{Bound, Summary};
use crate::sweep::{ScalingModel, SweepResult};
use crate::workload::WorkloadKind;
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
    /// question answered otherwise. The property tests draw combinations
    /// from these groups.
    pub fn group(self) -> &'static [Self] {
        const WALL: &[FindingId] = &[
            FindingId::WallFell,
            FindingId::WallSame,
            FindingId::SlowerThanSerial,
        ];
        const IDEAL: &[FindingId] = &[
            FindingId::MetIdeal,
            FindingId::ShortOfIdeal,
            FindingId::AboveIdeal,
        ];
        const SMT: &[FindingId] = &[FindingId::NoSmt, FindingId::Smt];
        const GIL: &[FindingId] = &[FindingId::GilOn, FindingId::GilOff];
        const TOTAL: &[FindingId] = &[FindingId::LostUpdates, FindingId::NoUpdateLost];
        const FIT: &[FindingId] = &[FindingId::Fitted, FindingId::NoFit];
        const WEAK: &[FindingId] = &[FindingId::WeakFlat, FindingId::WeakRose];
        const EFFICIENCY: &[FindingId] = &[
            FindingId::EfficiencyOver100Noise,
            FindingId::EfficiencyOver100Caches,
        ];
        const BOUND: &[FindingId] = &[
            FindingId::BoundWaves,
            FindingId::BoundCpus,
            FindingId::BoundLongestTask,
            FindingId::BoundSerialPart,
        ];
        const CAUSE: &[FindingId] = &[
            FindingId::WaitedForCpu,
            FindingId::WaitedForLock,
            FindingId::ComputedSlower,
            FindingId::HandingOut,
            FindingId::StartUp,
            FindingId::IdleAtEnd,
            FindingId::NoSingleCause,
        ];
        [
            WALL, IDEAL, SMT, GIL, TOTAL, FIT, EFFICIENCY, BOUND, WEAK, CAUSE,
        ]
        .into_iter()
        .find(|g| g.contains(&self))
        .unwrap_or(&[])
    }
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

/// The finding that names what bounds a sweep fitted with `model`.
pub fn bound_of(model: ScalingModel) -> Option<FindingId> {
    match model {
        ScalingModel::Waves => Some(FindingId::BoundWaves),
        ScalingModel::Cores => Some(FindingId::BoundCpus),
        ScalingModel::LongestTask => Some(FindingId::BoundLongestTask),
        ScalingModel::Amdahl => Some(FindingId::BoundSerialPart),
        // A shortfall below the model names no bound: its cause is the
        // largest loss of the time accounting, never one by elimination.
        ScalingModel::Bandwidth | ScalingModel::Overhead | ScalingModel::Unknown => None,
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

fn evidence(measured: f64, reference: f64, margin: f64) -> Evidence {
    Evidence {
        measured,
        reference,
        margin,
    }
}

/// What the machine alone shows.
pub fn judge_machine(m: &MachineFacts) -> Vec<Judged> {
    let mut out = Vec::new();
    let cores = m.physical_cores as f64;
    let cpus = m.logical_cpus as f64;
    if m.logical_cpus > m.physical_cores {
        out.push((FindingId::Smt, evidence(cpus, cores, 0.0)));
    } else {
        out.push((FindingId::NoSmt, evidence(cpus, cores, 0.0)));
    }
    let usable = m.usable_cpus as f64;
    if m.usable_cpus == 1 {
        out.push((FindingId::OneCpu, evidence(usable, 1.0, 0.0)));
    }
    if m.usable_cpus < m.logical_cpus {
        out.push((FindingId::CpusRestricted, evidence(usable, cpus, 0.0)));
    }
    if m.busy {
        out.push((FindingId::Busy, evidence(1.0, 0.0, BUSY_FLOOR)));
    }
    out
}

/// Compares a speedup with serial: fell, same or rose, beyond `margin`.
fn wall_finding(speedup: f64, margin: f64) -> Judged {
    let id = if speedup > 1.0 + margin {
        FindingId::WallFell
    } else if speedup < 1.0 / (1.0 + margin) {
        FindingId::SlowerThanSerial
    } else {
        FindingId::WallSame
    };
    (id, evidence(speedup, 1.0, margin))
}

/// Compares a speedup with its ideal: met, short or above, beyond `margin`.
fn ideal_finding(speedup: f64, ideal: f64, margin: f64) -> Judged {
    // Judged on the very figures the texts print: the shortfall (or the
    // excess) against the margin, both as shares of the ideal.
    let ratio = speedup / ideal.max(f64::EPSILON);
    let id = if 1.0 - ratio > margin {
        FindingId::ShortOfIdeal
    } else if ratio - 1.0 > margin {
        FindingId::AboveIdeal
    } else {
        FindingId::MetIdeal
    };
    (id, evidence(speedup, ideal, margin))
}

/// A met ideal that the speedup passed, within the noise.
fn above_within(ideal: Judged, speedup: f64, model: f64) -> Option<Judged> {
    (ideal.0 == FindingId::MetIdeal && speedup > model)
        .then_some((FindingId::AboveIdealWithinNoise, ideal.1))
}

/// The model's bound, when the run came close to its ideal. A shortfall
/// names no bound: its cause comes from the time accounting
/// ([`cause_finding`]).
fn bound_finding(ideal: Judged, bound: Bound) -> Option<Judged> {
    let (verdict, ev) = ideal;
    if verdict == FindingId::ShortOfIdeal {
        return None;
    }
    let id = match bound {
        Bound::Waves => FindingId::BoundWaves,
        Bound::Cores => FindingId::BoundCpus,
        Bound::LongestTask => FindingId::BoundLongestTask,
        Bound::Amdahl => FindingId::BoundSerialPart,
    };
    Some((id, ev))
}

/// The finding that names `loss` as the largest part of the lane time.
/// A serial part's wait is what Amdahl's bound names.
pub fn loss_finding(loss: Loss) -> FindingId {
    match loss {
        Loss::WaitedForCpu => FindingId::WaitedForCpu,
        Loss::WaitedForLock => FindingId::WaitedForLock,
        Loss::ComputedSlower => FindingId::ComputedSlower,
        Loss::HandingOut => FindingId::HandingOut,
        Loss::StartUp => FindingId::StartUp,
        Loss::IdleAtEnd => FindingId::IdleAtEnd,
        Loss::SerialPart => FindingId::BoundSerialPart,
    }
}

/// What the time accounting names: its largest loss when that is above
/// `margin` of the lane time, else that no single cause stands out. Its
/// evidence is the loss's share of the lane time against the margin.
pub fn cause_finding(accounting: &TimeAccounting, margin: f64) -> Judged {
    match accounting.largest_above(margin) {
        Some(loss) => (
            loss_finding(loss),
            evidence(accounting.share(loss), margin, margin),
        ),
        None => {
            let largest = Loss::ALL
                .iter()
                .map(|l| accounting.share(*l))
                .fold(0.0, f64::max);
            (FindingId::NoSingleCause, evidence(largest, margin, margin))
        }
    }
}

/// Everything a run report shows on `machine`.
pub fn judge_run(r: &RunResult, machine: &MachineFacts) -> Vec<Judged> {
    let margin = noise_margin([&r.serial.wall, &r.parallel.wall], machine.busy);
    let mut out = Vec::new();
    if !r.results_match {
        out.push((FindingId::ResultsDiffer, evidence(0.0, 1.0, 0.0)));
    }
    if let Some(total) = r.shared_total {
        // A count, not a timing: one lost update is a lost update.
        let id = if total.lost() > 0 {
            FindingId::LostUpdates
        } else {
            FindingId::NoUpdateLost
        };
        out.push((
            id,
            evidence(total.measured as f64, total.expected as f64, 0.0),
        ));
    }
    if let Some(python) = &r.python {
        let gil = if python.gil {
            FindingId::GilOn
        } else {
            FindingId::GilOff
        };
        out.push((gil, evidence(f64::from(u8::from(python.gil)), 1.0, 0.0)));
    }
    let workers = r.work.workers as f64;
    if r.work.workers == 1 {
        out.push((FindingId::OneWorker, evidence(1.0, 1.0, 0.0)));
    }
    if r.work.workload.uses_cores() && r.work.workers > machine.usable_cpus {
        let cpus = machine.usable_cpus as f64;
        out.push((FindingId::Oversubscribed, evidence(workers, cpus, 0.0)));
    }
    let wall = wall_finding(r.speedup, margin);
    out.push(wall);
    let ideal = ideal_finding(r.speedup, r.ideal_speedup, margin);
    // A speedup within the noise of both 1 and an ideal that expects a
    // gain tells neither apart: no verdict on the ideal.
    let undecided = ideal.0 == FindingId::MetIdeal
        && wall.0 == FindingId::WallSame
        && r.ideal_speedup > 1.0 + margin;
    if r.work.workers > 1 && !undecided {
        out.push(ideal);
        out.extend(above_within(ideal, r.speedup, r.ideal_speedup));
        out.extend(bound_finding(ideal, r.ideal_model));
    }
    if r.work.workers > 1 {
        push_cause(&mut out, cause_finding(&r.time_accounting, margin));
    }
    if r.work.workload.uses_cores() && r.work.workers > 1 {
        let lanes = r.ideal_lanes as f64;
        let worth = r.machine.lane_capacity(r.ideal_lanes);
        if worth < lanes * (1.0 - margin) {
            out.push((FindingId::SlowerCores, evidence(worth, lanes, margin)));
        }
    }
    if r.efficiency > 1.0 {
        // Only work that streams data can gain from each worker's share
        // fitting its cache; for the rest, beating one lane per worker
        // can only be the timing of the runs.
        let caches = r.work.workload == WorkloadKind::Memory && r.efficiency > 1.0 + margin;
        let id = if caches {
            FindingId::EfficiencyOver100Caches
        } else {
            FindingId::EfficiencyOver100Noise
        };
        out.push((id, evidence(r.efficiency, 1.0, margin)));
    }
    push_noisy(&mut out, [&r.serial.wall, &r.parallel.wall], margin);
    out.extend(judge_machine(machine));
    out
}

/// Adds a cause unless a finding of its group already holds (the serial
/// part's wait, when Amdahl's bound was already named).
fn push_cause(out: &mut Vec<Judged>, cause: Judged) {
    let taken = out.iter().any(|(id, _)| cause.0.group().contains(id));
    if !taken {
        out.push(cause);
    }
}

fn push_noisy<'a>(
    out: &mut Vec<Judged>,
    sides: impl IntoIterator<Item = &'a Summary>,
    margin: f64,
) {
    let spread = sides
        .into_iter()
        .filter(|side| side.is_noisy())
        .map(|side| side.max.as_secs_f64() / side.min.as_secs_f64().max(f64::EPSILON) - 1.0)
        .fold(0.0_f64, f64::max);
    if spread > NOISY_SPREAD {
        out.push((FindingId::Noisy, evidence(spread, NOISY_SPREAD, margin)));
    }
}

/// Everything a sweep shows on `machine`: the best row against serial,
/// the rows against their ideals, the model's bound, the fit.
pub fn judge_sweep(r: &SweepResult, machine: &MachineFacts) -> Vec<Judged> {
    let sides = std::iter::once(&r.serial).chain(r.rows.iter().map(|row| &row.parallel));
    let margin = noise_margin(sides.clone(), machine.busy);
    let mut out = Vec::new();
    if !r.results_match {
        out.push((FindingId::ResultsDiffer, evidence(0.0, 1.0, 0.0)));
    }
    let parallel: Vec<_> = r.rows.iter().filter(|row| row.workers > 1).collect();
    // The gain is the best row with more than one worker: a one-worker
    // row faster than serial is noise, not parallelism.
    let best = parallel
        .iter()
        .map(|row| row.speedup)
        .reduce(f64::max)
        .unwrap_or(r.fit.best.1);
    out.push(wall_finding(best, margin));
    if !parallel.is_empty() {
        let count = parallel.len() as f64;
        let speedup = parallel.iter().map(|row| row.speedup).sum::<f64>() / count;
        let ideal = parallel.iter().map(|row| row.ideal_speedup).sum::<f64>() / count;
        let verdict = ideal_finding(speedup, ideal, margin);
        out.push(verdict);
        out.extend(above_within(verdict, speedup, ideal));
        let bound = bound_of(r.fit.model);
        out.extend(bound.map(|id| (id, evidence(speedup, ideal, margin))));
        // The cause of the widest row, from its time accounting.
        if let Some(widest) = parallel.iter().max_by_key(|row| row.workers) {
            push_cause(&mut out, cause_finding(&widest.time_accounting, margin));
        }
    }
    if r.fit.max_workers <= r.fit.lanes {
        let most = r.fit.max_workers as f64;
        out.push((
            FindingId::SweepWithinCpus,
            evidence(most, r.fit.lanes as f64, 0.0),
        ));
    }
    match (&r.weak, r.fit.serial_fraction) {
        (Some(weak), _) => {
            let id = if weak.rise.is_some() {
                FindingId::WeakRose
            } else {
                FindingId::WeakFlat
            };
            let grown = weak.rise.map_or(1.0, |(_, ratio)| ratio);
            out.push((id, evidence(grown, 1.0, crate::sweep::FLAT_TOLERANCE)));
        }
        (None, Some(f)) => out.push((FindingId::Fitted, evidence(f, 0.0, margin))),
        (None, None) => out.push((FindingId::NoFit, evidence(0.0, 0.0, margin))),
    }
    push_noisy(&mut out, sides, margin);
    out.extend(judge_machine(machine));
    out
}

/// Whether `findings` hold `id`.
pub fn holds(findings: &[Finding], id: FindingId) -> bool {
    findings.iter().any(|f| f.id == id)
}

#[cfg(test)]
mod tests {
    //! Each finding at its threshold: just inside and just outside the noise
    //! margin, on quiet and busy machines, with synthetic reports.

    use super::*;
    use crate::config::Work;
    use crate::measure::{Rounds, RunResult, SideResult};
    use crate::stats::Summary;
    use std::time::Duration;

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

    fn ms(value: f64) -> Duration {
        Duration::from_secs_f64(value / 1000.0)
    }

    /// A side measured at `runs` (ms), its 8 tasks equal.
    fn side(runs: &[f64]) -> SideResult {
        let wall = Summary::of(&runs.iter().map(|&r| ms(r)).collect::<Vec<_>>());
        SideResult {
            task_times: vec![wall.median / 8; 8],
            wall,
            cpu: ms(1.0),
            checksum: 1,
            serial_part: Duration::ZERO,
            transfer: None,
            end_idle: None,
            record: Default::default(),
        }
    }

    /// A run of 8 tasks of `workload` on `workers` on `machine`, serial
    /// `serial` ms and parallel `parallel` ms (each a list of repeats).
    fn run(
        workload: WorkloadKind,
        workers: usize,
        machine: &MachineInfo,
        serial: &[f64],
        parallel: &[f64],
    ) -> RunResult {
        let spec = Work {
            workload,
            tasks: 8,
            workers,
            task_ms: 10.0,
            ..Work::SEED_DEMO
        };
        RunResult::new(
            &spec,
            Rounds::ONCE,
            machine,
            &side(serial),
            &side(parallel),
            Duration::ZERO,
        )
    }

    fn ids(r: &RunResult, busy: bool) -> Vec<FindingId> {
        judge_run(r, &MachineFacts::of(&r.machine, busy))
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    fn two() -> MachineInfo {
        MachineInfo::synthetic(2, 2)
    }

    #[test]
    fn one_lost_update_is_named_and_an_exact_total_is_not() {
        let with_total = |measured| {
            let mut r = run(WorkloadKind::LostUpdate, 2, &two(), &[100.0], &[60.0]);
            r.shared_total = Some(crate::measure::SharedTotal {
                expected: 1_000,
                measured,
            });
            ids(&r, false)
        };
        let short = with_total(999);
        assert!(short.contains(&FindingId::LostUpdates), "{short:?}");
        assert!(!short.contains(&FindingId::ResultsDiffer), "{short:?}");
        let exact = with_total(1_000);
        assert!(exact.contains(&FindingId::NoUpdateLost), "{exact:?}");
        assert!(!exact.contains(&FindingId::LostUpdates), "{exact:?}");
        let none = ids(&run(WorkloadKind::Cpu, 2, &two(), &[100.0], &[60.0]), false);
        assert!(!none.contains(&FindingId::NoUpdateLost), "{none:?}");
    }

    #[test]
    fn slower_cores_are_named_when_they_hold_the_ideal_down() {
        // Two P cores and two E cores at half speed: 4 lanes worth 3.
        let hybrid = MachineInfo::synthetic_hybrid(2, 2, 0.5);
        let on_four = run(WorkloadKind::Cpu, 4, &hybrid, &[80.0], &[27.0]);
        assert!(
            (on_four.ideal_speedup - 3.0).abs() < 0.01,
            "{}",
            on_four.ideal_speedup
        );
        assert!(ids(&on_four, false).contains(&FindingId::SlowerCores));
        assert!(ids(&on_four, false).contains(&FindingId::MetIdeal));
        // Two workers run on the two P cores: nothing slower bounds them.
        let on_two = run(WorkloadKind::Cpu, 2, &hybrid, &[80.0], &[40.0]);
        assert!(!ids(&on_two, false).contains(&FindingId::SlowerCores));
        // Sleeping tasks need no core at all.
        let sleep = run(WorkloadKind::Sleep, 4, &hybrid, &[80.0], &[20.0]);
        assert!(!ids(&sleep, false).contains(&FindingId::SlowerCores));
        let plain = run(WorkloadKind::Cpu, 2, &two(), &[80.0], &[40.0]);
        assert!(!ids(&plain, false).contains(&FindingId::SlowerCores));
        let text = crate::sentences::of_run(&on_four);
        let slower = text
            .iter()
            .find(|f| f.id == FindingId::SlowerCores)
            .unwrap();
        assert!(slower.text.contains("slower cores"), "{}", slower.text);
    }

    #[test]
    fn the_wall_time_fell_rose_or_stayed_within_the_noise_floor() {
        // One run each: the 5 % floor decides.
        let sleep = |parallel| {
            ids(
                &run(WorkloadKind::Sleep, 2, &two(), &[100.0], &[parallel]),
                false,
            )
        };
        assert!(sleep(94.0).contains(&FindingId::WallFell));
        assert!(sleep(96.0).contains(&FindingId::WallSame));
        assert!(sleep(104.0).contains(&FindingId::WallSame));
        assert!(sleep(106.0).contains(&FindingId::SlowerThanSerial));
    }

    #[test]
    fn the_margin_widens_with_the_spread_of_the_repeats_and_on_a_busy_machine() {
        // Serial repeats 100–120 ms: a 20 % spread, so 15 % faster is noise.
        let spread = run(
            WorkloadKind::Sleep,
            2,
            &two(),
            &[100.0, 110.0, 120.0],
            &[95.0],
        );
        assert!(ids(&spread, false).contains(&FindingId::WallSame));
        assert!(ids(&spread, false).contains(&FindingId::Noisy));
        let quiet = run(WorkloadKind::Sleep, 2, &two(), &[110.0], &[100.0]);
        assert!(ids(&quiet, false).contains(&FindingId::WallFell));
        assert!(
            ids(&quiet, true).contains(&FindingId::WallSame),
            "busy: 15 %"
        );
        assert!(ids(&quiet, true).contains(&FindingId::Busy));
        assert!(!ids(&quiet, false).contains(&FindingId::Noisy));
        assert_eq!(
            noise_margin([&Summary::of(&[ms(10.0)])], false),
            NOISE_FLOOR
        );
        assert_eq!(noise_margin([&Summary::of(&[ms(10.0)])], true), BUSY_FLOOR);
    }

    #[test]
    fn noise_that_hides_both_serial_and_the_ideal_gives_no_verdict_on_the_ideal() {
        // Parallel repeats 55–85 ms: a 48 % spread covers both 1× and 2×.
        let noisy = run(
            WorkloadKind::Sleep,
            2,
            &two(),
            &[100.0],
            &[55.0, 70.0, 85.0],
        );
        let found = ids(&noisy, false);
        assert!(found.contains(&FindingId::WallSame), "{found:?}");
        assert!(
            !found
                .iter()
                .any(|id| id.group().contains(&FindingId::MetIdeal)),
            "{found:?}"
        );
        // Just above the ideal within the noise: met, and passed.
        let above = ids(
            &run(WorkloadKind::Sleep, 2, &two(), &[100.0], &[49.0]),
            false,
        );
        assert!(
            above.contains(&FindingId::AboveIdealWithinNoise),
            "{above:?}"
        );
        let below = ids(
            &run(WorkloadKind::Sleep, 2, &two(), &[100.0], &[51.0]),
            false,
        );
        assert!(
            !below.contains(&FindingId::AboveIdealWithinNoise),
            "{below:?}"
        );
    }

    #[test]
    fn the_speedup_met_fell_short_of_or_beat_the_ideal() {
        // 8 equal sleeping tasks on 2 workers: ideal 50 ms for 100 ms serial.
        let at = |parallel| {
            ids(
                &run(WorkloadKind::Sleep, 2, &two(), &[100.0], &[parallel]),
                false,
            )
        };
        assert!(at(51.0).contains(&FindingId::MetIdeal));
        assert!(at(51.0).contains(&FindingId::BoundWaves));
        assert!(at(49.0).contains(&FindingId::MetIdeal));
        assert!(at(60.0).contains(&FindingId::ShortOfIdeal));
        assert!(at(44.0).contains(&FindingId::AboveIdeal));
        assert!(
            !at(60.0).contains(&FindingId::BoundWaves),
            "no bound when short"
        );
    }

    /// An accounting of `lane` ms whose work took `work` ms and whose
    /// losses are `losses` (ms each).
    pub(crate) fn accounting(lane: f64, work: f64, losses: &[(Loss, f64)]) -> TimeAccounting {
        let mut a = TimeAccounting {
            lane: ms(lane),
            work: ms(work),
            tasks: 8,
            waits_measured: true,
            ..TimeAccounting::default()
        };
        for &(loss, size) in losses {
            match loss {
                Loss::WaitedForCpu => a.waited_for_cpu = ms(size),
                Loss::WaitedForLock => a.waited_for_lock = ms(size),
                Loss::ComputedSlower => a.computed_slower = ms(size),
                Loss::HandingOut => a.handing_out = ms(size),
                Loss::StartUp => a.start_up = ms(size),
                Loss::IdleAtEnd => a.idle_at_end = ms(size),
                Loss::SerialPart => a.serial_part = ms(size),
            }
        }
        a
    }

    #[test]
    fn a_cause_is_the_largest_measured_loss_and_never_one_by_elimination() {
        // 70 ms on 2 workers where 50 ms was ideal: short of it, whatever
        // the work; only the accounting names why.
        let short = |kind, losses: &[(Loss, f64)], busy| {
            let mut r = run(kind, 2, &two(), &[100.0], &[70.0]);
            r.time_accounting = accounting(140.0, 100.0, losses);
            ids(&r, busy)
        };
        let cpu = short(
            WorkloadKind::Cpu,
            &[(Loss::WaitedForCpu, 30.0), (Loss::HandingOut, 10.0)],
            true,
        );
        assert!(cpu.contains(&FindingId::WaitedForCpu), "{cpu:?}");
        let memory = short(WorkloadKind::Memory, &[(Loss::ComputedSlower, 40.0)], false);
        assert!(memory.contains(&FindingId::ComputedSlower), "{memory:?}");
        // Nothing measured above the 5 % noise: no cause, however short.
        let none = short(
            WorkloadKind::Cpu,
            &[(Loss::HandingOut, 6.0), (Loss::StartUp, 6.0)],
            false,
        );
        assert!(none.contains(&FindingId::NoSingleCause), "{none:?}");
        assert!(none.contains(&FindingId::ShortOfIdeal), "{none:?}");
        // On a busy machine the 15 % margin hides an 8 % loss.
        let busy = short(WorkloadKind::Cpu, &[(Loss::HandingOut, 12.0)], true);
        assert!(busy.contains(&FindingId::NoSingleCause), "{busy:?}");
        let quiet = short(WorkloadKind::Cpu, &[(Loss::HandingOut, 12.0)], false);
        assert!(quiet.contains(&FindingId::HandingOut), "{quiet:?}");
    }

    #[test]
    fn the_margin_a_shortfall_is_judged_by_is_the_one_it_prints() {
        // Serial 100 ms, parallel repeats with a 25.8 % spread; ideal 2×,
        // speedup 1.494×: 25.3 % short, inside the 25.8 % noise.
        let r = run(
            WorkloadKind::Sleep,
            2,
            &two(),
            &[100.0],
            &[58.0, 66.93, 75.26],
        );
        let judged = judge_run(&r, &MachineFacts::of(&r.machine, false));
        let ideal = judged
            .iter()
            .find(|(id, _)| id.group().contains(&FindingId::MetIdeal))
            .unwrap();
        let short = 1.0 - ideal.1.measured / ideal.1.reference;
        assert!(short < ideal.1.margin, "{short} against {}", ideal.1.margin);
        assert_eq!(ideal.0, FindingId::MetIdeal);
        for text in crate::sentences::of_run(&r) {
            assert!(!text.text.contains("fell short"), "{}", text.text);
        }
    }

    #[test]
    fn cpu_work_past_the_cpus_is_bound_by_them_and_oversubscribed() {
        let r = run(WorkloadKind::Cpu, 8, &two(), &[100.0], &[51.0]);
        let found = ids(&r, false);
        for id in [
            FindingId::Oversubscribed,
            FindingId::MetIdeal,
            FindingId::BoundCpus,
        ] {
            assert!(found.contains(&id), "{id:?} in {found:?}");
        }
        let sleep = ids(
            &run(WorkloadKind::Sleep, 8, &two(), &[100.0], &[13.0]),
            false,
        );
        assert!(!sleep.contains(&FindingId::Oversubscribed));
    }

    #[test]
    fn efficiency_above_100_names_its_likely_cause() {
        // 2 workers, speedup 2.2: 110 % efficiency.
        let memory = ids(
            &run(WorkloadKind::Memory, 2, &two(), &[110.0], &[50.0]),
            false,
        );
        assert!(memory.contains(&FindingId::EfficiencyOver100Caches));
        let within = ids(
            &run(WorkloadKind::Memory, 2, &two(), &[102.0], &[50.0]),
            false,
        );
        assert!(within.contains(&FindingId::EfficiencyOver100Noise));
        let sleep = ids(
            &run(WorkloadKind::Sleep, 2, &two(), &[110.0], &[50.0]),
            false,
        );
        assert!(sleep.contains(&FindingId::EfficiencyOver100Noise));
        let plain = ids(
            &run(WorkloadKind::Sleep, 2, &two(), &[100.0], &[51.0]),
            false,
        );
        assert!(
            !plain
                .iter()
                .any(|id| id.group().contains(&FindingId::EfficiencyOver100Noise))
        );
    }

    #[test]
    fn the_machine_findings_follow_its_cpus() {
        let machine = |physical, logical, usable, busy| {
            let mut m = MachineInfo::synthetic(physical, logical);
            m.usable_cpus = usable;
            judge_machine(&MachineFacts::of(&m, busy))
                .into_iter()
                .map(|(id, _)| id)
                .collect::<Vec<_>>()
        };
        assert_eq!(machine(2, 2, 2, false), [FindingId::NoSmt]);
        assert_eq!(machine(4, 8, 8, false), [FindingId::Smt]);
        assert_eq!(
            machine(2, 2, 1, true),
            [
                FindingId::NoSmt,
                FindingId::OneCpu,
                FindingId::CpusRestricted,
                FindingId::Busy
            ]
        );
    }

    #[test]
    fn one_worker_and_differing_checksums_are_findings() {
        let mut r = run(WorkloadKind::Sleep, 1, &two(), &[100.0], &[100.0]);
        assert!(ids(&r, false).contains(&FindingId::OneWorker));
        assert!(
            !ids(&r, false).contains(&FindingId::MetIdeal),
            "no ideal for one worker"
        );
        r.results_match = false;
        assert!(ids(&r, false).contains(&FindingId::ResultsDiffer));
    }

    #[test]
    fn a_sweep_is_judged_on_its_rows_and_fit() {
        let report = crate::sweep::test_support::cpu_report();
        let found: Vec<_> = judge_sweep(&report, &MachineFacts::of(&report.machine, false))
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        for id in [
            FindingId::WallFell,
            FindingId::BoundCpus,
            FindingId::Fitted,
            FindingId::Smt,
        ] {
            assert!(found.contains(&id), "{id:?} in {found:?}");
        }
        let mut one = report.clone();
        one.rows.truncate(1);
        one.fit = crate::sweep::analyse(one.work.workload, &one.rows, 4);
        let found: Vec<_> = judge_sweep(&one, &MachineFacts::of(&one.machine, false))
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert!(found.contains(&FindingId::NoFit), "{found:?}");
        let text = crate::sentences::of_sweep(&one);
        let no_fit = text.iter().find(|f| f.id == FindingId::NoFit).unwrap();
        assert!(no_fit.text.contains("one row"), "{}", no_fit.text);
    }

    #[test]
    fn a_worker_idle_at_the_end_is_named_when_idle_time_is_the_largest_loss() {
        let machine = MachineInfo::synthetic(2, 2);
        let facts = MachineFacts::of(&machine, false);
        // 8 tasks, 80 ms serially; parallel 50 ms on 2 workers: 100 ms of
        // lane time, 80 of work.
        let with_idle = |idle_ms: f64, hand_out_ms: f64| {
            let mut r = run(WorkloadKind::Uneven, 2, &machine, &[80.0], &[50.0]);
            r.end_idle = Some(crate::measure::EndIdle {
                worker: 1,
                time: ms(idle_ms),
            });
            r.time_accounting = accounting(
                100.0,
                80.0,
                &[(Loss::IdleAtEnd, idle_ms), (Loss::HandingOut, hand_out_ms)],
            );
            r
        };
        let has = |r: &RunResult, id| judge_run(r, &facts).iter().any(|(f, _)| *f == id);
        assert!(has(&with_idle(15.0, 5.0), FindingId::IdleAtEnd));
        assert!(has(&with_idle(5.0, 15.0), FindingId::HandingOut));
        assert!(!has(&with_idle(5.0, 15.0), FindingId::IdleAtEnd));
        assert!(has(&with_idle(3.0, 3.0), FindingId::NoSingleCause));
        let one = run(WorkloadKind::Uneven, 1, &machine, &[80.0], &[80.0]);
        assert!(!has(&one, FindingId::IdleAtEnd) && !has(&one, FindingId::NoSingleCause));
        let text = crate::sentences::of_run(&with_idle(15.0, 5.0))
            .into_iter()
            .find(|f| f.id == FindingId::IdleAtEnd)
            .map(|f| f.text)
            .unwrap();
        assert!(
            text.starts_with("w1 sat idle for 15.0 ms at the end (30.0 % of the parallel run)"),
            "{text}"
        );
        assert!(
            text.contains("15.0 % of their 100 ms") && text.contains("steal schedule"),
            "{text}"
        );
    }

    /// A phrase each cause's texts say, and the loss it names.
    const CAUSE_PHRASES: &[(&str, Loss)] = &[
        ("waited for a CPU", Loss::WaitedForCpu),
        ("off the CPU inside their tasks", Loss::WaitedForLock),
        ("more CPU time than serially", Loss::ComputedSlower),
        ("handing out the tasks took", Loss::HandingOut),
        ("before their first task", Loss::StartUp),
        ("idle time after the workers' last tasks", Loss::IdleAtEnd),
    ];

    proptest::proptest! {
        /// Over synthetic accountings, every part dominant in turn, on a
        /// busy or quiet machine, with workers above or below the usable
        /// CPUs and the tasks, for each pool: the cause named is the
        /// largest part, and no text names a cause whose part is within the
        /// noise.
        #[test]
        fn the_cause_named_is_the_largest_part_and_never_one_within_the_noise(
            dominant in 0usize..7,
            sizes in proptest::collection::vec(0.0f64..1.0, 7),
            scale in 0.0f64..0.6,
            busy: bool,
            workers in 2usize..9,
            tasks in 1usize..12,
            cpus in 1usize..6,
            pool in 0usize..4,
            workload in 0usize..<WorkloadKind as strum::VariantArray>::VARIANTS.len(),
        ) {
            let mut sizes = sizes;
            let top = sizes.iter().copied().fold(0.0, f64::max);
            sizes[dominant] = top + 0.01;
            let total: f64 = sizes.iter().sum();
            let losses: Vec<(Loss, f64)> = Loss::ALL
                .iter()
                .zip(&sizes)
                .map(|(loss, size)| (*loss, size / total * scale * 1000.0))
                .collect();
            let lost: f64 = losses.iter().map(|(_, ms)| ms).sum();
            let machine = MachineInfo::synthetic(cpus, cpus);
            let mut r = run(<WorkloadKind as strum::VariantArray>::VARIANTS[workload], workers, &machine, &[100.0], &[60.0]);
            r.work.pool = <crate::pool::Pool as strum::VariantArray>::VARIANTS[pool];
            r.work.tasks = tasks;
            r.time_accounting = TimeAccounting { tasks, ..accounting(1000.0, 1000.0 - lost, &losses) };
            let facts = MachineFacts::of(&r.machine, busy);
            let judged = judge_run(&r, &facts);
            let margin = noise_margin([&r.serial.wall, &r.parallel.wall], busy);
            let a = r.time_accounting;
            let largest = Loss::ALL[dominant];
            let causes: Vec<FindingId> = judged
                .iter()
                .map(|(id, _)| *id)
                .filter(|id| id.group().contains(&FindingId::NoSingleCause))
                .collect();
            if a.share(largest) > margin {
                if largest == Loss::SerialPart {
                    // Amdahl's bound names it, unless the run met an ideal
                    // whose own bound (the CPUs, on one CPU) is named.
                    let bound = FindingId::BoundSerialPart.group();
                    proptest::prop_assert!(judged.iter().any(|(id, _)| bound.contains(id)));
                    proptest::prop_assert!(causes.is_empty(), "{causes:?}");
                } else {
                    proptest::prop_assert_eq!(&causes, &vec![loss_finding(largest)]);
                }
            } else {
                proptest::prop_assert_eq!(&causes, &vec![FindingId::NoSingleCause]);
            }
            r.busy = busy;
            for finding in crate::sentences::of_run(&r) {
                for (phrase, loss) in CAUSE_PHRASES {
                    if finding.text.contains(phrase) {
                        proptest::prop_assert!(
                            *loss == largest && a.share(*loss) > margin,
                            "{} names {:?} at {:.3} of the lane time, noise {:.3}",
                            finding.text, loss, a.share(*loss), margin
                        );
                    }
                }
            }
        }
    }
}
