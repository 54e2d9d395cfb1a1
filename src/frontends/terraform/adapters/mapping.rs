//! Terraform types mapped to canonical types as data: the files under
//! `../mappings/` (the format is `docs/terraform-mapping.md`), parsed once,
//! on the first Terraform resource scanned, and the interpreter that lifts a
//! resource by its mapping. Rust hooks ([`super::HOOKS`]) do what the data
//! cannot say; the data still names every property they set, so that every
//! property of a lifted resource knows the attribute it comes from.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::build::{Props, Tf, attr, blocks, defaulted, prop, text};
use super::{Adapted, Context, Hook};
use crate::graph::mapping::SourceMapping;
use crate::graph::{Value, ValueKind};
use crate::parse::Span;

/// The mapping files, by name (one per service family).
const FILES: &[(&str, &str)] = &[
    ("account.toml", include_str!("../mappings/account.toml")),
    ("cloudtrail.toml", include_str!("../mappings/cloudtrail.toml")),
    ("declarations.toml", include_str!("../mappings/declarations.toml")),
    ("ec2.toml", include_str!("../mappings/ec2.toml")),
    ("exposure.toml", include_str!("../mappings/exposure.toml")),
    ("iam.toml", include_str!("../mappings/iam.toml")),
    ("kms.toml", include_str!("../mappings/kms.toml")),
    ("lambda.toml", include_str!("../mappings/lambda.toml")),
    ("messaging.toml", include_str!("../mappings/messaging.toml")),
    ("monitoring.toml", include_str!("../mappings/monitoring.toml")),
    ("network.toml", include_str!("../mappings/network.toml")),
    ("policies.toml", include_str!("../mappings/policies.toml")),
    ("rds.toml", include_str!("../mappings/rds.toml")),
    ("s3.toml", include_str!("../mappings/s3.toml")),
    ("services.toml", include_str!("../mappings/services.toml")),
    ("storage.toml", include_str!("../mappings/storage.toml")),
    ("vpc.toml", include_str!("../mappings/vpc.toml")),
];

/// Every mapping, by Terraform type.
pub(crate) struct Mappings {
    /// Managed resources (and `variable`, `output`, `provider` blocks).
    pub resources: HashMap<String, TypeMapping>,
    /// Data sources (written `data.<type>` in the files).
    pub data: HashMap<String, TypeMapping>,
}

/// How one Terraform type becomes a canonical resource.
pub(crate) struct TypeMapping {
    /// The canonical types it may become; the first unless a hook chooses.
    pub kinds: Vec<String>,
    /// What each canonical property is made of, in order.
    pub fields: Vec<Field>,
    /// Set on the resource the attribute `via` names instead of lifted alone.
    pub join: Option<JoinSpec>,
    /// The Rust hook that finishes (or replaces) what the data builds.
    pub hook: Option<(String, Hook)>,
    /// The reverse lookup every resource lifted by this mapping points at.
    pub source: SourceMapping,
}

/// Where a split resource's properties go: the resource of type `into`
/// that its attribute `via` names (`bucket`).
pub(crate) struct JoinSpec {
    pub into: String,
    pub via: String,
}

/// One canonical property and what it is made of.
pub(crate) struct Field {
    pub key: String,
    pub spec: Spec,
}

/// The shape of a canonical property's value.
pub(crate) enum Spec {
    /// A copy of the first of some attributes that is set, maybe transformed.
    Attr(AttrSpec),
    /// A fixed value.
    Const(ValueKind),
    /// The text paired with the first of some attributes that is set
    /// (`xks_key_id` set: the key's `Origin` is `EXTERNAL_KEY_STORE`).
    WhenSet(Vec<(String, String)>),
    /// The first block of a nested block type, as an object.
    Block {
        name: String,
        fields: Vec<Field>,
        configured_only: bool,
    },
    /// Every block of a nested block type, as a list of objects (left out
    /// when there are none).
    Blocks {
        name: String,
        fields: Vec<Field>,
        require: Option<String>,
    },
    /// An object made of attributes of the same level (CloudFormation nests
    /// what Terraform writes flat).
    Object(Vec<Field>),
    /// Set by the type's hook, from this attribute (named for provenance),
    /// with the attributes inside it that set each nested property (named
    /// in messages: `cidr_blocks` of an `ingress` block for `CidrIp`).
    Hook(String, Vec<(String, String)>),
}

