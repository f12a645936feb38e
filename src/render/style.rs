//! CSL styles: the project's styles embedded in the binary, their short names, and loading a style
//! from a `.csl` file (a dependent style loads its parent from the embedded styles or from the
//! folder of the file).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use hayagriva::citationberg::{
    IndependentStyle, LayoutRenderingElement, Locale, LocaleCode, LocaleFile, Names, NamesChild,
    PageRangeFormat, Style as CslStyle, StyleClass,
};

use super::validate;
use crate::error::{Error, StyleDefect};

/// A style the binary carries: its short name, the file it came from, and what it is.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinStyle {
    /// The short name `--style` accepts (`chicago`, `apa`).
    pub name: &'static str,
    /// Other names accepted for it.
    pub aliases: &'static [&'static str],
    /// The CSL file in `styles/`.
    pub file: &'static str,
    /// One line for `ibid styles`.
    pub description: &'static str,
    xml: &'static str,
    /// The style as parsed by build.rs, in CBOR.
    cbor: &'static [u8],
}

/// The XML of a file of `styles/` and its CBOR form written by build.rs.
macro_rules! embedded {
    ($file:literal) => {
        (
            include_str!(concat!("../../styles/", $file)),
            include_bytes!(concat!(env!("OUT_DIR"), "/", $file, ".cbor")),
        )
    };
}

const fn builtin(
    name: &'static str,
    aliases: &'static [&'static str],
    file: &'static str,
    description: &'static str,
    (xml, cbor): (&'static str, &'static [u8]),
) -> BuiltinStyle {
    BuiltinStyle {
        name,
        aliases,
        file,
        description,
        xml,
        cbor,
    }
}

/// The styles in `styles/`, embedded in the binary. The first is the default for manuscripts
/// whose notes use Ibid.
pub const BUILTIN: &[BuiltinStyle] = &[
    builtin(
        "chicago",
        &["chicago-17", "chicago-17-ibid", "cmos", "cmos-17"],
        "chicago-notes-bibliography-subsequent-ibid-17th-edition.csl",
        "Chicago 17th ed., notes and bibliography, Ibid. for consecutive notes",
        embedded!("chicago-notes-bibliography-subsequent-ibid-17th-edition.csl"),
    ),
    builtin(
        "chicago-17-short",
        &["chicago-17-no-ibid"],
        "chicago-notes-bibliography-17th-edition.csl",
        "Chicago 17th ed., notes and bibliography, short notes instead of Ibid.",
        embedded!("chicago-notes-bibliography-17th-edition.csl"),
    ),
    builtin(
        "chicago-18",
        &["cmos-18"],
        "chicago-notes-bibliography.csl",
        "Chicago 18th ed., notes and bibliography, short notes (no Ibid.)",
        embedded!("chicago-notes-bibliography.csl"),
    ),
    builtin(
        "chicago-18-ibid",
        &[],
        "chicago-notes-bibliography-subsequent-ibid.csl",
        "Chicago 18th ed., notes and bibliography, Ibid. for consecutive notes",
        embedded!("chicago-notes-bibliography-subsequent-ibid.csl"),
    ),
    builtin(
        "chicago-18-shortened",
        &["chicago-shortened"],
        "chicago-shortened-notes-bibliography.csl",
        "Chicago 18th ed., shortened notes from the first note, with bibliography",
        embedded!("chicago-shortened-notes-bibliography.csl"),
    ),
    builtin(
        "apa",
        &["apa-7", "apa7"],
        "apa.csl",
        "APA 7th ed., author-date in-text citations and reference list",
        embedded!("apa.csl"),
    ),
];

const LOCALE_EN_US: (&str, &[u8]) = embedded!("locales-en-US.xml");

