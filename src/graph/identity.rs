//! Whether a value designates a given resource: by reference, or by the
//! resource's name, ARN or domain name written as text (BUCKET-RESOLVE and
//! its kin in `catalog.md` section 4).

use super::{Graph, Origin, Part, Resource, ResourceId, Unknowable, Value, ValueKind};

/// The answer to "does this value designate that resource?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Designates {
    Yes,
    No,
    /// Cannot be told before deploy, with the reason.
    Unknown(Unknowable),
}

/// Whether `value` designates `target`. Conditional values must be resolved by
/// the caller first.
pub fn designates(graph: &Graph, value: &Value, target: ResourceId) -> Designates {
    let resource = graph.resource(target);
    // A parameter's value designates its declaration (and no other).
    if resource.kind == super::PARAMETER
        && let Origin::Parameter(name) = &value.origin
    {
        return if parameter_item(graph, name) == Some(target) {
            Designates::Yes
        } else {
            Designates::No
        };
    }
    // A value read from a declared resource's attribute names that resource:
    // the reference decides before any comparison of text.
    if let Origin::Attribute(source) = &value.origin
        && let Some(source_id) = graph.find(&source.target)
        && graph.resource(source_id).kind == resource.kind
    {
        return if source_id == target {
            Designates::Yes
        } else {
            Designates::No
        };
    }
    match &value.kind {
        ValueKind::Ref(r) => {
            if r.target == resource.id {
                Designates::Yes
            } else {
                Designates::No
            }
        }
        ValueKind::String(text) => {
            if names_of(resource).iter().any(|form| wildcard_eq(form, text)) {
                Designates::Yes
            } else {
                Designates::No
            }
        }
        ValueKind::Interp(parts) => {
            if parts
                .iter()
                .any(|p| matches!(p, Part::Ref(r) if r.target == resource.id))
            {
                return Designates::Yes;
            }
            if parts.iter().any(|p| matches!(p, Part::Ref(_))) {
                return Designates::No;
            }
            // Only pseudo-parameters and similar are unknown: match with wildcards.
            let pattern = interp_pattern(parts);
            if names_of(resource).iter().any(|form| wildcard_eq(&pattern, form)) {
                Designates::Yes
            } else if let Some(own) = own_name_value(resource)
                && own == value
            {
                Designates::Yes
            } else {
                Designates::Unknown(Unknowable::Unresolved {
                    value: value.describe(),
                })
            }
        }
        ValueKind::Unknown(reason) => Designates::Unknown((**reason).clone()),
        _ => Designates::No,
    }
}

/// The declaration item of parameter `name`: `Parameters.<Name>`
/// (CloudFormation) or `var.<name>` (Terraform, which names it so already).
fn parameter_item(graph: &Graph, name: &str) -> Option<ResourceId> {
    graph
        .find(&format!("Parameters.{name}"))
        .or_else(|| graph.find(name))
}

/// The resources of `kind` that `value` designates; `Err` when that cannot be
/// told before deploy.
pub fn resolve(graph: &Graph, value: &Value, kind: &str) -> Result<Vec<ResourceId>, Unknowable> {
    let mut found = Vec::new();
    let mut unknown = None;
    // References and literal names are looked up; only patterns need a scan.
    let candidates: Vec<ResourceId> = match &value.kind {
        // A parameter's value designates its declaration.
        _ if kind == super::PARAMETER
            && let Origin::Parameter(name) = &value.origin =>
        {
            parameter_item(graph, name).into_iter().collect()
        }
        _ if let Origin::Attribute(source) = &value.origin
            && let Some(id) = graph.find(&source.target) =>
        {
            vec![id]
        }
        ValueKind::Ref(r) => graph.find(&r.target).into_iter().collect(),
        ValueKind::String(text) => {
            let mut ids: Vec<ResourceId> = name_keys(text)
                .into_iter()
                .flat_map(|k| graph.named(k).iter().copied())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        }
        _ => graph.of_kind(kind).to_vec(),
    };
    for id in candidates
        .into_iter()
        .filter(|&id| graph.resource(id).kind == kind)
    {
        match designates(graph, value, id) {
            Designates::Yes => found.push(id),
            Designates::No => {}
            Designates::Unknown(reason) => unknown = Some(reason),
        }
    }
    match (found.is_empty(), unknown) {
        (true, Some(reason)) => Err(reason),
        (true, None) => match &value.kind {
            ValueKind::Unknown(reason) => Err((**reason).clone()),
            _ => Err(Unknowable::ExternalResource {
                value: value.describe(),
                kind: kind.to_string(),
            }),
        },
        _ => Ok(found),
    }
}

