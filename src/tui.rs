//! The terminal side of the live lab: setting the terminal up and always
//! restoring it, the input, sampler and run (or sweep) threads, and the
//! event loop that feeds the [`App`] and draws it.
//!
//! The UI thread owns the state and only draws. Keys, core samples and run
//! events arrive over one channel; task progress is read from the lock-free
//! boards when a frame is drawn. Frames are drawn at most 25 times a second
//! while a run goes or keys arrive, and otherwise only when a core sample
//! comes in, so an idle lab sleeps in `recv`.

use crate::app::keys::Key;
use crate::app::run::RunMsg;
use crate::app::sweep_view::SweepMsg;
use crate::app::{App, Effect};
use crate::config::RunSpec;
use crate::lesson::LessonSet;
use crate::machine::MachineInfo;
use crate::measure::{Rounds, measure_run};
use crate::sampler;
use crate::session_report;
use crate::ui;
use crate::ui::theme::ThemeName;
use anyhow::Context;
use crossterm::event::Event;
use ratatui::DefaultTerminal;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

mod sweep;

/// Shortest time between two frames: 25 frames a second.
const FRAME: Duration = Duration::from_millis(40);
/// Drawing may take at most 1/DRAW_SHARE of the UI thread's time, so a huge
/// board (millions of tasks) slows the frame rate instead of the run.
const DRAW_SHARE: u32 = 80;

/// Everything that reaches the UI thread.
enum Msg {
    /// A key press.
    Key(Key),
    /// The window changed size.
    Resized,
    /// Per-CPU usage from the sampler.
    Sample(Vec<f32>),
    /// Progress or the end of a run.
    Run(RunMsg),
    /// Progress or the end of a sweep.
    Sweep(SweepMsg),
    /// The keyboard can no longer be read.
    InputFailed(String),
    /// SIGTERM, SIGHUP or SIGINT from outside: leave as `q` would.
    Terminate,
}

/// Opens the live lab, with the shipped lessons and those of `lessons` (a
/// teacher's folder), and runs it until the user quits.
pub fn run(theme: Option<ThemeName>, lessons: Option<&Path>) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!("the live lab needs a terminal; for text output use `parlab run`");
    }
    let theme = ThemeName::choose(theme, ThemeName::no_color_requested());
    let app = App::new(MachineInfo::detect(), theme, Instant::now())
        .map_err(anyhow::Error::msg)?
        .with_lessons(LessonSet::load(lessons));
    install_panic_hook();
    let result = ratatui::try_init()
        .context("cannot set up the terminal")
        .and_then(|mut terminal| event_loop(&mut terminal, app));
    restore();
    result
}

/// Puts the terminal back: raw mode off, main screen, cursor shown. Safe to
/// call twice (the panic path may).
fn restore() {
    ratatui::restore();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
}

/// Installed before ratatui's own hook, so on a panic ratatui restores the
/// terminal first, then this hook prints the message and ends the process.
/// It holds the stdout lock from then on: a panic on the run or sampler
/// thread must not let the UI thread draw over the restored terminal while
/// the message prints.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _no_more_frames = std::io::stdout().lock();
        restore();
        previous(info);
        eprintln!("parlab stopped on an internal error; the terminal has been restored");
        std::process::exit(101);
    }));
}

fn event_loop(terminal: &mut DefaultTerminal, mut app: App) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel();
    spawn_input(tx.clone()).context("cannot start the input thread")?;
    spawn_signal_watch(tx.clone()).context("cannot watch for signals")?;
    sampler::spawn(tx.clone(), Msg::Sample).context("cannot start the core sampler")?;
    let mut runs = RunThread::default();
    let result = serve(terminal, &mut app, &rx, &tx, &mut runs);
    runs.stop();
    result
}

