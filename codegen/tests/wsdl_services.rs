//! How WSDL services become clients: one client per portType a service's ports implement (the
//! first keeps the service's name), each with only its own ports; and the SOAP version calls
//! use by default is the service's first port's (the binding's, without `wsdl:service`).

mod support;

use codegen::Output;
use support::generate;

fn soap_rs(out: &Output) -> &str {
    &out.files
        .iter()
        .find(|(p, _)| p.ends_with("soap.rs"))
        .expect("soap.rs")
        .1
}

/// A WSDL with the portTypes `Cards` (op `GetCard`) and `Boards` (op `GetBoard`), a SOAP 1.1
/// and a SOAP 1.2 binding of each, and `service` (its ports) appended.
fn wsdl(tail: &str) -> String {
    let op = |name: &str| {
        format!(
            r#"<operation name="{name}"><soap:operation soapAction="urn:{name}"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>"#
        )
    };
    let op12 = |name: &str| op(name).replace("soap:", "soap12:");
    format!(
        r#"<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tns="urn:k" targetNamespace="urn:k">
  <types>
    <xs:schema targetNamespace="urn:k" elementFormDefault="qualified">
      <xs:element name="GetCard"><xs:complexType><xs:sequence><xs:element name="id" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="GetBoard"><xs:complexType><xs:sequence><xs:element name="id" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="Done" type="xs:string"/>
    </xs:schema>
  </types>
  <message name="CardIn"><part name="p" element="tns:GetCard"/></message>
  <message name="BoardIn"><part name="p" element="tns:GetBoard"/></message>
  <message name="Out"><part name="p" element="tns:Done"/></message>
  <portType name="Cards"><operation name="GetCard"><input message="tns:CardIn"/><output message="tns:Out"/></operation></portType>
  <portType name="Boards"><operation name="GetBoard"><input message="tns:BoardIn"/><output message="tns:Out"/></operation></portType>
  <binding name="Cards11" type="tns:Cards"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>{}</binding>
  <binding name="Cards12" type="tns:Cards"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>{}</binding>
  <binding name="Boards11" type="tns:Boards"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>{}</binding>
  <binding name="Boards12" type="tns:Boards"><soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>{}</binding>
  {tail}
</definitions>"#,
        op("GetCard"),
        op12("GetCard"),
        op("GetBoard"),
        op12("GetBoard"),
    )
}

fn port(name: &str, binding: &str, v12: bool) -> String {
    let ns = if v12 { "soap12" } else { "soap" };
    format!(
        r#"<port name="{name}" binding="tns:{binding}"><{ns}:address location="http://h/{name}"/></port>"#
    )
}

#[test]
fn a_service_with_two_port_types_gets_a_client_for_each() {
    let ports = [
        port("CardsSoap", "Cards11", false),
        port("BoardsSoap12", "Boards12", true),
        port("CardsSoap12", "Cards12", true),
        port("BoardsSoap", "Boards11", false),
    ]
    .concat();
    let out = generate(&wsdl(&format!(
        r#"<service name="Kanban">{ports}</service>"#
    )));
    let clients: Vec<_> = out
        .api
        .soap
        .iter()
        .map(|s| {
            let ops: Vec<_> = s.operations.iter().map(|o| o.name.wire.as_str()).collect();
            let ports: Vec<_> = s.ports.iter().map(|p| p.name.as_str()).collect();
            (
                s.name.wire.as_str(),
                ops,
                ports,
                s.address_11.as_deref(),
                s.address_12.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        clients,
        vec![
            (
                "Kanban",
                vec!["GetCard"],
                vec!["CardsSoap", "CardsSoap12"],
                Some("http://h/CardsSoap"),
                Some("http://h/CardsSoap12")
            ),
            (
                "Kanban_Boards",
                vec!["GetBoard"],
                vec!["BoardsSoap12", "BoardsSoap"],
                Some("http://h/BoardsSoap"),
                Some("http://h/BoardsSoap12")
            ),
        ]
    );
    let soap = soap_rs(&out);
    assert!(soap.contains("pub fn kanban(&self) -> Kanban"), "{soap}");
    assert!(
        soap.contains("pub fn kanban_boards(&self) -> KanbanBoards"),
        "{soap}"
    );
    assert!(
        !out.diagnostics.to_string().contains("skipped"),
        "{}",
        out.diagnostics
    );
    // Kanban's first port is SOAP 1.1; Kanban_Boards' first port is SOAP 1.2.
    assert!(!out.api.soap[0].default_v12 && out.api.soap[1].default_v12);
}

#[test]
fn the_default_version_is_the_first_ports() {
    let only_12 = generate(&wsdl(&format!(
        r#"<service name="S">{}</service>"#,
        port("P12", "Cards12", true)
    )));
    assert!(only_12.api.soap[0].default_v12);
    let soap = soap_rs(&only_12);
    assert!(
        soap.contains("version: crate::runtime::SoapVersion::V12")
            || soap.contains("version: ::client_runtime::SoapVersion::V12"),
        "{soap}"
    );
    assert!(soap.contains("SOAP 1.2 by default"), "{soap}");

    let first_11 = generate(&wsdl(&format!(
        r#"<service name="S">{}{}</service>"#,
        port("P11", "Cards11", false),
        port("P12", "Cards12", true)
    )));
    assert!(!first_11.api.soap[0].default_v12);
    assert!(soap_rs(&first_11).contains("SOAP 1.1 by default"));

    let first_12 = generate(&wsdl(&format!(
        r#"<service name="S">{}{}</service>"#,
        port("P12", "Cards12", true),
        port("P11", "Cards11", false)
    )));
    assert!(first_12.api.soap[0].default_v12);
}

#[test]
fn without_a_service_each_binding_uses_its_own_version() {
    let out = generate(&wsdl(""));
    let versions: Vec<_> = out
        .api
        .soap
        .iter()
        .map(|s| (s.name.wire.as_str(), s.default_v12))
        .collect();
    assert_eq!(
        versions,
        vec![
            ("Boards11", false),
            ("Boards12", true),
            ("Cards11", false),
            ("Cards12", true)
        ]
    );
}
