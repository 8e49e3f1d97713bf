//! Lists of entities with ids (assets, threats, risks, control states,
//! decisions, factors, own controls, actions, baselines), merged by id, and
//! one entity changed on both sides, merged field by field.
//!
//! Per id: changed on one side only, that side wins; the same on both
//! sides, no question; changed differently on both, the fields are merged
//! one by one ([`merge_entity`]). The cases where no answer is right are
//! conflicts, and in each the merged list holds OURS while the conflict
//! records everything else, so nothing is lost:
//!
//! - the same new id added on both sides for different entities: ours'
//!   entity stays, theirs' whole entity is the conflict's `theirs`;
//! - deleted on one side, changed on the other: the merged list follows
//!   ours (kept and changed if ours changed it, absent if ours deleted
//!   it), and the side that deleted it has `""` in the conflict.
//!
//! Such whole-entity conflicts have `field: "*"`, and each side's value is
//! the entity's RON text (`""` where the entity does not exist), so that
//! "take theirs" can parse it back, insert it, replace ours or delete it.
//!
//! Order: ours' entities in ours' order, then theirs' new ones in theirs'
//! order. Every lookup goes through a hash map by id: linear in the size
//! of the register (100,000 risks), never quadratic.

use std::hash::Hash;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::lists::{on_date, set3, union3};
use super::probe::{Field, fields_of, from_fields, list_text, ron_text};
use crate::domain::model::Conflict;

/// The `field` of a conflict about a whole entity (added twice, or
/// deleted against changed).
pub const WHOLE: &str = "*";

/// How the list fields of one kind of entity merge.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Rules {
    /// Lists whose order means nothing: merged as sets.
    pub sets: &'static [&'static str],
    /// Append-only records: united in date order.
    pub records: &'static [&'static str],
}

/// What one merge is about: the kind of entity and where conflicts go.
pub(crate) struct Kind<'c> {
    /// `risk`, `asset`, … as conflicts name it.
    pub entity: &'static str,
    /// How its list fields merge.
    pub rules: Rules,
    /// The conflicts found so far.
    pub conflicts: &'c mut Vec<Conflict>,
}

impl Kind<'_> {
    fn conflict(&mut self, id: &str, field: &str, base: String, ours: String, theirs: String) {
        self.conflicts.push(Conflict {
            entity: self.entity.to_string(),
            id: id.to_string(),
            field: field.to_string(),
            base,
            ours,
            theirs,
        });
    }
}

/// Merges three versions of a list of entities by id (see the module
/// documentation).
pub(crate) fn merge_list<T, K>(
    kind: &mut Kind<'_>,
    base: &[T],
    ours: &[T],
    theirs: &[T],
    id: impl Fn(&T) -> K,
) -> Vec<T>
where
    T: Clone + PartialEq + Serialize + DeserializeOwned,
    K: Eq + Hash + AsRef<str>,
{
    if theirs == base || ours == theirs {
        return ours.to_vec();
    }
    if ours == base {
        return theirs.to_vec();
    }
    // The first of each id counts (ids are unique in a register without
    // errors); later duplicates are carried as they are.
    let (base_by, theirs_by) = (index(base, &id), index(theirs, &id));
    let mut out: Vec<T> = Vec::with_capacity(ours.len().max(theirs.len()));
    let mut done: FxHashSet<K> = FxHashSet::default();
    done.reserve(ours.len());
    for o in ours {
        let k = id(o);
        if done.contains(&k) {
            out.push(o.clone());
            continue;
        }
        let key = k.as_ref().to_string();
        match (base_by.get(&k).copied(), theirs_by.get(&k).copied()) {
            (_, Some(t)) if o == t => out.push(o.clone()),
            (Some(b), Some(t)) if o == b => out.push(t.clone()),
            (Some(b), Some(t)) if t == b => out.push(o.clone()),
            (Some(b), Some(t)) => out.push(merge_entity(kind, &key, b, o, t)),
            // Theirs deleted it.
            (Some(b), None) if o == b => {}
            (Some(b), None) => {
                kind.conflict(&key, WHOLE, ron_text(b), ron_text(o), String::new());
                out.push(o.clone());
            }
            // Both added this id, differently.
            (None, Some(t)) => {
                kind.conflict(&key, WHOLE, String::new(), ron_text(o), ron_text(t));
                out.push(o.clone());
            }
            (None, None) => out.push(o.clone()),
        }
        done.insert(k);
    }
    let mut seen: FxHashSet<K> = FxHashSet::default();
    for t in theirs {
        let k = id(t);
        if done.contains(&k) {
            continue;
        }
        let first = !seen.contains(&k);
        match base_by.get(&k).copied() {
            // Ours deleted it; theirs left it as it was.
            Some(b) if t == b => {}
            // Ours deleted it, theirs changed it: it stays deleted (ours),
            // theirs' entity is kept in the conflict.
            Some(b) if first => {
                let key = k.as_ref().to_string();
                kind.conflict(&key, WHOLE, ron_text(b), String::new(), ron_text(t));
            }
            Some(_) => {}
            None => out.push(t.clone()),
        }
        seen.insert(k);
    }
    out
}

