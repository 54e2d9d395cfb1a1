//! Where a lifted resource's properties come from in the format it was
//! written in (a Terraform type's attributes), so that a property the source
//! does not map reads as unknown rather than absent, and a property that is
//! absent can be named as the user would write it (`encrypted` rather than
//! `StorageEncrypted`).
//!
//! The frontends fill these in (Terraform's mapping data); the graph only
//! holds a `&'static` reference per resource ([`super::Resource::mapping`]).

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
}
