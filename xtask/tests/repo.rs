//! `cargo xtask` on temporary copies of the repository: regen is deterministic, check catches
//! edited pins and generated files, and the downloading regen works against a loopback server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Copies what xtask reads and writes (specs, generated client sources and tests) to a temp dir.
fn temp_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = repo_root();
    for rel in ["specs", "generated-client/src", "generated-client/tests"] {
        copy_dir(&root.join(rel), &dir.path().join(rel));
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("xtask runs")
}

fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push((
                    p.strip_prefix(root).expect("inside").to_path_buf(),
                    std::fs::read(&p).expect("read"),
                ));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn check_passes_on_the_checkout_copy_and_regen_is_byte_identical() {
    let copy = temp_copy();
    let before = snapshot(copy.path());
    let out = xtask(copy.path(), &["check"]);
    assert!(
        out.status.success(),
        "check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for _ in 0..2 {
        let out = xtask(copy.path(), &["regen", "--offline"]);
        assert!(
            out.status.success(),
            "regen failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("0 files changed"),
            "regen changed files: {stdout}"
        );
        assert!(stdout.contains("85 REST"), "{stdout}");
        assert!(
            stdout.contains(" 0 untyped fields"),
            "public fields typed as a JSON value: {stdout}"
        );
    }
    assert_eq!(
        snapshot(copy.path()),
        before,
        "regen modified a current checkout"
    );
}

#[test]
fn check_fails_on_an_edited_generated_file_and_regen_repairs_it() {
    let copy = temp_copy();
    let file = copy.path().join("generated-client/src/generated/rest.rs");
    let mut text = std::fs::read_to_string(&file).expect("read");
    text.push_str("\n// hand edit\n");
    std::fs::write(&file, text).expect("write");
    let out = xtask(copy.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("generated-client/src/generated/rest.rs is out of date"),
        "{stderr}"
    );
    assert!(stderr.contains("cargo xtask regen --offline"), "{stderr}");
    assert!(xtask(copy.path(), &["regen", "--offline"]).status.success());
    assert!(xtask(copy.path(), &["check"]).status.success());
}

#[test]
fn check_fails_on_an_edited_pin() {
    let copy = temp_copy();
    let pin = copy.path().join("specs/swiftkanban/KanbanCardService.wsdl");
    let text = std::fs::read_to_string(&pin)
        .expect("read")
        .replace("addCardDetails", "addCardDetail");
    std::fs::write(&pin, text).expect("write");
    let out = xtask(copy.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("KanbanCardService.wsdl: sha256"),
        "{stderr}"
    );
}

#[test]
fn a_broken_overlay_is_a_located_error_and_nothing_is_written() {
    let copy = temp_copy();
    let before = snapshot(&copy.path().join("generated-client"));
    let overlay = copy
        .path()
        .join("specs/overlays/restapi/30-corrections.json");
    std::fs::write(&overlay, "{\n  \"overlay\": \"1.0.0\",\n  \"actions\": [ {\"target\": \"$..x\", \"remove\": true} ]\n}\n").expect("write");
    let out = xtask(copy.path(), &["regen", "--offline"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("30-corrections.json#/actions/0: cannot read target"),
        "{stderr}"
    );
    assert_eq!(
        snapshot(&copy.path().join("generated-client")),
        before,
        "a failed regen wrote files"
    );
}

/// Serves `files` (URL path → bytes) on 127.0.0.1 for `requests` requests, then stops.
fn serve(
    files: Vec<(String, Vec<u8>)>,
    requests: usize,
) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.expect("accept");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            reader.read_line(&mut request_line).expect("read");
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).expect("header") <= 2 {
                    break;
                }
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_string();
            seen.push(path.clone());
            let (status, body) = match files.iter().find(|(p, _)| *p == path) {
                Some((_, b)) => ("200 OK", b.clone()),
                None => ("404 Not Found", b"not found".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream
                .write_all(head.as_bytes())
                .and_then(|_| stream.write_all(&body))
                .expect("write");
            let _ = reader.read(&mut [0u8; 0]);
        }
        seen
    });
    (base, handle)
}

