//! The `.tf` files of a unit: text, parsed body, and byte-range to position mapping.

use std::ops::Range;
use std::path::{Path, PathBuf};

use hcl_edit::structure::Body;

use super::nesting::first_offset_deeper_than;
use crate::diagnostics::Diagnostic;
use crate::parse::{LineIndex, Pos, Span, read_source};

/// Deepest nesting (brackets, parentheses, templates, interpolations)
/// accepted before handing a file to the (recursive) parser.
pub(super) const MAX_DEPTH: usize = 256;

/// One parsed `.tf` file.
pub struct SourceFile {
    pub path: PathBuf,
    lines: LineIndex<String>,
    /// Index of this file among the unit's files (`Span::file`).
    pub index: u32,
}

impl SourceFile {
    /// Reads and parses a file; the error is the diagnostic to report.
    pub fn load(path: &Path, index: u32, max_size: u64) -> Result<(SourceFile, Body), Diagnostic> {
        let text = read_source(path, max_size, |_| true)?.unwrap_or_default();
        SourceFile::parse(path, text, index)
    }

    /// Parses text read elsewhere as the file `path`.
    pub fn parse(path: &Path, text: String, index: u32) -> Result<(SourceFile, Body), Diagnostic> {
        let lines = LineIndex::new(text);
        if let Some(offset) = first_offset_deeper_than(lines.text(), MAX_DEPTH) {
            return Err(Diagnostic::error(
                lines.pos(offset),
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        let body = hcl_edit::parser::parse_body(lines.text()).map_err(|e| {
            let location = e.location();
            Diagnostic::error(
                Pos {
                    line: location.line() as u32,
                    col: location.column() as u32,
                },
                e.message().to_string(),
            )
        })?;
        Ok((
            SourceFile {
                path: path.to_path_buf(),
                lines,
                index,
            },
            body,
        ))
    }

    /// A file that could not be read, kept so diagnostics can name it.
    pub fn placeholder(path: &Path, index: u32) -> SourceFile {
        SourceFile {
            path: path.to_path_buf(),
            lines: LineIndex::new(String::new()),
            index,
        }
    }

    /// The span of a byte range (the file start when the parser kept none).
    pub fn span(&self, range: Option<Range<usize>>) -> Span {
        let range = range.unwrap_or(0..0);
        Span {
            file: self.index,
            start: self.lines.pos(range.start),
            end: self.lines.pos(range.end),
        }
    }
}
