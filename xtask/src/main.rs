//! `cargo xtask`: repository chores. `fetch` downloads the upstream documents, `regen`
//! regenerates the client, `check` verifies the checked-in code is current, `drift` reports
//! upstream changes, `test` sets up the cross-check tools and runs every test.

mod check;
mod corpus;
mod drift;
mod fetch;
mod generate;
mod manifest;
mod regen;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

/// Options every subcommand shares.
#[derive(Debug, Clone)]
pub struct Common {
    /// Repository root to work on (default: this checkout).
    pub root: PathBuf,
    /// Remaining arguments.
    pub args: Vec<String>,
}

const USAGE: &str = "usage: cargo xtask <command> [--root DIR] [options]

commands:
  fetch   [--url NAME=URL]...      download every pinned document (and imports), verify, replace pins atomically
  regen   [--offline] [--url NAME=URL]...   fetch (unless --offline), then regenerate generated-client
  check                            fail if generated code, the inferred overlay or a pin hash is stale
  drift   [--old PATH] [--new PATH_OR_URL] [--format text|markdown|json] [--deny none|breaking|any] [--json FILE] [--url NAME=URL]...
          compare the pins (or --old) with a fresh download (or --new); exit 0 allowed, 1 denied, 2 error
  bump-version VERSION [--notes FILE]   set generated-client's version and add a CHANGELOG.md entry
  corpus  [--tier ci|core|extended|all] [--kind wsdl|openapi] [--json FILE] [--target-dir DIR] [--timeout SECS] [DIR]
          generate every shared-corpus entry document into one workspace, cargo check it (-D warnings), print a table
  test                             set up Python cross-check tools in .venv and run every test

URL overrides may also come from XTASK_URL_<NAME> environment variables.";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return if args.is_empty() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let command = args.remove(0);
    let mut root = project_root();
    if let Some(i) = args.iter().position(|a| a == "--root") {
        if i + 1 >= args.len() {
            eprintln!("error: --root needs a directory");
            return ExitCode::from(2);
        }
        root = PathBuf::from(args.remove(i + 1));
        args.remove(i);
    }
    let common = Common { root, args };
    let result = match command.as_str() {
        "fetch" => fetch::run(&common),
        "regen" => regen::run(&common),
        "check" => check::run(&common),
        "corpus" => corpus::run(&common),
        "drift" => drift::run(&common),
        "bump-version" => drift::bump::run(&common),
        "test" => test::run(&common),
        other => Err(format!("unknown command '{other}'\n\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn project_root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}

/// Takes every `FLAG VALUE` pair out of `args`.
pub fn take_values(args: &mut Vec<String>, flag: &str) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(i) = args.iter().position(|a| a == flag) {
        if i + 1 < args.len() {
            out.push(args.remove(i + 1));
        }
        args.remove(i);
    }
    out
}

/// Takes a boolean `FLAG` out of `args`.
pub fn take_flag(args: &mut Vec<String>, flag: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != flag);
    args.len() != before
}

/// Fails on arguments nobody consumed.
pub fn no_more(args: &[String]) -> Result<(), String> {
    match args.first() {
        Some(a) => Err(format!("unexpected argument '{a}'\n\n{USAGE}")),
        None => Ok(()),
    }
}
