//! libyaml-safer events into the builder: the fallback for files that only
//! libyaml's (and CloudFormation's) more lenient grammar accepts.

use std::collections::HashMap;

use libyaml_safer::{EventData, Mark, Parser, ScalarStyle};

use super::{Builder, Event, Failure, Tag};
use crate::parse::{LoadError, Pos, Span};

/// Parses `text` with libyaml-safer and feeds every event to `builder`.
pub(super) fn drive(text: &str, builder: &mut Builder) -> Result<(), Failure> {
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