/// A copied attribute and how it is adjusted.
#[derive(Default)]
pub(crate) struct AttrSpec {
    /// Candidates, the first set wins (`customer_master_key_spec`, `key_spec`).
    pub attrs: Vec<String>,
    /// The provider's default when none is set (a value marked defaulted).
    pub default: Option<ValueKind>,
    /// A policy document: a reference to `aws_iam_policy_document` is replaced by its document.
    pub document: bool,
    /// Terraform's values renamed (`public-read` -> `PublicRead`; `true` for a bool).
    pub values: Vec<(String, String)>,
    /// Text written in upper case.
    pub upper: bool,
    /// Base64 text decoded when it is (user data).
    pub base64: bool,
    /// Ignored unless written when one of these is set: the value is then
    /// inherited from a source (a snapshot, a replicated database) and a
    /// plan's value for it is the provider's default, not what is deployed.
    pub unless_inherited_from: Vec<String>,
    /// Only what the configuration writes (a plan shows computed values for
    /// arguments another resource manages).
    pub configured_only: bool,
}

/// The mappings, parsed on first use. They are embedded and every one is
/// parsed by a test, so failing here is a build defect, not bad input.
pub(crate) fn mappings() -> &'static Mappings {
    static MAPPINGS: OnceLock<Mappings> = OnceLock::new();
    MAPPINGS.get_or_init(|| load(FILES).unwrap_or_else(|e| panic!("built-in Terraform mappings: {e}")))
}

/// The Terraform resource types lifted to the canonical type `kind` (not
/// the split resources joined into one), by name: what a Terraform user
/// calls it ([`crate::graph::mapping::Vocabulary`]).
pub(crate) fn source_types(kind: &str) -> Vec<&'static SourceMapping> {
    let mut found: Vec<&'static SourceMapping> = mappings()
        .resources
        .values()
        .filter(|m| m.join.is_none() && m.kinds.iter().any(|k| k == kind))
        .map(|m| &m.source)
        .collect();
    found.sort_by(|a, b| a.source_type.cmp(&b.source_type));
    found
}

/// Parses mapping files and fills in each type's reverse lookup (with the
/// properties split resources joined into it set).
pub(crate) fn load(files: &[(&str, &str)]) -> Result<Mappings, String> {
    let mut resources = HashMap::new();
    let mut data = HashMap::new();
    for (file, text) in files {
        let table: toml::Table = text.parse().map_err(|e| format!("{file}: {e}"))?;
        for (key, entry) in table {
            let at = |e: String| format!("{file}: [{key}]: {e}");
            let entry = entry.as_table().ok_or_else(|| at("not a table".into()))?;
            let (mut mapping, also) = type_mapping(&key, entry).map_err(at)?;
            let (table, tf_type) = match key.strip_prefix("data.") {
                Some(name) => (&mut data, name.to_string()),
                None => (&mut resources, key.clone()),
            };
            for (alias, kind) in also {
                let (mut twin, _) = type_mapping(&alias, entry).map_err(at)?;
                twin.kinds = vec![kind];
                twin.source.source_type = alias.clone();
                insert(table, alias, twin).map_err(|e| format!("{file}: {e}"))?;
            }
            mapping.source.source_type = tf_type.clone();
            insert(table, tf_type, mapping).map_err(|e| format!("{file}: {e}"))?;
        }
    }
    // A property a split resource sets on its target is mapped for the target's types.
    let mut joined: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (tf_type, mapping) in &resources {
        if let Some(join) = &mapping.join {
            let set = mapping
                .source
                .attributes
                .iter()
                .map(|(path, attribute)| (path.clone(), format!("{tf_type}.{attribute}")))
                .collect();
            joined.push((join.into.clone(), set));
        }
    }
    joined.sort();
    for (into, set) in joined {
        for mapping in resources
            .values_mut()
            .filter(|m| m.join.is_none() && m.kinds.contains(&into))
        {
            mapping.source.attributes.extend(set.iter().cloned());
        }
    }
    Ok(Mappings { resources, data })
}

