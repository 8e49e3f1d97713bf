//! Editing the register from the tables: quick scoring, add, edit,
//! delete (with what refers to the item), factors, control links and
//! acceptances. Every change goes through [`App::apply_edit`].

use super::edit::{Edit, Item};
use super::form::{Form, RefSource, RiskField};
use super::picker::{Choice, Picker, PickerPurpose};
use super::table::View;
use super::{App, Confirm, Modal, OnConfirm, plural};
use crate::domain::{Catalog, ControlStatus, Id};
use crate::keymap::Context;

impl App {
    /// Applies a new edit, recalculates, and reports problems.
    pub fn apply_edit(&mut self, edit: Edit, message: impl Into<String>) {
        if self.read_only {
            self.error(format!("Read-only: {}", self.read_only_reason));
            return;
        }
        match self.doc.apply(edit) {
            Ok(change) => {
                self.redraw(change);
                self.info(message);
            }
            Err(e) => self.error(format!("Edit not applied: {e}")),
        }
    }

    pub(super) fn quick_score(&mut self, likelihood: bool, n: u32) {
        let Some(i) = self.risk_for("Quick scoring works on a risk row (Risks view)") else {
            return;
        };
        let axis = if likelihood { "likelihood" } else { "impact" };
        let scale = if likelihood {
            &self.doc.register().method.likelihood
        } else {
            &self.doc.register().method.impact
        };
        if n == 0 || n as usize > scale.len() {
            self.error(format!("The {axis} scale goes from 1 to {}", scale.len()));
            return;
        }
        let label = scale[n as usize - 1].clone();
        let before = self.doc.register().risks[i].clone();
        let mut after = before.clone();
        if likelihood {
            after.likelihood = n;
        } else {
            after.impact = n;
        }
        let id = before.id.clone();
        if after == before {
            self.info(format!("{id}: {axis} is already {n} ({label})"));
            return;
        }
        self.apply_edit(
            Edit::Replace {
                at: i,
                before: Item::Risk(before),
                after: Item::Risk(after),
            },
            format!("{id}: {axis} {n} ({label})"),
        );
    }

    pub(super) fn add(&mut self) {
        let reg = &self.doc.register();
        let form = match self.view {
            View::Dashboard | View::Risks | View::Focus | View::Queue => {
                if reg.assets.is_empty() || reg.threats.is_empty() {
                    self.error("Add an asset and a threat first: a risk needs both");
                    return;
                }
                Form::risk(reg, None)
            }
            View::Assets => Form::asset(reg, None),
            View::Threats => Form::threat(reg, None),
            View::Environment => Form::factor(reg, None),
            // Annex A has its 93; what can be added is an own control.
            View::Controls => Form::own_control(reg, None),
            View::Soa => match self.selected_item() {
                Some(c) => Form::decision(reg, c),
                None => return,
            },
            View::Changes => {
                self.info("The Changes view is read-only: add items in their own views");
                return;
            }
            View::Findings => {
                self.info("The Findings view lists what check reports: enter goes to the item");
                return;
            }
            View::Plan => {
                self.add_action();
                return;
            }
        };
        self.modals.push(Modal::Form(form));
    }

    pub(super) fn edit_selected(&mut self) {
        // Enter on the dashboard's heat map or summary lists their risks;
        // on a finding it goes to the item.
        if self.drill_down() {
            return;
        }
        if self.view == View::Findings {
            self.jump_to_finding();
            return;
        }
        let Some(i) = self.selected_item() else {
            self.info("Nothing selected");
            return;
        };
        let reg = &self.doc.register();
        let form = match self.view {
            View::Dashboard | View::Risks | View::Focus => Form::risk(reg, Some(i)),
            View::Queue => {
                self.open_in_focus(i);
                return;
            }
            View::Assets => Form::asset(reg, Some(i)),
            View::Threats => Form::threat(reg, Some(i)),
            View::Environment => Form::factor(reg, Some(i)),
            View::Controls => match i.checked_sub(Catalog::annex_a().len()) {
                Some(k) => Form::own_control(reg, Some(k)),
                None => Form::control(reg, i),
            },
            View::Soa => Form::decision(reg, i),
            View::Changes => {
                self.explain_change(i);
                return;
            }
            View::Findings => return,
            View::Plan => {
                self.edit_action(i);
                return;
            }
        };
        self.modals.push(Modal::Form(form));
    }

