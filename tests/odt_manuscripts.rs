//! OpenDocument manuscripts (`fixtures/formats/*.odt`, made by
//! `fixtures/formats/make-tex-odt.sh`: pandoc's .odt of the seed, LibreOffice's of the variants):
//! read as the same notes, citations and works as their sources; `ibid fix` writes ODF tracked
//! changes into content.xml and copies every other entry of the package byte for byte; rejecting
//! every change gives the original notes back, accepting them the fixed ones; LibreOffice opens
//! the result and sees every change, by ibid.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use ibid::manuscript::{self, odt, Format, Manuscript};

mod common;
use common::ibid;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/formats")
        .join(name)
}

fn read(path: &Path) -> Manuscript {
    manuscript::read(path, None).unwrap_or_else(|e| panic!("{e}"))
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn italics(n: &ibid::manuscript::Note) -> Vec<String> {
    n.emphasis.iter().map(|e| flat(e.slice(&n.text))).collect()
}

#[test]
fn odt_reads_as_its_source() {
    for (odt, source) in [("seed.odt", "seed.md"), ("variants.odt", "variants.docx")] {
        let (a, b) = (read(&fixture(source)), read(&fixture(odt)));
        assert_eq!(b.format, Format::Odt);
        assert_eq!(a.notes.len(), b.notes.len(), "{odt}");
        for (x, y) in a.notes.iter().zip(&b.notes) {
            assert_eq!(x.number, y.number);
            assert_eq!(flat(&x.text), flat(&y.text), "{odt}: note {}", y.id);
            assert_eq!(italics(x), italics(y), "{odt}: note {}", y.id);
            assert!(y.span.slice(&b.text).starts_with("<text:note "));
        }
        assert_eq!(a.markers.len(), b.markers.len(), "{odt}");
    }
    assert_eq!(read(&fixture("seed.odt")).notes.len(), 59);
    let extract = |name: &str| {
        let (_, out, _) = ibid(&[
            "extract",
            fixture(name).to_str().unwrap(),
            "--format",
            "json",
        ]);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut works: Vec<String> = doc["works"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["title"].to_string())
            .collect();
        works.sort();
        (doc["notes"].as_array().unwrap().len(), works)
    };
    assert_eq!(extract("seed.odt"), extract("seed.md"));
}

/// The entries of a zip: (name, compression, raw compressed bytes, content).
fn entries(bytes: &[u8]) -> Vec<(String, zip::CompressionMethod, Vec<u8>, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut raw = Vec::new();
            let (name, method) = {
                let mut e = zip.by_index_raw(i).unwrap();
                e.read_to_end(&mut raw).unwrap();
                (e.name().unwrap().into_owned(), e.compression())
            };
            let mut content = Vec::new();
            zip.by_index(i).unwrap().read_to_end(&mut content).unwrap();
            (name, method, raw, content)
        })
        .collect()
}

fn content_xml(bytes: &[u8]) -> String {
    let e = entries(bytes);
    String::from_utf8(e.into_iter().find(|e| e.0 == "content.xml").unwrap().3).unwrap()
}

/// `xml` with every tracked change of ibid's accepted or rejected, by hand (independently of
/// the reader): accepted, the marks go and the inserted text stays; rejected, the inserted text
/// goes and each deletion mark gives back its region's text.
fn resolve(xml: &str, accept: bool) -> String {
    let regions_start = xml.find("<text:tracked-changes").unwrap();
    let regions_end =
        xml.find("</text:tracked-changes>").unwrap() + "</text:tracked-changes>".len();
    let regions = &xml[regions_start..regions_end];
    let mut out = format!("{}{}", &xml[..regions_start], &xml[regions_end..]);
    let deleted = |id: &str| -> String {
        let at = regions.find(&format!("text:id=\"{id}\"")).unwrap();
        let p = regions[at..].find("<text:p>").unwrap() + at + "<text:p>".len();
        let e = regions[p..].find("</text:p>").unwrap() + p;
        regions[p..e].to_owned()
    };
    while let Some(s) = out.find("<text:change-start text:change-id=\"") {
        let id_start = s + "<text:change-start text:change-id=\"".len();
        let id = out[id_start..id_start + out[id_start..].find('"').unwrap()].to_owned();
        let end_tag = format!("<text:change-end text:change-id=\"{id}\"/>");
        let e = out.find(&end_tag).unwrap();
        let head_end = s + out[s..].find("/>").unwrap() + 2;
        let inserted = out[head_end..e].to_owned();
        let keep = if accept { inserted } else { String::new() };
        out = format!("{}{keep}{}", &out[..s], &out[e + end_tag.len()..]);
    }
    while let Some(s) = out.find("<text:change text:change-id=\"") {
        let id_start = s + "<text:change text:change-id=\"".len();
        let id = out[id_start..id_start + out[id_start..].find('"').unwrap()].to_owned();
        let e = s + out[s..].find("/>").unwrap() + 2;
        let back = if accept { String::new() } else { deleted(&id) };
        out = format!("{}{back}{}", &out[..s], &out[e..]);
    }
    out
}

