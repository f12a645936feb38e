//! Byte spans into a source text, and the map from a note's own text back to the manuscript.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into some text.
///
/// Which text is said where the span is stored: a [`crate::manuscript::Note`]'s `span` points into
/// the manuscript source, a [`crate::grammar::Cite`]'s into the note's own text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub const fn is_empty(&self) -> bool {
        self.start >= self.end
    }

    /// The same span moved `by` bytes to the right.
    pub const fn shift(&self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }

    /// The text this span covers in `text` (empty when out of range or not on char boundaries).
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// True when `other` lies entirely inside this span.
    pub const fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// One piece of a [`SourceMap`]: the note text `text` came from the source bytes `source`.
///
/// When both have the same length the piece maps byte for byte (plain text); otherwise only its two
/// ends map (an HTML entity decoded, a Word run joined), and a span ending inside it cannot be mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Range in the note's text.
    pub text: Span,
    /// Range in the manuscript source.
    pub source: Span,
}

/// How a note's text (what the grammar reads) maps back to the bytes of the manuscript.
///
/// Readers of formats that copy notes verbatim (plain text) produce one segment; readers that
/// decode or join (Markdown continuation lines, HTML entities, .docx runs) produce several.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMap {
    /// Segments in text order, not overlapping.
    pub segments: Vec<Segment>,
}

impl SourceMap {
    /// A map for a note whose text is copied verbatim from `source` starting at byte `at`.
    pub fn verbatim(at: usize, len: usize) -> Self {
        SourceMap {
            segments: vec![Segment {
                text: Span::new(0, len),
                source: Span::new(at, at + len),
            }],
        }
    }

    /// Appends a piece: the next `text_len` bytes of note text came from `source`.
    pub fn push(&mut self, text_start: usize, text_len: usize, source: Span) {
        self.segments.push(Segment {
            text: Span::new(text_start, text_start + text_len),
            source,
        });
    }

    /// The source offset of note-text offset `at`, when it is known exactly.
    pub fn offset(&self, at: usize) -> Option<usize> {
        for seg in &self.segments {
            if at < seg.text.start {
                return None;
            }
            if at > seg.text.end {
                continue;
            }
            if at == seg.text.start {
                return Some(seg.source.start);
            }
            if at == seg.text.end {
                return Some(seg.source.end);
            }
            if seg.text.len() == seg.source.len() {
                return Some(seg.source.start + (at - seg.text.start));
            }
            return None;
        }
        None
    }

    /// The source span of a note-text span, when both ends map exactly and the span does not jump
    /// over source bytes that are not part of the note text (a Markdown line's indentation, say,
    /// is fine to keep when rewriting; a tag is not). `None` means "unsure": `fix` must not write.
    pub fn span(&self, span: Span) -> Option<Span> {
        Some(Span::new(self.offset(span.start)?, self.offset(span.end)?))
    }

    /// The source position nearest to a note-text offset, for messages (never for writing).
    pub fn approx(&self, at: usize) -> usize {
        let mut best = 0;
        for seg in &self.segments {
            if at < seg.text.start {
                break;
            }
            let within = (at - seg.text.start).min(seg.source.len());
            best = seg.source.start + within;
        }
        best
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let mut at = at;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_map_is_linear() {
        let map = SourceMap::verbatim(100, 10);
        assert_eq!(map.offset(0), Some(100));
        assert_eq!(map.offset(7), Some(107));
        assert_eq!(map.span(Span::new(2, 5)), Some(Span::new(102, 105)));
        assert_eq!(map.offset(11), None);
    }

    #[test]
    fn decoded_segment_maps_only_its_ends() {
        // "a&amp;b" -> "a&b": 'a' verbatim, '&' from 5 bytes, 'b' verbatim
        let mut map = SourceMap::default();
        map.push(0, 1, Span::new(0, 1));
        map.push(1, 1, Span::new(1, 6));
        map.push(2, 1, Span::new(6, 7));
        assert_eq!(map.span(Span::new(0, 3)), Some(Span::new(0, 7)));
        assert_eq!(map.offset(2), Some(6));
    }

    #[test]
    fn line_col_counts_chars() {
        let text = "ab\nc’d";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 3));
    }
}
