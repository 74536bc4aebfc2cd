//! `cargo xtask corpus [--tier ci|core|extended|all] [--kind wsdl|openapi] [--json FILE] [DIR]`:
//! generates every entry document (of one kind with `--kind`) of the shared spec corpus into one temporary workspace (one member crate per
//! document, one shared target directory) and `cargo check`s it with warnings denied.
//!
//! `DIR/SOURCES.md` lists the documents: every table with a `local path` and a `role` column
//! is read; `import` rows are not entry points and are skipped. Tiers:
//!
//! | tier | documents |
//! |---|---|
//! | `ci` | `core` documents of at most 1 MB (the `size (bytes)` column) and `negative` ones |
//! | `core` | `core` and `negative` |
//! | `extended` | `extended` |
//! | `all` | `core`, `extended` and `negative` |
//!
//! Each document is generated in a child process (`corpus --generate-one`), so a panic, a stack
//! overflow or a hang (`--timeout SECS`, default 600) is one failed row, not a failed harness.
//! WSDLs are generated with `xtask/corpus-catalog.toml` as the catalog (the corpus's remote
//! schema locations mapped to its local copies). A `negative` document passes when generation
//! fails with an error. The exit code is 1 when
//! any row fails, after the whole table is printed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::{take_flag, take_values, Common};

/// Documents larger than this leave the `ci` tier.
const CI_MAX_BYTES: u64 = 1_000_000;

/// One entry document from SOURCES.md.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Path relative to the corpus directory.
    pub path: String,
    /// `core`, `extended` or `negative`.
    pub role: String,
    /// The `spec version` column, e.g. `OpenAPI 3.0.3`, `Swagger 2.0`, `WSDL 1.1`.
    pub spec_version: String,
    /// The `size (bytes)` column (0 when missing).
    pub size: u64,
}

impl Entry {
    fn is_wsdl(&self) -> bool {
        self.spec_version.to_ascii_lowercase().starts_with("wsdl")
            || self.spec_version.to_ascii_lowercase().starts_with("xsd")
    }

    /// `openapi 3.0.3`, `swagger 2.0`, `wsdl 1.1`.
    fn version(&self) -> String {
        self.spec_version.to_ascii_lowercase()
    }
}

/// What the child process reports for one document.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Generated {
    ok: bool,
    ms: u64,
    operations: usize,
    types: usize,
    untyped: usize,
    diagnostics: usize,
    error: String,
}

/// One row of the table (also the `--json` format).
#[derive(Debug, Default, Clone, Serialize)]
pub struct Row {
    /// Path relative to the corpus directory.
    pub document: String,
    /// Role from SOURCES.md.
    pub role: String,
    /// `openapi 3.0.3`, `swagger 2.0`, `wsdl 1.1`.
    pub version: String,
    /// Size in bytes (SOURCES.md).
    pub bytes: u64,
    /// Whether generation succeeded.
    pub generated: bool,
    /// Generation time (load + generate + write) in milliseconds.
    pub generate_ms: u64,
    /// REST + SOAP operations.
    pub operations: usize,
    /// Named types.
    pub types: usize,
    /// Fields typed as `serde_json::Value` (`Summary::untyped_fields`).
    pub value_typed: usize,
    /// Generator warnings.
    pub generator_warnings: usize,
    /// `cargo check` with `-D warnings` passed (`None`: not checked).
    pub check_ok: Option<bool>,
    /// Compiler warnings (lints; denied, so each also fails the check).
    pub warnings: usize,
    /// Compiler errors other than lints.
    pub errors: usize,
    /// Whether the row is as expected (negative: generation failed; others: generated and checked).
    pub pass: bool,
    /// First line of the generation error, or of the first compiler diagnostic.
    pub note: String,
}

