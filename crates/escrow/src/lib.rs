//! Declarations in escrow, zero-knowledge limit proofs and fair inspection selection.
