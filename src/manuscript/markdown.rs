//! The Markdown reader: pandoc / CommonMark footnotes.
//!
//! * `[^id]` references in the body and `[^id]: ...` definitions (continued on indented lines, over
//!   several paragraphs, inside block quotes and lists), parsed with pulldown-cmark's footnote
//!   extension and its offset iterator, so that every piece of note text keeps its source bytes;
//! * pandoc inline notes `^[...]`, numbered in order with the others (their id is their number,
//!   or `inline-N` when a label already uses that number);
//! * pandoc citations `[@key, p. 4]` are kept in the note text as written (the grammar sees them);
//! * code blocks, inline code, HTML blocks and YAML front matter are never read for markers;
//! * `*...*` / `_..._` (and inline `<em>`/`<i>`) become [`Note::emphasis`];
//! * an inline link to an absolute URL reads as its text followed by the URL
//!   (`[Title](https://x.org)` -> `Title https://x.org`): the URL is part of the citation.
//!
//! Notes are ordered as pandoc numbers them: by their first reference in the text; definitions
//! that are never referenced come last, in the order they are written. Ids are the labels as
//! written, lower-cased (`[^3]` -> `3`, `[^fn-a]` -> `fn-a`).
//!
//! A note's text joins its lines as they are (a soft line break stays `\n`, each piece mapped to
//! its own bytes, the indentation of continuation lines left out) and its paragraphs with `\n\n`
//! (mapped to the whole gap between them, so only its ends map). Backslash escapes and entities
//! map only at their ends. Markup at the edges of a piece of text goes with it: a span that ends
//! with italic text takes the closing `*`, a note that opens in italics maps from its opening `*`,
//! so that a citation's source span never cuts a pair of delimiters in half.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, LinkType, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use crate::error::Result;
use crate::manuscript::{
    check_links, shows_url, trim_note, Format, Manuscript, Marker, Markers, Note,
};
use crate::model::diagnostic::{Code, Diagnostic};
use crate::model::span::{SourceMap, Span};

/// Reads a Markdown manuscript.
pub fn read(path: &Path, text: String) -> Result<Manuscript> {
    let masked = mask_div_fences(&text);
    let (markers, notes, mut diagnostics) = read_notes(masked.as_deref().unwrap_or(&text));
    check_links(&markers, &notes, &text, Markers::Linked, &mut diagnostics);
    Ok(Manuscript {
        path: path.to_owned(),
        format: Format::Markdown,
        text,
        markers,
        notes,
        diagnostics,
    })
}

/// The source with the fences of pandoc's fenced divs (`::: {.note}` ... `:::`) blanked out (each
/// byte a space, so every offset stays), or `None` when it has none. CommonMark does not know
/// them: a closing `:::` right after a note definition would be read as the note's last line,
/// where pandoc ends the div (and the note) there. Only fences that pair up are blanked (an
/// opening fence has attributes or a class name, a closing one only colons); fenced code is
/// left alone.
fn mask_div_fences(source: &str) -> Option<String> {
    let mut lines: Vec<(usize, usize)> = Vec::new(); // (start, end without the line break)
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        lines.push((at, at + body.len()));
        at += line.len();
    }
    let mut code: Option<(u8, usize)> = None; // an open code fence: its character and length
    let mut open: Vec<usize> = Vec::new(); // opening fences not yet closed (line indexes)
    let mut fences: Vec<usize> = Vec::new();
    for (i, &(start, end)) in lines.iter().enumerate() {
        let line = &source[start..end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        let run = |c: u8| rest.bytes().take_while(|&b| b == c).count();
        if let Some((c, n)) = code {
            if indent <= 3 && run(c) >= n && rest[run(c)..].trim().is_empty() {
                code = None;
            }
            continue;
        }
        if indent > 3 {
            continue;
        }
        if let Some(c) = [b'`', b'~'].into_iter().find(|&c| run(c) >= 3) {
            code = Some((c, run(c)));
            continue;
        }
        let colons = run(b':');
        if colons < 3 {
            continue;
        }
        let after = rest[colons..].trim();
        if after.is_empty() {
            if let Some(opening) = open.pop() {
                fences.push(opening);
                fences.push(i);
            }
        } else if after
            .trim_end_matches(':')
            .trim_end()
            .starts_with(|c: char| c == '{' || c.is_alphanumeric() || c == '-' || c == '_')
        {
            open.push(i);
        }
    }
    if fences.is_empty() {
        return None;
    }
    let mut bytes = source.as_bytes().to_vec();
    for i in fences {
        let (start, end) = lines[i];
        bytes[start..end].fill(b' ');
    }
    // only ASCII bytes were written, over whole lines
    String::from_utf8(bytes).ok()
}

fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// Builds a note's text, its source map and its emphasis from parser events.
#[derive(Debug, Default)]
struct Collector {
    text: String,
    map: SourceMap,
    emphasis: Vec<Span>,
    open_em: Vec<usize>,
    /// Source end of the last piece pushed.
    last_end: Option<usize>,
    /// A block ended: the next piece starts a new paragraph.
    pending_break: bool,
    /// Open links: destination (for inline links to absolute URLs) and where their text starts.
    links: Vec<(Option<String>, usize)>,
    /// Open raw HTML links (`<a href="https://...">`): the URL, its bytes, where the text starts.
    html_links: Vec<(Option<(String, Span)>, usize)>,
    /// Where markup opened before the note's first text (`*` of a note that starts in italics).
    open_markup: Option<usize>,
}

impl Collector {
    /// Starts the pending paragraph break, if any, before a piece that starts at source `at`.
    fn flush(&mut self, at: usize) {
        if self.pending_break && !self.text.is_empty() {
            let from = self.last_end.unwrap_or(at).min(at);
            let start = self.text.len();
            self.text.push_str("\n\n");
            self.map.push(start, 2, Span::new(from, at));
        }
        self.pending_break = false;
    }

    /// Appends `piece`, which the parser decoded from the source bytes `src`.
    fn push(&mut self, piece: &str, src: Range<usize>, source: &str) {
        if piece.is_empty() {
            return;
        }
        self.flush(src.start);
        self.absorb_indent(src.start, source);
        let raw = source.get(src.clone()).unwrap_or("");
        let start = self.text.len();
        self.text.push_str(piece);
        let at = if raw == piece {
            Some(src.start)
        } else if raw.len() == piece.len() + 1 && raw.starts_with('\\') && raw.ends_with(piece) {
            // a backslash escape: the character itself maps
            Some(src.end - piece.len())
        } else if raw.starts_with('`') {
            // a code span: its content maps
            raw.find(piece).map(|p| src.start + p)
        } else {
            None
        };
        let open = self.open_markup.take().filter(|_| start == 0);
        match (at, open) {
            // the note starts inside markup: its first character stands for the opening too
            (Some(at), Some(open)) if open < at => {
                let first = piece.chars().next().map_or(0, char::len_utf8);
                self.map.push(start, first, Span::new(open, at + first));
                if piece.len() > first {
                    self.map.push(
                        start + first,
                        piece.len() - first,
                        Span::new(at + first, at + piece.len()),
                    );
                }
            }
            (Some(at), _) => self
                .map
                .push(start, piece.len(), Span::new(at, at + piece.len())),
            (None, _) => self.map.push(start, piece.len(), src.clone().into()),
        }
        self.last_end = Some(src.end);
    }

    /// Markup opens at `at` (`*`, `**`, `[`, a backtick).
    fn open_markup(&mut self, at: usize) {
        if self.text.is_empty() {
            self.open_markup.get_or_insert(at);
        }
    }

    /// Markup that closes at `end` (`*`, `](url)`, a backtick) belongs to the text before it: the
    /// last character then stands for it too, so that a span ending after the markup's text
    /// takes the markup and one starting after it does not.
    fn close_markup(&mut self, end: usize, source: &str) {
        let Some(last) = self.map.segments.last().copied() else {
            return;
        };
        let gap = source.get(last.source.end..end).unwrap_or("\n");
        if last.source.end >= end || gap.contains('\n') || self.pending_break {
            return;
        }
        self.map.absorb_closing_markup(&self.text, end);
        self.last_end = Some(end);
    }

    /// After a line break, the next line's indentation (or block-quote `>`) is part of the break:
    /// the `\n` then stands for the bytes up to the next piece, so that offsets stay unambiguous.
    fn absorb_indent(&mut self, at: usize, source: &str) {
        let Some(last) = self.map.segments.last_mut() else {
            return;
        };
        let gap = source.get(last.source.end..at).unwrap_or("");
        if !gap.is_empty()
            && last.text.slice(&self.text) == "\n"
            && gap.chars().all(|c| c == ' ' || c == '\t' || c == '>')
        {
            last.source.end = at;
        }
    }

    /// After an inline link to an absolute URL, the URL itself, as a citation shows it:
    /// `[Title](https://x.org/a)` reads `Title https://x.org/a` (the space stands for `](`, the URL
    /// maps byte for byte). Nothing is added when the link text already is the URL.
    fn close_link(&mut self, range: Range<usize>, source: &str) {
        let Some((Some(dest), start)) = self.links.pop() else {
            return;
        };
        if self.text.get(start..).is_some_and(|t| shows_url(t, &dest)) {
            return;
        }
        let raw = source.get(range.clone()).unwrap_or("");
        let Some(open) = raw.rfind("](") else {
            return;
        };
        let Some(at) = raw[open..].find(dest.as_str()).map(|p| open + p) else {
            return;
        };
        let (gap, url) = (range.start + open, range.start + at);
        self.push(" ", gap..url, source);
        self.push(&dest, url..url + dest.len(), source);
    }

    fn block_boundary(&mut self) {
        if !self.text.is_empty() {
            self.pending_break = true;
        }
    }

    fn open_emphasis(&mut self, at: usize) {
        self.flush(at);
        self.open_em.push(self.text.len());
    }

