//! The filter panel's state: a copy of the filter being edited, one field at a time, each
//! field cycling through the values present in the data.

use jiff::civil::Date;

use super::data::FilterChoices;
use crate::store::{Cases, ResponseFilter};

/// The fields of the panel, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Place,
    Interviewer,
    From,
    To,
    Drafts,
    /// Which closed cases, by outcome.
    Cases,
}

/// Every field, in panel order.
pub const FIELDS: [Field; 6] = [
    Field::Place,
    Field::Interviewer,
    Field::From,
    Field::To,
    Field::Drafts,
    Field::Cases,
];

/// The choices of [`Field::Cases`], in order.
const CASES: [Cases; 3] = [Cases::Interviews, Cases::Completes, Cases::All];

/// A place to filter on: everything, an oblast or one municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    All,
    Oblast(String),
    Municipality(String),
}

/// The open panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterPanel {
    pub field: usize,
    pub draft: ResponseFilter,
}

impl FilterPanel {
    /// A panel editing a copy of `current`.
    pub fn new(current: &ResponseFilter) -> Self {
        Self {
            field: 0,
            draft: current.clone(),
        }
    }

    /// The field under the cursor.
    pub fn current(&self) -> Field {
        FIELDS[self.field.min(FIELDS.len() - 1)]
    }

    /// Moves the cursor up (`-1`) or down (`+1`).
    pub fn move_field(&mut self, delta: isize) {
        self.field = (self.field as isize + delta).rem_euclid(FIELDS.len() as isize) as usize;
    }

    /// Steps the value of the current field backwards (`-1`) or forwards (`+1`) through the
    /// values in `choices`, with "all" / "any day" at the ends.
    pub fn step(&mut self, delta: isize, choices: &FilterChoices) {
        match self.current() {
            Field::Place => {
                let places = places(choices);
                let now = place_of(&self.draft);
                let next = cycle(&places, &now, delta);
                set_place(&mut self.draft, next);
            }
            Field::Interviewer => {
                let mut options = vec![None];
                options.extend(choices.interviewers.iter().cloned().map(Some));
                self.draft.interviewer = cycle(&options, &self.draft.interviewer, delta);
            }
            Field::From => self.draft.from = step_day(&choices.days, self.draft.from, delta),
            Field::To => self.draft.to = step_day(&choices.days, self.draft.to, delta),
            Field::Drafts => self.draft.include_drafts = !self.draft.include_drafts,
            Field::Cases => self.draft.cases = cycle(&CASES, &self.draft.cases, delta),
        }
    }

    /// Resets the current field to its default.
    pub fn clear_field(&mut self) {
        match self.current() {
            Field::Place => set_place(&mut self.draft, Place::All),
            Field::Interviewer => self.draft.interviewer = None,
            Field::From => self.draft.from = None,
            Field::To => self.draft.to = None,
            Field::Drafts => self.draft.include_drafts = false,
            Field::Cases => self.draft.cases = Cases::default(),
        }
    }
}

/// The place options: all, then each oblast, then each municipality present.
pub fn places(choices: &FilterChoices) -> Vec<Place> {
    let mut out = vec![Place::All];
    out.extend(choices.oblasts.iter().cloned().map(Place::Oblast));
    out.extend(
        choices
            .municipalities
            .iter()
            .cloned()
            .map(Place::Municipality),
    );
    out
}

/// The place a filter selects (the first municipality when it lists several).
pub fn place_of(filter: &ResponseFilter) -> Place {
    if let Some(code) = filter.municipalities.first() {
        Place::Municipality(code.clone())
    } else if let Some(o) = &filter.oblast {
        Place::Oblast(o.clone())
    } else {
        Place::All
    }
}

fn set_place(filter: &mut ResponseFilter, place: Place) {
    filter.municipalities.clear();
    filter.oblast = None;
    match place {
        Place::All => {}
        Place::Oblast(o) => filter.oblast = Some(o),
        Place::Municipality(m) => filter.municipalities.push(m),
    }
}

fn cycle<T: Clone + PartialEq>(options: &[T], now: &T, delta: isize) -> T {
    let at = options.iter().position(|o| o == now).unwrap_or(0) as isize;
    let n = options.len().max(1) as isize;
    options[((at + delta).rem_euclid(n)) as usize].clone()
}

fn step_day(days: &[Date], now: Option<Date>, delta: isize) -> Option<Date> {
    let mut options: Vec<Option<Date>> = vec![None];
    options.extend(days.iter().copied().map(Some));
    cycle(&options, &now, delta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> FilterChoices {
        FilterChoices {
            municipalities: vec!["PDV22".into(), "SOF46".into()],
            oblasts: vec!["PDV".into(), "SFO".into()],
            interviewers: vec!["Ана".into(), "Боян".into()],
            days: vec![jiff::civil::date(2026, 3, 1), jiff::civil::date(2026, 3, 2)],
        }
    }

    #[test]
    fn the_place_field_cycles_through_oblasts_then_municipalities_and_wraps() {
        let mut panel = FilterPanel::new(&ResponseFilter::default());
        let c = choices();
        panel.step(1, &c);
        assert_eq!(panel.draft.oblast.as_deref(), Some("PDV"));
        panel.step(2, &c);
        assert_eq!(panel.draft.municipalities, vec!["PDV22".to_owned()]);
        assert_eq!(panel.draft.oblast, None);
        panel.step(2, &c);
        assert_eq!(panel.draft, ResponseFilter::default());
        panel.step(-1, &c);
        assert_eq!(panel.draft.municipalities, vec!["SOF46".to_owned()]);
    }

    #[test]
    fn fields_step_and_clear_independently() {
        let c = choices();
        let mut panel = FilterPanel::new(&ResponseFilter::default());
        panel.move_field(1);
        panel.step(1, &c);
        assert_eq!(panel.draft.interviewer.as_deref(), Some("Ана"));
        panel.move_field(1);
        panel.step(-1, &c);
        assert_eq!(panel.draft.from, Some(jiff::civil::date(2026, 3, 2)));
        panel.move_field(2);
        panel.step(1, &c);
        assert!(panel.draft.include_drafts);
        panel.move_field(-3);
        panel.clear_field();
        assert_eq!(panel.draft.interviewer, None);
        panel.move_field(-2);
        assert_eq!(
            panel.current(),
            Field::Cases,
            "the cursor wraps to the last field"
        );
    }

    #[test]
    fn the_cases_field_cycles_through_the_outcome_selections() {
        let c = choices();
        let mut panel = FilterPanel::new(&ResponseFilter::default());
        panel.move_field(-1);
        assert_eq!(panel.current(), Field::Cases);
        panel.step(1, &c);
        assert_eq!(panel.draft.cases, Cases::Completes);
        panel.step(1, &c);
        assert_eq!(panel.draft.cases, Cases::All);
        panel.step(1, &c);
        assert_eq!(panel.draft.cases, Cases::Interviews);
        panel.step(-1, &c);
        panel.clear_field();
        assert_eq!(panel.draft, ResponseFilter::default());
    }
}
