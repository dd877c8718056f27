//! The one template engine of parlab: every sentence that quotes a
//! measurement (explanations, lesson texts, sweep verdicts, findings) is a
//! [`Template`] with `{placeholders}` from one vocabulary
//! ([`PLACEHOLDERS`]), filled from [`Facts`], and picked among
//! [`Variants`] by the findings of the measurement.
//!
//! Placeholders and conditions are checked when a file is loaded, so a
//! typo is reported with its file and line before class instead of showing
//! up on screen. Every value comes from a measured report, formatted the
//! way the rest of parlab formats it.

use crate::findings::{FindingId, Judged, Scope};
use crate::measure::RunResult;
use crate::stats::amdahl_speedup;
use crate::sweep::SweepResult;
use crate::units::{
    counted, format_duration, format_ms, format_percent, format_ratio, grouped, speed_words,
};
use strum::VariantArray;

/// Which measurements can fill a placeholder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// The settings alone: known before anything runs.
    Spec,
    /// Any run.
    Run,
    /// A run of the `serial-fraction` workload.
    SerialPart,
    /// A sweep (several worker counts).
    Sweep,
    /// A run of a workload with a shared total (`lost-update`,
    /// `atomic-update`).
    SharedTotal,
}

/// Every placeholder a template may use: its snake_case name between
/// braces (`{speedup}`), what it stands for, and what it needs. Code sets
/// values through these variants, so a misspelt fact does not compile; the
/// files name them in text, checked when they are loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Placeholder {
    /// The kind of work, e.g. cpu.
    Workload,
    /// Worker threads of the parallel run.
    Workers,
    /// Number of tasks.
    Tasks,
    /// Nominal duration of one task, e.g. 100 ms.
    Task,
    /// Physical cores of this machine.
    Cores,
    /// Logical CPUs of this machine.
    Cpus,
    /// CPUs this process may use.
    Usable,
    /// What runs the tasks: threads, processes, python-processes, python-threads.
    Pool,
    /// Input and result per task, e.g. 1024 KB.
    Payload,
    /// Measured serial time (median).
    Serial,
    /// Measured parallel time (median).
    Parallel,
    /// The model's parallel time.
    Ideal,
    /// What bounds the ideal: waves, cores, longest task, amdahl.
    Model,
    /// Tasks that can progress at once in the model.
    Lanes,
    /// Waves of tasks in the model: tasks over lanes, rounded up.
    Waves,
    /// Measured serial time per task.
    MeanTask,
    /// Serial time over parallel time, e.g. 7.98×.
    Speedup,
    /// The speedup in words: 7.98× faster, 5.26× slower, or about as fast.
    Speed,
    /// Serial time over the ideal.
    IdealSpeedup,
    /// How far the speedup fell below the ideal, e.g. 20.0 %.
    Shortfall,
    /// Speedup per worker, e.g. 99.8 %.
    Efficiency,
    /// Parallel time beyond the ideal.
    Overhead,
    /// That excess spread over the tasks of one lane used.
    OverheadPerTask,
    /// The noise margin the findings used, e.g. 5.0 %.
    Noise,
    /// CPU time of the serial run.
    SerialCpu,
    /// CPU time of the parallel run.
    ParallelCpu,
    /// Time to start the worker pool.
    PoolBuild,
    /// What handing a task over and its result back cost, apart from its work.
    Transfer,
    /// The interpreter and its GIL, e.g. CPython 3.12.4, GIL on.
    Python,
    /// How tasks reach the workers: steal, static, or dynamic, chunk N.
    Schedule,
    /// Tasks a worker takes at once under the dynamic schedule (1 otherwise).
    Chunk,
    /// The worker that sat idle longest at the end of the parallel run, e.g. w1.
    IdleWorker,
    /// How long that worker sat idle at the end.
    IdleAtEnd,
    /// That idle time as a share of the parallel run.
    IdleShare,
    /// The largest loss of the time accounting, e.g. 417 ms.
    Loss,
    /// That loss as a share of the lane time, e.g. 35.0 %.
    LossShare,
    /// The workers' time: workers that got a task × the parallel time.
    LaneTime,
    /// What handing out cost per task, e.g. 85 ns.
    HandOutPerTask,
    /// CPUs the parallel run kept busy on average (its CPU time over its wall time), e.g. 1.02.
    CpuUse,
    /// How busy other programs kept the CPUs before the run, e.g. 97.0 %.
    BusyUsage,
    /// A weak sweep: up to which worker count the time stayed flat, and why it rose.
    WeakVerdict,
    /// What a shared total should come to: every update of every task.
    ExpectedTotal,
    /// What the parallel run's shared total came to.
    MeasuredTotal,
    /// Updates of the shared total that were lost: expected less measured.
    LostUpdates,
    /// Those lost updates as a share of the expected total, e.g. 38.2 %.
    LostShare,
    /// Measured time of the serial part.
    SerialPart,
    /// The serial fraction, e.g. 25.0 %.
    Fraction,
    /// Amdahl's speedup for the fraction on the model's lanes.
    Amdahl,
    /// Gustafson's scaled speedup W − s(W − 1), s the serial part's share of the parallel run.
    Gustafson,
    /// Highest measured speedup of the sweep.
    BestSpeedup,
    /// Worker count that reached it.
    BestWorkers,
    /// Serial fraction of the Amdahl curve fitted to the sweep (25.0 %), or no fit and why.
    FittedFraction,
    /// CPUs the sweep's ideal counted, e.g. 2 CPUs.
    SweepCpus,
    /// Most workers in the sweep, e.g. 8 workers.
    SweepWorkers,
}

