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
    /// Edit the register's own settings: name, scope, scales and their
    /// labels, levels and review periods, appetite, matrix on/off.
    EditSettings,
    /// Write the register to another file (asks for the path).
    SaveAs,
    /// Read the register again from disk (asks first when there are
    /// unsaved edits, which it drops).
    Reload,
    /// Show the last status messages in full (the message log).
    ShowMessages,
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
    /// Switch the history line on save on or off for this register
    /// (remembered): when on, each save offers a one-line summary of what
    /// changed since the last save, to append to `history`.
    HistoryOnSave,
    /// Do nothing; in a keymap file it unbinds the key. Kept last: keymap
    /// errors list the valid actions in this order.
    NoOp,
}

/// Highest score value accepted by `SetLikelihood`/`SetImpact` (a register's
/// scale has 2 to 10 labels).
pub const MAX_SCALE: u8 = 10;

/// Every parameterless action, in a stable order, followed by the
/// parameterised ones for 1..=5 (see [`Action::all`]).
const ALL_UNIT: [Action; 61] = [
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
    Action::EditSettings,
    Action::SaveAs,
    Action::Reload,
    Action::ShowMessages,
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
    Action::HistoryOnSave,
];

/// The palette's order (see [`Action::palette`]); `Quit` is not here: it
/// is always last.
const PALETTE_ORDER: [Action; 62] = [
    Action::ShowDashboard,
    Action::ShowRisks,
    Action::ShowAssets,
    Action::ShowThreats,
    Action::ShowControls,
    Action::ShowSoa,
    Action::ShowEnvironment,
    Action::ShowChanges,
    Action::ShowFindings,
    Action::ShowMessages,
    Action::ToggleHelp,
    Action::StartFilter,
    Action::ClearFilter,
    Action::FilterAboveAppetite,
    Action::FilterOverdue,
    Action::FilterAccepted,
    Action::FilterLevel,
    Action::FilterTreatment,
    Action::FilterOwner,
    Action::FilterOutOfScope,
    Action::ClearReviewFilters,
    Action::SortNext,
    Action::SortPrev,
    Action::ReverseSort,
    Action::CycleSoaFilter,
    Action::ToggleDetail,
    Action::Edit,
    Action::Add,
    Action::Delete,
    Action::SetLikelihood(1),
    Action::SetLikelihood(2),
    Action::SetLikelihood(3),
    Action::SetLikelihood(4),
    Action::SetLikelihood(5),
    Action::SetImpact(1),
    Action::SetImpact(2),
    Action::SetImpact(3),
    Action::SetImpact(4),
    Action::SetImpact(5),
    Action::LinkControl,
    Action::ToggleFactor,
    Action::AcceptRisk,
    Action::WhatIf,
    Action::Undo,
    Action::Redo,
    Action::Save,
    Action::SaveAs,
    Action::HistoryOnSave,
    Action::ExportSoa,
    Action::ApproveSoa,
    Action::EditSettings,
    Action::Reload,
    Action::NextView,
    Action::PrevView,
    Action::MoveUp,
    Action::MoveDown,
    Action::MoveLeft,
    Action::MoveRight,
    Action::PageUp,
    Action::PageDown,
    Action::GoTop,
    Action::GoBottom,
];

/// Palette words for `SetLikelihood(n)`, indexed by `n` (`l3` is
/// "likelihood 3", as `L 3` is its key).
const LIKELIHOOD_WORDS: [&[&str]; 11] = [
    &["likelihood"],
    &["l1", "likelihood", "probability"],
    &["l2", "likelihood", "probability"],
    &["l3", "likelihood", "probability"],
    &["l4", "likelihood", "probability"],
    &["l5", "likelihood", "probability"],
    &["l6", "likelihood", "probability"],
    &["l7", "likelihood", "probability"],
    &["l8", "likelihood", "probability"],
    &["l9", "likelihood", "probability"],
    &["l10", "likelihood", "probability"],
];

