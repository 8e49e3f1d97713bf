//! The Findings view: every error and warning of `check`, errors first,
//! each code's findings together (the Code column says how many share
//! it), with the item each is about; and a pane with the selected
//! finding's whole message, wrapped, and where enter goes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::table::{self, TableSpec};
use super::{hints, text, theme};
use crate::app::table::{Column, FindingColumn};
use crate::app::{Action, App, View};
use crate::domain::Severity;
use crate::domain::validate::Section;
use crate::keymap::Context;

/// The view a finding's item is shown in, as enter will go there.
fn place(section: Section) -> Option<&'static str> {
    match section {
        Section::Risks | Section::Owner => Some("Risks"),
        Section::Assets => Some("Assets"),
        Section::Threats => Some("Threats"),
        Section::Factors => Some("Environment"),
        Section::Controls => Some("Controls"),
        Section::Decisions | Section::Baseline => Some("SoA"),
        Section::Method
        | Section::Schema
        | Section::OwnControls
        | Section::Actions
        | Section::Conflicts => None,
    }
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => theme::error(),
        Severity::Warning => theme::warning(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let findings = &app.doc.analysis().findings;
    let item = app.table(View::Findings).selected_item();
    let (table_area, pane) = match item {
        Some(_) if app.show_detail && area.height >= 16 => {
            if area.width >= 150 {
                let w = (area.width * 2 / 5).max(52);
                (
                    Rect {
                        width: area.width - w,
                        ..area
                    },
                    Some(Rect {
                        x: area.x + area.width - w,
                        width: w,
                        ..area
                    }),
                )
            } else {
                let h = (area.height / 3).clamp(6, 9);
                (
                    Rect {
                        height: area.height - h,
                        ..area
                    },
                    Some(Rect {
                        y: area.y + area.height - h,
                        height: h,
                        ..area
                    }),
                )
            }
        }
        _ => (area, None),
    };
    let s = &app.doc.stats();
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let extra = format!(
        "{} · {} · {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.by_code.len(), "code")
    );
    let cell = |item: usize, col: Column, s: &str, w: usize| match (col, findings.get(item)) {
        (Column::Finding(FindingColumn::Severity), Some(f)) => {
            table::styled(s, w, severity_style(f.severity))
        }
        (Column::Finding(FindingColumn::Code), Some(_)) => table::styled(s, w, theme::bold()),
        _ => table::plain(s, w),
    };
    let row = |_: usize| Style::new();
    let spec = TableSpec {
        view: View::Findings,
        title: table::title(app, View::Findings, &extra),
        name_col: Column::Finding(FindingColumn::Message),
        cell: &cell,
        row_style: &row,
        empty: "No findings: check passes",
        focused: true,
    };
    table::draw(frame, table_area, app, &spec);
    if let (Some(pane), Some(f)) = (pane, item.and_then(|i| findings.get(i))) {
        let (mark, sev) = match f.severity {
            Severity::Error => ("✗", "error"),
            Severity::Warning => ("!", "warning"),
        };
        let head = Line::from(vec![
            Span::styled(format!(" {mark} {sev} "), severity_style(f.severity)),
            Span::styled(
                format!(
                    "{} ",
                    text::fit(f.code, pane.width.saturating_sub(16) as usize)
                ),
                theme::title(),
            ),
        ]);
        let block = table::block(head, false);
        let inner = block.inner(pane);
        frame.render_widget(block, pane);
        let w = inner.width as usize;
        let go = hints::key(app, Context::Table, Action::Edit).unwrap_or_default();
        let mut lines = vec![text::fit_line(
            Line::from(vec![
                Span::styled("Item   ", theme::dim()),
                Span::styled(text::clean(&f.at).into_owned(), theme::bold()),
                Span::styled(
                    match place(f.section) {
                        Some(v) => format!("  ({go} goes to it in {v})"),
                        None => "  (in the file: no view shows it)".to_string(),
                    },
                    theme::dim(),
                ),
            ]),
            w,
        )];
        lines.push(text::fit_line(
            Line::from(vec![
                Span::styled("Code   ", theme::dim()),
                Span::raw(format!(
                    "{} finding{} with this code",
                    s.findings_with(f.code),
                    if s.findings_with(f.code) == 1 {
                        ""
                    } else {
                        "s"
                    }
                )),
            ]),
            w,
        ));
        lines.push(Line::raw(""));
        lines.push(Line::raw(text::clean(&f.message).into_owned()));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}
