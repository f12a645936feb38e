//! The HTML reader: footnote links and the notes they point to.
//!
//! The source is tokenized with html5gum (a WHATWG tokenizer that gives every token its byte span);
//! elements are matched to their end tags with an explicit stack (implied ends of `<p>` and `<li>`
//! included), never by recursion, so deeply nested HTML cannot exhaust the call stack.
//!
//! * A **marker** is a link `<a href="#X">` that points forward to an element with `id="X"` (or an
//!   anchor `<a name="X">`), whose text is a short label (`3`, `[3]`, `iv`, `*`) and that looks like
//!   a note reference: inside or around a `<sup>`, or with a footnote class or role, or pointing to
//!   an id such as `fn3`, `_ftn3`, `note-3`. Its span is the `<a>` (with a `<sup>` wrapped tightly
//!   around it). Pandoc's `class="footnote-ref"`, WordPress plugins' `<sup class="footnote">`,
//!   Word's `<a href="#_ftn1" name="_ftnref1">[1]</a>` all fit.
//! * The **note** is the element the link points to: a `<li id=...>` of a notes list, a
//!   `<p>`/`<div>`/`<aside>` with the id, or, when the target is an inline anchor (`<a name="_ftn1">`),
//!   the paragraph or list item around it. Links back to the body (pointing backwards, or with a
//!   back-link class/role, such as pandoc's ↩︎) are not note text; a leading label (`<sup>3</sup>`,
//!   `[3]`) is the note's [`Note::label`].
//! * A page **without footnote links** (a word processor's text pasted into a blog: `[i]` typed in
//!   the text, a NOTES heading, one `<p>` per note) is read by the plain-text reader over its
//!   visible text, block by block (a number in `<sup>` read as superscript digits, `¹`), and every
//!   span is mapped back to the HTML.
//! * The note's **id** is its displayed number (`#fn3` shown as `3` gives `3`), or the fragment id
//!   when the link shows nothing usable. Notes are in document order.
//! * Text: entities decoded (each entity one [`SourceMap`] segment that maps only at its ends),
//!   whitespace runs collapsed to one space as a browser shows them, block boundaries inside a note
//!   as `\n\n`; `<em>`, `<i>`, `<cite>` give [`Note::emphasis`]. `<script>` and `<style>` are skipped.
//!   Inline tags at the edges of text go with it (`<em>Hacking</em>, 62`: `Hacking` maps to
//!   `<em>Hacking</em>`, `, 62` to `, 62`), so a citation's span never cuts an element in half.
//!   A link to an absolute URL reads as its text followed by the URL (`<a href="https://x.org">X</a>`
//!   -> `X https://x.org`, the URL mapped to the `href` value), as in the Markdown reader.

use std::path::Path;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::error::Result;
use crate::manuscript::{check_links, shows_url, Format, Manuscript, Marker, Markers, Note};
use crate::model::span::{SourceMap, Span};

pub(in crate::manuscript) use text::Builder;
pub(crate) use text::Piece;
use text::{decode_literal, decode_run, DecodeRun};

mod text;

/// An HTML page without footnote links (a web page copied from a word processor, `[i]` typed
/// in the text and a NOTES heading): its visible text, block by block, read by the plain-text
/// reader, every span mapped back to the HTML. `None` when that finds no notes either.
fn read_plain(
    path: &Path,
    source: &str,
    items: &[Item],
    tree: &Tree,
) -> Result<Option<Manuscript>> {
    let mut b = Builder::default();
    let mut open_em: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < items.len() {
        while open_em.last().is_some_and(|&(close, _)| i >= close) {
            if let Some((_, start)) = open_em.pop() {
                if b.text.len() > start {
                    b.emphasis.push(Span::new(start, b.text.len()));
                }
            }
        }
        let item = &items[i];
        match item.kind {
            Kind::Text => {
                // a number set in <sup> is a note marker: superscript digits, as pasted text has
                let raw = item.span.slice(source).trim();
                let sup = tree.parent[i].filter(|&p| items[p].name == "sup");
                let digits =
                    !raw.is_empty() && raw.len() <= 4 && raw.bytes().all(|c| c.is_ascii_digit());
                if let Some(p) = sup.filter(|_| digits) {
                    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
                    let text: String = raw.bytes().map(|d| SUP[usize::from(d - b'0')]).collect();
                    // the marker is the whole <sup>…</sup>
                    b.push(&Piece {
                        text,
                        source: Span::new(items[p].span.start, tree.end_byte[p]),
                        verbatim: false,
                    });
                    i += 1;
                    continue;
                }
                for piece in item_run(source, item) {
                    if piece.text.bytes().all(|c| c.is_ascii_whitespace()) {
                        b.whitespace(&piece);
                    } else {
                        b.push(&piece);
                    }
                }
            }
            Kind::End if is_block(&item.name) => b.paragraph(item.span.start),
            Kind::End => {}
            Kind::Start => {
                let name = item.name.as_str();
                if matches!(name, "script" | "style" | "template" | "head" | "title") {
                    i = tree.close[i].max(i + 1);
                    continue;
                }
                if is_block(name) || name == "br" {
                    b.paragraph(item.span.start);
                }
                if matches!(name, "em" | "i" | "cite") {
                    open_em.push((tree.close[i], b.text_len_with_pending()));
                }
            }
        }
        i += 1;
    }
    read_flat(path, b, Format::Html)
}

