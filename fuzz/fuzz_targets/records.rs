//! Records as JSON Lines: any text is read into records and folded into a state without a panic;
//! every record read survives a round trip through its canonical JSON, and the state answers its
//! queries for every party and instant the records name.
#![no_main]

use accord_model::envelope::Envelope;
use accord_model::{Date, Instant, Record};
use accord_state::{State, date_of, end_of, parse_jsonl, start_of};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Signed envelopes travel as JSON too: what parses writes back to what parses the same.
    for line in text.lines() {
        if let Ok(envelope) = Envelope::from_json(line.as_bytes()) {
            let again = Envelope::from_json(&envelope.to_json()).expect("envelope round trip");
            assert_eq!(envelope, again);
        }
    }
    let Ok(records) = parse_jsonl(text, "fuzz.jsonl") else {
        return;
    };
    for (_, record) in &records {
        let _ = record.validate();
        let _ = record.body.kind();
        let canonical = record.to_canonical_json();
        let again: Record = serde_json::from_slice(&canonical).expect("canonical JSON reads back");
        assert_eq!(record, &again, "record changed through its canonical JSON");
        assert_eq!(
            canonical,
            again.to_canonical_json(),
            "canonical JSON is not stable"
        );
    }
    let mut state = State::new();
    let mut accepted = 0;
    for (_, record) in records {
        let id = record.id.clone();
        if state.append(record).is_ok() {
            accepted += 1;
            assert!(
                state.get(&id).is_some(),
                "an accepted record is not found by its id"
            );
        }
        // A refused record never loses the ones already accepted.
        assert_eq!(state.len(), accepted);
    }
    query(&state);
});

/// Asks the state every question the engine asks, for every party and instant in it.
fn query(state: &State) {
    let instants: Vec<Instant> = state
        .records()
        .iter()
        .map(|r| r.issued_at)
        .chain([Instant::MIN, Instant::MAX])
        .collect();
    let (first, last) = (Date::MIN, Date::MAX);
    for party in state.active_parties() {
        for &at in &instants {
            let _ = state.holdings(party, at);
            let _ = state.activities(party, first, last, at);
            let _ = state.observations(party, first, last, at);
            let _ = state.requests_to(party, at);
            for year in state.activity_years(party) {
                let _ = state.calendars(party, year, at);
            }
        }
    }
    for party in state.inspected_parties() {
        let _ = state.inspection_years(party);
        let _ = state.inspections_of(party, first, last, Instant::MAX);
    }
    for record in state.records() {
        // An instant lies within the bounds of its own day.
        let at = record.issued_at;
        let day = date_of(at);
        assert!(
            start_of(day) <= at && at <= end_of(day),
            "{at} outside its day {day}"
        );
        let _ = state.acknowledgements(&record.id, Instant::MAX);
        let _ = state.position(&record.id);
    }
}
