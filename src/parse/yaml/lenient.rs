//! libyaml-safer events into the builder: the fallback for files that only
//! libyaml's (and CloudFormation's) more lenient grammar accepts.

use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use libyaml_safer::{EventData, Mark, Parser, ScalarStyle};

use super::{Builder, Event, Failure, Tag};
use crate::parse::{LoadError, Pos, Span};

/// The strict parser's complaints that libyaml's grammar is known to accept:
/// only these send a file to the fallback.
pub(super) fn accepts(strict_error: &str) -> bool {
    const LENIENT: &[&str] = &[
        "invalid indentation in quoted scalar",
        "invalid indentation",
        "comments must be separated from other tokens by whitespace",
    ];
    LENIENT.contains(&strict_error)
}

thread_local! {
    /// Set while this thread runs the fallback, whose panics are contained.
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// [`drive`], with any panic of the third-party parser contained (`None`):
/// a parser bug must cost a file its fallback, never the scan.
pub(super) fn drive_contained(text: &str, builder: &mut Builder) -> Option<Result<(), Failure>> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CONTAINED.with(Cell::get) {
                default(info);
            }
        }));
    });
    CONTAINED.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| drive(text, builder)));
    CONTAINED.with(|c| c.set(false));
    result.ok()
}

/// Parses `text` with libyaml-safer and feeds every event to `builder`.
fn drive(text: &str, builder: &mut Builder) -> Result<(), Failure> {
    let mut input = text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    // libyaml names anchors; the builder numbers them. A redefined name gets a new number.
    let mut anchors: HashMap<String, usize> = HashMap::new();
    let mut defined = 0usize;
    let mut define = |anchors: &mut HashMap<String, usize>, name: Option<String>| match name {
        Some(n) => {
            defined += 1;
            anchors.insert(n, defined);
            defined
        }
        None => 0,
    };
    loop {
        let event = parser.parse().map_err(|e| {
            let at = e.problem_mark().map(pos).unwrap_or(Pos { line: 1, col: 1 });
            Failure::Syntax(LoadError::new(at, e.problem().to_string()))
        })?;
        let span = Span::new(pos(event.start_mark), pos(event.end_mark));
        let event = match event.data {
            EventData::StreamEnd => return Ok(()),
            EventData::StreamStart { .. } | EventData::DocumentEnd { .. } => continue,
            EventData::DocumentStart { .. } => Event::DocumentStart,
            EventData::Scalar {
                anchor,
                tag,
                value,
                style,
                ..
            } => Event::Scalar {
                value,
                plain: style == ScalarStyle::Plain,
                anchor: define(&mut anchors, anchor),
                tag: tag.map(convert_tag),
            },
            EventData::SequenceStart { anchor, tag, .. } => Event::SequenceStart {
                anchor: define(&mut anchors, anchor),
                tag: tag.map(convert_tag),
            },
            EventData::MappingStart { anchor, tag, .. } => Event::MappingStart {
                anchor: define(&mut anchors, anchor),
                tag: tag.map(convert_tag),
            },
            EventData::SequenceEnd | EventData::MappingEnd => Event::End,
            EventData::Alias { anchor } => Event::Alias(anchors.get(&anchor).copied().unwrap_or(usize::MAX)),
        };
        builder.on_event(event, span).map_err(Failure::Content)?;
    }
}

/// libyaml resolves tags to full names: `!Ref` stays `!Ref`, `!!str` becomes
/// `tag:yaml.org,2002:str`.
fn convert_tag(full: String) -> Tag {
    const CORE: &str = "tag:yaml.org,2002:";
    if let Some(suffix) = full.strip_prefix(CORE) {
        return Tag {
            handle: CORE.to_string(),
            suffix: suffix.to_string(),
        };
    }
    match full.strip_prefix('!') {
        Some(suffix) => Tag {
            handle: "!".to_string(),
            suffix: suffix.to_string(),
        },
        None => Tag {
            handle: String::new(),
            suffix: full,
        },
    }
}

/// libyaml counts lines and columns from 0.
fn pos(mark: Mark) -> Pos {
    Pos {
        line: mark.line as u32 + 1,
        col: mark.column as u32 + 1,
    }
}
