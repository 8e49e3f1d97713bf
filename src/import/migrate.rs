//! ISO/IEC 27001:2013 → 2022 migration of a register (`riskbench migrate`).
//!
//! The loader reads a 2013-era register into the same model (control ids
//! are only strings), so migration is a mapping over every place a control
//! id appears: risks' `controls`, acceptances' `accepted_controls`,
//! `controls[]`, `decisions`, factors' `requires` and baseline entries.
//! One-to-many translations add every target; several old entries landing
//! on one new control are merged conservatively (weakest status, lowest
//! effectiveness, applicable if any of them was).

use std::collections::HashMap;
use std::fmt::Write;

use chrono::NaiveDate;

use crate::domain::catalog::normalize_reference;
use crate::domain::validate::Section;
use crate::domain::{
    Applicable, BaselineEntry, ControlState, Decision, HistoryEntry, Id, Register,
};

use super::mapping::{ControlRef, OldControl, classify, looks_2013};

/// Where a control id was found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// A risk's `controls`.
    Risk(String),
    /// A risk's `acceptance.accepted_controls`.
    Acceptance(String),
    /// A `controls[]` entry (its id as written).
    Control(String),
    /// A decision (its control as written).
    Decision(String),
    /// A factor's `requires`.
    Factor(String),
    /// A baseline entry (its control as written).
    Baseline(String),
}

impl Place {
    /// Whether an own control's id may stand here (REGISTER.md §5): it is
    /// the register's own, not a 2013 or 2022 Annex A id, and is kept as
    /// it is.
    fn takes_own(&self) -> bool {
        matches!(
            self,
            Place::Risk(_) | Place::Acceptance(_) | Place::Control(_)
        )
    }

    /// Where, for the report (ids escaped: the report goes to a terminal).
    pub fn describe(&self) -> String {
        let id = |id: &str| crate::escape::for_terminal(id).into_owned();
        match self {
            Place::Risk(r) => format!("risk {}", id(r)),
            Place::Acceptance(r) => format!("acceptance of {}", id(r)),
            Place::Control(_) => "controls[]".into(),
            Place::Decision(_) => "decisions".into(),
            Place::Factor(f) => format!("factor {}", id(f)),
            Place::Baseline(_) => "baseline".into(),
        }
    }

    /// The section and entity a source map can locate.
    pub(crate) fn section_at(&self) -> (Section, &str) {
        match self {
            Place::Risk(id) | Place::Acceptance(id) => (Section::Risks, id),
            Place::Control(id) => (Section::Controls, id),
            Place::Decision(c) => (Section::Decisions, c),
            Place::Factor(id) => (Section::Factors, id),
            Place::Baseline(c) => (Section::Baseline, c),
        }
    }
}

/// One 2013 control found in the register and where.
#[derive(Debug, Clone)]
pub struct Translation {
    pub old: &'static OldControl,
    pub places: Vec<Place>,
}

/// An id that is neither a 2013 nor a 2022 control (left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub id: String,
    pub place: Place,
}

#[derive(Debug, Clone, Default)]
pub struct MigrateReport {
    /// Id occurrences shaped like 2013 ids (`A.12.3.1`), and all of them.
    pub old_like: usize,
    pub total: usize,
    /// In order of first appearance.
    pub translations: Vec<Translation>,
    /// Ids that are already 2022 ids, kept as they are, with where.
    pub kept: Vec<(String, Vec<Place>)>,
    /// How entries that landed on one 2022 control were combined.
    pub merges: Vec<String>,
    pub unknown: Vec<Unknown>,
}

