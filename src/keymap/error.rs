//! The one error type of keymap loading.

use std::fmt;

/// A keymap that could not be read or parsed, with the place to look.
///
/// Displays as `FILE:LINE:COL: message`; when there is no position (an I/O
/// error, `line == 0`) as `FILE: message`. Lines and columns are 1-based and
/// count characters, like ron's. Control and bidi characters in the file
/// name and the message are shown escaped ([`crate::escape::for_terminal`]):
/// a message quotes key names from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl KeymapError {
    /// An error without a position.
    pub(crate) fn unpositioned(file: impl Into<String>, message: impl Into<String>) -> Self {
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
        // The file name and the message (which may quote the file's text)
        // are escaped: this is shown on a terminal.
        let file = crate::escape::for_terminal(&self.file);
        let message = crate::escape::for_terminal(&self.message);
        if self.line == 0 {
            write!(f, "{file}: {message}")
        } else {
            write!(f, "{file}:{}:{}: {message}", self.line, self.col)
        }
    }
}

impl std::error::Error for KeymapError {}
