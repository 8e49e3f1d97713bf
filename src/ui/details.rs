//! Detail panes of the Assets, Threats, Controls, SoA and Environment views
//! (toggled with the detail key like the risk pane): what the selected item
//! is connected to, so a change's reach is visible before making it — the
//! risks on an asset or threat, what a control acts on and which risks it
//! protects, why the SoA says what it says, what a factor switches.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{table, text, theme};
use crate::app::{App, View};
use crate::domain::{Applicable, Catalog, ControlStatus, DEFAULT_EFFECTIVENESS};

/// Lines for the selected item of `view`, `w` columns wide, at most
/// `max` lines (risk lists are cut with a "… and N more" line).
fn lines(
    app: &App,
    view: View,
    item: usize,
    w: usize,
    max: usize,
) -> (Line<'static>, Vec<Line<'static>>) {
    let reg = &app.doc.register();
    let catalog = Catalog::annex_a();
    let kv = |label: &str, value: Vec<Span<'static>>| {
        let mut spans = vec![Span::styled(format!("{label:<12}"), theme::dim())];
        spans.extend(value);
        text::fit_spans(spans, w)
    };
    let title = |id: &str, name: &str| {
        Line::from(vec![
            Span::styled(format!(" {} ", text::fit(id, 20)), theme::key()),
            Span::styled(
                format!("{} ", text::fit(name, w.saturating_sub(30))),
                theme::title(),
            ),
        ])
    };
    let mut out = Vec::new();
    let head = match view {
        View::Assets => {
            let Some(a) = reg.assets.get(item) else {
                return (Line::raw(" Detail "), out);
            };
            let in_scope = app.doc.analysis().eval.lookups.asset_in_scope(item);
            out.push(kv(
                "Kind",
                vec![Span::raw(format!(
                    "{} · owner {}",
                    a.kind.as_str(),
                    if a.owner.is_empty() { "none" } else { &a.owner }
                ))],
            ));
            out.push(kv(
                "Scope",
                match &a.factor {
                    None => vec![Span::styled("always in scope", theme::good())],
                    Some(f) if in_scope => vec![Span::styled(
                        format!("in scope while factor {f} is on (it is)"),
                        theme::good(),
                    )],
                    Some(f) => vec![Span::styled(
                        format!("out of scope: factor {f} is off"),
                        theme::warning(),
                    )],
                },
            ));
            let risks = app
                .doc
                .analysis()
                .eval
                .by_asset
                .get(item)
                .cloned()
                .unwrap_or_default();
            risk_list(app, &risks, "Risks on this asset", w, max, &mut out);
            title(&a.id, &a.name)
        }
        View::Threats => {
            let Some(t) = reg.threats.get(item) else {
                return (Line::raw(" Detail "), out);
            };
            let risks = app
                .doc
                .analysis()
                .eval
                .by_threat
                .get(item)
                .cloned()
                .unwrap_or_default();
            out.push(kv(
                "Shift",
                vec![if t.shift == 0 {
                    Span::styled("0: likelihoods taken as assessed".to_string(), theme::dim())
                } else {
                    Span::styled(
                        format!(
                            "{:+} on the likelihood of its {}, clamped to the scale",
                            t.shift,
                            crate::app::plural(risks.len(), "risk")
                        ),
                        if t.shift > 0 {
                            theme::error()
                        } else {
                            theme::good()
                        },
                    )
                }],
            ));
            // A library threat: where it is from, what it concerns and the
            // controls its risks' pickers will suggest.
            if let Some(e) = crate::domain::threat_library::ThreatLibrary::get().by_tag(&t.source) {
                out.push(kv(
                    "Source",
                    vec![Span::raw(format!(
                        "{} · {} · suggests {}",
                        t.source,
                        crate::app::form::flags::cia_text(&e.cia),
                        e.controls.join(", ")
                    ))],
                ));
            } else if !t.source.is_empty() {
                out.push(kv("Source", vec![Span::raw(t.source.clone())]));
            }
            risk_list(app, &risks, "Risks with this threat", w, max, &mut out);
            title(&t.id, &t.name)
        }
        View::Controls | View::Soa => {
            let Some(row) = crate::app::table::control_row(reg, item) else {
                return (Line::raw(" Detail "), out);
            };
            let ty = row.control_type;
            let acts = match (ty.acts_on_likelihood(), ty.acts_on_impact()) {
                (true, true) => "lowers likelihood and impact",
                (true, false) => "lowers likelihood",
                (false, true) => "lowers impact",
                (false, false) => "lowers neither",
            };
            let about = match catalog.controls().get(item) {
                Some(info) if info.new_in_2022 => format!("{} · ✦ new in 2022", info.theme),
                Some(info) => info.theme.clone(),
                None => "own control (not Annex A)".into(),
            };
            out.push(kv(
                "Type",
                vec![
                    Span::raw(format!("{} ", ty.names().join(", "))),
                    Span::styled(format!("({acts}) · {about}"), theme::dim()),
                ],
            ));
            if let Some(own) = item
                .checked_sub(catalog.len())
                .and_then(|k| reg.own_controls.get(k))
            {
                // What it stands for in the SoA (it has no row there).
                let maps: Vec<String> = own
                    .maps_to
                    .iter()
                    .map(|id| match catalog.get(id) {
                        Some(c) => format!("{id} {}", c.title),
                        None => format!("{id} (not an Annex A control)"),
                    })
                    .collect();
                out.push(kv(
                    "Maps to",
                    if maps.is_empty() {
                        vec![Span::styled(
                            "no Annex A control (no SoA row)",
                            theme::dim(),
                        )]
                    } else {
                        vec![Span::raw(maps.join("; "))]
                    },
                ));
            }
            let state = app
                .doc
                .analysis()
                .eval
                .lookups
                .control_state
                .get(row.id)
                .and_then(|&s| reg.controls.get(s));
            let status = state.map_or(ControlStatus::NotStarted, |s| s.status);
            let mut st = vec![
                Span::styled(status.as_str().to_string(), theme::status_style(status)),
                Span::raw(format!(
                    " · effectiveness {}%",
                    state.map_or(DEFAULT_EFFECTIVENESS, |s| s.effectiveness)
                )),
            ];
            if let Some(s) = state {
                if !s.owner.is_empty() {
                    st.push(Span::raw(format!(" · owner {}", s.owner)));
                }
                if !s.note.is_empty() {
                    st.push(Span::styled(format!(" · {}", s.note), theme::dim()));
                }
            } else {
                st.push(Span::styled(" (no state recorded: defaults)", theme::dim()));
            }
            out.push(kv("Status", st));
            if let Some(e) = app.doc.analysis().soa.entries.get(item) {
                let mut soa = vec![Span::styled(
                    e.applicable.as_str().to_string(),
                    theme::applicable_style(e.applicable),
                )];
                if e.conflict {
                    soa.push(Span::styled(" — excluded although needed", theme::error()));
                }
                // The pane shows a few lines of it: cut a list of thousands
                // of risks short.
                let justification =
                    e.justification_within(reg, 4 * crate::app::table::DISPLAY_LIMIT);
                if !justification.is_empty() {
                    soa.push(Span::raw(format!(" · {justification}")));
                } else if e.applicable == Applicable::Undecided {
                    soa.push(Span::styled(
                        " · no risk, factor or decision yet",
                        theme::dim(),
                    ));
                }
                out.push(kv("SoA", soa));
            }
            out.extend(super::evidence::lines(app, row.id, w));
            let risks = app
                .doc
                .analysis()
                .eval
                .by_control
                .get(item)
                .cloned()
                .unwrap_or_default();
            risk_list(app, &risks, "Risks linking it", w, max, &mut out);
            title(row.id, row.title)
        }
        View::Environment => {
            let Some(f) = reg.factors.get(item) else {
                return (Line::raw(" Detail "), out);
            };
            out.push(kv(
                "State",
                vec![if f.on {
                    Span::styled(
                        "on: its controls are applicable, its assets and risks in scope",
                        theme::good(),
                    )
                } else {
                    Span::styled("off: its assets and risks are out of scope", theme::dim())
                }],
            ));
            let assets: Vec<&str> = reg
                .assets
                .iter()
                .filter(|a| a.factor.as_deref() == Some(f.id.as_str()))
                .map(|a| a.id.as_str())
                .collect();
            if !assets.is_empty() {
                out.push(kv("Assets", vec![Span::raw(assets.join(", "))]));
            }
            out.push(Line::styled(text::fit("Requires", w), theme::header()));
            let room = max.saturating_sub(out.len());
            for (n, id) in f.requires.iter().enumerate() {
                if n + 1 >= room && f.requires.len() > room {
                    out.push(Line::styled(
                        format!("… and {} more", f.requires.len() - n),
                        theme::dim(),
                    ));
                    break;
                }
                let (name, soa) = match catalog.index_of(id) {
                    Some(c) => (
                        catalog.controls()[c].title.clone(),
                        app.doc.analysis().soa.entries.get(c).map(|e| e.applicable),
                    ),
                    None => ("(not an Annex A control)".to_string(), None),
                };
                let mut spans = vec![
                    Span::styled(format!("{} ", text::pad(id, 5)), theme::bold()),
                    Span::raw(format!("{} ", text::pad(&name, w.saturating_sub(22)))),
                ];
                if let Some(a) = soa {
                    spans.push(Span::styled(
                        format!("SoA {}", a.as_str()),
                        theme::applicable_style(a),
                    ));
                }
                out.push(text::fit_spans(spans, w));
            }
            title(&f.id, &f.label)
        }
        // The Changes view explains the selected change: which factor,
        // threat shift, control state or score caused it.
        View::Changes => {
            let Some((head, why)) = app.explain_change_row(item) else {
                return (Line::raw(" Why "), out);
            };
            for l in why.iter().skip(2) {
                out.push(Line::raw(text::fit(l, w)));
            }
            Line::styled(
                format!(" {} ", text::fit(&head, w.saturating_sub(2))),
                theme::title(),
            )
        }
        View::Dashboard | View::Risks | View::Findings | View::Plan | View::Focus | View::Queue => {
            Line::raw(" Detail ")
        }
    };
    out.truncate(max);
    (head, out)
}

