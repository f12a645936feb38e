// Shared by the reader targets: what a reader returns must be consistent, and the analysis of
// what it returns must not panic.
use ibid::manuscript::{read_bytes, Format};

pub fn read_and_analyse(data: &[u8], format: Format) {
    let path = std::path::Path::new("fuzz");
    let Ok(ms) = read_bytes(path, data, format) else {
        return;
    };
    let len = ms.text.len();
    for m in &ms.markers {
        assert!(
            m.span.start <= m.span.end && m.span.end <= len,
            "marker span"
        );
    }
    for note in &ms.notes {
        assert!(
            note.span.start <= note.span.end && note.span.end <= len,
            "note span"
        );
        for seg in &note.map.segments {
            assert!(seg.source.end <= len, "segment outside the source");
            assert!(seg.text.end <= note.text.len(), "segment outside the note");
        }
        for e in &note.emphasis {
            assert!(e.end <= note.text.len(), "emphasis outside the note");
        }
    }
    let analysis = ibid::resolve::analyse(ms);
    for d in &analysis.diagnostics {
        if let Some(s) = d.span {
            assert!(s.end <= len, "diagnostic span outside the source");
        }
    }
}
