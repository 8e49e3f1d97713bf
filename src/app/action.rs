//! The one list of things a user can do.
//!
//! The keymap maps key sequences to an [`Action`], the command palette lists
//! [`Action::palette`] with [`Action::describe`], and the help screen is
//! generated from the keymap's bindings. Every action is declared once, in
//! the `actions!` table below: its variant, the text the palette and help
//! show (which is also the first line of its doc comment, so the two cannot
//! drift), its palette keywords, its place in the palette and any further
//! doc. Adding a variant therefore means one entry there (at the end, before
//! `NoOp`) and a binding in `keymaps/default.ron` (a test checks the last).
//!
//! The serde representation is the RON spelling used in keymap files:
//! `Quit`, `SetLikelihood(3)`. The variants are declared in the table's
//! order, which is also the order keymap errors list valid actions in.

use serde::{Deserialize, Deserializer, Serialize};

/// Highest score value accepted by `SetLikelihood`/`SetImpact` (a register's
/// scale has 2 to 10 labels).
pub const MAX_SCALE: u8 = 10;

/// Palette place of `Quit`: always last, so that enter on an untouched
/// palette never quits.
const LAST: u16 = u16::MAX;

/// Builds [`Action`] and its tables from one declaration per action:
///
/// ```text
/// /// Further doc (why, caveats); the first doc line is the description.
/// Variant => "Description shown in palette and help",
///     palette: Some(rank) | None, keywords: &["word", "two words"];
/// Scored(n) => "Description followed by n", palette: ..., keywords: expr of n;
/// ```
///
/// A variant with `(n)` carries a scale value (`u8`, 1..=[`MAX_SCALE`],
/// checked when a keymap is read); its description is followed by the
/// value, and its keyword expression may use `n` (a `&u8`). `palette: None`
/// keeps an action out of the palette (it would act on the palette itself);
/// otherwise the palette lists actions by rank, smallest first.
macro_rules! actions {
    (
        $(
            $(#[$doc:meta])*
            $name:ident $(($arg:ident))? => $desc:literal,
                palette: $rank:expr, keywords: $kw:expr;
        )*
    ) => {
        /// Something the user asked for, independent of the key that asked for it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
        pub enum Action {
            $(
                #[doc = concat!($desc, $(" *", stringify!($arg), "*",)? ".")]
                #[doc = ""]
                $(#[$doc])*
                $name $((#[serde(deserialize_with = "scale_value")] actions!(@u8 $arg)))?,
            )*
        }

        impl Action {
            /// One-line human description, e.g. "Set likelihood to 3" (the
            /// first line of the variant's doc comment).
            pub fn describe(&self) -> String {
                match self {
                    $(Action::$name $(($arg))? => actions!(@describe $desc $(, $arg)?),)*
                }
            }

            /// Everyday words the command palette finds this action by,
            /// besides the words of [`Action::describe`]: lower case, a
            /// phrase may have several words ("save as").
            ///
            /// A word belongs to the action a user most likely means by it
            /// (the palette ranks an exact keyword above a word of another
            /// action's description): `risks`, `score`, `review`, `overdue`,
            /// `appetite` and `treatment` go to the risk register, `heat` to
            /// the dashboard (the heat maps), `open` and `notes` to editing
            /// the selected item (notes are fields of its form), `diff` and
            /// `baseline` to the Changes view.
            pub fn keywords(&self) -> &'static [&'static str] {
                match self {
                    $(Action::$name $(($arg))? => { $(let _ = $arg;)? $kw })*
                }
            }

            /// The RON spelling used in keymap files, e.g. `"SetLikelihood(3)"`.
            pub fn name(&self) -> String {
                match self {
                    $(Action::$name $(($arg))? => actions!(@name $name $(, $arg)?),)*
                }
            }

            /// Whether a parameterised action carries a value within
            /// 1..=[`MAX_SCALE`]. Always true for parameterless actions.
            pub fn in_range(&self) -> bool {
                match self {
                    $(Action::$name $(($arg))? => actions!(@in_range $($arg)?),)*
                }
            }

            /// Where the palette lists this action (smallest first), `None`
            /// when it is not in the palette.
            fn palette_rank(&self) -> Option<u16> {
                match self {
                    $(Action::$name { .. } => $rank,)*
                }
            }

            /// Every action that can be bound usefully: each parameterless
            /// variant except `NoOp` and `ToggleFactor` (an older name for
            /// what `ToggleMark` does on the Environment view), in declaration order, then each
            /// scored one for 1..=5 (`SetLikelihood(1..=5)`, `SetImpact(1..=5)`).
            pub fn all() -> Vec<Action> {
                let mut out = Vec::with_capacity(80);
                $(actions!(@unit out, $name $(, $arg)?);)*
                $(actions!(@scored out, $name $(, $arg)?);)*
                out
            }
        }
    };
    (@u8 $arg:ident) => { u8 };
    (@describe $desc:literal) => { $desc.to_string() };
    (@describe $desc:literal, $arg:ident) => { format!("{} {}", $desc, $arg) };
    (@name $name:ident) => { stringify!($name).to_string() };
    (@name $name:ident, $arg:ident) => { format!("{}({})", stringify!($name), $arg) };
    (@in_range) => { true };
    (@in_range $arg:ident) => { (1..=MAX_SCALE).contains($arg) };
    (@unit $out:ident, NoOp) => {};
    (@unit $out:ident, ToggleFactor) => {};
    (@unit $out:ident, $name:ident) => { $out.push(Action::$name) };
    (@unit $out:ident, $name:ident, $arg:ident) => {};
    (@scored $out:ident, $name:ident) => {};
    (@scored $out:ident, $name:ident, $arg:ident) => { $out.extend((1..=5).map(Action::$name)) };
}

actions! {
    /// Asks first when there are unsaved changes.
    Quit => "Quit riskbench", palette: Some(LAST), keywords: &["quit", "exit"];
    Save => "Save the register", palette: Some(380), keywords: &["save", "write"];
    Undo => "Undo the last change", palette: Some(360), keywords: &["undo"];
    Redo => "Redo the last undone change", palette: Some(370), keywords: &["redo"];
    ToggleHelp => "Show or hide help", palette: Some(110),
        keywords: &["help", "keys", "keybindings", "bindings", "shortcuts"];
    OpenPalette => "Open the command palette", palette: None,
        keywords: &["palette", "commands"];
    /// Closes the current popup or abandons the current form.
    Cancel => "Cancel / close the popup", palette: None, keywords: &["cancel", "close"];
    ShowDashboard => "Show the dashboard", palette: Some(10),
        keywords: &["dashboard", "heat", "heat map", "heatmap", "matrix", "overview", "summary", "home"];
    ShowRisks => "Show the risk register", palette: Some(20),
        keywords: &["risks", "risk", "risk register", "register", "score", "scores", "scoring", "residual"];
    ShowAssets => "Show assets", palette: Some(30), keywords: &["assets", "asset"];
    ShowThreats => "Show threats", palette: Some(40), keywords: &["threats", "threat"];
    ShowControls => "Show Annex A controls", palette: Some(50),
        keywords: &["controls", "annex", "annex a", "implementation"];
    ShowSoa => "Show the Statement of Applicability", palette: Some(60),
        keywords: &["soa", "statement of applicability", "applicability", "decisions"];
    ShowEnvironment => "Show the environment factors", palette: Some(70),
        keywords: &["environment", "env", "factors", "factor", "cloud", "scope"];
    NextView => "Next view", palette: Some(450), keywords: &["next view", "next tab"];
    PrevView => "Previous view", palette: Some(460), keywords: &["previous view", "previous tab"];
    /// Moves the selection up one row.
    MoveUp => "Move up", palette: Some(470), keywords: &["up"];
    /// Moves the selection down one row.
    MoveDown => "Move down", palette: Some(480), keywords: &["down"];
    /// Moves the selection up one page.
    PageUp => "Page up", palette: Some(510), keywords: &["page up"];
    /// Moves the selection down one page.
    PageDown => "Page down", palette: Some(520), keywords: &["page down"];
    GoTop => "Go to the first row", palette: Some(530), keywords: &["top", "first"];
    GoBottom => "Go to the last row", palette: Some(540), keywords: &["bottom", "last", "end"];
    /// Starts typing a filter for the current table.
    StartFilter => "Filter rows", palette: Some(120),
        keywords: &["filter", "search", "find", "grep"];
    ClearFilter => "Clear the filter", palette: Some(130),
        keywords: &["clear filter", "unfilter"];
    SortNext => "Sort by the next column", palette: Some(220),
        keywords: &["sort", "order", "sort by"];
    SortPrev => "Sort by the previous column", palette: Some(230), keywords: &["sort previous"];
    ReverseSort => "Reverse the sort order", palette: Some(240),
        keywords: &["reverse", "reverse sort", "ascending", "descending"];
    /// Sets the selected risk's likelihood (1-based scale value, at most
    /// [`MAX_SCALE`]; deserialising anything else is an error).
    SetLikelihood(n) => "Set likelihood to", palette: Some(300),
        keywords: scored_words(&LIKELIHOOD_WORDS, *n);
    /// Sets the selected risk's impact (1-based scale value, at most
    /// [`MAX_SCALE`]; deserialising anything else is an error).
    SetImpact(n) => "Set impact to", palette: Some(310),
        keywords: scored_words(&IMPACT_WORDS, *n);
    /// Adds a new item to the current view.
    Add => "Add a new item", palette: Some(280), keywords: &["add", "new", "create", "insert"];
    Edit => "Edit the selected item", palette: Some(270),
        keywords: &["edit", "open", "modify", "notes", "note"];
    /// Asks first.
    Delete => "Delete the selected item", palette: Some(290),
        keywords: &["delete", "remove", "del", "rm"];
    /// Switches the selected environment factor on or off. The name that
    /// keymap files written before marking rows existed use
    /// (`"space": ToggleFactor`): they still load and still switch factors.
    /// `space` is now [`Action::ToggleMark`], which does the same on the
    /// Environment view (a factor row has nothing to mark), so no key
    /// needs this name and, like `NoOp`, it is left out of
    /// [`Action::all`] and the palette.
    ToggleFactor => "Switch the selected factor on/off", palette: None,
        keywords: &["toggle factor", "switch", "on", "off"];
    /// Cycles the Statement of Applicability filter (all, applicable, gaps, ...).
    CycleSoaFilter => "Cycle the SoA filter", palette: Some(250),
        keywords: &["soa filter", "gaps", "applicable"];
    /// Links an Annex A control to the selected risk (opens the control picker).
    LinkControl => "Link a control (Annex A or own)", palette: Some(320),
        keywords: &["link", "control", "mitigate", "mitigation"];
    /// For the selected item.
    ToggleDetail => "Show or hide the detail pane", palette: Some(260),
        keywords: &["detail", "details", "pane", "detail pane"];
    /// Moves to the next field of a form.
    NextField => "Next field", palette: None, keywords: &["next field"];
    /// Moves to the previous field of a form.
    PrevField => "Previous field", palette: None, keywords: &["previous field"];
    /// Accepts the form, filter, picker or palette entry.
    Submit => "Submit", palette: None, keywords: &["submit"];
    /// Answers yes to a confirmation.
    Confirm => "Confirm (yes)", palette: None, keywords: &["yes", "confirm"];
    /// Answers no to a confirmation.
    Deny => "Deny (no)", palette: None, keywords: &["no", "deny"];
    /// The Changes view: SoA changes since the approved baseline, risk and
    /// scope changes since the register was loaded.
    ShowChanges => "Show what changed (SoA, risks, scope)", palette: Some(80),
        keywords: &["changes", "change", "changed", "what changed", "diff", "baseline", "compare"];
    /// Leaving keeps the edits as one undoable step, or discards them.
    WhatIf => "Enter or leave a what-if sandbox", palette: Some(350),
        keywords: &["what if", "whatif", "what-if", "sandbox", "simulate"];
    ApproveSoa => "Approve the SoA as the new baseline", palette: Some(420),
        keywords: &["approve", "approval", "sign off"];
    /// Records a risk owner's acceptance of the selected risk.
    AcceptRisk => "Record acceptance of the selected risk", palette: Some(340),
        keywords: &["accept", "acceptance"];
    ExportSoa => "Export the SoA workbook (xlsx) next to the register", palette: Some(410),
        keywords: &["export", "excel", "xlsx", "workbook", "spreadsheet"];
    /// Edits the register's own settings: name, scope, scales and their
    /// labels, levels and review periods, appetite, matrix on/off.
    EditSettings => "Settings: scales, levels, appetite", palette: Some(430),
        keywords: &["settings", "preferences", "config", "method", "scale", "scales", "labels",
            "levels", "review days", "matrix", "name", "scope", "rename"];
    /// Writes the register to another file (asks for the path).
    SaveAs => "Save the register as another file", palette: Some(390),
        keywords: &["save as", "write as", "save copy"];
    /// Reads the register again from disk (asks first when there are
    /// unsaved edits, which it drops).
    Reload => "Reload the register from disk", palette: Some(440),
        keywords: &["reload", "refresh", "revert", "reread"];
    /// The last status messages in full.
    ShowMessages => "Show the message log", palette: Some(100),
        keywords: &["messages", "message", "log", "message log"];
    /// The Findings view: every error and warning of `check`, grouped by
    /// code; enter goes to the item.
    ShowFindings => "Show the findings (errors and warnings of check)", palette: Some(90),
        keywords: &["findings", "errors", "warnings", "check", "problems"];
    /// Of the Risks table.
    FilterAboveAppetite => "Review filter: risks above appetite (toggle)", palette: Some(140),
        keywords: &["appetite", "above appetite"];
    FilterOverdue => "Review filter: risks overdue for review (toggle)", palette: Some(150),
        keywords: &["overdue", "review", "review due", "overdue review"];
    /// Cycles valid, expired, stale, off.
    FilterAccepted => "Review filter: accepted risks (valid, expired, stale)", palette: Some(160),
        keywords: &["accepted", "acceptances", "expired", "stale"];
    /// Cycles through the levels, then off.
    FilterLevel => "Review filter: one residual level (cycle)", palette: Some(170),
        keywords: &["level", "critical", "high"];
    /// Cycles through the treatments, then off.
    FilterTreatment => "Review filter: one treatment (cycle)", palette: Some(180),
        keywords: &["treatment", "modify", "retain", "avoid", "share"];
    /// Opens a picker of owners.
    FilterOwner => "Review filter: one owner's risks", palette: Some(190),
        keywords: &["owner", "whose", "owners"];
    FilterOutOfScope => "Review filter: out-of-scope risks (toggle)", palette: Some(200),
        keywords: &["out of scope", "excluded risks"];
    /// Every review filter; the text filter stays.
    ClearReviewFilters => "Clear the review filters", palette: Some(210),
        keywords: &["clear review", "all risks", "reset filters"];
    MoveLeft => "Move left (heat-map cell, else previous view)", palette: Some(490),
        keywords: &["left"];
    MoveRight => "Move right (heat-map cell, else next view)", palette: Some(500),
        keywords: &["right"];
    /// For this register (remembered): when on, each save offers a one-line
    /// summary of what changed since the last save, to append to `history`.
    HistoryOnSave => "History line on save: on/off", palette: Some(400),
        keywords: &["history", "log", "change log", "summary", "minutes"];
    /// The Plan view: the risk treatment plan's actions, their status,
    /// owners, due dates, effort and cost, and whether the plan is approved.
    ShowPlan => "Show the treatment plan (actions)", palette: Some(92),
        keywords: &["plan", "treatment plan", "actions", "action", "tasks", "rtp"];
    /// From a risk row: a new action for that risk, pre-filled with its
    /// owner and its linked controls that are not implemented yet.
    TreatRisk => "Plan an action for the selected risk", palette: Some(345),
        keywords: &["treat", "new action", "plan action", "task"];
    /// Open → InProgress → Done (done records today); a done or cancelled
    /// action opens again. Cancelling is in the action's form.
    AdvanceAction => "Advance the selected action's status", palette: Some(346),
        keywords: &["status", "progress", "done", "complete", "start", "in progress"];
    /// Records the risk owners' (or management's) approval of the
    /// treatment plan (6.1.3 f): asks for the approver, then a note.
    ApprovePlan => "Approve the treatment plan", palette: Some(425),
        keywords: &["approve plan", "plan approval", "sign off plan", "approve"];
    /// Cycles confidentiality, integrity, availability, then off: the risks
    /// whose `cia` names it (6.1.2 c).
    FilterCia => "Review filter: risks to confidentiality, integrity or availability (cycle)",
        palette: Some(205),
        keywords: &["cia", "confidentiality", "integrity", "availability", "risks to availability"];
    /// In the Controls or SoA view: the selected control's evidence (what
    /// proves it works, REGISTER.md §5). A control without evidence opens
    /// the form for a new item; otherwise a list: a new item, or one of
    /// those recorded (newest first) to edit or remove.
    Evidence => "Evidence of the selected control: add, edit or remove", palette: Some(337),
        keywords: &["evidence", "proof", "audit evidence", "add evidence"];
    /// Shows the link or path of the selected control's newest evidence
    /// (in the evidence list: the highlighted item) and copies it with
    /// OSC 52 where the terminal allows; riskbench never opens it itself.
    CopyEvidenceLink => "Show and copy where the evidence is (link or path)", palette: Some(338),
        keywords: &["copy", "clipboard", "url", "evidence link", "where"];
    /// Marks the selected row, or unmarks it, and moves down one (as in
    /// mutt and ranger): in the Risks view (and the dashboard's top risks,
    /// which share its marks), Controls and SoA. Marks are kept by id per
    /// view, so sorting, filtering and edits keep them; esc clears them.
    /// On the Environment view it switches the selected factor on or off,
    /// as `space` always has there (see [`Action::ToggleFactor`]).
    ToggleMark => "Mark or unmark the row (Environment: switch the factor)", palette: Some(333),
        keywords: &["mark", "select", "unmark", "toggle factor", "switch", "on", "off", "many"];
    /// One edit to every marked row as one undo step: a menu of the edits
    /// that fit the view (SoA: applicable, excluded with one reason, back
    /// to Undecided; Controls: status, effectiveness; Risks: owner,
    /// treatment). With nothing marked, the selected row alone.
    BulkEdit => "Edit every marked row at once (bulk edit)", palette: Some(334),
        keywords: &["bulk", "bulk edit", "many", "marked", "mass", "batch", "all at once"];
    /// On a risk (wherever one is selected: Dashboard, Risks, Focus): a
    /// small form, author and text, dated today; the author is remembered
    /// for the session. One undoable edit; the detail pane lists notes
    /// newest first.
    AddNote => "Add a note to the selected risk", palette: Some(339),
        keywords: &["add note", "comment", "discussion", "remark"];
    /// The minutes of this session (the register as opened compared with
    /// now): asks for the attendees once per session, then where to write
    /// them (beside the register, never over a file without asking).
    WriteMinutes => "Write the workshop minutes of this session", palette: Some(415),
        keywords: &["minutes", "workshop", "record", "attendees", "meeting"];
    /// Opens a picker over the threat library (the BSI elementary threats
    /// and ISO/IEC 27005-style examples); the chosen threat is added with
    /// its source as one undoable edit. From another view it switches to
    /// the Threats view first.
    AddThreatFromLibrary => "Add a threat from the library (BSI, ISO 27005)", palette: Some(335),
        keywords: &["threat library", "library", "bsi", "elementary threats", "27005",
            "add threat", "catalogue", "catalog"];
    /// One risk filling the screen for a workshop (the Risks table's
    /// selected risk): full title, scores on a large grid, controls,
    /// treatment, acceptance. Pressed again (or esc) it returns to the
    /// view it was opened from.
    ShowFocus => "Focus view: the selected risk on the whole screen", palette: Some(93),
        keywords: &["focus", "workshop", "projector", "present", "one risk", "big"];
    /// The review queue (`domain::review_queue`): never scored, overdue,
    /// above appetite, expired or stale acceptances, then the rest; enter
    /// opens a risk in the focus view.
    ShowQueue => "Review queue: the order to work through", palette: Some(94),
        keywords: &["queue", "workshop", "agenda", "next risk", "order"];
    /// Sets the selected risk's `reviewed` to today (one undoable step):
    /// it leaves the review queue.
    MarkReviewed => "Mark the selected risk reviewed today", palette: Some(347),
        keywords: &["reviewed", "done", "mark reviewed", "reviewed today"];
    /// In the focus view: the risk after the current one in the queue.
    NextInQueue => "Next risk of the review queue", palette: Some(348),
        keywords: &["next", "queue next"];
    /// In the focus view: the risk before the current one in the queue.
    PrevInQueue => "Previous risk of the review queue", palette: Some(349),
        keywords: &["previous", "back", "queue previous"];
    /// The Conflicts list of a register merged by `riskbench merge`: one
    /// row per conflict; `o` keeps ours, `t` takes theirs, `e` edits the
    /// entity (each one undoable edit).
    ShowConflicts => "Merge conflicts: keep ours, take theirs or edit", palette: Some(445),
        keywords: &["conflict", "conflicts", "merge", "git", "resolve", "ours", "theirs"];
    /// In a keymap file it unbinds the key. Kept last: keymap errors list
    /// the valid actions in this order.
    NoOp => "Do nothing (unbinds a key)", palette: None, keywords: &[];
}

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

/// The words of a scored action for value `n` (entry 0, the bare word,
/// for a value out of range).
fn scored_words(words: &[&'static [&'static str]; 11], n: u8) -> &'static [&'static str] {
    words.get(usize::from(n)).unwrap_or(&words[0])
}

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
    /// Every action a user can invoke from the command palette: all of
    /// [`Action::all`] that have a palette rank. The ones that only make
    /// sense inside a modal have none (the palette is itself a modal, so
    /// `Submit`, `Cancel`, `Confirm`, `Deny`, `NextField`, `PrevField` would
    /// act on the palette), nor has `OpenPalette` itself.
    /// `SetLikelihood`/`SetImpact` appear for 1..=5.
    ///
    /// In the order the palette lists them for an empty query, which is
    /// also the tie-break when a query matches several equally well: the
    /// views first, then the table, editing, the file, moving around, and
    /// `Quit` last, so that enter on an untouched palette never quits.
    pub fn palette() -> Vec<Action> {
        let mut out: Vec<Action> = Self::all()
            .into_iter()
            .filter(|a| a.palette_rank().is_some())
            .collect();
        // Stable: the values of one scored action stay in order 1..=5.
        out.sort_by_key(Action::palette_rank);
        out
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

    #[test]
    fn all_lists_each_variant_once_and_noop_nowhere() {
        let all = Action::all();
        let mut names: Vec<String> = all.iter().map(Action::name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
        assert!(!all.contains(&Action::NoOp));
        assert!(!Action::palette().contains(&Action::NoOp));
        // Scored actions come last, after every parameterless one.
        assert_eq!(all[all.len() - 10..][0], Action::SetLikelihood(1));
        assert_eq!(all.last(), Some(&Action::SetImpact(5)));
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
    fn keymap_errors_list_actions_in_declaration_order_noop_last() {
        let e = ron::from_str::<Action>("Frobnicate")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected one of `Quit`, `Save`,"), "{e}");
        assert!(e.ends_with("or `NoOp` instead"), "{e}");
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
        assert_eq!(Action::Quit.describe(), "Quit riskbench");
    }

    #[test]
    fn palette_ranks_are_unique() {
        let mut ranks: Vec<u16> = Action::all()
            .iter()
            .filter(|a| !matches!(a, Action::SetLikelihood(_) | Action::SetImpact(_)))
            .filter_map(Action::palette_rank)
            .collect();
        let n = ranks.len();
        ranks.sort_unstable();
        ranks.dedup();
        assert_eq!(ranks.len(), n, "two actions share a palette rank");
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
        for a in [
            Action::OpenPalette,
            Action::Cancel,
            Action::Submit,
            Action::Confirm,
            Action::Deny,
            Action::NextField,
            Action::PrevField,
        ] {
            assert!(!p.contains(&a), "{a} acts on the palette itself");
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
        let at = |a| p.iter().position(|x| *x == a);
        assert!(at(Action::SetLikelihood(1)) < at(Action::SetLikelihood(5)));
        assert!(at(Action::SetLikelihood(5)) < at(Action::SetImpact(1)));
    }

    #[test]
    fn scored_keywords_follow_the_value() {
        assert_eq!(
            Action::SetLikelihood(3).keywords(),
            &["l3", "likelihood", "probability"]
        );
        assert_eq!(Action::SetImpact(10).keywords()[0], "i10");
        assert!(Action::SetImpact(10).in_range());
        assert!(!Action::SetImpact(11).in_range());
        assert!(Action::Quit.in_range());
    }
}
