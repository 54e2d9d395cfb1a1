//! Predicate library files: `predicates:` mapping names to definitions,
//! read from `checks/predicates/` (built in) or a `--checks DIR`.
//!
//! ```yaml
//! predicates:
//!   public_image:
//!     params: [image, owners]
//!     description: The image at %image is one of AWS's public images.
//!     rule: |
//!       %image refers_to resources(AWS::EC2::ImageLookup)
//!       ...
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::Problem;
use crate::checks::check::{CheckFileError, RuleMap};
use crate::checks::lang::{Library, Predicate, ast::At, parse_rule_with, predicate_calls};
use crate::parse::{Limits, NodeKind, Pos, load_yaml};

/// One definition as read, not yet parsed.
#[derive(Debug, Clone)]
pub struct PredicateSource {
    pub name: String,
    pub file: Arc<str>,
    /// The name's position in the file.
    pub at: Pos,
    pub params: Vec<(String, Pos)>,
    pub description: String,
    pub rule: String,
    rule_map: RuleMap,
    rule_at: Pos,
}

/// Whether a file of a checks directory is a predicate library rather than
/// a check: its top level has `predicates:`.
pub fn is_library(text: &str) -> bool {
    text.lines().any(|line| line.starts_with("predicates:"))
}

/// Reads the definitions of a library file.
pub fn read(source: &str, text: &str) -> Result<Vec<PredicateSource>, CheckFileError> {
    let error = |pos: Pos, message: String| CheckFileError {
        file: source.to_string(),
        pos,
        message,
    };
    let root = load_yaml(text, Limits::default()).map_err(|e| error(e.pos, e.message))?;
    let Some(entries) = root.as_map() else {
        return Err(error(
            root.span.start,
            "a predicate library must be a mapping".into(),
        ));
    };
    if let Some(other) = entries.iter().find(|e| e.key != "predicates") {
        return Err(error(
            other.key_span.start,
            format!(
                "unknown field \"{}\" of a predicate library (known: predicates)",
                other.key
            ),
        ));
    }
    let file: Arc<str> = Arc::from(source);
    let mut out = Vec::new();
    let Some(definitions) = root.get("predicates").and_then(|e| e.value.as_map()) else {
        return Err(error(
            root.span.start,
            "\"predicates\" must map names to definitions".into(),
        ));
    };
    for definition in definitions {
        let name = &definition.key;
        if !is_name(name) || crate::checks::lang::FUNCTIONS.contains(&name.as_str()) {
            return Err(error(
                definition.key_span.start,
                format!(
                    "\"{name}\" cannot name a predicate: use letters, digits and _, and no built-in function's name"
                ),
            ));
        }
        let node = &definition.value;
        let Some(fields) = node.as_map() else {
            return Err(error(
                node.span.start,
                format!("predicate {name}: expected a mapping with a rule"),
            ));
        };
        if let Some(other) = fields
            .iter()
            .find(|e| !["params", "description", "rule"].contains(&e.key.as_str()))
        {
            return Err(error(
                other.key_span.start,
                format!(
                    "unknown field \"{}\" of a predicate (known: params, description, rule)",
                    other.key
                ),
            ));
        }
        let params = match node.get("params").map(|e| &e.value) {
            None => Vec::new(),
            Some(list) => match &list.kind {
                NodeKind::Seq(items) => items
                    .iter()
                    .map(|i| match i.as_str() {
                        Some(p) if is_name(p.trim_start_matches('%')) => {
                            Ok((p.trim_start_matches('%').to_string(), i.span.start))
                        }
                        _ => Err(error(i.span.start, "a parameter is a name".into())),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                NodeKind::Null => Vec::new(),
                _ => return Err(error(list.span.start, "\"params\" must list names".into())),
            },
        };
        let rule_entry = node.get("rule").ok_or_else(|| {
            error(
                definition.key_span.start,
                format!("predicate {name}: missing \"rule\""),
            )
        })?;
        let rule = rule_entry
            .value
            .as_str()
            .ok_or_else(|| error(rule_entry.value.span.start, "\"rule\" must be text".into()))?;
        let rule_map = RuleMap::new(text, rule_entry);
        out.push(PredicateSource {
            name: name.clone(),
            file: file.clone(),
            at: definition.key_span.start,
            params,
            description: node
                .get("description")
                .and_then(|e| e.value.as_str())
                .unwrap_or_default()
                .trim_end()
                .to_string(),
            rule: rule.to_string(),
            rule_at: rule_map.map(Pos { line: 1, col: 1 }),
            rule_map,
        });
    }
    Ok(out)
}

fn is_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses every definition once, those it calls first, into `library`;
/// returns the warnings (unused parameters).
pub fn build(sources: Vec<PredicateSource>, library: &mut Library) -> Result<Vec<Problem>, CheckFileError> {
    let by_name: BTreeMap<&str, &PredicateSource> = sources.iter().map(|s| (s.name.as_str(), s)).collect();
    for source in &sources {
        if let Some(first) = library.get(&source.name).map(|p| p.at.describe()).or_else(|| {
            sources
                .iter()
                .find(|s| s.name == source.name && !std::ptr::eq(*s, source))
                .filter(|s| (s.file.as_ref(), s.at) < (source.file.as_ref(), source.at))
                .map(|s| format!("{}:{}", s.file, s.at))
        }) {
            return Err(CheckFileError {
                file: source.file.to_string(),
                pos: source.at,
                message: format!("predicate {}() is already defined at {first}", source.name),
            });
        }
    }
    let mut order = Vec::new();
    let mut done = BTreeSet::new();
    for source in &sources {
        visit(source, &by_name, &mut Vec::new(), &mut done, &mut order)?;
    }
    let mut warnings = Vec::new();
    for source in order {
        warnings.extend(parse(source, library)?);
    }
    Ok(warnings)
}

/// Depth-first: the predicates `source` calls, then `source`. A cycle is an error.
fn visit<'s>(
    source: &'s PredicateSource,
    by_name: &BTreeMap<&str, &'s PredicateSource>,
    stack: &mut Vec<&'s str>,
    done: &mut BTreeSet<&'s str>,
    order: &mut Vec<&'s PredicateSource>,
) -> Result<(), CheckFileError> {
    if done.contains(source.name.as_str()) {
        return Ok(());
    }
    if let Some(start) = stack.iter().position(|n| *n == source.name) {
        let mut cycle: Vec<&str> = stack[start..].to_vec();
        cycle.push(&source.name);
        return Err(CheckFileError {
            file: source.file.to_string(),
            pos: source.at,
            message: format!("predicates call each other in a cycle: {}", cycle.join(" -> ")),
        });
    }
    stack.push(&source.name);
    for callee in predicate_calls(&source.rule) {
        if let Some(callee) = by_name.get(callee.as_str()) {
            visit(callee, by_name, stack, done, order)?;
        }
    }
    stack.pop();
    done.insert(&source.name);
    order.push(source);
    Ok(())
}

fn parse(source: &PredicateSource, library: &mut Library) -> Result<Vec<Problem>, CheckFileError> {
    let error = |pos: Pos, message: String| CheckFileError {
        file: source.file.to_string(),
        pos,
        message,
    };
    let mut rule = parse_rule_with(&source.rule, library).map_err(|e| {
        error(
            source.rule_map.map(Pos {
                line: e.line,
                col: e.col,
            }),
            e.message,
        )
    })?;
    rule.locate(&source.file, &|pos| source.rule_map.map(pos));
    let used = rule.params();
    if let Some(undeclared) = used.iter().find(|p| source.params.iter().all(|(d, _)| d != *p)) {
        return Err(error(
            source.rule_at,
            format!(
                "predicate {}() reads %{undeclared}, which its \"params\" does not declare (a predicate reads only its parameters: pass the check's as an argument)",
                source.name
            ),
        ));
    }
    let warnings = source
        .params
        .iter()
        .filter(|(p, _)| !used.contains(&p.as_str()))
        .map(|(p, at)| {
            Problem::warning(
                &source.file,
                *at,
                format!("predicate {}() never reads its parameter %{p}", source.name),
            )
        })
        .collect();
    library
        .insert(Predicate {
            name: source.name.clone(),
            params: source.params.iter().map(|(p, _)| p.clone()).collect(),
            body: rule.body,
            at: At {
                file: Some(source.file.clone()),
                pos: source.at,
            },
            description: source.description.clone(),
        })
        .map_err(|message| error(source.at, message))?;
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(text: &str) -> Result<(Library, Vec<Problem>), CheckFileError> {
        let mut library = Library::default();
        let warnings = build(read("lib.yaml", text)?, &mut library)?;
        Ok((library, warnings))
    }

    #[test]
    fn predicates_may_call_those_defined_after_them() {
        let (library, warnings) = built(
            "predicates:\n  outer:\n    rule: |\n      inner(A)\n  inner:\n    params: [x]\n    rule: |\n      %x exists\n",
        )
        .unwrap();
        assert!(warnings.is_empty());
        assert_eq!(library.names().collect::<Vec<_>>(), ["inner", "outer"]);
        assert_eq!(library.get("outer").unwrap().body.clauses.len(), 1);
    }

    #[test]
    fn cycles_undeclared_and_unused_params_are_reported() {
        let e = built("predicates:\n  a:\n    rule: b()\n  b:\n    rule: a()\n").unwrap_err();
        assert!(e.message.contains("cycle: a -> b -> a"), "{e}");
        let e = built("predicates:\n  a:\n    rule: |\n      X == %y\n").unwrap_err();
        assert_eq!((e.pos.line, e.pos.col), (4, 7), "{e}");
        assert!(e.message.contains("reads %y"), "{e}");
        let (_, warnings) = built("predicates:\n  a:\n    params: [unused]\n    rule: X exists\n").unwrap();
        assert_eq!(
            warnings.iter().map(Problem::to_string).collect::<Vec<_>>(),
            ["lib.yaml:3:14: warning: predicate a() never reads its parameter %unused"]
        );
        let e = built("predicates:\n  resolve:\n    rule: X exists\n").unwrap_err();
        assert!(e.message.contains("cannot name a predicate"), "{e}");
    }
}
