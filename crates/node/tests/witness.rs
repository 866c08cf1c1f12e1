//! The node as a C2SP tlog-witness: `POST /add-checkpoint` over HTTP for a trusted party's
//! log, with the answers the protocol gives and the size stored before each answer.

use std::sync::Arc;

use accord_log::witness::AddCheckpoint;
use accord_log::{CosignerKey, LogKey, MerkleTree, verify_cosigned};
use accord_model::PartyId;
use accord_node::{Config, Node, keys};

#[test]
fn a_node_witnesses_a_trusted_party_log_over_http() {
    let rt = accord_node::http::runtime().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let us = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let ru = keys::load_or_create_key(dir.path()).unwrap();
    keys::add_trusted(
        dir.path(),
        &PartyId::new("US").unwrap(),
        &us.verifying_key(),
    )
    .unwrap();
    let node = Node::open(Config::new(
        PartyId::new("RU").unwrap(),
        dir.path().to_owned(),
        vec![],
    ))
    .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}/add-checkpoint", listener.local_addr().unwrap());
    rt.spawn(accord_node::http::serve(Arc::new(node), listener));

    // The US log, as its node signs it: origin accord/log/US, the party's key.
    let log_key = LogKey::from_signing_key("accord/log/US", &us).unwrap();
    let mut tree = MerkleTree::new();
    tree.extend(
        &(0..60u32)
            .map(|i| format!("e{i}").into_bytes())
            .collect::<Vec<_>>(),
    );
    let request = |old: u64, size: u64, key: &LogKey| {
        let cp = key
            .sign(key.name(), size, tree.root_at(size).unwrap())
            .unwrap();
        let proof = tree.prove_consistency(old, size).unwrap().hashes;
        let body = AddCheckpoint {
            old_size: old,
            proof,
            checkpoint: cp.note().to_vec(),
        }
        .to_bytes();
        (cp, body)
    };
    let post = |body: Vec<u8>| {
        rt.block_on(async {
            let r = reqwest::Client::new()
                .post(&url)
                .body(body)
                .send()
                .await
                .unwrap();
            let ctype = r
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            (
                r.status().as_u16(),
                ctype,
                r.bytes().await.unwrap().to_vec(),
            )
        })
    };
    let witness = CosignerKey::new("accord/witness/RU", ru).unwrap().vkey();

    let (cp, body) = request(0, 20, &log_key);
    let (status, _, answer) = post(body);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let cosigned = accord_log::witness::add_cosignatures(cp.note(), &answer, &witness).unwrap();
    verify_cosigned(&cosigned, log_key.vkey(), &[&witness]).unwrap();

    // Stale old size: 409 with the size stored, as text/x.tlog.size.
    let (_, body) = request(0, 50, &log_key);
    let (status, ctype, answer) = post(body);
    assert_eq!(
        (status, ctype.as_str(), answer.as_slice()),
        (409, "text/x.tlog.size", &b"20\n"[..])
    );
    // Consistent growth: 200.
    let (_, body) = request(20, 50, &log_key);
    assert_eq!(post(body).0, 200);
    // Another key for the US origin: 403; an unknown origin: 404; garbage: 400.
    let impostor = LogKey::generate("accord/log/US").unwrap();
    assert_eq!(post(request(50, 50, &impostor).1).0, 403);
    let stranger = LogKey::generate("accord/log/XX").unwrap();
    assert_eq!(post(request(0, 5, &stranger).1).0, 404);
    assert_eq!(post(b"old 01\n\n".to_vec()).0, 400);
    // A proof that does not verify: 422; the good one: 200.
    let (_, body) = request(50, 60, &log_key);
    let mut bad = AddCheckpoint::parse(&body).unwrap();
    bad.proof[0].0[0] ^= 1;
    assert_eq!(post(bad.to_bytes()).0, 422);
    assert_eq!(post(body).0, 200);
    // Each cosignature made is kept for the engine, with the size of the log it covers.
    let kept: Vec<(String, u64, String)> = accord_node::store::read_cosignatures(dir.path())
        .unwrap()
        .into_iter()
        .map(|c| (c.log.to_string(), c.size, c.cosigner.to_string()))
        .collect();
    let ru_on_us = |size| ("US".to_owned(), size, "RU".to_owned());
    assert_eq!(kept, vec![ru_on_us(20), ru_on_us(50), ru_on_us(60)]);
}
