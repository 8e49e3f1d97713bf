//! A picker's and the palette's keys: submit takes the highlighted choice
//! for what the picker was opened for; cancel closes it.

use super::{Outcome, Then};
use crate::app::action::Action;
use crate::app::bulk::BulkChoice;
use crate::app::palette::VimCommand;
use crate::app::picker::{Choice, Picker, PickerPurpose};

/// The answers to "the file changed on disk: what now?". An answer that is
/// none of these does nothing: it can never mean "overwrite".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalChoice {
    /// Reload the file from disk (after a confirmation).
    Reload,
    /// Save this version under another name.
    SaveAs,
    /// Overwrite the file on disk (after a confirmation showing what).
    Overwrite,
}

impl ExternalChoice {
    pub const ALL: [ExternalChoice; 3] = [
        ExternalChoice::Reload,
        ExternalChoice::SaveAs,
        ExternalChoice::Overwrite,
    ];

    /// The picker's value for this answer.
    pub fn value(self) -> &'static str {
        match self {
            ExternalChoice::Reload => "reload",
            ExternalChoice::SaveAs => "saveas",
            ExternalChoice::Overwrite => "overwrite",
        }
    }

    /// What the picker shows for it.
    pub fn label(self) -> &'static str {
        match self {
            ExternalChoice::Reload => "Reload the file from disk (your unsaved edits are lost)",
            ExternalChoice::SaveAs => "Save your version as another file",
            ExternalChoice::Overwrite => {
                "Overwrite the file on disk with your version (shows what you replace)"
            }
        }
    }

    /// The answer a picker value stands for; `None` for anything else.
    pub fn of(value: &str) -> Option<ExternalChoice> {
        Self::ALL.into_iter().find(|c| c.value() == value)
    }

    /// The picker's choices, in this order.
    pub fn choices() -> Vec<Choice> {
        Self::ALL
            .into_iter()
            .map(|c| Choice {
                value: c.value().into(),
                label: c.label().into(),
                hint: String::new(),
            })
            .collect()
    }
}

pub(super) fn handle(p: &mut Picker, action: Action) -> Option<Outcome> {
    Some(match action {
        Action::Submit => submit(p),
        Action::Cancel | Action::Deny => Outcome::Close,
        _ => return None,
    })
}

fn submit(p: &Picker) -> Outcome {
    let Some(choice) = p.chosen() else {
        // Nothing matches the query: the picker stays for another one.
        return Outcome::Stay;
    };
    let value = choice.value.clone();
    Outcome::CloseThen(match &p.purpose {
        PickerPurpose::LinkControl { risk } => Then::LinkControl {
            risk: *risk,
            control: value,
        },
        PickerPurpose::FormField { field } => Then::FillField {
            field: *field,
            value,
        },
        PickerPurpose::ReviewOwner => Then::ReviewOwner(value),
        PickerPurpose::ExternalChange { path, summary } => match ExternalChoice::of(&value) {
            Some(choice) => Then::External {
                choice,
                path: path.clone(),
                summary: summary.clone(),
            },
            None => Then::Error(format!("Unknown answer {value:?}: nothing done")),
        },
        PickerPurpose::Palette(_) => return Outcome::Close,
        PickerPurpose::Evidence { row } => Then::Evidence { row: *row, value },
        PickerPurpose::Bulk(which) => match BulkChoice::of(*which, &value) {
            Some(choice) => Then::Bulk {
                which: *which,
                choice,
                text: None,
            },
            None => Then::Error(format!("Unknown bulk edit {value:?}: nothing done")),
        },
        PickerPurpose::ThreatLibrary => Then::AddLibraryThreat(value),
    })
}

/// The palette: submit runs the highlighted action, or a vim command typed
/// as the query (`:w`, `:q`, `:wq`, `:x`, `:q!` do what vim does).
pub(super) fn palette(p: &mut Picker, action: Action) -> Option<Outcome> {
    Some(match action {
        Action::Submit => {
            if let Some(cmd) = VimCommand::parse(&p.query) {
                return Some(Outcome::CloseThen(Then::Vim(cmd)));
            }
            match (p.matches.get(p.selected), &p.purpose) {
                (Some((i, _)), PickerPurpose::Palette(actions)) => match actions.get(*i) {
                    Some(&action) => Outcome::CloseThen(Then::Run(action)),
                    None => Outcome::Close,
                },
                _ => Outcome::Close,
            }
        }
        Action::Cancel | Action::Deny => Outcome::Close,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_reads_back_and_nothing_else_is_an_answer() {
        for c in ExternalChoice::ALL {
            assert_eq!(ExternalChoice::of(c.value()), Some(c));
        }
        for other in ["", "Overwrite", "overwrite ", "yes", "o"] {
            assert_eq!(ExternalChoice::of(other), None, "{other:?}");
        }
    }

    #[test]
    fn an_unknown_answer_to_the_external_change_question_never_overwrites() {
        let picker = Picker::new(
            "The file changed on disk: what now?",
            vec![Choice {
                value: "bogus".into(),
                label: "Something else".into(),
                hint: String::new(),
            }],
            PickerPurpose::ExternalChange {
                path: "reg.ron".into(),
                summary: Vec::new(),
            },
        );
        let mut p = picker;
        match handle(&mut p, Action::Submit) {
            Some(Outcome::CloseThen(Then::Error(message))) => {
                assert!(message.contains("nothing done"), "{message}");
            }
            other => panic!("expected an error, got {other:?}"),
        }
    }
}
