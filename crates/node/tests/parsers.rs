//! What a node reads from outside, fed bad input: public keys and the trust file. Each is
//! refused with an error saying what is wrong, never a panic and never taken as valid. Signed
//! notes from peers are parsed by accord-log-core, whose refusals crates/log/tests/log.rs tests.

use accord_node::NodeError;
use accord_node::keys::{Trust, parse_public_key};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::SigningKey;

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
