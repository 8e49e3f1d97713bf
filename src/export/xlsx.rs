//! The auditor's workbook: "SoA" (all 93 controls, each with its newest
//! evidence), "Risk register" (the evaluated in-scope risks), "Heat maps"
//! (inherent and current residual likelihood × impact counts, cells
//! coloured by level), "About" (whether the SoA is approved), "Method"
//! (the scales with their criteria, the levels, the appetite) and "Own
//! controls" (6.1.3 b); and the risk register's own workbook
//! ([`write_risks_xlsx`]): the register first, then the heat maps.
//!
//! The two large sheets (the SoA, whose cells list thousands of risks in a
//! large register, and the risk register) are written in rust_xlsxwriter's
//! constant-memory mode: each row goes to a temporary file as soon as the
//! next one starts, with its text inline instead of in a shared-string
//! table, so a 100,000-risk register does not hold millions of cells and
//! strings in memory (at 100,000 risks: 695 MB before, 196 MB with this
//! alone; see BENCHMARKS.md). Such a sheet must be written row
//! by row, top to bottom.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use crate::domain::schema2::Evidence;
use crate::domain::soa::SoaApproval;
use crate::domain::{Analysis, Applicable, Register, RiskEval, Score};

use super::evidence::{EVIDENCE_HEADERS, newest, own_rows};
use super::{asset_name, cell_level, heat_counts, level_rgb, risks_by_id, soa_rows, text_rgb};

const SOA_SHEET: &str = "SoA";
pub(crate) const REGISTER_SHEET: &str = "Risk register";
const HEAT_SHEET: &str = "Heat maps";
const ABOUT_SHEET: &str = "About";
const METHOD_SHEET: &str = "Method";
const OWN_SHEET: &str = "Own controls";

/// Writes the workbook to `path` ([`save_atomic`]). Deterministic: the
/// document's creation time is the analysis day, so the same register and
/// day give the same file.
pub fn write_xlsx(reg: &Register, analysis: &Analysis, path: &Path) -> Result<(), String> {
    let mut wb = build(reg, analysis).map_err(|e| format!("cannot build the workbook: {e}"))?;
    save_atomic(&mut wb, path)
}

/// Streams a finished workbook into `path` through
/// `store::write_atomic_with`: a temporary file beside the target renamed
/// over it, so a failed export never leaves half a file (nor follows a
/// symbolic link). The zipped workbook is never held in memory: at
/// 100,000 risks it is 28 MB, and as a buffer it was the export's peak,
/// on top of the register and its evaluation (see BENCHMARKS.md).
/// No `.bak`: an export can be written again. Callers check first that the
/// target may be replaced (`store::check_output`, `store::check_export`).
pub(crate) fn save_atomic(wb: &mut Workbook, path: &Path) -> Result<(), String> {
    crate::store::write_atomic_with(path, crate::store::WriteOptions::default(), |w| {
        wb.save_to_writer(w)
            .map_err(|e| std::io::Error::other(format!("cannot build the workbook: {e}")))
    })
    .map_err(|e| e.to_string())
}

/// A workbook compressed at zlib's fastest level: at 100,000 risks the
/// default level (6) made compressing the sheets' XML a third of the
/// export's time in `perf`; level 1 costs a tenth of that for a larger
/// file (28 MB instead of 15 MB there; see BENCHMARKS.md).
fn new_workbook() -> Workbook {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    wb
}

