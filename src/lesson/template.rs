//! The "what happened" paragraph of a lesson step: text with placeholders
//! such as `{speedup}` that are filled from the run the learner just made.
//!
//! Placeholders are checked when the lesson is loaded, so a typo is reported
//! with its file and line before class instead of showing up on screen.
//! Every value comes from a measured [`RunResult`] (or from sweep points),
//! formatted the way the rest of parlab formats it.

use crate::measure::RunResult;
use crate::output::units::{format_duration, format_ms, format_percent, format_ratio};
use crate::stats::{amdahl_speedup, fit_amdahl};

/// Which runs can fill a placeholder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Any run.
    Run,
    /// A run of the `serial-fraction` workload.
    SerialPart,
    /// A sweep step (several worker counts).
    Sweep,
}

/// One placeholder a template may use: its name between braces, what it
/// stands for (shown in the file-format documentation) and what it needs.
#[derive(Debug, PartialEq, Eq)]
pub struct Placeholder {
    /// The name written between braces, e.g. `speedup` for `{speedup}`.
    pub name: &'static str,
    /// What the value is, in one line.
    pub meaning: &'static str,
    /// The kind of step whose runs provide it.
    pub needs: Needs,
}

const fn ph(name: &'static str, meaning: &'static str, needs: Needs) -> Placeholder {
    Placeholder {
        name,
        meaning,
        needs,
    }
}

/// Every placeholder a "what happened" template may use.
pub const PLACEHOLDERS: &[Placeholder] = &[
    ph("serial", "measured serial time (median)", Needs::Run),
    ph("parallel", "measured parallel time (median)", Needs::Run),
    ph("ideal", "the model's parallel time", Needs::Run),
    ph(
        "model",
        "what bounds the ideal: waves, cores, longest task, amdahl",
        Needs::Run,
    ),
    ph(
        "lanes",
        "tasks that can progress at once in the model",
        Needs::Run,
    ),
    ph(
        "speedup",
        "serial time over parallel time, e.g. 7.98×",
        Needs::Run,
    ),
    ph("ideal_speedup", "serial time over the ideal", Needs::Run),
    ph("efficiency", "speedup per worker, e.g. 99.8 %", Needs::Run),
    ph("overhead", "parallel time beyond the ideal", Needs::Run),
    ph(
        "overhead_per_task",
        "that excess per task and lane",
        Needs::Run,
    ),
    ph("workers", "worker threads of the parallel run", Needs::Run),
    ph("tasks", "number of tasks", Needs::Run),
    ph(
        "task",
        "nominal duration of one task, e.g. 100 ms",
        Needs::Run,
    ),
    ph("cores", "physical cores of this machine", Needs::Run),
    ph("cpus", "logical CPUs of this machine", Needs::Run),
    ph("usable", "CPUs this process may use", Needs::Run),
    ph("serial_cpu", "CPU time of the serial run", Needs::Run),
    ph("parallel_cpu", "CPU time of the parallel run", Needs::Run),
    ph("pool_build", "time to start the worker pool", Needs::Run),
    ph(
        "serial_part",
        "measured time of the serial part",
        Needs::SerialPart,
    ),
    ph(
        "fraction",
        "the serial fraction, e.g. 25.0 %",
        Needs::SerialPart,
    ),
    ph(
        "amdahl",
        "Amdahl's speedup for the fraction on the model's lanes",
        Needs::SerialPart,
    ),
    ph(
        "best_speedup",
        "highest measured speedup of the sweep",
        Needs::Sweep,
    ),
    ph("best_workers", "worker count that reached it", Needs::Sweep),
    ph(
        "fitted_fraction",
        "serial fraction of the Amdahl curve fitted to the sweep",
        Needs::Sweep,
    ),
];

/// Looks a placeholder up by name.
pub fn placeholder(name: &str) -> Option<&'static Placeholder> {
    PLACEHOLDERS.iter().find(|p| p.name == name)
}

/// A checked template: literal text and placeholders, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Text(String),
    Field(&'static Placeholder),
}

/// Why a template was refused, and where in its text.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateError {
    /// Byte offset in the template text where the problem starts.
    pub offset: usize,
    /// What is wrong, in one line.
    pub message: String,
}

impl Template {
    /// Parses `text`: `{name}` is a placeholder, `{{` and `}}` are literal
    /// braces; an unknown name or a lone brace is an error.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text.char_indices().peekable();
        while let Some((at, c)) = rest.next() {
            match c {
                '{' if rest.next_if(|(_, c)| *c == '{').is_some() => literal.push('{'),
                '}' if rest.next_if(|(_, c)| *c == '}').is_some() => literal.push('}'),
                '{' => {
                    let end = text[at..].find('}').map(|e| at + e);
                    let field = end.and_then(|end| placeholder(&text[at + 1..end]));
                    let (Some(end), Some(field)) = (end, field) else {
                        return Err(unknown_field(text, at, end));
                    };
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                    parts.push(Part::Field(field));
                    while rest.next_if(|(i, _)| *i <= end).is_some() {}
                }
                '}' => return Err(error(at, "a lone } (write }} for a brace)")),
                c => literal.push(c),
            }
        }
        parts.push(Part::Text(literal));
        parts.retain(|p| *p != Part::Text(String::new()));
        Ok(Self { parts })
    }

    /// The placeholders used, in order of appearance.
    pub fn placeholders(&self) -> impl Iterator<Item = &'static Placeholder> + '_ {
        self.parts.iter().filter_map(|p| match p {
            Part::Field(field) => Some(*field),
            Part::Text(_) => None,
        })
    }

    /// The text with every placeholder replaced by its value; a value the
    /// facts lack (a sweep figure after a single run) reads `n/a`.
    pub fn render(&self, facts: &Facts) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(text) => text.as_str(),
                Part::Field(field) => facts.get(field.name).unwrap_or("n/a"),
            })
            .collect()
    }
}

