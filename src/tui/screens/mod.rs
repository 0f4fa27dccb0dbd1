//! The screens of the interview side of anketa and the moves between them.

pub mod home;
pub mod interview;
pub mod start;

use std::path::PathBuf;
use std::sync::Arc;

use uuid::Uuid;

use crate::outcome::Outcome;
use crate::questionnaire::Form;

/// A message for the home screen, drawn in the language of the moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Paused,
    Completed,
    /// The interview was closed with a non-interview or partial outcome.
    Ended(Outcome),
    Locked,
    /// A draft was deleted; its copy is kept here.
    Deleted(PathBuf),
    Error(String),
}

/// A move from one screen to another, decided by a screen's update and carried out by the app.
#[derive(Debug)]
pub enum Transition {
    Home(Option<Notice>),
    NewInterview,
    Begin {
        form: Arc<Form>,
        interviewer: String,
        municipality: String,
    },
    /// Go on with a draft: the app locks it and reads it as it is on disk now.
    Resume(Uuid, Arc<Form>),
    /// Show a completed interview read-only (nothing is written).
    View(Uuid, Arc<Form>),
    /// Edit a completed interview: `by` makes the edit, for `reason`.
    Edit {
        id: Uuid,
        form: Arc<Form>,
        by: String,
        reason: String,
    },
    /// Delete a draft (kept under `history/`), by `by`.
    Delete {
        id: Uuid,
        form: Arc<Form>,
        by: String,
    },
    Dashboard(Arc<Form>),
    Export(Arc<Form>),
    Quit,
}
