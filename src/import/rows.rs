//! Giving columns their roles and reading every row into a [`Row`], with
//! the row errors and assumptions in the report.

use std::collections::HashMap;

use crate::domain::Cia;

use super::columns::{self, Column, FLAGS, Field, MapRule, Role};
use super::read::Table;
use super::report::{LIST_MAX, acceptance_header, capped, computed_header, line_list, rows_word};
use super::values::{Scale, one_line};
use super::{ImportError, ImportOptions, Mode, Parsed, Row, RowError, Seen, cia, values};

/// Fields read as text: a formula-looking cell there is imported as written.
const TEXT_FIELDS: [Field; 9] = [
    Field::Id,
    Field::AssetId,
    Field::ThreatId,
    Field::Title,
    Field::Asset,
    Field::AssetOwner,
    Field::Threat,
    Field::Vulnerability,
    Field::Owner,
];

/// Fields whose value is read: a formula there cannot be imported.
const VALUE_FIELDS: [Field; 11] = [
    Field::Likelihood,
    Field::Impact,
    Field::Treatment,
    Field::Controls,
    Field::Reviewed,
    Field::Due,
    Field::AssetKind,
    Field::Cia,
    Field::Confidentiality,
    Field::Integrity,
    Field::Availability,
];

/// A title for a row without one, from what it names: "Ransomware against
/// Customer database through flat network", "Ransomware against Customer
/// database", "Risk to Customer database through flat network". `None`
/// when the row names none of the three.
pub(crate) fn build_title(threat: &str, asset: &str, vulnerability: &str) -> Option<String> {
    let (threat, asset) = (one_line(threat).0, one_line(asset).0);
    let vulnerability = one_line(vulnerability).0;
    let mut title = match (threat.is_empty(), asset.is_empty()) {
        (false, false) => format!("{threat} against {asset}"),
        (false, true) => threat,
        (true, false) => format!("Risk to {asset}"),
        (true, true) => return (!vulnerability.is_empty()).then_some(vulnerability),
    };
    if !vulnerability.is_empty() {
        title.push_str(" through ");
        title.push_str(&lower_first_word(&vulnerability));
    }
    Some(title)
}

