//! Many at once: marking rows, and one edit to every marked row as one
//! undo step (a workshop decides 30 SoA exclusions with one reason, not 30
//! times the same form).
//!
//! Marks are per view and kept by id, not by row or index, so sorting,
//! filtering and edits (which move rows and shift indices) keep them. The
//! Risks table's marks are also the dashboard's top risks' (the selected
//! risk is shared the same way). They are cleared after a bulk edit applies,
//! by esc once no filter is left to clear, and when the register is read
//! again from disk. A bulk edit applies to every marked row, those a filter
//! hides too: the menu's title says how many are hidden, so nothing is
//! changed unseen. With nothing marked, it applies to the selected row.
//!
//! The edit is one [`Edit::Bulk`] applied through [`App::apply_edit`]:
//! every change first, then one recalculation (10,000 marked risks are
//! never evaluated row by row), and undo and redo take it as one step.

use rustc_hash::FxHashSet;

use super::edit::{Edit, Item};
use super::picker::{Choice, Picker, PickerPurpose};
use super::table::{View, control_row};
use super::text_field::TextField;
use super::{App, Modal, Prompt, PromptPurpose, plural};
use crate::domain::model::DEFAULT_EFFECTIVENESS;
use crate::domain::{
    Applicability, Catalog, ControlState, ControlStatus, Decision, Id, Register, Treatment,
};
use crate::keymap::Context;

/// Which marks a view uses: its rows' kind of item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marked {
    /// The Risks table and the dashboard's top risks.
    Risks,
    /// The Controls table (Annex A, then own controls).
    Controls,
    /// The SoA table.
    Soa,
}

impl Marked {
    /// The marks `view` uses; `None` where rows are not marked.
    pub fn of(view: View) -> Option<Marked> {
        match view {
            View::Dashboard | View::Risks | View::Focus => Some(Marked::Risks),
            View::Controls => Some(Marked::Controls),
            View::Soa => Some(Marked::Soa),
            _ => None,
        }
    }

    /// `30 risks`, `1 control`.
    fn count(self, n: usize) -> String {
        plural(
            n,
            match self {
                Marked::Risks => "risk",
                Marked::Controls | Marked::Soa => "control",
            },
        )
    }
}

/// The marked rows of each kind of view, by id.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    risks: FxHashSet<Id>,
    controls: FxHashSet<Id>,
    soa: FxHashSet<Id>,
}

impl Marks {
    fn set(&self, which: Marked) -> &FxHashSet<Id> {
        match which {
            Marked::Risks => &self.risks,
            Marked::Controls => &self.controls,
            Marked::Soa => &self.soa,
        }
    }

    fn set_mut(&mut self, which: Marked) -> &mut FxHashSet<Id> {
        match which {
            Marked::Risks => &mut self.risks,
            Marked::Controls => &mut self.controls,
            Marked::Soa => &mut self.soa,
        }
    }

    /// How many rows of this kind are marked.
    pub fn count(&self, which: Marked) -> usize {
        self.set(which).len()
    }

    /// Forgets every mark (the register was read again).
    pub fn clear(&mut self) {
        *self = Marks::default();
    }
}

/// One edit of the bulk-edit menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkChoice {
    /// SoA: applicable (Yes), with one reason for all.
    Include,
    /// SoA: excluded, with one reason for all.
    Exclude,
    /// SoA: the decision removed (Undecided, or Yes where risks or
    /// factors need the control).
    Undecided,
    /// Controls: this implementation status.
    Status(ControlStatus),
    /// Controls: one effectiveness (asked for).
    Effectiveness,
    /// Risks: one owner (asked for).
    Owner,
    /// Risks: this treatment.
    Treatment(Treatment),
}

impl BulkChoice {
    /// The menu of `which`, in the order it lists them.
    pub fn menu(which: Marked) -> Vec<BulkChoice> {
        match which {
            Marked::Soa => vec![
                BulkChoice::Exclude,
                BulkChoice::Include,
                BulkChoice::Undecided,
            ],
            Marked::Controls => ControlStatus::ALL
                .into_iter()
                .map(BulkChoice::Status)
                .chain([BulkChoice::Effectiveness])
                .collect(),
            Marked::Risks => std::iter::once(BulkChoice::Owner)
                .chain(Treatment::ALL.into_iter().map(BulkChoice::Treatment))
                .collect(),
        }
    }

