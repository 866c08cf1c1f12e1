//! The HTTP API against its OpenAPI document: every route is documented and every documented
//! route exists, and the answers of real calls validate against the documented schemas.

use std::collections::BTreeSet;
use std::sync::Arc;

use accord_model::{HotlineMessage, PartyId, Record, RecordBody, RecordId, SeedCommit};
use accord_node::client::Client;
use accord_node::http::ROUTES;
use accord_node::{Config, Node, OPENAPI, PeerConfig, keys};
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
fn every_route_is_documented_and_every_documented_route_exists() {
    let doc = doc();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let routed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(documented, routed);
}

struct Pair {
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    us: Client,
    ru: Client,
    rt: tokio::runtime::Runtime,
}

/// Two nodes in this process, trusting each other, on loopback ports.
fn pair() -> Pair {
    let rt = accord_node::http::runtime().unwrap();
    let (du, dr) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ku = keys::load_or_create_key(du.path()).unwrap();
    let kr = keys::load_or_create_key(dr.path()).unwrap();
    keys::add_trusted(du.path(), &p("RU"), &kr.verifying_key()).unwrap();
    keys::add_trusted(dr.path(), &p("US"), &ku.verifying_key()).unwrap();
    let (lu, lr) = rt.block_on(async {
        (
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        )
    });
    let url = |l: &tokio::net::TcpListener| format!("http://{}", l.local_addr().unwrap());
    let (uu, ur) = (url(&lu), url(&lr));
    let nu = Node::open(Config::new(
        p("US"),
        du.path().to_owned(),
        vec![PeerConfig {
            party: p("RU"),
            url: ur.clone(),
        }],
    ))
    .unwrap();
    let nr = Node::open(Config::new(
        p("RU"),
        dr.path().to_owned(),
        vec![PeerConfig {
            party: p("US"),
            url: uu.clone(),
        }],
    ))
    .unwrap();
    rt.spawn(accord_node::http::serve(Arc::new(nu), lu));
    rt.spawn(accord_node::http::serve(Arc::new(nr), lr));
    Pair {
        us: Client::new(&uu, p("US"), ku),
        ru: Client::new(&ur, p("RU"), kr),
        _dirs: (du, dr),
        rt,
    }
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
        let batch = serde_json::json!({
            "envelopes": [accord_model::envelope::Envelope::sign_record(&msg, &keys_of(&net.us))]
        });
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
            if st["logs"]["RU"]["size"] == 1
                && net.us.get::<Value>("/v1/receipts/RU").await.unwrap()["receipts"]
                    .as_array()
                    .unwrap()
                    .last()
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
                "/v1/findings?at=2030-01-01T00:00:00Z",
            ),
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
        assert!(note.contains("\u{2014} accord/witness/RU "), "{note}");

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
        let (s, b) = net
            .us
            .get_raw("/v1/logs/US/tile/../node.key")
            .await
            .unwrap();
        assert!(s == 400 || s == 404, "{s}");
        assert!(!String::from_utf8_lossy(&b).contains("node.key\n"));

        // Documented errors.
        let (s, b) = net.ru.get_raw("/v1/logs/XX/checkpoint").await.unwrap();
        assert_eq!(s, 404);
        validate(&doc, "get", "/v1/logs/{party}/checkpoint", s, &b);
        let (s, b) = net
            .ru
            .post_raw("/v1/exchange", b"{}".to_vec())
            .await
            .unwrap();
        assert_eq!(s, 400);
        validate(&doc, "post", "/v1/exchange", s, &b);
        let (s, b) = net
            .ru
            .post_raw("/v1/hotline/push", b"{\"index\":0}".to_vec())
            .await
            .unwrap();
        assert_eq!(s, 400);
        validate(&doc, "post", "/v1/hotline/push", s, &b);
        // An exchange entry out of order names the index expected.
        let (s, b) = net.ru.get_raw("/v1/logs/US/entries?start=0").await.unwrap();
        assert_eq!(s, 200);
        let entries: Value = serde_json::from_slice(&b).unwrap();
        let cp =
            String::from_utf8(net.us.get_raw("/v1/logs/US/checkpoint").await.unwrap().1).unwrap();
        let req = serde_json::json!({"from": "US", "checkpoint": cp,
            "entries": [{"index": 5, "envelope": entries["entries"][0]["envelope"]}]});
        let (s, b) = net
            .ru
            .post_raw("/v1/exchange", serde_json::to_vec(&req).unwrap())
            .await
            .unwrap();
        assert_eq!(s, 409);
        validate(&doc, "post", "/v1/exchange", s, &b);
        let err: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(err["expected_index"], 2);
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
