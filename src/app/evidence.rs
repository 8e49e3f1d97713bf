//! Evidence per control in the workbench (REGISTER.md §5): the list of a
//! control's items and the form that adds, changes or removes one, the
//! Evidence column of the Controls and SoA tables, and the key that shows
//! and copies where an item is. Riskbench never follows a link itself.

use super::form::{Form, control_of_row};
use super::picker::{Choice, Picker, PickerPurpose};
use super::table::{Ctx, View};
use super::{App, Effect, Modal};
use crate::domain::evidence::{MISSING, STALE, newest, newest_evidence};
use crate::domain::{ControlState, ControlStatus, Register};
use crate::keymap::Context;

/// The evidence list's value for "a new item" (the others are indices).
const NEW: &str = "new";

/// The state entry of the control `id`, if the register records one.
fn state<'a>(reg: &'a Register, id: &str) -> Option<&'a ControlState> {
    reg.controls.iter().find(|s| s.id == id)
}

impl Ctx<'_> {
    /// The state entry of the control in row `row` of the Controls view
    /// (through the evaluation's index: cells are drawn every frame).
    fn row_state(&self, row: usize) -> (Option<crate::domain::Id>, Option<&ControlState>) {
        let id = control_of_row(self.reg, row);
        let s = id.as_ref().and_then(|id| {
            let at = *self.analysis.eval.lookups.control_state.get(id)?;
            self.reg.controls.get(at)
        });
        (id, s)
    }

    /// Whether `check` reports `code` for control `id`: the `!` of the
    /// Evidence column is exactly the warning, never a second rule.
    fn flagged(&self, code: &str, id: &str) -> bool {
        self.stats.findings_with(code) > 0
            && self
                .analysis
                .findings
                .iter()
                .any(|f| f.code == code && f.at == id)
    }

    /// The Evidence cell of row `row`: the newest item's age (`12d`,
    /// `400d !` when `evidence-stale` warns), `none !` when
    /// `evidence-missing` warns, `—` when there is none and none is asked.
    pub(crate) fn evidence_cell(&self, row: usize) -> String {
        let (Some(id), s) = self.row_state(row) else {
            return String::new();
        };
        match newest_evidence(s, self.analysis.eval.today) {
            Some(n) if self.flagged(STALE, &id) => format!("{}d !", n.age_days),
            Some(n) => format!("{}d", n.age_days),
            None if self.flagged(MISSING, &id) => "none !".into(),
            None => "—".into(),
        }
    }

    /// How the Evidence column sorts (ascending): nothing asked first, then
    /// by age, missing evidence that is asked for last (highest first, the
    /// column's natural direction, puts it on top).
    pub(crate) fn evidence_rank(&self, row: usize) -> i64 {
        let (Some(id), s) = self.row_state(row) else {
            return i64::MIN;
        };
        match newest_evidence(s, self.analysis.eval.today) {
            Some(n) => n.age_days,
            None if self.flagged(MISSING, &id) => i64::MAX,
            None => i64::MIN,
        }
    }
}

impl App {
    /// The row of the selected control in the Controls or SoA view, or a
    /// word on where evidence is recorded.
    fn evidence_row(&mut self) -> Option<usize> {
        if !matches!(self.view, View::Controls | View::Soa) {
            self.info("Evidence belongs to a control: select one in the Controls or SoA view");
            return None;
        }
        let row = self.selected_item();
        if row.is_none() {
            self.info("No control selected");
        }
        row
    }

