//! Looks up the card types of a board through the SOAP MetadataService, then adds a card
//! through KanbanCardService, authenticating with a WS-Security UsernameToken.
//!
//! ```sh
//! cargo run -p generated-client --example soap_add_card -- --board 1000004 --type "User Stories" --title "Offline sync"
//! ```
//!
//! Options (or environment): `--url` (`SWIFTKANBAN_URL`, default `http://127.0.0.1:8080`),
//! `--login` (`SWIFTKANBAN_LOGIN`), `--password` (`SWIFTKANBAN_PASSWORD`), `--board ID`
//! (project id; default: the first project the user is a team member of, via
//! TeamMemberService), `--type` (type key, code or display name; default: the first type),
//! `--title`, `--size` (default `M`).

use std::collections::HashMap;

use generated_client::types::{
    AddCardDetails2, CardField, CardFields, GetCardListForProjectInput, TeamsForProjectsInput,
};
use generated_client::{Client, UsernameToken};

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

/// `(element, attributes)` for every element named `local` (any prefix) in `xml`.
fn elements(xml: &str, local: &str) -> Vec<HashMap<String, String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == local.as_bytes() =>
            {
                let attrs = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                        let value = a
                            .unescape_value()
                            .map(|v| v.into_owned())
                            .unwrap_or_default();
                        (key, value)
                    })
                    .collect();
                out.push(attrs);
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

#[tokio::main]
async fn main() -> Result<(), generated_client::Error> {
    let opts = options();
    let me = opts["login"].clone();
    let client = Client::from_api_client(
        Client::builder(opts["url"].clone())
            .username_token(UsernameToken::text(me.clone(), opts["password"].clone()))
            .build()?,
    );

    let project = match opts.get("board") {
        Some(b) => b.clone(),
        None => {
            let teams = client
                .team_member_service()
                .get_teams_for_projects(&TeamsForProjectsInput {
                    user_login_id: me.clone(),
                })
                .await?;
            // Typed: the response element decodes into `GetTeamsResponse`.
            teams
                .teams
                .iter()
                .flat_map(|t| &t.team)
                .find_map(|t| t.project_id.clone())
                .unwrap_or_else(|| {
                    eprintln!("soap_add_card: {me} is in no team");
                    std::process::exit(1)
                })
        }
    };

    let types = client
        .metadata_service()
        .get_card_list_for_project(&GetCardListForProjectInput {
            project_id: project.clone(),
            user_login_id: me.clone(),
        })
        .await?;
    // Typed: CardTypes/Card with the attributes CardCode, CardType, TypeName.
    let types: Vec<[String; 3]> = types
        .card_types
        .iter()
        .flat_map(|c| &c.card)
        .map(|c| [&c.card_code, &c.card_type, &c.type_name].map(|v| v.clone().unwrap_or_default()))
        .collect();
    println!("Card types of project {project}:");
    for [code, kind, name] in &types {
        println!("  {code:<6} {kind:<14} {name}");
    }
    let wanted = opts.get("type");
    let chosen = types
        .iter()
        .find(|t| wanted.is_none_or(|w| t.iter().any(|v| v == w)))
        .unwrap_or_else(|| {
            eprintln!("soap_add_card: no card type {wanted:?}");
            std::process::exit(1)
        });

    let title = opts
        .get("title")
        .cloned()
        .unwrap_or_else(|| "Added over SOAP".into());
    let field = |name: &str, value: &str| CardField {
        name: Some(name.into()),
        value: Some(value.into()),
    };
    let added = client
        .kanban_card_service()
        .add_card(&AddCardDetails2 {
            project_id: project.clone(),
            card_type: chosen[1].clone(),
            user_login_id: me.clone(),
            mode: String::new(),
            fields: CardFields {
                field: vec![
                    field("name", &title),
                    field(
                        "cardSize",
                        opts.get("size").map(String::as_str).unwrap_or("M"),
                    ),
                ],
            },
        })
        .await?;
    // addCardResponse's content is declared `xs:any`: its elements arrive as raw XML.
    let added: String = added.any.iter().map(|x| x.0.as_str()).collect();
    let card = elements(&added, "Card");
    let card = card.first().cloned().unwrap_or_default();
    println!(
        "Added {} \"{title}\" ({}, unique id {}) to project {project}; it waits in the Backlog",
        card.get("cardSequenceNumber").cloned().unwrap_or_default(),
        chosen[2],
        card.get("cardId").cloned().unwrap_or_default()
    );
    Ok(())
}
