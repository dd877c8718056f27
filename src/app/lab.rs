//! The lab's own state: the settings the next run uses, the highlighted
//! setting, the run on screen and the rows of the timing table, with the
//! presets and explanation texts that read them.
//!
//! Each change returns what the user should be told (a refusal, a
//! confirmation) instead of writing a message itself, so the lab knows
//! nothing of the modes around it; [`super::App`] decides what to show.

use super::explain::{self, Explanations, Moment};
use super::keys::Key;
use super::live_run::{LiveRun, Row, RunMsg, RunStatus, Stage};
use super::presets::{self, Preset};
use super::selection::{ListKey, Popup, Selection};
use super::settings::{self, Setting};
use crate::config::{Work, check_plan};
use crate::cycle::Cycle;
use crate::machine::MachineInfo;
use crate::measure::{Rounds, run_estimate};
use crate::pool::Pool;
use crate::units::format_duration;

/// How the lanes map time to columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LaneScale {
    /// Serial and parallel on one axis, so the speedup is the difference
    /// in length: the default.
    #[default]
    Shared,
    /// Each side fills the width, so short parallel runs can be read.
    PerSide,
}

/// The settings, the run on screen and the session's timing table.
pub struct Lab {
    /// The settings the next run uses.
    pub spec: Work,
    /// The highlighted setting.
    pub selected: Setting,
    /// The current or last run, for the lanes.
    pub run: Option<LiveRun>,
    /// Whether the lanes share one time scale (`z` switches).
    pub lane_scale: LaneScale,
    /// The runs of this session, oldest first.
    pub rows: Vec<Row>,
    /// The presets for `p`.
    pub presets: Vec<Preset>,
    pub(super) explanations: Explanations,
    /// Timed runs of each side per run (`R`); the table shows the median,
    /// as `parlab run --repeat` does.
    pub repeat: usize,
}

/// The repeat counts `R` steps through.
pub const REPEATS: [usize; 4] = [1, 3, 5, 9];

/// How a run ended, as far as the rest of the lab cares.
pub enum RunEnd {
    /// Measured in full: its report and its judged facts.
    Measured(Box<crate::measure::RunResult>, crate::template::Facts),
    /// Cancelled or failed; `note` says why when it failed.
    Unmeasured {
        /// The reason it failed, for the message line.
        note: Option<String>,
    },
}

impl Lab {
    /// The lab on the seed demo, with the shipped presets and texts.
    pub fn new(machine: &MachineInfo) -> Result<Self, String> {
        let presets = presets::parse(presets::PRESETS_TOML, machine)
            .map_err(|e| format!("assets/presets.toml: {e}"))?;
        let explanations = Explanations::parse(explain::EXPLANATIONS_TOML)?;
        Ok(Self {
            spec: Work::SEED_DEMO,
            selected: Setting::Tasks,
            run: None,
            lane_scale: LaneScale::Shared,
            rows: Vec::new(),
            presets,
            explanations,
            repeat: 1,
        })
    }

    /// Whether a run is going (its thread has not reported the end).
    pub fn is_running(&self) -> bool {
        self.run.as_ref().is_some_and(|r| !r.finished)
    }

    /// Starts a run of the current settings on `machine`: a new row and
    /// new lanes, or the reason it is refused (a bad setting, or a plan
    /// estimated past the limit).
    pub fn start_run(&mut self, machine: &MachineInfo) -> Result<Work, String> {
        let estimate = run_estimate(&self.spec, self.rounds(), machine.logical_cpus);
        self.spec
            .validate()
            .and_then(|()| check_plan(estimate))
            .map_err(|why| why.to_string())?;
        self.run = Some(LiveRun::new(self.spec, machine.compute_lanes()));
        self.rows.push(Row {
            spec: self.spec,
            status: RunStatus::Running,
        });
        Ok(self.spec)
    }

    /// How often each side of a run is measured.
    pub fn rounds(&self) -> Rounds {
        Rounds {
            repeat: self.repeat,
            warmup: 0,
        }
    }

