//! The live lab as a state machine: one [`Mode`] says what has the
//! keyboard, three sub-states own their data ([`Lab`]: settings, run and
//! timing table; [`Teaching`]: lessons and guesses; [`Sweeps`]: the sweep on
//! screen and the finished ones), and [`App::update`] turns each [`Msg`]
//! into an [`Effect`] for the event loop.
//!
//! No drawing, no terminal, no clock, no files: the event loop in
//! [`crate::tui`] passes every event in (and the time, through
//! [`App::advance`]), carries out the effect with the payload it carries,
//! and sends what came of it back as a message. Every change here is
//! tested with made-up messages. This file holds all of `impl App`: the
//! sub-states answer for themselves and this file decides between them.

pub mod explain;
pub mod keys;
pub mod lab;
pub mod live_run;
pub mod occupancy;
pub mod presets;
pub mod selection;
pub mod settings;
pub mod sweeps;
pub mod teaching;

use crate::busy::{UsageSample, busy_warning};
use crate::config::RunSpec;
use crate::lesson::LessonSet;
use crate::machine::MachineInfo;
use crate::measure::RunResult;
use crate::output::session::SweepSection;
use crate::output::sweep_files::SweepFiles;
use crate::output::units::counted;
use crate::predict::Prediction;
use crate::sweep::{Scaling, SweepPlan, SweepResult, parse_worker_list};
use crate::theme::ThemeName;
use keys::{Binding, Command, Key, Lookup, SWEEP_KEYS};
use lab::{Lab, RunEnd};
use live_run::RunMsg;
use selection::{ListKey, Selection};
use settings::{Entry, Typed};
use std::path::PathBuf;
use std::time::Instant;
use sweeps::{FinishedSweep, SweepMsg, Sweeps};
use teaching::Teaching;
use teaching::guess::{GuessEntry, Guessed};

/// The screen under any overlay: the lab's panels, the presenter view or
/// the sweep view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The panels: settings, cores, lanes, timings.
    Main,
    /// Big figures and the lanes, for a class (`b`).
    Presenter,
    /// The sweep's chart and table, in place of the panels (`s`).
    Sweep,
}

/// What has the keyboard. Overlays remember the screen under them, so
/// closing one goes back where the user was.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// The lab's panels.
    Main,
    /// The presenter view.
    Presenter,
    /// The sweep view.
    Sweep,
    /// The help overlay, for the keys of the screen under it.
    Help {
        /// The screen under the help.
        under: Screen,
    },
    /// The presets popup.
    Presets {
        /// The highlighted preset.
        list: Selection,
        /// The screen under the popup.
        under: Screen,
    },
    /// The list of lessons.
    Lessons {
        /// The highlighted lesson.
        list: Selection,
        /// The screen under the list.
        under: Screen,
    },
    /// A value being typed into a setting.
    Typing {
        /// The setting and the text so far.
        entry: Entry,
        /// The screen it is typed on.
        under: Screen,
    },
    /// A guess being typed before a run.
    Guessing {
        /// What is guessed and the text so far.
        entry: GuessEntry,
        /// The screen it is typed on.
        under: Screen,
    },
}

impl Mode {
    /// The screen drawn under this mode.
    pub fn screen(&self) -> Screen {
        match self {
            Self::Main => Screen::Main,
            Self::Presenter => Screen::Presenter,
            Self::Sweep => Screen::Sweep,
            Self::Help { under }
            | Self::Presets { under, .. }
            | Self::Lessons { under, .. }
            | Self::Typing { under, .. }
            | Self::Guessing { under, .. } => *under,
        }
    }

    /// The mode that shows `screen` with nothing on top.
    fn of(screen: Screen) -> Self {
        match screen {
            Screen::Main => Self::Main,
            Screen::Presenter => Self::Presenter,
            Screen::Sweep => Self::Sweep,
        }
    }
}

