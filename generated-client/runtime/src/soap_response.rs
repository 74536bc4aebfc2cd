//! Parses a SOAP response envelope into a fault or the self-contained Body payload.

use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;

use crate::error::SoapFault;
use crate::soap::{SoapVersion, SOAP11_NS, SOAP12_NS};

/// What a SOAP response Body contained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SoapResponse {
    /// The first Body child, with in-scope namespace declarations copied onto it.
    Payload(String),
    /// A SOAP fault.
    Fault(SoapFault),
    /// The Body had no element child.
    Empty,
}

type XmlResult<T> = Result<T, String>;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Namespace declarations (`xmlns` / `xmlns:p` → raw value) found on a start tag.
fn declarations(e: &BytesStart<'_>) -> XmlResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(err)?;
        if attr.key.as_namespace_binding().is_some() {
            let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
            let value = String::from_utf8_lossy(&attr.value).replace('"', "&quot;");
            out.push((key, value));
        }
    }
    Ok(out)
}

fn version_of(ns: &ResolveResult<'_>) -> Option<SoapVersion> {
    match ns {
        ResolveResult::Bound(Namespace(n)) if *n == SOAP11_NS.as_bytes() => Some(SoapVersion::V11),
        ResolveResult::Bound(Namespace(n)) if *n == SOAP12_NS.as_bytes() => Some(SoapVersion::V12),
        _ => None,
    }
}

/// Parses a complete SOAP 1.1 or 1.2 response.
pub(crate) fn parse_response(xml: &str) -> XmlResult<SoapResponse> {
    let mut r = NsReader::from_str(xml);
    // 1. The Envelope.
    let (version, mut scope) = loop {
        let (ns, ev) = r.read_resolved_event().map_err(err)?;
        match ev {
            Event::Start(e) if e.local_name().as_ref() == b"Envelope" => {
                let v = version_of(&ns).ok_or("Envelope is not in a SOAP namespace")?;
                break (v, declarations(&e)?);
            }
            Event::Start(_) | Event::Empty(_) => {
                return Err("root element is not a SOAP Envelope".into())
            }
            Event::Eof => return Err("no XML element in response".into()),
            Event::Text(t) if !t.iter().all(u8::is_ascii_whitespace) => {
                return Err("text before the root element".into())
            }
            _ => {}
        }
    };
    let env_ns = version.namespace().as_bytes();
    // 2. The Body (skipping Header).
    loop {
        let (ns, ev) = r.read_resolved_event().map_err(err)?;
        let in_env = matches!(ns, ResolveResult::Bound(Namespace(n)) if n == env_ns);
        match ev {
            Event::Start(e) if in_env && e.local_name().as_ref() == b"Body" => {
                scope.extend(declarations(&e)?);
                break;
            }
            Event::Empty(e) if in_env && e.local_name().as_ref() == b"Body" => {
                return Ok(SoapResponse::Empty)
            }
            Event::Start(e) => {
                r.read_to_end(e.name()).map_err(err)?;
            }
            Event::End(_) | Event::Eof => return Err("SOAP Envelope has no Body".into()),
            _ => {}
        }
    }
    // 3. The first element child of Body.
    loop {
        let before = r.buffer_position() as usize;
        let (ns, ev) = r.read_resolved_event().map_err(err)?;
        let in_env = matches!(ns, ResolveResult::Bound(Namespace(n)) if n == env_ns);
        match ev {
            Event::Start(e) if in_env && e.local_name().as_ref() == b"Fault" => {
                scope.extend(declarations(&e)?);
                return parse_fault(&mut r, xml, version, &scope).map(SoapResponse::Fault);
            }
            Event::Empty(e) if in_env && e.local_name().as_ref() == b"Fault" => {
                return Ok(SoapResponse::Fault(SoapFault::new(
                    version,
                    String::new(),
                    String::new(),
                )));
            }
            Event::Start(e) => {
                let own = declarations(&e)?;
                let name_len = e.name().as_ref().len();
                r.read_to_end(e.name()).map_err(err)?;
                let after = r.buffer_position() as usize;
                let raw = xml
                    .get(before..after)
                    .ok_or("payload offsets out of range")?;
                return Ok(SoapResponse::Payload(with_scope(
                    raw, name_len, &scope, &own,
                )));
            }
            Event::Empty(e) => {
                let own = declarations(&e)?;
                let name_len = e.name().as_ref().len();
                let after = r.buffer_position() as usize;
                let raw = xml
                    .get(before..after)
                    .ok_or("payload offsets out of range")?;
                return Ok(SoapResponse::Payload(with_scope(
                    raw, name_len, &scope, &own,
                )));
            }
            Event::End(_) | Event::Eof => return Ok(SoapResponse::Empty),
            _ => {}
        }
    }
}

