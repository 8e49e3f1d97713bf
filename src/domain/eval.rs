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

use chrono::{Days, NaiveDate};

use super::catalog::{Catalog, ControlType};
use super::model::{ControlStatus, DEFAULT_EFFECTIVENESS, Id, Method, Register, Risk};

/// `round(x) = floor(x + 0.5 + 1e-9)`: half up, with a tolerance against
/// binary fractions such as 2.4999999999.
pub fn round_half_up(x: f64) -> u32 {
    let r = (x + 0.5 + 1e-9).floor();
    if r < 0.0 { 0 } else { r as u32 }
}

/// A (likelihood, impact) pair with its score and level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub likelihood: u32,
    pub impact: u32,
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
    pub id: Id,
    pub control_type: ControlType,
    pub status: ControlStatus,
    pub effectiveness: u32,
    /// `s_c` for the current residual.
    pub strength: f64,
    /// `s_c` for the target residual (status taken as fully implemented).
    pub target_strength: f64,
}

/// The evaluation of one in-scope risk.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskEval {
    pub inherent: Score,
    pub residual: Score,
    /// The current residual is the risk's manual `residual`.
    pub manual: bool,
    pub target: Score,
    pub above_appetite: bool,
    pub next_review: Option<NaiveDate>,
    pub overdue: bool,
}

/// The products `pL` and `pI` over a risk's linked controls (spec §2.3),
/// for the current and the target residual. Computed on demand for the
/// risk being explained rather than stored for every risk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Products {
    pub likelihood: f64,
    pub impact: f64,
    pub target_likelihood: f64,
    pub target_impact: f64,
}

