//! Nested stacks: which template file an `AWS::CloudFormation::Stack` of a
//! CDK template deploys.

use crate::parse::{Node, NodeKind};

/// The nested-stack templates a template declares, as (file name in the
/// assembly, stack name). The file is `Metadata["aws:asset:path"]`, or else
/// the asset whose hash ends the `TemplateURL`, looked up in the stack's
/// asset manifest (`<Stack>.assets.json`).
pub fn nested_templates(template: &Node, assets: Option<&Node>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in template
        .get("Resources")
        .and_then(|r| r.value.as_map())
        .unwrap_or(&[])
    {
        let resource = &entry.value;
        if resource.get("Type").and_then(|t| t.value.as_str()) != Some("AWS::CloudFormation::Stack") {
            continue;
        }
        let metadata = resource.get("Metadata").map(|m| &m.value);
        let by_metadata = metadata
            .and_then(|m| m.get("aws:asset:path"))
            .and_then(|p| p.value.as_str())
            .map(str::to_string);
        let by_hash = || {
            let url = &resource.get("Properties")?.value.get("TemplateURL")?.value;
            let hash = asset_hash(url)?;
            let source = &assets?.get("files")?.value.get(&hash)?.value.get("source")?.value;
            source.get("path")?.value.as_str().map(str::to_string)
        };
        let Some(file) = by_metadata.or_else(by_hash).filter(|f| f.ends_with(".json")) else {
            continue;
        };
        let construct = metadata
            .and_then(|m| m.get("aws:cdk:path"))
            .and_then(|p| p.value.as_str())
            .unwrap_or(&entry.key);
        // `App/Network.NestedStack/Network.NestedStackResource` -> `App/Network`.
        let stack = construct.split(".NestedStack").next().unwrap_or(construct);
        out.push((file, stack.to_string()));
    }
    out
}

/// The asset hash in a `TemplateURL` (a string or an `Fn::Join`/`Fn::Sub` of
/// parts): 64 hex digits before `.json`.
fn asset_hash(url: &Node) -> Option<String> {
    match &url.kind {
        NodeKind::String(text) => text.match_indices(".json").find_map(|(end, _)| {
            let start = end.checked_sub(64)?;
            let hash = text.get(start..end)?;
            hash.bytes()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| hash.to_string())
        }),
        NodeKind::Seq(items) => items.iter().find_map(asset_hash),
        NodeKind::Map(entries) => entries.iter().find_map(|e| asset_hash(&e.value)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Limits, load_json};

    #[test]
    fn finds_the_hash_inside_a_join() {
        let hash = "34c1e93358aff269e236e7cf00a5890f61d452b79729dabcdac2becc05c8fcb5";
        let url = load_json(
            &format!(
                r#"{{"Fn::Join": ["", ["https://s3.", {{"Ref": "AWS::URLSuffix"}}, "/bucket/{hash}.json"]]}}"#
            ),
            Limits::default(),
        )
        .unwrap();
        assert_eq!(asset_hash(&url).as_deref(), Some(hash));
        let short = load_json(r#""https://s3/bucket/abc.json""#, Limits::default()).unwrap();
        assert_eq!(asset_hash(&short), None);
    }
}
