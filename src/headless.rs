//! The headless commands: `run`, `sweep`, `compare`, `info`, `lessons`,
//! `completions` and `man`. Each builds its whole output first and prints
//! it in one write, so an error never leaves half a table.

use crate::cli::{
    CompareArgs, CompareFormat, InfoArgs, InfoFormat, PoolChoice, RunArgs, SweepArgs,
};
use crate::config::check_plan;
use crate::exit::Misuse;
use crate::experiment;
use crate::machine::MachineInfo;
use crate::measure::{Rounds, parallel_estimate, run_estimate};
use crate::output::trace::{self, TraceContext, TraceRecorder};
use crate::output::{
    self, Export as _, ExportFiles, machine as machine_output, pools as pools_output,
};
use crate::pool::Pool;
use crate::runner::{RunEvent, Side};
use crate::streams;
use crate::sweep::{SweepEvent, SweepPlan, SweepStage, default_worker_counts};
use crate::units::{counted, format_ratio, format_span};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use strum::VariantArray;

mod progress;

use progress::PlanProgress;

/// `parlab run`: measure and print in the chosen format.
pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    refuse_unused_python(args.work.pool)?;
    if args.work.pool == PoolChoice::All {
        if args.trace.is_some() {
            return Err(Misuse(
                "--trace records one pool's run: give --pool one pool, not all".into(),
            )
            .into());
        }
        return run_all_pools(args);
    }
    let spec = args.work.spec(args.workers)?;
    spec.check_memory(crate::machine::available_memory())?;
    warn_of_many_interpreters(&spec);
    let rounds = args.work.rounds();
    let exports = args.export.files();
    check_outputs(&exports, &[(args.trace.as_deref(), "trace")])?;
    if args.trace.is_some() {
        trace::check_size(task_events(spec.tasks, rounds, 2))?;
    }
    let machine = MachineInfo::detect();
    let cpus = machine.logical_cpus;
    let estimate = run_estimate(&spec, rounds, cpus);
    check_plan(estimate)?;
    announce(estimate, spec.workload);
    let busy = warn_if_busy();
    let mut progress = PlanProgress::start(estimate);
    let runs = 2 * (rounds.repeat + rounds.warmup);
    let mut recorder = args.trace.as_ref().map(|_| TraceRecorder::new(runs));
    let cancel = AtomicBool::new(false);
    let report = experiment::run(&spec, rounds, &machine, busy, &cancel, &mut |e| {
        if let Some(recorder) = recorder.as_mut() {
            recorder.record(0, &e);
        }
        note_run_start(&progress, &e, &spec, cpus, rounds, None);
    })?
    .ok_or_else(|| anyhow::anyhow!("the run was cancelled"))?;
    progress.finish();
    let text = report.render(args.format, stdout_color())?;
    // The files are written even when stdout is full or gone: they were
    // asked for by name.
    let printed = streams::print("the run report", &text);
    exports.write(&report)?;
    if let (Some(path), Some(recorder)) = (&args.trace, &recorder) {
        let context = TraceContext {
            command: "run",
            settings: serde_json::json!({
                "work": spec,
                "repeat": rounds.repeat,
                "warmup": rounds.warmup,
            }),
            machine: &machine,
            groups: vec!["parlab run".to_string()],
            accounting: vec![Some(report.time_accounting)],
        };
        output::write_file(path, &recorder.to_json(&context)?, "trace")?;
    }
    Ok(printed?)
}

/// Refuses `--python` for a pool that runs no Python, where it would
/// silently do nothing.
fn refuse_unused_python(pool: PoolChoice) -> Result<(), Misuse> {
    match (crate::pool::python::chosen_interpreter(), pool) {
        (Some(python), PoolChoice::One(pool)) if !pool.is_python() => Err(Misuse(format!(
            "--python {} does nothing for --pool {}: only python-processes, python-threads and all run Python",
            python.display(),
            pool.name()
        ))),
        _ => Ok(()),
    }
}

/// Task events a trace of `sides` measurements of `tasks` tasks holds,
/// warm-ups included.
fn task_events(tasks: usize, rounds: Rounds, sides: usize) -> u64 {
    (tasks as u64)
        .saturating_mul((rounds.repeat + rounds.warmup) as u64)
        .saturating_mul(sides as u64)
}

