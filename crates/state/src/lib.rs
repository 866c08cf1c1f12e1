//! The state of the world as a fold of records, for any instant.
