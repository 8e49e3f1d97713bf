//! Risk and scope changes: one merging pass over two snapshots sorted by id.

use super::{RiskChange, RiskChangeKind, ScopeChange, ScopeKind, Snapshot};
use crate::domain::model::{Register, Risk};

/// The first risk of each id, for comparing a risk's own fields; empty when
/// the two lists are equal (nothing to compare: the common case of a
/// register whose risks were not edited costs one comparison).
fn risks_by_id<'a>(
    reg: &'a Register,
    other: &Register,
) -> rustc_hash::FxHashMap<&'a str, &'a Risk> {
    let mut map = rustc_hash::FxHashMap::default();
    if reg.risks != other.risks {
        for r in &reg.risks {
            map.entry(r.id.as_str()).or_insert(r);
        }
    }
    map
}

/// Risk changes between two registers and their snapshots, sorted by id
/// (both snapshots keep their risks sorted by id: one merging pass).
pub(crate) fn risk_changes(
    old_reg: &Register,
    old: &Snapshot,
    new_reg: &Register,
    new: &Snapshot,
) -> Vec<RiskChange> {
    let (old_risks, new_risks) = (risks_by_id(old_reg, new_reg), risks_by_id(new_reg, old_reg));
    let own = |id: &str| match (old_risks.get(id), new_risks.get(id)) {
        (Some(b), Some(a)) if b != a => crate::domain::fields::risk_fields(b, a),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    loop {
        let (b, a) = (old.risks.get(i), new.risks.get(j));
        let order = match (b, a) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(b), Some(a)) => b.id.cmp(&a.id),
        };
        match (order, b, a) {
            (std::cmp::Ordering::Less, Some(b), _) => {
                out.push(RiskChange {
                    id: b.id.clone(),
                    kind: RiskChangeKind::Removed,
                    before: Some(old.state(b)),
                    after: None,
                    fields: Vec::new(),
                });
                i += 1;
            }
            (std::cmp::Ordering::Greater, _, Some(a)) => {
                out.push(RiskChange {
                    id: a.id.clone(),
                    kind: RiskChangeKind::Added,
                    before: None,
                    after: Some(new.state(a)),
                    fields: Vec::new(),
                });
                j += 1;
            }
            (_, Some(b), Some(a)) => {
                let fields = own(&a.id);
                if !fields.is_empty() || !old.same_scores(b, new, a) {
                    out.push(RiskChange {
                        id: a.id.clone(),
                        kind: RiskChangeKind::Changed,
                        before: Some(old.state(b)),
                        after: Some(new.state(a)),
                        fields,
                    });
                }
                i += 1;
                j += 1;
            }
            _ => break,
        }
    }
    out
}

/// Assets and risks present on both sides whose scope differs; `new_reg`
/// names them and the factor that governs them.
pub(crate) fn scope_changes(
    old: &Snapshot,
    new: &Snapshot,
    new_reg: &Register,
) -> Vec<ScopeChange> {
    let mut out = Vec::new();
    for a in &new_reg.assets {
        if let (Some(&was), Some(&is)) = (old.asset_scope.get(&a.id), new.asset_scope.get(&a.id))
            && was != is
        {
            out.push(ScopeChange {
                kind: ScopeKind::Asset,
                id: a.id.clone(),
                name: a.name.clone(),
                into_scope: is,
                factor: a.factor.clone(),
            });
        }
    }
    for r in &new_reg.risks {
        if let (Some(was), Some(is)) = (old.risk_in_scope(&r.id), new.risk_in_scope(&r.id))
            && was != is
        {
            let factor = r.factor.clone().or_else(|| {
                new_reg
                    .assets
                    .iter()
                    .find(|a| a.id == r.asset)
                    .and_then(|a| a.factor.clone())
            });
            out.push(ScopeChange {
                kind: ScopeKind::Risk,
                id: r.id.clone(),
                name: r.title.clone(),
                into_scope: is,
                factor,
            });
        }
    }
    out
}
