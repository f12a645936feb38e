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

    /// The source span of a note-text span, when both ends map exactly (for positions; whether
    /// the bytes between may be rewritten is [`SourceMap::rewritable`]'s question).
    pub fn span(&self, span: Span) -> Option<Span> {
        Some(Span::new(self.offset(span.start)?, self.offset(span.end)?))
    }

    /// The source span of a note-text span when it may be rewritten as a whole: both ends map
    /// exactly, and the source bytes it covers that are not note text are only white space (a
    /// Markdown continuation line's indentation) or emphasis markup (`*`, `_`, `<i>`, `<em>`,
    /// `<cite>`), which the rewrite writes anew. Other markup inside (a link, a tag, a comment),
    /// which a rewrite would destroy, gives `None`: "unsure", and `fix` does not write.
    pub fn rewritable(&self, span: Span, source: &str) -> Option<Span> {
        self.rewritable_with(span, source, emphasis_mark)
    }

    /// [`SourceMap::rewritable`] with the format's own emphasis markup: `mark` gives the length
    /// of the emphasis markup a text starts with (LaTeX's `\emph{`), if it does.
    pub fn rewritable_with(
        &self,
        span: Span,
        source: &str,
        mark: impl Fn(&str) -> Option<usize>,
    ) -> Option<Span> {
        let whole = self.span(span)?;
        let inside = self
            .segments
            .iter()
            .filter(|s| s.text.end > span.start && s.text.start < span.end);
        let mut previous_end: Option<usize> = None;
        for seg in inside {
            if let Some(end) = previous_end {
                let gap = source.get(end.min(seg.source.start)..seg.source.start)?;
                if !only_space_and_emphasis(gap, &mark) {
                    return None;
                }
            }
            previous_end = Some(seg.source.end);
        }
        Some(whole)
    }

    /// Markup that closes right after the last segment, up to source byte `end` (`*`, `</em>`),
    /// becomes part of it: the segment's last character now stands for itself and the markup, so
    /// that a span ending after the marked-up text takes the closing markup, and one starting after
    /// it does not. `text` is the note text the segments index.
    pub fn absorb_closing_markup(&mut self, text: &str, end: usize) {
        let Some(last) = self.segments.pop() else {
            return;
        };
        if last.text.len() != last.source.len() {
            // already decoded: only its ends map, so the end simply moves
            self.push(
                last.text.start,
                last.text.len(),
                Span::new(last.source.start, end),
            );
            return;
        }
        let c = last
            .text
            .slice(text)
            .chars()
            .last()
            .map_or(0, char::len_utf8);
        if last.text.len() > c {
            self.push(
                last.text.start,
                last.text.len() - c,
                Span::new(last.source.start, last.source.end - c),
            );
        }
        self.push(last.text.end - c, c, Span::new(last.source.end - c, end));
    }

    /// The source span of a note-text span for a message: exact where both ends map, else the
    /// nearest positions (never for writing; see [`SourceMap::rewritable`]).
    pub fn locate(&self, span: Span) -> Span {
        self.span(span)
            .unwrap_or_else(|| Span::new(self.approx(span.start), self.approx(span.end)))
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

/// True when `gap` holds nothing but white space and emphasis markup.
fn only_space_and_emphasis(gap: &str, mark: impl Fn(&str) -> Option<usize>) -> bool {
    let mut rest = gap.trim_start();
    while !rest.is_empty() {
        match mark(rest) {
            Some(len) => rest = rest[len..].trim_start(),
            None => return false,
        }
    }
    true
}

/// The length of the emphasis markup `text` starts with (Markdown `*` or `_`, HTML `<i>`,
/// `<em>`, `<cite>` and their end tags, in any case), if it does.
pub(crate) fn emphasis_mark(text: &str) -> Option<usize> {
    const EMPHASIS: &[&str] = &[
        "<i>", "</i>", "<em>", "</em>", "<cite>", "</cite>", "*", "_",
    ];
    let lower = text
        .get(..text.len().min(7))
        .unwrap_or(text)
        .to_ascii_lowercase();
    EMPHASIS
        .iter()
        .find(|m| lower.starts_with(*m))
        .map(|m| m.len())
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

/// The line and column of many byte offsets of one text, each as [`line_col`] gives it, without
/// counting from the start of the text for each: the line starts are found once and looked up by
/// binary search, and a lookup later on the same line as the one before counts the characters
/// from there (a long line with many findings is not counted over again for each).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// The byte offset of each line's first byte.
    starts: Vec<usize>,
    /// The last lookup: its offset (on a character boundary) and its column.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Finds the lines of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            text,
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// 1-based line and column (in characters) of byte offset `at`: [`line_col`]'s answer.
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        let text = self.text;
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= at);
        let line_start = self.starts[line - 1];
        let (last_at, last_column) = self.last.get();
        let column = if (line_start..=at).contains(&last_at) {
            last_column + text[last_at..at].chars().count()
        } else {
            text[line_start..at].chars().count() + 1
        };
        self.last.set((at, column));
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_answers_as_line_col() {
        let text = "ab\n\u{e9}t\u{e9} x\n\nlast \u{201c}line\u{201d}";
        let index = LineIndex::new(text);
        // forwards, backwards, repeated, past the end, inside a character
        let mut offsets: Vec<usize> = (0..=text.len() + 2).collect();
        offsets.extend((0..=text.len()).rev());
        offsets.extend([5, 5, 0, 30, 4, 9, 3]);
        for at in offsets {
            assert_eq!(index.line_col(at), line_col(text, at), "at {at}");
        }
        assert_eq!(LineIndex::new("").line_col(3), (1, 1));
    }

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
    fn closing_markup_goes_with_the_last_character() {
        // "*Hacking*, 62" -> note text "Hacking, 62"
        let mut map = SourceMap::default();
        map.push(0, 7, Span::new(1, 8));
        map.absorb_closing_markup("Hacking", 9);
        map.push(7, 4, Span::new(9, 13));
        assert_eq!(map.span(Span::new(0, 7)), Some(Span::new(1, 9)));
        assert_eq!(map.span(Span::new(7, 11)), Some(Span::new(9, 13)));
        assert_eq!(map.offset(3), Some(4));
    }

    #[test]
    fn rewritable_spans_cross_only_white_space() {
        // "a *b* c" with the emphasis markup left out of the text "a b c"
        let source = "a *b* c";
        let mut map = SourceMap::default();
        map.push(0, 2, Span::new(0, 2));
        map.push(2, 1, Span::new(3, 4));
        map.push(3, 2, Span::new(5, 7));
        assert_eq!(
            map.rewritable(Span::new(0, 2), source),
            Some(Span::new(0, 2))
        );
        assert_eq!(
            map.rewritable(Span::new(0, 5), source),
            Some(Span::new(0, 7))
        );
        let source = "a [b](u) c";
        let mut map = SourceMap::default();
        map.push(0, 2, Span::new(0, 2));
        map.push(2, 1, Span::new(3, 4));
        map.push(3, 2, Span::new(8, 10));
        assert_eq!(
            map.rewritable(Span::new(0, 5), source),
            None,
            "a link would be lost"
        );
        // a continuation line's indentation may go
        let source = "one\n    two";
        let mut map = SourceMap::default();
        map.push(0, 4, Span::new(0, 4));
        map.push(4, 3, Span::new(8, 11));
        assert_eq!(
            map.rewritable(Span::new(0, 7), source),
            Some(Span::new(0, 11))
        );
    }

    #[test]
    fn line_col_counts_chars() {
        let text = "ab\nc’d";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 3));
    }
}
