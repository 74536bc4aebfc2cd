//! `cargo xtask fetch`: downloads every manifest document and everything it imports (WSDL
//! `wsdl:import`, XSD `xsd:import`/`xsd:include`/`xsd:redefine` schema locations, OpenAPI
//! external `$ref`s), checks each file parses, and only when the whole set is in hand replaces
//! the pins atomically, recording hashes, dates and the import catalog (URL → local file).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use reqwest::Url;

use crate::manifest::{sha256_hex, Document, Manifest};
use crate::Common;

/// Largest file accepted.
const MAX_BYTES: u64 = 32 * 1024 * 1024;

/// Most imported files one document may pull in (a guard against import loops on generated URLs).
const MAX_IMPORTS: usize = 200;

const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// What a fetch did, for callers that report on it (drift).
#[derive(Debug, Default, Clone)]
pub struct FetchReport {
    /// Documents whose reconstructed pin was replaced by the served document.
    pub replaced_reconstructions: Vec<String>,
    /// Documents whose bytes (or imports) changed.
    pub updated: Vec<String>,
    /// Warnings printed (reconstructed documents kept).
    pub warnings: Vec<String>,
}

/// Runs the subcommand.
pub fn run(common: &Common) -> Result<ExitCode, String> {
    let mut args = common.args.clone();
    let overrides = crate::take_values(&mut args, "--url");
    crate::no_more(&args)?;
    fetch_root(&common.root, &overrides, false)?;
    Ok(ExitCode::SUCCESS)
}

/// One downloaded file: where it came from, what it is, its bytes.
#[derive(Debug, Clone)]
struct File {
    url: String,
    bytes: Vec<u8>,
    /// `xml-schema`, `wsdl`, `json` or `yaml`: chooses the stored file's extension.
    kind: &'static str,
}

/// A document with its whole import closure, downloaded and parsed.
#[derive(Debug)]
struct Fetched {
    name: String,
    url: String,
    main: Vec<u8>,
    imports: Vec<File>,
}

