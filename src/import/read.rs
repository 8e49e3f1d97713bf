//! Reading the sheet's rows: a CSV file (encoding, delimiter, header row)
//! or a workbook's sheet.

use std::collections::HashMap;

use super::columns::{self, MapRule};
use super::report::Report;
use super::table::{self, CsvError, Record};
use super::{ImportError, ImportOptions, RowError, workbook};

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
pub(super) struct Table {
    pub(super) records: Vec<Record>,
    /// The index of the header row in `records`.
    pub(super) header_at: usize,
    /// Row errors for bytes the file's encoding cannot read, by record.
    pub(super) unreadable: HashMap<usize, Vec<RowError>>,
    /// Cells as `risks --format csv` writes them, a formula character
    /// behind a `'` ([`crate::escape::csv_cell`]): true for CSV. A
    /// workbook's cells are text already, so a `'` there is the text's.
    pub(super) neutralised: bool,
    /// The report so far: the source and how it was read.
    pub(super) report: Report,
}

pub(super) fn map_rules(opts: &ImportOptions) -> Result<Vec<MapRule>, ImportError> {
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
pub(super) fn read_any(
    bytes: &[u8],
    opts: &ImportOptions,
    rules: &[MapRule],
) -> Result<Table, ImportError> {
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