/// Excel holds at most 32,767 characters in a cell; a longer text (the
/// risks linking a control in a very large register) is cut with a note.
pub(crate) fn fit_cell(s: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 32_767;
    // A text of at most MAX bytes has at most MAX characters: the common
    // case is decided without counting.
    if s.len() <= MAX {
        return s.into();
    }
    let count = s.chars().count();
    if count <= MAX {
        return s.into();
    }
    let note = format!(" … ({count} characters in all; see the HTML export)");
    let keep = MAX - note.chars().count();
    let mut cut: String = s.chars().take(keep).collect();
    cut.push_str(&note);
    cut.into()
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

struct Styles {
    header: Format,
    wrap: Format,
    text: Format,
    number: Format,
    date: Format,
    title: Format,
    note: Format,
    /// One format per level of the method, built once: the register sheet
    /// colours three cells in each of its rows.
    levels: Vec<Format>,
}

impl Styles {
    fn new(reg: &Register) -> Styles {
        let border = |f: Format| {
            f.set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xBFBFBF))
        };
        let mut st = Styles {
            header: border(
                Format::new()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::Top)
                    .set_background_color(Color::RGB(0xD9E1F2)),
            ),
            wrap: border(Format::new().set_text_wrap().set_align(FormatAlign::Top)),
            text: border(Format::new().set_align(FormatAlign::Top)),
            number: border(
                Format::new()
                    .set_align(FormatAlign::Top)
                    .set_align(FormatAlign::Center),
            ),
            date: border(
                Format::new()
                    .set_num_format("yyyy-mm-dd")
                    .set_align(FormatAlign::Top)
                    .set_align(FormatAlign::Left),
            ),
            title: Format::new().set_bold().set_font_size(14),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
            levels: Vec::new(),
        };
        let n = reg.method.levels.len();
        st.levels = (0..n)
            .map(|i| {
                let bg = level_rgb(i, n);
                st.text
                    .clone()
                    .set_background_color(Color::RGB(bg))
                    .set_font_color(Color::RGB(text_rgb(bg)))
            })
            .collect();
        st
    }

    /// The format of a cell showing level `level` (plain text when none).
    fn level(&self, level: Option<usize>) -> &Format {
        level.and_then(|i| self.levels.get(i)).unwrap_or(&self.text)
    }

    fn applicable(&self, a: Applicable) -> Format {
        let bg = match a {
            Applicable::Yes => 0xE2EFDA,
            Applicable::No => 0xEDEDED,
            Applicable::Undecided => 0xFFF2CC,
        };
        self.text.clone().set_background_color(Color::RGB(bg))
    }
}

/// Print set-up shared by the sheets: landscape A4, one page wide, the
/// header row repeated, register name and page numbers in the margins.
fn print_setup(ws: &mut Worksheet, reg: &Register, repeat_header: bool) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    if repeat_header {
        ws.set_repeat_rows(0, 0)?;
    }
    let name = reg.name.replace('&', "&&");
    ws.set_header(format!("&L{name}&R&A"));
    ws.set_footer("&LGenerated by riskbench&RPage &P of &N");
    Ok(())
}

/// Writes the risk register's workbook ([`risks_workbook`]) to `path`,
/// as [`write_xlsx`] writes the SoA workbook.
pub(crate) fn write_risks_xlsx(
    reg: &Register,
    analysis: &Analysis,
    order: &[usize],
    path: &Path,
) -> Result<(), String> {
    let mut wb = risks_workbook(reg, analysis, order)?;
    save_atomic(&mut wb, path)
}

/// The workbook of `riskbench risks --format xlsx`: the "Risk register"
/// sheet with the in-scope risks of `order` (risk indices, as the command
/// sorted them), then the "Heat maps". The register comes first because
/// it is what this workbook is for, and the first sheet is the one a
/// spreadsheet opens on and `riskbench import` reads by default.
/// Deterministic, as [`write_xlsx`].
fn risks_workbook(
    reg: &Register,
    analysis: &Analysis,
    order: &[usize],
) -> Result<Workbook, String> {
    let styles = Styles::new(reg);
    let risks = super::risks_in_order(analysis, order);
    let mut wb = new_workbook();
    properties(
        &mut wb,
        reg,
        analysis,
        "risk register",
        "ISO/IEC 27001:2022 risk register",
    )
    .and_then(|()| wb.add_worksheet_with_constant_memory())
    .and_then(|ws| register_sheet(ws, reg, analysis, &risks, &styles))
    .and_then(|()| heat_sheet(wb.add_worksheet(), reg, analysis, &styles))
    .map_err(|e| format!("cannot build the workbook: {e}"))?;
    Ok(wb)
}

