//! The register's own settings as a form: name, scope, the two scales'
//! labels and what each label means (the criteria of 6.1.2 a), the levels
//! (with their review periods), the appetite, how old evidence may get and
//! the level matrix on or off.
//!
//! Lists are typed as one line each, so a scale can grow or shrink by
//! typing: labels separated by commas ("Rare, Unlikely, Possible"), levels
//! as `NAME ≤MAX DAYSd` separated by commas ("Low ≤4 365d, Medium ≤9
//! 180d"; `<=` for `≤`, the `d` optional), each optionally followed by
//! who may accept a residual risk of that level: `by NAME/NAME` ("High ≤16
//! 90d by CFO/CEO"; without it, the risk's owner). When a label, level
//! name or acceptor holds a comma, the list is shown with semicolons, and
//! a list typed with a semicolon is split on semicolons. Criteria are
//! sentences, often with commas: they are separated by semicolons ("Less
//! than once in 10 years; Once in 3-10 years"), or by `|` when one holds a
//! semicolon; empty means not written down yet. A field left as it was
//! keeps its values exactly, whatever they hold.
//!
//! Submitting checks the candidate method with `check`'s own rules
//! ([`validate::method_findings`]) and refuses a scale that would leave a
//! risk's score (or manual residual) out of range
//! ([`validate::out_of_scale`]), naming those risks; otherwise it is one
//! undoable [`Edit::Settings`].

use super::{Field, FieldId, Form, FormTarget};
use crate::app::edit::{Edit, Settings};
use crate::domain::eval::level_of;
use crate::domain::validate::{self, Severity};
use crate::domain::{Level, Method, Register};

form_fields! {
    /// The fields of the settings form.
    SettingsField => Settings {
        Name => "Name",
        Scope => "Scope",
        Likelihood => "Likelihood labels",
        LikelihoodCriteria => "Likelihood criteria",
        Impact => "Impact labels",
        ImpactCriteria => "Impact criteria",
        Levels => "Levels",
        Appetite => "Appetite",
        EvidenceDays => "Evidence days",
        Matrix => "Matrix",
    }
}

/// Labels used in messages.
const LIKELIHOOD: &str = SettingsField::Likelihood.label();
const IMPACT: &str = SettingsField::Impact.label();
const LEVELS: &str = SettingsField::Levels.label();
const EVIDENCE_DAYS: &str = SettingsField::EvidenceDays.label();

/// The highest `evidence_days` the form takes (about 27 years): enough
/// for any audit cycle, small enough that `on + d` never leaves the
/// calendar.
const MAX_EVIDENCE_DAYS: u32 = 9_999;

/// The highest score any valid method has (10 × 10).
const MAX_SCORE: i64 = 100;

const MATRIX_OFF: &str = "off: the level follows the score (each level's ≤)";
const MATRIX_BUILD: &str = "on: build a matrix from the levels";
const MATRIX_KEEP: &str = "on: keep this matrix";
const MATRIX_REBUILD: &str = "on: rebuild it from the levels";

/// How many risks a refusal names before "and N more".
const NAMED: usize = 20;

/// What the focused field takes, for the form's hint line.
pub fn hint(field: FieldId) -> Option<&'static str> {
    let FieldId::Settings(field) = field else {
        return None;
    };
    match field {
        SettingsField::Likelihood | SettingsField::Impact => {
            Some("2 to 10 labels, lowest first, separated by commas")
        }
        SettingsField::Levels => Some(
            "NAME ≤MAX DAYSd [by WHO/WHO], lowest first, separated by commas (no by: the risk owner)",
        ),
        SettingsField::Appetite => {
            Some("residual scores above this need treatment or an acceptance")
        }
        SettingsField::LikelihoodCriteria | SettingsField::ImpactCriteria => Some(
            "what each label means, one per label in order, separated by ; (| if one holds a ;) · empty: not written down",
        ),
        SettingsField::EvidenceDays => {
            Some("evidence older than this many days is stale · empty: it never goes stale")
        }
        _ => None,
    }
}

/// The separator a list is shown with: commas, unless an item has one.
fn separator<'a>(items: impl IntoIterator<Item = &'a str>) -> &'static str {
    if items.into_iter().any(|s| s.contains(',')) {
        "; "
    } else {
        ", "
    }
}

