//! Lessons: short guided walks from "why is this 8× faster?" to Amdahl's
//! law, each step grounded in a run on the learner's own machine.
//!
//! A lesson is one TOML file (format: `assets/lessons/README.md`). The
//! shipped lessons are compiled into the binary so a bare binary teaches;
//! a teacher's folder (`--lessons DIR`) adds lessons or replaces shipped
//! ones by file name, without rebuilding. Loading never panics and never
//! stops at a bad file: each problem becomes a [`LessonError`] naming the
//! file and line, and the good lessons still load. No drawing happens here;
//! the TUI shows [`LessonSet`] and steps through [`Step`]s.

mod parse;
pub mod path;
pub mod preview;

use crate::config::{MAX_WORKERS, Work};
use crate::finding::{MachineFacts, judged};
use crate::machine::MachineInfo;
use crate::measure::{Rounds, RunResult};
use crate::predict::Quantity;
use crate::sweep::{Scaling, SweepPlan, SweepResult, WorkerCounts};
use crate::template::Facts;
use crate::template::Variants;
use std::path::Path;

/// A shipped lesson: its file name and its contents, compiled in.
macro_rules! shipped {
    ($name:literal) => {
        ($name, include_str!(concat!("../assets/lessons/", $name)))
    };
}

/// The lessons compiled into the binary: file name and contents, in order.
pub const SHIPPED: &[(&str, &str)] = &[
    shipped!("01-classic-demo.toml"),
    shipped!("02-workers-not-cores.toml"),
    shipped!("03-cpu-bound.toml"),
    shipped!("04-oversubscription.toml"),
    shipped!("05-cores-vs-cpus.toml"),
    shipped!("06-overhead-and-chunks.toml"),
    shipped!("07-load-imbalance.toml"),
    shipped!("08-handing-out-work.toml"),
    shipped!("09-amdahl.toml"),
    shipped!("10-gustafson.toml"),
    shipped!("11-memory-bound.toml"),
    shipped!("12-sharing-memory.toml"),
    shipped!("13-threads-vs-processes.toml"),
];

/// Largest lesson file read from a folder: far above any real lesson, and a
/// guard against pointing `--lessons` at the wrong folder.
const MAX_FILE_BYTES: u64 = 256 * 1024;

/// One lesson: a title, a one-line summary for the list, and its steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// The file it came from, e.g. `01-classic-demo.toml`; lessons are
    /// listed in file-name order and a teacher's file replaces a shipped
    /// one of the same name.
    pub file: String,
    /// The title shown in the list.
    pub title: String,
    /// One line saying what the lesson shows.
    pub summary: String,
    /// The steps, at least one.
    pub steps: Vec<Step>,
}

/// One step: explain, load settings, ask, run, then say what happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// A short heading.
    pub title: String,
    /// A few sentences shown before the run, chosen by what the machine
    /// shows (SMT or not, one CPU, a busy machine).
    pub text: Variants,
    /// The run this step loads.
    pub settings: Settings,
    /// The question to think about before pressing run.
    pub question: String,
    /// What the learner is asked to predict.
    pub predict: Quantity,
    /// The paragraph shown after the run, chosen by the run's findings and
    /// quoting its measured numbers.
    pub happened: Variants,
}

/// The settings a step loads. Worker counts may follow the machine, so a
/// lesson about cores works on 2 cores and on 64.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The work as written; its worker count is [`Self::workers`] on the
    /// machine that runs the step.
    pub work: Work,
    /// Worker threads of the parallel run (or the largest of a sweep).
    pub workers: WorkerCount,
    /// Whether the step runs a sweep over worker counts instead of one run.
    pub sweep: bool,
    /// Timed runs of each side; the step reports the medians. More than one
    /// where a single run on a shared machine would decide by chance.
    pub repeat: usize,
}

impl Settings {
    /// The work on `machine`, worker count resolved and clamped.
    pub fn spec(&self, machine: &MachineInfo) -> Work {
        self.spec_on(self.workers.resolve(machine))
    }

    /// The work on exactly `workers` workers.
    pub fn spec_on(&self, workers: usize) -> Work {
        Work {
            workers,
            ..self.work
        }
    }

    /// The rounds of the step's own run: its repeats, no warm-up.
    pub fn rounds(&self) -> Rounds {
        Rounds {
            repeat: self.repeat,
            warmup: 0,
        }
    }

    /// For a sweep step, the sweep of `work` (the step's own, or what the
    /// learner changed it to) that the lab and `parlab lesson` both
    /// measure: 1, 2, 4, … up to its worker count, which is always
    /// included, with the step's rounds. `None` for a single run.
    pub fn sweep_plan(&self, work: &Work) -> Option<SweepPlan> {
        let top = work.workers;
        let mut counts: Vec<usize> = std::iter::successors(Some(1usize), |n| n.checked_mul(2))
            .take_while(|n| *n < top)
            .collect();
        counts.push(top);
        self.sweep
            .then(|| SweepPlan::new(*work, WorkerCounts(counts), Scaling::Strong, self.rounds()))
    }
}

