//! What changed between two evaluated registers, or between a register's
//! SoA and its approved `baseline` (REGISTER.md §3 "SoA changes" and "Risk
//! changes"). Also scope changes: assets and risks that came into or went
//! out of scope, which a certification body must be told about.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::analysis::Analysis;
use super::catalog::Catalog;
use super::eval::Score;
use super::fields::{EntityChange, EntityChangeKind, FieldChange};
use super::model::{Applicable, ControlStatus, Id, Register, Risk};

/// A score with its level name resolved (registers may use other methods).
/// The name is shared (`Arc<str>`): a snapshot of 100,000 risks holds three
/// per risk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedScore {
    pub likelihood: u32,
    pub impact: u32,
    pub score: u32,
    pub level: Arc<str>,
}

impl NamedScore {
    fn new(names: &[Arc<str>], s: &Score) -> NamedScore {
        NamedScore {
            likelihood: s.likelihood,
            impact: s.impact,
            score: s.score,
            level: s
                .level
                .and_then(|l| names.get(l as usize))
                .cloned()
                .unwrap_or_else(|| Arc::from("?")),
        }
    }
}

/// The level names of a register's method, shared.
fn level_names(reg: &Register) -> Vec<Arc<str>> {
    reg.method
        .levels
        .iter()
        .map(|l| Arc::from(l.name.as_str()))
        .collect()
}

/// One side of a risk change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskState {
    pub title: String,
    pub inherent: NamedScore,
    pub residual: NamedScore,
    pub manual: bool,
    pub target: NamedScore,
    pub above_appetite: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskChangeKind {
    Added,
    Removed,
    Changed,
}

impl RiskChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskChangeKind::Added => "added",
            RiskChangeKind::Removed => "removed",
            RiskChangeKind::Changed => "changed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskChange {
    pub id: Id,
    pub kind: RiskChangeKind,
    pub before: Option<RiskState>,
    pub after: Option<RiskState>,
    /// For `Changed`: the risk's own fields that differ (file order), with
    /// their values before and after (REGISTER.md §5 "Risk changes").
    pub fields: Vec<FieldChange>,
}

impl std::fmt::Display for NamedScore {
    /// `3×4=12 High`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}×{}={} {}",
            self.likelihood, self.impact, self.score, self.level
        )
    }
}

impl RiskChange {
    /// The risk's title (after the change, or before it when removed).
    pub fn title(&self) -> &str {
        self.after
            .as_ref()
            .or(self.before.as_ref())
            .map_or("", |s| s.title.as_str())
    }

    /// What changed, in words: `added · residual 3×4=12 High`,
    /// `residual 3×4=12 High → 2×4=8 Medium; now within appetite`.
    pub fn describe(&self) -> String {
        match (self.kind, &self.before, &self.after) {
            (RiskChangeKind::Added, _, Some(a)) => {
                format!("added · inherent {}, residual {}", a.inherent, a.residual)
            }
            (RiskChangeKind::Removed, Some(b), _) => {
                format!("removed · was residual {}", b.residual)
            }
            (_, Some(b), Some(a)) => {
                let mut parts: Vec<String> = self
                    .fields
                    .iter()
                    .map(|f| format!("{}: {} → {}", f.field, f.before, f.after))
                    .collect();
                for (name, x, y) in [
                    ("inherent", &b.inherent, &a.inherent),
                    ("residual", &b.residual, &a.residual),
                    ("target", &b.target, &a.target),
                ] {
                    if x != y {
                        parts.push(format!("{name} {x} → {y}"));
                    }
                }
                match self.crossed_appetite() {
                    Some(true) => parts.push("now ABOVE appetite".into()),
                    Some(false) => parts.push("now within appetite".into()),
                    None => {}
                }
                parts.join("; ")
            }
            _ => String::new(),
        }
    }

    /// Crossed the appetite line: `Some(true)` went above, `Some(false)`
    /// came back under.
    pub fn crossed_appetite(&self) -> Option<bool> {
        let b = self.before.as_ref().is_some_and(|s| s.above_appetite);
        let a = self.after.as_ref().is_some_and(|s| s.above_appetite);
        (a != b).then_some(a)
    }

