//! Scoring (REGISTER.md §2): inherent, current residual and target residual
//! of every in-scope risk, with levels, appetite and review dates.
//!
//! Evaluation is linear in the register's size: lookups are built once
//! (assets, threats, factors and control states by id; the level of every
//! (likelihood, impact) pair) and each risk costs O(its linked controls).
//! The `by_control`, `by_threat` and `by_asset` indices let an edit re-evaluate only the
//! risks it can affect.

// Fx hashing: the maps are keyed by short ids and looked up several times
// per risk; SipHash (std) costs more than the rest of a risk's evaluation.
use rustc_hash::FxHashMap as HashMap;

use chrono::NaiveDate;

use super::catalog::{Catalog, ControlType};
use super::model::{ControlStatus, DEFAULT_EFFECTIVENESS, Id, Method, Register, Risk, dates};

/// `round(x) = floor(x + 0.5 + 1e-9)`: half up, with a tolerance against
/// binary fractions such as 2.4999999999.
pub fn round_half_up(x: f64) -> u32 {
    let r = (x + 0.5 + 1e-9).floor();
    if r < 0.0 { 0 } else { r as u32 }
}

/// A (likelihood, impact) pair with its score and level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    /// On the method's likelihood scale (1 = lowest).
    pub likelihood: u32,
    /// On the method's impact scale (1 = lowest).
    pub impact: u32,
    /// Likelihood × impact.
    pub score: u32,
    /// Index into `method.levels`; `None` only when the method is invalid.
    /// (`u32`, not `usize`: a register holds three scores per risk.)
    pub level: Option<u32>,
}

impl Score {
    /// The level as an index into `method.levels`.
    pub fn level_index(&self) -> Option<usize> {
        self.level.map(|l| l as usize)
    }

    /// The level's name in `method` (`?` when there is none).
    pub fn level_name<'m>(&self, method: &'m Method) -> &'m str {
        self.level
            .and_then(|i| method.levels.get(i as usize))
            .map_or("?", |l| l.name.as_str())
    }
}

/// How one linked control contributed to a residual: the explanation the
/// TUI's detail pane shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlEffect {
    /// The control's id: Annex A, or one of the register's own controls.
    pub id: Id,
    /// One of the register's own controls (REGISTER.md §5), not Annex A.
    pub own: bool,
    /// What it acts on: likelihood (preventive), impact (detective, corrective).
    pub control_type: ControlType,
    /// Its implementation status in the register.
    pub status: ControlStatus,
    /// Its effectiveness in the register (0..=100).
    pub effectiveness: u32,
    /// `s_c` for the current residual.
    pub strength: f64,
    /// `s_c` for the target residual (status taken as fully implemented).
    pub target_strength: f64,
}

/// The evaluation of one in-scope risk.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskEval {
    /// The risk's own likelihood and impact, before controls.
    pub inherent: Score,
    /// With the linked controls as implemented today (or the manual residual).
    pub residual: Score,
    /// The current residual is the risk's manual `residual`.
    pub manual: bool,
    /// With every linked control fully implemented: where treatment leads.
    pub target: Score,
    /// The residual score is above the method's appetite.
    pub above_appetite: bool,
    /// `reviewed + review_days` of the residual level; `None` when the
    /// risk was never reviewed, or when that date would fall after
    /// 9999-12-31 (then `review_out_of_range` is set).
    pub next_review: Option<NaiveDate>,
    /// The next review would fall after 9999-12-31, the last date a
    /// register can hold: `check` reports a `date-range` error, and no
    /// output may call the risk "never reviewed" or print the date.
    pub review_out_of_range: bool,
    /// The next review is before `today`.
    pub overdue: bool,
}

/// The products `pL` and `pI` over a risk's linked controls (spec §2.3),
/// for the current and the target residual. Computed on demand for the
/// risk being explained rather than stored for every risk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Products {
    /// `pL`: what is left of the likelihood with the controls as they are.
    pub likelihood: f64,
    /// `pI`: what is left of the impact with the controls as they are.
    pub impact: f64,
    /// `pL` with every linked control fully implemented.
    pub target_likelihood: f64,
    /// `pI` with every linked control fully implemented.
    pub target_impact: f64,
}

