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
    let work = root()
        .join("../target/openapi-cases")
        .join(format!("case{num}"));
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
    let runtime =
        std::fs::canonicalize(root().join("../generated-client/runtime")).expect("runtime");
    manifest = manifest.replace(
        "\n# A standalone crate",
        &format!(
            "\n[dev-dependencies]\nclient-runtime = {{ path = {:?} }}\naxum = {{ version = \"0.8\", features = [\"multipart\"] }}\ntokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\", \"time\", \"sync\"] }}\nserde_json = \"1\"\nhttp-body = \"1\"\n\n# A standalone crate",
            runtime.display().to_string()
        ),
    );
    std::fs::write(&manifest_path, manifest).expect("write manifest");
    std::fs::copy(root().join("../Cargo.lock"), work.join("Cargo.lock")).expect("lock");
    std::fs::create_dir_all(work.join("tests/common")).expect("tests dir");
    let drivers = root().join("tests/openapi_drivers");
    std::fs::copy(drivers.join("common.rs"), work.join("tests/common/mod.rs")).expect("common");
    std::fs::copy(
        drivers.join(format!("case{num}.rs")),
        work.join("tests/driver.rs"),
    )
    .expect("driver");
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
    assert!(
        types.contains("pub label: ::std::option::Option<::std::string::String>"),
        "{types}"
    );
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
    assert!(
        !text.contains("did not match any variant") && !text.contains("invalid type"),
        "{text}"
    );
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
    let out = codegen::Config::new()
        .openapi(&edited)
        .generate()
        .expect("3.1 generates");
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
        assert!(
            text.contains("spec.yaml") && text.contains("#/components/schemas/Filter"),
            "{text}"
        );
    }
    run_driver("03-oneof-of-arrays", &[]);
}

