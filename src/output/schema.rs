//! The stamp on every JSON export (`run`, `sweep`, `info`): which kind of
//! export it is and which version of its layout, so a reader such as
//! `parlab compare` can tell a parlab file from any other JSON and refuse
//! one whose layout it does not know instead of misreading it.
//!
//! The stamp is two fields at the top of the object: `"kind":
//! "parlab-run"` (or `parlab-sweep`, `parlab-info`) and `"schema": 2`.
//! [`SCHEMA`] changes when a field that readers rely on changes meaning or
//! goes away; adding a field does not change it.

use serde::Serialize;
use serde_json::Value;

/// The layout version this parlab writes: 2 puts the work settings in one
/// `work` object.
pub const SCHEMA: u64 = 2;

/// The oldest layout this parlab still reads: schema 1 kept the work
/// settings at the top level.
pub const OLDEST_READ: u64 = 1;

/// Which command wrote an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// `parlab run --format json`.
    Run,
    /// `parlab sweep --format json`.
    Sweep,
    /// `parlab info --format json`.
    Info,
    /// `parlab lesson --format json`.
    Lesson,
    /// `parlab run --pool all --format json`: one run report per pool.
    Pools,
    /// `parlab check --format json`: the core-scaling check.
    Check,
}

impl ExportKind {
    const ALL: [Self; 6] = [
        Self::Run,
        Self::Sweep,
        Self::Info,
        Self::Lesson,
        Self::Pools,
        Self::Check,
    ];

    /// The value of the `kind` field.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Run => "parlab-run",
            Self::Sweep => "parlab-sweep",
            Self::Info => "parlab-info",
            Self::Lesson => "parlab-lesson",
            Self::Pools => "parlab-pools",
            Self::Check => "parlab-check",
        }
    }

    /// The command that writes it, for messages.
    pub fn command(self) -> &'static str {
        match self {
            Self::Run => "parlab run",
            Self::Sweep => "parlab sweep",
            Self::Info => "parlab info",
            Self::Lesson => "parlab lesson",
            Self::Pools => "parlab run --pool all",
            Self::Check => "parlab check",
        }
    }
}

/// An export's body with its stamp in front.
#[derive(Serialize)]
struct Stamped<'a, T: Serialize> {
    kind: &'static str,
    schema: u64,
    #[serde(flatten)]
    body: &'a T,
}

/// `body` as pretty JSON with the stamp of `kind` first, and a newline.
pub fn stamped_json<T: Serialize>(kind: ExportKind, body: &T) -> serde_json::Result<String> {
    let stamped = Stamped {
        kind: kind.tag(),
        schema: SCHEMA,
        body,
    };
    Ok(serde_json::to_string_pretty(&stamped)? + "\n")
}

/// Why a JSON value is not an export this parlab can read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SchemaError {
    /// Not a JSON object, or one without a parlab `kind`.
    #[error("not a parlab export ({0})")]
    Foreign(String),
    /// A parlab export from before exports carried a schema.
    #[error("a parlab export from before exports carried a schema version; export it again")]
    Unversioned,
    /// A layout version this parlab does not read.
    #[error(
        "written with export schema {found}; this parlab reads schemas {OLDEST_READ} to {SCHEMA}"
    )]
    Incompatible {
        /// The version in the file.
        found: u64,
    },
}

/// Checks the stamp of `value` and returns the kind of export it is.
pub fn check(value: &Value) -> Result<ExportKind, SchemaError> {
    let Some(object) = value.as_object() else {
        return Err(SchemaError::Foreign("not a JSON object".into()));
    };
    let Some(kind) = object.get("kind") else {
        let looks_like_parlab = ["workload", "machine", "serial_s"]
            .iter()
            .all(|key| object.contains_key(*key));
        return Err(if looks_like_parlab {
            SchemaError::Unversioned
        } else {
            SchemaError::Foreign("no \"kind\" field".into())
        });
    };
    let Some(kind) = ExportKind::ALL.into_iter().find(|k| kind == k.tag()) else {
        return Err(SchemaError::Foreign(format!("\"kind\" is {kind}")));
    };
    match object.get("schema").and_then(Value::as_u64) {
        Some(OLDEST_READ..=SCHEMA) => Ok(kind),
        Some(found) => Err(SchemaError::Incompatible { found }),
        None => Err(SchemaError::Foreign("no numeric \"schema\" field".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_stamp_comes_first_and_checks_back() {
        let text = stamped_json(ExportKind::Sweep, &json!({ "tasks": 3 })).unwrap();
        assert!(
            text.starts_with("{\n  \"kind\": \"parlab-sweep\",\n  \"schema\": 2,"),
            "{text}"
        );
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(check(&value), Ok(ExportKind::Sweep));
        assert_eq!(value["tasks"], 3);
    }

    #[test]
    fn foreign_old_and_newer_files_are_told_apart() {
        let foreign = |why: &str| Err(SchemaError::Foreign(why.into()));
        assert_eq!(check(&json!([1, 2])), foreign("not a JSON object"));
        assert_eq!(check(&json!({ "name": "x" })), foreign("no \"kind\" field"));
        assert_eq!(
            check(&json!({ "kind": "photo", "schema": 1 })),
            foreign("\"kind\" is \"photo\"")
        );
        assert_eq!(
            check(&json!({ "kind": "parlab-run" })),
            foreign("no numeric \"schema\" field")
        );
        let old = json!({ "workload": "cpu", "machine": {}, "serial_s": 1.0 });
        assert_eq!(check(&old), Err(SchemaError::Unversioned));
        let older = json!({ "kind": "parlab-run", "schema": 1 });
        assert_eq!(check(&older), Ok(ExportKind::Run));
        let newer = json!({ "kind": "parlab-run", "schema": 3 });
        assert_eq!(check(&newer), Err(SchemaError::Incompatible { found: 3 }));
        assert_eq!(
            SchemaError::Incompatible { found: 3 }.to_string(),
            "written with export schema 3; this parlab reads schemas 1 to 2"
        );
    }
}
