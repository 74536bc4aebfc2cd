//! Infers JSON Schemas from examples where a document's schemas say nothing, and writes them
//! as an OpenAPI Overlay: shared shapes get one name, merged over every operation.

mod naming;
mod shape;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::load::jsonpath::PathToken;
use shape::Shape;

/// The result of inference: an overlay document plus counts for the summary.
#[derive(Debug, Clone)]
pub struct Inference {
    /// An OpenAPI Overlay 1.0 document that adds the inferred schemas and points every
    /// example-only media type at them (the example moves to the media type object).
    pub overlay: Value,
    /// Number of named object types inferred.
    pub types: usize,
    /// Number of examples that were used.
    pub examples: usize,
}

/// One field of an inferred object type.
#[derive(Debug, Default)]
struct FieldShape {
    present: usize,
    shape: Shape,
}

/// One named object type, merged from every object seen under its name.
#[derive(Debug, Default)]
struct ObjectType {
    instances: usize,
    fields: Vec<(String, FieldShape)>,
}

#[derive(Default)]
struct Registry {
    types: BTreeMap<String, ObjectType>,
    /// For each name objects were seen under: its types (the name itself first, then `Name2`,
    /// `Name3`, … for shapes sharing no key with the earlier ones) and the keys each has seen.
    clusters: BTreeMap<String, Vec<(String, std::collections::BTreeSet<String>)>>,
    /// The type chosen for each site (`Parent.key`): objects in one field are one type.
    sites: BTreeMap<String, String>,
}

impl Registry {
    /// Walks a value seen where a type called `name` is expected.
    /// `site` says where the value sits (`Parent.key`; list items sit where their list does).
    fn walk(&mut self, v: &Value, name: &str, scope: &str, site: &str) -> Shape {
        match v {
            Value::Object(obj) if shape::is_map_like(obj) => {
                let mut values = Shape::default();
                for child in obj.values() {
                    values.merge(self.walk(
                        child,
                        &format!("{name}Entry"),
                        scope,
                        &format!("{site}{{}}"),
                    ));
                }
                Shape {
                    map: Some(Box::new(values)),
                    ..Shape::default()
                }
            }
            Value::Object(obj) => {
                let name = self.cluster_for(name, obj, site);
                self.record_object(&name, obj, scope);
                Shape {
                    object: Some(name),
                    ..Shape::default()
                }
            }
            Value::Array(items) => {
                let item_name = crate::emit::ident::singular(name);
                let mut elems = Shape::default();
                for item in items {
                    elems.merge(self.walk(item, &item_name, scope, site));
                }
                Shape {
                    array: Some(Box::new(elems)),
                    ..Shape::default()
                }
            }
            scalar => Shape::of_scalar(scalar),
        }
    }

    /// The type an object seen under `name` at `site` belongs to: the one already chosen for
    /// that site (one field holds one type), else the one of that name whose keys it shares
    /// most (the first on a tie or for `{}`), else a new `Name2`, `Name3`, … when it shares
    /// none: unrelated shapes under one key in different places (a card, a card reference, a
    /// tagging result) are not merged into one type of all-optional fields.
    fn cluster_for(&mut self, name: &str, obj: &Map<String, Value>, site: &str) -> String {
        let clusters = self.clusters.entry(name.to_string()).or_default();
        let at_site = self
            .sites
            .get(site)
            .and_then(|chosen| clusters.iter().position(|(n, _)| n == chosen));
        let best = at_site
            .map(|i| (usize::MAX, std::cmp::Reverse(i)))
            .or_else(|| {
                clusters
                    .iter()
                    .enumerate()
                    .map(|(i, (_, keys))| {
                        (
                            obj.keys().filter(|k| keys.contains(*k)).count(),
                            std::cmp::Reverse(i),
                        )
                    })
                    .max()
            });
        let index = match best {
            Some((shared, std::cmp::Reverse(i))) if shared > 0 || obj.is_empty() => i,
            _ if clusters.is_empty() => {
                clusters.push((name.to_string(), Default::default()));
                0
            }
            _ => {
                let n = clusters.len() + 1;
                clusters.push((format!("{name}{n}"), Default::default()));
                n - 1
            }
        };
        let (chosen, keys) = &mut clusters[index];
        keys.extend(obj.keys().cloned());
        self.sites.insert(site.to_string(), chosen.clone());
        chosen.clone()
    }

    fn record_object(&mut self, name: &str, obj: &Map<String, Value>, scope: &str) {
        let mut seen = Vec::with_capacity(obj.len());
        for (key, value) in obj {
            let child = child_type_name(name, key, scope);
            seen.push((
                key.clone(),
                self.walk(value, &child, scope, &format!("{name}.{key}")),
            ));
        }
        let entry = self.types.entry(name.to_string()).or_default();
        entry.instances += 1;
        for (key, s) in seen {
            match entry.fields.iter_mut().find(|(k, _)| *k == key) {
                Some((_, f)) => {
                    f.present += 1;
                    f.shape.merge(s);
                }
                None => entry.fields.push((
                    key,
                    FieldShape {
                        present: 1,
                        shape: s,
                    },
                )),
            }
        }
    }
}

