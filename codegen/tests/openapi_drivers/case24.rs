//! Case 24: a wide acyclic graph of types stays small enough for the stack.
mod common;
use case_24::types::{Level0, Level4};
use serde_json::{json, Value};

/// A `Level0` three levels deep: every `a`..`d` of levels 0 and 1 filled.
fn report() -> Value {
    let level2 = json!({"name": "l2"});
    let level1 = json!({"name": "l1", "a": level2, "b": level2, "c": level2, "d": level2});
    json!({"name": "l0", "a": level1, "b": level1, "c": level1, "d": level1})
}

#[test]
fn the_top_type_is_small() {
    let size = std::mem::size_of::<Level0>();
    assert!(size < 16 * 1024, "Level0 is {size} bytes");
    // The lower levels are small enough to stay inline: several kilobytes, not pointers.
    assert!(std::mem::size_of::<Level4>() > 1024);
}

#[test]
fn a_report_decodes_on_a_small_stack() {
    let text = report().to_string();
    let back = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let decoded: Level0 = serde_json::from_str(&text).expect("decodes");
            assert_eq!(
                decoded
                    .a
                    .as_ref()
                    .and_then(|l1| l1.d.as_ref())
                    .and_then(|l2| l2.name.as_deref()),
                Some("l2")
            );
            serde_json::to_value(&decoded).expect("encodes")
        })
        .expect("thread")
        .join()
        .expect("no stack overflow");
    assert_eq!(back, report());
}
