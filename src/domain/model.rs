//! The register as stored in a RON file (REGISTER.md §1).
//!
//! Field order in these structs is the canonical field order of the file.
//! Every struct denies unknown fields so that a misspelt optional field is an
//! error with a position instead of silently vanishing on the next save.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::schema2::*;

/// The schema version this build writes (it reads 1 and 2, REGISTER.md §5).
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// Every schema version this build reads.
pub(crate) const SCHEMAS_READ: [u32; 2] = [1, 2];

/// An id or a reference to one (`R-001`, `A-01`, `8.13`, `cloud`), stored
/// inline up to 24 bytes (longer ones go to the heap): a 100,000-risk
/// register then holds no heap allocation per reference, and evaluation
/// reads them without following a pointer.
pub type Id = compact_str::CompactString;

/// A risk register: one RON file, the unit riskbench loads, checks and saves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Register", try_from = "super::schema2::RawRegister")]
pub struct Register {
    /// The file format's version (1 or 2 read, 2 written); another is
    /// refused, not guessed at.
    pub schema: u32,
    /// The register's name, shown in titles and on exports.
    pub name: String,
    /// What the ISMS covers, in words (for the SoA and the certification body).
    #[serde(default)]
    pub scope: String,
    /// How risks are scored.
    pub method: Method,
    /// Controls from sources other than Annex A (REGISTER.md §5).
    #[serde(default)]
    pub own_controls: Vec<OwnControl>,
    /// The environment's switches that bring controls, assets and risks into play.
    #[serde(default)]
    pub factors: Vec<Factor>,
    /// What is protected.
    pub assets: Vec<Asset>,
    /// What could happen to the assets.
    pub threats: Vec<Threat>,
    /// The risks: an asset, a threat, scores, treatment and linked controls.
    pub risks: Vec<Risk>,
    /// Implementation state of Annex A controls; a control not listed is
    /// NotStarted with effectiveness 50.
    #[serde(default)]
    pub controls: Vec<ControlState>,
    /// Explicit SoA decisions that override the derived applicability.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// The risk treatment plan.
    #[serde(default)]
    pub actions: Vec<Action>,
    /// The approval of the treatment plan, if given.
    #[serde(default)]
    pub plan_approval: Option<PlanApproval>,
    /// Fields both branches of a merge changed differently, until resolved.
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    /// Every approved SoA, oldest first; the last is the approved baseline
    /// that `diff FILE` compares the current SoA with. Never shortened.
    #[serde(default)]
    pub baselines: Vec<Baseline>,
    /// Append-only change log.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

/// How risks are scored: the two scales, the levels, an optional explicit
/// level matrix and the appetite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Likelihood labels, lowest first: the scale is 1..=len.
    pub likelihood: Vec<String>,
    /// What each likelihood label means, one per label or none yet.
    #[serde(default)]
    pub likelihood_criteria: Vec<String>,
    /// Impact labels, lowest first: the scale is 1..=len.
    pub impact: Vec<String>,
    /// What each impact label means, one per label or none yet.
    #[serde(default)]
    pub impact_criteria: Vec<String>,
    /// Levels by ascending `up_to`; the last covers the highest score.
    pub levels: Vec<Level>,
    /// An explicit level table (one row per likelihood, one cell per impact),
    /// deciding the level instead of `levels[].up_to` when given.
    #[serde(default)]
    pub matrix: Option<Vec<Vec<String>>>,
    /// Residual scores above this need treatment or a valid acceptance.
    pub appetite: u32,
    /// Evidence older than this many days is stale; `None`: never stale.
    #[serde(default)]
    pub evidence_days: Option<u32>,
}

/// A risk level: the scores up to `up_to` and how often they are reviewed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The level's name (`High`), as matrices and reports name it.
    pub name: String,
    /// The highest score at this level.
    pub up_to: u32,
    /// Days from a review to the next one for a risk at this level.
    pub review_days: u32,
    /// Who may accept a residual risk at this level; empty: the risk's owner.
    #[serde(default)]
    pub accept_by: Vec<String>,
}

/// A switch in the environment (cloud use, remote work, …) that makes
/// controls applicable and brings assets or risks into scope while on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// The id risks, assets and the SoA refer to it by.
    pub id: Id,
    /// What the factor means, for people.
    #[serde(default)]
    pub label: String,
    /// Whether the switch is on now.
    #[serde(default)]
    pub on: bool,
    /// Annex A ids the factor makes applicable while on.
    #[serde(default)]
    pub requires: Vec<Id>,
}

