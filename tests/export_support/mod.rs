//! Shared by the export tests: a questionnaire with every question type, a data set built to hit
//! every case (special answers, routing, "other" texts, Cyrillic, commas, quotes, newlines,
//! formula-like text), and an oracle that says, from the export's specification, what each cell
//! must hold.
#![allow(dead_code)]

mod oracle;

pub use oracle::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anketa::questionnaire::{Answer, Form, Special, load_path};
use anketa::store::{Response, Status, Store};
use assert_cmd::Command;
use jiff::Timestamp;

pub const QUESTIONNAIRE: &str = "tests/export_support/questionnaire.json";

pub fn anketa() -> Command {
    let mut cmd = Command::cargo_bin("anketa").unwrap();
    cmd.env_remove("ANKETA_DATA_DIR");
    cmd
}

pub fn form() -> Form {
    load_path(Path::new(QUESTIONNAIRE)).unwrap()
}

/// `anketa --data-dir DIR export -q QUESTIONNAIRE --out OUT` plus `extra`.
pub fn export_cmd(data: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut cmd = anketa();
    cmd.arg("--data-dir")
        .arg(data)
        .args(["export", "-q", QUESTIONNAIRE, "--out"])
        .arg(out)
        .args(extra);
    cmd
}

fn text(s: &str) -> Answer {
    Answer::Text(s.to_owned())
}

fn num(n: f64) -> Answer {
    Answer::Number(n)
}

fn codes(list: &[&str]) -> Answer {
    Answer::Codes(list.iter().map(|s| (*s).to_owned()).collect())
}

fn special(s: Special) -> Answer {
    Answer::Special(s)
}

fn base(form: &Form, interviewer: &str, municipality: &str, minute: i64) -> Response {
    let mut r = Response::new(form, interviewer, municipality, "bg");
    // Fixed ids, so that a case can be found again; scattered so file order is not case order.
    r.id = uuid::Uuid::from_u128(
        u128::from(minute as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835),
    );
    r.started_at = Timestamp::from_second(1_772_000_000 + minute * 60).unwrap();
    r.updated_at = r.started_at;
    r.completed_at = Some(Timestamp::from_second(1_772_000_000 + minute * 60 + 754).unwrap());
    r.status = Status::Complete;
    r
}

fn with(mut r: Response, answers: Vec<(&str, Answer)>) -> Response {
    for (id, a) in answers {
        r.answers.insert(id.to_owned(), a);
    }
    r
}

/// Texts a spreadsheet would run as formulas.
pub const FORMULAS: [&str; 6] = ["=1+1", "+359 88 123", "-5", "@SUM(A1:A2)", "\tTAB", "\rCR"];

/// The hand-built cases, each named for what it proves.
pub fn handmade(form: &Form) -> BTreeMap<&'static str, Response> {
    let mut cases = BTreeMap::new();
    let mut full = with(
        base(form, "Иван Петров", "SOF46", 1),
        vec![
            ("consent", text("yes")),
            ("age", num(34.0)),
            ("height", num(1.75)),
            ("trust", num(7.0)),
            ("agree", text("2")),
            ("visited", text("2026-03-01")),
            ("home", text("PDV22")),
            ("reasons", codes(&["time", "other"])),
            ("main_reason", text("other")),
            ("still", codes(&["other"])),
            ("colour", text("other")),
            (
                "comment",
                text("Кметът, „казва“ \"добре\"\nно нищо не прави; 100%"),
            ),
        ],
    );
    full.other_text.insert(
        "reasons".into(),
        "Нямам кола, \"далеч\" е\r\nи студено".into(),
    );
    full.other_text
        .insert("colour".into(), "=HYPERLINK(\"http://x\")".into());
    full.other_text
        .insert("main_reason".into(), "ignored".into());
    cases.insert("full", full);
    cases.insert(
        "declined",
        with(
            base(form, "Мария", "PDV22", 2),
            vec![
                ("consent", text("no")),
                ("age", num(40.0)),
                ("comment", text("stale")),
                ("reasons", codes(&["time"])),
            ],
        ),
    );
    cases.insert(
        "minor",
        with(
            base(form, "Мария", "PDV22", 3),
            vec![
                ("consent", text("yes")),
                ("age", num(16.0)),
                ("trust", num(3.0)),
            ],
        ),
    );
    cases.insert(
        "specials",
        with(
            base(form, "Georgi", "VAR06", 4),
            vec![
                ("consent", text("yes")),
                ("age", special(Special::Refused)),
                ("height", special(Special::DontKnow)),
                ("trust", special(Special::Refused)),
                ("reasons", special(Special::DontKnow)),
                ("colour", special(Special::Refused)),
                ("comment", special(Special::DontKnow)),
            ],
        ),
    );
    let mut one_reason = with(
        base(form, "Georgi", "VAR06", 5),
        vec![
            ("consent", text("yes")),
            ("age", num(70.0)),
            ("height", num(1.6)),
            ("trust", num(0.0)),
            ("reasons", codes(&["money", "trust"])),
            ("main_reason", text("trust")),
            ("still", codes(&[])),
            ("colour", text("blue")),
        ],
    );
    one_reason
        .other_text
        .insert("colour".into(), "stale".into());
    cases.insert("two_reasons_no_still", one_reason);
    let mut draft = with(
        base(form, "Draft Person", "SOF46", 6),
        vec![("consent", text("yes")), ("age", num(25.0))],
    );
    draft.status = Status::Draft;
    draft.completed_at = None;
    cases.insert("draft", draft);
    cases
}

