//! `riskbench risks FILE [--format text|md|csv|json|xlsx|html] [-o FILE]
//! [--force] [--sort FIELD]`, and
//! the default job (no subcommand) until the workbench exists.

use std::cmp::Ordering;
use std::fmt::Write;
use std::path::Path;

use chrono::NaiveDate;
use clap::ValueEnum;
use serde_json::json;

use crate::domain::eval::{Evaluation, Lookups};
use crate::domain::schema2::Note;
use crate::domain::{Cia, Register, RiskEval, Score};

use super::{EXIT_BAD_INPUT, EXIT_OK, Opened, OutputFormat, TableFormat};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortField {
    Id,
    Title,
    Asset,
    Threat,
    Owner,
    Treatment,
    Inherent,
    Residual,
    Target,
    #[value(alias = "next_review")]
    NextReview,
}

fn score_json(method: &crate::domain::Method, s: &Score) -> serde_json::Value {
    json!({"likelihood": s.likelihood, "impact": s.impact, "score": s.score, "level": s.level_name(method)})
}

/// The spec's JSON object for one evaluated risk (REGISTER.md §4).
pub(crate) fn risk_json(reg: &Register, i: usize, e: &RiskEval) -> serde_json::Value {
    let r = &reg.risks[i];
    let m = &reg.method;
    let mut residual = score_json(m, &e.residual);
    residual["manual"] = json!(e.manual);
    json!({
        "id": r.id, "title": r.title, "asset": r.asset, "threat": r.threat,
        "treatment": r.treatment.as_str(), "owner": r.owner,
        "inherent": score_json(m, &e.inherent),
        "residual": residual,
        "target": score_json(m, &e.target),
        "above_appetite": e.above_appetite,
        "next_review": e.next_review.map(|d| d.to_string()),
        "overdue": e.overdue,
        // Not in §4's list: an extra field, which the JSON contract allows.
        "cia": Cia::in_order(&r.cia).map(|c| c.as_str()).collect::<Vec<_>>(),
        // Extra too (§4 fixes the names above, not the whole object): the
        // discussion record, oldest first, as the register holds it.
        "notes": r.notes.iter().map(|n| json!({"on": n.on.to_string(), "by": n.by, "text": n.text})).collect::<Vec<_>>(),
    })
}

/// `cia` for the text and md tables: its letters ("CA"), or nothing.
fn cia_letters(cia: &[Cia]) -> String {
    Cia::in_order(cia).map(Cia::letter).collect()
}

/// In-scope risk indices in the requested order. Scores sort highest
/// first; ties fall back to the id so the order is total and stable.
pub fn sorted(reg: &Register, eval: &Evaluation, field: SortField, reverse: bool) -> Vec<usize> {
    let mut idx: Vec<usize> = eval.in_scope(reg).map(|(i, _, _)| i).collect();
    let ev = |i: usize| eval.risks[i].as_ref();
    let key = |a: usize, b: usize| -> Ordering {
        let (ra, rb) = (&reg.risks[a], &reg.risks[b]);
        let by_score = |f: fn(&RiskEval) -> u32| match (ev(a), ev(b)) {
            (Some(x), Some(y)) => f(y).cmp(&f(x)),
            _ => Ordering::Equal,
        };
        let primary = match field {
            SortField::Id => Ordering::Equal,
            SortField::Title => ra.title.cmp(&rb.title),
            SortField::Asset => ra.asset.cmp(&rb.asset),
            SortField::Threat => ra.threat.cmp(&rb.threat),
            SortField::Owner => ra.owner.cmp(&rb.owner),
            SortField::Treatment => ra.treatment.cmp(&rb.treatment),
            SortField::Inherent => by_score(|e| e.inherent.score),
            SortField::Residual => by_score(|e| e.residual.score),
            SortField::Target => by_score(|e| e.target.score),
            // Never-reviewed risks (no date) are the most urgent: first.
            SortField::NextReview => ev(a)
                .and_then(|e| e.next_review)
                .cmp(&ev(b).and_then(|e| e.next_review)),
        };
        primary.then_with(|| ra.id.cmp(&rb.id))
    };
    idx.sort_by(|&a, &b| key(a, b));
    if reverse {
        idx.reverse();
    }
    idx
}

