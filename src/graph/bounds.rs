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

use std::collections::HashMap;
use std::fmt::Write as _;

use regex::Regex;

use crate::graph::{Origin, Value, ValueKind};

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
    /// The value is a list (`List<AWS::EC2::Subnet::Id>`, the pieces
    /// `Fn::Split` cuts a bounded text into): its emptiness is bounded, and
    /// its elements by `items` when known.
    list: bool,
    /// The bounds of each element of a list.
    items: Option<Box<Bounds>>,
    /// The constraints as written, for messages (`AllowedPattern ^10\.`).
    summary: String,
}

/// The bounds of an unknown value: those of the parameter it is (in
/// `parameters`, by name), or those it carries as computed from one.
pub fn of_value<'a>(value: &'a Value, parameters: &'a HashMap<String, Bounds>) -> Option<&'a Bounds> {
    match (&value.kind, &value.origin) {
        (ValueKind::Unknown(_), Origin::Parameter(name)) => parameters.get(name),
        (ValueKind::Unknown(_), Origin::Bounded(by)) => Some(&by.bounds),
        _ => None,
    }
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

    /// The bounds of each element of a list value.
    pub fn items(&self) -> Option<&Bounds> {
        self.items.as_deref()
    }

    /// The bounds of the list `Fn::Split` cuts a text within these bounds
    /// into at `delimiter`: never empty (a split yields at least one piece),
    /// and each piece within the bounds derived from each pattern that
    /// decides where the delimiter may fall (see [`pieces`]); `None` when
    /// no bound is left on the pieces. A piece is no longer than the text.
    pub fn split(&self, delimiter: &str) -> Option<Bounds> {
        if self.numeric || self.list {
            return None;
        }
        let patterns: Vec<Pattern> = self
            .patterns
            .iter()
            .filter_map(|p| pieces(&p.source, delimiter))
            .filter_map(Pattern::parsed)
            .collect();
        if patterns.is_empty() && self.max_length.is_none() {
            return None;
        }
        let summary = format!("{}, as Fn::Split cuts it at {delimiter:?}", self.summary);
        let piece = Bounds {
            patterns,
            max_length: self.max_length,
            summary: summary.clone(),
            ..Default::default()
        };
        Some(Bounds {
            list: true,
            items: Some(Box::new(piece)),
            summary,
            ..Default::default()
        })
    }
}

/// A pattern every piece matches when a text matching `pattern` (searched,
/// as bounds are read) is split at `delimiter`, one ASCII character; `None`
/// when none can be told soundly: the pattern must be anchored at both ends
/// (`^...$`, or alternatives that each are), for anything may surround an
/// unanchored match, and written without assertions inside.
///
/// The pieces are derived from the pattern's syntax tree: for each part, the
/// texts it matches without the delimiter (`whole`), and for texts with it,
/// what comes before the first delimiter (`first`), after the last
/// (`last`), and between two (`inner`). Repetitions are read as unbounded
/// (a superset), so the pattern derived admits every piece, and maybe more.
fn pieces(pattern: &str, delimiter: &str) -> Option<String> {
    use regex_syntax::hir::{Hir, HirKind, Look};
    let [d] = delimiter.as_bytes() else {
        return None;
    };
    if !d.is_ascii() {
        return None;
    }
    /// The pattern without the anchor `look` at the start (or end) of each
    /// of its alternatives; `None` when one is not anchored so.
    fn unanchored(hir: &Hir, look: Look) -> Option<Hir> {
        let at_start = look == Look::Start;
        match hir.kind() {
            HirKind::Look(l) if *l == look => Some(Hir::empty()),
            HirKind::Capture(c) => unanchored(&c.sub, look),
            HirKind::Alternation(alternatives) => Some(Hir::alternation(
                alternatives
                    .iter()
                    .map(|a| unanchored(a, look))
                    .collect::<Option<Vec<_>>>()?,
            )),
            HirKind::Concat(items) if !items.is_empty() => {
                let mut items = items.clone();
                let i = if at_start { 0 } else { items.len() - 1 };
                items[i] = unanchored(&items[i], look)?;
                Some(Hir::concat(items))
            }
            _ => None,
        }
    }
    let hir = regex_syntax::parse(pattern).ok()?;
    let body = unanchored(&unanchored(&hir, Look::Start)?, Look::End)?;
    let cut = Cut::of(&body, *d)?;
    let all = [cut.whole, cut.first, cut.last, cut.inner]
        .into_iter()
        .fold(None, union)?;
    Some(format!("^(?:{all})$"))
}

/// A part of a pattern cut at a delimiter (see [`pieces`]); `None` is the
/// empty language.
struct Cut {
    whole: Option<regex_syntax::hir::Hir>,
    first: Option<regex_syntax::hir::Hir>,
    last: Option<regex_syntax::hir::Hir>,
    inner: Option<regex_syntax::hir::Hir>,
}