impl Products {
    fn of(reg: &Register, lk: &Lookups, controls: impl Iterator<Item = usize>) -> Products {
        let mut p = Products {
            likelihood: 1.0,
            impact: 1.0,
            target_likelihood: 1.0,
            target_impact: 1.0,
        };
        for c in controls {
            let (status, effectiveness) = lk.state(reg, c);
            let full = f64::from(effectiveness) / 100.0;
            let strength = full * status.factor();
            let ty = lk.control_type(c);
            if ty.acts_on_likelihood() {
                p.likelihood *= 1.0 - strength;
                p.target_likelihood *= 1.0 - full;
            }
            if ty.acts_on_impact() {
                p.impact *= 1.0 - strength;
                p.target_impact *= 1.0 - full;
            }
        }
        p
    }
}

/// `pL` and `pI` of one risk, as its evaluation used them.
pub fn products(reg: &Register, lk: &Lookups, risk: &Risk) -> Products {
    Products::of(
        reg,
        lk,
        risk.controls.iter().filter_map(|id| lk.control_index(id)),
    )
}

/// Lookups shared by every risk's evaluation. Rebuild after an edit to
/// assets, threats, factors, control states or the method.
///
/// Keys are [`Id`]s, stored inline: a lookup hashes and compares the
/// reference held in the risk against the key held in the map without
/// following a pointer on either side.
#[derive(Debug, Clone)]
pub struct Lookups {
    /// Asset id → index into `register.assets` (first entry wins).
    pub asset_index: HashMap<Id, usize>,
    /// Threat id → index into `register.threats` (first entry wins).
    pub threat_index: HashMap<Id, usize>,
    /// Factor id → whether it is on.
    pub factor_on: HashMap<Id, bool>,
    /// Factor id → index into `register.factors` (first entry wins).
    factor_index: HashMap<Id, usize>,
    /// Per asset (by index): whether it is in scope, decided once per
    /// evaluation instead of once per risk.
    asset_in_scope: Vec<bool>,
    /// Control id → index into `register.controls` (first entry wins).
    pub control_state: HashMap<Id, usize>,
    /// The same by control index (see [`Lookups::control_index`]): the
    /// hot path of evaluation.
    state_by_control: Vec<Option<usize>>,
    /// Own control id → its control index: the catalog's length plus its
    /// place in `register.own_controls` (first entry wins).
    own_index: HashMap<Id, usize>,
    /// The types of every own control, by place in `register.own_controls`.
    own_types: Vec<ControlType>,
    /// Level of every (L, I), row-major, `n_impact` cells per row.
    level_table: Vec<Option<u32>>,
    n_likelihood: u32,
    n_impact: u32,
}

impl Lookups {
    /// The lookups of `reg`, built in one pass over each list.
    pub fn new(reg: &Register) -> Lookups {
        let mut asset_index =
            HashMap::with_capacity_and_hasher(reg.assets.len(), Default::default());
        for (i, a) in reg.assets.iter().enumerate() {
            asset_index.entry(a.id.clone()).or_insert(i);
        }
        let mut threat_index =
            HashMap::with_capacity_and_hasher(reg.threats.len(), Default::default());
        for (i, t) in reg.threats.iter().enumerate() {
            threat_index.entry(t.id.clone()).or_insert(i);
        }
        let mut factor_on =
            HashMap::with_capacity_and_hasher(reg.factors.len(), Default::default());
        let mut factor_index =
            HashMap::with_capacity_and_hasher(reg.factors.len(), Default::default());
        for (i, f) in reg.factors.iter().enumerate() {
            factor_on.entry(f.id.clone()).or_insert(f.on);
            factor_index.entry(f.id.clone()).or_insert(i);
        }
        let asset_in_scope = reg
            .assets
            .iter()
            .map(|a| factor_is_on(&factor_on, &a.factor))
            .collect();
        let mut control_state =
            HashMap::with_capacity_and_hasher(reg.controls.len(), Default::default());
        let catalog = Catalog::annex_a();
        let mut own_index =
            HashMap::with_capacity_and_hasher(reg.own_controls.len(), Default::default());
        for (k, c) in reg.own_controls.iter().enumerate() {
            own_index.entry(c.id.clone()).or_insert(catalog.len() + k);
        }
        let own_types = reg.own_controls.iter().map(|c| c.control_type()).collect();
        let mut state_by_control = vec![None; catalog.len() + reg.own_controls.len()];
        for (i, c) in reg.controls.iter().enumerate() {
            control_state.entry(c.id.clone()).or_insert(i);
            let k = catalog
                .index_of(&c.id)
                .or_else(|| own_index.get(&c.id).copied());
            if let Some(k) = k {
                state_by_control[k].get_or_insert(i);
            }
        }
        let n_likelihood = reg.method.likelihood.len().max(1) as u32;
        let n_impact = reg.method.impact.len().max(1) as u32;
        let mut level_table = Vec::with_capacity((n_likelihood * n_impact) as usize);
        for l in 1..=n_likelihood {
            for i in 1..=n_impact {
                level_table.push(level_of(&reg.method, l, i).map(|x| x as u32));
            }
        }
        Lookups {
            asset_index,
            threat_index,
            factor_on,
            factor_index,
            control_state,
            asset_in_scope,
            state_by_control,
            own_index,
            own_types,
            level_table,
            n_likelihood,
            n_impact,
        }
    }

