//! Evaluation with XLSForm/ODK semantics; see the module docs for the rules.
//! Nothing here fails: every problem becomes `Empty` or `false`.

use std::cmp::Ordering;

use super::{BinOp, Env, Expr, Func, Node, Value};

impl Expr {
    /// The value of the expression with answers taken from `env`.
    pub fn eval(&self, env: &dyn Env) -> Value {
        eval_node(self.root(), env)
    }

    /// Whether the expression holds: the truthiness of [`Expr::eval`].
    pub fn eval_bool(&self, env: &dyn Env) -> bool {
        self.eval(env).is_truthy()
    }
}

impl Value {
    /// XPath's `boolean()`: unanswered and special answers are false.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::Text(s) => !s.is_empty(),
            Value::Set(codes) => !codes.is_empty(),
            Value::Empty | Value::Special => false,
        }
    }

    /// Missing values never compare and never count as selected.
    fn is_missing(&self) -> bool {
        matches!(self, Value::Empty | Value::Special)
    }

    fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Text(s) => parse_number(s),
            _ => None,
        }
    }

    /// XPath's `string()`, with sets joined by spaces as ODK stores them.
    fn to_text(&self) -> String {
        match self {
            Value::Empty | Value::Special => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => format_number(*n),
            Value::Text(s) => s.clone(),
            Value::Set(codes) => codes.join(" "),
        }
    }
}

/// XPath's `number()` grammar, stricter than `f64::from_str`, which would
/// also accept `inf`, `NaN`, `1e3` and `+1`.
fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let digits = unsigned.chars().filter(char::is_ascii_digit).count();
    let dots = unsigned.chars().filter(|&c| c == '.').count();
    if digits == 0 || dots > 1 || digits + dots != unsigned.len() {
        return None;
    }
    s.parse().ok()
}

/// Integers print without `.0`, so that `'5' = 5` and `string-length(10)`
/// agree with what a person sees.
fn format_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n == 0.0 {
        // Also turns -0 into 0.
        "0".into()
    } else {
        n.to_string()
    }
}

fn is_date(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

fn number_or_empty(n: Option<f64>) -> Value {
    match n {
        Some(n) if n.is_finite() => Value::Number(n),
        _ => Value::Empty,
    }
}

fn eval_node(node: &Node, env: &dyn Env) -> Value {
    match node {
        Node::Number(n) => Value::Number(*n),
        Node::Text(s) => Value::Text(s.clone()),
        Node::Ref(id) => env.lookup(id),
        Node::Current => env.current(),
        Node::Neg(inner) => number_or_empty(eval_node(inner, env).as_number().map(|n| -n)),
        Node::Binary(op, lhs, rhs) => eval_binary(*op, lhs, rhs, env),
        Node::Call(func, args) => eval_call(*func, args, env),
    }
}

fn eval_binary(op: BinOp, lhs: &Node, rhs: &Node, env: &dyn Env) -> Value {
    let truthy = |node| eval_node(node, env).is_truthy();
    match op {
        BinOp::Or => Value::Bool(truthy(lhs) || truthy(rhs)),
        BinOp::And => Value::Bool(truthy(lhs) && truthy(rhs)),
        _ => {
            let (a, b) = (eval_node(lhs, env), eval_node(rhs, env));
            match op {
                BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                    arithmetic(op, &a, &b)
                }
                _ => Value::Bool(compare(op, &a, &b)),
            }
        }
    }
}

fn arithmetic(op: BinOp, a: &Value, b: &Value) -> Value {
    // XPath's number(true) = 1, so forms can count conditions: `(${a} = 'x') + (${b} = 'y')`.
    let operand = |v: &Value| match v {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        other => other.as_number(),
    };
    let (Some(x), Some(y)) = (operand(a), operand(b)) else {
        return Value::Empty;
    };
    number_or_empty(match op {
        BinOp::Add => Some(x + y),
        BinOp::Sub => Some(x - y),
        BinOp::Mul => Some(x * y),
        BinOp::Div | BinOp::Mod if y == 0.0 => None,
        BinOp::Div => Some(x / y),
        BinOp::Mod => Some(x % y),
        _ => None,
    })
}

fn compare(op: BinOp, a: &Value, b: &Value) -> bool {
    if a.is_missing() || b.is_missing() {
        return false;
    }
    let ordering = || order(a, b);
    match op {
        BinOp::Eq => equal(a, b),
        BinOp::Ne => !equal(a, b),
        BinOp::Lt => ordering().is_some_and(Ordering::is_lt),
        BinOp::Le => ordering().is_some_and(Ordering::is_le),
        BinOp::Gt => ordering().is_some_and(Ordering::is_gt),
        BinOp::Ge => ordering().is_some_and(Ordering::is_ge),
        _ => false,
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::Number(x), Value::Text(t)) | (Value::Text(t), Value::Number(x)) => {
            parse_number(t).map_or_else(|| format_number(*x) == *t, |y| *x == y)
        }
        (Value::Set(codes), Value::Text(t)) | (Value::Text(t), Value::Set(codes)) => {
            matches!(codes.as_slice(), [only] if only == t)
        }
        _ => a.to_text() == b.to_text(),
    }
}

