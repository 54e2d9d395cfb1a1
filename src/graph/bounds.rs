//! What a template bounds a parameter without a value to: its
//! `AllowedPattern`, `MinLength`/`MaxLength`, `MinValue`/`MaxValue`, and the
//! shape its type promises (a `AWS::EC2::VPC::Id` is `vpc-` and hex digits,
//! a `Number` is a number). A test that no admitted value can satisfy is
//! decided; anything else stays unknown.
//!
//! Every bound is read so that it admits *at least* what CloudFormation
//! admits: an `AllowedPattern` is searched for anywhere in the value (sound
//! whether CloudFormation anchors it or not), and a pattern in a dialect the
//! `regex` crate does not read bounds nothing.

use std::fmt::Write as _;

use regex::Regex;

use crate::graph::{Value, ValueKind};

/// The bounds of one parameter's value.
#[derive(Debug, Clone, Default)]
pub struct Bounds {
    /// Patterns some part of every value matches (`AllowedPattern`, the shape of an AWS type).
    patterns: Vec<Pattern>,
    /// Length in UTF-16 code units, as CloudFormation counts it.
    min_length: Option<usize>,
    max_length: Option<usize>,
    /// The value is a number (`Type: Number`), within these limits.
    numeric: bool,
    min_value: Option<f64>,
    max_value: Option<f64>,
    /// The value is a list (`List<AWS::EC2::Subnet::Id>`): only its emptiness is bounded.
    list: bool,
    /// The constraints as written, for messages (`AllowedPattern ^10\.`).
    summary: String,
}

/// The shape of the values of CloudFormation's AWS-specific parameter types
/// (validated against the account when the stack is created).
const TYPE_SHAPES: &[(&str, &str)] = &[
    ("AWS::EC2::AvailabilityZone::Name", "^[a-z0-9-]+$"),
    ("AWS::EC2::Image::Id", "^ami-[0-9a-f]+$"),
    ("AWS::EC2::Instance::Id", "^i-[0-9a-f]+$"),
    ("AWS::EC2::KeyPair::KeyName", "^(?s:.+)$"),
    ("AWS::EC2::SecurityGroup::GroupName", "^(?s:.+)$"),
    ("AWS::EC2::SecurityGroup::Id", "^sg-[0-9a-f]+$"),
    ("AWS::EC2::Subnet::Id", "^subnet-[0-9a-f]+$"),
    ("AWS::EC2::Volume::Id", "^vol-[0-9a-f]+$"),
    ("AWS::EC2::VPC::Id", "^vpc-[0-9a-f]+$"),
    ("AWS::Route53::HostedZone::Id", "^[A-Z0-9]+$"),
    ("AWS::SSM::Parameter::Name", "^[a-zA-Z0-9_.\\-/]+$"),
];

