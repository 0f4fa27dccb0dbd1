//! Options shared by several subcommands.

use std::path::Path;

use anyhow::Context;
use jiff::civil::Date;

use crate::questionnaire::{Form, catalog};
use crate::store::{Cases, ResponseFilter};

/// `--questionnaire ID|PATH`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct QuestionnaireArg {
    /// Questionnaire id (bundled or in DATA_DIR/questionnaires) or path of a .json file;
    /// defaults to the bundled civic-participation-bg.
    #[arg(long, short = 'q', value_name = "ID|PATH")]
    pub questionnaire: Option<String>,
}

impl QuestionnaireArg {
    /// Loads the chosen questionnaire.
    pub fn load(&self, data_dir: &Path) -> anyhow::Result<Form> {
        catalog::resolve(self.questionnaire.as_deref(), data_dir)
            .context("cannot load the questionnaire")
    }
}

/// The response filters of `stats`, `export` and the dashboards.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only this municipality (EKATTE code such as SOF46); repeat for several.
    #[arg(long = "municipality", value_name = "CODE")]
    pub municipalities: Vec<String>,
    /// Only this oblast (code such as PDV).
    #[arg(long, value_name = "CODE")]
    pub oblast: Option<String>,
    /// Only this interviewer (case, accents typed either way and extra spaces do not matter).
    #[arg(long, value_name = "NAME")]
    pub interviewer: Option<String>,
    /// Completed on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<Date>,
    /// Completed on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<Date>,
    /// Include unfinished interviews.
    #[arg(long)]
    pub include_drafts: bool,
    /// Which closed cases, by outcome: complete and partial interviews (1.1, 1.2), complete
    /// interviews only (1.1), or every case including refusals, non-contacts and cases not
    /// eligible.
    #[arg(long, value_enum, default_value_t = CasesArg::Interviews, value_name = "CASES")]
    pub cases: CasesArg,
}

/// `--cases`, as [`Cases`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum CasesArg {
    /// Complete and partial interviews.
    #[default]
    Interviews,
    /// Complete interviews only.
    Complete,
    /// Every closed case, whatever its outcome.
    All,
}

impl From<CasesArg> for Cases {
    fn from(arg: CasesArg) -> Self {
        match arg {
            CasesArg::Interviews => Cases::Interviews,
            CasesArg::Complete => Cases::Completes,
            CasesArg::All => Cases::All,
        }
    }
}

impl FilterArgs {
    /// The filter, with municipality and oblast codes checked against the reference list.
    pub fn to_filter(&self) -> anyhow::Result<ResponseFilter> {
        let list = crate::municipality::bundled();
        for code in &self.municipalities {
            if list.get(code).is_none() {
                anyhow::bail!("unknown municipality code `{code}` (see data/municipalities.csv)");
            }
        }
        if let Some(oblast) = &self.oblast
            && !list
                .all()
                .iter()
                .any(|m| m.oblast_code.eq_ignore_ascii_case(oblast))
        {
            anyhow::bail!("unknown oblast code `{oblast}` (e.g. SOF, PDV, VAR)");
        }
        Ok(ResponseFilter {
            municipalities: self.municipalities.clone(),
            oblast: self.oblast.clone(),
            interviewer: self.interviewer.clone(),
            from: self.from,
            to: self.to,
            include_drafts: self.include_drafts,
            cases: self.cases.into(),
        })
    }
}

/// Says on standard error that `filter` selected none of the interviews: an empty report from a
/// name typed wrong must not pass for a real zero. The command still succeeds (exit status 0):
/// no interviews yet in a municipality is a true answer too.
pub fn warn_if_nothing_matches(filter: &ResponseFilter, selected: usize) {
    if selected == 0 && filter.is_active() {
        super::output::errln!("warning: no interviews match {}", filter.describe());
    }
}
