//! One test per case in `tests/cases/openapi/` (copies of `shared/cases/openapi/`): every fact
//! of the case's `expected.md` is asserted. Generation facts (diagnostics, names, docs) are
//! checked here through the library; behaviour is checked by a driver
//! (`tests/openapi_drivers/caseNN.rs`) that runs as an integration test *of the generated
//! crate* against a loopback axum server recording each request. Every generated crate is
//! written by the `codegen generate` command and built with `-D warnings` in the shared
//! `target/standalone-check` directory.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn case_dir(case: &str) -> PathBuf {
    root().join("tests/cases/openapi").join(case)
}

/// Runs the library pipeline on a case (with optional catalog entries).
fn generate(case: &str, catalog: &[(&str, &str)]) -> Result<codegen::Output, codegen::Diagnostics> {
    let dir = case_dir(case);
    let mut config = codegen::Config::new()
        .openapi(dir.join("spec.yaml"))
        .runtime_path("::client_runtime");
    for (url, file) in catalog {
        config = config.catalog_entry(*url, dir.join(file));
    }
    config.generate()
}

fn file_text(out: &codegen::Output, name: &str) -> String {
    out.files
        .iter()
        .find(|(p, _)| p == Path::new(name))
        .map(|(_, t)| t.clone())
        .unwrap_or_else(|| panic!("no generated file {name}"))
}

/// All generated files parse as Rust.
fn assert_parses(out: &codegen::Output) {
    for (path, text) in &out.files {
        syn::parse_file(text).unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    }
}

