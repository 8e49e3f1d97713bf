//! `App::handle_key` and `App::update`: keys → actions → state changes and
//! effects.

use std::path::PathBuf;

use super::action::Action;
use super::edit::{Edit, Item};
use super::form::{FieldKind, Form, FormTarget, RefSource, RiskField};
use super::palette::VimCommand;
use super::picker::{Choice, Picker, PickerPurpose};
use super::table::View;
use super::text_field::TextField;
use super::{Answer, App, Confirm, Effect, Modal, OnConfirm, Prompt, PromptPurpose, plural};
use crate::domain::{Catalog, ControlStatus, Id};
use crate::keymap::{Context, KeyCode, KeyPress, Lookup};

/// The sort column of `view`'s table, within its columns.
fn sort_column(app: &App, view: View) -> usize {
    app.table(view)
        .sort
        .min(view.columns().len().saturating_sub(1))
}

/// The longest filter or picker query: far more than any search needs,
/// and every keystroke re-matches the whole query against every row.
pub const MAX_QUERY_CHARS: usize = 200;

impl App {
    /// Feeds one key press through the keymap of the active context.
    pub fn handle_key(&mut self, key: KeyPress) -> Vec<Effect> {
        let ctx = self.context();
        self.pending.push(key);
        match self.keymap.lookup(ctx, &self.pending) {
            Lookup::Action(action) => {
                self.pending.clear();
                self.update(action)
            }
            Lookup::Pending(_) => Vec::new(),
            Lookup::Unbound => {
                let was_sequence = self.pending.len() > 1;
                self.pending.clear();
                if was_sequence {
                    // `g x`: the sequence is abandoned, like helix does.
                    return Vec::new();
                }
                if ctx == Context::Confirm {
                    return self.answer_key(key);
                }
                if ctx == Context::Help {
                    // Help and explanations are read-only: a key they do
                    // not use is not passed to the table under them.
                    let close = self.popup_close_key();
                    self.info(format!("This popup is read-only: {close} closes it"));
                    return Vec::new();
                }
                self.text_input(ctx, key);
                Vec::new()
            }
        }
    }

    /// Feeds a sequence of keys written as in keymap files (`"L 3"`,
    /// `"ctrl-s"`); for tests and scripted sessions.
    pub fn handle_keys(&mut self, keys: &str) -> Result<Vec<Effect>, String> {
        let mut effects = Vec::new();
        for token in keys.split_whitespace() {
            let k = KeyPress::parse(token).map_err(|e| e.to_string())?;
            effects.extend(self.handle_key(k));
        }
        Ok(effects)
    }

