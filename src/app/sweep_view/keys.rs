//! The sweep view's keys, read from [`SWEEP_KEYS`]: Esc cancels a running
//! sweep and leaves a finished one, `e` asks for the files, `s` measures
//! again; keys that would disturb a sweep wait until it ends.

use super::SweepStatus;
use crate::app::commands::CANCELLING;
use crate::app::keys::{self, Command, Key, Lookup, SWEEP_KEYS};
use crate::app::{App, Effect, View, name_of};
use crate::sweep::{Scaling, parse_worker_list};

impl App {
    /// A key in the sweep view; with the help open, any key closes it
    /// (`q` quits before it gets here).
    pub(in crate::app) fn on_sweep_key(&mut self, key: Key, help: bool) -> Effect {
        if help {
            self.view = View::Sweep { help: false };
            return Effect::None;
        }
        if let Some(effect) = self.on_worker_typing(key) {
            return effect;
        }
        let sweeping = self.is_sweeping();
        match keys::lookup_in(&SWEEP_KEYS, key, sweeping) {
            Lookup::Do(command) => self.on_sweep_command(command, key),
            Lookup::Refused(binding) => {
                self.message = Some(format!(
                    "{} ({}) waits until the sweep ends: Esc cancels it",
                    binding.short, binding.name
                ));
                Effect::None
            }
            Lookup::Unknown => {
                let esc = if sweeping {
                    "Esc cancels the sweep"
                } else {
                    "Esc goes back to the lab"
                };
                self.message = Some(format!("{} does nothing here: {esc}", name_of(key)));
                Effect::None
            }
        }
    }

    /// Carries out a command of the sweep view's key table; the ones it
    /// shares with the lab (theme, quit) go to the lab's handler.
    pub(in crate::app) fn on_sweep_command(&mut self, command: Command, key: Key) -> Effect {
        match command {
            Command::Cancel => self.cancel_sweep(),
            Command::CloseSweep => {
                self.view = View::Main;
                self.sweep = None;
                Effect::None
            }
            Command::SaveSweep => match self.sweep.as_ref().map(|s| &s.status) {
                Some(SweepStatus::Done { index }) => Effect::SaveSweep(*index),
                _ => {
                    self.message = Some(
                        "nothing to export: the sweep did not finish; s measures it again".into(),
                    );
                    Effect::None
                }
            },
            Command::Sweep => self.open_sweep(),
            Command::SweepScaling => {
                self.sweep_choice.scaling = match self.sweep_choice.scaling {
                    Scaling::Strong => Scaling::Weak,
                    Scaling::Weak => Scaling::Strong,
                };
                self.message = Some(match self.sweep_choice.scaling {
                    Scaling::Weak => format!(
                        "weak scaling: {} tasks per worker, so the ideal time stays flat",
                        self.spec.tasks
                    ),
                    Scaling::Strong => {
                        "strong scaling: the same tasks at every worker count".into()
                    }
                });
                self.open_sweep()
            }
            Command::Type => {
                if let (Some(sweep), Key::Char(c)) = (self.sweep.as_mut(), key) {
                    sweep.typing = Some(c.to_string());
                }
                Effect::None
            }
            Command::Help => {
                self.view = View::Sweep { help: true };
                Effect::None
            }
            other => self.on_command(other, key),
        }
    }

    /// A key while a worker list is being typed: digits, `,` and `.` add
    /// to it, Backspace takes back, Enter measures it (if it parses as on
    /// the command line), Esc drops it. `None` when nothing is typed.
    fn on_worker_typing(&mut self, key: Key) -> Option<Effect> {
        let text = self.sweep.as_mut()?.typing.as_mut()?;
        match key {
            Key::Char(c) if (c.is_ascii_digit() || c == ',' || c == '.') && text.len() < 40 => {
                text.push(c);
            }
            Key::Backspace => {
                text.pop();
            }
            Key::Esc => self.sweep.as_mut()?.typing = None,
            Key::Enter => {
                let typed = self.sweep.as_mut()?.typing.take()?;
                return Some(match parse_worker_list(&typed) {
                    Ok(counts) => {
                        self.sweep_choice.workers = Some(counts);
                        self.open_sweep()
                    }
                    Err(why) => {
                        self.message = Some(format!("refused: {why}"));
                        Effect::None
                    }
                });
            }
            _ => {}
        }
        Some(Effect::None)
    }

    pub(in crate::app) fn cancel_sweep(&mut self) -> Effect {
        match self.sweep.as_mut() {
            Some(sweep) if sweep.is_running() => {
                sweep.cancelling = true;
                self.message = Some(CANCELLING.to_string());
                Effect::Cancel
            }
            _ => Effect::None,
        }
    }
}
