//! How a manuscript's bytes are encoded, so that it is read and written back the same way: the
//! BOM, else the charset an HTML page declares, else UTF-8. One home for every decision about
//! encodings: readers decode with it, `fix` encodes with it.

use std::path::Path;

use crate::error::{Error, Result};

/// How a text file was encoded, so that it is read and written back the same way. Every
/// decision about a manuscript's encoding is made here: [`Encoding::detect`] (the BOM, else the
/// charset an HTML page declares, else UTF-8), [`Encoding::decode`] and [`Encoding::encode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without BOM.
    Utf8,
    /// UTF-8 with a BOM.
    Utf8Bom,
    /// UTF-16, little-endian, with BOM.
    Utf16Le,
    /// UTF-16, big-endian, with BOM.
    Utf16Be,
    /// A legacy encoding an HTML page declares in a `<meta>` tag (`windows-1252`, `Shift_JIS`
    /// ...), as the WHATWG Encoding Standard defines it.
    Declared(&'static encoding_rs::Encoding),
}

/// How far into an HTML page its `<meta charset>` is looked for (the HTML standard's prescan).
const PRESCAN_BYTES: usize = 1024;

impl Encoding {
    /// The encoding of `bytes`, by their BOM (UTF-8 without one).
    pub fn sniff(bytes: &[u8]) -> Encoding {
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            Encoding::Utf8Bom
        } else if bytes.starts_with(&[0xFF, 0xFE]) {
            Encoding::Utf16Le
        } else if bytes.starts_with(&[0xFE, 0xFF]) {
            Encoding::Utf16Be
        } else {
            Encoding::Utf8
        }
    }

    /// The encoding of a manuscript read as `format`: its BOM; else, for HTML, the charset the
    /// page declares (`<meta charset="windows-1252">` or an `http-equiv` content type, found as
    /// a browser finds it); else UTF-8.
    ///
    /// One exception to the declaration: a page whose bytes are valid UTF-8 and not all ASCII
    /// is read as UTF-8 whatever it declares. Such a page is UTF-8 mislabelled (legacy text
    /// with accents is almost never valid UTF-8), and writing the fixes in the declared
    /// encoding would leave it half one encoding, half the other. It also means that a
    /// manuscript's text, once decoded and fixed in memory, reads back as itself.
    pub fn detect(bytes: &[u8], format: crate::manuscript::Format) -> Encoding {
        match Encoding::sniff(bytes) {
            Encoding::Utf8 if format == crate::manuscript::Format::Html => {
                let utf8_beyond_ascii = !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok();
                match declared_charset(bytes) {
                    Some(enc) if enc != encoding_rs::UTF_8 && !utf8_beyond_ascii => {
                        Encoding::Declared(enc)
                    }
                    _ => Encoding::Utf8,
                }
            }
            found => found,
        }
    }

    /// The encoding's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Declared(enc) => enc.name(),
        }
    }

    /// Decodes `bytes` (BOM dropped, CRLF kept). Binary or invalid bytes give an error naming
    /// the byte offset; `path` is for messages.
    pub fn decode(self, path: &Path, bytes: &[u8]) -> Result<String> {
        match self {
            Encoding::Utf8 => decode_utf8(path, bytes, 0),
            Encoding::Utf8Bom => decode_utf8(path, &bytes[3.min(bytes.len())..], 3),
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let rest = &bytes[2.min(bytes.len())..];
                if rest.len() % 2 != 0 {
                    return Err(Error::input(
                        path,
                        "UTF-16 text with an odd number of bytes",
                    ));
                }
                let le = self == Encoding::Utf16Le;
                let units = rest.chunks_exact(2).map(|c| {
                    if le {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                });
                char::decode_utf16(units)
                    .collect::<std::result::Result<String, _>>()
                    .map_err(|e| Error::input(path, format!("invalid UTF-16: {e}")))
            }
            Encoding::Declared(enc) => {
                no_nul(path, bytes, 0)?;
                enc.decode_without_bom_handling_and_without_replacement(bytes)
                    .map(|text| text.into_owned())
                    .ok_or_else(|| {
                        Error::input(
                            path,
                            format!("not valid {} (the encoding the page declares)", enc.name()),
                        )
                    })
            }
        }
    }

    /// `text` encoded this way. Fails, naming the first such character, when the encoding
    /// cannot hold a character of `text` (an en dash in ISO-8859-2, say): nothing is replaced
    /// by `?` or a character reference.
    pub fn encode(self, path: &Path, text: &str) -> Result<Vec<u8>> {
        Ok(match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            Encoding::Utf16Le => [0xFF, 0xFE]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
            Encoding::Utf16Be => [0xFE, 0xFF]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
                .collect(),
            Encoding::Declared(enc) => {
                let (bytes, used, lossy) = enc.encode(text);
                if lossy || used != enc {
                    let mut buf = [0u8; 4];
                    let bad = text
                        .chars()
                        .filter(|c| !c.is_ascii())
                        .find(|c| enc.encode(c.encode_utf8(&mut buf)).2)
                        .map_or(String::new(), |c| format!(" {c:?} (U+{:04X})", c as u32));
                    return Err(Error::input(
                        path,
                        format!(
                            "the fixed text has a character{bad} that {} (the page's declared \
                             encoding) cannot hold; nothing was written",
                            enc.name()
                        ),
                    ));
                }
                bytes.into_owned()
            }
        })
    }
}

