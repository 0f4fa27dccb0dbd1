//! The field team: the interviewers' names a coordinator provides in `DIR/team.json`, so that
//! interviewers pick their name instead of typing it (and every file spells it the same way).
//!
//! ```json
//! { "interviewers": ["Мария Петрова", "Иван Иванов"] }
//! ```
//!
//! The file is optional. One that cannot be used is reported with its place and never
//! changed; the interviewer can still type a name.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file's name in the data folder.
pub const FILE_NAME: &str = "team.json";

/// The longest name accepted, in characters (the start screen's limit too).
pub const MAX_NAME_CHARS: usize = 80;

/// The interviewers listed in a team file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Team {
    pub interviewers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamFile {
    interviewers: Vec<String>,
}

/// Why a team file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: interviewer {index} {problem}")]
    Name {
        path: PathBuf,
        index: usize,
        problem: String,
    },
}

impl Team {
    /// Reads `DIR/team.json`; `Ok(None)` when there is none.
    pub fn load(data_dir: &Path) -> Result<Option<Self>, TeamError> {
        let path = data_dir.join(FILE_NAME);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(TeamError::Read { path, source }),
        };
        Self::parse(&bytes, &path).map(Some)
    }

    /// Parses the contents of a team file named `path` (for messages).
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Self, TeamError> {
        let file: TeamFile = serde_json::from_slice(bytes).map_err(|e| TeamError::Syntax {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let mut interviewers: Vec<String> = Vec::new();
        for (i, name) in file.interviewers.iter().enumerate() {
            let problem = if name.trim().is_empty() {
                Some("is empty".to_owned())
            } else if name.chars().any(char::is_control) {
                Some(format!("{name:?} contains a control character"))
            } else if name.chars().count() > MAX_NAME_CHARS {
                Some(format!("is longer than {MAX_NAME_CHARS} characters"))
            } else if interviewers.iter().any(|n| n == name.trim()) {
                Some(format!("{:?} is listed twice", name.trim()))
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(TeamError::Name {
                    path: path.to_owned(),
                    index: i + 1,
                    problem,
                });
            }
            interviewers.push(name.trim().to_owned());
        }
        Ok(Self { interviewers })
    }

    /// The names containing `typed` (any case, any position), in the file's order.
    pub fn matching(&self, typed: &str) -> Vec<&str> {
        let typed = typed.trim().to_lowercase();
        self.interviewers
            .iter()
            .filter(|n| n.to_lowercase().contains(&typed))
            .map(String::as_str)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_and_matched_in_any_case() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Team::load(dir.path()).unwrap(), None);
        let json = r#"{"interviewers": ["Мария Петрова", " Иван Иванов "]}"#;
        std::fs::write(dir.path().join(FILE_NAME), json).unwrap();
        let team = Team::load(dir.path()).unwrap().unwrap();
        assert_eq!(team.interviewers, ["Мария Петрова", "Иван Иванов"]);
        assert_eq!(team.matching("ива"), ["Иван Иванов"]);
        assert_eq!(team.matching("").len(), 2);
    }

    #[test]
    fn a_corrupt_file_names_the_place_and_is_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let cases: [(&[u8], &str); 5] = [
            (b"{\"interviewers\": [\"A\",", "team.json:1:"),
            (b"[\"A\"]", "invalid type"),
            (
                b"{\"interviewers\": [\"A\", \"\"]}",
                "interviewer 2 is empty",
            ),
            (b"{\"interviewers\": [\"A\", \"A\"]}", "listed twice"),
            (b"{\"names\": []}", "unknown field"),
        ];
        for (bytes, expected) in cases {
            std::fs::write(&path, bytes).unwrap();
            let err = Team::load(dir.path()).unwrap_err().to_string();
            assert!(err.contains(expected), "{err} lacks {expected}");
            assert_eq!(std::fs::read(&path).unwrap(), bytes);
        }
    }
}
