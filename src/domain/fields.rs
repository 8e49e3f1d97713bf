//! Field-level changes between two registers: which entity (asset, threat,
//! risk, control state, decision, factor, the method, the register's header,
//! the approved baseline, the history) was added, removed or changed, and
//! for a changed one each field with its value before and after.
//!
//! [`diff`](super::diff) compares what the register *evaluates to* (scores,
//! the SoA); this compares what it *says*. A title edit, a new owner or an
//! acceptance changes no score, and is exactly what a recovery prompt or an
//! "overwrite the file on disk?" preview must not hide.
//!
//! Entities are matched by id and compared with `==` first; only the ones
//! that differ are serialised (through serde, so a field added to the model
//! is compared without this module knowing about it).

use serde::Serialize;
use serde_json::Value;

use super::model::{Register, Risk};

/// How an entity other than an in-scope risk changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityChangeKind {
    /// Only in the newer register.
    Added,
    /// Only in the older register.
    Removed,
    /// In both, with fields that differ.
    Changed,
}

impl EntityChangeKind {
    /// The word `diff` prints and its JSON `change` holds.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityChangeKind::Added => "added",
            EntityChangeKind::Removed => "removed",
            EntityChangeKind::Changed => "changed",
        }
    }
}

/// One field of a changed entity, its values rendered as short text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field's name as the file spells it.
    pub field: String,
    /// Its value before, as short text.
    pub before: String,
    /// Its value after, as short text.
    pub after: String,
}

/// One entity (factor, asset, control state, …) that differs between two
/// registers, with the fields that differ.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityChange {
    /// `register`, `method`, `own_control`, `factor`, `asset`, `threat`,
    /// `risk`, `control`, `decision`, `action`, `plan_approval`, `conflict`,
    /// `baseline` (by version) or `history`.
    pub entity: &'static str,
    /// The entity's id (the control for a decision; empty for the
    /// register's header and the method).
    pub id: String,
    /// Added, removed or changed.
    pub kind: EntityChangeKind,
    /// For `Changed`: the fields that differ, in the file's field order.
    pub fields: Vec<FieldChange>,
    /// The entity as it was and as it is (`Null` on the side it is absent):
    /// what `diff --format json` reports as `before` and `after`.
    pub before: Value,
    /// See `before`.
    pub after: Value,
}

impl EntityChange {
    /// One line per change: `risk R-001: title: Old → New`, or
    /// `risk R-009 added: Phishing of payroll staff`.
    pub fn lines(&self) -> Vec<String> {
        let name = if self.id.is_empty() {
            self.entity.to_string()
        } else {
            format!("{} {}", self.entity, self.id)
        };
        match self.kind {
            EntityChangeKind::Changed => self
                .fields
                .iter()
                .map(|f| format!("{name}: {}: {} → {}", f.field, f.before, f.after))
                .collect(),
            kind => {
                let label = self.label();
                if label.is_empty() {
                    vec![format!("{name} {}", kind.as_str())]
                } else {
                    vec![format!("{name} {}: {label}", kind.as_str())]
                }
            }
        }
    }

    /// The entity's name, title or label (from whichever side has it), for
    /// naming an added or removed one.
    pub fn label(&self) -> String {
        let side = if self.after.is_null() {
            &self.before
        } else {
            &self.after
        };
        ["name", "title", "label", "summary"]
            .iter()
            .find_map(|k| side.get(k).and_then(Value::as_str))
            .map_or_else(String::new, render_str)
    }

    /// The names of the fields that differ.
    pub fn field_names(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.field.as_str()).collect()
    }
}

/// Every entity that differs between `old` and `new`, in file order
/// (header, method, own controls, factors, assets, threats, risks, controls,
/// decisions, actions, plan approval, conflicts, baselines, history).
pub fn entity_changes(old: &Register, new: &Register) -> Vec<EntityChange> {
    let mut out = Vec::new();
    before_risks(old, new, &mut out);
    out.extend(risk_changes(&old.risks, &new.risks, |_| true));
    after_risks(old, new, &mut out);
    out
}

/// Every entity but the risks that differs between `old` and `new`, in
/// file order: `riskbench diff` reports risks by scope and evaluation
/// ([`super::diff`]) and everything else from here.
pub(crate) fn other_changes(old: &Register, new: &Register) -> Vec<EntityChange> {
    let mut out = Vec::new();
    before_risks(old, new, &mut out);
    after_risks(old, new, &mut out);
    out
}

