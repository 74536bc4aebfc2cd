//! "New services appear": upstream grows (an operation, a field, a SOAP operation) and loses a
//! field; regen picks it up, drift explains it with the right classification, and check fails
//! until regen has run. Also: fetch follows imports into the catalog and changes nothing on failure.

#[path = "drift_support.rs"]
mod support;

use std::collections::BTreeSet;

use support::*;

fn json_report(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", show(out)))
}

#[test]
fn new_services_appear_and_drift_explains_them() {
    let (base, files) = serve(version('a'));
    let dir = minimal_root(&base, "0.3.1");
    let root = dir.path();

    // Version A: regen downloads the pins and generates.
    let out = xtask(root, &["regen"]);
    assert!(out.status.success(), "{}", show(&out));
    let code = generated(root);
    assert!(code.contains("fn get_card("), "{code}");
    assert!(code.contains("fn get_board("), "{code}");
    assert!(code.contains("pub legacy_code:"), "{code}");
    assert!(!code.contains("fn list_cards("));
    assert!(xtask(root, &["check"]).status.success());

    // Upstream unchanged: no drift.
    let out = xtask(root, &["drift", "--format", "json", "--deny", "any"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let r = json_report(&out);
    assert_eq!(r["semver"], "none", "{r:#}");
    assert_eq!(r["next_version"], "0.3.1");

    // Version B upstream.
    *files.lock().unwrap() = version('b');
    let out = xtask(root, &["drift", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let r = json_report(&out);
    let changes: BTreeSet<(String, String, String, bool)> = r["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["document"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["location"].as_str().unwrap().to_string(),
                c["breaking"].as_bool().unwrap(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, String, bool)> = [
        ("boards", "operation-added", "GET /cards", false),
        (
            "boards",
            "field-added",
            "type `Card` field `priority`",
            false,
        ),
        (
            "boards",
            "field-removed",
            "type `Card` field `legacyCode`",
            true,
        ),
        (
            "BoardService",
            "soap-operation-added",
            "BoardService.archiveBoard",
            false,
        ),
    ]
    .iter()
    .map(|(d, k, l, b)| (d.to_string(), k.to_string(), l.to_string(), *b))
    .collect();
    assert_eq!(changes, want, "{r:#}");
    assert_eq!(r["breaking"], 1);
    assert_eq!(r["non_breaking"], 3);
    assert_eq!(r["semver"], "major");
    assert_eq!(r["next_version"], "0.4.0", "0.y.z breaking → 0.(y+1).0");
    let rust: BTreeSet<(String, String, bool)> = r["rust_api"]
        .as_array()
        .expect("rust_api")
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["location"].as_str().unwrap().to_string(),
                c["breaking"].as_bool().unwrap(),
            )
        })
        .collect();
    for want in [
        ("rust-fn-added", "Client::list_cards", false),
        ("rust-fn-added", "BoardService::archive_board", false),
        ("rust-field-removed", "types::Card::legacy_code", true),
        ("rust-pub-field-added", "types::Card::priority", true),
    ] {
        assert!(
            rust.contains(&(want.0.to_string(), want.1.to_string(), want.2)),
            "{want:?} not in {rust:#?}"
        );
    }
    // The operation's new types come with it, not as separate changes.
    let soap_added = r["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "soap-operation-added")
        .unwrap();
    assert!(
        soap_added["detail"]
            .as_str()
            .unwrap()
            .contains("new type `ArchiveBoard"),
        "{soap_added}"
    );

    // --deny: breaking drift is denied (exit 1) under breaking and any, allowed under none.
    assert_eq!(
        xtask(root, &["drift", "--deny", "breaking"]).status.code(),
        Some(1)
    );
    assert_eq!(
        xtask(root, &["drift", "--deny", "any", "--format", "markdown"])
            .status
            .code(),
        Some(1)
    );
    let md = xtask(root, &["drift", "--format", "markdown"]);
    let md_text = String::from_utf8_lossy(&md.stdout);
    assert!(
        md_text.contains("| 🔴 breaking | boards | `field-removed` |"),
        "{md_text}"
    );
    let text = xtask(root, &["drift"]);
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .contains("BREAKING     boards [field-removed] type `Card` field `legacyCode`"),
        "{}",
        show(&text)
    );

    // New pins, old generated code: check fails until regen has run.
    let out = xtask(root, &["fetch"]);
    assert!(out.status.success(), "{}", show(&out));
    let out = xtask(root, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is out of date"),
        "{}",
        show(&out)
    );
    let out = xtask(root, &["regen", "--offline"]);
    assert!(out.status.success(), "{}", show(&out));
    assert!(xtask(root, &["check"]).status.success());
    let code = generated(root);
    assert!(code.contains("fn list_cards("), "new REST method");
    assert!(code.contains("fn archive_board("), "new SOAP method");
    assert!(code.contains("pub struct ArchiveBoard"), "new SOAP type");
    assert!(code.contains("pub priority:"), "new field");
    assert!(!code.contains("legacy_code"), "removed field");

    // Pins now match upstream: no drift left.
    let r = json_report(&xtask(
        root,
        &["drift", "--format", "json", "--deny", "any"],
    ));
    assert_eq!(r["semver"], "none", "{r:#}");

    // Files and URLs compare too: version A's document against the pinned B, one document each.
    let a = root.join("a.json");
    std::fs::write(&a, fixture("boards-a.json")).unwrap();
    let out = xtask(
        root,
        &[
            "drift",
            "--old",
            a.to_str().unwrap(),
            "--new",
            &format!("{base}{REST_PATH}"),
            "--format",
            "json",
        ],
    );
    let r = json_report(&out);
    assert_eq!(r["breaking"], 1, "{r:#}");
    assert_eq!(r["non_breaking"], 2, "{r:#}");
}

#[test]
fn fetch_follows_imports_into_the_catalog() {
    let wsdl = br#"<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x">
  <wsdl:types>
    <xsd:schema><xsd:import namespace="urn:x" schemaLocation="BoardService?xsd=xsd0"/></xsd:schema>
  </wsdl:types>
</wsdl:definitions>
"#
    .to_vec();
    let xsd0 = br#"<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x"><xsd:include schemaLocation="../schemas/common.xsd"/></xsd:schema>"#.to_vec();
    let common = br#"<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x"><xsd:element name="e" type="xsd:string"/></xsd:schema>"#.to_vec();
    let api = br##"{"openapi":"3.0.1","info":{"title":"t","version":"1"},"paths":{"/a":{"$ref":"paths/a.json"}},"components":{"schemas":{"C":{"$ref":"#/components/schemas/D"},"D":{"$ref":"schemas/card.yaml#/Card"}}}}"##.to_vec();
    let path_a = br##"{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"../schemas/card.yaml#/Card"}}}}}}}"##.to_vec();
    let card = b"Card:\n  type: object\n  properties:\n    id: {type: string}\n".to_vec();
    let served = vec![
        (REST_PATH.to_string(), api.clone()),
        ("/api/paths/a.json".to_string(), path_a.clone()),
        ("/api/schemas/card.yaml".to_string(), card.clone()),
        (SOAP_PATH.to_string(), wsdl.clone()),
        (
            "/axis2/services/BoardService?xsd=xsd0".to_string(),
            xsd0.clone(),
        ),
        ("/axis2/schemas/common.xsd".to_string(), common.clone()),
    ];
    let (base, files) = serve(served);
    let dir = minimal_root(&base, "0.1.0");
    let root = dir.path();
    let out = xtask(root, &["fetch"]);
    assert!(out.status.success(), "{}", show(&out));
    let specs = root.join("specs");
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(specs.join("manifest.toml")).unwrap()).unwrap();
    let docs = manifest["document"].as_array().unwrap();
    let catalog = |name: &str| {
        docs.iter()
            .find(|d| d["name"].as_str() == Some(name))
            .unwrap()["catalog"]
            .as_table()
            .unwrap()
            .clone()
    };
    let rest = catalog("boards");
    let soap = catalog("BoardService");
    assert_eq!(rest.len(), 2, "{rest:#?}");
    assert_eq!(soap.len(), 2, "{soap:#?}");
    for (url, bytes) in [
        (format!("{base}/api/paths/a.json"), &path_a),
        (format!("{base}/api/schemas/card.yaml"), &card),
    ] {
        let local = rest
            .get(&url)
            .unwrap_or_else(|| panic!("{url} not in {rest:#?}"))
            .as_str()
            .unwrap();
        assert_eq!(
            &std::fs::read(specs.join(local)).unwrap(),
            bytes,
            "{local} stored byte for byte"
        );
    }
    for (url, bytes) in [
        (
            format!("{base}/axis2/services/BoardService?xsd=xsd0"),
            &xsd0,
        ),
        (format!("{base}/axis2/schemas/common.xsd"), &common),
    ] {
        let local = soap
            .get(&url)
            .unwrap_or_else(|| panic!("{url} not in {soap:#?}"))
            .as_str()
            .unwrap();
        assert!(local.starts_with("boards/BoardService.imports/"), "{local}");
        assert_eq!(
            &std::fs::read(specs.join(local)).unwrap(),
            bytes,
            "{local} stored byte for byte"
        );
    }
    assert_eq!(
        std::fs::read(specs.join("boards/BoardService.wsdl")).unwrap(),
        wsdl
    );

    // An import that fails: the error names its URL and the reason, and nothing changes.
    let before = std::fs::read_to_string(specs.join("manifest.toml")).unwrap();
    let pinned_api = std::fs::read(specs.join("boards/openapi.json")).unwrap();
    {
        let mut f = files.lock().unwrap();
        f.retain(|(p, _)| p != "/axis2/schemas/common.xsd");
        for (p, b) in f.iter_mut() {
            if p == REST_PATH {
                *b = api.iter().copied().chain(b" ".iter().copied()).collect();
            }
        }
    }
    let out = xtask(root, &["fetch"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("import {base}/axis2/schemas/common.xsd"))
            && stderr.contains("404"),
        "{stderr}"
    );
    assert!(stderr.contains("no pin was changed"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(specs.join("manifest.toml")).unwrap(),
        before
    );
    assert_eq!(
        std::fs::read(specs.join("boards/openapi.json")).unwrap(),
        pinned_api,
        "the REST pin waits for the whole set"
    );

    // An import that does not parse is refused the same way.
    files.lock().unwrap().push((
        "/axis2/schemas/common.xsd".into(),
        b"<not-a-schema/>".to_vec(),
    ));
    let out = xtask(root, &["fetch"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("expected an XML Schema or a WSDL"),
        "{}",
        show(&out)
    );
    assert_eq!(
        std::fs::read_to_string(specs.join("manifest.toml")).unwrap(),
        before
    );
}
