//! Edit forms for every kind of register item: fields, their input rules,
//! and turning a submitted form into an [`Edit`].
//!
//! Validation happens on submit: a bad date, a missing id or a duplicate is
//! refused with a message naming the field, and nothing is changed.

use chrono::NaiveDate;

use crate::domain::model::dates;
use crate::domain::*;

use super::edit::{Edit, Item};
use super::text_field::TextField;
use crate::keymap::{KeyCode, KeyPress};

/// Declares one form's field enum: its variants in the form's order
/// (`ALL`) and each one's label as the form shows it. A form is built
/// from `ALL` with a `match`, so a field without a widget (or a widget
/// without a field) does not compile.
macro_rules! form_fields {
    ($(#[$doc:meta])* $name:ident => $wrap:ident { $($variant:ident => $label:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant),*
        }

        impl $name {
            /// Every field, in the form's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The label the form shows (and error messages start with).
            pub const fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),*
                }
            }
        }

        impl From<$name> for super::FieldId {
            fn from(f: $name) -> super::FieldId {
                super::FieldId::$wrap(f)
            }
        }
    };
}

pub mod action;
mod asset;
mod control;
mod decision;
mod evidence;
mod factor;
pub mod flags;
mod note;
mod own_control;
mod refs;
mod risk;
pub mod settings;
mod threat;

pub use action::ActionField;
pub use asset::AssetField;
pub use control::ControlField;
pub use decision::DecisionField;
pub use evidence::{EvidenceField, control_of_row};
pub use factor::FactorField;
pub use note::NoteField;
pub use own_control::OwnControlField;
pub use refs::RefSource;
pub use risk::{AcceptanceWarning, RiskField, acceptance_warning, acceptors_hint};
pub use settings::SettingsField;
pub use threat::ThreatField;

/// Which field of which form: what code looks a field up by (never by
/// its label, where a typo would silently find nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Risk(RiskField),
    Asset(AssetField),
    Threat(ThreatField),
    Factor(FactorField),
    Control(ControlField),
    Decision(DecisionField),
    Settings(SettingsField),
    Action(ActionField),
    Evidence(EvidenceField),
    OwnControl(OwnControlField),
    Note(NoteField),
}

impl FieldId {
    /// The label the form shows.
    pub const fn label(self) -> &'static str {
        match self {
            FieldId::Risk(f) => f.label(),
            FieldId::Asset(f) => f.label(),
            FieldId::Threat(f) => f.label(),
            FieldId::Factor(f) => f.label(),
            FieldId::Control(f) => f.label(),
            FieldId::Decision(f) => f.label(),
            FieldId::Settings(f) => f.label(),
            FieldId::Action(f) => f.label(),
            FieldId::Evidence(f) => f.label(),
            FieldId::OwnControl(f) => f.label(),
            FieldId::Note(f) => f.label(),
        }
    }

    /// An item's id field (the first field of the item forms).
    fn is_id(self) -> bool {
        matches!(
            self,
            FieldId::Risk(RiskField::Id)
                | FieldId::Asset(AssetField::Id)
                | FieldId::Threat(ThreatField::Id)
                | FieldId::Factor(FactorField::Id)
                | FieldId::Action(ActionField::Id)
                | FieldId::OwnControl(OwnControlField::Id)
        )
    }

    /// Prose (notes, reasons) rather than a title, a name or an id: it
    /// may be longer.
    fn is_prose(self) -> bool {
        matches!(
            self,
            FieldId::Control(ControlField::Note)
                | FieldId::Decision(DecisionField::Reason)
                | FieldId::Risk(RiskField::ResidualNote)
                | FieldId::Action(ActionField::Note)
                | FieldId::Risk(RiskField::AcceptanceReason)
                | FieldId::OwnControl(OwnControlField::Note)
                | FieldId::Note(NoteField::Text)
        )
    }
}

/// What `submit` makes of an item form: the item before (if any), after
/// (if any), and its place in its list.
type Change = (Option<Item>, Option<Item>, usize);

