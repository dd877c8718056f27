//! The live lab's state machine under random keys and events, through its
//! public event interface only (`App::update` with `Msg`, the effects it
//! returns, `ui::render`), with a stand-in for the event loop that plays
//! the run and sweep threads as the real loop would.
//!
//! Asserted after every step: nothing panics (handling or drawing, at any
//! window size); the app thinks a run (or sweep) is going exactly when the
//! loop has one; no second run starts while one goes; a run or sweep in
//! progress can always be cancelled with a few Esc presses; Ctrl-C always
//! quits.

use parlab::app::check::CheckMsg;
use parlab::app::keys::Key;
use parlab::app::live_run::RunMsg;
use parlab::app::sweeps::SweepMsg;
use parlab::app::{App, Effect, Msg};
use parlab::board::TaskBoard;
use parlab::config::Work;
use parlab::machine::MachineInfo;
use parlab::measure::{Rounds, RunResult, SideResult};
use parlab::runner::{RunEvent, RunTiming, Side};
use parlab::stats::Summary;
use parlab::theme::ThemeName;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Largest task count the stand-in gives boards and reports for: typed
/// values may ask for ten million tasks, which the lab must survive, but
/// the test need not allocate for.
const MAX_FAKE_TASKS: usize = 5_000;

/// One step of a random session.
#[derive(Clone, Debug)]
enum Op {
    Key(Key),
    /// The run going starts its serial or parallel side.
    SideStarted(bool),
    /// The run going ends the side it is on.
    SideFinished(bool),
    /// The run going ends: 0 measured, 1 cancelled, 2 failed.
    RunDone(u8),
    /// The sweep going ends: cancelled or failed.
    SweepDone(bool),
    Sample(u8),
    Advance(u16),
    Suspend,
    Draw(u16, u16),
    /// Check that a run or sweep going can be cancelled.
    ProbeCancel,
    /// Check that Ctrl-C quits.
    ProbeQuit,
}

fn key() -> impl Strategy<Value = Key> {
    prop_oneof![
        4 => prop::sample::select(
            "rRwpLnNgbecthsSxk?+-=0123456789.e ,/".chars().collect::<Vec<_>>()
        )
        .prop_map(Key::Char),
        1 => (32u8..127).prop_map(|b| Key::Char(char::from(b))),
        3 => prop::sample::select(vec![
            Key::Enter,
            Key::Esc,
            Key::Up,
            Key::Down,
            Key::Left,
            Key::Right,
            Key::Tab,
            Key::BackTab,
            Key::Backspace,
            Key::PageUp,
            Key::PageDown,
            Key::Ctrl('z'),
            Key::Ctrl('l'),
        ]),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => key().prop_map(Op::Key),
        2 => any::<bool>().prop_map(Op::SideStarted),
        2 => any::<bool>().prop_map(Op::SideFinished),
        2 => (0u8..3).prop_map(Op::RunDone),
        1 => any::<bool>().prop_map(Op::SweepDone),
        1 => any::<u8>().prop_map(Op::Sample),
        1 => any::<u16>().prop_map(Op::Advance),
        1 => Just(Op::Suspend),
        1 => (1u16..140, 1u16..50).prop_map(|(w, h)| Op::Draw(w, h)),
        1 => Just(Op::ProbeCancel),
        1 => Just(Op::ProbeQuit),
    ]
}

/// What the stand-in loop has going.
enum Going {
    Run { spec: Work, cancelled: bool },
    Sweep { cancelled: bool },
    Check { cancelled: bool },
}

/// The event loop's part: carries out effects and plays the threads.
struct Driver {
    app: App,
    machine: MachineInfo,
    going: Option<Going>,
    now: Instant,
    quit: bool,
}

impl Driver {
    fn new() -> Self {
        let machine = MachineInfo::synthetic(2, 4);
        let now = Instant::now();
        let app = App::new(machine.clone(), ThemeName::Dark, now).expect("the lab opens");
        Self {
            app,
            machine,
            going: None,
            now,
            quit: false,
        }
    }