/// The register's header, method, factors, assets and threats.
fn before_risks(old: &Register, new: &Register, out: &mut Vec<EntityChange>) {
    header(old, new, out);
    single("method", &old.method, &new.method, out);
    by_id(
        "own_control",
        &old.own_controls,
        &new.own_controls,
        |c| c.id.clone(),
        out,
    );
    by_id("factor", &old.factors, &new.factors, |f| f.id.clone(), out);
    by_id("asset", &old.assets, &new.assets, |a| a.id.clone(), out);
    by_id("threat", &old.threats, &new.threats, |t| t.id.clone(), out);
}

/// Control states, decisions, actions, the plan's approval, merge
/// conflicts, the baselines and the history.
fn after_risks(old: &Register, new: &Register, out: &mut Vec<EntityChange>) {
    by_id(
        "control",
        &old.controls,
        &new.controls,
        |c| c.id.clone(),
        out,
    );
    by_id(
        "decision",
        &old.decisions,
        &new.decisions,
        |d| d.control.clone(),
        out,
    );
    by_id("action", &old.actions, &new.actions, |a| a.id.clone(), out);
    single("plan_approval", &old.plan_approval, &new.plan_approval, out);
    by_id(
        "conflict",
        &old.conflicts,
        &new.conflicts,
        conflict_key,
        out,
    );
    by_id(
        "baseline",
        &old.baselines,
        &new.baselines,
        |b| super::Id::from(b.version.to_string()),
        out,
    );
    // History is append-only: report the entries the newer one adds (or,
    // if it is shorter, that entries went missing).
    if old.history != new.history {
        let common = old
            .history
            .iter()
            .zip(&new.history)
            .take_while(|(a, b)| a == b)
            .count();
        let entry = |h: &super::model::HistoryEntry, kind| {
            let value = serde_json::to_value(h).unwrap_or(Value::Null);
            let (before, after) = match kind {
                EntityChangeKind::Added => (Value::Null, value),
                _ => (value, Value::Null),
            };
            EntityChange {
                entity: "history",
                id: format!("{} {}", h.on, h.by),
                kind,
                fields: Vec::new(),
                before,
                after,
            }
        };
        for h in &new.history[common..] {
            out.push(entry(h, EntityChangeKind::Added));
        }
        for h in &old.history[common..] {
            out.push(entry(h, EntityChangeKind::Removed));
        }
    }
}

/// Risks that differ, matched by id, restricted to the ids `keep` accepts
/// (`riskbench diff` reports in-scope risks with their evaluation and
/// keeps these for the ones out of scope on both sides).
pub(crate) fn risk_changes(
    old: &[Risk],
    new: &[Risk],
    keep: impl Fn(&str) -> bool,
) -> Vec<EntityChange> {
    let mut out = Vec::new();
    if old != new {
        by_id_with(
            "risk",
            old,
            new,
            |r| r.id.clone(),
            risk_fields,
            &keep,
            &mut out,
        );
    }
    out
}

/// The fields of a risk that differ, with `controls` and `cia` compared
/// as sets (REGISTER.md §5: reordering them is not a change) and the
/// acceptance and manual residual named the way a person says them.
pub fn risk_fields(old: &Risk, new: &Risk) -> Vec<FieldChange> {
    let mut fields = field_changes(old, new);
    if same_set(&old.controls, &new.controls) {
        fields.retain(|f| f.field != "controls");
    }
    if same_set(&old.cia, &new.cia) {
        fields.retain(|f| f.field != "cia");
    }
    for f in &mut fields {
        let short = match f.field.as_str() {
            "acceptance" => Some((
                acceptance_text(old.acceptance.as_deref()),
                acceptance_text(new.acceptance.as_deref()),
            )),
            "residual" => Some((
                manual_text(old.residual.as_deref()),
                manual_text(new.residual.as_deref()),
            )),
            "notes" => Some(notes_text(&old.notes, &new.notes)),
            _ => None,
        };
        // The short form when it shows the difference; else the full one.
        if let Some((b, a)) = short
            && b != a
        {
            (f.before, f.after) = (b, a);
        }
    }
    fields
}

/// Whether two lists hold the same values, in any order.
fn same_set<T: Ord + Clone>(a: &[T], b: &[T]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort();
    a.dedup();
    b.sort();
    b.dedup();
    a == b
}

/// `CTO until 2027-09-30`, or `none`.
fn acceptance_text(a: Option<&super::model::Acceptance>) -> String {
    a.map_or("none".into(), |a| {
        format!("{} until {}", render_str(&a.by), a.until)
    })
}

/// A discussion record that grew, as a person reads the change: the count
/// before, and after it each added note in full (`2026-12-01 Ana: text`),
/// never cut like other values (the note is what the change is about).
/// Notes removed or rewritten read as the count and `edited`.
fn notes_text(old: &[super::schema2::Note], new: &[super::schema2::Note]) -> (String, String) {
    let count = |n: usize| match n {
        1 => "1 note".to_string(),
        n => format!("{n} notes"),
    };
    let added = super::schema2::Note::added(old, new);
    let after = if new.len() == old.len() + added.len() && !added.is_empty() {
        let lines: Vec<String> = added.iter().map(|n| format!("+ {}", n.line())).collect();
        format!("{}: {}", count(new.len()), lines.join("; "))
    } else {
        format!("{} (edited)", count(new.len()))
    };
    (count(old.len()), after)
}

