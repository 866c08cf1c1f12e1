#[test]
fn probe() {
    let Ok(p) = std::env::var("PROBE") else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let r = accord_osint::parse_report(&p, &text).unwrap();
    for c in accord_osint::extract_claims(&r) {
        eprintln!("CLAIM {:?}", c);
    }
}
