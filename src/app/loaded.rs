//! The register as loaded, kept so the Changes view can explain what
//! changed since — at a fraction of the register's memory.
//!
//! Explanations compare one risk's inputs then and now (scores, threat and
//! its shift, linked controls and their state, scope factors, manual
//! residual) and a control's state and decision. So everything but the
//! risks is kept as a [`Register`] with the free text left out (small: a
//! few thousand assets at most), and each risk only as a [`LoadedRisk`]
//! with its references as indices: about 100 bytes a risk (its controls
//! as one byte each) instead of the 300 a full copy takes, which matters at
//! 100,000 risks.

use crate::domain::{Asset, Catalog, ControlState, Id, ManualResidual, Register, Risk, Treatment};

/// What decides one risk's evaluation, as loaded. References are indices
/// into the kept lists ([`NONE`] when the reference named nothing).
#[derive(Debug, Clone, PartialEq)]
struct LoadedRisk {
    id: Id,
    asset: u32,
    threat: u32,
    /// Index into `factors`, or [`NONE`] for no factor.
    factor: u32,
    likelihood: u32,
    impact: u32,
    treatment: Treatment,
    manual: Option<(u32, u32)>,
    /// Linked controls as catalog indices.
    controls: Box<[u8]>,
    /// The references that named nothing, verbatim (rare: `check` reports
    /// them as errors), so an explanation can still name them.
    unknown: Option<Box<Unknown>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Unknown {
    asset: Option<Id>,
    threat: Option<Id>,
    factor: Option<Id>,
    controls: Vec<Id>,
}

const NONE: u32 = u32::MAX;

/// The register as loaded, reduced to what explanations need.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    rest: Register,
    /// Sorted by id (a stable sort: of duplicate ids the first comes first).
    risks: Vec<LoadedRisk>,
}

impl Loaded {
    pub fn new(reg: &Register) -> Loaded {
        let catalog = Catalog::annex_a();
        // Index maps for the lists a risk refers to (first entry wins, as
        // in evaluation).
        let index = |ids: &mut dyn Iterator<Item = &Id>| {
            let mut map = rustc_hash::FxHashMap::default();
            for (i, id) in ids.enumerate() {
                map.entry(id.clone()).or_insert(i as u32);
            }
            map
        };
        let assets = index(&mut reg.assets.iter().map(|a| &a.id));
        let threats = index(&mut reg.threats.iter().map(|t| &t.id));
        let factors = index(&mut reg.factors.iter().map(|f| &f.id));
        let mut risks: Vec<LoadedRisk> = reg
            .risks
            .iter()
            .map(|r| {
                let mut unknown = Unknown::default();
                let asset = assets.get(&r.asset).copied().unwrap_or_else(|| {
                    unknown.asset = Some(r.asset.clone());
                    NONE
                });
                let threat = threats.get(&r.threat).copied().unwrap_or_else(|| {
                    unknown.threat = Some(r.threat.clone());
                    NONE
                });
                let factor = match &r.factor {
                    None => NONE,
                    Some(f) => factors.get(f).copied().unwrap_or_else(|| {
                        unknown.factor = Some(f.clone());
                        NONE
                    }),
                };
                let mut controls = Vec::with_capacity(r.controls.len());
                for c in &r.controls {
                    match catalog.index_of(c) {
                        Some(k) => controls.push(k as u8),
                        None => unknown.controls.push(c.clone()),
                    }
                }
                LoadedRisk {
                    id: r.id.clone(),
                    asset,
                    threat,
                    factor,
                    likelihood: r.likelihood,
                    impact: r.impact,
                    treatment: r.treatment,
                    manual: r.residual.as_ref().map(|m| (m.likelihood, m.impact)),
                    controls: controls.into_boxed_slice(),
                    unknown: (unknown != Unknown::default()).then(|| Box::new(unknown)),
                }
            })
            .collect();
        risks.sort_by(|a, b| a.id.cmp(&b.id));
        let rest = Register {
            schema: reg.schema,
            name: reg.name.clone(),
            scope: String::new(),
            method: reg.method.clone(),
            factors: reg.factors.clone(),
            assets: reg
                .assets
                .iter()
                .map(|a| Asset {
                    id: a.id.clone(),
                    name: String::new(),
                    kind: a.kind,
                    owner: String::new(),
                    factor: a.factor.clone(),
                })
                .collect(),
            threats: reg.threats.clone(),
            risks: Vec::new(),
            controls: reg
                .controls
                .iter()
                .map(|c| ControlState {
                    id: c.id.clone(),
                    status: c.status,
                    effectiveness: c.effectiveness,
                    owner: String::new(),
                    note: String::new(),
                })
                .collect(),
            decisions: reg.decisions.clone(),
            baseline: None,
            history: Vec::new(),
        };
        Loaded { rest, risks }
    }

    /// Everything but the risks, as loaded (what explaining a control's
    /// change needs).
    pub fn register(&self) -> &Register {
        &self.rest
    }

    /// The register as loaded holding only risk `id` (if it existed):
    /// what explaining that risk's change needs.
    pub fn with_risk(&self, id: &str) -> Register {
        let mut reg = self.rest.clone();
        let at = self.risks.partition_point(|r| r.id.as_str() < id);
        if let Some(r) = self.risks.get(at).filter(|r| r.id == id) {
            reg.risks.push(self.to_risk(r));
        }
        reg
    }

    fn to_risk(&self, r: &LoadedRisk) -> Risk {
        let catalog = Catalog::annex_a();
        let unknown = r.unknown.as_deref();
        let named = |i: u32, ids: &mut dyn Iterator<Item = &Id>, fallback: Option<&Id>| -> Id {
            match i {
                NONE => fallback.cloned().unwrap_or_default(),
                i => ids.nth(i as usize).cloned().unwrap_or_default(),
            }
        };
        let mut controls: Vec<Id> = r
            .controls
            .iter()
            .filter_map(|&k| catalog.controls().get(usize::from(k)))
            .map(|c| c.id.clone())
            .collect();
        controls.extend(unknown.iter().flat_map(|u| u.controls.iter().cloned()));
        Risk {
            id: r.id.clone(),
            title: String::new(),
            asset: named(
                r.asset,
                &mut self.rest.assets.iter().map(|a| &a.id),
                unknown.and_then(|u| u.asset.as_ref()),
            ),
            threat: named(
                r.threat,
                &mut self.rest.threats.iter().map(|t| &t.id),
                unknown.and_then(|u| u.threat.as_ref()),
            ),
            vulnerability: String::new(),
            likelihood: r.likelihood,
            impact: r.impact,
            treatment: r.treatment,
            controls,
            owner: String::new(),
            reviewed: None,
            due: None,
            residual: r.manual.map(|(likelihood, impact)| {
                Box::new(ManualResidual {
                    likelihood,
                    impact,
                    note: String::new(),
                })
            }),
            acceptance: None,
            factor: match r.factor {
                NONE => unknown.and_then(|u| u.factor.clone()),
                i => self.rest.factors.get(i as usize).map(|f| f.id.clone()),
            },
        }
    }
}
