//! Quick residual reviews: the review filters of the Risks table (above
//! appetite, overdue, accepted, level, treatment, owner, out of scope, one
//! heat-map cell, one of C/I/A), the state of a risk's acceptance for the Accepted
//! column, and where the dashboard's focus is for drilling down.
//!
//! Review filters narrow the rows *before* the text filter (they are
//! applied where the table's sorted row list is built), so a typed filter
//! narrows the reviewed rows, on the spot or on the filter worker alike.

use chrono::NaiveDate;

use super::action::Action;
use super::picker::{Choice, Picker, PickerPurpose};
use super::table::{SoaFilter, View};
use super::{App, Modal};
use crate::domain::validate::{Section, acceptance_changes};
use crate::domain::{Analysis, Catalog, Cia, Register, Risk, RiskEval, Treatment};
use crate::keymap::Context;

/// Where a risk's acceptance stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptState {
    /// Accepted, in force today, and the risk is as it was accepted.
    Valid,
    /// The acceptance ended before today.
    Expired,
    /// In force, but the risk changed since (inherent score or linked
    /// controls): the owner accepted something else.
    Stale,
    /// Recorded with a start after today.
    Future,
}

impl AcceptState {
    /// The cycle of the accepted review filter.
    pub const CYCLE: [AcceptState; 3] =
        [AcceptState::Valid, AcceptState::Expired, AcceptState::Stale];

    /// The Accepted column's text: short, the column is narrow.
    pub fn cell(self) -> &'static str {
        match self {
            AcceptState::Valid => "yes",
            AcceptState::Expired => "expired",
            AcceptState::Stale => "stale",
            AcceptState::Future => "future",
        }
    }

    /// How the filter reads in the table title.
    pub fn label(self) -> &'static str {
        match self {
            AcceptState::Valid => "accepted (valid)",
            AcceptState::Expired => "acceptance expired",
            AcceptState::Stale => "acceptance stale",
            AcceptState::Future => "acceptance not yet in force",
        }
    }

    /// The state of `r`'s acceptance on `today`; `None` without one. An
    /// expired acceptance is expired whatever else changed; staleness needs
    /// the evaluation (in-scope risks only, like the `acceptance-stale`
    /// warning).
    pub fn of(r: &Risk, e: Option<&RiskEval>, today: NaiveDate) -> Option<AcceptState> {
        let acc = r.acceptance.as_deref()?;
        Some(if acc.until < today {
            AcceptState::Expired
        } else if e.is_some_and(|e| !acceptance_changes(acc, r, e).is_empty()) {
            AcceptState::Stale
        } else if acc.on > today {
            AcceptState::Future
        } else {
            AcceptState::Valid
        })
    }
}

/// The Risks table's review filters; all of them together (and with the
/// text filter). The default filters nothing: the table shows every risk,
/// in scope or not, as it always did.
///
/// Any active review filter looks at in-scope risks only (the ones the
/// dashboard counts, so a drill-down shows exactly its number), unless
/// `out_of_scope` is on: then only out-of-scope risks are shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewFilter {
    pub above_appetite: bool,
    pub overdue: bool,
    pub accepted: Option<AcceptState>,
    /// Index into `method.levels` of the current residual's level.
    pub level: Option<usize>,
    pub treatment: Option<Treatment>,
    /// Exactly this owner (trimmed); `Some("")`: risks without one.
    pub owner: Option<String>,
    pub out_of_scope: bool,
    /// One cell of the current-residual heat map: (likelihood, impact).
    pub cell: Option<(u32, u32)>,
    /// The risks to this property: their `cia` names it.
    pub cia: Option<Cia>,
}

impl ReviewFilter {
    pub fn is_active(&self) -> bool {
        *self != ReviewFilter::default()
    }

    /// Whether risk `i` passes every active review filter.
    pub fn admits(&self, reg: &Register, analysis: &Analysis, i: usize) -> bool {
        !self.is_active() || self.admits_review(reg, analysis, i)
    }

