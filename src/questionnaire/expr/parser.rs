//! Recursive-descent parser, one function per precedence level.

use super::lexer::{Token, TokenKind, tokenize};
use super::{BinOp, Expr, Func, MAX_HEIGHT, MAX_NESTING, Node, ParseError};

/// A node with the height of its tree, tracked so that long operator chains,
/// which the parser builds in a loop rather than by recursion, cannot make a
/// tree too high to evaluate.
type Parsed = (Node, usize);

/// Binary precedence levels, loosest first; level `LEVELS.len()` is unary.
const LEVELS: [&[BinOp]; 6] = [
    &[BinOp::Or],
    &[BinOp::And],
    &[BinOp::Eq, BinOp::Ne],
    &[BinOp::Lt, BinOp::Le, BinOp::Gt, BinOp::Ge],
    &[BinOp::Add, BinOp::Sub],
    &[BinOp::Mul, BinOp::Div, BinOp::Mod],
];

/// Parses an expression, or says where and why it is invalid.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let mut parser = Parser {
        tokens: tokenize(src)?,
        next: 0,
        nesting: 0,
        end: src.chars().count(),
    };
    let (root, _) = parser.binary(0)?;
    match parser.peek() {
        None => Ok(Expr { root }),
        Some(tok) if tok.kind == TokenKind::RParen => {
            Err(error(tok.pos, "unbalanced `)`: no matching `(`"))
        }
        Some(tok) => Err(error(tok.pos, found("an operator", &tok.kind))),
    }
}

fn error(position: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        position,
        message: message.into(),
    }
}

