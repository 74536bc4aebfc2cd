//! Builds the SOAP request envelope and resolves the endpoint URL.

use crate::soap::SoapVersion;

/// `<Envelope><Header>header</Header><Body>body</Body></Envelope>`; the Header is omitted
/// when there is none.
pub(crate) fn build_envelope(version: SoapVersion, header: Option<&str>, body: &str) -> String {
    let p = version.prefix();
    let ns = version.namespace();
    let mut out = String::with_capacity(body.len() + header.map_or(0, str::len) + 256);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.push_str(&format!("<{p}:Envelope xmlns:{p}=\"{ns}\">"));
    if let Some(h) = header {
        out.push_str(&format!("<{p}:Header>{h}</{p}:Header>"));
    }
    out.push_str(&format!("<{p}:Body>{body}</{p}:Body></{p}:Envelope>"));
    out
}

/// `scheme://host[:port]` of an absolute URL, or `None`.
fn origin(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    let rest = &url[scheme_end..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&url[..scheme_end + host_end])
}

/// The path (and query) of `url`; `url` itself if it is not absolute.
fn path_of(url: &str) -> &str {
    match origin(url) {
        Some(o) => &url[o.len()..],
        None => url,
    }
}

/// The URL to POST to: an absolute override as is; otherwise the override path, or the path
/// of the WSDL address, joined to the origin of `base_url`.
pub(crate) fn resolve_endpoint(base_url: &str, override_: Option<&str>, address: &str) -> String {
    if let Some(o) = override_ {
        if origin(o).is_some() {
            return o.to_owned();
        }
    }
    let path = override_.unwrap_or_else(|| path_of(address));
    let base = origin(base_url).unwrap_or(base_url);
    let mut url = base.trim_end_matches('/').to_owned();
    if !path.starts_with('/') {
        url.push('/');
    }
    url.push_str(path);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_resolution() {
        let addr = "https://login.example.com/axis2/services/Cards.CardsSOAP11port";
        assert_eq!(
            resolve_endpoint("http://127.0.0.1:8080", None, addr),
            "http://127.0.0.1:8080/axis2/services/Cards.CardsSOAP11port"
        );
        assert_eq!(
            resolve_endpoint("https://h.example/restapi", None, addr),
            "https://h.example/axis2/services/Cards.CardsSOAP11port"
        );
        assert_eq!(
            resolve_endpoint("https://h.example/restapi", Some("/soap/x"), addr),
            "https://h.example/soap/x"
        );
        assert_eq!(
            resolve_endpoint("https://h.example", Some("http://o.example/y"), addr),
            "http://o.example/y"
        );
    }
}