fn insert(
    table: &mut HashMap<String, TypeMapping>,
    tf_type: String,
    mapping: TypeMapping,
) -> Result<(), String> {
    if table.contains_key(&tf_type) {
        return Err(format!("{tf_type} is mapped twice"));
    }
    table.insert(tf_type, mapping);
    Ok(())
}

/// One `[type]` table, and the other Terraform types (`also`) mapped alike.
fn type_mapping(key: &str, entry: &toml::Table) -> Result<(TypeMapping, Vec<(String, String)>), String> {
    const KEYS: &[&str] = &[
        "type",
        "hook",
        "join",
        "also",
        "properties",
        "unknown",
        "not_expressible",
        "camel_case_documents",
    ];
    if let Some(other) = entry.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!("unknown key {other}"));
    }
    let kinds = match entry.get("type") {
        Some(toml::Value::String(kind)) => vec![kind.clone()],
        Some(toml::Value::Array(kinds)) => strings(kinds)?,
        _ => {
            return Err("type (a canonical type, or a list of those a hook chooses from) is required".into());
        }
    };
    if kinds.is_empty() {
        return Err("type lists no canonical type".into());
    }
    let hook = match entry.get("hook") {
        None => None,
        Some(toml::Value::String(name)) => {
            let hook = super::hook(name).ok_or_else(|| format!("hook {name} does not exist"))?;
            Some((name.clone(), hook))
        }
        Some(_) => return Err("hook is the name of a Rust hook".into()),
    };
    let join = match entry.get("join") {
        None => None,
        Some(toml::Value::Table(join)) => {
            let text = |k: &str| {
                join.get(k)
                    .and_then(toml::Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| format!("join.{k} is required"))
            };
            Some(JoinSpec {
                into: text("into")?,
                via: text("via")?,
            })
        }
        Some(_) => return Err("join is { into = TYPE, via = ATTRIBUTE }".into()),
    };
    let also = match entry.get("also") {
        None => Vec::new(),
        Some(toml::Value::Table(also)) => also
            .iter()
            .map(|(k, v)| match v.as_str() {
                Some(kind) => Ok((k.clone(), kind.to_string())),
                None => Err(format!("also.{k} is a canonical type")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("also is { terraform_type = CANONICAL_TYPE }".into()),
    };
    let fields = match entry.get("properties") {
        None => Vec::new(),
        Some(toml::Value::Table(props)) => fields(props)?,
        Some(_) => return Err("properties is a table".into()),
    };
    let reasons = |k: &str| -> Result<Vec<(String, String)>, String> {
        match entry.get(k) {
            None => Ok(Vec::new()),
            Some(toml::Value::Table(t)) => t
                .iter()
                .map(|(p, why)| match why.as_str() {
                    Some(why) => Ok((p.clone(), why.to_string())),
                    None => Err(format!("{k}.{p} is the reason, a text")),
                })
                .collect(),
            Some(_) => Err(format!("{k} is {{ Property = \"why\" }}")),
        }
    };
    let mut attributes = Vec::new();
    provenance(&fields, "", "", &mut attributes);
    if hook.is_none() && fields.iter().any(|f| matches!(f.spec, Spec::Hook(..))) {
        return Err(format!(
            "{key}: a property is set by a hook, but there is no hook"
        ));
    }
    let source = SourceMapping {
        source_type: String::new(),
        attributes,
        unknown: reasons("unknown")?,
        not_expressible: reasons("not_expressible")?,
        camel_case_documents: match entry.get("camel_case_documents") {
            None => Vec::new(),
            Some(toml::Value::Array(paths)) => strings(paths)?,
            Some(_) => return Err("camel_case_documents is a list of property paths".into()),
        },
    };
    Ok((
        TypeMapping {
            kinds,
            fields,
            join,
            hook,
            source,
        },
        also,
    ))
}

fn strings(items: &[toml::Value]) -> Result<Vec<String>, String> {
    items
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| "expected a list of texts".to_string())
        })
        .collect()
}

