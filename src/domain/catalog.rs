//! The ISO/IEC 27001:2022 Annex A catalog: 93 controls with their
//! ISO/IEC 27002:2022 attributes.
//!
//! The data ships as the project's own file `data/annex-a-2022.csv` (sources
//! in `data/SOURCES.md`) and is embedded in the binary, so every command works
//! without any file beside the executable.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::model::Id;

const ANNEX_A_CSV: &str = include_str!("../../data/annex-a-2022.csv");

/// ISO/IEC 27002 control type. A control can have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ControlType {
    /// Prevents incidents: lowers likelihood.
    pub preventive: bool,
    /// Detects incidents: lowers impact.
    pub detective: bool,
    /// Corrects after incidents: lowers impact.
    pub corrective: bool,
}

impl ControlType {
    /// Preventive controls lower likelihood (spec §2.3).
    pub(crate) fn acts_on_likelihood(self) -> bool {
        self.preventive
    }

    /// Detective and corrective controls lower impact (spec §2.3).
    pub(crate) fn acts_on_impact(self) -> bool {
        self.detective || self.corrective
    }

    /// The types set, as ISO/IEC 27002 names them (`Preventive`, …).
    pub fn names(self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.preventive {
            v.push("Preventive");
        }
        if self.detective {
            v.push("Detective");
        }
        if self.corrective {
            v.push("Corrective");
        }
        v
    }

    /// Short form for tables: "P", "PDC", "C", …
    pub fn short(self) -> String {
        let mut s = String::new();
        if self.preventive {
            s.push('P');
        }
        if self.detective {
            s.push('D');
        }
        if self.corrective {
            s.push('C');
        }
        s
    }
}

/// One Annex A control.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlInfo {
    /// The control's number (`8.13`).
    pub id: Id,
    /// Its theme: Organizational, People, Physical or Technological.
    pub theme: String,
    /// Its title (`Information backup`).
    pub title: String,
    /// Which of preventive, detective and corrective it is.
    pub control_type: ControlType,
    /// ISO/IEC 27002 information security properties (confidentiality, …).
    pub properties: Vec<String>,
    /// ISO/IEC 27002 cybersecurity concepts (identify, protect, …).
    pub concepts: Vec<String>,
    /// ISO/IEC 27002 operational capabilities.
    pub capabilities: Vec<String>,
    /// ISO/IEC 27002 security domains.
    pub domains: Vec<String>,
    /// New in the 2022 edition (no 2013 control maps to it).
    pub new_in_2022: bool,
}

/// The whole catalog with an id index.
#[derive(Debug)]
pub struct Catalog {
    controls: Vec<ControlInfo>,
    by_id: HashMap<String, usize>,
    /// For themes 5, 6, 7, 8: index of the first control and how many.
    themes: [(usize, usize); 4],
}

fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

impl Catalog {
    /// The embedded Annex A 2022 catalog, parsed once.
    pub fn annex_a() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::parse(ANNEX_A_CSV))
    }

    /// Parses the embedded data file. The file is part of the binary and
    /// covered by tests, so a malformed row is a build defect, not user input.
    #[allow(clippy::expect_used, reason = "embedded data, checked by the tests")]
    fn parse(csv_text: &str) -> Catalog {
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let mut controls = Vec::new();
        for record in reader.records() {
            let r = record.expect("embedded Annex A catalog is valid CSV");
            let types = r.get(3).unwrap_or("");
            controls.push(ControlInfo {
                id: r.get(0).unwrap_or("").into(),
                theme: r.get(1).unwrap_or("").to_string(),
                title: r.get(2).unwrap_or("").to_string(),
                control_type: ControlType {
                    preventive: types.contains("Preventive"),
                    detective: types.contains("Detective"),
                    corrective: types.contains("Corrective"),
                },
                properties: split_list(r.get(4).unwrap_or("")),
                concepts: split_list(r.get(5).unwrap_or("")),
                capabilities: split_list(r.get(6).unwrap_or("")),
                domains: split_list(r.get(7).unwrap_or("")),
                new_in_2022: r.get(8) == Some("true"),
            });
        }
        let by_id = controls
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.to_string(), i))
            .collect();
        let mut themes = [(0usize, 0usize); 4];
        for (i, c) in controls.iter().enumerate() {
            if let Some(t) =
                c.id.split('.')
                    .next()
                    .and_then(|t| t.parse::<usize>().ok())
                    .and_then(|t| t.checked_sub(5))
                    .filter(|&t| t < 4)
            {
                if themes[t].1 == 0 {
                    themes[t].0 = i;
                }
                themes[t].1 += 1;
            }
        }
        Catalog {
            controls,
            by_id,
            themes,
        }
    }

    /// Every control, in catalog order (5.1 … 8.34); a control's index here
    /// is how evaluation and the SoA refer to it.
    pub fn controls(&self) -> &[ControlInfo] {
        &self.controls
    }

    /// The number of controls (93).
    pub fn len(&self) -> usize {
        self.controls.len()
    }

    /// Whether the catalog has no control (never, for Annex A).
    pub fn is_empty(&self) -> bool {
        self.controls.is_empty()
    }

    /// Position of a control in catalog order (5.1 … 8.34).
    ///
    /// Evaluation asks this for every risk–control link, so the canonical
    /// form `T.N` is read as numbers (no hashing, no touching the map's
    /// keys); anything else goes through the map.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        if let [t @ b'5'..=b'8', b'.', rest @ ..] = id.as_bytes()
            && !rest.is_empty()
            && rest.len() <= 2
            && rest[0] != b'0'
            && rest.iter().all(u8::is_ascii_digit)
        {
            let n = rest
                .iter()
                .fold(0usize, |n, d| n * 10 + usize::from(d - b'0'));
            let (start, count) = self.themes[usize::from(t - b'5')];
            return (1..=count).contains(&n).then(|| start + n - 1);
        }
        self.by_id.get(id).copied()
    }

    /// The control with this exact id.
    pub fn get(&self, id: &str) -> Option<&ControlInfo> {
        self.index_of(id).map(|i| &self.controls[i])
    }

    /// Resolves a control reference in any common spelling — `8.13`,
    /// `A.8.13`, `A 8.13`, `Annex A 8.13`, `813` — to the catalog id.
    pub(crate) fn resolve(&self, reference: &str) -> Option<&ControlInfo> {
        let norm = normalize_reference(reference);
        if let Some(c) = self.get(&norm) {
            return Some(c);
        }
        // "813" → the unique control whose id without dots is 813.
        if !norm.is_empty() && norm.chars().all(|c| c.is_ascii_digit()) {
            let mut hits = self
                .controls
                .iter()
                .filter(|c| c.id.replace('.', "") == norm);
            let first = hits.next();
            if hits.next().is_none() {
                return first;
            }
        }
        None
    }

    /// The controls matching `query`, best first: an exact id (in any
    /// common spelling), then keyword hits, then title words, then fuzzy
    /// matches (see [`super::catalog_search`]). An empty query returns every
    /// control in catalog order.
    pub fn search(&self, query: &str) -> Vec<&ControlInfo> {
        super::catalog_search::search(self, query)
    }
}

