//! Documents embedded as JSON strings (`jsonencode(...)` in Terraform, a
//! policy or container definitions written as a string): parsed into values,
//! with the parts known only after deploy kept as holes.

use super::convert::node_to_value;
use super::{Part, Value, ValueKind};
use crate::parse::{Limits, Span, load_json};

const HOLE: &str = "\u{1}pf-hole-";

/// Parses a document written as a JSON string (a policy, ECS container
/// definitions). Parts known only after deploy
/// (`${Bucket}` in an `Fn::Sub`) are kept as holes inside the parsed strings.
pub fn parse_json_string(value: &Value) -> Result<Value, String> {
    let (text, holes): (String, Vec<&Part>) = match &value.kind {
        ValueKind::String(s) => (s.clone(), Vec::new()),
        ValueKind::Interp(parts) => {
            let mut text = String::new();
            let mut holes = Vec::new();
            for part in parts {
                match part {
                    Part::Lit(s) => text.push_str(s),
                    other => {
                        text.push_str(&format!("{HOLE}{}\u{1}", holes.len()));
                        holes.push(other);
                    }
                }
            }
            (text, holes)
        }
        _ => return Err("not an object or a JSON string".into()),
    };
    let node = load_json(&text, Limits::default()).map_err(|e| format!("not valid JSON ({})", e.message))?;
    let mut parsed = node_to_value(&node);
    // Positions inside the string are not positions in the file: use the string's.
    fill(&mut parsed, value.span, &holes);
    Ok(parsed)
}

fn fill(value: &mut Value, span: Span, holes: &[&Part]) {
    value.span = span;
    match &mut value.kind {
        ValueKind::String(s) if s.contains(HOLE) => {
            let mut parts = Vec::new();
            for (i, piece) in s.split(HOLE).enumerate() {
                if i == 0 {
                    parts.push(Part::Lit(piece.to_string()));
                    continue;
                }
                let (index, rest) = piece.split_once('\u{1}').unwrap_or((piece, ""));
                match index.parse::<usize>().ok().and_then(|i| holes.get(i)) {
                    Some(hole) => parts.push((*hole).clone()),
                    None => parts.push(Part::Unknown(super::Unknowable::invalid("unresolved part"))),
                }
                parts.push(Part::Lit(rest.to_string()));
            }
            parts.retain(|p| !matches!(p, Part::Lit(l) if l.is_empty()));
            value.kind = ValueKind::Interp(parts);
        }
        ValueKind::List(items) => items.iter_mut().for_each(|v| fill(v, span, holes)),
        ValueKind::Map(props) => props.iter_mut().for_each(|p| {
            p.key_span = span;
            fill(&mut p.value, span, holes)
        }),
        _ => {}
    }
}
