//! What each command of the main view does to the lab's state: starting
//! and cancelling a run, stepping and setting the settings, and the note
//! shown when a key is refused in the current state.
//!
//! The sweep view falls back on the same commands for the keys it shares
//! with the main view, so both behave alike.

use super::keys::{Binding, Command, Key};
use super::run::{LiveRun, Row, RunStatus};
use super::{App, Effect, View, settings};
use crate::config::RunSpec;

/// The note while a cancel is on its way; the end of the run clears it, and
/// only it.
pub(super) const CANCELLING: &str = "cancelling…";

impl App {
    pub(super) fn on_command(&mut self, command: Command, key: Key) -> Effect {
        match command {
            Command::Run => return self.run_or_ask(),
            Command::Cancel => return self.cancel(),
            Command::Quit => return self.quit(false),
            Command::Back => self.back(),
            Command::SelectNext => self.selected = self.selected.moved(&self.spec, true),
            Command::SelectPrev => self.selected = self.selected.moved(&self.spec, false),
            Command::Increase => self.step(true),
            Command::Decrease => self.step(false),
            Command::Type => self.start_entry(key),
            Command::NextWorkload => {
                let next = settings::with_workload(&self.spec, self.spec.workload.next());
                self.try_set(next);
            }
            Command::NextSchedule => {
                let mut next = self.spec;
                next.schedule = self.spec.schedule.next_kind();
                self.try_set(next);
                if settings::Setting::shown(&self.spec).contains(&settings::Setting::Schedule) {
                    self.selected = settings::Setting::Schedule;
                }
                self.message = Some(format!("schedule: {}", self.spec.schedule.label()));
            }
            Command::Presets => {
                let selected = self.presets.iter().position(|p| p.spec == self.spec);
                self.view = View::Presets {
                    selected: selected.unwrap_or(0),
                };
            }
            Command::Help => self.view = View::Help,
            Command::Clear => {
                self.rows.clear();
                self.message = Some("timing table cleared".to_string());
            }
            Command::Theme => {
                self.theme = self.theme.next();
                self.message = Some(format!("theme: {}", self.theme.name()));
            }
            Command::Lessons => self.open_lessons(),
            Command::NextStep => self.step_lesson(true),
            Command::PrevStep => self.step_lesson(false),
            Command::Predict => self.toggle_predict(),
            Command::Presenter => self.toggle_presenter(),
            Command::LaneScale => {
                let (scale, note) = match self.lane_scale {
                    super::LaneScale::Shared => (
                        super::LaneScale::PerSide,
                        "lanes: each side on its own time scale (z: one scale)",
                    ),
                    super::LaneScale::PerSide => (
                        super::LaneScale::Shared,
                        "lanes: serial and parallel on one time scale (z: each its own)",
                    ),
                };
                self.lane_scale = scale;
                self.message = Some(note.to_string());
            }
            Command::Export => return Effect::WriteReport,
            Command::Sweep => return self.open_sweep(),
            Command::SaveSweep | Command::CloseSweep => return self.on_sweep_command(command, key),
        }
        Effect::None
    }

    pub(super) fn start_run(&mut self) -> Effect {
        let estimate = crate::measure::run_estimate(
            &self.spec,
            crate::measure::Rounds::ONCE,
            self.machine.logical_cpus,
        );
        let checked = self
            .spec
            .validate()
            .and_then(|()| crate::config::check_plan(estimate));
        if let Err(why) = checked {
            self.message = Some(why.to_string());
            return Effect::None;
        }
        self.run = Some(LiveRun::new(self.spec, self.machine.compute_lanes()));
        self.rows.push(Row {
            spec: self.spec,
            status: RunStatus::Running,
        });
        Effect::StartRun(self.spec)
    }

    pub(super) fn cancel(&mut self) -> Effect {
        match self.run.as_mut() {
            Some(run) if !run.finished => {
                run.cancelling = true;
                self.message = Some(CANCELLING.to_string());
                Effect::Cancel
            }
            _ => Effect::None,
        }
    }

    /// The lab is about to stop (Ctrl-Z): a run or sweep going would count
    /// the stopped time as work, so it is cancelled, and the note says why.
    pub fn on_suspend(&mut self) -> Effect {
        let effect = if self.is_running() {
            self.cancel()
        } else if self.is_sweeping() {
            self.cancel_sweep()
        } else {
            return Effect::None;
        };
        self.message = Some(
            "cancelled on suspend: its times would have counted the time parlab was stopped"
                .to_string(),
        );
        effect
    }

    pub(super) fn step(&mut self, up: bool) {
        match settings::step(&self.spec, self.selected, up) {
            Some(next) => self.try_set(next),
            None => {
                let end = if up { "largest" } else { "smallest" };
                self.message = Some(format!(
                    "{} is at its {end} step; type digits for another value",
                    self.selected.label()
                ));
            }
        }
    }

    /// Takes `next` if it passes the same checks as `parlab run`.
    pub(super) fn try_set(&mut self, next: RunSpec) {
        match next.validate() {
            Ok(()) => {
                self.spec = next;
                self.selected = self.selected.keep_shown(&next);
            }
            Err(why) => self.message = Some(format!("refused: {why}")),
        }
    }

    pub(super) fn refuse(&mut self, binding: &Binding) -> Effect {
        self.message = Some(if self.is_running() {
            format!(
                "{} ({}) waits until the run ends: Esc cancels it",
                binding.short, binding.name
            )
        } else {
            format!(
                "{} ({}) only works during a run",
                binding.short, binding.name
            )
        });
        Effect::None
    }
}
