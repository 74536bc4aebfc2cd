//! OpenAPI 3.1 → 3.0: type arrays become `nullable`/`oneOf`, `const` an enum, schema
//! `examples` an `example`, numeric exclusive bounds booleans; webhooks are reported, not generated.

use std::path::Path;

use serde_json::{json, Value};

use super::walk;
use crate::diagnostics::{pointer, Diagnostics, Place};

/// Rewrites a 3.1 document in place into the 3.0 shape.
pub fn downgrade(doc: &mut Value, file: &Path, diags: &mut Diagnostics) {
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("openapi".into(), Value::String("3.0.3".into()));
        if let Some(webhooks) = obj.remove("webhooks") {
            let n = webhooks.as_object().map_or(0, |m| m.len());
            diags.warn(file, Place::Pointer("/webhooks".into()), format!("{n} webhook(s) describe calls the server makes, not operations a client calls; not generated"));
        }
        obj.entry("paths").or_insert_with(|| json!({}));
        if let Some(license) = obj
            .get_mut("info")
            .and_then(|i| i.get_mut("license"))
            .and_then(Value::as_object_mut)
        {
            license.remove("identifier");
        }
    }
    walk::objects_mut(doc, &mut Vec::new(), &mut |map, path| {
        schema_31_to_30(map, path, file, diags);
    });
}

fn schema_31_to_30(
    map: &mut serde_json::Map<String, Value>,
    path: &[String],
    file: &Path,
    diags: &mut Diagnostics,
) {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let non_null: Vec<Value> = types
            .iter()
            .filter(|t| t.as_str() != Some("null"))
            .cloned()
            .collect();
        if non_null.len() < types.len() {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.as_slice() {
            [] => {
                map.insert("type".into(), Value::String("string".into()));
                let refs: Vec<&str> = path.iter().map(String::as_str).collect();
                diags.warn(
                    file,
                    Place::Pointer(pointer(&refs)),
                    "a schema whose only type is null is read as a nullable string",
                );
            }
            [one] => {
                map.insert("type".into(), one.clone());
            }
            many => {
                map.remove("type");
                let alts: Vec<Value> = many.iter().map(|t| json!({ "type": t })).collect();
                map.insert("oneOf".into(), Value::Array(alts));
            }
        }
    }
    if let Some(c) = map.remove("const") {
        map.insert("enum".into(), json!([c]));
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        if map.get("example").is_none() {
            if let Some(first) = examples.first().cloned() {
                map.insert("example".into(), first);
            }
        }
        map.remove("examples");
    }
    for (bound, exclusive) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        if let Some(n) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    // A $ref with siblings (allowed in 3.1) becomes an allOf so the siblings are not lost.
    // (A description counts: 3.1 lets it document this use of the referenced schema.)
    if map.contains_key("$ref") && map.keys().any(|k| k != "$ref" && k != "summary") {
        if let Some(r) = map.remove("$ref") {
            map.insert("allOf".into(), json!([{ "$ref": r }]));
        }
    }
    map.remove("$schema");
    // A string with a media type and no encoding is raw bytes (3.1's spelling of `format: binary`).
    if map.get("type").and_then(Value::as_str) == Some("string")
        && map.contains_key("contentMediaType")
        && !map.contains_key("contentEncoding")
        && !map.contains_key("format")
    {
        map.insert("format".into(), Value::String("binary".into()));
    }
    map.remove("contentMediaType");
    map.remove("contentEncoding");
}
