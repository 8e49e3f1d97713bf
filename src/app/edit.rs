//! Edits to a register as data, each with an exact inverse, and the
//! undo/redo history built from them (after helix's history).
//!
//! Every change the workbench makes goes through [`Edit::apply`], so undo,
//! redo, the dirty marker and incremental recalculation all see the same
//! stream of changes.

use crate::domain::model::Action;
use crate::domain::schema2::{OwnControl, PlanApproval};
use crate::domain::{
    Asset, Baseline, ControlState, Decision, Factor, HistoryEntry, Method, Register, Risk, Threat,
};

/// One element of one of the register's editable lists.
// Items are few and short-lived (one per edit); boxing risks would only add
// noise to every match.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Risk(Risk),
    Asset(Asset),
    Threat(Threat),
    Control(ControlState),
    Decision(Decision),
    Factor(Factor),
    /// An action of the treatment plan.
    Action(Action),
    /// One of the register's own controls (its definition; its state is
    /// a [`Item::Control`]).
    OwnControl(OwnControl),
}

/// Which list an [`Item`] lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    Risks,
    Assets,
    Threats,
    Controls,
    Decisions,
    Factors,
    Actions,
    OwnControls,
}

impl Item {
    pub fn kind(&self) -> ListKind {
        match self {
            Item::Risk(_) => ListKind::Risks,
            Item::Asset(_) => ListKind::Assets,
            Item::Threat(_) => ListKind::Threats,
            Item::Control(_) => ListKind::Controls,
            Item::Decision(_) => ListKind::Decisions,
            Item::Factor(_) => ListKind::Factors,
            Item::Action(_) => ListKind::Actions,
            Item::OwnControl(_) => ListKind::OwnControls,
        }
    }

    /// The item's id (a decision is identified by its control).
    pub fn id(&self) -> &str {
        match self {
            Item::Risk(r) => &r.id,
            Item::Asset(a) => &a.id,
            Item::Threat(t) => &t.id,
            Item::Control(c) => &c.id,
            Item::Decision(d) => &d.control,
            Item::Factor(f) => &f.id,
            Item::Action(a) => &a.id,
            Item::OwnControl(c) => &c.id,
        }
    }
}

/// A change to a register.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Insert {
        at: usize,
        item: Item,
    },
    Remove {
        at: usize,
        item: Item,
    },
    Replace {
        at: usize,
        before: Item,
        after: Item,
    },
    /// Several edits applied in order and undone as one step.
    Batch(Vec<Edit>),
    /// Approving the SoA: `baseline` is appended to `baselines` and `entry`
    /// to the history (`undo`: both removed from their ends, and only if
    /// they are these: an approval is never removed by anything else).
    Approve {
        baseline: Box<Baseline>,
        entry: HistoryEntry,
        undo: bool,
    },
    /// A line appended to the register's history (`undo`: removed from
    /// its end) — the summary a save offers when the user opted in.
    Log {
        entry: HistoryEntry,
        undo: bool,
    },
    /// The treatment plan's actions from `before` to `after` (deleting a
    /// risk takes it out of the actions that list it).
    Actions {
        before: Vec<crate::domain::model::Action>,
        after: Vec<crate::domain::model::Action>,
    },
    /// Replace the whole register: coarse, but exact.
    Whole {
        before: Box<Register>,
        after: Box<Register>,
    },
    /// The register's own settings (name, scope, method) from `before` to
    /// `after`: every risk is evaluated again, none is copied.
    Settings {
        before: Box<Settings>,
        after: Box<Settings>,
    },
    /// Approving the treatment plan: `plan_approval` goes from `before` to
    /// `after` and `entry` is appended to the history (`undo`: the other
    /// way, and only if they are these).
    ApprovePlan {
        before: Option<Box<PlanApproval>>,
        after: Box<PlanApproval>,
        entry: HistoryEntry,
        undo: bool,
    },
    /// One edit to many marked rows (`super::bulk`): `edits` applied in
    /// order and undone as one step, said as `summary` ("30 controls
    /// excluded: …") rather than edit by edit.
    Bulk {
        summary: String,
        edits: Vec<Edit>,
    },
}

