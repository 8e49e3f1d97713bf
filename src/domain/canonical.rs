//! The canonical text form of a register.
//!
//! Hand-written rather than `ron::ser::to_string_pretty` so the file reads
//! like the spec's example and diffs well in git: one asset, threat, factor,
//! control state or decision per line, each risk as a block with every field
//! present. The output always parses back to the same register, and writing
//! that again gives the same bytes (load + save of a canonical file is
//! byte-identical).
//!
//! [`to_canonical`] writes a register held in memory into one string;
//! [`write_canonical`] writes the same bytes to any writer, taking the long
//! lists from iterators, so a register made one risk at a time (`riskbench
//! generate`) never has to exist whole. Both run the same code, entry by
//! entry, so they cannot drift apart.

use std::borrow::Borrow;
use std::fmt::Write;
use std::io;

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

/// A register to write in canonical form, in file order: the four lists
/// that grow with its size come as iterators (borrowed from a register in
/// memory, or made one at a time by a generator), everything else from
/// `rest`, whose own assets, threats, risks and controls are not read.
pub(crate) struct Parts<'r, A, T, R, C> {
    pub rest: &'r Register,
    pub assets: A,
    pub threats: T,
    pub risks: R,
    pub controls: C,
}

/// What [`write_canonical`] lets accumulate before writing it out: large
/// enough that a write call costs nothing per risk, small enough that
/// memory does not depend on the register.
const CHUNK: usize = 64 * 1024;

/// Writes the register in canonical form.
pub fn to_canonical(reg: &Register) -> String {
    let mut o = String::with_capacity(256 + reg.risks.len() * 420);
    let parts = Parts {
        rest: reg,
        assets: reg.assets.iter(),
        threats: reg.threats.iter(),
        risks: reg.risks.iter(),
        controls: reg.controls.iter(),
    };
    // Nothing is flushed, so nothing can fail.
    let _ = emit(parts, &mut o, &mut |_| Ok(()));
    o
}

/// Writes a register in canonical form to `out` a piece at a time: the
/// same bytes as [`to_canonical`] (both go through the same code), in
/// memory that does not grow with the register. Returns the number of
/// bytes written.
pub(crate) fn write_canonical<A, T, R, C>(
    parts: Parts<'_, A, T, R, C>,
    mut out: impl io::Write,
) -> io::Result<u64>
where
    A: Iterator<Item: Borrow<Asset>>,
    T: Iterator<Item: Borrow<Threat>>,
    R: Iterator<Item: Borrow<Risk>>,
    C: Iterator<Item: Borrow<ControlState>>,
{
    let mut written = 0u64;
    let mut buf = String::with_capacity(CHUNK + 4096);
    {
        let mut write_out = |o: &mut String| -> io::Result<()> {
            out.write_all(o.as_bytes())?;
            written += o.len() as u64;
            o.clear();
            Ok(())
        };
        emit(parts, &mut buf, &mut |o| {
            if o.len() >= CHUNK {
                write_out(o)
            } else {
                Ok(())
            }
        })?;
        write_out(&mut buf)?;
    }
    out.flush()?;
    Ok(written)
}

/// The canonical text, in order, into `o`; `flush` is offered `o` after
/// every entry of a list and may write it out and empty it.
fn emit<A, T, R, C>(
    parts: Parts<'_, A, T, R, C>,
    o: &mut String,
    flush: &mut impl FnMut(&mut String) -> io::Result<()>,
) -> io::Result<()>
where
    A: Iterator<Item: Borrow<Asset>>,
    T: Iterator<Item: Borrow<Threat>>,
    R: Iterator<Item: Borrow<Risk>>,
    C: Iterator<Item: Borrow<ControlState>>,
{
    let reg = parts.rest;
    let _ = writeln!(o, "Register(");
    // Every schema read is written as the current one (REGISTER.md §5);
    // an unsupported number is kept so that `check` still names it.
    let schema = if SCHEMAS_READ.contains(&reg.schema) {
        SCHEMA_VERSION
    } else {
        reg.schema
    };
    let _ = writeln!(o, "    schema: {schema},");
    o.push_str("    name: ");
    push_quoted(o, &reg.name);
    o.push_str(",\n    scope: ");
    push_quoted(o, &reg.scope);
    o.push_str(",\n");
    push_method(o, &reg.method);
    if !reg.own_controls.is_empty() {
        entries(
            o,
            "own_controls",
            reg.own_controls.iter(),
            push_own_control,
            flush,
        )?;
    }

    entries(o, "factors", reg.factors.iter(), push_factor, flush)?;
    entries(o, "assets", parts.assets, push_asset, flush)?;
    entries(o, "threats", parts.threats, push_threat, flush)?;
    entries(o, "risks", parts.risks, push_risk, flush)?;
    entries(o, "controls", parts.controls, push_control, flush)?;
    entries(o, "decisions", reg.decisions.iter(), push_decision, flush)?;
    // Fields new in schema 2 are left out while they hold their default.
    if !reg.actions.is_empty() {
        entries(o, "actions", reg.actions.iter(), push_action, flush)?;
    }
    if let Some(p) = &reg.plan_approval {
        o.push_str("    plan_approval: Some((on: ");
        push_date(o, p.on);
        o.push_str(", by: ");
        push_quoted(o, &p.by);
        o.push_str(", note: ");
        push_quoted(o, &p.note);
        o.push_str(")),\n");
    }
    if !reg.conflicts.is_empty() {
        entries(o, "conflicts", reg.conflicts.iter(), push_conflict, flush)?;
    }
    if !reg.baselines.is_empty() {
        entries(o, "baselines", reg.baselines.iter(), push_baseline, flush)?;
    }
    entries(o, "history", reg.history.iter(), push_history, flush)?;
    o.push_str(")\n");
    Ok(())
}

