//! An open-source party in a State party's node: its log, mirrored like a peer's, holds
//! observations and nothing else; a State party publishes none; the engine judges the mirrored
//! observations with the open-sources basis. The node runs in this process on a clock the test
//! sets, and the logs arrive through its C2SP tlog-witness and tlog-mirror calls.

use std::sync::Arc;

use accord_log::{LogKey, MerkleTree};
use accord_model::envelope::{Envelope, generate_key};
use accord_model::{
    AgreementId, Area, Basis, Category, Confidence, Evidence, HotlineMessage, Observation, PartyId,
    Qualifier, Record, RecordBody, RecordId, Source, ZoneId,
};
use accord_node::clock::ManualClock;
use accord_node::node::FindingFilter;
use accord_node::node::{MirrorAnswer, MirrorRefusal};
use accord_node::{Config, Node, NodeError, keys};
use ed25519_dalek::SigningKey;

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

const NOW: &str = "2022-02-15T12:00:00Z";
const URL: &str = "https://wire.example/2022/01/20/buildup";

/// An observation by `author` of 100,000 Russian troops near Ukraine on 20 January 2022.
fn observation(author: &str, id: &str) -> Record {
    Record {
        id: RecordId::new(id).unwrap(),
        party: p(author),
        issued_at: at("2022-01-20T00:00:00Z"),
        body: RecordBody::Observation(Observation {
            source: Source {
                url: URL.into(),
                outlet: "Example Wire".into(),
                title: "Build-up continues near Ukraine".into(),
                published: "2022-01-20".parse().unwrap(),
            },
            actor: p("RU"),
            category: Category::new("troops").unwrap(),
            quantity: 100_000,
            qualifier: Qualifier::MoreThan,
            area: Area {
                zone: Some(ZoneId::new("near-ukraine").unwrap()),
                description: "near the border with Ukraine".into(),
            },
            date: "2022-01-20".parse().unwrap(),
            attribution: None,
            text: "Russia has massed more than 100,000 troops near the border with Ukraine.".into(),
            confidence: Confidence {
                independent_sources: 1,
                official_sources: 0,
                score: 40,
            },
        }),
    }
}

fn hotline(author: &str, id: &str, to: &str) -> Record {
    Record {
        id: RecordId::new(id).unwrap(),
        party: p(author),
        issued_at: at(NOW),
        body: RecordBody::HotlineMessage(HotlineMessage {
            to: p(to),
            seq: 1,
            text: "urgent".into(),
        }),
    }
}

/// US's node holding the Vienna Document, trusting RU and UA (State parties) and OSINT (marked
/// `role = "open-sources"`), with the keys of RU, UA and OSINT.
struct Setup {
    node: Arc<Node>,
    ru: SigningKey,
    ua: SigningKey,
    osint: SigningKey,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let (ru, ua, osint) = (generate_key(), generate_key(), generate_key());
    std::fs::write(
        dir.path().join(keys::TRUST_FILE),
        format!(
            "[parties.RU]\nkey = \"{}\"\n\n[parties.UA]\nkey = \"{}\"\n\n\
             [parties.OSINT]\nrole = \"open-sources\"\nkey = \"{}\"\n",
            keys::public_key_text(&ru.verifying_key()),
            keys::public_key_text(&ua.verifying_key()),
            keys::public_key_text(&osint.verifying_key()),
        ),
    )
    .unwrap();
    let mut config = Config::new(p("US"), dir.path().to_owned(), vec![]);
    config.clock = Arc::new(ManualClock::new(at(NOW)));
    config.agreements =
        vec![accord_node::judge::resolve_agreement("vienna-document-2011").unwrap()];
    Setup {
        node: Arc::new(Node::open(config).unwrap()),
        ru,
        ua,
        osint,
        _dir: dir,
    }
}

/// Hands `records`, the whole log of `author` signed with `key`, to the node holding its first
/// `old` entries, as the author's node would (C2SP tlog-witness `add-checkpoint`, then
/// tlog-mirror `add-entries`).
fn upload(
    node: &Node,
    author: &str,
    key: &SigningKey,
    records: &[Record],
    old: u64,
) -> Result<MirrorAnswer, MirrorRefusal> {
    let bytes: Vec<Vec<u8>> = records
        .iter()
        .map(|r| Envelope::sign_record(r, key).to_json())
        .collect();
    let origin = format!("accord/log/{author}");
    let mut tree = MerkleTree::new();
    tree.extend(&bytes);
    let note = LogKey::from_signing_key(&origin, key)
        .unwrap()
        .sign(&origin, tree.size(), tree.root())
        .unwrap();
    let (checkpoint, body) =
        accord_node::client::mirror_upload(note.as_str(), &bytes, old).unwrap();
    node.add_checkpoint(&checkpoint).unwrap();
    node.add_entries(&body)
}

/// The rule refusal of an upload, in words.
fn refusal(answer: Result<MirrorAnswer, MirrorRefusal>) -> String {
    match answer {
        Err(MirrorRefusal::Node(e @ NodeError::Rule(_))) => e.to_string(),
        Err(other) => panic!("refused for another reason: {other:?}"),
        Ok(_) => panic!("taken"),
    }
}

