//! Terraform's built-in functions that configurations use to build the values
//! checks read. Any unknown argument makes the result unknown; functions that
//! read files or the outside world are unknown by design.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::frontends::cloudformation::to_json;
use crate::graph::{Origin, Part, Prop, Unknowable, Value, ValueKind};
use crate::parse::Span;

/// Calls function `name`; `None` when it is not one we evaluate.
pub(super) fn call(name: &str, args: Vec<Value>, span: Span) -> Value {
    // Unknown in, unknown out — except for functions that decide without it.
    if !matches!(
        name,
        "try" | "can" | "coalesce" | "jsonencode" | "length" | "lookup" | "merge" | "concat"
    ) && let Some(reason) = args.iter().find_map(unknown_reason)
    {
        return Value::unknown(span, reason);
    }
    let text = |i: usize| args.get(i).and_then(|v| v.scalar_text().map(|t| t.into_owned()));
    let value = |kind| Value::new(span, kind);
    let string = |s: String| Value::new(span, ValueKind::String(s));
    let number = |n: f64| Value::new(span, ValueKind::Number(format_number(n)));
    let list = |items: Vec<Value>| Value::new(span, ValueKind::List(items));
    let items = |i: usize| -> Option<Vec<Value>> {
        match args.get(i).map(|v| &v.kind) {
            Some(ValueKind::List(items)) => Some(items.clone()),
            _ => None,
        }
    };
    let result = match name {
        "jsonencode" => return jsonencode(args.first(), span),
        // A text with holes has an encoding known only at apply: keep the text,
        // as the graph holds CloudFormation's `Fn::Base64` (user data is read as text).
        "base64encode" if matches!(args.first().map(|a| &a.kind), Some(ValueKind::Interp(_))) => {
            return args[0].clone().relocated(span);
        }
        "jsondecode" => text(0).and_then(|t| {
            let node = crate::parse::load_json(&t, crate::parse::Limits::default()).ok()?;
            Some(crate::frontends::cloudformation::node_to_value(&node).relocated(span))
        }),
        "tostring" => args.first().map(|v| match v.scalar_text() {
            Some(t) => string(t.into_owned()),
            None => v.clone(),
        }),
        "tonumber" => text(0).and_then(|t| t.parse::<f64>().ok()).map(number),
        "tobool" => text(0).map(|t| value(ValueKind::Bool(t == "true"))),
        "tolist" | "toset" => args.first().cloned().map(|v| match v.kind {
            ValueKind::Map(props) => list(props.into_iter().map(|p| p.value).collect()),
            _ => v,
        }),
        "tomap" | "sensitive" | "nonsensitive" | "type" => args.first().cloned(),
        "one" => items(0).and_then(|items| match items.as_slice() {
            [] => Some(value(ValueKind::Null)),
            [only] => Some(only.clone()),
            _ => None,
        }),
        "alltrue" | "anytrue" => items(0).and_then(|items| {
            let bools: Option<Vec<bool>> = items
                .iter()
                .map(|i| i.scalar_text().map(|t| t == "true"))
                .collect();
            bools.map(|b| {
                value(ValueKind::Bool(if name == "alltrue" {
                    b.iter().all(|x| *x)
                } else {
                    b.iter().any(|x| *x)
                }))
            })
        }),
        "coalescelist" => args
            .iter()
            .find(|a| matches!(&a.kind, ValueKind::List(items) if !items.is_empty()))
            .cloned(),
        "format" => text(0).map(|f| string(format(&f, &args[1..]))),
        "join" => match (text(0), items(1)) {
            (Some(sep), Some(items)) => {
                let parts: Option<Vec<String>> = items
                    .iter()
                    .map(|v| v.scalar_text().map(|t| t.into_owned()))
                    .collect();
                parts.map(|p| string(p.join(&sep)))
            }
            _ => None,
        },
        "split" => match (text(0), text(1)) {
            (Some(sep), Some(s)) => Some(list(
                s.split(sep.as_str()).map(|p| string(p.to_string())).collect(),
            )),
            _ => None,
        },
        "lower" => text(0).map(|s| string(s.to_lowercase())),
        "upper" => text(0).map(|s| string(s.to_uppercase())),
        "trimspace" => text(0).map(|s| string(s.trim().to_string())),
        "trimprefix" => match (text(0), text(1)) {
            (Some(s), Some(p)) => Some(string(s.strip_prefix(p.as_str()).unwrap_or(&s).to_string())),
            _ => None,
        },
        "trimsuffix" => match (text(0), text(1)) {
            (Some(s), Some(p)) => Some(string(s.strip_suffix(p.as_str()).unwrap_or(&s).to_string())),
            _ => None,
        },
        "trim" => match (text(0), text(1)) {
            (Some(s), Some(cutset)) => Some(string(s.trim_matches(|c| cutset.contains(c)).to_string())),
            _ => None,
        },
        "chomp" => text(0).map(|s| string(s.trim_end_matches(['\n', '\r']).to_string())),
        "strrev" => text(0).map(|s| string(s.chars().rev().collect())),
        "title" => text(0).map(|s| string(title_case(&s))),
        "strcontains" => match (text(0), text(1)) {
            (Some(s), Some(sub)) => Some(value(ValueKind::Bool(s.contains(sub.as_str())))),
            _ => None,
        },
        "indent" => match (text(0).and_then(|n| n.parse::<usize>().ok()), text(1)) {
            (Some(n), Some(s)) => Some(string(s.replace('\n', &format!("\n{}", " ".repeat(n))))),
            _ => None,
        },
        "formatlist" => items(1).map(|items| {
            let format_text = text(0).unwrap_or_default();
            list(
                items
                    .iter()
                    .map(|i| string(format(&format_text, std::slice::from_ref(i))))
                    .collect(),
            )
        }),
        // `/.../` is a regular expression (RE2, which the regex crate follows).
        "replace" => match (text(0), text(1), text(2)) {
            (Some(s), Some(from), Some(to)) => match from.strip_prefix('/').and_then(|f| f.strip_suffix('/'))
            {
                Some(pattern) => regex::Regex::new(pattern)
                    .ok()
                    .map(|re| string(re.replace_all(&s, to.as_str()).into_owned())),
                None => Some(string(s.replace(&from, &to))),
            },
            _ => None,
        },
        "substr" => match (
            text(0),
            text(1).and_then(|o| o.parse::<usize>().ok()),
            text(2).and_then(|l| l.parse::<i64>().ok()),
        ) {
            (Some(s), Some(offset), Some(len)) => {
                let chars: Vec<char> = s.chars().skip(offset).collect();
                let len = if len < 0 {
                    chars.len()
                } else {
                    (len as usize).min(chars.len())
                };
                Some(string(chars[..len].iter().collect()))
            }
            _ => None,
        },
        "startswith" => match (text(0), text(1)) {
            (Some(s), Some(p)) => Some(value(ValueKind::Bool(s.starts_with(&p)))),
            _ => None,
        },
        "endswith" => match (text(0), text(1)) {
            (Some(s), Some(p)) => Some(value(ValueKind::Bool(s.ends_with(&p)))),
            _ => None,
        },
        "length" => args.first().and_then(|v| match &v.kind {
            ValueKind::List(items) => Some(number(items.len() as f64)),
            ValueKind::Map(props) => Some(number(props.len() as f64)),
            ValueKind::String(s) => Some(number(s.chars().count() as f64)),
            _ => None,
        }),
        "concat" => {
            let mut out = Vec::new();
            for arg in &args {
                match &arg.kind {
                    ValueKind::List(items) => out.extend(items.iter().cloned()),
                    _ => {
                        return Value::unknown(
                            span,
                            Unknowable::invalid(format!("concat of {}", arg.describe())),
                        );
                    }
                }
            }
            Some(list(out))
        }
        "merge" => {
            // A later key replaces an earlier one and moves to the end; the
            // slots and their index keep that linear in the entries merged.
            let mut slots: Vec<Option<Prop>> = Vec::new();
            let mut index = std::collections::HashMap::new();
            for arg in &args {
                match &arg.kind {
                    ValueKind::Map(more) => {
                        for p in more {
                            if let Some(earlier) = index.insert(p.key.clone(), slots.len()) {
                                slots[earlier] = None;
                            }
                            slots.push(Some(p.clone()));
                        }
                    }
                    ValueKind::Null => {}
                    _ => {
                        return Value::unknown(
                            span,
                            Unknowable::invalid(format!("merge of {}", arg.describe())),
                        );
                    }
                }
            }
            Some(value(ValueKind::Map(slots.into_iter().flatten().collect())))
        }
        "lookup" => match (args.first(), text(1)) {
            (Some(map), Some(key)) => match &map.kind {
                ValueKind::Map(props) => props
                    .iter()
                    .find(|p| p.key == key)
                    .map(|p| p.value.clone())
                    .or_else(|| args.get(2).cloned()),
                ValueKind::Unknown(r) => Some(Value::unknown(span, r.clone())),
                _ => None,
            },
            _ => None,
        },
        "element" => match (items(0), text(1).and_then(|i| i.parse::<usize>().ok())) {
            (Some(items), Some(i)) if !items.is_empty() => Some(items[i % items.len()].clone()),
            _ => None,
        },
        "slice" => match (
            items(0),
            text(1).and_then(|s| s.parse::<usize>().ok()),
            text(2).and_then(|e| e.parse::<usize>().ok()),
        ) {
            (Some(items), Some(start), Some(end)) if start <= end && end <= items.len() => {
                Some(list(items[start..end].to_vec()))
            }
            _ => None,
        },
        "keys" => args.first().and_then(|m| match &m.kind {
            ValueKind::Map(props) => Some(list(props.iter().map(|p| string(p.key.clone())).collect())),
            _ => None,
        }),
        "values" => args.first().and_then(|m| match &m.kind {
            ValueKind::Map(props) => Some(list(props.iter().map(|p| p.value.clone()).collect())),
            _ => None,
        }),
        "contains" => match (items(0), args.get(1)) {
            (Some(items), Some(v)) => {
                Some(value(ValueKind::Bool(items.iter().any(|i| {
                    i.scalar_text().is_some() && i.scalar_text() == v.scalar_text()
                }))))
            }
            _ => None,
        },
        "flatten" => items(0).map(|items| {
            let mut out = Vec::new();
            flatten(items, &mut out, 0);
            list(out)
        }),
        "distinct" => items(0).map(|items| {
            // Known values compared by their JSON text, in one pass.
            let mut seen = std::collections::HashSet::new();
            list(
                items
                    .into_iter()
                    .filter(|i| to_json(i).is_none_or(|json| seen.insert(json.to_string())))
                    .collect(),
            )
        }),
        "compact" => items(0).map(|items| list(items.into_iter().filter(|i| !is_blank(i)).collect())),
        "coalesce" => args.iter().find(|a| !is_blank(a)).cloned(),
        // An unknown argument is taken for an error and skipped, except
        // the attribute of a declared data source that stands for a
        // pseudo-parameter (`data.aws_partition.x.partition`), which is a
        // value as a reference to a resource's attribute is.
        "try" => args.iter().find(|a| !is_failed(a)).cloned(),
        "can" => Some(value(ValueKind::Bool(!args.iter().any(is_failed)))),
        "zipmap" => match (items(0), items(1)) {
            (Some(keys), Some(values)) => Some(value(ValueKind::Map(
                keys.iter()
                    .zip(values)
                    .filter_map(|(k, v)| {
                        Some(Prop {
                            key: k.scalar_text()?.into_owned(),
                            key_span: k.span,
                            value: v,
                        })
                    })
                    .collect(),
            ))),
            _ => None,
        },
        "range" => {
            let numbers: Option<Vec<f64>> = (0..args.len())
                .map(|i| text(i).and_then(|t| t.parse().ok()))
                .collect();
            let (start, end, step) = match numbers.as_deref() {
                Some([end]) => (0.0, *end, 1.0),
                Some([start, end]) => (*start, *end, 1.0),
                Some([start, end, step]) => (*start, *end, *step),
                _ => return Value::unknown(span, Unknowable::of_apply_values("range()")),
            };
            return match range(start, end, step) {
                Ok(r) => list(r.into_iter().map(number).collect()),
                Err(reason) => Value::unknown(span, reason),
            };
        }
        "min" | "max" => {
            let numbers: Option<Vec<f64>> = (0..args.len())
                .map(|i| text(i).and_then(|t| t.parse().ok()))
                .collect();
            numbers.and_then(|n| {
                let pick = if name == "min" { f64::min } else { f64::max };
                n.into_iter().reduce(pick).map(number)
            })
        }
        "abs" => text(0)
            .and_then(|t| t.parse::<f64>().ok())
            .map(|n| number(n.abs())),
        "sort" => items(0).map(|mut items| {
            items.sort_by(|a, b| a.scalar_text().cmp(&b.scalar_text()));
            list(items)
        }),
        "reverse" => items(0).map(|mut items| {
            items.reverse();
            list(items)
        }),
        "base64encode" => text(0).map(|t| string(BASE64.encode(t.as_bytes()))),
        "base64decode" => text(0).and_then(|t| {
            let bytes = BASE64.decode(t.as_bytes()).ok()?;
            String::from_utf8(bytes).ok().map(string)
        }),
        "sha256" | "md5" | "uuid" | "timestamp" | "bcrypt" => {
            return Value::unknown(span, Unknowable::not_modelled(format!("{name}()")));
        }
        // file(), filebase64(), fileexists() and templatefile() are read by the evaluator (files.rs).
        "fileset" | "abspath" => {
            return Value::unknown(span, Unknowable::not_modelled(format!("{name}()")));
        }
        "cidrsubnet" | "cidrhost" | "cidrsubnets" | "cidrnetmask" => {
            return Value::unknown(span, Unknowable::not_modelled(format!("{name}()")));
        }
        other => return Value::unknown(span, Unknowable::not_modelled(format!("function {other}()"))),
    };
    result.unwrap_or_else(|| Value::unknown(span, Unknowable::of_apply_values(format!("{name}()"))))
}