    /// Deletes the selected item; when something still refers to it, asks
    /// first and removes or clears the references in the same undoable step.
    pub(super) fn delete_selected(&mut self) {
        let Some(i) = self.selected_item() else {
            self.no_risk_selected();
            return;
        };
        let reg = &self.doc.register();
        // Removals are listed highest index first so earlier indices stay
        // valid while the batch is applied.
        let remove_risks = |pred: &dyn Fn(&crate::domain::Risk) -> bool| -> Vec<Edit> {
            reg.risks
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, r)| pred(r))
                .map(|(at, r)| Edit::Remove {
                    at,
                    item: Item::Risk(r.clone()),
                })
                .collect()
        };
        match self.view {
            View::Changes => {
                self.info("The Changes view is read-only");
            }
            View::Findings => {
                self.info("Findings go away when their cause is fixed: enter goes to the item");
            }
            View::Plan => self.delete_action(i),
            View::Dashboard | View::Risks | View::Focus | View::Queue => {
                let r = &reg.risks[i];
                let msg = format!("Deleted risk {}", r.id);
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    on_no: None,
                    title: "Delete risk".into(),
                    message: format!("Delete risk {} \"{}\"?", r.id, r.title),
                    on_yes: OnConfirm::Apply(
                        unlinking_actions(
                            reg,
                            Edit::Remove {
                                at: i,
                                item: Item::Risk(r.clone()),
                            },
                            std::slice::from_ref(&r.id),
                        ),
                        msg,
                    ),
                }));
            }
            View::Assets | View::Threats => {
                let (item, id) = if self.view == View::Assets {
                    (Item::Asset(reg.assets[i].clone()), reg.assets[i].id.clone())
                } else {
                    (
                        Item::Threat(reg.threats[i].clone()),
                        reg.threats[i].id.clone(),
                    )
                };
                let is_asset = self.view == View::Assets;
                let mut edits = remove_risks(&|r| {
                    if is_asset {
                        r.asset == id
                    } else {
                        r.threat == id
                    }
                });
                let n = edits.len();
                let removed: Vec<Id> = edits
                    .iter()
                    .filter_map(|e| match e {
                        Edit::Remove {
                            item: Item::Risk(r),
                            ..
                        } => Some(r.id.clone()),
                        _ => None,
                    })
                    .collect();
                edits.push(Edit::Remove { at: i, item });
                let edit = unlinking_actions(reg, Edit::Batch(edits), &removed);
                let what = if is_asset { "asset" } else { "threat" };
                let msg = match n {
                    0 => format!("Deleted {what} {id}"),
                    _ => format!("Deleted {what} {id} and {}", plural(n, "risk")),
                };
                let message = match n {
                    0 => format!("Delete {what} {id}?"),
                    1 => format!("1 risk refers to {what} {id}. Delete {id} together with it?"),
                    _ => format!("{n} risks refer to {what} {id}. Delete {id} together with them?"),
                };
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    on_no: None,
                    title: format!("Delete {what}"),
                    message,
                    on_yes: OnConfirm::Apply(edit, msg),
                }));
            }
            View::Environment => {
                let f = reg.factors[i].clone();
                let mut edits = Vec::new();
                for (at, a) in reg.assets.iter().enumerate() {
                    if a.factor.as_ref() == Some(&f.id) {
                        let mut after = a.clone();
                        after.factor = None;
                        edits.push(Edit::Replace {
                            at,
                            before: Item::Asset(a.clone()),
                            after: Item::Asset(after),
                        });
                    }
                }
                for (at, r) in reg.risks.iter().enumerate() {
                    if r.factor.as_ref() == Some(&f.id) {
                        let mut after = r.clone();
                        after.factor = None;
                        edits.push(Edit::Replace {
                            at,
                            before: Item::Risk(r.clone()),
                            after: Item::Risk(after),
                        });
                    }
                }
                let n = edits.len();
                edits.push(Edit::Remove {
                    at: i,
                    item: Item::Factor(f.clone()),
                });
                let message = if n == 0 {
                    format!("Delete factor {}?", f.id)
                } else {
                    let (items, are, them) = if n == 1 {
                        ("1 asset or risk", "is", "it")
                    } else {
                        ("assets and risks", "are", "them")
                    };
                    let items = if n == 1 {
                        items.to_string()
                    } else {
                        format!("{n} {items}")
                    };
                    format!(
                        "{items} {are} in scope only while {} is on. Delete it and make {them} always in scope?",
                        f.id
                    )
                };
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    on_no: None,
                    title: "Delete factor".into(),
                    message,
                    on_yes: OnConfirm::Apply(
                        Edit::Batch(edits),
                        format!("Deleted factor {}", f.id),
                    ),
                }));
            }
            View::Controls if i >= Catalog::annex_a().len() => {
                self.delete_own_control(i - Catalog::annex_a().len());
            }
            View::Controls => {
                let id = Catalog::annex_a().controls()[i].id.clone();
                let Some(at) = reg.controls.iter().position(|c| c.id == id) else {
                    self.info(format!("{id} has no implementation state to delete"));
                    return;
                };
                self.modals.push(Modal::Confirm(Confirm {
 answers: Vec::new(), selected: 0, on_cancel: None,
                    on_no: None,
                    title: "Reset control".into(),
                    message: format!(
                        "Forget the implementation state of {id} (back to NotStarted, 50%)? Linked risks keep their link."
                    ),
                    on_yes: OnConfirm::Apply(
                        Edit::Remove {
                            at,
                            item: Item::Control(reg.controls[at].clone()),
                        },
                        format!("Reset {id}"),
                    ),
                }));
            }
            View::Soa => {
                let id = Catalog::annex_a().controls()[i].id.clone();
                let Some(at) = reg.decisions.iter().position(|d| d.control == id) else {
                    self.info(format!("{id} has no explicit decision to delete"));
                    return;
                };
                self.modals.push(Modal::Confirm(Confirm {
                    answers: Vec::new(),
                    selected: 0,
                    on_cancel: None,
                    on_no: None,
                    title: "Delete decision".into(),
                    message: format!("Delete the SoA decision for {id}?"),
                    on_yes: OnConfirm::Apply(
                        Edit::Remove {
                            at,
                            item: Item::Decision(reg.decisions[at].clone()),
                        },
                        format!("Deleted the decision for {id}"),
                    ),
                }));
            }
        }
    }

    pub(super) fn toggle_factor(&mut self) {
        if self.view != View::Environment {
            self.info("Switch factors in the Environment view");
            return;
        }
        let Some(i) = self.selected_item() else {
            return;
        };
        let before = self.doc.register().factors[i].clone();
        let mut after = before.clone();
        after.on = !after.on;
        let msg = format!(
            "Factor {} is now {}",
            after.id,
            if after.on { "on" } else { "off" }
        );
        self.apply_edit(
            Edit::Replace {
                at: i,
                before: Item::Factor(before),
                after: Item::Factor(after),
            },
            msg,
        );
    }

    /// The controls a picker offers: the 93 Annex A controls, then
    /// (`own`: where a risk or an action links) the register's own
    /// controls, marked as own.
    pub(super) fn control_choices(&self, own: bool) -> Vec<Choice> {
        let states = &self.doc.analysis().eval.lookups.control_state;
        let status = |id: &str| {
            states
                .get(id)
                .and_then(|&s| self.doc.register().controls.get(s))
                .map_or(ControlStatus::NotStarted, |s| s.status)
                .as_str()
        };
        let own_controls = own
            .then_some(&self.doc.register().own_controls)
            .into_iter()
            .flatten()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: format!("{} {}", c.id, c.title),
                hint: format!("own · {} · {}", c.control_type().short(), status(&c.id)),
            });
        Catalog::annex_a()
            .controls()
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: format!("{} {}", c.id, c.title),
                hint: format!("{} · {}", c.control_type.short(), status(&c.id)),
            })
            .chain(own_controls)
            .collect()
    }

    pub(super) fn link_control(&mut self, ctx: Context) {
        if ctx == Context::Form {
            if let Some(Modal::Form(form)) = self.modals.last() {
                let focus = form.focus;
                let source = form.focused().and_then(|f| f.picker_source()).or_else(|| {
                    // From any field, link a control to the form's item.
                    form.links_field()
                        .and_then(|p| form.fields.get(p)?.picker_source())
                });
                let field = form
                    .focused()
                    .and_then(|f| f.picker_source())
                    .map(|_| focus)
                    .or_else(|| form.links_field());
                if let (Some(field), Some(source)) = (field, source) {
                    self.open_field_picker(field, source, None);
                }
            }
            return;
        }
        let Some(risk) = self.risk_for("Link controls from a risk row (Risks view)") else {
            return;
        };
        let title = format!("Link a control to {}", self.doc.register().risks[risk].id);
        let choices = self.control_choices(true);
        let mut picker = Picker::for_controls(&title, choices, PickerPurpose::LinkControl { risk });
        if let Some(entry) = self.library_threat_of_risk(risk) {
            super::threat_library::suggest_controls(&mut picker, entry);
        }
        self.modals.push(Modal::Picker(picker));
    }

    pub(super) fn open_field_picker(
        &mut self,
        field: usize,
        source: RefSource,
        first: Option<char>,
    ) {
        let choices = match source {
            RefSource::Controls => self.control_choices(false),
            RefSource::AnyControl => self.control_choices(true),
            other => other.choices(self.doc.register()),
        };
        let label = match self.modals.last() {
            Some(Modal::Form(f)) => f.fields.get(field).map_or("", |f| f.label),
            _ => "",
        };
        let title = format!("Choose {}", label.to_lowercase());
        let purpose = PickerPurpose::FormField { field };
        let mut p = if matches!(source, RefSource::Controls | RefSource::AnyControl) {
            let mut p = Picker::for_controls(title.trim(), choices, purpose);
            // In a risk's form: the chosen threat's suggested controls first.
            if let Some(entry) = self.form_library_threat() {
                super::threat_library::suggest_controls(&mut p, entry);
            }
            p
        } else {
            Picker::new(title.trim(), choices, purpose)
        };
        if let Some(c) = first {
            p.type_char(c);
        }
        self.modals.push(Modal::Picker(p));
    }

    /// Opens the selected risk's form at the acceptance fields, with today
    /// and a year from today filled in when empty.
    pub(super) fn accept_risk(&mut self) {
        let Some(i) = self.risk_for("Accept a risk from its row (Risks view)") else {
            return;
        };
        let mut form = Form::risk(self.doc.register(), Some(i));
        form.title = format!("Accept risk {}", self.doc.register().risks[i].id);
        form.reaccept = true;
        // A year from today, within the calendar a register can hold.
        let until = crate::domain::model::dates::add_days(self.doc.today(), 365)
            .unwrap_or(crate::domain::model::dates::LAST);
        form.fill_if_empty(RiskField::AcceptedOn, &self.doc.today().to_string());
        form.fill_if_empty(RiskField::AcceptedUntil, &until.to_string());
        form.focus_field(RiskField::AcceptedBy);
        self.modals.push(Modal::Form(form));
    }
}

/// `edit`, which deletes the risks `removed`, preceded by taking those
/// risks out of the treatment plan's actions that list them (an action
/// naming a deleted risk would be error `unknown-risk`): one undoable step.
fn unlinking_actions(reg: &crate::domain::Register, edit: Edit, removed: &[Id]) -> Edit {
    let listed = |a: &crate::domain::model::Action| a.risks.iter().any(|r| removed.contains(r));
    if !reg.actions.iter().any(listed) {
        return edit;
    }
    let mut after = reg.actions.clone();
    for a in &mut after {
        a.risks.retain(|r| !removed.contains(r));
    }
    let unlink = Edit::Actions {
        before: reg.actions.clone(),
        after,
    };
    match edit {
        Edit::Batch(mut edits) => {
            edits.insert(0, unlink);
            Edit::Batch(edits)
        }
        edit => Edit::Batch(vec![unlink, edit]),
    }
}
