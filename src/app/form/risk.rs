//! The risk form: a new or edited risk, and a risk owner's acceptance
//! (the same form, opened at the acceptance fields).

use super::{
    Change, Field, Form, FormTarget, NO_ACCEPTANCE, RefSource, ids, manual_options, next_id,
    opening_focus, scale_options, strings, unique,
};
use crate::app::edit::{Edit, Item};
use crate::domain::eval::inherent_score;
use crate::domain::*;

form_fields! {
    /// The fields of the risk form.
    RiskField => Risk {
        Id => "ID",
        Title => "Title",
        Asset => "Asset",
        Threat => "Threat",
        Vulnerability => "Vulnerability",
        Likelihood => "Likelihood",
        Impact => "Impact",
        Treatment => "Treatment",
        Controls => "Controls",
        Owner => "Owner",
        Reviewed => "Reviewed",
        Due => "Due",
        ManualLikelihood => "Manual residual L",
        ManualImpact => "Manual residual I",
        ResidualNote => "Residual note",
        AcceptedBy => "Accepted by",
        AcceptedOn => "Accepted on",
        AcceptedUntil => "Accepted until",
        AcceptanceReason => "Reason",
        ScopeFactor => "Scope factor",
        Cia => "C/I/A",
    }
}

impl Form {
    pub fn risk(reg: &Register, index: Option<usize>) -> Form {
        let m = &reg.method;
        let new_risk;
        let r = match index.and_then(|i| reg.risks.get(i)) {
            Some(r) => r,
            None => {
                new_risk = Risk {
                    cia: Vec::new(),
                    notes: Vec::new(),
                    id: next_id("R-", 3, reg.risks.iter().map(|r| r.id.as_str())).into(),
                    title: String::new(),
                    asset: reg.assets.first().map(|a| a.id.clone()).unwrap_or_default(),
                    threat: reg
                        .threats
                        .first()
                        .map(|t| t.id.clone())
                        .unwrap_or_default(),
                    vulnerability: String::new(),
                    likelihood: 1,
                    impact: 1,
                    treatment: Treatment::Modify,
                    controls: Vec::new(),
                    owner: String::new(),
                    reviewed: None,
                    due: None,
                    residual: None,
                    acceptance: None,
                    factor: None,
                };
                &new_risk
            }
        };
        let acc = r.acceptance.as_ref();
        let fields: Vec<Field> = RiskField::ALL
            .iter()
            .map(|&f| match f {
                RiskField::Id => Field::text(f, &r.id),
                RiskField::Title => Field::text(f, &r.title),
                RiskField::Asset => {
                    Field::reference(f, Some(r.asset.to_string()), RefSource::Assets, false)
                }
                RiskField::Threat => {
                    Field::reference(f, Some(r.threat.to_string()), RefSource::Threats, false)
                }
                RiskField::Vulnerability => Field::text(f, &r.vulnerability),
                RiskField::Likelihood => Field::choice(
                    f,
                    scale_options(&m.likelihood),
                    (r.likelihood as usize).saturating_sub(1),
                ),
                RiskField::Impact => Field::choice(
                    f,
                    scale_options(&m.impact),
                    (r.impact as usize).saturating_sub(1),
                ),
                RiskField::Treatment => Field::choice(
                    f,
                    Treatment::ALL
                        .iter()
                        .map(|t| t.as_str().to_string())
                        .collect(),
                    Treatment::ALL
                        .iter()
                        .position(|t| *t == r.treatment)
                        .unwrap_or(0),
                ),
                RiskField::Controls => Field::links(f, strings(&r.controls), RefSource::AnyControl),
                RiskField::Owner => Field::text(f, &r.owner),
                RiskField::Reviewed => Field::date(f, r.reviewed, true),
                RiskField::Due => Field::date(f, r.due, true),
                RiskField::ManualLikelihood => Field::choice(
                    f,
                    manual_options(&m.likelihood),
                    r.residual.as_ref().map_or(0, |x| x.likelihood as usize),
                ),
                RiskField::ManualImpact => Field::choice(
                    f,
                    manual_options(&m.impact),
                    r.residual.as_ref().map_or(0, |x| x.impact as usize),
                ),
                RiskField::ResidualNote => {
                    Field::text(f, r.residual.as_ref().map_or("", |x| x.note.as_str()))
                }
                RiskField::AcceptedBy => {
                    Field::text(f, acc.map_or(NO_ACCEPTANCE, |a| a.by.as_str()))
                }
                RiskField::AcceptedOn => Field::date(f, acc.map(|a| a.on), true),
                RiskField::AcceptedUntil => Field::date(f, acc.map(|a| a.until), true),
                RiskField::AcceptanceReason => {
                    Field::text(f, acc.map_or("", |a| a.reason.as_str()))
                }
                RiskField::ScopeFactor => Field::reference(
                    f,
                    r.factor.as_ref().map(Id::to_string),
                    RefSource::Factors,
                    true,
                ),
                RiskField::Cia => Field::cia(f, &r.cia),
            })
            .collect();
        let title = match index {
            Some(_) => format!("Edit risk {}", r.id),
            None => "New risk".into(),
        };
        let original = index
            .and_then(|i| reg.risks.get(i))
            .cloned()
            .map(Item::Risk);
        let mut form = Form::new(title, FormTarget::Risk(index), original, fields);
        form.focus = opening_focus(&form.fields);
        form
    }

