//! Identifier sanitising: any spec spelling becomes a valid, readable, unique Rust name.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Names that would shadow prelude items if used for generated types.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Result", "Vec", "String", "Box", "Some", "None", "Ok", "Err", "Client", "Error",
    "Self",
];

fn ascii_words(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` from any spelling; symbols split words, a leading digit gets a prefix.
pub fn pascal(s: &str) -> String {
    let out = ascii_words(s).to_upper_camel_case();
    let out = if out.is_empty() {
        "Unnamed".to_string()
    } else {
        out
    };
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{out}")
    } else if out == "Self" {
        // The one keyword spelled in UpperCamelCase.
        "SelfValue".to_string()
    } else {
        out
    }
}

/// `snake_case` from any spelling; keywords become raw identifiers or get a `_` suffix.
pub fn snake(s: &str) -> String {
    let out = ascii_words(&s.replace(|c: char| !c.is_ascii(), " ")).to_snake_case();
    let out = if out.is_empty() {
        "value".to_string()
    } else {
        out
    };
    let out = if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{out}")
    } else {
        out
    };
    if KEYWORDS.contains(&out.as_str()) {
        format!("{out}_")
    } else {
        out
    }
}

/// An enum variant for a wire value: `Empty` for the empty string, a leading `+`/`-` spelled
/// `Plus`/`Minus` (so `+1` and `-1` stay apart), otherwise [`pascal`]. Collisions are settled
/// by the caller's [`Namer`] in declaration order (`Count`, `Count2`, …).
pub fn enum_variant(s: &str) -> String {
    if s.is_empty() {
        return "Empty".to_string();
    }
    let sign = match s.as_bytes()[0] {
        b'+' => "Plus",
        b'-' => "Minus",
        _ => "",
    };
    if sign.is_empty() {
        pascal(s)
    } else {
        let rest = pascal(&s[1..]);
        let rest = rest
            .strip_prefix('N')
            .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or(&rest);
        format!("{sign}{rest}")
    }
}

/// A type name that cannot shadow prelude items.
pub fn type_name(s: &str) -> String {
    let p = pascal(s);
    if RESERVED_TYPES.contains(&p.as_str()) {
        format!("{p}Type")
    } else {
        p
    }
}

/// A simple English singular for the last word of a PascalCase name.
pub fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("ies") && name.len() > 4 {
        format!("{}y", &name[..name.len() - 3])
    } else if (lower.ends_with("sses") || lower.ends_with("xes") || lower.ends_with("ches"))
        && name.len() > 4
    {
        name[..name.len() - 2].to_string()
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && name.len() > 3
    {
        name[..name.len() - 1].to_string()
    } else {
        name.to_string()
    }
}

/// Hands out names unique within one scope, appending 2, 3, … on collisions.
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    /// A namer with some names already taken.
    pub fn with_taken<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Namer {
            taken: names.into_iter().map(str::to_string).collect(),
        }
    }

    /// `base` if free, else `base2`, `base3`, … (or `base_2` for snake names).
    pub fn unique(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let sep = if base.contains('_') || base.chars().all(|c| c.is_ascii_lowercase()) {
            "_"
        } else {
            ""
        };
        let base = base.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|c| self.taken.insert(c.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitises() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("3d"), "n3d");
        assert_eq!(snake("a-b"), "a_b");
        assert_eq!(snake("cardUniqueId"), "card_unique_id");
        assert_eq!(pascal("getCardList_1"), "GetCardList1");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(snake("größe"), "gr_e");
        let mut n = Namer::default();
        assert_eq!(n.unique("card_id"), "card_id");
        assert_eq!(n.unique("card_id"), "card_id_2");
        assert_eq!(n.unique("Card"), "Card");
        assert_eq!(n.unique("Card"), "Card2");
    }
}