/// Whether to colour what goes to stdout.
fn stdout_color() -> bool {
    output::use_color(std::io::stdout().is_terminal())
}

/// Refuses, before any work, an export file or a named `(path, what)` that
/// could not be written, and two outputs given the same path (one would
/// replace the other).
fn check_outputs(exports: &ExportFiles, named: &[(Option<&Path>, &str)]) -> Result<(), Misuse> {
    let mut seen: Vec<std::path::PathBuf> = Vec::new();
    let all = exports
        .0
        .iter()
        .map(|(_, path)| (path.as_path(), "export"))
        .chain(
            named
                .iter()
                .filter_map(|(path, what)| Some(((*path)?, *what))),
        );
    for (path, what) in all {
        // Compared as the files they reach: `same.out` and `./same.out`
        // are one file.
        let reached = resolve_target(path);
        if seen.contains(&reached) {
            return Err(Misuse(format!(
                "{} is given for two outputs; give each its own file",
                path.display()
            )));
        }
        check_output_target(path, what)?;
        seen.push(reached);
    }
    Ok(())
}

/// `parlab run --pool all`: the same work on every pool that can run it
/// here, one table. A pool that cannot (no Python, a refused workload) gets
/// one line saying why, and the others still run.
fn run_all_pools(args: &RunArgs) -> anyhow::Result<()> {
    let base = args.work.spec(args.workers)?;
    let rounds = args.work.rounds();
    let exports = args.export.files();
    check_outputs(&exports, &[])?;
    let machine = MachineInfo::detect();
    let cpus = machine.logical_cpus;
    let mut specs = Vec::new();
    let mut skipped = Vec::new();
    let available = crate::machine::available_memory();
    for &pool in Pool::VARIANTS {
        let spec = crate::config::Work {
            pool,
            start_method: base.start_method.filter(|_| pool == Pool::PythonProcesses),
            ..base
        };
        match spec.validate().and_then(|()| spec.check_memory(available)) {
            Ok(()) => specs.push(spec),
            Err(why) => skipped.push(pools_output::Skipped::new(pool, why.to_string())),
        }
    }
    let estimate: Duration = specs
        .iter()
        .map(|spec| run_estimate(spec, rounds, cpus))
        .sum();
    check_plan(estimate)?;
    announce(estimate, base.workload);
    let busy = warn_if_busy();
    let mut progress = PlanProgress::start(estimate);
    let mut reports = Vec::new();
    for spec in specs {
        let pool = spec.pool;
        let cancel = AtomicBool::new(false);
        let measured = experiment::run(&spec, rounds, &machine, busy.clone(), &cancel, &mut |e| {
            note_run_start(&progress, &e, &spec, cpus, rounds, Some(pool.name()));
        });
        match measured {
            Ok(Some(report)) => reports.push(report),
            Ok(None) => anyhow::bail!("the run was cancelled"),
            Err(why) if pool.is_python() => {
                skipped.push(pools_output::Skipped::new(pool, format!("{why:#}")));
            }
            Err(why) => return Err(why.context(format!("the {} pool failed", pool.name()))),
        }
    }
    progress.finish();
    let comparison = pools_output::PoolComparison { reports, skipped };
    let text = comparison.render(args.format, stdout_color())?;
    let printed = print_all(&text);
    exports.write(&comparison)?;
    printed
}

/// Samples the machine before a measurement and, when it is busy, says so
/// on stderr at once; the warning is also returned for the report.
fn warn_if_busy() -> Option<crate::busy::Busy> {
    let busy = experiment::check_machine("--repeat")?;
    streams::note(&format!("warning: {}", busy.warning));
    Some(busy)
}

