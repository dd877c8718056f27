//! The live lab end to end: the real binary in a tmux window, driven with
//! keys and read back from the screen, as a person at a terminal would.
//!
//! Each test uses its own tmux server (`-L`), so tests and other tmux users
//! never meet. tmux is required: without it these tests fail, they do not
//! skip (`.ci/run` installs it). tmux, signals and the /proc process
//! tree make them Linux tests.

#![cfg(target_os = "linux")]

mod common;

use common::{alive, descendants};
use std::collections::BTreeSet;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// Printed by the shell once parlab has exited, with its status.
const EXIT_MARK: &str = "PARLAB-EXIT=";

/// parlab running in a detached tmux window of its own server.
struct Window {
    server: String,
}

impl Window {
    fn open(columns: u16, rows: u16) -> Self {
        Self::open_with(columns, rows, "")
    }

    /// The lab started with `args` (shell words) after the binary.
    fn open_with(columns: u16, rows: u16, args: &str) -> Self {
        let version = Command::new("tmux").arg("-V").output();
        assert!(
            version.is_ok_and(|o| o.status.success()),
            "tmux is needed for the terminal tests (apt-get install tmux)"
        );
        let server = format!(
            "parlab-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let shell = format!(
            "{} {args}; echo {EXIT_MARK}$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e '-\\?icanon' -e '-\\?echo'; sleep 600",
            env!("CARGO_BIN_EXE_parlab")
        );
        let window = Self { server };
        let (x, y) = (columns.to_string(), rows.to_string());
        window.tmux(&["new-session", "-d", "-s", "lab", "-x", &x, "-y", &y, &shell]);
        window
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let output = Command::new("tmux")
            .args(["-L", &self.server])
            .args(args)
            .env_remove("NO_COLOR")
            .env_remove("TMUX")
            .output()
            .expect("tmux runs");
        assert!(
            output.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "lab"]).stdout)
            .into_owned()
    }

    fn keys(&self, keys: &str) {
        self.tmux(&["send-keys", "-t", "lab", keys]);
    }

    /// Polls the screen until `done` holds; fails with the last screen.
    fn wait_for(
        &self,
        what: &str,
        within: Duration,
        done: impl Fn(&str) -> bool,
    ) -> (String, Duration) {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return (screen, started.elapsed());
            }
            assert!(
                started.elapsed() < within,
                "no {what} within {within:?}:\n{screen}"
            );
            sleep(Duration::from_millis(20));
        }
    }

    /// Quits with `key` and checks the exit status and the restored terminal.
    fn quit_cleanly(&self, key: &str) {
        self.keys(key);
        self.expect_clean_exit();
    }

    /// The terminal's line settings as `stty` reads them: whether it is in
    /// line mode (`icanon`) and echoes (`echo`), from outside the window.
    fn line_mode(&self) -> (bool, bool) {
        let tty = self.tmux(&["display", "-p", "-t", "lab", "#{pane_tty}"]);
        let tty = String::from_utf8_lossy(&tty.stdout).trim().to_string();
        let stty = Command::new("stty")
            .args(["-a", "-F", &tty])
            .output()
            .expect("stty runs");
        let settings = String::from_utf8_lossy(&stty.stdout).into_owned();
        let words: Vec<&str> = settings.split_whitespace().collect();
        (words.contains(&"icanon"), words.contains(&"echo"))
    }

    /// The process id of parlab (the child of the window's shell).
    fn parlab_pid(&self) -> String {
        let shell = self.tmux(&["list-panes", "-t", "lab", "-F", "#{pane_pid}"]);
        let shell = String::from_utf8_lossy(&shell.stdout).trim().to_string();
        let child = Command::new("pgrep")
            .args(["-P", &shell])
            .output()
            .expect("pgrep runs");
        let pid = String::from_utf8_lossy(&child.stdout).trim().to_string();
        assert!(
            !pid.is_empty(),
            "parlab is not running under the shell {shell}"
        );
        pid
    }

    /// Sends `signal` to parlab.
    fn signal(&self, signal: &str) {
        let pid = self.parlab_pid();
        let sent = Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "kill {signal} {pid}");
    }

    /// Checks that parlab ended with status 0 and left the terminal usable.
    fn expect_clean_exit(&self) {
        self.expect_exit(0);
    }

    /// Checks that parlab ended with `status` and left the terminal usable.
    fn expect_exit(&self, status: u8) {
        let (screen, _) = self.wait_for("exit", Duration::from_secs(5), |s| {
            s.lines().any(|l| matches!(l.trim(), "echo" | "-echo"))
        });
        assert!(
            screen.contains(&format!("{EXIT_MARK}{status}\n")),
            "exit status {status}:\n{screen}"
        );
        let lines: Vec<&str> = screen.lines().map(str::trim).collect();
        assert!(
            lines.contains(&"icanon") && lines.contains(&"echo"),
            "raw mode left on:\n{screen}"
        );
        assert!(
            !screen.contains("Worker lanes"),
            "the lab's screen was left behind:\n{screen}"
        );
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.server, "kill-server"])
            .output();
    }
}

