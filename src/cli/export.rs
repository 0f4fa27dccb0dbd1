//! `anketa export --out FILE.csv [options]`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;

use super::output::{OneLine, errln, outln};
use super::{FilterArgs, QuestionnaireArg};
use crate::export::{
    self, ExportOptions, Format, MissingStyle, Target, ValueStyle, codebook_path_for,
};
use crate::paths::Paths;
use crate::store::{Row, Store};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Missing answers: -1 don't know, -2 refused, -3 not asked (skipped by \
routing), -9 no answer.\nSee docs/export.md for the columns and for opening the file in Excel, \
R, SPSS, Stata and pandas."
)]
pub struct Args {
    #[command(flatten)]
    pub questionnaire: QuestionnaireArg,
    /// The CSV file to write.
    #[arg(long, short = 'o', value_name = "FILE.csv")]
    pub out: PathBuf,
    /// Wide: one row per interview; long: one row per answer.
    #[arg(long, value_enum, default_value_t = FormatArg::Wide)]
    pub format: FormatArg,
    /// Write single-choice answers as codes or as labels.
    #[arg(long, value_enum, default_value_t = ValuesArg::Codes)]
    pub values: ValuesArg,
    /// Language of labels and municipality names (default: the questionnaire's first).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Missing answers as reserved negative codes or as empty cells.
    #[arg(long, value_enum, default_value_t = MissingArg::Codes)]
    pub missing: MissingArg,
    /// Where to write the codebook (default: FILE.codebook.csv next to the data).
    #[arg(long, value_name = "FILE.csv", conflicts_with = "no_codebook")]
    pub codebook: Option<PathBuf>,
    /// Do not write a codebook.
    #[arg(long)]
    pub no_codebook: bool,
    /// Start the files with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    pub bom: bool,
    /// Do not prefix formula-like text (=, +, -, @, tab, CR) with `'`.
    #[arg(long)]
    pub raw_text: bool,
    /// Leave out open text answers and "other, please specify" texts.
    #[arg(long)]
    pub drop_text: bool,
    /// Leave out the interviewer column.
    #[arg(long)]
    pub drop_interviewer: bool,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
    /// Write the audit trails of the selected interviews instead of their answers: one row per
    /// event (questions entered and left, changes with old and new values, language switches,
    /// pauses, edits, outcomes). No codebook.
    #[arg(long, conflicts_with_all = ["codebook", "format", "values", "missing"])]
    pub audit: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Wide,
    Long,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValuesArg {
    Codes,
    Labels,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MissingArg {
    Codes,
    Empty,
}

impl Args {
    fn options(&self) -> ExportOptions {
        ExportOptions {
            format: match self.format {
                FormatArg::Wide => Format::Wide,
                FormatArg::Long => Format::Long,
            },
            values: match self.values {
                ValuesArg::Codes => ValueStyle::Codes,
                ValuesArg::Labels => ValueStyle::Labels,
            },
            lang: self.lang.clone(),
            missing: match self.missing {
                MissingArg::Codes => MissingStyle::Codes,
                MissingArg::Empty => MissingStyle::Empty,
            },
            bom: self.bom,
            raw_text: self.raw_text,
            drop_text: self.drop_text,
            drop_interviewer: self.drop_interviewer,
        }
    }

    fn codebook_path(&self) -> Option<PathBuf> {
        if self.no_codebook {
            return None;
        }
        Some(
            self.codebook
                .clone()
                .unwrap_or_else(|| codebook_path_for(&self.out)),
        )
    }
}

/// Loads, filters and writes the export and its codebook; problems with files go to stderr.
pub fn run(args: &Args, paths: &Paths) -> anyhow::Result<ExitCode> {
    let form = args.questionnaire.load(&paths.data_dir)?;
    let filter = args.filters.to_filter()?;
    let options = args.options();
    options.language(&form)?;
    if args.audit {
        return run_audit(args, paths, &form, &filter);
    }
    let target = Target {
        data: args.out.clone(),
        codebook: args.codebook_path(),
        replace: args.force,
    };
    // Refuse before the (possibly long) loading rather than after it.
    target.check().map_err(with_force_hint)?;
    let store = Store::open(&paths.data_dir)?;
    let loaded = store
        .load_table(&form)
        .context("cannot read the responses")?;
    for problem in &loaded.problems {
        errln!("{} {}", problem.verb(), OneLine(&problem.to_string()));
    }
    if let Some(link) = &loaded.cache_refused {
        errln!("warning: the load cache was not used: {link}");
    }
    let selected: Vec<Row> = loaded
        .table
        .rows()
        .filter(|row| filter.matches_row(row))
        .collect();
    if selected.is_empty() {
        errln!(
            "warning: no interviews match{}; writing the header only",
            describe(&filter.describe())
        );
    }
    let written = export::export_files(&form, selected, &options, &target, &mut |_| {})
        .map_err(with_force_hint)?;
    let summary = written.summary;
    outln!(
        "wrote {} interview(s), {} row(s) × {} column(s) to {}",
        summary.responses,
        summary.rows,
        summary.columns,
        written.data.display()
    );
    if let Some((path, variables)) = written.codebook {
        outln!(
            "wrote the codebook ({variables} variables) to {}",
            path.display()
        );
    }
    let skipped = crate::store::skipped_files(&loaded.problems);
    if skipped > 0 {
        errln!("{skipped} file(s) could not be read and were left out (listed above)");
    }
    if loaded.problems.len() > skipped {
        errln!(
            "{} invalid answer(s) or time(s) in exported interviews, answers written as -8 (listed above)",
            loaded.problems.len() - skipped
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `export --audit`: the trails of the interviews the filters select, one event per row.
/// A missing or damaged trail is reported on stderr and left as it is.
fn run_audit(
    args: &Args,
    paths: &Paths,
    form: &crate::questionnaire::Form,
    filter: &crate::store::ResponseFilter,
) -> anyhow::Result<ExitCode> {
    let store = Store::open(&paths.data_dir)?;
    let loaded = store
        .load_table(form)
        .context("cannot read the responses")?;
    for problem in &loaded.problems {
        eprintln!("skipped {problem}");
    }
    let mut trails = Vec::new();
    let mut missing = 0;
    for row in loaded.table.rows().filter(|row| filter.matches_row(row)) {
        match store.load_trail(form.id(), row.id()) {
            Ok(Some(events)) => trails.push((row.id(), events)),
            Ok(None) => missing += 1,
            Err(damaged) => eprintln!("skipped a damaged audit trail: {damaged}"),
        }
    }
    let options = export::audit::AuditOptions {
        drop_interviewer: args.drop_interviewer,
        drop_text: args.drop_text,
        raw_text: args.raw_text,
    };
    let rows = export::write_atomic_with(&args.out, args.force, |out| {
        let trails = trails.iter().map(|(id, e)| (*id, e.as_slice()));
        export::audit::write_audit(out, form, trails, options)
    })
    .map_err(with_force_hint)?;
    println!(
        "wrote {rows} event(s) of {} interview(s) to {}",
        trails.len(),
        args.out.display()
    );
    if missing > 0 {
        eprintln!(
            "{missing} interview(s) have no audit trail (recorded before trails existed, or removed)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(filter: &str) -> String {
    if filter.is_empty() {
        String::new()
    } else {
        format!(" ({filter})")
    }
}

fn with_force_hint(e: export::ExportError) -> anyhow::Error {
    match e {
        export::ExportError::Exists { path } => anyhow::anyhow!(
            "{} already exists; pass --force to replace it",
            path.display()
        ),
        other => other.into(),
    }
}
