//! Class paths: chosen steps of the lessons, in teaching order, each with
//! a suggested time to discuss it, so a teacher can fit a class into 50 or
//! 90 minutes. The paths ship in `assets/paths.toml`; their run times are
//! never written down, only measured (`parlab lesson --path NAME`).

use super::LessonSet;
use serde::Deserialize;
use std::time::Duration;

/// The shipped paths.
const SHIPPED: &str = include_str!("../../assets/paths.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaths {
    path: Vec<RawPath>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPath {
    name: String,
    title: String,
    minutes: u32,
    steps: Vec<RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    lesson: String,
    step: usize,
    discuss: f64,
}

/// One class path, resolved against the session's lessons.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassPath {
    /// What `--path` takes, e.g. `50`.
    pub name: String,
    /// What it is called, e.g. "A 50-minute class".
    pub title: String,
    /// How long the class is.
    pub minutes: u32,
    /// The steps, in teaching order.
    pub steps: Vec<PathStep>,
}

/// One step of a path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PathStep {
    /// The lesson's index in the set (0-based).
    pub lesson: usize,
    /// The step's index in the lesson (0-based).
    pub step: usize,
    /// Suggested time to discuss it, run aside.
    pub discuss: Duration,
}

impl ClassPath {
    /// The class's length.
    pub fn length(&self) -> Duration {
        Duration::from_secs(u64::from(self.minutes) * 60)
    }

    /// Every step's suggested discussion, added up.
    pub fn discussion(&self) -> Duration {
        self.steps.iter().map(|s| s.discuss).sum()
    }

    /// The steps of lesson `lesson` on this path (0-based), in order.
    pub fn steps_of(&self, lesson: usize) -> Vec<usize> {
        self.steps
            .iter()
            .filter(|s| s.lesson == lesson)
            .map(|s| s.step)
            .collect()
    }
}

/// The shipped paths resolved against `set`, and why any path had to be
/// left out (a teacher's folder replaced a lesson it uses and the step is
/// gone).
pub fn class_paths(set: &LessonSet) -> (Vec<ClassPath>, Vec<String>) {
    resolve(SHIPPED, set)
}

fn resolve(source: &str, set: &LessonSet) -> (Vec<ClassPath>, Vec<String>) {
    let raw: RawPaths = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => return (Vec::new(), vec![format!("paths.toml: {}", e.message())]),
    };
    let (mut paths, mut problems) = (Vec::new(), Vec::new());
    for path in raw.path {
        match resolve_path(&path, set) {
            Ok(resolved) => paths.push(resolved),
            Err(why) => problems.push(format!("class path {}: {why}", path.name)),
        }
    }
    (paths, problems)
}

fn resolve_path(raw: &RawPath, set: &LessonSet) -> Result<ClassPath, String> {
    let steps = raw
        .steps
        .iter()
        .map(|s| {
            let lesson = set
                .lessons
                .iter()
                .position(|l| l.file.strip_suffix(".toml") == Some(s.lesson.as_str()))
                .ok_or_else(|| format!("no lesson {}", s.lesson))?;
            let count = set.lessons[lesson].steps.len();
            if s.step == 0 || s.step > count {
                return Err(format!("{} has no step {}", s.lesson, s.step));
            }
            if !(s.discuss.is_finite() && (0.0..=60.0).contains(&s.discuss)) {
                return Err(format!(
                    "discuss must be 0 to 60 minutes, got {}",
                    s.discuss
                ));
            }
            Ok(PathStep {
                lesson,
                step: s.step - 1,
                discuss: Duration::from_secs_f64(s.discuss * 60.0),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ClassPath {
        name: raw.name.clone(),
        title: raw.title.clone(),
        minutes: raw.minutes,
        steps,
    })
}

/// The path called `name`.
pub fn find<'a>(paths: &'a [ClassPath], name: &str) -> Option<&'a ClassPath> {
    paths.iter().find(|p| p.name == name.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_paths_fit_their_class_in_teaching_order() {
        let set = LessonSet::shipped();
        let (paths, problems) = class_paths(&set);
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<&str> = paths.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["50", "90"]);
        for path in &paths {
            let order: Vec<(usize, usize)> =
                path.steps.iter().map(|s| (s.lesson, s.step)).collect();
            assert!(
                order.windows(2).all(|w| w[0] < w[1]),
                "{}: {order:?}",
                path.name
            );
            // Discussion leaves at least five minutes for the runs and the
            // start; the handout measures the runs themselves.
            assert!(
                path.discussion() + Duration::from_secs(300) <= path.length(),
                "{}: {:?}",
                path.name,
                path.discussion()
            );
        }
        let fifty = find(&paths, "50").unwrap();
        assert!(fifty.steps.len() >= 12);
        let sharing = set
            .lessons
            .iter()
            .position(|l| l.title == "Sharing memory")
            .unwrap();
        assert_eq!(fifty.steps_of(sharing), [0, 1, 2, 3]);
        assert!(find(&paths, "45").is_none());
    }

    #[test]
    fn a_path_step_missing_from_the_lessons_is_reported() {
        let set = LessonSet::shipped();
        let source = r#"
[[path]]
name = "x"
title = "X"
minutes = 10
steps = [{ lesson = "01-classic-demo", step = 9, discuss = 1 }]

[[path]]
name = "y"
title = "Y"
minutes = 10
steps = [{ lesson = "99-none", step = 1, discuss = 1 }]
"#;
        let (paths, problems) = resolve(source, &set);
        assert!(paths.is_empty());
        assert_eq!(
            problems,
            [
                "class path x: 01-classic-demo has no step 9",
                "class path y: no lesson 99-none"
            ]
        );
    }
}
