//! The folders anketa uses, found in one way everywhere.
//!
//! Data: `--data-dir`, else `ANKETA_DATA_DIR`, else the platform's data folder from
//! `directories` (e.g. `~/.local/share/anketa` on Linux). Config (the remembered interviewer
//! name): `ANKETA_CONFIG_DIR`, else the platform's config folder.

use std::path::PathBuf;

use directories::ProjectDirs;

/// The resolved folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub data_dir: PathBuf,
    pub config_dir: PathBuf,
}

/// Why no folder could be found.
#[derive(Debug, thiserror::Error)]
#[error("cannot find a home folder for anketa's data; pass --data-dir DIR or set ANKETA_DATA_DIR")]
pub struct NoHome;

impl Paths {
    /// Resolves the folders; `data_dir` is the command line's or the environment's override.
    pub fn resolve(data_dir: Option<PathBuf>) -> Result<Self, NoHome> {
        let dirs = ProjectDirs::from("bg", "anketa", "anketa");
        let data_dir = match data_dir {
            Some(dir) => dir,
            None => dirs.as_ref().ok_or(NoHome)?.data_dir().to_owned(),
        };
        let config_dir = match std::env::var_os("ANKETA_CONFIG_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => match &dirs {
                Some(d) => d.config_dir().to_owned(),
                None => data_dir.join("config"),
            },
        };
        Ok(Self {
            data_dir,
            config_dir,
        })
    }
}
