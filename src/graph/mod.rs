//! The normalized resource graph every frontend produces and every check reads.
//!
//! Resources carry CloudFormation type names and property shapes whatever the
//! source format was; values are tri-state ([`Value`]); references between
//! resources are both symbolic values ([`ValueKind::Ref`]) and typed [`Edge`]s.

pub mod bounds;
pub mod conditions;
pub mod convert;
pub mod embedded;
pub mod identity;
pub mod mapping;
pub mod unknown;
mod value;

use std::collections::HashMap;

pub use bounds::Bounds;
pub use conditions::{CondExpr, Conditions};
pub use unknown::{Budget, FileProblem, Pseudo, Unknowable};
pub use value::{BoundedBy, CondValue, Origin, Part, Prop, ResourceRef, Value, ValueKind};

use crate::parse::Span;

/// Index of a resource in its graph.
pub type ResourceId = usize;

/// Whether a resource is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deployment {
    /// Always created.
    Always,
    /// Its condition is false with the given parameters: never created.
    Never { condition: String },
    /// Created only when the named (undecidable) condition holds.
    When { condition: String },
}

/// The canonical type of a template input: a CloudFormation parameter or a
/// Terraform variable (`NoEcho`, `Default`, `Type`), lifted into the graph
/// so checks judge inputs of both dialects alike (PF-GEN-01). A value read
/// from SSM Parameter Store is an input too, as a CloudFormation parameter of
/// type `AWS::SSM::Parameter::Value<...>` is: a `{{resolve:ssm:NAME}}`
/// dynamic reference (id: the reference) and a Terraform
/// `data "aws_ssm_parameter"` (id: its address) become parameters of type
/// `AWS::SSM::Parameter::Value<String>` whose `Default` is the SSM name, so
/// rules read where such a value comes from (PF-EC2-02).
pub const PARAMETER: &str = "AWS::CloudFormation::Parameter";

/// The canonical type of a template output: a CloudFormation output or a
/// Terraform output (`Value`, `Sensitive`, and what the value is made of:
/// `Parameters` (references to inputs), `Attributes` (`Target.Attribute`
/// texts), `DynamicReferences`) (PF-GEN-04).
pub const OUTPUT: &str = "AWS::CloudFormation::Output";

/// The canonical type of a Terraform `data "aws_ami"` lookup: the image
/// query it makes (`Owners`, `Filters` as `{Name, Values}`, `NameRegex`,
/// `MostRecent`, `ExecutableUsers`, `IncludeDeprecated`, named after EC2's
/// DescribeImages), so a rule can tell which images its id may be.
pub const IMAGE_LOOKUP: &str = "AWS::EC2::ImageLookup";

/// The canonical type of a Terraform `provider "aws"` block: the credentials,
/// profile and region it is configured with (PF-GEN-06).
pub const PROVIDER: &str = "AWS::Terraform::Provider";

/// One declared resource.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Logical id (CloudFormation) or address (Terraform).
    pub id: String,
    /// Canonical (CloudFormation) type name.
    pub kind: String,
    /// Where the resource is declared: its logical id key (and so its file).
    pub span: Span,
    /// The evaluated `Properties` (an empty map when absent).
    pub properties: Value,
    pub deployment: Deployment,
    /// The resource's `Metadata`, evaluated.
    pub metadata: Option<Box<Value>>,
    /// The type it was written as, when lifted from another format (`aws_s3_bucket`).
    pub source_kind: Option<String>,
    /// Physical names, ids and ARNs known before deploy (Terraform state of
    /// existing resources), so literal references designate it.
    pub known_names: Vec<String>,
    /// The resource as written in its own format when that is not
    /// CloudFormation (Terraform's attributes), for checks that read every
    /// text of it (`strings()`); moved here after adaptation, never copied.
    pub written: Option<Box<Value>>,
    /// Separate configuration resources joined into this one (Terraform's
    /// `aws_s3_bucket_public_access_block`): a finding on a value they set
    /// is placed on them.
    pub joined: Vec<Joined>,
    /// The resource the user wrote that this one is generated from, when
    /// that is another (the SAM function behind `AdminFunctionRole`).
    pub generated_from: Option<String>,
    /// How its source type maps its properties, when it was lifted from
    /// another format by a mapping (Terraform): a property that mapping does
    /// not cover is unknown, not absent. A pointer: plans hold tens of
    /// thousands of resources.
    pub mapping: Option<&'static mapping::SourceMapping>,
}

