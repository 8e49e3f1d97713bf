//! Drawing: `draw(frame, &App)`, one module per view or popup. Reads the app
//! state only; never changes the register. The one piece of state it does
//! touch is each table's scroll `offset` (a `Cell`), which only the drawing
//! code can keep right because only it knows the table's height.
//!
//! Screen layout, top to bottom: title bar (register, file, dirty marker,
//! read-only banner, today), tab bar (the views with their keys from the
//! keymap), the view, the status bar (message or key hints, pending keys,
//! register counts). Popups from the modal stack are drawn over it in
//! order, then the which-key hint for a pending key sequence.
//!
//! Robustness rules every module follows: below 80×24 only the
//! "terminal too small" screen is drawn; every piece of register text goes
//! through [`text::clean`] and [`text::fit`] (control characters never reach
//! the terminal, strings are cut at char boundaries by display width);
//! table rows are built only for the visible slice.

mod confirm;
mod conflicts;
mod dashboard;
mod details;
mod evidence;
mod findings;
mod focus;
mod form;
mod help;
mod hints;
mod info;
mod palette;
mod plan;
mod plan_panel;
mod popup;
mod prompt;
mod risks;
mod table;
pub mod text;
pub mod theme;
mod too_small;
mod which_key;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::{Action, App, MessageKind, Modal, View, plural};
use crate::keymap::Context;

pub use too_small::{MIN_HEIGHT, MIN_WIDTH};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if too_small::is_too_small(area) {
        too_small::draw(frame, area, !app.modals.is_empty());
        return;
    }
    let title = Rect { height: 1, ..area };
    let tabs = Rect {
        y: area.y + 1,
        height: 1,
        ..area
    };
    let body = Rect {
        y: area.y + 2,
        height: area.height - 3,
        ..area
    };
    let status = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    draw_title(frame, title, app);
    if app.view == View::Focus {
        // One risk on the whole screen: the tab bar's row too.
        let whole = Rect {
            y: tabs.y,
            height: body.height + 1,
            ..body
        };
        focus::draw(frame, whole, app);
    } else {
        draw_tabs(frame, tabs, app);
    }
    match app.view {
        View::Focus => {}
        View::Dashboard => dashboard::draw(frame, body, app),
        View::Risks => risks::draw(frame, body, app),
        View::Findings => findings::draw(frame, body, app),
        View::Plan => plan::draw(frame, body, app),
        view => table::draw_simple(frame, body, app, view),
    }
    draw_status(frame, status, app);
    for modal in &app.modals {
        match modal {
            Modal::Help { scroll } => help::draw(frame, body, app, *scroll),
            Modal::Palette(p) => palette::draw(frame, body, app, p, true),
            Modal::Picker(p) => palette::draw(frame, body, app, p, false),
            Modal::Form(f) => form::draw(frame, body, app, f),
            Modal::Prompt(p) => prompt::draw(frame, body, app, p),
            Modal::Confirm(c) => confirm::draw(frame, body, app, c),
            Modal::Info {
                title,
                lines,
                scroll,
            } => info::draw(frame, body, app, title, lines, *scroll),
            Modal::Conflicts { selected } => conflicts::draw(frame, body, app, *selected),
        }
    }
    which_key::draw(frame, body, app);
}