/// "Flat network" → "flat network" inside a sentence; "MFA not enforced"
/// and "SharePoint" keep their capitals (a word with more than its first
/// letter in capitals is a name or an acronym).
fn lower_first_word(s: &str) -> String {
    let first = s.split(' ').next().unwrap_or("");
    if first.chars().skip(1).any(char::is_uppercase) {
        return s.to_string();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Assigns columns and reads every row: the values of the importable
/// rows, every bad row's errors and the assumptions, in the report.
pub(super) fn parse_rows(
    table: Table,
    opts: &ImportOptions,
    rules: &[MapRule],
    mode: Mode,
) -> Result<Parsed, ImportError> {
    let Table {
        records,
        header_at,
        mut unreadable,
        neutralised,
        mut report,
    } = table;
    let Some(header) = records.get(header_at).filter(|r| !r.is_blank()) else {
        return Err(ImportError::Usage(match &report.sheet {
            Some(sheet) => format!("{}: sheet {sheet:?} is empty", opts.source),
            None => format!("{}: the file is empty", opts.source),
        }));
    };
    let headers: Vec<String> = header.cells.iter().map(|h| h.trim().to_string()).collect();
    let cols = columns::assign(&headers, rules).map_err(ImportError::Usage)?;
    let col_of = |f: Field| {
        cols.iter().find_map(|c| match c.role {
            Role::Field { field, .. } if field == f => Some(c.index),
            _ => None,
        })
    };
    let parts = [Field::Asset, Field::Threat, Field::Vulnerability];
    let has_parts = parts.iter().any(|f| col_of(*f).is_some());
    let missing: Vec<&str> = match mode {
        Mode::New => [Field::Title, Field::Likelihood, Field::Impact]
            .into_iter()
            .filter(|f| col_of(*f).is_none() && !(*f == Field::Title && has_parts))
            .map(|f| f.name())
            .collect(),
        Mode::Into(_) => [Field::Id]
            .into_iter()
            .filter(|f| col_of(*f).is_none())
            .map(|f| f.name())
            .collect(),
    };
    if !missing.is_empty() {
        let found: Vec<String> = headers.iter().map(|h| format!("{h:?}")).collect();
        let why = match mode {
            Mode::New if missing.contains(&"title") => {
                " (nor asset, threat or vulnerability to build titles from)"
            }
            Mode::New => "",
            Mode::Into(_) => " (--into matches rows to the register's risks by id)",
        };
        return Err(ImportError::Usage(format!(
            "{}:{}: no column for {}{why} (columns on the header {}: {}); name it with --map \"Column=FIELD\"",
            opts.source,
            match &report.sheet {
                Some(_) => report.at(header.line, 1),
                None => header.line.to_string(),
            },
            missing.join(", "),
            if report.sheet.is_some() {
                "row"
            } else {
                "line"
            },
            found.join(", ")
        )));
    }

    report.header_line = header.line;
    report.columns = cols.clone();
    if header_at > 0 {
        let skipped = records[..header_at]
            .iter()
            .filter(|r| !r.is_blank())
            .count();
        if skipped > 0 {
            report.assumptions.push(format!(
                "{} above the header skipped (titles or notes)",
                rows_word(skipped)
            ));
        }
    }

    let mut seen = Seen::default();
    let mut rows: Vec<Row> = Vec::new();
    let mut ids_seen: HashMap<String, usize> = HashMap::new();
    let mut joined: Vec<(usize, &'static str)> = Vec::new();
    let mut ignored_text: Vec<String> = Vec::new();
    let mut extra_cells: Vec<usize> = Vec::new();
    let mut built_titles: Vec<usize> = Vec::new();
    let mut outside: Vec<usize> = Vec::new();
    for (index, rec) in records.iter().enumerate().skip(header_at + 1) {
        if rec.is_blank() {
            report.blank_rows += 1;
            continue;
        }
        // Notes or sums beside the table, in a row that is otherwise
        // empty, are no risk: the row is skipped (and said so).
        let read_here = |i: usize| {
            cols.get(i)
                .is_some_and(|c| matches!(c.role, Role::Field { .. }))
        };
        if rec
            .cells
            .iter()
            .enumerate()
            .all(|(i, c)| !read_here(i) || c.trim().is_empty())
        {
            outside.push(rec.line);
            continue;
        }
        report.rows_read += 1;
        let line = rec.line;
        if rec.cells.len() > headers.len()
            && rec.cells[headers.len()..]
                .iter()
                .any(|c| !c.trim().is_empty())
        {
            extra_cells.push(line);
        }
        let mut errors: Vec<RowError> = unreadable.remove(&index).unwrap_or_default();
        // The cell as written, and as meant: without the `'` that
        // `risks --format csv` puts before a formula character.
        let raw_cell = |f: Field| -> Option<(usize, &str)> {
            col_of(f).map(|i| (i + 1, rec.cells.get(i).map_or("", String::as_str)))
        };
        let cell = |f: Field| {
            raw_cell(f).map(|(col, raw)| {
                (
                    col,
                    if neutralised {
                        crate::escape::csv_cell_read(raw)
                    } else {
                        raw
                    },
                )
            })
        };
        // A formula is never evaluated: in a text field it is the text
        // (reported); a value that must be read (a number, a date, a
        // treatment, controls) makes the row unimportable.
        for f in TEXT_FIELDS {
            if let Some((col, raw)) = raw_cell(f)
                && values::is_formula(raw)
            {
                report.formulas.push(RowError {
                    line,
                    col,
                    message: format!(
                        "{} {:?} is kept as text (a spreadsheet would run it)",
                        f.name(),
                        one_line(raw).0
                    ),
                });
            }
        }
        let mut blocked: Vec<Field> = Vec::new();
        for f in VALUE_FIELDS {
            if let Some((col, v)) = cell(f)
                && values::is_formula(v)
            {
                blocked.push(f);
                errors.push(RowError {
                    line,
                    col,
                    message: format!(
                        "{} {:?} is a spreadsheet formula: riskbench does not evaluate formulas; put the value itself in the cell",
                        f.name(),
                        one_line(v).0
                    ),
                });
            }
        }
        let text = |f: Field, joined: &mut Vec<(usize, &'static str)>| -> String {
            let Some((_, raw)) = cell(f) else {
                return String::new();
            };
            let (t, had_break) = one_line(raw);
            if had_break {
                joined.push((line, f.name()));
            }
            t
        };
        let id = text(Field::Id, &mut joined);
        let asset = text(Field::Asset, &mut joined);
        let threat = text(Field::Threat, &mut joined);
        let asset_id = text(Field::AssetId, &mut joined);
        let threat_id = text(Field::ThreatId, &mut joined);
        let owner = text(Field::Owner, &mut joined);
        let asset_owner = text(Field::AssetOwner, &mut joined);
        // Line breaks kept, as `\n` (CRLF, or a lone CR from old Mac Excel).
        let vulnerability = cell(Field::Vulnerability)
            .map(|(_, v)| v.trim().replace("\r\n", "\n").replace('\r', "\n"))
            .unwrap_or_default();
        let title = if col_of(Field::Title).is_some() {
            let title = text(Field::Title, &mut joined);
            if title.is_empty() {
                let (col, _) = cell(Field::Title).unwrap_or((1, ""));
                errors.push(RowError {
                    line,
                    col,
                    message: "the risk title is empty".into(),
                });
            }
            title
        } else {
            match (build_title(&threat, &asset, &vulnerability), mode) {
                (Some(t), Mode::New) => {
                    built_titles.push(line);
                    t
                }
                // `update` builds the titles of new risks itself, from
                // the names of the entities it resolves.
                (_, Mode::Into(_)) => String::new(),
                (None, Mode::New) => {
                    let col = parts.iter().find_map(|f| col_of(*f)).map_or(1, |i| i + 1);
                    errors.push(RowError {
                        line,
                        col,
                        message: "no title: the row names no asset, threat or vulnerability to build one from".into(),
                    });
                    String::new()
                }
            }
        };
        if !id.is_empty() {
            if let Some(&first) = ids_seen.get(&id) {
                let (col, _) = cell(Field::Id).unwrap_or((1, ""));
                errors.push(RowError {
                    line,
                    col,
                    message: format!("duplicate risk id {id:?} (also on line {first})"),
                });
            } else {
                ids_seen.insert(id.clone(), line);
            }
        }
        let scale = |f: Field, s: Scale, seen: &mut Seen, errors: &mut Vec<RowError>| {
            if blocked.contains(&f) {
                return 0;
            }
            // No column (only with --into): the register keeps its value.
            let Some((col, raw)) = cell(f) else {
                return 0;
            };
            let read = match mode {
                Mode::New => values::parse_scale(raw, s, 5),
                Mode::Into(reg) => values::parse_scale_in(
                    raw,
                    s,
                    match s {
                        Scale::Likelihood => &reg.method.likelihood,
                        Scale::Impact => &reg.method.impact,
                    },
                ),
            };
            match read {
                Ok(v) => {
                    if let Some(label) = &v.label {
                        let key = values::norm_words(label);
                        seen.note(
                            s.name(),
                            &key,
                            || format!("{} {label:?} → {}", s.name(), v.value),
                            line,
                        );
                    }
                    v.value
                }
                Err(message) => {
                    errors.push(RowError { line, col, message });
                    0
                }
            }
        };
        let likelihood = scale(Field::Likelihood, Scale::Likelihood, &mut seen, &mut errors);
        let impact = scale(Field::Impact, Scale::Impact, &mut seen, &mut errors);
        let treatment = match cell(Field::Treatment) {
            None => None,
            Some(_) if blocked.contains(&Field::Treatment) => None,
            Some((col, raw)) => match values::parse_treatment(raw) {
                Ok(Some((t, word))) => {
                    // "Modify" meaning Modify is no assumption.
                    if !one_line(raw).0.eq_ignore_ascii_case(t.as_str()) {
                        let key = word.to_lowercase();
                        seen.note(
                            "treatment",
                            &key,
                            || format!("treatment {word:?} → {}", t.as_str()),
                            line,
                        );
                    }
                    Some(t)
                }
                Ok(None) => None,
                Err(message) => {
                    errors.push(RowError { line, col, message });
                    None
                }
            },
        };
        let mut controls = Vec::new();
        if blocked.contains(&Field::Controls) {
        } else if let Some((_, raw)) = cell(Field::Controls)
            && values::is_placeholder(raw)
        {
            seen.note(
                "placeholder",
                &format!("controls|{}", raw.trim().to_lowercase()),
                || format!("controls {:?} read as no controls", raw.trim()),
                line,
            );
        } else if let Some((col, raw)) = cell(Field::Controls) {
            // Updating a register: its own controls' ids are links too.
            let own: Vec<&str> = match mode {
                Mode::Into(reg) => reg.own_controls.iter().map(|c| c.id.as_str()).collect(),
                Mode::New => Vec::new(),
            };
            let parsed = values::parse_controls_with(raw, &own);
            for u in &parsed.unknown {
                errors.push(RowError {
                    line,
                    col,
                    message: format!(
                        "unknown control {u:?}: neither an ISO/IEC 27001:2022 nor a 2013 Annex A control"
                    ),
                });
            }
            if parsed.ids.is_empty() && parsed.unknown.is_empty() && !parsed.ignored.is_empty() {
                errors.push(RowError {
                    line,
                    col,
                    message: format!(
                        "no control id in {:?} (expected ids such as A.8.13, 8.13 or A.12.3.1)",
                        one_line(raw).0
                    ),
                });
            } else if !parsed.ignored.is_empty() {
                ignored_text.push(format!(
                    "line {line}: text in the controls cell ignored: {}",
                    parsed
                        .ignored
                        .iter()
                        .map(|t| format!("{t:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            for (written, old) in &parsed.translated {
                seen.note(
                    "translation",
                    &old.id,
                    || {
                        format!(
                            "2013 control {written} ({}) → {}",
                            old.title,
                            old.targets.join(" + ")
                        )
                    },
                    line,
                );
            }
            controls = parsed.ids;
        }
        let date = |f: Field, seen: &mut Seen, errors: &mut Vec<RowError>| {
            if blocked.contains(&f) {
                return None;
            }
            let (col, raw) = cell(f)?;
            if raw.trim().is_empty() {
                return None;
            }
            if values::is_placeholder(raw) {
                seen.note(
                    "placeholder",
                    &format!("{}|{}", f.name(), raw.trim().to_lowercase()),
                    || format!("{} {:?} read as no date", f.name(), raw.trim()),
                    line,
                );
                return None;
            }
            match values::parse_date(raw) {
                Ok(d) => {
                    seen.note(
                        "date",
                        &format!("{}|{}", f.name(), d.format),
                        || format!("{} dates read as {}", f.name(), d.format),
                        line,
                    );
                    Some(d.date)
                }
                Err(e) => {
                    errors.push(RowError {
                        line,
                        col,
                        message: format!("{}: {e}", f.name()),
                    });
                    None
                }
            }
        };
        let reviewed = date(Field::Reviewed, &mut seen, &mut errors);
        let due = date(Field::Due, &mut seen, &mut errors);
        let asset_kind = match cell(Field::AssetKind) {
            _ if blocked.contains(&Field::AssetKind) => None,
            Some((col, raw)) if !raw.trim().is_empty() => match values::parse_asset_kind(raw) {
                Ok(k) => Some((k, one_line(raw).0)),
                Err(message) => {
                    errors.push(RowError { line, col, message });
                    None
                }
            },
            _ => None,
        };
        // C/I/A: one column speaks for all three properties, a yes/no
        // column for its own one (and corrects the one column when
        // `--map` keeps both).
        let (mut cia_set, mut cia_of) = (Vec::new(), Vec::new());
        if let Some((col, raw)) = cell(Field::Cia).filter(|_| !blocked.contains(&Field::Cia)) {
            cia_of = Cia::ALL.to_vec();
            if values::is_placeholder(raw) {
                seen.note(
                    "placeholder",
                    &format!("cia|{}", raw.trim().to_lowercase()),
                    || format!("cia {:?} read as none", raw.trim()),
                    line,
                );
            }
            match cia::parse_cia(raw) {
                Ok(v) => cia_set = v,
                Err(message) => errors.push(RowError { line, col, message }),
            }
        }
        for (field, property) in FLAGS.into_iter().zip(Cia::ALL) {
            let Some((col, raw)) = cell(field).filter(|_| !blocked.contains(&field)) else {
                continue;
            };
            if !cia_of.contains(&property) {
                cia_of.push(property);
            }
            let header = cols.get(col - 1).map_or("", |c| c.header.as_str());
            match cia::parse_flag(raw, field.name(), header) {
                Ok(true) if !cia_set.contains(&property) => cia_set.push(property),
                Ok(true) => {}
                Ok(false) => cia_set.retain(|c| *c != property),
                Err(message) => errors.push(RowError { line, col, message }),
            }
        }
        cia_set.sort();
        cia_of.sort();
        if !errors.is_empty() {
            report.errors.extend(errors);
            continue;
        }
        rows.push(Row {
            line,
            id: (!id.is_empty()).then_some(id),
            title,
            asset: (!asset.is_empty()).then_some(asset),
            asset_id: (!asset_id.is_empty()).then_some(asset_id),
            threat_id: (!threat_id.is_empty()).then_some(threat_id),
            asset_kind,
            asset_owner,
            threat: (!threat.is_empty()).then_some(threat),
            vulnerability,
            likelihood,
            impact,
            treatment,
            controls,
            owner,
            reviewed,
            due,
            cia: cia_set,
            cia_of,
        });
    }
    report.errors.sort();
    report.formulas.sort();

    // Assumptions, in a fixed order.
    let a = &mut report.assumptions;
    if !extra_cells.is_empty() {
        a.push(format!(
            "{} more cells than the header has columns; the extra cells ignored",
            line_list(&extra_cells)
        ));
    }
    if !outside.is_empty() {
        a.push(format!(
            "{} skipped: nothing in the columns riskbench reads (text only beside the table)",
            line_list(&outside)
        ));
    }
    let listed = |pick: &dyn Fn(&Column) -> bool| -> Vec<String> {
        cols.iter()
            .filter(|c| pick(c))
            .map(|c| format!("{:?}", c.header))
            .collect()
    };
    let derived = listed(&|c| {
        matches!(c.role, Role::Ignored | Role::Duplicate { .. }) && computed_header(&c.header)
    });
    if !derived.is_empty() {
        a.push(format!(
            "columns riskbench works out itself (scores, levels, next review, …) ignored: {}",
            derived.join(", ")
        ));
    }
    let acceptance = listed(&|c| c.role == Role::Ignored && acceptance_header(&c.header));
    if !acceptance.is_empty() {
        a.push(format!(
            "acceptance columns not imported (an acceptance is recorded in riskbench itself): {}",
            acceptance.join(", ")
        ));
    }
    if let Some(&first) = built_titles.first() {
        let example = rows
            .iter()
            .find(|r| r.line == first)
            .map_or(String::new(), |r| format!(", e.g. {:?}", r.title));
        a.push(format!(
            "no title column: titles built from threat, asset and vulnerability (\"THREAT against ASSET through VULNERABILITY\"{example}) ({})",
            rows_word(built_titles.len())
        ));
    }
    for what in ["likelihood", "impact", "treatment"] {
        for (text, lines) in seen.lines(what) {
            a.push(format!("{text} ({})", rows_word(lines.len())));
        }
    }
    let no_treatment: Vec<usize> = rows
        .iter()
        .filter(|r| r.treatment.is_none())
        .map(|r| r.line)
        .collect();
    if col_of(Field::Treatment).is_none() && !rows.is_empty() {
        a.push("no treatment column: every risk is Modify (reduce the risk with controls)".into());
    } else if !no_treatment.is_empty() {
        a.push(format!(
            "treatment empty on {} → Modify",
            line_list(&no_treatment)
        ));
    }
    for (text, lines) in seen.lines("translation") {
        a.push(format!("{text} on {}", line_list(&lines)));
    }
    if ignored_text.len() > LIST_MAX {
        let n = ignored_text.len();
        ignored_text.truncate(LIST_MAX);
        ignored_text.push(format!("… text ignored in {n} controls cells in all"));
    }
    a.extend(ignored_text);
    for (text, lines) in seen.lines("placeholder") {
        a.push(format!("{text} on {}", line_list(&lines)));
    }
    // Dates grouped by field (reviewed, then due), formats in order seen.
    let mut dates = seen.lines("date");
    dates.sort_by_key(|(text, _)| !text.starts_with("reviewed"));
    for (text, lines) in dates {
        a.push(format!("{text} ({})", rows_word(lines.len())));
    }
    if !joined.is_empty() {
        let list: Vec<String> = joined.iter().map(|(l, f)| format!("{l} ({f})")).collect();
        a.push(format!(
            "line breaks inside cells joined with spaces on line {}",
            capped(&list)
        ));
    }

    Ok(Parsed {
        rows,
        report,
        ids_seen,
    })
}