    /// [`ReviewFilter::admits`] as if a review were on even when none is
    /// (in scope unless `out_of_scope`): what an owner would count once
    /// the owner filter is set.
    fn admits_review(&self, reg: &Register, analysis: &Analysis, i: usize) -> bool {
        let Some(r) = reg.risks.get(i) else {
            return false;
        };
        let e = analysis.eval.risk(i);
        if self.out_of_scope != e.is_none() {
            return false;
        }
        if self.above_appetite && !e.is_some_and(|e| e.above_appetite) {
            return false;
        }
        if self.overdue && !e.is_some_and(|e| e.overdue) {
            return false;
        }
        if let Some(want) = self.accepted
            && AcceptState::of(r, e, analysis.eval.today) != Some(want)
        {
            return false;
        }
        if let Some(level) = self.level
            && e.and_then(|e| e.residual.level_index()) != Some(level)
        {
            return false;
        }
        if let Some(t) = self.treatment
            && r.treatment != t
        {
            return false;
        }
        if let Some(owner) = &self.owner
            && r.owner.trim() != owner
        {
            return false;
        }
        if let Some((l, im)) = self.cell
            && !e.is_some_and(|e| e.residual.likelihood == l && e.residual.impact == im)
        {
            return false;
        }
        if let Some(c) = self.cia
            && !r.cia.contains(&c)
        {
            return false;
        }
        true
    }

    /// What the title says: "above appetite · owner CFO"; empty when no
    /// review filter is on.
    pub fn label(&self, reg: &Register) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some((l, i)) = self.cell {
            parts.push(format!("cell L{l}×I{i}"));
        }
        if self.above_appetite {
            parts.push("above appetite".into());
        }
        if self.overdue {
            parts.push("overdue review".into());
        }
        if let Some(a) = self.accepted {
            parts.push(a.label().into());
        }
        if let Some(l) = self.level {
            let name = reg.method.levels.get(l).map_or("?", |l| l.name.as_str());
            parts.push(format!("level {name}"));
        }
        if let Some(t) = self.treatment {
            parts.push(format!("treatment {}", t.as_str()));
        }
        match self.owner.as_deref() {
            Some("") => parts.push("no owner".into()),
            Some(o) => parts.push(format!("owner {o}")),
            None => {}
        }
        if self.out_of_scope {
            parts.push("out of scope".into());
        }
        if let Some(c) = self.cia {
            parts.push(format!("risks to {}", c.as_str().to_lowercase()));
        }
        parts.join(" · ")
    }
}

/// The next value of a cycling filter: off → the first → … → the last → off.
pub fn cycle<T: Copy + PartialEq>(current: Option<T>, all: &[T]) -> Option<T> {
    match current.and_then(|c| all.iter().position(|x| *x == c)) {
        None => all.first().copied(),
        Some(p) => all.get(p + 1).copied(),
    }
}

/// Which pane of the dashboard has the keyboard. `tab` goes heat map →
/// summary → top risks → the next view; `backtab` the other way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DashFocus {
    /// The current-residual heat map: the arrows move a cell cursor, enter
    /// lists the cell's risks.
    #[default]
    HeatMap,
    /// The summary's review lines (above appetite, overdue, expired
    /// acceptances): up/down choose one, enter lists its risks.
    Summary,
    /// The top-risks table: a risk list like the Risks view's.
    TopRisks,
}

/// The summary lines that drill down, in the order the summary shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryLine {
    AboveAppetite,
    Overdue,
    ExpiredAcceptances,
}

impl SummaryLine {
    pub const ALL: [SummaryLine; 3] = [
        SummaryLine::AboveAppetite,
        SummaryLine::Overdue,
        SummaryLine::ExpiredAcceptances,
    ];