#[test]
fn regen_downloads_every_document_from_loopback() {
    let copy = temp_copy();
    let specs = copy.path().join("specs/swiftkanban");
    let rest = std::fs::read(specs.join("restapi-openapi.json")).expect("pin");
    // The served WSDL differs from the reconstruction: regen must replace the pin and regenerate.
    let wsdl = std::fs::read_to_string(specs.join("KanbanCardService.wsdl"))
        .expect("pin")
        .replace("Reconstructed: not from upstream", "Served");
    let meta = std::fs::read(specs.join("MetadataService.wsdl")).expect("pin");
    let team = std::fs::read(specs.join("TeamMemberService.wsdl")).expect("pin");
    let (base, server) = serve(
        vec![
            ("/restapi/openapi.json".into(), rest.clone()),
            (
                "/axis2/services/KanbanCardService?wsdl".into(),
                wsdl.clone().into_bytes(),
            ),
            ("/axis2/services/MetadataService?wsdl".into(), meta),
            ("/axis2/services/TeamMemberService?wsdl".into(), team),
        ],
        4,
    );
    let urls: Vec<String> = [
        ("restapi", "/restapi/openapi.json"),
        (
            "KanbanCardService",
            "/axis2/services/KanbanCardService?wsdl",
        ),
        ("MetadataService", "/axis2/services/MetadataService?wsdl"),
        (
            "TeamMemberService",
            "/axis2/services/TeamMemberService?wsdl",
        ),
    ]
    .iter()
    .map(|(n, p)| format!("{n}={base}{p}"))
    .collect();
    let mut args = vec!["regen"];
    for u in &urls {
        args.push("--url");
        args.push(u);
    }
    let out = xtask(copy.path(), &args);
    assert!(
        out.status.success(),
        "regen failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("KanbanCardService: replaced the reconstructed pin"),
        "{stdout}"
    );
    assert_eq!(server.join().expect("server").len(), 4);
    assert_eq!(
        std::fs::read_to_string(specs.join("KanbanCardService.wsdl")).expect("pin"),
        wsdl
    );
    assert_eq!(
        std::fs::read(specs.join("restapi-openapi.json")).expect("pin"),
        rest
    );
    let manifest =
        std::fs::read_to_string(copy.path().join("specs/manifest.toml")).expect("manifest");
    let kcs = manifest
        .split("[[document]]")
        .find(|d| d.contains("name = \"KanbanCardService\""))
        .expect("entry");
    assert!(kcs.contains("reconstructed = false"), "{kcs}");
    assert!(
        xtask(copy.path(), &["check"]).status.success(),
        "check after regen"
    );
}

#[test]
fn a_failed_download_changes_no_pin() {
    let copy = temp_copy();
    let before = snapshot(&copy.path().join("specs"));
    let (base, server) = serve(vec![], 1);
    let url = format!("restapi={base}/restapi/openapi.json");
    let out = xtask(copy.path(), &["fetch", "--url", &url]);
    server.join().expect("server");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("restapi (http://127.0.0.1") && stderr.contains("404"),
        "{stderr}"
    );
    assert_eq!(snapshot(&copy.path().join("specs")), before);
}

#[test]
fn an_unreachable_reconstructed_document_keeps_its_pin_with_a_warning() {
    let copy = temp_copy();
    let before = snapshot(&copy.path().join("specs/swiftkanban"));
    let specs = copy.path().join("specs/swiftkanban");
    let served = vec![
        (
            "/restapi/openapi.json".to_string(),
            std::fs::read(specs.join("restapi-openapi.json")).expect("pin"),
        ),
        (
            "/axis2/services/MetadataService?wsdl".to_string(),
            std::fs::read(specs.join("MetadataService.wsdl")).expect("pin"),
        ),
        (
            "/axis2/services/TeamMemberService?wsdl".to_string(),
            std::fs::read(specs.join("TeamMemberService.wsdl")).expect("pin"),
        ),
    ];
    // KanbanCardService answers 404.
    let (base, server) = serve(served, 4);
    let args: Vec<String> = [
        ("restapi", "/restapi/openapi.json"),
        (
            "KanbanCardService",
            "/axis2/services/KanbanCardService?wsdl",
        ),
        ("MetadataService", "/axis2/services/MetadataService?wsdl"),
        (
            "TeamMemberService",
            "/axis2/services/TeamMemberService?wsdl",
        ),
    ]
    .iter()
    .flat_map(|(n, p)| ["--url".to_string(), format!("{n}={base}{p}")])
    .collect();
    let mut all = vec!["fetch"];
    all.extend(args.iter().map(String::as_str));
    let out = xtask(copy.path(), &all);
    server.join().expect("server");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: KanbanCardService")
            && stderr.contains("keeping the reconstructed pin"),
        "{stderr}"
    );
    assert_eq!(
        snapshot(&copy.path().join("specs/swiftkanban")),
        before,
        "pins changed"
    );
    let manifest =
        std::fs::read_to_string(copy.path().join("specs/manifest.toml")).expect("manifest");
    let kcs = manifest
        .split("[[document]]")
        .find(|d| d.contains("name = \"KanbanCardService\""))
        .expect("entry");
    assert!(kcs.contains("reconstructed = true"), "{kcs}");
}

#[test]
fn diagnostics_name_files_relative_to_the_repository() {
    let copy = temp_copy();
    let out = xtask(copy.path(), &["regen", "--offline"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning: specs/swiftkanban/restapi-openapi.json#/info: info.version is missing"
        ),
        "{stderr}"
    );
}
