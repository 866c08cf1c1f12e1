//! Agreement files: any text is loaded against the built-in vocabulary without a panic, and a
//! file that loads describes every provision and loads again to the same agreement.
#![no_main]

use accord_agreements::{Vocabulary, describe, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let vocabulary = Vocabulary::builtin();
    let Ok(agreement) = parse(text, "fuzz.toml", vocabulary) else {
        return;
    };
    for provision in &agreement.provisions {
        let _ = describe(&agreement, provision);
        let _ = provision.body.kind();
    }
    for change in &agreement.history {
        let _ = agreement.status_at(change.date);
        let _ = agreement.in_force_at(change.date);
    }
    let _ = agreement.entry_into_force();
    // Loading is a function of the text: a second load gives the same agreement.
    let again = parse(text, "fuzz.toml", vocabulary).expect("the same text loads twice");
    let first = serde_json::to_string(&agreement).expect("agreements serialise");
    let second = serde_json::to_string(&again).expect("agreements serialise");
    assert_eq!(first, second, "two loads of one text differ");
});
