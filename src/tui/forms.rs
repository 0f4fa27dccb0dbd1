//! The questionnaires the interface offers.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::questionnaire::{Form, catalog, load_path};

/// The bundled questionnaires and those in `DATA_DIR/questionnaires/` (a local file with a
/// bundled id replaces the bundled one), with a message for each file that failed to load.
pub fn available_forms(data_dir: &Path) -> (Vec<Arc<Form>>, Vec<String>) {
    let mut forms: Vec<Arc<Form>> = Vec::new();
    let mut problems = Vec::new();
    for (id, _) in catalog::BUNDLED {
        match catalog::resolve(Some(id), data_dir) {
            Ok(form) => forms.push(Arc::new(form)),
            Err(e) => problems.push(e.to_string()),
        }
    }
    let dir = data_dir.join("questionnaires");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    // Targets files (`<id>.targets.json`) live beside the questionnaires.
    let is_questionnaire = |p: &&PathBuf| {
        p.extension().is_some_and(|e| e == "json")
            && !p.to_string_lossy().ends_with(".targets.json")
    };
    for path in paths.iter().filter(is_questionnaire) {
        match load_path(path) {
            Ok(form) if !forms.iter().any(|f| f.id() == form.id()) => forms.push(Arc::new(form)),
            Ok(_) => {}
            Err(e) => problems.push(e.to_string()),
        }
    }
    (forms, problems)
}
