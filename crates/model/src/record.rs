//! Records: everything a party says, as typed payloads that are signed and logged.

use serde::{Deserialize, Serialize};

use crate::{AgreementId, Category, Date, Instant, PartyId, ProvisionId, RecordId, SiteId, ZoneId};

/// The DSSE payload type of an accord record in format 1 (the first format, which names no
/// version; later formats append `; version=N`).
pub const RECORD_PAYLOAD_TYPE: &str = "application/vnd.accord.record+json";

/// The record format this build writes.
pub const RECORD_FORMAT: u32 = 1;

/// The record formats this build reads: every format ever written, so that records already
/// logged and signed keep parsing after the format changes.
pub const RECORD_FORMATS_READ: std::ops::RangeInclusive<u32> = 1..=RECORD_FORMAT;

/// The DSSE payload type that names record format `format`.
pub fn record_payload_type(format: u32) -> String {
    if format == 1 {
        RECORD_PAYLOAD_TYPE.to_owned()
    } else {
        format!("{RECORD_PAYLOAD_TYPE}; version={format}")
    }
}

/// The record format a DSSE payload type names, if it names one (any version, read or not).
pub fn record_format(payload_type: &str) -> Option<u32> {
    let rest = payload_type.strip_prefix(RECORD_PAYLOAD_TYPE)?;
    if rest.is_empty() {
        return Some(1);
    }
    let version = rest.strip_prefix("; version=")?;
    if version.starts_with('0') || !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    version.parse().ok().filter(|v| *v > 1)
}

/// Parses a record payload written in `format` (one of [`RECORD_FORMATS_READ`]).
pub fn decode_record(format: u32, payload: &[u8]) -> Result<Record, String> {
    match format {
        1 => serde_json::from_slice(payload).map_err(|e| e.to_string()),
        other => Err(format!(
            "record format {other} is not one this build reads ({}..={})",
            RECORD_FORMATS_READ.start(),
            RECORD_FORMATS_READ.end()
        )),
    }
}

/// One statement by one party: the unit that is signed, logged, mirrored and cosigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Unique across all parties' logs by convention (prefix with the party).
    pub id: RecordId,
    /// The author, whose key signs the record.
    pub party: PartyId,
    /// When the author issued the record.
    pub issued_at: Instant,
    /// What the record says.
    pub body: RecordBody,
}

/// What a record says, tagged by `type` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum RecordBody {
    /// Holdings of limited items as of a date (a data exchange).
    Declaration(Declaration),
    /// Prior notification of a military activity.
    Notification(Notification),
    /// An annual calendar of planned notifiable activities.
    AnnualCalendar(AnnualCalendar),
    /// Acknowledgement that another record was received.
    Acknowledgement(Acknowledgement),
    /// A request for explanation of unusual military activity.
    ExplanationRequest(ExplanationRequest),
    /// A reply to a request for explanation.
    ExplanationReply(ExplanationReply),
    /// A request to inspect or visit.
    InspectionRequest(InspectionRequest),
    /// What an inspection or visit found.
    InspectionReport(InspectionReport),
    /// A quantified claim from an open source.
    Observation(Observation),
    /// The escrow root of a whole declaration.
    DeclarationCommitment(DeclarationCommitment),
    /// A step-by-step reveal of escrowed entries.
    Reveal(Reveal),
    /// A zero-knowledge proof that committed totals respect a limit.
    LimitProof(LimitProofRecord),
    /// A commitment to a random seed for fair inspection selection.
    SeedCommit(SeedCommit),
    /// The reveal of a committed seed.
    SeedReveal(SeedReveal),
    /// An urgent message on the hotline.
    HotlineMessage(HotlineMessage),
    /// Delivery or read receipt for a hotline message.
    HotlineReceipt(HotlineReceipt),
    /// Notice of an event an agreement requires to be notified (a change in data, a launch).
    EventNotice(EventNotice),
    /// A party's refusal of inspections, of one request or of all for a time.
    InspectionRefusal(InspectionRefusal),
    /// Measures a party declares it takes in response to another party's breach.
    Countermeasure(Countermeasure),
    /// A request for a meeting after a request for explanation (a risk-reduction step).
    MeetingRequest(MeetingRequest),
    /// A meeting held under a risk-reduction mechanism, with who attended.
    Meeting(Meeting),
    /// A public statement that is not a notification under an agreement: voluntary
    /// information, a decision, a forecast or assessment, a host state's consent.
    Statement(Statement),
}

