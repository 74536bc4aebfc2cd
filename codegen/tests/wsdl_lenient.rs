//! The WSDL loader's lenient readings of sloppy real-world documents (each is a located
//! warning, never silent): references in the wrong namespace, no `wsdl:service`, the XML Schema
//! 1999 draft namespace, a part element missing from a loaded namespace, a port whose SOAP
//! address is the other version's. Modelled on the corpus documents that needed them
//! (node-soap tnsImportConflict, SOAP::Lite interop, ONVIF upstream, node-soap builtin_types
//! and recursive), written inline so they run without the shared corpus.

use codegen::model::TypeRef;
use codegen::Config;

mod support;

use support::generate;

fn generate_err(wsdl: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("service.wsdl");
    std::fs::write(&path, wsdl).unwrap();
    match Config::new().wsdl(&path).generate() {
        Ok(_) => panic!("generation should fail"),
        Err(d) => d.to_string(),
    }
}

const HEAD: &str = r#"<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tns="urn:real" xmlns:wrong="urn:wrong" targetNamespace="urn:real">
  <types>
    <xs:schema targetNamespace="urn:real" elementFormDefault="qualified">
      <xs:element name="Ping"><xs:complexType><xs:sequence>
        <xs:element name="text" type="xs:string"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="PingResponse" type="xs:string"/>
    </xs:schema>
  </types>
  <message name="PingIn"><part name="p" element="tns:Ping"/></message>
  <message name="PingOut"><part name="p" element="tns:PingResponse"/></message>
"#;

fn body(io: &str) -> String {
    format!(r#"<{io}><soap:body use="literal"/></{io}>"#)
}

#[test]
fn references_in_the_wrong_namespace_use_the_only_declaration_with_that_name() {
    let wsdl = format!(
        r#"{HEAD}
  <portType name="P"><operation name="Ping">
    <input message="wrong:PingIn"/><output message="tns:PingOut"/>
  </operation></portType>
  <binding name="B" type="wrong:P">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Ping"><soap:operation soapAction="urn:ping"/>{}{}</operation>
  </binding>
  <service name="S"><port name="Port" binding="wrong:B"><soap:address location="http://h/s"/></port></service>
</definitions>"#,
        body("input"),
        body("output")
    );
    let out = generate(&wsdl);
    let ops = &out.api.soap[0].operations;
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].input.as_ref().unwrap().name, "Ping");
    let warnings = out.diagnostics.to_string();
    for kind in ["binding", "portType", "message"] {
        assert!(
            warnings.contains(&format!("the only wsdl:{kind} with that local name")),
            "{kind}: {warnings}"
        );
    }
    assert!(warnings.contains("service.wsdl:"), "located: {warnings}");
}

#[test]
fn without_a_service_each_soap_binding_is_a_client_without_a_default_address() {
    let wsdl = format!(
        r#"{HEAD}
  <portType name="P"><operation name="Ping">
    <input message="tns:PingIn"/><output message="tns:PingOut"/>
  </operation></portType>
  <binding name="B11" type="tns:P">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Ping"><soap:operation soapAction="urn:ping"/>{0}{1}</operation>
  </binding>
  <binding name="B12" type="tns:P">
    <soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Ping"><soap12:operation soapAction="urn:ping"/>{0}{1}</operation>
    <operation name="Extra"/>
  </binding>
</definitions>"#,
        body("input"),
        body("output")
    );
    let out = generate(&wsdl);
    let names: Vec<&str> = out.api.soap.iter().map(|s| s.name.wire.as_str()).collect();
    assert_eq!(names, ["B11", "B12"]);
    assert!(out
        .api
        .soap
        .iter()
        .all(|s| s.address_11.is_none() && s.address_12.is_none()));
    // The binding operation without a portType operation is kept, with no messages.
    let extra = out.api.soap[1]
        .operations
        .iter()
        .find(|o| o.name.wire == "Extra")
        .expect("Extra is generated");
    assert!(extra.input.is_none() && extra.output.is_none());
    let warnings = out.diagnostics.to_string();
    assert!(warnings.contains("declares no wsdl:service"), "{warnings}");
    assert!(
        warnings.contains("'Extra' is not in the portType"),
        "{warnings}"
    );
}