/// "Risks …" header and one line per risk (highest residual first).
fn risk_list(
    app: &App,
    risks: &[usize],
    what: &str,
    w: usize,
    max: usize,
    out: &mut Vec<Line<'static>>,
) {
    let reg = &app.doc.register();
    let m = &reg.method;
    let evals = &app.doc.analysis().eval.risks;
    out.push(Line::styled(
        text::fit(&format!("{what} ({})", risks.len()), w),
        theme::header(),
    ));
    if risks.is_empty() {
        out.push(Line::styled("none", theme::dim()));
        return;
    }
    let mut sorted: Vec<usize> = risks.to_vec();
    let key = |i: usize| {
        evals
            .get(i)
            .and_then(Option::as_ref)
            .map(|e| e.residual.score)
    };
    sorted.sort_by(|&a, &b| key(b).cmp(&key(a)).then(a.cmp(&b)));
    let room = max.saturating_sub(out.len()).max(1);
    // Ids as wide as the longest shown (generated registers use R-000123).
    let id_w = sorted
        .iter()
        .take(room)
        .map(|&i| text::width(&reg.risks[i].id))
        .max()
        .unwrap_or(0)
        .clamp(6, 14);
    for (n, &i) in sorted.iter().enumerate() {
        if n + 1 >= room && sorted.len() > room {
            out.push(Line::styled(
                format!("… and {} more", sorted.len() - n),
                theme::dim(),
            ));
            break;
        }
        let r = &reg.risks[i];
        let e = evals.get(i).and_then(Option::as_ref);
        let (score, style, level) = match e {
            Some(e) => (
                format!(
                    "{}×{}={}",
                    e.residual.likelihood, e.residual.impact, e.residual.score
                ),
                theme::level_fg(m, e.residual.level_index()),
                e.residual.level_name(m).to_string(),
            ),
            None => ("—".into(), theme::dim(), "out of scope".into()),
        };
        let spans = vec![
            Span::styled(format!("{} ", text::pad(&r.id, id_w)), theme::bold()),
            Span::styled(format!("{} ", text::pad(&score, 7)), style),
            Span::styled(format!("{} ", text::pad(&level, 12)), style),
            Span::raw(r.title.clone()),
        ];
        out.push(text::fit_spans(spans, w));
    }
}

