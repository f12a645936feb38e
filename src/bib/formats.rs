//! The bibliography file formats ibid reads and writes, and one entry point for each direction.

use std::path::Path;

use crate::bib::{biblatex, csljson, ris, yaml};
use crate::error::{Error, Result};
use crate::model::{keys, Library};

/// A bibliography file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LibraryFormat {
    /// CSL-JSON (an array of items).
    CslJson,
    /// BibLaTeX.
    Biblatex,
    /// BibTeX (read like BibLaTeX; written with BibTeX's field names and types).
    Bibtex,
    /// hayagriva YAML.
    Yaml,
    /// RIS.
    Ris,
}

impl LibraryFormat {
    /// Every format.
    pub const ALL: &'static [LibraryFormat] = &[
        LibraryFormat::CslJson,
        LibraryFormat::Biblatex,
        LibraryFormat::Bibtex,
        LibraryFormat::Yaml,
        LibraryFormat::Ris,
    ];

    /// The format a file name suggests (`.json`, `.bib`, `.yaml`/`.yml`, `.ris`). `.bib` reads
    /// as BibLaTeX, which also reads BibTeX.
    pub fn from_path(path: &Path) -> Option<LibraryFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "json" | "csljson" => LibraryFormat::CslJson,
            "bib" | "biblatex" => LibraryFormat::Biblatex,
            "bibtex" => LibraryFormat::Bibtex,
            "yaml" | "yml" => LibraryFormat::Yaml,
            "ris" => LibraryFormat::Ris,
            _ => return None,
        })
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            LibraryFormat::CslJson => "json",
            LibraryFormat::Biblatex | LibraryFormat::Bibtex => "bib",
            LibraryFormat::Yaml => "yaml",
            LibraryFormat::Ris => "ris",
        }
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            LibraryFormat::CslJson => "csl-json",
            LibraryFormat::Biblatex => "biblatex",
            LibraryFormat::Bibtex => "bibtex",
            LibraryFormat::Yaml => "yaml",
            LibraryFormat::Ris => "ris",
        }
    }
}

/// Parses a bibliography from text. The error message carries the line and column (or the
/// item) where the format knows it.
pub fn parse(text: &str, format: LibraryFormat) -> std::result::Result<Library, String> {
    match format {
        LibraryFormat::CslJson => csljson::read(text),
        LibraryFormat::Biblatex | LibraryFormat::Bibtex => biblatex::read(text),
        LibraryFormat::Yaml => yaml::read(text),
        LibraryFormat::Ris => ris::read(text),
    }
}

/// Serialises a bibliography. Every entry needs a key of its own: a missing or repeated key is
/// replaced by one of [`keys`]' scheme, and a BibLaTeX key loses the characters BibTeX cannot
/// have in a key (spaces, commas, braces, quotes, `#`, `%`, `~`, `=`, `\`), which become `_`.
pub fn write(library: &Library, format: LibraryFormat) -> std::result::Result<String, String> {
    let mut fixed;
    let mut library = library;
    let mut seen = std::collections::HashSet::new();
    let needs_keys = library
        .works
        .iter()
        .any(|w| w.id.is_empty() || !seen.insert(w.id.as_str()));
    let bad_tex = |c: char| c.is_whitespace() || ",{}\"#%~=\\()'".contains(c);
    let tex = matches!(format, LibraryFormat::Biblatex | LibraryFormat::Bibtex);
    if needs_keys || (tex && library.works.iter().any(|w| w.id.contains(bad_tex))) {
        fixed = library.clone();
        if tex {
            for w in &mut fixed.works {
                w.id = w.id.replace(bad_tex, "_");
            }
        }
        keys::fill_missing_keys(&mut fixed.works);
        library = &fixed;
    }
    match format {
        LibraryFormat::CslJson => csljson::write(library),
        LibraryFormat::Biblatex => Ok(biblatex::write_biblatex(library)),
        LibraryFormat::Bibtex => biblatex::write_bibtex(library),
        LibraryFormat::Yaml => yaml::write(library),
        LibraryFormat::Ris => Ok(ris::write(library)),
    }
}

/// Reads a bibliography file; the format is `format`, or else guessed from the extension.
pub fn read_file(path: &Path, format: Option<LibraryFormat>) -> Result<Library> {
    let format = format
        .or_else(|| LibraryFormat::from_path(path))
        .ok_or_else(|| Error::Config {
            path: path.to_owned(),
            message: "cannot tell the bibliography format from the file name; give it with --from \
                  (csl-json, biblatex, bibtex, yaml, ris)"
                .into(),
        })?;
    let bytes = crate::manuscript::read_file(path)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::input(
            path,
            format!("not UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })?;
    parse(&text, format).map_err(|message| Error::Config {
        path: path.to_owned(),
        message,
    })
}