/// A configuration resource joined into another.
#[derive(Debug, Clone, PartialEq)]
pub struct Joined {
    /// Its address.
    pub id: String,
    /// Its declaration (block header).
    pub span: Span,
    /// Everything it sets.
    pub extent: Span,
}

impl Resource {
    /// Whether this is a template input or output, a provider configuration
    /// or an image lookup ([`PARAMETER`], [`OUTPUT`], [`PROVIDER`],
    /// [`IMAGE_LOOKUP`]) rather than something deployed: it is checked, but
    /// not counted.
    pub fn is_declaration(&self) -> bool {
        [PARAMETER, OUTPUT, PROVIDER, IMAGE_LOOKUP].contains(&self.kind.as_str())
    }
}

/// How one resource refers to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdgeKind {
    Ref,
    GetAtt(String),
    DependsOn,
}

/// A typed reference from a property of one resource to another resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: ResourceId,
    pub to: ResourceId,
    /// The property path that made the edge (`ResourceId`, `Policies[0].PolicyDocument`).
    pub via: String,
    pub kind: EdgeKind,
}

/// The resources of one deployable unit (a template, a module, a plan).
#[derive(Debug, Default)]
pub struct Graph {
    resources: Vec<Resource>,
    by_kind: HashMap<String, Vec<ResourceId>>,
    by_id: HashMap<String, ResourceId>,
    /// Resources by the physical names they are known under (see `identity`).
    by_name: HashMap<String, Vec<ResourceId>>,
    /// For each resource, the resources whose references point at it.
    referring: Vec<Vec<ResourceId>>,
    /// By kind, then by name key (`identity::name_keys`), the resources of
    /// that kind whose texts hold the key. Kept apart from the names they may
    /// designate, so many resources sharing one name cost their number, not
    /// its square.
    mentions: HashMap<String, HashMap<String, Vec<ResourceId>>>,
    pub edges: Vec<Edge>,
    pub conditions: Conditions,
    /// What the template bounds each parameter without a value to, by name
    /// (read for unknown values whose origin is that parameter).
    pub parameter_bounds: HashMap<String, Bounds>,
    /// How the language the resources were written in names canonical types
    /// (the Terraform types lifted to `AWS::EC2::FlowLog`), when that is not
    /// CloudFormation: messages name types no resource of the graph has.
    pub vocabulary: Option<mapping::Vocabulary>,
}

impl Graph {
    /// Room for `additional` more resources, so a large unit's graph is
    /// allocated once rather than grown by doubling.
    pub fn reserve(&mut self, additional: usize) {
        self.resources.reserve(additional);
    }

    /// Adds a resource and indexes it.
    pub fn add(&mut self, resource: Resource) -> ResourceId {
        let id = self.resources.len();
        self.by_kind.entry(resource.kind.clone()).or_default().push(id);
        self.by_id.insert(resource.id.clone(), id);
        for name in identity::names(&resource) {
            self.by_name.entry(name).or_default().push(id);
        }
        self.resources.push(resource);
        id
    }