#[derive(Debug, Clone)]
pub enum FieldKind {
    Text(TextField),
    /// An integer typed as text, checked against the range on submit. The
    /// first character typed after the focus arrives replaces the value.
    Number {
        text: TextField,
        min: i64,
        max: i64,
    },
    /// `YYYY-MM-DD`, checked on submit; empty means none when optional.
    /// Like a number, a filled-in date is replaced by the first character
    /// typed after the focus arrives (appending to a whole date never
    /// makes a date); an editing key first keeps it for changing a part.
    Date {
        text: TextField,
        optional: bool,
    },
    /// One of a fixed list, changed with left/right/space (in the declared
    /// order), or by typing: each press of a letter or digit goes to the
    /// next option starting with it (`p`: Planned, `p` again: Partial).
    Choice {
        options: Vec<String>,
        selected: usize,
    },
    /// One id from a list, chosen with the fuzzy picker.
    Ref {
        value: Option<String>,
        source: RefSource,
        optional: bool,
    },
    /// Several ids, added with the fuzzy picker. Left/right (home/end)
    /// move a highlight among them; backspace or delete removes the
    /// highlighted one.
    Links {
        values: Vec<String>,
        source: RefSource,
        /// The highlighted item: the last one at first and after a pick,
        /// so backspace alone removes from the end.
        selected: usize,
    },
    /// On/off flags with a letter each (a risk's C, I, A: [`flags`]).
    Flags(flags::Flags),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: FieldId,
    /// `id`'s label, kept beside it for drawing.
    pub label: &'static str,
    pub kind: FieldKind,
}

impl Field {
    fn new(id: impl Into<FieldId>, kind: FieldKind) -> Field {
        let id = id.into();
        Field {
            id,
            label: id.label(),
            kind,
        }
    }

    fn text(id: impl Into<FieldId>, value: &str) -> Field {
        let id = id.into();
        // Notes and reasons are prose; everything else is a title, a name
        // or an id.
        let limit = if id.is_prose() {
            super::text_field::MAX_NOTE_CHARS
        } else {
            super::text_field::MAX_FIELD_CHARS
        };
        Field {
            id,
            label: id.label(),
            kind: FieldKind::Text(TextField::with_limit(value, limit)),
        }
    }

    fn number(id: impl Into<FieldId>, value: i64, min: i64, max: i64) -> Field {
        let mut field = Field::new(
            id,
            FieldKind::Number {
                text: TextField::with_limit(&value.to_string(), 24),
                min,
                max,
            },
        );
        field.arrive();
        field
    }

    fn date(id: impl Into<FieldId>, value: Option<NaiveDate>, optional: bool) -> Field {
        let mut field = Field::new(
            id,
            FieldKind::Date {
                text: TextField::with_limit(&value.map(|d| d.to_string()).unwrap_or_default(), 32),
                optional,
            },
        );
        field.arrive();
        field
    }

    fn choice(id: impl Into<FieldId>, options: Vec<String>, selected: usize) -> Field {
        Field::new(id, FieldKind::Choice { options, selected })
    }

    fn reference(
        id: impl Into<FieldId>,
        value: Option<String>,
        source: RefSource,
        optional: bool,
    ) -> Field {
        Field::new(
            id,
            FieldKind::Ref {
                value,
                source,
                optional,
            },
        )
    }

    fn links(id: impl Into<FieldId>, values: Vec<String>, source: RefSource) -> Field {
        Field::new(
            id,
            FieldKind::Links {
                selected: values.len().saturating_sub(1),
                values,
                source,
            },
        )
    }

    /// The focus arrives on this field: a number or a filled-in date is
    /// replaced by the first character typed now, like a spreadsheet cell
    /// ("untouched since the focus arrived", so coming back to a field
    /// after editing it selects it again).
    pub fn arrive(&mut self) {
        if let FieldKind::Number { text, .. } | FieldKind::Date { text, .. } = &mut self.kind {
            text.replace_on_type();
        }
    }

    /// The value as shown in the form.
    pub fn display(&self) -> String {
        match &self.kind {
            FieldKind::Text(t)
            | FieldKind::Number { text: t, .. }
            | FieldKind::Date { text: t, .. } => t.text(),
            FieldKind::Choice { options, selected } => {
                options.get(*selected).cloned().unwrap_or_default()
            }
            FieldKind::Ref { value, .. } => value.clone().unwrap_or_else(|| "(none)".into()),
            FieldKind::Links { values, .. } => values.join(", "),
            FieldKind::Flags(f) => f.display(),
        }
    }

    /// The field's text, when it is typed (text, number, date).
    pub fn text_field_mut(&mut self) -> Option<&mut TextField> {
        match &mut self.kind {
            FieldKind::Text(t)
            | FieldKind::Number { text: t, .. }
            | FieldKind::Date { text: t, .. } => Some(t),
            _ => None,
        }
    }