    pub(super) fn submit_risk(
        &self,
        reg: &Register,
        index: Option<usize>,
    ) -> Result<Change, String> {
        let id = self.required(RiskField::Id)?;
        unique(
            &id,
            &mut reg
                .risks
                .iter()
                .enumerate()
                .map(|(i, r)| (i, r.id.as_str())),
            index,
        )?;
        let title = self.required(RiskField::Title)?;
        let asset = self.reference(RiskField::Asset).ok_or("Asset: required")?;
        let threat = self
            .reference(RiskField::Threat)
            .ok_or("Threat: required")?;
        let rl = self.choice(RiskField::ManualLikelihood);
        let ri = self.choice(RiskField::ManualImpact);
        let residual = match (rl, ri) {
            (0, 0) => None,
            (0, _) | (_, 0) => {
                return Err("Manual residual: give both likelihood and impact, or neither".into());
            }
            (l, i) => Some(ManualResidual {
                likelihood: l as u32,
                impact: i as u32,
                note: self.text(RiskField::ResidualNote),
            }),
        };
        let by = self.text(RiskField::AcceptedBy);
        let on = self.date(RiskField::AcceptedOn)?;
        let until = self.date(RiskField::AcceptedUntil)?;
        let old = match &self.original {
            Some(Item::Risk(x)) => Some(x),
            _ => None,
        };
        let controls = self.links(RiskField::Controls);
        let reason = self.text(RiskField::AcceptanceReason);
        let accepted = match (by.is_empty(), on, until) {
            (true, None, None) if reason.is_empty() => None,
            (false, Some(on), Some(until)) => {
                if until < on {
                    return Err("Accepted until: before Accepted on".into());
                }
                Some((by, on, until))
            }
            _ => {
                return Err(
                    "Acceptance: give who accepted, from when and until when (and why), or none"
                        .into(),
                );
            }
        };
        // What the form does not edit is kept from the risk as it was; the
        // properties keep the file's order when the same ones are on.
        let notes = old.map_or_else(Vec::new, |o| o.notes.clone());
        let mut cia = self.cia(RiskField::Cia);
        if let Some(o) = old
            && o.cia.len() == cia.len()
            && cia.iter().all(|c| o.cia.contains(c))
        {
            cia.clone_from(&o.cia);
        }
        let mut risk = Risk {
            cia,
            notes,
            id: id.into(),
            title,
            asset: asset.into(),
            threat: threat.into(),
            vulnerability: self.text(RiskField::Vulnerability),
            likelihood: self.choice(RiskField::Likelihood) as u32 + 1,
            impact: self.choice(RiskField::Impact) as u32 + 1,
            treatment: Treatment::ALL[self.choice(RiskField::Treatment).min(3)],
            controls: ids(&controls),
            owner: self.text(RiskField::Owner),
            reviewed: self.date(RiskField::Reviewed)?,
            due: self.date(RiskField::Due)?,
            residual: residual.map(Box::new),
            acceptance: None,
            factor: self.reference(RiskField::ScopeFactor).map(Id::from),
        };
        risk.acceptance = accepted.map(|(by, on, until)| {
            let same = old
                .and_then(|o| o.acceptance.as_ref())
                .filter(|a| !self.reaccept && a.by == by && a.on == on && a.until == until);
            match same {
                // The same acceptance (its reason may be written down
                // later): what was accepted stays as recorded.
                Some(a) => Box::new(Acceptance {
                    reason: reason.clone(),
                    ..(**a).clone()
                }),
                // Record what is being accepted, so a later change to the
                // risk makes the acceptance stale.
                None => Box::new(Acceptance {
                    reason: reason.clone(),
                    by,
                    on,
                    until,
                    accepted_score: Some(inherent_score(reg, &risk)),
                    accepted_controls: Some(ids(&controls)),
                }),
            }
        });
        Ok((
            old.cloned().map(Item::Risk),
            Some(Item::Risk(risk)),
            index.unwrap_or(reg.risks.len()),
        ))
    }
}

