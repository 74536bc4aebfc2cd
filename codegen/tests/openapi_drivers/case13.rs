//! Case 13: self- and mutually recursive schemas.
mod common;
use case_13::types::{Dept, Node, NodeEither, Person};
use common::{Reply, Server};

#[tokio::test]
async fn recursion() {
    let server = Server::start().await;
    let client = case_13::Client::from_api_client(server.api_client());
    let raw = common::case_file("response.json");
    server.reply(Reply::json(200, raw.clone()));
    let root: Node = client.get_tree().send().await.expect("decodes");
    let children = root.children.as_ref().expect("children");
    assert_eq!(children.len(), 2);
    let a = &children[0];
    let parent: &Box<Node> = a.parent.as_ref().expect("parent");
    assert_eq!(parent.name, "root");
    assert_eq!(a.either, Some(NodeEither::Text("leaf".into())));
    match &children[1].either {
        Some(NodeEither::Node(c)) => {
            let c: &Box<Node> = c;
            assert_eq!(c.name, "c");
            assert_eq!(c.children.as_deref(), Some(&[][..]));
        }
        other => panic!("{other:?}"),
    }
    let again = serde_json::to_value(&root).unwrap();
    assert_eq!(again, serde_json::from_slice::<serde_json::Value>(&raw).unwrap());

    server.reply(Reply::json(200, r#"{"name":"d1","head":{"name":"p1","dept":{"name":"d1"}}}"#));
    let d: Dept = client.get_dept("d1").send().await.expect("decodes");
    let head: &Person = d.head.as_ref().expect("head, not boxed");
    let back: &Box<Dept> = head.dept.as_ref().expect("the one box");
    assert_eq!(back.name, "d1");

    // 200 levels of children: serde_json's recursion limit gives a clear error, no overflow.
    let mut deep = String::from(r#"{"name":"x"}"#);
    for _ in 0..200 {
        deep = format!(r#"{{"name":"x","children":[{deep}]}}"#);
    }
    let result = std::thread::spawn(move || serde_json::from_str::<Node>(&deep).map(|_| ()).map_err(|e| e.to_string()))
        .join()
        .expect("no stack overflow");
    if let Err(e) = result {
        assert!(e.contains("recursion limit"), "{e}");
    }
}
