//! Findings: what a copy editor would flag, with a stable code, a severity and a source position.
//!
//! Codes never change meaning once published; `ibid explain CODE` prints the rule's text.

use serde::{Deserialize, Serialize};

use crate::model::span::{line_col, Span};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; does not fail a check.
    Info,
    /// Should be fixed.
    Warning,
    /// A citation cannot be trusted as it stands.
    Error,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $slug:literal, $sev:ident, $summary:literal, $explain:literal,
        example: $example:literal; )*) => {
        /// A rule, by its stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Code {
            /// Every rule, in code order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable code, `IB001` ...
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),* }
            }

            /// A short kebab-case name.
            pub fn slug(self) -> &'static str {
                match self { $(Code::$variant => $slug),* }
            }

            /// The severity a finding of this rule has unless configured otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev),* }
            }

            /// One line: what the rule flags.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),* }
            }

            /// What the rule checks and why.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => $explain),* }
            }

            /// An example: what the rule flags, and what it should read (lines of their own,
            /// as `ibid explain` prints them under "Example:").
            pub fn example(self) -> &'static str {
                match self { $(Code::$variant => $example),* }
            }

            /// The rule with this code or slug (case-insensitive).
            pub fn parse(text: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| {
                    c.as_str().eq_ignore_ascii_case(text) || c.slug().eq_ignore_ascii_case(text)
                })
            }
        }
    };
}

