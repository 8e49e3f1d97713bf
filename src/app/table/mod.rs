//! The views' tables: which rows exist, their cell text, sorting and fuzzy
//! filtering. Rows are indices into the register's lists (or the catalog),
//! so the UI only builds text for the rows it actually draws.

use std::cell::Cell;
use std::cmp::Ordering;

use fuzzy_matcher::skim::SkimMatcherV2;

use super::filter;

mod cells;
mod column;

pub use column::{
    AssetColumn, ChangeColumn, Column, ControlColumn, FactorColumn, FindingColumn, Layout,
    PlanColumn, QueueColumn, RiskColumn, SoaColumn, ThreatColumn, Width,
};

use crate::domain::{Analysis, Applicable, Catalog, Register, RiskEval, Score};

/// Minimum fuzzy score per query character for a filter match. Skim-style
/// fuzzy matching accepts any subsequence, so "ransom" would match
/// "f(r)amework exploited in the S(a)aS platf(o)r(m)"; contiguous or
/// word-start matches score about 20 per character, letters scattered
/// across words about 10.
pub const MIN_SCORE_PER_CHAR: i64 = 11;

/// Bytes of a long cell drawn at most: wider than any terminal.
pub const DISPLAY_LIMIT: usize = 600;

/// The workbench's screens, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Dashboard,
    Risks,
    Assets,
    Threats,
    Controls,
    Soa,
    Environment,
    Changes,
    /// Every error and warning of `check`, grouped by code.
    Findings,
    /// The risk treatment plan: its actions.
    Plan,
    /// One risk on the whole screen, for a workshop: the Risks table's
    /// selected risk (`ui::focus`).
    Focus,
    /// The review queue: the order a workshop works through the risks.
    Queue,
}

impl View {
    /// Whether the view's selection is a risk (the Risks table's own: the
    /// dashboard's top risks, the queue and the focus view share it), so
    /// every risk action works there.
    pub fn lists_risks(self) -> bool {
        matches!(
            self,
            View::Risks | View::Dashboard | View::Focus | View::Queue
        )
    }

    pub const ALL: [View; 12] = [
        View::Dashboard,
        View::Risks,
        View::Assets,
        View::Threats,
        View::Controls,
        View::Soa,
        View::Environment,
        View::Changes,
        View::Findings,
        View::Plan,
        View::Focus,
        View::Queue,
    ];

    /// The views the tab bar lists and tab cycles through: the focus view
    /// and the queue are reached by their keys (they would crowd the tab
    /// bar out of an 80-column screen).
    pub const TABS: [View; 10] = [
        View::Dashboard,
        View::Risks,
        View::Assets,
        View::Threats,
        View::Controls,
        View::Soa,
        View::Environment,
        View::Changes,
        View::Findings,
        View::Plan,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Dashboard => "Dashboard",
            View::Risks => "Risks",
            View::Assets => "Assets",
            View::Threats => "Threats",
            View::Controls => "Controls",
            View::Soa => "SoA",
            View::Environment => "Environment",
            View::Changes => "Changes",
            View::Findings => "Findings",
            View::Plan => "Plan",
            View::Focus => "Focus",
            View::Queue => "Review queue",
        }
    }

    fn position(self) -> usize {
        View::TABS.iter().position(|v| *v == self).unwrap_or(0)
    }

    pub fn next(self) -> View {
        View::TABS[(self.position() + 1) % View::TABS.len()]
    }

    pub fn prev(self) -> View {
        View::TABS[(self.position() + View::TABS.len() - 1) % View::TABS.len()]
    }
}

/// SoA view filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SoaFilter {
    #[default]
    All,
    Yes,
    No,
    Undecided,
}

impl SoaFilter {
    pub fn next(self) -> SoaFilter {
        match self {
            SoaFilter::All => SoaFilter::Yes,
            SoaFilter::Yes => SoaFilter::No,
            SoaFilter::No => SoaFilter::Undecided,
            SoaFilter::Undecided => SoaFilter::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SoaFilter::All => "all",
            SoaFilter::Yes => "Yes",
            SoaFilter::No => "No",
            SoaFilter::Undecided => "Undecided",
        }
    }

    fn admits(self, a: Applicable) -> bool {
        match self {
            SoaFilter::All => true,
            SoaFilter::Yes => a == Applicable::Yes,
            SoaFilter::No => a == Applicable::No,
            SoaFilter::Undecided => a == Applicable::Undecided,
        }
    }
}

