//! Case 12 generated with `keep_unknown_elements = true`: elements the schema does not declare
//! are kept in `any` (in arrival order) and sent back after the declared ones, which still go
//! in schema order; reading stays tolerant of the order.
use client_runtime::xml::to_xml_string;
use client_runtime::xml_read::{FromXml, XmlNode};
use wsdl_case_12::types::Phone;

#[test]
fn unknown_elements_are_kept_and_sent_back() {
    let reply = r#"<p:phone xmlns:p="urn:p"><p:role>admin</p:role><p:firmware>9.4</p:firmware><p:name>SEP001</p:name><x:note xmlns:x="urn:x">hi</x:note></p:phone>"#;
    let phone = Phone::from_xml(&XmlNode::parse(reply).expect("parses")).expect("decodes");
    assert_eq!(phone.name.as_deref(), Some("SEP001"));
    assert_eq!(phone.role.as_deref(), Some("admin"));
    assert_eq!(phone.usage, None);
    assert_eq!(phone.any.len(), 2, "{:?}", phone.any);

    let sent = XmlNode::parse(&to_xml_string(&phone, "urn:p", "phone")).expect("parses");
    let children: Vec<_> = sent
        .children
        .iter()
        .map(|c| (c.ns.as_str(), c.local.as_str(), c.text.as_str()))
        .collect();
    assert_eq!(
        children,
        vec![
            ("urn:p", "name", "SEP001"),
            ("urn:p", "role", "admin"),
            ("urn:p", "firmware", "9.4"),
            ("urn:x", "note", "hi"),
        ]
    );
}
