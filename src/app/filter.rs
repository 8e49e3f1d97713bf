//! Fuzzy matching of table rows, and a worker thread that does it for large
//! tables so that typing a filter never waits for the match.
//!
//! The worker cannot borrow the register (the UI owns and edits it), so the
//! table's searchable text is copied once into a [`Corpus`] when a filter
//! starts on a large table, and shared with the worker. Each keystroke sends
//! the query; the worker skips queries already superseded, re-matches only
//! the previous matches when the query extends the last one it matched, and
//! sends the rows back; the UI applies the newest result when it arrives.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::Duration;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::table::{MIN_SCORE_PER_CHAR, View};

/// Tables with at least this many rows are filtered on the worker; smaller
/// ones match in well under a frame and stay synchronous.
pub const BACKGROUND_MIN_ROWS: usize = 10_000;

/// Separates fields inside a [`Corpus`] (the ASCII unit separator: no
/// register text is allowed to contain control characters that matter
/// here, and a field containing one is merely split in two).
const SEP: char = '\u{1f}';

/// The searchable fields of a table's rows in display order, copied out of
/// the register for the worker: all text in one string (no allocation per
/// row), with each row's start.
#[derive(Debug)]
pub struct Corpus {
    pub view: View,
    /// The item (register index) of each row.
    items: Vec<usize>,
    text: String,
    /// `text[starts[k]..starts[k + 1]]` holds row `k`'s fields, each
    /// followed by [`SEP`].
    starts: Vec<usize>,
}

impl Corpus {
    /// An empty corpus with room for `rows` rows of about `row_bytes`
    /// bytes of text each (growing a 10 MB string by doubling would copy
    /// it several times over).
    pub fn new(view: View, rows: usize, row_bytes: usize) -> Corpus {
        let mut starts = Vec::with_capacity(rows + 1);
        starts.push(0);
        Corpus {
            view,
            items: Vec::with_capacity(rows),
            text: String::with_capacity(rows * row_bytes),
            starts,
        }
    }

    /// Adds a row: `fields` is called with a sink taking each field.
    pub fn push(&mut self, item: usize, fields: impl FnOnce(&mut dyn FnMut(&str))) {
        fields(&mut |field: &str| {
            self.text.push_str(field);
            self.text.push(SEP);
        });
        self.items.push(item);
        self.starts.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn fields(&self, row: usize) -> impl Iterator<Item = &str> {
        let (a, b) = (self.starts[row], self.starts[row + 1]);
        self.text[a..b].split_terminator(SEP)
    }
}

/// The score a query must reach in some field of a row to be shown.
pub fn needed_score(query: &str) -> i64 {
    MIN_SCORE_PER_CHAR * query.chars().count() as i64
}

/// Judges one field: whether it contains the query as a subsequence, and
/// whether it scores well enough.
pub fn judge_field(matcher: &SkimMatcherV2, text: &str, query: &str, needed: i64) -> (bool, bool) {
    match matcher.fuzzy_match(text, query) {
        Some(score) => (true, score >= needed),
        None => (false, false),
    }
}

/// Runs `judge` over `pool` on all cores (for large pools), keeping the
/// pool's order: returns (items any field of which contains the query as a
/// subsequence, items that also pass the score threshold). `None` when
/// `cancelled` said so part-way.
pub fn match_parallel<T: Copy + Send + Sync>(
    pool: &[T],
    judge: impl Fn(&SkimMatcherV2, T) -> (bool, bool) + Sync,
    cancelled: impl Fn() -> bool + Sync,
) -> Option<(Vec<T>, Vec<T>)> {
    let run = |chunk: &[T]| {
        let matcher = SkimMatcherV2::default().ignore_case();
        let (mut candidates, mut rows) = (Vec::new(), Vec::new());
        for (n, &i) in chunk.iter().enumerate() {
            if n % 1024 == 1023 && cancelled() {
                return None;
            }
            let (any, good) = judge(&matcher, i);
            if any {
                candidates.push(i);
            }
            if good {
                rows.push(i);
            }
        }
        Some((candidates, rows))
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if pool.len() < 4_096 || threads < 2 {
        return run(pool);
    }
    let size = pool.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let run = &run;
        let handles: Vec<_> = pool
            .chunks(size)
            .map(|chunk| scope.spawn(move || run(chunk)))
            .collect();
        let (mut candidates, mut rows) = (Vec::new(), Vec::new());
        for h in handles {
            // A matcher thread cannot panic on our data; if one did, its
            // part is simply left out rather than taking the app down.
            if let Ok(part) = h.join() {
                let (c, r) = part?;
                candidates.extend(c);
                rows.extend(r);
            }
        }
        Some((candidates, rows))
    })
}

/// One filter query for the worker.
struct Job {
    generation: u64,
    corpus: Arc<Corpus>,
    /// The filter as typed (the query is its trimmed form).
    filter: String,
}

enum Message {
    Match(Job),
    /// The corpus is out of date: let go of it.
    Forget,
    /// Answer once every message sent before this one is handled.
    Sync(Sender<()>),
}

/// The worker's answer to one query.
#[derive(Debug)]
pub struct Outcome {
    pub generation: u64,
    pub view: View,
    /// The filter the rows answer (as typed).
    pub filter: String,
    /// Items containing the query as a subsequence, in display order.
    pub candidates: Vec<usize>,
    /// Items shown: those that also score well enough.
    pub rows: Vec<usize>,
}

