//! Comparisons of values the way CloudFormation sees them: `22` equals `"22"`,
//! `true` equals `"true"`, and anything known only after deploy is undecided.

use std::cmp::Ordering;

use crate::graph::{Pseudo, Value, ValueKind};

/// Equality; `None` when one side is not known before deploy.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    use ValueKind::*;
    Some(match (&a.kind, &b.kind) {
        // A text with holes equals a known text only if it holds every
        // literal piece in order: `arn:aws:s3:::${Bucket}/*` is never "*".
        (Interp(parts), String(text)) | (String(text), Interp(parts)) => {
            return if pieces_in_order(parts, text) {
                None
            } else {
                Some(false)
            };
        }
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
    use crate::graph::Unknowable;
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
        assert_eq!(
            equals(&s("a"), &v(ValueKind::Unknown(Box::new(Unknowable::AfterApply)))),
            None
        );
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
    // `?` is one character, but never the `*` of a listed wildcard action.
    crate::graph::identity::glob_match(pattern.as_bytes(), action.as_bytes(), |p, t| {
        p == t || (p == b'?' && t != b'*')
    })
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
        assert!(!action_covers("iam:?et*", "iam:*"));
        assert!(action_covers("*:*", "s3:Get*"));
    }

    #[test]
    fn many_stars_neither_backtrack_exponentially_nor_recurse() {
        let stars = "*".repeat(100);
        assert!(!action_covers(&format!("{stars}z"), "iam:CreatePolicyVersion"));
        assert!(action_covers(&format!("{stars}n"), "iam:CreatePolicyVersion"));
        let long = "a".repeat(10_000);
        assert!(action_covers(&"*a".repeat(100), &long));
    }
}

