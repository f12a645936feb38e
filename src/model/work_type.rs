//! The CSL item type of a work, as an enum rather than a string.
//!
//! CSL 1.0.2 fixes the list of item types (`book`, `chapter`, `article-journal` ...); CSL-JSON
//! spells them in kebab case except a few with an underscore (`legal_case`, `motion_picture`,
//! `musical_score`, `personal_communication`). A type name that is not CSL's (`misc`,
//! `journal-article`, `dissertation`, as other tools write them) is read through [`WorkType::parse`],
//! which knows the common aliases and falls back to [`WorkType::Document`], CSL's generic type.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! work_types {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, )*) => {
        /// A CSL 1.0.2 item type.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum WorkType {
            $( $(#[$doc])* $variant, )*
        }

        impl WorkType {
            /// Every CSL type, in CSL's alphabetical order.
            pub const ALL: &'static [WorkType] = &[$(WorkType::$variant,)*];

            /// The name CSL-JSON gives the type (`article-journal`, `legal_case`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( WorkType::$variant => $name, )*
                }
            }

            /// The type a CSL name stands for, exactly as CSL spells it.
            pub fn from_csl(name: &str) -> Option<WorkType> {
                match name {
                    $( $name => Some(WorkType::$variant), )*
                    _ => None,
                }
            }
        }
    };
}

work_types! {
    /// A generic article (neither journal, magazine nor newspaper).
    Article = "article",
    /// An article in an academic journal.
    ArticleJournal = "article-journal",
    /// An article in a magazine.
    ArticleMagazine = "article-magazine",
    /// An article in a newspaper.
    ArticleNewspaper = "article-newspaper",
    /// A bill before a legislature.
    Bill = "bill",
    /// A book, monograph or edited volume.
    Book = "book",
    /// A radio or television broadcast.
    Broadcast = "broadcast",
    /// A chapter of a book.
    Chapter = "chapter",
    /// A classical work cited by its canonical divisions.
    Classic = "classic",
    /// An archival collection.
    Collection = "collection",
    /// A dataset.
    Dataset = "dataset",
    /// CSL's generic type: what a work is when nothing says more.
    #[default]
    Document = "document",
    /// An entry in a reference work that is neither dictionary nor encyclopedia.
    Entry = "entry",
    /// An entry in a dictionary.
    EntryDictionary = "entry-dictionary",
    /// An entry in an encyclopedia.
    EntryEncyclopedia = "entry-encyclopedia",
    /// An event (a conference, an exhibition).
    Event = "event",
    /// A figure.
    Figure = "figure",
    /// A visual work (a painting, a photograph).
    Graphic = "graphic",
    /// A legislative or administrative hearing.
    Hearing = "hearing",
    /// An interview.
    Interview = "interview",
    /// A court case.
    LegalCase = "legal_case",
    /// A statute or other enacted law.
    Legislation = "legislation",
    /// An unpublished manuscript.
    Manuscript = "manuscript",
    /// A map.
    Map = "map",
    /// A film or video.
    MotionPicture = "motion_picture",
    /// A musical score.
    MusicalScore = "musical_score",
    /// A pamphlet or brochure.
    Pamphlet = "pamphlet",
    /// A paper in conference proceedings.
    PaperConference = "paper-conference",
    /// A patent.
    Patent = "patent",
    /// A performance.
    Performance = "performance",
    /// A whole periodical (an issue or the run of a journal).
    Periodical = "periodical",
    /// A letter, an e-mail, a conversation: a personal communication.
    PersonalCommunication = "personal_communication",
    /// A post on a forum or social media.
    Post = "post",
    /// A post on a blog.
    PostWeblog = "post-weblog",
    /// A regulation.
    Regulation = "regulation",
    /// A report (government, technical, a working paper).
    Report = "report",
    /// A review.
    Review = "review",
    /// A book review.
    ReviewBook = "review-book",
    /// Software.
    Software = "software",
    /// A song or other audio recording.
    Song = "song",
    /// A speech or a presentation.
    Speech = "speech",
    /// A standard.
    Standard = "standard",
    /// A thesis or dissertation.
    Thesis = "thesis",
    /// A treaty.
    Treaty = "treaty",
    /// A web page.
    Webpage = "webpage",
}