/// `parlab sweep`: measure every worker count, print in the chosen format,
/// then write the chart if asked.
pub fn sweep(args: &SweepArgs) -> anyhow::Result<()> {
    refuse_unused_python(args.work.pool)?;
    let exports = args.export.files();
    check_outputs(
        &exports,
        &[
            (args.svg.as_deref(), "chart"),
            (args.trace.as_deref(), "trace"),
        ],
    )?;
    let machine = MachineInfo::detect();
    args.work.pool.single("sweep")?;
    let workers = args
        .workers
        .clone()
        .unwrap_or_else(|| default_worker_counts(&machine));
    let largest = workers.0.iter().copied().max().unwrap_or(1);
    let plan = SweepPlan::new(
        args.work.spec(largest)?,
        workers,
        args.scaling,
        args.work.rounds(),
    );
    plan.validate()?;
    let available = crate::machine::available_memory();
    for &workers in &plan.workers.0 {
        plan.spec(workers).check_memory(available)?;
    }
    if let Some(&largest) = plan.workers.0.iter().max() {
        warn_of_many_interpreters(&plan.spec(largest));
    }
    if args.trace.is_some() {
        // The largest row's size bounds every measurement from above (a
        // weak sweep's rows grow with their workers).
        let largest = plan.workers.0.iter().copied().max().unwrap_or(1);
        let (tasks, measurements) = (plan.spec(largest).tasks, plan.measurements());
        trace::check_size(task_events(tasks, plan.rounds, measurements))?;
    }
    let cpus = machine.logical_cpus;
    let estimate = plan.estimate(cpus);
    check_plan(estimate)?;
    announce(estimate, plan.work.workload);
    let busy = warn_if_busy();
    let mut progress = PlanProgress::start(estimate);
    let runs = plan.measurements() * (plan.rounds.repeat + plan.rounds.warmup);
    let mut recorder = args.trace.as_ref().map(|_| TraceRecorder::new(runs));
    let cancel = AtomicBool::new(false);
    let report = experiment::sweep(&plan, &machine, busy, &cancel, &mut |e| {
        if let (Some(recorder), SweepEvent::Run { stage, event }) = (recorder.as_mut(), &e) {
            let group = match stage {
                SweepStage::Serial => 0,
                SweepStage::ScaledSerial { row, .. } | SweepStage::Parallel { row, .. } => row + 1,
            };
            recorder.record(group, event);
        }
        if let SweepEvent::Run {
            stage,
            event: RunEvent::Started { round, warmup, .. },
        } = &e
        {
            let (what, estimate) = match stage {
                SweepStage::Serial => (
                    "sweep: serial baseline".to_string(),
                    plan.spec(1).serial_estimate(),
                ),
                SweepStage::ScaledSerial { workers, row, rows } => (
                    format!(
                        "sweep: serial run scaled for {} ({} of {rows})",
                        counted(*workers, "worker"),
                        row + 1
                    ),
                    plan.spec(*workers).serial_estimate(),
                ),
                SweepStage::Parallel { workers, row, rows } => (
                    format!(
                        "sweep: {} ({} of {rows})",
                        counted(*workers, "worker"),
                        row + 1
                    ),
                    parallel_estimate(&plan.spec(*workers), *workers, cpus),
                ),
            };
            progress.run_started(round_label(&what, *round, *warmup, plan.rounds), estimate);
        }
    })?
    .ok_or_else(|| anyhow::anyhow!("the sweep was cancelled"))?;
    progress.finish();
    let text = report.render(args.format, stdout_color())?;
    // The files are written even when stdout is full or gone: they were
    // asked for by name, and the measurement behind them took minutes.
    let printed = streams::print("the sweep report", &text);
    exports.write(&report)?;
    if let Some(path) = &args.svg {
        output::write_file(path, &output::sweep_svg::sweep_svg(&report), "chart")?;
    }
    if let (Some(path), Some(recorder)) = (&args.trace, &recorder) {
        let context = TraceContext {
            command: "sweep",
            settings: serde_json::json!({
                "work": plan.work,
                "scaling": plan.scaling,
                "workers": plan.workers.0,
                "repeat": plan.rounds.repeat,
                "warmup": plan.rounds.warmup,
            }),
            machine: &machine,
            groups: std::iter::once("serial baseline".to_string())
                .chain(plan.workers.0.iter().map(|&w| counted(w, "worker")))
                .collect(),
            accounting: std::iter::once(None)
                .chain(report.rows.iter().map(|row| Some(row.time_accounting)))
                .collect(),
        };
        output::write_file(path, &recorder.to_json(&context)?, "trace")?;
    }
    Ok(printed?)
}

/// The file `path` reaches: itself resolved when it exists, else its
/// resolved folder and its name.
fn resolve_target(path: &Path) -> std::path::PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let folder = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(folder), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => path.to_path_buf(),
    }
}

