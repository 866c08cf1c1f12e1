//! Cosignatures of both kinds: the ML-DSA-44 one against a published test vector, the
//! `subtree/v1` message byte for byte, key IDs as the specification computes them, and round
//! trips through notes, receipts and witness policies.

use sha2::{Digest, Sha256};

use super::*;
use crate::witness::{PolicyWitness, WitnessPolicy};
use crate::{LogKey, MerkleTree};

const ORIGIN: &str = "accord.example/US";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Test case 1 of C2SP/wycheproof `mldsa_44_sign_seed_test.json`: a key from its seed, and the
/// deterministic ML-DSA-44 signature with an empty context of "Hello world".
#[test]
fn ml_dsa_44_keys_and_signatures_match_the_wycheproof_vector() {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("../tests/data/mldsa44_sign_seed_tc1.json")).unwrap();
    let field = |k: &str| hex(v[k].as_str().unwrap());
    let seed: [u8; 32] = field("privateSeed").try_into().unwrap();
    let (public, msg, sig) = (field("publicKey"), field("msg"), field("sig"));
    assert_eq!((public.len(), sig.len()), (1312, 2420));

    let key = CosignerKey::ml_dsa_44("witness.example/pq", &seed).unwrap();
    assert_eq!(key.kind(), CosignatureKind::MlDsa44);
    assert_eq!(key.public, public, "the public key derived from the seed");
    let Secret::MlDsa44(sk) = &key.secret else {
        panic!("an ML-DSA-44 key")
    };
    let ours = ml_dsa::signature::Signer::try_sign(sk.as_ref(), &msg).unwrap();
    assert_eq!(ours.encode().to_vec(), sig, "the deterministic signature");

    // The verifier built from our vkey string accepts the vector's signature and no other.
    let verifier = CosignatureVerifier::new(&key.vkey()).unwrap();
    let Public::MlDsa44(vk) = &verifier.key else {
        panic!("an ML-DSA-44 verifier")
    };
    let s = ml_dsa::Signature::<MlDsa44>::try_from(&sig[..]).unwrap();
    assert!(vk.verify_with_context(&msg, &[], &s));
    assert!(!vk.verify_with_context(b"Hello world!", &[], &s));
    let mut flipped = sig.clone();
    flipped[100] ^= 1;
    let bad = ml_dsa::Signature::<MlDsa44>::try_from(&flipped[..]);
    assert!(bad.map_or(true, |b| !vk.verify_with_context(&msg, &[], &b)));
}

#[test]
fn the_subtree_message_is_laid_out_as_the_specification_says() {
    let hash = Hash(*b"0123456789abcdef0123456789abcdef");
    let m = subtree_message(
        "mirror.test/m1",
        1679315147,
        "example.com/log",
        0,
        20852163,
        &hash,
    )
    .unwrap();
    let mut want = b"subtree/v1\n\x00".to_vec();
    want.push(14);
    want.extend_from_slice(b"mirror.test/m1");
    want.extend_from_slice(&[0, 0, 0, 0, 0x64, 0x18, 0x50, 0xcb]);
    want.push(15);
    want.extend_from_slice(b"example.com/log");
    want.extend_from_slice(&[0; 8]);
    want.extend_from_slice(&[0, 0, 0, 0, 0x01, 0x3e, 0x2d, 0xc3]);
    want.extend_from_slice(&hash.0);
    assert_eq!(m, want);
    assert_eq!(m.len(), 12 + 1 + 14 + 8 + 1 + 15 + 8 + 8 + 32);
    // A subtree not starting at 0 carries timestamp 0; names are 1 to 255 bytes.
    assert!(subtree_message("w", 0, "o", 5, 9, &hash).is_ok());
    assert!(subtree_message("w", 1, "o", 5, 9, &hash).is_err());
    assert!(subtree_message("", 1, "o", 0, 9, &hash).is_err());
    assert!(subtree_message(&"w".repeat(256), 1, "o", 0, 9, &hash).is_err());
}

#[test]
fn key_ids_and_vkeys_follow_the_specification() {
    let seed = [7u8; 32];
    let pq = CosignerKey::ml_dsa_44("witness.example/pq", &seed).unwrap();
    let ed = CosignerKey::new("witness.example/ed", SigningKey::from_bytes(&[8; 32])).unwrap();
    for (key, type_byte, len) in [(&pq, 0x06u8, 1312usize), (&ed, 0x04, 32)] {
        let vkey = key.vkey();
        let parts: Vec<&str> = vkey.splitn(3, '+').collect();
        let raw = B64.decode(parts[2]).unwrap();
        assert_eq!((raw[0], raw.len()), (type_byte, 1 + len));
        let mut h = Sha256::new();
        h.update(key.name().as_bytes());
        h.update(b"\n");
        h.update(&raw);
        let id = h.finalize();
        assert_eq!(parts[1], hex_string(&id[..4]), "{}", key.kind().name());
        let v = CosignatureVerifier::new(&vkey).unwrap();
        assert_eq!(v.kind(), key.kind());
    }
    // A key ID that does not match, or a key of the wrong length, is refused.
    let vkey = pq.vkey();
    let wrong = vkey.replacen(vkey.split('+').nth(1).unwrap(), "00000000", 1);
    assert!(CosignatureVerifier::new(&wrong).is_err());
    let mut raw = vec![0x06u8];
    raw.extend_from_slice(&[1; 1311]);
    assert!(CosignatureVerifier::new(&format!("w+00000000+{}", B64.encode(raw))).is_err());
}

