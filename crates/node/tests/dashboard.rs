//! The dashboard over real HTTP on two nodes on loopback: every page answers HTML in the
//! language asked for (query, then `Accept-Language`), at the instant asked for; a record's
//! page carries its log entry, inclusion proof and checkpoint as `/v1/proof` gives them; a
//! hotline message sent from the page's form reaches the other node's page.

use std::io::{Read as _, Write as _};
use std::sync::Arc;
use std::time::{Duration, Instant};

use accord_model::{PartyId, Record, RecordBody, RecordId};
use accord_node::client::Client;
use accord_node::{Config, Node, PeerConfig, keys};
use base64::Engine as _;

fn p(s: &str) -> PartyId {
    PartyId::new(s).unwrap()
}

struct Pair {
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    us: Client,
    us_url: String,
    ru_url: String,
    rt: tokio::runtime::Runtime,
}

fn pair() -> Pair {
    let rt = accord_node::http::runtime().unwrap();
    let (du, dr) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ku = keys::load_or_create_key(du.path()).unwrap();
    let kr = keys::load_or_create_key(dr.path()).unwrap();
    keys::add_trusted(du.path(), &p("RU"), &kr.verifying_key()).unwrap();
    keys::add_trusted(dr.path(), &p("US"), &ku.verifying_key()).unwrap();
    let (lu, lr) = rt.block_on(async {
        (
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        )
    });
    let url = |l: &tokio::net::TcpListener| format!("http://{}", l.local_addr().unwrap());
    let (uu, ur) = (url(&lu), url(&lr));
    let open = |party: &str, dir: &std::path::Path, peer: &str, peer_url: &str| {
        let mut c = Config::new(
            p(party),
            dir.to_owned(),
            vec![PeerConfig {
                party: p(peer),
                url: peer_url.to_owned(),
            }],
        );
        c.agreements = vec![accord_node::judge::resolve_agreement("vienna-document-2011").unwrap()];
        Node::open(c).unwrap()
    };
    let nu = open("US", du.path(), "RU", &ur);
    let nr = open("RU", dr.path(), "US", &uu);
    rt.spawn(accord_node::http::serve(Arc::new(nu), lu));
    rt.spawn(accord_node::http::serve(Arc::new(nr), lr));
    Pair {
        us: Client::new(&uu, p("US"), ku),
        us_url: uu,
        ru_url: ur,
        _dirs: (du, dr),
        rt,
    }
}

/// One HTTP/1.1 exchange on a fresh connection: status, headers (lower-cased names), body.
fn http(url: &str, request: &str) -> (u16, String, String) {
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), body.to_owned())
}

fn get(url: &str, path: &str, extra: &str) -> (u16, String, String) {
    http(
        url,
        &format!("GET {path} HTTP/1.1\r\nHost: n\r\n{extra}Connection: close\r\n\r\n"),
    )
}

/// Waits until `f` holds, or fails after `limit` with what was seen last.
fn wait_until(limit: Duration, what: &str, mut f: impl FnMut() -> (bool, String)) {
    let start = Instant::now();
    loop {
        let (ok, seen) = f();
        if ok {
            return;
        }
        assert!(start.elapsed() < limit, "{what}: last seen {seen}");
        std::thread::park_timeout(Duration::from_millis(50));
    }
}

#[test]
fn every_page_answers_html_in_the_language_asked_for() {
    let net = pair();
    for path in ["/", "/findings", "/timeline", "/hotline", "/escrow"] {
        let (status, head, body) = get(&net.us_url, path, "");
        assert_eq!(status, 200, "{path}: {body}");
        assert!(head.contains("content-type: text/html"), "{path}: {head}");
        assert!(head.contains("content-security-policy: default-src 'none'"));
        assert!(
            body.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
            "{path}"
        );
        let (_, _, ru) = get(&net.us_url, &format!("{path}?lang=ru"), "");
        assert!(ru.contains("<html lang=\"ru\">"), "{path}");
        assert!(ru.contains("Обзор"), "{path}");
        let (_, _, browser) = get(
            &net.us_url,
            path,
            "Accept-Language: ru-RU,ru;q=0.9,en;q=0.5\r\n",
        );
        assert!(browser.contains("<html lang=\"ru\">"), "{path}");
    }
    // An instant in the query is the instant shown; a malformed one is refused by name.
    let (status, _, body) = get(&net.us_url, "/findings?as_of=2022-02-20T00:00:00Z", "");
    assert_eq!(status, 200);
    assert!(body.contains("as of 2022-02-20T00:00:00Z"), "{body}");
    let (status, _, body) = get(&net.us_url, "/?as_of=yesterday", "");
    assert_eq!(status, 400);
    assert!(body.contains("as_of"), "{body}");
    let (status, _, body) = get(&net.us_url, "/findings?severity=bogus", "");
    assert_eq!(status, 400);
    assert!(body.contains("severity"), "{body}");
    let (status, _, _) = get(&net.us_url, "/records/US-none", "");
    assert_eq!(status, 404);
}