    /// The review filter that lists this line's risks.
    pub fn filter(self) -> ReviewFilter {
        let mut f = ReviewFilter::default();
        match self {
            SummaryLine::AboveAppetite => f.above_appetite = true,
            SummaryLine::Overdue => f.overdue = true,
            SummaryLine::ExpiredAcceptances => f.accepted = Some(AcceptState::Expired),
        }
        f
    }
}

/// The dashboard's cursor: the focused pane, the heat-map cell and the
/// summary line (each kept while the others have the focus).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dashboard {
    pub focus: DashFocus,
    /// (likelihood, impact), 1-based, on the current-residual map.
    pub cell: (u32, u32),
    /// Index into [`SummaryLine::ALL`].
    pub line: usize,
}

impl Default for Dashboard {
    fn default() -> Dashboard {
        Dashboard {
            focus: DashFocus::HeatMap,
            cell: (1, 1),
            line: 0,
        }
    }
}

impl Dashboard {
    /// Keeps the cell on a grid of `nl` likelihoods × `ni` impacts (the
    /// scales can shrink under it).
    pub fn clamp(&mut self, nl: usize, ni: usize) {
        let (l, i) = self.cell;
        self.cell = (l.clamp(1, nl.max(1) as u32), i.clamp(1, ni.max(1) as u32));
    }

    /// Moves the cell by `dl` likelihood steps (up the map is higher) and
    /// `di` impact steps, stopping at the edges.
    pub fn move_cell(&mut self, dl: i64, di: i64, nl: usize, ni: usize) {
        let (l, i) = self.cell;
        let l = (i64::from(l) + dl).clamp(1, nl.max(1) as i64) as u32;
        let i = (i64::from(i) + di).clamp(1, ni.max(1) as i64) as u32;
        self.cell = (l, i);
    }

    pub fn summary_line(&self) -> SummaryLine {
        SummaryLine::ALL[self.line.min(SummaryLine::ALL.len() - 1)]
    }
}

/// The distinct owners (trimmed) of the risks `items`, sorted, with how
/// many of them each owns; `""` stands for risks without an owner.
pub fn owners(reg: &Register, items: impl Iterator<Item = usize>) -> Vec<(String, usize)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in items.filter_map(|i| reg.risks.get(i)) {
        *counts.entry(r.owner.trim()).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(o, n)| (o.to_string(), n))
        .collect()
}

/// The owner picker's values: `"*"` any owner (the filter off), `"=NAME"`
/// that owner (`"="`: risks without one). `None` for anything else.
pub fn owner_choice(value: &str) -> Option<Option<String>> {
    match value {
        "*" => Some(None),
        v => v.strip_prefix('=').map(|o| Some(o.to_string())),
    }
}

impl App {
    /// The shortest table key of `action` in the keymap in force, for
    /// messages ("r r clears").
    fn table_key(&self, action: Action) -> Option<String> {
        self.keymap
            .keys_for(action)
            .into_iter()
            .filter(|(c, _)| matches!(c, Context::Table | Context::Global))
            .map(|(_, k)| k)
            .min_by_key(|k| (k.chars().count(), k.clone()))
    }

    /// The risk a risk action acts on: the selected row where risks are
    /// listed (the Dashboard's top risks, the Risks table, the review
    /// queue) or the risk the focus view shows. Elsewhere it says
    /// `elsewhere` (where to go instead), and with no risk selected why;
    /// both give `None`.
    pub(super) fn risk_for(&mut self, elsewhere: &str) -> Option<usize> {
        if !self.view.lists_risks() {
            self.info(elsewhere);
            return None;
        }
        let risk = self.selected_item();
        if risk.is_none() {
            self.no_risk_selected();
        }
        risk
    }