/// One list: `name: [` … `],` with one `push` per item, or `name: [],`.
fn entries<E, I>(
    o: &mut String,
    name: &str,
    items: I,
    push: fn(&mut String, &E),
    flush: &mut impl FnMut(&mut String) -> io::Result<()>,
) -> io::Result<()>
where
    I: Iterator<Item: Borrow<E>>,
{
    let mut items = items.peekable();
    let empty = items.peek().is_none();
    open_list(o, name, empty);
    for item in items {
        push(o, item.borrow());
        flush(o)?;
    }
    close_list(o, empty);
    Ok(())
}

fn push_method(o: &mut String, m: &Method) {
    o.push_str("    method: (\n        likelihood: ");
    push_list(o, &m.likelihood);
    if !m.likelihood_criteria.is_empty() {
        o.push_str(",\n        likelihood_criteria: ");
        push_list(o, &m.likelihood_criteria);
    }
    o.push_str(",\n        impact: ");
    push_list(o, &m.impact);
    if !m.impact_criteria.is_empty() {
        o.push_str(",\n        impact_criteria: ");
        push_list(o, &m.impact_criteria);
    }
    o.push_str(",\n        levels: [\n");
    for l in &m.levels {
        o.push_str("            (name: ");
        push_quoted(o, &l.name);
        let _ = write!(o, ", up_to: {}, review_days: {}", l.up_to, l.review_days);
        if !l.accept_by.is_empty() {
            o.push_str(", accept_by: ");
            push_list(o, &l.accept_by);
        }
        o.push_str("),\n");
    }
    o.push_str("        ],\n");
    match &m.matrix {
        None => o.push_str("        matrix: None,\n"),
        Some(rows) => {
            o.push_str("        matrix: Some([\n");
            for row in rows {
                o.push_str("            ");
                push_list(o, row);
                o.push_str(",\n");
            }
            o.push_str("        ]),\n");
        }
    }
    let _ = writeln!(o, "        appetite: {},", m.appetite);
    if let Some(d) = m.evidence_days {
        let _ = writeln!(o, "        evidence_days: Some({d}),");
    }
    o.push_str("    ),\n");
}

fn push_factor(o: &mut String, f: &Factor) {
    o.push_str("        (id: ");
    push_quoted(o, &f.id);
    o.push_str(", label: ");
    push_quoted(o, &f.label);
    let _ = write!(o, ", on: {}, requires: ", f.on);
    push_list(o, &f.requires);
    o.push_str("),\n");
}

fn push_asset(o: &mut String, a: &Asset) {
    o.push_str("        (id: ");
    push_quoted(o, &a.id);
    o.push_str(", name: ");
    push_quoted(o, &a.name);
    let _ = write!(o, ", kind: {}, owner: ", a.kind.as_str());
    push_quoted(o, &a.owner);
    o.push_str(", factor: ");
    push_opt_str(o, &a.factor);
    o.push_str("),\n");
}

fn push_threat(o: &mut String, t: &Threat) {
    o.push_str("        (id: ");
    push_quoted(o, &t.id);
    o.push_str(", name: ");
    push_quoted(o, &t.name);
    let _ = write!(o, ", shift: {}", t.shift);
    if !t.source.is_empty() {
        o.push_str(", source: ");
        push_quoted(o, &t.source);
    }
    o.push_str("),\n");
}

fn push_control(o: &mut String, c: &ControlState) {
    o.push_str("        (id: ");
    push_quoted(o, &c.id);
    let _ = write!(
        o,
        ", status: {}, effectiveness: {}, owner: ",
        c.status.as_str(),
        c.effectiveness
    );
    push_quoted(o, &c.owner);
    o.push_str(", note: ");
    push_quoted(o, &c.note);
    if !c.evidence.is_empty() {
        o.push_str(", evidence: [");
        for (i, e) in c.evidence.iter().enumerate() {
            if i > 0 {
                o.push_str(", ");
            }
            o.push_str("(what: ");
            push_quoted(o, &e.what);
            o.push_str(", at: ");
            push_quoted(o, &e.at);
            o.push_str(", on: ");
            push_date(o, e.on);
            o.push_str(", by: ");
            push_quoted(o, &e.by);
            o.push(')');
        }
        o.push(']');
    }
    o.push_str("),\n");
}

