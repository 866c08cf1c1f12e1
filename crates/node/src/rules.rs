//! The rules a record must follow to enter a log, beyond its own schema: the parties it names
//! must be parties of the exchange, hotline channels are numbered without gaps, nothing is
//! issued in the future, and observations come from open-source parties, which publish nothing
//! else.

use std::collections::{BTreeSet, HashMap};

use accord_model::{Instant, PartyId, Record, RecordBody};

use crate::NodeError;

/// How far in the future of the receiver's clock a record may be issued (clock skew allowed).
pub const MAX_CLOCK_SKEW_SECONDS: i64 = 600;

/// The context a batch of one author's records is checked in.
#[derive(Debug)]
pub struct RuleContext<'a> {
    /// Every party of the exchange (the node's own and the trusted ones).
    pub parties: &'a BTreeSet<PartyId>,
    /// The parties the trust file marks as open-source parties (`role = "open-sources"`).
    pub open_sources: &'a BTreeSet<PartyId>,
    /// The instant of checking.
    pub now: Instant,
    /// The next hotline sequence number per recipient, seeded from the log and advanced as the
    /// batch is checked.
    pub next_seq: HashMap<String, u64>,
}

/// Checks one record of a batch; `last_seq` looks up the last hotline sequence number the author
/// used towards a recipient in the log so far.
pub fn check(
    ctx: &mut RuleContext<'_>,
    record: &Record,
    last_seq: impl Fn(&str) -> Result<u64, NodeError>,
) -> Result<(), NodeError> {
    let rule = |reason: String| NodeError::Rule(format!("record {}: {reason}", record.id));
    let limit = ctx.now + jiff::SignedDuration::from_secs(MAX_CLOCK_SKEW_SECONDS);
    if record.issued_at > limit {
        return Err(rule(format!(
            "issued at {} which is in the future (now {})",
            record.issued_at, ctx.now
        )));
    }
    let open_source = ctx.open_sources.contains(&record.party);
    let observation = matches!(record.body, RecordBody::Observation(_));
    if open_source && !observation {
        return Err(rule(format!(
            "{} is an open-source party (role \"open-sources\" in the trust file): it publishes \
             observations only, not a record of kind {}",
            record.party,
            record.body.kind()
        )));
    }
    if observation && !open_source {
        return Err(rule(format!(
            "{} is a State party, and only open-source parties (role \"open-sources\" in the \
             trust file) publish observations",
            record.party
        )));
    }
    let named = |field: &str, p: &PartyId| -> Result<(), NodeError> {
        if !ctx.parties.contains(p) {
            return Err(rule(format!(
                "field `{field}` names party {p}, which is not a party of this exchange"
            )));
        }
        if ctx.open_sources.contains(p) {
            return Err(rule(format!(
                "field `{field}` names {p}, an open-source party, which takes part in no \
                 exchange but publishing observations"
            )));
        }
        if *p == record.party {
            return Err(rule(format!("field `{field}` names the author {p} itself")));
        }
        Ok(())
    };
    match &record.body {
        RecordBody::HotlineMessage(m) => {
            named("body.to", &m.to)?;
            let next = match ctx.next_seq.get(m.to.as_str()) {
                Some(n) => *n,
                None => last_seq(m.to.as_str())? + 1,
            };
            if m.seq != next {
                return Err(rule(format!(
                    "field `body.seq` is {} but the next message to {} must carry {next}",
                    m.seq, m.to
                )));
            }
            ctx.next_seq.insert(m.to.as_str().to_owned(), next + 1);
        }
        RecordBody::HotlineReceipt(r) => {
            if let Some(from) = &r.from {
                named("body.from", from)?;
            }
        }
        RecordBody::ExplanationRequest(r) => named("body.to", &r.to)?,
        RecordBody::InspectionRequest(r) => named("body.inspected", &r.inspected)?,
        _ => {}
    }
    Ok(())
}
