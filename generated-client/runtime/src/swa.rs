//! SOAP with Attachments: splits a `multipart/related` reply into its root envelope and its Content-ID parts.
//!
//! Hand-written on purpose: a reply is already fully in memory, and crates such as `multer`
//! are streaming `multipart/form-data` parsers (async, `Content-Disposition` names) that know
//! neither `start` nor Content-ID lookup.

use base64::Engine as _;

use crate::error::Error;
use crate::soap::SoapOperationInfo;
use crate::xml_read::XmlNode;

/// One MIME part of a `multipart/related` reply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MimePart {
    /// `Content-ID` without the angle brackets ("" when the part has none).
    pub content_id: String,
    /// `Content-Type` ("" when the part has none).
    pub content_type: String,
    /// The content, transfer decoding (base64) undone; it ends before the CRLF that
    /// precedes the next boundary.
    pub content: Vec<u8>,
}

/// A `multipart/related` reply: the root part (the SOAP envelope) and all the others.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Related {
    /// The root part: the one whose Content-ID is the `start` parameter, else the first.
    pub root: MimePart,
    /// The other parts, in order.
    pub parts: Vec<MimePart>,
}

/// Whether `content_type` is `multipart/related` (SOAP with Attachments, MTOM).
pub fn is_related(content_type: &str) -> bool {
    media_type(content_type).eq_ignore_ascii_case("multipart/related")
}

/// Splits `body` by the `boundary` of `content_type` and picks the root part by `start`.
pub fn split(content_type: &str, body: &[u8]) -> Result<Related, String> {
    let boundary = param(content_type, "boundary")
        .ok_or_else(|| format!("multipart/related without a boundary parameter: {content_type}"))?;
    // A delimiter is CRLF "--" boundary; the CRLF belongs to it, not to the content. Bare LF
    // line ends are tolerated: search LF "--" boundary and drop a CR left before it.
    let mut text = Vec::with_capacity(body.len() + 1);
    text.push(b'\n');
    text.extend_from_slice(body);
    let delim = format!("\n--{boundary}").into_bytes();
    let starts: Vec<usize> = find_all(&text, &delim);
    if starts.is_empty() {
        return Err(format!(
            "no boundary \"{boundary}\" in the multipart/related reply"
        ));
    }
    let mut parts = Vec::new();
    for (i, &at) in starts.iter().enumerate() {
        let after = at + delim.len();
        if text[after..].starts_with(b"--") {
            break;
        }
        let end = match starts.get(i + 1) {
            Some(&next) => next,
            None => {
                return Err(format!(
                "the multipart/related reply ends without the closing boundary \"--{boundary}--\""
            ))
            }
        };
        let segment = &text[after..end];
        let segment = segment.strip_suffix(b"\r").unwrap_or(segment);
        parts.push(part(segment).map_err(|e| format!("MIME part {}: {e}", parts.len() + 1))?);
    }
    if parts.is_empty() {
        return Err("the multipart/related reply has no parts".into());
    }
    let root_at = match param(content_type, "start") {
        Some(start) => {
            let id = strip_id(&start);
            parts
                .iter()
                .position(|p| p.content_id == id)
                .ok_or_else(|| format!("no MIME part has the start Content-ID <{id}>"))?
        }
        None => 0,
    };
    let root = parts.remove(root_at);
    Ok(Related { root, parts })
}

/// The bytes of the output part `name`: the MIME part that the Body element `name` refers to
/// with `href="cid:..."` (else, WS-I Attachments Profile style, the part whose Content-ID
/// starts with `name=`). A missing reference or part is [`Error::Decode`] naming `name`.
pub fn attachment(
    op: &SoapOperationInfo,
    body: &str,
    parts: &[MimePart],
    name: &str,
) -> Result<Vec<u8>, Error> {
    let fail = |why: String| {
        Error::decode(
            format!("SOAP attachment part `{name}` of {}", op.name),
            why,
            body.as_bytes(),
        )
    };
    let href = XmlNode::parse(body).ok().and_then(|n| find_href(&n, name));
    let found = match &href {
        Some(cid) => parts.iter().find(|p| p.content_id == *cid),
        None => parts
            .iter()
            .find(|p| p.content_id.starts_with(&format!("{name}="))),
    };
    match (found, href) {
        (Some(p), _) => Ok(p.content.clone()),
        (None, Some(cid)) => Err(fail(format!(
            "the reply has no MIME part with Content-ID <{cid}> for the part `{name}`"
        ))),
        (None, None) if parts.is_empty() => Err(fail(format!(
            "the reply is not multipart/related, so it carries no MIME part `{name}`"
        ))),
        (None, None) => Err(fail(format!(
            "no element `{name}` with href=\"cid:...\" and no MIME part for `{name}` in the reply"
        ))),
    }
}

