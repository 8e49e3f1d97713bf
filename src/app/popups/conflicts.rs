//! The Conflicts list's moving and closing keys. Its answer keys (`o`
//! ours, `t` theirs, `e` edit) are keys no binding of its context claims,
//! handled like a question's answers (see `App::conflict_key`): one key
//! each, the same in every keymap.

use super::Outcome;
use crate::app::action::Action;

/// Moves the highlight among `n` conflicts, or closes the list.
pub(super) fn handle(selected: &mut usize, action: Action, n: usize) -> Option<Outcome> {
    let last = n.saturating_sub(1);
    *selected = match action {
        Action::MoveDown => (*selected + 1).min(last),
        Action::MoveUp => selected.saturating_sub(1),
        Action::PageDown => (*selected + 10).min(last),
        Action::PageUp => selected.saturating_sub(10),
        Action::GoTop => 0,
        Action::GoBottom => last,
        Action::ToggleHelp | Action::Cancel | Action::Deny | Action::Submit => {
            return Some(Outcome::Close);
        }
        _ => return None,
    };
    Some(Outcome::Stay)
}
