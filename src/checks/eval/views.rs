//! Normalized views shared by many checks (`catalog.md` section 4), built on
//! demand into the evaluation's arena:
//! - SG-RULES: `ingress_rules()` / `egress_rules()`,
//! - POLICY-NORM: `statements(...)`,
//! - IDENTITY-DOCS: `identity_policies()`.

use std::borrow::Cow;

use super::{Ctx, Found, Item};
use crate::graph::identity::{self, Designates};
use crate::graph::{Graph, Origin, Part, Prop, ResourceId, Unknowable, Value, ValueKind};
use crate::parse::Span;

/// SG-RULES: the rules of one direction of a security group, normalized to
/// `Protocol` (`all`, `tcp`, `udp`, `icmp`, `icmpv6` or as written),
/// `FromPort` / `ToPort` (0-65535 when all ports are covered) and the source
/// or destination fields as written. For a standalone
/// `AWS::EC2::SecurityGroupIngress/Egress`, the rule itself.
pub(super) fn sg_rules<'a>(ctx: &Ctx<'a>, subject: ResourceId, egress: bool) -> Vec<Found<'a>> {
    let resource = ctx.graph.resource(subject);
    let (inline_key, standalone_kind) = if egress {
        ("SecurityGroupEgress", "AWS::EC2::SecurityGroupEgress")
    } else {
        ("SecurityGroupIngress", "AWS::EC2::SecurityGroupIngress")
    };
    let mut raw: Vec<Found<'a>> = Vec::new();
    if resource.kind == standalone_kind {
        raw.push(Found::Item(Item::Resource(subject)));
    } else if resource.kind == "AWS::EC2::SecurityGroup" {
        match ctx.field(Found::Item(Item::Resource(subject)), inline_key) {
            Found::Missing { .. } if egress => {
                // CloudFormation keeps AWS's allow-all egress rule when none is declared.
                let span = resource.span;
                let implicit = map(
                    span,
                    vec![
                        ("Protocol", string(span, "all")),
                        ("FromPort", number(span, "0")),
                        ("ToPort", number(span, "65535")),
                        ("CidrIp", string(span, "0.0.0.0/0")),
                    ],
                );
                raw.push(Found::Item(Item::Value {
                    value: ctx.alloc(implicit),
                    res: subject,
                }));
            }
            Found::Missing { .. } => {}
            found => raw.extend(ctx.elements(found)),
        }
        for other in ctx.graph.incoming(subject, standalone_kind) {
            if !ctx.deployed(other) {
                continue;
            }
            let group = ctx.field(Found::Item(Item::Resource(other)), "GroupId");
            let group = match group {
                Found::Missing { .. } => ctx.field(Found::Item(Item::Resource(other)), "GroupName"),
                found => found,
            };
            if let Found::Item(Item::Value { value, .. }) = group
                && let Some(v) = ctx.settle(value)
                && identity::designates(ctx.graph, v, subject) == Designates::Yes
            {
                raw.push(Found::Item(Item::Resource(other)));
            }
        }
    }
    raw.into_iter().flat_map(|f| normalize_rule(ctx, f)).collect()
}

/// The fields that name a rule's peer. A rule written with a list of peers
/// (Terraform's `cidr_blocks`) is one rule per peer.
const PEER_KEYS: &[&str] = &[
    "CidrIp",
    "CidrIpv6",
    "SourceSecurityGroupId",
    "SourcePrefixListId",
    "DestinationSecurityGroupId",
    "DestinationPrefixListId",
];

/// OPEN-CIDR: any address with a /0 prefix (`192.168.1.0/0`) is the whole
/// range; it is written canonically (`0.0.0.0/0`, `::/0`) so rules compare one text.
fn whole_range(p: &Prop) -> Option<Prop> {
    let canonical = match p.key.as_str() {
        "CidrIp" => "0.0.0.0/0",
        "CidrIpv6" => "::/0",
        _ => return None,
    };
    let text = p.value.as_str()?;
    if text == canonical || !text.trim().ends_with("/0") {
        return None;
    }
    Some(Prop {
        value: Value {
            kind: ValueKind::String(canonical.to_string()),
            ..p.value.clone()
        },
        ..p.clone()
    })
}

