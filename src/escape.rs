//! Register text made safe for the places it is shown outside the
//! workbench: a terminal (text output and every message on stderr), a
//! Markdown document and a spreadsheet that opens a CSV export.
//!
//! Register text is user data, and a register can come from anyone: an
//! ANSI escape in a risk title could recolour, hide or rewrite what an
//! auditor sees, a bidi override (U+202E) can make `exe.txt` read as
//! `txt.exe`. Such characters are shown *escaped* rather than dropped, so
//! the reader sees that they are there (`\x1b[31m`, `\u{202e}`) and can
//! find them in the file. Machine formats (JSON, CSV) keep the data exact
//! instead; serde_json escapes control characters itself, and CSV only
//! neutralises cells a spreadsheet would run as formulas ([`csv_cell`]),
//! in a way `riskbench import` undoes ([`csv_cell_read`]).

use std::borrow::Cow;

/// Characters that reorder or hide the text around them: the bidi
/// embeddings, overrides and isolates, the directional marks, and the line
/// and paragraph separators (which some terminals and renderers break on).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        // C0, DEL and C1 (all below U+0100).
        c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
        c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// `s` with every control character (C0 including tab and newline, DEL,
/// C1) and every bidi control written as a visible escape: `\t`, `\n`,
/// `\r`, `\x1b`, `\x9b`, `\u{202e}`. The result is one line of printable
/// text, whatever `s` holds; text without such characters is returned as
/// it is (borrowed). Backslashes are not doubled: this is for a person
/// reading a terminal, not a format to parse back (JSON is exact).
pub(crate) fn for_terminal(s: &str) -> Cow<'_, str> {
    // Printable ASCII never needs escaping: decided a byte at a time
    // (`check` escapes tens of thousands of lines).
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One cell of a GitHub-flavoured Markdown table. HTML is escaped (`&`,
/// `<`, `>` become entities, so `<script>` or `<svg onload=…>` in a title
/// stays text when the document is rendered), a line break becomes `<br>`
/// (the cell stays on its table row but reads as written), `|` and `\` are
/// backslash-escaped so they cannot end or bend the cell, and other control
/// and bidi characters are escaped as in [`for_terminal`].
pub(crate) fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("<br>"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            c if needs_escape(c) => {
                // `\x1b` as Markdown source: the backslash itself doubled,
                // so it shows as `\x1b` when rendered.
                out.push('\\');
                push_escaped(&mut out, c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The first characters that make a spreadsheet read a cell as a formula
/// (or, for TAB and CR, hide one behind white space): OWASP's list for CSV
/// injection.
pub(crate) const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One CSV cell as written: a cell that starts with a formula trigger gets
/// a leading `'`, so that Excel, LibreOffice and Google Sheets show it as
/// text instead of running `=HYPERLINK(…)` or `=cmd|…` from a risk title
/// (OWASP "CSV injection"). Everything else is written exactly.
pub(crate) fn csv_cell(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_TRIGGERS) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Undoes [`csv_cell`] on a cell read back: a `'` followed by a formula
/// trigger loses the `'`; any other cell is returned as it is (a `'` before
/// anything else was written by a person, and is kept).
pub(crate) fn csv_cell_read(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_TRIGGERS) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_visibly() {
        assert_eq!(
            for_terminal("a\u{1b}[31mb\u{7}c\u{9b}d\u{7f}"),
            "a\\x1b[31mb\\x07c\\x9bd\\x7f"
        );
        assert_eq!(for_terminal("one\ntwo\tthree\r"), "one\\ntwo\\tthree\\r");
        assert_eq!(
            for_terminal("x\u{202e}y\u{2066}z\u{200f}\u{61c}\u{2028}"),
            "x\\u{202e}y\\u{2066}z\\u{200f}\\u{61c}\\u{2028}"
        );
        assert!(matches!(for_terminal("Café ✓ 日本"), Cow::Borrowed(_)));
        assert_eq!(for_terminal("C:\\share"), "C:\\share");
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = for_terminal("\u{1b}\u{202e}\n").into_owned();
        assert_eq!(for_terminal(&once), once);
    }

    #[test]
    fn markdown_cells_are_inert() {
        assert_eq!(
            markdown_cell("<script>alert(1)</script> & <svg onload=x>"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;svg onload=x&gt;"
        );
        assert_eq!(markdown_cell("a|b\\c"), "a\\|b\\\\c");
        assert_eq!(
            markdown_cell("one\ntwo\r\nthree\rfour"),
            "one<br>two<br>three<br>four"
        );
        assert_eq!(
            markdown_cell("\u{1b}[31m\u{202e}\t"),
            "\\\\x1b[31m\\\\u{202e}\\\\t"
        );
    }

    #[test]
    fn csv_cells_are_neutralised_and_read_back() {
        for t in ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            let written = csv_cell(t);
            assert_eq!(written, format!("'{t}"));
            assert_eq!(csv_cell_read(&written), t);
        }
        for t in ["plain", "'quoted", "'", "", "1-2", "a=b"] {
            assert_eq!(csv_cell(t), t);
            assert_eq!(csv_cell_read(t), t);
        }
        // A person's own `'=` is read as the text `=`.
        assert_eq!(csv_cell_read("'=2"), "=2");
    }
}