/// A style ready to render with: the independent CSL style and the locales it needs. Cloning is
/// cheap: the parsed style and the locales are shared.
#[derive(Debug, Clone)]
pub struct Style {
    /// The short name, or the file the style was loaded from.
    pub name: String,
    /// The style's title (from its `<info>`).
    pub title: String,
    /// The independent style (the parent, for a dependent style).
    pub csl: Arc<IndependentStyle>,
    /// Locale files: the embedded en-US locale and hayagriva's archive (parsed once per process).
    pub locales: Arc<Vec<Locale>>,
    /// A locale requested by a dependent style.
    pub locale: Option<LocaleCode>,
    /// The style tests `near-note` or prints `first-reference-note-number`: hayagriva must be
    /// given note numbers (it scans every earlier citation for them, a cost quadratic in the
    /// notes, so they are left out when the style never looks at them).
    pub uses_note_numbers: bool,
    /// The same style without its bibliography, for rendering notes alone; `None` when the
    /// citations could depend on the bibliography (`citation-number`).
    pub(crate) notes_only: Option<Arc<IndependentStyle>>,
    /// What the memoised render path may do with this style (see [`super::memo`]).
    pub(crate) memo: MemoSupport,
}

/// Whether a style's citations can be rendered one at a time and reused ([`super::memo`]): a note
/// style whose citations depend only on the work, its position (first, subsequent, Ibid) and the
/// locator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MemoSupport {
    /// Citations may be memoised: a note style, no note or citation numbers, no sorting, grouping
    /// or collapsing inside a citation.
    pub citations: bool,
    /// The locator is printed as text (never through `<number variable="locator">`), so a citation
    /// rendered with stand-in digits is the same citation with the real digits put back.
    pub templated_locators: bool,
    /// The bibliography is sorted (its order does not depend on the order of first citation).
    pub sorted_bibliography: bool,
}

impl MemoSupport {
    fn of(csl: &IndependentStyle, xml: &str, note_numbers: bool, citation_numbers: bool) -> Self {
        let cite = &csl.citation;
        MemoSupport {
            citations: csl.settings.class == StyleClass::Note
                && !note_numbers
                && !citation_numbers
                && cite.sort.is_none()
                && cite.collapse.is_none()
                && cite.cite_group_delimiter.is_none(),
            templated_locators: !prints_locator_as_number(xml),
            sorted_bibliography: csl.bibliography.as_ref().is_none_or(|b| b.sort.is_some()),
        }
    }
}

/// A `<number>` element whose variable is the locator: its digits may be re-formatted (ordinals,
/// roman numerals), so they cannot be stood in for.
fn prints_locator_as_number(xml: &str) -> bool {
    xml.split("<number")
        .skip(1)
        .any(|tag| tag.split('>').next().unwrap_or("").contains("\"locator\""))
}

/// What a style's source says about the context its citations need: (note numbers are tested,
/// citation numbers are printed).
fn context_needs(xml: &str) -> (bool, bool) {
    (
        xml.contains("near-note") || xml.contains("first-reference-note-number"),
        xml.contains("citation-number"),
    )
}

/// The locales a style needs, parsed once per process. A style in American English (the default)
/// needs only the embedded en-US locale; any other language gets hayagriva's whole archive, whose
/// decoding costs more than rendering a whole essay (about 20 ms).
fn locales(locale: Option<&LocaleCode>) -> Arc<Vec<Locale>> {
    static EN_US: OnceLock<Arc<Vec<Locale>>> = OnceLock::new();
    static ALL: OnceLock<Arc<Vec<Locale>>> = OnceLock::new();
    let embedded = || {
        let (xml, cbor) = LOCALE_EN_US;
        ciborium::de::from_reader::<Locale, _>(cbor)
            .ok()
            .or_else(|| LocaleFile::from_xml(xml).ok().map(Locale::from))
    };
    let american = locale.is_none_or(|l| l.0.eq_ignore_ascii_case("en-US"));
    if american {
        EN_US
            .get_or_init(|| Arc::new(embedded().into_iter().collect()))
            .clone()
    } else {
        ALL.get_or_init(|| {
            let mut locales: Vec<Locale> = embedded().into_iter().collect();
            locales.extend(hayagriva::archive::locales());
            Arc::new(locales)
        })
        .clone()
    }
}