fn normalize_rule<'a>(ctx: &Ctx<'a>, found: Found<'a>) -> Vec<Found<'a>> {
    let (rule, res) = match found {
        Found::Item(Item::Resource(r)) => (&ctx.graph.resource(r).properties, r),
        Found::Item(Item::Value { value, res }) => match ctx.settle(value) {
            Some(v) => (v, res),
            None => {
                return vec![Found::Missing {
                    res,
                    span: value.span,
                }];
            }
        },
        other => return vec![other],
    };
    match &rule.kind {
        ValueKind::Map(_) => {}
        ValueKind::Unknown(reason) => {
            return vec![Found::Unknown {
                res,
                span: rule.span,
                reason: Cow::Borrowed(reason),
            }];
        }
        _ => return vec![Found::Item(Item::Value { value: rule, res })],
    }
    if rule.get("Protocol").is_some() {
        // Already normalized (a view of a view); only /0 prefixes still need it.
        let ValueKind::Map(props) = &rule.kind else {
            unreachable!("matched a map above")
        };
        if !props.iter().any(|p| whole_range(p).is_some()) {
            return vec![Found::Item(Item::Value { value: rule, res })];
        }
        let props = props
            .iter()
            .map(|p| whole_range(p).unwrap_or_else(|| p.clone()))
            .collect();
        return vec![Found::Item(Item::Value {
            value: ctx.alloc(Value::new(rule.span, ValueKind::Map(props))),
            res,
        })];
    }
    let get = |key: &str| rule.get(key).and_then(|v| ctx.settle(v));
    let span = rule.span;
    let protocol = match get("IpProtocol") {
        Some(p) => match p.scalar_text() {
            Some(text) => {
                let canonical = match text.to_ascii_lowercase().as_str() {
                    "-1" | "all" => "all".to_string(),
                    "6" | "tcp" => "tcp".to_string(),
                    "17" | "udp" => "udp".to_string(),
                    "1" | "icmp" => "icmp".to_string(),
                    "58" | "icmpv6" => "icmpv6".to_string(),
                    other => other.to_string(),
                };
                Some(Value {
                    span: p.span,
                    kind: ValueKind::String(canonical),
                    origin: p.origin.clone(),
                })
            }
            None => Some(p.clone()),
        },
        None => None,
    };
    let protocol_text = protocol.as_ref().and_then(|p| p.as_str().map(str::to_string));
    let all_ports = |v: Option<&Value>| v.is_none_or(|p| p.scalar_text().as_deref() == Some("-1"));
    let (from, to) = match protocol_text.as_deref() {
        Some("all") => (None, None),
        Some("tcp" | "udp") if all_ports(get("FromPort")) && all_ports(get("ToPort")) => (None, None),
        _ => (get("FromPort").cloned(), get("ToPort").cloned()),
    };
    let default_port = |text: &str| Value {
        span,
        kind: ValueKind::Number(text.to_string()),
        origin: Origin::Default,
    };
    let mut props = Vec::new();
    if let Some(p) = protocol {
        props.push(prop("Protocol", p));
    }
    let covers_all = matches!(protocol_text.as_deref(), Some("all" | "tcp" | "udp"));
    match from {
        Some(v) => props.push(prop("FromPort", v)),
        None if covers_all => props.push(prop("FromPort", default_port("0"))),
        None => {}
    }
    match to {
        Some(v) => props.push(prop("ToPort", v)),
        None if covers_all => props.push(prop("ToPort", default_port("65535"))),
        None => {}
    }
    let mut peers: Vec<Prop> = Vec::new();
    if let ValueKind::Map(original) = &rule.kind {
        for p in original {
            if matches!(p.key.as_str(), "IpProtocol" | "FromPort" | "ToPort") {
                continue;
            }
            if !PEER_KEYS.contains(&p.key.as_str()) {
                props.push(p.clone());
                continue;
            }
            match ctx.settle(&p.value).map(|v| &v.kind) {
                Some(ValueKind::List(items)) => peers.extend(items.iter().map(|item| Prop {
                    key: p.key.clone(),
                    key_span: p.key_span,
                    value: item.clone(),
                })),
                Some(_) => peers.push(p.clone()),
                None => {}
            }
        }
    }
    let peers: Vec<Prop> = peers.into_iter().map(|p| whole_range(&p).unwrap_or(p)).collect();
    if peers.is_empty() {
        return vec![Found::Item(Item::Value {
            value: ctx.alloc(Value::new(span, ValueKind::Map(props))),
            res,
        })];
    }
    peers
        .into_iter()
        .map(|peer| {
            let mut one = props.clone();
            one.push(peer);
            Found::Item(Item::Value {
                value: ctx.alloc(Value::new(span, ValueKind::Map(one))),
                res,
            })
        })
        .collect()
}

/// IDENTITY-DOCS: the identity-policy documents a resource declares.
pub(super) fn identity_policies<'a>(ctx: &Ctx<'a>, subject: ResourceId) -> Vec<Found<'a>> {
    let this = Found::Item(Item::Resource(subject));
    let found = match ctx.graph.resource(subject).kind.as_str() {
        "AWS::IAM::ManagedPolicy"
        | "AWS::IAM::Policy"
        | "AWS::IAM::RolePolicy"
        | "AWS::IAM::UserPolicy"
        | "AWS::IAM::GroupPolicy" => vec![ctx.field(this, "PolicyDocument")],
        "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => ctx
            .elements(ctx.field(this, "Policies"))
            .into_iter()
            .map(|p| ctx.field(p, "PolicyDocument"))
            .collect(),
        "AWS::SSO::PermissionSet" => vec![ctx.field(this, "InlinePolicy")],
        _ => Vec::new(),
    };
    found
        .into_iter()
        .filter(|f| !matches!(f, Found::Missing { .. }))
        .collect()
}