    /// The names of what differs, as `diff --format json` lists them: the
    /// risk's own fields in file order, then `inherent`, `residual`,
    /// `target` and `above_appetite` (each name once: a manual residual
    /// edit changes the `residual` field and the evaluated residual).
    pub fn field_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.fields.iter().map(|f| f.field.as_str()).collect();
        if let (Some(b), Some(a)) = (&self.before, &self.after) {
            for (name, differs) in [
                ("inherent", b.inherent != a.inherent),
                ("residual", b.residual != a.residual || b.manual != a.manual),
                ("target", b.target != a.target),
                ("above_appetite", b.above_appetite != a.above_appetite),
            ] {
                if differs && !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }

    pub fn level_changed(&self) -> bool {
        match (&self.before, &self.after) {
            (Some(b), Some(a)) => {
                b.inherent.level != a.inherent.level || b.residual.level != a.residual.level
            }
            _ => true,
        }
    }
}

/// `applicable` and `status` of one control on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoaState {
    pub applicable: Applicable,
    pub status: ControlStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoaChange {
    /// Catalog index.
    pub control: usize,
    pub id: Id,
    pub before: SoaState,
    pub after: SoaState,
    /// `Some((before, after))` when the justification differs (two-file
    /// diffs only: a baseline stores no justification).
    pub justification: Option<(String, String)>,
}

impl SoaChange {
    /// `Undecided → Yes; status NotStarted → Partial`
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.before.applicable != self.after.applicable {
            parts.push(format!(
                "{} → {}",
                self.before.applicable.as_str(),
                self.after.applicable.as_str()
            ));
        }
        if self.before.status != self.after.status {
            parts.push(format!(
                "status {} → {}",
                self.before.status.as_str(),
                self.after.status.as_str()
            ));
        }
        parts.join("; ")
    }

    /// Only the justification differs.
    pub fn justification_only(&self) -> bool {
        self.before == self.after
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Asset,
    Risk,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeChange {
    pub kind: ScopeKind,
    pub id: Id,
    pub name: String,
    /// Came into scope (else went out of scope).
    pub into_scope: bool,
    /// The factor that governs it now (after), when there is one.
    pub factor: Option<Id>,
}

impl ScopeChange {
    /// `asset came into scope (factor cloud)`
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            ScopeKind::Asset => "asset",
            ScopeKind::Risk => "risk",
        };
        let dir = if self.into_scope {
            "came into scope"
        } else {
            "went out of scope"
        };
        let why = self
            .factor
            .as_ref()
            .map(|f| format!(" (factor {f})"))
            .unwrap_or_default();
        format!("{kind} {dir}{why}")
    }
}

/// Everything that changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diff {
    /// Risks in scope on either side: added, removed, or changed in their
    /// own fields or their evaluation.
    pub risks: Vec<RiskChange>,
    pub soa: Vec<SoaChange>,
    pub scope: Vec<ScopeChange>,
    /// Everything else the register says: its name and scope, the method,
    /// factors, assets, threats, control states, decisions, the baseline
    /// and the history, field by field.
    pub entities: Vec<EntityChange>,
    /// Risks out of scope on both sides that were added, removed or edited:
    /// not part of the evaluated register, but a change all the same.
    pub unscoped: Vec<EntityChange>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.risks.is_empty()
            && self.soa.is_empty()
            && self.scope.is_empty()
            && self.entities.is_empty()
            && self.unscoped.is_empty()
    }

    /// SoA changes in applicability or status (not justification-only).
    pub fn soa_changes(&self) -> impl Iterator<Item = &SoaChange> {
        self.soa.iter().filter(|c| !c.justification_only())
    }
}

/// What a comparison needs of one evaluated register, and no more: a
/// 100,000-risk register's snapshot is a fraction of its full evaluation,
/// so the workbench can keep the register as loaded to compare against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// The level names of the register's method.
    levels: Vec<Arc<str>>,
    /// In-scope risks, sorted by id (one per id).
    risks: Vec<StoredRisk>,
    /// Per catalog control: state and justification.
    pub soa: Vec<(SoaState, String)>,
    /// Scope of every asset by id (in or out).
    pub asset_scope: HashMap<Id, bool>,
    /// Risks that are out of scope (the in-scope ones are in `risks`).
    pub out_of_scope: HashSet<Id>,
}