/// Fetches every document of `root`'s manifest (URL overrides from `overrides` and
/// `XTASK_URL_<NAME>`), then replaces the pins. With `quiet`, prints nothing on success.
pub fn fetch_root(root: &Path, overrides: &[String], quiet: bool) -> Result<FetchReport, String> {
    let specs = root.join("specs");
    let mut manifest = Manifest::read(&specs)?;
    let client = http_client()?;
    let mut report = FetchReport::default();
    let mut fetched = Vec::new();
    for doc in &manifest.document {
        let url = url_for(doc, overrides);
        match fetch_document(&client, doc, &url) {
            Ok(f) => fetched.push(f),
            Err(e) if doc.reconstructed => {
                let msg = format!(
                    "warning: {} ({url}): {e}; keeping the reconstructed pin",
                    doc.name
                );
                eprintln!("{msg}");
                report.warnings.push(msg);
            }
            Err(e) => return Err(format!("{} ({url}): {e}; no pin was changed", doc.name)),
        }
    }
    // Everything is downloaded and parsed: now write, each file atomically.
    let today = today();
    for f in fetched {
        let Some(doc) = manifest.document.iter_mut().find(|d| d.name == f.name) else {
            continue;
        };
        let catalog = plan_catalog(doc, &f.imports);
        let mut changed = write_if_changed(&doc.local(&specs), &f.main)?;
        for file in &f.imports {
            changed |= write_if_changed(&specs.join(&catalog[&file.url]), &file.bytes)?;
        }
        // Files imported last time but no longer: remove (only catalog files, never a pin).
        let kept: BTreeSet<&String> = catalog.values().collect();
        for old in doc.catalog.values() {
            if !kept.contains(old) && old != &doc.path {
                let _ = std::fs::remove_file(specs.join(old));
                changed = true;
            }
        }
        changed |= catalog != doc.catalog;
        doc.catalog = catalog;
        if changed {
            if doc.reconstructed {
                report.replaced_reconstructions.push(doc.name.clone());
                if !quiet {
                    println!(
                        "fetch: {}: replaced the reconstructed pin with the document served at {}",
                        doc.name, f.url
                    );
                }
            } else if !quiet {
                println!("fetch: {}: updated from {}", doc.name, f.url);
            }
            report.updated.push(doc.name.clone());
            doc.pinned = today.clone();
        } else if !quiet {
            println!("fetch: {}: unchanged", doc.name);
        }
        if !quiet && !f.imports.is_empty() {
            println!(
                "fetch: {}: {} imported file(s) in the catalog",
                doc.name,
                f.imports.len()
            );
        }
        doc.sha256 = sha256_hex(&f.main);
        doc.reconstructed = false;
    }
    manifest.write(&specs)?;
    Ok(report)
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, String> {
    let changed = std::fs::read(path).map(|old| old != bytes).unwrap_or(true);
    if changed {
        codegen::write::write_atomic(path, bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(changed)
}

/// Chooses a local file (relative to `specs/`) for each import: next to the pin, in a folder
/// named after the document, keeping the names the previous catalog gave the same URLs.
fn plan_catalog(doc: &Document, imports: &[File]) -> BTreeMap<String, String> {
    let dir = Path::new(&doc.path)
        .parent()
        .map(|p| p.to_string_lossy().to_string())
        .unwrap_or_default();
    let prefix = if dir.is_empty() {
        format!("{}.imports", doc.name)
    } else {
        format!("{dir}/{}.imports", doc.name)
    };
    let mut catalog = BTreeMap::new();
    let mut used = BTreeSet::new();
    // Same URL as last time: same file.
    for file in imports {
        if let Some(old) = doc.catalog.get(&file.url) {
            if used.insert(old.clone()) {
                catalog.insert(file.url.clone(), old.clone());
            }
        }
    }
    for file in imports {
        if catalog.contains_key(&file.url) {
            continue;
        }
        let base = file_name_for(&file.url, file.kind);
        let mut candidate = format!("{prefix}/{base}");
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("{prefix}/{n}-{base}");
            n += 1;
        }
        used.insert(candidate.clone());
        catalog.insert(file.url.clone(), candidate);
    }
    catalog
}

/// A file name from a URL: its last path segment plus its query (`Svc?xsd=xsd0` → `Svc_xsd_xsd0.xsd`).
fn file_name_for(url: &str, kind: &str) -> String {
    let parsed = Url::parse(url).ok();
    let (last, query) = match &parsed {
        Some(u) => (
            u.path_segments()
                .and_then(|mut s| s.next_back())
                .unwrap_or("")
                .to_string(),
            u.query().unwrap_or("").to_string(),
        ),
        None => (url.to_string(), String::new()),
    };
    let mut name = if query.is_empty() {
        last
    } else {
        format!("{last}?{query}")
    };
    name = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string();
    if name.is_empty() {
        name = "import".into();
    }
    let ext = match kind {
        "xml-schema" => ".xsd",
        "wsdl" => ".wsdl",
        "yaml" => ".yaml",
        _ => ".json",
    };
    let known = [".xsd", ".wsdl", ".xml", ".json", ".yaml", ".yml"];
    if !known.iter().any(|k| name.ends_with(k)) {
        name.push_str(ext);
    }
    name
}

/// Downloads `url` as document `doc` and, breadth first, everything it imports.
fn fetch_document(
    client: &reqwest::blocking::Client,
    doc: &Document,
    url: &str,
) -> Result<Fetched, String> {
    let main = download(client, url)?;
    let mut pending = VecDeque::new();
    let mut seen = BTreeSet::from([strip_fragment(url)]);
    let main_kind = validate(&doc.kind, url, &main)?;
    for import in imports_of(main_kind, url, &main)? {
        if seen.insert(import.clone()) {
            pending.push_back((import, url.to_string()));
        }
    }
    let mut imports = Vec::new();
    while let Some((import, parent)) = pending.pop_front() {
        if imports.len() >= MAX_IMPORTS {
            return Err(format!(
                "more than {MAX_IMPORTS} imported files; stopping at {import}"
            ));
        }
        let context = |e: String| format!("import {import} (from {parent}): {e}");
        let bytes = download(client, &import).map_err(context)?;
        let kind = validate_import(main_kind, &import, &bytes).map_err(context)?;
        for next in imports_of(kind, &import, &bytes).map_err(context)? {
            if seen.insert(next.clone()) {
                pending.push_back((next, import.clone()));
            }
        }
        imports.push(File {
            url: import,
            bytes,
            kind,
        });
    }
    Ok(Fetched {
        name: doc.name.clone(),
        url: url.to_string(),
        main,
        imports,
    })
}

fn strip_fragment(url: &str) -> String {
    url.split('#').next().unwrap_or(url).to_string()
}

/// Absolute URLs (without fragment) of the files a downloaded file imports.
fn imports_of(kind: &str, url: &str, bytes: &[u8]) -> Result<Vec<String>, String> {
    let base = Url::parse(url).map_err(|e| format!("'{url}' is not a URL: {e}"))?;
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
    let mut refs = Vec::new();
    match kind {
        "wsdl" | "xml-schema" => {
            let root = codegen::load::xml::parse(text)
                .map_err(|(l, c, m)| format!("not XML at {l}:{c}: {m}"))?;
            collect_xml_refs(&root, &mut refs);
        }
        _ => {
            let value = parse_json_or_yaml(kind, url, text)?;
            collect_json_refs(&value, &mut refs);
        }
    }
    let mut out = Vec::new();
    for r in refs {
        let target = strip_fragment(&r);
        if target.is_empty() {
            continue;
        }
        let abs = base
            .join(&target)
            .map_err(|e| format!("cannot resolve import '{r}' against {url}: {e}"))?;
        if !matches!(abs.scheme(), "http" | "https") {
            return Err(format!(
                "import '{r}' resolves to {abs}, which is not http(s)"
            ));
        }
        let abs = strip_fragment(abs.as_str());
        if !out.contains(&abs) {
            out.push(abs);
        }
    }
    Ok(out)
}

fn collect_xml_refs(el: &codegen::load::xml::Element, out: &mut Vec<String>) {
    let attr = match (el.ns.as_str(), el.local.as_str()) {
        (WSDL_NS, "import") => el.attr("location"),
        (XSD_NS, "import" | "include" | "redefine" | "override") => el.attr("schemaLocation"),
        _ => None,
    };
    if let Some(loc) = attr {
        out.push(loc.trim().to_string());
    }
    for c in &el.children {
        collect_xml_refs(c, out);
    }
}

fn collect_json_refs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", serde_json::Value::String(r)) if !r.starts_with('#') => {
                        out.push(r.clone())
                    }
                    _ => collect_json_refs(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_json_refs(i, out)),
        _ => {}
    }
}

