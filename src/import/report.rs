//! The import report: how the sheet was read, what was assumed, which rows
//! cannot be imported, and the counts.

use std::collections::HashSet;
use std::fmt::Write;

use super::columns::{self, Column, Field, Role};
use super::table::{self};
use super::{RowError, workbook};

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
    pub(crate) fn bad_rows(&self) -> usize {
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
    pub(crate) fn render_details(&self) -> String {
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
                Role::Ignored if columns::norm_header(&c.header) == "notes" => {
                    "ignored (notes are recorded in riskbench itself: N in the workbench)".into()
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
    pub(crate) fn render_counts(&self) -> String {
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
pub(super) fn acceptance_header(h: &str) -> bool {
    let n = columns::norm_header(h);
    n.split(' ')
        .next()
        .is_some_and(|w| w == "acceptance" || w == "accepted")
}

pub(super) fn computed_header(h: &str) -> bool {
    let n = columns::norm_header(h);
    n == "next review"
        || [
            "score", "level", "rating", "residual", "inherent", "target", "overdue", "appetite",
        ]
        .iter()
        .any(|w| n.split(' ').any(|x| x == *w))
}

/// At most this many items are listed in one report line.
pub(super) const LIST_MAX: usize = 12;

/// "a, b, c", or "a, b, …, (40 in all)" for long lists.
pub(super) fn capped(items: &[String]) -> String {
    let mut shown: Vec<&str> = items.iter().take(LIST_MAX).map(String::as_str).collect();
    let more = format!("… ({} in all)", items.len());
    if items.len() > LIST_MAX {
        shown.push(&more);
    }
    shown.join(", ")
}

/// "line 4", "lines 2, 5, 9" (long lists shortened).
pub(super) fn line_list(lines: &[usize]) -> String {
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

pub(super) fn rows_word(n: usize) -> String {
    plural(n, "row")
}