    /// Types text into the focused text input, if any.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let ctx = self.context();
            self.text_input(
                ctx,
                KeyPress {
                    code: KeyCode::Char(c),
                    mods: Default::default(),
                },
            );
        }
    }

    /// Pasted text (a bracketed paste: one event however long), for the
    /// focused text input, taken in one edit and cut to what the input
    /// takes. Outside a text input it is ignored, so a paste can never
    /// turn into a stream of commands.
    pub fn paste(&mut self, text: &str) {
        let ctx = self.context();
        let one_line: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let cut = match ctx {
            Context::Filter => {
                let view = self.view;
                let t = self.table_mut(view);
                let room = MAX_QUERY_CHARS.saturating_sub(t.filter.chars().count());
                t.filter.extend(one_line.chars().take(room));
                if self.defer_filter {
                    self.filter_stale = true;
                } else {
                    self.rebuild_filtered(false);
                }
                one_line.chars().count().saturating_sub(room)
            }
            Context::Picker | Context::Palette => {
                let Some(Modal::Picker(p) | Modal::Palette(p)) = self.modals.last_mut() else {
                    return;
                };
                let room = MAX_QUERY_CHARS.saturating_sub(p.query.chars().count());
                p.query.extend(one_line.chars().take(room));
                p.refilter();
                one_line.chars().count().saturating_sub(room)
            }
            Context::Form => {
                let field = match self.modals.last_mut() {
                    Some(Modal::Prompt(p)) => Some(&mut p.field),
                    Some(Modal::Form(form)) => {
                        form.error = None;
                        form.touch();
                        form.focused_mut().and_then(|f| f.text_field_mut())
                    }
                    _ => None,
                };
                let Some(field) = field else {
                    self.info("Paste goes into a text field; this one is chosen, not typed");
                    return;
                };
                let limit = field.limit();
                match field.paste(text) {
                    0 => 0,
                    n => {
                        self.error(format!(
                            "Pasted text cut: this field takes at most {limit} characters \
                             ({n} left out)"
                        ));
                        return;
                    }
                }
            }
            _ => {
                self.info("Nothing to paste into here (paste into a form field or the filter)");
                return;
            }
        };
        if cut > 0 {
            self.error(format!(
                "Pasted text cut: a search takes at most {MAX_QUERY_CHARS} characters"
            ));
        }
    }

    /// A key no binding claimed: text for the focused input.
    fn text_input(&mut self, ctx: Context, key: KeyPress) {
        let ch = match key.code {
            KeyCode::Char(c) if key.is_text() => Some(c),
            _ => None,
        };
        match ctx {
            Context::Filter => {
                let view = self.view;
                let t = self.table_mut(view);
                match (ch, key.code) {
                    (Some(_), _) if t.filter.chars().count() >= MAX_QUERY_CHARS => {
                        self.error(format!(
                            "A search takes at most {MAX_QUERY_CHARS} characters"
                        ));
                        return;
                    }
                    (Some(c), _) => t.filter.push(c),
                    (None, KeyCode::Backspace) => {
                        t.filter.pop();
                    }
                    _ => return,
                }
                if self.defer_filter {
                    self.filter_stale = true;
                } else {
                    self.rebuild_filtered(false);
                }
            }
            Context::Picker | Context::Palette => {
                let Some(Modal::Picker(p) | Modal::Palette(p)) = self.modals.last_mut() else {
                    return;
                };
                match (ch, key.code) {
                    (Some(_), _) if p.query.chars().count() >= MAX_QUERY_CHARS => {}
                    (Some(c), _) => p.type_char(c),
                    (None, KeyCode::Backspace) => p.backspace(),
                    _ => {}
                }
            }
            Context::Form => match self.modals.last_mut() {
                Some(Modal::Prompt(p)) => {
                    p.field.input(key);
                }
                Some(Modal::Form(form)) => {
                    form.touch();
                    let Some(field) = form.focused_mut() else {
                        return;
                    };
                    if let (Some(_), Some(t)) = (ch, field.text_field_mut())
                        && t.is_full()
                    {
                        let limit = t.limit();
                        self.error(format!("This field takes at most {limit} characters"));
                        return;
                    }
                    let is_choice = matches!(field.kind, FieldKind::Choice { .. });
                    if field.input(key) {
                        form.error = None;
                    } else if let (Some(c), Some(source)) = (ch, field.picker_source()) {
                        // Typing on a link field opens its picker with the
                        // typed text as the query.
                        let field_index = form.focus;
                        self.open_field_picker(field_index, source, Some(c));
                    } else if let (Some(c), true) = (ch, is_choice) {
                        self.info(format!("No option starts with {c:?}"));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }

    pub(super) fn rebuild_filtered(&mut self, force: bool) {
        if force {
            self.forget_corpus();
        } else {
            self.drop_pending_filter();
        }
        let view = self.view;
        let i = Self::view_index(view);
        let mut t = std::mem::take(&mut self.tables[i]);
        self.ctx().rebuild(view, &mut t, self.soa_filter, force);
        self.tables[i] = t;
    }

    /// Applies a new edit, recalculates, and reports problems.
    pub fn apply_edit(&mut self, edit: Edit, message: impl Into<String>) {
        if self.read_only {
            self.error(format!("Read-only: {}", self.read_only_reason));
            return;
        }
        let applied = edit.clone();
        match self.history.apply(&mut self.register, edit) {
            Ok(()) => {
                self.refresh_for(&applied);
                self.info(message);
            }
            Err(e) => self.error(format!("Edit not applied: {e}")),
        }
    }

    /// Applies a filter typed while [`App::defer_filter`] held it back:
    /// on the worker for a large table, else at once.
    pub fn flush_filter(&mut self) {
        if self.filter_stale {
            self.filter_stale = false;
            if !self.filter_in_background() {
                self.rebuild_filtered(false);
            }
        }
    }

    /// Matches filters over large tables on a worker thread from now on
    /// (the terminal runtime; results arrive through [`App::poll_filter`]).
    pub fn enable_background_filter(&mut self) {
        if self.filter_worker.is_none() {
            self.filter_worker = super::filter::Worker::spawn();
        }
    }

    /// The current view's searchable text for the worker, copied now if
    /// the view is filtered in the background and the copy is missing or
    /// out of date.
    fn prepare_corpus(&mut self) -> Option<std::sync::Arc<super::filter::Corpus>> {
        let view = self.view;
        self.filter_worker.as_ref()?;
        let items = self.tables[Self::view_index(view)].unfiltered()?;
        if !matches!(view, View::Risks | View::Dashboard)
            || items.len() < super::filter::BACKGROUND_MIN_ROWS
        {
            return None;
        }
        if let Some(c) = &self.corpus
            && c.view == view
        {
            return Some(std::sync::Arc::clone(c));
        }
        let c = std::sync::Arc::new(self.ctx().corpus(view, items));
        self.corpus = Some(std::sync::Arc::clone(&c));
        Some(c)
    }

    /// Sends the current view's filter to the worker when the table is
    /// large enough to need it; false when it should match here instead.
    fn filter_in_background(&mut self) -> bool {
        let filter = self.current_table().filter.clone();
        if filter.trim().is_empty() {
            return false;
        }
        let Some(corpus) = self.prepare_corpus() else {
            return false;
        };
        let Some(worker) = &self.filter_worker else {
            return false;
        };
        self.filter_generation += 1;
        if !worker.submit(self.filter_generation, corpus, filter) {
            self.worker_stopped();
            return false;
        }
        self.filter_pending = true;
        true
    }

    /// The filter worker is gone (a bug): match here from now on.
    fn worker_stopped(&mut self) {
        self.filter_worker = None;
        self.corpus = None;
        self.error("Background filtering stopped; filters are matched as you type from now on");
        if self.filter_pending {
            self.filter_pending = false;
            self.rebuild_filtered(false);
        }
    }

    /// Applies the worker's newest result, if it has arrived and still
    /// answers the latest request; true when the rows changed.
    pub fn poll_filter(&mut self) -> bool {
        let Some(worker) = &self.filter_worker else {
            return false;
        };
        let mut newest = None;
        loop {
            match worker.try_result() {
                Ok(Some(outcome)) => {
                    if self.filter_pending && outcome.generation == self.filter_generation {
                        newest = Some(outcome);
                    }
                }
                Ok(None) => break,
                Err(super::filter::Stopped) => {
                    self.worker_stopped();
                    return true;
                }
            }
        }
        let Some(outcome) = newest else {
            return false;
        };
        self.filter_pending = false;
        let mut rows = outcome.rows;
        self.ctx()
            .exact_first(outcome.view, &mut rows, &outcome.filter);
        self.table_mut(outcome.view)
            .apply_match(outcome.filter, outcome.candidates, rows);
        true
    }

    /// A synchronous rebuild answers the filter: drop any result on its way.
    fn drop_pending_filter(&mut self) {
        self.filter_generation += 1;
        self.filter_pending = false;
    }

    /// The rows' text or order changed: the worker's copy is out of date.
    pub(super) fn forget_corpus(&mut self) {
        self.drop_pending_filter();
        if self.corpus.take().is_some()
            && let Some(worker) = &self.filter_worker
        {
            worker.forget();
        }
    }

    /// Runs one action.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        self.flush_filter();
        // A message answers the action before: the next one that does
        // something replaces or drops it (the message log keeps it).
        if action != Action::NoOp {
            self.message = None;
        }
        let ctx = self.context();
        let editing = self.modals.iter().any(|m| {
            matches!(
                m,
                Modal::Form(_) | Modal::Picker(_) | Modal::Prompt(_) | Modal::Confirm(_)
            )
        });
        let changes_register = matches!(
            action,
            Action::Undo
                | Action::Redo
                | Action::SetLikelihood(_)
                | Action::SetImpact(_)
                | Action::Add
                | Action::Edit
                | Action::Delete
                | Action::ToggleFactor
                | Action::EditSettings
        );
        if editing && changes_register {
            // Finish or cancel the open form or question first.
            self.info("Finish or cancel the open dialog first (esc)");
            return Vec::new();
        }
        // A read-only popup (help, an explanation) keeps the keys it uses
        // (scrolling, closing, the palette, which replaces it); anything
        // else a keymap would pass through to the workbench under it is
        // held back with a word on how to close it.
        let read_only_popup = matches!(
            self.modals.last(),
            Some(Modal::Help { .. } | Modal::Info { .. })
        );
        let popup_action = matches!(
            action,
            Action::NoOp
                | Action::Quit
                | Action::ToggleHelp
                | Action::OpenPalette
                | Action::Cancel
                | Action::Deny
                | Action::Submit
                | Action::MoveUp
                | Action::MoveDown
                | Action::PageUp
                | Action::PageDown
                | Action::GoTop
                | Action::GoBottom
        );
        if (read_only_popup && !popup_action) || (action == Action::Save && !self.modals.is_empty())
        {
            // ctrl-s saves what the workbench shows, never what a popup
            // hides (forms and prompts bind it to their own submit).
            let close = self.popup_close_key();
            let what = if action == Action::Save {
                "then save"
            } else {
                "then try again"
            };
            self.info(format!("Close the popup first ({close}), {what}"));
            return Vec::new();
        }
        match action {
            Action::NoOp => {}
            Action::Quit => {
                if self.is_dirty() {
                    self.ask_before_quitting();
                } else {
                    return vec![Effect::Quit];
                }
            }
            Action::Save => return self.save(),
            Action::Undo
                if self
                    .sandbox
                    .as_ref()
                    .is_some_and(|s| self.history.undo_len() <= s.depth) =>
            {
                self.info("Undo stops at the start of the what-if (w to leave it)");
            }
            Action::Undo => {
                // Said before undoing: the edit as it was made, so the
                // message reads the way the change went ("4 → 3").
                let what = self.history.next_undo().map(|e| e.describe());
                match self.history.undo(&mut self.register) {
                    None => self.info("Nothing to undo"),
                    Some(Ok(inverse)) => {
                        self.refresh_for(&inverse);
                        self.info(format!("Undone: {}", what.unwrap_or_default()));
                    }
                    Some(Err(e)) => self.error(format!("Cannot undo: {e}")),
                }
            }
            Action::Redo => match self.history.redo(&mut self.register) {
                None => self.info("Nothing to redo"),
                Some(Ok(edit)) => {
                    self.refresh_for(&edit);
                    self.info(format!("Redone: {}", edit.describe()));
                }
                Some(Err(e)) => self.error(format!("Cannot redo: {e}")),
            },
            Action::ToggleHelp => {
                // Help and explanations share the read-only popup context:
                // the same keys close either.
                if matches!(
                    self.modals.last(),
                    Some(Modal::Help { .. } | Modal::Info { .. })
                ) {
                    self.modals.pop();
                } else {
                    self.modals.push(Modal::Help { scroll: 0 });
                }
            }
            Action::OpenPalette => {
                // Never over a form, picker, prompt or confirmation: an
                // action run from there could change the register under an
                // open form.
                if self
                    .modals
                    .iter()
                    .all(|m| matches!(m, Modal::Help { .. } | Modal::Info { .. }))
                {
                    self.modals.clear();
                    self.open_palette();
                }
            }
            Action::Deny if matches!(self.modals.last(), Some(Modal::Confirm(_))) => {
                return self.deny();
            }
            Action::Cancel
                if matches!(
                    self.modals.last(),
                    Some(Modal::Confirm(Confirm {
                        on_cancel: Some(_),
                        ..
                    }))
                ) =>
            {
                if let Some(Modal::Confirm(c)) = self.modals.pop()
                    && let Some(what) = c.on_cancel
                {
                    return self.run_confirmed(what);
                }
            }
            Action::Cancel if matches!(self.modals.last(), Some(Modal::Form(f)) if f.is_changed()) =>
            {
                // The form stays on the stack under the question: "no" and
                // esc return to it with everything as typed.
                self.modals.push(Modal::Confirm(Confirm {
                    title: "Unsaved form".into(),
                    message:
                        "Discard your changes to this form? y discards them; n or esc returns to \
                              the form as typed."
                            .into(),
                    on_yes: OnConfirm::DiscardForm,
                    on_no: None,
                    on_cancel: None,
                    answers: Vec::new(),
                    selected: 0,
                }));
            }
            Action::Cancel | Action::Deny => {
                if self.modals.pop().is_none() {
                    let view = self.view;
                    if self.filtering {
                        self.filtering = false;
                    } else if !self.table(view).filter.is_empty() {
                        self.table_mut(view).filter.clear();
                        self.rebuild_filtered(true);
                    } else {
                        self.message = None;
                    }
                }
            }
            Action::ShowDashboard => self.show_view(View::Dashboard),
            Action::ShowRisks => self.show_view(View::Risks),
            Action::ShowAssets => self.show_view(View::Assets),
            Action::ShowThreats => self.show_view(View::Threats),
            Action::ShowControls => self.show_view(View::Controls),
            Action::ShowSoa => self.show_view(View::Soa),
            Action::ShowEnvironment => self.show_view(View::Environment),
            Action::NextView => self.next_pane(true),
            Action::PrevView => self.next_pane(false),
            Action::MoveUp => self.move_by(ctx, -1),
            Action::MoveDown => self.move_by(ctx, 1),
            Action::PageUp => self.move_by(ctx, -(self.page_rows.get().max(1) as isize)),
            Action::PageDown => self.move_by(ctx, self.page_rows.get().max(1) as isize),
            Action::GoTop => self.move_by(ctx, isize::MIN / 2),
            Action::GoBottom => self.move_by(ctx, isize::MAX / 2),
            Action::StartFilter => {
                if self.view == View::Dashboard {
                    self.show_view(View::Risks);
                }
                self.filtering = true;
                // Copy the rows' text for the worker now, before the first
                // character: typing then never waits for it.
                self.prepare_corpus();
            }
            Action::ClearFilter => {
                self.filtering = false;
                let view = self.view;
                self.table_mut(view).filter.clear();
                self.rebuild_filtered(true);
            }
            Action::SortNext | Action::SortPrev => {
                let view = self.view;
                let n = view.columns().len();
                let t = self.table_mut(view);
                if t.order_changed {
                    // Edits kept the rows in place: the first press sorts
                    // them again by the same column ("s to re-sort").
                    self.rebuild_filtered(true);
                    self.info(format!(
                        "Sorted again by {}",
                        view.columns()[sort_column(self, view)]
                    ));
                    return Vec::new();
                }
                t.sort = if action == Action::SortNext {
                    (t.sort + 1) % n
                } else {
                    (t.sort + n - 1) % n
                };
                // A new column starts in its natural direction.
                t.descending = view.natural_descending(t.sort);
                self.rebuild_filtered(true);
            }
            Action::ReverseSort => {
                let view = self.view;
                let t = self.table_mut(view);
                t.descending = !t.descending;
                self.rebuild_filtered(true);
            }
            Action::SetLikelihood(n) => self.quick_score(true, u32::from(n)),
            Action::SetImpact(n) => self.quick_score(false, u32::from(n)),
            Action::Add => self.add(),
            Action::Edit => self.edit_selected(),
            Action::Delete => self.delete_selected(),
            Action::ToggleFactor => self.toggle_factor(),
            Action::CycleSoaFilter => {
                self.soa_filter = self.soa_filter.next();
                if self.view != View::Soa {
                    self.show_view(View::Soa);
                }
                self.rebuild_filtered(true);
                self.info(format!("SoA filter: {}", self.soa_filter.label()));
            }
            Action::LinkControl => self.link_control(ctx),
            Action::ToggleDetail => self.show_detail = !self.show_detail,
            Action::NextField => {
                if let Some(Modal::Form(f)) = self.modals.last_mut() {
                    f.next_field();
                }
            }
            Action::PrevField => {
                if let Some(Modal::Form(f)) = self.modals.last_mut() {
                    f.prev_field();
                }
            }
            Action::Submit => return self.submit(),
            Action::Confirm => return self.confirm(),
            Action::ShowChanges => self.show_view(View::Changes),
            Action::WhatIf => self.what_if(),
            Action::ApproveSoa => self.approve_soa(),
            Action::AcceptRisk => self.accept_risk(),
            Action::EditSettings => {
                let form = Form::settings(&self.register);
                self.modals.push(Modal::Form(form));
            }
            Action::SaveAs => return self.save_as(),
            Action::Reload => return self.ask_reload(),
            Action::HistoryOnSave => return self.toggle_history_on_save(),
            Action::ShowMessages => self.show_messages(),
            Action::ExportSoa => {
                // Next to the register (`northwind.ron` → `northwind-soa.xlsx`);
                // the bundled example exports into the working directory.
                let register = self
                    .path
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("riskbench.ron"));
                return vec![Effect::ExportSoa(crate::export::export_path(
                    &register, "xlsx",
                ))];
            }
            Action::ShowFindings => self.show_view(View::Findings),
            Action::FilterAboveAppetite
            | Action::FilterOverdue
            | Action::FilterAccepted
            | Action::FilterLevel
            | Action::FilterTreatment
            | Action::FilterOwner
            | Action::FilterOutOfScope
            | Action::ClearReviewFilters => self.review_filter(action),
            Action::MoveLeft => self.move_side(-1),
            Action::MoveRight => self.move_side(1),
        }
        Vec::new()
    }

    /// The key that closes the popup on top, as the keymap in force
    /// spells it (esc when it is bound), for "… closes it" messages.
    fn popup_close_key(&self) -> String {
        let ctx = self.context();
        let action = match ctx {
            Context::Help => Action::ToggleHelp,
            _ => Action::Cancel,
        };
        let keys: Vec<String> = self
            .keymap
            .keys_for(action)
            .into_iter()
            .filter(|(c, _)| *c == ctx || *c == Context::Global)
            .map(|(_, k)| k)
            .collect();
        if keys.iter().any(|k| k == "esc") {
            return "esc".into();
        }
        keys.into_iter()
            .min_by_key(|k| (k.chars().count(), k.clone()))
            .unwrap_or_else(|| "esc".into())
    }

    fn move_by(&mut self, ctx: Context, delta: isize) {
        match self.modals.last_mut() {
            Some(Modal::Help { scroll }) | Some(Modal::Info { scroll, .. }) => {
                *scroll = (*scroll as isize + delta).clamp(0, 10_000) as usize;
            }
            Some(Modal::Picker(p) | Modal::Palette(p)) => {
                if delta.abs() == 1 {
                    p.move_by(delta);
                } else {
                    // Pages and top/bottom stop at the ends; single steps wrap.
                    let last = p.matches.len().saturating_sub(1) as isize;
                    p.selected = (p.selected as isize + delta).clamp(0, last) as usize;
                }
            }
            Some(Modal::Form(f)) => {
                if delta > 0 {
                    f.next_field();
                } else {
                    f.prev_field();
                }
            }
            Some(_) => {}
            None => {
                let _ = ctx;
                if self.dashboard_move(delta) {
                    return;
                }
                let view = self.view;
                self.table_mut(view).move_by(delta);
            }
        }
    }

    fn save(&mut self) -> Vec<Effect> {
        if self.sandbox.is_some() {
            self.error("Leave the what-if first (w: keep or discard), then save");
            return Vec::new();
        }
        if self.read_only {
            self.error(format!("Read-only: {}; not saved", self.read_only_reason));
            return Vec::new();
        }
        match self.path.clone() {
            Some(p) => self.save_with_history_offer(p),
            None => {
                // A name in the working directory: it exists, so the
                // suggestion can be taken as it is.
                self.modals.push(Modal::Prompt(Prompt {
                    title: "Save the example register as (path)".into(),
                    field: TextField::new("my-register.ron"),
                    purpose: PromptPurpose::SaveAs,
                }));
                Vec::new()
            }
        }
    }

    /// Asks for another file to save to: beside the register, under a
    /// name that does not replace it; the bundled example asks as `save`
    /// does.
    fn save_as(&mut self) -> Vec<Effect> {
        if self.sandbox.is_some() {
            self.error("Leave the what-if first (w: keep or discard), then save");
            return Vec::new();
        }
        if self.read_only {
            self.error(format!("Read-only: {}; not saved", self.read_only_reason));
            return Vec::new();
        }
        let Some(path) = &self.path else {
            return self.save();
        };
        let suggestion = path.with_extension("copy.ron").display().to_string();
        self.modals.push(Modal::Prompt(Prompt {
            title: "Save as (path)".into(),
            field: TextField::new(&suggestion),
            purpose: PromptPurpose::SaveAs,
        }));
        Vec::new()
    }

    /// Reads the register again from its file; asks first when that drops
    /// unsaved edits.
    fn ask_reload(&mut self) -> Vec<Effect> {
        let Some(path) = &self.path else {
            self.info("Nothing to reload: the bundled example has no file (ctrl-s saves it)");
            return Vec::new();
        };
        if !self.is_dirty() {
            return vec![Effect::Reload];
        }
        let edits = self.history.undo_len();
        self.modals.push(Modal::Confirm(Confirm {
            answers: Vec::new(),
            selected: 0,
            on_cancel: None,
            title: "Reload from disk".into(),
            message: format!(
                "Reload {} and lose your {}?",
                path.display(),
                plural(edits, "unsaved edit")
            ),
            on_yes: OnConfirm::Reload,
            on_no: None,
        }));
        Vec::new()
    }

    /// The message log in a scrollable popup, newest first.
    fn show_messages(&mut self) {
        // Say how to close it with the keys of the keymap in force.
        let keys = self.keymap.keys_for(Action::ToggleHelp);
        let close = keys
            .iter()
            .filter(|(c, _)| *c == Context::Help)
            .map(|(_, k)| k.as_str())
            .min_by_key(|k| (*k != "esc", k.len()))
            .unwrap_or("esc");
        let title = format!(
            "Messages, newest first ({}) — {close} closes, ↑↓ scroll",
            plural(self.messages.len(), "message")
        );
        let lines = self.message_log_lines();
        self.modals.push(Modal::Info {
            title,
            lines,
            scroll: 0,
        });
    }

    /// A vim command typed in the palette.
    fn vim_command(&mut self, cmd: VimCommand) -> Vec<Effect> {
        match cmd {
            VimCommand::Write => self.save(),
            VimCommand::Quit => self.update(Action::Quit),
            VimCommand::ForceQuit => vec![Effect::Quit],
            VimCommand::Exit if !self.is_dirty() => vec![Effect::Quit],
            VimCommand::WriteQuit | VimCommand::Exit => {
                if self.sandbox.is_some() {
                    self.error("Leave the what-if first (w: keep or discard), then save");
                    return Vec::new();
                }
                if self.read_only {
                    self.error(format!(
                        "Read-only: {}; not saved (:q! quits without saving)",
                        self.read_only_reason
                    ));
                    return Vec::new();
                }
                self.run_confirmed(OnConfirm::SaveThenQuit)
            }
        }
    }

    fn quick_score(&mut self, likelihood: bool, n: u32) {
        if !matches!(self.view, View::Risks | View::Dashboard) {
            self.info("Quick scoring works on a risk row (Risks view)");
            return;
        }
        let Some(i) = self.selected_item() else {
            self.no_risk_selected();
            return;
        };
        let axis = if likelihood { "likelihood" } else { "impact" };
        let scale = if likelihood {
            &self.register.method.likelihood
        } else {
            &self.register.method.impact
        };
        if n == 0 || n as usize > scale.len() {
            self.error(format!("The {axis} scale goes from 1 to {}", scale.len()));
            return;
        }
        let label = scale[n as usize - 1].clone();
        let before = self.register.risks[i].clone();
        let mut after = before.clone();
        if likelihood {
            after.likelihood = n;
        } else {
            after.impact = n;
        }
        let id = before.id.clone();
        if after == before {
            self.info(format!("{id}: {axis} is already {n} ({label})"));
            return;
        }
        self.apply_edit(
            Edit::Replace {
                at: i,
                before: Item::Risk(before),
                after: Item::Risk(after),
            },
            format!("{id}: {axis} {n} ({label})"),
        );
    }

    fn add(&mut self) {
        let reg = &self.register;
        let form = match self.view {
            View::Dashboard | View::Risks => {
                if reg.assets.is_empty() || reg.threats.is_empty() {
                    self.error("Add an asset and a threat first: a risk needs both");
                    return;
                }
                Form::risk(reg, None)
            }
            View::Assets => Form::asset(reg, None),
            View::Threats => Form::threat(reg, None),
            View::Environment => Form::factor(reg, None),
            View::Controls => match self.selected_item() {
                Some(c) => Form::control(reg, c),
                None => return,
            },
            View::Soa => match self.selected_item() {
                Some(c) => Form::decision(reg, c),
                None => return,
            },
            View::Changes => {
                self.info("The Changes view is read-only: add items in their own views");
                return;
            }
            View::Findings => {
                self.info("The Findings view lists what check reports: enter goes to the item");
                return;
            }
        };
        self.modals.push(Modal::Form(form));
    }

    fn edit_selected(&mut self) {
        // Enter on the dashboard's heat map or summary lists their risks;
        // on a finding it goes to the item.
        if self.drill_down() {
            return;
        }
        if self.view == View::Findings {
            self.jump_to_finding();
            return;
        }
        let Some(i) = self.selected_item() else {
            self.info("Nothing selected");
            return;
        };
        let reg = &self.register;
        let form = match self.view {
            View::Dashboard | View::Risks => Form::risk(reg, Some(i)),
            View::Assets => Form::asset(reg, Some(i)),
            View::Threats => Form::threat(reg, Some(i)),
            View::Environment => Form::factor(reg, Some(i)),
            View::Controls => Form::control(reg, i),
            View::Soa => Form::decision(reg, i),
            View::Changes => {
                self.explain_change(i);
                return;
            }
            View::Findings => return,
        };
        self.modals.push(Modal::Form(form));
    }

    /// Deletes the selected item; when something still refers to it, asks
    /// first and removes or clears the references in the same undoable step.
    fn delete_selected(&mut self) {
        let Some(i) = self.selected_item() else {
            self.no_risk_selected();
            return;
        };
        let reg = &self.register;
        // Removals are listed highest index first so earlier indices stay
        // valid while the batch is applied.
        let remove_risks = |pred: &dyn Fn(&crate::domain::Risk) -> bool| -> Vec<Edit> {
            reg.risks
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, r)| pred(r))
                .map(|(at, r)| Edit::Remove {
                    at,
                    item: Item::Risk(r.clone()),
                })
                .collect()
        };
        match self.view {
            View::Changes => {
                self.info("The Changes view is read-only");
            }
            View::Findings => {
                self.info("Findings go away when their cause is fixed: enter goes to the item");
            }
            View::Dashboard | View::Risks => {
                let r = &reg.risks[i];
                let msg = format!("Deleted risk {}", r.id);
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    on_no: None,
                    title: "Delete risk".into(),
                    message: format!("Delete risk {} \"{}\"?", r.id, r.title),
                    on_yes: OnConfirm::Apply(
                        Edit::Remove {
                            at: i,
                            item: Item::Risk(r.clone()),
                        },
                        msg,
                    ),
                }));
            }
            View::Assets | View::Threats => {
                let (item, id) = if self.view == View::Assets {
                    (Item::Asset(reg.assets[i].clone()), reg.assets[i].id.clone())
                } else {
                    (
                        Item::Threat(reg.threats[i].clone()),
                        reg.threats[i].id.clone(),
                    )
                };
                let is_asset = self.view == View::Assets;
                let mut edits = remove_risks(&|r| {
                    if is_asset {
                        r.asset == id
                    } else {
                        r.threat == id
                    }
                });
                let n = edits.len();
                edits.push(Edit::Remove { at: i, item });
                let what = if is_asset { "asset" } else { "threat" };
                let msg = match n {
                    0 => format!("Deleted {what} {id}"),
                    _ => format!("Deleted {what} {id} and {}", plural(n, "risk")),
                };
                let message = match n {
                    0 => format!("Delete {what} {id}?"),
                    1 => format!("1 risk refers to {what} {id}. Delete {id} together with it?"),
                    _ => format!("{n} risks refer to {what} {id}. Delete {id} together with them?"),
                };
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    on_no: None,
                    title: format!("Delete {what}"),
                    message,
                    on_yes: OnConfirm::Apply(Edit::Batch(edits), msg),
                }));
            }
            View::Environment => {
                let f = reg.factors[i].clone();
                let mut edits = Vec::new();
                for (at, a) in reg.assets.iter().enumerate() {
                    if a.factor.as_ref() == Some(&f.id) {
                        let mut after = a.clone();
                        after.factor = None;
                        edits.push(Edit::Replace {
                            at,
                            before: Item::Asset(a.clone()),
                            after: Item::Asset(after),
                        });
                    }
                }
                for (at, r) in reg.risks.iter().enumerate() {
                    if r.factor.as_ref() == Some(&f.id) {
                        let mut after = r.clone();
                        after.factor = None;
                        edits.push(Edit::Replace {
                            at,
                            before: Item::Risk(r.clone()),
                            after: Item::Risk(after),
                        });
                    }
                }
                let n = edits.len();
                edits.push(Edit::Remove {
                    at: i,
                    item: Item::Factor(f.clone()),
                });
                let message = if n == 0 {
                    format!("Delete factor {}?", f.id)
                } else {
                    let (items, are, them) = if n == 1 {
                        ("1 asset or risk", "is", "it")
                    } else {
                        ("assets and risks", "are", "them")
                    };
                    let items = if n == 1 {
                        items.to_string()
                    } else {
                        format!("{n} {items}")
                    };
                    format!(
                        "{items} {are} in scope only while {} is on. Delete it and make {them} always in scope?",
                        f.id
                    )
                };
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    on_no: None,
                    title: "Delete factor".into(),
                    message,
                    on_yes: OnConfirm::Apply(
                        Edit::Batch(edits),
                        format!("Deleted factor {}", f.id),
                    ),
                }));
            }
            View::Controls => {
                let id = Catalog::annex_a().controls()[i].id.clone();
                let Some(at) = reg.controls.iter().position(|c| c.id == id) else {
                    self.info(format!("{id} has no implementation state to delete"));
                    return;
                };
                self.modals.push(Modal::Confirm(Confirm {
 answers: Vec::new(), selected: 0, on_cancel: None,
                    on_no: None,
                    title: "Reset control".into(),
                    message: format!(
                        "Forget the implementation state of {id} (back to NotStarted, 50%)? Linked risks keep their link."
                    ),
                    on_yes: OnConfirm::Apply(
                        Edit::Remove {
                            at,
                            item: Item::Control(reg.controls[at].clone()),
                        },
                        format!("Reset {id}"),
                    ),
                }));
            }
            View::Soa => {
                let id = Catalog::annex_a().controls()[i].id.clone();
                let Some(at) = reg.decisions.iter().position(|d| d.control == id) else {
                    self.info(format!("{id} has no explicit decision to delete"));
                    return;
                };
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    on_no: None,
                    title: "Delete decision".into(),
                    message: format!("Delete the SoA decision for {id}?"),
                    on_yes: OnConfirm::Apply(
                        Edit::Remove {
                            at,
                            item: Item::Decision(reg.decisions[at].clone()),
                        },
                        format!("Deleted the decision for {id}"),
                    ),
                }));
            }
        }
    }

    fn toggle_factor(&mut self) {
        if self.view != View::Environment {
            self.info("Switch factors in the Environment view");
            return;
        }
        let Some(i) = self.selected_item() else {
            return;
        };
        let before = self.register.factors[i].clone();
        let mut after = before.clone();
        after.on = !after.on;
        let msg = format!(
            "Factor {} is now {}",
            after.id,
            if after.on { "on" } else { "off" }
        );
        self.apply_edit(
            Edit::Replace {
                at: i,
                before: Item::Factor(before),
                after: Item::Factor(after),
            },
            msg,
        );
    }

    fn control_choices(&self) -> Vec<Choice> {
        let states = &self.analysis.eval.lookups.control_state;
        Catalog::annex_a()
            .controls()
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: format!("{} {}", c.id, c.title),
                hint: format!(
                    "{} · {}",
                    c.control_type.short(),
                    states
                        .get(&c.id)
                        .map_or(ControlStatus::NotStarted, |&s| self.register.controls[s]
                            .status)
                        .as_str()
                ),
            })
            .collect()
    }

    fn link_control(&mut self, ctx: Context) {
        if ctx == Context::Form {
            if let Some(Modal::Form(form)) = self.modals.last() {
                let focus = form.focus;
                let source = form.focused().and_then(|f| f.picker_source()).or_else(|| {
                    // From any field, link a control to the form's item.
                    form.fields
                        .iter()
                        .position(|f| f.label == "Controls" || f.label == "Requires")
                        .map(|_| RefSource::Controls)
                });
                let field = form
                    .focused()
                    .and_then(|f| f.picker_source())
                    .map(|_| focus)
                    .or_else(|| {
                        form.fields
                            .iter()
                            .position(|f| f.label == "Controls" || f.label == "Requires")
                    });
                if let (Some(field), Some(source)) = (field, source) {
                    self.open_field_picker(field, source, None);
                }
            }
            return;
        }
        if !matches!(self.view, View::Risks | View::Dashboard) {
            self.info("Link controls from a risk row (Risks view)");
            return;
        }
        let Some(risk) = self.selected_item() else {
            self.no_risk_selected();
            return;
        };
        let title = format!("Link a control to {}", self.register.risks[risk].id);
        let choices = self.control_choices();
        self.modals.push(Modal::Picker(Picker::new(
            &title,
            choices,
            PickerPurpose::LinkControl { risk },
        )));
    }

    fn open_field_picker(&mut self, field: usize, source: RefSource, first: Option<char>) {
        let choices = match source {
            RefSource::Controls => self.control_choices(),
            other => other.choices(&self.register),
        };
        let label = match self.modals.last() {
            Some(Modal::Form(f)) => f.fields.get(field).map_or("", |f| f.label),
            _ => "",
        };
        let title = format!("Choose {}", label.to_lowercase());
        let mut p = Picker::new(title.trim(), choices, PickerPurpose::FormField { field });
        if let Some(c) = first {
            p.type_char(c);
        }
        self.modals.push(Modal::Picker(p));
    }

    fn open_palette(&mut self) {
        let actions = Action::palette();
        let choices = actions
            .iter()
            .map(|a| {
                // Keys that reach the action from the tables, each once.
                let mut keys: Vec<String> = Vec::new();
                for (ctx, k) in self.keymap.keys_for(*a) {
                    if matches!(ctx, Context::Global | Context::Table) && !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                Choice {
                    value: a.name(),
                    label: a.describe(),
                    hint: keys.join(", "),
                }
            })
            .collect();
        self.modals.push(Modal::Palette(Picker::new(
            "Command palette",
            choices,
            PickerPurpose::Palette(actions),
        )));
    }

    fn submit(&mut self) -> Vec<Effect> {
        match self.modals.pop() {
            None => {
                // Enter in the filter line keeps the filter and returns to
                // the table.
                self.filtering = false;
            }
            Some(Modal::Palette(p)) => {
                // `:w`, `:q`, `:wq`, `:x`, `:q!` do what vim does.
                if let Some(cmd) = VimCommand::parse(&p.query) {
                    return self.vim_command(cmd);
                }
                if let (Some((i, _)), PickerPurpose::Palette(actions)) =
                    (p.matches.get(p.selected), &p.purpose)
                    && let Some(&action) = actions.get(*i)
                {
                    return self.update(action);
                }
            }
            Some(Modal::Picker(p)) => {
                let Some(choice) = p.chosen().cloned() else {
                    self.modals.push(Modal::Picker(p));
                    return Vec::new();
                };
                match p.purpose {
                    PickerPurpose::LinkControl { risk } => {
                        let Some(before) = self.register.risks.get(risk).cloned() else {
                            return Vec::new();
                        };
                        if before.controls.iter().any(|c| *c == choice.value) {
                            self.info(format!("{} already links {}", before.id, choice.value));
                            return Vec::new();
                        }
                        let mut after = before.clone();
                        after.controls.push(Id::from(&choice.value));
                        let msg = format!("{} now links {}", before.id, choice.value);
                        self.apply_edit(
                            Edit::Replace {
                                at: risk,
                                before: Item::Risk(before),
                                after: Item::Risk(after),
                            },
                            msg,
                        );
                    }
                    PickerPurpose::FormField { field } => {
                        if let Some(Modal::Form(form)) = self.modals.last_mut() {
                            form.touch();
                        }
                        if let Some(Modal::Form(form)) = self.modals.last_mut()
                            && let Some(f) = form.fields.get_mut(field)
                        {
                            f.pick(&choice.value);
                            form.focus = field;
                            form.error = None;
                        }
                    }
                    PickerPurpose::Palette(_) => {}
                    PickerPurpose::ReviewOwner => {
                        if let Some(owner) = super::review::owner_choice(&choice.value) {
                            self.review.owner = owner;
                            self.review_changed();
                        }
                    }
                    PickerPurpose::ExternalChange { path, summary } => {
                        return self.external_change_choice(&choice.value, path, summary);
                    }
                }
            }
            Some(Modal::Form(mut form)) => match form.submit(&self.register) {
                Ok(None) => self.info("No changes"),
                Ok(Some(edit)) => {
                    let what = match &edit {
                        Edit::Insert { item, .. } => format!("Added {}", item.id()),
                        Edit::Replace { after, .. } => format!("Updated {}", after.id()),
                        Edit::Remove { item, .. } => format!("Removed {}", item.id()),
                        Edit::Settings { before, after } => {
                            super::form::settings::summary(before, after)
                        }
                        _ => form.title.clone(),
                    };
                    let select = match (&edit, form.target) {
                        (Edit::Insert { at, .. }, FormTarget::Risk(None)) => Some(*at),
                        _ => None,
                    };
                    self.apply_edit(edit, what);
                    if let Some(at) = select {
                        let view = self.view;
                        self.table_mut(view).select_item(at);
                    }
                }
                Err(e) => {
                    form.error = Some(e);
                    self.modals.push(Modal::Form(form));
                }
            },
            Some(Modal::Prompt(p)) if p.purpose == PromptPurpose::ApproveSoa => {
                let name = p.field.text().trim().to_string();
                if name.is_empty() {
                    self.modals.push(Modal::Prompt(p));
                    self.error("Give the approver's name");
                    return Vec::new();
                }
                self.approve_as(&name);
            }
            Some(Modal::Prompt(p)) => match p.purpose {
                PromptPurpose::ApproveSoa => {}
                PromptPurpose::HistoryName => {
                    let text = p.field.text();
                    if text.trim().is_empty() {
                        self.modals.push(Modal::Prompt(p));
                    }
                    return self.history_name_given(&text);
                }
                PromptPurpose::HistoryLine => return self.history_line_given(&p.field.text()),
                PromptPurpose::SaveAs | PromptPurpose::SaveAsThenQuit => {
                    let text = p.field.text();
                    let path = text.trim();
                    if path.is_empty() {
                        self.modals.push(Modal::Prompt(p));
                        return Vec::new();
                    }
                    let path = PathBuf::from(path);
                    return vec![if p.purpose == PromptPurpose::SaveAs {
                        Effect::Save(path)
                    } else {
                        Effect::SaveThenQuit(path)
                    }];
                }
            },
            Some(Modal::Confirm(c)) => {
                // A keymap that binds Submit in confirmations makes it yes.
                self.modals.push(Modal::Confirm(c));
                return self.confirm();
            }
            Some(m @ Modal::Help { .. }) => self.modals.push(m),
            // Enter closes an explanation.
            Some(Modal::Info { .. }) => {}
        }
        Vec::new()
    }

    fn confirm(&mut self) -> Vec<Effect> {
        let Some(Modal::Confirm(c)) = self.modals.last().cloned() else {
            return Vec::new();
        };
        self.modals.pop();
        self.run_confirmed(c.on_yes)
    }

    fn run_confirmed(&mut self, what: OnConfirm) -> Vec<Effect> {
        match what {
            OnConfirm::Quit => return vec![Effect::Quit],
            OnConfirm::Close => {}
            OnConfirm::SaveThenQuit => match self.path.clone() {
                Some(path) => return vec![Effect::SaveThenQuit(path)],
                None => return self.run_confirmed(OnConfirm::SaveAsThenQuit),
            },
            OnConfirm::SaveAsThenQuit => {
                // Another name than the register's: taking the suggestion
                // never replaces anything.
                let suggestion = self.path.as_ref().map_or_else(
                    || "register.ron".to_string(),
                    |p| p.with_extension("copy.ron").display().to_string(),
                );
                self.modals.push(Modal::Prompt(Prompt {
                    title: "Save as (path), then quit".into(),
                    field: TextField::new(&suggestion),
                    purpose: PromptPurpose::SaveAsThenQuit,
                }));
            }
            OnConfirm::OfferRecovery(recovered, summary) => {
                self.offer_recovery(*recovered, summary);
            }
            OnConfirm::AskDiscardRecovery(recovered, summary) => {
                let back = OnConfirm::OfferRecovery(recovered, summary);
                self.modals.push(Modal::Confirm(Confirm {
                    title: "Delete the recovery file".into(),
                    message: "Delete the recovery file for good? The unsaved edits in it are lost \
                              and cannot be undone."
                        .into(),
                    on_yes: OnConfirm::DiscardRecovery,
                    on_no: Some(back.clone()),
                    on_cancel: Some(back),
                    answers: Vec::new(),
                    selected: 0,
                }));
            }
            OnConfirm::ReplaceExport(path) => return vec![Effect::ReplaceExport(path)],
            OnConfirm::ExportUnderNewName(path) => return vec![Effect::ExportUnderNewName(path)],
            OnConfirm::CreateFolderAndSave { path, quit } => {
                return vec![Effect::CreateFolderAndSave { path, quit }];
            }
            OnConfirm::AskSaveAs { suggestion, quit } => {
                self.modals.push(Modal::Prompt(Prompt {
                    title: if quit {
                        "Save as (path), then quit".into()
                    } else {
                        "Save as (path)".into()
                    },
                    field: TextField::new(&suggestion.display().to_string()),
                    purpose: if quit {
                        PromptPurpose::SaveAsThenQuit
                    } else {
                        PromptPurpose::SaveAs
                    },
                }));
            }
            OnConfirm::KeepRecoveryAside => return vec![Effect::KeepRecoveryAside],
            OnConfirm::DiscardRecovery => return vec![Effect::DiscardRecovery],
            OnConfirm::Reload => return vec![Effect::Reload],
            OnConfirm::Overwrite(path) => return vec![Effect::ForceSave(path)],
            OnConfirm::Apply(edit, msg) => self.apply_edit(edit, msg),
            OnConfirm::DiscardForm => {
                if matches!(self.modals.last(), Some(Modal::Form(_))) {
                    self.modals.pop();
                    self.info("Form closed: changes discarded");
                }
            }
            OnConfirm::KeepWhatIf => self.leave_what_if(true),
            OnConfirm::DiscardWhatIf => self.leave_what_if(false),
            OnConfirm::Restore(recovered) => {
                let edit = Edit::Whole {
                    before: Box::new(self.register.clone()),
                    after: recovered,
                };
                self.apply_edit(
                    edit,
                    "Unsaved edits restored from the recovery file (ctrl-s to save them)",
                );
            }
        }
        Vec::new()
    }

    /// The runtime found the file changed on disk when saving: offer the
    /// three ways out. `summary` says what differs on disk.
    pub fn on_external_change(&mut self, path: PathBuf, summary: Vec<String>) {
        let choices = vec![
            Choice {
                value: "reload".into(),
                label: "Reload the file from disk (your unsaved edits are lost)".into(),
                hint: String::new(),
            },
            Choice {
                value: "saveas".into(),
                label: "Save your version as another file".into(),
                hint: String::new(),
            },
            Choice {
                value: "overwrite".into(),
                label: "Overwrite the file on disk with your version (shows what you replace)"
                    .into(),
                hint: String::new(),
            },
        ];
        self.error(format!(
            "{} changed on disk since it was loaded: not saved",
            path.display()
        ));
        self.modals.push(Modal::Picker(Picker::new(
            "The file changed on disk: what now?",
            choices,
            PickerPurpose::ExternalChange { path, summary },
        )));
    }

    /// The runtime found a file where the SoA workbook was to go: replace
    /// it, write under a new name, or leave it.
    pub fn ask_export_exists(&mut self, path: PathBuf) {
        self.modals.push(Modal::Confirm(Confirm {
            title: "The export exists".into(),
            message: format!("{} exists already. Replace it?", path.display()),
            on_yes: OnConfirm::ReplaceExport(path.clone()),
            on_no: Some(OnConfirm::ExportUnderNewName(path.clone())),
            on_cancel: None,
            answers: vec![
                Answer {
                    key: 'n',
                    label: "Write it under a new name beside it".into(),
                    then: OnConfirm::ExportUnderNewName(path.clone()),
                },
                Answer {
                    key: 'r',
                    label: "Replace the existing workbook".into(),
                    then: OnConfirm::ReplaceExport(path),
                },
                Answer {
                    key: 'c',
                    label: "Cancel: export nothing".into(),
                    then: OnConfirm::Close,
                },
            ],
            selected: 0,
        }));
    }

    /// The runtime found that the folder to save into does not exist:
    /// create it, choose another name, or leave it.
    pub fn ask_create_folder(&mut self, path: PathBuf, quit: bool) {
        let folder = path
            .parent()
            .map_or_else(String::new, |p| p.display().to_string());
        self.modals.push(Modal::Confirm(Confirm {
            title: "No such folder".into(),
            message: format!("The folder {folder} does not exist. Create it and save there?"),
            on_yes: OnConfirm::CreateFolderAndSave {
                path: path.clone(),
                quit,
            },
            on_no: Some(OnConfirm::AskSaveAs {
                suggestion: path.clone(),
                quit,
            }),
            on_cancel: None,
            answers: vec![
                Answer {
                    key: 'y',
                    label: format!("Create {folder} and save"),
                    then: OnConfirm::CreateFolderAndSave {
                        path: path.clone(),
                        quit,
                    },
                },
                Answer {
                    key: 'n',
                    label: "Choose another name".into(),
                    then: OnConfirm::AskSaveAs {
                        suggestion: path,
                        quit,
                    },
                },
                Answer {
                    key: 'c',
                    label: "Cancel: do not save".into(),
                    then: OnConfirm::Close,
                },
            ],
            selected: 0,
        }));
    }

    /// The runtime found unsaved edits from a crash or kill in the recovery
    /// file: offer to restore them, showing what they change (`summary`).
    ///
    /// Nothing here can lose the file by accident: "no" and esc keep it
    /// aside under a timestamped name (restorable by opening it), and
    /// deleting it takes a second, explicit confirmation.
    pub fn offer_recovery(&mut self, recovered: crate::domain::Register, summary: Vec<String>) {
        let mut message = String::from(
            "riskbench did not exit cleanly last time; a recovery file holds unsaved edits:\n",
        );
        for line in summary.iter().take(12) {
            message.push('\n');
            message.push_str(line);
        }
        if summary.len() > 12 {
            message.push_str(&format!("\n… and {} more lines", summary.len() - 12));
        }
        let restore = OnConfirm::Restore(Box::new(recovered.clone()));
        let answers = vec![
            Answer {
                key: 'r',
                label: "Restore them (then ctrl-s saves them)".into(),
                then: restore.clone(),
            },
            Answer {
                key: 'k',
                label: "Not now: keep the file aside, open the register as saved".into(),
                then: OnConfirm::KeepRecoveryAside,
            },
            Answer {
                key: 'd',
                label: "Delete the recovery file…".into(),
                then: OnConfirm::AskDiscardRecovery(Box::new(recovered), summary),
            },
        ];
        self.modals.push(Modal::Confirm(Confirm {
            title: "Recover unsaved edits".into(),
            message,
            on_yes: restore,
            on_no: Some(OnConfirm::KeepRecoveryAside),
            on_cancel: Some(OnConfirm::KeepRecoveryAside),
            answers,
            selected: 0,
        }));
    }

    /// `q` with unsaved edits: save, save as…, discard or stay. `y` still
    /// means "quit without saving" (the question's plain yes), `n`, `q` and
    /// esc stay; enter takes the highlighted answer, "save", which loses
    /// nothing.
    fn ask_before_quitting(&mut self) {
        let edits = self.history.undo_len();
        let save_label = match &self.path {
            Some(p) => format!("Save to {}, then quit", p.display()),
            None => "Save (asks where), then quit".into(),
        };
        self.modals.push(Modal::Confirm(Confirm {
            title: "Unsaved changes".into(),
            message: format!("{}. Quit without saving?", plural(edits, "unsaved edit")),
            on_yes: OnConfirm::Quit,
            on_no: None,
            on_cancel: None,
            answers: vec![
                Answer {
                    key: 's',
                    label: save_label,
                    then: OnConfirm::SaveThenQuit,
                },
                Answer {
                    key: 'a',
                    label: "Save as…, then quit".into(),
                    then: OnConfirm::SaveAsThenQuit,
                },
                Answer {
                    key: 'd',
                    label: "Discard the edits and quit".into(),
                    then: OnConfirm::Quit,
                },
                Answer {
                    key: 'c',
                    label: "Cancel: keep working".into(),
                    then: OnConfirm::Close,
                },
            ],
            selected: 0,
        }));
    }

    /// A key no binding claimed, in a question with several answers: an
    /// answer's own key takes it, the arrows move the highlight, enter
    /// takes the highlighted answer.
    fn answer_key(&mut self, key: KeyPress) -> Vec<Effect> {
        let Some(Modal::Confirm(c)) = self.modals.last_mut() else {
            return Vec::new();
        };
        if c.answers.is_empty() {
            return Vec::new();
        }
        let n = c.answers.len();
        let chosen = match key.code {
            KeyCode::Up => {
                c.selected = (c.selected + n - 1) % n;
                None
            }
            KeyCode::Down | KeyCode::Tab => {
                c.selected = (c.selected + 1) % n;
                None
            }
            KeyCode::Enter => Some(c.selected),
            KeyCode::Char(ch) if key.is_text() => c
                .answers
                .iter()
                .position(|a| a.key.eq_ignore_ascii_case(&ch)),
            _ => None,
        };
        let Some(i) = chosen else {
            return Vec::new();
        };
        let then = c.answers[i.min(n - 1)].then.clone();
        self.modals.pop();
        self.run_confirmed(then)
    }

    /// Replaces the register after a reload from disk: history and
    /// comparisons start again from the file.
    pub fn reload(&mut self, register: crate::domain::Register) {
        let view = self.view;
        let keymap = std::mem::take(&mut self.keymap);
        let read_only = self.read_only;
        let read_only_reason = std::mem::take(&mut self.read_only_reason);
        // How the terminal runtime set this app up carries over.
        let defer_filter = self.defer_filter;
        let worker = self.filter_worker.take();
        if let Some(w) = &worker {
            w.forget();
        }
        let messages = std::mem::take(&mut self.messages);
        *self = App::new(register, self.path.clone(), self.today, keymap);
        self.messages = messages;
        self.read_only = read_only;
        self.read_only_reason = read_only_reason;
        self.defer_filter = defer_filter;
        self.filter_worker = worker;
        self.show_view(view);
        self.info("Reloaded from disk");
    }

    /// "No" in a confirmation: its `on_no`, else just close.
    fn deny(&mut self) -> Vec<Effect> {
        if let Some(Modal::Confirm(c)) = self.modals.pop()
            && let Some(what) = c.on_no
        {
            return self.run_confirmed(what);
        }
        Vec::new()
    }

    fn external_change_choice(
        &mut self,
        choice: &str,
        path: PathBuf,
        summary: Vec<String>,
    ) -> Vec<Effect> {
        match choice {
            "reload" => {
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    title: "Reload from disk".into(),
                    message: format!(
                        "Reload {} and lose your {}?",
                        path.display(),
                        plural(self.history.undo_len(), "unsaved edit")
                    ),
                    on_yes: OnConfirm::Reload,
                    on_no: None,
                }));
            }
            "saveas" => {
                let suggestion = path.with_extension("mine.ron");
                self.modals.push(Modal::Prompt(Prompt {
                    title: "Save your version as (path)".into(),
                    field: TextField::new(&suggestion.display().to_string()),
                    purpose: PromptPurpose::SaveAs,
                }));
            }
            _ => {
                let mut message = format!(
                    "Overwrite {} with your version? Overwriting changes the file on disk like this:\n",
                    path.display()
                );
                for line in summary.iter().take(14) {
                    message.push('\n');
                    message.push_str(line);
                }
                if summary.len() > 14 {
                    message.push_str(&format!("\n… and {} more lines", summary.len() - 14));
                }
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    title: "Overwrite the file on disk".into(),
                    message,
                    on_yes: OnConfirm::Overwrite(path),
                    on_no: None,
                }));
            }
        }
        Vec::new()
    }

    fn explain_change(&mut self, item: usize) {
        let Some((title, lines)) = self.explain_change_row(item) else {
            return;
        };
        self.modals.push(Modal::Info {
            title,
            lines,
            scroll: 0,
        });
    }

    /// Enters a what-if sandbox, or asks how to leave it.
    fn what_if(&mut self) {
        if self.sandbox.is_some() {
            self.modals.push(Modal::Confirm(Confirm {
                answers: Vec::new(),
                selected: 0,
                on_cancel: None,
                title: "Leave the what-if".into(),
                message: "Keep the what-if edits (one undoable step)? No discards them all.".into(),
                on_yes: OnConfirm::KeepWhatIf,
                on_no: Some(OnConfirm::DiscardWhatIf),
            }));
            return;
        }
        if self.read_only {
            self.error("Read-only: a what-if needs a writable register");
            return;
        }
        self.sandbox = Some(super::Sandbox {
            base: self.register.clone(),
            snapshot: crate::domain::diff::Snapshot::new(&self.register, &self.analysis),
            depth: self.history.undo_len(),
        });
        // Now compared against the sandbox's start: rebuild even when the
        // Changes view is the one showing.
        self.stale[Self::view_index(View::Changes)] = true;
        self.show_view(View::Changes);
        self.info(
            "What-if: try any edit; the Changes view shows the effect. w again to keep or discard",
        );
    }

    fn leave_what_if(&mut self, keep: bool) {
        let Some(sandbox) = self.sandbox.take() else {
            return;
        };
        if keep {
            let kept = self.history.squash_from(sandbox.depth);
            self.info(if kept {
                "What-if kept: its edits are one undoable step"
            } else {
                "What-if left: nothing was changed"
            });
        } else {
            let mut failed = None;
            let had_edits = self.history.undo_len() > sandbox.depth;
            while self.history.undo_len() > sandbox.depth {
                if let Some(Err(e)) = self.history.undo(&mut self.register) {
                    failed = Some(e);
                    break;
                }
            }
            if had_edits {
                self.history.clear_redo();
            }
            if let Some(e) = failed {
                // Should not happen; fall back to the saved base exactly.
                self.register = sandbox.base.clone();
                self.error(format!("What-if discarded by restoring its start ({e})"));
            } else {
                self.info("What-if discarded: the register is as before");
            }
        }
        self.refresh();
    }

    fn approve_soa(&mut self) {
        if self.sandbox.is_some() {
            self.error("Leave the what-if first (w): approve a real SoA, not a sandbox");
            return;
        }
        if self.read_only {
            self.error(format!("Read-only: {}", self.read_only_reason));
            return;
        }
        let errors: Vec<String> = self
            .analysis
            .errors()
            .map(|f| format!("{}: {} [{}]", f.at, f.message, f.code))
            .collect();
        if !errors.is_empty() {
            // The status bar cannot list them: the message log does.
            let log = self
                .keymap
                .keys_for(Action::ShowMessages)
                .into_iter()
                .find(|(c, _)| matches!(c, Context::Table | Context::Global))
                .map_or_else(|| ":messages".to_string(), |(_, k)| k);
            self.error_with_details(
                format!(
                    "Not approved: the register has {}; fix them first ({log} lists them)",
                    plural(errors.len(), "error")
                ),
                errors,
            );
            return;
        }
        let version = self.register.baseline.as_ref().map_or(1, |b| b.version + 1);
        let undecided = self.analysis.soa.summary().undecided;
        let warning = if undecided > 0 {
            format!(
                " — warning: {} still Undecided",
                plural(undecided, "control")
            )
        } else {
            String::new()
        };
        self.modals.push(Modal::Prompt(Prompt {
            title: format!(
                "Approve SoA v{version} ({}) — approver's name{warning}",
                plural(self.pending_soa, "change")
            ),
            field: TextField::new(""),
            purpose: PromptPurpose::ApproveSoa,
        }));
    }

    /// Writes the current SoA as the new baseline and logs it.
    fn approve_as(&mut self, by: &str) {
        let catalog = Catalog::annex_a();
        let changes = crate::domain::diff::baseline_changes(&self.register, &self.analysis);
        let version = self.register.baseline.as_ref().map_or(1, |b| b.version + 1);
        let entries = self
            .analysis
            .soa
            .entries
            .iter()
            .map(|e| crate::domain::BaselineEntry {
                control: catalog.controls()[e.control].id.clone(),
                applicable: e.applicable,
                status: e.status,
            })
            .collect();
        let after = crate::domain::Baseline {
            version,
            approved: self.today,
            by: by.to_string(),
            entries,
        };
        let summary = format!(
            "SoA v{version} approved by {by}: {}",
            crate::domain::diff::summarize_soa(&changes)
        );
        let entry = crate::domain::HistoryEntry {
            on: self.today,
            by: by.to_string(),
            summary: summary.clone(),
        };
        self.apply_edit(
            Edit::Approve {
                before: self.register.baseline.clone().map(Box::new),
                after: Some(Box::new(after)),
                entry,
                undo: false,
            },
            summary,
        );
    }

    /// Opens the selected risk's form at the acceptance fields, with today
    /// and a year from today filled in when empty.
    fn accept_risk(&mut self) {
        if !matches!(self.view, View::Risks | View::Dashboard) {
            self.info("Accept a risk from its row (Risks view)");
            return;
        }
        let Some(i) = self.selected_item() else {
            self.no_risk_selected();
            return;
        };
        let mut form = Form::risk(&self.register, Some(i));
        form.title = format!("Accept risk {}", self.register.risks[i].id);
        form.reaccept = true;
        // A year from today, within the calendar a register can hold.
        let until = crate::domain::model::dates::add_days(self.today, 365)
            .unwrap_or(crate::domain::model::dates::LAST);
        form.fill_if_empty(RiskField::AcceptedOn, &self.today.to_string());
        form.fill_if_empty(RiskField::AcceptedUntil, &until.to_string());
        form.focus_field(RiskField::AcceptedBy);
        self.modals.push(Modal::Form(form));
    }
}
