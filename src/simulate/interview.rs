//! One synthetic interview: walk the questionnaire in order as the interview screen would,
//! asking only what is relevant, drawing answers that pass the constraints, and timing it.

use std::collections::BTreeMap;

use fastrand::Rng;
use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;

use super::answers::{self, Context, Respondent};
use super::world::World;
use super::{Simulation, gaussian};
use crate::questionnaire::{Answer, Form, Question, QuestionType, Special};
use crate::store::{Response, Status};

/// Share of interviews left unfinished.
const DRAFT_RATE: f64 = 0.03;
/// Candidates drawn before giving up on a question whose constraint keeps failing.
const ATTEMPTS: usize = 16;

pub(super) fn generate(sim: &Simulation, index: usize) -> Response {
    let mut rng = Rng::with_seed(sim.seed_for(index));
    let form = &sim.form;
    let world = &sim.world;
    let site = world.site_of(index);
    let interviewer = &site.interviewers[rng.usize(..site.interviewers.len())];
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes);
    let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
    let language = language(form, &mut rng);
    let day = fieldwork_day(sim.fieldwork_start, sim.fieldwork_days, &mut rng);
    let who = respondent(
        world,
        site,
        day,
        language,
        interviewer.special_bias,
        &mut rng,
    );

    let questions = form.questions().len();
    let draft = rng.f64() < DRAFT_RATE;
    let (outcome, stop) = if draft {
        (None, rng.usize(1..questions.max(2)))
    } else {
        let code = &site.municipality.code;
        let (outcome, asked) = super::outcome::plan(sim, index, &interviewer.name, code, questions);
        (Some(outcome), asked)
    };
    let Recorded {
        answers,
        other_text,
        timings_ms,
    } = ask(sim, &who, interviewer.pace, stop, &mut rng);

    let started_at = start_time(day, &sim.time_zone, &mut rng);
    let spent_ms: u64 = timings_ms.values().sum();
    // Introductions, hand-overs and pauses between questions.
    let overhead_ms = 60_000 + rng.u64(0..240_000);
    let ended_at = started_at
        .checked_add(jiff::SignedDuration::from_millis(
            (spent_ms + overhead_ms) as i64,
        ))
        .unwrap_or(started_at);
    let closed = outcome.is_some();
    Response {
        id,
        questionnaire: form.id().to_owned(),
        questionnaire_version: form.version().to_owned(),
        status: if closed {
            Status::Complete
        } else {
            Status::Draft
        },
        interviewer: interviewer.name.clone(),
        municipality: site.municipality.code.clone(),
        language: who.language,
        started_at,
        updated_at: ended_at,
        completed_at: closed.then_some(ended_at),
        answers,
        other_text,
        timings_ms,
        outcome,
        revisions: Vec::new(),
        remarks: BTreeMap::new(),
        observations: Default::default(),
    }
}

/// What one interview recorded.
struct Recorded {
    answers: BTreeMap<String, Answer>,
    other_text: BTreeMap<String, String>,
    timings_ms: BTreeMap<String, u64>,
}

/// Asks the questions before position `stop` in order, as the interview screen would.
fn ask(sim: &Simulation, who: &Respondent, pace: f64, stop: usize, rng: &mut Rng) -> Recorded {
    let form = &sim.form;
    let world = &sim.world;
    let mut answers = BTreeMap::new();
    let mut other_text = BTreeMap::new();
    let mut timings_ms = BTreeMap::new();
    // Routing is re-evaluated only where it can have changed: after an answer that expressions
    // refer to, at the next question whose relevance an expression decides. Elsewhere the
    // last evaluation is still exact (see `QuestionModel::decides_relevance`), and skipping
    // the rest keeps generation fast on long questionnaires.
    let mut relevant = form.relevance(&answers);
    let mut stale = false;
    for position in 0..stop {
        if stale && world.questions[position].decides_relevance {
            relevant = form.relevance(&answers);
            stale = false;
        }
        if !relevant[position] {
            continue;
        }
        let q = &form.questions()[position];
        let ctx = Context {
            form,
            position,
            model: &world.questions[position],
            answers: &answers,
            relevant: &relevant,
        };
        let drawn = answer_passing_constraint(&ctx, who, rng);
        let substantive = drawn.as_ref().is_some_and(|d| d.answer.special().is_none());
        let ms = time_ms(q, form, substantive, pace, rng);
        timings_ms.insert(q.id.clone(), ms);
        if let Some(drawn) = drawn {
            if let Some(text) = drawn.other_text {
                other_text.insert(q.id.clone(), text);
            }
            answers.insert(q.id.clone(), drawn.answer);
            stale |= world.questions[position].routes;
        }
    }
    Recorded {
        answers,
        other_text,
        timings_ms,
    }
}

