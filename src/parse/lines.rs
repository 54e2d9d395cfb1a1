//! Byte offset to line/column conversion for parsers that report byte ranges.

use super::Pos;

/// Bytes between two character-count checkpoints.
const CHECKPOINT: usize = 256;

/// A text (borrowed or owned) with the start of every line and periodic
/// character counts, so any offset converts in O(log n) — also on the one
/// very long line of a minified JSON document.
pub struct LineIndex<T: AsRef<str>> {
    text: T,
    starts: Vec<usize>,
    /// `chars_before[k]`: characters in the first `k * CHECKPOINT` bytes;
    /// empty for ASCII text, where a column is a byte distance.
    chars_before: Vec<u32>,
}

impl<T: AsRef<str>> LineIndex<T> {
    /// Indexes `text`; `\n` ends a line (a preceding `\r` stays on it).
    pub fn new(text: T) -> LineIndex<T> {
        let bytes = text.as_ref().as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let mut chars_before = Vec::new();
        if !bytes.is_ascii() {
            chars_before.reserve(bytes.len() / CHECKPOINT + 1);
            let mut count = 0u32;
            for chunk in bytes.chunks(CHECKPOINT) {
                chars_before.push(count);
                count = count.saturating_add(chars_in(chunk) as u32);
            }
            chars_before.push(count);
        }
        LineIndex {
            text,
            starts,
            chars_before,
        }
    }

    /// The indexed text.
    pub fn text(&self) -> &str {
        self.text.as_ref()
    }

    /// The position of byte `offset` (clamped to the text).
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.as_ref().len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        // ASCII needs no counting; short prefixes are counted directly;
        // long lines use the checkpoints.
        let col = if self.chars_before.is_empty() {
            offset - start
        } else if offset - start <= CHECKPOINT {
            chars_in(&self.text.as_ref().as_bytes()[start..offset])
        } else {
            self.chars_to(offset) - self.chars_to(start)
        };
        Pos {
            line: (line + 1) as u32,
            col: (col + 1) as u32,
        }
    }

    /// Characters in the first `offset` bytes.
    fn chars_to(&self, offset: usize) -> usize {
        let checkpoint = offset / CHECKPOINT;
        let from = checkpoint * CHECKPOINT;
        self.chars_before[checkpoint] as usize + chars_in(&self.text.as_ref().as_bytes()[from..offset])
    }
}

/// Characters in a byte slice of UTF-8 (any slice: continuation bytes are not counted).
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count()
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

    #[test]
    fn ascii_text_positions_are_byte_distances() {
        let idx = LineIndex::new("ab\ncd");
        assert_eq!(idx.pos(4), Pos { line: 2, col: 2 });
        assert_eq!(idx.pos(99), Pos { line: 2, col: 3 }); // clamped to the end
    }

    #[test]
    fn long_lines_count_chars_across_checkpoints() {
        let text = format!("{}\u{e9}{}", "a".repeat(5000), "b".repeat(5000));
        let idx = LineIndex::new(text.as_str());
        assert_eq!(idx.pos(5000), Pos { line: 1, col: 5001 });
        assert_eq!(idx.pos(5002), Pos { line: 1, col: 5002 });
        assert_eq!(idx.pos(text.len()), Pos { line: 1, col: 10002 });
    }
}