    fn close_emphasis(&mut self) {
        if let Some(start) = self.open_em.pop() {
            if self.text.len() > start {
                self.emphasis.push(Span::new(start, self.text.len()));
            }
        }
    }

    /// The text with surrounding whitespace trimmed, its map and emphasis cut to match.
    fn finish(self) -> (String, SourceMap, Vec<Span>) {
        trim_note(&self.text, &self.map, &self.emphasis)
    }
}

/// Feeds one event to a collector (the caller decides which events belong to the note).
fn feed(col: &mut Collector, event: &Event<'_>, range: Range<usize>, source: &str) {
    match event {
        Event::Text(t) => col.push(t, range, source),
        // a note reference inside a note: pandoc keeps it as the text it is (`see [^2]`)
        Event::FootnoteReference(_) => {
            let raw = source.get(range.clone()).unwrap_or("");
            col.push(raw, range, source);
        }
        Event::Code(t) => {
            col.open_markup(range.start);
            col.push(t, range.clone(), source);
            col.close_markup(range.end, source);
        }
        Event::InlineMath(t) | Event::DisplayMath(t) => col.push(t, range, source),
        Event::SoftBreak | Event::HardBreak => col.push("\n", range, source),
        Event::InlineHtml(h) => {
            let tag = h.trim().to_ascii_lowercase();
            if tag == "<em>" || tag == "<i>" {
                col.open_emphasis(range.end);
            } else if tag == "</em>" || tag == "</i>" {
                col.close_emphasis();
            } else if tag.starts_with("<a ") {
                let url = html_href(h, range.start);
                col.html_links.push((url, col.text.len()));
            } else if tag == "</a>" {
                if let Some((Some((url, at)), start)) = col.html_links.pop() {
                    if col.text.get(start..).is_some_and(|t| !shows_url(t, &url)) {
                        col.push(" ", range.clone(), source);
                        col.push(&url, at.start..at.end, source);
                    }
                }
            }
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) => {
            let absolute = ["http://", "https://", "ftp://", "doi:", "www."]
                .iter()
                .any(|p| dest_url.starts_with(p));
            let keep = (*link_type == LinkType::Inline && absolute).then(|| dest_url.to_string());
            col.open_markup(range.start);
            col.links.push((keep, col.text.len()));
        }
        Event::End(TagEnd::Link) => {
            col.close_link(range.clone(), source);
            col.close_markup(range.end, source);
        }
        Event::Start(Tag::Emphasis) => {
            col.open_markup(range.start);
            col.open_emphasis(range.start);
        }
        Event::End(TagEnd::Emphasis) => {
            col.close_emphasis();
            col.close_markup(range.end, source);
        }
        Event::Start(Tag::Strong | Tag::Strikethrough) => col.open_markup(range.start),
        Event::End(TagEnd::Strong | TagEnd::Strikethrough) => col.close_markup(range.end, source),
        Event::Start(
            Tag::Paragraph
            | Tag::Item
            | Tag::Heading { .. }
            | Tag::CodeBlock(_)
            | Tag::BlockQuote(_)
            | Tag::TableRow
            | Tag::TableHead,
        )
        | Event::End(
            TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::TableRow
            | TagEnd::TableHead,
        )
        | Event::Rule => col.block_boundary(),
        _ => {}
    }
}

/// The absolute URL of a raw `<a href="...">` tag that starts at byte `at`, with its bytes.
fn html_href(tag: &str, at: usize) -> Option<(String, Span)> {
    let lower = tag.to_ascii_lowercase();
    let h = lower.find("href=")? + 5;
    let quote = tag[h..].chars().next().filter(|&c| c == '"' || c == '\'')?;
    let start = h + 1;
    let len = tag[start..].find(quote)?;
    let url = &tag[start..start + len];
    let absolute = ["http://", "https://", "ftp://", "doi:"]
        .iter()
        .any(|p| url.starts_with(p));
    (absolute && !url.contains('&'))
        .then(|| (url.to_owned(), Span::new(at + start, at + start + len)))
}

/// A footnote label as an id: lower case.
fn normalise(label: &str) -> String {
    label.trim().to_lowercase()
}

/// True for the characters pandoc and GitHub allow in a footnote label (no space, no bracket).
fn label_char(c: char) -> bool {
    !c.is_whitespace() && c != '[' && c != ']' && c != '^'
}

struct Definition {
    id: String,
    label: Span,
    span: Span,
    text: String,
    map: SourceMap,
    emphasis: Vec<Span>,
    glued: bool,
}

struct InlineNote {
    /// `^[` ... `]`
    span: Span,
    /// between the brackets
    content: Span,
}

