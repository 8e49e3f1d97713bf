//! The checks after a merge: the merged register is evaluated, and errors
//! that neither side had are *merge findings*.
//!
//! Each side can be valid and the union not: one branch excludes control
//! 8.5 while the other links a new risk to it (`excluded-but-needed`), one
//! deletes an asset the other's new risk is raised against
//! (`unknown-asset`). No field conflicts there, so only evaluating the
//! result finds it. A finding counts as new when its (code, at) is in
//! neither side's findings: an error one branch already had is that
//! branch's, not the merge's. `merge-conflict` errors are the conflicts
//! themselves and are reported as such, not again here. Only errors
//! count: warnings (an overdue review) are no reason to stop a merge.

use chrono::NaiveDate;
use rustc_hash::FxHashSet;

use super::{Merged, merge};
use crate::domain::model::{Conflict, Register};
use crate::domain::{Analysis, Finding};

/// A merge and what it needs a person for.
#[derive(Debug, Clone)]
pub struct MergeResult {
    /// The merged register (its `conflicts` hold every unresolved conflict).
    pub register: Register,
    /// The conflicts this merge found.
    pub conflicts: Vec<Conflict>,
    /// Errors in the merged register that neither side had.
    pub findings: Vec<Finding>,
}

/// The errors of `merged` whose (code, at) neither `ours` nor `theirs`
/// has, `merge-conflict` left out.
pub fn merge_findings(ours: &Analysis, theirs: &Analysis, merged: &Analysis) -> Vec<Finding> {
    let had: FxHashSet<(&str, &str)> = ours
        .errors()
        .chain(theirs.errors())
        .map(|f| (f.code, f.at.as_str()))
        .collect();
    merged
        .errors()
        .filter(|f| f.code != "merge-conflict" && !had.contains(&(f.code, f.at.as_str())))
        .cloned()
        .collect()
}

/// [`merge`], then the checks on the result as of `today`.
///
/// A result equal to one side has nothing new by definition and is not
/// evaluated; nor are the sides when the result has no error of its own
/// (the common case, and each evaluation costs a `check`'s share); else
/// the sides are evaluated side by side.
pub fn merge_checked(
    base: &Register,
    ours: &Register,
    theirs: &Register,
    today: NaiveDate,
) -> MergeResult {
    let Merged {
        register,
        conflicts,
    } = merge(base, ours, theirs);
    let findings = if register == *ours || register == *theirs {
        Vec::new()
    } else {
        let m = Analysis::new(&register, today);
        let errors = m.errors().any(|f| f.code != "merge-conflict");
        if !errors {
            // Nothing to compare: the sides need no evaluation.
            Vec::new()
        } else {
            std::thread::scope(|s| {
                let o = s.spawn(|| Analysis::new(ours, today));
                let t = Analysis::new(theirs, today);
                match o.join() {
                    Ok(o) => merge_findings(&o, &t, &m),
                    // A panicking evaluation is a bug elsewhere; without
                    // ours' findings only theirs' are set aside.
                    Err(_) => merge_findings(&t, &t, &m),
                }
            })
        }
    };
    MergeResult {
        register,
        conflicts,
        findings,
    }
}