fn url_for(doc: &Document, overrides: &[String]) -> String {
    let prefix = format!("{}=", doc.name);
    if let Some(url) = overrides.iter().find_map(|o| o.strip_prefix(&prefix)) {
        return url.to_string();
    }
    let var = format!("XTASK_URL_{}", doc.name.to_uppercase());
    std::env::var(var).unwrap_or_else(|_| doc.url.clone())
}

/// The HTTP client: timeouts, and redirects only within the origin first asked.
pub fn http_client() -> Result<reqwest::blocking::Client, String> {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            let same_origin = attempt
                .previous()
                .first()
                .is_some_and(|first| first.origin() == attempt.url().origin());
            if attempt.previous().len() > 5 || !same_origin {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// Downloads one file (size-limited); the error says why.
pub fn download(client: &reqwest::blocking::Client, url: &str) -> Result<Vec<u8>, String> {
    let response = client
        .get(url)
        .send()
        .map_err(|e| format!("download failed: {e}"))?;
    let status = response.status();
    if status.is_redirection() {
        return Err(format!(
            "server answered {status}: a redirect to another origin, which is not followed"
        ));
    }
    if !status.is_success() {
        return Err(format!("server answered {status}"));
    }
    let mut bytes = Vec::new();
    response
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading the body: {e}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("document is larger than {MAX_BYTES} bytes"));
    }
    Ok(bytes)
}