impl Placeholder {
    /// The name written between braces, e.g. `speedup` for `{speedup}`.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The placeholder written `{name}`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::VARIANTS.iter().copied().find(|p| p.name() == name)
    }

    /// The kind of measurement that provides it.
    pub fn needs(self) -> Needs {
        match self {
            Self::SerialPart | Self::Fraction | Self::Amdahl | Self::Gustafson => Needs::SerialPart,
            Self::ExpectedTotal | Self::MeasuredTotal | Self::LostUpdates | Self::LostShare => {
                Needs::SharedTotal
            }
            Self::WeakVerdict
            | Self::BestSpeedup
            | Self::BestWorkers
            | Self::FittedFraction
            | Self::SweepCpus
            | Self::SweepWorkers => Needs::Sweep,
            Self::Workload
            | Self::Workers
            | Self::Tasks
            | Self::Task
            | Self::Cores
            | Self::Cpus
            | Self::Usable
            | Self::Pool
            | Self::Payload
            | Self::Schedule
            | Self::Chunk => Needs::Spec,
            _ => Needs::Run,
        }
    }
}

/// A checked template: literal text and placeholders, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Text(String),
    Field(Placeholder),
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
                    let field = end.and_then(|end| Placeholder::parse(&text[at + 1..end]));
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
    pub fn placeholders(&self) -> impl Iterator<Item = Placeholder> + '_ {
        self.parts.iter().filter_map(|p| match p {
            Part::Field(field) => Some(*field),
            Part::Text(_) => None,
        })
    }

    /// The text with every placeholder replaced by its value; a value the
    /// facts lack (a sweep figure after a single run) reads `n/a`. A count
    /// of one takes a singular noun (`{workers} workers` with one worker
    /// reads "1 worker").
    pub fn render(&self, facts: &Facts) -> String {
        let text: String = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Text(text) => text.as_str(),
                Part::Field(field) => facts.get(*field).unwrap_or("n/a"),
            })
            .collect();
        // Templates come from files too (a teacher's lesson): nothing in
        // them reaches a terminal as a control character but line breaks.
        crate::output::printable_lines(&crate::units::singular_after_one(&text))
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
    let known: Vec<&str> = Placeholder::VARIANTS.iter().map(|p| p.name()).collect();
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

/// The widest noise margin the findings were judged with.
fn margin_of(judged: &[Judged]) -> f64 {
    judged.iter().map(|(_, e)| e.margin).fold(0.0, f64::max)
}