/// Runs the subcommand.
pub fn run(common: &Common) -> Result<ExitCode, String> {
    let mut args = common.args.clone();
    if take_flag(&mut args, "--generate-one") {
        return generate_one(&args);
    }
    let tier = take_values(&mut args, "--tier")
        .pop()
        .unwrap_or_else(|| "ci".into());
    if !matches!(tier.as_str(), "ci" | "core" | "extended" | "all") {
        return Err(format!(
            "--tier must be ci, core, extended or all, not '{tier}'"
        ));
    }
    let kind = take_values(&mut args, "--kind").pop();
    if kind
        .as_deref()
        .is_some_and(|k| k != "wsdl" && k != "openapi")
    {
        return Err("--kind must be wsdl or openapi".into());
    }
    let json = take_values(&mut args, "--json").pop().map(PathBuf::from);
    let target_dir = take_values(&mut args, "--target-dir")
        .pop()
        .map(PathBuf::from)
        .unwrap_or_else(|| common.root.join("target/corpus"));
    let timeout = match take_values(&mut args, "--timeout").pop() {
        Some(s) => s
            .parse::<u64>()
            .map_err(|_| format!("--timeout needs seconds, not '{s}'"))?,
        None => 600,
    };
    let dir = match args.first() {
        Some(a) if !a.starts_with("--") => PathBuf::from(args.remove(0)),
        _ => common.root.join("../shared/corpus"),
    };
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    crate::no_more(&args)?;

    let sources = dir.join("SOURCES.md");
    let text = std::fs::read_to_string(&sources).map_err(|e| {
        format!(
            "{}: {e} (give the corpus directory as DIR)",
            sources.display()
        )
    })?;
    let entries: Vec<Entry> = parse_sources(&text)?
        .into_iter()
        .filter(|e| in_tier(e, &tier))
        .filter(|e| kind.as_deref().is_none_or(|k| (k == "wsdl") == e.is_wsdl()))
        .collect();
    if entries.is_empty() {
        return Err(format!(
            "{}: no documents in tier '{tier}'",
            sources.display()
        ));
    }
    let runtime = std::fs::canonicalize(common.root.join("generated-client/runtime"))
        .map_err(|e| format!("generated-client/runtime: {e}"))?;
    std::fs::create_dir_all(&target_dir).map_err(|e| format!("{}: {e}", target_dir.display()))?;
    let work = tempfile::Builder::new()
        .prefix("corpus-workspace-")
        .tempdir_in(&target_dir)
        .map_err(|e| format!("temporary workspace: {e}"))?;
    println!(
        "corpus: {} documents (tier {tier}) from {}; workspace {}",
        entries.len(),
        dir.display(),
        work.path().display()
    );

    let mut rows = Vec::new();
    let mut members = Vec::new();
    let mut names = BTreeMap::new();
    for entry in &entries {
        let name = crate_name(&entry.path, &mut names);
        let crate_dir = work.path().join("crates").join(&name);
        let generated = generate_child(
            &dir,
            &entry.path,
            entry.is_wsdl(),
            &crate_dir,
            &runtime,
            &name,
            timeout,
        );
        let mut row = Row {
            document: entry.path.clone(),
            role: entry.role.clone(),
            version: entry.version(),
            bytes: entry.size,
            generated: generated.ok,
            generate_ms: generated.ms,
            operations: generated.operations,
            types: generated.types,
            value_typed: generated.untyped,
            generator_warnings: generated.diagnostics,
            note: first_line(
                generated
                    .error
                    .replace(&format!("{}/", dir.display()), "")
                    .trim_start_matches("error: "),
            ),
            ..Row::default()
        };
        if generated.ok && entry.role != "negative" {
            members.push((name, rows.len()));
        }
        if entry.role == "negative" {
            row.pass = !generated.ok;
            if generated.ok {
                row.note = "generated, but a negative document must fail with an error".into();
            }
        }
        eprintln!(
            "corpus: {} {} ({} ms)",
            row.document,
            if generated.ok {
                "generated"
            } else {
                "failed to generate"
            },
            row.generate_ms
        );
        rows.push(row);
    }

    let mut check_ms = 0;
    if !members.is_empty() {
        let started = Instant::now();
        let report = check_workspace(work.path(), &target_dir, &common.root, &members)?;
        check_ms = started.elapsed().as_millis() as u64;
        for (name, index) in &members {
            let row = &mut rows[*index];
            let c = report.crates.get(name).cloned().unwrap_or_default();
            row.check_ok = Some(c.compiled && c.errors == 0 && c.warnings == 0);
            row.warnings = c.warnings;
            row.errors = c.errors;
            row.pass = row.check_ok == Some(true);
            if !row.pass {
                row.note = match (&c.first, &report.runtime_first) {
                    (Some(first), _) => first.clone(),
                    (None, Some(rt)) => format!("client-runtime failed: {rt}"),
                    (None, None) => report
                        .cargo_error
                        .clone()
                        .unwrap_or_else(|| "not compiled (see cargo output)".into()),
                };
            }
        }
    }

    print!("{}", table(&rows, check_ms));
    if let Some(path) = json {
        let text = serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?;
        std::fs::write(&path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let failing = rows.iter().filter(|r| !r.pass).count();
    if failing == 0 {
        println!("corpus: all {} documents pass", rows.len());
        Ok(ExitCode::SUCCESS)
    } else {
        println!("corpus: {failing} of {} documents fail", rows.len());
        Ok(ExitCode::from(1))
    }
}

/// Reads every table of SOURCES.md that has `local path` and `role` columns; `import` rows and
/// unknown roles are left out.
pub fn parse_sources(text: &str) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    let mut columns: Option<(usize, usize, Option<usize>, Option<usize>)> = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect();
        let header = |name: &str| cells.iter().position(|c| c.eq_ignore_ascii_case(name));
        if let (Some(path), Some(role)) = (header("local path"), header("role")) {
            let version = cells
                .iter()
                .position(|c| c.to_ascii_lowercase().starts_with("spec version"));
            let size = cells
                .iter()
                .position(|c| c.to_ascii_lowercase().starts_with("size"));
            columns = Some((path, role, version, size));
            continue;
        }
        let Some((path, role, version, size)) = columns else {
            continue;
        };
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
        {
            continue;
        }
        let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
        let role = cell(role);
        if !matches!(role.as_str(), "core" | "extended" | "negative") {
            if role != "import" {
                eprintln!(
                    "corpus: SOURCES.md line {}: unknown role '{role}', skipped",
                    number + 1
                );
            }
            continue;
        }
        let path = cell(path);
        if path.is_empty() {
            return Err(format!("SOURCES.md line {}: empty local path", number + 1));
        }
        let size = size
            .map(cell)
            .and_then(|s| {
                let digits: String = s
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                digits.parse().ok()
            })
            .unwrap_or(0);
        let mut spec_version = version.map(cell).unwrap_or_default();
        if spec_version.is_empty() {
            spec_version = if path.ends_with(".wsdl") {
                "WSDL".into()
            } else {
                "OpenAPI".into()
            };
        }
        out.push(Entry {
            path,
            role,
            spec_version,
            size,
        });
    }
    Ok(out)
}