/// Reads the text a [`Builder`] flattened from a document (its visible text, paragraphs apart) with
/// the plain-text reader, and maps every span back through the builder's map. `None` when the
/// plain-text reader finds no notes. The manuscript's `text` is left empty for the caller to set.
pub(super) fn read_flat(path: &Path, mut b: Builder, format: Format) -> Result<Option<Manuscript>> {
    let flat_emphasis = std::mem::take(&mut b.emphasis);
    let flat = b.text.clone();
    let flat_map = b.map_ref().clone();
    let ms = crate::manuscript::text::read(path, flat)?;
    if ms.notes.is_empty() {
        return Ok(None);
    }
    let back = |span: Span| -> Span {
        let start = flat_map
            .offset(span.start)
            .unwrap_or_else(|| flat_map.approx(span.start));
        let end = flat_map
            .offset(span.end)
            .unwrap_or_else(|| flat_map.approx(span.end));
        Span::new(start, end.max(start))
    };
    let notes = ms
        .notes
        .into_iter()
        .map(|n| {
            let map = compose(&n.map, &flat_map);
            // the note's text is a slice of the flat text: its emphasis is the page's, cut to it
            let at = n.map.segments.first().map_or(0, |s| s.source.start);
            let emphasis = flat_emphasis
                .iter()
                .filter_map(|e| {
                    let s = e.start.max(at);
                    let end = e.end.min(at + n.text.len());
                    (s < end).then(|| Span::new(s - at, end - at))
                })
                .collect();
            Note {
                span: back(n.span),
                label: n.label.map(back),
                map,
                emphasis,
                ..n
            }
        })
        .collect();
    let markers = ms
        .markers
        .into_iter()
        .map(|m| Marker {
            span: back(m.span),
            ..m
        })
        .collect();
    let diagnostics = ms
        .diagnostics
        .into_iter()
        .map(|mut d| {
            d.span = d.span.map(back);
            d
        })
        .collect();
    Ok(Some(Manuscript {
        path: path.to_owned(),
        format,
        text: String::new(),
        markers,
        notes,
        diagnostics,
    }))
}

/// `first` maps note text to an intermediate text, `second` that text to the source: the map from
/// note text to source. Verbatim through both stays verbatim; anything else maps at its ends.
fn compose(first: &SourceMap, second: &SourceMap) -> SourceMap {
    let mut out = SourceMap::default();
    for seg in &first.segments {
        let verbatim = seg.text.len() == seg.source.len();
        let mut pushed = false;
        for f in &second.segments {
            let (s, e) = (
                seg.source.start.max(f.text.start),
                seg.source.end.min(f.text.end),
            );
            if s >= e {
                continue;
            }
            if !verbatim {
                continue;
            }
            let text_start = seg.text.start + (s - seg.source.start);
            let source = if f.text.len() == f.source.len() {
                let at = f.source.start + (s - f.text.start);
                Span::new(at, at + (e - s))
            } else {
                f.source
            };
            out.push(text_start, e - s, source);
            pushed = true;
        }
        if !pushed {
            let start = second.approx(seg.source.start);
            let end = second.approx(seg.source.end).max(start);
            out.push(seg.text.start, seg.text.len(), Span::new(start, end));
        }
    }
    out
}

