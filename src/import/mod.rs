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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use chrono::NaiveDate;

use crate::domain::{
    Asset, AssetKind, HistoryEntry, Id, Level, Method, Register, Risk, SCHEMA_VERSION, Threat,
    Treatment,
};

pub use columns::Field;
use columns::{Column, MapRule, Role};
use table::{CsvError, Record};
use values::{Scale, one_line};

/// The method an imported register uses: 5 × 5 with the standard labels,
/// Low/Medium/High/Critical up to 4/9/16/25 (reviews every 365/180/90/30
/// days) and appetite 9.
pub fn standard_method() -> Method {
    let level = |name: &str, up_to: u32, review_days: u32| Level {
        name: name.into(),
        up_to,
        review_days,
    };
    Method {
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

/// What the import did and assumed.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub source: String,
    pub delimiter: char,
    /// "detected", "sep= line" or "--delimiter".
    pub delimiter_from: &'static str,
    pub encoding: Option<String>,
    /// The sheet read, for a workbook: positions are then `SHEET!CELL`.
    pub sheet: Option<String>,
    pub header_line: usize,
    pub columns: Vec<Column>,
    /// Data rows (blank rows not counted).
    pub rows_read: usize,
    pub blank_rows: usize,
    pub risks: usize,
    pub assets: usize,
    pub threats: usize,
    /// Distinct 2022 controls linked, and risk → control links.
    pub controls: usize,
    pub links: usize,
    /// Every assumption, one line each, in the order of the report.
    pub assumptions: Vec<String>,
    /// Text cells that look like spreadsheet formulas (`=…`): imported as
    /// the text they are, never evaluated, and listed with their position
    /// so a person can check them.
    pub formulas: Vec<RowError>,
    pub errors: Vec<RowError>,
}

impl Report {
    /// Whether a column fills `field`.
    pub fn has(&self, field: Field) -> bool {
        self.columns
            .iter()
            .any(|c| matches!(c.role, Role::Field { field: f, .. } if f == field))
    }

    /// Rows that could not be imported.
    pub fn bad_rows(&self) -> usize {
        self.errors
            .iter()
            .map(|e| e.line)
            .collect::<HashSet<_>>()
            .len()
    }

    /// Where a cell is, after `FILE:`: `LINE:COL` in a CSV file,
    /// `SHEET!CELL` (`Risk register!H4`) in a workbook.
    pub fn at(&self, line: usize, col: usize) -> String {
        match &self.sheet {
            Some(sheet) => format!("{sheet}!{}{line}", workbook::column_letters(col)),
            None => format!("{line}:{col}"),
        }
    }

    /// The report as text: columns, assumptions, unimportable rows (as
    /// `FILE:LINE:COL: reason`) and counts.
    pub fn render(&self) -> String {
        let mut o = self.render_details();
        o.push_str(&self.render_counts());
        o
    }

    /// [`Report::render`] without the counts line (`import --into` says
    /// what it did to the register instead).
    pub fn render_details(&self) -> String {
        // The file name as a terminal may show it (the report goes to
        // stderr); the rest quotes cell text with `{:?}`.
        let source = crate::escape::for_terminal(&self.source);
        let mut o = String::new();
        match &self.sheet {
            Some(sheet) => {
                let _ = writeln!(
                    o,
                    "{source}: sheet {sheet:?}, header on row {}",
                    self.header_line
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "{}: {}-separated ({}), header on line {}{}",
                    source,
                    table::delimiter_name(self.delimiter),
                    self.delimiter_from,
                    self.header_line,
                    self.encoding
                        .as_ref()
                        .map(|e| format!(", {e}"))
                        .unwrap_or_default()
                );
            }
        }
        o.push_str("columns:\n");
        let width = self
            .columns
            .iter()
            .map(|c| c.header.chars().count())
            .max()
            .unwrap_or(0)
            + 2;
        let unnamed = self
            .columns
            .iter()
            .filter(|c| c.header.is_empty() && c.role == Role::Ignored)
            .count();
        for c in self
            .columns
            .iter()
            .filter(|c| !(c.header.is_empty() && c.role == Role::Ignored))
        {
            let quoted = format!("{:?}", c.header);
            let what = match &c.role {
                Role::Field { field, mapped } => format!(
                    "→ {}{}",
                    field.name(),
                    if *mapped { " (--map)" } else { "" }
                ),
                Role::Duplicate { field, winner } => format!(
                    "not used: {} comes from column {}",
                    field.name(),
                    winner + 1
                ),
                Role::Dropped => "ignored (--map)".into(),
                Role::Ignored if computed_header(&c.header) => {
                    "ignored (riskbench computes scores and levels itself)".into()
                }
                Role::Ignored if acceptance_header(&c.header) => {
                    "ignored (acceptances are recorded in riskbench itself)".into()
                }
                Role::Ignored => "ignored (no matching field; see --map)".into(),
            };
            let _ = writeln!(o, "  {:>3} {quoted:<width$} {what}", c.index + 1);
        }
        if unnamed > 0 {
            let _ = writeln!(o, "  {unnamed} columns without a header ignored");
        }
        if !self.assumptions.is_empty() {
            o.push_str("assumptions:\n");
            for a in &self.assumptions {
                let _ = writeln!(o, "  - {a}");
            }
        }
        if !self.formulas.is_empty() {
            o.push_str(
                "cells that look like spreadsheet formulas (imported as text, never evaluated):\n",
            );
            for e in &self.formulas {
                let _ = writeln!(o, "  {source}:{}: {}", self.at(e.line, e.col), e.message);
            }
        }
        if !self.errors.is_empty() {
            o.push_str("rows that cannot be imported:\n");
            for e in &self.errors {
                let _ = writeln!(o, "  {source}:{}: {}", self.at(e.line, e.col), e.message);
            }
        }
        o
    }

    /// The counts line: rows read, risks, assets, threats, controls.
    pub fn render_counts(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{} read: {}, {}, {}, {} linked ({}){}",
            plural(self.rows_read, "row"),
            plural(self.risks, "risk"),
            plural(self.assets, "asset"),
            plural(self.threats, "threat"),
            plural(self.controls, "control"),
            plural(self.links, "link"),
            match self.bad_rows() {
                0 => String::new(),
                1 => "; 1 row cannot be imported".into(),
                n => format!("; {n} rows cannot be imported"),
            }
        );
        o
    }
}