/// The bytes of text `name(args)` builds beyond its arguments' own, for the
/// functions whose result can outgrow them many times over: `replace` puts
/// `to` in at every match (between every character when `from` is empty;
/// each `$` of a regex replacement may copy the whole text again), `join`
/// repeats its separator, `formatlist` its format, `indent` its spaces on
/// every line. Charged before they run.
pub(super) fn text_growth(name: &str, args: &[Value]) -> usize {
    let text = |i: usize| args.get(i).and_then(Value::scalar_text);
    let count = |i: usize| match &args.get(i).map(|v| &v.kind) {
        Some(ValueKind::List(items)) => items.len(),
        _ => 0,
    };
    match name {
        "replace" => match (text(0), text(1), text(2)) {
            (Some(s), Some(from), Some(to)) => {
                let matches = match from.strip_prefix('/').and_then(|f| f.strip_suffix('/')) {
                    Some(pattern) => regex::Regex::new(pattern).map_or(0, |re| re.find_iter(&s).count()),
                    None => s.matches(from.as_ref()).count(),
                };
                let copies = to.matches('$').count().saturating_mul(s.len());
                matches.saturating_mul(to.len()).saturating_add(copies)
            }
            _ => 0,
        },
        "join" => text(0).map_or(0, |sep| sep.len().saturating_mul(count(1))),
        "formatlist" => text(0).map_or(0, |spec| spec.len().saturating_mul(count(1))),
        "indent" => match (text(0).and_then(|n| n.parse::<usize>().ok()), text(1)) {
            (Some(n), Some(s)) => n.saturating_mul(s.matches('\n').count() + 1),
            _ => 0,
        },
        _ => 0,
    }
}

