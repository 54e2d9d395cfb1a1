//! Where a lifted resource's properties come from in the format it was
//! written in (a Terraform type's attributes), so that a property the source
//! does not map reads as unknown rather than absent, and a property that is
//! absent can be named as the user would write it (`encrypted` rather than
//! `StorageEncrypted`).
//!
//! The frontends fill these in (Terraform's mapping data); the graph only
//! holds a `&'static` reference per resource ([`super::Resource::mapping`]).

use std::borrow::Cow;

/// How one source type maps the canonical properties of the type it is lifted to.
#[derive(Debug, Default)]
pub struct SourceMapping {
    /// The source type (`aws_db_instance`).
    pub source_type: String,
    /// Canonical property paths (dotted, without list indices:
    /// `BucketEncryption.ServerSideEncryptionConfiguration.BucketKeyEnabled`)
    /// and the source attribute paths that set them (`rule.bucket_key_enabled`),
    /// including those set by split resources joined into this one
    /// (`aws_s3_bucket_public_access_block.block_public_acls`).
    pub attributes: Vec<(String, String)>,
    /// Properties the source sets but whose value is known only after
    /// deploy, with the reason (a computed attribute).
    pub unknown: Vec<(String, String)>,
    /// Properties the source cannot set at all, with the reason: they are
    /// absent, as in a CloudFormation template that leaves them out.
    pub not_expressible: Vec<(String, String)>,
    /// Properties written as a JSON document whose keys are the canonical
    /// names in lowerCamelCase (ECS `container_definitions`): a path inside
    /// one is named by its attribute and those keys.
    pub camel_case_documents: Vec<String>,
}

/// The source mappings that lift to a canonical type, in a stable order:
/// how a language other than CloudFormation names that type and its
/// properties (set on a graph by the frontend that reads the language).
pub type Vocabulary = fn(&str) -> Vec<&'static SourceMapping>;

