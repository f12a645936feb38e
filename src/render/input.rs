//! What the render stage takes: the library of works and the sequence of notes, as plain data, from
//! an [`Analysis`] or from an extract JSON ([`Extract`]).

use serde::{Deserialize, Serialize};

use crate::model::span::Span;
use crate::model::{CiteRecord, Work};
use crate::output::Extract;
use crate::resolve::Analysis;

/// The works and the notes to render.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RenderInput {
    /// The library, as CSL-JSON items (keys unique).
    pub works: Vec<Work>,
    /// The notes, in order (notes without citations included: they matter for Ibid).
    pub notes: Vec<NoteSeq>,
}

/// One note: its citations and its text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NoteSeq {
    /// The note's id (`xxvi`).
    pub id: String,
    /// 1-based note number.
    pub number: usize,
    /// Its citations, in order: each with its bytes in [`NoteSeq::text`]
    /// ([`CiteRecord::note_span`], [`CiteRecord::signal_span`]) when known, and its label as
    /// the renderer prints it ([`render_label`]).
    pub citations: Vec<CiteRecord>,
    /// The note holds prose beyond its citations.
    pub commentary: bool,
    /// The note's text, when known: the citations' [`CiteRecord::note_span`] and
    /// [`CiteRecord::signal_span`] point into it.
    pub text: Option<String>,
}

impl RenderInput {
    /// The input of a parsed and resolved manuscript.
    pub fn from_analysis(analysis: &Analysis) -> RenderInput {
        let notes = analysis
            .manuscript
            .notes
            .iter()
            .zip(&analysis.notes)
            .map(|(note, parsed)| NoteSeq {
                id: note.id.clone(),
                number: note.number,
                commentary: parsed.commentary,
                text: Some(note.text.clone()),
                citations: parsed
                    .cites
                    .iter()
                    .map(|cite| {
                        let record = cite.record(&note.text, &analysis.library);
                        CiteRecord {
                            label: render_label(&record),
                            ..record
                        }
                    })
                    .collect(),
            })
            .collect();
        let mut input = RenderInput {
            works: analysis
                .library
                .works
                .iter()
                .map(|w| {
                    let mut w = w.clone();
                    if w.title_short.is_none() {
                        w.title_short = w.title.as_deref().and_then(main_title);
                    }
                    w
                })
                .collect(),
            notes,
        };
        input.inherit_ibid_locators();
        input
    }

    /// A short form written where the style would print Ibid. stays a short form: the Chicago
    /// Manual prefers shortened citations to ibid. (CMOS 17 and 18, 14.34), so a note that
    /// repeats the author and short title of the work just cited is as correct as `Ibid.`, and
    /// `check` expects the short form it wrote. Not for re-emitting (`format`, `convert`), which
    /// print what the style prints.
    pub fn keep_written_short_forms(&mut self) {
        for cite in self.notes.iter_mut().flat_map(|n| &mut n.citations) {
            cite.no_ibid = cite.kind == "short";
        }
    }

    /// A bare `Ibid.` means the same work at the same place (CMOS 14.34): give an Ibid without a
    /// locator the locator of the citation it repeats, so that the style prints `Ibid.` again
    /// (a CSL processor, told nothing, would print a short form after `Ibid., 9`). Applied to
    /// manuscripts read by ibid; an extract JSON is rendered exactly as it says.
    fn inherit_ibid_locators(&mut self) {
        let mut last: Option<(String, Option<String>, Option<String>)> = None;
        for note in &mut self.notes {
            for cite in &mut note.citations {
                if let (Some(work), Some((prev_work, locator, label))) = (&cite.work, &last) {
                    if cite.kind == "ibid" && cite.locator.is_none() && work == prev_work {
                        cite.locator.clone_from(locator);
                        cite.label.clone_from(label);
                    }
                }
                last = cite
                    .work
                    .clone()
                    .map(|w| (w, cite.locator.clone(), cite.label.clone()));
            }
            if note.citations.is_empty() {
                last = None;
            }
        }
    }

