//! Edit forms for every kind of register item: fields, their input rules,
//! and turning a submitted form into an [`Edit`].
//!
//! Validation happens on submit: a bad date, a missing id or a duplicate is
//! refused with a message naming the field, and nothing is changed.

use chrono::NaiveDate;

use crate::domain::model::dates;
use crate::domain::*;

use super::edit::{Edit, Item};
use super::picker::Choice;
use super::text_field::TextField;
use crate::keymap::{KeyCode, KeyPress};

pub mod settings;

/// Where a reference field draws its choices from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefSource {
    Assets,
    Threats,
    Factors,
    Controls,
}

impl RefSource {
    pub fn choices(self, reg: &Register) -> Vec<Choice> {
        let choice = |value: &str, label: String| Choice {
            value: value.to_string(),
            label,
            hint: String::new(),
        };
        match self {
            RefSource::Assets => reg
                .assets
                .iter()
                .map(|a| choice(&a.id, format!("{} {}", a.id, a.name)))
                .collect(),
            RefSource::Threats => reg
                .threats
                .iter()
                .map(|t| choice(&t.id, format!("{} {}", t.id, t.name)))
                .collect(),
            RefSource::Factors => reg
                .factors
                .iter()
                .map(|f| choice(&f.id, format!("{} {}", f.id, f.label)))
                .collect(),
            RefSource::Controls => Catalog::annex_a()
                .controls()
                .iter()
                .map(|c| choice(&c.id, format!("{} {}", c.id, c.title)))
                .collect(),
        }
    }
}

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
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub kind: FieldKind,
}

impl Field {
    fn text(label: &'static str, value: &str) -> Field {
        // Notes and reasons are prose; everything else is a title, a name
        // or an id.
        let limit = match label {
            "Note" | "Reason" | "Residual note" => super::text_field::MAX_NOTE_CHARS,
            _ => super::text_field::MAX_FIELD_CHARS,
        };
        Field {
            label,
            kind: FieldKind::Text(TextField::with_limit(value, limit)),
        }
    }

    fn number(label: &'static str, value: i64, min: i64, max: i64) -> Field {
        let mut field = Field {
            label,
            kind: FieldKind::Number {
                text: TextField::with_limit(&value.to_string(), 24),
                min,
                max,
            },
        };
        field.arrive();
        field
    }

    fn date(label: &'static str, value: Option<NaiveDate>, optional: bool) -> Field {
        let mut field = Field {
            label,
            kind: FieldKind::Date {
                text: TextField::with_limit(&value.map(|d| d.to_string()).unwrap_or_default(), 32),
                optional,
            },
        };
        field.arrive();
        field
    }

    fn choice(label: &'static str, options: Vec<String>, selected: usize) -> Field {
        Field {
            label,
            kind: FieldKind::Choice { options, selected },
        }
    }

    fn reference(
        label: &'static str,
        value: Option<String>,
        source: RefSource,
        optional: bool,
    ) -> Field {
        Field {
            label,
            kind: FieldKind::Ref {
                value,
                source,
                optional,
            },
        }
    }

    fn links(label: &'static str, values: Vec<String>, source: RefSource) -> Field {
        Field {
            label,
            kind: FieldKind::Links {
                selected: values.len().saturating_sub(1),
                values,
                source,
            },
        }
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
        [id, _, ..] if id.label == "ID" && !id.display().trim().is_empty() => 1,
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

    fn field(&self, label: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label == label)
    }

    /// Puts `text` into an empty text or date field.
    pub fn fill_if_empty(&mut self, label: &str, text: &str) {
        if let Some(Field {
            kind: FieldKind::Text(t) | FieldKind::Date { text: t, .. },
            ..
        }) = self.fields.iter_mut().find(|f| f.label == label)
            && t.text().trim().is_empty()
        {
            t.set_text(text);
        }
    }

    /// Focuses the field with this label (for tests and shortcuts).
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