    /// The picker source when this field is filled from a picker.
    pub fn picker_source(&self) -> Option<RefSource> {
        match &self.kind {
            FieldKind::Ref { source, .. } | FieldKind::Links { source, .. } => Some(*source),
            _ => None,
        }
    }

    /// Receives a picked value; in a list it is highlighted (added at the
    /// end, or found where it already was).
    pub fn pick(&mut self, value: &str) {
        match &mut self.kind {
            FieldKind::Ref { value: v, .. } => *v = Some(value.to_string()),
            FieldKind::Links {
                values, selected, ..
            } => match values.iter().position(|x| x == value) {
                Some(p) => *selected = p,
                None => {
                    values.push(value.to_string());
                    *selected = values.len() - 1;
                }
            },
            _ => {}
        }
    }

    /// Feeds an unbound key to the field; returns true when it was used.
    pub fn input(&mut self, key: KeyPress) -> bool {
        match &mut self.kind {
            FieldKind::Text(t)
            | FieldKind::Number { text: t, .. }
            | FieldKind::Date { text: t, .. } => t.input(key),
            FieldKind::Choice { options, selected } => {
                let n = options.len().max(1);
                match key.code {
                    KeyCode::Left => *selected = (*selected + n - 1) % n,
                    KeyCode::Right | KeyCode::Char(' ') => *selected = (*selected + 1) % n,
                    // A letter or digit goes to the next option (after the
                    // selected one, wrapping) that starts with it: pressing
                    // it again steps through all of them.
                    KeyCode::Char(c) if key.is_text() => {
                        let starts = |o: &String| {
                            o.chars()
                                .next()
                                .is_some_and(|f| f.to_lowercase().eq(c.to_lowercase()))
                        };
                        let found = (1..=options.len())
                            .map(|step| (*selected + step) % options.len())
                            .find(|&i| starts(&options[i]));
                        match found {
                            Some(p) => *selected = p,
                            None => return false,
                        }
                    }
                    _ => return false,
                }
                true
            }
            FieldKind::Ref {
                value, optional, ..
            } => match key.code {
                KeyCode::Backspace | KeyCode::Delete if *optional => {
                    *value = None;
                    true
                }
                _ => false,
            },
            FieldKind::Links {
                values, selected, ..
            } => {
                let last = values.len().saturating_sub(1);
                match key.code {
                    KeyCode::Left => *selected = selected.saturating_sub(1).min(last),
                    KeyCode::Right => *selected = (*selected + 1).min(last),
                    KeyCode::Home => *selected = 0,
                    KeyCode::End => *selected = last,
                    KeyCode::Backspace | KeyCode::Delete if !values.is_empty() => {
                        values.remove((*selected).min(last));
                        // The item that took its place, or the new last.
                        *selected = (*selected).min(values.len().saturating_sub(1));
                    }
                    _ => return false,
                }
                true
            }
            FieldKind::Flags(f) => f.input(key),
        }
    }
}

/// What a form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTarget {
    /// `None`: a new risk.
    Risk(Option<usize>),
    Asset(Option<usize>),
    Threat(Option<usize>),
    Factor(Option<usize>),
    /// Implementation state of the catalog control with this index.
    Control(usize),
    /// SoA decision for the catalog control with this index.
    Decision(usize),
    /// The register's own settings (see [`settings`]).
    Settings,
    /// An action of the treatment plan (`index` `None`: a new one);
    /// `today` is the day a status set to done records.
    Action {
        index: Option<usize>,
        today: NaiveDate,
    },
    /// Evidence item `index` (`None`: a new one) of the control in row
    /// `row` of the Controls view (see [`control_of_row`]).
    Evidence {
        row: usize,
        index: Option<usize>,
    },
    /// One of the register's own controls and its state (`None`: a new one).
    OwnControl(Option<usize>),
    /// A new note on the risk with this index, dated `today`.
    Note {
        risk: usize,
        today: NaiveDate,
    },
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    pub target: FormTarget,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit was refused.
    pub error: Option<String>,
    /// The item as it was when the form opened. Submitting replaces exactly
    /// this value, so a form can never overwrite an item that moved into its
    /// slot meanwhile (the edit is refused instead).
    pub original: Option<Item>,
    /// An acceptance form: record the risk as it is now even when who/on/
    /// until are unchanged (re-accepting a stale acceptance).
    pub reaccept: bool,
    /// The fields' values just before the first key that could change
    /// them (`None` until then; see [`Form::touch`]): esc asks before
    /// throwing the form away only when the values differ from these now.
    /// Recorded lazily, so values a shortcut filled in before the user
    /// typed (accepting fills in the dates) are not "changes".
    pub as_opened: Option<Vec<String>>,
}

