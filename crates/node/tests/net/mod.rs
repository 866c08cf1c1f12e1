//! Two nodes, RU and US, on loopback (ports bound by the nodes, one clock the test sets), each
//! holding its own copy of the agreements; neither pushes by itself: the test carries each
//! batch.

// Each test file uses the part it needs.
#![allow(dead_code)]

use std::sync::Arc;

use accord_model::{PartyId, Record, RecordBody, RecordId};
use accord_node::client::Client;
use accord_node::clock::ManualClock;
use accord_node::judge::AgreementFile;
use accord_node::wire::Receipt;
use accord_node::{Config, Node, keys};

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
        let rt = accord_node::http::runtime().unwrap();
        let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
        let kr = keys::load_or_create_key(dirs[0].path()).unwrap();
        let ku = keys::load_or_create_key(dirs[1].path()).unwrap();
        keys::add_trusted(dirs[0].path(), &p("US"), &ku.verifying_key()).unwrap();
        keys::add_trusted(dirs[1].path(), &p("RU"), &kr.verifying_key()).unwrap();
        let clock = Arc::new(ManualClock::new(at(now)));
        let side = |party: &str, dir: &tempfile::TempDir, agreement: AgreementFile| {
            let mut config = Config::new(p(party), dir.path().to_owned(), vec![]);
            config.clock = clock.clone();
            config.agreements = vec![agreement];
            let node = Arc::new(Node::open(config).unwrap());
            let listener = rt
                .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            rt.spawn(accord_node::http::serve(node.clone(), listener));
            let key = keys::load_key(dir.path()).unwrap();
            Side {
                node,
                client: Client::new(&url, p(party), key),
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

    /// Sends everything `from` has not had cosigned by `to` yet (C2SP tlog-witness
    /// `add-checkpoint`, then tlog-mirror `add-entries`), keeps the receipt, returns it with the
    /// entries that failed their check on arrival at `to`.
    pub fn push(&self, from: &Side, to: &Side) -> Receipt {
        let peer = to.node.party.as_str();
        let acked = from.node.acked(peer).unwrap();
        let old = from
            .node
            .witnessed(&format!("accord/witness/{peer}"))
            .unwrap();
        let (size, note, body) = from.node.witness_request(old).unwrap();
        let post = |path: &'static str, body: Vec<u8>| {
            let (status, bytes) = self.rt.block_on(to.client.post_raw(path, body)).unwrap();
            assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&bytes));
            bytes
        };
        let info = to.node.info().unwrap();
        let answer = post("/add-checkpoint", body);
        from.node
            .accept_cosignature(&info.witness_key, size, &note, &answer)
            .unwrap();
        let (body, _) = from.node.mirror_request(acked, size, u64::MAX).unwrap();
        let line = post("/add-entries", body);
        let joined =
            accord_log::witness::add_cosignatures(note.as_bytes(), &line, &info.mirror_key)
                .unwrap();
        let receipt = Receipt {
            witness: to.node.party.clone(),
            size,
            note: String::from_utf8(joined).unwrap(),
            failed: to.node.failed_on_arrival(&from.node.party, acked, size),
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
