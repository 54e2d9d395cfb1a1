//! IAM: policies (JSON strings, `jsonencode`, or `aws_iam_policy_document`
//! data sources), roles, users, groups, and their attachments.

use super::build::{Props, Tf, attr};
use super::{Adapted, Context};
use crate::frontends::terraform::policy_document;
use crate::graph::{Value, ValueKind};

/// The policy document of attribute `key`: the JSON string as written, or —
/// when it is the `json` of an `aws_iam_policy_document` data source — that
/// document (its rendered JSON when known, else its statement blocks).
pub(super) fn document(tf: &Tf<'_>, key: &str, context: &Context<'_>) -> Option<Value> {
    tf.attr(key).map(|value| document_of(value, context))
}

/// A policy document value, with a reference to the `json` of an
/// `aws_iam_policy_document` data source replaced by that document. A plan
/// whose read of the data source waits for apply (it names a resource not
/// created yet) leaves `json` unknown: the document is rendered from the
/// statement blocks the plan holds, as the `.tf` evaluator renders them.
pub(super) fn document_of(value: &Value, context: &Context<'_>) -> Value {
    let ValueKind::Ref(r) = &value.kind else {
        return value.clone();
    };
    // Any other reference (a plan's policy computed from an attribute known
    // after apply) stays what it is: the checks say it is unknown. A plan's
    // reference to `data.x.y[key].json` names the instance only.
    let Some(source) = context
        .resource(&r.target)
        .filter(|d| d.data && d.tf_type == "aws_iam_policy_document")
        .filter(|_| matches!(r.attribute.as_deref(), None | Some("json" | "minified_json")))
    else {
        return value.clone();
    };
    if let Some(json) = attr(&source.values, "json").filter(|j| j.as_str().is_some()) {
        return json.clone();
    }
    policy_document::render(&source.values)
}

/// `aws_iam_policy` -> `AWS::IAM::ManagedPolicy`.
pub(super) fn policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::IAM::ManagedPolicy",
        Props::new()
            .copy("ManagedPolicyName", tf.attr("name"))
            .set("PolicyDocument", document(tf, "policy", context)),
    )
}

/// `aws_iam_role` with its inline policies.
pub(super) fn role(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    let inline: Vec<Value> = tf
        .blocks("inline_policy")
        .into_iter()
        .filter(|p| attr(p, "policy").is_some())
        .map(|p| {
            Props::new()
                .copy("PolicyName", attr(p, "name"))
                .set(
                    "PolicyDocument",
                    attr(p, "policy").map(|d| document_of(d, context)),
                )
                .into_value(p.span)
        })
        .collect();
    tf.lift(
        "AWS::IAM::Role",
        Props::new()
            .copy("RoleName", tf.attr("name"))
            .set(
                "AssumeRolePolicyDocument",
                document(tf, "assume_role_policy", context),
            )
            .copy("PermissionsBoundary", tf.attr("permissions_boundary"))
            .copy("ManagedPolicyArns", tf.attr("managed_policy_arns"))
            .list("Policies", inline, tf.span_of("inline_policy")),
    )
}

/// `aws_iam_openid_connect_provider` -> `AWS::IAM::OIDCProvider`: the
/// provider web-identity trust policies name (its ARN is never `"*"`).
pub(super) fn oidc_provider(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::IAM::OIDCProvider",
        Props::new()
            .copy("Url", tf.attr("url"))
            .copy("ClientIdList", tf.attr("client_id_list"))
            .copy("ThumbprintList", tf.attr("thumbprint_list")),
    )
}

/// `aws_iam_user`.
pub(super) fn user(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::IAM::User",
        Props::new()
            .copy("UserName", tf.attr("name"))
            .copy("PermissionsBoundary", tf.attr("permissions_boundary")),
    )
}

/// `aws_iam_group`.
pub(super) fn group(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift("AWS::IAM::Group", Props::new().copy("GroupName", tf.attr("name")))
}

fn inline_policy(tf: &Tf<'_>, context: &Context<'_>, kind: &'static str, owner: (&str, &str)) -> Adapted {
    tf.lift(
        kind,
        Props::new()
            .copy(owner.0, tf.attr(owner.1))
            .copy("PolicyName", tf.attr("name"))
            .set("PolicyDocument", document(tf, "policy", context)),
    )
}

