//! Application state and the actions that drive it (the TEA "model" and
//! "update"): everything the workbench does, testable without a terminal.
//!
//! Terminal-free: nothing here depends on ratatui or crossterm (the one
//! exception, `text_field`, uses the text-area crate's editing state only).
//! Keys arrive as [`KeyPress`] values, go through the keymap of the context
//! derived from the modal stack, become [`Action`]s, and `update` returns the
//! [`Effect`]s (save, quit) for the runtime to perform.

pub mod action;
mod approval;
pub mod bulk;
pub mod changes;
mod conflicts;
pub mod document;
pub mod edit;
mod editing;
mod evidence;
mod files;
pub mod filter;
mod filtering;
pub mod form;
pub mod history_line;
mod keys;
mod notes;
mod own_controls;
pub mod palette;
pub mod picker;
pub mod plan;
mod popups;
pub mod review;
pub mod stats;
pub mod table;
pub mod text_field;
pub mod threat_library;
mod update;
mod what_if;
pub mod workshop;

pub use update::MAX_QUERY_CHARS;

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::domain::Register;
use crate::domain::diff::Snapshot;
use crate::keymap::{Context, KeyPress, Keymap};

pub use action::Action;
pub use document::Document;
use document::{Change, Touched};
use form::Form;
use picker::Picker;
pub use stats::Stats;
pub use table::View;
use table::{Ctx, SoaFilter, TableState};
use text_field::TextField;

/// Why a change happened: a title and lines of text.
pub type Explanation = (String, Vec<String>);

/// Something only the runtime can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write the register to this path (canonical form, atomically).
    Save(PathBuf),
    /// Write even though the file changed on disk (the user saw the
    /// difference and chose to overwrite).
    ForceSave(PathBuf),
    /// Read the file again from disk, dropping unsaved edits.
    Reload,
    /// Write the SoA workbook to this path; when a file is there already,
    /// the runtime asks first (see [`App::ask_export_exists`]).
    ExportSoa(PathBuf),
    /// Write the SoA workbook over the workbook at this path (the user said
    /// so).
    ReplaceExport(PathBuf),
    /// Write the SoA workbook beside this path under the first free name
    /// (`NAME-2.xlsx`, `NAME-3.xlsx`, …).
    ExportUnderNewName(PathBuf),
    /// Create the missing folders of this path, then save there (the user
    /// agreed); `quit` after a successful save.
    CreateFolderAndSave {
        path: PathBuf,
        quit: bool,
    },
    /// Save to this path; quit when the save succeeded (the quit dialog's
    /// "save"). A refused or failed save leaves the workbench open.
    SaveThenQuit(PathBuf),
    /// Move the recovery file aside under a timestamped name: kept, but no
    /// longer offered (the user declined to restore it for now).
    KeepRecoveryAside,
    /// Delete the recovery file (the user confirmed it).
    DiscardRecovery,
    /// Remember for this register whether saves offer a history line, and
    /// under which name (`None`: off).
    RememberHistoryOnSave(Option<String>),
    Quit,
    /// Put this text on the terminal's clipboard (OSC 52; a terminal that
    /// does not support it ignores the sequence).
    CopyToClipboard(String),
    /// Write the workshop minutes (see [`App::minutes_written`]).
    WriteMinutes(crate::export::minutes::File),
}

