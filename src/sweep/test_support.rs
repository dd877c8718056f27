//! Fixed sweeps for tests and render checks: measured-looking figures that
//! never change, so output can be compared exactly.

use super::{SweepPlan, SweepResult, SweepRow, WorkerCounts};
use crate::machine::MachineInfo;
use crate::measure::{Rounds, SideResult};
use crate::stats::Summary;
use crate::workload::WorkloadKind;
use std::time::Duration;

fn ms(value: u64) -> Duration {
    Duration::from_millis(value)
}

/// A side measured three times around `median_ms`, 16 tasks of equal share.
pub(crate) fn side(median_ms: u64, checksum: u64) -> SideResult {
    SideResult {
        wall: Summary::of(&[ms(median_ms + 2), ms(median_ms), ms(median_ms - 1)]),
        cpu: ms(median_ms),
        checksum,
        task_times: vec![ms(median_ms) / 16; 16],
        serial_part: Duration::ZERO,
        transfer: None,
        end_idle: None,
    }
}

/// CPU-bound work (16 × 20 ms) on 2 cores / 4 CPUs at 1, 2, 4 and 8
/// workers: near-linear up to the 4 CPUs, flat after.
pub(crate) fn cpu_report() -> SweepResult {
    let machine = MachineInfo::synthetic(2, 4);
    let plan = SweepPlan::new(
        crate::config::Work {
            workload: WorkloadKind::Cpu,
            tasks: 16,
            task_ms: 20.0,
            ..crate::config::Work::SEED_DEMO
        },
        WorkerCounts(vec![1, 2, 4, 8]),
        super::Scaling::Strong,
        Rounds {
            repeat: 3,
            warmup: 1,
        },
    );
    let baseline = side(320, 7);
    let rows = [(1, 322), (2, 165), (4, 100), (8, 102)]
        .into_iter()
        .map(|(workers, median)| SweepRow::new(workers, &baseline, &side(median, 7), Some(4)))
        .collect();
    SweepResult::new(&plan, &machine, &baseline, rows)
}
