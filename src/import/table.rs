//! Reading a spreadsheet's CSV export: text decoding, delimiter detection
//! and an RFC 4180 reader that remembers on which line every row starts and
//! reports malformed input (an unclosed quote, text after a closing quote)
//! with its `LINE:COLUMN`.

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
}

impl Record {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// The delimiters recognised, in the order ties are broken.
pub const DELIMITERS: [char; 3] = [',', ';', '\t'];

pub fn delimiter_name(d: char) -> &'static str {
    match d {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        '|' => "pipe",
        _ => "custom",
    }
}

/// Bytes → text. UTF-8 (a byte-order mark is dropped); anything else is
/// read as Windows-1252, what Excel writes for "CSV" on Western systems.
/// Returns the text and a note for the report when the encoding was not
/// plain UTF-8.
pub fn decode(bytes: &[u8]) -> (String, Option<String>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF")
        && let Ok(s) = std::str::from_utf8(rest)
    {
        return (s.to_string(), Some("UTF-8 with a byte-order mark".into()));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), None);
    }
    let text = bytes.iter().map(|&b| windows_1252(b)).collect();
    (
        text,
        Some("not UTF-8: read as Windows-1252 (Excel's \"CSV\" on Western systems)".into()),
    )
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
/// after that line.
pub fn sep_hint(text: &str) -> Option<(char, &str)> {
    let first = text.lines().next()?;
    let rest = first.trim_end_matches('\r').strip_prefix("sep=")?;
    let mut chars = rest.chars();
    let d = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    let skip = first.len() + usize::from(text.len() > first.len());
    Some((d, &text[skip.min(text.len())..]))
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
pub fn parse_partial(
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
    let mut record_line = line;
    // Invariant: at the top of the loop we are at the start of a field.
    loop {
        // Leading spaces before an opening quote belong to no one.
        let mut j = i;
        while j < n && chars[j] == ' ' && delim != ' ' {
            j += 1;
        }
        let mut field = String::new();
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
                if c == '\n' {
                    line += 1;
                    col = 1;
                } else if c == '\r' && i + 1 < n && chars[i + 1] == '\n' {
                    // CRLF inside a cell is one line break.
                    i += 1;
                    continue;
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
        let (text, note) = decode(b"Gef\xe4hrdung \x80");
        assert_eq!(text, "Gefährdung €");
        assert!(note.is_some());
        let (text, note) = decode("\u{feff}a,b".as_bytes());
        assert_eq!(text, "a,b");
        assert!(note.unwrap().contains("byte-order mark"));
    }

    #[test]
    fn sep_line() {
        let (d, rest) = sep_hint("sep=;\na;b\n").unwrap();
        assert_eq!(d, ';');
        assert_eq!(rest, "a;b\n");
    }
}