impl RecordBody {
    /// The JSON tag of this body, such as `"declaration"`.
    pub fn kind(&self) -> &'static str {
        match self {
            RecordBody::Declaration(_) => "declaration",
            RecordBody::Notification(_) => "notification",
            RecordBody::AnnualCalendar(_) => "annual_calendar",
            RecordBody::Acknowledgement(_) => "acknowledgement",
            RecordBody::ExplanationRequest(_) => "explanation_request",
            RecordBody::ExplanationReply(_) => "explanation_reply",
            RecordBody::InspectionRequest(_) => "inspection_request",
            RecordBody::InspectionReport(_) => "inspection_report",
            RecordBody::Observation(_) => "observation",
            RecordBody::DeclarationCommitment(_) => "declaration_commitment",
            RecordBody::Reveal(_) => "reveal",
            RecordBody::LimitProof(_) => "limit_proof",
            RecordBody::SeedCommit(_) => "seed_commit",
            RecordBody::SeedReveal(_) => "seed_reveal",
            RecordBody::HotlineMessage(_) => "hotline_message",
            RecordBody::HotlineReceipt(_) => "hotline_receipt",
            RecordBody::EventNotice(_) => "event_notice",
            RecordBody::InspectionRefusal(_) => "inspection_refusal",
            RecordBody::Countermeasure(_) => "countermeasure",
            RecordBody::MeetingRequest(_) => "meeting_request",
            RecordBody::Meeting(_) => "meeting",
            RecordBody::Statement(_) => "statement",
        }
    }
}

/// A record whose content contradicts itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("record {record}: field `{field}`: {reason}")]
pub struct RecordError {
    /// The offending record.
    pub record: RecordId,
    /// The field at fault, as a dotted path.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

impl Record {
    /// Checks the rules a record must satisfy on its own, independent of any agreement.
    pub fn validate(&self) -> Result<(), RecordError> {
        let err = |field: &str, reason: String| RecordError {
            record: self.id.clone(),
            field: field.to_owned(),
            reason,
        };
        match &self.body {
            RecordBody::Notification(n) => n
                .activity
                .validate()
                .map_err(|(f, r)| err(&format!("body.activity.{f}"), r)),
            RecordBody::AnnualCalendar(c) => {
                for (i, a) in c.activities.iter().enumerate() {
                    a.validate()
                        .map_err(|(f, r)| err(&format!("body.activities[{i}].{f}"), r))?;
                }
                Ok(())
            }
            RecordBody::Observation(o) => {
                if let Qualifier::Range { high } = o.qualifier
                    && high < o.quantity
                {
                    return Err(err(
                        "body.qualifier.high",
                        format!("range ends at {high}, below its start {}", o.quantity),
                    ));
                }
                Ok(())
            }
            RecordBody::HotlineMessage(m) if m.text.trim().is_empty() => Err(err(
                "body.text",
                "a hotline message must not be empty".into(),
            )),
            // Texts are kept as text by every store, and a database's text holds no NUL.
            RecordBody::HotlineMessage(m) if m.text.contains('\0') => Err(err(
                "body.text",
                format!(
                    "a hotline message must not contain the NUL character (U+0000, at byte {})",
                    m.text.find('\0').unwrap_or_default()
                ),
            )),
            RecordBody::Countermeasure(c) if c.provisions.is_empty() => Err(err(
                "body.provisions",
                "a countermeasure must name the provisions it withholds".into(),
            )),
            RecordBody::InspectionRefusal(r) => match r.until {
                Some(until) if until < r.from => Err(err(
                    "body.until",
                    format!("the refusal ends {until}, before it starts {}", r.from),
                )),
                _ => Ok(()),
            },
            RecordBody::Meeting(m) => match m.present.iter().find(|p| m.absent.contains(p)) {
                Some(p) => Err(err(
                    "body.absent",
                    format!("{p} is listed both as present and as absent"),
                )),
                None => Ok(()),
            },
            RecordBody::Statement(s) => match &s.activity {
                Some(a) => a
                    .validate()
                    .map_err(|(f, r)| err(&format!("body.activity.{f}"), r)),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// The canonical bytes of the record: compact JSON in declaration order of fields.
    pub fn to_canonical_json(&self) -> Vec<u8> {
        // Serialising plain structs and enums cannot fail: every map key is a string.
        serde_json::to_vec(self).expect("records serialise to JSON")
    }
}

/// Whether an item counts as deployed or not, as treaties distinguish them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum HoldingStatus {
    /// Deployed (on a launcher, at an operational base).
    Deployed,
    /// Non-deployed (in storage, test, training, repair).
    NonDeployed,
}

/// A count of items of one category and status at one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    /// The site; `None` for a national aggregate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<SiteId>,
    /// What is counted.
    pub category: Category,
    /// Deployed or non-deployed.
    pub status: HoldingStatus,
    /// How many.
    pub count: u64,
    /// How the figure was worked out, when it was derived from published figures rather than
    /// published itself ("1,499 published for 2012-09-01 minus the 19 reported since").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<String>,
}

/// A declaration of holdings as of a date, under one agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// The agreement the declaration is made under.
    pub agreement: AgreementId,
    /// The date the figures hold for.
    pub as_of: Date,
    /// The holdings; a later declaration by the same party replaces an earlier one.
    pub holdings: Vec<Holding>,
    /// Where the figures were published, if they come from a public source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How the figures reached the record: exchanged under the agreement (the default), or
    /// only published by the party, outside the agreement's channel.
    #[serde(default, skip_serializing_if = "Channel::is_exchanged")]
    pub channel: Channel,
}

/// How a declaration's figures were given.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Exchanged with the other parties as the agreement provides.
    #[default]
    Exchanged,
    /// Published by the party without being exchanged (withheld from the other party).
    PublishedOnly,
}

