//! State changes of the lab, driven by made-up keys and run events.

use super::live_run::{RunMsg, RunStatus, Stage};
use super::test_support::{app, ms, parallel_running, seed_finished, serial_running};
use super::*;
use crate::workload::WorkloadKind;
use selection::Selection;
use settings::Setting;

fn keys(app: &mut App, keys: &[Key]) -> Vec<Effect> {
    keys.iter().map(|k| app.on_key(*k)).collect()
}

#[test]
fn it_opens_on_the_seed_demo_with_nothing_run() {
    let app = app();
    assert_eq!(app.lab.spec, RunSpec::SEED_DEMO);
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
        Effect::StartRun(RunSpec::SEED_DEMO)
    );
    assert!(app.is_running());
    assert!(matches!(app.lab.rows[0].status, RunStatus::Running));
    let app = seed_finished();
    assert!(!app.is_running());
    let RunStatus::Done(report) = &app.lab.rows[0].status else {
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
    ] {
        assert_eq!(app.on_key(key), Effect::None, "{key:?}");
        let message = app.message.clone().unwrap_or_default();
        assert!(
            message.contains("waits until the run ends"),
            "{key:?}: {message}"
        );
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
    for _ in 4..WorkloadKind::ALL.len() {
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
    assert_ne!(app.lab.spec.workload, WorkloadKind::SerialFraction);
    assert_eq!(
        app.lab.selected,
        Setting::Workload,
        "the row it was on is gone"
    );
}

#[test]
fn a_busy_machine_is_named_while_the_run_goes_on() {
    let mut app = app();
    app.on_sample(vec![90.0, 10.0]);
    assert_eq!(
        app.on_key(Key::Char('r')),
        Effect::StartRun(RunSpec::SEED_DEMO)
    );
    let warning =
        "the machine was already 50.0 % busy before the run (busiest CPU 90.0 %, over 250 ms)";
    let message = app.message.clone().unwrap_or_default();
    assert!(message.starts_with(warning), "{message}");
    assert!(app.is_running(), "the warning does not stop the run");
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
    let spec = RunSpec {
        workload: crate::workload::WorkloadKind::Uneven,
        tasks: 8,
        workers: 4,
        task_ms: 10.0,
        ..RunSpec::SEED_DEMO
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
        Effect::StartRun(RunSpec::SEED_DEMO)
    );
}
