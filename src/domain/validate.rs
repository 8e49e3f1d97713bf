//! Validation and lint (REGISTER.md §4, `riskbench check`).
//!
//! Errors make a register unusable for `soa`, `risks` and `diff`; warnings
//! are advice (they fail `check` only with `--strict`). Every finding names
//! the entity it is about; the store layer adds the file position.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Serialize;

use super::catalog::Catalog;
use super::eval::{Evaluation, RiskEval};
use super::model::{Acceptance, Id, Method, Register, Risk, SCHEMAS_READ, Treatment, dates};
use super::soa::{Applicability, Soa};

mod collector;
mod evidence;
mod plan;
mod schema2;

use collector::Collector;

pub(crate) use evidence::evidence_findings;
pub(crate) use plan::soa_findings;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The register cannot be used until it is fixed (exit 1).
    Error,
    /// Worth a look; counts only with `check --strict`.
    Warning,
}

/// Which part of the file a finding is about; with `at` it lets the store
/// layer find a position in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// The schema version.
    Schema,
    /// The method: scales, levels, matrix, appetite.
    Method,
    /// The factors.
    Factors,
    /// The assets.
    Assets,
    /// The threats.
    Threats,
    /// The risks.
    Risks,
    /// The control states.
    Controls,
    /// The SoA decisions.
    Decisions,
    /// The approved baselines.
    Baseline,
    /// An owner name: located by its first `owner: "…"`.
    Owner,
    /// The own controls (schema 2).
    OwnControls,
    /// The treatment plan's actions (schema 2).
    Actions,
    /// Merge conflicts awaiting resolution (schema 2).
    Conflicts,
}

/// One thing `riskbench check` reports about a register.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The finding's stable code (`unknown-asset`, REGISTER.md §5).
    pub code: &'static str,
    /// The entity: `R-007`, `5.23`, `A-03`, a factor id, `method`, …
    pub at: String,
    /// Which part of the file it is about.
    pub section: Section,
    /// What is wrong, in words.
    pub message: String,
    /// Index of the risk whose own checks produced this finding (see
    /// [`risk_findings`]).
    pub risk: Option<usize>,
}

/// Reports an id that is not an Annex A 2022 control, suggesting the
/// control it probably means (`A.8.13` → `8.13`).
fn unknown_control(out: &mut Collector, section: Section, at: &str, id: &str, ctx: &str) {
    let catalog = Catalog::annex_a();
    if catalog.get(id).is_none() {
        let hint = catalog
            .resolve(id)
            .map(|c| format!(" (did you mean {:?}?)", c.id))
            .unwrap_or_default();
        out.error(
            "unknown-control",
            section,
            at,
            format!("{ctx} {id:?} is not an Annex A 2022 control{hint}"),
        );
    }
}

/// What changed in an in-scope risk since its acceptance was recorded (the
/// inherent score, the linked controls), one phrase each; empty when the
/// acceptance still describes the risk. One definition for the
/// `acceptance-stale` warning and the workbench's Accepted column, so the
/// two can never disagree.
pub(crate) fn acceptance_changes(acc: &Acceptance, r: &Risk, ev: &RiskEval) -> Vec<String> {
    let mut stale = Vec::new();
    if let Some(s) = acc.accepted_score
        && s != ev.inherent.score
    {
        stale.push(format!(
            "inherent score was {s} and is now {}",
            ev.inherent.score
        ));
    }
    if let Some(ctrls) = &acc.accepted_controls {
        let mut then: Vec<&str> = ctrls.iter().map(Id::as_str).collect();
        let mut now: Vec<&str> = r.controls.iter().map(Id::as_str).collect();
        then.sort_unstable();
        now.sort_unstable();
        if then != now {
            stale.push(format!(
                "linked controls were [{}] and are now [{}]",
                ctrls.join(", "),
                r.controls.join(", ")
            ));
        }
    }
    stale
}

/// The first few items of a long list, then how many more: a control
/// linked by 30,000 risks must not produce a 300 KB message.
fn list_some<'a>(items: impl ExactSizeIterator<Item = &'a str>) -> String {
    const SHOWN: usize = 10;
    let n = items.len();
    let shown: Vec<&str> = items.take(SHOWN).collect();
    if n > SHOWN {
        format!("{} and {} more", shown.join(", "), n - SHOWN)
    } else {
        shown.join(", ")
    }
}

