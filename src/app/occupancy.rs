//! How busy each worker was over time, summed once when a side ends.
//!
//! A finished side with a million tasks would cost the UI a full board
//! scan on every frame (the idle lab redraws four times a second for the
//! core bars). Its busy time is instead binned once into a fixed number
//! of time buckets per worker, and frames resample those buckets.

use crate::board::TaskBoard;
use std::time::Duration;

/// Time buckets per worker: finer than any terminal is wide.
pub const BUCKETS: usize = 512;

/// Busy share of each worker in each time bucket of a finished side.
#[derive(Clone, Debug, PartialEq)]
pub struct Occupancy {
    span: Duration,
    /// Tasks that had ended.
    pub finished: usize,
    /// Per worker, per bucket: the share of the bucket the worker was busy.
    busy: Vec<Vec<f64>>,
}

impl Occupancy {
    /// Bins every finished task of `board` (run on `workers` workers), and
    /// its serial part if it has one, over `[0, span]`.
    pub fn of(board: &TaskBoard, span: Duration, workers: usize) -> Self {
        let mut busy = vec![vec![0.0f64; BUCKETS]; workers.max(1)];
        let scale = BUCKETS as f64 / span.as_secs_f64().max(1e-9);
        let mut finished = 0;
        for task in board.spans().chain(board.serial_part()) {
            let Some(end) = task.end else { continue };
            finished += usize::from(task.task < board.len());
            let lane = &mut busy[task.worker.min(workers.max(1) - 1)];
            add_coverage(
                lane,
                task.start.as_secs_f64() * scale,
                end.as_secs_f64() * scale,
            );
        }
        Self {
            span,
            finished,
            busy,
        }
    }

    /// The busy share (0 to 1) of `workers` together between `from` and
    /// `to`; time past the side's end counts as idle.
    pub fn share(&self, workers: std::ops::Range<usize>, from: Duration, to: Duration) -> f64 {
        let scale = BUCKETS as f64 / self.span.as_secs_f64().max(1e-9);
        let (lo, hi) = (from.as_secs_f64() * scale, to.as_secs_f64() * scale);
        if hi <= lo {
            return 0.0;
        }
        let first = lo.floor() as usize;
        let count = workers.len().max(1) as f64;
        let mut total = 0.0;
        for bucket in first..(hi.ceil() as usize).min(BUCKETS) {
            let overlap = hi.min(bucket as f64 + 1.0) - lo.max(bucket as f64);
            let sum: f64 = self
                .busy
                .get(workers.clone())
                .unwrap_or_default()
                .iter()
                .map(|lane| lane[bucket])
                .sum();
            total += sum * overlap.max(0.0);
        }
        total / ((hi - lo) * count)
    }
}

/// Adds the interval `[start, end)` (in cell units) to `cells`, each cell
/// getting the part of the interval that falls in it.
pub fn add_coverage(cells: &mut [f64], start: f64, end: f64) {
    let mut x = start.max(0.0).floor() as usize;
    while x < cells.len() && (x as f64) < end {
        let overlap = end.min(x as f64 + 1.0) - start.max(x as f64);
        cells[x] += overlap.max(0.0);
        x += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn shares_follow_the_tasks() {
        let board = TaskBoard::new(3);
        board.record_start(0, 0, ms(0));
        board.record_end(0, ms(50));
        board.record_start(1, 1, ms(0));
        board.record_end(1, ms(100));
        board.record_start(2, 0, ms(60));
        let occupancy = Occupancy::of(&board, ms(100), 2);
        assert_eq!(occupancy.finished, 2);
        let close = |a: f64, b: f64| (a - b).abs() < 0.01;
        assert!(close(occupancy.share(0..1, ms(0), ms(50)), 1.0));
        assert!(
            close(occupancy.share(0..1, ms(50), ms(100)), 0.0),
            "unfinished task skipped"
        );
        assert!(close(occupancy.share(0..2, ms(0), ms(100)), 0.75));
        assert!(
            close(occupancy.share(1..2, ms(100), ms(200)), 0.0),
            "past the end is idle"
        );
    }

    #[test]
    fn coverage_splits_across_cells() {
        let mut cells = [0.0f64; 4];
        add_coverage(&mut cells, 0.5, 2.25);
        assert_eq!(cells, [0.5, 1.0, 0.25, 0.0]);
    }
}