    /// `R`: the next repeat count, and the note saying what it does.
    pub fn next_repeat(&mut self) -> String {
        let at = REPEATS.iter().position(|&r| r == self.repeat).unwrap_or(0);
        self.repeat = REPEATS[(at + 1) % REPEATS.len()];
        match self.repeat {
            1 => "repeat: each side runs once".to_string(),
            n => format!(
                "repeat: each side runs {n} times, the table shows the median (R changes it)"
            ),
        }
    }

    /// Asks the running run to stop; `false` when none is going.
    pub fn cancel(&mut self) -> bool {
        match self.run.as_mut() {
            Some(run) if !run.finished => {
                run.cancelling = true;
                true
            }
            _ => false,
        }
    }

    /// A message from the run thread: progress, or the end, which fills
    /// the run's row and is returned.
    pub fn update(&mut self, msg: RunMsg) -> Option<RunEnd> {
        let run = self.run.as_mut()?;
        let done = match msg {
            RunMsg::Event(event) => {
                run.on_event(event);
                return None;
            }
            RunMsg::Done(done) => done,
        };
        run.finished = true;
        let serial_done = run.parallel.as_ref().and(run.serial.as_ref());
        let (status, end) = match done {
            Ok(Some(report)) => {
                let facts = crate::lesson::happened_facts(&report);
                (
                    RunStatus::Done(report.clone(), facts.clone()),
                    RunEnd::Measured(report, facts),
                )
            }
            Ok(None) => (
                RunStatus::Cancelled {
                    serial: serial_done.and_then(|s| s.wall),
                },
                RunEnd::Unmeasured { note: None },
            ),
            Err(why) => (
                RunStatus::Failed(why.clone()),
                RunEnd::Unmeasured {
                    note: Some(format!("the run failed: {why}")),
                },
            ),
        };
        if let Some(row) = self
            .rows
            .iter_mut()
            .rev()
            .find(|r| matches!(r.status, RunStatus::Running))
        {
            row.status = status;
        }
        Some(end)
    }

    /// Moves the highlight to the next (or previous) setting shown.
    pub fn select(&mut self, down: bool) {
        self.selected = self.selected.moved(&self.spec, down);
    }

    /// Raises or lowers the selected setting one step; the note when it is
    /// at the end of its ladder or the step is refused.
    pub fn step(&mut self, up: bool) -> Option<String> {
        match settings::step(&self.spec, self.selected, up) {
            Some(next) => self.try_set(next),
            None => {
                let end = if up { "largest" } else { "smallest" };
                Some(format!(
                    "{} is at its {end} step; type digits for another value",
                    self.selected.label()
                ))
            }
        }
    }

    /// Takes `next` if it passes the same checks as `parlab run`; else the
    /// refusal.
    pub fn try_set(&mut self, next: Work) -> Option<String> {
        match next.validate() {
            Ok(()) => {
                self.load(next);
                None
            }
            Err(why) => Some(format!("refused: {why}")),
        }
    }

    /// Loads settings already checked, keeping the highlight on a shown row.
    pub fn load(&mut self, spec: Work) {
        self.spec = spec;
        self.selected = self.selected.keep_shown(&spec);
    }

    /// `w`: the next workload.
    pub fn next_workload(&mut self) -> Option<String> {
        let next = settings::with_workload(&self.spec, self.spec.workload.next());
        self.try_set(next)
    }

    /// `h`: the next schedule, its row highlighted once it is shown; the
    /// note names the schedule now in force.
    pub fn next_schedule(&mut self) -> String {
        let mut next = self.spec;
        next.schedule = self.spec.schedule.next_kind();
        if next.validate().is_ok() {
            self.load(next);
        }
        if Setting::shown(&self.spec).contains(&Setting::Schedule) {
            self.selected = Setting::Schedule;
        }
        format!("schedule: {}", self.spec.schedule.label())
    }