#[test]
fn openapi_13_recursive_schemas() {
    let out = generate("13-recursive-schemas", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    assert!(
        types.contains("pub parent: ::std::option::Option<::std::boxed::Box<super::types::Node>>"),
        "{types}"
    );
    assert!(
        types.contains("pub children: ::std::option::Option<::std::vec::Vec<super::types::Node>>"),
        "{types}"
    );
    assert!(
        types.contains("Node(::std::boxed::Box<super::types::Node>)"),
        "{types}"
    );
    assert_eq!(
        types
            .matches("::std::boxed::Box<super::types::Dept>")
            .count()
            + types
                .matches("::std::boxed::Box<super::types::Person>")
                .count(),
        1,
        "one box for Dept/Person"
    );
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
    for wire in [
        "`count`",
        "`__count__`",
        "`Count`",
        "``",
        "`+1`",
        "`-1`",
        "`1st`",
    ] {
        assert!(
            types.contains(&format!("/// {wire}")),
            "doc shows {wire}: {types}"
        );
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
        .replace(
            "- $ref: \"#/components/schemas/OneAxis\"",
            "- $ref: \"#/components/schemas/@@\"",
        )
        .replace(
            "- $ref: \"#/components/schemas/TwoAxes\"",
            "- $ref: \"#/components/schemas/OneAxis\"",
        )
        .replace(
            "- $ref: \"#/components/schemas/@@\"",
            "- $ref: \"#/components/schemas/TwoAxes\"",
        );
    assert_ne!(swapped, text, "the branches were swapped");
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("spec.yaml"), swapped).expect("write");
    let out2 = codegen::Config::new()
        .openapi(tmp.path().join("spec.yaml"))
        .runtime_path("::client_runtime")
        .generate()
        .expect("generates");
    let order =
        |t: &str| t.find("TwoAxes(super").expect("two") < t.find("OneAxis(super").expect("one");
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

#[test]
fn openapi_07_multipart_files() {
    let out = generate("07-multipart-files", &[]).expect("generates");
    assert_parses(&out);
    let rest = file_text(&out, "rest.rs");
    let flat: String = rest.split_whitespace().collect();
    assert!(
        flat.contains("V:::std::convert::Into<::client_runtime::FilePart>"),
        "files as (name, bytes) values: {rest}"
    );
    assert!(
        flat.contains("pubfnmeta(mutself,value:super::types::Meta)"),
        "meta typed: {rest}"
    );
    assert!(
        rest.contains("form.json(\"meta\", \"application/json\", value)"),
        "{rest}"
    );
    assert!(
        !file_text(&out, "types.rs").contains("pub struct UploadRequest"),
        "no JSON body type for the form"
    );
    assert_eq!(out.summary.untyped_fields, 0);
    run_driver("07-multipart-files", &[]);
}

#[test]
fn openapi_08_anyof_required_only() {
    let out = generate("08-anyof-required-only", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    assert!(types.contains("pub struct License"), "{types}");
    assert!(!types.contains("pub enum"), "no union: {types}");
    assert!(
        types.contains("At least one of `name`, `path` must be present"),
        "{types}"
    );
    run_driver("08-anyof-required-only", &[]);
}

#[test]
fn openapi_09_allof_constraints() {
    let out = generate("09-allof-constraints", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    assert!(types.contains("Bounds: 0 \\<= value \\<= 999."), "{types}");
    assert!(
        types.contains("pub type Weight = ::client_runtime::serde_json::Number;"),
        "{types}"
    );
    assert!(types.contains("pub type Slots = i64;"), "{types}");
    let warnings: Vec<String> = out.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("spec.yaml#/components/schemas/Slots")
                && w.contains("minimum 10")
                && w.contains("maximum 5")),
        "{warnings:?}"
    );
    let again = generate("09-allof-constraints", &[]).expect("generates");
    assert_eq!(out.files, again.files, "byte-identical runs");
    run_driver("09-allof-constraints", &[]);
}

#[test]
fn openapi_10_external_refs() {
    let url = "https://example.org/schemas/geo.yaml";
    let Err(err) = generate("10-external-refs", &[]) else {
        panic!("an unmapped URL fails")
    };
    let text = err.to_string();
    assert!(
        text.contains(url) && text.contains("spec.yaml") && text.contains("line 37"),
        "{text}"
    );
    assert!(
        text.contains("#/components/schemas/Finding/properties/geo"),
        "{text}"
    );
    assert!(
        text.contains("--catalog") && text.contains("vendor"),
        "{text}"
    );
    // The command writes nothing.
    let tmp = tempfile::tempdir().expect("tmp");
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .current_dir(tmp.path())
        .arg("generate")
        .arg(case_dir("10-external-refs").join("spec.yaml"))
        .arg("--out")
        .arg(tmp.path().join("x"))
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(!tmp.path().join("x").exists());
    let out =
        generate("10-external-refs", &[(url, "vendor/geo.yaml")]).expect("mapped URL generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    assert_eq!(types.matches("pub struct Cvss ").count(), 1, "{types}");
    assert!(types.contains("pub struct Point"), "{types}");
    assert!(
        types.contains("pub lat: ::client_runtime::serde_json::Number"),
        "{types}"
    );
    let geo = case_dir("10-external-refs").join("vendor/geo.yaml");
    run_driver(
        "10-external-refs",
        &["--catalog", &format!("{url}={}", geo.display())],
    );
}

#[test]
fn openapi_11_nullable_3_0() {
    let out = generate("11-nullable-3-0", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    assert!(
        types.contains("pub blob: ::std::option::Option<::client_runtime::Base64>"),
        "{types}"
    );
    assert!(
        types.contains("pub owner: ::std::option::Option<super::types::User>"),
        "{types}"
    );
    let warnings: Vec<String> = out.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("#/components/schemas/Cred/properties/manager")),
        "{warnings:?}"
    );
    run_driver("11-nullable-3-0", &[]);
}

#[test]
fn openapi_12_nullable_3_1() {
    let out = generate("12-nullable-3-1", &[]).expect("3.1 generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    assert!(
        types.contains("pub text: ::std::option::Option<::std::string::String>"),
        "{types}"
    );
    assert!(types.contains("/// Who reviewed the note."), "{types}");
    assert!(
        types.contains("pub kind: ::client_runtime::Id"),
        "string-or-integer, not Value: {types}"
    );
    run_driver("12-nullable-3-1", &[]);
}

#[test]
fn openapi_17_keywords_and_odd_names() {
    let out = generate("17-keywords-and-odd-names", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    for wire in [
        "\"type\"",
        "\"ref\"",
        "\"1st\"",
        "\"café\"",
        "\"fooBar\"",
        "\"foo_bar\"",
        "\"foo-bar\"",
    ] {
        assert!(
            types.contains(&format!("rename = {wire}")),
            "{wire}: {types}"
        );
    }
    assert!(!types.contains("pub struct Self "), "{types}");
    assert!(types.contains("pub struct BitbucketAppsRepo"), "{types}");
    assert!(!types.contains("Period"), "{types}");
    assert!(file_text(&out, "rest.rs").contains("super::types::ResultType"));
    run_driver("17-keywords-and-odd-names", &[]);
}

#[test]
fn openapi_18_generated_name_clash() {
    let out = generate("18-generated-name-clash", &[]).expect("generates");
    assert_parses(&out);
    let again = generate("18-generated-name-clash", &[]).expect("generates");
    assert_eq!(out.files, again.files, "deterministic");
    let rest = file_text(&out, "rest.rs");
    let send = &rest[rest.find("impl UpdateClientRequest3").expect("builder")..];
    let send = &send[send.find("pub async fn send").expect("send")..];
    let sig: String = send[..send.find('{').expect("body")]
        .split_whitespace()
        .collect();
    assert!(
        sig.contains("Result<super::types::UpdateClientResponse,::client_runtime::Error"),
        "{sig}"
    );
    assert!(
        !file_text(&out, "types.rs").contains("UpdateClientResponse2"),
        "no wrapper reusing the name"
    );
    run_driver("18-generated-name-clash", &[]);
}

#[test]
fn openapi_05_empty_json_body() {
    let out = generate("05-empty-json-body", &[]).expect("generates");
    assert_parses(&out);
    run_driver("05-empty-json-body", &[]);
}

#[test]
fn openapi_06_request_media_types() {
    let out = generate("06-request-media-types", &[]).expect("generates");
    assert_parses(&out);
    assert_eq!(out.summary.rest_operations, 2, "no operation dropped");
    let rest = file_text(&out, "rest.rs");
    assert!(!rest.contains("todo!"), "{rest}");
    run_driver("06-request-media-types", &[]);
}

#[test]
fn openapi_04_several_responses() {
    let out = generate("04-several-responses", &[]).expect("generates");
    assert_parses(&out);
    let rest = file_text(&out, "rest.rs");
    assert!(rest.contains("pub enum GetUserSuccess"), "{rest}");
    run_driver("04-several-responses", &[]);
}

#[test]
fn openapi_20_security_schemes() {
    let out = generate("20-security-schemes", &[]).expect("generates");
    assert_parses(&out);
    let root = file_text(&out, "mod.rs");
    for m in [
        "pub fn key(",
        "pub fn qk(",
        "pub fn ck(",
        "pub fn tok(",
        "pub fn bas(",
    ] {
        assert!(root.contains(m), "{m}: {root}");
    }
    run_driver("20-security-schemes", &[]);
}

#[test]
fn openapi_21_request_body_refs() {
    let out = generate("21-request-body-refs", &[]).expect("generates");
    assert_parses(&out);
    assert_eq!(out.summary.rest_operations, 3, "no operation dropped");
    assert!(
        out.diagnostics.iter().next().is_none(),
        "no warnings: {:?}",
        out.diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
    );
    let rest = file_text(&out, "rest.rs");
    assert_eq!(
        rest.matches("pub fn body(mut self, value: super::types::Pet)")
            .count(),
        3,
        "{rest}"
    );
    assert!(rest.contains("pub fn tag("), "{rest}");
    run_driver("21-request-body-refs", &[]);
}

#[test]
fn openapi_22_form_urlencoded_body() {
    let out = generate("22-form-urlencoded-body", &[]).expect("generates");
    assert_parses(&out);
    assert!(file_text(&out, "rest.rs").contains("request.form_body(body)?"));
    run_driver("22-form-urlencoded-body", &[]);
}

#[test]
fn openapi_23_loose_schemas() {
    let out = generate("23-loose-schemas", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    let flat: String = types.split_whitespace().collect();
    for field in [
        "pubpull_requests:::std::option::Option<::std::vec::Vec<super::types::PullRequest>>",
        "pubpayload:::std::option::Option<::std::string::String>",
        "pubcounts:::std::option::Option<::std::collections::BTreeMap<::std::string::String,i64>,>",
        "pubdomains:::std::option::Option<::std::vec::Vec<::std::string::String>>",
    ] {
        assert!(flat.contains(field), "{field}: {types}");
    }
    assert_eq!(
        out.summary.untyped_fields, 2,
        "anything and free_list stay Value: {types}"
    );
}

#[test]
fn openapi_24_wide_by_value_graph() {
    let out = generate("24-wide-by-value-graph", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    let flat: String = types.split_whitespace().collect();
    for small in [
        "puba:::std::option::Option<super::types::Level5>",
        "puba:::std::option::Option<super::types::Level6>",
    ] {
        assert!(flat.contains(small), "{small} stays inline: {types}");
    }
    run_driver("24-wide-by-value-graph", &[]);
    assert!(
        flat.contains("puba:::std::option::Option<::std::boxed::Box<super::types::Level4>>"),
        "Level3 boxes its Level4 members: {types}"
    );
}

#[test]
fn openapi_25_alias_in_a_cycle() {
    let out = generate("25-alias-in-a-cycle", &[]).expect("generates");
    assert_parses(&out);
    let types = file_text(&out, "types.rs");
    let flat: String = types.split_whitespace().collect();
    assert!(
        flat.contains("pubnext:::std::option::Option<::std::boxed::Box<super::types::NodeRef>>"),
        "{types}"
    );
    run_driver("25-alias-in-a-cycle", &[]);
}
