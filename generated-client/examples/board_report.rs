//! Prints a board's lanes, queues (with sub-queues) and cards as a table, with the card count
//! and WIP limit of every queue.
//!
//! ```sh
//! cargo run -p swiftkanban-emulator -- --port 8080 --seed demo &
//! cargo run -p generated-client --example board_report -- --board "Mobile App"
//! ```
//!
//! Options (or environment): `--url` (`SWIFTKANBAN_URL`, default `http://127.0.0.1:8080`),
//! `--login` (`SWIFTKANBAN_LOGIN`), `--password` (`SWIFTKANBAN_PASSWORD`), `--board NAME|ID`
//! (default: the first board).

use std::collections::HashMap;

use generated_client::types::{CardDetail, Children, Queue};
use generated_client::{login, Client};

fn options() -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if let Some(key) = a.strip_prefix("--") {
            out.insert(key.to_string(), args.next().unwrap_or_default());
        }
    }
    for (key, var, default) in [
        ("url", "SWIFTKANBAN_URL", "http://127.0.0.1:8080"),
        ("login", "SWIFTKANBAN_LOGIN", "admin@example.com"),
        ("password", "SWIFTKANBAN_PASSWORD", "admin-pw"),
    ] {
        if !out.contains_key(key) {
            out.insert(
                key.into(),
                std::env::var(var).unwrap_or_else(|_| default.into()),
            );
        }
    }
    out
}

/// One table row: a queue (or sub-queue) with its WIP limit.
struct Row {
    lane_id: String,
    queue_id: String,
    label: String,
    wip: i64,
    parent: bool,
}

fn rows_of(lane_id: &str, queue: &Queue, out: &mut Vec<Row>) {
    let children: &[Children] = queue.children.as_deref().unwrap_or_default();
    out.push(Row {
        lane_id: lane_id.to_string(),
        queue_id: queue.id.as_ref().map(|i| i.to_string()).unwrap_or_default(),
        label: queue
            .name
            .clone()
            .or_else(|| queue.display_name.clone())
            .unwrap_or_default(),
        wip: queue
            .wip
            .as_deref()
            .and_then(|w| w.parse().ok())
            .unwrap_or(-1),
        parent: !children.is_empty(),
    });
    for child in children {
        out.push(Row {
            lane_id: lane_id.to_string(),
            queue_id: child.id.as_ref().map(|i| i.to_string()).unwrap_or_default(),
            label: format!("  └ {}", child.name.as_deref().unwrap_or("")),
            wip: child
                .wip
                .as_deref()
                .and_then(|w| w.parse().ok())
                .unwrap_or(-1),
            parent: false,
        });
    }
}

#[tokio::main]
async fn main() -> Result<(), generated_client::Error> {
    let opts = options();
    let client = Client::new(
        opts["url"].clone(),
        login(opts["login"].clone(), opts["password"].clone()),
    )?;

    let boards = client
        .get_projects()
        .send()
        .await?
        .response
        .details
        .board
        .unwrap_or_default();
    let wanted = opts.get("board");
    let board = boards
        .iter()
        .find(|b| {
            wanted.is_none_or(|w| {
                b.project_name.as_deref() == Some(w.as_str())
                    || b.board_id.as_ref().is_some_and(|i| i.to_string() == *w)
            })
        })
        .unwrap_or_else(|| {
            eprintln!(
                "no board {wanted:?}; boards: {:?}",
                boards.iter().map(|b| &b.project_name).collect::<Vec<_>>()
            );
            std::process::exit(1)
        });
    let board_id = board
        .board_id
        .as_ref()
        .map(|i| i.to_string())
        .unwrap_or_default();

    let config = client
        .get_lane_and_queue_details(&board_id)
        .send()
        .await?
        .response
        .details;
    let cards: Vec<CardDetail> = client
        .get_card_list_1(&board_id)
        .send()
        .await?
        .response
        .details
        .card_details
        .unwrap_or_default();
    let in_queue = |lane: &str, queue: &str| -> Vec<&CardDetail> {
        cards
            .iter()
            .filter(|c| {
                c.current_swim_id.as_ref().map(|i| i.to_string()).as_deref() == Some(lane)
                    && c.current_queue_id
                        .as_ref()
                        .map(|i| i.to_string())
                        .as_deref()
                        == Some(queue)
            })
            .collect()
    };

    println!(
        "Board \"{}\" (id {board_id}), {} cards",
        board.project_name.as_deref().unwrap_or("?"),
        cards.len()
    );
    for lane in config.lane.iter().flatten() {
        let lane_id = lane.id.as_ref().map(|i| i.to_string()).unwrap_or_default();
        let mut rows = Vec::new();
        for q in lane.queue.iter().flatten() {
            rows_of(&lane_id, q, &mut rows);
        }
        println!();
        println!("Lane: {}", lane.name.as_deref().unwrap_or(""));
        println!(
            "  {:<24} {:>5} {:>5}  {:<6} Cards",
            "Queue", "Count", "WIP", ""
        );
        for (i, row) in rows.iter().enumerate() {
            let count = if row.parent {
                // A parent queue holds the cards of its sub-queues.
                rows[i + 1..]
                    .iter()
                    .take_while(|r| r.label.starts_with("  └"))
                    .map(|r| in_queue(&r.lane_id, &r.queue_id).len())
                    .sum()
            } else {
                in_queue(&row.lane_id, &row.queue_id).len()
            };
            let wip = if row.wip > 0 {
                row.wip.to_string()
            } else {
                "-".into()
            };
            let flag = if row.wip > 0 && count as i64 > row.wip {
                "OVER"
            } else {
                ""
            };
            let titles: Vec<String> = if row.parent {
                Vec::new()
            } else {
                in_queue(&row.lane_id, &row.queue_id)
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {}",
                            c.card_number.as_deref().unwrap_or("?"),
                            c.name.as_deref().unwrap_or("")
                        )
                    })
                    .collect()
            };
            println!(
                "  {:<24} {:>5} {:>5}  {:<6} {}",
                row.label,
                count,
                wip,
                flag,
                titles.join("; ")
            );
        }
    }
    let backlog: Vec<&CardDetail> = cards
        .iter()
        .filter(|c| c.current_queue.as_deref() == Some("Backlog"))
        .collect();
    println!();
    println!("Backlog: {} cards", backlog.len());
    for c in backlog {
        println!(
            "  {} {} [{}]",
            c.card_number.as_deref().unwrap_or("?"),
            c.name.as_deref().unwrap_or(""),
            c.work_type.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
