//! Open-source reports as evidence: ingestion, claims, copies, corroboration.
