//! The note grammar on whole notes.
