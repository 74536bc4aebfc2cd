//! `cargo xtask fetch`: downloads every manifest document, checks it parses, and only then
//! replaces the pins atomically and records their hashes and dates.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use crate::manifest::{sha256_hex, Document, Manifest};
use crate::Common;

/// Largest document accepted.
const MAX_BYTES: u64 = 32 * 1024 * 1024;

/// Runs the subcommand.
pub fn run(common: &Common) -> Result<ExitCode, String> {
    let mut args = common.args.clone();
    let overrides = crate::take_values(&mut args, "--url");
    crate::no_more(&args)?;
    let specs = common.root.join("specs");
    let mut manifest = Manifest::read(&specs)?;
    let client = http_client()?;
    let mut downloaded = Vec::new();
    for doc in &manifest.document {
        let url = url_for(doc, &overrides);
        match download(&client, &url).and_then(|bytes| validate(doc, &url, bytes)) {
            Ok(bytes) => downloaded.push((doc.name.clone(), url, bytes)),
            Err(e) if doc.reconstructed => {
                eprintln!(
                    "warning: {} ({url}): {e}; keeping the reconstructed pin",
                    doc.name
                );
            }
            Err(e) => return Err(format!("{} ({url}): {e}; no pin was changed", doc.name)),
        }
    }
    let today = today();
    for (name, url, bytes) in downloaded {
        let Some(doc) = manifest.document.iter_mut().find(|d| d.name == name) else {
            continue;
        };
        let path = doc.local(&specs);
        let changed = std::fs::read(&path).map(|old| old != bytes).unwrap_or(true);
        if changed {
            codegen::write::write_atomic(&path, &bytes)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if doc.reconstructed {
                println!("fetch: {name}: replaced the reconstructed pin with the document served at {url}");
            } else {
                println!("fetch: {name}: updated from {url}");
            }
            doc.pinned = today.clone();
        } else {
            println!("fetch: {name}: unchanged");
        }
        doc.sha256 = sha256_hex(&bytes);
        doc.reconstructed = false;
    }
    manifest.write(&specs)?;
    Ok(ExitCode::SUCCESS)
}

fn url_for(doc: &Document, overrides: &[String]) -> String {
    let prefix = format!("{}=", doc.name);
    if let Some(url) = overrides.iter().find_map(|o| o.strip_prefix(&prefix)) {
        return url.to_string();
    }
    let var = format!("XTASK_URL_{}", doc.name.to_uppercase());
    std::env::var(var).unwrap_or_else(|_| doc.url.clone())
}

fn http_client() -> Result<reqwest::blocking::Client, String> {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            let same_origin = attempt
                .previous()
                .first()
                .is_some_and(|first| first.origin() == attempt.url().origin());
            if attempt.previous().len() > 5 || !same_origin {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

fn download(client: &reqwest::blocking::Client, url: &str) -> Result<Vec<u8>, String> {
    let response = client
        .get(url)
        .send()
        .map_err(|e| format!("download failed: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("server answered {status}"));
    }
    let mut bytes = Vec::new();
    response
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading the body: {e}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("document is larger than {MAX_BYTES} bytes"));
    }
    Ok(bytes)
}

/// Checks the bytes parse as the kind of document the manifest says.
fn validate(doc: &Document, url: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(&bytes).map_err(|_| "document is not UTF-8".to_string())?;
    match doc.kind.as_str() {
        "openapi" => {
            let mut diags = codegen::Diagnostics::new();
            let name = if url.ends_with(".yaml") || url.ends_with(".yml") {
                "served.yaml"
            } else {
                "served.json"
            };
            let value = codegen::load::document::parse(Path::new(name), text, &mut diags)
                .ok_or_else(|| diags.to_string())?;
            if value.get("openapi").is_none() && value.get("swagger").is_none() {
                return Err("not an OpenAPI document (no 'openapi' or 'swagger' field)".into());
            }
        }
        _ => {
            let root = codegen::load::xml::parse(text)
                .map_err(|(l, c, m)| format!("not XML at {l}:{c}: {m}"))?;
            if root.local != "definitions" {
                return Err(format!(
                    "not a WSDL document (root element is '{}')",
                    root.local
                ));
            }
        }
    }
    Ok(bytes)
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0) as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_790), (2026, 12, 3));
    }
}
