#[test]
fn probe() {
    let text = if let Ok(p) = std::env::var("PROBE") {
        std::fs::read_to_string(&p).unwrap()
    } else if let Ok(t) = std::env::var("TEXT") {
        format!(
            "url: x\noutlet: x\npublished: {}\ntitle: x\n\n{}\n",
            std::env::var("DAY").unwrap_or("2017-06-02".into()),
            t
        )
    } else {
        return;
    };
    let r = accord_osint::parse_report("probe", &text).unwrap();
    for c in accord_osint::extract_claims(&r) {
        eprintln!(
            "CLAIM {} {} {} {:?}",
            c.actor, c.category, c.quantity, c.text
        );
    }
}
