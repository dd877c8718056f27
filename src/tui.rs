//! The terminal side of the live lab: setting the terminal up and always
//! restoring it, the input, sampler and run (or sweep) threads, and the
//! event loop that feeds the [`App`] and draws it.
//!
//! The UI thread owns the state and only draws. Keys, core samples, run
//! events and what came of a file write arrive over one channel; task progress is read from the lock-free
//! boards when a frame is drawn. Frames are drawn at most 25 times a second
//! while a run goes or keys arrive, and otherwise only when a core sample
//! comes in, so an idle lab sleeps in `recv`.

use crate::app::check::CheckMsg;
use crate::app::live_run::RunMsg;
use crate::app::sweeps::SweepMsg;
use crate::app::{self, App, Effect};
use crate::exit::Signalled;
use crate::lesson::LessonSet;
use crate::machine::MachineInfo;
use crate::sampler;
use crate::theme::ThemeName;
use crate::ui;
use anyhow::Context;
use ratatui::DefaultTerminal;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

mod files;
mod input;
mod pacer;
mod run_thread;
#[cfg_attr(not(unix), path = "tui/signals/other.rs")]
#[cfg_attr(unix, path = "tui/signals/unix.rs")]
mod signals;

use files::FileWrites;
use input::spawn_input;
use pacer::Pacer;
use run_thread::RunThread;
use signals::{spawn_signal_watch, stop_self};

/// Everything that reaches the UI thread.
enum Msg {
    /// For the app: a key, a sample, a run's or a sweep's progress.
    Lab(app::Msg),
    /// The window changed size: columns and rows.
    Resized(u16, u16),
    /// The mouse at a column and row of the window, not yet placed on what
    /// the frame drew there.
    Mouse(input::MouseAt),
    /// The keyboard can no longer be read.
    InputFailed(String),
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT from outside: restore the
    /// terminal, stop the run and exit with 128 + the signal's number.
    #[cfg_attr(
        all(not(unix), not(test)),
        expect(dead_code, reason = "only Unix signals are watched")
    )]
    Terminate(i32),
    /// Ctrl-Z (typed, or SIGTSTP from outside): give the terminal back and
    /// stop until continued.
    Suspend,
    /// SIGCONT: whoever stopped the lab, the screen must be drawn anew.
    #[cfg_attr(not(unix), expect(dead_code, reason = "only Unix signals are watched"))]
    Continued,
}

/// Opens the live lab, with the shipped lessons and those of `lessons` (a
/// teacher's folder), and runs it until the user quits.
pub fn open_lab(theme: Option<ThemeName>, lessons: Option<&Path>) -> anyhow::Result<()> {
    if std::env::var_os("TERM").is_some_and(|term| term == "dumb") {
        return Err(crate::exit::Misuse(
            "the live lab draws full-screen and this terminal says it cannot (TERM=dumb): use `parlab run`, `sweep` or `lesson` here, or set TERM to your terminal's type".into(),
        )
        .into());
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(crate::exit::Misuse(
            "the live lab needs a terminal; for text output use `parlab run`".into(),
        )
        .into());
    }
    let theme = ThemeName::choose(theme, ThemeName::no_color_requested());
    let app = App::new(MachineInfo::detect(), theme, Instant::now())
        .map_err(anyhow::Error::msg)?
        .with_lessons(LessonSet::load(lessons));
    install_panic_hook();
    let mut workers = Workers {
        runs: RunThread::new(app.machine.clone()),
        files: FileWrites::default(),
    };
    let result = ratatui::try_init()
        .context("cannot set up the terminal")
        .and_then(|terminal| {
            crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)
                .context("cannot set up the mouse")?;
            Ok(terminal)
        })
        .and_then(|mut terminal| event_loop(&mut terminal, app, &mut workers));
    // The terminal first: stopping a run (a Python driver takes up to
    // 2 s) and finishing a file write happen after the shell has it back.
    restore();
    workers.stop();
    result
}

/// The threads that carry effects out, so the UI thread never waits on a
/// run or a disk.
struct Workers {
    runs: RunThread,
    files: FileWrites,
}

impl Workers {
    /// Cancels the run and waits for it and every file write: nothing
    /// outlives the lab, and no file is left unwritten.
    fn stop(&mut self) {
        self.runs.stop();
        self.files.join();
    }
}

