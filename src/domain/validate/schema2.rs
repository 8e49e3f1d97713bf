//! The errors schema 2 added (REGISTER.md §5) that concern the register's
//! own structure: actions, own controls, criteria, evidence, baselines and
//! merge conflicts. They apply whatever the file's `schema` line says.

use super::{Collector, Section, duplicates, unknown_control};
use crate::domain::model::{Register, Risk};
use crate::domain::schema2::looks_like_annex_a;

/// Whether `id` names one of the register's own controls (which may be
/// linked wherever an Annex A control may, except in the SoA's own lists).
pub(super) fn is_own(reg: &Register, id: &str) -> bool {
    reg.own_controls.iter().any(|c| c.id == id)
}

/// A risk's own schema-2 errors: a `cia` value twice.
pub(super) fn check_risk(r: &Risk, out: &mut Collector) {
    let mut seen = Vec::new();
    for c in &r.cia {
        if seen.contains(c) {
            out.error(
                "duplicate-id",
                Section::Risks,
                &r.id,
                format!("cia lists {} more than once", c.as_str()),
            );
            return;
        }
        seen.push(*c);
    }
}

/// Every register-wide schema-2 error.
pub(super) fn check(reg: &Register, out: &mut Collector) {
    let m = &reg.method;
    for (name, labels, criteria) in [
        ("likelihood", &m.likelihood, &m.likelihood_criteria),
        ("impact", &m.impact, &m.impact_criteria),
    ] {
        if !criteria.is_empty() && criteria.len() != labels.len() {
            out.error(
                "criteria",
                Section::Method,
                "method",
                format!(
                    "{name}_criteria has {} entries for {} labels: give one per label, or none",
                    criteria.len(),
                    labels.len()
                ),
            );
        }
    }
    if m.evidence_days == Some(0) {
        out.error(
            "evidence-days",
            Section::Method,
            "method",
            "evidence_days must be at least 1 (or None: evidence never goes stale)".into(),
        );
    }

    duplicates(
        out,
        Section::OwnControls,
        "own control",
        reg.own_controls.iter().map(|c| c.id.as_str()),
    );
    for c in &reg.own_controls {
        if looks_like_annex_a(&c.id) {
            out.error(
                "own-control-id",
                Section::OwnControls,
                &c.id,
                format!(
                    "own control id {:?} has the form of an Annex A id; choose another (e.g. ORG-1)",
                    c.id
                ),
            );
        }
        if c.types.is_empty() {
            out.error(
                "own-control-types",
                Section::OwnControls,
                &c.id,
                "an own control needs at least one type (Preventive, Detective, Corrective)".into(),
            );
        }
        for id in &c.maps_to {
            // maps_to names Annex A controls only: an own id here is unknown.
            unknown_control(out, Section::OwnControls, &c.id, id, "maps_to");
        }
    }

    for c in &reg.controls {
        for e in &c.evidence {
            if e.what.trim().is_empty() {
                out.error(
                    "empty-text",
                    Section::Controls,
                    &c.id,
                    "an evidence item needs a `what`".into(),
                );
            }
        }
    }

    duplicates(
        out,
        Section::Actions,
        "action",
        reg.actions.iter().map(|a| a.id.as_str()),
    );
    let risks: rustc_hash::FxHashSet<&str> = reg.risks.iter().map(|r| r.id.as_str()).collect();
    for a in &reg.actions {
        if a.title.trim().is_empty() {
            out.error(
                "empty-text",
                Section::Actions,
                &a.id,
                "an action needs a title".into(),
            );
        }
        for r in &a.risks {
            if !risks.contains(r.as_str()) {
                out.error(
                    "unknown-risk",
                    Section::Actions,
                    &a.id,
                    format!("action {} treats risk {r:?}, which is not defined", a.id),
                );
            }
        }
        for id in &a.controls {
            if !is_own(reg, id) {
                unknown_control(out, Section::Actions, &a.id, id, "action control");
            }
        }
    }

    if reg
        .baselines
        .windows(2)
        .any(|w| w[0].version >= w[1].version)
    {
        let versions: Vec<String> = reg
            .baselines
            .iter()
            .map(|b| b.version.to_string())
            .collect();
        out.error(
            "baselines",
            Section::Baseline,
            "baselines",
            format!(
                "baseline versions must be strictly ascending; they are {}",
                versions.join(", ")
            ),
        );
    }

    for c in &reg.conflicts {
        out.error(
            "merge-conflict",
            Section::Conflicts,
            &c.id,
            format!(
                "merge conflict on {} {} {}: kept {:?}, the other side has {:?}, they started from {:?}; remove the entry once resolved",
                c.entity, c.id, c.field, c.ours, c.theirs, c.base
            ),
        );
    }
}
