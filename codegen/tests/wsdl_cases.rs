//! WSDL cases whose facts are about what the client sends and decodes: each case generates a
//! crate (under `target/standalone-check/wsdl-cases/`) with a driver test that encodes the
//! request bodies and decodes the case's `response.xml`, compared namespace-aware (prefixes
//! and whitespace between elements free), then `cargo test`s it with warnings denied.

use std::path::PathBuf;
use std::process::Command;

const HELPERS: &str = r#"
use client_runtime::xml::{to_xml_string, ToXml};
use client_runtime::xml_read::{FromXml, XmlNode};

/// (ns, local, attrs sorted, trimmed text, children): prefixes and whitespace are free.
#[derive(Debug, PartialEq)]
struct Canon(String, String, Vec<(String, String, String)>, String, Vec<Canon>);

fn canon(n: &XmlNode) -> Canon {
    let mut attrs = n.attrs.clone();
    attrs.sort();
    Canon(
        n.ns.clone(),
        n.local.clone(),
        attrs,
        n.text.trim().to_owned(),
        n.children.iter().map(canon).collect(),
    )
}

fn assert_xml_eq(actual: &str, expected: &str) {
    let a = canon(&XmlNode::parse(actual).expect("sent XML parses"));
    let e = canon(&XmlNode::parse(expected).expect("expected XML parses"));
    assert_eq!(a, e, "\nsent:     {actual}\nexpected: {expected}");
}

fn body<T: ToXml>(value: &T, ns: &str, local: &str) -> String {
    to_xml_string(value, ns, local)
}

/// The single child of the SOAP Body of `response.xml`, decoded.
fn decode<T: FromXml>(envelope: &str) -> T {
    let env = XmlNode::parse(envelope).expect("envelope parses");
    let body = env.children.iter().find(|c| c.local == "Body").expect("Body");
    T::from_xml(&body.children[0]).expect("decodes")
}
"#;

