//! The simulated population: which municipalities are surveyed and how many interviews each
//! gets, who interviews there, and how answers are distributed.
//!
//! Answers come from a small latent-trait model. Every respondent has a general civic
//! disposition, drawn around their municipality's own mean, and one trait per questionnaire
//! section correlated with it. A choice option's log-weight is its base weight, plus a tilt that
//! belongs to the municipality, plus its loading times the respondent's section trait. So
//! answers within a section hang together (indices are coherent) and municipalities really
//! differ (a chi-square test across them finds it). The whole model is read from the [`Form`]:
//! ordered options (those with values) load by their value, options counted by a `count` index
//! load positively and are rarer, and nothing names a particular question.

use std::collections::HashSet;

use fastrand::Rng;

use super::{SimulateError, SiteChoice, gaussian, names};
use crate::municipality::{self, Municipality};
use crate::questionnaire::{Form, IndexMethod, QuestionType, expr};

/// One surveyed municipality.
#[derive(Debug, Clone)]
pub(super) struct Site {
    pub municipality: &'static Municipality,
    pub interviews: usize,
    pub interviewers: Vec<Interviewer>,
    /// Mean of the general civic disposition of its residents.
    pub disposition: f64,
    /// Per section, a shift of the section trait.
    pub section_shift: Vec<f64>,
    /// Per question position, per option, the municipality's own log-weight tilt
    /// (one value for numeric questions).
    pub tilt: Vec<Vec<f64>>,
}

/// One interviewer and the habits that make their interviews recognisable.
#[derive(Debug, Clone)]
pub(super) struct Interviewer {
    pub name: String,
    /// Multiplies every question's time.
    pub pace: f64,
    /// Multiplies respondents' rate of "don't know" and "refused".
    pub special_bias: f64,
}

/// How one question's answers are drawn.
#[derive(Debug, Clone, Default)]
pub(super) struct QuestionModel {
    pub section: usize,
    /// Per option: base log-weight and loading on the section trait.
    pub base: Vec<f64>,
    pub loading: Vec<f64>,
    /// Referenced by a relevance expression: its answer changes what is asked next.
    pub routes: bool,
    /// Referenced by a section's relevance: the gate into a whole section (consent, screening).
    pub gate: bool,
    /// Whether an expression decides if it is asked: its own `relevant`, or its section's when
    /// it opens that section. Every other question inherits its section's verdict.
    pub decides_relevance: bool,
}

/// The population of one simulation.
#[derive(Debug)]
pub(super) struct World {
    pub sites: Vec<Site>,
    /// `starts[i]` is the index of the first interview of `sites[i]`.
    starts: Vec<usize>,
    pub questions: Vec<QuestionModel>,
    pub sections: usize,
}

impl World {
    pub fn new(
        form: &Form,
        choice: &SiteChoice,
        responses: usize,
        rng: &mut Rng,
    ) -> Result<Self, SimulateError> {
        let (questions, sections) = question_models(form, rng);
        let chosen = choose_municipalities(choice, rng)?;
        // Planned allocations are achieved within about ±15 %; free ones vary about ±35 %.
        let (weights, spread) = match choice {
            SiteChoice::Weighted(pairs) => (
                chosen
                    .iter()
                    .map(|m| {
                        pairs
                            .iter()
                            .find(|(c, _)| *c == m.code)
                            .map_or(1.0, |p| p.1)
                    })
                    .collect(),
                0.15,
            ),
            _ => (vec![1.0; chosen.len()], 0.35),
        };
        let counts = allocate(responses, &weights, spread, rng);
        let mut used_names = HashSet::new();
        let mut sites = Vec::with_capacity(chosen.len());
        let mut starts = Vec::with_capacity(chosen.len());
        let mut next = 0;
        for (municipality, interviews) in chosen.into_iter().zip(counts) {
            starts.push(next);
            next += interviews;
            let interviewers = interviewers(interviews, &mut used_names, rng);
            sites.push(Site {
                municipality,
                interviews,
                interviewers,
                disposition: 0.45 * gaussian(rng),
                section_shift: (0..sections).map(|_| 0.3 * gaussian(rng)).collect(),
                tilt: questions
                    .iter()
                    .map(|m| {
                        (0..m.base.len().max(1))
                            .map(|_| 0.45 * gaussian(rng))
                            .collect()
                    })
                    .collect(),
            });
        }
        Ok(Self {
            sites,
            starts,
            questions,
            sections,
        })
    }