/// Per-view table state.
#[derive(Debug, Clone, Default)]
pub struct TableState {
    /// Item indices in display order (after filter and sort).
    pub rows: Vec<usize>,
    /// Position of the selected row in `rows`.
    pub selected: usize,
    /// First visible row; the UI keeps the selection in view.
    pub offset: Cell<usize>,
    /// Position of the sorted column in [`View::column_list`] (see
    /// [`TableState::sort_column`]); a position because `s` cycles it.
    pub sort: usize,
    pub descending: bool,
    pub filter: String,
    /// Every item the view shows, in display order, before the text filter:
    /// filtering keeps this order, so a keystroke never re-sorts.
    sorted: Vec<usize>,
    sorted_built: bool,
    /// Items containing `matched_filter` as a subsequence in some field
    /// (before the score threshold), for extending keystrokes.
    candidates: Vec<usize>,
    /// The filter `candidates` were matched with.
    matched_filter: String,
    /// Rows were edited since the table was sorted and kept their places
    /// (a workshop's scored row must not jump away): the shown order may
    /// differ from the sort's. The title says so; sorting again clears it.
    pub order_changed: bool,
}

impl TableState {
    /// Every item the view shows before the text filter, in display order
    /// (`None` until the table has been built).
    pub fn unfiltered(&self) -> Option<&[usize]> {
        self.sorted_built.then_some(self.sorted.as_slice())
    }

    /// Takes a filter result matched elsewhere (the filter worker) for
    /// `filter`, keeping the selected item selected when it is still shown.
    pub fn apply_match(&mut self, filter: String, candidates: Vec<usize>, rows: Vec<usize>) {
        let keep = self.selected_item();
        let changed = filter != self.matched_filter;
        self.rows = rows;
        self.candidates = candidates;
        self.matched_filter = filter;
        if changed {
            self.select_first();
        } else if !keep.is_some_and(|k| self.select_item(k)) {
            self.clamp();
        }
    }

    /// After the filter changed, the first match is selected (as in fzf or
    /// helix pickers): what `e`, `d` and `L`/`I` act on is the top row
    /// shown, never a row kept from before the filter.
    pub fn select_first(&mut self) {
        self.selected = 0;
        self.offset.set(0);
    }

    /// Puts the rows back in the order they were shown in before an edit
    /// (`before`: the unfiltered order then); items not shown before go
    /// last, in sorted order. Marks the order as changed when it now differs
    /// from the sort's.
    pub fn keep_order(&mut self, before: &[usize]) {
        let mut place: rustc_hash::FxHashMap<usize, usize> = Default::default();
        for (p, &item) in before.iter().enumerate() {
            place.insert(item, p);
        }
        let rank = |item: &usize| place.get(item).copied().unwrap_or(usize::MAX);
        let selected = self.selected_item();
        let resorted = self.sorted.clone();
        // Stable: items new to the table keep their sorted order at the end.
        self.sorted.sort_by_key(rank);
        self.rows.sort_by_key(rank);
        self.candidates.sort_by_key(rank);
        if self.sorted != resorted {
            self.order_changed = true;
        }
        if let Some(item) = selected {
            self.select_item(item);
        }
    }

    /// The sorted column: the one at position `sort` of the view's
    /// columns (the last one when `sort` is past the end).
    pub fn sort_column(&self, view: View) -> Column {
        let list = view.column_list();
        match list.get(self.sort).or(list.last()) {
            Some(c) => *c,
            // Every view has columns; the first risk column otherwise.
            None => Column::Risk(RiskColumn::Id),
        }
    }

    /// Sorts by `column` in its natural direction (see
    /// [`Column::natural_descending`]); a column the view does not show
    /// changes nothing.
    pub fn sort_by(&mut self, view: View, column: Column) {
        if let Some(p) = view.position_of(column) {
            self.sort = p;
            self.descending = column.natural_descending();
        }
    }

    pub fn selected_item(&self) -> Option<usize> {
        self.rows.get(self.selected).copied()
    }

    /// Selects the row showing `item`, if it is visible.
    pub fn select_item(&mut self, item: usize) -> bool {
        match self.rows.iter().position(|&r| r == item) {
            Some(p) => {
                self.selected = p;
                true
            }
            None => false,
        }
    }

