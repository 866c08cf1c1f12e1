//! Signed-note checkpoints and cosignatures from outside: any bytes are parsed, verified against
//! the log's key and its witness's key, and witnessed, without a panic. A checkpoint that parses
//! parses again to the same value; one the log signed is cosigned by the witness, and the
//! cosigned note verifies with both keys and names the same tree.
#![no_main]

use accord_log::{
    ConsistencyProof, CosignatureVerifier, CosignerKey, LogKey, SignedCheckpoint, Witness,
    parse_vkey, verify_cosigned,
};
use libfuzzer_sys::fuzz_target;

/// The verifier key of the log whose checkpoints seed the corpus (a test key, `accord log keygen`).
const LOG_VKEY: &str = "accord.example/fuzz+47a3aa2c+Ad0QfqCpy/J/c6fYTdbodj9k0QbZqm+6nphWROIJaEZr";
/// The private key of the witness that cosigned the seeds (a test key, `accord log keygen`).
const WITNESS_SKEY: &str =
    "PRIVATE+KEY+fuzz-witness+70b06ea9+AUVYUppgGAsX09NtKvPaFOD5jHf7rLYW+ZagmVxhdJc/";
/// The witness's `cosignature/v1` verifier key.
const WITNESS_VKEY: &str = "fuzz-witness+5feda57d+BCTRmoFxlYr+p+NpsDI2Y5c39wBT/pf+KhwWmulpavgr";

fuzz_target!(|data: &[u8]| {
    // Key strings arrive from trust files and command lines: each line is tried as every kind.
    if let Ok(text) = std::str::from_utf8(data) {
        for line in text.lines().take(8) {
            let _ = parse_vkey(line);
            let _ = CosignatureVerifier::new(line);
            let _ = LogKey::from_skey(line);
        }
    }
    if let Ok(cp) = SignedCheckpoint::parse(data) {
        assert_eq!(cp.note(), data);
        let again = SignedCheckpoint::parse(cp.note()).expect("a parsed note parses again");
        assert_eq!(cp, again);
        assert!(
            data.starts_with(cp.body()),
            "the body is not the start of the note"
        );
    }
    let _ = verify_cosigned(data, LOG_VKEY, &[WITNESS_VKEY]);
    let Ok(cp) = SignedCheckpoint::verify(data, LOG_VKEY) else {
        return;
    };
    let key = LogKey::from_skey(WITNESS_SKEY).expect("the witness key parses");
    let key = CosignerKey::from_log_key(&key).expect("the witness key is a cosigner key");
    assert_eq!(key.vkey(), WITNESS_VKEY);
    let mut witness = Witness::new(key, LOG_VKEY, None).expect("a witness");
    let first = ConsistencyProof {
        old_size: 0,
        new_size: cp.size(),
        hashes: Vec::new(),
    };
    let Ok(cosigned) = witness.cosign(data, &first, 1_700_000_000) else {
        return;
    };
    let (checked, cosignatures) = verify_cosigned(&cosigned, LOG_VKEY, &[WITNESS_VKEY])
        .expect("a note the witness cosigned verifies");
    assert_eq!(
        (checked.origin(), checked.size(), checked.root()),
        (cp.origin(), cp.size(), cp.root())
    );
    assert!(
        cosignatures
            .iter()
            .any(|c| c.cosigner == "fuzz-witness" && c.timestamp == 1_700_000_000),
        "the witness's cosignature is missing: {cosignatures:?}"
    );
    // Witnessing the same checkpoint again is not equivocation.
    witness
        .cosign(data, &first, 1_700_000_001)
        .expect("the same checkpoint is cosigned twice");
});
