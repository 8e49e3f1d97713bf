//! The dashboard: inherent and current-residual heat maps side by side, the
//! register's vital signs, the top risks by residual, and the treatment
//! plan with the SoA's and the plan's approval state (`plan_panel`).
//!
//! Heat-map cells grow (1 to 3 lines high, as wide as the pane allows) so the
//! grid reads from the back of a room; each cell is coloured by the level of
//! its (likelihood, impact) pair and shows how many in-scope risks sit there.
//!
//! Drilling down: the current-residual map (the one a review acts on), the
//! summary's review lines and the top-risks list take the focus in turn
//! (tab); the focused pane has the bright border. On the map a cell cursor
//! (`[n]`, reversed) moves with the arrows and enter lists the cell's risks;
//! on the summary up/down choose a line and enter lists its risks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{hints, plan_panel, risks, table, text, theme};
use crate::app::review::{DashFocus, SummaryLine};
use crate::app::{Action, App, View};
use crate::domain::eval::level_of;
use crate::domain::{Method, Treatment};
use crate::keymap::Context;

/// Height of a heat-map block with cells `ch` lines high (two header lines
/// when the cells are tall enough to afford them).
fn heat_height(method: &Method, ch: u16, header: u16) -> u16 {
    2 + header + method.likelihood.len().max(1) as u16 * ch
}

/// The impact axis: each label centred over its column. When labels are too
/// long for one column and `two_lines` allows, they alternate between two
/// lines so each can spread over its neighbours ("1 Negligible" over a
/// 7-column cell).
fn header_lines(
    m: &Method,
    label_w: usize,
    cell_w: usize,
    color_w: usize,
    w: usize,
    two_lines: bool,
) -> Vec<Line<'static>> {
    let labels: Vec<String> = m
        .impact
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{} {}", i + 1, text::clean(l)))
        .collect();
    let too_long = labels.iter().any(|l| text::width(l) > color_w);
    let stagger = two_lines && too_long;
    // Even staggered, a label needs a few letters to be worth showing;
    // otherwise the axis shows the scale values only.
    let numbers_only = too_long && (!stagger || 2 * cell_w < 7);
    let stagger = stagger && !numbers_only;
    let labels: Vec<String> = if numbers_only {
        (1..=labels.len()).map(|n| n.to_string()).collect()
    } else {
        labels
    };
    let rows = if stagger { 2 } else { 1 };
    let corner = if stagger {
        ["Impact →", "Likelihood ↓"]
    } else {
        ["L↓  I→", ""]
    };
    let mut out = Vec::new();
    for (row, corner) in corner.iter().enumerate().take(rows) {
        let mut spans = vec![Span::styled(text::pad(corner, label_w), theme::dim())];
        let mut x = label_w;
        for (i, l) in labels.iter().enumerate() {
            if i % rows != row {
                continue;
            }
            // Staggered labels may spread over both neighbours, leaving a
            // space between them and the next label on the same line.
            let max = if stagger { 2 * cell_w - 2 } else { color_w };
            let t = text::fit(l, max.min(w.saturating_sub(x)));
            let tw = text::width(&t);
            let center = label_w + i * cell_w + color_w / 2;
            // One space after the previous label on this line.
            let earliest = if x > label_w { x + 1 } else { x };
            let start = center
                .saturating_sub(tw / 2)
                .max(earliest)
                .min(w.saturating_sub(tw));
            if start < earliest {
                break;
            }
            spans.push(Span::raw(" ".repeat(start - x)));
            spans.push(Span::styled(t, theme::bold()));
            x = start + tw;
        }
        out.push(Line::from(spans));
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let m = &app.doc.register().method;
    // A register still being set up says what to do next: instead of the
    // (empty) top risks, or below them when only controls are missing.
    // Once set up, the treatment plan's panel sits under the top risks.
    let steps = first_steps(app);
    let with_plan = steps.is_empty();
    // Leave at least this much for the summary and top risks (and the
    // plan's panel: the heat maps give up a line per cell for it).
    let bottom_min = if with_plan { 20 } else { 13 };
    // Tallest cells first, then two header lines before one.
    let (ch, header) = [(3u16, 2u16), (2, 2), (1, 2), (1, 1)]
        .into_iter()
        .find(|&(ch, hdr)| area.height >= heat_height(m, ch, hdr) + bottom_min)
        .unwrap_or((1, 1));
    let heat_h = heat_height(m, ch, header).min(area.height);
    let half = area.width / 2;
    let left = Rect {
        width: half,
        height: heat_h,
        ..area
    };
    let right = Rect {
        x: area.x + half,
        width: area.width - half,
        height: heat_h,
        ..area
    };
    heat_map(frame, left, app, false, ch, header == 2);
    heat_map(frame, right, app, true, ch, header == 2);

    let rest = Rect {
        y: area.y + heat_h,
        height: area.height - heat_h,
        ..area
    };
    if rest.height < 3 {
        return;
    }
    let summary_w = (rest.width * 2 / 5).clamp(36.min(rest.width), 56);
    let summary = Rect {
        width: summary_w,
        ..rest
    };
    let top = Rect {
        x: rest.x + summary_w,
        width: rest.width - summary_w,
        ..rest
    };
    draw_summary(frame, summary, app);
    let title = Line::from(vec![
        Span::styled(" Top risks ", theme::title()),
        Span::styled("by current residual ", theme::dim()),
    ]);
    if with_plan {
        // The top risks keep a header and four rows at least; the plan
        // panel its counts and approval lines.
        let plan_h = plan_panel::wanted_height(app).min(top.height.saturating_sub(7));
        if plan_h < 5 {
            risks::draw_table(frame, top, app, View::Dashboard, title);
            return;
        }
        let table = Rect {
            height: top.height - plan_h,
            ..top
        };
        let plan = Rect {
            y: top.y + table.height,
            height: plan_h,
            ..top
        };
        risks::draw_table(frame, table, app, View::Dashboard, title);
        plan_panel::draw(frame, plan, app);
    } else if app.doc.register().risks.is_empty() {
        draw_first_steps(frame, top, app, &steps);
    } else {
        let guide_h = (2 + 2 * steps.len() as u16 + 2).min(top.height / 2);
        let table = Rect {
            height: top.height - guide_h,
            ..top
        };
        let guide = Rect {
            y: top.y + table.height,
            height: guide_h,
            ..top
        };
        risks::draw_table(frame, table, app, View::Dashboard, title);
        draw_first_steps(frame, guide, app, &steps);
    }
}