impl Channel {
    /// Whether the figures were exchanged under the agreement.
    pub fn is_exchanged(&self) -> bool {
        *self == Channel::Exchanged
    }
}

/// The kind of military activity.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// An exercise.
    Exercise,
    /// A concentration of forces.
    Concentration,
    /// A transfer of forces into an area.
    Transfer,
    /// An exercise called at no notice (snap exercise).
    AlertActivity,
    /// A deployment of forces or systems.
    Deployment,
}

/// Where something happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// The zone, when it is one that agreements name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<ZoneId>,
    /// A description of the place in words.
    pub description: String,
}

/// A number of forces or items of one category taking part in an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForceCount {
    /// What is counted ("troops", "battle_tanks", ...).
    pub category: Category,
    /// How many.
    pub count: u64,
}

/// A military activity as notified or planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// The activity's name ("Union Resolve 2022").
    pub name: String,
    /// What kind of activity.
    pub kind: ActivityKind,
    /// First day.
    pub start: Date,
    /// Last day (inclusive).
    pub end: Date,
    /// Where.
    pub area: Area,
    /// Forces taking part, by category.
    pub forces: Vec<ForceCount>,
    /// States taking part besides the notifying one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<PartyId>,
}

impl Activity {
    fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.end < self.start {
            return Err((
                "end",
                format!("ends {} before it starts {}", self.end, self.start),
            ));
        }
        Ok(())
    }
}

/// Prior notification of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// The agreement that requires the notification.
    pub agreement: AgreementId,
    /// The activity notified.
    pub activity: Activity,
}

/// A calendar of the notifiable activities a party plans for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnualCalendar {
    /// The agreement that requires the calendar.
    pub agreement: AgreementId,
    /// The calendar year covered.
    pub year: i16,
    /// The planned activities.
    pub activities: Vec<Activity>,
}

/// Acknowledgement that a record was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The record acknowledged.
    pub of: RecordId,
}

/// A request for explanation of an unusual military activity (a risk-reduction step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExplanationRequest {
    /// The agreement invoked.
    pub agreement: AgreementId,
    /// The provision invoked.
    pub provision: ProvisionId,
    /// The party asked to explain.
    pub to: PartyId,
    /// Where the activity of concern takes place.
    pub area: Area,
    /// The question, in words.
    pub text: String,
}

/// A reply to a request for explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExplanationReply {
    /// The request answered.
    pub request: RecordId,
    /// The reply, in words.
    pub text: String,
}

