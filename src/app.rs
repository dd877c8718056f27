//! The live lab's state and how keys, samples and run events change it.
//!
//! No drawing, no terminal, no clock: the event loop in [`crate::tui`]
//! passes every event in (and the time, through [`App::advance`]) and
//! carries out the [`Effect`] a key asks for, so every change here is tested
//! with made-up events.

mod commands;
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
use crate::theme::ThemeName;
use explain::Explanations;
use keys::{Key, Lookup};
use presets::Preset;
use run::{LiveRun, Row, RunMsg, RunStatus};
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
    /// Whether the lanes share one time scale (`z` switches).
    pub lane_scale: LaneScale,
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
    /// Strong or weak, and the worker counts, for the next sweep.
    pub sweep_choice: sweep_view::SweepChoice,
    sweeps: Vec<FinishedSweep>,
    explanations: Explanations,
    /// Whether the last key was a `q` that asked before quitting.
    quit_asked: bool,
}

impl App {
    /// The lab on the seed demo, with the shipped presets and texts.
    pub fn new(machine: MachineInfo, theme: ThemeName, now: Instant) -> Result<Self, String> {
        let presets = presets::parse(presets::PRESETS_TOML, &machine)
            .map_err(|e| format!("assets/presets.toml: {e}"))?;
        let explanations = Explanations::parse(explain::EXPLANATIONS_TOML)?;
        Ok(Self {
            spec: RunSpec::SEED_DEMO,
            selected: Setting::Tasks,
            machine,
            theme,
            cores: Vec::new(),
            run: None,
            lane_scale: LaneScale::Shared,
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
            sweep_choice: sweep_view::SweepChoice::default(),
            sweeps: Vec::new(),
            explanations,
            quit_asked: false,
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
            RunMsg::Busy(warning) => {
                self.message = Some(warning);
                return Effect::None;
            }
            RunMsg::Event(event) => {
                run.on_event(event);
                return Effect::None;
            }
            RunMsg::Done(done) => done,
        };
        run.finished = true;
        let serial_done = run.parallel.as_ref().and(run.serial.as_ref());
        let outcome = match done {
            Ok(Some(report)) => RunStatus::Done(report),
            Ok(None) => {
                if self.message.as_deref() == Some(commands::CANCELLING) {
                    self.message = None;
                }
                RunStatus::Cancelled {
                    serial: serial_done.and_then(|s| s.wall),
                }
            }
            Err(why) => {
                self.message = Some(format!("the run failed: {why}"));
                RunStatus::Failed(why)
            }
        };
        let next_sweep_run = match &outcome {
            RunStatus::Done(report) => self.on_measured(report),
            _ => {
                self.on_unmeasured();
                None
            }
        };
        if let Some(row) = self
            .rows
            .iter_mut()
            .rev()
            .find(|r| matches!(r.status, RunStatus::Running))
        {
            row.status = outcome;
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
        let quit_asked = std::mem::take(&mut self.quit_asked);
        if key == Key::Ctrl('c') {
            return Effect::Quit;
        }
        if key == Key::Char('q') && self.entry.is_none() && self.teach.guess.is_none() {
            return self.quit(quit_asked);
        }
        if let Some(entry) = self.entry.take() {
            return self.on_entry_key(entry, key);
        }
        if let Some(guess) = self.teach.guess.take() {
            return self.on_guess_key(guess, key);
        }
        match self.view {
            View::Help => self.on_help_key(),
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
}

impl App {
    /// `q`: quits, but first asks once when the session holds results no
    /// report covers; `asked` says the previous key was that question.
    fn quit(&mut self, asked: bool) -> Effect {
        let unexported = self.unexported();
        if asked || unexported.is_empty() {
            return Effect::Quit;
        }
        self.quit_asked = true;
        self.view = match self.view {
            View::Help => View::Main,
            View::Sweep { .. } => View::Sweep { help: false },
            other => other,
        };
        let export = if self.is_running() || self.is_sweeping() {
            "Esc, then e exports them"
        } else {
            "e exports them"
        };
        self.message = Some(format!(
            "quit? {} not exported yet: q again quits, {export}",
            unexported.describe()
        ));
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