/// The register's own settings, as the settings form edits them.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub name: String,
    pub scope: String,
    pub method: Method,
}

impl Settings {
    pub fn of(reg: &Register) -> Settings {
        Settings {
            name: reg.name.clone(),
            scope: reg.scope.clone(),
            method: reg.method.clone(),
        }
    }

    /// Whether `reg` has exactly these settings.
    pub fn matches(&self, reg: &Register) -> bool {
        self.name == reg.name && self.scope == reg.scope && self.method == reg.method
    }
}

impl Edit {
    /// Whether every list keeps its items at their indices (nothing
    /// inserted or removed): then the tables can keep showing their rows in
    /// the same order after the edit.
    pub fn keeps_items(&self) -> bool {
        match self {
            Edit::Insert { .. } | Edit::Remove { .. } => false,
            Edit::Replace { .. }
            | Edit::Approve { .. }
            | Edit::Settings { .. }
            | Edit::Log { .. }
            | Edit::Actions { .. }
            | Edit::ApprovePlan { .. } => true,
            Edit::Batch(edits) | Edit::Bulk { edits, .. } => edits.iter().all(Edit::keeps_items),
            Edit::Whole { before, after } => {
                before.risks.len() == after.risks.len()
                    && before.assets.len() == after.assets.len()
                    && before.threats.len() == after.threats.len()
                    && before.factors.len() == after.factors.len()
            }
        }
    }

    /// Whether the edit leaves the lists of risks, assets, threats and
    /// factors, their ids and every risk's references as they were — a
    /// change to the environment (a factor switched, a threat's shift, an
    /// asset's scope factor, control states, decisions, an approval), after
    /// which the evaluation's kept inputs still hold.
    pub fn keeps_structure(&self) -> bool {
        // Actions feed no score: like the environment, they leave the
        // evaluation's inputs as they were.
        let environment =
            |item: &Item| matches!(item, Item::Control(_) | Item::Decision(_) | Item::Action(_));
        match self {
            Edit::Replace {
                before: Item::Factor(b),
                after: Item::Factor(a),
                ..
            } => b.id == a.id,
            Edit::Replace {
                before: Item::Threat(b),
                after: Item::Threat(a),
                ..
            } => b.id == a.id,
            Edit::Replace {
                before: Item::Asset(b),
                after: Item::Asset(a),
                ..
            } => b.id == a.id,
            Edit::Replace { before, after, .. } => environment(before) && environment(after),
            Edit::Insert { item, .. } | Edit::Remove { item, .. } => environment(item),
            Edit::Batch(edits) | Edit::Bulk { edits, .. } => {
                edits.iter().all(Edit::keeps_structure)
            }
            Edit::Approve { .. }
            | Edit::Log { .. }
            | Edit::Actions { .. }
            | Edit::ApprovePlan { .. } => true,
            Edit::Whole { .. } | Edit::Settings { .. } => false,
        }
    }
}

impl Edit {
    /// Whether the edit changes the treatment plan's actions and nothing
    /// else: then no risk needs evaluating again, only the findings about
    /// the plan and the plan's index (see [`super::document::Document`]).
    pub fn only_actions(&self) -> bool {
        match self {
            Edit::Actions { .. } => true,
            Edit::Insert { item, .. } | Edit::Remove { item, .. } => {
                item.kind() == ListKind::Actions
            }
            Edit::Replace { before, after, .. } => {
                before.kind() == ListKind::Actions && after.kind() == ListKind::Actions
            }
            Edit::Batch(edits) | Edit::Bulk { edits, .. } => {
                !edits.is_empty() && edits.iter().all(Edit::only_actions)
            }
            // The plan's approval (and its history line): nothing scored
            // either, only `plan-unapproved` changes.
            Edit::ApprovePlan { .. } => true,
            Edit::Approve { .. }
            | Edit::Log { .. }
            | Edit::Whole { .. }
            | Edit::Settings { .. } => false,
        }
    }
}

