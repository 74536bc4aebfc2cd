//! Lowers an (overlaid) OpenAPI 3.0 document into the neutral model, warning on deviations.

use std::collections::BTreeMap;
use std::path::Path;

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, Operation, Parameter,
    ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StatusCode, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::Options;
use crate::diagnostics::{pointer, Diagnostics, Place};
use crate::model::{
    Api, ApiKey, Body, Field, FormPart, Method, Name, Param, ParamLocation, ParamStyle, PartKind,
    RestOperation, TypeDef, TypeId, TypeKind, TypeRef,
};

/// Lowers `doc` (read from `file`, overlays already applied) into `api`.
pub fn lower(doc: Value, file: &Path, options: &Options, api: &mut Api, diags: &mut Diagnostics) {
    let doc = prepare(doc, file, diags);
    let spec: OpenAPI = match serde_path_to_error::deserialize(doc) {
        Ok(s) => s,
        Err(e) => {
            let ptr = format!("/{}", e.path().to_string().replace('.', "/"));
            diags.error(
                file,
                Place::Pointer(ptr),
                format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
                "fix the document or patch it with an overlay",
            );
            return;
        }
    };
    api.title = spec.info.title.clone();
    if let Some(server) = spec.servers.first() {
        let url = server.url.trim_end_matches('/');
        match url.split_once("://") {
            Some((_, rest)) => {
                api.default_server = Some(url.to_string());
                api.rest_base_path = rest
                    .find('/')
                    .map(|i| rest[i..].to_string())
                    .unwrap_or_default();
            }
            None => api.rest_base_path = url.to_string(),
        }
    }
    let mut lowerer = Lowerer {
        options,
        file,
        api,
        diags,
        components: BTreeMap::new(),
        spec: &spec,
    };
    let first_type = lowerer.api.types.len();
    lowerer.lower_components();
    lowerer.lower_security();
    lowerer.lower_paths();
    order_union_variants(api, first_type);
}

/// Orders the variants of each untagged union (tried in order) by specificity: object
/// branches with more required properties first, so data that fits a richer branch is not
/// captured by a poorer one; ties keep the declared order.
fn order_union_variants(api: &mut Api, first: usize) {
    let required_count = |api: &Api, t: &TypeRef| match t {
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Struct { fields, .. } => fields.iter().filter(|f| f.required).count(),
            _ => 0,
        },
        _ => 0,
    };
    for i in first..api.types.len() {
        let TypeKind::Union { variants } = &api.types[i].kind else {
            continue;
        };
        let mut keyed: Vec<(usize, (Name, TypeRef))> = variants
            .iter()
            .map(|v| (required_count(api, &v.1), v.clone()))
            .collect();
        keyed.sort_by_key(|k| std::cmp::Reverse(k.0));
        if let TypeKind::Union { variants } = &mut api.types[i].kind {
            *variants = keyed.into_iter().map(|(_, v)| v).collect();
        }
    }
}

/// Tolerates what real documents get wrong, warning with a pointer for each deviation.
fn prepare(mut doc: Value, file: &Path, diags: &mut Diagnostics) -> Value {
    repair_shapes(&mut doc, file, diags);
    super::normalize::schemas::simplify(&mut doc, file, diags);
    if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
        if !info.contains_key("version") {
            diags.warn(
                file,
                Place::Pointer("/info".into()),
                "info.version is missing (required by OpenAPI); using \"0.0.0\"",
            );
            info.insert("version".into(), Value::String("0.0.0".into()));
        }
    }
    if let Some(servers) = doc.get("servers").and_then(Value::as_array) {
        for (i, s) in servers.iter().enumerate() {
            if let Some(url) = s.get("url").and_then(Value::as_str) {
                if url.starts_with('/') {
                    diags.warn(file, Place::Pointer(pointer(&["servers", &i.to_string(), "url"])), format!("server URL '{url}' is relative; the client joins it to the base URL it is given"));
                }
            }
        }
    }
    doc
}

