//! The one list of things a user can do.
//!
//! The keymap maps key sequences to an [`Action`], the command palette lists
//! [`Action::palette`] with [`Action::describe`], and the help screen is
//! generated from the keymap's bindings. Adding a variant therefore means:
//! a doc comment, a line in [`Action::describe`], an entry in `ALL` below and
//! a binding in `keymaps/default.ron` (a test checks the last one).
//!
//! The serde representation is the RON spelling used in keymap files:
//! `Quit`, `SetLikelihood(3)`.

use serde::{Deserialize, Deserializer, Serialize};

/// Something the user asked for, independent of the key that asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Action {
    /// Leave riskbench (asks first when there are unsaved changes).
    Quit,
    /// Write the register to disk.
    Save,
    /// Undo the last change to the register.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Show or hide the help screen.
    ToggleHelp,
    /// Open the command palette.
    OpenPalette,
    /// Close the current popup or abandon the current form.
    Cancel,
    /// Switch to the dashboard view.
    ShowDashboard,
    /// Switch to the risk register view.
    ShowRisks,
    /// Switch to the assets view.
    ShowAssets,
    /// Switch to the threats view.
    ShowThreats,
    /// Switch to the Annex A controls view.
    ShowControls,
    /// Switch to the Statement of Applicability view.
    ShowSoa,
    /// Switch to the environment (factors) view.
    ShowEnvironment,
    /// Switch to the next view.
    NextView,
    /// Switch to the previous view.
    PrevView,
    /// Move the selection up one row.
    MoveUp,
    /// Move the selection down one row.
    MoveDown,
    /// Move the selection up one page.
    PageUp,
    /// Move the selection down one page.
    PageDown,
    /// Select the first row.
    GoTop,
    /// Select the last row.
    GoBottom,
    /// Start typing a filter for the current table.
    StartFilter,
    /// Remove the current filter.
    ClearFilter,
    /// Sort by the next column.
    SortNext,
    /// Sort by the previous column.
    SortPrev,
    /// Reverse the sort order.
    ReverseSort,
    /// Set the selected risk's likelihood (1-based scale value, at most
    /// [`MAX_SCALE`]; deserialising anything else is an error).
    SetLikelihood(#[serde(deserialize_with = "scale_value")] u8),
    /// Set the selected risk's impact (1-based scale value, at most
    /// [`MAX_SCALE`]; deserialising anything else is an error).
    SetImpact(#[serde(deserialize_with = "scale_value")] u8),
    /// Add a new item to the current view.
    Add,
    /// Edit the selected item.
    Edit,
    /// Delete the selected item (asks first).
    Delete,
    /// Switch the selected environment factor on or off.
    ToggleFactor,
    /// Cycle the Statement of Applicability filter (all, applicable, gaps, ...).
    CycleSoaFilter,
    /// Link an Annex A control to the selected risk (opens the control picker).
    LinkControl,
    /// Show or hide the detail pane for the selected item.
    ToggleDetail,
    /// Move to the next field of a form.
    NextField,
    /// Move to the previous field of a form.
    PrevField,
    /// Accept the form, filter, picker or palette entry.
    Submit,
    /// Answer yes to a confirmation.
    Confirm,
    /// Answer no to a confirmation.
    Deny,
    /// Switch to the Changes view: SoA changes since the approved baseline,
    /// risk and scope changes since the register was loaded.
    ShowChanges,
    /// Enter a what-if sandbox, or leave it (keeping the edits as one
    /// undoable step, or discarding them).
    WhatIf,
    /// Approve the current SoA as the new baseline.
    ApproveSoa,
    /// Record a risk owner's acceptance of the selected risk.
    AcceptRisk,
    /// Write the SoA workbook (xlsx) next to the register.
    ExportSoa,
    /// Switch to the Findings view: every error and warning of `check`,
    /// grouped by code; enter goes to the item.
    ShowFindings,
    /// Review filter of the Risks table: only risks above appetite (toggle).
    FilterAboveAppetite,
    /// Review filter: only risks overdue for review (toggle).
    FilterOverdue,
    /// Review filter: accepted risks, cycling valid, expired, stale, off.
    FilterAccepted,
    /// Review filter: one residual level, cycling through the levels, off.
    FilterLevel,
    /// Review filter: one treatment, cycling through them, off.
    FilterTreatment,
    /// Review filter: one owner's risks (opens a picker of owners).
    FilterOwner,
    /// Review filter: only the out-of-scope risks (toggle).
    FilterOutOfScope,
    /// Remove every review filter (the text filter stays).
    ClearReviewFilters,
    /// Move left: the heat-map cell on the dashboard, else the previous view.
    MoveLeft,
    /// Move right: the heat-map cell on the dashboard, else the next view.
    MoveRight,
    /// Do nothing; in a keymap file it unbinds the key.
    NoOp,
}

/// Highest score value accepted by `SetLikelihood`/`SetImpact` (a register's
/// scale has 2 to 10 labels).
pub const MAX_SCALE: u8 = 10;

/// Every parameterless action, in a stable order, followed by the
/// parameterised ones for 1..=5 (see [`Action::all`]).
const ALL_UNIT: [Action; 56] = [
    Action::Quit,
    Action::Save,
    Action::Undo,
    Action::Redo,
    Action::ToggleHelp,
    Action::OpenPalette,
    Action::Cancel,
    Action::ShowDashboard,
    Action::ShowRisks,
    Action::ShowAssets,
    Action::ShowThreats,
    Action::ShowControls,
    Action::ShowSoa,
    Action::ShowEnvironment,
    Action::NextView,
    Action::PrevView,
    Action::MoveUp,
    Action::MoveDown,
    Action::PageUp,
    Action::PageDown,
    Action::GoTop,
    Action::GoBottom,
    Action::StartFilter,
    Action::ClearFilter,
    Action::SortNext,
    Action::SortPrev,
    Action::ReverseSort,
    Action::Add,
    Action::Edit,
    Action::Delete,
    Action::ToggleFactor,
    Action::CycleSoaFilter,
    Action::LinkControl,
    Action::ToggleDetail,
    Action::NextField,
    Action::PrevField,
    Action::Submit,
    Action::Confirm,
    Action::Deny,
    Action::NoOp,
    Action::ShowChanges,
    Action::WhatIf,
    Action::ApproveSoa,
    Action::AcceptRisk,
    Action::ExportSoa,
    Action::ShowFindings,
    Action::FilterAboveAppetite,
    Action::FilterOverdue,
    Action::FilterAccepted,
    Action::FilterLevel,
    Action::FilterTreatment,
    Action::FilterOwner,
    Action::FilterOutOfScope,
    Action::ClearReviewFilters,
    Action::MoveLeft,
    Action::MoveRight,
];

/// Reads a score for `SetLikelihood`/`SetImpact`, refusing 0 and values
/// above [`MAX_SCALE`] (done here so a keymap error points at the number).
fn scale_value<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    let n = i64::deserialize(d)?;
    match u8::try_from(n) {
        Ok(v) if (1..=MAX_SCALE).contains(&v) => Ok(v),
        _ => Err(serde::de::Error::custom(format!(
            "score {n} is out of range: scale values go from 1 to {MAX_SCALE}"
        ))),
    }
}

