//! `Name`: a source spelling kept next to its sanitised Rust spelling.

/// A name as the wire spells it and as Rust code spells it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name {
    /// The spelling in the document (used for serde renames and on the wire).
    pub wire: String,
    /// The Rust identifier (set by the emitter's naming pass; empty until then).
    pub rust: String,
}

impl Name {
    /// A name whose Rust spelling is not decided yet.
    pub fn wire(wire: impl Into<String>) -> Self {
        Name {
            wire: wire.into(),
            rust: String::new(),
        }
    }
}