/// Markers, notes (ordered and numbered) and reader findings of a Markdown source.
fn read_notes(source: &str) -> (Vec<Marker>, Vec<Note>, Vec<Diagnostic>) {
    // the events are read again, not kept, for the inline notes (`collect_ranges`): kept, they
    // took a one-line manuscript of 50 MB from a peak of 265 MB to 578 MB
    let events = || Parser::new_ext(source, options()).into_offset_iter();
    let mut diagnostics = Vec::new();
    let mut markers: Vec<Marker> = Vec::new();
    let mut defs: Vec<Definition> = Vec::new();
    // Source ranges of prose text (not code, not metadata), contiguous pieces merged.
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut current: Option<(String, Range<usize>, Collector)> = None;
    let mut code_depth = 0usize;
    let mut meta_depth = 0usize;
    let mut def_depth = 0usize;
    let mut yaml = false;
    // the pieces of `runs` inside note definitions, where `[^x]` is text
    let mut in_defs: Vec<Range<usize>> = Vec::new();
    // references in the YAML metadata
    let mut in_meta: Vec<Marker> = Vec::new();

    for (event, range) in events() {
        match &event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                def_depth += 1;
                if def_depth == 1 {
                    current = Some((normalise(label), range.clone(), Collector::default()));
                }
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                def_depth = def_depth.saturating_sub(1);
                if def_depth == 0 {
                    if let Some((id, range, col)) = current.take() {
                        defs.push(definition(source, id, range, col));
                    }
                }
                continue;
            }
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Start(Tag::MetadataBlock(kind)) => {
                meta_depth += 1;
                yaml = *kind == MetadataBlockKind::YamlStyle;
            }
            Event::End(TagEnd::MetadataBlock(_)) => meta_depth = meta_depth.saturating_sub(1),
            // inside a note it is text (see `feed`)
            Event::FootnoteReference(label) if def_depth == 0 => markers.push(Marker {
                id: normalise(label),
                span: range.clone().into(),
            }),
            Event::Text(_) if code_depth == 0 && meta_depth == 0 => {
                match runs.last_mut() {
                    Some(last) if last.end == range.start => last.end = range.end,
                    _ => runs.push(range.clone()),
                }
                if def_depth > 0 {
                    match in_defs.last_mut() {
                        Some(last) if last.end == range.start => last.end = range.end,
                        _ => in_defs.push(range.clone()),
                    }
                }
            }
            // pandoc reads YAML metadata values as Markdown: a reference there is one
            Event::Text(t) if meta_depth > 0 && yaml => {
                meta_markers(t, range.start, source, &mut in_meta);
            }
            _ => {}
        }
        if meta_depth == 0 {
            if let Some((_, _, col)) = current.as_mut() {
                feed(col, &event, range.clone(), source);
            }
        }
    }

    // A metadata value may be anything (a file name, a key of another tool's): only references
    // to notes that exist count there.
    in_meta.retain(|m| defs.iter().any(|d| d.id == m.id));
    markers.extend(in_meta);

    // Inline notes and references to undefined labels (which the parser leaves as text).
    let mut inline: Vec<InlineNote> = Vec::new();
    for run in &runs {
        let text = &source[run.clone()];
        for (off, _) in text.match_indices("^[") {
            let at = run.start + off;
            // (matches come in order: one inside the last inline note is part of it)
            if escaped(source, at) || inline.last().is_some_and(|n| at < n.span.end) {
                continue;
            }
            if let Some(close) = closing_bracket(source, at + 1) {
                if superscript(source, close + 1) {
                    continue;
                }
                inline.push(InlineNote {
                    span: Span::new(at, close + 1),
                    content: Span::new(at + 2, close),
                });
            }
        }
        for (off, _) in text.match_indices("[^") {
            let at = run.start + off;
            if escaped(source, at) || in_defs.iter().any(|d| d.contains(&at)) {
                continue;
            }
            let rest = &source[at + 2..];
            let len: usize = rest
                .chars()
                .take_while(|&c| label_char(c))
                .map(char::len_utf8)
                .sum();
            if len == 0 || len > 80 || !rest[len..].starts_with(']') {
                continue;
            }
            let end = at + 2 + len + 1;
            if source[end..].starts_with(':') {
                continue;
            }
            markers.push(Marker {
                id: normalise(&rest[..len]),
                span: Span::new(at, end),
            });
        }
    }
    markers.sort_by_key(|m| m.span.start);

    // Order: first reference (inline notes at their place), unreferenced definitions last.
    enum Source {
        Def(usize),
        Inline(usize),
    }
    let mut first_ref: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for m in &markers {
        first_ref.entry(m.id.as_str()).or_insert(m.span.start);
    }
    let mut order: Vec<(usize, usize, Source)> = Vec::new();
    for (i, def) in defs.iter().enumerate() {
        let first = first_ref.get(def.id.as_str()).copied();
        match first {
            Some(at) => order.push((0, at, Source::Def(i))),
            None => order.push((1, def.span.start, Source::Def(i))),
        }
    }
    for (i, note) in inline.iter().enumerate() {
        order.push((0, note.span.start, Source::Inline(i)));
    }
    order.sort_by_key(|(group, at, _)| (*group, *at));

    let mut notes: Vec<Note> = Vec::new();
    let mut taken: std::collections::HashSet<String> = defs.iter().map(|d| d.id.clone()).collect();
    let mut seen_defs: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut inline_markers = Vec::new();
    let contents: Vec<Span> = inline.iter().map(|n| n.content).collect();
    let mut inline_texts = if contents.is_empty() {
        Vec::new()
    } else {
        collect_ranges(events(), source, &contents)
    };
    for (_, _, src) in order {
        let number = notes.len() + 1;
        match src {
            Source::Def(i) => {
                let def = &defs[i];
                if !seen_defs.insert(def.id.clone()) {
                    diagnostics.push(Diagnostic::new(
                        Code::RepeatedMarker,
                        Some(&def.id),
                        Some(def.label),
                        format!("note [^{}] is defined more than once", def.id),
                    ));
                    continue;
                }
                if def.glued {
                    diagnostics.push(Diagnostic::new(
                        Code::GluedMarker,
                        Some(&def.id),
                        Some(def.label),
                        format!(
                            "note [^{}] has no space between its label and its text",
                            def.id
                        ),
                    ));
                }
                notes.push(Note {
                    id: def.id.clone(),
                    number,
                    label: Some(def.label),
                    span: def.span,
                    text: def.text.clone(),
                    map: def.map.clone(),
                    emphasis: def.emphasis.clone(),
                });
            }
            Source::Inline(i) => {
                let note = &inline[i];
                let mut id = number.to_string();
                if taken.contains(&id) {
                    id = format!("inline-{number}");
                }
                taken.insert(id.clone());
                let (text, map, emphasis) = std::mem::take(&mut inline_texts[i]);
                inline_markers.push(Marker {
                    id: id.clone(),
                    span: note.span,
                });
                notes.push(Note {
                    id,
                    number,
                    label: None,
                    span: note.span,
                    text,
                    map,
                    emphasis,
                });
            }
        }
    }
    markers.extend(inline_markers);
    markers.sort_by_key(|m| m.span.start);
    (markers, notes, diagnostics)
}