/// Repairs shapes real documents get wrong that typed parsing would reject, each with a
/// warning: `items` given as a list (tuple form) becomes an anyOf of its members, a
/// non-boolean `required` on a parameter becomes `false`, an operation without `responses`
/// gets an empty one.
fn repair_shapes(doc: &mut Value, file: &Path, diags: &mut Diagnostics) {
    let mut warnings = Vec::new();
    super::normalize::walk_objects(doc, &mut |map, path| {
        if let Some(Value::Array(members)) = map.get("items").cloned() {
            let replacement = match members.as_slice() {
                [one] => one.clone(),
                many => serde_json::json!({ "anyOf": many }),
            };
            map.insert("items".into(), replacement);
            warnings.push((
                path.to_vec(),
                "'items' is a list (tuple form); read as one schema (anyOf of the members)"
                    .to_string(),
            ));
        }
        if let Some(Value::Array(types)) = map.get("type").cloned() {
            // A type list outside 3.1 (e.g. Swagger 2.0 extensions): read as 3.1 reads it.
            let non_null: Vec<Value> = types
                .iter()
                .filter(|t| t.as_str() != Some("null"))
                .cloned()
                .collect();
            if non_null.len() < types.len() {
                map.insert("nullable".into(), Value::Bool(true));
            }
            match non_null.as_slice() {
                [one] => {
                    map.insert("type".into(), one.clone());
                }
                [] => {
                    map.insert("type".into(), Value::String("string".into()));
                }
                many => {
                    map.remove("type");
                    let alts: Vec<Value> = many
                        .iter()
                        .map(|t| serde_json::json!({ "type": t }))
                        .collect();
                    map.insert("oneOf".into(), Value::Array(alts));
                }
            }
            warnings.push((
                path.to_vec(),
                "'type' is a list; read as OpenAPI 3.1 reads it".to_string(),
            ));
        }
        if path.len() == 4 && path[0] == "servers" && path[2] == "variables" {
            for key in ["default", "enum"] {
                if let Some(v) = map.get_mut(key) {
                    stringify(v);
                }
            }
        }
        let in_parameters = path.iter().rev().nth(1).is_some_and(|t| t == "parameters");
        if in_parameters && map.contains_key("in") {
            if let Some(r) = map.get("required").filter(|r| !r.is_boolean()).cloned() {
                map.insert("required".into(), Value::Bool(false));
                warnings.push((
                    path.to_vec(),
                    format!("parameter 'required' is {r}, not a boolean; read as false"),
                ));
            }
        }
        // Operations of paths, webhooks and callbacks (`…/callbacks/NAME/EXPRESSION/METHOD`).
        let is_operation = path.last().is_some_and(|m| method_of(m).is_some())
            && ((path.len() == 3 && (path[0] == "paths" || path[0] == "webhooks"))
                || (path.len() >= 4 && path[path.len() - 4] == "callbacks"));
        if is_operation && !map.contains_key("responses") {
            map.insert("responses".into(), serde_json::json!({}));
            warnings.push((
                path.to_vec(),
                "operation has no 'responses'; read as none declared".to_string(),
            ));
        }
        let is_response = path.len() >= 2
            && path[path.len() - 2] == "responses"
            && path
                .get(path.len().wrapping_sub(3))
                .is_some_and(|m| method_of(m).is_some() || m == "components");
        if is_response && !map.contains_key("description") && !map.contains_key("$ref") {
            map.insert("description".into(), Value::String(String::new()));
            warnings.push((
                path.to_vec(),
                "response has no 'description' (required by OpenAPI); read as empty".to_string(),
            ));
        }
    });
    for (path, msg) in warnings {
        let tokens: Vec<&str> = path.iter().map(String::as_str).collect();
        diags.warn(file, Place::Pointer(pointer(&tokens)), msg);
    }
}

/// Numbers and booleans become strings (server variable values are strings).
fn stringify(v: &mut Value) {
    match v {
        Value::Number(n) => *v = Value::String(n.to_string()),
        Value::Bool(b) => *v = Value::String(b.to_string()),
        Value::Array(items) => items.iter_mut().for_each(stringify),
        _ => {}
    }
}

struct Lowerer<'a> {
    options: &'a Options,
    file: &'a Path,
    api: &'a mut Api,
    diags: &'a mut Diagnostics,
    components: BTreeMap<String, TypeId>,
    spec: &'a OpenAPI,
}

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// `format: byte` strings: the runtime's base64 byte buffer (`$rt` is the runtime path).
pub const BASE64_TYPE: &str = "$rt::Base64";

/// Whether optional nullable fields of this object keep absent and null apart.
fn tri_state(schema: &Schema) -> bool {
    let ext = &schema.schema_data.extensions;
    ext.get("x-tri-state") == Some(&Value::Bool(true))
        || ext.get("x-inferred") == Some(&Value::Bool(true))
}

