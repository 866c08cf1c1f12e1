//! Nodes over TLS: certificates made from the nodes' keys, peers pinned by the trust file,
//! a hotline message and its receipts exchanged over the mirror protocol on https, and what a
//! caller without a trusted certificate may read.

use std::sync::Arc;
use std::time::Duration;

use accord_model::PartyId;
use accord_node::access::Caller;
use accord_node::client::Client;
use accord_node::tls::{Pins, anonymous_client_config, certificate, client_config, http_client};
use accord_node::{Config, Node, PeerConfig, keys};
use ed25519_dalek::{SigningKey, VerifyingKey};

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

/// Pins one party's key.
#[derive(Debug)]
struct Pin(VerifyingKey, PartyId);

impl Pins for Pin {
    fn caller(&self, key: &VerifyingKey) -> Option<Caller> {
        (key == &self.0).then(|| Caller::Party(self.1.clone()))
    }
}

struct Pair {
    dirs: (tempfile::TempDir, tempfile::TempDir),
    keys: (SigningKey, SigningKey),
    urls: (String, String),
    rt: tokio::runtime::Runtime,
}

/// US and RU nodes serving TLS on loopback, each the other's peer over https.
fn pair() -> Pair {
    pair_with_operators("")
}

/// The same, US's node given `operators` as its operators file.
fn pair_with_operators(operators: &str) -> Pair {
    let rt = accord_node::http::runtime().unwrap();
    let (du, dr) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ku = keys::load_or_create_key(du.path()).unwrap();
    let kr = keys::load_or_create_key(dr.path()).unwrap();
    keys::add_trusted(du.path(), &p("RU"), &kr.verifying_key()).unwrap();
    keys::add_trusted(dr.path(), &p("US"), &ku.verifying_key()).unwrap();
    if !operators.is_empty() {
        std::fs::write(
            du.path().join(accord_node::access::OPERATORS_FILE),
            operators,
        )
        .unwrap();
    }
    let (lu, lr) = rt.block_on(async {
        (
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        )
    });
    let url = |l: &tokio::net::TcpListener| format!("https://{}", l.local_addr().unwrap());
    let (uu, ur) = (url(&lu), url(&lr));
    let config = |party: &str, dir: &tempfile::TempDir, peer: &str, url: &str| {
        let mut c = Config::new(
            p(party),
            dir.path().to_owned(),
            vec![PeerConfig {
                party: p(peer),
                url: url.to_owned(),
            }],
        );
        c.tls = true;
        c
    };
    let nu = Node::open(config("US", &du, "RU", &ur)).unwrap();
    let nr = Node::open(config("RU", &dr, "US", &uu)).unwrap();
    rt.spawn(accord_node::http::serve(Arc::new(nu), lu));
    rt.spawn(accord_node::http::serve(Arc::new(nr), lr));
    Pair {
        dirs: (du, dr),
        keys: (ku, kr),
        urls: (uu, ur),
        rt,
    }
}

#[test]
fn a_hotline_message_crosses_tls_with_its_receipts() {
    let net = pair();
    let us = Client::new(&net.urls.0, p("US"), net.keys.0.clone());
    let ru = Client::new(&net.urls.1, p("RU"), net.keys.1.clone());
    net.rt.block_on(async {
        let (record, _) = us.hotline_send(&p("RU"), "over TLS").await.unwrap();
        let inbox = ru.inbox(0, Duration::from_secs(20)).await.unwrap();
        let got = inbox
            .messages
            .iter()
            .find(|m| m.record == record.id)
            .expect("the message reached RU's inbox through the mirror over https");
        assert_eq!(got.text, "over TLS");
        ru.mark_read(got).await.unwrap();
        assert!(
            us.wait_delivered(&record.id, Duration::from_secs(20))
                .await
                .unwrap(),
            "US's node holds RU's delivery receipt"
        );
    });
    // Each node made its certificate from its own key at first start and kept it.
    let cert = std::fs::read(net.dirs.0.path().join(accord_node::tls::CERT_FILE)).unwrap();
    assert_eq!(
        accord_node::tls::certificate_key(&cert.into()),
        Some(net.keys.0.verifying_key())
    );
}

