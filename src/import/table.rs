//! Reading a spreadsheet's CSV export: text decoding, delimiter detection
//! and an RFC 4180 reader that remembers on which line every row starts and
//! reports malformed input (an unclosed quote, text after a closing quote)
//! with its `LINE:COLUMN`.
//!
//! Lines are counted the same way everywhere (decoding, the reader, the
//! `sep=` line): `\r\n`, `\n` and a lone `\r` (old Mac Excel) each end one
//! line, inside quoted cells too.

use std::fmt;

/// A malformed CSV file; positions are 1-based (column in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

/// One CSV record: the line it starts on and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub cells: Vec<String>,
    /// Where each cell starts (line, column in characters), to tell which
    /// cell a position in the file falls in.
    pub starts: Vec<(usize, usize)>,
}

impl Record {
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    /// The 1-based number of the cell that holds the character at
    /// `(line, col)` (the last cell starting at or before it).
    pub(crate) fn cell_at(&self, line: usize, col: usize) -> usize {
        self.starts
            .iter()
            .rposition(|&start| start <= (line, col))
            .map_or(1, |i| i + 1)
    }
}

/// The delimiters recognised, in the order ties are broken.
pub(crate) const DELIMITERS: [char; 3] = [',', ';', '\t'];

pub(crate) fn delimiter_name(d: char) -> &'static str {
    match d {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        '|' => "pipe",
        _ => "custom",
    }
}

/// A byte sequence that is not valid in the file's encoding. The decoded
/// text holds one U+FFFD in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadBytes {
    /// 1-based line and column (in characters) of the U+FFFD.
    pub line: usize,
    pub col: usize,
    /// The encoding the file was read in: "UTF-8" or "UTF-16".
    pub encoding: &'static str,
    /// What is wrong, e.g. "byte 0xEB".
    pub detail: String,
}

/// A file's bytes as text, how they were read, and what could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    /// For the report, when the file is not plain UTF-8.
    pub note: Option<String>,
    /// Bytes not valid in the encoding the file was read in, in file order.
    pub bad: Vec<BadBytes>,
}

/// Bytes → text, deciding the encoding once for the whole file:
///
/// - a byte-order mark says UTF-8, UTF-16 LE (Excel's "Unicode Text") or
///   UTF-16 BE; UTF-16 without one is recognised by its zero bytes;
/// - valid UTF-8 is UTF-8;
/// - a file with UTF-8 characters but also bytes that are not UTF-8 is
///   UTF-8 with some bad bytes: each is reported ([`Decoded::bad`]), never
///   guessed at, since the same file cannot be two encodings;
/// - a file without a single UTF-8 multi-byte character is Windows-1252,
///   what Excel writes for "CSV" on Western systems (every byte is a
///   character there), and the note says from which line.
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, "UTF-8 with a byte-order mark");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(
            rest,
            false,
            "UTF-16 LE with a byte-order mark (Excel's \"Unicode Text\")",
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, true, "UTF-16 BE with a byte-order mark");
    }
    if let Some(big) = utf16_without_bom(bytes) {
        let note = if big {
            "UTF-16 BE without a byte-order mark (recognised by its zero bytes)"
        } else {
            "UTF-16 LE without a byte-order mark (recognised by its zero bytes)"
        };
        return utf16(bytes, big, note);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_string(),
            note: None,
            bad: Vec::new(),
        };
    }
    if bytes.utf8_chunks().any(|c| !c.valid().is_ascii()) {
        let mut d = utf8(bytes, "");
        let mut lines: Vec<usize> = d.bad.iter().map(|b| b.line).collect();
        lines.dedup();
        d.note = Some(format!(
            "UTF-8, but {} not valid UTF-8 (not read as another encoding: see below)",
            match lines.len() {
                1 => format!("line {} is", lines[0]),
                n => format!("{n} lines are"),
            }
        ));
        return d;
    }
    let text: String = bytes.iter().map(|&b| windows_1252(b)).collect();
    // Everything before the first byte that is not UTF-8 is ASCII here, one
    // byte per character in both readings.
    let first = bytes.utf8_chunks().next().map_or(0, |c| c.valid().len());
    let line = 1 + line_breaks(text.get(..first).unwrap_or(""));
    Decoded {
        text,
        note: Some(format!(
            "not UTF-8: read as Windows-1252 (Excel's \"CSV\" on Western systems; no UTF-8 character anywhere, the first other byte on line {line})"
        )),
        bad: Vec::new(),
    }
}