fn parse_json_or_yaml(kind: &str, url: &str, text: &str) -> Result<serde_json::Value, String> {
    let mut diags = codegen::Diagnostics::new();
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = if kind == "yaml" || path.ends_with(".yaml") || path.ends_with(".yml") {
        "served.yaml"
    } else {
        "served.json"
    };
    codegen::load::document::parse(Path::new(name), text, &mut diags)
        .ok_or_else(|| diags.to_string())
}

fn is_yaml_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.ends_with(".yaml") || path.ends_with(".yml")
}

/// Checks the bytes parse as the kind of document the manifest says; returns the file kind.
pub fn validate(doc_kind: &str, url: &str, bytes: &[u8]) -> Result<&'static str, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "document is not UTF-8".to_string())?;
    match doc_kind {
        "openapi" => {
            let kind = if is_yaml_url(url) { "yaml" } else { "json" };
            let value = parse_json_or_yaml(kind, url, text)?;
            if value.get("openapi").is_none() && value.get("swagger").is_none() {
                return Err("not an OpenAPI document (no 'openapi' or 'swagger' field)".into());
            }
            Ok(kind)
        }
        _ => {
            let root = codegen::load::xml::parse(text)
                .map_err(|(l, c, m)| format!("not XML at {l}:{c}: {m}"))?;
            if root.local != "definitions" {
                return Err(format!(
                    "not a WSDL document (root element is '{}')",
                    root.local
                ));
            }
            Ok("wsdl")
        }
    }
}

/// Checks an imported file parses: XML (a schema or a WSDL) under a WSDL, JSON/YAML under OpenAPI.
fn validate_import(main_kind: &str, url: &str, bytes: &[u8]) -> Result<&'static str, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
    match main_kind {
        "wsdl" | "xml-schema" => {
            let root = codegen::load::xml::parse(text)
                .map_err(|(l, c, m)| format!("not XML at {l}:{c}: {m}"))?;
            match (root.ns.as_str(), root.local.as_str()) {
                (XSD_NS, "schema") => Ok("xml-schema"),
                (WSDL_NS, "definitions") => Ok("wsdl"),
                (ns, local) => Err(format!(
                    "expected an XML Schema or a WSDL, found '{local}' in namespace '{ns}'"
                )),
            }
        }
        _ => {
            let kind = if is_yaml_url(url) || !text.trim_start().starts_with(['{', '[']) {
                "yaml"
            } else {
                "json"
            };
            parse_json_or_yaml(kind, url, text)?;
            Ok(kind)
        }
    }
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0) as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_790), (2026, 12, 3));
    }

    #[test]
    fn import_file_names() {
        assert_eq!(
            super::file_name_for(
                "http://h/axis2/services/KanbanCardService?xsd=xsd0",
                "xml-schema"
            ),
            "KanbanCardService_xsd_xsd0.xsd"
        );
        assert_eq!(
            super::file_name_for("http://h/a/common.yaml", "yaml"),
            "common.yaml"
        );
        assert_eq!(super::file_name_for("http://h/", "json"), "import.json");
    }

    #[test]
    fn imports_resolve_relative_and_absolute() {
        let wsdl = br#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <wsdl:types><xsd:schema><xsd:import namespace="urn:a" schemaLocation="KanbanCardService?xsd=xsd0"/>
  <xsd:include schemaLocation="http://other/x.xsd"/></xsd:schema></wsdl:types></wsdl:definitions>"#;
        let got = super::imports_of(
            "wsdl",
            "http://h/axis2/services/KanbanCardService?wsdl",
            wsdl,
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                "http://h/axis2/services/KanbanCardService?xsd=xsd0",
                "http://other/x.xsd"
            ]
        );
        let api = br##"{"openapi":"3.0.0","paths":{"/a":{"$ref":"paths/a.json#/get"}},"x":{"$ref":"#/local"}}"##;
        let got = super::imports_of("json", "http://h/api/openapi.json", api).unwrap();
        assert_eq!(got, vec!["http://h/api/paths/a.json"]);
    }
}
