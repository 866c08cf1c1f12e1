//! Escrow and inspections between two nodes on loopback (ports bound by the nodes, one clock
//! the test sets): records checked on arrival, failures as findings, seeds committed and
//! revealed in order, the same draw on both nodes, and an inspection report held against the
//! revealed declaration.

mod net;

use accord_escrow::order::draw_source;
use accord_escrow::selection::seed_digest;
use accord_escrow::{EscrowSecret, RevealSelection};
use accord_model::{
    AgreementId, Date, Evidence, HoldingStatus, InspectionFinding, InspectionReport,
    InspectionRequest, ProvisionId, Record, RecordBody, Reveal, SeedCommit, SeedReveal, SeenCommit,
    Severity,
};
use accord_node::node::FindingFilter;
use net::{Side, at, commitment_and_limit, declaration, id, loose_net, p, record};

const NOW: &str = "2026-03-10T00:00:00Z";
const ROUND: &str = "2026-type-one-1";
const US_SEED: [u8; 32] = [7; 32];
const RU_SEED: [u8; 32] = [9; 32];

fn reveal(secret: &EscrowSecret, rid: &str, positions: Vec<u64>) -> Record {
    let bundle = secret
        .reveal(&RevealSelection::Positions(positions))
        .unwrap();
    record(
        "RU",
        rid,
        "2026-02-06T00:00:00Z",
        RecordBody::Reveal(Reveal {
            commitment: id("RU-commitment"),
            phase: "1".into(),
            entries: bundle.encode(),
        }),
    )
}

fn findings(side: &Side) -> accord_node::wire::Findings {
    side.node
        .findings(at(NOW), &FindingFilter::default())
        .unwrap()
}

