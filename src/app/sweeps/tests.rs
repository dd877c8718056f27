//! The sweep view's state, driven by made-up keys and sweep events: no
//! terminal, no thread, no clock.

use super::test_support::{parallel, sweep_at, sweep_done, sweep_opened};
use super::*;
use crate::app::keys::{self, Binding, Key, Lookup, SWEEP_KEYS};
use crate::app::test_support::{app, serial_running};
use crate::app::{App, Effect, Mode, Msg, Screen};
use crate::sweep::ScalingModel;
use crate::sweep::fixtures::cpu_report;
use crate::workload::WorkloadKind;
use std::path::PathBuf;

fn message(app: &App) -> String {
    app.message.clone().unwrap_or_default()
}

#[test]
fn s_opens_the_view_for_the_current_settings_over_the_default_counts() {
    let app = sweep_opened();
    assert_eq!(app.mode, Mode::Sweep);
    assert!(app.is_sweeping());
    assert!(!app.is_running(), "the lab's own run is not involved");
    let plan = &app.sweeps.current.as_ref().unwrap().plan;
    assert_eq!(plan.workload, WorkloadKind::Cpu);
    assert_eq!((plan.tasks, plan.task_ms), (16, 20.0));
    assert_eq!(plan.workers.0, [1, 2, 4, 8]);
    assert_eq!(plan.rounds, Rounds::ONCE);
    assert!(app.sweeps.finished.is_empty());
}

#[test]
fn settings_a_sweep_cannot_take_are_refused_in_place() {
    let mut app = app();
    app.lab.spec.task_ms = 0.0;
    assert_eq!(app.on_key(Key::Char('s')), Effect::None);
    assert_eq!(app.mode, Mode::Main);
    assert!(app.sweeps.current.is_none());
    assert!(message(&app).starts_with("refused: "), "{}", message(&app));
}

#[test]
fn s_waits_while_the_lab_runs() {
    let mut app = serial_running(3);
    assert_eq!(app.on_key(Key::Char('s')), Effect::None);
    assert_eq!(app.mode, Mode::Main);
    assert!(message(&app).contains("s (sweep) waits until the run ends"));
}

#[test]
fn rows_arrive_one_by_one_and_the_fit_follows_them() {
    let app = sweep_at(1, true);
    let view = app.sweeps.current.as_ref().unwrap();
    assert_eq!(
        view.baseline.as_ref().unwrap().median,
        cpu_report().serial.median
    );
    assert_eq!(view.rows.len(), 1);
    assert!(
        view.fit.is_none(),
        "one worker alone says nothing about scaling"
    );
    let live = view.live.as_ref().unwrap();
    assert_eq!(live.stage, parallel(1));
    assert_eq!(live.finished_tasks(), 7);
    assert_eq!(live.elapsed(app.now), Duration::from_millis(120));
    let app = sweep_at(3, false);
    let view = app.sweeps.current.as_ref().unwrap();
    assert_eq!(view.rows.len(), 3);
    let fit = view.fit.as_ref().unwrap();
    assert_eq!(
        fit.model,
        ScalingModel::Waves,
        "within the CPUs, waves and cores agree"
    );
    assert_eq!(fit.max_workers, 4);
    assert_eq!(
        view.live.as_ref().unwrap().wall,
        Some(Duration::from_millis(100))
    );
    assert!(app.is_sweeping());
}

#[test]
fn a_finished_sweep_is_kept_for_the_session() {
    let app = sweep_done();
    let view = app.sweeps.current.as_ref().unwrap();
    assert_eq!(view.status, SweepStatus::Done { index: 0 });
    assert!(!app.is_sweeping());
    assert!(!app.sweeps.is_running(), "nothing left to measure");
    assert_eq!(view.fit.as_ref(), Some(&cpu_report().fit));
    assert_eq!(cpu_report().fit.model, ScalingModel::Cores, "past the CPUs");
    assert_eq!(app.sweeps.finished.len(), 1);
    assert_eq!(app.sweeps.finished[0].report, cpu_report());
    assert!(app.sweeps.finished[0].files.is_none());
}