    /// `o`: the next pool (threads, processes, Python's two pools); a
    /// pool that cannot run the current work is refused with the reason.
    pub fn next_pool(&mut self) -> String {
        let next = settings::with_pool(&self.spec, self.spec.pool.next());
        if let Err(why) = next.validate() {
            return format!("refused: {} {why}", next.pool.name());
        }
        self.load(next);
        if next.pool != Pool::Threads {
            self.selected = Setting::Pool;
        } else {
            self.selected = self.selected.keep_shown(&self.spec);
        }
        format!("pool: {}", pool_note(next.pool))
    }

    /// `z`: the lanes on one time scale, or each side on its own; the note
    /// says which.
    pub fn toggle_lane_scale(&mut self) -> String {
        let (scale, note) = match self.lane_scale {
            LaneScale::Shared => (
                LaneScale::PerSide,
                "lanes: each side on its own time scale (z: one scale)",
            ),
            LaneScale::PerSide => (
                LaneScale::Shared,
                "lanes: serial and parallel on one time scale (z: each its own)",
            ),
        };
        self.lane_scale = scale;
        note.to_string()
    }

    /// Loads preset `index`; the note says which, or `None` without one.
    pub fn load_preset(&mut self, index: usize) -> Option<String> {
        let preset = self.presets.get(index)?;
        let (spec, name) = (preset.spec, preset.name.clone());
        self.load(spec);
        Some(format!("{name} loaded: r runs it"))
    }

    /// A key in the presets popup over `list`: arrows move, Enter or a
    /// number loads a preset and closes, Esc or `p` closes.
    pub fn on_presets_key(&mut self, list: &mut Selection, key: Key) -> Popup {
        let pick = match key {
            Key::Char(c @ '1'..='9') => c as usize - '1' as usize,
            Key::Char('p') => return Popup::Closed(None),
            _ => match list.on_key(key, self.presets.len()) {
                ListKey::Moved => return Popup::Open(None),
                ListKey::Chosen(index) => index,
                ListKey::Closed => return Popup::Closed(None),
                ListKey::Other => {
                    return Popup::Open(Some("↑↓ choose, Enter loads, Esc closes".to_string()));
                }
            },
        };
        match self.load_preset(pick) {
            Some(note) => Popup::Closed(Some(note)),
            None => Popup::Open(None),
        }
    }

    /// The preset whose settings are loaded, else the first.
    pub fn current_preset(&self) -> usize {
        let at = self.presets.iter().position(|p| p.spec == self.spec);
        at.unwrap_or(0)
    }

    /// The explanation line on `machine`: what is going on, or what the
    /// last run showed.
    pub fn explanation(&self, machine: &MachineInfo) -> String {
        let during = |moment| {
            let spec = self.run.as_ref().map_or(&self.spec, |r| &r.spec);
            let waves = self.run.as_ref().and_then(LiveRun::waves);
            let mean = waves.map(|w| format_duration(w.mean));
            self.explanations
                .during(moment, spec, machine, mean.as_deref())
        };
        if let Some(run) = self.run.as_ref().filter(|r| !r.finished) {
            return during(match run.stage() {
                Stage::Preparing => Moment::Preparing,
                Stage::Serial => Moment::Serial,
                _ => Moment::Parallel,
            });
        }
        match self.rows.last().map(|r| &r.status) {
            Some(RunStatus::Done(_, facts)) => self.explanations.after(facts),
            Some(RunStatus::Cancelled { .. }) => during(Moment::Cancelled),
            Some(RunStatus::Failed(why)) => format!("The run failed: {why}"),
            Some(RunStatus::Running) | None => during(Moment::Intro),
        }
    }
}

/// What the lab says when the pool changes: the pool and what it is.
fn pool_note(pool: Pool) -> String {
    let what = match pool {
        Pool::Threads => "rayon threads in parlab, sharing its memory",
        Pool::Processes => "parlab worker processes, one task at a time over pipes",
        Pool::PythonProcesses => "CPython's multiprocessing.Pool(W).map",
        Pool::PythonThreads => "CPython's ThreadPool(W).map, under the GIL",
    };
    format!("{} ({what})", pool.name())
}
