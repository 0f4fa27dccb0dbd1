//! Splits source text into tokens. Positions are counted in chars, not bytes,
//! so that error columns stay right after Cyrillic text in string literals.

use std::fmt;

use super::{BinOp, ParseError};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum TokenKind {
    Number(f64),
    Text(String),
    Ref(String),
    Dot,
    /// A function name (or a stray word, which the parser rejects).
    Name(String),
    /// A binary operator; `-` is also unary minus.
    Op(BinOp),
    LParen,
    RParen,
    Comma,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub kind: TokenKind,
    /// 0-based char offset of the token's first char.
    pub pos: usize,
}

impl BinOp {
    /// How the operator is written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "div",
            BinOp::Mod => "mod",
        }
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenKind::Number(n) => write!(f, "number {n}"),
            TokenKind::Text(s) => write!(f, "text '{s}'"),
            TokenKind::Ref(id) => write!(f, "`${{{id}}}`"),
            TokenKind::Name(name) => write!(f, "`{name}`"),
            TokenKind::Op(op) => write!(f, "`{}`", op.symbol()),
            TokenKind::Dot => f.write_str("`.`"),
            TokenKind::LParen => f.write_str("`(`"),
            TokenKind::RParen => f.write_str("`)`"),
            TokenKind::Comma => f.write_str("`,`"),
        }
    }
}

pub(super) fn tokenize(src: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer {
        chars: src.chars().collect(),
        pos: 0,
    };
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token()? {
        tokens.push(token);
    }
    Ok(tokens)
}

