//! Resource-based policies of services without a dedicated check (IAM-11):
//! Secrets Manager, ECR, EFS, CloudWatch Logs, Backup — and Cognito identity
//! pools, whose guest role is judged by its policies.

use super::build::{Props, Tf};
use super::iam::document;
use super::{Adapted, Context};

/// `aws_secretsmanager_secret_policy` -> `AWS::SecretsManager::ResourcePolicy`.
pub(super) fn secret_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::SecretsManager::ResourcePolicy",
        tf.props(&[("secret_arn", "SecretId")])
            .set("ResourcePolicy", document(tf, "policy", context)),
    )
}

/// `aws_ecr_repository` -> `AWS::ECR::Repository`.
pub(super) fn ecr_repository(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift("AWS::ECR::Repository", tf.props(&[("name", "RepositoryName")]))
}

/// `aws_ecr_repository_policy` -> its repository's `RepositoryPolicyText`.
pub(super) fn ecr_repository_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.join(
        "AWS::ECR::Repository",
        "repository",
        Props::new().set("RepositoryPolicyText", document(tf, "policy", context)),
    )
}

/// `aws_efs_file_system_policy` -> its file system's `FileSystemPolicy`.
pub(super) fn efs_file_system_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.join(
        "AWS::EFS::FileSystem",
        "file_system_id",
        Props::new().set("FileSystemPolicy", document(tf, "policy", context)),
    )
}

/// `aws_cloudwatch_log_resource_policy` -> `AWS::Logs::ResourcePolicy`.
pub(super) fn log_resource_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Logs::ResourcePolicy",
        tf.props(&[("policy_name", "PolicyName")])
            .set("PolicyDocument", document(tf, "policy_document", context)),
    )
}

/// `aws_backup_vault` -> `AWS::Backup::BackupVault`.
pub(super) fn backup_vault(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Backup::BackupVault",
        tf.props(&[("name", "BackupVaultName")]),
    )
}

/// `aws_backup_vault_policy` -> its vault's `AccessPolicy`.
pub(super) fn backup_vault_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.join(
        "AWS::Backup::BackupVault",
        "backup_vault_name",
        Props::new().set("AccessPolicy", document(tf, "policy", context)),
    )
}

/// `aws_cognito_identity_pool` -> `AWS::Cognito::IdentityPool`.
pub(super) fn identity_pool(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Cognito::IdentityPool",
        tf.props(&[
            ("identity_pool_name", "IdentityPoolName"),
            (
                "allow_unauthenticated_identities",
                "AllowUnauthenticatedIdentities",
            ),
        ]),
    )
}

/// `aws_cognito_identity_pool_roles_attachment` -> `AWS::Cognito::IdentityPoolRoleAttachment`.
pub(super) fn identity_pool_roles(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Cognito::IdentityPoolRoleAttachment",
        tf.props(&[("identity_pool_id", "IdentityPoolId"), ("roles", "Roles")]),
    )
}
