//! Case 09: a repeating choice over its maxOccurs (2) is refused before anything is sent.
mod common;
use common::{Reply, Server};
use wsdl_case_09::types::{Batch, BatchAOrB, BatchCOrD, Submit};

#[tokio::test]
async fn third_choice_item_fails_before_sending() {
    let server = Server::start().await;
    server.always(Reply::with_type(200, "text/xml", "<never/>"));
    let client = wsdl_case_09::Client::from_api_client(server.api_client());
    let three = Submit {
        batch: Batch {
            a_or_b: vec![BatchAOrB::A("1".into()), BatchAOrB::B("2".into()), BatchAOrB::A("3".into())],
            c_or_d: vec![BatchCOrD::C("y".into())],
        },
    };
    let err = client.batch_service().submit(&three).await.expect_err("maxOccurs 2");
    let text = err.to_string();
    assert!(matches!(err, client_runtime::Error::InvalidRequest { .. }), "{err:?}");
    assert!(text.contains("Submit") && text.contains("aOrB") && text.contains("at most 2"), "{text}");
    assert!(server.take().is_empty(), "nothing reached the server");
}
