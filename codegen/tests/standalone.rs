//! `codegen generate` writes a standalone crate that compiles with warnings denied, for an
//! OpenAPI and a WSDL document from the shared corpus (copies in tests/buildrs-fixture/specs),
//! and with one module per tag (tags that are keywords, collide or are missing).

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/buildrs-fixture/specs")
        .join(name)
}

/// What one run of `codegen` printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `codegen` with `args`.
fn codegen(args: &[&dyn AsRef<OsStr>]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .expect("codegen runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `codegen` with `args` and asserts that it succeeds.
fn codegen_ok(args: &[&dyn AsRef<OsStr>]) -> Run {
    let run = codegen(args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run
}

#[test]
fn generated_crate_compiles_without_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("petstore-vies");
    let run = codegen_ok(&[
        &"generate",
        &fixture("petstore.yaml"),
        &fixture("checkVatService.wsdl"),
        &"--crate-name",
        &"petstore-vies",
        &"--out",
        &out,
    ]);
    assert!(
        run.stdout.contains("3 REST + 2 SOAP operations"),
        "{}",
        run.stdout
    );
    cargo_check(&out);
}

/// `cargo check` of a generated crate with warnings denied.
fn cargo_check(out: &std::path::Path) {
    cargo_check_with(out, &[]);
}

/// `cargo check` of a generated crate with warnings denied and `extra` arguments.
fn cargo_check_with(out: &std::path::Path, extra: &[&str]) {
    // A target dir of its own, shared between runs, so dependencies compile once.
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/standalone-check");
    let check = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .args(extra)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        check.status.success(),
        "generated crate does not compile cleanly with {extra:?}:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn feature_gates_in_the_config_become_the_crates_features() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("codegen.toml");
    std::fs::write(
        &config,
        "runtime_path = \"::generated_client::runtime\"\n[features]\nrest = \"rest\"\nsoap = \"vat\"\n",
    )
    .expect("write config");
    let out = dir.path().join("gated");
    let run = codegen_ok(&[
        &"generate",
        &fixture("petstore.yaml"),
        &fixture("checkVatService.wsdl"),
        &"--crate-name",
        &"gated",
        &"--config",
        &config,
        &"--out",
        &out,
    ]);
    assert!(
        run.stderr
            .contains("runtime_path '::generated_client::runtime' is ignored"),
        "{}",
        run.stderr
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    for line in [
        "default-features = false, features = []",
        "default = [\"rest\", \"vat\"]",
        "\"rest\" = [\"client-runtime/rest\"]",
        "\"vat\" = [\"client-runtime/soap\"]",
    ] {
        assert!(manifest.contains(line), "{line}: {manifest}");
    }
    // By default both halves are there (an example that names both modules compiles), and
    // each half builds alone without warnings.
    std::fs::create_dir_all(out.join("examples")).expect("examples dir");
    std::fs::write(
        out.join("examples/both.rs"),
        "#[allow(unused_imports)]\nuse gated::{rest, soap};\nfn main() {}\n",
    )
    .expect("example");
    cargo_check_with(&out, &["--examples"]);
    cargo_check_with(&out, &["--no-default-features", "--features", "rest"]);
    cargo_check_with(&out, &["--no-default-features", "--features", "vat"]);
}

#[test]
fn module_per_tag_writes_one_file_per_tag_and_compiles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("tags.yaml");
    // Tags: a plain one, one spelled like the imported `types` module, a Rust keyword, one
    // with spaces, and an operation without a tag.
    let mut doc = String::from("openapi: 3.0.3\ninfo: {title: Tags, version: '1'}\npaths:\n");
    for (path, id, tag) in [
        ("/pets", "listPets", Some("pets")),
        ("/pets/{id}", "getPet", Some("pets")),
        ("/types", "listTypes", Some("types")),
        ("/move", "doMove", Some("move")),
        ("/admin", "adminStats", Some("Store Admin")),
        ("/health", "health", None),
    ] {
        let tags = tag
            .map(|t| format!("      tags: ['{t}']\n"))
            .unwrap_or_default();
        let params = if path.contains("{id}") {
            "      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n"
        } else {
            ""
        };
        doc.push_str(&format!(
            "  {path}:\n    get:\n      operationId: {id}\n{tags}{params}      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{n: {{type: integer}}}}}}\n"
        ));
    }
    std::fs::write(&spec, doc).expect("write spec");
    let config = dir.path().join("codegen.toml");
    std::fs::write(&config, "module_per_tag = true\n").expect("write config");
    let out = dir.path().join("tags-crate");
    codegen_ok(&[
        &"generate",
        &spec,
        &"--crate-name",
        &"tags-crate",
        &"--config",
        &config,
        &"--out",
        &out,
    ]);
    let rest = out.join("src/generated/rest");
    let mut files: Vec<String> = std::fs::read_dir(&rest)
        .expect("rest/ is a directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "mod.rs",
            "move_.rs",
            "pets.rs",
            "store_admin.rs",
            "types_2.rs",
            "untagged.rs"
        ]
    );
    let pets = std::fs::read_to_string(rest.join("pets.rs")).expect("pets.rs");
    assert!(
        pets.contains("pub struct ListPetsRequest") && pets.contains("pub struct GetPetRequest")
    );
    assert!(
        pets.starts_with("// @generated") && pets.contains("//! REST operations tagged `pets`")
    );
    cargo_check(&out);
}

#[test]
fn bad_usage_is_explained() {
    let run = codegen(&[&"generate", &"x.yaml"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("--out is required"), "{}", run.stderr);
}

#[test]
fn a_missing_spec_names_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("x");
    let run = codegen(&[&"generate", &"does-not-exist.json", &"--out", &out]);
    assert_eq!(run.code, Some(2));
    let stderr = run.stderr;
    assert!(
        stderr.contains("error: does-not-exist.json: cannot read the file"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("x").exists(),
        "nothing is written on error"
    );
}

#[test]
fn help_goes_to_stdout_and_succeeds() {
    let run = codegen_ok(&[&"generate", &"--help"]);
    assert!(run.stdout.contains("--allow-network"), "{}", run.stdout);
}

#[test]
fn a_url_spec_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("x");
    let run = codegen(&[
        &"generate",
        &"https://example.invalid/petstore.yaml",
        &"--allow-network",
        &"--out",
        &out,
    ]);
    assert_eq!(run.code, Some(2));
    let stderr = run.stderr;
    assert!(stderr.contains("SPEC must be a local file"), "{stderr}");
}

/// A WSDL saved without an extension (or as `.WSDL`) is read as a WSDL, by its content.
#[test]
fn a_wsdl_without_its_extension_is_recognised() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wsdl = std::fs::read(fixture("checkVatService.wsdl")).expect("fixture");
    for name in ["checkVatService", "checkVatService.WSDL"] {
        let spec = dir.path().join(name);
        std::fs::write(&spec, &wsdl).expect("copy");
        let out = dir.path().join(format!("out-{}", name.replace('.', "-")));
        let run = codegen_ok(&[&"generate", &spec, &"--out", &out]);
        assert!(run.stdout.contains("2 SOAP operations"), "{name}");
    }
}

/// The same document named twice (as SPEC and through another spelling of its path) is
/// generated once: no `all_pets_2` twins.
#[test]
fn a_document_named_twice_is_generated_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = fixture("petstore.yaml");
    let again = spec.parent().expect("dir").join(".").join("petstore.yaml");
    let out = dir.path().join("x");
    let run = codegen_ok(&[&"generate", &spec, &again, &"--out", &out]);
    assert!(
        run.stdout.contains("3 REST + 0 SOAP operations"),
        "{}",
        run.stdout
    );
}