/// The kind of an asset (ISO/IEC 27005 asset types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AssetKind {
    /// A business process.
    Process,
    /// Information or data.
    Information,
    /// Software or an application.
    Software,
    /// Hardware.
    Hardware,
    /// A network.
    Network,
    /// A service (often bought in).
    Service,
    /// People and their skills.
    People,
    /// A site or building.
    Site,
    /// A supplier.
    Supplier,
}

impl AssetKind {
    /// Every kind, in the order pickers offer them.
    pub const ALL: [AssetKind; 9] = [
        AssetKind::Process,
        AssetKind::Information,
        AssetKind::Software,
        AssetKind::Hardware,
        AssetKind::Network,
        AssetKind::Service,
        AssetKind::People,
        AssetKind::Site,
        AssetKind::Supplier,
    ];

    /// The name in the file (`Process`).
    pub fn as_str(self) -> &'static str {
        match self {
            AssetKind::Process => "Process",
            AssetKind::Information => "Information",
            AssetKind::Software => "Software",
            AssetKind::Hardware => "Hardware",
            AssetKind::Network => "Network",
            AssetKind::Service => "Service",
            AssetKind::People => "People",
            AssetKind::Site => "Site",
            AssetKind::Supplier => "Supplier",
        }
    }
}

/// Something to protect, that risks are raised against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// The id risks refer to it by.
    pub id: Id,
    /// The asset's name, for people.
    pub name: String,
    /// What kind of asset it is.
    pub kind: AssetKind,
    /// Who answers for it.
    #[serde(default)]
    pub owner: String,
    /// In scope only while this factor is on.
    #[serde(default)]
    pub factor: Option<Id>,
}

/// Something that could happen to an asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threat {
    /// The id risks refer to it by.
    pub id: Id,
    /// The threat's name, for people.
    pub name: String,
    /// Threat-intelligence adjustment added to the likelihood of every risk
    /// with this threat (clamped to the scale).
    #[serde(default)]
    pub shift: i32,
    /// Where a library threat came from (`BSI G 0.23`).
    #[serde(default)]
    pub source: String,
}

/// ISO/IEC 27005 risk treatment options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Treatment {
    /// Reduce the risk with controls.
    Modify,
    /// Keep the risk as it is (accepted, within appetite or not).
    Retain,
    /// Stop the activity that causes the risk.
    Avoid,
    /// Transfer the risk (insurance, a supplier).
    Share,
}

impl Treatment {
    /// Every option, in the order pickers offer them.
    pub const ALL: [Treatment; 4] = [
        Treatment::Modify,
        Treatment::Retain,
        Treatment::Avoid,
        Treatment::Share,
    ];

    /// The name in the file (`Modify`).
    pub fn as_str(self) -> &'static str {
        match self {
            Treatment::Modify => "Modify",
            Treatment::Retain => "Retain",
            Treatment::Avoid => "Avoid",
            Treatment::Share => "Share",
        }
    }
}

/// A risk: a threat to an asset through a vulnerability, scored and
/// treated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// The risk's id (`R-001`), unique in the register.
    pub id: Id,
    /// A one-line title.
    pub title: String,
    /// The asset at risk (an asset id).
    pub asset: Id,
    /// What could happen (a threat id).
    pub threat: Id,
    /// The weakness the threat exploits.
    #[serde(default)]
    pub vulnerability: String,
    /// Inherent likelihood on the method's scale (1 = lowest).
    pub likelihood: u32,
    /// Inherent impact on the method's scale (1 = lowest).
    pub impact: u32,
    /// How the risk is treated.
    pub treatment: Treatment,
    /// The Annex A controls that act on the risk.
    #[serde(default)]
    pub controls: Vec<Id>,
    /// Who owns the risk (and may accept it).
    #[serde(default)]
    pub owner: String,
    /// The day it was last reviewed; the next review follows from its level.
    #[serde(default, deserialize_with = "dates::optional")]
    pub reviewed: Option<NaiveDate>,
    /// The day its treatment is due.
    #[serde(default, deserialize_with = "dates::optional")]
    pub due: Option<NaiveDate>,
    /// Boxed, like `acceptance`: few risks have one, and every risk of a
    /// 100,000-risk register would otherwise carry the space inline.
    #[serde(default)]
    pub residual: Option<Box<ManualResidual>>,
    /// The owner's acceptance, boxed for the same reason as `residual`.
    #[serde(default)]
    pub acceptance: Option<Box<Acceptance>>,
    /// In scope only while this factor is on.
    #[serde(default)]
    pub factor: Option<Id>,
    /// Which security properties the risk is about.
    #[serde(default)]
    pub cia: Vec<Cia>,
    /// The discussion record of the risk, oldest first.
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// A manual assessment that replaces the computed current residual.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualResidual {
    /// The likelihood judged now, with the controls in place.
    pub likelihood: u32,
    /// The impact judged now, with the controls in place.
    pub impact: u32,
    /// Why the computed residual is replaced.
    #[serde(default)]
    pub note: String,
}

