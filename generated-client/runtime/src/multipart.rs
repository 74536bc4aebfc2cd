//! `multipart/form-data` request bodies (RFC 7578): text, JSON and file parts, encoded to bytes.
//!
//! The body is encoded in memory (so a request that may be retried can be resent as is), with a
//! random boundary chosen so that it occurs in no part.

use bytes::Bytes;
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::Serialize;

use crate::error::Error;

/// A file sent as one part: its file name, its bytes and (optionally) its media type.
///
/// Built from a `(file name, bytes)` pair: `FilePart::from(("a.txt", b"hello".to_vec()))`.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The `filename` of the part's `Content-Disposition`.
    pub file_name: String,
    /// The part's content, sent exactly (no encoding, nothing added).
    pub bytes: Bytes,
    /// The part's `Content-Type`; `None`: the one the document declares, else
    /// `application/octet-stream`.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A file part with the document's media type.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FilePart {
            file_name: file_name.into(),
            bytes: bytes.into(),
            content_type: None,
        }
    }

    /// Sets the part's media type (e.g. `image/png`).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl<N: Into<String>, B: Into<Bytes>> From<(N, B)> for FilePart {
    fn from((file_name, bytes): (N, B)) -> Self {
        FilePart::new(file_name, bytes)
    }
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("len", &self.bytes.len())
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// One encoded part: its header lines and its content.
#[derive(Debug, Clone)]
struct Part {
    headers: String,
    content: Bytes,
}

/// A `multipart/form-data` body being built; parts are sent in the order they are added.
#[derive(Debug, Default)]
pub struct Form {
    parts: Vec<Part>,
    /// First problem met while adding parts; reported by [`Form::finish`].
    error: Option<Error>,
}

/// Quotes a name for `Content-Disposition` as browsers do: `"` as `%22`, CR and LF as `%0D`, `%0A`.
fn quoted(name: &str) -> String {
    let escaped = name
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    format!("\"{escaped}\"")
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Form::default()
    }

    fn push(
        &mut self,
        name: &str,
        file_name: Option<&str>,
        content_type: Option<&str>,
        content: Bytes,
    ) {
        let mut headers = format!("Content-Disposition: form-data; name={}", quoted(name));
        if let Some(file_name) = file_name {
            headers.push_str("; filename=");
            headers.push_str(&quoted(file_name));
        }
        headers.push_str("\r\n");
        if let Some(ct) = content_type {
            if ct.bytes().any(|b| b.is_ascii_control()) {
                if self.error.is_none() {
                    self.error = Some(Error::invalid_request(format!(
                        "invalid content type {ct:?} for part {name:?}"
                    )));
                }
                return;
            }
            headers.push_str("Content-Type: ");
            headers.push_str(ct);
            headers.push_str("\r\n");
        }
        self.parts.push(Part { headers, content });
    }

    /// Adds a text part (no `Content-Type` unless given: RFC 7578 reads it as `text/plain`).
    pub fn text(&mut self, name: &str, content_type: Option<&str>, value: impl std::fmt::Display) {
        self.push(name, None, content_type, Bytes::from(value.to_string()));
    }

    /// Adds a part holding `value` as JSON, with `content_type` (e.g. `application/json`).
    pub fn json<T: Serialize + ?Sized>(&mut self, name: &str, content_type: &str, value: &T) {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.push(name, None, Some(content_type), Bytes::from(bytes)),
            Err(e) => {
                if self.error.is_none() {
                    self.error = Some(Error::invalid_request(format!(
                        "cannot serialize part {name:?}: {e}"
                    )));
                }
            }
        }
    }

    /// Adds a file part; `default_type` is its `Content-Type` unless the file names its own.
    pub fn file(&mut self, name: &str, file: &FilePart, default_type: &str) {
        let ct = file.content_type.as_deref().unwrap_or(default_type);
        self.push(name, Some(&file.file_name), Some(ct), file.bytes.clone());
    }

    /// The encoded body and its `Content-Type` (`multipart/form-data; boundary=…`).
    pub fn finish(self) -> Result<(String, Bytes), Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let boundary = loop {
            let candidate: String = rand::thread_rng()
                .sample_iter(&Alphanumeric)
                .take(32)
                .map(char::from)
                .collect();
            let candidate = format!("----client-runtime-{candidate}");
            let clash = self
                .parts
                .iter()
                .any(|p| contains(&p.content, candidate.as_bytes()));
            if !clash {
                break candidate;
            }
        };
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(b"--");
            body.extend_from_slice(boundary.as_bytes());
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(part.headers.as_bytes());
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
        Ok((
            format!("multipart/form-data; boundary={boundary}"),
            Bytes::from(body),
        ))
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_parts_in_order_with_exact_bytes() {
        let mut form = Form::new();
        form.json("meta", "application/json", &serde_json::json!({"a": 1}));
        form.file(
            "files",
            &FilePart::from(("b.bin", vec![0u8, 0xff, 0x10])),
            "application/octet-stream",
        );
        form.text("note", None, "n\"x");
        let (ct, body) = form.finish().expect("encodes");
        let boundary = ct
            .strip_prefix("multipart/form-data; boundary=")
            .expect("boundary");
        let head = |name: &str, extra: &str| {
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\n\r\n"
            )
            .into_bytes()
        };
        let mut expected = head("meta", "\r\nContent-Type: application/json");
        expected.extend_from_slice(b"{\"a\":1}\r\n");
        expected.extend(head(
            "files",
            "; filename=\"b.bin\"\r\nContent-Type: application/octet-stream",
        ));
        expected.extend_from_slice(&[0, 0xff, 0x10, b'\r', b'\n']);
        expected.extend(head("note", ""));
        expected.extend_from_slice(b"n\"x\r\n");
        expected.extend(format!("--{boundary}--\r\n").into_bytes());
        assert_eq!(body.to_vec(), expected);
    }

    #[test]
    fn boundary_never_occurs_in_a_part() {
        let mut form = Form::new();
        form.text("x", None, "----client-runtime-");
        let (ct, body) = form.finish().expect("encodes");
        let boundary = ct.rsplit('=').next().expect("boundary");
        assert_eq!(
            body.windows(boundary.len())
                .filter(|w| *w == boundary.as_bytes())
                .count(),
            2
        );
    }

    #[test]
    fn a_bad_content_type_is_an_error() {
        let mut form = Form::new();
        form.file(
            "f",
            &FilePart::new("a", Vec::new()).with_content_type("text/plain\r\nX: y"),
            "application/octet-stream",
        );
        assert!(form.finish().is_err());
    }

    #[test]
    fn debug_shows_no_content() {
        let text = format!("{:?}", FilePart::new("a.txt", b"secret".to_vec()));
        assert!(
            !text.contains("secret") && text.contains("len: 6"),
            "{text}"
        );
    }
}
