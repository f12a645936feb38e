//! Small word lists for the labeller's features: words that in the training references stand mostly
//! in names, places, publishers or journal titles. The lists are compiled by the training command
//! from the labelled spans of the training split only (never from dev or test) and shipped beside
//! the model.

use std::collections::HashMap;

/// The categories a word can belong to, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// A word of a person's name (given or family).
    Name = 1,
    /// A word of a place of publication.
    Place = 2,
    /// A word of a publisher's name.
    Publisher = 4,
    /// A word of a journal or container title.
    Journal = 8,
}

impl Category {
    /// All categories, in the order of their letters.
    pub const ALL: [Category; 4] = [
        Category::Name,
        Category::Place,
        Category::Publisher,
        Category::Journal,
    ];

    /// The letter that stands for the category in the lexicon file and in feature names.
    pub fn letter(self) -> char {
        match self {
            Category::Name => 'n',
            Category::Place => 'p',
            Category::Publisher => 'b',
            Category::Journal => 'j',
        }
    }

    /// The category of a training tag (AnyStyle's names), if it has one.
    pub fn of_tag(tag: &str) -> Option<Category> {
        Some(match tag {
            "author" | "editor" | "translator" => Category::Name,
            "location" => Category::Place,
            "publisher" => Category::Publisher,
            "journal" | "container-title" => Category::Journal,
            _ => return None,
        })
    }
}

/// Lower-case words and the categories (a bit set of [`Category`]) each belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexicon {
    words: HashMap<String, u8>,
}

/// How often a word must be seen in a category, and what share of all its occurrences that must
/// be, for it to enter that category's list.
const MIN_COUNT: u32 = 2;
const MIN_SHARE: f64 = 0.3;

impl Lexicon {
    /// The categories of a word (already lower-cased), as a bit set; 0 when it is in no list.
    pub fn get(&self, word: &str) -> u8 {
        self.words.get(word).copied().unwrap_or(0)
    }

    /// How many words the lists hold.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// The lists are empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Compiles the lists from labelled segments (`(tag, text)` pairs of the training references):
    /// a word enters a category when it was seen there at least twice and in at least 30% of all
    /// its occurrences.
    pub fn compile<'a>(segments: impl IntoIterator<Item = (&'a str, &'a str)>) -> Lexicon {
        let mut counts: HashMap<String, [u32; 5]> = HashMap::new();
        for (tag, text) in segments {
            let cat = Category::of_tag(tag);
            for word in text.split_whitespace() {
                let w = super::features::core_lower(word);
                if w.chars().count() < 2 || !w.chars().all(char::is_alphabetic) {
                    continue;
                }
                let c = counts.entry(w).or_default();
                c[4] += 1;
                if let Some(cat) = cat {
                    c[Category::ALL.iter().position(|&k| k == cat).unwrap_or(0)] += 1;
                }
            }
        }
        let mut words = HashMap::new();
        for (w, c) in counts {
            let mut bits = 0u8;
            for (k, cat) in Category::ALL.iter().enumerate() {
                if c[k] >= MIN_COUNT && f64::from(c[k]) >= MIN_SHARE * f64::from(c[4]) {
                    bits |= *cat as u8;
                }
            }
            if bits != 0 {
                words.insert(w, bits);
            }
        }
        Lexicon { words }
    }

    /// The lists as text: one `word<TAB>letters` line per word, sorted (what the training command
    /// writes and [`Lexicon::parse`] reads).
    pub fn to_tsv(&self) -> String {
        let mut lines: Vec<String> = self
            .words
            .iter()
            .map(|(w, &bits)| {
                let letters: String = Category::ALL
                    .iter()
                    .filter(|c| bits & **c as u8 != 0)
                    .map(|c| c.letter())
                    .collect();
                format!("{w}\t{letters}")
            })
            .collect();
        lines.sort();
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }

    /// Reads the text of [`Lexicon::to_tsv`]; lines it cannot read are skipped.
    pub fn parse(tsv: &str) -> Lexicon {
        let mut words = HashMap::new();
        for line in tsv.lines() {
            let Some((w, letters)) = line.split_once('\t') else {
                continue;
            };
            let bits = Category::ALL
                .iter()
                .filter(|c| letters.contains(c.letter()))
                .fold(0u8, |b, c| b | *c as u8);
            if bits != 0 {
                words.insert(w.to_owned(), bits);
            }
        }
        Lexicon { words }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_keeps_words_seen_twice_in_a_category() {
        let segs = [
            ("publisher", "Oxford University Press"),
            ("publisher", "Cambridge University Press"),
            ("location", "Oxford"),
            ("location", "Oxford"),
            ("title", "Press and politics"),
        ];
        let lex = Lexicon::compile(segs);
        assert_eq!(lex.get("press"), Category::Publisher as u8);
        assert_eq!(lex.get("university"), Category::Publisher as u8);
        // Oxford: twice a place, once a publisher (below the count of two)
        assert_eq!(lex.get("oxford"), Category::Place as u8);
        assert_eq!(lex.get("cambridge"), 0);
        assert_eq!(lex.get("politics"), 0);
        let back = Lexicon::parse(&lex.to_tsv());
        assert_eq!(back, lex);
    }
}
