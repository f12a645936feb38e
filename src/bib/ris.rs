//! RIS in and out, by the RIS format specification (Research Information Systems, as maintained
//! by Clarivate for EndNote and Reference Manager): one tagged line per field, `TAG  - value`,
//! each record from `TY` to `ER`.
//!
//! Types (CSL <-> RIS): see [`ris_type`]; for instance `book` BOOK, `chapter` CHAP,
//! `article-journal` JOUR, `article-magazine` MGZN, `article-newspaper` NEWS, `report` RPRT,
//! `thesis` THES, `paper-conference` CPAPER, `webpage` ELEC, `post-weblog` BLOG, `legislation`
//! STAT, `bill` BILL, `legal_case` CASE, and GEN for a CSL type RIS has no tag for.
//!
//! Tags: `ID` key; `AU` authors; `A2` editors (the RIS spec's secondary author is the editor of
//! the book a chapter is in, or of an edited book); `A4` translators; `TI` title; `ST` short
//! title; `T2` container (journal, book, website); `T3` series; `VL`; `IS`; `SP`/`EP` pages (the
//! whole range in `SP` when it is not a single range); `ET` edition; `PB` publisher; `CY` place;
//! `M3` genre; `M1` number; `PY` year and `DA` full date (`YYYY/MM/DD/`); `Y2` accessed;
//! `UR`; `DO`; `SN` ISBN; `N1` note. Names are `Family, Given`; an institution is written whole.
//!
//! Lossy: a CSL type without a RIS tag of its own is written GEN and read back as `document`
//! (`article`, `speech`, `interview` ...), and types sharing a tag come back as the first of
//! them (`post` -> `webpage`, `regulation` -> `legislation`); a date range keeps its first date
//! and a season is dropped; a literal date goes to `PY` as text and comes back as a literal;
//! fields in [`Work`]'s `extra` map are not written; an institution without a space in its name
//! (`UNESCO`) is read back as a family name.

use crate::bib::csljson::parse_date_text;
use crate::model::{Date, Library, Name, Work, WorkType};

/// The RIS type of a CSL type.
pub fn ris_type(kind: WorkType) -> &'static str {
    match kind {
        WorkType::Book | WorkType::Collection | WorkType::Classic => "BOOK",
        WorkType::Chapter => "CHAP",
        WorkType::ArticleJournal => "JOUR",
        WorkType::ArticleMagazine => "MGZN",
        WorkType::ArticleNewspaper => "NEWS",
        WorkType::Report => "RPRT",
        WorkType::Thesis => "THES",
        WorkType::PaperConference => "CPAPER",
        WorkType::Webpage | WorkType::Post => "ELEC",
        WorkType::PostWeblog => "BLOG",
        WorkType::Legislation | WorkType::Regulation => "STAT",
        WorkType::Bill => "BILL",
        WorkType::LegalCase => "CASE",
        WorkType::Manuscript => "MANSCPT",
        WorkType::Patent => "PAT",
        WorkType::Software => "COMP",
        WorkType::Dataset => "DATA",
        WorkType::Map => "MAP",
        WorkType::MotionPicture | WorkType::Broadcast => "VIDEO",
        WorkType::Song => "SOUND",
        WorkType::Graphic | WorkType::Figure => "ART",
        WorkType::PersonalCommunication => "PCOMM",
        WorkType::EntryEncyclopedia => "ENCYC",
        WorkType::EntryDictionary => "DICT",
        WorkType::Pamphlet => "PAMP",
        WorkType::Standard => "STAND",
        WorkType::Hearing => "HEAR",
        WorkType::Periodical => "JFULL",
        _ => "GEN",
    }
}

/// The CSL type of a RIS type.
fn csl_type(ty: &str) -> WorkType {
    match ty {
        "BOOK" | "EBOOK" | "EDBOOK" => WorkType::Book,
        "CHAP" | "ECHAP" => WorkType::Chapter,
        "JOUR" | "EJOUR" | "INPR" => WorkType::ArticleJournal,
        "MGZN" => WorkType::ArticleMagazine,
        "NEWS" => WorkType::ArticleNewspaper,
        "RPRT" => WorkType::Report,
        "THES" => WorkType::Thesis,
        "CPAPER" | "CONF" => WorkType::PaperConference,
        "ELEC" | "WEB" => WorkType::Webpage,
        "BLOG" => WorkType::PostWeblog,
        "STAT" => WorkType::Legislation,
        "BILL" => WorkType::Bill,
        "CASE" => WorkType::LegalCase,
        "MANSCPT" | "UNPB" => WorkType::Manuscript,
        "PAT" => WorkType::Patent,
        "COMP" => WorkType::Software,
        "DATA" => WorkType::Dataset,
        "MAP" => WorkType::Map,
        "VIDEO" | "MPCT" => WorkType::MotionPicture,
        "SOUND" | "MUSIC" => WorkType::Song,
        "ART" | "FIGURE" => WorkType::Graphic,
        "PCOMM" => WorkType::PersonalCommunication,
        "ENCYC" => WorkType::EntryEncyclopedia,
        "DICT" => WorkType::EntryDictionary,
        "PAMP" => WorkType::Pamphlet,
        "STAND" => WorkType::Standard,
        "HEAR" => WorkType::Hearing,
        "JFULL" => WorkType::Periodical,
        _ => WorkType::Document,
    }
}