    /// The site of interview `index`.
    pub fn site_of(&self, index: usize) -> &Site {
        let i = self.starts.partition_point(|&start| start <= index);
        &self.sites[i.saturating_sub(1)]
    }
}

fn choose_municipalities(
    choice: &SiteChoice,
    rng: &mut Rng,
) -> Result<Vec<&'static Municipality>, SimulateError> {
    let list = municipality::bundled();
    match choice {
        SiteChoice::All => Ok(list.all().iter().collect()),
        SiteChoice::Random(k) => {
            if *k == 0 || *k > list.all().len() {
                return Err(SimulateError::MunicipalityCount(*k, list.all().len()));
            }
            let mut all: Vec<&Municipality> = list.all().iter().collect();
            rng.shuffle(&mut all);
            all.truncate(*k);
            all.sort_by(|a, b| a.code.cmp(&b.code));
            Ok(all)
        }
        SiteChoice::Weighted(pairs) => {
            if pairs.iter().any(|(_, w)| !w.is_finite() || *w <= 0.0) {
                return Err(SimulateError::MunicipalityCount(0, list.all().len()));
            }
            let codes: Vec<String> = pairs.iter().map(|(c, _)| c.clone()).collect();
            choose_municipalities(&SiteChoice::Codes(codes), rng)
        }
        SiteChoice::Codes(codes) => {
            let mut chosen: Vec<&Municipality> = Vec::with_capacity(codes.len());
            for code in codes {
                let m = list
                    .get(code)
                    .ok_or_else(|| SimulateError::UnknownMunicipality(code.clone()))?;
                if !chosen.iter().any(|c| c.code == m.code) {
                    chosen.push(m);
                }
            }
            if chosen.is_empty() {
                return Err(SimulateError::MunicipalityCount(0, list.all().len()));
            }
            Ok(chosen)
        }
    }
}

/// Splits `total` interviews over the sites in proportion to `planned`, unequally around it (as
/// achieved samples are), summing exactly.
fn allocate(total: usize, planned: &[f64], spread: f64, rng: &mut Rng) -> Vec<usize> {
    let sites = planned.len();
    let weights: Vec<f64> = planned
        .iter()
        .map(|p| p * (spread * gaussian(rng)).exp())
        .collect();
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut counts: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut order: Vec<usize> = (0..sites).collect();
    // Largest remainders first, so the rounding is fair and the total exact.
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    let missing = total - counts.iter().sum::<usize>();
    for &i in order.iter().take(missing) {
        counts[i] += 1;
    }
    counts
}

/// Two to eight interviewers per municipality, about one per 150 interviews, all distinct.
fn interviewers(interviews: usize, used: &mut HashSet<String>, rng: &mut Rng) -> Vec<Interviewer> {
    let wanted = (interviews / 150).clamp(2, 8).min(interviews.max(1));
    let mut team = Vec::with_capacity(wanted);
    while team.len() < wanted {
        let mut name = names::person(rng);
        // The name pool is finite; a numbered name keeps identities distinct in huge samples.
        if used.contains(&name) {
            name = format!("{name} {}", used.len() + 1);
        }
        used.insert(name.clone());
        team.push(Interviewer {
            name,
            pace: (0.2 * gaussian(rng)).exp(),
            special_bias: (0.4 * gaussian(rng)).exp(),
        });
    }
    team
}

