//! Deterministic synthetic registers (`riskbench generate`): realistic
//! proportions for trying riskbench at scale and for benchmarks. The same
//! seed always gives the same register, byte for byte once written.

use chrono::{Days, NaiveDate};

use super::catalog::Catalog;
use super::model::*;

/// splitmix64: tiny, fast and stable across platforms and versions, which
/// a general-purpose RNG crate does not promise.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
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

/// A register with `risks` risks, about `risks / 20` assets and 300 threats.
pub fn generate(risks: usize, seed: u64) -> Register {
    let mut rng = Rng(seed ^ 0x005e_ed0f_7215_b0c4);
    let catalog = Catalog::annex_a();
    // Every control but the premises ones (7.1–7.4): the generated
    // organisation has no premises, and 7.4 is excluded by a decision.
    let ids: Vec<&str> = catalog
        .controls()
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| !["7.1", "7.2", "7.3", "7.4"].contains(id))
        .collect();
    let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let day = |n: u64| base.checked_add_days(Days::new(n)).unwrap_or(base);

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
    let n_assets = (risks / 20).max(1);
    let assets: Vec<Asset> = (0..n_assets)
        .map(|i| Asset {
            id: format!("A-{:05}", i + 1).into(),
            name: format!("{} {} {}", rng.pick(&ADJECTIVES), rng.pick(&THINGS), i + 1),
            kind: *rng.pick(&KINDS),
            owner: rng.pick(&OWNERS).to_string(),
            // About 2% of assets sit on premises, which are out of scope.
            factor: (rng.below(50) == 0).then(|| "premises".into()),
        })
        .collect();
    let threats: Vec<Threat> = (0..300)
        .map(|i| Threat {
            id: format!("T-{:03}", i + 1).into(),
            name: format!("{} variant {}", rng.pick(&THREATS), i + 1),
            shift: [0, 0, 0, 0, 1, -1][rng.below(6) as usize],
        })
        .collect();
    let treatments = Treatment::ALL;
    let risks: Vec<Risk> = (0..risks)
        .map(|i| {
            let n_controls = rng.below(6) as usize;
            let mut controls: Vec<Id> = Vec::with_capacity(n_controls);
            while controls.len() < n_controls {
                let c = Id::from(*rng.pick(&ids));
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
                id: format!("R-{:06}", i + 1).into(),
                title: format!(
                    "{} hits the {} {}",
                    rng.pick(&THREATS),
                    rng.pick(&ADJECTIVES).to_lowercase(),
                    rng.pick(&THINGS)
                ),
                asset: assets[rng.below(n_assets as u64) as usize].id.clone(),
                threat: threats[rng.below(300) as usize].id.clone(),
                vulnerability: String::new(),
                likelihood: 1 + rng.below(5) as u32,
                impact: 1 + rng.below(5) as u32,
                treatment,
                controls,
                owner: rng.pick(&OWNERS).to_string(),
                reviewed: Some(day(200 + rng.below(130))),
                due: (rng.below(3) == 0).then(|| day(400 + rng.below(300))),
                residual: None,
                acceptance: None,
                factor: None,
            }
        })
        .collect();
    let statuses = ControlStatus::ALL;
    let controls: Vec<ControlState> = catalog
        .controls()
        .iter()
        .map(|c| c.id.as_str())
        .map(|id| ControlState {
            id: id.into(),
            status: statuses[rng.below(4) as usize],
            effectiveness: 40 + 5 * rng.below(11) as u32,
            owner: rng.pick(&OWNERS).to_string(),
            note: String::new(),
        })
        .collect();
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
        name: format!("Generated register ({} risks, seed {seed})", risks.len()),
        scope: "Synthetic data for trying riskbench at scale".into(),
        method: Method {
            likelihood: ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
                .map(String::from)
                .to_vec(),
            impact: ["Negligible", "Minor", "Moderate", "Major", "Severe"]
                .map(String::from)
                .to_vec(),
            levels: vec![
                Level {
                    name: "Low".into(),
                    up_to: 4,
                    review_days: 365,
                },
                Level {
                    name: "Medium".into(),
                    up_to: 9,
                    review_days: 180,
                },
                Level {
                    name: "High".into(),
                    up_to: 16,
                    review_days: 90,
                },
                Level {
                    name: "Critical".into(),
                    up_to: 25,
                    review_days: 30,
                },
            ],
            matrix: None,
            appetite: 9,
        },
        factors,
        assets,
        threats,
        risks,
        controls,
        decisions,
        baseline: None,
        history: Vec::new(),
    }
}
