//! The settings of the live lab, their step ladders and typed values: four
//! always, and the serial part while the workload is `serial-fraction`.
//!
//! Every change builds a new [`Work`] and passes it through
//! [`Work::validate`], so the TUI refuses exactly what the CLI refuses,
//! with the same one-line reason.

mod ladder;

use ladder::{
    SERIAL_PERCENT_LADDER, TASK_LADDER, TASK_MS_LADDER, WORKER_LADDER, rung, schedule_step,
};

use super::keys::Key;
use crate::config::{Work, parse_task_ms, parse_tasks, parse_workers};
use crate::cycle::Cycle;
use crate::pool::Pool;
use crate::schedule::{Schedule, parse_chunk};
use crate::units::{format_ms, format_percent};
use crate::workload::WorkloadKind;
use strum::VariantArray;

/// One line of the settings panel, top to bottom as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::VariantArray)]
pub enum Setting {
    /// How many tasks the plan has.
    Tasks,
    /// Worker threads on the parallel side.
    Workers,
    /// What each task does.
    Workload,
    /// Nominal duration of one task.
    TaskMs,
    /// Share of the work run serially first (`serial-fraction` only).
    SerialPart,
    /// How tasks reach workers, with the chunk of `dynamic`; shown once a
    /// schedule other than the default is chosen (`h`).
    Schedule,
    /// What runs the tasks; shown once a pool other than rayon threads is
    /// chosen (`o`).
    Pool,
}

impl Setting {
    /// The settings `spec` uses, top to bottom: the serial part only for
    /// the `serial-fraction` workload, where it means something, and the
    /// schedule and the pool only once they are not the default, so the
    /// usual panel keeps its rows for the lanes.
    pub fn shown(spec: &Work) -> Vec<Self> {
        Self::VARIANTS
            .iter()
            .copied()
            .filter(|setting| match setting {
                Self::SerialPart => spec.workload.has_serial_part(),
                Self::Schedule => spec.schedule != Schedule::Steal,
                Self::Pool => spec.pool != Pool::Threads,
                _ => true,
            })
            .collect()
    }

    /// `self` if `spec` shows it, else the workload row (where the serial
    /// part was, before the workload changed).
    pub fn keep_shown(self, spec: &Work) -> Self {
        if Self::shown(spec).contains(&self) {
            self
        } else {
            Self::Workload
        }
    }

    /// The shown setting below (`down`) or above, wrapping (Down, Tab, Up,
    /// Shift-Tab).
    pub fn moved(self, spec: &Work, down: bool) -> Self {
        let shown = Self::shown(spec);
        let at = shown.iter().position(|s| *s == self).unwrap_or(0);
        let count = shown.len();
        shown[if down { at + 1 } else { at + count - 1 } % count]
    }

    /// The label drawn in the settings panel.
    pub fn label(self) -> &'static str {
        match self {
            Self::Tasks => "tasks",
            Self::Workers => "workers",
            Self::Workload => "workload",
            Self::TaskMs => "task time",
            Self::SerialPart => "serial",
            Self::Schedule => "schedule",
            Self::Pool => "pool",
        }
    }

    /// The current value as shown: `24`, `sleep`, `100 ms`.
    pub fn value(self, spec: &Work) -> String {
        match self {
            Self::Tasks => spec.tasks.to_string(),
            Self::Workers => spec.workers.to_string(),
            Self::Workload => spec.workload.name().to_string(),
            Self::TaskMs => format_ms(spec.task_ms),
            Self::SerialPart => format!("{} of the work", format_percent(spec.serial_fraction)),
            Self::Schedule => spec.schedule.label(),
            Self::Pool => spec.pool.name().to_string(),
        }
    }

    /// Whether a value can be typed in digits (all but the workload and
    /// the pool; for the schedule, the digits are a dynamic chunk).
    pub fn takes_digits(self) -> bool {
        !matches!(self, Self::Workload | Self::Pool)
    }

    /// Whether a typed value may have a decimal point.
    pub fn takes_fractions(self) -> bool {
        matches!(self, Self::TaskMs | Self::SerialPart)
    }
}

