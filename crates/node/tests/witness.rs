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
            let r = accord_node::tls::plain_client()
                .unwrap()
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

#[path = "../../log/tests/common/mod.rs"]
mod common;

fn party(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

/// A running node of this process and its URL.
struct Running {
    node: Arc<Node>,
    url: String,
}

/// Starts nodes for `parties`, each trusting the others and peering with them, all with the
/// same extra witnesses and witness policies; each binds port 0 itself.
fn start(
    rt: &tokio::runtime::Runtime,
    root: &std::path::Path,
    parties: &[&str],
    witnesses: &[accord_node::node::WitnessConfig],
    policies: &[accord_node::node::PolicyConfig],
) -> Vec<Running> {
    let dirs: Vec<std::path::PathBuf> = parties.iter().map(|p| root.join(p)).collect();
    let keys: Vec<ed25519_dalek::SigningKey> = dirs
        .iter()
        .map(|d| keys::load_or_create_key(d).unwrap())
        .collect();
    for (i, d) in dirs.iter().enumerate() {
        for (j, p) in parties.iter().enumerate() {
            if i != j {
                keys::add_trusted(d, &party(p), &keys[j].verifying_key()).unwrap();
            }
        }
    }
    let listeners: Vec<tokio::net::TcpListener> = parties
        .iter()
        .map(|_| {
            rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .unwrap()
        })
        .collect();
    let urls: Vec<String> = listeners
        .iter()
        .map(|l| format!("http://{}", l.local_addr().unwrap()))
        .collect();
    listeners
        .into_iter()
        .enumerate()
        .map(|(i, listener)| {
            let peers = parties
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(j, p)| accord_node::PeerConfig {
                    party: party(p),
                    url: urls[j].clone(),
                })
                .collect();
            let mut config = Config::new(party(parties[i]), dirs[i].clone(), peers);
            config.witnesses = witnesses.to_vec();
            config.policies = policies.to_vec();
            config.agreements = ["vienna-document-2011", "new-start"]
                .iter()
                .map(|a| accord_node::judge::resolve_agreement(a).unwrap())
                .collect();
            let node = Arc::new(Node::open(config).unwrap());
            rt.spawn(accord_node::http::serve(node.clone(), listener));
            Running {
                node,
                url: urls[i].clone(),
            }
        })
        .collect()
}

/// A witness that never cosigns: it closes every connection at once. Returns its URL.
fn silent_witness(rt: &tokio::runtime::Runtime) -> String {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            drop(conn);
        }
    });
    url
}

/// Notice `n` of `from` under `agreement`: a record of the party's log of that agreement,
/// whose checkpoints the agreement's witness policy judges.
fn notice(from: &str, agreement: &str, n: u64) -> accord_model::Record {
    serde_json::from_value(serde_json::json!({
        "id": format!("{from}-{agreement}-notice-{n}"),
        "party": from,
        "issued_at": jiff::Timestamp::now().to_string(),
        "body": {
            "type": "event_notice",
            "agreement": agreement,
            "provision": "changes-in-data",
            "event": "change_in_data",
            "occurs": "2026-11-30T00:00:00Z",
            "text": format!("notice {n}"),
        },
    }))
    .unwrap()
}

