//! The action form: a new or edited action of the treatment plan
//! (REGISTER.md §5), including one pre-filled from a risk row.

use chrono::NaiveDate;

use super::{Change, Field, Form, FormTarget, RefSource, ids, next_id, strings, unique};
use crate::app::edit::Item;
use crate::domain::model::{Action, ActionStatus};
use crate::domain::*;

form_fields! {
    /// The fields of the action form.
    ActionField => Action {
        Id => "ID",
        Title => "Title",
        Status => "Status",
        Owner => "Owner",
        Due => "Due",
        Risks => "Risks",
        Controls => "Controls",
        Effort => "Effort (days)",
        Cost => "Cost",
        Note => "Note",
    }
}

/// The next free action id: `ACT-118` after `ACT-117` (the highest
/// numeric suffix, so a gap left by a deletion is never reused).
pub fn next_action_id(reg: &Register) -> String {
    next_id("ACT-", 3, reg.actions.iter().map(|a| a.id.as_str()))
}

/// An empty action with the next free id, open, for `risks`.
pub fn new_action(reg: &Register) -> Action {
    Action {
        id: next_action_id(reg).into(),
        title: String::new(),
        risks: Vec::new(),
        controls: Vec::new(),
        owner: String::new(),
        due: None,
        status: ActionStatus::Open,
        done_on: None,
        effort_days: None,
        cost: None,
        note: String::new(),
    }
}

/// `done_on` after a status change: today when an action becomes done,
/// kept while it stays done, cleared when it leaves done (a reopened
/// action is not finished).
pub fn done_on_after(before: &Action, status: ActionStatus, today: NaiveDate) -> Option<NaiveDate> {
    match (before.status, status) {
        (ActionStatus::Done, ActionStatus::Done) => before.done_on,
        (_, ActionStatus::Done) => Some(today),
        _ => None,
    }
}

impl Form {
    /// The form of action `index` (`None`: `draft`, a new action, which may
    /// come pre-filled). `today` is what "done on" becomes when the
    /// status is set to done here.
    pub fn action(
        reg: &Register,
        index: Option<usize>,
        draft: Option<Action>,
        today: NaiveDate,
    ) -> Form {
        let existing = index.and_then(|i| reg.actions.get(i));
        let a = match existing {
            Some(a) => a.clone(),
            None => draft.unwrap_or_else(|| new_action(reg)),
        };
        let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        let fields = ActionField::ALL
            .iter()
            .map(|&f| match f {
                ActionField::Id => Field::text(f, &a.id),
                ActionField::Title => Field::text(f, &a.title),
                ActionField::Status => Field::choice(
                    f,
                    ActionStatus::ALL
                        .iter()
                        .map(|s| s.as_str().to_string())
                        .collect(),
                    ActionStatus::ALL
                        .iter()
                        .position(|s| *s == a.status)
                        .unwrap_or(0),
                ),
                ActionField::Owner => Field::text(f, &a.owner),
                ActionField::Due => Field::date(f, a.due, true),
                ActionField::Risks => Field::links(f, strings(&a.risks), RefSource::Risks),
                ActionField::Controls => {
                    Field::links(f, strings(&a.controls), RefSource::AnyControl)
                }
                ActionField::Effort => Field::text(f, &number(a.effort_days.map(u64::from))),
                ActionField::Cost => Field::text(f, &number(a.cost)),
                ActionField::Note => Field::text(f, &a.note),
            })
            .collect();
        let title = match existing {
            Some(a) => format!("Edit action {}", a.id),
            None if a.risks.is_empty() => "New action".to_string(),
            None => format!("New action for {}", strings(&a.risks).join(", ")),
        };
        Form::new(
            title,
            FormTarget::Action { index, today },
            existing.cloned().map(Item::Action),
            fields,
        )
        .opened()
    }

    /// A whole number of 0 or more typed in field `id`; empty is none.
    fn count<T: std::str::FromStr>(&self, id: ActionField) -> Result<Option<T>, String> {
        let text = self.text(id);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<T>().map(Some).map_err(|_| {
            format!(
                "{}: {text:?} is not a whole number of 0 or more",
                id.label()
            )
        })
    }

    pub(super) fn submit_action(
        &self,
        reg: &Register,
        index: Option<usize>,
        today: NaiveDate,
    ) -> Result<Change, String> {
        let id = self.required(ActionField::Id)?;
        if id.contains(char::is_whitespace) {
            return Err("ID: no spaces in an action id".into());
        }
        unique(
            &id,
            &mut reg
                .actions
                .iter()
                .enumerate()
                .map(|(i, a)| (i, a.id.as_str())),
            index,
        )?;
        let title = self.required(ActionField::Title)?;
        let due = self.date(ActionField::Due)?;
        let effort_days = self.count::<u32>(ActionField::Effort)?;
        let cost = self.count::<u64>(ActionField::Cost)?;
        let status = ActionStatus::ALL
            .get(self.choice(ActionField::Status))
            .copied()
            .unwrap_or(ActionStatus::Open);
        let old = match &self.original {
            Some(Item::Action(x)) => Some(x),
            _ => None,
        };
        let before = old.cloned().unwrap_or_else(|| new_action(reg));
        let action = Action {
            id: id.into(),
            title,
            risks: ids(&self.links(ActionField::Risks)),
            controls: ids(&self.links(ActionField::Controls)),
            owner: self.text(ActionField::Owner),
            due,
            status,
            done_on: done_on_after(&before, status, today),
            effort_days,
            cost,
            note: self.text(ActionField::Note),
        };
        Ok((
            old.cloned().map(Item::Action),
            Some(Item::Action(action)),
            index.unwrap_or(reg.actions.len()),
        ))
    }
}
