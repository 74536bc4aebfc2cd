//! `cargo xtask bump-version VERSION [--notes FILE]`: sets generated-client's version (its
//! Cargo.toml and the lock file) and adds a CHANGELOG.md entry; and the Cargo rules that
//! turn a kind of change into the next version.

use std::path::Path;
use std::process::ExitCode;

use super::Level;
use crate::Common;

const CRATE_TOML: &str = "generated-client/Cargo.toml";

/// generated-client's version at `root`.
pub fn current_version(root: &Path) -> Result<String, String> {
    let path = root.join(CRATE_TOML);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: toml::Value =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    value
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .map(String::from)
        .ok_or_else(|| format!("{}: no package.version", path.display()))
}

fn parse(version: &str) -> Result<(u64, u64, u64), String> {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let parts: Vec<u64> = core
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("'{version}' is not a MAJOR.MINOR.PATCH version"))?;
    match parts.as_slice() {
        [a, b, c] => Ok((*a, *b, *c)),
        _ => Err(format!("'{version}' is not a MAJOR.MINOR.PATCH version")),
    }
}

/// Cargo's rules: the leftmost non-zero component is the "major" one, so 0.y.z breaks into
/// 0.(y+1).0 and adds into 0.y.(z+1); 0.0.z always goes to 0.0.(z+1).
pub fn next_version(current: &str, level: Option<Level>) -> Result<String, String> {
    let (a, b, c) = parse(current)?;
    let Some(level) = level else {
        return Ok(current.to_string());
    };
    Ok(match (a, b, level) {
        (0, 0, _) => format!("0.0.{}", c + 1),
        (0, _, Level::Major) => format!("0.{}.0", b + 1),
        (0, _, _) => format!("0.{b}.{}", c + 1),
        (_, _, Level::Major) => format!("{}.0.0", a + 1),
        (_, _, Level::Minor) => format!("{a}.{}.0", b + 1),
        (_, _, Level::Patch) => format!("{a}.{b}.{}", c + 1),
    })
}

/// Runs the subcommand.
pub fn run(common: &Common) -> Result<ExitCode, String> {
    let mut args = common.args.clone();
    let notes = crate::take_values(&mut args, "--notes").pop();
    if args.len() != 1 || args[0].starts_with('-') {
        return Err("usage: cargo xtask bump-version VERSION [--notes FILE]".into());
    }
    let version = args.remove(0);
    parse(&version)?;
    let root = &common.root;
    let current = current_version(root)?;
    if current == version {
        println!("bump-version: generated-client is already {version}");
        return Ok(ExitCode::SUCCESS);
    }
    // Cargo.toml: the package's version line only (the first `version =` before another table).
    let path = root.join(CRATE_TOML);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut done = false;
    let mut out = String::new();
    let mut in_package = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[package]";
        }
        if in_package && !done && t.starts_with("version") && t.contains(&format!("\"{current}\""))
        {
            out.push_str(&line.replace(&format!("\"{current}\""), &format!("\"{version}\"")));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if !done {
        return Err(format!(
            "{}: cannot find the package's version line",
            path.display()
        ));
    }
    codegen::write::write_atomic(&path, out.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    // Cargo.lock, when there is one, so `--locked` builds keep working.
    let lock = root.join("Cargo.lock");
    if let Ok(text) = std::fs::read_to_string(&lock) {
        let from = format!("name = \"generated-client\"\nversion = \"{current}\"");
        if text.contains(&from) {
            let to = format!("name = \"generated-client\"\nversion = \"{version}\"");
            codegen::write::write_atomic(&lock, text.replacen(&from, &to, 1).as_bytes())
                .map_err(|e| format!("{}: {e}", lock.display()))?;
        }
    }
    // CHANGELOG.md: newest first, under the title.
    let body = match notes {
        Some(f) => std::fs::read_to_string(&f).map_err(|e| format!("{f}: {e}"))?,
        None => "Regenerated from the upstream specifications.\n".into(),
    };
    let body: String = body
        .lines()
        .map(|l| {
            if l.starts_with('#') {
                format!("##{l}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let entry = format!(
        "## generated-client {version} ({})\n\n{}\n",
        crate::fetch::today(),
        body.trim_end()
    );
    let changelog = root.join("CHANGELOG.md");
    let old = std::fs::read_to_string(&changelog).unwrap_or_default();
    let title = "# Changelog\n\n";
    let rest = old.strip_prefix(title).unwrap_or(&old);
    let rest = rest.trim_start_matches('\n');
    let (intro, entries) = match rest
        .find("\n## ")
        .map(|i| i + 1)
        .or(if rest.starts_with("## ") {
            Some(0)
        } else {
            None
        }) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let new = format!(
        "{title}{intro}{}{entry}\n{entries}",
        if intro.is_empty() || intro.ends_with("\n\n") {
            ""
        } else {
            "\n"
        }
    );
    let new = format!("{}\n", new.trim_end());
    codegen::write::write_atomic(&changelog, new.as_bytes())
        .map_err(|e| format!("{}: {e}", changelog.display()))?;
    println!("bump-version: generated-client {current} → {version}; CHANGELOG.md updated");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_semver_rules() {
        let n = |v, l| next_version(v, l).unwrap();
        assert_eq!(n("0.1.0", Some(Level::Major)), "0.2.0");
        assert_eq!(n("0.1.3", Some(Level::Minor)), "0.1.4");
        assert_eq!(n("0.1.3", Some(Level::Patch)), "0.1.4");
        assert_eq!(n("0.0.3", Some(Level::Major)), "0.0.4");
        assert_eq!(n("1.2.3", Some(Level::Major)), "2.0.0");
        assert_eq!(n("1.2.3", Some(Level::Minor)), "1.3.0");
        assert_eq!(n("1.2.3", Some(Level::Patch)), "1.2.4");
        assert_eq!(n("1.2.3", None), "1.2.3");
    }
}