/// Refuses a chart path before measuring for minutes, checking it as the
/// chart will be written: through a symbolic link to its file, into an
/// existing regular file, or as a new file in an existing folder. Nothing
/// is left behind: an existing file is opened without truncating, a file
/// made only for the probe is created exclusively (never through a link)
/// and removed again. Devices, FIFOs, folders and dangling links are
/// refused, since writing there would fail or hang after the work.
pub fn check_output_target(path: &Path, what: &str) -> Result<(), Misuse> {
    let shown = path.display();
    let refuse = |why: String| Misuse(format!("cannot write the {what} to {shown}: {why}"));
    match std::fs::symlink_metadata(path) {
        Ok(_) => {
            let meta = std::fs::metadata(path)
                .map_err(|_| refuse("it is a symbolic link to nothing".into()))?;
            if !meta.is_file() {
                let kind = if meta.is_dir() {
                    "a folder"
                } else {
                    "not a regular file (a device, a FIFO or a socket)"
                };
                return Err(refuse(format!("it is {kind}; give a file name")));
            }
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| refuse(e.to_string()))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let folder = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            if !std::fs::metadata(folder).is_ok_and(|m| m.is_dir()) {
                return Err(refuse(format!(
                    "the folder {} does not exist",
                    folder.display()
                )));
            }
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|e| refuse(e.to_string()))?;
            let _ = std::fs::remove_file(path);
        }
        Err(e) => return Err(refuse(e.to_string())),
    }
    Ok(())
}

/// `parlab compare`: every file's rows in one table. Any file that cannot
/// be used fails the command as misuse, with one line per such file and no
/// table, so a comparison is never silently missing a machine.
pub fn compare(args: &CompareArgs) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    let mut refused = Vec::new();
    for path in &args.files {
        match output::compare::load(path) {
            Ok(found) => rows.extend(found),
            Err(why) => refused.push(why),
        }
    }
    if let Some(last) = refused.pop() {
        // All but the last here; the last is the error `main` prints, in
        // the same `error: ` form.
        for why in &refused {
            streams::note(&format!("error: {why}"));
        }
        return Err(Misuse(last.to_string()).into());
    }
    let text = match args.format {
        CompareFormat::Table => output::compare::table(&rows),
        CompareFormat::Markdown => output::compare::markdown(&rows),
        CompareFormat::Csv => output::compare::csv(&rows)?,
    };
    print_all(&text)
}

/// `parlab completions SHELL`: the completion script clap derives from
/// the same definitions that parse the command line, so it never lags.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<()> {
    let mut command = crate::cli::completion_command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "parlab", &mut script);
    let mut script = String::from_utf8(script)?;
    if shell == clap_complete::Shell::Fish {
        script = fish_fixes(&script, &command);
    }
    print_all(&script)
}

/// What clap's fish script lacks: it completes no positional value (the
/// shell of `completions`, the page of `man`) and offers files there
/// instead; and while a global option's value is being typed
/// (`parlab --theme <Tab>`) its test for "no command yet" fails, so fish
/// offered files there too, as after a command that takes no files.
fn fish_fixes(script: &str, command: &clap::Command) -> String {
    let mut fixed = script.replace(
        "    argparse -s (__fish_parlab_global_optspecs) -- $cmd 2>/dev/null\n    or return\n",
        "    argparse -s (__fish_parlab_global_optspecs) -- $cmd 2>/dev/null\n    or return 0\n",
    );
    for sub in command.get_subcommands() {
        if sub.get_positionals().next().is_none() {
            let _ = writeln!(
                fixed,
                "complete -c parlab -n \"__fish_parlab_using_subcommand {}\" -f",
                sub.get_name()
            );
        }
        for arg in sub.get_positionals() {
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|value| !value.is_hide_set())
                .map(|value| match value.get_help() {
                    Some(help) => format!(
                        "{}\\t'{}'",
                        value.get_name(),
                        help.to_string().replace('\\', "\\\\").replace('\'', "\\'")
                    ),
                    None => value.get_name().to_string(),
                })
                .collect();
            let files = arg.get_value_hint();
            let line = if !values.is_empty() {
                format!(" -f -a \"{}\"", values.join("\n"))
            } else if files == clap::ValueHint::Other {
                " -f".to_string()
            } else {
                continue;
            };
            let _ = writeln!(
                fixed,
                "complete -c parlab -n \"__fish_parlab_using_subcommand {}\"{line}",
                sub.get_name()
            );
        }
    }
    fixed
}

