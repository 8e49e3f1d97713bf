//! The Plan view: the treatment plan's actions as a table (overdue due
//! dates marked), a detail pane with the selected action and the risks it
//! treats (current → target residual), and the plan's summary line. The
//! title says whether the plan is approved.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::table::{self, CellFn, RowFn, TableSpec, plain, styled};
use super::{text, theme};
use crate::app::table::{Column, PlanColumn};
use crate::app::{App, View};
use crate::domain::model::ActionStatus;
use crate::domain::plan::{action_overdue, approval_line};

/// Draws the Plan view into `area`.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if area.height < 4 {
        return;
    }
    let reg = app.doc.register();
    let footer = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    let area = Rect {
        height: area.height - 1,
        ..area
    };
    let summary = crate::app::plan::summary_text(&app.doc.plan().summary());
    frame.render_widget(
        Line::styled(
            text::fit(&format!("Plan: {summary}"), footer.width as usize),
            theme::dim(),
        ),
        footer,
    );

    let area = draw_detail(frame, area, app);
    let approval = approval_line(reg);
    let today = app.doc.today();
    let cell = |item: usize, col: Column, s: &str, w: usize| match col {
        Column::Plan(PlanColumn::Due)
            if reg
                .actions
                .get(item)
                .is_some_and(|a| action_overdue(a, today)) =>
        {
            styled(s, w, theme::warning())
        }
        Column::Plan(PlanColumn::Status) => styled(s, w, status_style(s)),
        _ => plain(s, w),
    };
    let row = |item: usize| match reg.actions.get(item).map(|a| a.status) {
        Some(ActionStatus::Cancelled) => theme::dim(),
        _ => Style::new(),
    };
    let mut title = table::title(app, View::Plan, "");
    title.spans.push(Span::styled(
        format!("· {approval} "),
        if reg.plan_approval.is_some() {
            theme::good()
        } else {
            theme::warning()
        },
    ));
    let spec = TableSpec {
        view: View::Plan,
        title,
        name_col: Column::Plan(PlanColumn::Title),
        cell: &cell as &CellFn,
        row_style: &row as &RowFn,
        empty: "No actions yet — press a to add one, or T on a risk row",
        focused: true,
    };
    table::draw(frame, area, app, &spec);
}

fn status_style(status: &str) -> Style {
    match status {
        "Done" => theme::good(),
        "InProgress" => theme::key(),
        "Cancelled" => theme::dim(),
        _ => Style::new(),
    }
}

/// The selected action's pane (right on wide screens, else below), when
/// the detail pane is on; returns the table's area.
fn draw_detail(frame: &mut Frame, area: Rect, app: &App) -> Rect {
    let Some(item) = app.table(View::Plan).selected_item() else {
        return area;
    };
    if !app.show_detail || area.height < 16 {
        return area;
    }
    let (table_area, pane) = super::details::split_for_pane(area, || {
        let w = area.width.saturating_sub(2) as usize;
        let n = lines(app, item, w).1.len() as u16;
        (n + 2).clamp(4, area.height * 2 / 5)
    });
    let w = pane.width.saturating_sub(2) as usize;
    let (head, mut body) = lines(app, item, w);
    let max = pane.height.saturating_sub(2) as usize;
    if body.len() > max {
        let more = body.len() - max + 1;
        body.truncate(max.saturating_sub(1));
        body.push(Line::styled(
            format!("… and {more} more lines"),
            theme::dim(),
        ));
    }
    let block = table::block(head, false);
    let inner = block.inner(pane);
    frame.render_widget(block, pane);
    frame.render_widget(Paragraph::new(body), inner);
    table_area
}

/// The pane's title and lines for action `item`, `w` columns wide.
fn lines(app: &App, item: usize, w: usize) -> (Line<'static>, Vec<Line<'static>>) {
    let reg = app.doc.register();
    let Some(a) = reg.actions.get(item) else {
        return (Line::raw(" Detail "), Vec::new());
    };
    let m = &reg.method;
    let kv = |label: &str, value: Vec<Span<'static>>| {
        let mut spans = vec![Span::styled(format!("{label:<10}"), theme::dim())];
        spans.extend(value);
        text::fit_spans(spans, w)
    };
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            Span::styled("none", theme::dim())
        } else {
            Span::raw(s.to_string())
        }
    };
    let mut out = Vec::new();
    let mut status = vec![Span::styled(
        a.status.as_str().to_string(),
        status_style(a.status.as_str()),
    )];
    if let Some(d) = a.done_on {
        status.push(Span::raw(format!(" on {d}")));
    }
    // One line for who and when: the pane is short on a small screen,
    // and the risks it treats are what it is for.
    status.push(Span::raw(" · owner "));
    status.push(or_none(&a.owner));
    status.push(match a.due {
        Some(d) if action_overdue(a, app.doc.today()) => {
            Span::styled(format!(" · due {d} OVERDUE"), theme::warning())
        }
        Some(d) => Span::raw(format!(" · due {d}")),
        None => Span::styled(" · no due date", theme::dim()),
    });
    out.push(kv("Status", status));
    let number = |n: Option<u64>| n.map_or("—".to_string(), |n| n.to_string());
    out.push(kv(
        "Effort",
        vec![Span::raw(format!(
            "{} days · cost {}",
            number(a.effort_days.map(u64::from)),
            number(a.cost)
        ))],
    ));
    let controls: Vec<String> = a.controls.iter().map(|c| c.to_string()).collect();
    out.push(kv("Controls", vec![or_none(&controls.join(", "))]));
    if !a.note.trim().is_empty() {
        out.push(kv("Note", vec![Span::raw(a.note.clone())]));
    }
    let treated = app.doc.plan().risks_of(item);
    out.push(Line::styled(
        text::fit(
            &format!("Risks it treats ({}): residual → target", a.risks.len()),
            w,
        ),
        theme::header(),
    ));
    if a.risks.is_empty() {
        out.push(Line::styled("none", theme::dim()));
    }
    let evals = &app.doc.analysis().eval.risks;
    for &ri in treated {
        let Some(r) = reg.risks.get(ri) else {
            continue;
        };
        let mut spans = vec![Span::styled(
            format!("{} ", text::pad(&r.id, 8)),
            theme::bold(),
        )];
        match evals.get(ri).and_then(Option::as_ref) {
            Some(e) => {
                for (n, s) in [&e.residual, &e.target].into_iter().enumerate() {
                    if n == 1 {
                        spans.push(Span::raw(" → "));
                    }
                    spans.push(Span::styled(
                        format!("{} {}", s.score, s.level_name(m)),
                        theme::level_fg(m, s.level_index()),
                    ));
                }
                spans.push(Span::raw("  "));
            }
            None => spans.push(Span::styled("out of scope  ", theme::dim())),
        }
        spans.push(Span::raw(r.title.clone()));
        out.push(text::fit_spans(spans, w));
    }
    // Ids that name no risk (error `unknown-risk`).
    for id in a
        .risks
        .iter()
        .filter(|id| !treated.iter().any(|&ri| reg.risks[ri].id == **id))
    {
        out.push(text::fit_spans(
            vec![
                Span::styled(format!("{} ", text::pad(id, 8)), theme::bold()),
                Span::styled("no such risk", theme::error()),
            ],
            w,
        ));
    }
    let head = Line::from(vec![
        Span::styled(format!(" {} ", text::fit(&a.id, 20)), theme::key()),
        Span::styled(
            format!("{} ", text::fit(&a.title, w.saturating_sub(30))),
            theme::title(),
        ),
    ]);
    (head, out)
}