fn error(position: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        position,
        message: message.into(),
    }
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn next_token(&mut self) -> Result<Option<Token>, ParseError> {
        while self.peek(0).is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(c) = self.peek(0) else {
            return Ok(None);
        };
        let kind = match c {
            '\'' | '"' => self.string(c)?,
            '$' => self.reference()?,
            '0'..='9' => self.number()?,
            '.' if self.peek(1).is_some_and(|d| d.is_ascii_digit()) => self.number()?,
            c if c.is_ascii_alphabetic() || c == '_' => self.word(),
            _ => self.symbol(c)?,
        };
        Ok(Some(Token { kind, pos: start }))
    }

    fn string(&mut self, quote: char) -> Result<TokenKind, ParseError> {
        let start = self.pos;
        let body = start + 1;
        let Some(len) = self.chars[body..].iter().position(|&c| c == quote) else {
            return Err(error(start, "unterminated string: missing closing quote"));
        };
        self.pos = body + len + 1;
        Ok(TokenKind::Text(
            self.chars[body..body + len].iter().collect(),
        ))
    }

    fn reference(&mut self) -> Result<TokenKind, ParseError> {
        let start = self.pos;
        if self.peek(1) != Some('{') {
            return Err(error(
                start,
                "unexpected character '$' (references are written ${id})",
            ));
        }
        self.pos += 2;
        match self.peek(0) {
            Some('}') => return Err(error(start, "empty reference `${}`")),
            Some(c) if c.is_ascii_alphabetic() => {}
            // A `}` further on means the user did try to close it, so the
            // offending char is the more useful thing to point at.
            Some(c) if self.chars[self.pos..].contains(&'}') => {
                return Err(error(
                    self.pos,
                    format!("invalid character {c:?} in reference: ids start with a letter"),
                ));
            }
            _ => return Err(error(start, "`${` without closing `}`")),
        }
        let id_start = self.pos;
        while self
            .peek(0)
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.pos += 1;
        }
        let id: String = self.chars[id_start..self.pos].iter().collect();
        match self.peek(0) {
            Some('}') => {
                self.pos += 1;
                Ok(TokenKind::Ref(id))
            }
            Some(c) if self.chars[self.pos..].contains(&'}') => Err(error(
                self.pos,
                format!("invalid character {c:?} in reference `${{{id}`"),
            )),
            _ => Err(error(start, "`${` without closing `}`")),
        }
    }

    fn number(&mut self) -> Result<TokenKind, ParseError> {
        let start = self.pos;
        let skip_digits = |lexer: &mut Self| {
            while lexer.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                lexer.pos += 1;
            }
        };
        skip_digits(self);
        if self.peek(0) == Some('.') {
            self.pos += 1;
            skip_digits(self);
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        text.parse()
            .map(TokenKind::Number)
            .map_err(|_| error(start, format!("invalid number {text}")))
    }

    /// Hyphens belong to a name only when it is a call (`count-selected(`),
    /// so that `a-b` outside a call still lexes as a subtraction.
    fn word(&mut self) -> TokenKind {
        let start = self.pos;
        let mut end = start;
        while self
            .chars
            .get(end)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            end += 1;
        }
        let after = self.chars[end..].iter().find(|c| !c.is_whitespace());
        let hyphenated_call = after == Some(&'(') && self.chars[end - 1] != '-';
        if !hyphenated_call {
            end = self.chars[start..end]
                .iter()
                .position(|&c| c == '-')
                .map_or(end, |hyphen| start + hyphen);
        }
        self.pos = end;
        let word: String = self.chars[start..end].iter().collect();
        match word.as_str() {
            "and" => TokenKind::Op(BinOp::And),
            "or" => TokenKind::Op(BinOp::Or),
            "div" => TokenKind::Op(BinOp::Div),
            "mod" => TokenKind::Op(BinOp::Mod),
            _ => TokenKind::Name(word),
        }
    }

    fn symbol(&mut self, c: char) -> Result<TokenKind, ParseError> {
        let followed_by_eq = self.peek(1) == Some('=');
        let (kind, len) = match c {
            '.' => (TokenKind::Dot, 1),
            '=' => (TokenKind::Op(BinOp::Eq), 1),
            '!' if followed_by_eq => (TokenKind::Op(BinOp::Ne), 2),
            '<' if followed_by_eq => (TokenKind::Op(BinOp::Le), 2),
            '<' => (TokenKind::Op(BinOp::Lt), 1),
            '>' if followed_by_eq => (TokenKind::Op(BinOp::Ge), 2),
            '>' => (TokenKind::Op(BinOp::Gt), 1),
            '+' => (TokenKind::Op(BinOp::Add), 1),
            '-' => (TokenKind::Op(BinOp::Sub), 1),
            '*' => (TokenKind::Op(BinOp::Mul), 1),
            '(' => (TokenKind::LParen, 1),
            ')' => (TokenKind::RParen, 1),
            ',' => (TokenKind::Comma, 1),
            _ => {
                let hint = match c {
                    '/' => " (use `div` for division)",
                    '%' => " (use `mod` for the remainder)",
                    '!' => " (use `!=` or not(...))",
                    _ => "",
                };
                return Err(error(self.pos, format!("unexpected character {c:?}{hint}")));
            }
        };
        self.pos += len;
        Ok(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::BinOp::*;
    use super::TokenKind::*;
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        tokenize(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    fn positions(src: &str) -> Vec<usize> {
        tokenize(src).unwrap().into_iter().map(|t| t.pos).collect()
    }

    fn err(src: &str) -> (usize, String) {
        let e = tokenize(src).unwrap_err();
        (e.position, e.message)
    }

    #[test]
    fn every_token_kind() {
        let src = "12 3.5 .5 'a' \"b\" ${q_1} . not( ) ,";
        let expected = vec![
            Number(12.0),
            Number(3.5),
            Number(0.5),
            Text("a".into()),
            Text("b".into()),
            Ref("q_1".into()),
            Dot,
            Name("not".into()),
            LParen,
            RParen,
            Comma,
        ];
        assert_eq!(kinds(src), expected);
        let ops = [Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod];
        assert_eq!(kinds("or and = != < <= > >= + - * div mod"), ops.map(Op));
        assert_eq!(kinds("or<=>=!==div"), [Or, Le, Ge, Ne, Eq, Div].map(Op));
    }

    #[test]
    fn strings_keep_other_quote_and_spaces() {
        assert_eq!(kinds(r#"'say "hi" '"#), vec![Text(r#"say "hi" "#.into())]);
        assert_eq!(kinds(r#""it's""#), vec![Text("it's".into())]);
        assert_eq!(kinds("''"), vec![Text(String::new())]);
    }

    #[test]
    fn hyphenated_names_only_before_parenthesis() {
        let call = vec![Name("count-selected".into()), LParen, Dot, RParen];
        assert_eq!(kinds("count-selected(.)"), call);
        assert_eq!(kinds("count-selected (.)"), call);
        assert_eq!(
            kinds("a-b"),
            vec![Name("a".into()), Op(Sub), Name("b".into())]
        );
        assert_eq!(kinds("${a}-1"), vec![Ref("a".into()), Op(Sub), Number(1.0)]);
        assert_eq!(kinds("2-1"), vec![Number(2.0), Op(Sub), Number(1.0)]);
        assert_eq!(
            kinds("3 mod-1"),
            vec![Number(3.0), Op(Mod), Op(Sub), Number(1.0)]
        );
        assert_eq!(
            kinds("x-(1)"),
            vec![Name("x".into()), Op(Sub), LParen, Number(1.0), RParen]
        );
    }

    #[test]
    fn keywords_are_lower_case_only() {
        assert_eq!(kinds("AND Or"), vec![Name("AND".into()), Name("Or".into())]);
        assert_eq!(kinds("andy"), vec![Name("andy".into())]);
    }

    #[test]
    fn dot_versus_number() {
        assert_eq!(kinds(".>=.5"), vec![Dot, Op(Ge), Number(0.5)]);
        assert_eq!(kinds("12."), vec![Number(12.0)]);
        assert_eq!(kinds("1.2.3"), vec![Number(1.2), Number(0.3)]);
    }

    #[test]
    fn positions_count_chars_not_bytes() {
        assert_eq!(positions("'Пловдив' = 1"), vec![0, 10, 12]);
        assert_eq!(positions("'София' = ${grad} and ."), vec![0, 8, 10, 18, 22]);
    }

    #[test]
    fn errors_after_multibyte_text_use_char_columns() {
        assert_eq!(err("'Пловдив' # 1").0, 10);
        assert_eq!(err("'Пловдив' = 'Со").0, 12);
        assert_eq!(err("'Пловдив' = ${}").0, 12);
    }

    #[test]
    fn error_positions_and_messages() {
        let cases = [
            ("1 # 2", 2, "unexpected character '#'"),
            ("4 / 2", 2, "use `div`"),
            ("4 % 2", 2, "use `mod`"),
            ("!x", 0, "use `!=`"),
            ("1 = 'abc", 4, "unterminated string"),
            ("\"abc", 0, "unterminated string"),
            ("$a", 0, "unexpected character '$'"),
            ("${}", 0, "empty reference"),
            ("x = ${abc", 4, "without closing `}`"),
            ("${abc = 1", 0, "without closing `}`"),
            ("${", 0, "without closing `}`"),
            ("${1a}", 2, "ids start with a letter"),
            ("${a b}", 3, "invalid character ' '"),
            ("${a-b}", 3, "invalid character '-'"),
            ("${Пловдив}", 2, "invalid character 'П'"),
        ];
        for (src, pos, message) in cases {
            let (got_pos, got_message) = err(src);
            assert_eq!(got_pos, pos, "{src}: {got_message}");
            assert!(got_message.contains(message), "{src}: {got_message}");
        }
    }

    #[test]
    fn display_names_tokens_for_messages() {
        assert_eq!(Number(2.5).to_string(), "number 2.5");
        assert_eq!(Text("да".into()).to_string(), "text 'да'");
        assert_eq!(Ref("a".into()).to_string(), "`${a}`");
        assert_eq!(Name("foo".into()).to_string(), "`foo`");
        assert_eq!(Op(Ge).to_string(), "`>=`");
    }
}