/// Waits until `done` holds of the node's finality, at most 30 s; returns it.
fn wait_finality(
    node: &Node,
    done: impl Fn(&[accord_node::wire::Finality]) -> bool,
) -> Vec<accord_node::wire::Finality> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let f = node.finality().unwrap();
        if done(&f) {
            return f;
        }
        assert!(std::time::Instant::now() < deadline, "{f:#?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_checkpoint_is_final_once_two_of_three_witnesses_cosigned_it() {
    let rt = accord_node::http::runtime().unwrap();
    let root = tempfile::tempdir().unwrap();
    // Two witnesses besides the peers that never answer.
    let (w, x) = (
        CosignerKey::generate("w.example/witness").unwrap(),
        CosignerKey::generate("x.example/witness").unwrap(),
    );
    let witnesses = vec![
        accord_node::node::WitnessConfig {
            vkey: w.vkey(),
            url: silent_witness(&rt),
        },
        accord_node::node::WitnessConfig {
            vkey: x.vkey(),
            url: silent_witness(&rt),
        },
    ];
    let policy = |agreement: &str, names: &[&str]| accord_node::node::PolicyConfig {
        agreement: accord_model::AgreementId::new(agreement).unwrap(),
        threshold: 2,
        witnesses: names.iter().map(|s| s.to_string()).collect(),
    };
    // The same policies on every node: one that the peers can meet, one that they cannot.
    let policies = vec![
        policy("vienna-document-2011", &["RU", "UA", "w.example/witness"]),
        policy(
            "new-start",
            &["RU", "w.example/witness", "x.example/witness"],
        ),
    ];
    let nodes = start(&rt, root.path(), &["US", "RU", "UA"], &witnesses, &policies);
    let us = &nodes[0];
    let key = keys::load_key(&root.path().join("US")).unwrap();
    let client = accord_node::client::Client::new(&us.url, party("US"), key.clone());
    let vd = "vienna-document-2011";
    rt.block_on(client.submit(&[
        notice("US", vd, 1),
        notice("US", vd, 2),
        notice("US", "new-start", 1),
        notice("US", "new-start", 2),
    ]))
    .unwrap();
    let finality = wait_finality(&us.node, |f| {
        f[0].final_size == Some(2) && f[1].latest_cosigned_by.len() == 1
    });
    let (met, unmet) = (&finality[0], &finality[1]);
    assert_eq!(
        met.final_cosigned_by,
        ["accord/witness/RU", "accord/witness/UA"]
    );
    assert_eq!(met.threshold, 2);
    assert_eq!(
        (
            unmet.latest,
            unmet.final_size,
            unmet.latest_cosigned_by.as_slice()
        ),
        (Some(2), None, &["accord/witness/RU".to_owned()][..])
    );
    // The final checkpoint carries both cosignatures, checked with keys from /v1/node.
    let info = |n: &Running| n.node.info().unwrap();
    let vkeys = [info(&nodes[1]).witness_key, info(&nodes[2]).witness_key];
    // US's log of the Vienna Document, signed with US's key under its origin.
    let vd_key = accord_log::ed25519_vkey_named(
        &info(us).verifier_key,
        "accord/log/US/vienna-document-2011",
    )
    .unwrap();
    let (cp, cosigs) = verify_cosigned(
        met.final_checkpoint.as_deref().unwrap().as_bytes(),
        &vd_key,
        &[&vkeys[0], &vkeys[1]],
    )
    .unwrap();
    assert_eq!((cp.size(), cosigs.len()), (2, 2));
    // /v1/node says the same.
    let over_http: accord_node::wire::NodeInfo = rt.block_on(client.get("/v1/node")).unwrap();
    assert_eq!(over_http.finality[0].final_size, Some(2));
    assert_eq!(over_http.finality[1].final_size, None);
    // A policy naming a witness nobody configured is refused when the node opens.
    let mut config = Config::new(party("UA"), root.path().join("UA2"), vec![]);
    config.policies = vec![policy("new-start", &["nobody.example", "UA"])];
    let e = Node::open(config).unwrap_err();
    assert!(e.to_string().contains("nobody"), "{e}");
}