/// How resources of one type are named: the property holding the physical
/// name, and the other texts (ARNs, domain names) that name the resource,
/// `{name}` standing for that name and `*` for a part that varies
/// (partition, region, account).
struct Naming {
    kind: &'static str,
    property: &'static str,
    forms: &'static [&'static str],
}

const fn naming(kind: &'static str, property: &'static str, forms: &'static [&'static str]) -> Naming {
    Naming {
        kind,
        property,
        forms,
    }
}

/// The types whose resources are named by text, and how.
const NAMING: &[Naming] = &[
    naming(
        "AWS::S3::Bucket",
        "BucketName",
        &[
            "arn:*:s3:::{name}",
            "{name}.s3.amazonaws.com",
            "{name}.s3.*.amazonaws.com",
            "{name}.s3-*.amazonaws.com",
        ],
    ),
    naming("AWS::IAM::Role", "RoleName", &["arn:*:iam::*:role/{name}"]),
    naming("AWS::IAM::User", "UserName", &["arn:*:iam::*:user/{name}"]),
    naming("AWS::IAM::Group", "GroupName", &[]),
    naming(
        "AWS::IAM::ManagedPolicy",
        "ManagedPolicyName",
        &["arn:*:iam::*:policy/{name}"],
    ),
    naming(
        "AWS::Logs::LogGroup",
        "LogGroupName",
        &[
            "arn:*:logs:*:*:log-group:{name}",
            "arn:*:logs:*:*:log-group:{name}:*",
        ],
    ),
    naming("AWS::SNS::Topic", "TopicName", &["arn:*:sns:*:*:{name}"]),
    naming("AWS::SQS::Queue", "QueueName", &[]),
    naming("AWS::KMS::Alias", "AliasName", &[]),
    naming("AWS::RDS::DBSubnetGroup", "DBSubnetGroupName", &[]),
    naming("AWS::RDS::DBCluster", "DBClusterIdentifier", &[]),
    naming("AWS::RDS::DBInstance", "DBInstanceIdentifier", &[]),
    naming("AWS::RDS::GlobalCluster", "GlobalClusterIdentifier", &[]),
    naming("AWS::DocDB::GlobalCluster", "GlobalClusterIdentifier", &[]),
    naming("AWS::EC2::SecurityGroup", "GroupName", &[]),
    naming("AWS::OpenSearchService::Domain", "DomainName", &[]),
    naming("AWS::Elasticsearch::Domain", "DomainName", &[]),
    naming("AWS::Glacier::Vault", "VaultName", &[]),
    naming("AWS::Backup::BackupVault", "BackupVaultName", &[]),
    naming("AWS::ECR::Repository", "RepositoryName", &[]),
];

fn naming_of(kind: &str) -> Option<&'static Naming> {
    NAMING.iter().find(|n| n.kind == kind)
}

/// The property holding a resource's physical name, for types that have one.
fn name_property(kind: &str) -> Option<&'static str> {
    naming_of(kind).map(|n| n.property)
}

fn own_name_value(resource: &Resource) -> Option<&Value> {
    resource.properties.get(name_property(&resource.kind)?)
}

/// The bare physical names a resource is known under (its name property when
/// literal, and names known from state), for the name index.
pub(crate) fn names(resource: &Resource) -> Vec<String> {
    let mut names = resource.known_names.clone();
    if let Some(ValueKind::String(name)) = own_name_value(resource).map(|v| &v.kind) {
        names.push(name.clone());
    }
    names
}

/// The bare names a text may designate a resource by: the text itself, the
/// resource part of an ARN, the bucket of an S3 ARN or domain name, a log
/// group of a logs ARN. Candidates only: `designates` decides.
pub(crate) fn name_keys(text: &str) -> Vec<&str> {
    let mut keys = vec![text];
    if let Some((_, rest)) = text.split_once(":::") {
        keys.push(rest.split('/').next().unwrap_or(rest));
    }
    if let Some((_, rest)) = text.split_once(":log-group:") {
        keys.push(rest.split(':').next().unwrap_or(rest));
    }
    if let Some(i) = text.rfind(':') {
        keys.push(&text[i + 1..]);
    }
    if let Some(i) = text.rfind('/') {
        keys.push(&text[i + 1..]);
    }
    for marker in [".s3.", ".s3-"] {
        if let Some(i) = text.find(marker) {
            keys.push(&text[..i]);
        }
    }
    keys.retain(|k| !k.is_empty() && *k != "*");
    keys
}

