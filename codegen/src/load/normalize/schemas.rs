//! Schema rewrites the lowerer relies on, applied to the final (overlaid) document:
//! `nullable` next to a `$ref` (honoured, with a warning), `null` branches of oneOf/anyOf
//! (nullability), anyOf branches that only list `required` (a documented constraint on one
//! struct), and allOf merging (properties, required, numeric bounds intersected; contradictory
//! bounds warned about). Numeric bounds are written into the schema's description.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::walk;
use crate::diagnostics::{pointer, Diagnostics, Place};

/// How deep `$ref`s inside allOf members are followed while merging.
const MAX_DEPTH: usize = 16;

/// Applies every rewrite in place.
pub fn simplify(doc: &mut Value, file: &Path, diags: &mut Diagnostics) {
    let snapshot = doc.clone();
    walk::objects_mut(doc, &mut Vec::new(), &mut |map, path| {
        if !is_schema_position(path) {
            return;
        }
        let tokens: Vec<&str> = path.iter().map(String::as_str).collect();
        let at = pointer(&tokens);
        nullable_ref(map, file, &at, diags);
        null_branches(map);
        required_only_any_of(map);
        scalar_alternatives(map, &snapshot);
        merge_all_of(map, &snapshot, file, &at, diags);
        bounds_doc(map);
    });
}

/// Whether the object at `path` is a schema (under components/schemas, a `schema` key, or a
/// schema keyword), not e.g. a response or a parameter.
fn is_schema_position(path: &[String]) -> bool {
    let n = path.len();
    if n >= 3 && path[0] == "components" && path[1] == "schemas" {
        return true;
    }
    path.iter().any(|t| t == "schema")
}

fn nullable_ref(map: &mut Map<String, Value>, file: &Path, at: &str, diags: &mut Diagnostics) {
    if map.contains_key("$ref") && map.get("nullable") == Some(&Value::Bool(true)) {
        diags.warn(
            file,
            Place::Pointer(at.to_string()),
            "'nullable: true' next to a $ref is ignored by OpenAPI 3.0; honoured here (servers send null), so the value is optional",
        );
        let r = map.remove("$ref").unwrap_or_default();
        map.insert("allOf".into(), json!([{ "$ref": r }]));
    }
}

fn is_null_schema(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("null")
        || (v.get("nullable") == Some(&Value::Bool(true))
            && v.as_object().is_some_and(|m| m.len() == 1))
}

fn null_branches(map: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = map.get(key) else {
            continue;
        };
        if !branches.iter().any(is_null_schema) {
            continue;
        }
        let rest: Vec<Value> = branches
            .iter()
            .filter(|b| !is_null_schema(b))
            .cloned()
            .collect();
        map.insert("nullable".into(), Value::Bool(true));
        match rest.as_slice() {
            [] => {
                map.remove(key);
            }
            [one] if one.get("$ref").is_some() => {
                map.remove(key);
                map.insert("allOf".into(), json!([one]));
            }
            [Value::Object(one)] => {
                map.remove(key);
                for (k, v) in one {
                    map.entry(k.clone()).or_insert(v.clone());
                }
            }
            _ => {
                map.insert(key.into(), Value::Array(rest));
            }
        }
    }
}

fn required_only_any_of(map: &mut Map<String, Value>) {
    let Some(Value::Array(branches)) = map.get("anyOf") else {
        return;
    };
    let only_required = !branches.is_empty()
        && branches.iter().all(|b| {
            b.as_object().is_some_and(|m| {
                m.contains_key("required")
                    && m.keys().all(|k| k == "required" || k == "description")
            })
        });
    if !only_required {
        return;
    }
    let names: Vec<String> = branches
        .iter()
        .flat_map(|b| b["required"].as_array().cloned().unwrap_or_default())
        .filter_map(|v| v.as_str().map(|s| format!("`{s}`")))
        .collect();
    map.remove("anyOf");
    let note = format!(
        "At least one of {} must be present (anyOf of required properties; not checked before sending).",
        names.join(", ")
    );
    append_description(map, &note);
}

fn append_description(map: &mut Map<String, Value>, note: &str) {
    let text = match map.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{d}\n\n{note}"),
        _ => note.to_string(),
    };
    map.insert("description".into(), Value::String(text));
}