/// A value in an undo message longer than this is left out: the message
/// names the field only (a status bar line has no room for two titles).
const MAX_SHOWN_VALUE: usize = 16;

/// At most this many changed fields are named in one message.
const MAX_SHOWN_FIELDS: usize = 3;

/// Past this many characters of field changes, further fields are named
/// without their values.
const MAX_SHOWN_CHARS: usize = 60;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Item {
    /// The fields that differ between two versions of one item: each one's
    /// name and, when both values are short, `likelihood 4 → 3`.
    fn changed_fields(before: &Item, after: &Item) -> Vec<(String, Option<String>)> {
        use crate::domain::fields::field_changes;
        let changes = match (before, after) {
            (Item::Risk(b), Item::Risk(a)) => field_changes(b, a),
            (Item::Asset(b), Item::Asset(a)) => field_changes(b, a),
            (Item::Threat(b), Item::Threat(a)) => field_changes(b, a),
            (Item::Control(b), Item::Control(a)) => field_changes(b, a),
            (Item::Decision(b), Item::Decision(a)) => field_changes(b, a),
            (Item::Factor(b), Item::Factor(a)) => field_changes(b, a),
            (Item::Action(b), Item::Action(a)) => field_changes(b, a),
            (Item::OwnControl(b), Item::OwnControl(a)) => field_changes(b, a),
            _ => Vec::new(),
        };
        let short = |v: &str| v.chars().count() <= MAX_SHOWN_VALUE;
        changes
            .into_iter()
            .map(|f| {
                let values = (short(&f.before) && short(&f.after))
                    .then(|| format!("{} {} → {}", f.field, f.before, f.after));
                (f.field, values)
            })
            .collect()
    }
}

