//! Case 07: multipart/form-data with an array of files, a JSON part and an optional text part,
//! read back by a standard multipart parser (axum's `Multipart`, i.e. multer).
mod common;
use axum::extract::FromRequest;
use case_07::types::Meta;
use common::{Reply, Seen, Server};

/// One part as the parser sees it.
#[derive(Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    disposition: String,
    bytes: Vec<u8>,
}

async fn parts(seen: &Seen) -> Vec<Part> {
    let ct = seen.header("content-type").expect("content type");
    let request = axum::http::Request::builder()
        .header("content-type", ct)
        .body(axum::body::Body::from(seen.body.clone()))
        .expect("request");
    let mut form = axum::extract::Multipart::from_request(request, &()).await.expect("multipart");
    let mut out = Vec::new();
    while let Some(field) = form.next_field().await.expect("well-formed part") {
        let disposition = field.headers().get("content-disposition").expect("disposition").to_str().expect("ascii").to_string();
        out.push(Part {
            name: field.name().expect("name").to_string(),
            file_name: field.file_name().map(str::to_string),
            content_type: field.content_type().map(str::to_string),
            disposition,
            bytes: field.bytes().await.expect("content").to_vec(),
        });
    }
    out
}

#[tokio::test]
async fn multipart_files() {
    let server = Server::start().await;
    server.always(Reply::empty(201));
    let client = case_07::Client::from_api_client(server.api_client());
    let meta = Meta { title: "t".into(), tags: Some(vec!["x".into()]), ..Default::default() };
    let files = [("a.txt", b"hello".to_vec()), ("b.bin", vec![0x00, 0xff, 0x10])];
    client.upload().meta(meta.clone()).files(files.clone()).send().await.expect("upload");
    let seen = server.last();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/uploads");
    let ct = seen.header("content-type").expect("content type");
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let got = parts(&seen).await;
    assert_eq!(got.len(), 3, "{got:?}");
    let meta_parts: Vec<&Part> = got.iter().filter(|p| p.name == "meta").collect();
    assert_eq!(meta_parts.len(), 1, "{got:?}");
    assert_eq!(meta_parts[0].content_type.as_deref(), Some("application/json"));
    assert_eq!(meta_parts[0].file_name, None);
    let json: serde_json::Value = serde_json::from_slice(&meta_parts[0].bytes).expect("JSON part");
    assert_eq!(json, serde_json::json!({"title": "t", "tags": ["x"]}));
    let file_parts: Vec<&Part> = got.iter().filter(|p| p.name == "files").collect();
    assert_eq!(file_parts.len(), 2, "{got:?}");
    for (part, (name, bytes)) in file_parts.iter().zip(&files) {
        assert_eq!(part.disposition, format!("form-data; name=\"files\"; filename=\"{name}\""));
        assert_eq!(part.file_name.as_deref(), Some(*name));
        assert_eq!(part.content_type.as_deref(), Some("application/octet-stream"));
        assert_eq!(&part.bytes, bytes, "exact bytes of {name}");
    }
    assert!(got.iter().all(|p| p.name != "files[]" && p.name != "note"), "{got:?}");
    // The raw body never names the list `files[]` nor carries it as a JSON array.
    assert!(!seen.body.windows(7).any(|w| w == b"files[]"), "no files[]");
    assert!(!seen.body.windows(8).any(|w| w == b"[\"a.txt\"" || w == b"[[\"a.txt"), "no JSON array of files");

    client.upload().meta(meta).files(files.clone()).note("n").send().await.expect("upload with note");
    let got = parts(&server.last()).await;
    assert_eq!(got.len(), 4, "{got:?}");
    let note: Vec<&Part> = got.iter().filter(|p| p.name == "note").collect();
    assert_eq!(note.len(), 1);
    assert_eq!(note[0].bytes, b"n");
    assert_eq!(note[0].file_name, None);
    assert!(matches!(note[0].content_type.as_deref(), None | Some("text/plain")), "{:?}", note[0].content_type);
}