/// The document properties: "NAME — WHAT", the subject, and the analysis
/// day as the creation time (so the same register and day give the same
/// bytes).
fn properties(
    wb: &mut Workbook,
    reg: &Register,
    analysis: &Analysis,
    what: &str,
    subject: &str,
) -> Result<(), XlsxError> {
    properties_with(wb, reg, analysis, what, subject, "")
}

/// [`properties`], with `more` after the date in the comment.
fn properties_with(
    wb: &mut Workbook,
    reg: &Register,
    analysis: &Analysis,
    what: &str,
    subject: &str,
    more: &str,
) -> Result<(), XlsxError> {
    let today = analysis.eval.today;
    let created = excel_date(today)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} — {what}", reg.name))
            .set_subject(subject)
            .set_author("riskbench")
            .set_comment(format!("As of {today}{more}"))
            .set_creation_datetime(&created),
    );
    Ok(())
}

fn build(reg: &Register, analysis: &Analysis) -> Result<Workbook, XlsxError> {
    let styles = Styles::new(reg);
    let mut wb = new_workbook();
    let approval = SoaApproval::of(reg, &analysis.soa).line();
    properties_with(
        &mut wb,
        reg,
        analysis,
        "Statement of Applicability and risk register",
        "ISO/IEC 27001:2022 Statement of Applicability",
        &format!("; SoA {approval}"),
    )?;
    soa_sheet(
        wb.add_worksheet_with_constant_memory()?,
        reg,
        analysis,
        &styles,
    )?;
    let risks = risks_by_id(reg, analysis);
    register_sheet(
        wb.add_worksheet_with_constant_memory()?,
        reg,
        analysis,
        &risks,
        &styles,
    )?;
    heat_sheet(wb.add_worksheet(), reg, analysis, &styles)?;
    about_sheet(wb.add_worksheet(), reg, analysis, &approval, &styles)?;
    method_sheet(wb.add_worksheet(), reg, &styles)?;
    own_sheet(wb.add_worksheet(), reg, analysis, &styles)?;
    Ok(wb)
}

/// Row of the "About" sheet that states whether the SoA is approved.
pub(crate) const ABOUT_APPROVAL_ROW: u32 = 1;

/// The "About" sheet: the document's title and date, and whether the SoA
/// is approved (REGISTER.md §5). A sheet of its own because the "SoA"
/// sheet is a table from its first cell (its header row frozen, filtered
/// and repeated on every printed page) that readers and spreadsheet users
/// sort and filter as it is; a line above it would move every row.
fn about_sheet(
    ws: &mut Worksheet,
    reg: &Register,
    analysis: &Analysis,
    approval: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(ABOUT_SHEET)?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 80)?;
    ws.write_string_with_format(
        0,
        0,
        fit_cell(&format!(
            "{} — Statement of Applicability as of {}",
            reg.name, analysis.eval.today
        )),
        &st.title,
    )?;
    ws.write_string_with_format(
        ABOUT_APPROVAL_ROW,
        0,
        fit_cell(approval),
        &Format::new().set_bold(),
    )?;
    ws.write_string_with_format(
        2,
        0,
        "The method the scores and levels of this workbook follow: see the sheet \"Method\".",
        &st.note,
    )?;
    print_setup(ws, reg, false)
}

/// The "Method" sheet (6.1.2 a; issue 16): an "Item" / "Definition" table
/// from its first cell, as the plan's workbook has it, so one reader
/// serves both.
fn method_sheet(ws: &mut Worksheet, reg: &Register, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(METHOD_SHEET)?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 90)?;
    super::method::method_cells(ws, 0, reg, &st.header, &st.text, &st.wrap)?;
    print_setup(ws, reg, true)
}