    /// The picker's value for this choice.
    pub fn value(self) -> String {
        match self {
            BulkChoice::Include => "include".into(),
            BulkChoice::Exclude => "exclude".into(),
            BulkChoice::Undecided => "undecided".into(),
            BulkChoice::Status(s) => format!("status {}", s.as_str()),
            BulkChoice::Effectiveness => "effectiveness".into(),
            BulkChoice::Owner => "owner".into(),
            BulkChoice::Treatment(t) => format!("treatment {}", t.as_str()),
        }
    }

    /// The choice a picker value of `which`'s menu stands for; `None` for
    /// anything else (an unknown answer does nothing).
    pub fn of(which: Marked, value: &str) -> Option<BulkChoice> {
        Self::menu(which).into_iter().find(|c| c.value() == value)
    }

    /// What the menu shows for it.
    fn label(self) -> String {
        match self {
            BulkChoice::Exclude => "Exclude (not applicable), with one reason…".into(),
            BulkChoice::Include => "Applicable (Yes), with one reason…".into(),
            BulkChoice::Undecided => {
                "Back to Undecided (the decision removed; risks and factors still count)".into()
            }
            BulkChoice::Status(s) => format!("Status: {}", s.as_str()),
            BulkChoice::Effectiveness => "Effectiveness (0-100)…".into(),
            BulkChoice::Owner => "Owner…".into(),
            BulkChoice::Treatment(t) => format!("Treatment: {}", t.as_str()),
        }
    }

    /// The prompt's title when the choice needs one text for all (`n`:
    /// `30 controls`); `None` when it needs none.
    fn asks(self, n: &str) -> Option<String> {
        match self {
            BulkChoice::Exclude => Some(format!("Exclude {n} — why? (one reason for all)")),
            BulkChoice::Include => Some(format!("{n} applicable — why? (one reason for all)")),
            BulkChoice::Effectiveness => Some(format!("Effectiveness of {n} (0 to 100)")),
            BulkChoice::Owner => Some(format!("Owner of {n}")),
            BulkChoice::Undecided | BulkChoice::Status(_) | BulkChoice::Treatment(_) => None,
        }
    }

    /// The prompt's answer, checked: the text to apply, or what is wrong
    /// with it (the prompt stays open).
    pub fn check(self, text: &str) -> Result<String, String> {
        let text = text.trim();
        match self {
            _ if text.is_empty() => Err(match self {
                BulkChoice::Owner => "Give the owner's name".into(),
                BulkChoice::Effectiveness => "Give the effectiveness, 0 to 100".into(),
                _ => "A decision needs a reason: give one".into(),
            }),
            BulkChoice::Effectiveness => match text.parse::<u32>() {
                Ok(n) if n <= 100 => Ok(n.to_string()),
                _ => Err(format!(
                    "Effectiveness is a whole number from 0 to 100, not {text:?}"
                )),
            },
            _ => Ok(text.to_string()),
        }
    }
}

impl App {
    /// The id of `item` (a row of a view using `which`'s marks).
    fn row_id(&self, which: Marked, item: usize) -> Option<Id> {
        let reg = self.doc.register();
        match which {
            Marked::Risks => reg.risks.get(item).map(|r| r.id.clone()),
            Marked::Controls => control_row(reg, item).map(|c| Id::from(c.id)),
            Marked::Soa => Catalog::annex_a()
                .controls()
                .get(item)
                .map(|c| c.id.clone()),
        }
    }

    /// Whether row `item` of `view` is marked (drawn with a marker).
    pub fn is_marked(&self, view: View, item: usize) -> bool {
        let Some(which) = Marked::of(view) else {
            return false;
        };
        let set = self.marks.set(which);
        !set.is_empty() && self.row_id(which, item).is_some_and(|id| set.contains(&id))
    }

