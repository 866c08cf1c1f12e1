//! Inspections between two nodes holding the same agreement: both parties commit and reveal
//! seeds through their own nodes, both nodes list the same rounds and drawn sites on
//! `GET /v1/inspections`, and a contradicting inspection report, an inspection left without a
//! report, one beyond the quota, a refusal and a withheld seed become the same findings, with
//! the same digest, on both nodes.

mod net;

use rand_chacha::rand_core::SeedableRng as _;

use accord_escrow::order::draw_source;
use accord_escrow::rounds::RoundView;
use accord_escrow::selection::seed_digest;
use accord_escrow::{DeclarationInput, EscrowSecret, RevealBundle, RevealSelection};
use accord_model::{
    AgreementId, Category, Date, Finding, HoldingStatus, InspectionFinding, InspectionRefusal,
    InspectionReport, InspectionRequest, ProvisionId, Record, RecordBody, Reveal, SeedCommit,
    SeedReveal, SeenCommit, Severity, SiteId,
};
use accord_node::arrival::Inspections;
use accord_node::judge::resolve_agreement;
use accord_node::node::FindingFilter;
use net::{Net, Side, at, id, p, record};
use serde_json::Value;

/// The clock while the seeds are committed, before their reveal deadline.
const START: &str = "2022-03-01T06:00:00Z";
const NOW: &str = "2022-03-10T00:00:00Z";
/// When the findings are read: past every report and reveal deadline of the test.
const LATER: &str = "2022-03-20T00:00:00Z";
const COMMITTED: &str = "2022-03-01T00:00:00Z";
const TYPE_ONE: &str = "inspections-type-one";

/// Both nodes hold one copy of New START whose Type One quota is two a year, each reported
/// within three days. The test runs in 2022, while the treaty was in force.
fn net() -> (Net, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = accord_agreements::builtin_file("new-start").unwrap();
    assert_eq!(text.matches("per_year = 10\n").count(), 1);
    let loose = dir.path().join("new-start.toml");
    std::fs::write(
        &loose,
        text.replace(
            "per_year = 10\n",
            "per_year = 2\nreport_within = { days = 3 }\n",
        ),
    )
    .unwrap();
    let held = || resolve_agreement(loose.to_str().unwrap()).unwrap();
    (Net::new(START, held(), held()), dir)
}

/// RU's declaration in escrow: four sites, made from a seeded generator.
fn declaration() -> (EscrowSecret, Record) {
    let input = DeclarationInput::from_json(
        r#"{"party": "RU", "agreement": "new-start", "as_of": "2022-02-05",
            "bits": 16, "batch": 8,
            "sites": [{"site": "kozelsk", "counts": {"warheads": 400}},
                      {"site": "tatishchevo", "counts": {"warheads": 300}},
                      {"site": "uzhur", "counts": {"warheads": 250}},
                      {"site": "dombarovsky", "counts": {"warheads": 120}}]}"#,
    )
    .unwrap();
    let mut rng = rand_chacha::ChaCha20Rng::from_seed([3; 32]);
    let (secret, counts) = accord_escrow::commit(&input, &mut rng).unwrap();
    let body = secret.commitment_body(&counts);
    let record = record(
        "RU",
        "RU-commitment",
        "2022-02-05T00:00:00Z",
        RecordBody::DeclarationCommitment(body),
    );
    (secret, record)
}

fn seed(party: &str, round: &str) -> [u8; 32] {
    let mut s = [0u8; 32];
    s[0] = party.as_bytes()[0];
    s[1] = round.as_bytes()[1];
    s
}

/// `party`'s seed commit of `round`, carrying the declaration's receipt cosigned by US.
fn seed_commit(side: &Side, party: &str, round: &str, declaration: &Record) -> Record {
    let source = draw_source(declaration).unwrap();
    let RecordBody::DeclarationCommitment(d) = &declaration.body else {
        unreachable!()
    };
    let receipt = side
        .node
        .log_receipt(&p("RU/new-start"), 0, &p("US"))
        .unwrap();
    record(
        party,
        &format!("{party}-seed-commit-{round}"),
        COMMITTED,
        RecordBody::SeedCommit(SeedCommit {
            round: round.into(),
            commitment: declaration.id.clone(),
            root: d.root.clone(),
            digest: seed_digest(round, &p(party), &source, &seed(party, round)),
            declaration: receipt,
        }),
    )
}

