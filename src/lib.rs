//! anketa: field surveys on civic participation in Bulgarian municipalities.
//!
//! Data flows one way. A questionnaire ([`questionnaire`], JSON under `questionnaires/`) drives
//! the interview state machine ([`interview`]), which saves each answer through the response
//! store ([`store`], one JSON file per interview). Statistics ([`stats`]), exports ([`export`])
//! and the terminal dashboards read the store's responses back. Everything but [`tui`] and
//! [`cli`] is free of the terminal and the command line, and is tested on its own.

pub mod cli;
pub mod config;
pub mod csv_out;
pub mod export;
pub mod i18n;
pub mod interview;
pub mod merge;
pub mod municipality;
pub mod outcome;
pub mod pack;
pub mod paths;
pub mod quality;
pub mod questionnaire;
pub mod simulate;
pub mod stats;
pub mod store;
pub mod targets;
pub mod text;
pub mod tui;