/// What a yes/no confirmation does on yes.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum OnConfirm {
    Quit,
    /// Apply this edit, then show the message.
    Apply(edit::Edit, String),
    KeepWhatIf,
    DiscardWhatIf,
    Reload,
    Overwrite(PathBuf),
    /// Restore the register found in the recovery file.
    Restore(Box<Register>),
    /// Offer the recovery file again (after "discard?" was answered no).
    OfferRecovery(Box<Register>, Vec<String>),
    /// Ask once more before deleting the recovery file.
    AskDiscardRecovery(Box<Register>, Vec<String>),
    /// Move the recovery file aside (kept, no longer offered at start).
    KeepRecoveryAside,
    /// Delete the recovery file (the user confirmed).
    DiscardRecovery,
    /// Save to the register's file, then quit if that worked.
    SaveThenQuit,
    /// Ask for a file name, save there, then quit if that worked.
    SaveAsThenQuit,
    /// Just close the question.
    Close,
    /// Replace the existing export at this path.
    ReplaceExport(PathBuf),
    /// Export under a new name beside this path.
    ExportUnderNewName(PathBuf),
    /// Create the missing folders, then save (and quit when asked to).
    CreateFolderAndSave {
        path: PathBuf,
        quit: bool,
    },
    /// Ask for another file name (the save-as prompt again).
    AskSaveAs {
        suggestion: PathBuf,
        quit: bool,
    },
    /// Close the form under the question, dropping what was typed in it
    /// (esc on a form with changes, answered yes).
    DiscardForm,
    /// Close the form under the question and apply the edit it made,
    /// then select item `select` (a risk just added), as saving the form
    /// would have without the question.
    ApplyClosingForm {
        edit: edit::Edit,
        message: String,
        select: Option<usize>,
    },
    /// Show the SoA view filtered to the Undecided controls (approving
    /// was refused because of them).
    ShowUndecided,
    /// Write the minutes over the file at this path.
    ReplaceMinutes(PathBuf),
    /// Ask again where to write the minutes (this path was taken).
    AskMinutesPath(PathBuf),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub message: String,
    pub on_yes: OnConfirm,
    /// What "no" does; `None`: just close.
    pub on_no: Option<OnConfirm>,
    /// What cancelling (esc) does; `None`: just close. A question whose
    /// closing would lose something (the recovery offer) says here what
    /// closing means instead.
    pub on_cancel: Option<OnConfirm>,
    /// More than yes/no: each answer has its own key, and enter takes the
    /// highlighted one (`selected`). Empty for a plain yes/no question.
    pub answers: Vec<Answer>,
    pub selected: usize,
}

/// One answer of a question with several: typed by its key, or highlighted
/// with the arrows and taken with enter.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub key: char,
    pub label: String,
    pub then: OnConfirm,
}

/// A what-if sandbox: edits made in it can be kept as one undoable step or
/// discarded all at once.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// The register when the sandbox began.
    pub base: Register,
    pub snapshot: Snapshot,
    /// Undo depth when the sandbox began.
    pub depth: usize,
}

/// What a one-line prompt's answer is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptPurpose {
    SaveAs,
    /// The approver's name for a new SoA baseline.
    ApproveSoa,
    /// The quit dialog's "save as…": save there, then quit.
    SaveAsThenQuit,
    /// The name history lines are recorded under (switching the history
    /// line on save on).
    HistoryName,
    /// The history line offered before a save.
    HistoryLine,
    /// The approver's name for the treatment plan.
    ApprovePlan,
    /// The note of the plan approval by this approver (may be empty).
    ApprovePlanNote(String),
    /// The one reason, owner or effectiveness of a bulk edit.
    Bulk(bulk::Marked, bulk::BulkChoice),
    /// Who attended the workshop (for its minutes).
    MinutesAttendees,
    /// Where the minutes are written.
    MinutesPath,
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub title: String,
    pub field: TextField,
    pub purpose: PromptPurpose,
}

/// Popups, innermost last. The input context is derived from the top one.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Modal {
    Help {
        scroll: usize,
    },
    Palette(Picker),
    Picker(Picker),
    Form(Form),
    Prompt(Prompt),
    Confirm(Confirm),
    /// Read-only text: why a change happened.
    Info {
        title: String,
        lines: Vec<String>,
        scroll: usize,
    },
    /// The Conflicts list (`riskbench merge`): the highlighted row.
    Conflicts {
        selected: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Error,
}

/// How many status messages the message log keeps.
pub const MESSAGE_LOG_LEN: usize = 100;

/// A status message as the message log keeps it: the status bar shows a
/// message until the next action and cuts a long one; the log keeps the
/// last [`MESSAGE_LOG_LEN`] in full.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub text: String,
    pub kind: MessageKind,
    /// Local time of day it was (last) shown.
    pub at: chrono::NaiveTime,
    /// Lines that belong to it but never fit a status bar (the errors a
    /// refused approval is about).
    pub details: Vec<String>,
    /// Shown this many times in a row (a repeat is logged once).
    pub repeats: usize,
}

