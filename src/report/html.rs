//! `ibid check --format html`: one self-contained HTML page to send to an author.
//!
//! The page holds everything inline (a `<style>` element, no scripts, no images, no links
//! outside itself): a summary per file (the style and why, the notes, the findings by rule with
//! how many a safe or an unsafe fix corrects and how many need a person), then the notes with
//! findings one by one: the note's text, each finding with its severity, rule and message, the
//! citation as written and its correct form side by side with the changed words marked
//! (`<del>` and `<ins>`, from [`crate::check::word_diff`], the diff of the terminal report), what
//! `ibid fix` does with it, and the rule's explanation (`ibid explain`). Each note is an anchor
//! (`#note-12`; `#f2-note-12` for the second file of several) with links to the note before,
//! the note after and the summary; the rules used are listed at the end (`#rule-IB100`).
//!
//! Manuscript text is untrusted: every piece of it is escaped ([`escape`]), in text and in
//! attributes, and anchors are made of note ids by [`slug`].

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use similar::ChangeTag;

use crate::check::word_diff;
use crate::model::diagnostic::{Applicability, Code, Diagnostic};
use crate::model::span::LineIndex;

use super::FileView;

/// Escapes text for HTML, in element content and in quoted attributes alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A note id as a fragment identifier: ASCII letters, digits, `-` and `_` kept, every other
/// character written as `.` and its code point in hex (`*` is `.2a`), so that two ids never
/// share a slug and none needs escaping in an `href`.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            let _ = write!(out, ".{:x}", c as u32);
        }
    }
    out
}

/// How a finding will be corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fixable {
    Safe,
    Unsafe,
    ByHand,
}

fn fixable(d: &Diagnostic) -> Fixable {
    match d.fix.as_ref().map(|f| f.applicability) {
        Some(Applicability::Safe) => Fixable::Safe,
        Some(Applicability::Unsafe) => Fixable::Unsafe,
        _ => Fixable::ByHand,
    }
}

/// Counts of one rule's findings in a file: all, safe fixes, unsafe fixes, by hand.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    all: usize,
    safe: usize,
    unsafe_: usize,
    by_hand: usize,
}

impl Counts {
    fn add(&mut self, d: &Diagnostic) {
        self.all += 1;
        match fixable(d) {
            Fixable::Safe => self.safe += 1,
            Fixable::Unsafe => self.unsafe_ += 1,
            Fixable::ByHand => self.by_hand += 1,
        }
    }
}

