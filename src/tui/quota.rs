//! The quota counts behind the interview's warnings. Reading every response can take a while
//! with many files, so the counts are made once, on a thread, when the start screen first
//! opens, and then kept up to date in memory as interviews are completed here.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

use super::screens::interview::InterviewScreen;
use super::strings::{fill, strings};
use crate::municipality;
use crate::questionnaire::Form;
use crate::store::{Response, Store};
use crate::targets::{self, QuotaTracker, QuotaWarning};

/// The trackers by questionnaire id, or the thread still counting.
#[derive(Debug, Default)]
pub struct Quotas {
    loader: Option<Receiver<HashMap<String, QuotaTracker>>>,
    started: bool,
    forms: Vec<Arc<Form>>,
    trackers: HashMap<String, QuotaTracker>,
    /// Interviews completed while counting (which may have missed them); each is counted
    /// once when the counts arrive.
    pending: Vec<Response>,
}

impl Quotas {
    /// Starts counting, the first time only, for every questionnaire with targets.
    pub fn start(&mut self, forms: &[Arc<Form>], store: &Store, data_dir: PathBuf) {
        if self.started {
            return;
        }
        self.started = true;
        self.forms = forms.to_vec();
        let (tx, rx) = mpsc::channel();
        let forms = forms.to_vec();
        let store = store.clone();
        std::thread::spawn(move || {
            let _ = tx.send(count(&forms, &store, &data_dir));
        });
        self.loader = Some(rx);
    }

    /// Whether the counting is under way.
    pub fn is_loading(&self) -> bool {
        self.loader.is_some()
    }

    /// Takes in the counts when ready (waiting up to `wait`); returns whether they came.
    pub fn poll(&mut self, wait: Option<Duration>) -> bool {
        let Some(rx) = &self.loader else {
            return false;
        };
        let counted = match wait {
            Some(timeout) => rx
                .recv_timeout(timeout)
                .map_err(|e| e == RecvTimeoutError::Disconnected),
            None => rx.try_recv().map_err(|e| e == TryRecvError::Disconnected),
        };
        match counted {
            Ok(trackers) => {
                self.trackers = trackers;
                self.loader = None;
                for response in std::mem::take(&mut self.pending) {
                    self.count_completed(&response);
                }
                true
            }
            // The counting thread died: no warnings rather than waiting for ever.
            Err(true) => {
                self.loader = None;
                self.pending.clear();
                false
            }
            Err(false) => false,
        }
    }

    /// Counts an interview completed in this session (once the counts are there).
    pub fn record_completed(&mut self, response: &Response) {
        if self.is_loading() {
            self.pending.push(response.clone());
        } else {
            self.count_completed(response);
        }
    }

    fn count_completed(&mut self, response: &Response) {
        let form = self.forms.iter().find(|f| f.id() == response.questionnaire);
        if let (Some(form), Some(tracker)) = (form, self.trackers.get_mut(&response.questionnaire))
        {
            tracker.record_completed(form, response);
        }
    }

    /// Gives `screen` the warnings for its respondent in `lang`, remade only when the answers
    /// or the language changed, or the counts arrived.
    pub fn refresh(&self, screen: &mut InterviewScreen, lang: &str, counts_changed: bool) {
        let made_for = (screen.interview.generation(), lang.to_owned());
        if !counts_changed && screen.quota.made_for.as_ref() == Some(&made_for) {
            return;
        }
        let form = screen.interview.form();
        let response = screen.interview.response();
        screen.quota.messages = self
            .trackers
            .get(form.id())
            .filter(|t| !t.is_counted(response.id))
            .map(|t| {
                t.warnings(form, &response.municipality, &response.answers)
                    .iter()
                    .map(|w| message(t, form, w, lang))
                    .collect()
            })
            .unwrap_or_default();
        screen.quota.made_for = Some(made_for);
    }
}

/// The quota warnings shown on the interview screen, and the answers and language they were
/// made for.
#[derive(Debug, Clone, Default)]
pub struct QuotaView {
    pub messages: Vec<String>,
    made_for: Option<(u64, String)>,
}

/// One warning in words, in `lang`.
fn message(tracker: &QuotaTracker, form: &Form, warning: &QuotaWarning, lang: &str) -> String {
    let s = strings(lang);
    match warning {
        QuotaWarning::MunicipalityReached {
            code,
            achieved,
            target,
        } => {
            let place = municipality::bundled()
                .get(code)
                .map_or(code.as_str(), |m| m.name(lang));
            let counts = [achieved.to_string(), target.to_string()];
            fill(
                s.quota_municipality_reached,
                &[place, &counts[0], &counts[1]],
            )
        }
        QuotaWarning::CellFull {
            bands,
            achieved,
            target,
        } => {
            let cell = tracker.targets().describe_cell(form, bands, lang);
            let counts = [achieved.to_string(), target.to_string()];
            fill(s.quota_cell_full, &[&cell, &counts[0], &counts[1]])
        }
    }
}

/// The trackers for the questionnaires whose targets can be read; one with no targets or a
/// broken targets file (which `anketa progress` reports) gets no warnings.
fn count(
    forms: &[Arc<Form>],
    store: &Store,
    data_dir: &std::path::Path,
) -> HashMap<String, QuotaTracker> {
    let mut out = HashMap::new();
    for form in forms {
        let Ok(Some((targets, _))) = targets::find(form, None, None, data_dir) else {
            continue;
        };
        let Ok(report) = store.load(form) else {
            continue;
        };
        out.insert(
            form.id().to_owned(),
            QuotaTracker::new(targets, form, &report.responses),
        );
    }
    out
}
