//! Synthetic interviews for demonstrations, tests and benchmarks.
//!
//! A [`Simulation`] reads everything from the [`Form`]: it walks the questionnaire as the
//! interview screen does, asks only what the skip logic makes relevant, keeps numbers within
//! `min`/`max`, respects `max_choices`, exclusive options and `choices_from`, and redraws any
//! answer the questionnaire's `constraint` rejects. Answers come from a latent-trait model
//! (see [`world`]) in which municipalities genuinely differ, so the statistics have something
//! to find. Some respondents say "don't know" or refuse, a few interviews stay drafts, timings
//! and dates are plausible, and every municipality has its own interviewers. On request
//! ([`Nonresponse`]) some cases end in a refusal, a non-contact, a break-off, a partial
//! interview or a respondent found not eligible, each with its AAPOR outcome.
//!
//! The output is deterministic for a seed: interview `i` is drawn from its own generator seeded
//! from `(seed, i)`, so the interviews can be generated in parallel in any order and still come
//! out identical, file for file. They are written through the store's own atomic write path.

mod answers;
mod interview;
mod names;
mod outcome;
pub mod world;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use fastrand::Rng;
use jiff::civil::Date;
use rayon::prelude::*;

pub use outcome::Nonresponse;

use crate::outcome::Outcome;
use crate::questionnaire::Form;
use crate::store::{EncodedResponse, PendingBatch, Response, Store, StoreError};

/// Which municipalities are surveyed.
#[derive(Debug, Clone, PartialEq)]
pub enum SiteChoice {
    /// All 265 municipalities of the reference list.
    All,
    /// This many, chosen at random (deterministically for the seed).
    Random(usize),
    /// These EKATTE codes.
    Codes(Vec<String>),
    /// These EKATTE codes, each getting a share of the interviews proportional to its weight
    /// (a study's sample targets, say).
    Weighted(Vec<(String, f64)>),
}

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Options {
    pub responses: usize,
    pub seed: u64,
    pub sites: SiteChoice,
    /// First day of fieldwork.
    pub fieldwork_start: Date,
    /// Length of fieldwork in days.
    pub fieldwork_days: u32,
    /// How many cases end without a (complete) interview; none by default.
    pub nonresponse: Nonresponse,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            responses: 1_000,
            seed: DEFAULT_SEED,
            sites: SiteChoice::All,
            fieldwork_start: jiff::civil::date(2026, 9, 7),
            fieldwork_days: 56,
            nonresponse: Nonresponse::NONE,
        }
    }
}

/// The seed used when none is given, so that two runs without `--seed` agree.
pub const DEFAULT_SEED: u64 = 2026;

/// Why a simulation could not be set up or written.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error("unknown municipality code `{0}` (see data/municipalities.csv)")]
    UnknownMunicipality(String),
    #[error("cannot survey {0} municipalities: choose between 1 and {1}")]
    MunicipalityCount(usize, usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A prepared simulation: the population is drawn, interviews are drawn on demand.
#[derive(Debug)]
pub struct Simulation {
    form: Form,
    seed: u64,
    responses: usize,
    fieldwork_start: Date,
    fieldwork_days: u32,
    nonresponse: Nonresponse,
    /// Europe/Sofia, looked up once: fieldwork hours are local time.
    time_zone: jiff::tz::TimeZone,
    world: world::World,
}

/// What a written simulation contains.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cases written: interviews, drafts and cases closed without an interview.
    pub responses: usize,
    pub drafts: usize,
    /// Closed cases by outcome.
    pub outcomes: BTreeMap<Outcome, usize>,
    pub bytes: u64,
    /// Per municipality code: (interviews, interviewers), in code order.
    pub municipalities: BTreeMap<String, (usize, usize)>,
    pub elapsed: Duration,
}

/// What one batch holds: drafts, and closed cases by outcome.
#[derive(Debug, Default)]
struct Tally {
    drafts: usize,
    outcomes: BTreeMap<Outcome, usize>,
}

impl Summary {
    fn add(&mut self, tally: Tally) {
        self.drafts += tally.drafts;
        for (outcome, n) in tally.outcomes {
            *self.outcomes.entry(outcome).or_default() += n;
        }
    }

    /// Closed cases with outcome `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.outcomes.get(&outcome).copied().unwrap_or(0)
    }
}