fn draw_title(frame: &mut Frame, area: Rect, app: &App) {
    frame.buffer_mut().set_style(area, theme::bar());
    let w = area.width as usize;
    let mut right = vec![Span::styled(
        format!(" today {} ", app.doc.today()),
        theme::bar(),
    )];
    if app.read_only {
        right.insert(
            0,
            Span::styled(
                format!(" READ-ONLY: {} ", text::clean(&app.read_only_reason)),
                theme::banner(),
            ),
        );
    }
    let right_w: usize = right.iter().map(|s| text::width(&s.content)).sum();
    let mut left = vec![
        Span::styled(" riskbench ", theme::tab_active()),
        Span::styled(" ", theme::bar()),
        Span::styled(
            text::clean(&app.doc.register().name).into_owned(),
            theme::bar().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::styled(" — ", theme::bar()),
        Span::styled(text::clean(&app.file_label()).into_owned(), theme::bar()),
    ];
    if app.is_dirty() {
        left.push(Span::styled(
            " ● modified",
            theme::bar().patch(theme::dirty()),
        ));
    }
    if app.sandbox.is_some() {
        left.insert(
            1,
            Span::styled(" WHAT-IF (w: keep or discard) ", theme::banner()),
        );
    }
    let left_w = w.saturating_sub(right_w + 1);
    frame.render_widget(text::fit_spans(left, left_w), area);
    if right_w <= w {
        frame.render_widget(
            Line::from(right),
            Rect {
                x: area.right() - right_w as u16,
                width: right_w as u16,
                ..area
            },
        );
    }
}

fn view_action(view: View) -> Action {
    match view {
        View::Dashboard => Action::ShowDashboard,
        View::Risks => Action::ShowRisks,
        View::Assets => Action::ShowAssets,
        View::Threats => Action::ShowThreats,
        View::Controls => Action::ShowControls,
        View::Soa => Action::ShowSoa,
        View::Environment => Action::ShowEnvironment,
        View::Changes => Action::ShowChanges,
        View::Findings => Action::ShowFindings,
        View::Plan => Action::ShowPlan,
        View::Focus => Action::ShowFocus,
        View::Queue => Action::ShowQueue,
    }
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let w = area.width as usize;
    let tabs: Vec<(Option<String>, &str, bool)> = View::TABS
        .iter()
        .map(|&v| {
            (
                hints::key(app, Context::Table, view_action(v)),
                v.title(),
                v == app.view,
            )
        })
        .collect();
    let full: usize = tabs
        .iter()
        .map(|(k, t, _)| k.as_ref().map_or(0, |k| text::width(k) + 1) + text::width(t) + 3)
        .sum();
    // Roomy when it fits, tight when it does not; when even that does
    // not fit (80 columns), the other views' names are cut to four
    // letters so every view's key stays on screen.
    let gap = if full <= w { " " } else { "" };
    let short = full - tabs.len() > w;
    let mut spans = Vec::new();
    for (key, title, active) in tabs {
        let title: String = if short && !active {
            title.chars().take(4).collect()
        } else {
            title.to_string()
        };
        let (ks, ts) = if active {
            (theme::tab_active(), theme::tab_active())
        } else {
            (theme::key(), ratatui::style::Style::new())
        };
        spans.push(Span::styled(" ", ts));
        if let Some(k) = key {
            spans.push(Span::styled(format!("{k} "), ks));
        }
        spans.push(Span::styled(format!("{title} "), ts));
        spans.push(Span::raw(gap));
    }
    frame.render_widget(text::fit_spans(spans, w), area);
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App) {
    frame.buffer_mut().set_style(area, theme::bar());
    let s = &app.doc.stats();
    // Pending SoA changes (against the approved baseline) are always shown:
    // they are what the next approval will record.
    let mut right = Vec::new();
    // Unsaved edits that no recovery file protects: said until it is fixed.
    if app.autosave_failure.is_some() && app.is_dirty() {
        right.push(Span::styled(" ⚠ autosave failed ", theme::banner()));
        right.push(Span::styled(" ", theme::bar()));
    }
    right.push(Span::styled(
        format!(
            "SoA {} pending · {} · {} above appetite · ",
            app.doc.pending_soa(),
            plural(app.doc.register().risks.len(), "risk"),
            s.above_appetite
        ),
        if app.doc.pending_soa() > 0 {
            theme::bar().patch(theme::dirty())
        } else {
            theme::bar()
        },
    ));
    right.push(Span::styled(
        plural(s.errors, "error"),
        if s.errors > 0 {
            theme::banner()
        } else {
            theme::bar()
        },
    ));
    if s.warnings > 0 {
        right.push(Span::styled(
            format!(" · {}", plural(s.warnings, "warning")),
            theme::bar(),
        ));
    }
    // The key that lists them, next to the count (there is no mouse).
    if s.errors + s.warnings > 0
        && let Some(k) = hints::key(app, Context::Table, Action::ShowFindings)
    {
        right.push(Span::styled(
            format!(" ({k})"),
            theme::bar().add_modifier(ratatui::style::Modifier::BOLD),
        ));
    }
    right.push(Span::styled(" ", theme::bar()));
    let right_w: usize = right.iter().map(|s| text::width(&s.content)).sum();
    let w = area.width as usize;

    let mut left: Vec<Span> = vec![Span::styled(" ", theme::bar())];
    if !app.pending.is_empty() {
        left.push(Span::styled(
            format!(" {} … ", crate::keymap::format_keys(&app.pending)),
            theme::tab_active(),
        ));
        left.push(Span::styled(" ", theme::bar()));
    }
    // A message too long for the bar is cut, and says where it is whole.
    let room = w
        .saturating_sub(right_w + 1)
        .saturating_sub(left.iter().map(|s| text::width(&s.content)).sum());
    let fit_message = |msg: &str, extra: usize| -> (String, Option<String>) {
        let msg = text::clean(msg).into_owned();
        if text::width(&msg) + extra <= room {
            return (msg, None);
        }
        let hint =
            hints::key(app, Context::Table, Action::ShowMessages).map(|k| format!(" {k}: more "));
        let hint_w = hint.as_deref().map_or(0, text::width);
        let cut = text::fit(&msg, room.saturating_sub(extra + hint_w));
        (cut, hint)
    };
    match &app.message {
        Some((msg, MessageKind::Error)) => {
            let (msg, hint) = fit_message(msg, 4);
            let end = if hint.is_some() { "" } else { " " };
            left.push(Span::styled(format!(" ✗ {msg}{end}"), theme::banner()));
            if let Some(h) = hint {
                left.push(Span::styled(
                    h,
                    theme::bar().add_modifier(ratatui::style::Modifier::BOLD),
                ));
            }
        }
        Some((msg, MessageKind::Info)) => {
            let (msg, hint) = fit_message(msg, 0);
            left.push(Span::styled(msg, theme::bar()));
            if let Some(h) = hint {
                left.push(Span::styled(
                    h,
                    theme::bar().add_modifier(ratatui::style::Modifier::BOLD),
                ));
            }
        }
        None => {
            let ctx = app.context();
            // What enter does here: edit, list a dashboard cell's risks,
            // go to a finding's item.
            let enter = match app.view {
                View::Findings => "go to",
                View::Queue => "focus view",
                View::Dashboard
                    if app.dashboard.focus != crate::app::review::DashFocus::TopRisks =>
                {
                    "list risks"
                }
                _ => "edit",
            };
            let mut table_items = vec![
                (Action::ToggleHelp, "help"),
                (Action::OpenPalette, "commands"),
                (Action::StartFilter, "filter"),
                (Action::Edit, enter),
                (Action::Save, "save"),
                (Action::Quit, "quit"),
            ];
            if app.view == View::Dashboard {
                // How to reach the summary and the top risks.
                table_items.insert(4, (Action::NextView, "next pane"));
            }
            let items: &[(Action, &str)] = match ctx {
                Context::Filter => &[
                    (Action::Submit, "keep filter"),
                    (Action::ClearFilter, "clear"),
                ],
                Context::Table | Context::Focus => &table_items,
                _ => &[],
            };
            // As many whole hints as fit; never half a hint.
            let room = w.saturating_sub(right_w + 2);
            let mut shown = items.len();
            while shown > 0
                && hints::spans(app, ctx, &items[..shown])
                    .iter()
                    .map(|s| text::width(&s.content))
                    .sum::<usize>()
                    > room
            {
                shown -= 1;
            }
            for sp in hints::spans(app, ctx, &items[..shown]) {
                let style = if sp.style == theme::key() {
                    theme::bar().add_modifier(ratatui::style::Modifier::BOLD)
                } else {
                    theme::bar().fg(ratatui::style::Color::Gray)
                };
                left.push(Span::styled(sp.content, style));
            }
        }
    }
    let left_w = w.saturating_sub(right_w + 1);
    frame.render_widget(text::fit_spans(left, left_w), area);
    if right_w < w {
        frame.render_widget(
            Line::from(right),
            Rect {
                x: area.right() - right_w as u16,
                width: right_w as u16,
                ..area
            },
        );
    }
}