/// Writes a table's header line in `row` (`(title, column width)` per
/// column, from column 0), each title in `format`.
pub(crate) fn header_row(
    ws: &mut Worksheet,
    row: u32,
    headers: &[(&str, f64)],
    format: &Format,
) -> Result<(), XlsxError> {
    for (c, (h, w)) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, format)?;
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// The "Own controls" sheet (6.1.3 b): one row per own control in file
/// order, with its state and newest evidence; only the header when the
/// register has none, so the workbook always has the same sheets.
fn own_sheet(
    ws: &mut Worksheet,
    reg: &Register,
    analysis: &Analysis,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(OWN_SHEET)?;
    let headers = [
        ("ID", 10.0),
        ("Title", 40.0),
        ("Types", 22.0),
        ("Maps to", 16.0),
        ("Status", 12.0),
        ("Effectiveness", 12.0),
        (EVIDENCE_HEADERS[0], 36.0),
        (EVIDENCE_HEADERS[1], 28.0),
        (EVIDENCE_HEADERS[2], 12.0),
    ];
    header_row(ws, 0, &headers, &st.header)?;
    let rows = own_rows(reg, analysis);
    for (n, o) in rows.iter().enumerate() {
        let r = n as u32 + 1;
        ws.write_string_with_format(r, 0, fit_cell(&o.control.id), &st.text)?;
        ws.write_string_with_format(r, 1, fit_cell(&o.control.title), &st.wrap)?;
        ws.write_string_with_format(r, 2, o.types(), &st.text)?;
        ws.write_string_with_format(r, 3, fit_cell(&o.maps_to()), &st.wrap)?;
        ws.write_string_with_format(r, 4, o.status.as_str(), &st.text)?;
        ws.write_number_with_format(r, 5, o.effectiveness, &st.number)?;
        evidence_cells(ws, r, 6, o.newest, st)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, headers.len() as u16 - 1)?;
    print_setup(ws, reg, true)
}

/// The three evidence cells from column `col`: what, where, the date (a
/// date cell); blank cells when there is no evidence.
fn evidence_cells(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    newest: Option<&Evidence>,
    st: &Styles,
) -> Result<(), XlsxError> {
    match newest {
        Some(e) => {
            ws.write_string_with_format(row, col, fit_cell(&e.what), &st.wrap)?;
            ws.write_string_with_format(row, col + 1, fit_cell(&e.at), &st.wrap)?;
            ws.write_date_with_format(row, col + 2, &excel_date(e.on)?, &st.date)?;
        }
        None => {
            for c in col..col + 3 {
                ws.write_blank(row, c, &st.text)?;
            }
        }
    }
    Ok(())
}

/// The "SoA" sheet: the seven columns of the SoA (REGISTER.md §4), then
/// the control's newest evidence. Written row by row (constant memory).
fn soa_sheet(
    ws: &mut Worksheet,
    reg: &Register,
    analysis: &Analysis,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(SOA_SHEET)?;
    let headers = [
        ("Control", 9.0),
        ("Theme", 15.0),
        ("Title", 48.0),
        ("Applicable", 11.0),
        ("Justification", 48.0),
        ("Status", 12.0),
        ("Linked risks", 22.0),
        (EVIDENCE_HEADERS[0], 36.0),
        (EVIDENCE_HEADERS[1], 28.0),
        (EVIDENCE_HEADERS[2], 12.0),
    ];
    header_row(ws, 0, &headers, &st.header)?;
    let rows = soa_rows(reg, analysis);
    for (r, (row, entry)) in rows.iter().zip(&analysis.soa.entries).enumerate() {
        let r = r as u32 + 1;
        for (c, value) in row.iter().enumerate() {
            let fmt = match c {
                3 => &st.applicable(entry.applicable),
                2 | 4 | 6 => &st.wrap,
                _ => &st.text,
            };
            ws.write_string_with_format(r, c as u16, fit_cell(value), fmt)?;
        }
        evidence_cells(ws, r, 7, newest(reg, analysis, &row[0]), st)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len() as u32, headers.len() as u16 - 1)?;
    print_setup(ws, reg, true)
}

