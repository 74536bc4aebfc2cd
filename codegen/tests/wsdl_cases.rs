//! WSDL cases whose facts are about what the client sends and decodes: each case generates a
//! crate (under `target/standalone-check/wsdl-cases/`) with a driver test that encodes the
//! request bodies and decodes the case's `response.xml`, compared namespace-aware (prefixes
//! and whitespace between elements free), then `cargo test`s it with warnings denied.
//! Bodies a driver passes to `record` are then validated against the case's WSDL schemas
//! with Python `xmlschema` (`CROSSCHECK_PYTHON`, else `.venv/bin/python`; skipped with a
//! notice when neither exists, a failure under `CI=true`).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

const HELPERS: &str = r#"
use client_runtime::xml::{to_xml_string, ToXml};
use client_runtime::xml_read::{FromXml, XmlNode};

/// (ns, local, attrs sorted, trimmed text, children): prefixes and whitespace are free;
/// `xsi:type` values compare as `{namespace}local`.
#[derive(Debug, PartialEq)]
struct Canon(String, String, Vec<(String, String, String)>, String, Vec<Canon>);

fn canon(n: &XmlNode) -> Canon {
    let mut attrs: Vec<(String, String, String)> = n
        .attrs
        .iter()
        .map(|(ns, l, v)| match n.resolve_qname(v) {
            Some((tns, tl)) if ns == client_runtime::xml::XSI_NS && l == "type" => {
                (ns.clone(), l.clone(), format!("{{{tns}}}{tl}"))
            }
            _ => (ns.clone(), l.clone(), v.clone()),
        })
        .collect();
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

/// The single child of the SOAP Body of an envelope, decoded (or the decode error).
fn try_decode<T: FromXml>(envelope: &str) -> Result<T, client_runtime::xml_read::XmlError> {
    let env = XmlNode::parse(envelope)?;
    let body = env.children.iter().find(|c| c.local == "Body").expect("Body");
    T::from_xml(&body.children[0])
}

/// The single child of the SOAP Body of `response.xml`, decoded.
fn decode<T: FromXml>(envelope: &str) -> T {
    try_decode(envelope).expect("decodes")
}

/// The same as [`decode`] for a bare element.
fn decode_element<T: FromXml>(xml: &str) -> T {
    T::from_xml(&XmlNode::parse(xml).expect("parses")).expect("decodes")
}

/// `RESPONSE` with `from` replaced by `to` (a variant of the case's reply); `from` must occur.
fn reply_with(from: &str, to: &str) -> String {
    assert!(RESPONSE.contains(from), "{from}");
    RESPONSE.replacen(from, to, 1)
}

/// Keeps a sent body for the schema validation that runs after the driver.
fn record(name: &str, xml: &str) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sent");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(format!("{dir}/{name}.xml"), xml).unwrap();
}
"#;

/// Validates every body the driver recorded under `sent/` against the schemas of `wsdl`.
fn validate_sent(case: &str, wsdl: &Path, sent: &Path) {
    let Ok(entries) = std::fs::read_dir(sent) else {
        return;
    };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    let Some(python) = support::crosscheck_python() else {
        return;
    };
    const SCRIPT: &str = r#"
import sys
from xmlschema.extras.wsdl import Wsdl11Document
schema = Wsdl11Document(sys.argv[1]).schema
bad = 0
for f in sys.argv[2:]:
    errors = list(schema.iter_errors(open(f).read()))
    if errors:
        bad += 1
        print(f, errors[0])
sys.exit(1 if bad else 0)
"#;
    let out = Command::new(&python)
        .args(["-c", SCRIPT])
        .arg(wsdl)
        .args(&files)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{case}: a sent body does not validate against the WSDL's schemas:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!files.is_empty());
}

/// Generates the case's crate, runs `driver` as its test and validates what it sent.
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
    let _ = std::fs::remove_dir_all(out.join("sent"));
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
    validate_sent(case, &dir.join("service.wsdl"), &out.join("sent"));
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

