//! Resolving the conflicts `riskbench merge` recorded (REGISTER.md §5
//! `conflicts`): the Conflicts list (`C`) shows one row per conflict with
//! what each side has, and resolves the highlighted one with one key:
//!
//! - `o` keeps ours: the register already holds ours, so the entry goes;
//! - `t` takes theirs: the recorded value is parsed into the field's type
//!   and put in place (a whole entity inserted, replaced or deleted), and
//!   the entry goes;
//! - `e` edits: the list closes and the entity's own form opens in its
//!   view; the entry stays until `o` keeps what the register then holds.
//!
//! Each resolution is one undoable edit (the whole register before and
//! after: exact, and a resolution is rare enough for the copy not to
//! matter). When the last entry goes the list closes, and the register is
//! saved without a `conflicts` field (canonical writing omits it empty).

use super::edit::Edit;
use super::{Action, App, Effect, Modal, View};
use crate::domain::Catalog;
use crate::domain::merge::{describe, take_ours, take_theirs};
use crate::keymap::{Context, KeyCode, KeyPress};

impl App {
    /// Opens the Conflicts list, or says there is nothing to resolve.
    pub(super) fn show_conflicts(&mut self) {
        if self.doc.register().conflicts.is_empty() {
            self.info("No merge conflicts in this register");
            return;
        }
        self.modals.push(Modal::Conflicts { selected: 0 });
    }

    /// On opening a register with conflicts: the status line says so and
    /// names the key.
    pub(super) fn announce_conflicts(&mut self) {
        let n = self.doc.register().conflicts.len();
        if n > 0 {
            let key = self.conflicts_key();
            // Short, the key first: the status bar cuts a long message.
            self.error(format!(
                "{n} merge conflict{}: press {key} to resolve (o ours · t theirs · e edit)",
                if n == 1 { "" } else { "s" }
            ));
        }
    }

    fn conflicts_key(&self) -> String {
        self.keymap
            .keys_for(Action::ShowConflicts)
            .into_iter()
            .filter(|(c, _)| *c == Context::Table)
            .map(|(_, k)| k)
            .min_by_key(|k| (k.chars().count(), k.clone()))
            .unwrap_or_else(|| format!(": {}", Action::ShowConflicts.describe()))
    }

    /// An answer key in the Conflicts list, for conflict `at`.
    pub(super) fn conflict_key(&mut self, at: usize, key: KeyPress) -> Vec<Effect> {
        let KeyCode::Char(ch) = key.code else {
            return Vec::new();
        };
        if !key.is_text() {
            return Vec::new();
        }
        let Some(c) = self.doc.register().conflicts.get(at).cloned() else {
            return Vec::new();
        };
        let what = describe(&c);
        let resolved = match ch {
            'o' => take_ours(self.doc.register(), at)
                .map(|r| (r, format!("Kept ours: {what}")))
                .ok_or_else(String::new),
            't' => {
                take_theirs(self.doc.register(), at).map(|r| (r, format!("Took theirs: {what}")))
            }
            'e' => {
                self.edit_conflict(&c.entity, &c.id);
                return Vec::new();
            }
            _ => {
                self.info(
                    "Conflicts: o keeps ours, t takes theirs, e edits the entity, esc closes",
                );
                return Vec::new();
            }
        };
        match resolved {
            Ok((after, message)) => {
                let before = Box::new(self.doc.register().clone());
                self.apply_edit(
                    Edit::Whole {
                        before,
                        after: Box::new(after),
                    },
                    message,
                );
                let left = self.doc.register().conflicts.len();
                match self.modals.last_mut() {
                    Some(Modal::Conflicts { .. }) if left == 0 => {
                        self.modals.pop();
                    }
                    Some(Modal::Conflicts { selected }) => *selected = at.min(left - 1),
                    _ => {}
                }
            }
            Err(e) if !e.is_empty() => self.error(e),
            Err(_) => {}
        }
        Vec::new()
    }

    /// Closes the list and opens the form of the conflict's entity in its
    /// view; an entity no view edits (the method, the header, a baseline)
    /// or one that is not in the register (ours deleted it) is said so.
    fn edit_conflict(&mut self, entity: &str, id: &str) {
        let reg = self.doc.register();
        let catalog = Catalog::annex_a();
        let pos = |ids: &mut dyn Iterator<Item = &str>| position(ids, id);
        let own =
            || pos(&mut reg.own_controls.iter().map(|c| c.id.as_str())).map(|k| catalog.len() + k);
        let target = match entity {
            "risk" => Some((
                View::Risks,
                pos(&mut reg.risks.iter().map(|r| r.id.as_str())),
            )),
            "asset" => Some((
                View::Assets,
                pos(&mut reg.assets.iter().map(|a| a.id.as_str())),
            )),
            "threat" => Some((
                View::Threats,
                pos(&mut reg.threats.iter().map(|t| t.id.as_str())),
            )),
            "factor" => Some((
                View::Environment,
                pos(&mut reg.factors.iter().map(|f| f.id.as_str())),
            )),
            "action" => Some((
                View::Plan,
                pos(&mut reg.actions.iter().map(|a| a.id.as_str())),
            )),
            "control" => Some((View::Controls, catalog.index_of(id).or_else(own))),
            "own_control" => Some((View::Controls, own())),
            "decision" => Some((View::Soa, catalog.index_of(id))),
            _ => None,
        };
        match target {
            Some((view, Some(item))) => {
                self.modals.pop();
                self.reveal(view, item);
                self.edit_selected();
            }
            Some((_, None)) => self.info(format!(
                "{entity} {id} is not in the register (ours deleted it): t takes theirs back, o leaves it deleted"
            )),
            None => self.info(format!(
                "The {entity}'s conflict has no form here: t takes theirs, o keeps ours, or edit the file"
            )),
        }
    }
}

/// Where `id` is among `ids`.
fn position(ids: &mut dyn Iterator<Item = &str>, id: &str) -> Option<usize> {
    let mut found = None;
    for (at, x) in ids.enumerate() {
        if x == id {
            found = Some(at);
            break;
        }
    }
    found
}