/// `1 error`, `2 errors`, `0 risks`: a count with its noun, grammatical.
/// `word` is the singular; the plural adds "s" ("entry" → "entries").
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else if let Some(stem) = word.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'o', 'u'])
    {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {word}s")
    }
}

/// The session: how the user is looking at one [`Document`] — the view,
/// tables and selection, popups, messages, filter worker and keymap. The
/// document (register, history, evaluation) is replaced whole on reload;
/// everything here stays.
pub struct App {
    /// The register and everything derived from it; changed only through
    /// [`App::apply_edit`] (undo, redo, what-if) so the session redraws
    /// what each change touched.
    pub doc: Document,
    /// Where the register is saved; `None` for the bundled example.
    pub path: Option<PathBuf>,
    pub keymap: Keymap,
    pub view: View,
    tables: Vec<TableState>,
    stale: Vec<bool>,
    pub soa_filter: SoaFilter,
    /// Typing a filter for the current table.
    pub filtering: bool,
    pub modals: Vec<Modal>,
    /// Keys of a multi-key sequence typed so far (`g` of `g g`).
    pub pending: Vec<KeyPress>,
    /// The status bar's message: shown until the next action or view
    /// switch (the log keeps it).
    pub message: Option<(String, MessageKind)>,
    /// The last messages, oldest first (see [`LogEntry`]).
    pub messages: std::collections::VecDeque<LogEntry>,
    pub show_detail: bool,
    /// Set while refreshing after an edit that kept every item in place:
    /// the shown table keeps its row order (see [`App::refresh_for`]).
    keep_rows: bool,
    /// Opened read-only (another instance holds the lock, or the file may
    /// not be written).
    pub read_only: bool,
    /// Why it is read-only, as the title bar and refusals say it.
    pub read_only_reason: String,
    /// Set by the runtime while unsaved edits could not be written to any
    /// recovery file (read-only folder, full disk): the status bar keeps
    /// saying so until a write succeeds or the edits are saved.
    pub autosave_failure: Option<String>,
    /// Hold filter matching back until [`App::flush_filter`]: the terminal
    /// runtime sets this and flushes once the keys typed so far are all
    /// read, so fast typing over 100,000 risks matches once, not per key.
    pub defer_filter: bool,
    filter_stale: bool,
    /// Matches filters over large tables off the UI thread (the terminal
    /// runtime turns it on; headless use matches synchronously).
    filter_worker: Option<filter::Worker>,
    /// The table's searchable text as given to the worker, while it fits
    /// the data and the order.
    corpus: Option<std::sync::Arc<filter::Corpus>>,
    /// Counts filter requests and synchronous rebuilds: a worker result
    /// from an older generation is dropped.
    filter_generation: u64,
    /// A filter result is on its way from the worker.
    pub filter_pending: bool,
    /// Rows a page move covers: the visible table height, set by the UI
    /// each frame (interior mutability: drawing only borrows the app).
    pub page_rows: std::cell::Cell<usize>,
    pub sandbox: Option<Sandbox>,
    /// The Changes view's content (rebuilt when that view is shown; read
    /// through [`App::changes`]).
    changes: changes::Changes,
    /// The explanation of one Changes row, kept until the view is rebuilt:
    /// the detail pane asks for it on every frame, and explaining scans the
    /// registers.
    explained: std::cell::RefCell<Option<(usize, Explanation)>>,
    /// The Risks table's review filters (see [`review::ReviewFilter`]).
    pub review: review::ReviewFilter,
    /// The dashboard's focused pane, heat-map cell and summary line.
    pub dashboard: review::Dashboard,
    /// The name a save's history line is recorded under, when the user
    /// opted in for this register (see [`history_line`]); `None`: off.
    pub history_on_save: Option<String>,
    /// The register as last saved, while the history line is on: what the
    /// next line summarises from (`None`: from the register as loaded).
    pub summary_base: Option<Register>,
    /// The rows marked for a bulk edit, per view, by id (see [`bulk`]).
    pub marks: bulk::Marks,
    /// The author of the last note added this session: the next note
    /// form starts with it.
    pub note_author: String,
    /// The workshop's attendees as given this session (`None`: not asked
    /// yet), for the minutes.
    pub minutes_attendees: Option<String>,
    /// The workshop's focus view and review queue (see [`workshop`]).
    pub workshop: workshop::Workshop,
}

