//! The record of a risk workshop: what the room decided, read off the change
//! comparison ([`super::diff`]) between the register before and after the
//! session. It is a document for the ISMS's retained documented information
//! (ISO/IEC 27001 clauses 7.5 and 8.2), not a second diff: it names risks
//! scored, acceptances, actions created, notes added and SoA changes, each
//! in the words a reader of minutes expects, and nothing else the diff
//! knows (a retitled asset is not a decision of the room).

use chrono::NaiveDate;

use super::catalog::Catalog;
use super::diff::{Diff, NamedScore, RiskChangeKind};
use super::fields::EntityChangeKind;
use super::model::{Id, Register, Risk};
use super::schema2::Note;

/// A risk whose scores the workshop set or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// The risk's id.
    pub id: Id,
    /// Its title (after, or before when it was removed).
    pub title: String,
    /// Inherent and residual before (`None`: the risk is new).
    pub before: Option<(NamedScore, NamedScore)>,
    /// Inherent and residual after (`None`: the risk was removed).
    pub after: Option<(NamedScore, NamedScore)>,
}

/// An acceptance recorded, changed or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The risk's id.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// Whether the risk had an acceptance before (else it is new).
    pub had_one: bool,
    /// `(by, until, reason)` now; `None`: withdrawn.
    pub now: Option<(String, NaiveDate, String)>,
}

/// An action of the treatment plan created in the workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The action's id.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// Who carries it out (may be empty).
    pub owner: String,
    /// When it is due.
    pub due: Option<NaiveDate>,
    /// The risks it treats.
    pub risks: Vec<Id>,
}

/// A note added to a risk's discussion record.
#[derive(Debug, Clone, PartialEq)]
pub struct Noted {
    /// The risk's id.
    pub risk: Id,
    /// The note.
    pub note: Note,
}

/// A control whose SoA applicability or status changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoaMoved {
    /// The control's id.
    pub id: Id,
    /// Its title.
    pub title: String,
    /// `Undecided, NotStarted`: applicability and status before.
    pub before: String,
    /// The same after.
    pub after: String,
}

/// Everything the minutes say, section by section (each may be empty: the
/// document then says "None.").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Minutes {
    /// Risks scored: new, removed, or with another inherent or residual.
    pub scored: Vec<Scored>,
    /// Acceptances new, changed or withdrawn.
    pub acceptances: Vec<Accepted>,
    /// Actions added to the treatment plan.
    pub actions: Vec<Created>,
    /// Notes added, in risk order and each risk's record order.
    pub notes: Vec<Noted>,
    /// SoA changes in applicability or status.
    pub soa: Vec<SoaMoved>,
}

fn risk<'r>(reg: &'r Register, id: &str) -> Option<&'r Risk> {
    reg.risks.iter().find(|r| r.id == id)
}

fn notes_added(old: Option<&Risk>, new: Option<&Risk>, out: &mut Vec<Noted>) {
    let Some(new) = new else {
        return;
    };
    let before = old.map_or(&[][..], |r| &r.notes);
    for n in Note::added(before, &new.notes) {
        out.push(Noted {
            risk: new.id.clone(),
            note: n.clone(),
        });
    }
}