fn notes_of(content: &str, styles: &[u8]) -> Vec<String> {
    let text = format!(
        "{}{content}\n{}{}\n",
        odt::part_header("content.xml"),
        odt::part_header("styles.xml"),
        String::from_utf8_lossy(styles)
    );
    odt::read_text(Path::new("x.odt"), text)
        .unwrap()
        .notes
        .iter()
        .map(|n| n.text.clone())
        .collect()
}

#[test]
fn fixing_an_odt_writes_tracked_changes_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.odt");
    let original = std::fs::read(fixture("seed.odt")).unwrap();
    std::fs::write(&path, &original).unwrap();
    let file = path.to_str().unwrap();
    let (_, out, err) = ibid(&["fix", "--unsafe", file]);
    let fixed = std::fs::read(&path).unwrap();
    assert_ne!(fixed, original, "{out}{err}");
    assert!(out.contains("tracked changes"), "{out}");

    // the same entries in the same order (mimetype first, stored), all but content.xml raw
    let (old, new) = (entries(&original), entries(&fixed));
    assert_eq!(new[0].0, "mimetype");
    assert_eq!(new[0].1, zip::CompressionMethod::Stored);
    assert_eq!(old.len(), new.len());
    for (o, n) in old.iter().zip(&new) {
        assert_eq!((&o.0, o.1), (&n.0, n.1));
        if o.0 != "content.xml" {
            assert_eq!(o.2, n.2, "{}: copied raw", o.0);
        }
    }
    let xml = content_xml(&fixed);
    let styles = &old.iter().find(|e| e.0 == "styles.xml").unwrap().3;
    // every change is a region by ibid, dated, with its mark in the text
    let regions = xml.matches("<text:changed-region ").count();
    let marks = xml.matches("<text:change text:change-id=").count()
        + xml.matches("<text:change-start text:change-id=").count();
    assert!(regions >= 20, "{regions} changes");
    assert_eq!(regions, marks);
    assert_eq!(
        xml.matches("<dc:creator>ibid</dc:creator>").count(),
        regions
    );
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event().expect("content.xml parses") {
            quick_xml::events::Event::Eof => break,
            _ => continue,
        }
    }
    // rejected: the original notes; accepted: what the reader reads from the fixed file
    let before = notes_of(&content_xml(&original), styles);
    assert_eq!(notes_of(&resolve(&xml, false), styles), before);
    let after: Vec<String> = read(&path).notes.iter().map(|n| n.text.clone()).collect();
    assert_eq!(notes_of(&resolve(&xml, true), styles), after);
    assert_ne!(after, before);
    // a second fix changes nothing
    let (_, out, _) = ibid(&["fix", "--unsafe", file]);
    assert!(out.contains("nothing to fix"), "{out}");
    assert_eq!(std::fs::read(&path).unwrap(), fixed);

    // LibreOffice opens it and sees every change, by ibid
    if !has_soffice() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must install LibreOffice (libreoffice-writer-nogui) for this test"
        );
        eprintln!("soffice not installed: LibreOffice verification skipped");
        return;
    }
    let profile = format!("-env:UserInstallation=file://{}/lo", dir.path().display());
    let status = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "fodt", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .output()
        .unwrap();
    let fodt = std::fs::read_to_string(dir.path().join("seed.fodt"))
        .unwrap_or_else(|_| panic!("LibreOffice did not convert: {status:?}"));
    let seen = fodt.matches("<text:changed-region").count();
    let by_ibid = fodt.matches("<dc:creator>ibid</dc:creator>").count();
    assert_eq!(
        (seen, by_ibid),
        (regions, regions),
        "LibreOffice's own record of the changes"
    );
    // and prints them: in its PDF, a fixed note shows its inserted text, and a replaced
    // character both its deleted and its inserted form (`2-–3`), as tracked changes are shown
    Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .output()
        .unwrap();
    let Ok(pdf) = Command::new("pdftotext")
        .arg(dir.path().join("seed.pdf"))
        .arg("-")
        .output()
    else {
        eprintln!("pdftotext not installed: the PDF is not checked");
        return;
    };
    let pdf = flat(&String::from_utf8_lossy(&pdf.stdout));
    assert!(pdf.contains("Ibid., 4."), "{pdf}");
    assert!(pdf.contains("Ibid., 2-–3."), "{pdf}");
}

fn has_soffice() -> bool {
    Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}
