//! Agreement files: parse, validate with located errors, and query provisions.