/// The spec with `setting` one step up or down, or `None` when the ladder
/// ends there. The result is not validated yet.
pub fn step(spec: &Work, setting: Setting, up: bool) -> Option<Work> {
    let mut next = *spec;
    match setting {
        Setting::Tasks => next.tasks = rung(&TASK_LADDER, spec.tasks as f64, up)? as usize,
        Setting::Workers => next.workers = rung(&WORKER_LADDER, spec.workers as f64, up)? as usize,
        Setting::TaskMs => next.task_ms = rung(&TASK_MS_LADDER, spec.task_ms, up)?,
        Setting::SerialPart => {
            let percent = rung(&SERIAL_PERCENT_LADDER, spec.serial_fraction * 100.0, up)?;
            next.serial_fraction = percent / 100.0;
        }
        Setting::Schedule => next.schedule = schedule_step(spec.schedule, up)?,
        Setting::Pool => {
            let all = Pool::VARIANTS;
            let at = all.iter().position(|p| *p == spec.pool).unwrap_or(0);
            let to = if up {
                at.checked_add(1)
            } else {
                at.checked_sub(1)
            };
            return Some(with_pool(spec, *all.get(to?)?));
        }
        Setting::Workload => {
            let kind = if up {
                spec.workload.next()
            } else {
                spec.workload.previous()
            };
            return Some(with_workload(spec, kind));
        }
    }
    Some(next)
}

/// The spec with another workload. A task time left at the old workload's
/// default follows the new one's (100 ms sleep becomes 5 µs tiny and back);
/// a time the user chose stays.
pub fn with_workload(spec: &Work, kind: WorkloadKind) -> Work {
    let mut next = spec.with_workload(kind);
    if spec.task_ms == spec.workload.default_task_ms() {
        next.task_ms = kind.default_task_ms();
    }
    next
}

/// The spec on another pool. Only rayon threads take a schedule, so the
/// other pools go back to the default one (they hand tasks out their way).
pub fn with_pool(spec: &Work, pool: Pool) -> Work {
    let mut next = *spec;
    next.pool = pool;
    if pool != Pool::Threads {
        next.schedule = Schedule::Steal;
    }
    next
}

/// Reads a typed value for `setting`; the error is one line with the range.
pub fn parse_typed(spec: &Work, setting: Setting, text: &str) -> Result<Work, String> {
    let mut next = *spec;
    match setting {
        Setting::Tasks => next.tasks = parse_tasks(text).map_err(|e| e.to_string())?,
        Setting::Workers => next.workers = parse_workers(text).map_err(|e| e.to_string())?,
        Setting::TaskMs => next.task_ms = parse_task_ms(text).map_err(|e| e.to_string())?,
        Setting::SerialPart => next.serial_fraction = parse_serial_percent(text)?,
        Setting::Schedule => {
            let chunk = parse_chunk(text).map_err(|e| e.to_string())?;
            next.schedule = Schedule::Dynamic { chunk };
        }
        Setting::Workload => return Err("the workload is chosen with ←/→ or w".to_string()),
        Setting::Pool => return Err("the pool is chosen with ←/→ or o".to_string()),
    }
    Ok(next)
}

/// Reads a serial part typed in percent (`25`, `12.5`), as the panel shows
/// it: from 0 up to but not including 100.
fn parse_serial_percent(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|p| (0.0..100.0).contains(p))
        .map(|p| p / 100.0)
        .ok_or_else(|| {
            format!(
                "the serial part is a percentage from 0 up to but not including 100, got {text}"
            )
        })
}

/// A value being typed into one setting: digits (and a dot for the task
/// time and the serial part) until Enter keeps it or Esc drops it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The setting the value goes to.
    pub setting: Setting,
    /// What has been typed so far.
    pub text: String,
}

/// What a key did to a value being typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    /// Still typing; the note says why a key was refused, if one was.
    Editing(Option<String>),
    /// Enter kept a valid value: the settings with it.
    Kept(Work),
    /// Esc dropped the value.
    Dropped,
}

impl Entry {
    /// Most characters an entry keeps: longer than any valid value.
    const MAX_LEN: usize = 12;

    /// Starts typing into `setting` with the digit typed, or says why this
    /// setting takes no digits.
    pub fn start(setting: Setting, key: Key) -> Result<Self, String> {
        if !setting.takes_digits() {
            let how = if setting == Setting::Pool {
                "the pool is chosen with ←/→ or o"
            } else {
                "the workload is chosen with ←/→ or w"
            };
            return Err(format!("{how}; digits type a number"));
        }
        let mut entry = Self {
            setting,
            text: String::new(),
        };
        if let Key::Char(c) = key {
            entry.push(c);
        }
        Ok(entry)
    }

