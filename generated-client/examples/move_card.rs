//! Finds a card by its title and moves it (REST): from the Backlog onto the board
//! (`move/ready`), or between queues (`move/board`).
//!
//! ```sh
//! cargo run -p generated-client --example move_card -- --title "Login with SSO" --to "Develop#In-Progress"
//! ```
//!
//! Options (or environment): `--url` (`SWIFTKANBAN_URL`, default `http://127.0.0.1:8080`),
//! `--login` (`SWIFTKANBAN_LOGIN`), `--password` (`SWIFTKANBAN_PASSWORD`), `--board NAME|ID`
//! (default: the first board), `--title TITLE`, `--to QUEUE` (display name, e.g.
//! `Develop#In-Progress`), `--lane NAME` (default: the first lane that has the queue).

use std::collections::HashMap;

use generated_client::runtime::Id;
use generated_client::types::{CardDetail2, MoveCardOnBoardRequest, MoveCardToReadyRequest};
use generated_client::{login, CardRef, Client};

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

fn fail(msg: String) -> ! {
    eprintln!("move_card: {msg}");
    std::process::exit(1)
}

#[tokio::main]
async fn main() -> Result<(), generated_client::Error> {
    let opts = options();
    let title = opts
        .get("title")
        .cloned()
        .unwrap_or_else(|| fail("--title is required".into()));
    let target = opts
        .get("to")
        .cloned()
        .unwrap_or_else(|| fail("--to QUEUE is required".into()));
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
    let board = boards
        .iter()
        .find(|b| {
            opts.get("board").is_none_or(|w| {
                b.project_name.as_deref() == Some(w.as_str())
                    || b.board_id.as_ref().is_some_and(|i| i.to_string() == *w)
            })
        })
        .unwrap_or_else(|| fail("board not found".into()));
    let board_id = board
        .board_id
        .as_ref()
        .map(|i| i.to_string())
        .unwrap_or_default();

    // The card: a free-text search, then an exact title match.
    let found = client
        .get_card_list_1(&board_id)
        .search(&title)
        .send()
        .await?
        .response
        .details
        .card_details
        .unwrap_or_default();
    let card = found
        .iter()
        .find(|c| c.name.as_deref() == Some(title.as_str()))
        .unwrap_or_else(|| {
            fail(format!(
                "no card titled {title:?} on board {}",
                board.project_name.as_deref().unwrap_or("?")
            ))
        });
    let card_type = card.work_type.clone().unwrap_or_default();
    let unique = card.id.as_ref().map(|i| i.to_string()).unwrap_or_default();
    let from = card.current_queue.clone().unwrap_or_default();

    // The target queue.
    let lanes = client
        .get_smart_lane_details(&board_id)
        .send()
        .await?
        .response
        .details
        .swim_lane
        .unwrap_or_default();
    let (lane_id, queue_id) = lanes
        .iter()
        .filter(|l| {
            opts.get("lane")
                .is_none_or(|n| l.lane_name.as_deref() == Some(n.as_str()))
        })
        .find_map(|l| {
            l.queue
                .iter()
                .flatten()
                .find(|q| q.display_name.as_deref() == Some(target.as_str()))
                .map(|q| {
                    (
                        l.lane_id
                            .as_ref()
                            .map(|i| i.to_string())
                            .unwrap_or_default(),
                        q.queue_id
                            .as_ref()
                            .map(|i| i.to_string())
                            .unwrap_or_default(),
                    )
                })
        })
        .unwrap_or_else(|| {
            fail(format!(
                "no queue {target:?} on board {}",
                board.project_name.as_deref().unwrap_or("?")
            ))
        });

    let item = CardDetail2 {
        card_type: Some(card_type.clone()),
        card_unique_id: Some(Id::from(unique.clone())),
        ..Default::default()
    };
    let status = if from == "Backlog" {
        let body = MoveCardToReadyRequest {
            card_details: Some(vec![CardDetail2 {
                swim_id: Some(Id::from(lane_id.clone())),
                queue_id: Some(Id::from(queue_id.clone())),
                ..item
            }]),
            ..Default::default()
        };
        let answer = client
            .move_card_to_ready(&board_id)
            .body(body)
            .send()
            .await?;
        answer
            .response
            .details
            .card_details
            .iter()
            .flatten()
            .next()
            .and_then(|d| d.response_status.clone())
    } else {
        let body = MoveCardOnBoardRequest {
            card_details: Some(vec![CardDetail2 {
                to_swim_id: Some(Id::from(lane_id.clone())),
                to_qkey_id: Some(Id::from(queue_id.clone())),
                ..item
            }]),
            ..Default::default()
        };
        let answer = client
            .move_card_on_board(&board_id)
            .body(body)
            .send()
            .await?;
        answer
            .response
            .details
            .card_details
            .iter()
            .flatten()
            .next()
            .and_then(|d| d.response_status.clone())
    };

    // Read it back.
    let now = client
        .get_card(&board_id, CardRef::new(card_type, unique))
        .send()
        .await?;
    let queue_now = now
        .response
        .details
        .card_details
        .and_then(|c| c.current_queue)
        .unwrap_or_default();
    println!(
        "Moved {} \"{title}\" from {from} to {queue_now} ({})",
        card.card_number.as_deref().unwrap_or("?"),
        status.unwrap_or_default()
    );
    if queue_now != target {
        fail(format!("the card is in {queue_now}, not {target}"));
    }
    Ok(())
}
