//! Open-source reports, headed text, plain text or HTML, however malformed or hostile: ingestion,
//! claim extraction, copy detection and observations never panic; every claim's span is the
//! claim's text in the body, and every observation made is a valid record.
#![no_main]

use accord_osint::{Fingerprint, extract_claims, group_copies, observations, parse_report};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(report) = parse_report("fuzz", text) else {
        return;
    };
    for claim in extract_claims(&report) {
        let (start, end) = claim.span;
        assert_eq!(
            report.body.get(start..end),
            Some(claim.text.as_str()),
            "a claim's span is not its text"
        );
        assert!(claim.quantity.is_finite() && claim.quantity >= 0.0);
    }
    let _ = Fingerprint::of(&report);
    // Copy detection and observations over the report and a verbatim copy of it.
    let mut twin = report.clone();
    twin.id = "fuzz-twin".into();
    let copies = group_copies(&[report.clone(), twin.clone()]);
    assert_eq!(copies.group_of.len(), 2);
    let set = observations(&[report, twin]);
    for record in &set.records {
        record
            .validate()
            .expect("an observation made from a report is a valid record");
    }
});
