//! Prints how the grammar reads the note in `$NOTE` (a no-op without it): a debugging aid.

#[test]
fn dump_note() {
    let Ok(s) = std::env::var("NOTE") else { return };
    let p = ibid::grammar::parse_note(&s, &[]);
    for c in &p.cites {
        eprintln!(
            "{:?} [{}] loc={:?} sig={:?}\n{}",
            c.kind,
            c.span.slice(&s),
            c.locator.as_ref().map(|l| &l.value),
            c.signal.as_ref().map(|x| &x.name),
            serde_json::to_string(&c.fields).unwrap()
        );
    }
    eprintln!("commentary={} findings={:?}", p.commentary, p.findings);
    let w = ibid::grammar::parse_reference(&s);
    eprintln!("as reference: {}", serde_json::to_string(&w).unwrap());
}