/// A worker count, fixed or following the machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerCount {
    /// Exactly this many workers.
    Fixed(usize),
    /// This many workers per physical core (`"cores"`, `"2*cores"`).
    PerCore(usize),
    /// This many workers per logical CPU (`"cpus"`, `"4*cpus"`).
    PerCpu(usize),
}

/// Presets give worker counts as lessons do: a number or a text such as
/// `"2*cpus"`.
impl<'de> serde::Deserialize<'de> for WorkerCount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Written {
            Count(usize),
            Text(String),
        }
        match Written::deserialize(deserializer)? {
            Written::Count(n) => Ok(Self::Fixed(n)),
            Written::Text(text) => Self::parse(&text).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "workers \"{text}\": use a number, \"cpus\", \"cores\" or a multiple such as \"2*cpus\""
                ))
            }),
        }
    }
}

impl WorkerCount {
    /// Largest multiplier accepted in `"N*cores"` or `"N*cpus"`.
    pub const MAX_FACTOR: usize = 64;

    /// Parses `"cores"`, `"cpus"`, `"N*cores"`, `"N*cpus"` or a number.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (factor, unit) = match text.split_once('*') {
            Some((factor, unit)) => (factor.trim().parse().ok()?, unit.trim()),
            None => (1, text),
        };
        if !(1..=Self::MAX_FACTOR).contains(&factor) {
            return None;
        }
        match unit {
            "cores" => Some(Self::PerCore(factor)),
            "cpus" => Some(Self::PerCpu(factor)),
            _ if factor == 1 => unit.parse().ok().map(Self::Fixed),
            _ => None,
        }
    }

    /// The count on `machine`, within 1 to the worker limit.
    pub fn resolve(self, machine: &MachineInfo) -> usize {
        let count = match self {
            Self::Fixed(n) => n,
            Self::PerCore(k) => k.saturating_mul(machine.physical_cores),
            Self::PerCpu(k) => k.saturating_mul(machine.logical_cpus),
        };
        count.clamp(1, MAX_WORKERS)
    }

    /// The number, when it does not depend on the machine.
    pub fn fixed(self) -> Option<usize> {
        match self {
            Self::Fixed(n) => Some(n),
            _ => None,
        }
    }
}

/// The facts a run's sentences are chosen by and filled from: its figures
/// and its findings. The lab's explanation line, a lesson step in the lab
/// and `parlab lesson` all call this (a sweep step calls
/// [`sweep_facts`]), so they say the same.
pub fn happened_facts(report: &RunResult) -> Facts {
    Facts::from_report(report, &judged(&report.findings))
}

/// The facts of a sweep step: the sweep's figures and findings.
pub fn sweep_facts(sweep: &SweepResult) -> Facts {
    Facts::from_sweep(sweep, &judged(&sweep.findings))
}

/// The facts a step's `text` is chosen by before its run: the settings
/// and what the machine shows (SMT or not, usable CPUs, busy).
pub fn before_facts(spec: &Work, machine: &MachineInfo, busy: bool) -> Facts {
    let judged = crate::findings::judge_machine(&MachineFacts::of(machine, busy));
    let mut facts = Facts::from_spec(spec, machine);
    for (id, _) in judged {
        facts.add_finding(id);
    }
    facts
}

/// A lesson file that could not be used: which file, which line, why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", line.map_or(String::new(), |l| format!(", line {l}")))]
pub struct LessonError {
    /// The file (or folder) at fault, as the user named it.
    pub file: String,
    /// The 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// What is wrong, in one line.
    pub message: String,
}

/// Parses one lesson file's `source`; errors name `file` and the line.
pub fn parse_lesson(file: &str, source: &str) -> Result<Lesson, LessonError> {
    parse::lesson(file, source)
        .map(printable_lesson)
        .map_err(|problem| LessonError {
            file: file.to_string(),
            line: problem
                .offset
                .map(|at| crate::template::line_at(source, at)),
            message: one_line(&problem.message),
        })
}

/// `lesson` with no control character in its one-line texts: a title with
/// BEL or a clear-screen escaped into the TOML must not reach a terminal
/// through `parlab lessons` or `parlab lesson` (its templates are
/// filtered as they render).
fn printable_lesson(mut lesson: Lesson) -> Lesson {
    use crate::user_file::printable;
    lesson.title = printable(&lesson.title);
    lesson.summary = printable(&lesson.summary);
    for step in &mut lesson.steps {
        step.title = printable(&step.title);
        step.question = printable(&step.question);
    }
    lesson
}

