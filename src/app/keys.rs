//! Keys and typed text: a key press goes through the keymap of the
//! context the popups derive; a key no binding claims is text for the
//! focused input (filter, picker query, form field, prompt); a paste is
//! one edit.

use super::form::FieldKind;
use super::update::MAX_QUERY_CHARS;
use super::{App, Effect, Modal};
use crate::keymap::{Context, KeyCode, KeyPress, Lookup};

impl App {
    /// Feeds one key press through the keymap of the active context.
    pub fn handle_key(&mut self, key: KeyPress) -> Vec<Effect> {
        let ctx = self.context();
        self.pending.push(key);
        match self.keymap.lookup(ctx, &self.pending) {
            Lookup::Action(action) => {
                self.pending.clear();
                self.update(action)
            }
            Lookup::Pending(_) => Vec::new(),
            Lookup::Unbound => {
                let was_sequence = self.pending.len() > 1;
                self.pending.clear();
                if was_sequence {
                    // `g x`: the sequence is abandoned, like helix does.
                    return Vec::new();
                }
                if ctx == Context::Confirm {
                    return self.answer_key(key);
                }
                if let Some(Modal::Conflicts { selected }) = self.modals.last() {
                    let at = *selected;
                    return self.conflict_key(at, key);
                }
                if ctx == Context::Help {
                    // Help and explanations are read-only: a key they do
                    // not use is not passed to the table under them.
                    let close = self.popup_close_key();
                    self.info(format!("This popup is read-only: {close} closes it"));
                    return Vec::new();
                }
                self.text_input(ctx, key);
                Vec::new()
            }
        }
    }

    /// Feeds a sequence of keys written as in keymap files (`"L 3"`,
    /// `"ctrl-s"`); for tests and scripted sessions.
    pub fn handle_keys(&mut self, keys: &str) -> Result<Vec<Effect>, String> {
        let mut effects = Vec::new();
        for token in keys.split_whitespace() {
            let k = KeyPress::parse(token).map_err(|e| e.to_string())?;
            effects.extend(self.handle_key(k));
        }
        Ok(effects)
    }

    /// Types text into the focused text input, if any.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let ctx = self.context();
            self.text_input(
                ctx,
                KeyPress {
                    code: KeyCode::Char(c),
                    mods: Default::default(),
                },
            );
        }
    }

    /// Pasted text (a bracketed paste: one event however long), for the
    /// focused text input, taken in one edit and cut to what the input
    /// takes. Outside a text input it is ignored, so a paste can never
    /// turn into a stream of commands.
    pub fn paste(&mut self, text: &str) {
        let ctx = self.context();
        let one_line: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let cut = match ctx {
            Context::Filter => {
                let view = self.view;
                let t = self.table_mut(view);
                let room = MAX_QUERY_CHARS.saturating_sub(t.filter.chars().count());
                t.filter.extend(one_line.chars().take(room));
                if self.defer_filter {
                    self.filter_stale = true;
                } else {
                    self.rebuild_filtered(false);
                }
                one_line.chars().count().saturating_sub(room)
            }
            Context::Picker | Context::Palette => {
                let Some(Modal::Picker(p) | Modal::Palette(p)) = self.modals.last_mut() else {
                    return;
                };
                let room = MAX_QUERY_CHARS.saturating_sub(p.query.chars().count());
                p.query.extend(one_line.chars().take(room));
                p.refilter();
                one_line.chars().count().saturating_sub(room)
            }
            Context::Form => {
                let field = match self.modals.last_mut() {
                    Some(Modal::Prompt(p)) => Some(&mut p.field),
                    Some(Modal::Form(form)) => {
                        form.error = None;
                        form.touch();
                        form.focused_mut().and_then(|f| f.text_field_mut())
                    }
                    _ => None,
                };
                let Some(field) = field else {
                    self.info("Paste goes into a text field; this one is chosen, not typed");
                    return;
                };
                let limit = field.limit();
                match field.paste(text) {
                    0 => 0,
                    n => {
                        self.error(format!(
                            "Pasted text cut: this field takes at most {limit} characters \
                             ({n} left out)"
                        ));
                        return;
                    }
                }
            }
            _ => {
                self.info("Nothing to paste into here (paste into a form field or the filter)");
                return;
            }
        };
        if cut > 0 {
            self.error(format!(
                "Pasted text cut: a search takes at most {MAX_QUERY_CHARS} characters"
            ));
        }
    }

    /// A key no binding claimed: text for the focused input.
    pub(super) fn text_input(&mut self, ctx: Context, key: KeyPress) {
        let ch = match key.code {
            KeyCode::Char(c) if key.is_text() => Some(c),
            _ => None,
        };
        match ctx {
            Context::Filter => {
                let view = self.view;
                let t = self.table_mut(view);
                match (ch, key.code) {
                    (Some(_), _) if t.filter.chars().count() >= MAX_QUERY_CHARS => {
                        self.error(format!(
                            "A search takes at most {MAX_QUERY_CHARS} characters"
                        ));
                        return;
                    }
                    (Some(c), _) => t.filter.push(c),
                    (None, KeyCode::Backspace) => {
                        t.filter.pop();
                    }
                    _ => return,
                }
                if self.defer_filter {
                    self.filter_stale = true;
                } else {
                    self.rebuild_filtered(false);
                }
            }
            Context::Picker | Context::Palette => {
                let Some(Modal::Picker(p) | Modal::Palette(p)) = self.modals.last_mut() else {
                    return;
                };
                match (ch, key.code) {
                    (Some(_), _) if p.query.chars().count() >= MAX_QUERY_CHARS => {}
                    (Some(c), _) => p.type_char(c),
                    (None, KeyCode::Backspace) => p.backspace(),
                    _ => {}
                }
            }
            Context::Form => match self.modals.last_mut() {
                Some(Modal::Prompt(p)) => {
                    p.field.input(key);
                }
                Some(Modal::Form(form)) => {
                    form.touch();
                    let Some(field) = form.focused_mut() else {
                        return;
                    };
                    if let (Some(_), Some(t)) = (ch, field.text_field_mut())
                        && t.is_full()
                    {
                        let limit = t.limit();
                        self.error(format!("This field takes at most {limit} characters"));
                        return;
                    }
                    let is_choice = matches!(field.kind, FieldKind::Choice { .. });
                    if field.input(key) {
                        form.error = None;
                    } else if let (Some(c), Some(source)) = (ch, field.picker_source()) {
                        // Typing on a link field opens its picker with the
                        // typed text as the query.
                        let field_index = form.focus;
                        self.open_field_picker(field_index, source, Some(c));
                    } else if let (Some(c), true) = (ch, is_choice) {
                        self.info(format!("No option starts with {c:?}"));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
}
