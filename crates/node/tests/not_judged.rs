//! Records the node takes but cannot judge (a name no agreement it holds knows) are reported
//! beside the findings, never dropped silently.

use std::sync::Arc;

use accord_model::envelope::Envelope;
use accord_model::{
    AgreementId, Area, ExplanationRequest, PartyId, ProvisionId, Record, RecordBody, RecordId,
    ZoneId,
};
use accord_node::clock::ManualClock;
use accord_node::judge::resolve_agreement;
use accord_node::node::FindingFilter;
use accord_node::{Config, Node, keys};

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

fn request(id: &str, agreement: &str, zone: Option<&str>) -> Record {
    Record {
        id: RecordId::new(id).unwrap(),
        party: p("RU"),
        issued_at: "2022-02-15T12:00:00Z".parse().unwrap(),
        body: RecordBody::ExplanationRequest(ExplanationRequest {
            agreement: AgreementId::new(agreement).unwrap(),
            provision: ProvisionId::new("ch-iii-unusual-activities").unwrap(),
            to: p("UA"),
            area: Area {
                zone: zone.map(|z| ZoneId::new(z).unwrap()),
                description: "near the border".into(),
            },
            text: "explain".into(),
        }),
    }
}

#[test]
fn records_naming_what_no_held_agreement_knows_are_listed_as_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    let key = keys::load_or_create_key(dir.path()).unwrap();
    let ua = accord_model::envelope::generate_key();
    keys::add_trusted(dir.path(), &p("UA"), &ua.verifying_key()).unwrap();
    let mut config = Config::new(p("RU"), dir.path().to_owned(), vec![]);
    config.clock = Arc::new(ManualClock::new("2022-02-16T00:00:00Z".parse().unwrap()));
    config.agreements = vec![resolve_agreement("vienna-document-2011").unwrap()];
    let node = Node::open(config).unwrap();
    let records = [
        request("RU-ok", "vienna-document-2011", Some("ukraine")),
        request("RU-atlantis", "vienna-document-2011", Some("atlantis")),
    ];
    let envelopes = records
        .iter()
        .map(|r| Envelope::sign_record(r, &key))
        .collect();
    node.submit(envelopes).unwrap();
    // A record under an agreement the node holds no file of has no log here: refused.
    let other = Envelope::sign_record(&request("RU-other-treaty", "new-start", None), &key);
    let e = node.submit(vec![other]).unwrap_err().to_string();
    assert!(
        e.contains("record RU-other-treaty: agreement new-start is not held by this node"),
        "{e}"
    );
    let at = "2022-02-16T00:00:00Z".parse().unwrap();
    let f = node.findings(at, &FindingFilter::default()).unwrap();
    let reasons: Vec<(u64, &str)> = f
        .not_judged
        .iter()
        .map(|u| (u.index, u.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 1, "{reasons:#?}");
    assert!(
        f.not_judged
            .iter()
            .all(|u| u.log == p("RU/vienna-document-2011") && u.reason.ends_with("not judged")),
        "{reasons:#?}"
    );
    assert!(
        reasons
            .iter()
            .any(|(i, r)| *i == 1 && r.contains("atlantis")),
        "{reasons:#?}"
    );
    assert!(f.unused.is_empty(), "{:#?}", f.unused);
}
