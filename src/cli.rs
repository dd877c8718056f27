//! Command-line definitions (clap derive). Parsing only: the checks that
//! need more than one value live in [`crate::config`].

use crate::config::{
    SpecError, Work, parse_payload_kb, parse_serial_fraction, parse_task_ms, parse_tasks,
    parse_workers, serial_fraction_for,
};
use crate::measure::Rounds;
use crate::output::ExportFiles;
pub use crate::output::Format;
use crate::pool::{Pool, StartMethod};
use crate::schedule::{Schedule, ScheduleKind, parse_chunk};
use crate::sweep::{Scaling, WorkerCounts, parse_worker_list};
use crate::theme::ThemeName;
use crate::workload::WorkloadKind;
use clap::builder::PossibleValue;
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::LazyLock;
use strum::VariantArray;

/// Options only some commands read, with those commands (`""` is the live
/// lab, opened without a command). Given to any other command they would
/// do nothing, so they are refused.
const ONLY_FOR: &[(&str, &[&str])] = &[
    ("lessons", &["", "lessons", "lesson"]),
    ("theme", &[""]),
    ("python", &["", "run", "sweep", "lesson", "info"]),
];

/// The command line parlab parses: the derive definition, with every option
/// (not positional) that takes a value accepting one that starts with `-`, so `--tasks -1`
/// and `--task-ms -inf` get the same range error as `-5` instead of
/// "unexpected argument". Applied to every option of every command here,
/// so options added later get it too.
pub fn command() -> clap::Command {
    fn hyphens(command: clap::Command) -> clap::Command {
        command
            .mut_args(|arg| {
                // Positional lists (compare's files) stay as they are: one
                // taking hyphen values would swallow the options after it.
                if arg.get_action().takes_values() && !arg.is_positional() {
                    arg.allow_hyphen_values(true)
                } else {
                    arg
                }
            })
            .mut_subcommands(hyphens)
    }
    // Building spreads the global options (--lessons, --python) into every
    // command; each command's help then shows only the ones it reads, as
    // its man page does, since the others are refused there.
    // `parlab man COMMAND` takes the name of a visible command, so the
    // shells complete those names and a wrong one gets clap's list. Set
    // before building: an argument changed afterwards no longer parses.
    let parlab = hyphens(Cli::command());
    let pages: Vec<String> = parlab
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .map(|sub| sub.get_name().to_string())
        .collect();
    let mut command = parlab.mut_subcommand("man", |man| {
        man.mut_arg("command", |arg| {
            arg.value_parser(clap::builder::PossibleValuesParser::new(pages))
        })
    });
    command.build();
    command.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        sub.mut_args(|arg| {
            if reads_option(&name, arg.get_id().as_str()) {
                arg
            } else {
                arg.hide(true)
            }
        })
    })
}

/// The command line as the shells should complete it: [`command`] without
/// what it hides (the `pool-worker` command, and options a command refuses),
/// since the completion generators offer hidden things too.
pub fn completion_command() -> clap::Command {
    fn visible(built: &clap::Command) -> clap::Command {
        let mut shown = clap::Command::new(built.get_name().to_string())
            .disable_help_subcommand(true)
            .disable_version_flag(built.get_version().is_none());
        if let Some(about) = built.get_about() {
            shown = shown.about(about.clone());
        }
        if let Some(version) = built.get_version() {
            shown = shown.version(version.to_string());
        }
        let args = built.get_arguments().filter(|arg| {
            !arg.is_hide_set() && !matches!(arg.get_id().as_str(), "help" | "version")
        });
        for arg in args {
            shown = shown.arg(arg.clone().global(false));
        }
        let subs = built
            .get_subcommands()
            .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help");
        for sub in subs {
            shown = shown.subcommand(visible(sub));
        }
        shown
    }
    visible(&command())
}

/// Parses `args` (program name first) with [`command`], then refuses any
/// option given to a command it does nothing for. Every refusal is a
/// `clap::Error`, so all misuse is reported and exits alike (status 2).
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut command = command();
    let args: Vec<T> = args.into_iter().collect();
    refuse_repeated(&command, &args)?;
    let matches = command.try_get_matches_from_mut(args)?;
    refuse_unused(&command, &matches)?;
    Cli::from_arg_matches(&matches).map_err(|e| e.with_cmd(&command))
}

