//! The asset form.

use super::{Change, Field, Form, FormTarget, RefSource, next_id, unique};
use crate::app::edit::Item;
use crate::domain::*;

form_fields! {
    /// The fields of the asset form.
    AssetField => Asset {
        Id => "ID",
        Name => "Name",
        Kind => "Kind",
        Owner => "Owner",
        ScopeFactor => "Scope factor",
    }
}

impl Form {
    pub fn asset(reg: &Register, index: Option<usize>) -> Form {
        let a = index.and_then(|i| reg.assets.get(i));
        let fields = AssetField::ALL
            .iter()
            .map(|&f| match f {
                AssetField::Id => Field::text(
                    f,
                    &a.map(|a| a.id.clone()).unwrap_or_else(|| {
                        next_id("A-", 2, reg.assets.iter().map(|a| a.id.as_str())).into()
                    }),
                ),
                AssetField::Name => Field::text(f, a.map_or("", |a| a.name.as_str())),
                AssetField::Kind => Field::choice(
                    f,
                    AssetKind::ALL
                        .iter()
                        .map(|k| k.as_str().to_string())
                        .collect(),
                    a.and_then(|a| AssetKind::ALL.iter().position(|k| *k == a.kind))
                        .unwrap_or(0),
                ),
                AssetField::Owner => Field::text(f, a.map_or("", |a| a.owner.as_str())),
                AssetField::ScopeFactor => Field::reference(
                    f,
                    a.and_then(|a| a.factor.as_ref().map(Id::to_string)),
                    RefSource::Factors,
                    true,
                ),
            })
            .collect();
        Form::new(
            a.map_or("New asset".into(), |a| format!("Edit asset {}", a.id)),
            FormTarget::Asset(index),
            index
                .and_then(|i| reg.assets.get(i))
                .cloned()
                .map(Item::Asset),
            fields,
        )
        .opened()
    }

    pub(super) fn submit_asset(
        &self,
        reg: &Register,
        index: Option<usize>,
    ) -> Result<Change, String> {
        let id = self.required(AssetField::Id)?;
        unique(
            &id,
            &mut reg
                .assets
                .iter()
                .enumerate()
                .map(|(i, a)| (i, a.id.as_str())),
            index,
        )?;
        let old = match &self.original {
            Some(Item::Asset(x)) => Some(x),
            _ => None,
        };
        if let Some(o) = old
            && o.id != id
            && reg.risks.iter().any(|r| r.asset == o.id)
        {
            return Err(format!("ID: risks refer to {}; it cannot be renamed", o.id));
        }
        let asset = Asset {
            id: id.into(),
            name: self.required(AssetField::Name)?,
            kind: AssetKind::ALL[self.choice(AssetField::Kind).min(8)],
            owner: self.text(AssetField::Owner),
            factor: self.reference(AssetField::ScopeFactor).map(Id::from),
        };
        Ok((
            old.cloned().map(Item::Asset),
            Some(Item::Asset(asset)),
            index.unwrap_or(reg.assets.len()),
        ))
    }
}