impl Action {
    /// One-line human description, e.g. "Set likelihood to 3".
    pub fn describe(&self) -> String {
        let text = match self {
            Action::Quit => "Quit riskbench",
            Action::Save => "Save the register",
            Action::Undo => "Undo the last change",
            Action::Redo => "Redo the last undone change",
            Action::ToggleHelp => "Show or hide help",
            Action::OpenPalette => "Open the command palette",
            Action::Cancel => "Cancel / close the popup",
            Action::ShowDashboard => "Show the dashboard",
            Action::ShowRisks => "Show the risk register",
            Action::ShowAssets => "Show assets",
            Action::ShowThreats => "Show threats",
            Action::ShowControls => "Show Annex A controls",
            Action::ShowSoa => "Show the Statement of Applicability",
            Action::ShowEnvironment => "Show the environment factors",
            Action::NextView => "Next view",
            Action::PrevView => "Previous view",
            Action::MoveUp => "Move up",
            Action::MoveDown => "Move down",
            Action::PageUp => "Page up",
            Action::PageDown => "Page down",
            Action::GoTop => "Go to the first row",
            Action::GoBottom => "Go to the last row",
            Action::StartFilter => "Filter rows",
            Action::ClearFilter => "Clear the filter",
            Action::SortNext => "Sort by the next column",
            Action::SortPrev => "Sort by the previous column",
            Action::ReverseSort => "Reverse the sort order",
            Action::SetLikelihood(n) => return format!("Set likelihood to {n}"),
            Action::SetImpact(n) => return format!("Set impact to {n}"),
            Action::Add => "Add a new item",
            Action::Edit => "Edit the selected item",
            Action::Delete => "Delete the selected item",
            Action::ToggleFactor => "Switch the selected factor on/off",
            Action::CycleSoaFilter => "Cycle the SoA filter",
            Action::LinkControl => "Link an Annex A control",
            Action::ToggleDetail => "Show or hide the detail pane",
            Action::NextField => "Next field",
            Action::PrevField => "Previous field",
            Action::Submit => "Submit",
            Action::Confirm => "Confirm (yes)",
            Action::Deny => "Deny (no)",
            Action::ShowChanges => "Show what changed (SoA, risks, scope)",
            Action::WhatIf => "Enter or leave a what-if sandbox",
            Action::ApproveSoa => "Approve the SoA as the new baseline",
            Action::AcceptRisk => "Record acceptance of the selected risk",
            Action::ExportSoa => "Export the SoA workbook (xlsx) next to the register",
            Action::ShowFindings => "Show the findings (errors and warnings of check)",
            Action::FilterAboveAppetite => "Review filter: risks above appetite (toggle)",
            Action::FilterOverdue => "Review filter: risks overdue for review (toggle)",
            Action::FilterAccepted => "Review filter: accepted risks (valid, expired, stale)",
            Action::FilterLevel => "Review filter: one residual level (cycle)",
            Action::FilterTreatment => "Review filter: one treatment (cycle)",
            Action::FilterOwner => "Review filter: one owner's risks",
            Action::FilterOutOfScope => "Review filter: out-of-scope risks (toggle)",
            Action::ClearReviewFilters => "Clear the review filters",
            Action::MoveLeft => "Move left (heat-map cell, else previous view)",
            Action::MoveRight => "Move right (heat-map cell, else next view)",
            Action::NoOp => "Do nothing (unbinds a key)",
        };
        text.to_string()
    }

