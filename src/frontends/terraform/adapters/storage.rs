//! Data stores whose checks read encryption and exposure: EFS, Neptune,
//! DocumentDB, DAX, DMS replication instances, OpenSearch, ElastiCache, Redshift.

use super::build::{Props, Tf, defaulted, first_block};
use super::iam::document;
use super::rds::CLUSTER_SOURCES;
use super::{Adapted, Context};
use crate::graph::ValueKind;

/// `aws_efs_file_system`.
pub(super) fn efs_file_system(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::EFS::FileSystem",
        Props::new()
            .copy("Encrypted", tf.attr("encrypted"))
            .copy("KmsKeyId", tf.attr("kms_key_id")),
    )
}

/// `aws_neptune_cluster`.
pub(super) fn neptune_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Neptune::DBCluster",
        Props::new()
            .copy(
                "StorageEncrypted",
                tf.unless_inherited("storage_encrypted", CLUSTER_SOURCES),
            )
            .copy("KmsKeyId", tf.attr("kms_key_arn"))
            .copy("SnapshotIdentifier", tf.attr("snapshot_identifier"))
            .copy(
                "SourceDBClusterIdentifier",
                tf.attr("replication_source_identifier"),
            ),
    )
}

/// `aws_docdb_cluster`.
pub(super) fn docdb_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::DocDB::DBCluster",
        Props::new()
            .copy(
                "StorageEncrypted",
                tf.unless_inherited("storage_encrypted", CLUSTER_SOURCES),
            )
            .copy("SnapshotIdentifier", tf.attr("snapshot_identifier"))
            .copy("GlobalClusterIdentifier", tf.attr("global_cluster_identifier"))
            .copy("KmsKeyId", tf.attr("kms_key_id"))
            .copy("MasterUserPassword", tf.attr("master_password")),
    )
}

/// `aws_dax_cluster`: the `server_side_encryption` block becomes `SSESpecification`.
pub(super) fn dax_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let sse = first_block(
        &tf.resource.values,
        "server_side_encryption",
        &[("enabled", "SSEEnabled")],
    );
    tf.lift("AWS::DAX::Cluster", Props::new().set("SSESpecification", sse))
}

/// `aws_dms_replication_instance`: `publicly_accessible` is optional and
/// computed, and unset the AWS provider sends `false` (it passes the zero
/// value, so the API's public default never applies to Terraform).
pub(super) fn dms_replication_instance(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    // A plan marks the unset attribute unknown (computed); it is the provider's false.
    let public = if tf.configured("publicly_accessible") {
        tf.attr("publicly_accessible").cloned()
    } else {
        Some(defaulted(tf.span(), ValueKind::Bool(false)))
    };
    tf.lift(
        "AWS::DMS::ReplicationInstance",
        Props::new().set("PubliclyAccessible", public),
    )
}

/// `aws_opensearch_domain` and `aws_elasticsearch_domain`.
pub(super) fn opensearch_domain(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    let kind = if tf.resource.tf_type == "aws_elasticsearch_domain" {
        "AWS::Elasticsearch::Domain"
    } else {
        "AWS::OpenSearchService::Domain"
    };
    let values = &tf.resource.values;
    tf.lift(
        kind,
        Props::new()
            .copy("DomainName", tf.attr("domain_name"))
            .set(
                "EncryptionAtRestOptions",
                first_block(
                    values,
                    "encrypt_at_rest",
                    &[("enabled", "Enabled"), ("kms_key_id", "KmsKeyId")],
                ),
            )
            .set(
                "VPCOptions",
                first_block(
                    values,
                    "vpc_options",
                    &[
                        ("subnet_ids", "SubnetIds"),
                        ("security_group_ids", "SecurityGroupIds"),
                    ],
                ),
            )
            .set("AccessPolicies", document(tf, "access_policies", context))
            .set(
                "AdvancedSecurityOptions",
                first_block(values, "advanced_security_options", &[("enabled", "Enabled")]),
            )
            .set(
                "DomainEndpointOptions",
                first_block(
                    values,
                    "domain_endpoint_options",
                    &[
                        ("enforce_https", "EnforceHTTPS"),
                        ("tls_security_policy", "TLSSecurityPolicy"),
                    ],
                ),
            )
            .set(
                "NodeToNodeEncryptionOptions",
                first_block(values, "node_to_node_encryption", &[("enabled", "Enabled")]),
            ),
    )
}

/// `aws_opensearch_domain_policy` / `aws_elasticsearch_domain_policy` -> their
/// domain's `AccessPolicies` (CloudFormation has only the inline property).
pub(super) fn opensearch_domain_policy(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    let into = if tf.resource.tf_type == "aws_elasticsearch_domain_policy" {
        "AWS::Elasticsearch::Domain"
    } else {
        "AWS::OpenSearchService::Domain"
    };
    tf.join(
        into,
        "domain_name",
        Props::new().set("AccessPolicies", document(tf, "access_policies", context)),
    )
}

/// `aws_glacier_vault` -> the canonical `AWS::Glacier::Vault` (CloudFormation
/// has no Glacier vault type).
pub(super) fn glacier_vault(tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Glacier::Vault",
        tf.props(&[("name", "VaultName")])
            .set("AccessPolicy", document(tf, "access_policy", context)),
    )
}

/// `aws_elasticache_replication_group`.
pub(super) fn elasticache_replication_group(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::ElastiCache::ReplicationGroup",
        Props::new()
            .copy("Engine", tf.attr("engine"))
            .copy("AtRestEncryptionEnabled", tf.attr("at_rest_encryption_enabled"))
            .copy("TransitEncryptionEnabled", tf.attr("transit_encryption_enabled"))
            .copy("AuthToken", tf.attr("auth_token"))
            .copy("UserGroupIds", tf.attr("user_group_ids")),
    )
}

/// `aws_elasticache_cluster`: a member of a replication group
/// (`replication_group_id`) is configured through the group.
pub(super) fn elasticache_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::ElastiCache::CacheCluster",
        Props::new()
            .copy("Engine", tf.attr("engine"))
            .copy("TransitEncryptionEnabled", tf.attr("transit_encryption_enabled"))
            .copy("ReplicationGroupId", tf.attr("replication_group_id")),
    )
}

/// `aws_redshift_cluster`.
pub(super) fn redshift_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::Redshift::Cluster",
        Props::new()
            .copy("Encrypted", tf.attr("encrypted"))
            .copy("KmsKeyId", tf.attr("kms_key_id"))
            .copy("PubliclyAccessible", tf.attr("publicly_accessible"))
            .copy("ClusterSubnetGroupName", tf.attr("cluster_subnet_group_name"))
            .copy("MasterUserPassword", tf.attr("master_password")),
    )
}
