//! Modules: the declarations of one directory of `.tf` files, and the tree of
//! module instances a root module calls.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

use super::budget::Budget;
use super::eval::Instances;
use super::files::FileAccess;
use super::source::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::graph::Value;

/// Something declared in a file of the unit.
pub(super) struct Decl<T> {
    pub item: T,
    /// Index of the file in the unit.
    pub file: usize,
}

/// A `resource` or `data` block.
pub(super) struct ResourceDecl {
    pub data: bool,
    pub tf_type: String,
    pub name: String,
    pub block: Block,
}

/// The declarations of one module directory.
#[derive(Default)]
pub(super) struct ModuleDef {
    pub dir: PathBuf,
    pub variables: HashMap<String, Decl<Block>>,
    pub locals: HashMap<String, Decl<Expression>>,
    pub outputs: HashMap<String, Decl<Expression>>,
    /// The `output` blocks as written (for their `sensitive`, and checks on outputs).
    pub output_blocks: Vec<(String, Decl<Block>)>,
    /// The default `provider "aws"` block (no `alias`), for the region.
    pub aws_provider: Option<Decl<Block>>,
    /// Every `provider "aws"` block, aliased ones included.
    pub aws_providers: Vec<Decl<Block>>,
    pub resources: Vec<Decl<ResourceDecl>>,
    /// Where each resource is in `resources`, by (data, type, name).
    resource_index: HashMap<(bool, String, String), usize>,
    pub calls: Vec<Decl<Block>>,
}

impl ModuleDef {
    /// Collects the top-level declarations of parsed files.
    pub fn new(dir: &Path, bodies: Vec<(usize, Body)>) -> ModuleDef {
        let mut def = ModuleDef {
            dir: dir.to_path_buf(),
            ..Default::default()
        };
        for (file, body) in bodies {
            for structure in body {
                let Structure::Block(block) = structure else {
                    continue;
                };
                let labels: Vec<String> = block.labels.iter().map(|l| l.as_str().to_string()).collect();
                match (block.ident.as_str(), labels.as_slice()) {
                    ("variable", [name]) => {
                        def.variables.insert(name.clone(), Decl { item: block, file });
                    }
                    ("locals", []) => {
                        for local in block.body {
                            if let Structure::Attribute(attr) = local {
                                def.locals.insert(
                                    attr.key.as_str().to_string(),
                                    Decl {
                                        item: attr.value,
                                        file,
                                    },
                                );
                            }
                        }
                    }
                    ("output", [name]) => {
                        def.output_blocks.push((
                            name.clone(),
                            Decl {
                                item: block.clone(),
                                file,
                            },
                        ));
                        if let Some(value) = block.body.get_attribute("value") {
                            def.outputs.insert(
                                name.clone(),
                                Decl {
                                    item: value.value.clone(),
                                    file,
                                },
                            );
                        }
                    }
                    ("resource" | "data", [tf_type, name]) => {
                        let data = block.ident.as_str() == "data";
                        def.resource_index
                            .entry((data, tf_type.clone(), name.clone()))
                            .or_insert(def.resources.len());
                        def.resources.push(Decl {
                            item: ResourceDecl {
                                data,
                                tf_type: tf_type.clone(),
                                name: name.clone(),
                                block,
                            },
                            file,
                        });
                    }
                    ("module", [_]) => def.calls.push(Decl { item: block, file }),
                    ("provider", [name]) if name == "aws" => {
                        if block.body.get_attribute("alias").is_none() {
                            def.aws_provider = Some(Decl {
                                item: block.clone(),
                                file,
                            });
                        }
                        def.aws_providers.push(Decl { item: block, file });
                    }
                    _ => {}
                }
            }
        }
        def
    }

    /// The position in `resources` of a resource (or data source).
    pub fn resource(&self, data: bool, tf_type: &str, name: &str) -> Option<usize> {
        self.resource_index
            .get(&(data, tf_type.to_string(), name.to_string()))
            .copied()
    }
}

