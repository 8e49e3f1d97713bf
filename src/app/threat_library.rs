//! The threat library in the workbench: picking a library threat adds it
//! to the register (one undoable edit, its `source` recorded), and the
//! control picker of a risk whose threat came from the library offers
//! that threat's suggested Annex A controls first.
//!
//! The library itself is the domain's ([`ThreatLibrary`]); this file only
//! turns it into choices and edits.

use super::edit::{Edit, Item};
use super::form::{Field, FieldKind, FormTarget, RiskField, next_id};
use super::picker::{Choice, Picker, PickerPurpose};
use super::table::View;
use super::{App, Modal};
use crate::domain::threat_library::{LibraryThreat, ThreatLibrary};
use crate::domain::{Cia, Register, Threat};

/// What a suggested control's row says in the control picker (its hint
/// starts with it); the picker's title names the threat.
pub const SUGGESTED: &str = "★ suggested";

impl App {
    /// `AddThreatFromLibrary`: opens the library picker. Threats live in
    /// the Threats view, so from any other view it switches there first:
    /// the threat added is then selected where the user sees it.
    pub(super) fn open_threat_library(&mut self) {
        // Say so before the user searches for a threat that cannot be added.
        if self.read_only {
            self.error(format!("Read-only: {}", self.read_only_reason));
            return;
        }
        if self.view != View::Threats {
            self.show_view(View::Threats);
        }
        let choices = library_choices(self.doc.register());
        self.modals.push(Modal::Picker(Picker::new(
            "Add a threat from the library (BSI elementary threats, ISO/IEC 27005 examples)",
            choices,
            PickerPurpose::ThreatLibrary,
        )));
    }

    /// The library picker's answer: adds library threat `id` to the
    /// register with the next free threat id, its name and its source, as
    /// one undoable edit, and selects it. A threat already taken from
    /// the same library entry is selected instead of added twice.
    pub(super) fn add_library_threat(&mut self, id: &str) {
        let Some(entry) = ThreatLibrary::get().by_id(id) else {
            self.error(format!(
                "{id:?} is not in the threat library: nothing added"
            ));
            return;
        };
        let reg = self.doc.register();
        let tag = entry.tag();
        if let Some(at) = reg.threats.iter().position(|t| same_entry(t, entry)) {
            let existing = reg.threats[at].id.clone();
            self.table_mut(View::Threats).select_item(at);
            self.info(format!("{existing} already comes from {tag}: selected it"));
            return;
        }
        let threat = Threat {
            id: next_id("T-", 2, reg.threats.iter().map(|t| t.id.as_str())).into(),
            name: entry.name.clone(),
            shift: 0,
            source: tag.clone(),
        };
        let at = reg.threats.len();
        let msg = format!("Added threat {} {} ({tag})", threat.id, threat.name);
        self.apply_edit(
            Edit::Insert {
                at,
                item: Item::Threat(threat),
            },
            msg,
        );
        self.table_mut(View::Threats).select_item(at);
    }

    /// The library threat behind risk `risk`'s threat (matched by the
    /// threat's `source`), if it has one.
    pub(super) fn library_threat_of_risk(&self, risk: usize) -> Option<&'static LibraryThreat> {
        let reg = self.doc.register();
        let threat = &reg.risks.get(risk)?.threat;
        self.library_threat_of(threat)
    }

    /// The library threat behind the threat chosen in the open risk form.
    pub(super) fn form_library_threat(&self) -> Option<&'static LibraryThreat> {
        let Some(Modal::Form(form)) = self.modals.last() else {
            return None;
        };
        if !matches!(form.target, FormTarget::Risk(_)) {
            return None;
        }
        let field = form.field(RiskField::Threat)?;
        match &field.kind {
            FieldKind::Ref { value: Some(t), .. } => self.library_threat_of(t),
            _ => None,
        }
    }

    /// After field `field` of the open form was picked: when it is the
    /// threat of a NEW risk whose C/I/A is still empty, and that threat
    /// came from the library, the library's C/I/A is filled in (the user
    /// sees it and may change it). An existing risk's C/I/A is the room's
    /// decision and never changed behind its back.
    pub(super) fn prefill_cia(&mut self, field: usize) {
        let entry = match self.modals.last() {
            Some(Modal::Form(form))
                if form.target == FormTarget::Risk(None)
                    && form.position(RiskField::Threat) == Some(field) =>
            {
                self.form_library_threat()
            }
            _ => None,
        };
        let Some(entry) = entry else {
            return;
        };
        let Some(Modal::Form(form)) = self.modals.last_mut() else {
            return;
        };
        let Some(at) = form.position(RiskField::Cia) else {
            return;
        };
        if let Some(Field {
            kind: FieldKind::Flags(flags),
            ..
        }) = form.fields.get_mut(at)
            && !flags.on.iter().any(|on| *on)
        {
            flags.on = Cia::ALL.iter().map(|c| entry.cia.contains(c)).collect();
        }
    }

    /// The library threat behind the register's threat `threat_id`.
    pub(super) fn library_threat_of(&self, threat_id: &str) -> Option<&'static LibraryThreat> {
        let reg = self.doc.register();
        let t = reg.threats.iter().find(|t| t.id == threat_id)?;
        ThreatLibrary::get().by_tag(&t.source)
    }
}

/// Offers `entry`'s suggested controls first in a control picker, marked
/// [`SUGGESTED`], and names the threat in its title.
pub(super) fn suggest_controls(picker: &mut Picker, entry: &LibraryThreat) {
    picker.title = format!("{} · {SUGGESTED} for {}", picker.title, entry.tag());
    picker.suggest(&entry.controls, SUGGESTED);
}

/// Whether the register's threat `t` was taken from library entry `entry`.
fn same_entry(t: &Threat, entry: &LibraryThreat) -> bool {
    ThreatLibrary::get()
        .by_tag(&t.source)
        .is_some_and(|e| e.id == entry.id)
}

/// The library as picker choices: "G 0.23  Unauthorised Access to IT
/// Systems" with the catalogue, C/I/A and (when already in the register)
/// the threat's id as the hint.
pub fn library_choices(reg: &Register) -> Vec<Choice> {
    ThreatLibrary::get()
        .threats()
        .iter()
        .map(|e| {
            let from = if e.is_bsi() { "BSI" } else { "ISO 27005 ex." };
            let mut hint = format!("{from} · {}", super::form::flags::cia_text(&e.cia));
            if let Some(t) = reg.threats.iter().find(|t| same_entry(t, e)) {
                hint = format!("in register: {} · {hint}", t.id);
            }
            Choice {
                value: e.id.clone(),
                label: format!("{:<7} {}", e.id, e.name),
                hint,
            }
        })
        .collect()
}
