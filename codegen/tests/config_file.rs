//! `codegen.toml`: every documented key is read; mistakes are located errors.

use std::path::PathBuf;

fn fixture_specs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/buildrs-fixture/specs")
}

#[test]
fn every_key_is_read_and_applied() {
    let dir = tempfile::tempdir().expect("temp dir");
    let specs = fixture_specs();
    let file = dir.path().join("codegen.toml");
    std::fs::write(
        &file,
        format!(
            r##"
openapi = ["{petstore}"]
wsdl = ["{vies}"]
runtime_path = "::client_runtime"
single_file = true
[catalog]
"https://example.com/common.xsd" = "common.xsd"
[attributes]
"/components/schemas/Pet" = ["#[derive(Eq)]"]
"{{urn:ec.europa.eu:taxud:vies:services:checkVat:types}}checkVat" = ["#[derive(Eq)]"]
[types]
"date-time" = "::std::string::String"
[names]
listPets = "all_pets"
Pet = "Animal"
[filter]
include_tags = ["pets"]
exclude_operations = ["createPets", "checkVatApprox"]
include_paths = ["/pets"]
[features]
rest = "with-rest"
soap = "with-soap"
"##,
            petstore = specs.join("petstore.yaml").display(),
            vies = specs.join("checkVatService.wsdl").display()
        ),
    )
    .expect("write");
    let config = codegen::Config::from_file(&file).expect("reads");
    assert!(
        config.inputs().contains(&dir.path().join("common.xsd")),
        "catalog files are inputs"
    );
    assert!(
        config.inputs().contains(&file),
        "the config file is an input"
    );
    let output = config.generate().expect("generates");
    assert_eq!(output.files.len(), 1, "single_file");
    let text = &output.files[0].1;
    assert!(text.contains("pub fn all_pets("), "rename of an operation");
    assert!(text.contains("pub struct Animal"), "rename of a type");
    assert!(!text.contains("pub fn create_pets("), "excluded operation");
    assert!(text.contains("pub fn show_pet_by_id("), "kept operation");
    assert!(
        !text.contains("check_vat_approx"),
        "excluded SOAP operation"
    );
    assert_eq!(
        text.matches("#[derive(Eq)]").count(),
        2,
        "attributes by pointer and by QName"
    );
    assert!(
        text.contains("#[cfg(feature = \"with-rest\")]\npub mod rest {"),
        "REST module gated"
    );
    assert!(
        text.contains("#[cfg(feature = \"with-soap\")]\npub mod soap {"),
        "SOAP module gated"
    );
    assert!(
        text.contains("#[cfg(feature = \"with-soap\")]\n    #[derive(Eq)]"),
        "XSD types gated"
    );
}

#[test]
fn a_feature_name_cargo_would_reject_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("codegen.toml");
    let spec = fixture_specs().join("petstore.yaml");
    std::fs::write(
        &file,
        format!(
            "openapi = [\"{}\"]\n[features]\nrest = \"rest\\\")] fn x() {{}} #[cfg(a\"\n",
            spec.display()
        ),
    )
    .expect("write");
    let err = codegen::Config::from_file(&file)
        .expect("reads")
        .generate()
        .expect_err("invalid feature name");
    let text = err.to_string();
    assert!(text.contains("codegen.toml"), "{text}");
    assert!(text.contains("is not a Cargo feature name"), "{text}");
}

#[test]
fn an_unknown_key_is_a_located_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("codegen.toml");
    std::fs::write(&file, "openapi = []\n\n[filter]\ninclude_tag = [\"x\"]\n").expect("write");
    let err = codegen::Config::from_file(&file).expect_err("unknown key");
    let text = err.to_string();
    assert!(
        text.contains("codegen.toml:4:1: unknown field `include_tag`"),
        "{text}"
    );
}

#[test]
fn an_attribute_for_no_type_is_an_error() {
    let config = codegen::Config::new()
        .openapi(fixture_specs().join("petstore.yaml"))
        .type_attribute("/components/schemas/Nope", "#[derive(Eq)]");
    let text = config.generate().expect_err("no such type").to_string();
    assert!(text.contains("matches no type"), "{text}");
}
