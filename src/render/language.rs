//! The language of a work's titles, where the notes do not say it: CSL title case is for English
//! titles only (a French or Spanish title keeps its sentence case, CMOS 11.24), and hayagriva
//! applies it to any item without a `language`. A title whose function words are clearly those of
//! another language gets that language; anything unsure stays English, as before.

/// Function words by language: short, frequent, and rarely in English titles. The first entry is
/// English, against which the others are weighed.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "of", "and", "in", "to", "a", "an", "for", "on", "with", "from", "by", "at",
            "is", "as", "its", "into", "or", "how", "what", "why", "new",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "de", "del", "y", "en", "un", "una", "para", "por", "con",
            "que", "sobre", "al", "como", "entre", "desde", "hasta", "según", "sin",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "pour", "par", "sur",
            "dans", "au", "aux", "avec", "d", "l", "entre",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "im", "zur", "zum", "von", "mit", "für", "ein", "eine",
            "des", "den", "dem", "über", "auf",
        ],
    ),
    (
        "it",
        &[
            "il", "lo", "gli", "le", "di", "del", "della", "e", "un", "una", "per", "con", "su",
            "tra", "nel", "nella", "dei",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "as", "do", "da", "dos", "das", "e", "em", "um", "uma", "para", "com", "no",
            "na", "sobre",
        ],
    ),
];

/// The language of `texts` (a work's title and container title) when it is clearly not English:
/// at least two of another language's function words, and more of them than English ones.
pub fn non_english<'a>(texts: impl Iterator<Item = &'a str>) -> Option<&'static str> {
    clearly(&counts(texts), 2, 1)
}

/// The language a manuscript is written in, from its prose (the first 200 KB), when it is
/// clearly not English: at least 40 of another language's function words, and more than twice as
/// many as English ones. A manuscript quoting English titles in French prose is French.
pub fn of_prose(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(200_000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    clearly(&counts(std::iter::once(&text[..end])), 40, 2)
}

/// How many of each language's function words `texts` hold.
fn counts<'a>(texts: impl Iterator<Item = &'a str>) -> [usize; FUNCTION_WORDS.len()] {
    let mut counts = [0usize; FUNCTION_WORDS.len()];
    // (no function word is longer than six bytes: longer words are not looked up)
    for word in texts.flat_map(|t| {
        t.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty() && w.len() <= 6)
    }) {
        let word = word.to_lowercase();
        for (i, (_, list)) in FUNCTION_WORDS.iter().enumerate() {
            if list.contains(&word.as_str()) {
                counts[i] += 1;
            }
        }
    }
    counts
}

/// The language other than English with the most function words in `counts`, when it has at
/// least `least` of them and more than `times` as many as English.
fn clearly(
    counts: &[usize; FUNCTION_WORDS.len()],
    least: usize,
    times: usize,
) -> Option<&'static str> {
    let english = counts[0];
    let (best, &n) = counts
        .iter()
        .enumerate()
        .skip(1)
        .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))?;
    (n >= least && n > times * english).then_some(FUNCTION_WORDS[best].0)
}

/// The CSL locale of a language [`of_prose`] or [`non_english`] names.
pub fn csl_locale(language: &str) -> Option<&'static str> {
    Some(match language {
        "es" => "es-ES",
        "fr" => "fr-FR",
        "de" => "de-DE",
        "it" => "it-IT",
        "pt" => "pt-PT",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_cases_only() {
        let one = |t: &str| non_english([t].into_iter());
        assert_eq!(one("Entendiendo Delta desde las Humanidades"), Some("es"));
        assert_eq!(one("Delta en R"), None, "one function word is not enough");
        assert_eq!(
            non_english(
                [
                    "Datos tabulares en R",
                    "The Programming Historian en español"
                ]
                .into_iter()
            ),
            Some("es")
        );
        assert_eq!(
            one("Rêve d'une épiphanie du style: visibilité et saillance en stylistique"),
            Some("fr")
        );
        assert_eq!(one("Die Entstehung der Arbeit und das Kapital"), Some("de"));
        assert_eq!(
            one("The Life of Lazarillo de Tormes and of His Adversities"),
            None
        );
        assert_eq!(one("JavaScript and jQuery"), None);
    }

    #[test]
    fn function_words_are_at_most_six_bytes() {
        for (_, list) in FUNCTION_WORDS {
            assert!(list.iter().all(|w| w.len() <= 6), "{list:?}");
        }
    }

    #[test]
    fn the_language_of_prose() {
        let french = "Nous présentons les étapes de la reconnaissance des écritures et les choix qui se posent pour les langues peu dotées. ";
        assert_eq!(of_prose(&french.repeat(8)), Some("fr"));
        assert_eq!(of_prose(french), None, "too little prose to say");
        let english = "We present the steps of the recognition of the scripts, and the choices for the languages with few resources. ";
        // English prose quoting French titles is English
        assert_eq!(of_prose(&(english.repeat(8) + &french.repeat(3))), None);
        assert_eq!(csl_locale("fr"), Some("fr-FR"));
        assert_eq!(csl_locale("en"), None);
    }
}