impl Bounds {
    /// The shape of the ARN of a resource the scanned code declares: it is in
    /// the deploying account (12 digits, or none for S3 and the like), so it
    /// is never `"*"` and never an AWS-managed policy (`arn:aws:iam::aws:policy/...`).
    pub fn declared_arn() -> &'static Bounds {
        static ARN: std::sync::LazyLock<Bounds> = std::sync::LazyLock::new(|| Bounds {
            patterns: vec![Pattern::compiled(
                Regex::new("^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:([0-9]{12})?:.").expect("valid"),
            )],
            summary: "the ARN of a resource declared in the scan (in the deploying account)".to_string(),
            ..Default::default()
        });
        &ARN
    }

    /// The bounds a parameter declaration sets, from its `Type` and
    /// constraint fields (as text); `None` when it bounds nothing.
    pub fn declared(ty: &str, field: &dyn Fn(&str) -> Option<String>) -> Option<Bounds> {
        let mut bounds = Bounds::default();
        // The type a parameter-store parameter holds.
        let ty = ty
            .strip_prefix("AWS::SSM::Parameter::Value<")
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(ty);
        // A list of AWS-specific values holds at least one (CloudFormation
        // looks each up): it is never empty; its elements are not bounded here.
        if let Some(item) = ty.strip_prefix("List<").and_then(|t| t.strip_suffix('>'))
            && TYPE_SHAPES.iter().any(|(name, _)| *name == item)
        {
            bounds.list = true;
            bounds.note(format_args!("Type {ty}"));
            return Some(bounds);
        }
        if let Some(i) = TYPE_SHAPES.iter().position(|(name, _)| *name == ty) {
            // Compiled once: templates declare many parameters of these types.
            static COMPILED: std::sync::LazyLock<Vec<Regex>> = std::sync::LazyLock::new(|| {
                TYPE_SHAPES
                    .iter()
                    .map(|(_, shape)| Regex::new(shape).expect("type shapes are valid regexes"))
                    .collect()
            });
            bounds.patterns.push(Pattern::compiled(COMPILED[i].clone()));
            let _ = write!(bounds.summary, "Type {ty}");
        }
        let number = |key: &str| field(key).and_then(|t| t.trim().parse::<f64>().ok());
        match ty {
            "String" => {
                if let Some(pattern) = field("AllowedPattern")
                    && let Some(pattern) = Pattern::parsed(pattern)
                {
                    bounds.note(format_args!("AllowedPattern {}", pattern.source));
                    bounds.patterns.push(pattern);
                }
                bounds.min_length = number("MinLength").map(|n| n as usize);
                bounds.max_length = number("MaxLength").map(|n| n as usize);
                if let Some(n) = bounds.min_length {
                    bounds.note(format_args!("MinLength {n}"));
                }
                if let Some(n) = bounds.max_length {
                    bounds.note(format_args!("MaxLength {n}"));
                }
            }
            "Number" => {
                bounds.numeric = true;
                bounds.min_value = number("MinValue");
                bounds.max_value = number("MaxValue");
                bounds.note(format_args!("Type Number"));
                if let Some(n) = bounds.min_value {
                    bounds.note(format_args!("MinValue {n}"));
                }
                if let Some(n) = bounds.max_value {
                    bounds.note(format_args!("MaxValue {n}"));
                }
            }
            _ => {}
        }
        (!bounds.summary.is_empty()).then_some(bounds)
    }

    fn note(&mut self, what: std::fmt::Arguments<'_>) {
        if !self.summary.is_empty() {
            self.summary.push_str(", ");
        }
        let _ = self.summary.write_fmt(what);
    }

    /// The constraints as written (`AllowedPattern ^10\., MaxLength 18`).
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// Whether the text `text` may be the value; `false` means provably never.
    pub fn admits_text(&self, text: &str) -> bool {
        if self.list {
            return true;
        }
        if self.numeric {
            return number(text).is_some_and(|n| self.admits_number(n));
        }
        let length = text.encode_utf16().count();
        if self.min_length.is_some_and(|min| length < min) || self.max_length.is_some_and(|max| length > max)
        {
            return false;
        }
        self.patterns
            .iter()
            .all(|p| p.regex().is_none_or(|re| re.is_match(text)))
    }

    /// Whether a number within the limits may be the value (for numbers only).
    fn admits_number(&self, n: f64) -> bool {
        self.min_value.is_none_or(|min| n >= min) && self.max_value.is_none_or(|max| n <= max)
    }

    /// Whether the value may equal `literal` under CloudFormation's equality
    /// (`22` equals `"22"`); `false` means provably never, `true` may be.
    pub fn may_equal(&self, literal: &Value) -> bool {
        if self.list {
            return true;
        }
        match &literal.kind {
            ValueKind::String(s) => {
                if self.numeric {
                    // A number's text equals `s` only if `s` is that number.
                    return number(s).is_some_and(|n| self.admits_number(n));
                }
                self.admits_text(s)
            }
            // A text equals a number when it reads as that number
            // (`"022"`): only a number type says which texts those are.
            ValueKind::Number(n) if self.numeric => number(n).is_none_or(|n| self.admits_number(n)),
            _ => true,
        }
    }

    /// Whether some value may match `re` (searched, as rules test values);
    /// `false` means provably none: a pattern of the bounds and `re` can
    /// never both match one text.
    pub fn may_match(&self, re: &Regex) -> bool {
        if self.numeric || self.list {
            return true;
        }
        !self
            .patterns
            .iter()
            .any(|p| overlap::disjoint(&p.source, re.as_str()) == Some(true))
    }

    /// Whether the value may be empty (`""`); `false` means provably never.
    pub fn may_be_empty(&self) -> bool {
        !self.list && self.admits_text("")
    }

    /// The value's numeric range, for a number type.
    pub fn range(&self) -> Option<(Option<f64>, Option<f64>)> {
        self.numeric.then_some((self.min_value, self.max_value))
    }
}