/// One thing a register being set up still lacks: a line saying what and
/// which keys add it, and a line on what it is.
pub struct Step {
    pub line: Vec<Span<'static>>,
    pub detail: String,
}

/// "press 3 then a", with the keys of the keymap in force; an action
/// without a key is named for the palette instead.
fn press(app: &App, first: Action, then: Action) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    for (n, action) in [first, then].into_iter().enumerate() {
        out.push(Span::raw(if n == 0 { "press " } else { " then " }));
        match hints::key(app, Context::Table, action) {
            Some(k) => out.push(Span::styled(k, theme::key())),
            None => out.push(Span::raw(format!(
                "“{}” in the palette ({})",
                action.describe(),
                hints::key(app, Context::Table, Action::OpenPalette).unwrap_or_default()
            ))),
        }
    }
    out
}

fn key_or_palette(app: &App, action: Action) -> String {
    hints::key(app, Context::Table, action).unwrap_or_else(|| format!("“{}”", action.describe()))
}

/// What a register being set up still lacks, in the order to add them:
/// assets, threats, risks, controls. Empty once it has them all.
pub fn first_steps(app: &App) -> Vec<Step> {
    let reg = &app.doc.register();
    let mut steps = Vec::new();
    let mut step = |what: &str, keys: Vec<Span<'static>>, rest: &str, detail: String| {
        let mut line = vec![Span::styled(format!("{what}: "), theme::bold())];
        line.extend(keys);
        line.push(Span::raw(format!(" {rest}")));
        steps.push(Step { line, detail });
    };
    if reg.assets.is_empty() {
        step(
            "No assets yet",
            press(app, Action::ShowAssets, Action::Add),
            "to add one",
            "what the ISMS protects: information, systems, people, sites".into(),
        );
    }
    if reg.threats.is_empty() {
        step(
            "No threats yet",
            press(app, Action::ShowThreats, Action::Add),
            "to add one",
            "what could harm them: ransomware, phishing, a supplier failing".into(),
        );
    }
    if reg.risks.is_empty() {
        step(
            "No risks yet",
            press(app, Action::ShowRisks, Action::Add),
            "to add one",
            "an asset meets a threat, scored by likelihood and impact".into(),
        );
    }
    if reg.controls.is_empty() && reg.risks.iter().all(|r| r.controls.is_empty()) {
        step(
            "No controls yet",
            press(app, Action::ShowRisks, Action::LinkControl),
            "to link one to the selected risk",
            format!(
                "the Annex A controls that treat it; {} then {} records their status",
                key_or_palette(app, Action::ShowControls),
                key_or_palette(app, Action::Edit)
            ),
        );
    }
    steps
}