fn in_tier(e: &Entry, tier: &str) -> bool {
    match tier {
        "ci" => e.role == "negative" || (e.role == "core" && e.size <= CI_MAX_BYTES),
        "core" => e.role == "core" || e.role == "negative",
        "extended" => e.role == "extended",
        _ => true,
    }
}

/// `corpus-` + the path in lower-case letters, digits and dashes; unique.
fn crate_name(path: &str, seen: &mut BTreeMap<String, usize>) -> String {
    let mut name = String::from("corpus");
    let mut dash = true;
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            if dash {
                name.push('-');
            }
            name.push(c.to_ascii_lowercase());
            dash = false;
        } else {
            dash = true;
        }
    }
    let n = seen.entry(name.clone()).or_insert(0);
    *n += 1;
    if *n > 1 {
        format!("{name}-{n}")
    } else {
        name
    }
}

fn first_line(s: &str) -> String {
    let line = s
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let mut out: String = line.chars().take(160).collect();
    if out.len() < line.len() {
        out.push('…');
    }
    out
}

/// Runs `xtask corpus --generate-one` for one document (`spec`, relative to the corpus `dir`),
/// with a timeout.
fn generate_child(
    dir: &Path,
    spec: &str,
    wsdl: bool,
    crate_dir: &Path,
    runtime: &Path,
    name: &str,
    timeout: u64,
) -> Generated {
    let failed = |error: String| Generated {
        error,
        ..Generated::default()
    };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return failed(format!("cannot find the xtask binary: {e}")),
    };
    let started = Instant::now();
    let child = Command::new(exe)
        .args([
            "corpus",
            "--generate-one",
            if wsdl { "wsdl" } else { "openapi" },
        ])
        .arg(dir.join(spec))
        .arg(crate_dir)
        .arg(runtime)
        .arg(name)
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return failed(format!("cannot start the generator: {e}")),
    };
    // Drain both pipes on threads so a chatty child never blocks.
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > Duration::from_secs(timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let Some(status) = status else {
        return Generated {
            ms: started.elapsed().as_millis() as u64,
            ..failed(format!("timed out after {timeout} s"))
        };
    };
    match stdout
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str::<Generated>(l).ok())
    {
        Some(g) => g,
        None => {
            let tail: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
            let panic = tail
                .iter()
                .find(|l| l.contains("panicked at") || l.contains("overflow"))
                .copied();
            Generated {
                ms: started.elapsed().as_millis() as u64,
                ..failed(format!(
                    "generator crashed ({status}): {}",
                    panic.or(tail.last().copied()).unwrap_or("no output")
                ))
            }
        }
    }
}

