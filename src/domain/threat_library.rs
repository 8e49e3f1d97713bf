//! The threat library: threats a register can start from, each with the
//! security properties it concerns and the Annex A controls suggested
//! against it.
//!
//! A workshop should not begin with an empty threat list and a blank
//! page: the BSI elementary threats (G 0.1–G 0.47) are a complete,
//! well-known checklist, and the examples in the spirit of ISO/IEC 27005
//! (written in the project's own words) add the everyday ones people name
//! (ransomware, phishing, a lost laptop). The data ships as
//! `data/threat-library.csv` (sources in `data/SOURCES.md`), embedded like
//! the Annex A catalog so every command works without files beside the
//! binary.
//!
//! A threat taken from the library records where it came from in
//! `threats[].source` (REGISTER.md §5), e.g. `BSI G 0.23`: that tag is how
//! the workbench finds the library entry again later (to suggest its
//! controls), so it is derived from the entry in one place,
//! [`LibraryThreat::tag`].

use std::sync::OnceLock;

use super::model::{Register, Threat};
use super::schema2::Cia;

const LIBRARY_CSV: &str = include_str!("../../data/threat-library.csv");

/// One threat of the library.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryThreat {
    /// Its id in its catalogue: `G 0.23` (BSI) or `EX-01` (the project's
    /// numbering of its ISO/IEC 27005-style examples).
    pub id: String,
    /// Where it comes from: `BSI` or `ISO/IEC 27005 example (own words)`.
    pub source: String,
    /// Its name (English).
    pub name: String,
    /// The properties it directly concerns, in C, I, A order (never empty).
    pub cia: Vec<Cia>,
    /// Annex A 2022 control ids suggested against it (the project's own
    /// mapping, 2 to 6 per threat).
    pub controls: Vec<String>,
    /// A short description in the project's own words (empty for the BSI
    /// threats, whose own descriptions are BSI's text).
    pub description: String,
}

impl LibraryThreat {
    /// What a register records in `threats[].source` for this threat:
    /// `BSI G 0.23`, `ISO/IEC 27005 example EX-01`.
    pub fn tag(&self) -> String {
        let from = self.source.trim_end_matches(" (own words)");
        format!("{from} {}", self.id)
    }

    /// Whether this threat comes from the BSI elementary threats.
    pub fn is_bsi(&self) -> bool {
        self.source == "BSI"
    }
}

/// The whole library, in file order (the BSI threats G 0.1–G 0.47 first).
#[derive(Debug)]
pub struct ThreatLibrary {
    threats: Vec<LibraryThreat>,
}

/// The comparable form of a source tag: case and spaces ignored, so a
/// hand-written `bsi g0.23` still finds `BSI G 0.23`.
fn tag_key(tag: &str) -> String {
    tag.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

impl ThreatLibrary {
    /// The embedded library, parsed once.
    pub fn get() -> &'static ThreatLibrary {
        static LIBRARY: OnceLock<ThreatLibrary> = OnceLock::new();
        LIBRARY.get_or_init(|| ThreatLibrary::parse(LIBRARY_CSV))
    }

    /// Parses the embedded data file. It is part of the binary and covered
    /// by tests (every row complete, every control id in the catalog), so a
    /// malformed row is a build defect, not user input.
    #[allow(clippy::expect_used, reason = "embedded data, checked by the tests")]
    fn parse(text: &str) -> ThreatLibrary {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let list = |s: &str| -> Vec<String> {
            s.split('|')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect()
        };
        let threats = reader
            .records()
            .map(|record| {
                let r = record.expect("the embedded threat library is valid CSV");
                let field = |i| r.get(i).unwrap_or("").trim().to_string();
                let letters = field(3);
                LibraryThreat {
                    id: field(0),
                    source: field(1),
                    name: field(2),
                    cia: Cia::ALL
                        .into_iter()
                        .filter(|c| letters.split('|').any(|l| l.starts_with(c.letter())))
                        .collect(),
                    controls: list(&field(4)),
                    description: field(5),
                }
            })
            .collect();
        ThreatLibrary { threats }
    }

    /// Every threat, BSI first (G 0.1 … G 0.47), then the examples.
    pub fn threats(&self) -> &[LibraryThreat] {
        &self.threats
    }

    /// The BSI elementary threats, G 0.1 … G 0.47.
    pub fn bsi(&self) -> impl Iterator<Item = &LibraryThreat> {
        self.threats.iter().filter(|t| t.is_bsi())
    }

    /// The threat with this library id (`G 0.23`, `EX-01`).
    pub fn by_id(&self, id: &str) -> Option<&LibraryThreat> {
        self.threats.iter().find(|t| t.id == id)
    }

    /// The threat a register's `threats[].source` names (`BSI G 0.23`),
    /// ignoring case and spaces; `None` for an empty or unknown source
    /// (a threat of the register's own).
    pub fn by_tag(&self, source: &str) -> Option<&LibraryThreat> {
        let key = tag_key(source);
        if key.is_empty() {
            return None;
        }
        self.threats.iter().find(|t| tag_key(&t.tag()) == key)
    }
}

