//! The parts of the register that schema 2 added (REGISTER.md §5), and how
//! a file of either schema becomes a [`Register`].
//!
//! A file is read into [`RawRegister`], which still knows schema 1's single
//! `baseline`, and converted: a schema-1 `baseline: Some(b)` becomes
//! `baselines: [b]`, while in a file that says `schema: 2` the old field is
//! refused like any unknown field (the loader adds its position).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use super::model::{
    Asset, Baseline, ControlState, Decision, Factor, HistoryEntry, Id, Method, Register, Risk,
    SCHEMA_VERSION, SCHEMAS_READ, Threat, dates,
};

/// The message of the error for `baseline` in a schema-2 file; the loader
/// recognises it to point at the field, as it does for any unknown field.
pub(crate) const BASELINE_IN_SCHEMA_2: &str = "Unexpected field named `baseline` in `Register`: \
schema 2 keeps every approved SoA in `baselines` (a list), not `baseline`";

/// A security property a risk is about (ISO/IEC 27001 6.1.2 c).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Cia {
    /// Confidentiality.
    Confidentiality,
    /// Integrity.
    Integrity,
    /// Availability.
    Availability,
}

impl Cia {
    /// The three in the order every list shows them (C, I, A), whatever
    /// order a file gives.
    pub const ALL: [Cia; 3] = [Cia::Confidentiality, Cia::Integrity, Cia::Availability];

    /// The letter tables and forms show (`C`, `I`, `A`).
    pub fn letter(self) -> char {
        match self {
            Cia::Confidentiality => 'C',
            Cia::Integrity => 'I',
            Cia::Availability => 'A',
        }
    }

    /// The name in the file (`Integrity`).
    pub fn as_str(self) -> &'static str {
        match self {
            Cia::Confidentiality => "Confidentiality",
            Cia::Integrity => "Integrity",
            Cia::Availability => "Availability",
        }
    }

    /// A risk's properties in C, I, A order, each once, whatever the
    /// file's order: how every output lists them.
    pub fn in_order(cia: &[Cia]) -> impl Iterator<Item = Cia> + '_ {
        Cia::ALL.into_iter().filter(|c| cia.contains(c))
    }

    /// The names joined by `; ` (`Confidentiality; Availability`), as the
    /// CSV and the workbook write them and `import` reads them back.
    pub fn names(cia: &[Cia]) -> String {
        Cia::in_order(cia)
            .map(Cia::as_str)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// One entry of a risk's discussion record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// The day it was written.
    #[serde(deserialize_with = "dates::required")]
    pub on: NaiveDate,
    /// Who wrote it.
    pub by: String,
    /// What was said.
    pub text: String,
}

impl Note {
    /// `2026-12-01 Ana Lopez: text`: one note as exports and change lines
    /// write it (date, author, what was said).
    pub fn line(&self) -> String {
        if self.by.trim().is_empty() {
            format!("{}: {}", self.on, self.text)
        } else {
            format!("{} {}: {}", self.on, self.by, self.text)
        }
    }

    /// The notes of `after` that `before` does not have (each note of
    /// `before` matches one equal note of `after` at most): what was
    /// added to a discussion record, in the record's order.
    pub fn added<'a>(before: &[Note], after: &'a [Note]) -> Vec<&'a Note> {
        let mut unmatched: Vec<&Note> = before.iter().collect();
        after
            .iter()
            .filter(|n| match unmatched.iter().position(|b| b == n) {
                Some(p) => {
                    unmatched.swap_remove(p);
                    false
                }
                None => true,
            })
            .collect()
    }

    /// Every note as [`Note::line`], oldest first, joined by `sep` (a line
    /// break in a spreadsheet cell, ` | ` where a cell is one line).
    pub fn joined(notes: &[Note], sep: &str) -> String {
        notes.iter().map(Note::line).collect::<Vec<_>>().join(sep)
    }
}

/// One piece of evidence that a control works.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// What it is (non-empty).
    pub what: String,
    /// A link or path to it (may be empty).
    #[serde(default)]
    pub at: String,
    /// The day it was produced.
    #[serde(deserialize_with = "dates::required")]
    pub on: NaiveDate,
    /// Who produced it.
    #[serde(default)]
    pub by: String,
}

/// An ISO/IEC 27002 control type: what an own control acts on in scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ControlType {
    /// Acts on likelihood.
    Preventive,
    /// Acts on impact.
    Detective,
    /// Acts on impact.
    Corrective,
}

impl ControlType {
    /// The name in the file (`Preventive`).
    pub fn as_str(self) -> &'static str {
        match self {
            ControlType::Preventive => "Preventive",
            ControlType::Detective => "Detective",
            ControlType::Corrective => "Corrective",
        }
    }
}

/// A control from a source other than Annex A (6.1.3 b).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnControl {
    /// Its id, unique among own controls and never of the form `digits.digits`.
    pub id: Id,
    /// What the control is.
    pub title: String,
    /// What it acts on; non-empty.
    pub types: Vec<ControlType>,
    /// The Annex A controls it stands for in the SoA.
    #[serde(default)]
    pub maps_to: Vec<Id>,
}

/// `digits.digits`: the shape of an Annex A id, which an own control may
/// not take (it would be mistaken for one: error `own-control-id`).
pub fn looks_like_annex_a(id: &str) -> bool {
    id.split_once('.').is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    })
}

