//! Byte offset to line/column conversion for parsers that report byte ranges.

use super::Pos;

/// A text (borrowed or owned) with the start offset of every line, for
/// O(log n) offset lookups.
pub struct LineIndex<T: AsRef<str>> {
    text: T,
    starts: Vec<usize>,
}

impl<T: AsRef<str>> LineIndex<T> {
    /// Indexes `text`; `\n` ends a line (a preceding `\r` stays on it).
    pub fn new(text: T) -> LineIndex<T> {
        let bytes = text.as_ref().as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(bytes).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// The indexed text.
    pub fn text(&self) -> &str {
        self.text.as_ref()
    }

    /// The position of byte `offset` (clamped to the text).
    pub fn pos(&self, offset: usize) -> Pos {
        let text = self.text.as_ref();
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Pos {
            line: (line + 1) as u32,
            col: (col + 1) as u32,
        }
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_chars() {
        let idx = LineIndex::new("ab\n\u{e9}x\r\nz");
        assert_eq!(idx.pos(0), Pos { line: 1, col: 1 });
        assert_eq!(idx.pos(3), Pos { line: 2, col: 1 });
        assert_eq!(idx.pos(5), Pos { line: 2, col: 2 }); // after the 2-byte é
        assert_eq!(idx.pos(8), Pos { line: 3, col: 1 });
    }
}