    fn send(&mut self, msg: Msg) {
        let effect = self.app.update(msg);
        self.apply(effect);
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::None => {}
            Effect::StartRun(spec, ..) => {
                assert!(self.going.is_none(), "a run started while another goes");
                self.going = Some(Going::Run {
                    spec,
                    cancelled: false,
                });
            }
            Effect::StartSweep(..) => {
                assert!(self.going.is_none(), "a sweep started while a run goes");
                self.going = Some(Going::Sweep { cancelled: false });
            }
            Effect::StartCheck(..) => {
                assert!(self.going.is_none(), "a check started while a run goes");
                self.going = Some(Going::Check { cancelled: false });
            }
            Effect::Cancel => match self.going.as_mut() {
                Some(
                    Going::Run { cancelled, .. }
                    | Going::Sweep { cancelled }
                    | Going::Check { cancelled },
                ) => {
                    *cancelled = true;
                }
                None => panic!("a cancel with nothing going"),
            },
            Effect::Quit => self.quit = true,
            Effect::SaveSweep { index, .. } => self.send(Msg::SweepSaved {
                index,
                saved: Err("the disk is full".to_string()),
            }),
            Effect::WriteReport(_) => {
                self.send(Msg::ReportWritten(Ok("parlab-report.md".into())));
            }
        }
    }

    fn run_spec(&self) -> Option<Work> {
        match &self.going {
            Some(Going::Run { spec, .. }) => Some(*spec),
            _ => None,
        }
    }

    fn step(&mut self, op: Op) {
        match op {
            Op::Key(key) => {
                let effect = self.app.update(Msg::Key(key));
                self.apply(effect);
            }
            Op::SideStarted(parallel) => {
                if let Some(spec) = self.run_spec() {
                    let board = Arc::new(TaskBoard::new(spec.tasks.min(MAX_FAKE_TASKS)));
                    self.send(Msg::Run(RunMsg::Event(RunEvent::Started {
                        side: side(parallel),
                        round: 0,
                        warmup: false,
                        board,
                        origin: self.now,
                    })));
                }
            }
            Op::SideFinished(parallel) => {
                if self.run_spec().is_some() {
                    self.send(Msg::Run(RunMsg::Event(RunEvent::Finished {
                        side: side(parallel),
                        timing: RunTiming {
                            wall: Duration::from_millis(300),
                            cpu: Duration::from_millis(2),
                            checksum: Some(42),
                            transfer: None,
                        },
                    })));
                }
            }
            Op::RunDone(kind) => {
                if let Some(Going::Run { spec, cancelled }) = self.going {
                    self.going = None;
                    let done = match (cancelled, kind) {
                        (true, _) | (false, 1) => Ok(None),
                        (false, 0) => Ok(Some(Box::new(self.report(&spec)))),
                        _ => Err("the pool could not start".to_string()),
                    };
                    self.send(Msg::Run(RunMsg::Done(done)));
                }
            }
            Op::SweepDone(failed) => {
                if let Some(Going::Check { cancelled }) = self.going {
                    self.going = None;
                    let done = if failed && !cancelled {
                        Err("the pool could not start".to_string())
                    } else {
                        Ok(None)
                    };
                    self.send(Msg::Check(CheckMsg::Done(done)));
                }
                if let Some(Going::Sweep { cancelled }) = self.going {
                    self.going = None;
                    let done = if failed && !cancelled {
                        Err("the pool could not start".to_string())
                    } else {
                        Ok(None)
                    };
                    self.send(Msg::Sweep(SweepMsg::Done(done)));
                }
            }
            Op::Sample(load) => {
                let usage = vec![f32::from(load) / 2.55; self.machine.logical_cpus];
                self.send(Msg::Sample(usage));
            }
            Op::Advance(ms) => {
                self.now += Duration::from_millis(u64::from(ms));
                self.app.advance(self.now);
            }
            Op::Suspend => self.send(Msg::Suspend),
            Op::Draw(width, height) => {
                self.send(Msg::Resized { width, height });
                self.draw(width, height);
            }
            Op::ProbeCancel => self.probe_cancel(),
            Op::ProbeQuit => {
                assert_eq!(self.app.update(Msg::Key(Key::Ctrl('c'))), Effect::Quit);
            }
        }
        self.check();
    }

    /// A run or sweep going gives a cancel within a few Esc presses, and
    /// Esc does nothing else on the way.
    fn probe_cancel(&mut self) {
        if !(self.app.is_running() || self.app.is_sweeping() || self.app.check.is_running()) {
            return;
        }
        let already = matches!(
            self.going,
            Some(
                Going::Run {
                    cancelled: true,
                    ..
                } | Going::Sweep { cancelled: true }
                    | Going::Check { cancelled: true }
            )
        );
        for _ in 0..4 {
            match self.app.update(Msg::Key(Key::Esc)) {
                Effect::Cancel => return self.apply(Effect::Cancel),
                Effect::None => {}
                other => panic!("Esc during a run gave {other:?}"),
            }
        }
        assert!(already, "four Esc presses did not cancel the run going");
    }

    fn check(&self) {
        let (running, sweeping) = match &self.going {
            Some(Going::Run { .. }) => (true, false),
            Some(Going::Sweep { .. }) => (false, true),
            Some(Going::Check { .. }) | None => (false, false),
        };
        assert_eq!(
            self.app.check.is_running(),
            matches!(self.going, Some(Going::Check { .. })),
            "the app and the loop disagree on the check"
        );
        assert_eq!(
            self.app.is_running(),
            running,
            "the app and the loop disagree on the run"
        );
        assert_eq!(
            self.app.is_sweeping(),
            sweeping,
            "the app and the loop disagree on the sweep"
        );
    }

    fn draw(&self, width: u16, height: u16) {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
        terminal
            .draw(|frame| parlab::ui::render(&self.app, frame))
            .expect("a frame");
    }

    /// A measured report for `spec`, with every task equal.
    fn report(&self, spec: &Work) -> RunResult {
        let tasks = spec.tasks.clamp(1, MAX_FAKE_TASKS);
        let side_of = |wall: Duration| SideResult {
            wall: Summary::of(&[wall]),
            cpu: Duration::from_millis(3),
            checksum: 42,
            task_times: vec![wall / tasks as u32; tasks],
            serial_part: Duration::ZERO,
            transfer: None,
            end_idle: None,
            record: Default::default(),
        };
        RunResult::new(
            spec,
            Rounds::ONCE,
            &self.machine,
            &side_of(Duration::from_millis(2400)),
            &side_of(Duration::from_millis(310)),
            Duration::from_micros(700),
        )
    }
}

