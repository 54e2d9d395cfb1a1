//! Reading an input file: size limit, UTF-8 (a BOM dropped), and whether it is worth parsing.

use std::path::Path;

use super::{LineIndex, Pos};
use crate::diagnostics::Diagnostic;

/// Why a file has no text.
#[derive(Debug)]
pub enum ReadError {
    /// Over the size limit, or refused by the file system: a problem to
    /// report whatever the file holds.
    Unreadable(Diagnostic),
    /// Not UTF-8: the text read lossily, to tell what the file looks like,
    /// and where its first bad byte is.
    NotUtf8 { lossy: String, pos: Pos },
}

impl ReadError {
    /// The diagnostic of a file that should have been readable.
    pub fn into_error(self) -> Diagnostic {
        match self {
            ReadError::Unreadable(diagnostic) => diagnostic,
            ReadError::NotUtf8 { pos, .. } => Diagnostic::error(pos, "not valid UTF-8"),
        }
    }
}

/// Reads a file as text, whatever it holds.
pub fn read_text(path: &Path, max_size: u64) -> Result<String, ReadError> {
    let start = Pos { line: 1, col: 1 };
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > max_size {
        return Err(ReadError::Unreadable(Diagnostic::warning(
            start,
            format!("skipped: {size} bytes is over the {max_size} byte limit"),
        )));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| ReadError::Unreadable(Diagnostic::error(start, format!("cannot read: {e}"))))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        }),
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let pos = LineIndex::new(&lossy).pos(valid_up_to);
            Err(ReadError::NotUtf8 { lossy, pos })
        }
    }
}

/// Reads a file as text. `Ok(None)`: `sniff` says it is not worth parsing
/// (skipped silently). `Err`: a problem to report for this file.
pub fn read_source(
    path: &Path,
    max_size: u64,
    sniff: impl Fn(&str) -> bool,
) -> Result<Option<String>, Diagnostic> {
    match read_text(path, max_size) {
        Ok(text) => Ok(sniff(&text).then_some(text)),
        Err(ReadError::NotUtf8 { lossy, .. }) if !sniff(&lossy) => Ok(None),
        Err(e) => Err(e.into_error()),
    }
}

/// Where `path` leads, whether or not it exists: its longest existing
/// ancestor resolved as [`Path::canonicalize`] resolves it (symlinks, `..`,
/// and on Windows the same `\\?\C:\` form), the missing rest appended. Lets a
/// missing file be told inside or outside a canonical root without saying
/// whether a file outside it exists.
pub fn resolve_path(path: &Path) -> Option<std::path::PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(mut resolved) = existing.canonicalize() {
            for part in missing.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        resolved.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => resolved.push(other),
                }
            }
            return Some(resolved);
        }
        let mut components = existing.components();
        missing.push(components.next_back()?);
        existing = components.as_path();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_paths_resolve_like_existing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        let missing = dir.path().join("a/../b/missing.json");
        assert_eq!(resolve_path(&missing), Some(root.join("b").join("missing.json")));
        assert!(
            !resolve_path(&dir.path().join("a/../../x"))
                .unwrap()
                .starts_with(&root)
        );
    }
}