/// Reports a control listed more than once inside one entity's list (a
/// risk's `controls`, a factor's `requires`), against that entity.
fn repeated_links(out: &mut Collector, section: Section, owner: &str, what: &str, ids: &[Id]) {
    let mut seen = HashSet::default();
    let mut reported = HashSet::default();
    for id in ids {
        if !seen.insert(id.as_str()) && reported.insert(id.as_str()) {
            out.error(
                "duplicate-id",
                section,
                owner,
                format!("{what} control {id:?} more than once"),
            );
        }
    }
}

/// Reports every id that occurs more than once (once per duplicate).
fn duplicates<'a>(
    out: &mut Collector,
    section: Section,
    what: &str,
    ids: impl Iterator<Item = &'a str>,
) {
    let mut seen = HashSet::default();
    let mut reported = HashSet::default();
    for id in ids {
        if !seen.insert(id) && reported.insert(id) {
            out.error(
                "duplicate-id",
                section,
                id,
                format!("{what} {id:?} is defined more than once"),
            );
        }
    }
}

/// The findings of the method alone (scales, levels, matrix): what the
/// workbench's settings form checks a candidate method with, so it refuses
/// exactly what `check` would report.
pub(crate) fn method_findings(method: &Method) -> Vec<Finding> {
    let mut out = Collector::new(None);
    check_method(method, &mut out);
    out.findings
}

/// Which of a risk's scores fall outside scales of `n_l` likelihood and
/// `n_i` impact values (the `scale` errors of `check`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct OutOfScale {
    pub likelihood: bool,
    pub impact: bool,
    /// Of the manual residual.
    pub manual_likelihood: bool,
    pub manual_impact: bool,
}

/// Where `r` would break scales of `n_l` × `n_i` values: one rule for
/// `check` and for the settings form that changes a scale.
pub(crate) fn out_of_scale(r: &Risk, n_l: u32, n_i: u32) -> OutOfScale {
    let manual = r.residual.as_deref();
    OutOfScale {
        likelihood: !(1..=n_l).contains(&r.likelihood),
        impact: !(1..=n_i).contains(&r.impact),
        manual_likelihood: manual.is_some_and(|m| !(1..=n_l).contains(&m.likelihood)),
        manual_impact: manual.is_some_and(|m| !(1..=n_i).contains(&m.impact)),
    }
}

fn check_method(m: &Method, out: &mut Collector) {
    for (axis, labels) in [("likelihood", &m.likelihood), ("impact", &m.impact)] {
        if !(2..=10).contains(&labels.len()) {
            out.error(
                "scale",
                Section::Method,
                "method",
                format!(
                    "the {axis} scale has {} labels; it needs 2 to 10",
                    labels.len()
                ),
            );
        }
    }
    if m.levels.is_empty() {
        out.error(
            "levels",
            Section::Method,
            "method",
            "no levels are defined".into(),
        );
    }
    let mut names = HashSet::default();
    for (i, l) in m.levels.iter().enumerate() {
        if !names.insert(l.name.as_str()) {
            out.error(
                "levels",
                Section::Method,
                "method",
                format!("level name {:?} is used twice", l.name),
            );
        }
        if l.review_days > dates::MAX_SPAN_DAYS {
            out.error(
                "date-range",
                Section::Method,
                "method",
                format!(
                    "level {:?} has review_days {}: a next review would fall after {}, the last date a register can hold (at most {} days)",
                    l.name,
                    l.review_days,
                    dates::LAST,
                    dates::MAX_SPAN_DAYS
                ),
            );
        }
        if i > 0 && l.up_to <= m.levels[i - 1].up_to {
            out.error(
                "levels",
                Section::Method,
                "method",
                format!(
                    "level {:?} has up_to {} but must be above the previous level's {}",
                    l.name,
                    l.up_to,
                    m.levels[i - 1].up_to
                ),
            );
        }
    }
    if let Some(last) = m.levels.last()
        && last.up_to < m.max_score()
    {
        out.error(
            "levels",
            Section::Method,
            "method",
            format!(
                "the last level {:?} ends at {} but scores go up to {}",
                last.name,
                last.up_to,
                m.max_score()
            ),
        );
    }
    if let Some(matrix) = &m.matrix {
        if matrix.len() != m.likelihood.len() {
            out.error(
                "matrix",
                Section::Method,
                "method",
                format!(
                    "the matrix has {} rows; it needs one per likelihood value ({})",
                    matrix.len(),
                    m.likelihood.len()
                ),
            );
        }
        for (r, row) in matrix.iter().enumerate() {
            if row.len() != m.impact.len() {
                out.error(
                    "matrix",
                    Section::Method,
                    "method",
                    format!(
                        "matrix row {} has {} cells; it needs one per impact value ({})",
                        r + 1,
                        row.len(),
                        m.impact.len()
                    ),
                );
            }
            for cell in row {
                if !names.contains(cell.as_str()) {
                    out.error(
                        "matrix",
                        Section::Method,
                        "method",
                        format!("matrix row {} names {cell:?}, which is not a level", r + 1),
                    );
                }
            }
        }
    }
}

