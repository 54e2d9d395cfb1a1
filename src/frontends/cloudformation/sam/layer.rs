//! `AWS::Serverless::LayerVersion` -> `AWS::Lambda::LayerVersion`.

use super::{copy, rename};
use crate::graph::{Resource, Value, ValueKind};

pub fn lower(sam: Resource) -> Resource {
    let mut properties = copy(
        &sam,
        &[
            "CompatibleArchitectures",
            "CompatibleRuntimes",
            "Description",
            "LayerName",
            "LicenseInfo",
        ],
    );
    properties.extend(rename(&sam, "ContentUri", "Content"));
    Resource {
        kind: "AWS::Lambda::LayerVersion".into(),
        properties: Value::new(sam.properties.span, ValueKind::Map(properties)),
        ..sam
    }
}
