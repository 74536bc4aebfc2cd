//! `swiftkanban-emulator --port 8080 --seed demo [--rate-limit 50|0]`

use swiftkanban_emulator::{Emulator, Model, State};

fn usage() -> ! {
    eprintln!("usage: swiftkanban-emulator [--port PORT] [--seed demo|empty] [--rate-limit CALLS_PER_MINUTE (0 = unlimited)]");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut port: u16 = 8080;
    let mut seed = "demo".to_string();
    let mut rate: Option<u32> = Some(50);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--port" => port = value().parse().unwrap_or_else(|_| usage()),
            "--seed" => seed = value(),
            "--rate-limit" => {
                rate = Some(value().parse().unwrap_or_else(|_| usage())).filter(|n| *n > 0)
            }
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    let model = match seed.as_str() {
        "demo" => Model::demo(),
        "empty" => Model::new(),
        _ => usage(),
    };
    let state = State::new(model).with_rate_limit(rate);
    let handle = match Emulator::start_on(state.clone(), port).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1)
        }
    };
    println!(
        "SwiftKanban emulator on {} (REST /restapi, SOAP /axis2/services)",
        handle.base_url()
    );
    let boards = state.read(|m| {
        m.boards
            .iter()
            .map(|b| format!("{} {}", b.id, b.name))
            .collect::<Vec<_>>()
    });
    println!("boards: {}", boards.join(", "));
    for (login, pw) in state.read(|m| {
        m.users
            .iter()
            .filter(|u| u.integration_user)
            .map(|u| (u.login.clone(), u.password.clone()))
            .collect::<Vec<_>>()
    }) {
        println!(
            "user {login} / {pw}  AuthorizationToken: {}",
            state.token_for(&login).unwrap_or_default()
        );
    }
    handle.wait().await;
}