/// `entries(PATH)`: each entry of the maps at PATH as `{Key, Value}`, so rules
/// can judge keys (environment variable names) with their values. The key
/// is located at its key, the value keeps its own span and origin.
pub(super) fn entries<'a>(ctx: &Ctx<'a>, maps: Vec<Found<'a>>) -> Vec<Found<'a>> {
    let mut out = Vec::new();
    for found in maps {
        let Found::Item(Item::Value { value, res }) = found else {
            if let Found::Unknown { .. } | Found::Unmapped { .. } = found {
                out.push(found);
            }
            continue;
        };
        match ctx.settle(value).map(|v| &v.kind) {
            Some(ValueKind::Map(props)) => {
                for p in props {
                    let key = Value {
                        span: p.key_span,
                        kind: ValueKind::String(p.key.clone()),
                        origin: Origin::Written,
                    };
                    let entry = map(p.key_span, vec![("Key", key), ("Value", p.value.clone())]);
                    out.push(Found::Item(Item::Value {
                        value: ctx.alloc(entry),
                        res,
                    }));
                }
            }
            Some(ValueKind::Unknown(reason)) => out.push(Found::Unknown {
                res,
                span: value.span,
                reason: Cow::Borrowed(reason),
            }),
            _ => {}
        }
    }
    out
}

/// `assignments(PATH)`: each `NAME=value` line (`export NAME="value"`) of the
/// texts at PATH — user data and scripts — as `{Key, Value}`, so the rules
/// that judge environment variables judge them too. Only text written in
/// the source is read: a line that runs into a hole filled at deploy time
/// (`DB_HOST=${DbHost}`) or expands a shell variable is not a literal.
pub(super) fn assignments<'a>(ctx: &Ctx<'a>, texts: Vec<Found<'a>>) -> Vec<Found<'a>> {
    let mut out = Vec::new();
    for found in texts {
        let Found::Item(Item::Value { value, res }) = found else {
            if let Found::Unknown { .. } | Found::Unmapped { .. } = found {
                out.push(found);
            }
            continue;
        };
        // Holes become a character no assignment may hold.
        const HOLE: char = '\u{0}';
        let text: String = match ctx.settle(value).map(|v| &v.kind) {
            Some(ValueKind::String(text)) => text.clone(),
            Some(ValueKind::Interp(parts)) => parts
                .iter()
                .map(|p| match p {
                    Part::Lit(text) => text.as_str(),
                    _ => "\u{0}",
                })
                .collect(),
            Some(ValueKind::Unknown(reason)) => {
                out.push(Found::Unknown {
                    res,
                    span: value.span,
                    reason: Cow::Borrowed(reason),
                });
                continue;
            }
            _ => continue,
        };
        for (name, assigned) in text.lines().filter_map(shell_assignment) {
            if assigned.contains(HOLE) || assigned.contains('$') {
                continue;
            }
            // A text from a parameter keeps that origin: its lines are not literals.
            let text = |s: &str| Value {
                span: value.span,
                kind: ValueKind::String(s.to_string()),
                origin: value.origin.clone(),
            };
            let entry = map(value.span, vec![("Key", text(name)), ("Value", text(assigned))]);
            out.push(Found::Item(Item::Value {
                value: ctx.alloc(entry),
                res,
            }));
        }
    }
    out
}

/// `NAME=value`, `export NAME="value"`, `NAME='value'` (a shell or env-file
/// line) as the name and the value without its quotes.
fn shell_assignment(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    let line = line.strip_prefix("export ").map_or(line, str::trim_start);
    let (name, rest) = line.split_once('=')?;
    let valid_name = name
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
    if name.is_empty() || !valid_name {
        return None;
    }
    let value = match rest.chars().next() {
        Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or(""),
        _ => rest.split([' ', '\t', ';', '#']).next().unwrap_or(""),
    };
    Some((name, value))
}

/// `strings()`: every text of a resource's properties and metadata, and the
/// literal pieces of interpolated texts, at any depth.
pub(super) fn strings<'a>(ctx: &Ctx<'a>, subject: ResourceId) -> Vec<Found<'a>> {
    fn walk<'a>(ctx: &Ctx<'a>, value: &'a Value, res: ResourceId, out: &mut Vec<Found<'a>>) {
        match &value.kind {
            ValueKind::String(_) => out.push(Found::Item(Item::Value { value, res })),
            ValueKind::Interp(parts) => {
                for part in parts {
                    if let Part::Lit(text) = part {
                        let piece = Value::new(value.span, ValueKind::String(text.clone()));
                        out.push(Found::Item(Item::Value {
                            value: ctx.alloc(piece),
                            res,
                        }));
                    }
                }
            }
            ValueKind::List(items) => items.iter().for_each(|i| walk(ctx, i, res, out)),
            ValueKind::Map(props) => props.iter().for_each(|p| walk(ctx, &p.value, res, out)),
            ValueKind::Cond(c) => {
                walk(ctx, &c.then, res, out);
                walk(ctx, &c.otherwise, res, out);
            }
            _ => {}
        }
    }
    let resource = ctx.graph.resource(subject);
    let mut out = Vec::new();
    // A Terraform resource as written holds every text its adapted properties do, and more.
    match &resource.written {
        Some(written) => walk(ctx, written, subject, &mut out),
        None => {
            walk(ctx, &resource.properties, subject, &mut out);
            if let Some(metadata) = &resource.metadata {
                walk(ctx, metadata, subject, &mut out);
            }
        }
    }
    out
}

