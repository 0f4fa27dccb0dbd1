//! The folders anketa uses, found in one way everywhere.
//!
//! Data: `--data-dir`, else `ANKETA_DATA_DIR`, else the platform's data folder from
//! `directories` (e.g. `~/.local/share/anketa` on Linux). Config (the remembered interviewer
//! name): `ANKETA_CONFIG_DIR`, else the platform's config folder.

use std::path::{Path, PathBuf};

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

/// Whether writing `a` and writing `b` would put two outputs in one file, however the two were
/// spelled: `same.csv` and `./same.csv`, `dir/../same.csv`, a link to a folder, a second hard
/// link (the same device and inode when both exist), or names that differ only in case or
/// Unicode form — one file on the case-insensitive file systems of USB sticks (FAT, exFAT),
/// macOS and Windows, and never two files a user means to tell apart.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b))
        && same_inode(&ma, &mb)
    {
        return true;
    }
    let (Some((dir_a, name_a)), Some((dir_b, name_b))) = (where_written(a), where_written(b))
    else {
        return a == b;
    };
    dir_a == dir_b && crate::text::name_key(&name_a) == crate::text::name_key(&name_b)
}

/// The folder a file `path` is written into, resolved (links, `.`, `..`), and its name.
fn where_written(path: &Path) -> Option<(PathBuf, String)> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // A folder that does not exist yet cannot be resolved; its absolute spelling is compared.
    let dir = std::fs::canonicalize(parent)
        .or_else(|_| std::path::absolute(parent))
        .ok()?;
    Some((dir, name))
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_in_any_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        let file = root.join("same.csv");
        assert!(
            same_file(&file, &root.join("./same.csv")),
            "before it exists"
        );
        assert!(same_file(&file, &root.join("sub/../same.csv")));
        assert!(same_file(&file, &root.join("SAME.csv")));
        assert!(!same_file(&file, &root.join("other.csv")));
        assert!(!same_file(&file, &root.join("sub/same.csv")));
        std::fs::write(&file, b"x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root, root.join("link")).unwrap();
            assert!(
                same_file(&file, &root.join("link/same.csv")),
                "through a link"
            );
            std::fs::hard_link(&file, root.join("hard.csv")).unwrap();
            assert!(
                same_file(&file, &root.join("hard.csv")),
                "a second hard link"
            );
        }
    }
}