/// Everything that reaches the lab: input, measurements, and what came of
/// an effect.
#[derive(Clone)]
pub enum Msg {
    /// A key press.
    Key(Key),
    /// Per-CPU usage from the sampler, in percent.
    Sample(Vec<f32>),
    /// Progress or the end of a run.
    Run(RunMsg),
    /// Progress or the end of a sweep.
    Sweep(SweepMsg),
    /// The lab is about to stop (Ctrl-Z).
    Suspend,
    /// [`Effect::SaveSweep`] was carried out: where the files went, or why
    /// they could not be written.
    SweepSaved {
        /// The sweep, as [`Effect::SaveSweep`] named it.
        index: usize,
        /// The files, or the one-line reason.
        saved: Result<SweepFiles, String>,
    },
    /// [`Effect::WriteReport`] was carried out: the report's path, or why
    /// it could not be written.
    ReportWritten(Result<PathBuf, String>),
}

/// What the event loop must do after a message; each effect carries what
/// it needs, so the loop never reads the app back.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Nothing beyond redrawing.
    None,
    /// Start a run with these settings on a new thread.
    StartRun(RunSpec),
    /// Start measuring this sweep on a new thread.
    StartSweep(SweepPlan),
    /// Set the running run's (or sweep's) cancel flag.
    Cancel,
    /// Leave: cancel any run, wait for its thread, restore the terminal.
    Quit,
    /// Write this sweep's chart and table to the current folder and answer
    /// with [`Msg::SweepSaved`].
    SaveSweep {
        /// Which finished sweep it is, for the answer.
        index: usize,
        /// What to write.
        report: Box<SweepResult>,
    },
    /// Write the session report (and the files of every sweep not saved
    /// yet) into the current folder and answer with [`Msg::ReportWritten`].
    WriteReport(Box<ReportRequest>),
}

/// A copy of everything the session report covers.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRequest {
    /// The machine every run used.
    pub machine: MachineInfo,
    /// Every run measured in full, oldest first.
    pub runs: Vec<RunResult>,
    /// Every guess, oldest first.
    pub predictions: Vec<Prediction>,
    /// Every finished sweep, oldest first (its position is its index for
    /// [`Msg::SweepSaved`]), with its files if already saved.
    pub sweeps: Vec<FinishedSweep>,
}

impl ReportRequest {
    /// The sweeps as sections of the report: title, table and, once saved,
    /// the chart's file name (it lies beside the report, in the same
    /// folder).
    pub fn sweep_sections(&self) -> Vec<SweepSection> {
        self.sweeps
            .iter()
            .map(|done| {
                let chart = done.files.as_ref().and_then(|f| f.svg.file_name());
                let chart = chart.map(|name| name.to_string_lossy().into_owned());
                SweepSection::of(&done.report, chart)
            })
            .collect()
    }
}

/// What a sub-state asks of the message line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// Leave it as it is.
    Keep,
    /// The cancel asked for has arrived: the [`CANCELLING`] note goes,
    /// and only it.
    CancelDone,
    /// Show this.
    Show(String),
}

/// The note while a cancel is on its way.
const CANCELLING: &str = "cancelling…";

/// Everything the screen shows.
pub struct App {
    /// What has the keyboard.
    pub mode: Mode,
    /// The settings, the run on screen and the timing table.
    pub lab: Lab,
    /// Lessons, guesses and the runs the report covers.
    pub teaching: Teaching,
    /// The sweep on screen and the finished sweeps.
    pub sweeps: Sweeps,
    /// The machine's CPU facts.
    pub machine: MachineInfo,
    /// The colour theme.
    pub theme: ThemeName,
    /// Latest usage of each logical CPU, in percent; empty before the
    /// first sample.
    pub cores: Vec<f32>,
    /// A one-line note (a refusal, a confirmation) until the next key.
    pub message: Option<String>,
    /// The current time, as the event loop last set it.
    pub now: Instant,
    /// Samples since the last run or sweep started: the first after it
    /// ends still covers some of it, so only the second and later show
    /// what other programs do.
    quiet_samples: usize,
    /// Whether the last key was a `q` that asked before quitting.
    quit_asked: bool,
}