/// A risk owner's acceptance of a risk, valid while `on <= today <= until`.
/// `accepted_score` and `accepted_controls` record what was accepted, so an
/// acceptance can be detected as stale when the risk changes afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// Who accepted the risk.
    pub by: String,
    /// The first day the acceptance holds.
    #[serde(deserialize_with = "dates::required")]
    pub on: NaiveDate,
    /// The last day the acceptance holds.
    #[serde(deserialize_with = "dates::required")]
    pub until: NaiveDate,
    /// The inherent score when accepted.
    #[serde(default)]
    pub accepted_score: Option<u32>,
    /// The linked controls when accepted.
    #[serde(default)]
    pub accepted_controls: Option<Vec<Id>>,
    /// Why the residual risk is accepted.
    #[serde(default)]
    pub reason: String,
}

impl Acceptance {
    pub(crate) fn valid_on(&self, day: NaiveDate) -> bool {
        self.on <= day && day <= self.until
    }
}

/// How far a control's implementation has come.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub enum ControlStatus {
    /// Nothing done yet.
    #[default]
    NotStarted,
    /// Planned, not in place: counts for nothing yet.
    Planned,
    /// Partly in place: counts for half its effectiveness.
    Partial,
    /// In place: counts fully.
    Implemented,
}

impl ControlStatus {
    /// Every state, in the order pickers offer them.
    pub const ALL: [ControlStatus; 4] = [
        ControlStatus::NotStarted,
        ControlStatus::Planned,
        ControlStatus::Partial,
        ControlStatus::Implemented,
    ];

    /// The name in the file (`NotStarted`).
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::NotStarted => "NotStarted",
            ControlStatus::Planned => "Planned",
            ControlStatus::Partial => "Partial",
            ControlStatus::Implemented => "Implemented",
        }
    }

    /// The share of a control's effectiveness that counts today (spec §2.2).
    pub fn factor(self) -> f64 {
        match self {
            ControlStatus::Implemented => 1.0,
            ControlStatus::Partial => 0.5,
            ControlStatus::Planned | ControlStatus::NotStarted => 0.0,
        }
    }
}

pub(crate) const DEFAULT_EFFECTIVENESS: u32 = 50;

fn default_effectiveness() -> u32 {
    DEFAULT_EFFECTIVENESS
}

/// Implementation state of one Annex A control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlState {
    /// The Annex A control's id (`8.13`).
    pub id: Id,
    /// How far its implementation has come.
    #[serde(default)]
    pub status: ControlStatus,
    /// How much the control, fully implemented, cuts what it acts on (0..=100).
    #[serde(default = "default_effectiveness")]
    pub effectiveness: u32,
    /// Who answers for the control.
    #[serde(default)]
    pub owner: String,
    /// A free note (what is missing, when it is due).
    #[serde(default)]
    pub note: String,
    /// What shows the control works, oldest first.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// An explicit SoA decision for a control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The Annex A control's id.
    pub control: Id,
    /// Included (`true`) or excluded.
    pub applicable: bool,
    /// Why: the SoA's justification.
    pub reason: String,
}

/// Applicability of a control in the SoA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Applicable {
    /// The control is applicable.
    Yes,
    /// The control is excluded.
    No,
    /// No risk, factor or decision settles it yet.
    Undecided,
}

impl Applicable {
    /// The name in the file and in reports (`Yes`).
    pub fn as_str(self) -> &'static str {
        match self {
            Applicable::Yes => "Yes",
            Applicable::No => "No",
            Applicable::Undecided => "Undecided",
        }
    }
}

