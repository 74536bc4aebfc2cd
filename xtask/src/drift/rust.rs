//! Effect on the generated Rust API: the public items of the generated files (parsed with syn)
//! before and after, classified by Cargo's semver rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use quote::ToTokens;

use super::{Change, Level};

/// One public item.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    /// `fn`, `struct`, `enum`, `type`, `const`, ...
    kind: &'static str,
    /// The file it is in.
    file: String,
    /// Signature (functions) or definition head.
    sig: String,
    /// Public fields (structs) or variants (enums): name → type text.
    members: BTreeMap<String, String>,
    /// Whether every field is public (a struct literal can build it).
    all_pub: bool,
    /// `#[non_exhaustive]`.
    non_exhaustive: bool,
    /// For methods: the type of the impl block.
    owner: Option<String>,
}

/// Token text made readable: no spaces around `::`, before `,` `)` `>` `(`, after `&` `(` `<`.
fn tidy(s: &str) -> String {
    let mut t = s.to_string();
    for (a, b) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" ,", ","),
        (" )", ")"),
        ("( ", "("),
        (" >", ">"),
        ("< ", "<"),
        (" <", "<"),
        ("& ", "&"),
        (" (", "("),
        ("' _", "'_"),
        (" ;", ";"),
    ] {
        t = t.replace(a, b);
    }
    t
}

