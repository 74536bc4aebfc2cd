//! Reads a JSON or YAML document from disk into a `serde_json::Value`, with located errors.

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Diagnostics, Place};

/// Reads `path` as JSON (or YAML when the name ends in `.yaml`/`.yml` or the text is not JSON).
///
/// On failure an error naming the file and line:column is pushed and `None` returned.
pub fn read(path: &Path, diags: &mut Diagnostics) -> Option<Value> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.error(
                path,
                Place::File,
                format!("cannot read the file: {e}"),
                "check the path exists and is readable UTF-8",
            );
            return None;
        }
    };
    parse(path, &text, diags)
}

/// Parses document text; `path` is only used to choose the format and in diagnostics.
pub fn parse(path: &Path, text: &str, diags: &mut Diagnostics) -> Option<Value> {
    let is_yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if !is_yaml {
        match serde_json::from_str(text) {
            Ok(v) => return Some(v),
            Err(e) if text.trim_start().starts_with(['{', '[']) => {
                diags.error(
                    path,
                    Place::LineCol(e.line() as u32, e.column() as u32),
                    format!("not valid JSON: {e}"),
                    "fix the syntax, or patch the pinned copy with an overlay in specs/overlays/",
                );
                return None;
            }
            Err(_) => {}
        }
    }
    match super::yaml::from_str(text) {
        Ok(v) => Some(v),
        Err((line, col, msg)) => {
            diags.error(
                path,
                Place::LineCol(line, col),
                format!("not valid YAML or JSON: {msg}"),
                "fix the syntax of the document",
            );
            None
        }
    }
}
