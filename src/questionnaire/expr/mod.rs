//! The expression language for skip logic (`relevant`) and validation
//! (`constraint`): the subset of XLSForm/ODK XPath that anketa supports.
//!
//! # Syntax
//!
//! | form | meaning |
//! | --- | --- |
//! | `${id}` | the answer to question `id` (an ASCII letter, then ASCII letters, digits or `_`) |
//! | `.` | the answer to the question being checked (in a `constraint`) |
//! | `'text'`, `"text"` | a text literal; there are no escapes, so use the other quote to embed one |
//! | `12`, `3.5`, `.5` | number literals (no sign, no exponent: `-5` is unary minus on `5`) |
//! | `( e )` | grouping |
//! | `f(e, …)` | a call of one of the functions below |
//!
//! Operators, loosest first (XPath's precedence). Binary operators are
//! left-associative, so `2 - 1 - 1` is `(2 - 1) - 1`.
//!
//! 1. `or`
//! 2. `and`
//! 3. `=` `!=`
//! 4. `<` `<=` `>` `>=`
//! 5. `+` `-`
//! 6. `*` `div` `mod`
//! 7. unary `-`
//!
//! The keywords `and`, `or`, `div` and `mod` are lower case only; `/` and `%`
//! are not operators.
//!
//! Functions (an unknown name or a wrong number of arguments is a parse error):
//!
//! | call | result |
//! | --- | --- |
//! | `not(e)` | `true` when `e` is falsy |
//! | `selected(e, c)` | `true` when `e` is a set containing the code `c`, or text whose space-separated words include `c` (a single answer is one word) |
//! | `count-selected(e)` | the number of codes in a set; 1 for non-empty text (a single choice); else 0 |
//! | `string-length(e)` | the number of characters (not bytes) of `e`'s text; 0 when unanswered |
//!
//! A name may contain `-` only when it is called (`count-selected(`), so
//! `${a}-1` and `2-1` are subtractions. Whitespace is allowed anywhere between
//! tokens, including between a function's name and its `(`.
//!
//! # Values
//!
//! See [`Value`]: an answer is [`Value::Empty`] when it was not given or its
//! question is not relevant; it is never 0 or `''`.
//!
//! # Semantics (as in ODK, with the choices noted)
//!
//! * **Missing answers never compare.** Every comparison (`=`, `!=`, `<`, `<=`,
//!   `>`, `>=`) with [`Value::Empty`] or [`Value::Special`] on either side is
//!   `false`, `!=` included: `${x} != 'a'` is false while `x` is unanswered.
//!   This keeps a skip rule from firing on a question nobody answered yet; to
//!   mean "anything but `a`, including nothing", write `not(${x} = 'a')`,
//!   which is true then.
//! * **`=` and `!=`** compare numerically when both sides are numbers, or one
//!   is a number and the other text that reads as a number (`'18' = 18.0`);
//!   two booleans compare as booleans; a set and a text are equal when the set
//!   holds exactly that one code; anything else compares as text (numbers
//!   written without a trailing `.0`, booleans as `true`/`false`, sets as their
//!   codes joined by spaces, as ODK does).
//! * **`<` `<=` `>` `>=`** compare numerically when both sides read as numbers,
//!   and compare two dates written `YYYY-MM-DD` in date order. Anything else
//!   (other text, sets, booleans) is `false`.
//! * **Text reads as a number** when it is, after trimming whitespace, an
//!   optional `-`, digits and at most one `.` (XPath's `number()`): `'1e3'`,
//!   `'+1'` and `'NaN'` do not.
//! * **Arithmetic** (`+ - * div mod`, unary `-`) works on numbers and text
//!   that reads as a number. Anything else, division or `mod` by zero, and a
//!   result that is not finite give [`Value::Empty`], so a comparison with the
//!   result is false. `mod` keeps the sign of the dividend (`-7 mod 3 = -1`).
//!   A boolean counts as 1 or 0, as XPath's `number()` does, so a form can
//!   count conditions: `(${a} = 'x') + (${b} = 'y')`.
//! * **`and`, `or`, `not`** use truthiness and short-circuit: booleans as they
//!   are; numbers when non-zero and not NaN; text and sets when non-empty;
//!   [`Value::Empty`] and [`Value::Special`] are false.
//! * `selected` takes the second argument's text (a number is written as in
//!   `=`); it is false when either argument is empty or special.
//!   `string-length` counts booleans and sets by their text as above.
//! * Evaluation never panics and never fails: every problem yields `Empty` or
//!   `false`.
//!
//! # Limits
//!
//! Parentheses, unary minus and function calls may nest at most
//! [`MAX_NESTING`] deep, and the syntax tree may be at most [`MAX_HEIGHT`]
//! levels high (a chain of 600 `or`s is too high). Deeper input is a parse
//! error, so that parsing, evaluating or dropping an expression cannot
//! overflow the stack.
//!
//! # Examples
//!
//! ```text
//! ${took_part} = 'no'
//! . >= 18 or ${consent_minor} = 'yes'
//! selected(${barriers}, 'no_time') and count-selected(${barriers}) >= 2
//! string-length(.) <= 1000
//! ```

