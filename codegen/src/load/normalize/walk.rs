//! Walks the structural parts of a document, never the data inside examples and defaults.

use serde_json::Value;

/// Keys whose values are data, not document structure: never rewritten.
pub const DATA_KEYS: &[&str] = &[
    "example",
    "examples",
    "default",
    "enum",
    "const",
    "x-example",
];

/// What [`objects_mut`] calls: an object and the pointer tokens leading to it.
pub type Visitor<'a> = dyn FnMut(&mut serde_json::Map<String, Value>, &[String]) + 'a;

/// Calls `f` on every object of `v` that is document structure (post-order: children first),
/// passing the JSON pointer tokens leading to it.
pub fn objects_mut(v: &mut Value, path: &mut Vec<String>, f: &mut Visitor<'_>) {
    match v {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            // Under these keys the children are names (a property called `default`), not data.
            let named = matches!(
                path.last().map(String::as_str),
                Some(
                    "properties"
                        | "schemas"
                        | "definitions"
                        | "parameters"
                        | "responses"
                        | "securitySchemes"
                )
            );
            for k in keys {
                if !named && (DATA_KEYS.contains(&k.as_str()) || k.starts_with("x-")) {
                    continue;
                }
                if let Some(child) = map.get_mut(&k) {
                    path.push(k);
                    objects_mut(child, path, f);
                    path.pop();
                }
            }
            f(map, path);
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                objects_mut(item, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}