    fn score(&self, likelihood: u32, impact: u32) -> Score {
        let l = likelihood.clamp(1, self.n_likelihood);
        let i = impact.clamp(1, self.n_impact);
        Score {
            likelihood: l,
            impact: i,
            score: l * i,
            level: self.level_table[((l - 1) * self.n_impact + (i - 1)) as usize],
        }
    }

    pub(crate) fn asset_in_scope(&self, asset: usize) -> bool {
        self.asset_in_scope.get(asset).copied().unwrap_or(false)
    }

    /// The control index of a linkable id: its place in the Annex A
    /// catalog (0..93), or for one of the register's own controls the
    /// catalog's length plus its place in `own_controls` (REGISTER.md §5:
    /// risks, actions and `controls[]` may name either). `None` for an id
    /// that is neither (`check` reports it).
    pub fn control_index(&self, id: &str) -> Option<usize> {
        Catalog::annex_a()
            .index_of(id)
            .or_else(|| self.own_index.get(id).copied())
    }

    /// How many control indices there are: the catalog's and the own
    /// controls'.
    pub fn control_count(&self) -> usize {
        self.state_by_control.len()
    }

    /// What the control with index `c` acts on: its ISO/IEC 27002 type for
    /// an Annex A control, its `types` for an own control.
    pub fn control_type(&self, c: usize) -> ControlType {
        let catalog = Catalog::annex_a();
        match catalog.controls().get(c) {
            Some(info) => info.control_type,
            None => self
                .own_types
                .get(c - catalog.len())
                .copied()
                .unwrap_or_default(),
        }
    }

    /// Status and effectiveness of the control with index `c`
    /// (a control not in `controls[]` is NotStarted, 50 %).
    fn state(&self, reg: &Register, c: usize) -> (ControlStatus, u32) {
        match self.state_by_control.get(c).copied().flatten() {
            Some(s) => (
                reg.controls[s].status,
                reg.controls[s].effectiveness.min(100),
            ),
            None => (ControlStatus::NotStarted, DEFAULT_EFFECTIVENESS),
        }
    }
}

fn factor_is_on(factor_on: &HashMap<Id, bool>, factor: &Option<Id>) -> bool {
    match factor {
        None => true,
        Some(f) => factor_on.get(f).copied().unwrap_or(false),
    }
}

/// Level of a (likelihood, impact) pair: the matrix cell when a matrix is
/// given, else the first level whose `up_to` ≥ score.
pub(crate) fn level_of(method: &Method, likelihood: u32, impact: u32) -> Option<usize> {
    if let Some(matrix) = &method.matrix {
        let name = matrix
            .get(likelihood.checked_sub(1)? as usize)?
            .get(impact.checked_sub(1)? as usize)?;
        return method.levels.iter().position(|l| &l.name == name);
    }
    let score = likelihood * impact;
    method.levels.iter().position(|l| l.up_to >= score)
}

