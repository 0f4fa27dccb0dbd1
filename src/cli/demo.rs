//! `anketa demo`: a sample study in a temporary folder, opened in the dashboards.
//!
//! The demo never touches the user's data folder: it writes into a fresh temporary folder that
//! is removed when the demo ends, or into `--keep DIR` when the sample should stay.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::output::outln;
use crate::municipality;
use crate::questionnaire::catalog;
use crate::simulate::{DEFAULT_SEED, Nonresponse, Options, SiteChoice, Summary};
use crate::store::Store;

/// The demo's municipalities: the largest cities, a few mid-sized ones and small Сливница,
/// so that both big and small samples appear on the dashboards.
pub const DEMO_MUNICIPALITIES: &[&str] = &[
    "SOF46", // Столична
    "PDV22", // Пловдив
    "VAR06", // Варна
    "BGS04", // Бургас
    "RSE27", // Русе
    "SZR31", // Стара Загора
    "SLV20", // Сливен
    "PVN24", // Плевен
    "JAM26", // Ямбол
    "BLG03", // Благоевград
    "GAB05", // Габрово
    "SFO45", // Сливница
];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of cases in the sample (about a third end without an interview).
    #[arg(long, default_value_t = 3_000, value_name = "N")]
    pub responses: usize,
    /// Seed of the sample.
    #[arg(long, default_value_t = DEFAULT_SEED, value_name = "S")]
    pub seed: u64,
    /// Write the sample into DIR (a new or empty folder) and keep it, instead of a temporary
    /// folder removed on exit. Open it later with `anketa --data-dir DIR`.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Only write the sample and print its summary; do not open the dashboards.
    #[arg(long)]
    pub no_ui: bool,
}

/// Writes the sample and opens the dashboards on it.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let form = catalog::default_form().context("cannot load the bundled questionnaire")?;
    let (root, _temp) = match &args.keep {
        Some(dir) => {
            ensure_empty(dir)?;
            (dir.clone(), None)
        }
        None => {
            let temp = tempfile::Builder::new()
                .prefix("anketa-demo-")
                .tempdir()
                .context("cannot create a temporary folder for the demo")?;
            (temp.path().to_owned(), Some(temp))
        }
    };
    let store = Store::open(&root)?;
    let options = Options {
        responses: args.responses,
        seed: args.seed,
        sites: demo_sites(&form, &root),
        nonresponse: Nonresponse::TYPICAL,
        ..Options::default()
    };
    let summary = super::simulate::write(&form, &options, &store)?;
    print_sample(&summary);
    super::simulate::print_summary(&summary, &store.responses_dir(form.id())?);
    if args.no_ui {
        if args.keep.is_none() {
            outln!("the temporary sample is removed now; use --keep DIR to keep it");
        }
        return Ok(ExitCode::SUCCESS);
    }
    open_dashboards(&root)?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the dashboards on the sample's folder, exactly as `anketa dashboard --data-dir` does;
/// the temporary folder (held by the caller) lives until they close. The configuration also
/// stays inside the sample, so nothing of the user's own folders changes.
fn open_dashboards(root: &std::path::Path) -> anyhow::Result<()> {
    let paths = crate::paths::Paths {
        data_dir: root.to_owned(),
        config_dir: root.join("config"),
    };
    let args = super::dashboard::Args {
        questionnaire: super::QuestionnaireArg::default(),
        lang: None,
        filter: super::FilterArgs::default(),
    };
    super::dashboard::run(&args, &paths)
        .map(|_| ())
        .with_context(|| {
            format!(
                "the dashboards could not open; the sample is in {} (use --keep DIR to keep it \
                 and `anketa dashboard --data-dir DIR` to open it later)",
                root.display()
            )
        })
}

/// The demo's municipalities, weighted by the study's sample targets when there are any (the
/// bundled questionnaire ships an example), so the dashboards show fieldwork nearly done.
fn demo_sites(form: &crate::questionnaire::Form, root: &std::path::Path) -> SiteChoice {
    let planned = crate::targets::find(form, None, None, root)
        .ok()
        .flatten()
        .map(|(targets, _)| targets.municipalities)
        .filter(|m| !m.is_empty());
    match planned {
        Some(targets) => SiteChoice::Weighted(
            targets
                .into_iter()
                .map(|(code, n)| (code, f64::from(n.max(1))))
                .collect(),
        ),
        None => SiteChoice::Codes(
            DEMO_MUNICIPALITIES
                .iter()
                .map(|c| (*c).to_owned())
                .collect(),
        ),
    }
}

fn ensure_empty(dir: &std::path::Path) -> anyhow::Result<()> {
    let has_files = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if has_files {
        anyhow::bail!(
            "{} is not empty; --keep needs a new or empty folder so that the sample never \
             mixes with real data",
            dir.display()
        );
    }
    Ok(())
}

/// One line per municipality: name, interviews, interviewers.
fn print_sample(summary: &Summary) {
    let list = municipality::bundled();
    for (code, (interviews, interviewers)) in &summary.municipalities {
        let name = list.get(code).map_or(code.as_str(), |m| m.name_bg.as_str());
        outln!("  {code:<6} {name:<14} {interviews:>6} cases, {interviewers} interviewers");
    }
}
