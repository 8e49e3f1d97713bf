//! A lean load for the commands that only read a register once and keep no
//! positions (`soa`, `risks`, `plan`): [`load_compact`].
//!
//! Parsing needs the whole text in memory, next to the register it builds;
//! for a 100,000-risk register that was the peak of `soa --format xlsx`
//! (52 MB of text beside 46 MB of register). About 44 % of a canonical
//! file is indentation and spaces, so the file is streamed through a small
//! buffer into a copy without the whitespace between tokens (29 MB), and
//! that copy is parsed: the same register (see BENCHMARKS.md).
//!
//! The compaction keeps the meaning exactly or gives up:
//! - text inside strings is copied byte for byte (escapes included);
//! - whitespace between two tokens that could run together (`8 0`, or a
//!   word before a string, `r "x"`) is kept as one space, so nothing that
//!   was an error becomes valid;
//! - anything it does not model — a comment, a raw string, a character
//!   literal, `#` (extensions, raw identifiers) — makes it give up, and so
//!   does any failure (UTF-8, parse): the caller then loads the file the
//!   usual way, which reports the error at its line and column. Only a
//!   register that parses takes this path.

use std::io::Read;
use std::path::Path;

use crate::domain::Register;

use super::load::{LoadError, MAX_FILE_BYTES, load_file, parse_str};
use super::read::{ReadError, open_regular};

/// Loads `path` as [`load_file`] does, but parses a compacted copy of its
/// text when it can (module documentation). Errors are [`load_file`]'s,
/// with their positions.
pub fn load_compact(path: &Path) -> Result<Register, LoadError> {
    if let Ok(Some(bytes)) = compact_file(path, MAX_FILE_BYTES)
        && let Ok(text) = std::str::from_utf8(&bytes)
        && let Ok(loaded) = parse_str(&path.display().to_string(), text)
    {
        return Ok(loaded.register);
    }
    load_file(path).map(|loaded| loaded.register)
}

/// The compacted text of a regular file of at most `limit` bytes, or
/// `None` when it holds something compaction does not model.
pub(crate) fn compact_file(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    let mut reader = file.take(limit.saturating_add(1));
    let mut compactor = Compactor::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf).map_err(ReadError::Io)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > limit {
            return Err(ReadError::TooLarge { size: None, limit });
        }
        if !compactor.feed(&buf[..n]) {
            return Ok(None);
        }
    }
    Ok(compactor.finish())
}

/// Compacts text fed in pieces (a piece may end anywhere, even inside a
/// string or a character's bytes).
#[derive(Default)]
pub(crate) struct Compactor {
    out: Vec<u8>,
    in_string: bool,
    /// Inside a string, the previous byte was an unescaped backslash.
    escaped: bool,
    /// Whitespace was skipped since the last byte written.
    gap: bool,
    /// The previous byte of the input (not of the output).
    previous: u8,
}

impl Compactor {
    /// Takes the next piece; `false` means give up.
    pub(crate) fn feed(&mut self, bytes: &[u8]) -> bool {
        for &b in bytes {
            if !self.byte(b) {
                return false;
            }
            self.previous = b;
        }
        true
    }

    /// The compacted text, or `None` when it ends inside a string.
    pub(crate) fn finish(self) -> Option<Vec<u8>> {
        (!self.in_string).then_some(self.out)
    }

    fn byte(&mut self, b: u8) -> bool {
        if self.in_string {
            self.out.push(b);
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return true;
        }
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                self.gap = true;
                return true;
            }
            // Comments, raw strings and identifiers, extensions, chars.
            b'/' | b'#' | b'\'' => return false,
            // `r"…"` or `b"…"`: a raw or byte string.
            b'"' if is_word(self.previous) => return false,
            _ => {}
        }
        if self.gap {
            self.gap = false;
            let joins = |left: u8, right: u8| is_word(left) && (is_word(right) || right == b'"');
            if self.out.last().is_some_and(|&last| joins(last, b)) {
                self.out.push(b' ');
            }
        }
        if b == b'"' {
            self.in_string = true;
        }
        self.out.push(b);
        true
    }
}

