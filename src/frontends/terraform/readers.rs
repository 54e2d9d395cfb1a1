//! Terraform resources no check sees. `readers.tsv` says which checks read
//! each AWS Terraform type, as the catalog does (generated from
//! `../shared/spec/catalog.json` by `tests/terraform_readers.rs`). A resource
//! whose type no adapter lifts never reaches them: when one of those checks
//! runs and reads the type's CloudFormation counterpart, the scan says so
//! instead of passing the resource over in silence.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::{TfResource, adapters};

/// Terraform type -> the ids of the checks that read it.
static READERS: LazyLock<HashMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
    include_str!("readers.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .map(|(tf_type, checks)| (tf_type, checks.split_whitespace().collect()))
        .collect()
});

/// The checks the catalog says read resources of `tf_type`.
pub fn checks_reading(tf_type: &str) -> &'static [&'static str] {
    READERS.get(tf_type).map_or(&[], Vec::as_slice)
}

/// Whether `cfn_type` is the CloudFormation counterpart of `tf_type`, by the
/// AWS provider's naming: the type's name follows all or the start of its
/// service, and may be followed by what a split resource configures
/// (`aws_api_gateway_rest_api` and `AWS::ApiGateway::RestApi`,
/// `aws_vpn_connection` and `AWS::EC2::VPNConnection`,
/// `aws_opensearch_domain_policy` and `AWS::OpenSearchService::Domain`).
/// The length of the match, to prefer the closest counterpart.
pub fn counterpart(tf_type: &str, cfn_type: &str) -> Option<usize> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let tf = squash(tf_type.strip_prefix("aws_")?);
    let mut parts = cfn_type.strip_prefix("AWS::")?.split("::");
    let (service, name) = (squash(parts.next()?), squash(parts.next()?));
    (0..=service.len())
        .filter(|&k| service.is_char_boundary(k) && tf.starts_with(&service[..k]))
        .filter(|&k| tf[k..].starts_with(&name))
        .map(|k| k + name.len())
        .max()
}

/// An AWS resource (never a data source) no adapter lifts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlifted {
    /// Its index in the resources given.
    pub index: usize,
    /// The CloudFormation type the checks read in its stead.
    pub counterpart: String,
    /// The checks of the run that would have read it.
    pub checks: Vec<String>,
}

/// The resources no adapter lifts although a check of the run reads them:
/// `types_read` gives the CloudFormation types a check of the run reads
/// (`None` for a check not run).
pub fn unlifted<'r>(
    resources: &[TfResource],
    types_read: impl Fn(&str) -> Option<&'r [String]>,
) -> Vec<Unlifted> {
    resources
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.data && r.tf_type.starts_with("aws_") && !adapters::lifts(&r.tf_type))
        .filter_map(|(index, r)| {
            // Each running reader with the counterpart it reads, closest match first.
            let mut readers: Vec<(usize, &str, &str)> = checks_reading(&r.tf_type)
                .iter()
                .filter_map(|id| {
                    types_read(id)?
                        .iter()
                        .filter_map(|t| Some((counterpart(&r.tf_type, t)?, t.as_str(), *id)))
                        .max()
                })
                .collect();
            readers.sort_unstable_by(|a, b| b.cmp(a));
            let (_, counterpart, _) = *readers.first()?;
            let mut checks: Vec<String> = readers
                .iter()
                .filter(|(_, t, _)| *t == counterpart)
                .map(|(_, _, id)| (*id).to_string())
                .collect();
            checks.sort_unstable();
            Some(Unlifted {
                index,
                counterpart: counterpart.to_string(),
                checks,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Value, ValueKind};
    use crate::parse::Span;

    fn resource(tf_type: &str, data: bool) -> TfResource {
        TfResource {
            address: format!("{tf_type}.x"),
            data,
            tf_type: tf_type.to_string(),
            values: Value::new(Span::default(), ValueKind::Map(Vec::new())),
            span: Span::default(),
            configured: None,
        }
    }

    #[test]
    fn counterparts_follow_the_providers_naming() {
        let pairs = [
            ("aws_api_gateway_rest_api", "AWS::ApiGateway::RestApi"),
            ("aws_vpn_connection", "AWS::EC2::VPNConnection"),
            ("aws_opensearch_domain_policy", "AWS::OpenSearchService::Domain"),
            ("aws_secretsmanager_secret_version", "AWS::SecretsManager::Secret"),
            ("aws_dms_endpoint", "AWS::DMS::Endpoint"),
        ];
        for (tf_type, cfn_type) in pairs {
            assert!(counterpart(tf_type, cfn_type).is_some(), "{tf_type} {cfn_type}");
        }
        // Read beside an instance, not in its stead.
        assert_eq!(
            counterpart("aws_iam_instance_profile", "AWS::EC2::Instance"),
            None
        );
        assert_eq!(
            counterpart("aws_iam_user_group_membership", "AWS::IAM::Group"),
            None
        );
        assert!(counterpart("aws_iam_user_group_membership", "AWS::IAM::User").is_some());
        assert_eq!(counterpart("google_storage_bucket", "AWS::S3::Bucket"), None);
        assert_eq!(counterpart("aws_route_table", "*"), None);
        // The closest of two candidates wins.
        assert!(
            counterpart("aws_route_table_association", "AWS::EC2::RouteTable")
                > counterpart("aws_route_table_association", "AWS::EC2::Route")
        );
    }

    #[test]
    fn only_unlifted_aws_resources_a_running_check_reads_count() {
        let registry = crate::checks::Registry::builtin().unwrap();
        let types_read = |id: &str| registry.get(id).map(|c| c.resource_types.as_slice());
        // A type of the table no adapter lifts (yet) whose counterpart a built-in check reads.
        let mut types: Vec<&str> = READERS.keys().copied().filter(|t| !adapters::lifts(t)).collect();
        types.sort_unstable();
        let (tf_type, expected) = types
            .into_iter()
            .find_map(|t| Some((t, unlifted(&[resource(t, false)], types_read).pop()?)))
            .expect("a type no adapter lifts");
        for id in &expected.checks {
            let check = registry.get(id).unwrap();
            assert!(check.resource_types.contains(&expected.counterpart), "{id}");
            assert!(checks_reading(tf_type).contains(&id.as_str()), "{id}");
        }
        assert!(counterpart(tf_type, &expected.counterpart).is_some());
        let resources = vec![
            resource("aws_s3_bucket", false),
            resource(tf_type, true),
            resource("google_storage_bucket", false),
            resource(tf_type, false),
        ];
        let found = unlifted(&resources, types_read);
        assert_eq!(found, vec![Unlifted { index: 3, ..expected }]);
        // Checks that do not run, or that read every type, miss nothing here.
        assert!(unlifted(&resources, |_| None).is_empty());
        let everything = vec!["*".to_string()];
        assert!(unlifted(&resources, |_| Some(everything.as_slice())).is_empty());
    }
}
