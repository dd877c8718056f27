//! The live lab's state and how keys, samples and run events change it.
//!
//! No drawing, no terminal, no clock: the event loop in [`crate::tui`]
//! passes every event in (and the time, through [`App::advance`]) and
//! carries out the [`Effect`] a key asks for, so every change here is tested
//! with made-up events.

pub mod explain;
pub mod keys;
pub mod lessons;
mod modal;
pub mod occupancy;
pub mod predict_prompt;
pub mod presets;
pub mod run;
pub mod settings;
pub mod sweep_view;
pub mod teach;

use crate::config::RunSpec;
use crate::lesson::LessonSet;
use crate::machine::MachineInfo;
use crate::ui::theme::ThemeName;
use explain::Explanations;
use keys::{Binding, Command, Key, Lookup};
use presets::Preset;
use run::{LiveRun, Outcome, Row, RunMsg};
use settings::{Entry, Setting};
use std::time::Instant;
use sweep_view::{FinishedSweep, SweepView};
use teach::Teach;

/// What the event loop must do after a key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Effect {
    /// Nothing beyond redrawing.
    None,
    /// Start a run with these settings on a new thread.
    StartRun(RunSpec),
    /// Set the running run's cancel flag.
    Cancel,
    /// Leave: cancel any run, wait for its thread, restore the terminal.
    Quit,
    /// Write the session report into the current folder.
    WriteReport,
    /// Start measuring the sweep just opened ([`App::sweep_plan`]) on a
    /// new thread.
    StartSweep,
    /// Write the chart and table of `app.sweeps()[index]` to the current
    /// folder and report back through [`App::on_sweep_saved`].
    SaveSweep(usize),
}

/// Which screen is on top of the main view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Just the panels.
    Main,
    /// The help overlay.
    Help,
    /// The presets popup, with the highlighted preset.
    Presets {
        /// Index of the highlighted preset.
        selected: usize,
    },
    /// The list of lessons, with the highlighted lesson.
    Lessons {
        /// Index of the highlighted lesson.
        selected: usize,
    },
    /// The sweep view, in place of the panels.
    Sweep {
        /// Whether its help overlay is open.
        help: bool,
    },
}

/// Everything the screen shows.
pub struct App {
    /// The settings the next run uses.
    pub spec: RunSpec,
    /// The highlighted setting.
    pub selected: Setting,
    /// The machine's CPU facts.
    pub machine: MachineInfo,
    /// The colour theme.
    pub theme: ThemeName,
    /// Latest usage of each logical CPU, in percent; empty before the
    /// first sample.
    pub cores: Vec<f32>,
    /// The current or last run, for the lanes.
    pub run: Option<LiveRun>,
    /// The runs of this session, oldest first.
    pub rows: Vec<Row>,
    /// What is on top.
    pub view: View,
    /// A value being typed, if any.
    pub entry: Option<Entry>,
    /// A one-line note (a refusal, a confirmation) until the next key.
    pub message: Option<String>,
    /// The presets for `p`.
    pub presets: Vec<Preset>,
    /// The current time, as the event loop last set it.
    pub now: Instant,
    /// Lessons, guesses, the presenter view and the report's runs.
    pub teach: Teach,
    /// The sweep view's state while it is open.
    pub sweep: Option<SweepView>,
    sweeps: Vec<FinishedSweep>,
    explanations: Explanations,
}

impl App {
    /// The lab on the seed demo, with the shipped presets and texts.
    pub fn new(machine: MachineInfo, theme: ThemeName, now: Instant) -> Result<Self, String> {
        let presets = presets::parse(presets::PRESETS_TOML, &machine)
            .map_err(|e| format!("assets/presets.toml: {e}"))?;
        let explanations = Explanations::parse(explain::EXPLANATIONS_TOML)
            .map_err(|e| format!("assets/explanations.toml: {e}"))?;
        Ok(Self {
            spec: RunSpec::SEED_DEMO,
            selected: Setting::Tasks,
            machine,
            theme,
            cores: Vec::new(),
            run: None,
            rows: Vec::new(),
            view: View::Main,
            entry: None,
            message: None,
            presets,
            now,
            teach: Teach {
                lessons: LessonSet::shipped(),
                ..Teach::default()
            },
            sweep: None,
            sweeps: Vec::new(),
            explanations,
        })
    }

    /// Whether a run is going (its thread has not reported the end).
    pub fn is_running(&self) -> bool {
        self.run.as_ref().is_some_and(|r| !r.finished)
    }

    /// Moves the clock the lanes and live timings are drawn at.
    pub fn advance(&mut self, now: Instant) {
        self.now = now;
    }

    /// New per-CPU usage from the sampler.
    pub fn on_sample(&mut self, usage: Vec<f32>) {
        self.cores = usage;
    }

