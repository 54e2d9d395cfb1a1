//! S3 hooks: a bucket's inline policy as a resource of its own, and the
//! canned ACL an `aws_s3_bucket_acl`'s grants amount to.

use std::borrow::Cow;

use super::build::{Props, Tf, attr, blocks, text};
use super::mapping::TypeMapping;
use super::{Adapted, Context, Lifted};
use crate::graph::{ResourceRef, Value, ValueKind};

/// `aws_s3_bucket`: an inline `policy` the configuration writes becomes a
/// bucket policy resource of its own (`<address>.policy`), as in CloudFormation.
pub(super) fn inline_policy(
    tf: &Tf<'_>,
    _: &Context<'_>,
    props: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
    let mut lifted = vec![Lifted {
        kind: Cow::Borrowed(&mapping.kinds[0]),
        properties: props.into_value(tf.span()),
        suffix: None,
    }];
    if let Some(policy) = tf.attr("policy").filter(|_| tf.configured("policy")) {
        let bucket = Value::new(
            policy.span,
            ValueKind::Ref(Box::new(ResourceRef {
                target: tf.resource.address.clone(),
                attribute: None,
            })),
        );
        lifted.push(Lifted {
            kind: Cow::Borrowed("AWS::S3::BucketPolicy"),
            properties: Props::new()
                .set("Bucket", Some(bucket))
                .copy("PolicyDocument", Some(policy))
                .into_value(policy.span),
            suffix: Some(".policy"),
        });
    }
    Adapted::Resources(lifted)
}

/// `aws_s3_bucket_acl` without a canned `acl`: the canned ACL its grants to
/// everyone or to any authenticated AWS user amount to.
pub(super) fn acl_grants(
    tf: &Tf<'_>,
    _: &Context<'_>,
    mut props: Props,
    mapping: &'static TypeMapping,
) -> Adapted {
    if props.0.is_empty()
        && let Some(access) = grants_acl(tf)
    {
        props = props.set("AccessControl", Some(access));
    }
    super::mapping::finish(tf, props, mapping)
}

/// Grants to everyone or to any authenticated AWS user, as a canned ACL.
fn grants_acl(tf: &Tf<'_>) -> Option<Value> {
    let policy = tf.blocks("access_control_policy");
    let mut read = None;
    let mut write = false;
    for grant in policy.iter().flat_map(|p| blocks(p, "grant")) {
        let permission = attr(grant, "permission").and_then(Value::as_str).unwrap_or("");
        for grantee in blocks(grant, "grantee") {
            let uri = attr(grantee, "uri").and_then(Value::as_str).unwrap_or("");
            let everyone = uri.ends_with("/global/AllUsers");
            if everyone || uri.ends_with("/global/AuthenticatedUsers") {
                read = Some((grantee.span, everyone));
                write |= everyone && matches!(permission, "WRITE" | "FULL_CONTROL");
            }
        }
    }
    let (span, everyone) = read?;
    let canned = match (everyone, write) {
        (true, true) => "PublicReadWrite",
        (true, false) => "PublicRead",
        (false, _) => "AuthenticatedRead",
    };
    Some(text(span, canned))
}