/// The serial time, parallel time and speedup from the newest table row.
fn newest_row(screen: &str) -> Option<(f64, f64, f64)> {
    let row = screen
        .lines()
        .find(|l| l.starts_with("▶sleep") && l.contains('×'))?;
    let tokens: Vec<&str> = row.split_whitespace().collect();
    let mut seconds = tokens.windows(2).filter_map(|pair| {
        let value: f64 = pair[0].parse().ok()?;
        let scale = match pair[1] {
            "s" => 1.0,
            "ms" => 1e-3,
            "µs" => 1e-6,
            _ => return None,
        };
        Some(value * scale)
    });
    let (serial, parallel) = (seconds.next()?, seconds.next()?);
    let speedup = tokens
        .iter()
        .find_map(|t| t.strip_suffix('×')?.parse().ok())?;
    Some((serial, parallel, speedup))
}

/// Whether the newest row shows the serial side under way.
fn serial_running(screen: &str) -> bool {
    screen
        .lines()
        .any(|l| l.starts_with("▶sleep") && l.contains("serial") && l.contains("/24 tasks"))
}

#[test]
fn the_seed_demo_runs_in_the_terminal_and_quits_cleanly() {
    let lab = Window::open(100, 30);
    let (screen, _) = lab.wait_for("core bars", Duration::from_secs(10), |s| {
        s.contains("cpu0") && s.contains('%')
    });
    for needle in [
        "▶ tasks      24",
        "workers    8",
        "workload   sleep",
        "task time  100 ms",
        "Worker lanes",
    ] {
        assert!(screen.contains(needle), "{needle}:\n{screen}");
    }
    lab.keys("r");
    let (screen, _) = lab.wait_for("finished row", Duration::from_secs(5), |s| {
        newest_row(s).is_some()
    });
    let (serial, parallel, speedup) = newest_row(&screen).unwrap_or_default();
    // 24 sleeps of 100 ms cannot take less than 2.4 s, nor 3 waves less
    // than 0.3 s; the upper bounds leave room for a busy machine.
    assert!((2.395..3.0).contains(&serial), "serial {serial}:\n{screen}");
    assert!(
        (0.295..0.45).contains(&parallel),
        "parallel {parallel}:\n{screen}"
    );
    assert!(
        (6.0..9.0).contains(&speedup),
        "speedup {speedup}:\n{screen}"
    );
    lab.keys("q");
    lab.wait_for("the question", Duration::from_secs(2), |s| {
        s.contains("not exported")
    });
    lab.quit_cleanly("q");
}