/// A pattern of a parameter's bounds, compiled when first tested: a
/// template's parameters are many and most bounds are never read.
#[derive(Debug, Clone)]
struct Pattern {
    source: String,
    compiled: std::sync::OnceLock<Option<Regex>>,
}

impl Pattern {
    fn compiled(regex: Regex) -> Pattern {
        Pattern {
            source: regex.as_str().to_string(),
            compiled: std::sync::OnceLock::from(Some(regex)),
        }
    }

    /// A pattern in the `regex` crate's dialect; `None` for another (it bounds nothing).
    fn parsed(source: String) -> Option<Pattern> {
        regex_automata::util::syntax::parse(&source).ok()?;
        Some(Pattern {
            source,
            compiled: std::sync::OnceLock::new(),
        })
    }

    /// The compiled pattern; `None` if it is past the compiler's limits.
    fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| Regex::new(&self.source).ok())
            .as_ref()
    }
}

pub use overlap::disjoint;

/// Whether two regexes can match (anywhere in) the same text.
mod overlap {
    use std::collections::{HashMap, HashSet};
    use std::sync::{Mutex, OnceLock};

    use regex_automata::hybrid::LazyStateID;
    use regex_automata::hybrid::dfa::{Cache, DFA};
    use regex_automata::util::start;
    use regex_automata::{Anchored, MatchKind};

    /// How many pairs of states one comparison may visit before it gives up.
    const MAX_PAIRS: usize = 4096;

    type Memo = Mutex<HashMap<(String, String), Option<bool>>>;

    /// `Some(true)` when no text has a match of both `a` and `b`,
    /// `Some(false)` when one has, `None` when that could not be decided
    /// (a pattern the lazy DFA cannot run, or too many states).
    pub fn disjoint(a: &str, b: &str) -> Option<bool> {
        static MEMO: OnceLock<Memo> = OnceLock::new();
        let memo = MEMO.get_or_init(Default::default);
        let key = (a.to_string(), b.to_string());
        if let Some(known) = memo.lock().ok().and_then(|m| m.get(&key).copied()) {
            return known;
        }
        let answer = search(a, b);
        if let Ok(mut m) = memo.lock() {
            m.insert(key, answer);
        }
        answer
    }

    /// One side of the product: a lazy DFA searching for its pattern anywhere.
    struct Side {
        dfa: DFA,
        cache: Cache,
    }

    impl Side {
        fn new(pattern: &str) -> Option<Side> {
            let dfa = DFA::builder()
                .configure(DFA::config().match_kind(MatchKind::All).cache_capacity(1 << 21))
                .build(pattern)
                .ok()?;
            let cache = dfa.create_cache();
            Some(Side { dfa, cache })
        }

        fn start(&mut self) -> Option<LazyStateID> {
            let config = start::Config::new().anchored(Anchored::No);
            self.dfa.start_state(&mut self.cache, &config).ok()
        }

        /// The next state; `None` when the DFA gave up.
        fn next(&mut self, state: LazyStateID, byte: Option<u8>) -> Option<LazyStateID> {
            let clears = self.cache.clear_count();
            let next = match byte {
                Some(b) => self.dfa.next_state(&mut self.cache, state, b),
                None => self.dfa.next_eoi_state(&mut self.cache, state),
            }
            .ok()?;
            // A cleared cache invalidates the states already visited.
            (self.cache.clear_count() == clears && !next.is_quit()).then_some(next)
        }
    }

    /// A state of one side: where its DFA is, or that it has matched.
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum At {
        State(LazyStateID),
        Matched,
    }

    fn step(side: &mut Side, at: At, byte: Option<u8>) -> Option<Option<At>> {
        let At::State(state) = at else {
            return Some(Some(At::Matched));
        };
        let next = side.next(state, byte)?;
        Some(if next.is_match() {
            Some(At::Matched)
        } else if next.is_dead() {
            None
        } else {
            Some(At::State(next))
        })
    }

