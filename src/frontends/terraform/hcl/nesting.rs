//! The nesting pre-scan of `.tf` text: every form HCL nests — brackets,
//! parentheses, quoted templates, heredocs and their `${` / `%{`
//! interpolations — counted without recursion, before a recursive parser
//! sees the text. Comments and template text are skipped, so a `"` in a
//! comment cannot hide the brackets after it.

/// What an open nesting level is.
enum Open<'t> {
    /// `[`, `{`, `(` of an expression or block.
    Bracket,
    /// `${` or `%{` inside a template: an expression up to its `}`.
    Interpolation,
    /// A `"` template.
    Quoted,
    /// A `<<EOT` / `<<-EOT` heredoc, up to a line holding only its marker.
    Heredoc(&'t [u8]),
    /// The text of a template file (`templatefile()`), up to its end.
    TemplateFile,
}

/// Byte offset of the first form that opens nesting level `max + 1`, if any.
pub(super) fn first_offset_deeper_than(text: &str, max: usize) -> Option<usize> {
    scan(text, max, Vec::new())
}

/// [`first_offset_deeper_than`] for the text of a template file, which
/// starts as template text rather than as code (the file is one level).
pub(super) fn template_offset_deeper_than(text: &str, max: usize) -> Option<usize> {
    scan(text, max, vec![Open::TemplateFile])
}

fn scan<'t>(text: &'t str, max: usize, mut stack: Vec<Open<'t>>) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let (open, advance) = match stack.last() {
            Some(Open::Quoted) => match rest {
                [b'\\', ..] => (None, 2),
                // A quoted template ends at its line's end (HCL rejects the
                // newline): what follows is read as code, never hidden.
                [b'"' | b'\n', ..] => {
                    stack.pop();
                    (None, 1)
                }
                _ => template_step(rest),
            },
            Some(Open::Heredoc(marker)) => {
                // Only a line's start can close it (one look at each line, not at each byte).
                let at_line_start = i == 0 || bytes[i - 1] == b'\n';
                let line = || &rest[..line_length(rest)];
                if at_line_start && line().trim_ascii() == *marker {
                    stack.pop();
                    (None, line().len())
                } else {
                    template_step(rest)
                }
            }
            Some(Open::TemplateFile) => template_step(rest),
            _ => match rest {
                [b'#', ..] | [b'/', b'/', ..] => (None, line_length(rest)),
                [b'/', b'*', ..] => (None, find(rest, b"*/").map_or(rest.len(), |end| end + 2)),
                [b'"', ..] => (Some(Open::Quoted), 1),
                [b'<', b'<', ..] => match heredoc_marker(rest) {
                    Some((marker, length)) => (Some(Open::Heredoc(marker)), length),
                    None => (None, 2),
                },
                [b'[' | b'{' | b'(', ..] => (Some(Open::Bracket), 1),
                [b']' | b')', ..] => {
                    if matches!(stack.last(), Some(Open::Bracket)) {
                        stack.pop();
                    }
                    (None, 1)
                }
                [b'}', ..] => {
                    stack.pop();
                    (None, 1)
                }
                // Nothing nests until the next of these: skip to it.
                _ => (None, 1 + skip_to(&rest[1..], &CODE_STOPS)),
            },
        };
        if let Some(open) = open {
            if stack.len() >= max {
                return Some(i);
            }
            stack.push(open);
        }
        i += advance;
    }
    None
}

/// One step through template text: an interpolation or directive opens a
/// level; their `$${` / `%%{` escapes do not. Plain text is skipped up to the
/// next byte that may open a level or end the template (`\\`, `"`, a newline).
fn template_step(rest: &[u8]) -> (Option<Open<'static>>, usize) {
    match rest {
        [b'$', b'$', b'{', ..] | [b'%', b'%', b'{', ..] => (None, 3),
        [b'$' | b'%', b'{', ..] => (Some(Open::Interpolation), 2),
        // The next line's start is where a heredoc may end: look at it.
        [b'\n', ..] => (None, 1),
        _ => (None, 1 + skip_to(&rest[1..], &TEMPLATE_STOPS)),
    }
}

/// Bytes where code may nest or a comment or template start.
const CODE_STOPS: [bool; 256] = stops(b"#/\"<[{()]}");
/// Bytes where template text may nest or end.
const TEMPLATE_STOPS: [bool; 256] = stops(b"$%\\\"\n");

const fn stops(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// How many bytes of `rest` come before the first of `stops`.
fn skip_to(rest: &[u8], stops: &[bool; 256]) -> usize {
    rest.iter().position(|&b| stops[b as usize]).unwrap_or(rest.len())
}

/// `<<EOT` or `<<-EOT` up to its line end: the marker, and the length to skip.
fn heredoc_marker(rest: &[u8]) -> Option<(&[u8], usize)> {
    let after = rest.strip_prefix(b"<<")?;
    let after = after.strip_prefix(b"-").unwrap_or(after);
    let start = rest.len() - after.len();
    let name = after
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        .unwrap_or(after.len());
    if name == 0 {
        return None;
    }
    Some((
        &rest[start..start + name],
        start + line_length(&after[name..]) + name,
    ))
}

/// The length of `rest` up to (not including) its first newline.
fn line_length(rest: &[u8]) -> usize {
    rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::first_offset_deeper_than as deeper;

    #[test]
    fn every_nesting_form_counts() {
        let deep = 200_000;
        let parens = format!("x = {}1{}", "(".repeat(deep), ")".repeat(deep));
        assert_eq!(deeper(&parens, 256), Some(4 + 256));
        let templates = format!("x = {}1{}", "\"${".repeat(deep), "}\"".repeat(deep));
        assert!(deeper(&templates, 256).is_some());
        let heredocs = "x = <<EOT\n${<<EOT\n${<<EOT\nin\nEOT\n}\nEOT\n}\nEOT\n";
        assert!(deeper(heredocs, 4).is_some());
        assert_eq!(deeper(heredocs, 5), None);
    }

    #[test]
    fn comments_and_template_text_neither_count_nor_hide_code() {
        let hidden = format!("# \"\nx = {}{} # \"\n", "[".repeat(300), "]".repeat(300));
        assert!(deeper(&hidden, 256).is_some());
        let hidden = format!("/* \" */ x = {}{}\n", "{".repeat(300), "}".repeat(300));
        assert!(deeper(&hidden, 256).is_some());
        let text = "x = \"[[[[ $${ %%{ \\\" [[\" // \"\ny = <<-EOT\n  [[[[ \"\n  EOT\nz = [1]\n";
        assert_eq!(deeper(text, 1), None);
        let unterminated = format!("x = \"a\n{}\"", "[".repeat(300));
        assert!(deeper(&unterminated, 256).is_some());
        let template = format!("a {} b {}", "${[".repeat(100), "]}".repeat(100));
        assert_eq!(
            super::template_offset_deeper_than(&template, 200),
            Some(2 + 99 * 3 + 2)
        );
        assert_eq!(
            super::template_offset_deeper_than("[[[[ \" ${1} %{ if x }", 2),
            None
        );
        let interpolated = "x = \"a${[b]}c\"\n";
        assert_eq!(deeper(interpolated, 2), Some(8));
        assert_eq!(deeper(interpolated, 3), None);
    }
}
