//! The dashboard's treatment-plan panel: the plan's actions by status, the
//! SoA's and the plan's approval state, and the next open or in-progress
//! actions by due date (overdue marked) — what a management review asks
//! about first (ISO/IEC 27001 6.1.3 e and f).
//!
//! Computed per frame from the register: a pass over the actions, and the
//! SoA against its approved baseline (93 entries).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{table, text, theme};
use crate::app::{Action, App};
use crate::domain::plan::{PlanSummary, action_overdue};
use crate::domain::schema2::ActionStatus;
use crate::domain::soa::SoaApproval;

/// At most this many next-due actions are listed.
const NEXT_DUE: usize = 5;

/// The panel's lines before the next-due actions: counts, SoA, plan.
const FIXED_LINES: u16 = 3;

/// Rows the panel would like: borders, the fixed lines and the next-due
/// actions there are (up to [`NEXT_DUE`]).
pub fn wanted_height(app: &App) -> u16 {
    let live = app
        .doc
        .register()
        .actions
        .iter()
        .filter(|a| matches!(a.status, ActionStatus::Open | ActionStatus::InProgress))
        .take(NEXT_DUE)
        .count();
    2 + FIXED_LINES + live as u16
}

/// The open and in-progress actions (indices), soonest due first; those
/// without a due date last; ties in file order.
fn next_due(app: &App, n: usize) -> Vec<usize> {
    let actions = &app.doc.register().actions;
    let mut live: Vec<usize> = (0..actions.len())
        .filter(|&i| {
            matches!(
                actions[i].status,
                ActionStatus::Open | ActionStatus::InProgress
            )
        })
        .collect();
    let key = |&i: &usize| (actions[i].due.is_none(), actions[i].due, i);
    if live.len() > n {
        live.select_nth_unstable_by_key(n, key);
        live.truncate(n);
    }
    live.sort_by_key(key);
    live
}

/// The line's width in columns.
fn line_width(line: &Line) -> usize {
    line.spans.iter().map(|s| text::width(&s.content)).sum()
}

/// The first of `variants` (longest first) that fits `w` columns, else
/// the last.
fn first_fitting(variants: Vec<Line<'static>>, w: usize) -> Line<'static> {
    let n = variants.len();
    variants
        .into_iter()
        .enumerate()
        .find(|(i, l)| *i + 1 == n || line_width(l) <= w)
        .map(|(_, l)| l)
        .unwrap_or_default()
}

/// "SoA v3 approved 2026-06-15 · 3 changes waiting" ("SoA v3 · 3 changes
/// waiting" when narrow), "SoA v3 approved 2026-06-15", or "SoA: no
/// approved version".
fn soa_line(app: &App, w: usize) -> Line<'static> {
    let reg = app.doc.register();
    match SoaApproval::of(reg, &app.doc.analysis().soa) {
        SoaApproval::Never => Line::styled("SoA: no approved version", theme::warning()),
        SoaApproval::Approved(b) => Line::styled(
            format!("SoA v{} approved {}", b.version, b.approved),
            theme::good(),
        ),
        SoaApproval::Draft { since, changed } => {
            let waiting = Span::styled(
                format!("{} waiting", crate::app::plural(changed.len(), "change")),
                theme::warning(),
            );
            first_fitting(
                vec![
                    Line::from(vec![
                        Span::raw(format!(
                            "SoA v{} approved {} · ",
                            since.version, since.approved
                        )),
                        waiting.clone(),
                    ]),
                    Line::from(vec![
                        Span::raw(format!("SoA v{} · ", since.version)),
                        waiting,
                    ]),
                ],
                w,
            )
        }
    }
}

/// "Plan approved 2026-11-20 by CEO", or "Plan: draft, not approved".
fn plan_line(app: &App) -> Line<'static> {
    let reg = app.doc.register();
    match &reg.plan_approval {
        Some(a) => Line::styled(
            format!("Plan approved {} by {}", a.on, text::clean(&a.by)),
            theme::good(),
        ),
        None if reg.actions.is_empty() => Line::styled("Plan: no actions yet", theme::dim()),
        None => Line::styled("Plan: draft, not approved", theme::warning()),
    }
}

/// "4 open · 3 in progress · 1 overdue · 4 done" ("in prog" when narrow).
fn counts_line(s: &PlanSummary, w: usize) -> Line<'static> {
    let overdue = if s.overdue > 0 {
        theme::error()
    } else {
        theme::good()
    };
    let line = |in_progress: &str| {
        Line::from(vec![
            Span::styled(format!("{} open", s.open), theme::bold()),
            Span::raw(" · "),
            Span::styled(format!("{} {in_progress}", s.in_progress), theme::bold()),
            Span::raw(" · "),
            Span::styled(format!("{} overdue", s.overdue), overdue),
            Span::raw(" · "),
            Span::styled(format!("{} done", s.done), theme::dim()),
        ])
    };
    first_fitting(vec![line("in progress"), line("in prog")], w)
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    // Where the whole plan is: its view's key, as the keymap in force has it.
    let key = super::hints::key(app, crate::keymap::Context::Table, Action::ShowPlan);
    let title = |rest: String| {
        Line::from(vec![
            Span::styled(" Treatment plan ", theme::title()),
            Span::styled(rest, theme::dim()),
        ])
    };
    let title = first_fitting(
        vec![
            title(match &key {
                Some(k) => format!("and approvals · {k} opens the plan "),
                None => "and approvals ".into(),
            }),
            title(key.map(|k| format!("· {k} opens it ")).unwrap_or_default()),
        ],
        usize::from(area.width.saturating_sub(2)),
    );
    let block = table::block(title, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let reg = app.doc.register();
    let today = app.doc.today();
    let summary = PlanSummary::of(&reg.actions, today);
    // After the margin.
    let avail = w.saturating_sub(1);
    let mut lines = vec![
        counts_line(&summary, avail),
        soa_line(app, avail),
        plan_line(app),
    ];
    let room = (inner.height as usize).saturating_sub(lines.len());
    let next = next_due(app, room.min(NEXT_DUE));
    let id_w = next
        .iter()
        .map(|&i| text::width(&reg.actions[i].id))
        .max()
        .unwrap_or(0);
    for i in next {
        let a = &reg.actions[i];
        let overdue = action_overdue(a, today);
        let (due, due_style): (String, Style) = match a.due {
            Some(d) if overdue => (d.to_string(), theme::error()),
            Some(d) => (d.to_string(), Style::new()),
            None => ("no due date".to_string(), theme::dim()),
        };
        let mut spans = vec![
            Span::styled(text::pad(&text::clean(&a.id), id_w + 1), theme::bold()),
            Span::styled(format!("{due} "), due_style),
        ];
        if overdue {
            spans.push(Span::styled("overdue ", theme::error()));
        }
        spans.push(Span::raw(text::clean(&a.title).into_owned()));
        if !a.owner.trim().is_empty() {
            spans.push(Span::styled(
                format!(" · {}", text::clean(a.owner.trim())),
                theme::dim(),
            ));
        }
        lines.push(Line::from(spans));
    }
    // One column of margin, as the summary beside it has.
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|l| {
            let mut spans = vec![Span::raw(" ")];
            spans.extend(l.spans.into_iter().map(|s| s.patch_style(l.style)));
            text::fit_line(Line::from(spans), w)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
