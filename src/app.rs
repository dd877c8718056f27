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

pub mod check;
pub mod explain;
pub mod keys;
pub mod lab;
pub mod live_run;
pub mod message;
pub mod mouse;
pub mod occupancy;
pub mod presets;
pub mod selection;
pub mod settings;
pub mod sweeps;
pub mod teaching;

use crate::busy::UsageSample;
use crate::cycle::Cycle;
use crate::lesson::LessonSet;
use crate::machine::MachineInfo;
use crate::measure::Rounds;
use crate::sweep::SweepPlan;
use crate::theme::ThemeName;
use crate::units::counted;
use keys::{Binding, Command, Key, Lookup, SWEEP_KEYS};
use lab::{Lab, RunEnd};
use live_run::RunMsg;
pub use message::{Effect, Msg, ReportRequest};
use selection::{Popup, Selection};
use settings::{Entry, Typed};
use std::path::PathBuf;
use std::time::Instant;
use sweeps::{Note, SweepMsg, Sweeps, WorkerTyping};
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
    /// The quick check's table, in place of the panels (`k`).
    Check,
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
    /// The check view.
    Check,
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
            Self::Check => Screen::Check,
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
            Screen::Check => Self::Check,
        }
    }
}

/// The note while a cancel is on its way.
const CANCELLING: &str = "cancelling…";