    /// The RON spelling used in keymap files, e.g. `"SetLikelihood(3)"`.
    pub fn name(&self) -> String {
        // The derived Debug output is exactly the RON spelling for this enum
        // (unit variants and `u8` newtype variants); a test keeps it honest.
        format!("{self:?}")
    }

    /// Every action a user can invoke from the command palette: all of
    /// [`Action::all`] except the ones that only make sense inside a modal
    /// (the palette is itself a modal, so `Submit`, `Cancel`, `Confirm`,
    /// `Deny`, `NextField`, `PrevField` would act on the palette) and
    /// `OpenPalette` itself. `SetLikelihood`/`SetImpact` appear for 1..=5.
    pub fn palette() -> Vec<Action> {
        Self::all()
            .into_iter()
            .filter(|a| {
                !matches!(
                    a,
                    Action::OpenPalette
                        | Action::Cancel
                        | Action::Submit
                        | Action::Confirm
                        | Action::Deny
                        | Action::NextField
                        | Action::PrevField
                )
            })
            .collect()
    }

    /// Every action that can be bound usefully: each parameterless variant
    /// except `NoOp`, then `SetLikelihood(1..=5)` and `SetImpact(1..=5)`.
    pub fn all() -> Vec<Action> {
        let mut out: Vec<Action> = ALL_UNIT
            .iter()
            .copied()
            .filter(|a| *a != Action::NoOp)
            .collect();
        out.extend((1..=5).map(Action::SetLikelihood));
        out.extend((1..=5).map(Action::SetImpact));
        out
    }

