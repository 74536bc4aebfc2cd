//! Runs the shell steps of `.github/workflows/spec-drift.yml`, as written, on a minimal root
//! whose upstream is a loopback server serving a changed document: the report lands in the job
//! summary (Markdown) and drift.json, regen and the version bump happen, and the last step
//! fails because the drift is breaking. `cargo xtask` is a shim for the built binary.

#[path = "drift_support.rs"]
mod support;

use std::path::Path;
use std::process::Command;

use support::*;

fn run_steps(root: &Path, shim_dir: &Path, base: &str) -> Vec<(String, i32, String)> {
    let wf = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../.github/workflows/spec-drift.yml"),
    )
    .expect("workflow");
    let wf: serde_yaml::Value = serde_yaml::from_str(&wf).expect("YAML");
    let steps = wf["jobs"]["drift"]["steps"].as_sequence().expect("steps");
    let summary = root.join("summary.md");
    let output = root.join("output.txt");
    let mut results = Vec::new();
    for step in steps {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        let name = step["name"].as_str().unwrap_or("").to_string();
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(root)
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    shim_dir.display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &output)
            .env("XTASK_BIN", env!("CARGO_BIN_EXE_xtask"))
            .env("XTASK_URL_BOARDS", format!("{base}{REST_PATH}"))
            .env("XTASK_URL_BOARDSERVICE", format!("{base}{SOAP_PATH}"))
            .output()
            .expect("bash runs");
        results.push((
            name,
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        ));
    }
    results
}

/// `cargo xtask ARGS` → the built xtask with `--root .`; any other cargo use fails the test.
fn cargo_shim() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    let shim = dir.path().join("cargo");
    std::fs::write(&shim, "#!/usr/bin/env bash\nif [ \"$1\" != xtask ]; then echo \"unexpected cargo $*\" >&2; exit 99; fi\nshift\nexec \"$XTASK_BIN\" \"$@\" --root .\n").expect("shim");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    dir
}

#[test]
fn workflow_steps_report_regen_bump_and_fail_on_breaking_drift() {
    // The manifest's URLs point nowhere: the workflow's steps reach upstream only through the
    // XTASK_URL_* overrides, as a fork's CI could.
    let (base, files) = serve(version('a'));
    let dir = minimal_root("http://127.0.0.1:9", "0.3.1");
    let root = dir.path();
    let shim = cargo_shim();
    let urls = [
        format!("boards={base}{REST_PATH}"),
        format!("BoardService={base}{SOAP_PATH}"),
    ];
    let out = xtask(root, &["regen", "--url", &urls[0], "--url", &urls[1]]);
    assert!(out.status.success(), "{}", show(&out));

    // No drift: every step passes and nothing is bumped.
    let results = run_steps(root, shim.path(), &base);
    assert_eq!(results.len(), 3, "{results:#?}");
    for (name, code, log) in &results {
        assert_eq!(*code, 0, "{name}: {log}");
    }
    assert!(std::fs::read_to_string(root.join("summary.md"))
        .unwrap()
        .contains("No drift"));
    assert!(std::fs::read_to_string(root.join("output.txt"))
        .unwrap()
        .contains("changed=false"));
    assert!(!root.join("CHANGELOG.md").exists());

    // Upstream changes (a field removed among others): report, regen, bump, then fail.
    *files.lock().unwrap() = version('b');
    std::fs::remove_file(root.join("summary.md")).unwrap();
    std::fs::remove_file(root.join("output.txt")).unwrap();
    let results = run_steps(root, shim.path(), &base);
    let codes: Vec<i32> = results.iter().map(|r| r.1).collect();
    assert_eq!(codes, vec![0, 0, 1], "{results:#?}");
    assert!(results[2].2.contains("drift is breaking"), "{results:#?}");
    let summary = std::fs::read_to_string(root.join("summary.md")).unwrap();
    assert!(
        summary.contains("## Upstream spec drift") && summary.contains("`field-removed`"),
        "{summary}"
    );
    let outputs = std::fs::read_to_string(root.join("output.txt")).unwrap();
    assert!(
        outputs.contains("changed=true")
            && outputs.contains("semver=major")
            && outputs.contains("next_version=0.4.0"),
        "{outputs}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("drift.json")).unwrap()).unwrap();
    assert_eq!(report["breaking"], 1);
    assert_eq!(report["next_version"], "0.4.0");
    // regen ran (the new method is there) and the version was bumped, lock file included.
    assert!(generated(root).contains("fn list_cards("));
    assert!(
        std::fs::read_to_string(root.join("generated-client/Cargo.toml"))
            .unwrap()
            .contains("version = \"0.4.0\"")
    );
    assert!(std::fs::read_to_string(root.join("Cargo.lock"))
        .unwrap()
        .contains("name = \"generated-client\"\nversion = \"0.4.0\""));
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.starts_with("# Changelog\n\n## generated-client 0.4.0 ("),
        "{changelog}"
    );
    assert!(changelog.contains("`field-removed`"), "{changelog}");
    assert!(
        xtask(root, &["check"]).status.success(),
        "the PR's tree is current"
    );

    // A second bump keeps older entries below the new one.
    let out = xtask(root, &["bump-version", "0.4.1"]);
    assert!(out.status.success(), "{}", show(&out));
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
    let (a, b) = (
        changelog.find("## generated-client 0.4.1").unwrap(),
        changelog.find("## generated-client 0.4.0").unwrap(),
    );
    assert!(a < b, "{changelog}");
}
