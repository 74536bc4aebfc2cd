//! `cargo xtask drift`: compares two sets of documents (by default the pins and a fresh
//! download) at the model level, classifies each change as breaking or not for a client user
//! (naming the rule), reports the effect on the generated Rust API, and says which version of
//! generated-client that makes under Cargo's semver rules.

pub mod bump;
mod model;
mod report;
mod rust;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::manifest::{sha256_hex, Document, Manifest};
use crate::Common;

/// How much a change matters for the version number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing a user can see in the API (document bytes, defaults).
    Patch,
    /// Additions: nothing existing breaks.
    Minor,
    /// Existing client code or calls break.
    Major,
}

/// One classified change.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The manifest document it is in (or `generated-client` for the Rust API).
    pub document: String,
    /// The rule that classified it (`operation-removed`, `field-added`, ...).
    pub kind: String,
    /// Where: `GET /cards`, `type `Card` field `x``, `Service.op`, `Client::get_card`.
    pub location: String,
    /// Breaks existing clients.
    pub breaking: bool,
    /// What changed, in words.
    pub detail: String,
    /// Semver weight.
    #[serde(skip)]
    pub level: Level,
}

/// Where one side's documents come from.
#[derive(Debug, Clone)]
enum Source {
    /// A repo-like root containing `specs/manifest.toml`.
    Dir(PathBuf),
    /// One document file, optionally standing in for the manifest document `NAME`.
    File(Option<String>, PathBuf),
    /// One document URL, optionally for the manifest document `NAME`.
    Url(Option<String>, String),
    /// A fresh download of the other side's manifest.
    Fresh,
}

fn parse_source(s: &str) -> Source {
    let (name, rest) = match s.split_once('=') {
        Some((n, r)) if !n.is_empty() && !n.contains([':', '/', '\\', '.']) => {
            (Some(n.to_string()), r)
        }
        _ => (None, s),
    };
    if rest.starts_with("http://") || rest.starts_with("https://") {
        return Source::Url(name, rest.to_string());
    }
    let p = PathBuf::from(rest);
    if name.is_none() && p.is_dir() {
        Source::Dir(p)
    } else {
        Source::File(name, p)
    }
}

/// A prepared side: a repo-like root (possibly temporary) and how to label it.
struct Side {
    root: PathBuf,
    label: String,
    _tmp: Option<tempfile::TempDir>,
}

fn temp_root() -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new()
        .prefix("xtask-drift-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The kind a document's content shows: XML is a WSDL, anything else OpenAPI.
fn kind_of(bytes: &[u8]) -> &'static str {
    let text = String::from_utf8_lossy(bytes);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('<') {
        "wsdl"
    } else {
        "openapi"
    }
}

fn read_bytes(src: &Source) -> Result<(Option<String>, Vec<u8>, String), String> {
    match src {
        Source::File(name, p) => Ok((
            name.clone(),
            std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?,
            p.display().to_string(),
        )),
        Source::Url(name, u) => {
            let client = crate::fetch::http_client()?;
            let bytes = crate::fetch::download(&client, u).map_err(|e| format!("{u}: {e}"))?;
            Ok((name.clone(), bytes, u.clone()))
        }
        _ => unreachable!("only files and URLs have bytes"),
    }
}

/// A temporary root holding one document (name from the file).
fn single_root(name: &str, bytes: &[u8], url: &str) -> Result<tempfile::TempDir, String> {
    let tmp = temp_root()?;
    let specs = tmp.path().join("specs");
    let kind = kind_of(bytes);
    let file = format!("{name}.{}", if kind == "wsdl" { "wsdl" } else { "json" });
    std::fs::create_dir_all(&specs).map_err(|e| e.to_string())?;
    std::fs::write(specs.join(&file), bytes).map_err(|e| e.to_string())?;
    let manifest = Manifest {
        document: vec![Document {
            name: name.into(),
            kind: kind.into(),
            url: url.into(),
            path: file,
            sha256: sha256_hex(bytes),
            pinned: String::new(),
            reconstructed: false,
            overlays: None,
            catalog: Default::default(),
        }],
    };
    manifest.write(&specs)?;
    Ok(tmp)
}

