//! Deadlines judged by when the requester's node held a reply, across two nodes on loopback with
//! clocks the test sets: both nodes, and `accord check` of either node's export, give the same
//! findings for a reply its author backdated.

use std::sync::Arc;
use std::time::Duration;

use accord_model::{
    Acknowledgement, AgreementId, Area, ExplanationReply, ExplanationRequest, Finding, Instant,
    PartyId, ProvisionId, Record, RecordBody, RecordId, Severity, ZoneId,
};
use accord_node::client::Client;
use accord_node::clock::ManualClock;
use accord_node::judge::resolve_agreement;
use accord_node::node::FindingFilter;
use accord_node::{Config, Node, PeerConfig, keys};

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}
fn at(s: &str) -> Instant {
    s.parse().unwrap()
}

const ASKED: &str = "2022-02-09T12:00:00Z";
const ACKNOWLEDGED: &str = "2022-02-11T12:00:00Z";
const REPLY_SENT: &str = "2022-02-12T12:00:00Z";
/// What Belarus wrote on its reply: an hour after the request.
const REPLY_DATED: &str = "2022-02-09T13:00:00Z";
const JUDGED_AT: &str = "2022-03-01T00:00:00Z";
const VD: &str = "vienna-document-2011";
const CH_III: &str = "ch-iii-unusual-activities";

fn request() -> Record {
    Record {
        id: RecordId::new("LT-Q").unwrap(),
        party: p("LT"),
        issued_at: at(ASKED),
        body: RecordBody::ExplanationRequest(ExplanationRequest {
            agreement: AgreementId::new(VD).unwrap(),
            provision: ProvisionId::new(CH_III).unwrap(),
            to: p("BY"),
            area: Area {
                zone: Some(ZoneId::new("belarus").unwrap()),
                description: "Belarus".into(),
            },
            text: "totals of troops".into(),
        }),
    }
}

fn by_record(id: &str, issued: &str, body: RecordBody) -> Record {
    Record {
        id: RecordId::new(id).unwrap(),
        party: p("BY"),
        issued_at: at(issued),
        body,
    }
}

struct Side {
    node: Arc<Node>,
    client: Client,
    clock: Arc<ManualClock>,
    dir: tempfile::TempDir,
}

/// Lithuania's and Belarus's nodes, trusting each other, on loopback ports, clocks at `ASKED`.
fn pair(rt: &tokio::runtime::Runtime) -> (Side, Side) {
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let names = [p("LT"), p("BY")];
    let ks: Vec<_> = dirs
        .iter()
        .map(|d| keys::load_or_create_key(d.path()).unwrap())
        .collect();
    keys::add_trusted(dirs[0].path(), &names[1], &ks[1].verifying_key()).unwrap();
    keys::add_trusted(dirs[1].path(), &names[0], &ks[0].verifying_key()).unwrap();
    let listeners: Vec<tokio::net::TcpListener> = rt.block_on(async {
        vec![
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        ]
    });
    let urls: Vec<String> = listeners
        .iter()
        .map(|l| format!("http://{}", l.local_addr().unwrap()))
        .collect();
    let mut sides = Vec::new();
    for (k, ((dir, listener), key)) in dirs.into_iter().zip(listeners).zip(ks).enumerate() {
        let other = 1 - k;
        let mut config = Config::new(
            names[k].clone(),
            dir.path().to_owned(),
            vec![PeerConfig {
                party: names[other].clone(),
                url: urls[other].clone(),
            }],
        );
        let clock = Arc::new(ManualClock::new(at(ASKED)));
        config.clock = clock.clone();
        config.agreements = vec![resolve_agreement(VD).unwrap()];
        let node = Arc::new(Node::open(config).unwrap());
        rt.spawn(accord_node::http::serve(node.clone(), listener));
        sides.push(Side {
            node,
            client: Client::new(&urls[k], names[k].clone(), key),
            clock,
            dir,
        });
    }
    let by = sides.pop().unwrap();
    let lt = sides.pop().unwrap();
    (lt, by)
}