/// Terraform's `title()`: the first letter of each word in upper case.
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// `null` or `""`.
fn is_blank(v: &Value) -> bool {
    match &v.kind {
        ValueKind::Null => true,
        ValueKind::String(s) => s.is_empty(),
        _ => false,
    }
}

/// Whether `try()` and `can()` take `v` for an error.
fn is_failed(v: &Value) -> bool {
    matches!(&v.kind, ValueKind::Unknown(r) if r.pseudo().is_none())
}

fn unknown_reason(v: &Value) -> Option<Unknowable> {
    match &v.kind {
        ValueKind::Unknown(r) => Some((**r).clone()),
        _ => None,
    }
}

/// Terraform's number rendering: integers without a fraction.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// `range()`: `start + i * step` for each index of a count computed first,
/// never a running sum (past 2^53 a float step is absorbed and a sum never
/// reaches `end`); an error over the instance limit.
fn range(start: f64, end: f64, step: f64) -> Result<Vec<f64>, Unknowable> {
    let limit = super::eval::MAX_INSTANCES;
    let count = ((end - start) / step).ceil();
    if step == 0.0 || !count.is_finite() {
        return Err(Unknowable::invalid(format!(
            "range({start}, {end}, {step}) never ends"
        )));
    }
    if count > limit as f64 {
        return Err(Unknowable::OverInstanceLimit {
            expression: "range()",
            count: count as usize,
            limit,
        });
    }
    let count = count.max(0.0) as usize;
    Ok((0..count).map(|i| start + i as f64 * step).collect())
}