    fn search(a: &str, b: &str) -> Option<bool> {
        let (mut left, mut right) = (Side::new(a)?, Side::new(b)?);
        let start = (At::State(left.start()?), At::State(right.start()?));
        let mut seen: HashSet<(At, At)> = HashSet::from([start]);
        let mut queue = vec![start];
        while let Some((x, y)) = queue.pop() {
            // The text may end here: do both match it?
            if let (Some(Some(At::Matched)), Some(Some(At::Matched))) =
                (step(&mut left, x, None), step(&mut right, y, None))
            {
                return Some(false);
            }
            for byte in 0..=255u8 {
                let (Some(nx), Some(ny)) =
                    (step(&mut left, x, Some(byte))?, step(&mut right, y, Some(byte))?)
                else {
                    continue;
                };
                if nx == At::Matched && ny == At::Matched {
                    return Some(false);
                }
                if seen.insert((nx, ny)) {
                    if seen.len() > MAX_PAIRS {
                        return None;
                    }
                    queue.push((nx, ny));
                }
            }
        }
        Some(true)
    }

    #[cfg(test)]
    mod tests {
        use super::disjoint;

        #[test]
        fn patterns_overlap_or_not() {
            let cidr_16_28 = r"^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])(\/(1[6-9]|2[0-8]))$";
            assert_eq!(disjoint(cidr_16_28, r"/([0-9]|1[0-5])$"), Some(true));
            assert_eq!(disjoint(cidr_16_28, r"/(1[0-9])$"), Some(false));
            assert_eq!(disjoint(r"^sg-[0-9a-f]+$", r"^arn:"), Some(true));
            assert_eq!(disjoint(r"\d", r"[a-z]"), Some(false));
            assert_eq!(disjoint(r"^a", r"b$"), Some(false));
            assert_eq!(disjoint(r"^a$", r"^b"), Some(true));
        }
    }
}

/// A number as CloudFormation reads a `Number` parameter.
fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Span;

    fn declared(ty: &str, fields: &[(&str, &str)]) -> Bounds {
        Bounds::declared(ty, &|key| {
            fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string())
        })
        .expect("bounded")
    }

    fn text(s: &str) -> Value {
        Value::new(Span::default(), ValueKind::String(s.into()))
    }

    #[test]
    fn patterns_are_searched_so_either_reading_is_sound() {
        let private = declared("String", &[("AllowedPattern", r"^10\.")]);
        assert!(!private.may_equal(&text("0.0.0.0/0")));
        assert!(private.may_equal(&text("10.0.0.0/8")));
        // Unanchored: CloudFormation may anchor it, preflight does not rely on it.
        let cidr = declared(
            "String",
            &[(
                "AllowedPattern",
                r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})",
            )],
        );
        assert!(cidr.may_equal(&text("0.0.0.0/0")));
        assert!(!cidr.may_be_empty());
        assert_eq!(
            cidr.summary(),
            r"AllowedPattern (\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})"
        );
    }

    #[test]
    fn lengths_values_and_types() {
        let name = declared("String", &[("MinLength", "1"), ("MaxLength", "3")]);
        assert!(!name.may_be_empty());
        assert!(!name.may_equal(&text("abcd")));
        assert!(name.may_equal(&text("abc")));
        let days = declared("Number", &[("MinValue", "365")]);
        assert!(!days.may_equal(&text("30")));
        assert!(!days.may_equal(&Value::new(Span::default(), ValueKind::Number("30".into()))));
        assert!(days.may_equal(&text("400")));
        assert!(!days.may_equal(&text("0.0.0.0/0")));
        assert_eq!(days.range(), Some((Some(365.0), None)));
        let vpc = declared("AWS::EC2::VPC::Id", &[]);
        assert!(!vpc.may_equal(&text("*")));
        assert!(!vpc.may_equal(&text("10.0.0.0/16")));
        assert!(vpc.may_equal(&text("vpc-0abc")));
        let image = declared("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", &[]);
        assert!(!image.may_be_empty());
        // A list of AWS-specific values is never empty, and nothing more.
        let subnets = declared("List<AWS::EC2::Subnet::Id>", &[]);
        assert!(!subnets.may_be_empty());
        assert!(subnets.may_equal(&text("*")));
        // Nothing to bound: a plain string, a list of strings, an unreadable pattern.
        assert!(Bounds::declared("String", &|_| None).is_none());
        assert!(Bounds::declared("CommaDelimitedList", &|_| None).is_none());
        assert!(Bounds::declared("List<String>", &|_| None).is_none());
        assert!(Bounds::declared("String", &|k| (k == "AllowedPattern").then(|| "(?<=a)b".into())).is_none());
    }
}
