//! Case 22: the exact bytes of an application/x-www-form-urlencoded body.
mod common;
use case_22::types::{Address, CustomerForm, Item};
use common::{Reply, Server};

#[tokio::test]
async fn form_urlencoded_body() {
    let server = Server::start().await;
    let client = case_22::Client::from_api_client(server.api_client());

    let full = CustomerForm {
        name: "Ann & Bob=1+1 é".into(),
        email: Some("a@b.c".into()),
        tags: Some(vec!["x y".into(), "z".into()]),
        address: Some(Address { city: Some("Köln".into()), line1: None, ..Default::default() }),
        items: Some(vec![
            Item { price: Some("p_1".into()), quantity: Some(2), ..Default::default() },
            Item { price: Some("p/2".into()), quantity: None, ..Default::default() },
        ]),
        active: Some(true),
        balance: Some(-5),
        ..Default::default()
    };
    server.reply(Reply::empty(204));
    client.create_customer().body(full).send().await.expect("create_customer");
    let seen = server.last();
    assert_eq!((seen.method.as_str(), seen.path.as_str()), ("POST", "/customers"));
    assert_eq!(seen.header("content-type").as_deref(), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        seen.text(),
        "active=true&address%5Bcity%5D=K%C3%B6ln&balance=-5&email=a%40b.c\
         &items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bquantity%5D=2&items%5B1%5D%5Bprice%5D=p%2F2\
         &name=Ann%20%26%20Bob%3D1%2B1%20%C3%A9&tags=x%20y&tags=z"
    );
    // The same, decoded as a server would.
    let pairs = common::decode_form(&seen.text());
    assert!(pairs.contains(&("name".into(), "Ann & Bob=1+1 é".into())), "{pairs:?}");
    assert!(pairs.contains(&("address[city]".into(), "Köln".into())), "{pairs:?}");

    // Only the required field: nothing else is sent.
    server.reply(Reply::empty(204));
    let minimal = CustomerForm { name: "x".into(), ..Default::default() };
    client.create_customer().body(minimal).send().await.expect("minimal");
    assert_eq!(server.last().text(), "name=x");
}
