//! The `.tf` files of a unit: text, parsed body, and byte-range to position mapping.

use std::ops::Range;
use std::path::{Path, PathBuf};

use hcl_edit::structure::Body;

use crate::diagnostics::Diagnostic;
use crate::parse::{LineIndex, Pos, Span};

/// Deepest bracket nesting accepted before handing a file to the (recursive) parser.
const MAX_DEPTH: usize = 256;

/// One parsed `.tf` file.
pub struct SourceFile {
    pub path: PathBuf,
    text: String,
    /// Byte offset of every line start, for position lookups.
    starts: Vec<usize>,
    /// Index of this file among the unit's files (`Span::file`).
    pub index: u32,
}

impl SourceFile {
    /// Reads and parses a file; the error is the diagnostic to report.
    pub fn load(path: &Path, index: u32, max_size: u64) -> Result<(SourceFile, Body), Diagnostic> {
        let start = Pos { line: 1, col: 1 };
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > max_size {
            return Err(Diagnostic::warning(
                start,
                format!("skipped: {size} bytes is over the {max_size} byte limit"),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| Diagnostic::error(start, format!("cannot read: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Diagnostic::error(
                LineIndex::new(&lossy).pos(e.utf8_error().valid_up_to()),
                "not valid UTF-8",
            )
        })?;
        let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
        if let Some(offset) = crate::parse::first_offset_deeper_than(text.as_bytes(), MAX_DEPTH) {
            return Err(Diagnostic::error(
                LineIndex::new(&text).pos(offset),
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        let body = hcl_edit::parser::parse_body(&text).map_err(|e| {
            let location = e.location();
            Diagnostic::error(
                Pos {
                    line: location.line() as u32,
                    col: location.column() as u32,
                },
                e.message().to_string(),
            )
        })?;
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Ok((
            SourceFile {
                path: path.to_path_buf(),
                text,
                starts,
                index,
            },
            body,
        ))
    }

    /// A file that could not be read, kept so diagnostics can name it.
    pub fn placeholder(path: &Path, index: u32) -> SourceFile {
        SourceFile {
            path: path.to_path_buf(),
            text: String::new(),
            starts: vec![0],
            index,
        }
    }

    /// The position of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Pos {
            line: line as u32 + 1,
            col: col as u32 + 1,
        }
    }

    /// The span of a byte range (the file start when the parser kept none).
    pub fn span(&self, range: Option<Range<usize>>) -> Span {
        let range = range.unwrap_or(0..0);
        Span {
            file: self.index,
            start: self.pos(range.start),
            end: self.pos(range.end),
        }
    }
}
