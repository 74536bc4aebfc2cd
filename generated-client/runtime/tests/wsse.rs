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

/// Case 23 (password-digest-vector): the published vector in the header sent, the digest of
/// the raw nonce bytes (not of its Base64 text), and no password.
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
    // Hashing the nonce's Base64 text instead of its bytes gives this: it must not appear.
    assert!(!xml.contains("YBCPSgpGYaaItaZAa5HaytT3CRM="));
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

/// The text of the first element named `local` after `after` (a marker in `xml`).
fn text_after<'a>(xml: &'a str, after: &str, local: &str) -> &'a str {
    let rest = &xml[xml.find(after).expect("marker")..];
    let open = format!(":{local}");
    let tag = rest.find(&open).expect("element");
    let rest = &rest[tag..];
    let rest = &rest[rest.find('>').expect("start tag") + 1..];
    &rest[..rest.find('<').expect("end tag")]
}

/// Case 24 (digest-created-verbatim): Created is UTC with `Z` (milliseconds kept, whatever the
/// process time zone) and the digest is computed over exactly the text sent.
#[test]
fn digest_created_is_utc_and_hashed_verbatim() {
    std::env::set_var("TZ", "Asia/Kolkata");
    let nonce: Vec<u8> = (0u8..16).collect();
    let at = std::time::UNIX_EPOCH + Duration::from_millis(1_486_561_428_921);
    let xml = UsernameToken::digest("u", "secret")
        .with_fixed_nonce(nonce.clone())
        .with_timestamp(Duration::from_secs(300))
        .header_xml_at(SoapVersion::V11, at);
    let created = text_after(&xml, "UsernameToken", "Created");
    assert_eq!(created, "2017-02-08T13:43:48.921Z", "{xml}");
    assert!(
        !xml.contains("+05:30") && !xml.contains("19:13:48"),
        "{xml}"
    );
    assert_eq!(
        text_after(&xml, "UsernameToken", "Nonce"),
        "AAECAwQFBgcICQoLDA0ODw=="
    );
    let sent = text_after(&xml, "UsernameToken", "Password");
    assert_eq!(sent, "VSDW3XLa2zXSDsgm/5/s3C/pex4=");
    // Recomputed from the sent header: Base64(SHA-1(nonce + Created text + password)).
    assert_eq!(password_digest(&nonce, created, "secret"), sent);
    // The seconds-only form has its own published digest.
    assert_eq!(
        password_digest(&nonce, "2017-02-08T13:43:48Z", "secret"),
        "t3C3EI2BVa3kQqGX/OZvITxOSzk="
    );
    // The Timestamp's Created: same format, same instant.
    assert_eq!(text_after(&xml, "Timestamp", "Created"), created, "{xml}");
    assert!(!xml.contains("secret"));
}