fn push_own_control(o: &mut String, c: &OwnControl) {
    o.push_str("        (id: ");
    push_quoted(o, &c.id);
    o.push_str(", title: ");
    push_quoted(o, &c.title);
    o.push_str(", types: [");
    for (i, t) in c.types.iter().enumerate() {
        if i > 0 {
            o.push_str(", ");
        }
        o.push_str(t.as_str());
    }
    o.push_str("], maps_to: ");
    push_list(o, &c.maps_to);
    o.push_str("),\n");
}

fn push_opt_int(o: &mut String, v: Option<impl std::fmt::Display>) {
    match v {
        Some(n) => {
            let _ = write!(o, "Some({n})");
        }
        None => o.push_str("None"),
    }
}

fn push_action(o: &mut String, a: &Action) {
    o.push_str("        (\n            id: ");
    push_quoted(o, &a.id);
    o.push_str(",\n            title: ");
    push_quoted(o, &a.title);
    o.push_str(",\n            risks: ");
    push_list(o, &a.risks);
    o.push_str(",\n            controls: ");
    push_list(o, &a.controls);
    o.push_str(",\n            owner: ");
    push_quoted(o, &a.owner);
    o.push_str(",\n            due: ");
    push_opt_date(o, a.due);
    let _ = write!(o, ",\n            status: {}", a.status.as_str());
    o.push_str(",\n            done_on: ");
    push_opt_date(o, a.done_on);
    o.push_str(",\n            effort_days: ");
    push_opt_int(o, a.effort_days);
    o.push_str(",\n            cost: ");
    push_opt_int(o, a.cost);
    o.push_str(",\n            note: ");
    push_quoted(o, &a.note);
    o.push_str(",\n        ),\n");
}

fn push_conflict(o: &mut String, c: &Conflict) {
    o.push_str("        (entity: ");
    push_quoted(o, &c.entity);
    o.push_str(", id: ");
    push_quoted(o, &c.id);
    o.push_str(", field: ");
    push_quoted(o, &c.field);
    o.push_str(", base: ");
    push_quoted(o, &c.base);
    o.push_str(", ours: ");
    push_quoted(o, &c.ours);
    o.push_str(", theirs: ");
    push_quoted(o, &c.theirs);
    o.push_str("),\n");
}

fn push_decision(o: &mut String, d: &Decision) {
    o.push_str("        (control: ");
    push_quoted(o, &d.control);
    let _ = write!(o, ", applicable: {}, reason: ", d.applicable);
    push_quoted(o, &d.reason);
    o.push_str("),\n");
}

fn push_baseline(o: &mut String, b: &Baseline) {
    let _ = writeln!(o, "        (\n            version: {},", b.version);
    o.push_str("            approved: ");
    push_date(o, b.approved);
    o.push_str(",\n            by: ");
    push_quoted(o, &b.by);
    o.push_str(",\n            note: ");
    push_quoted(o, &b.note);
    o.push_str(",\n");
    if b.entries.is_empty() {
        o.push_str("            entries: [],\n");
    } else {
        o.push_str("            entries: [\n");
        for e in &b.entries {
            o.push_str("                (control: ");
            push_quoted(o, &e.control);
            let _ = writeln!(
                o,
                ", applicable: {}, status: {}),",
                e.applicable.as_str(),
                e.status.as_str()
            );
        }
        o.push_str("            ],\n");
    }
    o.push_str("        ),\n");
}

fn push_history(o: &mut String, h: &HistoryEntry) {
    o.push_str("        (on: ");
    push_date(o, h.on);
    o.push_str(", by: ");
    push_quoted(o, &h.by);
    o.push_str(", summary: ");
    push_quoted(o, &h.summary);
    o.push_str("),\n");
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
            if !a.reason.is_empty() {
                o.push_str(", reason: ");
                push_quoted(o, &a.reason);
            }
            o.push_str("))");
        }
    }
    o.push_str(",\n            factor: ");
    push_opt_str(o, &r.factor);
    if !r.cia.is_empty() {
        o.push_str(",\n            cia: [");
        for (i, c) in r.cia.iter().enumerate() {
            if i > 0 {
                o.push_str(", ");
            }
            o.push_str(c.as_str());
        }
        o.push(']');
    }
    if !r.notes.is_empty() {
        o.push_str(",\n            notes: [");
        for (i, n) in r.notes.iter().enumerate() {
            if i > 0 {
                o.push_str(", ");
            }
            o.push_str("(on: ");
            push_date(o, n.on);
            o.push_str(", by: ");
            push_quoted(o, &n.by);
            o.push_str(", text: ");
            push_quoted(o, &n.text);
            o.push(')');
        }
        o.push(']');
    }
    o.push_str(",\n        ),\n");
}
