//! The findings stream: a reader subscribed to `/v1/findings/stream` receives the finding a
//! newly submitted record creates, as a Server-Sent Event whose data the API documents.

use std::sync::Arc;
use std::time::Duration;

use accord_model::{
    AgreementId, Area, ExplanationRequest, PartyId, ProvisionId, Record, RecordBody, RecordId,
};
use accord_node::client::Client;
use accord_node::clock::ManualClock;
use accord_node::judge::resolve_agreement;
use accord_node::wire::FindingChange;
use accord_node::{Config, Node, keys};

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

fn request() -> Record {
    Record {
        id: RecordId::new("RU-Q-1").unwrap(),
        party: p("RU"),
        issued_at: "2022-02-11T12:00:00Z".parse().unwrap(),
        body: RecordBody::ExplanationRequest(ExplanationRequest {
            agreement: AgreementId::new("vienna-document-2011").unwrap(),
            provision: ProvisionId::new("ch-iii-unusual-activities").unwrap(),
            to: p("UA"),
            area: Area {
                zone: None,
                description: "near the border".into(),
            },
            text: "explain".into(),
        }),
    }
}

/// The events of an SSE body so far: (event name, data) for each complete event.
fn events(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for block in text.split("\n\n").filter(|b| !b.is_empty()) {
        let field = |name: &str| {
            block
                .lines()
                .filter_map(|l| l.strip_prefix(name))
                .map(|v| v.trim_start().to_owned())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let event = field("event:");
        if !event.is_empty() {
            out.push((event, field("data:")));
        }
    }
    out
}

#[test]
fn a_submitted_record_that_creates_a_finding_is_sent_to_stream_readers() {
    let rt = accord_node::http::runtime().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = keys::load_or_create_key(dir.path()).unwrap();
    let ua = accord_model::envelope::generate_key();
    keys::add_trusted(dir.path(), &p("UA"), &ua.verifying_key()).unwrap();
    let mut config = Config::new(p("RU"), dir.path().to_owned(), vec![]);
    // Past the 48 hours the agreement gives for a reply.
    config.clock = Arc::new(ManualClock::new("2022-02-20T00:00:00Z".parse().unwrap()));
    config.agreements = vec![resolve_agreement("vienna-document-2011").unwrap()];
    let node = Arc::new(Node::open(config).unwrap());
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(accord_node::http::serve(node.clone(), listener));
    let client = Client::new(&url, p("RU"), key);

    rt.block_on(async {
        let http = reqwest::Client::new();
        let mut stream = http
            .get(format!("{url}/v1/findings/stream"))
            .send()
            .await
            .unwrap();
        assert_eq!(stream.status(), 200);
        assert_eq!(
            stream.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        // Subscribed: the answer's headers came after the subscription.
        client.submit(&[request()]).await.unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        let mut body = String::new();
        let found = loop {
            let got = events(&body);
            if let Some(i) = got.iter().position(|(e, _)| e == "digest") {
                break got[..=i].to_vec();
            }
            let chunk = tokio::time::timeout_at(deadline, stream.chunk())
                .await
                .expect("an event within a minute")
                .unwrap()
                .expect("the stream stays open");
            body.push_str(&String::from_utf8_lossy(&chunk));
        };
        let changes: Vec<FindingChange> = found
            .iter()
            .map(|(_, data)| serde_json::from_str(data).unwrap())
            .collect();
        for ((name, _), change) in found.iter().zip(&changes) {
            assert_eq!(name, change.name());
        }
        // The request went unanswered past its deadline: a violation of UA citing it.
        let cited = changes.iter().any(|c| {
            matches!(c, FindingChange::Finding { finding }
                if finding.party == p("UA")
                    && finding.severity == accord_model::Severity::Violation
                    && finding.evidence.iter().any(|e| matches!(e,
                        accord_model::Evidence::Record { id, .. } if id.as_str() == "RU-Q-1")))
        });
        assert!(cited, "{changes:#?}");
        // The digest event gives the digest `/v1/findings` gives at that instant.
        let Some(FindingChange::Digest { as_of, digest }) = changes.last() else {
            panic!("{changes:#?}")
        };
        let at = as_of.parse().unwrap();
        let now = node
            .findings(at, &accord_node::node::FindingFilter::default())
            .unwrap();
        assert_eq!(&now.digest, digest);
    });
}