/// The child: `corpus --generate-one KIND SPEC CRATE_DIR RUNTIME_DIR NAME CORPUS_DIR`; prints
/// one JSON line. WSDLs get the catalog of `xtask/corpus-catalog.toml` (remote locations the
/// corpus names, mapped to its local copies).
fn generate_one(args: &[String]) -> Result<ExitCode, String> {
    let [kind, spec, crate_dir, runtime, name, corpus] = args else {
        return Err("corpus --generate-one KIND SPEC CRATE_DIR RUNTIME_DIR NAME CORPUS_DIR".into());
    };
    let started = Instant::now();
    let config = codegen::Config::new().runtime_path("::client_runtime");
    let config = if kind == "wsdl" {
        corpus_catalog(Path::new(corpus))?
            .into_iter()
            .fold(config, |c, (url, path)| c.catalog_entry(url, path))
            .wsdl(spec)
    } else {
        config.openapi(spec)
    };
    let report = match config.generate() {
        Ok(output) => match write_member(Path::new(crate_dir), Path::new(runtime), name, &output) {
            Ok(()) => Generated {
                ok: true,
                ms: started.elapsed().as_millis() as u64,
                operations: output.summary.rest_operations + output.summary.soap_operations,
                types: output.summary.types,
                untyped: output.summary.untyped_fields,
                diagnostics: output.diagnostics.warning_count(),
                error: String::new(),
            },
            Err(e) => Generated {
                ms: started.elapsed().as_millis() as u64,
                error: format!("writing {crate_dir}: {e}"),
                ..Generated::default()
            },
        },
        Err(diagnostics) => Generated {
            ms: started.elapsed().as_millis() as u64,
            error: diagnostics.to_string(),
            ..Generated::default()
        },
    };
    println!(
        "{}",
        serde_json::to_string(&report).map_err(|e| e.to_string())?
    );
    Ok(ExitCode::SUCCESS)
}

/// `xtask/corpus-catalog.toml`: remote URL → local file of the corpus at `corpus`.
pub fn corpus_catalog(corpus: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let text = include_str!("../corpus-catalog.toml");
    let table: BTreeMap<String, String> =
        toml::from_str(text).map_err(|e| format!("xtask/corpus-catalog.toml: {e}"))?;
    Ok(table
        .into_iter()
        .map(|(url, rel)| (url, corpus.join(rel)))
        .collect())
}

