//! The terminal interface. Only this module knows ratatui and crossterm.

use crate::paths::Paths;

/// Opens the home screen.
pub fn run_home(paths: &Paths) -> anyhow::Result<()> {
    let _ = paths;
    anyhow::bail!("the home screen is not built yet; see `anketa --help`")
}

pub mod dashboard;