fn flatten(items: Vec<Value>, out: &mut Vec<Value>, depth: usize) {
    for item in items {
        match item.kind {
            ValueKind::List(inner) if depth < 32 => flatten(inner, out, depth + 1),
            _ => out.push(item),
        }
    }
}

/// `format("%s-%d", a, b)` for the verbs configurations use.
fn format(spec: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(_) => {
                // Skip flags/width and take the verb.
                if let Some(arg) = next.next() {
                    out.push_str(&arg.scalar_text().unwrap_or_default());
                }
            }
            None => out.push('%'),
        }
    }
    out
}

/// `jsonencode(value)`: the JSON text; values known only at apply become
/// holes (kept as references or unknowns inside the string), so a policy
/// written with `jsonencode` can still be read statement by statement.
fn jsonencode(value: Option<&Value>, span: Span) -> Value {
    let Some(value) = value else {
        return Value::unknown(span, Unknowable::malformed("jsonencode()", "a value"));
    };
    let document = as_document(value);
    let mut encoded = match to_json(value) {
        Some(json) => Value::new(span, ValueKind::String(json.to_string())),
        None => {
            let mut parts = Vec::new();
            encode(&document, &mut parts);
            let mut folded: Vec<Part> = Vec::new();
            for part in parts {
                match (folded.last_mut(), part) {
                    (Some(Part::Lit(prev)), Part::Lit(s)) => prev.push_str(&s),
                    (_, part) => folded.push(part),
                }
            }
            Value::new(span, ValueKind::Interp(folded))
        }
    };
    // The document the text encodes is the value itself, each part where it
    // is written: a policy's statements are read (and reported) in place.
    if matches!(value.kind, ValueKind::Map(_) | ValueKind::List(_)) {
        encoded.origin = Origin::Document(Box::new(document));
    }
    encoded
}

