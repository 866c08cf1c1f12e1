//! The vocabulary of accord.
//!
//! Every other crate speaks in these types: who the parties are ([`PartyId`]), what they say
//! ([`Record`] and its [`RecordBody`]), how it is signed ([`envelope`]), and what the compliance
//! engine concludes ([`Finding`]). This crate depends on nothing else of accord's.
//!
//! Data flows one way through the system:
//!
//! ```text
//! sources -> record -> log -> state -> compliance -> views
//! ```
#![deny(missing_docs)]
#![deny(unsafe_code)]

pub mod envelope;
mod finding;
mod ids;
mod message;
mod record;

pub use finding::{Basis, Evidence, Figure, Finding, Severity, findings_digest, log_origin};
pub use ids::{AgreementId, Category, IdError, PartyId, ProvisionId, RecordId, SiteId, ZoneId};
pub use message::{Arg, Args, Message};
pub use record::{
    Acknowledgement, Activity, ActivityKind, AnnualCalendar, Area, Attribution, Channel,
    Confidence, Countermeasure, Declaration, DeclarationCommitment, EventKind, EventNotice,
    ExplanationReply, ExplanationRequest, ForceCount, Holding, HoldingStatus, HotlineMessage,
    HotlineReceipt, HotlineReceiptKind, InspectionFinding, InspectionRefusal, InspectionReport,
    InspectionRequest, LimitProofRecord, LogReceipt, Meeting, MeetingKind, MeetingRequest,
    Notification, Observation, Qualifier, RECORD_FORMAT, RECORD_FORMATS_READ, RECORD_PAYLOAD_TYPE,
    ReceiptProof, Record, RecordBody, RecordError, Reveal, SeedCommit, SeedReveal, SeenCommit,
    Source, Statement, StatementKind, decode_record, record_format, record_payload_type,
};
/// Short text held inline (message ids, argument names and values, figure labels): findings are
/// made by the thousand, and their short texts then cost no allocation.
pub use smol_str::SmolStr;

/// An instant on the global timeline (UTC), as used for every timestamp in records.
pub type Instant = jiff::Timestamp;
/// A calendar date without a time zone, as used by agreements and declarations.
pub type Date = jiff::civil::Date;