#[test]
fn escrow_records_are_checked_on_arrival_and_inspections_drawn_alike_on_both_nodes() {
    let (net, _loose) = loose_net(NOW, false);
    let (secret, body) = declaration();
    let (commitment, limit) = commitment_and_limit(&net.ru, &secret, &body);
    net.accepted(
        &net.ru,
        &[commitment, reveal(&secret, "RU-reveal-1", vec![1]), limit],
    );

    // The own party's failing submission is refused before anything is written.
    let mut bad = reveal(&secret, "RU-reveal-bad", vec![0]);
    if let RecordBody::Reveal(r) = &mut bad.body {
        let mut bundle = accord_escrow::RevealBundle::decode(&r.entries).unwrap();
        bundle.entries[0].count += 1;
        r.entries = bundle.encode();
    }
    let (status, answer) = net.submit(&net.ru, &[bad]);
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer.contains("invalid_record") && answer.contains("does not open"),
        "{answer}"
    );
    assert_eq!(net.ru.node.logs()[&p("RU/new-start")].size, 3);

    // US holds the embedded text: the limit proof fails there, but is mirrored and cosigned.
    let receipt = net.push(&net.ru, &net.us);
    assert_eq!(receipt.size, 3);
    assert_eq!(receipt.failed.len(), 1, "{:?}", receipt.failed);
    let failed = &receipt.failed[0];
    assert_eq!(
        (
            failed.log.as_str(),
            failed.index,
            failed.record.as_str(),
            failed.kind.as_str()
        ),
        ("RU/new-start", 2, "RU-limit", "limit_proof")
    );
    assert!(
        failed.failure.contains("required limit is 1550"),
        "{}",
        failed.failure
    );
    assert_eq!(net.us.node.logs()[&p("RU/new-start")].size, 3);
    let at_us = findings(&net.us);
    let violation = at_us
        .findings
        .iter()
        .find(|f| f.message.id == "escrow-check-failed")
        .expect("a finding of the failed limit proof");
    assert_eq!(
        (
            violation.agreement.as_str(),
            violation.provision.as_str(),
            violation.party.as_str(),
            violation.severity,
        ),
        ("new-start", "art-ii-1-b", "RU", Severity::Violation)
    );
    assert_eq!(
        violation.evidence,
        vec![Evidence::logged(
            id("RU-limit"),
            "accord/log/RU/new-start",
            2
        )]
    );
    assert!(
        at_us
            .unused
            .iter()
            .any(|u| u.log == p("RU/new-start") && u.index == 2 && u.reason.contains("on arrival")),
        "{:?}",
        at_us.unused
    );
    assert!(
        !findings(&net.ru)
            .findings
            .iter()
            .any(|f| f.message.id == "escrow-check-failed"),
        "RU's own copy of the agreement accepts its proof"
    );

    // Seeds: US commits first, with RU's declaration in a checkpoint US cosigned.
    let source = draw_source(
        &net.ru
            .node
            .entries("RU/new-start", 0, 1)
            .map(|rows| accord_node::node::decode_logged(&rows[0].1).unwrap())
            .unwrap(),
    )
    .unwrap();
    let seed_commit = |side: &Side, party: &str, seed: &[u8; 32]| {
        let receipt = side
            .node
            .log_receipt(&p("RU/new-start"), 0, &p("US"))
            .unwrap();
        record(
            party,
            &format!("{party}-seed-commit"),
            "2026-03-01T00:00:00Z",
            RecordBody::SeedCommit(SeedCommit {
                round: ROUND.into(),
                commitment: id("RU-commitment"),
                root: body.root.clone(),
                digest: seed_digest(ROUND, &p(party), &source, seed),
                declaration: receipt,
            }),
        )
    };
    net.accepted(&net.us, &[seed_commit(&net.us, "US", &US_SEED)]);
    assert!(net.push(&net.us, &net.ru).failed.is_empty());
    // A commit whose declaration receipt US never cosigned is refused: RU's own checkpoint.
    let mut early = seed_commit(&net.ru, "RU", &RU_SEED);
    if let RecordBody::SeedCommit(c) = &mut early.body {
        c.declaration.checkpoint = net.ru.node.checkpoint("RU/new-start").unwrap();
    }
    let (status, answer) = net.submit(&net.ru, &[early]);
    assert_eq!(status, 422, "{answer}");
    assert!(answer.contains("seed commit order"), "{answer}");
    net.accepted(&net.ru, &[seed_commit(&net.ru, "RU", &RU_SEED)]);
    assert!(net.push(&net.ru, &net.us).failed.is_empty());

    // Reveals, each showing the other's commit in a checkpoint the revealer cosigned.
    let seed_reveal = |side: &Side, party: &str, other: &str, index: u64, seed: &[u8; 32]| {
        let receipt = side
            .node
            .log_receipt(&p(&format!("{other}/new-start")), index, &p(party))
            .unwrap();
        record(
            party,
            &format!("{party}-seed-reveal"),
            "2026-03-01T12:00:00Z",
            RecordBody::SeedReveal(SeedReveal {
                round: ROUND.into(),
                commit: id(&format!("{party}-seed-commit")),
                seed: hex::encode(seed),
                seen: vec![SeenCommit {
                    commit: id(&format!("{other}-seed-commit")),
                    receipt,
                }],
            }),
        )
    };
    // A reveal showing no cosigned receipt of the other commit is refused.
    let mut blind = seed_reveal(&net.us, "US", "RU", 3, &US_SEED);
    if let RecordBody::SeedReveal(r) = &mut blind.body {
        r.seen[0].receipt.checkpoint = net
            .us
            .node
            .log_receipt(&p("US/new-start"), 0, &p("RU"))
            .unwrap()
            .checkpoint;
    }
    let (status, answer) = net.submit(&net.us, &[blind]);
    assert_eq!(status, 422, "{answer}");
    assert!(answer.contains("seed reveal order"), "{answer}");
    net.accepted(&net.us, &[seed_reveal(&net.us, "US", "RU", 3, &US_SEED)]);
    net.accepted(&net.ru, &[seed_reveal(&net.ru, "RU", "US", 0, &RU_SEED)]);
    assert!(net.push(&net.us, &net.ru).failed.is_empty());
    assert!(net.push(&net.ru, &net.us).failed.is_empty());

    // Both nodes draw the same site from the same declaration.
    let drawn_at_us = net
        .us
        .node
        .draw(ROUND, &id("RU-commitment"), 1, at(NOW))
        .unwrap();
    let drawn_at_ru = net
        .ru
        .node
        .draw(ROUND, &id("RU-commitment"), 1, at(NOW))
        .unwrap();
    let selection = drawn_at_us.selection.clone().unwrap();
    assert_eq!(drawn_at_ru.selection, Some(selection.clone()));
    assert_eq!(
        (
            selection.commitment.as_str(),
            selection.root.as_str(),
            selection.candidates
        ),
        ("RU-commitment", body.root.as_str(), 3)
    );
    assert_eq!(selection.contributors, vec![p("RU"), p("US")]);
    assert!(drawn_at_us.findings.is_empty());

    // RU reveals the drawn site; US inspects it and counts more than RU revealed.
    let drawn = reveal(&secret, "RU-reveal-drawn", selection.selected.clone());
    let site = accord_escrow::RevealBundle::decode(match &drawn.body {
        RecordBody::Reveal(r) => &r.entries,
        _ => unreachable!(),
    })
    .unwrap()
    .sites()[0]
        .clone();
    net.accepted(&net.ru, &[drawn]);
    net.push(&net.ru, &net.us);
    let declared: u64 = secret
        .entries
        .iter()
        .filter(|e| e.entry.site == site && e.entry.category.as_str() == "warheads")
        .map(|e| e.count)
        .sum();
    let date: Date = "2026-03-05".parse().unwrap();
    net.accepted(
        &net.us,
        &[
            record(
                "US",
                "US-inspection-1",
                "2026-03-02T00:00:00Z",
                RecordBody::InspectionRequest(InspectionRequest {
                    agreement: AgreementId::new("new-start").unwrap(),
                    provision: ProvisionId::new("inspections-type-one").unwrap(),
                    inspected: p("RU"),
                    site: Some(site.clone()),
                    area: None,
                    selection: Some(id("US-seed-reveal")),
                    date,
                }),
            ),
            record(
                "US",
                "US-inspection-1-report",
                "2026-03-05T18:00:00Z",
                RecordBody::InspectionReport(InspectionReport {
                    request: id("US-inspection-1"),
                    site: site.clone(),
                    date,
                    counts: vec![InspectionFinding {
                        category: accord_model::Category::new("warheads").unwrap(),
                        status: HoldingStatus::Deployed,
                        counted: declared + 5,
                    }],
                    remarks: String::new(),
                }),
            ),
        ],
    );
    net.push(&net.us, &net.ru);
    for side in [&net.us, &net.ru] {
        let all = findings(side);
        let mismatch = all
            .findings
            .iter()
            .find(|f| f.message.id == "inspection-mismatch")
            .unwrap_or_else(|| panic!("{}: no mismatch in {:#?}", side.node.party, all.findings));
        assert_eq!(
            (
                mismatch.provision.as_str(),
                mismatch.party.as_str(),
                mismatch.severity
            ),
            ("inspections-type-one", "RU", Severity::Violation)
        );
        assert_eq!(mismatch.figures[0].value, (declared + 5) as i64);
        assert_eq!(mismatch.figures[0].limit, Some(declared as i64));
    }
}
