//! Convert a manuscript between citation systems: notes to an author-date style (APA in-text
//! citations and a reference list, [`to_author_date`]) and author-date citations to notes
//! ([`to_notes`]). The body is kept byte for byte; the input is never touched.

pub mod to_author_date;
pub mod to_notes;
