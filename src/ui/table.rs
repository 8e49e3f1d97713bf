//! The generic table: header with a sort indicator, a filter line, only the
//! visible rows built (gitui's `skip(offset).take(height)`), the selection
//! kept in view, a scrollbar; plus the column layouts and cell colours of the
//! Assets, Threats, Controls, SoA and Environment views.
//!
//! Cells are positioned by computed x offsets and drawn one by one, so a
//! wide or odd character in one cell can never shift the next column.

use std::cell::Cell;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::{text, theme};
use crate::app::table::{
    AssetColumn, ChangeColumn, Column, ControlColumn, FactorColumn, QueueColumn, SoaColumn,
    ThreatColumn,
};
use crate::app::{App, View};
use crate::domain::{Applicable, Catalog, ControlStatus};

pub use crate::app::table::Width;

/// One column of a table layout: the view's column at `index`, with its
/// width rule ([`Column::layout`]).
#[derive(Debug, Clone, Copy)]
pub struct Col {
    /// Index into `view.column_list()`.
    pub index: usize,
    pub column: Column,
    pub width: Width,
    /// Lower is more important; the least important columns are dropped
    /// first when the screen is narrow.
    pub priority: u8,
}

/// The layout of a view's columns.
pub fn columns_of(view: View) -> Vec<Col> {
    view.column_list()
        .iter()
        .enumerate()
        .map(|(index, &column)| {
            let layout = column.layout(view);
            Col {
                index,
                column,
                width: layout.width,
                priority: layout.priority,
            }
        })
        .collect()
}

/// Draws one cell: (item, column, cell text, width) → line.
pub type CellFn<'a> = dyn Fn(usize, Column, &str, usize) -> Line<'static> + 'a;
/// Style of a whole row (e.g. dimmed when out of scope).
pub type RowFn<'a> = dyn Fn(usize) -> Style + 'a;

pub struct TableSpec<'a> {
    pub view: View,
    pub title: Line<'static>,
    /// The column whose text the filter's matches are highlighted in.
    pub name_col: Column,
    pub cell: &'a CellFn<'a>,
    pub row_style: &'a RowFn<'a>,
    pub empty: &'a str,
    /// Show the selection (false on an unfocused dashboard list, say).
    pub focused: bool,
}

const SYMBOL: &str = "▶ ";
const SYMBOL_W: usize = 2;
/// A marked row's marker, in the second column of the selection gutter
/// (beside `▶`, so marks and the selection show together).
const MARK: &str = "●";

/// Moves `offset` so that `selected` is within `height` rows, and never
/// leaves empty rows at the end while earlier rows are hidden.
pub fn keep_in_view(offset: &Cell<usize>, selected: usize, len: usize, height: usize) -> usize {
    let mut o = offset.get();
    if height == 0 || len == 0 {
        offset.set(0);
        return 0;
    }
    let selected = selected.min(len - 1);
    if selected < o {
        o = selected;
    } else if selected >= o + height {
        o = selected + 1 - height;
    }
    o = o.min(len.saturating_sub(height));
    offset.set(o);
    o
}

/// The block every pane uses.
pub fn block(title: Line<'static>, focused: bool) -> Block<'static> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(if focused {
            theme::border_focus()
        } else {
            theme::border()
        })
        .title(title)
}

/// Default cell: the text fitted to the width.
pub fn plain(text: &str, width: usize) -> Line<'static> {
    Line::raw(text::fit(text, width))
}

pub fn styled(text: &str, width: usize, style: Style) -> Line<'static> {
    Line::styled(text::fit(text, width), style)
}

fn sort_mark(descending: bool) -> &'static str {
    if descending { " ▼" } else { " ▲" }
}

/// The table title: view name, row counts, filter label.
pub fn title(app: &App, view: View, extra: &str) -> Line<'static> {
    let t = app.table(view);
    let total = app.ctx().item_count(view);
    let count = if t.rows.len() == total {
        format!("{total}")
    } else {
        format!("{} of {total}", t.rows.len())
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", view.title()), theme::title()),
        Span::styled(format!("{count} "), theme::dim()),
    ];
    if !extra.is_empty() {
        spans.push(Span::raw(format!("· {extra} ")));
    }
    if app.filter_pending && app.view == view {
        // The filter worker is still matching what was typed.
        spans.push(Span::styled("· matching… ", theme::dim()));
    }
    if t.order_changed {
        // Edited rows kept their places; say how to sort them again.
        let key = super::hints::key(
            app,
            crate::keymap::Context::Table,
            crate::app::Action::SortNext,
        )
        .unwrap_or_else(|| "sort".into());
        spans.push(Span::styled(
            format!("· order changed — {key} to re-sort "),
            theme::warning(),
        ));
    }
    Line::from(spans)
}

