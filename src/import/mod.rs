//! Bringing registers in from elsewhere: spreadsheets, as CSV exports or
//! workbooks (`riskbench import`, a new register or `--into` an existing
//! one, see [`update`]) and registers that still use ISO/IEC 27001:2013
//! control numbers (`riskbench migrate`).
//!
//! Nothing here touches files: the CLI reads the bytes, calls
//! [`import_file`], [`update::update`] or [`migrate::migrate`], prints the
//! report and decides whether to write.

pub mod columns;
pub mod mapping;
pub mod migrate;
pub mod table;
pub mod update;
pub mod values;
pub mod workbook;

mod build;
mod cia;
mod read;
mod report;
mod rows;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::domain::{AssetKind, Cia, Level, Method, Register, Treatment};

pub use columns::Field;
use columns::{MapRule, Role};
use table::CsvError;
use values::Scale;

use build::build_register;
use read::{Table, map_rules, read_any};
pub use report::{Report, plural};
use report::{capped, line_list};
pub(crate) use rows::build_title;
use rows::parse_rows;

/// The method an imported register uses: 5 × 5 with the standard labels,
/// Low/Medium/High/Critical up to 4/9/16/25 (reviews every 365/180/90/30
/// days) and appetite 9.
pub fn standard_method() -> Method {
    let level = |name: &str, up_to: u32, review_days: u32| Level {
        accept_by: Vec::new(),
        name: name.into(),
        up_to,
        review_days,
    };
    Method {
        evidence_days: None,
        impact_criteria: Vec::new(),
        likelihood_criteria: Vec::new(),
        likelihood: Scale::Likelihood
            .labels()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        impact: Scale::Impact
            .labels()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        levels: vec![
            level("Low", 4, 365),
            level("Medium", 9, 180),
            level("High", 16, 90),
            level("Critical", 25, 30),
        ],
        matrix: None,
        appetite: 9,
    }
}

/// Options of one import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The file name used in messages (`FILE:LINE:COL`).
    pub source: String,
    /// The register's name (default: the file name without extension).
    pub name: Option<String>,
    /// `--map "Column=field"` options, as given.
    pub maps: Vec<String>,
    /// Force a delimiter instead of detecting it.
    pub delimiter: Option<char>,
    /// The sheet of a workbook to read (default: see
    /// [`workbook::read_sheet`]).
    pub sheet: Option<String>,
    /// The day recorded in the register's history.
    pub today: NaiveDate,
}

/// Why nothing could be imported at all (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The CSV itself is malformed (position in the file).
    Malformed(CsvError),
    /// The options or the header make an import impossible.
    Usage(String),
}

/// A row that cannot be imported: the line the row starts on, the 1-based
/// column and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// A register and the report of how it was read.
#[derive(Debug, Clone)]
pub(crate) struct Imported {
    /// The importable rows as a register (the bad rows left out).
    pub register: Register,
    pub report: Report,
}

/// One importable row, before entities get ids. A field without a column
/// holds its empty value (see [`Report::has`]).
pub(crate) struct Row {
    line: usize,
    id: Option<String>,
    /// The title cell, or (no title column) the title built from the
    /// row's threat, asset and vulnerability; empty when neither.
    title: String,
    asset: Option<String>,
    /// The asset's id as the sheet gives it (an `asset_id` column).
    asset_id: Option<String>,
    threat_id: Option<String>,
    asset_kind: Option<(AssetKind, String)>,
    asset_owner: String,
    threat: Option<String>,
    vulnerability: String,
    likelihood: u32,
    impact: u32,
    treatment: Option<Treatment>,
    controls: Vec<String>,
    owner: String,
    reviewed: Option<NaiveDate>,
    due: Option<NaiveDate>,
    /// What the sheet says of the properties in `cia_of`: those on, in
    /// C, I, A order.
    cia: Vec<Cia>,
    /// The properties the sheet has a column for (all three with one
    /// C/I/A column), in C, I, A order; empty without such columns.
    cia_of: Vec<Cia>,
}

