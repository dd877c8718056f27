//! A previewed lesson as Markdown (for a teacher to read before class) or
//! JSON (`{id, title, machine, steps: [...]}`, for scripts and tests).

use super::schema::{ExportKind, stamped_json};
use crate::findings::FindingId;
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
    step_body(out, &format!("Step {n}: {}", s.title), s);
}

fn step_body(out: &mut String, heading: &str, s: &StepPreview) {
    let _ = writeln!(out, "\n## {heading}\n");
    let _ = writeln!(out, "{}\n", s.text);
    let _ = writeln!(out, "*Settings:* {}\n", settings_line(s));
    let _ = writeln!(out, "*Question:* {}\n", s.question);
    let secs = |v: f64| crate::units::format_duration(Duration::from_secs_f64(v.max(0.0)));
    // In words as the findings judged it: within the noise is no gain.
    let same = s.findings.iter().any(|f| f.id == FindingId::WallSame);
    let words = if same {
        "about as fast as serial".to_string()
    } else {
        speed_words(s.speedup)
    };
    let _ = writeln!(
        out,
        "*Measured:* serial {}, parallel {}, speedup {} ({words})\n",
        secs(s.serial_s),
        secs(s.parallel_s),
        format_ratio(s.speedup),
    );
    if let Some(accounting) = &s.time_accounting {
        let _ = writeln!(
            out,
            "*Where the time went:* {}\n",
            super::run::time_went(accounting)
        );
    }
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
    let fraction = if work.workload.has_serial_part() {
        format!(" {}", format_percent(work.serial_fraction))
    } else {
        String::new()
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

/// A class path run on this machine: a teacher's handout. Every step's run
/// time is measured; the discussion times are the path's suggestions.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Handout {
    /// What `--path` took, e.g. `50`.
    pub path: String,
    /// The path's title.
    pub title: String,
    /// The class's length in minutes.
    pub minutes: u32,
    /// The machine the steps ran on.
    pub machine: crate::machine::MachineInfo,
    /// The steps, in teaching order.
    pub steps: Vec<HandoutStep>,
    /// Every step's measured run time, added up, in seconds.
    pub run_s: f64,
    /// Every step's suggested discussion, added up, in seconds.
    pub discuss_s: f64,
    /// Whether the runs and the discussion fit the class.
    pub fits: bool,
}

/// One step of a handout.
#[derive(Clone, Debug, serde::Serialize)]
pub struct HandoutStep {
    /// The lesson's number in `parlab lessons`.
    pub lesson: usize,
    /// The lesson's title.
    pub lesson_title: String,
    /// The step's number in its lesson (1-based).
    pub step: usize,
    /// Suggested time to discuss it, in seconds.
    pub discuss_s: f64,
    /// The step as run and explained here.
    #[serde(flatten)]
    pub preview: StepPreview,
}

impl Handout {
    /// The handout of `path`, from its steps as run.
    pub fn new(
        path: &crate::lesson::path::ClassPath,
        machine: &crate::machine::MachineInfo,
        steps: Vec<HandoutStep>,
    ) -> Self {
        let run_s: f64 = steps.iter().map(|s| s.preview.run_s).sum();
        let discuss_s = path.discussion().as_secs_f64();
        Self {
            path: path.name.clone(),
            title: path.title.clone(),
            minutes: path.minutes,
            machine: machine.clone(),
            fits: run_s + discuss_s <= path.length().as_secs_f64(),
            steps,
            run_s,
            discuss_s,
        }
    }

    /// The handout as Markdown: a timetable, then every step.
    pub fn markdown(&self) -> String {
        let span = |s: f64| crate::units::format_duration(Duration::from_secs_f64(s.max(0.0)));
        let clock = |s: f64| {
            let s = s.max(0.0).round() as u64;
            format!("{}:{:02}", s / 60, s % 60)
        };
        let mut out = format!(
            "# {} (parlab lesson --path {})\n\non {}. Each step's run time was measured on this machine just now; \
             the discussion times are suggestions.\n\n| # | lesson › step | run (measured) | discuss | ends at |\n|---|---|---|---|---|\n",
            self.title,
            self.path,
            self.machine.summary()
        );
        let mut at = 0.0;
        for (n, step) in self.steps.iter().enumerate() {
            at += step.preview.run_s + step.discuss_s;
            let _ = writeln!(
                out,
                "| {} | {}. {} › {} | {} | {} | {} |",
                n + 1,
                step.lesson,
                step.lesson_title,
                step.preview.title,
                span(step.preview.run_s),
                clock(step.discuss_s),
                clock(at)
            );
        }
        let total = self.run_s + self.discuss_s;
        let length = f64::from(self.minutes) * 60.0;
        let verdict = if self.fits {
            format!(
                "fits the {} minutes ({} to spare)",
                self.minutes,
                clock(length - total)
            )
        } else {
            format!(
                "does not fit the {} minutes ({} over)",
                self.minutes,
                clock(total - length)
            )
        };
        let _ = writeln!(
            out,
            "\nRuns {} (measured) + discussion {} = {}: {verdict}.",
            span(self.run_s),
            clock(self.discuss_s),
            clock(total)
        );
        for (n, step) in self.steps.iter().enumerate() {
            let heading = format!(
                "{}. Lesson {} › {} (run {}, discuss {})",
                n + 1,
                step.lesson,
                step.preview.title,
                span(step.preview.run_s),
                clock(step.discuss_s)
            );
            step_body(&mut out, &heading, &step.preview);
        }
        out
    }
}

impl super::Export for Handout {
    fn table(&self, _color: bool) -> String {
        self.markdown()
    }
    fn json(&self) -> anyhow::Result<String> {
        Ok(stamped_json(ExportKind::Lesson, self)?)
    }
    fn csv(&self) -> anyhow::Result<String> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record([
            "n",
            "lesson",
            "step",
            "title",
            "run_s",
            "discuss_s",
            "speedup",
        ])?;
        for (n, step) in self.steps.iter().enumerate() {
            writer.write_record([
                (n + 1).to_string(),
                step.lesson.to_string(),
                step.step.to_string(),
                step.preview.title.clone(),
                format!("{:.3}", step.preview.run_s),
                format!("{:.0}", step.discuss_s),
                format!("{:.4}", step.preview.speedup),
            ])?;
        }
        Ok(String::from_utf8(writer.into_inner()?)?)
    }
    fn markdown(&self) -> String {
        Handout::markdown(self)
    }
}