/// A path as problems name it: control characters (a newline in a file
/// name) shown as `?`, so a problem stays one line.
fn shown_path(path: &Path) -> String {
    path.display()
        .to_string()
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// A problem's message on one line, whatever the file quoted into it (an
/// unclosed placeholder runs on over the next lines), and not too long for
/// a list.
fn one_line(message: &str) -> String {
    const MAX_CHARS: usize = 240;
    let flat: String = message
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    match flat.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// The lessons available in this session and the files that failed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonSet {
    /// Usable lessons, in file-name order.
    pub lessons: Vec<Lesson>,
    /// Every file that could not be used, to show on screen.
    pub problems: Vec<LessonError>,
}

impl LessonSet {
    /// The shipped lessons only.
    pub fn shipped() -> Self {
        let mut set = Self::default();
        for (file, source) in SHIPPED {
            set.add(parse_lesson(file, source));
        }
        set
    }

    /// The shipped lessons, then every `*.toml` in `dir` (if given): a file
    /// named like a shipped lesson replaces it, others are added.
    pub fn load(dir: Option<&Path>) -> Self {
        let mut set = Self::shipped();
        if let Some(dir) = dir {
            set.add_folder(dir);
        }
        set
    }

    fn add_folder(&mut self, dir: &Path) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.problems.push(folder_error(dir, &e)),
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => paths.push(entry.path()),
                Err(e) => self.problems.push(folder_error(dir, &e)),
            }
        }
        // Hidden files (editor locks such as `.#01-demo.toml`) are not lessons.
        paths.retain(|path| {
            path.extension().is_some_and(|ext| ext == "toml")
                && !path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        });
        paths.sort();
        if paths.is_empty() {
            return self.problems.push(LessonError {
                file: shown_path(dir),
                line: None,
                message: "no lesson files (*.toml) in this folder".to_string(),
            });
        }
        for path in paths {
            self.add(read_lesson(&path));
        }
    }

    fn add(&mut self, lesson: Result<Lesson, LessonError>) {
        match lesson {
            Ok(lesson) => {
                self.lessons.retain(|l| l.file != lesson.file);
                self.lessons.push(lesson);
                self.lessons.sort_by(|a, b| a.file.cmp(&b.file));
            }
            Err(problem) => self.problems.push(problem),
        }
    }
}

fn folder_error(dir: &Path, e: &std::io::Error) -> LessonError {
    LessonError {
        file: shown_path(dir),
        line: None,
        message: format!("cannot read the lesson folder: {e}"),
    }
}

/// Reads and parses one lesson file; the lesson is known by its file name,
/// errors by the path as given.
fn read_lesson(path: &Path) -> Result<Lesson, LessonError> {
    let shown = shown_path(path);
    let fail = |message: String| LessonError {
        file: shown.clone(),
        line: None,
        message,
    };
    let source = read_capped(path).map_err(fail)?;
    let name = path
        .file_name()
        .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
    let lesson = parse_lesson(&shown, &source)?;
    Ok(Lesson {
        file: name,
        ..lesson
    })
}