fn error(offset: usize, message: &str) -> TemplateError {
    TemplateError {
        offset,
        message: message.to_string(),
    }
}

fn unknown_field(text: &str, at: usize, end: Option<usize>) -> TemplateError {
    let Some(end) = end else {
        return error(at, "a { without its } (write {{ for a brace)");
    };
    let known: Vec<&str> = PLACEHOLDERS.iter().map(|p| p.name).collect();
    let message = format!(
        "unknown placeholder {} (known: {})",
        &text[at..=end],
        known.join(", ")
    );
    TemplateError {
        offset: at,
        message,
    }
}

/// The measured values a template can quote, already formatted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    values: Vec<(&'static str, String)>,
}

impl Facts {
    /// The facts of one run. In a sweep step, pass the run with the most
    /// workers and add the sweep with [`Facts::with_sweep`].
    pub fn from_report(r: &RunResult) -> Self {
        let mut facts = Self::default();
        facts.set("serial", format_duration(r.serial_time));
        facts.set("parallel", format_duration(r.parallel_time));
        facts.set("ideal", format_duration(r.ideal_time));
        facts.set("model", r.ideal_model.name().to_string());
        facts.set("lanes", r.ideal_lanes.to_string());
        facts.set("speedup", format_ratio(r.speedup));
        facts.set("ideal_speedup", format_ratio(r.ideal_speedup));
        facts.set("efficiency", format_percent(r.efficiency));
        let overhead = r.parallel_time.saturating_sub(r.ideal_time);
        facts.set("overhead", format_duration(overhead));
        facts.set("overhead_per_task", format_duration(r.overhead_per_task));
        facts.set("workers", r.workers.to_string());
        facts.set("tasks", r.tasks.to_string());
        facts.set("task", format_ms(r.task_ms));
        facts.set("cores", r.machine.physical_cores.to_string());
        facts.set("cpus", r.machine.logical_cpus.to_string());
        facts.set("usable", r.machine.usable_cpus.to_string());
        facts.set("serial_cpu", format_duration(r.serial.cpu));
        facts.set("parallel_cpu", format_duration(r.parallel.cpu));
        facts.set("pool_build", format_duration(r.pool_build));
        if let Some(part) = r.serial_part {
            facts.set("serial_part", format_duration(part.time));
            facts.set("fraction", format_percent(part.serial_fraction));
            let amdahl = amdahl_speedup(part.serial_fraction, r.ideal_lanes as f64);
            facts.set("amdahl", format_ratio(amdahl));
        }
        facts
    }

    /// Adds the sweep figures from measured `(workers, speedup)` points.
    pub fn with_sweep(mut self, points: &[(usize, f64)]) -> Self {
        if let Some(&(workers, speedup)) = points.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
            self.set("best_speedup", format_ratio(speedup));
            self.set("best_workers", workers.to_string());
            self.set("fitted_fraction", format_percent(fit_amdahl(points)));
        }
        self
    }

    /// The formatted value of placeholder `name`, if known.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    fn set(&mut self, name: &'static str, value: String) {
        self.values.retain(|(n, _)| *n != name);
        self.values.push((name, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_braces_render() {
        let t = Template::parse("{serial} vs {parallel}: {{not}} a field {speedup}").unwrap();
        let names: Vec<_> = t.placeholders().map(|p| p.name).collect();
        assert_eq!(names, ["serial", "parallel", "speedup"]);
        let mut facts = Facts::default();
        facts.set("serial", "2.40 s".into());
        facts.set("parallel", "301 ms".into());
        assert_eq!(t.render(&facts), "2.40 s vs 301 ms: {not} a field n/a");
    }

    #[test]
    fn typos_and_lone_braces_are_refused_where_they_are() {
        let err = Template::parse("ok {spedup} then").unwrap_err();
        assert_eq!(err.offset, 3);
        assert!(err.message.contains("unknown placeholder {spedup}"));
        assert!(err.message.contains("speedup"));
        assert_eq!(Template::parse("a { b").unwrap_err().offset, 2);
        assert!(
            Template::parse("a } b")
                .unwrap_err()
                .message
                .contains("lone }")
        );
    }

    #[test]
    fn sweep_facts_come_from_the_points() {
        let points = [1, 2, 4].map(|w| (w, amdahl_speedup(0.25, w as f64)));
        let facts = Facts::default().with_sweep(&points);
        assert_eq!(facts.get("best_speedup"), Some("2.29×"));
        assert_eq!(facts.get("best_workers"), Some("4"));
        assert_eq!(facts.get("fitted_fraction"), Some("25.0 %"));
        assert_eq!(Facts::default().with_sweep(&[]).get("best_speedup"), None);
    }

    #[test]
    fn every_placeholder_name_is_unique() {
        for (i, p) in PLACEHOLDERS.iter().enumerate() {
            assert_eq!(PLACEHOLDERS.iter().position(|q| q.name == p.name), Some(i));
        }
    }
}