#[test]
fn esc_cancels_a_run_at_once_and_never_quits() {
    let lab = Window::open(100, 30);
    lab.wait_for("the lab", Duration::from_secs(10), |s| {
        s.contains("Worker lanes")
    });
    lab.keys("r");
    lab.wait_for("the serial side", Duration::from_secs(5), serial_running);
    lab.keys("w");
    let (screen, _) = lab.wait_for("a refusal", Duration::from_secs(2), |s| {
        s.contains("waits until the run ends")
    });
    assert!(
        screen.contains("workload   sleep"),
        "w changed the workload mid-run:\n{screen}"
    );
    lab.keys("Escape");
    let (screen, took) = lab.wait_for("cancelled row", Duration::from_secs(2), |s| {
        s.contains("cancelled")
    });
    // Tasks check the flag every 20 ms; screen polling adds its own delay.
    assert!(took < Duration::from_millis(500), "cancel took {took:?}");
    let row = screen
        .lines()
        .find(|l| l.starts_with("▶sleep"))
        .unwrap_or_default();
    assert_eq!(row.matches('—').count(), 2, "no side finished: {row}");
    lab.keys("Escape");
    lab.wait_for("a note", Duration::from_secs(2), |s| s.contains("q quits"));
    lab.quit_cleanly("q");
}

#[test]
fn a_small_window_asks_for_room_and_a_resize_keeps_the_run() {
    let lab = Window::open(60, 15);
    lab.wait_for("the enlarge message", Duration::from_secs(10), |s| {
        s.contains("Enlarge it to 80x24") && s.contains("only q (quit) and Esc")
    });
    // Keys the screen does not name do nothing unseen.
    for key in ["w", "r", "p", "Escape"] {
        lab.keys(key);
    }
    sleep(Duration::from_millis(300));
    lab.tmux(&["resize-window", "-t", "lab", "-x", "80", "-y", "24"]);
    let (screen, _) = lab.wait_for("the lab", Duration::from_secs(5), |s| {
        s.contains("Worker lanes")
    });
    assert!(
        screen.contains("workload   sleep"),
        "w acted unseen:\n{screen}"
    );
    assert!(
        !screen.contains("serial:"),
        "r started a run unseen:\n{screen}"
    );
    assert!(
        !screen.contains("Presets"),
        "p opened the presets unseen:\n{screen}"
    );
    lab.keys("r");
    lab.wait_for("the serial side", Duration::from_secs(5), serial_running);
    lab.tmux(&["resize-window", "-t", "lab", "-x", "100", "-y", "30"]);
    let (screen, _) = lab.wait_for("finished row", Duration::from_secs(8), |s| {
        newest_row(s).is_some()
    });
    assert!(screen.lines().any(|l| l.starts_with("▶sleep")), "{screen}");
    lab.quit_cleanly("C-c");
}

#[test]
fn a_lesson_step_takes_a_guess_and_the_presenter_shows_the_result() {
    let lab = Window::open(80, 24);
    lab.wait_for("the lab", Duration::from_secs(10), |s| {
        s.contains("Worker lanes")
    });
    lab.keys("L");
    let (list, _) = lab.wait_for("the lessons", Duration::from_secs(2), |s| {
        s.contains("13  Threads and processes")
    });
    assert!(list.contains(" 1  The classic demo"), "{list}");
    for key in ["Enter", "n", "r", "300", "Enter"] {
        lab.keys(key);
    }
    let (screen, _) = lab.wait_for("the judged guess", Duration::from_secs(6), |s| {
        s.contains("◆") && s.contains("you guessed 300 ms")
    });
    assert!(
        screen.contains("Lesson 1 · The classic demo · step 2/4"),
        "{screen}"
    );
    assert!(
        screen.contains("24 tasks on 8 workers make 3 waves"),
        "{screen}"
    );
    lab.keys("b");
    let (big, _) = lab.wait_for("big figures", Duration::from_secs(2), |s| {
        s.lines().next().is_some_and(|l| l.contains("speedup"))
    });
    assert!(
        big.lines().nth(1).is_some_and(|l| l.contains("███")),
        "{big}"
    );
    assert!(!big.contains("Settings"), "{big}");
    lab.keys("Escape");
    lab.wait_for("the lesson again", Duration::from_secs(2), |s| {
        s.contains("Lesson 1")
    });
    lab.keys("Escape");
    lab.wait_for("the lab again", Duration::from_secs(2), |s| {
        s.contains("left the lesson") && !s.contains("Lesson 1")
    });
    lab.keys("q");
    lab.wait_for("the question", Duration::from_secs(2), |s| {
        s.contains("not exported")
    });
    lab.quit_cleanly("q");
}

