//! Settings remembered between runs, in `config.json` in the config folder
//! ([`crate::paths::Paths::config_dir`]): the interviewer's name, so that a field researcher
//! types it once per laptop. The language is deliberately not remembered: every session starts
//! in the questionnaire's first language (Bulgarian), whoever used English last.
//!
//! A missing file is the default configuration. A file that cannot be read is reported and left
//! as it is; it is replaced only when the settings are saved again.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::store::atomic;
use crate::store::read::{self, Links};

/// The remembered settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// The name typed at the start of the last interview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interviewer: Option<String>,
}

/// Why the settings could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the settings file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the settings file {path} is not valid ({message}); it is left as it is")]
    Invalid { path: PathBuf, message: String },
    #[error("cannot save the settings to {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Config {
    /// The settings file inside `config_dir`.
    pub fn path(config_dir: &Path) -> PathBuf {
        config_dir.join("config.json")
    }

    /// Reads the settings; a missing file gives the defaults.
    pub fn load(config_dir: &Path) -> Result<Self, ConfigError> {
        let path = Self::path(config_dir);
        let bytes = match read::read(&path, Links::Follow, read::MAX_DEFINITION_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        serde_json::from_slice(&bytes).map_err(|e| ConfigError::Invalid {
            path,
            message: e.to_string(),
        })
    }

    /// Writes the settings atomically, creating the folder (mode 0700) when needed.
    pub fn save(&self, config_dir: &Path) -> Result<(), ConfigError> {
        let path = Self::path(config_dir);
        let write_err = |source| ConfigError::Write {
            path: path.clone(),
            source,
        };
        atomic::create_private_dir(config_dir).map_err(write_err)?;
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| write_err(e.into()))?;
        bytes.push(b'\n');
        atomic::write_atomic(&path, &bytes, true).map_err(write_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults_and_saving_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("nested");
        assert_eq!(Config::load(&sub).unwrap(), Config::default());
        let config = Config {
            interviewer: Some("Мария Иванова".into()),
        };
        config.save(&sub).unwrap();
        assert_eq!(Config::load(&sub).unwrap(), config);
    }

    #[test]
    fn a_corrupt_file_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = Config::path(dir.path());
        std::fs::write(&path, b"{not json").unwrap();
        let err = Config::load(dir.path()).unwrap_err();
        assert!(err.to_string().contains("config.json"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"{not json");
    }
}
