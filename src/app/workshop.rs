//! The workshop: the focus view (one risk on the projector) and the review
//! queue that orders the session (`domain::review_queue`).
//!
//! The focus view has no selection of its own: it shows the Risks table's
//! selected risk, so every risk action (`L 3`, `I 4`, `e`, `x`, `c`, `T`,
//! `m`) acts on the risk the room sees, and leaving the view leaves that
//! risk selected in the Risks table. `n` and `p` walk the queue by
//! selecting the next or previous queue risk in the Risks table (clearing
//! that table's filters when they hide it, and saying so). `F` again, or
//! esc, returns to the view the focus view was opened from (the queue,
//! after `riskbench FILE --present`).
//!
//! The queue is rebuilt only after the register changed: at once while the
//! focus view or the queue is shown (their headers and rows show it), else
//! when next asked for. No frame builds it.

use super::edit::{Edit, Item};
use super::table::View;
use super::{App, plural};
use crate::domain::review_queue::ReviewQueue;

/// The workshop's state in the session.
#[derive(Debug, Clone)]
pub struct Workshop {
    /// The review queue as last built (see [`App::queue`]).
    pub queue: ReviewQueue,
    /// The register changed since the queue was built.
    pub(super) stale: bool,
    /// Where `F` or esc returns to from the focus view.
    pub back_to: View,
    /// The queue position of the risk the focus view last showed from the
    /// queue: where `n` goes on once that risk has left the queue (marked
    /// reviewed), so the walk continues with the risk that moved up.
    cursor: Option<usize>,
}

impl Default for Workshop {
    fn default() -> Workshop {
        Workshop {
            queue: ReviewQueue::default(),
            stale: true,
            back_to: View::Risks,
            cursor: None,
        }
    }
}

impl App {
    /// Builds the queue again when the register changed since.
    pub(super) fn fresh_queue(&mut self) {
        if self.workshop.stale {
            let doc = &self.doc;
            self.workshop.queue =
                ReviewQueue::build(doc.register(), &doc.analysis().eval, doc.today());
            self.workshop.stale = false;
        }
    }

    /// The review queue, up to date.
    pub fn queue(&mut self) -> &ReviewQueue {
        self.fresh_queue();
        &self.workshop.queue
    }

    /// After a change was redrawn: the focus view's header shows the
    /// queue, so it is rebuilt now while that view is shown.
    pub(super) fn workshop_redrawn(&mut self) {
        if self.view == View::Focus {
            self.fresh_queue();
        }
    }

    /// Opens the workbench the way `riskbench FILE --present` does: the
    /// focus view on the first risk of the review queue (esc returns to
    /// the queue).
    pub fn present(&mut self) {
        let first = self.queue().get(0).map(|e| e.risk);
        match first {
            Some(risk) => self.focus_on(risk),
            None => {
                self.info("The review queue is empty: every in-scope risk was reviewed today");
            }
        }
        self.workshop.back_to = View::Queue;
        self.show_view(View::Focus);
    }

    /// `F`: the focus view on the selected risk (the current view's, when
    /// it lists risks, else the Risks table's, else the queue's first);
    /// in the focus view, back to where it was opened from.
    pub(super) fn toggle_focus(&mut self) {
        if self.view == View::Focus {
            self.leave_focus();
            return;
        }
        let here = match self.view {
            View::Dashboard | View::Queue => self.selected_item(),
            _ => None,
        };
        self.fresh_risks_table();
        let risk = here
            .or_else(|| self.table(View::Risks).selected_item())
            .or_else(|| self.queue().get(0).map(|e| e.risk));
        if let Some(risk) = risk {
            self.focus_on(risk);
        }
        self.workshop.back_to = self.view;
        self.show_view(View::Focus);
    }

    /// esc or `F` in the focus view: the view it was opened from, with
    /// the risk shown there selected where that view lists it.
    pub(super) fn leave_focus(&mut self) {
        let risk = self.selected_item();
        let back = match self.workshop.back_to {
            View::Focus => View::Risks,
            v => v,
        };
        self.show_view(back);
        if let Some(risk) = risk
            && matches!(back, View::Queue | View::Dashboard)
        {
            self.table_mut(back).select_item(risk);
        }
    }

    /// `n` / `p`: the next or previous risk of the review queue, shown in
    /// the focus view.
    pub(super) fn step_queue(&mut self, forward: bool) {
        let current = self.selected_item().filter(|_| self.view == View::Focus);
        let cursor = self.workshop.cursor;
        let queue = self.queue();
        let len = queue.len();
        let at = current.and_then(|r| queue.rank(r));
        let target = match (at, forward) {
            (Some(p), true) => Some(p + 1),
            (Some(p), false) => p.checked_sub(1),
            // The shown risk left the queue (reviewed): the risk that took
            // its place is next.
            (None, true) => Some(cursor.unwrap_or(0)),
            (None, false) => cursor.unwrap_or(0).checked_sub(1),
        };
        let entry = target.and_then(|t| queue.get(t));
        let Some(entry) = entry else {
            let msg = if len == 0 {
                "The review queue is empty: every in-scope risk was reviewed today".to_string()
            } else if forward {
                format!("End of the review queue ({})", plural(len, "risk"))
            } else {
                "Start of the review queue".to_string()
            };
            self.info(msg);
            return;
        };
        if self.view != View::Focus {
            self.workshop.back_to = self.view;
            self.show_view(View::Focus);
        }
        self.focus_on(entry.risk);
    }

    /// Enter on a row of the queue: that risk in the focus view (esc
    /// returns to the queue).
    pub(super) fn open_in_focus(&mut self, risk: usize) {
        self.focus_on(risk);
        self.workshop.back_to = self.view;
        self.show_view(View::Focus);
    }

    /// Selects `risk` in the Risks table (what the focus view shows),
    /// clearing that table's filters when they hide it.
    fn focus_on(&mut self, risk: usize) {
        self.fresh_risks_table();
        if !self.table_mut(View::Risks).select_item(risk) {
            let t = self.table_mut(View::Risks);
            t.filter.clear();
            self.review = super::review::ReviewFilter::default();
            self.rebuild_view(View::Risks, true);
            self.table_mut(View::Risks).select_item(risk);
            self.info("The Risks table's filters were cleared to show this risk");
        }
        self.fresh_queue();
        if let Some(p) = self.workshop.queue.rank(risk) {
            self.workshop.cursor = Some(p);
        }
    }

    /// The Risks table's rows hold the register's current indices.
    fn fresh_risks_table(&mut self) {
        if self.stale[Self::view_index(View::Risks)] {
            self.rebuild_view(View::Risks, true);
        }
    }

    /// `m`: the selected risk's `reviewed` becomes today, one undoable
    /// step; it leaves the review queue.
    pub(super) fn mark_reviewed(&mut self) {
        let Some(i) =
            self.risk_for("Mark a risk reviewed from its row (Risks view) or the focus view")
        else {
            return;
        };
        let today = self.doc.today();
        let Some(before) = self.doc.register().risks.get(i).cloned() else {
            return;
        };
        if before.reviewed == Some(today) {
            self.info(format!("{} is already marked reviewed today", before.id));
            return;
        }
        let mut after = before.clone();
        after.reviewed = Some(today);
        let msg = format!(
            "{}: reviewed {today} (was {})",
            before.id,
            before
                .reviewed
                .map_or("never".to_string(), |d| d.to_string())
        );
        self.apply_edit(
            Edit::Replace {
                at: i,
                before: Item::Risk(before),
                after: Item::Risk(after),
            },
            msg,
        );
    }
}
