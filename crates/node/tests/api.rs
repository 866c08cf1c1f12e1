//! The HTTP API against its OpenAPI document: the router answers every documented operation and
//! nothing else, the answers of real calls validate against the documented schemas, and paths
//! that try to leave a log's directory reach the guard and are refused.

mod common;

use accord_model::{HotlineMessage, PartyId, Record, RecordBody, RecordId, SeedCommit};
use accord_node::OPENAPI;
use accord_node::client::Client;
use common::pair;
use serde_json::Value;

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

fn doc() -> Value {
    serde_json::from_str(OPENAPI).expect("openapi.json is JSON")
}

/// The schema of `status`'s JSON answer of `method path`, with the components attached.
fn response_schema(doc: &Value, method: &str, path: &str, status: u16) -> Option<Value> {
    let op = &doc["paths"][path][method];
    let mut resp = op["responses"][status.to_string()].clone();
    if let Some(r) = resp.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap();
        resp = doc["components"]["responses"][name].clone();
    }
    let schema = resp["content"]["application/json"]["schema"].clone();
    if schema.is_null() {
        return None;
    }
    // OpenAPI 3.0 schemas are JSON Schema draft 4/7 compatible for what this document uses.
    let mut s = schema;
    s["components"] = doc["components"].clone();
    Some(s)
}

fn validate(doc: &Value, method: &str, path: &str, status: u16, body: &[u8]) {
    let schema = response_schema(doc, method, path, status)
        .unwrap_or_else(|| panic!("{method} {path} has no JSON schema for status {status}"));
    let value: Value = serde_json::from_slice(body).unwrap_or_else(|e| {
        panic!(
            "{method} {path}: answer is not JSON ({e}): {}",
            String::from_utf8_lossy(body)
        )
    });
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} {status}: {errors:?}\n{value:#}"
    );
}