#[test]
fn a_sweep_fills_its_rows_live_and_esc_cancels_then_goes_back() {
    let lab = Window::open(80, 24);
    lab.wait_for("the lab", Duration::from_secs(10), |s| {
        s.contains("Worker lanes")
    });
    lab.keys("12");
    lab.keys("Enter");
    lab.wait_for("12 tasks", Duration::from_secs(2), |s| {
        s.contains("▶ tasks      12")
    });
    lab.keys("s");
    let (screen, _) = lab.wait_for("the second row under way", Duration::from_secs(8), |s| {
        s.contains("measuring 2 workers (2/")
    });
    assert!(
        screen.contains("serial baseline 1.2") || screen.contains("serial baseline 1.3"),
        "12 sleeps of 100 ms:\n{screen}"
    );
    assert!(
        screen.lines().any(|l| l.starts_with("▶      1    1.")),
        "the first row is in:\n{screen}"
    );
    lab.keys("r");
    lab.wait_for("a refusal", Duration::from_secs(2), |s| {
        s.contains("'r' does nothing here: Esc cancels the sweep")
    });
    lab.keys("Escape");
    let (_, took) = lab.wait_for("the cancel", Duration::from_secs(2), |s| {
        s.contains("cancelled after 1 of")
    });
    // Tasks check the flag every 20 ms; screen polling adds its own delay.
    assert!(took < Duration::from_millis(500), "cancel took {took:?}");
    lab.keys("Escape");
    lab.wait_for("the lab again", Duration::from_secs(2), |s| {
        s.contains("Worker lanes")
    });
    lab.quit_cleanly("q");
}

#[test]
fn each_termination_signal_mid_run_restores_the_terminal_and_exits_128_plus_n() {
    for (signal, status) in [("-TERM", 143), ("-INT", 130), ("-HUP", 129), ("-QUIT", 131)] {
        let lab = Window::open(80, 24);
        lab.wait_for("the lab", Duration::from_secs(10), |s| {
            s.contains("Worker lanes")
        });
        lab.keys("r");
        lab.wait_for("the serial run", Duration::from_secs(5), serial_running);
        lab.signal(signal);
        lab.expect_exit(status);
        let screen = lab.screen();
        assert!(!screen.contains("stopped on an internal error"), "{screen}");
    }
}

#[test]
fn a_stop_from_outside_gives_the_terminal_back_and_a_continue_takes_it_again() {
    let lab = Window::open(80, 24);
    lab.wait_for("the lab", Duration::from_secs(10), |s| {
        s.contains("Worker lanes")
    });
    lab.keys("r");
    lab.wait_for("the serial run", Duration::from_secs(5), serial_running);
    lab.signal("-TSTP");
    let (screen, _) = lab.wait_for("the shell's screen", Duration::from_secs(3), |s| {
        !s.contains("Worker lanes")
    });
    let deadline = Instant::now() + Duration::from_secs(3);
    while lab.line_mode() != (true, true) {
        assert!(
            Instant::now() < deadline,
            "raw mode kept while stopped:\n{screen}"
        );
        sleep(Duration::from_millis(20));
    }
    lab.signal("-CONT");
    let (screen, _) = lab.wait_for("the lab redrawn", Duration::from_secs(3), |s| {
        s.contains("Worker lanes") && s.contains("Settings") && s.contains("q quit")
    });
    assert!(
        screen.contains("cancelled on suspend"),
        "a run spanning the stop is not timed:\n{screen}"
    );
    assert_eq!(lab.line_mode(), (false, false), "raw mode again");
    // The first key after the continue counts.
    lab.keys("r");
    lab.wait_for("a new run", Duration::from_secs(3), serial_running);
    lab.keys("Escape");
    lab.wait_for("the cancel", Duration::from_secs(3), |s| {
        s.contains("run cancelled") || s.contains("Cancelled")
    });
    lab.keys("C-c");
    lab.expect_clean_exit();
}