/// Inserts the in-scope declarations not redeclared by the element right after its name.
fn with_scope(
    raw: &str,
    name_len: usize,
    scope: &[(String, String)],
    own: &[(String, String)],
) -> String {
    let insert_at = 1 + name_len; // '<' + qname
    let mut extra = String::new();
    // Later declarations (Body) shadow earlier ones (Envelope) with the same key.
    for (i, (key, value)) in scope.iter().enumerate() {
        let shadowed = scope[i + 1..].iter().any(|(k, _)| k == key);
        if shadowed || own.iter().any(|(k, _)| k == key) {
            continue;
        }
        extra.push_str(&format!(" {key}=\"{value}\""));
    }
    match (raw.get(..insert_at), raw.get(insert_at..)) {
        (Some(head), Some(tail)) => format!("{head}{extra}{tail}"),
        _ => raw.to_owned(),
    }
}

/// Reads the (unescaped) text of the element just started.
fn text_of(r: &mut NsReader<&[u8]>, e: &BytesStart<'_>) -> XmlResult<String> {
    let raw = r.read_text(e.name()).map_err(err)?;
    let text = unescape(&raw).map_err(err)?;
    Ok(text.trim().to_owned())
}

/// Reads the first `<want>` child's text inside the element just started, skipping the rest.
fn first_child_text(r: &mut NsReader<&[u8]>, want: &[u8]) -> XmlResult<String> {
    let mut found = String::new();
    let mut depth = 0usize;
    loop {
        match r.read_event().map_err(err)? {
            Event::Start(e) if found.is_empty() && e.local_name().as_ref() == want => {
                found = text_of(r, &e)?;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(found),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err("unexpected end of document in Fault".into()),
            _ => {}
        }
    }
}

/// The namespace `prefix` is bound to in `scope` (declarations, innermost last).
fn resolve_prefix(scope: &[(String, String)], prefix: &str) -> Option<String> {
    let key = format!("xmlns:{prefix}");
    scope
        .iter()
        .rev()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.replace("&quot;", "\""))
}

/// Sets the fault code and its resolved namespace (`scope` as at the code's element).
fn set_code(fault: &mut SoapFault, code: String, scope: &[(String, String)]) {
    fault.code_namespace = code
        .split_once(':')
        .and_then(|(prefix, _)| resolve_prefix(scope, prefix));
    fault.code = code;
}

fn parse_fault(
    r: &mut NsReader<&[u8]>,
    xml: &str,
    version: SoapVersion,
    scope: &[(String, String)],
) -> XmlResult<SoapFault> {
    let mut fault = SoapFault::new(version, String::new(), String::new());
    loop {
        match r.read_event().map_err(err)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"faultcode" => {
                    let mut inner = scope.to_vec();
                    inner.extend(declarations(&e)?);
                    let code = text_of(r, &e)?;
                    set_code(&mut fault, code, &inner);
                }
                b"faultstring" => fault.reason = text_of(r, &e)?,
                b"Code" => {
                    let mut inner = scope.to_vec();
                    inner.extend(declarations(&e)?);
                    let code = first_child_text(r, b"Value")?;
                    set_code(&mut fault, code, &inner);
                }
                b"Reason" => fault.reason = first_child_text(r, b"Text")?,
                b"detail" | b"Detail" => {
                    let mut inner = scope.to_vec();
                    inner.extend(declarations(&e)?);
                    read_detail(r, xml, &inner, &mut fault)?;
                }
                _ => {
                    r.read_to_end(e.name()).map_err(err)?;
                }
            },
            Event::End(_) => return Ok(fault),
            Event::Eof => return Err("unexpected end of document in Fault".into()),
            _ => {}
        }
    }
}