/// Interviews generated and written per batch: bounds memory whatever the total.
const BATCH: usize = 8_192;

impl Simulation {
    /// Draws the population for `options`; fails on an unknown municipality code or count.
    pub fn new(form: &Form, options: &Options) -> Result<Self, SimulateError> {
        let mut rng = Rng::with_seed(mix(options.seed, u64::MAX));
        let world = world::World::new(form, &options.sites, options.responses, &mut rng)?;
        Ok(Self {
            form: form.clone(),
            seed: options.seed,
            responses: options.responses,
            fieldwork_start: options.fieldwork_start,
            fieldwork_days: options.fieldwork_days,
            nonresponse: options.nonresponse,
            time_zone: crate::store::filter::sofia(),
            world,
        })
    }

    /// How many interviews this simulation has.
    pub fn len(&self) -> usize {
        self.responses
    }

    pub fn is_empty(&self) -> bool {
        self.responses == 0
    }

    /// Interview number `index` (0-based); the same index always gives the same interview.
    pub fn response(&self, index: usize) -> Response {
        interview::generate(self, index)
    }

    /// Generates every interview in parallel and saves them into `store`.
    ///
    /// `progress` is called after each batch with the number written so far.
    pub fn write(
        &self,
        store: &Store,
        mut progress: impl FnMut(usize),
    ) -> Result<Summary, SimulateError> {
        let started = Instant::now();
        let mut summary = Summary {
            responses: self.responses,
            municipalities: self
                .world
                .sites
                .iter()
                .map(|s| {
                    let code = s.municipality.code.clone();
                    (code, (s.interviews, s.interviewers.len()))
                })
                .collect(),
            ..Summary::default()
        };
        // While one batch is being written (and waits for the disk flush), the next one is
        // generated by the thread pool: the CPU work hides the I/O. The writing stays on this
        // thread, outside the pool, so that waiting on the disk never idles a generator.
        let (sender, receiver) = std::sync::mpsc::sync_channel(0);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                for start in (0..self.responses).step_by(BATCH) {
                    let end = (start + BATCH).min(self.responses);
                    // The writer stops receiving only when it failed: nothing more is needed.
                    if sender.send((self.batch(store, start, end), end)).is_err() {
                        break;
                    }
                }
            });
            // Batch k is renamed into place once batch k + 1's temp files are written: its
            // flush to disk runs meanwhile instead of holding up the writing.
            let mut pending: Option<(PendingBatch, Tally, usize)> = None;
            for (batch, end) in receiver {
                let (encoded, tally) = batch?;
                let staged = store.stage_batch(encoded)?;
                if let Some((previous, tally, end)) = pending.replace((staged, tally, end)) {
                    summary.bytes += previous.publish()?;
                    summary.add(tally);
                    progress(end);
                }
            }
            if let Some((last, tally, end)) = pending {
                summary.bytes += last.publish()?;
                summary.add(tally);
                progress(end);
            }
            Ok::<_, SimulateError>(())
        })?;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Interviews `start..end`, encoded for the store, and what they hold. Each interview is
    /// dropped on the thread that drew it, which keeps the allocator local.
    fn batch(
        &self,
        store: &Store,
        start: usize,
        end: usize,
    ) -> Result<(Vec<EncodedResponse>, Tally), StoreError> {
        let encoded: Vec<(EncodedResponse, Option<Outcome>)> = (start..end)
            .into_par_iter()
            .map(|i| {
                let response = self.response(i);
                let outcome = response.final_outcome();
                store.encode_response(&response).map(|e| (e, outcome))
            })
            .collect::<Result<_, _>>()?;
        let mut tally = Tally::default();
        for (_, outcome) in &encoded {
            match outcome {
                Some(outcome) => *tally.outcomes.entry(*outcome).or_default() += 1,
                None => tally.drafts += 1,
            }
        }
        Ok((encoded.into_iter().map(|(e, _)| e).collect(), tally))
    }

    fn seed_for(&self, index: usize) -> u64 {
        mix(self.seed, index as u64)
    }
}

/// SplitMix64 of `seed` and `stream`: well-spread seeds for neighbouring indices.
fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A standard normal draw (Box–Muller); fastrand offers only uniform draws.
fn gaussian(rng: &mut Rng) -> f64 {
    let u = 1.0 - rng.f64(); // in (0, 1], so the logarithm is finite
    let v = rng.f64();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}
