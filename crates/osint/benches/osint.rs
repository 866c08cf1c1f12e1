//! Benchmarks of accord-osint (filled in below).
fn main() {}
