//! Model-level diff: the neutral models of two document sets, compared as a client user sees
//! them. Each change names the rule that classified it.

use std::collections::{BTreeMap, BTreeSet};

use codegen::model::{
    Api, Body, Param, ParamLocation, RestOperation, SoapOperation, TypeKind, TypeRef, XmlElement,
};

use super::{Change, Level};

/// Maps an item's `origin` (file#pointer or file:line:col) to the manifest document it came from.
pub struct Origins {
    /// (absolute file path as origins spell it, document name)
    pub files: Vec<(String, String)>,
}

impl Origins {
    fn doc(&self, origin: &str) -> String {
        self.files
            .iter()
            .filter(|(f, _)| origin.starts_with(f.as_str()))
            .max_by_key(|(f, _)| f.len())
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| {
                let file = origin.split(['#']).next().unwrap_or(origin);
                std::path::Path::new(file)
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default()
            })
    }
}

/// One side of the comparison.
pub struct SideModel<'a> {
    /// The model.
    pub api: &'a Api,
    /// Where its items came from.
    pub origins: &'a Origins,
}

struct Diff<'a> {
    old: SideModel<'a>,
    new: SideModel<'a>,
    requests: BTreeSet<String>,
    responses: BTreeSet<String>,
    out: Vec<Change>,
    /// Added (or removed) operations: their change's index and the types they reach, so a
    /// type that arrives (or goes) with its operation is told in that change, not on its own.
    with_added: Vec<(usize, BTreeSet<String>)>,
    with_removed: Vec<(usize, BTreeSet<String>)>,
}

/// Compares two models.
pub fn diff(old: SideModel<'_>, new: SideModel<'_>) -> Vec<Change> {
    let mut requests = BTreeSet::new();
    let mut responses = BTreeSet::new();
    for api in [old.api, new.api] {
        for op in &api.rest {
            for p in &op.params {
                reach(api, &p.ty, &mut requests);
            }
            if let Some(b) = &op.body {
                reach(api, &b.ty, &mut requests);
            }
            if let Some(t) = &op.success {
                reach(api, t, &mut responses);
            }
        }
        for s in &api.soap {
            for op in &s.operations {
                if let Some(e) = &op.input {
                    reach(api, &e.ty, &mut requests);
                }
                if let Some(e) = &op.output {
                    reach(api, &e.ty, &mut responses);
                }
            }
        }
    }
    let mut d = Diff {
        old,
        new,
        requests,
        responses,
        out: Vec::new(),
        with_added: Vec::new(),
        with_removed: Vec::new(),
    };
    d.api_level();
    d.rest();
    d.soap();
    d.types();
    d.out
}

fn type_name(api: &Api, id: codegen::model::TypeId) -> String {
    let n = &api.ty(id).name;
    if n.rust.is_empty() {
        n.wire.clone()
    } else {
        n.rust.clone()
    }
}

fn reach(api: &Api, t: &TypeRef, set: &mut BTreeSet<String>) {
    match t {
        TypeRef::Named(id) if set.insert(type_name(api, *id)) => match &api.ty(*id).kind {
            TypeKind::Struct { fields, .. } => fields.iter().for_each(|f| reach(api, &f.ty, set)),
            TypeKind::XmlStruct { fields, .. } => {
                fields.iter().for_each(|f| reach(api, &f.ty, set))
            }
            TypeKind::Union { variants } => variants.iter().for_each(|(_, t)| reach(api, t, set)),
            TypeKind::XmlChoice { variants, .. } => {
                variants.iter().for_each(|v| reach(api, &v.ty, set))
            }
            TypeKind::Enum { .. } => {}
        },
        TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::OneOrMany(t) => reach(api, t, set),
        _ => {}
    }
}

fn rest_reach(api: &Api, op: &RestOperation) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    op.params.iter().for_each(|p| reach(api, &p.ty, &mut set));
    op.body.iter().for_each(|b| reach(api, &b.ty, &mut set));
    op.success.iter().for_each(|t| reach(api, t, &mut set));
    set
}