/// The worker thread is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// The handle the UI keeps; dropping it ends the thread.
pub struct Worker {
    jobs: Sender<Message>,
    results: Receiver<Outcome>,
    /// The newest generation sent: the worker abandons older queries.
    latest: Arc<AtomicU64>,
}

impl Worker {
    /// Starts the thread; `None` if the system refuses one (the caller
    /// then keeps matching synchronously).
    pub fn spawn() -> Option<Worker> {
        let (jobs, job_rx) = channel();
        let (result_tx, results) = channel();
        let latest = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("riskbench-filter".into())
            .spawn(move || serve(job_rx, result_tx, seen))
            .ok()?;
        Some(Worker {
            jobs,
            results,
            latest,
        })
    }

    /// Hands over a query; false when the worker has stopped.
    pub fn submit(&self, generation: u64, corpus: Arc<Corpus>, filter: String) -> bool {
        self.latest.store(generation, Ordering::Relaxed);
        self.jobs
            .send(Message::Match(Job {
                generation,
                corpus,
                filter,
            }))
            .is_ok()
    }

    /// Tells the worker its corpus is stale (it holds a reference to the
    /// last one to re-match extending queries).
    pub fn forget(&self) {
        let _ = self.jobs.send(Message::Forget);
    }

    /// Blocks until the worker has handled every query sent before (its
    /// answer, if it has one, is then waiting for [`Worker::try_result`]),
    /// or `timeout` has passed; false on a timeout or a stopped worker.
    /// Tests use it to wait for an answer, or to know that no late one can
    /// still come, without guessing at sleeps.
    pub fn sync(&self, timeout: Duration) -> bool {
        let (done, handled) = channel();
        self.jobs.send(Message::Sync(done)).is_ok() && handled.recv_timeout(timeout).is_ok()
    }

    /// A result if one has arrived; `Err(Stopped)` when the worker has
    /// stopped (it cannot, short of a bug; the caller then matches itself).
    pub fn try_result(&self) -> Result<Option<Outcome>, Stopped> {
        match self.results.try_recv() {
            Ok(outcome) => Ok(Some(outcome)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(Stopped),
        }
    }
}

/// The worker thread's loop.
fn serve(jobs: Receiver<Message>, results: Sender<Outcome>, latest: Arc<AtomicU64>) {
    // The last query answered: its corpus, query and candidate rows.
    let mut last: Option<(Arc<Corpus>, String, Vec<usize>)> = None;
    while let Ok(first) = jobs.recv() {
        // Only the newest query matters: skip those typed over since.
        let mut job = None;
        let mut waiting = Vec::new();
        for message in std::iter::once(first).chain(jobs.try_iter()) {
            match message {
                Message::Match(j) => job = Some(j),
                Message::Forget => {
                    last = None;
                    job = None;
                }
                Message::Sync(done) => waiting.push(done),
            }
        }
        if let Some(job) = job
            && let Some(outcome) = answer(job, &mut last, &latest)
            && results.send(outcome).is_err()
        {
            return;
        }
        for done in waiting {
            let _ = done.send(());
        }
    }
}

/// The worker's match for one query, remembered in `last`; `None` when a
/// newer query superseded it while matching.
fn answer(
    job: Job,
    last: &mut Option<(Arc<Corpus>, String, Vec<usize>)>,
    latest: &AtomicU64,
) -> Option<Outcome> {
    let query = job.filter.trim().to_string();
    let corpus = &job.corpus;
    // Subsequence matching shrinks as the query grows: an extension of
    // the last query only needs the last candidates looked at again.
    let pool: Vec<usize> = match &last {
        Some((c, q, candidates)) if Arc::ptr_eq(c, corpus) && query.starts_with(q.as_str()) => {
            candidates.clone()
        }
        _ => (0..corpus.len()).collect(),
    };
    let needed = needed_score(&query);
    let judged = match_parallel(
        &pool,
        |matcher, row| {
            let mut any = false;
            for field in corpus.fields(row) {
                let (a, good) = judge_field(matcher, field, &query, needed);
                any |= a;
                if good {
                    return (true, true);
                }
            }
            (any, false)
        },
        || latest.load(Ordering::Relaxed) != job.generation,
    );
    let (candidates, rows) = judged?;
    let outcome = Outcome {
        generation: job.generation,
        view: corpus.view,
        filter: job.filter.clone(),
        candidates: candidates.iter().map(|&k| corpus.items[k]).collect(),
        rows: rows.iter().map(|&k| corpus.items[k]).collect(),
    };
    *last = Some((Arc::clone(corpus), query, candidates));
    Some(outcome)
}

impl super::App {
    /// Blocks until the filter worker has handled every query sent so far,
    /// so that [`App::poll_filter`](super::App::poll_filter) then finds
    /// the answer, if one is due, and nothing sent earlier can still
    /// arrive; false if `timeout` passed first or the worker stopped. True
    /// without a worker. For tests: waiting on the worker itself rather
    /// than on a sleep long enough for a loaded machine.
    pub fn sync_filter_worker(&self, timeout: Duration) -> bool {
        self.filter_worker
            .as_ref()
            .is_none_or(|worker| worker.sync(timeout))
    }
}
