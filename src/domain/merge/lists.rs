//! Three-way merges of lists whose items have no id: sets (a risk's
//! controls and `cia`, an own control's `types` and `maps_to`, a factor's
//! `requires`, an action's `risks` and `controls`) and append-only records
//! (notes, evidence, history, earlier merge conflicts).
//!
//! Both keep what either side added and drop what either side removed,
//! so a removal on one branch is not undone by the other branch simply
//! still having the item. They differ in order: a set keeps ours' order
//! with theirs' additions after it (order means nothing there), an
//! append-only record is put in date order (stable, so items of one day
//! keep the order they were written in), because it is read as a log.
//!
//! Items are matched by a key (their RON text, or for history all its
//! fields), through hash sets: linear in the lengths, never quadratic.

use std::hash::Hash;

use rustc_hash::FxHashSet;

/// Ours' items that theirs did not remove, then theirs' additions, each
/// once: the three-way merge of two edits of one set.
pub(crate) fn set3<T: Clone, K: Eq + Hash>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let in_base: FxHashSet<K> = base.iter().map(&key).collect();
    let in_theirs: FxHashSet<K> = theirs.iter().map(&key).collect();
    let mut seen: FxHashSet<K> = FxHashSet::default();
    let mut out = Vec::with_capacity(ours.len().max(theirs.len()));
    for o in ours {
        let k = key(o);
        // Theirs removed it: it was in base and is no longer theirs.
        let removed = in_base.contains(&k) && !in_theirs.contains(&k);
        if !removed && !seen.contains(&k) {
            seen.insert(k);
            out.push(o.clone());
        }
    }
    for t in theirs {
        let k = key(t);
        // Already taken from ours, or in base and dropped by ours.
        if !in_base.contains(&k) && !seen.contains(&k) {
            seen.insert(k);
            out.push(t.clone());
        }
    }
    out
}

/// [`set3`], then a stable sort by `date`: the merge of an append-only
/// record both sides added to.
pub(crate) fn union3<T: Clone, K: Eq + Hash, D: Ord>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    key: impl Fn(&T) -> K,
    date: impl Fn(&T) -> D,
) -> Vec<T> {
    let mut out = set3(base, ours, theirs, key);
    out.sort_by_key(|t| date(t));
    out
}

/// The `on` date of a record written as RON text (`(on: "2026-12-01", …)`),
/// as its sortable text; empty when it has none (it then sorts first).
pub(crate) fn on_date(text: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Dated {
        #[serde(default)]
        on: String,
    }
    ron::from_str::<Dated>(text)
        .map(|d| d.on)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn sets_take_additions_and_removals_from_both_sides() {
        let base = s(&["a", "b", "c"]);
        let ours = s(&["c", "b", "x"]); // removed a, added x
        let theirs = s(&["a", "b", "y"]); // removed c, added y
        assert_eq!(
            set3(&base, &ours, &theirs, |t| t.clone()),
            s(&["b", "x", "y"])
        );
    }

    #[test]
    fn records_are_united_in_date_order_once_each() {
        let n = |d: &str, t: &str| format!("(on:\"{d}\",by:\"x\",text:\"{t}\")");
        let base = vec![n("2026-01-01", "old")];
        let ours = vec![n("2026-01-01", "old"), n("2026-03-01", "ours")];
        let theirs = vec![
            n("2026-01-01", "old"),
            n("2026-02-01", "theirs"),
            n("2026-03-01", "ours"),
        ];
        let got = union3(&base, &ours, &theirs, |t| t.clone(), |t| on_date(t));
        assert_eq!(
            got,
            vec![
                n("2026-01-01", "old"),
                n("2026-02-01", "theirs"),
                n("2026-03-01", "ours")
            ]
        );
    }
}
