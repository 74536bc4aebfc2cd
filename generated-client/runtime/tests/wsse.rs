//! WS-Security UsernameToken: digest vector and header shapes.

use base64::Engine as _;
use client_runtime::auth::password_digest;
use client_runtime::{SoapVersion, UsernameToken};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::time::Duration;

const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

fn wrap(version: SoapVersion, header: &str) -> String {
    format!(
        "<e:Envelope xmlns:{p}=\"{ns}\" xmlns:e=\"{ns}\"><e:Header>{header}</e:Header><e:Body/></e:Envelope>",
        p = version.prefix(),
        ns = version.namespace()
    )
}

/// Parses the document and returns the local element names in document order.
fn element_names(xml: &str) -> Vec<String> {
    let mut r = Reader::from_str(xml);
    let mut names = Vec::new();
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                names.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned())
            }
            Event::Eof => break,
            _ => {}
        }
    }
    names
}

#[test]
fn password_digest_vector() {
    let nonce = base64::engine::general_purpose::STANDARD
        .decode("LKqI6G/AikKCQrN0zqZFlg==")
        .expect("nonce");
    assert_eq!(
        password_digest(&nonce, "2010-09-16T07:50:45Z", "userpassword"),
        "tuOSpGlFlIXsozq4HFNeeGeFLEI="
    );
}

#[test]
fn text_token_shape_soap11() {
    let t = UsernameToken::text("user@example.com", "p&ss<word>");
    let xml = t.header_xml(SoapVersion::V11);
    assert!(xml.starts_with(&format!(
        "<wsse:Security xmlns:wsse=\"{WSSE}\" soapenv:mustUnderstand=\"1\">"
    )));
    assert!(xml.contains(&format!(
        "<wsse:UsernameToken xmlns:wsu=\"{WSU}\" wsu:Id=\"UsernameToken-"
    )));
    assert!(xml.contains("<wsse:Username>user@example.com</wsse:Username>"));
    assert!(xml.contains("<wsse:Password Type=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText\">p&amp;ss&lt;word&gt;</wsse:Password>"));
    assert!(!xml.contains("Nonce"));
    assert!(!xml.contains("Timestamp"));
    assert_eq!(
        element_names(&wrap(SoapVersion::V11, &xml)),
        [
            "Envelope",
            "Header",
            "Security",
            "UsernameToken",
            "Username",
            "Password",
            "Body"
        ]
    );
}

#[test]
fn text_token_soap12_uses_true() {
    let xml = UsernameToken::text("u", "p").header_xml(SoapVersion::V12);
    assert!(xml.contains(" soap:mustUnderstand=\"true\""));
    element_names(&wrap(SoapVersion::V12, &xml));
    let no_mu = UsernameToken::text("u", "p")
        .with_must_understand(false)
        .header_xml(SoapVersion::V12);
    assert!(!no_mu.contains("mustUnderstand"));
}

#[test]
fn digest_token_shape() {
    let nonce = base64::engine::general_purpose::STANDARD
        .decode("LKqI6G/AikKCQrN0zqZFlg==")
        .expect("nonce");
    let t = UsernameToken::digest("user", "userpassword")
        .with_fixed_nonce(nonce)
        .with_fixed_created("2010-09-16T07:50:45Z");
    let xml = t.header_xml(SoapVersion::V11);
    assert!(xml.contains("#PasswordDigest\">tuOSpGlFlIXsozq4HFNeeGeFLEI=</wsse:Password>"));
    assert!(xml.contains("<wsse:Nonce EncodingType=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary\">LKqI6G/AikKCQrN0zqZFlg==</wsse:Nonce>"));
    assert!(xml.contains("<wsu:Created>2010-09-16T07:50:45Z</wsu:Created>"));
    assert!(!xml.contains("userpassword"));
    assert_eq!(
        element_names(&wrap(SoapVersion::V11, &xml)),
        [
            "Envelope",
            "Header",
            "Security",
            "UsernameToken",
            "Username",
            "Password",
            "Nonce",
            "Created",
            "Body"
        ]
    );
}

#[test]
fn random_nonce_differs_per_header() {
    let t = UsernameToken::digest("u", "p");
    assert_ne!(
        t.header_xml(SoapVersion::V11),
        t.header_xml(SoapVersion::V11)
    );
}

#[test]
fn text_with_nonce_and_timestamp() {
    let xml = UsernameToken::text("u", "p")
        .with_nonce_created(true)
        .with_timestamp(Duration::from_secs(300))
        .header_xml(SoapVersion::V11);
    assert!(xml.contains("#PasswordText\">p</wsse:Password>"));
    assert!(xml.contains(&format!("<wsu:Timestamp xmlns:wsu=\"{WSU}\" wsu:Id=\"TS-")));
    assert_eq!(
        element_names(&wrap(SoapVersion::V11, &xml)),
        [
            "Envelope",
            "Header",
            "Security",
            "Timestamp",
            "Created",
            "Expires",
            "UsernameToken",
            "Username",
            "Password",
            "Nonce",
            "Created",
            "Body"
        ]
    );
}

#[test]
fn debug_hides_password() {
    let t = UsernameToken::text("u", "hunter2-secret");
    assert!(!format!("{t:?}").contains("hunter2-secret"));
}
