//! Table output shared by the commands: aligned text, GitHub-flavoured
//! Markdown and CSV, from the same headers and rows.
//!
//! Cells are register text: text tables show control and bidi characters
//! escaped (one cell, one line), Markdown also escapes HTML, and CSV
//! neutralises cells a spreadsheet would run as formulas (see
//! [`crate::escape`]).

use unicode_width::UnicodeWidthStr;

use crate::escape;

/// An aligned plain-text table; integer columns are right-aligned.
pub(crate) fn text_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let cols = headers.len();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| escape::for_terminal(c).into_owned())
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    let mut numeric = vec![true; cols];
    for row in &rows {
        for (i, cell) in row.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(cell.width());
            if !cell.is_empty() && cell.parse::<i64>().is_err() {
                numeric[i] = false;
            }
        }
    }
    let mut out = String::new();
    let push_row = |cells: Vec<&str>, out: &mut String| {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.width());
            if i > 0 {
                line.push_str("  ");
            }
            if numeric[i] {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if i + 1 < cells.len() {
                    line.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    push_row(headers.to_vec(), &mut out);
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    push_row(rule.iter().map(String::as_str).collect(), &mut out);
    for row in &rows {
        push_row(row.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

/// A GFM table an auditor can paste into a document.
pub(crate) fn markdown_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    out.push_str("| ");
    out.push_str(
        &headers
            .iter()
            .map(|h| escape::markdown_cell(h))
            .collect::<Vec<_>>()
            .join(" | "),
    );
    out.push_str(" |\n|");
    for _ in headers {
        out.push_str(" --- |");
    }
    out.push('\n');
    for row in rows {
        out.push_str("| ");
        out.push_str(
            &row.iter()
                .map(|c| escape::markdown_cell(c))
                .collect::<Vec<_>>()
                .join(" | "),
        );
        out.push_str(" |\n");
    }
    out
}

/// RFC 4180 CSV with a header row; cells that a spreadsheet would run as
/// formulas get a leading `'` ([`escape::csv_cell`]; `riskbench import`
/// takes it off again).
pub(crate) fn csv_table(headers: &[&str], rows: &[Vec<String>]) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers.iter().map(|h| escape::csv_cell(h).into_owned()))
        .map_err(|e| e.to_string())?;
    for row in rows {
        w.write_record(row.iter().map(|c| escape::csv_cell(c).into_owned()))
            .map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// A table in the chosen format, as it is printed or written to `-o FILE`
/// (JSON is handled by each command).
pub fn table(
    format: super::TableFormat,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<String, i32> {
    use super::TableFormat;
    Ok(match format {
        TableFormat::Text => text_table(headers, rows),
        TableFormat::Md => markdown_table(headers, rows),
        TableFormat::Csv => csv_table(headers, rows).map_err(|e| {
            crate::ewarn!("cannot write CSV: {e}");
            super::EXIT_BAD_INPUT
        })?,
        // Commands build their own JSON shapes; this generic form (an array
        // of objects keyed by header) is only a fallback.
        TableFormat::Json => {
            let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|r| {
                    headers
                        .iter()
                        .zip(r)
                        .map(|(h, c)| (h.to_string(), serde_json::Value::from(c.as_str())))
                        .collect()
                })
                .collect();
            format!("{}\n", serde_json::Value::from(objects))
        }
    })
}

/// Prints a command's whole output, or writes it to `-o FILE` (checked
/// beforehand with [`super::soa::check_output`]) atomically, without a
/// `.bak`, as the documents are written.
///
/// The file gets exactly the bytes stdout would have got. Each format is
/// already made safe for where it is read, and none of that depends on
/// whether stdout is a terminal: text tables show control and bidi
/// characters escaped (a text file is read in a terminal too, with `cat`
/// or `less`), Markdown also escapes HTML, CSV keeps the data exact except
/// for neutralising formulas (which `riskbench import` undoes), and JSON is
/// exact. So `riskbench risks R --format csv -o F` and `… > F` give the same
/// file, and a file never holds less safe text than the screen.
pub(crate) fn deliver(text: &str, output: Option<&std::path::Path>) -> Result<(), i32> {
    let Some(path) = output else {
        super::emit(text);
        return Ok(());
    };
    crate::store::write_atomic(path, text.as_bytes(), crate::store::WriteOptions::default())
        .map_err(|e| {
            crate::ewarn!("{e}");
            super::EXIT_BAD_INPUT
        })
}