/// How far up the open-element stack an end tag (or an implied end) looks for its start tag, and
/// how far up the ancestors a lookup goes: bounds the work on pathological input (real documents
/// close within a few levels).
const END_TAG_SEARCH: usize = 256;

/// Reads an HTML manuscript.
pub fn read(path: &Path, text: String) -> Result<Manuscript> {
    let items = tokenize(&text);
    let tree = Tree::build(&items, text.len());
    let (markers, notes) = find_notes(&text, &items, &tree);
    let mut diagnostics = Vec::new();
    if markers.is_empty() && notes.is_empty() {
        if let Some(plain) = read_plain(path, &text, &items, &tree)? {
            return Ok(Manuscript { text, ..plain });
        }
    }
    check_links(&markers, &notes, &text, Markers::Linked, &mut diagnostics);
    Ok(Manuscript {
        path: path.to_owned(),
        format: Format::Html,
        text,
        markers,
        notes,
        diagnostics,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Start,
    End,
    Text,
}

/// One token: a start tag (with the attributes the reader uses), an end tag or a text run.
#[derive(Debug, Clone)]
struct Item {
    kind: Kind,
    /// Lower-case tag name (empty for text).
    name: String,
    id: Option<String>,
    anchor: Option<String>,
    href: Option<String>,
    class: String,
    role: String,
    self_closing: bool,
    span: Span,
}

/// The name of the text items that are the content of a CDATA section.
const CDATA: &str = "#cdata";

fn tokenize(text: &str) -> Vec<Item> {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut items = Vec::new();
    // the end of a CDATA section read as text: the tokens before it are its content
    let mut skip_to = 0usize;
    for token in Tokenizer::new_with_emitter(text, emitter).flatten() {
        let start = match &token {
            Token::StartTag(t) => t.span.start,
            Token::EndTag(t) => t.span.start,
            Token::String(t) => t.span.start,
            Token::Comment(t) => t.span.start,
            _ => usize::MAX,
        };
        if start < skip_to {
            // inside a CDATA section: only what follows its end is a token of its own
            if let Token::String(t) = &token {
                if t.span.end > skip_to {
                    items.push(text_item(Span::new(skip_to, t.span.end), ""));
                }
            }
            continue;
        }
        match token {
            // HTML tokenizes `<![CDATA[...]]>` outside SVG and MathML as a comment up to the first
            // `>`; XHTML (and EPUB) reads it as text, so does ibid: its content, verbatim
            Token::Comment(c) if c.starts_with(b"[CDATA[") => {
                let at = text.get(c.span.start..).and_then(|r| r.find("<![CDATA["));
                if let Some(open) = at.map(|p| c.span.start + p + 9) {
                    if let Some(len) = text[open..].find("]]>") {
                        if len > 0 {
                            items.push(text_item(Span::new(open, open + len), CDATA));
                        }
                        skip_to = open + len + 3;
                    }
                }
            }
            Token::StartTag(tag) => {
                let attr = |name: &[u8]| {
                    tag.attributes
                        .get(name)
                        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                };
                items.push(Item {
                    kind: Kind::Start,
                    name: String::from_utf8_lossy(&tag.name).to_ascii_lowercase(),
                    id: attr(b"id"),
                    anchor: attr(b"name"),
                    href: attr(b"href"),
                    class: attr(b"class").unwrap_or_default().to_ascii_lowercase(),
                    // EPUB marks notes with epub:type, as ARIA does with role
                    role: format!(
                        "{} {}",
                        attr(b"role").unwrap_or_default(),
                        attr(b"epub:type").unwrap_or_default()
                    )
                    .to_ascii_lowercase(),
                    self_closing: tag.self_closing,
                    span: Span::new(tag.span.start, tag.span.end),
                });
            }
            Token::EndTag(tag) => items.push(Item {
                kind: Kind::End,
                name: String::from_utf8_lossy(&tag.name).to_ascii_lowercase(),
                id: None,
                anchor: None,
                href: None,
                class: String::new(),
                role: String::new(),
                self_closing: false,
                span: Span::new(tag.span.start, tag.span.end),
            }),
            Token::String(s) => {
                let span = Span::new(s.span.start, s.span.end);
                match items.last_mut() {
                    Some(last)
                        if last.kind == Kind::Text
                            && last.name.is_empty()
                            && last.span.end == span.start =>
                    {
                        last.span.end = span.end;
                    }
                    _ => items.push(text_item(span, "")),
                }
            }
            _ => {}
        }
    }
    items
}

/// A text item (`name`: empty, or [`CDATA`]).
fn text_item(span: Span, name: &str) -> Item {
    Item {
        kind: Kind::Text,
        name: name.to_owned(),
        id: None,
        anchor: None,
        href: None,
        class: String::new(),
        role: String::new(),
        self_closing: false,
        span,
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose start closes an open `<p>`.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "td",
    "th",
    "tr",
    "dd",
    "dt",
    "body",
];

/// True when `gap` is one or more tags and nothing else.
pub(super) fn only_tags(gap: &str) -> bool {
    !gap.is_empty() && crate::manuscript::only_markup(gap, false)
}

/// Inline elements whose tags belong to the text they wrap (for mapping spans, see
/// [`Builder::close_markup`]).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "cite", "code", "em", "font", "i", "mark", "q", "s", "small", "span",
    "strong", "sub", "sup", "u",
];

fn is_block(name: &str) -> bool {
    BLOCK.contains(&name)
}

/// Where each element ends: the item index after its content, and the byte after its end tag.
struct Tree {
    /// For a start item: the index of the item that closes it (its end tag, or the item that
    /// implicitly ends it); content is `start + 1 .. close`.
    close: Vec<usize>,
    /// For a start item: the byte where the element ends.
    end_byte: Vec<usize>,
    /// For every item: the index of the innermost open element containing it, if any.
    parent: Vec<Option<usize>>,
}

impl Tree {
    fn build(items: &[Item], len: usize) -> Tree {
        let n = items.len();
        let mut close = vec![n; n];
        let mut end_byte = vec![len; n];
        let mut parent = vec![None; n];
        let mut stack: Vec<usize> = Vec::new();
        fn close_from(
            (close, end_byte): (&mut [usize], &mut [usize]),
            stack: &mut Vec<usize>,
            k: usize,
            at: usize,
            byte: usize,
        ) {
            for &open in &stack[k..] {
                close[open] = at;
                end_byte[open] = byte;
            }
            stack.truncate(k);
        }
        for (i, item) in items.iter().enumerate() {
            match item.kind {
                Kind::Text => parent[i] = stack.last().copied(),
                Kind::Start => {
                    let name = item.name.as_str();
                    if name == "li" || name == "dt" || name == "dd" {
                        // a new item ends the open one (up to the nearest list)
                        let lowest = stack.len().saturating_sub(END_TAG_SEARCH);
                        let k = stack[lowest..]
                            .iter()
                            .rposition(|&o| {
                                matches!(
                                    items[o].name.as_str(),
                                    "li" | "dt" | "dd" | "ol" | "ul" | "dl"
                                )
                            })
                            .map(|p| p + lowest);
                        if let Some(k) = k {
                            if matches!(items[stack[k]].name.as_str(), "li" | "dt" | "dd") {
                                close_from(
                                    (&mut close, &mut end_byte),
                                    &mut stack,
                                    k,
                                    i,
                                    item.span.start,
                                );
                            }
                        }
                    }
                    if is_block(name) {
                        // a block ends an open paragraph that holds only inline elements
                        let lowest = stack.len().saturating_sub(END_TAG_SEARCH);
                        let k = stack[lowest..]
                            .iter()
                            .rposition(|&o| items[o].name == "p")
                            .map(|p| p + lowest);
                        if let Some(k) = k {
                            if stack[k + 1..].iter().all(|&o| !is_block(&items[o].name)) {
                                close_from(
                                    (&mut close, &mut end_byte),
                                    &mut stack,
                                    k,
                                    i,
                                    item.span.start,
                                );
                            }
                        }
                    }
                    parent[i] = stack.last().copied();
                    if item.self_closing || VOID.contains(&name) {
                        close[i] = i + 1;
                        end_byte[i] = item.span.end;
                    } else {
                        stack.push(i);
                    }
                }
                Kind::End => {
                    let lowest = stack.len().saturating_sub(END_TAG_SEARCH);
                    let found = stack[lowest..]
                        .iter()
                        .rposition(|&o| items[o].name == item.name)
                        .map(|p| p + lowest);
                    if let Some(k) = found {
                        let byte = item.span.start;
                        close_from((&mut close, &mut end_byte), &mut stack, k + 1, i, byte);
                        close[stack[k]] = i;
                        end_byte[stack[k]] = item.span.end;
                        stack.truncate(k);
                    }
                    parent[i] = stack.last().copied();
                }
            }
        }
        Tree {
            close,
            end_byte,
            parent,
        }
    }

    /// The nearest ancestor of item `i` (itself excluded) that satisfies `pred`.
    fn ancestor(&self, i: usize, mut pred: impl FnMut(usize) -> bool) -> Option<usize> {
        let mut at = self.parent[i];
        let mut steps = 0;
        while let Some(p) = at {
            steps += 1;
            if steps > END_TAG_SEARCH {
                return None;
            }
            if pred(p) {
                return Some(p);
            }
            at = self.parent[p];
        }
        None
    }
}

/// [`decode_run`] of a text item; the content of a CDATA section has no entities.
fn item_run<'a>(source: &'a str, item: &Item) -> DecodeRun<'a> {
    if item.name == CDATA {
        decode_literal(source, item.span)
    } else {
        decode_run(source, item.span)
    }
}

