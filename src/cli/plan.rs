//! `riskbench plan FILE [--format text|md|csv|json|html|xlsx] [-o FILE]
//! [--force]`: the risk treatment plan (ISO/IEC 27001 6.1.3 e), the
//! document an auditor samples after the SoA, saying whether it is
//! approved (REGISTER.md §5).

use std::fmt::Write;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::plan::{PlanSummary, action_overdue, approval_line, plan_risks};
use crate::domain::{Analysis, Id, Register, Score, schema2::Action};

use super::{EXIT_BAD_INPUT, EXIT_OK, Opened, OutputFormat, TableFormat};

/// The columns of the CSV: the JSON action fields, in their order.
const CSV_HEADERS: [&str; 11] = [
    "id",
    "title",
    "risks",
    "controls",
    "owner",
    "due",
    "status",
    "done_on",
    "effort_days",
    "cost",
    "overdue",
];

/// How lists are joined in a cell (§5: "lists joined by `; `").
const JOIN: &str = "; ";

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn number<T: ToString>(n: Option<T>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn score_text(reg: &Register, s: &Score) -> String {
    format!(
        "{}×{}={} {}",
        s.likelihood,
        s.impact,
        s.score,
        s.level_name(&reg.method)
    )
}

/// A score in the shape of the `risks` JSON (§4); `manual` on the
/// residual only.
#[derive(Serialize)]
struct ScoreJson<'a> {
    likelihood: u32,
    impact: u32,
    score: u32,
    level: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    manual: Option<bool>,
}

impl<'a> ScoreJson<'a> {
    fn new(reg: &'a Register, s: &Score, manual: Option<bool>) -> ScoreJson<'a> {
        ScoreJson {
            likelihood: s.likelihood,
            impact: s.impact,
            score: s.score,
            level: s.level_name(&reg.method),
            manual,
        }
    }
}

/// The spec's JSON object for one action (§5): the file's fields and
/// `overdue` on `today`, in the spec's order.
#[derive(Serialize)]
struct ActionJson<'a> {
    id: &'a str,
    title: &'a str,
    risks: &'a [Id],
    controls: &'a [Id],
    owner: &'a str,
    due: Option<String>,
    status: &'static str,
    done_on: Option<String>,
    effort_days: Option<u32>,
    cost: Option<u64>,
    overdue: bool,
}

/// One risk the plan treats.
#[derive(Serialize)]
struct RiskJson<'a> {
    id: &'a str,
    title: &'a str,
    owner: &'a str,
    treatment: &'static str,
    residual: ScoreJson<'a>,
    target: ScoreJson<'a>,
    actions: Vec<&'a str>,
}

#[derive(Serialize)]
struct SummaryJson {
    open: usize,
    in_progress: usize,
    done: usize,
    cancelled: usize,
    overdue: usize,
    effort_days: u64,
    cost: u64,
}

#[derive(Serialize)]
struct ApprovalJson<'a> {
    on: String,
    by: &'a str,
    note: &'a str,
}

/// The whole plan in the spec's JSON shape (§5). Typed rather than built
/// as a `serde_json::Value`: at 100,000 risks that tree of maps cost more
/// than the rest of the command (see BENCHMARKS.md).
#[derive(Serialize)]
struct PlanJson<'a> {
    actions: Vec<ActionJson<'a>>,
    risks: Vec<RiskJson<'a>>,
    summary: SummaryJson,
    approval: Option<ApprovalJson<'a>>,
}

fn action_json(a: &Action, today: NaiveDate) -> ActionJson<'_> {
    ActionJson {
        id: &a.id,
        title: &a.title,
        risks: &a.risks,
        controls: &a.controls,
        owner: &a.owner,
        due: a.due.map(|d| d.to_string()),
        status: a.status.as_str(),
        done_on: a.done_on.map(|d| d.to_string()),
        effort_days: a.effort_days,
        cost: a.cost,
        overdue: action_overdue(a, today),
    }
}

/// `plan --format json`'s output, written to `out`: the plan
/// pretty-printed, with a final line break. Public so that the benchmark
/// measures what the command does.
pub fn write_json(
    reg: &Register,
    analysis: &Analysis,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &plan_json(reg, analysis))?;
    out.write_all(b"\n")
}