impl WorkType {
    /// The type a name stands for: CSL's own names, then the aliases other tools and older CSL
    /// write (`misc`, `journal-article`, `dissertation`, `web`), case-insensitively; anything
    /// else is [`WorkType::Document`].
    pub fn parse(name: &str) -> WorkType {
        let name = name.trim();
        if let Some(ty) = WorkType::from_csl(name) {
            return ty;
        }
        let lower = name.to_ascii_lowercase().replace([' ', '_'], "-");
        if let Some(ty) = WorkType::ALL
            .iter()
            .find(|t| t.as_str().replace('_', "-") == lower)
        {
            return *ty;
        }
        match lower.as_str() {
            "journal-article" | "journal" => WorkType::ArticleJournal,
            "magazine-article" => WorkType::ArticleMagazine,
            "newspaper-article" => WorkType::ArticleNewspaper,
            "book-chapter" | "incollection" | "inbook" | "book-section" => WorkType::Chapter,
            "dissertation" | "phdthesis" | "mastersthesis" => WorkType::Thesis,
            "web" | "online" | "website" | "web-page" => WorkType::Webpage,
            "blog-post" => WorkType::PostWeblog,
            "proceedings-article" | "inproceedings" | "conference-paper" => {
                WorkType::PaperConference
            }
            "techreport" => WorkType::Report,
            "case" => WorkType::LegalCase,
            "statute" => WorkType::Legislation,
            "film" | "video" => WorkType::MotionPicture,
            "letter" | "email" | "e-mail" => WorkType::PersonalCommunication,
            _ => WorkType::Document,
        }
    }

    /// An article in a periodical of some kind (`article`, `article-journal`, `-magazine`,
    /// `-newspaper`).
    pub fn is_article(self) -> bool {
        matches!(
            self,
            WorkType::Article
                | WorkType::ArticleJournal
                | WorkType::ArticleMagazine
                | WorkType::ArticleNewspaper
        )
    }

    /// A part of a book, whose container is the book (`booktitle` in BibLaTeX).
    pub fn is_in_book(self) -> bool {
        matches!(
            self,
            WorkType::Chapter
                | WorkType::PaperConference
                | WorkType::EntryDictionary
                | WorkType::EntryEncyclopedia
        )
    }

    /// A law or a court case, cited by its legal form rather than author and title.
    pub fn is_legal(self) -> bool {
        matches!(self, WorkType::Legislation | WorkType::LegalCase)
    }
}

impl fmt::Display for WorkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for WorkType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for WorkType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WorkType, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(WorkType::parse(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::WorkType;

    #[test]
    fn every_csl_name_reads_back_as_itself() {
        for ty in WorkType::ALL {
            assert_eq!(WorkType::parse(ty.as_str()), *ty);
            let json = serde_json::to_string(ty).unwrap();
            assert_eq!(serde_json::from_str::<WorkType>(&json).unwrap(), *ty);
        }
        assert_eq!(WorkType::ALL.len(), 45, "CSL 1.0.2 has 45 item types");
    }

    #[test]
    fn aliases_and_unknown_names() {
        assert_eq!(WorkType::parse("journal-article"), WorkType::ArticleJournal);
        assert_eq!(WorkType::parse("Legal Case"), WorkType::LegalCase);
        assert_eq!(WorkType::parse("motion-picture"), WorkType::MotionPicture);
        assert_eq!(WorkType::parse("dissertation"), WorkType::Thesis);
        assert_eq!(WorkType::parse("misc"), WorkType::Document);
        assert_eq!(WorkType::parse(""), WorkType::Document);
    }
}