/// `parlab man [COMMAND]`: a manual page from the command-line
/// definitions: parlab(1), whose list of commands points at their own
/// pages, or one command's page, parlab-run(1) and so on, as git does.
pub fn man(command: Option<&str>) -> anyhow::Result<()> {
    let parlab = crate::cli::command()
        .about(
            "watch serial and parallel runs of the same work side by side, and find out why one is faster",
        )
        .long_about(MAN_DESCRIPTION);
    let page = match command {
        None => parlab,
        // clap has checked the name against the visible commands.
        Some(name) => parlab
            .find_subcommand(name)
            .ok_or_else(|| Misuse(format!("no command {name}")))?
            .clone()
            .name(format!("parlab-{name}"))
            .bin_name(format!("parlab {name}"))
            .version(env!("CARGO_PKG_VERSION"))
            .disable_version_flag(true),
    };
    print_all(&man_page(&page, command.is_none())?)
}

/// The DESCRIPTION of parlab(1), which says more than its NAME line.
const MAN_DESCRIPTION: &str = "parlab runs the same work one task after another and then on a pool \
of workers, and shows both: live in a full-screen lab (a bar per CPU, a lane per worker, a timing \
table, lessons that ask for a guess before each run), or headless for scripts (run, sweep, \
compare). Every number it shows is measured on this machine; the ideal, Amdahl and Gustafson \
figures are models computed from those measurements and named as models. Serial and parallel \
do the same work, checked by a checksum.";

/// The sections every page ends with: how parlab exits, what it reads
/// from the environment, the files it reads and writes (parlab(1) only)
/// and the other pages.
fn man_tail(page: &clap::Command, top: bool) -> roff::Roff {
    let mut roff = roff::Roff::new();
    let item = |roff: &mut roff::Roff, term: &str, text: &str| {
        roff.control("TP", [])
            .text([roff::bold(term)])
            .text([roff::roman(text)]);
    };
    roff.control("SH", ["EXIT STATUS"]);
    item(
        &mut roff,
        "0",
        "Done (in the lab, also q and Ctrl-C typed there).",
    );
    item(
        &mut roff,
        "1",
        "The work failed: a measurement, a file that could not be written, a lost standard output.",
    );
    item(
        &mut roff,
        "2",
        "Misuse: a bad option, value or combination, refused before any work.",
    );
    if top {
        item(
            &mut roff,
            "128+N",
            "The lab was ended by signal N from outside (130 INT, 143 TERM, 129 HUP, 131 QUIT), after restoring the terminal.",
        );
    }
    roff.control("SH", ["ENVIRONMENT"]);
    item(
        &mut roff,
        "NO_COLOR",
        "When set and not empty: no colour in tables, and the lab's mono theme.",
    );
    item(
        &mut roff,
        "PATH",
        "Where python3 is found for the Python pools, unless --python names it.",
    );
    item(
        &mut roff,
        "TMPDIR",
        "Where the Python pools' driver script is written while they run.",
    );
    if top {
        roff.control("SH", ["FILES"]);
        item(
            &mut roff,
            "parlab-report-DATE-TIME.md",
            "Written to the current folder by e in the lab: the machine, every run, every guess.",
        );
        item(
            &mut roff,
            "parlab-sweep-WORKLOAD-DATE-TIME.svg, .md",
            "Written to the current folder by e in the lab's sweep view: the chart and its table.",
        );
        item(
            &mut roff,
            "DIR/*.toml",
            "Lesson files read with --lessons DIR; the format is described in assets/lessons/README.md of the source.",
        );
    }
    roff.control("SH", ["SEE ALSO"]);
    let pages: Vec<String> = if top {
        page.get_subcommands()
            .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
            .map(|sub| format!("parlab-{}(1)", sub.get_name()))
            .collect()
    } else {
        vec!["parlab(1)".to_string()]
    };
    let others = ["taskset(1)", "python3(1)", "hyperfine(1)"];
    roff.text([roff::roman(
        pages
            .iter()
            .map(String::as_str)
            .chain(others)
            .collect::<Vec<_>>()
            .join(", "),
    )]);
    roff
}

