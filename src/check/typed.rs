//! The expectation in the author's typing: what differs between a citation as written and its
//! rendering without being a difference of style. Each adjustment rewrites the expectation (its
//! plain text, its source form and its rich form alike) so that the comparison, the diff and a fix
//! see only the differences that matter:
//! - Markdown typing: straight quotes and `--` are what pandoc typesets as curly quotes and dashes;
//! - `et al.`: a list of names the author cut (`Choi et al.`) is read as the names it gives, and
//!   the rendering of those names alone leaves out the `et al.` the author was right to write;
//! - the capitals of a title's minor words: CMOS lowercases prepositions of any length, other
//!   guides and citeproc-js keep an author's `Behind` or `Between`; a word after a slash or a
//!   hyphen (`Logit/Partial`, `2-d`) and a lone letter (`Planning A`) are the author's to case;
//! - the name of a season: `Fall 1994` (CMOS's word) where the locale's term prints `Autumn 1994`.

use super::Expectation;
use crate::manuscript::Format;
use crate::model::work::is_minor_word;

/// The expectation adjusted to the way `written` was typed, or `None` when nothing changes.
pub(super) fn as_typed(want: &Expectation, written: &str, format: Format) -> Option<Expectation> {
    let mut out: Option<Expectation> = None;
    for adjust in [markdown_typing, et_al, minor_word_case, season] {
        let base = out.as_ref().unwrap_or(want);
        if let Some(next) = adjust(base, written, format) {
            out = Some(next);
        }
    }
    out
}

/// The same replacement applied to the expectation's three forms.
fn map_all(want: &Expectation, f: impl Fn(&str) -> String) -> Expectation {
    Expectation {
        text: f(&want.text),
        source: f(&want.source),
        kind: want.kind,
        rich: crate::render::Rich(f(want.rich.as_raw())),
    }
}

/// In Markdown, pandoc's `smart` typesetting prints straight quotes as curly ones and `--`, `---`
/// as en and em dashes: a citation typed with them is not different from the style's form.
fn markdown_typing(want: &Expectation, written: &str, format: Format) -> Option<Expectation> {
    if format != Format::Markdown {
        return None;
    }
    let straight = written.contains(['"', '\'']);
    let hyphens = written.contains("--");
    if !straight && !hyphens {
        return None;
    }
    Some(map_all(want, |s| {
        let mut out = s.to_owned();
        if straight {
            out = out.replace(['“', '”'], "\"").replace(['‘', '’'], "'");
        }
        if hyphens {
            out = out.replace('—', "---").replace('–', "--");
        }
        out
    }))
}

/// `Choi et al., “Evaluation …”` against a rendering of the one name the note gives (`Choi,
/// “Evaluation …”`): the rendering takes the `et al.` back after that name.
fn et_al(want: &Expectation, written: &str, _: Format) -> Option<Expectation> {
    let at = written.find(" et al")?;
    // the word before `et al.`: the first author's family name as written
    let family = written[..at]
        .rsplit(|c: char| c.is_whitespace() || c == ',')
        .next()
        .filter(|f| f.chars().next().is_some_and(char::is_uppercase))?;
    if want.text.contains(" et al") {
        return None;
    }
    // which of the name's occurrences it follows (`Kelly, “Seeing Red,” in …, ed. Kelly et al.`)
    let nth = words_at(&written[..at], family).count() - 1;
    // the name in the rendering, followed by what follows a name list there
    let insert = |s: &str| -> Option<String> {
        let end = words_at(s, family).nth(nth)? + family.len();
        let after = &s[end..];
        if !after.starts_with([',', ' ']) {
            return None;
        }
        Some(format!("{} et al.{after}", &s[..end]))
    };
    let text = insert(&want.text)?;
    Some(Expectation {
        text,
        source: insert(&want.source)?,
        kind: want.kind,
        rich: crate::render::Rich(insert(want.rich.as_raw())?),
    })
}

/// `Fall` and `Autumn` name the same season (CSL season 3): the author's word is kept.
fn season(want: &Expectation, written: &str, _: Format) -> Option<Expectation> {
    let (from, to) = [("Autumn", "Fall"), ("Fall", "Autumn")]
        .into_iter()
        .find(|(from, to)| {
            words_at(written, to).next().is_some()
                && words_at(written, from).next().is_none()
                && words_at(&want.text, from).next().is_some()
        })?;
    Some(map_all(want, |s| {
        let mut out = s.to_owned();
        replace_word(&mut out, from, to);
        out
    }))
}

/// Replaces the first whole-word occurrence of `from` in `s` with `to`.
fn replace_word(s: &mut String, from: &str, to: &str) {
    let at = words_at(s, from).next();
    if let Some(k) = at {
        s.replace_range(k..k + from.len(), to);
    }
}