/// An acceptance column (`acceptance_by`, "Accepted by", "Acceptance
/// until"): an acceptance is recorded in riskbench with who accepted what
/// until when, not read from a sheet.
fn acceptance_header(h: &str) -> bool {
    let n = columns::norm_header(h);
    n.split(' ')
        .next()
        .is_some_and(|w| w == "acceptance" || w == "accepted")
}

fn computed_header(h: &str) -> bool {
    let n = columns::norm_header(h);
    n == "next review"
        || [
            "score", "level", "rating", "residual", "inherent", "target", "overdue", "appetite",
        ]
        .iter()
        .any(|w| n.split(' ').any(|x| x == *w))
}

/// A register and the report of how it was read.
#[derive(Debug, Clone)]
pub struct Imported {
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

/// At most this many items are listed in one report line.
const LIST_MAX: usize = 12;

/// "a, b, c", or "a, b, …, (40 in all)" for long lists.
fn capped(items: &[String]) -> String {
    let mut shown: Vec<&str> = items.iter().take(LIST_MAX).map(String::as_str).collect();
    let more = format!("… ({} in all)", items.len());
    if items.len() > LIST_MAX {
        shown.push(&more);
    }
    shown.join(", ")
}

/// "line 4", "lines 2, 5, 9" (long lists shortened).
fn line_list(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    format!(
        "{} {}",
        if lines.len() == 1 { "line" } else { "lines" },
        capped(&shown)
    )
}

/// "1 risk", "3 risks".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn rows_word(n: usize) -> String {
    plural(n, "row")
}

/// Fields read as text: a formula-looking cell there is imported as written.
const TEXT_FIELDS: [Field; 9] = [
    Field::Id,
    Field::AssetId,
    Field::ThreatId,
    Field::Title,
    Field::Asset,
    Field::AssetOwner,
    Field::Threat,
    Field::Vulnerability,
    Field::Owner,
];

/// Fields whose value is read: a formula there cannot be imported.
const VALUE_FIELDS: [Field; 7] = [
    Field::Likelihood,
    Field::Impact,
    Field::Treatment,
    Field::Controls,
    Field::Reviewed,
    Field::Due,
    Field::AssetKind,
];

/// Bytes the file's encoding cannot read ([`table::decode`]) make their row
/// unimportable, at `LINE:COL` (COL the cell's column, as for every row
/// error; keyed by record index). On the header line or above them nothing
/// can be read reliably: a malformed file.
fn unreadable_rows(
    bad: &[table::BadBytes],
    records: &[Record],
    header_at: usize,
) -> Result<HashMap<usize, Vec<RowError>>, ImportError> {
    let mut rows: HashMap<usize, Vec<RowError>> = HashMap::new();
    for b in bad {
        let index = records.partition_point(|r| r.line <= b.line);
        match index.checked_sub(1) {
            Some(i) if i > header_at => {
                let rec = &records[i];
                rows.entry(i).or_default().push(RowError {
                    line: b.line,
                    col: rec.cell_at(b.line, b.col),
                    message: format!(
                        "not valid {} ({}, character {} of the line): re-save the file in one encoding",
                        b.encoding, b.detail, b.col
                    ),
                });
            }
            _ => {
                return Err(ImportError::Malformed(CsvError {
                    line: b.line,
                    col: b.col,
                    message: format!(
                        "not valid {} ({}) on the header line or above it: re-save the file in one encoding",
                        b.encoding, b.detail
                    ),
                }));
            }
        }
    }
    Ok(rows)
}