/// The minutes of the change `d` from `old` to `new` (`d` is
/// `diff::compare(old, …, new, …)`).
pub fn minutes(d: &Diff, old: &Register, new: &Register) -> Minutes {
    let mut m = Minutes::default();
    for c in &d.risks {
        let (b, a) = (risk(old, &c.id), risk(new, &c.id));
        let pair = |s: &super::diff::RiskState| (s.inherent.clone(), s.residual.clone());
        let scored = match (&c.before, &c.after) {
            (Some(x), Some(y)) => x.inherent != y.inherent || x.residual != y.residual,
            _ => true,
        };
        if scored {
            m.scored.push(Scored {
                id: c.id.clone(),
                title: c.title().to_string(),
                before: c.before.as_ref().map(pair),
                after: c.after.as_ref().map(pair),
            });
        }
        let accepted = match c.kind {
            RiskChangeKind::Added => a.is_some_and(|r| r.acceptance.is_some()),
            RiskChangeKind::Removed => false,
            RiskChangeKind::Changed => c.fields.iter().any(|f| f.field == "acceptance"),
        };
        if accepted && let Some(r) = a {
            m.acceptances.push(Accepted {
                id: r.id.clone(),
                title: r.title.clone(),
                had_one: b.is_some_and(|r| r.acceptance.is_some()),
                now: r
                    .acceptance
                    .as_ref()
                    .map(|x| (x.by.clone(), x.until, x.reason.clone())),
            });
        }
        if c.kind != RiskChangeKind::Removed {
            notes_added(b, a, &mut m.notes);
        }
    }
    // Risks out of scope on both sides are still discussed.
    for e in d
        .unscoped
        .iter()
        .filter(|e| e.kind != EntityChangeKind::Removed)
    {
        notes_added(risk(old, &e.id), risk(new, &e.id), &mut m.notes);
    }
    m.notes.sort_by(|x, y| x.risk.cmp(&y.risk));
    for e in &d.entities {
        if e.entity != "action" || e.kind != EntityChangeKind::Added {
            continue;
        }
        if let Some(a) = new.actions.iter().find(|a| a.id == e.id.as_str()) {
            m.actions.push(Created {
                id: a.id.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                due: a.due,
                risks: a.risks.clone(),
            });
        }
    }
    let catalog = Catalog::annex_a();
    for c in d.soa_changes() {
        m.soa.push(SoaMoved {
            id: c.id.clone(),
            title: catalog
                .controls()
                .get(c.control)
                .map_or_else(String::new, |x| x.title.clone()),
            before: format!(
                "{}, {}",
                c.before.applicable.as_str(),
                c.before.status.as_str()
            ),
            after: format!(
                "{}, {}",
                c.after.applicable.as_str(),
                c.after.status.as_str()
            ),
        });
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Analysis;
    use crate::domain::diff::compare;

    fn northwind() -> Register {
        ron::from_str(include_str!("../../registers/northwind.ron"))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn of(old: &Register, new: &Register) -> Minutes {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let (a, b) = (Analysis::new(old, day), Analysis::new(new, day));
        minutes(&compare(old, &a, new, &b), old, new)
    }

    #[test]
    fn an_unchanged_register_has_empty_minutes() {
        let reg = northwind();
        assert_eq!(of(&reg, &reg), Minutes::default());
    }

    #[test]
    fn acceptances_new_changed_and_withdrawn_are_listed() {
        let old = northwind();
        let accepted: Vec<usize> = (0..old.risks.len())
            .filter(|&i| old.risks[i].acceptance.is_some())
            .collect();
        let Some(&had) = accepted.first() else {
            panic!("northwind has an acceptance");
        };
        let fresh = (0..old.risks.len())
            .find(|&i| old.risks[i].acceptance.is_none())
            .unwrap_or_default();
        let mut new = old.clone();
        let mut a = old.risks[had].acceptance.clone();
        if let Some(a) = a.as_mut() {
            a.reason = "Revisited in the workshop".into();
        }
        new.risks[fresh].acceptance = a.clone();
        new.risks[had].acceptance = a;
        let m = of(&old, &new);
        let mut got: Vec<(&str, bool, bool)> = m
            .acceptances
            .iter()
            .map(|x| (x.id.as_str(), x.had_one, x.now.is_some()))
            .collect();
        got.sort();
        let mut want = vec![
            (old.risks[had].id.as_str(), true, true),
            (old.risks[fresh].id.as_str(), false, true),
        ];
        want.sort();
        assert_eq!(got, want);
        let mut gone = old.clone();
        gone.risks[had].acceptance = None;
        let m = of(&old, &gone);
        assert_eq!(m.acceptances.len(), 1);
        assert!(m.acceptances[0].had_one);
        assert!(m.acceptances[0].now.is_none());
    }

    #[test]
    fn a_title_edit_is_no_decision_but_a_note_is() {
        let old = northwind();
        let mut new = old.clone();
        new.risks[0].title.push_str(" (reworded)");
        assert_eq!(of(&old, &new), Minutes::default());
        let note = Note {
            on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
            by: "Ana".into(),
            text: "Insurer asks for offline backups".into(),
        };
        new.risks[0].notes.push(note.clone());
        let m = of(&old, &new);
        assert_eq!(
            m.notes,
            [Noted {
                risk: new.risks[0].id.clone(),
                note
            }]
        );
        assert!(m.scored.is_empty());
    }
}
