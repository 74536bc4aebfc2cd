//! Shared by the drift tests (included with `#[path]`): a loopback server whose files can be
//! swapped, and a minimal repository root whose manifest points at it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

pub type Files = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// Serves the current `files` (URL path with query → bytes) on 127.0.0.1 until the test
/// process ends; requests for anything else answer 404.
pub fn serve(files: Vec<(String, Vec<u8>)>) -> (String, Files) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let shared: Files = Arc::new(Mutex::new(files));
    let files = shared.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(n) if n > 2 => {}
                    _ => break,
                }
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_string();
            let body = files
                .lock()
                .expect("lock")
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, b)| b.clone());
            let (status, body) = match body {
                Some(b) => ("200 OK", b),
                None => ("404 Not Found", b"not found".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream
                .write_all(head.as_bytes())
                .and_then(|_| stream.write_all(&body));
        }
    });
    (base, shared)
}

pub fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/drift_fixtures")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub const REST_PATH: &str = "/api/openapi.json";
pub const SOAP_PATH: &str = "/axis2/services/BoardService?wsdl";

/// Version A or B of both documents, at their URL paths.
pub fn version(v: char) -> Vec<(String, Vec<u8>)> {
    vec![
        (REST_PATH.into(), fixture(&format!("boards-{v}.json"))),
        (SOAP_PATH.into(), fixture(&format!("BoardService-{v}.wsdl"))),
    ]
}

/// A minimal repository root: a manifest pointing at `base`, no pins yet, and the
/// generated-client paths regen writes to.
pub fn minimal_root(base: &str, version: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("specs/boards")).expect("mkdir");
    std::fs::create_dir_all(root.join("generated-client/src/generated")).expect("mkdir");
    std::fs::create_dir_all(root.join("generated-client/tests/generated")).expect("mkdir");
    std::fs::write(
        root.join("generated-client/Cargo.toml"),
        format!("[package]\nname = \"generated-client\"\nversion = \"{version}\"\nedition = \"2021\"\n\n[dependencies]\nserde = \"1\"\n"),
    )
    .expect("write");
    std::fs::write(
        root.join("Cargo.lock"),
        format!(
            "version = 4\n\n[[package]]\nname = \"generated-client\"\nversion = \"{version}\"\n"
        ),
    )
    .expect("write");
    let manifest = format!(
        r#"[[document]]
name = "boards"
kind = "openapi"
url = "{base}{REST_PATH}"
path = "boards/openapi.json"
sha256 = ""
pinned = ""

[[document]]
name = "BoardService"
kind = "wsdl"
url = "{base}{SOAP_PATH}"
path = "boards/BoardService.wsdl"
sha256 = ""
pinned = ""
"#
    );
    std::fs::write(root.join("specs/manifest.toml"), manifest).expect("write");
    dir
}

pub fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("xtask runs")
}

pub fn show(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn generated(root: &Path) -> String {
    let dir = root.join("generated-client/src/generated");
    let mut all = String::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("generated dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        all.push_str(&std::fs::read_to_string(&p).expect("read"));
    }
    all
}
