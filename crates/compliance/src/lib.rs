//! The compliance engine: agreements x state -> findings with evidence.