mod eval;
mod lexer;
mod parser;

use std::fmt;

pub use parser::parse;

/// Deepest nesting of parentheses, unary minus and function calls.
pub const MAX_NESTING: usize = 64;

/// Highest syntax tree accepted; bounds the recursion of evaluation.
pub const MAX_HEIGHT: usize = 512;

/// A parsed expression. Only [`parse`] builds one, which guarantees the
/// nesting limits that make evaluating it safe.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    root: Node,
}

/// A node of the syntax tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Number(f64),
    Text(String),
    /// `${id}`
    Ref(String),
    /// `.`
    Current,
    /// Unary minus.
    Neg(Box<Node>),
    Binary(BinOp, Box<Node>, Box<Node>),
    /// A call; the parser has checked the argument count.
    Call(Func, Vec<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Not,
    Selected,
    CountSelected,
    StringLength,
}

impl Func {
    pub const ALL: [Func; 4] = [
        Func::Not,
        Func::Selected,
        Func::CountSelected,
        Func::StringLength,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Func::Not => "not",
            Func::Selected => "selected",
            Func::CountSelected => "count-selected",
            Func::StringLength => "string-length",
        }
    }

    pub fn arity(self) -> usize {
        match self {
            Func::Selected => 2,
            Func::Not | Func::CountSelected | Func::StringLength => 1,
        }
    }

    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl Expr {
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// Every `${id}` in source order, each once.
    pub fn references(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        walk(&self.root, &mut |node| {
            if let Node::Ref(id) = node
                && !ids.contains(&id.as_str())
            {
                ids.push(id);
            }
        });
        ids
    }

    /// Whether the expression reads the current answer (`.`).
    pub fn uses_current(&self) -> bool {
        let mut found = false;
        walk(&self.root, &mut |node| found |= *node == Node::Current);
        found
    }
}

/// Visits nodes parent first, children left to right, i.e. in source order
/// for the leaves.
fn walk<'a>(node: &'a Node, visit: &mut impl FnMut(&'a Node)) {
    visit(node);
    match node {
        Node::Neg(inner) => walk(inner, visit),
        Node::Binary(_, lhs, rhs) => {
            walk(lhs, visit);
            walk(rhs, visit);
        }
        Node::Call(_, args) => args.iter().for_each(|arg| walk(arg, visit)),
        Node::Number(_) | Node::Text(_) | Node::Ref(_) | Node::Current => {}
    }
}

/// Where an expression gets the answers it refers to.
pub trait Env {
    /// The value of `${id}`; [`Value::Empty`] for an unknown id.
    fn lookup(&self, id: &str) -> Value;
    /// The value of `.`.
    fn current(&self) -> Value;
}

/// An answer, or the result of evaluating an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Unanswered, or the question is not relevant.
    Empty,
    Bool(bool),
    Number(f64),
    /// A choice code, free text, a date (`YYYY-MM-DD`) or a municipality code.
    Text(String),
    /// The codes chosen in a multiple-choice question.
    Set(Vec<String>),
    /// A "don't know" or "refused" answer.
    Special,
}

