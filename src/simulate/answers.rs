//! Drawing one answer for one question from a respondent's traits.

use std::collections::BTreeMap;

use fastrand::Rng;

use super::world::{QuestionModel, Site};
use super::{gaussian, logistic, names};
use crate::municipality;
use crate::questionnaire::{Answer, Form, Question, QuestionType, Special};

/// Who is answering: the traits that shape every answer of one interview.
#[derive(Debug)]
pub(super) struct Respondent<'w> {
    pub site: &'w Site,
    /// One trait per questionnaire section.
    pub traits: Vec<f64>,
    /// Probability of "don't know" or "refused" on a question that offers them.
    pub reticence: f64,
    pub language: String,
    pub interview_day: jiff::civil::Date,
}

/// One drawn answer and, for an "other" option, the text typed for it.
pub(super) struct Drawn {
    pub answer: Answer,
    pub other_text: Option<String>,
}

/// Everything a draw needs to see of the interview so far.
pub(super) struct Context<'a> {
    pub form: &'a Form,
    pub position: usize,
    pub model: &'a QuestionModel,
    pub answers: &'a BTreeMap<String, Answer>,
    pub relevant: &'a [bool],
}

/// A candidate answer for the question at `ctx.position`, or `None` to leave it unanswered.
///
/// The caller checks the questionnaire's constraint and draws again when it fails.
pub(super) fn draw(ctx: &Context, who: &Respondent, rng: &mut Rng) -> Option<Drawn> {
    let q = &ctx.form.questions()[ctx.position];
    if !q.kind.is_answerable() {
        return None;
    }
    // Numbers (trust, ratings) draw the most "don't know"; an open comment draws none, since
    // whoever has nothing to say leaves it empty.
    let special_rate = match q.kind {
        QuestionType::Text => 0.0,
        kind if kind.is_numeric() => 2.0 * who.reticence,
        _ => who.reticence,
    };
    if q.allow_special && rng.f64() < special_rate {
        let special = if rng.f64() < 0.75 {
            Special::DontKnow
        } else {
            Special::Refused
        };
        return Some(plain(Answer::Special(special)));
    }
    if !q.required && q.kind != QuestionType::Text && rng.f64() < 0.01 {
        return None;
    }
    let trait_ = who.traits[ctx.model.section];
    let tilt = &who.site.tilt[ctx.position];
    match q.kind {
        QuestionType::Single => single(ctx, q, who, trait_, tilt, rng),
        QuestionType::Multiple => multiple(ctx, q, who, trait_, tilt, rng),
        QuestionType::Scale | QuestionType::Integer | QuestionType::Decimal => Some(plain(
            Answer::Number(number(q, ctx.model.base[0], trait_, tilt[0], rng)),
        )),
        QuestionType::Text => (q.required || rng.f64() < 0.15).then(|| {
            plain(Answer::Text(names::comment(
                rng,
                &who.language,
                q.max_length,
            )))
        }),
        QuestionType::Date => Some(plain(Answer::Text(date(who, rng)))),
        QuestionType::Municipality => Some(plain(Answer::Text(residence(who, rng)))),
        QuestionType::Note => None,
    }
}

fn plain(answer: Answer) -> Drawn {
    Drawn {
        answer,
        other_text: None,
    }
}

/// Log-weights of a choice question's options for this respondent.
fn log_weights(model: &QuestionModel, trait_: f64, tilt: &[f64]) -> Vec<f64> {
    model
        .base
        .iter()
        .zip(&model.loading)
        .zip(tilt)
        .map(|((b, l), t)| b + t + l * trait_)
        .collect()
}

/// The options offered: all of them, or those chosen earlier when `choices_from` is set.
fn offered(ctx: &Context, q: &Question) -> Vec<bool> {
    let options = ctx.form.choices(q);
    match &q.choices_from {
        None => vec![true; options.len()],
        Some(from) => {
            let chosen = match ctx.answers.get(from) {
                Some(Answer::Codes(codes)) => codes.as_slice(),
                _ => &[],
            };
            options.iter().map(|c| chosen.contains(&c.code)).collect()
        }
    }
}

fn single(
    ctx: &Context,
    q: &Question,
    who: &Respondent,
    trait_: f64,
    tilt: &[f64],
    rng: &mut Rng,
) -> Option<Drawn> {
    let options = ctx.form.choices(q);
    let mut weights: Vec<f64> = log_weights(ctx.model, trait_, tilt)
        .into_iter()
        .zip(offered(ctx, q))
        .map(|(w, ok)| if ok { w.exp() } else { 0.0 })
        .collect();
    if ctx.model.gate {
        favour_continuing(ctx, q, &mut weights);
    }
    let k = pick(&weights, rng)?;
    let choice = &options[k];
    Some(Drawn {
        answer: Answer::Text(choice.code.clone()),
        other_text: choice.other.then(|| names::other_text(rng, &who.language)),
    })
}

