//! HCL expressions into tri-state values: what a configuration decides
//! before plan is computed; references to other resources stay references;
//! everything else is unknown with its reason.

use std::collections::HashMap;
use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::{Element, Template};

use super::budget::Exceeded;
use super::functions;
use super::module::Unit;
use crate::graph::{FileProblem, Origin, Part, Prop, ResourceRef, Unknowable, Value, ValueKind, embedded};
use crate::parse::Span;

/// How many references (locals, variables, outputs, attributes) one value may
/// go through: deeper chains are cycles or pathological.
const MAX_DEPTH: usize = 64;

/// Most instances one `count` / `for_each` may expand to.
pub(super) const MAX_INSTANCES: usize = 10_000;

/// Meta-arguments of resource blocks, never part of the resource's values.
const META: &[&str] = &[
    "count",
    "for_each",
    "provider",
    "depends_on",
    "lifecycle",
    "provisioner",
    "connection",
];

/// Where an expression is evaluated.
#[derive(Clone)]
pub(super) struct Ctx<'u> {
    pub unit: &'u Unit,
    /// The module instance.
    pub instance: usize,
    /// The file the expression is written in.
    pub file: usize,
    /// `each.key` / `each.value`.
    pub each: Option<(Rc<Value>, Rc<Value>)>,
    /// `count.index`.
    pub count: Option<Rc<Value>>,
    /// `for` expression and `dynamic` iterator variables (shared by the
    /// contexts of every iteration, never copied whole).
    pub vars: Vec<(String, Rc<Value>)>,
    /// How many references deep (cycles end at [`MAX_DEPTH`]).
    pub depth: usize,
}

/// One instance of a `count` / `for_each` resource or module: its key and `each.value`.
pub(super) type InstanceKey = (Option<Value>, Option<Value>);

/// The instances of a resource, shared by every reference to it; `Err` says
/// why they cannot be expanded.
pub(super) type Instances = Result<Rc<Vec<InstanceKey>>, Unknowable>;

impl<'u> Ctx<'u> {
    /// A context at the top of module instance `instance`, in file `file`.
    pub fn new(unit: &'u Unit, instance: usize, file: usize) -> Ctx<'u> {
        Ctx {
            unit,
            instance,
            file,
            each: None,
            count: None,
            vars: Vec::new(),
            depth: 0,
        }
    }

    /// The context of one instance of a `count` / `for_each` block.
    pub fn for_instance(&self, (key, each): &InstanceKey) -> Ctx<'u> {
        let mut inner = self.clone();
        let key = key.clone().map(Rc::new);
        match each {
            Some(each) => {
                inner.each = key.zip(Some(Rc::new(each.clone())));
                inner.count = None;
            }
            None => {
                inner.each = None;
                inner.count = key;
            }
        }
        inner
    }

    fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        self.unit.file(self.file).span(range)
    }

    /// Reports an evaluation problem at `span` (once per position).
    fn report(&self, span: Span, diagnostic: crate::diagnostics::Diagnostic) {
        self.unit.report(span.file as usize, diagnostic);
    }

    /// The unknown value left where the budget ran out (reported the first
    /// time for each kind of limit).
    fn exceeded(&self, span: Span, exceeded: Exceeded) -> Value {
        if self.unit.budget.first_report(exceeded) {
            self.report(
                span,
                crate::diagnostics::Diagnostic::error(span.start, exceeded.message()),
            );
        }
        Value::unknown(span, exceeded.reason())
    }

    /// `value`, newly built here, charged in full (values, text, depth).
    fn built(&self, value: Value) -> Value {
        match self.unit.budget.charge_value(&value) {
            Ok(()) => value,
            Err(exceeded) => self.exceeded(value.span, exceeded),
        }
    }

    /// A copy of a value kept elsewhere (a local, an input, an iterator),
    /// charged before it is made.
    fn copy_of(&self, kept: &Value, span: Span) -> Value {
        match self.unit.budget.charge_value(kept) {
            Ok(()) => kept.clone(),
            Err(exceeded) => self.exceeded(span, exceeded),
        }
    }

    /// Charges a search through `steps` entries of a collection.
    fn searched(&self, steps: usize, span: Span) -> Result<(), Value> {
        self.unit
            .budget
            .charge(steps, 0)
            .map_err(|exceeded| self.exceeded(span, exceeded))
    }

    /// A context one reference deeper, in another file or instance; `None`
    /// (and an error) past the depth a cycle would reach.
    fn deeper(&self, instance: usize, file: usize) -> Option<Ctx<'u>> {
        if self.depth >= MAX_DEPTH {
            self.report(
                self.span(None),
                crate::diagnostics::Diagnostic::error(
                    self.unit.file(file).span(None).start,
                    format!("references nest deeper than {MAX_DEPTH} (a cycle?)"),
                ),
            );
        }
        (self.depth < MAX_DEPTH).then(|| Ctx {
            unit: self.unit,
            instance,
            file,
            each: None,
            count: None,
            vars: Vec::new(),
            depth: self.depth + 1,
        })
    }

    /// Evaluates an expression, one level deeper, charged to the budget.
    pub fn eval(&self, expr: &Expression) -> Value {
        let span = self.span(expr.span());
        let budget = &self.unit.budget;
        match budget.enter(1) {
            Ok(_level) => match budget.charge(1, 0) {
                Ok(()) => self.eval_here(expr, span),
                Err(exceeded) => self.exceeded(span, exceeded),
            },
            Err(exceeded) => self.exceeded(span, exceeded),
        }
    }

    fn eval_here(&self, expr: &Expression, span: Span) -> Value {
        let value = |kind| Value::new(span, kind);
        match expr {
            Expression::Null(_) => value(ValueKind::Null),
            Expression::Bool(b) => value(ValueKind::Bool(*b.value())),
            Expression::Number(n) => self.built(value(ValueKind::Number(n.value().to_string()))),
            Expression::String(s) => self.built(value(ValueKind::String(s.value().to_string()))),
            Expression::Array(items) => value(ValueKind::List(items.iter().map(|e| self.eval(e)).collect())),
            Expression::Object(object) => {
                let mut props = Vec::new();
                for (key, v) in object.iter() {
                    let key_text = match key {
                        ObjectKey::Ident(ident) => ident.value().to_string(),
                        ObjectKey::Expression(e) => match self.eval(e).scalar_text() {
                            Some(t) => t.into_owned(),
                            None => return Value::unknown(span, Unknowable::at_apply("an object key")),
                        },
                    };
                    if let Err(exceeded) = self.unit.budget.charge(0, key_text.len()) {
                        return self.exceeded(span, exceeded);
                    }
                    props.push(Prop {
                        key: key_text,
                        key_span: self.span(key.span()),
                        value: self.eval(v.expr()),
                    });
                }
                value(ValueKind::Map(props))
            }
            Expression::StringTemplate(t) => match t.iter().collect::<Vec<_>>().as_slice() {
                // `"${x}"` is x itself, unconverted (Terraform's rule for a lone interpolation).
                [Element::Interpolation(only)] => self.eval(&only.expr).relocated(span),
                _ => self.template(t.iter(), span),
            },
            Expression::HeredocTemplate(h) => self.heredoc(&h.template, h.indent(), span),
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(v) => self.variable(v.value().as_str(), &[], span),
            Expression::Traversal(t) => match &t.expr {
                Expression::Variable(root) => self.variable(root.value().as_str(), &t.operators, span),
                other => {
                    let base = self.eval(other);
                    self.apply(
                        base,
                        t.operators
                            .iter()
                            .map(|o| o.value())
                            .collect::<Vec<_>>()
                            .as_slice(),
                        span,
                    )
                }
            },
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr);
                match cond.kind {
                    ValueKind::Bool(true) => self.eval(&c.true_expr),
                    ValueKind::Bool(false) => self.eval(&c.false_expr),
                    ValueKind::String(ref s) if s == "true" => self.eval(&c.true_expr),
                    ValueKind::String(ref s) if s == "false" => self.eval(&c.false_expr),
                    ValueKind::Unknown(reason) => Value::unknown(span, reason),
                    _ => Value::unknown(
                        span,
                        Unknowable::at_apply(format!("the condition {}", cond.describe())),
                    ),
                }
            }
            Expression::FuncCall(call) => {
                let args: Vec<Value> = call.args.iter().map(|a| self.eval(a)).collect();
                let args = if call.args.expand_final() {
                    match args.split_last() {
                        Some((last, rest)) => match &last.kind {
                            ValueKind::List(items) => {
                                rest.iter().cloned().chain(items.iter().cloned()).collect()
                            }
                            _ => args.clone(),
                        },
                        None => args,
                    }
                } else {
                    args
                };
                let name = call.name.name.as_str();
                // What the call builds beyond its arguments is charged before it runs.
                if let Err(exceeded) = self.unit.budget.charge(0, functions::text_growth(name, &args)) {
                    return self.exceeded(span, exceeded);
                }
                let result = self
                    .file_function(name, &args, span)
                    .unwrap_or_else(|| functions::call(name, args, span));
                self.built(result)
            }
            Expression::UnaryOp(op) => {
                let v = self.eval(&op.expr);
                match (op.operator.value(), &v.kind) {
                    (UnaryOperator::Not, ValueKind::Bool(b)) => value(ValueKind::Bool(!b)),
                    (UnaryOperator::Neg, ValueKind::Number(n)) => value(ValueKind::Number(format!("-{n}"))),
                    (_, ValueKind::Unknown(r)) => Value::unknown(span, r.clone()),
                    _ => Value::unknown(span, Unknowable::at_apply(v.describe())),
                }
            }
            Expression::BinaryOp(op) => self.binary(
                op.operator.value(),
                self.eval(&op.lhs_expr),
                self.eval(&op.rhs_expr),
                span,
            ),
            Expression::ForExpr(f) => self.for_expr(f, span),
        }
    }

    /// `file()`, `filebase64()`, `fileexists()` and `templatefile()`: files
    /// inside the scan root are read (see `files.rs`); `None` for other functions.
    fn file_function(&self, name: &str, args: &[Value], span: Span) -> Option<Value> {
        if !matches!(name, "file" | "filebase64" | "fileexists" | "templatefile") {
            return None;
        }
        let Some(path) = args.first().and_then(Value::scalar_text) else {
            let reason = match args.first().map(|a| &a.kind) {
                Some(ValueKind::Unknown(reason)) => (**reason).clone(),
                _ => Unknowable::of_apply_values(format!("{name}()")),
            };
            return Some(Value::unknown(span, reason));
        };
        let access = &self.unit.file_access;
        let unreadable = |why: FileProblem| {
            Value::unknown(
                span,
                Unknowable::FileNotRead {
                    function: name.to_string(),
                    path: path.to_string(),
                    why,
                },
            )
        };
        if name == "fileexists" {
            return Some(match access.exists(&path) {
                Ok(found) => Value::new(span, ValueKind::Bool(found)),
                Err(reason) => unreadable(reason),
            });
        }
        let text = match access.read(&path) {
            Ok(text) => text,
            Err(reason) => return Some(unreadable(reason)),
        };
        Some(match name {
            "file" => Value::new(span, ValueKind::String(text.to_string())),
            "filebase64" => functions::call(
                "base64encode",
                vec![Value::new(span, ValueKind::String(text.to_string()))],
                span,
            ),
            _ => self.template_file(&path, &text, args.get(1), span),
        })
    }

    /// `templatefile(path, vars)`: the file's template evaluated with only `vars` in scope.
    fn template_file(&self, path: &str, text: &str, vars: Option<&Value>, span: Span) -> Value {
        if super::nesting::template_offset_deeper_than(text, super::source::MAX_DEPTH).is_some() {
            return Value::unknown(
                span,
                Unknowable::invalid(format!("templatefile(): {path} nests too deep")),
            );
        }
        let template = match hcl_edit::parser::parse_template(text) {
            Ok(template) => template,
            Err(e) => {
                return Value::unknown(
                    span,
                    Unknowable::invalid(format!(
                        "templatefile(): {path} is no valid template: {}",
                        e.message()
                    )),
                );
            }
        };
        let vars = match vars.map(|v| &v.kind) {
            None => Vec::new(),
            Some(ValueKind::Map(props)) => props
                .iter()
                .map(|p| (p.key.clone(), Rc::new(p.value.clone())))
                .collect(),
            Some(ValueKind::Unknown(reason)) => return Value::unknown(span, reason.clone()),
            Some(_) => return Value::unknown(span, Unknowable::at_apply("templatefile() variables")),
        };
        let Some(mut inner) = self.deeper(self.instance, self.file) else {
            return Value::unknown(span, Unknowable::invalid("templatefile() nested too deep"));
        };
        inner.vars = vars;
        // Positions inside the template are another file's: the value sits on the call.
        inner.template(template.iter(), span).relocated(span)
    }

    fn template<'t>(&self, elements: impl Iterator<Item = &'t Element>, span: Span) -> Value {
        let mut parts = Vec::new();
        for element in elements {
            match element {
                Element::Literal(l) => parts.push(Part::Lit(l.value().to_string())),
                Element::Interpolation(i) => {
                    let value = self.eval(&i.expr);
                    match &value.origin {
                        // A sensitive variable's value is a secret: a hole in the text,
                        // judged where it is declared (PF-GEN-01), not a second literal.
                        Origin::Parameter(name) if self.is_sensitive(name) => parts.push(Part::Unknown(
                            Unknowable::secret(format!("sensitive variable {name}")),
                        )),
                        _ => value.push_parts(&mut parts),
                    }
                }
                Element::Directive(_) => {
                    parts.push(Part::Unknown(Unknowable::not_modelled("a template directive")))
                }
            }
        }
        self.built(Value::from_parts(parts, span))
    }

    /// Whether `var.name` is declared `sensitive = true` in this module.
    fn is_sensitive(&self, variable: &str) -> bool {
        let Some(name) = variable.strip_prefix("var.") else {
            return false;
        };
        let def = &self.unit.defs[self.unit.instances[self.instance].def];
        def.variables
            .get(name)
            .and_then(|decl| decl.item.body.get_attribute("sensitive"))
            .is_some_and(|s| matches!(&s.value, Expression::Bool(b) if *b.value()))
    }

    fn heredoc(&self, template: &Template, indent: Option<usize>, span: Span) -> Value {
        let value = self.template(template.iter(), span);
        // The parser strips `<<-EOT`'s indent (`stripped`) from the text.
        let (mut value, removed) = match (indent, value.as_str()) {
            (Some(stripped), Some(text)) => (
                Value::new(span, ValueKind::String(dedent(text))),
                stripped + common_indent(text),
            ),
            (stripped, _) => (value, stripped.unwrap_or(0)),
        };
        // A JSON policy in a heredoc is read here, where its lines are known
        // (the text starts on the line after `<<EOT`): its statements are
        // then placed on their own lines.
        let first_line = span.start.line + 1;
        if let Some(document) = embedded::parse_heredoc_json(&value, first_line, removed as u32) {
            value.origin = Origin::Document(Box::new(document));
        }
        value
    }

    fn binary(&self, op: &BinaryOperator, lhs: Value, rhs: Value, span: Span) -> Value {
        use BinaryOperator::*;
        let unknown = [&lhs, &rhs].iter().find_map(|v| match &v.kind {
            ValueKind::Unknown(r) => Some((**r).clone()),
            ValueKind::Ref(_) | ValueKind::Interp(_) => Some(Unknowable::at_apply(v.describe())),
            _ => None,
        });
        let bool_of = |v: &Value| match &v.kind {
            ValueKind::Bool(b) => Some(*b),
            ValueKind::String(s) if s == "true" || s == "false" => Some(s == "true"),
            _ => None,
        };
        // Short-circuits decide even with an unknown side.
        match op {
            And if bool_of(&lhs) == Some(false) || bool_of(&rhs) == Some(false) => {
                return Value::new(span, ValueKind::Bool(false));
            }
            Or if bool_of(&lhs) == Some(true) || bool_of(&rhs) == Some(true) => {
                return Value::new(span, ValueKind::Bool(true));
            }
            _ => {}
        }
        if let Some(reason) = unknown {
            return Value::unknown(span, reason);
        }
        let num = |v: &Value| v.scalar_text().and_then(|t| t.parse::<f64>().ok());
        let kind = match op {
            Eq | NotEq => {
                let equal = match (lhs.scalar_text(), rhs.scalar_text()) {
                    (Some(a), Some(b)) => match (num(&lhs), num(&rhs)) {
                        (Some(x), Some(y)) => x == y,
                        _ => a == b,
                    },
                    _ => lhs.kind == rhs.kind,
                };
                ValueKind::Bool(equal == (*op == Eq))
            }
            And | Or => match (bool_of(&lhs), bool_of(&rhs)) {
                (Some(a), Some(b)) => ValueKind::Bool(if *op == And { a && b } else { a || b }),
                _ => return Value::unknown(span, Unknowable::invalid("a logical operation on non-booleans")),
            },
            Less | LessEq | Greater | GreaterEq | Plus | Minus | Mul | Div | Mod => {
                match (num(&lhs), num(&rhs)) {
                    (Some(a), Some(b)) => match op {
                        Less => ValueKind::Bool(a < b),
                        LessEq => ValueKind::Bool(a <= b),
                        Greater => ValueKind::Bool(a > b),
                        GreaterEq => ValueKind::Bool(a >= b),
                        Plus => number(a + b),
                        Minus => number(a - b),
                        Mul => number(a * b),
                        Div | Mod if b == 0.0 => {
                            return Value::unknown(span, Unknowable::invalid("division by zero"));
                        }
                        Div => number(a / b),
                        Mod => number(a % b),
                        // Decided by the arms above.
                        Eq | NotEq | And | Or => {
                            return Value::unknown(span, Unknowable::invalid("not arithmetic"));
                        }
                    },
                    _ => return Value::unknown(span, Unknowable::invalid("arithmetic on non-numbers")),
                }
            }
        };
        Value::new(span, kind)
    }

    fn for_expr(&self, f: &hcl_edit::expr::ForExpr, span: Span) -> Value {
        let collection = self.eval(&f.intro.collection_expr);
        let pairs = match key_value_pairs(collection, span) {
            Ok(pairs) => pairs,
            Err(reason) => return Value::unknown(span, reason.within("for")),
        };
        if pairs.len() > MAX_INSTANCES {
            return Value::unknown(
                span,
                Unknowable::invalid(format!(
                    "a for expression over more than {MAX_INSTANCES} elements"
                )),
            );
        }
        let mut list = Vec::new();
        let mut map = Vec::new();
        for (key, value) in pairs {
            let mut inner = self.clone();
            if let Some(k) = &f.intro.key_var {
                inner.vars.push((k.value().to_string(), Rc::new(key)));
            }
            inner
                .vars
                .push((f.intro.value_var.value().to_string(), Rc::new(value)));
            if let Some(cond) = &f.cond {
                match inner.eval(&cond.expr).kind {
                    ValueKind::Bool(true) => {}
                    ValueKind::Bool(false) => continue,
                    _ => return Value::unknown(span, Unknowable::at_apply("a for condition")),
                }
            }
            match &f.key_expr {
                Some(k) => match inner.eval(k).scalar_text() {
                    Some(key) => map.push(Prop {
                        key: key.into_owned(),
                        key_span: span,
                        value: inner.eval(&f.value_expr),
                    }),
                    None => return Value::unknown(span, Unknowable::at_apply("a for key")),
                },
                None => list.push(inner.eval(&f.value_expr)),
            }
        }
        if f.key_expr.is_some() {
            Value::new(span, ValueKind::Map(map))
        } else {
            Value::new(span, ValueKind::List(list))
        }
    }

    /// A name at the root of a traversal, and the operators after it.
    fn variable(&self, name: &str, ops: &[hcl_edit::Decorated<TraversalOperator>], span: Span) -> Value {
        let ops: Vec<&TraversalOperator> = ops.iter().map(|o| o.value()).collect();
        if let Some((_, v)) = self.vars.iter().rev().find(|(n, _)| n == name) {
            return self.select(v, &ops, span);
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.value().as_str()),
            _ => None,
        };
        match name {
            "var" => match attr(0) {
                Some(var) => {
                    let v = self.input(var, span);
                    self.apply(v, &ops[1..], span)
                }
                None => Value::unknown(span, Unknowable::malformed("var", "a name")),
            },
            "local" => match attr(0) {
                Some(local) => match self.local(local, span) {
                    Ok(kept) => self.select(&kept, &ops[1..], span).relocated(span),
                    Err(unknown) => unknown,
                },
                None => Value::unknown(span, Unknowable::malformed("local", "a name")),
            },
            "each" => match (attr(0), &self.each) {
                (Some("key"), Some((k, _))) => self.select(k, &ops[1..], span).relocated(span),
                (Some("value"), Some((_, v))) => self.select(v, &ops[1..], span).relocated(span),
                _ => Value::unknown(span, Unknowable::invalid("each is only defined with for_each")),
            },
            "count" => match (attr(0), &self.count) {
                (Some("index"), Some(i)) => self.copy_of(i, span).relocated(span),
                _ => Value::unknown(
                    span,
                    Unknowable::invalid("count.index is only defined with count"),
                ),
            },
            "module" => match attr(0) {
                Some(call) => self.module_output(call, &ops[1..], span),
                None => Value::unknown(span, Unknowable::malformed("module", "a name")),
            },
            "data" => match (attr(0), attr(1)) {
                (Some(tf_type), Some(res)) => self.resource(true, tf_type, res, &ops[2..], span),
                _ => Value::unknown(span, Unknowable::malformed("data", "a type and a name")),
            },
            "path" => {
                let access = &self.unit.file_access;
                let text = match attr(0) {
                    Some("module") => {
                        let def = self.unit.instances[self.instance].def;
                        access.module_path(&self.unit.defs[def].dir)
                    }
                    Some("root") => ".".to_string(),
                    Some("cwd") => access.cwd(),
                    _ => return Value::unknown(span, Unknowable::invalid("path has module, root and cwd")),
                };
                Value::new(span, ValueKind::String(text))
            }
            "terraform" | "self" => Value::unknown(span, Unknowable::not_modelled(format!("{name}.*"))),
            tf_type => match attr(0) {
                Some(res) => self.resource(false, tf_type, res, &ops[1..], span),
                None => Value::unknown(span, Unknowable::invalid(format!("{tf_type} is not defined"))),
            },
        }
    }

    /// Applies attribute, index and splat operators to a value.
    fn apply(&self, value: Value, ops: &[&TraversalOperator], span: Span) -> Value {
        if ops.is_empty() {
            return value;
        }
        self.select(&value, ops, span)
    }

    /// Applies attribute, index and splat operators to a value kept
    /// elsewhere: only the part they select is copied (and charged), as is
    /// every entry searched on the way.
    fn select(&self, kept: &Value, ops: &[&TraversalOperator], span: Span) -> Value {
        let mut value = kept;
        for (i, op) in ops.iter().enumerate() {
            value = match (op, &value.kind) {
                (_, ValueKind::Unknown(_)) => break,
                (TraversalOperator::GetAttr(a), ValueKind::Map(props)) => {
                    match self.find_key(props, a.value().as_str(), span) {
                        Ok(Some(p)) => &p.value,
                        // An error in Terraform: `try()` moves on to its next argument.
                        Ok(None) => {
                            return Value::unknown(
                                span,
                                Unknowable::invalid(format!("no attribute {}", a.value().as_str())),
                            );
                        }
                        Err(unknown) => return unknown,
                    }
                }
                (TraversalOperator::Index(e), _) => {
                    let key = self.eval(e);
                    match (&value.kind, key.scalar_text()) {
                        (ValueKind::List(items), Some(k)) => {
                            match k.parse::<usize>().ok().and_then(|i| items.get(i)) {
                                Some(item) => item,
                                None => {
                                    return Value::unknown(
                                        span,
                                        Unknowable::invalid(format!("index {k} is out of range")),
                                    );
                                }
                            }
                        }
                        (ValueKind::Map(props), Some(k)) => match self.find_key(props, &k, span) {
                            Ok(Some(p)) => &p.value,
                            Ok(None) => {
                                return Value::unknown(span, Unknowable::invalid(format!("no key {k}")));
                            }
                            Err(unknown) => return unknown,
                        },
                        _ => {
                            return Value::unknown(span, Unknowable::at_apply(value.describe()));
                        }
                    }
                }
                (TraversalOperator::LegacyIndex(n), ValueKind::List(items)) => {
                    match items.get(*n.value() as usize) {
                        Some(item) => item,
                        None => return Value::unknown(span, Unknowable::invalid("index out of range")),
                    }
                }
                (
                    TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_),
                    ValueKind::List(items),
                ) => {
                    let rest = &ops[i + 1..];
                    let mapped = items.iter().map(|item| self.select(item, rest, span)).collect();
                    return self.built_shallow(Value::new(span, ValueKind::List(mapped)));
                }
                _ => return Value::unknown(span, Unknowable::at_apply(value.describe())),
            };
        }
        self.copy_of(value, span)
    }

    /// The entry `key` of a map, the entries searched charged to the budget.
    fn find_key<'p>(&self, props: &'p [Prop], key: &str, span: Span) -> Result<Option<&'p Prop>, Value> {
        let position = props.iter().position(|p| p.key == key);
        self.searched(position.map_or(props.len(), |i| i + 1), span)?;
        Ok(position.map(|i| &props[i]))
    }

    /// `value`, whose entries are already charged: one more value.
    fn built_shallow(&self, value: Value) -> Value {
        match self.unit.budget.charge(1, 0) {
            Ok(()) => value,
            Err(exceeded) => self.exceeded(value.span, exceeded),
        }
    }

    /// `var.NAME` in this module instance, with the optional attributes its
    /// type declares filled in.
    fn input(&self, name: &str, span: Span) -> Value {
        let unit = self.unit;
        let instance = &unit.instances[self.instance];
        let def = &unit.defs[instance.def];
        let decl = def.variables.get(name);
        let Some(ctx) = self.deeper(self.instance, decl.map_or(self.file, |d| d.file)) else {
            return Value::unknown(span, Unknowable::invalid("references nest too deeply (a cycle?)"));
        };
        let given = instance
            .inputs
            .get(name)
            .filter(|v| v.kind != ValueKind::Null)
            .map(|v| self.copy_of(v, span));
        let value = match (given, decl) {
            (Some(v), _) => v,
            (None, Some(decl)) => match decl.item.body.get_attribute("default") {
                Some(default) => ctx.eval(&default.value),
                None => match instance.inputs.get(name) {
                    Some(null) => null.clone(),
                    None => {
                        return Value::unknown(
                            span,
                            Unknowable::VariableWithoutValue {
                                name: name.to_string(),
                            },
                        );
                    }
                },
            },
            (None, None) => {
                return Value::unknown(span, Unknowable::not_declared(format!("variable {name}")));
            }
        };
        let value = match decl.and_then(|d| d.item.body.get_attribute("type")) {
            Some(ty) => ctx.with_type_defaults(value, &ty.value),
            None => value,
        };
        parameter(value, name, span)
    }

    /// Fills the attributes an `object({...})` type declares `optional` (with
    /// their default, or null), through `map`, `list`, `set` and nested objects.
    fn with_type_defaults(&self, value: Value, ty: &Expression) -> Value {
        let Expression::FuncCall(call) = ty else {
            return value;
        };
        let args: Vec<&Expression> = call.args.iter().collect();
        match (call.name.name.as_str(), args.as_slice(), value.kind) {
            ("optional", [inner, ..], kind) => self.with_type_defaults(Value { kind, ..value }, inner),
            ("map" | "list" | "set", [inner], ValueKind::Map(props)) => Value {
                kind: ValueKind::Map(
                    props
                        .into_iter()
                        .map(|p| Prop {
                            value: self.with_type_defaults(p.value, inner),
                            ..p
                        })
                        .collect(),
                ),
                ..value
            },
            ("map" | "list" | "set", [inner], ValueKind::List(items)) => Value {
                kind: ValueKind::List(
                    items
                        .into_iter()
                        .map(|v| self.with_type_defaults(v, inner))
                        .collect(),
                ),
                ..value
            },
            ("object", [Expression::Object(attrs)], ValueKind::Map(mut props)) => {
                for (key, attr_type) in attrs.iter() {
                    let Some(key) = key.as_ident().map(|k| k.as_str().to_string()) else {
                        continue;
                    };
                    let attr_type = attr_type.expr();
                    match props.iter_mut().find(|p| p.key == key) {
                        Some(p) => {
                            let v = std::mem::replace(&mut p.value, Value::new(value.span, ValueKind::Null));
                            p.value = self.with_type_defaults(v, attr_type);
                        }
                        None => {
                            let default = match attr_type {
                                Expression::FuncCall(opt) if opt.name.name.as_str() == "optional" => {
                                    let opt_args: Vec<&Expression> = opt.args.iter().collect();
                                    match opt_args.as_slice() {
                                        [inner, default] => {
                                            self.with_type_defaults(self.eval(default), inner)
                                        }
                                        _ => Value::new(value.span, ValueKind::Null),
                                    }
                                }
                                _ => Value::new(value.span, ValueKind::Null),
                            };
                            props.push(Prop {
                                key,
                                key_span: value.span,
                                value: default,
                            });
                        }
                    }
                }
                Value {
                    kind: ValueKind::Map(props),
                    ..value
                }
            }
            (_, _, kind) => Value { kind, ..value },
        }
    }

    /// `local.NAME`, evaluated once per module instance and shared by its
    /// uses (each copies only what it selects); `Err` is the unknown value
    /// when it cannot be evaluated.
    fn local(&self, name: &str, span: Span) -> Result<Rc<Value>, Value> {
        let unit = self.unit;
        let instance = &unit.instances[self.instance];
        if let Some(cached) = instance.locals.borrow().get(name) {
            return match cached {
                Some(v) => Ok(Rc::clone(v)),
                None => {
                    self.report(
                        span,
                        crate::diagnostics::Diagnostic::error(
                            span.start,
                            format!("local.{name} refers to itself (a cycle)"),
                        ),
                    );
                    Err(Value::unknown(
                        span,
                        Unknowable::invalid(format!("local.{name} refers to itself")),
                    ))
                }
            };
        }
        let def = &unit.defs[instance.def];
        let Some(decl) = def.locals.get(name) else {
            return Err(Value::unknown(
                span,
                Unknowable::not_declared(format!("local.{name}")),
            ));
        };
        let Some(ctx) = self.deeper(self.instance, decl.file) else {
            return Err(Value::unknown(
                span,
                Unknowable::invalid("references nest too deeply (a cycle?)"),
            ));
        };
        instance.locals.borrow_mut().insert(name.to_string(), None);
        let value = Rc::new(ctx.eval(&decl.item));
        instance
            .locals
            .borrow_mut()
            .insert(name.to_string(), Some(Rc::clone(&value)));
        Ok(value)
    }

    /// Evaluates `local.NAME` of this context's module instance (once).
    pub fn evaluate_local(&self, name: &str) {
        let _ = self.local(name, self.span(None));
    }

    /// `module.CALL[key].OUTPUT...`.
    fn module_output(&self, call: &str, ops: &[&TraversalOperator], span: Span) -> Value {
        let unit = self.unit;
        let children: Vec<&(String, Option<Value>, usize)> = unit.instances[self.instance]
            .children
            .iter()
            .filter(|(n, _, _)| n == call)
            .collect();
        if children.is_empty() {
            return Value::unknown(
                span,
                Unknowable::ExternalModule {
                    call: call.to_string(),
                },
            );
        }
        let (child, rest) = match ops.first() {
            Some(TraversalOperator::Index(e)) => {
                let key = self.eval(e);
                match children
                    .iter()
                    .find(|(_, k, _)| k.as_ref().and_then(|k| k.scalar_text()) == key.scalar_text())
                {
                    Some((_, _, c)) => (*c, &ops[1..]),
                    None => {
                        return Value::unknown(
                            span,
                            Unknowable::invalid(format!(
                                "module.{call}[{}] is not an instance",
                                key.describe()
                            )),
                        );
                    }
                }
            }
            _ if children.len() == 1 => (children[0].2, ops),
            _ => {
                return Value::unknown(
                    span,
                    Unknowable::invalid(format!("module.{call} has several instances")),
                );
            }
        };
        let Some(TraversalOperator::GetAttr(output)) = rest.first() else {
            return Value::unknown(
                span,
                Unknowable::invalid(format!("module.{call} needs an output name")),
            );
        };
        let def = &unit.defs[unit.instances[child].def];
        let Some(decl) = def.outputs.get(output.value().as_str()) else {
            return Value::unknown(
                span,
                Unknowable::invalid(format!("module.{call} has no output {}", output.value().as_str())),
            );
        };
        match self.deeper(child, decl.file) {
            Some(ctx) => {
                let v = ctx.eval(&decl.item);
                self.apply(v, &rest[1..], span).relocated(span)
            }
            None => Value::unknown(span, Unknowable::invalid("references nest too deeply (a cycle?)")),
        }
    }

    /// A reference to a resource (or data source): the attribute's value when
    /// the configuration writes it, else a reference to the instance.
    fn resource(
        &self,
        data: bool,
        tf_type: &str,
        name: &str,
        ops: &[&TraversalOperator],
        span: Span,
    ) -> Value {
        let unit = self.unit;
        let instance = &unit.instances[self.instance];
        let def = &unit.defs[instance.def];
        let Some(index) = def.resource(data, tf_type, name) else {
            return Value::unknown(span, Unknowable::not_declared(format!("{tf_type}.{name}")));
        };
        let decl = &def.resources[index];
        let base = format!(
            "{}{}{tf_type}.{name}",
            instance.prefix,
            if data { "data." } else { "" }
        );
        let Some(ctx) = self.deeper(self.instance, decl.file) else {
            return Value::unknown(span, Unknowable::invalid("references nest too deeply (a cycle?)"));
        };
        let keys = match ctx.resource_instances(index) {
            Ok(keys) => keys,
            Err(reason) => return Value::unknown(span, reason),
        };
        let (selected, rest): (Vec<&InstanceKey>, &[&TraversalOperator]) = match ops.first() {
            Some(TraversalOperator::Index(e)) => {
                let key = self.eval(e);
                let position = keys
                    .iter()
                    .position(|(k, _)| k.as_ref().and_then(|k| k.scalar_text()) == key.scalar_text());
                if let Err(unknown) = self.searched(position.map_or(keys.len(), |i| i + 1), span) {
                    return unknown;
                }
                match position.map(|i| &keys[i]) {
                    Some(k) => (vec![k], &ops[1..]),
                    None => {
                        return Value::unknown(
                            span,
                            Unknowable::invalid(format!("{base}[{}] is not an instance", key.describe())),
                        );
                    }
                }
            }
            Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)) => {
                (keys.iter().collect(), &ops[1..])
            }
            _ => (keys.iter().collect(), ops),
        };
        let splat = matches!(
            ops.first(),
            Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_))
        );
        let one = |key: &InstanceKey| -> Value {
            let address = format!("{base}{}", key_text(key.0.as_ref()));
            let attr = match rest.first() {
                Some(TraversalOperator::GetAttr(a)) => Some(a.value().as_str()),
                _ => None,
            };
            // An attribute the configuration writes is its value; the rest is known after apply.
            if let Some(a) = attr
                && let Some(written) = decl.item.block.body.get_attribute(a)
            {
                let mut value = ctx.for_instance(key).eval(&written.value).relocated(span);
                // The attribute itself (not a part of it) keeps whose it is.
                if rest.len() == 1 && value.origin.is_written() && !matches!(value.kind, ValueKind::Ref(_)) {
                    value.origin = Origin::Attribute(Box::new(ResourceRef {
                        target: address.clone(),
                        attribute: attr.map(str::to_string),
                    }));
                }
                return self.apply(value, &rest[1..], span);
            }
            // A data source the configuration determines (a policy document) is computed.
            if data && let Some(a) = attr {
                let inner = ctx.for_instance(key);
                let (values, _) = inner.body(&decl.item.block.body, ctx.span(decl.item.block.span()));
                if let Some(computed) = super::data_sources::computed_attribute(tf_type, a, &values, span) {
                    return self.apply(computed, &rest[1..], span);
                }
            }
            let reference = Value::new(
                span,
                ValueKind::Ref(Box::new(ResourceRef {
                    target: address,
                    attribute: attr.map(str::to_string),
                })),
            );
            if rest.len() > 1 {
                return Value::unknown(span, Unknowable::at_apply(reference.describe()));
            }
            reference
        };
        if splat {
            return self.built_shallow(Value::new(
                span,
                ValueKind::List(selected.into_iter().map(one).collect()),
            ));
        }
        match selected.as_slice() {
            [only] => one(only),
            _ if self.each.is_some() || self.count.is_some() => {
                // Inside a counted resource, `other.name.x` usually means the same index.
                Value::unknown(
                    span,
                    Unknowable::invalid(format!("{base} has several instances; name one")),
                )
            }
            _ => Value::unknown(
                span,
                Unknowable::invalid(format!("{base} has several instances; name one")),
            ),
        }
    }

    /// The instances of resource `index` of this context's module instance
    /// (its `count` or `for_each` expanded), evaluated once and shared by
    /// every reference to it. The context must be a plain one (no `each`,
    /// `count` or iterator) in the resource's file.
    pub fn resource_instances(&self, index: usize) -> Instances {
        let instance = &self.unit.instances[self.instance];
        if let Some(keys) = instance.resource_keys.borrow().get(&index) {
            return keys.clone();
        }
        let decl = &self.unit.defs[instance.def].resources[index];
        let keys = self.expand(&decl.item.block.body).map(Rc::new);
        instance.resource_keys.borrow_mut().insert(index, keys.clone());
        keys
    }

    /// A `count` or `for_each` written `COND ? x : EMPTY` (or `COND ? EMPTY :
    /// x`, `EMPTY` being `0`, `[]` or `{}`) whose condition cannot be
    /// decided before plan: the block's instances exist only when the
    /// condition is as said, as a CloudFormation resource under an
    /// undecidable `Condition` does.
    pub fn existence<'e>(&self, expr: &'e Expression) -> Option<Existence<'e>> {
        let mut expr = expr;
        while let Expression::Parenthesis(p) = expr {
            expr = p.inner();
        }
        let Expression::Conditional(c) = expr else {
            return None;
        };
        let cond = self.eval(&c.cond_expr);
        let reason = match cond.kind {
            ValueKind::Bool(_) => return None,
            ValueKind::String(ref s) if s == "true" || s == "false" => return None,
            ValueKind::Unknown(reason) => *reason,
            _ => Unknowable::at_apply(cond.describe()),
        };
        let empty = |e: &Expression| match self.eval(e).kind {
            ValueKind::Number(n) => n.parse::<f64>().is_ok_and(|n| n == 0.0),
            ValueKind::List(items) => items.is_empty(),
            ValueKind::Map(props) => props.is_empty(),
            _ => false,
        };
        let (holds, creating) = match (empty(&c.true_expr), empty(&c.false_expr)) {
            (false, true) => (true, &c.true_expr),
            (true, false) => (false, &c.false_expr),
            _ => return None,
        };
        Some(Existence {
            condition: c.cond_expr.to_string().trim().to_string(),
            holds,
            creating,
            reason,
        })
    }

    /// Expands `count` / `for_each` of a block body; under an undecidable
    /// condition ([`Ctx::existence`]), the instances it creates when it holds.
    pub fn expand(&self, body: &Body) -> Result<Vec<InstanceKey>, Unknowable> {
        if let Some(count) = body.get_attribute("count") {
            let written = &count.value;
            let v = self.eval(self.existence(written).map_or(written, |e| e.creating));
            let n = match v.scalar_text().and_then(|t| t.parse::<f64>().ok()) {
                Some(n) if n >= 0.0 => n as usize,
                _ => return Err(unknown_reason(&v).within("count")),
            };
            if n > MAX_INSTANCES {
                return Err(Unknowable::OverInstanceLimit {
                    expression: "count",
                    count: n,
                    limit: MAX_INSTANCES,
                });
            }
            self.charge_instances(n, v.span)?;
            return Ok((0..n)
                .map(|i| (Some(Value::new(v.span, ValueKind::Number(i.to_string()))), None))
                .collect());
        }
        if let Some(for_each) = body.get_attribute("for_each") {
            let written = &for_each.value;
            let v = self.eval(self.existence(written).map_or(written, |e| e.creating));
            let pairs: Vec<InstanceKey> = match v.kind {
                ValueKind::Map(props) => props
                    .into_iter()
                    .map(|p| {
                        (
                            Some(Value::new(p.key_span, ValueKind::String(p.key))),
                            Some(p.value),
                        )
                    })
                    .collect(),
                ValueKind::List(items) => {
                    let mut keys = Vec::new();
                    for item in items {
                        let Some(text) = item.scalar_text().map(|t| t.into_owned()) else {
                            return Err(Unknowable::at_apply(item.describe()).within("for_each"));
                        };
                        keys.push((Some(Value::new(item.span, ValueKind::String(text))), Some(item)));
                    }
                    keys
                }
                ValueKind::Unknown(reason) => return Err(reason.within("for_each")),
                _ => return Err(unknown_reason(&v).within("for_each")),
            };
            if pairs.len() > MAX_INSTANCES {
                return Err(Unknowable::OverInstanceLimit {
                    expression: "for_each",
                    count: pairs.len(),
                    limit: MAX_INSTANCES,
                });
            }
            self.charge_instances(pairs.len(), v.span)?;
            return Ok(pairs);
        }
        Ok(vec![(None, None)])
    }

    /// Counts one more item made of a block (a resource instance, a
    /// declared input or output); `false` past the limit, reported once.
    pub fn add_item(&self, span: Span) -> bool {
        match self.unit.budget.add_item() {
            Ok(()) => true,
            Err(exceeded) => {
                self.exceeded(span, exceeded);
                false
            }
        }
    }

    /// Charges the keys of `n` instances.
    fn charge_instances(&self, n: usize, span: Span) -> Result<(), Unknowable> {
        self.unit.budget.charge(n, 0).map_err(|exceeded| {
            self.exceeded(span, exceeded);
            exceeded.reason()
        })
    }

    /// A block body as a map: attributes, and nested blocks as lists of maps
    /// (`dynamic` blocks expanded). Returns the keys it writes too.
    pub fn body(&self, body: &Body, span: Span) -> (Value, Vec<String>) {
        let mut props: Vec<Prop> = Vec::new();
        // Where each key is in `props`: blocks of one name gather in one list.
        let mut positions: HashMap<String, usize> = HashMap::new();
        let mut written = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let key = attr.key.as_str();
                    if META.contains(&key) {
                        continue;
                    }
                    written.push(key.to_string());
                    positions.entry(key.to_string()).or_insert(props.len());
                    props.push(Prop {
                        key: key.to_string(),
                        key_span: self.span(attr.key.span()),
                        value: self.eval(&attr.value),
                    });
                }
                Structure::Block(block) => {
                    let ident = block.ident.as_str();
                    if META.contains(&ident) {
                        continue;
                    }
                    let block_span = self.span(block.span());
                    let (name, values) = if ident == "dynamic" {
                        let Some(label) = block.labels.first() else {
                            continue;
                        };
                        (
                            label.as_str().to_string(),
                            self.dynamic(label.as_str(), &block.body, block_span),
                        )
                    } else {
                        (ident.to_string(), vec![self.nested_body(&block.body, block_span)])
                    };
                    written.push(name.clone());
                    let position = *positions.entry(name.clone()).or_insert(props.len());
                    match props.get_mut(position) {
                        // A repeated block: the list's region grows to hold it,
                        // so a value in it is found by where it is written.
                        Some(Prop {
                            value:
                                Value {
                                    kind: ValueKind::List(items),
                                    span,
                                    ..
                                },
                            ..
                        }) => {
                            items.extend(values);
                            if span.file == block_span.file && span.end < block_span.end {
                                span.end = block_span.end;
                            }
                        }
                        _ => props.push(Prop {
                            key: name,
                            key_span: block_span,
                            value: Value::new(block_span, ValueKind::List(values)),
                        }),
                    }
                }
            }
        }
        (Value::new(span, ValueKind::Map(props)), written)
    }

    /// The body of a nested block, two levels down (in a list, in its parent's map).
    fn nested_body(&self, body: &Body, span: Span) -> Value {
        match self.unit.budget.enter(2) {
            Ok(_levels) => self.body(body, span).0,
            Err(exceeded) => self.exceeded(span, exceeded),
        }
    }

    /// `dynamic "name" { for_each = ...; iterator = it; content { ... } }`.
    fn dynamic(&self, name: &str, body: &Body, span: Span) -> Vec<Value> {
        let iterator = body
            .get_attribute("iterator")
            .and_then(|i| match &i.value {
                Expression::Variable(v) => Some(v.value().to_string()),
                _ => None,
            })
            .unwrap_or_else(|| name.to_string());
        let Some(content) = body.get_blocks("content").next() else {
            return Vec::new();
        };
        let Some(for_each) = body.get_attribute("for_each") else {
            return Vec::new();
        };
        let pairs = match key_value_pairs(self.eval(&for_each.value), span) {
            Ok(pairs) => pairs,
            Err(reason) => {
                return vec![Value::unknown(
                    span,
                    reason.within(format!(
                        "dynamic \"{name}\" blocks cannot be expanded before plan"
                    )),
                )];
            }
        };
        // Never a silent cut: past the limit the blocks are unknown, with an error.
        if pairs.len() > MAX_INSTANCES {
            let message = format!(
                "dynamic \"{name}\" over {} elements is over the {MAX_INSTANCES} instance limit; its blocks are not checked",
                pairs.len()
            );
            self.report(span, crate::diagnostics::Diagnostic::error(span.start, message));
            return vec![Value::unknown(
                span,
                Unknowable::invalid(format!(
                    "dynamic \"{name}\" over more than {MAX_INSTANCES} elements"
                )),
            )];
        }
        pairs
            .into_iter()
            .map(|(key, value)| {
                let mut inner = self.clone();
                let it = Value::new(
                    span,
                    ValueKind::Map(vec![
                        Prop {
                            key: "key".into(),
                            key_span: span,
                            value: key,
                        },
                        Prop {
                            key: "value".into(),
                            key_span: span,
                            value,
                        },
                    ]),
                );
                inner.vars.push((iterator.clone(), Rc::new(it)));
                inner.nested_body(&content.body, span)
            })
            .collect()
    }
}