/// Why a source text is not a valid expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 0-based offset in chars (not bytes) of the offending token.
    pub position: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at column {}: {}", self.position + 1, self.message)
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hands out generated values so that every id reads one of them.
    #[derive(Debug)]
    struct AnyEnv(Vec<Value>);

    impl Env for AnyEnv {
        fn lookup(&self, id: &str) -> Value {
            let index = id.bytes().map(usize::from).sum::<usize>() % self.0.len().max(1);
            self.0.get(index).cloned().unwrap_or(Value::Empty)
        }
        fn current(&self) -> Value {
            self.0.first().cloned().unwrap_or(Value::Empty)
        }
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let text = prop_oneof![
            any::<String>(),
            " ?-?[0-9]{0,3}\\.?[0-9]{0,3} ?",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "[a-c]{0,2}",
        ];
        prop_oneof![
            Just(Value::Empty),
            Just(Value::Special),
            any::<bool>().prop_map(Value::Bool),
            prop::num::f64::ANY.prop_map(Value::Number),
            (-3i32..30).prop_map(|n| Value::Number(n.into())),
            text.prop_map(Value::Text),
            prop::collection::vec("[a-c]{0,2}|\\PC{0,3}", 0..4).prop_map(Value::Set),
        ]
    }

    fn any_env() -> impl Strategy<Value = AnyEnv> {
        prop::collection::vec(any_value(), 0..5).prop_map(AnyEnv)
    }

    const OPERATORS: &str = "or and = != < <= > >= + - * div mod";

    /// Source text that is valid by construction, nested a few levels.
    fn valid_source() -> impl Strategy<Value = String> {
        let leaves: Vec<&str> = "${a} ${b} ${c_1} . 2.5 .5 'Пловдив' ''"
            .split(' ')
            .collect();
        let leaf = prop_oneof![
            prop::sample::select(leaves).prop_map(String::from),
            (0u32..40).prop_map(|n| n.to_string()),
            "[a-c0-9-]{0,10}".prop_map(|s| format!("'{s}'")),
        ];
        // `#` appears in no generated source, so it is safe as a placeholder.
        let templates = "#1 #op #2;(#1);-#1;not(#1);selected(#1,#2);count-selected(#1);\
            string-length( #1 )";
        let templates: Vec<&str> = templates.split(';').collect();
        let operators: Vec<&str> = OPERATORS.split(' ').collect();
        leaf.prop_recursive(6, 64, 3, move |inner| {
            let template = prop::sample::select(templates.clone());
            let parts = (template, prop::sample::select(operators.clone()));
            (parts, inner.clone(), inner).prop_map(|((template, op), a, b)| {
                let source = template.replace("#op", op).replace("#1", &a);
                source.replace("#2", &b)
            })
        })
    }

    /// The language's tokens and some near misses, space-separated.
    const TOKENS: &str = "${a} ${b} . 'x' \"Пловдив\" 12 3.5 .5 and or div mod AND = != < <= > >= \
        + - * ( ) , not selected count-selected string-length foo ${ } ${} ' \" $ ! / é";

    fn token_soup() -> impl Strategy<Value = String> {
        let tokens: Vec<&str> = TOKENS.split_whitespace().collect();
        let token = (
            prop::sample::select(tokens),
            prop::sample::select(&["", " "][..]),
        );
        prop::collection::vec(token, 0..24)
            .prop_map(|tokens| tokens.into_iter().map(|(t, s)| format!("{t}{s}")).collect())
    }

    /// Parses and, when that works, evaluates everything; must not panic.
    fn exercise(src: &str, env: &AnyEnv) {
        match parse(src) {
            Ok(expr) => {
                let _ = (expr.eval(env), expr.eval_bool(env));
                let _ = (expr.references(), expr.uses_current(), expr.clone() == expr);
            }
            Err(e) => assert!(e.position <= src.chars().count(), "{src:?}: {e}"),
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_any_text(src in any::<String>(), env in any_env()) {
            exercise(&src, &env);
        }

        #[test]
        fn parse_never_panics_on_printable_text(src in "\\PC{0,40}", env in any_env()) {
            exercise(&src, &env);
        }

        #[test]
        fn parse_never_panics_on_token_soup(src in token_soup(), env in any_env()) {
            exercise(&src, &env);
        }

        #[test]
        fn valid_sources_parse_and_evaluate(src in valid_source(), env in any_env()) {
            let expr = parse(&src);
            prop_assert!(expr.is_ok(), "{}: {:?}", src, expr);
            exercise(&src, &env);
        }
    }

    fn assert_too_deep(src: &str) {
        let e = parse(src).unwrap_err();
        assert!(e.message.contains("too deep"), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        assert_too_deep(&"(".repeat(10_000));
        assert_too_deep(&format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000)));
        assert_too_deep(&format!("{}1", "-".repeat(10_000)));
        assert_too_deep(&"not(".repeat(10_000));
        assert_too_deep(&format!("1{}", " + 1".repeat(100_000)));
        let e = parse(&"(".repeat(10_000)).unwrap_err();
        assert_eq!(e.position, MAX_NESTING);
    }

    #[test]
    fn the_highest_trees_evaluate_on_a_small_stack() {
        let (n, closing) = (MAX_NESTING, ")".repeat(MAX_NESTING));
        let deepest = [
            format!("1{}", " + 1".repeat(MAX_HEIGHT - 1)),
            format!("{}.{closing}", "not(".repeat(n)),
            format!("{}1{closing}", "(1 + ".repeat(n)),
        ];
        // Measured need: about 768 KiB in debug builds, 192 KiB in release,
        // mostly for parsing 64 levels of parentheses; half of the 2 MiB a
        // spawned thread gets by default leaves a margin.
        let worker = std::thread::Builder::new().stack_size(1024 * 1024);
        let handle = worker.spawn(move || {
            let env = AnyEnv(vec![Value::Number(1.0)]);
            deepest
                .iter()
                .map(|src| parse(src).unwrap().eval(&env))
                .collect::<Vec<_>>()
        });
        let values = handle.unwrap().join().unwrap();
        assert_eq!(values[0], Value::Number(MAX_HEIGHT as f64));
        assert_eq!(values[1], Value::Bool(true));
    }

    #[test]
    fn parse_error_display_uses_one_based_columns() {
        let e = parse("1 + foo(1)").unwrap_err();
        assert_eq!(e.to_string(), "at column 5: unknown function `foo`");
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert!(boxed.source().is_none());
    }
}