/// The field a form opens on: the first one the user fills in. That is the
/// ID when it is empty (a new factor); when the ID is filled in (the next
/// free id of a new item, or an item being edited, where renaming is rare)
/// the field after it, the ID staying one backtab away.
pub fn opening_focus(fields: &[Field]) -> usize {
    match fields {
        [id, _, ..] if id.id.is_id() && !id.display().trim().is_empty() => 1,
        _ => 0,
    }
}

/// Refuses an id that another item (not `own`) of the list already has.
fn unique<'a>(
    id: &str,
    mut ids: impl Iterator<Item = (usize, &'a str)>,
    own: Option<usize>,
) -> Result<(), String> {
    match ids.find(|(i, x)| *x == id && Some(*i) != own) {
        Some(_) => Err(format!("ID: {id:?} is already used")),
        None => Ok(()),
    }
}

/// The next free id with the given prefix: `R-041` after `R-040`.
pub fn next_id<'a>(prefix: &str, width: usize, ids: impl Iterator<Item = &'a str>) -> String {
    let max = ids
        .filter_map(|id| id.strip_prefix(prefix)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:0width$}", max + 1)
}

fn scale_options(labels: &[String]) -> Vec<String> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{} {l}", i + 1))
        .collect()
}

fn manual_options(labels: &[String]) -> Vec<String> {
    let mut v = vec!["— computed".to_string()];
    v.extend(scale_options(labels));
    v
}

const NO_ACCEPTANCE: &str = "";

impl Form {
    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    pub fn focused_mut(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
        self.arrive();
    }

    pub fn prev_field(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
        self.arrive();
    }

    /// Puts the focus on the field the form opens on ([`opening_focus`]).
    /// A form over `fields`, focused on the first, nothing typed yet.
    pub fn new(
        title: String,
        target: FormTarget,
        original: Option<Item>,
        fields: Vec<Field>,
    ) -> Form {
        Form {
            title,
            target,
            fields,
            focus: 0,
            error: None,
            original,
            reaccept: false,
            as_opened: None,
        }
    }

    pub fn opened(mut self) -> Form {
        self.focus = opening_focus(&self.fields);
        self.arrive();
        self
    }

