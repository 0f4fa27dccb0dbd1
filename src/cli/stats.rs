//! `anketa stats`: the report's figures as a readable summary, one JSON document, or CSV tables.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::common::{FilterArgs, QuestionnaireArg};
use crate::paths::Paths;
use crate::questionnaire::{Choice, Form};
use crate::stats::tables::{self, fmt};

use super::output::{OneLine, errln, out, outln};
use crate::stats::{IndexStats, IndexSummary, QuestionStats, StatsReport, Summary, compute};
use crate::store::{self, Store};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub questionnaire: QuestionnaireArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print one JSON document (described in docs/stats-format.md) instead of the summary.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Write the tables as CSV files into DIR (created if needed) instead of the summary.
    #[arg(long, value_name = "DIR")]
    pub csv: Option<PathBuf>,
    /// Add a line per municipality to the summary.
    #[arg(long)]
    pub by_municipality: bool,
    /// Language of question labels and municipality names (defaults to the questionnaire's).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// Loads the responses, computes the report and prints or writes it.
pub fn run(args: &Args, paths: &Paths) -> anyhow::Result<ExitCode> {
    let form = args.questionnaire.load(&paths.data_dir)?;
    let filter = args.filter.to_filter()?;
    let store = Store::open(&paths.data_dir)?;
    let loaded = store
        .load_table(&form)
        .with_context(|| format!("cannot load the responses in {}", paths.data_dir.display()))?;
    // Every problem is named: a coordinator needs the path of each file to fix or recover it.
    for problem in &loaded.problems {
        errln!("{} {}", problem.verb(), OneLine(&problem.to_string()));
    }
    if let Some(link) = &loaded.cache_refused {
        errln!("warning: the load cache was not used: {link}");
    }
    let mut report = compute(&form, &loaded.table, &filter);
    let skipped = store::skipped_files(&loaded.problems);
    report.problems = skipped as u64;
    report.invalid_parts = (loaded.problems.len() - skipped) as u64;
    super::common::warn_if_nothing_matches(&filter, usize::try_from(report.responses).unwrap_or(1));
    let lang = args
        .lang
        .clone()
        .unwrap_or_else(|| form.default_language().to_owned());
    if args.json {
        // Streamed: the report of 265 municipalities is tens of megabytes of JSON.
        super::output::out_json(&report);
    } else if let Some(dir) = &args.csv {
        write_csv(&report, dir, &lang)?;
    } else {
        out!("{}", summary(&form, &report, &lang, args.by_municipality));
    }
    Ok(ExitCode::SUCCESS)
}

fn write_csv(report: &StatsReport, dir: &Path, lang: &str) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    for table in tables::tables(report, lang) {
        let path = dir.join(format!("{}.csv", table.name));
        let bytes = crate::csv_out::table_bytes(&table.headers, &table.rows)
            .with_context(|| format!("cannot format {}", path.display()))?;
        crate::store::atomic::write_atomic(&path, &bytes, true)
            .with_context(|| format!("cannot write {}", path.display()))?;
        outln!("{} ({} rows)", path.display(), table.rows.len());
    }
    Ok(())
}

/// The readable summary.
fn summary(form: &Form, report: &StatsReport, lang: &str, by_municipality: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} (version {}): {} responses from {} municipalities{}{}",
        report.questionnaire,
        report.version,
        report.responses,
        report.municipalities.len(),
        if report.filter.is_empty() {
            String::new()
        } else {
            format!(", {}", report.filter)
        },
        if report.problems > 0 {
            format!(", {} unreadable files skipped", report.problems)
        } else {
            String::new()
        },
    );
    if report.invalid_parts > 0 {
        let _ = writeln!(
            out,
            "{} invalid answers or times in counted interviews (listed above; answers coded -8)",
            report.invalid_parts
        );
    }
    for q in &report.questions {
        let question = form.question(&q.id);
        let label = question.map_or("", |question| question.label.get(lang));
        let _ = writeln!(out, "\n{}  {}  [{}]", q.id, label, q.kind.as_str());
        let labels = Labels {
            choices: question.map_or(&[], |question| form.choices(question)),
            lang,
        };
        write_summary(&mut out, &q.overall, "  ", &labels);
        write_chi_square(&mut out, q);
        if by_municipality {
            write_municipalities(&mut out, q, &labels);
        }
    }
    if !report.indices.is_empty() {
        let _ = writeln!(out, "\nIndices (0–100)");
        for index in &report.indices {
            write_index(&mut out, index, by_municipality, lang);
        }
    }
    out
}

/// A figure for the summary: rounded, or a dash when it could not be computed.
fn num(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(_) => fmt(value, decimals),
        None => "–".to_owned(),
    }
}

fn interval(ci: Option<[f64; 2]>, decimals: usize) -> String {
    ci.map_or_else(
        || "[–]".to_owned(),
        |[lo, hi]| format!("[{lo:.decimals$}–{hi:.decimals$}]"),
    )
}