codes! {
    GluedMarker = "IB001", "glued-marker", Warning,
        "A note's marker is glued to its text.",
        "A note in the notes section starts with its marker and no space, as in `[xxvi]Ibid, 5.`. \
         Readers and converters may take the marker for part of the citation. Write `[xxvi] Ibid., 5.`",
        example: "written:  [xxvi]Ibid, 5.\nbetter:   [xxvi] Ibid., 5.";
    AdjacentMarkers = "IB002", "adjacent-markers", Warning,
        "Two note markers stand side by side in the body.",
        "Two markers in a row (`systems.[xliii] [xliv]`) make the reader jump twice for one place. \
         Merge the notes into one, or move each marker to the clause it supports.",
        example: "written:  ... interoperable systems.[xliii] [xliv]\nbetter:   ... interoperable systems.[xliii]   (notes xliii and xliv merged into one)";
    MarkerWithoutNote = "IB003", "marker-without-note", Error,
        "A marker in the body has no note.",
        "The body refers to a note that the notes section does not contain, as `[lx]` with notes \
         only up to `[lix]`. Add the note or remove the marker.",
        example: "body:     ... as the report shows.[lx]\nnotes:    [i] ... [lix]   (no note [lx]: add it, or remove the marker)";
    NoteWithoutMarker = "IB004", "note-without-marker", Error,
        "A note is never referred to from the body.",
        "A note exists in the notes section but no marker in the body points to it. Add the marker \
         where the note belongs, or delete the note.",
        example: "notes:    [12] Lee, \"Hacking,\" 62.\nbody:     no marker [12] anywhere   (put it after the claim the note supports)";
    MarkersOutOfOrder = "IB005", "markers-out-of-order", Warning,
        "Markers in the body are not in the order of the notes.",
        "Notes are numbered in order of first reference; a marker that comes before a lower-numbered \
         one, as `[v]` before `[iv]`, means the notes were renumbered by hand or moved.",
        example: "written:  First claim.[v] Second claim.[iv]\nbetter:   First claim.[iv] Second claim.[v]   (the notes renumbered to match)";
    RepeatedMarker = "IB006", "repeated-marker", Warning,
        "The same marker is used twice in the body.",
        "Each note should have exactly one marker. A second `[^3]` in the body points the reader to a \
         note that was written for another place.",
        example: "written:  A claim.[^3] ... Another claim.[^3]\nbetter:   A claim.[^3] ... Another claim.[^4]   (a note of its own for the second place)";
    DuplicateNote = "IB007", "duplicate-note", Error,
        "Two notes have the same id.",
        "Two notes of the notes section carry the same id: in a .docx, two `w:footnote` (or \
         `w:endnote`) elements with one `w:id`, which a damaged file or a careless tool can make. \
         A reference can point to one of them only; ibid reads the first and leaves the other out. \
         Open the document in Word, check which text the note should have, and delete the other.",
        example: "word/footnotes.xml:  <w:footnote w:id=\"3\">Lee, 4.</w:footnote> ... <w:footnote w:id=\"3\">Kim, 9.</w:footnote>\nbetter:              one w:footnote with w:id=\"3\", the other deleted";
    DanglingIbid = "IB010", "dangling-ibid", Error,
        "Ibid. has no preceding citation to refer to.",
        "Ibid. means \"the work cited in the note just before\". It cannot stand in the first note, \
         or after a note that cites nothing (commentary only). Replace it by a short form of the work \
         meant.",
        example: "written:  [1] Ibid., 4.   (the first note: nothing before it)\nbetter:   [1] Jane Lee, \"Hacking the State,\" Journal of Politics 12, no. 3 (2019): 4.";
    AmbiguousIbid = "IB011", "ambiguous-ibid", Error,
        "Ibid. follows a note that cites several works.",
        "After a note citing two or more works, Ibid. does not say which one is meant (Chicago 14.34). \
         Replace it by a short form of the work meant.",
        example: "written:  [4] Lee, \"Hacking,\" 3; Kim, Networks, 9.\n          [5] Ibid., 12.   (Lee or Kim?)\nbetter:   [5] Kim, Networks, 12.";
    UnresolvedShortForm = "IB012", "unresolved-short-form", Error,
        "A short form has no full citation earlier in the notes.",
        "A shortened citation (`Lee, \"Hacking,\" 62.`) must follow a full citation of the same work. \
         No earlier note cites a work with this author and title: give the full citation at its first \
         use.",
        example: "written:  [1] Lee, \"Hacking,\" 62.   (no earlier note cites Lee's \"Hacking\" in full)\nbetter:   [1] Jane Lee, \"Hacking the State,\" Journal of Politics 12, no. 3 (2019): 62.";
    AmbiguousShortForm = "IB013", "ambiguous-short-form", Error,
        "A short form fits several earlier works.",
        "Two or more earlier works fit this shortened citation (same author, similar titles). Give \
         more of the title so that one work is meant.",
        example: "notes:    [1] Lee, *Networks and Power* (Boston: Beacon, 2001), 3.\n          [2] Lee, *Networks and Markets* (Boston: Beacon, 2004), 7.\nwritten:  [3] Lee, *Networks*, 9.   (which one?)\nbetter:   [3] Lee, *Networks and Markets*, 9.";
    NameVariant = "IB014", "name-variant", Warning,
        "One author's name is spelled two ways.",
        "The same person appears under two spellings (`Ronald Wintrobe` and `Robert Wintrobe`, \
         `Thérien` and `Therien`). Check which is right and use it everywhere.",
        example: "written:  [3] Ronald Wintrobe, The Political Economy of Dictatorship (Cambridge: Cambridge University Press, 1998), 4.\n          [9] Robert Wintrobe, \"Dictatorship,\" 12.\nbetter:   Ronald Wintrobe in both notes";
    TitleVariant = "IB015", "title-variant", Info,
        "A short form gives the title differently from the full citation.",
        "The title in a shortened citation differs from the full citation's title beyond shortening. \
         Check that both mean the same work and use the same words.",
        example: "notes:    [2] Jane Lee, \"Hacking the State,\" Journal of Politics 12, no. 3 (2019): 62.\nwritten:  [5] Lee, \"Breaking the State,\" 64.\nbetter:   [5] Lee, \"Hacking,\" 64.";
    UnclosedQuote = "IB020", "unclosed-quote", Error,
        "A quotation mark is opened and never closed.",
        "An opening quotation mark (“) has no closing mark in the note, so the extent of a title or \
         a quotation is unknown: `Zhou, “Historicizing Online Politics: ... Stanford University Press`.",
        example: "written:  Zhou, “Historicizing Online Politics, 4.\nbetter:   Zhou, “Historicizing Online Politics,” 4.";
    MissingDate = "IB021", "missing-date", Warning,
        "A work is cited in full without a date.",
        "Every full citation gives a date of publication (or n.d. when there is none). Citing a report \
         or article without a year makes it hard to find and impossible to sort in author-date styles.",
        example: "written:  Freedom House, Freedom on the Net (Washington, DC: Freedom House), 12.\nbetter:   Freedom House, Freedom on the Net (Washington, DC: Freedom House, 2018), 12.";
    DateContradictsUrl = "IB022", "date-contradicts-url", Warning,
        "The date given contradicts the date in the URL.",
        "The URL contains a year (and month) that differs from the publication date in the note, as \
         `June 1 2018` with `https://.../2017/06/...`. One of the two is wrong.",
        example: "written:  Ann Li, \"New Rules,\" Wired, June 1, 2018, https://www.wired.com/2017/06/new-rules/.\n          (the URL says June 2017: check which date is right)";
    UnreadNote = "IB023", "unread-note", Info,
        "A note's text could not be read as a citation.",
        "The grammar found no citation in a note that looks like one: a title (a quotation that \
         reads as one, or italics) with a year or a page, and little other prose, as in \
         `Jeffrey Wu et al., \"Language Models Are Unsupervised Multitask Learners,\" OpenAI, \
         (February 2019): 7`. It is kept as prose, and no style check is made on it; check it by \
         hand.",
        example: "written:  Jeffrey Wu et al., \"Language Models Are Unsupervised Multitask Learners,\" OpenAI, (February 2019): 7.\n          (read as prose: the comma before the date's parenthesis breaks the citation's shape)\nbetter:   Jeffrey Wu et al., \"Language Models Are Unsupervised Multitask Learners\" (OpenAI, February 2019), 7.";
    NoNotes = "IB030", "no-notes", Info,
        "The manuscript has no notes.",
        "No note and no note marker was found. If the manuscript has notes, tell ibid its format with \
         `--input-format`, or check that the notes section has a heading such as NOTES or Endnotes.",
        example: "ibid check essay.md   ->   essay.md  IB030 info  no notes and no note markers found\n          (its notes typed as `[1]` markers and a NOTES section, not pandoc footnotes)\nbetter:   ibid check --input-format text essay.md";
    NotInLibrary = "IB040", "not-in-library", Info,
        "A cited work is not in the library given with --library.",
        "With `--library FILE`, every work the notes cite is looked up in the user's bibliography \
         (authors, title and year, tolerant of short titles, accents and one-letter slips). This \
         work matched no entry, so its fields and key come from the notes alone. Add it to the \
         bibliography, or correct the citation. `--strict` makes this a warning.",
        example: "ibid check essay.md --library refs.bib\nnotes:    [3] Jane Lee, Networks and Power (Boston: Beacon, 2001), 3.\nrefs.bib: no entry by Lee titled Networks and Power (2001)   (add one, or correct the note)";
    AmbiguousLibraryMatch = "IB041", "ambiguous-library-match", Warning,
        "A cited work matches several entries of the library.",
        "With `--library FILE`, the work this citation gives fits two or more entries of the \
         bibliography equally well (same author, titles that both begin with the words cited). \
         ibid keeps the work as the notes give it. Give more of the title, or the year, so that \
         one entry is meant.",
        example: "notes:    [3] Lee, Networks, 9.\nrefs.bib: @book{lee2001, title = {Networks and Power}, ...} and @book{lee2004, title = {Networks and Markets}, ...}\nbetter:   [3] Lee, Networks and Markets, 9.";
    StyleDifference = "IB100", "style-difference", Warning,
        "A citation differs from its correct form in the style.",
        "The citation as written differs from what the chosen style (Chicago, APA ...) makes of the \
         same work at this place in the notes: punctuation, order of elements, Ibid. or short form. \
         `ibid fix` rewrites it.",
        example: "written:  Jane Lee, *Hacking the State* (Boston: Beacon Press 2019) p. 62.\nbetter:   Jane Lee, *Hacking the State* (Boston: Beacon Press, 2019), 62.   (chicago)";
    MissingFinalPeriod = "IB101", "missing-final-period", Warning,
        "A note of citations does not end with a period.",
        "A note in a notes style ends with a period, as a sentence does (CMOS 14.20), after the \
         last citation, its page or its URL: `Ibid` is written `Ibid.`, and `Pollan, *Omnivore’s \
         Dilemma*, 3` ends `3.`. Checked only when the style's rendering of the note ends with a \
         period and the note is citations alone (a note that ends in prose is left alone); not \
         after a question or exclamation mark, nor after a URL or DOI (often left bare so that \
         the link is copied whole). `ibid fix` adds the period.",
        example: "written:  Pollan, *Omnivore’s Dilemma*, 3\nbetter:   Pollan, *Omnivore’s Dilemma*, 3.";
    UncheckedCitation = "IB102", "unchecked-citation", Info,
        "A citation was not read with confidence, so its style is not checked.",
        "ibid compares a citation with its correct form only when it is sure of its reading: every \
         word of the citation accounted for by a field it read (names, title, container, \
         publisher, date, locator, signal), and, for a full citation, more than a bare title. \
         Otherwise a difference could be its own misreading (prose taken for a title, a field it \
         does not know), so it says nothing about the style and reports this instead. Check the \
         citation by hand, or tell ibid what it is with `--library`.",
        example: "written:  Lee, \"Hacking,\" Spring Papers, ed. Kim (emphasis added), 4.\n          (`(emphasis added)` is no field ibid reads: the citation is not compared with the style)";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Code::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown code {text}")))
    }
}