/// Bytes that can be part of a token running into the next one: anything
/// but RON's punctuation and whitespace (non-ASCII bytes count as word, to
/// be safe).
fn is_word(b: u8) -> bool {
    !matches!(
        b,
        b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b':' | b'"' | b' ' | b'\t' | b'\n' | b'\r'
    ) && b != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(text: &str) -> Option<String> {
        let mut c = Compactor::default();
        if !c.feed(text.as_bytes()) {
            return None;
        }
        c.finish().map(|b| String::from_utf8(b).unwrap())
    }

    /// Compacted in pieces of every size gives the same as in one piece.
    fn compact_in_pieces(text: &str, size: usize) -> Option<String> {
        let mut c = Compactor::default();
        for piece in text.as_bytes().chunks(size) {
            if !c.feed(piece) {
                return None;
            }
        }
        c.finish().map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn whitespace_between_tokens_goes_and_strings_stay() {
        assert_eq!(
            compact("(\n    id: \"R 1\",\n    title: \"a  b\\\" c\" ,\n)").as_deref(),
            Some("(id:\"R 1\",title:\"a  b\\\" c\",)")
        );
    }

    #[test]
    fn tokens_that_would_run_together_keep_one_space() {
        assert_eq!(compact("x: 8 0").as_deref(), Some("x:8 0"));
        assert_eq!(compact("x: r \"a\"").as_deref(), Some("x:r \"a\""));
        assert_eq!(compact("Some (\n 1 )").as_deref(), Some("Some(1)"));
    }

    #[test]
    fn what_it_does_not_model_gives_up() {
        for text in [
            "x: 1 // note",
            "/* c */ x",
            "x: r\"raw\"",
            "x: b\"bytes\"",
            "#![enable(implicit_some)] x",
            "x: 'c'",
            "x: \"open",
        ] {
            assert_eq!(compact(text), None, "{text}");
        }
    }

    #[test]
    fn pieces_may_end_anywhere() {
        let text = "(\n  a: \"x\\\\\", b: \"é \\\"q\\\"\",\n  c: 8 0 )";
        let whole = compact(text);
        for size in 1..text.len() {
            assert_eq!(compact_in_pieces(text, size), whole, "pieces of {size}");
        }
    }
}

#[cfg(test)]
mod same_register {
    use super::*;

    /// Every register and fixture in the repository that compacts parses to
    /// the same register as its full text; the ones that do not compact
    /// (comments) load through the usual path, to the same register.
    #[test]
    fn every_shipped_register_loads_the_same_compacted() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut compacted = 0;
        for dir in ["registers", "tests/fixtures"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_none_or(|e| e != "ron") {
                    continue;
                }
                let Ok(full) = load_file(&path) else {
                    // A fixture that is meant to fail must fail both ways.
                    assert!(load_compact(&path).is_err(), "{}", path.display());
                    continue;
                };
                if compact_file(&path, MAX_FILE_BYTES).unwrap().is_some() {
                    compacted += 1;
                }
                assert_eq!(
                    load_compact(&path).unwrap(),
                    full.register,
                    "{}",
                    path.display()
                );
            }
        }
        assert!(compacted >= 3, "only {compacted} registers compacted");
    }

    #[test]
    fn a_generated_register_loads_the_same_compacted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ron");
        let mut text = Vec::new();
        crate::domain::generate::write_generated(2_000, 7, &mut text).unwrap();
        std::fs::write(&path, &text).unwrap();
        let compacted = compact_file(&path, MAX_FILE_BYTES).unwrap().unwrap();
        assert!(
            compacted.len() * 10 < text.len() * 7,
            "{} of {}",
            compacted.len(),
            text.len()
        );
        assert_eq!(
            load_compact(&path).unwrap(),
            load_file(&path).unwrap().register
        );
    }

    #[test]
    fn errors_keep_their_positions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.ron");
        std::fs::write(&path, "Register(\n    schema: 2,\n    name: 5,\n)").unwrap();
        let e = load_compact(&path).unwrap_err();
        assert_eq!(e, load_file(&path).unwrap_err());
        assert_eq!((e.line, e.col), (3, 11));
    }
}