/// Reads a lesson file safely whatever sits at `path`: only a regular file
/// (a link is followed to one) is read, it is opened without blocking (a
/// FIFO named `*.toml` must not hang the lab), and at most
/// [`MAX_FILE_BYTES`] are read, whatever size the file claims (a link to a
/// device claims none and never ends).
fn read_capped(path: &Path) -> Result<String, String> {
    crate::user_file::read_user_file(path, MAX_FILE_BYTES).map_err(|refusal| match refusal {
        crate::user_file::FileRefusal::NotRegular(kind) => {
            format!("{kind}, not a lesson file: skipped")
        }
        crate::user_file::FileRefusal::TooLarge(_) => format!(
            "larger than {} KiB, too large for a lesson",
            MAX_FILE_BYTES / 1024
        ),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MAX_SERIAL;
    use crate::template::{Facts, Placeholder};
    use std::path::PathBuf;
    use std::time::Duration;
    use strum::VariantArray;

    fn machines() -> [MachineInfo; 4] {
        [
            MachineInfo::synthetic(1, 1),
            MachineInfo::synthetic(2, 2),
            MachineInfo::synthetic(4, 8),
            MachineInfo::synthetic(64, 128),
        ]
    }

    const GOOD_STEP: &str = r#"
[[step]]
title = "Eight workers"
text = "Some words."
workload = "sleep"
tasks = 24
workers = 8
question = "How long?"
predict = "parallel-time"
happened = "It took {parallel}."
"#;

    fn lesson_with(step_body: &str) -> String {
        format!("title = \"T\"\nsummary = \"S\"\n{step_body}")
    }

    /// The error for a lesson whose only step is GOOD_STEP with `from`
    /// replaced by `to`.
    fn broken(from: &str, to: &str) -> LessonError {
        assert!(GOOD_STEP.contains(from), "{from}");
        let source = lesson_with(&GOOD_STEP.replace(from, to));
        parse_lesson("x.toml", &source).unwrap_err()
    }

    #[test]
    fn every_shipped_lesson_parses() {
        let set = LessonSet::shipped();
        assert_eq!(set.problems, vec![]);
        assert_eq!(set.lessons.len(), SHIPPED.len());
        assert!(set.lessons.len() >= 10);
        for lesson in &set.lessons {
            assert!(!lesson.summary.trim().is_empty(), "{}", lesson.file);
            assert!(lesson.steps.len() >= 2, "{}", lesson.file);
        }
    }

    #[test]
    fn every_shipped_step_is_a_valid_short_run_on_any_machine() {
        for lesson in LessonSet::shipped().lessons {
            for (i, step) in lesson.steps.iter().enumerate() {
                let at = format!("{} step {}", lesson.file, i + 1);
                for machine in machines() {
                    let spec = step.settings.spec(&machine);
                    assert_eq!(spec.validate(), Ok(()), "{at}");
                    assert_eq!(
                        step.settings.sweep,
                        step.settings.sweep_plan(&spec).is_some()
                    );
                }
                // A class waits for both sides: keep each serial run short.
                assert!(
                    step.settings.spec(&machines()[0]).serial_estimate() <= Duration::from_secs(4),
                    "{at}"
                );
                assert!(MAX_SERIAL > Duration::from_secs(4));
            }
        }
    }

    #[test]
    fn every_lesson_file_in_the_folder_is_shipped() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/lessons");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let shipped: Vec<&str> = SHIPPED.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, shipped);
    }

    #[test]
    fn the_format_document_lists_every_placeholder() {
        let doc = include_str!("../assets/lessons/README.md");
        for p in Placeholder::VARIANTS {
            assert!(doc.contains(&format!("| `{{{}}}` |", p.name())), "{p:?}");
        }
    }

    #[test]
    fn the_classic_demo_is_lesson_one() {
        let set = LessonSet::shipped();
        let demo = &set.lessons[0];
        assert_eq!(demo.file, "01-classic-demo.toml");
        let eight = &demo.steps[1];
        let spec = eight.settings.spec(&MachineInfo::synthetic(2, 2));
        assert_eq!(spec, Work::SEED_DEMO);
        assert_eq!(eight.predict, Quantity::ParallelTime);
    }

    fn shipped_source(file: &str) -> &'static str {
        SHIPPED
            .iter()
            .find(|(name, _)| *name == file)
            .map(|(_, source)| *source)
            .unwrap_or_default()
    }

    #[test]
    fn lessons_follow_the_topics_of_a_class() {
        let set = LessonSet::shipped();
        assert!(set.lessons.len() >= 13, "{}", set.lessons.len());
        let titles: Vec<&str> = set.lessons.iter().map(|l| l.title.as_str()).collect();
        let at = |word: &str| {
            titles
                .iter()
                .position(|t| t.contains(word))
                .unwrap_or_else(|| panic!("no lesson on {word}: {titles:?}"))
        };
        let order = [
            at("classic demo"),
            at("Waiting"),
            at("Computing"),
            at("Overhead"),
            at("imbalance"),
            at("Handing out"),
            at("Amdahl"),
            at("Gustafson"),
            at("Memory"),
            at("Sharing memory"),
            at("processes"),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{titles:?}");
        let sharing = &set.lessons[at("Sharing memory")];
        let kinds: Vec<crate::workload::WorkloadKind> = sharing
            .steps
            .iter()
            .map(|s| s.settings.work.workload)
            .collect();
        for kind in [
            crate::workload::WorkloadKind::Padded,
            crate::workload::WorkloadKind::FalseSharing,
            crate::workload::WorkloadKind::Locked,
        ] {
            assert!(kinds.contains(&kind), "{kinds:?}");
        }
    }

    #[test]
    fn the_python_recipe_compares_with_the_eight_worker_step_just_before_it() {
        let demo = &LessonSet::shipped().lessons[0];
        let python = demo
            .steps
            .iter()
            .position(|s| s.settings.work.pool == crate::pool::Pool::PythonProcesses)
            .unwrap_or(0);
        let before = &demo.steps[python - 1].settings;
        assert_eq!(before.workers, WorkerCount::Fixed(8));
        assert_eq!(before.work.pool, crate::pool::Pool::Threads);
        assert!(
            shipped_source("01-classic-demo.toml").contains("rayon run of 8 workers in the step")
        );
    }

    #[test]
    fn texts_claim_nothing_a_run_can_contradict() {
        let threads = shipped_source("13-threads-vs-processes.toml");
        assert!(!threads.contains("a process is a new interpreter"));
        assert!(threads.contains("under fork each is"));
        let chunks = shipped_source("06-overhead-and-chunks.toml");
        let default = &chunks[chunks.find("title = \"Chunks of 1000\"").unwrap_or(0)..];
        let default = &default[..default.find("[[step.case]]").unwrap_or(default.len())];
        assert!(!default.contains("This is why"), "{default}");
        let amdahl = shipped_source("09-amdahl.toml");
        assert!(
            !amdahl.contains("the rest is"),
            "names no cause by elimination"
        );
        assert!(amdahl.contains("Karp–Flatt metric, e = (1/S − 1/N) / (1 − 1/N)"));
        let memory = shipped_source("11-memory-bound.toml");
        assert!(!memory.contains("far larger than the caches"));
        assert!(memory.contains("four times this machine's last-level cache"));
        let findings = include_str!("../assets/findings.toml");
        assert!(
            !findings.contains("under the {schedule} schedule"),
            "a pool may take none"
        );
    }

    #[test]
    fn computing_past_the_cpus_on_a_busy_machine_is_a_larger_share_of_them_not_a_slow_serial_run() {
        use crate::finding::FindingId::{AboveIdeal, Busy, WallSame};
        let set = LessonSet::shipped();
        let cores = set
            .lessons
            .iter()
            .find(|l| l.title == "Computing stops at the cores")
            .expect("the cores lesson");
        let last = cores.steps.last().expect("steps");
        let text = |findings: &[crate::finding::FindingId]| {
            let facts = crate::template::Facts::synthetic(&[], findings, None);
            last.happened.render(&facts)
        };
        let busy = text(&[AboveIdeal, Busy]);
        assert!(
            busy.contains("won a larger share") && busy.contains("n/a of CPU in n/a"),
            "{busy}"
        );
        assert!(!busy.contains("slowed by something else"), "{busy}");
        assert!(text(&[AboveIdeal]).contains("slowed by something else"));
        // Step 1 under load: its CPU time was half its wall time.
        let first = cores.steps.first().expect("steps");
        for findings in [&[][..], &[WallSame, Busy][..]] {
            let facts = crate::template::Facts::synthetic(&[], findings, None);
            let said = first.happened.render(&facts);
            assert!(!said.contains("keeps a core busy"), "{said}");
            assert!(
                said.contains("wall time beyond the CPU time is time"),
                "{said}"
            );
        }
    }

    /// Steps that name a cause of their own say it only where the time
    /// accounting measured it: on a busy machine whose workers waited for
    /// a CPU, they say that instead.
    #[test]
    fn a_step_names_its_cause_only_where_the_accounting_measured_it() {
        use crate::finding::FindingId::{
            Busy, ComputedSlower, ShortOfIdeal, WaitedForCpu, WaitedForLock, WallSame,
        };
        let set = LessonSet::shipped();
        let step = |file: &str, title: &str| {
            let lesson = set.lessons.iter().find(|l| l.file == file).expect(file);
            let found = lesson.steps.iter().find(|s| s.title == title);
            found.expect(title).happened.clone()
        };
        let said = |happened: &crate::template::Variants,
                    findings: &[crate::finding::FindingId]| {
            happened.render(&crate::template::Facts::synthetic(&[], findings, None))
        };
        let busy = [WallSame, ShortOfIdeal, WaitedForCpu, Busy];
        let cases = [
            (
                "04-oversubscription.toml",
                "Matched to the CPUs",
                "went to scheduling",
                None,
            ),
            (
                "06-overhead-and-chunks.toml",
                "100 tasks of 1 ms",
                "Keep tasks much",
                None,
            ),
            (
                "12-sharing-memory.toml",
                "Counters on one cache line",
                "though each worker wrote only its own counter",
                Some(ComputedSlower),
            ),
            (
                "12-sharing-memory.toml",
                "One lock for everyone",
                "Only the worker holding the lock computes",
                Some(WaitedForLock),
            ),
        ];
        for (file, title, claim, cause) in cases {
            let happened = step(file, title);
            let text = said(&happened, &busy);
            assert!(text.contains("waited for a CPU"), "{file} {title}: {text}");
            assert!(!text.contains(claim), "{file} {title}: {text}");
            if let Some(cause) = cause {
                let measured = said(&happened, &[WallSame, ShortOfIdeal, cause]);
                assert!(measured.contains(claim), "{file} {title}: {measured}");
                let unmeasured = said(&happened, &[WallSame, ShortOfIdeal]);
                assert!(!unmeasured.contains(claim), "{file} {title}: {unmeasured}");
            }
        }
        let gil = step(
            "13-threads-vs-processes.toml",
            "Python threads that compute",
        );
        let slower = [
            crate::finding::FindingId::GilOn,
            crate::finding::FindingId::SlowerThanSerial,
        ];
        let handing = "handing the lock from thread to thread";
        assert!(said(&gil, &slower).contains(handing));
        let loaded = [slower[0], slower[1], WaitedForCpu, Busy];
        assert!(said(&gil, &loaded).contains("cannot show what the GIL alone costs"));
        let chunks = step("06-overhead-and-chunks.toml", "Chunks of 1000");
        let cheap = "cost next to nothing";
        let met = [
            crate::finding::FindingId::MetIdeal,
            crate::finding::FindingId::WallFell,
        ];
        assert!(said(&chunks, &met).contains(cheap));
        let handed = [met[0], met[1], crate::finding::FindingId::HandingOut];
        assert!(!said(&chunks, &handed).contains(cheap));
        let memory = step("11-memory-bound.toml", "One worker streaming memory");
        assert!(
            said(&memory, &[WallSame, Busy])
                .contains("beyond the CPU time went to waiting for a CPU")
        );
    }

    #[test]
    fn a_step_compares_the_start_up_of_spawned_processes() {
        let set = LessonSet::shipped();
        let threads = set
            .lessons
            .iter()
            .find(|l| l.title == "Threads and processes")
            .expect("the processes lesson");
        let at = threads
            .steps
            .iter()
            .position(|s| s.settings.work.start_method == Some(crate::pool::StartMethod::Spawn))
            .expect("a spawn step");
        let before = &threads.steps[at - 1].settings.work;
        assert_eq!(before.pool, crate::pool::Pool::PythonProcesses);
        assert_eq!(before.start_method, None, "the default it is compared with");
    }

    #[test]
    fn gustafson_keeps_the_serial_part_of_one_worker() {
        let set = LessonSet::shipped();
        let lesson = set
            .lessons
            .iter()
            .find(|l| l.title.contains("Gustafson"))
            .expect("a Gustafson lesson");
        let machine = MachineInfo::synthetic(2, 2);
        let serial_ms = |s: &crate::config::Work| s.serial_fraction * s.tasks as f64 * s.task_ms;
        let task_ms = |s: &crate::config::Work| (1.0 - s.serial_fraction) * s.task_ms;
        let one = lesson.steps[0].settings.spec(&machine);
        let weak = lesson.steps[2].settings.spec(&machine);
        assert!((serial_ms(&one) - serial_ms(&weak)).abs() < 0.01);
        assert!((task_ms(&one) - task_ms(&weak)).abs() < 0.01);
        assert_eq!(weak.tasks, 2 * one.tasks);
        let gustafson = (serial_ms(&weak) + weak.tasks as f64 * task_ms(&weak))
            / (serial_ms(&weak) + weak.tasks as f64 * task_ms(&weak) / weak.workers as f64);
        assert!((gustafson - 1.5).abs() < 0.01, "{gustafson}");
        let waiting = lesson.steps[3].settings.spec(&machine);
        assert_eq!(
            waiting.workload,
            crate::workload::WorkloadKind::SerialFractionWaiting
        );
        assert!(
            (serial_ms(&waiting) - 50.0).abs() < 0.01 && (task_ms(&waiting) - 50.0).abs() < 0.01
        );
    }

    #[test]
    fn a_good_lesson_reads_back_exactly() {
        let lesson = parse_lesson("x.toml", &lesson_with(GOOD_STEP)).unwrap();
        let step = &lesson.steps[0];
        assert_eq!(
            (lesson.title.as_str(), step.title.as_str()),
            ("T", "Eight workers")
        );
        let spec = step.settings.spec(&MachineInfo::synthetic(2, 2));
        assert_eq!(spec, Work::SEED_DEMO);
        let mut report_facts = Facts::default();
        assert_eq!(step.happened.render(&report_facts), "It took n/a.");
        report_facts = happened_facts(&fixture_report());
        assert_eq!(step.happened.render(&report_facts), "It took 301 ms.");
    }

    fn fixture_report() -> crate::measure::RunResult {
        use crate::measure::{Rounds, RunResult, SideResult};
        let side = |ms: u64, tasks: usize| SideResult {
            wall: crate::stats::Summary::of(&[Duration::from_millis(ms)]),
            cpu: Duration::from_millis(3),
            checksum: 1,
            task_times: vec![Duration::from_millis(100); tasks],
            serial_part: Duration::ZERO,
            transfer: None,
            end_idle: None,
            record: Default::default(),
        };
        RunResult::new(
            &Work::SEED_DEMO,
            Rounds::ONCE,
            &MachineInfo::synthetic(2, 2),
            &side(2400, 24),
            &side(301, 0),
            Duration::ZERO,
        )
    }

    #[test]
    fn broken_files_name_the_file_and_the_line() {
        // Lines: 1 title, 2 summary, 3 blank, 4 [[step]], 5 title, 6 text,
        // 7 workload, 8 tasks, 9 workers, 10 question, 11 predict, 12 happened.
        for (from, to, line, needle) in [
            ("tasks = 24", "tasks = 0", 8, "from 1 to 10000000"),
            ("tasks = 24", "tasks = -3", 8, "-3"),
            ("workers = 8", "workers = 0", 9, "from 1 to 1024"),
            ("workers = 8", "workers = \"lots\"", 9, "\"cpus\""),
            ("workload = \"sleep\"", "workload = \"nap\"", 7, "nap"),
            ("tasks = 24", "tasks = 24\ntask-ms = 5", 9, "task-ms"),
            (
                "{parallel}",
                "{paralel}",
                12,
                "unknown placeholder {paralel}",
            ),
            ("{parallel}", "{best_speedup}", 12, "only a sweep step"),
            ("{parallel}", "{amdahl}", 12, "only a serial-fraction step"),
            (
                "predict = \"parallel-time\"",
                "predict = \"time\"",
                11,
                "time",
            ),
            (
                "tasks = 24",
                "tasks = 24\nserial_fraction = 0.5",
                9,
                "not to sleep",
            ),
            ("workers = 8", "workers = 8\nworkers = 9", 10, "duplicate"),
        ] {
            let err = broken(from, to);
            assert_eq!(err.file, "x.toml");
            let shown = err.to_string();
            assert!(
                shown.starts_with(&format!("x.toml, line {line}: ")),
                "{to}: {shown}"
            );
            assert!(shown.contains(needle), "{to}: {shown}");
            assert_eq!(shown.lines().count(), 1, "{shown}");
        }
    }

    #[test]
    fn a_placeholder_typo_deep_in_a_long_text_points_at_its_own_line() {
        let long = GOOD_STEP.replace(
            "happened = \"It took {parallel}.\"",
            "happened = \"\"\"\nfirst line {serial}\nsecond {spedup}\n\"\"\"",
        );
        let err = parse_lesson("x.toml", &lesson_with(&long)).unwrap_err();
        assert_eq!(err.line, Some(14));
    }

    #[test]
    fn a_lesson_needs_steps_and_a_title() {
        let err = parse_lesson("x.toml", "title = \"T\"\nsummary = \"S\"\n").unwrap_err();
        assert!(err.to_string().contains("no [[step]]"), "{err}");
        let err =
            parse_lesson("x.toml", &lesson_with(GOOD_STEP).replace("\"T\"", "\" \"")).unwrap_err();
        assert!(err.to_string().contains("needs a title"), "{err}");
        let err = parse_lesson("x.toml", "garbage ===").unwrap_err();
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn a_teacher_folder_adds_replaces_and_reports() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().to_path_buf();
        let replaced = lesson_with(GOOD_STEP).replace("title = \"T\"", "title = \"Our demo\"");
        std::fs::write(dir.join("01-classic-demo.toml"), replaced).unwrap();
        std::fs::write(dir.join("21-extra.toml"), lesson_with(GOOD_STEP)).unwrap();
        std::fs::write(dir.join("22-broken.toml"), "title = \"B\"\nsummary = 3\n").unwrap();
        std::fs::write(dir.join("notes.txt"), "not a lesson").unwrap();
        let set = LessonSet::load(Some(&dir));
        assert_eq!(set.lessons.len(), SHIPPED.len() + 1);
        assert_eq!(set.lessons[0].title, "Our demo");
        assert_eq!(set.lessons.last().unwrap().file, "21-extra.toml");
        assert_eq!(set.problems.len(), 1);
        assert!(set.problems[0].file.ends_with("22-broken.toml"));
        assert_eq!(set.problems[0].line, Some(2));
    }

    /// FIFOs, symbolic links and /dev/zero are Unix things.
    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read_and_never_past_the_cap() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        std::fs::write(dir.join("11-good.toml"), lesson_with(GOOD_STEP)).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("12-fifo.toml"))
            .status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        std::os::unix::fs::symlink("/dev/zero", dir.join("13-zero.toml")).unwrap();
        std::fs::create_dir(dir.join("14-folder.toml")).unwrap();
        let huge = std::fs::File::create(dir.join("15-huge.toml")).unwrap();
        huge.set_len(1 << 40).unwrap();
        std::fs::write(dir.join("16-binary.toml"), [0xff, 0xfe, 0x00]).unwrap();
        std::os::unix::fs::symlink(dir.join("11-good.toml"), dir.join("17-link.toml")).unwrap();
        std::os::unix::fs::symlink("/nowhere", dir.join(".#11-good.toml")).unwrap();
        let started = std::time::Instant::now();
        let set = LessonSet::load(Some(dir));
        assert!(started.elapsed().as_secs() < 2, "no read blocks or runs on");
        let files: Vec<&str> = set.lessons.iter().map(|l| l.file.as_str()).collect();
        assert!(files.contains(&"11-good.toml") && files.contains(&"17-link.toml"));
        let problems: Vec<String> = set.problems.iter().map(ToString::to_string).collect();
        for (file, why) in [
            ("12-fifo.toml", "not a regular file"),
            ("13-zero.toml", "not a regular file"),
            ("14-folder.toml", "a folder"),
            ("15-huge.toml", "too large"),
            ("16-binary.toml", "not UTF-8"),
        ] {
            assert!(
                problems.iter().any(|p| p.contains(file) && p.contains(why)),
                "{file}: {problems:?}"
            );
        }
        assert_eq!(problems.len(), 5, "hidden files are skipped: {problems:?}");
        std::fs::write(dir.join("18-new\nline.toml"), "title = {").unwrap();
        let set = LessonSet::load(Some(dir));
        let text: Vec<String> = set.problems.iter().map(ToString::to_string).collect();
        assert!(text.iter().all(|p| p.lines().count() == 1), "{text:?}");
        assert!(
            text.iter().any(|p| p.contains("18-new?line.toml")),
            "{text:?}"
        );
    }

    #[test]
    fn a_folder_without_lesson_files_is_a_problem() {
        let scratch = tempfile::tempdir().unwrap();
        let set = LessonSet::load(Some(scratch.path()));
        assert_eq!(set.lessons.len(), SHIPPED.len());
        assert_eq!(set.problems.len(), 1);
        assert!(
            set.problems[0]
                .to_string()
                .contains("no lesson files (*.toml)")
        );
        std::fs::write(scratch.path().join("notes.txt"), "x").unwrap();
        let set = LessonSet::load(Some(scratch.path()));
        assert_eq!(set.problems.len(), 1);
    }

    #[test]
    fn a_missing_folder_is_a_problem_not_a_crash() {
        let set = LessonSet::load(Some(Path::new("/no/such/parlab/lessons")));
        assert_eq!(set.lessons.len(), SHIPPED.len());
        assert_eq!(set.problems.len(), 1);
        assert!(
            set.problems[0]
                .to_string()
                .contains("cannot read the lesson folder")
        );
    }

    #[test]
    fn worker_counts_follow_the_machine() {
        let m = MachineInfo::synthetic(4, 8);
        for (text, count) in [
            ("cores", 4),
            ("cpus", 8),
            ("2*cpus", 16),
            (" 3 * cores ", 12),
            ("5", 5),
        ] {
            assert_eq!(
                WorkerCount::parse(text).map(|w| w.resolve(&m)),
                Some(count),
                "{text}"
            );
        }
        for text in ["", "0*cpus", "65*cpus", "2*threads", "many", "-1"] {
            assert_eq!(WorkerCount::parse(text), None, "{text}");
        }
        assert_eq!(
            WorkerCount::PerCpu(64).resolve(&MachineInfo::synthetic(64, 128)),
            MAX_WORKERS
        );
    }

    #[test]
    fn sweeps_double_up_to_the_step_worker_count() {
        let settings = |workers| Settings {
            work: Work {
                workload: crate::workload::WorkloadKind::Cpu,
                tasks: 8,
                task_ms: 1.0,
                ..Work::SEED_DEMO
            },
            workers,
            sweep: true,
            repeat: 1,
        };
        let m = MachineInfo::synthetic(2, 2);
        let sweep = |w| {
            let step = settings(w);
            step.sweep_plan(&step.spec(&m)).map(|plan| plan.workers.0)
        };
        assert_eq!(sweep(WorkerCount::PerCpu(1)), Some(vec![1, 2]));
        assert_eq!(sweep(WorkerCount::Fixed(8)), Some(vec![1, 2, 4, 8]));
        assert_eq!(sweep(WorkerCount::Fixed(6)), Some(vec![1, 2, 4, 6]));
        let step = settings(WorkerCount::Fixed(8));
        let plan = step.sweep_plan(&step.spec(&m)).unwrap();
        assert_eq!((plan.work, plan.rounds), (step.spec(&m), step.rounds()));
        let single = Settings {
            sweep: false,
            ..step
        };
        assert_eq!(single.sweep_plan(&single.spec(&m)), None);
    }
}
