//! The Risks view: the register table and a detail pane that *explains* the
//! selected risk's residual — which controls act on what, how strong each is,
//! the products, the rounding and the level rule — so a workshop can see why
//! a score moved.
//!
//! The detail pane goes to the right on wide screens and below the table
//! otherwise (in two columns when there is room).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::table::{self, TableSpec};
use super::{text, theme};
use crate::app::table::{Column, RiskColumn};
use crate::app::{Action, App, View};
use crate::domain::eval::{products, round_half_up};
use crate::domain::{Catalog, Id, Method, Register, Risk, RiskEval, Score};
use crate::keymap::Context;

/// The title gets the room: at least 40 columns where the screen allows
/// (the table drops its least important columns first), and most of what
/// is left over.
/// Styles a risk cell.
fn risk_cell(app: &App, item: usize, col: Column, s: &str, w: usize) -> Line<'static> {
    let Column::Risk(col) = col else {
        return table::plain(s, w);
    };
    let m = &app.doc.register().method;
    let e = app.doc.analysis().eval.risk(item);
    match (col, e) {
        (RiskColumn::Level, Some(e)) => {
            table::styled(s, w, theme::level_fg(m, e.residual.level_index()))
        }
        (RiskColumn::Level, None) => {
            table::styled(s, w, theme::dim().add_modifier(Modifier::ITALIC))
        }
        (RiskColumn::Inherent, Some(e)) => {
            table::styled(s, w, theme::level_fg(m, e.inherent.level_index()))
        }
        (RiskColumn::Target, Some(e)) => {
            table::styled(s, w, theme::level_fg(m, e.target.level_index()))
        }
        (RiskColumn::Residual, Some(e)) => {
            let mut style = theme::level_fg(m, e.residual.level_index());
            if e.above_appetite {
                style = style.add_modifier(Modifier::BOLD);
            }
            table::styled(s, w, style)
        }
        (RiskColumn::NextReview, Some(e)) if e.overdue => table::styled(s, w, theme::error()),
        (RiskColumn::Accepted, _) => match s {
            "expired" => table::styled(s, w, theme::error()),
            "stale" => table::styled(s, w, theme::warning()),
            "yes" => table::styled(s, w, theme::good()),
            _ => table::styled(s, w, theme::dim()),
        },
        _ => table::plain(s, w),
    }
}

fn risk_row(app: &App, item: usize) -> Style {
    match app.doc.analysis().eval.risks.get(item) {
        Some(Some(_)) => Style::new(),
        _ => theme::dim(),
    }
}

/// The risk table of the Risks view, or the top-risk list of the dashboard.
pub fn draw_table(frame: &mut Frame, area: Rect, app: &App, view: View, title: Line<'static>) {
    let dashboard = view == View::Dashboard;
    let cell = |item: usize, col: Column, s: &str, w: usize| risk_cell(app, item, col, s, w);
    let row = |item: usize| risk_row(app, item);
    let reviewed = match super::hints::key(app, Context::Table, Action::ClearReviewFilters) {
        Some(k) => format!("No risks pass the review filters ({k} clears them)"),
        None => "No risks pass the review filters".to_string(),
    };
    let spec = TableSpec {
        view,
        title,
        name_col: Column::Risk(RiskColumn::Title),
        cell: &cell,
        row_style: &row,
        empty: if dashboard {
            "No risks in scope"
        } else if app.review.is_active() {
            &reviewed
        } else {
            "No risks yet — press a to add one"
        },
        // The dashboard's list shows its selection only while it has the
        // focus (tab moves it between the heat map, summary and list).
        focused: !dashboard || app.dashboard.focus == crate::app::review::DashFocus::TopRisks,
    };
    table::draw(frame, area, app, &spec);
}