impl Style {
    /// True for note styles (Chicago notes), false for in-text styles (APA).
    pub fn is_note(&self) -> bool {
        self.csl.settings.class == StyleClass::Note
    }

    /// Whether the style names a locale of its own (`default-locale`, or a dependent style's):
    /// one that does not is rendered in the locale its user chooses (CSL 1.0.2, Locale Fallback).
    pub fn names_locale(&self) -> bool {
        self.locale.is_some() || self.csl.default_locale.is_some()
    }

    /// This style in the CSL locale `code` (`fr-FR`): its terms (`et`, `éd.`), quotation marks
    /// and title case. Each (parsed style, locale) is made once per process and kept, with the
    /// style it was made from (whose address is the key, so no other style can take it), so that
    /// the renderings memoised under its parsed style are never taken for another's.
    pub fn in_locale(&self, code: &str) -> Style {
        type Made = std::collections::HashMap<(usize, String), (Style, Style)>;
        static MADE: OnceLock<std::sync::Mutex<Made>> = OnceLock::new();
        let key = (Arc::as_ptr(&self.csl) as usize, code.to_owned());
        let made = MADE.get_or_init(Default::default);
        let mut made = made
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        made.entry(key)
            .or_insert_with(|| {
                let locale = LocaleCode(code.to_owned());
                let localized = Style {
                    csl: Arc::new((*self.csl).clone()),
                    notes_only: self.notes_only.as_ref().map(|b| Arc::new((**b).clone())),
                    locales: locales(Some(&locale)),
                    locale: Some(locale),
                    ..self.clone()
                };
                (self.clone(), localized)
            })
            .1
            .clone()
    }

    /// The style's page-range format (`chicago-16`, `expanded` ...).
    pub fn page_range_format(&self) -> PageRangeFormat {
        self.csl.settings.page_range_format.unwrap_or_default()
    }

    /// A builtin style by its short name or alias. Each is parsed once per process, on first use.
    pub fn builtin(name: &str) -> Option<Style> {
        static PARSED: [OnceLock<Option<Style>>; BUILTIN.len()] =
            [const { OnceLock::new() }; BUILTIN.len()];
        let i = BUILTIN
            .iter()
            .position(|b| b.name == name || b.aliases.contains(&name))?;
        let b = &BUILTIN[i];
        PARSED[i]
            .get_or_init(|| {
                // The embedded styles are parsed by build.rs and the tests; a failure here is a
                // build defect.
                let csl = match ciborium::de::from_reader::<CslStyle, _>(b.cbor) {
                    Ok(CslStyle::Independent(csl)) => csl,
                    _ => IndependentStyle::from_xml(b.xml).ok()?,
                };
                Some(Style::new(b.name.to_owned(), csl, None, b.xml))
            })
            .clone()
    }

    fn new(
        name: String,
        mut csl: IndependentStyle,
        locale: Option<LocaleCode>,
        xml: &str,
    ) -> Style {
        inherit_substitute_names(&mut csl);
        hot_macros_first(&mut csl, xml);
        let (uses_note_numbers, uses_citation_numbers) = context_needs(xml);
        let memo = MemoSupport::of(&csl, xml, uses_note_numbers, uses_citation_numbers);
        let notes_only = (!uses_citation_numbers).then(|| {
            let mut bare = csl.clone();
            bare.bibliography = None;
            Arc::new(bare)
        });
        let locales = locales(locale.as_ref().or(csl.default_locale.as_ref()));
        Style {
            name,
            title: csl.info.title.value.clone(),
            csl: Arc::new(csl),
            locales,
            locale,
            uses_note_numbers,
            notes_only,
            memo,
        }
    }
}