    fn text(&self, label: &str) -> String {
        self.field(label)
            .map(Field::display)
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    fn number(&self, label: &str) -> Result<i64, String> {
        let Some(Field {
            kind: FieldKind::Number { text, min, max },
            ..
        }) = self.field(label)
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

    fn date(&self, label: &str) -> Result<Option<NaiveDate>, String> {
        let Some(Field {
            kind: FieldKind::Date { text, optional },
            ..
        }) = self.field(label)
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

    fn choice(&self, label: &str) -> usize {
        match self.field(label) {
            Some(Field {
                kind: FieldKind::Choice { selected, .. },
                ..
            }) => *selected,
            _ => 0,
        }
    }

    fn reference(&self, label: &str) -> Option<String> {
        match self.field(label) {
            Some(Field {
                kind: FieldKind::Ref { value, .. },
                ..
            }) => value.clone(),
            _ => None,
        }
    }

    fn links(&self, label: &str) -> Vec<String> {
        match self.field(label) {
            Some(Field {
                kind: FieldKind::Links { values, .. },
                ..
            }) => values.clone(),
            _ => Vec::new(),
        }
    }

    fn required(&self, label: &str) -> Result<String, String> {
        let v = self.text(label);
        if v.is_empty() {
            Err(format!("{label}: required"))
        } else {
            Ok(v)
        }
    }

    pub fn risk(reg: &Register, index: Option<usize>) -> Form {
        let m = &reg.method;
        let new_risk;
        let r = match index.and_then(|i| reg.risks.get(i)) {
            Some(r) => r,
            None => {
                new_risk = Risk {
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
        let treatments = Treatment::ALL
            .iter()
            .map(|t| t.as_str().to_string())
            .collect();
        let t_sel = Treatment::ALL
            .iter()
            .position(|t| *t == r.treatment)
            .unwrap_or(0);
        let acc = r.acceptance.as_ref();
        let fields = vec![
            Field::text("ID", &r.id),
            Field::text("Title", &r.title),
            Field::reference("Asset", Some(r.asset.to_string()), RefSource::Assets, false),
            Field::reference(
                "Threat",
                Some(r.threat.to_string()),
                RefSource::Threats,
                false,
            ),
            Field::text("Vulnerability", &r.vulnerability),
            Field::choice(
                "Likelihood",
                scale_options(&m.likelihood),
                (r.likelihood as usize).saturating_sub(1),
            ),
            Field::choice(
                "Impact",
                scale_options(&m.impact),
                (r.impact as usize).saturating_sub(1),
            ),
            Field::choice("Treatment", treatments, t_sel),
            Field::links("Controls", strings(&r.controls), RefSource::Controls),
            Field::text("Owner", &r.owner),
            Field::date("Reviewed", r.reviewed, true),
            Field::date("Due", r.due, true),
            Field::choice(
                "Manual residual L",
                manual_options(&m.likelihood),
                r.residual.as_ref().map_or(0, |x| x.likelihood as usize),
            ),
            Field::choice(
                "Manual residual I",
                manual_options(&m.impact),
                r.residual.as_ref().map_or(0, |x| x.impact as usize),
            ),
            Field::text(
                "Residual note",
                r.residual.as_ref().map_or("", |x| x.note.as_str()),
            ),
            Field::text("Accepted by", acc.map_or(NO_ACCEPTANCE, |a| a.by.as_str())),
            Field::date("Accepted on", acc.map(|a| a.on), true),
            Field::date("Accepted until", acc.map(|a| a.until), true),
            Field::reference(
                "Scope factor",
                r.factor.as_ref().map(Id::to_string),
                RefSource::Factors,
                true,
            ),
        ];
        Form {
            title: match index {
                Some(_) => format!("Edit risk {}", r.id),
                None => "New risk".into(),
            },
            target: FormTarget::Risk(index),
            original: index
                .and_then(|i| reg.risks.get(i))
                .cloned()
                .map(Item::Risk),
            focus: opening_focus(&fields),
            fields,
            error: None,
            reaccept: false,
            as_opened: None,
        }
    }

    pub fn asset(reg: &Register, index: Option<usize>) -> Form {
        let a = index.and_then(|i| reg.assets.get(i));
        let kinds = AssetKind::ALL
            .iter()
            .map(|k| k.as_str().to_string())
            .collect();
        let sel = a
            .and_then(|a| AssetKind::ALL.iter().position(|k| *k == a.kind))
            .unwrap_or(0);
        Form {
            title: a.map_or("New asset".into(), |a| format!("Edit asset {}", a.id)),
            target: FormTarget::Asset(index),
            original: index
                .and_then(|i| reg.assets.get(i))
                .cloned()
                .map(Item::Asset),
            fields: vec![
                Field::text(
                    "ID",
                    &a.map(|a| a.id.clone()).unwrap_or_else(|| {
                        next_id("A-", 2, reg.assets.iter().map(|a| a.id.as_str())).into()
                    }),
                ),
                Field::text("Name", a.map_or("", |a| a.name.as_str())),
                Field::choice("Kind", kinds, sel),
                Field::text("Owner", a.map_or("", |a| a.owner.as_str())),
                Field::reference(
                    "Scope factor",
                    a.and_then(|a| a.factor.as_ref().map(Id::to_string)),
                    RefSource::Factors,
                    true,
                ),
            ],
            focus: 0,
            error: None,
            reaccept: false,
            as_opened: None,
        }
        .opened()
    }

    pub fn threat(reg: &Register, index: Option<usize>) -> Form {
        let t = index.and_then(|i| reg.threats.get(i));
        let n = reg.method.likelihood.len() as i64;
        Form {
            title: t.map_or("New threat".into(), |t| format!("Edit threat {}", t.id)),
            target: FormTarget::Threat(index),
            original: index
                .and_then(|i| reg.threats.get(i))
                .cloned()
                .map(Item::Threat),
            fields: vec![
                Field::text(
                    "ID",
                    &t.map(|t| t.id.clone()).unwrap_or_else(|| {
                        next_id("T-", 2, reg.threats.iter().map(|t| t.id.as_str())).into()
                    }),
                ),
                Field::text("Name", t.map_or("", |t| t.name.as_str())),
                Field::number("Shift", t.map_or(0, |t| i64::from(t.shift)), -n, n),
            ],
            focus: 0,
            error: None,
            reaccept: false,
            as_opened: None,
        }
        .opened()
    }

    pub fn factor(reg: &Register, index: Option<usize>) -> Form {
        let f = index.and_then(|i| reg.factors.get(i));
        Form {
            title: f.map_or("New factor".into(), |f| format!("Edit factor {}", f.id)),
            target: FormTarget::Factor(index),
            original: index
                .and_then(|i| reg.factors.get(i))
                .cloned()
                .map(Item::Factor),
            fields: vec![
                Field::text("ID", f.map_or("", |f| f.id.as_str())),
                Field::text("Label", f.map_or("", |f| f.label.as_str())),
                Field::choice(
                    "On",
                    vec!["off".into(), "on".into()],
                    usize::from(f.is_some_and(|f| f.on)),
                ),
                Field::links(
                    "Requires",
                    f.map(|f| strings(&f.requires)).unwrap_or_default(),
                    RefSource::Controls,
                ),
            ],
            focus: 0,
            error: None,
            reaccept: false,
            as_opened: None,
        }
        .opened()
    }

    pub fn control(reg: &Register, control: usize) -> Form {
        let info = &Catalog::annex_a().controls()[control.min(92)];
        let state = reg.controls.iter().find(|c| c.id == info.id);
        let statuses = ControlStatus::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect();
        let sel = state
            .and_then(|s| ControlStatus::ALL.iter().position(|x| *x == s.status))
            .unwrap_or(0);
        Form {
            title: format!("Control {} {}", info.id, info.title),
            target: FormTarget::Control(control),
            original: None,
            fields: vec![
                Field::choice("Status", statuses, sel),
                Field::number(
                    "Effectiveness",
                    i64::from(state.map_or(DEFAULT_EFFECTIVENESS, |s| s.effectiveness)),
                    0,
                    100,
                ),
                Field::text("Owner", state.map_or("", |s| s.owner.as_str())),
                Field::text("Note", state.map_or("", |s| s.note.as_str())),
            ],
            focus: 0,
            error: None,
            reaccept: false,
            as_opened: None,
        }
        .opened()
    }

    pub fn decision(reg: &Register, control: usize) -> Form {
        let info = &Catalog::annex_a().controls()[control.min(92)];
        let d = reg.decisions.iter().find(|d| d.control == info.id);
        let sel = match d {
            None => 0,
            Some(d) if d.applicable => 1,
            Some(_) => 2,
        };
        Form {
            title: format!("SoA decision for {} {}", info.id, info.title),
            target: FormTarget::Decision(control),
            original: None,
            fields: vec![
                Field::choice(
                    "Decision",
                    vec![
                        "none (derive from risks and factors)".into(),
                        "applicable".into(),
                        "excluded".into(),
                    ],
                    sel,
                ),
                Field::text("Reason", d.map_or("", |d| d.reason.as_str())),
            ],
            focus: 0,
            error: None,
            reaccept: false,
            as_opened: None,
        }
        .opened()
    }

    /// Turns the form into an edit, or says which field is wrong. `Ok(None)`
    /// when nothing changed.
    pub fn submit(&self, reg: &Register) -> Result<Option<Edit>, String> {
        let catalog = Catalog::annex_a();
        let (before, after, at): (Option<Item>, Option<Item>, usize) = match self.target {
            FormTarget::Risk(index) => {
                let id = self.required("ID")?;
                unique(
                    &id,
                    &mut reg
                        .risks
                        .iter()
                        .enumerate()
                        .map(|(i, r)| (i, r.id.as_str())),
                    index,
                )?;
                let title = self.required("Title")?;
                let asset = self.reference("Asset").ok_or("Asset: required")?;
                let threat = self.reference("Threat").ok_or("Threat: required")?;
                let rl = self.choice("Manual residual L");
                let ri = self.choice("Manual residual I");
                let residual = match (rl, ri) {
                    (0, 0) => None,
                    (0, _) | (_, 0) => {
                        return Err(
                            "Manual residual: give both likelihood and impact, or neither".into(),
                        );
                    }
                    (l, i) => Some(ManualResidual {
                        likelihood: l as u32,
                        impact: i as u32,
                        note: self.text("Residual note"),
                    }),
                };
                let by = self.text("Accepted by");
                let on = self.date("Accepted on")?;
                let until = self.date("Accepted until")?;
                let old = match &self.original {
                    Some(Item::Risk(x)) => Some(x),
                    _ => None,
                };
                let controls = self.links("Controls");
                let likelihood = self.choice("Likelihood") as u32 + 1;
                let impact = self.choice("Impact") as u32 + 1;
                let acceptance = match (by.is_empty(), on, until) {
                    (true, None, None) => None,
                    (false, Some(on), Some(until)) => {
                        if until < on {
                            return Err("Accepted until: before Accepted on".into());
                        }
                        // Record what is being accepted, so a later change
                        // to the risk makes the acceptance stale.
                        let shift = reg
                            .threats
                            .iter()
                            .find(|t| t.id == threat)
                            .map_or(0, |t| t.shift);
                        let n = reg.method.likelihood.len().max(1) as i64;
                        let l0 = (i64::from(likelihood) + i64::from(shift)).clamp(1, n) as u32;
                        let same = old.and_then(|o| o.acceptance.as_ref()).filter(|a| {
                            !self.reaccept && a.by == by && a.on == on && a.until == until
                        });
                        Some(match same {
                            Some(a) => a.clone(),
                            None => Box::new(Acceptance {
                                by,
                                on,
                                until,
                                accepted_score: Some(l0 * impact),
                                accepted_controls: Some(ids(&controls)),
                            }),
                        })
                    }
                    _ => {
                        return Err(
                            "Acceptance: give who accepted, from when and until when, or none"
                                .into(),
                        );
                    }
                };
                let risk = Risk {
                    id: id.into(),
                    title,
                    asset: asset.into(),
                    threat: threat.into(),
                    vulnerability: self.text("Vulnerability"),
                    likelihood,
                    impact,
                    treatment: Treatment::ALL[self.choice("Treatment").min(3)],
                    controls: ids(&controls),
                    owner: self.text("Owner"),
                    reviewed: self.date("Reviewed")?,
                    due: self.date("Due")?,
                    residual: residual.map(Box::new),
                    acceptance,
                    factor: self.reference("Scope factor").map(Id::from),
                };
                (
                    old.cloned().map(Item::Risk),
                    Some(Item::Risk(risk)),
                    index.unwrap_or(reg.risks.len()),
                )
            }
            FormTarget::Asset(index) => {
                let id = self.required("ID")?;
                unique(
                    &id,
                    &mut reg
                        .assets
                        .iter()
                        .enumerate()
                        .map(|(i, a)| (i, a.id.as_str())),
                    index,
                )?;
                let old = match &self.original {
                    Some(Item::Asset(x)) => Some(x),
                    _ => None,
                };
                if let Some(o) = old
                    && o.id != id
                    && reg.risks.iter().any(|r| r.asset == o.id)
                {
                    return Err(format!("ID: risks refer to {}; it cannot be renamed", o.id));
                }
                let asset = Asset {
                    id: id.into(),
                    name: self.required("Name")?,
                    kind: AssetKind::ALL[self.choice("Kind").min(8)],
                    owner: self.text("Owner"),
                    factor: self.reference("Scope factor").map(Id::from),
                };
                (
                    old.cloned().map(Item::Asset),
                    Some(Item::Asset(asset)),
                    index.unwrap_or(reg.assets.len()),
                )
            }
            FormTarget::Threat(index) => {
                let id = self.required("ID")?;
                unique(
                    &id,
                    &mut reg
                        .threats
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (i, t.id.as_str())),
                    index,
                )?;
                let old = match &self.original {
                    Some(Item::Threat(x)) => Some(x),
                    _ => None,
                };
                if let Some(o) = old
                    && o.id != id
                    && reg.risks.iter().any(|r| r.threat == o.id)
                {
                    return Err(format!("ID: risks refer to {}; it cannot be renamed", o.id));
                }
                let threat = Threat {
                    id: id.into(),
                    name: self.required("Name")?,
                    shift: self.number("Shift")? as i32,
                };
                (
                    old.cloned().map(Item::Threat),
                    Some(Item::Threat(threat)),
                    index.unwrap_or(reg.threats.len()),
                )
            }
            FormTarget::Factor(index) => {
                let id = self.required("ID")?;
                if id.contains(char::is_whitespace) {
                    return Err("ID: no spaces in a factor id".into());
                }
                unique(
                    &id,
                    &mut reg
                        .factors
                        .iter()
                        .enumerate()
                        .map(|(i, f)| (i, f.id.as_str())),
                    index,
                )?;
                let old = match &self.original {
                    Some(Item::Factor(x)) => Some(x),
                    _ => None,
                };
                if let Some(o) = old
                    && o.id != id
                    && (reg.assets.iter().any(|a| a.factor.as_ref() == Some(&o.id))
                        || reg.risks.iter().any(|r| r.factor.as_ref() == Some(&o.id)))
                {
                    return Err(format!(
                        "ID: assets or risks refer to {}; it cannot be renamed",
                        o.id
                    ));
                }
                let factor = Factor {
                    id: id.into(),
                    label: self.text("Label"),
                    on: self.choice("On") == 1,
                    requires: ids(&self.links("Requires")),
                };
                (
                    old.cloned().map(Item::Factor),
                    Some(Item::Factor(factor)),
                    index.unwrap_or(reg.factors.len()),
                )
            }
            FormTarget::Control(c) => {
                let id = catalog.controls()[c.min(92)].id.clone();
                let state = ControlState {
                    id: id.clone(),
                    status: ControlStatus::ALL[self.choice("Status").min(3)],
                    effectiveness: self.number("Effectiveness")? as u32,
                    owner: self.text("Owner"),
                    note: self.text("Note"),
                };
                match reg.controls.iter().position(|s| s.id == id) {
                    Some(i) => (
                        Some(Item::Control(reg.controls[i].clone())),
                        Some(Item::Control(state)),
                        i,
                    ),
                    // Submitting the defaults for an unrecorded control
                    // records nothing.
                    None if state.status == ControlStatus::NotStarted
                        && state.effectiveness == DEFAULT_EFFECTIVENESS
                        && state.owner.is_empty()
                        && state.note.is_empty() =>
                    {
                        (None, None, 0)
                    }
                    None => (None, Some(Item::Control(state)), reg.controls.len()),
                }
            }
            FormTarget::Decision(c) => {
                let id = catalog.controls()[c.min(92)].id.clone();
                let existing = reg.decisions.iter().position(|d| d.control == id);
                let choice = self.choice("Decision");
                let after = if choice == 0 {
                    None
                } else {
                    let reason = self.text("Reason");
                    if reason.is_empty() {
                        return Err("Reason: a decision needs a reason".into());
                    }
                    Some(Item::Decision(Decision {
                        control: id,
                        applicable: choice == 1,
                        reason,
                    }))
                };
                (
                    existing.map(|i| Item::Decision(reg.decisions[i].clone())),
                    after,
                    existing.unwrap_or(reg.decisions.len()),
                )
            }
            FormTarget::Settings => return self.submit_settings(reg),
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
