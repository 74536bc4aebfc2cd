//! Case 25: a cycle through an alias is boxed where a box can go.
mod common;
use case_25::types::Node;
use serde_json::json;

#[test]
fn a_chain_of_nodes_round_trips() {
    let chain = json!({"name": "a", "next": {"name": "b", "next": {"name": "c"}}});
    let node: Node = serde_json::from_value(chain.clone()).expect("decodes");
    let b = node.next.as_deref().expect("b");
    assert_eq!(b.name, "b");
    assert_eq!(b.next.as_deref().map(|c| c.name.as_str()), Some("c"));
    assert_eq!(serde_json::to_value(&node).expect("encodes"), chain);
}
