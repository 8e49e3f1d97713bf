//! The what-if sandbox: edits tried and then kept as one undoable step
//! or discarded all at once.

use super::table::View;
use super::{App, Confirm, Modal, OnConfirm};

impl App {
    /// Enters a what-if sandbox, or asks how to leave it.
    pub(super) fn what_if(&mut self) {
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
            base: self.doc.register().clone(),
            snapshot: crate::domain::diff::Snapshot::new(self.doc.register(), self.doc.analysis()),
            depth: self.doc.history().undo_len(),
        });
        // Now compared against the sandbox's start: rebuild even when the
        // Changes view is the one showing.
        self.stale[Self::view_index(View::Changes)] = true;
        self.show_view(View::Changes);
        self.info(
            "What-if: try any edit; the Changes view shows the effect. w again to keep or discard",
        );
    }

    pub(super) fn leave_what_if(&mut self, keep: bool) {
        let Some(sandbox) = self.sandbox.take() else {
            return;
        };
        if keep {
            let kept = self.doc.squash_from(sandbox.depth);
            self.info(if kept {
                "What-if kept: its edits are one undoable step"
            } else {
                "What-if left: nothing was changed"
            });
            // The register is as the sandbox left it: nothing to evaluate
            // again, but every view now compares against the file as loaded.
            self.redraw(super::document::Change::EVERYTHING);
            return;
        }
        match self.doc.discard_from(sandbox.depth, &sandbox.base) {
            Ok(change) => {
                self.redraw(change);
                self.info("What-if discarded: the register is as before");
            }
            Err(e) => {
                // Should not happen; the document fell back to the
                // sandbox's start exactly.
                self.redraw(super::document::Change::EVERYTHING);
                self.error(format!("What-if discarded by restoring its start ({e})"));
            }
        }
    }
}