/// A temporary copy of `base`'s specs with one document replaced by `bytes`.
fn substituted_root(
    base: &Path,
    name: Option<&str>,
    bytes: &[u8],
    url: &str,
) -> Result<tempfile::TempDir, String> {
    let tmp = temp_root()?;
    let specs = tmp.path().join("specs");
    copy_dir(&base.join("specs"), &specs)?;
    let mut manifest = Manifest::read(&specs)?;
    let kind = kind_of(bytes);
    let idx = match name {
        Some(n) => manifest
            .document
            .iter()
            .position(|d| d.name == n)
            .ok_or_else(|| {
                format!(
                    "no document named '{n}' in {}/specs/manifest.toml",
                    base.display()
                )
            })?,
        None => {
            if let Some(i) = manifest.document.iter().position(|d| d.url == url) {
                i
            } else {
                let same: Vec<usize> = (0..manifest.document.len())
                    .filter(|i| manifest.document[*i].kind == kind)
                    .collect();
                match same.as_slice() {
                    [i] => *i,
                    _ => return Err(format!("{url}: cannot tell which of the {} {kind} documents it replaces; write NAME={url}", same.len())),
                }
            }
        }
    };
    let doc = &mut manifest.document[idx];
    codegen::write::write_atomic(&doc.local(&specs), bytes).map_err(|e| e.to_string())?;
    doc.sha256 = sha256_hex(bytes);
    manifest.write(&specs)?;
    Ok(tmp)
}

fn stem(s: &str) -> String {
    let last = s
        .trim_end_matches('/')
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(s);
    let last = last.split(['?', '#']).next().unwrap_or(last);
    let stem = last.split('.').next().unwrap_or(last);
    if stem.is_empty() {
        "document".into()
    } else {
        stem.to_string()
    }
}

/// A side's output, its (file, document) origins and each document's hash (with imports).
type Generated = (
    codegen::Output,
    Vec<(String, String)>,
    Vec<(String, String)>,
);

/// Generates a root's model and files through the same configuration regen uses.
fn generate(side: &Side) -> Result<Generated, String> {
    let specs = side.root.join("specs");
    let manifest = Manifest::read(&specs)?;
    let config = crate::generate::config(&side.root, &manifest)?;
    let output = config.generate().map_err(|d| {
        format!(
            "{}: the documents do not generate:\n{}",
            side.label,
            crate::generate::relative(&side.root, &d.to_string())
        )
    })?;
    let mut origins = Vec::new();
    let mut hashes = Vec::new();
    for doc in &manifest.document {
        origins.push((doc.local(&specs).display().to_string(), doc.name.clone()));
        let bytes = std::fs::read(doc.local(&specs))
            .map_err(|e| format!("{}: {e}", doc.local(&specs).display()))?;
        let mut h = sha256_hex(&bytes);
        for file in doc.catalog.values() {
            h.push_str(&sha256_hex(
                &std::fs::read(specs.join(file)).unwrap_or_default(),
            ));
        }
        hashes.push((doc.name.clone(), h));
    }
    Ok((output, origins, hashes))
}

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    /// What was compared.
    pub old: String,
    /// What it was compared with.
    pub new: String,
    /// Breaking changes in `changes` (the documents).
    pub breaking: usize,
    /// Non-breaking changes in `changes`.
    pub non_breaking: usize,
    /// Breaking changes in `rust_api`.
    pub rust_breaking: usize,
    /// `major`, `minor`, `patch` or `none`: the largest change, documents and Rust API together.
    pub semver: String,
    /// generated-client's version now.
    pub current_version: String,
    /// What Cargo's rules make of `semver` for it.
    pub next_version: String,
    /// Model-level changes.
    pub changes: Vec<Change>,
    /// Effect on the generated Rust API.
    pub rust_api: Vec<Change>,
}