/// One finding about a manuscript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The rule.
    pub code: Code,
    /// How serious.
    pub severity: Severity,
    /// The id of the note concerned (`xxvi`, `3`), when a note is concerned.
    pub note: Option<String>,
    /// What is wrong, for a person.
    pub message: String,
    /// Where in the manuscript source (byte range), when known.
    pub span: Option<Span>,
    /// The rewrite that would correct it, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// A citation as its text reads and as it should read, shown when no fix can be written
    /// (links or other markup inside the citation that a rewrite would destroy), and for every
    /// citation of a .docx (whose source is XML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<Correction>,
}

/// What a citation reads and what it should read, in visible text (no markup).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The citation's text as the reader shows it.
    pub written: String,
    /// Its correct form.
    pub wanted: String,
}

/// Whether a rewrite may be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Only punctuation, spacing, dashes and quotation marks change, and the style's own terms
    /// (`Ibid.`, `no.`, `ed.`) may be added: every word written is kept, letters and case, in
    /// order, and every source byte the correction does not concern (see `check::safety`).
    Safe,
    /// The rewrite changes, reorders or drops words, changes their case, writes italics, or
    /// changes the kind of citation; it keeps the locator and every word of the work it names:
    /// `--unsafe` applies it.
    Unsafe,
    /// The correct form is shown, but ibid does not write it: its reading of the citation left
    /// words unaccounted for (commentary, a field it did not read), the correct form disagrees
    /// with the author's italics or would lose the locator or a word of the work, the rewrite
    /// would cross markup, or the rewritten text would not read back as the same citation. A
    /// person makes this change.
    Manual,
}