impl MigrateReport {
    /// The report as text; `locate` turns an unknown id's place into
    /// `LINE:COL` (the CLI passes the old file's source map).
    pub fn render(
        &self,
        source: &str,
        locate: &dyn Fn(&Unknown) -> Option<(usize, usize)>,
    ) -> String {
        let source = &*crate::escape::for_terminal(source);
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{source}: {} of {} control references are ISO/IEC 27001:2013 ids",
            self.old_like, self.total
        );
        let places = |ps: &[Place]| {
            ps.iter()
                .map(Place::describe)
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.translations.is_empty() {
            o.push_str("translations (2013 → 2022):\n");
            for t in &self.translations {
                let _ = writeln!(
                    o,
                    "  A.{} {} → {}  [{}]",
                    t.old.id,
                    t.old.title,
                    t.old.targets.join(" + "),
                    places(&t.places)
                );
            }
        }
        if !self.kept.is_empty() {
            o.push_str("kept (already ISO/IEC 27001:2022 ids):\n");
            for (id, ps) in &self.kept {
                let _ = writeln!(o, "  {}  [{}]", crate::escape::for_terminal(id), places(ps));
            }
        }
        if !self.merges.is_empty() {
            o.push_str("merged:\n");
            for m in &self.merges {
                let _ = writeln!(o, "  - {m}");
            }
        }
        if !self.unknown.is_empty() {
            o.push_str("not ISO/IEC 27001:2013 controls:\n");
            for u in &self.unknown {
                let pos = locate(u)
                    .map(|(l, c)| format!("{source}:{l}:{c}"))
                    .unwrap_or_else(|| source.to_string());
                let _ = writeln!(
                    o,
                    "  {pos}: {:?} in {} is neither an ISO/IEC 27001:2013 nor a 2022 Annex A control",
                    u.id,
                    u.place.describe()
                );
            }
        }
        let targets: usize = {
            let mut t: Vec<&str> = self
                .translations
                .iter()
                .flat_map(|t| t.old.targets.iter().map(String::as_str))
                .collect();
            t.sort_unstable();
            t.dedup();
            t.len()
        };
        let _ = writeln!(
            o,
            "{} 2013 controls translated into {} 2022 controls, {} ids kept, {} not recognised",
            self.translations.len(),
            targets,
            self.kept.len(),
            self.unknown.len()
        );
        o
    }
}

/// Every Annex A control reference in the register with where it is (own
/// controls' ids where they may stand are not references to translate).
fn all_ids(reg: &Register) -> Vec<(String, Place)> {
    let mut out = every_id(reg);
    out.retain(|(id, place)| !(place.takes_own() && is_own(reg, id)));
    out
}

fn is_own(reg: &Register, id: &str) -> bool {
    reg.own_controls.iter().any(|c| c.id == id)
}

/// Every control id in the register with where it is.
fn every_id(reg: &Register) -> Vec<(String, Place)> {
    let mut out = Vec::new();
    for r in &reg.risks {
        for c in &r.controls {
            out.push((c.to_string(), Place::Risk(r.id.to_string())));
        }
        if let Some(list) = r
            .acceptance
            .as_ref()
            .and_then(|a| a.accepted_controls.as_ref())
        {
            for c in list {
                out.push((c.to_string(), Place::Acceptance(r.id.to_string())));
            }
        }
    }
    for c in &reg.controls {
        out.push((c.id.to_string(), Place::Control(c.id.to_string())));
    }
    for d in &reg.decisions {
        out.push((
            d.control.to_string(),
            Place::Decision(d.control.to_string()),
        ));
    }
    for f in &reg.factors {
        for c in &f.requires {
            out.push((c.to_string(), Place::Factor(f.id.to_string())));
        }
    }
    for b in &reg.baselines {
        for e in &b.entries {
            out.push((
                e.control.to_string(),
                Place::Baseline(e.control.to_string()),
            ));
        }
    }
    out
}

/// (ids shaped like 2013 ids, all ids).
pub(crate) fn detect(reg: &Register) -> (usize, usize) {
    let ids = all_ids(reg);
    let old = ids.iter().filter(|(id, _)| looks_2013(id)).count();
    (old, ids.len())
}

/// Whether most control references look like 2013 ids.
pub(crate) fn looks_like_2013(reg: &Register) -> bool {
    let (old, total) = detect(reg);
    total > 0 && old * 2 > total
}

/// A migrated register and what was done. Unknown ids are left out of the
/// register; the caller decides whether that is acceptable.
#[derive(Debug, Clone)]
pub struct Migration {
    pub register: Register,
    pub report: MigrateReport,
}

struct Ctx {
    /// The register's own control ids.
    own: Vec<String>,
    report: MigrateReport,
    translation_at: HashMap<String, usize>,
    kept_at: HashMap<String, usize>,
}

