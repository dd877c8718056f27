//! Reads one lesson file (TOML) into a checked [`Lesson`]. Every refusal
//! carries the byte offset of the value at fault, which the caller turns
//! into a line number, so a teacher sees exactly which line to fix.

use super::{Lesson, Settings, Step, WorkerCount};
use crate::config::{SpecError, Work, serial_fraction_for};
use crate::pool::{Pool, StartMethod};
use crate::predict::Quantity;
use crate::schedule::{Schedule, ScheduleKind, parse_chunk};
use crate::template::{
    Condition, Needs, SourceError, Template, Variants, parse_spanned, parse_when,
};
use crate::workload::WorkloadKind;
use serde::Deserialize;
use toml::Spanned;

/// A problem at a byte offset of the file.
pub(super) type At = SourceError;

fn at(offset: usize, message: impl Into<String>) -> At {
    SourceError::at(offset, message)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLesson {
    title: String,
    summary: String,
    #[serde(default)]
    step: Vec<Spanned<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    title: String,
    text: Spanned<String>,
    workload: WorkloadKind,
    tasks: Spanned<u64>,
    workers: Spanned<toml::Value>,
    task_ms: Option<Spanned<f64>>,
    serial_fraction: Option<Spanned<f64>>,
    #[serde(default)]
    sweep: bool,
    repeat: Option<Spanned<u64>>,
    schedule: Option<Spanned<ScheduleKind>>,
    chunk: Option<Spanned<u64>>,
    #[serde(default)]
    pool: Pool,
    payload_kb: Option<Spanned<u64>>,
    start_method: Option<Spanned<StartMethod>>,
    question: String,
    predict: Quantity,
    happened: Spanned<String>,
    #[serde(default)]
    case: Vec<Spanned<RawCase>>,
}

/// A variant of a step: when its findings hold, its `text` (before the
/// run: machine findings only) and `happened` replace the step's own.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    when: Vec<Spanned<String>>,
    text: Option<Spanned<String>>,
    happened: Option<Spanned<String>>,
}

/// Parses and checks the lesson in `source`, which came from `file`.
pub(super) fn lesson(file: &str, source: &str) -> Result<Lesson, At> {
    let raw: RawLesson = toml::from_str(source).map_err(|e| At {
        offset: e.span().map(|s| s.start),
        message: e.message().trim().to_string(),
    })?;
    if raw.title.trim().is_empty() {
        return Err(at(0, "the lesson needs a title"));
    }
    if raw.step.is_empty() {
        return Err(at(0, "the lesson has no [[step]]"));
    }
    let steps = raw
        .step
        .into_iter()
        .map(|s| step(source, s))
        .collect::<Result<_, _>>()?;
    Ok(Lesson {
        file: file.to_string(),
        title: raw.title.trim().to_string(),
        summary: raw.summary.trim().to_string(),
        steps,
    })
}

fn step(source: &str, raw: Spanned<RawStep>) -> Result<Step, At> {
    let start = raw.span().start;
    let raw = raw.into_inner();
    for (name, value) in [
        ("title", &raw.title),
        ("text", raw.text.get_ref()),
        ("question", &raw.question),
    ] {
        if value.trim().is_empty() {
            return Err(at(start, format!("the step's {name} is empty")));
        }
    }
    let settings = settings(&raw)?;
    let (text, happened) = variants(source, &raw, &settings)?;
    Ok(Step {
        title: raw.title.trim().to_string(),
        text,
        settings,
        question: raw.question.trim().to_string(),
        predict: raw.predict,
        happened,
    })
}

fn settings(raw: &RawStep) -> Result<Settings, At> {
    let workers = worker_count(&raw.workers)?;
    let fraction = raw.serial_fraction.as_ref();
    let serial_fraction = serial_fraction_for(raw.workload, fraction.map(|f| *f.get_ref()))
        .map_err(|e| at(fraction.map_or(0, |f| f.span().start), e.to_string()))?;
    if raw.sweep && workers == WorkerCount::Fixed(1) {
        return Err(at(
            raw.workers.span().start,
            "a sweep needs more than one worker",
        ));
    }
    let task_ms = raw.task_ms.as_ref();
    let schedule = schedule(raw)?;
    let work = Work {
        workload: raw.workload,
        tasks: usize::try_from(*raw.tasks.get_ref()).unwrap_or(usize::MAX),
        workers: workers.fixed().unwrap_or(1),
        task_ms: task_ms.map_or(raw.workload.default_task_ms(), |t| *t.get_ref()),
        serial_fraction,
        schedule,
        pool: raw.pool,
        payload_kb: raw
            .payload_kb
            .as_ref()
            .map_or(0, |kb| usize::try_from(*kb.get_ref()).unwrap_or(usize::MAX)),
        start_method: raw.start_method.as_ref().map(|m| *m.get_ref()),
    };
    work.validate()
        .and_then(|()| work.check_memory(crate::machine::available_memory()))
        .map_err(|e| {
            let offset = match e {
                SpecError::Workers(_) => raw.workers.span().start,
                SpecError::TaskMs(_) => task_ms.map_or(0, |t| t.span().start),
                SpecError::SerialFraction(_) | SpecError::SerialFractionUnused(_) => {
                    fraction.map_or(0, |f| f.span().start)
                }
                SpecError::Schedule(_) => raw.chunk.as_ref().map_or(0, |c| c.span().start),
                SpecError::StartMethodUnused(_) => {
                    raw.start_method.as_ref().map_or(0, |m| m.span().start)
                }
                SpecError::Tasks(_)
                | SpecError::TooLong(_)
                | SpecError::PlanTooLong(_)
                | SpecError::Pool(_) => raw.tasks.span().start,
                SpecError::PayloadKb(_) | SpecError::Memory { .. } => {
                    raw.payload_kb.as_ref().map_or(0, |kb| kb.span().start)
                }
            };
            at(offset, e.to_string())
        })?;
    Ok(Settings {
        work,
        workers,
        sweep: raw.sweep,
        repeat: repeat(raw)?,
    })
}

