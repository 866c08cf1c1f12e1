//! Open-source reports as evidence: ingestion, claims, copies, corroboration.
//!
//! The flow of this crate:
//!
//! 1. [`report`] ingests plain-text and HTML reports into [`Report`]s with their metadata (address,
//!    outlet, publication date, title) and a normalised body.
//! 2. [`claims`] extracts quantified military claims ([`Claim`]): actor, quantity and qualifier,
//!    category, place, date, attribution and the exact text span.
//! 3. [`copies`] recognises verbatim copies, syndicated copies and synonym-swapped rewrites, groups
//!    reports of one event and says which report derives from which ([`Copies`]).
//! 4. [`store`] keeps ingested reports by content hash and source address, never replacing a
//!    different report ([`ReportStore`]).
//! 5. [`observe`] turns claims into `accord_model::Observation` records with a confidence that
//!    counts independent groups of reports, never copies ([`observations`]).
//!
//! Every word list (states, alliances, places, weapon systems, category nouns, qualifiers,
//! synonyms) lives in the data file `data/gazetteer.toml`, embedded at build time; see
//! [`Gazetteer`].
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod claims;
pub mod copies;
mod error;
pub mod gazetteer;
mod html;
pub mod observe;
pub mod report;
pub mod store;
pub mod text;

pub use claims::{Claim, ClaimQualifier, extract_claims};
pub use copies::{Copies, CopyParams, DerivedPair, Fingerprint, group_copies};
pub use error::OsintError;
pub use gazetteer::Gazetteer;
pub use observe::{ObservationSet, observations};
pub use report::{Report, parse_report};
pub use store::{Ingested, ReportStore};
