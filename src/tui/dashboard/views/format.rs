//! How figures are printed: one decimal for percentages and means, en dash for intervals.
//! Views and the CSV export both use these, so what is exported is what is shown.

use crate::municipality;

/// A percentage or mean with one decimal, or `–` when there is none.
pub fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"))
}

/// An interval as `lo–hi`, or empty.
pub fn interval(ci: Option<[f64; 2]>) -> String {
    ci.map_or_else(String::new, |[lo, hi]| format!("{lo:.1}–{hi:.1}"))
}

/// The municipality's name in `lang`, or its code when it is not in the reference list.
pub fn municipality_name(code: &str, lang: &str) -> String {
    municipality::bundled()
        .get(code)
        .map_or_else(|| code.to_owned(), |m| m.name(lang).to_owned())
}

/// The municipality's oblast in `lang`, or empty.
pub fn oblast_name(code: &str, lang: &str) -> String {
    municipality::bundled()
        .get(code)
        .map_or_else(String::new, |m| m.oblast(lang).to_owned())
}

/// The name of an oblast given by its code, in `lang`.
pub fn oblast_by_code(oblast: &str, lang: &str) -> String {
    municipality::bundled()
        .all()
        .iter()
        .find(|m| m.oblast_code.eq_ignore_ascii_case(oblast))
        .map_or_else(|| oblast.to_owned(), |m| m.oblast(lang).to_owned())
}

/// A p-value as people write it: `p<0.001` below a thousandth, else three decimals.
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "p<0.001".to_owned()
    } else {
        format!("p={p:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_and_intervals_have_one_decimal() {
        assert_eq!(figure(Some(42.345)), "42.3");
        assert_eq!(figure(None), "–");
        assert_eq!(interval(Some([1.04, 9.96])), "1.0–10.0");
        assert_eq!(p_value(0.0004), "p<0.001");
        assert_eq!(p_value(0.0412), "p=0.041");
    }

    #[test]
    fn unknown_codes_fall_back_to_the_code() {
        assert_eq!(municipality_name("XXX99", "bg"), "XXX99");
        assert_eq!(municipality_name("SOF46", "bg"), "Столична");
    }
}