/// One test of a condition: a finding that must hold (`wall_fell`), must
/// not hold (`!wall_fell`), or the kind of work (`workload=cpu`).
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// The finding holds.
    Holds(FindingId),
    /// The finding does not hold.
    Lacks(FindingId),
    /// The work is of this kind.
    Workload(crate::workload::WorkloadKind),
    /// The parallel side handed out its tasks this way.
    Schedule(crate::schedule::ScheduleKind),
    /// These workers ran the parallel side.
    Pool(crate::pool::Pool),
}

/// When a variant applies: every test holds (an empty list always does).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Condition {
    /// The tests, all of which must pass.
    pub tests: Vec<Test>,
}

impl Condition {
    /// Parses the `when` list; the error names the item at fault.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Self, (usize, String)> {
        let tests = items
            .iter()
            .enumerate()
            .map(|(at, item)| parse_test(item.as_ref()).map_err(|e| (at, e)))
            .collect::<Result<_, _>>()?;
        Ok(Self { tests })
    }

    /// Whether every test passes for `facts`.
    pub fn holds(&self, facts: &Facts) -> bool {
        self.tests.iter().all(|test| match test {
            Test::Holds(id) => facts.has(*id),
            Test::Lacks(id) => !facts.has(*id),
            Test::Workload(kind) => facts.workload == Some(*kind),
            Test::Schedule(kind) => facts.schedule == Some(*kind),
            Test::Pool(pool) => facts.pool == Some(*pool),
        })
    }

    /// The findings this condition requires to hold.
    pub fn required(&self) -> impl Iterator<Item = FindingId> + '_ {
        self.tests.iter().filter_map(|t| match t {
            Test::Holds(id) => Some(*id),
            _ => None,
        })
    }

    /// Whether every finding it tests is known before a run (the machine).
    pub fn is_machine_only(&self) -> bool {
        self.tests.iter().all(|t| match t {
            Test::Holds(id) | Test::Lacks(id) => id.scope() == Scope::Machine,
            Test::Workload(_) | Test::Schedule(_) | Test::Pool(_) => true,
        })
    }
}

fn parse_test(item: &str) -> Result<Test, String> {
    let item = item.trim();
    if let Some(name) = item.strip_prefix("workload=") {
        return <crate::workload::WorkloadKind as strum::VariantArray>::VARIANTS
            .iter()
            .find(|k| k.name() == name.trim())
            .map(|k| Test::Workload(*k))
            .ok_or_else(|| format!("unknown workload in condition '{item}'"));
    }
    if let Some(name) = item.strip_prefix("pool=") {
        return <crate::pool::Pool as strum::VariantArray>::VARIANTS
            .iter()
            .find(|p| p.name() == name.trim())
            .map(|p| Test::Pool(*p))
            .ok_or_else(|| format!("unknown pool in condition '{item}'"));
    }
    if let Some(name) = item.strip_prefix("schedule=") {
        return <crate::schedule::ScheduleKind as strum::VariantArray>::VARIANTS
            .iter()
            .find(|k| <&str>::from(**k) == name.trim())
            .map(|k| Test::Schedule(*k))
            .ok_or_else(|| format!("unknown schedule in condition '{item}'"));
    }
    let (negated, id) = match item.strip_prefix('!') {
        Some(id) => (true, id.trim()),
        None => (false, item),
    };
    let known = || {
        <FindingId as strum::VariantArray>::VARIANTS
            .iter()
            .map(|f| f.id())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let finding = FindingId::parse(id)
        .ok_or_else(|| format!("unknown finding '{id}' in condition (known: {})", known()))?;
    Ok(if negated {
        Test::Lacks(finding)
    } else {
        Test::Holds(finding)
    })
}

/// A text with conditional variants: the first variant whose condition
/// holds is used; the last one has no condition, so there is always one.
#[derive(Clone, Debug, PartialEq)]
pub struct Variants {
    /// The variants in file order; the last has an empty condition.
    pub cases: Vec<(Condition, Template)>,
}

impl Variants {
    /// One text without conditions.
    pub fn plain(template: Template) -> Self {
        Self {
            cases: vec![(Condition::default(), template)],
        }
    }

    /// The template that applies to `facts`.
    pub fn choose(&self, facts: &Facts) -> Option<&Template> {
        self.cases
            .iter()
            .find(|(when, _)| when.holds(facts))
            .map(|(_, t)| t)
    }

    /// The chosen text filled from `facts`; empty if none applies.
    pub fn render(&self, facts: &Facts) -> String {
        self.choose(facts)
            .map_or(String::new(), |t| t.render(facts))
    }

    /// Every template, for checks.
    pub fn templates(&self) -> impl Iterator<Item = &Template> {
        self.cases.iter().map(|(_, t)| t)
    }
}

/// The measured values a template can quote, already formatted, and the
/// findings that choose among variants.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    values: Vec<(Placeholder, String)>,
    findings: Vec<FindingId>,
    workload: Option<crate::workload::WorkloadKind>,
    schedule: Option<crate::schedule::ScheduleKind>,
    pool: Option<crate::pool::Pool>,
}