/// Splits `area` into the table and, when the detail pane is on and there
/// is room, the pane (right on wide screens, else below). Returns the table
/// area.
pub fn draw_with_table(frame: &mut Frame, area: Rect, app: &App, view: View) -> Rect {
    let item = app.table(view).selected_item();
    if !app.show_detail || area.height < 16 {
        return area;
    }
    let Some(item) = item else {
        return area;
    };
    let (table_area, pane) = split_for_pane(area, || {
        // As tall as the content, at most a third of the area.
        let w = area.width.saturating_sub(2) as usize;
        let max = (area.height / 3).saturating_sub(2) as usize;
        let n = lines(app, view, item, w, max).1.len() as u16;
        (n + 2).clamp(4, area.height / 3)
    });
    let w = pane.width.saturating_sub(2) as usize;
    let max = pane.height.saturating_sub(2) as usize;
    let (head, body) = lines(app, view, item, w, max);
    let block = table::block(head, false);
    let inner = block.inner(pane);
    frame.render_widget(block, pane);
    frame.render_widget(Paragraph::new(body).style(Style::new()), inner);
    table_area
}

/// Splits a view's area into its table and a detail pane: side by side on
/// a wide screen (the pane two fifths, at least 52 columns), otherwise the
/// pane below, `below_height()` rows tall (asked only then: it measures
/// the content).
pub(super) fn split_for_pane(area: Rect, below_height: impl FnOnce() -> u16) -> (Rect, Rect) {
    if area.width >= 150 {
        let w = (area.width * 2 / 5).max(52);
        (
            Rect {
                width: area.width - w,
                ..area
            },
            Rect {
                x: area.x + area.width - w,
                width: w,
                ..area
            },
        )
    } else {
        let h = below_height().min(area.height);
        (
            Rect {
                height: area.height - h,
                ..area
            },
            Rect {
                y: area.y + area.height - h,
                height: h,
                ..area
            },
        )
    }
}
