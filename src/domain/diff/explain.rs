//! Why a risk's score or a control's SoA entry differs between two
//! registers, one sentence per changed input.

use crate::domain::analysis::Analysis;
use crate::domain::catalog::Catalog;
use crate::domain::model::{ControlStatus, Id, Register};

/// Why a risk's evaluation differs between two registers: the inputs that
/// changed (scores, threat shift, linked controls and their state, scope,
/// manual residual), one sentence each.
pub fn explain_risk(old: &Register, new: &Register, id: &str) -> Vec<String> {
    let find = |reg: &'_ Register| reg.risks.iter().find(|r| r.id == id).cloned();
    let (before, after) = (find(old), find(new));
    let mut why = Vec::new();
    let (b, a) = match (before, after) {
        (None, Some(_)) => {
            why.push(format!("{id} is new in this register"));
            return why;
        }
        (Some(_), None) => {
            why.push(format!("{id} was deleted"));
            return why;
        }
        (None, None) => return why,
        (Some(b), Some(a)) => (b, a),
    };
    if b.likelihood != a.likelihood {
        why.push(format!(
            "likelihood set from {} to {}",
            b.likelihood, a.likelihood
        ));
    }
    if b.impact != a.impact {
        why.push(format!("impact set from {} to {}", b.impact, a.impact));
    }
    let shift = |reg: &Register, t: &str| {
        reg.threats
            .iter()
            .find(|x| x.id == t)
            .map_or(0, |x| x.shift)
    };
    let (sb, sa) = (shift(old, &b.threat), shift(new, &a.threat));
    if b.threat != a.threat {
        why.push(format!("threat changed from {} to {}", b.threat, a.threat));
    } else if sb != sa {
        why.push(format!(
            "threat {} shift changed from {sb:+} to {sa:+} (threat intelligence)",
            a.threat
        ));
    }
    for c in &a.controls {
        if !b.controls.contains(c) {
            why.push(format!("control {c} linked"));
        }
    }
    for c in &b.controls {
        if !a.controls.contains(c) {
            why.push(format!("control {c} unlinked"));
        }
    }
    let state = |reg: &Register, c: &str| {
        reg.controls.iter().find(|s| s.id == c).map_or(
            (
                ControlStatus::NotStarted,
                crate::domain::model::DEFAULT_EFFECTIVENESS,
            ),
            |s| (s.status, s.effectiveness),
        )
    };
    for c in a.controls.iter().filter(|c| b.controls.contains(c)) {
        let ((s0, e0), (s1, e1)) = (state(old, c), state(new, c));
        if s0 != s1 {
            why.push(format!(
                "control {c} status {} → {}",
                s0.as_str(),
                s1.as_str()
            ));
        }
        if e0 != e1 {
            why.push(format!("control {c} effectiveness {e0}% → {e1}%"));
        }
    }
    // The scores of a manual residual, not its note: a copy of the
    // register kept for explanations may leave notes out.
    let manual =
        |r: &crate::domain::model::Risk| r.residual.as_ref().map(|m| (m.likelihood, m.impact));
    if manual(&b) != manual(&a) {
        why.push(match &a.residual {
            Some(m) => format!(
                "manual residual set to {}×{} ({})",
                m.likelihood, m.impact, m.note
            ),
            None => "manual residual removed: computed again".into(),
        });
    }
    let factor_state = |reg: &Register, f: &Option<Id>| {
        f.as_ref()
            .map(|f| (f.clone(), reg.factors.iter().any(|x| x.id == *f && x.on)))
    };
    let asset_factor = |reg: &Register, asset: &str| {
        reg.assets
            .iter()
            .find(|x| x.id == asset)
            .and_then(|x| x.factor.clone())
    };
    for (what, fb, fa) in [
        (
            "risk",
            factor_state(old, &b.factor),
            factor_state(new, &a.factor),
        ),
        (
            "asset",
            factor_state(old, &asset_factor(old, &b.asset)),
            factor_state(new, &asset_factor(new, &a.asset)),
        ),
    ] {
        if fb != fa {
            why.push(match (&fb, &fa) {
                (_, Some((f, on))) => format!(
                    "factor {f} ({what} scope) is now {}",
                    if *on { "on" } else { "off" }
                ),
                (Some((f, _)), None) => format!("the {what} no longer depends on factor {f}"),
                (None, None) => continue,
            });
        }
    }
    if why.is_empty() {
        why.push("the method (scales, levels or appetite) changed".into());
    }
    why
}

/// Why a control's SoA entry differs: its justification now and then, and
/// its implementation state.
pub(crate) fn explain_control(
    old: Option<&Register>,
    new: &Register,
    new_an: &Analysis,
    control: usize,
) -> Vec<String> {
    let catalog = Catalog::annex_a();
    let Some(info) = catalog.controls().get(control) else {
        return Vec::new();
    };
    let mut why = Vec::new();
    if let Some(e) = new_an.soa.entries.get(control) {
        let justification = e.justification(new);
        why.push(format!(
            "now {}: {}",
            e.applicable.as_str(),
            if justification.is_empty() {
                "no risk, factor or decision"
            } else {
                justification.as_str()
            }
        ));
        for &f in &e.factors {
            if let Some(f) = new.factors.get(f) {
                why.push(format!(
                    "factor {} ({}) is on and requires {}",
                    f.id, f.label, info.id
                ));
            }
        }
    }
    if let Some(old) = old {
        // Status and effectiveness decide the SoA and the scores; owner and
        // note do not.
        let state = |reg: &Register| {
            reg.controls
                .iter()
                .find(|s| s.id == info.id)
                .map(|s| (s.status, s.effectiveness))
        };
        let (b, a) = (state(old), state(new));
        if b != a {
            let show = |s: &Option<(ControlStatus, u32)>| {
                s.map_or("not recorded (NotStarted, 50%)".to_string(), |(st, e)| {
                    format!("{} {e}%", st.as_str())
                })
            };
            why.push(format!("implementation {} → {}", show(&b), show(&a)));
        }
        let decision =
            |reg: &Register| reg.decisions.iter().find(|d| d.control == info.id).cloned();
        if decision(old) != decision(new) {
            why.push(match decision(new) {
                Some(d) if d.applicable => format!("decision: included ({})", d.reason),
                Some(d) => format!("decision: excluded ({})", d.reason),
                None => "decision removed".into(),
            });
        }
    }
    why
}