/// `2×3 (note)`, or `none` (computed from the controls).
fn manual_text(m: Option<&super::model::ManualResidual>) -> String {
    m.map_or("none".into(), |m| {
        let note = if m.note.is_empty() {
            String::new()
        } else {
            format!(" ({})", render_str(&m.note))
        };
        format!("{}×{}{note}", m.likelihood, m.impact)
    })
}

fn header(old: &Register, new: &Register, out: &mut Vec<EntityChange>) {
    let mut fields = Vec::new();
    for (field, a, b) in [
        ("name", &old.name, &new.name),
        ("scope", &old.scope, &new.scope),
    ] {
        if a != b {
            fields.push(FieldChange {
                field: field.into(),
                before: render_str(a),
                after: render_str(b),
            });
        }
    }
    if !fields.is_empty() {
        let side = |r: &Register| serde_json::json!({"name": r.name, "scope": r.scope});
        out.push(EntityChange {
            entity: "register",
            id: String::new(),
            kind: EntityChangeKind::Changed,
            fields,
            before: side(old),
            after: side(new),
        });
    }
}

/// A merge conflict has no id of its own: it is the field it is about.
fn conflict_key(c: &super::model::Conflict) -> super::Id {
    super::Id::from(format!("{} {} {}", c.entity, c.id, c.field))
}

