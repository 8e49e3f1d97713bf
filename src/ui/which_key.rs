//! The which-key popup: after a prefix such as `L`, the keys that can follow
//! and what each does (with the scale label for scoring keys, and what the
//! label means when the method writes it down, so a workshop sees
//! "3  Set likelihood to 3 · Possible — Once in 1-3 years").

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{hints, popup, text, theme};
use crate::app::{Action, App};
use crate::keymap::{Lookup, format_keys};

/// A scale value as the hints show it: its label, and what it means when
/// the method writes that down ("Possible — Once in 1-3 years").
pub(super) fn scale_value(label: &str, criterion: Option<&String>) -> String {
    match criterion.map(|c| c.trim()).filter(|c| !c.is_empty()) {
        Some(c) => format!("{} — {}", text::clean(label), text::clean(c)),
        None => text::clean(label).into_owned(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if app.pending.is_empty() {
        return;
    }
    let Lookup::Pending(next) = app.keymap.lookup(app.context(), &app.pending) else {
        return;
    };
    let m = &app.doc.register().method;
    // Scoring keys in value order ("1" … "9", then "0" for 10); values off
    // the register's scale folded into one dimmed line.
    let mut next = next;
    let value = |a: &Action| match a {
        Action::SetLikelihood(n) | Action::SetImpact(n) => Some(*n),
        _ => None,
    };
    next.sort_by_key(|(k, a)| (value(a), k.clone()));
    let scale = |a: &Action| match a {
        Action::SetLikelihood(n) => Some((*n as usize, &m.likelihood, &m.likelihood_criteria)),
        Action::SetImpact(n) => Some((*n as usize, &m.impact, &m.impact_criteria)),
        _ => None,
    };
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut off_scale: Vec<String> = Vec::new();
    let mut scale_len = 0;
    for (keys, action) in &next {
        match scale(action) {
            Some((n, labels, criteria)) => match n.checked_sub(1).and_then(|i| labels.get(i)) {
                Some(l) => rows.push((
                    keys.clone(),
                    action.describe(),
                    scale_value(l, n.checked_sub(1).and_then(|i| criteria.get(i))),
                )),
                None => {
                    scale_len = labels.len();
                    off_scale.push(keys.clone());
                }
            },
            None => rows.push((keys.clone(), action.describe(), String::new())),
        }
    }
    if !off_scale.is_empty() {
        rows.push((
            off_scale.join(" "),
            format!("not on this 1–{scale_len} scale"),
            "off".to_string(),
        ));
    }
    let key_w = rows
        .iter()
        .filter(|r| r.2 != "off")
        .map(|r| text::width(&r.0))
        .max()
        .unwrap_or(1);
    let body_w = rows
        .iter()
        .map(|r| match r.2.as_str() {
            "off" => text::width(&r.0) + 2 + text::width(&r.1),
            "" => key_w + 2 + text::width(&r.1),
            extra => key_w + 2 + text::width(&r.1) + 3 + text::width(extra),
        })
        .max()
        .unwrap_or(10);
    // Criteria can be long: the popup never takes more than the screen
    // (or 100 columns); a row too long ends in "…".
    let w = (body_w as u16 + 4)
        .min(area.width.saturating_sub(2))
        .min(100)
        .max(16.min(area.width));
    let h = (rows.len() as u16 + 2).min(area.height);
    // Bottom-right, above the status bar.
    let rect = Rect {
        x: area.right().saturating_sub(w).max(area.x),
        y: area.bottom().saturating_sub(h),
        width: w,
        height: h,
    };
    let title = Line::from(vec![
        Span::styled(
            format!(" {} ", text::fit(&format_keys(&app.pending), 12)),
            theme::key(),
        ),
        Span::styled("… ", theme::dim()),
    ]);
    // Any other key abandons the sequence; esc is the one to say.
    let bottom = hints::line(app, app.context(), &[(Action::Cancel, "cancel")]);
    let inner = popup::frame_with_bottom(frame, rect, title, bottom);
    let iw = inner.width as usize;
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(k, d, extra)| {
            if extra == "off" {
                return text::fit_spans(vec![Span::styled(format!("{k}  {d}"), theme::dim())], iw);
            }
            let mut spans = vec![
                Span::styled(text::pad(&k, key_w), theme::key()),
                Span::raw("  "),
                Span::raw(d),
            ];
            if !extra.is_empty() {
                spans.push(Span::styled(format!(" · {extra}"), theme::dim()));
            }
            text::fit_spans(spans, iw)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