/// Visible text of items `from..to`, whitespace collapsed (for marker labels).
fn plain_text(source: &str, items: &[Item], from: usize, to: usize) -> String {
    let mut out = String::new();
    for item in &items[from..to.min(items.len())] {
        if item.kind == Kind::Text {
            for piece in item_run(source, item) {
                out.push_str(&piece.text);
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A marker's shown label as a note id: `[3]` -> `3`, `iv` -> `iv`; `None` when it is not short.
fn label_id(shown: &str) -> Option<String> {
    let t = shown
        .trim()
        .trim_start_matches(['[', '('])
        .trim_end_matches([']', ')'])
        .trim();
    let ok = !t.is_empty()
        && t.chars().count() <= 8
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '*' | '†' | '‡' | '§' | '-' | '_'));
    ok.then(|| t.to_lowercase())
}

fn looks_like_note_id(id: &str) -> bool {
    let id = id.to_ascii_lowercase();
    ["fn", "ftn", "edn", "note", "ref"]
        .iter()
        .any(|p| id.contains(p))
}

/// A link to another document that a citation would show: `http(s)://`, `ftp://`, `doi:`.
fn is_absolute_url(href: &str) -> bool {
    ["http://", "https://", "ftp://", "doi:"]
        .iter()
        .any(|p| href.starts_with(p))
}

/// A link pointing back to the body: pandoc's `footnote-back`, a `doc-backlink` role, ...
fn is_backlink_class(item: &Item) -> bool {
    item.role.contains("backlink")
        || item.class.contains("back")
        || item.class.contains("reversefootnote")
}

/// An element that holds the links back to the body, and the text around them: Wikipedia's
/// `<span class="mw-cite-backlink">^ <a>a</a> <a>b</a></span>` (its `^` and letters are not
/// note text). Stricter than [`is_backlink_class`], which only ever sees links.
fn is_backlink_container(item: &Item) -> bool {
    item.role.contains("backlink")
        || item
            .class
            .split_whitespace()
            .any(|c| c.contains("backlink") || c.contains("footnote-back"))
}

fn find_notes(source: &str, items: &[Item], tree: &Tree) -> (Vec<Marker>, Vec<Note>) {
    use std::collections::HashMap;
    // targets: id / name -> item index
    let mut targets: HashMap<&str, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if item.kind != Kind::Start {
            continue;
        }
        for key in [&item.id, &item.anchor].into_iter().flatten() {
            targets.entry(key.as_str()).or_insert(i);
        }
    }
    let in_sup =
        |i: usize| items[i].name == "sup" || tree.ancestor(i, |p| items[p].name == "sup").is_some();

    // markers: forward links to a target with a short label
    struct Link {
        item: usize,
        target: usize,
        shown: String,
        span: Span,
    }
    let mut links: Vec<Link> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if item.kind != Kind::Start || item.name != "a" {
            continue;
        }
        let Some(frag) = item.href.as_deref().and_then(|h| h.strip_prefix('#')) else {
            continue;
        };
        let Some(&target) = targets.get(frag) else {
            continue;
        };
        if target <= i || is_backlink_class(item) {
            continue;
        }
        if items[target].name.starts_with('h') && items[target].name.len() == 2 {
            continue; // a table of contents entry
        }
        let shown = plain_text(source, items, i + 1, tree.close[i]);
        let contains_sup = items[i + 1..tree.close[i].min(items.len())]
            .iter()
            .any(|x| x.kind == Kind::Start && x.name == "sup");
        let notey = in_sup(i)
            || contains_sup
            || item.class.contains("footnote")
            || item.class.contains("fnref")
            || item.class.contains("noteref")
            || item.role.contains("noteref")
            || looks_like_note_id(frag);
        if !notey || label_id(&shown).is_none() {
            continue;
        }
        // a <sup> wrapped tightly around the link belongs to the marker
        let mut span = Span::new(item.span.start, tree.end_byte[i]);
        if let Some(p) = tree.parent[i] {
            if items[p].name == "sup" {
                let outer = Span::new(items[p].span.start, tree.end_byte[p]);
                let before = source.get(outer.start..span.start).unwrap_or("x");
                let after = source.get(span.end..outer.end).unwrap_or("x");
                let tight = |s: &str| {
                    let mut in_tag = false;
                    s.chars().all(|c| match c {
                        '<' => {
                            in_tag = true;
                            true
                        }
                        '>' => {
                            in_tag = false;
                            true
                        }
                        c => in_tag || c.is_whitespace(),
                    })
                };
                if tight(before) && tight(after) {
                    span = outer;
                }
            }
        }
        links.push(Link {
            item: i,
            target,
            shown,
            span,
        });
    }

    // note regions, in document order of their targets
    let mut region_of_target: Vec<(usize, usize)> = Vec::new(); // (target, region element)
    let mut first_link: HashMap<usize, usize> = HashMap::new(); // target -> first link
    for (k, link) in links.iter().enumerate() {
        if first_link.contains_key(&link.target) {
            continue;
        }
        first_link.insert(link.target, k);
        let t = link.target;
        let inline = !is_block(&items[t].name) && items[t].name != "aside";
        let region = if inline {
            tree.ancestor(t, |p| is_block(&items[p].name)).unwrap_or(t)
        } else {
            t
        };
        region_of_target.push((t, region));
    }
    region_of_target.sort_by_key(|(t, _)| *t);

    let marker_items: std::collections::HashSet<usize> = links.iter().map(|l| l.item).collect();
    let region_of: HashMap<usize, usize> = region_of_target.iter().copied().collect();
    let mut notes: Vec<Note> = Vec::new();
    let mut ids: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut id_of_target: HashMap<usize, String> = HashMap::new();
    for (target, region) in &region_of_target {
        let first = &links[first_link[target]];
        let frag = items[*target]
            .id
            .clone()
            .or_else(|| items[*target].anchor.clone())
            .unwrap_or_default();
        let mut id = label_id(&first.shown).unwrap_or_else(|| frag.to_lowercase());
        if ids.contains(&id) {
            id = frag.to_lowercase();
        }
        ids.insert(id.clone());
        let (text, map, emphasis, label) = note_text(
            source,
            items,
            tree,
            *region,
            &first.shown,
            &marker_items,
            &targets,
        );
        let span = Span::new(items[*region].span.start, tree.end_byte[*region]);
        id_of_target.insert(*target, id.clone());
        notes.push(Note {
            id,
            number: notes.len() + 1,
            label,
            span,
            text,
            map,
            emphasis,
        });
    }
    let mut markers: Vec<Marker> = links
        .iter()
        // a link inside a note's own region that points to that note is its label, not a marker
        .filter(|l| {
            let region = region_of.get(&l.target).copied().unwrap_or(usize::MAX);
            !(region != usize::MAX && l.item > region && l.item < tree.close[region])
        })
        .map(|l| Marker {
            id: id_of_target.get(&l.target).cloned().unwrap_or_default(),
            span: l.span,
        })
        .collect();
    markers.sort_by_key(|m| m.span.start);
    (markers, notes)
}