    /// The input of an extract document (the gold JSON shape). Citation spans are found by
    /// looking the citation's text up in the note's text, in order.
    pub fn from_extract(extract: &Extract) -> RenderInput {
        let notes = extract
            .notes
            .iter()
            .map(|note| {
                let text = Some(note.text.clone()).filter(|t| !t.trim().is_empty());
                let mut cursor = 0;
                let citations = note
                    .citations
                    .iter()
                    .map(|c| {
                        let span = text.as_deref().and_then(|t| {
                            if c.text.is_empty() {
                                return None;
                            }
                            let at = cursor + t.get(cursor..)?.find(c.text.as_str())?;
                            cursor = at + c.text.len();
                            Some(Span::new(at, at + c.text.len()))
                        });
                        let signal_span = match (&text, span, &c.signal) {
                            (Some(t), Some(s), Some(sig)) => find_signal_before(t, s.start, sig),
                            _ => None,
                        };
                        CiteRecord {
                            label: render_label(c),
                            note_span: span,
                            signal_span,
                            fields: None,
                            no_ibid: false,
                            ..c.clone()
                        }
                    })
                    .collect();
                NoteSeq {
                    id: note.id.clone(),
                    number: note.number,
                    citations,
                    commentary: note.commentary,
                    text,
                }
            })
            .collect();
        RenderInput {
            works: extract.works.clone(),
            notes,
        }
    }
}

/// The short title CMOS 14.32 gives a work whose author gave none of their own: the main title
/// (the subtitle dropped: `The Omnivore’s Dilemma` of `The Omnivore’s Dilemma: A Natural History
/// of Four Meals`; `Fragmented Authoritarianism?` of `Fragmented Authoritarianism? Reforms to …`),
/// an initial A, An or The dropped, and no more than four words (`Meaning of Horace’s Ut` of `The Meaning of Horace’s Ut Pictura Poesis`; a minor word does not
/// end it: `Love and Death` of `Love and Death in the American Novel`). `None` when that is the whole title, and for a generic
/// main title (`Introduction: The “Fragmented Authoritarianism” Model`), which keeps the whole
/// title.
///
/// Applied to the works of a manuscript ibid reads (their short notes are checked against it),
/// not to a CSL library given as such, which citeproc-js renders with the whole title when it
/// has no `title-short`.
pub fn main_title(title: &str) -> Option<String> {
    let title = title.trim();
    let main = crate::model::work::main_title(title).unwrap_or(title);
    // `Introduction: The “Fragmented Authoritarianism” Model`: a generic main title says
    // nothing alone, and the title stays whole
    const GENERIC: &[&str] = &[
        "introduction",
        "conclusion",
        "conclusions",
        "preface",
        "foreword",
        "afterword",
        "epilogue",
        "prologue",
        "overview",
        "editorial",
    ];
    if GENERIC.contains(&main.to_lowercase().as_str()) {
        return None;
    }
    let mut words: Vec<&str> = main.split_whitespace().collect();
    if words.len() > 1 && matches!(words[0], "A" | "An" | "The") {
        words.remove(0);
    }
    if words.len() > 4 {
        words.truncate(4);
        // nor end inside a quotation (`Comment on “Heterogeneous Hadean`): the words before it
        if let Some(open) = (0..words.len()).find(|&i| opens_unclosed(&words[i..])) {
            words.truncate(open);
        }
        // nor a minor word or a comma
        while words.len() > 1 && crate::model::work::is_minor_word(words[words.len() - 1]) {
            words.pop();
        }
    }
    let mut short = words.join(" ");
    if short.len() < main.len() && short.ends_with([',', ';', ':']) {
        short.pop();
    }
    (short != title && !short.is_empty()).then_some(short)
}

/// Whether `words` open a quotation mark (“ ‘ « or a straight double quote) that they do not
/// close: a short title cut there would leave it open. (’ doubles as the apostrophe, so a
/// single quotation is open only when its openers outnumber every ’.)
fn opens_unclosed(words: &[&str]) -> bool {
    let count = |c: char| words.iter().map(|w| w.matches(c).count()).sum::<usize>();
    let first = words.first().copied().unwrap_or("");
    let opens = |c: char| first.contains(c);
    (opens('“') && count('“') > count('”'))
        || (opens('‘') && count('‘') > count('’'))
        || (opens('«') && count('«') > count('»'))
        || (opens('"') && count('"') % 2 == 1)
}