impl Edit {
    /// What the edit does, in a few words for the status bar ("Undone:
    /// R-003 likelihood 4 → 3"): the item and, for a change, the fields
    /// that differ with their values when those are short.
    pub fn describe(&self) -> String {
        match self {
            Edit::Settings { before, after } => super::form::settings::summary(before, after),
            Edit::Insert { item, .. } => match item {
                Item::Control(c) => format!("recorded {} as {}", c.id, c.status.as_str()),
                Item::Decision(d) => format!(
                    "decided {} {}",
                    d.control,
                    if d.applicable {
                        "applicable"
                    } else {
                        "excluded"
                    }
                ),
                other => format!("added {}", other.id()),
            },
            Edit::Remove { item, .. } => match item {
                Item::Control(c) => format!("reset {}", c.id),
                Item::Decision(d) => format!("deleted the decision for {}", d.control),
                other => format!("deleted {}", other.id()),
            },
            Edit::Replace { before, after, .. } => {
                let fields = Item::changed_fields(before, after);
                let id = if before.id() == after.id() {
                    after.id().to_string()
                } else {
                    before.id().to_string()
                };
                if fields.is_empty() {
                    return format!("changed {id}");
                }
                let mut parts = Vec::new();
                let mut used = 0;
                for (name, values) in fields.iter().take(MAX_SHOWN_FIELDS) {
                    let part = match values {
                        Some(v) if used + v.chars().count() <= MAX_SHOWN_CHARS => v,
                        _ => name,
                    };
                    used += part.chars().count() + 2;
                    parts.push(part.as_str());
                }
                let mut shown = parts.join(", ");
                if fields.len() > MAX_SHOWN_FIELDS {
                    shown.push_str(&format!(" and {} more", fields.len() - MAX_SHOWN_FIELDS));
                }
                format!("{id} {shown}")
            }
            // Taking deleted risks out of the plan goes without saying.
            Edit::Batch(edits) if edits.iter().any(|e| matches!(e, Edit::Actions { .. })) => {
                let rest: Vec<Edit> = edits
                    .iter()
                    .filter(|e| !matches!(e, Edit::Actions { .. }))
                    .cloned()
                    .collect();
                if rest.is_empty() {
                    "updated the treatment plan".into()
                } else {
                    Edit::Batch(rest).describe()
                }
            }
            Edit::Actions { .. } => "updated the treatment plan".into(),
            Edit::Bulk { summary, .. } => summary.clone(),
            Edit::Batch(edits) => match edits.split_last() {
                None => "nothing".into(),
                Some((last, [])) => last.describe(),
                // Deleting an asset or threat takes its risks along: the
                // risks come first, the item itself last.
                Some((last @ Edit::Remove { .. }, rest))
                    if rest.iter().all(|e| {
                        matches!(
                            e,
                            Edit::Remove {
                                item: Item::Risk(_),
                                ..
                            }
                        )
                    }) =>
                {
                    format!(
                        "{} and {}",
                        last.describe(),
                        plural(rest.len(), "risk", "risks")
                    )
                }
                Some((last, rest)) => format!(
                    "{} and {}",
                    last.describe(),
                    plural(rest.len(), "more edit", "more edits")
                ),
            },
            Edit::Approve { baseline, undo, .. } => {
                if *undo {
                    format!("withdrew the approval of SoA v{}", baseline.version)
                } else {
                    format!("approved SoA v{}", baseline.version)
                }
            }
            Edit::ApprovePlan { after, undo, .. } => {
                if *undo {
                    format!("withdrew the plan approval by {}", after.by)
                } else {
                    format!("approved the plan ({})", after.by)
                }
            }
            Edit::Log { entry, undo: false } => format!("added a history line: {}", entry.summary),
            Edit::Log { entry, undo: true } => {
                format!("removed the history line: {}", entry.summary)
            }
            Edit::Whole { before, after } => {
                let changes = crate::domain::fields::entity_changes(before, after);
                let lines: Vec<String> = changes.iter().flat_map(|c| c.lines()).collect();
                match lines.as_slice() {
                    [one] => one.clone(),
                    _ => format!(
                        "replaced the register ({})",
                        plural(lines.len(), "change", "changes")
                    ),
                }
            }
        }
    }
}

/// Appends `entry` to the history, or (`undo`) removes it from its end,
/// refusing when the last entry is another one.
fn log(reg: &mut Register, entry: &HistoryEntry, undo: bool) -> Result<(), EditError> {
    if undo {
        if reg.history.last() != Some(entry) {
            return Err(EditError("the history's last entry differs".into()));
        }
        reg.history.pop();
    } else {
        reg.history.push(entry.clone());
    }
    Ok(())
}

/// An edit that does not fit the register it is applied to (a bug in the
/// caller, reported instead of panicking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! with_list {
    ($reg:expr, $item:expr, |$list:ident, $value:ident| $body:expr) => {
        match $item {
            Item::Risk($value) => {
                let $list = &mut $reg.risks;
                $body
            }
            Item::Asset($value) => {
                let $list = &mut $reg.assets;
                $body
            }
            Item::Threat($value) => {
                let $list = &mut $reg.threats;
                $body
            }
            Item::Control($value) => {
                let $list = &mut $reg.controls;
                $body
            }
            Item::Decision($value) => {
                let $list = &mut $reg.decisions;
                $body
            }
            Item::Factor($value) => {
                let $list = &mut $reg.factors;
                $body
            }
            Item::Action($value) => {
                let $list = &mut $reg.actions;
                $body
            }
            Item::OwnControl($value) => {
                let $list = &mut $reg.own_controls;
                $body
            }
        }
    };
}