/// The usual reason a workbench is read-only.
pub const READ_ONLY_LOCKED: &str = "another riskbench has this register open";

impl App {
    pub fn new(register: Register, path: Option<PathBuf>, today: NaiveDate, keymap: Keymap) -> App {
        let mut app = App {
            doc: Document::new(register, today),
            path,
            keymap,
            view: View::Dashboard,
            tables: vec![TableState::default(); View::ALL.len()],
            stale: vec![true; View::ALL.len()],
            soa_filter: SoaFilter::default(),
            filtering: false,
            modals: Vec::new(),
            pending: Vec::new(),
            message: None,
            messages: std::collections::VecDeque::new(),
            show_detail: true,
            keep_rows: false,
            read_only: false,
            read_only_reason: READ_ONLY_LOCKED.into(),
            autosave_failure: None,
            page_rows: std::cell::Cell::new(20),
            defer_filter: false,
            filter_stale: false,
            filter_worker: None,
            corpus: None,
            filter_generation: 0,
            filter_pending: false,
            sandbox: None,
            changes: changes::Changes::default(),
            explained: std::cell::RefCell::new(None),
            review: review::ReviewFilter::default(),
            dashboard: review::Dashboard::default(),
            history_on_save: None,
            summary_base: None,
            marks: bulk::Marks::default(),
            note_author: String::new(),
            minutes_attendees: None,
            workshop: workshop::Workshop::default(),
        };
        // Risks sort by residual, highest first, out of the box.
        let risks = app.table_mut(View::Risks);
        risks.sort_by(
            View::Risks,
            table::Column::Risk(table::RiskColumn::Residual),
        );
        risks.descending = true;
        // Findings grouped by code, errors first.
        app.table_mut(View::Findings).sort = 1;
        app.redraw(Change::EVERYTHING);
        // The heat-map cursor starts where the top risk sits: the cell a
        // review looks at first.
        let top = app
            .table(View::Dashboard)
            .rows
            .first()
            .and_then(|&i| app.doc.analysis().eval.risks.get(i)?.as_ref());
        if let Some(e) = top {
            app.dashboard.cell = (e.residual.likelihood, e.residual.impact);
        }
        app.announce_conflicts();
        app
    }

