//! A diff in one line, for a history entry.

use super::{Diff, RiskChange, RiskChangeKind, SoaChange};
use crate::domain::fields::{EntityChange, EntityChangeKind};
use crate::domain::model::Applicable;

/// What a diff says, in one line for a history entry: the edits by kind,
/// naming the ids while there are few and the fields that changed —
/// `R-001, R-004 changed (owner, likelihood); R-020 added; control 8.7
/// (status); 2 risks re-scored`. Empty when nothing changed. Risks whose
/// evaluation alone changed are counted, not named: they follow from the
/// edits named before them.
pub(crate) fn summarize(d: &Diff) -> String {
    /// Up to this many ids are named; more are counted.
    const NAMED: usize = 3;
    fn ids(list: &[&str], many: &str) -> String {
        if list.len() <= NAMED {
            list.join(", ")
        } else {
            format!("{} {many}", list.len())
        }
    }
    fn fields<'a>(names: impl Iterator<Item = &'a str>) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for n in names {
            if !seen.contains(&n) {
                seen.push(n);
            }
        }
        if seen.is_empty() {
            String::new()
        } else {
            format!(" ({})", seen.join(", "))
        }
    }
    let mut parts = Vec::new();
    let by_kind = |kind: RiskChangeKind| -> Vec<&RiskChange> {
        d.risks.iter().filter(|r| r.kind == kind).collect()
    };
    let edited: Vec<&RiskChange> = by_kind(RiskChangeKind::Changed)
        .into_iter()
        .filter(|r| !r.fields.is_empty())
        .collect();
    if !edited.is_empty() {
        let list: Vec<&str> = edited.iter().map(|r| r.id.as_str()).collect();
        let names = edited
            .iter()
            .flat_map(|r| r.fields.iter().map(|f| f.field.as_str()));
        let what = if list.len() <= NAMED {
            format!("{} changed", list.join(", "))
        } else {
            format!("{} risks changed", list.len())
        };
        parts.push(format!("{what}{}", fields(names)));
    }
    for (kind, word) in [
        (RiskChangeKind::Added, "added"),
        (RiskChangeKind::Removed, "removed"),
    ] {
        let list: Vec<&str> = by_kind(kind).iter().map(|r| r.id.as_str()).collect();
        if !list.is_empty() {
            parts.push(format!("{} {word}", ids(&list, "risks")));
        }
    }
    // Everything else, grouped by kind and change, in file order.
    let mut groups: Vec<(&str, EntityChangeKind, Vec<&EntityChange>)> = Vec::new();
    for e in d.entities.iter().chain(&d.unscoped) {
        if e.entity == "history" {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(entity, kind, _)| *entity == e.entity && *kind == e.kind)
        {
            Some((_, _, list)) => list.push(e),
            None => groups.push((e.entity, e.kind, vec![e])),
        }
    }
    for (entity, kind, list) in groups {
        let names: Vec<&str> = list.iter().map(|e| e.id.as_str()).collect();
        let subject = if names.iter().all(|n| n.is_empty()) {
            entity.to_string()
        } else if names.len() <= NAMED {
            format!("{entity} {}", names.join(", "))
        } else {
            format!("{} {entity}s", names.len())
        };
        parts.push(match kind {
            EntityChangeKind::Changed => format!(
                "{subject}{}",
                fields(
                    list.iter()
                        .flat_map(|e| e.fields.iter().map(|f| f.field.as_str()))
                )
            ),
            kind => format!("{subject} {}", kind.as_str()),
        });
    }
    let rescored = d.risks.len()
        - edited.len()
        - by_kind(RiskChangeKind::Added).len()
        - by_kind(RiskChangeKind::Removed).len();
    if rescored > 0 {
        parts.push(format!(
            "{rescored} risk{} re-scored",
            if rescored == 1 { "" } else { "s" }
        ));
    }
    let soa: Vec<SoaChange> = d.soa_changes().cloned().collect();
    if !soa.is_empty() {
        parts.push(format!("SoA: {}", summarize_soa(&soa)));
    }
    parts.join("; ")
}

/// One line summary for a history entry: "3 controls added, 1 removed,
/// 2 status changes".
pub fn summarize_soa(changes: &[SoaChange]) -> String {
    let mut added = 0;
    let mut removed = 0;
    let mut status = 0;
    let mut other = 0;
    for c in changes {
        let (b, a) = (c.before.applicable, c.after.applicable);
        if b != Applicable::Yes && a == Applicable::Yes {
            added += 1;
        } else if b == Applicable::Yes && a != Applicable::Yes {
            removed += 1;
        } else if b != a {
            other += 1;
        } else if c.before.status != c.after.status {
            status += 1;
        }
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if added > 0 {
        parts.push(plural(added, "control added", "controls added"));
    }
    if removed > 0 {
        parts.push(plural(removed, "control removed", "controls removed"));
    }
    if other > 0 {
        parts.push(plural(other, "decision change", "decision changes"));
    }
    if status > 0 {
        parts.push(plural(status, "status change", "status changes"));
    }
    if parts.is_empty() {
        "no changes".into()
    } else {
        parts.join(", ")
    }
}
