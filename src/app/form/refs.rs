//! Where a form's reference fields (an asset, a threat, linked controls,
//! an action's risks) draw their choices from.

use crate::app::picker::Choice;
use crate::domain::{Catalog, Register};

/// Where a reference field draws its choices from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefSource {
    Assets,
    Threats,
    Factors,
    Controls,
    /// The register's risks (an action's risks).
    Risks,
    /// Annex A controls and the register's own controls: what a risk or an
    /// action links (REGISTER.md §5). `Controls` is Annex A alone.
    AnyControl,
}

impl RefSource {
    pub fn choices(self, reg: &Register) -> Vec<Choice> {
        let choice = |value: &str, label: String| Choice {
            value: value.to_string(),
            label,
            hint: String::new(),
        };
        match self {
            RefSource::Assets => reg
                .assets
                .iter()
                .map(|a| choice(&a.id, format!("{} {}", a.id, a.name)))
                .collect(),
            // A library threat shows where it is from (`BSI G 0.23`).
            RefSource::Threats => reg
                .threats
                .iter()
                .map(|t| Choice {
                    hint: t.source.clone(),
                    ..choice(&t.id, format!("{} {}", t.id, t.name))
                })
                .collect(),
            RefSource::Factors => reg
                .factors
                .iter()
                .map(|f| choice(&f.id, format!("{} {}", f.id, f.label)))
                .collect(),
            // (The workbench's pickers add the own controls to `AnyControl`.)
            RefSource::Controls | RefSource::AnyControl => Catalog::annex_a()
                .controls()
                .iter()
                .map(|c| choice(&c.id, format!("{} {}", c.id, c.title)))
                .collect(),
            RefSource::Risks => reg
                .risks
                .iter()
                .map(|r| choice(&r.id, format!("{} {}", r.id, r.title)))
                .collect(),
        }
    }
}
