//! Swagger 2.0 → OpenAPI 3.0: definitions, parameters (body and formData become request
//! bodies), responses, produces/consumes, host/basePath, security definitions, `$ref` paths.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::walk;
use crate::diagnostics::{pointer, Diagnostics, Place};

/// Converts a Swagger 2.0 document in place.
pub fn convert(doc: &mut Value, file: &Path, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let global_consumes =
        strings(root.get("consumes")).unwrap_or_else(|| vec!["application/json".into()]);
    let global_produces =
        strings(root.get("produces")).unwrap_or_else(|| vec!["application/json".into()]);
    let global_params = root
        .remove("parameters")
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    let global_responses = root
        .remove("responses")
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();

    let mut components = Map::new();
    if let Some(defs) = root.remove("definitions") {
        components.insert("schemas".into(), defs);
    }
    if let Some(Value::Object(sec)) = root.remove("securityDefinitions") {
        let schemes: Map<String, Value> = sec
            .into_iter()
            .map(|(k, v)| (k, security_scheme(v)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    let server = {
        let scheme = strings(root.get("schemes"))
            .and_then(|s| s.first().cloned())
            .unwrap_or_else(|| "https".into());
        let base = root
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        match root.get("host").and_then(Value::as_str) {
            Some(host) => format!("{scheme}://{host}{base}"),
            None => base,
        }
    };
    for k in [
        "swagger", "host", "basePath", "schemes", "consumes", "produces",
    ] {
        root.remove(k);
    }
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    if !server.is_empty() {
        root.insert("servers".into(), json!([{ "url": server }]));
    }

    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            let shared = take_parameters(item, &global_params);
            for (method, op) in item.iter_mut() {
                let Some(op) = op.as_object_mut() else {
                    continue;
                };
                let at = vec!["paths".to_string(), path.clone(), method.clone()];
                convert_operation(
                    op,
                    &shared,
                    &global_params,
                    &global_responses,
                    &global_consumes,
                    &global_produces,
                    file,
                    &at,
                    diags,
                );
            }
        }
    }
    if !components.is_empty() {
        root.insert("components".into(), Value::Object(components));
    }
    // Schema-level rewrites everywhere: reference paths, `file`, `x-nullable`, discriminators.
    walk::objects_mut(doc, &mut Vec::new(), &mut |map, _| {
        if let Some(Value::String(r)) = map.get_mut("$ref") {
            if let Some(rest) = r.strip_prefix("#/definitions/") {
                *r = format!("#/components/schemas/{rest}");
            }
        }
        if map.get("type").and_then(Value::as_str) == Some("file") {
            map.insert("type".into(), Value::String("string".into()));
            map.insert("format".into(), Value::String("binary".into()));
        }
        if let Some(n) = map.remove("x-nullable") {
            map.insert("nullable".into(), n);
        }
        if let Some(Value::String(prop)) = map.get("discriminator").cloned() {
            map.insert("discriminator".into(), json!({ "propertyName": prop }));
        }
    });
}

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    v.and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect()
    })
}

/// Removes `parameters` from a path item or operation: the list, each `#/parameters/..`
/// reference replaced by its definition.
fn take_parameters(owner: &mut Map<String, Value>, globals: &Map<String, Value>) -> Vec<Value> {
    match owner.remove("parameters") {
        Some(Value::Array(params)) => params
            .into_iter()
            .map(|p| deref_param(p, globals))
            .collect(),
        _ => Vec::new(),
    }
}

fn deref_param(p: Value, globals: &Map<String, Value>) -> Value {
    match p
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/parameters/"))
    {
        Some(name) => globals.get(name).cloned().unwrap_or(p),
        None => p,
    }
}

fn security_scheme(v: Value) -> Value {
    match v.get("type").and_then(Value::as_str) {
        Some("basic") => {
            json!({ "type": "http", "scheme": "basic", "description": v.get("description") })
        }
        Some("oauth2") => {
            let flow = match v.get("flow").and_then(Value::as_str) {
                Some("implicit") => "implicit",
                Some("password") => "password",
                Some("application") => "clientCredentials",
                _ => "authorizationCode",
            };
            let mut f = Map::new();
            for (from, to) in [
                ("authorizationUrl", "authorizationUrl"),
                ("tokenUrl", "tokenUrl"),
            ] {
                if let Some(u) = v.get(from) {
                    f.insert(to.into(), u.clone());
                }
            }
            f.insert(
                "scopes".into(),
                v.get("scopes").cloned().unwrap_or_else(|| json!({})),
            );
            json!({ "type": "oauth2", "flows": { flow: f } })
        }
        _ => v,
    }
}