impl Lowerer<'_> {
    fn lower_components(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        // Register every name first so references resolve in any order (and cycles work).
        for name in components.schemas.keys() {
            let id = self.api.add_type(TypeDef {
                name: Name::wire(name.clone()),
                doc: None,
                kind: TypeKind::Struct {
                    fields: Vec::new(),
                    keeps_unknown: true,
                },
                origin: format!(
                    "{}#{}",
                    self.file.display(),
                    pointer(&["components", "schemas", name])
                ),
                key: pointer(&["components", "schemas", name]),
            });
            self.components.insert(name.clone(), id);
            self.api.schemas.insert(name.clone(), id);
        }
        for (name, schema) in &components.schemas {
            let id = self.components[name];
            let at = pointer(&["components", "schemas", name]);
            match schema {
                ReferenceOr::Item(schema) => {
                    let (kind, doc) = self.named_kind(schema, name, &at);
                    let def = &mut self.api.types[id.0];
                    def.kind = kind;
                    def.doc = doc;
                }
                ReferenceOr::Reference { reference } => {
                    let target = self.resolve_ref(reference, &at);
                    let def = &mut self.api.types[id.0];
                    def.kind = TypeKind::Union {
                        variants: vec![(Name::wire("Value"), target)],
                    };
                }
            }
        }
    }

    /// The kind of a named type defined by `schema`.
    fn named_kind(&mut self, schema: &Schema, name: &str, at: &str) -> (TypeKind, Option<String>) {
        let doc = schema.schema_data.description.clone();
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) => {
                let tri_state = tri_state(schema);
                let fields = self.fields(&obj.properties, &obj.required, name, at, tri_state);
                let keeps_unknown = !matches!(
                    obj.additional_properties,
                    Some(AdditionalProperties::Any(false))
                );
                TypeKind::Struct {
                    fields,
                    keeps_unknown,
                }
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let fields =
                    self.fields(&any.properties, &any.required, name, at, tri_state(schema));
                TypeKind::Struct {
                    fields,
                    keeps_unknown: true,
                }
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => TypeKind::Enum {
                values: s
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| Name::wire(v.clone()))
                    .collect(),
            },
            SchemaKind::OneOf { one_of } | SchemaKind::AnyOf { any_of: one_of }
                if one_of.len() > 1 =>
            {
                // A named union keeps the schema's name (no alias to an inline twin).
                match self.alternatives(one_of, name, at) {
                    TypeRef::Named(id)
                        if id.0 + 1 == self.api.types.len()
                            && matches!(self.api.types[id.0].kind, TypeKind::Union { .. }) =>
                    {
                        let def = self.api.types.pop().expect("just added");
                        def.kind
                    }
                    ty => TypeKind::Union {
                        variants: vec![(Name::wire("Value"), ty)],
                    },
                }
            }
            _ => {
                let ty = self.schema_type(schema, name, at);
                TypeKind::Union {
                    variants: vec![(Name::wire("Value"), ty)],
                }
            }
        };
        (kind, doc)
    }

    fn fields(
        &mut self,
        props: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        parent: &str,
        at: &str,
        tri_state: bool,
    ) -> Vec<Field> {
        let mut out = Vec::new();
        for (key, prop) in props {
            let here = format!("{at}{}", pointer(&["properties", key]));
            let context = format!("{parent}{}", crate::emit::ident::pascal(key));
            let (ty, nullable, doc) = match prop {
                ReferenceOr::Reference { reference } => {
                    (self.resolve_ref(reference, &here), false, None)
                }
                ReferenceOr::Item(s) => (
                    self.schema_type(s, &context, &here),
                    s.schema_data.nullable,
                    s.schema_data.description.clone(),
                ),
            };
            let required = required.contains(key);
            out.push(Field {
                name: Name::wire(key.clone()),
                ty,
                required,
                // Absent and null are one state for optional fields unless the schema asks
                // for three (`x-tri-state`, or inferred schemas).
                nullable: nullable && (required || tri_state),
                doc,
            });
        }
        out
    }

    fn resolve_ref(&mut self, reference: &str, at: &str) -> TypeRef {
        match reference
            .strip_prefix(COMPONENT_PREFIX)
            .and_then(|n| self.components.get(n))
        {
            Some(id) => TypeRef::Named(*id),
            None => {
                self.diags.error(
                    self.file,
                    Place::Pointer(at.to_string()),
                    format!("$ref '{reference}' does not name a schema in #/components/schemas"),
                    "fix the reference or add the schema",
                );
                TypeRef::Json
            }
        }
    }

    fn ref_or_schema(&mut self, r: &ReferenceOr<Schema>, context: &str, at: &str) -> TypeRef {
        match r {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, at),
            ReferenceOr::Item(s) => self.schema_type(s, context, at),
        }
    }

    fn boxed_ref_or_schema(
        &mut self,
        r: &ReferenceOr<Box<Schema>>,
        context: &str,
        at: &str,
    ) -> TypeRef {
        match r {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, at),
            ReferenceOr::Item(s) => self.schema_type(s, context, at),
        }
    }

    /// The type of an inline schema; inline objects and unions become named types called `context`.
    fn schema_type(&mut self, schema: &Schema, context: &str, at: &str) -> TypeRef {
        if let Some(Value::String(rust)) = schema.schema_data.extensions.get("x-rust-type") {
            return TypeRef::External(rust.clone());
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let format = match &s.format {
                    VariantOrUnknownOrEmpty::Item(f) => serde_json::to_value(f)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string)),
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                self.string_type(format.as_deref())
            }
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Integer(i)) => match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::Int32,
                _ => TypeRef::Integer,
            },
            SchemaKind::Type(Type::Number(n)) => match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Double | NumberFormat::Float) => {
                    TypeRef::Double
                }
                _ => TypeRef::Number,
            },
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => TypeRef::Array(Box::new(self.boxed_ref_or_schema(
                    items,
                    &crate::emit::ident::singular(context),
                    &format!("{at}/items"),
                ))),
                None => TypeRef::Array(Box::new(example_item_type(
                    schema.schema_data.example.as_ref(),
                ))),
            },
            SchemaKind::Type(Type::Object(obj)) => {
                if obj.properties.is_empty() {
                    return match &obj.additional_properties {
                        Some(AdditionalProperties::Schema(s)) => {
                            TypeRef::Map(Box::new(self.ref_or_schema(
                                s,
                                &format!("{context}Value"),
                                &format!("{at}/additionalProperties"),
                            )))
                        }
                        _ => TypeRef::Map(Box::new(TypeRef::Json)),
                    };
                }
                let (kind, doc) = self.named_kind(schema, context, at);
                self.inline_type(context, kind, doc, at)
            }
            SchemaKind::OneOf { one_of } | SchemaKind::AnyOf { any_of: one_of } => {
                self.alternatives(one_of, context, at)
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.ref_or_schema(&all_of[0], context, &format!("{at}/allOf/0"))
            }
            SchemaKind::AllOf { .. } => {
                self.diags.warn(
                    self.file,
                    Place::Pointer(at.to_string()),
                    "allOf with several members is not merged yet; typed as any JSON value",
                );
                TypeRef::Json
            }
            SchemaKind::Not { .. } => TypeRef::Json,
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let (kind, doc) = self.named_kind(schema, context, at);
                self.inline_type(context, kind, doc, at)
            }
            SchemaKind::Any(any) => self.loose_type(any, context, at),
        }
    }

    /// A string, or the Rust type its `format` is replaced by (`byte` is base64).
    fn string_type(&self, format: Option<&str>) -> TypeRef {
        match format.and_then(|f| self.options.type_replacements.get(f)) {
            Some(rust) => TypeRef::External(rust.clone()),
            None if format == Some("byte") => TypeRef::External(BASE64_TYPE.to_string()),
            None => TypeRef::String,
        }
    }

    /// A schema without properties that does not parse as one typed kind (keywords of several
    /// kinds, e.g. `type: string` with `additionalProperties`, or `items` without `type`):
    /// typed by what it says; `serde_json::Value` only when it constrains nothing we can name.
    fn loose_type(&mut self, any: &openapiv3::AnySchema, context: &str, at: &str) -> TypeRef {
        let composite = !any.one_of.is_empty()
            || !any.any_of.is_empty()
            || !any.all_of.is_empty()
            || any.not.is_some()
            || !any.enumeration.is_empty();
        if composite {
            return TypeRef::Json;
        }
        match (any.typ.as_deref(), &any.items, &any.additional_properties) {
            (None | Some("array"), Some(items), _) => {
                TypeRef::Array(Box::new(self.boxed_ref_or_schema(
                    items,
                    &crate::emit::ident::singular(context),
                    &format!("{at}/items"),
                )))
            }
            (Some("string"), _, _) => self.string_type(any.format.as_deref()),
            (Some("integer"), _, _) if any.format.as_deref() == Some("int32") => TypeRef::Int32,
            (Some("integer"), _, _) => TypeRef::Integer,
            (Some("number"), _, _) if matches!(any.format.as_deref(), Some("double" | "float")) => {
                TypeRef::Double
            }
            (Some("number"), _, _) => TypeRef::Number,
            (Some("boolean"), _, _) => TypeRef::Boolean,
            (None | Some("object"), None, Some(AdditionalProperties::Schema(s))) => {
                TypeRef::Map(Box::new(self.ref_or_schema(
                    s,
                    &format!("{context}Value"),
                    &format!("{at}/additionalProperties"),
                )))
            }
            _ => TypeRef::Json,
        }
    }

    fn inline_type(
        &mut self,
        context: &str,
        kind: TypeKind,
        doc: Option<String>,
        at: &str,
    ) -> TypeRef {
        let id = self.api.add_type(TypeDef {
            name: Name::wire(context.to_string()),
            doc,
            kind,
            origin: format!("{}#{at}", self.file.display()),
            key: at.to_string(),
        });
        TypeRef::Named(id)
    }

    /// oneOf/anyOf: recognises string-or-number ids and one-or-many lists, else an untagged union.
    fn alternatives(&mut self, alts: &[ReferenceOr<Schema>], context: &str, at: &str) -> TypeRef {
        let tys: Vec<TypeRef> = alts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                self.ref_or_schema(
                    a,
                    &format!("{context}{}", i + 1),
                    &format!("{at}/oneOf/{i}"),
                )
            })
            .collect();
        let is_num = |t: &TypeRef| {
            matches!(
                t,
                TypeRef::Integer | TypeRef::Int32 | TypeRef::Number | TypeRef::Double
            )
        };
        match tys.as_slice() {
            [only] => only.clone(),
            [TypeRef::String, n] | [n, TypeRef::String] if is_num(n) => TypeRef::Id,
            [one, TypeRef::Array(many)] if **many == *one => {
                TypeRef::OneOrMany(Box::new(one.clone()))
            }
            _ => {
                let arrays = tys
                    .iter()
                    .filter(|t| matches!(t, TypeRef::Array(_)))
                    .count();
                let variants = tys
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let name = match &t {
                            // One list among the branches is just `List`.
                            TypeRef::Array(_) if arrays < 2 => "List".to_string(),
                            _ => variant_name(self.api, &t, i),
                        };
                        (Name::wire(name), t)
                    })
                    .collect();
                self.inline_type(context, TypeKind::Union { variants }, None, at)
            }
        }
    }

    fn lower_security(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        for (name, scheme) in &components.security_schemes {
            use crate::model::SecurityKind;
            use openapiv3::{APIKeyLocation, SecurityScheme};
            let kind = match scheme {
                ReferenceOr::Item(SecurityScheme::APIKey { location, name, .. }) => {
                    match location {
                        APIKeyLocation::Header => SecurityKind::ApiKeyHeader(name.clone()),
                        APIKeyLocation::Query => SecurityKind::ApiKeyQuery(name.clone()),
                        APIKeyLocation::Cookie => SecurityKind::ApiKeyCookie(name.clone()),
                    }
                }
                ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })
                    if scheme.eq_ignore_ascii_case("basic") =>
                {
                    SecurityKind::Basic
                }
                ReferenceOr::Item(_) => SecurityKind::Bearer,
                ReferenceOr::Reference { .. } => continue,
            };
            self.api.security_schemes.push((name.clone(), kind));
        }
        for (name, scheme) in &components.security_schemes {
            if let ReferenceOr::Item(openapiv3::SecurityScheme::APIKey {
                location: openapiv3::APIKeyLocation::Header,
                name: header,
                ..
            }) = scheme
            {
                self.api.api_key = Some(ApiKey {
                    scheme: name.clone(),
                    header: header.clone(),
                });
                return;
            }
        }
    }

    fn lower_paths(&mut self) {
        let global_security = self.spec.security.as_ref().is_some_and(|s| !s.is_empty());
        for (path, item) in &self.spec.paths.paths {
            let ReferenceOr::Item(item) = item else {
                self.diags.warn(
                    self.file,
                    Place::Pointer(pointer(&["paths", path])),
                    "path item $ref is not supported yet; the path was skipped",
                );
                continue;
            };
            for (method_name, op) in item.iter() {
                let Some(method) = method_of(method_name) else {
                    continue;
                };
                let at = pointer(&["paths", path, method_name]);
                // An operation's parameter overrides the path item's with the same name and location.
                let mut params: Vec<ReferenceOr<Parameter>> = item.parameters.clone();
                for p in &op.parameters {
                    if let ReferenceOr::Item(new) = p {
                        params.retain(|old| {
                            !matches!(old, ReferenceOr::Item(old)
                                if old.parameter_data_ref().name == new.parameter_data_ref().name
                                    && std::mem::discriminant(old) == std::mem::discriminant(new))
                        });
                    }
                    params.push(p.clone());
                }
                let operation =
                    self.lower_operation(path, method, op, &params, &at, global_security);
                self.api.rest.push(operation);
            }
        }
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: Method,
        op: &Operation,
        params: &[ReferenceOr<Parameter>],
        at: &str,
        global_security: bool,
    ) -> RestOperation {
        let op_id = match &op.operation_id {
            Some(id) => id.clone(),
            None => {
                let synthesized = format!(
                    "{}{}",
                    format!("{method:?}").to_lowercase(),
                    path.replace(['/', '{', '}', '-', '.'], "_")
                );
                self.diags.warn(
                    self.file,
                    Place::Pointer(at.to_string()),
                    format!("operation has no operationId; named '{synthesized}'"),
                );
                synthesized
            }
        };
        let scope = crate::emit::ident::pascal(&op_id);
        let mut lowered = Vec::new();
        for (i, p) in params.iter().enumerate() {
            let here = format!("{at}/parameters/{i}");
            let ReferenceOr::Item(p) = p else {
                self.diags.warn(
                    self.file,
                    Place::Pointer(here),
                    "parameter $ref is not supported yet; the parameter was skipped",
                );
                continue;
            };
            let (location, data, style) = match p {
                Parameter::Path { parameter_data, .. } => {
                    (ParamLocation::Path, parameter_data, ParamStyle::Simple)
                }
                Parameter::Query {
                    parameter_data,
                    style,
                    ..
                } => (
                    ParamLocation::Query,
                    parameter_data,
                    match style {
                        openapiv3::QueryStyle::Form => ParamStyle::Form,
                        openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
                    },
                ),
                Parameter::Header { parameter_data, .. } => {
                    (ParamLocation::Header, parameter_data, ParamStyle::Simple)
                }
                Parameter::Cookie { parameter_data, .. } => {
                    (ParamLocation::Cookie, parameter_data, ParamStyle::Form)
                }
            };
            let explode = data.explode.unwrap_or(style == ParamStyle::Form);
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => self.ref_or_schema(
                    s,
                    &format!("{scope}{}", crate::emit::ident::pascal(&data.name)),
                    &format!("{here}/schema"),
                ),
                ParameterSchemaOrContent::Content(_) => TypeRef::String,
            };
            let required = data.required || location == ParamLocation::Path;
            lowered.push(Param {
                name: Name::wire(data.name.clone()),
                location,
                ty,
                required,
                doc: data.description.clone(),
                style,
                explode,
            });
        }
        // Every `{name}` in the template must be a declared path parameter.
        for name in template_names(path) {
            if !lowered
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name.wire == name)
            {
                self.diags.error(
                    self.file,
                    Place::Pointer(at.to_string()),
                    format!("path template '{path}' uses '{{{name}}}' but the operation declares no path parameter '{name}'"),
                    "declare the parameter (in: path, required: true) on the operation or its path item, or fix the template with an overlay",
                );
            }
        }
        // Path parameters in template order come first.
        let order = |p: &Param| {
            if p.location == ParamLocation::Path {
                path.find(&format!("{{{}}}", p.name.wire))
                    .unwrap_or(usize::MAX)
            } else {
                usize::MAX
            }
        };
        lowered.sort_by_key(order);

        let body = op
            .request_body
            .as_ref()
            .and_then(|rb| self.lower_body(rb, &scope, &format!("{at}/requestBody")));
        let (success, success_media) = self.success_type(op, &scope, at);
        let responses = self.status_responses(op, &scope, at, success.as_ref());
        let retry_safe = match op.extensions.get("x-retry-safe") {
            Some(Value::Bool(b)) => *b,
            _ => method.is_idempotent_read(),
        };
        let security: Vec<Vec<String>> = op
            .security
            .as_ref()
            .or(self.spec.security.as_ref())
            .map(|reqs| reqs.iter().map(|r| r.keys().cloned().collect()).collect())
            .unwrap_or_default();
        let authenticated = match &op.security {
            Some(reqs) => !reqs.is_empty() && reqs.iter().any(|r| !r.is_empty()),
            None => global_security,
        };
        let doc = join_doc(op.summary.as_deref(), op.description.as_deref());
        RestOperation {
            name: Name::wire(op_id),
            method,
            path: path.to_string(),
            doc,
            tag: op.tags.first().cloned(),
            params: lowered,
            body,
            success,
            success_media,
            responses,
            security,
            retry_safe,
            authenticated,
            origin: format!("{}#{at}", self.file.display()),
        }
    }

    fn lower_body(
        &mut self,
        rb: &ReferenceOr<openapiv3::RequestBody>,
        scope: &str,
        at: &str,
    ) -> Option<Body> {
        let spec = self.spec;
        let rb = match resolve_request_body(spec, rb) {
            Ok(rb) => rb,
            Err(msg) => {
                self.diags.error(self.file, Place::Pointer(at.to_string()), msg, "fix the reference or add the request body it names under #/components/requestBodies");
                return None;
            }
        };
        let (content_type, media) = pick_request_media(&rb.content)?;
        // An object with no properties and no others allowed (Stripe's GET bodies) is no body.
        if let Some(ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Object(o)),
            ..
        })) = &media.schema
        {
            if o.properties.is_empty()
                && matches!(
                    o.additional_properties,
                    Some(AdditionalProperties::Any(false))
                )
            {
                return None;
            }
        }
        let here = format!("{at}{}", pointer(&["content", content_type]));
        let parts = if content_type.starts_with("multipart/form-data") {
            self.form_parts(media, scope, &here)
        } else {
            None
        };
        let ty = match (&media.schema, &parts) {
            // An inline form object is set part by part: no type for it.
            (Some(ReferenceOr::Item(_)), Some(_)) => TypeRef::Json,
            (Some(s), _) => {
                self.ref_or_schema(s, &format!("{scope}Request"), &format!("{here}/schema"))
            }
            (None, _) => TypeRef::String,
        };
        let content_type = if content_type.contains('*') {
            self.diags.warn(
                self.file,
                Place::Pointer(here),
                format!(
                    "request media type '{content_type}' is a wildcard; sending application/json"
                ),
            );
            "application/json".to_string()
        } else {
            content_type.to_string()
        };
        Some(Body {
            content_type,
            ty,
            required: rb.required,
            doc: rb.description.clone(),
            parts: parts.unwrap_or_default(),
        })
    }

    /// The parts of a `multipart/form-data` body whose schema is an object with properties
    /// (inline or a component): files for `format: binary`, text for scalars, JSON otherwise
    /// or when `encoding` gives a JSON media type; arrays are one part per item.
    fn form_parts(
        &mut self,
        media: &openapiv3::MediaType,
        scope: &str,
        here: &str,
    ) -> Option<Vec<FormPart>> {
        let spec = self.spec;
        let (schema, at) = match media.schema.as_ref()? {
            ReferenceOr::Item(s) => (s, format!("{here}/schema")),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(COMPONENT_PREFIX)?;
                match spec.components.as_ref()?.schemas.get(name)? {
                    ReferenceOr::Item(s) => (s, pointer(&["components", "schemas", name])),
                    ReferenceOr::Reference { .. } => return None,
                }
            }
        };
        let (props, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                (&o.properties, &o.required)
            }
            SchemaKind::Any(a) if !a.properties.is_empty() => (&a.properties, &a.required),
            _ => return None,
        };
        let mut parts = Vec::new();
        for (key, prop) in props {
            let prop_at = format!("{at}{}", pointer(&["properties", key]));
            let context = format!("{scope}{}", crate::emit::ident::pascal(key));
            let content_type = media.encoding.get(key).and_then(|e| e.content_type.clone());
            let json_encoded = content_type.as_deref().is_some_and(|c| c.contains("json"));
            let (item, repeated, doc) = match prop {
                ReferenceOr::Item(s) => match &s.schema_kind {
                    SchemaKind::Type(Type::Array(a)) if !json_encoded => match &a.items {
                        Some(items) => (
                            items.clone().unbox(),
                            true,
                            s.schema_data.description.clone(),
                        ),
                        None => (
                            ReferenceOr::Item((**s).clone()),
                            false,
                            s.schema_data.description.clone(),
                        ),
                    },
                    _ => (
                        ReferenceOr::Item((**s).clone()),
                        false,
                        s.schema_data.description.clone(),
                    ),
                },
                ReferenceOr::Reference { reference } => (
                    ReferenceOr::Reference {
                        reference: reference.clone(),
                    },
                    false,
                    None,
                ),
            };
            let item_at = if repeated {
                format!("{prop_at}/items")
            } else {
                prop_at
            };
            let binary = matches!(&item, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::String(st)), .. })
                if st.format == VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary));
            let kind = if binary && !json_encoded {
                PartKind::File
            } else {
                let ty = self.ref_or_schema(&item, &context, &item_at);
                let scalar = match &ty {
                    TypeRef::String
                    | TypeRef::Integer
                    | TypeRef::Int32
                    | TypeRef::Double
                    | TypeRef::Number
                    | TypeRef::Boolean
                    | TypeRef::Id => true,
                    TypeRef::Named(id) => matches!(self.api.ty(*id).kind, TypeKind::Enum { .. }),
                    _ => false,
                };
                if scalar && !json_encoded {
                    PartKind::Text(ty)
                } else {
                    PartKind::Json(ty)
                }
            };
            parts.push(FormPart {
                name: Name::wire(key.clone()),
                kind,
                repeated,
                required: required.contains(key),
                content_type,
                doc,
            });
        }
        Some(parts)
    }

    /// Every response with a code or `default` (ranges such as `4XX` are left to the status
    /// error); success responses reuse the success type already lowered.
    fn status_responses(
        &mut self,
        op: &Operation,
        scope: &str,
        at: &str,
        success: Option<&TypeRef>,
    ) -> Vec<crate::model::StatusResponse> {
        let mut out = Vec::new();
        let mut entries: Vec<(Option<u16>, &ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) => Some((Some(*c), r)),
                StatusCode::Range(_) => None,
            })
            .collect();
        if let Some(d) = &op.responses.default {
            entries.push((None, d));
        }
        for (status, resp) in entries {
            let ReferenceOr::Item(resp) = resp else {
                continue;
            };
            let is_success = status.is_some_and(|c| (200..300).contains(&c));
            let json = resp
                .content
                .iter()
                .find(|(ct, _)| ct.contains("json") || ct.as_str() == "*/*");
            let ty = match json.and_then(|(ct, m)| m.schema.as_ref().map(|s| (ct, s))) {
                Some(_) if is_success => success.cloned(),
                Some((ct, schema)) => {
                    let code = status.map_or("default".to_string(), |c| c.to_string());
                    let here = format!(
                        "{at}{}",
                        pointer(&["responses", &code, "content", ct, "schema"])
                    );
                    let name = format!("{scope}{}Error", crate::emit::ident::pascal(&code));
                    Some(self.ref_or_schema(schema, &name, &here))
                }
                None if is_success && !resp.content.is_empty() => success.cloned(),
                None => None,
            };
            out.push(crate::model::StatusResponse { status, ty });
        }
        out
    }

    fn success_type(
        &mut self,
        op: &Operation,
        scope: &str,
        at: &str,
    ) -> (Option<TypeRef>, Option<String>) {
        let mut chosen: Option<TypeRef> = None;
        let mut success_media: Option<String> = None;
        for (code, resp) in &op.responses.responses {
            let StatusCode::Code(code) = code else {
                continue;
            };
            if !(200..300).contains(code) {
                continue;
            }
            let ReferenceOr::Item(resp) = resp else {
                continue;
            };
            let Some((ct, media)) = pick_media(&resp.content) else {
                continue;
            };
            let here = format!(
                "{at}{}",
                pointer(&["responses", &code.to_string(), "content", ct, "schema"])
            );
            let Some(schema) = &media.schema else {
                continue;
            };
            let mut ty = self.ref_or_schema(schema, &format!("{scope}Response"), &here);
            let is_json = ct.contains("json") || ct == "*/*";
            if !is_json && chosen.is_none() {
                // Text and bytes are read as such, whatever the schema says.
                let binary = ct.starts_with("application/octet-stream")
                    || ct.starts_with("image/")
                    || ct.starts_with("audio/")
                    || ct.starts_with("video/")
                    || ct == "application/pdf"
                    || ct == "application/zip";
                ty = if binary {
                    TypeRef::External("::std::vec::Vec<u8>".into())
                } else {
                    TypeRef::String
                };
                success_media = Some(ct.to_string());
            }
            match &chosen {
                None => chosen = Some(ty),
                Some(existing) if *existing == ty => {}
                Some(_) => self.diags.warn(self.file, Place::Pointer(here), format!("success response {code} has a different type than an earlier one; the first is used")),
            }
        }
        (chosen, success_media)
    }
}

