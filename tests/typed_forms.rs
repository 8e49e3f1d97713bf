//! Form fields are named by a field enum per form (issue 14, item 3): a
//! form is built from its enum, code finds fields by it (a typo does not
//! compile), and the domain's rules are the ones a form applies.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failure here is a failing test

mod common;

use common::northwind_register;
use riskbench::app::edit::{Edit, Item};
use riskbench::app::form::{
    AssetField, ControlField, DecisionField, FactorField, FieldId, Form, RiskField, SettingsField,
    ThreatField,
};
use riskbench::domain::eval::{Evaluation, inherent_score, shifted_likelihood};

fn ids(form: &Form) -> Vec<FieldId> {
    form.fields.iter().map(|f| f.id).collect()
}

fn all<T: Copy + Into<FieldId>>(fields: &[T]) -> Vec<FieldId> {
    fields.iter().map(|&f| f.into()).collect()
}

#[test]
fn each_form_has_exactly_its_enums_fields_in_order_with_their_labels() {
    let reg = northwind_register();
    let forms = [
        (Form::risk(&reg, Some(0)), all(RiskField::ALL)),
        (Form::risk(&reg, None), all(RiskField::ALL)),
        (Form::asset(&reg, Some(0)), all(AssetField::ALL)),
        (Form::threat(&reg, None), all(ThreatField::ALL)),
        (Form::factor(&reg, None), all(FactorField::ALL)),
        (Form::control(&reg, 0), all(ControlField::ALL)),
        (Form::decision(&reg, 0), all(DecisionField::ALL)),
        (Form::settings(&reg), all(SettingsField::ALL)),
    ];
    for (form, want) in forms {
        assert_eq!(ids(&form), want, "{}", form.title);
        for f in &form.fields {
            assert_eq!(f.label, f.id.label(), "{}", form.title);
        }
    }
    assert_eq!(RiskField::ManualLikelihood.label(), "Manual residual L");
}

#[test]
fn fields_are_found_by_their_enum_not_by_another_forms() {
    let reg = northwind_register();
    let mut form = Form::risk(&reg, Some(0));
    assert_eq!(
        form.field(RiskField::Title).map(|f| f.display()),
        Some(reg.risks[0].title.clone())
    );
    // An asset's name is not a field of the risk form.
    assert!(form.field(AssetField::Name).is_none());
    assert!(!form.focus_field(AssetField::Name));
    assert!(form.focus_field(RiskField::AcceptedBy));
    assert_eq!(
        form.focused().map(|f| f.id),
        Some(RiskField::AcceptedBy.into())
    );
    assert_eq!(form.links_field(), form.position(RiskField::Controls));
    let factor = Form::factor(&reg, None);
    assert_eq!(factor.links_field(), factor.position(FactorField::Requires));
}

/// The score an acceptance records is the domain's inherent score (the
/// threat's shift applied), the one the `acceptance-stale` check compares
/// with: accepting a shifted risk through the form is not stale.
#[test]
fn an_acceptance_records_the_domains_inherent_score() {
    let mut reg = northwind_register();
    // A threat that raises likelihood, and a risk facing it.
    reg.threats[0].shift = 1;
    let threat = reg.threats[0].id.clone();
    let i = reg
        .risks
        .iter()
        .position(|r| r.threat == threat && r.likelihood < 4)
        .expect("a risk facing the first threat");
    reg.risks[i].acceptance = None;

    let mut form = Form::risk(&reg, Some(i));
    form.fill_if_empty(RiskField::AcceptedBy, "CISO");
    form.fill_if_empty(RiskField::AcceptedOn, "2026-11-01");
    form.fill_if_empty(RiskField::AcceptedUntil, "2027-11-01");
    let Ok(Some(Edit::Replace {
        after: Item::Risk(after),
        ..
    })) = form.submit(&reg)
    else {
        panic!("the acceptance is an edit of the risk");
    };
    let recorded = after
        .acceptance
        .as_ref()
        .and_then(|a| a.accepted_score)
        .expect("a recorded score");
    let n = reg.method.likelihood.len() as u32;
    assert_eq!(
        recorded,
        shifted_likelihood(after.likelihood, 1, n) * after.impact
    );
    assert_eq!(recorded, inherent_score(&reg, &after));
    reg.risks[i] = after;
    let eval = Evaluation::new(&reg, common::today());
    let e = eval.risks[i].as_ref().expect("in scope");
    assert_eq!(recorded, e.inherent.score);
}

#[test]
fn shifted_likelihood_stays_on_the_scale() {
    assert_eq!(shifted_likelihood(3, 1, 5), 4);
    assert_eq!(shifted_likelihood(5, 2, 5), 5);
    assert_eq!(shifted_likelihood(1, -3, 5), 1);
    assert_eq!(shifted_likelihood(2, 0, 0), 1);
}
