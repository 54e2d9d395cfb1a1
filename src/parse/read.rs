//! Reading an input file: size limit, UTF-8 (a BOM dropped), and whether it is worth parsing.

use std::path::Path;

use super::{LineIndex, Pos};
use crate::diagnostics::Diagnostic;

/// Reads a file as text. `Ok(None)`: `sniff` says it is not worth parsing
/// (skipped silently). `Err`: a problem to report for this file.
pub fn read_source(
    path: &Path,
    max_size: u64,
    sniff: impl Fn(&str) -> bool,
) -> Result<Option<String>, Diagnostic> {
    let start = Pos { line: 1, col: 1 };
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > max_size {
        return Err(Diagnostic::warning(
            start,
            format!("skipped: {size} bytes is over the {max_size} byte limit"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::error(start, format!("cannot read: {e}")))?;
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            };
            Ok(sniff(&text).then_some(text))
        }
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes());
            if sniff(&lossy) {
                let pos = LineIndex::new(&lossy).pos(valid_up_to);
                Err(Diagnostic::error(pos, "not valid UTF-8"))
            } else {
                Ok(None)
            }
        }
    }
}
