//! Every way the node refuses input: each answer's status, code and words, and nothing of the
//! node's state changed by any of them. The node runs in this process on a port it bound
//! itself, on a clock the test sets.

use std::sync::Arc;

use accord_log::{CosignerKey, LogKey, MerkleTree};
use accord_model::envelope::Envelope;
use accord_model::{
    AgreementId, Area, ExplanationRequest, HotlineMessage, PartyId, ProvisionId, Record,
    RecordBody, RecordId, SeedCommit,
};
use accord_node::client::Client;
use accord_node::clock::ManualClock;
use accord_node::wire::{Receipt, StateSummary};
use accord_node::{Config, Node, keys};
use ed25519_dalek::SigningKey;
use serde_json::Value;

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

/// The instant the node's clock shows.
const NOW: &str = "2022-02-15T12:00:00Z";

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

fn seed(party: &str, i: u32) -> Record {
    Record {
        id: RecordId::new(format!("{party}-seed-{i}")).unwrap(),
        party: p(party),
        issued_at: at(NOW),
        body: RecordBody::SeedCommit(SeedCommit {
            round: format!("round-{i}"),
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
    }
}

fn request(party: &str, id: &str, to: &str, issued_at: &str) -> Record {
    Record {
        id: RecordId::new(id).unwrap(),
        party: p(party),
        issued_at: at(issued_at),
        body: RecordBody::ExplanationRequest(ExplanationRequest {
            agreement: AgreementId::new("vienna-document-2011").unwrap(),
            provision: ProvisionId::new("chapter-iii-16").unwrap(),
            to: p(to),
            area: Area {
                zone: None,
                description: "near the border".into(),
            },
            text: "explain".into(),
        }),
    }
}

fn hotline(party: &str, id: &str, to: &str, seq: u64) -> Record {
    Record {
        id: RecordId::new(id).unwrap(),
        party: p(party),
        issued_at: at(NOW),
        body: RecordBody::HotlineMessage(HotlineMessage {
            to: p(to),
            seq,
            text: "urgent".into(),
        }),
    }
}

/// A checkpoint note with body `origin`, `size` and the root over `entries`, signed by `key`
/// under `name`.
fn note(key: &SigningKey, name: &str, origin: &str, size: u64, entries: &[&Envelope]) -> String {
    let mut tree = MerkleTree::new();
    tree.extend(&entries.iter().map(|e| e.to_json()).collect::<Vec<_>>());
    let root = if size <= tree.size() {
        tree.root_at(size).unwrap()
    } else {
        tree.root()
    };
    let cp = LogKey::from_signing_key(name, key)
        .unwrap()
        .sign(origin, size, root)
        .unwrap();
    cp.as_str().to_owned()
}

/// US's own checkpoint over exactly `entries`.
fn us_checkpoint(key: &SigningKey, entries: &[&Envelope]) -> String {
    note(
        key,
        "accord/log/US",
        "accord/log/US",
        entries.len() as u64,
        entries,
    )
}

/// Asserts a refusal of the witness or mirror protocol: its status and words of its text.
fn refused_text((status, body): (u16, Vec<u8>), want: u16, words: &str) {
    let text = String::from_utf8_lossy(&body);
    assert_eq!(status, want, "{text}");
    assert!(text.contains(words), "{text:?} should say {words:?}");
}

/// Hands `entries` under the checkpoint `note` to a fresh RU node as a mirror client would:
/// `add-checkpoint`, then `add-entries`. Returns both answers, having checked that RU's logs
/// and inbox did not change if the entries were refused.
fn upload(keys: &Net, note: &str, entries: &[&Envelope]) -> ((u16, Vec<u8>), (u16, Vec<u8>)) {
    let net = net_with(&keys.us, &keys.ua);
    let bytes: Vec<Vec<u8>> = entries.iter().map(|e| e.to_json()).collect();
    let (checkpoint, body) = accord_node::client::mirror_upload(note, &bytes, 0).unwrap();
    net.rt.block_on(async {
        let before = net.ru.get::<StateSummary>("/v1/state").await.unwrap();
        let a = net
            .ru
            .post_raw("/add-checkpoint", checkpoint)
            .await
            .unwrap();
        let b = net.ru.post_raw("/add-entries", body).await.unwrap();
        if b.0 != 200 {
            assert_eq!(
                net.ru.get::<StateSummary>("/v1/state").await.unwrap(),
                before
            );
            let inbox: Value = net.ru.get("/v1/hotline/inbox").await.unwrap();
            assert_eq!(inbox["messages"], serde_json::json!([]));
        }
        (a, b)
    })
}

struct Net {
    ru: Client,
    node: Arc<Node>,
    us: SigningKey,
    ua: SigningKey,
    stranger: SigningKey,
    rt: tokio::runtime::Runtime,
    _dirs: Vec<tempfile::TempDir>,
}

/// RU's node, trusting US and UA, on a port it bound itself and a clock stopped at `NOW`.
fn net() -> Net {
    let key = accord_model::envelope::generate_key;
    net_with(&key(), &key())
}

/// RU's node as [`net`] makes it, with the keys `us` and `ua` for US and UA.
fn net_with(us: &SigningKey, ua: &SigningKey) -> Net {
    let rt = accord_node::http::runtime().unwrap();
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    for (dir, key) in dirs[1..].iter().zip([us, ua]) {
        let file = dir.path().join(keys::KEY_FILE);
        std::fs::write(file, hex::encode(key.to_bytes())).unwrap();
    }
    let ks: Vec<SigningKey> = dirs
        .iter()
        .map(|d| keys::load_or_create_key(d.path()).unwrap())
        .collect();
    keys::add_trusted(dirs[0].path(), &p("US"), &ks[1].verifying_key()).unwrap();
    keys::add_trusted(dirs[0].path(), &p("UA"), &ks[2].verifying_key()).unwrap();
    let mut config = Config::new(p("RU"), dirs[0].path().to_owned(), vec![]);
    config.clock = Arc::new(ManualClock::new(at(NOW)));
    let node = Arc::new(Node::open(config).unwrap());
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(accord_node::http::serve(node.clone(), listener));
    Net {
        ru: Client::new(&url, p("RU"), ks[0].clone()),
        node,
        us: ks[1].clone(),
        ua: ks[2].clone(),
        stranger: accord_model::envelope::generate_key(),
        rt,
        _dirs: dirs,
    }
}

/// Asserts a refusal: its status, its code and words of its message.
fn refused((status, body): (u16, Vec<u8>), want: u16, code: &str, words: &str) {
    let v: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| panic!("JSON error body: {}", String::from_utf8_lossy(&body)));
    assert_eq!(
        (status, v["code"].as_str().unwrap_or("")),
        (want, code),
        "{v}"
    );
    let msg = v["error"].as_str().unwrap();
    assert!(msg.contains(words), "{msg:?} should say {words:?}");
}

#[test]
fn every_refusal_of_the_mirror_protocol_changes_nothing() {
    let net = net();
    let (us, ua) = (&net.us, &net.ua);
    let a = Envelope::sign_record(&seed("US", 1), us);
    let b = Envelope::sign_record(&seed("US", 2), us);

    // The checkpoint: signed by another key, or over another party's origin.
    let forged = note(ua, "accord/log/US", "accord/log/US", 1, &[&a]);
    refused_text(upload(&net, &forged, &[&a]).0, 403, "no valid signature");
    let other = note(us, "accord/log/US", "accord/log/UA", 1, &[&a]);
    refused_text(upload(&net, &other, &[&a]).0, 403, "no valid signature");
    let cn = note(us, "accord/log/CN", "accord/log/CN", 1, &[&a]);
    refused_text(upload(&net, &cn, &[&a]).0, 404, "accord/log/CN");
    // The entries: fewer than the checkpoint counts, or other than the ones it signs.
    let sized = note(us, "accord/log/US", "accord/log/US", 2, &[&a]);
    let (added, r) = upload(&net, &sized, &[&a]);
    assert_eq!(added.0, 200, "{}", String::from_utf8_lossy(&added.1));
    refused_text(r, 400, "no whole entry package");
    refused_text(
        upload(&net, &us_checkpoint(us, &[&b]), &[&a]).1,
        422,
        "does not lead to the checkpoint's root",
    );
    // Entries of RU's own log, sent to RU.
    let net2 = self::net();
    let mine = Envelope::sign_record(&seed("RU", 1), net2.ru.signing_key());
    let own = note(
        net2.ru.signing_key(),
        "accord/log/RU",
        "accord/log/RU",
        1,
        &[&mine],
    );
    let (checkpoint, body) =
        accord_node::client::mirror_upload(&own, &[mine.to_json()], 0).unwrap();
    net2.rt.block_on(async {
        let r = net2
            .ru
            .post_raw("/add-checkpoint", checkpoint)
            .await
            .unwrap();
        refused_text(r, 404, "accord/log/RU");
        let r = net2.ru.post_raw("/add-entries", body).await.unwrap();
        refused_text(r, 404, "accord/log/RU");
    });
    // Authentic entries that are not acceptable records: signed by a stranger, by another
    // party, twice in the log.
    let strange = Envelope::sign_record(&seed("US", 3), &net.stranger);
    let r = upload(&net, &us_checkpoint(us, &[&strange]), &[&strange]).1;
    refused(r, 403, "unknown_party", "belongs to no party");
    let by_ua = Envelope::sign_record(&seed("UA", 3), ua);
    let r = upload(&net, &us_checkpoint(us, &[&by_ua]), &[&by_ua]).1;
    refused(r, 403, "wrong_party", "signed by UA");
    let r = upload(&net, &us_checkpoint(us, &[&a, &a]), &[&a, &a]).1;
    refused(r, 409, "replay", "appears twice");
    let mut bad = Envelope::sign_record(&hotline("US", "US-h-1", "RU", 1), us);
    bad.payload = a.payload.clone();
    let r = upload(&net, &us_checkpoint(us, &[&bad]), &[&bad]).1;
    refused(r, 401, "bad_signature", "does not verify");
    // The rules: dated after the node's clock, naming the author or a stranger.
    let late = Envelope::sign_record(&request("US", "US-r-1", "RU", "2022-02-16T00:00:00Z"), us);
    let r = upload(&net, &us_checkpoint(us, &[&late]), &[&late]).1;
    refused(r, 422, "rule", "in the future");
    let own = Envelope::sign_record(&request("US", "US-r-2", "US", NOW), us);
    let r = upload(&net, &us_checkpoint(us, &[&own]), &[&own]).1;
    refused(r, 422, "rule", "names the author US itself");
    let cn = Envelope::sign_record(&request("US", "US-r-3", "CN", NOW), us);
    let r = upload(&net, &us_checkpoint(us, &[&cn]), &[&cn]).1;
    refused(r, 422, "rule", "not a party of this exchange");
    // A hotline message that skips a sequence number.
    let skip = Envelope::sign_record(&hotline("US", "US-h-5", "RU", 5), us);
    let r = upload(&net, &us_checkpoint(us, &[&skip]), &[&skip]).1;
    refused(r, 422, "rule", "must carry 1");
    // The control: the same upload of good entries is taken and cosigned.
    let (added, r) = upload(&net, &us_checkpoint(us, &[&a, &b]), &[&a, &b]);
    assert_eq!(added.0, 200);
    assert_eq!(r.0, 200, "{}", String::from_utf8_lossy(&r.1));
    assert!(String::from_utf8_lossy(&r.1).starts_with("\u{2014} accord/mirror/RU "));
}

#[test]
fn every_refusal_of_a_submission_changes_nothing() {
    let net = net();
    net.rt.block_on(async {
        let ru = &net.ru;
        let before = ru.get::<StateSummary>("/v1/state").await.unwrap();
        let post = |path: &'static str, body: Vec<u8>| async move {
            ru.post_raw(path, body).await.unwrap()
        };
        let a = Envelope::sign_record(&seed("US", 1), &net.us);
        let mine = Envelope::sign_record(&seed("RU", 1), net.ru.signing_key());
        // Submissions: empty, mixed with another party's envelope, a gap on a channel.
        let r = post("/v1/records/batch", b"{\"envelopes\":[]}".to_vec()).await;
        refused(r, 400, "malformed", "no envelope");
        let body = serde_json::to_vec(&serde_json::json!({"envelopes": [mine, a]})).unwrap();
        let r = post("/v1/records/batch", body).await;
        refused(r, 403, "wrong_party", "only RU may write");
        let gap = Envelope::sign_record(&hotline("RU", "RU-h-2", "US", 2), net.ru.signing_key());
        let r = post("/v1/records", gap.to_json()).await;
        refused(r, 422, "rule", "must carry 1");
        let myself =
            Envelope::sign_record(&request("RU", "RU-r-1", "RU", NOW), net.ru.signing_key());
        let r = post("/v1/records", myself.to_json()).await;
        refused(r, 422, "rule", "names the author RU itself");

        assert_eq!(ru.get::<StateSummary>("/v1/state").await.unwrap(), before);
        let inbox: Value = ru.get("/v1/hotline/inbox").await.unwrap();
        assert_eq!(inbox["messages"], serde_json::json!([]));
    });
}