fn pair(reg: &Register, s: &Score) -> String {
    format!(
        "{}×{}={} {}",
        s.likelihood,
        s.impact,
        s.score,
        s.level_name(&reg.method)
    )
}

const HEADERS: [&str; 14] = [
    "id",
    "title",
    "asset",
    "threat",
    "treatment",
    "owner",
    "inherent",
    "residual",
    "target",
    "appetite",
    "next_review",
    "overdue",
    "cia",
    "notes",
];

/// The `--format csv` columns. `asset_name` and `threat_name` come last so
/// that `riskbench import` of this CSV gives back the same register; `cia`
/// (names joined by `; `) after them, read back by `import` too; `notes`
/// last (one line per note, oldest first; `import` leaves it aside: notes
/// are recorded in riskbench).
const CSV_HEADERS: [&str; 34] = [
    "id",
    "title",
    "asset",
    "threat",
    "vulnerability",
    "likelihood",
    "impact",
    "treatment",
    "controls",
    "owner",
    "reviewed",
    "due",
    "inherent_likelihood",
    "inherent_impact",
    "inherent_score",
    "inherent_level",
    "residual_likelihood",
    "residual_impact",
    "residual_score",
    "residual_level",
    "residual_manual",
    "target_likelihood",
    "target_impact",
    "target_score",
    "target_level",
    "above_appetite",
    "next_review",
    "overdue",
    "acceptance_by",
    "acceptance_until",
    "asset_name",
    "threat_name",
    "cia",
    "notes",
];

fn csv_row(reg: &Register, lk: &Lookups, i: usize, e: &RiskEval) -> Vec<String> {
    let r = &reg.risks[i];
    let m = &reg.method;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut row = vec![
        r.id.to_string(),
        r.title.clone(),
        r.asset.to_string(),
        r.threat.to_string(),
        r.vulnerability.clone(),
        r.likelihood.to_string(),
        r.impact.to_string(),
        r.treatment.as_str().into(),
        r.controls.join(" "),
        r.owner.clone(),
        date(r.reviewed),
        date(r.due),
    ];
    let mut push_score = |s: &Score| {
        row.extend([
            s.likelihood.to_string(),
            s.impact.to_string(),
            s.score.to_string(),
            s.level_name(m).into(),
        ]);
    };
    push_score(&e.inherent);
    push_score(&e.residual);
    row.push(e.manual.to_string());
    row.extend([
        e.target.likelihood.to_string(),
        e.target.impact.to_string(),
        e.target.score.to_string(),
        e.target.level_name(m).into(),
        e.above_appetite.to_string(),
        date(e.next_review),
        e.overdue.to_string(),
        r.acceptance
            .as_ref()
            .map(|a| a.by.clone())
            .unwrap_or_default(),
        date(r.acceptance.as_ref().map(|a| a.until)),
    ]);
    row.push(
        lk.asset_index
            .get(&r.asset)
            .map(|&a| reg.assets[a].name.clone())
            .unwrap_or_default(),
    );
    row.push(
        lk.threat_index
            .get(&r.threat)
            .map(|&t| reg.threats[t].name.clone())
            .unwrap_or_default(),
    );
    row.push(Cia::names(&r.cia));
    row.push(Note::joined(&r.notes, "\n"));
    row
}