/// Every textual form under which the resource can be named (with `*` for
/// the parts, like region or partition, that vary).
fn names_of(resource: &Resource) -> Vec<String> {
    let mut forms = resource.known_names.clone();
    let Some(name) = own_name_value(resource).and_then(|v| match &v.kind {
        ValueKind::String(s) => Some(s.clone()),
        ValueKind::Interp(parts) => Some(interp_pattern(parts)),
        _ => None,
    }) else {
        return forms;
    };
    forms.push(name.clone());
    if let Some(naming) = naming_of(&resource.kind) {
        forms.extend(naming.forms.iter().map(|form| form.replace("{name}", &name)));
    }
    forms
}

/// An interpolated string as a pattern: unknown parts become `*`.
pub(crate) fn interp_pattern(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Lit(s) => s.as_str(),
            Part::Ref(_) | Part::Unknown(_) => "*",
        })
        .collect()
}

/// Equality where `*` in either side matches any run of characters.
fn wildcard_eq(a: &str, b: &str) -> bool {
    if !a.contains('*') && !b.contains('*') {
        return a == b;
    }
    if !b.contains('*') {
        return wildcard_match(a, b);
    }
    if !a.contains('*') {
        return wildcard_match(b, a);
    }
    // Both have wildcards: compare the literal prefixes and suffixes.
    let prefix = |s: &str| s.split('*').next().unwrap_or("").to_string();
    let suffix = |s: &str| s.rsplit('*').next().unwrap_or("").to_string();
    let (pa, pb, sa, sb) = (prefix(a), prefix(b), suffix(a), suffix(b));
    (pa.starts_with(&pb) || pb.starts_with(&pa)) && (sa.ends_with(&sb) || sb.ends_with(&sa))
}

/// Glob match of `text` against `pattern` with `*` only.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    glob_match(pattern.as_bytes(), text.as_bytes(), |p, t| p == t)
}

/// Glob matching in O(pattern × text) steps, without recursion: a `*` of
/// `pattern` matches any run of `text`, any other byte `p` of `pattern`
/// matches a byte `t` of `text` when `one(p, t)`. Only the last `*` seen is
/// ever returned to, so no input makes it backtrack exponentially.
pub fn glob_match(pattern: &[u8], text: &[u8], one: impl Fn(u8, u8) -> bool) -> bool {
    let (p, t) = (pattern, text);
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            pi += 1;
            mark = ti;
        } else if pi < p.len() && one(p[pi], t[ti]) {
            pi += 1;
            ti += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Deployment, ResourceRef};
    use crate::parse::Span;

    fn string(s: &str) -> Value {
        Value::new(Span::default(), ValueKind::String(s.into()))
    }

    fn graph_with_bucket(name: Option<&str>) -> Graph {
        let mut props = Vec::new();
        if let Some(n) = name {
            props.push(crate::graph::Prop {
                key: "BucketName".into(),
                key_span: Span::default(),
                value: string(n),
            });
        }
        let mut g = Graph::default();
        g.add(Resource {
            id: "Logs".into(),
            kind: "AWS::S3::Bucket".into(),
            span: Span::default(),
            properties: Value::new(Span::default(), ValueKind::Map(props)),
            deployment: Deployment::Always,
            metadata: None,
            source_kind: None,
            known_names: Vec::new(),
            written: None,
            joined: Vec::new(),
            generated_from: None,
            mapping: None,
        });
        g
    }

    #[test]
    fn buckets_resolve_by_ref_name_arn_and_domain() {
        let g = graph_with_bucket(Some("trail-logs"));
        let by_ref = Value::new(
            Span::default(),
            ValueKind::Ref(Box::new(ResourceRef {
                target: "Logs".into(),
                attribute: None,
            })),
        );
        assert_eq!(designates(&g, &by_ref, 0), Designates::Yes);
        assert_eq!(designates(&g, &string("trail-logs"), 0), Designates::Yes);
        assert_eq!(
            designates(&g, &string("arn:aws:s3:::trail-logs"), 0),
            Designates::Yes
        );
        assert_eq!(
            designates(&g, &string("trail-logs.s3.eu-west-1.amazonaws.com"), 0),
            Designates::Yes
        );
        assert_eq!(designates(&g, &string("other"), 0), Designates::No);
        assert!(resolve(&g, &string("other"), "AWS::S3::Bucket").is_err());
    }

    #[test]
    fn every_named_type_is_named_once_and_its_forms_hold_the_name() {
        for (i, naming) in NAMING.iter().enumerate() {
            assert!(
                NAMING[..i].iter().all(|other| other.kind != naming.kind),
                "{} is named twice",
                naming.kind
            );
            assert!(
                naming.forms.iter().all(|f| f.contains("{name}")),
                "{}",
                naming.kind
            );
        }
    }

    #[test]
    fn wildcards_match() {
        assert!(wildcard_match("arn:*:s3:::b", "arn:aws-cn:s3:::b"));
        assert!(!wildcard_match("arn:*:s3:::b", "arn:aws:s3:::c"));
    }
}