    /// The resources known under physical name `name`.
    pub fn named(&self, name: &str) -> &[ResourceId] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The resources of `kind` that may refer to `id`, by reference or by
    /// one of its names, in order and each once: the candidates
    /// `referrers()` checks, so it is not quadratic (a superset;
    /// `identity::designates` decides).
    pub fn incoming(&self, id: ResourceId, kind: &str) -> Vec<ResourceId> {
        let mut found: Vec<ResourceId> = self
            .referring
            .get(id)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(|&from| self.resources[from].kind == kind)
            .collect();
        if let (Some(by_key), Some(resource)) = (self.mentions.get(kind), self.resources.get(id)) {
            for name in identity::names(resource) {
                found.extend(by_key.get(&name).map_or(&[][..], Vec::as_slice));
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// All resources, in declaration order.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// The resource at `id`.
    pub fn resource(&self, id: ResourceId) -> &Resource {
        &self.resources[id]
    }

    /// The resources of one type.
    pub fn of_kind(&self, kind: &str) -> &[ResourceId] {
        self.by_kind.get(kind).map_or(&[], Vec::as_slice)
    }

    /// The resource at `id`, to join split configuration into it.
    pub fn resource_mut(&mut self, id: ResourceId) -> &mut Resource {
        &mut self.resources[id]
    }

    /// The bounds of an unknown value computed from a parameter, if any.
    pub fn bounds_of<'g>(&'g self, value: &'g Value) -> Option<&'g Bounds> {
        bounds::of_value(value, &self.parameter_bounds)
    }

    /// The shape of a reference's value when it is the ARN of a resource
    /// declared here (`GetAtt X.Arn`, Terraform's `x.arn`, the `Ref` of a
    /// managed policy or topic): never `"*"`, never an AWS-managed policy.
    pub fn reference_bounds(&self, value: &Value) -> Option<&'static Bounds> {
        let ValueKind::Ref(r) = &value.kind else {
            return None;
        };
        let target = self.resource(self.find(&r.target)?);
        let is_arn = match r.attribute.as_deref() {
            Some(attribute) => attribute.eq_ignore_ascii_case("arn") || attribute.ends_with("Arn"),
            // CloudFormation types whose `Ref` is their ARN.
            None => matches!(
                target.kind.as_str(),
                "AWS::IAM::ManagedPolicy" | "AWS::SNS::Topic"
            ),
        };
        // A Terraform data source or an imported resource is not in the graph.
        is_arn.then(Bounds::declared_arn)
    }

    /// The resource with the given logical id or address.
    pub fn find(&self, id: &str) -> Option<ResourceId> {
        self.by_id.get(id).copied()
    }

    /// Records the edges of every reference inside each resource's properties.
    pub fn index_edges(&mut self) {
        let mut edges = Vec::new();
        for (from, resource) in self.resources.iter().enumerate() {
            let mut path = String::new();
            collect_refs(&resource.properties, &mut path, &mut |via, r| {
                if let Some(&to) = self.by_id.get(&r.target) {
                    let kind = match &r.attribute {
                        Some(a) => EdgeKind::GetAtt(a.clone()),
                        None => EdgeKind::Ref,
                    };
                    edges.push(Edge {
                        from,
                        to,
                        via: via.to_string(),
                        kind,
                    });
                }
            });
        }
        self.edges.extend(edges);
        // Candidates for `referrers()`: reference edges, and literal names.
        let mut referring: Vec<Vec<ResourceId>> = vec![Vec::new(); self.resources.len()];
        for edge in &self.edges {
            referring[edge.to].push(edge.from);
        }
        let mut mentions: HashMap<String, HashMap<String, Vec<ResourceId>>> = HashMap::new();
        for (from, resource) in self.resources.iter().enumerate() {
            let mut texts = Vec::new();
            collect_texts(&resource.properties, &mut texts, 0);
            let by_key = mentions.entry(resource.kind.clone()).or_default();
            for text in texts {
                // Only the names some resource is known under can designate one.
                for key in identity::name_keys(&text)
                    .into_iter()
                    .filter(|k| self.by_name.contains_key(*k))
                {
                    let froms = by_key.entry(key.to_string()).or_default();
                    if froms.last() != Some(&from) {
                        froms.push(from);
                    }
                }
            }
        }
        self.referring = referring;
        self.mentions = mentions;
    }
}

/// Every string (and interpolation pattern, unknown parts as `*`) in a value.
fn collect_texts(value: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 256 {
        return;
    }
    match &value.kind {
        ValueKind::String(s) => out.push(s.clone()),
        ValueKind::Interp(parts) => out.push(identity::interp_pattern(parts)),
        ValueKind::List(items) => items.iter().for_each(|v| collect_texts(v, out, depth + 1)),
        ValueKind::Map(props) => props.iter().for_each(|p| collect_texts(&p.value, out, depth + 1)),
        ValueKind::Cond(c) => {
            collect_texts(&c.then, out, depth + 1);
            collect_texts(&c.otherwise, out, depth + 1);
        }
        _ => {}
    }
}

fn collect_refs(value: &Value, path: &mut String, found: &mut dyn FnMut(&str, &ResourceRef)) {
    let len = path.len();
    // A value read from another resource's attribute refers to it too.
    if let Origin::Attribute(r) = &value.origin {
        found(path, r);
    }
    match &value.kind {
        ValueKind::Ref(r) => found(path, r),
        ValueKind::Interp(parts) => {
            for part in parts {
                if let Part::Ref(r) = part {
                    found(path, r);
                }
            }
        }
        ValueKind::List(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                collect_refs(item, path, found);
                path.truncate(len);
            }
        }
        ValueKind::Map(props) => {
            for p in props {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&p.key);
                collect_refs(&p.value, path, found);
                path.truncate(len);
            }
        }
        ValueKind::Cond(c) => {
            collect_refs(&c.then, path, found);
            collect_refs(&c.otherwise, path, found);
        }
        _ => {}
    }
}
