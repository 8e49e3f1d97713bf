//! Deterministic synthetic registers (`riskbench generate`): realistic
//! proportions for trying riskbench at scale and for benchmarks. The same
//! seed always gives the same register, byte for byte once written.
//!
//! A register is made in file order, one entry at a time: [`generate`]
//! collects the entries into a [`Register`], [`write_generated`] writes
//! each one as it is made, so writing takes the same memory for ten risks
//! as for ten million. Both draw the same numbers in the same order and
//! write through the same canonical writer, so their bytes are identical.

use std::cell::Cell;
use std::io;

use chrono::{Days, NaiveDate};

use super::canonical::{Parts, write_canonical};
use super::catalog::{Catalog, ControlInfo};
use super::model::*;

/// The most risks `riskbench generate` writes: about 5 GB of text. Larger
/// counts are refused up front rather than filling a disk for hours.
pub const MAX_RISKS: usize = 10_000_000;

/// Threats in every generated register.
const N_THREATS: usize = 300;

/// splitmix64: tiny, fast and stable across platforms and versions, which
/// a general-purpose RNG crate does not promise. The state is a `Cell` so
/// that the lazily made lists of [`write_generated`] can share it; they
/// are drawn from strictly one after the other, in file order.
struct Rng(Cell<u64>);