/// hayagriva finds a macro by a linear search of the style's macros by name, on every
/// `<text macro>` it renders or looks ahead into (`get_macro`: 6% of the instructions of a check of
/// the seed essay, in Chicago's 209 macros). The macros the citation layout reaches most often go
/// first: each macro weighed by how many times a full expansion of the layout would name it,
/// counted from the style's source. A stable sort of the macros by weight, so that of two macros of
/// one name the first (the one found) stays first: every name finds the macro it found before.
fn hot_macros_first(csl: &mut IndependentStyle, xml: &str) {
    use std::collections::HashMap;
    /// The macro names referred to (`macro="..."`) in a stretch of the source.
    fn refs(body: &str) -> Vec<&str> {
        body.split("macro=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect()
    }
    let mut bodies: HashMap<&str, Vec<&str>> = HashMap::new();
    for chunk in xml.split("<macro ").skip(1) {
        let Some(name) = chunk
            .split_once("name=\"")
            .and_then(|(_, rest)| rest.split('"').next())
        else {
            continue;
        };
        let body = chunk.split("</macro>").next().unwrap_or("");
        bodies.entry(name).or_insert_with(|| refs(body));
    }
    let Some(citation) = xml
        .split_once("<citation")
        .map(|(_, rest)| rest.split("</citation>").next().unwrap_or(""))
    else {
        return;
    };
    let roots = refs(citation);
    // the macros reached, parents before children (reverse post-order of a depth-first walk)
    let mut order: Vec<&str> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = Default::default();
    fn visit<'a>(
        m: &'a str,
        bodies: &HashMap<&'a str, Vec<&'a str>>,
        seen: &mut std::collections::HashSet<&'a str>,
        order: &mut Vec<&'a str>,
    ) {
        if !seen.insert(m) {
            return;
        }
        for &child in bodies.get(m).into_iter().flatten() {
            visit(child, bodies, seen, order);
        }
        order.push(m);
    }
    for &m in &roots {
        visit(m, &bodies, &mut seen, &mut order);
    }
    let mut weight: HashMap<&str, f64> = HashMap::new();
    for &m in &roots {
        *weight.entry(m).or_default() += 1.0;
    }
    for &m in order.iter().rev() {
        let w = weight.get(m).copied().unwrap_or(0.0);
        for &child in bodies.get(m).into_iter().flatten() {
            *weight.entry(child).or_default() += w;
        }
    }
    let of = |name: &str| weight.get(name).copied().unwrap_or(0.0);
    csl.macros
        .sort_by(|a, b| of(&b.name).total_cmp(&of(&a.name)));
}

/// CSL 1.0.2, `cs:substitute`: a `cs:names` inside a substitute with no `cs:name`, `cs:et-al` or
/// `cs:substitute` of its own takes those of the `cs:names` it substitutes for. hayagriva does so
/// only for a `cs:names` directly inside the substitute; Chicago's styles put theirs inside
/// `cs:choose` (`<if match="none" type="standard"><names variable="editor"/>`), which hayagriva
/// renders with default name options: `J. Clifford, G. E. Marcus, *Writing Culture*` for
/// citeproc-js's `James Clifford and George E. Marcus, eds., *Writing Culture*`. Done once, when
/// the style is loaded: every such nested `cs:names` is written out as the inheriting one.
fn inherit_substitute_names(csl: &mut IndependentStyle) {
    fn in_substitute(parent: &Names, elements: &mut [LayoutRenderingElement], depth: usize) {
        for e in elements {
            match e {
                LayoutRenderingElement::Names(child) if depth > 0 => {
                    let bare = child.name().is_none()
                        && child.et_al().is_none()
                        && child.substitute().is_none();
                    if bare {
                        *child = parent.from_names_substitute(child);
                    }
                }
                LayoutRenderingElement::Choose(c) => {
                    for branch in std::iter::once(&mut c.if_).chain(c.else_if.iter_mut()) {
                        in_substitute(parent, &mut branch.children, depth + 1);
                    }
                    if let Some(other) = &mut c.otherwise {
                        in_substitute(parent, &mut other.children, depth + 1);
                    }
                }
                LayoutRenderingElement::Group(g) => {
                    in_substitute(parent, &mut g.children, depth + 1)
                }
                _ => {}
            }
        }
    }
    fn walk(elements: &mut [LayoutRenderingElement]) {
        for e in elements {
            match e {
                LayoutRenderingElement::Names(names) => {
                    let parent = names.clone();
                    for child in &mut names.children {
                        if let NamesChild::Substitute(sub) = child {
                            // depth 0: hayagriva itself handles the direct children
                            in_substitute(&parent, &mut sub.children, 0);
                            walk(&mut sub.children);
                        }
                    }
                }
                LayoutRenderingElement::Choose(c) => {
                    walk(&mut c.if_.children);
                    for branch in &mut c.else_if {
                        walk(&mut branch.children);
                    }
                    if let Some(other) = &mut c.otherwise {
                        walk(&mut other.children);
                    }
                }
                LayoutRenderingElement::Group(g) => walk(&mut g.children),
                _ => {}
            }
        }
    }
    for m in &mut csl.macros {
        walk(&mut m.children);
    }
    walk(&mut csl.citation.layout.elements);
    if let Some(b) = &mut csl.bibliography {
        walk(&mut b.layout.elements);
    }
}