    /// How many rows of `view` are marked (0 where rows are not marked).
    pub fn marked_count(&self, view: View) -> usize {
        Marked::of(view).map_or(0, |which| self.marks.count(which))
    }

    /// `space` / `v`: marks or unmarks the selected row and moves down one;
    /// on the Environment view, switches the selected factor.
    pub(super) fn toggle_mark(&mut self) {
        if self.view == View::Environment {
            self.toggle_factor();
            return;
        }
        let Some(which) = Marked::of(self.view) else {
            self.info("Rows are marked in the Risks, Controls and SoA views (and the top risks)");
            return;
        };
        let Some(id) = self.selected_item().and_then(|i| self.row_id(which, i)) else {
            self.info(if self.view == View::Dashboard {
                "The dashboard marks its top risks: tab to the list first"
            } else {
                "No row selected"
            });
            return;
        };
        let set = self.marks.set_mut(which);
        if !set.remove(&id) {
            set.insert(id);
        }
        self.move_by(Context::Table, 1);
    }

    /// After items came or went: forgets the marks of ids the register no
    /// longer has (a deleted risk), so the count shown is what a bulk
    /// edit would change.
    pub(super) fn prune_marks(&mut self) {
        for which in [Marked::Risks, Marked::Controls, Marked::Soa] {
            if self.marks.count(which) == 0 {
                continue;
            }
            let n = match which {
                Marked::Risks => self.doc.register().risks.len(),
                Marked::Controls => self.ctx().item_count(View::Controls),
                Marked::Soa => Catalog::annex_a().len(),
            };
            let present: FxHashSet<Id> = (0..n).filter_map(|i| self.row_id(which, i)).collect();
            self.marks.set_mut(which).retain(|id| present.contains(id));
        }
    }

    /// Esc with no filter left to clear: unmarks the view's rows. False
    /// when none were marked (esc then does what it did before).
    pub(super) fn unmark_view(&mut self) -> bool {
        let Some(which) = Marked::of(self.view) else {
            return false;
        };
        let n = self.marks.count(which);
        if n == 0 {
            return false;
        }
        self.marks.set_mut(which).clear();
        self.info(format!("Unmarked {}", which.count(n)));
        true
    }

    /// What a bulk edit of `which` acts on: the marked items (indices into
    /// the view's items, in register order), or the selected row when
    /// nothing is marked.
    fn bulk_items(&self, which: Marked) -> Vec<usize> {
        let set = self.marks.set(which);
        if set.is_empty() {
            return self.selected_item().into_iter().collect();
        }
        let n = match which {
            Marked::Risks => self.doc.register().risks.len(),
            Marked::Controls => self.ctx().item_count(View::Controls),
            Marked::Soa => Catalog::annex_a().len(),
        };
        (0..n)
            .filter(|&i| self.row_id(which, i).is_some_and(|id| set.contains(&id)))
            .collect()
    }

    /// `B`: the menu of bulk edits that fit the view, titled with what
    /// they will change (and how many of those a filter hides).
    pub(super) fn bulk_edit(&mut self) {
        let Some(which) = Marked::of(self.view) else {
            self.info("Bulk edits work in the Risks, Controls and SoA views (and the top risks)");
            return;
        };
        let items = self.bulk_items(which);
        let marked = self.marks.count(which) > 0;
        let title = match items.as_slice() {
            [] if marked => {
                self.info("The marked rows are gone: nothing to edit");
                return;
            }
            [] => {
                self.info("No row selected: mark rows with v first");
                return;
            }
            &[one] if !marked => match self.row_id(which, one) {
                Some(id) => format!("Bulk edit: {id} only (nothing marked: v marks rows)"),
                None => return,
            },
            _ => {
                let view = self.view;
                let shown = self
                    .table(view)
                    .rows
                    .iter()
                    .filter(|&&i| self.is_marked(view, i))
                    .count();
                let hidden = items.len().saturating_sub(shown);
                let mut title = format!("Bulk edit: {} marked", which.count(items.len()));
                if hidden > 0 {
                    title.push_str(&format!(
                        " ({hidden} not shown: the filter hides them; all {} change)",
                        items.len()
                    ));
                }
                title
            }
        };
        let choices = BulkChoice::menu(which)
            .into_iter()
            .map(|c| Choice {
                value: c.value(),
                label: c.label(),
                hint: String::new(),
            })
            .collect();
        self.modals.push(Modal::Picker(Picker::new(
            &title,
            choices,
            PickerPurpose::Bulk(which),
        )));
    }