/// Keys of the response envelope, present in every body (`{"Response": {"details": …,
/// "messageView": {"type": …, "message": …}}}`); every other inferred field is optional.
fn is_envelope_key(parent: &str, key: &str) -> bool {
    matches!(
        key,
        "Response" | "response" | "details" | "Details" | "messageView"
    ) || (parent == "MessageView" && matches!(key, "type" | "message"))
}

/// Envelope keys whose contents differ per operation get names scoped to the operation;
/// every other key names a type shared by all operations.
fn child_type_name(parent: &str, key: &str, scope: &str) -> String {
    match key {
        "Response" | "response" => format!("{parent}Body"),
        "details" | "Details" => format!("{scope}Details"),
        _ => naming::type_name_for_key(key),
    }
}

/// A media type whose schema is only an example.
struct Target {
    location: Vec<PathToken>,
    example: Value,
}

/// Finds every media type in `doc` whose schema carries an object or array example but no
/// structure, and infers named schemas for them.
pub fn infer(doc: &Value) -> Inference {
    let mut registry = Registry::default();
    let mut tops: Vec<(Target, Shape)> = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return finish(registry, tops);
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Some(op_id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let scope = naming::type_name_for_key(op_id);
            let scope = if scope.is_empty() {
                "Operation".to_string()
            } else {
                scope
            };
            let base = vec![
                PathToken::Key("paths".into()),
                PathToken::Key(path.clone()),
                PathToken::Key(method.clone()),
            ];
            if let Some(content) = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
            {
                for (ct, media) in content {
                    let mut loc = base.clone();
                    loc.extend(
                        ["requestBody", "content", ct].map(|s| PathToken::Key(s.to_string())),
                    );
                    collect(
                        &mut registry,
                        &mut tops,
                        media,
                        loc,
                        &format!("{scope}Request"),
                        &scope,
                    );
                }
            }
            if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    let Some(content) = response.get("content").and_then(Value::as_object) else {
                        continue;
                    };
                    let success = status.starts_with('2');
                    let (name, sc) = if success {
                        (format!("{scope}Response"), scope.clone())
                    } else {
                        ("ErrorResponse".to_string(), "Error".to_string())
                    };
                    for (ct, media) in content {
                        let mut loc = base.clone();
                        loc.extend(
                            ["responses", status, "content", ct]
                                .map(|s| PathToken::Key(s.to_string())),
                        );
                        collect(&mut registry, &mut tops, media, loc, &name, &sc);
                    }
                }
            }
        }
    }
    finish(registry, tops)
}

fn collect(
    registry: &mut Registry,
    tops: &mut Vec<(Target, Shape)>,
    media: &Value,
    location: Vec<PathToken>,
    name: &str,
    scope: &str,
) {
    let Some(schema) = media.get("schema") else {
        return;
    };
    if has_structure(schema) {
        return;
    }
    let Some(example) = schema.get("example").or_else(|| media.get("example")) else {
        return;
    };
    if !(example.is_object() || example.is_array()) {
        return;
    }
    let shape = registry.walk(example, name, scope, name);
    tops.push((
        Target {
            location,
            example: example.clone(),
        },
        shape,
    ));
}

/// True when a schema already describes structure (so its example must not override it).
fn has_structure(schema: &Value) -> bool {
    [
        "$ref",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
    ]
    .iter()
    .any(|k| schema.get(k).is_some())
        || matches!(
            schema.get("type").and_then(Value::as_str),
            Some("object" | "array")
        )
}

