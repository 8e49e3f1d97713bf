//! An own control (REGISTER.md §5: a control from a source other than
//! Annex A, 6.1.3 b): what it is — id, title, types, the Annex A controls
//! it maps to — and its implementation state, in one form. The state is
//! the control's `controls[]` entry, as for an Annex A control, so a form
//! that changes only the state makes the same edit the control form makes
//! (and re-evaluates only the risks linking it).

use super::{Field, Form, FormTarget, RefSource, ids, next_id, strings, unique};
use crate::app::edit::{Edit, Item};
use crate::domain::schema2::looks_like_annex_a;
use crate::domain::*;

form_fields! {
    /// The fields of the own control form.
    OwnControlField => OwnControl {
        Id => "ID",
        Title => "Title",
        Types => "Types",
        MapsTo => "Maps to",
        Status => "Status",
        Effectiveness => "Effectiveness",
        Owner => "Owner",
        Note => "Note",
    }
}

use ControlType::{Corrective as C, Detective as D, Preventive as P};

/// The types an own control may have, as the form offers them.
const TYPES: [&[ControlType]; 7] = [&[P], &[D], &[C], &[P, D], &[P, C], &[D, C], &[P, D, C]];

fn types_label(types: &[ControlType]) -> String {
    let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    names.join(", ")
}

/// Whether two lists of types name the same set.
fn same_types(a: &[ControlType], b: &[ControlType]) -> bool {
    a.iter().all(|t| b.contains(t)) && b.iter().all(|t| a.contains(t))
}

impl Form {
    /// The form for own control `index` (`None`: a new one).
    pub fn own_control(reg: &Register, index: Option<usize>) -> Form {
        let own = index.and_then(|i| reg.own_controls.get(i));
        let state = own.and_then(|o| reg.controls.iter().find(|c| c.id == o.id));
        let fresh = next_id("ORG-", 1, reg.own_controls.iter().map(|c| c.id.as_str()));
        let fields = OwnControlField::ALL
            .iter()
            .map(|&f| match f {
                OwnControlField::Id => Field::text(f, own.map_or(fresh.as_str(), |o| &o.id)),
                OwnControlField::Title => Field::text(f, own.map_or("", |o| o.title.as_str())),
                OwnControlField::Types => Field::choice(
                    f,
                    TYPES.iter().map(|t| types_label(t)).collect(),
                    own.and_then(|o| TYPES.iter().position(|t| same_types(t, &o.types)))
                        .unwrap_or(0),
                ),
                OwnControlField::MapsTo => Field::links(
                    f,
                    own.map(|o| strings(&o.maps_to)).unwrap_or_default(),
                    // Annex A ids only: an own id there is `unknown-control`.
                    RefSource::Controls,
                ),
                OwnControlField::Status => super::control::status_field(f, state),
                OwnControlField::Effectiveness => super::control::effectiveness_field(f, state),
                OwnControlField::Owner => Field::text(f, state.map_or("", |s| s.owner.as_str())),
                OwnControlField::Note => Field::text(f, state.map_or("", |s| s.note.as_str())),
            })
            .collect();
        Form::new(
            own.map_or("New own control".into(), |o| {
                format!("Own control {} {}", o.id, o.title)
            }),
            FormTarget::OwnControl(index),
            own.cloned().map(Item::OwnControl),
            fields,
        )
        .opened()
    }

    /// The own control as submitted and its state: one edit, or a batch of
    /// the definition's and the state's when both change.
    pub(super) fn submit_own_control(
        &self,
        reg: &Register,
        index: Option<usize>,
    ) -> Result<Option<Edit>, String> {
        let id = self.required(OwnControlField::Id)?;
        if id.contains(char::is_whitespace) {
            return Err("ID: no spaces in a control id".into());
        }
        if looks_like_annex_a(&id) {
            return Err(format!(
                "ID: {id:?} has the form of an Annex A id; choose another (e.g. ORG-1)"
            ));
        }
        let own_ids = reg.own_controls.iter().enumerate();
        unique(&id, &mut own_ids.map(|(i, c)| (i, c.id.as_str())), index)?;
        let title = self.required(OwnControlField::Title)?;
        let old = match &self.original {
            Some(Item::OwnControl(x)) => Some(x),
            _ => None,
        };
        if let Some(o) = old
            && o.id != id
            && (reg.risks.iter().any(|r| r.controls.contains(&o.id))
                || reg.actions.iter().any(|a| a.controls.contains(&o.id)))
        {
            return Err(format!(
                "ID: risks or actions link {}; it cannot be renamed",
                o.id
            ));
        }
        let chosen = TYPES[self.choice(OwnControlField::Types).min(TYPES.len() - 1)];
        let types = match old {
            // The same set in another order is no change.
            Some(o) if same_types(chosen, &o.types) => o.types.clone(),
            _ => chosen.to_vec(),
        };
        let definition = OwnControl {
            id: id.as_str().into(),
            title,
            types,
            maps_to: ids(&self.links(OwnControlField::MapsTo)),
        };
        let at = index.unwrap_or(reg.own_controls.len());
        let define = match old {
            Some(o) if *o == definition => None,
            Some(o) => Some(Edit::Replace {
                at,
                before: Item::OwnControl(o.clone()),
                after: Item::OwnControl(definition),
            }),
            None => Some(Edit::Insert {
                at,
                item: Item::OwnControl(definition),
            }),
        };

        // The state, kept under the (possibly new) id.
        let old_id = old.map_or(id.as_str(), |o| o.id.as_str());
        let found = reg.controls.iter().position(|s| s.id == old_id);
        let state = ControlState {
            // Not on the form: kept from the entry as it was.
            evidence: found
                .map(|i| reg.controls[i].evidence.clone())
                .unwrap_or_default(),
            id: id.as_str().into(),
            status: ControlStatus::ALL[self.choice(OwnControlField::Status).min(3)],
            effectiveness: self.number(OwnControlField::Effectiveness)? as u32,
            owner: self.text(OwnControlField::Owner),
            note: self.text(OwnControlField::Note),
        };
        let record = match found {
            Some(i) if reg.controls[i] == state => None,
            Some(i) => Some(Edit::Replace {
                at: i,
                before: Item::Control(reg.controls[i].clone()),
                after: Item::Control(state),
            }),
            // The defaults for an unrecorded control record nothing.
            None if state.status == ControlStatus::NotStarted
                && state.effectiveness == DEFAULT_EFFECTIVENESS
                && state.owner.is_empty()
                && state.note.is_empty() =>
            {
                None
            }
            None => Some(Edit::Insert {
                at: reg.controls.len(),
                item: Item::Control(state),
            }),
        };
        Ok(match (define, record) {
            (Some(d), Some(r)) => Some(Edit::Batch(vec![d, r])),
            (d, r) => d.or(r),
        })
    }
}
