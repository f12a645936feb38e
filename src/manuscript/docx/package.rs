//! The package around the XML: the zip archive (its limits checked), and which of its parts are
//! the document, the footnotes, the endnotes and the settings.
//!
//! Parts are found as Word finds them, through the package's relationships: `_rels/.rels` names
//! the main part (the `officeDocument` relationship), and the main part's relationships
//! (`word/_rels/document.xml.rels` for `word/document.xml`) name its footnotes, endnotes and
//! settings parts, each `Target` resolved against the directory of the part it belongs to
//! (`footnotes1.xml`, `../word/x.xml`, `/word/x.xml`). A package without those relationships (as
//! some generators and hand-made test files are) falls back to `[Content_Types].xml` (the part
//! whose content type is the main document's, the footnotes' ...), and then to the usual names
//! (`word/document.xml` ...). Part names are matched case-insensitively, as OPC wants.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::events::Event;

use super::{attr, each_event, local};
use crate::error::{Error, Result};

pub(super) use crate::manuscript::archive::{read_part, Archive};

/// The parts of a Word package the reader takes, by their names in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Parts {
    /// The main document part (`word/document.xml`).
    pub document: String,
    /// The footnotes part, if the package has one.
    pub footnotes: Option<String>,
    /// The endnotes part, if the package has one.
    pub endnotes: Option<String>,
    /// The settings part, if the package has one.
    pub settings: Option<String>,
}

const DOCUMENT: &str = "word/document.xml";
const PACKAGE_RELS: &str = "_rels/.rels";
const CONTENT_TYPES: &str = "[Content_Types].xml";

/// Content types of a main document part: a document, a template, macro-enabled or not.
const MAIN_TYPES: &[&str] = &[
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
];

/// The parts of the package: see the module doc. An error when the main part is missing.
pub(super) fn find_parts(path: &Path, zip: &mut Archive<'_>) -> Result<Parts> {
    let types = content_types(path, zip)?;
    let package_rels = relationships(path, zip, PACKAGE_RELS, "")?;
    let named = package_rels
        .iter()
        .find(|r| r.kind == "officeDocument")
        .map(|r| r.target.clone());
    let document = match named {
        Some(target) => entry_name(zip, &target).ok_or_else(|| {
            Error::input(
                path,
                format!(
                    "not a Word document: {PACKAGE_RELS} names {target} as the document, and \
                     the archive has no such part"
                ),
            )
        })?,
        None => types
            .iter()
            .find(|(_, t)| MAIN_TYPES.contains(&t.as_str()))
            .and_then(|(name, _)| entry_name(zip, name))
            .or_else(|| entry_name(zip, DOCUMENT))
            .ok_or_else(|| {
                Error::input(
                    path,
                    format!("not a Word document: the archive has no {DOCUMENT}"),
                )
            })?,
    };
    let dir = directory(&document);
    let doc_rels = relationships(path, zip, &rels_name(&document), dir)?;
    let part = |kind: &str, content_type: &str, usual: &str| -> Option<String> {
        doc_rels
            .iter()
            .filter(|r| r.kind == kind)
            .find_map(|r| entry_name(zip, &r.target))
            .or_else(|| {
                types
                    .iter()
                    .find(|(_, t)| t.ends_with(content_type))
                    .and_then(|(name, _)| entry_name(zip, name))
            })
            .or_else(|| entry_name(zip, usual))
    };
    Ok(Parts {
        footnotes: part(
            "footnotes",
            "wordprocessingml.footnotes+xml",
            "word/footnotes.xml",
        ),
        endnotes: part(
            "endnotes",
            "wordprocessingml.endnotes+xml",
            "word/endnotes.xml",
        ),
        settings: part(
            "settings",
            "wordprocessingml.settings+xml",
            "word/settings.xml",
        ),
        document,
    })
}

/// The relationships part of `part`: `word/_rels/document.xml.rels` for `word/document.xml`.
pub(super) fn rels_name(part: &str) -> String {
    let dir = directory(part);
    let file = &part[dir.len()..];
    format!("{dir}_rels/{file}.rels")
}

/// The directory of a part name, with its final `/` (empty at the root).
fn directory(part: &str) -> &str {
    part.rfind('/').map_or("", |i| &part[..=i])
}

/// One relationship of a relationships part.
#[derive(Debug, Clone)]
struct Relationship {
    /// The last segment of its type (`officeDocument`, `footnotes`, `hyperlink`).
    kind: String,
    /// Its target: a part name resolved against the source's directory, or a URL as written
    /// (external targets).
    target: String,
    id: String,
    external: bool,
}