    /// Says why an action on "the selected item" has nothing to act on. On
    /// the dashboard's heat map or summary no risk is selected (none is
    /// shown selected): it says where one is.
    pub(super) fn no_risk_selected(&mut self) {
        if self.view == View::Dashboard && self.dashboard.focus != DashFocus::TopRisks {
            let tab = self
                .table_key(Action::NextView)
                .unwrap_or_else(|| "tab".into());
            let enter = self
                .table_key(Action::Edit)
                .unwrap_or_else(|| "enter".into());
            self.info(format!(
                "No risk selected here: {tab} moves to the top risks, {enter} lists these risks"
            ));
        } else if self.view.lists_risks() {
            self.info("No risk selected");
        } else {
            self.info("Nothing selected");
        }
    }

    /// A review-filter action: changes the filter and shows the Risks table.
    pub(super) fn review_filter(&mut self, action: Action) {
        let levels: Vec<usize> = (0..self.doc.register().method.levels.len()).collect();
        let f = &mut self.review;
        match action {
            Action::FilterAboveAppetite => f.above_appetite = !f.above_appetite,
            Action::FilterOverdue => f.overdue = !f.overdue,
            Action::FilterAccepted => f.accepted = cycle(f.accepted, &AcceptState::CYCLE),
            Action::FilterLevel => f.level = cycle(f.level, &levels),
            Action::FilterTreatment => f.treatment = cycle(f.treatment, &Treatment::ALL),
            Action::FilterOutOfScope => f.out_of_scope = !f.out_of_scope,
            Action::FilterCia => f.cia = cycle(f.cia, &Cia::ALL),
            Action::ClearReviewFilters => *f = ReviewFilter::default(),
            Action::FilterOwner => return self.open_owner_picker(),
            _ => return,
        }
        self.review_changed();
    }

    /// After a review filter changed: the Risks table, rebuilt, with its
    /// first row selected (the rows are a new list), and what it shows.
    pub(super) fn review_changed(&mut self) {
        self.show_view(View::Risks);
        self.rebuild_filtered(true);
        let total = self.doc.register().risks.len();
        let t = self.table_mut(View::Risks);
        t.selected = 0;
        let shown = t.rows.len();
        let text_filter = !t.filter.trim().is_empty();
        let msg = if self.review.is_active() {
            let clear = self
                .table_key(Action::ClearReviewFilters)
                .map(|k| format!(" ({k} clears)"))
                .unwrap_or_default();
            format!(
                "Review: {} — {shown} of {total} risk{}{}{clear}",
                self.review.label(self.doc.register()),
                if total == 1 { "" } else { "s" },
                if text_filter {
                    " with the text filter"
                } else {
                    ""
                },
            )
        } else {
            format!("Review filters off — {shown} of {total} risks shown")
        };
        self.info(msg);
    }

    /// The owner picker: any owner, then each owner of the risks the other
    /// review filters leave, with how many of them each owns.
    fn open_owner_picker(&mut self) {
        let probe = ReviewFilter {
            owner: None,
            ..self.review.clone()
        };
        let items = (0..self.doc.register().risks.len())
            .filter(|&i| probe.admits_review(self.doc.register(), self.doc.analysis(), i));
        let mut choices = vec![Choice {
            value: "*".into(),
            label: "(any owner)".into(),
            hint: "owner filter off".into(),
        }];
        let current = self.review.owner.clone();
        let mut selected = 0;
        for (owner, n) in owners(self.doc.register(), items) {
            if current.as_deref() == Some(owner.as_str()) {
                selected = choices.len();
            }
            choices.push(Choice {
                label: if owner.is_empty() {
                    "(no owner)".into()
                } else {
                    owner.clone()
                },
                value: format!("={owner}"),
                hint: format!("{n} risk{}", if n == 1 { "" } else { "s" }),
            });
        }
        let mut p = Picker::new(
            "Review: whose risks? (in scope)",
            choices,
            PickerPurpose::ReviewOwner,
        );
        p.selected = selected;
        self.modals.push(Modal::Picker(p));
    }