/// Palette words for `SetImpact(n)`, indexed by `n`.
const IMPACT_WORDS: [&[&str]; 11] = [
    &["impact"],
    &["i1", "impact", "consequence"],
    &["i2", "impact", "consequence"],
    &["i3", "impact", "consequence"],
    &["i4", "impact", "consequence"],
    &["i5", "impact", "consequence"],
    &["i6", "impact", "consequence"],
    &["i7", "impact", "consequence"],
    &["i8", "impact", "consequence"],
    &["i9", "impact", "consequence"],
    &["i10", "impact", "consequence"],
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
            Action::HistoryOnSave => "History line on save: on/off",
            Action::MoveLeft => "Move left (heat-map cell, else previous view)",
            Action::MoveRight => "Move right (heat-map cell, else next view)",
            Action::NoOp => "Do nothing (unbinds a key)",
            Action::EditSettings => "Settings: scales, levels, appetite",
            Action::SaveAs => "Save the register as another file",
            Action::Reload => "Reload the register from disk",
            Action::ShowMessages => "Show the message log",
        };
        text.to_string()
    }

    /// Everyday words the command palette finds this action by, besides
    /// the words of [`Action::describe`]: lower case, a phrase may have
    /// several words ("save as"). Kept here, beside the description, so an
    /// action's name, text and search words are written in one place.
    ///
    /// A word belongs to the action a user most likely means by it (the
    /// palette ranks an exact keyword above a word of another action's
    /// description): `risks`, `score`, `review`, `overdue`, `appetite` and
    /// `treatment` go to the risk register, `heat` to the dashboard (the
    /// heat maps), `open` and `notes` to editing the selected item (notes
    /// are fields of its form), `diff` and `baseline` to the Changes view.
    pub fn keywords(&self) -> &'static [&'static str] {
        match self {
            Action::Quit => &["quit", "exit"],
            Action::Save => &["save", "write"],
            Action::Undo => &["undo"],
            Action::Redo => &["redo"],
            Action::ToggleHelp => &["help", "keys", "keybindings", "bindings", "shortcuts"],
            Action::OpenPalette => &["palette", "commands"],
            Action::Cancel => &["cancel", "close"],
            Action::ShowDashboard => &[
                "dashboard",
                "heat",
                "heat map",
                "heatmap",
                "matrix",
                "overview",
                "summary",
                "home",
            ],
            Action::ShowRisks => &[
                "risks",
                "risk",
                "risk register",
                "register",
                "score",
                "scores",
                "scoring",
                "residual",
            ],
            Action::ShowAssets => &["assets", "asset"],
            Action::ShowThreats => &["threats", "threat"],
            Action::ShowControls => &["controls", "annex", "annex a", "implementation"],
            Action::ShowSoa => &[
                "soa",
                "statement of applicability",
                "applicability",
                "decisions",
            ],
            Action::ShowEnvironment => {
                &["environment", "env", "factors", "factor", "cloud", "scope"]
            }
            Action::NextView => &["next view", "next tab"],
            Action::PrevView => &["previous view", "previous tab"],
            Action::MoveUp => &["up"],
            Action::MoveDown => &["down"],
            Action::PageUp => &["page up"],
            Action::PageDown => &["page down"],
            Action::GoTop => &["top", "first"],
            Action::GoBottom => &["bottom", "last", "end"],
            Action::StartFilter => &["filter", "search", "find", "grep"],
            Action::ClearFilter => &["clear filter", "unfilter"],
            Action::SortNext => &["sort", "order", "sort by"],
            Action::SortPrev => &["sort previous"],
            Action::ReverseSort => &["reverse", "reverse sort", "ascending", "descending"],
            Action::SetLikelihood(n) => LIKELIHOOD_WORDS
                .get(usize::from(*n))
                .copied()
                .unwrap_or(&["likelihood"]),
            Action::SetImpact(n) => IMPACT_WORDS
                .get(usize::from(*n))
                .copied()
                .unwrap_or(&["impact"]),
            Action::Add => &["add", "new", "create", "insert"],
            Action::Edit => &["edit", "open", "modify", "notes", "note"],
            Action::Delete => &["delete", "remove", "del", "rm"],
            Action::ToggleFactor => &["toggle factor", "switch", "on", "off"],
            Action::CycleSoaFilter => &["soa filter", "gaps", "applicable"],
            Action::LinkControl => &["link", "control", "mitigate", "mitigation"],
            Action::ToggleDetail => &["detail", "details", "pane", "detail pane"],
            Action::NextField => &["next field"],
            Action::PrevField => &["previous field"],
            Action::Submit => &["submit"],
            Action::Confirm => &["yes", "confirm"],
            Action::Deny => &["no", "deny"],
            Action::ShowChanges => &[
                "changes",
                "change",
                "changed",
                "what changed",
                "diff",
                "baseline",
                "compare",
            ],
            Action::WhatIf => &["what if", "whatif", "what-if", "sandbox", "simulate"],
            Action::ApproveSoa => &["approve", "approval", "sign off"],
            Action::AcceptRisk => &["accept", "acceptance"],
            Action::ExportSoa => &["export", "excel", "xlsx", "workbook", "spreadsheet"],
            Action::NoOp => &[],
            Action::SaveAs => &["save as", "write as", "save copy"],
            Action::Reload => &["reload", "refresh", "revert", "reread"],
            Action::ShowMessages => &["messages", "message", "log", "message log"],
            Action::ShowFindings => &["findings", "errors", "warnings", "check", "problems"],
            Action::FilterAboveAppetite => &["appetite", "above appetite"],
            Action::FilterOverdue => &["overdue", "review", "review due", "overdue review"],
            Action::FilterAccepted => &["accepted", "acceptances", "expired", "stale"],
            Action::FilterLevel => &["level", "critical", "high"],
            Action::FilterTreatment => &["treatment", "modify", "retain", "avoid", "share"],
            Action::FilterOwner => &["owner", "whose", "owners"],
            Action::FilterOutOfScope => &["out of scope", "excluded risks"],
            Action::ClearReviewFilters => &["clear review", "all risks", "reset filters"],
            Action::HistoryOnSave => &["history", "log", "change log", "summary", "minutes"],
            Action::MoveLeft => &["left"],
            Action::MoveRight => &["right"],
            Action::EditSettings => &[
                "settings",
                "preferences",
                "config",
                "method",
                "scale",
                "scales",
                "labels",
                "levels",
                "review days",
                "matrix",
                "name",
                "scope",
                "rename",
            ],
        }
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
    ///
    /// In the order the palette lists them for an empty query, which is
    /// also the tie-break when a query matches several equally well: the
    /// views first, then the table, editing, the file, moving around, and
    /// `Quit` last, so that enter on an untouched palette never quits.
    /// Actions missing from [`PALETTE_ORDER`] come after it, before `Quit`.
    pub fn palette() -> Vec<Action> {
        let usable = |a: &Action| {
            !matches!(
                a,
                Action::OpenPalette
                    | Action::Cancel
                    | Action::Submit
                    | Action::Confirm
                    | Action::Deny
                    | Action::NextField
                    | Action::PrevField
                    | Action::NoOp
            )
        };
        let all = Self::all();
        let mut out: Vec<Action> = PALETTE_ORDER
            .iter()
            .copied()
            .filter(|a| usable(a) && all.contains(a))
            .collect();
        for a in all {
            if usable(&a) && !out.contains(&a) && a != Action::Quit {
                out.push(a);
            }
        }
        out.push(Action::Quit);
        out
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
            Action::SaveAs => 47,
            Action::Reload => 48,
            Action::ShowMessages => 49,
            Action::EditSettings => 50,
            Action::ShowFindings => 51,
            Action::FilterAboveAppetite => 52,
            Action::FilterOverdue => 53,
            Action::FilterAccepted => 54,
            Action::FilterLevel => 55,
            Action::FilterTreatment => 56,
            Action::FilterOwner => 57,
            Action::FilterOutOfScope => 58,
            Action::ClearReviewFilters => 59,
            Action::MoveLeft => 60,
            Action::MoveRight => 61,
            Action::HistoryOnSave => 62,
        }
    }

    #[test]
    fn all_covers_every_variant_once() {
        let mut seen = [0usize; 63];
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
    fn palette_lists_views_first_and_quit_last_each_once() {
        let p = Action::palette();
        assert_eq!(p.first(), Some(&Action::ShowDashboard));
        assert_eq!(p.last(), Some(&Action::Quit));
        let mut uniq = p.clone();
        uniq.sort_by_key(Action::name);
        uniq.dedup();
        assert_eq!(uniq.len(), p.len());
        for a in PALETTE_ORDER {
            assert!(p.contains(&a), "{a} is ordered but not in the palette");
        }
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
