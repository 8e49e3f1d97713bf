//! A single-line text field for forms, backed by ratatui-textarea's editing
//! state (cursor movement, word deletion, its own undo).
//!
//! This is the one place in `app/` that names a ratatui crate: the text
//! area is editing *state*, and it is fed with our own terminal-free
//! [`KeyPress`] values, never with terminal events. The UI borrows it to draw.

use ratatui_textarea::{CursorMove, Input, Key, TextArea};

use crate::keymap::{KeyCode, KeyPress};

/// How many characters a field takes by default: titles, names, owners.
/// Long enough for any real title, short enough that every keystroke and
/// frame stays instant (the text area's own work grows with the length).
pub const MAX_FIELD_CHARS: usize = 2_000;

/// How many characters a note or reason takes.
pub const MAX_NOTE_CHARS: usize = 10_000;

#[derive(Debug, Clone)]
pub struct TextField {
    area: TextArea<'static>,
    /// Characters, counted (not recounted from the text on every key).
    chars: usize,
    /// Typing or pasting stops here. Text loaded from a file may be longer
    /// (it is never cut behind the user's back); it just cannot grow.
    limit: usize,
    /// The next typed character or paste replaces the whole text instead
    /// of adding to it (a spreadsheet cell just selected); any editing key
    /// (backspace, the arrows) clears this and keeps the text.
    replace: bool,
}

impl Default for TextField {
    fn default() -> Self {
        TextField::new("")
    }
}

/// One line: newlines and tabs would break the single-line layout.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == '\n' || c == '\t' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

impl TextField {
    pub fn new(text: &str) -> TextField {
        TextField::with_limit(text, MAX_FIELD_CHARS)
    }

    pub fn with_limit(text: &str, limit: usize) -> TextField {
        let clean = one_line(text);
        let chars = clean.chars().count();
        let mut area = TextArea::new(vec![clean]);
        area.move_cursor(CursorMove::End);
        TextField {
            area,
            chars,
            limit,
            replace: false,
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join(" ")
    }

    pub fn set_text(&mut self, text: &str) {
        *self = TextField::with_limit(text, self.limit);
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Typing a character now would go past the limit.
    pub fn is_full(&self) -> bool {
        self.chars >= self.limit
    }

    /// Makes the next typed character or paste replace the text (a number
    /// or date field the focus just arrived on). Nothing to replace in an
    /// empty field.
    pub fn replace_on_type(&mut self) {
        self.replace = self.chars > 0;
    }

    /// Whether the next typed character or paste replaces the text.
    pub fn replaces_on_type(&self) -> bool {
        self.replace
    }

    /// Empties the field when the next input is to replace it.
    fn take_replace(&mut self) {
        if std::mem::take(&mut self.replace) {
            self.set_text("");
        }
    }

    /// Inserts pasted text at the cursor as one edit, cut to the room left;
    /// returns how many characters did not fit (0: all of it went in).
    pub fn paste(&mut self, text: &str) -> usize {
        self.take_replace();
        let clean = one_line(text);
        let room = self.limit.saturating_sub(self.chars);
        let total = clean.chars().count();
        let taken: String = clean.chars().take(room).collect();
        let n = taken.chars().count();
        if n > 0 {
            self.area.insert_str(taken);
            self.chars += n;
        }
        total - n
    }

    /// The text area, for drawing.
    pub fn area(&self) -> &TextArea<'static> {
        &self.area
    }

    /// Feeds a key; returns whether the text or cursor changed. Enter is
    /// never inserted (fields are one line).
    pub fn input(&mut self, key: KeyPress) -> bool {
        match key.code {
            // A plain character replaces a value waiting to be replaced.
            KeyCode::Char(_) if key.is_text() => self.take_replace(),
            // Editing keys (ctrl-k too) keep the value and then typing adds.
            KeyCode::Char(_)
            | KeyCode::Backspace
            | KeyCode::Delete
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::Home
            | KeyCode::End => self.replace = false,
            _ => {}
        }
        let k = match key.code {
            // A plain character past the limit is refused (ctrl- and alt-
            // combinations edit, they do not insert).
            KeyCode::Char(_) if key.is_text() && self.is_full() => return false,
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Delete => Key::Delete,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            _ => return false,
        };
        let changed = self.area.input(Input {
            key: k,
            ctrl: key.mods.ctrl,
            alt: key.mods.alt,
            shift: key.mods.shift,
        });
        if changed {
            // Deletions (and the text area's own undo) change the length by
            // any amount: count again, once per edit.
            self.chars = self.area.lines().iter().map(|l| l.chars().count()).sum();
        }
        changed
    }
}