/// Marks a reference that names nothing (or, for a factor, no reference).
const NONE: u32 = u32::MAX;
/// A risk's factor that names no factor: the risk counts as out of scope.
const UNKNOWN: u32 = u32::MAX - 1;

/// One risk's inputs with every reference resolved to an index: what a
/// re-evaluation reads instead of the risk itself (44 bytes against the
/// risk's 232 plus its heap-held list of controls), so that re-evaluating
/// 100,000 risks after an environment change streams through a few
/// megabytes that stay in the CPU's cache.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Inputs {
    likelihood: u32,
    impact: u32,
    manual: Option<(u32, u32)>,
    reviewed: Option<NaiveDate>,
    /// Index into `register.threats`, or [`NONE`].
    threat: u32,
    /// Index into `register.assets`, or [`NONE`].
    asset: u32,
    /// Index into `register.factors`, [`NONE`] or [`UNKNOWN`].
    factor: u32,
    /// The linked controls (control indices, see
    /// [`Lookups::control_index`]): `links[first..first + count]`.
    first: u32,
    count: u32,
}

impl Inputs {
    /// Resolves `risk`'s references, appending its controls' indices to
    /// `links`.
    fn resolve(lk: &Lookups, risk: &Risk, links: &mut Vec<u32>) -> Inputs {
        let first = links.len() as u32;
        links.extend(
            risk.controls
                .iter()
                .filter_map(|id| lk.control_index(id))
                .map(|c| c as u32),
        );
        let index = |i: Option<&usize>| i.map_or(NONE, |&i| i as u32);
        Inputs {
            likelihood: risk.likelihood,
            impact: risk.impact,
            manual: risk.residual.as_ref().map(|m| (m.likelihood, m.impact)),
            reviewed: risk.reviewed,
            threat: index(lk.threat_index.get(&risk.threat)),
            asset: index(lk.asset_index.get(&risk.asset)),
            factor: match &risk.factor {
                None => NONE,
                Some(f) => lk.factor_index.get(f).map_or(UNKNOWN, |&i| i as u32),
            },
            first,
            count: links.len() as u32 - first,
        }
    }

    fn controls<'l>(&self, links: &'l [u32]) -> &'l [u32] {
        links
            .get(self.first as usize..(self.first + self.count) as usize)
            .unwrap_or_default()
    }

    /// In scope unless the risk or its asset depends on a factor that is
    /// off (an unknown factor counts as off; `check` reports it).
    fn in_scope(&self, reg: &Register, lk: &Lookups) -> bool {
        let factor_on = match self.factor {
            NONE => true,
            UNKNOWN => false,
            f => reg.factors.get(f as usize).is_some_and(|f| f.on),
        };
        factor_on && (self.asset == NONE || lk.asset_in_scope(self.asset as usize))
    }
}

/// A likelihood after its threat's shift, kept on a scale of
/// `n_likelihood` values. One rule for evaluation and for what a form
/// records as accepted, so the two cannot drift.
pub fn shifted_likelihood(likelihood: u32, shift: i32, n_likelihood: u32) -> u32 {
    (i64::from(likelihood) + i64::from(shift)).clamp(1, i64::from(n_likelihood.max(1))) as u32
}

/// The inherent score evaluation gives `risk` in `reg` (its threat's
/// shift applied, both values on the scales), without evaluating the
/// register: what an acceptance records as accepted, so that a later
/// change to the risk makes the acceptance stale.
pub fn inherent_score(reg: &Register, risk: &Risk) -> u32 {
    let n_likelihood = reg.method.likelihood.len().max(1) as u32;
    let n_impact = reg.method.impact.len().max(1) as u32;
    let shift = reg
        .threats
        .iter()
        .find(|t| t.id == risk.threat)
        .map_or(0, |t| t.shift);
    shifted_likelihood(risk.likelihood, shift, n_likelihood) * risk.impact.clamp(1, n_impact)
}

/// Evaluates one risk (whether or not it is in scope).
pub(crate) fn evaluate_risk(
    reg: &Register,
    lk: &Lookups,
    risk: &Risk,
    today: NaiveDate,
) -> RiskEval {
    let mut links = Vec::new();
    let inputs = Inputs::resolve(lk, risk, &mut links);
    evaluate_inputs(reg, lk, &inputs, &links, today)
}

