//! Shell conventions end to end: completion scripts that a real bash
//! sources and completes with, and manual pages that groff reads cleanly.
//! Both tools are Unix ones.

#![cfg(unix)]

mod common;

use common::{parlab, stdout};
use std::process::Command;

/// What bash offers after `words` (the last one being completed), with
/// the script of `parlab completions bash` sourced as a user would.
fn bash_completes(script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let current = words.len() - 1;
    let previous = words[current.saturating_sub(1)];
    let program = format!(
        "source '{}' || exit 3\n\
         complete -p parlab >/dev/null || exit 4\n\
         COMP_WORDS=({})\nCOMP_CWORD={current}\n\
         _parlab parlab '{}' '{previous}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words[current],
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // An empty reply still prints one empty line.
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_bash_script_completes_commands_options_and_values() {
    let scratch = tempfile::tempdir().unwrap();
    let script = scratch.path().join("parlab.bash");
    std::fs::write(&script, stdout(&parlab(&["completions", "bash"]))).unwrap();
    assert_eq!(bash_completes(&script, &["parlab", "sw"]), ["sweep"]);
    assert_eq!(
        bash_completes(&script, &["parlab", "comp"]),
        ["compare", "completions"]
    );
    assert_eq!(
        bash_completes(&script, &["parlab", "run", "--tr"]),
        ["--trace"]
    );
    assert_eq!(
        bash_completes(&script, &["parlab", "run", "--workload", ""]),
        [
            "sleep",
            "cpu",
            "memory",
            "uneven",
            "tiny",
            "serial-fraction",
            "serial-fraction-waiting",
            "false-sharing",
            "padded",
            "locked",
            "lost-update",
            "atomic-update"
        ]
    );
    let mut shells = bash_completes(&script, &["parlab", "completions", ""]);
    shells.retain(|word| !word.starts_with('-'));
    assert_eq!(shells, ["bash", "elvish", "fish", "powershell", "zsh"]);
    // The hidden worker command and the options a command refuses are
    // never offered; `man` completes the names of the pages.
    assert!(bash_completes(&script, &["parlab", "po"]).is_empty());
    assert_eq!(
        bash_completes(&script, &["parlab", "completions", "--"]),
        ["--help"]
    );
    assert_eq!(bash_completes(&script, &["parlab", "man", "sw"]), ["sweep"]);
    assert_eq!(
        bash_completes(&script, &["parlab", "--theme", ""]),
        ["dark", "light", "mono"]
    );
}

/// What fish offers for `line`, with the script of `parlab completions
/// fish` sourced; `None` where fish is not installed.
fn fish_completes(script: &std::path::Path, line: &str) -> Option<Vec<String>> {
    let program = format!(
        "source '{}'; or exit 3; complete -C '{line}'",
        script.display()
    );
    let out = Command::new("fish")
        .args(["--no-config", "-c", &program])
        .current_dir(script.parent().unwrap())
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    Some(
        text.lines()
            .map(|line| line.split('\t').next().unwrap_or("").to_string())
            .collect(),
    )
}

#[test]
fn the_fish_script_completes_values_and_never_offers_files_for_them() {
    let scratch = tempfile::tempdir().unwrap();
    let script = scratch.path().join("parlab.fish");
    std::fs::write(&script, stdout(&parlab(&["completions", "fish"]))).unwrap();
    let Some(theme) = fish_completes(&script, "parlab --theme ") else {
        eprintln!("note: fish is not installed; its completions were not tried");
        return;
    };
    // The folder holds parlab.fish: a file offered would show up here.
    assert_eq!(theme, ["dark", "light", "mono"]);
    assert_eq!(
        fish_completes(&script, "parlab completions ").unwrap(),
        ["bash", "elvish", "fish", "powershell", "zsh"]
    );
    assert_eq!(fish_completes(&script, "parlab man sw").unwrap(), ["sweep"]);
    assert!(fish_completes(&script, "parlab info ").unwrap().is_empty());
    let commands = fish_completes(&script, "parlab ").unwrap();
    assert!(commands.contains(&"run".to_string()), "{commands:?}");
    assert!(!commands.iter().any(|c| c == "pool-worker"), "{commands:?}");
    assert_eq!(
        fish_completes(&script, "parlab completions --").unwrap(),
        ["--help"]
    );
    assert_eq!(
        fish_completes(&script, "parlab run --trace parlab.f").unwrap(),
        ["parlab.fish"]
    );
}

#[test]
fn every_shell_gets_its_own_script() {
    for (shell, marker) in [
        ("zsh", "#compdef parlab"),
        ("fish", "complete -c parlab"),
        ("elvish", "edit:completion:arg-completer[parlab]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout(&parlab(&["completions", shell]));
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("sweep") && script.contains("trace"),
            "{shell}"
        );
    }
    let out = parlab(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_man_pages_name_every_command_and_read_cleanly() {
    let page = stdout(&parlab(&["man"]));
    assert!(page.contains(".TH parlab 1"), "{page}");
    for command in [
        "run",
        "sweep",
        "compare",
        "info",
        "lessons",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("parlab\\-{command}(1)")),
            "{command}"
        );
        let own = stdout(&parlab(&["man", command]));
        assert!(own.contains(&format!(".TH parlab-{command} 1")), "{own}");
        assert!(own.contains(&format!("\\fBparlab {command}\\fR")), "{own}");
        // groff reads the page (UTF-8 through preconv) without a warning.
        if let Ok(mut groff) = Command::new("groff")
            .args(["-k", "-z", "-man", "-ww"])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
        {
            use std::io::Write;
            groff
                .stdin
                .take()
                .unwrap()
                .write_all(own.as_bytes())
                .unwrap();
            let out = groff.wait_with_output().unwrap();
            assert!(
                out.stderr.is_empty(),
                "{command}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    // Each page lists the options its command reads, and keeps the help's
    // examples one per line.
    let option = "\\fB\\-\\-lessons\\fR";
    assert!(stdout(&parlab(&["man", "lessons"])).contains(option));
    let run = stdout(&parlab(&["man", "run"]));
    assert!(!run.contains(option), "run refuses --lessons");
    assert!(run.contains(".SH EXAMPLES\n.nf\n"), "{run}");
    assert!(run.contains("\\-\\-trace run.json"), "{run}");
    let out = parlab(&["man", "bogus"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("invalid value 'bogus'") && err.contains("possible values: run, sweep"),
        "{err}"
    );
    assert!(!err.contains("pool-worker"), "{err}");
    // Every page says how parlab exits, what it reads from the
    // environment and where to read on; parlab(1) names its files, and
    // no page repeats its NAME line as its DESCRIPTION.
    let top = stdout(&parlab(&["man"]));
    for section in [
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
        "SEE ALSO",
        "DESCRIPTION",
    ] {
        assert!(
            top.contains(&format!(".SH \"{section}\"")) || top.contains(&format!(".SH {section}")),
            "{section}: {top}"
        );
    }
    assert!(
        top.contains("NO_COLOR") && top.contains("parlab\\-run(1)"),
        "{top}"
    );
    assert!(!run.contains(".SH DESCRIPTION"), "{run}");
    assert!(
        run.contains("ENVIRONMENT") && run.contains("parlab(1)"),
        "{run}"
    );
}
