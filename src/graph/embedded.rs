//! Documents embedded as JSON strings (`jsonencode(...)` in Terraform, a
//! policy or container definitions written as a string): parsed into values,
//! with the parts known only after deploy kept as holes.

use super::convert::node_to_value;
use super::{Origin, Part, Value, ValueKind};
use crate::parse::{Limits, Pos, Span, load_json};

const HOLE: &str = "\u{1}pf-hole-";

/// Parses a document written as a JSON string (a policy, ECS container
/// definitions). Parts known only after deploy
/// (`${Bucket}` in an `Fn::Sub`) are kept as holes inside the parsed strings.
/// A text whose document was read where it is written ([`Origin::Document`])
/// is that document, its parts placed in the source.
pub fn parse_json_string(value: &Value) -> Result<Value, String> {
    if let Origin::Document(document) = &value.origin {
        return Ok((**document).clone());
    }
    // Positions inside a quoted string are not positions in the file
    // (escapes shift them): every part is placed on the string.
    parse_placed(value, Placement::Whole(value.span))
}

/// Reads a heredoc's text as a JSON document whose lines are the file's
/// lines from `first_line` on, `indent` columns removed (`<<-EOT`). Columns
/// after an interpolation on the same line are where the text puts them.
/// `None` when the text is no JSON object or array.
pub fn parse_heredoc_json(value: &Value, first_line: u32, indent: u32) -> Option<Value> {
    let looks_like_json = match &value.kind {
        ValueKind::String(s) => s.trim_start().starts_with(['{', '[']),
        ValueKind::Interp(parts) => {
            matches!(parts.first(), Some(Part::Lit(s)) if s.trim_start().starts_with(['{', '[']))
        }
        _ => false,
    };
    if !looks_like_json {
        return None;
    }
    let placement = Placement::Lines {
        file: value.span.file,
        first_line,
        indent,
    };
    parse_placed(value, placement).ok()
}

/// Where the parts of a document read from a text are written.
#[derive(Clone, Copy)]
enum Placement {
    /// All on the text's own region.
    Whole(Span),
    /// Line by line: the text's line 1 is the file's `first_line`.
    Lines { file: u32, first_line: u32, indent: u32 },
}

impl Placement {
    /// The file region of `span`, a region of the text.
    fn place(self, span: Span) -> Span {
        match self {
            Placement::Whole(whole) => whole,
            Placement::Lines {
                file,
                first_line,
                indent,
            } => {
                let at = |pos: Pos| Pos {
                    line: first_line + pos.line.saturating_sub(1),
                    col: pos.col + indent,
                };
                Span {
                    file,
                    start: at(span.start),
                    end: at(span.end),
                }
            }
        }
    }
}

fn parse_placed(value: &Value, placement: Placement) -> Result<Value, String> {
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
    fill(&mut parsed, placement, &holes);
    Ok(parsed)
}

fn fill(value: &mut Value, placement: Placement, holes: &[&Part]) {
    value.span = placement.place(value.span);
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
        ValueKind::List(items) => items.iter_mut().for_each(|v| fill(v, placement, holes)),
        ValueKind::Map(props) => props.iter_mut().for_each(|p| {
            p.key_span = placement.place(p.key_span);
            fill(&mut p.value, placement, holes)
        }),
        _ => {}
    }
}