#[test]
fn esc_never_quits_and_q_asks_once_when_runs_were_not_exported() {
    let lab = Window::open(80, 24);
    lab.wait_for("the lab", Duration::from_secs(10), |s| {
        s.contains("Worker lanes")
    });
    lab.keys("Escape");
    lab.keys("Escape");
    lab.wait_for("a note", Duration::from_secs(2), |s| s.contains("q quits"));
    lab.keys("r");
    lab.wait_for("finished row", Duration::from_secs(6), |s| {
        newest_row(s).is_some()
    });
    lab.keys("q");
    lab.wait_for("the question", Duration::from_secs(2), |s| {
        s.contains("1 run not exported") && s.contains("q again quits")
    });
    lab.quit_cleanly("q");
}

/// Waits until `within` for every process in `seen` to be gone.
fn expect_gone(seen: &BTreeSet<u32>, within: Duration, after: &str) {
    let started = Instant::now();
    loop {
        let left = alive(seen);
        if left.is_empty() {
            return;
        }
        assert!(
            started.elapsed() < within,
            "worker processes {left:?} outlived {after}"
        );
        sleep(Duration::from_millis(20));
    }
}

#[test]
fn no_worker_process_outlives_esc_q_ctrl_c_or_a_killed_lab() {
    // o once: parlab's processes (8 workers); twice: Python's Pool (the
    // driver and its 8 workers). 8 tasks of 100 ms, so the workers start
    // after a 0.8 s serial side and are inside their tasks when the key or
    // the signal comes.
    for (presses, pool, workers) in [(1, "processes", 8), (2, "python-processes", 9)] {
        for ending in ["Escape", "q", "C-c", "-KILL"] {
            let lab = Window::open(100, 30);
            lab.wait_for("the lab", Duration::from_secs(10), |s| {
                s.contains("Worker lanes")
            });
            lab.keys("8");
            lab.keys("Enter");
            for _ in 0..presses {
                lab.keys("o");
            }
            lab.wait_for("the pool", Duration::from_secs(2), |s| {
                s.contains(&format!("pool       {pool}")) && s.contains("tasks      8")
            });
            lab.keys("r");
            let pid: u32 = lab.parlab_pid().parse().expect("a pid");
            let started = Instant::now();
            let seen = loop {
                let now = descendants(pid);
                if now.len() >= workers {
                    break now;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(15),
                    "{pool}: only {now:?} started"
                );
                sleep(Duration::from_millis(10));
            };
            let after = format!("{ending} on {pool}");
            match ending {
                "Escape" => {
                    lab.keys("Escape");
                    lab.wait_for("cancelled row", Duration::from_secs(3), |s| {
                        s.contains("cancelled")
                    });
                    expect_gone(&seen, Duration::from_secs(1), &after);
                    lab.quit_cleanly("C-c");
                }
                "-KILL" => {
                    lab.signal("-KILL");
                    expect_gone(&seen, Duration::from_secs(1), &after);
                }
                key => {
                    lab.keys(key);
                    expect_gone(&seen, Duration::from_secs(2), &after);
                    lab.expect_clean_exit();
                }
            }
        }
    }
}

/// The lab on Python's process pool (`o` twice) with 8 tasks of
/// `task_ms` on 2 workers, running.
fn python_pool_running(args: &str, task_ms: &str) -> (Window, u32) {
    let lab = Window::open_with(100, 30, args);
    lab.wait_for("the lab", Duration::from_secs(10), |s| {
        s.contains("Worker lanes")
    });
    lab.keys("8");
    lab.keys("Enter");
    for key in ["Down", "2", "Enter", "Down", "Down", task_ms, "Enter"] {
        lab.keys(key);
    }
    lab.keys("o");
    lab.keys("o");
    lab.wait_for("the pool", Duration::from_secs(2), |s| {
        s.contains("pool       python-processes")
            && s.contains("tasks      8")
            && s.contains("workers    2")
    });
    lab.keys("r");
    let pid: u32 = lab.parlab_pid().parse().expect("a pid");
    (lab, pid)
}