#[test]
fn a_record_page_shows_the_entry_and_the_proof_that_v1_proof_gives() {
    let net = pair();
    let record = Record {
        id: RecordId::new("US-hotline-RU-1").unwrap(),
        party: p("US"),
        issued_at: jiff::Timestamp::now(),
        body: RecordBody::HotlineMessage(accord_model::HotlineMessage {
            to: p("RU"),
            seq: 1,
            text: "<i>check</i>".into(),
        }),
    };
    net.rt.block_on(net.us.submit(&[record])).unwrap();
    // RU's node mirrors US's log of their channel and cosigns it; then both show the record
    // with its proof.
    wait_until(
        Duration::from_secs(30),
        "RU holds the record with a proof",
        || {
            let (status, _, body) = get(&net.ru_url, "/records/US-hotline-RU-1", "");
            (status == 200 && body.contains("<ol id=\"proof\""), body)
        },
    );
    let (_, _, page) = get(&net.ru_url, "/records/US-hotline-RU-1", "");
    assert!(
        page.contains("&lt;i&gt;check&lt;/i&gt;"),
        "the record is escaped"
    );
    assert!(!page.contains("<i>check</i>"));
    let (status, _, proof) = get(
        &net.ru_url,
        "/v1/proof?origin=accord%2Flog%2FUS%2Fhotline%2FRU%2FUS&index=0",
        "",
    );
    assert_eq!(status, 200, "{proof}");
    let (_, checkpoint) = proof.split_once("\n\n").unwrap();
    let escaped = checkpoint
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    assert!(
        page.contains(&escaped),
        "the page's checkpoint is /v1/proof's"
    );
    let entry = net
        .rt
        .block_on(async {
            reqwest::get(format!(
                "{}/v1/logs/US%2Fhotline%2FRU%2FUS/entries?start=0&limit=1",
                net.ru_url
            ))
            .await
            .unwrap()
            .text()
            .await
        })
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&entry).unwrap();
    let envelope = v["entries"][0]["envelope"].clone();
    let bytes = serde_json::to_vec(&envelope).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    assert!(
        page.contains(&format!("data-index=\"0\" hidden>{b64}</p>")),
        "the page's entry is the logged envelope"
    );
    // Reached as evidence cites it, by its log's origin and index: the same entry.
    let cited = "/records/US-hotline-RU-1?origin=accord%2Flog%2FUS%2Fhotline%2FRU%2FUS&index=0";
    let (status, _, at_entry) = get(&net.ru_url, cited, "");
    assert_eq!(status, 200, "{at_entry}");
    assert!(at_entry.contains(&format!("data-index=\"0\" hidden>{b64}</p>")));
    // Another place than the record's is not found.
    let (status, _, _) = get(
        &net.ru_url,
        "/records/US-hotline-RU-1?origin=accord%2Flog%2FUS&index=1",
        "",
    );
    assert_eq!(status, 404);
    let (status, _, _) = get(
        &net.ru_url,
        "/records/US-hotline-RU-1?origin=accord%2Flog%2FRU&index=0",
        "",
    );
    assert_eq!(status, 404);
}

#[test]
fn a_hotline_message_sent_from_the_page_reaches_the_other_nodes_page() {
    let net = pair();
    let form = "to=RU&text=Stand+down+the+exercise+%3C1%3E";
    let host = net.us_url.trim_start_matches("http://");
    let (status, head, body) = http(
        &net.us_url,
        &format!(
            "POST /hotline/send?lang=en HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{form}",
            form.len()
        ),
    );
    assert_eq!(status, 303, "{body}");
    assert!(head.contains("location: /hotline?lang=en"), "{head}");
    wait_until(
        Duration::from_secs(30),
        "RU's page shows the message",
        || {
            let (_, _, page) = get(&net.ru_url, "/hotline", "");
            (page.contains("Stand down the exercise &lt;1&gt;"), page)
        },
    );
    wait_until(
        Duration::from_secs(30),
        "US's page shows it delivered",
        || {
            let (_, _, page) = get(&net.us_url, "/hotline", "");
            let row = page
                .split("<tr>")
                .find(|r| r.contains("Stand down"))
                .unwrap_or_default()
                .to_owned();
            (
                row.matches("<td>").count() == 6 && !row.ends_with("<td></td><td></td></tr>"),
                row,
            )
        },
    );
    // A form posted from another site is refused, and nothing is sent.
    let (status, _, _) = http(
        &net.us_url,
        &format!(
            "POST /hotline/send HTTP/1.1\r\nHost: {host}\r\nOrigin: http://evil.example\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{form}",
            form.len()
        ),
    );
    assert_eq!(status, 403);
    let sent = net.rt.block_on(net.us.sent()).unwrap();
    assert_eq!(sent.len(), 1);
}