fn show_labels(labels: &[String]) -> String {
    labels.join(separator(labels.iter().map(String::as_str)))
}

/// The separator criteria are shown with: semicolons, unless one holds a
/// semicolon (then `|`).
fn criteria_separator(criteria: &[String]) -> &'static str {
    if criteria.iter().any(|c| c.contains(';')) {
        " | "
    } else {
        "; "
    }
}

fn show_criteria(criteria: &[String]) -> String {
    criteria.join(criteria_separator(criteria))
}

/// The criteria typed for a scale of `labels`: split on `|` when the text
/// has one, else on semicolons; items trimmed; empty text is none (not
/// written down). Refused unless there is exactly one per label, or an
/// item is empty.
fn parse_criteria(field: &str, text: &str, labels: &[String]) -> Result<Vec<String>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let sep = if text.contains('|') { '|' } else { ';' };
    let mut items: Vec<String> = text.split(sep).map(|s| s.trim().to_string()).collect();
    if items.last().is_some_and(String::is_empty) {
        items.pop();
    }
    if let Some(n) = items.iter().position(String::is_empty) {
        return Err(format!("{field}: criterion {} is empty", n + 1));
    }
    check_criteria(field, &items, labels)?;
    Ok(items)
}

/// The `criteria` rule of `check`, said for the form: exactly one
/// criterion per label, or none.
fn check_criteria(field: &str, criteria: &[String], labels: &[String]) -> Result<(), String> {
    if criteria.is_empty() || criteria.len() == labels.len() {
        return Ok(());
    }
    Err(format!(
        "{field}: {} criteri{} for {} label{}: give one per label, in order, separated by ; \
         (or leave it empty)",
        criteria.len(),
        if criteria.len() == 1 { "on" } else { "a" },
        labels.len(),
        plural(labels.len()),
    ))
}

/// Empty: `None` (evidence never goes stale); else a whole number of days
/// from 1.
fn parse_evidence_days(text: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.strip_suffix('d').unwrap_or(t).trim().parse::<u32>() {
        Ok(d) if (1..=MAX_EVIDENCE_DAYS).contains(&d) => Ok(Some(d)),
        _ => Err(format!(
            "{EVIDENCE_DAYS}: {t:?} is not a whole number of days from 1 to {MAX_EVIDENCE_DAYS} \
             (leave it empty for evidence that never goes stale)"
        )),
    }
}

/// Separates the names after `by`.
const NAME_SEP: char = '/';