/// `aws_iam_role_policy` -> `AWS::IAM::RolePolicy`.
pub(super) fn role_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    inline_policy(tf, context, "AWS::IAM::RolePolicy", ("RoleName", "role"))
}

/// `aws_iam_user_policy` -> `AWS::IAM::UserPolicy`.
pub(super) fn user_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    inline_policy(tf, context, "AWS::IAM::UserPolicy", ("UserName", "user"))
}

/// `aws_iam_group_policy` -> `AWS::IAM::GroupPolicy`.
pub(super) fn group_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    inline_policy(tf, context, "AWS::IAM::GroupPolicy", ("GroupName", "group"))
}

/// `aws_iam_policy_attachment` -> the canonical `AWS::IAM::PolicyAttachment`.
pub(super) fn policy_attachment(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::IAM::PolicyAttachment",
        Props::new()
            .copy("PolicyArn", tf.attr("policy_arn"))
            .copy("Users", tf.attr("users"))
            .copy("Roles", tf.attr("roles"))
            .copy("Groups", tf.attr("groups")),
    )
}

fn attachment(tf: &Tf<'_>, kind: &'static str, owner: (&str, &str)) -> Adapted {
    tf.lift(
        kind,
        Props::new()
            .copy(owner.0, tf.attr(owner.1))
            .copy("PolicyArn", tf.attr("policy_arn")),
    )
}

/// `aws_iam_user_policy_attachment` -> the canonical `AWS::IAM::UserPolicyAttachment`.
pub(super) fn user_policy_attachment(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    attachment(tf, "AWS::IAM::UserPolicyAttachment", ("UserName", "user"))
}

/// `aws_iam_role_policy_attachment` -> the canonical `AWS::IAM::RolePolicyAttachment`.
pub(super) fn role_policy_attachment(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    attachment(tf, "AWS::IAM::RolePolicyAttachment", ("RoleName", "role"))
}

/// `aws_iam_group_policy_attachment` -> the canonical `AWS::IAM::GroupPolicyAttachment`.
pub(super) fn group_policy_attachment(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    attachment(tf, "AWS::IAM::GroupPolicyAttachment", ("GroupName", "group"))
}

/// `aws_iam_user_policies_exclusive` -> the canonical `AWS::IAM::UserPoliciesExclusive`.
pub(super) fn user_policies_exclusive(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::IAM::UserPoliciesExclusive",
        Props::new()
            .copy("UserName", tf.attr("user_name"))
            .copy("PolicyNames", tf.attr("policy_names")),
    )
}

/// `aws_iam_user_policy_attachments_exclusive` -> the canonical
/// `AWS::IAM::UserPolicyAttachmentsExclusive`.
pub(super) fn user_policy_attachments_exclusive(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::IAM::UserPolicyAttachmentsExclusive",
        Props::new()
            .copy("UserName", tf.attr("user_name"))
            .copy("PolicyArns", tf.attr("policy_arns")),
    )
}

/// `aws_ssoadmin_permission_set_inline_policy` -> the permission set's `InlinePolicy`.
pub(super) fn permission_set_inline_policy(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::SSO::PermissionSet",
        Props::new()
            .copy("PermissionSetArn", tf.attr("permission_set_arn"))
            .copy("InlinePolicy", tf.attr("inline_policy")),
    )
}

/// `aws_iam_access_key`: a long-term key of a user.
pub(super) fn access_key(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::IAM::AccessKey",
        Props::new()
            .copy("UserName", tf.attr("user"))
            .copy("Status", tf.attr("status")),
    )
}

/// `aws_iam_user_login_profile` -> the user's `LoginProfile` (a console password).
pub(super) fn user_login_profile(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let profile = Props::new()
        .copy("PasswordResetRequired", tf.attr("password_reset_required"))
        .into_value(tf.span());
    tf.join(
        "AWS::IAM::User",
        "user",
        Props::new().set("LoginProfile", Some(profile)),
    )
}
