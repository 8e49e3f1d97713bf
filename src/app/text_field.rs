//! A single-line text field for forms, backed by ratatui-textarea's editing
//! state (cursor movement, word deletion, its own undo).
//!
//! This is the one place in `app/` that names a ratatui crate: the text
//! area is editing *state*, and it is fed with our own terminal-free
//! [`KeyPress`] values, never with terminal events. The UI borrows it to draw.

use ratatui_textarea::{CursorMove, Input, Key, TextArea};

use crate::keymap::{KeyCode, KeyPress};

#[derive(Debug, Clone)]
pub struct TextField {
    area: TextArea<'static>,
}

impl Default for TextField {
    fn default() -> Self {
        TextField::new("")
    }
}

impl TextField {
    pub fn new(text: &str) -> TextField {
        // One line: newlines and tabs would break the single-line layout.
        let clean: String = text
            .chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .collect();
        let mut area = TextArea::new(vec![clean]);
        area.move_cursor(CursorMove::End);
        TextField { area }
    }

    pub fn text(&self) -> String {
        self.area.lines().join(" ")
    }

    pub fn set_text(&mut self, text: &str) {
        *self = TextField::new(text);
    }

    /// The text area, for drawing.
    pub fn area(&self) -> &TextArea<'static> {
        &self.area
    }

    /// Feeds a key; returns whether the text or cursor changed. Enter is
    /// never inserted (fields are one line).
    pub fn input(&mut self, key: KeyPress) -> bool {
        let k = match key.code {
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Delete => Key::Delete,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            _ => return false,
        };
        self.area.input(Input {
            key: k,
            ctrl: key.mods.ctrl,
            alt: key.mods.alt,
            shift: key.mods.shift,
        })
    }
}
