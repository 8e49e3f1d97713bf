//! `riskbench diff OLD NEW`, `riskbench diff FILE [--since N]` (current
//! SoA vs its approved baseline, or approved version N) and `riskbench
//! diff FILE --git REV`.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use serde_json::{Value, json};

/// The text form is the domain's: the workbench shows the same lines.
pub use crate::domain::diff::diff_text;
use crate::domain::diff::{
    Diff, NamedScore, RiskState, ScopeKind, SoaState, baseline_changes_from, compare,
};
use crate::domain::fields::{EntityChange, FieldChange};
use crate::domain::{Analysis, Baseline, Register};
use crate::store;

use super::{CheckFormat, EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK};

fn score_json(s: &NamedScore) -> Value {
    json!({"likelihood": s.likelihood, "impact": s.impact, "score": s.score, "level": &*s.level})
}

fn state_json(s: &RiskState) -> Value {
    let mut residual = score_json(&s.residual);
    residual["manual"] = json!(s.manual);
    json!({
        "title": s.title,
        "inherent": score_json(&s.inherent),
        "residual": residual,
        "target": score_json(&s.target),
        "above_appetite": s.above_appetite,
    })
}

fn soa_state_json(s: &SoaState) -> Value {
    json!({"applicable": s.applicable.as_str(), "status": s.status.as_str()})
}

/// Each changed field with its value before and after, as text (an extra
/// key, `changes`, next to the spec's `fields` names).
fn field_changes_json(fields: &[FieldChange]) -> Value {
    fields
        .iter()
        .map(|f| json!({"field": f.field, "before": f.before, "after": f.after}))
        .collect()
}

/// `{id, change, fields, before, after}` (REGISTER.md §5), plus `changes`.
/// The method, the register's header and the plan's approval have no id of
/// their own: theirs is the entity's name (a baseline's is its version).
fn entity_json(e: &EntityChange) -> Value {
    json!({
        "id": if e.id.is_empty() { e.entity } else { e.id.as_str() },
        "change": e.kind.as_str(),
        "fields": e.field_names(),
        "before": e.before,
        "after": e.after,
        "changes": field_changes_json(&e.fields),
    })
}

/// The JSON key each kind of entity is listed under.
const ENTITY_KEYS: [(&str, &str); 13] = [
    ("register", "register"),
    ("method", "method"),
    ("own_control", "own_controls"),
    ("factor", "factors"),
    ("asset", "assets"),
    ("threat", "threats"),
    ("control", "controls"),
    ("decision", "decisions"),
    ("action", "actions"),
    ("plan_approval", "plan_approval"),
    ("conflict", "conflicts"),
    ("baseline", "baselines"),
    ("history", "history"),
];

/// The spec's JSON shape (REGISTER.md §4 and §5), plus `scope`, the
/// register's header, baseline and history, and `risks_out_of_scope`
/// (risks out of scope on both sides that were edited, added or removed).
pub fn diff_json(d: &Diff) -> Value {
    let risks: Vec<Value> = d
        .risks
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "change": r.kind.as_str(),
                "fields": r.field_names(),
                "before": r.before.as_ref().map(state_json),
                "after": r.after.as_ref().map(state_json),
                "changes": field_changes_json(&r.fields),
            })
        })
        .collect();
    let soa: Vec<Value> = d
        .soa
        .iter()
        .map(|c| {
            let mut v = json!({
                "id": c.id,
                "before": soa_state_json(&c.before),
                "after": soa_state_json(&c.after),
            });
            if let Some((b, a)) = &c.justification {
                v["justification"] = json!({"before": b, "after": a});
            }
            v
        })
        .collect();
    let scope: Vec<Value> = d
        .scope
        .iter()
        .map(|s| {
            json!({
                "kind": match s.kind { ScopeKind::Asset => "asset", ScopeKind::Risk => "risk" },
                "id": s.id,
                "name": s.name,
                "change": if s.into_scope { "into-scope" } else { "out-of-scope" },
                "factor": s.factor,
            })
        })
        .collect();
    let mut out = json!({"risks": risks, "soa": soa, "scope": scope});
    for (entity, key) in ENTITY_KEYS {
        out[key] = d
            .entities
            .iter()
            .filter(|e| e.entity == entity)
            .map(entity_json)
            .collect();
    }
    out["risks_out_of_scope"] = d.unscoped.iter().map(entity_json).collect();
    out
}

/// Loads and analyses, refusing registers with errors (exit 1) and
/// malformed files (exit 2).
pub(crate) fn analysed(
    label: &str,
    loaded: Result<(store::Loaded, store::Located), store::LoadError>,
    today: NaiveDate,
) -> Result<(Register, Analysis), i32> {
    analysed_with(label, loaded, today, false)
}