impl OwnControl {
    /// What the control acts on in scoring, in the form an Annex A
    /// control's 27002 type takes: an own control acts by its `types`
    /// exactly as an Annex A control acts by its type (REGISTER.md §5).
    pub fn control_type(&self) -> super::catalog::ControlType {
        let has = |t| self.types.contains(&t);
        super::catalog::ControlType {
            preventive: has(ControlType::Preventive),
            detective: has(ControlType::Detective),
            corrective: has(ControlType::Corrective),
        }
    }
}

/// Where an action of the treatment plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ActionStatus {
    /// Not started.
    Open,
    /// Under way.
    InProgress,
    /// Finished.
    Done,
    /// Dropped.
    Cancelled,
}

impl ActionStatus {
    /// Every status, in the order pickers offer them.
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Cancelled,
    ];

    /// The name in the file (`InProgress`).
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "Open",
            ActionStatus::InProgress => "InProgress",
            ActionStatus::Done => "Done",
            ActionStatus::Cancelled => "Cancelled",
        }
    }
}

/// One action of the risk treatment plan (6.1.3 e).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The action's id, unique among actions.
    pub id: Id,
    /// What is to be done (non-empty).
    pub title: String,
    /// The risks it treats.
    #[serde(default)]
    pub risks: Vec<Id>,
    /// The controls it puts in place.
    #[serde(default)]
    pub controls: Vec<Id>,
    /// Who does it.
    #[serde(default)]
    pub owner: String,
    /// When it is due.
    #[serde(default, deserialize_with = "dates::optional")]
    pub due: Option<NaiveDate>,
    /// Where it stands.
    pub status: ActionStatus,
    /// The day it was done.
    #[serde(default, deserialize_with = "dates::optional")]
    pub done_on: Option<NaiveDate>,
    /// Estimated effort in person-days.
    #[serde(default)]
    pub effort_days: Option<u32>,
    /// Estimated cost.
    #[serde(default)]
    pub cost: Option<u64>,
    /// A free note.
    #[serde(default)]
    pub note: String,
}

/// The approval of the treatment plan (6.1.3 f).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanApproval {
    /// The day it was approved.
    #[serde(deserialize_with = "dates::required")]
    pub on: NaiveDate,
    /// Who approved it.
    pub by: String,
    /// A free note.
    #[serde(default)]
    pub note: String,
}

/// A field both branches of a merge changed differently; the register holds
/// `ours` until someone removes the entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// The kind of entity (`risk`, `control`, …).
    pub entity: String,
    /// The entity's id.
    pub id: String,
    /// The field that conflicts.
    pub field: String,
    /// The value both branches started from.
    pub base: String,
    /// This branch's value (the one the register holds).
    pub ours: String,
    /// The other branch's value.
    pub theirs: String,
}

/// A register as written in a file of schema 1 or 2, before the schema-1
/// `baseline` is turned into `baselines`.
#[derive(Deserialize)]
#[serde(rename = "Register", deny_unknown_fields)]
pub(crate) struct RawRegister {
    schema: u32,
    name: String,
    #[serde(default)]
    scope: String,
    method: Method,
    #[serde(default)]
    own_controls: Vec<OwnControl>,
    #[serde(default)]
    factors: Vec<Factor>,
    assets: Vec<Asset>,
    threats: Vec<Threat>,
    risks: Vec<Risk>,
    #[serde(default)]
    controls: Vec<ControlState>,
    #[serde(default)]
    decisions: Vec<Decision>,
    #[serde(default)]
    actions: Vec<Action>,
    #[serde(default)]
    plan_approval: Option<PlanApproval>,
    #[serde(default)]
    conflicts: Vec<Conflict>,
    /// `None` when the field is absent, `Some(None)` for `baseline: None`.
    #[serde(default, deserialize_with = "present")]
    baseline: Option<Option<Baseline>>,
    #[serde(default)]
    baselines: Vec<Baseline>,
    #[serde(default)]
    history: Vec<HistoryEntry>,
}

/// Tells a field written as `None` from a field not written at all.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Baseline>>, D::Error> {
    Option::<Baseline>::deserialize(d).map(Some)
}

impl TryFrom<RawRegister> for Register {
    type Error = String;

    fn try_from(raw: RawRegister) -> Result<Register, String> {
        let mut baselines = raw.baselines;
        match raw.baseline {
            Some(_) if raw.schema >= 2 => return Err(BASELINE_IN_SCHEMA_2.to_string()),
            // A schema-1 file with both is read as written: the old single
            // baseline is the oldest approval.
            Some(Some(b)) => baselines.insert(0, b),
            Some(None) | None => {}
        }
        Ok(Register {
            // Schema 1 means the same read as schema 2 (§5); any other value
            // stays, for `check` to refuse by name.
            schema: if SCHEMAS_READ.contains(&raw.schema) {
                SCHEMA_VERSION
            } else {
                raw.schema
            },
            name: raw.name,
            scope: raw.scope,
            method: raw.method,
            factors: raw.factors,
            assets: raw.assets,
            threats: raw.threats,
            risks: raw.risks,
            controls: raw.controls,
            decisions: raw.decisions,
            own_controls: raw.own_controls,
            actions: raw.actions,
            plan_approval: raw.plan_approval,
            conflicts: raw.conflicts,
            baselines,
            history: raw.history,
        })
    }
}
