//! Reading a questionnaire file, with errors that name the place.

use std::path::{Path, PathBuf};

use super::{Form, Issue, Questionnaire};
use crate::store::read::{self, Links};

/// Why a questionnaire could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not JSON, or JSON of the wrong shape (serde names the line and column).
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Well-formed but wrong: every problem found.
    #[error("{origin}: {} problem(s):\n{}", .issues.len(), list(.issues))]
    Invalid { origin: String, issues: Vec<Issue> },
}

fn list(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| format!("  - {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads and validates the questionnaire at `path`.
pub fn load_path(path: &Path) -> Result<Form, LoadError> {
    // Never blocks on a pipe given as the questionnaire, never reads a huge file whole.
    let bytes = read::read(path, Links::Follow, read::MAX_DEFINITION_BYTES).map_err(|source| {
        LoadError::Read {
            path: path.to_owned(),
            source,
        }
    })?;
    let origin = path.display().to_string();
    match std::str::from_utf8(&bytes) {
        Ok(text) => load_str(text, &origin),
        Err(e) => Err(LoadError::Syntax {
            origin,
            line: 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count(),
            column: 1,
            message: "the file is not valid UTF-8".to_owned(),
        }),
    }
}

/// Parses and validates a questionnaire; `origin` names it in errors (a path or "bundled").
pub fn load_str(text: &str, origin: &str) -> Result<Form, LoadError> {
    let questionnaire: Questionnaire =
        serde_json::from_str(text).map_err(|e| LoadError::Syntax {
            origin: origin.to_owned(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
    Form::new(questionnaire).map_err(|issues| LoadError::Invalid {
        origin: origin.to_owned(),
        issues,
    })
}

/// serde_json appends " at line L column C"; the position is already in the prefix.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = load_str("{\n  \"id\": \"x\",\n  oops\n}", "q.json").unwrap_err();
        match err {
            LoadError::Syntax { line, column, .. } => assert_eq!((line, column), (3, 3)),
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn unknown_fields_are_errors() {
        let text = r#"{"id":"x","version":"1","languages":["en"],"title":{"en":"T"},
            "sections":[{"id":"s","title":{"en":"S"},"questions":[
              {"id":"q","type":"text","label":{"en":"Q"},"requried":true}]}]}"#;
        let err = load_str(text, "q.json").unwrap_err().to_string();
        assert!(err.contains("unknown field `requried`"), "{err}");
        assert!(err.starts_with("q.json:3:"), "{err}");
    }
}
