//! A lesson run without a terminal: every step measured as the live lab
//! would measure it (a sweep step on the engine of `parlab sweep`), its
//! findings judged and its texts chosen by them. `parlab lesson` prints
//! the result; a teacher previews a class on the classroom machine, and
//! the tests use it to hold the lessons to their findings.

use super::{Lesson, Step, before_facts, happened_facts, sweep_facts};
use crate::accounting::TimeAccounting;
use crate::config::Work;
use crate::experiment;
use crate::finding::Finding;
use crate::machine::MachineInfo;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

/// A lesson as previewed: `{id, title, machine, steps}` in JSON.
#[derive(Clone, Debug, Serialize)]
pub struct LessonPreview {
    /// The lesson's number in `parlab lessons` (1-based).
    pub id: usize,
    /// Its file name.
    pub file: String,
    /// Its title.
    pub title: String,
    /// The machine it ran on.
    pub machine: MachineInfo,
    /// Every step, measured.
    pub steps: Vec<StepPreview>,
}

/// The settings a step ran with, resolved on this machine.
#[derive(Clone, Debug, Serialize)]
pub struct StepSettings {
    /// The work it ran (the most workers, for a sweep).
    #[serde(flatten)]
    pub work: Work,
    /// Timed runs per side; the figures are medians.
    pub repeat: usize,
    /// The worker counts of a sweep step; absent for a single run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep_workers: Option<Vec<usize>>,
}

/// One step as the lab would show it, after its run.
#[derive(Clone, Debug, Serialize)]
pub struct StepPreview {
    /// Its heading.
    pub title: String,
    /// What it ran.
    pub settings: StepSettings,
    /// Median serial wall time, in seconds.
    pub serial_s: f64,
    /// Median parallel wall time, in seconds (for a sweep, its best row
    /// with more than one worker).
    pub parallel_s: f64,
    /// Serial over parallel (the best row of a sweep).
    pub speedup: f64,
    /// Where the parallel run's time went: for a sweep, its widest row's,
    /// whose cause the findings name and the texts quote.
    pub time_accounting: TimeAccounting,
    /// The model's parallel time (of that row, for a sweep), in seconds.
    pub ideal_s: f64,
    /// Serial time over the model's parallel time.
    pub ideal_speedup: f64,
    /// Median CPU time of the serial run, in seconds.
    pub serial_cpu_s: f64,
    /// Median CPU time of the parallel run (that row's), in seconds.
    pub parallel_cpu_s: f64,
    /// Time to start the worker pool, outside both clocks, in seconds
    /// (a single run; a sweep starts one per row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool_build_s: Option<f64>,
    /// What handing a task over and its result back cost apart from its
    /// work, per task, in seconds, where the pool measures it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_per_task_s: Option<f64>,
    /// How long the step's measurement took on this machine, every run
    /// and pool start-up included, in seconds: what a class waits for.
    pub run_s: f64,
    /// What the measurement shows.
    pub findings: Vec<Finding>,
    /// The text before the run, as chosen for this machine.
    pub text: String,
    /// The question asked before the run.
    pub question: String,
    /// The paragraph after the run, as chosen by the findings.
    pub happened: String,
    /// Every figure the step's two texts quote, by placeholder name, as
    /// the texts print it: what a script checks a sentence against.
    pub quoted: BTreeMap<&'static str, String>,
    /// Things the reader should know: noisy repeats, a busy machine.
    pub warnings: Vec<String>,
}

/// How the preview reports progress and checks the machine; the command
/// line passes the busy check and a progress line, tests pass nothing.
pub struct PreviewHooks<'a> {
    /// Samples the machine before each step: the warning when it is busy.
    pub busy_check: &'a dyn Fn() -> Option<crate::busy::Busy>,
    /// Told the step number and title before it runs.
    pub on_step: &'a mut dyn FnMut(usize, &str),
}

/// Runs every step of `lesson` (number `id`) on `machine`. `None` when
/// `cancel` was set.
pub fn preview(
    id: usize,
    lesson: &Lesson,
    machine: &MachineInfo,
    cancel: &AtomicBool,
    hooks: PreviewHooks<'_>,
) -> anyhow::Result<Option<LessonPreview>> {
    let mut steps = Vec::with_capacity(lesson.steps.len());
    for (n, step) in lesson.steps.iter().enumerate() {
        (hooks.on_step)(n + 1, &step.title);
        let busy = (hooks.busy_check)();
        let Some(done) = preview_step(step, machine, busy, cancel)? else {
            return Ok(None);
        };
        steps.push(done);
    }
    Ok(Some(LessonPreview {
        id,
        file: lesson.file.clone(),
        title: lesson.title.clone(),
        machine: machine.clone(),
        steps,
    }))
}