#[test]
fn a_go_witness_and_client_written_from_the_spec_work_with_the_node() {
    let rt = accord_node::http::runtime().unwrap();
    let root = tempfile::tempdir().unwrap();
    let Some(bin) = common::go_build("witness", root.path()) else {
        return;
    };
    // The Go client drives RU's witness for US's log through every answer of add-checkpoint.
    let nodes = start(&rt, &root.path().join("a"), &["US", "RU"], &[], &[]);
    let us_key = keys::load_key(&root.path().join("a/US")).unwrap();
    let log_key = LogKey::from_signing_key("accord/log/US", &us_key).unwrap();
    let ru_witness = nodes[1].node.info().unwrap().witness_key;
    // US's own node must not move RU's witness state meanwhile: US's log stays empty.
    common::go_witness_client(&bin, &nodes[1].url, log_key.skey(), &ru_witness);
    drop(nodes);

    // The node's own client asks a Go witness to cosign its checkpoints, growth by growth.
    let go_seed = [7u8; 32];
    let go = CosignerKey::new(
        "go.example/witness",
        ed25519_dalek::SigningKey::from_bytes(&go_seed),
    )
    .unwrap();
    let dir = root.path().join("b");
    let key = keys::load_or_create_key(&dir.join("US")).unwrap();
    // The log the policy judges: US's log of the Vienna Document.
    let vkey = accord_log::ed25519_vkey("accord/log/US/vienna-document-2011", &key.verifying_key())
        .unwrap();
    let (_reaper, port) = common::go_witness(&bin, &vkey, "go.example/witness", &go_seed);
    let witnesses = vec![accord_node::node::WitnessConfig {
        vkey: go.vkey(),
        url: format!("http://127.0.0.1:{port}"),
    }];
    let policies = vec![accord_node::node::PolicyConfig {
        agreement: accord_model::AgreementId::new("vienna-document-2011").unwrap(),
        threshold: 1,
        witnesses: vec!["go.example/witness".into()],
    }];
    let nodes = start(&rt, &dir, &["US", "RU"], &witnesses, &policies);
    let client = accord_node::client::Client::new(&nodes[0].url, party("US"), key);
    for seq in 1..=3 {
        rt.block_on(client.submit(&[notice("US", "vienna-document-2011", seq)]))
            .unwrap();
        let f = wait_finality(&nodes[0].node, |f| f[0].final_size == Some(seq));
        let note = f[0].final_checkpoint.clone().unwrap();
        verify_cosigned(note.as_bytes(), &vkey, &[&go.vkey()]).unwrap();
    }
}

#[test]
fn a_witness_cosignature_made_before_the_witness_rotated_its_key_counts_until_that_key_ends() {
    let rt = accord_node::http::runtime().unwrap();
    let root = tempfile::tempdir().unwrap();
    let policies = vec![accord_node::node::PolicyConfig {
        agreement: accord_model::AgreementId::new("new-start").unwrap(),
        threshold: 1,
        witnesses: vec!["RU".to_owned()],
    }];
    let nodes = start(&rt, root.path(), &["US", "RU"], &[], &policies);
    let us = &nodes[0];
    let key = keys::load_key(&root.path().join("US")).unwrap();
    let client = accord_node::client::Client::new(&us.url, party("US"), key);
    rt.block_on(client.submit(&[notice("US", "new-start", 1)]))
        .unwrap();
    let before = wait_finality(&us.node, |f| f[0].final_size == Some(1));
    assert_eq!(before[0].final_cosigned_by, ["accord/witness/RU"]);

    // RU moves to a new key with a week's overlap, and US's trust file learns both periods.
    // RU's node keeps cosigning with the old key until it restarts, so the cosignature US
    // holds is the old key's.
    let ru_dir = root.path().join("RU");
    let now = jiff::Timestamp::now();
    let overlap_end = now + jiff::SignedDuration::from_hours(24 * 7);
    let r = keys::rotate_key(&ru_dir, &party("RU"), now, overlap_end).unwrap();
    let us_dir = root.path().join("US");
    let change = |from, until, revoked| keys::KeyChange {
        from,
        until,
        revoked,
    };
    keys::set_trusted_key(&us_dir, &party("RU"), &r.new, change(Some(now), None, None)).unwrap();
    keys::set_trusted_key(
        &us_dir,
        &party("RU"),
        &r.old,
        change(None, Some(overlap_end), None),
    )
    .unwrap();
    let f = us.node.finality().unwrap();
    assert_eq!(
        (f[0].final_size, f[0].final_cosigned_by.as_slice()),
        (Some(1), &["accord/witness/RU".to_owned()][..]),
        "the old key's cosignature counts through the overlap"
    );

    // Once the old key is revoked, what it cosigned counts for nothing.
    keys::set_trusted_key(&us_dir, &party("RU"), &r.old, change(None, None, Some(now))).unwrap();
    let f = us.node.finality().unwrap();
    assert_eq!((f[0].latest, f[0].final_size), (Some(1), None), "{f:#?}");
}
