//! Short question codes for people: the section's letter and the question's number in it
//! (`A1`, `D3`), as printed questionnaires and CAPI programs number their items. Interviewers
//! and supervisors say "D3" on the phone; ids such as `p_consultation` are for the data.
//!
//! Only questions that take an answer are numbered, so a note added to a section does not
//! renumber the items after it. Codes follow the order of the questionnaire; they are derived,
//! never stored, so a response file depends only on the ids.

use super::Questionnaire;

/// The code of every question in questionnaire order (notes get an empty code).
pub fn question_codes(questionnaire: &Questionnaire) -> Vec<String> {
    let mut codes = Vec::new();
    for (s, section) in questionnaire.sections.iter().enumerate() {
        let letter = section_letter(s);
        let mut n = 0;
        for question in &section.questions {
            if question.kind.is_answerable() {
                n += 1;
                codes.push(format!("{letter}{n}"));
            } else {
                codes.push(String::new());
            }
        }
    }
    codes
}

/// A, B, … Z, then AA, AB… for the 27th section and on.
fn section_letter(index: usize) -> String {
    let mut out = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog;

    #[test]
    fn sections_are_lettered_and_answerable_questions_numbered() {
        let form = catalog::default_form().unwrap();
        let codes = question_codes(form.questionnaire());
        assert_eq!(codes.len(), form.questions().len());
        let code = |id: &str| codes[form.position(id).unwrap()].as_str();
        assert_eq!(code("intro"), "", "a note has no code");
        assert_eq!(code("consent"), "A1");
        assert_eq!(code("age"), "A2");
        assert_eq!(code("gender"), "B1");
        assert_eq!(code("p_contact"), "D1");
        assert_eq!(code("p_consultation"), "D2");
        assert_eq!(section_letter(25), "Z");
        assert_eq!(section_letter(26), "AA");
        assert_eq!(section_letter(27), "AB");
    }
}