/// The "Risk register" sheet: one row per entry of `risks`, in that order.
fn register_sheet(
    ws: &mut Worksheet,
    reg: &Register,
    analysis: &Analysis,
    risks: &[(usize, &RiskEval)],
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(REGISTER_SHEET)?;
    let headers: [(&str, f64); 34] = [
        ("ID", 8.0),
        ("Title", 40.0),
        ("Asset ID", 8.0),
        ("Asset", 24.0),
        ("Threat ID", 9.0),
        ("Threat", 22.0),
        ("Vulnerability", 30.0),
        ("Likelihood", 10.0),
        ("Impact", 8.0),
        ("Treatment", 10.0),
        ("Controls", 18.0),
        ("Owner", 14.0),
        ("Reviewed", 11.0),
        ("Due", 11.0),
        ("Inherent likelihood", 10.0),
        ("Inherent impact", 9.0),
        ("Inherent score", 9.0),
        ("Inherent level", 10.0),
        ("Residual likelihood", 10.0),
        ("Residual impact", 9.0),
        ("Residual score", 9.0),
        ("Residual level", 10.0),
        ("Residual is manual", 9.0),
        ("Target likelihood", 10.0),
        ("Target impact", 9.0),
        ("Target score", 9.0),
        ("Target level", 10.0),
        ("Above appetite", 9.0),
        ("Next review", 11.0),
        ("Overdue", 9.0),
        ("Accepted by", 14.0),
        ("Acceptance until", 11.0),
        // Last, so readers of the columns before keep their places; the
        // names as `import` reads them back.
        ("CIA", 16.0),
        // The discussion record, one line per note (`import` leaves it).
        ("Notes", 50.0),
    ];
    // Each column carries its cells' format and the cells are written
    // without one (the level cells excepted): rust_xlsxwriter hashes a
    // cell's format on every write, a third of this sheet's time at
    // 100,000 risks. The cells get the same style; a row typed below the
    // table gets it too.
    let column_format = |c: u16| match c {
        1 | 3 | 5 | 6 | 10 | 33 => &st.wrap,
        7 | 8 | 14..=16 | 18..=20 | 23..=25 => &st.number,
        12 | 13 | 28 | 31 => &st.date,
        _ => &st.text,
    };
    header_row(ws, 0, &headers, &st.header)?;
    for c in 0..headers.len() as u16 {
        ws.set_column_format(c, column_format(c))?;
    }
    let yes_no = |b: bool| if b { "Yes" } else { "No" };
    for (n, (i, e)) in risks.iter().enumerate() {
        let row = n as u32 + 1;
        let r = &reg.risks[*i];
        let text = |ws: &mut Worksheet, c: u16, s: &str| -> Result<(), XlsxError> {
            ws.write_string(row, c, fit_cell(s))?;
            Ok(())
        };
        text(ws, 0, &r.id)?;
        text(ws, 1, &r.title)?;
        text(ws, 2, &r.asset)?;
        text(ws, 3, asset_name(reg, analysis, &r.asset))?;
        text(ws, 4, &r.threat)?;
        text(ws, 5, super::threat_name(reg, analysis, &r.threat))?;
        text(ws, 6, &r.vulnerability)?;
        ws.write_number(row, 7, r.likelihood)?;
        ws.write_number(row, 8, r.impact)?;
        text(ws, 9, r.treatment.as_str())?;
        text(ws, 10, &r.controls.join(", "))?;
        text(ws, 11, &r.owner)?;
        let date = |ws: &mut Worksheet, c: u16, d: Option<NaiveDate>| -> Result<(), XlsxError> {
            if let Some(d) = d {
                ws.write_datetime(row, c, excel_date(d)?)?;
            }
            Ok(())
        };
        date(ws, 12, r.reviewed)?;
        date(ws, 13, r.due)?;
        let score = |ws: &mut Worksheet, c: u16, s: &Score| -> Result<(), XlsxError> {
            ws.write_number(row, c, s.likelihood)?;
            ws.write_number(row, c + 1, s.impact)?;
            ws.write_number(row, c + 2, s.score)?;
            ws.write_string_with_format(
                row,
                c + 3,
                s.level_name(&reg.method),
                st.level(s.level_index()),
            )?;
            Ok(())
        };
        score(ws, 14, &e.inherent)?;
        score(ws, 18, &e.residual)?;
        text(ws, 22, yes_no(e.manual))?;
        score(ws, 23, &e.target)?;
        text(ws, 27, yes_no(e.above_appetite))?;
        date(ws, 28, e.next_review)?;
        text(ws, 29, yes_no(e.overdue))?;
        let acc = r.acceptance.as_ref();
        text(ws, 30, acc.map_or("", |a| a.by.as_str()))?;
        date(ws, 31, acc.map(|a| a.until))?;
        text(ws, 32, &crate::domain::schema2::Cia::names(&r.cia))?;
        text(
            ws,
            33,
            &crate::domain::schema2::Note::joined(&r.notes, "\n"),
        )?;
    }
    ws.set_freeze_panes(1, 2)?;
    ws.autofilter(0, 0, risks.len() as u32, headers.len() as u16 - 1)?;
    print_setup(ws, reg, true)
}

