//! What changed between two evaluated registers, or between a register's
//! SoA and its approved `baseline` (REGISTER.md §3 "SoA changes" and "Risk
//! changes"). Also scope changes: assets and risks that came into or went
//! out of scope, which a certification body must be told about.

mod explain;
mod risks;
mod snapshot;
mod soa;
mod summary;
mod text;

pub(crate) use explain::explain_control;
pub use explain::explain_risk;
pub(crate) use risks::{risk_changes, scope_changes};
pub use snapshot::Snapshot;
pub use soa::{baseline_changes, baseline_changes_from, soa_changes};
pub(crate) use summary::summarize;
pub use summary::summarize_soa;
pub use text::diff_text;

use std::sync::Arc;

use super::analysis::Analysis;
use super::eval::Score;
use super::fields::{EntityChange, FieldChange};
use super::model::{Applicable, ControlStatus, Id, Register};

/// A score with its level name resolved (registers may use other methods).
/// The name is shared (`Arc<str>`): a snapshot of 100,000 risks holds three
/// per risk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedScore {
    /// The likelihood on the register's scale.
    pub likelihood: u32,
    /// The impact on the register's scale.
    pub impact: u32,
    /// Likelihood × impact.
    pub score: u32,
    /// The level's name (`?` when the score is off the method's levels).
    pub level: Arc<str>,
}

impl NamedScore {
    fn new(names: &[Arc<str>], s: &Score) -> NamedScore {
        NamedScore {
            likelihood: s.likelihood,
            impact: s.impact,
            score: s.score,
            level: s
                .level
                .and_then(|l| names.get(l as usize))
                .cloned()
                .unwrap_or_else(|| Arc::from("?")),
        }
    }
}

/// One side of a risk change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskState {
    /// The risk's title.
    pub title: String,
    /// The score before controls.
    pub inherent: NamedScore,
    /// The score with the controls in place (or the manual residual).
    pub residual: NamedScore,
    /// Whether the residual was set by hand.
    pub manual: bool,
    /// The score once every linked control is fully implemented.
    pub target: NamedScore,
    /// Whether the residual is above the method's appetite.
    pub above_appetite: bool,
}

/// How a risk changed between two registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskChangeKind {
    /// Only in the newer register.
    Added,
    /// Only in the older register.
    Removed,
    /// In both, with different fields or scores.
    Changed,
}

impl RiskChangeKind {
    /// The word `diff` prints and its JSON `change` holds.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskChangeKind::Added => "added",
            RiskChangeKind::Removed => "removed",
            RiskChangeKind::Changed => "changed",
        }
    }
}

/// One risk that differs between two registers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskChange {
    /// The risk's id.
    pub id: Id,
    /// Added, removed or changed.
    pub kind: RiskChangeKind,
    /// The risk in the older register (`None` when added).
    pub before: Option<RiskState>,
    /// The risk in the newer register (`None` when removed).
    pub after: Option<RiskState>,
    /// For `Changed`: the risk's own fields that differ (file order), with
    /// their values before and after (REGISTER.md §5 "Risk changes").
    pub fields: Vec<FieldChange>,
}

impl std::fmt::Display for NamedScore {
    /// `3×4=12 High`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}×{}={} {}",
            self.likelihood, self.impact, self.score, self.level
        )
    }
}

impl RiskChange {
    /// The risk's title (after the change, or before it when removed).
    pub fn title(&self) -> &str {
        self.after
            .as_ref()
            .or(self.before.as_ref())
            .map_or("", |s| s.title.as_str())
    }

    /// What changed, in words: `added · residual 3×4=12 High`,
    /// `residual 3×4=12 High → 2×4=8 Medium; now within appetite`.
    pub fn describe(&self) -> String {
        match (self.kind, &self.before, &self.after) {
            (RiskChangeKind::Added, _, Some(a)) => {
                format!("added · inherent {}, residual {}", a.inherent, a.residual)
            }
            (RiskChangeKind::Removed, Some(b), _) => {
                format!("removed · was residual {}", b.residual)
            }
            (_, Some(b), Some(a)) => {
                let mut parts: Vec<String> = self
                    .fields
                    .iter()
                    .map(|f| format!("{}: {} → {}", f.field, f.before, f.after))
                    .collect();
                for (name, x, y) in [
                    ("inherent", &b.inherent, &a.inherent),
                    ("residual", &b.residual, &a.residual),
                    ("target", &b.target, &a.target),
                ] {
                    if x != y {
                        parts.push(format!("{name} {x} → {y}"));
                    }
                }
                match self.crossed_appetite() {
                    Some(true) => parts.push("now ABOVE appetite".into()),
                    Some(false) => parts.push("now within appetite".into()),
                    None => {}
                }
                parts.join("; ")
            }
            _ => String::new(),
        }
    }

    /// Crossed the appetite line: `Some(true)` went above, `Some(false)`
    /// came back under.
    pub fn crossed_appetite(&self) -> Option<bool> {
        let b = self.before.as_ref().is_some_and(|s| s.above_appetite);
        let a = self.after.as_ref().is_some_and(|s| s.above_appetite);
        (a != b).then_some(a)
    }

