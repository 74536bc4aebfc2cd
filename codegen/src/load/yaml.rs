//! The one place that touches serde_yaml (deprecated upstream), so it can be swapped alone.

use serde_json::Value;

/// Parses YAML text into a JSON value; on failure returns (line, column, message).
pub fn from_str(text: &str) -> Result<Value, (u32, u32, String)> {
    serde_yaml::from_str::<Value>(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line() as u32, l.column() as u32))
            .unwrap_or((0, 0));
        (line, col, e.to_string())
    })
}