impl Ctx {
    /// The 2022 ids an id becomes (empty for an unknown id), recording it.
    fn map(&mut self, id: &str, place: &Place) -> Vec<String> {
        if place.takes_own() && self.own.iter().any(|o| o == id) {
            return vec![id.to_string()];
        }
        match classify(id) {
            ControlRef::Old(old) => {
                let i = *self
                    .translation_at
                    .entry(old.id.clone())
                    .or_insert_with(|| {
                        self.report.translations.push(Translation {
                            old,
                            places: Vec::new(),
                        });
                        self.report.translations.len() - 1
                    });
                let places = &mut self.report.translations[i].places;
                if !places.contains(place) {
                    places.push(place.clone());
                }
                old.targets.clone()
            }
            ControlRef::Current(new) => {
                let i = *self.kept_at.entry(new.clone()).or_insert_with(|| {
                    self.report.kept.push((new.clone(), Vec::new()));
                    self.report.kept.len() - 1
                });
                let places = &mut self.report.kept[i].1;
                if !places.contains(place) {
                    places.push(place.clone());
                }
                vec![new]
            }
            ControlRef::Unknown => {
                self.report.unknown.push(Unknown {
                    id: id.to_string(),
                    place: place.clone(),
                });
                Vec::new()
            }
        }
    }

