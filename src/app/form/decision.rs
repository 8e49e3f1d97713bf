//! The SoA decision for an Annex A control.

use super::{Change, Field, Form, FormTarget};
use crate::app::edit::Item;
use crate::domain::*;

form_fields! {
    /// The fields of the SoA decision form.
    DecisionField => Decision {
        Decision => "Decision",
        Reason => "Reason",
    }
}

impl Form {
    pub fn decision(reg: &Register, control: usize) -> Form {
        let info = &Catalog::annex_a().controls()[control.min(92)];
        let d = reg.decisions.iter().find(|d| d.control == info.id);
        let fields = DecisionField::ALL
            .iter()
            .map(|&f| match f {
                DecisionField::Decision => Field::choice(
                    f,
                    vec![
                        "none (derive from risks and factors)".into(),
                        "applicable".into(),
                        "excluded".into(),
                    ],
                    match d {
                        None => 0,
                        Some(d) if d.applicable => 1,
                        Some(_) => 2,
                    },
                ),
                DecisionField::Reason => Field::text(f, d.map_or("", |d| d.reason.as_str())),
            })
            .collect();
        Form::new(
            format!("SoA decision for {} {}", info.id, info.title),
            FormTarget::Decision(control),
            None,
            fields,
        )
        .opened()
    }

    pub(super) fn submit_decision(&self, reg: &Register, c: usize) -> Result<Change, String> {
        let id = Catalog::annex_a().controls()[c.min(92)].id.clone();
        let existing = reg.decisions.iter().position(|d| d.control == id);
        let choice = self.choice(DecisionField::Decision);
        let after = if choice == 0 {
            None
        } else {
            let reason = self.text(DecisionField::Reason);
            if reason.is_empty() {
                return Err("Reason: a decision needs a reason".into());
            }
            Some(Item::Decision(Decision {
                control: id,
                applicable: choice == 1,
                reason,
            }))
        };
        Ok((
            existing.map(|i| Item::Decision(reg.decisions[i].clone())),
            after,
            existing.unwrap_or(reg.decisions.len()),
        ))
    }
}
