//! The focus view: one risk on the whole screen, for a workshop's
//! projector, from 80×24 to 200×60 and beyond.
//!
//! Nothing that names the risk is ever cut: the title, the vulnerability,
//! the asset and the threat wrap over as many lines as they need. Below
//! them, side by side, a likelihood × impact grid whose cells grow with the
//! screen (coloured by level; `I` marks the inherent position, `C` the
//! current residual, `T` the target, with a legend giving each score), and
//! the decisions: appetite, treatment and its actions from the plan index,
//! the linked controls with their status (own controls marked), the owner,
//! the review dates and the acceptance. When the screen is too short for
//! all of that, the last line says how much more there is (`e` shows the
//! whole risk in its form).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{hints, table, text, theme};
use crate::app::{Action, App};
use crate::domain::eval::{control_effects, level_of};
use crate::domain::review_queue;
use crate::domain::{Catalog, Method, Risk, RiskEval, Score};
use crate::keymap::Context;

/// Draws the focus view into `area` (the whole screen between the title
/// bar and the status bar).
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let reg = app.doc.register();
    let Some((i, risk)) = app
        .selected_item()
        .and_then(|i| reg.risks.get(i).map(|r| (i, r)))
    else {
        let msg = Line::styled(
            format!(
                " No risk to show: the register has none yet ({} adds one)",
                key(app, Action::Add)
            ),
            theme::dim(),
        );
        let head = header(app, None, area.width as usize);
        frame.render_widget(Paragraph::new(vec![head, msg]), area);
        return;
    };
    let eval = app.doc.analysis().eval.risk(i);
    let w = area.width as usize;
    let mut top: Vec<Line<'static>> = vec![header(app, Some(i), w)];
    // The title, whole, in bold: what the room is talking about.
    for l in text::wrap(&risk.title, w.saturating_sub(2)) {
        top.push(Line::styled(
            format!(" {l}"),
            theme::bold().add_modifier(Modifier::UNDERLINED),
        ));
    }
    let names = names_line(app, risk);
    top.extend(labelled("Vulnerability", &vulnerability(risk), w));
    top.extend(labelled("Asset · threat", &names, w));
    let used = (top.len() as u16).min(area.height);
    frame.render_widget(
        Paragraph::new(top),
        Rect {
            height: used,
            ..area
        },
    );
    let rest = Rect {
        y: area.y + used,
        height: area.height - used,
        ..area
    };
    if rest.height < 3 {
        return;
    }
    let m = &reg.method;
    let grid_w = grid_width(m, rest.width);
    let grid = Rect {
        width: grid_w,
        ..rest
    };
    let side = Rect {
        x: rest.x + grid_w + 1,
        width: rest.width.saturating_sub(grid_w + 1),
        ..rest
    };
    match eval {
        Some(e) => draw_grid(frame, grid, m, e),
        None => {
            let block = table::block(Line::styled(" Scores ", theme::title()), false);
            let inner = block.inner(grid);
            frame.render_widget(block, grid);
            frame.render_widget(
                Paragraph::new(Line::styled("Out of scope: not scored", theme::dim())),
                inner,
            );
        }
    }
    let lines = decisions(app, i, risk, eval, side.width as usize);
    let more = key(app, Action::Edit);
    frame.render_widget(Paragraph::new(fit_height(lines, side.height, &more)), side);
}

/// The top line: the risk's id, its place in the review queue and why,
/// and the keys that walk the queue.
fn header(app: &App, risk: Option<usize>, w: usize) -> Line<'static> {
    let q = &app.workshop.queue;
    let reg = app.doc.register();
    let today = app.doc.today();
    let mut spans = vec![Span::styled(" FOCUS ", theme::tab_active())];
    if let Some(i) = risk
        && let Some(r) = reg.risks.get(i)
    {
        spans.push(Span::styled(format!(" {} ", r.id), theme::key()));
        let eval = app.doc.analysis().eval.risk(i);
        let place = match (q.rank(i), eval) {
            (Some(p), Some(e)) => format!(
                " queue {} of {}: {} ",
                p + 1,
                q.len(),
                review_queue::reason(reg, r, e, today)
            ),
            (None, Some(_)) if review_queue::reviewed_today(r, today) => {
                format!(" reviewed today · {} left in the queue ", q.len())
            }
            _ => format!(" out of scope · {} in the queue ", q.len()),
        };
        spans.push(Span::styled(place, theme::bold()));
    }
    let keys = hints::spans(
        app,
        Context::Focus,
        &[
            (Action::NextInQueue, "next"),
            (Action::PrevInQueue, "previous"),
            (Action::MarkReviewed, "reviewed"),
            (Action::Cancel, "back"),
        ],
    );
    spans.push(Span::raw(" "));
    spans.extend(keys);
    text::fit_spans(spans, w)
}

