//! `e`: writes what is on screen as a CSV file, atomically, under `DATA_DIR/exports/`.
//!
//! The exports folder is anketa's own: a symbolic link in its place is refused, never followed
//! (see [`crate::store::inside`]).

use std::path::{Path, PathBuf};

use super::views::Sheet;
use crate::store::inside::Folder;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot create the folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode the table as CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// The sheet as CSV bytes (UTF-8, header first), formula-guarded like every CSV anketa writes.
pub fn to_csv(sheet: &Sheet) -> Result<Vec<u8>, csv::Error> {
    crate::csv_out::table_bytes(&sheet.header, &sheet.rows)
}

/// Writes `sheet` to `folder/dashboard-<name>-<timestamp>.csv` and returns the path.
pub fn export(sheet: &Sheet, folder: &Path) -> Result<PathBuf, ExportError> {
    let data = folder.parent().unwrap_or(Path::new(""));
    let opened = match Folder::open(data, folder, true) {
        Ok(Some(opened)) => Ok(opened),
        Ok(None) => Err(std::io::ErrorKind::NotFound.into()),
        Err(e) => Err(e),
    };
    let opened = opened.map_err(|source| ExportError::Folder {
        path: folder.to_owned(),
        source,
    })?;
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S");
    let safe: String = sheet
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = format!("dashboard-{safe}-{stamp}.csv");
    let path = folder.join(&name);
    let bytes = to_csv(sheet)?;
    opened
        .write_atomic(name.as_ref(), &bytes, true, true)
        .map_err(|source| ExportError::Write {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_is_written_as_quoted_csv_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let sheet = Sheet {
            name: "question-x/../y".to_owned(),
            header: vec!["option".into(), "percent".into()],
            rows: vec![vec!["Да, \"често\"".into(), "42.3".into()]],
        };
        let path = export(&sheet, &dir.path().join("exports")).unwrap();
        assert!(path.starts_with(dir.path().join("exports")));
        assert!(!path.file_name().unwrap().to_string_lossy().contains('/'));
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "Да, \"често\"");
        assert_eq!(&rows[0][1], "42.3");
    }

    #[test]
    fn text_from_files_is_guarded_and_figures_are_not() {
        let sheet = Sheet {
            name: "interviewers".to_owned(),
            header: vec!["interviewer".into(), "change".into()],
            rows: vec![
                vec!["=HYPERLINK(\"http://evil\",\"x\")".into(), "-2.5".into()],
                vec!["@SUM(A1)".into(), "+1+1".into()],
            ],
        };
        let bytes = to_csv(&sheet).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "'=HYPERLINK(\"http://evil\",\"x\")");
        assert_eq!(&rows[0][1], "-2.5", "a negative figure stays a number");
        assert_eq!(&rows[1][0], "'@SUM(A1)");
        assert_eq!(&rows[1][1], "'+1+1");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_exports_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("exports")).unwrap();
        let sheet = Sheet {
            name: "x".to_owned(),
            header: vec!["a".into()],
            rows: vec![],
        };
        let err = export(&sheet, &dir.path().join("exports")).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }
}
