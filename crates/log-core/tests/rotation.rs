//! Moving a log to a new key with no gap in verifiability: before, the old key signs; during
//! the overlap, both; after, the new one. A verifier holding either key, or both, and a
//! witness trusting both, follow the log across the change.

use accord_log_core::witness::{AddCheckpoint, TrustedLogs, Witnessed, check_add_checkpoint};
use accord_log_core::{LogKey, MerkleTree, SignedCheckpoint, verify_consistency};

const ORIGIN: &str = "accord.example/US";

fn key(seed: u8) -> LogKey {
    LogKey::from_signing_key(ORIGIN, &ed25519_dalek::SigningKey::from_bytes(&[seed; 32])).unwrap()
}

#[test]
fn a_rotation_leaves_no_gap_in_verifiability() {
    let (old, new) = (key(1), key(2));
    let mut tree = MerkleTree::new();
    tree.extend(
        &(0..30u32)
            .map(|i| format!("e{i}").into_bytes())
            .collect::<Vec<_>>(),
    );
    let root = |n| tree.root_at(n).unwrap();
    let before = LogKey::sign_all(&[&old], ORIGIN, 10, root(10)).unwrap();
    let overlap = LogKey::sign_all(&[&old, &new], ORIGIN, 20, root(20)).unwrap();
    let after = LogKey::sign_all(&[&new], ORIGIN, 30, root(30)).unwrap();
    let notes = [&before, &overlap, &after];

    // Who verifies what.
    let verifies = |keys: &[&str]| -> Vec<bool> {
        notes
            .iter()
            .map(|c| SignedCheckpoint::verify_any(c.note(), keys).is_ok())
            .collect()
    };
    assert_eq!(verifies(&[old.vkey()]), [true, true, false]);
    assert_eq!(verifies(&[new.vkey()]), [false, true, true]);
    assert_eq!(verifies(&[old.vkey(), new.vkey()]), [true, true, true]);
    // The overlap checkpoint verifies with the single-key check under either key.
    SignedCheckpoint::verify(overlap.note(), old.vkey()).unwrap();
    SignedCheckpoint::verify(overlap.note(), new.vkey()).unwrap();

    // A verifier that trusted the old key and moves to the new one at the overlap checks
    // consistency all the way: every step is between checkpoints under one key it trusts.
    for (a, b, keys) in [
        (&before, &overlap, old.vkey()),
        (&overlap, &after, new.vkey()),
    ] {
        let a = SignedCheckpoint::verify(a.note(), keys).unwrap();
        let b = SignedCheckpoint::verify(b.note(), keys).unwrap();
        let proof = tree.prove_consistency(a.size(), b.size()).unwrap();
        verify_consistency(&proof, &a.root(), &b.root()).unwrap();
    }

    // A bad signature by a trusted key spoils the note, even beside a good one.
    let text = overlap.as_str();
    let last = text.trim_end().rsplit('\n').next().unwrap();
    let broken = text.replace(last, &format!("{}AAAA", &last[..last.len() - 4]));
    assert!(SignedCheckpoint::verify_any(broken.as_bytes(), &[old.vkey(), new.vkey()]).is_err());

    // A witness that trusts both keys cosigns across the rotation; once the old key is
    // retired from its list, checkpoints signed by the old key alone are refused (403).
    let mut logs = TrustedLogs::new();
    logs.add(ORIGIN, old.vkey()).unwrap();
    logs.add(ORIGIN, new.vkey()).unwrap();
    let mut latest: Option<Witnessed> = None;
    for cp in notes {
        let old_size = latest.map_or(0, |w| w.size);
        let req = AddCheckpoint {
            old_size,
            proof: tree.prove_consistency(old_size, cp.size()).unwrap().hashes,
            checkpoint: cp.note().to_vec(),
        };
        let ok = check_add_checkpoint(&req, &logs, |_| Ok(latest)).unwrap();
        latest = Some(Witnessed {
            size: ok.size(),
            root: ok.root(),
        });
    }
    let mut retired = TrustedLogs::new();
    retired.add(ORIGIN, new.vkey()).unwrap();
    let req = AddCheckpoint {
        old_size: 0,
        proof: vec![],
        checkpoint: before.note().to_vec(),
    };
    let refusal = check_add_checkpoint(&req, &retired, |_| Ok(None)).unwrap_err();
    assert_eq!(refusal.status(), 403);
}