fn vulnerability(r: &Risk) -> String {
    if r.vulnerability.trim().is_empty() {
        "none written down".into()
    } else {
        r.vulnerability.clone()
    }
}

/// "Customer database · Ransomware (T-01)": names, with the ids.
fn names_line(app: &App, r: &Risk) -> String {
    let reg = app.doc.register();
    let lk = &app.doc.analysis().eval.lookups;
    let asset = lk
        .asset_index
        .get(&r.asset)
        .and_then(|&a| reg.assets.get(a))
        .map_or_else(|| "unknown asset".to_string(), |a| a.name.clone());
    let threat = lk
        .threat_index
        .get(&r.threat)
        .and_then(|&t| reg.threats.get(t))
        .map_or_else(|| "unknown threat".to_string(), |t| t.name.clone());
    format!("{asset} ({}) · {threat} ({})", r.asset, r.threat)
}

/// `label: value`, the value wrapped under itself, never cut.
fn labelled(label: &str, value: &str, w: usize) -> Vec<Line<'static>> {
    let lw = text::width(label) + 3;
    let wrapped = text::wrap(value, w.saturating_sub(lw + 1).max(8));
    wrapped
        .into_iter()
        .enumerate()
        .map(|(k, l)| {
            let head = if k == 0 {
                Span::styled(format!(" {label}: "), theme::dim())
            } else {
                Span::raw(" ".repeat(lw))
            };
            Line::from(vec![head, Span::raw(l)])
        })
        .collect()
}

/// Columns of the grid pane: about half the screen, no wider than cells
/// of 16 columns need.
fn grid_width(m: &Method, width: u16) -> u16 {
    let ni = m.impact.len().max(1) as u16;
    let most = 4 + ni * 16 + 2;
    (width * 9 / 20).clamp(4 + ni * 3 + 2, most.max(4 + ni * 3 + 2))
}

/// The grid, with `I`, `C` and `T` where the inherent, current and target
/// scores sit, and a legend with each score and level.
fn draw_grid(frame: &mut Frame, area: Rect, m: &Method, e: &RiskEval) {
    let block = table::block(Line::styled(" Likelihood × impact ", theme::title()), true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let nl = m.likelihood.len().max(1);
    let ni = m.impact.len().max(1);
    let legend = legend(m, e, inner.width as usize);
    let legend_h = legend.len();
    let w = inner.width as usize;
    let label_w = 4;
    let cell_w = (w.saturating_sub(label_w) / ni).max(1);
    let room = (inner.height as usize).saturating_sub(legend_h + 1);
    // Cells at most a little taller than square on screen (a terminal
    // cell is about twice as high as wide), within the room there is.
    let cell_h = (room / nl).clamp(1, (cell_w * 2 / 3).max(1));
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut axis = vec![Span::styled(text::pad("L↓I→", label_w), theme::dim())];
    for k in 1..=ni {
        axis.push(Span::styled(
            text::center(&k.to_string(), cell_w),
            theme::bold(),
        ));
    }
    lines.push(Line::from(axis));
    let gap = usize::from(cell_w >= 4);
    let color_w = cell_w - gap;
    let glyph_top = cell_h.saturating_sub(3) / 2;
    for l in (1..=nl).rev() {
        for k in 0..cell_h {
            let mid = k == cell_h / 2;
            let lbl = if mid { format!(" {l}") } else { String::new() };
            let mut spans = vec![Span::styled(text::pad(&lbl, label_w), theme::bold())];
            for i in 1..=ni {
                let bg = theme::level_bg(m, level_of(m, l as u32, i as u32));
                let letters = marks_at(e, l, i);
                // Letters three rows high where the cell has room.
                let big = cell_h >= 3 && color_w >= 4 * letters.len();
                let marks = if big && (glyph_top..glyph_top + 3).contains(&k) {
                    glyph_row(&letters, k - glyph_top)
                } else if !big && mid {
                    letters.join(" ")
                } else {
                    String::new()
                };
                let style = if marks.is_empty() {
                    bg
                } else {
                    bg.add_modifier(Modifier::BOLD)
                };
                spans.push(Span::styled(text::center(&marks, color_w), style));
                spans.push(Span::raw(" ".repeat(gap)));
            }
            lines.push(Line::from(spans));
        }
    }
    lines.extend(legend);
    frame.render_widget(Paragraph::new(fit_height(lines, inner.height, "")), inner);
}

/// Row `row` (0..3) of `letters` drawn three rows high, a space between
/// letters (a big `C` reads from the back of a room where a small one
/// does not).
fn glyph_row(letters: &[&str], row: usize) -> String {
    let glyph = |c: &str| -> [&'static str; 3] {
        match c {
            "I" => ["▀█▀", " █ ", "▄█▄"],
            "C" => ["█▀▀", "█  ", "█▄▄"],
            _ => ["▀█▀", " █ ", " █ "],
        }
    };
    letters
        .iter()
        .map(|c| glyph(c)[row.min(2)])
        .collect::<Vec<_>>()
        .join(" ")
}

/// The letters of the scores sitting in cell (likelihood `l`, impact `i`).
fn marks_at(e: &RiskEval, l: usize, i: usize) -> Vec<&'static str> {
    let at = |s: &Score| s.likelihood as usize == l && s.impact as usize == i;
    let mut out = Vec::new();
    if at(&e.inherent) {
        out.push("I");
    }
    if at(&e.residual) {
        out.push("C");
    }
    if at(&e.target) {
        out.push("T");
    }
    out
}