/// A definition from its collected text; finds its `[^id]:` label in the source.
fn definition(source: &str, id: String, range: Range<usize>, col: Collector) -> Definition {
    let whole = &source[range.clone()];
    let label_end = whole
        .find("]:")
        .map_or(range.start, |p| range.start + p + 2);
    let label_start = whole.find("[^").map_or(range.start, |p| range.start + p);
    let glued = source[label_end..]
        .chars()
        .next()
        .is_some_and(|c| !c.is_whitespace());
    let end = range.start + whole.trim_end().len();
    let (text, map, emphasis) = col.finish();
    Definition {
        id,
        label: Span::new(label_start, label_end),
        span: Span::new(label_start, end.max(label_end)),
        text,
        map,
        emphasis,
        glued,
    }
}

/// The text of the events inside each of `contents` (inline notes' brackets, in order and not
/// overlapping), clipped to it: one pass over the events for all of them (a pass per note made
/// a manuscript of many inline notes quadratic to read, #17).
fn collect_ranges<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    source: &str,
    contents: &[Span],
) -> Vec<(String, SourceMap, Vec<Span>)> {
    let mut cols: Vec<Collector> = contents.iter().map(|_| Collector::default()).collect();
    let mut code_depth = 0usize;
    for (event, range) in events {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            _ => {}
        }
        if code_depth > 0 {
            continue;
        }
        // the notes the event overlaps: they end after it starts, and start before it ends
        let from = contents.partition_point(|c| c.end <= range.start);
        for (content, col) in contents[from..].iter().zip(&mut cols[from..]) {
            if content.start >= range.end {
                break;
            }
            let inside = content.contains(range.clone().into());
            match &event {
                // a text piece that straddles the brackets: keep the part inside, when verbatim
                Event::Text(t) if !inside => {
                    let raw = &source[range.clone()];
                    if raw == t.as_ref() {
                        let s = range.start.max(content.start);
                        let e = range.end.min(content.end);
                        if let Some(part) = source.get(s..e) {
                            col.push(part, s..e, source);
                        }
                    }
                }
                Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) if !inside => {}
                // containers that hold the note (its paragraph, a list item) are not breaks in it
                Event::Start(_) | Event::End(_) if !inside => {}
                _ => feed(col, &event, range.clone(), source),
            }
        }
    }
    cols.into_iter().map(Collector::finish).collect()
}

/// True when the `^[...]` whose `]` ends at `after` is the start of a superscript (`^[x]{.c}^`,
/// `^[x]^`), not an inline note: pandoc reads a superscript first, and one runs to the next `^`
/// with no space between (a `{...}` of attributes counts as one piece).
fn superscript(source: &str, after: usize) -> bool {
    let mut rest = source.get(after..).unwrap_or("");
    if rest.starts_with('{') {
        match rest.find('}') {
            Some(p) if !rest[..p].contains('\n') => rest = &rest[p + 1..],
            _ => return false,
        }
    }
    let word = rest.len()
        - rest
            .trim_start_matches(|c: char| !c.is_whitespace() && c != '^')
            .len();
    rest[word..].starts_with('^')
}