/// `value` as reading its JSON text gives it back: what JSON cannot hold
/// (a reference, a value known only at apply) becomes a string with that
/// hole. [`encode`] writes the text from it.
fn as_document(value: &Value) -> Value {
    let hole = |part: Part| Value::new(value.span, ValueKind::Interp(vec![part]));
    match &value.kind {
        ValueKind::List(items) => Value::new(
            value.span,
            ValueKind::List(items.iter().map(as_document).collect()),
        ),
        ValueKind::Map(props) => Value::new(
            value.span,
            ValueKind::Map(
                props
                    .iter()
                    .map(|p| Prop {
                        key: p.key.clone(),
                        key_span: p.key_span,
                        value: as_document(&p.value),
                    })
                    .collect(),
            ),
        ),
        ValueKind::Ref(r) => hole(Part::Ref((**r).clone())),
        ValueKind::Interp(parts) => Value::new(value.span, ValueKind::Interp(parts.clone())),
        ValueKind::Unknown(reason) => hole(Part::Unknown((**reason).clone())),
        _ => match to_json(value) {
            Some(json) => {
                let kind = match json {
                    serde_json::Value::Null => ValueKind::Null,
                    serde_json::Value::Bool(b) => ValueKind::Bool(b),
                    serde_json::Value::Number(n) => ValueKind::Number(n.to_string()),
                    serde_json::Value::String(s) => ValueKind::String(s),
                    // Only scalars reach here: collections are handled above.
                    other => ValueKind::String(other.to_string()),
                };
                Value::new(value.span, kind)
            }
            None => hole(Part::Unknown(Unknowable::at_apply(value.describe()))),
        },
    }
}