/// Puts the terminal back: raw mode off, main screen, cursor shown. Safe to
/// call twice (the panic path may).
fn restore() {
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
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
        crate::streams::note("parlab stopped on an internal error; the terminal has been restored");
        std::process::exit(101);
    }));
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    mut app: App,
    workers: &mut Workers,
) -> anyhow::Result<()> {
    tell_size(terminal, &mut app)?;
    let (tx, rx) = mpsc::channel();
    spawn_input(tx.clone()).context("cannot start the input thread")?;
    spawn_signal_watch(tx.clone()).context("cannot watch for signals")?;
    sampler::spawn(tx.clone(), |usage| Msg::Lab(app::Msg::Sample(usage)))
        .context("cannot start the core sampler")?;
    serve(terminal, &mut app, &rx, &tx, workers)
}

/// Draws and handles messages until the user quits or something fails.
fn serve(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    rx: &Receiver<Msg>,
    tx: &Sender<Msg>,
    workers: &mut Workers,
) -> anyhow::Result<()> {
    let mut pacer = Pacer::default();
    loop {
        let now = Instant::now();
        let due = pacer.next_frame(now, app.is_running() || app.is_sweeping());
        if due.is_some_and(|due| now >= due) {
            let cpu = cpu_time::ThreadTime::try_now().ok();
            app.advance(now);
            if let Err(err) = terminal.draw(|frame| ui::render(app, frame)) {
                return Err(match signal_behind(rx) {
                    Some(signal) => Signalled(signal).into(),
                    None => err.into(),
                });
            }
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
            match handle(msg, app, tx, workers)? {
                Flow::Continue => {}
                Flow::Quit => return Ok(()),
                Flow::Signalled(signal) => return Err(Signalled(signal).into()),
                Flow::Suspend => {
                    suspend(terminal)?;
                    tell_size(terminal, app)?;
                    break;
                }
                Flow::Redraw => {
                    redraw_all(terminal)?;
                    tell_size(terminal, app)?;
                    break;
                }
            }
        }
    }
}

/// How long a failed draw waits for the signal that may have caused it.
const SIGNAL_GRACE: Duration = Duration::from_millis(200);

/// A draw that fails because the terminal hung up races the SIGHUP that
/// says so: wait a moment for it, so the exit status names the signal
/// (129) rather than the failed write (1).
fn signal_behind(rx: &Receiver<Msg>) -> Option<i32> {
    let deadline = Instant::now() + SIGNAL_GRACE;
    while let Ok(msg) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if let Msg::Terminate(signal) = msg {
            return Some(signal);
        }
    }
    None
}

/// What the loop does after a message.
#[derive(PartialEq)]
enum Flow {
    Continue,
    Quit,
    /// Ended by this signal from outside.
    Signalled(i32),
    /// Stop until continued.
    Suspend,
    /// Draw every cell again: the screen may hold anything.
    Redraw,
}

/// Leaves the alternate screen and raw mode, so the shell gets a usable
/// terminal, stops the process, and once continued takes the terminal
/// again and clears it, so the next frame redraws everything.
fn suspend(terminal: &mut DefaultTerminal) -> anyhow::Result<()> {
    restore();
    stop_self().context("cannot suspend")?;
    crossterm::terminal::enable_raw_mode().context("cannot set up the terminal again")?;
    crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::event::EnableMouseCapture
    )
    .context("cannot set up the terminal again")?;
    terminal.hide_cursor()?;
    redraw_all(terminal)
}

/// Tells the app the window's size (it may have changed while stopped).
fn tell_size(terminal: &DefaultTerminal, app: &mut App) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.update(app::Msg::Resized {
        width: size.width,
        height: size.height,
    });
    Ok(())
}

/// Clears the screen and makes the next frame draw every cell. Unlike
/// `Terminal::clear`, it never asks the terminal where the cursor is: the
/// answer would race the input thread for the keyboard and eat a key.
fn redraw_all(terminal: &mut DefaultTerminal) -> anyhow::Result<()> {
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
    Ok(())
}