/// Who may accept at `level` as a phrase: the names joined by `sep` ("CFO,
/// CEO"), or when the level names nobody "the risk owner (COO)" — "the
/// risk owner, COO" when `inside_parens` — or "the risk owner (none
/// named)".
fn acceptors_phrase(
    reg: &Register,
    risk: &Risk,
    level: usize,
    sep: &str,
    inside_parens: bool,
) -> String {
    let names = crate::domain::plan::allowed_acceptors(reg, risk, level);
    let by_level = reg
        .method
        .levels
        .get(level)
        .is_some_and(|l| !l.accept_by.is_empty());
    match names.as_slice() {
        _ if by_level => names.join(sep),
        [owner] if !owner.is_empty() && inside_parens => format!("the risk owner, {owner}"),
        [owner] if !owner.is_empty() => format!("the risk owner ({owner})"),
        _ if inside_parens => "the risk owner, and none is named".to_string(),
        _ => "the risk owner (none named)".to_string(),
    }
}

/// The acceptance form's hint for "Accepted by": who may accept risk `i`
/// at its current residual level — "May accept at High: CFO, CEO", or
/// "May accept at Low: the risk owner (COO)". `None` for a risk out of
/// scope (its acceptance is not audited) or a level the method lacks.
pub fn acceptors_hint(reg: &Register, an: &Analysis, i: usize) -> Option<String> {
    let risk = reg.risks.get(i)?;
    let level = an.eval.risks.get(i)?.as_ref()?.residual.level_index()?;
    let name = &reg.method.levels.get(level)?.name;
    Some(format!(
        "May accept at {name}: {}",
        acceptors_phrase(reg, risk, level, ", ", false)
    ))
}

/// What saving a form that records an acceptance should say first.
#[derive(Debug, Default, PartialEq)]
pub struct AcceptanceWarning {
    /// A question to answer before recording it: the acceptance is by
    /// someone `acceptance-authority` would flag.
    pub question: Option<String>,
    /// A remark for the message once recorded (an empty reason).
    pub note: Option<String>,
}

/// Whether `edit` records a new or changed acceptance that `check` would
/// warn about: by someone not allowed at the risk's residual level after
/// the edit (`acceptance-authority`, decided by
/// [`crate::domain::plan::may_accept`]), or without a reason
/// (`acceptance-reason`). A risk out of scope is not audited: nothing.
pub fn acceptance_warning(edit: &Edit, reg: &Register, an: &Analysis) -> AcceptanceWarning {
    let (before, after, at) = match edit {
        Edit::Replace {
            at,
            before: Item::Risk(b),
            after: Item::Risk(a),
        } => (b.acceptance.as_ref(), a, Some(*at)),
        Edit::Insert {
            item: Item::Risk(a),
            ..
        } => (None, a, None),
        _ => return AcceptanceWarning::default(),
    };
    let Some(acc) = after.acceptance.as_ref() else {
        return AcceptanceWarning::default();
    };
    let out_of_scope = at.is_some_and(|i| an.eval.risks.get(i).is_none_or(Option::is_none));
    if before == Some(acc) || out_of_scope {
        return AcceptanceWarning::default();
    }
    let no_reason = acc.reason.trim().is_empty();
    let eval = crate::domain::eval::evaluate_risk(reg, &an.eval.lookups, after, an.eval.today);
    let flagged = eval.residual.level_index().and_then(|l| {
        let level = reg.method.levels.get(l)?;
        (!crate::domain::plan::may_accept(reg, after, l, &acc.by)).then_some((l, level))
    });
    match flagged {
        Some((l, level)) => AcceptanceWarning {
            question: Some(format!(
                "{} may not accept a {} risk (only {}){}. Record it anyway?",
                acc.by.trim(),
                level.name,
                acceptors_phrase(reg, after, l, " or ", true),
                if no_reason {
                    ", and no reason is given"
                } else {
                    ""
                }
            )),
            note: None,
        },
        None => AcceptanceWarning {
            question: None,
            note: no_reason.then(|| "no reason given (acceptance-reason)".to_string()),
        },
    }
}