/// Resolves `--style`: a short name (`chicago`, `chicago-18`, `chicago-18-shortened`, `apa` ...)
/// or a path to a `.csl` file. An unknown name gives an error that suggests the closest name.
pub fn resolve(spec: &str) -> Result<Style, Error> {
    if let Some(style) = Style::builtin(spec) {
        return Ok(style);
    }
    let path = Path::new(spec);
    if spec.ends_with(".csl") || path.exists() {
        return load_file(path);
    }
    let names: Vec<&str> = BUILTIN
        .iter()
        .flat_map(|b| std::iter::once(b.name).chain(b.aliases.iter().copied()))
        .collect();
    let closest = names
        .iter()
        .min_by_key(|n| strsim::osa_distance(&spec.to_ascii_lowercase(), n))
        .copied()
        .unwrap_or("chicago");
    Err(Error::Config {
        path: PathBuf::from(spec),
        message: format!(
            "unknown style; did you mean `{closest}`? (`ibid styles` lists them; a path to a .csl file also works)"
        ),
    })
}

/// Loads a style from a `.csl` file. A dependent style's parent is looked up among the embedded
/// styles (by its id) and then as `<parent id's last segment>.csl` next to the file.
pub fn load_file(path: &Path) -> Result<Style, Error> {
    let xml = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let name = path.display().to_string();
    let refused = |path: &Path| {
        let path = path.to_owned();
        move |defect| Error::Style { path, defect }
    };
    validate::check_xml(&xml).map_err(refused(path))?;
    match CslStyle::from_xml(&xml) {
        Ok(CslStyle::Independent(csl)) => {
            validate::check_style(&csl).map_err(refused(path))?;
            Ok(Style::new(name, csl, None, &xml))
        }
        Ok(CslStyle::Dependent(dep)) => {
            let href = dep.parent_link.href.trim_end_matches('/');
            let last = href.rsplit('/').next().unwrap_or(href);
            let parent_file = format!("{last}.csl");
            let (parent, parent_xml) = if let Some(b) =
                BUILTIN.iter().find(|b| b.file == parent_file)
            {
                let parent = IndependentStyle::from_xml(b.xml).map_err(|e| Error::Config {
                    path: PathBuf::from(b.file),
                    message: format!("embedded style does not parse: {e}"),
                })?;
                (parent, b.xml.to_owned())
            } else {
                let beside = path.parent().unwrap_or(Path::new(".")).join(&parent_file);
                let parent_xml = std::fs::read_to_string(&beside).map_err(|_| Error::Config {
                    path: path.to_owned(),
                    message: format!(
                        "dependent style: its parent `{href}` is neither a project style nor a file {}",
                        beside.display()
                    ),
                })?;
                validate::check_xml(&parent_xml).map_err(refused(&beside))?;
                let parent =
                    IndependentStyle::from_xml(&parent_xml).map_err(|e| Error::Config {
                        path: beside.clone(),
                        message: format!("not an independent CSL style: {e}"),
                    })?;
                validate::check_style(&parent).map_err(refused(&beside))?;
                (parent, parent_xml)
            };
            let mut style = Style::new(name, parent, dep.default_locale.clone(), &parent_xml);
            style.title = dep.info.title.value.clone();
            Ok(style)
        }
        Err(_) if root_element(&xml).is_some_and(|(root, _)| root == "style")
            && !validate::has_citation_layout(&xml) =>
        {
            Err(Error::Style {
                path: path.to_owned(),
                defect: StyleDefect::NoCitation,
            })
        }
        Err(e) => Err(Error::Config {
            path: path.to_owned(),
            message: match root_element(&xml) {
                None => "not a CSL style: no XML element in it".to_owned(),
                Some((root, at)) if root != "style" => format!(
                    "byte {at}: not a CSL style: its root element is <{root}>, a CSL style's is <style>"
                ),
                Some(_) => format!("not a CSL style: {e}"),
            },
        }),
    }
}

