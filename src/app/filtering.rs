//! Filtering a table: matched at once for small tables, on the filter
//! worker for large ones (typing over 100,000 risks never waits).

use super::App;
use super::table::View;

impl App {
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
    pub(super) fn prepare_corpus(&mut self) -> Option<std::sync::Arc<super::filter::Corpus>> {
        let view = self.view;
        self.filter_worker.as_ref()?;
        let items = self.tables[Self::view_index(view)].unfiltered()?;
        if !matches!(view, View::Risks | View::Dashboard | View::Plan)
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
    pub(super) fn filter_in_background(&mut self) -> bool {
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
    pub(super) fn worker_stopped(&mut self) {
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
    pub(super) fn drop_pending_filter(&mut self) {
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
}
