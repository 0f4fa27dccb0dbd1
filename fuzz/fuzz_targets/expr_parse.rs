//! The expression parser on arbitrary text: a parse error or an expression, never a panic; a
//! parsed expression evaluates without panicking, with every reference answered by a value
//! that depends on its name (text, number, set, special or nothing).
#![no_main]

use anketa::questionnaire::expr::{Env, Value, parse};
use libfuzzer_sys::fuzz_target;

struct Answers;

impl Env for Answers {
    fn lookup(&self, id: &str) -> Value {
        match id.len() % 6 {
            0 => Value::Empty,
            1 => Value::Text(id.to_owned()),
            2 => Value::Number(id.len() as f64 - 3.5),
            3 => Value::Set(vec![id.to_owned(), "yes".to_owned()]),
            4 => Value::Special,
            _ => Value::Text("2024-02-29".to_owned()),
        }
    }

    fn current(&self) -> Value {
        Value::Number(7.0)
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(expr) = parse(text)
    {
        let _ = expr.eval(&Answers);
        let _ = expr.eval_bool(&Answers);
        let _ = expr.references();
    }
});