/// The `[^label]` references in the text of a YAML metadata block (`title: An essay[^t]`), which
/// pandoc reads as Markdown; `at` is the text's offset. A `[^label]:` there is no reference.
/// (Whether the note exists is the caller's question.)
fn meta_markers(text: &str, at: usize, source: &str, markers: &mut Vec<Marker>) {
    for (off, _) in text.match_indices("[^") {
        let start = at + off;
        if source.get(start..start + 2) != Some("[^") || escaped(source, start) {
            continue;
        }
        let rest = &text[off + 2..];
        let len: usize = rest
            .chars()
            .take_while(|&c| label_char(c))
            .map(char::len_utf8)
            .sum();
        if len == 0 || len > 80 || !rest[len..].starts_with(']') || rest[len + 1..].starts_with(':')
        {
            continue;
        }
        markers.push(Marker {
            id: normalise(&rest[..len]),
            span: Span::new(start, start + len + 3),
        });
    }
}

/// True when the byte at `at` is escaped by an odd number of backslashes.
fn escaped(source: &str, at: usize) -> bool {
    source.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

/// Where the code span whose opening run of `ticks` backticks ends at `from` ends (past its
/// closing run): a run of exactly as many backticks, in the same paragraph (CommonMark 6.1). `None`
/// when there is none: the backticks are literal. (A search to the end of the document let a
/// stray ``` `` ``` swallow the notes of later paragraphs, and cost a scan of the rest of the
/// document for each.)
fn code_span_end(source: &str, from: usize, ticks: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut i = from;
    // (after a newline, until the line shows more than white space: a blank line ends it)
    let mut line_start = false;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                if run == ticks {
                    return Some(i + run);
                }
                i += run;
                line_start = false;
                continue;
            }
            b'\n' if line_start => return None,
            b'\n' => line_start = true,
            b' ' | b'\t' | b'\r' => {}
            _ => line_start = false,
        }
        i += 1;
    }
    None
}

