//! The domain core: the register model, the Annex A catalog, scoring, the
//! Statement of Applicability, validation and canonical writing.
//!
//! Everything here is pure: no file or terminal I/O, so it can be driven from
//! the CLI, the TUI and tests alike. Rules follow `REGISTER.md` (schemas 1 and 2).

// Every public item says what it is for (issue 14: the compiler holds it).
#![deny(missing_docs)]

pub mod analysis;
pub mod approval;
pub mod canonical;
pub mod catalog;
pub mod catalog_search;
pub mod diff;
pub mod eval;
pub mod evidence;
pub mod fields;
pub mod generate;
pub mod merge;
pub mod minutes;
pub mod model;
pub mod plan;
pub mod review_queue;
pub mod schema2;
pub mod soa;
pub mod threat_library;
pub mod validate;

pub use analysis::Analysis;
pub use catalog::{Catalog, ControlInfo};
pub use eval::{Evaluation, RiskEval, Score};
pub use model::*;
pub use soa::{Applicability, Soa, SoaEntry};
pub use validate::{Finding, Severity};
