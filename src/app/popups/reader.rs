//! Read-only popups: help and explanations. Their scrolling is the
//! workbench's moving keys (see `App::move_by`); here, closing.

use super::Outcome;
use crate::app::action::Action;

/// Help: the help key or cancel closes it; enter leaves it open.
pub(super) fn help(action: Action) -> Option<Outcome> {
    match action {
        Action::ToggleHelp | Action::Cancel | Action::Deny => Some(Outcome::Close),
        Action::Submit => Some(Outcome::Stay),
        _ => None,
    }
}

/// An explanation (why a change happened, the message log): enter closes
/// it too.
pub(super) fn explanation(action: Action) -> Option<Outcome> {
    match action {
        Action::ToggleHelp | Action::Cancel | Action::Deny | Action::Submit => Some(Outcome::Close),
        _ => None,
    }
}
