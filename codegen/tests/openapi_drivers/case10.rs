//! Case 10: $refs to a relative file and to a (mapped) URL.
mod common;
use case_10::types::{Cvss, Finding, Point, Severity};
use common::{Reply, Server};

#[tokio::test]
async fn external_refs() {
    let server = Server::start().await;
    let client = case_10::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    let f: Finding = client.get_finding("f1").send().await.expect("decodes");
    let cvss: &Cvss = f.cvss.as_ref().expect("cvss");
    assert_eq!(cvss.base_score.as_f64(), Some(9.8));
    assert_eq!(cvss.severity, Some(Severity::Critical));
    let geo: &Point = f.geo.as_ref().expect("geo");
    assert_eq!((geo.lat.as_f64(), geo.lon.as_f64()), (Some(52.5), Some(13.4)));
    let previous: &Option<Cvss> = &f.previous;
    assert!(previous.is_none());
}
