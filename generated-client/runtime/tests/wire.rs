//! JSON wire helpers round-trip exactly as they arrived.

use client_runtime::wire::double_option;
use client_runtime::{Id, OneOrMany};
use serde::{Deserialize, Serialize};

#[test]
fn id_keeps_its_form() {
    let text: Id = serde_json::from_str("\"12\"").expect("string id");
    let num: Id = serde_json::from_str("12").expect("number id");
    assert_eq!(text, Id::Text("12".into()));
    assert!(num.is_number());
    assert_eq!(serde_json::to_string(&text).expect("ser"), "\"12\"");
    assert_eq!(serde_json::to_string(&num).expect("ser"), "12");
    assert_ne!(text, num);
    assert_eq!(text.to_string(), "12");
    assert_eq!(num.to_string(), "12");
    assert_eq!(num.as_str(), "12");
    assert_eq!(text.as_i64(), Some(12));
    assert_eq!(Id::from(7i64), serde_json::from_str::<Id>("7").expect("7"));
    assert_eq!(Id::from("a"), Id::from(String::from("a")));
    let big: Id = serde_json::from_str("12345678901234567890").expect("u64");
    assert_eq!(
        serde_json::to_string(&big).expect("ser"),
        "12345678901234567890"
    );
    let mut set = std::collections::HashSet::new();
    set.insert(text.clone());
    assert!(set.contains(&Id::from("12")));
    assert!(serde_json::from_str::<Id>("true").is_err());
}

#[test]
fn one_or_many_keeps_its_form() {
    let one: OneOrMany<String> = serde_json::from_str("\"a\"").expect("one");
    let many: OneOrMany<String> = serde_json::from_str("[\"a\",\"b\"]").expect("many");
    let single_array: OneOrMany<String> = serde_json::from_str("[\"a\"]").expect("many1");
    assert_eq!(one, OneOrMany::One("a".into()));
    assert_eq!(serde_json::to_string(&one).expect("ser"), "\"a\"");
    assert_eq!(serde_json::to_string(&many).expect("ser"), "[\"a\",\"b\"]");
    assert_eq!(
        serde_json::to_string(&single_array).expect("ser"),
        "[\"a\"]"
    );
    assert_eq!(one.len(), 1);
    assert_eq!(many.len(), 2);
    assert_eq!(many.iter().cloned().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(one.clone().into_vec(), ["a"]);
    assert_eq!(OneOrMany::from(3), OneOrMany::One(3));
    assert_eq!(OneOrMany::from(vec![3]), OneOrMany::Many(vec![3]));
    let objects: OneOrMany<serde_json::Value> = serde_json::from_str("{\"k\":1}").expect("object");
    assert!(matches!(objects, OneOrMany::One(_)));
    assert!(serde_json::from_str::<OneOrMany<u32>>("[\"x\"]").is_err());
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Default)]
struct Patch {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    note: Option<Option<String>>,
}

#[test]
fn double_option_distinguishes_absent_null_and_value() {
    let absent: Patch = serde_json::from_str("{}").expect("absent");
    let null: Patch = serde_json::from_str("{\"note\":null}").expect("null");
    let value: Patch = serde_json::from_str("{\"note\":\"x\"}").expect("value");
    assert_eq!(absent.note, None);
    assert_eq!(null.note, Some(None));
    assert_eq!(value.note, Some(Some("x".into())));
    assert_eq!(serde_json::to_string(&absent).expect("ser"), "{}");
    assert_eq!(
        serde_json::to_string(&null).expect("ser"),
        "{\"note\":null}"
    );
    assert_eq!(
        serde_json::to_string(&value).expect("ser"),
        "{\"note\":\"x\"}"
    );
}