/// Runs the subcommand: exit 0 allowed, 1 denied by `--deny`, 2 error.
pub fn run(common: &Common) -> Result<ExitCode, String> {
    let mut args = common.args.clone();
    let old = crate::take_values(&mut args, "--old").pop();
    let new = crate::take_values(&mut args, "--new").pop();
    let format = crate::take_values(&mut args, "--format")
        .pop()
        .unwrap_or_else(|| "text".into());
    let deny = crate::take_values(&mut args, "--deny")
        .pop()
        .unwrap_or_else(|| "none".into());
    let json_out = crate::take_values(&mut args, "--json").pop();
    let overrides = crate::take_values(&mut args, "--url");
    crate::no_more(&args)?;
    if !matches!(format.as_str(), "text" | "markdown" | "json") {
        return Err(format!("--format {format}: use text, markdown or json"));
    }
    if !matches!(deny.as_str(), "none" | "breaking" | "any") {
        return Err(format!("--deny {deny}: use none, breaking or any"));
    }
    let old_src = old
        .as_deref()
        .map(parse_source)
        .unwrap_or_else(|| Source::Dir(common.root.clone()));
    let new_src = new.as_deref().map(parse_source).unwrap_or(Source::Fresh);
    let mut notes = Vec::new();
    let (old_side, new_side) = prepare(&old_src, &new_src, &overrides, &mut notes)?;
    let (old_out, old_origins, old_hashes) = generate(&old_side)?;
    let (new_out, new_origins, new_hashes) = generate(&new_side)?;
    let oo = model::Origins { files: old_origins };
    let no = model::Origins { files: new_origins };
    let mut changes = model::diff(
        model::SideModel {
            api: &old_out.api,
            origins: &oo,
        },
        model::SideModel {
            api: &new_out.api,
            origins: &no,
        },
    );
    for name in notes {
        changes.push(Change {
            document: name.clone(),
            kind: "reconstruction-replaced".into(),
            location: name.clone(),
            breaking: false,
            detail: "upstream now serves this document: the reconstructed pin is replaced by the real one (the changes listed for it are against the reconstruction)".into(),
            level: Level::Patch,
        });
    }
    for (name, h) in &new_hashes {
        if let Some((_, g)) = old_hashes.iter().find(|(n, _)| n == name) {
            if g != h && !changes.iter().any(|c| &c.document == name) {
                changes.push(Change {
                    document: name.clone(),
                    kind: "document-changed".into(),
                    location: name.clone(),
                    breaking: false,
                    detail: "the document's bytes changed but its model did not (documentation, examples, formatting)".into(),
                    level: Level::Patch,
                });
            }
        }
    }
    let rust_api = rust::diff(&old_out.files, &new_out.files, "generated-client")?;
    let version_root = match &old_src {
        Source::Dir(d) => d.clone(),
        _ => common.root.clone(),
    };
    let current = bump::current_version(&version_root).unwrap_or_else(|_| "0.0.0".into());
    let level = changes.iter().chain(&rust_api).map(|c| c.level).max();
    let semver = match level {
        Some(Level::Major) => "major",
        Some(Level::Minor) => "minor",
        Some(Level::Patch) => "patch",
        None => "none",
    };
    let report = Report {
        old: old_side.label.clone(),
        new: new_side.label.clone(),
        breaking: changes.iter().filter(|c| c.breaking).count(),
        non_breaking: changes.iter().filter(|c| !c.breaking).count(),
        rust_breaking: rust_api.iter().filter(|c| c.breaking).count(),
        semver: semver.into(),
        next_version: bump::next_version(&current, level)?,
        current_version: current,
        changes,
        rust_api,
    };
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n";
    if let Some(path) = json_out {
        std::fs::write(&path, &json).map_err(|e| format!("{path}: {e}"))?;
    }
    let text = match format.as_str() {
        "json" => json,
        "markdown" => report::markdown(&report),
        _ => report::text(&report),
    };
    print!("{text}");
    let denied = match deny.as_str() {
        "breaking" => report.semver == "major",
        "any" => report.semver != "none",
        _ => false,
    };
    if denied {
        eprintln!("drift: denied by --deny {deny} (semver: {})", report.semver);
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds both sides; `notes` receives documents whose reconstruction a fresh download replaced.
fn prepare(
    old: &Source,
    new: &Source,
    overrides: &[String],
    notes: &mut Vec<String>,
) -> Result<(Side, Side), String> {
    let old_side = match old {
        Source::Dir(d) => Side {
            root: d.clone(),
            label: format!("pins in {}", d.display()),
            _tmp: None,
        },
        Source::Fresh => return Err("--old needs a directory or a file".into()),
        src => {
            let (name, bytes, label) = read_bytes(src)?;
            match new {
                Source::Dir(d) => {
                    let tmp = substituted_root(d, name.as_deref(), &bytes, &label)?;
                    Side {
                        root: tmp.path().to_path_buf(),
                        label,
                        _tmp: Some(tmp),
                    }
                }
                _ => {
                    let tmp = single_root(&name.unwrap_or_else(|| stem(&label)), &bytes, &label)?;
                    Side {
                        root: tmp.path().to_path_buf(),
                        label,
                        _tmp: Some(tmp),
                    }
                }
            }
        }
    };
    let old_is_dir = matches!(old, Source::Dir(_));
    let new_side = match new {
        Source::Fresh => {
            if !old_is_dir {
                return Err("comparing a single document needs --new FILE_OR_URL".into());
            }
            let tmp = temp_root()?;
            copy_dir(&old_side.root.join("specs"), &tmp.path().join("specs"))?;
            let report = crate::fetch::fetch_root(tmp.path(), overrides, true)?;
            notes.extend(report.replaced_reconstructions);
            Side {
                root: tmp.path().to_path_buf(),
                label: "a fresh download of the manifest's URLs".into(),
                _tmp: Some(tmp),
            }
        }
        Source::Dir(d) => Side {
            root: d.clone(),
            label: format!("documents in {}", d.display()),
            _tmp: None,
        },
        src => {
            let (name, bytes, label) = read_bytes(src)?;
            let tmp = if old_is_dir {
                substituted_root(&old_side.root, name.as_deref(), &bytes, &label)?
            } else {
                // Both single documents: the same name on both sides.
                let old_name = Manifest::read(&old_side.root.join("specs"))?.document[0]
                    .name
                    .clone();
                single_root(&name.unwrap_or(old_name), &bytes, &label)?
            };
            Side {
                root: tmp.path().to_path_buf(),
                label,
                _tmp: Some(tmp),
            }
        }
    };
    Ok((old_side, new_side))
}