/// Moves a 2.0 non-body parameter's type keys into a `schema`, and its collection format
/// into `style`/`explode`.
fn parameter_schema(p: &mut Map<String, Value>) {
    let mut schema = Map::new();
    for k in [
        "type",
        "format",
        "items",
        "enum",
        "default",
        "maximum",
        "minimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "multipleOf",
        "exclusiveMaximum",
        "exclusiveMinimum",
    ] {
        if let Some(v) = p.remove(k) {
            schema.insert(k.into(), v);
        }
    }
    if let Some(Value::Object(items)) = schema.get_mut("items") {
        items.remove("collectionFormat");
    }
    match p
        .remove("collectionFormat")
        .as_ref()
        .and_then(Value::as_str)
    {
        Some("multi") => {
            p.insert("style".into(), "form".into());
            p.insert("explode".into(), Value::Bool(true));
        }
        Some("ssv") => {
            p.insert("style".into(), "spaceDelimited".into());
            p.insert("explode".into(), Value::Bool(false));
        }
        Some("pipes") => {
            p.insert("style".into(), "pipeDelimited".into());
            p.insert("explode".into(), Value::Bool(false));
        }
        Some(_) if schema.get("type").and_then(Value::as_str) == Some("array") => {
            p.insert("explode".into(), Value::Bool(false));
        }
        _ if schema.get("type").and_then(Value::as_str) == Some("array") => {
            // 2.0's default collection format is csv.
            p.insert("explode".into(), Value::Bool(false));
        }
        _ => {}
    }
    p.remove("allowEmptyValue");
    p.insert("schema".into(), Value::Object(schema));
}

#[allow(clippy::too_many_arguments)]
fn convert_operation(
    op: &mut Map<String, Value>,
    shared: &[Value],
    global_params: &Map<String, Value>,
    global_responses: &Map<String, Value>,
    global_consumes: &[String],
    global_produces: &[String],
    file: &Path,
    at: &[String],
    diags: &mut Diagnostics,
) {
    let consumes =
        strings(op.remove("consumes").as_ref()).unwrap_or_else(|| global_consumes.to_vec());
    let produces =
        strings(op.remove("produces").as_ref()).unwrap_or_else(|| global_produces.to_vec());
    let own = take_parameters(op, global_params);
    // Operation parameters override path-level ones with the same name and location.
    let mut params: Vec<Value> = shared
        .iter()
        .filter(|s| {
            !own.iter()
                .any(|o| o.get("name") == s.get("name") && o.get("in") == s.get("in"))
        })
        .cloned()
        .collect();
    params.extend(own);

    let mut kept = Vec::new();
    let mut form = Map::new();
    let mut form_required = Vec::new();
    let mut has_file = false;
    for p in params {
        let Value::Object(mut p) = p else { continue };
        match p.get("in").and_then(Value::as_str) {
            Some("body") => {
                let schema = p.remove("schema").unwrap_or_else(|| json!({}));
                let content: Map<String, Value> = consumes
                    .iter()
                    .map(|ct| (ct.clone(), json!({ "schema": schema })))
                    .collect();
                let mut body = json!({ "content": content });
                if let Some(d) = p.remove("description") {
                    body["description"] = d;
                }
                if let Some(r) = p.remove("required") {
                    body["required"] = r;
                }
                op.insert("requestBody".into(), body);
            }
            Some("formData") => {
                let name = p
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                if p.get("required").and_then(Value::as_bool) == Some(true) {
                    form_required.push(Value::String(name.clone()));
                }
                has_file |= p.get("type").and_then(Value::as_str) == Some("file");
                parameter_schema(&mut p);
                let mut schema = p.remove("schema").unwrap_or_else(|| json!({}));
                if let Some(d) = p.remove("description") {
                    schema["description"] = d;
                }
                form.insert(name, schema);
            }
            Some(_) => {
                parameter_schema(&mut p);
                kept.push(Value::Object(p));
            }
            None => {
                let mut tokens: Vec<&str> = at.iter().map(String::as_str).collect();
                tokens.push("parameters");
                diags.warn(
                    file,
                    Place::Pointer(pointer(&tokens)),
                    "a parameter without 'in' was skipped",
                );
            }
        }
    }
    if !form.is_empty() {
        let ct = if has_file || consumes.iter().any(|c| c == "multipart/form-data") {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut schema = json!({ "type": "object", "properties": form });
        if !form_required.is_empty() {
            schema["required"] = Value::Array(form_required);
        }
        op.insert(
            "requestBody".into(),
            json!({ "content": { ct: { "schema": schema } } }),
        );
    }
    if !kept.is_empty() {
        op.insert("parameters".into(), Value::Array(kept));
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        for (_, resp) in responses.iter_mut() {
            if let Some(name) = resp
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/responses/"))
            {
                if let Some(g) = global_responses.get(name) {
                    *resp = g.clone();
                }
            }
            let Some(r) = resp.as_object_mut() else {
                continue;
            };
            r.entry("description")
                .or_insert_with(|| Value::String(String::new()));
            if let Some(schema) = r.remove("schema") {
                let content: Map<String, Value> = produces
                    .iter()
                    .map(|ct| (ct.clone(), json!({ "schema": schema })))
                    .collect();
                r.insert("content".into(), Value::Object(content));
            }
            r.remove("examples");
            if let Some(Value::Object(headers)) = r.get_mut("headers") {
                for (_, h) in headers.iter_mut() {
                    if let Some(h) = h.as_object_mut() {
                        parameter_schema(h);
                        h.remove("style");
                        h.remove("explode");
                    }
                }
            }
        }
    }
}