/// `None` means the values are not ordered, which makes every ordering
/// comparison false.
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_number(), b.as_number()) {
        return x.partial_cmp(&y);
    }
    match (a, b) {
        // ISO dates sort as text.
        (Value::Text(x), Value::Text(y)) if is_date(x) && is_date(y) => Some(x.cmp(y)),
        _ => None,
    }
}

fn eval_call(func: Func, args: &[Node], env: &dyn Env) -> Value {
    // The parser checked the arity; a missing argument reads as empty rather
    // than panicking all the same.
    let arg = |i: usize| args.get(i).map_or(Value::Empty, |a| eval_node(a, env));
    match func {
        Func::Not => Value::Bool(!arg(0).is_truthy()),
        Func::Selected => Value::Bool(selected(&arg(0), &arg(1))),
        Func::CountSelected => Value::Number(match arg(0) {
            Value::Set(codes) => codes.len() as f64,
            Value::Text(s) if !s.is_empty() => 1.0,
            _ => 0.0,
        }),
        Func::StringLength => Value::Number(arg(0).to_text().chars().count() as f64),
    }
}

fn selected(answer: &Value, code: &Value) -> bool {
    if code.is_missing() {
        return false;
    }
    let code = code.to_text();
    match answer {
        Value::Set(codes) => codes.contains(&code),
        // As in ODK, text is a space-separated list of codes, so a form can ask whether an
        // answer is one of several: `selected('SOF46 PDV22 VAR06', ${residence})`. A single
        // choice's code holds no space, so it is a list of one.
        Value::Text(text) => text.split_whitespace().any(|item| item == code),
        Value::Number(_) => answer.to_text() == code,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::Value::*;
    use super::*;
    use std::collections::HashMap;

    #[derive(Default)]
    struct TestEnv {
        answers: HashMap<&'static str, Value>,
        current: Option<Value>,
    }

    impl Env for TestEnv {
        /// `${boom}` shows that short-circuiting skipped an operand.
        fn lookup(&self, id: &str) -> Value {
            assert_ne!(id, "boom", "evaluated an operand that should be skipped");
            self.answers.get(id).cloned().unwrap_or(Empty)
        }
        fn current(&self) -> Value {
            self.current.clone().unwrap_or(Empty)
        }
    }

    fn text(s: &str) -> Value {
        Text(s.into())
    }

    fn set(codes: &[&str]) -> Value {
        Set(codes.iter().map(|c| c.to_string()).collect())
    }

    fn env(answers: &[(&'static str, Value)]) -> TestEnv {
        let answers = answers.iter().cloned().collect();
        TestEnv {
            answers,
            ..TestEnv::default()
        }
    }

    /// The answers the case tables below read; `${missing}` is unanswered.
    fn answers() -> TestEnv {
        let texts =
            "n= 4 |word=x|age=18|code=007|born=2001-05-20|single=cost|city=Пловдив|plovdiv=PDV22";
        let mut env = env(&[
            ("t", Bool(true)),
            ("dk", Special),
            ("zero", Number(0.0)),
            ("three", Number(3.0)),
            ("nan", Number(f64::NAN)),
            ("inf", Number(f64::INFINITY)),
            ("big", Number(1e308)),
            ("none", set(&[])),
            ("multi", set(&["no_time", "cost"])),
            ("one", set(&["cost"])),
        ]);
        for (id, value) in texts.split('|').filter_map(|pair| pair.split_once('=')) {
            env.answers.insert(id, text(value));
        }
        env
    }

    /// Cases separated by newlines or `;` (which no expression contains), each
    /// `source => expected` with expected `true`, `false`, `empty` or a number.
    fn check(cases: &str) {
        let env = answers();
        for case in cases
            .split(['\n', ';'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let (src, expected) = case.rsplit_once(" => ").unwrap();
            let expected = match expected {
                "true" => Bool(true),
                "false" => Bool(false),
                "empty" => Empty,
                n => Number(n.parse().unwrap()),
            };
            let expr = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
            assert_eq!(expr.eval(&env), expected, "{src}");
        }
    }

    #[test]
    fn arithmetic_operators() {
        check(
            "
            1 + 2 * 3 => 7; 2 - 1 - 1 => 0; 7 div 2 => 3.5; -${n} * 2 => -8
            7 mod 3 => 1; -7 mod 3 => -1; 7 mod -3 => 1; ${n} + '1.5' => 5.5
            1 div 0 => empty; 1 mod 0 => empty; ${big} * 10 => empty; -${inf} => empty
            ${word} + 1 => empty; ${t} + 1 => 2; ${missing} + 1 => empty
            ${dk} + 1 => empty; -${word} => empty; ${nan} + 1 => empty
            ' -3.5 ' + 0 => -3.5; '.5' + 0 => 0.5; '5.' + 0 => 5; '12' * 1 => 12
            '1e3' + 0 => empty; 'NaN' + 0 => empty; '+1' + 0 => empty; 'inf' + 0 => empty
            '' + 0 => empty; '-' + 0 => empty; '.' + 0 => empty; '1.2.3' + 0 => empty
            '1 2' + 0 => empty; '--1' + 0 => empty; '١٢' + 0 => empty
        ",
        );
    }

    #[test]
    fn comparisons_with_empty_or_special_are_false() {
        check(
            "
            ${missing} = 'a' => false; ${missing} != 'a' => false
            ${missing} < 1 => false; ${missing} >= 1 => false
            ${missing} = ${missing} => false; . = . => false
            ${dk} = ${dk} => false; ${dk} != 1 => false; 1 div 0 != 1 => false
            not(${missing} = 'a') => true; not(${dk} = 'a') => true
        ",
        );
    }

    #[test]
    fn equality_numeric_or_textual() {
        check(
            r#"
            ${age} = 18 => true; 18.0 = ${age} => true; ${age} != 19 => true
            ${code} = 7 => true; ${code} = '7' => false; 1 = 'one' => false
            'a' = 'a' => true; 'a' != 'b' => true; 'Пловдив' = "Пловдив" => true
            (1 = 1) = (2 = 2) => true; (1 = 1) != (2 = 3) => true
            ${t} = 'true' => true; ${t} = 1 => false
            ${nan} = ${nan} => false; ${nan} != 1 => true; ${inf} > 1 => true
        "#,
        );
    }

    #[test]
    fn ordering_numbers_and_dates_only() {
        check(
            "
            ${age} < 19 => true; ${age} <= 18 => true; ' 9' > '10' => false; 9 >= 9.5 => false
            ${born} < '2001-12-01' => true; ${born} >= '2001-05-20' => true
            ${born} > '2002-01-01' => false; ${born} > 2000 => false
            'b' > 'a' => false; 'a' <= 'a' => false; (1 = 1) > 0 => false
        ",
        );
    }

    #[test]
    fn logic_uses_truthiness_and_short_circuits() {
        check(
            "
            1 and 'x' => true; '0' and 2 => true; ${zero} or '' => false
            ${nan} or ${none} or ${missing} or ${dk} => false
            not(${zero}) => true; not(.) => true; not(${multi}) => false
            1 or ${boom} => true; . and ${boom} => false; 'a' or ${boom} and ${boom} => true
        ",
        );
    }

    #[test]
    fn functions_and_sets() {
        check(
            "
            selected(${multi}, 'cost') => true; selected(${multi}, 'other') => false
            selected(${single}, 'cost') => true; selected(${three}, 3) => true
            selected(${missing}, 'cost') => false; selected(${dk}, 'a') => false
            selected(${multi}, ${missing}) => false
            selected('SOF46 PDV22 VAR06', ${plovdiv}) => true; selected(' a  b ', 'b') => true
            selected('SOF46 PDV22 VAR06', 'PDV2') => false; selected('a b', 'a b') => false
            selected('SOF46 PDV22', ${missing}) => false; selected('SOF46 PDV22', ${dk}) => false
            selected('', '') => false
            count-selected(${multi}) => 2; count-selected(${single}) => 1
            count-selected('') => 0; count-selected(${missing}) => 0; count-selected(${dk}) => 0
            ${one} = 'cost' => true; ${multi} = 'cost' => false
            ${multi} = 'no_time cost' => false; ${multi} = ${multi} => true
            string-length(${city}) => 7; string-length(12.5) => 4; string-length(-0) => 1
            string-length(${missing}) => 0; string-length(${dk}) => 0
            string-length(1 = 1) => 4; string-length(${multi}) => 12
            string-length(${inf}) => 8; string-length(1000000000000000000000) => 22
        ",
        );
    }

    #[test]
    fn example_expressions() {
        let took_part = parse("${took_part} = 'no'").unwrap();
        for (answer, holds) in [(text("no"), true), (text("yes"), false), (Empty, false)] {
            assert_eq!(took_part.eval_bool(&env(&[("took_part", answer)])), holds);
        }

        let adult = parse(". >= 18 or ${consent_minor} = 'yes'").unwrap();
        let mut e = env(&[("consent_minor", text("no"))]);
        for (age, holds) in [(Number(30.0), true), (text("17"), false), (Empty, false)] {
            e.current = Some(age);
            assert_eq!(adult.eval_bool(&e), holds);
        }
        e.answers.insert("consent_minor", text("yes"));
        assert!(adult.eval_bool(&e));

        let src = "selected(${barriers}, 'no_time') and count-selected(${barriers}) >= 2";
        let barriers = parse(src).unwrap();
        for (codes, holds) in [(vec!["no_time", "cost"], true), (vec!["no_time"], false)] {
            assert_eq!(
                barriers.eval_bool(&env(&[("barriers", set(&codes))])),
                holds
            );
        }
        assert!(!barriers.eval_bool(&env(&[("barriers", set(&["a", "b"]))])));

        let length = parse("string-length(.) <= 1000").unwrap();
        for (current, holds) in [(1000, true), (1001, false)] {
            let e = TestEnv {
                current: Some(text(&"я".repeat(current))),
                ..answers()
            };
            assert_eq!(length.eval_bool(&e), holds);
        }
        assert!(length.eval_bool(&answers()));
    }
}