fn fields(table: &toml::Table) -> Result<Vec<Field>, String> {
    table
        .iter()
        .map(|(key, v)| {
            Ok(Field {
                key: key.clone(),
                spec: spec(v).map_err(|e| format!("{key}: {e}"))?,
            })
        })
        .collect()
}

/// One property's spec: an attribute name, or a table of one of the shapes.
fn spec(value: &toml::Value) -> Result<Spec, String> {
    let table = match value {
        toml::Value::String(name) => {
            return Ok(Spec::Attr(AttrSpec {
                attrs: vec![name.clone()],
                ..AttrSpec::default()
            }));
        }
        toml::Value::Table(t) => t,
        _ => return Err("a property is an attribute name or a table".into()),
    };
    let text = |k: &str| table.get(k).and_then(toml::Value::as_str).map(str::to_string);
    let flag = |k: &str| table.get(k).and_then(toml::Value::as_bool).unwrap_or(false);
    let nested = || match table.get("fields") {
        Some(toml::Value::Table(f)) => fields(f),
        _ => Err("fields (a table) is required".to_string()),
    };
    let allowed = |keys: &[&str]| match table.keys().find(|k| !keys.contains(&k.as_str())) {
        Some(k) => Err(format!("{k} does not go with this shape")),
        None => Ok(()),
    };
    if let Some(name) = text("by_hook") {
        allowed(&["by_hook", "names"])?;
        let names = match table.get("names") {
            None => Vec::new(),
            Some(toml::Value::Table(pairs)) => pairs
                .iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|t| (k.clone(), t.to_string()))
                        .ok_or("names values are attribute names")
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("names is { Property = \"attribute\" }".into()),
        };
        return Ok(Spec::Hook(name, names));
    }
    if let Some(v) = table.get("value") {
        allowed(&["value"])?;
        return Ok(Spec::Const(constant(v)?));
    }
    if let Some(v) = table.get("when_set") {
        allowed(&["when_set"])?;
        let toml::Value::Table(pairs) = v else {
            return Err("when_set is { attribute = TEXT }".into());
        };
        let pairs = pairs
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|t| (k.clone(), t.to_string()))
                    .ok_or("when_set values are texts")
            })
            .collect::<Result<_, _>>()?;
        return Ok(Spec::WhenSet(pairs));
    }
    if let Some(name) = text("block") {
        allowed(&["block", "fields", "configured_only"])?;
        return Ok(Spec::Block {
            name,
            fields: nested()?,
            configured_only: flag("configured_only"),
        });
    }
    if let Some(name) = text("blocks") {
        allowed(&["blocks", "fields", "require"])?;
        return Ok(Spec::Blocks {
            name,
            fields: nested()?,
            require: text("require"),
        });
    }
    if table.contains_key("fields") {
        allowed(&["fields"])?;
        return Ok(Spec::Object(nested()?));
    }
    allowed(&[
        "attr",
        "default",
        "document",
        "values",
        "upper",
        "base64",
        "unless_inherited_from",
        "configured_only",
    ])?;
    let attrs = match table.get("attr") {
        Some(toml::Value::String(a)) => vec![a.clone()],
        Some(toml::Value::Array(a)) if !a.is_empty() => strings(a)?,
        _ => return Err("attr (an attribute or a list of them) is required".into()),
    };
    let values = match table.get("values") {
        None => Vec::new(),
        Some(toml::Value::Table(v)) => v
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|t| (k.clone(), t.to_string()))
                    .ok_or("values are texts")
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("values is { terraform = CANONICAL }".into()),
    };
    let unless_inherited_from = match table.get("unless_inherited_from") {
        None => Vec::new(),
        Some(toml::Value::Array(a)) => strings(a)?,
        Some(_) => return Err("unless_inherited_from is a list of attributes".into()),
    };
    Ok(Spec::Attr(AttrSpec {
        attrs,
        default: table.get("default").map(constant).transpose()?,
        document: flag("document"),
        values,
        upper: flag("upper"),
        base64: flag("base64"),
        unless_inherited_from,
        configured_only: flag("configured_only"),
    }))
}

