//! Applies OpenAPI Overlay 1.0 documents (update and remove actions) to a JSON document.

use std::path::Path;

use serde_json::Value;

use super::jsonpath::{self, PathToken};
use crate::diagnostics::{pointer, Diagnostics, Place};

/// Applies every action of `overlay` (read from `overlay_path`) to `doc`, in order.
///
/// An action whose target selects nothing is a warning (the upstream document moved on);
/// a malformed overlay is an error.
pub fn apply(doc: &mut Value, overlay: &Value, overlay_path: &Path, diags: &mut Diagnostics) {
    if overlay.get("overlay").and_then(Value::as_str).is_none() {
        diags.error(
            overlay_path,
            Place::Pointer(String::new()),
            "not an overlay: no 'overlay' version field",
            "start the file with {\"overlay\": \"1.0.0\", \"info\": {...}, \"actions\": [...]}",
        );
        return;
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        diags.error(
            overlay_path,
            Place::Pointer("/actions".into()),
            "overlay has no 'actions' array",
            "add the list of actions",
        );
        return;
    };
    for (i, action) in actions.iter().enumerate() {
        let at = Place::Pointer(pointer(&["actions", &i.to_string()]));
        let Some(target) = action.get("target").and_then(Value::as_str) else {
            diags.error(
                overlay_path,
                at,
                "action has no 'target'",
                "give a JSONPath such as $.paths['/x'].get",
            );
            continue;
        };
        let steps = match jsonpath::parse(target) {
            Ok(s) => s,
            Err(e) => {
                diags.error(
                    overlay_path,
                    at,
                    format!("cannot read target: {e}"),
                    "use $, .name, ['name'], [n], [*] or [?(@.key == 'value')]",
                );
                continue;
            }
        };
        let found = jsonpath::select(doc, &steps);
        if found.is_empty() {
            diags.warn(
                overlay_path,
                at,
                format!("target {target} selects nothing in the document; the action was skipped"),
            );
            continue;
        }
        if action.get("remove").and_then(Value::as_bool) == Some(true) {
            // Remove from the back so earlier indexes stay valid.
            for loc in found.iter().rev() {
                remove(doc, loc);
            }
        } else if let Some(update) = action.get("update") {
            for loc in &found {
                if let Some(t) = jsonpath::get_mut(doc, loc) {
                    merge(t, update);
                }
            }
        } else {
            diags.error(
                overlay_path,
                at,
                "action has neither 'update' nor 'remove: true'",
                "add one of them",
            );
        }
    }
}

fn remove(doc: &mut Value, loc: &[PathToken]) {
    let Some((last, parent)) = loc.split_last() else {
        return;
    };
    match (jsonpath::get_mut(doc, parent), last) {
        (Some(Value::Object(m)), PathToken::Key(k)) => {
            m.remove(k);
        }
        (Some(Value::Array(a)), PathToken::Index(i)) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
}

/// Overlay merge: objects merge member by member, arrays append, anything else replaces.
pub fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (k, v) in u {
                match t.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(u)) => t.extend(u.iter().cloned()),
        (t, u) => *t = u.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn update_merges_and_remove_deletes() {
        let mut doc = json!({"a": {"b": 1, "c": [1]}, "d": [{"name": "x"}, {"name": "y"}]});
        let ov = json!({"overlay": "1.0.0", "actions": [
            {"target": "$.a", "update": {"b": 2, "c": [2], "e": true}},
            {"target": "$.d[?(@.name == 'x')]", "remove": true},
            {"target": "$.nothing", "remove": true}
        ]});
        let mut diags = Diagnostics::new();
        apply(&mut doc, &ov, Path::new("o.json"), &mut diags);
        assert_eq!(
            doc,
            json!({"a": {"b": 2, "c": [1, 2], "e": true}, "d": [{"name": "y"}]})
        );
        assert_eq!(diags.warning_count(), 1);
        assert!(!diags.has_errors());
    }
}
