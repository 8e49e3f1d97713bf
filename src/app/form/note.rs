//! A note on a risk (REGISTER.md §5 `risks[].notes`: on, by, text): who
//! said it and what, dated the day it is added. Submitting replaces the
//! risk with the note appended, so adding a note is one undoable step.

use chrono::NaiveDate;

use super::{Change, Field, Form, FormTarget};
use crate::app::edit::Item;
use crate::domain::*;

form_fields! {
    /// The fields of the note form.
    NoteField => Note {
        By => "By",
        Text => "Note",
    }
}

impl Form {
    /// The form for a new note on risk `risk`, dated `today`, its author
    /// prefilled with `author` (the last one used this session); the focus
    /// on the first field left to fill in.
    pub fn note(reg: &Register, risk: usize, today: NaiveDate, author: &str) -> Option<Form> {
        let r = reg.risks.get(risk)?;
        let fields = NoteField::ALL
            .iter()
            .map(|&f| match f {
                NoteField::By => Field::text(f, author),
                NoteField::Text => Field::text(f, ""),
            })
            .collect();
        let mut form = Form::new(
            format!("Note on {} ({today})", r.id),
            FormTarget::Note { risk, today },
            Some(Item::Risk(r.clone())),
            fields,
        );
        let start = if author.trim().is_empty() {
            NoteField::By
        } else {
            NoteField::Text
        };
        form.focus_field(start);
        Some(form)
    }

    /// The author the note form names (for remembering it): `None` for any
    /// other form.
    pub fn note_author(&self) -> Option<String> {
        matches!(self.target, FormTarget::Note { .. }).then(|| self.text(NoteField::By))
    }

    pub(super) fn submit_note(
        &self,
        reg: &Register,
        risk: usize,
        today: NaiveDate,
    ) -> Result<Change, String> {
        let Some(Item::Risk(before)) = &self.original else {
            return Err("The risk is no longer there".into());
        };
        if reg.risks.get(risk) != Some(before) {
            return Err("The risk changed meanwhile: open the note form again".into());
        }
        let mut after = before.clone();
        after.notes.push(Note {
            on: today,
            by: self.required(NoteField::By)?,
            text: self.required(NoteField::Text)?,
        });
        Ok((
            Some(Item::Risk(before.clone())),
            Some(Item::Risk(after)),
            risk,
        ))
    }
}
