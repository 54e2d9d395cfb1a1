//! Tokens of the rule language.

use super::SyntaxError;

/// A token with its 1-based position in the rule text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: Tok,
    pub line: u32,
    pub col: u32,
    /// Byte offsets in the rule text (for recovering source text).
    pub start: usize,
    pub end: usize,
}

/// Token kinds. Keywords are recognised case-insensitively.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    Number(String),
    Regex(String),
    Param(String),
    Var(String),
    Op(&'static str),
    Punct(char),
    Newline,
    Eof,
}

/// Splits rule text into tokens. Newlines inside `(...)` and `[...]` are
/// insignificant; elsewhere they separate clauses.
pub fn tokenize(text: &str) -> Result<Vec<Token>, SyntaxError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let (mut i, mut line) = (0usize, 1u32);
    // The last offset whose column is known, and that column: columns are
    // counted forward from there, so a long line is not recounted per token.
    let mut known = (0usize, 1u32);
    let mut nesting = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        let col = column(text, &mut known, i);
        let start = i;
        let token_line = line;
        let err = |message: String| SyntaxError { line, col, message };
        let kind = match c {
            b'\n' => {
                i += 1;
                line += 1;
                known = (i, 1);
                if nesting > 0 {
                    continue;
                }
                Tok::Newline
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let (s, next) = string(text, i).ok_or_else(|| err("unterminated string".into()))?;
                i = next;
                Tok::Str(s)
            }
            b'/' => {
                let mut end = None;
                let mut escaped = false;
                for (k, ch) in text[i + 1..].char_indices() {
                    match ch {
                        '\n' => break,
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '/' => {
                            end = Some(k);
                            break;
                        }
                        _ => {}
                    }
                }
                let end = end.ok_or_else(|| err("unterminated regex".into()))?;
                let body = &text[i + 1..i + 1 + end];
                i += end + 2;
                Tok::Regex(body.replace("\\/", "/"))
            }
            b'%' | b'$' => {
                let (name, next) = ident(text, i + 1);
                if name.is_empty() {
                    return Err(err(format!("expected a name after {}", c as char)));
                }
                i = next;
                if c == b'%' {
                    Tok::Param(name)
                } else {
                    Tok::Var(name)
                }
            }
            b'=' | b'!' | b'<' | b'>' => {
                let two = text.get(i..i + 2).unwrap_or("");
                let op = match two {
                    "==" => "==",
                    "!=" => "!=",
                    "<=" => "<=",
                    ">=" => ">=",
                    _ if c == b'<' => "<",
                    _ if c == b'>' => ">",
                    _ => return Err(err(format!("unexpected '{}'", c as char))),
                };
                i += op.len();
                Tok::Op(op)
            }
            b'(' | b'[' => {
                nesting += 1;
                i += 1;
                Tok::Punct(c as char)
            }
            b')' | b']' => {
                nesting = nesting.saturating_sub(1);
                i += 1;
                Tok::Punct(c as char)
            }
            b'{' | b'}' | b'.' | b',' | b';' | b'*' => {
                i += 1;
                Tok::Punct(c as char)
            }
            b'-' | b'0'..=b'9' => {
                let end = text[i + 1..]
                    .find(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
                    .map_or(text.len(), |e| i + 1 + e);
                let number = &text[i..end];
                if number == "-" {
                    return Err(err("expected a number after '-'".into()));
                }
                i = end;
                Tok::Number(number.to_string())
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let (name, next) = ident(text, i);
                i = next;
                Tok::Ident(name)
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err(err(format!("unexpected character '{ch}'")));
            }
        };
        tokens.push(Token {
            kind,
            line: token_line,
            col,
            start,
            end: i,
        });
    }
    let col = column(text, &mut known, text.len());
    tokens.push(Token {
        kind: Tok::Eof,
        line,
        col,
        start: text.len(),
        end: text.len(),
    });
    Ok(tokens)
}

/// The column of offset `i`, counted on from `known` (an earlier offset of
/// the same line and its column), which moves to `i`.
fn column(text: &str, known: &mut (usize, u32), i: usize) -> u32 {
    let col = known.1 + text[known.0..i].chars().count() as u32;
    *known = (i, col);
    col
}

/// An identifier: letters, digits, `_`, `-` and `:` (type names like `AWS::S3::Bucket`).
fn ident(text: &str, start: usize) -> (String, usize) {
    let end = text[start..]
        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == ':' || ch == '-'))
        .map_or(text.len(), |e| start + e);
    (text[start..end].to_string(), end)
}

/// A quoted string with `\"`, `\\`, `\n` escapes; returns it and the offset after it.
fn string(text: &str, start: usize) -> Option<(String, usize)> {
    let quote = text.as_bytes()[start] as char;
    let mut out = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((i, ch)) = chars.next() {
        match ch {
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                other => out.push(other),
            },
            '\n' => return None,
            c if c == quote => return Some((out, start + 1 + i + 1)),
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        tokenize(text).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn tokens_of_a_clause() {
        assert_eq!(
            kinds("A.B[*] == \"x\" # c\nresolve(X, AWS::S3::Bucket) >= -1"),
            vec![
                Tok::Ident("A".into()),
                Tok::Punct('.'),
                Tok::Ident("B".into()),
                Tok::Punct('['),
                Tok::Punct('*'),
                Tok::Punct(']'),
                Tok::Op("=="),
                Tok::Str("x".into()),
                Tok::Newline,
                Tok::Ident("resolve".into()),
                Tok::Punct('('),
                Tok::Ident("X".into()),
                Tok::Punct(','),
                Tok::Ident("AWS::S3::Bucket".into()),
                Tok::Punct(')'),
                Tok::Op(">="),
                Tok::Number("-1".into()),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn newlines_inside_brackets_are_ignored_and_regexes_lex() {
        assert_eq!(
            kinds("X IN [\n 1,\n 2\n] /a\\/b/ %p $this"),
            vec![
                Tok::Ident("X".into()),
                Tok::Ident("IN".into()),
                Tok::Punct('['),
                Tok::Number("1".into()),
                Tok::Punct(','),
                Tok::Number("2".into()),
                Tok::Punct(']'),
                Tok::Regex("a/b".into()),
                Tok::Param("p".into()),
                Tok::Var("this".into()),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn errors_have_positions() {
        let e = tokenize("A == 1\nB == \"open").unwrap_err();
        assert_eq!((e.line, e.col), (2, 6));
    }
}
