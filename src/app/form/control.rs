//! The implementation state of an Annex A control.

use super::{Change, Field, FieldId, Form, FormTarget};
use crate::app::edit::Item;
use crate::domain::*;

form_fields! {
    /// The fields of the control form.
    ControlField => Control {
        Status => "Status",
        Effectiveness => "Effectiveness",
        Owner => "Owner",
        Note => "Note",
    }
}

/// A control's status as a choice field (its state's, or `NotStarted`):
/// the same field in the Annex A and the own control forms.
pub(super) fn status_field(f: impl Into<FieldId>, state: Option<&ControlState>) -> Field {
    Field::choice(
        f,
        ControlStatus::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        state
            .and_then(|s| ControlStatus::ALL.iter().position(|x| *x == s.status))
            .unwrap_or(0),
    )
}

/// A control's effectiveness, 0–100 (its state's, or the default).
pub(super) fn effectiveness_field(f: impl Into<FieldId>, state: Option<&ControlState>) -> Field {
    Field::number(
        f,
        i64::from(state.map_or(DEFAULT_EFFECTIVENESS, |s| s.effectiveness)),
        0,
        100,
    )
}

impl Form {
    pub fn control(reg: &Register, control: usize) -> Form {
        let info = &Catalog::annex_a().controls()[control.min(92)];
        let state = reg.controls.iter().find(|c| c.id == info.id);
        let fields = ControlField::ALL
            .iter()
            .map(|&f| match f {
                ControlField::Status => status_field(f, state),
                ControlField::Effectiveness => effectiveness_field(f, state),
                ControlField::Owner => Field::text(f, state.map_or("", |s| s.owner.as_str())),
                ControlField::Note => Field::text(f, state.map_or("", |s| s.note.as_str())),
            })
            .collect();
        Form::new(
            format!("Control {} {}", info.id, info.title),
            FormTarget::Control(control),
            None,
            fields,
        )
        .opened()
    }

    pub(super) fn submit_control(&self, reg: &Register, c: usize) -> Result<Change, String> {
        let id = Catalog::annex_a().controls()[c.min(92)].id.clone();
        let state = ControlState {
            // Not on the form: kept from the entry as it was.
            evidence: reg
                .controls
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.evidence.clone())
                .unwrap_or_default(),
            id: id.clone(),
            status: ControlStatus::ALL[self.choice(ControlField::Status).min(3)],
            effectiveness: self.number(ControlField::Effectiveness)? as u32,
            owner: self.text(ControlField::Owner),
            note: self.text(ControlField::Note),
        };
        Ok(match reg.controls.iter().position(|s| s.id == id) {
            Some(i) => (
                Some(Item::Control(reg.controls[i].clone())),
                Some(Item::Control(state)),
                i,
            ),
            // Submitting the defaults for an unrecorded control records
            // nothing.
            None if state.status == ControlStatus::NotStarted
                && state.effectiveness == DEFAULT_EFFECTIVENESS
                && state.owner.is_empty()
                && state.note.is_empty() =>
            {
                (None, None, 0)
            }
            None => (None, Some(Item::Control(state)), reg.controls.len()),
        })
    }
}