/// Option labels of one question, in the summary's language.
struct Labels<'a> {
    choices: &'a [Choice],
    lang: &'a str,
}

impl Labels<'_> {
    /// The option's label; for municipality questions the municipality's name.
    fn of(&self, code: &str) -> &str {
        match self.choices.iter().find(|c| c.code == code) {
            Some(choice) => choice.label.get(self.lang),
            None => crate::municipality::bundled()
                .get(code)
                .map_or("", |m| m.name(self.lang)),
        }
    }
}

fn write_summary(out: &mut String, s: &Summary, indent: &str, labels: &Labels) {
    let _ = writeln!(
        out,
        "{indent}asked {} · n {} · don't know {} · refused {} · not asked {} · no answer {}{}",
        s.asked,
        s.n,
        s.dont_know,
        s.refused,
        s.not_asked,
        s.no_answer,
        if s.invalid > 0 {
            format!(" · invalid {}", s.invalid)
        } else {
            String::new()
        }
    );
    let width = s
        .options
        .iter()
        .map(|o| o.code.chars().count())
        .max()
        .unwrap_or(0);
    for o in &s.options {
        let _ = writeln!(
            out,
            "{indent}  {:<width$}  {:>6}  {:>6}%  {:<13}  {}",
            o.code,
            o.count,
            num(o.percent, 1),
            interval(o.ci95, 1),
            labels.of(&o.code)
        );
    }
    if let Some(mc) = s.mean_choices {
        let _ = writeln!(out, "{indent}mean number chosen {mc:.2}");
    }
    if s.mean.is_some() {
        let _ = writeln!(
            out,
            "{indent}mean {} (sd {}, 95% CI {}) · median {} (q1 {}, q3 {}) · min {} · max {}",
            num(s.mean, 2),
            num(s.sd, 2),
            interval(s.ci95_mean, 2),
            num(s.median, 2),
            num(s.q1, 2),
            num(s.q3, 2),
            num(s.min, 2),
            num(s.max, 2),
        );
    }
    if let Some(top) = &s.top2 {
        let _ = writeln!(
            out,
            "{indent}top box (≥ {}) {}% {}",
            top.from,
            num(top.percent, 1),
            interval(top.ci95, 1)
        );
    }
    for t in &s.top_answers {
        let _ = writeln!(out, "{indent}  {:>5}  {}", t.count, t.text);
    }
    if !s.other_texts.is_empty() {
        let _ = writeln!(out, "{indent}other, specified:");
        for t in &s.other_texts {
            let _ = writeln!(out, "{indent}  {:>5}  {}", t.count, t.text);
        }
    }
    for (figure, why) in &s.reasons {
        let _ = writeln!(out, "{indent}({figure}: {why})");
    }
}

fn write_chi_square(out: &mut String, q: &QuestionStats) {
    if let Some(c) = &q.chi_square {
        let _ = writeln!(
            out,
            "  by municipality: chi-square {:.2}, df {}, p {:.4}, Cramér's V {:.3}, {} cells with expected count < 5",
            c.statistic, c.df, c.p_value, c.cramers_v, c.low_expected_cells
        );
    }
}

fn write_municipalities(out: &mut String, q: &QuestionStats, labels: &Labels) {
    for m in &q.by_municipality {
        let name = crate::municipality::bundled()
            .get(&m.municipality)
            .map_or("", |x| x.name(labels.lang));
        let small = if m.small_base { "  (small base)" } else { "" };
        let _ = writeln!(out, "  {} {name}{small}", m.municipality);
        write_summary(out, &m.summary, "    ", labels);
    }
}

fn write_index(out: &mut String, index: &IndexStats, by_municipality: bool, lang: &str) {
    let _ = writeln!(out, "  {}", index.id);
    write_index_line(out, "all", &index.overall);
    if by_municipality {
        for m in &index.by_municipality {
            let name = crate::municipality::bundled()
                .get(&m.municipality)
                .map_or("", |x| x.name(lang));
            let small = if m.small_base { " (small base)" } else { "" };
            write_index_line(
                out,
                &format!("{} {name}{small}", m.municipality),
                &m.summary,
            );
        }
    }
}

fn write_index_line(out: &mut String, group: &str, s: &IndexSummary) {
    let mut line = format!(
        "    {group}: n {}  mean {} {}  alpha {} (n {})",
        s.n,
        num(s.mean, 1),
        interval(s.ci95, 1),
        num(s.alpha, 3),
        s.alpha_n
    );
    if let Some(any) = &s.share_any {
        let _ = write!(line, "  at least one {}%", num(any.percent, 1));
    }
    let _ = writeln!(out, "{line}");
    for (figure, why) in &s.reasons {
        let _ = writeln!(out, "      ({figure}: {why})");
    }
}
