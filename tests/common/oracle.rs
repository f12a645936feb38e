//! What the tests against citeproc-js's renderings (`../shared/fixtures/oracle/`) share: ibid's
//! output in the oracle's form.

use ibid::render::Rendered;

/// Italics as `<i>`, nothing escaped: the oracle's form.
pub fn tagged(raw: &str) -> String {
    raw.replace('\u{E000}', "<i>").replace('\u{E001}', "</i>")
}

/// The citation ibid rendered for note `id`, in the oracle's form (empty when there is none).
pub fn citation_of(rendered: &Rendered, id: &str) -> String {
    rendered
        .notes
        .iter()
        .find(|n| n.id == id)
        .and_then(|n| n.citation.as_ref())
        .map(|c| tagged(c.as_raw()))
        .unwrap_or_default()
}
