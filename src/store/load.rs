//! Loading a register: bytes → UTF-8 → RON → [`Register`], every failure
//! reported as `FILE:LINE:COLUMN: message`. The bytes come through
//! [`super::read::read_regular`]: a FIFO, a device or a directory is refused
//! before anything is read, and no more than [`MAX_FILE_BYTES`] is read.

use std::fmt;
use std::path::Path;

use crate::domain::Register;

use super::locate::{Located, nesting_too_deep};

/// Registers larger than this are refused before parsing, and reading
/// stops here whatever the file claims (a 100,000-risk register is about
/// 45 MiB).
pub(crate) const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Nesting deeper than this is refused (a register needs about 6 levels).
pub(crate) const MAX_NESTING: usize = 64;

/// Displays as `FILE:LINE:COL: message` (`FILE: message` without a
/// position), control and bidi characters in both escaped
/// ([`crate::escape::for_terminal`]): it is shown on a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    /// 1-based; 0 when the error has no position (e.g. the file is missing).
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
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

impl std::error::Error for LoadError {}

/// A register as loaded, with what is needed to report positions and to
/// notice later whether the file changed on disk.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub register: Register,
    /// Hash of the file's bytes at load time.
    pub content_hash: u64,
}

/// A fast 64-bit hash of the file's bytes (eight bytes at a time, then a
/// final mix), stable across runs and platforms. It only has to notice that
/// a file changed, not resist an adversary.
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

/// Loads a register and keeps its text, so findings can be given file
/// positions (the commands that print findings use this; the workbench does
/// not keep the text).
pub(crate) fn load_file_located(path: &Path) -> Result<(Loaded, Located), LoadError> {
    let bytes = read_bytes(path)?;
    let loaded = parse_bytes(&path.display().to_string(), &bytes)?;
    // parse_bytes succeeded, so the bytes are UTF-8.
    let text = String::from_utf8(bytes).unwrap_or_default();
    Ok((loaded, Located::new(text)))
}

pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let bytes = read_bytes(path)?;
    parse_bytes(&path.display().to_string(), &bytes)
}

/// Reads a register through [`super::read::read_regular`]: regular files
/// only (a FIFO or `/dev/zero` is refused, never read), at most
/// [`MAX_FILE_BYTES`].
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    use super::read::ReadError;
    let message = match super::read::read_regular(path, MAX_FILE_BYTES) {
        Ok(bytes) => return Ok(bytes),
        Err(ReadError::NotRegular(kind)) => {
            format!("is {kind}, not a regular file; a register is read only from a regular file")
        }
        Err(ReadError::TooLarge { size, .. }) => format!(
            "the file is {}; registers above {MAX_FILE_BYTES} bytes are refused",
            size.map_or_else(|| "larger".to_string(), |s| format!("{s} bytes"))
        ),
        Err(e) => e.to_string(),
    };
    Err(LoadError {
        file: path.display().to_string(),
        line: 0,
        col: 0,
        message,
    })
}

/// Parses file contents; `file` is only used in messages.
pub fn parse_bytes(file: &str, bytes: &[u8]) -> Result<Loaded, LoadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            // The valid prefix is UTF-8 by definition.
            let prefix = String::from_utf8_lossy(valid);
            let line = prefix.matches('\n').count() + 1;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(LoadError {
                file: file.to_string(),
                line,
                col,
                message: "the file is not valid UTF-8".into(),
            });
        }
    };
    let mut loaded = parse_str(file, text)?;
    loaded.content_hash = content_hash(bytes);
    Ok(loaded)
}

