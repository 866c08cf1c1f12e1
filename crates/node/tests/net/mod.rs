//! Two nodes, RU and US, on loopback (ports bound by the nodes, one clock the test sets), each
//! holding its own copy of the agreements; with [`Net::new`] neither pushes by itself (the test
//! carries each batch), with [`Net::exchanging`] each is the other's peer and sends by itself.

// Each test file uses the part it needs.
#![allow(dead_code)]

use std::sync::Arc;

use accord_escrow::{DeclarationInput, EscrowSecret, LimitContext, LimitValue, prove_limit};
use accord_model::{
    AgreementId, DeclarationCommitment, LimitProofRecord, PartyId, ProvisionId, Record, RecordBody,
    RecordId,
};
use accord_node::client::Client;
use accord_node::clock::ManualClock;
use accord_node::judge::AgreementFile;
use accord_node::judge::resolve_agreement;
use accord_node::wire::Receipt;
use accord_node::{Config, Node, PeerConfig, keys};
use rand_chacha::rand_core::SeedableRng as _;

pub fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

pub fn id(s: &str) -> RecordId {
    RecordId::new(s).unwrap()
}

pub fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

pub fn record(party: &str, rid: &str, issued_at: &str, body: RecordBody) -> Record {
    Record {
        id: id(rid),
        party: p(party),
        issued_at: at(issued_at),
        body,
    }
}

pub struct Side {
    pub node: Arc<Node>,
    pub client: Client,
}

pub struct Net {
    pub ru: Side,
    pub us: Side,
    pub rt: tokio::runtime::Runtime,
    /// The clock both nodes read.
    pub clock: Arc<ManualClock>,
    _dirs: Vec<tempfile::TempDir>,
}

impl Net {
    /// RU's node holding `ru`, US's holding `us`, both on a clock set at `now`.
    pub fn new(now: &str, ru: AgreementFile, us: AgreementFile) -> Net {
        Net::build(now, ru, us, false)
    }

    /// As [`Net::new`], each node the other's peer: each sends its log to the other by itself.
    pub fn exchanging(now: &str, ru: AgreementFile, us: AgreementFile) -> Net {
        Net::build(now, ru, us, true)
    }

    fn build(now: &str, ru: AgreementFile, us: AgreementFile, peers: bool) -> Net {
        let rt = accord_node::http::runtime().unwrap();
        let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
        let kr = keys::load_or_create_key(dirs[0].path()).unwrap();
        let ku = keys::load_or_create_key(dirs[1].path()).unwrap();
        keys::add_trusted(dirs[0].path(), &p("US"), &ku.verifying_key()).unwrap();
        keys::add_trusted(dirs[1].path(), &p("RU"), &kr.verifying_key()).unwrap();
        let clock = Arc::new(ManualClock::new(at(now)));
        let listeners: Vec<tokio::net::TcpListener> = (0..2)
            .map(|_| {
                rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                    .unwrap()
            })
            .collect();
        let urls: Vec<String> = listeners
            .iter()
            .map(|l| format!("http://{}", l.local_addr().unwrap()))
            .collect();
        let mut listeners = listeners.into_iter();
        let mut side = |party: &str, dir: &tempfile::TempDir, agreement: AgreementFile| {
            let (url, peer) = match party {
                "RU" => (
                    &urls[0],
                    PeerConfig {
                        party: p("US"),
                        url: urls[1].clone(),
                    },
                ),
                _ => (
                    &urls[1],
                    PeerConfig {
                        party: p("RU"),
                        url: urls[0].clone(),
                    },
                ),
            };
            let peers = if peers { vec![peer] } else { vec![] };
            let mut config = Config::new(p(party), dir.path().to_owned(), peers);
            config.clock = clock.clone();
            config.agreements = vec![agreement];
            let node = Arc::new(Node::open(config).unwrap());
            let listener = listeners.next().unwrap();
            rt.spawn(accord_node::http::serve(node.clone(), listener));
            let key = keys::load_key(dir.path()).unwrap();
            Side {
                node,
                client: Client::new(url, p(party), key),
            }
        };
        let ru = side("RU", &dirs[0], ru);
        let us = side("US", &dirs[1], us);
        Net {
            ru,
            us,
            rt,
            clock,
            _dirs: dirs,
        }
    }

    /// Sends everything of `from`'s logs that `to` reads and has not had cosigned by `to` yet
    /// (C2SP tlog-witness `add-checkpoint`, then tlog-mirror `add-entries`), keeps the receipts,
    /// returns the last one with the entries that failed their check on arrival at `to` in any
    /// of the logs, as `to`'s answers list them.
    pub fn push(&self, from: &Side, to: &Side) -> Receipt {
        let mut last: Option<Receipt> = None;
        let mut failed = Vec::new();
        for log in from.node.own_logs() {
            if !from.node.peer_mirrors(&to.node.party, &log) || from.node.log_size(&log) == 0 {
                continue;
            }
            let r = self.push_log(from, to, &log);
            failed.extend(r.failed.iter().cloned());
            last = Some(r);
        }
        let mut receipt = last.expect("a log to push");
        receipt.failed = failed;
        receipt
    }

