//! The workshop minutes as a document (Markdown or one HTML page), from the
//! domain's [`Minutes`]: the same sections in both, empty ones saying
//! "None.", register text escaped for where it is read. `riskbench
//! minutes` and the workbench's WriteMinutes both write through here.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::domain::diff::NamedScore;
use crate::domain::minutes::{Accepted, Created, Minutes, Noted, Scored, SoaMoved};

use super::html::esc;

/// What the document says besides the sections: whose register, which
/// day, who was there, and what the register was compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The register's name.
    pub register: String,
    /// The day of the workshop.
    pub date: NaiveDate,
    /// Who attended, in the order given.
    pub attendees: Vec<String>,
    /// The register before the workshop, in words (`northwind.ron at git
    /// revision HEAD~1`, `the register as opened`).
    pub since: String,
}

/// The closing line: why the minutes are kept (ISO/IEC 27001:2022 7.5,
/// 8.2).
pub const RETAINED: &str = "These minutes are retained as documented information of the ISMS \
(ISO/IEC 27001:2022 clause 7.5) as the record of the information security risk assessment \
performed (clause 8.2).";

/// `A, B, C` from `"A, B,  C"`: names split at commas, trimmed, empty ones
/// dropped.
pub fn attendees(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn score(s: &NamedScore) -> String {
    format!("{}×{} = {} {}", s.likelihood, s.impact, s.score, s.level)
}

fn change(before: &NamedScore, after: &NamedScore) -> String {
    if before == after {
        format!("{} (unchanged)", score(after))
    } else {
        format!("{} → {}", score(before), score(after))
    }
}

/// One line per item of each section, as plain text (the caller escapes).
fn scored_line(s: &Scored) -> String {
    let what = match (&s.before, &s.after) {
        (Some((bi, br)), Some((ai, ar))) => {
            format!("inherent {}; residual {}", change(bi, ai), change(br, ar))
        }
        (None, Some((ai, ar))) => {
            format!("new risk: inherent {}; residual {}", score(ai), score(ar))
        }
        (Some((bi, br)), None) => format!(
            "removed (was inherent {}; residual {})",
            score(bi),
            score(br)
        ),
        (None, None) => String::new(),
    };
    format!("{} {}: {what}", s.id, s.title)
}

fn accepted_line(a: &Accepted) -> String {
    match &a.now {
        Some((by, until, reason)) => {
            let reason = if reason.trim().is_empty() {
                "no reason given".to_string()
            } else {
                format!("reason: {reason}")
            };
            let kind = if a.had_one { "changed" } else { "new" };
            format!(
                "{} {}: {kind} — accepted by {by} until {until}; {reason}",
                a.id, a.title
            )
        }
        None => format!("{} {}: acceptance withdrawn", a.id, a.title),
    }
}

fn created_line(c: &Created) -> String {
    let owner = if c.owner.trim().is_empty() {
        "no owner".to_string()
    } else {
        format!("owner {}", c.owner)
    };
    let due = c
        .due
        .map_or_else(|| "no due date".to_string(), |d| format!("due {d}"));
    let risks = if c.risks.is_empty() {
        String::new()
    } else {
        format!("; for {}", c.risks.join(", "))
    };
    format!("{} {} — {owner}, {due}{risks}", c.id, c.title)
}

fn noted_line(n: &Noted) -> String {
    let by = if n.note.by.trim().is_empty() {
        "unnamed".to_string()
    } else {
        n.note.by.clone()
    };
    format!("{} — {by}, {}: {}", n.risk, n.note.on, n.note.text)
}

fn soa_line(s: &SoaMoved) -> String {
    format!("{} {}: {} → {}", s.id, s.title, s.before, s.after)
}

/// The sections in order: heading and lines.
fn sections(m: &Minutes) -> [(&'static str, Vec<String>); 5] {
    [
        ("Risks scored", m.scored.iter().map(scored_line).collect()),
        (
            "Acceptances",
            m.acceptances.iter().map(accepted_line).collect(),
        ),
        (
            "Actions created",
            m.actions.iter().map(created_line).collect(),
        ),
        ("Notes added", m.notes.iter().map(noted_line).collect()),
        ("SoA changes", m.soa.iter().map(soa_line).collect()),
    ]
}

fn attendee_text(h: &Heading) -> String {
    if h.attendees.is_empty() {
        "none recorded".into()
    } else {
        h.attendees.join(", ")
    }
}

/// Markdown text: register text escaped as in the Markdown tables
/// (HTML, `|`, `\`, line breaks, control characters).
fn md_text(s: &str) -> String {
    crate::escape::markdown_cell(s)
}

/// The minutes as Markdown.
pub fn markdown(h: &Heading, m: &Minutes) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Workshop minutes: {}\n", md_text(&h.register));
    let _ = writeln!(o, "Date: {}\n", h.date);
    let _ = writeln!(o, "Attendees: {}\n", md_text(&attendee_text(h)));
    let _ = writeln!(o, "Changes since: {}", md_text(&h.since));
    for (title, lines) in sections(m) {
        let _ = writeln!(o, "\n## {title}\n");
        if lines.is_empty() {
            o.push_str("None.\n");
        }
        for line in lines {
            let _ = writeln!(o, "- {}", md_text(&line));
        }
    }
    let _ = writeln!(o, "\n---\n\n{RETAINED}");
    o
}

/// The minutes as one self-contained HTML page, every piece of register
/// text escaped.
pub fn html(h: &Heading, m: &Minutes) -> String {
    let mut o = String::new();
    let title = format!("Workshop minutes: {}", h.register);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}}\
         h2{{border-bottom:1px solid #ccc}}.meta{{color:#444}}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    let _ = writeln!(o, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(o, "<p class=\"meta\">Date: {}</p>", h.date);
    let _ = writeln!(
        o,
        "<p class=\"meta\">Attendees: {}</p>",
        esc(&attendee_text(h))
    );
    let _ = writeln!(o, "<p class=\"meta\">Changes since: {}</p>", esc(&h.since));
    for (title, lines) in sections(m) {
        let _ = writeln!(o, "<h2>{title}</h2>");
        if lines.is_empty() {
            o.push_str("<p>None.</p>\n");
            continue;
        }
        o.push_str("<ul>\n");
        for line in lines {
            let _ = writeln!(o, "<li>{}</li>", esc(&line));
        }
        o.push_str("</ul>\n");
    }
    let _ = writeln!(o, "<hr>\n<p>{}</p>\n</body>\n</html>", esc(RETAINED));
    o
}

/// The workbench's default name for the minutes: beside the register,
/// `STEM-minutes-YYYY-MM-DD.md`.
pub fn minutes_path(register: &Path, date: NaiveDate) -> PathBuf {
    let stem = register
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "register".into());
    register.with_file_name(format!("{stem}-minutes-{date}.md"))
}

/// Minutes the workbench asked to write: the runtime calls [`File::write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Where.
    pub path: PathBuf,
    /// The document.
    pub text: String,
    /// Replace a file already there (the user said so); never a register.
    pub replace: bool,
}

/// Why the minutes were not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotWritten {
    /// A file is there and `replace` was not given: ask first.
    Exists,
    /// Anything else, in words.
    Failed(String),
}

impl File {
    /// Writes the document atomically (no `.bak`, as every export): never
    /// over a register, over another file only with `replace`.
    pub fn write(&self) -> Result<(), NotWritten> {
        let path = &self.path;
        if !self.replace && (path.exists() || path.is_symlink()) {
            return Err(NotWritten::Exists);
        }
        crate::store::check_output(path, true, crate::store::OutputKind::Document)
            .map_err(NotWritten::Failed)?;
        crate::store::write_atomic(
            path,
            self.text.as_bytes(),
            crate::store::WriteOptions::default(),
        )
        .map_err(|e| NotWritten::Failed(e.to_string()))
    }
}
