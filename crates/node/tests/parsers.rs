//! What a node reads from outside, fed bad input: signed notes (checkpoints and receipts from
//! peers), public keys and the trust file. Each is refused with an error saying what is wrong,
//! never a panic and never taken as valid.

use accord_node::NodeError;
use accord_node::keys::{Trust, parse_public_key};
use accord_node::note::{Note, checkpoint_body};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::SigningKey;

/// A note signed by the log and cosigned by a witness, as a peer would send it.
fn signed() -> (String, SigningKey, SigningKey) {
    let log = SigningKey::from_bytes(&[7; 32]);
    let witness = SigningKey::from_bytes(&[8; 32]);
    let mut note = Note {
        body: checkpoint_body("accord/log/US", 3, &[5; 32]),
        sigs: vec![],
    };
    note.sign("accord/log/US", &log);
    note.cosign("accord/witness/RU", &witness, 1_700_000_000);
    (note.to_text(), log, witness)
}

fn bad_note(text: &str) -> String {
    match Note::parse(text) {
        Err(NodeError::BadNote(why)) => why,
        other => panic!("{text:?} should be a bad note, got {other:?}"),
    }
}

#[test]
fn notes_that_do_not_parse_say_why() {
    let (text, _, _) = signed();
    assert_eq!(bad_note(""), "no blank line before signatures");
    assert_eq!(
        bad_note("accord/log/US\n3\nroot\n"),
        "no blank line before signatures"
    );
    let hyphen = text.replacen("\u{2014} accord/log/US", "- accord/log/US", 1);
    assert!(
        bad_note(&hyphen).contains("does not start with an em dash"),
        "{hyphen}"
    );
    let unsigned = text.replacen("\u{2014} accord/log/US ", "\u{2014} accord/log/US", 1);
    assert!(bad_note(&unsigned).contains("has no signature"));
    let garbled = text.replacen("\u{2014} accord/log/US ", "\u{2014} accord/log/US !!", 1);
    assert!(
        bad_note(&garbled).starts_with("signature of accord/log/US is not base64"),
        "{}",
        bad_note(&garbled)
    );
}

#[test]
fn a_checkpoint_body_that_is_not_origin_size_and_root_is_refused() {
    let body = |b: &str| Note {
        body: b.to_owned(),
        sigs: vec![],
    };
    let why = |b: &str| match body(b).checkpoint() {
        Err(NodeError::BadNote(why)) => why,
        other => panic!("{b:?} should not be a checkpoint, got {other:?}"),
    };
    assert_eq!(why(""), "checkpoint without origin");
    assert_eq!(why("accord/log/US\n"), "checkpoint size is not a number");
    assert_eq!(
        why("accord/log/US\n-1\nAAAA\n"),
        "checkpoint size is not a number"
    );
    let root = B64.encode([1u8; 32]);
    assert_eq!(
        why("accord/log/US\n3\n"),
        "checkpoint root is not 32 bytes of base64"
    );
    let short = B64.encode([1u8; 31]);
    assert_eq!(
        why(&format!("accord/log/US\n3\n{short}\n")),
        "checkpoint root is not 32 bytes of base64"
    );
    let cp = body(&format!("accord/log/US\n3\n{root}\n"))
        .checkpoint()
        .unwrap();
    assert_eq!(
        (cp.origin.as_str(), cp.size, cp.root),
        ("accord/log/US", 3, [1u8; 32])
    );
}

