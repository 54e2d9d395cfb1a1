//! Creation stack traces: the line of the user's CDK code behind each construct.

use std::collections::HashMap;
use std::path::PathBuf;

use super::SourceLine;
use crate::parse::{Node, Pos};

/// Construct path -> first user frame of its `aws:cdk:creationStack` (or, in
/// older assemblies, the `trace` of its metadata entries).
pub fn collect_traces(metadata: Option<&Node>, traces: &mut HashMap<String, SourceLine>) {
    for entry in metadata.and_then(Node::as_map).unwrap_or(&[]) {
        let path = entry.key.trim_start_matches('/').to_string();
        for item in entry.value.as_seq().unwrap_or(&[]) {
            let frames = match item.get("type").and_then(|t| t.value.as_str()) {
                Some("aws:cdk:creationStack") => item.get("data"),
                _ => item.get("trace"),
            };
            let line = frames
                .and_then(|f| f.value.as_seq())
                .unwrap_or(&[])
                .iter()
                .filter_map(Node::as_str)
                .find_map(user_frame);
            if let Some(line) = line {
                traces.entry(path.clone()).or_insert(line);
                break;
            }
        }
    }
}

/// `new AppStack (app/app.js:22:5)` or `at /x/app.ts:3:1` -> the file and
/// position, unless the frame is library or runtime code.
fn user_frame(frame: &str) -> Option<SourceLine> {
    let frame = frame.trim().trim_start_matches("at ");
    if frame.starts_with("...") || frame.contains("node_modules") || frame.contains("node:") {
        return None;
    }
    let location = match (frame.rfind('('), frame.ends_with(')')) {
        (Some(open), true) => &frame[open + 1..frame.len() - 1],
        _ => frame,
    };
    let mut parts = location.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let file = parts.next()?;
    Some(SourceLine {
        path: PathBuf::from(file),
        pos: Pos { line, col },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_frames_skip_library_and_runtime_code() {
        assert_eq!(
            user_frame("new AppStack (app/app.js:22:5)"),
            Some(SourceLine {
                path: "app/app.js".into(),
                pos: Pos { line: 22, col: 5 }
            })
        );
        assert!(user_frame("...new Key2 in aws-cdk-lib...").is_none());
        assert!(user_frame("    at Object.<anonymous> (/p/node_modules/x.js:1:1)").is_none());
        assert_eq!(
            user_frame("    at /home/u/app.ts:3:1").map(|s| s.pos.line),
            Some(3)
        );
    }
}