/// Waits until `author`'s node holds a receipt from the other for `size` entries of its log, and
/// the other holds them.
fn wait_exchanged(author: &Side, other: &Side, size: u64) {
    let (a, o) = (author.node.party.clone(), other.node.party.clone());
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let acked = author.node.acked(o.as_str()).unwrap();
        // Every log of the author: its records are in its log of the Vienna Document.
        let held: u64 = other
            .node
            .logs()
            .iter()
            .filter(|(l, _)| l.as_str().split('/').next() == Some(a.as_str()))
            .map(|(_, l)| l.size)
            .sum();
        if acked >= size && held >= size {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{a}'s log: {o} acknowledged {acked} and holds {held}, {size} expected"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn set_clocks(lt: &Side, by: &Side, to: &str) {
    lt.clock.set(at(to));
    by.clock.set(at(to));
}

fn judged(side: &Side) -> accord_node::wire::Findings {
    side.node
        .findings(at(JUDGED_AT), &FindingFilter::default())
        .unwrap()
}

fn checked_export(
    side: &Side,
    held: &[accord_node::wire::HeldAgreement],
) -> (Vec<Finding>, String) {
    let out = tempfile::tempdir().unwrap();
    let (data, own) = (side.dir.path(), &side.node.party);
    accord_node::export::write_scenario(data, own, out.path(), held, at(JUDGED_AT)).unwrap();
    // What `accord check` judges: the scenario's agreements, the node's judging over the logs.
    let scenario = accord_compliance::Scenario::load(out.path()).unwrap();
    let findings = accord_node::export::judge_export(out.path(), &scenario, at(JUDGED_AT))
        .unwrap()
        .expect("an export")
        .findings
        .to_vec();
    let digest = accord_compliance::judged_digest(
        scenario
            .agreement_sha256
            .iter()
            .map(|(id, sha)| (id, sha.as_str())),
        &findings,
    );
    (findings, digest)
}

#[test]
fn both_nodes_and_their_exports_judge_a_backdated_reply_late() {
    let rt = accord_node::http::runtime().unwrap();
    let (lt, by) = pair(&rt);
    rt.block_on(lt.client.submit(&[request()])).unwrap();
    wait_exchanged(&lt, &by, 1);
    set_clocks(&lt, &by, ACKNOWLEDGED);
    let ack = by_record(
        "BY-ACK",
        ACKNOWLEDGED,
        RecordBody::Acknowledgement(Acknowledgement {
            of: RecordId::new("LT-Q").unwrap(),
        }),
    );
    rt.block_on(by.client.submit(&[ack])).unwrap();
    wait_exchanged(&by, &lt, 1);
    set_clocks(&lt, &by, REPLY_SENT);
    let reply = by_record(
        "BY-A",
        REPLY_DATED,
        RecordBody::ExplanationReply(ExplanationReply {
            request: RecordId::new("LT-Q").unwrap(),
            text: "within the parameters".into(),
        }),
    );
    rt.block_on(by.client.submit(&[reply])).unwrap();
    wait_exchanged(&by, &lt, 2);

    let (on_lt, on_by) = (judged(&lt), judged(&by));
    assert_eq!(on_lt.findings, on_by.findings);
    assert_eq!(on_lt.digest, on_by.digest);
    let replied: Vec<&Finding> = on_lt
        .findings
        .iter()
        .filter(|f| f.provision.as_str() == CH_III && f.party == p("BY"))
        .collect();
    assert_eq!(replied.len(), 1, "{replied:#?}");
    assert_eq!(replied[0].severity, Severity::Violation);
    assert!(
        replied[0].summary.contains("after 72 hours"),
        "{}",
        replied[0].summary
    );
    assert_eq!(replied[0].notes[0].id, "note-time-witnessed");
    // Its date lies before Lithuania's node last held Belarus's log without it.
    let dated: Vec<&Finding> = on_lt
        .findings
        .iter()
        .filter(|f| f.provision.as_str() == accord_compliance::RECORD_TIME_PROVISION)
        .collect();
    assert_eq!(dated.len(), 1, "{dated:#?}");
    assert_eq!(dated[0].message.id, "record-dated-before-logged");
    assert_eq!(
        dated[0].evidence,
        vec![accord_model::Evidence::logged(
            RecordId::new("BY-A").unwrap(),
            "accord/log/BY/vienna-document-2011",
            1
        )]
    );

    for side in [&lt, &by] {
        let (findings, digest) = checked_export(side, &judged(side).agreements);
        assert_eq!(findings, on_lt.findings);
        assert_eq!(digest, on_lt.digest);
    }
}