const CSS: &str = r#"
:root{--ink:#1d2430;--muted:#5b6577;--line:#d9dee7;--bg:#f6f7f9;--del:#fbe3e4;--del-ink:#a3222b;--ins:#def5e3;--ins-ink:#17662e;--err:#b42318;--warn:#a15c07;--info:#1f6fb2}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 Georgia,"DejaVu Serif",serif}
main{max-width:62rem;margin:0 auto;padding:1.5rem 1.25rem 4rem}
h1,h2,h3,th,.head,.meta,nav,.badge,.fix,summary,dt,.pos{font-family:system-ui,"DejaVu Sans",Arial,sans-serif}
h1{font-size:1.7rem;margin:.2rem 0}
h2{font-size:1.3rem;margin:2rem 0 .6rem;border-bottom:2px solid var(--line);padding-bottom:.3rem;overflow-wrap:anywhere}
h3{font-size:1.05rem;margin:0}
a{color:#1d4f91}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.88em;background:#eef1f5;padding:0 .2em;border-radius:3px}
.meta{color:var(--muted);font-size:.9rem;margin:0}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.2rem;margin:1rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dt{color:var(--muted);font-size:.9rem}dd{margin:0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tfoot td{font-weight:600;border-bottom:none}
.index{font-size:.9rem;line-height:2}
.index a{display:inline-block;min-width:2.2em;text-align:center;border:1px solid var(--line);border-radius:4px;margin:0 .15em;text-decoration:none;background:#fff}
.note{scroll-margin-top:1rem}
.note header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap}
nav{font-size:.85rem}nav a{margin-left:.8em}
blockquote{margin:.7rem 0;padding:.5rem .8rem;border-left:3px solid var(--line);background:var(--bg);color:#333;overflow-wrap:anywhere}
.finding{border-top:1px solid var(--line);padding-top:.7rem;margin-top:.7rem}
.head{margin:0 0 .4rem;font-size:.95rem}
.badge{display:inline-block;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;padding:.05rem .45rem;border-radius:3px;color:#fff;margin-right:.3rem}
.error .badge{background:var(--err)}.warning .badge{background:var(--warn)}.info .badge{background:var(--info)}
.code{font-weight:600}
.pos{color:var(--muted);font-size:.8rem}
table.diff{table-layout:fixed;margin:.3rem 0}
table.diff td{width:50%;border:1px solid var(--line);background:#fff;overflow-wrap:anywhere}
del{background:var(--del);color:var(--del-ink);text-decoration:line-through}
ins{background:var(--ins);color:var(--ins-ink);text-decoration:none;border-bottom:2px solid #6cc183}
.fix{font-size:.85rem;margin:.3rem 0;color:var(--muted)}
.fix.safe::before{content:"✓ ";color:var(--ins-ink)}
details{font-size:.9rem;color:#333;margin:.2rem 0}
summary{cursor:pointer;color:var(--muted);font-size:.85rem}
.rule{scroll-margin-top:1rem}
@media print{body{background:#fff}.card{border:none;padding:0}nav{display:none}details{display:block}}
"#;

/// The page for the checked `files`.
pub fn render(files: &[FileView<'_>]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = match files {
        [one] => format!("Citation report: {}", one.file),
        _ => format!("Citation report: {} files", files.len()),
    };
    let total: usize = files.iter().map(|f| f.diagnostics.len()).sum();
    let notes: usize = files.iter().map(|f| f.notes.len()).sum();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"ibid {}\">\n<title>{}</title>\n<style>{CSS}</style>\n\
         </head>\n<body>\n<main>\n<header id=\"summary\">\n<h1>Citation report</h1>\n\
         <p class=\"meta\">{} finding{} in {} note{} of {} file{}, checked by ibid {}</p>\n</header>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&title),
        total,
        plural(total),
        notes,
        plural(notes),
        files.len(),
        plural(files.len()),
        env!("CARGO_PKG_VERSION"),
    );
    let mut used: Vec<Code> = Vec::new();
    for (k, f) in files.iter().enumerate() {
        let prefix = if files.len() == 1 {
            String::new()
        } else {
            format!("f{}-", k + 1)
        };
        file_section(&mut out, f, &prefix, files.len() > 1);
        used.extend(f.diagnostics.iter().map(|d| d.code));
    }
    used.sort();
    used.dedup();
    if !used.is_empty() {
        out.push_str("<section id=\"rules\">\n<h2>The rules</h2>\n");
        for code in used {
            let _ = write!(
                out,
                "<div class=\"card rule\" id=\"rule-{code}\">\n<h3><code>{code}</code> {}</h3>\n\
                 <p><strong>{}</strong></p>\n<p>{}</p>\n<nav><a href=\"#summary\">↑ summary</a></nav>\n</div>\n",
                code.slug(),
                prose(code.summary()),
                prose(code.explanation()),
            );
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// One file: its summary card, then its notes with findings.
fn file_section(out: &mut String, f: &FileView<'_>, prefix: &str, several: bool) {
    let top = if several {
        format!("{prefix}file")
    } else {
        "summary".to_owned()
    };
    let _ = write!(out, "<section class=\"file\" id=\"{prefix}file\">\n<h2>{}</h2>\n<div class=\"card\">\n<dl class=\"facts\">\n<dt>Style</dt><dd><code>{}</code> ({})</dd>\n<dt>Notes</dt><dd>{}</dd>\n",
        escape(f.file), escape(&f.style.spec), escape(&f.style.why), f.notes.len());
    let mut by_rule: BTreeMap<Code, Counts> = BTreeMap::new();
    let mut all = Counts::default();
    for d in f.diagnostics {
        by_rule.entry(d.code).or_default().add(d);
        all.add(d);
    }
    let _ = write!(
        out,
        "<dt>Findings</dt><dd>{}: {} fixable with <code>ibid fix</code>, {} more with \
         <code>ibid fix --unsafe</code>, {} to change by hand</dd>\n</dl>\n",
        all.all, all.safe, all.unsafe_, all.by_hand
    );
    if f.diagnostics.is_empty() {
        out.push_str(
            "<p>No findings: every citation reads as the style wants.</p>\n</div>\n</section>\n",
        );
        return;
    }
    out.push_str(
        "<table class=\"rules\">\n<thead><tr><th>Rule</th><th>Severity</th><th class=\"n\">Findings</th>\
         <th class=\"n\">Safe fix</th><th class=\"n\">Unsafe fix</th><th class=\"n\">By hand</th></tr></thead>\n<tbody>\n",
    );
    for (code, c) in &by_rule {
        let severity = f
            .diagnostics
            .iter()
            .filter(|d| d.code == *code)
            .map(|d| d.severity)
            .max()
            .unwrap_or(code.default_severity());
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#rule-{code}\"><code>{code}</code></a> {}</td><td>{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            code.slug(),
            severity.as_str(),
            c.all,
            c.safe,
            c.unsafe_,
            c.by_hand
        );
    }
    let _ = write!(
        out,
        "</tbody>\n<tfoot><tr><td>All</td><td></td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td><td class=\"n\">{}</td></tr></tfoot>\n</table>\n",
        all.all, all.safe, all.unsafe_, all.by_hand
    );

    let groups = groups(f);
    out.push_str("<p class=\"index\">Notes with findings: ");
    for (id, _) in groups.iter().filter(|(id, _)| id.is_some()) {
        let id = id.as_deref().unwrap_or_default();
        let _ = write!(
            out,
            "<a href=\"#{prefix}note-{}\">{}</a>",
            slug(id),
            escape(id)
        );
    }
    out.push_str("</p>\n</div>\n");

    let texts: HashMap<&str, &str> = f
        .notes
        .iter()
        .map(|(id, text)| (id.as_str(), text.as_str()))
        .collect();
    let lines = LineIndex::new(f.text);
    let docx = f.text.starts_with("<!-- ibid part: ");
    let anchors: Vec<String> = groups
        .iter()
        .map(|(id, _)| match id {
            Some(id) => format!("{prefix}note-{}", slug(id)),
            None => format!("{prefix}general"),
        })
        .collect();
    for (i, (id, findings)) in groups.iter().enumerate() {
        let heading = match id {
            Some(id) => format!("Note {}", escape(id)),
            None => "The manuscript as a whole".to_owned(),
        };
        let _ = write!(
            out,
            "<section class=\"card note\" id=\"{}\">\n<header><h3>{heading}</h3><nav>",
            anchors[i]
        );
        if i > 0 {
            let _ = write!(out, "<a href=\"#{}\">← previous</a>", anchors[i - 1]);
        }
        if i + 1 < anchors.len() {
            let _ = write!(out, "<a href=\"#{}\">next →</a>", anchors[i + 1]);
        }
        let _ = writeln!(out, "<a href=\"#{top}\">↑ summary</a></nav></header>");
        if let Some(text) = id.as_deref().and_then(|id| texts.get(id)) {
            let _ = writeln!(out, "<blockquote>{}</blockquote>", escape(text.trim()));
        }
        for d in findings {
            finding(out, d, &lines, docx, f.text);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
}

/// The findings grouped by note: first those of no note, then the notes in their order, then
/// notes the manuscript lacks (a marker without its note), in order of appearance.
fn groups<'a>(f: &FileView<'a>) -> Vec<(Option<String>, Vec<&'a Diagnostic>)> {
    let order: HashMap<&str, usize> = f
        .notes
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.as_str(), i))
        .collect();
    let mut general = Vec::new();
    let mut by_note: Vec<(usize, usize, String, Vec<&Diagnostic>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for d in f.diagnostics {
        let Some(id) = d.note.as_deref() else {
            general.push(d);
            continue;
        };
        match index.get(id) {
            Some(&i) => by_note[i].3.push(d),
            None => {
                index.insert(id, by_note.len());
                let rank = order.get(id).copied().unwrap_or(usize::MAX);
                by_note.push((rank, by_note.len(), id.to_owned(), vec![d]));
            }
        }
    }
    by_note.sort_by_key(|g| (g.0, g.1));
    let mut out: Vec<(Option<String>, Vec<&Diagnostic>)> = Vec::new();
    if !general.is_empty() {
        out.push((None, general));
    }
    out.extend(by_note.into_iter().map(|(_, _, id, ds)| (Some(id), ds)));
    out
}

/// One finding: header, the two forms side by side, what `fix` does, the rule's explanation.
fn finding(out: &mut String, d: &Diagnostic, lines: &LineIndex<'_>, docx: bool, text: &str) {
    let severity = d.severity.as_str();
    let position = match d.span {
        Some(s) if docx => crate::manuscript::docx::locate(text, s.start).unwrap_or_default(),
        Some(s) => {
            let (l, c) = lines.line_col(s.start);
            format!("line {l}, column {c}")
        }
        None => String::new(),
    };
    let _ = write!(
        out,
        "<div class=\"finding {severity}\">\n<p class=\"head\"><span class=\"badge\">{severity}</span>\
         <a class=\"code\" href=\"#rule-{code}\">{code}</a> {} <span class=\"pos\">{}</span></p>\n",
        escape(&d.message),
        escape(&position),
        code = d.code,
    );
    if let Some((written, wanted)) = d.shown() {
        let (mut old, mut new) = (String::new(), String::new());
        for (tag, piece) in word_diff(written, wanted) {
            let body = escape(piece.trim_end());
            let space = &piece[piece.trim_end().len()..];
            match tag {
                ChangeTag::Equal => {
                    old.push_str(&escape(&piece));
                    new.push_str(&escape(&piece));
                }
                ChangeTag::Delete => {
                    let _ = write!(old, "<del>{body}</del>{space}");
                }
                ChangeTag::Insert => {
                    let _ = write!(new, "<ins>{body}</ins>{space}");
                }
            }
        }
        let _ = writeln!(
            out,
            "<table class=\"diff\"><thead><tr><th>As written</th><th>Correct form</th></tr></thead>\
             <tbody><tr><td class=\"written\">{old}</td><td class=\"wanted\">{new}</td></tr></tbody></table>"
        );
    }
    let fix = match d.fix.as_ref().map(|f| f.applicability) {
        Some(Applicability::Safe) => {
            "<p class=\"fix safe\">Safe fix: <code>ibid fix</code> writes the correct form (only punctuation, spacing, dashes or quotation marks change).</p>"
        }
        Some(Applicability::Unsafe) => {
            "<p class=\"fix unsafe\">Unsafe fix: it changes words, so <code>ibid fix --unsafe</code> writes it; check it first.</p>"
        }
        Some(Applicability::Manual) => {
            "<p class=\"fix manual\">To change by hand: a rewrite could lose the locator, a field or the author’s italics.</p>"
        }
        None if d.correction.is_some() => {
            "<p class=\"fix manual\">To change by hand: the citation holds links or markup that a rewrite would destroy.</p>"
        }
        None => "<p class=\"fix manual\">For a person to decide.</p>",
    };
    out.push_str(fix);
    let _ = write!(
        out,
        "\n<details><summary>{} <code>{}</code>: {}</summary><p>{}</p></details>\n</div>\n",
        d.code,
        d.code.slug(),
        prose(d.code.summary()),
        prose(d.code.explanation())
    );
}

/// A rule's text: escaped, with `code` spans.
fn prose(text: &str) -> String {
    let mut out = String::new();
    for (i, piece) in text.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(piece));
        } else {
            out.push_str(&escape(piece));
        }
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_slugs() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(slug("xxvi"), "xxvi");
        assert_eq!(slug("*"), ".2a");
        assert_eq!(slug("a b\"<"), "a.20b.22.3c");
        assert_ne!(slug(".2a"), slug("*"));
        assert_eq!(
            prose("Write `Ibid.` <b>"),
            "Write <code>Ibid.</code> &lt;b&gt;"
        );
    }
}
