//! Recursive-descent parser of the rule language (grammar in `docs/checks.md`).

use regex::Regex;

use super::SyntaxError;
use super::ast::*;
use super::lexer::{Tok, Token, tokenize};
use super::predicates::{Arg, ArgValue, Library};
use crate::graph::{Value, ValueKind};
use crate::parse::Span;

/// How deeply clauses may nest (blocks, parentheses, `not`, function calls,
/// list literals), all counted together.
const MAX_NESTING: usize = 64;

/// The built-in functions a query may start with; any other `name(...)`
/// in clause position calls a predicate of the library.
pub const FUNCTIONS: &[&str] = &[
    "resolve",
    "referrers",
    "resources",
    "joined",
    "statements",
    "trimmed",
    "entries",
    "assignments",
    "strings",
    "identity_policies",
    "ingress_rules",
    "egress_rules",
];

/// Parses a rule that calls no predicate.
pub fn parse_rule(text: &str) -> Result<Rule, SyntaxError> {
    parse_rule_with(text, &Library::default())
}

/// Parses a rule, inlining the predicates of `library` it calls.
pub fn parse_rule_with(text: &str, library: &Library) -> Result<Rule, SyntaxError> {
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        text,
        tokens,
        pos: 0,
        depth: 0,
        library,
        last_kind: At::default(),
        last_call: None,
    };
    let body = parser.block(None)?;
    parser.expect_eof()?;
    if body.clauses.is_empty() {
        return Err(SyntaxError {
            line: 1,
            col: 1,
            message: "the rule is empty".into(),
        });
    }
    Ok(Rule { body })
}

/// The names `text` calls as predicates (`name(` in a rule, not a built-in
/// function), in order, repeated: what a predicate definition depends on.
pub fn predicate_calls(text: &str) -> Vec<String> {
    let Ok(tokens) = tokenize(text) else {
        return Vec::new();
    };
    tokens
        .windows(2)
        .filter_map(|pair| match (&pair[0].kind, &pair[1].kind) {
            (Tok::Ident(name), Tok::Punct('('))
                if !FUNCTIONS.contains(&name.as_str()) && name != "retired" =>
            {
                Some(name.clone())
            }
            _ => None,
        })
        .collect()
}

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    library: &'t Library,
    /// Where the last type-name argument was written (for [`Place::kind`]).
    last_kind: At,
    /// The token after the last predicate call and how many clauses its
    /// body has: a call that is a whole clause of a block is spliced into it.
    last_call: Option<(usize, usize)>,
}

fn keyword(tok: &Tok, word: &str) -> bool {
    matches!(tok, Tok::Ident(w) if w.eq_ignore_ascii_case(word))
}