fn constant(value: &toml::Value) -> Result<ValueKind, String> {
    match value {
        toml::Value::Boolean(b) => Ok(ValueKind::Bool(*b)),
        toml::Value::Integer(i) => Ok(ValueKind::Number(i.to_string())),
        toml::Value::String(s) => Ok(ValueKind::String(s.clone())),
        toml::Value::Array(a) if a.is_empty() => Ok(ValueKind::List(Vec::new())),
        _ => Err("a value is a bool, an integer, a text or []".into()),
    }
}

/// The (canonical path, Terraform attribute path) pairs `fields` set.
fn provenance(fields: &[Field], path: &str, attribute: &str, out: &mut Vec<(String, String)>) {
    let join = |prefix: &str, name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        }
    };
    for field in fields {
        let here = join(path, &field.key);
        match &field.spec {
            Spec::Attr(a) => out.push((
                here,
                a.attrs
                    .iter()
                    .map(|name| join(attribute, name))
                    .collect::<Vec<_>>()
                    .join(" or "),
            )),
            Spec::WhenSet(pairs) => out.push((
                here,
                pairs
                    .iter()
                    .map(|(name, _)| join(attribute, name))
                    .collect::<Vec<_>>()
                    .join(" or "),
            )),
            Spec::Hook(name, names) => {
                let whole = join(attribute, name);
                for (property, nested) in names {
                    out.push((join(&here, property), join(&whole, nested)));
                }
                out.push((here, whole));
            }
            // Fixed by the type: no attribute sets it, but it is never missing.
            Spec::Const(_) => out.push((here, String::new())),
            Spec::Block { name, fields, .. } | Spec::Blocks { name, fields, .. } => {
                out.push((here.clone(), join(attribute, name)));
                provenance(fields, &here, &join(attribute, name), out);
            }
            Spec::Object(fields) => provenance(fields, &here, attribute, out),
        }
    }
}

/// Lifts one resource by its mapping.
pub(crate) fn lift(mapping: &'static TypeMapping, tf: &Tf<'_>, context: &Context<'_>) -> Adapted {
    // An object made of the resource's own attributes is placed at the
    // resource; one a split resource joins into another is placed at what
    // it writes, so a finding on it names the split resource.
    let values = &tf.resource.values;
    let whole = if mapping.join.is_some() && !values.span.is_empty() {
        values.span
    } else {
        tf.span()
    };
    let props = build(&mapping.fields, values, tf, context, whole);
    match &mapping.hook {
        Some((_, hook)) => hook(tf, context, props, mapping),
        None => finish(tf, props, mapping),
    }
}

/// What the data says to do with built properties: join them into the
/// resource they configure, or lift a resource of the mapping's first type.
pub(crate) fn finish(tf: &Tf<'_>, props: Props, mapping: &'static TypeMapping) -> Adapted {
    match &mapping.join {
        Some(join) => tf.join(&join.into, &join.via, props),
        None => tf.lift(&mapping.kinds[0], props),
    }
}

