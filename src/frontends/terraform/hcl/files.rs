//! The files Terraform's `file()`, `filebase64()`, `templatefile()` and
//! `fileexists()` read: policies kept as `file("${path.module}/policy.json")`
//! are common, so they are read — but only inside the scan root (after `..`
//! and symlinks are resolved), each within `--max-file-size`, and all of a
//! unit's reads within a total budget. Anything else stays unknown, with why.

use crate::graph::FileProblem;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Most bytes one unit may read through file functions, all files together
/// (each distinct file is read once and shared).
const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// What a unit's file functions may read, and what they have read.
#[derive(Default)]
pub(super) struct FileAccess {
    /// The root module's directory: relative paths are relative to it, as
    /// they are to Terraform's working directory.
    root_dir: PathBuf,
    /// The canonical scan root; `None` reads nothing (in-memory units).
    boundary: Option<PathBuf>,
    max_file_size: u64,
    read: RefCell<Reads>,
}

#[derive(Default)]
struct Reads {
    texts: HashMap<PathBuf, Result<Rc<str>, FileProblem>>,
    total: u64,
}

impl FileAccess {
    pub fn new(root_dir: &Path, boundary: &Path, max_file_size: u64) -> FileAccess {
        FileAccess {
            root_dir: root_dir.to_path_buf(),
            boundary: boundary.canonicalize().ok(),
            max_file_size,
            read: RefCell::default(),
        }
    }

    /// `path.module` for a module in `dir`: relative to the root module, as
    /// Terraform writes it (`.`, `modules/net`), else absolute.
    pub fn module_path(&self, dir: &Path) -> String {
        let (Ok(root), Ok(dir)) = (self.root_dir.canonicalize(), dir.canonicalize()) else {
            return dir.to_string_lossy().into_owned();
        };
        match dir.strip_prefix(&root) {
            Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
            Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
            Err(_) => dir.to_string_lossy().into_owned(),
        }
    }

    /// `path.cwd`: the root module's directory, absolute.
    pub fn cwd(&self) -> String {
        let dir = self
            .root_dir
            .canonicalize()
            .unwrap_or_else(|_| self.root_dir.clone());
        dir.to_string_lossy().into_owned()
    }

    /// Whether `path` names a readable file inside the scan root.
    pub fn exists(&self, path: &str) -> Result<bool, FileProblem> {
        match self.inside(path) {
            Ok(file) => Ok(file.is_file()),
            Err(Outside::Missing) => Ok(false),
            Err(Outside::Refused(reason)) => Err(reason),
        }
    }

    /// The text of the file `path` names (UTF-8, as Terraform requires).
    pub fn read(&self, path: &str) -> Result<Rc<str>, FileProblem> {
        let file = self.inside(path).map_err(|e| match e {
            Outside::Missing => FileProblem::Missing,
            Outside::Refused(reason) => reason,
        })?;
        let mut reads = self.read.borrow_mut();
        if let Some(done) = reads.texts.get(&file) {
            return done.clone();
        }
        let result = self.load(&file, reads.total);
        if let Ok(text) = &result {
            reads.total += text.len() as u64;
        }
        reads.texts.insert(file, result.clone());
        result
    }

    fn load(&self, file: &Path, total: u64) -> Result<Rc<str>, FileProblem> {
        let size = std::fs::metadata(file)
            .map_err(|e| FileProblem::Io(e.to_string()))?
            .len();
        if size > self.max_file_size {
            return Err(FileProblem::OverSize {
                limit: self.max_file_size,
            });
        }
        if total + size > MAX_TOTAL_BYTES {
            return Err(FileProblem::OverModuleTotal {
                limit: MAX_TOTAL_BYTES,
            });
        }
        let bytes = std::fs::read(file).map_err(|e| FileProblem::Io(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|_| FileProblem::NotUtf8)?;
        Ok(Rc::from(text))
    }

    /// The canonical file `path` names, when it stays inside the scan root.
    fn inside(&self, path: &str) -> Result<PathBuf, Outside> {
        let Some(boundary) = &self.boundary else {
            return Err(Outside::Refused(FileProblem::NoRoot));
        };
        let written = Path::new(path);
        let joined = if written.is_absolute() {
            written.to_path_buf()
        } else {
            self.root_dir.join(written)
        };
        let outside = || Outside::Refused(FileProblem::OutsideRoot);
        let file = match joined.canonicalize() {
            Ok(file) => file,
            // Whether a file outside exists is not told either.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let resolved = crate::parse::resolve_path(&joined).ok_or_else(outside)?;
                return Err(if resolved.starts_with(boundary) {
                    Outside::Missing
                } else {
                    outside()
                });
            }
            Err(e) => return Err(Outside::Refused(FileProblem::Io(e.to_string()))),
        };
        if !file.starts_with(boundary) {
            return Err(outside());
        }
        Ok(file)
    }
}

enum Outside {
    Missing,
    Refused(FileProblem),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_inside_the_scan_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("infra");
        std::fs::create_dir_all(root.join("modules/net")).unwrap();
        std::fs::write(root.join("policy.json"), "{}").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        let access = FileAccess::new(&root, &root, 1024);
        assert_eq!(&*access.read("policy.json").unwrap(), "{}");
        assert_eq!(&*access.read("modules/../policy.json").unwrap(), "{}");
        assert_eq!(
            access.read("../secret.txt").unwrap_err(),
            FileProblem::OutsideRoot
        );
        assert_eq!(access.read("missing.json").unwrap_err(), FileProblem::Missing);
        assert_eq!(access.exists("missing.json"), Ok(false));
        assert_eq!(
            access.read("../../no-such-file").unwrap_err(),
            FileProblem::OutsideRoot
        );
        assert_eq!(access.exists("policy.json"), Ok(true));
        assert_eq!(access.module_path(&root), ".");
        assert_eq!(access.module_path(&root.join("modules/net")), "modules/net");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
            assert!(access.read("link.txt").unwrap_err() == FileProblem::OutsideRoot);
        }
        let small = FileAccess::new(&root, &root, 1);
        assert!(matches!(
            small.read("policy.json").unwrap_err(),
            FileProblem::OverSize { .. }
        ));
        let in_memory = FileAccess::default();
        assert!(in_memory.read("policy.json").is_err());
    }
}