impl Facts {
    /// The facts known from the settings and the machine, before a run.
    pub fn from_spec(spec: &crate::config::Work, machine: &crate::machine::MachineInfo) -> Self {
        let mut facts = Self {
            workload: Some(spec.workload),
            ..Self::default()
        };
        facts.set(Placeholder::Workload, spec.workload.name().to_string());
        facts.set(Placeholder::Workers, spec.workers.to_string());
        facts.set(Placeholder::Tasks, spec.tasks.to_string());
        facts.set(Placeholder::Task, format_ms(spec.task_ms));
        facts.set_pool(spec.pool, spec.payload_kb);
        facts.set_schedule(spec.schedule);
        facts.set_machine(machine);
        facts
    }

    fn set_pool(&mut self, pool: crate::pool::Pool, payload_kb: usize) {
        self.pool = Some(pool);
        self.set(Placeholder::Pool, pool.name().to_string());
        self.set(Placeholder::Payload, format!("{payload_kb} KB"));
    }

    /// The schedule's facts: its label and chunk, and its kind for `when`.
    fn set_schedule(&mut self, schedule: crate::schedule::Schedule) {
        self.schedule = Some(schedule.kind());
        self.set(Placeholder::Schedule, schedule.label());
        self.set(
            Placeholder::Chunk,
            schedule.chunk().unwrap_or(1).to_string(),
        );
    }

    fn set_machine(&mut self, m: &crate::machine::MachineInfo) {
        self.set(Placeholder::Cores, m.physical_cores.to_string());
        self.set(Placeholder::Cpus, m.logical_cpus.to_string());
        self.set(Placeholder::Usable, m.usable_cpus.to_string());
    }

