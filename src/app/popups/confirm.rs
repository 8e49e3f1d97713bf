//! A confirmation's keys: yes, no, cancel, and for a question with several
//! answers each answer's own key, the arrows and enter.

use super::{Outcome, Then};
use crate::app::Confirm;
use crate::app::action::Action;
use crate::keymap::{KeyCode, KeyPress};

/// Yes (or submit, when a keymap binds it here) carries out `on_yes`; no
/// carries out `on_no`, else closes; cancel carries out `on_cancel` (a
/// question whose closing would lose something says there what closing
/// means), else closes.
pub(super) fn handle(c: &mut Confirm, action: Action) -> Option<Outcome> {
    let answer = |what: &Option<crate::app::OnConfirm>| match what {
        Some(w) => Outcome::CloseThen(Then::Answer(w.clone())),
        None => Outcome::Close,
    };
    Some(match action {
        Action::Confirm | Action::Submit => Outcome::CloseThen(Then::Answer(c.on_yes.clone())),
        Action::Deny => answer(&c.on_no),
        Action::Cancel => answer(&c.on_cancel),
        _ => return None,
    })
}

/// A key no binding claims: in a question with several answers, an
/// answer's own key takes it, up/down (tab) move the highlight and enter
/// takes the highlighted one. `None`: the key means nothing here.
pub(super) fn answer_key(c: &mut Confirm, key: KeyPress) -> Option<Outcome> {
    if c.answers.is_empty() {
        return None;
    }
    let n = c.answers.len();
    let chosen = match key.code {
        KeyCode::Up => {
            c.selected = (c.selected + n - 1) % n;
            None
        }
        KeyCode::Down | KeyCode::Tab => {
            c.selected = (c.selected + 1) % n;
            None
        }
        KeyCode::Enter => Some(c.selected),
        KeyCode::Char(ch) if key.is_text() => c
            .answers
            .iter()
            .position(|a| a.key.eq_ignore_ascii_case(&ch)),
        _ => None,
    };
    let i = chosen?;
    let then = c.answers[i.min(n - 1)].then.clone();
    Some(Outcome::CloseThen(Then::Answer(then)))
}
