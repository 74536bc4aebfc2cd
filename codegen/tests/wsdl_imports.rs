//! WSDL/XSD imports: relative resolution (nested includes, chameleon includes), namespace-only
//! imports, cycles, remote locations through the catalog (never the network), missing files as
//! located errors. Cases 01–04 and 08 of `tests/cases/wsdl` (copied from the shared cases).

use std::path::{Path, PathBuf};

use codegen::model::{Api, TypeKind, TypeRef, XmlField};
use codegen::{Config, Output};

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/wsdl")
        .join(name)
}

fn generate(config: Config) -> Output {
    match config.generate() {
        Ok(o) => o,
        Err(d) => panic!("generation failed:\n{d}"),
    }
}

fn errors(config: Config) -> String {
    match config.generate() {
        Ok(_) => panic!("generation should fail"),
        Err(d) => d.to_string(),
    }
}

/// The type whose XSD key is `key` (`{ns}local`).
fn ty<'a>(api: &'a Api, key: &str) -> &'a codegen::model::TypeDef {
    let found: Vec<_> = api.types.iter().filter(|t| t.key == key).collect();
    assert_eq!(
        found.len(),
        1,
        "exactly one type {key}; have {:?}",
        keys(api)
    );
    found[0]
}

fn keys(api: &Api) -> Vec<&str> {
    api.types.iter().map(|t| t.key.as_str()).collect()
}

fn fields<'a>(api: &'a Api, key: &str) -> &'a [XmlField] {
    match &ty(api, key).kind {
        TypeKind::XmlStruct { fields, .. } => fields,
        other => panic!("{key} is not an XML struct: {other:?}"),
    }
}