/// The byte offsets of `word` in `s` as a whole word.
fn words_at<'a>(s: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    s.match_indices(word).map(|(k, _)| k).filter(move |&k| {
        let before = s[..k].chars().next_back();
        let after = s[k + word.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Words of the rendering that differ from the written ones only in capitals the author may
/// choose (see the module docs) take the author's case.
fn minor_word_case(want: &Expectation, written: &str, _: Format) -> Option<Expectation> {
    let mut swaps: Vec<(String, String)> = Vec::new();
    // the words that differ, paired by a word diff
    let diff = similar::TextDiff::configure().diff_words(written, &want.text);
    for op in diff.ops() {
        if let similar::DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } = *op
        {
            if old_len != new_len {
                continue;
            }
            let old = &diff.old_slices()[old_index..old_index + old_len];
            let new = &diff.new_slices()[new_index..new_index + new_len];
            for (w, r) in old.iter().zip(new) {
                if w != r && w.to_lowercase() == r.to_lowercase() && case_is_authors(w, r) {
                    swaps.push(((*r).to_owned(), (*w).to_owned()));
                }
            }
        }
    }
    if swaps.is_empty() {
        return None;
    }
    swaps.sort();
    swaps.dedup();
    Some(map_all(want, |s| {
        let mut out = s.to_owned();
        for (from, to) in &swaps {
            replace_word(&mut out, from, to);
        }
        out
    }))
}

/// Do `written` and `rendered` (equal but for case) differ only where the author may choose the
/// case: the first letter of a minor word, a letter after `/` or `-`, a word of one letter?
fn case_is_authors(written: &str, rendered: &str) -> bool {
    let core = |s: &str| -> String {
        s.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let word = core(written);
    let minor = is_minor_word(&word) || word.chars().count() == 1;
    let w: Vec<char> = written.chars().collect();
    let r: Vec<char> = rendered.chars().collect();
    if w.len() != r.len() {
        return false;
    }
    let first_letter = w.iter().position(|c| c.is_alphanumeric());
    (0..w.len()).filter(|&i| w[i] != r[i]).all(|i| {
        (minor && Some(i) == first_letter) || (i > 0 && matches!(w[i - 1], '/' | '-' | '‐'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::CiteKind;

    fn want(text: &str) -> Expectation {
        Expectation {
            text: text.to_owned(),
            source: text.to_owned(),
            kind: CiteKind::Full,
            rich: crate::render::Rich(text.to_owned()),
        }
    }

    fn typed(written: &str, rendered: &str) -> String {
        as_typed(&want(rendered), written, Format::Text)
            .map(|w| w.text)
            .unwrap_or_else(|| rendered.to_owned())
    }

    #[test]
    fn minor_words_keep_the_authors_case() {
        let w = "Fine, “The Real Science Behind Sex Differences,” 3";
        assert_eq!(
            typed(w, "Fine, “The Real Science behind Sex Differences,” 3"),
            w
        );
        let w = "Bengio, “Credit Assignment through Time,” 3";
        assert_eq!(typed(w, "Bengio, “Credit Assignment Through Time,” 3"), w);
        let w = "Williams, “Ordered Logit/Partial Odds,” 3";
        assert_eq!(typed(w, "Williams, “Ordered Logit/partial Odds,” 3"), w);
        let w = "Castree, *Environment and Planning A* 32";
        assert_eq!(typed(w, "Castree, *Environment and Planning a* 32"), w);
    }

    #[test]
    fn other_words_keep_the_styles_case() {
        // a noun in lower case is a difference of style
        let r = "Fine, “The Real Science Behind Sex Differences,” 3";
        assert_eq!(
            typed("Fine, “The Real science Behind Sex Differences,” 3", r),
            r
        );
        // and so is a preposition where the spelling differs too
        let r = "Fine, “Science behind Sex,” 3";
        assert_eq!(typed("Fine, “Science Behnd Sex,” 3", r), r);
    }

    #[test]
    fn the_authors_name_for_a_season_is_kept() {
        let r = "Honig, “Difference,” *Social Research* 61, no. 3 (Fall 1994): 567";
        assert_eq!(
            typed(
                r,
                "Honig, “Difference,” *Social Research* 61, no. 3 (Autumn 1994): 567"
            ),
            r
        );
        // not where the rendering has no season
        assert_eq!(
            typed("Fall, *The Fall*, 3", "Fall, *The Fall*, 4"),
            "Fall, *The Fall*, 4"
        );
    }

    #[test]
    fn et_al_after_the_first_name_is_kept() {
        assert_eq!(
            typed(
                "J. A. Choi et al., “Evaluation of Consumer Drug Information,” 687",
                "J. A. Choi, “Evaluation of Consumer Drug Information,” 687"
            ),
            "J. A. Choi et al., “Evaluation of Consumer Drug Information,” 687"
        );
        assert_eq!(
            typed("Choi et al., “Evaluation,” 683", "Choi, “Evaluation,” 683"),
            "Choi et al., “Evaluation,” 683"
        );
        // the rendering names someone else: nothing to take back
        assert_eq!(
            typed("Choi et al., “Evaluation,” 683", "Smith, “Evaluation,” 683"),
            "Smith, “Evaluation,” 683"
        );
        // after the editors, where the same person is also the author
        let r = "Kelly, “Seeing Red,” in *Anthropology*, ed. Kelly et al. (Chicago: UCP, 2010), 77";
        assert_eq!(
            typed(
                r,
                "Kelly, “Seeing Red,” in *Anthropology*, ed. Kelly (Chicago: UCP, 2010), 77"
            ),
            r
        );
    }
}
