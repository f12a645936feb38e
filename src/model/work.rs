//! Works as CSL-JSON items, and the deduplicated library of a manuscript.
//!
//! [`Work`] uses the CSL-JSON vocabulary (field names as CSL-JSON spells them), so that a library
//! serialises to CSL-JSON as it is and converts to hayagriva's input through serde.

use serde::{Deserialize, Serialize};

use super::WorkType;

/// A person's or an institution's name, CSL-JSON style.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name {
    /// Family name (surname), with particles kept as printed (`Von Solms`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Given names or initials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// An institutional or otherwise unsplittable name (`State Council`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
}

impl Name {
    /// A personal name.
    pub fn person(family: impl Into<String>, given: Option<String>) -> Self {
        Name {
            family: Some(family.into()),
            given,
            literal: None,
        }
    }

    /// An institutional name.
    pub fn literal(name: impl Into<String>) -> Self {
        Name {
            family: None,
            given: None,
            literal: Some(name.into()),
        }
    }

    /// The family name, or the literal name.
    pub fn family_or_literal(&self) -> &str {
        self.family
            .as_deref()
            .or(self.literal.as_deref())
            .unwrap_or("")
    }
}

/// A CSL-JSON date: `{"date-parts": [[2017, 6, 1]]}`, or a `literal` when it cannot be split.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Date {
    /// `[[year, month, day]]`, each part optional from the right; two entries for a range.
    #[serde(rename = "date-parts", default, skip_serializing_if = "Vec::is_empty")]
    pub date_parts: Vec<Vec<i32>>,
    /// A season (1–4) as CSL-JSON has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<i32>,
    /// Text that could not be split into parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
}

impl Date {
    /// A date from its parts (year, then optional month and day).
    pub fn ymd(year: i32, month: Option<u32>, day: Option<u32>) -> Self {
        let mut parts = vec![year];
        if let Some(m) = month {
            parts.push(m as i32);
            if let Some(d) = day {
                parts.push(d as i32);
            }
        }
        Date {
            date_parts: vec![parts],
            season: None,
            literal: None,
        }
    }

    /// The (first) year, when there is one.
    pub fn year(&self) -> Option<i32> {
        self.date_parts.first().and_then(|p| p.first()).copied()
    }

    /// The date parts with impossible months and days left out (`[2017, 0]` -> `[2017]`,
    /// `[2017, 6, 40]` -> `[2017, 6]`), for formats that would reject them.
    pub fn clean_parts(&self) -> Vec<Vec<i32>> {
        self.date_parts
            .iter()
            .filter_map(|p| {
                let year = *p.first()?;
                let mut out = vec![year];
                if let Some(&m) = p.get(1).filter(|m| (1..=12).contains(*m)) {
                    out.push(m);
                    if let Some(&d) = p.get(2).filter(|d| (1..=31).contains(*d)) {
                        out.push(d);
                    }
                }
                Some(out)
            })
            .collect()
    }

    /// The (first) month, when there is one.
    pub fn month(&self) -> Option<i32> {
        self.date_parts.first().and_then(|p| p.get(1)).copied()
    }
}