fn soap_reach(api: &Api, op: &SoapOperation) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for e in op.input.iter().chain(&op.output) {
        reach(api, &e.ty, &mut set);
        // An element read as raw XML still has its type generated: it goes with the operation.
        for (i, t) in api.types.iter().enumerate() {
            if t.name.wire == e.name && matches!(t.kind, TypeKind::XmlStruct { .. }) {
                reach(api, &TypeRef::Named(codegen::model::TypeId(i)), &mut set);
            }
        }
    }
    set
}

/// A type reference as the report spells it.
pub fn ty(api: &Api, t: &TypeRef) -> String {
    match t {
        TypeRef::String => "string".into(),
        TypeRef::Integer => "integer".into(),
        TypeRef::Int32 => "int32".into(),
        TypeRef::Double => "double".into(),
        TypeRef::Number => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Id => "id (string or number)".into(),
        TypeRef::Named(id) => type_name(api, *id),
        TypeRef::Array(t) => format!("[{}]", ty(api, t)),
        TypeRef::Map(t) => format!("map<string, {}>", ty(api, t)),
        TypeRef::OneOrMany(t) => format!("one-or-many<{}>", ty(api, t)),
        TypeRef::External(s) => s.clone(),
        TypeRef::RawXml => "raw XML".into(),
        TypeRef::Json => "any JSON".into(),
    }
}

fn method(op: &RestOperation) -> String {
    format!("{:?}", op.method).to_uppercase()
}

fn op_loc(op: &RestOperation) -> String {
    format!("{} {}", method(op), op.path)
}