fn show_levels(levels: &[Level]) -> String {
    let sep = separator(
        levels
            .iter()
            .flat_map(|l| std::iter::once(&l.name).chain(&l.accept_by))
            .map(String::as_str),
    );
    levels
        .iter()
        .map(|l| {
            let mut s = format!("{} ≤{} {}d", l.name, l.up_to, l.review_days);
            if !l.accept_by.is_empty() {
                s.push_str(" by ");
                s.push_str(&l.accept_by.join(&NAME_SEP.to_string()));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// Splits a typed list on semicolons when it has one, else on commas;
/// items trimmed; a trailing separator is forgiven, an empty item in the
/// middle is not.
fn split(label: &str, text: &str) -> Result<Vec<String>, String> {
    let sep = if text.contains(';') { ';' } else { ',' };
    let mut items: Vec<String> = text.split(sep).map(|s| s.trim().to_string()).collect();
    if items.last().is_some_and(String::is_empty) {
        items.pop();
    }
    if let Some(n) = items.iter().position(String::is_empty) {
        return Err(format!("{label}: item {} is empty", n + 1));
    }
    Ok(items)
}

/// `Low ≤4 365d` (also `Low <=4 365`, `Low ≤ 4 365d`) → a level.
fn parse_level(text: &str) -> Option<Level> {
    let (rest, days) = text.trim().rsplit_once(char::is_whitespace)?;
    let review_days = days.strip_suffix('d').unwrap_or(days).parse().ok()?;
    let (name, up) = rest.trim_end().rsplit_once(char::is_whitespace)?;
    let up = up
        .strip_prefix('≤')
        .or_else(|| up.strip_prefix("<="))
        .unwrap_or(up);
    let up_to = up.parse().ok()?;
    let name = name
        .trim_end()
        .trim_end_matches('≤')
        .trim_end_matches("<=")
        .trim();
    (!name.is_empty()).then(|| Level {
        accept_by: Vec::new(),
        name: name.to_string(),
        up_to,
        review_days,
    })
}

/// `High ≤16 90d by CFO/CEO` → the level with its acceptors. The first
/// `by` word after which the text before it reads as a level starts the
/// names (a level may be named "Covered by insurance"). Names are
/// trimmed; an empty one (`by`, `by CFO/`, `by CFO//CEO`) is refused.
fn parse_level_with_acceptors(item: &str) -> Result<Level, String> {
    let cannot_read = || {
        format!(
            "{LEVELS}: cannot read {item:?}: write each level as NAME ≤MAX DAYSd, optionally \
             followed by by NAME/NAME, e.g. \"Medium ≤9 180d\" or \"High ≤16 90d by CFO/CEO\""
        )
    };
    let mut end = 0;
    for word in item.split_whitespace() {
        // Where this word starts: words are found in order.
        let at = item[end..].find(word).map_or(end, |p| end + p);
        end = at + word.len();
        if !word.eq_ignore_ascii_case("by") {
            continue;
        }
        let Some(mut level) = parse_level(&item[..at]) else {
            continue;
        };
        let names: Vec<String> = item[end..]
            .split(NAME_SEP)
            .map(|n| n.trim().to_string())
            .collect();
        if names.iter().any(String::is_empty) {
            return Err(format!(
                "{LEVELS}: {:?}: name who may accept a {} risk after by, separated by {NAME_SEP} \
                 (e.g. \"by CFO/CEO\"), or leave by out for the risk owner",
                item.trim(),
                level.name
            ));
        }
        level.accept_by = names;
        return Ok(level);
    }
    parse_level(item).ok_or_else(cannot_read)
}

fn parse_levels(text: &str) -> Result<Vec<Level>, String> {
    let items = split(LEVELS, text)?;
    if items.is_empty() {
        return Err(format!(
            "{LEVELS}: give at least one level, e.g. \"Low ≤4 365d, High ≤25 90d\""
        ));
    }
    items
        .iter()
        .map(|item| parse_level_with_acceptors(item))
        .collect()
}

/// The matrix the `up_to` rule gives: each cell the first level whose
/// `up_to` covers likelihood × impact.
fn matrix_from_levels(m: &Method) -> Vec<Vec<String>> {
    let rule = Method {
        matrix: None,
        ..m.clone()
    };
    (1..=m.likelihood.len() as u32)
        .map(|l| {
            (1..=m.impact.len() as u32)
                .map(|i| {
                    level_of(&rule, l, i)
                        .and_then(|x| m.levels.get(x))
                        .map_or_else(String::new, |x| x.name.clone())
                })
                .collect()
        })
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "R-001, R-004 (manual residual), … and 3 more".
fn name_risks(ids: &[String]) -> String {
    let mut s = ids
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > NAMED {
        s.push_str(&format!(" and {} more", ids.len() - NAMED));
    }
    s
}

/// The risks a shrunk scale would leave out of range, per axis, as
/// refusals naming them.
fn out_of_range(reg: &Register, method: &Method) -> Vec<String> {
    let (n_l, n_i) = (method.likelihood.len(), method.impact.len());
    let shrunk_l = n_l < reg.method.likelihood.len();
    let shrunk_i = n_i < reg.method.impact.len();
    if !shrunk_l && !shrunk_i {
        return Vec::new();
    }
    let (mut by_l, mut by_i) = (Vec::new(), Vec::new());
    for r in &reg.risks {
        let bad = validate::out_of_scale(r, n_l as u32, n_i as u32);
        let name = |own: bool| {
            if own {
                r.id.to_string()
            } else {
                format!("{} (manual residual)", r.id)
            }
        };
        if shrunk_l && (bad.likelihood || bad.manual_likelihood) {
            by_l.push(name(bad.likelihood));
        }
        if shrunk_i && (bad.impact || bad.manual_impact) {
            by_i.push(name(bad.impact));
        }
    }
    [("likelihood", n_l, by_l), ("impact", n_i, by_i)]
        .into_iter()
        .filter(|(_, _, ids)| !ids.is_empty())
        .map(|(axis, n, ids)| {
            format!(
                "{} risk{} would score outside the new {axis} scale 1..={n}: {}; rescore {} first",
                ids.len(),
                plural(ids.len()),
                name_risks(&ids),
                if ids.len() == 1 { "it" } else { "them" }
            )
        })
        .collect()
}

/// What a settings edit changed, for the status line: "Settings changed:
/// impact scale 5 → 4 values, appetite 9 → 12".
pub fn summary(before: &Settings, after: &Settings) -> String {
    let (a, b) = (&before.method, &after.method);
    let mut parts = Vec::new();
    if before.name != after.name {
        parts.push(format!("name {:?}", after.name));
    }
    if before.scope != after.scope {
        parts.push("scope".to_string());
    }
    for (axis, x, y) in [
        ("likelihood", &a.likelihood, &b.likelihood),
        ("impact", &a.impact, &b.impact),
    ] {
        if x.len() != y.len() {
            parts.push(format!("{axis} scale {} → {} values", x.len(), y.len()));
        } else if x != y {
            parts.push(format!("{axis} labels"));
        }
    }
    if a.levels != b.levels {
        let without_acceptors = |levels: &[Level]| {
            levels
                .iter()
                .map(|l| (l.name.clone(), l.up_to, l.review_days))
                .collect::<Vec<_>>()
        };
        if without_acceptors(&a.levels) == without_acceptors(&b.levels) {
            parts.push("who may accept".to_string());
        } else {
            parts.push("levels".to_string());
        }
    }
    if a.appetite != b.appetite {
        parts.push(format!("appetite {} → {}", a.appetite, b.appetite));
    }
    for (axis, x, y) in [
        ("likelihood", &a.likelihood_criteria, &b.likelihood_criteria),
        ("impact", &a.impact_criteria, &b.impact_criteria),
    ] {
        if x != y {
            parts.push(format!("{axis} criteria"));
        }
    }
    if a.evidence_days != b.evidence_days {
        let days =
            |d: Option<u32>| d.map_or_else(|| "never stale".to_string(), |d| format!("{d}d"));
        parts.push(format!(
            "evidence days {} → {}",
            days(a.evidence_days),
            days(b.evidence_days)
        ));
    }
    match (&a.matrix, &b.matrix) {
        (None, Some(_)) => parts.push("matrix on".to_string()),
        (Some(_), None) => parts.push("matrix off".to_string()),
        (x, y) if x != y => parts.push("matrix".to_string()),
        _ => {}
    }
    format!("Settings changed: {}", parts.join(", "))
}

impl Form {
    /// The settings form for the register as it is.
    pub fn settings(reg: &Register) -> Form {
        let m = &reg.method;
        let matrix = if m.matrix.is_some() {
            vec![MATRIX_KEEP.into(), MATRIX_REBUILD.into(), MATRIX_OFF.into()]
        } else {
            vec![MATRIX_OFF.into(), MATRIX_BUILD.into()]
        };
        Form::new(
            "Register settings".into(),
            FormTarget::Settings,
            None,
            SettingsField::ALL
                .iter()
                .map(|&f| match f {
                    SettingsField::Name => Field::text(f, &reg.name),
                    SettingsField::Scope => Field::text(f, &reg.scope),
                    SettingsField::Likelihood => Field::text(f, &show_labels(&m.likelihood)),
                    SettingsField::LikelihoodCriteria => {
                        Field::text(f, &show_criteria(&m.likelihood_criteria))
                    }
                    SettingsField::Impact => Field::text(f, &show_labels(&m.impact)),
                    SettingsField::ImpactCriteria => {
                        Field::text(f, &show_criteria(&m.impact_criteria))
                    }
                    SettingsField::EvidenceDays => Field::text(
                        f,
                        &m.evidence_days.map(|d| d.to_string()).unwrap_or_default(),
                    ),
                    SettingsField::Levels => Field::text(f, &show_levels(&m.levels)),
                    SettingsField::Appetite => {
                        Field::number(f, i64::from(m.appetite), 0, MAX_SCORE)
                    }
                    SettingsField::Matrix => Field::choice(f, matrix.clone(), 0),
                })
                .collect(),
        )
    }

    /// The settings edit, or every reason it is refused (joined).
    pub(super) fn submit_settings(&self, reg: &Register) -> Result<Option<Edit>, String> {
        let before = Settings::of(reg);
        let initial = Form::settings(reg);
        // A field as it was keeps its value exactly (odd spacing, a label
        // with both separators): only what was typed is parsed.
        let typed = |field: SettingsField| {
            let now = self.field(field).map(Field::display);
            (now != initial.field(field).map(Field::display)).then(|| now.unwrap_or_default())
        };
        let name = match typed(SettingsField::Name) {
            None => before.name.clone(),
            Some(_) => self.required(SettingsField::Name)?,
        };
        let scope = match typed(SettingsField::Scope) {
            None => before.scope.clone(),
            Some(s) => s.trim().to_string(),
        };
        let m = &before.method;
        let likelihood = match typed(SettingsField::Likelihood) {
            None => m.likelihood.clone(),
            Some(s) => split(LIKELIHOOD, &s)?,
        };
        let impact = match typed(SettingsField::Impact) {
            None => m.impact.clone(),
            Some(s) => split(IMPACT, &s)?,
        };
        let levels = match typed(SettingsField::Levels) {
            None => m.levels.clone(),
            // A level whose acceptors read as they were shown keeps them
            // exactly (a name holding a `/` is not split by a retyped
            // neighbour).
            Some(s) => parse_levels(&s)?
                .into_iter()
                .map(|mut l| {
                    if let Some(old) = m.levels.iter().find(|o| o.name == l.name)
                        && parse_levels(&show_levels(std::slice::from_ref(old))).is_ok_and(
                            |shown| shown.first().map(|x| &x.accept_by) == Some(&l.accept_by),
                        )
                    {
                        l.accept_by.clone_from(&old.accept_by);
                    }
                    l
                })
                .collect(),
        };
        let appetite = self.number(SettingsField::Appetite)? as u32;
        // Criteria left as they were are kept, but must still fit the
        // scale: a label added or removed needs its criterion too.
        let criteria = |field: SettingsField, old: &[String], labels: &[String]| match typed(field)
        {
            None => check_criteria(field.label(), old, labels).map(|()| old.to_vec()),
            Some(s) => parse_criteria(field.label(), &s, labels),
        };
        let likelihood_criteria = criteria(
            SettingsField::LikelihoodCriteria,
            &m.likelihood_criteria,
            &likelihood,
        );
        let impact_criteria = criteria(SettingsField::ImpactCriteria, &m.impact_criteria, &impact);
        let evidence_days = match typed(SettingsField::EvidenceDays) {
            None => Ok(m.evidence_days),
            Some(s) => parse_evidence_days(&s),
        };
        // Said with every other refusal, after them (criteria that no
        // longer fit usually follow from a scale being refused anyway).
        let mut refused = Vec::new();
        let mut take = |r: Result<Vec<String>, String>| {
            r.unwrap_or_else(|e| {
                refused.push(e);
                Vec::new()
            })
        };
        let (likelihood_criteria, impact_criteria) =
            (take(likelihood_criteria), take(impact_criteria));
        let evidence_days = evidence_days.unwrap_or_else(|e| {
            refused.push(e);
            None
        });
        let mut method = Method {
            evidence_days,
            impact_criteria,
            likelihood_criteria,
            likelihood,
            impact,
            levels,
            matrix: None,
            appetite,
        };
        let chosen = match self
            .field(SettingsField::Matrix)
            .map(Field::display)
            .as_deref()
        {
            Some(MATRIX_KEEP) => m.matrix.clone().map(|mut kept| {
                // A level renamed in place is renamed in the matrix too.
                if m.levels.len() == method.levels.len() {
                    for cell in kept.iter_mut().flatten() {
                        if let Some(i) = m.levels.iter().position(|l| l.name == *cell) {
                            cell.clone_from(&method.levels[i].name);
                        }
                    }
                }
                kept
            }),
            Some(MATRIX_BUILD | MATRIX_REBUILD) => Some(matrix_from_levels(&method)),
            _ => None,
        };
        method.matrix = chosen;

        let findings = validate::method_findings(&method);
        let mut problems: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.message.clone())
            .collect();
        // Built from valid levels, a matrix fits; a kept one may not fit
        // new scales or levels.
        if findings.iter().any(|f| f.code == "matrix") {
            problems.push(format!(
                "the matrix no longer fits: choose \"{MATRIX_REBUILD}\" or switch it off"
            ));
        }
        problems.extend(out_of_range(reg, &method));
        problems.extend(refused);
        if !problems.is_empty() {
            return Err(problems.join(" · "));
        }
        let after = Settings {
            name,
            scope,
            method,
        };
        Ok((after != before).then(|| Edit::Settings {
            before: Box::new(before),
            after: Box::new(after),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_back_as_shown() {
        let levels = vec![
            Level {
                accept_by: Vec::new(),
                name: "Very Low".into(),
                up_to: 2,
                review_days: 365,
            },
            Level {
                accept_by: Vec::new(),
                name: "High".into(),
                up_to: 25,
                review_days: 30,
            },
        ];
        assert_eq!(parse_levels(&show_levels(&levels)).unwrap(), levels);
        assert_eq!(
            parse_levels("Very Low <=2 365, High ≤ 25 30d,").unwrap(),
            levels
        );
        assert!(parse_levels("High 25").is_err());
        assert!(parse_levels("≤25 30d").is_err());
    }

    #[test]
    fn acceptors_read_back_as_shown() {
        let level = |name: &str, up_to, by: &[&str]| Level {
            accept_by: by.iter().map(|s| s.to_string()).collect(),
            name: name.into(),
            up_to,
            review_days: 90,
        };
        let levels = vec![
            level("Covered by insurance", 4, &[]),
            level("High", 16, &["CFO", "Head of IT"]),
            level("Critical", 25, &["CEO"]),
        ];
        let shown = show_levels(&levels);
        assert_eq!(
            shown,
            "Covered by insurance ≤4 90d, High ≤16 90d by CFO/Head of IT, Critical ≤25 90d by CEO"
        );
        assert_eq!(parse_levels(&shown).unwrap(), levels);
        assert_eq!(
            parse_levels("Covered by insurance <=4 90, High ≤16 90d BY  CFO / Head of IT , Critical ≤25 90d by CEO").unwrap(),
            levels
        );
        for bad in [
            "High ≤16 90d by",
            "High ≤16 90d by CFO/",
            "High ≤16 90d by CFO//CEO",
        ] {
            let e = parse_levels(bad).unwrap_err();
            assert!(
                e.contains("name who may accept a High risk after by"),
                "{e}"
            );
        }
        assert!(parse_levels("High ≤16 90d CFO").is_err());
    }

    #[test]
    fn criteria_read_back_as_shown_and_must_fit_the_labels() {
        let labels: Vec<String> = ["Rare", "Often"].map(String::from).to_vec();
        let plain = vec!["Once a decade, or less".to_string(), "Monthly".to_string()];
        assert_eq!(show_criteria(&plain), "Once a decade, or less; Monthly");
        assert_eq!(
            parse_criteria("x", &show_criteria(&plain), &labels).unwrap(),
            plain
        );
        let semi = vec!["a; b".to_string(), "c".to_string()];
        assert_eq!(show_criteria(&semi), "a; b | c");
        assert_eq!(
            parse_criteria("x", &show_criteria(&semi), &labels).unwrap(),
            semi
        );
        assert!(parse_criteria("x", "  ", &labels).unwrap().is_empty());
        let e = parse_criteria("x", "a; b; c", &labels).unwrap_err();
        assert!(e.contains("3 criteria for 2 labels"), "{e}");
        assert_eq!(parse_evidence_days(""), Ok(None));
        assert_eq!(parse_evidence_days(" 90d "), Ok(Some(90)));
        assert!(parse_evidence_days("0").is_err());
        assert!(parse_evidence_days("10000").is_err());
    }

    #[test]
    fn labels_with_commas_use_semicolons() {
        let labels = vec!["Rare, once a decade".to_string(), "Often".to_string()];
        let shown = show_labels(&labels);
        assert_eq!(shown, "Rare, once a decade; Often");
        assert_eq!(split("x", &shown).unwrap(), labels);
        assert!(split("x", "a, , b").is_err());
    }
}
