//! Finds where entities are in a register's source text, so that validation
//! findings (which know only an entity id) can point at `LINE:COLUMN`.
//!
//! A small lexer walks the text once: it skips strings and comments, tracks
//! bracket depth, notes which top-level field (`risks`, `controls`, …) it is
//! in, and records the position of every `id: "…"`, `control: "…"` and
//! `owner: "…"`.

use std::collections::HashMap;

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

impl SourceMap {
    pub fn build(text: &str) -> SourceMap {
        let mut map = SourceMap::default();
        let chars: Vec<char> = text.chars().collect();
        let (mut line, mut col) = (1usize, 1usize);
        let mut depth = 0usize;
        let mut section: Option<Section> = None;
        // The last identifier followed by ':' and its position.
        let mut pending_key: Option<(String, (usize, usize))> = None;
        let mut i = 0;
        let advance = |c: char, line: &mut usize, col: &mut usize| {
            if c == '\n' {
                *line += 1;
                *col = 1;
            } else {
                *col += 1;
            }
        };
        while i < chars.len() {
            let c = chars[i];
            if c == '/' && chars.get(i + 1) == Some(&'/') {
                while i < chars.len() && chars[i] != '\n' {
                    advance(chars[i], &mut line, &mut col);
                    i += 1;
                }
                continue;
            }
            if c == '/' && chars.get(i + 1) == Some(&'*') {
                let mut nest = 0usize;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        nest += 1;
                        advance('/', &mut line, &mut col);
                        advance('*', &mut line, &mut col);
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        nest -= 1;
                        advance('*', &mut line, &mut col);
                        advance('/', &mut line, &mut col);
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                    } else {
                        advance(chars[i], &mut line, &mut col);
                        i += 1;
                    }
                }
                continue;
            }
            if c == '"' {
                let mut value = String::new();
                advance(c, &mut line, &mut col);
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        value.push(chars[i + 1]);
                        advance(chars[i], &mut line, &mut col);
                        advance(chars[i + 1], &mut line, &mut col);
                        i += 2;
                        continue;
                    }
                    value.push(chars[i]);
                    advance(chars[i], &mut line, &mut col);
                    i += 1;
                }
                if i < chars.len() {
                    advance(chars[i], &mut line, &mut col);
                    i += 1;
                }
                if let Some((key, pos)) = pending_key.take() {
                    let kind = match key.as_str() {
                        "id" | "control" => section,
                        "owner" => Some(Section::Owner),
                        _ => None,
                    };
                    if let Some(kind) = kind {
                        map.entities.entry((kind, value)).or_insert(pos);
                    }
                }
                continue;
            }
            if c.is_alphabetic() || c == '_' {
                let start = (line, col);
                let mut ident = String::new();
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    ident.push(chars[i]);
                    advance(chars[i], &mut line, &mut col);
                    i += 1;
                }
                let mut j = i;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if chars.get(j) == Some(&':') {
                    if depth == 1 {
                        map.top_keys.entry(ident.clone()).or_insert(start);
                    }
                    if depth == 1
                        && let Some(s) = section_of(&ident)
                    {
                        section = Some(s);
                        map.sections.entry(s).or_insert(start);
                    }
                    pending_key = Some((ident, start));
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
            i += 1;
        }
        map
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
