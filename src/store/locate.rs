//! Finds where entities are in a register's source text, so that validation
//! findings (which know only an entity id) can point at `LINE:COLUMN`.
//!
//! A small lexer walks the text once: it skips strings and comments, tracks
//! bracket depth, notes which top-level field (`risks`, `controls`, …) it is
//! in, and records the position of every `id: "…"`, `control: "…"` and
//! `owner: "…"`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::hash_map::Entry;

use std::sync::OnceLock;

use crate::domain::validate::{Finding, Section};

#[derive(Debug, Clone, Default)]
pub(crate) struct SourceMap {
    entities: HashMap<(Section, String), (usize, usize)>,
    sections: HashMap<Section, (usize, usize)>,
    /// Every field of the register itself (depth 1), known or not.
    top_keys: HashMap<String, (usize, usize)>,
}

/// A register's text with its [`SourceMap`], built on first use (only when
/// there is a finding to place).
#[derive(Debug, Default)]
pub struct Located {
    text: String,
    map: OnceLock<SourceMap>,
}

impl Located {
    pub fn new(text: String) -> Located {
        Located {
            text,
            map: OnceLock::new(),
        }
    }

    pub(crate) fn locate(&self, f: &Finding) -> Option<(usize, usize)> {
        self.map
            .get_or_init(|| SourceMap::build(self.text.trim_start_matches('\u{feff}')))
            .locate(f)
    }

    /// The positions of many findings at once, in their order: one forward
    /// scan that stops when it has found them all, instead of a map of the
    /// whole text (`check` prints tens of thousands of findings for a
    /// 100,000-risk register; see BENCHMARKS.md). Uses the map when one
    /// was already built.
    pub(crate) fn locate_all(&self, findings: &[&Finding]) -> Vec<Option<(usize, usize)>> {
        match self.map.get() {
            Some(map) => findings.iter().map(|f| map.locate(f)).collect(),
            None => SourceMap::locate_all(self.text.trim_start_matches('\u{feff}'), findings),
        }
    }
}

/// Where bracket nesting first goes beyond `limit` (strings and comments
/// skipped), checked before parsing so that no input can exhaust the stack.
/// One pass over the bytes, no allocation.
pub(crate) fn nesting_too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut depth = 0usize;
    let mut i = 0;
    let col = |i: usize, start: usize| text[start..i].chars().count() + 1;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    } else if b[i] == b'\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    if b[i] == b'\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some((line, col(i, line_start)));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

fn section_of(name: &str) -> Option<Section> {
    Some(match name {
        "schema" => Section::Schema,
        "method" => Section::Method,
        "factors" => Section::Factors,
        "assets" => Section::Assets,
        "threats" => Section::Threats,
        "risks" => Section::Risks,
        "controls" => Section::Controls,
        "decisions" => Section::Decisions,
        "baseline" | "baselines" => Section::Baseline,
        "own_controls" => Section::OwnControls,
        "actions" => Section::Actions,
        "conflicts" => Section::Conflicts,
        _ => return None,
    })
}

/// The entities a scan looks for: per section, the ids (borrowed from the
/// findings). A scan for the findings a command prints records only these,
/// instead of every id of a 100,000-risk file.
type Wanted<'f> = HashMap<Section, HashSet<&'f str>>;

/// The character at byte `i` of `text` (a char boundary), decoded only
/// when it is not ASCII.
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some(b as char),
        Some(_) => text[i..].chars().next(),
        None => None,
    }
}

/// A string's value as the scan reads it: each backslash stands for the
/// character after it.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next().unwrap_or('\\')),
            c => out.push(c),
        }
    }
    out
}

impl SourceMap {
    pub fn build(text: &str) -> SourceMap {
        Self::scan(text, None)
    }