/// The `]` matching the `[` at `open`: nested brackets counted, backslash escapes and code spans
/// skipped; `None` when a blank line (the paragraph's end) or the text's end comes first.
fn closing_bracket(source: &str, open: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'`' => {
                let ticks = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                match code_span_end(source, i + ticks, ticks) {
                    Some(end) => i = end - 1,
                    None => i += ticks - 1,
                }
            }
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'\n' => {
                let rest = &source[i + 1..];
                let line = rest.split('\n').next().unwrap_or("");
                if line.trim().is_empty() {
                    return None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Manuscript {
        read(Path::new("t.md"), text.to_owned()).unwrap()
    }

    fn codes(ms: &Manuscript) -> Vec<Code> {
        ms.diagnostics.iter().map(|d| d.code).collect()
    }

    /// Every verbatim segment of every note maps to source bytes equal to its text.
    fn assert_maps(ms: &Manuscript) {
        for note in &ms.notes {
            for seg in &note.map.segments {
                if seg.text.len() == seg.source.len() {
                    assert_eq!(
                        seg.text.slice(&note.text),
                        seg.source.slice(&ms.text),
                        "note {}",
                        note.id
                    );
                }
            }
        }
    }

    #[test]
    fn references_and_definitions() {
        let ms = read_str(
            "Body one.[^1] Body two.[^Fn-A]\n\n# Notes\n\n[^1]: First, *Title*, 4.\n[^fn-a]:Ibid.\n",
        );
        assert_eq!(ms.notes.len(), 2);
        assert_eq!(ms.notes[0].id, "1");
        assert_eq!(ms.notes[1].id, "fn-a");
        assert_eq!(ms.notes[0].text, "First, Title, 4.");
        assert_eq!(ms.notes[0].emphasis, vec![Span::new(7, 12)]);
        assert_eq!(ms.notes[1].text, "Ibid.");
        assert_eq!(ms.markers.len(), 2);
        assert_eq!(ms.markers[0].span.slice(&ms.text), "[^1]");
        assert_eq!(ms.notes[0].label.unwrap().slice(&ms.text), "[^1]:");
        assert_eq!(codes(&ms), vec![Code::GluedMarker]);
        let span = ms.notes[0].map.span(Span::new(0, 5)).unwrap();
        assert_eq!(span.slice(&ms.text), "First");
        // "4." lies after the emphasis: maps verbatim
        let span = ms.notes[0].map.span(Span::new(14, 16)).unwrap();
        assert_eq!(span.slice(&ms.text), "4.");
        assert_maps(&ms);
    }

    #[test]
    fn continuation_lines_and_paragraphs() {
        let ms = read_str(
            "Text.[^a]\n\n[^a]: A long note\n    continued here.\n\n    A second paragraph, 5.\n\nBody again.\n",
        );
        assert_eq!(ms.notes.len(), 1);
        let note = &ms.notes[0];
        assert_eq!(
            note.text,
            "A long note\ncontinued here.\n\nA second paragraph, 5."
        );
        assert!(!ms.notes[0].text.contains("Body again"));
        let at = note.text.find("continued").unwrap();
        let span = note.map.span(Span::new(at, at + 9)).unwrap();
        assert_eq!(span.slice(&ms.text), "continued");
        let at = note.text.find("second").unwrap();
        let span = note.map.span(Span::new(at, at + 6)).unwrap();
        assert_eq!(span.slice(&ms.text), "second");
        assert_maps(&ms);
        assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
    }

    #[test]
    fn inline_notes_are_numbered_with_the_others() {
        let ms = read_str(
            "One.[^x] Two.^[Smith, *Book*, 4 [see p. 5].] Three.[^y]\n\n[^x]: X.\n[^y]: Y.\n",
        );
        let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, vec!["x", "2", "y"]);
        let inline = &ms.notes[1];
        assert_eq!(inline.number, 2);
        assert_eq!(inline.text, "Smith, Book, 4 [see p. 5].");
        assert_eq!(inline.emphasis, vec![Span::new(7, 11)]);
        assert_eq!(
            inline.span.slice(&ms.text),
            "^[Smith, *Book*, 4 [see p. 5].]"
        );
        let span = inline.map.span(Span::new(0, 5)).unwrap();
        assert_eq!(span.slice(&ms.text), "Smith");
        assert_eq!(ms.markers.len(), 3);
        assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
        assert_maps(&ms);
    }

    fn note_texts(ms: &Manuscript) -> Vec<&str> {
        ms.notes.iter().map(|n| n.text.as_str()).collect()
    }

    /// Inline notes are collected in one pass over the parser's events (#17): each keeps its
    /// own words, italics and map, however many share a paragraph, a list item or a quote.
    #[test]
    fn inline_notes_side_by_side_keep_their_own_text() {
        let ms = read_str(
            "One.^[Lee, *Power*, 4.] Two `code`.^[See *Ray*, 9; Cole, 2.] Three.^[Plain, 5.]\n\n- Item.^[In a *list*, 1.]\n\n> Quote.^[In a quote, 2.]\n",
        );
        assert_eq!(
            note_texts(&ms),
            [
                "Lee, Power, 4.",
                "See Ray, 9; Cole, 2.",
                "Plain, 5.",
                "In a list, 1.",
                "In a quote, 2."
            ]
        );
        let italic: Vec<Vec<&str>> = ms
            .notes
            .iter()
            .map(|n| n.emphasis.iter().map(|e| e.slice(&n.text)).collect())
            .collect();
        assert_eq!(
            italic,
            [vec!["Power"], vec!["Ray"], vec![], vec!["list"], vec![]]
        );
        assert_maps(&ms);
    }

    /// A stray ``` `` ``` (TeX quotes in a title) opens no code span: the inline note ends at its
    /// bracket, and the notes of the paragraphs after it are read (they were swallowed).
    #[test]
    fn stray_backticks_do_not_swallow_later_notes() {
        let ms = read_str(
            "One.^[Burke, “``interprocedural Analysis’’,” 161.]\n\nTwo.^[Lee, *Power*, 4.]\n\nThree `x`.^[Ray, `` a ] b ``, 9.]\n",
        );
        assert_eq!(
            note_texts(&ms),
            [
                "Burke, “``interprocedural Analysis’’,” 161.",
                "Lee, Power, 4.",
                "Ray, a ] b, 9."
            ]
        );
    }

    #[test]
    fn code_is_never_read_for_notes() {
        let ms = read_str(
            "Text[^1] and `[^2]` and `^[no]`.\n\n```\n[^3] and ^[not a note]\n```\n\n    [^4] indented code\n\n[^1]: One.\n",
        );
        assert_eq!(ms.notes.len(), 1);
        assert_eq!(ms.markers.len(), 1);
        assert!(ms.diagnostics.is_empty(), "{:?}", ms.diagnostics);
    }

    #[test]
    fn blockquote_and_list_notes() {
        let ms = read_str(
            "> Quoted.[^q]\n\n- item[^l]\n- item two\n\n> [^q]: From a quote, 3.\n\n[^l]: From a list, *T*.\n",
        );
        assert_eq!(ms.markers.len(), 2);
        let ids: Vec<_> = ms.notes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, vec!["q", "l"]);
        assert_eq!(ms.notes[0].text, "From a quote, 3.");
        assert_eq!(ms.notes[1].emphasis.len(), 1);
        assert_maps(&ms);
    }

    #[test]
    fn links_keep_their_urls() {
        let ms = read_str(
            "T.[^1]\n\n[^1]: [Intro to *X*](https://perma.cc/J5BV) (accessed 2021), <https://a.org/b>, [here](#sec) and [ref][r].\n\n[r]: https://r.org\n",
        );
        let note = &ms.notes[0];
        assert_eq!(
            note.text,
            "Intro to X https://perma.cc/J5BV (accessed 2021), https://a.org/b, here and ref."
        );
        // a raw HTML link too
        let raw = read_str(
            "T.[^1]\n\n[^1]: At <a href=\"https://dc.org/x\">Digital Commonwealth</a> in 2017.\n",
        );
        assert_eq!(
            raw.notes[0].text,
            "At Digital Commonwealth https://dc.org/x in 2017."
        );
        assert_maps(&raw);
        // the link as a whole (text and URL) maps to the whole link, markup included
        let end = note.text.find("https://perma").unwrap() + "https://perma.cc/J5BV".len();
        let link = note.map.span(Span::new(0, end)).unwrap();
        assert_eq!(
            link.slice(&ms.text),
            "[Intro to *X*](https://perma.cc/J5BV)"
        );
        // the URL inside maps byte for byte
        let at = note.text.find("https://perma").unwrap();
        let url = note.map.span(Span::new(at, at + 8)).unwrap();
        assert_eq!(url.slice(&ms.text), "https://");
        assert_maps(&ms);
    }

    #[test]
    fn markup_at_citation_edges_maps_with_its_text() {
        let ms = read_str("T.[^1]\n\n[^1]: *Hacking*, 62; see **Lee**, `Code`.\n");
        let note = &ms.notes[0];
        assert_eq!(note.text, "Hacking, 62; see Lee, Code.");
        let whole = note.map.span(Span::new(0, note.text.len())).unwrap();
        assert_eq!(whole.slice(&ms.text), "*Hacking*, 62; see **Lee**, `Code`.");
        // a span ending with the italics takes the closing `*`; one starting after it does not
        let title = note.map.span(Span::new(0, 7)).unwrap();
        assert_eq!(title.slice(&ms.text), "*Hacking*");
        let rest = note.map.span(Span::new(7, 11)).unwrap();
        assert_eq!(rest.slice(&ms.text), ", 62");
        let lee = note.text.find("Lee").unwrap();
        let span = note.map.span(Span::new(lee, lee + 3)).unwrap();
        assert_eq!(span.slice(&ms.text), "**Lee**");
        let code = note.text.find("Code").unwrap();
        let span = note.map.span(Span::new(code, code + 4)).unwrap();
        assert_eq!(span.slice(&ms.text), "`Code`");
    }

    #[test]
    fn citation_keys_stay_in_the_text() {
        let ms = read_str("Claim.[^1]\n\n[^1]: See [@smith2004, p. 4; @lee2018].\n");
        assert_eq!(ms.notes[0].text, "See [@smith2004, p. 4; @lee2018].");
        assert_maps(&ms);
    }

    #[test]
    fn escapes_and_entities_map_at_their_ends() {
        let ms = read_str("T.[^1]\n\n[^1]: A \\*star\\* &amp; Co, 4.\n");
        let note = &ms.notes[0];
        assert_eq!(note.text, "A *star* & Co, 4.");
        let at = note.text.find('&').unwrap();
        let span = note.map.span(Span::new(at, at + 1)).unwrap();
        assert_eq!(span.slice(&ms.text), "&amp;");
        let span = note.map.span(Span::new(0, note.text.len())).unwrap();
        assert_eq!(span.slice(&ms.text), "A \\*star\\* &amp; Co, 4.");
        assert_maps(&ms);
    }

    #[test]
    fn findings_undefined_unused_repeated_adjacent() {
        let ms = read_str("A[^1] b[^2] [^3] c[^1] d[^9].\n\n[^1]: a\n[^2]: b\n[^3]: c\n[^4]: d\n");
        let found = codes(&ms);
        assert!(found.contains(&Code::MarkerWithoutNote), "{found:?}");
        assert!(found.contains(&Code::NoteWithoutMarker), "{found:?}");
        assert!(found.contains(&Code::RepeatedMarker), "{found:?}");
        assert!(found.contains(&Code::AdjacentMarkers), "{found:?}");
        let unused = ms
            .diagnostics
            .iter()
            .find(|d| d.code == Code::NoteWithoutMarker)
            .unwrap();
        assert_eq!(unused.note.as_deref(), Some("4"));
        // the unused definition comes last
        assert_eq!(ms.notes.last().unwrap().id, "4");
    }

    #[test]
    fn crlf_reads_the_same_notes() {
        let lf =
            "A.[^1] B.[^2]\n\n[^1]: One *Book*,\n    continued, 4.\n\n    More.\n\n[^2]: Two.\n";
        let crlf = lf.replace('\n', "\r\n");
        let (a, b) = (read_str(lf), read_str(&crlf));
        assert_eq!(a.notes.len(), b.notes.len());
        for (x, y) in a.notes.iter().zip(&b.notes) {
            assert_eq!(x.text, y.text.replace('\r', ""));
            assert_eq!(x.emphasis.len(), y.emphasis.len());
            let all = y.map.span(Span::new(0, y.text.len())).unwrap();
            assert!(all.slice(&b.text).ends_with('.'));
        }
        assert_maps(&b);
    }

    #[test]
    fn front_matter_and_no_notes() {
        let ms = read_str("---\ntitle: x [^1]\n---\n\nJust prose.\n");
        assert!(ms.notes.is_empty());
        assert_eq!(codes(&ms), vec![Code::NoNotes]);
    }
}