/// Most people who are approached qualify: at a gate (consent, screening), options that keep
/// more of the questionnaire relevant are preferred; closing the whole questionnaire is about
/// thirty times less likely than going on (a refusal rate of a few per cent).
fn favour_continuing(ctx: &Context, q: &Question, weights: &mut [f64]) {
    let options = ctx.form.choices(q);
    let mut answers = ctx.answers.clone();
    let reach: Vec<usize> = options
        .iter()
        .map(|c| {
            answers.insert(q.id.clone(), Answer::Text(c.code.clone()));
            ctx.form.relevance(&answers).iter().filter(|r| **r).count()
        })
        .collect();
    let most = reach.iter().copied().max().unwrap_or(0);
    let total = ctx.form.questions().len().max(1) as f64;
    for (w, r) in weights.iter_mut().zip(reach) {
        *w *= (-4.0 * (most - r) as f64 / total).exp();
    }
}

fn multiple(
    ctx: &Context,
    q: &Question,
    who: &Respondent,
    trait_: f64,
    tilt: &[f64],
    rng: &mut Rng,
) -> Option<Drawn> {
    let options = ctx.form.choices(q);
    let offered = offered(ctx, q);
    let logits = log_weights(ctx.model, trait_, tilt);
    let exclusive: Vec<usize> = (0..options.len())
        .filter(|&k| offered[k] && options[k].exclusive)
        .collect();
    for &k in &exclusive {
        if rng.f64() < logistic(logits[k]) {
            return Some(plain(Answer::Codes(vec![options[k].code.clone()])));
        }
    }
    let mut weights: Vec<f64> = (0..options.len())
        .map(|k| {
            if offered[k] && !options[k].exclusive {
                logits[k].exp()
            } else {
                0.0
            }
        })
        .collect();
    let available = weights.iter().filter(|w| **w > 0.0).count();
    let limit = q
        .max_choices
        .map_or(available, |m| (m as usize).min(available));
    // How many options a respondent mentions: one, and each further one with falling odds.
    let mut wanted = 1;
    while wanted < limit && rng.f64() < 0.5 + 0.1 * trait_.clamp(-2.0, 2.0) {
        wanted += 1;
    }
    let mut picked = Vec::with_capacity(wanted);
    while picked.len() < wanted {
        let Some(k) = pick(&weights, rng) else { break };
        weights[k] = 0.0;
        picked.push(k);
    }
    if picked.is_empty() {
        return None;
    }
    // Codes are stored in the order of the choice list, as the interview stores them.
    picked.sort_unstable();
    let other = picked
        .iter()
        .any(|&k| options[k].other)
        .then(|| names::other_text(rng, &who.language));
    Some(Drawn {
        answer: Answer::Codes(picked.iter().map(|&k| options[k].code.clone()).collect()),
        other_text: other,
    })
}

/// Index drawn with probability proportional to `weights`; `None` when all are zero.
fn pick(weights: &[f64], rng: &mut Rng) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    let mut target = rng.f64() * total;
    for (k, w) in weights.iter().enumerate() {
        if target < *w {
            return Some(k);
        }
        target -= w;
    }
    weights.iter().rposition(|w| *w > 0.0)
}

/// A number within the question's bounds. Scales follow the trait; counts and ages cluster in
/// the lower-middle of their range.
fn number(q: &Question, base: f64, trait_: f64, tilt: f64, rng: &mut Rng) -> f64 {
    let (lo, hi) = match (q.min, q.max) {
        (Some(lo), Some(hi)) => (lo, hi),
        (Some(lo), None) => (lo, lo + 100.0),
        (None, Some(hi)) => (hi - 100.0, hi),
        (None, None) => (0.0, 100.0),
    };
    let span = hi - lo;
    let value = if q.kind == QuestionType::Scale {
        lo + span * logistic(0.2 + base + 0.9 * trait_ + tilt + 0.8 * gaussian(rng))
    } else {
        let centre = lo + 0.35 * span + 0.05 * span * (base + tilt);
        (centre + 0.18 * span * gaussian(rng) + 0.02 * span * trait_).clamp(lo, hi)
    };
    if q.kind == QuestionType::Decimal {
        ((value * 10.0).round() / 10.0).clamp(lo, hi)
    } else {
        value.round().clamp(lo.ceil(), hi.floor())
    }
}

/// A day in the five years before the interview, as `YYYY-MM-DD`.
fn date(who: &Respondent, rng: &mut Rng) -> String {
    let back = jiff::Span::new().days(rng.i64(0..5 * 365));
    who.interview_day
        .checked_sub(back)
        .unwrap_or(who.interview_day)
        .to_string()
}

/// Where the respondent lives: mostly where they are interviewed, sometimes elsewhere in the
/// oblast (commuters), rarely anywhere.
fn residence(who: &Respondent, rng: &mut Rng) -> String {
    let here = who.site.municipality;
    let all = municipality::bundled().all();
    let roll = rng.f64();
    if roll < 0.88 {
        return here.code.clone();
    }
    if roll < 0.96 {
        let oblast: Vec<_> = all
            .iter()
            .filter(|m| m.oblast_code == here.oblast_code)
            .collect();
        return oblast[rng.usize(..oblast.len())].code.clone();
    }
    all[rng.usize(..all.len())].code.clone()
}