    /// The facts of one run with its judged findings. In a sweep step,
    /// pass the run with the most workers and add the sweep with
    /// [`Facts::with_sweep`].
    pub fn from_report(r: &RunResult, judged: &[Judged]) -> Self {
        let mut facts = Self {
            workload: Some(r.work.workload),
            findings: judged.iter().map(|(id, _)| *id).collect(),
            ..Self::default()
        };
        facts.set(Placeholder::Workload, r.work.workload.name().to_string());
        facts.set(Placeholder::Serial, format_duration(r.serial_time));
        facts.set(Placeholder::Parallel, format_duration(r.parallel_time));
        facts.set(Placeholder::Ideal, format_duration(r.ideal_time));
        facts.set(Placeholder::Model, r.ideal_model.name().to_string());
        let lanes = r.ideal_lanes.max(1);
        facts.set(Placeholder::Lanes, lanes.to_string());
        facts.set(Placeholder::Waves, r.work.tasks.div_ceil(lanes).to_string());
        facts.set(
            Placeholder::MeanTask,
            format_duration(r.serial_time / r.work.tasks.max(1) as u32),
        );
        facts.set(Placeholder::Speedup, format_ratio(r.speedup));
        let speed = if facts.has(FindingId::WallSame) {
            format!("about as fast as serial ({})", format_ratio(r.speedup))
        } else {
            speed_words(r.speedup)
        };
        facts.set(Placeholder::Speed, speed);
        facts.set(Placeholder::IdealSpeedup, format_ratio(r.ideal_speedup));
        let short = 1.0 - r.speedup / r.ideal_speedup.max(f64::EPSILON);
        facts.set(Placeholder::Shortfall, format_percent(short.max(0.0)));
        facts.set(Placeholder::Efficiency, format_percent(r.efficiency));
        let overhead = r.parallel_time.saturating_sub(r.ideal_time);
        facts.set(Placeholder::Overhead, format_duration(overhead));
        facts.set(
            Placeholder::OverheadPerTask,
            format_duration(r.overhead_per_task),
        );
        facts.set(Placeholder::Noise, format_percent(margin_of(judged)));
        facts.set(Placeholder::Workers, r.work.workers.to_string());
        facts.set(Placeholder::Tasks, r.work.tasks.to_string());
        facts.set(Placeholder::Task, format_ms(r.work.task_ms));
        facts.set_machine(&r.machine);
        facts.set(Placeholder::SerialCpu, format_duration(r.serial.cpu));
        facts.set(Placeholder::ParallelCpu, format_duration(r.parallel.cpu));
        facts.set(Placeholder::PoolBuild, format_duration(r.pool_build));
        facts.set_pool(r.work.pool, r.work.payload_kb);
        facts.set(Placeholder::Transfer, r.transfer_text());
        let python = r.python.as_ref();
        facts.set(
            Placeholder::Python,
            python.map_or("no Python in this run".to_string(), |p| p.describe()),
        );
        facts.set_schedule(r.work.schedule);
        if let Some(idle) = r.end_idle {
            facts.set(Placeholder::IdleWorker, format!("w{}", idle.worker));
            facts.set(Placeholder::IdleAtEnd, format_duration(idle.time));
            let share = idle.time.as_secs_f64() / r.parallel_time.as_secs_f64().max(1e-12);
            facts.set(Placeholder::IdleShare, format_percent(share));
        }
        facts.set_accounting(&r.time_accounting);
        let cpu_use = r.parallel.cpu.as_secs_f64() / r.parallel_time.as_secs_f64().max(1e-12);
        facts.set(Placeholder::CpuUse, format!("{cpu_use:.2}"));
        if let Some(usage) = r.busy_usage {
            facts.set(Placeholder::BusyUsage, format_percent(usage));
        }
        if let Some(total) = r.shared_total {
            facts.set(Placeholder::ExpectedTotal, grouped(total.expected));
            facts.set(Placeholder::MeasuredTotal, grouped(total.measured));
            facts.set(Placeholder::LostUpdates, grouped(total.lost()));
            facts.set(Placeholder::LostShare, format_percent(total.lost_share()));
        }
        if let Some(part) = r.serial_part {
            facts.set(Placeholder::SerialPart, format_duration(part.time));
            facts.set(Placeholder::Fraction, format_percent(part.serial_fraction));
            let amdahl = amdahl_speedup(part.serial_fraction, r.ideal_lanes as f64);
            facts.set(Placeholder::Amdahl, format_ratio(amdahl));
            let share = part.time.as_secs_f64() / r.parallel_time.as_secs_f64().max(1e-12);
            let gustafson = crate::stats::gustafson_speedup(share.min(1.0), r.work.workers as f64);
            facts.set(Placeholder::Gustafson, format_ratio(gustafson));
        }
        facts
    }

    /// The time accounting's figures: the largest loss, its share, the
    /// lane time, the hand-out cost per task and the idlest worker.
    fn set_accounting(&mut self, a: &crate::accounting::TimeAccounting) {
        let largest = crate::accounting::Loss::ALL
            .into_iter()
            .max_by_key(|l| a.part(*l));
        if let Some(loss) = largest {
            self.set(Placeholder::Loss, format_duration(a.part(loss)));
            self.set(Placeholder::LossShare, format_percent(a.share(loss)));
        }
        self.set(Placeholder::LaneTime, format_duration(a.lane));
        self.set(
            Placeholder::HandOutPerTask,
            format_duration(a.hand_out_per_task()),
        );
        if let (None, Some(worker)) = (self.get(Placeholder::IdleWorker), a.idle_worker) {
            self.set(Placeholder::IdleWorker, format!("w{worker}"));
        }
    }

