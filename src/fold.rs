//! Text folding for comparisons: names and titles are compared without case, accents, quotes or
//! punctuation, so that `Thérien` finds `Therien` and `“The agenda of Xi Jinping,”` finds
//! `The agenda of Xi Jinping: Is the Chinese Communist Party capable of thorough reforms?`.

/// Lower-case ASCII words of `text` (accents folded by `deunicode`, punctuation dropped).
pub fn words(text: &str) -> Vec<String> {
    let ascii = deunicode::deunicode(text);
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// `text` folded to lower-case ASCII words joined by single spaces.
pub fn key(text: &str) -> String {
    words(text).join(" ")
}

/// Lower-case particles that may lead a family name (`von Solms`, `van Niekerk`, `de la Cruz`).
const PARTICLES: &[&str] = &[
    "de", "da", "di", "du", "del", "della", "der", "den", "la", "le", "van", "von", "ten", "ter",
    "y",
];

/// A family name folded for comparison, with leading particles set aside (`Von Solms` -> `solms`).
pub fn family(name: &str) -> String {
    let w = words(name);
    let start = w
        .iter()
        .position(|x| !PARTICLES.contains(&x.as_str()))
        .unwrap_or(0);
    w[start..].join(" ")
}

/// A family name as written without its leading lower-case particles (`de Beauvoir` ->
/// `Beauvoir`, `van Doorn` -> `Doorn`): the form CMOS 8.5 lets a short note use. Accents and case
/// kept; a capitalised `Von Solms` stays whole.
pub fn without_particles(name: &str) -> &str {
    let mut rest = name.trim_start();
    while let Some((first, after)) = rest.split_once(' ') {
        if PARTICLES.contains(&first) {
            rest = after.trim_start();
        } else {
            break;
        }
    }
    rest
}

/// Levenshtein distance between two short strings (names), counting chars (`strsim`, the crate
/// clap's suggestions use).
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_come_off_a_family_name_as_written() {
        assert_eq!(without_particles("de Beauvoir"), "Beauvoir");
        assert_eq!(without_particles("van der Berg"), "Berg");
        assert_eq!(without_particles("Von Solms"), "Von Solms");
        assert_eq!(without_particles("Müller"), "Müller");
    }

    #[test]
    fn folds_accents_quotes_and_particles() {
        assert_eq!(
            key("“The agenda of Xi Jinping,”"),
            "the agenda of xi jinping"
        );
        assert_eq!(family("Thérien"), family("Therien"));
        assert_eq!(family("Von Solms"), "solms");
        assert_eq!(family("van Niekerk"), "niekerk");
        assert_eq!(key("China’s"), "china s");
        assert_eq!(edit_distance("esaray", "esarey"), 1);
    }
}