    /// The menu's answer: asks for the text it needs (`text` is `None`),
    /// else applies it.
    pub(super) fn bulk_chosen(&mut self, which: Marked, choice: BulkChoice, text: Option<String>) {
        let items = self.bulk_items(which);
        match (choice.asks(&which.count(items.len())), text) {
            (Some(title), None) => {
                self.modals.push(Modal::Prompt(Prompt {
                    title,
                    field: TextField::new(""),
                    purpose: PromptPurpose::Bulk(which, choice),
                }));
            }
            (_, text) => self.bulk_apply(which, choice, &items, text.unwrap_or_default()),
        }
    }

    /// Applies `choice` (with `text`) to `items` as one [`Edit::Bulk`],
    /// then clears the marks.
    fn bulk_apply(&mut self, which: Marked, choice: BulkChoice, items: &[usize], text: String) {
        let reg = self.doc.register();
        let n = which.count(items.len());
        let (edits, summary) = match choice {
            BulkChoice::Include | BulkChoice::Exclude | BulkChoice::Undecided => {
                let decision = (choice != BulkChoice::Undecided)
                    .then(|| (choice == BulkChoice::Include, text.clone()));
                let summary = match choice {
                    BulkChoice::Include => format!("{n} applicable: {text}"),
                    BulkChoice::Exclude => format!("{n} excluded: {text}"),
                    _ => format!("{n} back to Undecided"),
                };
                (decisions(reg, items, decision), summary)
            }
            BulkChoice::Status(status) => (
                control_states(reg, items, |s| s.status = status),
                format!("{n} now {}", status.as_str()),
            ),
            BulkChoice::Effectiveness => {
                let value = text.parse::<u32>().unwrap_or(DEFAULT_EFFECTIVENESS);
                (
                    control_states(reg, items, |s| s.effectiveness = value),
                    format!("{n} at effectiveness {value}"),
                )
            }
            BulkChoice::Owner => (
                risks(reg, items, |r| r.owner = text.clone()),
                format!("{n} now owned by {text}"),
            ),
            BulkChoice::Treatment(t) => (
                risks(reg, items, |r| r.treatment = t),
                format!("{n} now treated: {}", t.as_str()),
            ),
        };
        if edits.is_empty() {
            self.info(format!("Nothing to change: {summary} already"));
            self.marks.set_mut(which).clear();
            return;
        }
        let depth = self.doc.history().undo_len();
        self.apply_edit(
            Edit::Bulk {
                summary: summary.clone(),
                edits,
            },
            summary.clone(),
        );
        if self.doc.history().undo_len() == depth {
            // Not applied (read-only, say): the marks stay for another go.
            return;
        }
        self.marks.set_mut(which).clear();
        if which == Marked::Soa {
            self.say_soa_outcome(choice, items, &summary);
        }
    }

    /// After a bulk SoA decision: what the decision could not settle —
    /// excluded controls that risks or factors need (an error `check`
    /// reports), controls left Yes by risks or factors after "Undecided".
    fn say_soa_outcome(&mut self, choice: BulkChoice, items: &[usize], summary: &str) {
        let entries = &self.doc.analysis().soa.entries;
        let of = |i: &usize| entries.get(*i);
        let note = match choice {
            BulkChoice::Exclude => {
                let needed = items.iter().filter_map(of).filter(|e| e.conflict).count();
                (needed > 0).then(|| {
                    format!("{needed} needed by risks or factors: error excluded-but-needed")
                })
            }
            BulkChoice::Undecided => {
                let yes = items
                    .iter()
                    .filter_map(of)
                    .filter(|e| e.applicable == Applicability::Yes)
                    .count();
                (yes > 0).then(|| format!("{yes} stay Yes: risks or factors need them"))
            }
            _ => None,
        };
        match note {
            Some(note) if choice == BulkChoice::Exclude => {
                self.error(format!("{summary} — {note}"));
            }
            Some(note) => self.info(format!("{summary} — {note}")),
            None => {}
        }
    }
}