    /// The evidence key: the form for a new item when the control has
    /// none, else the list of its items (newest first) after "new item".
    pub(super) fn evidence(&mut self) {
        let Some(row) = self.evidence_row() else {
            return;
        };
        let reg = self.doc.register();
        let Some(id) = control_of_row(reg, row) else {
            return;
        };
        let items = state(reg, &id).map_or(&[][..], |s| &s.evidence);
        if items.is_empty() {
            self.evidence_chosen(row, NEW);
            return;
        }
        let today = self.doc.today();
        let days = reg.method.evidence_days;
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by(|&a, &b| (items[b].on, b).cmp(&(items[a].on, a)));
        let mut choices = vec![Choice {
            value: NEW.into(),
            label: "+ New evidence item".into(),
            hint: "dated today".into(),
        }];
        choices.extend(order.into_iter().map(|i| {
            let e = &items[i];
            let mut label = format!("{} {}", e.on, e.what);
            for part in [&e.by, &e.at] {
                if !part.trim().is_empty() {
                    label.push_str(" · ");
                    label.push_str(part);
                }
            }
            let age = (today - e.on).num_days();
            let stale = days.is_some_and(|d| age > i64::from(d));
            Choice {
                value: i.to_string(),
                label,
                hint: format!("{age}d{}", if stale { " stale" } else { "" }),
            }
        }));
        let copy = self.key_hint(Context::Picker, super::Action::CopyEvidenceLink);
        let title = format!("Evidence of {id} — enter edits or removes · {copy} copies its link");
        self.modals.push(Modal::Picker(Picker::new(
            &title,
            choices,
            PickerPurpose::Evidence { row },
        )));
    }

    /// The evidence list's answer: the form for a new item (`new`) or for
    /// the item with that index. Anything else does nothing.
    pub(super) fn evidence_chosen(&mut self, row: usize, value: &str) {
        let index = match value {
            NEW => None,
            other => match other.parse::<usize>() {
                Ok(i) => Some(i),
                Err(_) => {
                    self.error(format!("Unknown evidence item {value:?}: nothing done"));
                    return;
                }
            },
        };
        match Form::evidence(self.doc.register(), row, index, self.doc.today()) {
            Some(form) => self.modals.push(Modal::Form(form)),
            None => self.error("That evidence item is no longer there"),
        }
    }

    /// Shows where the selected evidence is and copies it (OSC 52): the
    /// highlighted item of the evidence list when it is open, else the
    /// selected control's newest item.
    pub(super) fn copy_evidence_link(&mut self) -> Vec<Effect> {
        let picked = match self.modals.last() {
            Some(Modal::Picker(p)) => match p.purpose {
                PickerPurpose::Evidence { row } => {
                    Some((row, p.chosen().and_then(|c| c.value.parse::<usize>().ok())))
                }
                _ => None,
            },
            _ => None,
        };
        let (row, index) = match picked {
            Some(p) => p,
            None if self.modals.is_empty() => match self.evidence_row() {
                Some(row) => (row, None),
                None => return Vec::new(),
            },
            None => return Vec::new(),
        };
        let reg = self.doc.register();
        let Some(id) = control_of_row(reg, row) else {
            return Vec::new();
        };
        let s = state(reg, &id);
        let items = s.map_or(&[][..], |s| &s.evidence);
        let item = match index {
            Some(i) => items.get(i),
            None => newest(items).map(|(_, e)| e),
        };
        let Some(e) = item else {
            let missing = s.is_some_and(|s| s.status == ControlStatus::Implemented);
            let key = self.key_hint(Context::Table, super::Action::Evidence);
            self.info(format!(
                "{id} has no evidence{}: {key} records some",
                if missing {
                    " although it is Implemented"
                } else {
                    ""
                }
            ));
            return Vec::new();
        };
        if e.at.trim().is_empty() {
            self.info(format!(
                "{id}: {:?} ({}) says nothing about where it is",
                e.what, e.on
            ));
            return Vec::new();
        }
        let at = e.at.trim().to_string();
        // The link first: a long message is cut at the end.
        self.info(format!("{at} · {id}'s evidence, copied (OSC 52)"));
        vec![Effect::CopyToClipboard(at)]
    }

    /// The shortest key bound to `action` in `ctx`, for messages (the
    /// palette's name when it has none).
    fn key_hint(&self, ctx: Context, action: super::Action) -> String {
        self.keymap
            .keys_for(action)
            .into_iter()
            .filter(|(c, _)| *c == ctx)
            .map(|(_, k)| k)
            .min_by_key(|k| (k.chars().count(), k.clone()))
            .unwrap_or_else(|| format!(": {}", action.describe()))
    }
}