/// A request for an inspection or a transparency visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionRequest {
    /// The agreement that grants the inspection.
    pub agreement: AgreementId,
    /// The quota provision it counts against.
    pub provision: ProvisionId,
    /// The party to be inspected.
    pub inspected: PartyId,
    /// The site, when chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<SiteId>,
    /// The area, for area inspections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
    /// The seed-reveal record the site was drawn with, for fair selection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<RecordId>,
    /// The requested date.
    pub date: Date,
}

/// A count made by inspectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionFinding {
    /// What was counted.
    pub category: Category,
    /// Deployed or non-deployed.
    pub status: HoldingStatus,
    /// How many were found.
    pub counted: u64,
}

/// The report of an inspection or visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionReport {
    /// The request this inspection answered.
    pub request: RecordId,
    /// The site inspected.
    pub site: SiteId,
    /// The day of the inspection.
    pub date: Date,
    /// What was counted, by category.
    pub counts: Vec<InspectionFinding>,
    /// Remarks in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remarks: String,
}

/// How a quantity in an open source is qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Qualifier {
    /// The figure as given.
    Exactly,
    /// "more than", "over".
    MoreThan,
    /// "at least".
    AtLeast,
    /// "about", "some", "nearly".
    About,
    /// "up to", "as many as".
    UpTo,
    /// "from X to Y": the quantity is the low end, `high` the high end.
    Range {
        /// The high end of the range.
        high: u64,
    },
}

/// Where an open-source claim comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The address of the report.
    pub url: String,
    /// The outlet that published it.
    pub outlet: String,
    /// The report's title.
    pub title: String,
    /// The publication date.
    pub published: Date,
}

/// Who a claim is attributed to ("US officials", "Blinken").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    /// The speaker, as the report names them.
    pub who: String,
    /// Whether the speaker is an official of a state or organisation.
    pub official: bool,
}

/// How much an observation can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Confidence {
    /// How many independent groups of reports carry the claim (copies count once).
    pub independent_sources: u32,
    /// How many of those attribute it to an official.
    pub official_sources: u32,
    /// An overall score from 0 to 100.
    pub score: u8,
}

/// A quantified military claim taken from an open source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// The report the claim comes from (the earliest, when copies exist).
    pub source: Source,
    /// Whose forces the claim is about.
    pub actor: PartyId,
    /// What is counted.
    pub category: Category,
    /// How many (the low end, for a range).
    pub quantity: u64,
    /// How the figure is qualified.
    pub qualifier: Qualifier,
    /// Where.
    pub area: Area,
    /// The day the claim refers to.
    pub date: Date,
    /// Who is quoted, if anyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
    /// The exact text of the claim in the report.
    pub text: String,
    /// How far the claim is corroborated.
    pub confidence: Confidence,
}

/// The escrow root of a declaration: the only part published up front.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationCommitment {
    /// The agreement the declaration is made under.
    pub agreement: AgreementId,
    /// The date the declaration holds for.
    pub as_of: Date,
    /// Hex SHA-256 Merkle root over the salted entries.
    pub root: String,
    /// How many entries sit under the root.
    pub entries: u64,
    /// Base64 of the per-entry Pedersen commitments and their range proofs, as the escrow
    /// encodes them (docs/inspections.md gives the format and its version).
    pub counts: String,
}

/// A step-by-step reveal of escrowed entries with their inclusion proofs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reveal {
    /// The commitment record revealed against.
    pub commitment: RecordId,
    /// The phase of the agreement's schedule this reveal belongs to.
    pub phase: String,
    /// Base64 of the revealed entries, salts and proofs, as the escrow encodes them.
    pub entries: String,
}

/// A zero-knowledge proof that committed totals respect a limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitProofRecord {
    /// The agreement whose limit is proven.
    pub agreement: AgreementId,
    /// The limit provision.
    pub provision: ProvisionId,
    /// The commitment record the proof is over.
    pub commitment: RecordId,
    /// The date the proof holds for.
    pub as_of: Date,
    /// Base64 of the proof, as the escrow encodes it.
    pub proof: String,
}

/// A log entry's receipt: a checkpoint of the log that holds the entry, with the cosignatures
/// of the parties that had seen it, and the entry's inclusion proof against that checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogReceipt {
    /// The checkpoint as a C2SP signed note: the log's signature and the cosignatures.
    pub checkpoint: String,
    /// The RFC 6962 inclusion proof of the entry in that checkpoint's tree.
    pub proof: ReceiptProof,
}

