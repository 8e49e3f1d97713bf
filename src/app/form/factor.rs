//! The environment factor form.

use super::{Change, Field, Form, FormTarget, RefSource, ids, strings, unique};
use crate::app::edit::Item;
use crate::domain::*;

form_fields! {
    /// The fields of the factor form.
    FactorField => Factor {
        Id => "ID",
        Label => "Label",
        On => "On",
        Requires => "Requires",
    }
}

impl Form {
    pub fn factor(reg: &Register, index: Option<usize>) -> Form {
        let factor = index.and_then(|i| reg.factors.get(i));
        let fields = FactorField::ALL
            .iter()
            .map(|&f| match f {
                FactorField::Id => Field::text(f, factor.map_or("", |x| x.id.as_str())),
                FactorField::Label => Field::text(f, factor.map_or("", |x| x.label.as_str())),
                FactorField::On => Field::choice(
                    f,
                    vec!["off".into(), "on".into()],
                    usize::from(factor.is_some_and(|x| x.on)),
                ),
                FactorField::Requires => Field::links(
                    f,
                    factor.map(|x| strings(&x.requires)).unwrap_or_default(),
                    RefSource::Controls,
                ),
            })
            .collect();
        Form::new(
            factor.map_or("New factor".into(), |x| format!("Edit factor {}", x.id)),
            FormTarget::Factor(index),
            index
                .and_then(|i| reg.factors.get(i))
                .cloned()
                .map(Item::Factor),
            fields,
        )
        .opened()
    }

    pub(super) fn submit_factor(
        &self,
        reg: &Register,
        index: Option<usize>,
    ) -> Result<Change, String> {
        let id = self.required(FactorField::Id)?;
        if id.contains(char::is_whitespace) {
            return Err("ID: no spaces in a factor id".into());
        }
        unique(
            &id,
            &mut reg
                .factors
                .iter()
                .enumerate()
                .map(|(i, f)| (i, f.id.as_str())),
            index,
        )?;
        let old = match &self.original {
            Some(Item::Factor(x)) => Some(x),
            _ => None,
        };
        if let Some(o) = old
            && o.id != id
            && (reg.assets.iter().any(|a| a.factor.as_ref() == Some(&o.id))
                || reg.risks.iter().any(|r| r.factor.as_ref() == Some(&o.id)))
        {
            return Err(format!(
                "ID: assets or risks refer to {}; it cannot be renamed",
                o.id
            ));
        }
        let factor = Factor {
            id: id.into(),
            label: self.text(FactorField::Label),
            on: self.choice(FactorField::On) == 1,
            requires: ids(&self.links(FactorField::Requires)),
        };
        Ok((
            old.cloned().map(Item::Factor),
            Some(Item::Factor(factor)),
            index.unwrap_or(reg.factors.len()),
        ))
    }
}