/// POLICY-NORM: the statements of policy documents (objects or JSON strings),
/// each with `Action`, `NotAction`, `Resource`, `NotResource` as lists and
/// `Principal` / `NotPrincipal` as `{Type: [ids]}` (`"*"` is `{AWS: ["*"]}`).
pub(super) fn statements<'a>(ctx: &Ctx<'a>, documents: Vec<Found<'a>>) -> Vec<Found<'a>> {
    let mut out = Vec::new();
    for found in documents {
        let (document, res) = match found {
            Found::Item(Item::Value { value, res }) => match ctx.settle(value) {
                Some(v) => (v, res),
                None => continue,
            },
            Found::Missing { .. } | Found::Item(Item::Resource(_)) => continue,
            other => {
                out.push(other);
                continue;
            }
        };
        let document = match &document.kind {
            ValueKind::String(_) | ValueKind::Interp(_) => {
                match crate::graph::embedded::parse_json_string(document) {
                    Ok(parsed) => ctx.alloc(parsed),
                    Err(reason) => {
                        out.push(Found::Unknown {
                            res,
                            span: document.span,
                            reason: Cow::Owned(Unknowable::invalid(format!(
                                "the policy document is {reason}"
                            ))),
                        });
                        continue;
                    }
                }
            }
            _ => document,
        };
        let statements = ctx.field(Found::Item(Item::Value { value: document, res }), "Statement");
        let items = match &statements {
            Found::Item(Item::Value { value, .. })
                if matches!(ctx.settle(value).map(|v| &v.kind), Some(ValueKind::Map(_))) =>
            {
                vec![statements]
            }
            _ => ctx.elements(statements),
        };
        // Normalize every statement first: a policy is judged whole, so a
        // Deny for everyone outside a VPC endpoint neutralises a public Allow.
        let mut normalized: Vec<(Value, ResourceId)> = Vec::new();
        for item in items {
            match item {
                Found::Item(Item::Value { value, res }) => {
                    if let Some(statement) = ctx.settle(value) {
                        let statement = settle_principal_fields(ctx, statement);
                        normalized.push((normalize_statement(ctx.graph, &statement), res));
                    }
                }
                Found::Missing { .. } => {}
                other => out.push(other),
            }
        }
        let statements: Vec<&Value> = normalized.iter().map(|(v, _)| v).collect();
        let guarded: Vec<bool> = statements
            .iter()
            .map(|s| {
                statements
                    .iter()
                    .any(|deny| denies_all_but_known_callers(deny, s))
            })
            .collect();
        for ((mut statement, res), guarded) in normalized.into_iter().zip(guarded) {
            if guarded
                && let ValueKind::Map(props) = &mut statement.kind
                && let Some(public) = props.iter_mut().find(|p| p.key == "Public")
                && public.value.kind == ValueKind::Bool(true)
            {
                public.value.kind = ValueKind::Bool(false);
            }
            out.push(Found::Item(Item::Value {
                value: ctx.alloc(statement),
                res,
            }));
        }
    }
    out
}

/// Whether `deny` (normalized) refuses everyone except known callers —
/// `Deny` for `"*"` unless `aws:SourceVpce` / `aws:SourceVpc` /
/// `aws:PrincipalOrgID` / ... is a fixed value (AWS's documented pattern for
/// private APIs and endpoint-only buckets) — for every action and resource
/// that `allow` grants. Any other condition on the Deny narrows it, so it
/// guards nothing.
fn denies_all_but_known_callers(deny: &Value, allow: &Value) -> bool {
    // Normalized statements: Action, Resource and Principal.AWS are lists.
    fn items(v: &Value) -> Vec<&Value> {
        match &v.kind {
            ValueKind::List(items) => items.iter().collect(),
            _ => vec![v],
        }
    }
    fn texts(v: Option<&Value>) -> Option<Vec<&str>> {
        match &v?.kind {
            ValueKind::List(items) => items.iter().map(Value::as_str).collect(),
            _ => None,
        }
    }
    if deny.get("Effect").and_then(Value::as_str) != Some("Deny")
        || ["NotPrincipal", "NotAction", "NotResource"]
            .iter()
            .any(|k| deny.get(k).is_some())
        || ["NotAction", "NotResource"]
            .iter()
            .any(|k| allow.get(k).is_some())
    {
        return false;
    }
    let everyone = deny.get("Principal").and_then(|p| p.get("AWS")).is_some_and(
        |aws| matches!(&aws.kind, ValueKind::List(ids) if ids.iter().any(|i| i.as_str() == Some("*"))),
    );
    let Some(ValueKind::Map(operators)) = deny.get("Condition").map(|c| &c.kind) else {
        return false;
    };
    if !everyone || operators.is_empty() || !operators.iter().all(negates_a_restriction) {
        return false;
    }
    let (Some(denied), Some(allowed)) = (texts(deny.get("Action")), texts(allow.get("Action"))) else {
        return false;
    };
    let actions = allowed
        .iter()
        .all(|a| denied.iter().any(|d| super::compare::action_covers(d, a)));
    let resources = match (deny.get("Resource").map(items), allow.get("Resource").map(items)) {
        // The same texts (holes included) or "*".
        (Some(denied), Some(allowed)) => {
            denied.iter().any(|d| d.as_str() == Some("*"))
                || allowed.iter().all(|a| denied.iter().any(|d| d.kind == a.kind))
        }
        // Resource-less statements (trust and some key policies) apply to the resource itself.
        (None, None) => true,
        _ => false,
    };
    actions && resources
}