fn no_nul(path: &Path, bytes: &[u8], offset: usize) -> Result<()> {
    match bytes.iter().position(|&b| b == 0) {
        Some(at) => Err(Error::input(
            path,
            format!(
                "byte {}: a NUL byte: this looks like a binary file, not a manuscript",
                at + offset
            ),
        )),
        None => Ok(()),
    }
}

fn decode_utf8(path: &Path, bytes: &[u8], offset: usize) -> Result<String> {
    no_nul(path, bytes, offset)?;
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(Error::input(
            path,
            format!(
                "byte {}: not valid UTF-8 (save the file as UTF-8)",
                e.valid_up_to() + offset
            ),
        )),
    }
}

/// The encoding an HTML page declares in its first 1024 bytes, found as the HTML standard's
/// prescan does (simplified): the first `<meta charset=...>`, or `<meta http-equiv=content-type
/// content="...; charset=...">`, outside comments. UTF-16 labels mean UTF-8 there (a page whose
/// bytes are UTF-16 has a BOM), `x-user-defined` means windows-1252.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut at = 0;
    while at < lower.len() {
        let rest = &lower[at..];
        if rest.starts_with(b"<!--") {
            at += find(rest, b"-->").map_or(rest.len(), |i| i + 3);
            continue;
        }
        let is_meta = rest.starts_with(b"<meta")
            && rest
                .get(5)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/');
        if !is_meta {
            at += 1;
            continue;
        }
        let end = find(rest, b">").unwrap_or(rest.len());
        let attrs = attributes(&rest[5..end]);
        let get = |name: &str| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        let label = if let Some(charset) = get("charset") {
            Some(charset.clone())
        } else if get("http-equiv").is_some_and(|v| v.trim() == "content-type") {
            get("content").and_then(|c| charset_in_content(c))
        } else {
            None
        };
        if let Some(enc) = label.and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
        {
            return Some(
                if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else if enc == encoding_rs::X_USER_DEFINED {
                    encoding_rs::WINDOWS_1252
                } else {
                    enc
                },
            );
        }
        at += end.max(1);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The attributes of a tag's inside (after its name), lower-cased: `name=value`, `name="value"`,
/// `name='value'`, or a bare `name`.
fn attributes(inside: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(inside);
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=' && *c != '/') {
            name.push(c);
        }
        if name.is_empty() {
            break;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            match chars.next_if(|c| *c == '"' || *c == '\'') {
                Some(quote) => {
                    for c in chars.by_ref() {
                        if c == quote {
                            break;
                        }
                        value.push(c);
                    }
                }
                None => {
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        out.push((name, value));
    }
    out
}

/// The charset of a `content="text/html; charset=windows-1252"` value.
fn charset_in_content(content: &str) -> Option<String> {
    let at = content.find("charset")?;
    let rest = content[at + 7..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_html_page_declares_its_encoding() {
        use crate::manuscript::Format::{Html, Text};
        let cp1252 = Encoding::Declared(encoding_rs::WINDOWS_1252);
        for head in [
            &b"<html><head><meta charset=\"windows-1252\" />"[..],
            b"<!DOCTYPE html>\n<head>\n  <META CHARSET=windows-1252>",
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">",
            b"<meta content='text/html;charset=iso-8859-1' http-equiv='content-type'>",
        ] {
            assert_eq!(
                Encoding::detect(head, Html),
                cp1252,
                "{}",
                String::from_utf8_lossy(head)
            );
            assert_eq!(Encoding::detect(head, Text), Encoding::Utf8);
        }
        for head in [
            &b"<meta charset=\"utf-8\">"[..],
            b"<meta charset=\"utf-16\">",
            b"<!-- <meta charset=\"windows-1252\"> --><p>",
            b"<meta name=\"charset\" content=\"windows-1252\">",
            b"\xEF\xBB\xBF<meta charset=\"windows-1252\">",
        ] {
            assert_ne!(
                Encoding::detect(head, Html),
                cp1252,
                "{}",
                String::from_utf8_lossy(head)
            );
        }
        // a mislabelled page (valid UTF-8 beyond ASCII) is UTF-8
        let mislabelled = "<meta charset=\"windows-1252\"><p>2\u{2013}3</p>";
        assert_eq!(
            Encoding::detect(mislabelled.as_bytes(), Html),
            Encoding::Utf8
        );
        let page = b"<meta charset=\"windows-1252\"><p>2\x963</p>";
        let text = cp1252.decode(Path::new("p"), page).unwrap();
        assert!(text.ends_with("<p>2\u{2013}3</p>"), "{text}");
        assert_eq!(cp1252.encode(Path::new("p"), &text).unwrap(), page);
        let latin2 = Encoding::Declared(encoding_rs::ISO_8859_2);
        let err = latin2.encode(Path::new("p"), "2\u{2013}3").unwrap_err();
        assert!(err.to_string().contains("U+2013"), "{err}");
    }

    #[test]
    fn encodings_round_trip() {
        for enc in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ] {
            let bytes = enc.encode(Path::new("t"), "Thérien’s “notes”").unwrap();
            assert_eq!(Encoding::sniff(&bytes), enc);
            let text = crate::manuscript::decode(Path::new("t"), &bytes).unwrap();
            assert_eq!(text, "Thérien’s “notes”");
        }
    }
}