/// Picks the delimiter and parses: the delimiter whose reading has the most
/// header-like row (among the first 10) wins, then the one with more
/// columns.
fn read_table(
    text: &str,
    opts: &ImportOptions,
    rules: &[MapRule],
) -> Result<(char, &'static str, Vec<Record>, usize), ImportError> {
    let (body, first_line, hinted) = match table::sep_hint(text) {
        Some((d, rest)) => (rest, 2, Some(d)),
        None => (text, 1, None),
    };
    let (candidates, from): (Vec<char>, &'static str) = match (opts.delimiter, hinted) {
        (Some(d), _) => (vec![d], "--delimiter"),
        (None, Some(d)) => (vec![d], "sep= line"),
        (None, None) => (table::DELIMITERS.to_vec(), "detected"),
    };
    // Best reading: the most header-like row, then the most columns, then
    // no error. A malformed file is judged on the rows before the error.
    type Reading = (
        (usize, usize, bool),
        char,
        Vec<Record>,
        usize,
        Option<CsvError>,
    );
    let mut best: Option<Reading> = None;
    for d in candidates.iter().copied() {
        let (records, error) = table::parse_partial(body, d, first_line);
        let (header, score) = header_row(&records, rules);
        let width = records.get(header).map_or(0, |r| r.cells.len());
        let key = (score, width, error.is_none());
        if best.as_ref().is_none_or(|(k, ..)| key > *k) {
            best = Some((key, d, records, header, error));
        }
    }
    match best {
        Some((_, _, _, _, Some(e))) => Err(ImportError::Malformed(e)),
        Some((_, d, records, header, None)) => Ok((d, from, records, header)),
        None => Err(ImportError::Usage(format!(
            "{}: no delimiter to try",
            opts.source
        ))),
    }
}

/// The index of the header row among the first 10 non-blank records, and
/// its score.
fn header_row(records: &[Record], rules: &[MapRule]) -> (usize, usize) {
    let mut best = (0usize, 0usize);
    for (i, r) in records
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_blank())
        .take(10)
    {
        let score = columns::header_score(&r.cells, rules);
        if score > best.1 {
            best = (i, score);
        }
    }
    if best.1 == 0 {
        // No recognisable header: the first non-blank row.
        best.0 = records.iter().position(|r| !r.is_blank()).unwrap_or(0);
    }
    best
}

/// Rows of text and how they were read, before columns get roles.
struct Table {
    records: Vec<Record>,
    /// The index of the header row in `records`.
    header_at: usize,
    /// Row errors for bytes the file's encoding cannot read, by record.
    unreadable: HashMap<usize, Vec<RowError>>,
    /// Cells as `risks --format csv` writes them, a formula character
    /// behind a `'` ([`crate::escape::csv_cell`]): true for CSV. A
    /// workbook's cells are text already, so a `'` there is the text's.
    neutralised: bool,
    /// The report so far: the source and how it was read.
    report: Report,
}

fn map_rules(opts: &ImportOptions) -> Result<Vec<MapRule>, ImportError> {
    opts.maps
        .iter()
        .map(|m| columns::parse_map(m))
        .collect::<Result<_, _>>()
        .map_err(ImportError::Usage)
}

fn csv_table(bytes: &[u8], opts: &ImportOptions, rules: &[MapRule]) -> Result<Table, ImportError> {
    let decoded = table::decode(bytes);
    let (delimiter, delimiter_from, records, header_at) = read_table(&decoded.text, opts, rules)?;
    let unreadable = unreadable_rows(&decoded.bad, &records, header_at)?;
    Ok(Table {
        records,
        header_at,
        unreadable,
        neutralised: true,
        report: Report {
            source: opts.source.clone(),
            delimiter,
            delimiter_from,
            encoding: decoded.note,
            ..Report::default()
        },
    })
}

fn workbook_table(
    bytes: &[u8],
    opts: &ImportOptions,
    rules: &[MapRule],
) -> Result<Table, ImportError> {
    if opts.delimiter.is_some() {
        return Err(ImportError::Usage(format!(
            "{}: --delimiter is for CSV files; this is a workbook",
            opts.source
        )));
    }
    let sheet = workbook::read_sheet(bytes, &opts.source, opts.sheet.as_deref())
        .map_err(ImportError::Usage)?;
    let (header_at, _) = header_row(&sheet.records, rules);
    Ok(Table {
        records: sheet.records,
        header_at,
        unreadable: HashMap::new(),
        neutralised: false,
        report: Report {
            source: opts.source.clone(),
            sheet: Some(sheet.name),
            ..Report::default()
        },
    })
}

/// The file's rows: a workbook when its bytes are one
/// ([`workbook::is_workbook`]), else CSV.
fn read_any(bytes: &[u8], opts: &ImportOptions, rules: &[MapRule]) -> Result<Table, ImportError> {
    if workbook::is_workbook(bytes) {
        return workbook_table(bytes, opts, rules);
    }
    if opts.sheet.is_some() {
        return Err(ImportError::Usage(format!(
            "{}: --sheet is for workbooks (xlsx); this is a CSV file",
            opts.source
        )));
    }
    csv_table(bytes, opts, rules)
}

/// What the rows are read for.
#[derive(Clone, Copy)]
enum Mode<'r> {
    /// A new register: likelihood and impact columns needed, and a title
    /// column or the parts to build titles from.
    New,
    /// Updating a register with this method: an id column needed, scales
    /// read on the register's own scales (see [`update`]).
    Into(&'r Method),
}

/// The rows a sheet holds and the report on reading them.
pub(crate) struct Parsed {
    pub(crate) rows: Vec<Row>,
    pub(crate) report: Report,
    /// Every risk id in the sheet (bad rows' too) and the line it is on.
    pub(crate) ids_seen: HashMap<String, usize>,
}

/// Imports a spreadsheet's CSV export. Rows that cannot be imported are
/// left out of the register and listed in `report.errors`; the caller
/// decides whether to write anyway.
pub fn import_csv(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    let rules = map_rules(opts)?;
    let table = csv_table(bytes, opts, &rules)?;
    import_table(table, opts, &rules)
}