fn name_text(name: &Name) -> Option<String> {
    match (&name.family, &name.given, &name.literal) {
        (Some(f), Some(g), _) => Some(format!("{f}, {g}")),
        // a family name alone keeps its comma, so that `Van Mulken,` reads back as a person and
        // not as an institution
        (Some(f), None, _) if f.contains(' ') => Some(format!("{f},")),
        (Some(f), None, _) => Some(f.clone()),
        (None, _, Some(l)) => Some(l.clone()),
        (None, Some(g), None) => Some(g.clone()),
        (None, None, None) => None,
    }
}

fn read_name(text: &str) -> Name {
    match text.split_once(',') {
        Some((family, given)) => {
            let given = given.trim();
            Name::person(
                family.trim(),
                Some(given.to_owned()).filter(|g| !g.is_empty()),
            )
        }
        None if text.trim().contains(' ') => Name::literal(text.trim()),
        None => Name::person(text.trim(), None),
    }
}

/// `2017/06/01/` from a CSL date (its first date).
fn ris_date(date: &Date) -> Option<String> {
    let clean = date.clean_parts();
    let parts = clean.first()?;
    let year = parts.first()?;
    let month = parts.get(1).map(|m| format!("{m:02}")).unwrap_or_default();
    let day = parts.get(2).map(|d| format!("{d:02}")).unwrap_or_default();
    Some(format!("{year:04}/{month}/{day}/"))
}

/// One line, `TAG  - value`, with line breaks in the value flattened.
fn line(out: &mut String, tag: &str, value: &str) {
    let value: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return;
    }
    out.push_str(tag);
    out.push_str("  - ");
    out.push_str(&value);
    out.push('\n');
}

/// Writes RIS.
pub fn write(library: &Library) -> String {
    let mut out = String::new();
    for work in &library.works {
        line(&mut out, "TY", ris_type(work.kind));
        line(&mut out, "ID", &work.id);
        for (tag, list) in [
            ("AU", &work.author),
            ("A2", &work.editor),
            ("A4", &work.translator),
        ] {
            for name in list {
                if let Some(n) = name_text(name) {
                    line(&mut out, tag, &n);
                }
            }
        }
        let opt = |out: &mut String, tag: &str, v: &Option<String>| {
            if let Some(v) = v {
                line(out, tag, v);
            }
        };
        opt(&mut out, "TI", &work.title);
        opt(&mut out, "ST", &work.title_short);
        opt(&mut out, "T2", &work.container_title);
        opt(&mut out, "T3", &work.collection_title);
        opt(&mut out, "VL", &work.volume);
        opt(&mut out, "IS", &work.issue);
        if let Some(page) = &work.page {
            match page.split_once(['–', '-']) {
                Some((sp, ep))
                    if !sp.trim().is_empty()
                        && !ep.trim().is_empty()
                        && !page.contains(',')
                        && page.matches(['–', '-']).count() == 1 =>
                {
                    line(&mut out, "SP", sp.trim());
                    line(&mut out, "EP", ep.trim());
                }
                _ => line(&mut out, "SP", page),
            }
        }
        opt(&mut out, "ET", &work.edition);
        opt(&mut out, "PB", &work.publisher);
        opt(&mut out, "CY", &work.publisher_place);
        opt(&mut out, "M3", &work.genre);
        opt(&mut out, "M1", &work.number);
        if let Some(date) = &work.issued {
            match (date.year(), ris_date(date)) {
                (Some(year), Some(full)) => {
                    line(&mut out, "PY", &format!("{year:04}"));
                    if date.clean_parts().first().is_some_and(|p| p.len() > 1) {
                        line(&mut out, "DA", &full);
                    }
                }
                _ => opt(&mut out, "PY", &date.literal),
            }
        }
        if let Some(full) = work.accessed.as_ref().and_then(ris_date) {
            line(&mut out, "Y2", &full);
        }
        opt(&mut out, "UR", &work.url);
        opt(&mut out, "DO", &work.doi);
        opt(&mut out, "SN", &work.isbn);
        opt(&mut out, "N1", &work.note);
        out.push_str("ER  - \n\n");
    }
    out
}