    /// tab / backtab: on the dashboard the next pane (heat map → summary →
    /// top risks), past the last one the next view; elsewhere the next
    /// view. Arriving on the dashboard going forward starts at its first
    /// pane, going back at its last.
    pub(super) fn next_pane(&mut self, forward: bool) {
        use DashFocus::*;
        if self.view == View::Dashboard {
            let next = match (self.dashboard.focus, forward) {
                (HeatMap, true) => Some(Summary),
                (Summary, true) => Some(TopRisks),
                (TopRisks, false) => Some(Summary),
                (Summary, false) => Some(HeatMap),
                _ => None,
            };
            if let Some(f) = next {
                self.dashboard.focus = f;
                return;
            }
        }
        self.step_view(forward);
    }

    /// The next or previous view, entering the dashboard at its first
    /// pane going forward and at its last going back.
    fn step_view(&mut self, forward: bool) {
        let view = if forward {
            self.view.next()
        } else {
            self.view.prev()
        };
        if view == View::Dashboard {
            self.dashboard.focus = if forward {
                DashFocus::HeatMap
            } else {
                DashFocus::TopRisks
            };
        }
        self.show_view(view);
    }

    /// Left / right: a heat-map cell while the dashboard's map has the
    /// focus (stopping at the edges, so a keystroke too many never leaves
    /// the map), else the previous / next view as always.
    pub(super) fn move_side(&mut self, delta: i64) {
        if self.view == View::Dashboard && self.dashboard.focus == DashFocus::HeatMap {
            let m = &self.doc.register().method;
            let (nl, ni) = (m.likelihood.len(), m.impact.len());
            self.dashboard.move_cell(0, delta, nl, ni);
            return;
        }
        self.step_view(delta > 0);
    }

    /// Up / down (pages, top, bottom) on the dashboard's heat map or
    /// summary; false when the top-risks list (a table) should move.
    pub(super) fn dashboard_move(&mut self, delta: isize) -> bool {
        if self.view != View::Dashboard {
            return false;
        }
        let m = &self.doc.register().method;
        let (nl, ni) = (m.likelihood.len(), m.impact.len());
        let d = delta.clamp(-1_000, 1_000) as i64;
        match self.dashboard.focus {
            // Down the map is a lower likelihood.
            DashFocus::HeatMap => self.dashboard.move_cell(-d, 0, nl, ni),
            DashFocus::Summary => {
                let last = SummaryLine::ALL.len() as i64 - 1;
                self.dashboard.line = (self.dashboard.line as i64 + d).clamp(0, last) as usize;
            }
            DashFocus::TopRisks => return false,
        }
        true
    }

    /// Enter on the dashboard's heat map or summary: the Risks table with
    /// only that cell's or line's risks (a fresh review filter; the text
    /// filter is cleared so the rows are exactly the dashboard's number).
    /// False when the top-risks list has the focus (enter edits there).
    pub(super) fn drill_down(&mut self) -> bool {
        if self.view != View::Dashboard {
            return false;
        }
        self.review = match self.dashboard.focus {
            DashFocus::HeatMap => ReviewFilter {
                cell: Some(self.dashboard.cell),
                ..ReviewFilter::default()
            },
            DashFocus::Summary => self.dashboard.summary_line().filter(),
            DashFocus::TopRisks => return false,
        };
        self.table_mut(View::Risks).filter.clear();
        self.review_changed();
        true
    }