/// The legend under the grid: one line per mark, with its score and
/// level (two per line when there is room).
fn legend(m: &Method, e: &RiskEval, w: usize) -> Vec<Line<'static>> {
    let current = if e.manual {
        "current (manual)"
    } else {
        "current"
    };
    let items = [
        ("I", "inherent", &e.inherent),
        ("C", current, &e.residual),
        ("T", "target", &e.target),
    ];
    items
        .iter()
        .map(|(mark, name, s)| {
            let level = s.level_name(m).to_string();
            text::fit_spans(
                vec![
                    Span::styled(
                        format!(" {mark} "),
                        theme::bold().add_modifier(Modifier::REVERSED),
                    ),
                    Span::raw(format!(
                        " {name} {}×{} = {} ",
                        s.likelihood, s.impact, s.score
                    )),
                    Span::styled(level, theme::level_fg(m, s.level_index())),
                ],
                w,
            )
        })
        .collect()
}

/// The right-hand column: appetite, treatment and actions, controls,
/// owner and review, acceptance.
fn decisions(
    app: &App,
    i: usize,
    r: &Risk,
    eval: Option<&RiskEval>,
    w: usize,
) -> Vec<Line<'static>> {
    let reg = app.doc.register();
    let today = app.doc.today();
    let mut out: Vec<Line<'static>> = Vec::new();
    let heading = |t: &str| Line::styled(t.to_string(), theme::title());
    if let Some(e) = eval {
        let a = reg.method.appetite;
        let accepted = r
            .acceptance
            .as_ref()
            .is_some_and(|a| a.on <= today && today <= a.until);
        out.push(if e.above_appetite && accepted {
            Line::styled(
                format!("Above appetite ({} > {a}), accepted", e.residual.score),
                theme::warning().add_modifier(Modifier::BOLD),
            )
        } else if e.above_appetite {
            Line::styled(
                format!("ABOVE appetite: current {} > {a}", e.residual.score),
                theme::error().add_modifier(Modifier::BOLD),
            )
        } else {
            Line::styled(
                format!("Within appetite: current {} ≤ {a}", e.residual.score),
                theme::good().add_modifier(Modifier::BOLD),
            )
        });
    }
    // Treatment and the plan's actions for it.
    let due = r.due.map(|d| format!(" · due {d}")).unwrap_or_default();
    out.extend(wrapped_kv(
        "Treatment",
        &format!("{}{due}", r.treatment.as_str()),
        w,
    ));
    let actions = app.doc.plan().actions_of(i);
    for &a in actions {
        if let Some(a) = reg.actions.get(a) {
            let due = a.due.map(|d| format!(" · due {d}")).unwrap_or_default();
            let owner = if a.owner.trim().is_empty() {
                String::new()
            } else {
                format!(" · {}", a.owner)
            };
            let line = format!("{} {} · {}{due}{owner}", a.id, a.title, a.status.as_str());
            out.extend(wrap_indented(&line, w, "  • ", Style::new()));
        }
    }
    if actions.is_empty() {
        out.push(Line::styled(
            format!(
                "  no actions planned ({} plans one)",
                key(app, Action::TreatRisk)
            ),
            theme::dim(),
        ));
    }
    // Controls.
    let effects = control_effects(reg, &app.doc.analysis().eval.lookups, r);
    out.push(heading(&format!("Controls ({})", effects.len())));
    if effects.is_empty() {
        out.push(Line::styled(
            format!(
                "  none linked ({} links one)",
                key(app, Action::LinkControl)
            ),
            theme::warning(),
        ));
    }
    let catalog = Catalog::annex_a();
    for c in &effects {
        let title = match catalog.get(&c.id) {
            Some(info) if !c.own => info.title.clone(),
            _ => format!(
                "own control · {}",
                reg.own_controls
                    .iter()
                    .find(|o| o.id == c.id)
                    .map_or("", |o| o.title.as_str())
            ),
        };
        let mut lines = wrap_indented(&format!("{} {title}", c.id), w, "  ", Style::new());
        // The status after the title when it fits on its last line.
        let pct = format!(" {}%", c.effectiveness);
        let status_w = c.status.as_str().len() + pct.len();
        let status = vec![
            Span::styled(c.status.as_str().to_string(), theme::status_style(c.status)),
            Span::styled(pct, theme::dim()),
        ];
        match lines.last_mut() {
            Some(last) if last.width() + 3 + status_w <= w => {
                last.spans.push(Span::raw(" · "));
                last.spans.extend(status);
            }
            _ => {
                let mut l = vec![Span::raw("    ")];
                l.extend(status);
                lines.push(Line::from(l));
            }
        }
        out.extend(lines);
    }
    // Owner and review.
    let owner = if r.owner.trim().is_empty() {
        format!("nobody ({} sets one)", key(app, Action::Edit))
    } else {
        r.owner.clone()
    };
    out.extend(wrapped_kv("Owner", &owner, w));
    let reviewed = match (r.reviewed, eval.and_then(|e| e.next_review)) {
        (Some(d), Some(n)) => format!("{d}, next {n}"),
        (Some(d), None) => d.to_string(),
        (None, _) => "never".into(),
    };
    out.extend(wrapped_kv("Reviewed", &reviewed, w));
    // Acceptance: by, until, reason.
    match &r.acceptance {
        None => out.extend(wrapped_kv("Acceptance", "none", w)),
        Some(a) => {
            let state = if a.until < today {
                "EXPIRED"
            } else if a.on > today {
                "not yet valid"
            } else {
                "valid"
            };
            let reason = if a.reason.trim().is_empty() {
                "no reason given".to_string()
            } else {
                a.reason.clone()
            };
            out.extend(wrapped_kv(
                "Acceptance",
                &format!("{state}, by {} until {}: {reason}", a.by, a.until),
                w,
            ));
        }
    }
    // What the room said, newest first: a note added here shows at once.
    if !r.notes.is_empty() {
        const SHOWN: usize = 3;
        out.push(heading(&format!("Notes ({})", r.notes.len())));
        for note in r.notes.iter().rev().take(SHOWN) {
            let line = format!("{} {}: {}", note.on, note.by, note.text);
            out.extend(wrap_indented(&line, w, "  ", Style::default()));
        }
        if r.notes.len() > SHOWN {
            out.push(Line::styled(
                format!("  … and {} older", r.notes.len() - SHOWN),
                theme::dim(),
            ));
        }
    }
    out
}