fn pick_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    content
        .iter()
        .find(|(ct, _)| ct.starts_with("application/json") || ct.ends_with("+json"))
        .or_else(|| content.iter().next())
        .map(|(ct, m)| (ct.as_str(), m))
}

/// The request media type sent by default: JSON (and `+json`), then form, then multipart,
/// then text (in declared order), then anything else (bytes).
fn pick_request_media(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    let rank = |ct: &str| {
        if ct.starts_with("application/json") || ct.ends_with("+json") {
            0
        } else if ct.starts_with("application/x-www-form-urlencoded") {
            1
        } else if ct.starts_with("multipart/form-data") {
            2
        } else if ct.starts_with("text/") {
            3
        } else {
            4
        }
    };
    content
        .iter()
        .enumerate()
        .min_by_key(|(i, (ct, _))| (rank(ct), *i))
        .map(|(_, (ct, m))| (ct.as_str(), m))
}

/// The `{name}` placeholders of a path template, in order.
/// The request body a `requestBody` stands for: itself, or the `#/components/requestBodies`
/// entry its `$ref` names (following chains; normalisation inlines most of them already, this
/// covers `$ref`s added later, e.g. by an overlay).
fn resolve_request_body<'s>(
    spec: &'s OpenAPI,
    rb: &'s ReferenceOr<openapiv3::RequestBody>,
) -> Result<&'s openapiv3::RequestBody, String> {
    let mut current = rb;
    for _ in 0..32 {
        match current {
            ReferenceOr::Item(rb) => return Ok(rb),
            ReferenceOr::Reference { reference } => {
                current = reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|name| spec.components.as_ref()?.request_bodies.get(name))
                    .ok_or_else(|| format!("requestBody $ref '{reference}' does not name a request body in #/components/requestBodies"))?;
            }
        }
    }
    Err("requestBody $refs form a cycle".to_string())
}

