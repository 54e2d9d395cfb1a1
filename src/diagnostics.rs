//! Problems found while reading inputs (not findings of checks).

use crate::parse::{LoadError, Pos};

/// How serious a diagnostic is. Errors make the exit code 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

/// A problem with an input, at a position of its file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub level: Level,
    pub pos: Pos,
    pub message: String,
}

impl Diagnostic {
    /// An error: the input (or part of it) could not be read as intended.
    pub fn error(pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            pos,
            message: message.into(),
        }
    }

    /// A warning: the input was read, but something in it is suspicious.
    pub fn warning(pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Warning,
            pos,
            message: message.into(),
        }
    }

    /// A note: information about how the input was read.
    pub fn note(pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Note,
            pos,
            message: message.into(),
        }
    }
}

impl From<LoadError> for Diagnostic {
    fn from(e: LoadError) -> Diagnostic {
        Diagnostic::error(e.pos, e.message)
    }
}

/// Something about the run as a whole, not one file: what the scan could not
/// see (Terraform types no adapter reads, a CDK app never synthesized).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notice {
    pub level: Level,
    pub message: String,
}

impl Level {
    /// How reports name the level.
    pub fn label(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}
