//! `riskbench import FILE --into REGISTER.ron`: bringing a colleague's
//! edits to a spreadsheet back into the register it was exported from.
//!
//! Rows are matched to risks by id. A column the sheet has is the truth
//! for that field of every matched risk; a field without a column, and
//! everything a sheet cannot carry (control states, SoA decisions,
//! acceptances, manual residuals, scope factors, the baseline, the
//! history, the method), is kept exactly as it was. A cell that says what
//! the register says, as `riskbench risks --format csv` or the workbook
//! writes it (a number for a label, `8.13 5.30` for a list, a date cell
//! for a date, a line break the spreadsheet changed), is no change: the
//! register's own value stays, byte for byte, so an unchanged export
//! imports back to an identical register.
//!
//! A row with a new id adds a risk, its asset and threat found by id or
//! name or else created (as a new register's import does); a risk the sheet
//! does not list is kept and reported, or removed with `remove_missing`,
//! except the out-of-scope risks, which riskbench's exports never list.

use std::collections::{HashMap, HashSet};

use crate::domain::{Analysis, Asset, AssetKind, Cia, Id, Register, Risk, Threat, Treatment};

use super::values::one_line;
use super::{Field, ImportError, ImportOptions, Parsed, Report, Row, RowError, build_title};

/// The register the sheet makes of the old one, and what it did.
#[derive(Debug, Clone)]
pub struct Updated {
    pub register: Register,
    /// How the sheet was read (columns, assumptions, bad rows).
    pub report: Report,
    /// Rows matched to risks of the register.
    pub matched: usize,
    /// Risks the sheet changed, in register order.
    pub changed: Vec<String>,
    /// Risks the sheet added, in sheet order.
    pub added: Vec<String>,
    /// In-scope risks the sheet does not list, kept.
    pub missing: Vec<String>,
    /// In-scope risks the sheet does not list, removed (`remove_missing`).
    pub removed: Vec<String>,
    /// Out-of-scope risks (riskbench's exports leave them out) the sheet
    /// does not list: always kept.
    pub out_of_scope: Vec<String>,
    /// Assets and threats created for rows that name new ones, described
    /// as `threat T-17 "Loss on public transport" (line 40)`.
    pub created: Vec<String>,
}

impl Updated {
    /// What the import did to the register, one line each, for the report.
    pub fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        let list = |ids: &[String]| super::capped(ids);
        out.push(format!(
            "{} matched to risks: {} changed{}",
            super::plural(self.matched, "row"),
            self.changed.len(),
            if self.changed.is_empty() {
                String::new()
            } else {
                format!(" ({})", list(&self.changed))
            }
        ));
        if !self.added.is_empty() {
            out.push(format!("added: {}", list(&self.added)));
        }
        out.extend(self.created.iter().map(|c| format!("created: {c}")));
        if !self.missing.is_empty() {
            out.push(format!(
                "not in the sheet, kept: {} (--remove-missing removes them)",
                list(&self.missing)
            ));
        }
        if !self.removed.is_empty() {
            out.push(format!(
                "not in the sheet, removed (--remove-missing): {}",
                list(&self.removed)
            ));
        }
        if !self.out_of_scope.is_empty() {
            out.push(format!(
                "out of scope (a factor is off), so in no export: kept: {}",
                list(&self.out_of_scope)
            ));
        }
        out.push(
            "kept as they are (a sheet does not carry them): control states, SoA decisions, acceptances, manual residuals, factors, baseline, history, method"
                .into(),
        );
        out
    }
}

/// Reads the sheet in `bytes` (CSV or a workbook, see
/// [`super::import_file`]) and applies it to `old`. Rows that cannot be
/// applied are listed in `report.errors` and their risks left as they
/// were; the caller decides whether to write anyway.
pub fn update(
    old: &Register,
    bytes: &[u8],
    opts: &ImportOptions,
    remove_missing: bool,
) -> Result<Updated, ImportError> {
    let parsed = super::parse_for_update(bytes, opts, old)?;
    Ok(apply(old, parsed, opts, remove_missing))
}

/// Entities of one kind (assets or threats) by id and by name, and the
/// ones this import creates.
struct Pool {
    kind: &'static str,
    prefix: &'static str,
    ids: Vec<String>,
    names: Vec<String>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    /// Created entities: index and the line that named them.
    created: Vec<(usize, usize)>,
}

