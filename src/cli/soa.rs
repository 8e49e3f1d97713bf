//! `riskbench soa FILE [--format text|md|csv|json|xlsx|html] [-o FILE]
//! [--force]`.

use std::fmt::Write;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::json;

use crate::domain::soa::SoaApproval;
use crate::domain::{Catalog, Register, Soa};

use super::{EXIT_BAD_INPUT, EXIT_OK, Opened, OutputFormat, TableFormat};

/// The spec's JSON shape for one SoA (REGISTER.md §4).
pub(crate) fn soa_json(reg: &Register, soa: &Soa) -> serde_json::Value {
    let catalog = Catalog::annex_a();
    let controls: Vec<_> = soa
        .entries
        .iter()
        .map(|e| {
            let info = &catalog.controls()[e.control];
            json!({
                "id": info.id,
                "theme": info.theme,
                "title": info.title,
                "applicable": e.applicable.as_str(),
                "status": e.status.as_str(),
                "risks": e.risks.iter().map(|&r| reg.risks[r].id.as_str()).collect::<Vec<_>>(),
                "factors": e.factors.iter().map(|&f| reg.factors[f].id.as_str()).collect::<Vec<_>>(),
                "justification": e.justification(reg),
            })
        })
        .collect();
    let s = soa.summary();
    json!({
        "controls": controls,
        "summary": {"yes": s.yes, "no": s.no, "undecided": s.undecided, "implemented": s.implemented},
    })
}

/// Checks the `--format`/`-o` combination before any work: xlsx and html
/// need `-o FILE`; the table formats print to stdout, or with `-o FILE`
/// write there what they would have printed. Whatever the format, the file
/// to write must not be a risk register (not even with `--force`), a
/// symbolic link or a special file, and an existing file is replaced only
/// with `--force` (no `.bak`: an export can be written again).
pub(crate) fn check_output(
    format: OutputFormat,
    output: Option<&Path>,
    force: bool,
) -> Result<(), i32> {
    match output {
        None if format.table().is_none() => {
            crate::ewarn!(
                "--format {}: a document is written to a file; give it with -o FILE",
                format_name(format)
            );
            Err(EXIT_BAD_INPUT)
        }
        None => Ok(()),
        Some(path) => crate::store::check_output(path, force, crate::store::OutputKind::Document)
            .map_err(|message| {
                crate::ewarn!("{message}");
                EXIT_BAD_INPUT
            }),
    }
}

/// "SoA of N controls (Y applicable, X excluded, U undecided)", for the
/// message that says where the SoA was written.
fn soa_counts(soa: &Soa) -> String {
    let s = soa.summary();
    format!(
        "SoA of {} controls ({} applicable, {} excluded, {} undecided)",
        soa.entries.len(),
        s.yes,
        s.no,
        s.undecided
    )
}

fn format_name(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Text => "text",
        OutputFormat::Md => "md",
        OutputFormat::Csv => "csv",
        OutputFormat::Json => "json",
        OutputFormat::Xlsx => "xlsx",
        OutputFormat::Html => "html",
    }
}

/// Writes the SoA workbook or HTML page atomically and says where on
/// stderr.
pub fn export(opened: &Opened, format: OutputFormat, output: &Path) -> Result<i32, i32> {
    let (reg, analysis) = (&opened.register, &opened.analysis);
    let result = match format {
        OutputFormat::Xlsx => crate::export::write_xlsx(reg, analysis, output),
        _ => crate::export::write_html(reg, analysis, output),
    };
    result.map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    crate::ewarn!(
        "wrote {}: {}, {} risks in scope, heat maps",
        output.display(),
        soa_counts(&analysis.soa),
        analysis.eval.in_scope(reg).count()
    );
    Ok(EXIT_OK)
}

pub fn run(
    path: &Path,
    today: NaiveDate,
    format: OutputFormat,
    output: Option<&Path>,
    force: bool,
) -> Result<i32, i32> {
    check_output(format, output, force)?;
    let opened = super::open_valid(path, today)?;
    let Some(format) = format.table() else {
        return export(&opened, format, output.unwrap_or(Path::new("")));
    };
    let soa = &opened.analysis.soa;
    let text = render(&opened, format)?;
    super::format::deliver(&text, output)?;
    if let Some(path) = output {
        crate::ewarn!("wrote {}: {}", path.display(), soa_counts(soa));
    }
    Ok(EXIT_OK)
}

/// The SoA in a table format, as printed or written to `-o FILE`.
fn render(opened: &Opened, format: TableFormat) -> Result<String, i32> {
    let soa = &opened.analysis.soa;
    if format == TableFormat::Json {
        return Ok(format!("{:#}\n", soa_json(&opened.register, soa)));
    }
    let catalog = Catalog::annex_a();
    let rows: Vec<Vec<String>> = soa
        .entries
        .iter()
        .map(|e| {
            let info = &catalog.controls()[e.control];
            vec![
                info.id.to_string(),
                info.theme.clone(),
                info.title.clone(),
                e.applicable.as_str().to_string(),
                e.status.as_str().to_string(),
                e.justification(&opened.register),
            ]
        })
        .collect();
    let headers = [
        "id",
        "theme",
        "title",
        "applicable",
        "status",
        "justification",
    ];
    let table = super::format::table(format, &headers, &rows)?;
    // Whether this is the approved SoA (REGISTER.md §5) heads the document;
    // CSV stays a bare table for spreadsheets.
    let approval = SoaApproval::of(&opened.register, soa).line();
    let mut text = match format {
        TableFormat::Text => format!("{}\n\n{table}", crate::escape::for_terminal(&approval)),
        TableFormat::Md => format!("**{}**\n\n{table}", crate::escape::markdown_cell(&approval)),
        _ => table,
    };
    if format == TableFormat::Text {
        let s = soa.summary();
        let _ = writeln!(
            text,
            "\n{} controls: {} applicable ({} implemented), {} excluded, {} undecided",
            soa.entries.len(),
            s.yes,
            s.implemented,
            s.no,
            s.undecided
        );
    }
    Ok(text)
}