/// A workspace member shaped like `codegen generate`'s standalone crate.
fn write_member(
    dir: &Path,
    runtime: &Path,
    name: &str,
    output: &codegen::Output,
) -> std::io::Result<()> {
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.88\"\npublish = false\n\n[dependencies]\nclient-runtime = {{ path = {path:?} }}\n",
        path = runtime.display().to_string()
    );
    codegen::write::write_atomic(&dir.join("Cargo.toml"), manifest.as_bytes())?;
    let lib = "//! Generated client.\n\n#[rustfmt::skip]\nmod generated;\n\npub use client_runtime as runtime;\npub use generated::*;\n";
    codegen::write::write_atomic(&dir.join("src/lib.rs"), lib.as_bytes())?;
    output.write_to(&dir.join("src/generated"))?;
    Ok(())
}

#[derive(Debug, Default, Clone)]
struct CrateCheck {
    compiled: bool,
    warnings: usize,
    errors: usize,
    first: Option<String>,
}

#[derive(Debug, Default)]
struct CheckReport {
    crates: BTreeMap<String, CrateCheck>,
    runtime_first: Option<String>,
    cargo_error: Option<String>,
}

/// One `cargo check --workspace --keep-going` with `-D warnings`; diagnostics attributed to
/// members by their manifest path.
fn check_workspace(
    work: &Path,
    target_dir: &Path,
    root: &Path,
    members: &[(String, usize)],
) -> Result<CheckReport, String> {
    let list: Vec<String> = members
        .iter()
        .map(|(name, _)| format!("    \"crates/{name}\","))
        .collect();
    let manifest = format!(
        "# Temporary workspace written by cargo xtask corpus.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The repository's lock file: the same dependency versions, and no network needed.
    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        std::fs::write(work.join("Cargo.lock"), lock).map_err(|e| e.to_string())?;
    }
    println!(
        "corpus: cargo check --workspace --keep-going --offline --message-format json-diagnostic-short (RUSTFLAGS=-D warnings, target {})",
        target_dir.display()
    );
    let mut child = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--offline",
            "--message-format",
            "json-diagnostic-short",
        ])
        .current_dir(work)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = child.stderr.take().expect("piped");
    // Cargo's progress goes on to our stderr as it comes; the text is kept for its errors.
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            s.push_str(&line);
            s.push('\n');
        }
        s
    });
    let by_manifest: BTreeMap<PathBuf, String> = members
        .iter()
        .map(|(name, _)| {
            let m = work.join("crates").join(name).join("Cargo.toml");
            (std::fs::canonicalize(&m).unwrap_or(m), name.clone())
        })
        .collect();
    let mut report = CheckReport::default();
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let manifest = msg["manifest_path"].as_str().map(PathBuf::from);
        let member = manifest.as_ref().and_then(|m| {
            by_manifest
                .get(m)
                .or_else(|| {
                    std::fs::canonicalize(m)
                        .ok()
                        .and_then(|c| by_manifest.get(&c))
                })
                .cloned()
        });
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(name) = member {
                    report.crates.entry(name).or_default().compiled = true;
                }
            }
            Some("compiler-message") => {
                let m = &msg["message"];
                let text = m["message"].as_str().unwrap_or("");
                let level = m["level"].as_str().unwrap_or("");
                let code = m["code"]["code"].as_str();
                if code.is_none()
                    && (text.starts_with("aborting due to")
                        || text.ends_with("warning emitted")
                        || text.ends_with("warnings emitted"))
                {
                    continue;
                }
                let lint = code.is_some_and(|c| !c.starts_with('E'));
                let rendered = m["rendered"].as_str().unwrap_or(text).trim().to_string();
                match member {
                    Some(name) => {
                        let c = report.crates.entry(name).or_default();
                        if lint || level == "warning" {
                            c.warnings += 1;
                        } else if level == "error" {
                            c.errors += 1;
                        } else {
                            continue;
                        }
                        c.first.get_or_insert(rendered);
                    }
                    None => {
                        if level == "error" || lint {
                            report.runtime_first.get_or_insert(first_line(&rendered));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        let cargo_error = stderr
            .lines()
            .find(|l| l.starts_with("error") && !l.contains("could not compile"))
            .map(first_line);
        if let Some(e) = &cargo_error {
            eprintln!("corpus: cargo: {e}");
        }
        report.cargo_error = cargo_error;
    }
    Ok(report)
}

fn table(rows: &[Row], check_ms: u64) -> String {
    let mut out = String::from(
        "\n| document | role | version | operations | types | `Value` | generate ms | check | warnings | note |\n|---|---|---|---:|---:|---:|---:|---|---:|---|\n",
    );
    for r in rows {
        let check = match (r.role.as_str(), r.generated, r.check_ok) {
            ("negative", false, _) => "ok (fails as expected)".to_string(),
            ("negative", true, _) => "FAIL (generated)".to_string(),
            (_, false, _) => "FAIL (generate)".to_string(),
            (_, true, Some(true)) => "ok".to_string(),
            (_, true, Some(false)) => {
                format!("FAIL ({} errors, {} warnings)", r.errors, r.warnings)
            }
            (_, true, None) => "-".to_string(),
        };
        let note = r.note.replace('|', "\\|");
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.document,
            r.role,
            r.version,
            r.operations,
            r.types,
            r.value_typed,
            r.generate_ms,
            check,
            r.warnings,
            note
        ));
    }
    let passing = rows.iter().filter(|r| r.pass).count();
    let sum = |f: fn(&Row) -> u64| rows.iter().map(f).sum::<u64>();
    out.push_str(&format!(
        "| **total: {} documents, {} pass** | | | {} | {} | {} | {} | check {} ms | {} | |\n",
        rows.len(),
        passing,
        sum(|r| r.operations as u64),
        sum(|r| r.types as u64),
        sum(|r| r.value_typed as u64),
        sum(|r| r.generate_ms),
        check_ms,
        sum(|r| r.warnings as u64),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &str = "# x\n\n| local path | origin | spec version | size (bytes) | role | what |\n| --- | --- | --- | --- | --- | --- |\n| `a/b.yaml` | `o` | OpenAPI 3.0.0 | 2,772 (2.7 KiB) | core | x |\n| `a/big.json` | `o` | Swagger 2.0 | 4,172,204 (4.0 MiB) | core | x |\n| `a/c.json` | `o` | Swagger 2.0 (fragment) | 208 (208 B) | import | x |\n| `w/x.wsdl` | `o` | WSDL 1.1 | 10 | extended | x |\n| `w/bad.wsdl` | `o` | WSDL 1.1 | 10 | negative | a \\| b |\n";

    #[test]
    fn sources_rows_and_tiers() {
        let entries = parse_sources(SOURCES).unwrap();
        let paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["a/b.yaml", "a/big.json", "w/x.wsdl", "w/bad.wsdl"]);
        assert_eq!(entries[1].size, 4_172_204);
        assert!(entries[2].is_wsdl() && !entries[0].is_wsdl());
        let tier = |t: &str| {
            entries
                .iter()
                .filter(|e| in_tier(e, t))
                .map(|e| e.path.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(tier("ci"), ["a/b.yaml", "w/bad.wsdl"]);
        assert_eq!(tier("core"), ["a/b.yaml", "a/big.json", "w/bad.wsdl"]);
        assert_eq!(tier("extended"), ["w/x.wsdl"]);
        assert_eq!(tier("all").len(), 4);
    }

    #[test]
    fn crate_names_are_valid_and_unique() {
        let mut seen = BTreeMap::new();
        assert_eq!(
            crate_name("openapi/v3.0/petstore-expanded.yaml", &mut seen),
            "corpus-openapi-v3-0-petstore-expanded-yaml"
        );
        assert_eq!(crate_name("a_b", &mut seen), "corpus-a-b");
        assert_eq!(crate_name("a.b", &mut seen), "corpus-a-b-2");
    }
}
