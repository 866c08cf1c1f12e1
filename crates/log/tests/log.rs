//! The log end to end: appends, reopening, proofs from files, mirrors, witnesses, receipts,
//! equivocation, and tampering with entries, tiles and checkpoints.

use std::path::Path;

use accord_log::{
    ConsistencyProof, CosignerKey, Log, LogError, LogKey, ProblemKind, Receipt, SignedCheckpoint,
    Witness, audit, detect_equivocation, equivocation_finding, verify_consistency, verify_cosigned,
    verify_entry_in_dir, verify_inclusion, verify_receipt,
};
use accord_model::envelope::Envelope;
use accord_model::{Evidence, PartyId, Severity};

const ORIGIN: &str = "accord.example/US";

fn envelope(i: u32) -> Vec<u8> {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    Envelope::sign(
        "application/octet-stream",
        format!("record {i}").as_bytes(),
        &key,
    )
    .to_json()
}

fn filled(dir: &Path, n: u32) -> (LogKey, Log) {
    let key = LogKey::generate(ORIGIN).unwrap();
    let mut log = Log::create(dir, ORIGIN, &key).unwrap();
    let batch: Vec<Vec<u8>> = (0..n).map(envelope).collect();
    // Two batches and single appends, so partial and full tiles both occur.
    let half = (n / 2) as usize;
    assert_eq!(log.append_batch(&batch[..half]).unwrap(), 0..half as u64);
    for e in &batch[half..half + 3] {
        log.append(e).unwrap();
    }
    log.append_batch(&batch[half + 3..]).unwrap();
    (key, log)
}

#[test]
fn append_prove_reopen_and_verify_from_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let (key, log) = filled(&dir, 600);
    assert_eq!(log.size(), 600);
    let cp = SignedCheckpoint::verify(log.checkpoint().note(), key.vkey()).unwrap();
    assert_eq!((cp.size(), cp.origin()), (600, ORIGIN));
    for i in [0, 255, 256, 511, 599] {
        let p = log.prove_inclusion(i, 600).unwrap();
        verify_inclusion(&envelope(i as u32), &p, &cp.root()).unwrap();
        assert!(verify_inclusion(&envelope(i as u32 + 1), &p, &cp.root()).is_err());
        let v = verify_entry_in_dir(&dir, i, key.vkey()).unwrap();
        assert_eq!(v.entry, envelope(i as u32));
    }
    // Tiles are at their tlog-tiles paths.
    for p in [
        "tile/0/000",
        "tile/0/001",
        "tile/0/002.p/88",
        "tile/1/000.p/2",
        "tile/entries/000",
        "tile/entries/002.p/88",
        "checkpoint",
    ] {
        assert!(dir.join(p).is_file(), "{p} missing");
    }
    assert_eq!(std::fs::read(dir.join("checkpoint")).unwrap(), cp.note());
    let old_root = log.tree().root_at(300).unwrap();
    drop(log);

    let mut log = Log::open(&dir, &key).unwrap();
    assert_eq!(log.root(), cp.root());
    assert_eq!(log.entry(42).unwrap(), envelope(42));
    log.append(b"one more").unwrap();
    let p: ConsistencyProof = log.prove_consistency(300, 601).unwrap();
    verify_consistency(&p, &old_root, &log.root()).unwrap();
    assert_eq!(log.checkpoints().unwrap().len(), 1 + 1 + 3 + 1 + 1);
    let report = audit(&dir, key.vkey()).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!((report.size, report.entries_checked), (601, 601));

    // The wrong key cannot open it, nor verify its checkpoint.
    let other = LogKey::generate(ORIGIN).unwrap();
    assert!(Log::open(&dir, &other).is_err());
    assert!(SignedCheckpoint::verify(log.checkpoint().note(), other.vkey()).is_err());
    let reader = Log::open_reader(&dir).unwrap();
    assert!(matches!(
        Log::open_reader(&dir).unwrap().append(b"x"),
        Err(LogError::Layout { .. })
    ));
    assert_eq!(reader.size(), 601);
}

#[test]
fn key_strings_round_trip() {
    let key = LogKey::generate(ORIGIN).unwrap();
    let again = LogKey::from_skey(key.skey()).unwrap();
    assert_eq!(again.vkey(), key.vkey());
    assert!(key.vkey().starts_with("accord.example/US+"));
    let sk = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let k2 = LogKey::from_signing_key(ORIGIN, &sk).unwrap();
    assert_eq!(LogKey::from_skey(k2.skey()).unwrap().vkey(), k2.vkey());
    assert!(LogKey::from_skey("PRIVATE+KEY+x+00000000+AAAA").is_err());
    assert!(LogKey::generate("has space").is_err());
}