#[test]
fn answers_validate_against_the_documented_schemas() {
    let doc = doc();
    let net = pair();
    net.rt.block_on(async {
        let now = jiff::Timestamp::now();
        let seed = Record {
            id: RecordId::new("US-seed-1").unwrap(),
            party: p("US"),
            issued_at: now,
            body: RecordBody::SeedCommit(SeedCommit {
                round: "2022-1".into(),
                digest: "00".repeat(32),
                commitment: accord_model::RecordId::new("US-commitment").unwrap(),
                root: "00".repeat(32),
                declaration: accord_model::LogReceipt {
                    checkpoint: String::new(),
                    proof: accord_model::ReceiptProof {
                        index: 0,
                        size: 0,
                        hashes: Vec::new(),
                    },
                },
            }),
        };
        let env = accord_model::envelope::Envelope::sign_record(&seed, &keys_of(&net.us));
        let (s, b) = net.us.post_raw("/v1/records", env.to_json()).await.unwrap();
        assert_eq!(s, 201);
        validate(&doc, "post", "/v1/records", s, &b);
        // The same envelope again is a replay: a documented error.
        let (s, b) = net.us.post_raw("/v1/records", env.to_json()).await.unwrap();
        assert_eq!(s, 409);
        validate(&doc, "post", "/v1/records", s, &b);

        let msg = Record {
            id: RecordId::new("US-hotline-RU-1").unwrap(),
            party: p("US"),
            issued_at: now,
            body: RecordBody::HotlineMessage(HotlineMessage {
                to: p("RU"),
                seq: 1,
                text: "urgent".into(),
            }),
        };
        // A second record for the public log beside the message, which goes to US's log of
        // its channel with RU.
        let mut seed2 = seed.clone();
        seed2.id = RecordId::new("US-seed-2").unwrap();
        let sign = |r: &Record| accord_model::envelope::Envelope::sign_record(r, &keys_of(&net.us));
        let batch = serde_json::json!({ "envelopes": [sign(&seed2), sign(&msg)] });
        let (s, b) = net
            .us
            .post_raw("/v1/records/batch", serde_json::to_vec(&batch).unwrap())
            .await
            .unwrap();
        assert_eq!(s, 201, "{}", String::from_utf8_lossy(&b));
        validate(&doc, "post", "/v1/records/batch", s, &b);

        // Wait for the exchange to deliver both ways (RU logs a delivery receipt).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let st: Value = net.us.get("/v1/state").await.unwrap();
            if st["logs"]["RU/hotline/RU/US"]["size"] == 1
                && net.us.get::<Value>("/v1/receipts/RU").await.unwrap()["receipts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .rfind(|r| r["log"] == "US")
                    .map(|r| r["size"].clone())
                    == Some(2.into())
            {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "exchange did not settle: {st}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }

        for (path, c, call) in [
            ("/v1/node", &net.us, "/v1/node"),
            ("/v1/state", &net.ru, "/v1/state"),
            (
                "/v1/findings",
                &net.ru,
                "/v1/findings?as_of=2030-01-01T00:00:00Z",
            ),
            ("/v1/inspections", &net.us, "/v1/inspections"),
            ("/v1/hotline/inbox", &net.ru, "/v1/hotline/inbox?after=0"),
            (
                "/v1/hotline/channels/{to}",
                &net.us,
                "/v1/hotline/channels/RU",
            ),
            (
                "/v1/logs/{party}/entries",
                &net.ru,
                "/v1/logs/US/entries?start=0",
            ),
            ("/v1/receipts/{peer}", &net.us, "/v1/receipts/RU"),
            ("/openapi.json", &net.us, "/openapi.json"),
        ] {
            let (s, b) = c.get_raw(call).await.unwrap();
            assert_eq!(s, 200, "{call}: {}", String::from_utf8_lossy(&b));
            validate(&doc, "get", path, s, &b);
        }
        let inbox: Value = net.ru.get("/v1/hotline/inbox").await.unwrap();
        assert_eq!(inbox["messages"][0]["text"], "urgent");
        let (s, b) = net.ru.get_raw("/v1/logs/US/checkpoint").await.unwrap();
        assert_eq!(s, 200);
        let note = String::from_utf8(b).unwrap();
        assert!(note.starts_with("accord/log/US\n2\n"), "{note}");
        assert!(note.contains("\u{2014} accord/mirror/RU "), "{note}");
        // The same checkpoint where C2SP tlog-mirror puts it: under the origin's hash.
        let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest("accord/log/US"));
        let (s, b) = net
            .ru
            .get_raw(&format!("/mirror/{hash}/checkpoint"))
            .await
            .unwrap();
        assert_eq!((s, String::from_utf8(b).unwrap()), (200, note.clone()));
        let (s, b) = net
            .ru
            .get_raw(&format!("/mirror/{hash}/tile/entries/000.p/2"))
            .await
            .unwrap();
        assert_eq!(s, 200);
        assert_eq!(
            accord_log::tiles::decode_bundle("entries/000.p/2", &b)
                .unwrap()
                .len(),
            2
        );

        // Offline proofs: an entry of RU's mirror against the checkpoint RU cosigned as mirror,
        // and an entry of US's own log against the checkpoint RU cosigned as witness.
        let info_us: Value = net.us.get("/v1/node").await.unwrap();
        let info_ru: Value = net.ru.get("/v1/node").await.unwrap();
        let us_vkey = info_us["verifier_key"].as_str().unwrap();
        for (client, index, witness) in [
            (&net.ru, 1, info_ru["mirror_key"].as_str().unwrap()),
            (&net.us, 0, info_ru["witness_key"].as_str().unwrap()),
        ] {
            let (s, b) = client
                .get_raw(&format!("/v1/proof?origin=accord/log/US&index={index}"))
                .await
                .unwrap();
            assert_eq!(s, 200, "{}", String::from_utf8_lossy(&b));
            let proven = accord_log::TlogProof::parse(&b)
                .unwrap()
                .verify(None, us_vkey, &[witness])
                .unwrap();
            assert_eq!(proven.proof.index, index);
            let (_, entries) = net
                .us
                .get_raw(&format!("/v1/logs/US/entries?start={index}&limit=1"))
                .await
                .unwrap();
            let entries: Value = serde_json::from_slice(&entries).unwrap();
            let logged: Value = serde_json::from_slice(&proven.entry).unwrap();
            assert_eq!(logged, entries["entries"][0]["envelope"]);
        }
        let (s, b) = net
            .ru
            .get_raw("/v1/proof?origin=accord/log/US&index=2")
            .await
            .unwrap();
        assert_eq!(s, 404);
        validate(&doc, "get", "/v1/proof", s, &b);

        // The public log as C2SP tiles: the mirror's entry bundle holds US's two envelopes and
        // its level-0 hash tile their two leaf hashes.
        let (s, b) = net
            .ru
            .get_raw("/v1/logs/US/tile/entries/000.p/2")
            .await
            .unwrap();
        assert_eq!(s, 200);
        let bundle = accord_log::tiles::decode_bundle("entries/000.p/2", &b).unwrap();
        assert_eq!(bundle.len(), 2);
        let (s, b) = net.us.get_raw("/v1/logs/US/tile/0/000.p/2").await.unwrap();
        assert_eq!(s, 200);
        assert_eq!(b.len(), 64);

        // Documented errors.
        let (s, b) = net.ru.get_raw("/v1/logs/XX/checkpoint").await.unwrap();
        assert_eq!(s, 404);
        validate(&doc, "get", "/v1/logs/{party}/checkpoint", s, &b);
        // The mirror protocol's answers: a body that is no request, a checkpoint size RU never
        // held pending (409 with where the mirror is), and an upload of nothing up to the
        // checkpoint RU holds (its cosignature again).
        let (s, _) = net
            .ru
            .post_raw("/add-entries", b"{}".to_vec())
            .await
            .unwrap();
        assert_eq!(s, 400);
        let head = |start, end| {
            accord_log::mirror::AddEntries {
                origin: "accord/log/US".into(),
                upload_start: start,
                upload_end: end,
                ticket: Vec::new(),
            }
            .to_bytes()
            .unwrap()
        };
        let (s, b) = net.ru.post_raw("/add-entries", head(2, 7)).await.unwrap();
        assert_eq!((s, b.as_slice()), (409, b"2\n2\n\n".as_slice()));
        let (s, b) = net.ru.post_raw("/add-entries", head(2, 2)).await.unwrap();
        assert_eq!(s, 200, "{}", String::from_utf8_lossy(&b));
        assert!(
            String::from_utf8(b)
                .unwrap()
                .starts_with("\u{2014} accord/mirror/RU ")
        );
        let mut unknown = head(0, 0);
        unknown[2..15].copy_from_slice(b"accord/log/XX");
        let (s, _) = net.ru.post_raw("/add-entries", unknown).await.unwrap();
        assert_eq!(s, 404);
        // A route that is not documented does not exist.
        let (s, b) = net.us.get_raw("/v1/nothing").await.unwrap();
        assert_eq!(s, 404);
        assert_eq!(
            serde_json::from_slice::<Value>(&b).unwrap()["code"],
            "not_found"
        );
    });
}

fn keys_of(c: &Client) -> ed25519_dalek::SigningKey {
    c.signing_key().clone()
}

/// Sends `method path` as raw bytes (no client normalises the path) and returns the status and
/// the body.
fn raw(url: &str, method: &str, path: &str) -> (u16, Vec<u8>) {
    use std::io::{Read as _, Write as _};
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let body = if method == "POST" { "{}" } else { "" };
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: n\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = s.read(&mut buf).unwrap();
        out.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&out).to_lowercase();
        // An event stream does not end: its headers are the answer.
        if n == 0 || (text.contains("\r\n\r\n") && text.contains("content-type: text/event-stream"))
        {
            break;
        }
    }
    let text = String::from_utf8_lossy(&out);
    let status = text.split(' ').nth(1).unwrap().parse().unwrap();
    let start = text.find("\r\n\r\n").map_or(out.len(), |i| i + 4);
    (status, out[start..].to_vec())
}