    /// Adds a sweep's figures and findings (a lesson's sweep step keeps
    /// the facts of its widest run besides).
    pub fn with_sweep(mut self, sweep: &SweepResult, judged: &[Judged]) -> Self {
        let (workers, speedup) = sweep.fit.best;
        if !sweep.rows.is_empty() {
            self.set(Placeholder::BestSpeedup, format_ratio(speedup));
            self.set(Placeholder::BestWorkers, workers.to_string());
        }
        let fitted = match sweep.fit.serial_fraction {
            Some(f) => format_percent(f),
            None => sweep.fit.fraction_text(),
        };
        self.set(Placeholder::FittedFraction, fitted);
        if let Some(weak) = &sweep.weak {
            self.set(Placeholder::WeakVerdict, weak.explanation());
        }
        self.set(Placeholder::SweepCpus, counted(sweep.fit.lanes, "CPU"));
        self.set(
            Placeholder::SweepWorkers,
            counted(sweep.fit.max_workers, "worker"),
        );
        for (id, _) in judged {
            if !self.findings.contains(id) {
                self.findings.push(*id);
            }
        }
        self
    }

    /// The facts of a sweep alone: its settings, figures and findings.
    pub fn from_sweep(sweep: &SweepResult, judged: &[Judged]) -> Self {
        let mut facts = Self {
            workload: Some(sweep.work.workload),
            ..Self::default()
        };
        facts.set(
            Placeholder::Workload,
            sweep.work.workload.name().to_string(),
        );
        facts.set(Placeholder::Tasks, sweep.work.tasks.to_string());
        facts.set(Placeholder::Task, format_ms(sweep.work.task_ms));
        facts.set_schedule(sweep.work.schedule);
        if let Some(weak) = &sweep.weak {
            facts.set(Placeholder::WeakVerdict, weak.explanation());
        }
        facts.set_machine(&sweep.machine);
        facts.set(Placeholder::Noise, format_percent(margin_of(judged)));
        facts.set(Placeholder::Serial, format_duration(sweep.serial.median));
        facts.set(Placeholder::SerialCpu, format_duration(sweep.serial_cpu));
        // The best row with more than one worker, as the findings judge it.
        let parallel = sweep.rows.iter().filter(|r| r.workers > 1);
        let best = parallel
            .max_by(|a, b| a.speedup.total_cmp(&b.speedup))
            .or(sweep.rows.first());
        if let Some(row) = best {
            facts.set(Placeholder::Workers, row.workers.to_string());
            facts.set(Placeholder::Parallel, format_duration(row.parallel.median));
            facts.set(Placeholder::ParallelCpu, format_duration(row.cpu));
            facts.set(Placeholder::Ideal, format_duration(row.ideal.time));
            facts.set(Placeholder::Model, row.ideal.bound.name().to_string());
            facts.set(Placeholder::Lanes, row.ideal.lanes.to_string());
            facts.set(
                Placeholder::Waves,
                sweep
                    .work
                    .tasks
                    .div_ceil(row.ideal.lanes.max(1))
                    .to_string(),
            );
            facts.set(Placeholder::Speedup, format_ratio(row.speedup));
            facts.set(Placeholder::IdealSpeedup, format_ratio(row.ideal_speedup));
            let short = 1.0 - row.speedup / row.ideal_speedup.max(f64::EPSILON);
            facts.set(Placeholder::Shortfall, format_percent(short.max(0.0)));
            facts.set(Placeholder::Efficiency, format_percent(row.efficiency));
            let overhead = row.parallel.median.saturating_sub(row.ideal.time);
            facts.set(Placeholder::Overhead, format_duration(overhead));
            let wall_same = judged.iter().any(|(id, _)| *id == FindingId::WallSame);
            let speed = if wall_same {
                format!("about as fast as serial ({})", format_ratio(row.speedup))
            } else {
                speed_words(row.speedup)
            };
            facts.set(Placeholder::Speed, speed);
            if let Some(part) = sweep.serial_part {
                facts.set(Placeholder::SerialPart, format_duration(part.time));
                facts.set(Placeholder::Fraction, format_percent(part.serial_fraction));
                let amdahl = amdahl_speedup(part.serial_fraction, row.ideal.lanes as f64);
                facts.set(Placeholder::Amdahl, format_ratio(amdahl));
            }
        }
        let widest = sweep
            .rows
            .iter()
            .filter(|r| r.workers > 1)
            .max_by_key(|r| r.workers);
        if let Some(row) = widest {
            facts.set_accounting(&row.time_accounting);
            let cpu_use = row.cpu.as_secs_f64() / row.parallel.median.as_secs_f64().max(1e-12);
            facts.set(Placeholder::CpuUse, format!("{cpu_use:.2}"));
        }
        if let Some(usage) = sweep.busy_usage {
            facts.set(Placeholder::BusyUsage, format_percent(usage));
        }
        facts.with_sweep(sweep, judged)
    }