/// The step's schedule: steal unless it says otherwise; a chunk only
/// with `dynamic`, as on the command line.
fn schedule(raw: &RawStep) -> Result<Schedule, At> {
    let kind = raw
        .schedule
        .as_ref()
        .map_or(ScheduleKind::Steal, |k| *k.get_ref());
    let chunk = raw.chunk.as_ref();
    let offset = chunk.map_or(0, |c| c.span().start);
    let value = chunk
        .map(|c| usize::try_from(*c.get_ref()).unwrap_or(usize::MAX))
        .map(|n| parse_chunk(&n.to_string()))
        .transpose()
        .map_err(|e| at(offset, e.to_string()))?;
    Schedule::from_args(kind, value).map_err(|e| at(offset, e.to_string()))
}

/// Timed runs per side: 1 to 20 (a lesson step should stay short).
fn repeat(raw: &RawStep) -> Result<usize, At> {
    let Some(value) = raw.repeat.as_ref() else {
        return Ok(1);
    };
    match usize::try_from(*value.get_ref()) {
        Ok(n) if (1..=MAX_REPEAT).contains(&n) => Ok(n),
        _ => Err(at(
            value.span().start,
            format!("repeat must be from 1 to {MAX_REPEAT}"),
        )),
    }
}

/// Most timed runs a lesson step may ask for.
const MAX_REPEAT: usize = 20;

fn worker_count(value: &Spanned<toml::Value>) -> Result<WorkerCount, At> {
    let count = match value.get_ref() {
        toml::Value::Integer(n) => usize::try_from(*n).ok().map(WorkerCount::Fixed),
        toml::Value::String(text) => WorkerCount::parse(text),
        _ => None,
    };
    count.ok_or_else(|| {
        at(
            value.span().start,
            "workers must be a whole number, \"cores\", \"cpus\", or a multiple such as \"2*cpus\" (1 to 64 times)",
        )
    })
}

/// The step's `text` and `happened` with their `[[step.case]]` variants
/// in front: the first case whose `when` holds wins, the step's own texts
/// come last. A case's `text` is shown before the run, so its `when` may
/// name only findings the machine shows before anything runs.
fn variants(source: &str, raw: &RawStep, settings: &Settings) -> Result<(Variants, Variants), At> {
    let mut text = Vec::new();
    let mut happened = Vec::new();
    for case in &raw.case {
        let start = case.span().start;
        let case = case.get_ref();
        let when = parse_when(&case.when)?;
        if case.when.is_empty() {
            return Err(at(start, "a [[step.case]] needs a `when` list"));
        }
        if case.text.is_none() && case.happened.is_none() {
            return Err(at(start, "a [[step.case]] needs a text or a happened"));
        }
        if let Some(t) = &case.text {
            if !when.is_machine_only() {
                return Err(at(
                    case.when[0].span().start,
                    "a case with a text (shown before the run) may test only machine findings: no_smt, smt, one_cpu, cpus_restricted, busy",
                ));
            }
            text.push((when.clone(), before(source, t)?));
        }
        if let Some(h) = &case.happened {
            happened.push((when, checked(source, h, settings)?));
        }
    }
    text.push((Condition::default(), before(source, &raw.text)?));
    happened.push((
        Condition::default(),
        checked(source, &raw.happened, settings)?,
    ));
    Ok((Variants { cases: text }, Variants { cases: happened }))
}

/// A text shown before the run: only the settings' placeholders.
fn before(source: &str, text: &Spanned<String>) -> Result<Template, At> {
    let template = parse_spanned(source, text)?;
    if let Some(field) = template.placeholders().find(|f| f.needs() != Needs::Spec) {
        let name = format!("{{{}}}", field.name());
        let raw = source.get(text.span()).unwrap_or("");
        let offset = text.span().start + raw.find(&name).unwrap_or(0);
        return Err(at(
            offset,
            format!(
                "{name} is measured: a text before the run may use only the settings (workload, workers, tasks, task, cores, cpus, usable)"
            ),
        ));
    }
    Ok(template)
}

/// A `happened` text whose placeholders the step's runs can fill.
fn checked(source: &str, text: &Spanned<String>, settings: &Settings) -> Result<Template, At> {
    let template = parse_spanned(source, text).map_err(|e| match e.message.as_str() {
        "the text is empty" => SourceError {
            message: "the step's happened text is empty".to_string(),
            ..e
        },
        _ => e,
    })?;
    let raw_text = source.get(text.span()).unwrap_or("");
    for field in template.placeholders() {
        let refused = match field.needs() {
            Needs::Spec | Needs::Run => None,
            Needs::SerialPart if !settings.work.workload.has_serial_part() => {
                Some("only a serial-fraction step")
            }
            Needs::Sweep if !settings.sweep => Some("only a sweep step (sweep = true)"),
            _ => None,
        };
        if let Some(which) = refused {
            let name = format!("{{{}}}", field.name());
            let offset = text.span().start + raw_text.find(&name).unwrap_or(0);
            return Err(at(offset, format!("{name} is known in {which}")));
        }
    }
    Ok(template)
}