/// An approved SoA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Counts up with each approval.
    pub version: u32,
    /// The day it was approved.
    #[serde(deserialize_with = "dates::required")]
    pub approved: NaiveDate,
    /// Who approved it.
    pub by: String,
    /// A free note about the approval.
    #[serde(default)]
    pub note: String,
    /// Each control's applicability and status as approved.
    #[serde(default)]
    pub entries: Vec<BaselineEntry>,
}

/// One control as the baseline approved it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The Annex A control's id.
    pub control: Id,
    /// Its applicability as approved.
    pub applicable: Applicable,
    /// Its implementation status as approved.
    pub status: ControlStatus,
}

/// One line of the register's change log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// The day of the change.
    #[serde(deserialize_with = "dates::required")]
    pub on: NaiveDate,
    /// Who made it.
    pub by: String,
    /// What changed, in one line.
    pub summary: String,
}

impl Register {
    /// The approved baseline: the last of `baselines`.
    pub fn approved_baseline(&self) -> Option<&Baseline> {
        self.baselines.last()
    }
}

impl Method {
    pub(crate) fn max_score(&self) -> u32 {
        (self.likelihood.len() * self.impact.len()) as u32
    }
}

/// Dates are `"YYYY-MM-DD"` strings; a bad one is refused with a message
/// that quotes it (the loader adds the position).
pub mod dates {
    use std::borrow::Cow;

    use chrono::{Days, NaiveDate};
    use serde::{Deserialize, Deserializer, de::Error};

    /// The last day a register can hold: dates are written `YYYY-MM-DD`,
    /// four-digit years (chrono's own range goes much further, and would
    /// print year 10000 as `+10000-01-01`, which no register can read).
    pub(crate) const LAST: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
        Some(d) => d,
        None => NaiveDate::MAX,
    };

    /// The days from the first day a register can hold (0001-01-01) to
    /// [`LAST`]: a longer interval ends after `LAST` from any date.
    pub(crate) const MAX_SPAN_DAYS: u32 = 3_652_058;

    /// `d` plus `days`, or `None` when that falls after [`LAST`]: calendar
    /// arithmetic that overflows is reported, never shown as a wrong date.
    pub(crate) fn add_days(d: NaiveDate, days: u32) -> Option<NaiveDate> {
        d.checked_add_days(Days::new(u64::from(days)))
            .filter(|d| *d <= LAST)
    }

    /// `YYYY-MM-DD` with a real day, years 0001 to 9999 (parsed by hand: a
    /// register holds hundreds of thousands of dates and chrono's format
    /// parser is slow).
    pub fn parse(s: &str) -> Result<NaiveDate, String> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            b.get(r)?.iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        let parts = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
            .then(|| Some((digits(0..4)?, digits(5..7)?, digits(8..10)?)))
            .flatten();
        if let Some((0, _, _)) = parts {
            // chrono has a year 0; the calendar a register uses does not.
            return Err(format!("invalid date {s:?}: years run from 0001 to 9999"));
        }
        let date = parts.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y as i32, m, d));
        date.ok_or_else(|| format!("invalid date {s:?}: expected a real date as \"YYYY-MM-DD\""))
    }

    /// Deserializes a required date, refusing a malformed one with its text.
    pub fn required<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        parse(&s).map_err(D::Error::custom)
    }

    /// Deserializes an optional date (`None` or `Some("YYYY-MM-DD")`).
    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<Cow<str>>::deserialize(d)? {
            None => Ok(None),
            Some(s) => parse(&s).map(Some).map_err(D::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::dates;

    #[test]
    fn the_longest_span_is_the_calendar_a_register_can_hold() {
        let first = dates::parse("0001-01-01").unwrap();
        assert_eq!(
            dates::LAST.signed_duration_since(first).num_days(),
            i64::from(dates::MAX_SPAN_DAYS)
        );
        assert_eq!(
            dates::add_days(first, dates::MAX_SPAN_DAYS),
            Some(dates::LAST)
        );
        assert_eq!(dates::add_days(first, dates::MAX_SPAN_DAYS + 1), None);
        assert_eq!(dates::add_days(dates::LAST, 1), None);
        assert_eq!(dates::add_days(dates::LAST, u32::MAX), None);
        assert_eq!(dates::LAST.to_string(), "9999-12-31");
    }
}