/// Row of the inherent heat map's header line on the "Heat maps" sheet;
/// its likelihood rows follow, highest likelihood first.
pub(crate) const HEAT_INHERENT_HEADER: u32 = 3;

fn heat_sheet(
    ws: &mut Worksheet,
    reg: &Register,
    analysis: &Analysis,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(HEAT_SHEET)?;
    let m = &reg.method;
    let (nl, ni) = (m.likelihood.len(), m.impact.len());
    ws.set_column_width(0, 22)?;
    for c in 1..=ni as u16 {
        ws.set_column_width(c, 13)?;
    }
    ws.write_string_with_format(
        0,
        0,
        format!("{} — heat maps as of {}", reg.name, analysis.eval.today),
        &st.title,
    )?;
    ws.write_string_with_format(
        1,
        0,
        "Number of in-scope risks at each likelihood (rows) and impact (columns); cells coloured by risk level.",
        &st.note,
    )?;
    let mut row = HEAT_INHERENT_HEADER - 1;
    for (residual, title) in [
        (false, "Inherent risk (before controls)"),
        (
            true,
            "Current residual risk (controls as implemented today)",
        ),
    ] {
        ws.write_string_with_format(row, 0, title, &Format::new().set_bold())?;
        row += 1;
        ws.write_string_with_format(row, 0, "Likelihood \\ Impact", &st.header)?;
        for (i, label) in m.impact.iter().enumerate() {
            ws.write_string_with_format(
                row,
                i as u16 + 1,
                format!("{} {label}", i + 1),
                &st.header.clone().set_align(FormatAlign::Center),
            )?;
        }
        row += 1;
        let grid = heat_counts(reg, analysis, residual);
        for l in (1..=nl).rev() {
            ws.write_string_with_format(
                row,
                0,
                format!("{l} {}", m.likelihood[l - 1]),
                &st.header,
            )?;
            for i in 1..=ni {
                let fmt = st
                    .level(cell_level(reg, l, i))
                    .clone()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_bold();
                ws.write_number_with_format(row, i as u16, grid[l - 1][i - 1] as f64, &fmt)?;
            }
            ws.set_row_height(row, 24)?;
            row += 1;
        }
        row += 1;
    }
    // Legend: the levels with their score ranges and review intervals.
    ws.write_string_with_format(row, 0, "Level", &st.header)?;
    ws.write_string_with_format(row, 1, "Scores", &st.header)?;
    ws.write_string_with_format(row, 2, "Review every (days)", &st.header)?;
    row += 1;
    let mut from = 1;
    for (i, l) in m.levels.iter().enumerate() {
        ws.write_string_with_format(row, 0, &l.name, st.level(Some(i)))?;
        let range = if m.matrix.is_some() {
            "per matrix".to_string()
        } else {
            format!("{from}–{}", l.up_to)
        };
        ws.write_string_with_format(row, 1, range, &st.text)?;
        ws.write_number_with_format(row, 2, l.review_days, &st.number)?;
        from = l.up_to + 1;
        row += 1;
    }
    ws.write_string_with_format(
        row + 1,
        0,
        format!(
            "Risk appetite: residual scores above {} need treatment or a valid acceptance.",
            m.appetite
        ),
        &st.note,
    )?;
    print_setup(ws, reg, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cells_are_cut_to_what_excel_holds() {
        assert_eq!(fit_cell("short"), "short");
        let long = "R-00001, ".repeat(5000);
        let cut = fit_cell(&long);
        assert_eq!(cut.chars().count(), 32_767);
        assert!(cut.ends_with("(45000 characters in all; see the HTML export)"));
    }
}
