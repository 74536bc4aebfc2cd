//! Text and Markdown renderings of a drift report (JSON is the serialised `Report`).

use super::{Change, Report};

fn summary(r: &Report) -> String {
    if r.semver == "none" {
        return format!("No drift: the model and the generated Rust API are unchanged (generated-client stays {}).", r.current_version);
    }
    format!(
        "{} breaking and {} non-breaking change(s) in the documents; {} Rust API change(s), {} breaking. Semver: {} (generated-client {} → {}).",
        r.breaking,
        r.non_breaking,
        r.rust_api.len(),
        r.rust_breaking,
        r.semver,
        r.current_version,
        r.next_version
    )
}

/// Plain text, one change a line.
pub fn text(r: &Report) -> String {
    let mut s = format!("drift: {} → {}\n{}\n", r.old, r.new, summary(r));
    let line = |c: &Change| {
        format!(
            "  {:<12} {} [{}] {}: {}\n",
            if c.breaking {
                "BREAKING"
            } else {
                "non-breaking"
            },
            c.document,
            c.kind,
            c.location,
            c.detail
        )
    };
    if !r.changes.is_empty() {
        s.push_str("\nchanges in the documents:\n");
        r.changes.iter().for_each(|c| s.push_str(&line(c)));
    }
    if !r.rust_api.is_empty() {
        s.push_str("\neffect on the generated Rust API:\n");
        r.rust_api.iter().for_each(|c| s.push_str(&line(c)));
    }
    s
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn table(changes: &[Change], with_document: bool) -> String {
    let mut s = String::new();
    if with_document {
        s.push_str("| | document | rule | location | detail |\n|---|---|---|---|---|\n");
    } else {
        s.push_str("| | rule | item | detail |\n|---|---|---|---|\n");
    }
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| !c.breaking);
    for c in sorted {
        let mark = if c.breaking { "🔴 breaking" } else { "🟢" };
        if with_document {
            s.push_str(&format!(
                "| {mark} | {} | `{}` | {} | {} |\n",
                cell(&c.document),
                c.kind,
                cell(&c.location),
                cell(&c.detail)
            ));
        } else {
            s.push_str(&format!(
                "| {mark} | `{}` | `{}` | {} |\n",
                c.kind,
                cell(&c.location),
                cell(&c.detail)
            ));
        }
    }
    s
}

/// GitHub-flavoured Markdown: a job summary or a pull request body.
pub fn markdown(r: &Report) -> String {
    let mut s = String::from("## Upstream spec drift\n\n");
    s.push_str(&format!(
        "Compared {} with {}.\n\n**{}**\n",
        cell(&r.old),
        cell(&r.new),
        summary(r)
    ));
    if !r.changes.is_empty() {
        s.push_str("\n### Changes in the documents\n\n");
        s.push_str(&table(&r.changes, true));
    }
    if !r.rust_api.is_empty() {
        s.push_str("\n### Effect on the generated Rust API\n\n");
        s.push_str(&table(&r.rust_api, false));
    }
    s.push_str("\nBreaking means existing client code or calls break; each rule is named in `backticks` (see README, \"Spec drift\").\n");
    s
}