/// Whether an answer is the router's own: no route at that path, or not that method.
fn unrouted((status, body): &(u16, Vec<u8>)) -> Option<&'static str> {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    match (status, v["code"].as_str()) {
        (405, Some("method_not_allowed")) => Some("method"),
        (404, Some("not_found")) if v["error"].as_str().unwrap().contains("no such route") => {
            Some("path")
        }
        _ => None,
    }
}

#[test]
fn the_router_answers_the_documented_operations_and_nothing_else() {
    let doc = doc();
    let net = pair();
    let url = net.us.url.clone();
    let mut answered = 0;
    for (template, ops) in doc["paths"].as_object().unwrap() {
        let path = template
            .replace("{party}", "US")
            .replace("{to}", "RU")
            .replace("{peer}", "RU")
            .replace("{path}", "0/000.p/1")
            .replace("{origin_hash}", "00")
            .replace("{id}", "US-none");
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            let r = raw(&url, method, &path);
            if ops.get(method.to_lowercase()).is_some() {
                assert_eq!(unrouted(&r), None, "{method} {path} is documented: {r:?}");
                answered += 1;
            } else {
                assert_eq!(unrouted(&r), Some("method"), "{method} {path}: {r:?}");
            }
        }
    }
    // 20 operations of the API, /healthz and /metrics, 7 of the dashboard.
    assert_eq!(answered, 29);
    for path in [
        "/index.html",
        "/records",
        "/v1",
        "/v1/nodes",
        "/v1/hotline",
        "/v1/logs/US",
        "/v1/logs/US/tile",
        "/v1/receipts",
        "/api/v1/node",
    ] {
        assert_eq!(unrouted(&raw(&url, "GET", path)), Some("path"), "{path}");
    }
}