/// An inclusion proof as a receipt carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptProof {
    /// The entry's index in the log.
    pub index: u64,
    /// The size of the checkpoint's tree.
    pub size: u64,
    /// The audit path, leaf to root, each hash base64.
    pub hashes: Vec<String>,
}

/// A commitment to a random seed for one selection round, drawn from one declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeedCommit {
    /// The selection round this seed is for.
    pub round: String,
    /// The `declaration_commitment` record the round draws sites from.
    pub commitment: RecordId,
    /// Hex of that declaration's escrow root.
    pub root: String,
    /// Hex SHA-256 of the seed, domain-separated and bound to the round, the committing party,
    /// the declaration record and its root (docs/inspections.md gives the bytes).
    pub digest: String,
    /// The declaration record in a checkpoint of its author's log cosigned by every other
    /// party of the round: the declaration was fixed before this seed was committed.
    pub declaration: LogReceipt,
}

/// The reveal of a committed seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeedReveal {
    /// The selection round.
    pub round: String,
    /// The revealer's own `seed_commit` record.
    pub commit: RecordId,
    /// The seed, hex.
    pub seed: String,
    /// Every other party's seed commit as the revealer saw it before revealing: in a
    /// checkpoint of that party's log cosigned by the revealer.
    pub seen: Vec<SeenCommit>,
}

/// Another party's seed commit that a revealer had cosigned before revealing its own seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeenCommit {
    /// The other party's `seed_commit` record.
    pub commit: RecordId,
    /// Its receipt, cosigned by the revealer.
    pub receipt: LogReceipt,
}

/// An urgent message between parties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HotlineMessage {
    /// The recipient.
    pub to: PartyId,
    /// The sender's sequence number on this channel, from 1, for in-order delivery.
    pub seq: u64,
    /// The message.
    pub text: String,
}

/// Which hotline receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HotlineReceiptKind {
    /// The message reached the recipient's node.
    Delivered,
    /// A person at the recipient read the message.
    Read,
}

/// A delivery or read receipt for a hotline message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HotlineReceipt {
    /// The message acknowledged.
    pub message: RecordId,
    /// The message's sender, so that the message is named by (sender, id); absent in receipts
    /// written before record ids were matched by party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<PartyId>,
    /// Delivered or read.
    pub kind: HotlineReceiptKind,
}

/// What kind of event an event notice reports.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A change in the data of a data exchange (an item moved, lost, converted, eliminated).
    ChangeInData,
    /// The conversion of an item to another use or category.
    Conversion,
    /// The elimination of an item.
    Elimination,
    /// The launch of an ICBM.
    IcbmLaunch,
    /// The launch of an SLBM.
    SlbmLaunch,
}

impl EventKind {
    /// The word used in files and records ("change_in_data").
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ChangeInData => "change_in_data",
            EventKind::Conversion => "conversion",
            EventKind::Elimination => "elimination",
            EventKind::IcbmLaunch => "icbm_launch",
            EventKind::SlbmLaunch => "slbm_launch",
        }
    }
}

/// Notice of an event that an agreement requires to be notified, before or after it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventNotice {
    /// The agreement that requires the notice.
    pub agreement: AgreementId,
    /// The provision it is given under.
    pub provision: ProvisionId,
    /// What kind of event.
    pub event: EventKind,
    /// When the event occurred or is planned to occur.
    pub occurs: Instant,
    /// What happened or will happen, in words.
    pub text: String,
}

/// A party's refusal of inspections: of one request, or of every request for a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionRefusal {
    /// The agreement whose inspections are refused.
    pub agreement: AgreementId,
    /// The quota provisions concerned.
    pub provisions: Vec<ProvisionId>,
    /// The request refused, when the refusal answers one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<RecordId>,
    /// The first day of the refusal.
    pub from: Date,
    /// The last day, when the refusal says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// The reason the refusing party gives.
    pub reason: String,
    /// Where the refusal was published, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Measures a party declares it takes in response to another party's breach: it withholds