/// The Risks view: table plus, when `show_detail`, the explanation pane.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    // The review filters in force: "above appetite · owner CFO".
    let title = table::title(app, View::Risks, &app.review.label(app.doc.register()));
    if !app.show_detail || area.height < 12 {
        draw_table(frame, area, app, View::Risks, title);
        return;
    }
    let item = app.table(View::Risks).selected_item();
    let detail = item.map(|i| Detail::new(app, i));
    if area.width >= 150 {
        // The detail pane's lines are at most ~64 columns: beyond that the
        // table widens instead of the pane growing empty.
        let w = (area.width * 2 / 5).clamp(52, 66);
        let (left, right) = (
            Rect {
                width: area.width - w,
                ..area
            },
            Rect {
                x: area.x + area.width - w,
                width: w,
                ..area
            },
        );
        draw_table(frame, left, app, View::Risks, title);
        draw_detail(frame, right, app, detail.as_ref(), false);
        return;
    }
    let two_columns = area.width >= 100;
    let inner_w = area.width.saturating_sub(2) as usize;
    let needed = match &detail {
        None => 3,
        Some(d) if two_columns => {
            let half = inner_w * 9 / 20;
            d.facts(half).len().max(d.explain(inner_w - half).len()) + 2
        }
        Some(d) => d.facts(inner_w).len() + d.explain(inner_w).len() + 3,
    };
    let max_detail = area.height.saturating_sub(10);
    let h = (needed as u16).min(max_detail);
    let top = Rect {
        height: area.height - h,
        ..area
    };
    let bottom = Rect {
        y: area.y + area.height - h,
        height: h,
        ..area
    };
    draw_table(frame, top, app, View::Risks, title);
    draw_detail(frame, bottom, app, detail.as_ref(), two_columns);
}

