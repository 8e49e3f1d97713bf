//! The three-way merge of registers that `riskbench merge` runs as git's
//! merge driver (issue 18): two people edit one register on two branches,
//! and the result must mean what both meant, or say exactly where it
//! cannot.
//!
//! A line merge knows nothing of a register: it conflicts on punctuation,
//! or merges cleanly into a file that no longer parses or that gives two
//! risks the same id. This merge works by entity and field:
//!
//! - every list of entities is matched by id ([`entities`]): assets,
//!   threats, risks, control states (their evidence included), decisions
//!   (by control), factors, own controls, actions and baselines (by
//!   version); an entity changed on one side takes that side, one changed
//!   on both is merged field by field;
//! - lists whose order means nothing merge as sets, append-only records
//!   (notes, evidence, history) as unions in date order ([`lists`]);
//! - the method and the register's header (name, scope, the plan's
//!   approval) merge field by field like an entity.
//!
//! **Conflicts never lose data.** Where both sides changed a field
//! differently, added the same id for different entities, or one deleted
//! what the other changed, the merged register holds OURS and records the
//! conflict in `conflicts` (REGISTER.md §5): entity, id, field and the
//! three values as RON text, `""` for an entity that does not exist on
//! that side, `field: "*"` for a whole entity. `check` reports each as
//! error `merge-conflict` until the entry is removed, so the result always
//! parses and cannot be mistaken for a finished register. Conflicts from an
//! earlier merge still unresolved on either side are kept (a set merge:
//! one resolved on one side stays resolved).
//!
//! The merge is pure and linear in the size of the register; the checks
//! after it ([`check`]) evaluate the result.

pub mod check;
pub mod entities;
pub(crate) mod lists;
pub mod probe;
pub mod resolve;

use super::model::{Conflict, Register};
use entities::{Kind, Rules, merge_entity, merge_list, merge_value};
use lists::{set3, union3};

pub use check::{MergeResult, merge_checked, merge_findings};
pub use entities::WHOLE;
pub use resolve::{take_ours, take_theirs};

/// A merged register and the conflicts this merge found (also recorded,
/// after any earlier unresolved ones, in `register.conflicts`).
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The merged register: both sides' changes, ours where they conflict.
    pub register: Register,
    /// The conflicts this merge found, in file order.
    pub conflicts: Vec<Conflict>,
}

