//! ISO/IEC 27001:2013 → 2022 control correspondence (ISO/IEC 27002:2022
//! Annex B, Table B.2), shipped as the project's own data file
//! `data/mapping-2013-2022.csv` (sources in `data/SOURCES.md`) and embedded
//! in the binary.
//!
//! Also the one place that decides what a control reference *is*: a 2022
//! control, a 2013 control (with its 2022 targets) or neither.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::catalog::{Catalog, normalize_reference};

const MAPPING_CSV: &str = include_str!("../../data/mapping-2013-2022.csv");

/// One 2013 control and the 2022 controls it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldControl {
    /// `12.3.1` (no `A.` prefix).
    pub id: String,
    pub title: String,
    /// One or more 2022 ids, in the order of the table.
    pub targets: Vec<String>,
}

/// The embedded 2013 → 2022 table.
#[derive(Debug)]
pub(crate) struct Mapping {
    controls: Vec<OldControl>,
    by_id: HashMap<String, usize>,
}

impl Mapping {
    /// The embedded table, parsed once.
    pub fn get() -> &'static Mapping {
        static MAPPING: OnceLock<Mapping> = OnceLock::new();
        MAPPING.get_or_init(|| Mapping::parse(MAPPING_CSV))
    }

    /// The data file is part of the binary and covered by tests, so a
    /// malformed row is a build defect, not user input.
    #[allow(clippy::expect_used, reason = "embedded data, checked by the tests")]
    fn parse(text: &str) -> Mapping {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut controls = Vec::new();
        for record in reader.records() {
            let r = record.expect("embedded 2013 → 2022 mapping is valid CSV");
            controls.push(OldControl {
                id: r.get(0).unwrap_or("").to_string(),
                title: r.get(1).unwrap_or("").to_string(),
                targets: r
                    .get(2)
                    .unwrap_or("")
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            });
        }
        let by_id = controls
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        Mapping { controls, by_id }
    }

    /// A 2013 control by its id without prefix (`12.3.1`).
    pub fn old(&self, id: &str) -> Option<&OldControl> {
        self.by_id.get(id).map(|&i| &self.controls[i])
    }
}

/// What a control reference turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ControlRef<'m> {
    /// An ISO/IEC 27001:2022 Annex A control (its catalog id).
    Current(String),
    /// An ISO/IEC 27001:2013 Annex A control.
    Old(&'m OldControl),
    /// Neither.
    Unknown,
}

/// Classifies one reference in any common spelling: `8.13`, `A.8.13`,
/// `A 8.13`, `Annex A 8.13`, `813` (2022) or `A.12.3.1`, `12.3.1` (2013).
/// Two-part ids are read as 2022 ids, three-part ids as 2013 ids: the 2013
/// Annex A numbered its controls `A.5.1.1` … `A.18.2.3`.
pub(crate) fn classify(reference: &str) -> ControlRef<'static> {
    let norm = normalize_reference(reference);
    let norm = norm.trim_end_matches('.');
    if norm.split('.').count() == 3 {
        return match Mapping::get().old(norm) {
            Some(old) => ControlRef::Old(old),
            None => ControlRef::Unknown,
        };
    }
    match Catalog::annex_a().resolve(norm) {
        Some(c) => ControlRef::Current(c.id.to_string()),
        None => ControlRef::Unknown,
    }
}

/// Whether a reference is shaped like a 2013 control id (three numbers),
/// whether or not the table knows it: the test for "this register still
/// uses 2013 numbering".
pub(crate) fn looks_2013(reference: &str) -> bool {
    let norm = normalize_reference(reference);
    let parts: Vec<&str> = norm.trim_end_matches('.').split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_114_controls_and_every_target_exists() {
        let m = Mapping::get();
        assert_eq!(m.controls.len(), 114);
        let pairs: usize = m.controls.iter().map(|c| c.targets.len()).sum();
        assert_eq!(pairs, 115);
        let catalog = Catalog::annex_a();
        for c in &m.controls {
            assert!(!c.targets.is_empty(), "{} has no target", c.id);
            for t in &c.targets {
                assert!(
                    catalog.get(t).is_some(),
                    "{} → {t}: not a 2022 control",
                    c.id
                );
            }
        }
        assert_eq!(m.old("18.2.3").unwrap().targets, ["5.36", "8.8"]);
    }

    #[test]
    fn classify_spellings() {
        assert_eq!(classify("A.8.13"), ControlRef::Current("8.13".into()));
        assert_eq!(classify("Annex A 8.13"), ControlRef::Current("8.13".into()));
        assert_eq!(classify("813"), ControlRef::Current("8.13".into()));
        match classify("A.12.3.1") {
            ControlRef::Old(o) => assert_eq!(o.targets, ["8.13"]),
            other => panic!("{other:?}"),
        }
        assert_eq!(classify("A.99.1"), ControlRef::Unknown);
        assert_eq!(classify("A.19.1.1"), ControlRef::Unknown);
        assert!(looks_2013("A.19.1.1"));
        assert!(!looks_2013("8.13"));
    }
}
