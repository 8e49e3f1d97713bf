//! The method as the html and xlsx documents of the SoA and the plan state
//! it (REGISTER.md §5: "the html and xlsx exports carry the method"): each
//! scale's labels with their criteria (6.1.2 a), the levels with their
//! score ranges, review interval and who may accept them, the
//! appetite and how old evidence may be. One source, so the SoA and the plan describe the method in
//! the same words.

use std::fmt::Write;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use crate::domain::Register;
use crate::domain::model::Method;

use super::fit_cell;
use super::html::esc;

/// One line per scale label: "N Label — criterion" (the label alone when
/// the method does not write the criteria down).
fn scale_lines(labels: &[String], criteria: &[String]) -> Vec<String> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| match criteria.get(i).filter(|c| !c.is_empty()) {
            Some(c) => format!("{} {l} — {c}", i + 1),
            None => format!("{} {l}", i + 1),
        })
        .collect()
}

/// Who may accept a residual risk of a level: its `accept_by`, else the
/// risk's owner.
fn accept_by(names: &[String]) -> String {
    if names.is_empty() {
        "the risk owner".into()
    } else {
        names.join(", ")
    }
}

/// Each level's scores: `1–4`, `5–9`, …; with an explicit matrix the
/// levels are not ranges of the score.
fn score_ranges(m: &Method) -> Vec<String> {
    let mut from = 1;
    m.levels
        .iter()
        .map(|l| {
            let range = if m.matrix.is_some() {
                "as the level matrix says".to_string()
            } else {
                format!("{from}–{}", l.up_to)
            };
            from = l.up_to + 1;
            range
        })
        .collect()
}

/// The method as (item, definition) rows: one per likelihood and impact
/// label, one per level, the appetite, and how old evidence may be
/// (`evidence_days`).
pub(crate) fn method_rows(reg: &Register) -> Vec<(String, String)> {
    let m = &reg.method;
    let mut rows = Vec::new();
    for (name, labels, criteria) in [
        ("Likelihood", &m.likelihood, &m.likelihood_criteria),
        ("Impact", &m.impact, &m.impact_criteria),
    ] {
        for line in scale_lines(labels, criteria) {
            rows.push((name.to_string(), line));
        }
    }
    for (l, range) in m.levels.iter().zip(score_ranges(m)) {
        rows.push((
            format!("Level {}", l.name),
            format!(
                "scores {range}; review every {} days; accepted by {}",
                l.review_days,
                accept_by(&l.accept_by)
            ),
        ));
    }
    rows.push((
        "Appetite".into(),
        format!(
            "residual score up to {}; above it a risk needs treatment or a valid acceptance",
            m.appetite
        ),
    ));
    rows.push((
        "Evidence".into(),
        match m.evidence_days {
            Some(d) => format!(
                "stale when the newest evidence of an implemented control is older than {d} days"
            ),
            None => "never stale: no age limit is set".into(),
        },
    ));
    rows
}

/// The method's section of an HTML page (`<section id="method">`).
pub(crate) fn method_html(o: &mut String, reg: &Register) {
    o.push_str("<section id=\"method\">\n<h2>Method</h2>\n<p class=\"note\">How risks are scored (ISO/IEC 27001:2022 6.1.2): the scales with their criteria, the levels with who may accept a residual risk of each, and the risk appetite.</p>\n<table class=\"summary\">\n");
    let rows = method_rows(reg);
    let mut k = 0;
    while k < rows.len() {
        // A scale's labels share one row, one label per line.
        let name = &rows[k].0;
        let n = rows[k..].iter().take_while(|(r, _)| r == name).count();
        let lines: Vec<String> = rows[k..k + n].iter().map(|(_, v)| esc(v)).collect();
        let _ = writeln!(
            o,
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(name),
            lines.join("<br>")
        );
        k += n;
    }
    o.push_str("</table>\n</section>\n");
}

/// Writes the method's rows on `ws` from `row` on: a header line ("Item",
/// "Definition") in `header`, then one row per [`method_rows`] entry.
/// Returns the row after the last one written.
pub(crate) fn method_cells(
    ws: &mut Worksheet,
    row: u32,
    reg: &Register,
    header: &Format,
    text: &Format,
    wrap: &Format,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(row, 0, "Item", header)?;
    ws.write_string_with_format(row, 1, "Definition", header)?;
    let mut r = row + 1;
    for (k, v) in method_rows(reg) {
        ws.write_string_with_format(r, 0, fit_cell(&k), text)?;
        ws.write_string_with_format(r, 1, fit_cell(&v), wrap)?;
        r += 1;
    }
    Ok(r)
}