#[test]
fn paths_out_of_a_log_directory_reach_the_guard_and_are_refused() {
    let net = pair();
    let url = net.us.url.clone();
    let key = std::fs::read_to_string(net._dirs.0.path().join("node.key")).unwrap();
    // The control: a real tile, sent the same way.
    net.rt.block_on(async {
        net.us
            .submit(&[Record {
                id: RecordId::new("US-seed-1").unwrap(),
                party: p("US"),
                issued_at: jiff::Timestamp::now(),
                body: RecordBody::SeedCommit(SeedCommit {
                    round: "r".into(),
                    digest: "00".repeat(32),
                    commitment: accord_model::RecordId::new("US-commitment").unwrap(),
                    root: "00".repeat(32),
                    declaration: accord_model::LogReceipt {
                        checkpoint: String::new(),
                        proof: accord_model::ReceiptProof {
                            index: 0,
                            size: 0,
                            hashes: Vec::new(),
                        },
                    },
                }),
            }])
            .await
            .unwrap();
    });
    let (s, b) = raw(&url, "GET", "/v1/logs/US/tile/0/000.p/1");
    assert_eq!((s, b.len()), (200, 32));
    for path in [
        "/v1/logs/US/tile/../node.key",
        "/v1/logs/US/tile/../../node.key",
        "/v1/logs/US/tile/%2e%2e/node.key",
        "/v1/logs/US/tile/%2E%2E/%2E%2E/node.key",
        "/v1/logs/US/tile/..%2fnode.key",
        "/v1/logs/US/tile/%2e%2e%2f%2e%2e%2fnode.key",
        "/v1/logs/US/tile/entries/..%2F..%2F..%2Fnode.key",
        "/v1/logs/US/tile/0/./000",
        "/v1/logs/US/tile/0//000",
        "/v1/logs/US/tile/%2fetc%2fpasswd",
        "/v1/logs/..%2F..%2FUS/checkpoint",
        "/v1/logs/%2e%2e/tile/node.key",
        "/v1/logs/..%2F/entries",
        "/v1/receipts/..%2Fnode.key",
    ] {
        let (s, b) = raw(&url, "GET", path);
        let v: Value = serde_json::from_slice(&b)
            .unwrap_or_else(|_| panic!("{path}: {s} {}", String::from_utf8_lossy(&b)));
        assert_eq!(
            (s, v["code"].as_str()),
            (400, Some("malformed")),
            "{path}: {v}"
        );
        assert!(!String::from_utf8_lossy(&b).contains(key.trim()), "{path}");
    }
}
