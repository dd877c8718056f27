//! Reads one lesson file (TOML) into a checked [`Lesson`]. Every refusal
//! carries the byte offset of the value at fault, which the caller turns
//! into a line number, so a teacher sees exactly which line to fix.

use super::template::{Needs, Template};
use super::{Lesson, Settings, Step, WorkerCount};
use crate::config::{RunSpec, SpecError, serial_fraction_for};
use crate::pool::Pool;
use crate::predict::Quantity;
use crate::workload::WorkloadKind;
use serde::Deserialize;
use toml::Spanned;

/// A problem at a byte offset of the file.
pub(super) struct At {
    pub offset: Option<usize>,
    pub message: String,
}

fn at(offset: usize, message: impl Into<String>) -> At {
    At {
        offset: Some(offset),
        message: message.into(),
    }
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
    text: String,
    workload: WorkloadKind,
    tasks: Spanned<u64>,
    workers: Spanned<toml::Value>,
    task_ms: Option<Spanned<f64>>,
    serial_fraction: Option<Spanned<f64>>,
    #[serde(default)]
    sweep: bool,
    #[serde(default)]
    pool: Pool,
    payload_kb: Option<Spanned<u64>>,
    question: String,
    predict: Quantity,
    happened: Spanned<String>,
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
        ("text", &raw.text),
        ("question", &raw.question),
    ] {
        if value.trim().is_empty() {
            return Err(at(start, format!("the step's {name} is empty")));
        }
    }
    let settings = settings(&raw)?;
    let happened = happened(source, &raw.happened, &settings)?;
    Ok(Step {
        title: raw.title.trim().to_string(),
        text: raw.text.trim().to_string(),
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
    let settings = Settings {
        workload: raw.workload,
        tasks: usize::try_from(*raw.tasks.get_ref()).unwrap_or(usize::MAX),
        workers,
        task_ms: task_ms.map_or(raw.workload.default_task_ms(), |t| *t.get_ref()),
        serial_fraction,
        sweep: raw.sweep,
        pool: raw.pool,
        payload_kb: raw
            .payload_kb
            .as_ref()
            .map_or(0, |kb| usize::try_from(*kb.get_ref()).unwrap_or(usize::MAX)),
    };
    let spec = RunSpec {
        workers: workers.fixed().unwrap_or(1),
        ..settings.spec_on(1)
    };
    spec.validate().map_err(|e| {
        let offset = match e {
            SpecError::Workers(_) => raw.workers.span().start,
            SpecError::TaskMs(_) => task_ms.map_or(0, |t| t.span().start),
            SpecError::SerialFraction(_) | SpecError::SerialFractionUnused(_) => {
                fraction.map_or(0, |f| f.span().start)
            }
            SpecError::Tasks(_) | SpecError::TooLong(_) | SpecError::Pool(_) => {
                raw.tasks.span().start
            }
            SpecError::PayloadKb(_) => raw.payload_kb.as_ref().map_or(0, |kb| kb.span().start),
        };
        at(offset, e.to_string())
    })?;
    Ok(settings)
}

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

fn happened(source: &str, text: &Spanned<String>, settings: &Settings) -> Result<Template, At> {
    let span = text.span();
    let raw_text = source.get(span.clone()).unwrap_or("");
    let locate = |snippet: &str| span.start + raw_text.find(snippet).unwrap_or(0);
    if text.get_ref().trim().is_empty() {
        return Err(at(span.start, "the step's happened text is empty"));
    }
    let template = Template::parse(text.get_ref().trim()).map_err(|e| {
        let snippet: String = text.get_ref().trim()[e.offset..].chars().take(12).collect();
        let snippet = snippet.split('\n').next().unwrap_or_default();
        at(locate(snippet), e.message)
    })?;
    for field in template.placeholders() {
        let refused = match field.needs {
            Needs::Run => None,
            Needs::SerialPart if settings.workload != WorkloadKind::SerialFraction => {
                Some("only a serial-fraction step")
            }
            Needs::Sweep if !settings.sweep => Some("only a sweep step (sweep = true)"),
            _ => None,
        };
        if let Some(which) = refused {
            let name = format!("{{{}}}", field.name);
            return Err(at(locate(&name), format!("{name} is known in {which}")));
        }
    }
    Ok(template)
}