/// The flattened members of an allOf: `$ref`s resolved, nested allOfs expanded. `None` when a
/// member cannot be merged (oneOf/anyOf/not/discriminator inside, unresolvable, too deep).
fn flatten(v: &Value, doc: &Value, depth: usize, out: &mut Vec<Map<String, Value>>) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    let map = v.as_object()?;
    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
        let target = doc.pointer(r.strip_prefix('#')?)?;
        return flatten(target, doc, depth + 1, out);
    }
    if ["oneOf", "anyOf", "not", "discriminator"]
        .iter()
        .any(|k| map.contains_key(*k))
    {
        return None;
    }
    let mut own = map.clone();
    if let Some(Value::Array(members)) = own.remove("allOf") {
        for m in &members {
            flatten(m, doc, depth + 1, out)?;
        }
    }
    out.push(own);
    Some(())
}

/// The scalar `type` a schema declares (`string`, `integer`, `number`, `boolean`), following `$ref`s.
fn scalar_type<'a>(v: &'a Value, doc: &'a Value, depth: usize) -> Option<&'a str> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return scalar_type(doc.pointer(r.strip_prefix('#')?)?, doc, depth + 1);
    }
    v.get("type")
        .and_then(Value::as_str)
        .filter(|t| matches!(*t, "string" | "integer" | "number" | "boolean"))
}

/// A scalar `type` whose oneOf/anyOf branches only name allowed values (`const`/`enum`, with
/// titles and descriptions: 3.1's documented enums), or whose allOf members are `$ref`s to
/// schemas of the same scalar type, is that scalar: strings become a string enum of the
/// values, numbers stay numbers. (Without this the schema was typed `serde_json::Value`.)
fn scalar_alternatives(map: &mut Map<String, Value>, doc: &Value) {
    let Some(ty) = map.get("type").and_then(Value::as_str).map(str::to_string) else {
        return;
    };
    if !matches!(ty.as_str(), "string" | "integer" | "number" | "boolean") {
        return;
    }
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = map.get(key) else {
            continue;
        };
        let mut values = Vec::new();
        let only_values = branches.iter().all(|b| {
            let Some(b) = b.as_object() else { return false };
            let allowed = |k: &str| {
                matches!(
                    k,
                    "const"
                        | "enum"
                        | "title"
                        | "description"
                        | "type"
                        | "format"
                        | "deprecated"
                        | "x-enumName"
                        | "example"
                )
            };
            let same_type = b
                .get("type")
                .is_none_or(|t| t.as_str() == Some(ty.as_str()));
            let vals: Vec<Value> = match (b.get("const"), b.get("enum")) {
                (Some(c), _) => vec![c.clone()],
                (None, Some(Value::Array(e))) => e.clone(),
                _ => return false,
            };
            values.extend(vals);
            same_type && b.keys().all(|k| allowed(k))
        });
        if !only_values {
            continue;
        }
        map.remove(key);
        if ty == "string" && values.iter().all(Value::is_string) && !map.contains_key("enum") {
            map.insert("enum".into(), Value::Array(values));
        }
    }
    if let Some(Value::Array(members)) = map.get("allOf") {
        if !members.is_empty()
            && members
                .iter()
                .all(|m| m.get("$ref").is_some() && scalar_type(m, doc, 0) == Some(ty.as_str()))
        {
            map.remove("allOf");
        }
    }
}

