//! The response loader on arbitrary bytes: `parse_response` returns a response or a reason,
//! and a parsed response is checked against the bundled questionnaire without panicking —
//! as `Store::load` does with every file it finds.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use anketa::questionnaire::{Form, catalog};
use anketa::store::{admit, check_response, parse_response};
use libfuzzer_sys::fuzz_target;

static FORM: LazyLock<Form> =
    LazyLock::new(|| catalog::default_form().expect("the bundled questionnaire is valid"));

fuzz_target!(|data: &[u8]| {
    if let Ok(mut response) = parse_response(data) {
        let name = format!("{}.json", response.id);
        if check_response(&response, Path::new(&name), &FORM).is_ok() {
            let _ = admit(&mut response, Path::new(&name), &FORM);
        }
        let _ = FORM.relevance(&response.answers);
    }
});