/// One instance of a module in the unit's tree.
pub(super) struct Instance {
    /// Index of its definition in the unit.
    pub def: usize,
    /// Address prefix of its resources: `""`, `module.net.`, `module.net["a"].`.
    pub prefix: String,
    /// Values of its input variables given by the caller (root: tfvars and `--var`).
    pub inputs: HashMap<String, Value>,
    /// The instances of the modules it calls: (call name, instance key, instance index).
    pub children: Vec<(String, Option<Value>, usize)>,
    /// Locals evaluated so far (`None` while being evaluated: a cycle).
    pub locals: RefCell<HashMap<String, Option<Rc<Value>>>>,
    /// The instances of its resources expanded so far, by resource position.
    pub resource_keys: RefCell<HashMap<usize, Instances>>,
    /// The undecidable conditions its calls' `count` / `for_each` put it
    /// under (outermost first): it exists only when all hold.
    pub existence: Vec<super::Condition>,
}

impl Instance {
    /// The root module's instance of definition `def`, before its inputs are read.
    pub fn root(def: usize) -> Instance {
        Instance {
            def,
            prefix: String::new(),
            inputs: HashMap::new(),
            children: Vec::new(),
            locals: Default::default(),
            resource_keys: Default::default(),
            existence: Vec::new(),
        }
    }
}

/// Everything a `.tf` unit holds.
#[derive(Default)]
pub(super) struct Unit {
    pub files: Vec<SourceFile>,
    pub defs: Vec<ModuleDef>,
    pub instances: Vec<Instance>,
    pub diagnostics: Vec<(usize, Diagnostic)>,
    /// Problems found while evaluating (reference cycles), by file.
    pub eval_diagnostics: RefCell<Vec<(usize, Diagnostic)>>,
    /// The problems of `eval_diagnostics`, to report each once.
    pub reported: RefCell<HashSet<(usize, Diagnostic)>>,
    /// What evaluating the unit may still cost.
    pub budget: Budget,
    /// The files `file()` and its kin may read.
    pub file_access: FileAccess,
}

impl Unit {
    /// Parses in-memory `.tf` texts as the module in `dir` (fuzzing, tests).
    pub fn load_def_from_texts(&mut self, dir: &Path, texts: Vec<(PathBuf, String)>) -> usize {
        self.add_def(dir, texts, |path, text, index| {
            SourceFile::parse(path, text, index)
        })
    }

    /// Parses every `.tf` file of `dir` into a new module definition.
    pub fn load_def(&mut self, dir: &Path, max_size: u64) -> usize {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "tf"))
                    .collect()
            })
            .unwrap_or_default();
        paths.sort();
        let paths = paths.into_iter().map(|path| (path, ())).collect();
        self.add_def(dir, paths, |path, (), index| {
            SourceFile::load(path, index, max_size)
        })
    }

    /// Adds a module definition made of `sources`, each read by `parse` as
    /// the file with the index it is given.
    fn add_def<T>(
        &mut self,
        dir: &Path,
        sources: Vec<(PathBuf, T)>,
        parse: impl Fn(&Path, T, u32) -> Result<(SourceFile, Body), Diagnostic>,
    ) -> usize {
        let mut bodies = Vec::new();
        for (path, source) in sources {
            let index = self.files.len();
            let parsed = parse(&path, source, index as u32);
            if let Some(body) = self.push_file(&path, parsed) {
                bodies.push((index, body));
            }
        }
        self.defs.push(ModuleDef::new(dir, bodies));
        self.defs.len() - 1
    }

    /// Records the next file of the unit, parsed with index `self.files.len()`;
    /// a file that failed stays in the table as a placeholder so its
    /// diagnostic can name it. Returns the body when it parsed.
    pub fn push_file(&mut self, path: &Path, parsed: Result<(SourceFile, Body), Diagnostic>) -> Option<Body> {
        let index = self.files.len();
        match parsed {
            Ok((file, body)) => {
                self.files.push(file);
                Some(body)
            }
            Err(diagnostic) => {
                self.files.push(SourceFile::placeholder(path, index as u32));
                self.diagnostics.push((index, diagnostic));
                None
            }
        }
    }

    /// Reports an evaluation problem in file `file` (once).
    pub fn report(&self, file: usize, diagnostic: Diagnostic) {
        if self.reported.borrow_mut().insert((file, diagnostic.clone())) {
            self.eval_diagnostics.borrow_mut().push((file, diagnostic));
        }
    }

    /// The file a declaration is in.
    pub fn file(&self, index: usize) -> &SourceFile {
        &self.files[index]
    }
}