impl Pool {
    fn new<'a>(
        kind: &'static str,
        prefix: &'static str,
        entries: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Pool {
        let mut pool = Pool {
            kind,
            prefix,
            ids: Vec::new(),
            names: Vec::new(),
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            created: Vec::new(),
        };
        for (id, name) in entries {
            pool.push(id.to_string(), name.to_string());
        }
        pool
    }

    fn push(&mut self, id: String, name: String) -> usize {
        let i = self.ids.len();
        self.by_id.entry(id.clone()).or_insert(i);
        self.by_name.entry(name.to_lowercase()).or_insert(i);
        self.ids.push(id);
        self.names.push(name);
        i
    }

    /// A new entity named `name`: with `id` when it is free, else the
    /// next free `PREFIX-NN`.
    fn create(&mut self, id: Option<&str>, name: &str, line: usize) -> usize {
        let id = match id {
            Some(id) if !self.by_id.contains_key(id) => id.to_string(),
            _ => (self.ids.len() + 1..)
                .map(|n| format!("{}-{n:02}", self.prefix))
                .find(|c| !self.by_id.contains_key(c))
                .unwrap_or_default(),
        };
        let i = self.push(id, name.to_string());
        self.created.push((i, line));
        i
    }

    /// The entity a row names. `id` and `name` are the row's cells (`None`
    /// without the column, empty when the cell is); `current` is the
    /// matched risk's entity, if the register has it; `existing` says
    /// whether the row matched a risk at all. An id the row changed
    /// decides; else a name the row changed (a known name, a known id in a
    /// name column, or a new entity); else the risk keeps what it refers
    /// to (`Ok(None)`). A new risk that names nothing gets the placeholder
    /// entity a new register's import uses.
    fn resolve(
        &mut self,
        id: Option<&str>,
        name: Option<&str>,
        current: Option<usize>,
        existing: bool,
        line: usize,
    ) -> Result<Option<usize>, String> {
        if existing && id.is_none() && name.is_none() {
            return Ok(None);
        }
        self.find(id, name, current, existing, line)
    }

    fn find(
        &mut self,
        id: Option<&str>,
        name: Option<&str>,
        current: Option<usize>,
        existing: bool,
        line: usize,
    ) -> Result<Option<usize>, String> {
        let kind = self.kind;
        let id = id.unwrap_or("");
        let name_given = name.unwrap_or("");
        let id_edited = !id.is_empty() && current.is_none_or(|c| self.ids[c] != id);
        if id_edited {
            if let Some(&i) = self.by_id.get(id) {
                return Ok(Some(i));
            }
            if name_given.is_empty() {
                return Err(format!(
                    "{kind} id {id:?} is not in the register (give the {kind}'s name to add it)"
                ));
            }
        }
        if !name_given.is_empty() {
            if let Some(c) = current
                && (self.names[c].to_lowercase() == name_given.to_lowercase()
                    || self.ids[c] == name_given)
            {
                return Ok(Some(c));
            }
            if let Some(&i) = self.by_name.get(&name_given.to_lowercase()) {
                return Ok(Some(i));
            }
            if let Some(&i) = self.by_id.get(name_given) {
                return Ok(Some(i));
            }
            let new_id = id_edited.then_some(id);
            return Ok(Some(self.create(new_id, name_given, line)));
        }
        if let Some(&i) = self.by_id.get(id) {
            return Ok(Some(i));
        }
        if existing {
            return match name {
                Some(_) => Err(format!(
                    "the {kind} is empty (write the {kind}'s name, as the register has it)"
                )),
                None => Ok(None),
            };
        }
        let unspecified = if kind == "asset" {
            "Unspecified asset"
        } else {
            "Unspecified threat"
        };
        Ok(Some(match self.by_name.get(&unspecified.to_lowercase()) {
            Some(&i) => i,
            None => self.create(None, unspecified, line),
        }))
    }
}

/// Vulnerability text as the importer keeps it: trimmed, line breaks as
/// `\n`.
fn norm_multiline(s: &str) -> String {
    s.trim().replace("\r\n", "\n").replace('\r', "\n")
}

/// Whether a text cell says what the register says: the same once white
/// space is joined (as the importer joins it), or the same as the cut text
/// the workbook writes for a very long cell.
fn same_text(cell: &str, old: &str, multiline: bool) -> bool {
    let norm = |s: &str| {
        if multiline {
            norm_multiline(s)
        } else {
            one_line(s).0
        }
    };
    cell == norm(old) || cell == norm(&crate::export::fit_cell(old))
}