/// Strips the prefixes people put before Annex A ids: `A.`, `A `, `Annex A`.
pub fn normalize_reference(reference: &str) -> String {
    let mut s = reference.trim();
    for prefix in ["annex a", "annex-a", "annex"] {
        // `get`: the cut may fall inside a multi-byte character
        // ("контроль"); then it is simply not this prefix.
        if s.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            s = s[prefix.len()..].trim_start();
            break;
        }
    }
    if let Some(rest) = s.strip_prefix(['A', 'a'])
        && rest.starts_with(['.', ' ', '-', ':'])
    {
        s = rest[1..].trim_start();
    }
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_93_controls_in_four_themes() {
        let c = Catalog::annex_a();
        assert_eq!(c.len(), 93);
        let count = |t: &str| c.controls().iter().filter(|x| x.theme == t).count();
        assert_eq!(count("Organizational"), 37);
        assert_eq!(count("People"), 8);
        assert_eq!(count("Physical"), 14);
        assert_eq!(count("Technological"), 34);
        let new: Vec<_> = c
            .controls()
            .iter()
            .filter(|x| x.new_in_2022)
            .map(|x| x.id.as_str())
            .collect();
        assert_eq!(
            new,
            [
                "5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23", "8.28"
            ]
        );
    }

    #[test]
    fn index_of_agrees_with_the_catalog_order() {
        let c = Catalog::annex_a();
        for (i, info) in c.controls().iter().enumerate() {
            assert_eq!(c.index_of(&info.id), Some(i), "{}", info.id);
        }
        for bad in [
            "5.0", "5.38", "6.9", "8.35", "9.1", "4.1", "5.01", "5.", "8.1x", "", "A.8.1",
        ] {
            assert_eq!(c.index_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn worked_example_types() {
        let c = Catalog::annex_a();
        let t = c.get("8.7").unwrap().control_type;
        assert!(t.preventive && t.detective && t.corrective);
        assert_eq!(c.get("8.13").unwrap().control_type.short(), "C");
        assert_eq!(c.get("5.30").unwrap().control_type.short(), "C");
    }

    #[test]
    fn resolves_common_spellings() {
        let c = Catalog::annex_a();
        for r in [
            "8.13",
            "A.8.13",
            "A 8.13",
            "Annex A 8.13",
            "annex a 8.13",
            "813",
        ] {
            assert_eq!(c.resolve(r).map(|x| x.id.as_str()), Some("8.13"), "{r}");
        }
        assert!(c.resolve("9.1").is_none());
        assert!(c.resolve("A.12.3.1").is_none());
    }

    #[test]
    fn search_finds_backup_first() {
        let c = Catalog::annex_a();
        for q in ["backup", "813", "A.8.13", "8.13"] {
            assert_eq!(c.search(q)[0].id, "8.13", "query {q}");
        }
        assert_eq!(c.search("").len(), 93);
        assert!(c.search("zzzzqqq").is_empty());
    }
}
