//! The tamper-evident Merkle log: tiles, signed checkpoints, proofs, cosignatures, storage.