impl Edit {
    /// The edit that undoes this one.
    pub fn inverse(&self) -> Edit {
        match self {
            Edit::Insert { at, item } => Edit::Remove {
                at: *at,
                item: item.clone(),
            },
            Edit::Remove { at, item } => Edit::Insert {
                at: *at,
                item: item.clone(),
            },
            Edit::Replace { at, before, after } => Edit::Replace {
                at: *at,
                before: after.clone(),
                after: before.clone(),
            },
            Edit::Batch(edits) => Edit::Batch(edits.iter().rev().map(Edit::inverse).collect()),
            Edit::Bulk { summary, edits } => Edit::Bulk {
                summary: summary.clone(),
                edits: edits.iter().rev().map(Edit::inverse).collect(),
            },
            Edit::Approve {
                baseline,
                entry,
                undo,
            } => Edit::Approve {
                baseline: baseline.clone(),
                entry: entry.clone(),
                undo: !undo,
            },
            Edit::Actions { before, after } => Edit::Actions {
                before: after.clone(),
                after: before.clone(),
            },
            Edit::Log { entry, undo } => Edit::Log {
                entry: entry.clone(),
                undo: !undo,
            },
            Edit::Whole { before, after } => Edit::Whole {
                before: after.clone(),
                after: before.clone(),
            },
            Edit::Settings { before, after } => Edit::Settings {
                before: after.clone(),
                after: before.clone(),
            },
            Edit::ApprovePlan {
                before,
                after,
                entry,
                undo,
            } => Edit::ApprovePlan {
                before: before.clone(),
                after: after.clone(),
                entry: entry.clone(),
                undo: !undo,
            },
        }
    }

    /// Applies the edit, checking that the register is in the state the
    /// edit expects (so an inverse restores exactly what was there).
    pub fn apply(&self, reg: &mut Register) -> Result<(), EditError> {
        match self {
            Edit::Insert { at, item } => with_list!(reg, item, |list, value| {
                if *at > list.len() {
                    return Err(EditError(format!("insert at {at} past the end")));
                }
                list.insert(*at, value.clone());
                Ok(())
            }),
            Edit::Remove { at, item } => with_list!(reg, item, |list, value| {
                if list.get(*at) != Some(value) {
                    return Err(EditError(format!("remove at {at}: item differs")));
                }
                list.remove(*at);
                Ok(())
            }),
            Edit::Replace { at, before, after } => {
                if before.kind() != after.kind() {
                    return Err(EditError("replace across lists".into()));
                }
                with_list!(reg, before, |list, value| {
                    if list.get(*at) != Some(value) {
                        return Err(EditError(format!("replace at {at}: item differs")));
                    }
                    Ok(())
                })?;
                with_list!(reg, after, |list, value| {
                    list[*at] = value.clone();
                    Ok(())
                })
            }
            Edit::Batch(edits) | Edit::Bulk { edits, .. } => {
                for (n, e) in edits.iter().enumerate() {
                    if let Err(err) = e.apply(reg) {
                        // Roll back what was applied so far.
                        for done in edits[..n].iter().rev() {
                            let _ = done.inverse().apply(reg);
                        }
                        return Err(err);
                    }
                }
                Ok(())
            }
            Edit::Approve {
                baseline,
                entry,
                undo,
            } => {
                if *undo && reg.baselines.last() != Some(&**baseline) {
                    return Err(EditError(
                        "the last baseline differs from the edit's".into(),
                    ));
                }
                log(reg, entry, *undo)?;
                if *undo {
                    reg.baselines.pop();
                } else {
                    reg.baselines.push((**baseline).clone());
                }
                Ok(())
            }
            Edit::Log { entry, undo } => log(reg, entry, *undo),
            Edit::Actions { before, after } => {
                if reg.actions != *before {
                    return Err(EditError("the actions differ from the edit's".into()));
                }
                reg.actions = after.clone();
                Ok(())
            }
            Edit::Whole { before, after } => {
                if **before != *reg {
                    return Err(EditError("register differs from the edit's base".into()));
                }
                *reg = (**after).clone();
                Ok(())
            }
            Edit::Settings { before, after } => {
                if !before.matches(reg) {
                    return Err(EditError(
                        "the register's settings differ from the edit's".into(),
                    ));
                }
                let Settings {
                    name,
                    scope,
                    method,
                } = (**after).clone();
                reg.name = name;
                reg.scope = scope;
                reg.method = method;
                Ok(())
            }
            Edit::ApprovePlan {
                before,
                after,
                entry,
                undo,
            } => {
                let (from, to) = if *undo {
                    (Some(&**after), before.as_deref())
                } else {
                    (before.as_deref(), Some(&**after))
                };
                if reg.plan_approval.as_ref() != from {
                    return Err(EditError(
                        "the plan's approval differs from the edit's".into(),
                    ));
                }
                log(reg, entry, *undo)?;
                reg.plan_approval = to.cloned();
                Ok(())
            }
        }
    }
}

