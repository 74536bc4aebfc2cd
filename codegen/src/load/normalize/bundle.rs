//! Bundles external `$ref`s (other files, relative to the referring file, and URLs through the
//! catalog) into one document: schemas join the document's schemas, anything else is inlined.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::walk;
use crate::diagnostics::{pointer, Diagnostics, Place};

/// Keys under which a `$ref` names a schema.
pub(super) const SCHEMA_KEYS: &[&str] = &[
    "schema",
    "schemas",
    "definitions",
    "items",
    "properties",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
];

/// Rounds of resolution before giving up (a document that keeps importing is a cycle).
const MAX_ROUNDS: usize = 16;

struct Bundler<'a> {
    main: &'a Path,
    catalog: &'a crate::load::catalog::Catalog,
    loaded: BTreeMap<PathBuf, Option<Value>>,
    /// (file, fragment) → schema name already added.
    named: BTreeMap<(PathBuf, String), String>,
    new_schemas: Vec<(String, Value)>,
    taken: Vec<String>,
}

/// Replaces every external `$ref` in `doc`; errors name the referring place and the file.
pub fn bundle(
    doc: &mut Value,
    file: &Path,
    catalog: &crate::load::catalog::Catalog,
    diags: &mut Diagnostics,
) {
    let container = if doc.get("swagger").is_some() {
        vec!["definitions"]
    } else {
        vec!["components", "schemas"]
    };
    let taken: Vec<String> = doc
        .pointer(&pointer(&container))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut b = Bundler {
        main: file,
        catalog,
        loaded: BTreeMap::new(),
        named: BTreeMap::new(),
        new_schemas: Vec::new(),
        taken,
    };
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        walk::objects_mut(doc, &mut Vec::new(), &mut |map, path| {
            let Some(Value::String(r)) = map.get("$ref").cloned() else {
                return;
            };
            if r.starts_with('#') {
                return;
            }
            changed = true;
            let tokens: Vec<&str> = path.iter().map(String::as_str).collect();
            let place = Place::Pointer(pointer(&tokens));
            let in_schema = path.iter().any(|t| SCHEMA_KEYS.contains(&t.as_str()));
            match b.resolve(&r, in_schema, &container) {
                Ok(Resolved::Ref(local)) => {
                    map.insert("$ref".into(), Value::String(local));
                }
                Ok(Resolved::Inline(Value::Object(target))) => {
                    map.remove("$ref");
                    for (k, v) in target {
                        map.entry(k).or_insert(v);
                    }
                }
                Ok(Resolved::Inline(_)) => {
                    map.remove("$ref");
                }
                Err((msg, help)) => {
                    map.remove("$ref");
                    let ptr = pointer(&tokens);
                    let msg = match super::line_of(file, &ptr) {
                        Some(line) => format!("{msg} (line {line})"),
                        None => msg,
                    };
                    diags.error(file, place, msg, help);
                }
            }
        });
        let new = std::mem::take(&mut b.new_schemas);
        if !new.is_empty() {
            let mut at = &mut *doc;
            for key in &container {
                at = at
                    .as_object_mut()
                    .map(|m| {
                        m.entry(key.to_string())
                            .or_insert_with(|| Value::Object(Default::default()))
                    })
                    .expect("container is an object");
            }
            if let Some(schemas) = at.as_object_mut() {
                for (name, schema) in new {
                    schemas.insert(name, schema);
                }
            }
        }
        if !changed {
            return;
        }
    }
    diags.error(
        file,
        Place::File,
        "external $refs keep importing new files; stopped after 16 rounds",
        "look for an import cycle between the referenced files",
    );
}

enum Resolved {
    Ref(String),
    Inline(Value),
}

impl Bundler<'_> {
    fn resolve(
        &mut self,
        reference: &str,
        in_schema: bool,
        container: &[&str],
    ) -> Result<Resolved, (String, String)> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let path = self.locate(file_part)?;
        let target = self.fragment(&path, fragment, reference)?;
        let target = absolutize(target, &path);
        if in_schema {
            let key = (path.clone(), fragment.to_string());
            let name = match self.named.get(&key) {
                Some(n) => n.clone(),
                None => {
                    let base = fragment
                        .rsplit('/')
                        .find(|s| !s.is_empty())
                        .map(str::to_string)
                        .unwrap_or_else(|| {
                            path.file_stem()
                                .map(|s| s.to_string_lossy().to_string())
                                .unwrap_or_else(|| "Imported".into())
                        });
                    let mut name = base.clone();
                    let mut n = 2;
                    while self.taken.contains(&name) {
                        name = format!("{base}{n}");
                        n += 1;
                    }
                    self.taken.push(name.clone());
                    self.named.insert(key, name.clone());
                    self.new_schemas.push((name.clone(), target));
                    name
                }
            };
            Ok(Resolved::Ref(format!(
                "#{}",
                pointer(&[container, &[name.as_str()]].concat())
            )))
        } else {
            Ok(Resolved::Inline(target))
        }
    }

    /// The local file for the file part of a reference.
    fn locate(&self, file_part: &str) -> Result<PathBuf, (String, String)> {
        if file_part.starts_with("http://") || file_part.starts_with("https://") {
            return match self.catalog.url(file_part) {
                Some(Ok(path)) => Ok(path),
                Some(Err(e)) => Err((format!("$ref to the URL '{file_part}' could not be downloaded: {e}"), "check the URL and the network, or vendor the document and map the URL to it with --catalog".to_string())),
                None => Err((format!("$ref to the URL '{file_part}' has no local copy"), format!("vendor the document and map the URL to it: `--catalog {file_part}=path/to/copy` on the command line, Config::catalog_entry, or [catalog] in codegen.toml; or let `codegen generate` download it with --allow-network (never in a build script)"))),
            };
        }
        let p = Path::new(file_part);
        let joined = if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.main.parent().unwrap_or(Path::new(".")).join(p)
        };
        Ok(std::fs::canonicalize(&joined).unwrap_or(joined))
    }

    fn fragment(
        &mut self,
        path: &Path,
        fragment: &str,
        reference: &str,
    ) -> Result<Value, (String, String)> {
        if !self.loaded.contains_key(path) {
            let mut diags = Diagnostics::new();
            let v = crate::load::document::read(path, &mut diags);
            self.loaded.insert(path.to_path_buf(), v);
        }
        let doc = self
            .loaded
            .get(path)
            .and_then(Option::as_ref)
            .ok_or_else(|| {
                (
                    format!("$ref '{reference}': cannot read {}", path.display()),
                    "check the referenced file exists next to the referring document".to_string(),
                )
            })?;
        doc.pointer(fragment).cloned().ok_or_else(|| {
            (
                format!("$ref '{reference}': no '{fragment}' in {}", path.display()),
                "fix the fragment of the reference".to_string(),
            )
        })
    }
}

/// Rewrites the references inside content taken from `file` so they stay valid in the main
/// document: `#/x` becomes `<file>#/x`, relative files become absolute.
fn absolutize(mut v: Value, file: &Path) -> Value {
    let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    walk::objects_mut(&mut v, &mut Vec::new(), &mut |map, _| {
        if let Some(Value::String(r)) = map.get_mut("$ref") {
            if r.starts_with('#') {
                *r = format!("{}{r}", file.display());
            } else if !r.starts_with("http://")
                && !r.starts_with("https://")
                && !Path::new(r.split('#').next().unwrap_or("")).is_absolute()
            {
                *r = format!("{}", dir.join(&*r).display());
            }
        }
    });
    v
}