/// Draws and handles messages until the user quits or something fails.
fn serve(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    rx: &Receiver<Msg>,
    tx: &Sender<Msg>,
    runs: &mut RunThread,
) -> anyhow::Result<()> {
    let mut pacer = Pacer::default();
    loop {
        let now = Instant::now();
        let due = pacer.next_frame(now, app.is_running() || app.is_sweeping());
        if due.is_some_and(|due| now >= due) {
            let cpu = cpu_time::ThreadTime::try_now().ok();
            app.advance(now);
            terminal.draw(|frame| ui::render(app, frame))?;
            let cost = cpu.and_then(|t| t.try_elapsed().ok());
            pacer.drawn(now, cost.unwrap_or_else(|| now.elapsed()));
            continue;
        }
        let msg = match due {
            Some(due) => match rx.recv_timeout(due.saturating_duration_since(now)) {
                Ok(msg) => msg,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            },
            None => match rx.recv() {
                Ok(msg) => msg,
                Err(_) => return Ok(()),
            },
        };
        for msg in std::iter::once(msg).chain(rx.try_iter()) {
            pacer.arrived(&msg);
            if handle(msg, app, tx, runs)? == Flow::Quit {
                return Ok(());
            }
        }
    }
}

/// When the next frame may be drawn.
#[derive(Default)]
struct Pacer {
    /// A key, a resize or a run event arrived since the last frame.
    urgent: bool,
    /// A core sample arrived since the last frame.
    stale: bool,
    last: Option<Instant>,
    cost: Duration,
}

impl Pacer {
    /// Notes what a message asks of the screen.
    fn arrived(&mut self, msg: &Msg) {
        match msg {
            Msg::Sample(_) => self.stale = true,
            _ => self.urgent = true,
        }
    }

    /// The next frame's time: one frame gap after the last for a key or a
    /// run event (answered at once, even on a costly screen); for the
    /// animation of a run and for core samples, no sooner than keeps drawing
    /// a small share of the time; `None` (sleep until a message) when the
    /// screen is up to date and nothing moves.
    fn next_frame(&self, now: Instant, animating: bool) -> Option<Instant> {
        let Some(last) = self.last else {
            return Some(now);
        };
        if self.urgent {
            Some(last + FRAME)
        } else if animating || self.stale {
            Some(last + FRAME.max(self.cost * DRAW_SHARE))
        } else {
            None
        }
    }

    /// Records a frame drawn at `at` that took `cost` of CPU time (not wall
    /// time: a frame preempted by the run's threads cost nothing extra). A
    /// costlier frame counts at once, a cheaper one brings the estimate
    /// down gradually.
    fn drawn(&mut self, at: Instant, cost: Duration) {
        self.last = Some(at);
        self.cost = cost.max((self.cost * 3 + cost) / 4);
        self.urgent = false;
        self.stale = false;
    }
}

#[derive(PartialEq)]
enum Flow {
    Continue,
    Quit,
}

fn handle(msg: Msg, app: &mut App, tx: &Sender<Msg>, runs: &mut RunThread) -> anyhow::Result<Flow> {
    let effect = match msg {
        Msg::Key(key) => app.on_key(key),
        Msg::Resized => Effect::None,
        Msg::Sample(usage) => {
            app.on_sample(usage);
            Effect::None
        }
        Msg::Sweep(msg) => {
            if matches!(msg, SweepMsg::Done(_)) {
                runs.join();
            }
            app.on_sweep(msg);
            Effect::None
        }
        Msg::Run(msg) => {
            if matches!(msg, RunMsg::Done(_)) {
                runs.join();
            }
            app.on_run(msg)
        }
        Msg::InputFailed(why) => anyhow::bail!("cannot read the keyboard: {why}"),
        Msg::Terminate => Effect::Quit,
    };
    Ok(apply(effect, app, tx, runs))
}