/// Merges `ours` and `theirs`, two edits of `base` (see the module
/// documentation).
pub fn merge(base: &Register, ours: &Register, theirs: &Register) -> Merged {
    // A side that changed nothing takes the other whole: the common case
    // of a merge driver, and the reason merge(base, base, X) is X exactly.
    if theirs == base || ours == theirs {
        return clean(ours);
    }
    if ours == base {
        return clean(theirs);
    }
    let mut found: Vec<Conflict> = Vec::new();
    let none = Rules::default();
    let (b, o, t) = (base, ours, theirs);

    let mut header = kind("register", none, &mut found);
    let name = merge_value(&mut header, "register", "name", &b.name, &o.name, &t.name);
    let scope = merge_value(
        &mut header,
        "register",
        "scope",
        &b.scope,
        &o.scope,
        &t.scope,
    );
    let schema = if o.schema == b.schema {
        t.schema
    } else {
        o.schema
    };
    let method = if o.method == t.method || t.method == b.method {
        o.method.clone()
    } else if o.method == b.method {
        t.method.clone()
    } else {
        merge_entity(
            &mut kind("method", none, &mut found),
            "method",
            &b.method,
            &o.method,
            &t.method,
        )
    };
    let own_controls = merge_list(
        &mut kind(
            "own_control",
            Rules {
                sets: &["types", "maps_to"],
                records: &[],
            },
            &mut found,
        ),
        &b.own_controls,
        &o.own_controls,
        &t.own_controls,
        |c| c.id.clone(),
    );
    let factors = merge_list(
        &mut kind(
            "factor",
            Rules {
                sets: &["requires"],
                records: &[],
            },
            &mut found,
        ),
        &b.factors,
        &o.factors,
        &t.factors,
        |f| f.id.clone(),
    );
    let assets = merge_list(
        &mut kind("asset", none, &mut found),
        &b.assets,
        &o.assets,
        &t.assets,
        |a| a.id.clone(),
    );
    let threats = merge_list(
        &mut kind("threat", none, &mut found),
        &b.threats,
        &o.threats,
        &t.threats,
        |x| x.id.clone(),
    );
    let risks = merge_list(
        &mut kind(
            "risk",
            Rules {
                sets: &["controls", "cia"],
                records: &["notes"],
            },
            &mut found,
        ),
        &b.risks,
        &o.risks,
        &t.risks,
        |r| r.id.clone(),
    );
    let controls = merge_list(
        &mut kind(
            "control",
            Rules {
                sets: &[],
                records: &["evidence"],
            },
            &mut found,
        ),
        &b.controls,
        &o.controls,
        &t.controls,
        |c| c.id.clone(),
    );
    let decisions = merge_list(
        &mut kind("decision", none, &mut found),
        &b.decisions,
        &o.decisions,
        &t.decisions,
        |d| d.control.clone(),
    );
    let actions = merge_list(
        &mut kind(
            "action",
            Rules {
                sets: &["risks", "controls"],
                records: &[],
            },
            &mut found,
        ),
        &b.actions,
        &o.actions,
        &t.actions,
        |a| a.id.clone(),
    );
    let plan_approval = merge_value(
        &mut kind("register", none, &mut found),
        "register",
        "plan_approval",
        &b.plan_approval,
        &o.plan_approval,
        &t.plan_approval,
    );
    let mut baselines = merge_list(
        &mut kind("baseline", none, &mut found),
        &b.baselines,
        &o.baselines,
        &t.baselines,
        |x| super::Id::from(x.version.to_string()),
    );
    // Versions ascend (error `baselines` otherwise); both sides' new ones
    // are put in their place.
    baselines.sort_by_key(|x| x.version);
    // A log only one side wrote to is taken as that side wrote it; both:
    // the union in date order.
    let history = one_side(&b.history, &o.history, &t.history).unwrap_or_else(|| {
        union3(
            &b.history,
            &o.history,
            &t.history,
            |h| (h.on, h.by.clone(), h.summary.clone()),
            |h| h.on,
        )
    });
    let key = |c: &Conflict| {
        (
            c.entity.clone(),
            c.id.clone(),
            c.field.clone(),
            c.base.clone(),
            c.ours.clone(),
            c.theirs.clone(),
        )
    };
    let mut conflicts = one_side(&b.conflicts, &o.conflicts, &t.conflicts)
        .unwrap_or_else(|| set3(&b.conflicts, &o.conflicts, &t.conflicts, key));
    for c in &found {
        if !conflicts.contains(c) {
            conflicts.push(c.clone());
        }
    }
    Merged {
        register: Register {
            schema,
            name,
            scope,
            method,
            own_controls,
            factors,
            assets,
            threats,
            risks,
            controls,
            decisions,
            actions,
            plan_approval,
            conflicts,
            baselines,
            history,
        },
        conflicts: found,
    }
}

/// The `Kind` of one merge step, its conflicts going to `found`.
fn kind<'c>(entity: &'static str, rules: Rules, found: &'c mut Vec<Conflict>) -> Kind<'c> {
    Kind {
        entity,
        rules,
        conflicts: found,
    }
}

/// The list as the one side that changed it has it (or as both have it),
/// `None` when both changed it differently.
fn one_side<T: Clone + PartialEq>(base: &[T], ours: &[T], theirs: &[T]) -> Option<Vec<T>> {
    if theirs == base || ours == theirs {
        Some(ours.to_vec())
    } else if ours == base {
        Some(theirs.to_vec())
    } else {
        None
    }
}

fn clean(side: &Register) -> Merged {
    Merged {
        register: side.clone(),
        conflicts: Vec::new(),
    }
}

/// One line saying what a conflict is about and what each side has, for
/// `riskbench merge`, `check`'s readers and the workbench's Conflicts list:
/// `risk R-001 likelihood: ours 4, theirs 5 (base 3)`.
pub fn describe(c: &Conflict) -> String {
    let what = format!("{} {}", c.entity, c.id);
    if c.field != WHOLE {
        return format!(
            "{what} {}: ours {}, theirs {} (base {})",
            c.field, c.ours, c.theirs, c.base
        );
    }
    if c.base.is_empty() {
        format!(
            "{what}: added on both sides as different entities (ours kept, theirs in the conflict)"
        )
    } else if c.ours.is_empty() {
        format!(
            "{what}: deleted here, changed on the other side (left deleted, theirs in the conflict)"
        )
    } else if c.theirs.is_empty() {
        format!("{what}: changed here, deleted on the other side (ours kept)")
    } else {
        format!("{what}: changed on both sides (ours kept, theirs in the conflict)")
    }
}