/// Imports a spreadsheet: a workbook (xlsx, …; the sheet in `opts.sheet`)
/// or a CSV export, as [`import_csv`].
pub fn import_file(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
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
    method: &Method,
) -> Result<Parsed, ImportError> {
    let rules = map_rules(opts)?;
    let table = read_any(bytes, opts, &rules)?;
    parse_rows(table, opts, &rules, Mode::Into(method))
}

/// A title for a row without one, from what it names: "Ransomware against
/// Customer database through flat network", "Ransomware against Customer
/// database", "Risk to Customer database through flat network". `None`
/// when the row names none of the three.
pub fn build_title(threat: &str, asset: &str, vulnerability: &str) -> Option<String> {
    let (threat, asset) = (one_line(threat).0, one_line(asset).0);
    let vulnerability = one_line(vulnerability).0;
    let mut title = match (threat.is_empty(), asset.is_empty()) {
        (false, false) => format!("{threat} against {asset}"),
        (false, true) => threat,
        (true, false) => format!("Risk to {asset}"),
        (true, true) => return (!vulnerability.is_empty()).then_some(vulnerability),
    };
    if !vulnerability.is_empty() {
        title.push_str(" through ");
        title.push_str(&lower_first_word(&vulnerability));
    }
    Some(title)
}

