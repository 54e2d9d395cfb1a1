//! Creation stack traces: the line of the user's CDK code behind each construct.

use std::collections::HashMap;
use std::path::PathBuf;

use super::SourceLine;
use crate::parse::{Node, Pos};

/// What a stack's metadata says about its constructs: construct path -> the
/// first user frame of its `aws:cdk:creationStack` (or, in older assemblies,
/// the `trace` of its metadata entries); and logical id -> construct path
/// from `aws:cdk:logicalId` entries, so assemblies synthesized without path
/// metadata (`--path-metadata false`, integ snapshots) still name constructs.
pub fn collect_traces(
    metadata: Option<&Node>,
    traces: &mut HashMap<String, SourceLine>,
    ids: &mut HashMap<String, String>,
) {
    for entry in metadata.and_then(Node::as_map).unwrap_or(&[]) {
        let path = entry.key.trim_start_matches('/').to_string();
        let mut traced = false;
        for item in entry.value.as_seq().unwrap_or(&[]) {
            let kind = item.get("type").and_then(|t| t.value.as_str());
            if kind == Some("aws:cdk:logicalId")
                && let Some(id) = item.get("data").and_then(|d| d.value.as_str())
            {
                ids.entry(id.to_string()).or_insert_with(|| path.clone());
            }
            if traced {
                continue;
            }
            let frames = match kind {
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
                traced = true;
            }
        }
    }
}

/// `new AppStack (app/app.js:22:5)` or `at /x/app.ts:3:1` -> the file and
/// position, unless the frame is library or runtime code: Node's own, a
/// package's, or the jsii runtime's that Python, Java, Go and .NET apps run
/// the construct library in (its kernel unpacks to a temporary directory).
fn user_frame(frame: &str) -> Option<SourceLine> {
    let frame = frame.trim().trim_start_matches("at ");
    const RUNTIME: &[&str] = &[
        "node_modules",
        "node:",
        "jsii-kernel",
        "jsii-runtime",
        "@jsii",
        "/jsii/",
        "\\jsii\\",
    ];
    if frame.starts_with("...") || RUNTIME.iter().any(|r| frame.contains(r)) || in_temporary_directory(frame)
    {
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

/// Whether a frame is the jsii kernel's bundled program, which it unpacks to
/// a temporary directory (`/tmp/tmpx7k2q1ab/lib/program.js`): never the
/// user's code. A user's own project in a temporary directory still counts.
fn in_temporary_directory(frame: &str) -> bool {
    let location = frame.rsplit('(').next().unwrap_or(frame).trim_start();
    let temporary = ["/tmp/", "/var/folders/", "/private/var/folders/"]
        .iter()
        .any(|t| location.starts_with(t))
        || location.contains("\\AppData\\Local\\Temp\\")
        || location.contains("/AppData/Local/Temp/");
    let program = location.contains("/lib/program.js:") || location.contains("\\lib\\program.js:");
    temporary && program
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
        // A Python app: the construct library runs in the jsii kernel, unpacked to a temporary directory.
        for runtime in [
            "new Bucket (/tmp/jsii-kernel-aB3dE/node_modules/aws-cdk-lib/aws-s3/lib/bucket.js:1:2)",
            "at Kernel._create (/tmp/tmpx7k2q1ab/lib/program.js:9871:29)",
            "at Kernel.create (/private/var/folders/zz/T/tmpabc/lib/program.js:9542:29)",
            r"at Kernel._create (C:\Users\me\AppData\Local\Temp\tmp1234\lib\program.js:9871:29)",
            "at KernelHost.run (/home/u/.venv/lib/python3.12/site-packages/jsii/_embedded/jsii/jsii-runtime.js:1:1)",
            "at Object.<anonymous> (/opt/app/@jsii/kernel/lib/kernel.js:1:1)",
        ] {
            assert!(user_frame(runtime).is_none(), "{runtime}");
        }
        assert_eq!(
            user_frame("at new DataStack (/home/u/project/stacks/data.ts:14:22)").map(|s| s.pos),
            Some(Pos { line: 14, col: 22 })
        );
    }
}