/// The next free `R-NNN` ids after the highest numbered one.
struct RiskIds {
    next: usize,
    width: usize,
    used: HashSet<String>,
}

impl RiskIds {
    fn next(&mut self) -> String {
        loop {
            let candidate = format!("R-{:0w$}", self.next, w = self.width);
            self.next += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

fn apply(old: &Register, parsed: Parsed, opts: &ImportOptions, remove_missing: bool) -> Updated {
    let Parsed {
        rows,
        mut report,
        ids_seen,
    } = parsed;
    let has = |f: Field| report.has(f);
    let col = |f: Field| {
        report
            .columns
            .iter()
            .find_map(|c| match c.role {
                super::Role::Field { field, .. } if field == f => Some(c.index + 1),
                _ => None,
            })
            .unwrap_or(1)
    };
    let (has_asset_id, has_asset) = (has(Field::AssetId), has(Field::Asset));
    let (has_threat_id, has_threat) = (has(Field::ThreatId), has(Field::Threat));
    let mut new = old.clone();
    let mut assets = Pool::new(
        "asset",
        "A",
        old.assets.iter().map(|a| (a.id.as_str(), a.name.as_str())),
    );
    let mut threats = Pool::new(
        "threat",
        "T",
        old.threats.iter().map(|t| (t.id.as_str(), t.name.as_str())),
    );
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, r) in old.risks.iter().enumerate() {
        by_id.entry(r.id.as_str()).or_insert(i);
    }
    let mut used: HashSet<String> = old.risks.iter().map(|r| r.id.to_string()).collect();
    used.extend(ids_seen.keys().cloned());
    let highest = used
        .iter()
        .filter_map(|id| id.strip_prefix("R-")?.parse::<usize>().ok())
        .max()
        .unwrap_or(0);
    let mut risk_ids = RiskIds {
        next: highest + 1,
        width: if old.risks.len() + rows.len() > 999 {
            4
        } else {
            3
        },
        used,
    };
    let mut errors: Vec<RowError> = Vec::new();
    let mut matched = 0;
    let mut added: Vec<Risk> = Vec::new();
    let mut added_lines: Vec<(String, usize)> = Vec::new();
    let mut built: Vec<usize> = Vec::new();
    let mut generated: Vec<String> = Vec::new();
    // Asset kinds and owners from the sheet, for the assets it creates.
    let mut asset_details: HashMap<usize, (Option<AssetKind>, String)> = HashMap::new();
    for row in &rows {
        let line = row.line;
        let existing = row.id.as_deref().and_then(|id| by_id.get(id).copied());
        let current = existing.map(|i| &old.risks[i]);
        let entity = |pool: &Pool, id: &Id| pool.by_id.get(id.as_str()).copied();
        let asset = assets.resolve(
            has_asset_id.then(|| row.asset_id.as_deref().unwrap_or("")),
            has_asset.then(|| row.asset.as_deref().unwrap_or("")),
            current.and_then(|r| entity(&assets, &r.asset)),
            current.is_some(),
            line,
        );
        let threat = threats.resolve(
            has_threat_id.then(|| row.threat_id.as_deref().unwrap_or("")),
            has_threat.then(|| row.threat.as_deref().unwrap_or("")),
            current.and_then(|r| entity(&threats, &r.threat)),
            current.is_some(),
            line,
        );
        let mut row_errors = Vec::new();
        let asset = asset.map_err(|message| {
            row_errors.push(RowError {
                line,
                col: col(if has_asset {
                    Field::Asset
                } else {
                    Field::AssetId
                }),
                message,
            })
        });
        let threat = threat.map_err(|message| {
            row_errors.push(RowError {
                line,
                col: col(if has_threat {
                    Field::Threat
                } else {
                    Field::ThreatId
                }),
                message,
            })
        });
        if let Ok(Some(a)) = asset
            && !asset_details.contains_key(&a)
            && assets.created.iter().any(|(i, _)| *i == a)
        {
            asset_details.insert(
                a,
                (
                    row.asset_kind.as_ref().map(|(k, _)| *k),
                    row.asset_owner.clone(),
                ),
            );
        }
        match (existing, asset, threat) {
            (Some(i), Ok(a), Ok(t)) if row_errors.is_empty() => {
                matched += 1;
                update_risk(
                    &mut new.risks[i],
                    &old.risks[i],
                    row,
                    &has,
                    a.map(|a| assets.ids[a].as_str()),
                    t.map(|t| threats.ids[t].as_str()),
                );
            }
            (None, Ok(Some(a)), Ok(Some(t))) if row_errors.is_empty() => {
                let title = if has(Field::Title) {
                    Some(row.title.clone())
                } else {
                    // The names the row gives (by name or by id); not the
                    // placeholder of a row that names none.
                    let named =
                        |name: &Option<String>, id: &Option<String>, pool: &Pool, i: usize| {
                            if name.is_some() || id.is_some() {
                                pool.names[i].clone()
                            } else {
                                String::new()
                            }
                        };
                    let asset_name = named(&row.asset, &row.asset_id, &assets, a);
                    let threat_name = named(&row.threat, &row.threat_id, &threats, t);
                    build_title(&threat_name, &asset_name, &row.vulnerability)
                        .inspect(|_| built.push(line))
                };
                let mut missing: Vec<&str> = Vec::new();
                if title.is_none() {
                    missing
                        .push("a title (or an asset, threat or vulnerability to build one from)");
                }
                if !has(Field::Likelihood) {
                    missing.push("a likelihood");
                }
                if !has(Field::Impact) {
                    missing.push("an impact");
                }
                if !missing.is_empty() {
                    row_errors.push(RowError {
                        line,
                        col: col(Field::Id),
                        message: format!(
                            "a new risk needs {}: the sheet has no column for it",
                            missing.join(" and ")
                        ),
                    });
                } else {
                    let id = match &row.id {
                        Some(id) => id.clone(),
                        None => {
                            let id = risk_ids.next();
                            generated.push(format!("{id} (line {line})"));
                            id
                        }
                    };
                    added_lines.push((id.clone(), line));
                    added.push(Risk {
                        cia: row.cia.clone(),
                        notes: Vec::new(),
                        id: id.into(),
                        title: title.unwrap_or_default(),
                        asset: assets.ids[a].as_str().into(),
                        threat: threats.ids[t].as_str().into(),
                        vulnerability: row.vulnerability.clone(),
                        likelihood: row.likelihood,
                        impact: row.impact,
                        treatment: row.treatment.unwrap_or(Treatment::Modify),
                        controls: row.controls.iter().map(Id::from).collect(),
                        owner: row.owner.clone(),
                        reviewed: row.reviewed,
                        due: row.due,
                        residual: None,
                        acceptance: None,
                        factor: None,
                    });
                }
            }
            _ => {}
        }
        errors.extend(row_errors);
    }
    // Entities created for rows that could not be applied are dropped
    // again: keep only those a risk now refers to.
    let referenced_assets: HashSet<&str> = new
        .risks
        .iter()
        .chain(&added)
        .map(|r| r.asset.as_str())
        .collect();
    let referenced_threats: HashSet<&str> = new
        .risks
        .iter()
        .chain(&added)
        .map(|r| r.threat.as_str())
        .collect();
    let mut created = Vec::new();
    for &(i, line) in &assets.created {
        if !referenced_assets.contains(assets.ids[i].as_str()) {
            continue;
        }
        let (kind, owner) = asset_details.remove(&i).unwrap_or((None, String::new()));
        new.assets.push(Asset {
            id: assets.ids[i].as_str().into(),
            name: assets.names[i].clone(),
            kind: kind.unwrap_or(AssetKind::Information),
            owner,
            factor: None,
        });
        created.push(format!(
            "asset {} {:?} (line {line}; kind {})",
            assets.ids[i],
            assets.names[i],
            kind.unwrap_or(AssetKind::Information).as_str()
        ));
    }
    for &(i, line) in &threats.created {
        if !referenced_threats.contains(threats.ids[i].as_str()) {
            continue;
        }
        new.threats.push(Threat {
            source: String::new(),
            id: threats.ids[i].as_str().into(),
            name: threats.names[i].clone(),
            shift: 0,
        });
        created.push(format!(
            "threat {} {:?} (line {line})",
            threats.ids[i], threats.names[i]
        ));
    }
    new.risks.extend(added);

    // Risks the sheet does not list.
    let analysis = Analysis::new(old, opts.today);
    let (mut missing, mut removed, mut out_of_scope) = (Vec::new(), Vec::new(), Vec::new());
    let mut remove: HashSet<usize> = HashSet::new();
    for (i, r) in old.risks.iter().enumerate() {
        if ids_seen.contains_key(r.id.as_str()) {
            continue;
        }
        let exported = analysis.eval.risks.get(i).is_some_and(Option::is_some);
        if !exported {
            out_of_scope.push(r.id.to_string());
        } else if remove_missing {
            removed.push(r.id.to_string());
            remove.insert(i);
        } else {
            missing.push(r.id.to_string());
        }
    }
    if !remove.is_empty() {
        let mut i = 0;
        new.risks.retain(|_| {
            i += 1;
            !remove.contains(&(i - 1))
        });
        // The plan's actions stop listing them (else `unknown-risk`).
        for a in &mut new.actions {
            a.risks.retain(|r| !removed.iter().any(|x| x == r.as_str()));
        }
    }
    let changed: Vec<String> = old
        .risks
        .iter()
        .zip(&new.risks)
        .filter(|(a, b)| a.id == b.id && a != b)
        .map(|(a, _)| a.id.to_string())
        .collect();
    let changed = if remove.is_empty() {
        changed
    } else {
        // Positions shifted: compare by id.
        let now: HashMap<&str, &Risk> = new.risks.iter().map(|r| (r.id.as_str(), r)).collect();
        old.risks
            .iter()
            .filter(|r| now.get(r.id.as_str()).is_some_and(|n| *n != *r))
            .map(|r| r.id.to_string())
            .collect()
    };

    let asset_columns = has(Field::AssetKind) || has(Field::AssetOwner);
    let a = &mut report.assumptions;
    if !built.is_empty() {
        a.push(format!(
            "no title column: the titles of new risks built from threat, asset and vulnerability on {}",
            super::line_list(&built)
        ));
    }
    if !generated.is_empty() {
        a.push(format!("risk ids generated: {}", super::capped(&generated)));
    }
    if asset_columns {
        a.push(
            "asset_kind and asset_owner cells are used for assets the import creates; the register's assets are not changed"
                .into(),
        );
    }
    report.errors.extend(errors);
    report.errors.sort();
    report.risks = new.risks.len();
    report.assets = new.assets.len();
    report.threats = new.threats.len();
    Updated {
        register: new,
        report,
        matched,
        changed,
        added: added_lines.into_iter().map(|(id, _)| id).collect(),
        missing,
        removed,
        out_of_scope,
        created,
    }
}

/// Applies one row to a matched risk: each field the sheet has a column
/// for, unless the cell says what the register says.
fn update_risk(
    risk: &mut Risk,
    old: &Risk,
    row: &Row,
    has: &dyn Fn(Field) -> bool,
    asset: Option<&str>,
    threat: Option<&str>,
) {
    if has(Field::Title) && !same_text(&row.title, &old.title, false) {
        risk.title = row.title.clone();
    }
    if let Some(asset) = asset
        && risk.asset != asset
    {
        risk.asset = asset.into();
    }
    if let Some(threat) = threat
        && risk.threat != threat
    {
        risk.threat = threat.into();
    }
    if has(Field::Vulnerability) && !same_text(&row.vulnerability, &old.vulnerability, true) {
        risk.vulnerability = row.vulnerability.clone();
    }
    if has(Field::Likelihood) {
        risk.likelihood = row.likelihood;
    }
    if has(Field::Impact) {
        risk.impact = row.impact;
    }
    if has(Field::Treatment) {
        risk.treatment = row.treatment.unwrap_or(Treatment::Modify);
    }
    if has(Field::Controls) {
        let mut unique: Vec<&str> = Vec::new();
        for c in &old.controls {
            if !unique.contains(&c.as_str()) {
                unique.push(c.as_str());
            }
        }
        if unique != row.controls.iter().map(String::as_str).collect::<Vec<_>>() {
            risk.controls = row.controls.iter().map(Id::from).collect();
        }
    }
    if has(Field::Owner) && !same_text(&row.owner, &old.owner, false) {
        risk.owner = row.owner.clone();
    }
    if has(Field::Reviewed) {
        risk.reviewed = row.reviewed;
    }
    if has(Field::Due) {
        risk.due = row.due;
    }
    // Compared as a set: a cell naming the register's properties (in
    // whatever order the file keeps them) changes nothing, so the file
    // keeps its bytes.
    if !row.cia_of.is_empty() {
        let cia: Vec<Cia> = Cia::ALL
            .into_iter()
            .filter(|c| {
                if row.cia_of.contains(c) {
                    row.cia.contains(c)
                } else {
                    old.cia.contains(c)
                }
            })
            .collect();
        if Cia::ALL
            .iter()
            .any(|c| cia.contains(c) != old.cia.contains(c))
        {
            risk.cia = cia;
        }
    }
}