#[test]
fn a_server_or_client_with_an_unpinned_key_is_refused() {
    let net = pair();
    let stranger = SigningKey::from_bytes(&[9; 32]);
    net.rt.block_on(async {
        // A client that expects another key at US's address: the server's certificate fails
        // its pin.
        let wrong = Client::new(&net.urls.0, p("US"), stranger.clone());
        let e = wrong.get_raw("/v1/node").await.unwrap_err().to_string();
        assert!(e.contains(&net.urls.0), "{e}");

        // A client showing a certificate whose key the trust file does not list: the server
        // ends the handshake.
        let dir = tempfile::tempdir().unwrap();
        let cert = certificate(dir.path(), &stranger, &p("XX")).unwrap();
        let pin = Arc::new(Pin(net.keys.0.verifying_key(), p("US")));
        let http = http_client(client_config(cert, &stranger, pin).unwrap()).unwrap();
        let res = http
            .get(format!("{}/v1/logs/US/checkpoint", net.urls.0))
            .send()
            .await;
        assert!(res.is_err(), "an unknown client certificate is refused");

        // Plain HTTP to a TLS port gets no answer.
        let plain = net.urls.0.replace("https://", "http://");
        let res = accord_node::tls::plain_client()
            .unwrap()
            .get(format!("{plain}/v1/node"))
            .send()
            .await;
        assert!(!res.is_ok_and(|r| r.status().is_success()));
    });
}

#[test]
fn contents_are_for_parties_hashes_for_everyone() {
    let net = pair();
    let us = Client::new(&net.urls.0, p("US"), net.keys.0.clone());
    let pin = Arc::new(Pin(net.keys.0.verifying_key(), p("US")));
    let anonymous = http_client(anonymous_client_config(pin).unwrap()).unwrap();
    net.rt.block_on(async {
        us.hotline_send(&p("RU"), "for RU only").await.unwrap();
        let get = |path: &str| {
            let url = format!("{}{path}", net.urls.0);
            let http = anonymous.clone();
            async move { http.get(url).send().await.unwrap() }
        };
        // Public: the checkpoint and the hash tiles of the channel's log, which holds the
        // message (the log's name in a path has its slashes escaped).
        let log = "US%2Fhotline%2FRU%2FUS";
        let checkpoint = get(&format!("/v1/logs/{log}/checkpoint")).await;
        assert_eq!(checkpoint.status(), 200);
        let note = checkpoint.text().await.unwrap();
        let size: u64 = note.lines().nth(1).unwrap().parse().unwrap();
        assert!((1..256).contains(&size), "{note}");
        assert!(note.starts_with("accord/log/US/hotline/RU/US\n"), "{note}");
        let (hashes, entries) = (
            format!("/v1/logs/{log}/tile/0/000.p/{size}"),
            format!("/v1/logs/{log}/tile/entries/000.p/{size}"),
        );
        assert_eq!(get(&hashes).await.status(), 200);
        // Contents: refused to a caller that proved no party, with the JSON error body.
        for path in [
            entries.as_str(),
            "/v1/logs/US/entries",
            "/v1/hotline/sent",
            "/v1/findings",
            "/",
        ] {
            let res = get(path).await;
            assert_eq!(res.status(), 403, "{path}");
            let body: serde_json::Value =
                serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
            assert!(
                body["error"]
                    .as_str()
                    .is_some_and(|m| m.contains("no certificate")),
                "{path}: {body}"
            );
        }
        // The same paths are served to the party's own client, which shows its certificate.
        let (status, _) = us.get_raw(&entries).await.unwrap();
        assert_eq!(status, 200);
        let (status, _) = us.get_raw("/v1/hotline/sent").await.unwrap();
        assert_eq!(status, 200);
    });
}

