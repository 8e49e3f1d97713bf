//! A fuzzy picker: a query line over a list of choices, best match first.
//! Used to link controls, assets, threats and factors, and (with actions as
//! choices) as the command palette.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::action::Action;

/// One choice: the value it stands for and the text shown and matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// Extra text shown dimmed (e.g. bound keys in the palette).
    pub hint: String,
}

/// What happens with the chosen value.
#[derive(Debug, Clone, PartialEq)]
pub enum PickerPurpose {
    /// Link the chosen control to the risk with this index.
    LinkControl { risk: usize },
    /// Put the chosen value into the focused field of the open form.
    FormField { field: usize },
    /// Run the chosen action (the command palette).
    Palette(Vec<Action>),
    /// What to do about a file that changed on disk (`summary`: what
    /// differs on disk, for the overwrite confirmation).
    ExternalChange {
        path: std::path::PathBuf,
        summary: Vec<String>,
    },
    /// Set the Risks table's owner review filter (see
    /// [`super::review::owner_choice`] for the values).
    ReviewOwner,
    /// Open the evidence form of the control in this row of the Controls
    /// view for the chosen item (see [`super::evidence`] for the values).
    Evidence { row: usize },
    /// The bulk-edit menu of the rows `super::bulk::Marked` says.
    Bulk(super::bulk::Marked),
    /// Add the chosen library threat to the register (the values are
    /// library ids, see [`super::threat_library`]).
    ThreatLibrary,
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub title: String,
    pub query: String,
    pub choices: Vec<Choice>,
    /// Indices into `choices`, best first, with matched char positions in
    /// the label.
    pub matches: Vec<(usize, Vec<usize>)>,
    pub selected: usize,
    pub purpose: PickerPurpose,
    /// The choices are controls: rank them with the Annex A matcher
    /// ([`crate::domain::catalog_search`]), as `riskbench catalog` does,
    /// so "mfa" finds 8.5 here too.
    pub controls: bool,
    /// Indices into `choices` listed first, in this order, while nothing is
    /// typed (the suggested controls of a risk's library threat); a query
    /// ranks every choice as it would without them.
    pub suggested: Vec<usize>,
}

impl Picker {
    pub fn new(title: &str, choices: Vec<Choice>, purpose: PickerPurpose) -> Picker {
        let mut p = Picker {
            title: title.to_string(),
            query: String::new(),
            choices,
            matches: Vec::new(),
            selected: 0,
            purpose,
            controls: false,
            suggested: Vec::new(),
        };
        p.refilter();
        p
    }

    /// A picker over controls (Annex A and own), ranked by the Annex A
    /// matcher: exact id, keywords, title words, then fuzzy.
    pub fn for_controls(title: &str, choices: Vec<Choice>, purpose: PickerPurpose) -> Picker {
        let mut p = Picker::new(title, choices, purpose);
        p.controls = true;
        p.refilter();
        p
    }

    /// Lists the choices with these values first while the query is empty
    /// (in this order; values not among the choices are skipped), each
    /// with `marker` at the start of its hint, so it stays recognisable
    /// when a query ranks it elsewhere.
    pub fn suggest(&mut self, values: &[String], marker: &str) {
        self.suggested.clear();
        for v in values {
            if let Some(i) = self.choices.iter().position(|c| &c.value == v)
                && !self.suggested.contains(&i)
            {
                self.suggested.push(i);
                let hint = &mut self.choices[i].hint;
                *hint = if hint.is_empty() {
                    marker.to_string()
                } else {
                    format!("{marker} · {hint}")
                };
            }
        }
        self.refilter();
    }

    /// Re-matches the query; an exact value match (a control id typed in
    /// full) always comes first. The command palette ranks by words
    /// instead (see [`super::palette`]).
    pub fn refilter(&mut self) {
        let q = self.query.trim();
        self.selected = 0;
        if let PickerPurpose::Palette(actions) = &self.purpose {
            let labels: Vec<&str> = self.choices.iter().map(|c| c.label.as_str()).collect();
            self.matches = super::palette::rank(q, actions, &labels);
            return;
        }
        if q.is_empty() {
            let rest = (0..self.choices.len()).filter(|i| !self.suggested.contains(i));
            self.matches = self
                .suggested
                .iter()
                .copied()
                .chain(rest)
                .map(|i| (i, Vec::new()))
                .collect();
            return;
        }
        if self.controls {
            self.matches = rank_controls(q, &self.choices);
            return;
        }
        let norm = crate::domain::catalog::normalize_reference(q);
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut scored: Vec<(i64, usize, Vec<usize>)> = self
            .choices
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let (mut score, idx) = matcher.fuzzy_indices(&c.label, q).or_else(|| {
                    (norm != q)
                        .then(|| matcher.fuzzy_indices(&c.label, &norm))
                        .flatten()
                })?;
                if c.value.eq_ignore_ascii_case(q) || c.value == norm {
                    score = i64::MAX;
                }
                Some((score, i, idx))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.matches = scored.into_iter().map(|(_, i, idx)| (i, idx)).collect();
    }

    pub fn type_char(&mut self, c: char) {
        self.query.push(c);
        self.refilter();
    }

    pub fn backspace(&mut self) {
        self.query.pop();
        self.refilter();
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.matches.is_empty() {
            return;
        }
        let n = self.matches.len() as isize;
        self.selected = (self.selected as isize + delta).rem_euclid(n) as usize;
    }

    pub fn chosen(&self) -> Option<&Choice> {
        let (i, _) = self.matches.get(self.selected)?;
        self.choices.get(*i)
    }
}

/// Control choices ranked by the Annex A matcher, best first (ties in list
/// order). A choice's title is its label after the id; an own control has
/// no keywords, so it is found by id, title words or fuzzily. Matched
/// characters are highlighted where the label also matches fuzzily.
fn rank_controls(q: &str, choices: &[Choice]) -> Vec<(usize, Vec<usize>)> {
    use crate::domain::catalog_search::{Candidate, Query, candidate};
    let query = Query::new(q);
    let annex_a = crate::domain::Catalog::annex_a();
    let fuzzy = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<_> = choices
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let cand = annex_a.get(&c.value).map(candidate).unwrap_or(Candidate {
                id: &c.value,
                title: c
                    .label
                    .strip_prefix(c.value.as_str())
                    .unwrap_or(&c.label)
                    .trim(),
                keywords: &[],
                attributes: &[],
            });
            Some((query.rank(cand)?, i))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .map(|(_, i)| {
            let idx = fuzzy
                .fuzzy_indices(&choices[i].label, q)
                .map(|(_, idx)| idx)
                .unwrap_or_default();
            (i, idx)
        })
        .collect()
}