/// One work, as a CSL-JSON item. Only what the notes (or a user's library) say is filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Work {
    /// The key (`lieberthal1992`), unique in its library.
    #[serde(default)]
    pub id: String,
    /// CSL type: `book`, `chapter`, `article-journal`, `report`, `webpage`, `legislation` ...
    #[serde(rename = "type", default)]
    pub kind: WorkType,
    /// Authors, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<Name>,
    /// Editors (of the work, or of the book a chapter is in).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editor: Vec<Name>,
    /// Translators.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translator: Vec<Name>,
    /// Title, as the notes give it (quotes and italics removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The short title the author's own short forms use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_short: Option<String>,
    /// Journal, book (of a chapter), newspaper, website.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_title: Option<String>,
    /// Series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_title: Option<String>,
    /// Volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Issue (`no.`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// Page range of the work itself (an article's or chapter's pages), en dash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// Edition (`2nd`, `Revised`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Publisher or issuing institution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Place of publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_place: Option<String>,
    /// Genre (`working paper`, `PhD diss.`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    /// Report or document number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Date of publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Date>,
    /// Date of access (web sources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed: Option<Date>,
    /// URL.
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// DOI, without `https://doi.org/` or `doi:`.
    #[serde(rename = "DOI", default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// ISBN.
    #[serde(rename = "ISBN", default, skip_serializing_if = "Option::is_none")]
    pub isbn: Option<String>,
    /// Free note (`online first`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Fields this struct does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Work {
    /// The family names of the names a citation leads with ([`Work::lead_names`]).
    pub fn families(&self) -> Vec<&str> {
        self.lead_names()
            .iter()
            .map(Name::family_or_literal)
            .collect()
    }

    /// The names a citation leads with: the authors, else the editors, else the translators
    /// (CSL's substitution order for the author's place).
    pub fn lead_names(&self) -> &[Name] {
        [&self.author, &self.editor, &self.translator]
            .into_iter()
            .find(|n| !n.is_empty())
            .map_or(&[], Vec::as_slice)
    }

    /// [`Work::lead_names`], to change them.
    pub fn lead_names_mut(&mut self) -> &mut [Name] {
        [&mut self.author, &mut self.editor, &mut self.translator]
            .into_iter()
            .find(|n| !n.is_empty())
            .map_or(&mut [], Vec::as_mut_slice)
    }

    /// The year of publication.
    pub fn year(&self) -> Option<i32> {
        self.issued.as_ref().and_then(Date::year)
    }

    /// Whether the work names where it was published, as only a full citation does: a container,
    /// a series, a publisher or its place, a volume or issue, an edition, a genre, a link. (Not a
    /// date or pages, which a short form's reading may hold.)
    pub fn gives_publication_facts(&self) -> bool {
        self.container_title.is_some()
            || self.collection_title.is_some()
            || self.publisher.is_some()
            || self.publisher_place.is_some()
            || self.volume.is_some()
            || self.issue.is_some()
            || self.edition.is_some()
            || self.genre.is_some()
            || self.url.is_some()
            || self.doi.is_some()
    }

    /// A title and something besides it (a name, a date, a container, a publisher, a volume or
    /// pages): a work as a citation describes one. A bare title (with or without a URL) is as
    /// often a phrase of a note's prose, or a link's text, as a work.
    pub fn is_described(&self) -> bool {
        self.title.is_some()
            && (!self.author.is_empty()
                || !self.editor.is_empty()
                || self.issued.is_some()
                || self.publisher.is_some()
                || self.container_title.is_some()
                || self.volume.is_some()
                || self.page.is_some())
    }

    /// Fills the fields this work lacks from `from`, the same work described elsewhere (cited in
    /// full again, or found in another library), keeping every field it has: names, titles, the
    /// rest, a type when it has only CSL's generic `document`, and unmodelled fields.
    pub fn fill_missing(&mut self, from: &Work) {
        macro_rules! fill {
            ($($f:ident),*) => {$(
                if self.$f.is_none() {
                    self.$f.clone_from(&from.$f);
                }
            )*};
        }
        fill!(
            title,
            title_short,
            container_title,
            collection_title,
            volume,
            issue,
            page,
            edition,
            publisher,
            publisher_place,
            genre,
            number,
            issued,
            accessed,
            url,
            doi,
            isbn,
            note
        );
        for (list, other) in [
            (&mut self.author, &from.author),
            (&mut self.editor, &from.editor),
            (&mut self.translator, &from.translator),
        ] {
            if list.is_empty() {
                list.clone_from(other);
            }
        }
        if self.kind == WorkType::Document {
            self.kind = from.kind;
        }
        for (k, v) in &from.extra {
            self.extra.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

/// The main title of a title that has a subtitle: the words before a colon, question mark or
/// exclamation mark followed by a capitalised (or numbered) subtitle (`The Omnivore’s Dilemma` of
/// `The Omnivore’s Dilemma: A Natural History of Four Meals`, `Fragmented Authoritarianism?` of
/// `Fragmented Authoritarianism? Reforms to …`); after a colon, a subtitle in sentence case too
/// (`The fourth branch` of `The fourth branch: the Federal Reserve’s …`). `None` when there is no
/// subtitle.
pub fn main_title(title: &str) -> Option<&str> {
    let title = title.trim();
    let cut = title.char_indices().find_map(|(i, c)| {
        let rest = &title[i + c.len_utf8()..];
        // the first character of what follows after a space
        let next = rest
            .strip_prefix(' ')
            .and_then(|r| r.trim_start().chars().next());
        let subtitle_follows = next.is_some_and(|c| c.is_uppercase() || c.is_numeric());
        match c {
            // sentence-case data lowercases the subtitle after a colon (`The fourth branch: the
            // Federal Reserve’s …`); after `?` or `!` a lowercase word goes on the same sentence
            ':' if next.is_some_and(char::is_alphanumeric) => Some(i),
            '?' | '!' if subtitle_follows => Some(i + c.len_utf8()),
            _ => None,
        }
    })?;
    Some(title[..cut].trim()).filter(|m| !m.is_empty())
}

/// Minor words of a title: articles, conjunctions and prepositions, which title-case rules
/// disagree on (CMOS lowercases them; APA capitalises those of four letters or more; citeproc-js
/// keeps what the data gives).
const MINOR_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "after",
    "against",
    "along",
    "amid",
    "among",
    "an",
    "and",
    "around",
    "as",
    "at",
    "before",
    "behind",
    "below",
    "beneath",
    "beside",
    "besides",
    "between",
    "beyond",
    "but",
    "by",
    "de",
    "despite",
    "down",
    "during",
    "except",
    "for",
    "from",
    "in",
    "inside",
    "into",
    "like",
    "near",
    "nor",
    "of",
    "off",
    "on",
    "onto",
    "or",
    "out",
    "outside",
    "over",
    "past",
    "per",
    "since",
    "so",
    "than",
    "the",
    "through",
    "throughout",
    "till",
    "to",
    "toward",
    "towards",
    "under",
    "underneath",
    "until",
    "unto",
    "up",
    "upon",
    "versus",
    "via",
    "vs",
    "with",
    "within",
    "without",
    "yet",
    // in titles in other languages, kept as the data gives them (`Experimentalis et Applicata`)
    "et",
    "und",
    "y",
    "des",
    "du",
    "la",
    "le",
    "les",
    "der",
    "die",
    "das",
    "von",
    "van",
    "di",
];

/// Is `word` (any case, punctuation around it ignored) a minor word of a title?
pub fn is_minor_word(word: &str) -> bool {
    let core = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    MINOR_WORDS.contains(&core.as_str())
}

/// Index of a work in a [`Library`].
pub type WorkId = usize;

/// The deduplicated works of one manuscript (or of several), in order of first citation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Library {
    /// The works; a [`WorkId`] is an index into this list.
    pub works: Vec<Work>,
}

impl Library {
    /// The work with this id.
    pub fn get(&self, id: WorkId) -> Option<&Work> {
        self.works.get(id)
    }

    /// Looks a work up by its key.
    pub fn by_key(&self, key: &str) -> Option<WorkId> {
        self.works.iter().position(|w| w.id == key)
    }
}