/// A negated comparison of a restricting key with fixed values
/// (`StringNotEquals: {aws:SourceVpce: vpce-1}`): true for every caller but the
/// known ones, so a Deny under it leaves only them.
fn negates_a_restriction(operator: &Prop) -> bool {
    let op = operator.key.to_ascii_lowercase();
    let op = op.strip_prefix("foranyvalue:").unwrap_or(&op);
    let positive = match op.strip_suffix("ifexists").unwrap_or(op) {
        "stringnotequals" => "StringEquals",
        "stringnotequalsignorecase" => "StringEqualsIgnoreCase",
        "stringnotlike" => "StringLike",
        "arnnotequals" => "ArnEquals",
        "arnnotlike" => "ArnLike",
        "notipaddress" => "IpAddress",
        _ => return false,
    };
    // Keys of one operator must all hold for the Deny to apply: each must
    // be a restriction, or the Deny is narrower than "everyone else".
    let ValueKind::Map(keys) = &operator.value.kind else {
        return false;
    };
    !keys.is_empty()
        && keys.iter().all(|key| {
            restricts(&Prop {
                key: positive.to_string(),
                key_span: operator.key_span,
                value: Value::new(operator.value.span, ValueKind::Map(vec![key.clone()])),
            })
        })
}

/// A statement with the conditional values in the fields PUBLIC-STMT reads
/// (`Effect`, `Principal`, `NotPrincipal`, `Condition`) settled in this
/// world: a principal from an `Fn::If`, or cut from a parameter with
/// `AllowedValues`, is judged under each outcome.
fn settle_principal_fields<'a>(ctx: &Ctx<'a>, statement: &'a Value) -> Value {
    fn settled<'a>(ctx: &Ctx<'a>, value: &'a Value) -> Option<Value> {
        let value = ctx.settle(value)?;
        let kind = match &value.kind {
            ValueKind::List(items) => ValueKind::List(items.iter().filter_map(|v| settled(ctx, v)).collect()),
            ValueKind::Map(props) => ValueKind::Map(
                props
                    .iter()
                    .filter_map(|p| {
                        Some(Prop {
                            key: p.key.clone(),
                            key_span: p.key_span,
                            value: settled(ctx, &p.value)?,
                        })
                    })
                    .collect(),
            ),
            _ => return Some(value.clone()),
        };
        Some(Value {
            kind,
            span: value.span,
            origin: value.origin.clone(),
        })
    }
    let ValueKind::Map(props) = &statement.kind else {
        return statement.clone();
    };
    let props = props
        .iter()
        .filter_map(|p| match p.key.as_str() {
            "Effect" | "Principal" | "NotPrincipal" | "Condition" => Some(Prop {
                key: p.key.clone(),
                key_span: p.key_span,
                value: settled(ctx, &p.value)?,
            }),
            _ => Some(p.clone()),
        })
        .collect();
    Value {
        kind: ValueKind::Map(props),
        span: statement.span,
        origin: statement.origin.clone(),
    }
}

fn normalize_statement(graph: &Graph, statement: &Value) -> Value {
    let ValueKind::Map(props) = &statement.kind else {
        return statement.clone();
    };
    let normalized: Vec<Prop> = props
        .iter()
        .map(|p| {
            let value = match p.key.as_str() {
                "Action" | "NotAction" | "Resource" | "NotResource" => as_list(&p.value),
                "Principal" | "NotPrincipal" => principal(&p.value),
                _ => p.value.clone(),
            };
            Prop {
                key: p.key.clone(),
                key_span: p.key_span,
                value,
            }
        })
        .collect();
    let mut normalized: Vec<Prop> = normalized;
    let public = public_statement(graph, &normalized, statement.span);
    normalized.push(prop("Public", public));
    Value {
        span: statement.span,
        kind: ValueKind::Map(normalized),
        origin: statement.origin.clone(),
    }
}

/// Whether a principal not known before deploy could still turn out to be
/// `"*"`: an ARN with holes (`arn:aws:iam::${AWS::AccountId}:root`), a
/// reference to a declared resource or a pseudo-parameter cannot, nor a
/// parameter (or the pieces of one) whose constraints exclude `"*"`.
fn could_be_everyone(graph: &Graph, id: &Value) -> bool {
    match &id.kind {
        ValueKind::String(s) => s == "*",
        // A pseudo-parameter (`!Ref AWS::AccountId`, Terraform's
        // `data.aws_caller_identity.x.account_id`) is never "*".
        ValueKind::Interp(parts) => parts.iter().all(|p| match p {
            crate::graph::Part::Lit(text) => text.is_empty(),
            crate::graph::Part::Unknown(reason) => reason.pseudo().is_none(),
            crate::graph::Part::Ref(_) => true,
        }),
        ValueKind::Ref(_) => false,
        ValueKind::Unknown(reason) if reason.pseudo().is_some() => false,
        ValueKind::Unknown(_) => match graph.bounds_of(id) {
            // A list (the pieces `Fn::Split` cuts a parameter into): any of its elements.
            Some(bounds) => bounds
                .items()
                .unwrap_or(bounds)
                .may_equal(&Value::new(id.span, ValueKind::String("*".into()))),
            None => true,
        },
        ValueKind::Cond(_) => true,
        _ => false,
    }
}

/// Condition keys that tie a statement to known callers when compared with a
/// fixed value (PUBLIC-STMT). The list follows S3 Block Public Access's
/// definition of a non-public policy, plus the KMS keys that do the same.
const RESTRICTING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:userid",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
    // KMS key policies: callers in one account, or only through a service.
    "kms:calleraccount",
    "kms:viaservice",
];