fn answer_passing_constraint(
    ctx: &Context,
    who: &Respondent,
    rng: &mut Rng,
) -> Option<answers::Drawn> {
    for _ in 0..ATTEMPTS {
        let drawn = answers::draw(ctx, who, rng)?;
        if ctx
            .form
            .constraint_holds(ctx.position, &drawn.answer, ctx.answers, ctx.relevant)
        {
            return Some(drawn);
        }
    }
    // No plausible answer satisfies the constraint: the respondent could not say.
    let q = &ctx.form.questions()[ctx.position];
    q.allow_special.then_some(answers::Drawn {
        answer: Answer::Special(Special::DontKnow),
        other_text: None,
    })
}

fn respondent<'w>(
    world: &'w World,
    site: &'w super::world::Site,
    day: Date,
    language: String,
    special_bias: f64,
    rng: &mut Rng,
) -> Respondent<'w> {
    let general = site.disposition + gaussian(rng);
    let traits = (0..world.sections)
        .map(|s| 0.6 * general + 0.8 * gaussian(rng) + site.section_shift[s])
        .collect();
    // Most people answer nearly everything; a few say "don't know" often.
    let reticence = (0.005 + 0.12 * rng.f64().powi(4)) * special_bias;
    Respondent {
        site,
        traits,
        reticence,
        language,
        interview_day: day,
    }
}

/// Mostly the questionnaire's first language; now and then another one it offers.
fn language(form: &Form, rng: &mut Rng) -> String {
    let languages = form.languages();
    if languages.len() > 1 && rng.f64() < 0.03 {
        languages[rng.usize(1..languages.len())].clone()
    } else {
        form.default_language().to_owned()
    }
}

/// A fieldwork day; Sundays are mostly avoided.
fn fieldwork_day(start: Date, days: u32, rng: &mut Rng) -> Date {
    loop {
        let offset = jiff::Span::new().days(i64::from(rng.u32(0..days.max(1))));
        let day = start.checked_add(offset).unwrap_or(start);
        if day.weekday() != Weekday::Sunday || rng.f64() < 0.2 {
            return day;
        }
    }
}

/// A start between 9:00 and 19:30 Sofia time.
fn start_time(day: Date, zone: &TimeZone, rng: &mut Rng) -> Timestamp {
    let minute = rng.i64(9 * 60..19 * 60 + 30);
    let at = day.at((minute / 60) as i8, (minute % 60) as i8, rng.i8(0..60), 0);
    at.to_zoned(zone.clone())
        .map(|z| z.timestamp())
        .unwrap_or_else(|_| Timestamp::UNIX_EPOCH)
}

/// Time on one question: the interviewer reads it out (and the options), the respondent thinks
/// and answers; longer lists take longer. A full interview comes to about a quarter of an hour.
fn time_ms(q: &Question, form: &Form, answered: bool, pace: f64, rng: &mut Rng) -> u64 {
    let options = form.choices(q).len() as f64;
    let base = match q.kind {
        QuestionType::Note => 8_000.0,
        QuestionType::Single => 8_000.0 + 1_200.0 * options,
        QuestionType::Multiple => 14_000.0 + 2_000.0 * options,
        QuestionType::Scale => 12_000.0,
        QuestionType::Integer | QuestionType::Decimal => 8_000.0,
        QuestionType::Text if answered => 45_000.0,
        QuestionType::Text => 8_000.0,
        QuestionType::Date | QuestionType::Municipality => 12_000.0,
    };
    let ms = base * pace * (0.4 * gaussian(rng)).exp();
    ms.clamp(400.0, 600_000.0) as u64
}