/// One in-scope risk as a snapshot keeps it: scores with their level as an
/// index into the snapshot's level names (about 100 bytes and its title,
/// against about 190 for a [`RiskState`] in a map).
#[derive(Debug, Clone, PartialEq)]
struct StoredRisk {
    id: Id,
    title: Box<str>,
    inherent: Score,
    residual: Score,
    target: Score,
    manual: bool,
    above_appetite: bool,
}

impl Snapshot {
    /// The in-scope risk `id` as this snapshot saw it.
    pub fn risk(&self, id: &str) -> Option<RiskState> {
        self.find(id).map(|r| self.state(r))
    }

    /// The number of in-scope risks.
    pub fn risk_count(&self) -> usize {
        self.risks.len()
    }

    fn find(&self, id: &str) -> Option<&StoredRisk> {
        let at = self.risks.partition_point(|r| r.id.as_str() < id);
        self.risks.get(at).filter(|r| r.id == id)
    }

    fn state(&self, r: &StoredRisk) -> RiskState {
        RiskState {
            title: r.title.to_string(),
            inherent: NamedScore::new(&self.levels, &r.inherent),
            residual: NamedScore::new(&self.levels, &r.residual),
            manual: r.manual,
            target: NamedScore::new(&self.levels, &r.target),
            above_appetite: r.above_appetite,
        }
    }

    fn level_name(&self, s: &Score) -> &str {
        s.level_index()
            .and_then(|l| self.levels.get(l))
            .map_or("?", |n| n)
    }

    /// Whether a risk's evaluated scores are the same in both snapshots
    /// (level by name: the two registers may use different methods).
    fn same_scores(&self, b: &StoredRisk, new: &Snapshot, a: &StoredRisk) -> bool {
        let same = |x: &Score, y: &Score| {
            (x.likelihood, x.impact, x.score) == (y.likelihood, y.impact, y.score)
                && self.level_name(x) == new.level_name(y)
        };
        same(&b.inherent, &a.inherent)
            && same(&b.residual, &a.residual)
            && same(&b.target, &a.target)
            && b.above_appetite == a.above_appetite
    }

    /// Whether the risk exists, and if so whether it is in scope.
    fn risk_in_scope(&self, id: &str) -> Option<bool> {
        if self.find(id).is_some() {
            Some(true)
        } else {
            self.out_of_scope.contains(id).then_some(false)
        }
    }

    pub fn new(reg: &Register, an: &Analysis) -> Snapshot {
        let mut risks: Vec<StoredRisk> = an
            .eval
            .in_scope(reg)
            .map(|(_, r, e)| StoredRisk {
                id: r.id.clone(),
                title: r.title.as_str().into(),
                inherent: e.inherent,
                residual: e.residual,
                target: e.target,
                manual: e.manual,
                above_appetite: e.above_appetite,
            })
            .collect();
        if !an.eval.ids_in_order {
            risks.sort_by(|a, b| a.id.cmp(&b.id));
        }
        risks.dedup_by(|later, first| later.id == first.id);
        let soa = an
            .soa
            .entries
            .iter()
            .map(|e| {
                (
                    SoaState {
                        applicable: e.applicable,
                        status: e.status,
                    },
                    e.justification(reg),
                )
            })
            .collect();
        let asset_scope = reg
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), an.eval.lookups.asset_in_scope(i)))
            .collect();
        let out_of_scope = reg
            .risks
            .iter()
            .enumerate()
            .filter(|(i, _)| an.eval.risks.get(*i).is_some_and(Option::is_none))
            .map(|(_, r)| r.id.clone())
            .collect();
        Snapshot {
            levels: level_names(reg),
            risks,
            soa,
            asset_scope,
            out_of_scope,
        }
    }
}

/// The first risk of each id, for comparing a risk's own fields; empty when
/// the two lists are equal (nothing to compare: the common case of a
/// register whose risks were not edited costs one comparison).
fn risks_by_id<'a>(
    reg: &'a Register,
    other: &Register,
) -> rustc_hash::FxHashMap<&'a str, &'a Risk> {
    let mut map = rustc_hash::FxHashMap::default();
    if reg.risks != other.risks {
        for r in &reg.risks {
            map.entry(r.id.as_str()).or_insert(r);
        }
    }
    map
}