/// The first entity of each id.
fn index<'a, T, K: Eq + Hash>(list: &'a [T], id: &impl Fn(&T) -> K) -> FxHashMap<K, &'a T> {
    let mut m: FxHashMap<K, &T> = FxHashMap::default();
    m.reserve(list.len());
    for e in list {
        m.entry(id(e)).or_insert(e);
    }
    m
}

/// One entity changed differently on both sides, merged field by field:
/// a field changed on one side takes that side; set and record fields
/// merge item by item; any other field changed differently on both sides
/// is a conflict and keeps ours.
pub(crate) fn merge_entity<T>(kind: &mut Kind<'_>, id: &str, base: &T, ours: &T, theirs: &T) -> T
where
    T: Clone + Serialize + DeserializeOwned,
{
    let whole = |kind: &mut Kind<'_>| {
        kind.conflict(id, WHOLE, ron_text(base), ron_text(ours), ron_text(theirs));
        ours.clone()
    };
    let (Some(b), Some(o), Some(t)) = (fields_of(base), fields_of(ours), fields_of(theirs)) else {
        return whole(kind);
    };
    if b.len() != o.len() || o.len() != t.len() {
        return whole(kind);
    }
    let mut merged: Vec<Field> = o.clone();
    let mut found = Vec::new();
    for (i, m) in merged.iter_mut().enumerate() {
        let (bf, of, tf) = (&b[i], &o[i], &t[i]);
        if of.text == tf.text || tf.text == bf.text {
            continue;
        }
        if of.text == bf.text {
            *m = tf.clone();
            continue;
        }
        let items = (&bf.items, &of.items, &tf.items);
        match items {
            (Some(bi), Some(oi), Some(ti)) if kind.rules.sets.contains(&m.name) => {
                let items = set3(bi, oi, ti, |s: &String| s.clone());
                m.text = list_text(&items);
                m.items = Some(items);
            }
            (Some(bi), Some(oi), Some(ti)) if kind.rules.records.contains(&m.name) => {
                let items = union3(bi, oi, ti, |s: &String| s.clone(), |s| on_date(s));
                m.text = list_text(&items);
                m.items = Some(items);
            }
            _ => found.push((m.name, bf.text.clone(), of.text.clone(), tf.text.clone())),
        }
    }
    match from_fields::<T>(&merged) {
        Ok(v) => {
            for (field, b, o, t) in found {
                kind.conflict(id, field, b, o, t);
            }
            v
        }
        Err(_) => whole(kind),
    }
}

/// Merges one value that is not a list of entities (the register's name,
/// the plan's approval): either side's change, or a conflict keeping ours.
pub(crate) fn merge_value<T: Clone + PartialEq + Serialize>(
    kind: &mut Kind<'_>,
    id: &str,
    field: &str,
    base: &T,
    ours: &T,
    theirs: &T,
) -> T {
    if ours == theirs || theirs == base {
        ours.clone()
    } else if ours == base {
        theirs.clone()
    } else {
        kind.conflict(id, field, ron_text(base), ron_text(ours), ron_text(theirs));
        ours.clone()
    }
}
