//! The register as stored in a RON file (REGISTER.md §1).
//!
//! Field order in these structs is the canonical field order of the file.
//! Every struct denies unknown fields so that a misspelt optional field is an
//! error with a position instead of silently vanishing on the next save.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The only schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// An id or a reference to one (`R-001`, `A-01`, `8.13`, `cloud`), stored
/// inline up to 24 bytes (longer ones go to the heap): a 100,000-risk
/// register then holds no heap allocation per reference, and evaluation
/// reads them without following a pointer.
pub type Id = compact_str::CompactString;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Register", deny_unknown_fields)]
pub struct Register {
    pub schema: u32,
    pub name: String,
    #[serde(default)]
    pub scope: String,
    pub method: Method,
    #[serde(default)]
    pub factors: Vec<Factor>,
    pub assets: Vec<Asset>,
    pub threats: Vec<Threat>,
    pub risks: Vec<Risk>,
    #[serde(default)]
    pub controls: Vec<ControlState>,
    #[serde(default)]
    pub decisions: Vec<Decision>,
    #[serde(default)]
    pub baseline: Option<Baseline>,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

/// How risks are scored: the two scales, the levels, an optional explicit
/// level matrix and the appetite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    pub likelihood: Vec<String>,
    pub impact: Vec<String>,
    pub levels: Vec<Level>,
    #[serde(default)]
    pub matrix: Option<Vec<Vec<String>>>,
    pub appetite: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub name: String,
    pub up_to: u32,
    pub review_days: u32,
}

/// A switch in the environment (cloud use, remote work, …) that makes
/// controls applicable and brings assets or risks into scope while on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    pub id: Id,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub on: bool,
    #[serde(default)]
    pub requires: Vec<Id>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AssetKind {
    Process,
    Information,
    Software,
    Hardware,
    Network,
    Service,
    People,
    Site,
    Supplier,
}

impl AssetKind {
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    pub id: Id,
    pub name: String,
    pub kind: AssetKind,
    #[serde(default)]
    pub owner: String,
    /// In scope only while this factor is on.
    #[serde(default)]
    pub factor: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threat {
    pub id: Id,
    pub name: String,
    /// Threat-intelligence adjustment added to the likelihood of every risk
    /// with this threat (clamped to the scale).
    #[serde(default)]
    pub shift: i32,
}

/// ISO/IEC 27005 risk treatment options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Treatment {
    Modify,
    Retain,
    Avoid,
    Share,
}

impl Treatment {
    pub const ALL: [Treatment; 4] = [
        Treatment::Modify,
        Treatment::Retain,
        Treatment::Avoid,
        Treatment::Share,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Treatment::Modify => "Modify",
            Treatment::Retain => "Retain",
            Treatment::Avoid => "Avoid",
            Treatment::Share => "Share",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    pub id: Id,
    pub title: String,
    pub asset: Id,
    pub threat: Id,
    #[serde(default)]
    pub vulnerability: String,
    pub likelihood: u32,
    pub impact: u32,
    pub treatment: Treatment,
    #[serde(default)]
    pub controls: Vec<Id>,
    #[serde(default)]
    pub owner: String,
    #[serde(default, deserialize_with = "dates::optional")]
    pub reviewed: Option<NaiveDate>,
    #[serde(default, deserialize_with = "dates::optional")]
    pub due: Option<NaiveDate>,
    /// Boxed, like `acceptance`: few risks have one, and every risk of a
    /// 100,000-risk register would otherwise carry the space inline.
    #[serde(default)]
    pub residual: Option<Box<ManualResidual>>,
    #[serde(default)]
    pub acceptance: Option<Box<Acceptance>>,
    /// In scope only while this factor is on.
    #[serde(default)]
    pub factor: Option<Id>,
}

/// A manual assessment that replaces the computed current residual.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualResidual {
    pub likelihood: u32,
    pub impact: u32,
    #[serde(default)]
    pub note: String,
}

/// A risk owner's acceptance of a risk, valid while `on <= today <= until`.
/// `accepted_score` and `accepted_controls` record what was accepted, so an
/// acceptance can be detected as stale when the risk changes afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    pub by: String,
    #[serde(deserialize_with = "dates::required")]
    pub on: NaiveDate,
    #[serde(deserialize_with = "dates::required")]
    pub until: NaiveDate,
    #[serde(default)]
    pub accepted_score: Option<u32>,
    #[serde(default)]
    pub accepted_controls: Option<Vec<Id>>,
}

impl Acceptance {
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.on <= day && day <= self.until
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub enum ControlStatus {
    #[default]
    NotStarted,
    Planned,
    Partial,
    Implemented,
}

impl ControlStatus {
    pub const ALL: [ControlStatus; 4] = [
        ControlStatus::NotStarted,
        ControlStatus::Planned,
        ControlStatus::Partial,
        ControlStatus::Implemented,
    ];

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

pub const DEFAULT_EFFECTIVENESS: u32 = 50;

fn default_effectiveness() -> u32 {
    DEFAULT_EFFECTIVENESS
}

/// Implementation state of one Annex A control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlState {
    pub id: Id,
    #[serde(default)]
    pub status: ControlStatus,
    #[serde(default = "default_effectiveness")]
    pub effectiveness: u32,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub note: String,
}

/// An explicit SoA decision for a control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub control: Id,
    pub applicable: bool,
    pub reason: String,
}

/// Applicability of a control in the SoA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Applicable {
    Yes,
    No,
    Undecided,
}

impl Applicable {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicable::Yes => "Yes",
            Applicable::No => "No",
            Applicable::Undecided => "Undecided",
        }
    }
}

/// The last approved SoA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    #[serde(deserialize_with = "dates::required")]
    pub approved: NaiveDate,
    pub by: String,
    #[serde(default)]
    pub entries: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub control: Id,
    pub applicable: Applicable,
    pub status: ControlStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    #[serde(deserialize_with = "dates::required")]
    pub on: NaiveDate,
    pub by: String,
    pub summary: String,
}

impl Method {
    pub fn max_score(&self) -> u32 {
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
    pub const LAST: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
        Some(d) => d,
        None => NaiveDate::MAX,
    };

    /// The days from the first day a register can hold (0001-01-01) to
    /// [`LAST`]: a longer interval ends after `LAST` from any date.
    pub const MAX_SPAN_DAYS: u32 = 3_652_058;

    /// `d` plus `days`, or `None` when that falls after [`LAST`]: calendar
    /// arithmetic that overflows is reported, never shown as a wrong date.
    pub fn add_days(d: NaiveDate, days: u32) -> Option<NaiveDate> {
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

    pub fn required<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        parse(&s).map_err(D::Error::custom)
    }

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
