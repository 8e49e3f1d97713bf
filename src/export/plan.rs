//! The risk treatment plan's documents (`riskbench plan --format
//! html|xlsx -o FILE`): the actions in file order, the in-scope `Modify`
//! risks they treat with their current and target residual, the summary,
//! the method the levels come from, and on top whether the plan is
//! approved (REGISTER.md §5) — the first thing an auditor sampling the
//! plan (6.1.3 e, f) looks for.
//!
//! Built from the same [`crate::domain::plan`] computations as the text,
//! CSV and JSON formats, so every format agrees.

use std::fmt::Write;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use crate::domain::plan::{PlanSummary, action_overdue, approval_line, plan_risks};
use crate::domain::{Analysis, Register, Score};

use super::fit_cell;
use super::html::{esc, footer, head, score_cell};
use super::xlsx::header_row;

/// The workbook's sheets, in order.
const PLAN_SHEET: &str = "Plan";
const RISKS_SHEET: &str = "Risks";
const METHOD_SHEET: &str = "Method";

/// The summary rows both documents show.
fn summary_rows(reg: &Register, today: NaiveDate) -> [(&'static str, String); 7] {
    let s = PlanSummary::of(&reg.actions, today);
    [
        ("Actions", reg.actions.len().to_string()),
        ("Open", s.open.to_string()),
        ("In progress", s.in_progress.to_string()),
        ("Done", s.done.to_string()),
        ("Cancelled", s.cancelled.to_string()),
        ("Overdue", s.overdue.to_string()),
        (
            "Effort and cost",
            format!(
                "{} days, {} (cancelled actions not counted)",
                s.effort_days, s.cost
            ),
        ),
    ]
}

/// The plan's HTML page: self-contained and printable, as the other pages.
pub fn plan_html(reg: &Register, analysis: &Analysis) -> String {
    let eval = &analysis.eval;
    let today = eval.today;
    let mut o = String::with_capacity(32 * 1024);
    head(&mut o, reg, "Risk treatment plan", today);
    let _ = write!(
        o,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">Risk treatment plan (ISO/IEC 27001:2022 6.1.3 e) · as of {today}</p>\n<p id=\"approval\"><strong>{}</strong></p>\n",
        esc(&reg.name),
        esc(&approval_line(reg))
    );
    if let Some(a) = reg.plan_approval.as_ref().filter(|a| !a.note.is_empty()) {
        let _ = writeln!(o, "<p class=\"meta\">Approval note: {}</p>", esc(&a.note));
    }
    if !reg.scope.is_empty() {
        let _ = writeln!(o, "<p><strong>Scope:</strong> {}</p>", esc(&reg.scope));
    }
    o.push_str("</header>\n<section class=\"first\" id=\"summary\">\n<h2>Summary</h2>\n<table class=\"summary\">\n");
    for (k, v) in summary_rows(reg, today) {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
    }
    o.push_str("</table>\n</section>\n");

    o.push_str("<section id=\"actions\">\n<h2>Actions</h2>\n<table>\n<thead><tr>");
    for h in [
        "ID",
        "Title",
        "Risks",
        "Controls",
        "Owner",
        "Due",
        "Status",
        "Done on",
        "Effort (days)",
        "Cost",
        "Note",
    ] {
        let _ = write!(o, "<th>{h}</th>");
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for a in &reg.actions {
        let due = match a.due {
            Some(d) if action_overdue(a, today) => format!("{d} (overdue)"),
            d => date(d),
        };
        let _ = writeln!(
            o,
            "<tr id=\"action-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&a.id),
            esc(&a.id),
            esc(&a.title),
            esc(&a.risks.join(", ")),
            esc(&a.controls.join(", ")),
            esc(&a.owner),
            if action_overdue(a, today) {
                " class=\"undecided\""
            } else {
                ""
            },
            esc(&due),
            a.status.as_str(),
            date(a.done_on),
            a.effort_days.map(|n| n.to_string()).unwrap_or_default(),
            a.cost.map(|n| n.to_string()).unwrap_or_default(),
            esc(&a.note)
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");

    o.push_str("<section id=\"risks\">\n<h2>Risks treated</h2>\n<p class=\"note\">Every in-scope risk treated by modification, with the actions (of any status) that list it. Residual: with the controls as implemented today. Target: with every linked control implemented.</p>\n<table>\n<thead><tr><th>ID</th><th>Title</th><th>Owner</th><th>Residual</th><th>Target</th><th>Actions</th></tr></thead>\n<tbody>\n");
    for (i, acts) in plan_risks(reg, eval) {
        let Some(e) = eval.risk(i) else {
            continue;
        };
        let r = &reg.risks[i];
        let ids: Vec<&str> = acts.iter().map(|&a| reg.actions[a].id.as_str()).collect();
        let residual = if e.manual {
            score_cell(reg, &e.residual).replace("</td>", " (manual)</td>")
        } else {
            score_cell(reg, &e.residual)
        };
        let _ = writeln!(
            o,
            "<tr id=\"risk-{}\"><td>{}</td><td>{}</td><td>{}</td>{residual}{}<td>{}</td></tr>",
            esc(&r.id),
            esc(&r.id),
            esc(&r.title),
            esc(&r.owner),
            score_cell(reg, &e.target),
            esc(&ids.join(", "))
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
    super::method::method_html(&mut o, reg);
    footer(&mut o, reg, today);
    o
}

/// Writes the plan's HTML page atomically (no `.bak`, as every document).
pub(crate) fn write_plan_html(
    reg: &Register,
    analysis: &Analysis,
    path: &Path,
) -> Result<(), String> {
    let page = plan_html(reg, analysis);
    crate::store::write_atomic(path, page.as_bytes(), crate::store::WriteOptions::default())
        .map_err(|e| e.to_string())
}

/// Writes the plan's workbook atomically (no `.bak`, as every document).
pub(crate) fn write_plan_xlsx(
    reg: &Register,
    analysis: &Analysis,
    path: &Path,
) -> Result<(), String> {
    let mut wb = plan_workbook(reg, analysis)?;
    super::xlsx::save_atomic(&mut wb, path)
}

struct Styles {
    header: Format,
    text: Format,
    wrap: Format,
    number: Format,
    date: Format,
    overdue: Format,
    title: Format,
    approval: Format,
}

impl Styles {
    fn new() -> Styles {
        let border = |f: Format| {
            f.set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xBFBFBF))
                .set_align(FormatAlign::Top)
        };
        let date = border(Format::new().set_num_format("yyyy-mm-dd"));
        Styles {
            header: border(
                Format::new()
                    .set_bold()
                    .set_text_wrap()
                    .set_background_color(Color::RGB(0xD9E1F2)),
            ),
            text: border(Format::new()),
            wrap: border(Format::new().set_text_wrap()),
            number: border(Format::new()),
            overdue: date.clone().set_background_color(Color::RGB(0xFFF2CC)),
            date,
            title: Format::new().set_bold().set_font_size(14),
            approval: Format::new().set_bold(),
        }
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// The workbook: "Plan" (title, approval, summary, then one row per
/// action), "Risks" (the risks treated) and "Method". Deterministic: its
/// creation time is the analysis day.
fn plan_workbook(reg: &Register, analysis: &Analysis) -> Result<Workbook, String> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    let today = analysis.eval.today;
    let build = |wb: &mut Workbook| -> Result<(), XlsxError> {
        wb.set_properties(
            &DocProperties::new()
                .set_title(format!("{} — risk treatment plan", reg.name))
                .set_subject("ISO/IEC 27001:2022 risk treatment plan")
                .set_author("riskbench")
                .set_comment(format!("As of {today}; {}", approval_line(reg)))
                .set_creation_datetime(&excel_date(today)?),
        );
        plan_sheet(wb.add_worksheet(), reg, today, &st)?;
        risks_sheet(wb.add_worksheet(), reg, analysis, &st)?;
        method_sheet(wb.add_worksheet(), reg, &st)
    };
    build(&mut wb).map_err(|e| format!("cannot build the workbook: {e}"))?;
    Ok(wb)
}

fn print_setup(ws: &mut Worksheet, reg: &Register, header_row: u32) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    let name = reg.name.replace('&', "&&");
    ws.set_header(format!("&L{name}&R&A"));
    ws.set_footer("&LGenerated by riskbench&RPage &P of &N");
    Ok(())
}

/// Row of the "Plan" sheet's column headers (above it: title, approval,
/// summary).
const PLAN_HEADER_ROW: u32 = 3;

fn plan_sheet(
    ws: &mut Worksheet,
    reg: &Register,
    today: NaiveDate,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(PLAN_SHEET)?;
    ws.write_string_with_format(
        0,
        0,
        fit_cell(&format!(
            "Risk treatment plan: {} (as of {today})",
            reg.name
        )),
        &st.title,
    )?;
    let mut approval = approval_line(reg);
    if let Some(a) = reg.plan_approval.as_ref().filter(|a| !a.note.is_empty()) {
        let _ = write!(approval, " — {}", a.note);
    }
    ws.write_string_with_format(1, 0, fit_cell(&approval), &st.approval)?;
    let summary: Vec<String> = summary_rows(reg, today)
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    ws.write_string(2, 0, fit_cell(&summary.join(" · ")))?;
    let headers = [
        ("ID", 10.0),
        ("Title", 40.0),
        ("Risks", 18.0),
        ("Controls", 14.0),
        ("Owner", 16.0),
        ("Due", 11.0),
        ("Status", 11.0),
        ("Done on", 11.0),
        ("Effort (days)", 9.0),
        ("Cost", 10.0),
        ("Overdue", 9.0),
        ("Note", 40.0),
    ];
    header_row(ws, PLAN_HEADER_ROW, &headers, &st.header)?;
    for (n, a) in reg.actions.iter().enumerate() {
        let r = PLAN_HEADER_ROW + 1 + n as u32;
        let overdue = action_overdue(a, today);
        let texts = [
            (0, a.id.to_string()),
            (1, a.title.clone()),
            (2, a.risks.join("; ")),
            (3, a.controls.join("; ")),
            (4, a.owner.clone()),
            (6, a.status.as_str().to_string()),
            (10, if overdue { "Yes" } else { "No" }.to_string()),
            (11, a.note.clone()),
        ];
        for (c, v) in texts {
            let fmt = if matches!(c, 1 | 11) {
                &st.wrap
            } else {
                &st.text
            };
            ws.write_string_with_format(r, c, fit_cell(&v), fmt)?;
        }
        let due_fmt = if overdue { &st.overdue } else { &st.date };
        for (c, d, fmt) in [(5, a.due, due_fmt), (7, a.done_on, &st.date)] {
            match d {
                Some(d) => ws.write_datetime_with_format(r, c, excel_date(d)?, fmt)?,
                None => ws.write_blank(r, c, fmt)?,
            };
        }
        for (c, v) in [(8, a.effort_days.map(u64::from)), (9, a.cost)] {
            match v {
                Some(v) => ws.write_number_with_format(r, c, v as f64, &st.number)?,
                None => ws.write_blank(r, c, &st.number)?,
            };
        }
    }
    ws.set_freeze_panes(PLAN_HEADER_ROW + 1, 0)?;
    ws.autofilter(
        PLAN_HEADER_ROW,
        0,
        PLAN_HEADER_ROW + reg.actions.len() as u32,
        headers.len() as u16 - 1,
    )?;
    print_setup(ws, reg, PLAN_HEADER_ROW)
}

fn score_text(reg: &Register, s: &Score) -> String {
    format!(
        "{}×{} = {} {}",
        s.likelihood,
        s.impact,
        s.score,
        s.level_name(&reg.method)
    )
}

fn risks_sheet(
    ws: &mut Worksheet,
    reg: &Register,
    analysis: &Analysis,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(RISKS_SHEET)?;
    let headers = [
        ("ID", 10.0),
        ("Title", 40.0),
        ("Owner", 16.0),
        ("Residual", 18.0),
        ("Target", 18.0),
        ("Actions", 24.0),
    ];
    header_row(ws, 0, &headers, &st.header)?;
    let eval = &analysis.eval;
    let mut row = 0u32;
    for (i, acts) in plan_risks(reg, eval) {
        let Some(e) = eval.risk(i) else {
            continue;
        };
        row += 1;
        let r = &reg.risks[i];
        let ids: Vec<&str> = acts.iter().map(|&a| reg.actions[a].id.as_str()).collect();
        let mut residual = score_text(reg, &e.residual);
        if e.manual {
            residual.push_str(" (manual)");
        }
        let cells = [
            r.id.to_string(),
            r.title.clone(),
            r.owner.clone(),
            residual,
            score_text(reg, &e.target),
            ids.join("; "),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, fit_cell(v), &st.text)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row, headers.len() as u16 - 1)?;
    print_setup(ws, reg, 0)
}

fn method_sheet(ws: &mut Worksheet, reg: &Register, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(METHOD_SHEET)?;
    ws.set_column_width(0, 16.0)?;
    ws.set_column_width(1, 70.0)?;
    super::method::method_cells(ws, 0, reg, &st.header, &st.text, &st.wrap)?;
    print_setup(ws, reg, 0)
}
