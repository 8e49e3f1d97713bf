//! `riskbench check FILE [--strict] [--format text|json]`.

use std::fmt::Write;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::json;

use crate::domain::{Finding, Severity};

use super::{CheckFormat, EXIT_FINDINGS, EXIT_OK, Opened};

/// `FILE:LINE:COL: error[code] AT: message` (position left out when the
/// entity cannot be found in the source), as one line with the file name,
/// ids and quoted text escaped for a terminal.
pub(crate) fn render_finding(opened: &Opened, f: &Finding) -> String {
    let mut line = String::new();
    let file = opened.path.display().to_string();
    write_finding(&mut line, &file, f, opened.source_map.locate(f));
    crate::escape::for_terminal(&line).into_owned()
}

/// [`render_finding`]'s line, unescaped, appended to `out`, with the
/// position already found.
fn write_finding(out: &mut String, file: &str, f: &Finding, pos: Option<(usize, usize)>) {
    let severity = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = match pos {
        Some((line, col)) => write!(out, "{file}:{line}:{col}"),
        None => write!(out, "{file}"),
    };
    let _ = write!(out, ": {severity}[{}] {}: {}", f.code, f.at, f.message);
}

fn finding_json(f: &Finding, pos: Option<(usize, usize)>) -> serde_json::Value {
    let mut v = json!({"code": f.code, "at": f.at, "message": f.message});
    if let Some((line, col)) = pos {
        v["line"] = json!(line);
        v["column"] = json!(col);
    }
    v
}

/// How much text `check` gathers before writing it out.
const OUT_BLOCK: usize = 64 * 1024;

pub fn run(path: &Path, today: NaiveDate, strict: bool, format: CheckFormat) -> Result<i32, i32> {
    let opened = super::open(path, today)?;
    let a = &opened.analysis;
    let errors: Vec<&Finding> = a.errors().collect();
    let warnings: Vec<&Finding> = a.warnings().collect();
    // Every position from one scan of the text, errors then warnings (the
    // order they are printed in).
    let all: Vec<&Finding> = errors.iter().chain(&warnings).copied().collect();
    let positions = opened.source_map.locate_all(&all);
    match format {
        CheckFormat::Json => {
            let (e, w) = positions.split_at(errors.len());
            let list = |fs: &[&Finding], ps: &[Option<(usize, usize)>]| {
                fs.iter()
                    .zip(ps)
                    .map(|(f, p)| finding_json(f, *p))
                    .collect::<Vec<_>>()
            };
            let doc = json!({
                "file": path.display().to_string(),
                "errors": list(&errors, e),
                "warnings": list(&warnings, w),
            });
            crate::outln!("{doc:#}");
        }
        CheckFormat::Text => {
            // Written in blocks of about 64 KiB rather than a write and a
            // flush per line (tens of thousands of lines in a large
            // register).
            let mut out = String::with_capacity(OUT_BLOCK + 1024);
            let file = path.display().to_string();
            let mut line = String::new();
            for (f, pos) in all.iter().zip(positions) {
                line.clear();
                write_finding(&mut line, &file, f, pos);
                out.push_str(&crate::escape::for_terminal(&line));
                out.push('\n');
                if out.len() >= OUT_BLOCK {
                    super::emit(&out);
                    out.clear();
                }
            }
            super::emit(&out);
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