impl App {
    /// The lab on the seed demo, with the shipped presets, texts and
    /// lessons.
    pub fn new(machine: MachineInfo, theme: ThemeName, now: Instant) -> Result<Self, String> {
        Ok(Self {
            mode: Mode::Main,
            lab: Lab::new(&machine)?,
            teaching: Teaching::new(LessonSet::shipped()),
            sweeps: Sweeps::default(),
            machine,
            theme,
            cores: Vec::new(),
            message: None,
            now,
            // Nothing has run yet, so the first sample already counts.
            quiet_samples: 1,
            quit_asked: false,
        })
    }

    /// The lab with another set of lessons (the shipped ones plus a
    /// teacher's folder); the problems of that set show in the lesson list.
    pub fn with_lessons(mut self, lessons: LessonSet) -> Self {
        self.teaching.lessons = lessons;
        self
    }

    /// Whether a run is going (its thread has not reported the end).
    pub fn is_running(&self) -> bool {
        self.lab.is_running()
    }

    /// Whether a sweep is being measured.
    pub fn is_sweeping(&self) -> bool {
        self.sweeps.is_running()
    }

    /// The guess being typed, if the lab is asking for one.
    pub fn guess(&self) -> Option<&GuessEntry> {
        match &self.mode {
            Mode::Guessing { entry, .. } => Some(entry),
            _ => None,
        }
    }

    /// The value being typed into a setting, if any.
    pub fn typing(&self) -> Option<&Entry> {
        match &self.mode {
            Mode::Typing { entry, .. } => Some(entry),
            _ => None,
        }
    }

    /// The text of `step` before its run, chosen by what this machine
    /// shows.
    pub fn step_text(&self, step: &crate::lesson::Step) -> String {
        let spec = step.settings.spec(&self.machine);
        step.text
            .render(&crate::lesson::before_facts(&spec, &self.machine, false))
    }

    /// The explanation line: what is going on, or what the last run showed.
    pub fn explanation(&self) -> String {
        self.lab.explanation(&self.machine)
    }

    /// Moves the clock the lanes and live timings are drawn at.
    pub fn advance(&mut self, now: Instant) {
        self.now = now;
    }

