//! `riskbench soa FILE [--format text|md|csv|json]`.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::json;

use crate::domain::{Catalog, Register, Soa};

use super::{EXIT_OK, TableFormat};

/// The spec's JSON shape for one SoA (REGISTER.md §4).
pub fn soa_json(reg: &Register, soa: &Soa) -> serde_json::Value {
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
                "justification": e.justification,
            })
        })
        .collect();
    let s = soa.summary();
    json!({
        "controls": controls,
        "summary": {"yes": s.yes, "no": s.no, "undecided": s.undecided, "implemented": s.implemented},
    })
}

pub fn run(path: &Path, today: NaiveDate, format: TableFormat) -> Result<i32, i32> {
    let opened = super::open_valid(path, today)?;
    let soa = &opened.analysis.soa;
    if format == TableFormat::Json {
        crate::outln!("{:#}", soa_json(&opened.register, soa));
        return Ok(EXIT_OK);
    }
    let catalog = Catalog::annex_a();
    let rows: Vec<Vec<String>> = soa
        .entries
        .iter()
        .map(|e| {
            let info = &catalog.controls()[e.control];
            vec![
                info.id.clone(),
                info.theme.clone(),
                info.title.clone(),
                e.applicable.as_str().to_string(),
                e.status.as_str().to_string(),
                e.justification.clone(),
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
    super::format::print_table(format, &headers, &rows)?;
    if format == TableFormat::Text {
        let s = soa.summary();
        crate::outln!(
            "\n{} controls: {} applicable ({} implemented), {} excluded, {} undecided",
            soa.entries.len(),
            s.yes,
            s.implemented,
            s.no,
            s.undecided
        );
    }
    Ok(EXIT_OK)
}