/// Risk changes between two registers and their snapshots, sorted by id
/// (both snapshots keep their risks sorted by id: one merging pass).
pub fn risk_changes(
    old_reg: &Register,
    old: &Snapshot,
    new_reg: &Register,
    new: &Snapshot,
) -> Vec<RiskChange> {
    let (old_risks, new_risks) = (risks_by_id(old_reg, new_reg), risks_by_id(new_reg, old_reg));
    let own = |id: &str| match (old_risks.get(id), new_risks.get(id)) {
        (Some(b), Some(a)) if b != a => super::fields::risk_fields(b, a),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    loop {
        let (b, a) = (old.risks.get(i), new.risks.get(j));
        let order = match (b, a) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(b), Some(a)) => b.id.cmp(&a.id),
        };
        match (order, b, a) {
            (std::cmp::Ordering::Less, Some(b), _) => {
                out.push(RiskChange {
                    id: b.id.clone(),
                    kind: RiskChangeKind::Removed,
                    before: Some(old.state(b)),
                    after: None,
                    fields: Vec::new(),
                });
                i += 1;
            }
            (std::cmp::Ordering::Greater, _, Some(a)) => {
                out.push(RiskChange {
                    id: a.id.clone(),
                    kind: RiskChangeKind::Added,
                    before: None,
                    after: Some(new.state(a)),
                    fields: Vec::new(),
                });
                j += 1;
            }
            (_, Some(b), Some(a)) => {
                let fields = own(&a.id);
                if !fields.is_empty() || !old.same_scores(b, new, a) {
                    out.push(RiskChange {
                        id: a.id.clone(),
                        kind: RiskChangeKind::Changed,
                        before: Some(old.state(b)),
                        after: Some(new.state(a)),
                        fields,
                    });
                }
                i += 1;
                j += 1;
            }
            _ => break,
        }
    }
    out
}

/// Assets and risks present on both sides whose scope differs; `new_reg`
/// names them and the factor that governs them.
pub fn scope_changes(old: &Snapshot, new: &Snapshot, new_reg: &Register) -> Vec<ScopeChange> {
    let mut out = Vec::new();
    for a in &new_reg.assets {
        if let (Some(&was), Some(&is)) = (old.asset_scope.get(&a.id), new.asset_scope.get(&a.id))
            && was != is
        {
            out.push(ScopeChange {
                kind: ScopeKind::Asset,
                id: a.id.clone(),
                name: a.name.clone(),
                into_scope: is,
                factor: a.factor.clone(),
            });
        }
    }
    for r in &new_reg.risks {
        if let (Some(was), Some(is)) = (old.risk_in_scope(&r.id), new.risk_in_scope(&r.id))
            && was != is
        {
            let factor = r.factor.clone().or_else(|| {
                new_reg
                    .assets
                    .iter()
                    .find(|a| a.id == r.asset)
                    .and_then(|a| a.factor.clone())
            });
            out.push(ScopeChange {
                kind: ScopeKind::Risk,
                id: r.id.clone(),
                name: r.title.clone(),
                into_scope: is,
                factor,
            });
        }
    }
    out
}

/// SoA differences between two snapshots, in catalog order, with
/// justification changes.
pub fn soa_changes(old: &Snapshot, new: &Snapshot) -> Vec<SoaChange> {
    let catalog = Catalog::annex_a();
    old.soa
        .iter()
        .zip(&new.soa)
        .enumerate()
        .filter_map(|(c, ((before, jb), (after, ja)))| {
            let justification = (jb != ja).then(|| (jb.clone(), ja.clone()));
            (before != after || justification.is_some()).then(|| SoaChange {
                control: c,
                id: catalog.controls()[c].id.clone(),
                before: *before,
                after: *after,
                justification,
            })
        })
        .collect()
}