type Language = Option<regex_syntax::hir::Hir>;

fn union(a: Language, b: Language) -> Language {
    match (a, b) {
        (Some(a), Some(b)) => Some(regex_syntax::hir::Hir::alternation(vec![a, b])),
        (a, b) => a.or(b),
    }
}

fn then(a: &Language, b: &Language) -> Language {
    Some(regex_syntax::hir::Hir::concat(vec![a.clone()?, b.clone()?]))
}

/// Any number of repetitions of a language (the empty text included).
fn star(a: &Language) -> Language {
    use regex_syntax::hir::{Hir, Repetition};
    Some(match a {
        Some(sub) => Hir::repetition(Repetition {
            min: 0,
            max: None,
            greedy: true,
            sub: Box::new(sub.clone()),
        }),
        None => Hir::empty(),
    })
}

impl Cut {
    /// A part with no delimiter in any text.
    fn plain(whole: Language) -> Cut {
        Cut {
            whole,
            first: None,
            last: None,
            inner: None,
        }
    }

    /// `None` when the part holds what cannot be cut (an assertion).
    fn of(hir: &regex_syntax::hir::Hir, d: u8) -> Option<Cut> {
        use regex_syntax::hir::{
            Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition,
        };
        Some(match hir.kind() {
            HirKind::Empty => Cut::plain(Some(Hir::empty())),
            HirKind::Literal(literal) => {
                let texts: Vec<&[u8]> = literal.0.split(|b| *b == d).collect();
                match texts.as_slice() {
                    [only] => Cut::plain(Some(Hir::literal(*only))),
                    [first, inner @ .., last] => Cut {
                        whole: None,
                        first: Some(Hir::literal(*first)),
                        last: Some(Hir::literal(*last)),
                        inner: inner.iter().map(|t| Some(Hir::literal(*t))).fold(None, union),
                    },
                    [] => Cut::plain(Some(Hir::empty())),
                }
            }
            HirKind::Class(class) => {
                let (holds, rest) = match class {
                    Class::Unicode(c) => {
                        let mut rest = c.clone();
                        let delimiter = char::from(d);
                        rest.difference(&ClassUnicode::new([ClassUnicodeRange::new(delimiter, delimiter)]));
                        (
                            rest != *c,
                            (!rest.ranges().is_empty()).then(|| Hir::class(Class::Unicode(rest))),
                        )
                    }
                    Class::Bytes(c) => {
                        let mut rest = c.clone();
                        rest.difference(&ClassBytes::new([ClassBytesRange::new(d, d)]));
                        (
                            rest != *c,
                            (!rest.ranges().is_empty()).then(|| Hir::class(Class::Bytes(rest))),
                        )
                    }
                };
                if holds {
                    Cut {
                        whole: rest,
                        first: Some(Hir::empty()),
                        last: Some(Hir::empty()),
                        inner: None,
                    }
                } else {
                    Cut::plain(rest)
                }
            }
            HirKind::Look(_) => return None,
            HirKind::Capture(capture) => Cut::of(&capture.sub, d)?,
            HirKind::Repetition(repetition) => {
                let sub = Cut::of(&repetition.sub, d)?;
                let whole = match (&sub.whole, repetition.min) {
                    (Some(w), _) => Some(Hir::repetition(Repetition {
                        sub: Box::new(w.clone()),
                        ..repetition.clone()
                    })),
                    (None, 0) => Some(Hir::empty()),
                    (None, _) => None,
                };
                if repetition.max == Some(0) {
                    return Some(Cut::plain(Some(Hir::empty())));
                }
                let around = star(&sub.whole);
                Cut {
                    whole,
                    first: then(&around, &sub.first),
                    last: then(&sub.last, &around),
                    inner: union(sub.inner.clone(), then(&then(&sub.last, &around), &sub.first)),
                }
            }
            HirKind::Concat(items) => {
                let mut cut = Cut::plain(Some(Hir::empty()));
                for item in items {
                    let next = Cut::of(item, d)?;
                    cut = Cut {
                        whole: then(&cut.whole, &next.whole),
                        first: union(cut.first, then(&cut.whole, &next.first)),
                        last: union(next.last, then(&cut.last, &next.whole)),
                        inner: union(union(cut.inner, next.inner), then(&cut.last, &next.first)),
                    };
                }
                cut
            }
            HirKind::Alternation(alternatives) => {
                let mut cut = Cut {
                    whole: None,
                    first: None,
                    last: None,
                    inner: None,
                };
                for alternative in alternatives {
                    let next = Cut::of(alternative, d)?;
                    cut = Cut {
                        whole: union(cut.whole, next.whole),
                        first: union(cut.first, next.first),
                        last: union(cut.last, next.last),
                        inner: union(cut.inner, next.inner),
                    };
                }
                cut
            }
        })
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

    #[test]
    fn the_pieces_of_a_split_text_are_bounded_by_its_anchored_pattern() {
        let piece = |pattern: &str, d: &str| pieces(pattern, d).map(|p| Regex::new(&p).expect("valid"));
        // A list of account ids, as the corpus writes it: each piece is an id (after an optional space).
        let accounts = piece(r"^(\d{12})$|^((\d{12}(,|, ))*\d{12})$", ",").expect("derived");
        assert!(accounts.is_match("123456789012"));
        assert!(accounts.is_match(" 123456789012"));
        assert!(!accounts.is_match("*"));
        assert!(!accounts.is_match("123456789012,123456789012"));
        // A list of CIDRs: never 0.0.0.0/0 when each must be a /16 to /28.
        let cidrs = piece(
            r"^((\d{1,3}\.){3}\d{1,3}/(1[6-9]|2[0-8]))(,(\d{1,3}\.){3}\d{1,3}/(1[6-9]|2[0-8]))*$",
            ",",
        )
        .expect("derived");
        assert!(cidrs.is_match("10.0.0.0/16"));
        assert!(!cidrs.is_match("0.0.0.0/0"));
        // A class holding the delimiter leaves any piece of the rest.
        let words = piece(r"^[a-z,]+$", ",").expect("derived");
        assert!(words.is_match("abc") && words.is_match(""));
        assert!(!words.is_match("ab,c") && !words.is_match("A"));
        // Literal delimiters inside literals, and pieces between two delimiters.
        let fixed = piece(r"^a,bc,d$", ",").expect("derived");
        assert!(fixed.is_match("a") && fixed.is_match("bc") && fixed.is_match("d"));
        assert!(!fixed.is_match("a,bc"));
        // A pattern without the delimiter: the piece is the whole text.
        let group = piece(r"^sg-[0-9a-f]+$", ",").expect("derived");
        assert!(group.is_match("sg-0abc") && !group.is_match("*"));
        // Unanchored, half-anchored, multi-line or with assertions inside: nothing is derived.
        assert!(pieces(r"\d{12}", ",").is_none());
        assert!(pieces(r"^\d{12}", ",").is_none());
        assert!(pieces(r"^a$|b", ",").is_none());
        assert!(pieces(r"(?m)^a$", ",").is_none());
        assert!(pieces(r"^a\bb$", ",").is_none());
        // Only a one-character ASCII delimiter.
        assert!(pieces(r"^a$", ", ").is_none());
        assert!(pieces(r"^a$", "").is_none());
    }

    #[test]
    fn a_split_parameter_is_a_list_of_bounded_pieces() {
        let accounts = declared(
            "String",
            &[("AllowedPattern", r"^\d{12}(,\d{12})*$"), ("MaxLength", "200")],
        );
        let list = accounts.split(",").expect("bounded");
        assert!(!list.may_be_empty());
        let piece = list.items().expect("elements bounded");
        assert!(!piece.may_equal(&text("*")));
        assert!(piece.may_equal(&text("123456789012")));
        assert_eq!(
            piece.summary(),
            r#"AllowedPattern ^\d{12}(,\d{12})*$, MaxLength 200, as Fn::Split cuts it at ",""#
        );
        // Unanchored: the pieces keep only the length bound.
        let loose = declared("String", &[("AllowedPattern", r"\d{12}"), ("MaxLength", "20")]);
        let piece = loose.split(",").expect("length");
        assert!(piece.items().is_some_and(|p| p.may_equal(&text("*"))));
        assert!(
            declared("String", &[("AllowedPattern", r"\d{12}")])
                .split(",")
                .is_none()
        );
        assert!(declared("Number", &[("MinValue", "1")]).split(".").is_none());
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        /// Soundness: every piece of every text a pattern matches matches the derived pattern.
        #[test]
        fn every_piece_of_a_matching_text_matches_the_derived_pattern(
            (body, text) in proptest::sample::select(vec![
                r"(\d{12})|((\d{12}(,|, ))*\d{12})",
                r"((\d{1,3}\.){3}\d{1,3}/(1[6-9]|2[0-8]))(,(\d{1,3}\.){3}\d{1,3}/(1[6-9]|2[0-8]))*",
                r"[a-z,]*x(,y|z,)?[0-9]{0,3}",
                r"(a,b|c)+,?(d,,e)*",
                r"sg-[0-9a-f]{1,4}(,sg-[0-9a-f]{1,4}){0,3}",
            ])
            .prop_flat_map(|body| (proptest::strategy::Just(body), proptest::string::string_regex(body).expect("generable")))
        ) {
            let derived = Regex::new(&pieces(&format!("^(?:{body})$"), ",").expect("derived")).expect("valid");
            for piece in text.split(',') {
                proptest::prop_assert!(derived.is_match(piece), "{piece:?} of {text:?} ({body})");
            }
        }
    }
}