/// The mouse action at `at`, placed on what the frame drew there.
fn placed(at: &input::MouseAt, app: &App) -> Option<app::mouse::Mouse> {
    use app::mouse::Mouse;
    match at {
        input::MouseAt::WheelUp => Some(Mouse::WheelUp),
        input::MouseAt::WheelDown => Some(Mouse::WheelDown),
        input::MouseAt::Click { column, row } => {
            let (width, height) = app.window()?;
            let area = ratatui::layout::Rect::new(0, 0, width, height);
            ui::target_at(app, area, *column, *row).map(Mouse::Click)
        }
    }
}

fn handle(
    msg: Msg,
    app: &mut App,
    tx: &Sender<Msg>,
    workers: &mut Workers,
) -> anyhow::Result<Flow> {
    let msg = match msg {
        Msg::Lab(msg) => msg,
        Msg::Resized(width, height) => app::Msg::Resized { width, height },
        Msg::Mouse(at) => match placed(&at, app) {
            Some(mouse) => app::Msg::Mouse(mouse),
            None => return Ok(Flow::Continue),
        },
        Msg::InputFailed(why) => anyhow::bail!("cannot read the keyboard: {why}"),
        Msg::Terminate(signal) => return Ok(Flow::Signalled(signal)),
        Msg::Suspend => {
            let effect = app.update(app::Msg::Suspend);
            apply(effect, app, tx, workers);
            return Ok(Flow::Suspend);
        }
        Msg::Continued => return Ok(Flow::Redraw),
    };
    if matches!(
        msg,
        app::Msg::Run(RunMsg::Done(_))
            | app::Msg::Sweep(SweepMsg::Done(_))
            | app::Msg::Check(CheckMsg::Done(_))
    ) {
        workers.runs.join();
    }
    let effect = app.update(msg);
    Ok(apply(effect, app, tx, workers))
}

/// Carries out what a message asked for, and hands what came of it back
/// to the app as messages (which may ask for more).
fn apply(effect: Effect, app: &mut App, tx: &Sender<Msg>, workers: &mut Workers) -> Flow {
    let runs = &mut workers.runs;
    let mut pending = vec![effect];
    while let Some(effect) = pending.pop() {
        let answers = match effect {
            Effect::None => Vec::new(),
            Effect::Quit => return Flow::Quit,
            Effect::Cancel => {
                runs.cancel();
                Vec::new()
            }
            Effect::StartRun(spec, rounds, busy) => {
                match runs.start(spec, rounds, busy, tx.clone()) {
                    Ok(()) => Vec::new(),
                    Err(why) => vec![app::Msg::Run(RunMsg::Done(Err(format!(
                        "cannot start the run thread: {why}"
                    ))))],
                }
            }
            Effect::StartSweep(plan, busy) => match runs.start_sweep(plan, busy, tx.clone()) {
                Ok(()) => Vec::new(),
                Err(why) => vec![app::Msg::Sweep(SweepMsg::Done(Err(format!(
                    "cannot start the sweep thread: {why}"
                ))))],
            },
            Effect::StartCheck(budget, busy) => match runs.start_check(budget, busy, tx.clone()) {
                Ok(()) => Vec::new(),
                Err(why) => vec![app::Msg::Check(CheckMsg::Done(Err(format!(
                    "cannot start the check thread: {why}"
                ))))],
            },
            Effect::SaveSweep { index, report } => workers.files.spawn(
                tx,
                move || vec![files::save(index, &report)],
                app::Msg::SweepSaved {
                    index,
                    saved: Err(files::NO_THREAD.to_string()),
                },
            ),
            Effect::WriteReport(request) => workers.files.spawn(
                tx,
                move || files::write_report(*request),
                app::Msg::ReportWritten(Err(files::NO_THREAD.to_string())),
            ),
        };
        for answer in answers {
            pending.push(app.update(answer));
        }
    }
    Flow::Continue
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_draw_names_the_signal_that_arrived_behind_it() {
        let (tx, rx) = mpsc::channel();
        tx.send(Msg::Suspend).unwrap();
        tx.send(Msg::Terminate(1)).unwrap();
        assert_eq!(signal_behind(&rx), Some(1));
        let start = Instant::now();
        assert_eq!(signal_behind(&rx), None, "no signal: the draw's own error");
        assert!(start.elapsed() >= SIGNAL_GRACE);
        drop(tx);
        assert_eq!(signal_behind(&rx), None, "the senders are gone");
    }
}
