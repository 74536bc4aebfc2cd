//! Diagnostics: warnings and errors that name the file, the place in it, and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input deviates from its specification; generation goes on.
    Warning,
    /// The input cannot be used; nothing is written.
    Error,
}

/// Where in a file a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A JSON pointer (RFC 6901) into a JSON or YAML document.
    Pointer(String),
    /// A 1-based line and column in an XML document.
    LineCol(u32, u32),
    /// The file as a whole.
    File,
}

/// One message about an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The input file the message is about.
    pub file: PathBuf,
    /// The place in that file.
    pub place: Place,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when there is something to do.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}", self.file.display())?;
        match &self.place {
            Place::Pointer(p) => write!(f, "#{p}")?,
            Place::LineCol(l, c) => write!(f, ":{l}:{c}")?,
            Place::File => {}
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// An accumulating list of diagnostics: loaders push and keep going.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a warning.
    pub fn warn(&mut self, file: &Path, place: Place, message: impl Into<String>) {
        self.push(Severity::Warning, file, place, message.into(), None);
    }

    /// Records an error with a hint on how to fix it.
    pub fn error(
        &mut self,
        file: &Path,
        place: Place,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(
            Severity::Error,
            file,
            place,
            message.into(),
            Some(help.into()),
        );
    }

    fn push(
        &mut self,
        severity: Severity,
        file: &Path,
        place: Place,
        message: String,
        help: Option<String>,
    ) {
        self.items.push(Diagnostic {
            severity,
            file: file.to_path_buf(),
            place,
            message,
            help,
        });
    }

    /// Adds every diagnostic of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when at least one error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics in the order they were recorded.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Builds RFC 6901 JSON pointers, escaping `~` and `/` in each token.
pub fn pointer(tokens: &[&str]) -> String {
    let mut out = String::new();
    for t in tokens {
        out.push('/');
        out.push_str(&t.replace('~', "~0").replace('/', "~1"));
    }
    out
}