/// The label the renderer prints a citation's locator with: `custom` (printed as written,
/// without a label) for a compound locator (`Chapter 1, Article 9`: [`CiteRecord::compound`], or
/// words in its value, [`is_compound`]), else the record's label, `page` when it gives none.
/// `None` without a locator.
pub fn render_label(cite: &CiteRecord) -> Option<String> {
    cite.locator.as_ref().map(|value| {
        if cite.compound || is_compound(value) {
            "custom".to_owned()
        } else {
            cite.label.clone().unwrap_or_else(|| "page".to_owned())
        }
    })
}

/// A locator that names its own units (`Chapter 1, Article 9`) rather than being a number or a
/// range: printed as written, without a label.
pub fn is_compound(value: &str) -> bool {
    value
        .split(|c: char| !c.is_alphabetic())
        .any(|word| word.chars().count() >= 2 && crate::manuscript::roman_value(word).is_none())
}

/// The span of `signal` (case-insensitive) just before `before` in `text`, separated by spaces.
fn find_signal_before(text: &str, before: usize, signal: &str) -> Option<Span> {
    let head = text.get(..before)?.trim_end();
    let lower = head.to_lowercase();
    if lower.len() != head.len() || !lower.ends_with(&signal.to_lowercase()) {
        return None;
    }
    let start = head.len() - signal.len();
    let ok = start == 0 || !head[..start].chars().last()?.is_alphanumeric();
    ok.then(|| Span::new(start, head.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_locators() {
        assert!(is_compound("Chapter 1, Article 9"));
        assert!(!is_compound("4–13"));
        assert!(!is_compound("xiv"));
        assert!(!is_compound("12a"));
    }

    #[test]
    fn a_short_title_does_not_end_inside_a_quotation() {
        let short = |t: &str| main_title(t);
        assert_eq!(
            short("Comment on “Heterogeneous Hadean Hafnium: Evidence of Continental Crust”")
                .as_deref(),
            Some("Comment")
        );
        assert_eq!(
            short("“Unconventional Photon Blockade in Doubly Resonant Microcavities”"),
            None
        );
        assert_eq!(
            short("La figure de l’« intellectuel » dans la France moderne").as_deref(),
            Some("La figure")
        );
        // a quotation closed within the four words stays; an apostrophe is not a quotation
        assert_eq!(
            short("The “Fragmented” Model of Chinese Policy Making").as_deref(),
            Some("“Fragmented” Model of Chinese")
        );
        assert_eq!(
            short("Lewis’ Counterfactual Logic and Its Critics").as_deref(),
            Some("Lewis’ Counterfactual Logic")
        );
    }

    /// CMOS 14.32 drops the subtitle, whatever the case of the data: sentence case lowercases
    /// the subtitle after the colon (AnyStyle's `The fourth branch: the Federal Reserve’s …`).
    #[test]
    fn a_short_title_drops_a_subtitle_in_sentence_case() {
        let short = |t: &str| main_title(t);
        assert_eq!(
            short("The fourth branch: the Federal Reserve’s unlikely rise to power").as_deref(),
            Some("fourth branch")
        );
        assert_eq!(
            short("The 4th revolution : how the infosphere is reshaping human reality").as_deref(),
            Some("4th revolution")
        );
        // after a question mark a lowercase word is the same sentence, not a subtitle
        assert_eq!(
            short("Who cares? said the reader to the writer").as_deref(),
            Some("Who cares? said")
        );
    }

    #[test]
    fn signal_before_a_citation() {
        let t = "Seen in Lee, “Hacking,” 64";
        assert_eq!(find_signal_before(t, 8, "seen in"), Some(Span::new(0, 7)));
        assert_eq!(find_signal_before(t, 8, "see"), None);
    }
}