/// The item type an array schema without `items` gets from its example: a non-empty list of
/// only strings, only integers or only booleans names that type; anything else stays JSON.
fn example_item_type(example: Option<&Value>) -> TypeRef {
    let Some(Value::Array(items)) = example else {
        return TypeRef::Json;
    };
    if items.is_empty() {
        TypeRef::Json
    } else if items.iter().all(Value::is_string) {
        TypeRef::String
    } else if items.iter().all(|v| v.is_i64() || v.is_u64()) {
        TypeRef::Integer
    } else if items.iter().all(Value::is_boolean) {
        TypeRef::Boolean
    } else {
        TypeRef::Json
    }
}

fn template_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    names
}

fn method_of(name: &str) -> Option<Method> {
    Some(match name {
        "get" => Method::Get,
        "post" => Method::Post,
        "put" => Method::Put,
        "delete" => Method::Delete,
        "patch" => Method::Patch,
        "head" => Method::Head,
        "options" => Method::Options,
        _ => return None,
    })
}

/// A union variant's name from what it holds: `Text`, `Integer`, `StringList`, `RangeList`,
/// the referenced type's name, … (`Variant{n}` only when nothing better is known).
fn variant_name(api: &Api, t: &TypeRef, i: usize) -> String {
    fn item(api: &Api, t: &TypeRef) -> Option<String> {
        Some(match t {
            TypeRef::String => "String".into(),
            TypeRef::Integer | TypeRef::Int32 => "Integer".into(),
            TypeRef::Double | TypeRef::Number => "Number".into(),
            TypeRef::Boolean => "Boolean".into(),
            TypeRef::Named(id) => api.ty(*id).name.wire.clone(),
            TypeRef::Array(inner) => format!("{}List", item(api, inner)?),
            TypeRef::Map(inner) => format!("{}Map", item(api, inner)?),
            _ => return None,
        })
    }
    match t {
        TypeRef::String => "Text".into(),
        TypeRef::Integer | TypeRef::Int32 => "Integer".into(),
        TypeRef::Double | TypeRef::Number => "Number".into(),
        TypeRef::Boolean => "Boolean".into(),
        TypeRef::Array(inner) => item(api, inner)
            .map(|n| format!("{n}List"))
            .unwrap_or_else(|| "List".into()),
        TypeRef::Map(_) => "Map".into(),
        TypeRef::Named(id) => api.ty(*id).name.wire.clone(),
        _ => format!("Variant{}", i + 1),
    }
}

fn join_doc(summary: Option<&str>, description: Option<&str>) -> Option<String> {
    match (
        summary.map(str::trim).filter(|s| !s.is_empty()),
        description.map(str::trim).filter(|s| !s.is_empty()),
    ) {
        (Some(s), Some(d)) => Some(format!("{s}\n\n{d}")),
        (Some(s), None) => Some(s.to_string()),
        (None, Some(d)) => Some(d.to_string()),
        (None, None) => None,
    }
}