    pub fn clamp(&mut self) {
        if self.selected >= self.rows.len() {
            self.selected = self.rows.len().saturating_sub(1);
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            self.selected = 0;
            return;
        }
        let max = self.rows.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, max) as usize;
    }
}

/// Everything cell text and sorting need.
pub struct Ctx<'a> {
    pub reg: &'a Register,
    pub analysis: &'a Analysis,
    pub changes: &'a super::changes::Changes,
    /// Per factor: assets and risks whose scope depends on it.
    pub factor_scope: &'a [(usize, usize)],
    /// The Risks table's review filters.
    pub review: &'a super::review::ReviewFilter,
    /// Findings per code (the Findings view's Code column).
    pub stats: &'a super::Stats,
    /// The review queue as last built (the Queue view's rows and cells).
    pub queue: &'a crate::domain::review_queue::ReviewQueue,
    /// The day the register is evaluated on (the queue's reasons).
    pub today: chrono::NaiveDate,
}

pub fn score_text(s: &Score) -> String {
    format!("{}×{}={}", s.likelihood, s.impact, s.score)
}

impl Ctx<'_> {
    fn risk_eval(&self, i: usize) -> Option<&RiskEval> {
        self.analysis.eval.risks.get(i)?.as_ref()
    }

    /// How many items the view has before filtering.
    pub fn item_count(&self, view: View) -> usize {
        match view {
            View::Dashboard | View::Risks => self.reg.risks.len(),
            View::Assets => self.reg.assets.len(),
            View::Threats => self.reg.threats.len(),
            // The Controls view lists the own controls after the 93.
            View::Controls => Catalog::annex_a().len() + self.reg.own_controls.len(),
            View::Soa => Catalog::annex_a().len(),
            View::Environment => self.reg.factors.len(),
            View::Changes => self.changes.rows.len(),
            View::Findings => self.analysis.findings.len(),
            View::Plan => self.reg.actions.len(),
            View::Queue => self.reg.risks.len(),
            // One risk, drawn by `ui::focus`: no rows to build.
            View::Focus => 0,
        }
    }

    /// Calls `f` with each text a fuzzy filter matches against, one per
    /// field: matching fields separately keeps a query from being assembled
    /// out of letters scattered over unrelated fields. No allocation for
    /// risks (the filter runs this over every risk on each keystroke).
    /// `f` returns true to stop early.
    fn for_each_field(&self, view: View, item: usize, mut f: impl FnMut(&str) -> bool) {
        match view {
            View::Dashboard | View::Risks | View::Queue => {
                let Some(r) = self.reg.risks.get(item) else {
                    return;
                };
                let lk = &self.analysis.eval.lookups;
                let asset = lk
                    .asset_index
                    .get(&r.asset)
                    .map(|&a| self.reg.assets[a].name.as_str());
                let threat = lk
                    .threat_index
                    .get(&r.threat)
                    .map(|&t| self.reg.threats[t].name.as_str());
                let fields = [
                    Some(r.id.as_str()),
                    Some(r.title.as_str()),
                    Some(r.asset.as_str()),
                    asset,
                    Some(r.threat.as_str()),
                    threat,
                    Some(r.owner.as_str()),
                ];
                // The discussion record too: "what did we say about
                // backups?" finds the risk.
                let notes = r.notes.iter().map(|n| Some(n.text.as_str()));
                for text in fields.into_iter().chain(notes).flatten() {
                    if f(text) {
                        return;
                    }
                }
            }
            View::Plan => {
                let Some(a) = self.reg.actions.get(item) else {
                    return;
                };
                let fields = [
                    a.id.as_str(),
                    a.title.as_str(),
                    a.status.as_str(),
                    a.owner.as_str(),
                ];
                let links = a.risks.iter().chain(&a.controls).map(|id| id.as_str());
                for text in fields.into_iter().chain(links) {
                    if f(text) {
                        return;
                    }
                }
            }
            _ => {
                for &c in view.column_list() {
                    if f(&self.cell_of(c, item)) {
                        return;
                    }
                }
            }
        }
    }

    /// How an item fares against a query: `(matches at all, good enough)`
    /// — some field contains the query as a subsequence, and some field
    /// scores at least `needed`. Stops at the first good-enough field (on
    /// the first keystroke nearly every id matches, and the rest is then
    /// not looked at).
    fn judge(
        &self,
        matcher: &SkimMatcherV2,
        view: View,
        item: usize,
        query: &str,
        needed: i64,
    ) -> (bool, bool) {
        let (mut any, mut good) = (false, false);
        self.for_each_field(view, item, |text| {
            let (a, g) = filter::judge_field(matcher, text, query, needed);
            any |= a;
            good = g;
            good
        });
        (any, good)
    }

    /// The searchable text of `items` (in that order), copied for the
    /// filter worker.
    pub fn corpus(&self, view: View, items: &[usize]) -> filter::Corpus {
        // Estimate the text per row from a sample of rows.
        let sample = items.len().min(64);
        let mut bytes = 0;
        for &item in items
            .iter()
            .step_by((items.len() / sample.max(1)).max(1))
            .take(sample)
        {
            self.for_each_field(view, item, |text| {
                bytes += text.len() + 1;
                false
            });
        }
        let row_bytes = bytes / sample.max(1) + 8;
        let mut corpus = filter::Corpus::new(view, items.len(), row_bytes);
        for &item in items {
            corpus.push(item, |sink| {
                self.for_each_field(view, item, |text| {
                    sink(text);
                    false
                })
            });
        }
        corpus
    }

    /// Matches `query` against every item of `pool`, on all cores for
    /// large tables (a 100,000-risk register must answer the first
    /// keystroke quickly). Returns (items that contain the query as a
    /// subsequence, those that also pass the score threshold), in pool order.
    fn match_all(&self, view: View, pool: &[usize], query: &str) -> (Vec<usize>, Vec<usize>) {
        let needed = filter::needed_score(query);
        filter::match_parallel(
            pool,
            |matcher, i| self.judge(matcher, view, i, query, needed),
            || false,
        )
        .unwrap_or_default()
    }

    /// The display order of two rows: the sorted column (the Dashboard:
    /// residual, highest first), ties in register order either way.
    fn row_order(&self, view: View, t: &TableState, a: usize, b: usize) -> Ordering {
        // The own controls stay a section after the Annex A ones, however
        // the table is sorted.
        let n = Catalog::annex_a().len();
        if view == View::Controls && (a >= n) != (b >= n) {
            return a.cmp(&b);
        }
        let o = if view == View::Dashboard {
            self.compare(Column::Risk(RiskColumn::Residual), b, a)
        } else {
            let o = self.compare(t.sort_column(view), a, b);
            if t.descending { o.reverse() } else { o }
        };
        o.then(a.cmp(&b))
    }

    /// After `item`'s sort key changed in place: marks the order as changed
    /// when the item no longer sits between its neighbours in sort order
    /// (the row itself stays where it is).
    pub fn mark_if_out_of_order(&self, view: View, t: &mut TableState, item: usize) {
        let Some(p) = t.sorted.iter().position(|&r| r == item) else {
            return;
        };
        let before = p
            .checked_sub(1)
            .and_then(|q| t.sorted.get(q))
            .is_some_and(|&a| self.row_order(view, t, a, item) == Ordering::Greater);
        let after = t
            .sorted
            .get(p + 1)
            .is_some_and(|&b| self.row_order(view, t, item, b) == Ordering::Greater);
        if before || after {
            t.order_changed = true;
        }
    }

    /// Rebuilds a table's rows: sort (when forced: the data or the sort
    /// changed), then filter in that order (re-matching only the previous
    /// matches when the filter was extended); keeps the selected item
    /// selected when it is still shown.
    pub fn rebuild(&self, view: View, t: &mut TableState, soa_filter: SoaFilter, force: bool) {
        let keep = t.selected_item();
        let filter_changed = t.filter != t.matched_filter;
        // Subsequence matching shrinks as the query grows, so an extending
        // keystroke only re-matches the previous raw matches. The score
        // threshold is applied afterwards: it is not monotone.
        if force || !t.sorted_built {
            let mut all: Vec<usize> = (0..self.item_count(view))
                .filter(|&i| {
                    view != View::Soa
                        || self
                            .analysis
                            .soa
                            .entries
                            .get(i)
                            .is_some_and(|e| soa_filter.admits(e.applicable))
                })
                .collect();
            // Dashboard lists the top risks: in scope, highest residual first.
            if view == View::Dashboard {
                all.retain(|&i| self.risk_eval(i).is_some());
            }
            // The queue lists the risks in it, in its order unless sorted
            // by another column.
            if view == View::Queue {
                all = self.queue.entries().iter().map(|e| e.risk).collect();
            }
            // Review filters narrow the rows the text filter then searches
            // (here, so the filter worker's copy holds only these rows).
            if view == View::Risks && self.review.is_active() {
                all.retain(|&i| self.review.admits(self.reg, self.analysis, i));
            }
            all.sort_by(|&a, &b| self.row_order(view, t, a, b));
            t.sorted = all;
            t.sorted_built = true;
        }
        let extending =
            !force && !t.matched_filter.is_empty() && t.filter.starts_with(&t.matched_filter);
        let pool: Vec<usize> = if extending {
            std::mem::take(&mut t.candidates)
        } else {
            t.sorted.clone()
        };
        let query = t.filter.trim();
        let rows: Vec<usize>;
        if query.is_empty() {
            rows = pool.clone();
            t.candidates = pool;
        } else {
            // Matching keeps the pool's (display) order.
            let (candidates, matched) = self.match_all(view, &pool, query);
            rows = matched;
            t.candidates = candidates;
        }
        t.rows = rows;
        self.exact_first(view, &mut t.rows, query);
        t.matched_filter = t.filter.clone();
        if force && !filter_changed {
            // Sorted afresh (a new sort, or the data changed).
            t.order_changed = false;
        }
        if filter_changed {
            t.select_first();
            return;
        }
        if let Some(item) = keep
            && t.select_item(item)
        {
            return;
        }
        t.clamp();
    }

    /// The id of a view's item, borrowed (no formatting: this runs over
    /// every matching row on a keystroke).
    fn item_id(&self, view: View, i: usize) -> &str {
        let reg = self.reg;
        match view {
            View::Dashboard | View::Risks | View::Focus | View::Queue => {
                reg.risks.get(i).map_or("", |r| r.id.as_str())
            }
            View::Assets => reg.assets.get(i).map_or("", |a| a.id.as_str()),
            View::Threats => reg.threats.get(i).map_or("", |t| t.id.as_str()),
            View::Environment => reg.factors.get(i).map_or("", |f| f.id.as_str()),
            View::Plan => reg.actions.get(i).map_or("", |a| a.id.as_str()),
            View::Controls | View::Soa => control_row(reg, i).map_or("", |c| c.id),
            View::Changes | View::Findings => "",
        }
    }

    /// A row whose id is exactly the query (`R-003`, `8.7`, `A.8.7`) comes
    /// first, as a picker puts an exact match first: `/8.7` then `e` edits
    /// 8.7, not 8.17. The other matches keep the display order.
    pub fn exact_first(&self, view: View, rows: &mut [usize], query: &str) {
        let query = query.trim();
        if query.is_empty() || matches!(view, View::Changes | View::Findings) {
            return;
        }
        let wanted = if matches!(view, View::Controls | View::Soa) {
            crate::domain::catalog::normalize_reference(query)
        } else {
            query.to_string()
        };
        if let Some(p) = rows
            .iter()
            .position(|&i| self.item_id(view, i).eq_ignore_ascii_case(&wanted))
        {
            rows[..=p].rotate_right(1);
        }
    }
}

/// One row of the Controls view: the Annex A control with this catalog
/// index, or (from the catalog's length on) the register's own control
/// `item − 93` (REGISTER.md §5), which the view lists after the 93.
#[derive(Debug, Clone, Copy)]
pub struct ControlRow<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// What it acts on: its 27002 type, or an own control's `types`.
    pub control_type: crate::domain::catalog::ControlType,
    /// One of the register's own controls.
    pub own: bool,
}

/// The control a Controls row shows (see [`ControlRow`]); `None` past the
/// end. Every code that turns a Controls row into a control asks this.
pub fn control_row(reg: &Register, item: usize) -> Option<ControlRow<'_>> {
    let catalog = Catalog::annex_a();
    match catalog.controls().get(item) {
        Some(info) => Some(ControlRow {
            id: info.id.as_str(),
            title: info.title.as_str(),
            control_type: info.control_type,
            own: false,
        }),
        None => {
            let own = reg.own_controls.get(item - catalog.len())?;
            Some(ControlRow {
                id: own.id.as_str(),
                title: own.title.as_str(),
                control_type: own.control_type(),
                own: true,
            })
        }
    }
}
