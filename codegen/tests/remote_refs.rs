//! Remote `$ref`s and imports in the standalone command: a URL the catalog lacks is an error
//! naming it (nothing is downloaded), `--catalog` maps it to a local copy, and
//! `--allow-network` downloads it, from a file server on 127.0.0.1 that counts its requests.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Serves `files` (path → body) over HTTP/1.1 on 127.0.0.1; 404 for anything else.
/// Returns the base URL and the request counter.
fn serve(files: Vec<(&'static str, String)>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).map_or(true, |n| n == 0) || line == "\r\n" {
                    break;
                }
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_string();
            let (status, body) = match files.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => ("200 OK", body.clone()),
                None => ("404 Not Found", String::new()),
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (base, hits)
}

/// Writes `text` to `dir/name`, then runs `codegen generate` on it into `dir/out` with `extra`
/// arguments: the exit code and stderr.
fn generate(
    dir: &Path,
    name: &str,
    text: &str,
    out: &str,
    extra: &[&str],
) -> (Option<i32>, String) {
    let spec = dir.join(name);
    std::fs::write(&spec, text).expect("spec");
    let run = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("generate")
        .arg(&spec)
        .args(extra)
        .arg("--out")
        .arg(dir.join(out))
        .output()
        .expect("codegen runs");
    (
        run.status.code(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

const PET_SCHEMA: &str = r#"{"Pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "tag": {"type": "string"}}}}"#;

fn openapi(base: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "Remote", "version": "1"}}, "paths": {{"/pets": {{"get": {{"operationId": "listPets", "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"type": "array", "items": {{"$ref": "{base}/schemas/pet.json#/Pet"}}}}}}}}}}}}}}}}}}}}"#
    )
}

/// A one-operation SOAP service whose reply holds a `c:Card` from the schema at `location`.
fn card_service(location: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:svc" xmlns:c="urn:common" targetNamespace="urn:svc">
  <types>
    <xs:schema targetNamespace="urn:svc" elementFormDefault="qualified">
      <xs:import namespace="urn:common" schemaLocation="{location}"/>
      <xs:element name="GetCard"><xs:complexType><xs:sequence><xs:element name="id" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="GetCardResponse"><xs:complexType><xs:sequence><xs:element name="card" type="c:Card"/></xs:sequence></xs:complexType></xs:element>
    </xs:schema>
  </types>
  <message name="In"><part name="p" element="tns:GetCard"/></message>
  <message name="Out"><part name="p" element="tns:GetCardResponse"/></message>
  <portType name="P"><operation name="GetCard"><input message="tns:In"/><output message="tns:Out"/></operation></portType>
  <binding name="B" type="tns:P"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="GetCard"><soap:operation soapAction="urn:GetCard"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
  </binding>
  <service name="S"><port name="P" binding="tns:B"><soap:address location="http://example.invalid/s"/></port></service>
</definitions>"#
    )
}

#[test]
fn a_remote_ref_needs_the_catalog_or_allow_network() {
    let (base, hits) = serve(vec![("/schemas/pet.json", PET_SCHEMA.to_string())]);
    let api = openapi(&base);
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();

    // No catalog entry, no flag: a located error naming the URL and both remedies; nothing
    // fetched, nothing written.
    let (code, stderr) = generate(dir, "api.json", &api, "none", &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{base}/schemas/pet.json")),
        "{stderr}"
    );
    assert!(
        stderr.contains("--catalog") && stderr.contains("--allow-network"),
        "{stderr}"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing is downloaded without the flag"
    );
    assert!(!dir.join("none").exists());

    // A catalog entry: the local copy, still no request.
    let copy = dir.join("pet-copy.json");
    std::fs::write(&copy, PET_SCHEMA).expect("copy");
    let mapping = format!("{base}/schemas/pet.json={}", copy.display());
    let (code, stderr) = generate(dir, "api.json", &api, "catalog", &["--catalog", &mapping]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(hits.load(Ordering::SeqCst), 0);

    // --allow-network: downloaded once, named on stderr, and typed.
    let (code, stderr) = generate(dir, "api.json", &api, "net", &["--allow-network"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("downloaded {base}/schemas/pet.json")),
        "{stderr}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let types = std::fs::read_to_string(dir.join("net/src/generated/types.rs")).expect("types.rs");
    assert!(types.contains("pub struct Pet"), "{types}");
}

#[test]
fn a_remote_xsd_import_and_its_relative_include_download_with_allow_network() {
    let common = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:common" targetNamespace="urn:common" elementFormDefault="qualified">
  <xs:include schemaLocation="money.xsd"/>
  <xs:complexType name="Card"><xs:sequence><xs:element name="title" type="xs:string"/><xs:element name="cost" type="Money"/></xs:sequence></xs:complexType>
</xs:schema>"#;
    let money = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:common" elementFormDefault="qualified">
  <xs:simpleType name="Money"><xs:restriction base="xs:decimal"/></xs:simpleType>
</xs:schema>"#;
    let (base, hits) = serve(vec![
        ("/xsd/common.xsd", common.to_string()),
        ("/xsd/money.xsd", money.to_string()),
    ]);
    let wsdl = card_service(&format!("{base}/xsd/common.xsd"));
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();

    let (code, stderr) = generate(dir, "svc.wsdl", &wsdl, "none", &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("svc.wsdl:6:") && stderr.contains("--allow-network"),
        "{stderr}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);

    let (code, stderr) = generate(dir, "svc.wsdl", &wsdl, "net", &["--allow-network"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "common.xsd and the money.xsd it includes: {stderr}"
    );
    let types = std::fs::read_to_string(dir.join("net/src/generated/types.rs")).expect("types.rs");
    assert!(
        types.contains("pub struct Card")
            && types.contains("pub cost: ::client_runtime::xsd::Decimal"),
        "{types}"
    );
}

#[test]
fn a_failed_download_says_why() {
    // A port nothing listens on: the cause (connection refused) is in the message.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let api = openapi(&base);
    let tmp = tempfile::tempdir().expect("tmp");
    let (code, stderr) = generate(tmp.path(), "api.json", &api, "x", &["--allow-network"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("could not be downloaded"), "{stderr}");
    assert!(
        stderr.to_lowercase().contains("connection refused"),
        "{stderr}"
    );
}

#[test]
fn a_problem_in_a_downloaded_document_is_named_by_its_url() {
    // The temporary copy is gone when the command ends: the message names the URL.
    let tmp = tempfile::tempdir().expect("tmp");
    let broken = r##"{"Pet": {"type": "object", "properties": {"owner": {"$ref": "#/Owner"}}}}"##;
    let (base, _hits) = serve(vec![("/schemas/pet.json", broken.to_string())]);
    let api = openapi(&base);
    let (code, stderr) = generate(tmp.path(), "api.json", &api, "x", &["--allow-network"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("$ref '{base}/schemas/pet.json#/Owner'")),
        "{stderr}"
    );
    assert!(!stderr.contains("codegen-downloads"), "{stderr}");

    let schema = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:common" elementFormDefault="qualified">
  <xs:complexType name="Card"><xs:sequence><xs:element name="cost" type="Missing"/></xs:sequence></xs:complexType>
</xs:schema>"#;
    let (base, _hits) = serve(vec![("/xsd/common.xsd", schema.to_string())]);
    let wsdl = card_service(&format!("{base}/xsd/common.xsd"));
    let (code, stderr) = generate(tmp.path(), "svc.wsdl", &wsdl, "y", &["--allow-network"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{base}/xsd/common.xsd:2:")),
        "{stderr}"
    );
    assert!(!stderr.contains("codegen-downloads"), "{stderr}");
}
