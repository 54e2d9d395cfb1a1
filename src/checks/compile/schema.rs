//! The property trees of the resource types checks may name: CloudFormation's
//! (generated from the registry schemas by `scripts/cfn-schema.py`, see
//! `schema/README.md`) and preflight's canonical types (`docs/canonical-types.md`),
//! whose table also adds the properties Terraform adapters lift into
//! CloudFormation types beyond their schema.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

static CLOUDFORMATION: &str = include_str!("schema/cfn-properties.txt");
static CANONICAL: &str = include_str!("schema/canonical-properties.txt");

/// What a property holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Text, a number or a boolean.
    Scalar,
    /// Anything: a JSON document, or a tree the vendored schema does not go into.
    Any,
    Object(BTreeMap<String, Shape>),
    List(Box<Shape>),
    /// Any key, each holding the shape.
    Map(Box<Shape>),
}

/// The known types, and each type's tree once it was asked for.
pub struct Schemas {
    /// Each type's lines in each table (CloudFormation, then canonical).
    types: HashMap<&'static str, Vec<&'static str>>,
    trees: Mutex<HashMap<String, Arc<Shape>>>,
}

/// The schemas built into the binary.
pub fn builtin() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| Schemas::new(&[CLOUDFORMATION, CANONICAL]))
}

impl Schemas {
    /// Indexes tables in the format `scripts/cfn-schema.py` writes.
    pub fn new(tables: &[&'static str]) -> Schemas {
        let mut types: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        for table in tables {
            let mut current: Option<(&'static str, usize)> = None;
            let mut offset = 0;
            for line in table.split_inclusive('\n') {
                if let Some(name) = line.strip_prefix('=') {
                    if let Some((name, start)) = current.take() {
                        types.entry(name).or_default().push(&table[start..offset]);
                    }
                    current = Some((name.trim_end(), offset + line.len()));
                }
                offset += line.len();
            }
            if let Some((name, start)) = current {
                types.entry(name).or_default().push(&table[start..]);
            }
        }
        Schemas {
            types,
            trees: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `kind` is a known type.
    pub fn knows(&self, kind: &str) -> bool {
        self.types.contains_key(kind)
    }

    /// The known type names, for suggestions.
    pub fn type_names(&self) -> impl Iterator<Item = &str> {
        self.types.keys().copied()
    }

    /// The properties of `kind`, when it is known.
    pub fn tree(&self, kind: &str) -> Option<Arc<Shape>> {
        let tables = self.types.get(kind)?;
        let mut trees = self.trees.lock().unwrap_or_else(|e| e.into_inner());
        let tree = trees.entry(kind.to_string()).or_insert_with(|| {
            let mut merged = BTreeMap::new();
            for text in tables {
                let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
                let mut at = 0;
                merge(&mut merged, children(&lines, &mut at, 0));
            }
            Arc::new(Shape::Object(merged))
        });
        Some(tree.clone())
    }
}

/// Adds `more` to `into`; objects present in both are merged.
fn merge(into: &mut BTreeMap<String, Shape>, more: BTreeMap<String, Shape>) {
    for (key, shape) in more {
        match (into.get_mut(&key), shape) {
            (Some(Shape::Object(mine)), Shape::Object(theirs)) => merge(mine, theirs),
            (_, shape) => {
                into.insert(key, shape);
            }
        }
    }
}

/// The properties written from `lines[*at]` on at indentation `depth`.
fn children(lines: &[&str], at: &mut usize, depth: usize) -> BTreeMap<String, Shape> {
    let mut out = BTreeMap::new();
    while let Some(line) = lines.get(*at) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent < depth {
            break;
        }
        *at += 1;
        if indent > depth {
            continue; // below a property that has no children: malformed, skipped
        }
        let text = &line[indent..];
        let body = text.trim_end_matches(['.', '{', '~']);
        let leaf = &text[body.len()..];
        let name = body.trim_end_matches(['[', '*']);
        let wrappers = &body[name.len()..];
        let mut shape = match leaf {
            "{" => Shape::Object(children(lines, at, depth + 1)),
            "~" => Shape::Any,
            _ => Shape::Scalar,
        };
        for wrapper in wrappers.chars().rev() {
            shape = if wrapper == '[' {
                Shape::List(Box::new(shape))
            } else {
                Shape::Map(Box::new(shape))
            };
        }
        out.insert(name.to_string(), shape);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_vendored_trees() {
        let schemas = builtin();
        assert!(schemas.knows("AWS::S3::Bucket"));
        assert!(
            schemas.knows("AWS::IAM::AccountPasswordPolicy"),
            "canonical types are known"
        );
        assert!(!schemas.knows("AWS::S3::Bukket"));
        let Some(tree) = schemas.tree("AWS::S3::Bucket") else {
            panic!("no tree")
        };
        let Shape::Object(props) = tree.as_ref() else {
            panic!("not an object")
        };
        let Some(Shape::Object(encryption)) = props.get("BucketEncryption") else {
            panic!("{:?}", props.get("BucketEncryption"))
        };
        assert!(matches!(
            encryption.get("ServerSideEncryptionConfiguration"),
            Some(Shape::List(inner)) if matches!(inner.as_ref(), Shape::Object(_))
        ));
        assert_eq!(props.get("BucketName"), Some(&Shape::Scalar));
    }

    #[test]
    fn tables_merge_and_wrappers_nest() {
        let schemas = Schemas::new(&["=T::A::B\nA{\n B.\nC[[.\nD*{\n E~\n", "=T::A::B\nA{\n F.\n"]);
        let tree = schemas.tree("T::A::B").unwrap();
        let Shape::Object(props) = tree.as_ref() else {
            panic!()
        };
        let Some(Shape::Object(a)) = props.get("A") else {
            panic!()
        };
        assert_eq!(a.len(), 2, "{a:?}");
        assert_eq!(
            props.get("C"),
            Some(&Shape::List(Box::new(Shape::List(Box::new(Shape::Scalar)))))
        );
        assert!(
            matches!(props.get("D"), Some(Shape::Map(inner)) if matches!(inner.as_ref(), Shape::Object(_)))
        );
    }
}