fn hex_string(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn signed(size: u64) -> (LogKey, MerkleTree, SignedCheckpoint) {
    let key = LogKey::from_signing_key(ORIGIN, &SigningKey::from_bytes(&[1; 32])).unwrap();
    let mut tree = MerkleTree::new();
    tree.extend(&(0..size as u8).map(|i| vec![i; 5]).collect::<Vec<_>>());
    let cp = key.sign(ORIGIN, size, tree.root()).unwrap();
    (key, tree, cp)
}

#[test]
fn ml_dsa_44_cosignatures_round_trip_and_bind_the_checkpoint() {
    let (log, tree, cp) = signed(9);
    let pq = CosignerKey::ml_dsa_44("witness.example/pq", &[3; 32]).unwrap();
    let cosigned = pq.cosign_note(cp.note(), 1_750_000_000).unwrap();
    let (back, cosigs) = verify_cosigned(&cosigned, log.vkey(), &[&pq.vkey()]).unwrap();
    assert_eq!((back.size(), back.root()), (9, tree.root()));
    assert_eq!(cosigs[0].timestamp, 1_750_000_000);
    // The signature line: the key ID, then the 8-byte timestamp and the 2420-byte signature.
    let line = pq.cosignature_line(cp.body(), 1_750_000_000);
    let text = std::str::from_utf8(&line).unwrap();
    let b64 = text.trim_end().rsplit(' ').next().unwrap();
    let raw = B64.decode(b64).unwrap();
    assert_eq!(raw.len(), 4 + 8 + 2420);
    assert_eq!(raw[4..12], 1_750_000_000u64.to_be_bytes());
    // The same cosignature on another root of the same size does not verify.
    let other = log.sign(ORIGIN, 9, tree.root_at(8).unwrap()).unwrap();
    let mut forged = other.note().to_vec();
    forged.extend_from_slice(&line);
    assert!(verify_cosigned(&forged, log.vkey(), &[&pq.vkey()]).is_err());
    // Nor under another cosigner name with the same key.
    let renamed = CosignerKey::ml_dsa_44("witness.example/other", &[3; 32]).unwrap();
    assert_ne!(renamed.vkey(), pq.vkey());
    // A receipt cosigned with ML-DSA-44 verifies like an Ed25519 one.
    let receipt = Receipt {
        checkpoint: String::from_utf8(cosigned).unwrap(),
        proof: tree.prove_inclusion(4, 9).unwrap(),
    };
    verify_receipt(&[4; 5], &receipt, log.vkey(), &[&pq.vkey()]).unwrap();
}

#[test]
fn a_witness_cosigns_with_its_ml_dsa_44_key_after_checking_consistency() {
    let (log, tree, cp) = signed(12);
    let pq = CosignerKey::ml_dsa_44("witness.example/pq", &[4; 32]).unwrap();
    let mut witness = Witness::new(pq.clone(), log.vkey(), None).unwrap();
    let first = log.sign(ORIGIN, 5, tree.root_at(5).unwrap()).unwrap();
    witness
        .cosign(first.note(), &tree.prove_consistency(0, 5).unwrap(), 1)
        .unwrap();
    let cosigned = witness
        .cosign(cp.note(), &tree.prove_consistency(5, 12).unwrap(), 2)
        .unwrap();
    let (_, cosigs) = verify_cosigned(&cosigned, log.vkey(), &[&witness.vkey()]).unwrap();
    assert_eq!(cosigs[0].timestamp, 2);
}

#[test]
fn a_policy_accepts_either_kind_where_it_lists_the_key() {
    let (_, _, cp) = signed(6);
    let ed = CosignerKey::new("w-ed.example", SigningKey::from_bytes(&[20; 32])).unwrap();
    let pq = CosignerKey::ml_dsa_44("w-pq.example", &[21; 32]).unwrap();
    // A witness that holds both kinds, listed with both: either counts, once.
    let both_ed = CosignerKey::new("w-both.example", SigningKey::from_bytes(&[22; 32])).unwrap();
    let both_pq = CosignerKey::ml_dsa_44("w-both.example", &[22; 32]).unwrap();
    let policy = WitnessPolicy::new(
        2,
        vec![
            PolicyWitness::new(ed.name(), &ed.vkey()),
            PolicyWitness::new(pq.name(), &pq.vkey()),
            PolicyWitness::new(both_ed.name(), &both_ed.vkey()).with_key(&both_pq.vkey()),
        ],
    )
    .unwrap();
    let by_pq = pq.cosign_note(cp.note(), 5).unwrap();
    let o = policy.evaluate(&by_pq).unwrap();
    assert_eq!(
        (o.cosigned_by.clone(), o.is_final()),
        (vec!["w-pq.example".to_owned()], false)
    );
    let o = policy
        .evaluate(&both_pq.cosign_note(&by_pq, 6).unwrap())
        .unwrap();
    assert_eq!(o.cosigned_by, vec!["w-pq.example", "w-both.example"]);
    assert!(o.is_final());
    // Both keys of one witness count as one witness.
    let twice = both_ed
        .cosign_note(&both_pq.cosign_note(cp.note(), 6).unwrap(), 7)
        .unwrap();
    let o = policy.evaluate(&twice).unwrap();
    assert_eq!(
        (o.cosigned_by.clone(), o.is_final()),
        (vec!["w-both.example".to_owned()], false)
    );
    // A policy that lists only a witness's Ed25519 key does not count its ML-DSA-44 cosignature.
    let ed_only =
        WitnessPolicy::new(1, vec![PolicyWitness::new(both_ed.name(), &both_ed.vkey())]).unwrap();
    let o = ed_only
        .evaluate(&both_pq.cosign_note(cp.note(), 8).unwrap())
        .unwrap();
    assert!(!o.is_final());
    // A second key under another name is refused.
    assert!(
        WitnessPolicy::new(
            1,
            vec![PolicyWitness::new(ed.name(), &ed.vkey()).with_key(&pq.vkey())]
        )
        .is_err()
    );
}