/// Reads the content of the `detail` element just started: the raw text and each element
/// child made self-contained.
fn read_detail(
    r: &mut NsReader<&[u8]>,
    xml: &str,
    scope: &[(String, String)],
    fault: &mut SoapFault,
) -> XmlResult<()> {
    let start = r.buffer_position() as usize;
    loop {
        let before = r.buffer_position() as usize;
        match r.read_event().map_err(err)? {
            Event::Start(c) => {
                let own = declarations(&c)?;
                let name_len = c.name().as_ref().len();
                r.read_to_end(c.name()).map_err(err)?;
                let after = r.buffer_position() as usize;
                let raw = xml
                    .get(before..after)
                    .ok_or("detail offsets out of range")?;
                fault
                    .detail_elements
                    .push(with_scope(raw, name_len, scope, &own));
            }
            Event::Empty(c) => {
                let own = declarations(&c)?;
                let name_len = c.name().as_ref().len();
                let after = r.buffer_position() as usize;
                let raw = xml
                    .get(before..after)
                    .ok_or("detail offsets out of range")?;
                fault
                    .detail_elements
                    .push(with_scope(raw, name_len, scope, &own));
            }
            Event::End(_) => {
                let inner = xml.get(start..before).unwrap_or_default().trim();
                if !inner.is_empty() {
                    fault.detail = Some(inner.to_owned());
                }
                return Ok(());
            }
            Event::Eof => return Err("unexpected end of document in Fault detail".into()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_carries_scope() {
        let xml = r#"<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:x"><s:Header><a/></s:Header><s:Body xmlns:b="urn:b">
  <ns:resp ns:id="1"><ns:v>a &amp; b</ns:v></ns:resp></s:Body></s:Envelope>"#;
        let got = parse_response(xml).expect("parses");
        assert_eq!(
            got,
            SoapResponse::Payload(
                r#"<ns:resp xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:x" xmlns:b="urn:b" ns:id="1"><ns:v>a &amp; b</ns:v></ns:resp>"#
                    .into()
            )
        );
    }

    #[test]
    fn own_declaration_wins_and_empty_payload() {
        let xml = r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:ns="urn:x"><e:Body><ns:r xmlns:ns="urn:y"/></e:Body></e:Envelope>"#;
        let got = parse_response(xml).expect("parses");
        assert_eq!(
            got,
            SoapResponse::Payload(
                r#"<ns:r xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:ns="urn:y"/>"#
                    .into()
            )
        );
        let empty = r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>"#;
        assert_eq!(parse_response(empty), Ok(SoapResponse::Empty));
    }

    #[test]
    fn fault_code_resolved_and_detail_elements_self_contained() {
        let xml = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:x="urn:x"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>bad</faultstring><detail xmlns:y="urn:y"><x:A><y:b>1</y:b></x:A> <C/></detail></s:Fault></s:Body></s:Envelope>"#;
        let SoapResponse::Fault(f) = parse_response(xml).expect("parses") else {
            panic!("a fault");
        };
        assert_eq!(
            f.code_expanded(),
            "{http://schemas.xmlsoap.org/soap/envelope/}Client"
        );
        assert_eq!(f.code_local(), "Client");
        assert_eq!(f.reason, "bad");
        assert_eq!(f.detail.as_deref(), Some(r#"<x:A><y:b>1</y:b></x:A> <C/>"#));
        assert_eq!(
            f.detail_elements,
            vec![
                r#"<x:A xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:x="urn:x" xmlns:y="urn:y"><y:b>1</y:b></x:A>"#.to_owned(),
                r#"<C xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:x="urn:x" xmlns:y="urn:y"/>"#.to_owned(),
            ]
        );
        let v12 = r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value></e:Code><e:Reason><e:Text xml:lang="en">no</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>"#;
        let SoapResponse::Fault(f) = parse_response(v12).expect("parses") else {
            panic!("a fault");
        };
        assert_eq!(
            f.code_expanded(),
            "{http://www.w3.org/2003/05/soap-envelope}Sender"
        );
        assert_eq!((f.detail, f.detail_elements.len()), (None, 0));
    }

    #[test]
    fn not_soap() {
        assert!(parse_response("<html><body>oops</body></html>").is_err());
        assert!(parse_response("plain text").is_err());
    }
}