#[test]
fn signatures_of_the_wrong_shape_name_or_key_do_not_verify() {
    let (text, log, witness) = signed();
    let note = Note::parse(&text).unwrap();
    assert!(note.verify("accord/log/US", &log.verifying_key()));
    assert!(note.verify_cosignature("accord/witness/RU", &witness.verifying_key()));
    // Another name, another key, or a cosignature taken for the log's own signature.
    assert!(!note.verify("accord/log/RU", &log.verifying_key()));
    assert!(!note.verify("accord/log/US", &witness.verifying_key()));
    assert!(!note.verify("accord/witness/RU", &witness.verifying_key()));
    assert!(!note.verify_cosignature("accord/log/US", &log.verifying_key()));
    // Signature bytes cut short or lengthened: the key hash still matches, the shape does not.
    for cut in [0usize, 4, 12, 67] {
        let mut n = note.clone();
        for (_, b) in n.sigs.iter_mut() {
            b.truncate(cut);
        }
        let reparsed = Note::parse(&n.to_text()).unwrap();
        assert!(
            !reparsed.verify("accord/log/US", &log.verifying_key()),
            "{cut}"
        );
        assert!(
            !reparsed.verify_cosignature("accord/witness/RU", &witness.verifying_key()),
            "{cut}"
        );
    }
    let mut cosig_short = note.clone();
    cosig_short.sigs[1].1.truncate(75);
    assert!(!cosig_short.verify_cosignature("accord/witness/RU", &witness.verifying_key()));
    assert!(cosig_short.verify("accord/log/US", &log.verifying_key()));
    let mut long = note.clone();
    for (_, b) in long.sigs.iter_mut() {
        b.push(0);
    }
    assert!(!long.verify("accord/log/US", &log.verifying_key()));
    assert!(!long.verify_cosignature("accord/witness/RU", &witness.verifying_key()));
    // One flipped bit in the log's signature.
    let mut flipped = note.clone();
    flipped.sigs[0].1[10] ^= 1;
    assert!(!flipped.verify("accord/log/US", &log.verifying_key()));
}

#[test]
fn public_keys_must_be_base64_of_32_bytes_of_a_curve_point() {
    let key = SigningKey::from_bytes(&[9; 32]).verifying_key();
    let text = B64.encode(key.as_bytes());
    assert_eq!(parse_public_key(&text), Some(key));
    assert_eq!(parse_public_key(&format!("  {text}\n")), Some(key));
    assert_eq!(parse_public_key(""), None);
    assert_eq!(parse_public_key("not base64!"), None);
    assert_eq!(parse_public_key(&B64.encode([9u8; 31])), None);
    assert_eq!(parse_public_key(&B64.encode([9u8; 33])), None);
    assert_eq!(parse_public_key(&format!("{text}{text}")), None);
}

#[test]
fn a_trust_file_with_a_bad_key_or_party_is_refused_naming_the_file_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(dir.path().join("trust.toml"), text).unwrap();
    let reason = || match Trust::load(dir.path()) {
        Err(NodeError::Config { file, reason }) => {
            assert_eq!(file, dir.path().join("trust.toml"));
            reason
        }
        other => panic!("should be refused, got {other:?}"),
    };
    write("[parties.RU]\nkey = \"AAAA\"\n");
    assert_eq!(
        reason(),
        "parties.RU.key is not base64 of a 32-byte Ed25519 public key"
    );
    let key = B64.encode(SigningKey::from_bytes(&[9; 32]).verifying_key().as_bytes());
    write(&format!("[parties.\"../x\"]\nkey = \"{key}\"\n"));
    assert!(reason().starts_with("parties.../x: "), "{}", reason());
    write(&format!("[parties.RU]\nkey = \"{key}\"\nextra = 1\n"));
    assert!(reason().contains("extra"), "{}", reason());
    write("[parties.RU\n");
    assert!(!reason().is_empty());
    // A good file loads, and a missing one trusts no one.
    write(&format!("[parties.RU]\nkey = \"{key}\"\n"));
    let trust = Trust::load(dir.path()).unwrap();
    assert_eq!(trust.key("RU").map(|k| B64.encode(k.as_bytes())), Some(key));
    std::fs::remove_file(dir.path().join("trust.toml")).unwrap();
    assert!(Trust::load(dir.path()).unwrap().key("RU").is_none());
}