/// Keys whose values are ARNs: a wildcard in the resource part still names
/// one account (`arn:aws:iam::111122223333:role/*`), one in the account does not.
const ARN_KEYS: &[&str] = &["aws:sourcearn", "aws:principalarn", "s3:dataaccesspointarn"];

/// Shortest `aws:SourceIp` prefix that still counts as restricting.
const MIN_SOURCE_IP_PREFIX: u32 = 8;

/// PUBLIC-STMT: an Allow for everyone (`Principal: "*"`, `{"AWS": "*"}`, or
/// any `NotPrincipal`) without a condition that restricts the callers.
/// The result is placed at the principal, the attribute to fix.
fn public_statement(graph: &Graph, props: &[Prop], span: Span) -> Value {
    let get = |k: &str| props.iter().find(|p| p.key == k).map(|p| &p.value);
    let at = get("Principal").or(get("NotPrincipal")).map_or(span, |v| v.span);
    let verdict = |b: bool| Value::new(at, ValueKind::Bool(b));
    let effect = match get("Effect").map(|v| &v.kind) {
        Some(ValueKind::String(e)) => e.as_str(),
        Some(_) => return Value::unknown(at, Unknowable::deploy_time("Effect")),
        None => return verdict(false),
    };
    if effect != "Allow" {
        return verdict(false);
    }
    // A restricting condition decides whoever the principal turns out to be.
    let condition = get("Condition").map(|c| &c.kind);
    if let Some(ValueKind::Map(operators)) = condition
        && operators.iter().any(restricts)
    {
        return verdict(false);
    }
    let everyone = if get("NotPrincipal").is_some() {
        true
    } else {
        match get("Principal").map(|p| &p.kind) {
            Some(ValueKind::Map(types)) => {
                let aws = types.iter().find(|t| t.key == "AWS").map(|t| &t.value);
                match aws.map(|v| &v.kind) {
                    Some(ValueKind::List(ids)) => {
                        if ids.iter().any(|i| i.as_str() == Some("*")) {
                            true
                        } else if ids.iter().any(|id| could_be_everyone(graph, id)) {
                            return Value::unknown(at, Unknowable::deploy_time("the principal"));
                        } else {
                            false
                        }
                    }
                    Some(ValueKind::Unknown(_) | ValueKind::Cond(_))
                        if aws.is_some_and(|id| could_be_everyone(graph, id)) =>
                    {
                        return Value::unknown(at, Unknowable::deploy_time("the principal"));
                    }
                    _ => false,
                }
            }
            Some(ValueKind::Unknown(_) | ValueKind::Cond(_))
                if get("Principal").is_some_and(|p| could_be_everyone(graph, p)) =>
            {
                return Value::unknown(at, Unknowable::deploy_time("the principal"));
            }
            _ => false,
        }
    };
    if !everyone {
        return verdict(false);
    }
    match condition {
        None | Some(ValueKind::Map(_)) => verdict(true),
        Some(_) => Value::unknown(at, Unknowable::deploy_time("the statement's Condition")),
    }
}

/// Whether one condition operator (`StringEquals: {...}`) limits the callers
/// to known ones. Only positive string and ARN comparisons (and `IpAddress`)
/// can: negated operators, `...IfExists` (true when the key is absent), `Null`
/// and `Bool` do not, nor `ForAllValues:` (true when the key is absent, so
/// anyone outside an organization passes). A value restricts only when it is
/// fixed: no wildcard, no policy variable.
fn restricts(operator: &Prop) -> bool {
    let op = operator.key.to_ascii_lowercase();
    if op.starts_with("forallvalues:") || op.ends_with("ifexists") || op.contains("not") {
        return false;
    }
    let op = op.strip_prefix("foranyvalue:").unwrap_or(&op);
    let ValueKind::Map(keys) = &operator.value.kind else {
        return false;
    };
    keys.iter().any(|k| {
        let key = k.key.to_ascii_lowercase();
        let values: Vec<&Value> = match &k.value.kind {
            ValueKind::List(items) => items.iter().collect(),
            _ => vec![&k.value],
        };
        if values.is_empty() {
            return false;
        }
        if key == "aws:sourceip" {
            return op.starts_with("ipaddress")
                && values.iter().all(|v| {
                    v.as_str().is_some_and(|cidr| {
                        let prefix = cidr.split_once('/').map_or(Some(32), |(_, p)| p.parse().ok());
                        !cidr.ends_with("/0") && prefix.is_some_and(|p: u32| p >= MIN_SOURCE_IP_PREFIX)
                    })
                });
        }
        let compares = op.starts_with("string") || op.starts_with("arn");
        compares
            && RESTRICTING_KEYS.contains(&key.as_str())
            && values
                .iter()
                .all(|v| is_fixed_condition_value(v, ARN_KEYS.contains(&key.as_str())))
    })
}