/// A part of the register there is one of (the method, the baseline).
/// An optional one (the baseline) that appears or goes is added or removed.
fn single<T: Serialize + PartialEq>(
    entity: &'static str,
    old: &T,
    new: &T,
    out: &mut Vec<EntityChange>,
) {
    if old == new {
        return;
    }
    let (before, after) = (to_value(old), to_value(new));
    let kind = match (before.is_null(), after.is_null()) {
        (true, false) => EntityChangeKind::Added,
        (false, true) => EntityChangeKind::Removed,
        _ => EntityChangeKind::Changed,
    };
    let fields = match kind {
        EntityChangeKind::Changed => field_changes(old, new),
        _ => Vec::new(),
    };
    out.push(EntityChange {
        entity,
        id: String::new(),
        kind,
        fields,
        before,
        after,
    });
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Matches entities by id. Ids are unique in a valid register; when one is
/// not (a register with errors), the first of each id is compared.
fn by_id<T: Serialize + PartialEq>(
    entity: &'static str,
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> super::Id,
    out: &mut Vec<EntityChange>,
) {
    if old != new {
        by_id_with(entity, old, new, id, field_changes, &|_| true, out);
    }
}

fn by_id_with<T: Serialize + PartialEq>(
    entity: &'static str,
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> super::Id,
    fields: impl Fn(&T, &T) -> Vec<FieldChange>,
    keep: &dyn Fn(&str) -> bool,
    out: &mut Vec<EntityChange>,
) {
    let mut old_by_id: rustc_hash::FxHashMap<super::Id, &T> = Default::default();
    for o in old {
        old_by_id.entry(id(o)).or_insert(o);
    }
    let mut seen: rustc_hash::FxHashSet<super::Id> = Default::default();
    for n in new {
        let key = id(n);
        if !keep(&key) || !seen.insert(key.clone()) {
            continue;
        }
        match old_by_id.get(&key) {
            None => out.push(EntityChange {
                entity,
                id: key.to_string(),
                kind: EntityChangeKind::Added,
                fields: Vec::new(),
                before: Value::Null,
                after: to_value(n),
            }),
            Some(o) if *o != n => {
                let fields = fields(o, n);
                // Differences that do not count (links reordered) leave
                // nothing to report.
                if !fields.is_empty() {
                    out.push(EntityChange {
                        entity,
                        id: key.to_string(),
                        kind: EntityChangeKind::Changed,
                        fields,
                        before: to_value(*o),
                        after: to_value(n),
                    });
                }
            }
            Some(_) => {}
        }
    }
    for o in old {
        let key = id(o);
        if keep(&key) && seen.insert(key.clone()) {
            out.push(EntityChange {
                entity,
                id: key.to_string(),
                kind: EntityChangeKind::Removed,
                fields: Vec::new(),
                before: to_value(o),
                after: Value::Null,
            });
        }
    }
}

/// The fields of two values of one struct type that differ, in field order
/// (public so an undo message can name what one edit changed without a
/// second field-by-field comparison).
pub(crate) fn field_changes<T: Serialize>(old: &T, new: &T) -> Vec<FieldChange> {
    let (Ok(Value::Object(a)), Ok(Value::Object(b))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    let mut fields = Vec::new();
    for (name, before) in &a {
        let after = b.get(name).unwrap_or(&Value::Null);
        if before != after {
            fields.push(FieldChange {
                field: name.clone(),
                before: render(before),
                after: render(after),
            });
        }
    }
    for (name, after) in &b {
        if !a.contains_key(name) {
            fields.push(FieldChange {
                field: name.clone(),
                before: render(&Value::Null),
                after: render(after),
            });
        }
    }
    fields
}

/// Values longer than this are cut (`…`) in change lines.
const MAX_VALUE_CHARS: usize = 80;

fn render_str(s: &str) -> String {
    if s.is_empty() {
        return "\"\"".into();
    }
    match s.char_indices().nth(MAX_VALUE_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// A value as short text: `none` for absent, lists joined by `, `, structs
/// as `field value` pairs (empty ones left out).
fn render(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => render_str(s),
        Value::Array(items) if items.is_empty() => "[]".into(),
        Value::Array(items) => {
            let joined = items.iter().map(render).collect::<Vec<_>>().join(", ");
            if items.iter().any(|i| i.is_array() || i.is_object()) {
                // A list of records (a baseline's entries): cut like any
                // long value, its length said.
                if items.len() > 1 {
                    format!("{} items: [{}", items.len(), render_str(&joined))
                } else {
                    format!("[{joined}]")
                }
            } else {
                render_str(&joined)
            }
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .filter(|(_, v)| !is_empty(v))
                .map(|(k, v)| format!("{k} {}", render(v)))
                .collect();
            format!("({})", parts.join(", "))
        }
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Acceptance;

    fn northwind() -> Register {
        ron::from_str(include_str!("../../registers/northwind.ron"))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_same_register_has_no_changes() {
        let r = northwind();
        assert!(entity_changes(&r, &r.clone()).is_empty());
    }

    #[test]
    fn a_title_edit_is_named_with_before_and_after() {
        let old = northwind();
        let mut new = old.clone();
        let before = new.risks[0].title.clone();
        new.risks[0].title = "A new title".into();
        let changes = entity_changes(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(
            changes[0].lines(),
            vec![format!(
                "risk {}: title: {before} → A new title",
                new.risks[0].id
            )]
        );
    }

    #[test]
    fn owner_acceptance_appetite_and_name_are_all_reported() {
        let old = northwind();
        let mut new = old.clone();
        new.name = "Renamed".into();
        new.method.appetite += 1;
        new.risks[1].owner = "COO".into();
        new.risks[2].acceptance = Some(Box::new(Acceptance {
            reason: String::new(),
            by: "CTO".into(),
            on: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default(),
            until: chrono::NaiveDate::from_ymd_opt(2027, 9, 30).unwrap_or_default(),
            accepted_score: None,
            accepted_controls: None,
        }));
        let lines: Vec<String> = entity_changes(&old, &new)
            .iter()
            .flat_map(EntityChange::lines)
            .collect();
        let all = lines.join("\n");
        assert!(all.contains("register: name: "), "{all}");
        assert!(all.contains("method: appetite: "), "{all}");
        assert!(all.contains(": owner: "), "{all}");
        assert!(all.contains("→ COO"), "{all}");
        assert!(
            all.contains("acceptance: none → CTO until 2027-09-30"),
            "{all}"
        );
    }

    #[test]
    fn reordered_controls_and_cia_are_no_change_but_a_new_value_is() {
        use crate::domain::model::Cia;
        let old = northwind();
        let mut new = old.clone();
        new.risks[0].cia = vec![Cia::Availability, Cia::Confidentiality];
        let mut reordered = new.clone();
        reordered.risks[0].cia.reverse();
        reordered.risks[0].controls.reverse();
        assert!(risk_fields(&new.risks[0], &reordered.risks[0]).is_empty());
        let names: Vec<String> = risk_fields(&old.risks[0], &new.risks[0])
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(names, ["cia"]);
    }

    #[test]
    fn added_and_removed_entities_are_listed() {
        let old = northwind();
        let mut new = old.clone();
        let gone = new.assets.remove(0);
        let mut extra = new.threats[0].clone();
        extra.id = "T-NEW".into();
        new.threats.push(extra);
        let changes = entity_changes(&old, &new);
        assert!(changes.iter().any(|c| c.entity == "asset"
            && c.id == gone.id.as_str()
            && c.kind == EntityChangeKind::Removed));
        assert!(
            changes.iter().any(|c| c.entity == "threat"
                && c.id == "T-NEW"
                && c.kind == EntityChangeKind::Added)
        );
    }
}