#[test]
fn mirror_follows_the_peer_and_refuses_other_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, mut log) = filled(&tmp.path().join("us"), 40);
    let us = PartyId::new("US").unwrap();
    let mut mirror =
        Log::create_mirror(&tmp.path().join("mirror"), &us, ORIGIN, key.vkey()).unwrap();
    let first = log.checkpoint().note().to_vec();
    mirror
        .mirror_extend(&log.entries(0..40).unwrap(), &first)
        .unwrap();
    assert_eq!(mirror.root(), log.root());

    log.append_batch(&[b"a".to_vec(), b"b".to_vec()]).unwrap();
    let second = log.checkpoint().note().to_vec();
    // Entries other than the peer's do not match its signed root: nothing is stored.
    let err = mirror
        .mirror_extend(&[b"a".to_vec(), b"X".to_vec()], &second)
        .unwrap_err();
    assert!(matches!(err, LogError::Proof(_)), "{err}");
    assert_eq!(mirror.size(), 40);
    mirror
        .mirror_extend(&log.entries(40..42).unwrap(), &second)
        .unwrap();
    assert_eq!(mirror.checkpoint().note(), &second[..]);
    // The mirror directory is itself a servable, auditable copy of the peer's log.
    let report = audit(mirror.dir(), key.vkey()).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    // An older checkpoint of the peer is still on the mirrored history.
    mirror.check_checkpoint(&first).unwrap();
}

#[test]
fn witness_cosigns_consistent_checkpoints_and_catches_equivocation() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, mut log) = filled(&tmp.path().join("us"), 10);
    let us = PartyId::new("US").unwrap();
    let wkey = CosignerKey::generate("accord.example/RU-witness").unwrap();
    let wvkey = wkey.vkey();
    let mut witness = Witness::new(wkey, key.vkey(), None).unwrap();
    let cp1 = log.checkpoint().clone();
    let none = log.prove_consistency(0, 0).unwrap();
    let cosigned1 = witness.cosign(cp1.note(), &none, 1_700_000_000).unwrap();
    let (_, cosigs) = verify_cosigned(&cosigned1, key.vkey(), &[&wvkey]).unwrap();
    assert_eq!(cosigs[0].timestamp, 1_700_000_000);

    // A receipt for entry 3: the cosigned checkpoint plus the inclusion proof.
    let receipt = Receipt {
        checkpoint: String::from_utf8(cosigned1.clone()).unwrap(),
        proof: log.prove_inclusion(3, cp1.size()).unwrap(),
    };
    verify_receipt(&envelope(3), &receipt, key.vkey(), &[&wvkey]).unwrap();
    assert!(verify_receipt(&envelope(4), &receipt, key.vkey(), &[&wvkey]).is_err());
    let other_witness = CosignerKey::generate("someone.else").unwrap().vkey();
    assert!(verify_receipt(&envelope(3), &receipt, key.vkey(), &[&other_witness]).is_err());
    // A tampered cosignature fails.
    let text = receipt.checkpoint.replace("\n10\n", "\n11\n");
    let bad = Receipt {
        checkpoint: text,
        proof: receipt.proof.clone(),
    };
    assert!(verify_receipt(&envelope(3), &bad, key.vkey(), &[&wvkey]).is_err());

    // Growth with a valid consistency proof is cosigned; a wrong proof is refused.
    log.append(b"eleven").unwrap();
    let cp2 = log.checkpoint().clone();
    let mut wrong = log.prove_consistency(10, 11).unwrap();
    wrong.hashes[0].0[0] ^= 1;
    assert!(witness.cosign(cp2.note(), &wrong, 1_700_000_100).is_err());
    let proof = log.prove_consistency(10, 11).unwrap();
    witness.cosign(cp2.note(), &proof, 1_700_000_100).unwrap();

    // The log key signs a different tree of size 11: equivocation, with both notes.
    let fork_dir = tmp.path().join("fork");
    let mut fork = Log::create(&fork_dir, ORIGIN, &key).unwrap();
    let mut entries = log.entries(0..10).unwrap();
    entries.push(b"ELEVEN".to_vec());
    fork.append_batch(&entries).unwrap();
    let forked = fork.checkpoint().clone();
    let err = witness
        .cosign(forked.note(), &proof, 1_700_000_200)
        .unwrap_err();
    let LogError::Equivocation(e) = err else {
        panic!("expected equivocation, got {err}")
    };
    assert_eq!((&e.a, &e.b), (&cp2, &forked));
    let finding = equivocation_finding(&us, &e.a, &e.b);
    assert_eq!(finding.summary, e.summary);
    assert_eq!(finding.severity, Severity::Violation);
    assert_eq!(finding.party, us);
    let notes: Vec<&str> = finding
        .evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::SignedNote { note } => Some(note.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(notes.len(), 2);
    assert!(notes.contains(&cp2.as_str()) && notes.contains(&forked.as_str()));
    let f = detect_equivocation(cp2.note(), forked.note(), key.vkey(), &us).unwrap();
    assert!(f.is_some());
    assert!(
        detect_equivocation(cp2.note(), cp2.note(), key.vkey(), &us)
            .unwrap()
            .is_none()
    );
}

