//! Load + generate time through the library API, and the build-script fixture's build time.
//!
//! `cargo bench -p codegen --bench generate -- [--runs N] [--large-runs N] [--corpus DIR] [--no-build]`
//!
//! Prints a markdown table (median, min and max of N runs, wall clock, `std::time`):
//! - the SwiftKanban pins with the same configuration as `cargo xtask regen` (REST document,
//!   overlays before and after inference, inference from examples, the three WSDLs);
//! - the largest shared-corpus documents (Stripe, GitHub, Kubernetes); a document that does not
//!   generate is reported as such;
//! - `cargo build -p codegen-buildrs-fixture` after `cargo clean -p codegen-buildrs-fixture`, and
//!   again after touching its `build.rs` (its own target directory, `target/bench-buildrs`, so
//!   the bench never waits for the lock of the target directory `cargo bench` uses).
//!
//! Nothing is written under `specs/` or `generated-client/`: the output stays in memory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it,
    // and a test run must not spend minutes benchmarking.
    if !args.iter().any(|a| a == "--bench") {
        println!("generate bench: run it with `cargo bench -p codegen --bench generate`; nothing measured in a test run");
        return;
    }
    args.retain(|a| a != "--bench");
    let value = |args: &[String], flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let runs: usize = value(&args, "--runs")
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let large_runs: usize = value(&args, "--large-runs")
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let corpus = value(&args, "--corpus")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    let build = !args.iter().any(|a| a == "--no-build");

    println!("| what | runs | median | min | max | operations | types | result |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    let sk = swiftkanban(&root);
    measure(
        "SwiftKanban pins (REST + overlays + inference + 3 WSDLs)",
        runs,
        || sk.generate().map_err(|d| d.to_string()),
    );
    for (label, rel, wsdl) in [
        (
            "stripe/spec3.json (4.2 MB)",
            "openapi/stripe/spec3.json",
            false,
        ),
        (
            "github/api.github.com.json (3.7 MB)",
            "openapi/github/api.github.com.json",
            false,
        ),
        (
            "kubernetes/swagger-v1.9.12.json (3.8 MB)",
            "openapi/kubernetes/swagger-v1.9.12.json",
            false,
        ),
    ] {
        let path = corpus.join(rel);
        if !path.exists() {
            println!("| {label} | 0 | | | | | | not found: {} |", path.display());
            continue;
        }
        let config = codegen::Config::new().runtime_path("::client_runtime");
        let config = if wsdl {
            config.wsdl(&path)
        } else {
            config.openapi(&path)
        };
        measure(label, large_runs, || {
            config.generate().map_err(|d| d.to_string())
        });
    }
    if build {
        build_fixture(&root);
    }
}

/// The configuration `xtask/src/generate.rs` builds, minus the files regen writes.
fn swiftkanban(root: &Path) -> codegen::Config {
    let specs = root.join("specs");
    let overlays = specs.join("overlays/restapi");
    let inferred = "20-inferred-schemas.json";
    let mut files: Vec<PathBuf> = std::fs::read_dir(&overlays)
        .expect("specs/overlays/restapi")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json" || x == "yaml") && !p.ends_with(inferred)
        })
        .collect();
    files.sort();
    let mut config = codegen::Config::new()
        .runtime_path("crate::runtime")
        .openapi(specs.join("swiftkanban/restapi-openapi.json"));
    for p in files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_str() < Some(inferred)))
    {
        config = config.overlay(p);
    }
    config = config.infer_from_examples(overlays.join(inferred));
    for p in files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_str() > Some(inferred)))
    {
        config = config.overlay(p);
    }
    for w in ["KanbanCardService", "MetadataService", "TeamMemberService"] {
        config = config.wsdl(specs.join(format!("swiftkanban/{w}.wsdl")));
    }
    config
}

fn measure(label: &str, runs: usize, mut f: impl FnMut() -> Result<codegen::Output, String>) {
    let mut times = Vec::new();
    let mut counts = (0, 0);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let result = f();
        let elapsed = started.elapsed();
        match result {
            Ok(output) => {
                times.push(elapsed);
                let s = &output.summary;
                counts = (s.rest_operations + s.soap_operations, s.types);
            }
            Err(error) => {
                let first = error.lines().next().unwrap_or("").replace('|', "\\|");
                println!(
                    "| {label} | 1 | {} | | | | | does not generate: {first} |",
                    ms(elapsed)
                );
                return;
            }
        }
    }
    let (median, min, max) = stats(&mut times);
    println!(
        "| {label} | {} | {} | {} | {} | {} | {} | ok |",
        times.len(),
        ms(median),
        ms(min),
        ms(max),
        counts.0,
        counts.1
    );
}

fn stats(times: &mut [Duration]) -> (Duration, Duration, Duration) {
    times.sort();
    let n = times.len();
    let median = if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2
    };
    (median, times[0], times[n - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn build_fixture(root: &Path) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root.join("target/bench-buildrs");
    let cargo_run = |args: &[&str]| -> (Duration, bool) {
        let started = Instant::now();
        let status = Command::new(&cargo)
            .args(args)
            .arg("--quiet")
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .status();
        (started.elapsed(), status.is_ok_and(|s| s.success()))
    };
    // Dependencies (codegen, client-runtime, ...) once, not measured.
    let (_, ok) = cargo_run(&["build", "-p", "codegen-buildrs-fixture"]);
    if !ok {
        println!("| cargo build -p codegen-buildrs-fixture | | | | | | | build fails |");
        return;
    }
    let mut clean = Vec::new();
    let mut touched = Vec::new();
    for _ in 0..3 {
        cargo_run(&["clean", "-p", "codegen-buildrs-fixture"]);
        let (t, ok) = cargo_run(&["build", "-p", "codegen-buildrs-fixture"]);
        if ok {
            clean.push(t);
        }
        let build_rs = root.join("codegen/tests/buildrs-fixture/build.rs");
        if let Ok(file) = std::fs::File::options().append(true).open(&build_rs) {
            let _ = file.set_modified(std::time::SystemTime::now());
        }
        let (t, ok) = cargo_run(&["build", "-p", "codegen-buildrs-fixture"]);
        if ok {
            touched.push(t);
        }
    }
    for (label, times) in [
        (
            "cargo build -p codegen-buildrs-fixture after cargo clean -p codegen-buildrs-fixture",
            &mut clean,
        ),
        (
            "cargo build -p codegen-buildrs-fixture after touching its build.rs",
            &mut touched,
        ),
    ] {
        if times.is_empty() {
            println!("| {label} | 0 | | | | | | build fails |");
            continue;
        }
        let (median, min, max) = stats(times);
        println!(
            "| {label} | {} | {} | {} | {} | | | ok |",
            times.len(),
            ms(median),
            ms(min),
            ms(max)
        );
    }
}
