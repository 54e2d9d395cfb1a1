//! Which checks read each AWS Terraform type, as the catalog says
//! (`readers.tsv`, generated from `../shared/spec/catalog.json` by
//! `tests/terraform_readers.rs`). A resource whose type no adapter lifts never
//! reaches those checks: the scan says so instead of passing it over in silence.

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

/// The checks that read resources of `tf_type`.
pub fn checks_reading(tf_type: &str) -> &'static [&'static str] {
    READERS.get(tf_type).map_or(&[], Vec::as_slice)
}

/// The AWS resources (never data sources) no adapter lifts although checks
/// for which `runs` holds read them: each resource's index in `resources`
/// and those checks.
pub fn unlifted(resources: &[TfResource], runs: impl Fn(&str) -> bool) -> Vec<(usize, Vec<String>)> {
    resources
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.data && r.tf_type.starts_with("aws_") && !adapters::lifts(&r.tf_type))
        .filter_map(|(i, r)| {
            let checks: Vec<String> = checks_reading(&r.tf_type)
                .iter()
                .filter(|id| runs(id))
                .map(|id| (*id).to_string())
                .collect();
            (!checks.is_empty()).then_some((i, checks))
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
    fn only_unlifted_aws_resources_read_by_a_running_check_count() {
        // Any type of the table no adapter lifts (yet).
        let mut unread: Vec<&str> = READERS.keys().copied().filter(|t| !adapters::lifts(t)).collect();
        unread.sort_unstable();
        let tf_type = unread[0];
        let reader = checks_reading(tf_type)[0];
        assert!(adapters::lifts("aws_s3_bucket") && !checks_reading("aws_s3_bucket").is_empty());
        let resources = vec![
            resource(tf_type, false),
            resource(tf_type, true),
            resource("aws_s3_bucket", false),
            resource("aws_not_in_the_catalog", false),
            resource("google_storage_bucket", false),
        ];
        let all = unlifted(&resources, |_| true);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].0, 0);
        assert_eq!(all[0].1.len(), checks_reading(tf_type).len());
        let only = unlifted(&resources, |id| id == reader);
        assert_eq!(only[0].1, vec![reader.to_string()]);
        assert!(unlifted(&resources, |_| false).is_empty());
    }
}