fn run_case(case: &str, driver: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/wsdl")
        .join(case);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/standalone-check");
    let name = format!("wsdl-case-{}", &case[..2]);
    let out = root.join("wsdl-cases").join(&name);
    let gen = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("generate")
        .arg(dir.join("service.wsdl"))
        .args(["--crate-name", &name, "--out"])
        .arg(&out)
        .output()
        .expect("codegen runs");
    assert!(
        gen.status.success(),
        "{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    let response = dir.join("response.xml");
    let driver = format!(
        "#![allow(dead_code, unused_imports)]\n{HELPERS}\nconst RESPONSE: &str = {:?};\nuse {}::types::*;\n{driver}",
        std::fs::read_to_string(&response).unwrap_or_default(),
        name.replace('-', "_"),
    );
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(out.join("tests/driver.rs"), driver).unwrap();
    let test = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--offline", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &root)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    assert!(
        test.status.success(),
        "{case}: driver failed:\n{}\n{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
}

#[test]
fn case06_global_element_qualified_locals_unqualified() {
    run_case(
        "06-global-element-qualified",
        r##"
#[test]
fn sends_and_decodes() {
    let req = Exec { file: "a.txt".into(), args: vec!["-v".into(), "-x".into()] };
    assert_xml_eq(
        &body(&req, "urn:f", "Exec"),
        r#"<f:Exec xmlns:f="urn:f"><file>a.txt</file><args>-v</args><args>-x</args></f:Exec>"#,
    );
    let empty = Exec { file: "a.txt".into(), args: vec![] };
    assert!(!body(&empty, "urn:f", "Exec").contains("args"));
    let resp: ExecResponse = decode(RESPONSE);
    assert_eq!(resp.exit_code, 0);
}
"##,
    );
}

#[test]
fn case12_sequence_out_of_order_read_tolerant_write_strict() {
    run_case(
        "12-sequence-out-of-order",
        r##"
#[test]
fn sends_and_decodes() {
    let resp: GetPhoneResponse = decode(RESPONSE);
    assert_eq!(resp.phone.name.as_deref(), Some("SEP001"));
    assert_eq!(resp.phone.role.as_deref(), Some("admin"));
    assert_eq!(resp.phone.usage, None);
    let req = UpdatePhone {
        phone: Phone { name: Some("SEP001".into()), usage: Some("line".into()), role: Some("admin".into()) },
    };
    assert_xml_eq(
        &body(&req, "urn:p", "UpdatePhone"),
        r#"<p:UpdatePhone xmlns:p="urn:p"><p:phone><p:name>SEP001</p:name><p:usage>line</p:usage><p:role>admin</p:role></p:phone></p:UpdatePhone>"#,
    );
}
"##,
    );
}

#[test]
fn case16_optional_nillable_has_three_states() {
    run_case(
        "16-optional-nillable-three-states",
        r##"
#[test]
fn sends_and_decodes() {
    let absent = UpdateProfile { profile: Profile { id: "1".into(), nickname: None } };
    assert_xml_eq(
        &body(&absent, "urn:acct", "UpdateProfile"),
        r#"<a:UpdateProfile xmlns:a="urn:acct"><a:profile><a:id>1</a:id></a:profile></a:UpdateProfile>"#,
    );
    let nil = UpdateProfile { profile: Profile { id: "1".into(), nickname: Some(None) } };
    assert_xml_eq(
        &body(&nil, "urn:acct", "UpdateProfile"),
        r#"<a:UpdateProfile xmlns:a="urn:acct" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><a:profile><a:id>1</a:id><a:nickname xsi:nil="true"/></a:profile></a:UpdateProfile>"#,
    );
    let value = UpdateProfile { profile: Profile { id: "1".into(), nickname: Some(Some("bo".into())) } };
    assert!(body(&value, "urn:acct", "UpdateProfile").contains(">bo<"));
    let empty = UpdateProfile { profile: Profile { id: "1".into(), nickname: Some(Some(String::new())) } };
    let sent = body(&empty, "urn:acct", "UpdateProfile");
    assert!(!sent.contains("nil"), "{sent}");
    assert_xml_eq(
        &sent,
        r#"<a:UpdateProfile xmlns:a="urn:acct"><a:profile><a:id>1</a:id><a:nickname/></a:profile></a:UpdateProfile>"#,
    );
    let resp: UpdateProfileResponse = decode(RESPONSE);
    let nicks: Vec<_> = resp.profile.iter().map(|p| p.nickname.clone()).collect();
    assert_eq!(nicks, vec![None, Some(None), Some(Some("bo".to_owned())), Some(Some(String::new()))]);
}
"##,
    );
}

#[test]
fn case11_mutual_recursion_compiles_and_round_trips() {
    run_case(
        "11-mutual-recursion",
        r##"
#[test]
fn sends_and_decodes() {
    let req = GetLayout { name: "main".into() };
    assert_xml_eq(
        &body(&req, "urn:g", "GetLayout"),
        r#"<g:GetLayout xmlns:g="urn:g"><g:name>main</g:name></g:GetLayout>"#,
    );
    let env = XmlNode::parse(RESPONSE).unwrap();
    let reply = &env.children.iter().find(|c| c.local == "Body").unwrap().children[0];
    let resp = GetLayoutResponse::from_xml(reply).expect("decodes");
    assert_xml_eq(&body(&resp, "urn:g", "GetLayoutResponse"), &reply.to_xml());
}
"##,
    );
}

#[test]
fn case05_form_defaults_per_declaration() {
    run_case(
        "05-form-defaults",
        r##"
#[test]
fn sends_and_decodes() {
    let req = RecordType { c: 2, d: 4, v: Some(1), w: Some(3) };
    let sent = body(&req, "urn:u", "Put");
    assert_xml_eq(&sent, r#"<u:Put xmlns:u="urn:u" v="1" u:w="3"><c>2</c><u:d>4</u:d></u:Put>"#);
    let resp: RecordType = decode(RESPONSE);
    assert_eq!((resp.v, resp.w, resp.c, resp.d), (Some(5), Some(6), 7, 8));
    // Round trip: what the client sends reads back equal.
    let back = RecordType::from_xml(&XmlNode::parse(&sent).unwrap()).unwrap();
    assert_eq!(back, req);
}
"##,
    );
}

#[test]
fn case13_enumeration_values_that_look_like_numbers() {
    run_case(
        "13-enum-numeric-values",
        r##"
use client_runtime::xml_read::FromXmlText;

#[test]
fn sends_and_decodes() {
    let all = ["-1", "0", "1", "+1", "1.5"];
    let parsed: Vec<Procedure> = all.iter().map(|v| Procedure::from_xml_text(v).unwrap()).collect();
    for (v, p) in all.iter().zip(&parsed) {
        assert_eq!(p.as_str(), *v);
        assert!(!matches!(p, Procedure::Unknown(_)), "{v} is a declared variant");
    }
    let distinct: std::collections::BTreeSet<String> = parsed.iter().map(|p| format!("{p:?}")).collect();
    assert_eq!(distinct.len(), 5, "five distinct variants: {distinct:?}");
    let resp: SetProcedureResponse = decode(RESPONSE);
    assert_eq!(resp.kind.as_str(), "-1");
    let req = SetProcedure { kind: parsed[4].clone() };
    assert_xml_eq(
        &body(&req, "urn:z", "SetProcedure"),
        r#"<z:SetProcedure xmlns:z="urn:z"><z:kind>1.5</z:kind></z:SetProcedure>"#,
    );
    assert_eq!(Procedure::from_xml_text(" 1 ").unwrap().as_str(), "1");
    // A value outside the list is the documented unknown-value case.
    assert_eq!(Procedure::from_xml_text("2").unwrap(), Procedure::Unknown("2".into()));
}
"##,
    );
}

#[test]
fn case02_chameleon_attributes_are_sent_unqualified() {
    run_case(
        "02-chameleon-include",
        r##"
#[test]
fn sends_and_decodes() {
    let req = SaveTag { tag: TagType { label: "L".into(), id: "x1".into(), rev: Some(3) } };
    assert_xml_eq(
        &body(&req, "urn:t", "SaveTag"),
        r#"<t:SaveTag xmlns:t="urn:t"><t:tag id="x1" rev="3"><t:label>L</t:label></t:tag></t:SaveTag>"#,
    );
    let no_rev = SaveTag { tag: TagType { label: "L".into(), id: "x1".into(), rev: None } };
    assert!(!body(&no_rev, "urn:t", "SaveTag").contains("rev"));
    let resp: SaveTagResponse = decode(RESPONSE);
    assert_eq!(resp.rev, 4);
}
"##,
    );
}