fn flip(path: &Path, at: usize) {
    let mut b = std::fs::read(path).unwrap();
    let at = at.min(b.len() - 1);
    b[at] ^= 0x01;
    std::fs::write(path, b).unwrap();
}

#[test]
fn tampering_is_caught_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let (key, log) = filled(&dir, 300);
    drop(log);
    let fresh = |name: &str| copy_of(&dir, &tmp.path().join(name));

    // An entry: flip a byte inside entry 5's bytes (after its 2-byte length).
    let d = fresh("entry");
    let first_len = envelope(0).len() + 2;
    flip(&d.join("tile/entries/000"), 5 * first_len + 2 + 10);
    let r = audit(&d, key.vkey()).unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == ProblemKind::Entry && p.index == Some(5)),
        "{:?}",
        r.problems
    );
    assert!(verify_entry_in_dir(&d, 5, key.vkey()).is_err());
    verify_entry_in_dir(&d, 6, key.vkey()).unwrap();

    // A hash tile.
    let d = fresh("tile");
    flip(&d.join("tile/0/001.p/44"), 33);
    let r = audit(&d, key.vkey()).unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == ProblemKind::Tile && p.path == "tile/0/001.p/44"),
        "{:?}",
        r.problems
    );
    assert!(verify_entry_in_dir(&d, 257, key.vkey()).is_err());

    // The checkpoint file.
    let d = fresh("checkpoint");
    let text = std::fs::read_to_string(d.join("checkpoint")).unwrap();
    let at = text.find('\n').unwrap() + 1; // first digit of the size
    flip(&d.join("checkpoint"), at);
    let r = audit(&d, key.vkey()).unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == ProblemKind::Checkpoint && p.path == "checkpoint"),
        "{:?}",
        r.problems
    );
    assert!(verify_entry_in_dir(&d, 0, key.vkey()).is_err());

    // The untouched log audits clean.
    assert!(audit(&dir, key.vkey()).unwrap().is_clean());
}

/// A copy of the log directory `from` at `to`.
fn copy_of(from: &Path, to: &Path) -> std::path::PathBuf {
    copy_dir(from, to);
    to.to_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

fn append_bytes(path: &Path, extra: &[u8]) {
    let mut b = std::fs::read(path).unwrap();
    b.extend_from_slice(extra);
    std::fs::write(path, b).unwrap();
}

fn has_problem(r: &accord_log::AuditReport, kind: ProblemKind, path: &str) -> bool {
    r.problems.iter().any(|p| p.kind == kind && p.path == path)
}

#[test]
fn bytes_appended_to_a_bundle_or_a_tile_are_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let (key, log) = filled(&dir, 300);
    drop(log);
    let fresh = |name: &str| copy_of(&dir, &tmp.path().join(name));

    // A forged extra entry, well framed, after the 256 entries of the full bundle.
    let d = fresh("bundle-entry");
    let mut forged = Vec::new();
    accord_log::tiles::encode_entry(&mut forged, &envelope(9999)).unwrap();
    append_bytes(&d.join("tile/entries/000"), &forged);
    let r = audit(&d, key.vkey()).unwrap();
    assert!(
        has_problem(&r, ProblemKind::Bundle, "tile/entries/000"),
        "{:?}",
        r.problems
    );
    let e = verify_entry_in_dir(&d, 3, key.vkey()).unwrap_err();
    assert!(e.to_string().contains("257 entries"), "{e}");
    verify_entry_in_dir(&d, 260, key.vkey()).unwrap();

    // One stray byte after the entries of the partial bundle.
    let d = fresh("bundle-byte");
    append_bytes(&d.join("tile/entries/001.p/44"), b"\n");
    let r = audit(&d, key.vkey()).unwrap();
    assert!(
        has_problem(&r, ProblemKind::Bundle, "tile/entries/001.p/44"),
        "{:?}",
        r.problems
    );
    assert!(verify_entry_in_dir(&d, 299, key.vkey()).is_err());

    // A hash appended to a full hash tile, and one to a partial one.
    for (name, tile, index) in [
        ("tile-full", "tile/0/000", 7),
        ("tile-partial", "tile/0/001.p/44", 270),
    ] {
        let d = fresh(name);
        append_bytes(&d.join(tile), &[0xAB; 32]);
        let r = audit(&d, key.vkey()).unwrap();
        assert!(has_problem(&r, ProblemKind::Tile, tile), "{:?}", r.problems);
        assert!(
            verify_entry_in_dir(&d, index, key.vkey()).is_err(),
            "{tile}"
        );
    }
    assert!(audit(&dir, key.vkey()).unwrap().is_clean());
}