/// Undo and redo stacks, and what is needed for the dirty marker.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<(u64, Edit)>,
    redo: Vec<(u64, Edit)>,
    next_revision: u64,
    saved_revision: u64,
}

impl History {
    /// The revision the register is at: 0 for as loaded, else the number of
    /// the last applied edit.
    pub fn revision(&self) -> u64 {
        self.undo.last().map_or(0, |(r, _)| *r)
    }

    pub fn is_dirty(&self) -> bool {
        self.revision() != self.saved_revision
    }

    pub fn mark_saved(&mut self) {
        self.saved_revision = self.revision();
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Replaces the edits above `depth` by one batch, so they undo as one
    /// step (keeping a what-if sandbox). False when there was nothing.
    pub fn squash_from(&mut self, depth: usize) -> bool {
        if self.undo.len() <= depth {
            return false;
        }
        let edits: Vec<Edit> = self.undo.drain(depth..).map(|(_, e)| e).collect();
        self.next_revision += 1;
        self.undo.push((self.next_revision, Edit::Batch(edits)));
        self.redo.clear();
        true
    }

    /// Forgets the undone edits (they were discarded, not just undone).
    pub fn clear_redo(&mut self) {
        self.redo.clear();
    }

    /// Applies a new edit and records it; clears the redo stack.
    pub fn apply(&mut self, reg: &mut Register, edit: Edit) -> Result<(), EditError> {
        edit.apply(reg)?;
        self.next_revision += 1;
        self.undo.push((self.next_revision, edit));
        self.redo.clear();
        Ok(())
    }

    /// The edit an undo would take back.
    pub fn next_undo(&self) -> Option<&Edit> {
        self.undo.last().map(|(_, e)| e)
    }

    /// The edit a redo would apply again.
    pub fn next_redo(&self) -> Option<&Edit> {
        self.redo.last().map(|(_, e)| e)
    }

    /// Undoes the last edit; returns the inverse that was applied.
    pub fn undo(&mut self, reg: &mut Register) -> Option<Result<Edit, EditError>> {
        let (rev, edit) = self.undo.pop()?;
        let inverse = edit.inverse();
        Some(match inverse.apply(reg) {
            Ok(()) => {
                self.redo.push((rev, edit));
                Ok(inverse)
            }
            Err(e) => {
                self.undo.push((rev, edit));
                Err(e)
            }
        })
    }

    /// Redoes the last undone edit; returns it.
    pub fn redo(&mut self, reg: &mut Register) -> Option<Result<Edit, EditError>> {
        let (rev, edit) = self.redo.pop()?;
        Some(match edit.apply(reg) {
            Ok(()) => {
                self.undo.push((rev, edit.clone()));
                Ok(edit)
            }
            Err(e) => {
                self.redo.push((rev, edit));
                Err(e)
            }
        })
    }
}