/// "Flat network" → "flat network" inside a sentence; "MFA not enforced"
/// and "SharePoint" keep their capitals (a word with more than its first
/// letter in capitals is a name or an acronym).
fn lower_first_word(s: &str) -> String {
    let first = s.split(' ').next().unwrap_or("");
    if first.chars().skip(1).any(char::is_uppercase) {
        return s.to_string();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Assigns columns and reads every row: the values of the importable
/// rows, every bad row's errors and the assumptions, in the report.
fn parse_rows(
    table: Table,
    opts: &ImportOptions,
    rules: &[MapRule],
    mode: Mode,
) -> Result<Parsed, ImportError> {
    let Table {
        records,
        header_at,
        mut unreadable,
        neutralised,
        mut report,
    } = table;
    let Some(header) = records.get(header_at).filter(|r| !r.is_blank()) else {
        return Err(ImportError::Usage(match &report.sheet {
            Some(sheet) => format!("{}: sheet {sheet:?} is empty", opts.source),
            None => format!("{}: the file is empty", opts.source),
        }));
    };
    let headers: Vec<String> = header.cells.iter().map(|h| h.trim().to_string()).collect();
    let cols = columns::assign(&headers, rules).map_err(ImportError::Usage)?;
    let col_of = |f: Field| {
        cols.iter().find_map(|c| match c.role {
            Role::Field { field, .. } if field == f => Some(c.index),
            _ => None,
        })
    };
    let parts = [Field::Asset, Field::Threat, Field::Vulnerability];
    let has_parts = parts.iter().any(|f| col_of(*f).is_some());
    let missing: Vec<&str> = match mode {
        Mode::New => [Field::Title, Field::Likelihood, Field::Impact]
            .into_iter()
            .filter(|f| col_of(*f).is_none() && !(*f == Field::Title && has_parts))
            .map(|f| f.name())
            .collect(),
        Mode::Into(_) => [Field::Id]
            .into_iter()
            .filter(|f| col_of(*f).is_none())
            .map(|f| f.name())
            .collect(),
    };
    if !missing.is_empty() {
        let found: Vec<String> = headers.iter().map(|h| format!("{h:?}")).collect();
        let why = match mode {
            Mode::New if missing.contains(&"title") => {
                " (nor asset, threat or vulnerability to build titles from)"
            }
            Mode::New => "",
            Mode::Into(_) => " (--into matches rows to the register's risks by id)",
        };
        return Err(ImportError::Usage(format!(
            "{}:{}: no column for {}{why} (columns on the header {}: {}); name it with --map \"Column=FIELD\"",
            opts.source,
            match &report.sheet {
                Some(_) => report.at(header.line, 1),
                None => header.line.to_string(),
            },
            missing.join(", "),
            if report.sheet.is_some() {
                "row"
            } else {
                "line"
            },
            found.join(", ")
        )));
    }

    report.header_line = header.line;
    report.columns = cols.clone();
    if header_at > 0 {
        let skipped = records[..header_at]
            .iter()
            .filter(|r| !r.is_blank())
            .count();
        if skipped > 0 {
            report.assumptions.push(format!(
                "{} above the header skipped (titles or notes)",
                rows_word(skipped)
            ));
        }
    }

    let mut seen = Seen::default();
    let mut rows: Vec<Row> = Vec::new();
    let mut ids_seen: HashMap<String, usize> = HashMap::new();
    let mut joined: Vec<(usize, &'static str)> = Vec::new();
    let mut ignored_text: Vec<String> = Vec::new();
    let mut extra_cells: Vec<usize> = Vec::new();
    let mut built_titles: Vec<usize> = Vec::new();
    let mut outside: Vec<usize> = Vec::new();
    for (index, rec) in records.iter().enumerate().skip(header_at + 1) {
        if rec.is_blank() {
            report.blank_rows += 1;
            continue;
        }
        // Notes or sums beside the table, in a row that is otherwise
        // empty, are no risk: the row is skipped (and said so).
        let read_here = |i: usize| {
            cols.get(i)
                .is_some_and(|c| matches!(c.role, Role::Field { .. }))
        };
        if rec
            .cells
            .iter()
            .enumerate()
            .all(|(i, c)| !read_here(i) || c.trim().is_empty())
        {
            outside.push(rec.line);
            continue;
        }
        report.rows_read += 1;
        let line = rec.line;
        if rec.cells.len() > headers.len()
            && rec.cells[headers.len()..]
                .iter()
                .any(|c| !c.trim().is_empty())
        {
            extra_cells.push(line);
        }
        let mut errors: Vec<RowError> = unreadable.remove(&index).unwrap_or_default();
        // The cell as written, and as meant: without the `'` that
        // `risks --format csv` puts before a formula character.
        let raw_cell = |f: Field| -> Option<(usize, &str)> {
            col_of(f).map(|i| (i + 1, rec.cells.get(i).map_or("", String::as_str)))
        };
        let cell = |f: Field| {
            raw_cell(f).map(|(col, raw)| {
                (
                    col,
                    if neutralised {
                        crate::escape::csv_cell_read(raw)
                    } else {
                        raw
                    },
                )
            })
        };
        // A formula is never evaluated: in a text field it is the text
        // (reported); a value that must be read (a number, a date, a
        // treatment, controls) makes the row unimportable.
        for f in TEXT_FIELDS {
            if let Some((col, raw)) = raw_cell(f)
                && values::is_formula(raw)
            {
                report.formulas.push(RowError {
                    line,
                    col,
                    message: format!(
                        "{} {:?} is kept as text (a spreadsheet would run it)",
                        f.name(),
                        one_line(raw).0
                    ),
                });
            }
        }
        let mut blocked: Vec<Field> = Vec::new();
        for f in VALUE_FIELDS {
            if let Some((col, v)) = cell(f)
                && values::is_formula(v)
            {
                blocked.push(f);
                errors.push(RowError {
                    line,
                    col,
                    message: format!(
                        "{} {:?} is a spreadsheet formula: riskbench does not evaluate formulas; put the value itself in the cell",
                        f.name(),
                        one_line(v).0
                    ),
                });
            }
        }
        let text = |f: Field, joined: &mut Vec<(usize, &'static str)>| -> String {
            let Some((_, raw)) = cell(f) else {
                return String::new();
            };
            let (t, had_break) = one_line(raw);
            if had_break {
                joined.push((line, f.name()));
            }
            t
        };
        let id = text(Field::Id, &mut joined);
        let asset = text(Field::Asset, &mut joined);
        let threat = text(Field::Threat, &mut joined);
        let asset_id = text(Field::AssetId, &mut joined);
        let threat_id = text(Field::ThreatId, &mut joined);
        let owner = text(Field::Owner, &mut joined);
        let asset_owner = text(Field::AssetOwner, &mut joined);
        // Line breaks kept, as `\n` (CRLF, or a lone CR from old Mac Excel).
        let vulnerability = cell(Field::Vulnerability)
            .map(|(_, v)| v.trim().replace("\r\n", "\n").replace('\r', "\n"))
            .unwrap_or_default();
        let title = if col_of(Field::Title).is_some() {
            let title = text(Field::Title, &mut joined);
            if title.is_empty() {
                let (col, _) = cell(Field::Title).unwrap_or((1, ""));
                errors.push(RowError {
                    line,
                    col,
                    message: "the risk title is empty".into(),
                });
            }
            title
        } else {
            match (build_title(&threat, &asset, &vulnerability), mode) {
                (Some(t), Mode::New) => {
                    built_titles.push(line);
                    t
                }
                // `update` builds the titles of new risks itself, from
                // the names of the entities it resolves.
                (_, Mode::Into(_)) => String::new(),
                (None, Mode::New) => {
                    let col = parts.iter().find_map(|f| col_of(*f)).map_or(1, |i| i + 1);
                    errors.push(RowError {
                        line,
                        col,
                        message: "no title: the row names no asset, threat or vulnerability to build one from".into(),
                    });
                    String::new()
                }
            }
        };
        if !id.is_empty() {
            if let Some(&first) = ids_seen.get(&id) {
                let (col, _) = cell(Field::Id).unwrap_or((1, ""));
                errors.push(RowError {
                    line,
                    col,
                    message: format!("duplicate risk id {id:?} (also on line {first})"),
                });
            } else {
                ids_seen.insert(id.clone(), line);
            }
        }
        let scale = |f: Field, s: Scale, seen: &mut Seen, errors: &mut Vec<RowError>| {
            if blocked.contains(&f) {
                return 0;
            }
            // No column (only with --into): the register keeps its value.
            let Some((col, raw)) = cell(f) else {
                return 0;
            };
            let read = match mode {
                Mode::New => values::parse_scale(raw, s, 5),
                Mode::Into(method) => values::parse_scale_in(
                    raw,
                    s,
                    match s {
                        Scale::Likelihood => &method.likelihood,
                        Scale::Impact => &method.impact,
                    },
                ),
            };
            match read {
                Ok(v) => {
                    if let Some(label) = &v.label {
                        let key = values::norm_words(label);
                        seen.note(
                            s.name(),
                            &key,
                            || format!("{} {label:?} → {}", s.name(), v.value),
                            line,
                        );
                    }
                    v.value
                }
                Err(message) => {
                    errors.push(RowError { line, col, message });
                    0
                }
            }
        };
        let likelihood = scale(Field::Likelihood, Scale::Likelihood, &mut seen, &mut errors);
        let impact = scale(Field::Impact, Scale::Impact, &mut seen, &mut errors);
        let treatment = match cell(Field::Treatment) {
            None => None,
            Some(_) if blocked.contains(&Field::Treatment) => None,
            Some((col, raw)) => match values::parse_treatment(raw) {
                Ok(Some((t, word))) => {
                    // "Modify" meaning Modify is no assumption.
                    if !one_line(raw).0.eq_ignore_ascii_case(t.as_str()) {
                        let key = word.to_lowercase();
                        seen.note(
                            "treatment",
                            &key,
                            || format!("treatment {word:?} → {}", t.as_str()),
                            line,
                        );
                    }
                    Some(t)
                }
                Ok(None) => None,
                Err(message) => {
                    errors.push(RowError { line, col, message });
                    None
                }
            },
        };
        let mut controls = Vec::new();
        if blocked.contains(&Field::Controls) {
        } else if let Some((_, raw)) = cell(Field::Controls)
            && values::is_placeholder(raw)
        {
            seen.note(
                "placeholder",
                &format!("controls|{}", raw.trim().to_lowercase()),
                || format!("controls {:?} read as no controls", raw.trim()),
                line,
            );
        } else if let Some((col, raw)) = cell(Field::Controls) {
            let parsed = values::parse_controls(raw);
            for u in &parsed.unknown {
                errors.push(RowError {
                    line,
                    col,
                    message: format!(
                        "unknown control {u:?}: neither an ISO/IEC 27001:2022 nor a 2013 Annex A control"
                    ),
                });
            }
            if parsed.ids.is_empty() && parsed.unknown.is_empty() && !parsed.ignored.is_empty() {
                errors.push(RowError {
                    line,
                    col,
                    message: format!(
                        "no control id in {:?} (expected ids such as A.8.13, 8.13 or A.12.3.1)",
                        one_line(raw).0
                    ),
                });
            } else if !parsed.ignored.is_empty() {
                ignored_text.push(format!(
                    "line {line}: text in the controls cell ignored: {}",
                    parsed
                        .ignored
                        .iter()
                        .map(|t| format!("{t:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            for (written, old) in &parsed.translated {
                seen.note(
                    "translation",
                    &old.id,
                    || {
                        format!(
                            "2013 control {written} ({}) → {}",
                            old.title,
                            old.targets.join(" + ")
                        )
                    },
                    line,
                );
            }
            controls = parsed.ids;
        }
        let date = |f: Field, seen: &mut Seen, errors: &mut Vec<RowError>| {
            if blocked.contains(&f) {
                return None;
            }
            let (col, raw) = cell(f)?;
            if raw.trim().is_empty() {
                return None;
            }
            if values::is_placeholder(raw) {
                seen.note(
                    "placeholder",
                    &format!("{}|{}", f.name(), raw.trim().to_lowercase()),
                    || format!("{} {:?} read as no date", f.name(), raw.trim()),
                    line,
                );
                return None;
            }
            match values::parse_date(raw) {
                Ok(d) => {
                    seen.note(
                        "date",
                        &format!("{}|{}", f.name(), d.format),
                        || format!("{} dates read as {}", f.name(), d.format),
                        line,
                    );
                    Some(d.date)
                }
                Err(e) => {
                    errors.push(RowError {
                        line,
                        col,
                        message: format!("{}: {e}", f.name()),
                    });
                    None
                }
            }
        };
        let reviewed = date(Field::Reviewed, &mut seen, &mut errors);
        let due = date(Field::Due, &mut seen, &mut errors);
        let asset_kind = match cell(Field::AssetKind) {
            _ if blocked.contains(&Field::AssetKind) => None,
            Some((col, raw)) if !raw.trim().is_empty() => match values::parse_asset_kind(raw) {
                Ok(k) => Some((k, one_line(raw).0)),
                Err(message) => {
                    errors.push(RowError { line, col, message });
                    None
                }
            },
            _ => None,
        };
        if !errors.is_empty() {
            report.errors.extend(errors);
            continue;
        }
        rows.push(Row {
            line,
            id: (!id.is_empty()).then_some(id),
            title,
            asset: (!asset.is_empty()).then_some(asset),
            asset_id: (!asset_id.is_empty()).then_some(asset_id),
            threat_id: (!threat_id.is_empty()).then_some(threat_id),
            asset_kind,
            asset_owner,
            threat: (!threat.is_empty()).then_some(threat),
            vulnerability,
            likelihood,
            impact,
            treatment,
            controls,
            owner,
            reviewed,
            due,
        });
    }
    report.errors.sort();
    report.formulas.sort();

    // Assumptions, in a fixed order.
    let a = &mut report.assumptions;
    if !extra_cells.is_empty() {
        a.push(format!(
            "{} more cells than the header has columns; the extra cells ignored",
            line_list(&extra_cells)
        ));
    }
    if !outside.is_empty() {
        a.push(format!(
            "{} skipped: nothing in the columns riskbench reads (text only beside the table)",
            line_list(&outside)
        ));
    }
    let listed = |pick: &dyn Fn(&Column) -> bool| -> Vec<String> {
        cols.iter()
            .filter(|c| pick(c))
            .map(|c| format!("{:?}", c.header))
            .collect()
    };
    let derived = listed(&|c| {
        matches!(c.role, Role::Ignored | Role::Duplicate { .. }) && computed_header(&c.header)
    });
    if !derived.is_empty() {
        a.push(format!(
            "columns riskbench works out itself (scores, levels, next review, …) ignored: {}",
            derived.join(", ")
        ));
    }
    let acceptance = listed(&|c| c.role == Role::Ignored && acceptance_header(&c.header));
    if !acceptance.is_empty() {
        a.push(format!(
            "acceptance columns not imported (an acceptance is recorded in riskbench itself): {}",
            acceptance.join(", ")
        ));
    }
    if let Some(&first) = built_titles.first() {
        let example = rows
            .iter()
            .find(|r| r.line == first)
            .map_or(String::new(), |r| format!(", e.g. {:?}", r.title));
        a.push(format!(
            "no title column: titles built from threat, asset and vulnerability (\"THREAT against ASSET through VULNERABILITY\"{example}) ({})",
            rows_word(built_titles.len())
        ));
    }
    for what in ["likelihood", "impact", "treatment"] {
        for (text, lines) in seen.lines(what) {
            a.push(format!("{text} ({})", rows_word(lines.len())));
        }
    }
    let no_treatment: Vec<usize> = rows
        .iter()
        .filter(|r| r.treatment.is_none())
        .map(|r| r.line)
        .collect();
    if col_of(Field::Treatment).is_none() && !rows.is_empty() {
        a.push("no treatment column: every risk is Modify (reduce the risk with controls)".into());
    } else if !no_treatment.is_empty() {
        a.push(format!(
            "treatment empty on {} → Modify",
            line_list(&no_treatment)
        ));
    }
    for (text, lines) in seen.lines("translation") {
        a.push(format!("{text} on {}", line_list(&lines)));
    }
    if ignored_text.len() > LIST_MAX {
        let n = ignored_text.len();
        ignored_text.truncate(LIST_MAX);
        ignored_text.push(format!("… text ignored in {n} controls cells in all"));
    }
    a.extend(ignored_text);
    for (text, lines) in seen.lines("placeholder") {
        a.push(format!("{text} on {}", line_list(&lines)));
    }
    // Dates grouped by field (reviewed, then due), formats in order seen.
    let mut dates = seen.lines("date");
    dates.sort_by_key(|(text, _)| !text.starts_with("reviewed"));
    for (text, lines) in dates {
        a.push(format!("{text} ({})", rows_word(lines.len())));
    }
    if !joined.is_empty() {
        let list: Vec<String> = joined.iter().map(|(l, f)| format!("{l} ({f})")).collect();
        a.push(format!(
            "line breaks inside cells joined with spaces on line {}",
            capped(&list)
        ));
    }

    Ok(Parsed {
        rows,
        report,
        ids_seen,
    })
}

/// Entities with generated ids, risk ids for rows without one, and the
/// register itself.
fn build_register(
    rows: Vec<Row>,
    used: HashSet<String>,
    opts: &ImportOptions,
    report: &mut Report,
) -> Register {
    const NO_ASSET: &str = "Unspecified asset";
    const NO_THREAT: &str = "Unspecified threat";
    let mut assets: Vec<Asset> = Vec::new();
    let mut asset_index: HashMap<String, usize> = HashMap::new();
    let mut asset_kind_set: Vec<bool> = Vec::new();
    let mut asset_first_line: Vec<usize> = Vec::new();
    let mut threats: Vec<Threat> = Vec::new();
    let mut threat_index: HashMap<String, usize> = HashMap::new();
    let mut merged_names: Vec<String> = Vec::new();
    let mut kinds_read: BTreeMap<String, (String, AssetKind)> = BTreeMap::new();
    let mut kind_conflicts: Vec<String> = Vec::new();
    let mut no_asset: Vec<usize> = Vec::new();
    let mut no_threat: Vec<usize> = Vec::new();
    let mut generated: Vec<(usize, String)> = Vec::new();
    let mut next_id = 1usize;
    let width = if rows.len() > 999 { 4 } else { 3 };
    let mut risks = Vec::with_capacity(rows.len());
    for row in rows {
        let asset_name = row.asset.clone().unwrap_or_else(|| {
            no_asset.push(row.line);
            NO_ASSET.into()
        });
        let key = asset_name.to_lowercase();
        let ai = match asset_index.get(&key) {
            Some(&i) => {
                if assets[i].name != asset_name {
                    merged_names.push(format!(
                        "asset {asset_name:?} on line {} is {:?} (line {}): names compared ignoring case",
                        row.line, assets[i].name, asset_first_line[i]
                    ));
                }
                i
            }
            None => {
                assets.push(Asset {
                    id: format!("A-{:02}", assets.len() + 1).into(),
                    name: asset_name.clone(),
                    kind: AssetKind::Information,
                    owner: String::new(),
                    factor: None,
                });
                asset_kind_set.push(false);
                asset_first_line.push(row.line);
                asset_index.insert(key, assets.len() - 1);
                assets.len() - 1
            }
        };
        if let Some((kind, written)) = &row.asset_kind {
            if !asset_kind_set[ai] {
                assets[ai].kind = *kind;
                asset_kind_set[ai] = true;
                kinds_read
                    .entry(values::norm_words(written))
                    .or_insert_with(|| (written.clone(), *kind));
            } else if assets[ai].kind != *kind {
                kind_conflicts.push(format!(
                    "asset {:?}: kind {written:?} on line {} differs from {} on line {}; kept {}",
                    assets[ai].name,
                    row.line,
                    assets[ai].kind.as_str(),
                    asset_first_line[ai],
                    assets[ai].kind.as_str()
                ));
            }
        }
        if assets[ai].owner.is_empty() && !row.asset_owner.is_empty() {
            assets[ai].owner = row.asset_owner.clone();
        }
        let threat_name = row.threat.clone().unwrap_or_else(|| {
            no_threat.push(row.line);
            NO_THREAT.into()
        });
        let key = threat_name.to_lowercase();
        let ti = match threat_index.get(&key) {
            Some(&i) => {
                if threats[i].name != threat_name {
                    merged_names.push(format!(
                        "threat {threat_name:?} on line {} is {:?}: names compared ignoring case",
                        row.line, threats[i].name
                    ));
                }
                i
            }
            None => {
                threats.push(Threat {
                    id: format!("T-{:02}", threats.len() + 1).into(),
                    name: threat_name,
                    shift: 0,
                });
                threat_index.insert(key, threats.len() - 1);
                threats.len() - 1
            }
        };
        let id = match row.id {
            Some(id) => id,
            None => loop {
                let candidate = format!("R-{next_id:0width$}");
                next_id += 1;
                if !used.contains(&candidate) {
                    generated.push((row.line, candidate.clone()));
                    break candidate;
                }
            },
        };
        risks.push(Risk {
            id: id.into(),
            title: row.title,
            asset: assets[ai].id.clone(),
            threat: threats[ti].id.clone(),
            vulnerability: row.vulnerability,
            likelihood: row.likelihood,
            impact: row.impact,
            treatment: row.treatment.unwrap_or(Treatment::Modify),
            controls: row.controls.iter().map(Id::from).collect(),
            owner: row.owner,
            reviewed: row.reviewed,
            due: row.due,
            residual: None,
            acceptance: None,
            factor: None,
        });
    }

    let has = [report.has(Field::Asset), report.has(Field::Threat)];
    let a = &mut report.assumptions;
    if !generated.is_empty() {
        let list: Vec<String> = generated
            .iter()
            .map(|(l, id)| format!("{id} (line {l})"))
            .collect();
        a.push(format!("risk ids generated: {}", capped(&list)));
    }
    a.push(format!(
        "assets and threats get ids in order of first appearance: {} … and {} …",
        assets
            .first()
            .map_or("none".into(), |x| format!("{} = {:?}", x.id, x.name)),
        threats
            .first()
            .map_or("none".into(), |x| format!("{} = {:?}", x.id, x.name)),
    ));
    a.extend(merged_names);
    for (field, has_column, missing, placeholder) in [
        (Field::Asset, has[0], &no_asset, NO_ASSET),
        (Field::Threat, has[1], &no_threat, NO_THREAT),
    ] {
        let name = field.name();
        if missing.is_empty() {
            continue;
        }
        if has_column {
            a.push(format!(
                "no {name} on {} → {name} {placeholder:?}",
                line_list(missing)
            ));
        } else {
            a.push(format!(
                "no {name} column: every risk gets the {name} {placeholder:?}"
            ));
        }
    }
    for (written, kind) in kinds_read.values() {
        a.push(format!("asset kind {written:?} → {}", kind.as_str()));
    }
    a.extend(kind_conflicts);
    let defaulted = asset_kind_set.iter().filter(|s| !**s).count();
    if defaulted > 0 {
        a.push(format!(
            "asset kind not given for {} of {} assets → Information",
            defaulted,
            assets.len()
        ));
    }
    a.push(
        "method: 5 × 5 (Rare … Almost certain × Negligible … Severe), levels Low ≤4, Medium ≤9, High ≤16, Critical ≤25, appetite 9"
            .into(),
    );

    let distinct: HashSet<&str> = risks
        .iter()
        .flat_map(|r| r.controls.iter().map(Id::as_str))
        .collect();
    report.controls = distinct.len();
    report.links = risks.iter().map(|r| r.controls.len()).sum();
    report.risks = risks.len();
    report.assets = assets.len();
    report.threats = threats.len();

    let name = opts.name.clone().unwrap_or_else(|| {
        std::path::Path::new(&opts.source)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Imported register".into())
    });
    let source_name = std::path::Path::new(&opts.source)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| opts.source.clone());
    Register {
        schema: SCHEMA_VERSION,
        name,
        scope: String::new(),
        method: standard_method(),
        factors: Vec::new(),
        assets,
        threats,
        history: vec![HistoryEntry {
            on: opts.today,
            by: "riskbench import".into(),
            summary: format!("Imported {} risks from {source_name}", risks.len()),
        }],
        risks,
        controls: Vec::new(),
        decisions: Vec::new(),
        baseline: None,
    }
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