/// performance of the named provisions from a date, and says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Countermeasure {
    /// The agreement concerned.
    pub agreement: AgreementId,
    /// The provisions whose performance is withheld.
    pub provisions: Vec<ProvisionId>,
    /// The party whose conduct the measures respond to.
    pub against: PartyId,
    /// The first day the measures apply.
    pub from: Date,
    /// The measures, in words.
    pub measures: String,
    /// The breach they respond to, in the declaring party's words.
    pub in_response_to: String,
    /// Where the measures were announced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A request for a meeting after a request for explanation went unanswered or was judged
/// insufficient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingRequest {
    /// The agreement invoked.
    pub agreement: AgreementId,
    /// The risk-reduction provision invoked.
    pub provision: ProvisionId,
    /// The request for explanation the meeting follows.
    pub request: RecordId,
    /// The responding party.
    pub to: PartyId,
    /// The request, in words.
    pub text: String,
}

/// Which meeting of a risk-reduction mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// The meeting of the requesting and responding states (and others) that a meeting
    /// request asks for.
    Consultation,
    /// A further meeting of a wider body (the OSCE Permanent Council and Forum for Security
    /// Co-operation in joint session).
    JointSession,
}

/// A meeting held under a risk-reduction mechanism, with who attended and who did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// The agreement invoked.
    pub agreement: AgreementId,
    /// The risk-reduction provision invoked.
    pub provision: ProvisionId,
    /// The meeting request (or, for a further meeting, the earlier record) it answers.
    pub request: RecordId,
    /// Which meeting.
    pub kind: MeetingKind,
    /// When it was held.
    pub held_at: Instant,
    /// Parties that attended, among those concerned.
    pub present: Vec<PartyId>,
    /// Parties concerned that did not attend.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent: Vec<PartyId>,
    /// What was said or decided, in words.
    pub text: String,
}

/// What kind of statement a statement record carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    /// Information given voluntarily, outside an agreement's obligations (an activity
    /// announced to attachés as below the notification thresholds).
    VoluntaryInformation,
    /// A decision announced (forces to stay, an exercise extended).
    Decision,
    /// An expectation about the future: not an observation of what is.
    Forecast,
    /// A host state's consent to the presence of another state's forces on its territory.
    HostConsent,
    /// A position taken on another party's request or conduct.
    Position,
    /// An invitation of observers to a notified activity (Vienna Document chapter VI), naming
    /// the activity.
    ObserverInvitation,
}

