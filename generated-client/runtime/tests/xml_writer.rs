//! XmlWriter namespace handling, escaping and ToXml impls.

use client_runtime::xml::{to_xml_string, RawXml, ToXml, XmlWriter};

#[test]
fn prefixes_are_declared_once_and_scoped() {
    let mut w = XmlWriter::new();
    w.start_element("urn:a", "root");
    w.attribute("", "plain", "1 < 2 & \"q\"");
    w.start_element("urn:a", "child");
    w.text("x < y & z");
    w.end_element();
    w.start_element("urn:b", "other");
    w.attribute("urn:a", "qual", "v");
    w.empty_element("urn:b", "inner");
    w.end_element();
    w.start_element("", "unqualified");
    w.text("u");
    w.end_element();
    w.empty_element("urn:b", "again");
    let xml = w.finish();
    assert_eq!(
        xml,
        "<tns:root xmlns:tns=\"urn:a\" plain=\"1 &lt; 2 &amp; &quot;q&quot;\">\
         <tns:child>x &lt; y &amp; z</tns:child>\
         <ns1:other xmlns:ns1=\"urn:b\" tns:qual=\"v\"><ns1:inner/></ns1:other>\
         <unqualified>u</unqualified>\
         <ns2:again xmlns:ns2=\"urn:b\"/></tns:root>"
    );
    let mut r = quick_xml::Reader::from_str(&xml);
    while !matches!(
        r.read_event().expect("well-formed"),
        quick_xml::events::Event::Eof
    ) {}
}

struct Fields {
    project_id: i64,
    names: Vec<String>,
    mode: Option<String>,
    flag: bool,
    any: RawXml,
}

impl ToXml for Fields {
    fn write_xml(&self, w: &mut XmlWriter, ns: &str, local: &str) {
        w.start_element(ns, local);
        self.project_id.write_xml(w, ns, "projectId");
        self.names.write_xml(w, ns, "name");
        self.mode.write_xml(w, ns, "mode");
        self.flag.write_xml(w, ns, "flag");
        self.any.write_xml(w, ns, "ignored");
        w.end_element();
    }
}

#[test]
fn to_xml_impls() {
    let v = Fields {
        project_id: 8,
        names: vec!["a".into(), "b&c".into()],
        mode: None,
        flag: true,
        any: RawXml("<x:y xmlns:x=\"urn:x\"/>".into()),
    };
    assert_eq!(
        to_xml_string(&v, "urn:k", "addCardDetails"),
        "<tns:addCardDetails xmlns:tns=\"urn:k\"><tns:projectId>8</tns:projectId>\
         <tns:name>a</tns:name><tns:name>b&amp;c</tns:name><tns:flag>true</tns:flag>\
         <x:y xmlns:x=\"urn:x\"/></tns:addCardDetails>"
    );
    assert_eq!(to_xml_string(&f64::INFINITY, "", "d"), "<d>INF</d>");
    assert_eq!(to_xml_string("s", "", "e"), "<e>s</e>");
    let mut w = XmlWriter::new();
    w.nil_element("urn:k", "n");
    assert_eq!(
        w.finish(),
        "<tns:n xmlns:tns=\"urn:k\" xmlns:ns1=\"http://www.w3.org/2001/XMLSchema-instance\" ns1:nil=\"true\"/>"
    );
}

#[test]
fn misuse_does_not_panic() {
    let mut w = XmlWriter::new();
    w.end_element();
    w.text("ignored");
    w.start_element("", "a");
    w.text("t");
    w.attribute("", "late", "x");
    assert_eq!(w.finish(), "<a>t</a>");
}