/// Draws a table view into `area`.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, spec: &TableSpec) {
    let view = spec.view;
    let cols = columns_of(view);
    let t = app.table(view);
    let focused = spec.focused && app.modals.is_empty();
    let mut block = block(spec.title.clone(), focused);
    let sort_col = view.column(t.sort).map_or("", Column::header);
    if view != View::Dashboard && !sort_col.is_empty() {
        block = block.title_top(
            Line::from(vec![Span::styled(
                format!(" sorted by {}{} ", sort_col, sort_mark(t.descending)),
                theme::dim(),
            )])
            .right_aligned(),
        );
    }
    let marked = app.marked_count(view);
    if marked > 0 {
        // How many are marked, even those a filter hides, and what to do
        // with them.
        let key = |action, fallback: &str| {
            super::hints::key(app, crate::keymap::Context::Table, action)
                .unwrap_or_else(|| fallback.to_string())
        };
        block = block.title_bottom(Line::from(vec![Span::styled(
            format!(
                " {marked} marked · {} edits them all · {} unmarks ",
                key(crate::app::Action::BulkEdit, "bulk edit"),
                key(crate::app::Action::Cancel, "esc"),
            ),
            theme::marked(),
        )]));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width < 4 || inner.height < 2 {
        return;
    }
    let mut inner = inner;

    // The filter line.
    let filter_active = app.view == view && app.filtering;
    if filter_active || !t.filter.is_empty() {
        let cursor = if filter_active { "█" } else { "" };
        let hint = if filter_active {
            "  enter keep · esc clear"
        } else {
            ""
        };
        let line = Line::from(vec![
            Span::styled("/ ", theme::key()),
            Span::raw(text::clean(&t.filter).into_owned()),
            Span::styled(cursor, theme::key()),
            Span::styled(hint, theme::dim()),
        ]);
        frame.render_widget(line, Rect { height: 1, ..inner });
        inner.y += 1;
        inner.height -= 1;
        if inner.height < 2 {
            return;
        }
    }

    let rows_h = (inner.height - 1) as usize;
    app.page_rows.set(rows_h.max(1));
    let len = t.rows.len();
    let offset = keep_in_view(&t.offset, t.selected, len, rows_h);
    let visible: Vec<usize> = t.rows.iter().skip(offset).take(rows_h).copied().collect();
    let ctx = app.ctx();
    // Cell texts of the visible rows only.
    let texts: Vec<Vec<String>> = visible
        .iter()
        .map(|&item| {
            cols.iter()
                .map(|c| ctx.display_cell(view, item, c.index))
                .collect()
        })
        .collect();

    let sorted = if view == View::Dashboard {
        None
    } else {
        Some(t.sort)
    };
    let header_text = |c: &Col| -> String {
        let h = c.column.header();
        if sorted == Some(c.index) {
            format!("{h}{}", sort_mark(t.descending))
        } else {
            h.to_string()
        }
    };
    let natural = |k: usize, c: &Col| -> usize {
        match c.width {
            Width::Auto { min, max } => {
                let hw = text::width(&header_text(c));
                let cw = texts.iter().map(|r| text::width(&r[k])).max().unwrap_or(0);
                hw.max(cw).clamp(min, max.max(min))
            }
            Width::Flex { min, .. } => min,
        }
    };
    let mut shown: Vec<usize> = (0..cols.len()).collect();
    let avail = inner.width as usize;
    // A flex column's minimum never takes more than half the table: on a
    // narrow screen the title shrinks before everything else is dropped.
    let natural = |k: usize, c: &Col| -> usize {
        match c.width {
            Width::Flex { min, .. } => min.min(avail / 2).max(1),
            Width::Auto { .. } => natural(k, c),
        }
    };
    let mut widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(k, c)| natural(k, c))
        .collect();
    let total = |shown: &[usize], widths: &[usize]| -> usize {
        SYMBOL_W + shown.iter().map(|&k| widths[k]).sum::<usize>() + shown.len().saturating_sub(1)
    };
    while shown.len() > 1 && total(&shown, &widths) > avail {
        // Drop the least important column that is not the sorted one.
        let victim = shown
            .iter()
            .enumerate()
            .filter(|&(_, &k)| sorted != Some(cols[k].index))
            .max_by_key(|&(pos, &k)| (cols[k].priority, pos))
            .map(|(pos, _)| pos);
        match victim {
            Some(pos) => {
                shown.remove(pos);
            }
            None => break,
        }
    }
    // Share what is left among the flex columns, by weight, none wider
    // than its content needs; what nobody needs stays blank on the right.
    let used = total(&shown, &widths);
    if used < avail {
        let mut spare = avail - used;
        let mut open: Vec<usize> = shown
            .iter()
            .copied()
            .filter(|&k| matches!(cols[k].width, Width::Flex { .. }))
            .collect();
        let want = |k: usize| -> usize {
            let hw = text::width(&header_text(&cols[k]));
            let cw = texts.iter().map(|r| text::width(&r[k])).max().unwrap_or(0);
            hw.max(cw)
        };
        while spare > 0 && !open.is_empty() {
            let weights: usize = open
                .iter()
                .map(|&k| match cols[k].width {
                    Width::Flex { weight, .. } => weight.max(1),
                    _ => 1,
                })
                .sum();
            let round = spare;
            let mut given = 0;
            let mut still = Vec::new();
            for &k in &open {
                let weight = match cols[k].width {
                    Width::Flex { weight, .. } => weight.max(1),
                    _ => 1,
                };
                let share = (round * weight / weights).max(1).min(spare - given);
                let need = want(k).saturating_sub(widths[k]);
                let g = share.min(need);
                widths[k] += g;
                given += g;
                if need > g {
                    still.push(k);
                }
                if given == spare {
                    break;
                }
            }
            spare -= given;
            if given == 0 {
                break;
            }
            open = still;
        }
    } else if let Some(&last) = shown.last() {
        // Too narrow even with one column: let it take what there is.
        let over = used - avail;
        widths[last] = widths[last].saturating_sub(over);
    }

    // Header.
    let header_y = inner.y;
    let mut xs = Vec::with_capacity(shown.len());
    let mut x = inner.x as usize + SYMBOL_W;
    for &k in &shown {
        xs.push(x);
        x += widths[k] + 1;
    }
    let right = inner.right() as usize;
    let rect_at = |x: usize, y: u16, w: usize| -> Option<Rect> {
        if x >= right {
            return None;
        }
        let w = w.min(right - x);
        Some(Rect::new(x as u16, y, w as u16, 1))
    };
    for (n, &k) in shown.iter().enumerate() {
        let c = &cols[k];
        if let Some(r) = rect_at(xs[n], header_y, widths[k]) {
            let h = header_text(c);
            let style = if sorted == Some(c.index) {
                theme::header().fg(ratatui::style::Color::Cyan)
            } else {
                theme::header()
            };
            // The sort arrow stays visible however narrow the column: the
            // name is cut, not the arrow.
            let shown_h = if sorted == Some(c.index) && text::width(&h) > widths[k] {
                let name = c.column.header();
                let mark = sort_mark(t.descending);
                format!(
                    "{}{mark}",
                    text::fit(name, widths[k].saturating_sub(text::width(mark)))
                )
            } else {
                text::fit(&h, widths[k])
            };
            frame.render_widget(Line::styled(shown_h, style), r);
        }
    }

    let body = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    if len == 0 {
        let msg = if t.filter.is_empty() {
            spec.empty.to_string()
        } else if app.filter_pending {
            format!("Matching “{}”…", text::clean(&t.filter))
        } else {
            format!("No rows match “{}”", text::clean(&t.filter))
        };
        let y = body.y + body.height / 2;
        frame.render_widget(
            Line::styled(text::center(&msg, body.width as usize), theme::dim()),
            Rect::new(
                body.x,
                y.min(body.bottom().saturating_sub(1)),
                body.width,
                1,
            ),
        );
        return;
    }

    let filter = t.filter.trim();
    let matcher = (!filter.is_empty()).then(|| SkimMatcherV2::default().ignore_case());
    let selected = t.selected.min(len - 1);
    for (row, &item) in visible.iter().enumerate() {
        let y = body.y + row as u16;
        let line_rect = Rect::new(body.x, y, body.width, 1);
        let is_sel = offset + row == selected && spec.focused;
        let base = (spec.row_style)(item);
        let is_marked = marked > 0 && app.is_marked(view, item);
        frame.buffer_mut().set_style(line_rect, base);
        if is_marked {
            frame.buffer_mut().set_style(line_rect, theme::marked());
        }
        if is_sel {
            frame.render_widget(
                Span::styled(SYMBOL, theme::key()),
                Rect::new(body.x, y, (SYMBOL_W as u16).min(body.width), 1),
            );
        }
        if is_marked && body.width > 1 {
            frame.render_widget(
                Span::styled(MARK, theme::marked()),
                Rect::new(body.x + 1, y, 1, 1),
            );
        }
        for (n, &k) in shown.iter().enumerate() {
            let c = &cols[k];
            let Some(r) = rect_at(xs[n], y, widths[k]) else {
                continue;
            };
            let cell_text = &texts[row][k];
            let line = match (&matcher, c.column == spec.name_col) {
                (Some(m), true) => match m.fuzzy_indices(cell_text, filter) {
                    Some((_, idx)) => Line::from(text::highlighted(
                        cell_text,
                        &idx,
                        widths[k],
                        Style::new(),
                        theme::matched(),
                    )),
                    None => (spec.cell)(item, c.column, cell_text, widths[k]),
                },
                _ => (spec.cell)(item, c.column, cell_text, widths[k]),
            };
            frame.render_widget(line, r);
        }
        if is_sel {
            frame.buffer_mut().set_style(
                Rect::new(
                    body.x + SYMBOL_W as u16,
                    y,
                    body.width.saturating_sub(SYMBOL_W as u16),
                    1,
                ),
                theme::selected(),
            );
        }
    }

    if len > rows_h {
        let mut state = ScrollbarState::new(len.saturating_sub(rows_h))
            .position(offset)
            .viewport_content_length(rows_h);
        let bar_area = Rect {
            y: body.y,
            height: body.height,
            ..area
        };
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .track_symbol(Some("│"))
                .thumb_symbol("┃")
                .track_style(theme::border())
                .thumb_style(theme::border_focus()),
            bar_area,
            &mut state,
        );
    }
}