/// The decisions for the SoA rows `items` (catalog indices): each set to
/// `decision` (applicable, reason), or removed (`None`). Unchanged ones are
/// left out; new decisions go at the end, removals last from the end, so
/// every index holds when the edits apply in order.
fn decisions(reg: &Register, items: &[usize], decision: Option<(bool, String)>) -> Vec<Edit> {
    let catalog = Catalog::annex_a();
    let mut edits = Vec::new();
    let mut removals = Vec::new();
    let mut end = reg.decisions.len();
    for info in items.iter().filter_map(|&i| catalog.controls().get(i)) {
        let at = reg.decisions.iter().position(|d| d.control == info.id);
        let before = at.and_then(|at| reg.decisions.get(at));
        match (&decision, at, before) {
            (None, Some(at), Some(d)) => removals.push(Edit::Remove {
                at,
                item: Item::Decision(d.clone()),
            }),
            (None, _, _) => {}
            (Some((applicable, reason)), at, before) => {
                let after = Decision {
                    control: info.id.clone(),
                    applicable: *applicable,
                    reason: reason.clone(),
                };
                match (at, before) {
                    (Some(at), Some(b)) if *b != after => edits.push(Edit::Replace {
                        at,
                        before: Item::Decision(b.clone()),
                        after: Item::Decision(after),
                    }),
                    (Some(_), _) => {}
                    (None, _) => {
                        edits.push(Edit::Insert {
                            at: end,
                            item: Item::Decision(after),
                        });
                        end += 1;
                    }
                }
            }
        }
    }
    removals.sort_by_key(|e| match e {
        Edit::Remove { at, .. } => std::cmp::Reverse(*at),
        _ => std::cmp::Reverse(0),
    });
    edits.extend(removals);
    edits
}

/// The state entries of the Controls rows `items`, each changed by
/// `change`: an entry the register has is replaced, a control without one
/// gets one (the defaults, changed) at the end. Unchanged ones are left out.
fn control_states(
    reg: &Register,
    items: &[usize],
    change: impl Fn(&mut ControlState),
) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut end = reg.controls.len();
    for row in items.iter().filter_map(|&i| control_row(reg, i)) {
        match reg.controls.iter().position(|s| s.id == row.id) {
            Some(at) => {
                let before = reg.controls[at].clone();
                let mut after = before.clone();
                change(&mut after);
                if after != before {
                    edits.push(Edit::Replace {
                        at,
                        before: Item::Control(before),
                        after: Item::Control(after),
                    });
                }
            }
            None => {
                let fresh = ControlState {
                    id: Id::from(row.id),
                    status: ControlStatus::NotStarted,
                    effectiveness: DEFAULT_EFFECTIVENESS,
                    owner: String::new(),
                    note: String::new(),
                    evidence: Vec::new(),
                };
                let mut after = fresh.clone();
                change(&mut after);
                if after != fresh {
                    edits.push(Edit::Insert {
                        at: end,
                        item: Item::Control(after),
                    });
                    end += 1;
                }
            }
        }
    }
    edits
}

/// The risks `items`, each changed by `change`; unchanged ones left out.
fn risks(reg: &Register, items: &[usize], change: impl Fn(&mut crate::domain::Risk)) -> Vec<Edit> {
    items
        .iter()
        .filter_map(|&at| {
            let before = reg.risks.get(at)?;
            let mut after = before.clone();
            change(&mut after);
            (after != *before).then(|| Edit::Replace {
                at,
                before: Item::Risk(before.clone()),
                after: Item::Risk(after),
            })
        })
        .collect()
}