/// [`evaluate_risk`] on a risk's resolved inputs.
fn evaluate_inputs(
    reg: &Register,
    lk: &Lookups,
    r: &Inputs,
    links: &[u32],
    today: NaiveDate,
) -> RiskEval {
    let shift = reg.threats.get(r.threat as usize).map_or(0, |t| t.shift);
    let l0 = shifted_likelihood(r.likelihood, shift, lk.n_likelihood);
    let inherent = lk.score(l0, r.impact);
    let (l0, i0) = (inherent.likelihood, inherent.impact);
    let p = Products::of(reg, lk, r.controls(links).iter().map(|&c| c as usize));
    let reduce = |x0: u32, p: f64| round_half_up(1.0 + f64::from(x0 - 1) * p);
    let computed = lk.score(reduce(l0, p.likelihood), reduce(i0, p.impact));
    let target = lk.score(reduce(l0, p.target_likelihood), reduce(i0, p.target_impact));
    let (residual, manual) = match r.manual {
        Some((l, i)) => (lk.score(l, i), true),
        None => (computed, false),
    };
    let (next_review, review_out_of_range) = match r.reviewed {
        None => (None, false),
        Some(d) => {
            let days = residual
                .level
                .and_then(|l| reg.method.levels.get(l as usize))
                .map_or(0, |l| l.review_days);
            match dates::add_days(d, days) {
                Some(next) => (Some(next), false),
                None => (None, true),
            }
        }
    };
    // A review after the calendar's end is not overdue (and is a
    // `date-range` error); only a risk never reviewed has no date and is.
    let overdue = !review_out_of_range && next_review.is_none_or(|d| d < today);
    RiskEval {
        inherent,
        residual,
        manual,
        target,
        above_appetite: residual.score > reg.method.appetite,
        next_review,
        review_out_of_range,
        overdue,
    }
}

/// How each linked control of a risk contributes, for explaining a
/// residual (computed on demand for the one risk being shown, not stored
/// for every risk).
pub fn control_effects(reg: &Register, lk: &Lookups, risk: &Risk) -> Vec<ControlEffect> {
    let catalog = Catalog::annex_a();
    risk.controls
        .iter()
        .filter_map(|id| {
            let c = lk.control_index(id)?;
            let (status, effectiveness) = lk.state(reg, c);
            let full = f64::from(effectiveness) / 100.0;
            Some(ControlEffect {
                id: id.clone(),
                own: c >= catalog.len(),
                control_type: lk.control_type(c),
                status,
                effectiveness,
                strength: full * status.factor(),
                target_strength: full,
            })
        })
        .collect()
}

/// The evaluation of a whole register on a given day.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The day the evaluation is for (reviews, overdue, acceptances).
    pub today: NaiveDate,
    /// The lookups the evaluation used, kept for explanations and scope.
    pub lookups: Lookups,
    /// One entry per `register.risks`; `None` when the risk is out of scope.
    pub risks: Vec<Option<RiskEval>>,
    /// Control index (see [`Lookups::control_index`]: the catalog's, then
    /// the own controls') → indices of risks (in or out of scope) linking it.
    pub by_control: Vec<Vec<usize>>,
    /// Threat index → indices of risks with that threat.
    pub by_threat: Vec<Vec<usize>>,
    /// Asset index → indices of risks on that asset.
    pub by_asset: Vec<Vec<usize>>,
    /// The risks are in ascending id order (as they usually are): lists of
    /// risk indices are then sorted by id already. Kept, like the inputs,
    /// so that re-evaluating does not read every risk's id again.
    pub ids_in_order: bool,
    /// Per risk: its inputs with references resolved (see [`Inputs`]).
    inputs: Vec<Inputs>,
    /// The linked controls of every risk, as control indices, back to back.
    links: Vec<u32>,
}

impl Evaluation {
    /// Risk `i`'s evaluation: `None` when it is out of scope (or no such
    /// risk).
    pub fn risk(&self, i: usize) -> Option<&RiskEval> {
        self.risks.get(i).and_then(Option::as_ref)
    }