/// Counted assumptions, in first-seen order.
#[derive(Default)]
struct Seen {
    /// (what, key) → (text, rows).
    order: Vec<(String, String)>,
    items: HashMap<(String, String), (String, Vec<usize>)>,
}

impl Seen {
    fn note(&mut self, what: &str, key: &str, text: impl FnOnce() -> String, line: usize) {
        let k = (what.to_string(), key.to_string());
        match self.items.get_mut(&k) {
            Some((_, lines)) => lines.push(line),
            None => {
                self.order.push(k.clone());
                self.items.insert(k, (text(), vec![line]));
            }
        }
    }

    fn lines(&self, what: &str) -> Vec<(String, Vec<usize>)> {
        self.order
            .iter()
            .filter(|(w, _)| w == what)
            .filter_map(|k| self.items.get(k).cloned())
            .collect()
    }
}

/// What the rows are read for.
#[derive(Clone, Copy)]
enum Mode<'r> {
    /// A new register: likelihood and impact columns needed, and a title
    /// column or the parts to build titles from.
    New,
    /// Updating this register: an id column needed, scales read on the
    /// register's own scales, its own controls' ids read as links (see
    /// [`update`]).
    Into(&'r Register),
}

/// The rows a sheet holds and the report on reading them.
pub(crate) struct Parsed {
    pub(crate) rows: Vec<Row>,
    pub(crate) report: Report,
    /// Every risk id in the sheet (bad rows' too) and the line it is on.
    pub(crate) ids_seen: HashMap<String, usize>,
}

/// Imports a spreadsheet: a workbook (xlsx, …; the sheet in `opts.sheet`)
/// or a CSV export. Rows that cannot be imported are left out of the
/// register and listed in `report.errors`; the caller decides whether to
/// write anyway.
pub(crate) fn import_file(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    let rules = map_rules(opts)?;
    let table = read_any(bytes, opts, &rules)?;
    import_table(table, opts, &rules)
}

fn import_table(
    table: Table,
    opts: &ImportOptions,
    rules: &[MapRule],
) -> Result<Imported, ImportError> {
    let Parsed {
        rows,
        mut report,
        ids_seen,
    } = parse_rows(table, opts, rules, Mode::New)?;
    if report.has(Field::AssetId) || report.has(Field::ThreatId) {
        report.assumptions.push(
            "asset_id and threat_id columns are read by --into only: a new register numbers its assets and threats itself"
                .into(),
        );
    }
    // Generated ids avoid every id in the file, bad rows' included, so
    // fixing a bad row later does not renumber the others.
    let used: HashSet<String> = ids_seen.into_keys().collect();
    let register = build_register(rows, used, opts, &mut report);
    Ok(Imported { register, report })
}

/// Reads a sheet for [`update`]: an id column needed, scales read as
/// `method` defines them.
pub(crate) fn parse_for_update(
    bytes: &[u8],
    opts: &ImportOptions,
    register: &Register,
) -> Result<Parsed, ImportError> {
    let rules = map_rules(opts)?;
    let table = read_any(bytes, opts, &rules)?;
    parse_rows(table, opts, &rules, Mode::Into(register))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_built_from_what_a_row_names() {
        let t = |th: &str, a: &str, v: &str| build_title(th, a, v);
        assert_eq!(
            t("Ransomware", "Customer database", "Flat network").as_deref(),
            Some("Ransomware against Customer database through flat network")
        );
        assert_eq!(
            t("Phishing", "Mail", "MFA not enforced").as_deref(),
            Some("Phishing against Mail through MFA not enforced")
        );
        assert_eq!(t("Theft", "", "").as_deref(), Some("Theft"));
        assert_eq!(
            t("", "Laptops", "no disk\nencryption").as_deref(),
            Some("Risk to Laptops through no disk encryption")
        );
        assert_eq!(t("", "", "Flat network").as_deref(), Some("Flat network"));
        assert_eq!(t(" ", "", ""), None);
    }
}