    /// Takes one message in; the effect is for the event loop.
    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Sample(usage) => {
                self.on_sample(usage);
                Effect::None
            }
            Msg::Run(msg) => self.on_run(msg),
            Msg::Sweep(msg) => {
                self.on_sweep(msg);
                Effect::None
            }
            Msg::Suspend => self.on_suspend(),
            Msg::SweepSaved { index, saved } => {
                self.message = Some(self.sweeps.saved(index, saved));
                Effect::None
            }
            Msg::ReportWritten(written) => {
                self.on_report_written(written);
                Effect::None
            }
        }
    }

    /// New per-CPU usage from the sampler.
    pub fn on_sample(&mut self, usage: Vec<f32>) {
        self.quiet_samples = if self.is_running() || self.is_sweeping() {
            0
        } else {
            self.quiet_samples.saturating_add(1)
        };
        self.cores = usage;
    }

    /// A message from the run thread; the effect starts the next run of a
    /// lesson's sweep step.
    pub fn on_run(&mut self, msg: RunMsg) -> Effect {
        match self.lab.update(msg) {
            Some(RunEnd::Measured(report)) => {
                if let Some(workers) = self.teaching.on_measured(&report, &self.machine) {
                    self.lab.spec.workers = workers;
                    return self.start_run();
                }
            }
            Some(RunEnd::Unmeasured { note: None }) => {
                if self.message.as_deref() == Some(CANCELLING) {
                    self.message = None;
                }
                self.on_unmeasured();
            }
            Some(RunEnd::Unmeasured { note }) => {
                self.message = note;
                self.on_unmeasured();
            }
            None => {}
        }
        Effect::None
    }

    /// A run ended unmeasured: its guess is not scored, a sweep step stops.
    fn on_unmeasured(&mut self) {
        {
            let dropped = self.teaching.on_unmeasured(&mut self.lab.spec);
            if dropped && self.message.is_none() {
                self.message = Some("cancelled: the guess is not scored".to_string());
            }
        }
    }

    /// A message from the sweep thread.
    pub fn on_sweep(&mut self, msg: SweepMsg) {
        match self.sweeps.update(msg) {
            Note::Keep => {}
            Note::CancelDone => {
                if self.message.as_deref() == Some(CANCELLING) {
                    self.message = None;
                }
            }
            Note::Show(note) => self.message = Some(note),
        }
    }

    /// A key press; the returned effect is for the event loop to carry out.
    pub fn on_key(&mut self, key: Key) -> Effect {
        self.message = None;
        let quit_asked = std::mem::take(&mut self.quit_asked);
        if key == Key::Ctrl('c') {
            return Effect::Quit;
        }
        let typing = matches!(self.mode, Mode::Typing { .. } | Mode::Guessing { .. });
        if key == Key::Char('q') && !typing {
            return self.quit(quit_asked);
        }
        match self.mode.clone() {
            Mode::Typing { entry, under } => self.on_typing_key(entry, under, key),
            Mode::Guessing { entry, under } => self.on_guess_key(entry, under, key),
            Mode::Help { under } => {
                self.mode = Mode::of(under);
                Effect::None
            }
            Mode::Presets { list, under } => self.on_presets_key(list, under, key),
            Mode::Lessons { list, under } => self.on_lessons_key(list, under, key),
            Mode::Sweep => self.on_sweep_key(key),
            Mode::Main | Mode::Presenter => self.on_main_key(key),
        }
    }

    /// `q`: quits, but first asks once when the session holds results no
    /// report covers; `asked` says the previous key was that question.
    fn quit(&mut self, asked: bool) -> Effect {
        let unexported = self.unexported();
        if asked || unexported.is_empty() {
            return Effect::Quit;
        }
        self.quit_asked = true;
        if let Mode::Help { under } = self.mode {
            self.mode = Mode::of(under);
        }
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

    /// What the session holds that no report has covered yet: runs
    /// measured in full, guesses and finished sweeps.
    pub fn unexported(&self) -> teaching::Unexported {
        let seen = self.teaching.exported;
        teaching::Unexported {
            runs: self.teaching.runs.len().saturating_sub(seen.runs),
            guesses: self.teaching.predictions.len().saturating_sub(seen.guesses),
            sweeps: self
                .sweeps
                .finished
                .iter()
                .filter(|s| s.files.is_none())
                .count(),
        }
    }

    /// The lab is about to stop (Ctrl-Z): a run or sweep going would count
    /// the stopped time as work, so it is cancelled, and the note says why.
    fn on_suspend(&mut self) -> Effect {
        let effect = if self.is_running() {
            self.cancel_run()
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

    /// A key on the lab's panels or the presenter view.
    fn on_main_key(&mut self, key: Key) -> Effect {
        match keys::lookup(key, self.is_running()) {
            Lookup::Do(command) => self.on_command(command, key),
            Lookup::Refused(binding) => self.refuse(binding),
            Lookup::Unknown => {
                self.message = Some(format!(
                    "{} does nothing here: ? lists the keys",
                    name_of(key)
                ));
                Effect::None
            }
        }
    }

    /// What each command of the main key table does.
    fn on_command(&mut self, command: Command, key: Key) -> Effect {
        let under = self.mode.screen();
        match command {
            Command::Run => return self.run_or_ask(),
            Command::Cancel => return self.cancel_run(),
            Command::Quit => return self.quit(false),
            Command::Back => self.back(),
            Command::SelectNext => self.lab.select(true),
            Command::SelectPrev => self.lab.select(false),
            Command::Increase => self.message = self.lab.step(true),
            Command::Decrease => self.message = self.lab.step(false),
            Command::Type => match Entry::start(self.lab.selected, key) {
                Ok(entry) => self.mode = Mode::Typing { entry, under },
                Err(why) => self.message = Some(why),
            },
            Command::NextWorkload => self.message = self.lab.next_workload(),
            Command::NextSchedule => self.message = Some(self.lab.next_schedule()),
            Command::Presets => {
                let list = Selection::at(self.lab.current_preset());
                self.mode = Mode::Presets { list, under };
            }
            Command::Help => self.mode = Mode::Help { under },
            Command::Clear => {
                self.lab.rows.clear();
                self.message = Some("timing table cleared".to_string());
            }
            Command::Theme => {
                self.theme = self.theme.next();
                self.message = Some(format!("theme: {}", self.theme.name()));
            }
            Command::Lessons => {
                let list = Selection::at(self.teaching.current_lesson());
                self.mode = Mode::Lessons { list, under };
            }
            Command::NextStep => self.step_lesson(true),
            Command::PrevStep => self.step_lesson(false),
            Command::Predict => self.message = Some(self.teaching.toggle_predict()),
            Command::Presenter => self.toggle_presenter(),
            Command::LaneScale => self.message = Some(self.lab.toggle_lane_scale()),
            Command::Export => return Effect::WriteReport(Box::new(self.report_request())),
            Command::Sweep => return self.open_sweep(),
            Command::SaveSweep | Command::CloseSweep | Command::SweepScaling => {
                return self.on_sweep_command(command, key);
            }
        }
        Effect::None
    }

    /// Starts a run of the current settings, naming a busy machine from
    /// the sampler's latest quiet reading; a refused run says why.
    fn start_run(&mut self) -> Effect {
        match self.lab.start_run(self.machine.compute_lanes()) {
            Ok(spec) => {
                if let Some(warning) = self.busy_warning() {
                    self.message = Some(warning);
                }
                self.quiet_samples = 0;
                Effect::StartRun(spec)
            }
            Err(why) => {
                self.message = Some(why);
                Effect::None
            }
        }
    }

    /// Whether other programs kept the CPUs busy before the run, from the
    /// newest sample that covers no run of ours: no second sampler and no
    /// wait before the run starts.
    fn busy_warning(&self) -> Option<String> {
        if self.quiet_samples < 2 || self.cores.is_empty() {
            return None;
        }
        let sample = UsageSample {
            per_cpu: self.cores.iter().map(|u| f64::from(*u) / 100.0).collect(),
            window: crate::sampler::INTERVAL,
        };
        busy_warning(&sample)
    }

    fn cancel_run(&mut self) -> Effect {
        if !self.lab.cancel() {
            return Effect::None;
        }
        self.message = Some(CANCELLING.to_string());
        Effect::Cancel
    }

    fn cancel_sweep(&mut self) -> Effect {
        if !self.sweeps.cancel() {
            return Effect::None;
        }
        self.message = Some(CANCELLING.to_string());
        Effect::Cancel
    }

    /// Esc in the idle main view: leaves the presenter view, then the
    /// lesson. It never quits: one Esc too many after leaving a lesson
    /// must not end a session that holds runs.
    fn back(&mut self) {
        if self.mode.screen() == Screen::Presenter {
            self.toggle_presenter();
        } else if self.teaching.lesson.is_some() {
            self.message = Some(self.teaching.leave_lesson());
        } else {
            self.message = Some("nothing to leave here: q quits".to_string());
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

    /// A key while a value is typed.
    fn on_typing_key(&mut self, mut entry: Entry, under: Screen, key: Key) -> Effect {
        match entry.on_key(key, &self.lab.spec) {
            Typed::Editing(note) => {
                self.message = note;
                self.mode = Mode::Typing { entry, under };
            }
            Typed::Kept(next) => {
                self.lab.spec = next;
                self.mode = Mode::of(under);
            }
            Typed::Dropped => self.mode = Mode::of(under),
        }
        Effect::None
    }

    /// Arrows move through the presets, Enter or a number loads one, Esc
    /// or `p` closes.
    fn on_presets_key(&mut self, mut list: Selection, under: Screen, key: Key) -> Effect {
        self.mode = Mode::Presets { list, under };
        let pick = match key {
            Key::Char(c @ '1'..='9') => Some(c as usize - '1' as usize),
            Key::Char('p') => {
                self.mode = Mode::of(under);
                None
            }
            _ => match list.on_key(key, self.lab.presets.len()) {
                ListKey::Moved => {
                    self.mode = Mode::Presets { list, under };
                    None
                }
                ListKey::Chosen(index) => Some(index),
                ListKey::Closed => {
                    self.mode = Mode::of(under);
                    None
                }
                ListKey::Other => {
                    self.message = Some("↑↓ choose, Enter loads, Esc closes".to_string());
                    None
                }
            },
        };
        if let Some(note) = pick.and_then(|index| self.lab.load_preset(index)) {
            self.message = Some(note);
            self.mode = Mode::of(under);
        }
        Effect::None
    }

    /// Arrows move through the lessons, Enter starts one, Esc or `L`
    /// closes.
    fn on_lessons_key(&mut self, mut list: Selection, under: Screen, key: Key) -> Effect {
        self.mode = Mode::Lessons { list, under };
        match key {
            Key::Right => self.start_lesson(list.index, under),
            Key::Char('L') => self.mode = Mode::of(under),
            _ => match list.on_key(key, self.teaching.lessons.lessons.len()) {
                ListKey::Moved => self.mode = Mode::Lessons { list, under },
                ListKey::Chosen(index) => self.start_lesson(index, under),
                ListKey::Closed => self.mode = Mode::of(under),
                ListKey::Other => {
                    self.message = Some("↑↓ choose, Enter starts, Esc closes".to_string());
                }
            },
        }
        Effect::None
    }

    fn start_lesson(&mut self, index: usize, under: Screen) {
        match self.teaching.start_lesson(index) {
            Ok(()) => {
                self.mode = Mode::of(under);
                self.enter_step(0);
            }
            Err(why) => self.message = Some(why),
        }
    }

    /// Shows step `step` of the lesson and loads its settings into the lab.
    fn enter_step(&mut self, step: usize) {
        if let Mode::Guessing { under, .. } = self.mode {
            self.mode = Mode::of(under);
        }
        match self.teaching.enter_step(step, &self.machine) {
            Some(Ok(spec)) => self.lab.load(spec),
            Some(Err(why)) => self.message = Some(why),
            None => {}
        }
    }

    /// `n` (`forward`) or `N`: the next or the previous step.
    fn step_lesson(&mut self, forward: bool) {
        match self.teaching.step_lesson(forward) {
            Ok(step) => self.enter_step(step),
            Err(why) => self.message = Some(why),
        }
    }

    /// `r`: asks for a guess first in a lesson or with `g` on, else runs.
    fn run_or_ask(&mut self) -> Effect {
        if !self.teaching.asks_first() {
            return self.begin_run();
        }
        if let Err(why) = self.lab.spec.validate() {
            self.message = Some(why.to_string());
            return Effect::None;
        }
        self.mode = Mode::Guessing {
            entry: self.teaching.new_guess(),
            under: self.mode.screen(),
        };
        Effect::None
    }

    /// Starts the run of the current settings (a sweep step's first run);
    /// a refused run drops the guess made for it.
    fn begin_run(&mut self) -> Effect {
        self.teaching.judged = None;
        self.teaching
            .prepare_lesson_run(&mut self.lab.spec, &self.machine);
        let effect = self.start_run();
        if effect == Effect::None {
            self.teaching.pending = None;
        }
        effect
    }

    /// A key while a guess is typed.
    fn on_guess_key(&mut self, mut entry: GuessEntry, under: Screen, key: Key) -> Effect {
        self.mode = Mode::of(under);
        match entry.on_key(key) {
            Guessed::Editing(note) => {
                self.message = note;
                self.mode = Mode::Guessing { entry, under };
                Effect::None
            }
            Guessed::Dropped => {
                self.message = Some("no guess, no run: r asks again".to_string());
                Effect::None
            }
            Guessed::RunWithout => {
                self.message = Some("running without a guess".to_string());
                self.begin_run()
            }
            Guessed::Run(guess) => {
                self.teaching
                    .keep_guess(entry.quantity, guess, &self.lab.spec);
                self.begin_run()
            }
        }
    }

    /// `b`: the presenter view on or off.
    fn toggle_presenter(&mut self) {
        let (mode, note) = match self.mode.screen() {
            Screen::Presenter => (Mode::Main, "back to the lab"),
            _ => (
                Mode::Presenter,
                "presenter view: b (or Esc) returns to the lab",
            ),
        };
        self.mode = mode;
        self.message = Some(note.to_string());
    }

    /// What the session report covers, copied for the event loop.
    fn report_request(&self) -> ReportRequest {
        ReportRequest {
            machine: self.machine.clone(),
            runs: self.teaching.runs.clone(),
            predictions: self.teaching.predictions.clone(),
            sweeps: self.sweeps.finished.clone(),
        }
    }

    /// The event loop wrote the report (or could not): say where it went.
    fn on_report_written(&mut self, written: Result<PathBuf, String>) {
        self.message = Some(match written {
            Ok(path) => {
                self.teaching.mark_exported();
                let guesses = match self.teaching.predictions.len() {
                    1 => "1 guess".to_string(),
                    n => format!("{n} guesses"),
                };
                format!(
                    "report written: {} ({}, {guesses})",
                    path.display(),
                    counted(self.teaching.runs.len(), "run"),
                )
            }
            Err(why) => format!("no report: {why}"),
        });
    }

    /// Opens the sweep view for the current settings, if they pass the
    /// same checks as `parlab sweep`.
    fn open_sweep(&mut self) -> Effect {
        match self.sweeps.open(&self.lab.spec, &self.machine) {
            Ok(plan) => {
                self.mode = Mode::Sweep;
                self.quiet_samples = 0;
                Effect::StartSweep(plan)
            }
            Err(why) => {
                self.message = Some(why);
                Effect::None
            }
        }
    }

    /// A key in the sweep view, read from [`SWEEP_KEYS`]: keys that would
    /// disturb a sweep wait until it ends.
    fn on_sweep_key(&mut self, key: Key) -> Effect {
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
    fn on_sweep_command(&mut self, command: Command, key: Key) -> Effect {
        match command {
            Command::Cancel => self.cancel_sweep(),
            Command::CloseSweep => {
                self.mode = Mode::Main;
                self.sweeps.close();
                Effect::None
            }
            Command::SaveSweep => match self.sweeps.on_screen() {
                Some((index, report)) => Effect::SaveSweep {
                    index,
                    report: Box::new(report.clone()),
                },
                None => {
                    self.message = Some(
                        "nothing to export: the sweep did not finish; s measures it again".into(),
                    );
                    Effect::None
                }
            },
            Command::Sweep => self.open_sweep(),
            Command::SweepScaling => {
                let choice = &mut self.sweeps.choice;
                choice.scaling = match choice.scaling {
                    Scaling::Strong => Scaling::Weak,
                    Scaling::Weak => Scaling::Strong,
                };
                self.message = Some(match choice.scaling {
                    Scaling::Weak => format!(
                        "weak scaling: {} tasks per worker, so the ideal time stays flat",
                        self.lab.spec.tasks
                    ),
                    Scaling::Strong => {
                        "strong scaling: the same tasks at every worker count".into()
                    }
                });
                self.open_sweep()
            }
            Command::Type => {
                if let (Some(sweep), Key::Char(c)) = (self.sweeps.current.as_mut(), key) {
                    sweep.typing = Some(c.to_string());
                }
                Effect::None
            }
            Command::Help => {
                self.mode = Mode::Help {
                    under: Screen::Sweep,
                };
                Effect::None
            }
            other => self.on_command(other, key),
        }
    }

    /// A key while a worker list is typed in the sweep view: digits, `,`
    /// and `.` add to it, Backspace takes back, Enter measures it (if it
    /// parses as on the command line), Esc drops it. `None` when nothing is
    /// being typed.
    fn on_worker_typing(&mut self, key: Key) -> Option<Effect> {
        let text = self.sweeps.current.as_mut()?.typing.as_mut()?;
        match key {
            Key::Char(c) if (c.is_ascii_digit() || c == ',' || c == '.') && text.len() < 40 => {
                text.push(c);
            }
            Key::Backspace => {
                text.pop();
            }
            Key::Esc => self.sweeps.current.as_mut()?.typing = None,
            Key::Enter => {
                let typed = self.sweeps.current.as_mut()?.typing.take()?;
                return Some(match parse_worker_list(&typed) {
                    Ok(counts) => {
                        self.sweeps.choice.workers = Some(counts);
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