/// The "Getting started" pane: the steps, numbered, with what each is when
/// there is room, and where the scales, levels and appetite are set.
fn draw_first_steps(frame: &mut Frame, area: Rect, app: &App, steps: &[Step]) {
    let block = table::block(
        Line::from(vec![
            Span::styled(" Getting started ", theme::title()),
            Span::styled("what to do first ", theme::dim()),
        ]),
        false,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let build = |details: bool| {
        let mut lines = Vec::new();
        for (n, s) in steps.iter().enumerate() {
            let mut line = vec![Span::styled(format!("{}. ", n + 1), theme::dim())];
            line.extend(s.line.iter().cloned());
            lines.push(Line::from(line));
            if details {
                // Indented under the step, wrapped at words.
                for part in text::wrap(&s.detail, w.saturating_sub(3)) {
                    lines.push(Line::styled(format!("   {part}"), theme::dim()));
                }
            }
        }
        lines
    };
    let mut lines = build(true);
    if lines.len() > inner.height as usize {
        lines = build(false);
    }
    if inner.height as usize > lines.len() + 1 {
        lines.push(Line::raw(""));
        let settings = match hints::key(app, Context::Table, Action::EditSettings) {
            Some(k) => vec![
                Span::styled("Scales, levels and appetite: press ", theme::dim()),
                // A lone punctuation key is easy to read past.
                Span::styled(
                    if k == "," { ", (comma)".to_string() } else { k },
                    theme::key(),
                ),
            ],
            None => vec![Span::styled(
                format!(
                    "Scales, levels and appetite: “{}” in the palette",
                    Action::EditSettings.describe()
                ),
                theme::dim(),
            )],
        };
        lines.push(Line::from(settings));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn heat_map(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    residual: bool,
    ch: u16,
    two_header_lines: bool,
) {
    let m = &app.doc.register().method;
    // The cell cursor lives on the residual map while it has the focus.
    let cursor =
        (residual && app.dashboard.focus == DashFocus::HeatMap).then_some(app.dashboard.cell);
    let title = if let Some((l, i)) = cursor {
        let n = app
            .doc
            .stats()
            .residual
            .get((l as usize).wrapping_sub(1))
            .and_then(|row| row.get((i as usize).wrapping_sub(1)))
            .copied()
            .unwrap_or(0);
        let enter = key_or(app, Action::Edit, "enter");
        Line::from(vec![
            Span::styled(" Current residual ", theme::title()),
            Span::styled(
                format!("L{l}×I{i}: {n} risk{} ", if n == 1 { "" } else { "s" }),
                theme::bold(),
            ),
            Span::styled(format!("· {enter} lists them "), theme::dim()),
        ])
    } else if residual {
        Line::from(vec![
            Span::styled(" Current residual ", theme::title()),
            Span::styled("with controls as implemented today ", theme::dim()),
        ])
    } else {
        Line::from(vec![
            Span::styled(" Inherent ", theme::title()),
            Span::styled("before controls ", theme::dim()),
        ])
    };
    // The level legend on the bottom border: "Low ≤4", or just the names
    // when that does not fit (or a matrix decides the level, not `up_to`).
    let legend_with = |bounds: bool| {
        let mut legend = vec![Span::raw(" ")];
        for (i, l) in m.levels.iter().enumerate() {
            let t = if bounds {
                format!(" {} ≤{} ", text::fit(&l.name, 12), l.up_to)
            } else {
                format!(" {} ", text::fit(&l.name, 12))
            };
            legend.push(Span::styled(t, theme::level_bg(m, Some(i))));
            legend.push(Span::raw(" "));
        }
        legend
    };
    let fits = |spans: &Vec<Span>| {
        spans.iter().map(|s| text::width(&s.content)).sum::<usize>() + 2 <= area.width as usize
    };
    let mut legend = legend_with(m.matrix.is_none());
    if !fits(&legend) {
        legend = legend_with(false);
    }
    let focused = cursor.is_some() && app.modals.is_empty();
    let block = table::block(title, focused).title_bottom(Line::from(legend));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width < 4 || inner.height < 2 {
        return;
    }
    let grid = if residual {
        &app.doc.stats().residual
    } else {
        &app.doc.stats().inherent
    };
    let nl = m.likelihood.len();
    let ni = m.impact.len().max(1);
    let w = inner.width as usize;
    let longest = m
        .likelihood
        .iter()
        .enumerate()
        .map(|(i, l)| text::width(&format!("{} {l}", i + 1)))
        .max()
        .unwrap_or(4);
    let label_w = (longest + 1).clamp(4, (w / 3).max(4)).min(w);
    let cell_w = (w.saturating_sub(label_w) / ni).clamp(1, 14);
    let gap = usize::from(cell_w >= 4);
    let color_w = cell_w - gap;

    let mut lines: Vec<Line> = header_lines(m, label_w, cell_w, color_w, w, two_header_lines);
    let mid = ch / 2;
    for l in (1..=nl).rev() {
        for k in 0..ch {
            let lbl = if k == mid {
                format!("{l} {}", m.likelihood[l - 1])
            } else {
                String::new()
            };
            let mut spans = vec![Span::styled(text::pad(&lbl, label_w - 1), theme::bold())];
            spans.push(Span::raw(" "));
            for i in 1..=ni {
                let count = grid
                    .get(l - 1)
                    .and_then(|row| row.get(i - 1))
                    .copied()
                    .unwrap_or(0);
                let mut bg = theme::level_bg(m, level_of(m, l as u32, i as u32));
                let here = cursor == Some((l as u32, i as u32));
                if here {
                    bg = bg.add_modifier(ratatui::style::Modifier::REVERSED);
                }
                let (mut t, style) = match (k == mid, count) {
                    (false, _) => (String::new(), bg),
                    (true, 0) => ("·".to_string(), bg),
                    (true, n) => (
                        n.to_string(),
                        bg.add_modifier(ratatui::style::Modifier::BOLD),
                    ),
                };
                // Brackets mark the cursor in any colour scheme.
                if here && k == mid && text::width(&t) + 2 <= color_w {
                    t = format!("[{t}]");
                }
                spans.push(Span::styled(text::center(&t, color_w), style));
                spans.push(Span::raw(" ".repeat(gap)));
            }
            lines.push(Line::from(spans));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// `preferred` when the keymap binds it to `action` in tables (it reads
/// best: "enter lists"), else the action's shortest key.
fn key_or(app: &App, action: Action, preferred: &str) -> String {
    let bound = app
        .keymap
        .keys_for(action)
        .iter()
        .any(|(c, k)| *c == Context::Table && k == preferred);
    if bound {
        preferred.to_string()
    } else {
        hints::key(app, Context::Table, action).unwrap_or_default()
    }
}

fn bar(n: usize, max: usize, width: usize) -> String {
    if max == 0 || width == 0 {
        return String::new();
    }
    let full = n * width / max;
    let mut s = "█".repeat(full);
    if n > 0 && full == 0 {
        s.push('▏');
    }
    s
}

fn draw_summary(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.doc.stats();
    let m = &app.doc.register().method;
    let focused = app.dashboard.focus == DashFocus::Summary;
    let title = if focused {
        let enter = key_or(app, Action::Edit, "enter");
        Line::from(vec![
            Span::styled(" Summary ", theme::title()),
            Span::styled(format!("↑↓ choose · {enter} lists "), theme::dim()),
        ])
    } else {
        Line::styled(" Summary ", theme::title())
    };
    let block = table::block(title, focused && app.modals.is_empty());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let label = |t: &str| Span::styled(format!("{t:<16}"), theme::dim());
    let count_style = |n: usize| if n > 0 { theme::error() } else { theme::good() };
    let mut lines = vec![
        Line::from(vec![
            label("Risks"),
            Span::styled(format!("{} in scope", s.in_scope), theme::bold()),
            Span::styled(
                if s.out_of_scope > 0 {
                    format!(" · {} out of scope", s.out_of_scope)
                } else {
                    String::new()
                },
                theme::dim(),
            ),
        ]),
        Line::from(vec![
            label("Above appetite"),
            Span::styled(s.above_appetite.to_string(), count_style(s.above_appetite)),
            Span::styled(format!("  (appetite {})", m.appetite), theme::dim()),
        ]),
        Line::from(vec![
            label("Overdue review"),
            Span::styled(s.overdue.to_string(), count_style(s.overdue)),
        ]),
        Line::from(vec![
            label("Expired accept."),
            Span::styled(
                s.expired_acceptances.to_string(),
                count_style(s.expired_acceptances),
            ),
        ]),
    ];
    // What the controls bought: total score before and after.
    let (before, after) = (s.total_inherent, s.total_residual);
    if let Some(cut) = ((before - after.min(before)) * 100).checked_div(before) {
        lines.push(Line::from(vec![
            label("Total score"),
            Span::raw(format!("{before} → {after}  ")),
            Span::styled(format!("−{cut}%"), theme::good()),
            Span::styled(" from controls", theme::dim()),
        ]));
    }
    lines.push(Line::styled("Treatment", theme::dim()));
    let max = s.treatments.iter().copied().max().unwrap_or(0);
    let bar_w = w.saturating_sub(2 + 7 + 1 + 6);
    for (t, &n) in Treatment::ALL.iter().zip(&s.treatments) {
        lines.push(Line::from(vec![
            Span::raw(format!("  {:<7} ", t.as_str())),
            Span::styled(
                bar(n, max, bar_w),
                Style::new().fg(ratatui::style::Color::Cyan),
            ),
            Span::raw(format!(" {n}")),
        ]));
    }
    let soa = app.doc.analysis().soa.summary();
    lines.push(Line::from(vec![
        label("SoA"),
        Span::styled(
            format!("{} Yes", soa.yes),
            theme::applicable_style(crate::domain::Applicable::Yes),
        ),
        Span::raw(" · "),
        Span::styled(
            format!("{} No", soa.no),
            theme::applicable_style(crate::domain::Applicable::No),
        ),
        Span::raw(" · "),
        Span::styled(
            format!("{} Undecided", soa.undecided),
            theme::applicable_style(crate::domain::Applicable::Undecided),
        ),
    ]));
    let pct = (soa.implemented * 100).checked_div(soa.yes).unwrap_or(0);
    lines.push(Line::from(vec![
        label("Implemented"),
        Span::raw(format!("{} of {} applicable ", soa.implemented, soa.yes)),
        Span::styled(format!("({pct}%)"), theme::dim()),
    ]));
    // Implemented controls the ISMS relies on, without (current) proof.
    let (missing, stale) = (
        s.findings_with(crate::domain::evidence::MISSING),
        s.findings_with(crate::domain::evidence::STALE),
    );
    lines.push(Line::from(vec![
        label("Evidence"),
        // "12 missing · 3 stale": of the implemented controls above.
        if missing + stale == 0 {
            Span::styled("all current", theme::good())
        } else {
            Span::styled(
                format!("{missing} missing · {stale} stale"),
                theme::warning(),
            )
        },
    ]));
    lines.push(Line::from(vec![
        label("Findings"),
        Span::styled(
            crate::app::plural(s.errors, "error"),
            if s.errors > 0 {
                theme::error()
            } else {
                theme::good()
            },
        ),
        Span::raw(" · "),
        Span::styled(
            crate::app::plural(s.warnings, "warning"),
            if s.warnings > 0 {
                theme::warning()
            } else {
                theme::good()
            },
        ),
    ]));
    // A two-column gutter: the review lines (rows 1 to 3, in
    // `SummaryLine::ALL` order) show the summary's cursor there.
    let selected = focused.then(|| 1 + app.dashboard.line.min(SummaryLine::ALL.len() - 1));
    let lines: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .map(|(n, l)| {
            let here = selected == Some(n);
            let mut spans = vec![Span::styled(if here { "▶ " } else { "  " }, theme::key())];
            spans.extend(l.spans);
            let line = text::fit_line(Line::from(spans).style(l.style), w);
            if here {
                line.patch_style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