/// Generates the case with the `codegen generate` command into `target/openapi-cases/NN`,
/// adds the driver as the crate's integration test, and runs it (`cargo test`, warnings denied).
fn run_driver(case: &str, extra_args: &[&str]) {
    let num = &case[..2];
    let work = root().join("../target/openapi-cases").join(format!("case{num}"));
    let _ = std::fs::remove_dir_all(&work);
    let dir = case_dir(case);
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .current_dir(std::env::temp_dir())
        .arg("generate")
        .arg(dir.join("spec.yaml"))
        .args(extra_args)
        .args(["--crate-name", &format!("case-{num}"), "--out"])
        .arg(&work)
        .output()
        .expect("codegen runs");
    assert!(
        out.status.success(),
        "generation failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest_path = work.join("Cargo.toml");
    let mut manifest = std::fs::read_to_string(&manifest_path).expect("manifest");
    let runtime = std::fs::canonicalize(root().join("../generated-client/runtime")).expect("runtime");
    manifest = manifest.replace(
        "\n# A standalone crate",
        &format!(
            "\n[dev-dependencies]\nclient-runtime = {{ path = {:?} }}\naxum = \"0.8\"\ntokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\", \"time\", \"sync\"] }}\nserde_json = \"1\"\nhttp-body = \"1\"\n\n# A standalone crate",
            runtime.display().to_string()
        ),
    );
    std::fs::write(&manifest_path, manifest).expect("write manifest");
    std::fs::copy(root().join("../Cargo.lock"), work.join("Cargo.lock")).expect("lock");
    std::fs::create_dir_all(work.join("tests/common")).expect("tests dir");
    let drivers = root().join("tests/openapi_drivers");
    std::fs::copy(drivers.join("common.rs"), work.join("tests/common/mod.rs")).expect("common");
    std::fs::copy(drivers.join(format!("case{num}.rs")), work.join("tests/driver.rs")).expect("driver");
    let target = root().join("../target/standalone-check");
    let test = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--offline", "--manifest-path"])
        .arg(&manifest_path)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .env("CASE_DIR", &dir)
        .output()
        .expect("cargo runs");
    assert!(
        test.status.success(),
        "generated crate or its driver failed:\n{}\n{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
}

#[test]
fn openapi_01_swagger2_accepted() {
    let out = generate("01-swagger2-accepted", &[]).expect("a 2.0 document generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    assert!(types.contains("pub struct Thing"), "{types}");
    assert!(types.contains("pub id: i64,"), "{types}");
    assert!(types.contains("pub label: ::std::option::Option<::std::string::String>"), "{types}");
    let rest = file_text(&out, "rest.rs");
    assert!(rest.contains("pub fn get_thing(&self, id: i64)"), "{rest}");
    assert!(rest.contains("pub fn create_thing(&self)"), "{rest}");
    assert!(!rest.contains("fn body(mut self, value: i64"), "{rest}");
    assert_eq!(out.summary.rest_operations, 2);
    run_driver("01-swagger2-accepted", &[]);
}

#[test]
fn openapi_02_unsupported_version() {
    let dir = case_dir("02-unsupported-version");
    let Err(err) = generate("02-unsupported-version", &[]) else {
        panic!("4.0.0 is refused")
    };
    let text = err.to_string();
    assert!(text.contains("spec.yaml"), "{text}");
    assert!(text.contains("line 1"), "{text}");
    assert!(text.contains("#/openapi"), "{text}");
    assert!(text.contains("4.0.0"), "{text}");
    for v in ["Swagger 2.0", "OpenAPI 3.0.x", "OpenAPI 3.1.x"] {
        assert!(text.contains(v), "{text}");
    }
    assert!(!text.contains("did not match any variant") && !text.contains("invalid type"), "{text}");
    // The command: non-zero exit, nothing written, no panic.
    let tmp = tempfile::tempdir().expect("tmp");
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("generate")
        .arg(dir.join("spec.yaml"))
        .arg("--out")
        .arg(tmp.path().join("x"))
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!tmp.path().join("x").exists(), "nothing written");
    // The same file as 3.1.0 generates one operation, ping.
    let text = std::fs::read_to_string(dir.join("spec.yaml")).expect("spec");
    let edited = tmp.path().join("spec.yaml");
    std::fs::write(&edited, text.replacen("4.0.0", "3.1.0", 1)).expect("write");
    let out = codegen::Config::new().openapi(&edited).generate().expect("3.1 generates");
    assert_eq!(out.summary.rest_operations, 1);
    assert!(file_text(&out, "rest.rs").contains("pub fn ping(&self)"));
}

#[test]
fn openapi_03_oneof_of_arrays() {
    let out = generate("03-oneof-of-arrays", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    assert!(types.contains("pub enum Filter {"), "{types}");
    for v in ["StringList(", "IntegerList(", "RangeList("] {
        assert!(types.contains(v), "{v}: {types}");
    }
    for d in out.diagnostics.iter() {
        let text = d.to_string();
        assert!(text.contains("spec.yaml") && text.contains("#/components/schemas/Filter"), "{text}");
    }
    run_driver("03-oneof-of-arrays", &[]);
}

#[test]
fn openapi_13_recursive_schemas() {
    let out = generate("13-recursive-schemas", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    assert!(types.contains("pub parent: ::std::option::Option<::std::boxed::Box<super::types::Node>>"), "{types}");
    assert!(types.contains("pub children: ::std::option::Option<::std::vec::Vec<super::types::Node>>"), "{types}");
    assert!(types.contains("Node(::std::boxed::Box<super::types::Node>)"), "{types}");
    assert_eq!(types.matches("::std::boxed::Box<super::types::Dept>").count() + types.matches("::std::boxed::Box<super::types::Person>").count(), 1, "one box for Dept/Person");
    run_driver("13-recursive-schemas", &[]);
}

#[test]
fn openapi_14_enum_unknown_value() {
    let out = generate("14-enum-unknown-value", &[]).expect("generates");
    assert_parses(&out);
    assert!(file_text(&out, "types.rs").contains("Unknown(::std::string::String)"));
    run_driver("14-enum-unknown-value", &[]);
}

#[test]
fn openapi_15_enum_variant_names() {
    let a = generate("15-enum-variant-names", &[]).expect("generates");
    let b = generate("15-enum-variant-names", &[]).expect("generates");
    assert_eq!(a.files, b.files, "same names on every run");
    assert_parses(&a);
    let types = file_text(&a, "types.rs");
    for wire in ["`count`", "`__count__`", "`Count`", "``", "`+1`", "`-1`", "`1st`"] {
        assert!(types.contains(&format!("/// {wire}")), "doc shows {wire}: {types}");
    }
    run_driver("15-enum-variant-names", &[]);
}

#[test]
fn openapi_16_oneof_overlap() {
    let out = generate("16-oneof-overlap", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    assert!(types.contains("pub enum Shape {"), "{types}");
    // Swapping the branches in the document does not change the order tried.
    let dir = case_dir("16-oneof-overlap");
    let text = std::fs::read_to_string(dir.join("spec.yaml")).expect("spec");
    let swapped = text
        .replace("- $ref: \"#/components/schemas/OneAxis\"", "- $ref: \"#/components/schemas/@@\"")
        .replace("- $ref: \"#/components/schemas/TwoAxes\"", "- $ref: \"#/components/schemas/OneAxis\"")
        .replace("- $ref: \"#/components/schemas/@@\"", "- $ref: \"#/components/schemas/TwoAxes\"");
    assert_ne!(swapped, text, "the branches were swapped");
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("spec.yaml"), swapped).expect("write");
    let out2 = codegen::Config::new().openapi(tmp.path().join("spec.yaml")).runtime_path("::client_runtime").generate().expect("generates");
    let order = |t: &str| t.find("TwoAxes(super").expect("two") < t.find("OneAxis(super").expect("one");
    assert!(order(&types));
    assert!(order(&file_text(&out2, "types.rs")));
    run_driver("16-oneof-overlap", &[]);
}

#[test]
fn openapi_19_query_styles() {
    let out = generate("19-query-styles", &[]).expect("generates");
    assert_parses(&out);
    run_driver("19-query-styles", &[]);
}
