//! Finds the inputs below the scanned paths.
//!
//! The `ignore` walker honours `.gitignore` and skips hidden files; directories
//! that hold generated or vendored content are skipped too. Which files are
//! infrastructure code is decided by their content; a cheap sniff of the text
//! decides whether one that does not parse is an error or only a warning.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// A candidate input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub syntax: Syntax,
}

/// The concrete syntax of a candidate file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
    /// `.template`: JSON or YAML, told apart by the first character.
    Either,
    /// A directory of `.tf` files: a Terraform root module.
    TerraformModule,
    /// A CDK cloud assembly directory (`cdk.out`, holding `manifest.json`).
    CdkAssembly,
}

/// Directories whose content is generated or vendored, never scanned.
const SKIPPED_DIRS: &[&str] = &[".terraform", "node_modules", ".git"];

/// Paths never scanned: gitignore-style globs (`legacy/`, `**/test/*.yaml`),
/// absolute or relative to the current directory.
#[derive(Debug, Default, Clone)]
pub struct Exclude {
    globs: globset::GlobSet,
}

impl Exclude {
    /// Compiles the patterns; a directory pattern also excludes what is below it.
    pub fn new(patterns: &[String]) -> Result<Exclude, String> {
        let mut builder = globset::GlobSetBuilder::new();
        // Globs separate with `/` on every system (globset matches Windows
        // paths with their `\` turned to `/`); the current directory a
        // relative pattern starts from is literal, whatever characters it has.
        // A verbatim Windows path (`\\?\C:\x`, which the current directory
        // can be) is matched in its plain form (`C:/x`), as candidates are.
        let slashes = |path: &Path| {
            let text = path.to_string_lossy();
            let plain = text
                .strip_prefix(r"\\?\")
                .filter(|rest| rest.as_bytes().get(1) == Some(&b':'));
            plain.unwrap_or(&text).replace(std::path::MAIN_SEPARATOR, "/")
        };
        let cwd = std::env::current_dir().map_err(|e| format!("exclude: {e}"))?;
        let cwd = globset::escape(&slashes(&cwd));
        for pattern in patterns {
            let trimmed = pattern.trim_end_matches('/');
            let base = if Path::new(trimmed).is_absolute() {
                slashes(Path::new(trimmed))
            } else {
                let relative = slashes(Path::new(trimmed));
                format!(
                    "{}/{}",
                    cwd.trim_end_matches('/'),
                    relative.trim_start_matches("./")
                )
            };
            for glob in [base.clone(), format!("{base}/**")] {
                builder.add(globset::Glob::new(&glob).map_err(|e| format!("exclude {pattern}: {e}"))?);
            }
        }
        let globs = builder.build().map_err(|e| e.to_string())?;
        Ok(Exclude { globs })
    }

    /// Whether `path` is excluded.
    pub fn excludes(&self, path: &Path) -> bool {
        !self.globs.is_empty() && std::path::absolute(path).is_ok_and(|p| self.globs.is_match(p))
    }
}

/// Every candidate file below `paths` (a path may also be a file), in path
/// order, but the excluded ones. Files over `max_file_size` are never read here.
pub fn discover(paths: &[PathBuf], max_file_size: u64, exclude: &Exclude) -> Result<Vec<Candidate>, String> {
    let mut out = Vec::new();
    let mut module_dirs: Vec<PathBuf> = Vec::new();
    // Cloud assemblies found beside the walk, whether git-ignored or not.
    let mut generated: Vec<PathBuf> = Vec::new();
    for path in paths {
        let path = &with_directory(path);
        if !path.exists() {
            return Err(format!("{}: no such file or directory", path.display()));
        }
        if path.is_file() && is_terraform_source(path) {
            // A `.tf` or variable file stands for its module.
            module_dirs.push(parent_dir(path));
            continue;
        }
        if path.is_file()
            && let Some(assembly) = enclosing_assembly(path, max_file_size)
        {
            // A file of a cloud assembly stands for the assembly.
            out.push(Candidate {
                path: assembly,
                syntax: Syntax::CdkAssembly,
            });
            continue;
        }
        if path.is_file() {
            // A file named explicitly is scanned whatever its extension.
            let syntax = syntax_of(path).unwrap_or(Syntax::Either);
            out.push(Candidate {
                path: path.clone(),
                syntax,
            });
            continue;
        }
        let excluded = exclude.clone();
        let walker = ignore::WalkBuilder::new(path)
            // .gitignore rules apply even when the tree is not a git checkout.
            .require_git(false)
            .filter_entry(move |entry| {
                if excluded.excludes(entry.path()) {
                    return false;
                }
                let name = entry.file_name().to_string_lossy();
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                !(is_dir && (SKIPPED_DIRS.contains(&name.as_ref()) || name.starts_with("asset.")))
            })
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| e.to_string())?;
            if entry.file_type().is_some_and(|t| t.is_dir()) {
                generated.extend(assembly_below(entry.path(), max_file_size, exclude));
                continue;
            }
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            if entry.path().extension().is_some_and(|e| e == "tf") {
                if let Some(dir) = entry.path().parent() {
                    module_dirs.push(dir.to_path_buf());
                }
                continue;
            }
            if let Some(syntax) = syntax_of(entry.path()) {
                out.push(Candidate {
                    path: entry.into_path(),
                    syntax,
                });
            }
        }
    }
    // A cloud assembly is one unit: its templates are read through its
    // manifest, never one by one (stage assemblies nest inside it).
    let mut assemblies: Vec<PathBuf> = out
        .iter()
        .filter(|c| c.path.file_name().is_some_and(|n| n == "manifest.json"))
        .filter_map(|c| c.path.parent())
        .filter(|dir| is_assembly(dir, max_file_size))
        .map(Path::to_path_buf)
        .chain(generated)
        .collect();
    assemblies.sort();
    assemblies.dedup_by(|inner, outer| inner.starts_with(outer));
    if !assemblies.is_empty() {
        out.retain(|c| !assemblies.iter().any(|a| c.path.starts_with(a)));
        out.extend(assemblies.into_iter().map(|path| Candidate {
            path,
            syntax: Syntax::CdkAssembly,
        }));
    }
    module_dirs.sort();
    module_dirs.dedup();
    // A module that another scanned module calls is evaluated through that
    // call; a module whose plan is scanned is read through that plan.
    let planned: Vec<PathBuf> = out
        .par_iter()
        .filter(|c| c.syntax == Syntax::Json && is_plan_file(&c.path, max_file_size))
        .filter_map(|c| c.path.parent().map(Path::to_path_buf))
        .collect();
    module_dirs.retain(|d| !planned.contains(d));
    for dir in crate::frontends::terraform::hcl::root_modules(&module_dirs, max_file_size) {
        out.push(Candidate {
            path: dir,
            syntax: Syntax::TerraformModule,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup();
    Ok(out)
}

/// `path` with a directory part: a bare file name (`main.tf`) is `./main.tf`,
/// so that its parent is the current directory rather than the empty path,
/// and every spelling of a path finds the same inputs.
fn with_directory(path: &Path) -> PathBuf {
    if path.parent().is_some_and(|p| p.as_os_str().is_empty()) {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    }
}

/// The directory a file lies in (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The CDK cloud assembly `cdk synth` leaves in `dir` (`cdk.out`, or the
/// `output` its `cdk.json` names), unless excluded. It is generated output,
/// and the default CDK `.gitignore` lists it, so the walk alone would miss it;
/// yet it is exactly what is deployed, so it is scanned.
fn assembly_below(dir: &Path, max_file_size: u64, exclude: &Exclude) -> Option<PathBuf> {
    let assembly = assembly_dir(dir, max_file_size);
    (!exclude.excludes(&assembly) && is_assembly(&assembly, max_file_size)).then_some(assembly)
}

/// Where `cdk synth` writes the assembly of an app in `dir`: `cdk.json`'s
/// `output`, else `cdk.out`.
pub fn assembly_dir(dir: &Path, max_file_size: u64) -> PathBuf {
    let cdk_json = dir.join("cdk.json");
    let output = cdk_json
        .is_file()
        .then(|| {
            crate::parse::read_source(&cdk_json, max_file_size, |_| true)
                .ok()
                .flatten()
        })
        .flatten()
        .and_then(|text| crate::parse::load_json(&text, crate::parse::Limits::default()).ok())
        .and_then(|config| config.get("output")?.value.as_str().map(str::to_string));
    dir.join(output.as_deref().unwrap_or("cdk.out"))
}

/// `.tf`, `.tfvars` and `.tfvars.json` files: read by the module they belong to.
fn is_terraform_source(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.ends_with(".tf") || name.ends_with(".tfvars") || name.ends_with(".tfvars.json")
}

/// The cloud assembly (a directory with a cloud-assembly `manifest.json`) a
/// file lies in, looking a few directories up (stage assemblies nest).
fn enclosing_assembly(path: &Path, max_file_size: u64) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .take(4)
        .filter(|dir| is_assembly(dir, max_file_size))
        .last()
        .map(Path::to_path_buf)
}

/// Whether `dir` holds a cloud-assembly `manifest.json`.
fn is_assembly(dir: &Path, max_file_size: u64) -> bool {
    let manifest = dir.join("manifest.json");
    manifest.is_file()
        && matches!(
            crate::parse::read_source(&manifest, max_file_size, crate::frontends::cdk::is_manifest),
            Ok(Some(_))
        )
}

/// Whether a directory holds `.tf` files.
pub fn has_tf_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "tf"))
        })
        .unwrap_or(false)
}

