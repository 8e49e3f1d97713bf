//! The canonical text form of a register.
//!
//! Hand-written rather than `ron::ser::to_string_pretty` so the file reads
//! like the spec's example and diffs well in git: one asset, threat, factor,
//! control state or decision per line, each risk as a block with every field
//! present. The output always parses back to the same register, and writing
//! that again gives the same bytes (load + save of a canonical file is
//! byte-identical).

use std::fmt::Write;

use chrono::NaiveDate;

use super::model::*;

/// RON string literal with escapes for quotes, backslashes and control
/// characters (so no raw escape sequence can ever reach a terminal that
/// displays the file).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_quoted(&mut out, s);
    out
}

fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_list(out: &mut String, items: &[impl AsRef<str>]) {
    out.push('[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_quoted(out, s.as_ref());
    }
    out.push(']');
}

fn push_opt_str(out: &mut String, v: &Option<impl AsRef<str>>) {
    match v {
        Some(s) => {
            out.push_str("Some(");
            push_quoted(out, s.as_ref());
            out.push(')');
        }
        None => out.push_str("None"),
    }
}

fn push_date(out: &mut String, d: NaiveDate) {
    let _ = write!(out, "\"{}\"", d.format("%Y-%m-%d"));
}

fn push_opt_date(out: &mut String, d: Option<NaiveDate>) {
    match d {
        Some(d) => {
            out.push_str("Some(");
            push_date(out, d);
            out.push(')');
        }
        None => out.push_str("None"),
    }
}

/// Writes the register in canonical form.
pub fn to_canonical(reg: &Register) -> String {
    let mut o = String::with_capacity(256 + reg.risks.len() * 420);
    let _ = writeln!(o, "Register(");
    let _ = writeln!(o, "    schema: {},", reg.schema);
    o.push_str("    name: ");
    push_quoted(&mut o, &reg.name);
    o.push_str(",\n    scope: ");
    push_quoted(&mut o, &reg.scope);
    o.push_str(",\n");

    let m = &reg.method;
    o.push_str("    method: (\n        likelihood: ");
    push_list(&mut o, &m.likelihood);
    o.push_str(",\n        impact: ");
    push_list(&mut o, &m.impact);
    o.push_str(",\n        levels: [\n");
    for l in &m.levels {
        o.push_str("            (name: ");
        push_quoted(&mut o, &l.name);
        let _ = writeln!(o, ", up_to: {}, review_days: {}),", l.up_to, l.review_days);
    }
    o.push_str("        ],\n");
    match &m.matrix {
        None => o.push_str("        matrix: None,\n"),
        Some(rows) => {
            o.push_str("        matrix: Some([\n");
            for row in rows {
                o.push_str("            ");
                push_list(&mut o, row);
                o.push_str(",\n");
            }
            o.push_str("        ]),\n");
        }
    }
    let _ = writeln!(o, "        appetite: {},", m.appetite);
    o.push_str("    ),\n");

    open_list(&mut o, "factors", reg.factors.is_empty());
    for f in &reg.factors {
        o.push_str("        (id: ");
        push_quoted(&mut o, &f.id);
        o.push_str(", label: ");
        push_quoted(&mut o, &f.label);
        let _ = write!(o, ", on: {}, requires: ", f.on);
        push_list(&mut o, &f.requires);
        o.push_str("),\n");
    }
    close_list(&mut o, reg.factors.is_empty());

    open_list(&mut o, "assets", reg.assets.is_empty());
    for a in &reg.assets {
        o.push_str("        (id: ");
        push_quoted(&mut o, &a.id);
        o.push_str(", name: ");
        push_quoted(&mut o, &a.name);
        let _ = write!(o, ", kind: {}, owner: ", a.kind.as_str());
        push_quoted(&mut o, &a.owner);
        o.push_str(", factor: ");
        push_opt_str(&mut o, &a.factor);
        o.push_str("),\n");
    }
    close_list(&mut o, reg.assets.is_empty());

    open_list(&mut o, "threats", reg.threats.is_empty());
    for t in &reg.threats {
        o.push_str("        (id: ");
        push_quoted(&mut o, &t.id);
        o.push_str(", name: ");
        push_quoted(&mut o, &t.name);
        let _ = writeln!(o, ", shift: {}),", t.shift);
    }
    close_list(&mut o, reg.threats.is_empty());

    open_list(&mut o, "risks", reg.risks.is_empty());
    for r in &reg.risks {
        push_risk(&mut o, r);
    }
    close_list(&mut o, reg.risks.is_empty());

    open_list(&mut o, "controls", reg.controls.is_empty());
    for c in &reg.controls {
        o.push_str("        (id: ");
        push_quoted(&mut o, &c.id);
        let _ = write!(
            o,
            ", status: {}, effectiveness: {}, owner: ",
            c.status.as_str(),
            c.effectiveness
        );
        push_quoted(&mut o, &c.owner);
        o.push_str(", note: ");
        push_quoted(&mut o, &c.note);
        o.push_str("),\n");
    }
    close_list(&mut o, reg.controls.is_empty());

    open_list(&mut o, "decisions", reg.decisions.is_empty());
    for d in &reg.decisions {
        o.push_str("        (control: ");
        push_quoted(&mut o, &d.control);
        let _ = write!(o, ", applicable: {}, reason: ", d.applicable);
        push_quoted(&mut o, &d.reason);
        o.push_str("),\n");
    }
    close_list(&mut o, reg.decisions.is_empty());

    match &reg.baseline {
        None => o.push_str("    baseline: None,\n"),
        Some(b) => {
            let _ = writeln!(o, "    baseline: Some((\n        version: {},", b.version);
            o.push_str("        approved: ");
            push_date(&mut o, b.approved);
            o.push_str(",\n        by: ");
            push_quoted(&mut o, &b.by);
            o.push_str(",\n");
            if b.entries.is_empty() {
                o.push_str("        entries: [],\n");
            } else {
                o.push_str("        entries: [\n");
                for e in &b.entries {
                    o.push_str("            (control: ");
                    push_quoted(&mut o, &e.control);
                    let _ = writeln!(
                        o,
                        ", applicable: {}, status: {}),",
                        e.applicable.as_str(),
                        e.status.as_str()
                    );
                }
                o.push_str("        ],\n");
            }
            o.push_str("    )),\n");
        }
    }

    open_list(&mut o, "history", reg.history.is_empty());
    for h in &reg.history {
        o.push_str("        (on: ");
        push_date(&mut o, h.on);
        o.push_str(", by: ");
        push_quoted(&mut o, &h.by);
        o.push_str(", summary: ");
        push_quoted(&mut o, &h.summary);
        o.push_str("),\n");
    }
    close_list(&mut o, reg.history.is_empty());
    o.push_str(")\n");
    o
}

