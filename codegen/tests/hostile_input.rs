//! Spec text cannot inject code: hostile names and descriptions become sanitised identifiers,
//! doc text and string literals, and the output still parses as Rust.

use std::path::PathBuf;

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(name)
}

#[test]
fn hostile_names_and_text_are_sanitised() {
    let output = codegen::Config::new()
        .openapi(case("hostile.yaml"))
        .generate()
        .expect("generates");
    for (path, text) in &output.files {
        let file: syn::File = syn::parse_file(text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
        // No item whose name came from spec text other than through sanitising.
        let items = format!("{file:#?}");
        for injected in [
            "injected_title",
            "injected_op",
            "injected_doc",
            "injected_field",
        ] {
            assert!(
                !items.contains(&format!("ident: {injected}")),
                "{injected} became an item in {}",
                path.display()
            );
        }
    }
    let types = &output
        .files
        .iter()
        .find(|(p, _)| p.ends_with("types.rs"))
        .expect("types.rs")
        .1;
    assert!(types.contains("pub struct SelfValue"), "{types}");
    assert!(types.contains("pub enum OptionType"), "{types}");
    assert!(
        types.contains("pub fn_: "),
        "keyword field gets a suffix: {types}"
    );
    assert!(
        types.contains("pub fn_2: "),
        "case-only collision gets a number: {types}"
    );
    let rest = &output
        .files
        .iter()
        .find(|(p, _)| p.ends_with("rest.rs"))
        .expect("rest.rs")
        .1;
    assert!(rest.contains("pub fn x_fn_injected_op("), "{rest}");
    assert!(
        rest.contains("```text"),
        "code fences are retagged so they never run as doctests"
    );
}

#[test]
fn a_template_without_its_parameter_is_a_located_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("missing.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      operationId: getA\n      responses: {'204': {description: none}}\n",
    )
    .expect("write");
    let diags = codegen::Config::new()
        .openapi(&spec)
        .generate()
        .expect_err("must fail");
    let text = diags.to_string();
    assert!(
        text.contains("missing.yaml#/paths/~1a~1{id}/get: path template '/a/{id}' uses '{id}'"),
        "{text}"
    );
    assert!(text.contains("help: declare the parameter"), "{text}");
}