fn plan_json<'a>(reg: &'a Register, analysis: &Analysis) -> PlanJson<'a> {
    let eval = &analysis.eval;
    let today = eval.today;
    let actions = reg.actions.iter().map(|a| action_json(a, today)).collect();
    let risks = plan_risks(reg, eval)
        .into_iter()
        .filter_map(|(i, acts)| {
            let e = eval.risks.get(i)?.as_ref()?;
            let r = &reg.risks[i];
            Some(RiskJson {
                id: &r.id,
                title: &r.title,
                owner: &r.owner,
                treatment: r.treatment.as_str(),
                residual: ScoreJson::new(reg, &e.residual, Some(e.manual)),
                target: ScoreJson::new(reg, &e.target, None),
                actions: acts.iter().map(|&a| reg.actions[a].id.as_str()).collect(),
            })
        })
        .collect();
    let s = PlanSummary::of(&reg.actions, today);
    PlanJson {
        actions,
        risks,
        summary: SummaryJson {
            open: s.open,
            in_progress: s.in_progress,
            done: s.done,
            cancelled: s.cancelled,
            overdue: s.overdue,
            effort_days: s.effort_days,
            cost: s.cost,
        },
        approval: reg.plan_approval.as_ref().map(|p| ApprovalJson {
            on: p.on.to_string(),
            by: &p.by,
            note: &p.note,
        }),
    }
}

/// One CSV row: the JSON action fields in order, lists joined by `; `.
fn csv_row(a: &Action, today: NaiveDate) -> Vec<String> {
    vec![
        a.id.to_string(),
        a.title.clone(),
        a.risks.join(JOIN),
        a.controls.join(JOIN),
        a.owner.clone(),
        date(a.due),
        a.status.as_str().into(),
        date(a.done_on),
        number(a.effort_days),
        number(a.cost),
        action_overdue(a, today).to_string(),
    ]
}

/// "N actions: O open, P in progress, D done, C cancelled; V overdue;
/// effort E days, cost K", the summary line of the documents.
pub(crate) fn summary_line(reg: &Register, today: NaiveDate) -> String {
    let s = PlanSummary::of(&reg.actions, today);
    format!(
        "{} actions: {} open, {} in progress, {} done, {} cancelled. Overdue: {}. \
Effort: {} days, cost: {} (cancelled actions not counted).",
        reg.actions.len(),
        s.open,
        s.in_progress,
        s.done,
        s.cancelled,
        s.overdue,
        s.effort_days,
        s.cost
    )
}

/// The readable document (text or Markdown): title, approval, the
/// actions, the risks they treat, the summary.
fn document(opened: &Opened, format: TableFormat) -> Result<String, i32> {
    let (reg, eval) = (&opened.register, &opened.analysis.eval);
    let today = eval.today;
    let action_headers = [
        "id", "title", "status", "owner", "due", "overdue", "risks", "controls", "effort", "cost",
    ];
    let action_rows: Vec<Vec<String>> = reg
        .actions
        .iter()
        .map(|a| {
            vec![
                a.id.to_string(),
                a.title.clone(),
                a.status.as_str().into(),
                a.owner.clone(),
                date(a.due),
                if action_overdue(a, today) {
                    "overdue"
                } else {
                    ""
                }
                .into(),
                a.risks.join(JOIN),
                a.controls.join(JOIN),
                number(a.effort_days),
                number(a.cost),
            ]
        })
        .collect();
    let risk_headers = ["id", "title", "owner", "residual", "target", "actions"];
    let risk_rows: Vec<Vec<String>> = plan_risks(reg, eval)
        .into_iter()
        .filter_map(|(i, acts)| {
            let e = eval.risks.get(i)?.as_ref()?;
            let r = &reg.risks[i];
            let ids: Vec<&str> = acts.iter().map(|&a| reg.actions[a].id.as_str()).collect();
            Some(vec![
                r.id.to_string(),
                r.title.clone(),
                r.owner.clone(),
                score_text(reg, &e.residual),
                score_text(reg, &e.target),
                ids.join(JOIN),
            ])
        })
        .collect();
    let note = reg
        .plan_approval
        .as_ref()
        .map(|a| a.note.as_str())
        .filter(|n| !n.is_empty());
    let mut o = String::new();
    if format == TableFormat::Md {
        let md = |s: &str| crate::escape::markdown_cell(s);
        let _ = writeln!(o, "# Risk treatment plan: {}\n", md(&reg.name));
        let _ = writeln!(o, "**{}**", approval_line_md(reg));
        if let Some(n) = note {
            let _ = writeln!(o, "\nApproval note: {}", md(n));
        }
        let _ = writeln!(o, "\nAs of {today}.\n\n## Actions\n");
        o.push_str(&super::format::table(
            format,
            &action_headers,
            &action_rows,
        )?);
        o.push_str("\n## Risks treated\n\n");
        o.push_str(&super::format::table(format, &risk_headers, &risk_rows)?);
        let _ = writeln!(o, "\n{}", summary_line(reg, today));
    } else {
        let t = |s: &str| crate::escape::for_terminal(s).into_owned();
        let _ = writeln!(o, "Risk treatment plan: {} (as of {today})", t(&reg.name));
        let _ = writeln!(o, "{}", t(&approval_line(reg)));
        if let Some(n) = note {
            let _ = writeln!(o, "Approval note: {}", t(n));
        }
        o.push_str("\nActions\n");
        o.push_str(&super::format::table(
            format,
            &action_headers,
            &action_rows,
        )?);
        o.push_str("\nRisks treated\n");
        o.push_str(&super::format::table(format, &risk_headers, &risk_rows)?);
        let _ = writeln!(o, "\n{}", summary_line(reg, today));
    }
    Ok(o)
}

