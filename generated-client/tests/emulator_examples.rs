//! Runs the examples (`board_report`, `move_card`, `soap_add_card`) against the emulator and
//! checks what they print and what they changed.
//!
//! `cargo test` builds the examples next to this test binary (`target/<profile>/examples/`);
//! they are run from there. When they are missing or older than their source (e.g. after a
//! `--test` filtered build), the test
//! falls back to `cargo run --example NAME` with its own target directory, so it never waits
//! on the lock the running `cargo test` holds.

use std::path::PathBuf;
use std::process::Command;

use swiftkanban_emulator::{Emulator, State};

fn example_command(name: &str) -> Command {
    let exe = std::env::current_exe().expect("test executable");
    // target/<profile>/deps/emulator_examples-<hash> → target/<profile>/examples/<name>
    let built: Option<PathBuf> = exe.parent().and_then(|deps| deps.parent()).map(|profile| {
        profile
            .join("examples")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
    });
    // Use the built example unless its source is newer (a filtered `cargo test --test` run
    // does not rebuild examples).
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(format!("{name}.rs"));
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = |p: &PathBuf| p.is_file() && modified(p) >= modified(&source);
    match built.filter(fresh) {
        Some(path) => Command::new(path),
        None => {
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            let mut cmd = Command::new(env!("CARGO"));
            cmd.current_dir(&root)
                .args([
                    "run",
                    "--quiet",
                    "-p",
                    "generated-client",
                    "--example",
                    name,
                    "--target-dir",
                ])
                .arg(
                    root.parent()
                        .expect("repo")
                        .join("target")
                        .join("emulator-examples"),
                )
                .arg("--");
            cmd
        }
    }
}

fn run(name: &str, base_url: &str, args: &[&str]) -> String {
    let out = example_command(name)
        .args(args)
        .env("SWIFTKANBAN_URL", base_url)
        .env("SWIFTKANBAN_LOGIN", "admin@example.com")
        .env("SWIFTKANBAN_PASSWORD", "admin-pw")
        .output()
        .unwrap_or_else(|e| panic!("cannot run example {name}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "example {name} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[tokio::test(flavor = "multi_thread")]
async fn examples_run_against_the_emulator() {
    let state = State::demo();
    let emu = Emulator::start(state.clone()).await.expect("emulator");
    let url = emu.base_url();
    let board = state.read(|m| m.boards[0].id.to_string());

    // board_report: lanes, queues with sub-queues, counts and WIP, the Backlog.
    let report = tokio::task::spawn_blocking({
        let url = url.clone();
        move || run("board_report", &url, &["--board", "Mobile App"])
    })
    .await
    .expect("join");
    assert!(report.contains("Board \"Mobile App\""), "{report}");
    assert!(
        report.contains("Lane: Product") && report.contains("Lane: Expedite"),
        "{report}"
    );
    let develop = report
        .lines()
        .find(|l| l.trim_start().starts_with("Develop "))
        .expect("Develop row");
    assert!(
        develop.split_whitespace().collect::<Vec<_>>()[1..3] == ["3", "4"],
        "count 3 of WIP 4: {develop}"
    );
    assert!(
        report
            .lines()
            .any(|l| l.contains("└ In-Progress") && l.contains("Crash on rotate")),
        "{report}"
    );
    assert!(report.contains("Backlog: 2 cards"), "{report}");

    // move_card: by title, from the Backlog to Ready, then on the board.
    let moved = tokio::task::spawn_blocking({
        let url = url.clone();
        move || {
            let a = run(
                "move_card",
                &url,
                &["--title", "Push notifications", "--to", "Ready"],
            );
            let b = run(
                "move_card",
                &url,
                &[
                    "--title",
                    "Push notifications",
                    "--to",
                    "Develop#In-Progress",
                    "--lane",
                    "Product",
                ],
            );
            format!("{a}{b}")
        }
    })
    .await
    .expect("join");
    assert!(moved.contains("from Backlog to Ready"), "{moved}");
    assert!(
        moved.contains("from Ready to Develop#In-Progress"),
        "{moved}"
    );
    let (card_queue, in_progress) = state.read(|m| {
        let c = m.card_by_title("Push notifications").expect("card");
        let q = m.boards[0].lanes[0].queues[1].children[0].id;
        (c.position.map(|p| p.1), q)
    });
    assert_eq!(
        card_queue,
        Some(in_progress),
        "the moved card is in its new queue"
    );

    // soap_add_card: card types through MetadataService, the card through KanbanCardService.
    let added = tokio::task::spawn_blocking({
        let url = url.clone();
        move || {
            run(
                "soap_add_card",
                &url,
                &[
                    "--board",
                    &board,
                    "--type",
                    "Defects",
                    "--title",
                    "Battery drain on idle",
                ],
            )
        }
    })
    .await
    .expect("join");
    assert!(
        added.contains("KanbanDefect") && added.contains("Document Management"),
        "{added}"
    );
    assert!(added.contains("Added DEF"), "{added}");
    let card = state.read(|m| {
        m.card_by_title("Battery drain on idle")
            .map(|c| (c.work_type.clone(), c.position))
    });
    assert_eq!(
        card,
        Some(("KanbanDefect".to_string(), None)),
        "added over SOAP, waiting in the Backlog"
    );
}
