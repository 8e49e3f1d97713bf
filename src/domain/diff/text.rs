//! A diff as the change note `riskbench diff` prints and a person pastes
//! into a management-review record. It lives in the domain, not the CLI,
//! because the workbench shows the same lines (the recovery prompt, the
//! overwrite preview) and must never say less than `diff` would.

use crate::domain::catalog::Catalog;
use crate::domain::fields::EntityChange;

use super::{Diff, RiskChange, RiskChangeKind, SoaChange};

fn soa_line(c: &SoaChange) -> String {
    let title = &Catalog::annex_a().controls()[c.control].title;
    format!("  {:<5} {}: {}", c.id, title, c.describe())
}

fn risk_line(r: &RiskChange) -> String {
    format!("  {:<6} {}: {}", r.id, r.title(), r.describe())
}

/// Appends one line of the change note with register text (ids, titles,
/// names, level names, file names) escaped for a terminal.
fn push_line(out: &mut String, line: &str) {
    out.push_str(&crate::escape::for_terminal(line));
    out.push('\n');
}

/// The change note a person pastes into a management-review record.
pub fn diff_text(d: &Diff, from: &str, to: &str) -> String {
    let mut out = String::new();
    push_line(&mut out, &format!("Changes from {from} to {to}"));
    if d.is_empty() {
        out.push_str("\nNo changes.\n");
        return out;
    }
    let changes: Vec<&SoaChange> = d.soa_changes().collect();
    let just: Vec<&SoaChange> = d.soa.iter().filter(|c| c.justification_only()).collect();
    // Sections with nothing to say are left out: a title edit reads as
    // one line, not as "0 changes" to the SoA above it.
    if !changes.is_empty() {
        out.push_str(&format!(
            "\nStatement of Applicability: {} change{}\n",
            changes.len(),
            if changes.len() == 1 { "" } else { "s" }
        ));
    }
    if !changes.is_empty() {
        out.push_str(&format!(
            "  ({})\n",
            super::summarize_soa(&changes.iter().map(|c| (*c).clone()).collect::<Vec<_>>())
        ));
    }
    for c in &changes {
        push_line(&mut out, &soa_line(c));
    }
    if !just.is_empty() {
        out.push_str(&format!("\nJustification changes only: {}\n", just.len()));
        for c in just {
            if let Some((b, a)) = &c.justification {
                push_line(&mut out, &format!("  {:<5} {b:?} → {a:?}", c.id));
            }
        }
    }
    if !d.risks.is_empty() || !d.scope.is_empty() {
        let count = |k| d.risks.iter().filter(|r| r.kind == k).count();
        out.push_str(&format!(
            "\nRisks: {} added, {} removed, {} changed\n",
            count(RiskChangeKind::Added),
            count(RiskChangeKind::Removed),
            count(RiskChangeKind::Changed)
        ));
        for r in &d.risks {
            push_line(&mut out, &risk_line(r));
        }
    }
    if !d.scope.is_empty() {
        out.push_str("\nScope changed: tell the certification body\n");
        for s in &d.scope {
            push_line(
                &mut out,
                &format!("  {} {}: {}", s.id, s.name, s.describe()),
            );
        }
    }
    for (heading, list) in [
        ("Register contents", &d.entities),
        ("Risks out of scope", &d.unscoped),
    ] {
        if list.is_empty() {
            continue;
        }
        let lines: Vec<String> = list.iter().flat_map(EntityChange::lines).collect();
        out.push_str(&format!(
            "\n{heading}: {} change{}\n",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        ));
        for line in lines {
            push_line(&mut out, &format!("  {line}"));
        }
    }
    out
}