impl Applicability {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::Manual => "manual",
        }
    }
}

/// A rewrite of one span of the manuscript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// The bytes to replace, in the manuscript source.
    pub span: Span,
    /// What is written there now (in a .docx, the citation's visible text: the span is XML).
    pub written: String,
    /// What should be written there.
    pub replacement: String,
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// The work the corrected citation cites, in the analysis's library: fixes of one work
    /// disturb each other when applied together (`fix::settle`). Not serialized.
    #[serde(skip)]
    pub work: Option<crate::model::WorkId>,
}

impl Diagnostic {
    /// A finding of rule `code` with its default severity.
    pub fn new(
        code: Code,
        note: Option<&str>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            note: note.map(str::to_owned),
            message: message.into(),
            span,
            fix: None,
            correction: None,
        }
    }

    /// The citation as written and as it should read, for a person: the [`Correction`] when
    /// there is one (visible text: a .docx citation's, or one whose fix cannot be written), else
    /// the fix's written text and replacement.
    pub fn shown(&self) -> Option<(&str, &str)> {
        self.correction
            .as_ref()
            .map(|c| (c.written.as_str(), c.wanted.as_str()))
            .or(self
                .fix
                .as_ref()
                .map(|f| (f.written.as_str(), f.replacement.as_str())))
    }

    /// 1-based line and column of the finding in `source`, when it has a position.
    pub fn line_col(&self, source: &str) -> Option<(usize, usize)> {
        self.span.map(|s| line_col(source, s.start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            assert_eq!(Code::parse(code.as_str()), Some(*code));
            assert_eq!(Code::parse(code.slug()), Some(*code));
            assert!(!code.explanation().is_empty());
            assert!(
                code.example().lines().count() >= 2,
                "{code}: an example is a few lines"
            );
        }
    }
}