/// The roff of `page` (`top` for parlab(1)): clap_mangen's sections, with
/// the examples of the help as an EXAMPLES section of lines kept as they
/// are (clap_mangen would refill them as a paragraph), then [`man_tail`].
/// A DESCRIPTION that would only repeat the NAME line is left out.
fn man_page(page: &clap::Command, top: bool) -> anyhow::Result<String> {
    let man = clap_mangen::Man::new(page.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    if page.get_long_about().is_some() {
        man.render_description_section(&mut out)?;
    }
    if page.get_arguments().any(|arg| !arg.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if page.has_subcommands() {
        man.render_subcommands_section(&mut out)?;
    }
    if let Some(help) = page.get_after_help() {
        let help = help.to_string();
        let mut examples = roff::Roff::new();
        examples.control("SH", ["EXAMPLES"]).control("nf", []);
        for line in help.lines().skip_while(|line| line.ends_with(':')) {
            examples.text([roff::roman(line)]).control("br", []);
        }
        examples.control("fi", []);
        examples.to_writer(&mut out)?;
    }
    man_tail(page, top).to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    // Each section written on its own repeats roff's two-line preamble
    // (how to print apostrophes); once at the top is enough.
    let text = String::from_utf8(out)?;
    let preamble: String = text.split_inclusive('\n').take(2).collect();
    let body = text[preamble.len()..].replace(&preamble, "");
    Ok(preamble + &body)
}

/// `parlab check`: the core-scaling check within its budget, printed in
/// the chosen format, then the files asked for.
pub fn check(args: &crate::cli::CheckArgs) -> anyhow::Result<()> {
    use crate::check::{CheckPlan, run_check};
    let exports = args.export.files();
    check_outputs(&exports, &[(args.svg.as_deref(), "chart")])?;
    let machine = MachineInfo::detect();
    let plan = CheckPlan::new(&machine, args.budget);
    for &workers in &plan.memory.workers.0 {
        plan.memory
            .spec(workers)
            .check_memory(crate::machine::available_memory())?;
    }
    streams::note(&format!(
        "checking {} within {}: about {} of measurement",
        machine.summary(),
        format_span(args.budget),
        format_span(plan.estimate(machine.logical_cpus))
    ));
    let busy = warn_if_busy();
    let terminal = std::io::stderr().is_terminal();
    let cancel = AtomicBool::new(false);
    let report = run_check(&plan, &machine, busy, &cancel, &mut |stage| {
        if terminal {
            streams::note_progress(&format!("check: {}…", stage.label()));
        }
    })?
    .ok_or_else(|| anyhow::anyhow!("the check was cancelled"))?;
    if terminal {
        streams::clear_progress();
    }
    let text = report.render(args.format, stdout_color())?;
    let printed = streams::print("the check report", &text);
    exports.write(&report)?;
    if let Some(path) = &args.svg {
        output::write_file(
            path,
            &output::sweep_svg::sweep_svg(&report.compute),
            "chart",
        )?;
    }
    Ok(printed?)
}

/// `parlab info`: the machine facts.
pub fn info(args: &InfoArgs) -> anyhow::Result<()> {
    let machine = MachineInfo::detect();
    let rayon_threads = rayon::current_num_threads();
    let python_workers = crate::pool::python::default_pool_workers();
    if let Some(warning) = machine_output::python_pool_warning(&machine, python_workers) {
        streams::note(&format!("warning: {warning}"));
    }
    let text = match args.format {
        InfoFormat::Table => machine_output::info_table(&machine, rayon_threads, python_workers),
        InfoFormat::Json => machine_output::info_json(&machine, rayon_threads, python_workers)?,
    };
    print_all(&text)
}

/// `parlab lessons`: list the lessons a session would offer and report
/// every file that could not be used, failing if there is one, so a teacher
/// can check a folder before class.
pub fn lessons(dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    let set = crate::lesson::LessonSet::load(dir);
    let mut text = String::new();
    for (number, lesson) in set.lessons.iter().enumerate() {
        let _ = writeln!(
            text,
            "{:>2}. {} ({}, {})\n    {}",
            number + 1,
            lesson.title,
            counted(lesson.steps.len(), "step"),
            lesson.file,
            lesson.summary
        );
    }
    let (paths, path_problems) = crate::lesson::path::class_paths(&set);
    if !paths.is_empty() {
        let _ = writeln!(
            text,
            "\nClass paths (parlab lesson --path NAME runs one and prints a teacher's handout with every run time measured):"
        );
    }
    for path in &paths {
        let steps: Vec<String> = path
            .steps
            .iter()
            .map(|s| format!("{}.{}", s.lesson + 1, s.step + 1))
            .collect();
        let _ = writeln!(
            text,
            "{:>4}  {}: {} steps, {} min of discussion suggested\n      lesson.step: {}",
            path.name,
            path.title,
            path.steps.len(),
            path.discussion().as_secs() / 60,
            steps.join(" ")
        );
    }
    for problem in set
        .problems
        .iter()
        .map(ToString::to_string)
        .chain(path_problems)
    {
        let _ = writeln!(text, "problem: {problem}");
    }
    print_all(&text)?;
    match set.problems.len() {
        0 => Ok(()),
        1 => anyhow::bail!("1 lesson file has a problem (listed above)"),
        n => anyhow::bail!("{n} lesson files have problems (listed above)"),
    }
}

/// `parlab lesson`: runs every step of one lesson (or all of them) as the
/// lab would, and prints the settings, figures, findings and texts.
pub fn lesson(args: &crate::cli::LessonArgs, dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    use crate::lesson::preview::{PreviewHooks, find, preview};
    let exports = args.export.files();
    check_outputs(&exports, &[])?;
    let set = crate::lesson::LessonSet::load(dir);
    for problem in &set.problems {
        streams::note(&format!("problem: {problem}"));
    }
    if let Some(name) = &args.path {
        return class_path(args, &set, name, &exports);
    }
    let chosen: Vec<(usize, &crate::lesson::Lesson)> = match &args.id {
        Some(id) => vec![find(&set, id).ok_or_else(|| {
            Misuse(format!(
                "no lesson '{id}': give its number (1 to {}) or file name; parlab lessons lists them",
                set.lessons.len()
            ))
        })?],
        None => set.lessons.iter().enumerate().map(|(i, l)| (i + 1, l)).collect(),
    };
    let machine = MachineInfo::detect();
    let terminal = std::io::stderr().is_terminal();
    let mut previews = Vec::with_capacity(chosen.len());
    for (id, lesson) in chosen {
        let mut on_step = |n: usize, title: &str| {
            if terminal {
                streams::note_progress(&format!("lesson {id}, step {n}: {title}…"));
            }
        };
        let busy_check = || {
            let warning = experiment::check_machine(LESSON_REPEAT_HINT);
            if let Some(w) = &warning {
                if terminal {
                    streams::clear_progress();
                }
                streams::note(&format!("warning: {}", w.warning));
            }
            warning
        };
        let hooks = PreviewHooks {
            busy_check: &busy_check,
            on_step: &mut on_step,
        };
        let done = preview(id, lesson, &machine, &AtomicBool::new(false), hooks)?
            .ok_or_else(|| anyhow::anyhow!("the lesson was cancelled"))?;
        previews.push(done);
    }
    if terminal {
        streams::clear_progress();
    }
    let lessons = output::lesson::Lessons(&previews);
    let text = match args.format {
        crate::cli::LessonFormat::Markdown => lessons.markdown(),
        crate::cli::LessonFormat::Json => lessons.json()?,
    };
    let printed = print_all(&text);
    exports.write(&lessons)?;
    printed
}

/// `parlab lesson --path NAME`: runs the path's steps in order, each as
/// the lab would, and prints the handout with every run time measured.
fn class_path(
    args: &crate::cli::LessonArgs,
    set: &crate::lesson::LessonSet,
    name: &str,
    exports: &output::ExportFiles,
) -> anyhow::Result<()> {
    use crate::output::lesson::{Handout, HandoutStep};
    let (paths, problems) = crate::lesson::path::class_paths(set);
    for problem in &problems {
        streams::note(&format!("problem: {problem}"));
    }
    let path = crate::lesson::path::find(&paths, name).ok_or_else(|| {
        let names: Vec<&str> = paths.iter().map(|p| p.name.as_str()).collect();
        anyhow::anyhow!(
            "no class path '{name}': give one of {}; parlab lessons lists them",
            names.join(", ")
        )
    })?;
    let machine = MachineInfo::detect();
    let terminal = std::io::stderr().is_terminal();
    let mut steps = Vec::with_capacity(path.steps.len());
    for (n, at) in path.steps.iter().enumerate() {
        let lesson = &set.lessons[at.lesson];
        let step = &lesson.steps[at.step];
        if terminal {
            streams::note_progress(&format!(
                "step {} of {}: lesson {}, {}…",
                n + 1,
                path.steps.len(),
                at.lesson + 1,
                step.title
            ));
        }
        let busy = experiment::check_machine(LESSON_REPEAT_HINT);
        if let Some(w) = &busy {
            if terminal {
                streams::clear_progress();
            }
            streams::note(&format!("warning: {}", w.warning));
        }
        let preview =
            crate::lesson::preview::preview_step(step, &machine, busy, &AtomicBool::new(false))?
                .ok_or_else(|| anyhow::anyhow!("the class path was cancelled"))?;
        steps.push(HandoutStep {
            lesson: at.lesson + 1,
            lesson_title: lesson.title.clone(),
            step: at.step + 1,
            discuss_s: at.discuss.as_secs_f64(),
            preview,
        });
    }
    if terminal {
        streams::clear_progress();
    }
    let handout = Handout::new(path, &machine, steps);
    let text = match args.format {
        crate::cli::LessonFormat::Markdown => handout.markdown(),
        crate::cli::LessonFormat::Json => output::Export::json(&handout)?,
    };
    let printed = print_all(&text);
    exports.write(&handout)?;
    printed
}

/// `parlab lesson` has no `--repeat`: a step's repeats are the lesson's, so
/// the busy warning points at running the lesson again instead.
const LESSON_REPEAT_HINT: &str = "run the lesson again";

/// Writes the command's output to stdout at once; a closed pipe is not an
/// error, a full disk is (see [`streams::print`]).
pub fn print_all(text: &str) -> anyhow::Result<()> {
    Ok(streams::print("the output", text)?)
}

/// Work estimated to last at least this long is announced before it starts.
const ANNOUNCE_FROM: Duration = Duration::from_secs(10);

/// Says on stderr how long the plan should take, before long work starts,
/// and what the estimate rests on.
fn announce(estimate: Duration, workload: crate::workload::WorkloadKind) {
    if estimate < ANNOUNCE_FROM {
        return;
    }
    let slowdown = workload.contention_slowdown();
    let contention = if slowdown > 1.0 {
        format!(
            ", and the {} slowdown of two threads writing one cache line, calibrated here: the run's own contention may differ",
            format_ratio(slowdown)
        )
    } else {
        String::new()
    };
    streams::note(&format!(
        "this will take about {} (estimated from the task time, the {} timer floor measured here for sleeps and each pool's cost per task{contention})",
        format_span(estimate),
        crate::units::format_duration(crate::workload::timer_floor())
    ));
}

/// CPython worker processes from which forking many is worth a warning:
/// each is an interpreter of its own (about 2 MB forked, more spawned),
/// and starting them takes seconds.
const MANY_INTERPRETERS: usize = 256;

/// Warns before a CPython process pool of [`MANY_INTERPRETERS`] or more
/// workers starts, with the memory they will hold.
fn warn_of_many_interpreters(work: &crate::config::Work) {
    if work.pool == Pool::PythonProcesses && work.workers >= MANY_INTERPRETERS {
        streams::note(&format!(
            "warning: {} CPython worker processes will start, holding about {} between them and taking seconds to start",
            work.workers,
            crate::units::format_bytes(work.workers as u64 * (2 << 20))
        ));
    }
}

/// Moves the progress line on when a side of `spec` starts a round: its
/// label and the time that side is estimated to take. `pool` names the
/// pool when several share one plan (`--pool all`).
fn note_run_start(
    progress: &PlanProgress,
    event: &RunEvent,
    spec: &crate::config::Work,
    cpus: usize,
    rounds: Rounds,
    pool: Option<&str>,
) {
    let RunEvent::Started {
        side,
        round,
        warmup,
        ..
    } = event
    else {
        return;
    };
    let estimate = match side {
        Side::Serial => spec.serial_estimate(),
        Side::Parallel => parallel_estimate(spec, spec.workers, cpus),
    };
    let what = match pool {
        Some(pool) => format!("{pool} {}", side.name()),
        None => side.name().to_string(),
    };
    progress.run_started(round_label(&what, *round, *warmup, rounds), estimate);
}

/// `serial warm-up 1/2`, `parallel run 3/5`: which round of `rounds` runs.
fn round_label(what: &str, round: usize, warmup: bool, rounds: Rounds) -> String {
    if warmup {
        format!("{what} warm-up {}/{}", round + 1, rounds.warmup)
    } else {
        format!("{what} run {}/{}", round + 1 - rounds.warmup, rounds.repeat)
    }
}