const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "when",
    "some",
    "all",
    "no",
    "in",
    "exists",
    "empty",
    "pass",
    "fail",
    "unknown",
    "true",
    "false",
    "null",
    "refers_to",
    "covers",
    "spans",
    "literal",
];

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].kind
    }

    fn peek_at(&self, offset: usize) -> &Tok {
        let i = (self.pos + offset).min(self.tokens.len() - 1);
        &self.tokens[i].kind
    }

    fn next(&mut self) -> Token {
        let token = self.tokens[self.pos].clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        token
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        let token = &self.tokens[self.pos];
        Err(SyntaxError {
            line: token.line,
            col: token.col,
            message: message.into(),
        })
    }

    fn describe_current(&self) -> String {
        match self.peek() {
            Tok::Eof => "the end of the rule".into(),
            Tok::Newline => "the end of the line".into(),
            _ => {
                let t = &self.tokens[self.pos];
                format!("'{}'", &self.text[t.start..t.end])
            }
        }
    }

    fn eat_punct(&mut self, c: char) -> bool {
        if *self.peek() == Tok::Punct(c) {
            self.next();
            true
        } else {
            false
        }
    }

    fn expect_punct(&mut self, c: char) -> Result<(), SyntaxError> {
        if self.eat_punct(c) {
            Ok(())
        } else {
            self.error(format!("expected '{c}', found {}", self.describe_current()))
        }
    }

    fn eat_keyword(&mut self, word: &str) -> bool {
        if keyword(self.peek(), word) {
            self.next();
            true
        } else {
            false
        }
    }

    fn skip_newlines(&mut self) {
        while *self.peek() == Tok::Newline {
            self.next();
        }
    }

    fn expect_eof(&mut self) -> Result<(), SyntaxError> {
        self.skip_newlines();
        match self.peek() {
            Tok::Eof => Ok(()),
            _ => self.error(format!("unexpected {}", self.describe_current())),
        }
    }

    /// Clauses separated by newlines or `;`, up to `close` (or the end).
    fn block(&mut self, close: Option<char>) -> Result<Block, SyntaxError> {
        let mut clauses = Vec::new();
        loop {
            while *self.peek() == Tok::Newline || *self.peek() == Tok::Punct(';') {
                self.next();
            }
            match (self.peek(), close) {
                (Tok::Eof, _) => break,
                (Tok::Punct(c), Some(close)) if *c == close => break,
                _ => {}
            }
            let starts_with_call = self.at_predicate_call();
            let clause = self.clause()?;
            match (clause, self.last_call) {
                // A predicate called as a whole clause contributes its clauses
                // to the block, exactly as if they were written in place.
                (Expr::And(items), Some((end, count)))
                    if starts_with_call && end == self.pos && count == items.len() =>
                {
                    clauses.extend(items)
                }
                (clause, _) => clauses.push(clause),
            }
            match self.peek() {
                Tok::Newline | Tok::Punct(';') | Tok::Eof => {}
                Tok::Punct(c) if Some(*c) == close => {}
                _ => {
                    return self.error(format!(
                        "expected the end of the clause, found {}",
                        self.describe_current()
                    ));
                }
            }
        }
        Ok(Block { clauses })
    }

    fn clause(&mut self) -> Result<Expr, SyntaxError> {
        self.nested(Self::or_expr)
    }

    /// Runs `parse` one nesting level deeper; an error past [`MAX_NESTING`],
    /// before the recursion can exhaust the stack.
    fn nested<T>(
        &mut self,
        parse: impl FnOnce(&mut Self) -> Result<T, SyntaxError>,
    ) -> Result<T, SyntaxError> {
        if self.depth >= MAX_NESTING {
            return self.error("clauses nest too deeply");
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    /// `or` binds looser than `and`; either may continue on the next line.
    fn or_expr(&mut self) -> Result<Expr, SyntaxError> {
        let mut items = vec![self.and_expr()?];
        while self.continues_with("or") {
            items.push(self.and_expr()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and_expr(&mut self) -> Result<Expr, SyntaxError> {
        let mut items = vec![self.unary()?];
        while self.continues_with("and") {
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }

    /// Consumes `word` if it comes next, possibly after newlines, and the newlines after it.
    fn continues_with(&mut self, word: &str) -> bool {
        let mut ahead = 0;
        while *self.peek_at(ahead) == Tok::Newline {
            ahead += 1;
        }
        if !keyword(self.peek_at(ahead), word) {
            return false;
        }
        self.pos += ahead + 1;
        self.skip_newlines();
        true
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        if self.eat_keyword("not") {
            let inner = self.nested(Self::unary)?;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, SyntaxError> {
        if self.eat_punct('(') {
            let inner = self.clause()?;
            self.expect_punct(')')?;
            return Ok(inner);
        }
        if self.eat_keyword("when") {
            let start = self.tokens[self.pos].start;
            let cond = self.clause()?;
            let end = self.tokens[self.pos.saturating_sub(1)].end;
            let text = self.text[start..end.max(start)]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            self.skip_newlines();
            self.expect_punct('{')?;
            let body = self.block(Some('}'))?;
            self.expect_punct('}')?;
            return Ok(Expr::When {
                cond: Box::new(cond),
                body,
                text,
            });
        }
        for (word, outcome) in [
            ("pass", LiteralOutcome::Pass),
            ("fail", LiteralOutcome::Fail),
            ("unknown", LiteralOutcome::Unknown),
        ] {
            if keyword(self.peek(), word) && !matches!(self.peek_at(1), Tok::Punct('.' | '[' | '(')) {
                self.next();
                let message = match self.peek() {
                    Tok::Str(s) => {
                        let s = s.clone();
                        self.next();
                        Some(s)
                    }
                    _ => None,
                };
                return Ok(Expr::Literal { outcome, message });
            }
        }
        if self.at_predicate_call() {
            return self.predicate_call();
        }
        let quant = if self.eat_keyword("some") {
            Quant::Some
        } else if self.eat_keyword("all") {
            Quant::All
        } else if self.eat_keyword("no") {
            Quant::No
        } else {
            Quant::All
        };
        let query = self.query()?;
        if self.eat_punct('{') {
            let body = self.block(Some('}'))?;
            self.expect_punct('}')?;
            return Ok(Expr::Each { quant, query, body });
        }
        let test = self.test()?;
        Ok(Expr::Test { quant, query, test })
    }

    /// Whether a predicate call starts here: `name(` where `name` is not a
    /// built-in function.
    fn at_predicate_call(&self) -> bool {
        matches!((self.peek(), self.peek_at(1)), (Tok::Ident(name), Tok::Punct('('))
            if !FUNCTIONS.contains(&name.as_str()) && !KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(name)))
    }

    /// `name(ARG, ...)`: the body of the predicate, its parameters bound to the arguments.
    fn predicate_call(&mut self) -> Result<Expr, SyntaxError> {
        let call_at = self.pos;
        let Tok::Ident(name) = self.next().kind else {
            self.pos = call_at;
            return self.error("expected a predicate name");
        };
        let Some(predicate) = self.library.get(&name) else {
            self.pos = call_at;
            let known = self.library.names().collect::<Vec<_>>();
            return self.error(format!(
                "unknown function or predicate {name}() (functions: {}; predicates: {})",
                FUNCTIONS.join(", "),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ));
        };
        self.expect_punct('(')?;
        let mut args = Vec::new();
        if !self.eat_punct(')') {
            loop {
                args.push(self.nested(Self::argument)?);
                if self.eat_punct(',') {
                    continue;
                }
                self.expect_punct(')')?;
                break;
            }
        }
        let end = self.pos;
        let body = predicate.expand(&args).map_err(|message| {
            let token = &self.tokens[call_at];
            SyntaxError {
                line: token.line,
                col: token.col,
                message,
            }
        })?;
        self.last_call = Some((end, body.clauses.len()));
        let mut clauses = body.clauses;
        Ok(if clauses.len() == 1 {
            clauses.remove(0)
        } else {
            Expr::And(clauses)
        })
    }

    /// An argument of a predicate call: a value, a regex, a `%param`, or a path.
    fn argument(&mut self) -> Result<Arg, SyntaxError> {
        let start = self.tokens[self.pos].start;
        let value = match self.peek() {
            Tok::Regex(_) => ArgValue::Operand(self.operand()?),
            Tok::Param(_) if matches!(self.peek_at(1), Tok::Punct(',' | ')')) => {
                ArgValue::Operand(self.operand()?)
            }
            Tok::Str(_) | Tok::Number(_) | Tok::Punct('[') => {
                ArgValue::Operand(Operand::Literal(self.literal()?))
            }
            Tok::Ident(w)
                if ["true", "false", "null"]
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(w)) =>
            {
                ArgValue::Operand(Operand::Literal(self.literal()?))
            }
            _ => ArgValue::Path(self.query()?),
        };
        let end = self.tokens[self.pos.saturating_sub(1)].end;
        Ok(Arg {
            value,
            text: self.text[start..end.max(start)].to_string(),
        })
    }

    fn test(&mut self) -> Result<Test, SyntaxError> {
        if let Tok::Op(op) = self.peek().clone() {
            self.next();
            let op = match op {
                "==" => CmpOp::Eq,
                "!=" => CmpOp::Ne,
                "<" => CmpOp::Lt,
                "<=" => CmpOp::Le,
                ">" => CmpOp::Gt,
                _ => CmpOp::Ge,
            };
            let operand = self.operand()?;
            if matches!(operand, Operand::Regex(_)) && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                return self.error("a regex can only be compared with == or !=");
            }
            return Ok(Test::Compare(op, operand));
        }
        let negated = self.eat_keyword("not");
        if self.eat_keyword("in") {
            return Ok(Test::In {
                negated,
                list: self.operand()?,
            });
        }
        if self.eat_keyword("covers") {
            return Ok(Test::Covers {
                negated,
                list: self.operand()?,
            });
        }
        if self.eat_keyword("literal") {
            return Ok(Test::Literal { negated });
        }
        if !negated && self.eat_keyword("spans") {
            return Ok(Test::Spans(self.operand()?));
        }
        if self.eat_keyword("exists") {
            return Ok(Test::Exists { negated });
        }
        if self.eat_keyword("empty") {
            return Ok(Test::Empty { negated });
        }
        if !negated && self.eat_keyword("refers_to") {
            return Ok(Test::RefersTo(self.query()?));
        }
        self.error(format!(
            "expected a test (==, !=, <, IN, covers, spans, literal, exists, empty, refers_to, or a {{ block }}), found {}",
            self.describe_current()
        ))
    }

    fn operand(&mut self) -> Result<Operand, SyntaxError> {
        match self.peek().clone() {
            Tok::Regex(pattern) => {
                let token = self.next();
                Regex::new(&pattern).map(Operand::Regex).map_err(|e| SyntaxError {
                    line: token.line,
                    col: token.col,
                    message: format!("invalid regex: {e}"),
                })
            }
            Tok::Param(name) => {
                self.next();
                Ok(Operand::Param(name))
            }
            Tok::Ident(name) if name == "retired" && *self.peek_at(1) == Tok::Punct('(') => {
                self.next();
                self.next();
                let dates = self.param_name()?;
                self.expect_punct(',')?;
                let today = self.param_name()?;
                self.expect_punct(')')?;
                Ok(Operand::Retired { dates, today })
            }
            _ => Ok(Operand::Literal(self.literal()?)),
        }
    }

    /// A `%param` argument.
    fn param_name(&mut self) -> Result<String, SyntaxError> {
        match self.next().kind {
            Tok::Param(name) => Ok(name),
            _ => {
                self.pos -= 1;
                self.error("expected a %parameter")
            }
        }
    }

    /// A literal: string, number, boolean, null, or a list of literals.
    fn literal(&mut self) -> Result<Value, SyntaxError> {
        let kind = match self.peek().clone() {
            Tok::Str(s) => ValueKind::String(s),
            Tok::Number(n) => ValueKind::Number(n),
            Tok::Ident(w) if w.eq_ignore_ascii_case("true") => ValueKind::Bool(true),
            Tok::Ident(w) if w.eq_ignore_ascii_case("false") => ValueKind::Bool(false),
            Tok::Ident(w) if w.eq_ignore_ascii_case("null") => ValueKind::Null,
            Tok::Punct('[') => {
                self.next();
                let mut items = Vec::new();
                while !self.eat_punct(']') {
                    items.push(self.nested(Self::literal)?);
                    if !self.eat_punct(',') {
                        self.expect_punct(']')?;
                        break;
                    }
                }
                return Ok(Value::new(Span::default(), ValueKind::List(items)));
            }
            _ => return self.error(format!("expected a value, found {}", self.describe_current())),
        };
        self.next();
        Ok(Value::new(Span::default(), kind))
    }

    fn query(&mut self) -> Result<Query, SyntaxError> {
        let start = self.tokens[self.pos].start;
        let root_at = self.here();
        let mut kind_at = At::default();
        let root = match self.next().kind {
            Tok::Var(v) => match v.as_str() {
                "this" => Root::This,
                "type" => Root::Type,
                "id" => Root::Id,
                _ => {
                    self.pos -= 1;
                    return self.error(format!("unknown variable ${v} (use $this, $type or $id)"));
                }
            },
            Tok::Param(p) => Root::Param(p),
            Tok::Str(s) => Root::Field(s),
            Tok::Ident(name) if *self.peek() == Tok::Punct('(') => {
                self.next();
                self.last_kind = At::default();
                let call = self.nested(|parser| parser.call(&name))?;
                kind_at = std::mem::take(&mut self.last_kind);
                self.expect_punct(')')?;
                Root::Call(Box::new(call))
            }
            Tok::Ident(name) if !KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(&name)) => Root::Field(name),
            _ => {
                self.pos -= 1;
                return self.error(format!(
                    "expected a property path, found {}",
                    self.describe_current()
                ));
            }
        };
        let mut steps = Vec::new();
        let mut step_at = Vec::new();
        loop {
            if matches!(self.peek(), Tok::Punct('.' | '[')) {
                // A name is located at itself, other steps at their bracket or dot.
                let named = matches!(self.peek_at(1), Tok::Ident(_) | Tok::Str(_));
                let token = &self.tokens[(self.pos + usize::from(named)).min(self.tokens.len() - 1)];
                step_at.push(At::here(token.line, token.col));
            }
            if self.eat_punct('.') {
                match self.next().kind {
                    Tok::Ident(name) | Tok::Str(name) => steps.push(Step::Field(name)),
                    Tok::Punct('*') => steps.push(Step::All),
                    _ => {
                        self.pos -= 1;
                        return self.error("expected a property name after '.'");
                    }
                }
            } else if self.eat_punct('[') {
                match self.peek().clone() {
                    Tok::Punct('*') => {
                        self.next();
                        self.expect_punct(']')?;
                        steps.push(Step::All);
                    }
                    Tok::Number(n) if *self.peek_at(1) == Tok::Punct(']') => {
                        self.next();
                        self.next();
                        let index = n.parse().or_else(|_| self.error("expected an index"))?;
                        steps.push(Step::Index(index));
                    }
                    Tok::Str(key) if *self.peek_at(1) == Tok::Punct(']') => {
                        self.next();
                        self.next();
                        steps.push(Step::Field(key));
                    }
                    _ => {
                        let body = self.block(Some(']'))?;
                        self.expect_punct(']')?;
                        steps.push(Step::Filter(body));
                    }
                }
            } else {
                break;
            }
        }
        let end = self.tokens[self.pos.saturating_sub(1)].end;
        Ok(Query {
            root,
            steps,
            text: self.text[start..end.max(start)].to_string(),
            at: Place {
                root: root_at,
                steps: step_at,
                kind: kind_at,
            },
        })
    }

    /// The position of the current token.
    fn here(&self) -> At {
        let token = &self.tokens[self.pos];
        At::here(token.line, token.col)
    }

    fn type_name(&mut self) -> Result<String, SyntaxError> {
        let at = self.here();
        match self.next().kind {
            Tok::Ident(t) | Tok::Str(t) if t.contains("::") => {
                if self.last_kind == At::default() {
                    self.last_kind = at;
                }
                Ok(t)
            }
            _ => {
                self.pos -= 1;
                self.error("expected a resource type such as AWS::S3::Bucket")
            }
        }
    }

    fn call(&mut self, name: &str) -> Result<Call, SyntaxError> {
        Ok(match name {
            "resolve" => {
                let path = self.query()?;
                self.expect_punct(',')?;
                let kind = self.type_name()?;
                Call::Resolve { path, kind }
            }
            "referrers" => {
                let kind = self.type_name()?;
                self.expect_punct(',')?;
                let path = self.query()?;
                Call::Referrers { kind, path }
            }
            "resources" => Call::Resources {
                kind: self.type_name()?,
            },
            "statements" => Call::Statements(self.query()?),
            "trimmed" => Call::Trimmed(self.query()?),
            "entries" => Call::Entries(self.query()?),
            "assignments" => Call::Assignments(self.query()?),
            "strings" => Call::Strings,
            "joined" => {
                let kind = self.type_name()?;
                let mut pairs = Vec::new();
                while self.eat_punct(',') {
                    let theirs = self.query()?;
                    match self.next().kind {
                        Tok::Op("==") => {}
                        _ => {
                            self.pos -= 1;
                            return self.error("expected == between the two sides of a join");
                        }
                    }
                    pairs.push((theirs, self.query()?));
                }
                if pairs.is_empty() {
                    return self.error("joined() needs at least one THEIR == OURS pair");
                }
                Call::Joined { kind, pairs }
            }
            "identity_policies" => Call::IdentityPolicies,
            "ingress_rules" => Call::SgRules { egress: false },
            "egress_rules" => Call::SgRules { egress: true },
            other => {
                self.pos -= 2;
                return self.error(format!(
                    "unknown function {other}() (known: {}; a predicate is called as a clause of its own)",
                    FUNCTIONS.join(", ")
                ));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_main_forms() {
        let rule = parse_rule(
            "EnableLogFileValidation == true\n\
             when KeySpec empty or KeySpec == \"SYMMETRIC_DEFAULT\" {\n  EnableKeyRotation == true\n}\n\
             no ingress_rules() { CidrIp == \"0.0.0.0/0\"; FromPort <= %port }\n\
             some referrers(AWS::EC2::FlowLog, ResourceId) { TrafficType IN %accepted }\n\
             A[*].B[ C exists ].D not in [\"x\", 1]\n\
             IsLogging != false\n  or fail \"never\"",
        )
        .unwrap();
        assert_eq!(rule.body.clauses.len(), 6);
        assert!(matches!(rule.body.clauses[1], Expr::When { .. }));
        assert!(matches!(
            rule.body.clauses[2],
            Expr::Each { quant: Quant::No, .. }
        ));
        assert!(matches!(rule.body.clauses[5], Expr::Or(_)));
        let mut params = rule.params();
        params.sort();
        assert_eq!(params, vec!["accepted", "port"]);
        let Expr::Test { query, .. } = &rule.body.clauses[4] else {
            panic!()
        };
        assert_eq!(query.text, "A[*].B[ C exists ].D");
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse_rule("A == 1\nB ==").unwrap_err();
        assert_eq!((e.line, e.col), (2, 5));
        let e = parse_rule("A == 1\n  frobnicate(X) exists").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("unknown function"), "{}", e.message);
        let e = parse_rule("A B").unwrap_err();
        assert!(e.message.contains("expected a test"), "{}", e.message);
    }

    #[test]
    fn nesting_is_bounded() {
        let text = format!("{}A exists{}", "(".repeat(500), ")".repeat(500));
        assert!(parse_rule(&text).is_err());
        let text = format!("{}A exists", "not ".repeat(500));
        assert!(parse_rule(&text).is_err());
        let deep = 100_000;
        let text = format!("A IN {}{}", "[".repeat(deep), "]".repeat(deep));
        let e = parse_rule(&text).unwrap_err();
        assert!(e.message.contains("nest too deeply"), "{}", e.message);
        let text = format!("{}A{} exists", "statements(".repeat(deep), ")".repeat(deep));
        let e = parse_rule(&text).unwrap_err();
        assert!(e.message.contains("nest too deeply"), "{}", e.message);
        assert!(parse_rule("A IN [[1, [2]], []]").is_ok());
    }
}