/// Which library threats a new register starts with (`riskbench new
/// --threats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starter {
    /// The 47 BSI elementary threats: BSI's own complete checklist, meant
    /// to be gone through for every target, so a workshop can start from it.
    Bsi,
    /// The BSI threats and the ISO/IEC 27005-style examples.
    All,
    /// No threats.
    None,
}

impl ThreatLibrary {
    /// Adds the `starter` threats to `reg`, each as a threat with the next
    /// free `T-nn` id, the library name and its source tag; entries the
    /// register already has (by source) are skipped. Returns how many were
    /// added.
    pub fn add_starter(&self, reg: &mut Register, starter: Starter) -> usize {
        let entries: Vec<&LibraryThreat> = match starter {
            Starter::Bsi => self.bsi().collect(),
            Starter::All => self.threats.iter().collect(),
            Starter::None => Vec::new(),
        };
        let mut next = reg
            .threats
            .iter()
            .filter_map(|t| t.id.strip_prefix("T-")?.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        let mut added = 0;
        for e in entries {
            let present = reg
                .threats
                .iter()
                .any(|t| self.by_tag(&t.source).is_some_and(|known| known.id == e.id));
            if present {
                continue;
            }
            next += 1;
            reg.threats.push(Threat {
                id: format!("T-{next:02}").into(),
                name: e.name.clone(),
                shift: 0,
                source: e.tag(),
            });
            added += 1;
        }
        added
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Catalog;

    #[test]
    fn has_the_47_bsi_threats_in_order_and_valid_controls() {
        let lib = ThreatLibrary::get();
        let ids: Vec<&str> = lib.bsi().map(|t| t.id.as_str()).collect();
        let expected: Vec<String> = (1..=47).map(|n| format!("G 0.{n}")).collect();
        assert_eq!(ids, expected);
        for t in lib.threats() {
            assert!(!t.name.is_empty() && !t.cia.is_empty(), "{t:?}");
            assert!(
                (2..=6).contains(&t.controls.len()),
                "{}: {:?}",
                t.id,
                t.controls
            );
            for c in &t.controls {
                assert!(Catalog::annex_a().get(c).is_some(), "{}: {c}", t.id);
            }
        }
    }

    #[test]
    fn a_tag_finds_its_threat_again() {
        let lib = ThreatLibrary::get();
        for t in lib.threats() {
            assert_eq!(lib.by_tag(&t.tag()), Some(t));
        }
        assert_eq!(
            lib.by_tag("bsi g0.23").map(|t| t.name.as_str()),
            Some("Unauthorised Access to IT Systems")
        );
        assert_eq!(lib.by_tag(""), None);
        assert_eq!(lib.by_tag("BSI G 0.48"), None);
        assert_eq!(
            lib.by_id("EX-01").map(LibraryThreat::tag).as_deref(),
            Some("ISO/IEC 27005 example EX-01")
        );
    }
}