/// The JSON text of a document (see [`as_document`]): holes stay parts.
fn encode(document: &Value, parts: &mut Vec<Part>) {
    let lit = |parts: &mut Vec<Part>, s: String| parts.push(Part::Lit(s));
    match &document.kind {
        ValueKind::List(items) => {
            lit(parts, "[".into());
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    lit(parts, ",".into());
                }
                encode(item, parts);
            }
            lit(parts, "]".into());
        }
        ValueKind::Map(props) => {
            lit(parts, "{".into());
            for (i, p) in props.iter().enumerate() {
                if i > 0 {
                    lit(parts, ",".into());
                }
                lit(parts, format!("{}:", serde_json::Value::String(p.key.clone())));
                encode(&p.value, parts);
            }
            lit(parts, "}".into());
        }
        ValueKind::Interp(inner) => {
            lit(parts, "\"".into());
            parts.extend(inner.iter().cloned());
            lit(parts, "\"".into());
        }
        // A document holds only JSON scalars besides its holes.
        _ => lit(
            parts,
            to_json(document).map_or_else(|| "null".into(), |json| json.to_string()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::new(Span::default(), ValueKind::String(s.to_string()))
    }

    fn eval(name: &str, args: &[&str]) -> Option<String> {
        let args = args.iter().map(|a| text(a)).collect();
        call(name, args, Span::default()).as_str().map(str::to_string)
    }

    #[test]
    fn string_functions_follow_terraform() {
        assert_eq!(
            eval("trimprefix", &["arn:aws:s3:::b", "arn:aws:s3:::"]).as_deref(),
            Some("b")
        );
        assert_eq!(
            eval("trimsuffix", &["policy.json", ".json"]).as_deref(),
            Some("policy")
        );
        assert_eq!(eval("trim", &["?!hello?!", "!?"]).as_deref(), Some("hello"));
        assert_eq!(eval("chomp", &["line\r\n"]).as_deref(), Some("line"));
        assert_eq!(eval("strrev", &["abc"]).as_deref(), Some("cba"));
        assert_eq!(eval("title", &["hello world"]).as_deref(), Some("Hello World"));
        assert_eq!(eval("indent", &["2", "a\nb"]).as_deref(), Some("a\n  b"));
        // A literal substring, and a /regular expression/ with capture groups.
        assert_eq!(
            eval("replace", &["{\"Principal\": \"ACCOUNT\"}", "ACCOUNT", "*"]).as_deref(),
            Some("{\"Principal\": \"*\"}")
        );
        assert_eq!(
            eval("replace", &["a-1-2", "/-(\\d)/", "_$1"]).as_deref(),
            Some("a_1_2")
        );
        let contains = call("strcontains", vec![text("hello"), text("ell")], Span::default());
        assert_eq!(contains.kind, ValueKind::Bool(true));
    }

    #[test]
    fn base64_round_trips_and_holes_keep_their_text() {
        assert_eq!(eval("base64encode", &["KEY=v"]).as_deref(), Some("S0VZPXY="));
        assert_eq!(eval("base64decode", &["S0VZPXY="]).as_deref(), Some("KEY=v"));
        let interp = Value::new(
            Span::default(),
            ValueKind::Interp(vec![
                Part::Lit("KEY=".into()),
                Part::Unknown(Unknowable::AfterApply),
            ]),
        );
        let encoded = call("base64encode", vec![interp.clone()], Span::default());
        assert_eq!(encoded.kind, interp.kind);
    }
}
