//! Placeholder until the expression module lands.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Bool(bool),
    Number(f64),
    Text(String),
    Set(Vec<String>),
    Special,
}
pub trait Env {
    fn lookup(&self, id: &str) -> Value;
    fn current(&self) -> Value;
}
#[derive(Debug, Clone, PartialEq)]
pub struct Expr;
#[derive(Debug)]
pub struct ParseError {
    pub position: usize,
    pub message: String,
}
impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "at column {}: {}", self.position + 1, self.message)
    }
}
pub fn parse(_s: &str) -> Result<Expr, ParseError> {
    Ok(Expr)
}
impl Expr {
    pub fn references(&self) -> Vec<&str> {
        Vec::new()
    }
    pub fn uses_current(&self) -> bool {
        false
    }
    pub fn eval(&self, _env: &dyn Env) -> Value {
        Value::Empty
    }
    pub fn eval_bool(&self, _env: &dyn Env) -> bool {
        true
    }
}
