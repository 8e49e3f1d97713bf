//! The Changes view: what changed in the SoA since the approved baseline,
//! and in risks and scope since the register was loaded (or, in a what-if
//! sandbox, since the sandbox began), each line explainable.

use crate::domain::diff::{
    RiskChange, ScopeChange, Snapshot, SoaChange, baseline_changes, diff, explain_control,
    explain_risk,
};
use crate::domain::fields::{EntityChange, EntityChangeKind};
use crate::domain::merge::describe;
use crate::domain::{Analysis, Catalog, Register};

/// One line of the Changes view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeRow {
    /// The "scope changed: tell the certification body" notice.
    ScopeNotice,
    /// A control excluded by a decision that risks or factors now need
    /// (catalog index): the SoA cannot be approved until it is resolved.
    Conflict(usize),
    /// A change in applicability or status (index into `soa`).
    Soa(usize),
    /// A justification-only change (index into `soa`).
    Justification(usize),
    /// Index into `risks`.
    Risk(usize),
    /// Index into `scope`.
    Scope(usize),
    /// Any other change the register says (index into `entities`).
    Entity(usize),
    /// An unresolved merge conflict (index into `merge_conflicts`): shown
    /// before everything else, since the register means OURS there until
    /// someone decides.
    MergeConflict(usize),
}

/// What the Changes view compares against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Against {
    /// SoA against the approved baseline; risks and scope against the
    /// register as loaded.
    #[default]
    Loaded,
    /// Everything against the state when the what-if sandbox began.
    Sandbox,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub against: Against,
    pub soa: Vec<SoaChange>,
    pub risks: Vec<RiskChange>,
    pub scope: Vec<ScopeChange>,
    /// Everything else, as `riskbench diff` lists it: the register's name
    /// and scope, the method, factors, assets, threats, control states,
    /// decisions, baseline and history, then risks out of scope on both
    /// sides.
    pub entities: Vec<EntityChange>,
    pub rows: Vec<ChangeRow>,
    /// The register's unresolved merge conflicts (`riskbench merge`).
    pub merge_conflicts: Vec<crate::domain::Conflict>,
}

impl Changes {
    /// Compares the current register with `base_reg` (and `base`, its
    /// snapshot) through the comparison `riskbench diff` makes, so the view
    /// cannot disagree with it; only the SoA's applicability and status are
    /// shown against the approved baseline instead, outside a sandbox.
    pub fn build(
        reg: &Register,
        an: &Analysis,
        base_reg: &Register,
        base: &Snapshot,
        against: Against,
    ) -> Changes {
        let now = Snapshot::new(reg, an);
        let d = diff(base_reg, base, reg, &now);
        let mut soa = match against {
            Against::Sandbox => d.soa,
            Against::Loaded => {
                // Applicability and status against the approved SoA;
                // justification-only changes against the file as loaded (a
                // baseline stores no justifications).
                let mut v = baseline_changes(reg, an);
                let listed: Vec<usize> = v.iter().map(|c| c.control).collect();
                v.extend(
                    d.soa
                        .into_iter()
                        .filter(|c| c.justification_only() && !listed.contains(&c.control)),
                );
                v
            }
        };
        soa.sort_by_key(|c| (c.justification_only(), c.control));
        let (risks, scope) = (d.risks, d.scope);
        let mut entities = d.entities;
        entities.extend(d.unscoped);
        let mut rows: Vec<ChangeRow> = (0..reg.conflicts.len())
            .map(ChangeRow::MergeConflict)
            .collect();
        if !scope.is_empty() {
            rows.push(ChangeRow::ScopeNotice);
        }
        rows.extend(
            an.soa
                .entries
                .iter()
                .filter(|e| e.conflict)
                .map(|e| ChangeRow::Conflict(e.control)),
        );
        for (i, c) in soa.iter().enumerate() {
            rows.push(if c.justification_only() {
                ChangeRow::Justification(i)
            } else {
                ChangeRow::Soa(i)
            });
        }
        rows.extend((0..risks.len()).map(ChangeRow::Risk));
        rows.extend((0..scope.len()).map(ChangeRow::Scope));
        rows.extend((0..entities.len()).map(ChangeRow::Entity));
        Changes {
            against,
            soa,
            risks,
            scope,
            entities,
            rows,
            merge_conflicts: reg.conflicts.clone(),
        }
    }

    /// SoA changes in applicability or status.
    pub fn pending_soa(&self) -> usize {
        self.soa.iter().filter(|c| !c.justification_only()).count()
    }