/// `party`'s seed reveal of `round`, showing `other`'s commit (entry `index` of its log) in a
/// checkpoint `party` cosigned.
fn seed_reveal(side: &Side, party: &str, other: &str, index: u64, round: &str) -> Record {
    let receipt = side
        .node
        .log_receipt(&p(&format!("{other}/new-start")), index, &p(party))
        .unwrap();
    record(
        party,
        &format!("{party}-seed-reveal-{round}"),
        "2022-03-01T12:00:00Z",
        RecordBody::SeedReveal(SeedReveal {
            round: round.into(),
            commit: id(&format!("{party}-seed-commit-{round}")),
            seed: hex::encode(seed(party, round)),
            seen: vec![SeenCommit {
                commit: id(&format!("{other}-seed-commit-{round}")),
                receipt,
            }],
        }),
    )
}

/// `GET /v1/inspections` of a node, checked against the OpenAPI document's schema.
fn inspections(net: &Net, side: &Side) -> (Inspections, Value) {
    let (status, body) = net.get(side, "/v1/inspections");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let value: Value = serde_json::from_slice(&body).unwrap();
    let doc: Value = serde_json::from_str(accord_node::OPENAPI).unwrap();
    let op = &doc["paths"]["/v1/inspections"]["get"];
    let mut schema = op["responses"]["200"]["content"]["application/json"]["schema"].clone();
    schema["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{value:#}");
    (serde_json::from_value(value.clone()).unwrap(), value)
}

fn round<'a>(list: &'a Inspections, name: &str) -> &'a RoundView {
    list.rounds
        .iter()
        .find(|r| r.round == name)
        .unwrap_or_else(|| panic!("no round {name} in {list:#?}"))
}

fn request(rid: &str, site: &SiteId, date: &str, issued: &str) -> Record {
    record(
        "US",
        rid,
        issued,
        RecordBody::InspectionRequest(InspectionRequest {
            agreement: AgreementId::new("new-start").unwrap(),
            provision: ProvisionId::new(TYPE_ONE).unwrap(),
            inspected: p("RU"),
            site: Some(site.clone()),
            area: None,
            selection: Some(id("US-seed-reveal-r1")),
            date: date.parse().unwrap(),
        }),
    )
}

fn one<'a>(findings: &'a [Finding], message: &str) -> &'a Finding {
    let found: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.message.id == message)
        .collect();
    let ids: Vec<(&str, &str, Severity)> = findings
        .iter()
        .map(|f| (f.message.id.as_str(), f.provision.as_str(), f.severity))
        .collect();
    assert_eq!(found.len(), 1, "{message}: {found:#?} among {ids:?}");
    found[0]
}