/// The properties `fields` make of `value` (the resource's attributes or a block).
/// `whole` is where an object made of the resource's own attributes is placed.
fn build(fields: &[Field], value: &Value, tf: &Tf<'_>, context: &Context<'_>, whole: Span) -> Props {
    let top = std::ptr::eq(value, &tf.resource.values);
    let mut props = Props::new();
    for field in fields {
        let built = match &field.spec {
            Spec::Attr(spec) => copy(spec, value, tf, context),
            Spec::Const(kind) => Some(Value::new(tf.span(), kind.clone())),
            Spec::WhenSet(pairs) => pairs
                .iter()
                .find_map(|(name, set)| attr(value, name).map(|v| text(v.span, set))),
            Spec::Block {
                name,
                fields,
                configured_only,
            } => blocks(value, name)
                .first()
                .filter(|_| !configured_only || tf.configured(name))
                .map(|block| build(fields, block, tf, context, whole).into_value(block.span)),
            Spec::Blocks {
                name,
                fields,
                require,
            } => {
                let items: Vec<Value> = blocks(value, name)
                    .into_iter()
                    .filter(|b| require.as_ref().is_none_or(|r| attr(b, r).is_some()))
                    .map(|b| build(fields, b, tf, context, whole).into_value(b.span))
                    .collect();
                // Where the blocks are written; a nested list is placed at its parent.
                let span = match attr(value, name) {
                    Some(v) if top => v.span,
                    _ => value.span,
                };
                (!items.is_empty()).then(|| Value::new(span, ValueKind::List(items)))
            }
            Spec::Object(fields) => {
                let span = if top || value.span.is_empty() {
                    whole
                } else {
                    value.span
                };
                Some(build(fields, value, tf, context, whole).into_value(span))
            }
            Spec::Hook(..) => None,
        };
        if let Some(v) = built {
            props.0.push(prop(&field.key, v));
        }
    }
    props
}

fn copy(spec: &AttrSpec, value: &Value, tf: &Tf<'_>, context: &Context<'_>) -> Option<Value> {
    let found = spec.attrs.iter().find_map(|name| {
        let v = attr(value, name)?;
        if spec.configured_only && !tf.configured(name) {
            return None;
        }
        let inherited = spec
            .unless_inherited_from
            .iter()
            .any(|s| attr(value, s).is_some());
        if inherited && !tf.configured(name) {
            return None;
        }
        Some(v)
    });
    let Some(v) = found else {
        return spec.default.as_ref().map(|d| defaulted(tf.span(), d.clone()));
    };
    if spec.document {
        return Some(super::iam::document_of(v, context));
    }
    if spec.base64 {
        return Some(decoded(v));
    }
    let renamed = match &v.kind {
        ValueKind::Bool(b) => spec.values.iter().find(|(k, _)| *k == b.to_string()),
        ValueKind::String(s) => spec.values.iter().find(|(k, _)| k == s),
        _ => None,
    };
    let kind = match (&v.kind, renamed) {
        (_, Some((_, to))) => ValueKind::String(to.clone()),
        (ValueKind::String(s), None) if spec.upper => ValueKind::String(s.to_ascii_uppercase()),
        _ => return Some(v.clone()),
    };
    Some(Value {
        span: v.span,
        kind,
        origin: v.origin.clone(),
    })
}

