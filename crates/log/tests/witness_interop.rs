//! C2SP tlog-witness against a client and a server written apart from accord, in Go, from the
//! specification (`interop/witness/main.go`, on Go's standard library and Debian's
//! golang.org/x/mod/sumdb): the Go client drives accord's witness through every answer of
//! `add-checkpoint` and checks its cosignatures; accord's client asks the Go witness and
//! checks the cosignatures it returns.
//!
//! The HTTP here is the least a test needs (one request per connection); the node serves the
//! route for real.

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use accord_log::witness::{AddCheckpoint, TrustedLogs, add_cosignatures};
use accord_log::{CosignerKey, Log, LogKey, SharedWitnessStore, WitnessStore, verify_cosigned};

const ORIGIN: &str = "accord.example/US";

/// Reads one HTTP/1.1 message's head and body from `stream`: the first line, the content
/// type and the body.
fn read_message(stream: &mut BufReader<TcpStream>) -> (String, String, Vec<u8>) {
    let mut first = String::new();
    stream.read_line(&mut first).unwrap();
    let (mut len, mut ctype) = (0usize, String::new());
    loop {
        let mut line = String::new();
        stream.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => len = value.trim().parse().unwrap(),
            "content-type" => ctype = value.trim().to_owned(),
            _ => {}
        }
    }
    let mut body = vec![0; len];
    stream.read_exact(&mut body).unwrap();
    (first.trim_end().to_owned(), ctype, body)
}

/// Serves `POST /add-checkpoint` from `store` on a free loopback port, a thread per
/// connection (so requests share the store's group commit); returns the port.
fn serve(store: SharedWitnessStore, logs: TrustedLogs, key: CosignerKey) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let shared = Arc::new((store, logs, key));
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || answer(conn, &shared.0, &shared.1, &shared.2));
        }
    });
    port
}

/// Answers one connection's request.
fn answer(conn: TcpStream, store: &SharedWitnessStore, logs: &TrustedLogs, key: &CosignerKey) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let (first, _, body) = read_message(&mut reader);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (status, ctype, answer) = if first.starts_with("POST /add-checkpoint ") {
        match store.add_checkpoint(&body, logs, key, now) {
            Ok(lines) => (200, "text/plain; charset=utf-8", lines),
            Err(refusal) => {
                let (ctype, body) = refusal.body();
                (refusal.status(), ctype, body)
            }
        }
    } else {
        (404, "text/plain", b"no such route\n".to_vec())
    };
    let mut conn = conn;
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        answer.len()
    );
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(&answer);
}

/// Posts `body` to `/add-checkpoint` on `port`; returns the status, content type and body.
fn post(port: u16, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        conn,
        "POST /add-checkpoint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    conn.write_all(body).unwrap();
    let (first, ctype, answer) = read_message(&mut BufReader::new(conn));
    let status = first.split(' ').nth(1).unwrap().parse().unwrap();
    (status, ctype, answer)
}

#[test]
fn a_go_client_written_from_the_spec_gets_every_answer_from_our_witness() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(bin) = common::go_build("witness", tmp.path()) else {
        return;
    };
    let log_key = LogKey::generate(ORIGIN).unwrap();
    let witness = CosignerKey::generate("witness.example/RU").unwrap();
    let mut logs = TrustedLogs::new();
    logs.add(ORIGIN, log_key.vkey()).unwrap();
    let store = SharedWitnessStore::open(&tmp.path().join("witness.db")).unwrap();
    let port = serve(store, logs, witness.clone());

    common::go_witness_client(
        &bin,
        &format!("http://127.0.0.1:{port}"),
        log_key.skey(),
        &witness.vkey(),
    );
    // The size was stored before each answer: a reopened store holds the last one cosigned.
    let reopened = WitnessStore::open(&tmp.path().join("witness.db")).unwrap();
    assert_eq!(reopened.latest(ORIGIN).unwrap().map(|w| w.size), Some(300));
}

#[test]
fn our_client_gets_cosignatures_from_a_go_witness_written_from_the_spec() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(bin) = common::go_build("witness", tmp.path()) else {
        return;
    };
    let log_key = LogKey::generate(ORIGIN).unwrap();
    let mut log = Log::create(&tmp.path().join("log"), ORIGIN, &log_key).unwrap();
    let seed = [42u8; 32];
    let witness = CosignerKey::new(
        "witness.example/GO",
        ed25519_dalek::SigningKey::from_bytes(&seed),
    )
    .unwrap();
    let (_reaper, port) = common::go_witness(&bin, log_key.vkey(), "witness.example/GO", &seed);

    let entries: Vec<Vec<u8>> = (0..700u32)
        .map(|i| format!("entry {i}").into_bytes())
        .collect();
    log.append_batch(&entries[..90]).unwrap();
    let cp90 = log.checkpoint().clone();
    let req = |old: u64, note: &[u8], proof: Vec<accord_log::Hash>| {
        AddCheckpoint {
            old_size: old,
            proof,
            checkpoint: note.to_vec(),
        }
        .to_bytes()
    };
    let (status, _, answer) = post(port, &req(0, cp90.note(), vec![]));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let cosigned = add_cosignatures(cp90.note(), &answer, &witness.vkey()).unwrap();
    let (cp, cosigs) = verify_cosigned(&cosigned, log_key.vkey(), &[&witness.vkey()]).unwrap();
    assert_eq!((cp.size(), cosigs.len()), (90, 1));

    log.append_batch(&entries[90..]).unwrap();
    let cp700 = log.checkpoint().clone();
    // Stale: the Go witness answers 409 with the size it holds.
    let (status, ctype, answer) = post(port, &req(0, cp700.note(), vec![]));
    assert_eq!(
        (status, ctype.as_str(), answer.as_slice()),
        (409, "text/x.tlog.size", &b"90\n"[..])
    );
    // Our consistency proof convinces it.
    let proof = log.prove_consistency(90, 700).unwrap().hashes;
    let mut bad = proof.clone();
    bad[1].0[5] ^= 1;
    assert_eq!(post(port, &req(90, cp700.note(), bad)).0, 422);
    let (status, _, answer) = post(port, &req(90, cp700.note(), proof));
    assert_eq!(status, 200);
    let cosigned = add_cosignatures(cp700.note(), &answer, &witness.vkey()).unwrap();
    verify_cosigned(&cosigned, log_key.vkey(), &[&witness.vkey()]).unwrap();
    // The cosignature is checked, not taken: another witness's key finds none.
    let other = CosignerKey::generate("witness.example/GO").unwrap();
    assert!(add_cosignatures(cp700.note(), &answer, &other.vkey()).is_err());
}