/// The (key, value) pairs a `for` or `dynamic` iterates: a list's indexes or
/// a map's keys. `Err` describes a collection known only at apply.
fn key_value_pairs(collection: Value, span: Span) -> Result<Vec<(Value, Value)>, Unknowable> {
    match collection.kind {
        ValueKind::List(items) => Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Value::new(span, ValueKind::Number(i.to_string())), v))
            .collect()),
        ValueKind::Map(props) => Ok(props
            .into_iter()
            .map(|p| (Value::new(p.key_span, ValueKind::String(p.key)), p.value))
            .collect()),
        ValueKind::Unknown(reason) => Err(*reason),
        _ => Err(Unknowable::at_apply(collection.describe())),
    }
}

/// The undecidable condition a block's instances exist under.
pub struct Existence<'e> {
    /// The condition as written (`var.create`).
    pub condition: String,
    /// Whether the instances exist when it holds (`c ? 1 : 0`) or when it
    /// does not (`c ? 0 : 1`).
    pub holds: bool,
    /// The branch that creates them.
    pub creating: &'e Expression,
    /// Why the condition is undecidable.
    pub reason: Unknowable,
}

/// Why `value` is not a known scalar: its own reason when it is unknown.
fn unknown_reason(value: &Value) -> Unknowable {
    match &value.kind {
        ValueKind::Unknown(reason) => (**reason).clone(),
        _ => Unknowable::at_apply(value.describe()),
    }
}

/// `[0]` or `["key"]` of an instance key.
pub(super) fn key_text(key: Option<&Value>) -> String {
    match key.map(|k| &k.kind) {
        Some(ValueKind::Number(n)) => format!("[{n}]"),
        Some(ValueKind::String(s)) => format!("[{}]", serde_json::Value::String(s.clone())),
        _ => String::new(),
    }
}

/// A variable's value at its use, marked as coming from the variable.
fn parameter(value: Value, name: &str, span: Span) -> Value {
    let mut value = value.relocated(span);
    value.origin = Origin::Parameter(format!("var.{name}"));
    value
}

fn number(n: f64) -> ValueKind {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        ValueKind::Number(format!("{}", n as i64))
    } else {
        ValueKind::Number(n.to_string())
    }
}

/// The leading whitespace every non-blank line of `text` shares.
fn common_indent(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0)
}

/// `<<-EOT` heredocs drop the common leading whitespace.
fn dedent(text: &str) -> String {
    let indent = common_indent(text);
    text.lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}
