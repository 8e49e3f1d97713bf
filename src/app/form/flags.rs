//! A field of on/off flags, each with its own letter: a risk's C, I and A
//! (which security properties it is about, ISO/IEC 27001 6.1.2 c).
//!
//! Typing a flag's letter toggles it wherever the highlight is, so "c a"
//! reads as it is typed; left/right move a highlight and space toggles
//! the highlighted flag, for those who browse rather than type. The value
//! as shown ("C·A", "—" for none) is what the form compares to see
//! whether anything changed.

use super::{Field, FieldId, FieldKind, Form};
use crate::domain::Cia;
use crate::keymap::{KeyCode, KeyPress};

/// The flags of one field, in their fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flags {
    /// Each flag's letter (upper case, as shown) and its name.
    pub names: Vec<(char, &'static str)>,
    /// Which flags are on, in `names` order.
    pub on: Vec<bool>,
    /// The highlighted flag (space toggles it).
    pub selected: usize,
}

/// What the form shows for no flag on.
pub const NONE: &str = "—";

impl Flags {
    /// The value as shown: the letters that are on, joined by "·" (the
    /// Risks table's CIA column reads the same), or "—".
    pub fn display(&self) -> String {
        let on: Vec<String> = self
            .names
            .iter()
            .zip(&self.on)
            .filter(|(_, on)| **on)
            .map(|((c, _), _)| c.to_string())
            .collect();
        if on.is_empty() {
            NONE.to_string()
        } else {
            on.join("·")
        }
    }

    /// A letter toggles its flag; left/right move the highlight; space
    /// toggles the highlighted one. False for any other key (so the form
    /// can use it).
    pub fn input(&mut self, key: KeyPress) -> bool {
        let last = self.names.len().saturating_sub(1);
        match key.code {
            KeyCode::Left => self.selected = self.selected.saturating_sub(1).min(last),
            KeyCode::Right => self.selected = (self.selected + 1).min(last),
            KeyCode::Char(' ') => self.toggle(self.selected),
            KeyCode::Char(c) if key.is_text() => {
                match self
                    .names
                    .iter()
                    .position(|(l, _)| l.to_lowercase().eq(c.to_lowercase()))
                {
                    Some(i) => {
                        self.selected = i;
                        self.toggle(i);
                    }
                    None => return false,
                }
            }
            _ => return false,
        }
        true
    }

    fn toggle(&mut self, i: usize) {
        if let Some(on) = self.on.get_mut(i) {
            *on = !*on;
        }
    }
}

/// `cia` as the Risks table's column shows it: "C·A", or "—" for none
/// (always in C, I, A order, whatever the file's order).
pub fn cia_text(cia: &[Cia]) -> String {
    let on: Vec<String> = Cia::ALL
        .iter()
        .filter(|c| cia.contains(c))
        .map(|c| c.letter().to_string())
        .collect();
    if on.is_empty() {
        NONE.to_string()
    } else {
        on.join("·")
    }
}

impl Field {
    /// A C/I/A field for a risk's `cia`.
    pub(super) fn cia(id: impl Into<FieldId>, cia: &[Cia]) -> Field {
        Field::new(
            id,
            FieldKind::Flags(Flags {
                names: Cia::ALL.iter().map(|c| (c.letter(), c.as_str())).collect(),
                on: Cia::ALL.iter().map(|c| cia.contains(c)).collect(),
                selected: 0,
            }),
        )
    }
}

impl Form {
    /// The properties switched on in the C/I/A field `id`, in C, I, A
    /// order (none when the form has no such field).
    pub(super) fn cia(&self, id: impl Into<FieldId>) -> Vec<Cia> {
        match self.field(id) {
            Some(Field {
                kind: FieldKind::Flags(f),
                ..
            }) => Cia::ALL
                .iter()
                .zip(&f.on)
                .filter(|(_, on)| **on)
                .map(|(c, _)| *c)
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyPress {
        KeyPress {
            code: c,
            mods: Default::default(),
        }
    }

    #[test]
    fn letters_toggle_and_the_value_reads_like_the_column() {
        let mut f = Flags {
            names: Cia::ALL.iter().map(|c| (c.letter(), c.as_str())).collect(),
            on: vec![false; 3],
            selected: 0,
        };
        assert_eq!(f.display(), "—");
        assert!(f.input(key(KeyCode::Char('a'))));
        assert!(f.input(key(KeyCode::Char('C'))));
        assert_eq!(f.display(), "C·A");
        assert_eq!(
            f.display(),
            cia_text(&[Cia::Availability, Cia::Confidentiality])
        );
        assert!(f.input(key(KeyCode::Right)));
        assert!(f.input(key(KeyCode::Char(' '))));
        assert_eq!(f.display(), "C·I·A");
        assert!(!f.input(key(KeyCode::Char('x'))));
        assert!(f.input(key(KeyCode::Char('c'))));
        assert_eq!(f.display(), "I·A");
    }
}