/// Whether the literal pieces of an interpolated text occur in `text` in
/// order, the first as a prefix and the last as a suffix (holes may be empty).
fn pieces_in_order(parts: &[crate::graph::Part], text: &str) -> bool {
    use crate::graph::Part;
    let mut rest = text;
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.iter().enumerate() {
        let Part::Lit(piece) = part else { continue };
        if i == 0 {
            match rest.strip_prefix(piece.as_str()) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == last {
            return rest.ends_with(piece.as_str());
        } else {
            match rest.find(piece.as_str()) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
    }
    true
}

/// The values a hole of an interpolation can take when that set is closed
/// (a pseudo-parameter; the frontends give Terraform's
/// `data.aws_partition.<name>.partition` the same typed reason): an ARN
/// written with `${AWS::Partition}` matches a pattern or not whatever the
/// partition, and then the test is decided before deploy.
fn hole_values(part: &crate::graph::Part) -> Option<&'static [&'static str]> {
    match part {
        crate::graph::Part::Unknown(reason) => reason.pseudo().and_then(Pseudo::closed_set),
        _ => None,
    }
}

/// Most texts an interpolation's closed-set holes may expand to.
const MAX_EXPANSIONS: usize = 64;

/// Whether an interpolated text matches `re` for every value of its holes,
/// or for none; `None` when it depends, a hole is open-ended, or the holes
/// combine to more than [`MAX_EXPANSIONS`] texts.
pub fn regex_on_interp(value: &Value, re: &regex::Regex) -> Option<bool> {
    let ValueKind::Interp(parts) = &value.kind else {
        return None;
    };
    match expansions(parts) {
        Some(texts) => {
            let first = re.is_match(&texts[0]);
            texts.iter().all(|t| re.is_match(t) == first).then_some(first)
        }
        // Open-ended holes: no text of the interpolation's shape can match
        // when the two patterns are disjoint (`arn:${AWS::Partition}:iam::
        // ${AWS::AccountId}:policy/app` is never an AWS-managed policy).
        None => (crate::graph::bounds::disjoint(&shape_pattern(parts), re.as_str()) == Some(true))
            .then_some(false),
    }
}

/// Every text the interpolation may be, when its holes are closed sets and
/// they combine to at most [`MAX_EXPANSIONS`] texts.
fn expansions(parts: &[crate::graph::Part]) -> Option<Vec<String>> {
    let mut texts = vec![String::new()];
    for part in parts {
        let options = match part {
            crate::graph::Part::Lit(text) => {
                texts.iter_mut().for_each(|t| t.push_str(text));
                continue;
            }
            hole => hole_values(hole)?,
        };
        if texts.len() * options.len() > MAX_EXPANSIONS {
            return None;
        }
        texts = texts
            .iter()
            .flat_map(|t| options.iter().map(move |o| format!("{t}{o}")))
            .collect();
    }
    Some(texts)
}

/// The whole-text pattern of an interpolation: its literals as written, a
/// closed-set hole as its alternatives, an account id as twelve digits, any
/// other hole as any text.
fn shape_pattern(parts: &[crate::graph::Part]) -> String {
    let mut pattern = String::from("^");
    for part in parts {
        let options = match part {
            crate::graph::Part::Lit(text) => {
                pattern.push_str(&regex::escape(text));
                continue;
            }
            crate::graph::Part::Unknown(reason) if reason.pseudo() == Some(Pseudo::AccountId) => {
                pattern.push_str("[0-9]{12}");
                continue;
            }
            hole => hole_values(hole),
        };
        match options {
            Some(options) => {
                let escaped: Vec<String> = options.iter().map(|o| regex::escape(o)).collect();
                pattern.push_str(&format!("(?:{})", escaped.join("|")));
            }
            None => pattern.push_str("(?s:.*)"),
        }
    }
    pattern.push('$');
    pattern
}

#[cfg(test)]
mod interp_tests {
    use super::regex_on_interp;
    use crate::graph::{Part, Pseudo, Unknowable, Value, ValueKind};
    use crate::parse::Span;

    #[test]
    fn a_partition_hole_does_not_keep_a_regex_undecided() {
        let arn = |name: &str| {
            Value::new(
                Span::default(),
                ValueKind::Interp(vec![
                    Part::Lit("arn:".into()),
                    Part::Unknown(Pseudo::Partition.into()),
                    Part::Lit(format!(":iam::aws:policy/{name}")),
                ]),
            )
        };
        let admin = regex::Regex::new(r"^arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess$").unwrap();
        assert_eq!(regex_on_interp(&arn("AdministratorAccess"), &admin), Some(true));
        assert_eq!(regex_on_interp(&arn("ReadOnlyAccess"), &admin), Some(false));
        let bucket_objects = Value::new(
            Span::default(),
            ValueKind::Interp(vec![
                Part::Lit("arn:aws:s3:::".into()),
                Part::Unknown(Unknowable::AfterApply),
                Part::Lit("/*".into()),
            ]),
        );
        let star = Value::new(Span::default(), ValueKind::String("*".into()));
        assert_eq!(super::equals(&bucket_objects, &star), Some(false));
        let same = Value::new(Span::default(), ValueKind::String("arn:aws:s3:::logs/*".into()));
        assert_eq!(super::equals(&bucket_objects, &same), None);
        let only_aws = regex::Regex::new(r"^arn:aws:").unwrap();
        assert_eq!(regex_on_interp(&arn("ReadOnlyAccess"), &only_aws), None);
        let account = Value::new(
            Span::default(),
            ValueKind::Interp(vec![Part::Unknown(Pseudo::AccountId.into())]),
        );
        // An account id is twelve digits: never an ARN.
        assert_eq!(regex_on_interp(&account, &admin), Some(false));
        let customer_policy = Value::new(
            Span::default(),
            ValueKind::Interp(vec![
                Part::Lit("arn:aws:iam::".into()),
                Part::Unknown(Pseudo::AccountId.into()),
                Part::Lit(":policy/".into()),
                Part::Unknown(Unknowable::AfterApply),
            ]),
        );
        let managed = regex::Regex::new(r"^arn:aws[a-z-]*:iam::aws:policy/").unwrap();
        assert_eq!(regex_on_interp(&customer_policy, &managed), Some(false));
        assert_eq!(regex_on_interp(&customer_policy, &admin), Some(false));
        // Open holes that could spell a match stay undecided.
        let named_admin = regex::Regex::new(r":policy/Admin").unwrap();
        assert_eq!(regex_on_interp(&customer_policy, &named_admin), None);
        // Forty partition holes would be 5^40 texts: past the cap, undecided.
        let partition = Part::Unknown(Pseudo::Partition.into());
        let mut parts = vec![Part::Lit("arn:".into())];
        parts.extend(std::iter::repeat_n(partition, 40));
        parts.push(Part::Lit(":iam::aws:policy/AdministratorAccess".into()));
        let many = Value::new(Span::default(), ValueKind::Interp(parts));
        assert_eq!(regex_on_interp(&many, &admin), None);
        assert_ne!(regex_on_interp(&many, &only_aws), Some(true));
    }
}