fn side(parallel: bool) -> Side {
    if parallel {
        Side::Parallel
    } else {
        Side::Serial
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_sessions_keep_the_lab_consistent(ops in prop::collection::vec(op(), 1..160)) {
        let mut driver = Driver::new();
        for op in ops {
            driver.step(op);
            if driver.quit {
                break;
            }
        }
        driver.send(Msg::Resized { width: 80, height: 24 });
        driver.draw(80, 24);
        driver.probe_cancel();
    }
}

/// A fixed session through the lessons, a guess and a sweep, so the
/// paths the random ones rarely reach are walked every time.
#[test]
fn a_scripted_session_through_every_mode_keeps_the_lab_consistent() {
    let mut driver = Driver::new();
    let keys = [
        Key::Char('L'),
        Key::Enter,
        Key::Char('n'),
        Key::Char('r'),
        Key::Char('3'),
        Key::Enter,
    ];
    for key in keys {
        driver.step(Op::Key(key));
    }
    for op in [
        Op::SideStarted(false),
        Op::SideFinished(false),
        Op::SideStarted(true),
        Op::Draw(80, 24),
        Op::ProbeCancel,
        Op::RunDone(0),
        Op::Key(Key::Char('s')),
        Op::Draw(80, 24),
        Op::ProbeCancel,
        Op::SweepDone(false),
        Op::Key(Key::Char('b')),
        Op::Draw(60, 15),
        Op::Key(Key::Esc),
        Op::Key(Key::Esc),
        Op::Key(Key::Esc),
        Op::ProbeQuit,
    ] {
        driver.step(op);
    }
    assert!(!driver.quit, "Esc never quits");
}
