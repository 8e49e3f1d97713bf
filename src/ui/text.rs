//! Text helpers every widget goes through: making register text safe for a
//! terminal and fitting it to a width.
//!
//! Register text is user data: it can hold tabs, newlines, ANSI escapes or
//! bidirectional overrides. [`clean`] replaces every control character (and
//! the bidi embedding/override/isolate marks that reorder text on screen)
//! with `�` (tabs and newlines with a space), so nothing but printable text
//! ever reaches the terminal. Widths are display columns (unicode-width);
//! strings are only ever cut at `char` boundaries.

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

// Characters that would reorder or hide text: one definition for the
// workbench and the commands' output.
use crate::escape::is_bidi_control;

fn needs_cleaning(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Register text made safe to draw: tabs, newlines and carriage returns
/// become spaces; other control and bidi-control characters become `�`.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_cleaning) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c if needs_cleaning(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// Display width of one char (control characters count as the `�` they
/// are drawn as).
pub fn char_width(c: char) -> usize {
    if needs_cleaning(c) {
        1
    } else {
        c.width().unwrap_or(0)
    }
}

/// Display width of a string, in terminal columns.
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Cleans `s` and fits it into `max` columns, ending with `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    let s = clean(s);
    if width(&s) <= max {
        return s.into_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Cleans `s` and wraps it at spaces into lines of at most `w` columns
/// (a word longer than a line gets a line of its own, cut when drawn).
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let s = clean(s);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split(' ') {
        if !line.is_empty() && width(&line) + 1 + width(word) > w {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// `fit`, then padded with spaces to exactly `max` columns.
pub fn pad(s: &str, max: usize) -> String {
    let mut out = fit(s, max);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', max.saturating_sub(w)));
    out
}

/// Centres `s` (fitted) in `max` columns.
pub fn center(s: &str, max: usize) -> String {
    let s = fit(s, max);
    let w = width(&s);
    let left = (max.saturating_sub(w)) / 2;
    let right = max.saturating_sub(w + left);
    format!("{}{s}{}", " ".repeat(left), " ".repeat(right))
}

/// Spans of `text` fitted to `max` columns, with the chars at `indices`
/// (char positions, as fuzzy-matcher reports them) in `hl` style.
pub fn highlighted(
    text: &str,
    indices: &[usize],
    max: usize,
    base: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    let fitted = fit(text, max);
    // `fit` keeps the char positions of the kept prefix.
    let cut = fitted.ends_with('…') && !text.ends_with('…');
    let n = fitted.chars().count() - usize::from(cut);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hl = false;
    let mut marks = indices.iter().copied().peekable();
    for (i, c) in fitted.chars().enumerate() {
        while marks.peek().is_some_and(|&m| m < i) {
            marks.next();
        }
        let is_hl = i < n && marks.peek() == Some(&i);
        if is_hl != run_hl && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hl { hl } else { base },
            ));
        }
        run_hl = is_hl;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hl { hl } else { base }));
    }
    spans
}

/// Cuts a line made of spans to `w` columns (cleaning the text), keeping
/// each span's style.
pub fn fit_spans(spans: Vec<Span<'static>>, w: usize) -> Line<'static> {
    let mut out = Vec::with_capacity(spans.len());
    let mut left = w;
    for s in spans {
        if left == 0 {
            break;
        }
        let t = fit(&s.content, left);
        let cut = width(&t) < width(&s.content) || (t.ends_with('…') && !s.content.ends_with('…'));
        left -= width(&t).min(left);
        out.push(Span::styled(t, s.style));
        if cut {
            break;
        }
    }
    Line::from(out)
}

/// `fit_spans` for a whole line (its own style kept).
pub fn fit_line(line: Line<'static>, w: usize) -> Line<'static> {
    let style = line.style;
    fit_spans(line.spans, w).style(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_replaces_controls() {
        assert_eq!(clean("a\tb\nc"), "a b c");
        assert_eq!(clean("\u{1b}[31mred"), "\u{FFFD}[31mred");
        assert_eq!(clean("x\u{202E}y"), "x\u{FFFD}y");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn fit_respects_width() {
        assert_eq!(fit("hello", 5), "hello");
        assert_eq!(fit("hello", 4), "hel…");
        assert_eq!(fit("hello", 1), "…");
        assert_eq!(fit("hello", 0), "");
        assert_eq!(fit("日本語", 4), "日…");
        assert_eq!(width(&fit("日本語テキスト", 7)), 7);
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(center("ab", 6), "  ab  ");
    }

    #[test]
    fn highlight_marks_chars() {
        let spans = highlighted("abcdef", &[1, 2, 5], 4, Style::new(), Style::new().bold());
        let text: Vec<&str> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, ["a", "bc", "…"]);
    }
}