    /// Facts with exactly these findings and values, for tests and checks.
    pub fn synthetic(
        values: &[(Placeholder, String)],
        findings: &[FindingId],
        workload: Option<crate::workload::WorkloadKind>,
    ) -> Self {
        Self {
            values: values.to_vec(),
            findings: findings.to_vec(),
            workload,
            schedule: None,
            pool: None,
        }
    }

    /// The formatted value of `placeholder`, if known.
    pub fn get(&self, placeholder: Placeholder) -> Option<&str> {
        self.values
            .iter()
            .find(|(p, _)| *p == placeholder)
            .map(|(_, v)| v.as_str())
    }

    /// Whether finding `id` holds.
    pub fn has(&self, id: FindingId) -> bool {
        self.findings.contains(&id)
    }

    /// The findings that hold.
    pub fn findings(&self) -> &[FindingId] {
        &self.findings
    }

    /// Adds finding `id` to those that hold.
    pub fn add_finding(&mut self, id: FindingId) {
        if !self.findings.contains(&id) {
            self.findings.push(id);
        }
    }

    /// Sets `placeholder` to `value`.
    pub fn set(&mut self, placeholder: Placeholder, value: String) {
        self.values.retain(|(p, _)| *p != placeholder);
        self.values.push((placeholder, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_braces_render() {
        let t = Template::parse("{serial} vs {parallel}: {{not}} a field {speedup}").unwrap();
        let names: Vec<_> = t.placeholders().map(Placeholder::name).collect();
        assert_eq!(names, ["serial", "parallel", "speedup"]);
        let mut facts = Facts::default();
        facts.set(Placeholder::Serial, "2.40 s".into());
        facts.set(Placeholder::Parallel, "301 ms".into());
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
    fn conditions_pick_the_first_variant_that_holds() {
        let when = |items: &[&str]| Condition::parse(items).unwrap();
        let variants = Variants {
            cases: vec![
                (
                    when(&["wall_fell", "!noisy"]),
                    Template::parse("gain").unwrap(),
                ),
                (when(&["workload=cpu"]), Template::parse("cpu").unwrap()),
                (Condition::default(), Template::parse("other").unwrap()),
            ],
        };
        let facts = |ids: &[FindingId], kind| Facts::synthetic(&[], ids, kind);
        use crate::workload::WorkloadKind::{Cpu, Sleep};
        assert_eq!(
            variants.render(&facts(&[FindingId::WallFell], Some(Sleep))),
            "gain"
        );
        let noisy = [FindingId::WallFell, FindingId::Noisy];
        assert_eq!(variants.render(&facts(&noisy, Some(Cpu))), "cpu");
        assert_eq!(variants.render(&facts(&noisy, Some(Sleep))), "other");
    }

    #[test]
    fn unknown_findings_and_workloads_are_refused_by_position() {
        let (at, message) = Condition::parse(&["wall_fell", "wall_fel"]).unwrap_err();
        assert_eq!(at, 1);
        assert!(message.contains("unknown finding 'wall_fel'"), "{message}");
        assert!(message.contains("wall_fell"), "{message}");
        let (_, message) = Condition::parse(&["workload=gpu"]).unwrap_err();
        assert!(message.contains("unknown workload"), "{message}");
        assert!(Condition::parse(&["!no_smt"]).unwrap().is_machine_only());
        assert!(!Condition::parse(&["wall_fell"]).unwrap().is_machine_only());
    }

    #[test]
    fn every_placeholder_name_is_unique() {
        for (i, p) in Placeholder::VARIANTS.iter().enumerate() {
            let named = Placeholder::VARIANTS
                .iter()
                .position(|q| q.name() == p.name());
            assert_eq!(named, Some(i));
            assert_eq!(Placeholder::parse(p.name()), Some(*p));
        }
    }
}

/// A problem at a byte offset of a source file; the loader of that file
/// turns the offset into a line number.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceError {
    /// Byte offset in the file, when known.
    pub offset: Option<usize>,
    /// What is wrong, in one line.
    pub message: String,
}

impl SourceError {
    /// A problem at `offset`.
    pub fn at(offset: usize, message: impl Into<String>) -> Self {
        Self {
            offset: Some(offset),
            message: message.into(),
        }
    }

    /// This problem as `file, line N: message`.
    pub fn describe(&self, file: &str, source: &str) -> String {
        match self.offset {
            Some(at) => format!("{file}, line {}: {}", line_at(source, at), self.message),
            None => format!("{file}: {}", self.message),
        }
    }
}

/// The 1-based line of byte `offset` in `source`.
pub fn line_at(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Parses a template read from `source` as the TOML string `text`; an
/// error points at the line of the faulty placeholder.
pub fn parse_spanned(source: &str, text: &toml::Spanned<String>) -> Result<Template, SourceError> {
    let span = text.span();
    let raw_text = source.get(span.clone()).unwrap_or("");
    let value = text.get_ref().trim();
    if value.is_empty() {
        return Err(SourceError::at(span.start, "the text is empty"));
    }
    Template::parse(value).map_err(|e| {
        let snippet: String = value[e.offset..].chars().take(12).collect();
        let snippet = snippet.split('\n').next().unwrap_or_default();
        let at = span.start + raw_text.find(snippet).unwrap_or(0);
        SourceError::at(at, e.message)
    })
}

/// Parses a `when = [...]` list read from a file; an error points at the
/// item at fault.
pub fn parse_when(when: &[toml::Spanned<String>]) -> Result<Condition, SourceError> {
    let items: Vec<&str> = when.iter().map(|w| w.get_ref().as_str()).collect();
    Condition::parse(&items).map_err(|(at, message)| {
        SourceError::at(when.get(at).map_or(0, |w| w.span().start), message)
    })
}

/// One variant as written in a file: `when` (optional) and `text`.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCase {
    /// The findings that must hold (`!id`: must not), or `workload=name`.
    #[serde(default)]
    pub when: Vec<toml::Spanned<String>>,
    /// The text.
    pub text: toml::Spanned<String>,
}

/// Checks a list of variants read from `source`: every condition and
/// template parses, and the last variant has no condition so some text
/// always applies. `start` is where the list begins, for an empty one.
pub fn parse_cases(source: &str, raw: &[RawCase], start: usize) -> Result<Variants, SourceError> {
    let Some(last) = raw.last() else {
        return Err(SourceError::at(start, "no text given"));
    };
    if !last.when.is_empty() {
        return Err(SourceError::at(
            last.text.span().start,
            "the last variant must have no `when`, so that some text always applies",
        ));
    }
    let cases = raw
        .iter()
        .map(|case| Ok((parse_when(&case.when)?, parse_spanned(source, &case.text)?)))
        .collect::<Result<_, SourceError>>()?;
    Ok(Variants { cases })
}