impl Products {
    fn of(reg: &Register, lk: &Lookups, controls: impl Iterator<Item = usize>) -> Products {
        let catalog = Catalog::annex_a();
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
            let ty = catalog.controls()[c].control_type;
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
    let catalog = Catalog::annex_a();
    Products::of(
        reg,
        lk,
        risk.controls.iter().filter_map(|id| catalog.index_of(id)),
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
    pub asset_index: HashMap<Id, usize>,
    pub threat_index: HashMap<Id, usize>,
    pub factor_on: HashMap<Id, bool>,
    /// Per asset (by index): whether it is in scope, decided once per
    /// evaluation instead of once per risk.
    asset_in_scope: Vec<bool>,
    /// Control id → index into `register.controls` (first entry wins).
    pub control_state: HashMap<Id, usize>,
    /// The same by catalog index: the hot path of evaluation.
    state_by_control: Vec<Option<usize>>,
    /// Level of every (L, I), row-major, `n_impact` cells per row.
    level_table: Vec<Option<u32>>,
    n_likelihood: u32,
    n_impact: u32,
}

impl Lookups {
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
        for f in &reg.factors {
            factor_on.entry(f.id.clone()).or_insert(f.on);
        }
        let asset_in_scope = reg
            .assets
            .iter()
            .map(|a| factor_is_on(&factor_on, &a.factor))
            .collect();
        let mut control_state =
            HashMap::with_capacity_and_hasher(reg.controls.len(), Default::default());
        let catalog = Catalog::annex_a();
        let mut state_by_control = vec![None; catalog.len()];
        for (i, c) in reg.controls.iter().enumerate() {
            control_state.entry(c.id.clone()).or_insert(i);
            if let Some(k) = catalog.index_of(&c.id) {
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
            control_state,
            asset_in_scope,
            state_by_control,
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

    /// A risk is in scope unless it or its asset depends on a factor that is
    /// off (an unknown factor counts as off; `check` reports it).
    pub fn in_scope(&self, risk: &Risk) -> bool {
        self.in_scope_resolved(risk, self.asset_index.get(&risk.asset).copied())
    }

    /// [`Lookups::in_scope`] with the risk's asset already looked up.
    fn in_scope_resolved(&self, risk: &Risk, asset: Option<usize>) -> bool {
        factor_is_on(&self.factor_on, &risk.factor)
            && asset.is_none_or(|a| self.asset_in_scope.get(a).copied().unwrap_or(false))
    }

    pub fn asset_in_scope(&self, asset: usize) -> bool {
        self.asset_in_scope.get(asset).copied().unwrap_or(false)
    }

    /// Status and effectiveness of the catalog control with index `c`
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
pub fn level_of(method: &Method, likelihood: u32, impact: u32) -> Option<usize> {
    if let Some(matrix) = &method.matrix {
        let name = matrix
            .get(likelihood.checked_sub(1)? as usize)?
            .get(impact.checked_sub(1)? as usize)?;
        return method.levels.iter().position(|l| &l.name == name);
    }
    let score = likelihood * impact;
    method.levels.iter().position(|l| l.up_to >= score)
}

/// Evaluates one risk (whether or not it is in scope).
pub fn evaluate_risk(reg: &Register, lk: &Lookups, risk: &Risk, today: NaiveDate) -> RiskEval {
    let catalog = Catalog::annex_a();
    let controls: Vec<u16> = risk
        .controls
        .iter()
        .filter_map(|id| catalog.index_of(id))
        .map(|c| c as u16)
        .collect();
    let threat = lk.threat_index.get(&risk.threat).copied();
    evaluate_resolved(reg, lk, risk, threat, &controls, today)
}

/// [`evaluate_risk`] with the risk's threat and linked controls (catalog
/// indices) already looked up: a full evaluation resolves every reference
/// once per risk.
fn evaluate_resolved(
    reg: &Register,
    lk: &Lookups,
    risk: &Risk,
    threat: Option<usize>,
    controls: &[u16],
    today: NaiveDate,
) -> RiskEval {
    let shift = threat.map_or(0, |t| reg.threats[t].shift);
    let l0 =
        (i64::from(risk.likelihood) + i64::from(shift)).clamp(1, i64::from(lk.n_likelihood)) as u32;
    let inherent = lk.score(l0, risk.impact);
    let (l0, i0) = (inherent.likelihood, inherent.impact);
    let p = Products::of(reg, lk, controls.iter().map(|&c| usize::from(c)));
    let reduce = |x0: u32, p: f64| round_half_up(1.0 + f64::from(x0 - 1) * p);
    let computed = lk.score(reduce(l0, p.likelihood), reduce(i0, p.impact));
    let target = lk.score(reduce(l0, p.target_likelihood), reduce(i0, p.target_impact));
    let (residual, manual) = match &risk.residual {
        Some(m) => (lk.score(m.likelihood, m.impact), true),
        None => (computed, false),
    };
    let next_review = risk.reviewed.and_then(|r| {
        let days = residual
            .level
            .and_then(|l| reg.method.levels.get(l as usize))
            .map_or(0, |l| l.review_days);
        r.checked_add_days(Days::new(u64::from(days)))
    });
    let overdue = next_review.is_none_or(|d| d < today);
    RiskEval {
        inherent,
        residual,
        manual,
        target,
        above_appetite: residual.score > reg.method.appetite,
        next_review,
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
            let c = catalog.index_of(id)?;
            let (status, effectiveness) = lk.state(reg, c);
            let full = f64::from(effectiveness) / 100.0;
            Some(ControlEffect {
                id: id.clone(),
                control_type: catalog.controls()[c].control_type,
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
    pub today: NaiveDate,
    pub lookups: Lookups,
    /// One entry per `register.risks`; `None` when the risk is out of scope.
    pub risks: Vec<Option<RiskEval>>,
    /// Catalog index → indices of risks (in or out of scope) linking it.
    pub by_control: Vec<Vec<usize>>,
    /// Threat index → indices of risks with that threat.
    pub by_threat: Vec<Vec<usize>>,
    /// Asset index → indices of risks on that asset.
    pub by_asset: Vec<Vec<usize>>,
}

impl Evaluation {
    pub fn new(reg: &Register, today: NaiveDate) -> Evaluation {
        let lookups = Lookups::new(reg);
        let catalog = Catalog::annex_a();
        let mut by_control = vec![Vec::new(); catalog.len()];
        let mut by_threat: Vec<Vec<usize>> = vec![Vec::new(); reg.threats.len()];
        let mut by_asset: Vec<Vec<usize>> = vec![Vec::new(); reg.assets.len()];
        let mut risks = Vec::with_capacity(reg.risks.len());
        // Each reference is looked up once per risk; `controls` is reused.
        let mut controls: Vec<u16> = Vec::new();
        for (i, risk) in reg.risks.iter().enumerate() {
            controls.clear();
            for id in &risk.controls {
                if let Some(c) = catalog.index_of(id) {
                    controls.push(c as u16);
                    let list = &mut by_control[c];
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
            let threat = lookups.threat_index.get(&risk.threat).copied();
            if let Some(t) = threat {
                by_threat[t].push(i);
            }
            let asset = lookups.asset_index.get(&risk.asset).copied();
            if let Some(a) = asset {
                by_asset[a].push(i);
            }
            risks.push(
                lookups
                    .in_scope_resolved(risk, asset)
                    .then(|| evaluate_resolved(reg, &lookups, risk, threat, &controls, today)),
            );
        }
        Evaluation {
            today,
            lookups,
            risks,
            by_control,
            by_threat,
            by_asset,
        }
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