/// A condition value that names known callers. Holes filled at deploy time
/// (`${AWS::AccountId}`, a parameter, a resource's ARN) count as fixed; the
/// literal text around them must hold no wildcard or policy variable. For an
/// ARN, a fixed account is enough.
fn is_fixed_condition_value(value: &Value, is_arn: bool) -> bool {
    // Holes stand for one fixed piece each; "x" keeps the ARN's shape.
    let text: String = match &value.kind {
        ValueKind::String(s) => s.clone(),
        ValueKind::Interp(parts) => parts
            .iter()
            .map(|p| match p {
                Part::Lit(text) => text.as_str(),
                _ => "x",
            })
            .collect(),
        // A reference, parameter or computed value: judged where it is known.
        ValueKind::Ref(_) | ValueKind::Unknown(_) | ValueKind::Cond(_) => return true,
        _ => return false,
    };
    let fixed = |piece: &str| !piece.is_empty() && !piece.contains(['*', '?']) && !piece.contains("${");
    if fixed(&text) {
        return true;
    }
    // arn:partition:service:region:account:resource
    is_arn
        && text
            .split(':')
            .nth(4)
            .is_some_and(|account| fixed(account) && !text.contains("${"))
}

fn as_list(value: &Value) -> Value {
    match &value.kind {
        ValueKind::List(_) | ValueKind::Unknown(_) | ValueKind::Cond(_) => value.clone(),
        _ => Value {
            span: value.span,
            kind: ValueKind::List(vec![value.clone()]),
            origin: value.origin.clone(),
        },
    }
}

fn principal(value: &Value) -> Value {
    match &value.kind {
        ValueKind::String(_) => map(value.span, vec![("AWS", as_list(value))]),
        ValueKind::Map(props) => Value {
            span: value.span,
            kind: ValueKind::Map(
                props
                    .iter()
                    .map(|p| Prop {
                        key: p.key.clone(),
                        key_span: p.key_span,
                        value: as_list(&p.value),
                    })
                    .collect(),
            ),
            origin: value.origin.clone(),
        },
        _ => value.clone(),
    }
}

fn prop(key: &str, value: Value) -> Prop {
    Prop {
        key: key.to_string(),
        key_span: value.span,
        value,
    }
}

fn map(span: Span, entries: Vec<(&str, Value)>) -> Value {
    Value::new(
        span,
        ValueKind::Map(entries.into_iter().map(|(k, v)| prop(k, v)).collect()),
    )
}

fn string(span: Span, text: &str) -> Value {
    Value {
        span,
        kind: ValueKind::String(text.to_string()),
        origin: Origin::Default,
    }
}