fn is_pub(v: &syn::Visibility) -> bool {
    matches!(v, syn::Visibility::Public(_))
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn fields(f: &syn::Fields) -> (BTreeMap<String, String>, bool) {
    let mut m = BTreeMap::new();
    let mut all_pub = true;
    for (i, field) in f.iter().enumerate() {
        if !is_pub(&field.vis) {
            all_pub = false;
            continue;
        }
        let name = field
            .ident
            .as_ref()
            .map(|i| i.to_string())
            .unwrap_or_else(|| i.to_string());
        m.insert(name, tidy(&field.ty.to_token_stream().to_string()));
    }
    (m, all_pub)
}

/// Public items of the generated files, keyed by path (`types::Card`, `Client::get_card`).
fn items(files: &[(PathBuf, String)]) -> Result<BTreeMap<String, Item>, String> {
    let mut out = BTreeMap::new();
    for (path, text) in files {
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let file = syn::parse_file(text)
            .map_err(|e| format!("{}: generated code does not parse: {e}", path.display()))?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let module = if stem == "mod" || stem == "lib" {
            String::new()
        } else {
            format!("{stem}::")
        };
        let file_label = path.display().to_string();
        let mut add = |key: String, item: Item| {
            out.insert(key, item);
        };
        for it in &file.items {
            let base = |kind, sig: String| Item {
                kind,
                file: file_label.clone(),
                sig,
                members: BTreeMap::new(),
                all_pub: true,
                non_exhaustive: false,
                owner: None,
            };
            match it {
                syn::Item::Struct(s) if is_pub(&s.vis) => {
                    let (members, all_pub) = fields(&s.fields);
                    let mut i = base(
                        "struct",
                        format!(
                            "struct {}{}",
                            s.ident,
                            tidy(&s.generics.to_token_stream().to_string())
                        ),
                    );
                    i.members = members;
                    i.all_pub = all_pub;
                    i.non_exhaustive = non_exhaustive(&s.attrs);
                    add(format!("{module}{}", s.ident), i);
                }
                syn::Item::Enum(e) if is_pub(&e.vis) => {
                    let mut i = base("enum", format!("enum {}", e.ident));
                    i.members = e
                        .variants
                        .iter()
                        .map(|v| {
                            (
                                v.ident.to_string(),
                                tidy(&v.fields.to_token_stream().to_string()),
                            )
                        })
                        .collect();
                    i.non_exhaustive = non_exhaustive(&e.attrs);
                    add(format!("{module}{}", e.ident), i);
                }
                syn::Item::Fn(f) if is_pub(&f.vis) => add(
                    format!("{module}{}", f.sig.ident),
                    base("fn", tidy(&f.sig.to_token_stream().to_string())),
                ),
                syn::Item::Type(t) if is_pub(&t.vis) => add(
                    format!("{module}{}", t.ident),
                    base("type", tidy(&t.ty.to_token_stream().to_string())),
                ),
                syn::Item::Const(c) if is_pub(&c.vis) => add(
                    format!("{module}{}", c.ident),
                    base("const", tidy(&c.ty.to_token_stream().to_string())),
                ),
                syn::Item::Trait(t) if is_pub(&t.vis) => add(
                    format!("{module}{}", t.ident),
                    base("trait", format!("trait {}", t.ident)),
                ),
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    let owner = match &*imp.self_ty {
                        syn::Type::Path(p) => p
                            .path
                            .segments
                            .last()
                            .map(|s| s.ident.to_string())
                            .unwrap_or_default(),
                        other => tidy(&other.to_token_stream().to_string()),
                    };
                    for ii in &imp.items {
                        if let syn::ImplItem::Fn(f) = ii {
                            if is_pub(&f.vis) {
                                let mut i = base("fn", tidy(&f.sig.to_token_stream().to_string()));
                                i.owner = Some(owner.clone());
                                add(format!("{owner}::{}", f.sig.ident), i);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

/// Compares the public items of two sets of generated files.
pub fn diff(
    old: &[(PathBuf, String)],
    new: &[(PathBuf, String)],
    document: &str,
) -> Result<Vec<Change>, String> {
    let (a, b) = (items(old)?, items(new)?);
    let mut out = Vec::new();
    let mut push = |kind: &str, level: Level, location: &str, detail: String| {
        out.push(Change {
            document: document.to_string(),
            kind: kind.into(),
            location: location.into(),
            breaking: level == Level::Major,
            detail,
            level,
        });
    };
    // Methods of a type that is itself added or removed are reported with the type.
    let short = |k: &str| k.rsplit("::").next().unwrap_or(k).to_string();
    let removed_types: BTreeSet<String> = a
        .iter()
        .filter(|(k, i)| i.owner.is_none() && !b.contains_key(*k))
        .map(|(k, _)| short(k))
        .collect();
    let added_types: BTreeSet<String> = b
        .iter()
        .filter(|(k, i)| i.owner.is_none() && !a.contains_key(*k))
        .map(|(k, _)| short(k))
        .collect();
    for (k, x) in &a {
        match b.get(k) {
            None => {
                if x.owner.as_ref().is_some_and(|o| removed_types.contains(o)) {
                    continue;
                }
                let what = if x.owner.is_some() { "method" } else { x.kind };
                push(
                    &format!(
                        "rust-{}-removed",
                        if x.kind == "fn" { "fn" } else { "type" }
                    ),
                    Level::Major,
                    k,
                    format!("{what} removed (was in {}): `{}`", x.file, x.sig),
                );
            }
            Some(y) if x.kind != y.kind => push(
                "rust-type-kind-changed",
                Level::Major,
                k,
                format!("{} → {}", x.kind, y.kind),
            ),
            Some(y) => {
                if x.sig != y.sig {
                    let kind = if x.kind == "fn" {
                        "rust-fn-signature-changed"
                    } else {
                        "rust-type-changed"
                    };
                    push(kind, Level::Major, k, format!("`{}` → `{}`", x.sig, y.sig));
                }
                let member = if x.kind == "enum" { "variant" } else { "field" };
                for (m, t) in &x.members {
                    match y.members.get(m) {
                        None => push(
                            &format!("rust-{member}-removed"),
                            Level::Major,
                            &format!("{k}::{m}"),
                            format!("{member} `{m}` removed"),
                        ),
                        Some(u) if u != t => push(
                            &format!("rust-{member}-type-changed"),
                            Level::Major,
                            &format!("{k}::{m}"),
                            format!("`{t}` → `{u}`"),
                        ),
                        _ => {}
                    }
                }
                for (m, u) in &y.members {
                    if x.members.contains_key(m) {
                        continue;
                    }
                    if x.kind == "enum" {
                        let level = if y.non_exhaustive {
                            Level::Minor
                        } else {
                            Level::Major
                        };
                        push(
                            "rust-variant-added",
                            level,
                            &format!("{k}::{m}"),
                            format!(
                                "variant `{m}` added{}",
                                if level == Level::Major {
                                    ": exhaustive matches stop compiling"
                                } else {
                                    ""
                                }
                            ),
                        );
                    } else if x.all_pub && !y.non_exhaustive {
                        push("rust-pub-field-added", Level::Major, &format!("{k}::{m}"), format!("public field `{m}: {u}` added to a struct with only public fields: struct literals that build it stop compiling"));
                    } else {
                        push(
                            "rust-field-added",
                            Level::Minor,
                            &format!("{k}::{m}"),
                            format!("public field `{m}: {u}` added"),
                        );
                    }
                }
            }
        }
    }
    for (k, y) in &b {
        if a.contains_key(k) || y.owner.as_ref().is_some_and(|o| added_types.contains(o)) {
            continue;
        }
        let what = if y.owner.is_some() { "method" } else { y.kind };
        let extra = if y.owner.is_none() && !y.members.is_empty() {
            format!(
                " with {} public {}",
                y.members.len(),
                if y.kind == "enum" {
                    "variants"
                } else {
                    "fields"
                }
            )
        } else {
            String::new()
        };
        push(
            &format!("rust-{}-added", if y.kind == "fn" { "fn" } else { "type" }),
            Level::Minor,
            k,
            format!("{what} added in {}{extra}: `{}`", y.file, y.sig),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_fields_and_types() {
        let old = vec![
            (
                PathBuf::from("types.rs"),
                "pub struct A { pub x: u8, pub y: Option<String> } pub struct Gone;".to_string(),
            ),
            (
                PathBuf::from("rest.rs"),
                "impl Client { pub fn a(&self) -> u8 { 0 } fn private(&self) {} }".to_string(),
            ),
        ];
        let new = vec![(PathBuf::from("types.rs"), "pub struct A { pub x: u16, pub z: bool } pub struct New { pub q: u8 }".to_string()),
            (PathBuf::from("rest.rs"), "impl Client { pub fn a(&self) -> u8 { 0 } pub fn b(&self, id: &str) {} } impl New { pub fn f(&self) {} }".to_string())];
        let got: Vec<(String, String, bool)> = diff(&old, &new, "g")
            .unwrap()
            .into_iter()
            .map(|c| (c.kind, c.location, c.breaking))
            .collect();
        let want = [
            ("rust-field-type-changed", "types::A::x", true),
            ("rust-field-removed", "types::A::y", true),
            ("rust-pub-field-added", "types::A::z", true),
            ("rust-type-removed", "types::Gone", true),
            ("rust-fn-added", "Client::b", false),
            ("rust-type-added", "types::New", false),
        ];
        let want: Vec<(String, String, bool)> = want
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
            .collect();
        assert_eq!(got, want);
    }
}