#[test]
fn a_hanging_python_is_cancelled_at_once_with_its_children() {
    // An "interpreter" that never greets and starts a child of its own.
    let scratch = tempfile::tempdir().unwrap();
    let python = scratch.path().join("hangs");
    std::fs::write(&python, "#!/bin/sh\nsleep 600 &\nsleep 600\n").unwrap();
    let mode = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&python, mode).unwrap();
    let (lab, pid) = python_pool_running(&format!("--python {}", python.display()), "100");
    let started = Instant::now();
    let seen = loop {
        let now = descendants(pid);
        if now.len() >= 3 {
            break now;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{now:?}");
        sleep(Duration::from_millis(10));
    };
    lab.keys("Escape");
    let (_, took) = lab.wait_for("cancelled row", Duration::from_secs(3), |s| {
        s.contains("cancelled")
    });
    assert!(took < Duration::from_secs(1), "cancel took {took:?}");
    expect_gone(
        &seen,
        Duration::from_secs(1),
        "a cancel of a hanging --python",
    );
    lab.quit_cleanly("C-c");
}

#[test]
fn a_killed_python_worker_fails_the_run_with_a_message() {
    // 3.2 s of serial side, then 1.6 s of tasks on 2 workers.
    let (lab, pid) = python_pool_running("", "400");
    let started = Instant::now();
    let _killed = loop {
        // The driver is parlab's child; the pool's workers are its.
        let all = descendants(pid);
        let parent = |p: u32| {
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
            let rest = stat
                .rsplit_once(')')
                .map(|(_, r)| r.to_string())
                .unwrap_or_default();
            rest.split_whitespace()
                .nth(1)
                .and_then(|f| f.parse::<u32>().ok())
        };
        // Forked from the driver, they carry its command line (a pyenv
        // shim's own helpers do not).
        let forked = |p: u32| {
            std::fs::read(format!("/proc/{p}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains("parlab_pool_driver"))
        };
        let workers: Vec<u32> = all
            .iter()
            .copied()
            .filter(|p| parent(*p) != Some(pid) && forked(*p))
            .collect();
        // A worker seen may be gone by the kill (a pool replaced while
        // it starts): look again until one is killed in its task.
        if workers.len() >= 2 {
            sleep(Duration::from_millis(50));
            let killed = Command::new("kill")
                .args(["-KILL", &workers[0].to_string()])
                .status();
            if killed.is_ok_and(|s| s.success()) {
                break workers[0];
            }
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{all:?}");
        sleep(Duration::from_millis(10));
    };
    let (screen, _) = lab.wait_for("the failure", Duration::from_secs(3), |s| {
        s.contains("died in the middle")
    });
    assert!(
        !screen.contains("tasks · about"),
        "the progress froze:\n{screen}"
    );
    lab.quit_cleanly("C-c");
}

/// Where `needle` is on `screen`: its column and row, counted from 1 as
/// the terminal's mouse reports count them.
fn cell_of(screen: &str, needle: &str) -> (usize, usize) {
    screen
        .lines()
        .enumerate()
        .find_map(|(row, line)| {
            let byte = line.find(needle)?;
            Some((line[..byte].chars().count() + 1, row + 1))
        })
        .unwrap_or_else(|| panic!("{needle} not on the screen:\n{screen}"))
}

#[test]
fn a_click_picks_a_setting_and_a_key_of_the_key_bar() {
    let lab = Window::open(80, 24);
    let (screen, _) = lab.wait_for("the lab", Duration::from_secs(10), |s| {
        s.contains("▶ tasks") && s.contains("workload   sleep")
    });
    // A left press and release, as a terminal reports them once the lab
    // has asked for the mouse (SGR encoding).
    let click = |(column, row): (usize, usize)| {
        let press = format!("\x1b[<0;{column};{row}M\x1b[<0;{column};{row}m");
        lab.tmux(&["send-keys", "-t", "lab", "-l", &press]);
    };
    click(cell_of(&screen, "workload   sleep"));
    let (screen, _) = lab.wait_for("workload selected", Duration::from_secs(5), |s| {
        s.contains("▶ workload")
    });
    assert!(!screen.contains("▶ tasks"), "{screen}");
    let (column, row) = cell_of(&screen, "←→ change");
    click((column + 7, row));
    lab.wait_for("the next workload", Duration::from_secs(5), |s| {
        s.contains("▶ workload   cpu")
    });
    lab.quit_cleanly("q");
}