    /// Enter on a finding: its item, selected in its own view. An item a
    /// filter hides is shown by clearing that view's filters; findings
    /// about the method or schema have no row and say so.
    pub(super) fn jump_to_finding(&mut self) {
        let Some(f) = self
            .current_table()
            .selected_item()
            .and_then(|i| self.doc.analysis().findings.get(i))
            .cloned()
        else {
            self.info("No finding selected");
            return;
        };
        let reg = &self.doc.register();
        let catalog = Catalog::annex_a();
        let by_id =
            |mut ids: &mut dyn Iterator<Item = &str>| Iterator::position(&mut ids, |id| id == f.at);
        let target = match f.section {
            Section::Risks => Some((
                View::Risks,
                f.risk
                    .filter(|&r| reg.risks.get(r).is_some_and(|r| r.id == f.at))
                    .or_else(|| by_id(&mut reg.risks.iter().map(|r| r.id.as_str()))),
            )),
            Section::Assets => Some((
                View::Assets,
                by_id(&mut reg.assets.iter().map(|a| a.id.as_str())),
            )),
            Section::Threats => Some((
                View::Threats,
                by_id(&mut reg.threats.iter().map(|t| t.id.as_str())),
            )),
            Section::Factors => Some((
                View::Environment,
                by_id(&mut reg.factors.iter().map(|x| x.id.as_str())),
            )),
            // An own control's row follows the 93 Annex A ones.
            Section::Controls | Section::OwnControls => Some((
                View::Controls,
                catalog.index_of(&f.at).or_else(|| {
                    by_id(&mut reg.own_controls.iter().map(|c| c.id.as_str()))
                        .map(|k| catalog.len() + k)
                }),
            )),
            Section::Decisions | Section::Baseline => Some((View::Soa, catalog.index_of(&f.at))),
            Section::Owner => {
                // A person, not a row: their risks.
                self.review = ReviewFilter {
                    owner: Some(f.at.trim().to_string()),
                    ..ReviewFilter::default()
                };
                self.table_mut(View::Risks).filter.clear();
                self.review_changed();
                self.info(format!("{}: {} — {}'s risks", f.code, f.message, f.at));
                return;
            }
            // An action's finding (`at` = its id), or the plan as a whole.
            Section::Actions => Some((
                View::Plan,
                by_id(&mut reg.actions.iter().map(|a| a.id.as_str())),
            )),
            // No view shows these yet: the finding is named, not revealed.
            Section::Method | Section::Schema | Section::Conflicts => None,
        };
        let what = format!("{} ({})", f.at, f.code);
        match target {
            Some((view, Some(item))) => {
                let cleared = self.reveal(view, item);
                let note = if cleared {
                    " (filters cleared to show it)"
                } else {
                    ""
                };
                self.info(format!("{what} in {}{note}: {}", view.title(), f.message));
            }
            // The SoA as a whole (`soa-unapproved`): its view, no one row.
            Some((View::Soa, None)) if f.at == "soa" => {
                self.show_view(View::Soa);
                self.info(format!("{what}: {}", f.message));
            }
            // The plan as a whole (`plan-unapproved`): its view.
            Some((View::Plan, None)) if f.at == "plan" => {
                self.show_view(View::Plan);
                self.info(format!("{what}: {}", f.message));
            }
            Some((view, None)) => self.info(format!(
                "{what}: no row for it in {} — fix it in the file: {}",
                view.title(),
                f.message
            )),
            None => self.info(format!(
                "{what} is about the register's {}, which has no view — fix it in the file: {}",
                match f.section {
                    Section::Schema => "schema",
                    Section::Actions => "treatment plan",
                    Section::OwnControls => "own controls",
                    Section::Conflicts => "merge conflicts",
                    _ => "method",
                },
                f.message
            )),
        }
    }

    /// Shows `view` with `item` selected; when a filter hides it, clears
    /// that view's filters first. True when filters were cleared.
    pub(super) fn reveal(&mut self, view: View, item: usize) -> bool {
        self.show_view(view);
        if self.table_mut(view).select_item(item) {
            return false;
        }
        self.table_mut(view).filter.clear();
        match view {
            View::Risks => self.review = ReviewFilter::default(),
            View::Soa => self.soa_filter = SoaFilter::All,
            _ => {}
        }
        self.rebuild_filtered(true);
        self.table_mut(view).select_item(item);
        true
    }
}