/// `Label: value` with the value wrapped under the label's indent.
fn wrapped_kv(label: &str, value: &str, w: usize) -> Vec<Line<'static>> {
    let first = format!("{label}: {value}");
    let lines = text::wrap(&first, w.max(8));
    lines
        .into_iter()
        .enumerate()
        .map(|(k, l)| {
            if k == 0 {
                let (head, tail) = l.split_at(l.find(':').map_or(0, |p| p + 1));
                Line::from(vec![
                    Span::styled(head.to_string(), theme::title()),
                    Span::raw(tail.to_string()),
                ])
            } else {
                Line::raw(format!("  {l}"))
            }
        })
        .collect()
}

/// `s` wrapped to `w` columns, the first line after `lead`, the others
/// indented as far.
fn wrap_indented(s: &str, w: usize, lead: &str, style: Style) -> Vec<Line<'static>> {
    let lw = text::width(lead);
    text::wrap(s, w.saturating_sub(lw).max(8))
        .into_iter()
        .enumerate()
        .map(|(k, l)| {
            let head = if k == 0 {
                lead.to_string()
            } else {
                " ".repeat(lw)
            };
            Line::styled(format!("{head}{l}"), style)
        })
        .collect()
}

/// The key the keymap in force binds to `action` (for "… (T plans one)"),
/// or the action's description when nothing is bound.
fn key(app: &App, action: Action) -> String {
    hints::key(app, Context::Table, action).unwrap_or_else(|| format!("“{}”", action.describe()))
}

/// At most `h` lines; when some do not fit, the last one says how many
/// more there are, and that `edit_key` (the risk's form) shows all of it.
fn fit_height(mut lines: Vec<Line<'static>>, h: u16, edit_key: &str) -> Vec<Line<'static>> {
    let h = h as usize;
    if lines.len() > h && h > 0 {
        let more = lines.len() - (h - 1);
        lines.truncate(h - 1);
        let how = if edit_key.is_empty() {
            String::new()
        } else {
            format!(" ({edit_key} shows the whole risk)")
        };
        lines.push(Line::styled(
            format!("… {more} more lines{how}"),
            theme::dim(),
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_height_says_what_is_left_out() {
        let lines: Vec<Line<'static>> = (0..10).map(|k| Line::raw(k.to_string())).collect();
        let fitted = fit_height(lines, 4, "e");
        assert_eq!(fitted.len(), 4);
        assert!(fitted[3].to_string().contains("7 more lines"));
    }
}