fn merge_all_of(
    map: &mut Map<String, Value>,
    doc: &Value,
    file: &Path,
    at: &str,
    diags: &mut Diagnostics,
) {
    let Some(Value::Array(members)) = map.get("allOf") else {
        return;
    };
    if members.len() < 2 {
        return;
    }
    let mut parts = Vec::new();
    for m in members {
        if flatten(m, doc, 0, &mut parts).is_none() {
            return;
        }
    }
    let members_len = members.len();
    let _ = members_len;
    map.remove("allOf");
    let mut merged = Map::new();
    let mut props = Map::new();
    let mut required: Vec<Value> = Vec::new();
    let mut min: Option<f64> = None;
    let mut max: Option<f64> = None;
    for part in parts {
        for (k, v) in part {
            match k.as_str() {
                "properties" => {
                    if let Value::Object(p) = v {
                        for (pk, pv) in p {
                            props.entry(pk).or_insert(pv);
                        }
                    }
                }
                "required" => {
                    for r in v.as_array().cloned().unwrap_or_default() {
                        if !required.contains(&r) {
                            required.push(r);
                        }
                    }
                }
                "minimum" => {
                    if let Some(n) = v.as_f64() {
                        min = Some(min.map_or(n, |m: f64| m.max(n)));
                    }
                }
                "maximum" => {
                    if let Some(n) = v.as_f64() {
                        max = Some(max.map_or(n, |m: f64| m.min(n)));
                    }
                }
                "type" => {
                    // integer is narrower than number.
                    let keep_existing = merged.get("type").is_some_and(|t| t == "integer");
                    if !keep_existing {
                        merged.insert(k, v);
                    }
                }
                "nullable" => {}
                _ => {
                    merged.entry(k).or_insert(v);
                }
            }
        }
    }
    if !props.is_empty() {
        merged.insert("properties".into(), Value::Object(props));
        merged
            .entry("type")
            .or_insert_with(|| Value::String("object".into()));
    }
    if !required.is_empty() {
        merged.insert("required".into(), Value::Array(required));
    }
    match (min, max) {
        (Some(lo), Some(hi)) if lo > hi => {
            diags.warn(
                file,
                Place::Pointer(at.to_string()),
                format!(
                    "allOf bounds contradict: minimum {} and maximum {}; no value satisfies both, so the bounds are dropped and the type kept",
                    num(lo),
                    num(hi)
                ),
            );
        }
        _ => {
            if let Some(lo) = min {
                merged.insert("minimum".into(), json!(lo));
            }
            if let Some(hi) = max {
                merged.insert("maximum".into(), json!(hi));
            }
        }
    }
    for (k, v) in merged {
        map.entry(k).or_insert(v);
    }
}

fn num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Writes numeric bounds into the description of a number or integer schema.
fn bounds_doc(map: &mut Map<String, Value>) {
    let is_num = matches!(
        map.get("type").and_then(Value::as_str),
        Some("number" | "integer")
    );
    if !is_num {
        return;
    }
    let lo = map.get("minimum").and_then(Value::as_f64);
    let hi = map.get("maximum").and_then(Value::as_f64);
    let lo_ex = map.get("exclusiveMinimum") == Some(&Value::Bool(true));
    let hi_ex = map.get("exclusiveMaximum") == Some(&Value::Bool(true));
    let op = |ex: bool| if ex { "<" } else { "<=" };
    let note = match (lo, hi) {
        (Some(l), Some(h)) => format!(
            "Bounds: {} {} value {} {}.",
            num(l),
            op(lo_ex),
            op(hi_ex),
            num(h)
        ),
        (Some(l), None) => format!("Bounds: {} {} value.", num(l), op(lo_ex)),
        (None, Some(h)) => format!("Bounds: value {} {}.", op(hi_ex), num(h)),
        (None, None) => return,
    };
    append_description(map, &format!("{note} Not checked before sending."));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn simplified(doc: Value) -> Value {
        let mut doc = doc;
        let mut diags = Diagnostics::default();
        simplify(&mut doc, Path::new("spec.json"), &mut diags);
        doc
    }

    #[test]
    fn scalar_alternatives_keep_the_declared_type() {
        let doc = simplified(json!({"components": {"schemas": {
            "Kinds": {"type": "string", "oneOf": [{"title": "A", "const": "a"}, {"title": "B", "description": "b", "enum": ["b"]}]},
            "Timeouts": {"type": "integer", "format": "int32", "oneOf": [{"title": "ONE", "const": 60}, {"const": 300}]},
            "Button": {"type": "integer", "enum": [2], "allOf": [{"$ref": "#/components/schemas/Timeouts"}]},
            "Mixed": {"type": "string", "oneOf": [{"const": "a"}, {"type": "object", "properties": {"x": {}}}]}
        }}}));
        let s = &doc["components"]["schemas"];
        assert_eq!(s["Kinds"], json!({"type": "string", "enum": ["a", "b"]}));
        assert_eq!(s["Timeouts"], json!({"type": "integer", "format": "int32"}));
        assert_eq!(s["Button"], json!({"type": "integer", "enum": [2]}));
        assert!(
            s["Mixed"].get("oneOf").is_some(),
            "a real alternative stays: {}",
            s["Mixed"]
        );
    }
}