/// [`analysed`], but with `conflicts_allowed` a register whose only errors
/// are `merge-conflict` is compared rather than refused: after a merge, what
/// changed is what a person needs to see next to what conflicts. The
/// conflicts still go to stderr as errors, and `diff` shows them first and
/// exits 1 (REGISTER.md §4 has `diff` refuse a register with errors; issue
/// 18 asks it to understand a merged one: the exit status and stderr keep
/// the first, the output gives the second).
fn analysed_with(
    label: &str,
    loaded: Result<(store::Loaded, store::Located), store::LoadError>,
    today: NaiveDate,
    conflicts_allowed: bool,
) -> Result<(Register, Analysis), i32> {
    let (loaded, located) = loaded.map_err(|e| {
        crate::ewarn!("{e}");
        EXIT_BAD_INPUT
    })?;
    let analysis = Analysis::new(&loaded.register, today);
    if conflicts_allowed && analysis.errors().all(|f| f.code == "merge-conflict") {
        for c in &loaded.register.conflicts {
            crate::ewarn!(
                "{label}: error[merge-conflict] {}",
                crate::domain::merge::describe(c)
            );
        }
        return Ok((loaded.register, analysis));
    }
    if analysis.has_errors() {
        // A merged register with conflicts is refused like any register
        // with errors (REGISTER.md §4: `merge-conflict` is an error), but
        // its conflicts come first, as a section of their own: they are
        // why, and what to resolve.
        let conflicts = &loaded.register.conflicts;
        if !conflicts.is_empty() {
            crate::ewarn!(
                "{label}: Conflicts: {} unresolved from a merge (the register holds ours for each)",
                conflicts.len()
            );
            for c in conflicts {
                crate::ewarn!("  {}", crate::domain::merge::describe(c));
            }
        }
        for f in analysis.errors().filter(|f| f.code != "merge-conflict") {
            let pos = located
                .locate(f)
                .map(|(l, c)| format!(":{l}:{c}"))
                .unwrap_or_default();
            crate::ewarn!("{label}{pos}: error[{}] {}: {}", f.code, f.at, f.message);
        }
        if conflicts.is_empty() {
            crate::ewarn!(
                "{label}: the register has errors; fix them first (see `riskbench check`)"
            );
        } else {
            crate::ewarn!(
                "{label}: resolve the merge conflicts first (key C in the workbench, or remove each entry of `conflicts` once decided), and fix any other error (see `riskbench check`)"
            );
        }
        return Err(EXIT_FINDINGS);
    }
    Ok((loaded.register, analysis))
}

/// The unresolved merge conflicts of the registers compared, described
/// (a conflict present in both is listed once).
fn conflict_lines(registers: &[&Register]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for c in registers.iter().flat_map(|r| &r.conflicts) {
        let line = crate::domain::merge::describe(c);
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines
}

/// A `--git` revision that git could take for something else is refused
/// before git runs: an empty one (`git show :./FILE` reads the index, not a
/// commit) and one starting with `-`, which git would read as an option
/// (`--git=--output=PATH` made git write a file).
fn check_rev(rev: &str) -> Result<(), String> {
    if rev.is_empty() {
        return Err(
            "--git: the revision is empty; give a commit, branch or tag (e.g. HEAD)".into(),
        );
    }
    if rev.starts_with('-') {
        return Err(format!(
            "--git {rev:?}: a revision cannot start with '-' (git would read it as an option)"
        ));
    }
    Ok(())
}

/// The file's content at a git revision (`git show --end-of-options
/// REV:./FILE`, run in the file's directory so relative paths work from
/// anywhere in the tree). `--end-of-options` makes git read what follows as
/// a revision whatever it looks like, on top of [`check_rev`].
pub(crate) fn git_show(file: &Path, rev: &str) -> Result<String, String> {
    check_rev(rev)?;
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = file
        .file_name()
        .ok_or_else(|| format!("{}: not a file", file.display()))?
        .to_string_lossy()
        .to_string();
    let out = Command::new("git")
        .arg("-C")
        .arg(&dir)
        .arg("show")
        .arg("--end-of-options")
        .arg(format!("{rev}:./{name}"))
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "{}: cannot read it at git revision {rev:?}: {}",
            file.display(),
            err.trim()
        ));
    }
    String::from_utf8(out.stdout)
        .map_err(|_| format!("{} at {rev} is not valid UTF-8", file.display()))
}