    fn arrive(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.arrive();
        }
    }

    /// Every field's value as shown.
    pub fn values(&self) -> Vec<String> {
        self.fields.iter().map(Field::display).collect()
    }

    /// Call before anything that may change a field (a typed key, a paste,
    /// a picked value): the first call records the values as they were.
    pub fn touch(&mut self) {
        if self.as_opened.is_none() {
            self.as_opened = Some(self.values());
        }
    }

    /// Whether any field differs from its value before the first change
    /// (typing a character and deleting it again is no change).
    pub fn is_changed(&self) -> bool {
        self.as_opened
            .as_ref()
            .is_some_and(|before| *before != self.values())
    }

    /// The form's field `id` (`None`: the form has no such field, e.g.
    /// a risk field asked of an asset form).
    pub fn field(&self, id: impl Into<FieldId>) -> Option<&Field> {
        let id = id.into();
        self.fields.iter().find(|f| f.id == id)
    }

    /// Where field `id` sits in the form.
    pub fn position(&self, id: impl Into<FieldId>) -> Option<usize> {
        let id = id.into();
        self.fields.iter().position(|f| f.id == id)
    }

    /// The form's list of links (a risk's controls, a factor's required
    /// controls), where a picked control goes from any field.
    pub fn links_field(&self) -> Option<usize> {
        let position = |controls_only: bool| {
            self.fields.iter().position(|f| match &f.kind {
                FieldKind::Links { source, .. } => {
                    !controls_only || matches!(source, RefSource::Controls | RefSource::AnyControl)
                }
                _ => false,
            })
        };
        // A list of controls first: an action also lists its risks.
        position(true).or_else(|| position(false))
    }

    /// Puts `text` into an empty text or date field.
    pub fn fill_if_empty(&mut self, id: impl Into<FieldId>, text: &str) {
        let id = id.into();
        if let Some(Field {
            kind: FieldKind::Text(t) | FieldKind::Date { text: t, .. },
            ..
        }) = self.fields.iter_mut().find(|f| f.id == id)
            && t.text().trim().is_empty()
        {
            t.set_text(text);
        }
    }

    /// Focuses the field showing this label: for tests that drive a form
    /// as a user reads it. Code names fields with [`Form::focus_field`].
    pub fn focus_label(&mut self, label: &str) -> bool {
        match self.fields.iter().position(|f| f.label == label) {
            Some(p) => {
                self.focus = p;
                self.arrive();
                true
            }
            None => false,
        }
    }

    /// Focuses field `id` (for shortcuts); false when the form has none.
    pub fn focus_field(&mut self, id: impl Into<FieldId>) -> bool {
        match self.position(id) {
            Some(p) => {
                self.focus = p;
                self.arrive();
                true
            }
            None => false,
        }
    }

    fn text(&self, id: impl Into<FieldId>) -> String {
        self.field(id)
            .map(Field::display)
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    fn number(&self, id: impl Into<FieldId>) -> Result<i64, String> {
        let id = id.into();
        let label = id.label();
        let Some(Field {
            kind: FieldKind::Number { text, min, max },
            ..
        }) = self.field(id)
        else {
            return Err(format!("{label}: missing"));
        };
        let s = text.text();
        match s.trim().parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => Ok(n),
            _ => Err(format!(
                "{label}: {s:?} is not a whole number from {min} to {max}"
            )),
        }
    }

    fn date(&self, id: impl Into<FieldId>) -> Result<Option<NaiveDate>, String> {
        let id = id.into();
        let label = id.label();
        let Some(Field {
            kind: FieldKind::Date { text, optional },
            ..
        }) = self.field(id)
        else {
            return Ok(None);
        };
        let s = text.text();
        let s = s.trim();
        if s.is_empty() {
            return if *optional {
                Ok(None)
            } else {
                Err(format!("{label}: a date is required (YYYY-MM-DD)"))
            };
        }
        dates::parse(s)
            .map(Some)
            .map_err(|e| format!("{label}: {e}"))
    }

    fn choice(&self, id: impl Into<FieldId>) -> usize {
        match self.field(id) {
            Some(Field {
                kind: FieldKind::Choice { selected, .. },
                ..
            }) => *selected,
            _ => 0,
        }
    }

    fn reference(&self, id: impl Into<FieldId>) -> Option<String> {
        match self.field(id) {
            Some(Field {
                kind: FieldKind::Ref { value, .. },
                ..
            }) => value.clone(),
            _ => None,
        }
    }

    fn links(&self, id: impl Into<FieldId>) -> Vec<String> {
        match self.field(id) {
            Some(Field {
                kind: FieldKind::Links { values, .. },
                ..
            }) => values.clone(),
            _ => Vec::new(),
        }
    }

    fn required(&self, id: impl Into<FieldId>) -> Result<String, String> {
        let id = id.into();
        let v = self.text(id);
        if v.is_empty() {
            Err(format!("{}: required", id.label()))
        } else {
            Ok(v)
        }
    }

    /// Turns the form into an edit, or says which field is wrong. `Ok(None)`
    /// when nothing changed.
    pub fn submit(&self, reg: &Register) -> Result<Option<Edit>, String> {
        let (before, after, at) = match self.target {
            FormTarget::Risk(index) => self.submit_risk(reg, index)?,
            FormTarget::Asset(index) => self.submit_asset(reg, index)?,
            FormTarget::Threat(index) => self.submit_threat(reg, index)?,
            FormTarget::Factor(index) => self.submit_factor(reg, index)?,
            FormTarget::Control(c) => self.submit_control(reg, c)?,
            FormTarget::Decision(c) => self.submit_decision(reg, c)?,
            FormTarget::Settings => return self.submit_settings(reg),
            FormTarget::OwnControl(index) => return self.submit_own_control(reg, index),
            FormTarget::Action { index, today } => self.submit_action(reg, index, today)?,
            FormTarget::Evidence { row, index } => self.submit_evidence(reg, row, index)?,
            FormTarget::Note { risk, today } => self.submit_note(reg, risk, today)?,
        };
        Ok(match (before, after) {
            (Some(b), Some(a)) if b == a => None,
            (Some(before), Some(after)) => Some(Edit::Replace { at, before, after }),
            (None, Some(item)) => Some(Edit::Insert { at, item }),
            (Some(item), None) => Some(Edit::Remove { at, item }),
            (None, None) => None,
        })
    }
}

/// Form fields hold plain strings; the register holds [`Id`]s.
fn strings(ids: &[Id]) -> Vec<String> {
    ids.iter().map(Id::to_string).collect()
}

fn ids(strings: &[String]) -> Vec<Id> {
    strings.iter().map(Id::from).collect()
}