impl Rng {
    fn next(&self) -> u64 {
        self.0.set(self.0.get().wrapping_add(0x9e37_79b9_7f4a_7c15));
        let mut z = self.0.get();
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const ADJECTIVES: [&str; 12] = [
    "Unpatched",
    "Misconfigured",
    "Legacy",
    "Shared",
    "Exposed",
    "Unmonitored",
    "Outsourced",
    "Critical",
    "Customer-facing",
    "Internal",
    "Backup",
    "Remote",
];
const THINGS: [&str; 12] = [
    "database",
    "web application",
    "file server",
    "payment service",
    "laptop fleet",
    "HR system",
    "CI pipeline",
    "data warehouse",
    "mail gateway",
    "VPN",
    "CRM",
    "API gateway",
];
const THREATS: [&str; 15] = [
    "Ransomware",
    "Phishing",
    "Insider misuse",
    "Supplier compromise",
    "DDoS",
    "Data leakage",
    "Credential stuffing",
    "Misconfiguration",
    "Hardware failure",
    "Power outage",
    "Software vulnerability",
    "Social engineering",
    "Theft",
    "Fire",
    "Espionage",
];
const OWNERS: [&str; 10] = [
    "CISO",
    "CTO",
    "CFO",
    "COO",
    "Head of IT",
    "DPO",
    "SRE lead",
    "Head of HR",
    "Legal counsel",
    "Head of Data",
];
const KINDS: [AssetKind; 9] = AssetKind::ALL;

/// Makes the entries of one generated register, in file order.
struct Gen {
    rng: Rng,
    /// The controls risks link: every one but the premises ones (7.1–7.4):
    /// the generated organisation has no premises, and 7.4 is excluded by
    /// a decision.
    ids: Vec<&'static str>,
    n_assets: usize,
    base: NaiveDate,
}

impl Gen {
    fn new(risks: usize, seed: u64) -> Gen {
        let ids = Catalog::annex_a()
            .controls()
            .iter()
            .map(|c| c.id.as_str())
            .filter(|id| !["7.1", "7.2", "7.3", "7.4"].contains(id))
            .collect();
        Gen {
            rng: Rng(Cell::new(seed ^ 0x005e_ed0f_7215_b0c4)),
            ids,
            n_assets: (risks / 20).max(1),
            base: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
        }
    }

    fn day(&self, n: u64) -> NaiveDate {
        self.base
            .checked_add_days(Days::new(n))
            .unwrap_or(self.base)
    }

    fn asset(&self, i: usize) -> Asset {
        let rng = &self.rng;
        Asset {
            id: asset_id(i),
            name: format!("{} {} {}", rng.pick(&ADJECTIVES), rng.pick(&THINGS), i + 1),
            kind: *rng.pick(&KINDS),
            owner: rng.pick(&OWNERS).to_string(),
            // About 2% of assets sit on premises, which are out of scope.
            factor: (rng.below(50) == 0).then(|| "premises".into()),
        }
    }

    fn threat(&self, i: usize) -> Threat {
        let rng = &self.rng;
        Threat {
            source: String::new(),
            id: threat_id(i),
            name: format!("{} variant {}", rng.pick(&THREATS), i + 1),
            shift: [0, 0, 0, 0, 1, -1][rng.below(6) as usize],
        }
    }

    fn risk(&self, i: usize) -> Risk {
        let rng = &self.rng;
        let treatments = Treatment::ALL;
        let n_controls = rng.below(6) as usize;
        let mut controls: Vec<Id> = Vec::with_capacity(n_controls);
        while controls.len() < n_controls {
            let c = Id::from(*rng.pick(&self.ids));
            if !controls.contains(&c) {
                controls.push(c);
            }
        }
        let treatment = if controls.is_empty() {
            treatments[1 + rng.below(3) as usize]
        } else {
            treatments[if rng.below(10) < 8 {
                0
            } else {
                rng.below(4) as usize
            }]
        };
        Risk {
            cia: Vec::new(),
            notes: Vec::new(),
            id: format!("R-{:06}", i + 1).into(),
            title: format!(
                "{} hits the {} {}",
                rng.pick(&THREATS),
                rng.pick(&ADJECTIVES).to_lowercase(),
                rng.pick(&THINGS)
            ),
            asset: asset_id(rng.below(self.n_assets as u64) as usize),
            threat: threat_id(rng.below(N_THREATS as u64) as usize),
            vulnerability: String::new(),
            likelihood: 1 + rng.below(5) as u32,
            impact: 1 + rng.below(5) as u32,
            treatment,
            controls,
            owner: rng.pick(&OWNERS).to_string(),
            reviewed: Some(self.day(200 + rng.below(130))),
            due: (rng.below(3) == 0).then(|| self.day(400 + rng.below(300))),
            residual: None,
            acceptance: None,
            factor: None,
        }
    }

    fn control(&self, c: &ControlInfo) -> ControlState {
        let rng = &self.rng;
        let statuses = ControlStatus::ALL;
        ControlState {
            evidence: Vec::new(),
            id: c.id.as_str().into(),
            status: statuses[rng.below(4) as usize],
            effectiveness: 40 + 5 * rng.below(11) as u32,
            owner: rng.pick(&OWNERS).to_string(),
            note: String::new(),
        }
    }
}

fn asset_id(i: usize) -> Id {
    format!("A-{:05}", i + 1).into()
}

fn threat_id(i: usize) -> Id {
    format!("T-{:03}", i + 1).into()
}

/// A register with `risks` risks, about `risks / 20` assets and 300 threats.
/// Holds the whole register in memory: for writing a large one, use
/// [`write_generated`].
pub fn generate(risks: usize, seed: u64) -> Register {
    let g = Gen::new(risks, seed);
    let mut reg = rest(risks, seed);
    reg.assets = (0..g.n_assets).map(|i| g.asset(i)).collect();
    reg.threats = (0..N_THREATS).map(|i| g.threat(i)).collect();
    reg.risks = (0..risks).map(|i| g.risk(i)).collect();
    reg.controls = Catalog::annex_a()
        .controls()
        .iter()
        .map(|c| g.control(c))
        .collect();
    reg
}

/// What a generated action does (a verb before the thing it treats).
const ACTION_VERBS: [&str; 8] = [
    "Patch",
    "Harden",
    "Monitor",
    "Back up",
    "Segment",
    "Review access to",
    "Encrypt",
    "Test recovery of",
];

/// Appends `actions` deterministic actions to `reg`'s plan (ids `ACT-00001`
/// on, after those it has): each lists 1–3 of its risks and 0–2 of the
/// controls those risks link; statuses are spread over all four (about 35 %
/// Open, 30 % InProgress, 25 % Done, 10 % Cancelled) and due dates over
/// 2026-09 to 2027-12, so some open ones are overdue on 2026-12-01; most
/// carry effort and cost. For benchmarking the plan at scale. A register
/// without risks gets no actions (an action must list one).
pub fn with_plan(reg: &mut Register, actions: usize, seed: u64) {
    if reg.risks.is_empty() {
        return;
    }
    let rng = Rng(Cell::new(seed ^ 0x0a17_0915_9a11_0000));
    let start = reg.actions.len();
    let base = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default();
    let day = |n: u64| base.checked_add_days(Days::new(n)).unwrap_or(base);
    reg.actions.reserve(actions);
    for k in 0..actions {
        let mut picked: Vec<usize> = Vec::with_capacity(3);
        for _ in 0..1 + rng.below(3) {
            let r = rng.below(reg.risks.len() as u64) as usize;
            if !picked.contains(&r) {
                picked.push(r);
            }
        }
        let risks: Vec<Id> = picked.iter().map(|&r| reg.risks[r].id.clone()).collect();
        let linked: Vec<&Id> = picked
            .iter()
            .flat_map(|&r| &reg.risks[r].controls)
            .collect();
        let mut controls: Vec<Id> = Vec::new();
        if !linked.is_empty() {
            for _ in 0..rng.below(3) {
                let c = *rng.pick(&linked);
                if !controls.contains(c) {
                    controls.push(c.clone());
                }
            }
        }
        let status = match rng.below(20) {
            0..7 => ActionStatus::Open,
            7..13 => ActionStatus::InProgress,
            13..18 => ActionStatus::Done,
            _ => ActionStatus::Cancelled,
        };
        let due = day(rng.below(485));
        reg.actions.push(Action {
            id: format!("ACT-{:05}", start + k + 1).into(),
            title: format!(
                "{} the {} {}",
                rng.pick(&ACTION_VERBS),
                rng.pick(&ADJECTIVES).to_lowercase(),
                rng.pick(&THINGS)
            ),
            risks,
            controls,
            owner: rng.pick(&OWNERS).to_string(),
            due: (rng.below(10) != 0).then_some(due),
            status,
            done_on: (status == ActionStatus::Done).then(|| day(rng.below(90))),
            effort_days: (rng.below(10) != 0).then(|| 1 + rng.below(30) as u32),
            cost: (rng.below(5) != 0).then(|| 500 * (1 + rng.below(40))),
            note: String::new(),
        });
    }
}

/// What [`write_generated`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    /// Risks written.
    pub risks: usize,
    /// Assets written.
    pub assets: usize,
    /// Threats written.
    pub threats: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Writes `to_canonical(&generate(risks, seed))` to `out`, byte for byte,
/// making each entry just before it is written: memory stays the same
/// whatever the count (zero risks is a valid, empty register).
pub fn write_generated(risks: usize, seed: u64, out: impl io::Write) -> io::Result<Generated> {
    let g = Gen::new(risks, seed);
    let rest = rest(risks, seed);
    let catalog = Catalog::annex_a();
    let parts = Parts {
        rest: &rest,
        assets: (0..g.n_assets).map(|i| g.asset(i)),
        threats: (0..N_THREATS).map(|i| g.threat(i)),
        risks: (0..risks).map(|i| g.risk(i)),
        controls: catalog.controls().iter().map(|c| g.control(c)),
    };
    let bytes = write_canonical(parts, out)?;
    Ok(Generated {
        risks,
        assets: g.n_assets,
        threats: N_THREATS,
        bytes,
    })
}

/// Everything but the assets, threats, risks and control states, which
/// are left empty: none of it draws a random number.
fn rest(risks: usize, seed: u64) -> Register {
    let factors = vec![
        Factor {
            id: "cloud".into(),
            label: "Uses cloud services".into(),
            on: true,
            requires: vec!["5.23".into()],
        },
        Factor {
            id: "remote".into(),
            label: "Remote working".into(),
            on: true,
            requires: vec!["6.7".into(), "8.1".into()],
        },
        Factor {
            id: "devel".into(),
            label: "Develops software".into(),
            on: true,
            requires: vec!["8.25".into(), "8.28".into(), "8.29".into()],
        },
        Factor {
            id: "premises".into(),
            label: "Operates its own premises".into(),
            on: false,
            requires: vec!["7.1".into(), "7.2".into(), "7.3".into(), "7.4".into()],
        },
    ];
    let decisions = vec![
        Decision {
            control: "7.4".into(),
            applicable: false,
            reason: "No own premises".into(),
        },
        Decision {
            control: "5.31".into(),
            applicable: true,
            reason: "Legal: GDPR".into(),
        },
    ];
    Register {
        schema: SCHEMA_VERSION,
        name: format!("Generated register ({risks} risks, seed {seed})"),
        scope: "Synthetic data for trying riskbench at scale".into(),
        method: Method {
            evidence_days: None,
            impact_criteria: Vec::new(),
            likelihood_criteria: Vec::new(),
            likelihood: ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
                .map(String::from)
                .to_vec(),
            impact: ["Negligible", "Minor", "Moderate", "Major", "Severe"]
                .map(String::from)
                .to_vec(),
            levels: vec![
                Level {
                    accept_by: Vec::new(),
                    name: "Low".into(),
                    up_to: 4,
                    review_days: 365,
                },
                Level {
                    accept_by: Vec::new(),
                    name: "Medium".into(),
                    up_to: 9,
                    review_days: 180,
                },
                Level {
                    accept_by: Vec::new(),
                    name: "High".into(),
                    up_to: 16,
                    review_days: 90,
                },
                Level {
                    accept_by: Vec::new(),
                    name: "Critical".into(),
                    up_to: 25,
                    review_days: 30,
                },
            ],
            matrix: None,
            appetite: 9,
        },
        factors,
        assets: Vec::new(),
        threats: Vec::new(),
        risks: Vec::new(),
        controls: Vec::new(),
        decisions,
        own_controls: Vec::new(),
        actions: Vec::new(),
        plan_approval: None,
        conflicts: Vec::new(),
        baselines: Vec::new(),
        history: Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failure here is a failing test
mod tests {
    use super::*;
    use crate::domain::Analysis;
    use crate::domain::plan::action_overdue;

    #[test]
    fn with_plan_is_deterministic_and_lists_only_what_exists() {
        let make = || {
            let mut reg = generate(300, 7);
            with_plan(&mut reg, 200, 7);
            reg
        };
        let reg = make();
        assert_eq!(reg, make(), "the same seed gives the same plan");
        assert_eq!(reg.actions.len(), 200);
        assert_eq!(reg.actions[0].id, "ACT-00001");
        for a in &reg.actions {
            assert!((1..=3).contains(&a.risks.len()), "{a:?}");
            assert!(a.controls.len() <= 2, "{a:?}");
            let linked: Vec<&Id> = reg
                .risks
                .iter()
                .filter(|r| a.risks.contains(&r.id))
                .flat_map(|r| &r.controls)
                .collect();
            assert_eq!(
                reg.risks.iter().filter(|r| a.risks.contains(&r.id)).count(),
                a.risks.len(),
                "every risk exists, once: {a:?}"
            );
            assert!(a.controls.iter().all(|c| linked.contains(&c)), "{a:?}");
            assert_eq!(a.done_on.is_some(), a.status == ActionStatus::Done);
        }
        for s in ActionStatus::ALL {
            assert!(reg.actions.iter().any(|a| a.status == s), "{s:?}");
        }
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert!(reg.actions.iter().any(|a| action_overdue(a, today)));
        let costed = reg.actions.iter().filter(|a| a.cost.is_some()).count();
        let effort = reg
            .actions
            .iter()
            .filter(|a| a.effort_days.is_some())
            .count();
        assert!(costed > 100 && effort > 100, "{costed} {effort}");
        assert!(!Analysis::new(&reg, today).has_errors());
        // No risks, no actions.
        let mut empty = generate(0, 1);
        with_plan(&mut empty, 10, 1);
        assert!(empty.actions.is_empty());
    }
}
