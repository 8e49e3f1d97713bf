//! `App::handle_key` and `App::update`: keys → actions → state changes and
//! effects.

use std::path::PathBuf;

use super::action::Action;
use super::form::Form;
use super::table::View;
use super::{App, Effect, Modal};
use crate::keymap::Context;

/// The sort column of `view`'s table, within its columns.
pub(super) fn sort_column(app: &App, view: View) -> usize {
    app.table(view)
        .sort
        .min(view.columns().len().saturating_sub(1))
}

/// The longest filter or picker query: far more than any search needs,
/// and every keystroke re-matches the whole query against every row.
pub const MAX_QUERY_CHARS: usize = 200;

impl App {
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
                | Action::TreatRisk
                | Action::AdvanceAction
                | Action::Evidence
                | Action::ToggleMark
                | Action::BulkEdit
                | Action::AddNote
                | Action::AddThreatFromLibrary
                | Action::MarkReviewed
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
            Some(Modal::Help { .. } | Modal::Info { .. } | Modal::Conflicts { .. })
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
        // The popup on top takes the actions it uses (see `popups`).
        if let Some(effects) = self.popup_action(action) {
            return effects;
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
                    .is_some_and(|s| self.doc.history().undo_len() <= s.depth) =>
            {
                self.info("Undo stops at the start of the what-if (w to leave it)");
            }
            Action::Undo => {
                // Said before undoing: the edit as it was made, so the
                // message reads the way the change went ("4 → 3").
                let what = self.doc.history().next_undo().map(|e| e.describe());
                match self.doc.undo() {
                    None => self.info("Nothing to undo"),
                    Some(Ok((_, change))) => {
                        self.redraw(change);
                        self.info(format!("Undone: {}", what.unwrap_or_default()));
                    }
                    Some(Err(e)) => self.error(format!("Cannot undo: {e}")),
                }
            }
            Action::Redo => match self.doc.redo() {
                None => self.info("Nothing to redo"),
                Some(Ok((edit, change))) => {
                    self.redraw(change);
                    self.info(format!("Redone: {}", edit.describe()));
                }
                Some(Err(e)) => self.error(format!("Cannot redo: {e}")),
            },
            // Over anything but help or an explanation (which close on it).
            Action::ToggleHelp => self.modals.push(Modal::Help { scroll: 0 }),
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
            // No popup: esc leaves the filter line, then clears the filter.
            Action::Cancel | Action::Deny => {
                let view = self.view;
                if self.filtering {
                    self.filtering = false;
                } else if view == View::Focus {
                    self.leave_focus();
                } else if !self.table(view).filter.is_empty() {
                    self.table_mut(view).filter.clear();
                    self.rebuild_filtered(true);
                } else if !self.unmark_view() {
                    self.message = None;
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
                if matches!(self.view, View::Dashboard | View::Focus) {
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
            // Forms and confirmations take these (see `popups`).
            Action::NextField | Action::PrevField | Action::Confirm => {}
            // Enter in the filter line keeps the filter and returns to the
            // table.
            Action::Submit => self.filtering = false,
            Action::ShowChanges => self.show_view(View::Changes),
            Action::WhatIf => self.what_if(),
            Action::ApproveSoa => self.approve_soa(),
            Action::ApprovePlan => self.approve_plan(),
            Action::AcceptRisk => self.accept_risk(),
            Action::EditSettings => {
                let form = Form::settings(self.doc.register());
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
            | Action::FilterCia
            | Action::ClearReviewFilters => self.review_filter(action),
            Action::MoveLeft => self.move_side(-1),
            Action::MoveRight => self.move_side(1),
            Action::ShowPlan => self.show_view(View::Plan),
            Action::TreatRisk => self.treat_risk(),
            Action::AdvanceAction => self.advance_action(),
            Action::Evidence => self.evidence(),
            Action::CopyEvidenceLink => return self.copy_evidence_link(),
            Action::ToggleMark => self.toggle_mark(),
            Action::BulkEdit => self.bulk_edit(),
            Action::AddNote => self.add_note(),
            Action::WriteMinutes => self.write_minutes(),
            Action::AddThreatFromLibrary => self.open_threat_library(),
            Action::ShowFocus => self.toggle_focus(),
            Action::ShowQueue => self.show_view(View::Queue),
            Action::MarkReviewed => self.mark_reviewed(),
            Action::NextInQueue | Action::PrevInQueue => {
                self.step_queue(action == Action::NextInQueue);
            }
            Action::ShowConflicts => self.show_conflicts(),
        }
        Vec::new()
    }

    /// The key that closes the popup on top, as the keymap in force
    /// spells it (esc when it is bound), for "… closes it" messages.
    pub(super) fn popup_close_key(&self) -> String {
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

    pub(super) fn move_by(&mut self, ctx: Context, delta: isize) {
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
                // The focus view moves through the Risks table it shows.
                let view = match self.view {
                    View::Focus => View::Risks,
                    v => v,
                };
                self.table_mut(view).move_by(delta);
            }
        }
    }
}
