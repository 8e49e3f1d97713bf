//! Reading a spreadsheet workbook (xlsx, and what else calamine reads:
//! xlsm, xlsb, xls, ods) into the same rows of text a CSV export gives, so
//! one column detection and one set of value readers serve both.
//!
//! Cells become the text a CSV export of them would hold: whole numbers
//! without a decimal point (`3`, not `3.0`), dates as `YYYY-MM-DD` (a date
//! is a number with a date format in a workbook; the format is what makes
//! it a date), errors as Excel shows them (`#N/A`). A cell holding a
//! formula becomes `=FORMULA`, so that, as in a CSV, a formula is never
//! taken for a value (see [`super::values::is_formula`]).

use std::io::Cursor;

use calamine::{Data, Reader};

use super::table::Record;

/// The sheet of riskbench's own workbook that holds the risks: read by
/// default when the workbook has it (its first sheet is the SoA).
pub const REGISTER_SHEET: &str = crate::export::REGISTER_SHEET;

/// Whether `bytes` are a workbook rather than text: a zip file (xlsx,
/// xlsm, xlsb, ods) or an OLE compound file (xls). A CSV export never
/// starts with either signature.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// One sheet as rows of text.
#[derive(Debug, Clone)]
pub struct SheetRows {
    /// The sheet's name, as the workbook spells it.
    pub name: String,
    /// One record per sheet row from the first (row 1 is `line` 1, column
    /// A is cell 1), so positions are the sheet's own.
    pub records: Vec<Record>,
}

/// `A`, `Z`, `AA`: the column letters of 1-based column `col`.
pub fn column_letters(col: usize) -> String {
    let mut n = col.max(1);
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Reads one sheet of the workbook in `bytes`: `sheet` by name (exactly,
/// else ignoring case), else the "Risk register" sheet of a riskbench
/// workbook, else the first sheet. `Err` says why in words (exit 2).
pub fn read_sheet(bytes: &[u8], source: &str, sheet: Option<&str>) -> Result<SheetRows, String> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("{source}: cannot read the workbook: {e}"))?;
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
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| format!("{source}: cannot read sheet {name:?}: {e}"))?;
    // Formulas are optional: a workbook format without them reads as values.
    let formulas = wb.worksheet_formula(&name).ok();
    let Some((top, left)) = range.start() else {
        return Ok(SheetRows {
            name,
            records: Vec::new(),
        });
    };
    let (top, left) = (top as usize, left as usize);
    // Rows above the range are empty and need no record; columns left of
    // it get empty cells, so a cell's index is its column.
    let mut records: Vec<Record> = range
        .rows()
        .enumerate()
        .map(|(r, row)| {
            let line = top + r + 1;
            let cells: Vec<String> = std::iter::repeat_n(String::new(), left)
                .chain(row.iter().map(cell_text))
                .collect();
            Record {
                line,
                starts: (1..=cells.len()).map(|c| (line, c)).collect(),
                cells,
            }
        })
        .collect();
    if let Some(f) = formulas
        && let Some((ftop, fleft)) = f.start()
    {
        for (r, c, formula) in f.used_cells() {
            let (r, c) = (ftop as usize + r, fleft as usize + c);
            if !formula.is_empty()
                && let Some(cell) = r
                    .checked_sub(top)
                    .and_then(|i| records.get_mut(i))
                    .and_then(|rec| rec.cells.get_mut(c))
            {
                *cell = format!("={formula}");
            }
        }
    }
    Ok(SheetRows { name, records })
}

/// A cell as the text a CSV export of it would hold.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, ms) = d.to_ymd_hms_milli();
            if (h, mi, s, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
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
        assert_eq!(cell_text(&Data::Float(46266.0)), "46266");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
    }

    #[test]
    fn not_a_workbook() {
        assert!(!is_workbook(b"id,title\n"));
        assert!(is_workbook(b"PK\x03\x04rest"));
        assert!(read_sheet(b"PK\x03\x04junk", "f.xlsx", None).is_err());
    }
}