fn field<'a>(fields: &'a [XmlField], name: &str) -> &'a XmlField {
    fields
        .iter()
        .find(|f| f.name.wire == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn case01_nested_include_resolves_against_the_including_file() {
    let out = generate(Config::new().wsdl(case("01-nested-include-base/service.wsdl")));
    let item = ty(&out.api, "{urn:a}Item");
    assert!(
        item.origin.contains("xsd/parts/b.xsd"),
        "Item comes from xsd/parts/b.xsd: {}",
        item.origin
    );
    let f = fields(&out.api, "{urn:a}Item");
    let names: Vec<&str> = f.iter().map(|f| f.name.wire.as_str()).collect();
    assert_eq!(names, ["sku", "title", "price"]);
    // An exact decimal, never f64.
    assert_eq!(
        field(f, "price").ty,
        TypeRef::External("$rt::xsd::Decimal".into())
    );
    let op = &out.api.soap[0].operations[0];
    assert_eq!(op.action, "urn:example:catalog#GetItem");
    let input = op.input.as_ref().unwrap();
    assert_eq!(
        (input.namespace.as_str(), input.name.as_str()),
        ("urn:a", "GetItem")
    );
    assert_eq!(
        field(fields(&out.api, "{urn:a}GetItem"), "sku").namespace,
        "urn:a"
    );
}

#[test]
fn case01_output_does_not_depend_on_the_working_directory() {
    let spec = case("01-nested-include-base/service.wsdl");
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for (cwd, arg) in [
        (dir.path().to_path_buf(), spec.clone()),
        (
            case("01-nested-include-base"),
            PathBuf::from("service.wsdl"),
        ),
    ] {
        let target = dir.path().join(format!("out{}", outputs.len()));
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_codegen"))
            .current_dir(&cwd)
            .arg("generate")
            .arg(&arg)
            .args(["--crate-name", "catalog", "--out"])
            .arg(&target)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let text = std::fs::read_to_string(target.join("src/generated/types.rs")).unwrap();
        assert!(!text.contains("decoy"));
        outputs.push(text);
    }
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn case02_chameleon_include_takes_the_includers_namespace() {
    let out = generate(Config::new().wsdl(case("02-chameleon-include/service.wsdl")));
    let f = fields(&out.api, "{urn:t}TagType");
    let label = field(f, "label");
    assert!(!label.attribute && label.namespace == "urn:t");
    let id = field(f, "id");
    assert!(id.attribute && !id.optional && id.namespace.is_empty());
    assert_eq!(id.ty, TypeRef::String);
    let rev = field(f, "rev");
    assert!(rev.attribute && rev.optional && rev.namespace.is_empty());
    assert_eq!(rev.ty, TypeRef::Int32, "Rev restricts xs:int");
    assert_eq!(
        field(fields(&out.api, "{urn:t}SaveTagResponse"), "rev").ty,
        TypeRef::Int32
    );
}

#[test]
fn case03_missing_shared_import_is_a_located_error_with_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let msg = errors(Config::new().wsdl(case("03-missing-shared-import/service.wsdl")));
    assert!(msg.contains("common.xsd"), "{msg}");
    assert!(
        msg.contains("03-missing-shared-import/a.xsd:7:"),
        "a.xsd line 7 is named: {msg}"
    );
    assert!(msg.contains("03-missing-shared-import/b.xsd:7:"), "{msg}");
    assert!(msg.contains("service.wsdl -> a.xsd"), "the chain: {msg}");
    assert!(
        msg.contains(&format!(
            "{}",
            case("03-missing-shared-import")
                .join("common.xsd")
                .display()
        )),
        "the resolved path: {msg}"
    );
    assert!(msg.contains("{urn:common}Party"), "{msg}");
    assert!(
        msg.contains("a.xsd:11:") && msg.contains("b.xsd:11:"),
        "{msg}"
    );
    assert!(msg.contains("catalog"), "how to fix: {msg}");
    assert!(!msg.contains("panicked"));
    // The binary writes nothing and exits non-zero.
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("generate")
        .arg(case("03-missing-shared-import/service.wsdl"))
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(!status.status.success());
    assert!(!out_dir.exists());

    // With common.xsd supplied, generation succeeds and Party is generated once.
    let copy = dir.path().join("case");
    copy_dir(&case("03-missing-shared-import"), &copy);
    std::fs::write(
        copy.join("common.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:common" elementFormDefault="qualified">
  <xs:complexType name="Party"><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:complexType>
</xs:schema>"#,
    )
    .unwrap();
    let out = generate(Config::new().wsdl(copy.join("service.wsdl")));
    ty(&out.api, "{urn:common}Party");
    assert_eq!(
        out.api
            .types
            .iter()
            .filter(|t| t.key == "{urn:common}Party")
            .count(),
        1,
        "Party generated once"
    );
}

#[test]
fn case04_ref_into_another_namespace_and_namespace_only_import() {
    let out = generate(Config::new().wsdl(case("04-ref-other-namespace/service.wsdl")));
    let f = fields(&out.api, "{urn:req}Lookup");
    assert_eq!(field(f, "Session").namespace, "urn:ctx");
    assert_eq!(field(f, "term").namespace, "urn:req");
    let r = fields(&out.api, "{urn:req}LookupResponse");
    assert_eq!(field(r, "hits").ty, TypeRef::Int32);
    assert_eq!(field(r, "Session").namespace, "urn:ctx");
}

#[test]
fn case08_local_element_takes_its_declaring_schemas_namespace() {
    let out =
        generate(Config::new().wsdl(case("08-local-element-declaring-namespace/service.wsdl")));
    assert_eq!(
        out.api.types.iter().filter(|t| t.key == "{urn:a}A").count(),
        1,
        "A generated once"
    );
    let send = fields(&out.api, "{urn:b}Send");
    assert_eq!(field(send, "nested").namespace, "urn:b");
    assert_eq!(
        field(fields(&out.api, "{urn:a}A"), "alpha").namespace,
        "urn:a"
    );
    let resp = fields(&out.api, "{urn:b}SendResponse");
    assert_eq!(field(resp, "nested").ty, field(send, "nested").ty);
}

const WSDL_HEAD: &str = r#"<?xml version="1.0"?>
<wsdl:definitions targetNamespace="urn:svc" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="urn:svc" xmlns:m="urn:m">"#;

fn service_tail(element: &str) -> String {
    format!(
        r#"
  <wsdl:message name="In"><wsdl:part name="p" element="{element}"/></wsdl:message>
  <wsdl:portType name="PT"><wsdl:operation name="Op"><wsdl:input message="tns:In"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:PT"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Op"><soap:operation soapAction="urn:op"/><wsdl:input><soap:body use="literal"/></wsdl:input></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="P" binding="tns:B"><soap:address location="http://localhost/s"/></wsdl:port></wsdl:service>
</wsdl:definitions>"#
    )
}

fn remote_fixture(dir: &Path) -> PathBuf {
    let wsdl = dir.join("svc.wsdl");
    std::fs::write(
        &wsdl,
        format!(
            r#"{WSDL_HEAD}
  <wsdl:types><xs:schema targetNamespace="urn:svc">
    <xs:import namespace="urn:m" schemaLocation="https://schemas.example.com/v1/m.xsd"/>
  </xs:schema></wsdl:types>{}"#,
            service_tail("m:Req")
        ),
    )
    .unwrap();
    // The local copy includes a sibling by a relative location: it resolves against the URL
    // (through the catalog) first.
    std::fs::create_dir_all(dir.join("mirror")).unwrap();
    std::fs::write(
        dir.join("mirror/m.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:m" xmlns:m="urn:m" elementFormDefault="qualified">
  <xs:include schemaLocation="common/parts.xsd"/>
  <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="part" type="m:Part"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("mirror/parts-copy.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:m" elementFormDefault="qualified">
  <xs:complexType name="Part"><xs:sequence><xs:element name="code" type="xs:string"/></xs:sequence></xs:complexType>
</xs:schema>"#,
    )
    .unwrap();
    wsdl
}

#[test]
fn remote_location_without_catalog_entry_is_a_located_error_naming_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = remote_fixture(dir.path());
    let msg = errors(Config::new().wsdl(&wsdl));
    assert!(
        msg.contains("svc.wsdl:6:5"),
        "located at the xs:import: {msg}"
    );
    assert!(
        msg.contains("https://schemas.example.com/v1/m.xsd"),
        "{msg}"
    );
    assert!(msg.contains("catalog"), "{msg}");
    assert!(msg.contains("nothing is downloaded unless"), "{msg}");
}

#[test]
fn remote_locations_resolve_through_the_catalog_never_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = remote_fixture(dir.path());
    let out = generate(
        Config::new()
            .wsdl(&wsdl)
            .catalog_entry(
                "https://schemas.example.com/v1/m.xsd",
                dir.path().join("mirror/m.xsd"),
            )
            .catalog_entry(
                "https://schemas.example.com/v1/common/parts.xsd",
                dir.path().join("mirror/parts-copy.xsd"),
            ),
    );
    assert_eq!(
        field(fields(&out.api, "{urn:m}Part"), "code").namespace,
        "urn:m"
    );
    assert_eq!(
        field(fields(&out.api, "{urn:m}Req"), "part").namespace,
        "urn:m"
    );
}

#[test]
fn a_catalog_entry_can_map_a_namespace() {
    let dir = tempfile::tempdir().unwrap();
    let wsdl = dir.path().join("svc.wsdl");
    std::fs::write(
        &wsdl,
        format!(
            r#"{WSDL_HEAD}
  <wsdl:types><xs:schema targetNamespace="urn:svc"><xs:import namespace="urn:m"/></xs:schema></wsdl:types>{}"#,
            service_tail("m:Req")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("m.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:m" elementFormDefault="qualified">
  <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="x" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>"#,
    )
    .unwrap();
    let out = generate(
        Config::new()
            .wsdl(&wsdl)
            .catalog_entry("urn:m", dir.path().join("m.xsd")),
    );
    assert_eq!(
        field(fields(&out.api, "{urn:m}Req"), "x").ty,
        TypeRef::Int32
    );
}

#[test]
fn import_and_include_cycles_terminate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // WSDL A imports WSDL B imports WSDL A; B's schema imports a.xsd -> b.xsd -> a.xsd, and
    // b.xsd includes itself.
    std::fs::write(
        d.join("a.wsdl"),
        format!(
            r#"{WSDL_HEAD}
  <wsdl:import namespace="urn:svc" location="b.wsdl"/>{}"#,
            service_tail("m:Req").replace(
                r#"<wsdl:message name="In"><wsdl:part name="p" element="m:Req"/></wsdl:message>"#,
                ""
            )
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("b.wsdl"),
        r#"<wsdl:definitions targetNamespace="urn:svc" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:m="urn:m">
  <wsdl:import namespace="urn:svc" location="a.wsdl"/>
  <wsdl:types><xs:schema targetNamespace="urn:svc"><xs:import namespace="urn:m" schemaLocation="a.xsd"/></xs:schema></wsdl:types>
  <wsdl:message name="In"><wsdl:part name="p" element="m:Req"/></wsdl:message>
</wsdl:definitions>"#,
    )
    .unwrap();
    std::fs::write(
        d.join("a.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:m" xmlns:m="urn:m" xmlns:n="urn:n" elementFormDefault="qualified">
  <xs:import namespace="urn:n" schemaLocation="b.xsd"/>
  <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="n" type="n:N"/></xs:sequence></xs:complexType></xs:element>
  <xs:complexType name="M"><xs:sequence><xs:element name="n" type="n:N" minOccurs="0"/></xs:sequence></xs:complexType>
</xs:schema>"#,
    )
    .unwrap();
    std::fs::write(
        d.join("b.xsd"),
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:n" xmlns:m="urn:m" xmlns:n="urn:n" elementFormDefault="qualified">
  <xs:import namespace="urn:m" schemaLocation="a.xsd"/>
  <xs:include schemaLocation="b.xsd"/>
  <xs:complexType name="N"><xs:sequence><xs:element name="m" type="m:M" minOccurs="0"/></xs:sequence></xs:complexType>
</xs:schema>"#,
    )
    .unwrap();
    let out = generate(Config::new().wsdl(d.join("a.wsdl")));
    assert_eq!(out.api.soap.len(), 1);
    assert_eq!(out.api.soap[0].operations.len(), 1);
    ty(&out.api, "{urn:n}N");
    ty(&out.api, "{urn:m}M");
}

#[test]
fn a_bare_xsd_generates_its_types() {
    let out = generate(Config::new().wsdl(case("02-chameleon-include/t.xsd")));
    ty(&out.api, "{urn:t}TagType");
    assert!(out.api.soap.is_empty());
}
