//! RDS instances and clusters.

use super::build::{Props, Tf};
use super::{Adapted, Context};
use crate::graph::ValueKind;

/// What a cluster (RDS, DocumentDB, Neptune) can take its encryption from:
/// a snapshot it is restored from, a cluster it replicates, its global cluster.
pub(super) const CLUSTER_SOURCES: &[&str] = &[
    "snapshot_identifier",
    "replication_source_identifier",
    "global_cluster_identifier",
];

/// `aws_db_instance`. Terraform's `publicly_accessible` defaults to false.
/// A replica or a restore inherits encryption unless `storage_encrypted` is written.
pub(super) fn db_instance(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let encrypted = tf.unless_inherited(
        "storage_encrypted",
        &["replicate_source_db", "snapshot_identifier"],
    );
    tf.lift(
        "AWS::RDS::DBInstance",
        Props::new()
            .copy("DBInstanceIdentifier", tf.attr("identifier"))
            .copy("Engine", tf.attr("engine"))
            .copy("DBInstanceClass", tf.attr("instance_class"))
            .or_default(
                "PubliclyAccessible",
                tf.attr("publicly_accessible"),
                ValueKind::Bool(false),
                tf.span(),
            )
            .copy("StorageEncrypted", encrypted)
            .copy("KmsKeyId", tf.attr("kms_key_id"))
            .copy("DBSubnetGroupName", tf.attr("db_subnet_group_name"))
            .copy("MasterUserPassword", tf.attr("password"))
            .copy("VPCSecurityGroups", tf.attr("vpc_security_group_ids"))
            .copy("SourceDBInstanceIdentifier", tf.attr("replicate_source_db"))
            .copy("DBSnapshotIdentifier", tf.attr("snapshot_identifier")),
    )
}

/// `aws_rds_cluster_instance`: encryption is the cluster's.
pub(super) fn cluster_instance(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::RDS::DBInstance",
        Props::new()
            .copy("Engine", tf.attr("engine"))
            .copy("DBInstanceClass", tf.attr("instance_class"))
            .copy("DBClusterIdentifier", tf.attr("cluster_identifier"))
            .or_default(
                "PubliclyAccessible",
                tf.attr("publicly_accessible"),
                ValueKind::Bool(false),
                tf.span(),
            ),
    )
}

/// `aws_rds_cluster`. A restore inherits encryption unless `storage_encrypted` is written.
pub(super) fn cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let encrypted = tf.unless_inherited("storage_encrypted", CLUSTER_SOURCES);
    tf.lift(
        "AWS::RDS::DBCluster",
        Props::new()
            .copy("Engine", tf.attr("engine"))
            .copy("EngineMode", tf.attr("engine_mode"))
            .copy("StorageEncrypted", encrypted)
            .copy("KmsKeyId", tf.attr("kms_key_id"))
            .copy("DBSubnetGroupName", tf.attr("db_subnet_group_name"))
            .copy("MasterUserPassword", tf.attr("master_password"))
            .copy("VpcSecurityGroupIds", tf.attr("vpc_security_group_ids"))
            .copy("SnapshotIdentifier", tf.attr("snapshot_identifier"))
            .copy("GlobalClusterIdentifier", tf.attr("global_cluster_identifier"))
            .copy(
                "SourceDBClusterIdentifier",
                tf.attr("replication_source_identifier"),
            ),
    )
}

/// `aws_rds_global_cluster` / `aws_docdb_global_cluster`: members inherit its encryption.
pub(super) fn global_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let kind = if tf.resource.tf_type == "aws_docdb_global_cluster" {
        "AWS::DocDB::GlobalCluster"
    } else {
        "AWS::RDS::GlobalCluster"
    };
    tf.lift(
        kind,
        tf.props(&[
            ("global_cluster_identifier", "GlobalClusterIdentifier"),
            ("engine", "Engine"),
            ("storage_encrypted", "StorageEncrypted"),
            ("source_db_cluster_identifier", "SourceDBClusterIdentifier"),
        ]),
    )
}