    /// The three cells of a row: kind, item, what changed.
    pub fn cells(&self, row: &ChangeRow) -> [String; 3] {
        let catalog = Catalog::annex_a();
        match row {
            ChangeRow::ScopeNotice => [
                "Scope".into(),
                "scope changed".into(),
                format!(
                    "{} changed scope: tell the certification body",
                    plural(self.scope.len(), "item", "items")
                ),
            ],
            ChangeRow::Conflict(c) => {
                let title = catalog
                    .controls()
                    .get(*c)
                    .map_or(("", ""), |x| (x.id.as_str(), x.title.as_str()));
                [
                    "Conflict".into(),
                    format!("{} {}", title.0, title.1),
                    "excluded by a decision but now needed: revise the decision".into(),
                ]
            }
            ChangeRow::Soa(i) | ChangeRow::Justification(i) => {
                let Some(c) = self.soa.get(*i) else {
                    return Default::default();
                };
                let title = catalog
                    .controls()
                    .get(c.control)
                    .map_or("", |x| x.title.as_str());
                let what = if let ChangeRow::Justification(_) = row {
                    let (b, a) = c.justification.clone().unwrap_or_default();
                    format!("justification {b:?} → {a:?}")
                } else {
                    c.describe()
                };
                let kind = if let ChangeRow::Justification(_) = row {
                    "SoA why"
                } else {
                    "SoA"
                };
                [kind.into(), format!("{} {title}", c.id), what]
            }
            ChangeRow::Risk(i) => {
                let Some(r) = self.risks.get(*i) else {
                    return Default::default();
                };
                let (title, what) = (r.title(), r.describe());
                ["Risk".into(), format!("{} {title}", r.id), what]
            }
            ChangeRow::Scope(i) => {
                let Some(s) = self.scope.get(*i) else {
                    return Default::default();
                };
                ["Scope".into(), format!("{} {}", s.id, s.name), s.describe()]
            }
            ChangeRow::Entity(i) => {
                let Some(e) = self.entities.get(*i) else {
                    return Default::default();
                };
                let kind = match e.entity {
                    "register" => "Register",
                    "method" => "Method",
                    "factor" => "Factor",
                    "asset" => "Asset",
                    "threat" => "Threat",
                    "risk" => "Risk",
                    "control" => "Control",
                    "decision" => "Decision",
                    "baseline" => "Baseline",
                    "own_control" => "Own control",
                    "action" => "Action",
                    "plan_approval" => "Plan approval",
                    "conflict" => "Conflict",
                    "history" => "History",
                    other => other,
                };
                let item = match (e.id.is_empty(), e.label()) {
                    (true, _) => e.entity.to_string(),
                    (false, l) if l.is_empty() => e.id.clone(),
                    (false, l) => format!("{} {l}", e.id),
                };
                let what = match e.kind {
                    EntityChangeKind::Changed => e
                        .fields
                        .iter()
                        .map(|f| format!("{}: {} → {}", f.field, f.before, f.after))
                        .collect::<Vec<_>>()
                        .join("; "),
                    kind => kind.as_str().to_string(),
                };
                [kind.into(), item, what]
            }
            ChangeRow::MergeConflict(i) => {
                let Some(c) = self.merge_conflicts.get(*i) else {
                    return Default::default();
                };
                [
                    "Merge".into(),
                    format!("{} {}", c.entity, c.id),
                    format!("conflict: {}", describe(c)),
                ]
            }
        }
    }

    /// Why a row changed, as lines for a popup.
    pub fn explain(
        &self,
        row: &ChangeRow,
        base: &Register,
        reg: &Register,
        an: &Analysis,
    ) -> (String, Vec<String>) {
        let cells = self.cells(row);
        let mut lines = vec![cells[2].clone(), String::new()];
        match row {
            ChangeRow::ScopeNotice => {
                lines.push(
                    "ISO/IEC 27001 certification covers a defined scope: assets or risks that came into or went out of scope through the environment must be reported to the certification body."
                        .into(),
                );
                for s in &self.scope {
                    lines.push(format!(
                        "{} {}: {}",
                        s.id,
                        s.name,
                        if s.into_scope { "in" } else { "out" }
                    ));
                }
            }
            ChangeRow::Conflict(c) => {
                if let Some(e) = an.soa.entries.get(*c) {
                    if !e.risks.is_empty() {
                        let ids: Vec<&str> = e
                            .risks
                            .iter()
                            .take(12)
                            .map(|&r| reg.risks[r].id.as_str())
                            .collect();
                        lines.push(format!("needed by in-scope risks {}", ids.join(", ")));
                    }
                    for &f in &e.factors {
                        if let Some(f) = reg.factors.get(f) {
                            lines.push(format!(
                                "required by factor {} ({}), which is on",
                                f.id, f.label
                            ));
                        }
                    }
                    lines.push(format!(
                        "excluded by the decision: {:?}",
                        e.justification(reg)
                    ));
                    lines.push(
                        "Include the control, or switch the factor off / unlink the risks.".into(),
                    );
                }
            }
            ChangeRow::Soa(i) | ChangeRow::Justification(i) => {
                if let Some(c) = self.soa.get(*i) {
                    lines.extend(explain_control(Some(base), reg, an, c.control));
                }
            }
            ChangeRow::Risk(i) => {
                if let Some(r) = self.risks.get(*i) {
                    lines.extend(
                        r.fields
                            .iter()
                            .map(|f| format!("{}: {} → {}", f.field, f.before, f.after)),
                    );
                    lines.extend(explain_risk(base, reg, &r.id));
                }
            }
            ChangeRow::Entity(i) => {
                if let Some(e) = self.entities.get(*i) {
                    lines.extend(e.lines());
                    if e.entity == "risk" {
                        lines.push(
                            "The risk is out of scope on both sides: its edits change no score."
                                .into(),
                        );
                    }
                }
            }
            ChangeRow::MergeConflict(i) => {
                if let Some(c) = self.merge_conflicts.get(*i) {
                    lines.push(format!("base:   {}", c.base));
                    lines.push(format!("ours:   {}", c.ours));
                    lines.push(format!("theirs: {}", c.theirs));
                    lines.push(
                        "The register holds ours. Press C for the Conflicts list: o keeps ours, t takes theirs, e edits."
                            .into(),
                    );
                }
            }
            ChangeRow::Scope(i) => {
                if let Some(s) = self.scope.get(*i) {
                    lines.push(match &s.factor {
                        Some(f) => format!(
                            "it is in scope only while factor {f} is on, and {f} is now {}",
                            if s.into_scope { "on" } else { "off" }
                        ),
                        None => "its scope factor was removed".into(),
                    });
                }
            }
        }
        (format!("Why: {}", cells[1]), lines)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