/// What `diff FILE` compares FILE with: a newer register, the file at a
/// git revision, or (neither) one of its own approved SoA versions — the
/// last one, or version `since`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Against<'a> {
    /// `diff OLD NEW`.
    pub new: Option<&'a Path>,
    /// `--git REV`.
    pub git: Option<&'a str>,
    /// `--since N`.
    pub since: Option<u32>,
}

/// The baseline `diff FILE [--since N]` compares with: version `since`, or
/// the approved (last) one. An unknown version is exit 2 with the versions
/// there are.
fn chosen_baseline<'r>(
    file: &Path,
    reg: &'r Register,
    since: Option<u32>,
) -> Result<Option<&'r Baseline>, i32> {
    let Some(n) = since else {
        return Ok(reg.approved_baseline());
    };
    if let Some(b) = reg.baselines.iter().find(|b| b.version == n) {
        return Ok(Some(b));
    }
    let versions: Vec<String> = reg
        .baselines
        .iter()
        .map(|b| b.version.to_string())
        .collect();
    if versions.is_empty() {
        crate::ewarn!(
            "{}: --since {n}: the SoA has never been approved (no baselines)",
            file.display()
        );
    } else {
        crate::ewarn!(
            "{}: --since {n}: no SoA version {n}; the approved versions are {}",
            file.display(),
            versions.join(", ")
        );
    }
    Err(EXIT_BAD_INPUT)
}

pub fn run(
    old: &Path,
    against: Against<'_>,
    today: NaiveDate,
    format: CheckFormat,
    exit_code: bool,
) -> Result<i32, i32> {
    let Against { new, git, since } = against;
    if since.is_some() && (new.is_some() || git.is_some()) {
        crate::ewarn!(
            "diff: --since N compares one FILE with its own SoA version N; it takes no NEW or --git"
        );
        return Err(EXIT_BAD_INPUT);
    }
    let conflicts: Vec<String>;
    let (d, from, to) = match (new, git) {
        (Some(_), Some(_)) => {
            crate::ewarn!("diff: give either NEW or --git REV, not both");
            return Err(EXIT_BAD_INPUT);
        }
        (Some(new), None) => {
            let (a, an) = analysed_with(
                &old.display().to_string(),
                store::load_file_located(old),
                today,
                true,
            )?;
            let (b, bn) = analysed_with(
                &new.display().to_string(),
                store::load_file_located(new),
                today,
                true,
            )?;
            conflicts = conflict_lines(&[&a, &b]);
            let d = compare(&a, &an, &b, &bn);
            (d, old.display().to_string(), new.display().to_string())
        }
        (None, Some(rev)) => {
            let text = git_show(old, rev).map_err(|e| {
                crate::ewarn!("{e}");
                EXIT_BAD_INPUT
            })?;
            let label = format!("{}@{rev}", old.display());
            let (a, an) = analysed_with(
                &label,
                store::parse_str(&label, &text).map(|l| (l, store::Located::new(text.clone()))),
                today,
                true,
            )?;
            let (b, bn) = analysed_with(
                &old.display().to_string(),
                store::load_file_located(old),
                today,
                true,
            )?;
            conflicts = conflict_lines(&[&a, &b]);
            let d = compare(&a, &an, &b, &bn);
            (d, label, old.display().to_string())
        }
        (None, None) => {
            let (reg, an) = analysed_with(
                &old.display().to_string(),
                store::load_file_located(old),
                today,
                true,
            )?;
            conflicts = conflict_lines(&[&reg]);
            let baseline = chosen_baseline(old, &reg, since)?;
            let from = match baseline {
                Some(b) => format!("SoA v{} approved {} by {}", b.version, b.approved, b.by),
                None => "no approved SoA (no baseline yet)".into(),
            };
            let d = Diff {
                soa: baseline_changes_from(baseline, &an),
                ..Diff::default()
            };
            (d, from, format!("{} now", old.display()))
        }
    };
    match format {
        CheckFormat::Json => crate::outln!("{:#}", diff_json(&d)),
        CheckFormat::Text => {
            let mut text = String::new();
            if !conflicts.is_empty() {
                text.push_str(&format!(
                    "Conflicts: {} from a merge, unresolved (the register holds ours for each; key C in the workbench)\n",
                    conflicts.len()
                ));
                for line in &conflicts {
                    text.push_str(&format!("  {line}\n"));
                }
                text.push('\n');
            }
            text.push_str(&diff_text(&d, &from, &to));
            super::emit(&text);
        }
    }
    Ok(if !conflicts.is_empty() || (exit_code && !d.is_empty()) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