    /// The names of what differs, as `diff --format json` lists them: the
    /// risk's own fields in file order, then `inherent`, `residual`,
    /// `target` and `above_appetite` (each name once: a manual residual
    /// edit changes the `residual` field and the evaluated residual).
    pub fn field_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.fields.iter().map(|f| f.field.as_str()).collect();
        if let (Some(b), Some(a)) = (&self.before, &self.after) {
            for (name, differs) in [
                ("inherent", b.inherent != a.inherent),
                ("residual", b.residual != a.residual || b.manual != a.manual),
                ("target", b.target != a.target),
                ("above_appetite", b.above_appetite != a.above_appetite),
            ] {
                if differs && !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }

    /// Whether the inherent or residual level differs (or the risk came or
    /// went): a change of level is what a review is asked about.
    pub fn level_changed(&self) -> bool {
        match (&self.before, &self.after) {
            (Some(b), Some(a)) => {
                b.inherent.level != a.inherent.level || b.residual.level != a.residual.level
            }
            _ => true,
        }
    }
}

/// `applicable` and `status` of one control on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoaState {
    /// Whether the control is applicable.
    pub applicable: Applicable,
    /// How far its implementation has come.
    pub status: ControlStatus,
}

/// One control whose SoA entry differs between two registers (or from the
/// baseline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoaChange {
    /// Catalog index.
    pub control: usize,
    /// The control's Annex A id.
    pub id: Id,
    /// Its applicability and status before.
    pub before: SoaState,
    /// Its applicability and status after.
    pub after: SoaState,
    /// `Some((before, after))` when the justification differs (two-file
    /// diffs only: a baseline stores no justification).
    pub justification: Option<(String, String)>,
}

impl SoaChange {
    /// `Undecided → Yes; status NotStarted → Partial`
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.before.applicable != self.after.applicable {
            parts.push(format!(
                "{} → {}",
                self.before.applicable.as_str(),
                self.after.applicable.as_str()
            ));
        }
        if self.before.status != self.after.status {
            parts.push(format!(
                "status {} → {}",
                self.before.status.as_str(),
                self.after.status.as_str()
            ));
        }
        parts.join("; ")
    }

    /// Only the justification differs.
    pub fn justification_only(&self) -> bool {
        self.before == self.after
    }
}

/// What came into or went out of scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// An asset.
    Asset,
    /// A risk.
    Risk,
}

/// An asset or risk that came into or went out of scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeChange {
    /// An asset or a risk.
    pub kind: ScopeKind,
    /// Its id.
    pub id: Id,
    /// Its name (an asset) or title (a risk).
    pub name: String,
    /// Came into scope (else went out of scope).
    pub into_scope: bool,
    /// The factor that governs it now (after), when there is one.
    pub factor: Option<Id>,
}

impl ScopeChange {
    /// `asset came into scope (factor cloud)`
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            ScopeKind::Asset => "asset",
            ScopeKind::Risk => "risk",
        };
        let dir = if self.into_scope {
            "came into scope"
        } else {
            "went out of scope"
        };
        let why = self
            .factor
            .as_ref()
            .map(|f| format!(" (factor {f})"))
            .unwrap_or_default();
        format!("{kind} {dir}{why}")
    }
}

/// Everything that changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diff {
    /// Risks in scope on either side: added, removed, or changed in their
    /// own fields or their evaluation.
    pub risks: Vec<RiskChange>,
    /// Controls whose applicability, status or justification differ.
    pub soa: Vec<SoaChange>,
    /// Assets and risks that came into or went out of scope.
    pub scope: Vec<ScopeChange>,
    /// Everything else the register says: its name and scope, the method,
    /// factors, assets, threats, control states, decisions, the baseline
    /// and the history, field by field.
    pub entities: Vec<EntityChange>,
    /// Risks out of scope on both sides that were added, removed or edited:
    /// not part of the evaluated register, but a change all the same.
    pub unscoped: Vec<EntityChange>,
}

impl Diff {
    /// Nothing differs: `diff` says "No changes." and exits 0.
    pub fn is_empty(&self) -> bool {
        self.risks.is_empty()
            && self.soa.is_empty()
            && self.scope.is_empty()
            && self.entities.is_empty()
            && self.unscoped.is_empty()
    }

    /// SoA changes in applicability or status (not justification-only).
    pub fn soa_changes(&self) -> impl Iterator<Item = &SoaChange> {
        self.soa.iter().filter(|c| !c.justification_only())
    }
}

/// Two registers compared, with their snapshots (the workbench keeps the
/// snapshot of the register as loaded; [`compare`] makes both).
pub fn diff(old_reg: &Register, old: &Snapshot, new_reg: &Register, new: &Snapshot) -> Diff {
    let in_scope_either = |id: &str| old.find(id).is_some() || new.find(id).is_some();
    Diff {
        risks: risk_changes(old_reg, old, new_reg, new),
        soa: soa_changes(old, new),
        scope: scope_changes(old, new, new_reg),
        entities: super::fields::other_changes(old_reg, new_reg),
        unscoped: super::fields::risk_changes(&old_reg.risks, &new_reg.risks, |id| {
            !in_scope_either(id)
        }),
    }
}

/// Two registers compared exactly as `riskbench diff OLD NEW` compares
/// them: every other view of "what changed" (the Changes view, the recovery
/// prompt, the overwrite preview, `import --into`) goes through this, so
/// they cannot disagree with `diff`.
pub fn compare(old: &Register, old_an: &Analysis, new: &Register, new_an: &Analysis) -> Diff {
    diff(
        old,
        &Snapshot::new(old, old_an),
        new,
        &Snapshot::new(new, new_an),
    )
}
