//! The help screen, generated from the keymap in force: every binding,
//! grouped by context, keys bound to the same action on one line, the
//! scoring keys (`L 1` … `L 0`) folded into one line each, followed by the
//! register's scale: each value's label and, when the method writes it
//! down, what it means ("3  Possible — Once in 1-3 years").
//!
//! Two newspaper columns when the popup is wide enough; `scroll` moves both.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{hints, popup, text, theme};
use crate::app::{Action, App};
use crate::domain::Method;
use crate::keymap::Context;

fn context_title(ctx: Context) -> &'static str {
    match ctx {
        Context::Global => "Everywhere",
        Context::Table => "Tables (every view)",
        Context::Form => "Forms",
        Context::Picker => "Pickers",
        Context::Palette => "Command palette",
        Context::Confirm => "Confirmations",
        Context::Help => "This help",
        Context::Filter => "Typing a filter",
        Context::Focus => "Focus view (over the table keys)",
    }
}

/// One help entry: keys and what they do.
struct Entry {
    keys: String,
    what: String,
}

/// Groups a context's bindings: same action → one entry; `SetLikelihood(n)`
/// and `SetImpact(n)` → one entry each, then one line per value of the
/// register's scale that a key sets.
fn entries(bindings: &[(String, Action)], method: &Method) -> Vec<Entry> {
    let mut out: Vec<(Action, Vec<String>)> = Vec::new();
    let mut scores: Vec<(bool, Vec<(u8, String)>)> = Vec::new();
    for (keys, action) in bindings {
        match action {
            Action::SetLikelihood(n) | Action::SetImpact(n) => {
                let l = matches!(action, Action::SetLikelihood(_));
                match scores.iter_mut().find(|(x, _)| *x == l) {
                    Some((_, v)) => v.push((*n, keys.clone())),
                    None => scores.push((l, vec![(*n, keys.clone())])),
                }
            }
            _ => match out.iter_mut().find(|(a, _)| a == action) {
                Some((_, v)) => v.push(keys.clone()),
                None => out.push((*action, vec![keys.clone()])),
            },
        }
    }
    // In the order actions are declared (views, moving, filtering, editing…),
    // which groups related keys better than sorting by key.
    let order = Action::all();
    let pos = |a: &Action| order.iter().position(|x| x == a).unwrap_or(usize::MAX);
    out.sort_by_key(|(a, _)| pos(a));
    let mut entries: Vec<Entry> = out
        .into_iter()
        .map(|(a, keys)| Entry {
            keys: keys.join(", "),
            what: a.describe(),
        })
        .collect();
    for (likelihood, mut v) in scores {
        v.sort();
        let what = if likelihood { "likelihood" } else { "impact" };
        let (lo, hi) = (v[0].0, v[v.len() - 1].0);
        // "L 1" … "L 0" share the first key: show "L <n>".
        let prefix = v[0].1.split(' ').next().unwrap_or("").to_string();
        let same = v.len() > 1
            && v.iter().all(|(_, k)| {
                let parts: Vec<&str> = k.split(' ').collect();
                parts.len() == 2 && parts[0] == prefix
            });
        // The scale's values the keys set, each with its key's last part
        // ("3", or "0" for 10) and its meaning.
        let (labels, criteria) = if likelihood {
            (&method.likelihood, &method.likelihood_criteria)
        } else {
            (&method.impact, &method.impact_criteria)
        };
        let values: Vec<Entry> = v
            .iter()
            .filter_map(|(n, k)| {
                let i = usize::from(*n).checked_sub(1)?;
                let label = labels.get(i)?;
                let key = if same {
                    k.split(' ').nth(1).unwrap_or(k)
                } else {
                    k
                };
                Some(Entry {
                    keys: format!("  {key}"),
                    what: super::which_key::scale_value(label, criteria.get(i)),
                })
            })
            .collect();
        let (keys, what) = if same {
            // Keys whose digit is not the value (0 for 10).
            let odd: Vec<String> = v
                .iter()
                .filter_map(|(n, k)| {
                    let tail = k.split(' ').nth(1)?;
                    (tail != n.to_string()).then(|| format!("{tail} = {n}"))
                })
                .collect();
            let note = if odd.is_empty() {
                String::new()
            } else {
                format!(" ({})", odd.join(", "))
            };
            (format!("{prefix} <n>"), format!("Set {what} to n{note}"))
        } else {
            (
                v.iter()
                    .map(|(_, k)| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                format!("Set {what} ({lo}–{hi})"),
            )
        };
        entries.push(Entry { keys, what });
        entries.extend(values);
    }
    entries
}

/// All help lines, `w` columns wide.
fn lines(app: &App, w: usize) -> Vec<Line<'static>> {
    let bindings = app.keymap.bindings();
    let key_w = 16.min(w / 2);
    let mut lines = Vec::new();
    for ctx in Context::ALL {
        let mine: Vec<(String, Action)> = bindings
            .iter()
            .filter(|(c, _, _)| *c == ctx)
            .map(|(_, k, a)| (k.clone(), *a))
            .collect();
        if mine.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            text::fit(context_title(ctx), w),
            theme::header(),
        ));
        for e in entries(&mine, &app.doc.register().method) {
            lines.push(text::fit_spans(
                vec![
                    Span::styled(format!(" {}", text::pad(&e.keys, key_w)), theme::key()),
                    Span::raw(" "),
                    Span::raw(e.what),
                ],
                w,
            ));
        }
    }
    lines
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, scroll: usize) {
    let w = area.width.saturating_sub(4).min(110);
    let h = area.height.saturating_sub(2);
    let rect = popup::centered(area, w, h);
    let inner_w = rect.width.saturating_sub(2) as usize;
    let two = inner_w >= 90;
    let col_w = if two { (inner_w - 2) / 2 } else { inner_w };
    let all = lines(app, col_w);
    let rows = rect.height.saturating_sub(2) as usize;
    let page = if two { rows * 2 } else { rows };
    let scroll = scroll.min(all.len().saturating_sub(page));
    let shown_to = (scroll + page).min(all.len());
    let title = Line::from(vec![
        Span::styled(" Help ", theme::title()),
        Span::styled("keys of the keymap in force ", theme::dim()),
    ]);
    let mut bottom = vec![Span::styled(
        format!(
            " {}–{} of {} ",
            (scroll + 1).min(shown_to),
            shown_to,
            all.len()
        ),
        theme::dim(),
    )];
    bottom.extend(hints::spans(
        app,
        Context::Help,
        &[
            (Action::MoveDown, "down"),
            (Action::MoveUp, "up"),
            (Action::ToggleHelp, "close"),
        ],
    ));
    let bottom = Line::from(bottom);
    let inner = popup::frame_with_bottom(frame, rect, title, bottom);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let visible: Vec<Line> = all.into_iter().skip(scroll).take(page).collect();
    if two {
        let mut left: Vec<Line> = visible;
        let right = left.split_off(rows.min(left.len()));
        frame.render_widget(
            Paragraph::new(left),
            Rect {
                width: col_w as u16,
                ..inner
            },
        );
        frame.render_widget(
            Paragraph::new(right),
            Rect {
                x: inner.x + col_w as u16 + 2,
                width: (inner.width as usize - col_w - 2) as u16,
                ..inner
            },
        );
    } else {
        frame.render_widget(Paragraph::new(visible), inner);
    }
}