/// The current SoA against the register's approved baseline. A control the
/// baseline does not list (or a register without a baseline) counts as
/// Undecided / NotStarted before.
pub fn baseline_changes(reg: &Register, an: &Analysis) -> Vec<SoaChange> {
    let catalog = Catalog::annex_a();
    let approved: HashMap<&str, SoaState> = reg
        .baseline
        .iter()
        .flat_map(|b| &b.entries)
        .map(|e| {
            (
                e.control.as_str(),
                SoaState {
                    applicable: e.applicable,
                    status: e.status,
                },
            )
        })
        .collect();
    an.soa
        .entries
        .iter()
        .filter_map(|e| {
            let id = &catalog.controls()[e.control].id;
            let before = approved.get(id.as_str()).copied().unwrap_or(SoaState {
                applicable: Applicable::Undecided,
                status: ControlStatus::NotStarted,
            });
            let after = SoaState {
                applicable: e.applicable,
                status: e.status,
            };
            (before != after).then(|| SoaChange {
                control: e.control,
                id: id.clone(),
                before,
                after,
                justification: None,
            })
        })
        .collect()
}

/// Two registers compared, with their snapshots (the workbench keeps the
/// snapshot of the register as loaded; [`compare`] makes both).
pub fn diff(old_reg: &Register, old: &Snapshot, new_reg: &Register, new: &Snapshot) -> Diff {
    let in_scope_either = |id: &str| old.find(id).is_some() || new.find(id).is_some();
    Diff {
        risks: risk_changes(old_reg, old, new_reg, new),
        soa: soa_changes(old, new),
        scope: scope_changes(old, new, new_reg),
        entities: super::fields::other_changes(old_reg, new_reg),
        unscoped: super::fields::risk_changes(&old_reg.risks, &new_reg.risks, |id| {
            !in_scope_either(id)
        }),
    }
}

/// Two registers compared exactly as `riskbench diff OLD NEW` compares
/// them: every other view of "what changed" (the Changes view, the recovery
/// prompt, the overwrite preview, `import --into`) goes through this, so
/// they cannot disagree with `diff`.
pub fn compare(old: &Register, old_an: &Analysis, new: &Register, new_an: &Analysis) -> Diff {
    diff(
        old,
        &Snapshot::new(old, old_an),
        new,
        &Snapshot::new(new, new_an),
    )
}

/// What a diff says, in one line for a history entry: the edits by kind,
/// naming the ids while there are few and the fields that changed —
/// `R-001, R-004 changed (owner, likelihood); R-020 added; control 8.7
/// (status); 2 risks re-scored`. Empty when nothing changed. Risks whose
/// evaluation alone changed are counted, not named: they follow from the
/// edits named before them.
pub fn summarize(d: &Diff) -> String {
    /// Up to this many ids are named; more are counted.
    const NAMED: usize = 3;
    fn ids(list: &[&str], many: &str) -> String {
        if list.len() <= NAMED {
            list.join(", ")
        } else {
            format!("{} {many}", list.len())
        }
    }
    fn fields<'a>(names: impl Iterator<Item = &'a str>) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for n in names {
            if !seen.contains(&n) {
                seen.push(n);
            }
        }
        if seen.is_empty() {
            String::new()
        } else {
            format!(" ({})", seen.join(", "))
        }
    }
    let mut parts = Vec::new();
    let by_kind = |kind: RiskChangeKind| -> Vec<&RiskChange> {
        d.risks.iter().filter(|r| r.kind == kind).collect()
    };
    let edited: Vec<&RiskChange> = by_kind(RiskChangeKind::Changed)
        .into_iter()
        .filter(|r| !r.fields.is_empty())
        .collect();
    if !edited.is_empty() {
        let list: Vec<&str> = edited.iter().map(|r| r.id.as_str()).collect();
        let names = edited
            .iter()
            .flat_map(|r| r.fields.iter().map(|f| f.field.as_str()));
        let what = if list.len() <= NAMED {
            format!("{} changed", list.join(", "))
        } else {
            format!("{} risks changed", list.len())
        };
        parts.push(format!("{what}{}", fields(names)));
    }
    for (kind, word) in [
        (RiskChangeKind::Added, "added"),
        (RiskChangeKind::Removed, "removed"),
    ] {
        let list: Vec<&str> = by_kind(kind).iter().map(|r| r.id.as_str()).collect();
        if !list.is_empty() {
            parts.push(format!("{} {word}", ids(&list, "risks")));
        }
    }
    // Everything else, grouped by kind and change, in file order.
    let mut groups: Vec<(&str, EntityChangeKind, Vec<&EntityChange>)> = Vec::new();
    for e in d.entities.iter().chain(&d.unscoped) {
        if e.entity == "history" {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(entity, kind, _)| *entity == e.entity && *kind == e.kind)
        {
            Some((_, _, list)) => list.push(e),
            None => groups.push((e.entity, e.kind, vec![e])),
        }
    }
    for (entity, kind, list) in groups {
        let names: Vec<&str> = list.iter().map(|e| e.id.as_str()).collect();
        let subject = if names.iter().all(|n| n.is_empty()) {
            entity.to_string()
        } else if names.len() <= NAMED {
            format!("{entity} {}", names.join(", "))
        } else {
            format!("{} {entity}s", names.len())
        };
        parts.push(match kind {
            EntityChangeKind::Changed => format!(
                "{subject}{}",
                fields(
                    list.iter()
                        .flat_map(|e| e.fields.iter().map(|f| f.field.as_str()))
                )
            ),
            kind => format!("{subject} {}", kind.as_str()),
        });
    }
    let rescored = d.risks.len()
        - edited.len()
        - by_kind(RiskChangeKind::Added).len()
        - by_kind(RiskChangeKind::Removed).len();
    if rescored > 0 {
        parts.push(format!(
            "{rescored} risk{} re-scored",
            if rescored == 1 { "" } else { "s" }
        ));
    }
    let soa: Vec<SoaChange> = d.soa_changes().cloned().collect();
    if !soa.is_empty() {
        parts.push(format!("SoA: {}", summarize_soa(&soa)));
    }
    parts.join("; ")
}