    /// One forward pass over `text` (bytes, decoding only non-ASCII
    /// characters; lines and columns counted in characters): every
    /// section and top-level key, and the entities `wanted` names (all of
    /// them when `None`). With `wanted`, the scan stops as soon as every
    /// wanted entity is found.
    fn scan(text: &str, wanted: Option<&Wanted<'_>>) -> SourceMap {
        let mut map = SourceMap::default();
        let b = text.as_bytes();
        let mut remaining = wanted.map_or(usize::MAX, |w| w.values().map(HashSet::len).sum());
        let (mut line, mut col) = (1usize, 1usize);
        let mut depth = 0usize;
        let mut section: Option<Section> = None;
        // The last identifier followed by ':' and its position.
        let mut pending_key: Option<(&str, (usize, usize))> = None;
        let mut i = 0;
        let advance = |c: char, line: &mut usize, col: &mut usize| {
            if c == '\n' {
                *line += 1;
                *col = 1;
            } else {
                *col += 1;
            }
        };
        while let Some(&x) = b.get(i) {
            // Blanks first: most of a canonical file is indentation.
            match x {
                b' ' | b'\t' | b'\r' => {
                    let run = b[i..]
                        .iter()
                        .take_while(|&&x| matches!(x, b' ' | b'\t' | b'\r'))
                        .count();
                    col += run;
                    i += run;
                    continue;
                }
                b'\n' => {
                    line += 1;
                    col = 1;
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let Some(c) = char_at(text, i) else { break };
            if c == '/' && b.get(i + 1) == Some(&b'/') {
                while let Some(c) = char_at(text, i).filter(|&c| c != '\n') {
                    advance(c, &mut line, &mut col);
                    i += c.len_utf8();
                }
                continue;
            }
            if c == '/' && b.get(i + 1) == Some(&b'*') {
                let mut nest = 0usize;
                while let Some(c) = char_at(text, i) {
                    if c == '/' && b.get(i + 1) == Some(&b'*') {
                        nest += 1;
                        col += 2;
                        i += 2;
                    } else if c == '*' && b.get(i + 1) == Some(&b'/') {
                        nest -= 1;
                        col += 2;
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                    } else {
                        advance(c, &mut line, &mut col);
                        i += c.len_utf8();
                    }
                }
                continue;
            }
            if c == '"' {
                col += 1;
                i += 1;
                let start = i;
                // Bytes, not characters: a string is most of a register's
                // text and only `"`, `\\` and line breaks matter in it; a
                // column counts every byte that starts a character.
                let mut escapes = false;
                while let Some(&x) = b.get(i) {
                    // The plain run up to the next byte that matters.
                    // (memchr and the ASCII test are vectorised: this loop
                    // was a tenth of `check` at 100,000 risks.)
                    let len = memchr::memchr3(b'"', b'\\', b'\n', &b[i..]).unwrap_or(b.len() - i);
                    if len > 0 {
                        let run = &b[i..i + len];
                        col += if run.is_ascii() {
                            len
                        } else {
                            run.iter().filter(|&&x| x & 0xC0 != 0x80).count()
                        };
                        i += len;
                        continue;
                    }
                    match x {
                        b'"' => break,
                        b'\\' if i + 1 < b.len() => {
                            escapes = true;
                            col += 1;
                            i += 1;
                            if b[i] == b'\n' {
                                line += 1;
                                col = 1;
                            } else {
                                col += 1;
                            }
                            i += 1;
                            while b.get(i).is_some_and(|&x| x & 0xC0 == 0x80) {
                                i += 1;
                            }
                        }
                        b'\n' => {
                            line += 1;
                            col = 1;
                            i += 1;
                        }
                        x => {
                            if x & 0xC0 != 0x80 {
                                col += 1;
                            }
                            i += 1;
                        }
                    }
                }
                let end = i;
                if i < b.len() {
                    col += 1;
                    i += 1;
                }
                if let Some((key, pos)) = pending_key.take() {
                    let kind = match key {
                        "id" | "control" => section,
                        "owner" => Some(Section::Owner),
                        _ => None,
                    };
                    if let Some(kind) = kind {
                        let unescaped = escapes.then(|| unescape(&text[start..end]));
                        let value = unescaped.as_deref().unwrap_or(&text[start..end]);
                        let want = wanted
                            .is_none_or(|w| w.get(&kind).is_some_and(|ids| ids.contains(value)));
                        if want
                            && let Entry::Vacant(slot) =
                                map.entities.entry((kind, value.to_string()))
                        {
                            slot.insert(pos);
                            remaining = remaining.saturating_sub(1);
                            if remaining == 0 {
                                break;
                            }
                        }
                    }
                }
                continue;
            }
            if c.is_alphabetic() || c == '_' {
                let start_pos = (line, col);
                let start = i;
                loop {
                    match b.get(i) {
                        Some(&x) if x.is_ascii_alphanumeric() || x == b'_' => i += 1,
                        Some(&x) if x >= 0x80 => match char_at(text, i) {
                            Some(c) if c.is_alphanumeric() => i += c.len_utf8(),
                            _ => break,
                        },
                        _ => break,
                    }
                    col += 1;
                }
                let ident = &text[start..i];
                let mut j = i;
                while let Some(c) = char_at(text, j).filter(|c| c.is_whitespace()) {
                    j += c.len_utf8();
                }
                if b.get(j) == Some(&b':') {
                    if depth == 1 {
                        map.top_keys.entry(ident.to_string()).or_insert(start_pos);
                    }
                    if depth == 1
                        && let Some(s) = section_of(ident)
                    {
                        section = Some(s);
                        map.sections.entry(s).or_insert(start_pos);
                    }
                    pending_key = Some((ident, start_pos));
                } else if ident != "Some" {
                    pending_key = None;
                }
                continue;
            }
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                ':' => {}
                c if c.is_whitespace() => {}
                _ => pending_key = None,
            }
            if matches!(c, ',' | ')' | ']' | '}') {
                pending_key = None;
            }
            advance(c, &mut line, &mut col);
            i += c.len_utf8();
        }
        map
    }

    /// The positions of `findings`, in their order, from one scan that
    /// records only their entities (and the sections they fall back to).
    /// What [`SourceMap::locate`] on a full map would answer, without
    /// building the map of every id in the file.
    pub(crate) fn locate_all(text: &str, findings: &[&Finding]) -> Vec<Option<(usize, usize)>> {
        let mut wanted: Wanted<'_> = HashMap::default();
        for f in findings {
            wanted.entry(f.section).or_default().insert(f.at.as_str());
            if f.section == Section::Decisions {
                wanted
                    .entry(Section::Controls)
                    .or_default()
                    .insert(f.at.as_str());
            }
        }
        let map = Self::scan(text, Some(&wanted));
        findings.iter().map(|f| map.locate(f)).collect()
    }

    /// Position of a field of the register itself (`baseline: …`).
    pub fn top_level_key(&self, name: &str) -> Option<(usize, usize)> {
        self.top_keys.get(name).copied()
    }

    /// Position of an entity, or of its section as a fallback.
    pub fn position(&self, section: Section, at: &str) -> Option<(usize, usize)> {
        self.entities
            .get(&(section, at.to_string()))
            .or_else(|| match section {
                // A control-level finding may be about a decision, a control
                // state or a baseline entry: take whichever exists.
                Section::Decisions => self
                    .entities
                    .get(&(Section::Controls, at.to_string()))
                    .or_else(|| self.sections.get(&Section::Decisions)),
                _ => self.sections.get(&section),
            })
            .copied()
    }

    pub(crate) fn locate(&self, f: &Finding) -> Option<(usize, usize)> {
        self.position(f.section, &f.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::Severity;

    fn finding(section: Section, at: &str) -> Finding {
        Finding {
            severity: Severity::Warning,
            code: "test",
            at: at.into(),
            section,
            message: String::new(),
            risk: None,
        }
    }

    /// The targeted scan answers what the full map answers, through
    /// comments, escapes, non-ASCII text and fallbacks to a section.
    #[test]
    fn locate_all_agrees_with_the_full_map() {
        let text = "Register(\n  /* a /* nested */ comment: \"id\" */ name: \"Bü\\\"ro\",\n  \
            risks: [ // id: \"R-9\"\n    (id: \"R-1\", owner: \"Jörg\", title: \"ä\\\\\"),\n    \
            (title: \"é\", id: \"R-\\u{2}\", owner: Some(\"CTO\")),\n    (id: \"R-1\"),\n  ],\n  \
            controls: [(note: \"x\\\nü\\é \", id: \"8.13\")],\n  decisions: [(control: \"5.1\")],\n)\n";
        let full = SourceMap::build(text);
        let findings = [
            finding(Section::Risks, "R-1"),
            finding(Section::Risks, "R-u{2}"),
            finding(Section::Owner, "Jörg"),
            finding(Section::Owner, "CTO"),
            finding(Section::Risks, "R-9"),
            finding(Section::Decisions, "8.13"),
            finding(Section::Decisions, "5.1"),
            finding(Section::Decisions, "9.9"),
            finding(Section::Assets, "A-1"),
            finding(Section::Controls, "8.13"),
        ];
        let refs: Vec<&Finding> = findings.iter().collect();
        let want: Vec<_> = refs.iter().map(|f| full.locate(f)).collect();
        assert_eq!(SourceMap::locate_all(text, &refs), want);
        assert_eq!(want[0], Some((4, 6)));
        assert!(want[1].is_some() && want[3].is_some(), "{want:?}");
        // Each finding on its own (the scan stops early once it has all).
        for f in &refs {
            assert_eq!(SourceMap::locate_all(text, &[f]), vec![full.locate(f)]);
        }
    }
}
