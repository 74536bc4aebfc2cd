//! Case 16: a oneOf whose first branch also accepts the second branch's data.
mod common;
use case_16::types::{OneAxis, Shape, TwoAxes};
use common::{Reply, Server};

#[tokio::test]
async fn most_specific_branch() {
    let server = Server::start().await;
    let client = case_16::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    let shapes: Vec<Shape> = client.list_shapes().send().await.expect("decodes");
    match &shapes[0] {
        Shape::TwoAxes(t) => assert_eq!((t.a, t.b), (1, 2)),
        other => panic!("{other:?}"),
    }
    match &shapes[1] {
        Shape::OneAxis(o) => assert_eq!(o.a, 1),
        other => panic!("{other:?}"),
    }
    server.take();
    let two = Shape::TwoAxes(TwoAxes { a: 1, b: 2, ..Default::default() });
    server.reply(Reply::empty(204));
    let _ = client.add_shape().body(two).send().await;
    assert_eq!(server.last().json(), serde_json::json!({"a": 1, "b": 2}));
    let one = Shape::OneAxis(OneAxis { a: 1, ..Default::default() });
    server.reply(Reply::empty(204));
    let _ = client.add_shape().body(one).send().await;
    assert_eq!(server.last().json(), serde_json::json!({"a": 1}));
    let err = serde_json::from_str::<Shape>(r#"{"b":2}"#).expect_err("no branch");
    assert!(err.to_string().contains("Shape"), "{err}");
}