/// A public statement by a party that is not a notification under an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// What kind of statement.
    pub kind: StatementKind,
    /// The agreement it bears on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<AgreementId>,
    /// The party whose forces or conduct it is about, when not the author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<PartyId>,
    /// The activity it describes, with the figures the statement gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
    /// The statement, in words.
    pub text: String,
    /// Where it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Record {
        Record {
            id: RecordId::new("RU-2022-0001").unwrap(),
            party: PartyId::new("RU").unwrap(),
            issued_at: "2022-02-10T00:00:00Z".parse().unwrap(),
            body: RecordBody::Notification(Notification {
                agreement: AgreementId::new("vienna-document-2011").unwrap(),
                activity: Activity {
                    name: "Union Resolve 2022".into(),
                    kind: ActivityKind::Exercise,
                    start: "2022-02-10".parse().unwrap(),
                    end: "2022-02-20".parse().unwrap(),
                    area: Area {
                        zone: Some(ZoneId::new("belarus").unwrap()),
                        description: "Belarus".into(),
                    },
                    forces: vec![ForceCount {
                        category: Category::new("troops").unwrap(),
                        count: 9000,
                    }],
                    participants: vec![PartyId::new("BY").unwrap()],
                },
            }),
        }
    }

    #[test]
    fn json_round_trip_is_exact() {
        let r = sample();
        let bytes = r.to_canonical_json();
        let back: Record = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.to_canonical_json(), bytes);
        assert!(
            String::from_utf8(bytes)
                .unwrap()
                .contains("\"type\":\"notification\"")
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut v: serde_json::Value =
            serde_json::from_slice(&sample().to_canonical_json()).unwrap();
        v["body"]["colour"] = "red".into();
        let e = serde_json::from_value::<Record>(v).unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
    }

    #[test]
    fn activity_ending_before_it_starts_is_invalid() {
        let mut r = sample();
        if let RecordBody::Notification(n) = &mut r.body {
            n.activity.end = "2022-02-01".parse().unwrap();
        }
        let e = r.validate().unwrap_err();
        assert_eq!(e.field, "body.activity.end");
        assert!(e.to_string().contains("RU-2022-0001"));
    }

    fn body(json: &str) -> Record {
        let text = format!(
            r#"{{"id":"X-1","party":"US","issued_at":"2023-06-01T00:00:00Z","body":{json}}}"#
        );
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    #[test]
    fn new_record_kinds_round_trip_and_name_their_kind() {
        let cases = [
            (
                r#"{"type":"event_notice","agreement":"new-start","provision":"changes-in-data","event":"change_in_data","occurs":"2023-05-30T00:00:00Z","text":"a bomber moved"}"#,
                "event_notice",
            ),
            (
                r#"{"type":"inspection_refusal","agreement":"new-start","provisions":["inspections-type-one"],"from":"2022-08-08","reason":"sanctions"}"#,
                "inspection_refusal",
            ),
            (
                r#"{"type":"countermeasure","agreement":"new-start","provisions":["data-exchange"],"against":"RU","from":"2023-06-01","measures":"updates withheld","in_response_to":"no data since February"}"#,
                "countermeasure",
            ),
            (
                r#"{"type":"meeting_request","agreement":"vienna-document-2011","provision":"ch-iii-unusual-activities","request":"UA-1","to":"RU","text":"a meeting within 48 hours"}"#,
                "meeting_request",
            ),
            (
                r#"{"type":"meeting","agreement":"vienna-document-2011","provision":"ch-iii-unusual-activities","request":"UA-2","kind":"consultation","held_at":"2022-02-15T10:00:00Z","present":["UA"],"absent":["RU"],"text":"held without Russia"}"#,
                "meeting",
            ),
            (
                r#"{"type":"statement","kind":"forecast","about":"RU","text":"30,000 expected"}"#,
                "statement",
            ),
        ];
        for (json, kind) in cases {
            let r = body(json);
            assert_eq!(r.body.kind(), kind);
            r.validate().unwrap();
            let back: Record = serde_json::from_slice(&r.to_canonical_json()).unwrap();
            assert_eq!(back, r);
        }
    }

    #[test]
    fn contradictory_new_records_are_invalid_naming_the_field() {
        let e = body(r#"{"type":"countermeasure","agreement":"new-start","provisions":[],"against":"RU","from":"2023-06-01","measures":"m","in_response_to":"r"}"#)
            .validate()
            .unwrap_err();
        assert_eq!(e.field, "body.provisions");
        let e = body(r#"{"type":"inspection_refusal","agreement":"new-start","provisions":["p"],"from":"2022-08-08","until":"2022-08-01","reason":"r"}"#)
            .validate()
            .unwrap_err();
        assert_eq!(e.field, "body.until");
        let e = body(r#"{"type":"meeting","agreement":"a","provision":"p","request":"r","kind":"consultation","held_at":"2022-02-15T10:00:00Z","present":["RU"],"absent":["RU"],"text":"t"}"#)
            .validate()
            .unwrap_err();
        assert_eq!(e.field, "body.absent");
        assert!(e.reason.contains("RU"), "{e}");
    }

    #[test]
    fn derived_figures_and_published_only_declarations_are_marked() {
        let r = body(
            r#"{"type":"declaration","agreement":"new-start","as_of":"2023-03-01","holdings":[{"category":"warheads","status":"deployed","count":1419,"derived":"1,365 plus 54"}],"channel":"published_only"}"#,
        );
        let RecordBody::Declaration(d) = &r.body else {
            panic!("not a declaration")
        };
        assert_eq!(d.channel, Channel::PublishedOnly);
        assert_eq!(d.holdings[0].derived.as_deref(), Some("1,365 plus 54"));
        // The defaults are left out of the canonical bytes, so older records keep their bytes.
        let plain = body(
            r#"{"type":"declaration","agreement":"new-start","as_of":"2023-03-01","holdings":[{"category":"warheads","status":"deployed","count":1}]}"#,
        );
        let json = String::from_utf8(plain.to_canonical_json()).unwrap();
        assert!(
            !json.contains("derived") && !json.contains("channel"),
            "{json}"
        );
    }
}