/// Runs one step as the lab would, timing the whole measurement; `None`
/// when `cancel` was set.
pub fn preview_step(
    step: &Step,
    machine: &MachineInfo,
    busy: Option<crate::busy::Busy>,
    cancel: &AtomicBool,
) -> anyhow::Result<Option<StepPreview>> {
    let began = std::time::Instant::now();
    let settings = &step.settings;
    let spec = settings.spec(machine);
    spec.validate()?;
    let before = before_facts(&spec, machine, busy.is_some());
    let text = step.text.render(&before);
    let sweep_plan = settings.sweep_plan(&spec);
    let resolved = StepSettings {
        work: spec,
        repeat: settings.repeat,
        sweep_workers: sweep_plan.as_ref().map(|plan| plan.workers.0.clone()),
    };
    let (facts, found, figures, warnings) = match sweep_plan {
        Some(plan) => {
            let Some(sweep) = experiment::sweep(&plan, machine, busy, cancel, &mut |_| {})? else {
                return Ok(None);
            };
            // The best row with more than one worker, as the findings and
            // the text judge it.
            let best = sweep
                .rows
                .iter()
                .filter(|r| r.workers > 1)
                .max_by(|a, b| a.speedup.total_cmp(&b.speedup))
                .or(sweep.rows.first());
            let figures = Figures {
                serial_s: sweep.serial.median.as_secs_f64(),
                parallel_s: best.map_or(0.0, |r| r.parallel.median.as_secs_f64()),
                speedup: best.map_or(0.0, |r| r.speedup),
                ideal_s: best.map_or(0.0, |r| r.ideal.time.as_secs_f64()),
                ideal_speedup: best.map_or(0.0, |r| r.ideal_speedup),
                serial_cpu_s: sweep.serial_cpu.as_secs_f64(),
                parallel_cpu_s: best.map_or(0.0, |r| r.cpu.as_secs_f64()),
                pool_build_s: None,
                transfer_per_task_s: None,
                time_accounting: sweep
                    .rows
                    .iter()
                    .filter(|r| r.workers > 1)
                    .max_by_key(|r| r.workers)
                    .map(|r| r.time_accounting)
                    .unwrap_or_default(),
            };
            (sweep_facts(&sweep), sweep.findings, figures, sweep.warnings)
        }
        None => {
            let Some(run) =
                experiment::run(&spec, settings.rounds(), machine, busy, cancel, &mut |_| {})?
            else {
                return Ok(None);
            };
            let figures = Figures {
                serial_s: run.serial_time.as_secs_f64(),
                parallel_s: run.parallel_time.as_secs_f64(),
                speedup: run.speedup,
                ideal_s: run.ideal_time.as_secs_f64(),
                ideal_speedup: run.ideal_speedup,
                serial_cpu_s: run.serial.cpu.as_secs_f64(),
                parallel_cpu_s: run.parallel.cpu.as_secs_f64(),
                pool_build_s: Some(run.pool_build.as_secs_f64()),
                transfer_per_task_s: run.transfer_per_task.map(|t| t.as_secs_f64()),
                time_accounting: run.time_accounting,
            };
            (happened_facts(&run), run.findings, figures, run.warnings)
        }
    };
    let mut quoted = BTreeMap::new();
    for (texts, facts) in [(&step.text, &before), (&step.happened, &facts)] {
        quoted.extend(
            texts
                .choose(facts)
                .into_iter()
                .flat_map(|t| t.quoted(facts)),
        );
    }
    Ok(Some(StepPreview {
        title: step.title.clone(),
        settings: resolved,
        serial_s: figures.serial_s,
        parallel_s: figures.parallel_s,
        speedup: figures.speedup,
        ideal_s: figures.ideal_s,
        ideal_speedup: figures.ideal_speedup,
        serial_cpu_s: figures.serial_cpu_s,
        parallel_cpu_s: figures.parallel_cpu_s,
        pool_build_s: figures.pool_build_s,
        transfer_per_task_s: figures.transfer_per_task_s,
        run_s: began.elapsed().as_secs_f64(),
        time_accounting: figures.time_accounting,
        findings: found,
        text,
        question: step.question.clone(),
        happened: step.happened.render(&facts),
        quoted,
        warnings,
    }))
}

/// The figures a step's JSON carries, from a run or a sweep's best row.
struct Figures {
    serial_s: f64,
    parallel_s: f64,
    speedup: f64,
    ideal_s: f64,
    ideal_speedup: f64,
    serial_cpu_s: f64,
    parallel_cpu_s: f64,
    pool_build_s: Option<f64>,
    transfer_per_task_s: Option<f64>,
    time_accounting: TimeAccounting,
}

/// The lesson `id` names in `set`: its number as `parlab lessons` lists
/// it, its file name, or its file name without `.toml`.
pub fn find<'a>(set: &'a super::LessonSet, id: &str) -> Option<(usize, &'a Lesson)> {
    let id = id.trim();
    if let Ok(n) = id.parse::<usize>() {
        return set.lessons.get(n.checked_sub(1)?).map(|l| (n, l));
    }
    set.lessons
        .iter()
        .enumerate()
        .find(|(_, l)| l.file == id || l.file.strip_suffix(".toml") == Some(id))
        .map(|(i, l)| (i + 1, l))
}