#[test]
fn the_trust_file_marks_open_source_parties_and_refuses_an_unknown_role() {
    let s = setup();
    let trust = keys::Trust::load(s._dir.path()).unwrap();
    assert_eq!(trust.role("OSINT"), keys::Role::OpenSources);
    assert_eq!(trust.role("RU"), keys::Role::State);
    assert_eq!(
        trust.open_sources().iter().collect::<Vec<_>>(),
        vec![&p("OSINT")]
    );
    // Adding a key again keeps the role; an entry with a role alone is the own party's.
    keys::add_trusted(s._dir.path(), &p("OSINT"), &s.osint.verifying_key()).unwrap();
    keys::set_role(s._dir.path(), &p("NGO"), keys::Role::OpenSources).unwrap();
    let trust = keys::Trust::load(s._dir.path()).unwrap();
    assert_eq!(trust.role("OSINT"), keys::Role::OpenSources);
    assert_eq!(trust.role("NGO"), keys::Role::OpenSources);
    assert!(trust.keys("NGO").is_empty());
    // Made a State party again, the key-less entry goes, and the file still loads.
    keys::set_role(s._dir.path(), &p("NGO"), keys::Role::State).unwrap();
    let trust = keys::Trust::load(s._dir.path()).unwrap();
    assert_eq!(trust.role("NGO"), keys::Role::State);
    assert_eq!(trust.role("UA"), keys::Role::State);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(keys::TRUST_FILE),
        "[parties.OSINT]\nrole = \"open-source\"\n",
    )
    .unwrap();
    let e = keys::Trust::load(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("trust.toml") && e.contains("open-source") && e.contains("`open-sources`"),
        "{e}"
    );
}

#[test]
fn a_node_refuses_an_open_source_party_that_is_a_party_of_its_agreements() {
    let dir = tempfile::tempdir().unwrap();
    keys::set_role(dir.path(), &p("UA"), keys::Role::OpenSources).unwrap();
    let mut config = Config::new(p("US"), dir.path().to_owned(), vec![]);
    config.agreements =
        vec![accord_node::judge::resolve_agreement("vienna-document-2011").unwrap()];
    let e = Node::open(config).unwrap_err().to_string();
    assert!(
        e.contains("parties.UA: role \"open-sources\", but UA is a party of vienna-document-2011"),
        "{e}"
    );
}

#[test]
fn observations_of_the_open_source_log_are_judged_and_nothing_else_is_taken() {
    let s = setup();
    let node = &s.node;
    // The open-source log of observations is mirrored and cosigned, and judged.
    let answer = upload(
        node,
        "OSINT",
        &s.osint,
        &[observation("OSINT", "osint:a:1")],
        0,
    );
    assert!(
        matches!(answer, Ok(MirrorAnswer::Cosigned { .. })),
        "{answer:?}"
    );
    assert_eq!(node.logs()[&p("OSINT")].size, 1);
    let findings = node.findings(at(NOW), &FindingFilter::default()).unwrap();
    let f = findings
        .findings
        .iter()
        .find(|f| {
            f.agreement == AgreementId::new("vienna-document-2011").unwrap()
                && f.provision.as_str() == "ch-v-notification"
                && f.party == p("RU")
        })
        .unwrap_or_else(|| panic!("no finding on RU's unnotified forces: {findings:#?}"));
    assert_eq!(f.basis, Basis::OpenSources);
    assert!(
        f.evidence
            .iter()
            .any(|e| matches!(e, Evidence::Source { url } if url == URL)),
        "{:?}",
        f.evidence
    );
    assert!(
        f.evidence
            .iter()
            .any(|e| matches!(e, Evidence::Record { id, .. } if id.as_str() == "osint:a:1")),
        "{:?}",
        f.evidence
    );
    assert!(f.summary.contains("100,000"), "{}", f.summary);
    assert!(findings.not_judged.is_empty(), "{:?}", findings.not_judged);

    // Anything else from the open-source party (here a hotline message) is refused, and the
    // upload with it: the mirror keeps what it took, the findings stay.
    let e = refusal(upload(
        node,
        "OSINT",
        &s.osint,
        &[
            observation("OSINT", "osint:a:1"),
            observation("OSINT", "osint:b:1"),
            hotline("OSINT", "OSINT-m-1", "US"),
        ],
        1,
    ));
    assert!(
        e.contains(
            "record OSINT-m-1: OSINT is an open-source party (role \"open-sources\" in the trust \
             file): it publishes observations only, not a record of kind hotline_message"
        ),
        "{e}"
    );
    assert_eq!(node.logs()[&p("OSINT")].size, 1);
    let after = node.findings(at(NOW), &FindingFilter::default()).unwrap();
    assert_eq!(after.digest, findings.digest);
    // A State party's observation is refused.
    let e = refusal(upload(
        node,
        "RU",
        &s.ru,
        &[observation("RU", "RU-obs-1")],
        0,
    ));
    assert!(
        e.contains(
            "record RU-obs-1: RU is a State party, and only open-source parties (role \
             \"open-sources\" in the trust file) publish observations"
        ),
        "{e}"
    );
    assert!(!node.logs().contains_key(&p("RU")));
    // So is a record of a State party addressed to the open-source party.
    let e = refusal(upload(
        node,
        "UA",
        &s.ua,
        &[hotline("UA", "UA-m-1", "OSINT")],
        0,
    ));
    assert!(
        e.contains("field `body.to` names OSINT, an open-source party"),
        "{e}"
    );
    assert!(!node.logs().contains_key(&p("UA")));
    // US's own node publishes no observation either.
    let e = node
        .submit(vec![node.sign(&observation("US", "US-obs-1"))])
        .unwrap_err()
        .to_string();
    assert!(e.contains("US is a State party"), "{e}");
    assert_eq!(node.logs().get(&p("US")).map_or(0, |l| l.size), 0);
}
