//! Data stores whose checks read encryption and exposure: EFS, Neptune,
//! DocumentDB, DAX and DMS replication instances.

use super::build::{Props, Tf, attr, defaulted, prop};
use super::{Adapted, Context};
use crate::graph::{Value, ValueKind};

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
            .copy("StorageEncrypted", tf.attr("storage_encrypted"))
            .copy("KmsKeyId", tf.attr("kms_key_arn")),
    )
}

/// `aws_docdb_cluster`.
pub(super) fn docdb_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    tf.lift(
        "AWS::DocDB::DBCluster",
        Props::new()
            .copy("StorageEncrypted", tf.attr("storage_encrypted"))
            .copy("KmsKeyId", tf.attr("kms_key_id")),
    )
}

/// `aws_dax_cluster`: the `server_side_encryption` block becomes `SSESpecification`.
pub(super) fn dax_cluster(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    let sse = tf.blocks("server_side_encryption").first().map(|block| {
        let mut props = Vec::new();
        if let Some(enabled) = attr(block, "enabled") {
            props.push(prop("SSEEnabled", enabled.clone()));
        }
        Value::new(block.span, ValueKind::Map(props))
    });
    tf.lift("AWS::DAX::Cluster", Props::new().set("SSESpecification", sse))
}

/// `aws_dms_replication_instance`: `publicly_accessible` is optional and
/// computed; unset, the API makes the instance public.
pub(super) fn dms_replication_instance(tf: &Tf<'_>, _: &Context<'_>) -> Adapted {
    // A plan marks the unset attribute unknown (computed); it is the API default.
    let public = if tf.configured("publicly_accessible") {
        tf.attr("publicly_accessible").cloned()
    } else {
        Some(defaulted(tf.span(), ValueKind::Bool(true)))
    };
    tf.lift(
        "AWS::DMS::ReplicationInstance",
        Props::new().set("PubliclyAccessible", public),
    )
}