/// Validates a register against its own evaluation and SoA.
pub fn validate(reg: &Register, eval: &Evaluation, soa: &Soa) -> Vec<Finding> {
    validate_into(reg, eval, soa, Collector::new(None))
}

/// [`validate`]'s errors alone, for the documents, which show no warnings:
/// at 100,000 risks the warnings are thousands of findings held in memory
/// for nothing while the workbook is written.
pub fn validate_errors(reg: &Register, eval: &Evaluation, soa: &Soa) -> Vec<Finding> {
    validate_into(reg, eval, soa, Collector::errors_only())
}

fn validate_into(reg: &Register, eval: &Evaluation, soa: &Soa, mut out: Collector) -> Vec<Finding> {
    let catalog = Catalog::annex_a();

    if !SCHEMAS_READ.contains(&reg.schema) {
        out.error(
            "schema",
            Section::Schema,
            "schema",
            format!(
                "schema {} is not supported; this riskbench reads schemas 1 and 2",
                reg.schema
            ),
        );
    }
    check_method(&reg.method, &mut out);

    duplicates(
        &mut out,
        Section::Factors,
        "factor",
        reg.factors.iter().map(|f| f.id.as_str()),
    );
    duplicates(
        &mut out,
        Section::Assets,
        "asset",
        reg.assets.iter().map(|a| a.id.as_str()),
    );
    duplicates(
        &mut out,
        Section::Threats,
        "threat",
        reg.threats.iter().map(|t| t.id.as_str()),
    );
    duplicates(
        &mut out,
        Section::Risks,
        "risk",
        reg.risks.iter().map(|r| r.id.as_str()),
    );
    duplicates(
        &mut out,
        Section::Controls,
        "control state for",
        reg.controls.iter().map(|c| c.id.as_str()),
    );
    duplicates(
        &mut out,
        Section::Decisions,
        "decision for control",
        reg.decisions.iter().map(|d| d.control.as_str()),
    );

    for f in &reg.factors {
        for id in &f.requires {
            unknown_control(&mut out, Section::Factors, &f.id, id, "required control");
        }
        repeated_links(&mut out, Section::Factors, &f.id, "requires", &f.requires);
    }
    let lk = &eval.lookups;
    for a in &reg.assets {
        if let Some(f) = &a.factor
            && !lk.factor_on.contains_key(f)
        {
            out.error(
                "unknown-factor",
                Section::Assets,
                &a.id,
                format!("factor {f:?} is not defined"),
            );
        }
    }

    let planned = plan::Planned::new(reg);
    for i in 0..reg.risks.len() {
        out.risk = Some(i);
        check_risk(reg, eval, i, &mut out);
        plan::check_risk(reg, eval, i, &planned, &mut out);
    }
    out.risk = None;
    schema2::check(reg, &mut out);
    plan::check(reg, eval, soa, &mut out);
    evidence::check(reg, eval, soa, &mut out);

    for c in &reg.controls {
        if !schema2::is_own(reg, &c.id) {
            unknown_control(&mut out, Section::Controls, &c.id, &c.id, "control");
        }
        if c.effectiveness > 100 {
            out.error(
                "effectiveness",
                Section::Controls,
                &c.id,
                format!("effectiveness {} is above 100", c.effectiveness),
            );
        }
    }
    for d in &reg.decisions {
        unknown_control(
            &mut out,
            Section::Decisions,
            &d.control,
            &d.control,
            "decision for",
        );
        if d.reason.trim().is_empty() {
            out.error(
                "empty-reason",
                Section::Decisions,
                &d.control,
                "a decision needs a reason".into(),
            );
        }
    }
    for b in &reg.baselines {
        for e in &b.entries {
            unknown_control(
                &mut out,
                Section::Baseline,
                &e.control,
                &e.control,
                "baseline entry",
            );
        }
        duplicates(
            &mut out,
            Section::Baseline,
            "baseline entry for control",
            b.entries.iter().map(|e| e.control.as_str()),
        );
    }

    for e in &soa.entries {
        let id = &catalog.controls()[e.control].id;
        if e.conflict {
            let mut needs = Vec::new();
            if !e.risks.is_empty() {
                needs.push(format!(
                    "risks {}",
                    list_some(e.risks.iter().map(|&r| reg.risks[r].id.as_str()))
                ));
            }
            if !e.factors.is_empty() {
                let ids: Vec<&str> = e
                    .factors
                    .iter()
                    .map(|&f| reg.factors[f].id.as_str())
                    .collect();
                needs.push(format!("factors {}", ids.join(", ")));
            }
            out.error(
                "excluded-but-needed",
                Section::Decisions,
                id,
                format!(
                    "control is excluded by a decision but needed by {}",
                    needs.join(" and ")
                ),
            );
        }
        if e.applicable == Applicability::Undecided {
            out.warn(
                "undecided-control",
                Section::Decisions,
                id,
                format!(
                    "{:?} is neither linked by a risk, required by a factor nor decided: the SoA needs a decision",
                    catalog.controls()[e.control].title
                ),
            );
        }
    }

    // key-person: one owner holding more than half of the owned items.
    let mut owners: HashMap<&str, usize> = HashMap::default();
    let mut owned = 0usize;
    let in_scope_owners = reg
        .risks
        .iter()
        .enumerate()
        .filter(|(i, _)| eval.risks.get(*i).is_some_and(Option::is_some))
        .map(|(_, r)| r.owner.trim());
    for owner in in_scope_owners.chain(reg.controls.iter().map(|c| c.owner.trim())) {
        if !owner.is_empty() {
            owned += 1;
            *owners.entry(owner).or_default() += 1;
        }
    }
    if owned >= 4 {
        let mut top: Vec<(&str, usize)> = owners.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        if let Some(&(owner, n)) = top.first()
            && n * 2 > owned
        {
            out.warn(
                "key-person",
                Section::Owner,
                owner,
                format!(
                    "{owner} owns {n} of {owned} owned risks and controls: the ISMS depends on one person"
                ),
            );
        }
    }

    out.findings
}

