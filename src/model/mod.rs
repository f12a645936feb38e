//! The vocabulary every stage speaks, at the bottom of the pipeline: works, names and dates as
//! CSL-JSON items and the deduplicated library ([`work`]), the CSL item type ([`work_type`]), their keys ([`keys`]), byte spans and
//! the map from a note's text to its source ([`span`]), findings with stable codes
//! ([`diagnostic`]), and the one serialized record of a citation ([`cite`]). Nothing here imports
//! a stage above it.

pub mod cite;
pub mod diagnostic;
pub mod keys;
pub mod span;
pub mod work;
pub mod work_type;

pub use cite::CiteRecord;
pub use diagnostic::{Applicability, Code, Diagnostic, Fix, Severity};
pub use span::{SourceMap, Span};
pub use work::{Date, Library, Name, Work, WorkId};
pub use work_type::WorkType;
