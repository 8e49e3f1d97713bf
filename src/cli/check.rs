//! `riskbench check FILE [--strict] [--format text|json]`.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::json;

use crate::domain::{Finding, Severity};

use super::{CheckFormat, EXIT_FINDINGS, EXIT_OK, Opened};

/// `FILE:LINE:COL: error[code] AT: message` (position left out when the
/// entity cannot be found in the source), as one line with the file name,
/// ids and quoted text escaped for a terminal.
pub(crate) fn render_finding(opened: &Opened, f: &Finding) -> String {
    let severity = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let place = match opened.source_map.locate(f) {
        Some((line, col)) => format!("{}:{line}:{col}", opened.path.display()),
        None => opened.path.display().to_string(),
    };
    let line = format!("{place}: {severity}[{}] {}: {}", f.code, f.at, f.message);
    crate::escape::for_terminal(&line).into_owned()
}

fn finding_json(opened: &Opened, f: &Finding) -> serde_json::Value {
    let mut v = json!({"code": f.code, "at": f.at, "message": f.message});
    if let Some((line, col)) = opened.source_map.locate(f) {
        v["line"] = json!(line);
        v["column"] = json!(col);
    }
    v
}

pub fn run(path: &Path, today: NaiveDate, strict: bool, format: CheckFormat) -> Result<i32, i32> {
    let opened = super::open(path, today)?;
    let a = &opened.analysis;
    let errors: Vec<&Finding> = a.errors().collect();
    let warnings: Vec<&Finding> = a.warnings().collect();
    match format {
        CheckFormat::Json => {
            let doc = json!({
                "file": path.display().to_string(),
                "errors": errors.iter().map(|f| finding_json(&opened, f)).collect::<Vec<_>>(),
                "warnings": warnings.iter().map(|f| finding_json(&opened, f)).collect::<Vec<_>>(),
            });
            crate::outln!("{doc:#}");
        }
        CheckFormat::Text => {
            for f in errors.iter().chain(&warnings) {
                crate::outln!("{}", render_finding(&opened, f));
            }
            let risks = a.eval.risks.iter().filter(|r| r.is_some()).count();
            crate::outln!(
                "{}: {} error{}, {} warning{} ({} risks in scope, {} controls applicable)",
                crate::escape::for_terminal(&path.display().to_string()),
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                warnings.len(),
                if warnings.len() == 1 { "" } else { "s" },
                risks,
                a.soa.summary().yes,
            );
        }
    }
    let failed = !errors.is_empty() || (strict && !warnings.is_empty());
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}