/// Reads RIS. Unknown tags are skipped; errors give the line number.
pub fn read(text: &str) -> Result<Library, String> {
    let mut works = Vec::new();
    let mut current: Option<Work> = None;
    let mut sp: Option<String> = None;
    let mut ep: Option<String> = None;
    let mut year: Option<String> = None;
    let mut full_date: Option<String> = None;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let Some((tag, value)) = split_line(raw) else {
            // A continuation of the previous line's value (some writers wrap long values).
            if let Some(work) = current.as_mut() {
                if let Some(note) = work.note.as_mut() {
                    note.push(' ');
                    note.push_str(raw.trim());
                    continue;
                }
            }
            return Err(format!("{number}:1: not a RIS line (`TAG  - value`)"));
        };
        if tag == "TY" {
            if current.is_some() {
                return Err(format!(
                    "{number}:1: TY before the ER of the previous record"
                ));
            }
            current = Some(Work {
                kind: csl_type(value),
                ..Work::default()
            });
            continue;
        }
        let Some(work) = current.as_mut() else {
            return Err(format!(
                "{number}:1: {tag} outside a record (no TY before it)"
            ));
        };
        let value = value.to_owned();
        let set = |field: &mut Option<String>, v: String| {
            if field.is_none() {
                *field = Some(v);
            }
        };
        match tag {
            "ER" => {
                let mut done = current.take().unwrap_or_default();
                done.page = match (sp.take(), ep.take()) {
                    (Some(s), Some(e)) => Some(format!("{s}–{e}")),
                    (Some(s), None) => Some(s),
                    (None, Some(e)) => Some(e),
                    (None, None) => None,
                };
                done.issued = match (full_date.take(), year.take()) {
                    (Some(d), _) => Some(parse_date_text(&d)),
                    (None, Some(y)) => Some(parse_date_text(&y)),
                    (None, None) => None,
                };
                works.push(done);
            }
            "ID" => work.id = value,
            "AU" | "A1" => work.author.push(read_name(&value)),
            "A2" | "ED" => work.editor.push(read_name(&value)),
            "A4" => work.translator.push(read_name(&value)),
            "TI" | "T1" => set(&mut work.title, value),
            "ST" => set(&mut work.title_short, value),
            "T2" | "JO" | "JF" | "BT" => set(&mut work.container_title, value),
            "T3" => set(&mut work.collection_title, value),
            "VL" => set(&mut work.volume, value),
            "IS" => set(&mut work.issue, value),
            "SP" => sp = Some(value),
            "EP" => ep = Some(value),
            "ET" => set(&mut work.edition, value),
            "PB" => set(&mut work.publisher, value),
            "CY" => set(&mut work.publisher_place, value),
            "M3" => set(&mut work.genre, value),
            "M1" => set(&mut work.number, value),
            "PY" | "Y1" => year = Some(value),
            "DA" => full_date = Some(value),
            "Y2" => work.accessed = Some(parse_date_text(&value)),
            "UR" => set(&mut work.url, value),
            "DO" => set(&mut work.doi, value),
            "SN" => set(&mut work.isbn, value),
            "N1" => set(&mut work.note, value),
            _ => {}
        }
    }
    if current.is_some() {
        return Err("end of file inside a record (no ER)".into());
    }
    Ok(Library { works })
}

/// `TY  - BOOK` -> (`TY`, `BOOK`). Tolerates one space before the hyphen and none after it.
fn split_line(raw: &str) -> Option<(&str, &str)> {
    let tag = raw.get(..2)?;
    if !tag
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return None;
    }
    let rest = raw[2..].trim_start_matches(' ');
    let value = rest.strip_prefix('-')?;
    Some((tag, value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_other_writers_write() {
        let text = "\u{feff}TY  - JOUR\r\nAU  - Zeng, Jinghan\r\nA1  - Stevens, Tim\r\nT1  - China’s Solution\r\nJO  - Politics & Policy\r\nSP  - 432\r\nEP  - 464\r\nPY  - 2017///\r\nER  - \r\n";
        let lib = read(text).unwrap();
        let w = &lib.works[0];
        assert_eq!(w.kind, WorkType::ArticleJournal);
        assert_eq!(w.author.len(), 2);
        assert_eq!(w.page.as_deref(), Some("432–464"));
        assert_eq!(w.year(), Some(2017));
        assert_eq!(w.container_title.as_deref(), Some("Politics & Policy"));
    }

    #[test]
    fn errors_give_the_line() {
        let err = read("TY  - BOOK\nTI  - A\nTY  - BOOK\n").unwrap_err();
        assert!(err.starts_with("3:"), "{err}");
        let err = read("AU  - Lewis, Dev\n").unwrap_err();
        assert!(err.starts_with("1:"), "{err}");
        assert!(read("TY  - BOOK\nTI  - A\n").is_err());
    }
}