// ----- The simple views ------------------------------------------------------

/// Draws the Assets, Threats, Controls, SoA, Environment or Changes view.
pub fn draw_simple(frame: &mut Frame, area: Rect, app: &App, view: View) {
    // The queue's rows say all there is; enter shows the risk in full.
    let area = if view == View::Queue {
        area
    } else {
        super::details::draw_with_table(frame, area, app, view)
    };
    let reg = &app.doc.register();
    let analysis = &app.doc.analysis();
    let catalog = Catalog::annex_a();
    let none = |_: usize| Style::new();
    let plain_cell = |_: usize, _: Column, s: &str, w: usize| plain(s, w);
    // Whether the SoA on screen is the approved one (REGISTER.md §5).
    let soa_label = format!(
        "{} · filter: {} (f cycles)",
        crate::domain::soa::SoaApproval::of(reg, &analysis.soa).line(),
        app.soa_filter.label()
    );
    let changes_label = match app.changes().against {
        crate::app::changes::Against::Sandbox => "against the start of the what-if".to_string(),
        crate::app::changes::Against::Loaded => match reg.approved_baseline() {
            Some(b) => format!(
                "SoA vs v{} approved {} · risks vs file as loaded",
                b.version, b.approved
            ),
            None => "SoA vs no approved baseline · risks vs file as loaded".to_string(),
        },
    };
    // The queue's sections and how many each holds.
    let queue_label = {
        let sections: Vec<String> = app
            .workshop
            .queue
            .section_counts()
            .iter()
            .map(|(s, n)| format!("{n} {}", s.label()))
            .collect();
        let enter = app
            .keymap
            .keys_for(crate::app::Action::Edit)
            .into_iter()
            .map(|(_, k)| k)
            .min_by_key(|k| (k != "enter", k.len()))
            .unwrap_or_else(|| "enter".into());
        format!(
            "{} · {enter} shows one in the focus view",
            sections.join(", ")
        )
    };
    // The own controls follow the 93 (REGISTER.md §5).
    let controls_label = match reg.own_controls.len() {
        0 => "Annex A 2022 · ✦ new in 2022".to_string(),
        n => format!("Annex A 2022, then {n} own · ✦ new in 2022"),
    };
    let (extra, empty, name_col): (&str, &str, Column) = match view {
        View::Assets => (
            "",
            "No assets yet — press a to add one",
            Column::Asset(AssetColumn::Name),
        ),
        View::Threats => (
            "",
            "No threats yet — press a to add one",
            Column::Threat(ThreatColumn::Name),
        ),
        View::Controls => (
            &controls_label,
            "No controls",
            Column::Control(ControlColumn::Title),
        ),
        View::Soa => (
            &soa_label,
            "No controls with this applicability",
            Column::Soa(SoaColumn::Title),
        ),
        View::Changes => (
            &changes_label,
            "No changes",
            Column::Change(ChangeColumn::Item),
        ),
        View::Queue => (
            &queue_label,
            "The queue is empty: every in-scope risk was reviewed today",
            Column::Queue(QueueColumn::Title),
        ),
        _ => (
            "space switches on/off",
            "No environment factors yet — press a to add one",
            Column::Factor(FactorColumn::Label),
        ),
    };

    let asset_row = |item: usize| {
        if analysis.eval.lookups.asset_in_scope(item) {
            Style::new()
        } else {
            theme::dim()
        }
    };
    let asset_cell = |_: usize, col: Column, s: &str, w: usize| match col {
        Column::Asset(AssetColumn::Scope) if s == "out" => styled(s, w, theme::warning()),
        _ => plain(s, w),
    };
    let threat_cell = |_: usize, col: Column, s: &str, w: usize| match col {
        Column::Threat(ThreatColumn::Shift) => {
            let style = if s.starts_with('+') && s != "+0" {
                theme::error()
            } else if s.starts_with('-') {
                theme::good()
            } else {
                theme::dim()
            };
            styled(s, w, style)
        }
        Column::Threat(ThreatColumn::Risks) if s == "0" => styled(s, w, theme::dim()),
        _ => plain(s, w),
    };
    let control_cell = |item: usize, col: Column, s: &str, w: usize| match col {
        Column::Control(ControlColumn::Status) => {
            let status = ControlStatus::ALL
                .iter()
                .copied()
                .find(|st| st.as_str() == s)
                .unwrap_or_default();
            styled(s, w, theme::status_style(status))
        }
        Column::Control(ControlColumn::Risks) if s == "0" => styled(s, w, theme::dim()),
        Column::Control(ControlColumn::Title)
            if catalog.controls().get(item).is_some_and(|c| c.new_in_2022) =>
        {
            Line::from(vec![
                Span::raw(text::fit(s, w.saturating_sub(2))),
                Span::styled(if w > 2 { " ✦" } else { "" }, theme::dim()),
            ])
        }
        _ => plain(s, w),
    };
    let soa_cell = |item: usize, col: Column, s: &str, w: usize| match col {
        Column::Soa(SoaColumn::Applicable) => match analysis.soa.entries.get(item) {
            Some(e) if e.conflict => styled(s, w, theme::error()),
            Some(e) => styled(s, w, theme::applicable_style(e.applicable)),
            None => plain(s, w),
        },
        Column::Soa(SoaColumn::Status) => match analysis.soa.entries.get(item) {
            Some(e) if e.applicable == Applicable::Yes => {
                styled(s, w, theme::status_style(e.status))
            }
            _ => styled(s, w, theme::dim()),
        },
        _ => plain(s, w),
    };
    let soa_row = |item: usize| match analysis.soa.entries.get(item) {
        Some(e) if e.applicable == Applicable::No && !e.conflict => theme::dim(),
        _ => Style::new(),
    };
    let env_cell = |_: usize, col: Column, s: &str, w: usize| match col {
        Column::Factor(FactorColumn::On) if s == "on" => styled(
            "● on",
            w,
            theme::good().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Column::Factor(FactorColumn::On) => styled("○ off", w, theme::dim()),
        _ => plain(s, w),
    };
    let change_cell = |item: usize, col: Column, s: &str, w: usize| {
        const CHANGE: Column = Column::Change(ChangeColumn::Change);
        use crate::app::changes::ChangeRow;
        match (app.changes().rows.get(item), col) {
            (
                Some(ChangeRow::ScopeNotice | ChangeRow::Conflict(_) | ChangeRow::MergeConflict(_)),
                _,
            ) => styled(s, w, theme::error()),
            (_, CHANGE) if s.contains("ABOVE appetite") => styled(s, w, theme::error()),
            (_, CHANGE) if s.contains("within appetite") => styled(s, w, theme::good()),
            (Some(ChangeRow::Justification(_)), _) => styled(s, w, theme::dim()),
            _ => plain(s, w),
        }
    };
    let env_row = |item: usize| {
        if reg.factors.get(item).is_some_and(|f| f.on) {
            Style::new()
        } else {
            theme::dim()
        }
    };

    let (cell, row): (&CellFn, &RowFn) = match view {
        View::Assets => (&asset_cell, &asset_row),
        View::Threats => (&threat_cell, &none),
        View::Controls => (&control_cell, &none),
        View::Soa => (&soa_cell, &soa_row),
        View::Environment => (&env_cell, &env_row),
        View::Changes => (&change_cell, &none),
        _ => (&plain_cell, &none),
    };
    let spec = TableSpec {
        view,
        title: title(app, view, extra),
        name_col,
        cell,
        row_style: row,
        empty,
        focused: true,
    };
    draw(frame, area, app, &spec);
}