#[test]
fn keys_that_would_disturb_the_sweep_are_refused_while_it_runs() {
    let mut app = sweep_at(2, true);
    let spec = app.lab.spec;
    for (key, says) in [
        (
            Key::Char('e'),
            "e (export) waits until the sweep ends: Esc cancels it",
        ),
        (Key::Char('s'), "s (again) waits until the sweep ends"),
        (
            Key::Char('r'),
            "'r' does nothing here: Esc cancels the sweep",
        ),
        (Key::Right, "Right does nothing here"),
        (Key::Char('5'), "0-9 (workers) waits until the sweep ends"),
        (Key::Char('w'), "w (weak) waits until the sweep ends"),
    ] {
        assert_eq!(app.on_key(key), Effect::None, "{key:?}");
        assert!(
            message(&app).starts_with(says),
            "{key:?}: {}",
            message(&app)
        );
    }
    assert_eq!(app.lab.spec, spec);
    assert!(app.is_sweeping());
    assert_eq!(app.on_key(Key::Char('t')), Effect::None);
    assert_eq!(app.theme, crate::theme::ThemeName::Light);
    assert_eq!(app.on_key(Key::Char('q')), Effect::Quit);
    assert_eq!(app.on_key(Key::Ctrl('c')), Effect::Quit);
}

#[test]
fn esc_cancels_a_running_sweep_then_leaves_the_view() {
    let mut app = sweep_at(2, true);
    assert_eq!(app.on_key(Key::Esc), Effect::Cancel);
    assert!(app.sweeps.current.as_ref().unwrap().cancelling);
    assert_eq!(message(&app), "cancelling…");
    app.on_sweep(SweepMsg::Done(Ok(None)));
    let view = app.sweeps.current.as_ref().unwrap();
    assert_eq!(view.status, SweepStatus::Cancelled);
    assert!(!view.cancelling);
    assert_eq!(view.rows.len(), 2, "the measured rows stay");
    assert!(app.message.is_none());
    assert!(!app.is_sweeping());
    assert!(
        app.sweeps.finished.is_empty(),
        "a cancelled sweep is no result"
    );
    assert_eq!(app.on_key(Key::Char('e')), Effect::None);
    assert!(message(&app).starts_with("nothing to export"));
    assert_eq!(app.on_key(Key::Esc), Effect::None);
    assert_eq!(app.mode, Mode::Main);
    assert!(app.sweeps.current.is_none());
}

#[test]
fn esc_on_a_finished_sweep_goes_back_and_s_measures_again() {
    let mut app = sweep_done();
    assert!(matches!(app.on_key(Key::Char('s')), Effect::StartSweep(_)));
    assert!(app.is_sweeping());
    assert!(app.sweeps.current.as_ref().unwrap().rows.is_empty());
    assert_eq!(
        app.sweeps.finished.len(),
        1,
        "the first sweep stays in the session"
    );
    let mut app = sweep_done();
    assert_eq!(app.on_key(Key::Esc), Effect::None);
    assert_eq!(app.mode, Mode::Main);
    assert_eq!(app.sweeps.finished.len(), 1);
}

#[test]
fn e_asks_for_the_files_and_the_answer_says_where_they_went() {
    let mut app = sweep_done();
    assert_eq!(
        app.on_key(Key::Char('e')),
        Effect::SaveSweep {
            index: 0,
            report: Box::new(cpu_report())
        }
    );
    let files = SweepFiles {
        svg: PathBuf::from("/home/t/parlab-sweep-cpu-2026-11-25_06-23-25.svg"),
        markdown: PathBuf::from("/home/t/parlab-sweep-cpu-2026-11-25_06-23-25.md"),
    };
    app.update(Msg::SweepSaved {
        index: 0,
        saved: Ok(files.clone()),
    });
    assert_eq!(
        message(&app),
        "saved parlab-sweep-cpu-2026-11-25_06-23-25.svg and .md in /home/t"
    );
    assert_eq!(app.sweeps.finished[0].files.as_ref(), Some(&files));
    app.on_key(Key::Esc);
    let Effect::WriteReport(request) = app.on_key(Key::Char('e')) else {
        panic!("e in the lab asks for the report");
    };
    let sections = request.sweep_sections();
    assert_eq!(sections.len(), 1);
    assert!(sections[0].title.contains("cpu"), "{}", sections[0].title);
    assert!(sections[0].table.contains("| workers |"));
    assert_eq!(
        sections[0].chart.as_deref(),
        Some("parlab-sweep-cpu-2026-11-25_06-23-25.svg"),
        "the report links the chart beside it"
    );
    app.update(Msg::SweepSaved {
        index: 0,
        saved: Err("cannot save the sweep in /ro: denied".to_string()),
    });
    assert_eq!(message(&app), "cannot save the sweep in /ro: denied");
    assert_eq!(app.sweeps.finished[0].files.as_ref(), Some(&files));
}