/// UTF-8, each invalid sequence replaced by U+FFFD and reported.
fn utf8(bytes: &[u8], note: &str) -> Decoded {
    let mut text = String::with_capacity(bytes.len());
    let mut bad = Vec::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            let hex: Vec<String> = chunk
                .invalid()
                .iter()
                .map(|b| format!("0x{b:02X}"))
                .collect();
            bad.push((
                text.len(),
                format!(
                    "byte{} {}",
                    if hex.len() == 1 { "" } else { "s" },
                    hex.join(" ")
                ),
            ));
            text.push('\u{FFFD}');
        }
    }
    finish(text, note, "UTF-8", bad)
}

/// UTF-16, an unpaired surrogate or an odd last byte replaced by U+FFFD and
/// reported.
fn utf16(bytes: &[u8], big_endian: bool, note: &str) -> Decoded {
    let units = bytes.chunks_exact(2).map(|p| {
        let pair = [p[0], p[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut bad = Vec::new();
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(e) => {
                bad.push((
                    text.len(),
                    format!("an unpaired surrogate 0x{:04X}", e.unpaired_surrogate()),
                ));
                text.push('\u{FFFD}');
            }
        }
    }
    if bytes.len() % 2 == 1 {
        bad.push((
            text.len(),
            "the file ends in the middle of a character".into(),
        ));
        text.push('\u{FFFD}');
    }
    finish(text, note, "UTF-16", bad)
}

/// UTF-16 without a byte-order mark: `Some(big_endian)` when most of the
/// first bytes in odd (LE) or even (BE) places are zero and hardly any in
/// the others, as in text that is mostly ASCII. A UTF-8 CSV holds no zero
/// bytes at all.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(512)];
    let pairs = head.len() / 2;
    if pairs < 2 || !head.contains(&0) {
        return None;
    }
    let zeros = |offset: usize| head.chunks_exact(2).filter(|p| p[offset] == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    match (even * 10 <= pairs, odd * 10 <= pairs) {
        (true, false) if odd * 10 >= pairs * 7 => Some(false),
        (false, true) if even * 10 >= pairs * 7 => Some(true),
        _ => None,
    }
}

/// Line breaks in `text`, counted as the reader counts them.
fn line_breaks(text: &str) -> usize {
    let b = text.as_bytes();
    b.iter()
        .enumerate()
        .filter(|&(i, &c)| c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')))
        .count()
}

/// Places each bad sequence (byte offset of its U+FFFD in `text`) at its
/// line and column.
fn finish(text: String, note: &str, encoding: &'static str, bad: Vec<(usize, String)>) -> Decoded {
    let mut placed = Vec::with_capacity(bad.len());
    let (mut line, mut col) = (1usize, 1usize);
    let mut pending = bad.into_iter().peekable();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        while let Some((_, detail)) = pending.next_if(|(at, _)| *at == i) {
            placed.push(BadBytes {
                line,
                col,
                encoding,
                detail,
            });
        }
        match c {
            '\r' if chars.peek().is_some_and(|&(_, n)| n == '\n') => {}
            '\n' | '\r' => {
                line += 1;
                col = 1;
            }
            _ => col += 1,
        }
    }
    Decoded {
        text,
        note: (!note.is_empty()).then(|| note.to_string()),
        bad: placed,
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Excel's `sep=;` first line names the delimiter; returns it and the text
/// after that line (which may end in `\n`, `\r\n` or a lone `\r`).
pub(crate) fn sep_hint(text: &str) -> Option<(char, &str)> {
    let end = text.find(['\n', '\r']).unwrap_or(text.len());
    let rest = text[..end].strip_prefix("sep=")?;
    let mut chars = rest.chars();
    let d = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    let after = &text[end..];
    let after = after
        .strip_prefix("\r\n")
        .or_else(|| after.strip_prefix('\n'))
        .or_else(|| after.strip_prefix('\r'))
        .unwrap_or(after);
    Some((d, after))
}

/// Parses `text` with delimiter `delim`. `first_line` is the line number of
/// the text's first line (1, or 2 after a `sep=` line). Blank lines become
/// records with one empty cell (callers skip blank records).
pub fn parse(text: &str, delim: char, first_line: usize) -> Result<Vec<Record>, CsvError> {
    match parse_partial(text, delim, first_line) {
        (records, None) => Ok(records),
        (_, Some(e)) => Err(e),
    }
}

/// Like [`parse`], but also returns the records read before an error, so a
/// delimiter can be judged on a file that turns out to be malformed.
pub(crate) fn parse_partial(
    text: &str,
    delim: char,
    first_line: usize,
) -> (Vec<Record>, Option<CsvError>) {
    let mut records = Vec::new();
    let error = parse_into(text, delim, first_line, &mut records).err();
    (records, error)
}

fn parse_into(
    text: &str,
    delim: char,
    first_line: usize,
    records: &mut Vec<Record>,
) -> Result<(), CsvError> {
    let chars: Vec<char> = text.chars().collect();
    let (mut line, mut col) = (first_line, 1usize);
    let mut i = 0;
    let n = chars.len();
    if n == 0 {
        return Ok(());
    }
    let mut cells: Vec<String> = Vec::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut record_line = line;
    // Invariant: at the top of the loop we are at the start of a field.
    loop {
        // Leading spaces before an opening quote belong to no one.
        let mut j = i;
        while j < n && chars[j] == ' ' && delim != ' ' {
            j += 1;
        }
        let mut field = String::new();
        starts.push((line, col));
        if j < n && chars[j] == '"' {
            let (open_line, open_col) = (line, col + (j - i));
            col += j - i + 1;
            i = j + 1;
            loop {
                if i >= n {
                    return Err(CsvError {
                        line: open_line,
                        col: open_col,
                        message: "unterminated quoted field: the quote opened here is never closed"
                            .into(),
                    });
                }
                let c = chars[i];
                if c == '"' {
                    if i + 1 < n && chars[i + 1] == '"' {
                        field.push('"');
                        i += 2;
                        col += 2;
                        continue;
                    }
                    i += 1;
                    col += 1;
                    break;
                }
                if c == '\r' && i + 1 < n && chars[i + 1] == '\n' {
                    // CRLF inside a cell is one line break.
                    i += 1;
                    continue;
                }
                if c == '\n' || c == '\r' {
                    // A lone CR (old Mac Excel) is a line break too.
                    line += 1;
                    col = 1;
                } else {
                    col += 1;
                }
                field.push(c);
                i += 1;
            }
            // After the closing quote: spaces, then a delimiter or the end
            // of the line.
            while i < n && chars[i] == ' ' && delim != ' ' {
                i += 1;
                col += 1;
            }
            if i < n && chars[i] != delim && chars[i] != '\n' && chars[i] != '\r' {
                return Err(CsvError {
                    line,
                    col,
                    message: format!(
                        "unexpected {:?} after the closing quote of a quoted field (a quote inside a quoted field is written \"\")",
                        chars[i]
                    ),
                });
            }
        } else {
            while i < n && chars[i] != delim && chars[i] != '\n' && chars[i] != '\r' {
                field.push(chars[i]);
                i += 1;
                col += 1;
            }
        }
        cells.push(field);
        if i >= n {
            records.push(Record {
                line: record_line,
                cells,
                starts,
            });
            break;
        }
        match chars[i] {
            c if c == delim => {
                i += 1;
                col += 1;
            }
            _ => {
                // End of the record: \n, \r\n or a lone \r.
                if chars[i] == '\r' && i + 1 < n && chars[i + 1] == '\n' {
                    i += 1;
                }
                i += 1;
                line += 1;
                col = 1;
                records.push(Record {
                    line: record_line,
                    cells: std::mem::take(&mut cells),
                    starts: std::mem::take(&mut starts),
                });
                record_line = line;
                if i >= n {
                    break;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str, d: char) -> Vec<Vec<String>> {
        parse(text, d, 1)
            .unwrap()
            .into_iter()
            .map(|r| r.cells)
            .collect()
    }

    #[test]
    fn quoted_cells_with_delimiters_quotes_and_line_breaks() {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\n1,2,3";
        let recs = parse(text, ',', 1).unwrap();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[1].cells, ["x, y", "say \"hi\"", "two\nlines"]);
        assert_eq!(recs[1].line, 2);
        assert_eq!(recs[2].line, 4);
    }

    #[test]
    fn trailing_newline_and_empty_cells() {
        assert_eq!(cells("a;;c\n", ';'), [vec!["a", "", "c"]]);
        assert_eq!(cells("a\tb\n\n", '\t'), [vec!["a", "b"], vec![""]]);
    }

    #[test]
    fn malformed_quotes_have_positions() {
        let e = parse("a,b\n1,\"open\n2,3\n", ',', 1).unwrap_err();
        assert_eq!((e.line, e.col), (2, 3));
        assert!(e.message.contains("never closed"));
        let e = parse("a,b\n\"x\"y,2\n", ',', 1).unwrap_err();
        assert_eq!((e.line, e.col), (2, 4));
    }

    #[test]
    fn windows_1252_fallback() {
        let d = decode(b"Gef\xe4hrdung \x80");
        assert_eq!(d.text, "Gefährdung €");
        assert!(d.note.unwrap().contains("on line 1)"));
        assert!(d.bad.is_empty());
        let d = decode("\u{feff}a,b".as_bytes());
        assert_eq!(d.text, "a,b");
        assert!(d.note.unwrap().contains("byte-order mark"));
    }

    #[test]
    fn mostly_utf8_reports_the_bad_bytes_where_they_are() {
        let d = decode(b"\xc3\xa9\r\nx\ry\xe4z\n\xff");
        assert_eq!(d.text, "é\r\nx\ry\u{FFFD}z\n\u{FFFD}");
        let at: Vec<(usize, usize)> = d.bad.iter().map(|b| (b.line, b.col)).collect();
        assert_eq!(at, [(3, 2), (4, 1)]);
        assert_eq!(d.bad[0].detail, "byte 0xE4");
        // A byte-order mark says UTF-8: no fallback either.
        let d = decode(b"\xEF\xBB\xBFa\xe4");
        assert_eq!(d.bad.len(), 1);
    }

    #[test]
    fn utf16_with_and_without_a_byte_order_mark() {
        let le: Vec<u8> = "a\tä\r\n🔥"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "a\tä\r\n🔥"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        for (bytes, big) in [(&le, false), (&be, true)] {
            let bom: &[u8] = if big { b"\xFE\xFF" } else { b"\xFF\xFE" };
            let with = decode(&[bom, bytes].concat());
            assert_eq!(with.text, "a\tä\r\n🔥");
            assert!(with.bad.is_empty());
            let without = decode(bytes);
            assert_eq!(without.text, "a\tä\r\n🔥");
            assert!(without.note.unwrap().contains("without a byte-order mark"));
        }
        let mut lone = b"\xFF\xFEa\x00\n\x00".to_vec();
        lone.extend_from_slice(&0xDC00u16.to_le_bytes());
        lone.push(b'x');
        let d = decode(&lone);
        let at: Vec<(usize, usize)> = d.bad.iter().map(|b| (b.line, b.col)).collect();
        assert_eq!(at, [(2, 1), (2, 2)]);
    }

    #[test]
    fn sep_line() {
        let (d, rest) = sep_hint("sep=;\na;b\n").unwrap();
        assert_eq!(d, ';');
        assert_eq!(rest, "a;b\n");
        assert_eq!(sep_hint("sep=;\ra;b\r").unwrap().1, "a;b\r");
        assert_eq!(sep_hint("sep=;\r\na;b").unwrap().1, "a;b");
        assert_eq!(sep_hint("sep=;").unwrap().1, "");
    }

    #[test]
    fn cr_only_lines_and_cell_starts() {
        let recs = parse("a,\"b\rc\"\r1,2\r", ',', 1).unwrap();
        assert_eq!(recs[0].cells, ["a", "b\rc"]);
        assert_eq!(recs[1].line, 3);
        assert_eq!(recs[1].starts, [(3, 1), (3, 3)]);
        assert_eq!(recs[0].cell_at(2, 1), 2);
        assert_eq!(recs[1].cell_at(3, 2), 1);
    }
}
