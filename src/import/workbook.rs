//! Reading an xlsx workbook (what Excel, LibreOffice and Google Sheets
//! save as "Excel workbook", and what `riskbench risks --format xlsx`
//! writes) into the same rows of text a CSV export gives, so one column
//! detection and one set of value readers serve both.
//!
//! Cells become the text a CSV export of them would hold: whole numbers
//! without a decimal point (`3`, not `3.0`), dates as `YYYY-MM-DD` (a date
//! is a number with a date format in a workbook; the format is what makes
//! it a date), errors as Excel shows them (`#N/A`). A cell holding a
//! formula becomes `=FORMULA`, so that, as in a CSV, a formula is never
//! taken for a value (see [`super::values::is_formula`]).

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use super::table::Record;

/// The sheet of riskbench's own workbook that holds the risks: read by
/// default when the workbook has it (its first sheet is the SoA).
pub(crate) const REGISTER_SHEET: &str = crate::export::REGISTER_SHEET;

/// Whether `bytes` are a workbook rather than text: a zip file (xlsx,
/// xlsm, xlsb, ods) or an OLE compound file (xls). A CSV export never
/// starts with either signature.
pub(crate) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// One sheet as rows of text.
#[derive(Debug, Clone)]
pub(crate) struct SheetRows {
    /// The sheet's name, as the workbook spells it.
    pub name: String,
    /// One record per sheet row from the first (row 1 is `line` 1, column
    /// A is cell 1), so positions are the sheet's own.
    pub records: Vec<Record>,
}

/// `A`, `Z`, `AA`: the column letters of 1-based column `col`.
pub(crate) fn column_letters(col: usize) -> String {
    let mut n = col.max(1);
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A workbook that unpacks to more than this is refused before it is
/// read (a few kilobytes of zip can claim gigabytes of XML).
const MAX_UNPACKED: u128 = 2 * 1024 * 1024 * 1024;

/// At most this many cells are read from a sheet (Excel's own sheets hold
/// up to about 17 billion, riskbench's export 32 a risk).
const MAX_CELLS: usize = 20_000_000;

/// At most this much text (bytes) is read from a sheet's cells.
const MAX_TEXT: usize = crate::store::load::MAX_FILE_BYTES as usize;

/// Reads one sheet of the xlsx workbook in `bytes`: `sheet` by name
/// (exactly, else ignoring case), else the "Risk register" sheet of a
/// riskbench workbook, else the first sheet. `Err` says why in words
/// (exit 2).
///
/// The cells are streamed, one at a time, into rows that hold only what
/// the sheet holds: a sheet with one cell at A1 and one at XFD1048576 is
/// two short rows, not a grid of 17 billion cells.
pub(crate) fn read_sheet(
    bytes: &[u8],
    source: &str,
    sheet: Option<&str>,
) -> Result<SheetRows, String> {
    let unreadable = |e: &dyn std::fmt::Display| {
        format!(
            "{source}: cannot read the workbook: {e} (riskbench reads .xlsx workbooks; save the file as an Excel workbook or as CSV)"
        )
    };
    if let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes))
        && zip.decompressed_size().is_some_and(|n| n > MAX_UNPACKED)
    {
        return Err(format!(
            "{source}: the workbook unpacks to more than {} GiB; not read",
            MAX_UNPACKED >> 30
        ));
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let names = wb.sheet_names();
    let listed = || {
        names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let name = match sheet {
        Some(want) => names
            .iter()
            .find(|n| *n == want)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.to_lowercase() == want.to_lowercase())
            })
            .ok_or_else(|| {
                format!(
                    "{source}: no sheet {want:?}; the workbook's sheets are {}",
                    listed()
                )
            })?,
        None => names
            .iter()
            .find(|n| *n == REGISTER_SHEET)
            .or_else(|| names.first())
            .ok_or_else(|| format!("{source}: the workbook has no sheets"))?,
    }
    .clone();
    let mut reader = wb
        .worksheet_cells_reader(&name)
        .map_err(|e| format!("{source}: cannot read sheet {name:?}: {e}"))?;
    // Row number (0-based) → cells by column.
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let (mut cells, mut text) = (0usize, 0usize);
    while let Some(cell) = reader
        .next_cell_with_formula()
        .map_err(|e| format!("{source}: cannot read sheet {name:?}: {e}"))?
    {
        let value = match &cell.formula {
            Some(f) if !f.is_empty() => format!("={f}"),
            _ => cell_text(&cell.value),
        };
        if value.is_empty() {
            continue;
        }
        cells += 1;
        text += value.len();
        if cells > MAX_CELLS || text > MAX_TEXT {
            return Err(format!(
                "{source}: sheet {name:?} holds more than {MAX_CELLS} cells or {MAX_TEXT} bytes of text; not read"
            ));
        }
        let (r, c) = cell.pos;
        let row = rows.entry(r).or_default();
        let c = c as usize;
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = value;
    }
    let records = rows
        .into_iter()
        .map(|(r, cells)| {
            let line = r as usize + 1;
            Record {
                line,
                starts: (1..=cells.len()).map(|c| (line, c)).collect(),
                cells,
            }
        })
        .collect();
    Ok(SheetRows { name, records })
}

/// A cell as the text a CSV export of it would hold.
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, ms) = d.to_ymd_hms_milli();
            if (h, mi, s, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        DataRef::DateTime(d) => number_text(d.as_f64()),
        DataRef::Error(e) => e.to_string(),
    }
}

/// `3.0` → `3`; other numbers as Rust writes them (`2.5`).
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_are_the_spreadsheet_s() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(8), "H");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(52), "AZ");
        assert_eq!(column_letters(703), "AAA");
    }

    #[test]
    fn numbers_read_as_a_csv_would_hold_them() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(-2.0), "-2");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(cell_text(&DataRef::Float(46266.0)), "46266");
        assert_eq!(cell_text(&DataRef::Bool(true)), "TRUE");
    }

    #[test]
    fn not_a_workbook() {
        assert!(!is_workbook(b"id,title\n"));
        assert!(is_workbook(b"PK\x03\x04rest"));
        assert!(read_sheet(b"PK\x03\x04junk", "f.xlsx", None).is_err());
    }
}
