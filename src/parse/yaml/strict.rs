//! saphyr-parser (YAML 1.2) events into the builder.

use std::borrow::Cow;

use saphyr_parser::{Event as YEvent, Parser, ScalarStyle, Span as YSpan, Tag as YTag};

use super::{Builder, Event, Failure, Tag};
use crate::parse::{LoadError, Pos, Span};

/// Parses `text` with saphyr-parser and feeds every event to `builder`.
pub(super) fn drive(text: &str, builder: &mut Builder) -> Result<(), Failure> {
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            Failure::Syntax(LoadError::new(pos(m.line(), m.col()), e.info().to_string()))
        })?;
        let span = span_of(&span);
        let event = match event {
            YEvent::DocumentStart(_) => Event::DocumentStart,
            YEvent::Scalar(value, style, anchor, tag) => Event::Scalar {
                value: value.into_owned(),
                plain: style == ScalarStyle::Plain,
                anchor,
                tag: tag.map(convert_tag),
            },
            YEvent::SequenceStart(anchor, tag) => Event::SequenceStart {
                anchor,
                tag: tag.map(convert_tag),
            },
            YEvent::MappingStart(anchor, tag) => Event::MappingStart {
                anchor,
                tag: tag.map(convert_tag),
            },
            YEvent::SequenceEnd | YEvent::MappingEnd => Event::End,
            YEvent::Alias(id) => Event::Alias(id),
            YEvent::StreamStart | YEvent::StreamEnd | YEvent::DocumentEnd | YEvent::Nothing => continue,
        };
        builder.on_event(event, span).map_err(Failure::Content)?;
    }
    Ok(())
}

fn convert_tag(tag: Cow<'_, YTag>) -> Tag {
    let tag = tag.into_owned();
    Tag {
        handle: tag.handle,
        suffix: tag.suffix,
    }
}

/// saphyr counts lines from 1 and columns from 0, in characters.
fn pos(line: usize, col0: usize) -> Pos {
    Pos {
        line: line as u32,
        col: (col0 + 1) as u32,
    }
}

fn span_of(s: &YSpan) -> Span {
    Span::new(pos(s.start.line(), s.start.col()), pos(s.end.line(), s.end.col()))
}