#[test]
fn a_sweep_that_cannot_run_says_why() {
    let mut app = sweep_opened();
    app.on_sweep(SweepMsg::Done(Err(
        "cannot start the sweep thread: no".into()
    )));
    let view = app.sweeps.current.as_ref().unwrap();
    assert!(matches!(view.status, SweepStatus::Failed(_)));
    assert!(!app.is_sweeping());
    assert_eq!(
        message(&app),
        "the sweep failed: cannot start the sweep thread: no"
    );
}

#[test]
fn the_help_opens_on_question_mark_and_any_key_closes_it() {
    let mut app = sweep_at(1, true);
    assert_eq!(app.on_key(Key::Char('?')), Effect::None);
    assert_eq!(
        app.mode,
        Mode::Help {
            under: Screen::Sweep
        }
    );
    assert_eq!(
        app.on_key(Key::Esc),
        Effect::None,
        "Esc only closes the help"
    );
    assert_eq!(app.mode, Mode::Sweep);
    assert!(app.is_sweeping());
    app.on_key(Key::Char('?'));
    assert_eq!(app.on_key(Key::Char('q')), Effect::Quit);
}

#[test]
fn every_sweep_key_is_documented_and_does_something() {
    let bar = |running| keys::bar_of(&SWEEP_KEYS, running);
    assert!(bar(true).contains(&("Esc", "cancel")));
    assert!(!bar(true).iter().any(|(key, _)| *key == "e"));
    assert_eq!(bar(false)[..2], [("Esc", "back"), ("e", "export")]);
    for binding in &SWEEP_KEYS {
        let binding: &Binding = binding;
        assert!(!binding.about.is_empty());
        for key in binding.keys {
            assert!(
                [true, false]
                    .iter()
                    .any(|r| matches!(keys::lookup_in(&SWEEP_KEYS, *key, *r), Lookup::Do(_))),
                "{key:?}"
            );
        }
    }
    assert_eq!(keys::help_of(&SWEEP_KEYS).len(), SWEEP_KEYS.len());
}

#[test]
fn messages_for_a_sweep_that_was_left_are_ignored() {
    let mut app = sweep_done();
    app.on_key(Key::Esc);
    app.on_sweep(SweepMsg::Done(Ok(None)));
    assert!(app.sweeps.current.is_none());
    assert_eq!(app.mode, Mode::Main);
}

#[test]
fn w_switches_to_weak_scaling_and_typed_counts_are_measured_and_kept() {
    let started = |effect: Effect| match effect {
        Effect::StartSweep(plan) => plan,
        other => panic!("{other:?}"),
    };
    let mut app = sweep_done();
    let plan = started(app.on_key(Key::Char('w')));
    assert_eq!(plan.scaling, crate::sweep::Scaling::Weak);
    assert_eq!(plan.spec(4).tasks, 4 * plan.tasks, "tasks per worker");
    assert!(
        message(&app).contains("tasks per worker"),
        "{}",
        message(&app)
    );
    let mut app = sweep_done();
    for key in [
        Key::Char('1'),
        Key::Char(','),
        Key::Char('3'),
        Key::Backspace,
    ] {
        assert_eq!(app.on_key(key), Effect::None);
    }
    let typing = |app: &App| app.sweeps.current.as_ref().unwrap().typing.clone();
    assert_eq!(typing(&app).as_deref(), Some("1,"));
    for key in [
        Key::Char('2'),
        Key::Char('.'),
        Key::Char('.'),
        Key::Char('3'),
    ] {
        app.on_key(key);
    }
    let plan = started(app.on_key(Key::Enter));
    assert_eq!(plan.workers.0, [1, 2, 3]);
    assert_eq!(
        app.sweeps.choice.workers,
        Some(crate::sweep::WorkerCounts(vec![1, 2, 3]))
    );
    let mut refused = sweep_done();
    for key in [Key::Char('0'), Key::Enter] {
        refused.on_key(key);
    }
    assert!(
        message(&refused).starts_with("refused: "),
        "{}",
        message(&refused)
    );
    assert!(!refused.is_sweeping());
    let mut dropped = sweep_done();
    dropped.on_key(Key::Char('4'));
    dropped.on_key(Key::Esc);
    assert!(typing(&dropped).is_none());
    assert_eq!(dropped.mode, Mode::Sweep, "Esc drops the typing only");
}
