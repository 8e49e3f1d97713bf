//! The one error type of keymap loading.

use std::fmt;

/// A keymap that could not be read or parsed, with the place to look.
///
/// Displays as `FILE:LINE:COL: message`; when there is no position (an I/O
/// error, `line == 0`) as `FILE: message`. Lines and columns are 1-based and
/// count characters, like ron's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl KeymapError {
    /// An error without a position.
    pub fn unpositioned(file: impl Into<String>, message: impl Into<String>) -> Self {
        KeymapError {
            file: file.into(),
            line: 0,
            col: 0,
            message: message.into(),
        }
    }
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.col, self.message
            )
        }
    }
}

impl std::error::Error for KeymapError {}