/// The evaluated register in a table format, as printed or written to
/// `-o FILE`.
pub fn render(
    reg: &Register,
    eval: &Evaluation,
    format: TableFormat,
    sort: SortField,
    reverse: bool,
) -> Result<String, i32> {
    let order = sorted(reg, eval, sort, reverse);
    let get = |i: usize| eval.risks[i].as_ref();
    let text = match format {
        TableFormat::Json => {
            let risks: Vec<_> = order
                .iter()
                .filter_map(|&i| get(i).map(|e| risk_json(reg, i, e)))
                .collect();
            format!("{:#}\n", json!({ "risks": risks }))
        }
        TableFormat::Csv => {
            let rows: Vec<Vec<String>> = order
                .iter()
                .filter_map(|&i| get(i).map(|e| csv_row(reg, &eval.lookups, i, e)))
                .collect();
            super::format::table(format, &CSV_HEADERS, &rows)?
        }
        TableFormat::Text | TableFormat::Md => {
            let rows: Vec<Vec<String>> = order
                .iter()
                .filter_map(|&i| {
                    let e = get(i)?;
                    let r = &reg.risks[i];
                    let manual = if e.manual { " (manual)" } else { "" };
                    Some(vec![
                        r.id.to_string(),
                        r.title.clone(),
                        r.asset.to_string(),
                        r.threat.to_string(),
                        r.treatment.as_str().into(),
                        r.owner.clone(),
                        pair(reg, &e.inherent),
                        format!("{}{manual}", pair(reg, &e.residual)),
                        pair(reg, &e.target),
                        if e.above_appetite { "above" } else { "" }.into(),
                        e.next_review
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "never".into()),
                        if e.overdue { "overdue" } else { "" }.into(),
                        cia_letters(&r.cia),
                        // A text table cell is one line; Markdown shows a
                        // line break as one.
                        Note::joined(
                            &r.notes,
                            if format == TableFormat::Md {
                                "\n"
                            } else {
                                " · "
                            },
                        ),
                    ])
                })
                .collect();
            let mut text = super::format::table(format, &HEADERS, &rows)?;
            if format == TableFormat::Text {
                let above = order
                    .iter()
                    .filter(|&&i| get(i).is_some_and(|e| e.above_appetite))
                    .count();
                let overdue = order
                    .iter()
                    .filter(|&&i| get(i).is_some_and(|e| e.overdue))
                    .count();
                let _ = writeln!(
                    text,
                    "\n{} risks in scope ({} out of scope); {above} above appetite ({}); {overdue} overdue for review",
                    order.len(),
                    reg.risks.len() - order.len(),
                    reg.method.appetite,
                );
            }
            text
        }
    };
    Ok(text)
}

/// "N risks in scope (A above appetite, O overdue for review)", for the
/// message that says where the register was written.
fn risk_counts(opened: &Opened) -> String {
    let (reg, eval) = (&opened.register, &opened.analysis.eval);
    let (mut n, mut above, mut overdue) = (0, 0, 0);
    for (_, _, e) in eval.in_scope(reg) {
        n += 1;
        above += usize::from(e.above_appetite);
        overdue += usize::from(e.overdue);
    }
    format!("{n} risks in scope ({above} above appetite, {overdue} overdue for review)")
}

/// Writes the risk register's workbook or HTML page (not the SoA's: that
/// is `soa`'s document), its risks in `order`, atomically, and says where
/// on stderr.
fn export(
    opened: &Opened,
    format: OutputFormat,
    order: &[usize],
    output: &Path,
) -> Result<i32, i32> {
    let (reg, analysis) = (&opened.register, &opened.analysis);
    let result = match format {
        OutputFormat::Xlsx => crate::export::write_risks_xlsx(reg, analysis, order, output),
        _ => crate::export::write_risks_html(reg, analysis, order, output),
    };
    result.map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    crate::ewarn!(
        "wrote {}: risk register of {}, heat maps",
        output.display(),
        risk_counts(opened)
    );
    Ok(EXIT_OK)
}

pub fn run(
    path: &Path,
    today: NaiveDate,
    format: OutputFormat,
    output: Option<&Path>,
    force: bool,
    sort: SortField,
    reverse: bool,
) -> Result<i32, i32> {
    super::soa::check_output(format, output, force)?;
    let opened = super::open_valid(path, today)?;
    let (reg, eval) = (&opened.register, &opened.analysis.eval);
    let Some(table) = format.table() else {
        let order = sorted(reg, eval, sort, reverse);
        return export(&opened, format, &order, output.unwrap_or(Path::new("")));
    };
    let text = render(reg, eval, table, sort, reverse)?;
    super::format::deliver(&text, output)?;
    if let Some(path) = output {
        crate::ewarn!("wrote {}: {}", path.display(), risk_counts(&opened));
    }
    Ok(EXIT_OK)
}