fn ref_to(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The JSON Schema for a merged shape (OpenAPI 3.0 dialect: `nullable`).
fn schema_of(s: &Shape) -> Value {
    let mut alts: Vec<Value> = Vec::new();
    if let Some(name) = &s.object {
        alts.push(ref_to(name));
    }
    if let Some(items) = &s.array {
        let item_schema = if is_empty_shape(items) {
            json!({ "type": "string", "x-inferred-note": "only empty arrays were seen; the element type is a guess" })
        } else {
            schema_of(items)
        };
        alts.push(json!({ "type": "array", "items": item_schema }));
    }
    if let Some(values) = &s.map {
        alts.push(json!({ "type": "object", "additionalProperties": schema_of(values) }));
    }
    if s.string {
        alts.push(json!({ "type": "string" }));
    }
    match (s.integer, s.float) {
        (true, true) => alts.push(json!({ "type": "number" })),
        (true, false) => alts.push(json!({ "type": "integer", "format": "int64" })),
        (false, true) => alts.push(json!({ "type": "number", "format": "double" })),
        (false, false) => {}
    }
    if s.boolean {
        alts.push(json!({ "type": "boolean" }));
    }
    let mut schema = match alts.len() {
        0 if s.null => {
            json!({ "type": "string", "x-inferred-note": "only null was seen; the type is a guess" })
        }
        0 => json!({}),
        1 => alts.remove(0),
        _ => json!({ "oneOf": alts }),
    };
    if s.null {
        if schema.get("$ref").is_some() {
            schema = json!({ "allOf": [schema] });
        }
        schema["nullable"] = Value::Bool(true);
    }
    schema
}

/// Ids arrive as strings in one place and numbers in another (the same id, different
/// endpoints): a scalar field named like an id accepts both and re-encodes as it arrived.
fn widen_id(key: &str, s: &Shape) -> Shape {
    let id_like = key == "id" || key.ends_with("Id") || key.ends_with("_id") || key.ends_with("ID");
    let scalar =
        s.array.is_none() && s.object.is_none() && s.map.is_none() && !s.boolean && !s.float;
    if id_like && scalar && (s.string || s.integer) {
        Shape {
            string: true,
            integer: true,
            ..s.clone()
        }
    } else {
        s.clone()
    }
}

fn is_empty_shape(s: &Shape) -> bool {
    *s == Shape::default()
}

fn finish(registry: Registry, tops: Vec<(Target, Shape)>) -> Inference {
    let mut schemas = Map::new();
    for (name, ty) in &registry.types {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (key, field) in &ty.fields {
            let mut schema = schema_of(&widen_id(key, &field.shape));
            // A list seen only empty holds the type named after its key, when there is one
            // (`children` in a tree of queues: the queue type itself).
            if let Some(items) = field.shape.array.as_deref().filter(|i| is_empty_shape(i)) {
                let item = naming::type_name_for_key(key);
                if registry.types.contains_key(&item)
                    && field.shape.object.is_none()
                    && field.shape.map.is_none()
                {
                    let mut with_ref = field.shape.clone();
                    with_ref.array = Some(Box::new(Shape {
                        object: Some(item),
                        ..(*items).clone()
                    }));
                    schema = schema_of(&with_ref);
                }
            }
            properties.insert(key.clone(), schema);
            // Unset fields are absent (the API omits them): only the envelope is required.
            if field.present == ty.instances && is_envelope_key(name, key) {
                required.push(Value::String(key.clone()));
            }
        }
        let mut schema = json!({
            "type": "object",
            "description": format!("Inferred from {} example object(s) in the document.", ty.instances),
            "properties": properties,
            "x-inferred": true,
        });
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        schemas.insert(name.clone(), schema);
    }
    let mut actions = vec![json!({
        "target": "$",
        "description": "Schemas inferred from the examples: the document types every body as a string with an example.",
        "update": { "components": { "schemas": schemas } },
    })];
    let examples = tops.len();
    for (target, shape) in tops {
        let at = jsonpath_of(&target.location);
        actions.push(json!({ "target": format!("{at}.schema"), "remove": true }));
        actions.push(json!({ "target": at, "update": { "schema": schema_of(&shape), "example": target.example } }));
    }
    let renames = cluster_renames(&registry);
    let mut actions = Value::Array(actions);
    rename_refs(&mut actions, &renames);
    let overlay = json!({
        "overlay": "1.0.0",
        "info": {
            "title": "Schemas inferred from examples",
            "version": "1.0.0",
            "description": "@generated by `cargo xtask regen` from the examples of the overlaid document; do not edit. Hand corrections go in a later overlay."
        },
        "actions": actions,
    });
    Inference {
        overlay,
        types: registry.types.len(),
        examples,
    }
}

/// When one key named several types, the one with the most fields (the entity, not a
/// reference or an operation result) takes the plain name; the others are numbered from 2 in
/// the order they were first seen. Returns old name → new name for every type that moves.
fn cluster_renames(registry: &Registry) -> BTreeMap<String, String> {
    let mut renames = BTreeMap::new();
    for (base, clusters) in &registry.clusters {
        if clusters.len() < 2 {
            continue;
        }
        let width = |n: &str| registry.types.get(n).map_or(0, |t| t.fields.len());
        let mut order: Vec<&str> = clusters.iter().map(|(n, _)| n.as_str()).collect();
        let richest = (0..order.len())
            .max_by_key(|&i| (width(order[i]), std::cmp::Reverse(i)))
            .unwrap_or(0);
        let first = order.remove(richest);
        order.insert(0, first);
        for (i, old) in order.into_iter().enumerate() {
            let new = if i == 0 {
                base.clone()
            } else {
                format!("{base}{}", i + 1)
            };
            if old != new {
                renames.insert(old.to_string(), new);
            }
        }
    }
    renames
}

/// Applies `renames` to the schema names and `$ref`s of the overlay actions.
fn rename_refs(value: &mut Value, renames: &BTreeMap<String, String>) {
    if renames.is_empty() {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(schemas)) = map.get_mut("schemas") {
                let old = std::mem::take(schemas);
                for (name, schema) in old {
                    schemas.insert(renames.get(&name).cloned().unwrap_or(name), schema);
                }
            }
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(new) = r
                    .strip_prefix("#/components/schemas/")
                    .and_then(|n| renames.get(n))
                {
                    *r = format!("#/components/schemas/{new}");
                }
            }
            map.values_mut().for_each(|v| rename_refs(v, renames));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, renames)),
        _ => {}
    }
}

