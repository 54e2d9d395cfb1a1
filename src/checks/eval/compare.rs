//! Comparisons of values the way CloudFormation sees them: `22` equals `"22"`,
//! `true` equals `"true"`, and anything known only after deploy is undecided.

use std::cmp::Ordering;

use crate::graph::{Value, ValueKind};

/// Equality; `None` when one side is not known before deploy.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    use ValueKind::*;
    Some(match (&a.kind, &b.kind) {
        (Unknown(_) | Ref(_) | Interp(_) | Cond(_), _) | (_, Unknown(_) | Ref(_) | Interp(_) | Cond(_)) => {
            return None;
        }
        (Null, Null) | (Absent, Absent) => true,
        (Bool(x), Bool(y)) => x == y,
        (Bool(x), String(s)) | (String(s), Bool(x)) => {
            s.eq_ignore_ascii_case(if *x { "true" } else { "false" })
        }
        (Number(_), Number(_) | String(_)) | (String(_), Number(_)) => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a.scalar_text() == b.scalar_text(),
        },
        (String(x), String(y)) => x == y,
        (List(xs), List(ys)) => {
            if xs.len() != ys.len() {
                return Some(false);
            }
            for (x, y) in xs.iter().zip(ys) {
                if !equals(x, y)? {
                    return Some(false);
                }
            }
            true
        }
        (Map(xs), Map(ys)) => {
            if xs.len() != ys.len() {
                return Some(false);
            }
            for x in xs {
                match ys.iter().find(|y| y.key == x.key) {
                    Some(y) if equals(&x.value, &y.value)? => {}
                    _ => return Some(false),
                }
            }
            true
        }
        _ => false,
    })
}

/// Numeric ordering; `None` when either side is not a number.
pub fn order(a: &Value, b: &Value) -> Option<Ordering> {
    number(a)?.partial_cmp(&number(b)?)
}

/// The numeric value of a number or numeric string.
pub fn number(v: &Value) -> Option<f64> {
    match &v.kind {
        ValueKind::Number(n) | ValueKind::String(n) => {
            let t = n.trim();
            if let Some(hex) = t.strip_prefix("0x") {
                return i64::from_str_radix(hex, 16).ok().map(|i| i as f64);
            }
            t.parse::<f64>().ok()
        }
        _ => None,
    }
}

/// Whether a value counts as empty: absent, null, `""`, `[]` or `{}`.
/// `None` when that is not known before deploy.
pub fn is_empty(v: &Value) -> Option<bool> {
    match &v.kind {
        ValueKind::Null | ValueKind::Absent => Some(true),
        ValueKind::String(s) => Some(s.is_empty()),
        ValueKind::List(items) => Some(items.is_empty()),
        ValueKind::Map(props) => Some(props.is_empty()),
        ValueKind::Unknown(_) | ValueKind::Cond(_) => None,
        _ => Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Span;

    fn v(kind: ValueKind) -> Value {
        Value::new(Span::default(), kind)
    }

    #[test]
    fn cloudformation_equality() {
        let n = |s: &str| v(ValueKind::Number(s.into()));
        let s = |s: &str| v(ValueKind::String(s.into()));
        assert_eq!(equals(&n("22"), &s("22")), Some(true));
        assert_eq!(equals(&n("22"), &n("22.0")), Some(true));
        assert_eq!(equals(&v(ValueKind::Bool(true)), &s("True")), Some(true));
        assert_eq!(equals(&s("a"), &s("b")), Some(false));
        assert_eq!(equals(&s("a"), &v(ValueKind::Unknown("x".into()))), None);
        assert_eq!(order(&n("-1"), &s("22")), Some(Ordering::Less));
        assert_eq!(is_empty(&v(ValueKind::List(vec![]))), Some(true));
    }
}

/// Whether IAM action `pattern` (`*` any run, `?` one character, case-insensitive)
/// matches `action` (ACTION-MATCH). A listed action may itself carry wildcards
/// (`s3:Get*`): the pattern covers it when it covers everything it names.
pub fn action_covers(pattern: &str, action: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let action = action.to_ascii_lowercase();
    if pattern == action {
        return true;
    }
    glob(pattern.as_bytes(), action.as_bytes())
}

/// `*` / `?` glob matching; a `*` in `text` is matched only by a `*` in `pattern`.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob(&pattern[1..], text) || (!text.is_empty() && glob(pattern, &text[1..])),
        (Some(b'?'), Some(c)) if *c != b'*' => glob(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p == t => glob(&pattern[1..], &text[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod action_tests {
    use super::action_covers;

    #[test]
    fn iam_patterns_cover_actions_case_insensitively() {
        assert!(action_covers("iam:*", "iam:PassRole"));
        assert!(action_covers("IAM:pass*", "iam:PassRole"));
        assert!(action_covers("iam:Put*Policy", "iam:PutRolePolicy"));
        assert!(action_covers("iam:?assRole", "iam:PassRole"));
        assert!(!action_covers("iam:Get*", "iam:PassRole"));
        assert!(action_covers("s3:*", "s3:Get*"));
        assert!(!action_covers("s3:GetObject", "s3:Get*"));
        assert!(action_covers("*", "kms:Decrypt"));
    }
}