    /// The keyboard context, derived from the modal stack (never stored, so
    /// it cannot drift).
    pub fn context(&self) -> Context {
        match self.modals.last() {
            Some(Modal::Help { .. }) => Context::Help,
            Some(Modal::Palette(_)) => Context::Palette,
            Some(Modal::Picker(_)) => Context::Picker,
            Some(Modal::Form(_)) | Some(Modal::Prompt(_)) => Context::Form,
            Some(Modal::Confirm(_)) => Context::Confirm,
            Some(Modal::Info { .. }) => Context::Help,
            // Read-only like an explanation, with answer keys of its own.
            Some(Modal::Conflicts { .. }) => Context::Help,
            None if self.filtering => Context::Filter,
            None if self.view == View::Focus => Context::Focus,
            None => Context::Table,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.doc.is_dirty()
    }

    fn view_index(view: View) -> usize {
        View::ALL.iter().position(|v| *v == view).unwrap_or(0)
    }

    pub fn table(&self, view: View) -> &TableState {
        &self.tables[Self::view_index(view)]
    }

    pub fn table_mut(&mut self, view: View) -> &mut TableState {
        &mut self.tables[Self::view_index(view)]
    }

    pub fn current_table(&self) -> &TableState {
        self.table(self.view)
    }

    /// Context for cell text and sorting.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            reg: self.doc.register(),
            analysis: self.doc.analysis(),
            changes: &self.changes,
            factor_scope: self.doc.factor_scope(),
            review: &self.review,
            stats: self.doc.stats(),
            queue: &self.workshop.queue,
            today: self.doc.today(),
        }
    }

    /// Recomputes everything derived from the register and rebuilds the
    /// visible table (others are rebuilt when shown).
    pub fn refresh(&mut self) {
        let change = self.doc.recompute();
        self.redraw(change);
    }

    /// Brings the views up to date after a change to the document: one
    /// risk's rows where only that risk was re-evaluated, else every view
    /// (the shown one now, the others when shown). Rows stay where they are
    /// unless items came or went (their indices then shift, and the table
    /// is sorted afresh).
    pub(crate) fn redraw(&mut self, change: Change) {
        // The queue follows the register: rebuilt now while a workshop
        // view shows it, else when next asked for.
        self.workshop.stale = true;
        match change.touched {
            Touched::Risk(i) => self.redraw_risk(i),
            Touched::Everything => {
                if !change.keeps_items {
                    self.prune_marks();
                }
                let m = &self.doc.register().method;
                self.dashboard.clamp(m.likelihood.len(), m.impact.len());
                self.stale.iter_mut().for_each(|s| *s = true);
                self.keep_rows = change.keeps_items;
                self.rebuild_after_edit(self.view);
                if self.view == View::Focus {
                    // The focus view shows the Risks table's selection:
                    // its rows must hold the register's indices now.
                    self.rebuild_after_edit(View::Risks);
                }
                self.keep_rows = false;
            }
        }
        self.workshop_redrawn();
    }

    /// Why the Changes view's row `item` changed: a title and lines.
    pub fn explain_change_row(&self, item: usize) -> Option<Explanation> {
        if let Some((row, why)) = self.explained.borrow().as_ref()
            && *row == item
        {
            return Some(why.clone());
        }
        let row = self.changes.rows.get(item)?;
        let why = self.changes.explain(
            row,
            self.comparison_register(),
            self.doc.register(),
            self.doc.analysis(),
        );
        *self.explained.borrow_mut() = Some((item, why.clone()));
        Some(why)
    }

    /// The Changes view's content, as last built.
    pub fn changes(&self) -> &changes::Changes {
        &self.changes
    }

    /// The register the Changes view compares against: the sandbox's
    /// start, or the register as loaded.
    pub fn comparison_register(&self) -> &Register {
        match &self.sandbox {
            Some(s) => &s.base,
            None => self.doc.loaded(),
        }
    }

    /// What the Changes view compares against: the sandbox's start, or the
    /// register as loaded.
    pub fn comparison_base(&self) -> (&Snapshot, changes::Against) {
        match &self.sandbox {
            Some(s) => (&s.snapshot, changes::Against::Sandbox),
            None => (self.doc.loaded_snapshot(), changes::Against::Loaded),
        }
    }

    /// After risk `i` alone was re-evaluated: its rows in the Risks table
    /// and the dashboard's list stay where they are (the title says when
    /// the order no longer follows the sort); the Changes and Findings
    /// views are rebuilt (when shown) or marked out of date.
    fn redraw_risk(&mut self, i: usize) {
        let changes = Self::view_index(View::Changes);
        self.stale[changes] = true;
        // The risk's findings were replaced: their rows moved.
        let findings = Self::view_index(View::Findings);
        self.stale[findings] = true;
        if self.view == View::Findings {
            // An undo or redo from the Findings view.
            self.rebuild_view(View::Findings, true);
        }
        if self.view == View::Changes {
            self.rebuild_view(View::Changes, true);
        }
        // The risk may have moved in the queue, or left it.
        let queue = Self::view_index(View::Queue);
        self.stale[queue] = true;
        if self.view == View::Queue {
            self.rebuild_view(View::Queue, true);
        }
        for view in [View::Risks, View::Dashboard] {
            let v = Self::view_index(view);
            if view != self.view {
                self.stale[v] = true;
                continue;
            }
            self.forget_corpus();
            let mut t = std::mem::take(&mut self.tables[v]);
            if t.filter.trim().is_empty() {
                // The scored row stays where it is; the title says when the
                // order no longer follows the sort.
                self.ctx().mark_if_out_of_order(view, &mut t, i);
            } else {
                // The title may have changed: match again, same order.
                let before = t.unfiltered().map(<[usize]>::to_vec);
                self.ctx().rebuild(view, &mut t, self.soa_filter, true);
                if let Some(before) = before {
                    t.keep_order(&before);
                }
            }
            self.tables[v] = t;
        }
    }

    /// Rebuilds the shown view after an edit: with the rows in the order
    /// they were shown when the edit kept every item in place (see
    /// [`App::refresh_for`]), sorted afresh otherwise.
    fn rebuild_after_edit(&mut self, view: View) {
        let i = Self::view_index(view);
        let before = if self.keep_rows {
            self.tables[i].unfiltered().map(<[usize]>::to_vec)
        } else {
            None
        };
        self.rebuild_view(view, true);
        if let Some(before) = before {
            self.tables[i].keep_order(&before);
        }
    }

    /// Rebuilds one view's rows (filter + sort).
    fn rebuild_view(&mut self, view: View, force: bool) {
        self.forget_corpus();
        if view == View::Queue {
            self.fresh_queue();
        }
        if view == View::Changes {
            let (snapshot, against) = self.comparison_base();
            self.changes = changes::Changes::build(
                self.doc.register(),
                self.doc.analysis(),
                self.comparison_register(),
                snapshot,
                against,
            );
            *self.explained.get_mut() = None;
        }
        let i = Self::view_index(view);
        let mut t = std::mem::take(&mut self.tables[i]);
        self.ctx().rebuild(view, &mut t, self.soa_filter, force);
        self.tables[i] = t;
        self.stale[i] = false;
    }

    pub fn show_view(&mut self, view: View) {
        // A message is about what was on screen: another view drops it
        // (the message log keeps it).
        if view != self.view {
            self.message = None;
        }
        self.view = view;
        self.filtering = false;
        if self.stale[Self::view_index(view)] {
            self.rebuild_view(view, true);
        }
    }

    /// The item (index into its list) under the cursor of the current view.
    /// On the dashboard only while the top-risks list has the focus: what
    /// `e`, `L 3` or `d` act on is always a row shown selected.
    pub fn selected_item(&self) -> Option<usize> {
        if self.view == View::Dashboard && self.dashboard.focus != review::DashFocus::TopRisks {
            return None;
        }
        if self.view == View::Focus {
            // The focus view shows the Risks table's selected risk.
            return self.table(View::Risks).selected_item();
        }
        self.current_table().selected_item()
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.show_message(text.into(), MessageKind::Info, Vec::new());
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.show_message(text.into(), MessageKind::Error, Vec::new());
    }

    /// An error whose particulars (`details`, one per line) are too long
    /// for the status bar: they go to the message log, which the message
    /// should point to.
    pub fn error_with_details(&mut self, text: impl Into<String>, details: Vec<String>) {
        self.show_message(text.into(), MessageKind::Error, details);
    }

    /// Shows a message in the status bar and logs it.
    fn show_message(&mut self, text: String, kind: MessageKind, details: Vec<String>) {
        let at = chrono::Local::now().time();
        match self.messages.back_mut() {
            Some(last) if last.text == text && last.kind == kind && last.details == details => {
                last.repeats += 1;
                last.at = at;
            }
            _ => {
                if self.messages.len() >= MESSAGE_LOG_LEN {
                    self.messages.pop_front();
                }
                self.messages.push_back(LogEntry {
                    text: text.clone(),
                    kind,
                    at,
                    details,
                    repeats: 1,
                });
            }
        }
        self.message = Some((text, kind));
    }

    /// The message log as lines, newest first: time, ✗ for an error, the
    /// text in full, its details indented.
    pub fn message_log_lines(&self) -> Vec<String> {
        if self.messages.is_empty() {
            return vec!["No messages yet.".into()];
        }
        let mut lines = Vec::new();
        for m in self.messages.iter().rev() {
            let mark = match m.kind {
                MessageKind::Error => "✗",
                MessageKind::Info => " ",
            };
            let repeats = if m.repeats > 1 {
                format!(" (×{})", m.repeats)
            } else {
                String::new()
            };
            lines.push(format!(
                "{} {mark} {}{repeats}",
                m.at.format("%H:%M:%S"),
                m.text
            ));
            for d in &m.details {
                lines.push(format!("             {d}"));
            }
        }
        lines
    }

    /// A short label for the title bar: the file name or "example".
    pub fn file_label(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "bundled example (unsaved)".into(),
        }
    }

    /// Called by the runtime after a save attempt.
    pub fn on_saved(&mut self, path: PathBuf, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.doc.mark_saved();
                self.history_base_saved();
                self.info(format!("Saved {}", path.display()));
                self.path = Some(path);
            }
            Err(e) => self.error(format!("Not saved: {e}")),
        }
    }
}