/// The Content-ID an element `local` (any namespace) refers to with `href="cid:..."`.
fn find_href(node: &XmlNode, local: &str) -> Option<String> {
    let own = (node.local == local)
        .then(|| node.attr("", "href"))
        .flatten()
        .and_then(|h| h.strip_prefix("cid:"))
        .map(percent_decode);
    own.or_else(|| node.children.iter().find_map(|c| find_href(c, local)))
}

/// One part: headers up to the first empty line, then the content.
fn part(segment: &[u8]) -> Result<MimePart, String> {
    // The rest of the boundary line (transport padding) ends at its line end.
    let line_end = segment
        .iter()
        .position(|&b| b == b'\n')
        .map_or(segment.len(), |p| p + 1);
    let rest = &segment[line_end..];
    let (head, content) = match rest
        .strip_prefix(b"\r\n")
        .or_else(|| rest.strip_prefix(b"\n"))
    {
        Some(content) => (&rest[..0], content),
        None => {
            let crlf = find_all(rest, b"\r\n\r\n").first().map(|&p| (p, 4));
            let lf = find_all(rest, b"\n\n").first().map(|&p| (p, 2));
            match [crlf, lf].into_iter().flatten().min() {
                Some((p, n)) => (&rest[..p], &rest[p + n..]),
                None => (rest, &rest[rest.len()..]),
            }
        }
    };
    let head = std::str::from_utf8(head).map_err(|_| "headers are not UTF-8".to_owned())?;
    let mut p = MimePart::default();
    let mut encoding = String::new();
    for line in head.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-id" => p.content_id = strip_id(v),
            "content-type" => p.content_type = v.to_owned(),
            "content-transfer-encoding" => encoding = v.to_ascii_lowercase(),
            _ => {}
        }
    }
    p.content = match encoding.as_str() {
        "base64" => {
            let clean: Vec<u8> = content
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(clean)
                .map_err(|e| format!("base64 content: {e}"))?
        }
        _ => content.to_vec(),
    };
    Ok(p)
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if &hay[i..i + needle.len()] == needle {
            out.push(i);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

/// `<id>` -> `id` (whitespace trimmed).
fn strip_id(v: &str) -> String {
    let v = v.trim();
    v.strip_prefix('<')
        .and_then(|v| v.strip_suffix('>'))
        .unwrap_or(v)
        .trim()
        .to_owned()
}

/// `%40` -> `@` (RFC 2392 cid URLs are URL-encoded); invalid escapes stay as they are.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or_default().trim()
}

/// A Content-Type parameter, unquoted; `;` inside quotes does not end it.
fn param(content_type: &str, name: &str) -> Option<String> {
    let mut rest = content_type.split_once(';')?.1;
    loop {
        let (key, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (value, next) = match after.strip_prefix('"') {
            Some(q) => {
                let end = q.find('"')?;
                (
                    q[..end].to_owned(),
                    q[end + 1..].split_once(';').map_or("", |x| x.1),
                )
            }
            None => match after.split_once(';') {
                Some((v, n)) => (v.trim().to_owned(), n),
                None => (after.trim().to_owned(), ""),
            },
        };
        if key.trim().eq_ignore_ascii_case(name) {
            return Some(value);
        }
        if next.is_empty() {
            return None;
        }
        rest = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CT: &str = r#"multipart/related; type="text/xml"; start="<root@x>"; boundary="B;1""#;

    #[test]
    fn root_by_start_and_content_before_the_crlf() {
        let body = b"--B;1\r\nContent-ID: <a@x>\r\n\r\n\x00\r\n-\r\n--B;1\r\nContent-Type: text/xml\r\nContent-ID: <root@x>\r\n\r\n<e/>\r\n--B;1--\r\n";
        let r = split(CT, body).unwrap();
        assert_eq!(r.root.content, b"<e/>");
        assert_eq!(r.parts.len(), 1);
        assert_eq!(r.parts[0].content_id, "a@x");
        assert_eq!(r.parts[0].content, b"\x00\r\n-");
    }

    #[test]
    fn first_part_without_start_and_errors() {
        let body = b"preamble\r\n--b\r\n\r\nroot\r\n--b\r\nContent-ID: <z>\r\nContent-Transfer-Encoding: base64\r\n\r\naGk=\r\n--b--";
        let r = split("multipart/related; boundary=b", body).unwrap();
        assert_eq!(r.root.content, b"root");
        assert_eq!(r.parts[0].content, b"hi");
        assert!(split("multipart/related", body)
            .unwrap_err()
            .contains("boundary"));
        assert!(split("multipart/related; boundary=b; start=\"<no>\"", body)
            .unwrap_err()
            .contains("<no>"));
        assert!(split("multipart/related; boundary=b", b"--b\r\n\r\nx")
            .unwrap_err()
            .contains("closing"));
        assert!(is_related(" Multipart/Related; boundary=b") && !is_related("text/xml"));
    }
}
