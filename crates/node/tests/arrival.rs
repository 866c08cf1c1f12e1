//! A record that fails its check on arrival, between two nodes that send their logs to each
//! other by themselves: the sender learns which record failed and why (its `/v1/node`, its
//! metrics), the receiver lists the finding with the record's log and index as evidence and
//! keeps the record out of its state, and the receiver's export judged as `accord check`
//! judges it gives the receiver's findings and digest.

mod common;
mod net;

use accord_model::{Evidence, Severity};
use accord_node::node::FindingFilter;
use common::wait_for;
use net::{at, commitment_and_limit, declaration, id, loose_net, p};

const NOW: &str = "2026-03-10T00:00:00Z";

/// GETs `path` of the node at `url` (plain HTTP from loopback: the node's operator).
fn get(net: &net::Net, url: &str, path: &str) -> (u16, String) {
    net.rt.block_on(async {
        let answer = reqwest::get(format!("{url}{path}")).await.unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    })
}

#[test]
fn a_limit_proof_failing_on_arrival_is_listed_to_its_sender_and_judged_alike_by_the_export() {
    // RU's copy of New START sets 4,000,000 warheads, US's the embedded 1,550: RU's node takes
    // RU's limit proof, US's finds it fails.
    let (net, _loose) = loose_net(NOW, true);
    let (secret, body) = declaration();
    let (commitment, limit) = commitment_and_limit(&net.ru, &secret, &body);
    net.rt
        .block_on(net.ru.client.submit(&[commitment, limit]))
        .unwrap();

    // RU's node sends its log by itself; US's mirrors and cosigns both records and lists the
    // one that failed in its answer, which RU's node keeps and shows.
    let reported = || {
        let info = net.ru.node.info().unwrap();
        let us = info.peers.into_iter().find(|x| x.party == p("US")).unwrap();
        (us.acknowledged, us.failed_on_arrival)
    };
    wait_for("US's answer listing RU's failed record", || {
        !reported().1.is_empty()
    });
    let (acknowledged, failed) = reported();
    assert_eq!(acknowledged, 2, "mirrored and cosigned all the same");
    assert_eq!(failed.len(), 1, "{failed:?}");
    let f = &failed[0];
    assert_eq!(
        (f.log.as_str(), f.index, f.record.as_str(), f.kind.as_str()),
        ("RU/new-start", 1, "RU-limit", "limit_proof")
    );
    assert!(
        f.failure
            .starts_with("record RU-limit: limit proof against the agreement's limit failed: ")
            && f.failure.contains("required limit is 1550"),
        "{}",
        f.failure
    );
    let (status, metrics) = get(&net, &net.ru.client.url, "/metrics");
    assert_eq!(status, 200);
    assert!(
        metrics.contains("accord_arrival_failures_reported_total{peer=\"US\"} 1\n"),
        "{metrics}"
    );
    let (_, node) = get(&net, &net.ru.client.url, "/v1/node");
    assert!(node.contains("\"failed_on_arrival\""), "{node}");

    // US: a violation against RU citing the record by its log's origin and index, which
    // `/v1/proof` takes as they are; the state did not use the record.
    let judged = net
        .us
        .node
        .findings(at(NOW), &FindingFilter::default())
        .unwrap();
    let violation = judged
        .findings
        .iter()
        .find(|f| f.message.id == "escrow-check-failed")
        .expect("a finding of the failed limit proof");
    assert_eq!(
        (
            violation.party.as_str(),
            violation.provision.as_str(),
            violation.severity
        ),
        ("RU", "art-ii-1-b", Severity::Violation)
    );
    assert_eq!(
        violation.evidence,
        vec![Evidence::logged(
            id("RU-limit"),
            "accord/log/RU/new-start",
            1
        )]
    );
    let (status, proof) = get(
        &net,
        &net.us.client.url,
        "/v1/proof?origin=accord%2Flog%2FRU%2Fnew-start&index=1",
    );
    assert_eq!(status, 200, "{proof}");
    assert!(proof.contains("\naccord/log/RU/new-start\n"), "{proof}");
    assert!(
        judged
            .unused
            .iter()
            .any(|u| u.log == p("RU/new-start") && u.index == 1 && u.reason.contains("on arrival")),
        "{:?}",
        judged.unused
    );
    // Every record evidence of the node's findings names its log and index.
    for e in judged.findings.iter().flat_map(|f| &f.evidence) {
        if let Evidence::Record {
            id,
            origin,
            log_index,
        } = e
        {
            assert!(
                origin.is_some() && log_index.is_some(),
                "{id} cited without its log"
            );
        }
    }

    // US's logs exported and judged as `accord check` judges them: US's findings and digest.
    let out = tempfile::tempdir().unwrap();
    accord_node::export::write_scenario(
        &net.us.node.config.data,
        &net.us.node.party,
        out.path(),
        &judged.agreements,
        at(NOW),
    )
    .unwrap();
    let scenario = accord_compliance::Scenario::load(out.path()).unwrap();
    let checked = accord_node::export::judge_export(out.path(), &scenario, at(NOW))
        .unwrap()
        .expect("an export");
    assert_eq!(*checked.findings, judged.findings);
    let digest = accord_compliance::judged_digest(
        judged.agreements.iter().map(|a| (&a.id, a.sha256.as_str())),
        &checked.findings,
    );
    assert_eq!(digest, judged.digest);
    assert_eq!(checked.unused, judged.unused);
    // The engine alone over the exported records, without the checks on arrival, would have
    // taken the failing proof.
    let plain = scenario
        .engine(&[])
        .unwrap()
        .evaluate(&scenario.state, at(NOW))
        .findings();
    assert!(!plain.iter().any(|f| f.message.id == "escrow-check-failed"));
    assert_ne!(plain, judged.findings);
}
