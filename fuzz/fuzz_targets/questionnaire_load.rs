//! The questionnaire loader on arbitrary text: it returns a form or an error naming the place,
//! and never panics. When the text is a valid questionnaire, routing with no answers must work
//! too, so an accepted file can never crash an interview on its first screen.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(form) = anketa::questionnaire::load_str(text, "fuzz.json") {
        let relevant = form.relevance(&Default::default());
        assert_eq!(relevant.len(), form.questions().len());
    }
});
