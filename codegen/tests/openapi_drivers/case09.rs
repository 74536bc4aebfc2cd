//! Case 09: an allOf that repeats and intersects numeric constraints.
mod common;
use case_09::types::{Parcel, Slots, Weight};
use common::{Reply, Server};

#[tokio::test]
async fn allof_constraints() {
    let server = Server::start().await;
    let client = case_09::Client::from_api_client(server.api_client());
    let w: Weight = serde_json::from_str("12.5").unwrap();
    let slots: Slots = 3;
    let _ = slots;
    server.reply(Reply::empty(204));
    let _ = client.put_parcel("p1").body(Parcel { weight: w, slots: None, extra: Default::default() }).send().await;
    let seen = server.last();
    assert_eq!((seen.method.as_str(), seen.path.as_str()), ("PUT", "/parcels/p1"));
    assert_eq!(seen.json(), serde_json::json!({"weight": 12.5}));
    // Documented: bounds are not checked before sending; 1000 is sent as is.
    server.reply(Reply::empty(204));
    let heavy: Weight = serde_json::from_str("1000").unwrap();
    let _ = client.put_parcel("p1").body(Parcel { weight: heavy, slots: None, extra: Default::default() }).send().await;
    assert_eq!(server.last().json(), serde_json::json!({"weight": 1000}));
}
