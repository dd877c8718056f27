//! A previewed lesson as Markdown (for a teacher to read before class) or
//! JSON (`{id, title, machine, steps: [...]}`, for scripts and tests).

use super::schema::{ExportKind, stamped_json};
use crate::lesson::preview::{LessonPreview, StepPreview};
use crate::units::{counted, counted_list, format_ms, format_percent, format_ratio, speed_words};
use std::fmt::Write;
use std::time::Duration;

/// One or more lessons as Markdown, one section each.
pub fn lessons_markdown(lessons: &[LessonPreview]) -> String {
    lessons
        .iter()
        .map(lesson_markdown)
        .collect::<Vec<_>>()
        .join("\n")
}

fn lesson_markdown(l: &LessonPreview) -> String {
    let mut out = format!(
        "# Lesson {}: {}\n\non {} ({})\n",
        l.id,
        l.title,
        l.machine.summary(),
        l.file
    );
    for (n, step) in l.steps.iter().enumerate() {
        step_markdown(&mut out, n + 1, step);
    }
    out
}

fn step_markdown(out: &mut String, n: usize, s: &StepPreview) {
    let _ = writeln!(out, "\n## Step {n}: {}\n", s.title);
    let _ = writeln!(out, "{}\n", s.text);
    let _ = writeln!(out, "*Settings:* {}\n", settings_line(s));
    let _ = writeln!(out, "*Question:* {}\n", s.question);
    let secs = |v: f64| crate::units::format_duration(Duration::from_secs_f64(v.max(0.0)));
    let _ = writeln!(
        out,
        "*Measured:* serial {}, parallel {}, speedup {} ({})\n",
        secs(s.serial_s),
        secs(s.parallel_s),
        format_ratio(s.speedup),
        speed_words(s.speedup)
    );
    let _ = writeln!(out, "*What happened:* {}\n", s.happened);
    let _ = writeln!(out, "Findings:\n");
    for finding in &s.findings {
        let _ = writeln!(out, "- `{}`: {}", finding.id.id(), finding.text);
    }
    for warning in &s.warnings {
        let _ = writeln!(out, "- warning: {warning}");
    }
}

fn settings_line(s: &StepPreview) -> String {
    let (set, work) = (&s.settings, &s.settings.work);
    let fraction = match work.workload {
        crate::workload::WorkloadKind::SerialFraction => {
            format!(" {}", format_percent(work.serial_fraction))
        }
        _ => String::new(),
    };
    let workers = match &set.sweep_workers {
        Some(counts) => format!("sweep over {}", counted_list(counts, "worker")),
        None => counted(work.workers, "worker"),
    };
    format!(
        "{}{fraction} · {} × {} · {workers} · {} · {}",
        work.workload.name(),
        counted(work.tasks, "task"),
        format_ms(work.task_ms),
        work.schedule.name(),
        counted(set.repeat, "timed run")
    )
}

/// One lesson as a JSON object, or several as an array.
pub fn lessons_json(lessons: &[LessonPreview]) -> anyhow::Result<String> {
    match lessons {
        [one] => Ok(stamped_json(ExportKind::Lesson, one)?),
        many => {
            let stamped: Vec<serde_json::Value> = many
                .iter()
                .map(|l| {
                    let text = stamped_json(ExportKind::Lesson, l)?;
                    serde_json::from_str(&text)
                })
                .collect::<serde_json::Result<_>>()?;
            Ok(serde_json::to_string_pretty(&stamped)? + "\n")
        }
    }
}

/// Previewed lessons with an exporter per format; a lesson reads as
/// Markdown, so its table is the Markdown too.
pub struct Lessons<'a>(pub &'a [LessonPreview]);

impl super::Export for Lessons<'_> {
    fn table(&self, _color: bool) -> String {
        lessons_markdown(self.0)
    }
    fn json(&self) -> anyhow::Result<String> {
        lessons_json(self.0)
    }
    fn csv(&self) -> anyhow::Result<String> {
        lessons_csv(self.0)
    }
    fn markdown(&self) -> String {
        lessons_markdown(self.0)
    }
}

/// A header row and one row per step of every lesson: its settings, the
/// measured times and the ids of its findings.
pub fn lessons_csv(lessons: &[LessonPreview]) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "lesson",
        "step",
        "title",
        "workload",
        "tasks",
        "task_ms",
        "workers",
        "pool",
        "schedule",
        "repeat",
        "serial_s",
        "parallel_s",
        "speedup",
        "findings",
    ])?;
    for lesson in lessons {
        for (n, step) in lesson.steps.iter().enumerate() {
            let set = &step.settings;
            let workers = match &set.sweep_workers {
                Some(counts) => counts
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
                None => set.work.workers.to_string(),
            };
            let findings: Vec<&str> = step.findings.iter().map(|f| f.id.id()).collect();
            writer.write_record([
                lesson.id.to_string(),
                (n + 1).to_string(),
                step.title.clone(),
                set.work.workload.name().to_string(),
                set.work.tasks.to_string(),
                set.work.task_ms.to_string(),
                workers,
                set.work.pool.name().to_string(),
                set.work.schedule.name().to_string(),
                set.repeat.to_string(),
                step.serial_s.to_string(),
                step.parallel_s.to_string(),
                format!("{:.4}", step.speedup),
                findings.join(" "),
            ])?;
        }
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}