fn loc_name(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// A field of either kind of struct, as compared.
struct FieldView {
    ty: String,
    required: bool,
    nullable: bool,
    namespace: String,
}

impl Diff<'_> {
    fn push(
        &mut self,
        document: String,
        kind: &str,
        level: Level,
        location: String,
        detail: String,
    ) {
        self.out.push(Change {
            document,
            kind: kind.to_string(),
            location,
            breaking: level == Level::Major,
            detail,
            level,
        });
    }

    fn api_level(&mut self) {
        let (o, n) = (self.old.api, self.new.api);
        let doc = self
            .new
            .api
            .rest
            .first()
            .map(|op| self.new.origins.doc(&op.origin))
            .unwrap_or_default();
        if o.rest_base_path != n.rest_base_path && !o.rest.is_empty() && !n.rest.is_empty() {
            self.push(doc.clone(), "server-base-path-changed", Level::Major, "servers[0]".into(),
                format!("REST paths move from '{}' to '{}': clients built for the old prefix call URLs that no longer exist", o.rest_base_path, n.rest_base_path));
        }
        if o.default_server != n.default_server && !o.rest.is_empty() && !n.rest.is_empty() {
            self.push(
                doc.clone(),
                "default-server-changed",
                Level::Patch,
                "servers[0]".into(),
                format!(
                    "default server {:?} → {:?}",
                    o.default_server, n.default_server
                ),
            );
        }
        if o.api_key != n.api_key && !o.rest.is_empty() && !n.rest.is_empty() {
            self.push(
                doc,
                "api-key-changed",
                Level::Major,
                "securitySchemes".into(),
                format!(
                    "API key scheme {:?} → {:?}: the token travels differently",
                    o.api_key.as_ref().map(|k| &k.header),
                    n.api_key.as_ref().map(|k| &k.header)
                ),
            );
        }
    }

    fn rest(&mut self) {
        let (oa, na) = (self.old.api, self.new.api);
        let key = |op: &RestOperation| (method(op), op.path.clone());
        let old: BTreeMap<_, _> = oa.rest.iter().map(|op| (key(op), op)).collect();
        let new: BTreeMap<_, _> = na.rest.iter().map(|op| (key(op), op)).collect();
        let mut removed: Vec<&RestOperation> = old
            .iter()
            .filter(|(k, _)| !new.contains_key(*k))
            .map(|(_, o)| *o)
            .collect();
        let mut added: Vec<&RestOperation> = new
            .iter()
            .filter(|(k, _)| !old.contains_key(*k))
            .map(|(_, o)| *o)
            .collect();
        // Same operationId at another method or path: moved, not removed and added.
        let mut moved = Vec::new();
        removed.retain(|o| {
            if let Some(i) = added.iter().position(|n| n.name.wire == o.name.wire) {
                moved.push((*o, added.remove(i)));
                false
            } else {
                true
            }
        });
        for o in removed {
            self.with_removed.push((self.out.len(), rest_reach(oa, o)));
            self.push(
                self.old.origins.doc(&o.origin),
                "operation-removed",
                Level::Major,
                op_loc(o),
                format!("operation `{}` is gone: calls to it fail", o.name.wire),
            );
        }
        for n in added {
            self.with_added.push((self.out.len(), rest_reach(na, n)));
            self.push(
                self.new.origins.doc(&n.origin),
                "operation-added",
                Level::Minor,
                op_loc(n),
                format!("new operation `{}`", n.name.wire),
            );
        }
        for (o, n) in moved {
            self.push(
                self.new.origins.doc(&n.origin),
                "operation-path-changed",
                Level::Major,
                op_loc(n),
                format!(
                    "operation `{}` moved from {} to {}",
                    n.name.wire,
                    op_loc(o),
                    op_loc(n)
                ),
            );
            self.rest_op(o, n);
        }
        for (k, o) in &old {
            if let Some(n) = new.get(k) {
                if o.name.wire != n.name.wire {
                    self.push(
                        self.new.origins.doc(&n.origin),
                        "operation-renamed",
                        Level::Major,
                        op_loc(n),
                        format!(
                            "operationId `{}` → `{}`: the generated method is renamed",
                            o.name.wire, n.name.wire
                        ),
                    );
                }
                self.rest_op(o, n);
            }
        }
    }

    fn rest_op(&mut self, o: &RestOperation, n: &RestOperation) {
        let (oa, na) = (self.old.api, self.new.api);
        let doc = self.new.origins.doc(&n.origin);
        let at = op_loc(n);
        let pkey = |p: &Param| (loc_name(p.location), p.name.wire.clone());
        let op: BTreeMap<_, _> = o.params.iter().map(|p| (pkey(p), p)).collect();
        let np: BTreeMap<_, _> = n.params.iter().map(|p| (pkey(p), p)).collect();
        for (k, p) in &op {
            let loc = format!("{at} {} parameter `{}`", k.0, k.1);
            match np.get(k) {
                None => self.push(
                    doc.clone(),
                    "param-removed",
                    Level::Major,
                    loc,
                    "the parameter is gone: clients that send it are rejected or ignored".into(),
                ),
                Some(q) => {
                    if !p.required && q.required {
                        self.push(
                            doc.clone(),
                            "param-became-required",
                            Level::Major,
                            loc.clone(),
                            "optional → required: calls without it fail".into(),
                        );
                    } else if p.required && !q.required {
                        self.push(
                            doc.clone(),
                            "param-became-optional",
                            Level::Minor,
                            loc.clone(),
                            "required → optional".into(),
                        );
                    }
                    let (a, b) = (ty(oa, &p.ty), ty(na, &q.ty));
                    if a != b {
                        self.push(
                            doc.clone(),
                            "param-type-changed",
                            Level::Major,
                            loc,
                            format!("type {a} → {b}"),
                        );
                    }
                }
            }
        }
        for (k, q) in &np {
            if !op.contains_key(k) {
                let loc = format!("{at} {} parameter `{}`", k.0, k.1);
                if q.required {
                    self.push(
                        doc.clone(),
                        "param-added-required",
                        Level::Major,
                        loc,
                        format!(
                            "new required parameter of type {}: existing calls lack it",
                            ty(na, &q.ty)
                        ),
                    );
                } else {
                    self.push(
                        doc.clone(),
                        "param-added",
                        Level::Minor,
                        loc,
                        format!("new optional parameter of type {}", ty(na, &q.ty)),
                    );
                }
            }
        }
        self.body(&doc, &at, o.body.as_ref(), n.body.as_ref());
        let (a, b) = (
            o.success.as_ref().map(|t| ty(oa, t)),
            n.success.as_ref().map(|t| ty(na, t)),
        );
        if a != b {
            self.push(
                doc.clone(),
                "response-type-changed",
                Level::Major,
                format!("{at} response"),
                format!(
                    "success response {} → {}",
                    a.unwrap_or_else(|| "no content".into()),
                    b.unwrap_or_else(|| "no content".into())
                ),
            );
        }
        if !o.authenticated && n.authenticated {
            self.push(
                doc.clone(),
                "operation-now-authenticated",
                Level::Major,
                at.clone(),
                "the operation now needs the API key".into(),
            );
        } else if o.authenticated && !n.authenticated {
            self.push(
                doc,
                "operation-no-longer-authenticated",
                Level::Patch,
                at,
                "the operation no longer needs the API key".into(),
            );
        }
    }

    fn body(&mut self, doc: &str, at: &str, o: Option<&Body>, n: Option<&Body>) {
        let loc = format!("{at} request body");
        let (oa, na) = (self.old.api, self.new.api);
        match (o, n) {
            (None, Some(b)) if b.required => self.push(
                doc.into(),
                "request-body-added-required",
                Level::Major,
                loc,
                format!(
                    "a required {} body of type {}",
                    b.content_type,
                    ty(na, &b.ty)
                ),
            ),
            (None, Some(b)) => self.push(
                doc.into(),
                "request-body-added",
                Level::Minor,
                loc,
                format!(
                    "an optional {} body of type {}",
                    b.content_type,
                    ty(na, &b.ty)
                ),
            ),
            (Some(_), None) => self.push(
                doc.into(),
                "request-body-removed",
                Level::Major,
                loc,
                "the operation no longer takes a body".into(),
            ),
            (Some(a), Some(b)) => {
                if a.content_type != b.content_type {
                    self.push(
                        doc.into(),
                        "request-content-type-changed",
                        Level::Major,
                        loc.clone(),
                        format!("{} → {}", a.content_type, b.content_type),
                    );
                }
                let (x, y) = (ty(oa, &a.ty), ty(na, &b.ty));
                if x != y {
                    self.push(
                        doc.into(),
                        "request-body-type-changed",
                        Level::Major,
                        loc.clone(),
                        format!("{x} → {y}"),
                    );
                }
                if !a.required && b.required {
                    self.push(
                        doc.into(),
                        "request-body-became-required",
                        Level::Major,
                        loc,
                        "optional → required".into(),
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn soap(&mut self) {
        let (oa, na) = (self.old.api, self.new.api);
        let old: BTreeMap<_, _> = oa.soap.iter().map(|s| (s.name.wire.clone(), s)).collect();
        let new: BTreeMap<_, _> = na.soap.iter().map(|s| (s.name.wire.clone(), s)).collect();
        let sdoc = |origins: &Origins, s: &codegen::model::SoapService| {
            s.operations
                .first()
                .map(|o| origins.doc(&o.origin))
                .unwrap_or_else(|| s.name.wire.clone())
        };
        for (name, s) in &old {
            let Some(t) = new.get(name) else {
                self.push(
                    sdoc(self.old.origins, s),
                    "soap-service-removed",
                    Level::Major,
                    name.clone(),
                    format!(
                        "service `{name}` and its {} operations are gone",
                        s.operations.len()
                    ),
                );
                continue;
            };
            let doc = sdoc(self.new.origins, t);
            if s.namespace != t.namespace {
                self.push(
                    doc.clone(),
                    "soap-namespace-changed",
                    Level::Major,
                    name.clone(),
                    format!("target namespace {} → {}", s.namespace, t.namespace),
                );
            }
            for (label, a, b) in [
                ("SOAP 1.1", &s.address_11, &t.address_11),
                ("SOAP 1.2", &s.address_12, &t.address_12),
            ] {
                match (a, b) {
                    (Some(_), None) => self.push(doc.clone(), "soap-binding-removed", Level::Major, name.clone(), format!("the {label} binding/port is gone")),
                    (None, Some(x)) => self.push(doc.clone(), "soap-binding-added", Level::Minor, name.clone(), format!("new {label} binding/port at {x}")),
                    (Some(x), Some(y)) if x != y => self.push(doc.clone(), "soap-address-changed", Level::Major, name.clone(), format!("{label} address {x} → {y}: clients built for the old address call the wrong endpoint")),
                    _ => {}
                }
            }
            let oo: BTreeMap<_, _> = s
                .operations
                .iter()
                .map(|o| (o.name.wire.clone(), o))
                .collect();
            let no: BTreeMap<_, _> = t
                .operations
                .iter()
                .map(|o| (o.name.wire.clone(), o))
                .collect();
            for (op, o) in &oo {
                let loc = format!("{name}.{op}");
                match no.get(op) {
                    None => self.push(
                        doc.clone(),
                        "soap-operation-removed",
                        Level::Major,
                        loc,
                        format!("operation `{op}` is gone"),
                    ),
                    Some(n) => self.soap_op(&doc, &loc, o, n),
                }
            }
            for (op, n) in &no {
                if !oo.contains_key(op) {
                    let input = n.input.as_ref().map(|e| e.name.clone()).unwrap_or_default();
                    self.with_added.push((self.out.len(), soap_reach(na, n)));
                    self.push(
                        self.new.origins.doc(&n.origin),
                        "soap-operation-added",
                        Level::Minor,
                        format!("{name}.{op}"),
                        format!(
                            "new operation `{op}` (input element `{input}`, action `{}`)",
                            n.action
                        ),
                    );
                }
            }
        }
        for (name, t) in &new {
            if !old.contains_key(name) {
                self.push(
                    sdoc(self.new.origins, t),
                    "soap-service-added",
                    Level::Minor,
                    name.clone(),
                    format!(
                        "new service `{name}` with {} operations",
                        t.operations.len()
                    ),
                );
            }
        }
    }

    fn soap_op(&mut self, doc: &str, loc: &str, o: &SoapOperation, n: &SoapOperation) {
        if o.action != n.action {
            self.push(
                doc.into(),
                "soap-action-changed",
                Level::Major,
                loc.into(),
                format!("SOAPAction '{}' → '{}'", o.action, n.action),
            );
        }
        for (what, a, b) in [
            ("input", &o.input, &n.input),
            ("output", &o.output, &n.output),
        ] {
            let el = |e: &Option<XmlElement>| {
                e.as_ref().map(|e| format!("{{{}}}{}", e.namespace, e.name))
            };
            let (x, y) = (el(a), el(b));
            if x != y {
                self.push(
                    doc.into(),
                    &format!("soap-{what}-element-changed"),
                    Level::Major,
                    loc.into(),
                    format!(
                        "{what} element {} → {}",
                        x.unwrap_or_else(|| "none".into()),
                        y.unwrap_or_else(|| "none".into())
                    ),
                );
            } else if let (Some(a), Some(b)) = (a, b) {
                let (x, y) = (ty(self.old.api, &a.ty), ty(self.new.api, &b.ty));
                if x != y {
                    self.push(
                        doc.into(),
                        &format!("soap-{what}-type-changed"),
                        Level::Major,
                        loc.into(),
                        format!("{what} element type {x} → {y}"),
                    );
                }
            }
        }
    }

    fn types(&mut self) {
        let (oa, na) = (self.old.api, self.new.api);
        let old: BTreeMap<String, &codegen::model::TypeDef> = (0..oa.types.len())
            .map(|i| (type_name(oa, codegen::model::TypeId(i)), &oa.types[i]))
            .collect();
        let new: BTreeMap<String, &codegen::model::TypeDef> = (0..na.types.len())
            .map(|i| (type_name(na, codegen::model::TypeId(i)), &na.types[i]))
            .collect();
        for (name, t) in &old {
            let Some(u) = new.get(name) else {
                if let Some(i) = self
                    .with_removed
                    .iter()
                    .find(|(_, set)| set.contains(name))
                    .map(|(i, _)| *i)
                {
                    self.out[i]
                        .detail
                        .push_str(&format!("; type `{name}` goes with it"));
                    continue;
                }
                self.push(
                    self.old.origins.doc(&t.origin),
                    "type-removed",
                    Level::Major,
                    format!("type `{name}`"),
                    "the type is gone".into(),
                );
                continue;
            };
            self.type_pair(name, t, u);
        }
        for (name, u) in &new {
            if !old.contains_key(name) {
                if let Some(i) = self
                    .with_added
                    .iter()
                    .find(|(_, set)| set.contains(name))
                    .map(|(i, _)| *i)
                {
                    self.out[i].detail.push_str(&format!("; new type `{name}`"));
                    continue;
                }
                let what = match &u.kind {
                    TypeKind::Struct { fields, .. } => {
                        format!("object with {} fields", fields.len())
                    }
                    TypeKind::XmlStruct { fields, .. } => {
                        format!("XML type with {} children/attributes", fields.len())
                    }
                    TypeKind::Enum { values } => format!("enumeration of {} values", values.len()),
                    TypeKind::Union { variants } => format!("union of {} variants", variants.len()),
                    TypeKind::XmlChoice { variants, .. } => {
                        format!("XML choice of {} alternatives", variants.len())
                    }
                };
                self.push(
                    self.new.origins.doc(&u.origin),
                    "type-added",
                    Level::Minor,
                    format!("type `{name}`"),
                    format!("new {what}"),
                );
            }
        }
    }

    fn type_pair(&mut self, name: &str, t: &codegen::model::TypeDef, u: &codegen::model::TypeDef) {
        let (oa, na) = (self.old.api, self.new.api);
        let doc = self.new.origins.doc(&u.origin);
        let in_req = self.requests.contains(name);
        let in_resp = self.responses.contains(name);
        let fields = |api: &Api, k: &TypeKind| -> Option<BTreeMap<String, FieldView>> {
            match k {
                TypeKind::Struct { fields, .. } => Some(
                    fields
                        .iter()
                        .map(|f| {
                            (
                                f.name.wire.clone(),
                                FieldView {
                                    ty: ty(api, &f.ty),
                                    required: f.required,
                                    nullable: f.nullable,
                                    namespace: String::new(),
                                },
                            )
                        })
                        .collect(),
                ),
                TypeKind::XmlStruct { fields, .. } => Some(
                    fields
                        .iter()
                        .map(|f| {
                            let t = ty(api, &f.ty);
                            (
                                if f.attribute {
                                    format!("@{}", f.name.wire)
                                } else {
                                    f.name.wire.clone()
                                },
                                FieldView {
                                    ty: if f.repeated { format!("[{t}]") } else { t },
                                    required: !f.optional,
                                    nullable: false,
                                    namespace: f.namespace.clone(),
                                },
                            )
                        })
                        .collect(),
                ),
                _ => None,
            }
        };
        match (&t.kind, &u.kind, fields(oa, &t.kind), fields(na, &u.kind)) {
            (_, _, Some(a), Some(b)) => {
                for (f, x) in &a {
                    let loc = format!("type `{name}` field `{f}`");
                    let Some(y) = b.get(f) else {
                        self.push(
                            doc.clone(),
                            "field-removed",
                            Level::Major,
                            loc,
                            format!(
                                "field `{f}` ({}) is gone: code reading or setting it breaks",
                                x.ty
                            ),
                        );
                        continue;
                    };
                    if x.ty != y.ty {
                        self.push(
                            doc.clone(),
                            "field-type-changed",
                            Level::Major,
                            loc.clone(),
                            format!("type {} → {}", x.ty, y.ty),
                        );
                    }
                    if x.namespace != y.namespace {
                        self.push(
                            doc.clone(),
                            "element-namespace-changed",
                            Level::Major,
                            loc.clone(),
                            format!("namespace '{}' → '{}'", x.namespace, y.namespace),
                        );
                    }
                    if !x.required && y.required {
                        if in_req {
                            self.push(
                                doc.clone(),
                                "request-field-became-required",
                                Level::Major,
                                loc.clone(),
                                "optional → required in a type clients send".into(),
                            );
                        } else {
                            self.push(
                                doc.clone(),
                                "response-field-became-required",
                                Level::Minor,
                                loc.clone(),
                                "optional → required (always present in responses now)".into(),
                            );
                        }
                    } else if x.required && !y.required {
                        if in_resp {
                            self.push(doc.clone(), "response-field-became-optional", Level::Major, loc.clone(), "required → optional in a type clients receive: it may now be missing".into());
                        } else {
                            self.push(
                                doc.clone(),
                                "request-field-became-optional",
                                Level::Minor,
                                loc.clone(),
                                "required → optional".into(),
                            );
                        }
                    }
                    if !x.nullable && y.nullable {
                        let level = if in_resp { Level::Major } else { Level::Minor };
                        self.push(
                            doc.clone(),
                            "field-became-nullable",
                            level,
                            loc,
                            "may now be null".into(),
                        );
                    }
                }
                for (f, y) in &b {
                    if !a.contains_key(f) {
                        let loc = format!("type `{name}` field `{f}`");
                        if y.required && in_req {
                            self.push(
                                doc.clone(),
                                "request-field-added-required",
                                Level::Major,
                                loc,
                                format!("new required field ({}) in a type clients send", y.ty),
                            );
                        } else {
                            self.push(
                                doc.clone(),
                                "field-added",
                                Level::Minor,
                                loc,
                                format!(
                                    "new {} field ({})",
                                    if y.required { "required" } else { "optional" },
                                    y.ty
                                ),
                            );
                        }
                    }
                }
            }
            (TypeKind::Enum { values: a }, TypeKind::Enum { values: b }, _, _) => {
                let a: BTreeSet<_> = a.iter().map(|v| v.wire.clone()).collect();
                let b: BTreeSet<_> = b.iter().map(|v| v.wire.clone()).collect();
                for v in a.difference(&b) {
                    let level = if in_req { Level::Major } else { Level::Patch };
                    self.push(
                        doc.clone(),
                        "enum-value-removed",
                        level,
                        format!("type `{name}` value `{v}`"),
                        "the value is no longer allowed".into(),
                    );
                }
                for v in b.difference(&a) {
                    self.push(
                        doc.clone(),
                        "enum-value-added",
                        Level::Minor,
                        format!("type `{name}` value `{v}`"),
                        "new value (unknown values still decode into the fallback)".into(),
                    );
                }
            }
            (TypeKind::Union { variants: a }, TypeKind::Union { variants: b }, _, _) => {
                let a: BTreeSet<_> = a.iter().map(|(_, t)| ty(oa, t)).collect();
                let b: BTreeSet<_> = b.iter().map(|(_, t)| ty(na, t)).collect();
                for v in a.difference(&b) {
                    self.push(
                        doc.clone(),
                        "union-variant-removed",
                        Level::Major,
                        format!("type `{name}` variant {v}"),
                        "the variant is gone".into(),
                    );
                }
                for v in b.difference(&a) {
                    self.push(
                        doc.clone(),
                        "union-variant-added",
                        Level::Minor,
                        format!("type `{name}` variant {v}"),
                        "new variant".into(),
                    );
                }
            }
            _ => self.push(
                doc,
                "type-kind-changed",
                Level::Major,
                format!("type `{name}`"),
                "the type changed shape (object, XML type, enumeration or union)".into(),
            ),
        }
    }
}
