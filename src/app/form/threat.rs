//! The threat form.

use super::{Change, Field, Form, FormTarget, next_id, unique};
use crate::app::edit::Item;
use crate::domain::*;

form_fields! {
    /// The fields of the threat form.
    ThreatField => Threat {
        Id => "ID",
        Name => "Name",
        Shift => "Shift",
        Source => "Source",
    }
}

impl Form {
    pub fn threat(reg: &Register, index: Option<usize>) -> Form {
        let t = index.and_then(|i| reg.threats.get(i));
        let n = reg.method.likelihood.len() as i64;
        let fields = ThreatField::ALL
            .iter()
            .map(|&f| match f {
                ThreatField::Id => Field::text(
                    f,
                    &t.map(|t| t.id.clone()).unwrap_or_else(|| {
                        next_id("T-", 2, reg.threats.iter().map(|t| t.id.as_str())).into()
                    }),
                ),
                ThreatField::Name => Field::text(f, t.map_or("", |t| t.name.as_str())),
                ThreatField::Shift => Field::number(f, t.map_or(0, |t| i64::from(t.shift)), -n, n),
                // Where a library threat came from (`BSI G 0.23`); empty
                // for the register's own threats.
                ThreatField::Source => Field::text(f, t.map_or("", |t| t.source.as_str())),
            })
            .collect();
        Form::new(
            t.map_or("New threat".into(), |t| format!("Edit threat {}", t.id)),
            FormTarget::Threat(index),
            index
                .and_then(|i| reg.threats.get(i))
                .cloned()
                .map(Item::Threat),
            fields,
        )
        .opened()
    }

    pub(super) fn submit_threat(
        &self,
        reg: &Register,
        index: Option<usize>,
    ) -> Result<Change, String> {
        let id = self.required(ThreatField::Id)?;
        unique(
            &id,
            &mut reg
                .threats
                .iter()
                .enumerate()
                .map(|(i, t)| (i, t.id.as_str())),
            index,
        )?;
        let old = match &self.original {
            Some(Item::Threat(x)) => Some(x),
            _ => None,
        };
        if let Some(o) = old
            && o.id != id
            && reg.risks.iter().any(|r| r.threat == o.id)
        {
            return Err(format!("ID: risks refer to {}; it cannot be renamed", o.id));
        }
        let threat = Threat {
            source: self.text(ThreatField::Source).trim().to_string(),
            id: id.into(),
            name: self.required(ThreatField::Name)?,
            shift: self.number(ThreatField::Shift)? as i32,
        };
        Ok((
            old.cloned().map(Item::Threat),
            Some(Item::Threat(threat)),
            index.unwrap_or(reg.threats.len()),
        ))
    }
}