/// The model of every question, in form order, and the number of sections.
fn question_models(form: &Form, rng: &mut Rng) -> (Vec<QuestionModel>, usize) {
    let mut routing: HashSet<String> = HashSet::new();
    let mut gates: HashSet<String> = HashSet::new();
    let mut section_of = Vec::new();
    let mut decides = Vec::new();
    for (s, section) in form.questionnaire().sections.iter().enumerate() {
        if let Some(src) = &section.relevant {
            for id in references(src) {
                gates.insert(id.clone());
                routing.insert(id);
            }
        }
        for (i, q) in section.questions.iter().enumerate() {
            section_of.push(s);
            decides.push(q.relevant.is_some() || (i == 0 && section.relevant.is_some()));
            if let Some(src) = &q.relevant {
                routing.extend(references(src));
            }
            // `choices_from` makes the offered options depend on an earlier answer.
            if let Some(from) = &q.choices_from {
                routing.insert(from.clone());
            }
        }
    }
    let counted = counted_codes(form);
    let models = form
        .questions()
        .iter()
        .zip(section_of.into_iter().zip(decides))
        .map(|(q, (section, decides_relevance))| {
            let mut model = QuestionModel {
                section,
                decides_relevance,
                routes: routing.contains(&q.id),
                gate: gates.contains(&q.id),
                ..QuestionModel::default()
            };
            if matches!(q.kind, QuestionType::Single | QuestionType::Multiple) {
                let counts = |code: &str| counted.contains(&(q.id.as_str(), code));
                choice_weights(form, q, &counts, &mut model, rng);
            } else {
                model.base = vec![0.4 * gaussian(rng)];
            }
            model
        })
        .collect();
    (models, form.questionnaire().sections.len())
}

/// Base weights and loadings of a choice question's options.
fn choice_weights(
    form: &Form,
    q: &crate::questionnaire::Question,
    counted: &dyn Fn(&str) -> bool,
    model: &mut QuestionModel,
    rng: &mut Rng,
) {
    let options = form.choices(q);
    let values: Vec<Option<f64>> = options.iter().map(|c| c.value).collect();
    let ordered = values.iter().any(Option::is_some);
    let (lo, hi) = values
        .iter()
        .flatten()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let multiple = q.kind == QuestionType::Multiple;
    for (choice, value) in options.iter().zip(values) {
        let mut base = 0.5 * gaussian(rng);
        let mut loading = 0.5 * gaussian(rng);
        if let Some(v) = value.filter(|_| ordered && hi > lo) {
            // Position on the scale, from -1 (lowest value) to 1 (highest): answers pile up
            // in the middle and thin out towards the ends, as on most attitude items.
            let position = 2.0 * (v - lo) / (hi - lo) - 1.0;
            base = 0.25 * gaussian(rng) + 0.7 - 0.9 * position * position;
            loading = 1.2 * position;
        }
        if counted(&choice.code) {
            // What a count index tallies (acts of participation) is a minority behaviour.
            base -= 2.3;
            loading = 1.1;
        }
        if choice.exclusive {
            base -= if multiple { 1.6 } else { 0.0 };
            loading = -0.8;
        }
        if choice.other {
            base -= 2.2;
            loading = 0.0;
        }
        if multiple {
            // Per-option inclusion propensities: most options are picked by a minority.
            base -= 0.6;
        }
        model.base.push(base);
        model.loading.push(loading);
    }
}

/// (question id, code) pairs that a `count` index tallies.
fn counted_codes(form: &Form) -> HashSet<(&str, &str)> {
    let mut set = HashSet::new();
    for index in form.indices() {
        if index.method == IndexMethod::Count {
            for item in &index.items {
                for code in &index.count_codes {
                    set.insert((item.as_str(), code.as_str()));
                }
            }
        }
    }
    set
}

/// The question ids an expression refers to.
fn references(source: &str) -> Vec<String> {
    expr::parse(source)
        .map(|e| e.references().into_iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_sums_exactly_and_varies() {
        let mut rng = Rng::with_seed(1);
        let counts = allocate(3_001, &[1.0; 12], 0.35, &mut rng);
        assert_eq!(counts.iter().sum::<usize>(), 3_001);
        assert!(counts.iter().max() > counts.iter().min());
        let planned = allocate(10_000, &[8.0, 1.0], 0.15, &mut rng);
        assert!(planned[0] > 5 * planned[1], "{planned:?}");
    }

    #[test]
    fn every_interview_index_has_its_site() {
        let form = crate::questionnaire::catalog::default_form().unwrap();
        let mut rng = Rng::with_seed(2);
        let world = World::new(&form, &SiteChoice::Random(5), 1_000, &mut rng).unwrap();
        let mut seen = vec![0; world.sites.len()];
        for i in 0..1_000 {
            let site = world.site_of(i);
            let k = world
                .sites
                .iter()
                .position(|s| std::ptr::eq(s, site))
                .unwrap();
            seen[k] += 1;
        }
        let expected: Vec<usize> = world.sites.iter().map(|s| s.interviews).collect();
        assert_eq!(seen, expected);
        assert!(world.sites.iter().all(|s| s.interviewers.len() >= 2));
    }
}