struct Parser {
    tokens: Vec<Token>,
    next: usize,
    nesting: usize,
    /// Char length of the source: where "unexpected end" errors point.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn advance(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.next).cloned();
        self.next += 1;
        token
    }

    fn peek_is(&self, kind: &TokenKind) -> bool {
        self.peek().is_some_and(|t| t.kind == *kind)
    }

    /// Wraps a node, checking the height limit.
    fn node(&self, pos: usize, node: Node, child_height: usize) -> Result<Parsed, ParseError> {
        let height = child_height + 1;
        if height > MAX_HEIGHT {
            let message = format!("expression nests operators too deeply (over {MAX_HEIGHT})");
            return Err(error(pos, message));
        }
        Ok((node, height))
    }

    /// Runs `inner` one nesting level deeper; `pos` is the token that opened
    /// the level.
    fn nested<T>(
        &mut self,
        pos: usize,
        inner: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if self.nesting >= MAX_NESTING {
            let message = format!("expression is nested too deeply (over {MAX_NESTING} levels)");
            return Err(error(pos, message));
        }
        self.nesting += 1;
        let result = inner(self);
        self.nesting -= 1;
        result
    }

    fn binary(&mut self, level: usize) -> Result<Parsed, ParseError> {
        let Some(ops) = LEVELS.get(level) else {
            return self.unary();
        };
        let (mut lhs, mut height) = self.binary(level + 1)?;
        while let Some(tok) = self.peek() {
            let pos = tok.pos;
            let TokenKind::Op(op) = tok.kind else { break };
            if !ops.contains(&op) {
                break;
            }
            self.next += 1;
            let (rhs, rhs_height) = self.binary(level + 1)?;
            let node = Node::Binary(op, Box::new(lhs), Box::new(rhs));
            (lhs, height) = self.node(pos, node, height.max(rhs_height))?;
        }
        Ok((lhs, height))
    }

    fn unary(&mut self) -> Result<Parsed, ParseError> {
        match self.peek() {
            Some(tok) if tok.kind == TokenKind::Op(BinOp::Sub) => {
                let pos = tok.pos;
                self.next += 1;
                let (operand, height) = self.nested(pos, Self::unary)?;
                self.node(pos, Node::Neg(Box::new(operand)), height)
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Parsed, ParseError> {
        let Some(Token { kind, pos }) = self.advance() else {
            return Err(error(self.end, "unexpected end of expression"));
        };
        let leaf = match kind {
            TokenKind::Number(n) => Node::Number(n),
            TokenKind::Text(s) => Node::Text(s),
            TokenKind::Ref(id) => Node::Ref(id),
            TokenKind::Dot => Node::Current,
            TokenKind::LParen => return self.nested(pos, |p| p.group(pos)),
            TokenKind::Name(name) => return self.call(&name, pos),
            other => return Err(error(pos, found("a value", &other))),
        };
        Ok((leaf, 1))
    }

    /// The rest of `( e )` after the `(` at `open`.
    fn group(&mut self, open: usize) -> Result<Parsed, ParseError> {
        let inner = self.binary(0)?;
        self.close(open, "`)`")?;
        Ok(inner)
    }

    /// Consumes the `)` that closes the `(` at `open`.
    fn close(&mut self, open: usize, expected: &str) -> Result<(), ParseError> {
        match self.advance() {
            Some(tok) if tok.kind == TokenKind::RParen => Ok(()),
            Some(tok) => Err(error(tok.pos, found(expected, &tok.kind))),
            None => Err(error(open, "unbalanced `(`: missing `)`")),
        }
    }

    fn call(&mut self, name: &str, pos: usize) -> Result<Parsed, ParseError> {
        let is_call = self.peek_is(&TokenKind::LParen);
        let func = match Func::from_name(name) {
            Some(func) if is_call => func,
            Some(_) => return Err(error(pos, format!("expected `(` after `{name}`"))),
            None if is_call => return Err(error(pos, format!("unknown function `{name}`"))),
            None => return Err(error(pos, unknown_name(name))),
        };
        let open = self.advance().map_or(pos, |t| t.pos);
        let (args, height) = self.nested(open, |p| p.arguments(open))?;
        if args.len() != func.arity() {
            let plural = if func.arity() == 1 { "" } else { "s" };
            let message = format!(
                "`{name}` takes {} argument{plural}, found {}",
                func.arity(),
                args.len()
            );
            return Err(error(pos, message));
        }
        self.node(pos, Node::Call(func, args), height)
    }

    /// Arguments after the `(` at `open`, through the closing `)`.
    fn arguments(&mut self, open: usize) -> Result<(Vec<Node>, usize), ParseError> {
        let mut args = Vec::new();
        let mut height = 0;
        if self.peek_is(&TokenKind::RParen) {
            self.next += 1;
            return Ok((args, height));
        }
        loop {
            let (arg, arg_height) = self.binary(0)?;
            args.push(arg);
            height = height.max(arg_height);
            if !self.peek_is(&TokenKind::Comma) {
                self.close(open, "`,` or `)`")?;
                return Ok((args, height));
            }
            self.next += 1;
        }
    }
}

fn is_upper_case_keyword(name: &str) -> bool {
    matches!(name.to_lowercase().as_str(), "and" | "or" | "div" | "mod")
}

fn found(expected: &str, kind: &TokenKind) -> String {
    match kind {
        TokenKind::Name(name) if is_upper_case_keyword(name) => {
            format!("expected {expected}, found {kind} (operators are lower case)")
        }
        _ => format!("expected {expected}, found {kind}"),
    }
}

fn unknown_name(name: &str) -> String {
    if is_upper_case_keyword(name) {
        format!("unknown name `{name}` (operators are lower case)")
    } else {
        format!("unknown name `{name}` (text needs quotes: '{name}')")
    }
}

#[cfg(test)]
mod tests {
    use super::super::{BinOp::*, Node::*};
    use super::*;

    fn tree(src: &str) -> Node {
        parse(src)
            .unwrap_or_else(|e| panic!("{src}: {e}"))
            .root()
            .clone()
    }

    fn bin(op: BinOp, l: Node, r: Node) -> Node {
        Binary(op, Box::new(l), Box::new(r))
    }

    fn num(n: f64) -> Node {
        Number(n)
    }

    fn var(id: &str) -> Node {
        Ref(id.into())
    }

    #[test]
    fn precedence_follows_xpath() {
        let mul = bin(Mul, num(2.0), num(3.0));
        assert_eq!(
            tree("1 + 2 * 3 = 7"),
            bin(Eq, bin(Add, num(1.0), mul), num(7.0))
        );
        let (a, b, c) = (var("a"), var("b"), var("c"));
        let and = bin(And, b.clone(), c.clone());
        assert_eq!(tree("${a} or ${b} and ${c}"), bin(Or, a.clone(), and));
        let not = Call(Func::Not, vec![a.clone()]);
        assert_eq!(tree("not(${a}) and ${b}"), bin(And, not, b.clone()));
        let sum = bin(Add, a.clone(), num(1.0));
        assert_eq!(tree("${a} + 1 > ${b}"), bin(Gt, sum, b.clone()));
        let lt = bin(Lt, a.clone(), b.clone());
        assert_eq!(tree("${a} < ${b} = ${c}"), bin(Eq, lt, c.clone()));
        let grouped = bin(Mul, bin(Add, num(1.0), num(2.0)), num(3.0));
        assert_eq!(tree("(1 + 2) * 3"), grouped);
    }

    #[test]
    fn binary_operators_are_left_associative() {
        let sub = bin(Sub, bin(Sub, num(2.0), num(1.0)), num(1.0));
        assert_eq!(tree("2 - 1 - 1 = 0"), bin(Eq, sub, num(0.0)));
        let div = bin(Mod, bin(Div, num(8.0), num(4.0)), num(2.0));
        assert_eq!(tree("8 div 4 mod 2"), div);
        assert_eq!(tree("${a}-1"), bin(Sub, var("a"), num(1.0)));
    }

    #[test]
    fn unary_minus_binds_tightest() {
        let neg = |n: Node| Neg(Box::new(n));
        assert_eq!(tree("-2 * 3"), bin(Mul, neg(num(2.0)), num(3.0)));
        assert_eq!(tree("1 - -.5"), bin(Sub, num(1.0), neg(num(0.5))));
        assert_eq!(tree("- - ${a}"), neg(neg(var("a"))));
        assert_eq!(tree("-(1 + 2)"), neg(bin(Add, num(1.0), num(2.0))));
    }

    #[test]
    fn every_operator() {
        for op in [Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod] {
            let src = format!(". {} 'x'", op.symbol());
            assert_eq!(tree(&src), bin(op, Current, Text("x".into())), "{src}");
        }
    }

    #[test]
    fn every_function() {
        let cases = [
            ("not(.)", Func::Not, vec![Current]),
            (
                "selected(${a}, 'c')",
                Func::Selected,
                vec![var("a"), Text("c".into())],
            ),
            ("count-selected(.)", Func::CountSelected, vec![Current]),
            ("string-length( . )", Func::StringLength, vec![Current]),
            (
                "not(not(.))",
                Func::Not,
                vec![Call(Func::Not, vec![Current])],
            ),
        ];
        for (src, func, args) in cases {
            assert_eq!(tree(src), Call(func, args), "{src}");
        }
    }

    /// One case a line: `source | position | message` (no source or message
    /// here contains `|`).
    const ERRORS: &str = r#"
        | 0 | unexpected end of expression
        1 + | 3 | unexpected end of expression
        1 + * 2 | 4 | expected a value, found `*`
        1 2 | 2 | expected an operator, found number 2
        ${a} = 'x' ${b} | 11 | expected an operator, found `${b}`
        (1 + 2 | 0 | unbalanced `(`: missing `)`
        ((1) | 0 | unbalanced `(`: missing `)`
        (1 2) | 3 | expected `)`, found number 2
        1 + 2) | 5 | unbalanced `)`: no matching `(`
        () | 1 | expected a value, found `)`
        foo(1) | 0 | unknown function `foo`
        'Пловдив' = bar(1) | 12 | unknown function `bar`
        ${a} = yes | 7 | unknown name `yes` (text needs quotes: 'yes')
        1 AND 2 | 2 | expected an operator, found `AND` (operators are lower case)
        Or 1 | 0 | unknown name `Or` (operators are lower case)
        not . | 0 | expected `(` after `not`
        not() | 0 | `not` takes 1 argument, found 0
        not(1, 2) | 0 | `not` takes 1 argument, found 2
        selected(.) | 0 | `selected` takes 2 arguments, found 1
        1 = count-selected(., .) | 4 | `count-selected` takes 1 argument, found 2
        string-length() | 0 | `string-length` takes 1 argument, found 0
        not(1,) | 6 | expected a value, found `)`
        not(1 2) | 6 | expected `,` or `)`, found number 2
        selected(., 'a' | 8 | unbalanced `(`: missing `)`
        'Пловдив' = = 1 | 12 | expected a value, found `=`
        ${a} = ${} | 7 | empty reference `${}`
    "#;

    #[test]
    fn errors_point_at_the_offending_token() {
        for case in ERRORS.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let [src, pos, message] = *case.split('|').map(str::trim).collect::<Vec<_>>() else {
                panic!("bad case {case}");
            };
            let e = parse(src).unwrap_err();
            let expected = (pos.parse().unwrap(), message);
            assert_eq!((e.position, e.message.as_str()), expected, "{src}");
        }
    }

    #[test]
    fn nesting_limits_are_exact() {
        let parens = |n: usize| format!("{}1{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&parens(MAX_NESTING)).is_ok());
        let e = parse(&parens(MAX_NESTING + 1)).unwrap_err();
        let expected = "expression is nested too deeply (over 64 levels)";
        assert_eq!((e.position, e.message.as_str()), (MAX_NESTING, expected));
        let minus = format!("{}1", "-".repeat(MAX_NESTING + 5));
        assert_eq!(parse(&minus).unwrap_err().position, MAX_NESTING);
        // The 65th call's `(` is the first one refused.
        let calls = format!("{}.{}", "not(".repeat(70), ")".repeat(70));
        assert_eq!(parse(&calls).unwrap_err().position, 4 * MAX_NESTING + 3);
        // A leaf is one level high and each operator adds one.
        let chain = |ops: usize| format!("1{}", " or 1".repeat(ops));
        assert!(parse(&chain(MAX_HEIGHT - 1)).is_ok());
        let e = parse(&chain(MAX_HEIGHT)).unwrap_err();
        let expected = "expression nests operators too deeply (over 512)";
        assert_eq!(
            (e.position, e.message.as_str()),
            (5 * MAX_HEIGHT - 3, expected)
        );
    }

    #[test]
    fn references_in_source_order_without_duplicates() {
        let expr = parse("${b} = 1 or selected(${a}, 'x') and ${b} > ${c_2} - ${a}").unwrap();
        assert_eq!(expr.references(), vec!["b", "a", "c_2"]);
        assert!(!expr.uses_current());
        assert!(parse("1 + 2").unwrap().references().is_empty());
    }

    #[test]
    fn uses_current_finds_the_dot_anywhere() {
        for src in [".", "string-length(.) <= 1000", "${a} = 1 or -(. + 1) > 2"] {
            assert!(parse(src).unwrap().uses_current(), "{src}");
        }
        assert!(!parse("'.' = .5").unwrap().uses_current());
    }
}