#[test]
fn bad_query_values_are_refused_on_every_route_that_takes_them() {
    let net = net();
    net.rt.block_on(async {
        for path in [
            "/v1/findings?as_of=yesterday",
            "/v1/findings?as_of=9999-99-99T00:00:00Z",
            "/v1/findings?severity=grave",
            "/v1/findings?party=a%20b",
            "/v1/findings?agreement=new%20start",
            "/v1/findings?at=yesterday",
            "/v1/findings?at=",
            "/v1/findings?as_at=2022-01-01T00:00:00Z",
            "/v1/hotline/inbox?after=-1",
            "/v1/hotline/inbox?after=x",
            "/v1/hotline/inbox?wait=soon",
            "/v1/hotline/inbox?limit=1.5",
            "/v1/hotline/inbox?colour=red",
            "/v1/logs/RU/entries?start=x",
            "/v1/logs/RU/entries?limit=-5",
            "/v1/logs/RU/entries?from=0",
            "/v1/hotline/channels/US%2F..",
            "/v1/hotline/channels/a.b",
        ] {
            let r = net.ru.get_raw(path).await.unwrap();
            refused(r, 400, "malformed", "");
        }
    });
}

#[test]
fn receipts_that_do_not_cosign_our_log_are_refused() {
    let net = net();
    let node = &net.node;
    let (us, ua) = (&net.us, &net.ua);
    net.rt.block_on(async {
        net.ru
            .submit(&[seed("RU", 1), seed("RU", 2)])
            .await
            .unwrap();
    });
    let ours = node.checkpoint("RU").unwrap();
    let cosign = |key: &SigningKey, name: &str, text: &str| {
        let c = CosignerKey::new(name, key.clone()).unwrap();
        String::from_utf8(c.cosign_note(text.as_bytes(), 1_644_926_400).unwrap()).unwrap()
    };
    let receipt = |note: String| Receipt {
        witness: p("US"),
        size: 2,
        note,
        failed: Vec::new(),
    };
    // A good receipt is kept.
    let good = receipt(cosign(us, "accord/mirror/US", &ours));
    node.accept_receipt("US", &good).unwrap();
    assert_eq!(node.acked("US").unwrap(), 2);
    // Cosigned by another key, under another name, or over a checkpoint we never signed.
    let e = node
        .accept_receipt("US", &receipt(cosign(ua, "accord/mirror/US", &ours)))
        .unwrap_err();
    assert_eq!(e.code(), "bad_note", "{e}");
    let e = node
        .accept_receipt("US", &receipt(cosign(us, "accord/mirror/UA", &ours)))
        .unwrap_err();
    assert_eq!(e.code(), "bad_note", "{e}");
    let forged = note(ua, "accord/log/RU", "accord/log/RU", 2, &[]);
    let e = node
        .accept_receipt("US", &receipt(cosign(us, "accord/mirror/US", &forged)))
        .unwrap_err();
    assert_eq!(e.code(), "bad_note", "{e}");
    // Signed by our key over a root we never had (a key used outside the node).
    let other = note(
        net.ru.signing_key(),
        "accord/log/RU",
        "accord/log/RU",
        2,
        &[],
    );
    let e = node
        .accept_receipt("US", &receipt(cosign(us, "accord/mirror/US", &other)))
        .unwrap_err();
    assert_eq!(e.code(), "conflict", "{e}");
    // From a party nobody trusts.
    let e = node.accept_receipt("CN", &good).unwrap_err();
    assert_eq!(e.code(), "unknown_party", "{e}");
    assert_eq!(node.receipts("US").unwrap().len(), 1);
}
