//! The screens of the interview side of anketa and the moves between them.

pub mod home;
pub mod interview;
pub mod start;

use std::sync::Arc;

use crate::questionnaire::Form;
use crate::store::Response;

/// A message for the home screen, drawn in the language of the moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Paused,
    Completed,
    Locked,
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
    Resume(Box<Response>, Arc<Form>),
    Reopen(Box<Response>, Arc<Form>),
    Dashboard(Arc<Form>),
    Export(Arc<Form>),
    Quit,
}