/// [`approval_line`] with its register text escaped for Markdown.
fn approval_line_md(reg: &Register) -> String {
    match &reg.plan_approval {
        Some(a) => format!(
            "Approved: {} by {}",
            a.on,
            crate::escape::markdown_cell(&a.by)
        ),
        None => approval_line(reg),
    }
}

/// The plan in a table format, as printed or written to `-o FILE`.
fn render(opened: &Opened, format: TableFormat) -> Result<String, i32> {
    let reg = &opened.register;
    let today = opened.analysis.eval.today;
    match format {
        TableFormat::Json => {
            let mut out = Vec::new();
            write_json(reg, &opened.analysis, &mut out)
                .ok()
                .and_then(|()| String::from_utf8(out).ok())
                .ok_or_else(|| {
                    crate::ewarn!("cannot build the plan's JSON");
                    EXIT_BAD_INPUT
                })
        }
        TableFormat::Csv => {
            let rows: Vec<Vec<String>> = reg.actions.iter().map(|a| csv_row(a, today)).collect();
            super::format::table(format, &CSV_HEADERS, &rows)
        }
        TableFormat::Text | TableFormat::Md => document(opened, format),
    }
}

/// "plan of N actions (approved|draft)", for the message that says where
/// the plan was written.
fn plan_counts(reg: &Register) -> String {
    format!(
        "treatment plan of {} actions ({})",
        reg.actions.len(),
        approval_line(reg)
    )
}

/// Writes the plan's workbook or HTML page atomically and says where on
/// stderr.
fn export(opened: &Opened, format: OutputFormat, output: &Path) -> Result<i32, i32> {
    let (reg, analysis) = (&opened.register, &opened.analysis);
    let result = match format {
        OutputFormat::Xlsx => crate::export::write_plan_xlsx(reg, analysis, output),
        _ => crate::export::write_plan_html(reg, analysis, output),
    };
    result.map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    crate::ewarn!("wrote {}: {}", output.display(), plan_counts(reg));
    Ok(EXIT_OK)
}

pub fn run(
    path: &Path,
    today: NaiveDate,
    format: OutputFormat,
    output: Option<&Path>,
    force: bool,
) -> Result<i32, i32> {
    super::soa::check_output(format, output, force)?;
    let opened = super::open_valid(path, today)?;
    let Some(table) = format.table() else {
        return export(&opened, format, output.unwrap_or(Path::new("")));
    };
    let text = render(&opened, table)?;
    super::format::deliver(&text, output)?;
    if let Some(path) = output {
        crate::ewarn!(
            "wrote {}: {}",
            path.display(),
            plan_counts(&opened.register)
        );
    }
    Ok(EXIT_OK)
}