    /// A key while the value is typed into `spec`: digits build it, Enter
    /// keeps it if valid (else the reason shows and the text stays), Esc
    /// drops it.
    pub fn on_key(&mut self, key: Key, spec: &Work) -> Typed {
        match key {
            Key::Esc => Typed::Dropped,
            Key::Enter => match parse_typed(spec, self.setting, &self.text)
                .and_then(|next| next.validate().map(|()| next).map_err(|e| e.to_string()))
            {
                Ok(next) => Typed::Kept(next),
                Err(why) => Typed::Editing(Some(format!("refused: {why}"))),
            },
            Key::Backspace => {
                self.text.pop();
                Typed::Editing(None)
            }
            Key::Char(c) if self.push(c) => Typed::Editing(None),
            _ => Typed::Editing(Some(format!(
                "typing {}: digits{}, Enter keeps it, Esc drops it",
                self.setting.label(),
                if self.setting.takes_fractions() {
                    " and a dot"
                } else {
                    ""
                }
            ))),
        }
    }

    /// Adds a typed character if it can belong to a value of this setting.
    pub fn push(&mut self, c: char) -> bool {
        let allowed = c.is_ascii_digit()
            || (c == '.' && self.setting.takes_fractions() && !self.text.contains('.'));
        if allowed && self.text.len() < Self::MAX_LEN {
            self.text.push(c);
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    //! Unit tests of the settings: their ladders, typed values and rows.

    use super::*;

    const SEED: Work = Work::SEED_DEMO;

    #[test]
    fn workers_double_and_halve() {
        let up = step(&SEED, Setting::Workers, true).unwrap();
        assert_eq!(up.workers, 16);
        assert_eq!(step(&SEED, Setting::Workers, false).unwrap().workers, 4);
        let odd = Work {
            workers: 24,
            ..SEED
        };
        assert_eq!(step(&odd, Setting::Workers, true).unwrap().workers, 32);
        assert_eq!(step(&odd, Setting::Workers, false).unwrap().workers, 16);
        let one = Work { workers: 1, ..SEED };
        assert_eq!(step(&one, Setting::Workers, false), None);
    }

    #[test]
    fn task_time_walks_a_ladder_from_microseconds_to_a_minute() {
        assert_eq!(step(&SEED, Setting::TaskMs, true).unwrap().task_ms, 200.0);
        assert_eq!(step(&SEED, Setting::TaskMs, false).unwrap().task_ms, 50.0);
        let tiny = Work {
            task_ms: 0.001,
            ..SEED
        };
        assert_eq!(step(&tiny, Setting::TaskMs, false).unwrap().task_ms, 0.0005);
        assert_eq!(step(&tiny, Setting::TaskMs, true).unwrap().task_ms, 0.002);
        let least = Work {
            task_ms: 0.0001,
            ..SEED
        };
        assert_eq!(
            step(&least, Setting::TaskMs, false),
            None,
            "100 ns is the floor"
        );
        let odd = Work {
            task_ms: 0.3,
            ..SEED
        };
        assert_eq!(step(&odd, Setting::TaskMs, true).unwrap().task_ms, 0.5);
    }

    #[test]
    fn tasks_step_through_sensible_counts() {
        assert_eq!(step(&SEED, Setting::Tasks, true).unwrap().tasks, 32);
        assert_eq!(step(&SEED, Setting::Tasks, false).unwrap().tasks, 16);
        let max = Work {
            tasks: 10_000_000,
            ..SEED
        };
        assert_eq!(step(&max, Setting::Tasks, true), None);
    }

    #[test]
    fn the_default_task_time_follows_the_workload() {
        let tiny = with_workload(&SEED, WorkloadKind::Tiny);
        assert_eq!(tiny.task_ms, 0.005);
        assert_eq!(with_workload(&tiny, WorkloadKind::Sleep).task_ms, 100.0);
        let custom = Work {
            task_ms: 40.0,
            ..SEED
        };
        assert_eq!(with_workload(&custom, WorkloadKind::Tiny).task_ms, 40.0);
        let back = step(&SEED, Setting::Workload, false).unwrap();
        assert_eq!(Some(&back.workload), WorkloadKind::VARIANTS.last());
    }

    #[test]
    fn typed_values_are_parsed_with_their_range() {
        assert_eq!(
            parse_typed(&SEED, Setting::Workers, "24").unwrap().workers,
            24
        );
        assert_eq!(
            parse_typed(&SEED, Setting::TaskMs, "0.5").unwrap().task_ms,
            0.5
        );
        let err = parse_typed(&SEED, Setting::Workers, "5000").unwrap_err();
        assert!(err.contains("1 to 1024"), "{err}");
        assert!(parse_typed(&SEED, Setting::Workload, "1").is_err());
    }

    #[test]
    fn entries_accept_only_what_a_value_can_hold() {
        let mut tasks = Entry {
            setting: Setting::Tasks,
            text: String::new(),
        };
        assert!(tasks.push('4'));
        assert!(!tasks.push('.'));
        let mut ms = Entry {
            setting: Setting::TaskMs,
            text: String::new(),
        };
        for c in "0.5.".chars() {
            ms.push(c);
        }
        assert_eq!(ms.text, "0.5");
    }

    #[test]
    fn the_serial_part_steps_in_percent_up_to_95() {
        let amdahl = with_workload(&SEED, WorkloadKind::SerialFraction);
        assert_eq!(Setting::shown(&amdahl).len(), 5);
        let up = step(&amdahl, Setting::SerialPart, true).unwrap();
        assert!(up.serial_fraction > amdahl.serial_fraction);
        let top = Work {
            serial_fraction: 0.95,
            ..amdahl
        };
        assert_eq!(step(&top, Setting::SerialPart, true), None);
        let down = step(&top, Setting::SerialPart, false).unwrap();
        assert!((down.serial_fraction - 0.90).abs() < 1e-12);
        let zero = Work {
            serial_fraction: 0.0,
            ..amdahl
        };
        assert_eq!(step(&zero, Setting::SerialPart, false), None);
        assert_eq!(Setting::SerialPart.value(&top), "95.0 % of the work");
    }

    #[test]
    fn the_serial_part_is_typed_in_percent() {
        let typed = parse_typed(&SEED, Setting::SerialPart, "12.5").unwrap();
        assert!((typed.serial_fraction - 0.125).abs() < 1e-12);
        let err = parse_typed(&SEED, Setting::SerialPart, "100").unwrap_err();
        assert!(err.contains("up to but not including 100"), "{err}");
        let mut entry = Entry {
            setting: Setting::SerialPart,
            text: String::new(),
        };
        for c in "2.5.".chars() {
            entry.push(c);
        }
        assert_eq!(entry.text, "2.5");
    }

    #[test]
    fn the_serial_part_row_is_shown_only_for_its_workload() {
        assert_eq!(Setting::shown(&SEED).len(), 4);
        assert_eq!(Setting::SerialPart.keep_shown(&SEED), Setting::Workload);
        assert_eq!(Setting::TaskMs.moved(&SEED, true), Setting::Tasks);
        let amdahl = with_workload(&SEED, WorkloadKind::SerialFraction);
        assert_eq!(Setting::TaskMs.moved(&amdahl, true), Setting::SerialPart);
        assert_eq!(Setting::Tasks.moved(&amdahl, false), Setting::SerialPart);
        assert_eq!(Setting::SerialPart.keep_shown(&amdahl), Setting::SerialPart);
    }

    #[test]
    fn selection_wraps_both_ways() {
        assert_eq!(Setting::TaskMs.moved(&SEED, true), Setting::Tasks);
        assert_eq!(Setting::Tasks.moved(&SEED, false), Setting::TaskMs);
        assert_eq!(Setting::Workload.value(&SEED), "sleep");
        assert_eq!(Setting::TaskMs.value(&SEED), "100 ms");
    }

    #[test]
    fn the_schedule_row_appears_off_the_default_and_walks_its_chunks() {
        use crate::schedule::Schedule;
        assert!(!Setting::shown(&SEED).contains(&Setting::Schedule));
        let stat = step(&SEED, Setting::Schedule, true).unwrap();
        assert_eq!(stat.schedule, Schedule::Static);
        assert_eq!(Setting::shown(&stat).last(), Some(&Setting::Schedule));
        let dynamic = step(&stat, Setting::Schedule, true).unwrap();
        assert_eq!(dynamic.schedule, Schedule::Dynamic { chunk: 1 });
        let two = step(&dynamic, Setting::Schedule, true).unwrap();
        assert_eq!(Setting::Schedule.value(&two), "dynamic, chunk 2");
        assert_eq!(step(&dynamic, Setting::Schedule, false), Some(stat));
        assert_eq!(step(&SEED, Setting::Schedule, false), None);
        let top = Work {
            schedule: Schedule::Dynamic { chunk: 1_000_000 },
            ..SEED
        };
        assert_eq!(step(&top, Setting::Schedule, true), None);
        let typed = parse_typed(&SEED, Setting::Schedule, "1000").unwrap();
        assert_eq!(typed.schedule, Schedule::Dynamic { chunk: 1000 });
        assert!(parse_typed(&SEED, Setting::Schedule, "0").is_err());
    }
}