    /// A message from the run thread; the effect starts the next run of a
    /// lesson's sweep step.
    pub fn on_run(&mut self, msg: RunMsg) -> Effect {
        let Some(run) = self.run.as_mut() else {
            return Effect::None;
        };
        let done = match msg {
            RunMsg::Event(event) => {
                run.on_event(event);
                return Effect::None;
            }
            RunMsg::Done(done) => done,
        };
        run.finished = true;
        let serial_done = run.parallel.as_ref().and(run.serial.as_ref());
        let outcome = match done {
            Ok(Some(report)) => Outcome::Done(report),
            Ok(None) => {
                self.message = None;
                Outcome::Cancelled {
                    serial: serial_done.and_then(|s| s.wall),
                }
            }
            Err(why) => {
                self.message = Some(format!("the run failed: {why}"));
                Outcome::Failed(why)
            }
        };
        let next_sweep_run = match &outcome {
            Outcome::Done(report) => self.on_measured(report),
            _ => {
                self.on_unmeasured();
                None
            }
        };
        if let Some(row) = self
            .rows
            .iter_mut()
            .rev()
            .find(|r| matches!(r.outcome, Outcome::Running))
        {
            row.outcome = outcome;
        }
        match next_sweep_run {
            Some(workers) => {
                self.spec.workers = workers;
                self.start_run()
            }
            None => Effect::None,
        }
    }

    /// A key press; the returned effect is for the event loop to carry out.
    pub fn on_key(&mut self, key: Key) -> Effect {
        self.message = None;
        if key == Key::Ctrl('c') {
            return Effect::Quit;
        }
        if let Some(entry) = self.entry.take() {
            return self.on_entry_key(entry, key);
        }
        if let Some(guess) = self.teach.guess.take() {
            return self.on_guess_key(guess, key);
        }
        if self.view == View::Main
            && let Some(effect) = self.leave_on_esc(key)
        {
            return effect;
        }
        match self.view {
            View::Help => self.on_help_key(key),
            View::Presets { selected } => self.on_presets_key(selected, key),
            View::Lessons { selected } => self.on_lessons_key(selected, key),
            View::Sweep { help } => self.on_sweep_key(key, help),
            View::Main => match keys::lookup(key, self.is_running()) {
                Lookup::Do(command) => self.on_command(command, key),
                Lookup::Refused(binding) => self.refuse(binding),
                Lookup::Unknown => {
                    self.message = Some(format!(
                        "{} does nothing here: ? lists the keys",
                        name_of(key)
                    ));
                    Effect::None
                }
            },
        }
    }

    fn on_command(&mut self, command: Command, key: Key) -> Effect {
        match command {
            Command::Run => return self.run_or_ask(),
            Command::Cancel => return self.cancel(),
            Command::Quit => return Effect::Quit,
            Command::SelectNext => self.selected = self.selected.moved(&self.spec, true),
            Command::SelectPrev => self.selected = self.selected.moved(&self.spec, false),
            Command::Increase => self.step(true),
            Command::Decrease => self.step(false),
            Command::Type => self.start_entry(key),
            Command::NextWorkload => {
                let next = settings::with_workload(&self.spec, self.spec.workload.next());
                self.try_set(next);
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
            Command::Export => return Effect::WriteReport,
            Command::Sweep => return self.open_sweep(),
            Command::SaveSweep | Command::CloseSweep => return self.on_sweep_command(command, key),
        }
        Effect::None
    }

    fn start_run(&mut self) -> Effect {
        if let Err(why) = self.spec.validate() {
            self.message = Some(why.to_string());
            return Effect::None;
        }
        self.run = Some(LiveRun::new(self.spec, self.machine.compute_lanes()));
        self.rows.push(Row {
            spec: self.spec,
            outcome: Outcome::Running,
        });
        Effect::StartRun(self.spec)
    }

    fn cancel(&mut self) -> Effect {
        match self.run.as_mut() {
            Some(run) if !run.finished => {
                run.cancelling = true;
                self.message = Some("cancelling…".to_string());
                Effect::Cancel
            }
            _ => Effect::None,
        }
    }

    fn step(&mut self, up: bool) {
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
    fn try_set(&mut self, next: RunSpec) {
        match next.validate() {
            Ok(()) => {
                self.spec = next;
                self.selected = self.selected.keep_shown(&next);
            }
            Err(why) => self.message = Some(format!("refused: {why}")),
        }
    }

    fn refuse(&mut self, binding: &Binding) -> Effect {
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

/// How a key is named in a message.
fn name_of(key: Key) -> String {
    match key {
        Key::Char(c) => format!("'{c}'"),
        Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
pub mod test_support;

#[cfg(test)]
mod tests;