/// The name of the first element of an XML text and its byte offset, if it has one.
fn root_element(xml: &str) -> Option<(String, u64)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        let at = reader.buffer_position();
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                return Some((name, at));
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hot_macros_first_finds_every_macro_it_found_before() {
        for b in BUILTIN {
            let Ok(CslStyle::Independent(mut original)) = ciborium::de::from_reader(b.cbor) else {
                panic!("{} does not decode", b.file);
            };
            inherit_substitute_names(&mut original);
            let style = Style::builtin(b.name).unwrap();
            assert_eq!(style.csl.macros.len(), original.macros.len());
            for m in &original.macros {
                let before = original.macros.iter().find(|x| x.name == m.name);
                let after = style.csl.macros.iter().find(|x| x.name == m.name);
                assert_eq!(before, after, "{}: macro {}", b.file, m.name);
            }
        }
        // and the order did change: Chicago's macros are not in their source order
        let chicago = Style::builtin("chicago").unwrap();
        let b = BUILTIN.iter().find(|b| b.name == "chicago").unwrap();
        let Ok(CslStyle::Independent(source)) = ciborium::de::from_reader(b.cbor) else {
            panic!("chicago does not decode");
        };
        let names = |macros: &[hayagriva::citationberg::CslMacro]| -> Vec<String> {
            macros.iter().map(|m| m.name.clone()).collect()
        };
        assert_ne!(names(&chicago.csl.macros), names(&source.macros));
    }

    #[test]
    fn every_builtin_style_parses() {
        for b in BUILTIN {
            let style =
                Style::builtin(b.name).unwrap_or_else(|| panic!("{} does not parse", b.file));
            assert!(!style.title.is_empty());
        }
        assert!(Style::builtin("chicago").unwrap().is_note());
        assert!(!Style::builtin("apa").unwrap().is_note());
    }

    #[test]
    fn the_cbor_forms_are_the_xml_styles() {
        for b in BUILTIN {
            let from_xml = IndependentStyle::from_xml(b.xml).unwrap();
            let Ok(CslStyle::Independent(from_cbor)) = ciborium::de::from_reader(b.cbor) else {
                panic!("{}: the CBOR form does not decode", b.file);
            };
            assert!(from_xml == from_cbor, "{}: CBOR and XML differ", b.file);
        }
        let (xml, cbor) = LOCALE_EN_US;
        let from_cbor: Locale = ciborium::de::from_reader(cbor).unwrap();
        assert!(Locale::from(LocaleFile::from_xml(xml).unwrap()) == from_cbor);
    }

    #[test]
    fn unknown_name_suggests_the_closest() {
        let err = resolve("chicgo-18").unwrap_err().to_string();
        assert!(err.contains("`chicago-18`"), "{err}");
        let err = resolve("apaa").unwrap_err().to_string();
        assert!(err.contains("`apa`"), "{err}");
    }
}
