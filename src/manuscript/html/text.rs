//! Text as the HTML reader (and the .docx reader) builds it: decoded pieces of the source, and a
//! builder that joins them into a note's text with its source map and emphasis.

use html5gum::{Token, Tokenizer};

use super::only_tags;
use crate::manuscript::trim_note;
use crate::model::span::{SourceMap, Span};

/// One piece of decoded text with its source bytes.
pub(crate) struct Piece {
    /// The decoded text.
    pub(crate) text: String,
    /// Its source bytes.
    pub(crate) source: Span,
    /// `text` is exactly the source bytes.
    pub(crate) verbatim: bool,
}

/// Decodes the text run `span`: verbatim runs, entities (one piece each), whitespace runs (as
/// pieces of only whitespace, for the caller to collapse). Lazily: a 50 MB paragraph is not
/// held as millions of pieces at once.
pub(in crate::manuscript) fn decode_run(source: &str, span: Span) -> DecodeRun<'_> {
    DecodeRun {
        raw: span.slice(source),
        base: span.start,
        i: 0,
        plain_start: 0,
        queued: None,
        literal: false,
    }
}

/// [`decode_run`] for text without entities (the content of a CDATA section): `&` is itself.
pub(in crate::manuscript) fn decode_literal(source: &str, span: Span) -> DecodeRun<'_> {
    DecodeRun {
        literal: true,
        ..decode_run(source, span)
    }
}

/// The pieces of one text run ([`decode_run`]).
pub(in crate::manuscript) struct DecodeRun<'a> {
    raw: &'a str,
    base: usize,
    i: usize,
    plain_start: usize,
    /// A piece found while a verbatim run before it was given out.
    queued: Option<Piece>,
    /// `&` is a character, not the start of an entity (CDATA).
    literal: bool,
}

impl DecodeRun<'_> {
    fn piece(&self, from: usize, to: usize, text: String, verbatim: bool) -> Piece {
        Piece {
            text,
            source: Span::new(self.base + from, self.base + to),
            verbatim,
        }
    }

    /// The verbatim run before `i`, if any, then `next`.
    fn flush_then(&mut self, next: Piece) -> Piece {
        let (from, to) = (self.plain_start, self.i);
        if from < to {
            self.queued = Some(next);
            self.piece(from, to, self.raw[from..to].to_owned(), true)
        } else {
            next
        }
    }
}

impl Iterator for DecodeRun<'_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        if let Some(p) = self.queued.take() {
            return Some(p);
        }
        let bytes = self.raw.as_bytes();
        while self.i < bytes.len() {
            let b = bytes[self.i];
            if b.is_ascii_whitespace() {
                let n = bytes[self.i..]
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
                let (at, end) = (self.i, self.i + n);
                let space = self.piece(at, end, self.raw[at..end].to_owned(), true);
                let out = self.flush_then(space);
                self.i = end;
                self.plain_start = end;
                return Some(out);
            } else if b == b'&' && !self.literal {
                if let Some((len, decoded)) = decode_entity(&self.raw[self.i..]) {
                    let (at, end) = (self.i, self.i + len);
                    let entity = self.piece(at, end, decoded, false);
                    let out = self.flush_then(entity);
                    self.i = end;
                    self.plain_start = end;
                    return Some(out);
                }
                self.i += 1;
            } else {
                self.i += 1;
            }
        }
        let (from, to) = (self.plain_start, bytes.len());
        if from < to {
            self.plain_start = to;
            return Some(self.piece(from, to, self.raw[from..to].to_owned(), true));
        }
        None
    }
}

/// The character reference at the start of `raw` (which starts with `&`): its length in bytes and
/// what it stands for, decoded by html5gum itself (so with the HTML standard's table).
fn decode_entity(raw: &str) -> Option<(usize, String)> {
    let rest = &raw[1..];
    let body: usize = if let Some(num) = rest.strip_prefix('#') {
        let hex = num.starts_with(['x', 'X']);
        let digits = num[usize::from(hex)..]
            .bytes()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        1 + usize::from(hex) + digits
    } else {
        let n = rest
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .take(40)
            .count();
        if n == 0 {
            return None;
        }
        n
    };
    let mut len = 1 + body;
    if raw[len..].starts_with(';') {
        len += 1;
    }
    let candidate = &raw[..len];
    let mut decoded = String::new();
    for token in Tokenizer::new(candidate).flatten() {
        if let Token::String(s) = token {
            decoded.push_str(&String::from_utf8_lossy(&s));
        }
    }
    (decoded != candidate).then_some((len, decoded))
}

/// Builds a note's text: whitespace collapsed, blocks separated, emphasis recorded.
#[derive(Default)]
pub(in crate::manuscript) struct Builder {
    pub(in crate::manuscript) text: String,
    map: SourceMap,
    pub(in crate::manuscript) emphasis: Vec<Span>,
    /// A separator waiting for the next visible text: `true` for a paragraph break.
    pending: Option<(bool, Span)>,
    /// The last segment is a separator (its text is not its source's bytes).
    last_is_separator: bool,
    /// The pending separator is one space typed as such: its own source, like any text (so a
    /// long line of words maps as one segment, not one per word).
    pending_verbatim: bool,
    /// Where inline markup opened before the first text (`<em>` of a note that starts in italics).
    open_markup: Option<usize>,
    /// Where inline markup opened after a pending separator: the separator stops there.
    separator_stop: Option<usize>,
}