#[cfg(test)]
mod tests {
    //! The class path's handout: its timetable and whether it fits.

    use super::*;
    use crate::lesson::LessonSet;
    use crate::lesson::path::class_paths;
    use crate::lesson::preview::StepSettings;

    fn step(title: &str, run_s: f64) -> StepPreview {
        StepPreview {
            title: title.into(),
            settings: StepSettings {
                work: crate::config::Work::SEED_DEMO,
                repeat: 1,
                sweep_workers: None,
            },
            serial_s: 2.4,
            parallel_s: 0.301,
            speedup: 7.97,
            ideal_s: 0.3,
            ideal_speedup: 8.0,
            serial_cpu_s: 0.003,
            parallel_cpu_s: 0.004,
            pool_build_s: Some(0.0002),
            transfer_per_task_s: None,
            run_s,
            time_accounting: None,
            findings: Vec::new(),
            text: "Text.".into(),
            question: "How long?".into(),
            happened: "It took 301 ms.".into(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_handout_times_every_step_and_says_whether_the_class_fits() {
        let (paths, _) = class_paths(&LessonSet::shipped());
        let fifty = &paths[0];
        let steps: Vec<HandoutStep> = fifty
            .steps
            .iter()
            .map(|s| HandoutStep {
                lesson: s.lesson + 1,
                lesson_title: "L".into(),
                step: s.step + 1,
                discuss_s: s.discuss.as_secs_f64(),
                preview: step("Eight workers", 3.0),
            })
            .collect();
        let machine = crate::machine::MachineInfo::synthetic(2, 2);
        let handout = Handout::new(fifty, &machine, steps.clone());
        assert!(handout.fits);
        let text = handout.markdown();
        assert!(
            text.starts_with("# A 50-minute class (parlab lesson --path 50)"),
            "{text}"
        );
        assert!(
            text.contains("| 1 | 1. L › Eight workers | 3.00 s | 3:00 | 3:03 |"),
            "{text}"
        );
        assert!(text.contains("Runs 51.0 s (measured) + discussion 45:00 = 45:51: fits the 50 minutes (4:09 to spare)."), "{text}");
        assert!(
            text.contains("## 1. Lesson 1 › Eight workers (run 3.00 s, discuss 3:00)"),
            "{text}"
        );
        let slow: Vec<HandoutStep> = steps
            .into_iter()
            .map(|mut s| {
                s.preview.run_s = 30.0;
                s
            })
            .collect();
        let over = Handout::new(fifty, &machine, slow);
        assert!(!over.fits);
        assert!(
            over.markdown()
                .contains("does not fit the 50 minutes (3:30 over)")
        );
        let json: serde_json::Value =
            serde_json::from_str(&crate::output::Export::json(&over).unwrap()).unwrap();
        assert_eq!(json["path"], "50");
        assert_eq!(json["steps"][0]["ideal_s"], 0.3);
        assert_eq!(json["steps"][0]["run_s"], 30.0);
    }

    #[test]
    fn the_measured_line_says_what_the_wall_finding_says() {
        let with = |id: FindingId| {
            let mut preview = step("A step", 1.0);
            preview.speedup = 1.43;
            preview.findings = vec![crate::findings::Finding {
                id,
                text: String::new(),
                evidence: crate::findings::Evidence::default(),
            }];
            let mut out = String::new();
            step_body(&mut out, "A step", &preview);
            out
        };
        let same = with(FindingId::WallSame);
        assert!(
            same.contains("speedup 1.43× (about as fast as serial)"),
            "{same}"
        );
        assert!(!same.contains("faster"), "{same}");
        assert!(with(FindingId::WallFell).contains("speedup 1.43× (1.43× faster)"));
    }
}