    /// Whether a parameterised action carries a value within 1..=[`MAX_SCALE`].
    /// Always true for parameterless actions.
    pub fn in_range(&self) -> bool {
        match self {
            Action::SetLikelihood(n) | Action::SetImpact(n) => (1..=MAX_SCALE).contains(n),
            _ => true,
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Breaks the build when a variant is added without thinking about `ALL_UNIT`.
    fn variant_index(a: Action) -> usize {
        match a {
            Action::Quit => 0,
            Action::Save => 1,
            Action::Undo => 2,
            Action::Redo => 3,
            Action::ToggleHelp => 4,
            Action::OpenPalette => 5,
            Action::Cancel => 6,
            Action::ShowDashboard => 7,
            Action::ShowRisks => 8,
            Action::ShowAssets => 9,
            Action::ShowThreats => 10,
            Action::ShowControls => 11,
            Action::ShowSoa => 12,
            Action::ShowEnvironment => 13,
            Action::NextView => 14,
            Action::PrevView => 15,
            Action::MoveUp => 16,
            Action::MoveDown => 17,
            Action::PageUp => 18,
            Action::PageDown => 19,
            Action::GoTop => 20,
            Action::GoBottom => 21,
            Action::StartFilter => 22,
            Action::ClearFilter => 23,
            Action::SortNext => 24,
            Action::SortPrev => 25,
            Action::ReverseSort => 26,
            Action::Add => 27,
            Action::Edit => 28,
            Action::Delete => 29,
            Action::ToggleFactor => 30,
            Action::CycleSoaFilter => 31,
            Action::LinkControl => 32,
            Action::ToggleDetail => 33,
            Action::NextField => 34,
            Action::PrevField => 35,
            Action::Submit => 36,
            Action::Confirm => 37,
            Action::Deny => 38,
            Action::NoOp => 39,
            Action::SetLikelihood(_) => 40,
            Action::SetImpact(_) => 41,
            Action::ShowChanges => 42,
            Action::WhatIf => 43,
            Action::ApproveSoa => 44,
            Action::AcceptRisk => 45,
            Action::ExportSoa => 46,
            Action::ShowFindings => 47,
            Action::FilterAboveAppetite => 48,
            Action::FilterOverdue => 49,
            Action::FilterAccepted => 50,
            Action::FilterLevel => 51,
            Action::FilterTreatment => 52,
            Action::FilterOwner => 53,
            Action::FilterOutOfScope => 54,
            Action::ClearReviewFilters => 55,
            Action::MoveLeft => 56,
            Action::MoveRight => 57,
        }
    }

    #[test]
    fn all_covers_every_variant_once() {
        let mut seen = [0usize; 58];
        for a in ALL_UNIT {
            seen[variant_index(a)] += 1;
        }
        seen[40] += 1;
        seen[41] += 1;
        assert!(seen.iter().all(|&n| n == 1), "{seen:?}");
        assert!(!Action::all().contains(&Action::NoOp));
        assert!(!Action::palette().contains(&Action::NoOp));
    }

    #[test]
    fn name_is_the_ron_spelling() {
        for a in Action::all().into_iter().chain([Action::NoOp]) {
            let ron = ron::to_string(&a).unwrap();
            assert_eq!(ron, a.name());
            let back: Action = ron::from_str(&a.name()).unwrap();
            assert_eq!(back, a);
        }
    }

    #[test]
    fn describe_is_one_line_and_unique() {
        let all = Action::all();
        let mut texts: Vec<String> = all.iter().map(Action::describe).collect();
        assert!(texts.iter().all(|t| !t.is_empty() && !t.contains('\n')));
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), all.len());
        assert_eq!(Action::SetLikelihood(3).describe(), "Set likelihood to 3");
    }

    #[test]
    fn palette_has_scores_one_to_five() {
        let p = Action::palette();
        for n in 1..=5 {
            assert!(p.contains(&Action::SetLikelihood(n)));
            assert!(p.contains(&Action::SetImpact(n)));
        }
        assert!(!p.contains(&Action::SetLikelihood(6)));
    }
}
