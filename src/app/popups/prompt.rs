//! A one-line prompt's keys: submit hands its text to what it was opened
//! for (an empty answer keeps it open), cancel closes it.

use std::path::PathBuf;

use super::{Outcome, Then};
use crate::app::action::Action;
use crate::app::{Effect, Prompt, PromptPurpose};

pub(super) fn handle(p: &mut Prompt, action: Action) -> Option<Outcome> {
    Some(match action {
        Action::Submit => submit(p),
        Action::Cancel | Action::Deny => Outcome::Close,
        _ => return None,
    })
}

fn submit(p: &Prompt) -> Outcome {
    let text = p.field.text();
    let trimmed = text.trim();
    match &p.purpose {
        PromptPurpose::ApproveSoa if trimmed.is_empty() => {
            Outcome::StayThen(Then::Error("Give the approver's name".into()))
        }
        PromptPurpose::ApproveSoa => Outcome::CloseThen(Then::Approve(trimmed.to_string())),
        PromptPurpose::HistoryName if trimmed.is_empty() => {
            Outcome::StayThen(Then::HistoryName(text))
        }
        PromptPurpose::HistoryName => Outcome::CloseThen(Then::HistoryName(text)),
        PromptPurpose::HistoryLine => Outcome::CloseThen(Then::HistoryLine(text)),
        PromptPurpose::ApprovePlan if trimmed.is_empty() => {
            Outcome::StayThen(Then::Error("Give the approver's name".into()))
        }
        PromptPurpose::ApprovePlan => Outcome::CloseThen(Then::PlanApprover(trimmed.to_string())),
        PromptPurpose::ApprovePlanNote(by) => Outcome::CloseThen(Then::ApprovePlan {
            by: by.clone(),
            note: trimmed.to_string(),
        }),
        PromptPurpose::Bulk(which, choice) => match choice.check(trimmed) {
            Ok(text) => Outcome::CloseThen(Then::Bulk {
                which: *which,
                choice: *choice,
                text: Some(text),
            }),
            Err(e) => Outcome::StayThen(Then::Error(e)),
        },
        PromptPurpose::MinutesAttendees => Outcome::CloseThen(Then::MinutesAttendees(text)),
        PromptPurpose::MinutesPath if trimmed.is_empty() => Outcome::Stay,
        PromptPurpose::MinutesPath => Outcome::CloseThen(Then::MinutesPath(PathBuf::from(trimmed))),
        PromptPurpose::SaveAs | PromptPurpose::SaveAsThenQuit if trimmed.is_empty() => {
            Outcome::Stay
        }
        PromptPurpose::SaveAs => {
            Outcome::CloseThen(Then::Effects(vec![Effect::Save(PathBuf::from(trimmed))]))
        }
        PromptPurpose::SaveAsThenQuit => {
            Outcome::CloseThen(Then::Effects(vec![Effect::SaveThenQuit(PathBuf::from(
                trimmed,
            ))]))
        }
    }
}