#[test]
fn malformed_checkpoint_notes_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let (key, log) = filled(&dir, 20);
    let note = log.checkpoint().as_str().to_owned();
    drop(log);
    let sig_line = note.lines().last().unwrap().to_owned();
    let blank = note.rfind("\n\n").unwrap();
    let cases = [
        ("duplicated signature line", format!("{note}{sig_line}\n")),
        (
            "second signature by the same key",
            format!("{note}{}A=\n", &sig_line[..sig_line.len() - 2]),
        ),
        (
            "control character in the text",
            note.replacen(ORIGIN, &format!("{ORIGIN}\t"), 1),
        ),
        ("no final newline", note.trim_end().to_owned()),
        (
            "malformed signature line",
            format!("{note}- {ORIGIN} AAAA\n"),
        ),
        ("no blank line", note.replacen("\n\n", "\n", 1)),
        ("empty signature block", format!("{}\n\n", &note[..blank])),
    ];
    for (what, bad) in cases {
        assert_ne!(bad, note, "{what}");
        assert!(
            SignedCheckpoint::verify(bad.as_bytes(), key.vkey()).is_err(),
            "{what} accepted"
        );
        let d = tmp.path().join(what.replace(' ', "-"));
        copy_dir(&dir, &d);
        std::fs::write(d.join("checkpoint"), &bad).unwrap();
        let r = audit(&d, key.vkey()).unwrap();
        assert!(
            has_problem(&r, ProblemKind::Checkpoint, "checkpoint"),
            "{what}: {:?}",
            r.problems
        );
        assert!(verify_entry_in_dir(&d, 1, key.vkey()).is_err(), "{what}");
    }
    SignedCheckpoint::verify(note.as_bytes(), key.vkey()).unwrap();
}

#[test]
fn the_database_is_audited_against_the_published_tiles() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let (key, log) = filled(&dir, 300);
    drop(log);
    let clean = audit(&dir, key.vkey()).unwrap();
    assert!(clean.is_clean(), "{:?}", clean.problems);
    assert_eq!(clean.database_entries_checked, 300);
    let fresh = |name: &str| {
        let d = copy_of(&dir, &tmp.path().join(name));
        rusqlite::Connection::open(d.join(accord_log::DB_FILE)).unwrap()
    };
    let db_problems = |r: &accord_log::AuditReport| -> Vec<(Option<u64>, String)> {
        r.problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Database)
            .map(|p| (p.index, p.message.clone()))
            .collect()
    };

    // A row rewritten, leaf hash and all: the tiles still say otherwise.
    let conn = fresh("rewritten");
    let forged = envelope(5000);
    let leaf = accord_log::leaf_hash(&forged);
    conn.execute(
        "UPDATE entries SET data = ?1, leaf = ?2 WHERE idx = 17",
        rusqlite::params![forged, &leaf.0[..]],
    )
    .unwrap();
    drop(conn);
    let r = audit(&tmp.path().join("rewritten"), key.vkey()).unwrap();
    let p = db_problems(&r);
    assert_eq!(p.len(), 1, "{:?}", r.problems);
    assert_eq!(p[0].0, Some(17));
    assert!(p[0].1.contains("differ from the published entry"), "{p:?}");

    // A stored leaf hash that is not the hash of its row.
    let conn = fresh("leaf");
    conn.execute("UPDATE entries SET leaf = zeroblob(32) WHERE idx = 260", [])
        .unwrap();
    drop(conn);
    let r = audit(&tmp.path().join("leaf"), key.vkey()).unwrap();
    assert_eq!(
        db_problems(&r),
        vec![(
            Some(260),
            "its stored leaf hash is not the hash of its bytes".to_owned()
        )]
    );

    // A row deleted.
    let conn = fresh("deleted");
    conn.execute("DELETE FROM entries WHERE idx = 100", [])
        .unwrap();
    drop(conn);
    let r = audit(&tmp.path().join("deleted"), key.vkey()).unwrap();
    assert_eq!(db_problems(&r), vec![(Some(100), "is missing".to_owned())]);
}