    /// Sends what `to` has not had cosigned of `from`'s log `log`, as [`Net::push`] does.
    pub fn push_log(&self, from: &Side, to: &Side, log: &str) -> Receipt {
        let peer = to.node.party.as_str();
        let acked = from.node.acked_in(peer, log).unwrap();
        let old = from
            .node
            .witnessed(&format!("accord/witness/{peer}"), log)
            .unwrap();
        let (size, note, body) = from.node.witness_request(log, old).unwrap();
        let post = |path: &'static str, body: Vec<u8>| {
            let (status, bytes) = self.rt.block_on(to.client.post_raw(path, body)).unwrap();
            assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&bytes));
            bytes
        };
        let info = to.node.info().unwrap();
        let answer = post("/add-checkpoint", body);
        from.node
            .accept_cosignature(log, &info.witness_key, size, &note, &answer)
            .unwrap();
        let (body, _) = from
            .node
            .mirror_request(log, acked, size, u64::MAX)
            .unwrap();
        let (line, failed) = self.rt.block_on(async {
            let answer = reqwest::Client::new()
                .post(format!("{}/add-entries", to.client.url))
                .header("content-type", accord_log::mirror::ADD_ENTRIES_CONTENT_TYPE)
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 200);
            let failed = answer
                .headers()
                .get(accord_node::wire::FAILED_RECORDS_HEADER)
                .map(|v| accord_node::wire::parse_failed_records(v.to_str().unwrap()).unwrap())
                .unwrap_or_default();
            (answer.bytes().await.unwrap().to_vec(), failed)
        });
        let joined =
            accord_log::witness::add_cosignatures(note.as_bytes(), &line, &info.mirror_key)
                .unwrap();
        let receipt = Receipt {
            witness: to.node.party.clone(),
            size,
            note: String::from_utf8(joined).unwrap(),
            failed,
        };
        from.node.accept_receipt(peer, &receipt).unwrap();
        receipt
    }

    /// Submits records to a node's own log; the status and body of the answer.
    pub fn submit(&self, side: &Side, records: &[Record]) -> (u16, String) {
        let envelopes: Vec<_> = records.iter().map(|r| side.node.sign(r)).collect();
        let body = serde_json::to_vec(&serde_json::json!({ "envelopes": envelopes })).unwrap();
        let (status, bytes) = self
            .rt
            .block_on(side.client.post_raw("/v1/records/batch", body))
            .unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Submits records that the node must take.
    pub fn accepted(&self, side: &Side, records: &[Record]) {
        let (status, body) = self.submit(side, records);
        assert_eq!(status, 201, "{body}");
    }

    /// The status and body of a GET of `path` at a node.
    pub fn get(&self, side: &Side, path: &str) -> (u16, Vec<u8>) {
        self.rt.block_on(side.client.get_raw(path)).unwrap()
    }
}

/// RU's node holding a copy of New START whose warhead limit reads 4,000,000, US's holding the
/// embedded text (1,550), on a clock at `now`; each the other's peer when `exchanging`. With
/// the directory of the loose copy.
pub fn loose_net(now: &str, exchanging: bool) -> (Net, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = accord_agreements::builtin_file("new-start").unwrap();
    let loose = dir.path().join("new-start.toml");
    std::fs::write(&loose, text.replace("max = 1550", "max = 4000000")).unwrap();
    let ru = resolve_agreement(loose.to_str().unwrap()).unwrap();
    let us = resolve_agreement("new-start").unwrap();
    let net = if exchanging {
        Net::exchanging(now, ru, us)
    } else {
        Net::new(now, ru, us)
    };
    (net, dir)
}

/// RU's declaration: 1,550 warheads and 50 heavy bombers on three sites, 1,600 counted under
/// art-ii-1-b, over the limit of the embedded text.
pub fn declaration() -> (EscrowSecret, DeclarationCommitment) {
    let input = DeclarationInput::from_json(
        r#"{"party": "RU", "agreement": "new-start", "as_of": "2026-02-05",
            "bits": 16, "batch": 8,
            "sites": [{"site": "kozelsk", "counts": {"warheads": 1000, "heavy_bombers": 0}},
                      {"site": "engels", "counts": {"warheads": 0, "heavy_bombers": 50}},
                      {"site": "yasny", "counts": {"warheads": 550, "heavy_bombers": 0}}]}"#,
    )
    .unwrap();
    let (secret, counts) =
        accord_escrow::commit(&input, &mut rand_chacha::ChaCha20Rng::from_seed([1; 32])).unwrap();
    let body = secret.commitment_body(&counts);
    (secret, body)
}

/// RU's commitment record `RU-commitment` of `body`, and its limit proof `RU-limit` under
/// art-ii-1-b for the limit that `ru`'s own copy of New START sets (4,000,000).
pub fn commitment_and_limit(
    ru: &Side,
    secret: &EscrowSecret,
    body: &DeclarationCommitment,
) -> (Record, Record) {
    let commitment = record(
        "RU",
        "RU-commitment",
        "2026-02-05T00:00:00Z",
        RecordBody::DeclarationCommitment(body.clone()),
    );
    let ru_copy = &ru.node.config.agreements[0].agreement;
    let art_ii_1_b = ProvisionId::new("art-ii-1-b").unwrap();
    let loose: LimitValue = accord_escrow::provision_limit(ru_copy, &art_ii_1_b).unwrap();
    assert_eq!(loose.limit, 4_000_000);
    let ctx = LimitContext {
        agreement: AgreementId::new("new-start").unwrap(),
        provision: art_ii_1_b.clone(),
        party: p("RU"),
        date: secret.as_of,
        root: secret.root_bytes().unwrap(),
    };
    let proof = prove_limit(
        &secret.openings().unwrap(),
        &ctx,
        &[loose],
        &mut rand_chacha::ChaCha20Rng::from_seed([1; 32]),
    )
    .unwrap();
    let limit = record(
        "RU",
        "RU-limit",
        "2026-02-06T00:00:00Z",
        RecordBody::LimitProof(LimitProofRecord {
            agreement: ctx.agreement.clone(),
            provision: art_ii_1_b,
            commitment: id("RU-commitment"),
            as_of: secret.as_of,
            proof: proof.encode(),
        }),
    );
    (commitment, limit)
}
