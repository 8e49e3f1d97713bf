//! Self-contained, printable HTML pages for auditors. [`html`] (`soa
//! --format html`): the register's name and date, whether the SoA is
//! approved, the SoA summary and table (each control with its newest
//! evidence), the own controls, both heat maps, the risk register and the
//! method. [`risks_html`] (`risks
//! --format html`): the risk register on its own, with every column of the
//! CSV and workbook register, in the command's sort order, and the heat
//! maps. Both in the same style, from the same pieces. Inline CSS only: no
//! scripts, images, fonts or links, so the file can be mailed, archived and
//! printed as it is.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::domain::schema2::Evidence;
use crate::domain::soa::SoaApproval;
use crate::domain::{Analysis, Applicable, Register, RiskEval, Score};

use super::evidence::{EVIDENCE_HEADERS, newest, own_rows};
use super::{cell_level, heat_counts, level_rgb, risks_by_id, risks_in_order, soa_rows, text_rgb};

/// Escapes text for HTML content and attribute values.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --line: #c8c8c8; --head: #d9e1f2; --muted: #595959; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111; margin: 2em; }
h1 { font-size: 18pt; margin: 0 0 .2em; }
h2 { font-size: 13pt; margin: 1.6em 0 .5em; border-bottom: 2px solid #333; padding-bottom: .15em; }
h3 { font-size: 11pt; margin: .2em 0 .4em; }
p.meta, p.note, footer { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: .25em .4em; vertical-align: top; text-align: left; }
thead th { background: var(--head); }
td.num { text-align: center; }
table.summary { width: auto; }
table.summary th { background: #f2f2f2; font-weight: 600; }
.yes { background: #e2efda; } .no { background: #ededed; } .undecided { background: #fff2cc; }
.maps { display: flex; gap: 2em; flex-wrap: wrap; }
.maps > div { flex: 1 1 22em; }
table.heat { width: auto; }
table.heat td.cell { width: 4.2em; height: 2.4em; text-align: center; vertical-align: middle; font-weight: 700; font-size: 11pt; }
table.heat td.zero { font-weight: 400; opacity: .55; }
table.heat th { font-weight: 600; white-space: nowrap; }
.legend span { display: inline-block; padding: .1em .6em; margin-right: .4em; border-radius: 3px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 8.5pt; }
  section { break-before: page; }
  section.first { break-before: auto; }
  thead { display: table-header-group; }
  tr, .maps > div { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"#;

fn level_style(reg: &Register, level: Option<usize>) -> String {
    match level {
        Some(i) => {
            let bg = level_rgb(i, reg.method.levels.len());
            format!(
                " style=\"background:#{bg:06x};color:#{:06x}\"",
                text_rgb(bg)
            )
        }
        None => String::new(),
    }
}

pub(super) fn score_cell(reg: &Register, s: &Score) -> String {
    format!(
        "<td{}>{}×{} = {} {}</td>",
        level_style(reg, s.level_index()),
        s.likelihood,
        s.impact,
        s.score,
        esc(s.level_name(&reg.method))
    )
}

fn heat_map(o: &mut String, reg: &Register, analysis: &Analysis, residual: bool) {
    let m = &reg.method;
    let grid = heat_counts(reg, analysis, residual);
    let (title, note) = if residual {
        (
            "Current residual risk",
            "with controls as implemented today",
        )
    } else {
        ("Inherent risk", "before controls")
    };
    let total: usize = grid.iter().flatten().sum();
    let _ = write!(
        o,
        "<div><h3>{title}</h3><p class=\"note\">{note}; {total} risks</p>\n<table class=\"heat\" id=\"heat-{}\">\n<thead><tr><th>Likelihood \\ Impact</th>",
        if residual { "residual" } else { "inherent" }
    );
    for (i, label) in m.impact.iter().enumerate() {
        let _ = write!(o, "<th>{} {}</th>", i + 1, esc(label));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for l in (1..=m.likelihood.len()).rev() {
        let _ = write!(o, "<tr><th>{l} {}</th>", esc(&m.likelihood[l - 1]));
        for i in 1..=m.impact.len() {
            let n = grid[l - 1][i - 1];
            let _ = write!(
                o,
                "<td class=\"cell{}\"{} data-l=\"{l}\" data-i=\"{i}\">{n}</td>",
                if n == 0 { " zero" } else { "" },
                level_style(reg, cell_level(reg, l, i))
            );
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table></div>\n");
}

/// From `<!DOCTYPE html>` to `<body>`: the page title is "NAME — WHAT
/// (DATE)", the style sheet inline.
pub(super) fn head(o: &mut String, reg: &Register, what: &str, today: NaiveDate) {
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"riskbench {}\">\n<title>{} — {what} ({today})</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&reg.name)
    );
}

/// The summary rows about the risks (both pages have them).
fn risk_summary(reg: &Register, risks: &[(usize, &RiskEval)]) -> [(&'static str, String); 4] {
    let above = risks.iter().filter(|(_, e)| e.above_appetite).count();
    let overdue = risks.iter().filter(|(_, e)| e.overdue).count();
    [
        (
            "Risks in scope",
            format!(
                "{} ({} out of scope)",
                risks.len(),
                reg.risks.len() - risks.len()
            ),
        ),
        (
            "Above appetite",
            format!("{above} (residual score above {})", reg.method.appetite),
        ),
        ("Overdue for review", overdue.to_string()),
        (
            "Method",
            format!(
                "{} × {} scale",
                reg.method.likelihood.len(),
                reg.method.impact.len()
            ),
        ),
    ]
}

/// The levels in their colours, with their score ranges.
fn legend(o: &mut String, reg: &Register) {
    o.push_str("<p class=\"legend\">Levels: ");
    let mut from = 1;
    for (i, l) in reg.method.levels.iter().enumerate() {
        let range = if reg.method.matrix.is_some() {
            String::new()
        } else {
            format!(" {from}–{}", l.up_to)
        };
        from = l.up_to + 1;
        let _ = write!(
            o,
            "<span{}>{}{range}</span>",
            level_style(reg, Some(i)),
            esc(&l.name)
        );
    }
    o.push_str("</p>\n");
}

/// The heat-map section: inherent and current residual side by side.
fn heat_maps(o: &mut String, reg: &Register, analysis: &Analysis) {
    o.push_str("<section id=\"heat-maps\">\n<h2>Heat maps</h2>\n<p class=\"note\">Number of in-scope risks at each likelihood (rows) and impact (columns); cells coloured by risk level.</p>\n<div class=\"maps\">\n");
    heat_map(o, reg, analysis, false);
    heat_map(o, reg, analysis, true);
    o.push_str("</div>\n</section>\n");
}

pub(super) fn footer(o: &mut String, reg: &Register, today: NaiveDate) {
    let _ = write!(
        o,
        "<footer><p>Generated by riskbench {} on {today} from the register {}.</p></footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&reg.name)
    );
}

/// The three evidence cells of a row: what, where, the date (empty cells
/// when there is no evidence).
fn evidence_tds(o: &mut String, newest: Option<&Evidence>) {
    match newest {
        Some(e) => {
            let _ = write!(
                o,
                "<td>{}</td><td>{}</td><td>{}</td>",
                esc(&e.what),
                esc(&e.at),
                e.on
            );
        }
        None => o.push_str("<td></td><td></td><td></td>"),
    }
}

/// The own controls' section (6.1.3 b): one row per own control in file
/// order with its types, the Annex A controls it maps to, its state and
/// newest evidence.
fn own_controls(o: &mut String, reg: &Register, analysis: &Analysis) {
    o.push_str("<section id=\"own-controls\">\n<h2>Own controls</h2>\n<p class=\"note\">Controls from sources other than Annex A (ISO/IEC 27001:2022 6.1.3 b). They act on scores by their types; an Annex A control they map to lists their risks in the SoA.</p>\n");
    let rows = own_rows(reg, analysis);
    if rows.is_empty() {
        o.push_str("<p>The register has no own controls.</p>\n</section>\n");
        return;
    }
    o.push_str("<table>\n<thead><tr><th>ID</th><th>Title</th><th>Types</th><th>Maps to</th><th>Status</th><th>Effectiveness</th>");
    for h in EVIDENCE_HEADERS {
        let _ = write!(o, "<th>{h}</th>");
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in &rows {
        let _ = write!(
            o,
            "<tr id=\"own-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>",
            esc(&r.control.id),
            esc(&r.control.id),
            esc(&r.control.title),
            esc(&r.types()),
            esc(&r.maps_to()),
            r.status.as_str(),
            r.effectiveness
        );
        evidence_tds(o, r.newest);
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

/// The page. The date is the analysis day (`--today` or the system date).
pub fn html(reg: &Register, analysis: &Analysis) -> String {
    let today = analysis.eval.today;
    let soa = &analysis.soa;
    let s = soa.summary();
    let risks = risks_by_id(reg, analysis);
    let mut o = String::with_capacity(64 * 1024);
    head(&mut o, reg, "Statement of Applicability", today);
    let _ = write!(
        o,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">Statement of Applicability (ISO/IEC 27001:2022 Annex A), heat maps and risk register · as of {today}</p>\n",
        esc(&reg.name)
    );
    if !reg.scope.is_empty() {
        let _ = writeln!(o, "<p><strong>Scope:</strong> {}</p>", esc(&reg.scope));
    }
    // Whether this SoA is the approved one (REGISTER.md §5): an auditor's
    // first question of the document.
    let _ = writeln!(
        o,
        "<p id=\"approval\"><strong>{}</strong></p>",
        esc(&SoaApproval::of(reg, soa).line())
    );
    o.push_str("</header>\n");

    // Summary.
    o.push_str(
        "<section class=\"first\" id=\"summary\">\n<h2>Summary</h2>\n<table class=\"summary\">\n",
    );
    let rows: [(&str, String); 4] = [
        ("Annex A controls", soa.entries.len().to_string()),
        (
            "Applicable",
            format!("{} ({} implemented)", s.yes, s.implemented),
        ),
        ("Excluded", s.no.to_string()),
        ("Undecided", s.undecided.to_string()),
    ];
    for (k, v) in rows.into_iter().chain(risk_summary(reg, &risks)) {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
    }
    o.push_str("</table>\n");
    legend(&mut o, reg);
    o.push_str("</section>\n");

    // Statement of Applicability: the seven columns of §4, then the
    // control's newest evidence (at the end, so readers of the first seven
    // keep working).
    o.push_str("<section id=\"soa\">\n<h2>Statement of Applicability</h2>\n<table>\n<thead><tr><th>Control</th><th>Theme</th><th>Title</th><th>Applicable</th><th>Justification</th><th>Status</th><th>Linked risks</th>");
    for h in EVIDENCE_HEADERS {
        let _ = write!(o, "<th>{h}</th>");
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for (row, e) in soa_rows(reg, analysis).iter().zip(&soa.entries) {
        let class = match e.applicable {
            Applicable::Yes => "yes",
            Applicable::No => "no",
            Applicable::Undecided => "undecided",
        };
        let _ = write!(
            o,
            "<tr id=\"c{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td><td>{}</td>",
            esc(&row[0]),
            esc(&row[0]),
            esc(&row[1]),
            esc(&row[2]),
            esc(&row[3]),
            esc(&row[4]),
            esc(&row[5]),
            esc(&row[6])
        );
        evidence_tds(&mut o, newest(reg, analysis, &row[0]));
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
    own_controls(&mut o, reg, analysis);

    heat_maps(&mut o, reg, analysis);

    // Risk register.
    o.push_str("<section id=\"register\">\n<h2>Risk register</h2>\n<table>\n<thead><tr><th>ID</th><th>Title</th><th>Asset</th><th>Threat</th><th>Treatment</th><th>Controls</th><th>Owner</th><th>Inherent</th><th>Residual</th><th>Target</th><th>Appetite</th><th>Next review</th></tr></thead>\n<tbody>\n");
    for (i, e) in &risks {
        let r = &reg.risks[*i];
        let next = match e.next_review {
            Some(d) if e.overdue => format!("{d} (overdue)"),
            Some(d) => d.to_string(),
            None => "never reviewed".into(),
        };
        let residual = if e.manual {
            score_cell(reg, &e.residual).replace("</td>", " (manual)</td>")
        } else {
            score_cell(reg, &e.residual)
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td>{}{}{}<td>{}</td><td>{}</td></tr>",
            esc(&r.id),
            esc(&r.title),
            esc(&r.asset),
            esc(super::asset_name(reg, analysis, &r.asset)),
            esc(&r.threat),
            esc(super::threat_name(reg, analysis, &r.threat)),
            r.treatment.as_str(),
            esc(&r.controls.join(", ")),
            esc(&r.owner),
            score_cell(reg, &e.inherent),
            residual,
            score_cell(reg, &e.target),
            if e.above_appetite { "above" } else { "" },
            esc(&next)
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
    super::method::method_html(&mut o, reg);
    footer(&mut o, reg, today);
    o
}

/// The risk register's page (`riskbench risks --format html`): a summary,
/// the evaluated in-scope risks of `order` (risk indices, in the order the
/// command sorted them) with every column the CSV and the workbook's
/// register carry, and the heat maps. No SoA: that is [`html`]'s page, and
/// an auditor asking for the register should get the register. The date
/// is the analysis day.
pub fn risks_html(reg: &Register, analysis: &Analysis, order: &[usize]) -> String {
    let today = analysis.eval.today;
    let risks = risks_in_order(analysis, order);
    let mut o = String::with_capacity(64 * 1024);
    head(&mut o, reg, "Risk register", today);
    let _ = write!(
        o,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">Risk register: the evaluated in-scope risks and heat maps · as of {today}</p>\n",
        esc(&reg.name)
    );
    if !reg.scope.is_empty() {
        let _ = writeln!(o, "<p><strong>Scope:</strong> {}</p>", esc(&reg.scope));
    }
    o.push_str("</header>\n");

    o.push_str(
        "<section class=\"first\" id=\"summary\">\n<h2>Summary</h2>\n<table class=\"summary\">\n",
    );
    for (k, v) in risk_summary(reg, &risks) {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
    }
    o.push_str("</table>\n");
    legend(&mut o, reg);
    o.push_str("</section>\n");

    o.push_str("<section id=\"register\">\n<h2>Risk register</h2>\n<p class=\"note\">L and I: the likelihood and impact recorded for the risk. Inherent: before controls, with the threat&#39;s likelihood shift. Residual: with the controls as implemented today. Target: with every linked control implemented.</p>\n<table>\n<thead><tr>");
    for h in [
        "ID",
        "Title",
        "Asset",
        "Threat",
        "Vulnerability",
        "L",
        "I",
        "Inherent",
        "Treatment",
        "Controls",
        "Residual",
        "Target",
        "Due",
        "Owner",
        "Reviewed",
        "Next review",
        "Overdue",
        "Above appetite",
        "Accepted",
        "CIA",
        "Notes",
    ] {
        let _ = write!(o, "<th>{h}</th>");
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let yes_no = |b: bool| if b { "Yes" } else { "No" };
    for (i, e) in &risks {
        let r = &reg.risks[*i];
        let residual = if e.manual {
            score_cell(reg, &e.residual).replace("</td>", " (manual)</td>")
        } else {
            score_cell(reg, &e.residual)
        };
        let accepted = r
            .acceptance
            .as_ref()
            .map(|a| format!("{} until {}", a.by, a.until))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "<tr id=\"risk-{}\"><td>{}</td><td>{}</td><td>{} {}</td><td>{} {}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}<td>{}</td><td>{}</td>{residual}{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.id),
            esc(&r.id),
            esc(&r.title),
            esc(&r.asset),
            esc(super::asset_name(reg, analysis, &r.asset)),
            esc(&r.threat),
            esc(super::threat_name(reg, analysis, &r.threat)),
            esc(&r.vulnerability),
            r.likelihood,
            r.impact,
            score_cell(reg, &e.inherent),
            r.treatment.as_str(),
            esc(&r.controls.join(", ")),
            score_cell(reg, &e.target),
            date(r.due),
            esc(&r.owner),
            date(r.reviewed),
            e.next_review
                .map_or_else(|| "never reviewed".to_string(), |d| d.to_string()),
            yes_no(e.overdue),
            yes_no(e.above_appetite),
            esc(&accepted),
            crate::domain::schema2::Cia::names(&r.cia),
            esc(&crate::domain::schema2::Note::joined(&r.notes, "\n")),
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
    heat_maps(&mut o, reg, analysis);
    footer(&mut o, reg, today);
    o
}