fn open_list(o: &mut String, name: &str, empty: bool) {
    let _ = write!(o, "    {name}: [");
    if !empty {
        o.push('\n');
    }
}

fn close_list(o: &mut String, empty: bool) {
    if empty {
        o.push_str("],\n");
    } else {
        o.push_str("    ],\n");
    }
}

fn push_risk(o: &mut String, r: &Risk) {
    o.push_str("        (\n            id: ");
    push_quoted(o, &r.id);
    o.push_str(",\n            title: ");
    push_quoted(o, &r.title);
    o.push_str(",\n            asset: ");
    push_quoted(o, &r.asset);
    o.push_str(",\n            threat: ");
    push_quoted(o, &r.threat);
    o.push_str(",\n            vulnerability: ");
    push_quoted(o, &r.vulnerability);
    let _ = write!(
        o,
        ",\n            likelihood: {},\n            impact: {},\n            treatment: {},\n            controls: ",
        r.likelihood,
        r.impact,
        r.treatment.as_str()
    );
    push_list(o, &r.controls);
    o.push_str(",\n            owner: ");
    push_quoted(o, &r.owner);
    o.push_str(",\n            reviewed: ");
    push_opt_date(o, r.reviewed);
    o.push_str(",\n            due: ");
    push_opt_date(o, r.due);
    o.push_str(",\n            residual: ");
    match &r.residual {
        None => o.push_str("None"),
        Some(m) => {
            let _ = write!(
                o,
                "Some((likelihood: {}, impact: {}, note: ",
                m.likelihood, m.impact
            );
            push_quoted(o, &m.note);
            o.push_str("))");
        }
    }
    o.push_str(",\n            acceptance: ");
    match &r.acceptance {
        None => o.push_str("None"),
        Some(a) => {
            o.push_str("Some((by: ");
            push_quoted(o, &a.by);
            o.push_str(", on: ");
            push_date(o, a.on);
            o.push_str(", until: ");
            push_date(o, a.until);
            o.push_str(", accepted_score: ");
            match a.accepted_score {
                Some(s) => {
                    let _ = write!(o, "Some({s})");
                }
                None => o.push_str("None"),
            }
            o.push_str(", accepted_controls: ");
            match &a.accepted_controls {
                Some(c) => {
                    o.push_str("Some(");
                    push_list(o, c);
                    o.push(')');
                }
                None => o.push_str("None"),
            }
            o.push_str("))");
        }
    }
    o.push_str(",\n            factor: ");
    push_opt_str(o, &r.factor);
    o.push_str(",\n        ),\n");
}