fn draw_detail(frame: &mut Frame, area: Rect, app: &App, detail: Option<&Detail>, two: bool) {
    let title = match detail {
        Some(d) => {
            let id_w = text::width(&d.risk.id);
            let room = (area.width as usize).saturating_sub(id_w + 28);
            Line::from(vec![
                Span::styled(format!(" {} ", text::fit(&d.risk.id, 20)), theme::key()),
                Span::styled(
                    format!("{} ", text::fit(&d.risk.title, room)),
                    theme::title(),
                ),
            ])
        }
        None => Line::styled(" Detail ", theme::title()),
    };
    let block = table::block(title, false)
        .title_top(Line::styled(" residual explained ", theme::dim()).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(d) = detail else {
        frame.render_widget(
            Paragraph::new(Line::styled("No risk selected", theme::dim())),
            inner,
        );
        return;
    };
    let _ = app;
    let w = inner.width as usize;
    if two {
        let half = w * 9 / 20;
        let left = Rect {
            width: half as u16,
            ..inner
        };
        let right = Rect {
            x: inner.x + half as u16 + 1,
            width: (w - half).saturating_sub(1) as u16,
            ..inner
        };
        frame.render_widget(Paragraph::new(d.facts(half.saturating_sub(1))), left);
        frame.render_widget(Paragraph::new(d.explain(right.width as usize)), right);
    } else {
        // Narrow: the explanation first, it is what the pane is for.
        let mut lines = d.explain(w);
        lines.push(Line::raw(""));
        lines.extend(d.facts(w));
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// Everything the detail pane says about one risk.
struct Detail<'a> {
    reg: &'a Register,
    risk: &'a Risk,
    eval: Option<&'a RiskEval>,
    app: &'a App,
    /// The risk's index (its actions are looked up by it).
    index: usize,
}

fn label(scale: &[String], n: u32) -> &str {
    n.checked_sub(1)
        .and_then(|i| scale.get(i as usize))
        .map_or("?", String::as_str)
}

fn score_spans(m: &Method, s: &Score) -> Vec<Span<'static>> {
    vec![
        Span::styled(
            format!("{}×{} = {}", s.likelihood, s.impact, s.score),
            theme::bold(),
        ),
        Span::raw(" "),
        Span::styled(
            format!(" {} ", text::fit(s.level_name(m), 16)),
            theme::level_bg(m, s.level_index()),
        ),
    ]
}

/// `(1−0.400)×(1−0.250)` for up to three factors, else `Π of N factors`.
fn product_text(factors: &[f64]) -> String {
    match factors.len() {
        0 => "1".into(),
        1..=3 => factors
            .iter()
            .map(|s| format!("(1−{s:.3})"))
            .collect::<Vec<_>>()
            .join("×"),
        n => format!("Π of {n} factors"),
    }
}

/// A key-value line: `label` padded, then the value spans, fitted to `w`.
fn kv(label: &str, value: Vec<Span<'static>>, w: usize) -> Line<'static> {
    let mut spans = vec![Span::styled(format!("{label:<10}"), theme::dim())];
    spans.extend(value);
    text::fit_spans(spans, w)
}

impl<'a> Detail<'a> {
    fn new(app: &'a App, item: usize) -> Detail<'a> {
        Detail {
            reg: app.doc.register(),
            risk: &app.doc.register().risks[item],
            eval: app.doc.analysis().eval.risk(item),
            app,
            index: item,
        }
    }

    fn asset_name(&self) -> &str {
        let lk = &self.app.doc.analysis().eval.lookups;
        lk.asset_index
            .get(&self.risk.asset)
            .map_or("(unknown asset)", |&a| self.reg.assets[a].name.as_str())
    }

    fn threat(&self) -> Option<&crate::domain::Threat> {
        let lk = &self.app.doc.analysis().eval.lookups;
        lk.threat_index
            .get(&self.risk.threat)
            .map(|&t| &self.reg.threats[t])
    }

    /// Left column: what the risk is, who owns it, dates, acceptance.
    fn facts(&self, w: usize) -> Vec<Line<'static>> {
        let r = self.risk;
        let m = &self.reg.method;
        let mut lines = vec![kv(
            "Asset",
            vec![Span::raw(format!("{} {}", r.asset, self.asset_name()))],
            w,
        )];
        let threat = self.threat();
        let shift = threat.map_or(0, |t| t.shift);
        let mut tspans = vec![Span::raw(format!(
            "{} {}",
            r.threat,
            threat.map_or("(unknown threat)", |t| t.name.as_str())
        ))];
        if shift != 0 {
            tspans.push(Span::styled(
                format!("  shift {shift:+}"),
                if shift > 0 {
                    theme::error()
                } else {
                    theme::good()
                },
            ));
        }
        lines.push(kv("Threat", tspans, w));
        if !r.vulnerability.is_empty() {
            lines.push(kv("Weakness", vec![Span::raw(r.vulnerability.clone())], w));
        }
        match self.eval {
            None => {
                lines.push(kv(
                    "Scope",
                    vec![Span::styled(self.out_of_scope_reason(), theme::warning())],
                    w,
                ));
            }
            Some(e) => {
                let l0 = e.inherent.likelihood;
                let lspan = if shift != 0 {
                    format!(
                        "L0 = {}{shift:+} → {l0} {}",
                        r.likelihood,
                        label(&m.likelihood, l0)
                    )
                } else {
                    format!("L0 = {l0} {}", label(&m.likelihood, l0))
                };
                lines.push(kv(
                    "Inherent",
                    vec![Span::raw(format!(
                        "{lspan} · I0 = {} {}",
                        e.inherent.impact,
                        label(&m.impact, e.inherent.impact)
                    ))],
                    w,
                ));
                let mut s = vec![Span::raw(" ".repeat(10))];
                s.extend(score_spans(m, &e.inherent));
                lines.push(text::fit_spans(s, w));
            }
        }
        let mut treat = vec![Span::styled(
            r.treatment.as_str().to_string(),
            theme::bold(),
        )];
        if let Some(d) = r.due {
            treat.push(Span::raw(format!(" · due {d}")));
        }
        lines.push(kv("Treatment", treat, w));
        lines.push(kv(
            "Owner",
            vec![if r.owner.is_empty() {
                Span::styled("none", theme::warning())
            } else {
                Span::raw(r.owner.clone())
            }],
            w,
        ));
        if let Some(e) = self.eval {
            let mut rv = vec![Span::raw(match r.reviewed {
                Some(d) => format!("{d} → "),
                None => "never → ".into(),
            })];
            match e.next_review {
                Some(next) => {
                    let days = e
                        .residual
                        .level
                        .and_then(|l| m.levels.get(l as usize))
                        .map_or(0, |l| l.review_days);
                    rv.push(Span::styled(
                        format!("next {next}"),
                        if e.overdue {
                            theme::error()
                        } else {
                            Style::new()
                        },
                    ));
                    rv.push(Span::styled(
                        format!(
                            " ({}: {})",
                            e.residual.level_name(m),
                            crate::app::plural(days as usize, "day")
                        ),
                        theme::dim(),
                    ));
                }
                None if e.review_out_of_range => rv.push(Span::styled(
                    "next after 9999-12-31 (out of range)",
                    theme::error(),
                )),
                None => rv.push(Span::styled("due now", theme::error())),
            }
            if e.overdue {
                rv.push(Span::styled(" OVERDUE", theme::error()));
            }
            lines.push(kv("Review", rv, w));
            lines.push(kv("Appetite", self.appetite_spans(e), w));
        }
        lines.push(kv("Accepted", self.acceptance_spans(), w));
        // The discussion before the plan: in a workshop it is what the
        // room looks at, and a short pane cuts the last lines.
        self.note_lines(w, &mut lines);
        self.action_lines(w, &mut lines);
        for f in self
            .app
            .doc
            .analysis()
            .findings
            .iter()
            .filter(|f| f.at == r.id)
            .take(3)
        {
            let style = match f.severity {
                crate::domain::Severity::Error => theme::error(),
                crate::domain::Severity::Warning => theme::warning(),
            };
            lines.push(kv(
                "Finding",
                vec![Span::styled(format!("{}: {}", f.code, f.message), style)],
                w,
            ));
        }
        lines
    }

    /// The risk's discussion record, newest first (the file keeps it
    /// oldest first): date, author, what was said.
    fn note_lines(&self, w: usize, lines: &mut Vec<Line<'static>>) {
        const SHOWN: usize = 3;
        let notes = &self.risk.notes;
        for (n, note) in notes.iter().rev().take(SHOWN).enumerate() {
            let spans = vec![
                Span::styled(format!("{} ", note.on), theme::dim()),
                Span::styled(format!("{}: ", note.by), theme::bold()),
                Span::raw(note.text.clone()),
            ];
            lines.push(kv(if n == 0 { "Notes" } else { "" }, spans, w));
        }
        if notes.len() > SHOWN {
            lines.push(kv(
                "",
                vec![Span::styled(
                    format!("… and {} older", notes.len() - SHOWN),
                    theme::dim(),
                )],
                w,
            ));
        }
    }

    /// The treatment plan's actions for this risk (from the plan's
    /// index, never a scan of every action): id, status, due, title.
    fn action_lines(&self, w: usize, lines: &mut Vec<Line<'static>>) {
        const SHOWN: usize = 4;
        let actions = self.app.doc.plan().actions_of(self.index);
        if actions.is_empty() {
            lines.push(kv(
                "Actions",
                vec![Span::styled("no actions", theme::dim())],
                w,
            ));
            return;
        }
        let today = self.app.doc.today();
        for (n, &ai) in actions.iter().take(SHOWN).enumerate() {
            let Some(a) = self.reg.actions.get(ai) else {
                continue;
            };
            let due = match a.due {
                Some(d) if crate::domain::plan::action_overdue(a, today) => {
                    Span::styled(format!("due {d} ! "), theme::warning())
                }
                Some(d) => Span::raw(format!("due {d} ")),
                None => Span::raw(""),
            };
            let spans = vec![
                Span::styled(format!("{} ", a.id), theme::bold()),
                Span::raw(format!("{} ", a.status.as_str())),
                due,
                Span::raw(a.title.clone()),
            ];
            lines.push(kv(if n == 0 { "Actions" } else { "" }, spans, w));
        }
        if actions.len() > SHOWN {
            lines.push(kv(
                "",
                vec![Span::styled(
                    format!("… and {} more", actions.len() - SHOWN),
                    theme::dim(),
                )],
                w,
            ));
        }
    }

    fn out_of_scope_reason(&self) -> String {
        let reg = self.reg;
        let off = |f: &Option<Id>| -> Option<String> {
            let id = f.as_ref()?;
            let on = reg
                .factors
                .iter()
                .find(|x| x.id == *id)
                .is_some_and(|x| x.on);
            (!on).then(|| id.to_string())
        };
        if let Some(f) = off(&self.risk.factor) {
            return format!("out of scope: factor {f} is off");
        }
        let asset_factor = reg
            .assets
            .iter()
            .find(|a| a.id == self.risk.asset)
            .and_then(|a| off(&a.factor));
        match asset_factor {
            Some(f) => format!("out of scope: its asset needs factor {f}, which is off"),
            None => "out of scope".into(),
        }
    }

    fn appetite_spans(&self, e: &RiskEval) -> Vec<Span<'static>> {
        let a = self.reg.method.appetite;
        if e.above_appetite {
            vec![Span::styled(
                format!("residual {} is above appetite {a}", e.residual.score),
                theme::error(),
            )]
        } else {
            vec![Span::styled(
                format!("residual {} is within appetite {a}", e.residual.score),
                theme::good(),
            )]
        }
    }

    fn acceptance_spans(&self) -> Vec<Span<'static>> {
        let Some(a) = &self.risk.acceptance else {
            return vec![Span::styled("no", theme::dim())];
        };
        let today = self.app.doc.today();
        let (state, style) = if a.until < today {
            ("expired", theme::error())
        } else if a.on > today {
            ("not yet valid", theme::warning())
        } else {
            ("valid", theme::good())
        };
        let mut v = vec![
            Span::raw(format!("by {} {} → {} ", a.by, a.on, a.until)),
            Span::styled(state, style),
        ];
        if let (Some(score), Some(e)) = (a.accepted_score, self.eval)
            && score != e.inherent.score
        {
            v.push(Span::styled(
                format!(" · stale: accepted at {score}, now {}", e.inherent.score),
                theme::warning(),
            ));
        }
        v
    }

    /// Right column: the controls and the arithmetic.
    fn explain(&self, w: usize) -> Vec<Line<'static>> {
        let Some(e) = self.eval else {
            return vec![Line::styled("Not scored while out of scope.", theme::dim())];
        };
        let m = &self.reg.method;
        let catalog = Catalog::annex_a();
        let mut lines = Vec::new();
        let effects = crate::domain::eval::control_effects(
            self.reg,
            &self.app.doc.analysis().eval.lookups,
            self.risk,
        );
        // Controls table: id title type status eff s_c on. Own controls'
        // ids may be longer than Annex A ones.
        let id_w = effects
            .iter()
            .map(|c| c.id.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(5, 12);
        let fixed = id_w + 1 + 3 + 1 + 11 + 1 + 4 + 1 + 13 + 1 + 3;
        let title_w = w.saturating_sub(fixed + 1).max(4);
        if effects.is_empty() {
            lines.push(Line::styled(
                "No linked controls: residual = inherent (c links one)",
                theme::warning(),
            ));
        } else {
            lines.push(text::fit_spans(
                vec![Span::styled(
                    format!(
                        "{:<iw$} {:<tw$} {:<3} {:<11} {:>4} {:<13} {}",
                        "Ctrl",
                        "Title",
                        "Typ",
                        "Status",
                        "Eff.",
                        "s_c now→full",
                        "On",
                        iw = id_w,
                        tw = title_w
                    ),
                    theme::header(),
                )],
                w,
            ));
        }
        for c in &effects {
            // An own control says so before its title (REGISTER.md §5).
            let title = match catalog.get(&c.id) {
                Some(i) if !c.own => i.title.clone(),
                _ => format!(
                    "own · {}",
                    self.reg
                        .own_controls
                        .iter()
                        .find(|o| o.id == c.id)
                        .map_or("", |o| o.title.as_str())
                ),
            };
            let ty = c.control_type;
            let on = match (ty.acts_on_likelihood(), ty.acts_on_impact()) {
                (true, true) => "L I",
                (true, false) => "L",
                (false, true) => "I",
                (false, false) => "—",
            };
            lines.push(text::fit_spans(
                vec![
                    Span::styled(text::pad(&c.id, id_w), theme::bold()),
                    Span::raw(" "),
                    Span::raw(text::pad(&title, title_w)),
                    Span::raw(" "),
                    Span::raw(text::pad(&ty.short(), 3)),
                    Span::raw(" "),
                    Span::styled(
                        text::pad(c.status.as_str(), 11),
                        theme::status_style(c.status),
                    ),
                    Span::raw(format!(" {:>3}% ", c.effectiveness)),
                    Span::styled(
                        format!("{:.3}", c.strength),
                        if c.strength > 0.0 {
                            theme::good()
                        } else {
                            theme::dim()
                        },
                    ),
                    Span::styled(format!("→{:.3}  ", c.target_strength), theme::dim()),
                    Span::raw(on),
                ],
                w,
            ));
        }
        let p = products(self.reg, &self.app.doc.analysis().eval.lookups, self.risk);
        let on_l: Vec<f64> = effects
            .iter()
            .filter(|c| c.control_type.acts_on_likelihood())
            .map(|c| c.strength)
            .collect();
        let on_i: Vec<f64> = effects
            .iter()
            .filter(|c| c.control_type.acts_on_impact())
            .map(|c| c.strength)
            .collect();
        lines.push(text::fit_spans(
            vec![
                Span::styled("pL", theme::key()),
                Span::raw(format!(" = {} = {:.3}", product_text(&on_l), p.likelihood)),
                Span::styled(
                    format!("  (P controls; full {:.3})", p.target_likelihood),
                    theme::dim(),
                ),
            ],
            w,
        ));
        lines.push(text::fit_spans(
            vec![
                Span::styled("pI", theme::key()),
                Span::raw(format!(" = {} = {:.3}", product_text(&on_i), p.impact)),
                Span::styled(
                    format!("  (D/C controls; full {:.3})", p.target_impact),
                    theme::dim(),
                ),
            ],
            w,
        ));
        let (l0, i0) = (e.inherent.likelihood, e.inherent.impact);
        let formula = |name: &str, x0: u32, p: f64| -> Line<'static> {
            let x = 1.0 + f64::from(x0.saturating_sub(1)) * p;
            let r = round_half_up(x);
            text::fit_spans(
                vec![
                    Span::styled(name.to_string(), theme::key()),
                    Span::raw(format!(" = round(1 + ({x0}−1)×{p:.3}) = round({x:.3}) = ")),
                    Span::styled(r.to_string(), theme::bold()),
                ],
                w,
            )
        };
        lines.push(formula("L1", l0, p.likelihood));
        lines.push(formula("I1", i0, p.impact));
        let mut res = vec![Span::styled("Residual ", theme::dim())];
        res.extend(score_spans(m, &e.residual));
        if e.manual {
            let l1 = round_half_up(1.0 + f64::from(l0.saturating_sub(1)) * p.likelihood);
            let i1 = round_half_up(1.0 + f64::from(i0.saturating_sub(1)) * p.impact);
            res.push(Span::styled(
                format!("  manual; computed {l1}×{i1} = {}", l1 * i1),
                theme::warning(),
            ));
        }
        lines.push(text::fit_spans(res, w));
        if e.manual
            && let Some(note) = self.risk.residual.as_ref().map(|r| r.note.as_str())
            && !note.is_empty()
        {
            lines.push(text::fit_spans(
                vec![
                    Span::styled("Note     ", theme::dim()),
                    Span::styled(
                        note.to_string(),
                        Style::new().add_modifier(Modifier::ITALIC),
                    ),
                ],
                w,
            ));
        }
        lines.push(text::fit_spans(
            vec![
                Span::styled("Level    ", theme::dim()),
                Span::raw(level_rule(m, &e.residual)),
            ],
            w,
        ));
        let mut tgt = vec![Span::styled("Target   ", theme::dim())];
        tgt.extend(score_spans(m, &e.target));
        tgt.push(Span::styled(
            "  all linked controls implemented",
            theme::dim(),
        ));
        lines.push(text::fit_spans(tgt, w));
        lines
    }
}

/// Which rule gave the level: the matrix cell or the first `up_to` ≥ score.
fn level_rule(m: &Method, s: &Score) -> String {
    if m.matrix.is_some() {
        return format!(
            "matrix row L{} column I{} → {}",
            s.likelihood,
            s.impact,
            s.level_name(m)
        );
    }
    match s.level_index().and_then(|l| m.levels.get(l)) {
        Some(l) => format!(
            "first level with up_to ≥ {} → {} (up_to {})",
            s.score, l.name, l.up_to
        ),
        None => "no level covers this score".into(),
    }
}