/// Whether a JSON file is a Terraform plan (read only for `.json` files next
/// to `.tf` files). A file over the size limit is not: the scan reports it.
fn is_plan_file(path: &Path, max_file_size: u64) -> bool {
    path.parent().is_some_and(has_tf_files)
        && matches!(
            crate::parse::read_source(path, max_file_size, crate::frontends::terraform::may_be_plan),
            Ok(Some(_))
        )
}

fn syntax_of(path: &Path) -> Option<Syntax> {
    // Variable files are read by the module that owns them, never as templates or plans.
    if path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(".tfvars.json"))
    {
        return None;
    }
    let extension = path.extension()?.to_string_lossy().to_ascii_lowercase();
    Some(match extension.as_str() {
        "yaml" | "yml" => Syntax::Yaml,
        "json" => Syntax::Json,
        "template" => Syntax::Either,
        _ => return None,
    })
}

/// Whether a file's text looks like infrastructure code, before parsing: a
/// CloudFormation or SAM template, a Terraform plan, or (in a file named
/// `manifest.json`) a cloud-assembly manifest. Such a file that does not parse
/// is an error; any other file that does not parse is only a warning, since
/// most `.json` and `.yaml` files are something else.
pub fn looks_like_infrastructure(path: &Path, text: &str) -> bool {
    may_be_template(text)
        || crate::frontends::terraform::may_be_plan(text)
        || path.file_name().is_some_and(|n| n == "manifest.json") && crate::frontends::cdk::is_manifest(text)
}

