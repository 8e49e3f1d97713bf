//! One evidence item of a control (REGISTER.md §5: what, at, on, by): a new
//! one, or one already recorded, which the same form can also remove. The
//! change is an edit of the control's whole state entry, so adding,
//! changing or removing an item is one undoable step, and a control with no
//! `controls[]` entry yet gets one.

use chrono::NaiveDate;

use super::{Change, Field, Form, FormTarget};
use crate::app::edit::Item;
use crate::domain::*;

form_fields! {
    /// The fields of the evidence form.
    EvidenceField => Evidence {
        What => "What",
        At => "At (link or path)",
        On => "On",
        By => "By",
        Remove => "Remove",
    }
}

/// The answers of the Remove field, in order: keeping is the default.
const REMOVE: [&str; 2] = ["no", "yes: remove this item"];

/// The control shown in row `row` of the Controls (or SoA) view: the 93
/// Annex A controls in catalog order, then the register's own controls in
/// file order (issue 16: their section follows Annex A).
pub fn control_of_row(reg: &Register, row: usize) -> Option<Id> {
    crate::app::table::control_row(reg, row).map(|r| Id::from(r.id))
}

impl Form {
    /// The form for evidence item `index` of the control in row `row`
    /// (`None`: a new item, dated `today` and by the control's owner).
    pub fn evidence(
        reg: &Register,
        row: usize,
        index: Option<usize>,
        today: NaiveDate,
    ) -> Option<Form> {
        let id = control_of_row(reg, row)?;
        let state = reg.controls.iter().find(|s| s.id == id);
        let item = index.and_then(|i| state?.evidence.get(i));
        if index.is_some() && item.is_none() {
            return None;
        }
        let fields = EvidenceField::ALL
            .iter()
            // Only a recorded item can be removed.
            .filter(|&&f| f != EvidenceField::Remove || item.is_some())
            .map(|&f| match f {
                EvidenceField::What => Field::text(f, item.map_or("", |e| e.what.as_str())),
                EvidenceField::At => Field::text(f, item.map_or("", |e| e.at.as_str())),
                EvidenceField::On => Field::date(f, Some(item.map_or(today, |e| e.on)), false),
                EvidenceField::By => Field::text(
                    f,
                    item.map_or_else(|| state.map_or("", |s| s.owner.as_str()), |e| &e.by),
                ),
                EvidenceField::Remove => {
                    Field::choice(f, REMOVE.iter().map(|s| s.to_string()).collect(), 0)
                }
            })
            .collect();
        let n = state.map_or(0, |s| s.evidence.len());
        let title = match index {
            Some(i) => format!("Evidence {} of {n} for control {id}", i + 1),
            None => format!("New evidence for control {id}"),
        };
        Some(
            Form::new(
                title,
                FormTarget::Evidence { row, index },
                state.cloned().map(Item::Control),
                fields,
            )
            .opened(),
        )
    }

    /// Whether the form removes its item.
    fn removes(&self) -> bool {
        self.field(EvidenceField::Remove).is_some() && self.choice(EvidenceField::Remove) == 1
    }

    pub(super) fn submit_evidence(
        &self,
        reg: &Register,
        row: usize,
        index: Option<usize>,
    ) -> Result<Change, String> {
        let id = control_of_row(reg, row).ok_or("The control is no longer there")?;
        let before = match &self.original {
            Some(Item::Control(s)) => Some(s),
            _ => None,
        };
        let mut after = before.cloned().unwrap_or_else(|| ControlState {
            id: id.clone(),
            status: ControlStatus::NotStarted,
            effectiveness: DEFAULT_EFFECTIVENESS,
            owner: String::new(),
            note: String::new(),
            evidence: Vec::new(),
        });
        match index {
            Some(i) if i >= after.evidence.len() => {
                return Err("That evidence item is no longer there".into());
            }
            Some(i) if self.removes() => {
                after.evidence.remove(i);
            }
            _ => {
                let item = Evidence {
                    what: self.required(EvidenceField::What)?,
                    at: self.text(EvidenceField::At),
                    on: self
                        .date(EvidenceField::On)?
                        .ok_or("On: a date is required (YYYY-MM-DD)")?,
                    by: self.text(EvidenceField::By),
                };
                match index {
                    Some(i) => after.evidence[i] = item,
                    // The list is kept in the order items were recorded.
                    None => after.evidence.push(item),
                }
            }
        }
        Ok(match before {
            Some(b) => {
                let at = reg
                    .controls
                    .iter()
                    .position(|s| s == b)
                    .ok_or("The control's state changed meanwhile: open the form again")?;
                (
                    Some(Item::Control(b.clone())),
                    Some(Item::Control(after)),
                    at,
                )
            }
            None => (None, Some(Item::Control(after)), reg.controls.len()),
        })
    }

    /// What the status bar says after the evidence form was applied
    /// (`None` for any other form): the control and the item, in words.
    pub fn evidence_message(&self, reg: &Register) -> Option<String> {
        let FormTarget::Evidence { row, index } = self.target else {
            return None;
        };
        let id = control_of_row(reg, row)?;
        let (done, what) = match index {
            Some(i) if self.removes() => {
                let before = match &self.original {
                    Some(Item::Control(s)) => s.evidence.get(i).map(|e| e.what.clone()),
                    _ => None,
                };
                ("removed", before.unwrap_or_default())
            }
            Some(_) => ("updated", self.text(EvidenceField::What)),
            None => ("added", self.text(EvidenceField::What)),
        };
        Some(format!("{id}: evidence {done} ({what})"))
    }
}