/// `text` with each canonical type (`AWS::EC2::FlowLog`) named as
/// `vocabulary` names it (`aws_flow_log`; several ways joined by "or").
pub fn speak_types<'t>(vocabulary: Vocabulary, text: &'t str) -> Cow<'t, str> {
    if !text.contains("AWS::") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("AWS::") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == ':'))
            .unwrap_or(after.len());
        let kind = after[..len].trim_end_matches(':');
        let names: Vec<&str> = vocabulary(kind).iter().map(|m| m.source_type.as_str()).collect();
        if names.is_empty() {
            out.push_str(kind);
        } else {
            out.push_str(&names.join(" or "));
        }
        rest = &after[kind.len()..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// What a source mapping says about one property path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage<'m> {
    /// An attribute sets it (or a part of it): unset, it is absent.
    Mapped,
    /// Known only after deploy, for this reason.
    Unknown(&'m str),
    /// The source cannot set it, for this reason: it is absent.
    NotExpressible(&'m str),
    /// Nothing says: reading it must not pass for "absent".
    NotMapped,
}

impl SourceMapping {
    /// What this mapping says about `path` (dotted; `[n]` and `[*]` ignored).
    /// A path is mapped when an attribute sets it, a part of it, or a value
    /// containing it (a policy document, a JSON-encoded list).
    pub fn coverage(&self, path: &str) -> Coverage<'_> {
        let path = without_indices(path);
        let related = |mapped: &str| encloses(mapped, &path) || encloses(&path, mapped);
        if self.attributes.iter().any(|(mapped, _)| related(mapped)) {
            return Coverage::Mapped;
        }
        if let Some((_, why)) = self.unknown.iter().find(|(p, _)| encloses(p, &path)) {
            return Coverage::Unknown(why);
        }
        if let Some((_, why)) = self.not_expressible.iter().find(|(p, _)| encloses(p, &path)) {
            return Coverage::NotExpressible(why);
        }
        Coverage::NotMapped
    }

    /// The source attributes that set `path` (`storage_encrypted` for
    /// `StorageEncrypted`): what a user would write to set it, each way of
    /// writing it (inline or by a split resource) joined by "or". Only an
    /// attribute that sets the path itself is named — one that sets an
    /// enclosing value may well be written.
    pub fn attribute_of(&self, path: &str) -> Option<String> {
        let path = without_indices(path);
        let names: Vec<&str> = self
            .attributes
            .iter()
            .filter(|(mapped, attribute)| *mapped == path && !attribute.is_empty())
            .map(|(_, attribute)| attribute.as_str())
            .collect();
        (!names.is_empty()).then(|| names.join(" or "))
    }

    /// `text` (a check's message or remediation) in this source's terms:
    /// each property path the check wrote in backticks is named by the
    /// attribute that sets it (`` `StorageEncrypted` `` becomes
    /// `` `storage_encrypted` ``), and a setting written as `` `Path: value` ``
    /// becomes `` `attribute = value` ``, its text quoted as HCL quotes it.
    /// A path the mapping cannot name is left as written.
    pub fn speak<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !text.contains('`') {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut changed = false;
        let mut rest = text;
        while let Some(open) = rest.find('`') {
            let Some(len) = rest[open + 1..].find('`') else {
                break;
            };
            let inner = &rest[open + 1..open + 1 + len];
            out.push_str(&rest[..open]);
            match self.spoken(inner) {
                Some(spoken) => {
                    changed = true;
                    out.push_str(&spoken);
                }
                None => {
                    out.push('`');
                    out.push_str(inner);
                    out.push('`');
                }
            }
            rest = &rest[open + 2 + len..];
        }
        out.push_str(rest);
        if changed {
            Cow::Owned(out)
        } else {
            Cow::Borrowed(text)
        }
    }

    /// The attributes a text means by `path`: those that set it; else,
    /// for a path written short (`MetadataOptions.HttpTokens` of a launch
    /// template's `LaunchTemplateData`), those of the mapped paths it ends;
    /// else, for a value made of several attributes, the attribute or
    /// resource they share (`aws_s3_bucket_public_access_block` for
    /// `PublicAccessBlockConfiguration`).
    fn attribute_named(&self, path: &str) -> Option<String> {
        if let Some(exact) = self.attribute_of(path) {
            return Some(exact);
        }
        if let Some(inside) = self.document_path(path) {
            return Some(inside);
        }
        let path = without_indices(path);
        let suffix = format!(".{path}");
        let mut ending: Vec<&str> = self
            .attributes
            .iter()
            .filter(|(mapped, attribute)| mapped.ends_with(&suffix) && !attribute.is_empty())
            .map(|(_, attribute)| attribute.as_str())
            .collect();
        ending.dedup();
        if !ending.is_empty() {
            return Some(ending.join(" or "));
        }
        let inside: Vec<&str> = self
            .attributes
            .iter()
            .filter(|(mapped, attribute)| encloses(&path, mapped) && !attribute.is_empty())
            .map(|(_, attribute)| attribute.as_str())
            .collect();
        let Some((first, rest)) = inside.split_first() else {
            // A path of an enclosing type (`SecurityGroupIngress.CidrIp` of a
            // group, read on a standalone rule): as far as this type has it.
            let (_, shorter) = path.split_once('.')?;
            return self.attribute_named(shorter);
        };
        let mut shared: Vec<&str> = first.split('.').collect();
        for other in rest {
            let common = shared
                .iter()
                .zip(other.split('.'))
                .take_while(|(a, b)| **a == *b)
                .count();
            shared.truncate(common);
        }
        // A lone leaf shared by one attribute is that attribute's parent, not the path.
        (!shared.is_empty() && !rest.is_empty()).then(|| shared.join("."))
    }

    /// A path inside a document written with lowerCamelCase keys, as the
    /// user writes it (`container_definitions[*].privileged` for
    /// `ContainerDefinitions[0].Privileged`).
    pub fn document_path(&self, path: &str) -> Option<String> {
        let path = without_indices(path);
        self.camel_case_documents.iter().find_map(|document| {
            let inside = path.strip_prefix(document.as_str())?.strip_prefix('.')?;
            let keys: Vec<String> = inside.split('.').map(lower_camel).collect();
            Some(format!("{}[*].{}", self.attribute_of(document)?, keys.join(".")))
        })
    }

    /// One backticked segment (without its backticks) in this source's terms,
    /// backticked again; `None` when it is no path this mapping names.
    fn spoken(&self, segment: &str) -> Option<String> {
        let (path, value) = match segment.split_once(": ") {
            Some((path, value)) => (path.trim(), Some(value.trim())),
            None => (segment.trim(), None),
        };
        let plain = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '*'));
        if !plain {
            return None;
        }
        let attributes = self.attribute_named(path)?;
        let setting = |attribute: &str| match value {
            Some(value) => format!("`{attribute} = {}`", hcl_literal(value)),
            None => format!("`{attribute}`"),
        };
        Some(
            attributes
                .split(" or ")
                .map(setting)
                .collect::<Vec<_>>()
                .join(" or "),
        )
    }
}