/// Whether `command` (`""` for the live lab) reads option `id`: false only
/// for the options of [`ONLY_FOR`] outside their commands.
pub fn reads_option(command: &str, id: &str) -> bool {
    ONLY_FOR
        .iter()
        .find(|(option, _)| *option == id)
        .is_none_or(|(_, users)| users.contains(&command))
}

/// Global options that take one value: given twice (`parlab --python A run
/// --python B`), clap would silently keep the last.
const ONCE: &[&str] = &["python", "lessons"];

/// Refuses a global option of [`ONCE`] given more than once, anywhere on
/// the line, naming both values.
fn refuse_repeated<T>(command: &clap::Command, args: &[T]) -> Result<(), clap::Error>
where
    T: Into<OsString> + Clone,
{
    let args: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.clone().into().to_string_lossy().into_owned())
        .take_while(|a| a != "--")
        .collect();
    for option in ONCE {
        let flag = format!("--{option}");
        let mut values = Vec::new();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if *arg == flag {
                values.push(iter.next().cloned().unwrap_or_default());
            } else if let Some(value) = arg.strip_prefix(&format!("{flag}=")) {
                values.push(value.to_string());
            }
        }
        if values.len() > 1 {
            return Err(command.clone().error(
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "{flag} was given {} times ({}): give it once",
                    values.len(),
                    values.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses the options of [`ONLY_FOR`] given to a command that ignores them.
fn refuse_unused(command: &clap::Command, matches: &ArgMatches) -> Result<(), clap::Error> {
    let (name, sub) = match matches.subcommand() {
        Some((name, sub)) => (name, Some(sub)),
        None => ("", None),
    };
    let given = |m: &ArgMatches, id: &str| {
        m.ids().any(|i| i.as_str() == id) && m.value_source(id) == Some(ValueSource::CommandLine)
    };
    for (id, users) in ONLY_FOR {
        if users.contains(&name) || !(given(matches, id) || sub.is_some_and(|s| given(s, id))) {
            continue;
        }
        let readers: Vec<String> = users
            .iter()
            .filter(|user| user.is_empty() || command.find_subcommand(user).is_some())
            .map(|user| match *user {
                "" => "the live lab (parlab without a command)".to_string(),
                user => format!("`parlab {user}`"),
            })
            .collect();
        return Err(command.clone().error(
            clap::error::ErrorKind::ArgumentConflict,
            format!(
                "--{id} does nothing for `parlab {name}`: only {} {}",
                readers.join(" and "),
                if readers.len() == 1 {
                    "reads it"
                } else {
                    "read it"
                }
            ),
        ));
    }
    Ok(())
}

const EXAMPLES: &str = "\
Examples:
  parlab                                    open the live lab on the classic demo
  parlab --theme light                      the same, for a light terminal or a projector
  parlab run                                24 tasks sleeping 100 ms: serial vs 8 workers
  parlab run --workload cpu --workers 4     CPU-bound tasks on 4 workers
  parlab run --workload tiny --tasks 100000 --format json
  parlab run --workload serial-fraction --serial-fraction 0.25 --workers 4
  parlab run --pool python-processes        the same demo in CPython's multiprocessing.Pool
  parlab run --pool all --workload cpu --workers 2
                                            threads, processes and Python's pools side by side
  parlab run --workload uneven --tasks 24 --task-ms 20 --workers 2 --schedule static
  parlab run --workload tiny --tasks 200000 --task-ms 0.0002 --schedule dynamic --chunk 1000
  parlab run --tasks 8 --task-ms 2 --workers 4 --trace run.json
                                            every task, for ui.perfetto.dev
  parlab sweep --workload cpu               speedup at 1, 2, 4, … workers
  parlab compare laptop.json desktop.json   exports (--format json) side by side
  parlab info                               what this machine has
  parlab lessons --lessons my-lessons/      check a folder of lessons";

const SWEEP_EXAMPLES: &str = "\
Examples:
  parlab sweep                              sleeping tasks at 1, 2, 4, … workers
  parlab sweep --workload cpu --task-ms 20  where CPU-bound work stops scaling
  parlab sweep --workers 1..16 --format csv > sweep.csv
  parlab sweep --scaling weak --workload cpu --tasks 8 --task-ms 20
                                            8 tasks per worker: does the time stay flat?
  parlab sweep --workload memory --repeat 3 --svg memory.svg
                                            a chart for a slide";

const COMPARE_EXAMPLES: &str = "\
Examples:
  parlab run --workload cpu --format json > laptop.json
  parlab compare laptop.json desktop.json   one table, a row per run
  parlab compare class/*.json --format markdown > results.md";

const CHECK_EXAMPLES: &str = "\
Examples:
  parlab check                              about a minute: the table
  parlab check --budget 20 --format json    a shorter check, for a script
  parlab check --export-json laptop.json --svg laptop.svg
  parlab compare laptop.json desktop.json   two machines' checks side by side";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  source <(parlab completions bash)         in this bash session
  parlab completions bash > ~/.local/share/bash-completion/completions/parlab
  parlab completions zsh > ~/.zfunc/_parlab  with fpath+=~/.zfunc in ~/.zshrc
  parlab completions fish > ~/.config/fish/completions/parlab.fish";

const MAN_EXAMPLES: &str = "\
Examples:
  parlab man | man -l -                     read it now
  parlab man sweep | man -l -               the page of parlab sweep
  parlab man > ~/.local/share/man/man1/parlab.1";

/// parlab: watch serial and parallel runs of the same work side by side,
/// and find out why one is faster.
#[derive(Debug, Parser)]
#[command(
    name = "parlab",
    version,
    about,
    after_help = EXAMPLES
)]
pub struct Cli {
    /// What to do; without one, the live lab opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Colours of the live lab (t cycles them); NO_COLOR picks mono.
    #[arg(long, value_enum)]
    pub theme: Option<ThemeName>,
    /// A folder of lesson files (*.toml) to load besides the shipped ones;
    /// a file named like a shipped lesson replaces it.
    #[arg(long, global = true, value_name = "DIR")]
    pub lessons: Option<std::path::PathBuf>,
    /// The Python interpreter the Python pools run (default: the first of
    /// python3, python and py -3 on PATH that runs).
    #[arg(long, global = true, value_name = "PATH")]
    pub python: Option<PathBuf>,
}

/// The headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one workload serially and in parallel, and print the timings.
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
    /// Run one workload at several worker counts and fit the speedups.
    #[command(after_help = SWEEP_EXAMPLES)]
    Sweep(SweepArgs),
    /// Print the CPU facts parlab uses: cores, logical CPUs, cache, OS.
    Info(InfoArgs),
    /// Check how this machine scales, in one command within a time budget:
    /// compute speedup per worker count, memory bandwidth, the cost of a
    /// task, each CPU's speed.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// List the lessons (shipped and from --lessons) and check every file.
    Lessons,
    /// Run every step of a lesson without a terminal and print what the
    /// lab would show: settings, measured times, findings and texts.
    #[command(after_help = LESSON_EXAMPLES)]
    Lesson(LessonArgs),
    /// Put JSON exports of run and sweep from several machines side by
    /// side in one table.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// Print a completion script for a shell.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff): parlab(1), or a command's own page.
    #[command(after_help = MAN_EXAMPLES)]
    Man {
        /// The command whose page to print (parlab-run(1), …); without
        /// one, parlab(1).
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
    /// A worker of `--pool processes`: serves tasks over stdin and stdout
    /// for the parlab that started it.
    #[command(name = "pool-worker", hide = true)]
    PoolWorker,
}

/// The experiment settings shared by `run` and `sweep`.
#[derive(Debug, Args, Clone)]
pub struct WorkArgs {
    /// What each task does.
    #[arg(long, value_enum, default_value_t = WorkloadKind::Sleep)]
    pub workload: WorkloadKind,
    /// Number of tasks (1 to 10,000,000).
    #[arg(long, default_value = "24", value_parser = parse_tasks)]
    pub tasks: usize,
    /// Milliseconds of work per task, fractions allowed (0.0001 to 60000);
    /// default 100, or 0.005 for tiny.
    #[arg(long, value_name = "MS", allow_negative_numbers = true, value_parser = parse_task_ms)]
    pub task_ms: Option<f64>,
    /// Timed runs of each side; the median is reported (1 to 1000).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub repeat: u16,
    /// Untimed runs of each side before timing (0 to 100).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=100))]
    pub warmup: u16,
    /// Part of the work done on one thread before the parallel part, for
    /// --workload serial-fraction (0 <= F < 1; default 0.25).
    #[arg(long, value_name = "F", allow_negative_numbers = true, value_parser = parse_serial_fraction)]
    pub serial_fraction: Option<f64>,
    /// How the parallel side hands tasks to its workers: steal (one rayon
    /// job per task), static (one contiguous block per worker) or dynamic
    /// (the next --chunk tasks from a shared counter).
    #[arg(long, value_enum, default_value_t = ScheduleKind::Steal)]
    pub schedule: ScheduleKind,
    /// Tasks a worker takes at once under --schedule dynamic (default 1),
    /// like the chunksize of Python's Pool.map.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_chunk)]
    pub chunk: Option<usize>,
    /// What runs the tasks (all: each pool available here, one table).
    #[arg(long, value_enum, default_value_t = PoolChoice::One(Pool::Threads))]
    pub pool: PoolChoice,
    /// Kilobytes of input each task gets and of result it returns; threads
    /// share it, processes copy it there and back (0 to 16384).
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = parse_payload_kb)]
    pub payload_kb: usize,
    /// How CPython's process pool starts its workers (default: Python's
    /// own here; spawn on macOS and Windows): fork, spawn or forkserver.
    #[arg(long, value_enum, value_name = "METHOD")]
    pub start_method: Option<StartMethod>,
}

/// The `--pool` value: one pool, or all of them side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolChoice {
    /// One pool.
    One(Pool),
    /// Every pool available here.
    All,
}

impl PoolChoice {
    /// The pool, or why this command needs a single one.
    pub fn single(self, command: &str) -> anyhow::Result<Pool> {
        match self {
            Self::One(pool) => Ok(pool),
            Self::All => Err(crate::exit::Misuse(format!(
                "--pool all belongs to parlab run; {command} takes one pool at a time"
            ))
            .into()),
        }
    }
}

impl ValueEnum for PoolChoice {
    fn value_variants<'a>() -> &'a [Self] {
        static CHOICES: LazyLock<Vec<PoolChoice>> = LazyLock::new(|| {
            let pools = Pool::VARIANTS.iter().map(|&pool| PoolChoice::One(pool));
            pools.chain([PoolChoice::All]).collect()
        });
        &CHOICES
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        match self {
            Self::One(pool) => pool.to_possible_value(),
            Self::All => {
                Some(PossibleValue::new("all").help("Each pool available here, one table"))
            }
        }
    }
}

impl WorkArgs {
    /// The task duration, defaulting by workload.
    pub fn task_ms(&self) -> f64 {
        self.task_ms
            .unwrap_or_else(|| self.workload.default_task_ms())
    }

    /// The schedule asked for; refuses a chunk without `dynamic`.
    pub fn schedule(&self) -> Result<Schedule, SpecError> {
        Ok(Schedule::from_args(self.schedule, self.chunk)?)
    }

    /// Timed and warm-up runs per side.
    pub fn rounds(&self) -> Rounds {
        Rounds {
            repeat: self.repeat.into(),
            warmup: self.warmup.into(),
        }
    }

    /// The checked settings of a run on `workers` workers; refuses a serial
    /// fraction given with a workload that has no serial part.
    pub fn spec(&self, workers: usize) -> Result<Work, SpecError> {
        let spec = Work {
            workload: self.workload,
            tasks: self.tasks,
            workers,
            task_ms: self.task_ms(),
            serial_fraction: serial_fraction_for(self.workload, self.serial_fraction)?,
            pool: match self.pool {
                PoolChoice::One(pool) => pool,
                PoolChoice::All => Pool::Threads,
            },
            payload_kb: self.payload_kb,
            schedule: self.schedule()?,
            start_method: self.start_method,
        };
        // `--pool all` passes the start method to python-processes alone.
        match self.pool {
            PoolChoice::All => Work {
                start_method: None,
                ..spec
            }
            .validate()?,
            PoolChoice::One(_) => spec.validate()?,
        }
        Ok(spec)
    }
}

/// Files a result is also written to, while the chosen `--format` prints
/// as usual: like hyperfine's `--export-json FILE`.
#[derive(Debug, Args, Clone, Default)]
pub struct ExportArgs {
    /// Also write the result as JSON (what `parlab compare` reads) to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_json: Option<PathBuf>,
    /// Also write the result as CSV to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_csv: Option<PathBuf>,
    /// Also write the result as Markdown to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_markdown: Option<PathBuf>,
}

impl ExportArgs {
    /// The files asked for, each with its format.
    pub fn files(&self) -> ExportFiles {
        ExportFiles(
            [
                (Format::Json, &self.export_json),
                (Format::Csv, &self.export_csv),
                (Format::Markdown, &self.export_markdown),
            ]
            .into_iter()
            .filter_map(|(format, path)| Some((format, path.clone()?)))
            .collect(),
        )
    }
}

/// Options of `parlab run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The workload and its size.
    #[command(flatten)]
    pub work: WorkArgs,
    /// Worker threads on the parallel side (1 to 1024).
    #[arg(long, default_value = "8", value_parser = parse_workers)]
    pub workers: usize,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Files to write the result to as well.
    #[command(flatten)]
    pub export: ExportArgs,
    /// Also write every task as a Chrome trace (JSON) to FILE, for
    /// Perfetto (ui.perfetto.dev) or chrome://tracing.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

/// Options of `parlab sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The workload and its size.
    #[command(flatten)]
    pub work: WorkArgs,
    /// Worker counts: a list (1,2,4,8), a range (1..16) or both (1..4,8);
    /// default 1, 2, 4, … up to twice the logical CPUs, plus the core counts.
    #[arg(long, value_name = "LIST", value_parser = parse_worker_list)]
    pub workers: Option<WorkerCounts>,
    /// strong: the same problem at every worker count (Amdahl); weak:
    /// --tasks per worker, so W workers get W × tasks and the ideal time
    /// stays flat (Gustafson).
    #[arg(long, value_enum, default_value_t = Scaling::Strong)]
    pub scaling: Scaling,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Files to write the result to as well.
    #[command(flatten)]
    pub export: ExportArgs,
    /// Also write an SVG chart of speedup over workers to FILE.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Also write every task of every run as a Chrome trace (JSON) to
    /// FILE, for Perfetto (ui.perfetto.dev) or chrome://tracing.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

/// Options of `parlab compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// JSON exports of `parlab run` or `parlab sweep` (--format json).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// How to print the table.
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
}

/// Output formats of `compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// Aligned text for people.
    Table,
    /// A table that renders on a forge or in a report.
    Markdown,
    /// A header row and one row per measurement.
    Csv,
}

const LESSON_EXAMPLES: &str = "\
Examples:
  parlab lesson 3                           preview lesson 3 on this machine (Markdown)
  parlab lesson 3 --format json             the same as {id, title, machine, steps}
  parlab lesson 03-cpu-bound                a lesson by its file name
  parlab lesson --all --lessons my-lessons/ every lesson, a teacher's included
  parlab lesson --path 50                   a 50-minute class's handout, run times measured";

/// Options of `parlab lesson`.
#[derive(Debug, Args)]
pub struct LessonArgs {
    /// The lesson: its number in `parlab lessons`, or its file name.
    #[arg(
        required_unless_present_any = ["all", "path"],
        conflicts_with_all = ["all", "path"],
        value_hint = clap::ValueHint::Other
    )]
    pub id: Option<String>,
    /// Every lesson, in order.
    #[arg(long, conflicts_with = "path")]
    pub all: bool,
    /// A class path (`parlab lessons` lists them: 50, 90): its steps run
    /// here, printed as a teacher's handout with each run time measured.
    #[arg(long, value_name = "NAME", value_hint = clap::ValueHint::Other)]
    pub path: Option<String>,
    /// How to print the lesson.
    #[arg(long, value_enum, default_value_t = LessonFormat::Markdown)]
    pub format: LessonFormat,
    /// Files to write the lesson to as well.
    #[command(flatten)]
    pub export: ExportArgs,
}

/// Output formats of `lesson`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LessonFormat {
    /// Every step's text, figures and findings, for a person.
    Markdown,
    /// One JSON object per lesson: {id, title, machine, steps}.
    Json,
}

/// Options of `parlab check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Seconds the whole check may take (5 to 3600); the tasks are sized
    /// to stay within it.
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = parse_budget)]
    pub budget: std::time::Duration,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Files to write the result to as well.
    #[command(flatten)]
    pub export: ExportArgs,
    /// Also write an SVG chart of the compute speedup over workers to FILE.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

/// Parses `--budget` in seconds, with its range in the message.
fn parse_budget(text: &str) -> Result<std::time::Duration, String> {
    use crate::check::{MAX_BUDGET, MIN_BUDGET};
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| (MIN_BUDGET.as_secs_f64()..=MAX_BUDGET.as_secs_f64()).contains(s))
        .map(std::time::Duration::from_secs_f64)
        .ok_or_else(|| {
            format!(
                "'{text}' is not a number of seconds from {} to {}",
                MIN_BUDGET.as_secs(),
                MAX_BUDGET.as_secs()
            )
        })
}

/// Options of `parlab info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// How to print the facts.
    #[arg(long, value_enum, default_value_t = InfoFormat::Table)]
    pub format: InfoFormat,
}

/// Output formats of `info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InfoFormat {
    /// Aligned text for people.
    Table,
    /// One JSON object, for scripts.
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every enum the command line takes lists each variant once, under
    /// the name the rest of parlab prints (JSON, tables, the lab), and in
    /// the order the lab cycles it.
    #[test]
    fn value_lists_are_the_derived_variant_tables() {
        fn same<T: ValueEnum + VariantArray + PartialEq + std::fmt::Debug>(name: fn(&T) -> &str) {
            assert_eq!(T::value_variants(), T::VARIANTS);
            for v in T::VARIANTS {
                let shown = v.to_possible_value().map(|p| p.get_name().to_string());
                assert_eq!(shown.as_deref(), Some(name(v)), "{v:?}");
            }
        }
        same::<WorkloadKind>(|k| k.name());
        same::<Pool>(|p| p.name());
        same::<ThemeName>(|t| t.name());
        same::<ScheduleKind>(|k| Schedule::of_kind(*k, 1).name());
        let pools = PoolChoice::value_variants().to_vec();
        let mut expected: Vec<_> = Pool::VARIANTS.iter().map(|&p| PoolChoice::One(p)).collect();
        expected.push(PoolChoice::All);
        assert_eq!(pools, expected);
    }

    #[test]
    fn a_command_s_help_lists_only_the_global_options_it_reads() {
        let mut parlab = command();
        let help = |parlab: &mut clap::Command, name: &str| {
            parlab
                .find_subcommand_mut(name)
                .map(|sub| sub.render_long_help().to_string())
                .unwrap_or_default()
        };
        let run = help(&mut parlab, "run");
        assert!(!run.contains("--lessons <DIR>"), "{run}");
        assert!(run.contains("--python <PATH>"), "{run}");
        let info = help(&mut parlab, "info");
        assert!(info.contains("--python <PATH>"), "{info}");
        let lessons = help(&mut parlab, "lessons");
        assert!(!lessons.contains("--python <PATH>"), "{lessons}");
        assert!(help(&mut parlab, "lesson").contains("--lessons <DIR>"));
    }

    #[test]
    fn a_global_option_given_twice_is_refused_with_both_values() {
        let err = parse_from(["parlab", "--python", "a", "run", "--python", "b"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
        assert!(
            err.to_string()
                .contains("--python was given 2 times (a, b)"),
            "{err}"
        );
        let err = parse_from(["parlab", "lessons", "--lessons=x", "--lessons", "y"]).unwrap_err();
        assert!(err.to_string().contains("(x, y)"), "{err}");
        assert!(parse_from(["parlab", "run", "--python", "a"]).is_ok());
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_defaults_are_the_seed_demo() {
        let cli = Cli::try_parse_from(["parlab", "run"]).unwrap();
        let Some(Command::Run(args)) = cli.command else {
            panic!("not run")
        };
        assert_eq!(args.work.workload, WorkloadKind::Sleep);
        assert_eq!(
            (args.work.tasks, args.workers, args.work.task_ms()),
            (24, 8, 100.0)
        );
    }

    #[test]
    fn the_theme_belongs_to_the_live_lab_only() {
        let cli = Cli::try_parse_from(["parlab", "--theme", "mono"]).unwrap();
        assert_eq!(
            (cli.theme, cli.command.is_none()),
            (Some(ThemeName::Mono), true)
        );
        let err = parse_from(["parlab", "--theme", "mono", "info"]).unwrap_err();
        assert!(err.to_string().contains("live lab"), "{err}");
        let err = Cli::try_parse_from(["parlab", "--theme", "neon"]).unwrap_err();
        assert!(err.to_string().contains("dark, light, mono"), "{err}");
    }

    #[test]
    fn the_serial_fraction_reaches_the_spec_only_for_its_workload() {
        let parse = |extra: &[&str]| {
            let args = ["parlab", "run"].iter().chain(extra).copied();
            let Some(Command::Run(run)) = Cli::try_parse_from(args).unwrap().command else {
                panic!("not run")
            };
            run.work.spec(run.workers)
        };
        let spec = parse(&["--workload", "serial-fraction", "--serial-fraction", "0.4"]).unwrap();
        assert_eq!(
            (spec.workload, spec.serial_fraction),
            (WorkloadKind::SerialFraction, 0.4)
        );
        let err = parse(&["--workload", "cpu", "--serial-fraction", "0.4"]).unwrap_err();
        assert!(
            err.to_string()
                .contains("only applies to the serial-fraction workload")
        );
        assert_eq!(parse(&[]).unwrap(), Work::SEED_DEMO);
    }

    #[test]
    fn the_schedule_and_its_chunk_reach_the_spec() {
        let parse = |extra: &[&str]| {
            let args = ["parlab", "run"].iter().chain(extra).copied();
            let Some(Command::Run(run)) = Cli::try_parse_from(args).unwrap().command else {
                panic!("not run")
            };
            run.work.spec(run.workers)
        };
        assert_eq!(parse(&[]).unwrap().schedule, Schedule::Steal);
        assert_eq!(
            parse(&["--schedule", "static"]).unwrap().schedule,
            Schedule::Static
        );
        assert_eq!(
            parse(&["--schedule", "dynamic", "--chunk", "1000"])
                .unwrap()
                .schedule,
            Schedule::Dynamic { chunk: 1000 }
        );
        let err = parse(&["--chunk", "4"]).unwrap_err();
        assert!(
            err.to_string()
                .contains("only applies to --schedule dynamic")
        );
        let err = Cli::try_parse_from(["parlab", "run", "--chunk", "0"]).unwrap_err();
        assert!(err.to_string().contains("from 1 to"), "{err}");
        let err = Cli::try_parse_from(["parlab", "sweep", "--schedule", "guided"]).unwrap_err();
        assert!(err.to_string().contains("steal, static, dynamic"), "{err}");
    }

    #[test]
    fn bad_values_are_refused_with_their_range() {
        for (args, needle) in [
            (vec!["--tasks", "0"], "1 to 10000000"),
            (vec!["--workers", "0"], "1 to 1024"),
            (vec!["--task-ms", "-5"], "0.0001 to 60000"),
            (vec!["--task-ms", "1e9"], "0.0001 to 60000"),
            (
                vec!["--tasks", "123456789012345678901234567890"],
                "1 to 10000000",
            ),
            (
                vec!["--workload", "bogus"],
                "sleep, cpu, memory, uneven, tiny",
            ),
            (vec!["--format", "xml"], "table, json, csv, markdown"),
            (
                vec!["--serial-fraction", "1"],
                "from 0 up to but not including 1",
            ),
            (
                vec!["--serial-fraction", "-0.5"],
                "from 0 up to but not including 1",
            ),
        ] {
            let err =
                Cli::try_parse_from(["parlab", "run"].into_iter().chain(args.clone())).unwrap_err();
            assert!(err.to_string().contains(needle), "{args:?}: {err}");
        }
    }

    #[test]
    fn sweep_takes_a_worker_list_and_a_chart_path() {
        let cli = Cli::try_parse_from([
            "parlab",
            "sweep",
            "--workload",
            "cpu",
            "--workers",
            "4,1..2",
            "--svg",
            "a.svg",
        ])
        .unwrap();
        let Some(Command::Sweep(args)) = cli.command else {
            panic!("not sweep")
        };
        assert_eq!(args.workers, Some(WorkerCounts(vec![1, 2, 4])));
        assert_eq!(args.svg, Some(PathBuf::from("a.svg")));
        assert_eq!(args.work.workload, WorkloadKind::Cpu);
        let err = Cli::try_parse_from(["parlab", "sweep", "--workers", "0,2"]).unwrap_err();
        assert!(err.to_string().contains("from 1 to 1024"), "{err}");
    }
}