#[test]
fn inspections_are_drawn_alike_and_their_breaches_are_the_same_findings_on_both_nodes() {
    let (net, _loose) = net();
    let (secret, declaration) = declaration();
    net.accepted(&net.ru, std::slice::from_ref(&declaration));
    assert!(net.push(&net.ru, &net.us).failed.is_empty());

    // Two rounds drawing from the declaration: US commits first, then RU, each through its
    // own node; every record is mirrored on the other node.
    net.accepted(
        &net.us,
        &[
            seed_commit(&net.us, "US", "r1", &declaration),
            seed_commit(&net.us, "US", "r2", &declaration),
        ],
    );
    assert!(net.push(&net.us, &net.ru).failed.is_empty());
    net.accepted(
        &net.ru,
        &[
            seed_commit(&net.ru, "RU", "r1", &declaration),
            seed_commit(&net.ru, "RU", "r2", &declaration),
        ],
    );
    assert!(net.push(&net.ru, &net.us).failed.is_empty());

    // Before any reveal, both rounds wait for their seeds.
    for side in [&net.us, &net.ru] {
        let (list, _) = inspections(&net, side);
        assert_eq!(list.rounds.len(), 2, "{list:#?}");
        for r in &list.rounds {
            assert_eq!(r.status, "pending", "{r:#?}");
            assert_eq!(r.committed, vec![p("RU"), p("US")]);
            assert!(r.drawn.is_empty());
        }
    }

    // Both reveal in round r1; in r2 only US does: RU withholds its seed past the deadline
    // (48 hours after the last commit).
    net.clock.set(at(NOW));
    net.accepted(
        &net.us,
        &[
            seed_reveal(&net.us, "US", "RU", 1, "r1"),
            seed_reveal(&net.us, "US", "RU", 2, "r2"),
        ],
    );
    net.accepted(&net.ru, &[seed_reveal(&net.ru, "RU", "US", 0, "r1")]);
    assert!(net.push(&net.us, &net.ru).failed.is_empty());
    assert!(net.push(&net.ru, &net.us).failed.is_empty());

    let (at_us, json_us) = inspections(&net, &net.us);
    let (_, json_ru) = inspections(&net, &net.ru);
    assert_eq!(json_us, json_ru, "both nodes list the same rounds");
    let r1 = round(&at_us, "r1");
    assert_eq!(
        (
            r1.status.as_str(),
            r1.agreement.as_str(),
            r1.provision.as_str(),
            r1.declaration.as_str(),
            r1.declarant.as_str(),
            r1.quota,
            r1.candidates,
        ),
        (
            "drawn",
            "new-start",
            TYPE_ONE,
            "RU-commitment",
            "RU",
            2,
            Some(4)
        )
    );
    assert_eq!(r1.revealed, vec![p("RU"), p("US")]);
    assert!(r1.withheld.is_empty());
    // The draw is the one anyone reproduces from the records.
    let drawn = net
        .us
        .node
        .draw("r1", &id("RU-commitment"), 2, at(NOW))
        .unwrap()
        .selection
        .unwrap();
    assert_eq!(r1.seed, drawn.seed);
    let positions: Vec<u64> = r1.drawn.iter().map(|d| d.position).collect();
    assert_eq!(positions, drawn.selected);
    assert_eq!(positions.len(), 2);
    assert!(
        r1.drawn.iter().all(|d| d.site.is_none()),
        "not revealed yet"
    );
    let r2 = round(&at_us, "r2");
    assert_eq!(r2.status, "free_choice");
    assert_eq!(r2.withheld, vec![p("RU")]);
    assert_eq!(r2.revealed, vec![p("US")]);

    // RU reveals the drawn sites: both nodes name them.
    let bundle = secret
        .reveal(&RevealSelection::Positions(positions.clone()))
        .unwrap();
    let sites: Vec<SiteId> = bundle.sites();
    net.accepted(
        &net.ru,
        &[record(
            "RU",
            "RU-reveal-drawn",
            "2022-03-01T18:00:00Z",
            RecordBody::Reveal(Reveal {
                commitment: id("RU-commitment"),
                phase: "1".into(),
                entries: bundle.encode(),
            }),
        )],
    );
    assert!(net.push(&net.ru, &net.us).failed.is_empty());
    let (at_us, json_us) = inspections(&net, &net.us);
    let (_, json_ru) = inspections(&net, &net.ru);
    assert_eq!(json_us, json_ru);
    let named: Vec<SiteId> = round(&at_us, "r1")
        .drawn
        .iter()
        .map(|d| d.site.clone().expect("a revealed site is named"))
        .collect();
    let mut sorted = named.clone();
    sorted.sort();
    let mut expected = sites.clone();
    expected.sort();
    assert_eq!(sorted, expected);

    // US inspects the first drawn site and counts more than RU revealed; it requests the
    // second and never reports; a third request is beyond the quota of two; RU refuses
    // inspections from the 15th.
    let first = &named[0];
    let revealed = RevealBundle::decode(&bundle.encode()).unwrap();
    let declared: u64 = revealed
        .entries
        .iter()
        .filter(|e| &e.entry.site == first)
        .map(|e| e.count)
        .sum();
    let date: Date = "2022-03-02".parse().unwrap();
    net.accepted(
        &net.us,
        &[
            request(
                "US-inspection-1",
                first,
                "2022-03-02",
                "2022-03-02T00:00:00Z",
            ),
            record(
                "US",
                "US-inspection-1-report",
                "2022-03-02T18:00:00Z",
                RecordBody::InspectionReport(InspectionReport {
                    request: id("US-inspection-1"),
                    site: first.clone(),
                    date,
                    counts: vec![InspectionFinding {
                        category: Category::new("warheads").unwrap(),
                        status: HoldingStatus::Deployed,
                        counted: declared + 7,
                    }],
                    remarks: String::new(),
                }),
            ),
            request(
                "US-inspection-2",
                &named[1],
                "2022-03-08",
                "2022-03-07T00:00:00Z",
            ),
            request(
                "US-inspection-3",
                first,
                "2022-03-14",
                "2022-03-09T00:00:00Z",
            ),
        ],
    );
    net.accepted(
        &net.ru,
        &[record(
            "RU",
            "RU-refusal",
            "2022-03-09T12:00:00Z",
            RecordBody::InspectionRefusal(InspectionRefusal {
                agreement: AgreementId::new("new-start").unwrap(),
                provisions: vec![ProvisionId::new(TYPE_ONE).unwrap()],
                request: None,
                from: "2022-03-15".parse().unwrap(),
                until: None,
                reason: "inspection teams are not admitted".into(),
                source: None,
            }),
        )],
    );
    assert!(net.push(&net.us, &net.ru).failed.is_empty());
    assert!(net.push(&net.ru, &net.us).failed.is_empty());

    let all = |side: &Side| {
        side.node
            .findings(at(LATER), &FindingFilter::default())
            .unwrap()
    };
    let (us, ru) = (all(&net.us), all(&net.ru));
    assert_eq!(us.findings, ru.findings);
    assert_eq!(
        us.digest, ru.digest,
        "the same findings digest on both nodes"
    );
    let type_one = |f: &Finding| {
        (
            f.agreement.as_str().to_owned(),
            f.provision.as_str().to_owned(),
            f.party.as_str().to_owned(),
            f.severity,
        )
    };
    let expect = |severity| {
        (
            "new-start".to_owned(),
            TYPE_ONE.to_owned(),
            "RU".to_owned(),
            severity,
        )
    };
    // The report contradicts the revealed declaration.
    let mismatch = one(&us.findings, "inspection-mismatch");
    assert_eq!(type_one(mismatch), expect(Severity::Violation));
    assert_eq!(mismatch.figures[0].value, (declared + 7) as i64);
    assert_eq!(mismatch.figures[0].limit, Some(declared as i64));
    // The second inspection has no report three days after its date.
    let unreported = one(&us.findings, "quota-unreported");
    assert_eq!(type_one(unreported), expect(Severity::Violation));
    assert!(
        unreported
            .evidence
            .iter()
            .any(|e| format!("{e:?}").contains("US-inspection-2")),
        "{unreported:#?}"
    );
    // The third is beyond the quota of two.
    let beyond = one(&us.findings, "quota-beyond");
    assert_eq!(type_one(beyond), expect(Severity::Concern));
    assert_eq!(
        beyond.message.args.get("quota"),
        Some(&accord_model::Arg::Number(2))
    );
    // RU refuses inspections.
    let refused = one(&us.findings, "inspections-refused");
    assert_eq!(type_one(refused), expect(Severity::Violation));
    // RU withheld its seed of round r2.
    let withheld = one(&us.findings, "seed-reveal-missing");
    assert_eq!(type_one(withheld), expect(Severity::Violation));
    assert_eq!(
        withheld.message.args.get("round"),
        Some(&accord_model::Arg::Id("r2".into()))
    );
}

#[test]
fn a_client_dates_the_records_it_makes_by_the_clock_it_is_given() {
    let (net, _loose) = net();
    let client = net.us.client.clone().with_clock(net.clock.clone());
    let (message, _) = net
        .rt
        .block_on(client.hotline_send(&p("RU"), "inspection team arrives at 09:00"))
        .unwrap();
    assert_eq!(message.issued_at, at(START));
    net.clock.set(at(NOW));
    let (later, _) = net
        .rt
        .block_on(client.hotline_send(&p("RU"), "inspection team leaves"))
        .unwrap();
    assert_eq!(later.issued_at, at(NOW));
}