/// One line summary for a history entry: "3 controls added, 1 removed,
/// 2 status changes".
pub fn summarize_soa(changes: &[SoaChange]) -> String {
    let mut added = 0;
    let mut removed = 0;
    let mut status = 0;
    let mut other = 0;
    for c in changes {
        let (b, a) = (c.before.applicable, c.after.applicable);
        if b != Applicable::Yes && a == Applicable::Yes {
            added += 1;
        } else if b == Applicable::Yes && a != Applicable::Yes {
            removed += 1;
        } else if b != a {
            other += 1;
        } else if c.before.status != c.after.status {
            status += 1;
        }
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if added > 0 {
        parts.push(plural(added, "control added", "controls added"));
    }
    if removed > 0 {
        parts.push(plural(removed, "control removed", "controls removed"));
    }
    if other > 0 {
        parts.push(plural(other, "decision change", "decision changes"));
    }
    if status > 0 {
        parts.push(plural(status, "status change", "status changes"));
    }
    if parts.is_empty() {
        "no changes".into()
    } else {
        parts.join(", ")
    }
}

/// Why a risk's evaluation differs between two registers: the inputs that
/// changed (scores, threat shift, linked controls and their state, scope,
/// manual residual), one sentence each.
pub fn explain_risk(old: &Register, new: &Register, id: &str) -> Vec<String> {
    let find = |reg: &'_ Register| reg.risks.iter().find(|r| r.id == id).cloned();
    let (before, after) = (find(old), find(new));
    let mut why = Vec::new();
    let (b, a) = match (before, after) {
        (None, Some(_)) => {
            why.push(format!("{id} is new in this register"));
            return why;
        }
        (Some(_), None) => {
            why.push(format!("{id} was deleted"));
            return why;
        }
        (None, None) => return why,
        (Some(b), Some(a)) => (b, a),
    };
    if b.likelihood != a.likelihood {
        why.push(format!(
            "likelihood set from {} to {}",
            b.likelihood, a.likelihood
        ));
    }
    if b.impact != a.impact {
        why.push(format!("impact set from {} to {}", b.impact, a.impact));
    }
    let shift = |reg: &Register, t: &str| {
        reg.threats
            .iter()
            .find(|x| x.id == t)
            .map_or(0, |x| x.shift)
    };
    let (sb, sa) = (shift(old, &b.threat), shift(new, &a.threat));
    if b.threat != a.threat {
        why.push(format!("threat changed from {} to {}", b.threat, a.threat));
    } else if sb != sa {
        why.push(format!(
            "threat {} shift changed from {sb:+} to {sa:+} (threat intelligence)",
            a.threat
        ));
    }
    for c in &a.controls {
        if !b.controls.contains(c) {
            why.push(format!("control {c} linked"));
        }
    }
    for c in &b.controls {
        if !a.controls.contains(c) {
            why.push(format!("control {c} unlinked"));
        }
    }
    let state = |reg: &Register, c: &str| {
        reg.controls.iter().find(|s| s.id == c).map_or(
            (
                ControlStatus::NotStarted,
                super::model::DEFAULT_EFFECTIVENESS,
            ),
            |s| (s.status, s.effectiveness),
        )
    };
    for c in a.controls.iter().filter(|c| b.controls.contains(c)) {
        let ((s0, e0), (s1, e1)) = (state(old, c), state(new, c));
        if s0 != s1 {
            why.push(format!(
                "control {c} status {} → {}",
                s0.as_str(),
                s1.as_str()
            ));
        }
        if e0 != e1 {
            why.push(format!("control {c} effectiveness {e0}% → {e1}%"));
        }
    }
    // The scores of a manual residual, not its note: a copy of the
    // register kept for explanations may leave notes out.
    let manual = |r: &super::model::Risk| r.residual.as_ref().map(|m| (m.likelihood, m.impact));
    if manual(&b) != manual(&a) {
        why.push(match &a.residual {
            Some(m) => format!(
                "manual residual set to {}×{} ({})",
                m.likelihood, m.impact, m.note
            ),
            None => "manual residual removed: computed again".into(),
        });
    }
    let factor_state = |reg: &Register, f: &Option<Id>| {
        f.as_ref()
            .map(|f| (f.clone(), reg.factors.iter().any(|x| x.id == *f && x.on)))
    };
    let asset_factor = |reg: &Register, asset: &str| {
        reg.assets
            .iter()
            .find(|x| x.id == asset)
            .and_then(|x| x.factor.clone())
    };
    for (what, fb, fa) in [
        (
            "risk",
            factor_state(old, &b.factor),
            factor_state(new, &a.factor),
        ),
        (
            "asset",
            factor_state(old, &asset_factor(old, &b.asset)),
            factor_state(new, &asset_factor(new, &a.asset)),
        ),
    ] {
        if fb != fa {
            why.push(match (&fb, &fa) {
                (_, Some((f, on))) => format!(
                    "factor {f} ({what} scope) is now {}",
                    if *on { "on" } else { "off" }
                ),
                (Some((f, _)), None) => format!("the {what} no longer depends on factor {f}"),
                (None, None) => continue,
            });
        }
    }
    if why.is_empty() {
        why.push("the method (scales, levels or appetite) changed".into());
    }
    why
}

/// Why a control's SoA entry differs: its justification now and then, and
/// its implementation state.
pub fn explain_control(
    old: Option<&Register>,
    new: &Register,
    new_an: &Analysis,
    control: usize,
) -> Vec<String> {
    let catalog = Catalog::annex_a();
    let Some(info) = catalog.controls().get(control) else {
        return Vec::new();
    };
    let mut why = Vec::new();
    if let Some(e) = new_an.soa.entries.get(control) {
        let justification = e.justification(new);
        why.push(format!(
            "now {}: {}",
            e.applicable.as_str(),
            if justification.is_empty() {
                "no risk, factor or decision"
            } else {
                justification.as_str()
            }
        ));
        for &f in &e.factors {
            if let Some(f) = new.factors.get(f) {
                why.push(format!(
                    "factor {} ({}) is on and requires {}",
                    f.id, f.label, info.id
                ));
            }
        }
    }
    if let Some(old) = old {
        // Status and effectiveness decide the SoA and the scores; owner and
        // note do not.
        let state = |reg: &Register| {
            reg.controls
                .iter()
                .find(|s| s.id == info.id)
                .map(|s| (s.status, s.effectiveness))
        };
        let (b, a) = (state(old), state(new));
        if b != a {
            let show = |s: &Option<(ControlStatus, u32)>| {
                s.map_or("not recorded (NotStarted, 50%)".to_string(), |(st, e)| {
                    format!("{} {e}%", st.as_str())
                })
            };
            why.push(format!("implementation {} → {}", show(&b), show(&a)));
        }
        let decision =
            |reg: &Register| reg.decisions.iter().find(|d| d.control == info.id).cloned();
        if decision(old) != decision(new) {
            why.push(match decision(new) {
                Some(d) if d.applicable => format!("decision: included ({})", d.reason),
                Some(d) => format!("decision: excluded ({})", d.reason),
                None => "decision removed".into(),
            });
        }
    }
    why
}
