//! Bibliographies in and out: CSL-JSON, BibLaTeX/BibTeX, hayagriva YAML and RIS, each to and from
//! the [`crate::model::Library`] (what each format cannot carry is said in its module), and the
//! choice of format by extension ([`formats`]).

pub mod biblatex;
pub mod csljson;
pub mod formats;
pub mod ris;
pub mod yaml;

pub use formats::LibraryFormat;