    /// Evaluates every risk of `reg` as of `today`.
    pub fn new(reg: &Register, today: NaiveDate) -> Evaluation {
        let lookups = Lookups::new(reg);
        let mut by_control = vec![Vec::new(); lookups.control_count()];
        let mut by_threat: Vec<Vec<usize>> = vec![Vec::new(); reg.threats.len()];
        let mut by_asset: Vec<Vec<usize>> = vec![Vec::new(); reg.assets.len()];
        let mut inputs = Vec::with_capacity(reg.risks.len());
        let mut links = Vec::new();
        for (i, risk) in reg.risks.iter().enumerate() {
            let r = Inputs::resolve(&lookups, risk, &mut links);
            for &c in r.controls(&links) {
                let list = &mut by_control[c as usize];
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
            if let Some(list) = by_threat.get_mut(r.threat as usize) {
                list.push(i);
            }
            if let Some(list) = by_asset.get_mut(r.asset as usize) {
                list.push(i);
            }
            inputs.push(r);
        }
        let ids_in_order = reg.risks.windows(2).all(|w| w[0].id <= w[1].id);
        let mut eval = Evaluation {
            today,
            ids_in_order,
            lookups,
            risks: Vec::new(),
            by_control,
            by_threat,
            by_asset,
            inputs,
            links,
        };
        eval.evaluate_all(reg);
        eval
    }

    /// Evaluates every risk again after a change to the environment — a
    /// factor switched, a threat's shift, an asset's scope factor, a
    /// control's state, the method or the day — reusing the resolved
    /// inputs kept since [`Evaluation::new`] instead of reading the register's
    /// risks. Only valid while the lists of risks, assets, threats,
    /// factors and own controls and every risk's references are as they
    /// were (a link holds an own control's place in its list); any other
    /// edit needs [`Evaluation::new`] (or [`Evaluation::update_risk`] for
    /// one risk's scores).
    pub fn reevaluate(&mut self, reg: &Register, today: NaiveDate) {
        self.today = today;
        self.lookups = Lookups::new(reg);
        self.evaluate_all(reg);
    }

    fn evaluate_all(&mut self, reg: &Register) {
        let (lk, links, today) = (&self.lookups, &self.links, self.today);
        self.risks.clear();
        self.risks.extend(self.inputs.iter().map(|r| {
            r.in_scope(reg, lk)
                .then(|| evaluate_inputs(reg, lk, r, links, today))
        }));
    }

    /// Re-reads risk `i` after an edit to its scores, manual residual or
    /// review date (same id, asset, threat, controls and factor) and
    /// evaluates it again; returns its evaluation before and after.
    pub fn update_risk(
        &mut self,
        reg: &Register,
        i: usize,
    ) -> (Option<RiskEval>, Option<RiskEval>) {
        let (Some(risk), Some(slot)) = (reg.risks.get(i), self.inputs.get_mut(i)) else {
            return (None, None);
        };
        let mut links = Vec::new();
        let fresh = Inputs::resolve(&self.lookups, risk, &mut links);
        let before = self.risks.get(i).cloned().flatten();
        if slot.controls(&self.links) == links.as_slice() {
            // The same controls (as the caller's edits keep them): their
            // place stays.
            *slot = Inputs {
                first: slot.first,
                ..fresh
            };
        } else {
            *slot = Inputs {
                first: self.links.len() as u32,
                ..fresh
            };
            self.links.extend(links);
        }
        let r = *slot;
        let after = r
            .in_scope(reg, &self.lookups)
            .then(|| evaluate_inputs(reg, &self.lookups, &r, &self.links, self.today));
        if let Some(e) = self.risks.get_mut(i) {
            *e = after.clone();
        }
        (before, after)
    }

    /// In-scope risks with their evaluation, in register order.
    pub fn in_scope<'r>(
        &'r self,
        reg: &'r Register,
    ) -> impl Iterator<Item = (usize, &'r Risk, &'r RiskEval)> + 'r {
        reg.risks
            .iter()
            .enumerate()
            .filter_map(move |(i, r)| self.risks.get(i)?.as_ref().map(|e| (i, r, e)))
    }
}