/// User data as the text the instance receives, as CloudFormation's graph
/// holds it (`Fn::Base64` of the text): Terraform's base64 forms
/// (`user_data_base64`, a launch template's `user_data`) are decoded when known.
fn decoded(value: &Value) -> Value {
    use base64::Engine as _;
    let text = value
        .as_str()
        .and_then(|text| base64::engine::general_purpose::STANDARD.decode(text.trim()).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match text {
        Some(text) => Value {
            span: value.span,
            kind: ValueKind::String(text),
            origin: value.origin.clone(),
        },
        None => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::lang::reads::reads;
    use crate::checks::registry::Registry;
    use crate::graph::mapping::Coverage;

    /// Every canonical type a mapping may lift to is named by a check or a
    /// CloudFormation fixture, or listed in `docs/canonical-types.md`, so a
    /// typo'd type cannot hide.
    #[test]
    fn every_mapping_parses_names_existing_hooks_and_known_types() {
        let mappings = load(FILES).expect("the built-in mappings parse");
        assert!(
            mappings.resources.len() >= 117,
            "{} types",
            mappings.resources.len()
        );
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![std::fs::read_to_string(root.join("docs/canonical-types.md")).unwrap()];
        for dir in ["checks", "fixtures"] {
            let mut stack = vec![root.join(dir)];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                        texts.push(std::fs::read_to_string(&path).unwrap_or_default());
                    }
                }
            }
        }
        let mut unknown = Vec::new();
        for (tf_type, m) in mappings.resources.iter().chain(&mappings.data) {
            for kind in &m.kinds {
                if !texts.iter().any(|t| t.contains(kind.as_str())) {
                    unknown.push(format!("{tf_type}: {kind}"));
                }
            }
            if let Some(join) = &m.join {
                assert!(
                    mappings
                        .resources
                        .values()
                        .any(|t| t.join.is_none() && t.kinds.contains(&join.into)),
                    "{tf_type} joins into {}, which no Terraform type lifts",
                    join.into
                );
            }
        }
        unknown.sort();
        assert!(
            unknown.is_empty(),
            "not a type any check, CloudFormation fixture or docs/canonical-types.md names:\n{}",
            unknown.join("\n")
        );
    }

    #[test]
    fn a_bad_mapping_is_an_error_naming_it() {
        for (text, error) in [
            ("[aws_x]\nproperties = { A = \"a\" }", "type"),
            (
                "[aws_x]\ntype = \"AWS::X::Y\"\nhook = \"no_such_hook\"",
                "hook no_such_hook does not exist",
            ),
            (
                "[aws_x]\ntype = \"AWS::X::Y\"\n[aws_x.properties]\nA = { blocks = \"b\" }",
                "A: fields",
            ),
            (
                "[aws_x]\ntype = \"AWS::X::Y\"\n[aws_x.properties]\nA = { by_hook = \"a\" }",
                "no hook",
            ),
            ("[aws_x]\ntype = \"AWS::X::Y\"\ncolour = 1", "unknown key colour"),
        ] {
            let Err(e) = load(&[("test.toml", text)]) else {
                panic!("{text} loaded");
            };
            assert!(e.contains(error), "{e} does not say {error}");
        }
    }

    #[test]
    fn joined_properties_are_mapped_for_their_target() {
        let mappings = load(FILES).unwrap();
        let bucket = &mappings.resources["aws_s3_bucket"].source;
        assert_eq!(
            bucket.coverage("PublicAccessBlockConfiguration.BlockPublicAcls"),
            Coverage::Mapped
        );
        assert_eq!(
            bucket
                .attribute_of("PublicAccessBlockConfiguration.BlockPublicAcls")
                .as_deref(),
            Some("aws_s3_bucket_public_access_block.block_public_acls")
        );
        // Inline (the legacy arguments) or by the split resource.
        assert_eq!(
            bucket
                .attribute_of("LoggingConfiguration.DestinationBucketName")
                .as_deref(),
            Some("logging.target_bucket or aws_s3_bucket_logging.target_bucket")
        );
        assert_eq!(
            mappings.resources["aws_db_instance"]
                .source
                .attribute_of("StorageEncrypted")
                .as_deref(),
            Some("storage_encrypted")
        );
    }

    /// Completeness: every property path a check reads, on every Terraform
    /// type mapped to a type the check reads it on, is mapped, declared
    /// unknown, or declared not expressible — never left to read as absent.
    #[test]
    fn every_property_a_check_reads_is_mapped_for_every_terraform_type() {
        let mappings = load(FILES).unwrap();
        let registry = Registry::builtin().unwrap();
        let mut gaps = Vec::new();
        for check in registry.checks() {
            if check.inexpressible_in("terraform").is_some() {
                continue;
            }
            for read in reads(&check.rule.body, &check.resource_types) {
                for (tf_type, m) in mappings.resources.iter().chain(&mappings.data) {
                    if m.join.is_none()
                        && m.kinds.contains(&read.kind)
                        && m.source.coverage(&read.path) == Coverage::NotMapped
                    {
                        gaps.push(format!(
                            "{}: {tf_type} ({}) does not map {}",
                            check.id, read.kind, read.path
                        ));
                    }
                }
            }
        }
        gaps.sort();
        gaps.dedup();
        assert!(gaps.is_empty(), "{} gaps:\n{}", gaps.len(), gaps.join("\n"));
    }
}