/// The same case generated with `keep_unknown_elements = true` (a codegen.toml given with
/// `--config`): undeclared elements survive a decode and are sent back.
#[test]
fn case12_keep_unknown_elements_round_trips_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let config = dir.path().join("codegen.toml");
    std::fs::write(&config, "keep_unknown_elements = true\n").expect("config");
    run_loopback_case(
        "12-sequence-out-of-order",
        &["--config", config.to_str().expect("utf-8")],
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

/// Generates a case with the `codegen generate` command into `target/wsdl-cases/caseNN`
/// (plus any `extra_args`), adds `tests/wsdl_drivers/caseNN.rs` as its integration test
/// (with the loopback server of `tests/openapi_drivers/common.rs`), and runs it with
/// warnings denied. `CASE_DIR` points the driver at the case's files.
fn run_loopback_case(case: &str, extra_args: &[&str]) {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest_dir.join("tests/cases/wsdl").join(case);
    let num = &case[..2];
    let name = format!("wsdl-case-{num}");
    let work = manifest_dir
        .join("../target/wsdl-cases")
        .join(format!("case{num}"));
    let _ = std::fs::remove_dir_all(&work);
    let gen = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("generate")
        .arg(dir.join("service.wsdl"))
        .args(extra_args)
        .args(["--crate-name", &name, "--out"])
        .arg(&work)
        .output()
        .expect("codegen runs");
    assert!(
        gen.status.success(),
        "{case}: generation failed:\n{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    let manifest_path = work.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .expect("manifest")
        .replace(
            "\n# A standalone crate",
            "\n[dev-dependencies]\naxum = \"0.8\"\ntokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\", \"time\", \"sync\"] }\nserde_json = \"1\"\nhttp-body = \"1\"\n\n# A standalone crate",
        );
    std::fs::write(&manifest_path, manifest).expect("write manifest");
    std::fs::copy(manifest_dir.join("../Cargo.lock"), work.join("Cargo.lock")).expect("lock");
    std::fs::create_dir_all(work.join("tests/common")).expect("tests dir");
    std::fs::copy(
        manifest_dir.join("tests/openapi_drivers/common.rs"),
        work.join("tests/common/mod.rs"),
    )
    .expect("common");
    std::fs::copy(
        manifest_dir.join(format!("tests/wsdl_drivers/case{num}.rs")),
        work.join("tests/driver.rs"),
    )
    .expect("driver");
    let test = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--offline", "--manifest-path"])
        .arg(&manifest_path)
        .env(
            "CARGO_TARGET_DIR",
            manifest_dir.join("../target/standalone-check"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .env("CASE_DIR", &dir)
        .output()
        .expect("cargo runs");
    assert!(
        test.status.success(),
        "{case}: generated crate or its driver failed:\n{}\n{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );
}

#[test]
fn case21_typed_fault_detail() {
    run_loopback_case("21-typed-fault-detail", &[]);
}

#[test]
fn case01_nested_include_item_with_exact_decimal() {
    run_case(
        "01-nested-include-base",
        r##"
use client_runtime::xsd::Decimal;

#[test]
fn sends_and_decodes() {
    let req = GetItem { sku: "A-1".into() };
    record("get-item", &body(&req, "urn:a", "GetItem"));
    assert_xml_eq(&body(&req, "urn:a", "GetItem"), r#"<a:GetItem xmlns:a="urn:a"><a:sku>A-1</a:sku></a:GetItem>"#);
    let resp: GetItemResponse = decode(RESPONSE);
    let Item { sku, title, price } = resp.item;
    assert_eq!((sku.as_str(), title.as_str()), ("A-1", "Lamp"));
    assert_eq!(price, Decimal::parse("19.90").unwrap());
    assert_eq!(price.as_str(), "19.90", "the exact text, no float rounding");
}
"##,
    );
}

#[test]
fn case04_ref_into_another_namespace_on_the_wire() {
    run_case(
        "04-ref-other-namespace",
        r##"
#[test]
fn sends_and_decodes() {
    let req = Lookup { session: "s1".into(), term: "rust".into() };
    record("lookup", &body(&req, "urn:req", "Lookup"));
    assert_xml_eq(
        &body(&req, "urn:req", "Lookup"),
        r#"<r:Lookup xmlns:r="urn:req"><c:Session xmlns:c="urn:ctx">s1</c:Session><r:term>rust</r:term></r:Lookup>"#,
    );
    let resp: LookupResponse = decode(RESPONSE);
    assert_eq!((resp.hits, resp.session.as_str()), (3, "s1"));
    let default_ns = reply_with(r#"<c:Session xmlns:c="urn:ctx">"#, r#"<Session xmlns="urn:ctx">"#).replace("</c:Session>", "</Session>");
    let again: LookupResponse = decode(&default_ns);
    assert_eq!(again, resp);
}
"##,
    );
}

#[test]
fn case08_local_element_namespace_on_the_wire() {
    run_case(
        "08-local-element-declaring-namespace",
        r##"
#[test]
fn sends_and_decodes() {
    let req = Send { nested: A { alpha: 1 } };
    record("send", &body(&req, "urn:b", "Send"));
    assert_xml_eq(
        &body(&req, "urn:b", "Send"),
        r#"<b:Send xmlns:b="urn:b"><b:nested><a:alpha xmlns:a="urn:a">1</a:alpha></b:nested></b:Send>"#,
    );
    let resp: SendResponse = decode(RESPONSE);
    assert_eq!(resp.nested.alpha, 2);
}
"##,
    );
}

#[test]
fn case07_xsi_type_prefix_from_the_reply() {
    run_case(
        "07-xsi-type-server-prefix",
        r##"
use client_runtime::xsd::Decimal;

fn quote(resp: GetQuoteResponse) -> Quote {
    match resp.return_ {
        Some(Some(AnyInstrument::Quote(q))) => *q,
        other => panic!("not a Quote: {other:?}"),
    }
}

#[test]
fn decodes_the_derived_type() {
    let q = quote(decode(RESPONSE));
    assert_eq!(q.symbol, Some(Some("IBM".to_owned())));
    assert_eq!(q.last, Some(Decimal::parse("141.25").unwrap()));
    assert_eq!(q.volume, Some(120000));
    // The prefix renamed and declared on the Envelope instead.
    let moved = reply_with(r#" xmlns:ax21="urn:x/xsd""#, "")
        .replace("ax21:", "zz:")
        .replacen("<soapenv:Envelope ", r#"<soapenv:Envelope xmlns:zz="urn:x/xsd" "#, 1);
    assert_eq!(quote(decode(&moved)), q);
    // An unprefixed xsi:type with urn:x/xsd as the default namespace.
    let default_ns = reply_with(r#"xmlns:ax21="urn:x/xsd""#, r#"xmlns="urn:x/xsd" xmlns:ax21="urn:x/xsd""#)
        .replace(r#"xsi:type="ax21:Quote""#, r#"xsi:type="Quote""#);
    assert_eq!(quote(decode(&default_ns)), q);
    // An unknown derived type is a decode error naming it.
    let err = try_decode::<GetQuoteResponse>(&reply_with("ax21:Quote", "ax21:Bond")).unwrap_err();
    assert!(err.0.contains("{urn:x/xsd}Bond"), "{err}");
    // Without xsi:type the declared (concrete) type.
    match decode::<GetQuoteResponse>(&reply_with(r#" xsi:type="ax21:Quote""#, "")).return_ {
        Some(Some(AnyInstrument::Instrument(i))) => assert_eq!(i.symbol, Some(Some("IBM".to_owned()))),
        other => panic!("{other:?}"),
    }
}
"##,
    );
}

#[test]
fn case17_abstract_type_chosen_by_xsi_type() {
    run_case(
        "17-abstract-type-xsi-type",
        r##"
#[test]
fn sends_and_decodes() {
    let resp: FetchResponse = decode(RESPONSE);
    match &resp.doc {
        AnyDoc::Memo(m) => assert_eq!((m.id.as_str(), m.text.as_str()), ("7", "hi")),
        other => panic!("{other:?}"),
    }
    // The enum has only the concrete types: no variant holds a bare Doc.
    let req = Store { doc: AnyDoc::Letter(Box::new(Letter { id: "8".into(), to: "Bob".into() })) };
    assert_xml_eq(
        &body(&req, "urn:docs", "Store"),
        r#"<d:Store xmlns:d="urn:docs"><d:doc xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="d:Letter"><d:id>8</d:id><d:to>Bob</d:to></d:doc></d:Store>"#,
    );
    let sent = body(&req, "urn:docs", "Store");
    record("store-letter", &sent);
    let back = Store::from_xml(&XmlNode::parse(&sent).unwrap()).unwrap();
    assert_eq!(back, req);
    let err = try_decode::<FetchResponse>(&reply_with(r#" xsi:type="d:Memo""#, "")).unwrap_err();
    assert!(err.0.contains("'doc'") && err.0.contains("Doc") && err.0.contains("abstract"), "{err}");
    let err = try_decode::<FetchResponse>(&reply_with("d:Memo", "d:Fax")).unwrap_err();
    assert!(err.0.contains("{urn:docs}Fax"), "{err}");
}
"##,
    );
}

#[test]
fn case09_repeating_choices_are_ordered_lists() {
    run_case(
        "09-repeating-choices",
        r##"
#[test]
fn sends_and_decodes() {
    let resp: SubmitResponse = decode(RESPONSE);
    assert_eq!(resp.batch.a_or_b, vec![BatchAOrB::A("1".into()), BatchAOrB::B("2".into())]);
    assert_eq!(resp.batch.c_or_d, vec![BatchCOrD::D("3".into())]);
    let other: Batch = decode_element(r#"<k:batch xmlns:k="urn:k"><k:a>1</k:a><k:c>2</k:c><k:d>3</k:d></k:batch>"#);
    assert_eq!(other.a_or_b, vec![BatchAOrB::A("1".into())]);
    assert_eq!(other.c_or_d, vec![BatchCOrD::C("2".into()), BatchCOrD::D("3".into())]);
    let req = Submit {
        batch: Batch { a_or_b: vec![BatchAOrB::B("x".into())], c_or_d: vec![BatchCOrD::C("y".into()), BatchCOrD::D("z".into())] },
    };
    record("submit", &body(&req, "urn:k", "Submit"));
    assert_xml_eq(
        &body(&req, "urn:k", "Submit"),
        r#"<k:Submit xmlns:k="urn:k"><k:batch><k:b>x</k:b><k:c>y</k:c><k:d>z</k:d></k:batch></k:Submit>"#,
    );
    assert_xml_eq(
        &body(&resp.batch, "urn:k", "batch"),
        r#"<k:batch xmlns:k="urn:k"><k:a>1</k:a><k:b>2</k:b><k:d>3</k:d></k:batch>"#,
    );
    // maxOccurs 2: a third item in either list is refused when encoding.
    use client_runtime::xml::try_to_xml_string;
    assert!(try_to_xml_string(&req, "urn:k", "Submit").is_ok());
    let mut three = req.clone();
    three.batch.a_or_b = vec![BatchAOrB::A("1".into()), BatchAOrB::B("2".into()), BatchAOrB::A("3".into())];
    let err = try_to_xml_string(&three, "urn:k", "Submit").unwrap_err();
    assert!(err.0.contains("aOrB") && err.0.contains("at most 2"), "{err}");
    let mut three = req.clone();
    three.batch.c_or_d.push(BatchCOrD::C("w".into()));
    let err = try_to_xml_string(&three, "urn:k", "Submit").unwrap_err();
    assert!(err.0.contains("cOrD") && err.0.contains("maxOccurs"), "{err}");
}
"##,
    );
    // The generated Submit call refuses the third item before sending (loopback driver).
    run_loopback_case("09-repeating-choices", &[]);
}

#[test]
fn case10_mixed_content_and_any_kept_in_order_and_decoding_ends() {
    run_case(
        "10-mixed-any-terminates",
        r##"
use client_runtime::xml::RawXml;

/// Runs `f` on another thread and fails when it takes longer than 5 s.
fn within_5s<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || { let _ = tx.send(f()); });
    rx.recv_timeout(std::time::Duration::from_secs(5)).expect("finishes within 5 s")
}

fn raw(xml: &str) -> RawXml {
    RawXml(XmlNode::parse(xml).unwrap().to_xml())
}

#[test]
fn decodes_in_order_and_round_trips() {
    let resp: GetNoteResponse = within_5s(|| decode(RESPONSE));
    assert_eq!(
        resp.note.content,
        vec![
            BoxContent::Text("Hello ".into()),
            BoxContent::Known("k1".into()),
            BoxContent::Text(" and ".into()),
            BoxContent::Any(raw(r#"<x:Other xmlns:x="urn:other"><x:deep>d</x:deep></x:Other>"#)),
            BoxContent::Text(" then ".into()),
            // Not allowed by ##other: kept as raw XML (the reader keeps what it does not know).
            BoxContent::Any(raw(r#"<b:Extra xmlns:b="urn:box">e</b:Extra>"#)),
            BoxContent::Text(" bye".into()),
            BoxContent::Known("k2".into()),
        ]
    );
    let sent = body(&resp.note, "urn:box", "note");
    assert!(sent.contains("Hello <"), "{sent}");
    let back: BoxType = decode_element(&sent);
    assert_eq!(back, resp.note, "{sent}");
    let other = XmlNode::parse(&sent).unwrap().children.into_iter().find(|c| c.local == "Other").unwrap();
    assert_eq!((other.ns.as_str(), other.children[0].local.as_str()), ("urn:other", "deep"));
}

#[test]
fn fuzz_unknown_elements_always_end() {
    let note_start = RESPONSE.find("<b:note>").unwrap() + "<b:note>".len();
    let note_end = RESPONSE.find("</b:note>").unwrap();
    let positions: Vec<usize> = (note_start..=note_end).filter(|i| RESPONSE.is_char_boundary(*i)).collect();
    let deep = format!("{}x{}", "<u:n xmlns:u=\"urn:u\">".repeat(1000), "</u:n>".repeat(1000));
    let inserts = ["<u:z xmlns:u=\"urn:u\"/>".to_owned(), "<b:Unknown>t</b:Unknown>".to_owned(), "<Known/>".to_owned(), deep];
    within_5s(move || {
        let mut outcomes = 0;
        for at in positions {
            for ins in &inserts {
                let mut doc = RESPONSE.to_owned();
                doc.insert_str(at, ins);
                // A value or an error (the 1,000-deep one exceeds the reader's depth limit).
                let _ = try_decode::<GetNoteResponse>(&doc);
                outcomes += 1;
            }
        }
        assert!(outcomes > 100);
    });
    let deep_doc = RESPONSE.replacen("bye", &format!("{}x{}", "<u:n xmlns:u=\"urn:u\">".repeat(1000), "</u:n>".repeat(1000)), 1);
    assert!(try_decode::<GetNoteResponse>(&deep_doc).is_err());
}
"##,
    );
}

#[test]
fn case14_names_differing_in_case_or_namespace() {
    run_case(
        "14-name-collisions",
        r##"
#[test]
fn sends() {
    let req = GetQuote {
        symbol: "IBM".into(),
        sig_a: SignatureType { algo: "rsa".into() },
        sig_b: SignatureType2 { value: client_runtime::Base64(vec![1, 2, 3]) },
        note: Some(Note { text: "n".into() }),
        note_2: Some(Note2 { author: "m".into() }),
        self_: Some(SelfValue { type_: "t".into() }),
    };
    record("get-quote", &body(&req, "urn:q", "getQuote"));
    assert_xml_eq(
        &body(&req, "urn:q", "getQuote"),
        r#"<q:getQuote xmlns:q="urn:q"><q:symbol>IBM</q:symbol><q:sigA><a:algo xmlns:a="urn:a">rsa</a:algo></q:sigA><q:sigB><b:value xmlns:b="urn:b">AQID</b:value></q:sigB><q:note><q:text>n</q:text></q:note><q:Note><q:author>m</q:author></q:Note><q:self><q:type>t</q:type></q:self></q:getQuote>"#,
    );
}
"##,
    );
}

#[test]
fn case15_required_nillable_datetime() {
    run_case(
        "15-nil-required-datetime",
        r##"
use client_runtime::xsd::DateTime;

#[test]
fn sends() {
    let nil = Register { name: "Ann".into(), born: None };
    let sent = body(&nil, "urn:reg", "Register");
    record("register-nil", &sent);
    assert_xml_eq(
        &sent,
        r#"<r:Register xmlns:r="urn:reg"><r:name>Ann</r:name><r:born xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/></r:Register>"#,
    );
    let born = DateTime::parse("1990-05-17T08:30:00+02:00").unwrap();
    assert_eq!(born.offset_minutes(), Some(120));
    let value = Register { name: "Ann".into(), born: Some(born) };
    record("register-value", &body(&value, "urn:reg", "Register"));
    assert_xml_eq(
        &body(&value, "urn:reg", "Register"),
        r#"<r:Register xmlns:r="urn:reg"><r:name>Ann</r:name><r:born>1990-05-17T08:30:00+02:00</r:born></r:Register>"#,
    );
    assert!(DateTime::parse("").is_err(), "an empty string is not a dateTime");
}
"##,
    );
}

#[test]
fn case18_substitution_group_members_as_an_enum() {
    run_case(
        "18-substitution-group",
        r##"
use client_runtime::xsd::Decimal;

#[test]
fn sends_and_decodes() {
    let resp: GetShipmentResponse = decode(RESPONSE);
    assert_eq!(resp.shipment.weight, Decimal::parse("2.5").unwrap());
    assert_eq!(resp.shipment.ref_, ShipmentRef::Transmit(true));
    let req = SetShipment { shipment: Shipment { ref_: ShipmentRef::GroupId("g1".into()), weight: Decimal::parse("1.25").unwrap() } };
    let sent = body(&req, "urn:ship", "SetShipment");
    record("set-shipment", &sent);
    assert!(!sent.contains(":ref"), "{sent}");
    assert_xml_eq(
        &sent,
        r#"<s:SetShipment xmlns:s="urn:ship"><s:shipment><s:groupId>g1</s:groupId><s:weight>1.25</s:weight></s:shipment></s:SetShipment>"#,
    );
    let err = try_decode::<GetShipmentResponse>(&reply_with("<s:transmit>true</s:transmit>", "")).unwrap_err();
    assert!(err.0.contains("'ref'"), "{err}");
}
"##,
    );
}

#[test]
fn case27_large_base64_as_bytes() {
    run_case(
        "27-large-base64",
        r##"
use client_runtime::Base64;

#[test]
fn decodes_and_sends_bytes() {
    let resp: GetReportResponse = decode(RESPONSE);
    assert_eq!(resp.report.0, (0u8..48).collect::<Vec<u8>>());
    let big: Vec<u8> = (0..15_728_640usize).map(|i| (i % 256) as u8).collect();
    let text = Base64(big.clone()).to_string();
    assert_eq!(text.len(), 20_971_520);
    let start = RESPONSE.find("<b:report>").unwrap() + "<b:report>".len();
    let end = RESPONSE.find("</b:report>").unwrap();
    let envelope = format!("{}{}{}", &RESPONSE[..start], text, &RESPONSE[end..]);
    let resp: GetReportResponse = decode(&envelope);
    assert!(resp.report.0 == big, "the big reply decodes to the same bytes");
    let sent = body(&Upload { report: Base64(big.clone()) }, "urn:example:blobs", "Upload");
    let node = XmlNode::parse(&sent).unwrap();
    assert_eq!(node.children.len(), 1);
    assert!(standard_base64_decode(&node.children[0].text) == big, "a standard decoder gets the same bytes back");
}

/// RFC 4648 base64 with padding, written out here so the check does not use the runtime.
fn standard_base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut value = [255u8; 256];
    for (i, c) in ALPHABET.iter().enumerate() {
        value[*c as usize] = i as u8;
    }
    let bytes = text.as_bytes();
    assert_eq!(bytes.len() % 4, 0);
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let pad = chunk.iter().filter(|c| **c == b'=').count();
        let mut n = 0u32;
        for c in chunk {
            let v = if *c == b'=' { 0 } else { value[*c as usize] };
            assert_ne!(v, 255, "only the standard alphabet");
            n = (n << 6) | u32::from(v);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    out
}
"##,
    );
}

#[test]
fn case19_soap12_action_in_content_type_soap11_in_header() {
    run_loopback_case("19-soap12-action", &[]);
}

#[test]
fn case25_policy_is_applied_and_named() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/wsdl/25-policy-usernametoken-timestamp");
    let out = codegen::Config::new()
        .wsdl(dir.join("service.wsdl"))
        .generate()
        .unwrap_or_else(|d| panic!("generation succeeds:\n{d}"));
    let text = out.diagnostics.to_string();
    let line = text
        .lines()
        .find(|l| l.contains("UTOverTransport"))
        .unwrap_or_else(|| panic!("a warning names the policy:\n{text}"));
    assert!(line.starts_with("warning: "), "{line}");
    assert!(line.contains("service.wsdl:10:"), "{line}");
    assert!(
        line.contains("UsernameToken") && line.contains("Timestamp"),
        "{line}"
    );
    // An http:// address is at most a warning: generation succeeded.
    assert!(!out.files.is_empty());
    // The policy is applied: the loopback driver checks the Security header and the refusal.
    run_loopback_case("25-policy-usernametoken-timestamp", &[]);
}

#[test]
fn case26_swa_attachment_reads_the_mime_part() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases/wsdl/26-swa-attachment");
    let out = codegen::Config::new()
        .wsdl(dir.join("service.wsdl"))
        .generate()
        .unwrap_or_else(|d| panic!("generation succeeds:\n{d}"));
    let text = out.diagnostics.to_string();
    assert!(
        !text.contains("multipartRelated"),
        "the MIME part is read now, no warning:\n{text}"
    );
    // The method returns the SOAP Body part (`result`) typed, and `file` as bytes.
    let soap = &out
        .files
        .iter()
        .find(|(p, _)| p.ends_with("soap.rs"))
        .expect("soap.rs")
        .1;
    assert!(soap.contains("pub struct GetReportReply"), "{soap}");
    assert!(
        soap.contains("pub body: types::GetReportResponse")
            || soap.contains("pub body: super::types::GetReportResponse")
            || soap.contains("GetReportResponse,"),
        "{soap}"
    );
    assert!(soap.contains("pub file: ::std::vec::Vec<u8>"), "{soap}");
    assert!(
        soap.contains("::client_runtime::swa::attachment("),
        "{soap}"
    );
    run_loopback_case("26-swa-attachment", &[]);
}

#[test]
fn case20_ws_addressing_action() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases/wsdl/20-ws-addressing-action");
    let soap_of = |wsdl: &std::path::Path| {
        let out = codegen::Config::new()
            .wsdl(wsdl)
            .generate()
            .unwrap_or_else(|d| panic!("generation succeeds:\n{d}"));
        out.files
            .iter()
            .find(|(p, _)| p.ends_with("soap.rs"))
            .expect("soap.rs")
            .1
            .clone()
    };
    let with = soap_of(&dir.join("service.wsdl"));
    assert_eq!(with.matches("addressing: true").count(), 2, "{with}");
    // The same WSDL without wsaw:UsingAddressing (wsaw:Action attributes kept) sends no wsa:*.
    let tmp = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(dir.join("service.wsdl")).expect("wsdl");
    let stripped = text.replace(r#"<wsaw:UsingAddressing wsdl:required="true"/>"#, "");
    assert_ne!(stripped, text);
    assert!(stripped.contains("wsaw:Action"));
    std::fs::write(tmp.path().join("service.wsdl"), stripped).expect("write");
    let without = soap_of(&tmp.path().join("service.wsdl"));
    assert!(!without.contains("addressing: true"), "{without}");
    assert!(!without.contains("WS-Addressing"), "{without}");
    // The WS-Addressing Metadata policy form (`wsam:Addressing`, inline or referenced) turns
    // the headers on like wsaw:UsingAddressing; marked wsp:Optional it does not.
    let policy = |assertion: &str, referenced: bool| {
        let policy = format!(
            r#"<wsp:Policy xmlns:wsp="http://www.w3.org/ns/ws-policy" xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata" wsu:Id="AddrPolicy" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">{assertion}</wsp:Policy>"#
        );
        let text = match referenced {
            false => text.replace(r#"<wsaw:UsingAddressing wsdl:required="true"/>"#, &policy),
            true => text
                .replace(
                    r#"<wsaw:UsingAddressing wsdl:required="true"/>"#,
                    r##"<wsp:PolicyReference xmlns:wsp="http://www.w3.org/ns/ws-policy" URI="#AddrPolicy"/>"##,
                )
                .replace("<wsdl:types>", &format!("{policy}\n  <wsdl:types>")),
        };
        let path = tmp.path().join(format!(
            "policy-{}.wsdl",
            assertion.len() + usize::from(referenced)
        ));
        std::fs::write(&path, text).expect("write");
        soap_of(&path)
    };
    let required = "<wsam:Addressing><wsp:Policy/></wsam:Addressing>";
    let optional = r#"<wsam:Addressing wsp:Optional="true"><wsp:Policy/></wsam:Addressing>"#;
    for referenced in [false, true] {
        let on = policy(required, referenced);
        assert_eq!(
            on.matches("addressing: true").count(),
            2,
            "referenced {referenced}: {on}"
        );
        let off = policy(optional, referenced);
        assert!(
            !off.contains("addressing: true"),
            "referenced {referenced}: {off}"
        );
    }
    run_loopback_case("20-ws-addressing-action", &[]);
}

#[test]
fn case22_soap_header_parts_typed_both_ways() {
    run_loopback_case("22-soap-header-parts", &[]);
}

#[test]
fn case28_multipart_document_output_is_typed() {
    run_loopback_case("28-multipart-document-output", &[]);
}
