//! Key hints built from the keymap in force (so a user's keymap shows its
//! own keys): "enter choose · ↓ next · esc close".

use ratatui::text::{Line, Span};

use super::theme;
use crate::app::{Action, App};
use crate::keymap::Context;

/// Arrows as arrows; everything else as the keymap spells it.
fn pretty(keys: &str) -> String {
    keys.split(' ')
        .map(|k| match k {
            "up" => "↑",
            "down" => "↓",
            "left" => "←",
            "right" => "→",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The shortest key bound to `action` in `ctx`, else in `global` (unless
/// `ctx` types text and the global key is a printable character).
pub fn key(app: &App, ctx: Context, action: Action) -> Option<String> {
    let all = app.keymap.keys_for(action);
    // Esc and enter are what people expect for cancel and submit; otherwise
    // the shortest key, lower case first ("y" before "Y").
    let conventional = |k: &str| {
        matches!(
            (action, k),
            (Action::Cancel, "esc")
                | (Action::Submit, "enter")
                | (Action::Deny, "n")
                | (Action::NextField, "tab")
                | (Action::PrevField, "backtab")
                | (Action::SortNext, "s")
                | (Action::ToggleHelp, "esc")
        )
    };
    let shortest = |c: Context| {
        all.iter()
            .filter(|(x, _)| *x == c)
            .map(|(_, k)| k.clone())
            .min_by_key(|k| {
                (
                    !conventional(k),
                    k.chars().count(),
                    k.chars().any(char::is_uppercase),
                    k.clone(),
                )
            })
    };
    shortest(ctx)
        .or_else(|| {
            shortest(Context::Global).filter(|k| !(ctx.is_text_input() && k.chars().count() == 1))
        })
        .map(|k| pretty(&k))
}

/// " k1 what1 · k2 what2 " for the actions that have a key.
pub fn spans(app: &App, ctx: Context, items: &[(Action, &str)]) -> Vec<Span<'static>> {
    let mut out = vec![Span::raw(" ")];
    let mut first = true;
    for (action, what) in items {
        let Some(k) = key(app, ctx, *action) else {
            continue;
        };
        if !first {
            out.push(Span::styled(" · ", theme::dim()));
        }
        first = false;
        out.push(Span::styled(k, theme::key()));
        out.push(Span::styled(format!(" {what}"), theme::dim()));
    }
    out.push(Span::raw(" "));
    out
}

pub fn line(app: &App, ctx: Context, items: &[(Action, &str)]) -> Line<'static> {
    Line::from(spans(app, ctx, items))
}