/// The smallest window the lab draws its panels in; below it the screen
/// only asks for room, and only the keys it names act.
pub const MIN_WINDOW: (u16, u16) = (80, 24);

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
    /// The quick check on screen.
    pub check: check::Check,
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
    /// The window's columns and rows, once the event loop said.
    window: Option<(u16, u16)>,
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
            check: check::Check::default(),
            machine,
            theme,
            cores: Vec::new(),
            message: None,
            now,
            // Nothing has run yet, so the first sample already counts.
            quiet_samples: 1,
            quit_asked: false,
            window: None,
        })
    }

    /// The lab with another set of lessons (the shipped ones plus a
    /// teacher's folder); the problems of that set show in the lesson list.
    pub fn with_lessons(mut self, lessons: LessonSet) -> Self {
        self.teaching.paths = crate::lesson::path::class_paths(&lessons).0;
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
            Msg::Mouse(mouse) => self.on_mouse(mouse),
            Msg::Sample(usage) => {
                self.on_sample(usage);
                Effect::None
            }
            Msg::Run(msg) => self.on_run(msg),
            Msg::Sweep(msg) => {
                self.on_sweep(msg);
                Effect::None
            }
            Msg::Check(msg) => {
                self.check.update(msg);
                if self.message.as_deref() == Some(CANCELLING) && !self.check.is_running() {
                    self.message = None;
                }
                Effect::None
            }
            Msg::Suspend => self.on_suspend(),
            Msg::Resized { width, height } => {
                self.window = Some((width, height));
                Effect::None
            }
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
        self.quiet_samples = if self.is_running() || self.is_sweeping() || self.check.is_running() {
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
            Some(RunEnd::Measured(report, facts)) => {
                self.teaching.text_page = 0;
                self.teaching
                    .on_measured(&report, &facts, self.lab.run.clone())
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
        let dropped = self.teaching.on_unmeasured();
        if dropped && self.message.is_none() {
            self.message = Some("cancelled: the guess is not scored".to_string());
        }
    }

    /// A message from the sweep thread.
    pub fn on_sweep(&mut self, msg: SweepMsg) {
        let ended = matches!(msg, SweepMsg::Done(_));
        let note = self.sweeps.update(msg);
        if ended && self.teaching.awaits_sweep() {
            match self.sweeps.on_screen() {
                Some((_, report)) => {
                    let report = report.clone();
                    self.teaching.on_swept(&report);
                }
                None => self.on_unmeasured(),
            }
        }
        match note {
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
        if self.too_small() {
            return self.on_too_small_key(key, quit_asked);
        }
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
            Mode::Presets { mut list, under } => {
                let popup = self.lab.on_presets_key(&mut list, key);
                self.on_popup(popup, Mode::Presets { list, under }, under)
            }
            Mode::Lessons { mut list, under } => {
                let popup = self.teaching.on_lessons_key(&mut list, key);
                self.on_popup(popup, Mode::Lessons { list, under }, under)
            }
            Mode::Sweep => self.on_sweep_key(key),
            Mode::Check => self.on_check_key(key),
            Mode::Main | Mode::Presenter => self.on_main_key(key),
        }
    }

    /// A click acts as the key it stands for would: on a setting it
    /// selects it (refused while a run goes, as ↑ ↓ are), on a lesson of
    /// the list it starts it, on the key bar it presses the key. The wheel
    /// pages the lesson text, as Space does.
    pub fn on_mouse(&mut self, mouse: mouse::Mouse) -> Effect {
        use mouse::{Mouse, Target};
        match (mouse, self.mode.clone()) {
            (Mouse::Click(Target::Key(key)), _) => self.on_key(key),
            (Mouse::Click(Target::Setting(setting)), Mode::Main) => {
                if self.is_running() {
                    self.message = Some("settings are locked while the run goes".to_string());
                } else {
                    self.message = None;
                    self.lab.selected = setting;
                }
                Effect::None
            }
            (Mouse::Click(Target::Lesson(index)), Mode::Lessons { under, .. }) => {
                self.message = None;
                self.start_lesson(index, under);
                Effect::None
            }
            (Mouse::WheelDown, Mode::Main) if self.teaching.lesson.is_some() => {
                self.teaching.text_page = self.teaching.text_page.wrapping_add(1);
                Effect::None
            }
            (Mouse::WheelUp, Mode::Main) if self.teaching.lesson.is_some() => {
                self.teaching.text_page = self.teaching.text_page.saturating_sub(1);
                Effect::None
            }
            _ => Effect::None,
        }
    }

    /// The window's columns and rows, once the event loop said.
    pub fn window(&self) -> Option<(u16, u16)> {
        self.window
    }

    /// Whether the window is below [`MIN_WINDOW`], so the screen shows
    /// only the request for room.
    pub fn too_small(&self) -> bool {
        self.window
            .is_some_and(|(w, h)| w < MIN_WINDOW.0 || h < MIN_WINDOW.1)
    }

    /// A key while the window is too small: the screen names only `q` and
    /// Esc, so nothing else may change what the user cannot see.
    fn on_too_small_key(&mut self, key: Key, quit_asked: bool) -> Effect {
        match key {
            Key::Char('q') => self.quit(quit_asked),
            // The quit prompt offers `e` at any size: it exports as it
            // would in the full view.
            Key::Char('e') if quit_asked => match self.mode {
                Mode::Sweep => self.on_sweep_key(key),
                Mode::Main | Mode::Presenter => self.on_main_key(key),
                _ => Effect::None,
            },
            Key::Esc if self.is_running() => self.cancel_run(),
            Key::Esc if self.is_sweeping() => self.cancel_sweep(),
            Key::Esc if self.check.is_running() => self.on_check_key(key),
            _ => Effect::None,
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
            Command::NextPool => self.message = Some(self.lab.next_pool()),
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
                self.teaching.problems_from = 0;
                self.mode = Mode::Lessons { list, under };
            }
            Command::NextStep => self.step_lesson(true),
            Command::PrevStep => self.step_lesson(false),
            Command::Predict => self.message = Some(self.teaching.toggle_predict()),
            Command::Presenter => self.toggle_presenter(),
            Command::LaneScale => self.message = Some(self.lab.toggle_lane_scale()),
            Command::Repeat => self.message = Some(self.lab.next_repeat()),
            Command::MoreText => match self.teaching.lesson {
                Some(_) => self.teaching.text_page = self.teaching.text_page.wrapping_add(1),
                None => {
                    self.message =
                        Some("Space pages a lesson's text: L opens the lessons".to_string())
                }
            },
            Command::Export => return Effect::WriteReport(Box::new(self.report_request())),
            Command::Sweep => return self.open_sweep(),
            Command::SaveSweep | Command::CloseSweep | Command::SweepScaling => {
                return self.on_sweep_command(command, key);
            }
            Command::Check => return self.start_check(),
            Command::CloseCheck => self.mode = Mode::Main,
        }
        Effect::None
    }

    /// Starts a run of the current settings, naming a busy machine from
    /// the sampler's latest quiet reading; a refused run says why.
    fn start_run(&mut self) -> Effect {
        match self.lab.start_run(&self.machine) {
            Ok(spec) => {
                let busy = self.busy_warning();
                if let Some(busy) = &busy {
                    self.message = Some(busy.warning.clone());
                }
                self.quiet_samples = 0;
                let step = self.teaching.step_rounds(&spec, &self.machine);
                let lab = self.lab.rounds();
                let rounds = Rounds {
                    repeat: step.repeat.max(lab.repeat),
                    warmup: step.warmup.max(lab.warmup),
                };
                Effect::StartRun(spec, rounds, busy)
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
    fn busy_warning(&self) -> Option<crate::busy::Busy> {
        if self.quiet_samples < 2 || self.cores.is_empty() {
            return None;
        }
        let sample = UsageSample {
            per_cpu: self.cores.iter().map(|u| f64::from(*u) / 100.0).collect(),
            window: crate::sampler::INTERVAL,
        };
        crate::busy::busy_of(&sample, "R repeats each side, median shown")
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

    /// What a popup list's owner made of a key: the popup stays as
    /// `open`, or closes back to `under`, or a chosen lesson starts.
    fn on_popup(&mut self, popup: Popup, open: Mode, under: Screen) -> Effect {
        match popup {
            Popup::Open(note) => {
                self.mode = open;
                self.message = note;
            }
            Popup::Closed(note) => {
                self.mode = Mode::of(under);
                self.message = note;
            }
            Popup::Chosen(index) => {
                self.mode = open;
                self.start_lesson(index, under);
            }
        }
        Effect::None
    }

    fn start_lesson(&mut self, index: usize, under: Screen) {
        match self.teaching.start_lesson(index) {
            Ok(step) => {
                self.mode = Mode::of(under);
                self.enter_step(step);
            }
            Err(why) => self.message = Some(why),
        }
    }

    /// Shows step `step` of the lesson and loads its settings into the lab.
    fn enter_step(&mut self, step: usize) {
        if let Mode::Guessing { under, .. } = self.mode {
            self.mode = Mode::of(under);
        }
        self.teaching.text_page = 0;
        match self.teaching.enter_step(step, &self.machine) {
            Some(Ok(spec)) => self.lab.load(spec),
            Some(Err(why)) => self.message = Some(why),
            None => return,
        }
        if !self.lab.is_running() {
            self.lab.run = self.teaching.step_run().cloned();
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
            entry: self.teaching.new_guess(crate::measure::parallel_estimate(
                &self.lab.spec,
                self.lab.spec.workers,
                self.machine.compute_lanes(),
            )),
            under: self.mode.screen(),
        };
        Effect::None
    }

    /// Starts the run of the current settings (a sweep step's first run);
    /// a refused run drops the guess made for it.
    fn begin_run(&mut self) -> Effect {
        self.teaching.judged = None;
        let sweep = self
            .teaching
            .prepare_lesson_run(&self.lab.spec, &self.machine);
        if let Some(plan) = sweep {
            return self.begin_lesson_sweep(plan);
        }
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

    /// A lesson's sweep step: its sweep on the engine of `parlab sweep`,
    /// shown in the sweep view; a refused plan drops the guess.
    fn begin_lesson_sweep(&mut self, plan: SweepPlan) -> Effect {
        match self.sweeps.open_plan(plan, &self.machine) {
            Ok(plan) => {
                let busy = self.busy_warning();
                self.mode = Mode::Sweep;
                self.quiet_samples = 0;
                self.message =
                    Some("the lesson's sweep: Esc returns to the lesson when it ends".to_string());
                Effect::StartSweep(plan, busy)
            }
            Err(why) => {
                self.message = Some(why);
                self.teaching.pending = None;
                self.teaching.on_unmeasured();
                Effect::None
            }
        }
    }

    /// Opens the sweep view for the current settings, if they pass the
    /// same checks as `parlab sweep`.
    fn open_sweep(&mut self) -> Effect {
        match self.sweeps.open(&self.lab.spec, &self.machine) {
            Ok(plan) => {
                let busy = self.busy_warning();
                self.mode = Mode::Sweep;
                self.quiet_samples = 0;
                if let Some(busy) = &busy {
                    self.message = Some(busy.warning.clone());
                }
                Effect::StartSweep(plan, busy)
            }
            Err(why) => {
                self.message = Some(why);
                Effect::None
            }
        }
    }

    /// `k`: opens the check view and measures the quick check, naming a
    /// busy machine as a run does.
    fn start_check(&mut self) -> Effect {
        let busy = self.busy_warning();
        self.mode = Mode::Check;
        self.check = check::Check::Running(None);
        self.quiet_samples = 0;
        self.message = busy.as_ref().map(|b| b.warning.clone());
        Effect::StartCheck(check::LAB_BUDGET, busy)
    }

    /// A key in the check view, read from [`keys::CHECK_KEYS`]: Esc cancels
    /// a check going or goes back, `k` measures again.
    fn on_check_key(&mut self, key: Key) -> Effect {
        let checking = self.check.is_running();
        match keys::lookup_in(&keys::CHECK_KEYS, key, checking) {
            Lookup::Do(Command::Cancel) => {
                self.message = Some(CANCELLING.to_string());
                Effect::Cancel
            }
            Lookup::Do(command) => self.on_command(command, key),
            other => self.not_taken(other, key, "check", checking),
        }
    }

    /// A key in the sweep view, read from [`SWEEP_KEYS`]: keys that would
    /// disturb a sweep wait until it ends.
    fn on_sweep_key(&mut self, key: Key) -> Effect {
        match self.sweeps.on_worker_typing(key) {
            None => {}
            Some(WorkerTyping::Editing) => return Effect::None,
            Some(WorkerTyping::Chosen) => return self.open_sweep(),
            Some(WorkerTyping::Refused(why)) => {
                self.message = Some(why);
                return Effect::None;
            }
        }
        let sweeping = self.is_sweeping();
        match keys::lookup_in(&SWEEP_KEYS, key, sweeping) {
            Lookup::Do(command) => self.on_sweep_command(command, key),
            other => self.not_taken(other, key, "sweep", sweeping),
        }
    }

    /// The note for a key the view of `what` (the sweep, the check) does
    /// not take: one that waits until it ends (`going`), or one that does
    /// nothing there.
    fn not_taken(&mut self, lookup: Lookup, key: Key, what: &str, going: bool) -> Effect {
        self.message = Some(match lookup {
            Lookup::Refused(binding) => format!(
                "{} ({}) waits until the {what} ends: Esc cancels it",
                binding.short, binding.name
            ),
            _ if going => format!("{} does nothing here: Esc cancels the {what}", name_of(key)),
            _ => format!(
                "{} does nothing here: Esc goes back to the lab",
                name_of(key)
            ),
        });
        Effect::None
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
                self.message = Some(self.sweeps.toggle_scaling(self.lab.spec.tasks));
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
mod tests {
    //! State changes of the lab, driven by made-up keys and run events.

    use super::live_run::{RunMsg, RunStatus, Stage};
    use super::test_support::{app, ms, parallel_running, seed_finished, serial_running};
    use super::*;
    use crate::config::Work;
    use crate::workload::WorkloadKind;
    use selection::Selection;
    use settings::Setting;
    use strum::VariantArray;

    #[test]
    fn a_click_selects_a_setting_presses_a_key_or_starts_a_lesson_and_the_wheel_pages() {
        use super::mouse::{Mouse, Target};
        let mut lab = app();
        lab.update(Msg::Mouse(Mouse::Click(Target::Setting(Setting::Workload))));
        assert_eq!(lab.lab.selected, Setting::Workload);
        lab.update(Msg::Mouse(Mouse::Click(Target::Key(Key::Right))));
        assert_eq!(lab.lab.spec.workload, WorkloadKind::Cpu);
        let mut running = serial_running(4);
        let before = running.lab.selected;
        running.update(Msg::Mouse(Mouse::Click(Target::Setting(Setting::Tasks))));
        assert_eq!(running.lab.selected, before, "locked while the run goes");
        assert!(
            running
                .message
                .as_deref()
                .is_some_and(|m| m.contains("locked"))
        );
        lab.update(Msg::Mouse(Mouse::Click(Target::Key(Key::Char('L')))));
        lab.update(Msg::Mouse(Mouse::Click(Target::Lesson(1))));
        assert!(matches!(lab.mode, Mode::Main));
        assert!(lab.teaching.lesson.is_some());
        lab.update(Msg::Mouse(Mouse::WheelDown));
        assert_eq!(lab.teaching.text_page, 1);
        lab.update(Msg::Mouse(Mouse::WheelUp));
        lab.update(Msg::Mouse(Mouse::WheelUp));
        assert_eq!(lab.teaching.text_page, 0);
    }

    fn keys(app: &mut App, keys: &[Key]) -> Vec<Effect> {
        keys.iter().map(|k| app.on_key(*k)).collect()
    }

    #[test]
    fn it_opens_on_the_seed_demo_with_nothing_run() {
        let app = app();
        assert_eq!(app.lab.spec, Work::SEED_DEMO);
        assert!(!app.is_running());
        assert!(app.lab.rows.is_empty());
        assert!(
            app.explanation()
                .starts_with("Press r: 24 sleep tasks of 100 ms")
        );
    }

    #[test]
    fn r_starts_a_run_and_the_row_fills_when_it_ends() {
        let mut app = app();
        assert_eq!(
            app.on_key(Key::Char('r')),
            Effect::StartRun(Work::SEED_DEMO, Rounds::ONCE, None)
        );
        assert!(app.is_running());
        assert!(matches!(app.lab.rows[0].status, RunStatus::Running));
        let app = seed_finished();
        assert!(!app.is_running());
        let RunStatus::Done(report, _) = &app.lab.rows[0].status else {
            panic!("row not done")
        };
        assert_eq!(report.parallel_time, ms(301));
        assert!(app.explanation().starts_with("8 workers, 2 CPUs, 7.97×"));
    }

    #[test]
    fn stages_follow_the_run_events() {
        assert_eq!(serial_running(5).lab.run.unwrap().stage(), Stage::Serial);
        let parallel = parallel_running(120);
        let run = parallel.lab.run.as_ref().unwrap();
        assert_eq!(run.stage(), Stage::Parallel);
        let waves = run.waves().unwrap();
        assert_eq!((waves.start, waves.mean, waves.count), (ms(0), ms(100), 3));
        assert_eq!(
            waves.boundaries().collect::<Vec<_>>(),
            [ms(100), ms(200), ms(300)]
        );
        assert_eq!(waves.end(), ms(300));
        assert!(parallel.explanation().contains("ideal waves of 100 ms"));
    }

    #[test]
    fn keys_that_change_the_run_are_refused_while_it_runs() {
        let mut app = serial_running(3);
        let before = app.lab.spec;
        for key in [
            Key::Char('r'),
            Key::Right,
            Key::Char('w'),
            Key::Char('p'),
            Key::Char('5'),
            Key::Char('c'),
            Key::Left,
            Key::Char('-'),
        ] {
            assert_eq!(app.on_key(key), Effect::None, "{key:?}");
            let message = app.message.clone().unwrap_or_default();
            assert!(
                message.contains("waits until the run ends") && !message.contains("▸  ()"),
                "{key:?}: {message}"
            );
            assert!(!message.starts_with(" ("), "every key is named: {message}");
        }
        assert_eq!(app.lab.spec, before);
        assert_eq!(app.lab.rows.len(), 1);
        assert_eq!(app.mode, Mode::Main);
        assert_eq!(app.on_key(Key::Down), Effect::None);
        assert_eq!(app.lab.selected, Setting::Workers);
    }

    #[test]
    fn esc_cancels_a_run_and_the_row_says_so() {
        let mut app = parallel_running(50);
        assert_eq!(app.on_key(Key::Esc), Effect::Cancel);
        assert!(app.lab.run.as_ref().unwrap().cancelling);
        app.on_run(RunMsg::Done(Ok(None)));
        assert!(!app.is_running());
        assert_eq!(app.message, None, "no \"cancelling…\" once it is done");
        assert!(matches!(
            app.lab.rows[0].status,
            RunStatus::Cancelled { serial: Some(d) } if d == ms(2400)
        ));
        assert!(app.explanation().starts_with("Cancelled"));
        assert_eq!(app.on_key(Key::Esc), Effect::None, "Esc never quits");
    }

    #[test]
    fn quit_works_in_every_state() {
        assert_eq!(app().on_key(Key::Char('q')), Effect::Quit);
        assert_eq!(serial_running(1).on_key(Key::Char('q')), Effect::Quit);
        assert_eq!(serial_running(1).on_key(Key::Ctrl('c')), Effect::Quit);
        let mut typing = app();
        typing.on_key(Key::Char('4'));
        assert_eq!(typing.on_key(Key::Ctrl('c')), Effect::Quit);
    }

    #[test]
    fn r_sets_how_often_each_side_runs_and_the_run_carries_it() {
        let mut app = app();
        app.on_key(Key::Char('R'));
        assert!(app.message.as_deref().unwrap_or("").contains("3 times"));
        assert_eq!(
            app.on_key(Key::Char('r')),
            Effect::StartRun(
                Work::SEED_DEMO,
                Rounds {
                    repeat: 3,
                    warmup: 0
                },
                None
            )
        );
        assert!(matches!(app.on_key(Key::Char('R')), Effect::None));
        assert!(
            app.message.as_deref().unwrap_or("").contains("waits"),
            "not mid-run"
        );
        let mut app = self::test_support::app();
        for _ in 0..4 {
            app.on_key(Key::Char('R'));
        }
        assert_eq!(app.lab.repeat, 1, "1, 3, 5, 9 and round again");
    }

    #[test]
    fn the_busy_warning_in_the_lab_points_at_its_own_repeat_key() {
        let mut app = app();
        for _ in 0..3 {
            app.on_sample(vec![100.0, 100.0]);
        }
        app.on_key(Key::Char('r'));
        let warning = app.message.clone().unwrap_or_default();
        assert!(warning.contains("R repeats each side"), "{warning}");
        assert!(!warning.contains("--repeat"), "{warning}");
    }

    #[test]
    fn a_window_too_small_takes_only_q_and_esc() {
        let mut app = serial_running(3);
        let small = Msg::Resized {
            width: 79,
            height: 30,
        };
        app.update(small);
        assert!(app.too_small());
        let spec = app.lab.spec;
        for key in ['w', 'r', 'L', 'p', 's', '5', 'b', 'g'] {
            assert_eq!(app.on_key(Key::Char(key)), Effect::None, "{key}");
        }
        assert_eq!(app.on_key(Key::Enter), Effect::None);
        assert_eq!(
            (app.lab.spec, &app.mode),
            (spec, &Mode::Main),
            "nothing changed"
        );
        assert_eq!(
            app.on_key(Key::Esc),
            Effect::Cancel,
            "a run stays cancellable"
        );
        app.on_run(RunMsg::Done(Ok(None)));
        assert_eq!(app.on_key(Key::Char('q')), Effect::Quit);
        app.update(Msg::Resized {
            width: 80,
            height: 24,
        });
        assert!(!app.too_small());
        assert!(matches!(app.on_key(Key::Char('r')), Effect::StartRun(..)));
    }

    #[test]
    fn below_80x24_the_quit_prompt_s_e_exports() {
        let mut app = seed_finished();
        app.update(Msg::Resized {
            width: 60,
            height: 20,
        });
        assert_eq!(app.on_key(Key::Char('q')), Effect::None);
        let asked = app.message.clone().unwrap_or_default();
        assert!(asked.contains("e exports them"), "{asked}");
        assert!(matches!(app.on_key(Key::Char('e')), Effect::WriteReport(_)));
        assert_eq!(
            app.on_key(Key::Char('e')),
            Effect::None,
            "without the prompt, e waits for room"
        );
    }

    #[test]
    fn q_asks_once_when_runs_were_never_exported() {
        let mut app = seed_finished();
        assert_eq!(app.unexported().runs, 1);
        assert_eq!(app.on_key(Key::Char('q')), Effect::None);
        let asked = app.message.clone().unwrap_or_default();
        assert!(asked.contains("1 run not exported"), "{asked}");
        assert!(asked.contains("q again quits"), "{asked}");
        assert_eq!(app.on_key(Key::Char('q')), Effect::Quit);

        let mut app = seed_finished();
        app.on_key(Key::Char('q'));
        app.on_key(Key::Char('?'));
        assert_eq!(
            app.on_key(Key::Char('q')),
            Effect::None,
            "another key disarms"
        );
        assert_eq!(
            app.mode,
            Mode::Main,
            "the question is not hidden by the help"
        );
        assert_eq!(
            app.on_key(Key::Ctrl('c')),
            Effect::Quit,
            "Ctrl-C never asks"
        );

        let mut app = seed_finished();
        app.update(Msg::ReportWritten(Ok("report.md".into())));
        assert!(app.unexported().is_empty());
        assert_eq!(app.on_key(Key::Char('q')), Effect::Quit);
    }

    #[test]
    fn arrows_step_the_selected_setting() {
        let mut app = app();
        keys(&mut app, &[Key::Down, Key::Right]);
        assert_eq!(app.lab.spec.workers, 16);
        keys(&mut app, &[Key::Char('-'), Key::Char('-')]);
        assert_eq!(app.lab.spec.workers, 4);
        keys(&mut app, &[Key::Tab, Key::Right]);
        assert_eq!(app.lab.spec.workload, WorkloadKind::Cpu);
        keys(&mut app, &[Key::BackTab, Key::BackTab, Key::Left]);
        assert_eq!((app.lab.selected, app.lab.spec.tasks), (Setting::Tasks, 16));
    }

    #[test]
    fn a_step_past_the_limits_is_refused_in_place() {
        let mut app = app();
        app.lab.spec.task_ms = 60_000.0;
        app.lab.spec.tasks = 48;
        app.lab.selected = Setting::Tasks;
        app.on_key(Key::Right);
        assert_eq!(app.lab.spec.tasks, 48);
        assert!(
            app.message
                .as_deref()
                .unwrap_or("")
                .contains("1 hour limit")
        );
        app.on_key(Key::Down);
        assert_eq!(app.message, None, "a new key clears the note");
    }

    #[test]
    fn digits_type_a_value_that_enter_keeps() {
        let mut app = app();
        app.lab.selected = Setting::Workers;
        keys(&mut app, &[Key::Char('2'), Key::Char('x'), Key::Char('4')]);
        assert_eq!(app.typing().unwrap().text, "24");
        assert_eq!(
            app.on_key(Key::Enter),
            Effect::None,
            "Enter keeps, not runs"
        );
        assert_eq!((app.lab.spec.workers, app.typing().is_none()), (24, true));
    }

    #[test]
    fn a_bad_typed_value_stays_to_be_fixed_or_dropped() {
        let mut app = app();
        app.lab.selected = Setting::Workers;
        keys(
            &mut app,
            &[
                Key::Char('5'),
                Key::Char('0'),
                Key::Char('0'),
                Key::Char('0'),
                Key::Enter,
            ],
        );
        assert!(app.message.as_deref().unwrap_or("").contains("1 to 1024"));
        assert_eq!(app.typing().unwrap().text, "5000");
        keys(&mut app, &[Key::Backspace, Key::Backspace, Key::Enter]);
        assert_eq!(app.lab.spec.workers, 50);
        keys(&mut app, &[Key::Char('7'), Key::Esc]);
        assert_eq!((app.lab.spec.workers, app.typing().is_none()), (50, true));
    }

    #[test]
    fn digits_on_the_workload_explain_instead() {
        let mut app = app();
        app.lab.selected = Setting::Workload;
        app.on_key(Key::Char('3'));
        assert!(app.typing().is_none());
        assert!(app.message.is_some());
    }

    #[test]
    fn w_cycles_workloads_and_their_default_times() {
        let mut app = app();
        for _ in 0..4 {
            app.on_key(Key::Char('w'));
        }
        assert_eq!(
            (app.lab.spec.workload, app.lab.spec.task_ms),
            (WorkloadKind::Tiny, 0.005)
        );
        for _ in 4..WorkloadKind::VARIANTS.len() {
            app.on_key(Key::Char('w'));
        }
        assert_eq!(
            (app.lab.spec.workload, app.lab.spec.task_ms),
            (WorkloadKind::Sleep, 100.0)
        );
    }

    #[test]
    fn presets_load_by_arrow_or_number() {
        let mut app = app();
        app.on_key(Key::Char('p'));
        assert_eq!(
            app.mode,
            Mode::Presets {
                list: Selection::at(0),
                under: Screen::Main
            }
        );
        keys(&mut app, &[Key::Down, Key::Enter]);
        assert_eq!(app.mode, Mode::Main);
        assert_eq!(app.lab.spec.workload, WorkloadKind::Cpu);
        assert_eq!(
            app.lab.spec.workers, 2,
            "one worker per CPU of the test machine"
        );
        keys(&mut app, &[Key::Char('p'), Key::Char('5')]);
        assert_eq!(app.lab.spec.workload, WorkloadKind::Tiny);
        keys(&mut app, &[Key::Char('p'), Key::Esc]);
        assert_eq!(
            (app.mode, app.lab.spec.workload),
            (Mode::Main, WorkloadKind::Tiny)
        );
    }

    #[test]
    fn help_opens_and_any_key_closes_it() {
        let mut app = app();
        app.on_key(Key::Char('?'));
        assert_eq!(
            app.mode,
            Mode::Help {
                under: Screen::Main
            }
        );
        assert_eq!(
            app.on_key(Key::Char('r')),
            Effect::None,
            "closing does not run"
        );
        assert_eq!(app.mode, Mode::Main);
        app.on_key(Key::Char('?'));
        assert_eq!(app.on_key(Key::Esc), Effect::None);
        assert_eq!(app.mode, Mode::Main);
    }

    #[test]
    fn c_clears_the_table_and_t_cycles_the_theme() {
        let mut app = seed_finished();
        app.on_key(Key::Char('c'));
        assert!(app.lab.rows.is_empty());
        app.on_key(Key::Char('t'));
        assert_eq!(app.theme, ThemeName::Light);
    }

    #[test]
    fn unknown_keys_point_at_the_help() {
        let mut app = app();
        app.on_key(Key::Char('x'));
        assert!(
            app.message
                .as_deref()
                .unwrap_or("")
                .contains("? lists the keys")
        );
    }

    #[test]
    fn a_failed_run_is_reported_on_its_row() {
        let mut app = app();
        app.on_key(Key::Char('r'));
        app.on_run(RunMsg::Done(Err("no threads".to_string())));
        assert!(matches!(&app.lab.rows[0].status, RunStatus::Failed(w) if w == "no threads"));
        assert!(app.message.as_deref().unwrap_or("").contains("no threads"));
    }

    #[test]
    fn samples_replace_the_core_usage() {
        let mut app = app();
        app.on_sample(vec![10.0, 90.0]);
        assert_eq!(app.cores, [10.0, 90.0]);
    }

    #[test]
    fn the_serial_part_row_comes_and_goes_with_its_workload() {
        let mut app = app();
        app.lab.spec = settings::with_workload(&app.lab.spec, WorkloadKind::SerialFraction);
        app.lab.selected = Setting::TaskMs;
        app.on_key(Key::Down);
        assert_eq!(app.lab.selected, Setting::SerialPart);
        keys(&mut app, &[Key::Char('4'), Key::Char('0'), Key::Enter]);
        assert!((app.lab.spec.serial_fraction - 0.40).abs() < 1e-12);
        app.on_key(Key::Right);
        assert!((app.lab.spec.serial_fraction - 0.50).abs() < 1e-12);
        app.on_key(Key::Char('w'));
        assert_eq!(app.lab.spec.workload, WorkloadKind::SerialFractionWaiting);
        assert_eq!(
            app.lab.selected,
            Setting::SerialPart,
            "waiting work keeps it"
        );
        app.on_key(Key::Char('w'));
        assert!(!app.lab.spec.workload.has_serial_part());
        assert_eq!(
            app.lab.selected,
            Setting::Workload,
            "the row it was on is gone"
        );
    }

    #[test]
    fn every_list_answers_shift_tab_and_a_popup_returns_to_its_screen() {
        let mut app = app();
        app.on_key(Key::Char('b'));
        app.on_key(Key::Char('p'));
        let count = app.lab.presets.len();
        app.on_key(Key::BackTab);
        assert_eq!(
            app.mode,
            Mode::Presets {
                list: Selection::at(count - 1),
                under: Screen::Presenter
            }
        );
        app.on_key(Key::Esc);
        assert_eq!(app.mode, Mode::Presenter);
        app.on_key(Key::Char('L'));
        app.on_key(Key::BackTab);
        let lessons = app.teaching.lessons.lessons.len();
        assert_eq!(
            app.mode,
            Mode::Lessons {
                list: Selection::at(lessons - 1),
                under: Screen::Presenter
            }
        );
    }

    #[test]
    fn a_plan_past_the_hour_is_refused_in_place_for_a_run_and_a_sweep() {
        let mut app = app();
        app.lab.spec = Work {
            workload: WorkloadKind::Sleep,
            tasks: 3000,
            task_ms: 1000.0,
            workers: 1,
            ..Work::SEED_DEMO
        };
        assert_eq!(app.lab.spec.validate(), Ok(()), "each side alone fits");
        assert_eq!(app.on_key(Key::Char('r')), Effect::None);
        let why = app.message.clone().unwrap_or_default();
        assert!(why.starts_with("the whole plan would take about"), "{why}");
        assert!(app.lab.rows.is_empty() && !app.is_running());
        assert_eq!(app.on_key(Key::Char('s')), Effect::None);
        let why = app.message.clone().unwrap_or_default();
        assert!(why.starts_with("refused: the whole plan"), "{why}");
        assert_eq!(app.mode, Mode::Main);
    }

    #[test]
    fn a_busy_machine_is_named_while_the_run_goes_on_and_judged_with_it() {
        let mut app = app();
        app.on_sample(vec![90.0, 10.0]);
        let Effect::StartRun(spec, rounds, Some(busy)) = app.on_key(Key::Char('r')) else {
            panic!("the run carries the busy check's warning to be judged with")
        };
        assert_eq!((spec, rounds), (Work::SEED_DEMO, Rounds::ONCE));
        let warning =
            "the machine was already 50.0 % busy before the run (busiest CPU 90.0 %, over 250 ms)";
        assert!(busy.warning.starts_with(warning), "{busy:?}");
        assert_eq!(busy.usage, 0.5, "the sampler's figure travels with it");
        assert_eq!(app.message.as_deref(), Some(busy.warning.as_str()));
        assert!(app.is_running(), "the warning does not stop the run");
        app.on_run(RunMsg::Done(Ok(None)));
        app.on_sample(vec![90.0, 90.0]);
        app.on_sample(vec![90.0, 90.0]);
        let Effect::StartSweep(_, Some(busy)) = app.on_key(Key::Char('s')) else {
            panic!("a sweep carries it too")
        };
        assert!(busy.warning.contains("90.0 % busy"), "{busy:?}");
    }

    #[test]
    fn the_busy_check_reads_only_samples_that_cover_no_run_of_ours() {
        let mut app = seed_finished();
        app.on_sample(vec![90.0, 90.0]);
        app.on_key(Key::Char('r'));
        assert_eq!(
            app.message, None,
            "the first sample after a run overlaps it"
        );
        app.on_run(RunMsg::Done(Ok(None)));
        app.on_sample(vec![90.0, 90.0]);
        app.on_sample(vec![5.0, 0.0]);
        app.on_key(Key::Char('r'));
        assert_eq!(app.message, None, "a quiet machine gets no warning");
        app.on_run(RunMsg::Done(Ok(None)));
        app.on_sample(vec![5.0, 0.0]);
        app.on_sample(vec![80.0, 70.0]);
        app.on_key(Key::Char('r'));
        assert!(app.message.unwrap_or_default().contains("75.0 % busy"));
    }

    #[test]
    fn the_lanes_end_their_waves_at_the_tables_ideal_for_uneven_tasks() {
        use crate::app::live_run::Waves;
        use crate::board::TaskBoard;
        // Seven 10 ms tasks and one of 50 ms on 4 workers: the longest-first
        // schedule ends at 50 ms, while mean × waves would say 30 ms.
        let board = TaskBoard::new(8);
        let mut at = ms(0);
        for task in 0..8 {
            let length = if task == 7 { ms(50) } else { ms(10) };
            board.record_start(task, 0, at);
            board.record_end(task, at + length);
            at += length;
        }
        let spec = Work {
            workload: crate::workload::WorkloadKind::Uneven,
            tasks: 8,
            workers: 4,
            task_ms: 10.0,
            ..Work::SEED_DEMO
        };
        let waves = Waves::of(&board, at, &spec, Some(4));
        let table = crate::stats::ideal_parallel(&board.durations(), 4, Some(4));
        assert_eq!(waves.end(), table.time);
        assert_eq!(waves.end(), ms(50));
        assert_eq!(waves.boundaries().last(), Some(ms(50)));
    }

    #[test]
    fn h_cycles_schedules_and_digits_then_type_a_chunk() {
        use crate::schedule::Schedule;
        let mut app = app();
        app.on_key(Key::Char('h'));
        assert_eq!(
            (app.lab.spec.schedule, app.lab.selected),
            (Schedule::Static, Setting::Schedule)
        );
        app.on_key(Key::Char('h'));
        keys(&mut app, &[Key::Char('5'), Key::Char('0'), Key::Enter]);
        assert_eq!(app.lab.spec.schedule, Schedule::Dynamic { chunk: 50 });
        app.on_key(Key::Char('h'));
        assert_eq!(app.lab.spec.schedule, Schedule::Steal);
        assert_ne!(
            app.lab.selected,
            Setting::Schedule,
            "the row it was on is gone"
        );
        assert_eq!(
            app.on_key(Key::Char('r')),
            Effect::StartRun(Work::SEED_DEMO, Rounds::ONCE, None)
        );
    }
}