/// Whether a file's text may be a CloudFormation template, before parsing:
/// it names `AWSTemplateFormatVersion`, or has a top-level `Resources` key.
pub fn may_be_template(text: &str) -> bool {
    // A quoted key matches JSON anywhere, minified templates included.
    if text.contains("AWSTemplateFormatVersion") || text.contains("\"Resources\"") {
        return true;
    }
    text.lines().any(|line| {
        let trimmed = line.trim_start_matches('\u{feff}');
        trimmed.starts_with("Resources:")
            || trimmed.starts_with("Resources :")
            || trimmed.starts_with("'Resources':")
    })
}

/// The syntax of an `Either` file: JSON when it starts with `{`.
pub fn resolve_syntax(syntax: Syntax, text: &str) -> Syntax {
    match syntax {
        Syntax::Either if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') => Syntax::Json,
        Syntax::Either => Syntax::Yaml,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_templates() {
        assert!(may_be_template("AWSTemplateFormatVersion: x"));
        assert!(may_be_template("Resources:\n  A: {}\n"));
        assert!(may_be_template("{\n  \"Resources\": {}\n}"));
        assert!(may_be_template(
            "{\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\"}}}"
        ));
        assert!(!may_be_template("apiVersion: v1\nkind: Pod\n"));
        assert!(!may_be_template("spec:\n  resources:\n"));
    }

    #[test]
    fn sniffs_infrastructure() {
        let any = Path::new("x.json");
        assert!(looks_like_infrastructure(any, "AWSTemplateFormatVersion: x"));
        assert!(looks_like_infrastructure(
            any,
            "{\"format_version\": \"1.2\", \"resource_changes\": ["
        ));
        assert!(!looks_like_infrastructure(
            any,
            "{\"name\": \"app\", \"version\": \"1.0.0\"}"
        ));
        let manifest = "{\"version\": \"36.0.0\", \"artifacts\": {";
        assert!(looks_like_infrastructure(
            Path::new("cdk.out/manifest.json"),
            manifest
        ));
        assert!(!looks_like_infrastructure(any, manifest));
    }
}