/// The text of a note's element: back-links and the leading label left out.
fn note_text(
    source: &str,
    items: &[Item],
    tree: &Tree,
    region: usize,
    shown: &str,
    marker_items: &std::collections::HashSet<usize>,
    targets: &std::collections::HashMap<&str, usize>,
) -> (String, SourceMap, Vec<Span>, Option<Span>) {
    let mut b = Builder::default();
    let mut label: Option<Span> = None;
    let end = tree.close[region].min(items.len());
    let mut open_em: Vec<(usize, usize)> = Vec::new(); // (close index, text start)
    let wanted = label_id(shown);
    // open links to absolute URLs: (close index, URL, its bytes in the start tag, text start)
    let mut open_links: Vec<(usize, String, Option<Span>, usize)> = Vec::new();
    let close_link = |b: &mut Builder, link: (usize, String, Option<Span>, usize)| {
        let (close, url, url_span, start) = link;
        if b.text.get(start..).is_some_and(|t| shows_url(t, &url)) {
            return;
        }
        let sep = items
            .get(close)
            .map_or(Span::new(source.len(), source.len()), |x| x.span);
        b.space(sep);
        b.push(&Piece {
            verbatim: url_span.is_some_and(|s| s.len() == url.len()),
            source: url_span.unwrap_or(sep),
            text: url,
        });
    };
    let mut i = region + 1;
    while i < end {
        while open_links.last().is_some_and(|l| i >= l.0) {
            if let Some(link) = open_links.pop() {
                close_link(&mut b, link);
            }
        }
        while let Some(&(close, start)) = open_em.last() {
            if i >= close {
                open_em.pop();
                if b.text.len() > start {
                    b.emphasis.push(Span::new(start, b.text.len()));
                }
            } else {
                break;
            }
        }
        let item = &items[i];
        match item.kind {
            Kind::Text => {
                for piece in item_run(source, item) {
                    if piece.text.bytes().all(|c| c.is_ascii_whitespace()) {
                        b.whitespace(&piece);
                    } else {
                        b.push(&piece);
                    }
                }
            }
            Kind::End => {
                if is_block(&item.name) {
                    b.paragraph(item.span.start);
                } else if INLINE.contains(&item.name.as_str()) {
                    b.close_markup(item.span.end, source);
                }
            }
            Kind::Start => {
                let name = item.name.as_str();
                // past the element: its own end tag too (an implied end is the next item's)
                let close = tree.close[i];
                let own_end = items
                    .get(close)
                    .is_some_and(|x| x.kind == Kind::End && x.name == item.name);
                let skip_to = (close + usize::from(own_end)).max(i + 1);
                if name == "script" || name == "style" || name == "template" {
                    i = skip_to;
                    continue;
                }
                if name != "a" && is_backlink_container(item) {
                    i = skip_to;
                    continue;
                }
                if name == "a" || name == "sup" {
                    let backward = item
                        .href
                        .as_deref()
                        .and_then(|h| h.strip_prefix('#'))
                        .and_then(|f| targets.get(f))
                        .is_some_and(|&t| t < i);
                    let inner = plain_text(source, items, i + 1, skip_to);
                    let is_label = b.text.trim().is_empty()
                        && label.is_none()
                        && wanted.is_some()
                        && label_id(&inner) == wanted;
                    if is_label {
                        label = Some(Span::new(item.span.start, tree.end_byte[i]));
                        i = skip_to;
                        continue;
                    }
                    if name == "a" && (backward || is_backlink_class(item)) {
                        i = skip_to;
                        continue;
                    }
                    if name == "a" && marker_items.contains(&i) {
                        // a reference to another note inside this one: not text
                        i = skip_to;
                        continue;
                    }
                }
                if name == "br" {
                    b.space(item.span);
                } else if is_block(name) {
                    b.paragraph(item.span.start);
                } else if INLINE.contains(&name) {
                    b.open_markup(item.span.start);
                }
                if matches!(name, "em" | "i" | "cite") {
                    open_em.push((tree.close[i], b.text_len_with_pending()));
                }
                if let Some(url) = item.href.as_deref().filter(|h| is_absolute_url(h)) {
                    let raw = item.span.slice(source);
                    let at = raw.find(url).map(|p| item.span.start + p);
                    let url_span = at.map(|at| Span::new(at, at + url.len()));
                    open_links.push((tree.close[i], url.to_owned(), url_span, b.text.len()));
                }
            }
        }
        i += 1;
    }
    while let Some(link) = open_links.pop() {
        close_link(&mut b, link);
    }
    while let Some((_, start)) = open_em.pop() {
        if b.text.len() > start {
            b.emphasis.push(Span::new(start, b.text.len()));
        }
    }
    let (text, map, emphasis) = b.finish();
    (text, map, emphasis, label)
}

#[cfg(test)]
mod tests;