/// A client showing a certificate made from `key`, expecting US's node.
fn operator_client(net: &Pair, key: &SigningKey, dir: &std::path::Path) -> reqwest::Client {
    let cert = certificate(dir, key, &p("OP")).unwrap();
    let pin = Arc::new(Pin(net.keys.0.verifying_key(), p("US")));
    http_client(client_config(cert, key, pin).unwrap()).unwrap()
}

#[test]
fn analysts_read_officers_send_and_every_action_is_kept() {
    let (analyst, officer) = (
        SigningKey::from_bytes(&[21; 32]),
        SigningKey::from_bytes(&[22; 32]),
    );
    let operators = format!(
        "[operators.alice]\nkey = \"{}\"\nrole = \"analyst\"\n\
         [operators.bob]\nkey = \"{}\"\nrole = \"officer\"\n",
        keys::public_key_text(&analyst.verifying_key()),
        keys::public_key_text(&officer.verifying_key()),
    );
    let net = pair_with_operators(&operators);
    let certs = tempfile::tempdir().unwrap();
    let (da, db) = (certs.path().join("a"), certs.path().join("b"));
    std::fs::create_dir_all(&da).unwrap();
    std::fs::create_dir_all(&db).unwrap();
    let alice = operator_client(&net, &analyst, &da);
    let bob = operator_client(&net, &officer, &db);
    let url = |path: &str| format!("{}{path}", net.urls.0);
    let us = Client::new(&net.urls.0, p("US"), net.keys.0.clone());
    net.rt.block_on(async {
        // Both read.
        for who in [&alice, &bob] {
            let r = who.get(url("/v1/findings")).send().await.unwrap();
            assert_eq!(r.status(), 200);
            let r = who.get(url("/hotline")).send().await.unwrap();
            assert_eq!(r.status(), 200);
        }
        // Only the officer sends: the node signs the message with its key.
        let form = "to=RU&text=from+the+officer";
        let r = alice
            .post(url("/hotline/send"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let body = r.text().await.unwrap();
        assert!(body.contains("operator alice"), "{body}");
        let r = bob
            .post(url("/hotline/send"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        // Sent, then sent back to the hotline page.
        assert_eq!((r.status().as_u16(), r.url().path()), (200, "/hotline"));
        let sent = us.sent().await.unwrap();
        assert_eq!(sent.len(), 1, "one message sent: the officer's");
    });
    // Who, what, when: both attempts are kept, with their outcomes; reads are not actions.
    let text =
        std::fs::read_to_string(net.dirs.0.path().join(accord_node::access::ACTIONS_FILE)).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        (lines[0]["who"].as_str(), lines[0]["role"].as_str()),
        (Some("alice"), Some("analyst"))
    );
    assert_eq!(lines[0]["status"], 403);
    assert_eq!(lines[0]["action"], "POST /hotline/send");
    assert_eq!(
        (lines[1]["who"].as_str(), lines[1]["role"].as_str()),
        (Some("bob"), Some("officer"))
    );
    assert_eq!(lines[1]["status"], 303);
    let at: jiff::Timestamp = lines[1]["at"].as_str().unwrap().parse().unwrap();
    assert!((jiff::Timestamp::now() - at).get_seconds().abs() < 600);
}

#[test]
fn a_peer_reads_but_does_not_act_for_the_node() {
    let net = pair();
    let dir = tempfile::tempdir().unwrap();
    // RU's own key, as RU's node shows it when it calls US's node.
    let ru = operator_client(&net, &net.keys.1, dir.path());
    net.rt.block_on(async {
        let r = ru
            .get(format!("{}/v1/findings", net.urls.0))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let r = ru
            .post(format!("{}/hotline/send", net.urls.0))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("to=RU&text=x")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert!(r.text().await.unwrap().contains("party RU"));
    });
}