#[test]
fn the_xml_schema_1999_namespace_reads_as_xml_schema() {
    let wsdl = r#"<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xsd="http://www.w3.org/1999/XMLSchema" xmlns:tns="urn:old" targetNamespace="urn:old">
  <types>
    <schema xmlns="http://www.w3.org/1999/XMLSchema" targetNamespace="urn:old">
      <complexType name="Pair"><all>
        <element name="n" type="int"/><element name="s" type="string"/>
      </all></complexType>
    </schema>
  </types>
  <message name="In"><part name="pair" type="tns:Pair"/><part name="count" type="xsd:int"/></message>
  <message name="Out"><part name="return" type="xsd:string"/></message>
  <portType name="P"><operation name="echo"><input message="tns:In"/><output message="tns:Out"/></operation></portType>
  <binding name="B" type="tns:P">
    <soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="echo"><soap:operation soapAction="urn:echo"/>
      <input><soap:body use="literal" namespace="urn:old"/></input>
      <output><soap:body use="literal" namespace="urn:old"/></output>
    </operation>
  </binding>
  <service name="S"><port name="Port" binding="tns:B"><soap:address location="http://h/s"/></port></service>
</definitions>"#;
    let out = generate(wsdl);
    assert!(
        out.api.types.iter().any(|t| t.key == "{urn:old}Pair"),
        "Pair is a type"
    );
    assert_eq!(out.api.soap[0].operations.len(), 1);
}

#[test]
fn a_part_element_missing_from_a_loaded_namespace_is_raw_xml_and_a_missing_namespace_an_error() {
    let typo = |ns: &str| {
        format!(
            r#"{HEAD}
  <message name="Typo"><part name="p" element="{ns}:ping"/></message>
  <portType name="P"><operation name="Ping">
    <input message="tns:Typo"/><output message="tns:PingOut"/>
  </operation></portType>
  <binding name="B" type="tns:P">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Ping"><soap:operation soapAction="urn:ping"/>{}{}</operation>
  </binding>
  <service name="S"><port name="Port" binding="tns:B"><soap:address location="http://h/s"/></port></service>
</definitions>"#,
            body("input"),
            body("output")
        )
    };
    let out = generate(&typo("tns"));
    let input = out.api.soap[0].operations[0].input.as_ref().unwrap();
    assert_eq!(input.name, "ping");
    assert_eq!(input.ty, TypeRef::RawXml);
    let warnings = out.diagnostics.to_string();
    assert!(warnings.contains("did you mean 'Ping'?"), "{warnings}");
    // No schema of urn:wrong is loaded: an import is missing, which stays an error.
    let err = generate_err(&typo("wrong"));
    assert!(
        err.contains("element '{urn:wrong}ping' is not declared in the WSDL's schemas"),
        "{err}"
    );
}

#[test]
fn a_soap12_address_on_a_soap11_binding_still_makes_a_client() {
    let wsdl = format!(
        r#"{HEAD}
  <portType name="P"><operation name="Ping">
    <input message="tns:PingIn"/><output message="tns:PingOut"/>
  </operation></portType>
  <binding name="B" type="tns:P">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Ping"><soap:operation soapAction="urn:ping"/>{}{}</operation>
  </binding>
  <service name="S"><port name="Port" binding="tns:B"><soap12:address location="http://h/s"/></port></service>
</definitions>"#,
        body("input"),
        body("output")
    );
    let out = generate(&wsdl);
    assert_eq!(out.api.soap.len(), 1);
    assert_eq!(out.api.soap[0].address_11.as_deref(), Some("http://h/s"));
    let warnings = out.diagnostics.to_string();
    assert!(
        warnings.contains("has a SOAP 1.2 address but its binding is SOAP 1.1"),
        "{warnings}"
    );
}