/// A value as HCL writes it: booleans, numbers, lists and quoted text as they
/// are, other text quoted.
fn hcl_literal(value: &str) -> Cow<'_, str> {
    let bare = matches!(value, "true" | "false" | "null")
        || value.parse::<f64>().is_ok()
        || value.starts_with(['"', '[', '{']);
    if bare {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(format!("\"{value}\""))
    }
}

/// `ReadonlyRootFilesystem` as `readonlyRootFilesystem`.
fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Whether `outer` is `inner` or one of its ancestors (`A` encloses `A.B`, not `AB`).
fn encloses(outer: &str, inner: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// `A[0].B[*].C` as `A.B.C`.
fn without_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping() -> SourceMapping {
        SourceMapping {
            source_type: "aws_x".into(),
            attributes: vec![
                ("StorageEncrypted".into(), "storage_encrypted".into()),
                ("Logging.Bucket".into(), "logging.bucket".into()),
            ],
            unknown: vec![("Endpoint".into(), "computed".into())],
            not_expressible: vec![("Tags.Owner".into(), "no such attribute".into())],
            camel_case_documents: Vec::new(),
        }
    }

    #[test]
    fn paths_are_covered_through_their_ancestors_and_descendants() {
        let m = mapping();
        assert_eq!(m.coverage("StorageEncrypted"), Coverage::Mapped);
        assert_eq!(m.coverage("Logging"), Coverage::Mapped);
        assert_eq!(m.coverage("Logging[0].Bucket.Name"), Coverage::Mapped);
        assert_eq!(m.coverage("Logging.Prefix"), Coverage::NotMapped);
        assert_eq!(m.coverage("Endpoint.Address"), Coverage::Unknown("computed"));
        assert_eq!(
            m.coverage("Tags.Owner"),
            Coverage::NotExpressible("no such attribute")
        );
        assert_eq!(m.coverage("StorageEncryptedX"), Coverage::NotMapped);
    }

    #[test]
    fn the_attribute_of_a_path_is_the_one_that_sets_it() {
        let m = mapping();
        assert_eq!(
            m.attribute_of("StorageEncrypted").as_deref(),
            Some("storage_encrypted")
        );
        assert_eq!(
            m.attribute_of("Logging[*].Bucket").as_deref(),
            Some("logging.bucket")
        );
        assert_eq!(m.attribute_of("Logging"), None);
        assert_eq!(m.attribute_of("Logging.Bucket.Name"), None);
    }

    #[test]
    fn backticked_paths_are_spoken_in_the_source_terms() {
        let m = mapping();
        assert_eq!(
            m.speak(
                "`StorageEncrypted` is not set; set `StorageEncrypted: true` and `Logging.Bucket: my-logs`"
            ),
            "`storage_encrypted` is not set; set `storage_encrypted = true` and `logging.bucket = \"my-logs\"`"
        );
        // Unmapped paths, non-paths and text without backticks are left alone.
        assert_eq!(m.speak("`Endpoint` and `a b` stay"), "`Endpoint` and `a b` stay");
        assert!(matches!(m.speak("no paths here"), Cow::Borrowed(_)));
        // Written short, or naming a value several attributes make.
        assert_eq!(m.speak("set `Bucket`"), "set `logging.bucket`");
        assert_eq!(
            m.speak("set `Parent.StorageEncrypted`"),
            "set `storage_encrypted`"
        );
        let ecs = SourceMapping {
            attributes: vec![("ContainerDefinitions".into(), "container_definitions".into())],
            camel_case_documents: vec!["ContainerDefinitions".into()],
            ..SourceMapping::default()
        };
        assert_eq!(
            ecs.speak("remove `ContainerDefinitions[*].Privileged`"),
            "remove `container_definitions[*].privileged`"
        );
        let split = SourceMapping {
            attributes: vec![
                ("Block.A".into(), "aws_block.a".into()),
                ("Block.B".into(), "aws_block.b".into()),
            ],
            ..SourceMapping::default()
        };
        assert_eq!(split.speak("all of `Block`"), "all of `aws_block`");
        assert_eq!(m.speak("an odd ` backtick"), "an odd ` backtick");
    }
}