impl Builder {
    pub(in crate::manuscript) fn space(&mut self, source: Span) {
        self.pending_verbatim = false;
        match &mut self.pending {
            Some((_, span)) => span.end = source.end,
            None => self.pending = Some((false, source)),
        }
    }

    /// A run of whitespace of the text (a piece of [`decode_run`]).
    pub(in crate::manuscript) fn whitespace(&mut self, piece: &Piece) {
        let single = self.pending.is_none() && piece.verbatim && piece.text == " ";
        self.space(piece.source);
        self.pending_verbatim = single;
    }

    pub(in crate::manuscript) fn paragraph(&mut self, at: usize) {
        self.pending_verbatim = false;
        match &mut self.pending {
            Some((para, span)) => {
                *para = true;
                span.end = span.end.max(at);
            }
            None => self.pending = Some((true, Span::new(at, at))),
        }
    }

    pub(in crate::manuscript) fn push(&mut self, piece: &Piece) {
        if let Some((para, mut span)) = self.pending.take() {
            // the separator stands for everything up to this piece (closing and opening tags
            // included), so that a span starting here maps to this piece's first byte
            let stop = self.separator_stop.take().filter(|&s| s >= span.start);
            span.end = span.end.max(stop.unwrap_or(piece.source.start));
            let verbatim = std::mem::take(&mut self.pending_verbatim) && !para && span.len() == 1;
            if verbatim && !self.text.is_empty() {
                let start = self.text.len();
                self.text.push(' ');
                self.extend_or_push(start, 1, span, true);
            } else if !self.text.is_empty() {
                let sep = if para { "\n\n" } else { " " };
                let start = self.text.len();
                self.text.push_str(sep);
                self.map.push(start, sep.len(), span);
                self.last_is_separator = true;
            }
        }
        let start = self.text.len();
        self.text.push_str(&piece.text);
        let len = piece.text.len();
        let after_separator = std::mem::take(&mut self.last_is_separator);
        let open = self.open_markup.take().filter(|_| start == 0);
        if let Some(open) = open.filter(|&o| o < piece.source.start && piece.verbatim) {
            // the note starts inside markup: its first character stands for the opening tags too
            let first = piece.text.chars().next().map_or(0, char::len_utf8);
            let at = piece.source.start;
            self.map.push(start, first, Span::new(open, at + first));
            if len > first {
                self.map
                    .push(start + first, len - first, Span::new(at + first, at + len));
            }
            return;
        }
        self.extend_or_push(start, len, piece.source, piece.verbatim && !after_separator);
    }

    /// Maps text `start..start + len` to `source`: by extending the last segment when both are
    /// verbatim and contiguous (`verbatim` says the new text is its source's bytes), else as a
    /// segment of its own.
    fn extend_or_push(&mut self, start: usize, len: usize, source: Span, verbatim: bool) {
        if let Some(last) = self.map.segments.last_mut() {
            if verbatim
                && last.text.len() == last.source.len()
                && last.text.end == start
                && last.source.end == source.start
            {
                last.text.end += len;
                last.source.end += len;
                return;
            }
        }
        self.map.push(start, len, source);
    }

    /// An inline element (`<em>`, `<a>` ...) opens at `at`.
    pub(in crate::manuscript) fn open_markup(&mut self, at: usize) {
        if self.text.is_empty() {
            self.open_markup.get_or_insert(at);
        } else if self.pending.is_some() {
            self.separator_stop.get_or_insert(at);
        }
    }

    /// An inline element closes at `end`: its end tag belongs to the text before it (the last
    /// character stands for it too), so that a span ending with the element's text takes the tag.
    pub(in crate::manuscript) fn close_markup(&mut self, end: usize, source: &str) {
        if self.pending.is_some() {
            return;
        }
        let Some(last) = self.map.segments.last().copied() else {
            return;
        };
        let gap = source.get(last.source.end..end).unwrap_or("");
        if last.source.end >= end || !only_tags(gap) {
            return;
        }
        self.map.absorb_closing_markup(&self.text, end);
    }

    /// The text, trimmed (a removed back-link may leave a space or `&nbsp;` behind), with its
    /// map and emphasis.
    pub(in crate::manuscript) fn finish(self) -> (String, SourceMap, Vec<Span>) {
        trim_note(&self.text, &self.map, &self.emphasis)
    }

    /// The map built so far.
    pub(in crate::manuscript) fn map_ref(&self) -> &SourceMap {
        &self.map
    }

    pub(in crate::manuscript) fn text_len_with_pending(&self) -> usize {
        match self.pending {
            Some((para, _)) if !self.text.is_empty() => self.text.len() + if para { 2 } else { 1 },
            _ => self.text.len(),
        }
    }
}