fn number(span: Span, text: &str) -> Value {
    Value {
        span,
        kind: ValueKind::Number(text.to_string()),
        origin: Origin::Default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Pseudo, ResourceRef};

    fn value(kind: ValueKind) -> Value {
        Value::new(Span::default(), kind)
    }

    #[test]
    fn only_what_may_turn_out_to_be_a_wildcard_is_an_unknown_principal() {
        let graph = Graph::default();
        assert!(could_be_everyone(&graph, &value(ValueKind::String("*".into()))));
        assert!(!could_be_everyone(
            &graph,
            &value(ValueKind::String("arn:aws:iam::1:root".into()))
        ));
        let arn = ValueKind::Interp(vec![
            Part::Lit("arn:aws:iam::".into()),
            Part::Unknown(Pseudo::AccountId.into()),
            Part::Lit(":root".into()),
        ]);
        assert!(!could_be_everyone(&graph, &value(arn)));
        assert!(could_be_everyone(
            &graph,
            &value(ValueKind::Interp(vec![Part::Unknown(Unknowable::AfterApply)]))
        ));
        let role = ValueKind::Ref(Box::new(ResourceRef {
            target: "Role".into(),
            attribute: Some("Arn".into()),
        }));
        assert!(!could_be_everyone(&graph, &value(role)));
        let mut account = Value::unknown(Span::default(), Pseudo::AccountId);
        account.origin = Origin::Parameter("AWS::AccountId".into());
        assert!(!could_be_everyone(&graph, &account));
        let mut parameter = Value::unknown(
            Span::default(),
            Unknowable::parameter_without_value("TrustedPrincipal"),
        );
        parameter.origin = Origin::Parameter("TrustedPrincipal".into());
        assert!(could_be_everyone(&graph, &parameter));
    }

    #[test]
    fn any_slash_zero_range_is_the_whole_internet() {
        let cidr = |key: &str, text: &str| prop(key, value(ValueKind::String(text.into())));
        let open = whole_range(&cidr("CidrIp", "192.168.1.0/0")).expect("normalized");
        assert_eq!(open.value.as_str(), Some("0.0.0.0/0"));
        let v6 = whole_range(&cidr("CidrIpv6", "2001:db8::/0")).expect("normalized");
        assert_eq!(v6.value.as_str(), Some("::/0"));
        assert!(whole_range(&cidr("CidrIp", "0.0.0.0/0")).is_none());
        assert!(whole_range(&cidr("CidrIp", "10.0.0.0/8")).is_none());
        assert!(whole_range(&cidr("SourceSecurityGroupId", "sg-1/0")).is_none());
    }

    /// `{ Operator: { key: value } }` as one condition operator.
    fn condition(operator: &str, key: &str, text: &str) -> Prop {
        let keys = value(ValueKind::Map(vec![prop(
            key,
            value(ValueKind::String(text.into())),
        )]));
        prop(operator, keys)
    }

    #[test]
    fn wildcards_and_policy_variables_in_conditions_are_no_restriction() {
        let open = [
            ("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:root"),
            ("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::*"),
            ("StringLike", "aws:PrincipalOrgID", "o-*"),
            ("StringEquals", "aws:SourceAccount", "*"),
            ("StringEquals", "aws:SourceVpce", "${aws:SourceVpce}"),
            ("ForAllValues:StringEquals", "aws:PrincipalOrgID", "o-abc123"),
            (
                "ForAllValues:StringEquals",
                "aws:PrincipalAccount",
                "111122223333",
            ),
            ("StringNotEquals", "aws:PrincipalAccount", "111122223333"),
            (
                "ArnNotEquals",
                "aws:PrincipalArn",
                "arn:aws:iam::111122223333:root",
            ),
            ("StringEqualsIfExists", "aws:SourceAccount", "111122223333"),
            ("Null", "aws:PrincipalOrgID", "false"),
            ("IpAddress", "aws:SourceIp", "0.0.0.0/0"),
            ("IpAddress", "aws:SourceIp", "10.0.0.0/4"),
            ("StringEquals", "aws:SecureTransport", "true"),
        ];
        for (operator, key, text) in open {
            assert!(
                !restricts(&condition(operator, key, text)),
                "{operator} {key} {text}"
            );
        }
        let closed = [
            ("StringEquals", "aws:userid", "AIDAEXAMPLE"),
            ("StringEquals", "aws:PrincipalAccount", "111122223333"),
            ("StringEquals", "aws:SourceAccount", "111122223333"),
            ("StringEquals", "aws:SourceOwner", "111122223333"),
            (
                "ArnLike",
                "aws:SourceArn",
                "arn:aws:sns:us-east-1:111122223333:topic",
            ),
            ("ArnLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/*"),
            ("StringEquals", "aws:SourceVpc", "vpc-1"),
            ("StringEquals", "aws:SourceVpce", "vpce-1"),
            ("StringEquals", "aws:PrincipalOrgID", "o-abc123"),
            ("ForAnyValue:StringEquals", "aws:PrincipalOrgID", "o-abc123"),
            ("IpAddress", "aws:SourceIp", "203.0.113.0/24"),
        ];
        for (operator, key, text) in closed {
            assert!(
                restricts(&condition(operator, key, text)),
                "{operator} {key} {text}"
            );
        }
        // A hole filled at deploy time is one fixed piece; a literal wildcard is not.
        let account = |lit: &str| {
            value(ValueKind::Interp(vec![
                Part::Lit("arn:aws:iam::".into()),
                Part::Unknown(Pseudo::AccountId.into()),
                Part::Lit(lit.into()),
            ]))
        };
        assert!(is_fixed_condition_value(&account(":root"), true));
        assert!(is_fixed_condition_value(&account(":role/*"), true));
        assert!(!is_fixed_condition_value(&account(":role/*"), false));
    }

    #[test]
    fn shell_assignments_are_read_with_their_quotes_removed() {
        assert_eq!(
            shell_assignment("DB_PASSWORD=hunter22"),
            Some(("DB_PASSWORD", "hunter22"))
        );
        assert_eq!(
            shell_assignment("  export API_TOKEN=\"abc def\""),
            Some(("API_TOKEN", "abc def"))
        );
        assert_eq!(shell_assignment("KEY='v1'; echo"), Some(("KEY", "v1")));
        assert_eq!(shell_assignment("X=1 # note"), Some(("X", "1")));
        assert_eq!(shell_assignment("if [ \"$a\" = b ]; then"), None);
        assert_eq!(shell_assignment("9LIVES=x"), None);
        assert_eq!(shell_assignment("echo hi"), None);
    }

    fn statement(json: &str) -> Value {
        let node = crate::parse::load_json(json, crate::parse::Limits::default()).unwrap();
        normalize_statement(&Graph::default(), &crate::graph::convert::node_to_value(&node))
    }

    #[test]
    fn a_deny_for_everyone_but_an_endpoint_guards_a_public_allow() {
        let allow = statement(
            r#"{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}"#,
        );
        let guard = |condition: &str, action: &str| {
            statement(&format!(
                r#"{{"Effect": "Deny", "Principal": "*", "Action": "{action}", "Resource": "*", "Condition": {condition}}}"#
            ))
        };
        let vpce = r#"{"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}"#;
        assert!(denies_all_but_known_callers(
            &guard(vpce, "execute-api:*"),
            &allow
        ));
        let org = r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}"#;
        assert!(denies_all_but_known_callers(&guard(org, "*"), &allow));
        // A Deny for other actions, a wildcard value, or an extra condition guards nothing.
        assert!(!denies_all_but_known_callers(
            &guard(vpce, "execute-api:ManageConnections"),
            &allow
        ));
        let wildcard = r#"{"StringNotLike": {"aws:SourceVpce": "vpce-*"}}"#;
        assert!(!denies_all_but_known_callers(&guard(wildcard, "*"), &allow));
        let narrower =
            r#"{"StringNotEquals": {"aws:SourceVpce": "vpce-1"}, "Bool": {"aws:SecureTransport": "false"}}"#;
        assert!(!denies_all_but_known_callers(&guard(narrower, "*"), &allow));
        let positive = r#"{"StringEquals": {"aws:SourceVpce": "vpce-1"}}"#;
        assert!(!denies_all_but_known_callers(&guard(positive, "*"), &allow));
    }
}