pub fn parse_str(file: &str, text: &str) -> Result<Loaded, LoadError> {
    let err = |line: usize, col: usize, message: String| LoadError {
        file: file.to_string(),
        line,
        col,
        message,
    };
    let body = text.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Err(err(
            1,
            1,
            "the file is empty; expected `Register(...)`".into(),
        ));
    }
    // No stack-depth pre-scan is needed: the register's types are not
    // recursive, so serde never nests deeper than they do, and ron's own
    // recursion limit stops anything else (tests feed 10,000-deep input).
    // When parsing fails, absurd nesting gets the clearer message.
    let options = ron::Options::default().with_recursion_limit(MAX_NESTING);
    match options.from_str::<Register>(body) {
        Ok(register) => Ok(Loaded {
            register,
            content_hash: content_hash(text.as_bytes()),
        }),
        Err(_) if nesting_too_deep(body, MAX_NESTING).is_some() => {
            let (line, col) = nesting_too_deep(body, MAX_NESTING).unwrap_or((1, 1));
            Err(err(
                line,
                col,
                format!("nesting is deeper than {MAX_NESTING} levels; this is not a register"),
            ))
        }
        // Refused after the whole register was read (the schema line may
        // come after it): point at the field as for any unknown field.
        Err(e)
            if matches!(&e.code, ron::Error::Message(m)
                if m == crate::domain::schema2::BASELINE_IN_SCHEMA_2) =>
        {
            let (line, col) = super::locate::SourceMap::build(body)
                .top_level_key("baseline")
                .unwrap_or((e.span.start.line, e.span.start.col));
            Err(err(line, col, describe(&e.code)))
        }
        Err(e) => {
            let (start_line, start_col) = (e.span.start.line, e.span.start.col);
            let in_comment = matches!(
                e.code,
                ron::Error::UnclosedBlockComment | ron::Error::UnclosedLineComment
            );
            let (line, mut col) = if in_comment {
                (start_line, start_col)
            } else {
                skip_blank(body, start_line, start_col)
            };
            let message = match &e.code {
                // `shift: 1.5`: ron reads `1` and then trips over `.5`;
                // point at the number and say what is wrong with it.
                ron::Error::ExpectedComma if char_at(body, line, col) == Some('.') => {
                    while col > 1
                        && char_at(body, line, col - 1)
                            .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+')
                    {
                        col -= 1;
                    }
                    "expected a whole number (an integer), found a fraction".to_string()
                }
                code => describe(code),
            };
            Err(err(line, col, message))
        }
    }
}

/// ron's messages, reworded where they would puzzle a register's author.
fn describe(code: &ron::Error) -> String {
    match code {
        ron::Error::Eof => "unexpected end of file (a bracket or parenthesis is not closed)".into(),
        ron::Error::ExpectedInteger => "expected a whole number (an integer)".into(),
        ron::Error::ExpectedBoolean => "expected true or false".into(),
        ron::Error::ExpectedString => "expected a string in double quotes".into(),
        ron::Error::ExpectedStringEnd => "a string is not closed (missing `\"`)".into(),
        ron::Error::ExpectedOption => "expected Some(...) or None".into(),
        ron::Error::ExpectedDifferentStructName { expected, found } => {
            format!("expected `{expected}(...)`, found `{found}`")
        }
        other => other.to_string(),
    }
}

/// The character at a 1-based (line, column), counting columns in chars.
fn char_at(text: &str, line: usize, col: usize) -> Option<char> {
    text.lines()
        .nth(line.checked_sub(1)?)?
        .chars()
        .nth(col.checked_sub(1)?)
}

/// ron reports some errors at the whitespace before the offending token;
/// move the position forward to the token itself so it points at the
/// problem, not at the end of the previous line.
fn skip_blank(text: &str, line: usize, col: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.split('\n').collect();
    let (mut l, mut c) = (line, col);
    loop {
        let Some(row) = l.checked_sub(1).and_then(|i| lines.get(i)) else {
            return (line, col);
        };
        match row.chars().nth(c.saturating_sub(1)) {
            Some(ch) if ch.is_whitespace() => c += 1,
            Some(_) => return (l, c),
            // Past the end of this line: continue at the next one.
            None => {
                if l >= lines.len() {
                    return (line, col);
                }
                l += 1;
                c = 1;
            }
        }
    }
}
