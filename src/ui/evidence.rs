//! The evidence lines of the Controls and SoA detail pane: the newest item
//! in full (what, when and how old, who, where), then how many older ones
//! there are, and the keys that list and copy them.

use ratatui::text::{Line, Span};

use super::{text, theme};
use crate::app::App;
use crate::app::action::Action;
use crate::domain::evidence::{MISSING, STALE, newest_evidence};
use crate::keymap::Context;

/// The table key bound to `action`, shortest first (empty when unbound).
fn key(app: &App, action: Action) -> String {
    app.keymap
        .keys_for(action)
        .into_iter()
        .filter(|(c, _)| *c == Context::Table)
        .map(|(_, k)| k)
        .min_by_key(|k| (k.chars().count(), k.clone()))
        .unwrap_or_default()
}

/// Lines about the evidence of control `id`, `w` columns wide.
pub fn lines(app: &App, id: &str, w: usize) -> Vec<Line<'static>> {
    let reg = app.doc.register();
    let an = app.doc.analysis();
    let state = an
        .eval
        .lookups
        .control_state
        .get(id)
        .and_then(|&s| reg.controls.get(s));
    let warned = |code: &str| an.findings.iter().any(|f| f.code == code && f.at == id);
    let label = Span::styled(format!("{:<12}", "Evidence"), theme::dim());
    let add = key(app, Action::Evidence);
    let Some(n) = newest_evidence(state, an.eval.today) else {
        let (what, style) = if warned(MISSING) {
            ("none, though Implemented and relied on", theme::error())
        } else {
            ("none recorded", theme::dim())
        };
        return vec![text::fit_spans(
            vec![
                label,
                Span::styled(what.to_string(), style),
                Span::styled(format!(" · {add} adds"), theme::dim()),
            ],
            w,
        )];
    };
    let e = n.item;
    let age_style = if warned(STALE) {
        theme::warning()
    } else {
        theme::good()
    };
    let mut first = vec![
        label,
        Span::raw(format!("{} ", e.what)),
        Span::styled(format!("{} ({} days)", e.on, n.age_days), age_style),
    ];
    if !e.by.trim().is_empty() {
        first.push(Span::raw(format!(" · {}", e.by)));
    }
    let mut second = vec![Span::raw(" ".repeat(12))];
    if !e.at.trim().is_empty() {
        second.push(Span::styled(e.at.clone(), theme::key()));
        let copy = key(app, Action::CopyEvidenceLink);
        second.push(Span::styled(
            format!(" ({copy} copies it) · "),
            theme::dim(),
        ));
    }
    let older = state.map_or(0, |s| s.evidence.len()).saturating_sub(1);
    second.push(Span::styled(
        if older > 0 {
            format!(
                "{} · {add} lists them",
                crate::app::plural(older, "older item")
            )
        } else {
            format!("{add} adds another")
        },
        theme::dim(),
    ));
    vec![text::fit_spans(first, w), text::fit_spans(second, w)]
}
