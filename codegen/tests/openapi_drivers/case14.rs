//! Case 14: a response enum meets a value added upstream.
mod common;
use case_14::types::{Vm, VmState};
use common::{Reply, Server};

#[tokio::test]
async fn unknown_enum_value() {
    let server = Server::start().await;
    let client = case_14::Client::from_api_client(server.api_client());
    server.reply(Reply::json(200, common::case_file("response.json")));
    let vm: Vm = client.get_vm("vm1").send().await.expect("decodes");
    assert_eq!(vm.state, VmState::Unknown("Running".into()));
    assert!(serde_json::to_string(&vm).unwrap().contains(r#""state":"Running""#));
    for (wire, v) in [("Created", VmState::Created), ("Booted", VmState::Booted), ("Shutdown", VmState::Shutdown)] {
        let json = format!("\"{wire}\"");
        assert_eq!(serde_json::from_str::<VmState>(&json).unwrap(), v);
        assert_eq!(serde_json::to_string(&v).unwrap(), json);
    }
    assert_eq!(serde_json::from_str::<VmState>("\"booted\"").unwrap(), VmState::Unknown("booted".into()));
    let described = match vm.state {
        VmState::Created | VmState::Booted | VmState::Shutdown => "known",
        VmState::Unknown(_) => "unknown",
    };
    assert_eq!(described, "unknown");
    server.take();
    server.reply(Reply::empty(204));
    let _ = client.set_vm_state("vm1").body(serde_json::from_str(r#"{"state":"Booted"}"#).unwrap()).send().await;
    let seen = server.last();
    assert_eq!((seen.method.as_str(), seen.path.as_str()), ("PUT", "/vms/vm1/state"));
    assert_eq!(seen.json(), serde_json::json!({"state": "Booted"}));
}