/// Carries out what a key or the end of a run asked for.
fn apply(effect: Effect, app: &mut App, tx: &Sender<Msg>, runs: &mut RunThread) -> Flow {
    match effect {
        Effect::None => {}
        Effect::StartRun(spec) => {
            if let Err(why) = runs.start(spec, app.machine.clone(), tx.clone()) {
                app.on_run(RunMsg::Done(Err(format!(
                    "cannot start the run thread: {why}"
                ))));
            }
        }
        Effect::Cancel => runs.cancel(),
        Effect::Quit => return Flow::Quit,
        Effect::WriteReport => write_report(app),
        Effect::StartSweep => sweep::start(app, tx, runs),
        Effect::SaveSweep(index) => sweep::save(app, index),
    }
    Flow::Continue
}

/// Writes the session report into the current folder and lets the app say
/// where it went, or why it could not.
fn write_report(app: &mut App) {
    let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let sweeps = app.sweep_sections();
    let written = session_report::write(&dir, &app.session(&sweeps), SystemTime::now());
    match written {
        Ok(path) => app.on_report_written(Ok(&path)),
        Err(why) => app.on_report_written(Err(why.to_string())),
    }
}

/// Turns a termination signal (`kill`, a closed terminal, Ctrl-C sent
/// from outside) into a quit message, so the terminal is restored and the
/// run thread stopped instead of the process dying in raw mode.
#[cfg(unix)]
fn spawn_signal_watch(tx: Sender<Msg>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::Builder::new()
        .name("parlab-signals".to_string())
        .spawn(move || {
            if signals.forever().next().is_some() {
                let _ = tx.send(Msg::Terminate);
            }
        })?;
    Ok(())
}

/// Other systems end the process on such signals as they always do.
#[cfg(not(unix))]
fn spawn_signal_watch(_tx: Sender<Msg>) -> std::io::Result<()> {
    Ok(())
}

/// Reads the terminal's events on its own thread: `read` blocks, so the UI
/// thread never polls.
fn spawn_input(tx: Sender<Msg>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("parlab-input".to_string())
        .spawn(move || {
            loop {
                let msg = match crossterm::event::read() {
                    Ok(Event::Key(event)) => match Key::from_event(&event) {
                        Some(key) => Msg::Key(key),
                        None => continue,
                    },
                    Ok(Event::Resize(..)) => Msg::Resized,
                    Ok(_) => continue,
                    Err(e) => Msg::InputFailed(e.to_string()),
                };
                let failed = matches!(msg, Msg::InputFailed(_));
                if tx.send(msg).is_err() || failed {
                    return;
                }
            }
        })?;
    Ok(())
}

/// The thread of the current run and its cancel flag.
#[derive(Default)]
struct RunThread {
    current: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl RunThread {
    /// Starts measuring `spec`; events and the report go to `tx`.
    fn start(
        &mut self,
        spec: RunSpec,
        machine: MachineInfo,
        tx: Sender<Msg>,
    ) -> std::io::Result<()> {
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancel);
        let handle = std::thread::Builder::new()
            .name("parlab-run".to_string())
            .spawn(move || {
                let result = measure_run(&spec, Rounds::ONCE, &machine, &flag, &mut |event| {
                    let _ = tx.send(Msg::Run(RunMsg::Event(event)));
                });
                let done = result
                    .map(|r| r.map(Box::new))
                    .map_err(|e| format!("{e:#}"));
                let _ = tx.send(Msg::Run(RunMsg::Done(done)));
            })?;
        self.current = Some((cancel, handle));
        Ok(())
    }

    /// Asks the run to stop; its tasks see the flag within one slice.
    fn cancel(&self) {
        if let Some((cancel, _)) = &self.current {
            cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Waits for the run thread to end (it has sent its last message).
    fn join(&mut self) {
        if let Some((_, handle)) = self.current.take() {
            let _ = handle.join();
        }
    }

    /// Cancels and waits: on quit, no run thread outlives the lab.
    fn stop(&mut self) {
        self.cancel();
        self.join();
    }
}