/// Renders a concrete location as a JSONPath with bracketed, quoted names.
pub fn jsonpath_of(loc: &[PathToken]) -> String {
    let mut out = String::from("$");
    for t in loc {
        match t {
            PathToken::Key(k) => {
                out.push_str("['");
                out.push_str(&k.replace('\\', "\\\\").replace('\'', "\\'"));
                out.push_str("']");
            }
            PathToken::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_shared_shapes_and_keeps_wire_kinds() {
        let doc = json!({"paths": {"/a": {"get": {"operationId": "getA", "responses": {
            "200": {"content": {"application/json": {"schema": {"type": "string", "example":
                {"Response": {"details": {"cards": [{"id": "1", "n": 1}, {"id": 2, "x": null}]}, "messageView": {"type": "success"}}}}}}},
            "400": {"content": {"application/json": {"schema": {"type": "string", "example":
                {"Response": {"details": {}, "messageView": {"type": "error", "message": ["bad"]}}}}}}}
        }}}}});
        let inf = infer(&doc);
        let schemas = &inf.overlay["actions"][0]["update"]["components"]["schemas"];
        assert_eq!(
            schemas["Card"]["properties"]["id"],
            json!({"oneOf": [{"type": "string"}, {"type": "integer", "format": "int64"}]})
        );
        assert!(
            schemas["Card"].get("required").is_none(),
            "unset fields are absent: optional"
        );
        assert_eq!(schemas["GetAResponse"]["required"], json!(["Response"]));
        assert_eq!(
            schemas["GetAResponseBody"]["required"],
            json!(["details", "messageView"])
        );
        // An id seen only as a string still accepts a number.
        assert_eq!(
            schemas["MessageView"]["properties"]["type"],
            json!({"type": "string"})
        );
        assert_eq!(schemas["Card"]["properties"]["x"]["nullable"], json!(true));
        assert_eq!(
            schemas["MessageView"]["required"],
            json!(["type"]),
            "envelope: required when always seen"
        );
        assert!(schemas.get("GetADetails").is_some());
        assert!(schemas.get("ErrorDetails").is_some());
        assert_eq!(inf.examples, 2);
    }

    fn schemas_of(example: Value) -> Value {
        let doc = json!({"paths": {"/a": {"get": {"operationId": "getA", "responses": {
            "200": {"content": {"application/json": {"schema": {"type": "string", "example": example}}}}}}}}});
        infer(&doc).overlay["actions"][0]["update"]["components"]["schemas"].clone()
    }

    #[test]
    fn empty_lists_reuse_the_type_named_after_their_key() {
        let schemas = schemas_of(
            json!({"queue": [{"id": "1", "children": [{"id": "2", "children": []}]}], "tags": []}),
        );
        assert_eq!(
            schemas["Children"]["properties"]["children"]["items"],
            json!({"$ref": "#/components/schemas/Children"})
        );
        // No type named after the key: still a guess.
        assert_eq!(
            schemas["GetAResponse"]["properties"]["tags"]["items"]["type"],
            json!("string")
        );
    }

    #[test]
    fn unrelated_shapes_under_one_key_are_separate_types() {
        let schemas = schemas_of(json!({
            "a": {"card": {"id": "1", "workType": "Bug", "name": "x"}},
            "b": {"card": [{"cardType": "Bug", "cardUniqueId": "7"}, {"responseMsg": ["ok"]}, {}]},
            "c": {"card": {"id": "2"}}
        }));
        let keys = |n: &str| {
            schemas[n]["properties"]
                .as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        assert_eq!(keys("Card"), ["id", "name", "workType"]);
        assert_eq!(keys("Card2"), ["cardType", "cardUniqueId", "responseMsg"]);
        // One list holds one type: the `{}` and the item sharing no key with the first join it.
        assert_eq!(
            schemas["Card"]["description"],
            json!("Inferred from 2 example object(s) in the document.")
        );
        assert_eq!(
            schemas["Card2"]["description"],
            json!("Inferred from 3 example object(s) in the document.")
        );
    }
}