    /// A translated id list, each 2022 id once, in order.
    fn list(&mut self, ids: &[Id], place: &Place) -> Vec<Id> {
        let mut out: Vec<Id> = Vec::new();
        let mut sources: HashMap<Id, Vec<String>> = HashMap::new();
        for id in ids {
            for t in self.map(id, place).into_iter().map(Id::from) {
                let from = sources.entry(t.clone()).or_default();
                from.push(normalize_reference(id));
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        for t in &out {
            let from = &sources[t];
            if from.len() > 1 {
                self.report.merges.push(format!(
                    "{}: {} all become {t}, linked once",
                    place.describe(),
                    from.join(", ")
                ));
            }
        }
        out
    }
}

/// Groups translated entries by their 2022 id, in order of first
/// appearance.
fn group<T: Clone>(
    ctx: &mut Ctx,
    items: &[T],
    id_of: impl Fn(&T) -> &str,
    place_of: impl Fn(&T) -> Place,
) -> Vec<(String, Vec<(String, T)>)> {
    let mut groups: Vec<(String, Vec<(String, T)>)> = Vec::new();
    for item in items {
        let id = id_of(item).to_string();
        for target in ctx.map(&id, &place_of(item)) {
            let from = normalize_reference(&id);
            match groups.iter_mut().find(|(t, _)| *t == target) {
                Some((_, members)) => members.push((from, item.clone())),
                None => groups.push((target, vec![(from, item.clone())])),
            }
        }
    }
    groups
}

fn join_distinct<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for p in parts {
        if !p.trim().is_empty() && !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen.join("; ")
}

/// Translates every control id of `reg` from 2013 to 2022 numbering.
pub fn migrate(reg: &Register, today: NaiveDate) -> Migration {
    let (old_like, total) = detect(reg);
    let mut ctx = Ctx {
        own: reg.own_controls.iter().map(|c| c.id.to_string()).collect(),
        report: MigrateReport {
            old_like,
            total,
            ..MigrateReport::default()
        },
        translation_at: HashMap::new(),
        kept_at: HashMap::new(),
    };
    let mut out = reg.clone();

    for r in &mut out.risks {
        let place = Place::Risk(r.id.to_string());
        r.controls = ctx.list(&r.controls, &place);
        if let Some(list) = r
            .acceptance
            .as_mut()
            .and_then(|a| a.accepted_controls.as_mut())
        {
            *list = ctx.list(list, &Place::Acceptance(r.id.to_string()));
        }
    }

    out.controls = group(
        &mut ctx,
        &reg.controls,
        |c| &c.id,
        |c| Place::Control(c.id.to_string()),
    )
    .into_iter()
    .map(|(target, members)| {
        let status = members.iter().map(|(_, c)| c.status).min().unwrap_or_default();
        let effectiveness = members
            .iter()
            .map(|(_, c)| c.effectiveness)
            .min()
            .unwrap_or_default();
        let owners = join_distinct(members.iter().map(|(_, c)| c.owner.as_str()));
        let owner = members
            .iter()
            .map(|(_, c)| c.owner.clone())
            .find(|o| !o.is_empty())
            .unwrap_or_default();
        if members.len() > 1 {
            let from: Vec<String> = members
                .iter()
                .map(|(id, c)| format!("{id} ({}, {})", c.status.as_str(), c.effectiveness))
                .collect();
            let mut m = format!(
                "controls[] {target} ← {}: the weakest status {} and the lowest effectiveness {effectiveness}",
                from.join(", "),
                status.as_str()
            );
            if owners.contains("; ") {
                let _ = write!(m, "; owner {owner:?} kept (owners were {owners})");
            }
            ctx.report.merges.push(m);
        }
        ControlState {
            id: target.into(),
            status,
            effectiveness,
            owner,
            note: join_distinct(members.iter().map(|(_, c)| c.note.as_str())),
            // Evidence of every merged entry still shows the control works.
            evidence: members
                .iter()
                .flat_map(|(_, c)| c.evidence.iter().cloned())
                .collect(),
        }
    })
    .collect();

    out.decisions = group(
        &mut ctx,
        &reg.decisions,
        |d| &d.control,
        |d| Place::Decision(d.control.to_string()),
    )
    .into_iter()
    .map(|(target, members)| {
        let applicable = members.iter().any(|(_, d)| d.applicable);
        let reason = join_distinct(
            members
                .iter()
                .filter(|(_, d)| d.applicable == applicable)
                .map(|(_, d)| d.reason.as_str()),
        );
        if members.len() > 1 {
            let from: Vec<String> = members
                .iter()
                .map(|(id, d)| {
                    format!(
                        "{id} ({})",
                        if d.applicable { "applicable" } else { "excluded" }
                    )
                })
                .collect();
            let mixed = members.iter().any(|(_, d)| d.applicable != applicable);
            ctx.report.merges.push(format!(
                "decision {target} ← {}: {}",
                from.join(", "),
                if mixed {
                    "they disagree; kept applicable (an exclusion must hold for the whole 2022 control), with the applicable reasons"
                } else if applicable {
                    "applicable, reasons joined"
                } else {
                    "excluded, reasons joined"
                }
            ));
        }
        Decision {
            control: target.into(),
            applicable,
            reason,
        }
    })
    .collect();

    for f in &mut out.factors {
        f.requires = ctx.list(&f.requires, &Place::Factor(f.id.to_string()));
    }

    for b in &mut out.baselines {
        let entries = b.entries.clone();
        b.entries = group(
            &mut ctx,
            &entries,
            |e| &e.control,
            |e| Place::Baseline(e.control.to_string()),
        )
        .into_iter()
        .map(|(target, members)| {
            let rank = |a: Applicable| match a {
                Applicable::Yes => 2,
                Applicable::Undecided => 1,
                Applicable::No => 0,
            };
            let applicable = members
                .iter()
                .map(|(_, e)| e.applicable)
                .max_by_key(|a| rank(*a))
                .unwrap_or(Applicable::Undecided);
            let status = members.iter().map(|(_, e)| e.status).min().unwrap_or_default();
            if members.len() > 1 {
                let from: Vec<String> = members
                    .iter()
                    .map(|(id, e)| {
                        format!("{id} ({}, {})", e.applicable.as_str(), e.status.as_str())
                    })
                    .collect();
                ctx.report.merges.push(format!(
                    "baseline {target} ← {}: applicable {} (Yes over Undecided over No), the weakest status {}",
                    from.join(", "),
                    applicable.as_str(),
                    status.as_str()
                ));
            }
            BaselineEntry {
                control: target.into(),
                applicable,
                status,
            }
        })
        .collect();
    }

    let translated = ctx.report.translations.len();
    out.history.push(HistoryEntry {
        on: today,
        by: "riskbench migrate".into(),
        summary: format!(
            "Control ids migrated from ISO/IEC 27001:2013 to 2022 ({translated} 2013 controls translated)"
        ),
    });
    Migration {
        register: out,
        report: ctx.report,
    }
}