/// The relationships in the part `name` (none when there is no such part); internal targets
/// resolved against `dir`, the directory of the part they belong to.
fn relationships(
    path: &Path,
    zip: &mut Archive<'_>,
    name: &str,
    dir: &str,
) -> Result<Vec<Relationship>> {
    let Some(name) = entry_name(zip, name) else {
        return Ok(Vec::new());
    };
    let Some(xml) = read_part(path, zip, &name)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    each_event(path, &name, &xml, |event, _| {
        if let Event::Start(e) | Event::Empty(e) = event {
            if local(e.name().as_ref()) == b"Relationship" {
                let external = attr(e, b"TargetMode").as_deref() == Some("External");
                let target = attr(e, b"Target").unwrap_or_default();
                let kind = attr(e, b"Type").unwrap_or_default();
                out.push(Relationship {
                    kind: kind.rsplit('/').next().unwrap_or("").to_owned(),
                    target: if external {
                        target
                    } else {
                        resolve(dir, &target)
                    },
                    id: attr(e, b"Id").unwrap_or_default(),
                    external,
                });
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// The external hyperlink targets of the part `part` (from its relationships part): relationship
/// id -> URL.
pub(super) fn links(
    path: &Path,
    zip: &mut Archive<'_>,
    part: &str,
) -> Result<HashMap<String, String>> {
    Ok(relationships(path, zip, &rels_name(part), directory(part))?
        .into_iter()
        .filter(|r| r.external)
        .map(|r| (r.id, r.target))
        .collect())
}

/// A relationship's internal `target` as a part name (no leading `/`): absolute when it starts
/// with `/`, else relative to `dir`; `.` and `..` segments resolved, percent-escapes decoded.
fn resolve(dir: &str, target: &str) -> String {
    let target = target.split(['#', '?']).next().unwrap_or("");
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("{dir}{target}"),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    percent_decode(&segments.join("/"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|&b| (b as char).to_digit(16))
                .map(|d| d as u8)
        };
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push(h * 16 + l);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// The `Override` entries of `[Content_Types].xml`: (part name without its leading `/`, content
/// type).
fn content_types(path: &Path, zip: &mut Archive<'_>) -> Result<Vec<(String, String)>> {
    let Some(xml) = read_part(path, zip, CONTENT_TYPES)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    each_event(path, CONTENT_TYPES, &xml, |event, _| {
        if let Event::Start(e) | Event::Empty(e) = event {
            if local(e.name().as_ref()) == b"Override" {
                if let (Some(name), Some(t)) = (attr(e, b"PartName"), attr(e, b"ContentType")) {
                    out.push((resolve("", &name), t));
                }
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// The archive's name for the part `name`: the same name, or one differing in case only (part
/// names are case-insensitive), or the name with a leading `/`.
fn entry_name(zip: &Archive<'_>, name: &str) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    if zip.index_for_name(name).is_some() {
        return Some(name.to_owned());
    }
    zip.file_names()
        .flatten()
        .find(|n| n.trim_start_matches('/').eq_ignore_ascii_case(name))
        .map(|n| n.into_owned())
}

/// Where a package keeps its comments, for a writer that adds some: the main document's
/// relationships part, the comments part it names (if any), and the content types.
#[derive(Debug, Clone)]
pub struct CommentsPlace {
    /// The main document part's relationships part (`word/_rels/document.xml.rels`) and its
    /// XML, when the package has it.
    pub rels: (String, Option<String>),
    /// The comments part the document's relationships name (`word/comments.xml`) and its XML,
    /// when it has one.
    pub comments: Option<(String, String)>,
    /// `[Content_Types].xml`, when the package has it.
    pub types: Option<String>,
    /// The ids of the document's relationships, and every entry name, so that new ones differ.
    pub taken: Vec<String>,
    /// The main document part's directory (`word/`).
    pub dir: String,
}

/// The comments of the package `bytes` ([`CommentsPlace`]).
pub fn comments_place(path: &Path, bytes: &[u8]) -> Result<CommentsPlace> {
    let mut zip = open(path, bytes)?;
    let parts = find_parts(path, &mut zip)?;
    let dir = directory(&parts.document).to_owned();
    let rels_part = rels_name(&parts.document);
    let rels = relationships(path, &mut zip, &rels_part, &dir)?;
    let rels_xml = match entry_name(&zip, &rels_part) {
        Some(name) => read_part(path, &mut zip, &name)?,
        None => None,
    };
    let comments = match rels
        .iter()
        .filter(|r| r.kind == "comments" && !r.external)
        .find_map(|r| entry_name(&zip, &r.target))
    {
        Some(name) => read_part(path, &mut zip, &name)?.map(|xml| (name, xml)),
        None => None,
    };
    let types = match entry_name(&zip, CONTENT_TYPES) {
        Some(name) => read_part(path, &mut zip, &name)?,
        None => None,
    };
    let mut taken: Vec<String> = rels.iter().map(|r| r.id.clone()).collect();
    taken.extend(zip.file_names().flatten().map(|n| n.into_owned()));
    Ok(CommentsPlace {
        rels: (rels_part, rels_xml),
        comments,
        types,
        taken,
        dir,
    })
}

/// Opens the archive of a .docx and checks its limits ([`crate::manuscript::archive`]).
pub(super) fn open<'a>(path: &Path, bytes: &'a [u8]) -> Result<Archive<'a>> {
    crate::manuscript::archive::open(path, bytes, ".docx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_part() {
        assert_eq!(resolve("word/", "footnotes1.xml"), "word/footnotes1.xml");
        assert_eq!(resolve("word/", "./notes/f.xml"), "word/notes/f.xml");
        assert_eq!(resolve("word/", "../other/f.xml"), "other/f.xml");
        assert_eq!(resolve("word/", "/word/f.xml"), "word/f.xml");
        assert_eq!(resolve("", "word/document2.xml"), "word/document2.xml");
        assert_eq!(resolve("", "/word/foot%20notes.xml"), "word/foot notes.xml");
        assert_eq!(
            rels_name("word/document2.xml"),
            "word/_rels/document2.xml.rels"
        );
        assert_eq!(rels_name("main.xml"), "_rels/main.xml.rels");
    }
}