/// True when any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// The checks of one risk (findings tagged with the risk's index).
fn check_risk(reg: &Register, eval: &Evaluation, i: usize, out: &mut Collector) {
    let out = &mut *out;
    let Some(r) = reg.risks.get(i) else {
        return;
    };
    let lk = &eval.lookups;
    let today = eval.today;
    let n_l = reg.method.likelihood.len() as u32;
    let n_i = reg.method.impact.len() as u32;
    let at = r.id.as_str();
    if !lk.asset_index.contains_key(&r.asset) {
        out.error(
            "unknown-asset",
            Section::Risks,
            at,
            format!("asset {:?} is not defined", r.asset),
        );
    }
    if !lk.threat_index.contains_key(&r.threat) {
        out.error(
            "unknown-threat",
            Section::Risks,
            at,
            format!("threat {:?} is not defined", r.threat),
        );
    }
    if let Some(f) = &r.factor
        && !lk.factor_on.contains_key(f)
    {
        out.error(
            "unknown-factor",
            Section::Risks,
            at,
            format!("factor {f:?} is not defined"),
        );
    }
    let bad = out_of_scale(r, n_l, n_i);
    if bad.likelihood {
        out.error(
            "scale",
            Section::Risks,
            at,
            format!("likelihood {} is outside the scale 1..={n_l}", r.likelihood),
        );
    }
    if bad.impact {
        out.error(
            "scale",
            Section::Risks,
            at,
            format!("impact {} is outside the scale 1..={n_i}", r.impact),
        );
    }
    if let Some(m) = &r.residual {
        if bad.manual_likelihood {
            out.error(
                "scale",
                Section::Risks,
                at,
                format!(
                    "manual residual likelihood {} is outside the scale 1..={n_l}",
                    m.likelihood
                ),
            );
        }
        if bad.manual_impact {
            out.error(
                "scale",
                Section::Risks,
                at,
                format!(
                    "manual residual impact {} is outside the scale 1..={n_i}",
                    m.impact
                ),
            );
        }
    }
    for id in &r.controls {
        // Own controls may be linked like Annex A ones (REGISTER.md §5);
        // the evaluation's index knows both (no scan per link).
        if eval.lookups.control_index(id).is_none() {
            unknown_control(out, Section::Risks, at, id, "linked control");
        }
    }
    repeated_links(out, Section::Risks, at, "links", &r.controls);
    schema2::check_risk(r, out);

    if let Some(acc) = &r.acceptance {
        if acc.until < acc.on {
            out.error(
                "acceptance-dates",
                Section::Risks,
                at,
                format!(
                    "acceptance ends ({}) before it starts ({})",
                    acc.until, acc.on
                ),
            );
        }
        if acc.until < today {
            out.warn(
                "acceptance-expired",
                Section::Risks,
                at,
                format!("acceptance by {} expired on {}", acc.by, acc.until),
            );
        }
    }

    let Some(ev) = eval.risk(i) else {
        return;
    };
    if let Some(acc) = &r.acceptance {
        let stale = acceptance_changes(acc, r, ev);
        if !stale.is_empty() {
            out.warn(
                "acceptance-stale",
                Section::Risks,
                at,
                format!(
                    "the risk changed after {} accepted it: {}",
                    acc.by,
                    stale.join("; ")
                ),
            );
        }
    }
    let accepted = r.acceptance.as_ref().is_some_and(|a| a.valid_on(today));
    if ev.above_appetite && r.treatment == Treatment::Retain && !accepted {
        out.warn(
            "above-appetite-untreated",
            Section::Risks,
            at,
            format!(
                "residual {} is above appetite {} and the risk is retained without a valid acceptance",
                ev.residual.score, reg.method.appetite
            ),
        );
    }
    if r.treatment == Treatment::Modify && r.controls.is_empty() {
        out.warn(
            "modify-without-controls",
            Section::Risks,
            at,
            "treatment is Modify but no controls are linked".into(),
        );
    }
    if ev.review_out_of_range {
        let level = ev
            .residual
            .level
            .and_then(|l| reg.method.levels.get(l as usize));
        // A level whose interval leaves the calendar from any date is
        // reported once, at the method, not again at each of its risks.
        if let (Some(reviewed), Some(level)) = (r.reviewed, level)
            && level.review_days <= dates::MAX_SPAN_DAYS
        {
            out.error(
                "date-range",
                Section::Risks,
                at,
                format!(
                    "reviewed {reviewed}, its level {:?} asks for the next review {} days later: after {}, the last date a register can hold",
                    level.name,
                    level.review_days,
                    dates::LAST
                ),
            );
        }
    }
    if ev.overdue {
        let msg = match ev.next_review {
            Some(d) => format!("review was due on {d}"),
            None => "the risk has never been reviewed".into(),
        };
        out.warn("overdue-review", Section::Risks, at, msg);
    }
    if r.owner.trim().is_empty() {
        out.warn(
            "missing-owner",
            Section::Risks,
            at,
            "the risk has no owner".into(),
        );
    }
    if let Some(due) = r.due
        && due < today
        && (ev.residual.likelihood, ev.residual.impact) != (ev.target.likelihood, ev.target.impact)
    {
        out.warn(
            "treatment-overdue",
            Section::Risks,
            at,
            format!(
                "treatment was due on {due} but the residual ({}) has not reached the target ({})",
                ev.residual.score, ev.target.score
            ),
        );
    }
}

/// The findings of one risk alone, for re-checking it after an edit that
/// touched nothing else.
pub(crate) fn risk_findings(reg: &Register, eval: &Evaluation, i: usize) -> Vec<Finding> {
    let mut out = Collector::new(Some(i));
    check_risk(reg, eval, i, &mut out);
    plan::check_risk(reg, eval, i, &plan::Planned::new(reg), &mut out);
    out.findings
}