/// One response per formula-like text: in the comment, the interviewer and an "other" text.
pub fn formula_cases(form: &Form) -> Vec<Response> {
    FORMULAS
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut r = with(
                base(form, f, "BLG03", 10 + i as i64),
                vec![
                    ("consent", text("yes")),
                    ("age", num(30.0)),
                    ("trust", num(-0.0)),
                    ("colour", text("other")),
                    ("comment", text(f)),
                ],
            );
            r.other_text.insert("colour".into(), (*f).to_owned());
            r
        })
        .collect()
}

/// Random but reproducible responses over every question.
pub fn generated(form: &Form, n: usize, seed: u64) -> Vec<Response> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let places = ["SOF46", "PDV22", "VAR06", "BLG03", "SFO39"];
    let reasons = ["time", "money", "trust", "other", "none"];
    let mut out = Vec::new();
    for i in 0..n {
        let mut r = base(
            form,
            ["Анна", "Boris, Jr.", "Цветан \"Цецо\""][i % 3],
            places[rng.usize(..places.len())],
            100 + i as i64,
        );
        let mut roll = fastrand::Rng::with_seed(seed ^ (i as u64 + 1) << 8);
        r.language = if rng.bool() { "bg" } else { "en" }.into();
        let maybe = |rng: &mut fastrand::Rng, a: Answer| match rng.u8(..10) {
            0 => Some(special(Special::DontKnow)),
            1 => Some(special(Special::Refused)),
            2 => None,
            _ => Some(a),
        };
        let mut answers = vec![("consent", Some(text(["yes", "yes", "yes", "no"][i % 4])))];
        answers.push(("age", maybe(&mut roll, num(rng.i64(15..90) as f64))));
        // Two decimals as typed, so that the file holds exactly this number.
        let height = f64::from(rng.u32(120..=220)) / 100.0;
        answers.push(("height", maybe(&mut roll, num(height))));
        answers.push(("trust", maybe(&mut roll, num(rng.i64(0..=10) as f64))));
        answers.push((
            "agree",
            maybe(&mut roll, text(["1", "2", "3"][rng.usize(..3)])),
        ));
        let day = format!("2026-{:02}-{:02}", rng.u8(1..=12), rng.u8(1..=28));
        answers.push(("visited", maybe(&mut roll, text(&day))));
        answers.push(("home", maybe(&mut roll, text(places[rng.usize(..5)]))));
        let chosen: Vec<&str> = if rng.u8(..5) == 0 {
            vec!["none"]
        } else {
            reasons[..4]
                .iter()
                .copied()
                .filter(|_| rng.bool())
                .collect()
        };
        answers.push(("reasons", maybe(&mut roll, codes(&chosen))));
        if let Some(first) = chosen.first() {
            answers.push(("main_reason", Some(text(first))));
            answers.push(("still", maybe(&mut roll, codes(&chosen[..1]))));
        }
        answers.push((
            "colour",
            maybe(&mut roll, text(["red", "blue", "other"][i % 3])),
        ));
        let comment = format!("Бележка {i}, с \"кавички\"\nи нов ред");
        answers.push(("comment", maybe(&mut roll, text(&comment))));
        for (id, a) in answers {
            if let Some(a) = a {
                r.answers.insert(id.to_owned(), a);
            }
        }
        if chosen.contains(&"other") {
            r.other_text
                .insert("reasons".into(), format!("друго {i}, „цитат“"));
        }
        if i % 3 == 2 {
            r.other_text.insert("colour".into(), format!("лилав {i}"));
        }
        out.push(r);
    }
    out
}

/// Everything: the hand-made cases, the formula cases and `n` generated responses.
pub fn dataset(form: &Form, n: usize) -> Vec<Response> {
    let mut all: Vec<Response> = handmade(form).into_values().collect();
    all.extend(formula_cases(form));
    all.extend(generated(form, n, 7));
    all
}

/// Saves `responses` in a fresh data folder with the store itself.
pub fn save_all(dir: &Path, responses: &[Response]) {
    let store = Store::open(dir).unwrap();
    for r in responses {
        store.save(r).unwrap();
    }
}

/// Reads a CSV file with the `csv` crate: the header and the rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

pub fn out_path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}
