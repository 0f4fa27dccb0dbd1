//! Where questionnaires come from: the ones built into the binary, the data folder's
//! `questionnaires/` folder, or a path given on the command line.

use std::path::{Path, PathBuf};

use super::{Form, LoadError, load_path, load_str};

/// The questionnaires compiled into the binary, so an installed `anketa` works from any folder.
pub const BUNDLED: &[(&str, &str)] = &[(
    "civic-participation-bg",
    include_str!("../../questionnaires/civic-participation-bg.json"),
)];

/// Why no questionnaire could be chosen.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("no questionnaire `{0}`: give a bundled id ({1}) or the path of a .json file")]
    Unknown(String, String),
}

/// The bundled questionnaire with this id.
pub fn bundled(id: &str) -> Option<Result<Form, LoadError>> {
    BUNDLED
        .iter()
        .find(|(bundled_id, _)| *bundled_id == id)
        .map(|(id, text)| load_str(text, &format!("bundled questionnaire {id}")))
}

/// The default questionnaire: the first bundled one.
pub fn default_form() -> Result<Form, LoadError> {
    let (id, text) = BUNDLED[0];
    load_str(text, &format!("bundled questionnaire {id}"))
}

/// The questionnaire a response file names by `id`: `DATA_DIR/questionnaires/<id>.json`, else
/// the bundled one. An id from a file is never read as a path of its own; an unsafe one is
/// refused. The error says why, for a report.
pub fn for_response(id: &str, data_dir: &Path) -> Result<Form, String> {
    if !crate::store::is_safe_id(id) {
        return Err(format!(
            "questionnaire id {id:?} is not usable in a file name"
        ));
    }
    let local = data_dir.join("questionnaires").join(format!("{id}.json"));
    if local.is_file() {
        return load_path(&local).map_err(|e| e.to_string());
    }
    match bundled(id) {
        Some(form) => form.map_err(|e| e.to_string()),
        None => Err(format!(
            "no questionnaire `{id}` here (bundled or in {})",
            local.display()
        )),
    }
}

/// Resolves `--questionnaire ID|PATH`.
///
/// A value naming an existing file, or ending in `.json`, is a path. Otherwise it is an id,
/// looked up first in `DATA_DIR/questionnaires/ID.json` (so a study can ship its own version)
/// and then among the bundled ones. `None` means the default questionnaire.
pub fn resolve(spec: Option<&str>, data_dir: &Path) -> Result<Form, CatalogError> {
    let Some(spec) = spec else {
        return Ok(default_form()?);
    };
    let as_path = PathBuf::from(spec);
    if as_path.is_file() || spec.ends_with(".json") {
        return Ok(load_path(&as_path)?);
    }
    let local = data_dir.join("questionnaires").join(format!("{spec}.json"));
    if crate::store::is_safe_id(spec) && local.is_file() {
        return Ok(load_path(&local)?);
    }
    match bundled(spec) {
        Some(form) => Ok(form?),
        None => Err(CatalogError::Unknown(
            spec.to_owned(),
            BUNDLED
                .iter()
                .map(|(id, _)| *id)
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_questionnaire_is_valid() {
        for (id, _) in BUNDLED {
            let form = bundled(id).unwrap().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(form.id(), *id);
        }
    }

    #[test]
    fn unknown_ids_name_the_alternatives() {
        let err = resolve(Some("nope"), Path::new("/nonexistent")).unwrap_err();
        assert!(err.to_string().contains("civic-participation-bg"), "{err}");
    }
}
